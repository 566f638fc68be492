"""build/harrier against alerts a real Falco 0.44 printed
(../shared/conformance/falco-alerts): for every shared capture, the JSON
alert lines must be JSON-equal, line for line, to Falco's."""
import json
import os


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
