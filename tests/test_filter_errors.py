"""Malformed filters: harrier-inspect refuses each one before reading the
capture, with `filter error at position N: REASON`, N the byte offset of
the problem in the filter text. Each row names the position and words the
reason must contain."""
import re

ERRORS = [
    # (filter, position, words of the reason)
    ("proc.nam = cat", 0, "unknown field 'proc.nam'"),
    ("proc.namex = cat", 0, "unknown field 'proc.namex'"),
    ("evt.arg.nosuch = 1", 0, "unknown event argument"),
    ("proc.aname[x] = a", 0, "invalid argument"),
    ('proc.name = "cat', 12, "unterminated string"),
    ("proc.name = 'cat", 12, "unterminated string"),
    ("proc.name", 9, "expected a comparison operator"),
    ("proc.name ~ cat", 10, "expected a comparison operator"),
    ("proc.name ==", 12, "expected a value"),
    ("proc.name glob", 14, "expected a value"),
    ("proc.name = cat and", 19, "expected a check after 'and'"),
    ("proc.name = cat or", 18, "expected a check after 'or'"),
    ("not", 0, "expected a check after 'not'"),
    ("", 0, "empty"),
    ("(proc.name = cat", 16, "missing ')'"),
    ("proc.name = cat)", 15, "unexpected ')'"),
    ("proc.name = cat andx y", 16, "expecting 'and' or 'or'"),
    ("proc.name exists exists", 17, "expecting 'and' or 'or'"),
    ("%proc.name = x", 0, "expected a field"),
    ("fd.sip = 300.1.1.1", 9, "bad address"),
    ("fd.sip = 10.0.0.0/33", 9, "bad address"),
    ("fd.sip in (1.2.3.4, ::g)", 20, "bad address"),
    ("fd.net = 10.0.0.1", 9, "bad network"),
    ("proc.pid = abc", 11, "not a valid number"),
    ("proc.pid in (1, x)", 16, "not a valid number"),
    ("evt.num > 1.5", 10, "not a valid number"),
    ("thread.ismain = yes", 16, "not a valid boolean"),
    ("fd.sport = nosuchservice", 11, "unknown port or service"),
    ("proc.pid contains 1", 9, "operator 'contains' is not valid for a signed number field"),
    ("evt.num startswith 1", 8, "operator 'startswith' is not valid for a unsigned number field"),
    ("thread.ismain > true", 14, "operator '>' is not valid for a boolean field"),
    ("fd.sip glob 1*", 7, "operator 'glob' is not valid for a ip address field"),
    ("proc.name bcontains 61", 10, "operator 'bcontains' is not valid for a string field"),
    ("evt.buffer icontains a", 11, "operator 'icontains' is not valid for a byte buffer field"),
    ("proc.name in cat", 13, "expected '('"),
    ("proc.name in (cat, sh", 21, "unterminated list"),
    ("proc.name in (cat sh)", 18, "expected ',' or ')'"),
    ("proc.name regex '('", 10, "invalid regex"),
    ("evt.buffer bcontains 6g", 21, "hex digits"),
    ("evt.buffer bcontains 123", 21, "even number of hex digits"),
    ("tolower(proc.pid) = 1", 0, "needs a string field"),
    ("toupper(proc.name = x", 18, "expected ')' closing the transformer"),
    ("val(proc.name) = x", 0, "right side"),
    ("proc.name = val(proc.pid)", 12, "cannot compare"),
    ("proc.name glob val(proc.exe)", 15, "cannot compare two fields"),
    ('proc.name = "a\\q"', 14, "unsupported escape"),
    ("proc.name = 'a\\x4'", 14, "invalid \\x escape"),
    ("fd.ip contains 1", 6, "not valid for a ip address field"),
    ("container.cni.json = web", 0, "not supported"),
    ("(" * 150 + "proc.name = cat" + ")" * 150, 100, "nesting deeper"),
    # Falco 0.44's multi-value transformers
    ('join("-") = a', 0, "join() requires exactly 2 arguments"),
    ('join("-", ("a"), ("b")) = a', 0, "join() requires exactly 2 arguments"),
    ('join(("a", "b"), ("c")) = a', 0, "separator) must be a single value, not a list"),
    ('join(evt.num, ("c")) = a', 0, "separator) must be a string"),
    ('join("-", proc.args) = a', 0, "join() second argument must be a list"),
    ("join() = a", 5, "expected a transformer argument"),
    ('concat("a") = a', 0, "concat() requires at least 2 arguments"),
    ('evt.num > 0 and concat(proc.name, ("a", "b")) = a', 16, "concat() arguments must be strings (argument 2 is a list)"),
    ('concat(proc.name, proc.pid) = a', 0, "argument 2 is not a string"),
    ('concat(proc.name, len(proc.name)) = a', 0, "argument 2 is not a string"),
    ('getopt(("-a")) in (a)', 0, "getopt() requires exactly 2 arguments"),
    ('getopt(proc.args, "a") in (a)', 0, "getopt() first argument must be a list"),
    ('getopt(("-a"), ("a")) in (a)', 0, "optstring) must be a single value"),
    ('getopt(("-a"), proc.pid) in (a)', 0, "getopt() arguments must be strings"),
    ('getopt(("-a"), "a")[ab] = a', 19, "single option character"),
    ('getopt(("-a"), "a")[""] = a', 19, "single option character"),
    ('getopt(("-a"), "a")[a = a', 21, "expected a ']'"),
    ('getopt(("-a"), "a") = a', 20, "not valid for a list field"),
    ('proc.name = getopt(("-a"), "a")', 12, "it is a list"),
    ('tolower(proc.name)[x] = a', 0, "does not support field arguments"),
    ('tolower(proc.name, proc.exe) = a', 0, "takes exactly one argument"),
    ('join(",", ("a", "b"', 19, "unterminated transformer list"),
    ('join(",", ("a" "b")) = a', 15, "expected ',' or ')' in the transformer list"),
    ('join(",", (("a"))) = a', 11, "expected a transformer list element"),
    ('join(",", (fd.ip)) = a', 11, "fd.ip cannot be used inside a transformer"),
    ('join(",", (proc.nosuch)) = a', 11, "unknown field 'proc.nosuch'"),
    ('join(",", ("a)) = a', 11, "unterminated string"),
    ('len(join(",", ("a"))) contains 1', 22, "not valid for a unsigned number field"),
]

