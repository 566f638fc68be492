"""Every field sysdig 0.29.3 lists (`sysdig -l`) in the classes Harrier
offers, printed by both programs in one `-p` line per event on every corpus
trace and compared field by field; and every field Falco 0.44 offers
(../shared/spec/falco-fields.tsv) known to Harrier.

The field list is generated from `sysdig -l` at test time, not typed here;
only the arguments given to fields that need one are chosen here. Fields
sysdig refuses to print (filter-only ones) are found by asking sysdig. The
deviations where sysdig 0.29.3 is wrong are the ones test_print_fields.py
records, applied the same way."""
import os
import re

import test_print_fields as pf

# The classes the issue asks for (sysdig's k8s/mesos/marathon/span/syslog
# classes need orchestrator APIs or tracer events Harrier does not offer).
CLASS_PREFIXES = ("evt.", "syscall.", "proc.", "thread.", "fd.", "fdlist.", "user.", "group.", "container.")

# Fields that take an argument, printed with these arguments.
ARGUMENTS = {
    "evt.arg": ["evt.arg[0]", "evt.arg[1]", "evt.arg[2]", "evt.arg.fd", "evt.arg.name", "evt.arg.res",
                "evt.arg.flags", "evt.arg.size", "evt.arg.data"],
    # Not .fd or .flags: sysdig 0.29.3 stops with "wrong event type" at the
    # first event whose parameter of that name has another type than the
    # first one it found; Harrier prints each event's own value.
    "evt.rawarg": ["evt.rawarg.res", "evt.rawarg.size", "evt.rawarg.name"],
    "proc.apid": ["proc.apid[0]", "proc.apid[1]", "proc.apid[2]", "proc.apid[5]"],
    "proc.aname": ["proc.aname[0]", "proc.aname[1]", "proc.aname[2]", "proc.aname[5]"],
    "thread.cgroup": ["thread.cgroup.cpu", "thread.cgroup.memory", "thread.cgroup.pids"],
    "evt.abspath": ["evt.abspath.src", "evt.abspath.dst"],
    "container.mount": ["container.mount[0]", "container.mount[/tmp]"],
    "container.mount.source": ["container.mount.source[0]"],
    "container.mount.dest": ["container.mount.dest[0]"],
    "container.mount.mode": ["container.mount.mode[0]"],
    "container.mount.rdwr": ["container.mount.rdwr[0]"],
    "container.mount.propagation": ["container.mount.propagation[0]"],
    # sysdig 0.29.3 compares the whole rest of the format with the type
    # name, so this one is printed last (see below).
    "evt.type.is": [],
}
LAST = ["evt.type.is.open"]

# fd.dev of sockets: sysdig 0.29.3 never sets the device of an fd that
# socket() creates and prints whatever its reused fd structure held (0x55F8,
# 0x5644, 0x55EB in three runs on the same capture); Harrier prints 0.
SOCKET_TYPECHARS = {"4", "6", "u"}
DEV_FIELDS = {"fd.dev", "fd.dev.major", "fd.dev.minor"}

# Always in the line: they identify the row for the deviation tables.
KEY = ["evt.num", "thread.tid", "fd.num", "fd.typechar"]


def sysdig_field_names(ctx):
    text = ctx.sysdig("-l").stdout.decode()
    names = re.findall(r"^([a-z][A-Za-z0-9_.]*)\s", text, re.M)
    return [n for n in dict.fromkeys(names) if n.startswith(CLASS_PREFIXES)]


def printable(ctx, field):
    """sysdig's own answer to whether it prints the field."""
    empty = os.path.join(ctx.traces_dir, "empty.scap")
    return ctx.sysdig("-r", empty, "-p", "%" + field, check=False).returncode == 0


def harrier_knows(ctx, field):
    empty = os.path.join(ctx.traces_dir, "empty.scap")
    return ctx.inspect("-r", empty, "-p", "%" + field + "\x1f", check=False).returncode == 0


def every_field(ctx):
    fields = []
    for name in sysdig_field_names(ctx):
        for f in ARGUMENTS.get(name, [name]):
            if f not in KEY and printable(ctx, f):
                fields.append(f)
    return fields


def test_every_sysdig_field_known(ctx):
    missing = [f for f in every_field(ctx) + LAST if not harrier_knows(ctx, f)]
    assert not missing, f"{len(missing)} sysdig fields Harrier cannot print: {' '.join(missing)}"


