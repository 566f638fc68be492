#!/usr/bin/env python3
"""Live capture benchmark (issue 5): what Harrier's eBPF capture costs the
traced programs, and the event rate it sustains without drops.

1. Overhead: the consumer is bench/live_consumer.c: Harrier's live source,
   state engine and one filter (a Falco-like rule condition) evaluated on
   every event, as a rules engine does, naming the syscalls whose generic
   events it wants (none, or getpid for the recorded getpid loop), so that
   the probe's interest table is what a rules engine with that condition
   sets. (harrier-inspect cannot be used for the early-exit figure: its
   filter type analysis keeps every generic event for any evt.type check,
   so it records getpid too.) Measured side by side and interleaved (A/B,
   then B/A in the next round; medians over the rounds, because these
   2-CPU machines are shared and noisy): each workload runs bare and again
   while the consumer captures. Besides wall time, the workload's own CPU
   time (user + system, from its processes' rusage) is compared: on the
   shared machine other jobs lengthen wall time, not CPU time, and the
   probe's cost is system time of the traced process.
   - getpid loop, not recorded: the filter never needs getpid, so the
     probe's interest table makes it an early exit (goal <= 1.40x bare);
   - getpid loop, recorded: the filter names getpid, so every call is
     written to the ring, read, decoded, put through the state engine and
     the filter (goal <= 2.2x bare);
   - open/close loop: openat and close are always recorded (state);
   - a build job: compiling a few of Harrier's own sources.
   The load generator is bench/loadgen.c; both helpers are built by make.

2. Throughput: build/harrier itself, live, with the default configuration
   and rules (config/harrier.yaml, as `make run` starts it; alerts to
   /dev/null), while K load generator processes (bench/loadgen.c, --load:
   dup+close of stdin by default, open+close of a file, or failed opens of
   a missing path; all recorded by the probe as state changes the rules
   see) run for SECS seconds, unpaced or paced to a target event rate.
   The rate is the number of events the probe wrote in the load window
   (its per-CPU counters, read through bpftool) over the window; every one
   of them was delivered and put through the rules: harrier's own end-of-run
   figures (-v: Driver Events, Driver Drops, Captured Events) must show no
   drops for the whole run and at least the window's events evaluated. The
   run counts only with zero drops (goal >= 1 M events/s). Harrier's CPU
   share over the window comes from /proc. With --search the rate steps up
   (--step-secs runs) until drops or until the load generators cannot
   reach the target; the highest target met is then run for --secs (the
   issue's figure: 60 s; `make bench` runs one unpaced 10 s run).

3. Falco column (optional): when HARRIER_BENCH_FALCO_SCAP_OPEN names a
   build of falcosecurity/libs' scap-open example with the modern eBPF probe
   (an external oracle binary, never part of Harrier), every overhead
   measurement and every throughput run is also done with Falco's probe,
   in the same rounds, interleaved with Harrier's (the order of bare,
   Harrier and Falco rotates per round), and both ratios are printed side
   by side. scap-open is Falco's capture stack with a consumer that only
   counts events (no state, no rules): its interest set is its
   --simple_set (the state syscalls, like the set Falco asks for) plus
   sched_process_exit, plus getpid for the recorded getpid loop; its rings
   are Falco's defaults (8 MiB, one ring per 2 CPUs, as
   engine.modern_ebpf in falco.yaml and Harrier's config/harrier.yaml).
   Its event and drop figures come from the probe's counter map (bpftool)
   and from its end-of-run statistics. Without the variable, one line says
   that the Falco column was skipped.

    bench/live_bench.py [--build DIR] [--rounds N] [--skip-overhead] [--skip-throughput]
                        [--secs SECS] [--loops K] [--load dupclose|openclose|openfail] [--tp-rounds N]
                        [--search [--search-from EV_PER_S] [--search-factor F] [--step-secs S]]
                        [--nice N]
Needs root (the capture), bpftool and make.
"""
import argparse
import json
import os
import re
import resource
import signal
import statistics
import struct
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOAL_SKIPPED = 1.40
GOAL_RECORDED = 2.2
GOAL_RATE = 1e6

