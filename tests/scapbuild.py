"""Builds .scap captures byte by byte for tests (scap-format.md sections 2-11).

A Capture is a list of blocks; each helper appends one block and returns its
index. `data()` gives the bytes, `layout()` the (offset, type, length) of
every block, so that tests can cut or damage a capture at exact places.

    cap = Capture()
    cap.shb()
    cap.machine_info()
    cap.proclist(9, [proc(tid=1, comm="init")])
    cap.event(2, [], tid=1)                      # open enter, v2 block
    cap.event(3, [i64(3), s("/etc/passwd"), u32(1), u32(0)], tid=1)
    cap.write(path, gz=False)
"""
import gzip
import os
import struct

# Block type ids (scap-format.md section 3).
SHB = 0x0A0D0D0A
MI, MI_INT = 0x201, 0x8002ABCD
PL = {1: 0x202, 2: 0x207, 3: 0x209, 4: 0x210, 5: 0x211, 6: 0x212, 7: 0x213, 8: 0x214, 9: 0x215}
PL_INT = {1: 0x8000ABCD, 2: 0x8013ABCD, 3: 0x8014ABCD}
FDL, FDL_INT, FDL_V2 = 0x203, 0x8001ABCD, 0x218
IL, IL_INT, IL_V2 = 0x205, 0x8011ABCD, 0x219
UL, UL_INT, UL_V2 = 0x206, 0x8012ABCD, 0x220
EV, EV_INT, EVF = 0x204, 0x8010ABCD, 0x208
EV_V2, EVF_V2, EV_V2_LARGE, EVF_V2_LARGE = 0x216, 0x217, 0x221, 0x222

EVENT_BLOCKS = {"v1": EV, "v1_int": EV_INT, "evf_v1": EVF, "v2": EV_V2, "evf_v2": EVF_V2,
                "large": EV_V2_LARGE, "evf_large": EVF_V2_LARGE}
V1_BLOCKS = (EV, EV_INT, EVF)
FLAG_BLOCKS = (EVF, EVF_V2, EVF_V2_LARGE)

SPEC = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                     "shared", "spec"))


def _load_table():
    """id -> (name, nparams, nparams_2022, large) from the spec's event table."""
    table = {}
    with open(os.path.join(SPEC, "event_table.tsv")) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            table[int(r["id"])] = (r["name"], int(r["nparams"] or 0), int(r["nparams_2022"] or 0),
                                   "EF_LARGE_PAYLOAD" in r["flags"])
    return table


EVENT_TABLE = _load_table()


def is_large(evtype):
    return evtype in EVENT_TABLE and EVENT_TABLE[evtype][3]


# ---- value encoders ---------------------------------------------------------

def u8(v): return struct.pack("<B", v)
def u16(v): return struct.pack("<H", v)
def u32(v): return struct.pack("<I", v & 0xFFFFFFFF)
def u64(v): return struct.pack("<Q", v & 0xFFFFFFFFFFFFFFFF)
def i64(v): return struct.pack("<q", v)


def s(text):
    """A string event parameter: its bytes and the terminating NUL."""
    return (text.encode() if isinstance(text, str) else text) + b"\0"


def str16(text):
    """A metadata string: u16 length, bytes, no NUL."""
    b = text.encode() if isinstance(text, str) else text
    return u16(len(b)) + b


def ipv4(a, b, c, d):
    return bytes((a, b, c, d))


# ---- blocks -----------------------------------------------------------------

def frame(btype, body, length=None, trailer=None):
    """One block: type, length, body, zero padding to 4, trailer. `length`
    and `trailer` override the computed values (for corrupt captures)."""
    total = 12 + len(body)
    pad = (-total) % 4
    total += pad
    hdr_len = total if length is None else length
    tail = total if trailer is None else trailer
    return u32(btype) + u32(hdr_len) + body + b"\0" * pad + u32(tail)


def proc(**kw):
    """A process-list entry with sensible defaults; see proc_entry."""
    e = dict(tid=1, pid=1, ptid=0, sid=1, vpgid=1, comm="init", exe="/sbin/init", exepath="/sbin/init",
             args=b"", cwd="/", fdlimit=1024, flags=0, uid=0, gid=0, vmsize=100, vmrss=50, vmswap=0,
             pfmajor=1, pfminor=2, env=b"HOME=/\0", vtid=1, vpid=1, cgroups=b"cpu=/\0", root="/",
             tail=b"")
    e.update(kw)
    return e


