"""The detector live: `build/harrier` without -e loads the rules, starts the
eBPF probe and alerts on this machine's real activity.

Each test starts harrier with a small rules file, repeats a real action
until its alert arrives (events are lost while the probe attaches, so the
action is repeated, and the test waits on the alert, never on a sleep
alone), checks the alert's JSON fields, and stops harrier with a signal or
-M, checking the end-of-run summary. Needs root, like the probe.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from test_live import cpu_seconds

PENDING_TESTS = {}

WAIT_S = 20.0
DROP_RULE = "Falco internal: syscall event drop"


class Detector:
    """A running `harrier -r RULES -o json_output=true ...`, its stdout lines
    collected as they come."""

    def __init__(self, ctx, rules_text, *options, config=None):
        """`rules_text` is written to a rules file given with -r; None uses
        the configuration's rules (`config`, else the checkout's default)."""
        self.args = [ctx.bin("harrier"), "-o", "json_output=true", *options]
        if rules_text is not None:
            self.rules = os.path.join(ctx.tmp, "live-rules-%d.yaml" % id(self))
            with open(self.rules, "w") as f:
                f.write(rules_text)
            self.args += ["-r", self.rules]
        self.args += ["-c", config or os.path.join(ctx.root, "config", "harrier.yaml")]
        self.started = time.monotonic()
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     errors="replace")
        self.lines = []
        self.cpu_at_first_line = None
        self.stderr = ""
        self.cond = threading.Condition()
        self.readers = [threading.Thread(target=self._read_out, daemon=True),
                        threading.Thread(target=self._read_err, daemon=True)]
        for t in self.readers:
            t.start()

    def _read_out(self):
        for line in self.proc.stdout:
            with self.cond:
                if not self.lines:
                    self.cpu_at_first_line = cpu_seconds(self.proc.pid)
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def _read_err(self):
        for line in self.proc.stderr:
            with self.cond:
                self.stderr += line

    def alerts(self):
        out = []
        for line in self.lines:
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def wait_alert(self, pred, what, poke=None):
        """Waits until an alert satisfies pred, repeating `poke` meanwhile."""
        deadline = time.monotonic() + WAIT_S
        while True:
            with self.cond:
                for a in self.alerts():
                    if pred(a):
                        return a
                if self.proc.poll() is not None:
                    raise AssertionError("harrier ended (rc %s) before %s: %s" %
                                         (self.proc.returncode, what, self.stderr[-2000:]))
            if time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError("no alert for %s within %.0f s; stderr: %s" % (what, WAIT_S, self.stderr[-2000:]))
            if poke:
                poke()
            with self.cond:
                self.cond.wait(0.05)

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        return self.wait_exit()

    def wait_exit(self, timeout=WAIT_S):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("harrier did not exit within %.0f s" % timeout)
        for t in self.readers:
            t.join(timeout=WAIT_S)
        return rc

    def stdout_text(self):
        return "\n".join(self.lines) + "\n"


def summary_counts(text):
    """Falco's end-of-run summary: (events detected, {rule: count})."""
    lines = text.splitlines()
    detected = [int(l.split(":")[1]) for l in lines if l.startswith("Events detected:")]
    assert len(detected) == 1, "no summary in:\n" + text[-2000:]
    rules = {}
    if "Triggered rules by rule name:" in lines:
        for l in lines[lines.index("Triggered rules by rule name:") + 1:]:
            if l.startswith("   "):
                name, n = l.strip().rsplit(": ", 1)
                rules[name] = int(n)
    return detected[0], rules


def rule(name, condition, output, priority="WARNING", tags="[harrier_test]"):
    return ("- rule: %s\n  desc: live test rule\n  condition: %s\n  output: \"%s\"\n  priority: %s\n  tags: %s\n" %
            (name, condition, output, priority, tags))


