"""Field extraction (-p) against sysdig 0.29.3 on every corpus trace, field
by field.

The formats are run with a separator byte (0x1f) between fields instead of
spaces, so that a difference names its event and field and a deviation can
be listed for exactly one field of one event. FIELD_DEVIATIONS holds those:
the value Harrier must print and why sysdig 0.29.3's is wrong."""
import os

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRACES_DIR = os.path.normpath(os.path.join(ROOT, "..", "shared", "conformance", "traces"))
SEP = "\x1f"

# The field list the issue asks for.
ISSUE_FIELDS = ["evt.num", "evt.time", "evt.cpu", "evt.dir", "evt.type", "evt.args", "thread.tid",
                "proc.pid", "proc.ppid", "proc.name", "proc.exe", "proc.cmdline", "proc.pname",
                "proc.cwd", "fd.num", "fd.name", "fd.type", "user.uid", "user.name", "container.id"]

# Every other field the library implements that sysdig 0.29.3 can print.
MORE_FIELDS = [
    "evt.num", "thread.tid", "fd.num", "evt.time.s", "evt.datetime", "evt.datetime.s", "evt.rawtime", "evt.rawtime.s",
    "evt.rawtime.ns", "evt.reltime", "evt.reltime.s", "evt.reltime.ns", "evt.outputtime", "evt.info",
    "evt.res", "evt.rawres", "evt.failed", "evt.is_io", "evt.is_io_read", "evt.is_io_write", "evt.io_dir",
    "evt.is_wait", "evt.count", "evt.count.exit", "syscall.type", "evt.arg[0]", "evt.arg[1]", "evt.arg.fd",
    "evt.arg.res", "evt.arg.name", "evt.rawarg.name", "evt.rawarg.size",
    "thread.vtid", "proc.vpid", "proc.exepath", "proc.args", "proc.exeline", "proc.pcmdline",
    "proc.aname[0]", "proc.aname[1]", "proc.aname[2]", "proc.aname[3]", "proc.apid[0]", "proc.apid[1]",
    "proc.apid[2]", "proc.loginshellid", "proc.tty", "proc.sid", "proc.sname", "proc.vpgid", "proc.env",
    "proc.fdlimit", "proc.vmsize", "proc.vmrss", "proc.vmswap", "thread.pfmajor", "thread.pfminor",
    "thread.ismain", "thread.vmsize", "thread.vmrss", "thread.cgroups", "thread.cgroup.cpuset",
    "proc.duration", "proc.is_exe_writable",
    "fd.typechar", "fd.directory", "fd.filename", "fd.sip", "fd.cip", "fd.sport", "fd.cport", "fd.l4proto",
    "user.homedir", "user.shell", "user.loginuid", "user.loginname", "group.gid", "group.name",
    "container.name", "evt.count.error", "evt.count.error.file", "evt.count.error.net",
    "evt.count.error.memory", "evt.count.error.other", "evt.count.procinfo", "evt.count.threadinfo",
    "evt.buffer", "evt.buflen", "evt.buflen.in", "evt.buflen.out", "evt.buflen.file", "evt.buflen.file.in",
    "evt.buflen.file.out", "evt.buflen.net", "evt.buflen.net.in", "evt.buflen.net.out", "evt.is_syslog",
    "evt.is_open_read", "evt.is_open_write", "evt.is_open_exec", "evt.deltatime", "evt.deltatime.s",
    "evt.deltatime.ns", "thread.vmsize.b", "thread.vmrss.b", "thread.nametid", "proc.is_container_healthcheck",
    "proc.is_container_liveness_probe", "proc.is_container_readiness_probe", "fd.sockfamily", "fd.uid",
    "fd.containername", "fd.containerdirectory", "fd.cproto", "fd.sproto",
    # thread.totexectime is compared in tests/test_proc_fields.py (sysdig
    # stops at the container events of the synthetic capture)
    "proc.nthreads", "proc.nchilds", "proc.fdopencount", "proc.fdusage", "thread.exectime", "thread.cpu",
    "thread.cpu.user", "thread.cpu.system",
    # Last: sysdig 0.29.3 compares all the rest of the format with the type
    # name, so evt.type.is.NAME only parses at the end of a format.
    "evt.type.is.open",
]

