"""Live recordings of real actions for the default-rules tests.

A Recording runs `harrier-inspect -w -` (the live eBPF probe, as root) and
keeps its stream in a file while watching it for marker syscalls of this
process, so a test knows when the probe is attached and when the events of
its actions have all arrived, without sleeping blindly. `trim()` then keeps
only the events of one process tree (asked of harrier-inspect with a filter,
matched back to the stream's event blocks) and the thread-table entries of
this process with their environment blanked, and zeroes every I/O data
buffer, so the captures stored under tests/captures stay small and carry
nothing of the machine's other programs nor the contents of the files the
actions read.

Run as a program, it re-records the scenarios of tests/test_default_rules.py
(all, or those named) into tests/captures (root needed):
    python3 tests/record_actions.py [BUILD [SCENARIO...]]
"""
import json
import os
import signal
import struct
import subprocess
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CAPTURES = os.path.join(ROOT, "tests", "captures")
WAIT_S = 30.0

SHB = 0x0A0D0D0A
PL_V9 = 0x215
FDL_V2 = 0x218
EVENT_BLOCKS = {0x204: 0, 0x8010ABCD: 0, 0x208: 4, 0x216: 0, 0x217: 4, 0x221: 0, 0x222: 4}
PROCLIST_BLOCKS = {0x202, 0x8000ABCD, 0x207, 0x8013ABCD, 0x209, 0x8014ABCD, 0x210, 0x211, 0x212,
                   0x213, 0x214, 0x215}
FDLIST_BLOCKS = {0x203, 0x8001ABCD, 0x218}

# A clean environment for every recorded action: execve events carry the
# environment, and the stored captures must not carry this machine's.
CLEAN_ENV = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
             "HOME": "/root", "LANG": "C"}


def _buffer_params():
    """event id -> (indexes of its I/O data parameters, large-payload flag),
    from the spec's event table."""
    table = {}
    spec = os.path.join(ROOT, "..", "shared", "spec", "event_table.tsv")
    with open(spec) as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            params = [p.strip().split(":") for p in r["params"].split(";") if p.strip()]
            idx = [i for i, p in enumerate(params)
                   if p[1] == "PT_BYTEBUF" and p[0] in ("data", "msgcontrol", "img", "event_data")]
            if idx:
                table[int(r["id"])] = (idx, "EF_LARGE_PAYLOAD" in r["flags"])
    return table


BUFFER_PARAMS = _buffer_params()


def blank_buffers(block, btype):
    """The event block with the bytes of its I/O data parameters zeroed
    (lengths kept): stored captures must not carry what programs read or
    wrote (an action reading /etc/shadow writes its hashes to stdout)."""
    if btype not in (0x216, 0x217, 0x221, 0x222):
        raise AssertionError("event block 0x%x: only v2 event blocks are trimmed" % btype)
    ev = 8 + 2 + EVENT_BLOCKS[btype]
    etype, nparams = struct.unpack_from("<HI", block, ev + 20)
    if etype not in BUFFER_PARAMS:
        return block
    idx, large = BUFFER_PARAMS[etype]
    width = 4 if large else 2
    lens = struct.unpack_from("<%d%s" % (nparams, "I" if large else "H"), block, ev + 26)
    out = bytearray(block)
    pos = ev + 26 + width * nparams
    for i, n in enumerate(lens):
        if i in idx:
            out[pos:pos + n] = bytes(n)
        pos += n
    return bytes(out)


def blocks(data):
    """(offset, type, total length) of every block of an uncompressed capture."""
    off = 0
    while off + 8 <= len(data):
        btype, blen = struct.unpack_from("<II", data, off)
        if blen < 12 or off + blen > len(data):
            raise ValueError("truncated block at %d" % off)
        yield off, btype, blen
        off += blen


def frame(btype, body):
    pad = (-len(body)) % 4
    total = 8 + len(body) + pad + 4
    return struct.pack("<II", btype, total) + body + b"\0" * pad + struct.pack("<I", total)


def _str16_end(body, pos):
    (n,) = struct.unpack_from("<H", body, pos)
    return pos + 2 + n


def proclist_v9_entries(body):
    """(tid, entry bytes) of each entry of a PL_V9 block body."""
    pos = 0
    while pos + 4 <= len(body):
        (n,) = struct.unpack_from("<I", body, pos)
        if n < 12:
            break
        yield struct.unpack_from("<Q", body, pos + 4)[0], body[pos:pos + n]
        pos += n


def blank_env_v9(entry):
    """The PL_V9 entry with an empty environment (scap-format.md section 6)."""
    pos = 4 + 5 * 8                      # entry_len, tid, pid, ptid, sid, vpgid
    for _ in range(5):                    # comm, exe, exepath, args, cwd
        pos = _str16_end(entry, pos)
    pos += 8 + 4 + 4 + 4 + 3 * 4 + 2 * 8  # fdlimit, flags, uid, gid, vm sizes, page faults
    env_end = _str16_end(entry, pos)
    out = entry[4:pos] + struct.pack("<H", 0) + entry[env_end:]
    return struct.pack("<I", len(out) + 4) + out