def test_live_detector_alerts_on_cat_of_a_file_and_stops_on_sigterm(ctx):
    marker = os.path.join(ctx.tmp, "harrier-live-detector-marker-%d" % os.getpid())
    with open(marker, "w") as f:
        f.write("x\n")
    det = Detector(ctx, rule("Marker read", "evt.type in (open, openat, openat2) and fd.name=%s" % marker,
                             "marker read (proc.name=%proc.name proc.cmdline=%proc.cmdline proc.pname=%proc.pname "
                             "fd.name=%fd.name evt.type=%evt.type user.uid=%user.uid proc.exepath=%proc.exepath)"))
    cats = []

    def poke():
        cats.append(subprocess.run(["cat", marker], capture_output=True, check=True))

    try:
        # A cat started while the probe attaches and /proc is scanned can
        # miss both (its process fields are then <NA>, reported to the probe's
        # owner); the fields are checked on the first alert with a known process.
        a = det.wait_alert(lambda a: a.get("rule") == "Marker read" and a["output_fields"]["proc.name"] == "cat",
                           "cat " + marker, poke=poke)
    finally:
        rc = det.stop(signal.SIGTERM)
    assert rc == 0, (rc, det.stderr[-2000:])
    f = a["output_fields"]
    assert a["priority"] == "Warning" and a["source"] == "syscall" and a["tags"] == ["harrier_test"], a
    assert f["proc.name"] == "cat" and f["proc.cmdline"] == "cat " + marker, f
    assert f["fd.name"] == marker and f["evt.type"] in ("open", "openat", "openat2"), f
    assert f["proc.exepath"] in ("/usr/bin/cat", "/bin/cat"), f
    assert f["user.uid"] == 0, f
    me = os.path.basename(os.readlink("/proc/self/exe"))
    assert f["proc.pname"] in (me, "python3"), f
    assert a["output"].endswith("marker read (proc.name=cat proc.cmdline=cat %s proc.pname=%s fd.name=%s evt.type=%s "
                                "user.uid=0 proc.exepath=%s)" % (marker, f["proc.pname"], marker, f["evt.type"],
                                                                f["proc.exepath"])), a["output"]
    # SIGTERM: the summary counts every alert printed
    detected, by_rule = summary_counts(det.stdout_text())
    alerts = [x for x in det.alerts() if x["rule"] == "Marker read"]
    assert detected == len(alerts) and by_rule == {"Marker read": len(alerts)}, (detected, by_rule, len(alerts))
    assert len(alerts) <= len(cats), (len(alerts), len(cats))


def test_live_detector_tcp_connect_on_loopback_and_sigint(ctx):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    port = srv.getsockname()[1]
    det = Detector(ctx, rule("Loopback connect", "evt.type=connect and fd.sport=%d" % port,
                             "connect (fd.name=%fd.name fd.sip=%fd.sip fd.sport=%fd.sport fd.cip=%fd.cip "
                             "fd.cport=%fd.cport fd.l4proto=%fd.l4proto proc.pid=%proc.pid)",
                             priority="NOTICE"))
    clients = []

    def poke():
        c = socket.create_connection(("127.0.0.1", port))
        clients.append((c, c.getsockname()[1]))
        srv.accept()[0].close()

    try:
        a = det.wait_alert(lambda a: a.get("rule") == "Loopback connect", "connect to port %d" % port, poke=poke)
    finally:
        rc = det.stop(signal.SIGINT)
        for c, _ in clients:
            c.close()
        srv.close()
    assert rc == 0, (rc, det.stderr[-2000:])
    f = a["output_fields"]
    cports = {p for _, p in clients}
    assert f["fd.cport"] in cports, (f, cports)
    assert f["fd.sip"] == "127.0.0.1" and f["fd.cip"] == "127.0.0.1" and f["fd.sport"] == port, f
    assert f["fd.l4proto"] == "tcp" and f["proc.pid"] == os.getpid(), f
    assert f["fd.name"] == "127.0.0.1:%d->127.0.0.1:%d" % (f["fd.cport"], port), f
    assert a["priority"] == "Notice", a
    detected, _ = summary_counts(det.stdout_text())
    assert detected >= 1


def test_live_detector_default_config_and_rules(ctx):
    """The shipped configuration and rules, live: reading /etc/shadow with
    cat alerts (evt.num counts live events: the default rules' never-true
    macro is evt.num=0)."""
    det = Detector(ctx, None)
    name = "Sensitive file read by untrusted program"
    try:
        a = det.wait_alert(lambda a: a["rule"] == name and a["output_fields"]["proc.name"] == "cat",
                           "cat /etc/shadow",
                           poke=lambda: subprocess.run(["cat", "/etc/shadow"], capture_output=True, check=True))
    finally:
        rc = det.stop()
    assert rc == 0, det.stderr[-2000:]
    f = a["output_fields"]
    assert f["fd.name"] == "/etc/shadow" and f["proc.cmdline"] == "cat /etc/shadow" and f["user.uid"] == 0, f
    assert a["priority"] == "Warning", a


