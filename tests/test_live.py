"""Live capture (eBPF): harrier-inspect without -r records this machine.

Each test starts a live harrier-inspect limited to the test's own process
tree, waits until a marker syscall of the test shows up in its output (so the
probe is attached), performs real actions, waits until their events have been
printed, then stops the capture with SIGINT and checks events and fields.
Needs root, like the capture itself; without it the tests fail.
"""
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import threading
import time

SEP = "\x1f"  # field separator in -p formats: never in paths or args
WAIT_S = 20.0


class LiveCapture:
    """A running `harrier-inspect -p FMT FILTER`, its lines collected as they come."""

    def __init__(self, ctx, fields, extra_filter=None):
        self.fields = fields
        fmt = SEP.join("%" + f for f in fields)
        me = os.getpid()
        flt = "(proc.pid=%d or proc.apid=%d)" % (me, me)
        if extra_filter:
            flt += " and (%s)" % extra_filter
        self.started = time.monotonic()
        self.proc = subprocess.Popen([ctx.bin("harrier-inspect"), "-M", "60", "-p", "*" + fmt, flt],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     errors="replace")
        self.lines = []
        self.cond = threading.Condition()
        self.first_line_at = None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.marker_seq = 0

    def _read(self):
        for line in self.proc.stdout:
            with self.cond:
                if self.first_line_at is None:
                    self.first_line_at = time.monotonic()
                    self.cpu_at_first_line = cpu_seconds(self.proc.pid)
                self.lines.append(dict(zip(self.fields, line.rstrip("\n").split(SEP))))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_for(self, pred, what, poke=None):
        """Waits until an event satisfies pred; `poke` is repeated meanwhile
        (for the start marker, which is lost while the probe attaches)."""
        deadline = time.monotonic() + WAIT_S
        with self.cond:
            while True:
                for ev in self.lines:
                    if pred(ev):
                        return ev
                if self.proc.poll() is not None and not self.reader.is_alive():
                    raise AssertionError("harrier-inspect ended (rc %s) before %s: %s" %
                                         (self.proc.returncode, what, self.proc.stderr.read()))
                if time.monotonic() > deadline:
                    raise AssertionError("no event for %s within %.0f s" % (what, WAIT_S))
                if poke:
                    self.cond.release()
                    try:
                        poke()
                    finally:
                        self.cond.acquire()
                self.cond.wait(0.05)

    def marker(self):
        """Opens a unique missing path and waits for its openat event."""
        self.marker_seq += 1
        path = "/nonexistent-harrier-live-marker-%d-%d" % (os.getpid(), self.marker_seq)

        def poke():
            try:
                os.open(path, os.O_RDONLY)
            except OSError:
                pass
        return self.wait_for(lambda ev: ev.get("evt.type") == "openat" and path in ev.get("evt.args", ""),
                             "marker " + path, poke=poke)

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        rc = self.proc.wait(timeout=WAIT_S)
        self.reader.join(timeout=WAIT_S)
        err = self.proc.stderr.read()
        assert rc == 0, "harrier-inspect exited %d: %s" % (rc, err)
        return self.lines


