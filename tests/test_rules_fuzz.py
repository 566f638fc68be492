"""Runs the libFuzzer target of the rules loader (fuzz/fuzz_rules.c: any
bytes as a rules file, loaded twice, results rendered) for a short, bounded
time from the conformance corpus' rule files; any crash, sanitizer report
or leak fails the test. The target is itself an ASan+UBSan build, so this
runs once, with the normal build directory."""
import os
import shutil

import harness

NORMAL_BUILD_ONLY = True
SECONDS = 20


def test_fuzz_rules_bounded_run(ctx):
    if not shutil.which("clang"):
        raise harness.Skip("clang is not installed (Debian: clang, libclang-rt-14-dev)")
    target = os.path.join(ctx.build, "fuzz", "fuzz_rules")
    build = ctx.run(["make", "-s", "-C", ctx.root, "-f", "fuzz/Makefile", f"BUILD={ctx.build}", "-j2", target],
                    check=False, timeout=900)
    if build.returncode != 0:
        raise AssertionError(f"make -f fuzz/Makefile failed:\n{build.stderr.decode(errors='replace')[-3000:]}")
    seeds = os.path.join(ctx.tmp, "seeds")
    corpus = os.path.join(ctx.tmp, "corpus")
    os.makedirs(seeds)
    os.makedirs(corpus)
    rules_dir = os.path.join(ctx.shared, "conformance", "rules")
    for name in sorted(os.listdir(rules_dir)):
        path = os.path.join(rules_dir, name)
        if os.path.getsize(path) < 20000:  # the small files: the big rule sets slow every run down
            shutil.copy(path, os.path.join(seeds, name))
    p = ctx.run([target, f"-max_total_time={SECONDS}", "-timeout=10", "-rss_limit_mb=2048", "-max_len=8192",
                 f"-artifact_prefix={ctx.tmp}/", "-print_final_stats=1", corpus, seeds],
                check=False, timeout=SECONDS + 300)
    log = p.stderr.decode(errors="replace")
    runs = [line for line in log.splitlines() if line.startswith("stat::number_of_executed_units")]
    crashes = [f for f in os.listdir(ctx.tmp) if f.startswith(("crash-", "leak-", "timeout-", "oom-"))]
    assert p.returncode == 0 and not crashes, \
        f"fuzzer exited {p.returncode}, artifacts {crashes}:\n{log[-4000:]}"
    assert runs and int(runs[0].split(":")[-1]) > 1000, f"the fuzzer hardly ran:\n{log[-2000:]}"