LINE = re.compile(r"^harrier-inspect: filter error at position (\d+): (.*)$")


def test_error_table(ctx):
    trace = ctx.traces()[0]
    problems = []
    for flt, pos, words in ERRORS:
        p = ctx.inspect("-r", trace, flt, check=False)
        err = p.stderr.decode(errors="replace").strip()
        m = LINE.match(err)
        if p.returncode == 0 or p.stdout or not m:
            problems.append(f"{flt!r}: exit {p.returncode}, stdout {p.stdout[:80]!r}, stderr {err!r}")
        elif int(m.group(1)) != pos or words not in m.group(2):
            problems.append(f"{flt!r}: got position {m.group(1)} '{m.group(2)}', "
                            f"want position {pos} with '{words}'")
    assert not problems, "\n".join(problems)


def test_valid_filters_are_accepted(ctx):
    """The forms the grammar allows (the same checks, spelled differently)."""
    trace = ctx.traces()[0]
    for flt in ["proc.name=cat", "proc.name = 'cat'", 'proc.name="cat"', "not(proc.name=cat)",
                "not proc.name=cat", "(proc.name=cat)and(evt.dir=<)", "proc.name in ()",
                "proc.name in(cat,sh)", "fd.name contains \"a b\\tc\\x41\\\\\"", "evt.num=0x10",
                "proc.name = cat or evt.num > 3 and not evt.dir = <", "  proc.name exists  ",
                "fd.sip in (10.0.0.0/8, ::1, fe80::/10)", "tolower(toupper(basename(proc.exe))) = cat",
                "len(b64(proc.name)) > 1", "thread.tid = val(proc.pid)", "proc.name regex 'c.*'",
                'join(",",(proc.name,"x"))=a', "concat( proc.name , 'x' , 0x1F ) != a",
                'getopt((proc.args[0]),":a:b")[a] exists', 'getopt((proc.args[0]),"a")["a"] exists',
                "len(fd.types) >= 0", 'tolower("ABC") = abc', "proc.name = concat(proc.name, '')"]:
        p = ctx.inspect("-r", trace, "-p", "%evt.num", flt, check=False)
        assert p.returncode == 0, f"{flt!r} refused: {p.stderr.decode(errors='replace')}"