# Where sysdig 0.29.3 is wrong: in `trace`, for the events numbered in
# `events`, `field` must print `harrier` instead of sysdig's value.
CAT_CWD = "/mnt/sf_mstemm/work/src/agent/build/release/userspace/dragent"
FIELD_DEVIATIONS = [
    dict(trace="cat_write.scap", field="proc.cwd", events=range(131, 216), harrier=CAT_CWD + "/",
         why="Thread 20072 (cat) is not in the capture's process list; its first event, the execve "
             "exit 131, carries cwd=" + CAT_CWD + ". sysdig 0.29.3's execve parser never reads that "
             "parameter, so it prints an empty proc.cwd for all of cat's events 131-215. Harrier takes "
             "the cwd from the execve (with the trailing '/' sysdig gives every cwd)."),
]


# Value-level deviations: sysdig 0.29.3 bugs that show wherever the value
# triggers them. Each rule says exactly which pair of values it explains.

# Unfinished work: run every time, shown as PENDING, not counted (see tests/run.py).

def _gid_read_as_64_bits(sysdig, harrier):
    # group.gid is declared 64-bit but the thread's gid is 32-bit: sysdig
    # reads 4 bytes past it into the upper half.
    return sysdig.isdigit() and harrier.isdigit() and int(sysdig) >= 1 << 32 and \
        int(sysdig) & 0xFFFFFFFF == int(harrier)


def _bytes_wrapped_at_32_bits(sysdig, harrier):
    # thread.vmsize.b / vmrss.b multiply the 32-bit kB count by 1024 in 32
    # bits: above 4 GiB sysdig's value wraps around.
    return sysdig.isdigit() and harrier.isdigit() and int(harrier) >= 1 << 32 and \
        int(harrier) % (1 << 32) == int(sysdig)


VALUE_DEVIATIONS = {
    "group.gid": _gid_read_as_64_bits,
    "thread.vmsize.b": _bytes_wrapped_at_32_bits,
    "thread.vmrss.b": _bytes_wrapped_at_32_bits,
}


# Row-level deviations of the synthetic capture: sockets whose endpoints
# sysdig 0.29.3 reads from the wrong member of its fd union. In both cases
# the event carries the tuple 10.0.2.15:43210->93.184.216.34:443:
# - thread 1000's fd 7, a listening socket (0.0.0.0:8080) that a sendto
#   (events 31-32) connects: sysdig prints the server address as 144.31.2.0;
# - thread 2000's fd 11, an eventfd that a recvfrom with a UDP tuple (events
#   35-36) turns into a socket: sysdig prints <unknown>, 128.136.255.255 and
#   port 2738, and no protocol.
# Harrier prints the tuple. Each garbage token is replaced by the real one in
# sysdig's value for those rows; the rest of the value must match.
SYN_TUPLE = "10.0.2.15:43210->93.184.216.34:443"
SOCKET_GARBAGE = {
    ("1000", "7"): [("10.0.2.15:43210->144.31.2.0:443", SYN_TUPLE), ("144.31.2.0", "93.184.216.34")],
    ("2000", "11"): [("<4><unknown>", "<4u>" + SYN_TUPLE), ("<unknown>", SYN_TUPLE),
                     ("128.136.255.255", "93.184.216.34"), ("2738", "443")],
}
SOCKET_GARBAGE_FIELDS = {"fd.name", "fd.containername", "fd.sip", "fd.sport", "fd.sproto", "fd.l4proto",
                         "evt.args", "evt.info", "evt.arg[0]", "evt.arg.fd"}


def is_ipv4_row(fields, row):
    if "fd.typechar" in fields:
        return row[fields.index("fd.typechar")] == "4"
    return "fd.type" in fields and row[fields.index("fd.type")] == "ipv4"


