"""harrier-inspect against sysdig 0.29.3: the default line format on every
corpus trace (one test per trace), -j, -n, -D, formats without `*`, and
command-line errors.

Where sysdig 0.29.3 is demonstrably wrong, DEFAULT_DEVIATIONS lists the
event, the line Harrier must print instead, and why."""
import json
import os

import harness

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRACES_DIR = os.path.normpath(os.path.join(ROOT, "..", "shared", "conformance", "traces"))

# trace -> {evt.num: (the line Harrier prints, why sysdig's differs)}
DEFAULT_DEVIATIONS = {}


def trace_names():
    return sorted(f for f in os.listdir(TRACES_DIR) if f.endswith(".scap"))


def lines_by_num(text):
    """Maps evt.num (the first word) to the line; lines must be unique by number."""
    out = {}
    for line in text.splitlines():
        out[line.split(" ", 1)[0]] = line
    return out


def apply_line_deviations(expected, deviations):
    """sysdig's output with the listed events' lines replaced by what
    Harrier must print; every listed event must exist in sysdig's output."""
    lines = expected.splitlines()
    seen = set()
    for i, line in enumerate(lines):
        num = line.split(" ", 1)[0]
        if num.isdigit() and int(num) in deviations:
            lines[i] = deviations[int(num)][0]
            seen.add(int(num))
    missing = set(deviations) - seen
    assert not missing, f"deviations listed for events sysdig does not print: {sorted(missing)}"
    return "\n".join(lines) + ("\n" if lines else "")


def check_same(ctx, args, deviations=None, what=""):
    exp = ctx.sysdig(*args).stdout.decode(errors="replace")
    if deviations:
        exp = apply_line_deviations(exp, deviations)
    got = ctx.inspect(*args).stdout.decode(errors="replace")
    d = harness.diff_lines(exp, got)
    assert not d, f"{what or ' '.join(args)} differs from sysdig:\n{d}"
    return got


def _default_format_test(name):
    def test(ctx):
        trace = os.path.join(ctx.traces_dir, name)
        check_same(ctx, ["-r", trace], DEFAULT_DEVIATIONS.get(name), f"default format on {name}")
    test.__name__ = "test_default_format_" + name[:-5].replace("-", "_")
    return test


for _name in trace_names():
    _t = _default_format_test(_name)
    globals()[_t.__name__] = _t


def test_default_format_is_not_empty_on_corpus(ctx):
    # Guards the per-trace tests against comparing two empty outputs everywhere.
    total = sum(len(ctx.inspect("-r", t).stdout.splitlines()) for t in ctx.traces())
    assert total > 100, f"only {total} lines printed over the whole corpus"


def test_json_default_format(ctx):
    for trace in ctx.traces():
        name = os.path.basename(trace)
        got = check_same(ctx, ["-r", trace, "-j"], what=f"-j on {name}")
        for line in got.splitlines():
            obj = json.loads(line)
            assert set(obj) == {"evt.cpu", "evt.dir", "evt.info", "evt.num", "evt.outputtime",
                                "evt.type", "proc.name", "thread.tid"}, line


def test_json_with_format(ctx):
    fmt = ("*%evt.num %evt.time %evt.rawtime.ns %evt.reltime %evt.cpu %evt.dir %evt.type %evt.failed "
           "%evt.res %evt.rawarg.size %evt.arg.fd %thread.tid %proc.pid %proc.name %fd.name %fd.num "
           "%user.uid %user.loginuid %container.id")
    for trace in ctx.traces():
        check_same(ctx, ["-r", trace, "-j", "-p", fmt])
    # Without `*`, events with a missing (null) field are not printed.
    for trace in ctx.traces():
        check_same(ctx, ["-r", trace, "-j", "-p", "%evt.num %fd.name %evt.arg.fd"])


def test_max_events_counts_hidden_events(ctx):
    cat = os.path.join(ctx.traces_dir, "cat_write.scap")
    # events 1-130 are procinfo: counted by -n, never printed
    assert ctx.inspect("-r", cat, "-n", "130").stdout == b""
    one = ctx.inspect("-r", cat, "-n", "131").stdout.decode().splitlines()
    assert len(one) == 1 and one[0].startswith("131 "), one
    for trace in ctx.traces():
        for n in ("1", "3", "131", "140", "1100", "100000"):
            check_same(ctx, ["-r", trace, "-n", n])


