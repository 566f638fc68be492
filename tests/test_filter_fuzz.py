"""Runs the libFuzzer target of the filter language (fuzz/fuzz_filter.c:
compile any text, run and free what compiles) for a short, bounded time
from a few seed conditions; any crash, sanitizer report, leak or bad error
position fails the test. The target is itself an ASan+UBSan build, so this
runs once, with the normal build directory."""
import os
import shutil

import harness

NORMAL_BUILD_ONLY = True
SECONDS = 20

SEEDS = [
    "proc.name in (cat, sh) and not fd.sip in (10.0.0.0/8, ::1)",
    "tolower(basename(fd.name)) regex 'a.*' or evt.num > 0x10",
    "(evt.type = open or evt.type in (read, 'write')) and fd.name pmatch (/etc, /usr)",
    "thread.tid = val(proc.pid) and proc.aname[2] glob 's*' and evt.buffer bcontains 00ff",
    "not not evt.rawarg.res < -1 and fd.net != 192.168.0.0/16 and fd.sport = http",
    'proc.cmdline contains "a \\"b\\" \\x41" and len(b64(proc.name)) >= 2 and proc.aname exists',
]


def test_fuzz_filter_bounded_run(ctx):
    if not shutil.which("clang"):
        raise harness.Skip("clang is not installed (Debian: clang, libclang-rt-14-dev)")
    target = os.path.join(ctx.build, "fuzz", "fuzz_filter")
    build = ctx.run(["make", "-s", "-C", ctx.root, "-f", "fuzz/Makefile", f"BUILD={ctx.build}", "-j2", target],
                    check=False, timeout=900)
    if build.returncode != 0:
        raise AssertionError(f"make -f fuzz/Makefile failed:\n{build.stderr.decode(errors='replace')[-3000:]}")
    seeds = os.path.join(ctx.tmp, "seeds")
    corpus = os.path.join(ctx.tmp, "corpus")
    os.makedirs(seeds)
    os.makedirs(corpus)
    for i, text in enumerate(SEEDS):
        with open(os.path.join(seeds, f"seed{i}"), "w") as f:
            f.write(text)
    p = ctx.run([target, f"-max_total_time={SECONDS}", "-timeout=10", "-rss_limit_mb=2048",
                 f"-artifact_prefix={ctx.tmp}/", "-print_final_stats=1", corpus, seeds],
                check=False, timeout=SECONDS + 300)
    log = p.stderr.decode(errors="replace")
    runs = [line for line in log.splitlines() if line.startswith("stat::number_of_executed_units")]
    crashes = [f for f in os.listdir(ctx.tmp) if f.startswith(("crash-", "leak-", "timeout-", "oom-"))]
    assert p.returncode == 0 and not crashes, \
        f"fuzzer exited {p.returncode}, artifacts {crashes}:\n{log[-4000:]}"
    assert runs and int(runs[0].split(":")[-1]) > 1000, f"the fuzzer hardly ran:\n{log[-2000:]}"