def fix_socket_garbage(trace, fields, row):
    """Applies SOCKET_GARBAGE to a sysdig row of the synthetic capture; returns
    the number of values changed."""
    if trace != "synthetic.scap":
        return 0
    key = (row[fields.index("thread.tid")], row[fields.index("fd.num")])
    if key not in SOCKET_GARBAGE:
        return 0
    changed = 0
    for j, field in enumerate(fields):
        if field not in SOCKET_GARBAGE_FIELDS:
            continue
        v = row[j]
        for bad, good in SOCKET_GARBAGE[key]:
            v = v.replace(bad, good)
        # the protocol only once the eventfd has become the socket (event 36)
        if field == "fd.l4proto" and key == ("2000", "11") and v == "<NA>" and is_ipv4_row(fields, row):
            v = "udp"
        if v != row[j]:
            row[j] = v
            changed += 1
    return changed


# Per-event deviations of the synthetic capture (tests/gen_all_events.py
# holds the reasons, shared with the other tests that compare it): in the
# listed events and fields, each (sysdig, harrier) pair replaces sysdig's
# text; the replacement must change the value, so an entry that no longer
# applies fails instead of excusing another line.
import gen_all_events as _gen  # noqa: E402

SYN_TUPLE6 = "2001:db8::15:51000->2606:2800:220:1::1:8443"
SYNTHETIC_DEVIATIONS = [
    dict(events={975}, fields={"fd.name", "fd.containername"}, replace=[("<unknown>", SYN_TUPLE6)],
         why=_gen.IPV6_TUPLE_ON_IPV4_FD),
    dict(events={975}, fields={"fd.l4proto"}, replace=[("<NA>", "udp")], why=_gen.IPV6_TUPLE_ON_IPV4_FD),
    dict(events={22}, fields={"fd.l4proto"}, replace=[("tcp", "<NA>")], why=_gen.STALE_L4PROTO_ON_BIND),
    dict(events={1105}, fields={"evt.args", "evt.info"},
         replace=[("tid=0 pid=0 ptid=0 ", "tid=0(<NA>) pid=0(<NA>) ptid=0(<NA>) ")],
         why=_gen.PID0_CREATED_BY_PRINTING),
    # sysdig 0.29.3 renders evt.buffer as the "data" parameter's text but
    # takes the length from the last byte buffer it rendered
    # (sinsp_evt::m_rawbuf_str_len, set only for PT_BYTEBUF). The ptrace
    # exit's data is a PT_DYN, so sysdig prints its text "0" cut to a stale
    # length (0 here: nothing). The value in the capture is 0.
    dict(events={1119}, fields={"evt.buffer"}, sysdig="", harrier="0",
         why="sysdig cuts a PT_DYN data parameter's text to a stale byte-buffer length"),
]


def fix_synthetic_row(trace, fields, row):
    """Applies SYNTHETIC_DEVIATIONS to a sysdig row; returns the (index,
    event, field) of each one used."""
    if trace != "synthetic.scap":
        return set()
    used = set()
    num = int(row[0])
    for k, d in enumerate(SYNTHETIC_DEVIATIONS):
        if num not in d["events"]:
            continue
        for j, field in enumerate(fields):
            if field not in d["fields"]:
                continue
            v = row[j]
            if "sysdig" in d:
                assert v == d["sysdig"], f"synthetic deviation {k}: sysdig now prints {v!r} for evt {num} {field}"
                v = d["harrier"]
            for bad, good in d.get("replace", ()):
                v = v.replace(bad, good)
            assert v != row[j], f"synthetic deviation {k} does not apply to evt {num} {field}: {row[j]!r}"
            row[j] = v
            used.add((k, num, field))
    return used


def deviation_for(trace, num, field):
    for d in FIELD_DEVIATIONS:
        if d["trace"] == trace and d["field"] == field and num in d["events"]:
            return d
    return None


def fmt_of(fields):
    return "*" + SEP.join("%" + f for f in fields)


def rows(text, fields):
    out = []
    for line in text.splitlines():
        vals = line.split(SEP)
        assert len(vals) == len(fields), f"{len(vals)} values for {len(fields)} fields: {line[:300]!r}"
        out.append(vals)
    return out


def compare_fields(ctx, trace, fields):
    used, problems = field_differences(ctx, trace, fields)
    assert not problems, f"{os.path.basename(trace)}:\n" + "\n".join(problems[:12])
    return used


