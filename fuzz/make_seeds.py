#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus: the six corpus traces as they are
(gzip) and decompressed, small hand-built captures with every block type
and event block kind (tests/scapbuild.py), and the synthetic all-events
capture (tests/gen_all_events.py) cut into small captures of its metadata
plus 40 events each, so that mutations reach every state-engine parser.

    fuzz/make_seeds.py OUTDIR
"""
import gzip
import os
import shutil
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import scapbuild as sb  # noqa: E402


def all_events_slices(out):
    whole = os.path.join(out, "all-events.tmp")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "gen_all_events.py"), whole], check=True)
    data = open(whole, "rb").read()
    os.unlink(whole)
    meta, events, off = [], [], 0
    while off + 8 <= len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        (events if btype in sb.EVENT_BLOCKS.values() else meta).append(data[off:off + blen])
        off += blen
    head = b"".join(meta)
    for i in range(0, len(events), 40):
        with open(os.path.join(out, f"all-events-{i // 40:03d}.scap"), "wb") as f:
            f.write(head + b"".join(events[i:i + 40]))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    traces = os.path.join(ROOT, "..", "shared", "conformance", "traces")
    for name in sorted(os.listdir(traces)):
        if not name.endswith(".scap"):
            continue
        src = os.path.join(traces, name)
        shutil.copyfile(src, os.path.join(out, name))
        with gzip.open(src) as f, open(os.path.join(out, name + ".plain"), "wb") as o:
            o.write(f.read())
    for kind in sb.EVENT_BLOCKS:
        sb.simple_capture(2, kind=kind).write(os.path.join(out, f"built-{kind}.scap"))
    for version in range(1, 10):
        sb.simple_capture(1, pl_version=version, v2_lists=version == 9).write(
            os.path.join(out, f"built-pl{version}.scap"))
    sb.simple_capture(2).write(os.path.join(out, "built-gzip.scap"), gz=True)
    all_events_slices(out)


main()
