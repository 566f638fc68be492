"""The synthetic all-events capture (tests/gen_all_events.py): Harrier prints
it exactly as sysdig 0.29.3 does, in the default format and with evt.args,
proc.name and fd.name for every event."""
import csv
import os
import struct
import subprocess
import sys


HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_all_events  # noqa: E402

# Event types sysdig 0.29.3 reads but never prints (checked by
# test_sysdig_shows_every_generated_id below, so the list cannot go stale):
# internal/meta events it consumes for state.
HIDDEN_BY_SYSDIG = {
    148: "drop (enter)", 149: "drop (exit)", 196: "scapevent", 228: "container (old 4-field)",
    234: "procinfo", 260: "k8s", 270: "mesos", 286: "infra",
}

# Lines where sysdig 0.29.3 is demonstrably wrong and Harrier stays right:
# (format, evt.num) -> (text sysdig's line contains, reason). The text pins
# the entry to the line it was written for (a generator change that moves
# events makes the entry fail instead of excusing another line), and an
# entry whose line no longer differs fails too, so the list stays honest.
STALE_SOCKINFO = gen_all_events.STALE_SOCKINFO
SERVSOCK_UNION = gen_all_events.SERVSOCK_UNION
IPV6_UNION = gen_all_events.IPV6_TUPLE_ON_IPV4_FD
PID0 = gen_all_events.PID0_CREATED_BY_PRINTING
PID0_EXEC_MARKER = "res=0 exe=/bin/sh args= tid=0 pid=0 ptid=0 "
DEVIATIONS = {
    ("default", 803): ("fd=11(<4><unknown>)", STALE_SOCKINFO),
    ("default", 961): ("fd=11(<4><unknown>)", STALE_SOCKINFO),
    ("default", 1183): ("fd=11(<4><unknown>)", STALE_SOCKINFO),
    ("args", 36): ("nginx <unknown>", STALE_SOCKINFO),
    ("args", 803): ("fd=11(<4><unknown>)", STALE_SOCKINFO),
    ("args", 804): ("newcomm <unknown>", STALE_SOCKINFO),
    ("args", 961): ("fd=11(<4><unknown>)", STALE_SOCKINFO),
    ("args", 962): ("sh <unknown>", STALE_SOCKINFO),
    ("args", 1183): ("fd=11(<4><unknown>)", STALE_SOCKINFO),
    ("args", 1184): ("sh <unknown>", STALE_SOCKINFO),
    ("args", 32): ("->144.31.2.0:443", SERVSOCK_UNION),
    ("args", 975): ("/bin/sh <unknown>", IPV6_UNION),
}
for _fmt in ("default", "args"):
    for _num in (1105, 1107, 1123):
        DEVIATIONS[(_fmt, _num)] = (PID0_EXEC_MARKER, PID0)
    DEVIATIONS[(_fmt, 1118)] = ("(PTRACE_UNKNOWN) pid=0 ", PID0)

ARGS_FORMAT = "*%evt.num %evt.type %evt.dir %evt.args %proc.name %fd.name"


def synthetic(ctx):
    path = os.path.join(ctx.tmp, "synthetic.scap")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_all_events.py"), path,
                    "--spec", os.path.join(ctx.shared, "spec")], check=True)
    return path


def event_ids(path):
    """(evt.num, id, dump flags) of every event block of an uncompressed capture."""
    data = open(path, "rb").read()
    out, off = [], 0
    while off < len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        if btype in (0x216, 0x217, 0x221, 0x222):
            flagged = btype in (0x217, 0x222)
            flags = struct.unpack_from("<I", data, off + 10)[0] if flagged else 0
            rec = off + 10 + (4 if flagged else 0)
            out.append((len(out) + 1, struct.unpack_from("<H", data, rec + 20)[0], flags))
        off += blen
    return out


def known_2022_ids(spec):
    with open(os.path.join(spec, "event_table.tsv"), newline="") as f:
        return {int(r["id"]) for r in csv.DictReader(f, delimiter="\t")
                if int(r["id"]) < 336 and r["known_2022"].startswith("yes")}


def compare(fmt_name, expected, actual):
    e, a = expected.splitlines(), actual.splitlines()
    problems = []
    seen_deviations = set()
    for i in range(max(len(e), len(a))):
        le = e[i] if i < len(e) else "<missing>"
        la = a[i] if i < len(a) else "<missing>"
        if le == la:
            continue
        num = le.split(" ", 1)[0].lstrip("*")
        key = (fmt_name, int(num)) if num.isdigit() else None
        if key in DEVIATIONS:
            marker, _reason = DEVIATIONS[key]
            if marker not in le:
                problems.append(f"deviation {key} expects sysdig's line to contain {marker!r}: {le[:300]}")
            seen_deviations.add(key)
            continue
        problems.append(f"line {i + 1}:\n  sysdig:  {le[:400]}\n  harrier: {la[:400]}")
    stale = [k for k in DEVIATIONS if k[0] == fmt_name and k not in seen_deviations]
    if stale:
        problems.append(f"deviations that no longer differ (remove them): {stale}")
    if problems:
        more = f"\n({len(problems)} differing lines; sysdig {len(e)} lines, harrier {len(a)})"
        raise AssertionError(f"{fmt_name}:\n" + "\n".join(problems[:10]) + more)


def test_generator_covers_every_2022_id(ctx):
    path = synthetic(ctx)
    present = {i for _, i, _ in event_ids(path)}
    wanted = known_2022_ids(os.path.join(ctx.shared, "spec")) - set(gen_all_events.EXCLUDED)
    missing = sorted(wanted - present)
    assert not missing, f"ids missing from the synthetic capture: {missing}"
    assert sorted(gen_all_events.EXCLUDED) == [268, 269], \
        f"only the tracer events may be left out: {gen_all_events.EXCLUDED}"


def test_sysdig_shows_every_generated_id(ctx):
    """Guards the generator: sysdig 0.29.3 reads the whole file (no crash,
    no early stop) and prints every id except the documented hidden ones and
    the state-only pair."""
    path = synthetic(ctx)
    events = event_ids(path)
    p = ctx.sysdig("-r", path, "-p", "%evt.num")
    shown = {int(x) for x in p.stdout.split()}
    assert max(shown) == len(events), f"sysdig stopped at event {max(shown)} of {len(events)}"
    hidden_ids = {}
    for num, ev_id, flags in events:
        if num not in shown and not flags:
            hidden_ids.setdefault(ev_id, num)
        if flags:
            assert num not in shown, f"state-only event {num} was shown"
    shown_ids = {ev_id for num, ev_id, _ in events if num in shown}
    assert set(hidden_ids) - shown_ids == set(HIDDEN_BY_SYSDIG), \
        f"ids never shown: {sorted(set(hidden_ids) - shown_ids)}, documented: {sorted(HIDDEN_BY_SYSDIG)}"


def test_default_format_matches_sysdig(ctx):
    path = synthetic(ctx)
    expected = ctx.sysdig("-r", path).stdout.decode(errors="surrogateescape")
    actual = ctx.inspect("-r", path).stdout.decode(errors="surrogateescape")
    compare("default", expected, actual)


def test_args_format_matches_sysdig(ctx):
    path = synthetic(ctx)
    expected = ctx.sysdig("-r", path, "-p", ARGS_FORMAT).stdout.decode(errors="surrogateescape")
    actual = ctx.inspect("-r", path, "-p", ARGS_FORMAT).stdout.decode(errors="surrogateescape")
    compare("args", expected, actual)