def field_differences(ctx, trace, fields):
    """Compares field by field with the deviations applied; returns the
    deviations used and the differences left (at most 13)."""
    name = os.path.basename(trace)
    fmt = fmt_of(fields)
    exp = rows(ctx.sysdig("-r", trace, "-p", fmt).stdout.decode(errors="replace"), fields)
    got = rows(ctx.inspect("-r", trace, "-p", fmt).stdout.decode(errors="replace"), fields)
    used = set()
    for row in exp:
        if "thread.tid" in fields and "fd.num" in fields and fix_socket_garbage(name, fields, row):
            used.add((name, int(row[0]), "socket"))
        used |= {(name,) + u for u in fix_synthetic_row(name, fields, row)}
        for j, field in enumerate(fields):
            d = deviation_for(name, int(row[0]), field)
            if d:
                row[j] = d["harrier"]
                used.add((name, int(row[0]), field))
    problems = []
    if len(exp) != len(got):
        problems.append(f"sysdig prints {len(exp)} lines, harrier {len(got)}")
    for e, g in zip(exp, got):
        for j, field in enumerate(fields):
            if e[j] != g[j] and field in VALUE_DEVIATIONS and VALUE_DEVIATIONS[field](e[j], g[j]):
                used.add((name, int(e[0]), field))
            elif e[j] != g[j]:
                problems.append(f"evt {e[0]} {field}: sysdig {e[j][:200]!r} harrier {g[j][:200]!r}")
        if len(problems) > 12:
            break
    return used, problems


def _fields_test(name, fields, label):
    def test(ctx):
        compare_fields(ctx, os.path.join(ctx.traces_dir, name), fields)
    test.__name__ = f"test_{label}_{name[:-5].replace('-', '_')}"
    return test


for _name in sorted(f for f in os.listdir(TRACES_DIR) if f.endswith(".scap")):
    for _fields, _label in ((ISSUE_FIELDS, "issue_fields"), (MORE_FIELDS, "more_fields")):
        _t = _fields_test(_name, _fields, _label)
        globals()[_t.__name__] = _t


def test_issue_format_as_written(ctx):
    # The exact format of the issue, spaces and all, line for line.
    fmt = "*" + " ".join("%" + f for f in ISSUE_FIELDS)
    for trace in ctx.traces():
        name = os.path.basename(trace)
        if any(d["trace"] == name for d in FIELD_DEVIATIONS):
            continue  # covered field by field above, deviations applied
        exp = ctx.sysdig("-r", trace, "-p", fmt).stdout.decode(errors="replace")
        got = ctx.inspect("-r", trace, "-p", fmt).stdout.decode(errors="replace")
        d = harness.diff_lines(exp, got)
        assert not d, f"{name}:\n{d}"


def test_deviations_are_all_used(ctx):
    used = set()
    for trace in ctx.traces():
        used |= compare_fields(ctx, trace, ISSUE_FIELDS) | compare_fields(ctx, trace, MORE_FIELDS)
    corpus = {os.path.basename(t) for t in ctx.traces()}
    listed = {(d["trace"], n, d["field"]) for d in FIELD_DEVIATIONS for n in d["events"]
              if d["trace"] in corpus}
    stale = listed - used
    assert not stale, f"deviations listed for events sysdig does not print: {sorted(stale)[:10]}"


def test_fields_have_values_on_corpus(ctx):
    # Guards against a field that is <NA> everywhere on both sides passing
    # unnoticed: each of these must have a real value somewhere.
    must = ["proc.name", "proc.exe", "proc.cmdline", "proc.pname", "proc.cwd", "fd.name", "fd.type",
            "user.name", "proc.ppid", "fd.num", "evt.args", "container.id"]
    seen = {f: False for f in must}
    for trace in ctx.traces():
        out = ctx.inspect("-r", trace, "-p", fmt_of(must)).stdout.decode(errors="replace")
        for row in rows(out, must):
            for f, v in zip(must, row):
                if v not in ("<NA>", ""):
                    seen[f] = True
    assert all(seen.values()), [f for f, s in seen.items() if not s]


def synthetic_capture(ctx):
    import subprocess
    import sys
    path = os.path.join(ctx.tmp, "synthetic.scap")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "gen_all_events.py"), path,
                    "--spec", os.path.join(ctx.shared, "spec")], check=True)
    return path