def cpu_seconds(pid):
    """User + system CPU time a process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start(ctx, fields, extra_filter=None):
    cap = LiveCapture(ctx, ["evt.type", "evt.args"] + fields, extra_filter)
    try:
        cap.marker()
    except BaseException:
        cap.proc.kill()
        raise
    return cap


def test_live_exec_with_arguments(ctx):
    cap = start(ctx, ["proc.name", "proc.args", "proc.pname", "proc.exepath", "proc.cmdline"])
    try:
        subprocess.run(["/bin/sh", "-c", "exec /bin/echo harrier-arg-one 'two words' >/dev/null"], check=True)
        ev = cap.wait_for(lambda e: e["evt.type"] == "execve" and e["proc.name"] == "echo", "exec of echo")
    finally:
        cap.stop()
    assert ev["proc.args"] == "harrier-arg-one two words", ev
    # the kernel's path of the executable (trusted_exepath), links resolved, as newest Falco shows it
    assert ev["proc.exepath"] == os.path.realpath("/bin/echo"), ev
    # sh exec'd echo in place: its parent is this python process
    assert ev["proc.pname"] in ("python3", os.path.basename(os.readlink("/proc/self/exe"))), ev


def test_live_open_relative_path_is_absolute(ctx):
    d = os.path.join(ctx.tmp, "live-open")
    os.makedirs(d, exist_ok=True)
    cap = start(ctx, ["fd.name", "proc.name", "evt.rawres"])
    name = "rel-%d.txt" % os.getpid()
    try:
        old = os.getcwd()
        os.chdir(d)
        try:
            fd = os.open(name, os.O_CREAT | os.O_WRONLY, 0o644)   # openat(AT_FDCWD, relative)
            os.write(fd, b"x")
            os.close(fd)
            dfd = os.open(d, os.O_RDONLY)
            fd = os.open(name, os.O_RDONLY, dir_fd=dfd)            # openat(dirfd, relative)
            os.close(fd)
            os.close(dfd)
        finally:
            os.chdir(old)
        full = os.path.join(d, name)
        evs = []
        cap.wait_for(lambda e: e["evt.type"] == "openat" and e["fd.name"] == full and
                     "O_RDONLY" in e["evt.args"] and "dirfd=-100" not in e["evt.args"],
                     "openat with a dirfd")
    finally:
        evs = cap.stop()
    opens = [e for e in evs if e["evt.type"] == "openat" and name in e["evt.args"]]
    assert len(opens) == 2, opens
    for e in opens:
        assert e["fd.name"] == full, e
        assert int(e["evt.rawres"]) >= 0, e
    assert "O_CREAT" in opens[0]["evt.args"] and "dirfd=-100(AT_FDCWD)" in opens[0]["evt.args"], opens[0]
    writes = [e for e in evs if e["evt.type"] == "write" and e["fd.name"] == full]
    assert writes and "data=x" in writes[0]["evt.args"], writes


def test_live_tcp_connect_on_loopback(ctx):
    cap = start(ctx, ["fd.name", "fd.sip", "fd.sport", "fd.cip", "fd.cport", "fd.l4proto"],
                "evt.type in (connect, accept, accept4, openat)")
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    sport = srv.getsockname()[1]
    cli = socket.create_connection(("127.0.0.1", sport))
    cport = cli.getsockname()[1]
    conn, _ = srv.accept()
    for s in (conn, cli, srv):
        s.close()
    try:
        con = cap.wait_for(lambda e: e["evt.type"] == "connect" and e["fd.sport"] == str(sport), "connect")
        acc = cap.wait_for(lambda e: e["evt.type"] in ("accept", "accept4") and e["fd.sport"] == str(sport),
                           "accept")
    finally:
        cap.stop()
    for e in (con, acc):
        assert e["fd.sip"] == "127.0.0.1" and e["fd.cip"] == "127.0.0.1", e
        assert e["fd.cport"] == str(cport), e
        assert e["fd.l4proto"] == "tcp", e
        assert e["fd.name"] == "127.0.0.1:%d->127.0.0.1:%d" % (cport, sport), e


def test_live_startup_time(ctx):
    """Launch to the first event printed; the goal is at most 0.5 s (2 s
    for a sanitizer build). On a machine busier than its CPU count (parallel
    test runs) the wall time measures the scheduler, so there the CPU time
    harrier-inspect used until its first event is held to the same bound
    instead (both are printed)."""
    cap = LiveCapture(ctx, ["evt.type", "evt.args"])
    load = os.getloadavg()[0]
    try:
        cap.marker()
        with cap.cond:
            first, cpu = cap.first_line_at, cap.cpu_at_first_line
    finally:
        cap.stop()
    took = first - cap.started
    # the goal is the optimised build's; AddressSanitizer slows the /proc
    # scan several times, so a sanitizer build is held to four times it
    with open(ctx.bin("harrier-inspect"), "rb") as f:
        sanitized = b"__asan_init" in f.read()
    bound = 2.0 if sanitized else 0.5
    print("live start-up: %.3f s wall, %.3f s CPU from launch to the first event (load %.1f, %d CPUs%s)" %
          (took, cpu, load, os.cpu_count(), ", AddressSanitizer build" if sanitized else ""))
    if load < os.cpu_count():
        assert took <= bound, "start-up took %.3f s" % took
    else:
        assert cpu <= bound, "start-up used %.3f s of CPU" % cpu


def test_live_not_root_is_a_clear_error(ctx):
    if os.geteuid() != 0:
        raise AssertionError("the live tests need root")
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ctx.bin("harrier-inspect"),
                        "-M", "1"], capture_output=True, text=True)
    assert r.returncode == 3, (r.returncode, r.stderr)
    assert "needs root" in r.stderr, r.stderr


def _tiny_btf():
    """A valid raw BTF that describes only `int`: none of the kernel types
    the probe reads."""
    import struct
    strings = b"\0int\0"
    types = struct.pack("<IIII", 1, 1 << 24, 4, 32)  # INT "int", 4 bytes, 32 bits
    return struct.pack("<HBBIIIII", 0xeB9F, 1, 0, 24, 0, len(types), len(types), len(strings)) + types + strings


def _live_with_btf(ctx, path):
    env = dict(os.environ, HARRIER_BTF_PATH=path)
    return subprocess.run([ctx.bin("harrier-inspect"), "-M", "1", "evt.type=nothing"], capture_output=True,
                          text=True, env=env, timeout=WAIT_S)


def test_live_missing_or_unreadable_btf_is_exit_4(ctx):
    """No usable BTF (HARRIER_BTF_PATH, as libbpf's btf_custom_path, naming a
    missing or a corrupt file): exit 4 with the reason."""
    junk = os.path.join(ctx.tmp, "junk.btf")
    with open(junk, "wb") as f:
        f.write(b"this is not BTF " * 8)
    for path, why in ((os.path.join(ctx.tmp, "absent.btf"), "No such file or directory"),
                      (junk, "format invalid")):
        r = _live_with_btf(ctx, path)
        assert r.returncode == 4, (path, r.returncode, r.stderr)
        assert "cannot read BTF from %s" % path in r.stderr and why in r.stderr, r.stderr


def test_live_probe_refused_by_the_verifier_is_exit_5(ctx):
    """Kernel types that do not match the probe's (a BTF with only `int`):
    libbpf cannot relocate the probe, the verifier refuses it; exit 5 with
    the verifier's last lines, which name the failed relocation."""
    btf = os.path.join(ctx.tmp, "tiny.btf")
    with open(btf, "wb") as f:
        f.write(_tiny_btf())
    r = _live_with_btf(ctx, btf)
    assert r.returncode == 5, (r.returncode, r.stderr)
    assert "the kernel refused the probe" in r.stderr and "failed to resolve CO-RE relocation" in r.stderr, r.stderr