class Recording:
    """A live `harrier-inspect -w -` whose stream is kept in `path`."""

    def __init__(self, ctx, path, seconds=120):
        self.path = path
        self.proc = subprocess.Popen([ctx.bin("harrier-inspect"), "-M", str(seconds), "-w", "-"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ctx.env)
        self.out = open(path, "wb")
        self.tail = b""
        self.seen = set()
        self.wanted = set()
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.seq = 0

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(1 << 16)
            if not chunk:
                break
            self.out.write(chunk)
            window = self.tail + chunk
            with self.cond:
                for w in list(self.wanted):
                    if w in window:
                        self.seen.add(w)
                        self.wanted.discard(w)
                self.cond.notify_all()
            self.tail = window[-512:]
        self.out.close()
        with self.cond:
            self.cond.notify_all()

    def marker(self):
        """Opens a unique missing path until its event shows in the stream:
        every event of this process before it has then been recorded."""
        self.seq += 1
        path = "/nonexistent-harrier-rules-marker-%d-%d" % (os.getpid(), self.seq)
        key = path.encode()
        with self.cond:
            self.wanted.add(key)
        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                os.open(path, os.O_RDONLY)
            except OSError:
                pass
            with self.cond:
                if key in self.seen:
                    return
                if not self.reader.is_alive():
                    raise AssertionError("harrier-inspect ended (rc %s) before marker %s: %s" %
                                         (self.proc.poll(), path, self.proc.stderr.read().decode()))
                if time.monotonic() > deadline:
                    raise AssertionError("marker %s not recorded within %.0f s" % (path, WAIT_S))
                self.cond.wait(0.05)

    def stop(self):
        """Waits until everything done so far is recorded, then stops."""
        try:
            self.marker()
        finally:
            self.proc.send_signal(signal.SIGINT)
            rc = self.proc.wait(timeout=WAIT_S)
            self.reader.join(timeout=WAIT_S)
        err = self.proc.stderr.read().decode(errors="replace")
        assert rc == 0, "harrier-inspect exited %d: %s" % (rc, err)
        return err

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.reader.join(timeout=WAIT_S)


def trim(ctx, full, out, flt, keep_threads_of=None):
    """Writes to `out` the events of `full` that harrier-inspect's filter
    `flt` keeps (their block order and bytes unchanged), every metadata block
    except the thread and fd tables, and of those only the entries of the
    process `keep_threads_of`, environment blanked; I/O data buffers are
    zeroed. Returns the event count."""
    p = ctx.run([ctx.bin("harrier-inspect"), "-r", full, "-D", "-p", "*%evt.num %evt.rawtime %thread.tid",
                 flt])
    wanted = {}
    for line in p.stdout.decode().split("\n"):
        if line:
            num, ts, tid = line.split(" ")
            wanted[int(num)] = (int(ts), int(tid))
    with open(full, "rb") as f:
        data = f.read()
    keep_tids = set()
    parts = []
    num = 0
    for off, btype, blen in blocks(data):
        block = data[off:off + blen]
        if btype in EVENT_BLOCKS:
            num += 1
            if num in wanted:
                hdr = 8 + 2 + EVENT_BLOCKS[btype]
                ts, tid = struct.unpack_from("<Qq", block, hdr)  # container records have tid -1
                # the filter's numbering must be the stream's block order
                assert wanted[num] == (ts, tid), (num, wanted[num], ts, tid)
                parts.append(blank_buffers(block, btype))
        elif btype in PROCLIST_BLOCKS:
            assert btype == PL_V9, "thread table block 0x%x: only PL_V9 is trimmed" % btype
            body = block[8:blen - 4]
            kept = b""
            for tid, entry in proclist_v9_entries(body):
                pid = struct.unpack_from("<Q", entry, 12)[0]
                if keep_threads_of is not None and pid == keep_threads_of:
                    kept += blank_env_v9(entry)
                    keep_tids.add(tid)
            parts.append(frame(btype, kept))
        elif btype in FDLIST_BLOCKS:
            tid = struct.unpack_from("<Q", block, 8)[0]
            if tid in keep_tids:
                parts.append(block)
        else:
            parts.append(block)
    assert num >= max(wanted, default=0), "harrier-inspect numbered more events than the stream holds"
    with open(out, "wb") as f:
        f.write(b"".join(parts))
    return len(wanted)


def replay(ctx, capture, *rules_files, extra=()):
    """Alerts (Falco JSON objects) of `harrier -r RULES... -e capture`."""
    args = [ctx.bin("harrier")]
    for r in rules_files:
        args += ["-r", r]
    args += ["-e", capture, "-o", "json_output=true", "-o", "log_stderr=false", *extra]
    p = ctx.run(args)
    return [json.loads(line) for line in p.stdout.decode().splitlines() if line.startswith("{")]


class Action:
    """A process tree started for a recording, with a clean environment, in
    a session and process group of its own (its id is the action's pid), so
    that live alerts can be traced back to it."""

    def __init__(self, args, cwd=None, stdin=subprocess.DEVNULL, env=None):
        self.args = args
        self.proc = subprocess.Popen(args, cwd=cwd, env=env or CLEAN_ENV, stdin=stdin,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     start_new_session=True)
        self.pid = self.proc.pid

    def wait(self, timeout=WAIT_S, check=False):
        out, err = self.proc.communicate(timeout=timeout)
        if check and self.proc.returncode != 0:
            raise AssertionError("action %s exited %d: %s" % (self.proc.args, self.proc.returncode,
                                                               err.decode(errors="replace")))
        return self.proc.returncode, out, err

    def tree_filter(self):
        return "(proc.pid=%d or proc.apid=%d)" % (self.pid, self.pid)


def run_action(args, **kw):
    a = Action(args, **kw)
    a.wait()
    return a


if __name__ == "__main__":
    import sys
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    import harness
    import test_default_rules
    build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build")
    ctx = harness.Context(ROOT, os.path.abspath(build))
    test_default_rules.record_all(ctx, CAPTURES, sys.argv[2:])