# Every capture below also matches this marker: a failing mkdir of a unique
# path, poked until its event is printed, proves that the probe is attached
# and that the consumer has finished the /proc scan and reads the rings.
MARKER = "/nonexistent-harrier-bench-%d/marker" % os.getpid()
MARKER_CLAUSE = "(evt.type=mkdir and evt.args contains %s)" % MARKER
# A Falco-like rule condition on file opens (the shape of the default
# rules' sensitive-file checks): every openat event goes through all of it,
# none matches for /etc/passwd.
RULE_CONDITION = ("evt.type in (open, openat, openat2) and evt.dir=< and fd.name startswith /etc"
                  " and not proc.name in (sh, bash, dash) and not fd.name pmatch (/etc/passwd, /etc/group)")
FILTER_SKIPPED = ("%s or (%s)" % (MARKER_CLAUSE, RULE_CONDITION), [])
FILTER_RECORDED = ("%s or (%s) or (evt.type=getpid and proc.name=harrier-no-such-process)" % (
    MARKER_CLAUSE, RULE_CONDITION), ["getpid"])
LOAD_FILE = "/etc/passwd"
BUILD_FILES = ["src/format/event_args.c", "src/capture/scap_reader.c", "src/state/state_events.c"]


def build_helpers(build):
    """bench/loadgen and bench/live_consumer, built by the Makefile's rule."""
    progs = [os.path.join(build, "bench", name) for name in ("loadgen", "live_consumer")]
    subprocess.run(["make", "-s", "-C", ROOT, "BUILD=" + build] + progs, check=True)
    return progs


def run_loadgen(loadgen, *args):
    """ns per op as the load generator measured it."""
    out = subprocess.run([loadgen, *map(str, args)], capture_output=True, text=True, check=True).stdout
    fields = dict(kv.split("=") for kv in out.split())
    return float(fields["ns_per_op"]), int(fields["ops"])


def run_build(build):
    """Wall seconds to compile BUILD_FILES one after the other."""
    obj = os.path.join(build, "bench", "build-job.o")
    t0 = time.perf_counter()
    for f in BUILD_FILES:
        subprocess.run(["cc", "-std=c11", "-D_GNU_SOURCE", "-O2", "-g", "-I" + os.path.join(ROOT, "src"),
                        "-I" + os.path.join(build, "gen"), "-c", os.path.join(ROOT, f), "-o", obj], check=True)
    return time.perf_counter() - t0


class Capture:
    """A live bench/live_consumer, started and waited for."""

    def __init__(self, consumer, flt, duration=600):
        condition, syscalls = flt
        self.proc = subprocess.Popen([consumer, str(duration), condition, *syscalls],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.seen = threading.Event()
        self.lines = 0
        self.final = None
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 30
        while not self.seen.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                sys.exit("live_consumer did not start capturing: %s" % self.proc.stderr.read())
            try:
                os.mkdir(MARKER)
            except OSError:
                pass
        self.map_fds = bpf_map_ids(self.proc.pid)

    def _read(self):
        for line in self.proc.stdout:
            if line.startswith("events="):
                self.final = {k: int(v) for k, v in (kv.split("=") for kv in line.split())}
                continue
            self.lines += 1
            self.seen.set()

    def counters(self):
        c = probe_counters(self.map_fds)
        if not c:
            sys.exit("the probe's counter map was not found among live_consumer's maps")
        return c

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        rc = self.proc.wait(timeout=120)
        self.reader.join(timeout=30)
        err = self.proc.stderr.read()
        if rc != 0 or not self.final:
            sys.exit("live_consumer exited %d: %s" % (rc, err))
        return self.final


def bpf_map_ids(pid):
    """Ids of the BPF maps a process holds (its fdinfo names them)."""
    ids = []
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) != "anon_inode:bpf-map":
                continue
            for line in open("/proc/%d/fdinfo/%s" % (pid, fd)):
                if line.startswith("map_id:"):
                    ids.append(int(line.split()[1]))
        except OSError:
            pass
    return ids


# Falco's probe through scap-open: its ppm_sc codes (scap-open --print_syscalls)
FALCO_ENV = "HARRIER_BENCH_FALCO_SCAP_OPEN"
FALCO_PPM_SC_GETPID = 16
FALCO_PPM_SC_SCHED_PROCESS_EXIT = 396
FALCO_EVT_MKDIR_X = 277  # PPME_SYSCALL_MKDIR_2_X: printed, so the marker shows when it reads the rings
FALCO_RING_ARGS = ["--buffer_dim", str(8 << 20), "--cpus_for_buf", "2"]


