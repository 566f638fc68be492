"""build/harrier against Falco's conformance corpus (../shared/conformance):
the runner with --strict, every validate and replay case. Cases that cannot
pass yet are listed in PENDING with the reason; any other failure fails
the test."""
import json
import os
import re

CONFORMANCE = os.path.join("..", "shared", "conformance")

# case -> why it cannot pass yet (none now: every case passes).
PENDING = {}


def run_corpus(ctx, *extra):
    runner = os.path.join(ctx.shared, "conformance", "run")
    p = ctx.run([runner, "--strict", *extra, ctx.bin("harrier")], check=False, timeout=900)
    out = p.stdout.decode(errors="replace")
    failed = dict(re.findall(r"^FAIL ([^:]+): (.*)$", out, re.M))
    summary = re.search(r"(\d+) passed, (\d+) failed, (\d+) skipped", out)
    assert summary, out[-2000:]
    return failed, summary


def test_corpus_strict(ctx):
    failed, summary = run_corpus(ctx)
    unexpected = {k: v for k, v in failed.items() if k not in PENDING}
    assert not unexpected, "\n".join(f"{k}: {v}" for k, v in unexpected.items())
    print(f"conformance --strict: {summary.group(0)}; pending: {sorted(set(failed) & set(PENDING))}")


def test_corpus_strict_modern_flags(ctx):
    """The same corpus with Falco >= 0.38's configuration keys instead of
    -e/-A/-D/-T/-t (engine.kind=replay, base_syscalls.all, rules[].enable/disable)."""
    failed, summary = run_corpus(ctx, "--flag-style", "modern")
    unexpected = {k: v for k, v in failed.items() if k not in PENDING}
    assert not unexpected, "\n".join(f"{k}: {v}" for k, v in unexpected.items())


def test_validate_json_shape(ctx):
    """One result per -V file, in order, cumulative; every message carries
    code, codedesc, message and locations with positions."""
    rules = os.path.join(ctx.shared, "conformance", "rules")
    p = ctx.run([ctx.bin("harrier"), "-V", os.path.join(rules, "invalid_base_macro.yaml"), "-V",
                 os.path.join(rules, "invalid_append_macro.yaml"), "-o", "json_output=true", "-o",
                 "log_stderr=false"], check=False)
    assert p.returncode == 1
    results = json.loads(p.stdout)["falco_load_results"]
    assert [r["successful"] for r in results] == [True, False]
    err = results[1]["errors"][0]
    assert err["code"] == "LOAD_ERR_COMPILE_CONDITION" and err["codedesc"] == "Error compiling condition"
    assert err["message"] == "unexpected token after 'execve', expecting 'or', 'and'"
    types = [loc["item_type"] for loc in err["context"]["locations"]]
    assert types == ["rules content", "macro", "macro condition", "condition expression"], types
    macro = err["context"]["locations"][1]
    assert macro["item_name"] == "some_macro" and macro["position"]["line"] == 0, macro
    warn = results[0]["warnings"][0]
    assert warn["code"] == "LOAD_UNUSED_MACRO", warn


def test_compat_rules(ctx):
    """The upstream stable rules (../shared/compat-rules) load with no
    errors."""
    rules = os.path.join(ctx.shared, "compat-rules", "falco_rules.yaml")
    p = ctx.run([ctx.bin("harrier"), "-V", rules, "-o", "json_output=true", "-o", "log_stderr=false"], check=False)
    errors = json.loads(p.stdout)["falco_load_results"][0]["errors"]
    assert p.returncode == 0 and not errors, [e["message"] for e in errors]