def proc_entry(version, e):
    """Encodes a process-list entry of block `version` (1-9); V9 gets its
    entry_len and `tail` (see old_tail / new_tail)."""
    b = u64(e["tid"]) + u64(e["pid"]) + u64(e["ptid"])
    if version >= 6:
        b += u64(e["sid"])
    if version >= 8:
        b += u64(e["vpgid"])
    b += str16(e["comm"]) + str16(e["exe"])
    if version >= 7:
        b += str16(e["exepath"])
    b += str16(e["args"]) + str16(e["cwd"]) + u64(e["fdlimit"]) + u32(e["flags"]) + u32(e["uid"]) + u32(e["gid"])
    if version >= 2:
        b += u32(e["vmsize"]) + u32(e["vmrss"]) + u32(e["vmswap"]) + u64(e["pfmajor"]) + u64(e["pfminor"])
    if version >= 3:
        b += str16(e["env"])
    if version >= 4:
        b += u64(e["vtid"]) + u64(e["vpid"]) + str16(e["cgroups"])
    if version >= 5:
        b += str16(e["root"])
    if version == 9:
        b += e["tail"]
        b = u32(len(b) + 4) + b
    return b


def old_tail(loginuid, exe_writable=None, caps=None):
    """The pre-0.10 V9 tail: loginuid [, exe_writable [, 3 capability sets]]."""
    b = u32(loginuid)
    if exe_writable is not None:
        b += u8(exe_writable)
        if caps is not None:
            b += b"".join(u64(c) for c in caps)
    return b


def new_tail(pidns_init_start_ts, tty, loginuid, exe_writable=0, caps=(0, 0, 0), upper=0, ino=0,
             ctime=0, mtime=0, memfd=0, lower=0, pgid=-1):
    """The libs >= 0.10 V9 tail (103 bytes)."""
    return (u64(pidns_init_start_ts) + u32(tty) + u32(loginuid) + u8(exe_writable) +
            b"".join(u64(c) for c in caps) + u8(upper) + u64(ino) + u64(ctime) + u64(mtime) +
            u8(memfd) + u8(lower) + i64(pgid))


FD_NAMED = (1, 2, 7, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21)


def fd_entry(e, v2):
    """Encodes an fd entry: dict with fd, ino, type and the type's payload
    (name; sip/dip/sport/dport/l4proto; usrc/udst; open_flags, dev)."""
    t = e["type"]
    b = i64(e["fd"]) + u64(e.get("ino", 0)) + u8(t)
    if t == 3:
        b += e["sip"] + e["dip"] + u16(e["sport"]) + u16(e["dport"]) + u8(e.get("l4proto", 2))
    elif t == 4:
        b += e["sip"] + e["dip"] + u16(e["sport"]) + u16(e["dport"]) + u8(e.get("l4proto", 2))
    elif t == 5 or t == 6:
        b += e["sip"] + u16(e["sport"]) + u8(e.get("l4proto", 2))
    elif t == 8:
        b += u64(e.get("usrc", 0)) + u64(e.get("udst", 0)) + str16(e.get("name", ""))
    elif t == 16:
        b += u32(e.get("open_flags", 1)) + str16(e.get("name", ""))
        if v2 and "dev" in e:
            b += u32(e["dev"])
    elif t in FD_NAMED:
        b += str16(e.get("name", ""))
    b += e.get("extra", b"")
    if v2:
        b = u32(len(b) + 4) + b
    return b


def iface_entry(e, v2):
    """Encodes an interface entry: dict with type (1-4), name, addr,
    netmask, bcast (4 or 16 bytes) and linkspeed (types 1/2)."""
    t = e["type"]
    name = e["name"].encode()
    b = u16(t) + u16(len(name)) + e["addr"] + e["netmask"] + e["bcast"]
    if t in (1, 2):
        b += u64(e.get("linkspeed", 1000))
    b += name
    if v2:
        b = u32(len(b)) + b   # IL_V2 entry lengths exclude themselves
    return b


def user_entry(u, v2):
    b = u8(0) + u32(u["uid"]) + u32(u["gid"]) + str16(u["name"]) + str16(u.get("home", "/")) + \
        str16(u.get("shell", "/bin/sh"))
    return (u32(len(b) + 4) + b) if v2 else b


def group_entry(g, v2):
    b = u8(1) + u32(g["gid"]) + str16(g["name"])
    return (u32(len(b) + 4) + b) if v2 else b


def event_record(evtype, params, ts=1_000_000_000, tid=1, v1=False, nparams=None, length_delta=0):
    """The event itself: header, parameter lengths (u32 for EF_LARGE_PAYLOAD
    types), parameter bytes. `nparams` and `length_delta` override the
    header (for corrupt events and the 280/286 length quirk)."""
    lsz = 4 if is_large(evtype) else 2
    lens = b"".join((u32 if lsz == 4 else u16)(len(p)) for p in params)
    data = b"".join(params)
    hdr = 22 if v1 else 26
    length = hdr + len(lens) + len(data) + length_delta
    head = u64(ts) + u64(tid) + u32(length) + u16(evtype)
    if not v1:
        head += u32(len(params) if nparams is None else nparams)
    return head + lens + data


