"""Filters compared with sysdig 0.29.3: every filter of CORPUS is run by both
(`-p '%evt.num' FILTER`) on every shared capture and on the synthetic
all-events capture, and the sets of matched evt.num must be equal.

The corpus covers each operator sysdig 0.29.3 knows on each field type
(strings, signed and unsigned numbers, booleans, addresses, networks,
ports, byte buffers, dynamic evt.rawarg values), nested and/or/not,
negations and lists.

sysdig runs with -d: Harrier runs every event through the state before the
filter (as Falco does and as sysdig -d does). Without -d, sysdig tests
events that do not change the state BEFORE parsing them and skips the
parsing of those that fail, which also forgets the pending enter event:
then fields of later events differ (cat_write.scap evt 153: read exit
with evt.category "unknown" and no evt.buflen, proc.vmrss stale), so that
mode is not the oracle for filter semantics.
"""
import fnmatch
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import harness

HERE = os.path.dirname(os.path.abspath(__file__))

STRING_FIELDS = ["proc.name", "fd.name", "proc.exe", "proc.args", "fd.directory", "user.name",
                 "proc.pname", "fd.typechar", "evt.dir", "proc.cmdline"]
STRING_CHECKS = [
    "{f} = cat", "{f} != cat", "{f} contains at", "{f} icontains AT", "{f} startswith /",
    "{f} endswith e", "{f} glob '*a*'", "{f} in (cat, sh, read, /etc, root, f, '<')",
    "{f} exists", "not {f} exists", "{f} > m", "{f} <= e",
]

