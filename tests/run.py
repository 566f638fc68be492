#!/usr/bin/env python3
"""Harrier's test runner.

Runs every `test_*` function of every tests/test_*.py module, plus the C
unit tests (build/unit-tests), against the normal build and again against
the AddressSanitizer+UBSan build (build/asan) when it exists. Prints one
line per failure and ends with `N passed, M failed`.

A module may list tests of work that is not finished yet in
`PENDING_TESTS = {"test_name": "what is missing (issue N)"}`. They still
run: one that passes counts as passed, one that fails is printed as
`PENDING` with the reason and its failure, and is left out of the counts,
so unfinished work is visible in every run without blocking what works.

    tests/run.py [-k SUBSTRING] [--build DIR ...] [-v]
"""
import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import harness  # noqa: E402


def load_modules():
    mods = []
    for name in sorted(os.listdir(os.path.join(ROOT, "tests"))):
        if name.startswith("test_") and name.endswith(".py"):
            path = os.path.join(ROOT, "tests", name)
            spec = importlib.util.spec_from_file_location(name[:-3], path)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            mods.append(mod)
    return mods


def report_conformance():
    """Falco's conformance corpus, run with --strict. Informational until the
    rules engine (build/harrier) exists; from then on it gates like any test."""
    runner = os.path.join(ROOT, "..", "shared", "conformance", "run")
    engine = os.path.join(ROOT, "build", "harrier")
    if not os.path.exists(engine):
        print("conformance (informational): not run, build/harrier does not exist yet "
              "(it comes with the rules-engine issue)")
        return
    p = subprocess.run([runner, "--strict", engine], capture_output=True, text=True, cwd=ROOT)
    last = (p.stdout.strip().splitlines() or ["no output"])[-1]
    print(f"conformance (informational) --strict: {last}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ap.add_argument("--build", action="append", help="build directories (default: build, build/asan)")
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    builds = args.build or [b for b in ("build", "build/asan") if os.path.isdir(os.path.join(ROOT, b))]

    passed = failed = pending = 0
    seconds = {}  # (tag, module) -> wall time, to keep CI's 90-minute budget in view
    mods = load_modules()
    for build in builds:
        ctx = harness.Context(ROOT, os.path.join(ROOT, build))
        tag = "" if build == "build" else f"[{os.path.basename(build)}] "
        # C unit tests first: they print their own N passed, M failed.
        unit = os.path.join(ctx.build, "unit-tests")
        if os.path.exists(unit) and args.k in "unit":
            p = subprocess.run([unit], capture_output=True, text=True, env=ctx.env)
            m = re.search(r"(\d+) passed, (\d+) failed", p.stdout)
            if not m or p.returncode != 0:
                failed += 1
                print(f"FAIL {tag}unit-tests: exit {p.returncode}\n{p.stdout[-2000:]}{p.stderr[-2000:]}")
            else:
                passed += int(m.group(1))
                failed += int(m.group(2))
                for line in p.stdout.splitlines():
                    if line.startswith("FAIL"):
                        print(tag + line)
        for mod in mods:
            # True for a whole module, or a tuple of test-name prefixes
            only_normal = getattr(mod, "NORMAL_BUILD_ONLY", False)
            if only_normal is True and build != "build":
                continue
            mod_t0 = time.time()
            for name in sorted(n for n in dir(mod) if n.startswith("test_")):
                full = f"{mod.__name__}.{name}"
                if args.k not in full:
                    continue
                if isinstance(only_normal, tuple) and name.startswith(only_normal) and build != "build":
                    continue
                fn = getattr(mod, name)
                t0 = time.time()
                try:
                    with tempfile.TemporaryDirectory(prefix="harrier-test-") as tmp:
                        ctx.tmp = tmp
                        fn(ctx)
                    passed += 1
                    if args.v:
                        print(f"PASS {tag}{full} ({time.time() - t0:.1f}s)")
                except Exception as e:  # noqa: BLE001
                    reason = getattr(mod, "PENDING_TESTS", {}).get(name)
                    if isinstance(e, harness.Skip):
                        # A skip is reported as a failure: nothing may pass unchecked.
                        msg = f"cannot run: {e}"
                    elif isinstance(e, AssertionError):
                        msg = str(e)
                    else:
                        msg = traceback.format_exc()
                    if reason is not None:
                        pending += 1
                        print(f"PENDING {tag}{full} ({reason}): {msg.strip()[:1500]}")
                    else:
                        failed += 1
                        print(f"FAIL {tag}{full}: {msg.strip()[:4000]}")
                sys.stdout.flush()
            seconds[(tag, mod.__name__)] = seconds.get((tag, mod.__name__), 0) + time.time() - mod_t0
    slow = [kv for kv in sorted(seconds.items(), key=lambda kv: -kv[1])[:8] if kv[1] >= 1]
    if slow:
        print("slowest modules: " + ", ".join(f"{t}{m} {s:.0f}s" for (t, m), s in slow))
    report_conformance()
    if pending:
        print(f"{pending} pending test runs (unfinished work, listed above as PENDING) not counted")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
