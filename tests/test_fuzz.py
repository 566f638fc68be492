"""Runs the libFuzzer target (fuzz/fuzz_reader.c: reader + state engine) for
a short, bounded time from the seed corpus; any crash, sanitizer report,
leak or broken reader contract fails the test. The target is itself an
ASan+UBSan build, so this runs once, with the normal build directory."""
import os

import harness

NORMAL_BUILD_ONLY = True


def test_fuzz_reader_bounded_run(ctx):
    # fuzz/Makefile's default goal also makes the seeds from the traces.
    harness.run_fuzzer(ctx, "fuzz_reader", os.path.join(ctx.build, "fuzz", "seeds"), 100, make_goal="all")