def test_live_detector_M_stops_with_summary(ctx):
    det = Detector(ctx, rule("Nothing", "evt.type=openat and fd.name=/harrier/never/opened", "never"),
                   "-M", "2", "-v")
    rc = det.wait_exit(timeout=2 + WAIT_S)
    took = time.monotonic() - det.started
    assert rc == 0, (rc, det.stderr[-2000:])
    assert 2.0 <= took < 2 + 5, "harrier -M 2 ran %.1f s" % took
    assert summary_counts(det.stdout_text()) == (0, {}), det.stdout_text()
    # -v: the probe's totals and the events delivered
    assert "Driver Events:" in det.stderr and "Captured Events:" in det.stderr, det.stderr


def captured_during(ctx, condition, output, burst):
    """Runs harrier -v with a rule (`condition`, `output`) besides a marker
    rule, runs `burst` between two markers (so that all its events have been
    judged), and returns harrier's Captured Events count and the rule's
    alerts."""
    marker = os.path.join(ctx.tmp, "interest-marker")
    open(marker, "w").close()
    det = Detector(ctx, rule("Start", "evt.type=openat and fd.name=%s" % marker, "start") +
                   rule("Interest", condition, output), "-v")
    try:
        det.wait_alert(lambda a: a["rule"] == "Start", "start marker", poke=lambda: open(marker).close())
        subprocess.run(burst, check=True, capture_output=True)
        n = len(det.alerts())
        det.wait_alert(lambda a: a["rule"] == "Start" and len(det.alerts()) > n, "end marker",
                       poke=lambda: open(marker).close())
    finally:
        rc = det.stop()
    assert rc == 0, det.stderr[-2000:]
    line = [l for l in det.stderr.splitlines() if "Captured Events:" in l]
    return (int(line[0].split("Captured Events:")[1].split(",")[0]),
            [a for a in det.alerts() if a["rule"] == "Interest"])


def test_live_detector_records_only_what_the_rules_need(ctx):
    """The probe's interest table holds the rules' event types (plus what the
    state needs): with a rule on reads, a burst of reads reaches the
    detector; with a rule on execve only, the same burst does not (the
    syscalls pay an early exit in the kernel)."""
    dd = ["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=20000"]
    with_reads, _ = captured_during(ctx, "evt.type=read and proc.name=harrier-none", "never", dd)
    without, _ = captured_during(ctx, "evt.type=execve and proc.name=harrier-none", "never", dd)
    # dd made 20000 reads and 20000 writes
    assert with_reads >= 20000, with_reads
    assert without < 20000, (without, with_reads)


def test_live_detector_records_only_the_generic_syscalls_the_rules_name(ctx):
    """Syscalls without an event of their own come as generic events named
    after their syscall: the probe records only those whose names the rules'
    evt.type checks can match. With a rule on sched_yield, a burst of
    sched_yield calls reaches the detector and alerts; with a rule on another
    generic syscall only, the same burst does not."""
    burst = [sys.executable, "-c", "import os\nfor _ in range(20000): os.sched_yield()"]
    with open("/proc/self/comm") as f:  # the burst runs the same interpreter
        exe = f.read().strip()
    output = "generic %evt.type by %proc.name"
    named, alerts = captured_during(ctx, "evt.type=sched_yield and proc.name=%s" % exe, output, burst)
    other, none = captured_during(ctx, "evt.type=sched_setparam and proc.name=%s" % exe, output, burst)
    # Nearly all: an event or two of a burst can reach the rings just after
    # the end marker was judged (seen once under load); the gap to the
    # unnarrowed case stays wide.
    assert named >= 20000 and len(alerts) >= 19900, (named, len(alerts))
    assert alerts[0]["output"].endswith("generic sched_yield by %s" % exe), alerts[0]
    assert other < 10000 and not none, (other, none[:1])


