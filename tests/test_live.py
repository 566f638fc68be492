"""Live capture (eBPF): harrier-inspect without -r records this machine.

Each test starts a live harrier-inspect limited to the test's own process
tree, waits until a marker syscall of the test shows up in its output (so the
probe is attached), performs real actions, waits until their events have been
printed, then stops the capture with SIGINT and checks events and fields.
Needs root, like the capture itself; without it the tests fail.
"""
import os
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
    assert ev["proc.exepath"] == "/bin/echo", ev
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
    """Launch to the first event printed, the goal is at most 0.5 s."""
    cap = LiveCapture(ctx, ["evt.type", "evt.args"])
    try:
        cap.marker()
        with cap.cond:
            first = cap.first_line_at
    finally:
        cap.stop()
    took = first - cap.started
    print("live start-up: %.3f s from launch to the first event" % took)
    assert took <= 0.5, "start-up took %.3f s" % took


def test_live_not_root_is_a_clear_error(ctx):
    if os.geteuid() != 0:
        raise AssertionError("the live tests need root")
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ctx.bin("harrier-inspect"),
                        "-M", "1"], capture_output=True, text=True)
    assert r.returncode == 3, (r.returncode, r.stderr)
    assert "needs root" in r.stderr, r.stderr
