"""build/harrier against alerts a real Falco 0.44 printed
(../shared/conformance/falco-alerts): for every shared capture, the JSON
alert lines must be JSON-equal, line for line, to Falco's. Plus, on a
synthetic capture, the user/group names where Falco 0.44's libs part from
sysdig 0.29.3 (which harrier-inspect keeps)."""
import json
import os

import scapbuild as sb


def alerts(text):
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def first_difference(expected, actual):
    for i in range(max(len(expected), len(actual))):
        e = expected[i] if i < len(expected) else None
        a = actual[i] if i < len(actual) else None
        if e != a:
            if e and a:
                keys = sorted(k for k in set(e) | set(a) if e.get(k) != a.get(k))
                return f"line {i + 1}: " + "; ".join(f"{k}: falco {e.get(k)!r} harrier {a.get(k)!r}" for k in keys)
            return f"line {i + 1}: falco {e!r} harrier {a!r}"
    return None


def test_falco_alerts(ctx):
    base = os.path.join(ctx.shared, "conformance", "falco-alerts")
    rules = os.path.join(base, "rules.yaml")
    problems = []
    ctx.env["FALCO_HOSTNAME"] = "h"
    try:
        check_all(ctx, base, rules, problems)
    finally:
        del ctx.env["FALCO_HOSTNAME"]
    assert not problems, "\n".join(problems)


def check_all(ctx, base, rules, problems):
    for trace in ctx.traces():
        name = os.path.basename(trace)[:-len(".scap")]
        with open(os.path.join(base, "expected", name + ".jsonl")) as f:
            expected = alerts(f.read())
        p = ctx.run([ctx.bin("harrier"), "-r", rules, "-o", "engine.kind=replay", "-o",
                     f"engine.replay.capture_file={trace}", "-o", "json_output=true", "-o", "priority=debug", "-o",
                     "time_format_iso_8601=true"], check=False)
        if p.returncode != 0:
            problems.append(f"{name}: exit {p.returncode}: {p.stderr.decode(errors='replace')[-300:]}")
            continue
        diff = first_difference(expected, alerts(p.stdout.decode(errors="replace")))
        if diff:
            problems.append(f"{name}: {diff}"[:600])


USER_FIELDS = ["user.name", "user.homedir", "user.shell", "user.loginname", "group.name"]

# uid, gid, loginuid of three processes; the capture's tables know only
# uid 1000 (alice) and gid 1000 (staff), not root.
USERS_CASES = {
    100: ((0, 0, 0xFFFFFFFF), ["root", "/root", "<NA>", "<NA>", "root"]),
    200: ((1234, 1234, 1000), ["<NA>", "<NA>", "<NA>", "alice", "<NA>"]),
    300: ((1000, 1000, 0), ["alice", "/home/alice", "/bin/zsh", "root", "staff"]),
}


def users_capture(path):
    cap = sb.Capture()
    cap.shb()
    cap.machine_info()
    cap.userlist([dict(uid=1000, gid=1000, name="alice", home="/home/alice", shell="/bin/zsh")],
                 [dict(gid=1000, name="staff")])
    cap.proclist(9, [sb.proc(tid=tid, pid=tid, ptid=1, comm="cat", exe="cat", exepath="/bin/cat", uid=uid, gid=gid,
                             tail=sb.old_tail(loginuid, 0))
                     for tid, ((uid, gid, loginuid), _) in USERS_CASES.items()])
    ts = 1_600_000_000_000_000_000
    for tid in USERS_CASES:
        cap.event(2, [sb.s(b"/etc/hosts"), sb.u32(1), sb.u32(0)], tid=tid, ts=ts)
        cap.event(3, [sb.i64(3), sb.s(b"/etc/hosts"), sb.u32(1), sb.u32(0), sb.u32(0)], tid=tid, ts=ts + 1000)
        ts += 10_000
    cap.write(path)


def test_missing_user_and_group_names(ctx):
    """Ids missing from the capture's user and group tables, as Falco 0.44's
    sinsp_filtercheck_user/group name them: "root" (home "/root") for id 0,
    else "<NA>", the shell "<NA>" always: strings, in filters too. sysdig
    0.29.3 (harrier-inspect) has no value for them."""
    trace = os.path.join(ctx.tmp, "users.scap")
    rules = os.path.join(ctx.tmp, "rules.yaml")
    users_capture(trace)
    with open(rules, "w") as f:
        f.write('- rule: open\n  desc: d\n  condition: evt.type=open and evt.dir=<\n'
                '  output: "%s"\n  priority: INFO\n' % " ".join("%" + x for x in ["thread.tid"] + USER_FIELDS) +
                '- rule: filter sees na\n  desc: d\n  condition: evt.type=open and evt.dir=< and user.name="<NA>"\n'
                '  output: "na %thread.tid"\n  priority: INFO\n')
    p = ctx.run([ctx.bin("harrier"), "-r", rules, "-e", trace, "-o", "json_output=true", "-o", "log_stderr=false",
                 "-o", "rule_matching=all"])
    found = {}
    for a in alerts(p.stdout.decode()):
        if a["rule"] == "open":
            found[a["output_fields"]["thread.tid"]] = [a["output_fields"][x] for x in USER_FIELDS]
        else:
            found.setdefault("na", []).append(a["output"].split(" na ")[1])
    assert found == {**{tid: names for tid, (_, names) in USERS_CASES.items()}, "na": ["200"]}, found
    fmt = "*%thread.tid " + " ".join("%" + x for x in USER_FIELDS)
    mine = ctx.inspect("-r", trace, "-p", fmt, "evt.type=open and evt.dir=<").stdout.decode()
    assert mine == ctx.sysdig("-r", trace, "-p", fmt, "evt.type=open and evt.dir=<").stdout.decode()
    assert "200 <NA> <NA> <NA> alice <NA>" in mine, mine
