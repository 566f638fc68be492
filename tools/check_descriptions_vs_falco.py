#!/usr/bin/env python3
"""Developer check: Harrier's descriptions of the fields sysdig 0.29.3 lacks
must not be near copies of Falco 0.44's (read from the field tables of the
newest falcosecurity/libs sources, a git mirror without work tree). Uses
the same parsing and closeness as tests/test_field_descriptions.py, which
runs the sysdig half in CI; this half needs the mirror, so it is run by
hand:
    tools/check_descriptions_vs_falco.py [BUILD_DIR] [LIBS_MIRROR]
Exit 0 when no description is a near copy, 1 otherwise.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from test_field_descriptions import by_field, copies_of, parse  # noqa: E402

LIBS_MIRROR = "/work/.mirror/falcosecurity+libs/repo"


def falco_descriptions():
    """{field: description} from the field tables (sinsp_filtercheck_*.cpp)
    of the newest libs: each entry is {PT_TYPE, flags, format, "name",
    "display", "description" "continued"...}."""
    files = subprocess.run(["git", "-C", LIBS_MIRROR, "ls-tree", "-r", "--name-only", "HEAD", "userspace/libsinsp"],
                           capture_output=True, text=True, check=True).stdout.split()
    literal = r'"(?:[^"\\]|\\.)*"'
    entry = re.compile(r'\{\s*PT_\w+\s*,[^{}"]*?(' + literal + r')\s*,\s*' + literal + r'\s*,\s*((?:' +
                       literal + r'\s*)+)[,}]')
    out = {}
    for path in files:
        if not re.search(r"sinsp_filtercheck_\w+\.cpp$", path):
            continue
        src = subprocess.run(["git", "-C", LIBS_MIRROR, "show", "HEAD:" + path],
                             capture_output=True, text=True, check=True).stdout
        for m in entry.finditer(src):
            desc = "".join(x[1:-1] for x in re.findall(literal, m.group(2)))
            out[m.group(1)[1:-1]] = " ".join(desc.split())
    return out


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    global LIBS_MIRROR
    if len(sys.argv) > 2:
        LIBS_MIRROR = sys.argv[2]
    falco = falco_descriptions()
    if len(falco) < 200 or "proc.aexe" not in falco or "fd.types" not in falco:
        sys.exit("only %d Falco descriptions read from %s" % (len(falco), LIBS_MIRROR))
    run = lambda cmd: subprocess.run(cmd, capture_output=True, check=True).stdout.decode()
    sysdig_names = set(by_field(parse(run(["sysdig", "-l"]))))
    ours = {n: d for n, d in by_field(parse(run([os.path.join(build, "harrier-inspect"), "-l"]))).items()
            if n not in sysdig_names}
    compared, copies = copies_of(ours, falco)
    print("%d descriptions compared with Falco's, %d near copies" % (compared, len(copies)))
    for c in copies:
        print(c)
    return 1 if copies or compared < 60 else 0


if __name__ == "__main__":
    sys.exit(main())