def test_live_detector_startup_time(ctx):
    """From launch to the first event delivered (the alert's evt.time, taken
    by the kernel): at most 0.5 s. A background thread opens a marker file
    all the time, so the first event after attaching is alerted on. On a
    machine busier than its CPU count (parallel test runs) the wall time
    measures the scheduler, so there the CPU time harrier used until its
    first alert is held to the same bound instead (both are printed)."""
    marker = os.path.join(ctx.tmp, "startup-marker")
    open(marker, "w").close()
    stop = threading.Event()

    def keep_opening():
        while not stop.is_set():
            open(marker).close()
            time.sleep(0.002)

    opener = threading.Thread(target=keep_opening, daemon=True)
    opener.start()
    load = os.getloadavg()[0]
    try:
        launched = time.time()
        det = Detector(ctx, rule("Marker", "evt.type=openat and fd.name=%s" % marker, "opened (evt.time=%evt.time)"))
        try:
            a = det.wait_alert(lambda a: a["rule"] == "Marker", "the first marker open")
            with det.cond:
                cpu = det.cpu_at_first_line
        finally:
            det.stop()
    finally:
        stop.set()
        opener.join()
    took = a["output_fields"]["evt.time"] / 1e9 - launched
    with open(ctx.bin("harrier"), "rb") as f:
        sanitized = b"__asan_init" in f.read()
    # AddressSanitizer slows the /proc scan several times: four times the goal
    bound = 2.0 if sanitized else 0.5
    print("harrier live start-up: %.3f s wall, %.3f s CPU from launch to the first event (load %.1f, %d CPUs%s)" %
          (took, cpu, load, os.cpu_count(), ", AddressSanitizer build" if sanitized else ""))
    if load < os.cpu_count():
        assert took <= bound, "start-up took %.3f s" % took
    else:
        assert cpu <= bound, "start-up used %.3f s of CPU" % cpu


def drop_options(*actions):
    opts = ["-o", "engine.modern_ebpf.ring_bytes=4096", "-o", "syscall_event_drops.threshold=0",
            "-o", "syscall_event_drops.rate=10", "-o", "syscall_event_drops.max_burst=10"]
    for a in actions:
        opts += ["-o", "syscall_event_drops.actions[]=" + a]
    return opts


READS_RULE = rule("Reads", "evt.type in (read, write) and proc.name=harrier-none", "never", priority="INFO")


def load_burst():
    """Reads and writes far faster than a one-page ring can hold."""
    subprocess.run(["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=200000"], check=True, capture_output=True)


def test_live_detector_drop_alert_on_real_drops(ctx):
    """One page per CPU ring and a burst of reads: the probe's per-CPU drop
    counters move, and syscall_event_drops (log, alert) reports them."""
    det = Detector(ctx, READS_RULE, *drop_options("log", "alert"), "-o", "log_level=debug")
    try:
        a = det.wait_alert(lambda a: a["rule"] == DROP_RULE, "a drop alert", poke=load_burst)
    finally:
        rc = det.stop()
    assert rc == 0, det.stderr[-2000:]
    f = a["output_fields"]
    drops, evts = int(f["n_drops"]), int(f["n_evts"])
    assert drops > 0 and evts >= drops and int(f["n_drops_buffer_total"]) <= drops, f
    assert f["ebpf_enabled"] == "1" and a["priority"] == "Debug" and a["source"] == "internal", a
    assert a["output"] == "Falco internal: syscall event drop. %d system calls dropped in last second." % drops, a
    assert "system calls dropped in last second" in det.stderr, det.stderr[-2000:]  # the log action
    assert "- event drop detected: " in det.stderr and "- num times actions taken: " in det.stderr, det.stderr


def test_live_detector_drop_exit_action(ctx):
    det = Detector(ctx, READS_RULE, *drop_options("exit"))
    deadline = time.monotonic() + WAIT_S
    while det.proc.poll() is None and time.monotonic() < deadline:
        load_burst()
    rc = det.wait_exit()
    assert rc == 1, (rc, det.stderr[-2000:])
    assert "Exiting." in det.stderr and "system calls dropped in last second" in det.stderr, det.stderr[-2000:]
    assert summary_counts(det.stdout_text())[0] == 0


def test_live_detector_drop_rate_limit(ctx):
    """rate 0 and max_burst 1: one action, then the token bucket is empty;
    detections go on being counted."""
    opts = ["-o", "engine.modern_ebpf.ring_bytes=4096", "-o", "syscall_event_drops.threshold=0",
            "-o", "syscall_event_drops.rate=0", "-o", "syscall_event_drops.max_burst=1",
            "-o", "syscall_event_drops.actions[]=alert"]
    det = Detector(ctx, READS_RULE, *opts)
    try:
        det.wait_alert(lambda a: a["rule"] == DROP_RULE, "a drop alert", poke=load_burst)
        t_end = time.monotonic() + 2.5  # two more one-second checks under load
        while time.monotonic() < t_end:
            load_burst()
    finally:
        rc = det.stop()
    assert rc == 0, det.stderr[-2000:]
    assert len([a for a in det.alerts() if a["rule"] == DROP_RULE]) == 1, det.lines
    detected = int(det.stderr.split("- event drop detected: ")[1].split()[0])
    taken = int(det.stderr.split("- num times actions taken: ")[1].split()[0])
    assert taken == 1 and detected >= 2, det.stderr[-1000:]


