"""Runs the libFuzzer target of the rules loader (fuzz/fuzz_rules.c: any
bytes as a rules file, loaded twice, results rendered) for a short, bounded
time from the conformance corpus' rule files; any crash, sanitizer report
or leak fails the test. The target is itself an ASan+UBSan build, so this
runs once, with the normal build directory."""
import os
import shutil

import harness

NORMAL_BUILD_ONLY = True


def test_fuzz_rules_bounded_run(ctx):
    seeds = os.path.join(ctx.tmp, "seeds")
    os.makedirs(seeds)
    rules_dir = os.path.join(ctx.shared, "conformance", "rules")
    for name in sorted(os.listdir(rules_dir)):
        path = os.path.join(rules_dir, name)
        if os.path.getsize(path) < 20000:  # the small files: the big rule sets slow every run down
            shutil.copy(path, os.path.join(seeds, name))
    harness.run_fuzzer(ctx, "fuzz_rules", seeds, 1000, "-max_len=8192")