def test_default_config_and_starter_rules(ctx):
    """The shipped configuration names the starter rules relative to
    itself; the starter rules load with no errors or warnings."""
    config = os.path.join(ctx.root, "config", "harrier.yaml")
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    p = ctx.run([ctx.bin("harrier"), "-c", config, "-e", trace])
    log = p.stderr.decode(errors="replace")
    assert "Loading rules from file " in log and "rules/harrier_rules.yaml" in log, log
    assert "Events detected: 0" in p.stdout.decode(), p.stdout
    rules = os.path.join(ctx.root, "rules", "harrier_rules.yaml")
    p = ctx.run([ctx.bin("harrier"), "-V", rules, "-o", "json_output=true", "-o", "log_stderr=false"])
    result = json.loads(p.stdout)["falco_load_results"][0]
    assert result["successful"] and not result["errors"] and not result["warnings"], result


def test_program_output(ctx):
    """program_output: one program per alert, or one for the whole run with
    keep_alive; json_include_output_fields_property=false drops the fields."""
    rules = os.path.join(ctx.shared, "conformance", "rules", "single_rule.yaml")
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    for keep_alive in ("false", "true"):
        out = os.path.join(ctx.tmp, f"program-{keep_alive}.txt")
        ctx.run([ctx.bin("harrier"), "-r", rules, "-e", trace, "-o", "stdout_output.enabled=false",
                 "-o", "program_output.enabled=true", "-o", f"program_output.keep_alive={keep_alive}",
                 "-o", f"program_output.program=cat >> {out}", "-o", "json_output=true",
                 "-o", "json_include_output_fields_property=false", "-o", "log_stderr=false"])
        with open(out) as f:
            alerts = [json.loads(line) for line in f]
        assert len(alerts) == 4 and all(a["rule"] == "open_from_cat" for a in alerts), alerts
        assert all("output_fields" not in a for a in alerts), alerts


def test_config_errors(ctx):
    """Unknown configuration keys are warned about; bad values are fatal
    with a message naming the key."""
    rules = os.path.join(ctx.root, "rules", "harrier_rules.yaml")
    p = ctx.run([ctx.bin("harrier"), "-V", rules, "-o", "json_output=maybe"], check=False)
    assert p.returncode == 1 and b"json_output must be a boolean" in p.stderr, p.stderr
    p = ctx.run([ctx.bin("harrier"), "-V", rules, "-o", "priority=loud"], check=False)
    assert p.returncode == 1 and b"Unknown priority value: loud" in p.stderr, p.stderr
    p = ctx.run([ctx.bin("harrier"), "-V", rules, "-o", "colour=red"])
    assert b"Unknown configuration key 'colour'" in p.stderr, p.stderr


def test_option_list_indexes(ctx):
    """-o key[N]=value replaces an entry of a configuration list, key[]=value
    appends one."""
    config = os.path.join(ctx.root, "config", "harrier.yaml")
    rules = os.path.join(ctx.shared, "conformance", "rules")
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    p = ctx.run([ctx.bin("harrier"), "-c", config, "-e", trace,
                 "-o", f"rules_files[0]={os.path.join(rules, 'single_rule.yaml')}",
                 "-o", f"rules_files[]={os.path.join(rules, 'double_rule.yaml')}"])
    loaded = [line.split("Loading rules from file ")[1] for line in p.stderr.decode().splitlines()
              if "Loading rules from file " in line]
    assert [os.path.basename(f) for f in loaded] == ["single_rule.yaml", "double_rule.yaml"], loaded


def test_append_output(ctx):
    """append_output adds text (with fields) to the outputs of the rules
    its match selects."""
    rules = os.path.join(ctx.shared, "conformance", "rules", "single_rule.yaml")
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    p = ctx.run([ctx.bin("harrier"), "-r", rules, "-e", trace, "-o", "log_stderr=false",
                 "-o", "append_output[0].extra_output=pid=%proc.pid", "-o", "append_output[0].match.rule=open_from_cat",
                 "-o", "append_output[1].extra_output=never", "-o", "append_output[1].match.source=k8s_audit"])
    alerts = [line for line in p.stdout.decode().splitlines() if ": Warning " in line]
    assert len(alerts) == 4 and all(a.endswith("(command=cat /dev/null) pid=20072") for a in alerts), alerts
