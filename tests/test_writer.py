"""The capture writer (`harrier-inspect -r IN -w OUT`): round trips through
Harrier and through sysdig 0.29.3 give the same output as the original, the
written blocks follow scap-format.md section 13, gzip (-z) and plain output
both work, and write failures are reported with a non-zero exit."""
import gzip
import os
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

FIELDS = ("*%evt.num %evt.time %evt.cpu %evt.dir %evt.type %evt.args %thread.tid %proc.pid "
          "%proc.ppid %proc.name %proc.exe %proc.cmdline %proc.pname %proc.cwd %fd.num %fd.name "
          "%fd.type %user.uid %user.name %container.id")

# Block ids (scap-format.md section 3).
SHB, MI, PL_V9, FDL_V2, IL_V2, UL_V2 = 0x0A0D0D0A, 0x201, 0x215, 0x218, 0x219, 0x220
EVENT_BLOCKS = {0x216, 0x217, 0x221, 0x222}
LARGE_PAYLOAD_IDS = {322, 324}  # EF_LARGE_PAYLOAD in the 2022 table


def captures(ctx):
    synthetic = os.path.join(ctx.tmp, "synthetic.scap")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_all_events.py"), synthetic,
                    "--spec", os.path.join(ctx.shared, "spec")], check=True)
    return ctx.traces() + [synthetic]


def write_copy(ctx, src, *extra):
    out = os.path.join(ctx.tmp, os.path.basename(src) + ".out.scap")
    p = ctx.inspect("-r", src, "-w", out, *extra)
    assert p.stdout == b"", f"-w printed events on stdout for {src}: {p.stdout[:200]!r}"
    return out


def same(label, expected, actual):
    if expected != actual:
        e = expected.decode(errors="surrogateescape").splitlines()
        a = actual.decode(errors="surrogateescape").splitlines()
        diffs = [f"line {i + 1}:\n  original:  {x[:300]}\n  rewritten: {y[:300]}"
                 for i, (x, y) in enumerate(zip(e, a)) if x != y][:6]
        raise AssertionError(f"{label}: output differs ({len(e)} vs {len(a)} lines)\n" + "\n".join(diffs))


def blocks(data):
    """(type, total length, body) of every block; checks framing as it goes."""
    out, off = [], 0
    while off < len(data):
        btype, total = struct.unpack_from("<II", data, off)
        assert total % 4 == 0 and total >= 12 and off + total <= len(data), \
            f"block 0x{btype:x} at {off}: bad length {total}"
        assert struct.unpack_from("<I", data, off + total - 4)[0] == total, \
            f"block 0x{btype:x} at {off}: trailer differs from header"
        out.append((btype, total, data[off + 8: off + total - 4]))
        off += total
    return out


def check_layout(path):
    """The section 13 layout: SHB 1.2 of 28 bytes, MI of 192, then IL_V2,
    UL_V2, one PL_V9, FDL_V2 blocks, then only event blocks whose event
    length and zero padding match the bytes written."""
    data = open(path, "rb").read()
    bl = blocks(data)
    kinds = [b[0] for b in bl]
    assert kinds[0] == SHB and bl[0][1] == 28, "first block must be a 28-byte SHB"
    magic, major, minor = struct.unpack_from("<IHH", bl[0][2])
    assert (magic, major, minor) == (0x1A2B3C4D, 1, 2), f"SHB {magic:x} {major}.{minor}"
    first_event = next(i for i, k in enumerate(kinds) if k in EVENT_BLOCKS)
    meta = kinds[1:first_event]
    assert meta[0] == MI and bl[1][1] == 192, "MI (192 bytes) must follow the SHB"
    assert meta.count(PL_V9) == 1, "exactly one PL_V9 block"
    assert set(meta) <= {MI, IL_V2, UL_V2, PL_V9, FDL_V2}, f"unexpected metadata blocks {set(meta)}"
    assert all(k in EVENT_BLOCKS or k == SHB for k in kinds[first_event:]), "non-event block after events"
    for btype, total, body in bl[first_event:]:
        if btype == SHB:
            continue
        flagged = btype in (0x217, 0x222)
        ev = body[2 + (4 if flagged else 0):]
        evlen, evtype, nparams = struct.unpack_from("<IHI", ev, 16)
        assert evlen <= len(ev) and all(b == 0 for b in ev[evlen:]), \
            f"event {evtype}: length {evlen} and padding do not match the block"
        assert (btype in (0x221, 0x222)) == (evtype in LARGE_PAYLOAD_IDS or total - 8 > 65536), \
            f"event {evtype} in block 0x{btype:x}"
        if flagged:
            assert struct.unpack_from("<I", body, 2)[0] == 1, "EVF block without the state-only flag"
    # per-entry lengths of the process list (including themselves) and the
    # pre-0.10 tail sysdig 0.29.3 reads: 29 bytes after root
    pl = next(b for b in bl if b[0] == PL_V9)[2]
    off = 0
    while len(pl) - off >= 4:
        entry_len = struct.unpack_from("<I", pl, off)[0]
        assert 4 < entry_len <= len(pl) - off, f"PL_V9 entry length {entry_len} at {off}"
        off += entry_len
    assert all(b == 0 for b in pl[off:]), "PL_V9 padding is not zero"


