"""Falco 0.44's multi-value field transformers `join`, `concat` and
`getopt` (libs 0.25), which sysdig 0.29.3 lacks: hand-written expectations
over real captures. Each filter's matches (the set of evt.num) are compared
with the set computed here from the plain field values harrier-inspect
prints (`proc.name`, `proc.args[N]`, `proc.cmdline`), or with values
written out for a known command line (`runuser -u daemon -- /bin/bash -c
true`, `script -qc CMD /dev/null`, `arping -c 1 -w 1 -I lo 127.0.0.1`,
`curl -s --max-time 3 URL`, `dd if=...`). Then the same forms in a rules
file run by the detector (condition, macro, exception field), their
-L condition_compiled text, and the expressions in output formats.

Deliberate differences from libs 0.25.4, where its argument checks read
the declared type of an argument instead of what it yields:
- join(",", getopt(...)) is accepted here (getopt yields a list); libs
  rejects it ("second argument must be a list") and wants join(",",
  (getopt(...))), which is accepted here too.
- concat(X, getopt(...)) (a list) and concat(len(proc.name), X) (a number)
  are refused here; libs accepts them and appends the first item / the raw
  bytes of the number.
- numbers inside a transformer list render as decimal text even when they
  come out of a transformer (len(...)); libs renders only plain numeric
  fields so."""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CAPTURES = os.path.join(HERE, "captures")
SHELLS = os.path.join(CAPTURES, "system_user_interactive_shell.scap")
NETWORK = os.path.join(CAPTURES, "local_utility_network.scap")
PACKET = os.path.join(CAPTURES, "packet_socket_in_container.scap")
DISK = os.path.join(CAPTURES, "raw_disk_open.scap")

NARGS = 6
ARGS6 = "(" + ", ".join(f"proc.args[{i}]" for i in range(NARGS)) + ")"
SEP, END = "\x1f", "\x1e"


def rows(ctx, trace):
    """evt.num -> (proc.name, [proc.args[0..5]], proc.args, proc.cmdline)
    for the events with a process."""
    fields = ["proc.name"] + [f"proc.args[{i}]" for i in range(NARGS)] + ["proc.args", "proc.cmdline"]
    out = {}
    # `exists` tells an empty value from a missing one
    present = matched(ctx, trace, "proc.name exists")
    fmt = "*%evt.num" + "".join(SEP + "%" + f for f in fields) + END
    text = ctx.inspect("-r", trace, "-p", fmt).stdout.decode(errors="replace")
    for line in text.split(END + "\n")[:-1]:  # arguments may hold newlines
        v = line.split(SEP)
        n = int(v[0])
        if n not in present:
            continue
        out[n] = (v[1], v[2:2 + NARGS], v[2 + NARGS], v[3 + NARGS])
    return out


def matched(ctx, trace, flt):
    p = ctx.inspect("-r", trace, "-p", "%evt.num", flt)
    return {int(x) for x in p.stdout.split()}


def check(ctx, trace, flt, want):
    got = matched(ctx, trace, flt)
    assert got == want, f"{flt}: {len(got)} matched, want {len(want)}; only got {sorted(got - want)[:10]}, " \
                        f"only wanted {sorted(want - got)[:10]}"


def test_join_and_concat_against_plain_fields(ctx):
    for trace in ctx.traces() + [SHELLS, NETWORK]:
        r = rows(ctx, trace)
        if not r:
            continue
        # proc.cmdline is proc.name and the arguments joined by blanks
        want = {n for n, (name, _, args, cmd) in r.items() if cmd == name + " " + args}
        check(ctx, trace, 'proc.cmdline = join(" ", (proc.name, proc.args))', want)
        want = {n for n, (name, _, args, cmd) in r.items() if cmd == name + args}
        check(ctx, trace, "proc.cmdline = concat(proc.name, proc.args)", want)
        joined = {n: ",".join(a) for n, (_, a, _, _) in r.items()}
        for n, j in sorted(joined.items())[:1] + sorted(joined.items())[-1:]:
            check(ctx, trace, f"join(',', {ARGS6}) = '{j}'", {m for m, k in joined.items() if k == j})
        for limit in (5, 40):
            check(ctx, trace, f"len(join(',', {ARGS6})) > {limit}",
                  {n for n, j in joined.items() if len(j) > limit})
        # nested: a join inside a list, transformers inside and outside
        want = {n for n, (name, a, _, _) in r.items()
                if ("-".join([name.upper(), a[0] + "|" + a[1].lower()])).startswith("BASH-")}
        check(ctx, trace, "toupper(join('-', (proc.name, join('|', (proc.args[0], tolower(proc.args[1]))))))"
                          " startswith BASH-", want)
        want = {n for n, (name, a, _, _) in r.items() if (name + ":" + a[0]).upper() == "BASH:-C"}
        check(ctx, trace, "toupper(concat(proc.name, ':', proc.args[0])) = 'BASH:-C'", want)