def test_issue_fields_synthetic(ctx):
    compare_fields(ctx, synthetic_capture(ctx), ISSUE_FIELDS)


def test_more_fields_synthetic(ctx):
    # evt.res crashes sysdig 0.29.3 on this capture (see the test below).
    compare_fields(ctx, synthetic_capture(ctx), [f for f in MORE_FIELDS if f != "evt.res"])


def test_synthetic_deviations_are_all_used(ctx):
    # Every (deviation, event, field) of SYNTHETIC_DEVIATIONS must have
    # applied in one of the two comparisons.
    path = synthetic_capture(ctx)
    used = set()
    for fields in (ISSUE_FIELDS, [f for f in MORE_FIELDS if f != "evt.res"]):
        used |= field_differences(ctx, path, fields)[0]
    listed = {("synthetic.scap", k, n, f) for k, d in enumerate(SYNTHETIC_DEVIATIONS) for n in d["events"]
              for f in d["fields"]}
    stale = listed - used
    assert not stale, f"synthetic deviations listed for values that do not differ: {sorted(stale)}"


def test_evt_res_where_sysdig_crashes(ctx):
    """sysdig 0.29.3 dereferences a missing `fd` parameter for evt.res on exits
    of fd-creating events without a `res` parameter (the bpf exit, whose result
    is `res_or_fd`) and dies with SIGSEGV. Harrier prints <NA> there, as for
    any event without a result, and matches sysdig on every line before."""
    path = synthetic_capture(ctx)
    fmt = "*%evt.num %evt.type %evt.dir %evt.res"
    s = ctx.sysdig("-r", path, "-p", fmt, check=False)
    assert s.returncode != 0, "sysdig no longer crashes here: drop this deviation"
    exp = s.stdout.decode(errors="replace").splitlines()
    got = ctx.inspect("-r", path, "-p", fmt).stdout.decode(errors="replace").splitlines()
    assert got[:len(exp)] == exp, harness.diff_lines("\n".join(exp), "\n".join(got[:len(exp)]))
    crash = got[len(exp)]
    assert crash.split()[1:] == ["bpf", "<", "<NA>"], crash
    assert len(got) > len(exp) + 100, "Harrier stops early"


# sysdig 0.29.3 never initializes the exe-writable flag of a thread it meets
# only in events (tid 999 of the hand-built capture, events 27-28 and 55-56):
# it prints whatever that memory held ('true' on these machines). Nothing in
# the capture marks that executable writable: Harrier prints false.
FIELD_DEVIATIONS.append(dict(
    trace="inspect.scap", field="proc.is_exe_writable", events={27, 28, 55, 56}, harrier="false",
    why="sysdig 0.29.3 leaves m_exe_writable uninitialized for threads created from events"))


def test_issue_fields_hand_built(ctx):
    import test_inspect_cli
    compare_fields(ctx, test_inspect_cli.inspect_capture(ctx), ISSUE_FIELDS)


def test_more_fields_hand_built(ctx):
    import test_inspect_cli
    used = compare_fields(ctx, test_inspect_cli.inspect_capture(ctx), MORE_FIELDS)
    assert len(used) == 4, f"the exe-writable deviation applies to 4 events, used on {sorted(used)}"


