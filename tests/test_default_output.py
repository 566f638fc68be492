"""Event arguments (evt.args) as sysdig 0.29.3 prints them, line for line,
on every corpus capture and on the synthetic all-events capture, plus the
default line format on the corpus.

The evt.args comparisons isolate parameter rendering (src/format/event_args.c)
from the rest of the line, so a failure here points at a parameter."""
import os
import subprocess
import sys

from harness import diff_lines

HERE = os.path.dirname(os.path.abspath(__file__))

ARGS_FORMAT = "*%evt.num %evt.type %evt.args"

# Lines where sysdig 0.29.3 is demonstrably wrong and Harrier stays right:
# (capture file name, evt.num) -> reason. Each entry must still differ, so
# the list cannot go stale.
DEVIATIONS = {}


def compare(label, expected, actual):
    e, a = expected.splitlines(), actual.splitlines()
    problems, seen = [], set()
    for i in range(max(len(e), len(a))):
        le = e[i] if i < len(e) else "<missing>"
        la = a[i] if i < len(a) else "<missing>"
        if le == la:
            continue
        num = le.split(" ", 1)[0]
        key = (label, int(num)) if num.isdigit() else None
        if key in DEVIATIONS:
            seen.add(key)
            continue
        problems.append(f"line {i + 1}:\n  sysdig:  {le[:400]}\n  harrier: {la[:400]}")
    stale = [k for k in DEVIATIONS if k[0] == label and k not in seen]
    if stale:
        problems.append(f"deviations that no longer differ (remove them): {stale}")
    if problems:
        raise AssertionError(f"{label}: {len(problems)} differing lines "
                             f"(sysdig {len(e)}, harrier {len(a)})\n" + "\n".join(problems[:10]))


def args_output(ctx, path):
    want = ctx.sysdig("-r", path, "-p", ARGS_FORMAT).stdout.decode("utf-8", "surrogateescape")
    got = ctx.inspect("-r", path, "-p", ARGS_FORMAT).stdout.decode("utf-8", "surrogateescape")
    return want, got


def test_evt_args_on_every_trace(ctx):
    for path in ctx.traces():
        want, got = args_output(ctx, path)
        compare(os.path.basename(path), want, got)


def test_evt_args_on_synthetic_capture(ctx):
    path = os.path.join(ctx.tmp, "all_events.scap")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_all_events.py"), path,
                    "--spec", os.path.join(ctx.shared, "spec")], check=True)
    want, got = args_output(ctx, path)
    assert len(want.splitlines()) > 1000, "the synthetic capture lost its events"
    compare("all_events.scap", want, got)


def test_default_format_on_every_trace(ctx):
    for path in ctx.traces():
        want = ctx.sysdig("-r", path).stdout.decode("utf-8", "surrogateescape")
        got = ctx.inspect("-r", path).stdout.decode("utf-8", "surrogateescape")
        problem = diff_lines(want, got)
        assert not problem, f"{os.path.basename(path)}:\n{problem}"