def test_format_without_star_skips_lines(ctx):
    for trace in ctx.traces():
        got = check_same(ctx, ["-r", trace, "-p", "%evt.num %fd.name"])
        assert "<NA>" not in got
    syscall = os.path.join(ctx.traces_dir, "syscall.scap")
    every = ctx.inspect("-r", syscall, "-p", "*%evt.num %fd.name").stdout.splitlines()
    only = ctx.inspect("-r", syscall, "-p", "%evt.num %fd.name").stdout.splitlines()
    assert 0 < len(only) < len(every), (len(only), len(every))


def test_debug_shows_internal_events(ctx):
    cat = os.path.join(ctx.traces_dir, "cat_write.scap")
    fmt = "*%evt.num %evt.type %evt.dir %thread.tid"
    check_same(ctx, ["-r", cat, "-D", "-p", fmt])
    out = ctx.inspect("-r", cat, "-D", "-p", fmt).stdout.decode().splitlines()
    assert out[0].startswith("1 procinfo"), out[0]
    plain = ctx.inspect("-r", cat, "-p", fmt).stdout.decode().splitlines()
    assert not any(" procinfo " in line for line in plain)


def test_container_events_numbered_never_printed(ctx):
    omf = os.path.join(ctx.traces_dir, "open-multiple-files.scap")
    fmt = "*%evt.num %evt.type"
    for extra in ([], ["-D"]):
        got = check_same(ctx, ["-r", omf, "-p", fmt, *extra])
        assert not any(line.split()[1] == "container" for line in got.splitlines())


def test_format_syntax_as_sysdig(ctx):
    syscall = os.path.join(ctx.traces_dir, "syscall.scap")
    for fmt in ("*%evt.num\t%evt.type\\n--", "*[%10evt.type] [%3proc.name] [%2evt.num]",
                "*%evt.typeX%evt.dir%%", "evt.num only literal", "*%evt.arg[0] %evt.arg[9] %evt.arg.name",
                "*\\e[1m%evt.type\\e[0m \\\\ \\q", "*%proc.aname[0] %proc.apid[1] %proc.aname[2]",
                "*%evt.rawarg.name %evt.rawarg.res %evt.rawarg.size"):
        p = ctx.run([ctx.bin("harrier-inspect"), "-r", syscall, "-p", fmt], check=False)
        s = ctx.sysdig("-r", syscall, "-p", fmt, check=False)
        assert (p.returncode == 0) == (s.returncode == 0), (fmt, p.returncode, s.returncode)
        assert p.stdout == s.stdout, f"-p {fmt!r}:\n{harness.diff_lines(s.stdout.decode(), p.stdout.decode())}"


def test_default_format_listing(ctx):
    assert ctx.inspect("-pp").stdout == ctx.sysdig("-pp").stdout


def test_errors(ctx):
    missing = os.path.join(ctx.tmp, "nope.scap")
    p = ctx.inspect("-r", missing, check=False)
    assert p.returncode == 1 and p.stdout == b""
    assert p.stderr.decode().startswith(f"harrier-inspect: {missing}: "), p.stderr

    junk = os.path.join(ctx.tmp, "junk.scap")
    with open(junk, "wb") as f:
        f.write(b"this is not a capture file at all\n" * 10)
    p = ctx.inspect("-r", junk, check=False)
    assert p.returncode == 1 and p.stderr.decode().startswith(f"harrier-inspect: {junk}: "), p.stderr

    syscall = os.path.join(ctx.traces_dir, "syscall.scap")
    cases = [
        (["-p", "%foo.bar"], "invalid formatting token foo.bar"),
        (["-p", "*%evt.num %nosuch"], "invalid formatting token nosuch"),
        (["-p", "%fd.net"], "fd.net is filter only and cannot be used as a display field"),
        (["-p", "%evt.arg.nosuchparam"], "unknown event argument nosuchparam"),
        (["-p", "%evt.num %"], "formatting cannot end with a %"),
        (["-p", "%evt.num %12"], "formatting cannot end with a number"),
        (["-p", ""], "empty formatting token"),
        (["-n", "0"], "invalid event count 0"),
        (["-n", "ten"], "can't parse the -n argument"),
        (["-Z"], "invalid option"),
    ]
    for args, msg in cases:
        p = ctx.inspect("-r", syscall, *args, check=False)
        assert p.returncode != 0, (args, p.returncode)
        assert p.stdout == b"", (args, p.stdout[:200])
        assert msg in p.stderr.decode(), (args, p.stderr)
        s = ctx.sysdig("-r", syscall, *args, check=False)
        assert s.returncode != 0, f"sysdig accepts {args}"
    p = ctx.inspect(check=False)
    assert p.returncode != 0 and b"-r FILE" in p.stderr


def test_help(ctx):
    p = ctx.inspect("-h")
    assert p.returncode == 0 and b"Usage: harrier-inspect" in p.stdout and b"-p" in p.stdout