def test_getopt_on_real_command_lines(ctx):
    r = rows(ctx, SHELLS)
    runuser = {n for n, (name, a, _, _) in r.items() if name == "runuser"}
    script = {n for n, (name, a, _, _) in r.items() if name == "script"}
    bash_c = {n for n, (name, a, _, _) in r.items() if name == "bash" and a[0] == "-c"}
    assert runuser and script and bash_c, (len(runuser), len(script), len(bash_c))
    assert all(r[n][1] == ["-u", "daemon", "--", "/bin/bash", "-c", "true"] for n in runuser)
    # list mode: options and their arguments; "--" ends the options, so
    # runuser's "-c" (an argument of bash) is not read
    check(ctx, SHELLS, f"getopt({ARGS6}, 'u:c') intersects (u, daemon)", runuser)
    check(ctx, SHELLS, f"getopt({ARGS6}, 'u:c') intersects (c)", bash_c | script)  # script's -qc
    check(ctx, SHELLS, f"join(',', getopt({ARGS6}, 'u:c')) = 'u,daemon'", runuser)
    check(ctx, SHELLS, f"join(',', (getopt({ARGS6}, 'u:c'))) = 'u,daemon'", runuser)
    # a cluster "-qc CMD": q, then c taking the next argv entry
    scmd = {n for n in script if r[n][1][1] == "/bin/bash -c true"}
    assert scmd and len({r[n][2] for n in script}) == 2
    check(ctx, SHELLS, f"join('|', getopt({ARGS6}, 'qc:')) = 'q|c|/bin/bash -c true'", scmd)
    # unknown options read as "?" in list mode; a missing argument as ""
    check(ctx, SHELLS, f"getopt({ARGS6}, 'c') intersects ('?')", runuser | script)
    check(ctx, SHELLS, "getopt((proc.args[0]), 'c:') intersects ('')", bash_c | script)  # -c, -qc
    # selector mode: the last value of one option; absent options match nothing
    check(ctx, SHELLS, f"getopt({ARGS6}, 'u:')[u] = daemon", runuser)
    check(ctx, SHELLS, f"getopt({ARGS6}, 'qc:')[c] = '/bin/bash -c true'",
          {n for n, (_, a, _, _) in r.items() if a[0] in ("-c", "-qc") and a[1] == "/bin/bash -c true"})
    check(ctx, SHELLS, f"getopt({ARGS6}, 'qc:')[q] = q", script)
    check(ctx, SHELLS, f"getopt({ARGS6}, 'qc:')[c] exists", script | bash_c)
    check(ctx, SHELLS, f"not getopt({ARGS6}, 'u:')[u] exists and proc.name = runuser", set())
    check(ctx, SHELLS, f"len(getopt({ARGS6}, 'u:c')) = 2", runuser | script)  # u daemon; ? c
    check(ctx, SHELLS, f"toupper(getopt({ARGS6}, 'u:')[u]) = DAEMON", runuser)


def test_getopt_on_network_and_disk_tools(ctx):
    r = rows(ctx, PACKET)
    arping = {n for n, (name, _, _, _) in r.items() if name == "arping"}
    assert arping and all(r[n][2] == "-c 1 -w 1 -I lo 127.0.0.1" for n in arping)
    check(ctx, PACKET, f"join(',', getopt({ARGS6}, 'c:w:I:')) = 'c,1,w,1,I,lo'", arping)
    check(ctx, PACKET, f"getopt({ARGS6}, 'c:w:I:')[I] = lo and getopt({ARGS6}, 'c:w:I:')[w] = 1", arping)
    r = rows(ctx, NETWORK)
    curl = {n for n, (name, _, args, _) in r.items() if args.startswith("-s --max-time 3 ")}
    assert curl
    # "--max-time" is a long option (skipped), "3" the first operand
    check(ctx, NETWORK, f"getopt({ARGS6}, 'sm:') intersects (s)", curl)
    check(ctx, NETWORK, f"getopt({ARGS6}, 'sm:')[s] = s", curl)
    check(ctx, NETWORK, f"getopt({ARGS6}, 'sm:')[m] exists", set())
    r = rows(ctx, DISK)
    dd = {n for n, (name, _, _, _) in r.items() if name == "dd"}
    assert dd
    # "if=/dev/vda" is an operand: no options at all
    check(ctx, DISK, f"proc.name = dd and len(getopt({ARGS6}, 'i:')) = 0", dd)
    check(ctx, DISK, f"proc.name = dd and getopt({ARGS6}, 'i:') in ()", dd)