CORPUS = [
    # strings: every operator on several fields
    *[c.format(f=f) for f in STRING_FIELDS[:4] for c in STRING_CHECKS],
    *[c.format(f=f) for f in STRING_FIELDS[4:] for c in STRING_CHECKS[:4] + STRING_CHECKS[8:10]],
    # sysdig refuses evt.type values that name no event
    "evt.type = open", "evt.type != read", "evt.type contains open", "evt.type startswith open",
    "evt.type endswith openat", "evt.type glob open", "evt.type > read", "evt.type <= close",
    "evt.type exists", "evt.type in (read, write, close)", "not evt.type in (read, write, close)",
    "fd.name pmatch (/etc, /usr/lib)", "fd.name pmatch (/)", "fd.directory pmatch (/proc)",
    "not fd.name pmatch (/dev, /proc)", "fd.filename in (passwd, 'ld.so.cache', libc.so.6)",
    "fd.name glob /etc/*", "fd.name glob '/lib/*/libc.so.?'", "proc.name glob '[a-c]*'",
    "fd.name = ''", "fd.name != ''", "proc.args contains -",
    'evt.args contains "fd=3"', "evt.args contains res=0", "evt.info icontains FD",
    "evt.type = \"open\"", "evt.type='close'", "evt.type in (open,openat,close)",
    "evt.type in ( open , 'read' , \"write\" )", "evt.category = file", "evt.category in (net, process)",
    "syscall.type = read",
    "fd.type = ipv4", "fd.type in (file, directory)", "fd.type = unix", "fd.l4proto = tcp",
    "fd.l4proto in (udp, icmp)", "fd.sockfamily = ip", "fd.sockfamily = unix", "fd.cproto = http",
    "user.shell endswith sh", "user.homedir = /root", "proc.cwd startswith /", "container.id = host",
    "container.id != host", "container.name exists", "container.image contains a",
    "thread.nametid contains cat", "proc.sname exists", "proc.exepath endswith cat",
    "evt.arg.name contains etc", "evt.arg.fd exists", "evt.arg[0] exists", "evt.arg.res = 0",
    "evt.arg.flags contains O_RDONLY", "evt.arg.flags contains O_CLOEXEC",
    "fd.uid exists", "fd.containername contains :", "proc.aname = bash", "proc.aname = sshd",
    "proc.aname contains s", "proc.aname[1] = bash", "proc.aname[2] exists", "proc.aname in (sh, bash)",
    "proc.pcmdline contains bash",
    # signed numbers
    "proc.pid = 1", "proc.pid != 1", "proc.pid > 100", "proc.pid < 100", "proc.pid >= 12000",
    "proc.pid <= 0", "proc.pid in (1, 2, 3)", "proc.ppid > 1", 
    "thread.tid != 0", "fd.num = 3", "fd.num >= 0", "fd.num < 0", "fd.num in (0, 1, 2)",
    "fd.num != -1", "evt.cpu = 0", "evt.cpu > 0", "evt.cpu in (1, 2)", "user.loginuid = -1",
    "user.loginuid >= 0",  "proc.vpid > 0", "thread.vtid exists",
    "proc.sid > 0", "proc.vpgid exists", "proc.loginshellid > 0", "proc.fdlimit > 1000",
    "proc.tty != 0", "fd.dev != 0", "evt.rawres < 0", "evt.rawres >= 0", "evt.rawres = -2",
    "proc.apid = 1", "proc.apid[1] > 1",
    # unsigned numbers
    "evt.num = 140", "evt.num > 200", "evt.num < 150", "evt.num <= 133", "evt.num >= 1000",
    "evt.num != 140", "evt.num in (135, 140, 150, 1000)", "user.uid = 0", "user.uid != 0",
    "user.uid = -1", "user.uid = 4294967295", "user.uid in (0, 1000)", "group.gid = 0",
    "evt.buflen > 0", "evt.buflen = 0", "evt.buflen > 100", "evt.count = 1", "evt.count.error = 1",
    "evt.count.error.file = 1", "evt.count.exit = 1", "evt.rawtime > 0", "evt.rawtime.s > 1000",
     "evt.reltime < 1000000",
    "proc.vmsize > 0", "proc.vmrss > 1000", "thread.vmsize = 0", "proc.duration > 0",
    "thread.pfminor > 0", "evt.type.is.open = 1", "evt.type.is.read = 0",
    # ports
    "fd.sport = 80", "fd.sport != 80", "fd.sport > 1024", "fd.cport > 1024", "fd.sport = http",
    "fd.sport in (53, 80, 443)", "fd.port = 80", "fd.port != 80", "fd.port in (22, 80)",
    "fd.proto = http",
    # booleans
    "thread.ismain = true", "thread.ismain = false", "thread.ismain != true", "evt.failed = true",
    "evt.failed = false", "evt.is_io = true", "evt.is_io_read = true", "evt.is_io_write = true",
    "evt.is_wait = true", "evt.is_syslog = false", "evt.is_open_read = true",
    "evt.is_open_write = true", "proc.is_exe_writable = true",
    # addresses and networks
    "fd.sip = 127.0.0.1", "fd.cip = 127.0.0.1", "fd.sip != 127.0.0.1", "fd.cip exists",
    "fd.sip in (127.0.0.1, 8.8.8.8)", "fd.ip = 127.0.0.1", "fd.ip != 127.0.0.1", "fd.ip = 8.8.8.8",
    "fd.ip in (127.0.0.1)", "fd.net = 127.0.0.0/8", "fd.net != 127.0.0.0/8", "fd.net = 10.0.0.0/8",
    "fd.cnet = 127.0.0.0/8", "fd.snet = 127.0.0.0/24", "fd.snet = 0.0.0.0/0", "fd.net = 8.8.0.0/16",
    "fd.sip = ::1",
    # byte buffers
    "evt.buffer contains root", "evt.buffer = ''", "evt.buffer startswith root", "evt.buffer exists",
    # dynamic (evt.rawarg)
    "evt.rawarg.fd = 3", "evt.rawarg.fd > 2", "evt.rawarg.res = 0", "evt.rawarg.res < 0",
    "evt.rawarg.size > 100", "evt.rawarg.name contains etc", "evt.rawarg.flags > 0",
    # logic: and/or/not, nesting, negations
    "proc.name = cat and evt.type = read", "proc.name = cat or evt.type = close",
    "not proc.name = cat", "not (proc.name = cat and evt.dir = <)",
    "(evt.type = open or evt.type = openat) and fd.name startswith /etc",
    "evt.type = read and not fd.name startswith /dev and evt.dir = <",
    "not evt.type in (read, write)", 
    "((proc.name = cat) or (proc.name = sh)) and (evt.dir = > or evt.failed = true)",
    "(fd.type = file and not fd.name contains lib) or (fd.type = ipv4 and fd.sport = 80)",
    "evt.type = execve and evt.dir = < and proc.name != cat",
    "not (evt.type = read or evt.type = write or evt.type = close)",
    "proc.name exists and not fd.name exists", "evt.num > 150 and evt.num < 160",
    "(evt.num < 140 or evt.num > 2000) and not evt.type = switch",
    "evt.type != switch and evt.type != procexit", "evt.type=open and fd.num>=3",
    "(evt.type=connect or evt.type=accept) and fd.l4proto=tcp",
    "not (fd.typechar = f or fd.typechar = d)", "(not evt.failed = true) and evt.type = open",
    "evt.dir = < and (evt.rawres < 0 or evt.rawres > 1000)",
    "fd.name contains passwd or (proc.name = cat and fd.num = 1)",
    "(((evt.type = write)))", "evt.type = write and (fd.num = 1 or fd.num = 2)",
    "evt.type in (sendto, recvfrom, sendmsg, recvmsg) and not fd.sip = 127.0.0.1",
    "evt.type = socket or (evt.type = connect and evt.dir = <)",
    "not proc.aname = bash and proc.name exists",
]