def test_json_fields_hand_built(ctx):
    # JSON of every field type: numbers, strings with non-ASCII and control
    # characters, booleans, addresses, null for missing values. Lines are
    # compared as text; a line holding a listed deviation is compared as
    # parsed JSON with the deviation applied.
    import json
    import test_inspect_cli
    path = test_inspect_cli.inspect_capture(ctx)
    name = os.path.basename(path)
    as_json = {"true": True, "false": False}
    # sysdig 0.29.3 cannot put a PT_DOUBLE value in JSON: it stops with
    # "wrong event type 33" (rawval_to_json has no case for it), so the
    # double fields are left out here while sysdig still fails on them.
    r = ctx.sysdig("-r", path, "-j", "-p", "*%evt.num %proc.fdusage", check=False)
    assert r.returncode != 0 and b"wrong event type 33" in r.stdout + r.stderr, "sysdig renders doubles now"
    doubles = {"proc.fdusage", "thread.cpu", "thread.cpu.user", "thread.cpu.system"}
    for fields in (ISSUE_FIELDS, [f for f in MORE_FIELDS if f not in doubles]):
        fmt = "*" + " ".join("%" + f for f in fields)
        exp = ctx.sysdig("-r", path, "-j", "-p", fmt).stdout.decode().splitlines()
        got = ctx.inspect("-r", path, "-j", "-p", fmt).stdout.decode().splitlines()
        assert len(exp) == len(got), (len(exp), len(got))
        for e, g in zip(exp, got):
            eo = json.loads(e)
            devs = {f: d for f in fields if (d := deviation_for(name, eo["evt.num"], f))}
            if not devs:
                assert e == g, f"sysdig: {e}\nharrier: {g}"
                continue
            for f, d in devs.items():
                eo[f] = as_json.get(d["harrier"], d["harrier"])
            assert eo == json.loads(g), f"sysdig with deviations: {eo}\nharrier: {g}"


def generic_events_capture(path):
    """A generic syscall enter and exit (ID, nativeID) for every syscall
    code sysdig 0.29.3 knows (it crashes on codes past its table)."""
    import scapbuild as sb
    cap = sb.Capture()
    cap.shb()
    sb.standard_metadata(cap)
    ts = 1_600_000_000_000_000_000
    for code in range(0, 329):
        cap.event(0, [sb.u16(code), sb.u16(code + 1000)], tid=100, ts=ts)
        cap.event(1, [sb.u16(code)], tid=100, ts=ts + 10)
        ts += 100
    return cap.write(path)


def test_evt_category(ctx):
    """evt.category on every event. Generic syscall events take the category
    of their syscall code in sysdig's syscall table (the table Harrier
    carries in src/fields/syscall_categories_2022.c); their I/O categories
    are "unknown" (no file/net/ipc split)."""
    fmt = "*%evt.num %evt.type %evt.category %evt.arg.ID"
    import test_inspect_cli
    generic = generic_events_capture(os.path.join(ctx.tmp, "generic.scap"))
    paths = ctx.traces() + [test_inspect_cli.inspect_capture(ctx), synthetic_capture(ctx), generic]
    compared = 0
    categories = set()
    for path in paths:
        exp = ctx.sysdig("-r", path, "-p", fmt).stdout.decode(errors="replace").splitlines()
        got = ctx.inspect("-r", path, "-p", fmt).stdout.decode(errors="replace").splitlines()
        assert len(exp) == len(got), (path, len(exp), len(got))
        for e, g in zip(exp, got):
            assert e == g, f"{os.path.basename(path)}: sysdig {e!r} harrier {g!r}"
            if path == generic:
                categories.add(g.split(" ")[2])
            compared += 1
    assert compared > 1600, compared
    # every category name sysdig gives generic events shows up
    assert categories >= {"other", "file", "net", "IPC", "memory", "process", "sleep", "system", "signal",
                          "user", "time", "unknown", "wait"}, categories
    out = ctx.inspect("-r", generic, "-p", "%evt.type %evt.category", "evt.num = 4").stdout.decode()
    assert out == "restart_syscall system\n", out  # code 1, exit of the second pair


def test_fd_dev_after_open(ctx):
    """fd.dev, fd.dev.major, fd.dev.minor on the exits of open, openat and
    creat, which set the fd's device from their dev parameter. On other
    events sysdig 0.29.3 often prints memory it never set (sockets,
    directories, files listed without a device: different numbers from one
    run to the next), so only these lines are compared; Harrier prints 0
    for an unknown device."""
    fmt = "*%evt.num %evt.type %evt.dir %fd.dev %fd.dev.major %fd.dev.minor %evt.failed"
    import test_inspect_cli
    compared = 0
    for path in ctx.traces() + [test_inspect_cli.inspect_capture(ctx), synthetic_capture(ctx)]:
        exp = ctx.sysdig("-r", path, "-p", fmt).stdout.decode(errors="replace").splitlines()
        got = ctx.inspect("-r", path, "-p", fmt).stdout.decode(errors="replace").splitlines()
        assert len(exp) == len(got), (path, len(exp), len(got))
        for e, g in zip(exp, got):
            w = e.split(" ")
            if w[1] in ("open", "openat", "creat") and w[2] == "<" and w[-1] == "false":
                assert e == g, f"{os.path.basename(path)}: sysdig {e!r} harrier {g!r}"
                compared += 1
    assert compared > 30, compared