def test_transformers_in_rules(ctx):
    """A macro and a condition using getopt/join, an exception whose field
    is a concat(...): the detector's alerts, and -L's condition_compiled
    (libsinsp's ast::as_string: arguments and list elements separated by a
    bare ',', values through escape_str)."""
    rules = os.path.join(ctx.tmp, "rules.yaml")
    with open(rules, "w") as f:
        f.write(f"""- macro: switches_user
  condition: getopt({ARGS6}, "u:")[u] = daemon
- rule: Runuser
  desc: d
  condition: evt.type = execve and evt.dir = < and switches_user and join(",", getopt({ARGS6}, "u:c")) = "u,daemon"
  output: "runuser %proc.cmdline"
  priority: WARNING
- rule: Script
  desc: d
  condition: evt.type = execve and evt.dir = < and proc.name = script
  output: "script %proc.cmdline"
  priority: WARNING
  exceptions:
    - name: by_command
      fields: ['concat(proc.name, " ", getopt({ARGS6}, "qc:")[c])']
      comps: [=]
      values:
        - ["script /bin/bash -c true"]
""")
    p = ctx.run([ctx.bin("harrier"), "-r", rules, "-e", SHELLS, "-o", "json_output=true", "-o", "log_stderr=false"])
    alerts = [json.loads(x) for x in p.stdout.decode().splitlines() if x.startswith("{")]
    got = sorted((a["rule"], a["output_fields"]["proc.cmdline"]) for a in alerts)
    r = rows(ctx, SHELLS)
    execs = matched(ctx, SHELLS, "evt.type = execve and evt.dir = <")
    want = sorted([("Runuser", r[n][3]) for n in execs if r[n][0] == "runuser"] +
                  [("Script", r[n][3]) for n in execs if r[n][0] == "script" and r[n][1][1] != "/bin/bash -c true"])
    assert got == want and len(want) == 3, (got, want)
    p = ctx.run([ctx.bin("harrier"), "-r", rules, "-L", "-o", "json_output=true", "-o", "log_stderr=false"])
    described = {x["info"]["name"]: x["details"] for x in json.loads(p.stdout)["rules"]}
    args = "(" + ",".join(f"proc.args[{i}]" for i in range(NARGS)) + ")"
    assert described["Runuser"]["condition_compiled"] == \
        f"(evt.type = execve and evt.dir = < and getopt({args},u:)[u] = daemon and " \
        f"join(,,getopt({args},u:c)) = u,daemon)", described["Runuser"]["condition_compiled"]
    assert described["Script"]["condition_compiled"] == \
        f"((evt.type = execve and evt.dir = < and proc.name = script) and not " \
        f"concat(proc.name,\" \",getopt({args},qc:)[c]) = \"script /bin/bash -c true\")", \
        described["Script"]["condition_compiled"]
    assert described["Runuser"]["condition_fields"] == \
        ["evt.dir", "evt.type"] + [f"proc.args[{i}]" for i in range(NARGS)], described["Runuser"]


def test_transformers_in_outputs(ctx):
    """Falco 0.44's formatter accepts transformer expressions after '%':
    rendered in the output text (a list as "(a,b)"); in output_fields only
    the fields they read appear, not the expression."""
    rules = os.path.join(ctx.tmp, "out.yaml")
    with open(rules, "w") as f:
        f.write(f"""- rule: Runuser
  desc: d
  condition: evt.type = execve and evt.dir = < and proc.name = runuser
  output: "to %getopt({ARGS6}, 'u:')[u] by %toupper(proc.name) opts %getopt({ARGS6}, 'u:c') n %len(getopt({ARGS6}, 'u:c')) j %join('+', (proc.args[0], proc.args[1]))"
  priority: WARNING
""")
    p = ctx.run([ctx.bin("harrier"), "-r", rules, "-e", SHELLS, "-o", "json_output=true", "-o", "log_stderr=false"])
    alerts = [json.loads(x) for x in p.stdout.decode().splitlines() if x.startswith("{")]
    assert len(alerts) == 2, alerts
    for a in alerts:
        assert a["output"].split(": Warning ")[1] == "to daemon by RUNUSER opts (u,daemon) n 2 j -u+daemon", a
        assert sorted(a["output_fields"]) == ["evt.time"] + [f"proc.args[{i}]" for i in range(NARGS)] + \
            ["proc.name"], a["output_fields"]
    # harrier-inspect's -p reads the same tokens
    p = ctx.inspect("-r", SHELLS, "-p", "%evt.num %concat(proc.name, '=', proc.args[0]) %len(proc.name)",
                    "evt.type = execve and evt.dir = < and proc.name = script")
    r = rows(ctx, SHELLS)
    execs = matched(ctx, SHELLS, "evt.type = execve and evt.dir = <")
    want = "".join(f"{n} script=-qc 6\n" for n in sorted(r) if r[n][0] == "script" and n in execs)
    assert p.stdout.decode() == want and want, (p.stdout, want)
    # a malformed expression in an output is a load error
    assert_rule_refused(ctx, "evt.type = execve", "x %join(proc.name) y", "join() requires exactly 2 arguments")


def assert_rule_refused(ctx, condition, output, reason):
    """A rule with this condition and output fails validation, naming the reason."""
    rules = os.path.join(ctx.tmp, "bad.yaml")
    with open(rules, "w") as f:
        f.write('- rule: Bad\n  desc: d\n  condition: %s\n  output: "%s"\n  priority: WARNING\n' % (condition, output))
    p = ctx.run([ctx.bin("harrier"), "-V", rules], check=False)
    text = (p.stdout + p.stderr).decode(errors="replace")
    assert p.returncode != 0 and reason in text, text[-600:]


def test_refused_in_rules(ctx):
    """A malformed transformer in a rule condition is a load error naming
    the reason, as for any filter error."""
    assert_rule_refused(ctx, "evt.type = execve and concat(proc.name) = x", "x",
                        "concat() requires at least 2 arguments")