# Field values in which Harrier and sysdig 0.29.3 differ (not filter
# semantics): for a filter naming the field, these events are left out of
# the comparison on that capture; None leaves out the whole capture.
STALE = {36, 803, 804, 961, 962, 975, 1183, 1184}
CORPUS_FIELD_DEVIATIONS = {
    ("synthetic.scap", "fd.name"): (STALE | {32, 421}, "stale socket info in sysdig's fd table "
                                    "(STALE_SOCKINFO, test_all_events.py); evt 421 fd.name (test_state.py)"),
    ("synthetic.scap", "fd.directory"): ({421}, "evt 421 fd.name (test_state.py)"),
    ("synthetic.scap", "fd.containername"): (STALE | {32, 421}, "as fd.name"),
    ("synthetic.scap", "fd.l4proto"): (STALE | {22}, "as fd.name; evt 22 socket role"),
    ("synthetic.scap", "fd.sport"): (STALE, "as fd.name"),
    ("synthetic.scap", "evt.category"): ({3, 319, 320, 636}, "event categories of 2022 vs newest tables"),
    ("cat_write.scap", "evt.category"): ({158, 159, 172, 173, 174, 175, 176, 177, 178, 179, 214},
                                         "event categories of 2022 vs newest tables"),
    ("synthetic.scap", "evt.arg.res"): ({1107, 1133, 1135, 1165, 1167, 1169, 1171, 1173, 1175, 1214, 1231,
                                         1269}, "evt.arg.res of exit events whose enter has no res"),
    ("cat_write.scap", "proc.cwd"): (None, "sysdig 0.29.3 ignores the execve cwd (test_print_fields.py)"),
    ("connect_localhost.scap", "fd.dev"): ({185, 186, 187, 189, 191}, "fd.dev of sockets (sysdig 55DB)"),
    ("synthetic.scap", "fd.dev"): (None, "fd.dev of sockets and of fds from the fd table"),
    ("synthetic.scap", "proc.sid"): (None, "with any filter sysdig 0.29.3 prints -1 for threads whose "
                                     "sid it prints otherwise (evt 218: 3000 without a filter)"),
    ("synthetic.scap", "user.loginuid"): (None, "as proc.sid (evt 261)"),
    # sysdig 0.29.3 is wrong in these (filter-side, not fields):
    ("synthetic.scap", "evt.rawarg.flags"): (
        {1078, 1088, 1090, 2151, 2153, 2155},
        "sysdig types evt.rawarg.flags once, as the first event with 'flags' (open, 4 bytes), and reads "
        "4 bytes from the 1-byte flags=0 of signalfd/timerfd_create: past the parameter"),
    ("synthetic.scap", "fd.sip"): (
        {2054, 2055, 2056},
        "IPv6 listening socket :::9000 (fd.sip prints 0.0.0.0 in both): sysdig matches fd.sip = ::1 by "
        "comparing bytes of its address union that are not the address"),
}


def synthetic(ctx):
    path = os.path.join(ctx.tmp, "synthetic.scap")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_all_events.py"), path,
                    "--spec", os.path.join(ctx.shared, "spec")], check=True,
                   capture_output=True)
    return path


def matched(proc):
    return sorted(set(proc.stdout.decode().split()), key=int)