def test_live_detector_simulated_drops_live(ctx):
    """simulate_drops adds one drop per check, live too."""
    det = Detector(ctx, rule("Nothing", "evt.type=openat and fd.name=/harrier/never", "never"),
                   "-o", "syscall_event_drops.simulate_drops=true", "-o", "syscall_event_drops.actions[]=alert",
                   "-o", "syscall_event_drops.rate=10", "-o", "syscall_event_drops.max_burst=10")
    marker = os.path.join(ctx.tmp, "sim")
    try:
        a = det.wait_alert(lambda a: a["rule"] == DROP_RULE, "a simulated drop",
                           poke=lambda: open(marker, "w").close())
    finally:
        det.stop()
    assert int(a["output_fields"]["n_drops"]) >= 1, a


def test_live_detector_drop_alert_text(ctx):
    """Text output: Falco's internal alert line, its fields as key="value"
    in sorted order after the message."""
    import re
    marker = os.path.join(ctx.tmp, "sim-text")
    stop = threading.Event()

    def keep_opening():
        while not stop.is_set():
            open(marker, "w").close()
            time.sleep(0.01)

    opener = threading.Thread(target=keep_opening, daemon=True)
    opener.start()
    try:
        r = subprocess.run([ctx.bin("harrier"), "-c", os.path.join(ctx.root, "config", "harrier.yaml"), "-M", "3", "-o", "syscall_event_drops.simulate_drops=true",
                            "-o", "syscall_event_drops.rate=10", "-o", "syscall_event_drops.max_burst=10"],
                           capture_output=True, text=True, timeout=60)
    finally:
        stop.set()
        opener.join()
    assert r.returncode == 0, r.stderr[-2000:]
    pat = re.compile(r'^\d\d:\d\d:\d\d\.\d{9}: Debug Falco internal: syscall event drop\. (\d+) system calls dropped '
                     r'in last second\. \(ebpf_enabled="1" n_drops="(\d+)" n_drops_bug="0" .*'
                     r'n_drops_buffer_total="\d+" n_drops_page_faults="\d+" n_drops_scratch_map="0" n_evts="\d+"\)$')
    lines = [l for l in r.stdout.splitlines() if "Falco internal" in l]
    assert lines, r.stdout[-2000:]
    for l in lines:
        m = pat.match(l)
        assert m and m.group(1) == m.group(2), l


def run_plain(ctx, *args, user=None):
    cmd = [ctx.bin("harrier"), *args]
    if user:
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def test_live_detector_start_errors_have_exit_codes(ctx):
    rules = os.path.join(ctx.tmp, "r.yaml")
    with open(rules, "w") as f:
        f.write(rule("Nothing", "evt.type=openat and fd.name=/never", "never"))
    os.chmod(ctx.tmp, 0o755)
    os.chmod(rules, 0o644)
    r = run_plain(ctx, "-r", rules, "-M", "1", user=True)
    assert r.returncode == 3 and "needs root" in r.stderr, (r.returncode, r.stderr)
    r = run_plain(ctx, "-r", rules, "-M", "1", "-o", "engine.modern_ebpf.buf_size_preset=11")
    assert r.returncode == 1 and "'buf_size_preset' value must be between '1' and '10'" in r.stderr, r.stderr
    r = run_plain(ctx, "-r", rules, "-M", "1", "-o", "engine.modern_ebpf.ring_bytes=5000")
    assert r.returncode == 1 and "power of two" in r.stderr, r.stderr
    r = run_plain(ctx, "-r", rules, "-M", "1", "-o", "engine.kind=kmod")
    assert r.returncode == 1 and "engine.kind 'kmod'" in r.stderr, r.stderr