def test_every_sysdig_filter_field_known(ctx):
    # The filter-only ones (fd.ip, fd.port, evt.around ...) must compile in filters.
    empty = os.path.join(ctx.traces_dir, "empty.scap")
    missing = []
    for name in sysdig_field_names(ctx):
        for f in ARGUMENTS.get(name, [name]) or [name + ".open"]:
            if printable(ctx, f):
                continue
            probe = f"{f} exists" if f != "evt.around" else "evt.around[1] = 1000"
            if ctx.sysdig("-r", empty, probe, check=False).returncode != 0:
                continue  # sysdig itself refuses this form in filters
            if ctx.inspect("-r", empty, probe, check=False).returncode != 0:
                missing.append(f)
    assert not missing, f"filter-only sysdig fields Harrier does not accept: {' '.join(missing)}"


def test_every_falco_field_known(ctx):
    """Falco 0.44's syscall fields, as filters (some are filter-only)."""
    path = os.path.join(ctx.shared, "spec", "falco-fields.tsv")
    empty = os.path.join(ctx.traces_dir, "empty.scap")
    missing = []
    for line in open(path).read().splitlines()[1:]:
        cls, name, ftype, is_list, arg = (line.split("\t") + [""] * 5)[:5]
        if arg == "required":
            # one argument form Falco accepts for each
            name += {"evt.type.is": ".open", "evt.rawarg": ".fd", "evt.abspath": ".src",
                     "evt.around": "[1]", "thread.cgroup": ".cpu"}.get(name, "[1]")
        if ctx.inspect("-r", empty, f"{name} exists", check=False).returncode != 0:
            missing.append(name)
    assert not missing, f"{len(missing)} Falco 0.44 fields Harrier does not know: {' '.join(missing)}"


def fix_stale_latency(fields, row, last_exit):
    """sysdig 0.29.3's stale latencies, replaced as
    test_print_fields.compare_latency does (and checked there): a switch
    event showing its thread's last exit latency again gets 0, and
    evt.latency.human that does not spell evt.latency is recomputed."""
    if "evt.latency" not in fields:
        return
    at = {f: fields.index(f) for f in ("evt.latency", "evt.latency.s", "evt.latency.ns", "evt.latency.human",
                                      "evt.type", "evt.dir", "thread.tid") if f in fields}
    lat, tid = row[at["evt.latency"]], row[at["thread.tid"]]
    if row[at["evt.type"]] == "switch" and lat not in ("0", "<NA>") and last_exit.get(tid) == lat:
        for f, v in (("evt.latency", "0"), ("evt.latency.s", "0"), ("evt.latency.ns", "000000000"),
                     ("evt.latency.human", "0ns")):
            if f in at:
                row[at[f]] = v
    elif row[at["evt.dir"]] == "<" and lat != "<NA>":
        last_exit[tid] = lat
    lat = row[at["evt.latency"]]
    if "evt.latency.human" in at and lat.isdigit():
        row[at["evt.latency.human"]] = pf.latency_text(int(lat))


def compare_every_field(ctx, trace):
    known = [f for f in every_field(ctx) if harrier_knows(ctx, f)]
    fields = KEY + known + [f for f in LAST if harrier_knows(ctx, f)]
    name = os.path.basename(trace)
    fmt = pf.fmt_of(fields)
    exp = pf.rows(ctx.sysdig("-r", trace, "-p", fmt).stdout.decode(errors="replace"), fields)
    got = pf.rows(ctx.inspect("-r", trace, "-p", fmt).stdout.decode(errors="replace"), fields)
    assert len(exp) == len(got), f"{name}: sysdig prints {len(exp)} lines, harrier {len(got)}"
    by_field = {}
    last_exit = {}  # tid -> evt.latency sysdig printed at its last exit
    for e, g in zip(exp, got):
        pf.fix_socket_garbage(name, fields, e)
        fix_stale_latency(fields, e, last_exit)
        for j, field in enumerate(fields):
            d = pf.deviation_for(name, int(e[0]), field)
            want = d["harrier"] if d else e[j]
            if want == g[j] or (field in pf.VALUE_DEVIATIONS and pf.VALUE_DEVIATIONS[field](want, g[j])):
                continue
            if field in DEV_FIELDS and g[j] == "0" and e[fields.index("fd.typechar")] in SOCKET_TYPECHARS:
                continue
            by_field.setdefault(field, []).append(f"evt {e[0]}: sysdig {want[:120]!r} harrier {g[j][:120]!r}")
    report = [f"{f} ({len(v)} events) e.g. {v[0]}" for f, v in by_field.items()]
    assert not report, f"{name}: {len(fields)} fields, {len(report)} differ:\n" + "\n".join(report)


def _trace_test(trace_name):
    def test(ctx):
        compare_every_field(ctx, os.path.join(ctx.traces_dir, trace_name))
    test.__name__ = "test_every_field_" + trace_name[:-5].replace("-", "_")
    return test


for _name in sorted(f for f in os.listdir(pf.TRACES_DIR) if f.endswith(".scap")):
    _t = _trace_test(_name)
    globals()[_t.__name__] = _t