def compare(ctx, traces, filters):
    def one(job):
        trace, flt = job
        s = ctx.sysdig("-d", "-r", trace, "-p", "%evt.num", flt, check=False)
        h = ctx.inspect("-r", trace, "-p", "%evt.num", flt, check=False)
        if s.returncode != 0:
            return f"{os.path.basename(trace)}: sysdig rejects {flt!r}: {s.stderr.decode()[-300:]}"
        if h.returncode != 0:
            return f"{os.path.basename(trace)}: harrier rejects {flt!r}: {h.stderr.decode()[-300:]}"
        se, he = set(matched(s)), set(matched(h))
        for (capture, field), (events, _reason) in CORPUS_FIELD_DEVIATIONS.items():
            if capture == os.path.basename(trace) and field in flt:
                if events is None:
                    return None
                se -= {str(n) for n in events}
                he -= {str(n) for n in events}
        if se != he:
            only_s = sorted(se - he, key=int)[:8]
            only_h = sorted(he - se, key=int)[:8]
            return (f"{os.path.basename(trace)} {flt!r}: only sysdig {only_s} ({len(se - he)}), "
                    f"only harrier {only_h} ({len(he - se)})")
        return None

    jobs = [(t, f) for t in traces for f in filters]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        problems = [p for p in pool.map(one, jobs) if p]
    return problems


def test_corpus_size(ctx):
    assert len(set(CORPUS)) >= 200, f"only {len(set(CORPUS))} distinct filters"


def test_filters_match_sysdig_on_shared_captures(ctx):
    problems = compare(ctx, ctx.traces(), CORPUS)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:30])


def test_filters_match_sysdig_on_synthetic_capture(ctx):
    problems = compare(ctx, [synthetic(ctx)], CORPUS)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:30])


# ---- beyond sysdig 0.29.3 ----------------------------------------------------
# Operators, transformers and forms sysdig 0.29.3 refuses or gets wrong get
# hand-written expectations over the same captures: either an equivalent
# filter sysdig knows (EQUIVALENT), or a predicate computed here over the
# field values sysdig prints for every event (COMPUTED).

EQUIVALENT = [
    ("proc.name == cat", "proc.name = cat"),
    ("evt.type == open or evt.type == openat", "evt.type = open or evt.type = openat"),
    ("evt.buffer bcontains 726f6f74", "evt.buffer contains root"),
    ("evt.buffer bstartswith 726F", "evt.buffer startswith ro"),
    ("proc.name intersects (cat, sh)", "proc.name in (cat, sh)"),
    ("fd.sip in (127.0.0.0/8)", "fd.snet = 127.0.0.0/8"),
    ("fd.sip = 127.0.0.0/8", "fd.snet = 127.0.0.0/8"),
    ("fd.cip in (127.0.0.1/32, 10.0.0.0/8)", "fd.cnet = 127.0.0.1/32 or fd.cnet = 10.0.0.0/8"),
    ("fd.sip in (127.0.0.1/32, 8.8.8.8)", "fd.sip = 127.0.0.1 or fd.sip = 8.8.8.8"),
    # Falco precedence: `and` binds tighter than `or` (sysdig refuses the mix)
    ("proc.name = cat or evt.type = close and fd.num = 1",
     "proc.name = cat or (evt.type = close and fd.num = 1)"),
    ("not proc.name = cat and evt.dir = <", "(not proc.name = cat) and evt.dir = <"),
    # sysdig 0.29.3 is wrong here: it ORs `not` flags, so `not not X` is `not X`
    ("not not evt.type = close", "evt.type = close"),
    # sysdig 0.29.3 is wrong here: `in` on proc.apid without an index
    # compares the wrong ancestor and never matches, while `=` searches all
    ("proc.apid in (1, 0)", "proc.apid = 1 or proc.apid = 0"),
    ("proc.aname in (bash, sshd)", "proc.aname = bash or proc.aname = sshd"),
    ("evt.num in (0x90, 0xa0)", "evt.num in (144, 160)"),
    ("fd.name pmatch (/etc/)", "fd.name = /etc or fd.name startswith /etc/"),
]


def _int(v):
    return int(v)


