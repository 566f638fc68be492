"""Event arguments (evt.args) as sysdig 0.29.3 prints them, line for line,
on every corpus capture, on the synthetic all-events capture and on a
capture of edge cases built here; evt.info in -j output (byte buffers are
not cut there); and the default line format on the corpus.

The evt.args comparisons isolate parameter rendering (src/format/event_args.c)
from the rest of the line, so a failure here points at a parameter."""
import json
import os
import struct
import subprocess
import sys

from harness import diff_lines

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_all_events as gen  # noqa: E402

ARGS_FORMAT = "*%evt.num %evt.type %evt.args"

# Lines where sysdig 0.29.3 is demonstrably wrong and Harrier stays right:
# (capture file name, evt.num) -> reason. Each entry must still differ, so
# the list cannot go stale.
DEVIATIONS = {
    ("edges.scap", 1): "openat2 enter: sysdig 0.29.3's table points the name's directory fd at "
                       "the name itself (DIRFD_PARAM(1)), so it joins a relative name with the "
                       "cwd even when dirfd is a directory; Harrier joins it with the directory "
                       "fd's path as for every other *at call (and as the newest libs do)",
}
DEVIATIONS.update({("all_events.scap", n): gen.STALE_SOCKINFO for n in (803, 961, 1183)})
DEVIATIONS.update({("all_events.scap", n): gen.PID0_CREATED_BY_PRINTING for n in (1105, 1107, 1118, 1123)})


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


