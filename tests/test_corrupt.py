"""Damaged and foreign input: truncations at many offsets (plain and gzip),
wrong lengths, trailers and magics, files that are not captures. Each must
end with exit status 1 and a message naming the file offset, never a crash,
a hang or a sanitizer report (the runner also runs this on the ASan+UBSan
build). Both harrier-scapdump (the bare reader) and harrier-inspect -r (the
reader feeding the state engine) are checked."""
import gzip
import os
import random
import struct

import scapbuild as sb
from scapbuild import Capture, i64, old_tail, proc, s, u32

SANITIZER_MARKS = ("Sanitizer", "runtime error", "Segmentation", "core dumped")


def programs(ctx):
    return [[ctx.bin("harrier-scapdump")], [ctx.bin("harrier-inspect"), "-r"]]


def run_on(ctx, data, name="x.scap"):
    """Writes `data` and runs every program on it: [(argv, rc, stdout, stderr)]."""
    path = os.path.join(ctx.tmp, name)
    with open(path, "wb") as f:
        f.write(data)
    out = []
    for prog in programs(ctx):
        p = ctx.run(prog + [path], check=False, timeout=60)
        out.append((prog, p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")))
    return out


def no_sanitizer_report(label, prog, rc, err):
    for mark in SANITIZER_MARKS:
        assert mark not in err, f"{label}: {os.path.basename(prog[0])} reported {mark}:\n{err[-3000:]}"
    assert rc >= 0, f"{label}: {os.path.basename(prog[0])} killed by signal {-rc}"


def expect_error(ctx, data, label, *needles):
    """Every program exits 1 with a message naming an offset (and `needles`)."""
    for prog, rc, _, err in run_on(ctx, data):
        no_sanitizer_report(label, prog, rc, err)
        assert rc == 1, f"{label}: {os.path.basename(prog[0])} exited {rc}, expected 1; stderr: {err[-800:]}"
        assert "offset" in err, f"{label}: {os.path.basename(prog[0])} message names no offset: {err[-800:]}"
        for n in needles:
            assert n in err, f"{label}: {os.path.basename(prog[0])} message lacks {n!r}: {err[-800:]}"


def expect_events(ctx, data, label, events):
    """A valid (shorter) capture: scapdump reads exactly `events` events and
    every program exits 0."""
    for prog, rc, out, err in run_on(ctx, data):
        no_sanitizer_report(label, prog, rc, err)
        assert rc == 0, f"{label}: {os.path.basename(prog[0])} exited {rc}: {err[-800:]}"
        if "scapdump" in prog[0]:
            assert f"event {events}\n" in out, f"{label}: expected {events} events, got:\n{out[-400:]}"


def rich_capture():
    """One of everything: MI, IL_V2, UL_V2, PL_V9, FDL_V2 and v1 lists, and
    events in all seven event block kinds, some with padding."""
    cap = Capture()
    cap.shb()
    cap.machine_info()
    cap.iflist([dict(type=1, name="eth0", addr=sb.ipv4(10, 0, 0, 1), netmask=sb.ipv4(255, 0, 0, 0),
                     bcast=sb.ipv4(10, 255, 255, 255))])
    cap.iflist([dict(type=4, name="tun0", addr=bytes(16), netmask=bytes(16), bcast=bytes(16))], v2=False)
    cap.userlist([dict(uid=0, gid=0, name="root")], [dict(gid=0, name="root")])
    cap.userlist([dict(uid=1, gid=1, name="bin")], [dict(gid=1, name="bin")], v2=False)
    cap.proclist(9, [proc(tid=100, pid=100, tail=old_tail(1000, 0)), proc(tid=101, pid=100)])
    cap.proclist(6, [proc(tid=102, pid=102)])
    cap.fdlist(100, [dict(fd=3, type=1, name="/etc/hosts"), dict(fd=4, type=16, name="/x", dev=1),
                     dict(fd=5, type=3, sip=bytes(4), dip=bytes(4), sport=1, dport=2)])
    cap.fdlist(102, [dict(fd=3, type=8, usrc=1, udst=2, name="sock")], v2=False)
    ts = 1_600_000_000_000_000_000
    for kind in sb.EVENT_BLOCKS:
        cap.event(2, [s("/etc/hosts"), u32(1), u32(0)], kind=kind, ts=ts, tid=100)
        cap.event(3, [i64(3), s("/etc/hosts"), u32(1), u32(0), u32(0)], kind=kind, ts=ts + 1, tid=100)
        ts += 10
    cap.event(324, [s('{"a":1}')], kind="large", ts=ts, tid=100)
    cap.event(4, [i64(3)], tid=100, ts=ts + 1)
    return cap


def event_blocks(layout):
    return [(off, t, n) for off, t, n in layout if t in sb.EVENT_BLOCKS.values()]


def test_truncated_at_every_block_boundary_and_inside_blocks(ctx):
    cap = rich_capture()
    data = cap.data()
    layout = cap.layout()
    first_event = event_blocks(layout)[0][0]
    events_before = 0
    for off, t, n in layout + [(len(data), None, 0)]:
        label = f"truncated at block boundary {off}"
        if off == len(data):
            expect_events(ctx, data, "whole capture", events_before)
        elif off <= first_event:
            expect_error(ctx, data[:off], label)
        else:
            expect_events(ctx, data[:off], label, events_before)
        if t is None:
            break
        for cut in sorted({off + 1, off + 7, off + 8 + (off % 5), off + n // 2, off + n - 1}):
            if off < cut < off + n:
                expect_error(ctx, data[:cut], f"truncated at {cut}, inside the block at {off}", f"offset {off}")
        if t in sb.EVENT_BLOCKS.values():
            events_before += 1


def test_truncated_gzip_at_many_offsets(ctx):
    data = gzip.compress(rich_capture().data())
    for cut in list(range(0, len(data), max(1, len(data) // 30))) + [len(data) - 8, len(data) - 4, len(data) - 1]:
        expect_error(ctx, data[:cut], f"gzip truncated at {cut} of {len(data)}")


def walk(data):
    """Block layout of a plain capture: [(offset, type, length)]."""
    out, off = [], 0
    while off + 8 <= len(data):
        t, n = struct.unpack_from("<II", data, off)
        out.append((off, t, n))
        off += n
    return out


def test_corpus_trace_truncations(ctx):
    path = os.path.join(ctx.traces_dir, "cat_write.scap")
    gz = open(path, "rb").read()
    data = gzip.decompress(gz)
    layout = walk(data)
    first_event = event_blocks(layout)[0][0]
    rnd = random.Random(1234)
    meta = [b for b in layout if b[0] < first_event]
    evs = event_blocks(layout)
    # every metadata boundary, a sample of event boundaries, cuts inside blocks
    for off, t, n in meta[:4] + meta[4:-2:9] + meta[-2:]:
        expect_error(ctx, data[:off], f"cat_write.scap cut at metadata boundary {off}")
        cut = off + rnd.randrange(1, n)
        expect_error(ctx, data[:cut], f"cat_write.scap cut at {cut}", f"offset {off}")
    for i in sorted(rnd.sample(range(len(evs)), 8)):
        off, t, n = evs[i]
        expect_events(ctx, data[:off], f"cat_write.scap cut before event block {i}", i)
        cut = off + rnd.randrange(1, n)
        expect_error(ctx, data[:cut], f"cat_write.scap cut at {cut}", f"offset {off}")
    for cut in sorted(rnd.sample(range(1, len(gz)), 10)):
        expect_error(ctx, gz[:cut], f"cat_write.scap gzip cut at {cut}")


def patched(data, off, fmt, value):
    b = bytearray(data)
    struct.pack_into(fmt, b, off, value)
    return bytes(b)


def test_bad_block_lengths_and_trailers(ctx):
    cap = rich_capture()
    data = cap.data()
    seen = set()
    for off, t, n in cap.layout():
        if t in seen:   # one block of each type
            continue
        seen.add(t)
        for bad in (0, 11, n - 4, n + 4, n ^ 1, n ^ (1 << 9), n ^ (1 << 31), 0xFFFFFFFF, (1 << 30) + 4,
                    struct.unpack(">I", struct.pack("<I", n))[0]):
            if bad == n:
                continue
            expect_error(ctx, patched(data, off + 4, "<I", bad), f"block at {off} (0x{t:x}) length {bad}",
                         f"offset {off}")
        expect_error(ctx, patched(data, off + n - 4, "<I", n + 4), f"block at {off} trailer", f"offset {off}")
        expect_error(ctx, patched(data, off + n - 4, "<I", 0), f"block at {off} zero trailer", f"offset {off}")


def entry_captures():
    """(label, capture, block index, offset of a length field inside that
    block, replacement values) for per-entry length fields."""
    out = []
    for name, build in (
            ("PL_V9 entry_len", lambda c: c.proclist(9, [proc(tid=1), proc(tid=2)])),
            ("FDL_V2 entry_len", lambda c: c.fdlist(1, [dict(fd=3, type=1, name="/a"), dict(fd=4, type=1, name="/b")])),
            ("UL_V2 entry_len", lambda c: c.userlist([dict(uid=0, gid=0, name="root")], [dict(gid=0, name="g")])),
            ("IL_V2 entry_len", lambda c: c.iflist([dict(type=1, name="lo", addr=bytes(4), netmask=bytes(4),
                                                         bcast=bytes(4))] * 2))):
        cap = Capture()
        cap.shb()
        idx = build(cap)
        sb.open_close_events(cap, 1)
        first_len = 8 + (8 if "FDL" in name else 0)   # FDL bodies start with the thread id
        out.append((name, cap, idx, first_len))
    return out


def test_bad_entry_lengths(ctx):
    for name, cap, idx, rel in entry_captures():
        data = cap.data()
        off, _, n = cap.layout()[idx]
        for bad in (0, 1, 3, n, 0xFFFF, 0xFFFFFFFF):
            expect_error(ctx, patched(data, off + rel, "<I", bad), f"{name} = {bad}", f"offset {off}")


def test_bad_string_lengths_in_lists(ctx):
    # The comm of a PL_V6 entry (no entry_len to bound it) and an FDL v1 name.
    cap = Capture()
    cap.shb()
    cap.proclist(6, [proc(tid=1)])
    cap.fdlist(1, [dict(fd=3, type=1, name="/etc")], v2=False)
    sb.open_close_events(cap, 1)
    data = cap.data()
    pl_off = cap.layout()[1][0]
    comm_len_at = pl_off + 8 + 8 * 4   # tid, pid, ptid, sid
    for bad in (0xFFFF, 1025, 200):
        expect_error(ctx, patched(data, comm_len_at, "<H", bad), f"PL_V6 comm length {bad}", f"offset {pl_off}")
    fdl_off = cap.layout()[2][0]
    name_len_at = fdl_off + 8 + 8 + 8 + 8 + 1
    for bad in (0xFFFF, 1024, 100):
        expect_error(ctx, patched(data, name_len_at, "<H", bad), f"FDL name length {bad}", f"offset {fdl_off}")


def single_event_capture(kind, evtype, params):
    cap = Capture()
    cap.shb()
    sb.standard_metadata(cap)
    idx = cap.event(evtype, params, kind=kind, tid=100)
    return cap, idx


def test_bad_event_header_fields(ctx):
    for kind in ("v2", "evf_v2", "large", "v1", "evf_v1"):
        cap, idx = single_event_capture(kind, 3, [i64(3), s("/etc/hosts"), u32(1), u32(0)])
        data = cap.data()
        off, _, n = cap.layout()[idx]
        ev = off + 8 + 2 + (4 if "evf" in kind else 0)
        v1 = kind in ("v1", "evf_v1")
        real_len = struct.unpack_from("<I", data, ev + 16)[0]
        for bad in (0, 21, 25, real_len - 1, real_len + 1, n, 0xFFFF, 0xFFFFFFFF):
            expect_error(ctx, patched(data, ev + 16, "<I", bad), f"{kind} event len {bad}", f"offset {off}")
        lens = ev + (22 if v1 else 26)
        for i, bad in ((0, 0xFFFF), (1, 0xFFFF), (1, 12), (3, 0), (3, 5)):
            expect_error(ctx, patched(data, lens + 2 * i, "<H", bad), f"{kind} param {i} length {bad}",
                         f"offset {off}")
        if not v1:
            for bad in (0, 3, 5, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF):
                expect_error(ctx, patched(data, ev + 22, "<I", bad), f"{kind} nparams {bad}", f"offset {off}")


def test_bad_large_event_param_lengths(ctx):
    cap, idx = single_event_capture("large", 324, [s('{"container":{}}')])
    data = cap.data()
    off, _, n = cap.layout()[idx]
    lens = off + 8 + 2 + 26
    for bad in (0xFFFFFFFF, 0x80000000, 1000, 0):
        expect_error(ctx, patched(data, lens, "<I", bad), f"container param length {bad}", f"offset {off}")


def test_bad_magic_version_and_byte_order(ctx):
    base = sb.simple_capture(1).data()
    expect_error(ctx, patched(base, 8, "<I", 0x1A2B3C4E), "wrong magic", "magic")
    expect_error(ctx, patched(base, 8, "<I", 0x4D3C2B1A), "byte-swapped magic", "byte-swapped")
    # a whole big-endian section header: length 28 byte-swapped too
    be = struct.pack(">IIIHHQI", sb.SHB, 28, 0x1A2B3C4D, 1, 2, 0xFFFFFFFFFFFFFFFF, 28)
    expect_error(ctx, be + base[28:], "big-endian section header", "byte-swapped")
    expect_error(ctx, patched(base, 12, "<H", 2), "major version 2", "version")
    expect_error(ctx, gzip.compress(patched(base, 8, "<I", 0)), "gzip, wrong magic", "magic")
    # an event block where the section header should be
    cap = Capture()
    cap.event(4, [i64(3)])
    expect_error(ctx, cap.data() + base, "no section header first", "not a capture file")


def test_not_capture_files(ctx):
    expect_error(ctx, b"", "empty file", "empty")
    for n in range(1, 8):
        expect_error(ctx, sb.SHB.to_bytes(4, "little")[:n] + b"\0" * max(0, n - 4), f"{n}-byte file")
    expect_error(ctx, b"hello, this is a text file and not a capture\n" * 20, "text file", "not a capture file")
    expect_error(ctx, open("/bin/true", "rb").read(), "ELF binary", "not a capture file")
    expect_error(ctx, gzip.compress(b"just text\n" * 100), "gzip of text", "not a capture file")
    expect_error(ctx, b"\x1f\x8b" + bytes(range(200)), "gzip magic, garbage after")
    rnd = random.Random(99)
    for i in range(5):
        expect_error(ctx, bytes(rnd.randrange(256) for _ in range(rnd.randrange(8, 3000))), f"random bytes #{i}")
    # a directory given as the capture
    for prog in programs(ctx):
        p = ctx.run(prog + [ctx.tmp], check=False, timeout=60)
        err = p.stderr.decode(errors="replace")
        no_sanitizer_report("directory", prog, p.returncode, err)
        assert p.returncode == 1 and err.strip(), (prog, p.returncode, err)


def test_captures_without_events(ctx):
    cap = Capture()
    cap.shb()
    expect_error(ctx, cap.data(), "only a section header", "no events")
    sb.standard_metadata(cap)
    expect_error(ctx, cap.data(), "metadata, no events", "no events")
    expect_error(ctx, gzip.compress(cap.data()), "gzip, metadata, no events", "no events")
    # an event block for an id beyond the table is skipped: still no events
    cap.event(1000, [i64(1)])
    expect_error(ctx, cap.data(), "only an unknown event id", "no events")


def test_oversized_blocks_do_not_exhaust_memory(ctx):
    # A _LARGE event block claiming 1 GiB in a small file: a truncation
    # error, with memory bounded by the real file size (checked by the
    # 60 s timeout and ASan's allocator limits).
    cap, idx = single_event_capture("large", 322, [u32(1), b"x" * 100])
    data = cap.data()
    off = cap.layout()[idx][0]
    expect_error(ctx, patched(data, off + 4, "<I", 1 << 30), "1 GiB large block", f"offset {off}", "truncated")
    expect_error(ctx, gzip.compress(patched(data, off + 4, "<I", (1 << 30) - 4)), "1 GiB large block, gzip",
                 f"offset {off}")