def falco_scap_open():
    """(path of scap-open, None) or (None, why the Falco column is skipped)."""
    path = os.environ.get(FALCO_ENV)
    if not path:
        return None, ("%s is not set (it names falcosecurity/libs' scap-open example built with the modern eBPF probe, "
                      "an external oracle)" % FALCO_ENV)
    if not os.access(path, os.X_OK):
        return None, "%s=%s is not an executable file" % (FALCO_ENV, path)
    return path, None


class FalcoCapture:
    """falcosecurity/libs' scap-open on the modern probe, started and waited
    for: its consumer only counts events."""

    def __init__(self, scap_open, record_getpid=False):
        sc = ["--ppm_sc", str(FALCO_PPM_SC_SCHED_PROCESS_EXIT)]
        if record_getpid:
            sc += ["--ppm_sc", str(FALCO_PPM_SC_GETPID)]
        # line-buffered, so the marker's event shows as soon as it is read
        self.proc = subprocess.Popen(["stdbuf", "-oL", scap_open, "--modern_bpf", "--simple_set", *sc,
                                      *FALCO_RING_ARGS, "--evt_type", str(FALCO_EVT_MKDIR_X)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.seen = threading.Event()
        self.out = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        t0 = time.monotonic()
        while not self.seen.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > t0 + 60:
                self.proc.kill()
                self.reader.join(timeout=10)
                sys.exit("scap-open did not start capturing: %s" % "".join(self.out[-20:]))
            try:
                os.mkdir(MARKER)
            except OSError:
                pass
        self.open_secs = time.monotonic() - t0
        self.map_ids = bpf_map_ids(self.proc.pid)

    def _read(self):
        for line in self.proc.stdout:
            self.out.append(line)
            if MARKER in line:
                self.seen.set()

    def counters(self):
        """The probe's counter map (one struct counter_map per CPU, no BTF:
        raw bytes, n_evts first, n_drops_buffer second, n_drops_max_event_size
        13th), summed: events written, drops."""
        for map_id in self.map_ids:
            show = subprocess.run(["bpftool", "-j", "map", "show", "id", str(map_id)], capture_output=True, text=True)
            if show.returncode != 0 or json.loads(show.stdout).get("name") != "counter_maps":
                continue
            dump = json.loads(subprocess.run(["bpftool", "-j", "map", "dump", "id", str(map_id)],
                                             capture_output=True, text=True, check=True).stdout)
            per_cpu = [struct.unpack_from("<13Q", bytes(int(b, 16) for b in entry["value"])) for entry in dump]
            return {"events": sum(c[0] for c in per_cpu), "drops": sum(c[1] + c[12] for c in per_cpu)}
        sys.exit("the counter map of Falco's probe was not found among scap-open's maps")

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def stop(self):
        """scap-open's end-of-run figures: driver events, drops, events it consumed."""
        self.proc.send_signal(signal.SIGINT)
        rc = self.proc.wait(timeout=120)
        self.reader.join(timeout=30)
        text = "".join(self.out)
        got = {}
        for key, pattern in (("driver_events", r"\] n_evts: (\d+)"), ("driver_drops", r"\] n_drops: (\d+)"),
                             ("captured", r"events correctly captured\): (\d+)")):
            m = re.search(pattern, text)
            if m:
                got[key] = int(m.group(1))
        if rc != 0 or len(got) != 3:
            sys.exit("scap-open (exit %d) printed no end-of-run statistics: %s" % (rc, text[-2000:]))
        return got


def overhead(args, loadgen, consumer, falco):
    """Each workload bare, under Harrier's capture and (with falco, the path
    of scap-open) under Falco's, interleaved: the order rotates per round."""
    workloads = [
        ("getpid loop, not recorded (early exit)", FILTER_SKIPPED, False,
         lambda: run_loadgen(loadgen, "getpid", args.getpid_calls)[0], "ns/call", GOAL_SKIPPED),
        ("getpid loop, recorded", FILTER_RECORDED, True,
         lambda: run_loadgen(loadgen, "getpid", args.getpid_calls)[0], "ns/call", GOAL_RECORDED),
        ("open/close loop, recorded", FILTER_SKIPPED, False,
         lambda: run_loadgen(loadgen, "openclose", args.open_pairs, LOAD_FILE)[0], "ns/pair", None),
        ("build job (%d files of Harrier)" % len(BUILD_FILES), FILTER_SKIPPED, False,
         lambda: run_build(args.build) * 1e9, "ns", None),
    ]
    setups = ["bare", "harrier"] + ["falco"] * bool(falco)
    print("overhead: %d rounds, %s interleaved (order rotates per round); medians"
          % (args.rounds, ", ".join(setups)))
    print("  harrier: live_consumer, filter: marker or '%s'" % RULE_CONDITION)
    print("           (+ 'evt.type=getpid and proc.name=...', generic getpid wanted, for the recorded getpid loop)")
    if falco:
        print("  falco:   scap-open --modern_bpf --simple_set --ppm_sc %d %s (+ --ppm_sc %d for the recorded getpid "
              "loop); its consumer only counts" % (FALCO_PPM_SC_SCHED_PROCESS_EXIT, " ".join(FALCO_RING_ARGS),
                                                   FALCO_PPM_SC_GETPID))
    results = []
    for name, flt, getpid_recorded, work, unit, goal in workloads:
        took = {what: [] for what in setups}
        cpu = {what: [] for what in setups}
        recorded = {what: [] for what in setups[1:]}

        def measure(what):
            # the workload's own CPU time (its processes are waited for
            # within work()), next to the wall time: time other jobs take
            # the CPU from it is not in it
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            took[what].append(work())
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[what].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)

        for rnd in range(args.rounds):
            for what in setups[rnd % len(setups):] + setups[:rnd % len(setups)]:
                if what == "bare":
                    measure(what)
                    continue
                cap = Capture(consumer, flt) if what == "harrier" else FalcoCapture(falco, getpid_recorded)
                before = cap.counters()["events"]
                measure(what)
                recorded[what].append(cap.counters()["events"] - before)
                cap.stop()
        scale, shown = (1e-9, "s") if unit == "ns" else (1, unit)
        mb = statistics.median(took["bare"])
        print("  %s: bare %.1f %s" % (name, mb * scale, shown))
        for what in setups[1:]:
            ratios = [c / b for c, b in zip(took[what], took["bare"])]
            mc = statistics.median(took[what])
            verdict = ""
            if goal and what == "harrier":
                verdict = "  goal <= %.2fx: %s" % (goal, "met" if mc / mb <= goal else "NOT met")
            # other jobs only ever add time: the fastest runs' ratio is the
            # one least disturbed by them
            print("    %-8s captured %8.1f %s  ratio %.2fx (median of per-round ratios %.2fx, range %.2f-%.2f; "
                  "fastest runs %.2fx); events the probe wrote per run: median %d%s" % (
                      what, mc * scale, shown, mc / mb, statistics.median(ratios), min(ratios), max(ratios),
                      min(took[what]) / min(took["bare"]), statistics.median(recorded[what]), verdict))
            cpu_ratios = [c / b for c, b in zip(cpu[what], cpu["bare"])]
            print("    %-8s workload CPU time: ratio %.2fx (median of per-round ratios, range %.2f-%.2f)" % (
                "", statistics.median(cpu_ratios), min(cpu_ratios), max(cpu_ratios)))
        results.append((name, {what: statistics.median(took[what]) / mb for what in setups[1:]}))
    if not falco:
        print("  falco column skipped: %s" % args.falco_skipped)
    sys.stdout.flush()
    return results


# Throughput loads: loadgen mode, its argument, and the events Harrier's
# probe records per operation (exit events only; all are always recorded,
# the state needs them): open+close of a file (openat, close), dup of stdin
# + close of the copy (dup, close), open of a missing path (openat failing
# with ENOENT).
LOADS = {
    "openclose": ("openclose-for", [LOAD_FILE], 2),
    "dupclose": ("dupclose-for", [], 2),
    "openfail": ("openfail-for", ["/nonexistent-harrier-bench-%d" % os.getpid()], 1),
}


class Harrier:
    """build/harrier live with the default config and rules (as `make run`
    starts it), alerts to /dev/null, its end-of-run statistics (-v) read
    from stderr."""

    def __init__(self, build, nice=0):
        self.proc = subprocess.Popen(["nice", "-n", str(nice)] * bool(nice) + [os.path.join(build, "harrier"), "-c", os.path.join(ROOT, "config", "harrier.yaml"),
                                      "-v"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        # the probe is attached once its counter map exists and counts; the
        # rings are read once the /proc scan is over (drops would show if not)
        deadline = time.monotonic() + 30
        self.map_ids, first = [], None
        while True:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                sys.exit("harrier did not start capturing: %s" % self.proc.stderr.read())
            self.map_ids = bpf_map_ids(self.proc.pid)
            c = probe_counters(self.map_ids)
            if c and first is None:
                first = c["events"]
            elif c and c["events"] > first:
                break
            time.sleep(0.1)
        time.sleep(0.5)

    def counters(self):
        c = probe_counters(self.map_ids)
        if not c:
            sys.exit("the probe's counter map was not found among harrier's maps")
        return c

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def stop(self):
        """Harrier's own figures at exit: driver events, driver drops, captured events."""
        self.proc.send_signal(signal.SIGINT)
        _, err = self.proc.communicate(timeout=120)
        got = {}
        for key, pattern in (("driver_events", r"Driver Events:(\d+)"), ("driver_drops", r"Driver Drops:(\d+)"),
                             ("captured", r"Captured Events: (\d+)")):
            m = re.search(pattern, err)
            if m:
                got[key] = int(m.group(1))
        if len(got) != 3:
            sys.exit("harrier (exit %d) printed no end-of-run statistics: %s" % (self.proc.returncode, err[-2000:]))
        return got


def probe_counters(map_ids):
    """The probe's per-CPU counters, summed: events, drops_full, drops_read."""
    for map_id in map_ids:
        out = subprocess.run(["bpftool", "-j", "map", "dump", "id", str(map_id)], capture_output=True, text=True)
        if out.returncode != 0:
            continue
        dump = json.loads(out.stdout)
        if not dump or "formatted" not in dump[0]:
            continue
        vals = dump[0]["formatted"].get("values")
        if vals and isinstance(vals[0].get("value"), dict) and "drops_full" in vals[0]["value"]:
            return {k: sum(v["value"][k] for v in vals) for k in ("events", "drops_full", "drops_read")}
    return None


def throughput_run(args, loadgen, secs, rate):
    """One run: harrier live, args.loops load generators for secs seconds
    (paced to `rate` recorded events/s in all, or unpaced if 0). Returns
    (events/s in the window, drops, harrier CPU share, harrier's figures)."""
    per_op = LOADS[args.load][2]
    h = Harrier(args.build, args.nice)
    before, cpu0 = h.counters(), h.cpu()
    ops, elapsed, loops_cpu = run_loads(args, loadgen, secs, rate)
    after, cpu1 = h.counters(), h.cpu()
    final = h.stop()
    events = after["events"] - before["events"]
    # every event the probe wrote was read and put through the rules: the
    # ring never overflowed, and harrier evaluated what the probe counted
    drops = final["driver_drops"]
    window_drops = (after["drops_full"] + after["drops_read"]) - (before["drops_full"] + before["drops_read"])
    # the probe stays attached until harrier exits: the few events it writes
    # after harrier's last read of the rings are counted but never read
    unread = final["driver_events"] - final["driver_drops"] - final["captured"]
    if unread < 0 or final["captured"] < events:
        sys.exit("harrier evaluated %d events, fewer than the %d of the window or more than the probe wrote" %
                 (final["captured"], events))
    return {"rate": events / elapsed, "events": events, "loop_events": per_op * ops, "ops": ops,
            "elapsed": elapsed, "drops": drops, "window_drops": window_drops, "unread": unread, "cpu": (cpu1 - cpu0) / elapsed,
            "loops_cpu_per_op": loops_cpu / ops if ops else 0, **final}


def show_run(r, target=0):
    print("  harrier: %s%.1f s: %.3f M events/s delivered and evaluated (probe wrote %d in the window, %d of them the loops'); "
          "drops %d (%d in the window); harrier read and evaluated %d of %d driver events (the rest written after its last read); harrier CPU %.0f%% of one CPU (%.2f us per event); loops' CPU %.2f us per op"
          % ("target %.3f M/s: " % (target / 1e6) if target else "", r["elapsed"], r["rate"] / 1e6, r["events"],
             r["loop_events"], r["drops"], r["window_drops"], r["captured"], r["driver_events"], 100 * r["cpu"],
             r["cpu"] / r["rate"] * 1e6 if r["rate"] else 0, r["loops_cpu_per_op"] * 1e6))
    sys.stdout.flush()


def run_loads(args, loadgen, secs, rate=0):
    """args.loops load generators for secs seconds: (ops, elapsed, the
    loops' CPU seconds: what the capture costs them in the kernel shows
    there, time other processes take from them does not)."""
    mode, extra, per_op = LOADS[args.load]
    pace = ["%.0f" % (rate / per_op / args.loops)] if rate else []
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    gens = [subprocess.Popen([loadgen, mode, str(secs), *extra, *pace], stdout=subprocess.PIPE, text=True)
            for _ in range(args.loops)]
    outs = [g.communicate()[0] for g in gens]
    elapsed = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
    return sum(int(dict(kv.split("=") for kv in o.split())["ops"]) for o in outs), elapsed, cpu


def falco_throughput_run(args, loadgen, falco, secs, rate):
    """The same run with Falco's probe and scap-open (a consumer that only
    counts) in place of harrier."""
    per_op = LOADS[args.load][2]
    f = FalcoCapture(falco)
    before, cpu0 = f.counters(), f.cpu()
    ops, elapsed, loops_cpu = run_loads(args, loadgen, secs, rate)
    after, cpu1 = f.counters(), f.cpu()
    final = f.stop()
    events = after["events"] - before["events"]
    unread = final["driver_events"] - final["driver_drops"] - final["captured"]
    if final["captured"] < events - (after["drops"] - before["drops"]):
        sys.exit("scap-open consumed %d events, fewer than the %d of the window" % (final["captured"], events))
    return {"rate": events / elapsed, "events": events, "loop_events": per_op * ops, "ops": ops,
            "elapsed": elapsed, "drops": final["driver_drops"], "window_drops": after["drops"] - before["drops"],
            "unread": unread, "cpu": (cpu1 - cpu0) / elapsed, "open_secs": f.open_secs,
            "loops_cpu_per_op": loops_cpu / ops if ops else 0, **final}


def show_falco_run(r, target=0):
    print("  falco: %s%.1f s: %.3f M events/s delivered to scap-open, counted only (probe wrote %d in the window, %d of "
          "them the loops'); drops %d (%d in the window); scap-open consumed %d of %d driver events; scap-open CPU "
          "%.0f%% of one CPU (%.2f us per event); loops' CPU %.2f us per op; probe opened in %.1f s%s"
          % ("target %.3f M/s: " % (target / 1e6) if target else "", r["elapsed"], r["rate"] / 1e6, r["events"],
             r["loop_events"], r["drops"], r["window_drops"], r["captured"], r["driver_events"], 100 * r["cpu"],
             r["cpu"] / r["rate"] * 1e6 if r["rate"] else 0, r["loops_cpu_per_op"] * 1e6, r["open_secs"],
             "" if r["drops"] == 0 else " (drops: NOT a sustained rate)"))
    sys.stdout.flush()


def throughput(args, loadgen, falco):
    mode, extra, per_op = LOADS[args.load]
    print("throughput: %sbuild/harrier -c config/harrier.yaml -v (default rules, alerts to /dev/null), live; "
          "load: %d x 'loadgen %s SECS%s' (%d recorded event%s per op)"
          % ("nice -n %d " % args.nice if args.nice else "", args.loops, mode, "".join(" " + e for e in extra), per_op,
             "s" if per_op > 1 else ""))
    if falco:
        print("  falco: scap-open --modern_bpf --simple_set --ppm_sc %d %s in harrier's place, same loads; its "
              "consumer only counts (no state, no rules)" % (FALCO_PPM_SC_SCHED_PROCESS_EXIT, " ".join(FALCO_RING_ARGS)))
    else:
        print("  falco column skipped: %s" % args.falco_skipped)
    # what the same loops do with nothing attached: the most events they
    # could ask the capture for on this machine now
    ops, elapsed, loops_cpu = run_loads(args, loadgen, 5)
    print("  the same loops bare (no capture), 5 s: %.3f M of their events/s; loops' CPU %.2f us per op"
          % (per_op * ops / elapsed / 1e6, loops_cpu / ops * 1e6))
    if args.search:
        # rate stepping: each step paced to a target; the highest target met
        # (>= 95%% of it delivered) with zero drops is then run for --secs
        best, rate = 0, args.search_from
        print("  search: %d s steps from %.2f M/s, x%.2f per step" % (args.step_secs, rate / 1e6, args.search_factor))
        while True:
            r = throughput_run(args, loadgen, args.step_secs, rate)
            show_run(r, rate)
            if r["drops"] or r["loop_events"] < 0.95 * rate * r["elapsed"]:
                why = "drops" if r["drops"] else "load generators fell short of the target"
                print("  step stops: %s" % why)
                break
            best, rate = rate, rate * args.search_factor
        if not best:
            print("  no paced step was met; final run unpaced")
        print("  final run: %d s at %s%s" % (args.secs, "%.3f M/s" % (best / 1e6) if best else "full speed",
                                            ", then falco's probe at the same target" if falco else ""))
        r = throughput_run(args, loadgen, args.secs, best)
        show_run(r, best)
        if falco:
            show_falco_run(falco_throughput_run(args, loadgen, falco, args.secs, best), best)
    else:
        print("  %d round%s of one unpaced %d s run%s%s" % (
            args.tp_rounds, "s" if args.tp_rounds > 1 else "", args.secs,
            " each, harrier and falco's probe, order alternating" if falco else "",
            "" if args.secs >= 60 else " (the issue's figure is 60 s: --secs 60; rate search: --search)"))
        runs = {"harrier": [], "falco": []}
        for rnd in range(args.tp_rounds):
            order = ["harrier", "falco"] if falco else ["harrier"]
            for what in order[rnd % 2:] + order[:rnd % 2]:
                if what == "harrier":
                    runs[what].append(throughput_run(args, loadgen, args.secs, 0))
                    show_run(runs[what][-1])
                else:
                    runs[what].append(falco_throughput_run(args, loadgen, falco, args.secs, 0))
                    show_falco_run(runs[what][-1])
        for what in ("harrier", "falco"):
            if len(runs[what]) > 1:
                rates = [x["rate"] for x in runs[what]]
                print("  %s over %d runs: median %.3f M events/s (range %.3f-%.3f), drops in total %d; loops' CPU "
                      "per op: median %.2f us" % (
                          what, len(rates), statistics.median(rates) / 1e6, min(rates) / 1e6, max(rates) / 1e6,
                          sum(x["drops"] for x in runs[what]),
                          statistics.median(x["loops_cpu_per_op"] for x in runs[what]) * 1e6))
        r = min(runs["harrier"], key=lambda x: (x["drops"] == 0, x["rate"]))
    ok = r["drops"] == 0
    print("  harrier's rate delivered and evaluated%s: %.3f M events/s over %.0f s, drops %d%s; goal >= %.1f M/s: %s"
          % (" (its lowest run)" if not args.search and args.tp_rounds > 1 else "", r["rate"] / 1e6, r["elapsed"],
             r["drops"], "" if ok else " (NOT a sustained rate)", GOAL_RATE / 1e6,
             "met" if ok and r["rate"] >= GOAL_RATE else "NOT met"))
    print("  machine load average at the end: %.1f (%d CPUs)" % (os.getloadavg()[0], os.cpu_count()))
    return r


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--getpid-calls", type=int, default=2000000)
    ap.add_argument("--open-pairs", type=int, default=300000)
    ap.add_argument("--secs", type=int, default=10, help="throughput run length (the issue's figure: 60)")
    ap.add_argument("--loops", type=int, default=2, help="load generators in the throughput run")
    ap.add_argument("--load", choices=sorted(LOADS), default="dupclose", help="throughput load generator")
    ap.add_argument("--tp-rounds", type=int, default=1, help="unpaced throughput runs (each also with falco's probe)")
    ap.add_argument("--search", action="store_true", help="rate-stepping search, then --secs at the best rate")
    ap.add_argument("--search-from", type=float, default=2e5, help="first target, events/s")
    ap.add_argument("--search-factor", type=float, default=1.25)
    ap.add_argument("--step-secs", type=int, default=8)
    ap.add_argument("--nice", type=int, default=0, help="run harrier at this nice level (default: as started)")
    ap.add_argument("--skip-overhead", action="store_true")
    ap.add_argument("--skip-throughput", action="store_true")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("live_bench.py needs root (live capture)")
    loadgen, consumer = build_helpers(args.build)
    falco, args.falco_skipped = falco_scap_open()
    print("machine: %d CPUs, load %.1f at start" % (os.cpu_count(), os.getloadavg()[0]))
    if falco:
        print("falco column: %s (falcosecurity/libs scap-open, modern eBPF probe)" % falco)
    else:
        print("falco column skipped: %s" % args.falco_skipped)
    if not args.skip_overhead:
        overhead(args, loadgen, consumer, falco)
    if not args.skip_throughput:
        throughput(args, loadgen, falco)
    return 0


if __name__ == "__main__":
    sys.exit(main())
