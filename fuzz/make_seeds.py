#!/usr/bin/env python3
"""Writes the fuzzer's seed corpus: the six corpus traces as they are
(gzip) and decompressed, plus small hand-built captures with every block
type and event block kind (tests/scapbuild.py).

    fuzz/make_seeds.py OUTDIR
"""
import gzip
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import scapbuild as sb  # noqa: E402


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


main()