COMPUTED = [
    # (filter, fields sysdig prints, predicate over their values); the
    # predicate sees only events where every field has a value, and a filter
    # starting with "not " expects the complement of its predicate.
    ("tolower(proc.name) = cat", ["proc.name"], lambda n: n.lower() == "cat"),
    ("toupper(fd.name) contains ETC", ["fd.name"], lambda n: "ETC" in n.upper()),
    ("basename(fd.name) = passwd", ["fd.name"], lambda n: n.rsplit("/", 1)[-1] == "passwd"),
    ("basename(proc.exe) startswith c", ["proc.exe"],
     lambda n: n.rsplit("/", 1)[-1].startswith("c")),
    ("len(proc.name) = 4", ["proc.name"], lambda n: len(n.encode()) == 4),
    ("len(fd.name) > 20", ["fd.name"], lambda n: len(n.encode()) > 20),
    ("len(fd.name) in (0, 1)", ["fd.name"], lambda n: len(n.encode()) in (0, 1)),
    ("proc.name regex 'c.t'", ["proc.name"], lambda n: re.fullmatch("c.t", n) is not None),
    ("fd.name regex '/(etc|lib)/[a-z.]+'", ["fd.name"],
     lambda n: re.fullmatch("/(etc|lib)/[a-z.]+", n) is not None),
    ("not fd.name regex '.*[0-9].*'", ["fd.name"], lambda n: re.fullmatch(".*[0-9].*", n) is not None),
    ("fd.name iglob '/ETC/*'", ["fd.name"], lambda n: fnmatch.fnmatchcase(n.lower(), "/etc/*")),
    ("proc.name iglob 'C?T'", ["proc.name"], lambda n: fnmatch.fnmatchcase(n.lower(), "c?t")),
    ("thread.tid = val(proc.pid)", ["thread.tid", "proc.pid"],
     lambda t, p: t == p),
    ("thread.tid != val(proc.pid)", ["thread.tid", "proc.pid"],
     lambda t, p: t != p),
    ("proc.pid > val(proc.ppid)", ["proc.pid", "proc.ppid"],
     lambda a, b: _int(a) > _int(b)),
    ("proc.name = val(proc.pname)", ["proc.name", "proc.pname"],
     lambda a, b: a == b),
    ("fd.name startswith val(fd.directory)", ["fd.name", "fd.directory"],
     lambda a, b: a.startswith(b)),
    ("tolower(proc.name) = tolower(proc.pname)", ["proc.name", "proc.pname"],
     lambda a, b: a.lower() == b.lower()),
    ("len(proc.name) < val(evt.num)", ["proc.name", "evt.num"],
     lambda a, n: len(a.encode()) < int(n)),
]

SEP = " |#| "

# Field values in which Harrier and sysdig 0.29.3 differ (recorded with their
# reasons in tests/test_all_events.py and tests/test_state.py): events left
# out of the comparison of the cases that read that field.
FIELD_DEVIATIONS = {
    ("synthetic.scap", "fd.name"): (
        {36, 803, 804, 961, 962, 975, 1183, 1184, 421},
        "stale socket info in sysdig's fd table (STALE_SOCKINFO in test_all_events.py) and evt 421 "
        "fd.name (test_state.py)"),
}


def test_beyond_sysdig(ctx):
    captures = ctx.traces() + [synthetic(ctx)]
    jobs = [(t, "eq", case) for t in captures for case in EQUIVALENT]
    jobs += [(t, "pred", case) for t in captures for case in COMPUTED]

    def one(job):
        trace, kind, case = job
        name = os.path.basename(trace)
        flt = case[0]
        h = ctx.inspect("-r", trace, "-p", "%evt.num", flt, check=False)
        if h.returncode != 0:
            return f"{name}: harrier rejects {flt!r}: {h.stderr.decode()[-300:]}"
        got = set(matched(h))
        if kind == "eq":
            s = ctx.sysdig("-d", "-r", trace, "-p", "%evt.num", case[1], check=False)
            if s.returncode != 0:
                return f"{name}: sysdig rejects {case[1]!r}: {s.stderr.decode()[-300:]}"
            want = set(matched(s))
        else:
            fields = case[1]
            fmt = "%evt.num" + "".join(SEP + "%" + f for f in fields)
            s = ctx.sysdig("-d", "-r", trace, "-p", fmt, check=False)
            want = set()
            for line in s.stdout.decode(errors="replace").splitlines():
                parts = line.split(SEP)
                if len(parts) == len(fields) + 1 and case[2](*parts[1:]):
                    want.add(parts[0])
            if flt.startswith("not "):
                every = ctx.sysdig("-d", "-r", trace, "-p", "%evt.num", check=False)
                want = set(matched(every)) - want
            for field in fields:
                skipped, _reason = FIELD_DEVIATIONS.get((name, field), (set(), ""))
                want -= {str(n) for n in skipped}
                got -= {str(n) for n in skipped}
        if got != want:
            return (f"{name} {flt!r}: missing {sorted(want - got, key=int)[:8]} ({len(want - got)}), "
                    f"extra {sorted(got - want, key=int)[:8]} ({len(got - want)})")
        return None

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        problems = [p for p in pool.map(one, jobs) if p]
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:30])