class Capture:
    def __init__(self):
        self.blocks = []   # (type, bytes)

    def raw(self, btype, block_bytes):
        self.blocks.append((btype, block_bytes))
        return len(self.blocks) - 1

    def block(self, btype, body, **kw):
        return self.raw(btype, frame(btype, body, **kw))

    def shb(self, major=1, minor=2, magic=0x1A2B3C4D, options=b""):
        return self.block(SHB, u32(magic) + u16(major) + u16(minor) + u64(0xFFFFFFFFFFFFFFFF) + options)

    def machine_info(self, cpus=2, memory=1 << 33, max_pid=0, hostname="harrier-test", boot_ts=0, flags=0,
                     btype=MI):
        host = hostname.encode()[:128].ljust(128, b"\0")
        body = u32(cpus) + u64(memory) + u64(max_pid) + host + u64(boot_ts) + u64(flags) + u64(0) + u64(0)
        return self.block(btype, body)

    def proclist(self, version, entries, btype=None):
        btype = btype or PL[version]
        return self.block(btype, b"".join(proc_entry(version, e) for e in entries))

    def fdlist(self, tid, entries, v2=True, btype=None):
        btype = btype or (FDL_V2 if v2 else FDL)
        return self.block(btype, u64(tid) + b"".join(fd_entry(e, v2) for e in entries))

    def iflist(self, entries, v2=True, btype=None):
        btype = btype or (IL_V2 if v2 else IL)
        return self.block(btype, b"".join(iface_entry(e, v2) for e in entries))

    def userlist(self, users, groups, v2=True, btype=None):
        btype = btype or (UL_V2 if v2 else UL)
        body = b"".join(user_entry(u, v2) for u in users) + b"".join(group_entry(g, v2) for g in groups)
        return self.block(btype, body)

    def event(self, evtype, params, kind="v2", cpu=0, flags=0, ts=1_000_000_000, tid=1, nparams=None,
              length_delta=0, extra=b""):
        """One event block of `kind` (see EVENT_BLOCKS); `extra` bytes go
        between the event and the padding (readers must ignore them)."""
        btype = EVENT_BLOCKS[kind]
        v1 = btype in V1_BLOCKS
        body = u16(cpu)
        if btype in FLAG_BLOCKS:
            body += u32(flags)
        body += event_record(evtype, params, ts=ts, tid=tid, v1=v1, nparams=nparams,
                             length_delta=length_delta) + extra
        return self.block(btype, body)

    def data(self):
        return b"".join(b for _, b in self.blocks)

    def layout(self):
        """[(offset, type, length)] of every block."""
        out, off = [], 0
        for t, b in self.blocks:
            out.append((off, t, len(b)))
            off += len(b)
        return out

    def write(self, path, gz=False):
        data = self.data()
        if gz:
            data = gzip.compress(data)
        with open(path, "wb") as f:
            f.write(data)
        return path


# ---- a small realistic capture ----------------------------------------------

def open_close_events(cap, n, tid=100, kind="v2", ts0=1_600_000_000_000_000_000):
    """Appends n open/close enter-exit quadruples (2022 layouts) on `tid`;
    returns the number of events added (4n)."""
    ts = ts0
    for i in range(n):
        fd = 3 + i % 5
        ev = [(2, [s("/etc/hosts"), u32(1), u32(0)]),          # open enter: name, flags, mode
              (3, [i64(fd), s("/etc/hosts"), u32(1), u32(0), u32(0)]),  # open exit: fd, name, flags, mode, dev
              (4, [i64(fd)]),                                      # close enter
              (5, [i64(0)])]                                       # close exit
        for evtype, params in ev:
            cap.event(evtype, params, kind=kind, ts=ts, tid=tid)
            ts += 1000
    return 4 * n


def standard_metadata(cap, pl_version=9, v2_lists=True, tid=100):
    """MI, IL, UL, PL and one FDL for thread `tid` (and its process)."""
    cap.machine_info()
    cap.iflist([dict(type=1, name="lo", addr=ipv4(127, 0, 0, 1), netmask=ipv4(255, 0, 0, 0),
                     bcast=ipv4(127, 255, 255, 255))], v2=v2_lists)
    cap.userlist([dict(uid=0, gid=0, name="root", home="/root", shell="/bin/bash")],
                 [dict(gid=0, name="root")], v2=v2_lists)
    tail = old_tail(1000, 0) if pl_version == 9 else b""
    cap.proclist(pl_version, [proc(tid=tid, pid=tid, ptid=1, comm="cat", exe="cat", exepath="/bin/cat",
                                   tail=tail)])
    cap.fdlist(tid, [dict(fd=0, type=1, name="/dev/pts/0"), dict(fd=1, type=1, name="/dev/pts/0")],
               v2=v2_lists)


def simple_capture(n=5, kind="v2", pl_version=9, v2_lists=True):
    """SHB, metadata, n open/close quadruples: 4n events."""
    cap = Capture()
    cap.shb(minor=2 if kind not in ("v1", "v1_int", "evf_v1") else 0)
    standard_metadata(cap, pl_version, v2_lists)
    open_close_events(cap, n, kind=kind)
    return cap
