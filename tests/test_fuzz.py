"""Runs the libFuzzer target (fuzz/fuzz_reader.c: reader + state engine) for
a short, bounded time from the seed corpus; any crash, sanitizer report,
leak or broken reader contract fails the test. The target is itself an
ASan+UBSan build, so this runs once, with the normal build directory."""
import os
import shutil

import harness

NORMAL_BUILD_ONLY = True
SECONDS = 20


def test_fuzz_reader_bounded_run(ctx):
    if not shutil.which("clang"):
        raise harness.Skip("clang is not installed (Debian: clang, libclang-rt-14-dev)")
    build = ctx.run(["make", "-s", "-C", ctx.root, "-f", "fuzz/Makefile", f"BUILD={ctx.build}", "-j2"], check=False, timeout=900)
    if build.returncode != 0:
        raise AssertionError(f"make -f fuzz/Makefile failed:\n{build.stderr.decode(errors='replace')[-3000:]}")
    fuzzer = os.path.join(ctx.build, "fuzz", "fuzz_reader")
    seeds = os.path.join(ctx.build, "fuzz", "seeds")
    corpus = os.path.join(ctx.tmp, "corpus")
    os.makedirs(corpus)
    p = ctx.run([fuzzer, f"-max_total_time={SECONDS}", "-timeout=10", "-rss_limit_mb=2048",
                 f"-artifact_prefix={ctx.tmp}/", "-print_final_stats=1", corpus, seeds],
                check=False, timeout=SECONDS + 300)
    log = p.stderr.decode(errors="replace")
    runs = [line for line in log.splitlines() if line.startswith("stat::number_of_executed_units")]
    crashes = [f for f in os.listdir(ctx.tmp) if f.startswith(("crash-", "leak-", "timeout-", "oom-"))]
    assert p.returncode == 0 and not crashes, \
        f"fuzzer exited {p.returncode}, artifacts {crashes}:\n{log[-4000:]}"
    assert runs and int(runs[0].split(":")[-1]) > 100, f"the fuzzer hardly ran:\n{log[-2000:]}"