def test_round_trip_through_harrier(ctx):
    for cap in captures(ctx):
        out = write_copy(ctx, cap)
        check_layout(out)
        same(f"{cap} default", ctx.inspect("-r", cap).stdout, ctx.inspect("-r", out).stdout)
        same(f"{cap} -p", ctx.inspect("-r", cap, "-p", FIELDS).stdout,
             ctx.inspect("-r", out, "-p", FIELDS).stdout)


def test_sysdig_reads_written_files_like_the_originals(ctx):
    for cap in captures(ctx):
        out = write_copy(ctx, cap)
        same(f"{cap} default (sysdig)", ctx.sysdig("-r", cap).stdout, ctx.sysdig("-r", out).stdout)
        same(f"{cap} -p (sysdig)", ctx.sysdig("-r", cap, "-p", FIELDS).stdout,
             ctx.sysdig("-r", out, "-p", FIELDS).stdout)


def test_gzip_output(ctx):
    cap = ctx.traces()[0]
    plain = write_copy(ctx, cap)
    packed = os.path.join(ctx.tmp, "packed.scap")
    ctx.inspect("-r", cap, "-w", packed, "-z")
    raw = open(packed, "rb").read()
    assert raw[:2] == b"\x1f\x8b", "-z output is not gzip"
    assert gzip.decompress(raw) == open(plain, "rb").read(), "-z output inflates to other bytes"
    assert open(plain, "rb").read()[:4] == struct.pack("<I", SHB), "plain output must start with an SHB"
    same("gzip (harrier)", ctx.inspect("-r", cap).stdout, ctx.inspect("-r", packed).stdout)
    same("gzip (sysdig)", ctx.sysdig("-r", cap).stdout, ctx.sysdig("-r", packed).stdout)


def test_unwritable_path_fails_cleanly(ctx):
    cap = ctx.traces()[0]
    bad = os.path.join(ctx.tmp, "no-such-dir", "out.scap")
    p = ctx.inspect("-r", cap, "-w", bad, check=False)
    assert p.returncode > 0, f"exit {p.returncode} (a signal death is negative)"
    assert bad.encode() in p.stderr and b"No such file or directory" in p.stderr, p.stderr


def test_disk_full_fails_cleanly(ctx):
    if not os.path.exists("/dev/full"):
        raise AssertionError("/dev/full is needed to simulate a full disk")
    for extra in ([], ["-z"]):
        p = ctx.inspect("-r", ctx.traces()[0], "-w", "/dev/full", *extra, check=False)
        assert p.returncode > 0, f"exit {p.returncode} with {extra}"
        assert b"/dev/full" in p.stderr and b"No space left on device" in p.stderr, (extra, p.stderr)


def test_closed_pipe_fails_cleanly(ctx):
    r, w = os.pipe()
    os.close(r)  # the reader is gone before the first byte
    try:
        p = subprocess.run([ctx.bin("harrier-inspect"), "-r", ctx.traces()[0], "-w", "-"],
                           stdout=w, stderr=subprocess.PIPE, env=ctx.env, timeout=120)
    finally:
        os.close(w)
    assert p.returncode > 0, f"exit {p.returncode} (a signal death is negative)"
    assert b"Broken pipe" in p.stderr, p.stderr


def test_two_sections_round_trip(ctx):
    """A concatenation of two captures is one file of two sections; the
    copy starts a new section (header and tables) where the input did."""
    joined = os.path.join(ctx.tmp, "two-sections.scap")
    with open(joined, "wb") as f:
        for cap in (ctx.traces()[0], captures(ctx)[-1]):
            data = open(cap, "rb").read()
            f.write(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)
    out = write_copy(ctx, joined)
    assert [b[0] for b in blocks(open(out, "rb").read())].count(SHB) == 2, "the copy must have two sections"
    same("two sections (harrier)", ctx.inspect("-r", joined).stdout, ctx.inspect("-r", out).stdout)
    same("two sections (sysdig)", ctx.sysdig("-r", joined).stdout, ctx.sysdig("-r", out).stdout)
    same("two sections -p (sysdig)", ctx.sysdig("-r", joined, "-p", FIELDS).stdout,
         ctx.sysdig("-r", out, "-p", FIELDS).stdout)


def event_count(path):
    return sum(1 for b in blocks(open(path, "rb").read()) if b[0] in EVENT_BLOCKS)


def test_event_limit_like_sysdig(ctx):
    """-n N with -w writes the events sysdig -n N -w writes (hidden ones
    count). ping_sendto.scap: its first 136 events are hidden procinfo."""
    cap = next(t for t in ctx.traces() if t.endswith("ping_sendto.scap"))
    for n in (1, 136, 140):
        ours, theirs = os.path.join(ctx.tmp, "ours.scap"), os.path.join(ctx.tmp, "theirs.scap")
        ctx.inspect("-r", cap, "-n", str(n), "-w", ours)
        ctx.sysdig("-r", cap, "-n", str(n), "-w", theirs)
        assert event_count(ours) == event_count(theirs) == n, \
            f"-n {n}: harrier wrote {event_count(ours)} events, sysdig {event_count(theirs)}"


def test_write_to_standard_output(ctx):
    cap = ctx.traces()[0]
    p = ctx.inspect("-r", cap, "-w", "-")
    piped = os.path.join(ctx.tmp, "piped.scap")
    with open(piped, "wb") as f:
        f.write(p.stdout)
    check_layout(piped)
    same("-w - (harrier)", ctx.inspect("-r", cap).stdout, ctx.inspect("-r", piped).stdout)
