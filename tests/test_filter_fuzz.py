"""Runs the libFuzzer target of the filter language (fuzz/fuzz_filter.c:
compile any text, run and free what compiles) for a short, bounded time
from a few seed conditions; any crash, sanitizer report, leak or bad error
position fails the test. The target is itself an ASan+UBSan build, so this
runs once, with the normal build directory."""
import os

import harness

NORMAL_BUILD_ONLY = True

SEEDS = [
    "proc.name in (cat, sh) and not fd.sip in (10.0.0.0/8, ::1)",
    "tolower(basename(fd.name)) regex 'a.*' or evt.num > 0x10",
    "(evt.type = open or evt.type in (read, 'write')) and fd.name pmatch (/etc, /usr)",
    "thread.tid = val(proc.pid) and proc.aname[2] glob 's*' and evt.buffer bcontains 00ff",
    "not not evt.rawarg.res < -1 and fd.net != 192.168.0.0/16 and fd.sport = http",
    'proc.cmdline contains "a \\"b\\" \\x41" and len(b64(proc.name)) >= 2 and proc.aname exists',
    'join(",", (proc.name, proc.args[0], 0x1F, -2.5e+3)) = a and concat(proc.exe, "/", tolower(fd.name)) != b',
    'getopt((proc.args[0], proc.args[1], "-t"), ":nt:")[t] = x or len(getopt(("-ab", "c"), "ab:")) > 1',
    'toupper(getopt((proc.args[0]), "n")) intersects (N, "?") and join("", ()) = "" and len(fd.types) < 3',
]


def test_fuzz_filter_bounded_run(ctx):
    seeds = os.path.join(ctx.tmp, "seeds")
    os.makedirs(seeds)
    for i, text in enumerate(SEEDS):
        with open(os.path.join(seeds, f"seed{i}"), "w") as f:
            f.write(text)
    harness.run_fuzzer(ctx, "fuzz_filter", seeds, 1000)