def test_live_ring_size_from_falco_keys(ctx):
    """Falco's buf_size_preset and cpus_for_each_buffer become the per-CPU
    ring size: the preset's bytes divided by the CPUs sharing a buffer (0 =
    all online CPUs; more than online is lowered to online, with Falco's
    warning), rounded down to a power of two."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    with open(rules, "w") as f:
        f.write(rule("Nothing", "evt.type=openat and fd.name=/never", "never"))
    online = os.sysconf("SC_NPROCESSORS_ONLN")

    def pow2_floor(n):
        p = 1
        while p * 2 <= n:
            p *= 2
        return p

    cases = [("1", "1", 1 << 20), ("1", "0", pow2_floor((1 << 20) // online)),
             ("6", "1", 32 << 20), ("2", str(online + 3), pow2_floor((2 << 20) // online))]
    for preset, cpus, want in cases:
        r = subprocess.run([ctx.bin("harrier"), "-r", rules, "-M", "0.2", "-o", "engine.modern_ebpf.buf_size_preset=" + preset,
                            "-o", "engine.modern_ebpf.cpus_for_each_buffer=" + cpus], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, (preset, cpus, r.stderr)
        assert "(one %d-byte ring per CPU)" % want in r.stderr, (preset, cpus, want, r.stderr)
        if int(cpus) > online:
            assert "there are only '%d' online CPUs" % online in r.stderr, r.stderr


def test_live_memlock_limit_is_not_fatal(ctx):
    """RLIMIT_MEMLOCK at 0 that cannot be raised: the probe still loads."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    with open(rules, "w") as f:
        f.write(rule("Nothing", "evt.type=openat and fd.name=/never", "never"))
    r = subprocess.run(["prlimit", "--memlock=0:0", ctx.bin("harrier"), "-r", rules, "-M", "1"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, (r.returncode, r.stderr)
    assert "Events detected: 0" in r.stdout, r.stdout


NO_BPF_CAPS = ["setpriv", "--bounding-set=-bpf,-perfmon,-sys_admin"]


def test_live_missing_capabilities_exit_code(ctx):
    """root without CAP_BPF/CAP_PERFMON/CAP_SYS_ADMIN (as in a restricted
    container): exit 3 with the missing capabilities named, both programs."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    with open(rules, "w") as f:
        f.write(rule("Nothing", "evt.type=openat and fd.name=/never", "never"))
    for cmd in ([ctx.bin("harrier"), "-r", rules, "-M", "1"], [ctx.bin("harrier-inspect"), "-M", "1"]):
        r = subprocess.run(NO_BPF_CAPS + cmd, capture_output=True, text=True, timeout=60)
        assert r.returncode == 3, (cmd, r.returncode, r.stderr)
        assert "lacks CAP_BPF CAP_PERFMON CAP_SYS_ADMIN" in r.stderr, r.stderr


class MemoryCgroup:
    """A memory cgroup (v2 or v1) with a limit, for a child to run in."""

    def __init__(self, name, limit):
        v2 = "/sys/fs/cgroup/cgroup.controllers"
        if os.path.exists(v2):
            self.path, limit_file = "/sys/fs/cgroup/" + name, "memory.max"
        else:
            self.path, limit_file = "/sys/fs/cgroup/memory/" + name, "memory.limit_in_bytes"
        os.makedirs(self.path, exist_ok=True)
        with open(os.path.join(self.path, limit_file), "w") as f:
            f.write(str(limit))

    def run(self, cmd):
        procs = os.path.join(self.path, "cgroup.procs")
        return subprocess.run(["sh", "-c", 'echo $$ > "$0" && exec "$@"', procs, *cmd], capture_output=True,
                              text=True, timeout=60)

    def remove(self):
        os.rmdir(self.path)


def test_live_ring_that_cannot_be_created_exit_code(ctx):
    """Rings of 256 MiB per CPU in a cgroup allowed 100 MiB: the kernel
    refuses the ring (its memory is charged to the cgroup): exit 6."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    with open(rules, "w") as f:
        f.write(rule("Nothing", "evt.type=openat and fd.name=/never", "never"))
    cg = MemoryCgroup("harrier-ring-test-%d" % os.getpid(), 100 << 20)
    try:
        r = cg.run([ctx.bin("harrier"), "-r", rules, "-M", "1", "-o", "engine.modern_ebpf.ring_bytes=%d" % (256 << 20)])
    finally:
        cg.remove()
    assert r.returncode == 6, (r.returncode, r.stderr)
    assert "cannot create the ring of CPU 0 (268435456 bytes): Cannot allocate memory" in r.stderr, r.stderr
