"""The state engine against sysdig 0.29.3: every field that reads threads, fds,
users or containers, on the six corpus captures and on the synthetic
all-events capture, event by event.

Where sysdig 0.29.3 is demonstrably wrong, STATE_DEVIATIONS says what Harrier
prints instead and why; each entry names one field of one event (or a range
of events of one process)."""
import os
import subprocess
import sys

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEP = "\x1f"

STATE_FIELDS = ["evt.num", "thread.tid", "proc.pid", "proc.ppid", "proc.name", "proc.exe", "proc.cmdline",
                "proc.pname", "proc.cwd", "fd.num", "fd.name", "fd.type", "user.uid", "user.name",
                "container.id"]

CAT_CWD = "/mnt/sf_mstemm/work/src/agent/build/release/userspace/dragent/"
TUPLE = "10.0.2.15:43210->93.184.216.34:443"

# sysdig keeps a socket's addresses in a C union shared by its IPv4, IPv6,
# server-address and unix layouts. Several of its parsers write one layout and
# read another, so a name built afterwards shows bytes of the other layout.
LEFTOVER = ("sinsp reads the socket's protocol from union bytes another fd left behind (the proc-list "
            "loader reuses one fdinfo for every fd), gets neither tcp nor udp, and names the socket "
            "'<unknown>'. The tuple in the event is IPv4 and sinsp's own rule for a socket of unknown "
            "protocol that receives a tuple is udp; Harrier names it by that tuple.")
_DEVIATIONS = [
    ("cat_write.scap", range(131, 216), "proc.cwd", CAT_CWD,
     "cat (20072) is first seen at its execve, whose exit carries cwd=" + CAT_CWD[:-1] + "; sysdig 0.29.3's "
     "execve parser never reads that parameter and prints an empty cwd. Harrier takes it (a placeholder "
     "thread only)."),
    ("synthetic.scap", [32], "fd.name", TUPLE,
     "sendto on a socket bound to 0.0.0.0:8080: sinsp writes the tuple over its server-address layout, "
     "keeps the 'non-zero' destination made of the port and protocol bytes (144.31.2.0) and prints "
     "10.0.2.15:43210->144.31.2.0:443. The event's tuple says 93.184.216.34."),
    ("synthetic.scap", [36, 803, 804, 961, 962, 1183, 1184], "fd.name", TUPLE, LEFTOVER),
    ("synthetic.scap", [975], "fd.name", "2001:db8::15:51000->2606:2800:220:1::1:8443",
     "connect with an IPv6 tuple on a socket listed as IPv4 udp: sinsp reads the protocol at the IPv6 "
     "layout's offset (zero), names the socket '<unknown>'. Harrier keeps udp and names it by the tuple."),
]
STATE_DEVIATIONS = {(trace, n, field): (value, why)
                    for trace, nums, field, value, why in _DEVIATIONS for n in nums}


def rows(text):
    out = []
    for line in text.splitlines():
        vals = line.split(SEP)
        assert len(vals) == len(STATE_FIELDS), f"{len(vals)} values: {line[:300]!r}"
        out.append(vals)
    return out


def synthetic_capture(ctx):
    path = os.path.join(ctx.tmp, "synthetic.scap")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(ROOT, "tests", "gen_all_events.py"), path,
                        "--spec", os.path.join(ctx.shared, "spec")], check=True, capture_output=True)
    return path


def differences(ctx, path):
    """(deviations applied, problems) for one capture."""
    name = os.path.basename(path)
    fmt = "*" + SEP.join("%" + f for f in STATE_FIELDS)
    exp = rows(ctx.sysdig("-r", path, "-p", fmt).stdout.decode(errors="replace"))
    got = rows(ctx.inspect("-r", path, "-p", fmt).stdout.decode(errors="replace"))
    used, problems = set(), []
    for row in exp:
        for j, field in enumerate(STATE_FIELDS):
            key = (name, int(row[0]), field)
            if key in STATE_DEVIATIONS:
                row[j] = STATE_DEVIATIONS[key][0]
                used.add(key)
    if len(exp) != len(got):
        problems.append(f"sysdig prints {len(exp)} lines, harrier {len(got)}")
    for e, g in zip(exp, got):
        for j, field in enumerate(STATE_FIELDS):
            if e[j] != g[j]:
                problems.append(f"evt {e[0]} {field}: sysdig {e[j][:160]!r} harrier {g[j][:160]!r}")
    return used, problems


def compare(ctx, path):
    _, problems = differences(ctx, path)
    name = os.path.basename(path)
    assert not problems, f"{name}: {len(problems)} differences\n" + "\n".join(problems[:12])


def test_state_fields_on_corpus(ctx):
    for trace in ctx.traces():
        compare(ctx, trace)


def test_state_fields_on_synthetic_capture(ctx):
    compare(ctx, synthetic_capture(ctx))


def test_state_deviations_are_all_used(ctx):
    used = set()
    for path in ctx.traces() + [synthetic_capture(ctx)]:
        used |= differences(ctx, path)[0]
    stale = set(STATE_DEVIATIONS) - used
    assert not stale, f"deviations for lines sysdig no longer prints: {sorted(stale)[:10]}"