def bpf_links_attached(pid):
    """How many BPF links the process holds (the probe's programs once attached)."""
    n = 0
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == "anon_inode:bpf_link":
                    n += 1
            except OSError:
                pass
    except OSError:
        pass
    return n


def start_recorder(ctx, out):
    """harrier-inspect recording live to `out` (for at most 60 s), returned
    once its probe programs are attached."""
    rec = subprocess.Popen([ctx.bin("harrier-inspect"), "-M", "60", "-w", out], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + WAIT_S
    while bpf_links_attached(rec.pid) < 3:
        assert rec.poll() is None, "recorder ended: %s" % rec.stderr.read()
        assert time.monotonic() < deadline, "probe not attached within %.0f s" % WAIT_S
        time.sleep(0.02)
    return rec


def test_live_recording_read_by_sysdig(ctx):
    """-w records a real capture: sysdig 0.29.3 reads it and shows the same
    values as Harrier's reader for our actions' events (matched by time and
    thread id, since sysdig skips and does not count ids newer than 2022)."""
    out = os.path.join(ctx.tmp, "live-rec.scap")
    d = os.path.join(ctx.tmp, "live-rec")
    os.makedirs(d, exist_ok=True)
    rec = start_recorder(ctx, out)
    name = "recorded-%d.txt" % os.getpid()
    old = os.getcwd()
    os.chdir(d)
    try:
        fd = os.open(name, os.O_CREAT | os.O_WRONLY, 0o644)
        os.close(fd)
        subprocess.run(["/bin/echo", "rec-arg", "x y"], check=True, stdout=subprocess.DEVNULL)
    finally:
        os.chdir(old)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    cli = socket.create_connection(("127.0.0.1", srv.getsockname()[1]))
    conn, _ = srv.accept()
    for s in (conn, cli, srv):
        s.close()
    rec.send_signal(signal.SIGINT)
    assert rec.wait(timeout=WAIT_S) == 0, rec.stderr.read()

    fields = ["evt.rawtime", "thread.tid", "evt.type", "proc.name", "proc.args", "proc.exepath", "proc.pname",
              "fd.name", "fd.sip", "fd.sport", "fd.cip", "fd.cport", "fd.l4proto"]
    fmt = "*" + SEP.join("%" + f for f in fields)
    flt = "(evt.type=openat and fd.name contains %s) or (evt.type=execve and proc.name=echo) or " \
          "(evt.type in (connect, accept, accept4) and fd.sip=127.0.0.1)" % name
    mine = ctx.inspect("-r", out, "-p", fmt, flt).stdout.decode(errors="replace").splitlines()
    theirs = ctx.sysdig("-r", out, "-p", fmt, flt).stdout.decode(errors="replace").splitlines()

    def by_key(lines):
        return {tuple(l.split(SEP)[:2]): l for l in lines}
    mine_k, theirs_k = by_key(mine), by_key(theirs)
    types = {l.split(SEP)[2] for l in mine}
    assert {"openat", "execve", "connect"} <= types and types & {"accept", "accept4"}, mine
    full = os.path.join(d, name)
    assert any(l.split(SEP)[7] == full for l in mine), mine
    assert any(l.split(SEP)[4] == "rec-arg x y" for l in mine), mine
    for key, line in mine_k.items():
        assert key in theirs_k, "sysdig lacks the event %s:\n%s" % (key, "\n".join(theirs))
        ours, ref = line.split(SEP), theirs_k[key].split(SEP)
        for f, a, b in zip(fields, ours, ref):
            assert a == b, "%s differs: sysdig %r, harrier %r\nsysdig: %s\nharrier: %s" % (f, b, a, ref, ours)
        if ours[2] == "execve":
            assert ours[fields.index("proc.exepath")] == "/bin/echo", ours


def test_live_file_changes_process_and_ids(ctx):
    """rename/unlink/mkdir/symlink/chmod with relative paths, setuid,
    memfd_create, a thread, a fork and a process exit, from a child python."""
    d = os.path.join(ctx.tmp, "live-files")
    os.makedirs(d, exist_ok=True)
    script = r'''
import os, sys, threading, ctypes
os.chdir(sys.argv[1])
open("a.txt", "w").close()
os.rename("a.txt", "b.txt")
os.mkdir("sub")
os.symlink("b.txt", "link")
os.chmod("b.txt", 0o600)
os.unlink("link")
os.memfd_create("harrier-memfd")
t = threading.Thread(target=lambda: open("from-thread.txt", "w").close())
t.start(); t.join()
pid = os.fork()
if pid == 0:
    os._exit(7)
os.waitpid(pid, 0)
os.setuid(65534)
'''
    cap = start(ctx, ["proc.name", "proc.pid", "thread.tid", "fd.name", "evt.rawres", "user.uid"],
                "evt.type in (rename, mkdir, symlink, chmod, unlink, memfd_create, openat, clone, clone3, "
                "procexit, setuid)")
    try:
        child = subprocess.run(["python3", "-c", script, d], check=True)
        cap.wait_for(lambda e: e["evt.type"] == "setuid", "setuid of the child")
    finally:
        evs = cap.stop()

    def one(pred, what):
        got = [e for e in evs if pred(e)]
        assert got, "no %s event in:\n%s" % (what, "\n".join(map(str, evs[-40:])))
        return got[0]
    ren = one(lambda e: e["evt.type"] == "rename", "rename")
    assert "oldpath=a.txt" in ren["evt.args"] and "newpath=b.txt" in ren["evt.args"], ren
    assert ren["evt.rawres"] == "0", ren
    assert "path=sub" in one(lambda e: e["evt.type"] == "mkdir", "mkdir")["evt.args"]
    sym = one(lambda e: e["evt.type"] == "symlink", "symlink")
    assert "target=b.txt" in sym["evt.args"] and "linkpath=link" in sym["evt.args"], sym
    chm = one(lambda e: e["evt.type"] == "chmod", "chmod")
    assert "filename=b.txt" in chm["evt.args"] and "mode=0600" in chm["evt.args"], chm
    assert "path=link" in one(lambda e: e["evt.type"] == "unlink", "unlink")["evt.args"]
    mfd = one(lambda e: e["evt.type"] == "memfd_create", "memfd_create")
    assert "name=harrier-memfd" in mfd["evt.args"], mfd
    # the thread's open: another tid in the same process, path made absolute
    th = one(lambda e: e["evt.type"] == "openat" and e["fd.name"].endswith("from-thread.txt"), "thread's openat")
    assert th["fd.name"] == os.path.join(d, "from-thread.txt"), th
    assert th["thread.tid"] != th["proc.pid"], th
    # fork: the parent's clone returns the child's pid, the child exits with 7
    forks = [e for e in evs if e["evt.type"] in ("clone", "clone3") and e["proc.name"] == "python3"]
    child_pids = {e["evt.rawres"] for e in forks if int(e["evt.rawres"]) > 0}
    assert any(e["thread.tid"] in child_pids and e["evt.rawres"] == "0" for e in forks), forks
    exits = [e for e in evs if e["evt.type"] == "procexit" and e["thread.tid"] in child_pids and
             e["thread.tid"] == e["proc.pid"]]
    assert exits and "status=1792" in exits[0]["evt.args"], exits  # exit code 7 << 8
    su = one(lambda e: e["evt.type"] == "setuid", "setuid")
    # the exit carries the uid (the 2022 layout printed by evt.args has it in the enter only)
    assert su["user.uid"] == "65534" and su["evt.rawres"] == "0", su


def test_live_process_started_before_has_proc_scan_fields(ctx):
    """A process running before the capture starts gets its fields and open
    files from the /proc scan."""
    path = os.path.join(ctx.tmp, "opened-before.txt")
    # one line: the output is one line per event, and args are printed whole
    script = ("import sys; f = open(sys.argv[1], 'w'); print('ready', flush=True); sys.stdin.readline(); "
              "f.write('late'); f.flush()")
    proc = subprocess.Popen(["python3", "-c", script, path, "scan-marker-arg"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=ctx.tmp)
    try:
        assert proc.stdout.readline() == "ready\n"
        exe_ino = os.stat("/proc/%d/exe" % proc.pid).st_ino
        with open("/proc/%d/status" % proc.pid) as f:
            cap_eff = int([l.split()[1] for l in f if l.startswith("CapEff:")][0], 16)
        cap = start(ctx, ["proc.name", "proc.args", "proc.cwd", "proc.pname", "fd.name", "fd.num", "proc.exe_ino",
                          "thread.cap_effective", "proc.is_exe_writable", "proc.vpid", "proc.pid",
                          "container.id", "proc.pidns_init_start_ts"],
                    "evt.type in (write, openat)")
        try:
            proc.stdin.write("go\n")
            proc.stdin.flush()
            ev = cap.wait_for(lambda e: e["evt.type"] == "write" and "data=late" in e["evt.args"],
                              "write of the earlier process")
        finally:
            cap.stop()
    finally:
        proc.stdin.close()
        proc.wait(timeout=WAIT_S)
    assert ev["proc.name"] == "python3", ev
    assert ev["proc.args"].endswith("scan-marker-arg"), ev
    assert ev["proc.cwd"] == ctx.tmp.rstrip("/") + "/", ev
    assert ev["fd.name"] == path, ev
    # the executable, capabilities and namespaces as /proc gives them
    assert ev["proc.exe_ino"] == str(exe_ino), ev
    caps = ev["thread.cap_effective"].split()
    assert cap_eff and len(caps) == bin(cap_eff).count("1") and "CAP_SYS_ADMIN" in caps, (ev, hex(cap_eff))
    assert ev["proc.is_exe_writable"] == "true", ev     # root may write any executable
    assert ev["proc.vpid"] == ev["proc.pid"] == str(proc.pid), ev
    assert ev["container.id"] == "host", ev
    assert int(ev["proc.pidns_init_start_ts"]) > 0, ev


def test_live_udp_sendto_recvfrom_on_loopback(ctx):
    """An unconnected UDP socket: sendto names the destination, recvfrom
    gets the sender; bind and the tuples give fd.sip/sport/cip/cport."""
    cap = start(ctx, ["fd.sip", "fd.sport", "fd.cip", "fd.cport", "fd.l4proto", "evt.rawres"],
                "evt.type in (sendto, recvfrom, bind, openat)")
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    rport = rx.getsockname()[1]
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.sendto(b"harrier-udp", ("127.0.0.1", rport))
    tport = tx.getsockname()[1]
    data, _ = rx.recvfrom(100)
    assert data == b"harrier-udp"
    tx.close()
    rx.close()
    try:
        snd = cap.wait_for(lambda e: e["evt.type"] == "sendto" and "harrier-udp" in e["evt.args"], "sendto")
        rcv = cap.wait_for(lambda e: e["evt.type"] == "recvfrom" and "harrier-udp" in e["evt.args"], "recvfrom")
        bnd = cap.wait_for(lambda e: e["evt.type"] == "bind" and "addr=127.0.0.1:0 " in e["evt.args"], "bind")
    finally:
        cap.stop()
    assert bnd["evt.rawres"] == "0", bnd  # the address as passed: port 0 asks for any port
    for e in (snd, rcv):
        assert e["fd.l4proto"] == "udp", e
        assert e["evt.rawres"] == str(len(b"harrier-udp")), e
    # the sender's socket is unbound: the kernel's local address is 0.0.0.0
    assert (snd["fd.cip"], snd["fd.cport"], snd["fd.sip"], snd["fd.sport"]) == \
        ("0.0.0.0", str(tport), "127.0.0.1", str(rport)), snd
    assert (rcv["fd.cip"], rcv["fd.cport"], rcv["fd.sip"], rcv["fd.sport"]) == \
        ("127.0.0.1", str(tport), "127.0.0.1", str(rport)), rcv


# The actions of the recorded-everything test, run by a child python from a
# file (its command line selects the events compared). argv: --wait workdir.
ACTIONS_SCRIPT = r'''
import ctypes, os, signal, socket, sys, threading, time
if sys.argv[1] == "--wait":
    # exec again once the parent has returned from its fork: 2022's libsinsp
    # (and so Harrier's reader) builds a child from its parent's clone exit,
    # which a fast child can precede with its first exec
    sys.stdin.readline()
    os.execv(sys.executable, [sys.executable, sys.argv[0], sys.argv[2]])
libc = ctypes.CDLL(None, use_errno=True)
os.chdir(sys.argv[1])
open("a.txt", "w").close()
os.rename("a.txt", "b.txt")
os.mkdir("sub")
os.symlink("b.txt", "link")
os.chmod("b.txt", 0o600)
os.unlink("link")
os.link("b.txt", "hard")
os.memfd_create("harrier-rec-memfd")
t = threading.Thread(target=lambda: open("from-thread.txt", "w").close())
t.start(); t.join()
# a traced child: attach, wait for its stop, detach; it then exits with 3
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(w)
    os.read(r, 1)
    os._exit(3)
assert libc.ptrace(16, pid, 0, 0) == 0, ctypes.get_errno()   # PTRACE_ATTACH
os.waitpid(pid, 0)
libc.ptrace(17, pid, 0, 0)                                    # PTRACE_DETACH
os.write(w, b"x")
os.waitpid(pid, 0)
# UDP on loopback: bind, sendto, recvfrom
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("127.0.0.1", 0))
tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
tx.sendto(b"harrier-rec-udp", rx.getsockname())
rx.recvfrom(100)
# TCP on loopback
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
cli = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
for s in (conn, cli, srv, tx, rx):
    s.close()
os.setuid(65534)
'''

# Fields compared between Harrier's reader and sysdig 0.29.3 on the recording.
COMPARED = ["evt.rawtime", "thread.tid", "evt.dir", "evt.type", "proc.pid", "proc.name", "proc.args", "proc.pname",
            "proc.exepath", "fd.name", "fd.sip", "fd.sport", "fd.cip", "fd.cport", "fd.l4proto", "evt.rawres",
            "user.uid"]
RECORDED_TYPES = ("openat", "execve", "clone", "clone3", "procexit", "rename", "mkdir", "symlink", "chmod",
                  "unlink", "link", "linkat", "setuid", "ptrace", "bind", "sendto", "recvfrom", "connect", "accept",
                  "accept4")


def test_live_recording_of_every_action_read_by_sysdig(ctx):
    """-w while a child does file changes (a hard link too), memfd_create, a thread, a traced
    fork that exits, UDP and TCP on loopback and setuid: sysdig 0.29.3 and
    Harrier's reader show the same values for the events of the child's
    tree (matched by time, thread and direction). memfd_create has no 2022
    id: it is recorded as a generic syscall pair, checked against Harrier's
    own expectation (exempt from the comparison, spec section 13)."""
    out = os.path.join(ctx.tmp, "live-rec-all.scap")
    d = os.path.join(ctx.tmp, "live-rec-all")
    os.makedirs(d, exist_ok=True)
    rec = start_recorder(ctx, out)
    script = os.path.join(ctx.tmp, "harrier-rec-memfd-actions.py")  # (one line of proc.args)
    with open(script, "w") as f:
        f.write(ACTIONS_SCRIPT)
    try:
        child = subprocess.Popen(["python3", script, "--wait", d], stdin=subprocess.PIPE)
        child.communicate(b"go\n", timeout=WAIT_S)
        assert child.returncode == 0, child.returncode
    finally:
        rec.send_signal(signal.SIGINT)
        rc = rec.wait(timeout=WAIT_S)
        err = rec.stderr.read()
    assert rc == 0, err
    # a lost event would make the comparison below meaningless
    assert "lost" not in err, err

    fmt = "*" + SEP.join("%" + f for f in COMPARED)
    flt = "proc.cmdline contains harrier-rec-memfd and evt.type in (%s)" % ", ".join(RECORDED_TYPES)
    mine = ctx.inspect("-r", out, "-p", fmt, flt).stdout.decode(errors="replace").splitlines()
    theirs = ctx.sysdig("-r", out, "-p", fmt, flt).stdout.decode(errors="replace").splitlines()

    def rows(lines):
        return {(r["evt.rawtime"], r["thread.tid"], r["evt.dir"]): r
                for r in (dict(zip(COMPARED, l.split(SEP))) for l in lines)}
    mine_r, theirs_r = rows(mine), rows(theirs)
    types = {r["evt.type"] for r in mine_r.values()}
    want = {"openat", "clone", "procexit", "rename", "mkdir", "symlink", "chmod", "unlink", "setuid", "ptrace",
            "bind", "sendto", "recvfrom", "connect"}
    assert want <= types and types & {"accept", "accept4"} and types & {"link", "linkat"}, \
        "missing %s in:\n%s" % (want - types, "\n".join(mine))
    for key, r in mine_r.items():
        assert key in theirs_r, "sysdig lacks the event %s %s" % (key, r)
        ref = theirs_r[key]
        for f in COMPARED:
            if f == "user.uid" and ref[f] == "4294967295":
                # Deviation: 2022's libsinsp ignores a child's own clone exit
                # (outside containers) and waits for its parent's, which a
                # child scheduled first (or a vfork child's exec) precedes: it
                # knows no uid for the child until then. Harrier takes the uid
                # from the child's clone exit, and execve's newer layout appends
                # one (we run as root).
                assert r[f] == str(os.geteuid()), r
                continue
            assert r[f] == ref[f], "%s differs on %s %s: sysdig %r, harrier %r\nsysdig: %s\nharrier: %s" % (
                f, key, r["evt.type"], ref[f], r[f], ref, r)
    assert len(mine_r) == len(theirs_r), "sysdig shows %d events, harrier %d" % (len(theirs_r), len(mine_r))

    # what the events say, on top of agreeing
    exits = [r for r in mine_r.values() if r["evt.dir"] == "<"]

    def one(pred, what):
        got = [r for r in exits if pred(r)]
        assert got, "no %s in:\n%s" % (what, "\n".join(map(str, exits[-30:])))
        return got[0]
    assert one(lambda r: r["evt.type"] == "ptrace", "ptrace")["evt.rawres"] == "0"
    thread_open = one(lambda r: r["evt.type"] == "openat" and r["fd.name"].endswith("from-thread.txt"),
                      "the thread's openat")
    assert thread_open["thread.tid"] != thread_open["proc.pid"], thread_open
    assert thread_open["fd.name"] == os.path.join(d, "from-thread.txt"), thread_open
    forked = one(lambda r: r["evt.type"] == "clone" and r["evt.rawres"] == "0" and
                 r["thread.tid"] == r["proc.pid"], "the fork's child clone")
    assert any(r["evt.type"] == "procexit" and r["thread.tid"] == forked["thread.tid"] for r in mine_r.values()), \
        "no procexit of the forked child %s" % forked["thread.tid"]
    snd = one(lambda r: r["evt.type"] == "sendto", "sendto")
    assert snd["fd.l4proto"] == "udp" and snd["fd.sip"] == "127.0.0.1", snd
    assert one(lambda r: r["evt.type"] == "setuid", "setuid")["user.uid"] == "65534"

    # memfd_create: a generic pair of the child's thread, nothing else in between
    # (2022 has no PPM_SC code for memfd_create: ID 0, shown <unknown>; the
    # enter's nativeID is the x86_64 syscall number, 319)
    gen = ctx.inspect("-r", out, "-p", "*%evt.dir %evt.type %evt.arg.nativeID",
                      "proc.cmdline contains harrier-rec-memfd and evt.arg.nativeID=319")
    lines = gen.stdout.decode(errors="replace").splitlines()
    assert lines == ["> <unknown> 319"], lines
    pair = ctx.inspect("-r", out, "-p", "*%evt.dir %evt.type %evt.rawtime",
                       "proc.cmdline contains harrier-rec-memfd and evt.type=<unknown>").stdout.decode().splitlines()
    enter_at = [l.split()[2] for l in pair if l.startswith(">")]
    assert any(l == "< <unknown> " + t for l in pair for t in enter_at), pair



PTRACE_SCRIPT = r'''
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.read(r, 1)
    os._exit(0)
assert libc.ptrace(16, pid, 0, 0) == 0, ctypes.get_errno()   # PTRACE_ATTACH
os.waitpid(pid, 0)
libc.ptrace(17, pid, 0, 0)                                    # PTRACE_DETACH
os.write(w, b"x")
os.waitpid(pid, 0)
print(pid, os.getpid(), flush=True)
'''


def test_live_ptrace_attach_recorded(ctx):
    """ptrace(PTRACE_ATTACH) and PTRACE_DETACH of a child, recorded with -w:
    the request by name and the target's pid (in the 2022 enter event built
    from the probe's exit), the result; sysdig 0.29.3 reads the same."""
    out = os.path.join(ctx.tmp, "live-ptrace.scap")
    rec = start_recorder(ctx, out)
    try:
        target, tracer = subprocess.run(["python3", "-c", PTRACE_SCRIPT], check=True, capture_output=True,
                                        text=True).stdout.split()
    finally:
        rec.send_signal(signal.SIGINT)
        rc = rec.wait(timeout=WAIT_S)
    assert rc == 0, rec.stderr.read()
    fmt = "*%evt.rawtime %thread.tid %evt.dir %evt.rawres %evt.arg.request %evt.args"
    flt = "evt.type=ptrace and thread.tid=%s" % tracer
    mine = ctx.inspect("-r", out, "-p", fmt, flt).stdout.decode().splitlines()
    theirs = ctx.sysdig("-r", out, "-p", fmt, flt).stdout.decode().splitlines()
    assert mine == theirs, "harrier:\n%s\nsysdig:\n%s" % ("\n".join(mine), "\n".join(theirs))
    enters = [l.split(" ", 5)[4:] for l in mine if l.split()[2] == ">"]
    for request in ("PTRACE_ATTACH", "PTRACE_DETACH"):
        assert any(r == request and args.startswith("request=") and " pid=%s(" % target in args
                   for r, args in enters), (request, mine)
    assert len(mine) == 4 and all(l.split()[3] == "0" for l in mine if l.split()[2] == "<"), mine


def test_live_ptrace_request_on_the_exit(ctx):
    """Live (no recording), the probe's ptrace exit carries request and pid
    (the newest layout), and fields see them as Falco 0.44 does: the rules'
    evt.arg.request works on the exit."""
    cap = start(ctx, ["evt.num", "evt.rawres", "evt.arg.request", "evt.rawarg.pid", "evt.arg.pid"],
                "evt.type in (ptrace, openat)")
    try:
        target = subprocess.run(["python3", "-c", PTRACE_SCRIPT], check=True, capture_output=True,
                                text=True).stdout.split()[0]
        att = cap.wait_for(lambda e: e["evt.type"] == "ptrace" and e["evt.arg.request"] == "PTRACE_ATTACH",
                           "attach")
    finally:
        cap.stop()
    # evt.arg of a PT_PID is the process it names, evt.rawarg the number
    assert att["evt.rawarg.pid"] == target and att["evt.arg.pid"] == "python3" and att["evt.rawres"] == "0", att
    assert " request=11(PTRACE_ATTACH) pid=%s(python3) " % target in " " + att["evt.args"], att
    # live events are numbered from 1 in the order read, as sysdig numbers them live
    nums = [int(e["evt.num"]) for e in cap.lines]
    assert nums[0] >= 1 and all(a < b for a, b in zip(nums, nums[1:])), nums


def _open_missing_as(path, ids=None):
    """Runs cat on a missing path, as root or (ids) as another uid and gid."""
    cmd = ["/bin/cat", path]
    if ids:
        cmd = ["setpriv", "--reuid=%d" % ids, "--regid=%d" % ids, "--clear-groups"] + cmd
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


OTHER_ID = 65534  # nobody/nogroup on Debian


def test_live_user_and_group_names(ctx):
    """Live user.name/group.name (with home and shell) come from the host's
    user list, read at start: a process running as root and one running as
    another uid and gid."""
    other, other_group = pwd.getpwuid(OTHER_ID), grp.getgrgid(OTHER_ID)
    cap = start(ctx, ["user.uid", "user.name", "user.homedir", "user.shell", "group.gid", "group.name"],
                "evt.type=openat")
    base = "/nonexistent-harrier-user-%d-" % os.getpid()
    try:
        _open_missing_as(base + "root")
        _open_missing_as(base + "other", OTHER_ID)
        as_root = cap.wait_for(lambda e: base + "root" in e["evt.args"], "open as root")
        as_other = cap.wait_for(lambda e: base + "other" in e["evt.args"], "open as uid %d" % OTHER_ID)
    finally:
        cap.stop()
    root = pwd.getpwuid(0)
    assert (as_root["user.uid"], as_root["user.name"], as_root["user.homedir"], as_root["user.shell"],
            as_root["group.gid"], as_root["group.name"]) == \
        ("0", root.pw_name, root.pw_dir, root.pw_shell, "0", grp.getgrgid(0).gr_name), as_root
    assert (as_other["user.uid"], as_other["user.name"], as_other["user.homedir"], as_other["user.shell"],
            as_other["group.gid"], as_other["group.name"]) == \
        (str(OTHER_ID), other.pw_name, other.pw_dir, other.pw_shell, str(OTHER_ID), other_group.gr_name), as_other


def test_live_recording_carries_the_user_list(ctx):
    """-w writes the host's users and groups into the recording: sysdig
    0.29.3 reads the names back for events of root and of another uid."""
    out = os.path.join(ctx.tmp, "live-users.scap")
    base = "/nonexistent-harrier-recuser-%d-" % os.getpid()
    rec = start_recorder(ctx, out)
    try:
        _open_missing_as(base + "root")
        _open_missing_as(base + "other", OTHER_ID)
    finally:
        rec.send_signal(signal.SIGINT)
        rc = rec.wait(timeout=WAIT_S)
    assert rc == 0, rec.stderr.read()
    flt = "evt.type=openat and evt.dir=< and fd.name startswith %s" % base
    fmt = "*%fd.name %user.uid %user.name %group.name"
    theirs = sorted(set(ctx.sysdig("-r", out, "-p", fmt, flt).stdout.decode().split("\n")) - {""})
    mine = sorted(set(ctx.inspect("-r", out, "-p", fmt, flt).stdout.decode().split("\n")) - {""})
    expected = ["%sother %d %s %s" % (base, OTHER_ID, pwd.getpwuid(OTHER_ID).pw_name, grp.getgrgid(OTHER_ID).gr_name),
                "%sroot 0 %s %s" % (base, pwd.getpwuid(0).pw_name, grp.getgrgid(0).gr_name)]
    assert theirs == expected, theirs
    assert mine == expected, mine


PENDING_TESTS = {}


def test_live_exec_carries_cwd_cgroups_and_exe_facts(ctx):
    """The probe's execve exit: cwd (made from the kernel's dentries, across
    mounts), cgroups as /proc shows them, the executable's inode and flags,
    its kernel path; and an exec from a memfd is flagged as such."""
    d = os.path.join(ctx.tmp, "live-exec", "deeper")
    os.makedirs(d, exist_ok=True)
    prog = os.path.join(ctx.tmp, "live-exec", "harrier-true")
    shutil.copy("/bin/true", prog)
    from_memfd = ("import os; fd = os.memfd_create('harrier-memexe'); "
                  "os.write(fd, open('/bin/true', 'rb').read()); os.execv('/proc/self/fd/%d' % fd, ['memexe'])")
    cap = start(ctx, ["proc.name", "proc.exepath", "proc.exe_ino", "proc.is_exe_writable",
                      "proc.is_exe_from_memfd", "evt.rawres", "thread.cgroups"], "evt.type in (execve, openat)")
    try:
        subprocess.run([prog], cwd=d, check=True)
        subprocess.run(["python3", "-c", from_memfd], check=True)
        ev = cap.wait_for(lambda e: e["evt.type"] == "execve" and e["proc.name"] == "harrier-true", "exec")
        mem = cap.wait_for(lambda e: e["evt.type"] == "execve" and e["proc.is_exe_from_memfd"] == "true",
                           "exec from a memfd")
    finally:
        cap.stop()
    assert " cwd=%s " % d in ev["evt.args"], ev
    with open("/proc/self/cgroup") as f:
        mine = [l.strip().split(":", 2) for l in f]
    # the child is in our cgroups: every v1 controller's (named hierarchies
    # such as name=systemd have no controller, and the probe lists controllers)
    v1 = {"%s=%s" % (ctrl, path) for _, ctrls, path in mine if ctrls
          for ctrl in ctrls.split(",") if not ctrl.startswith("name=")}
    assert v1 and v1 <= set(ev["thread.cgroups"].split()), (v1, ev["thread.cgroups"])
    assert ev["proc.exepath"] == prog and ev["proc.exe_ino"] == str(os.stat(prog).st_ino), ev
    assert ev["proc.is_exe_writable"] == "true" and ev["proc.is_exe_from_memfd"] == "false", ev
    assert ev["evt.rawres"] == "0", ev
    assert mem["proc.exepath"].startswith("/memfd:harrier-memexe"), mem


def _recording_shows(ctx, extra_args, key, decode):
    """Seconds until `harrier-inspect -w - [extra_args] FILTER`, limited to
    this process, hands the event of an open of `key` to its pipe."""
    me = os.getpid()
    rec = subprocess.Popen([ctx.bin("harrier-inspect"), "-M", "60", "-w", "-"] + extra_args +
                           ["proc.pid=%d" % me], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = bytearray()
    seen = threading.Event()

    def read():
        dec = decode()
        while True:
            chunk = rec.stdout.read1(1 << 16)
            if not chunk:
                break
            got.extend(dec(chunk))
            if key in got:
                seen.set()

    t = threading.Thread(target=read, daemon=True)
    t.start()
    try:
        start = time.monotonic()
        # the probe attaches meanwhile: repeat the open until it is recorded
        while not seen.wait(0.05):
            assert rec.poll() is None, "recorder ended: %s" % rec.stderr.read().decode(errors="replace")
            assert time.monotonic() - start < WAIT_S, (
                "the recording had not delivered the open of %s after %.0f s" % (key.decode(), WAIT_S))
            try:
                os.open(key.decode(), os.O_RDONLY)
            except OSError:
                pass
        return time.monotonic() - start
    finally:
        rec.send_signal(signal.SIGINT)
        rec.wait(timeout=WAIT_S)
        t.join(timeout=WAIT_S)


def test_live_recording_to_a_pipe_is_prompt(ctx):
    """A live `-w -` hands events to its reader while they happen, even when
    the machine is quiet and the filter keeps a few events per second (its
    write buffer is flushed when the rings run empty): a reader of the pipe
    must see an action within seconds, not when 256 KiB have piled up."""
    import zlib
    key = ("/nonexistent-harrier-pipe-%d" % os.getpid()).encode()
    plain = _recording_shows(ctx, [], key, lambda: (lambda b: b))
    assert plain < 10, plain

    def gunzip():
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return d.decompress
    key = ("/nonexistent-harrier-pipe-z-%d" % os.getpid()).encode()
    packed = _recording_shows(ctx, ["-z"], key, gunzip)
    assert packed < 10, packed


def test_live_filter_on_a_generic_syscall(ctx):
    """A filter naming a syscall without an event of its own narrows the
    probe's generic events to that syscall (want_syscall): the named one
    must still arrive, with its name as evt.type."""
    cap = start(ctx, ["proc.name"], extra_filter="evt.type in (openat, sched_yield)")
    try:
        ev = cap.wait_for(lambda e: e["evt.type"] == "sched_yield", "sched_yield", poke=os.sched_yield)
    finally:
        lines = cap.stop()
    assert ev["proc.name"] in ("python3", os.path.basename(os.readlink("/proc/self/exe"))), ev
    assert {e["evt.type"] for e in lines} <= {"openat", "sched_yield"}, lines