# evt.latency and friends. sysdig 0.29.3 keeps one latency per thread and
# overwrites it only when it reads an enter (0) or an exit (the time since
# the thread's last enter). Two of its values are leftovers, each checked to
# be one before it is replaced by what Harrier prints:
# - a context switch prints the latency its thread's previous exit left;
#   a switch is no call's exit, so Harrier prints 0 as on every non-exit;
# - evt.latency.human keeps the text of the last event that had a thread
#   when the event has none (switch of an unknown tid, the child's clone
#   exit, page faults): Harrier prints the text of the event's own latency.
LATENCY_FIELDS = ["evt.num", "thread.tid", "evt.dir", "evt.type", "evt.latency", "evt.latency.s",
                  "evt.latency.ns", "evt.latency.human", "evt.wait_latency"]


def latency_text(ns):
    """sysdig's short duration text, worked out by hand from its rules."""
    us, ms, s = 1000, 1000000, 1000000000
    if ns >= 3600 * s:
        return "%02u:%02u:%02u" % (ns // (3600 * s), ns // (60 * s) % 60, ns // s % 60)
    if ns >= 60 * s:
        return "%u:%u" % (ns // (60 * s), ns // s % 60)
    if ns >= s:
        return "%u.%02us" % (ns // s, ns % s // (10 * ms))
    if ns >= 10 * ms:
        return "%ums" % (ns // ms)
    if ns >= ms:
        return "%u.%02ums" % (ns // ms, ns % ms // (10 * us))
    if ns >= 10 * us:
        return "%uus" % (ns // us)
    if ns >= us:
        return "%u.%02uus" % (ns // us, ns % us // 10)
    return "%uns" % ns


def compare_latency(ctx, trace):
    fmt = fmt_of(LATENCY_FIELDS)
    exp = rows(ctx.sysdig("-r", trace, "-p", fmt).stdout.decode(errors="replace"), LATENCY_FIELDS)
    got = rows(ctx.inspect("-r", trace, "-p", fmt).stdout.decode(errors="replace"), LATENCY_FIELDS)
    assert len(exp) == len(got), f"sysdig prints {len(exp)} lines, harrier {len(got)}"
    last_exit = {}  # tid -> the latency sysdig printed at its last exit
    fixed = 0
    problems = []
    for e, g in zip(exp, got):
        num, tid, direction, etype, lat = e[0], e[1], e[2], e[3], e[4]
        if etype == "switch" and lat not in ("0", "<NA>") and last_exit.get(tid) == lat:
            e[4:8] = ["0", "0", "000000000", "0ns"]
            fixed += 1
        elif direction == "<" and lat != "<NA>":
            last_exit[tid] = lat
        if e[4].isdigit() and e[7] != latency_text(int(e[4])):
            e[7] = latency_text(int(e[4]))
            fixed += 1
        for field, want, have in zip(LATENCY_FIELDS, e, g):
            if want != have:
                problems.append(f"evt {num} {field}: sysdig (stale values replaced) {want!r} harrier {have!r}")
    assert not problems, "\n".join(problems[:12])
    return len(exp), fixed


def test_latency_fields(ctx):
    for trace in ctx.traces():
        compare_latency(ctx, trace)
    # guards against a comparison of zeros: open-multiple-files has real
    # latencies, and one switch with a stale one
    lines, fixed = compare_latency(ctx, os.path.join(ctx.traces_dir, "open-multiple-files.scap"))
    assert lines > 80 and fixed == 1, (lines, fixed)
    out = ctx.inspect("-r", os.path.join(ctx.traces_dir, "cat_write.scap"), "-p", "%evt.num %evt.latency",
                      "evt.num=133").stdout.decode()
    assert out == "133 653\n", out  # brk exit 133 at +653 ns from its enter 132


def test_latency_fields_hand_built(ctx):
    import test_inspect_cli
    compare_latency(ctx, test_inspect_cli.inspect_capture(ctx))


def test_latency_fields_synthetic(ctx):
    compare_latency(ctx, synthetic_capture(ctx))


def test_latency_json(ctx):
    import json
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    fmt = "%evt.num %evt.latency %evt.latency.s %evt.latency.ns %evt.latency.human %evt.wait_latency"
    exp = [json.loads(x) for x in ctx.sysdig("-r", trace, "-j", "-p", fmt).stdout.decode().splitlines()]
    got = [json.loads(x) for x in ctx.inspect("-r", trace, "-j", "-p", fmt).stdout.decode().splitlines()]
    assert exp == got, [(a, b) for a, b in zip(exp, got) if a != b][:3]


def test_rawarg_read_as_first_type_of_its_name(ctx):
    # sysdig resolves evt.rawarg.NAME once, to the first event parameter of
    # that name (res: a signed errno result), and reads every event's NAME
    # as that type: brk's and mmap's unsigned results print in decimal.
    fields = ["evt.num", "evt.type", "evt.rawarg.res", "evt.rawarg.size", "evt.rawarg.name"]
    brk = 0
    for trace in ctx.traces() + [synthetic_capture(ctx)]:
        compare_fields(ctx, trace, fields)
        if trace.endswith("cat_write.scap"):
            out = ctx.inspect("-r", trace, "-p", "%evt.rawarg.res", "evt.num=133").stdout.decode()
            brk = int(out)
    assert brk == 9592832, brk  # brk exit 133: res=926000 (hex) in evt.args


def test_json_doubles_are_numbers(ctx):
    # sysdig 0.29.3 stops at a double in JSON (test_json_fields_hand_built);
    # Harrier writes it as a JSON number as Falco's libs do, the value -p
    # prints with one decimal.
    import json
    import test_proc_fields
    path = test_proc_fields.sched_capture(os.path.join(ctx.tmp, "sched.scap"))
    doubles = ["proc.fdusage", "thread.cpu", "thread.cpu.user", "thread.cpu.system"]
    fmt = "*%evt.num " + " ".join("%" + f for f in doubles)
    text = ctx.inspect("-r", path, "-p", fmt).stdout.decode().splitlines()
    objs = [json.loads(x) for x in ctx.inspect("-r", path, "-j", "-p", fmt).stdout.decode().splitlines()]
    assert len(text) == len(objs) > 10
    numbers = 0
    for line, o in zip(text, objs):
        for f, printed in zip(doubles, line.split()[1:]):
            if printed == "<NA>":
                assert o[f] is None, (line, o)
                continue
            assert isinstance(o[f], float) and "%.1f" % o[f] == printed, (f, line, o)
            numbers += 1
    assert numbers > 15, numbers
    one = ctx.inspect("-r", path, "-j", "-p", "%proc.fdusage", "evt.num = 30").stdout.decode()
    assert one == '{"proc.fdusage":62.5}\n', one  # 5 of app's fd limit of 8


def test_latency_quantized(ctx):
    # sysdig computes evt.latency.quantized from the same per-thread latency
    # as evt.latency, so rows are compared where the two print the same
    # evt.latency (a switch's stale latency is the one known difference,
    # checked by the latency tests above); there Harrier must print the
    # same bucket, <NA> included.
    fields = ["evt.num", "evt.latency", "evt.latency.quantized"]
    compared = buckets = 0
    for trace in ctx.traces() + [synthetic_capture(ctx)]:
        fmt = fmt_of(fields)
        exp = rows(ctx.sysdig("-r", trace, "-p", fmt).stdout.decode(errors="replace"), fields)
        got = rows(ctx.inspect("-r", trace, "-p", fmt).stdout.decode(errors="replace"), fields)
        assert len(exp) == len(got), (trace, len(exp), len(got))
        for e, g in zip(exp, got):
            if e[1] != g[1]:
                continue
            assert e == g, (trace, e, g)
            compared += 1
            buckets += e[2] not in ("<NA>", "")
    assert compared > 1000 and buckets > 300, (compared, buckets)
