"""The events of a .scap capture as (timestamp, thread id, event type,
dump flags) tuples, read straight from its event blocks, for tests that
compare what two writers put in a file. Not a test module."""
import gzip
import struct

# Event block types (scap-format.md): whether they carry dump flags.
EVENT_BLOCKS = {0x204: False, 0x216: False, 0x221: False, 0x208: True, 0x217: True, 0x222: True}
OTHER_BLOCKS = {0x0A0D0D0A, 0x201, 0x202, 0x203, 0x205, 0x206, 0x207, 0x209, 0x210, 0x211, 0x212, 0x213,
                0x214, 0x215, 0x218, 0x219, 0x220}
CONTAINER_EVENT_TYPES = (228, 272, 324)


def _consistent(data, off):
    btype, blen = struct.unpack_from("<II", data, off)
    return ((btype in EVENT_BLOCKS or btype in OTHER_BLOCKS) and blen >= 12 and off + blen <= len(data)
            and struct.unpack_from("<I", data, off + blen - 4)[0] == blen)


def events_of(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    out, off = [], 0
    while off + 12 <= len(data):
        if not _consistent(data, off):
            # sysdig 0.29.3's -w writes its IPv6 interface list block with a
            # length that does not match its trailer: resynchronise on the
            # next consistent block
            off = next((o for o in range(off + 4, len(data) - 12, 4) if _consistent(data, o)), len(data))
            continue
        btype, blen = struct.unpack_from("<II", data, off)
        if btype in EVENT_BLOCKS:
            p = off + 8 + 2  # block header, cpu
            flags = 0
            if EVENT_BLOCKS[btype]:
                flags = struct.unpack_from("<I", data, p)[0]
                p += 4
            ts, tid, _len, etype = struct.unpack_from("<QqIH", data, p)
            out.append((ts, tid, etype, flags))
        off += blen
    return out