def edge_capture(spec):
    """A capture of parameter values the all-events capture does not reach:
    buffer and path lengths around sysdig's limits, path clean-up cases,
    flag bits newer than 2022, names from the user list, generic events.
    Events run on thread 3000 (cwd /tmp, the standard fd table of
    gen_all_events: 3 a file, 4 the directory /home/alice, 10 a unix socket)."""
    events = gen.load_events(spec)
    values = gen.Values(gen.load_flags(spec), gen.load_syscall_codes(spec))
    by_name = {(e["name"], i % 2): i for i, e in events.items()}
    out = [gen.section_header(), gen.machine_info(), gen.iface_list(), gen.user_list(),
           gen.process_list(), gen.fd_lists()]
    ts = [gen.START_TS]

    def emit(event, direction, /, tid=3000, **params):
        ev_id = by_name[(event, 0 if direction == ">" else 1)]
        ev = events[ev_id]
        packed = [params.pop(p[0]) if p[0] in params else values.value(ev, i, 0, ev_id)
                  for i, p in enumerate(ev["params"])]
        assert not params, f"{event} has no parameters {list(params)}"
        large = "EF_LARGE_PAYLOAD" in ev["flags"]
        ts[0] += 1000
        out.append(gen.event_block(0, gen.event_record(ev_id, ts[0], tid, packed, large), large, False))

    q = lambda v: struct.pack("<q", v)  # noqa: E731
    u32 = lambda v: struct.pack("<I", v & 0xFFFFFFFF)  # noqa: E731
    cb = gen.charbuf
    long_rel = "d" * 1500
    emit("openat2", ">", dirfd=q(4), name=cb("lib.so"))
    # Paths first, while sysdig's 1024-byte buffer has not grown yet.
    emit("open", ">", name=cb(long_rel))
    emit("connect", ">", fd=q(10), addr=bytes([1]) + b"/" + b"s" * 1499 + b"\0")
    poll = struct.pack("<H", 150) + b"".join(struct.pack("<qh", fd, 0x41) for fd in range(150))
    emit("poll", ">", fds=poll)
    for path in ["a/./b/.", "x/..", "..", ".", "a//b///", "...", "a/..b", "./.hidden", "\x01bin/\x7fx",
                 "", "/abs/../olute", "../../../../../../etc"]:
        emit("open", ">", name=cb(path), flags=u32(0x4000 | 0x8000 | 0x10000 | 1))
    emit("openat", ">", dirfd=q(3), name=cb("under/a/file"))
    emit("openat", ">", dirfd=q(-100), name=cb("cwd/relative"))
    emit("read", ">", fd=q(-1), size=u32(0x80000000))
    emit("read", ">", fd=q(-100), size=u32(0xFFFFFFFF))
    for n in (79, 80, 81, 200):
        emit("write", "<", res=q(n), data=bytes(range(256))[:n])
    emit("getcwd", "<", res=q(0), path=cb("g" * 3000))
    emit("open", ">", name=cb(long_rel))
    emit("connect", ">", fd=q(10), addr=bytes([1]) + b"/" + b"s" * 1499 + b"\0")
    emit("poll", ">", fds=poll)
    emit("unshare", ">", flags=u32(0x20000000 | 0x100))
    for uid in (1000, 12345, 0xFFFFFFFF, 0x80000000):
        emit("setuid", ">", uid=u32(uid))
        emit("setgid", ">", gid=u32(uid))
    for pid in (1000, 3000, 99999, -1):
        emit("kill", ">", pid=q(pid), sig=bytes([pid & 0x1F]))
    for code in (0, 5, 283, 292, 300, 305, 313, 328):
        emit("syscall", ">", ID=struct.pack("<H", code), nativeID=struct.pack("<H", code))
    emit("ppoll", ">", timeout=q(1234567890123), sigmask=u32(0xFFFFFFFF))
    emit("ppoll", ">", timeout=q(-1), sigmask=u32(0))
    for dyn in (bytes([4]) + q(1500000), bytes([0]) + b"\x00\x01binary\xff", bytes([9]) + q(1),
                bytes([2]) + u32(0x90000000)):
        emit("setsockopt", "<", res=q(0), fd=q(5), val=dyn)
    for addr in (bytes([200, 0, 0]), bytes([2, 1, 2, 3]), bytes([10]) + bytes(16), b""):
        emit("connect", ">", fd=q(99), addr=addr)  # an fd nobody has: state stays out of it
    v6 = bytes([10]) + bytes(range(16)) + struct.pack("<H", 1) + bytes(15) + b"\1" + struct.pack("<H", 2)
    for tup in (v6, v6[:20], bytes([1]) + b"\xff" * 16 + b"/p\x05x\0", bytes([3]) + bytes(12)):
        emit("connect", "<", res=q(-115), tuple=tup)
    for value in (0x80000000, 0, 1 << 14):
        emit("open", ">", name=cb("/x"), flags=u32(value))
    for ns in (1, 999999999, 10**18):
        emit("ppoll", ">", timeout=q(ns), sigmask=u32(1 << 31))
    for sig in (0, 31, 32, 255):
        emit("kill", ">", pid=q(3000), sig=bytes([sig]))
    return b"".join(out)


def test_evt_args_on_edge_cases(ctx):
    path = os.path.join(ctx.tmp, "edges.scap")
    with open(path, "wb") as f:
        f.write(edge_capture(os.path.join(ctx.shared, "spec")))
    want, got = args_output(ctx, path)
    assert len(want.splitlines()) > 50, "sysdig did not show the edge events"
    compare("edges.scap", want, got)


def test_json_evt_info_on_edge_cases(ctx):
    path = os.path.join(ctx.tmp, "edges.scap")
    with open(path, "wb") as f:
        f.write(edge_capture(os.path.join(ctx.shared, "spec")))
    infos = []
    for run in (ctx.sysdig, ctx.inspect):
        lines = run("-r", path, "-j").stdout.decode("utf-8", "surrogateescape").splitlines()
        infos.append([(j.get("evt.num"), j.get("evt.info")) for j in map(json.loads, lines)])
    want, got = infos
    assert len(want) > 50 and any(len(i or "") > 200 for _, i in want), "edge events missing"
    differ = [f"evt {w[0]}:\n  sysdig:  {w[1]!r:.300}\n  harrier: {g[1]!r:.300}"
              for w, g in zip(want, got) if w != g and ("edges.scap", w[0]) not in DEVIATIONS]
    assert len(want) == len(got), f"sysdig {len(want)} events, harrier {len(got)}"
    assert not differ, "\n".join(differ[:10])
