"""build/harrier's command line as Falco 0.44's (falcosecurity/falco
userspace/falco/app): which rules files a -r path stands for, -l/-L, --list
with -N and a source, --support's document, --option=/--validate= forms.
Each expectation is Falco's documented or coded behaviour, named in the test."""
import json
import os
import re

RULE = """- rule: {name}
  desc: {desc}
  condition: evt.type=open and evt.dir=<
  output: "open by %proc.name"
  priority: INFO
"""

LONG_DESC = ("a description long enough to be wrapped by the listing " + "word " * 30).strip()


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def harrier(ctx, *args, check=False):
    return ctx.run([ctx.bin("harrier"), *args], check=check)


def rules_dir(ctx):
    """A rules directory as Falco users keep them: YAML files (one hidden),
    plus a README and a file of another type that must not be read."""
    d = os.path.join(ctx.tmp, "rules.d")
    os.mkdir(d)
    write(os.path.join(d, "b.yaml"), RULE.format(name="from b", desc="b"))
    write(os.path.join(d, "a.yml"), RULE.format(name="from a", desc="a"))
    write(os.path.join(d, ".hidden.yaml"), RULE.format(name="from hidden", desc="h"))
    write(os.path.join(d, "README.md"), "# not rules: [unclosed\n")
    write(os.path.join(d, "notes.txt"), "garbage: [\n")
    return d


def table_rows(text):
    return [line.split("  ")[0] for line in text.splitlines()[2:] if line.strip()]


def test_rules_directory_reads_yaml_files_only(ctx):
    """Falco's read_rules_file_directory: a directory's regular files sorted
    by path, hidden ones included, only *.yaml and *.yml; other names
    (given directly too) are skipped without an error."""
    d = rules_dir(ctx)
    p = harrier(ctx, "-r", d, "-L", "-o", "log_stderr=false")
    assert p.returncode == 0, p.stderr.decode(errors="replace")
    assert table_rows(p.stdout.decode()) == ["from hidden", "from a", "from b"], p.stdout.decode()
    txt = os.path.join(d, "notes.txt")
    p = harrier(ctx, "-r", os.path.join(d, "a.yml"), "-r", txt, "-L", "-o", "log_stderr=false")
    assert p.returncode == 0 and table_rows(p.stdout.decode()) == ["from a"], (p.stdout, p.stderr)


def wrap_text(text, indent, line_len):
    """Falco's falco::utils::wrap_text, restated: words joined by one space
    (each followed by a space), a new line indented by `indent` columns once
    a word would pass line_len - indent."""
    out, length = "", 0
    for word in text.split():
        if length + len(word) + 1 <= line_len - indent:
            length += len(word) + 1
        else:
            out += "\n" + " " * indent
            length = len(word) + 1
        out += word + " "
    return out


def test_describe_rule_text(ctx):
    """-l RULE: Falco's format_described_rules_as_text, the header and the one
    rule, its description wrapped at 110 columns with a 51-column indent."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    write(rules, RULE.format(name="short", desc="s") + RULE.format(name="long one", desc=LONG_DESC))
    p = harrier(ctx, "-r", rules, "-l", "long one", "-o", "log_stderr=false", check=True)
    expected = "%-50s %s\n%-50s %s\n%-50s %s\n\n" % ("Rule", "Description", "----", "-----------", "long one",
                                                    wrap_text(LONG_DESC, 51, 110))
    assert p.stdout.decode() == expected, p.stdout.decode()


def test_describe_unknown_rule(ctx):
    """-l of a rule that is not loaded: Falco's describe_rule throws, main
    prints 'Runtime error: Rule "X" is not loaded. Exiting.' and exits 1,
    with nothing on stdout (also with log_stderr off)."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    write(rules, RULE.format(name="short", desc="s"))
    for log in ("true", "false"):
        p = harrier(ctx, "-r", rules, "-l", "nosuch", "-o", "log_stderr=" + log)
        assert p.returncode == 1 and p.stdout == b"", (p.returncode, p.stdout)
        assert 'Runtime error: Rule "nosuch" is not loaded. Exiting.' in p.stderr.decode(), p.stderr


def test_list_field_names_only(ctx):
    """--list -N: Falco prints the field names alone, one a line."""
    names = harrier(ctx, "--list", "-N", check=True).stdout.decode().splitlines()
    assert "proc.name" in names and "evt.type" in names and "fd.name" in names, names[:20]
    bad = [n for n in names if not re.fullmatch(r"[a-z0-9_.]+", n)]
    assert not bad, bad[:5]
    full = harrier(ctx, "--list", check=True).stdout.decode()
    assert all(n in full for n in names)


def test_list_layout(ctx):
    """--list as Falco prints it (libsinsp filter_fieldclass_info::as_string):
    per class a rule of 31 dashes, 'Field Class:' / 'Description:' / 'Event
    Sources:' labels in a 30-column block ('syscall '), a blank line, then
    each field name in the 30-column block (a longer name on its own line)
    with its description wrapped to 90 columns, continuation lines indented
    by 30; one blank line after each class. The fields are --list -N's, in order."""
    lines = harrier(ctx, "--list", check=True).stdout.decode().split("\n")
    names = harrier(ctx, "--list", "-N", check=True).stdout.decode().split()
    seen, i = [], 0
    while i < len(lines) - 1:
        assert lines[i] == "-" * 31, (i, lines[i])
        assert re.fullmatch(r"Field Class: {18}[a-z0-9_.]+( \(.+\))?", lines[i + 1]), lines[i + 1]
        i += 2
        if lines[i].startswith("Description:"):
            assert lines[i][12:30] == " " * 18 and lines[i][30] != " ", lines[i]
            i += 1
            while lines[i].startswith(" " * 30):
                i += 1
        assert lines[i] == "Event Sources:" + " " * 16 + "syscall " and lines[i + 1] == "", lines[i:i + 2]
        i += 2
        while lines[i]:
            name = lines[i].split(" ")[0]
            if len(name) > 30:
                assert lines[i] == name, lines[i]
                i += 1
                assert lines[i].startswith(" " * 30), lines[i]
            else:
                assert lines[i][len(name):30] == " " * (30 - len(name)) and lines[i][30] != " ", lines[i]
            assert len(lines[i]) <= 30 + 90, lines[i]
            seen.append(name)
            i += 1
            while lines[i].startswith(" " * 30):
                assert len(lines[i].rstrip()) <= 30 + 90, lines[i]
                i += 1
        i += 1  # the blank line after the class
    assert seen == names


def test_list_source(ctx):
    """--list=SOURCE lists that source's fields; a source Falco does not know
    is fatal: 'Error: Value for --list must be a valid source type', exit 1."""
    p = harrier(ctx, "--list=syscall", check=True)
    assert "proc.name" in p.stdout.decode()
    p = harrier(ctx, "--list=nosuch")
    assert p.returncode == 1 and b"Value for --list must be a valid source type" in p.stderr, p.stderr


def test_support_document(ctx):
    """--support: Falco's print_support keys: cmdline (the arguments joined
    by spaces), engine_info.engine_version (the minor number, what falcoctl
    matches) and engine_version_semver, system_info, config, and one
    rules_files entry per file loaded (directories expanded, non-YAML
    skipped) with variants[0].content."""
    d = rules_dir(ctx)
    p = harrier(ctx, "-r", d, "--support", "-o", "log_stderr=false", check=True)
    doc = json.loads(p.stdout)
    assert doc["cmdline"] == " ".join([ctx.bin("harrier"), "-r", d, "--support", "-o", "log_stderr=false"])
    semver = doc["engine_info"]["engine_version_semver"]
    assert re.fullmatch(r"0\.\d+\.\d+", semver) and doc["engine_info"]["engine_version"] == semver.split(".")[1]
    assert set(doc["system_info"]) == {"sysname", "nodename", "release", "version", "machine"}
    assert isinstance(doc["config"], str)
    names = [f["name"] for f in doc["rules_files"]]
    assert names == [os.path.join(d, n) for n in (".hidden.yaml", "a.yml", "b.yaml")], names
    with open(os.path.join(d, "a.yml")) as f:
        assert doc["rules_files"][1]["variants"] == [{"content": f.read()}]


def test_long_options_with_equals(ctx):
    """cxxopts (Falco's parser) takes --option=K=V and --validate=FILE."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    write(rules, RULE.format(name="short", desc="s"))
    p = harrier(ctx, "--validate=" + rules, "--option=json_output=true", "-o", "log_stderr=false")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["falco_load_results"][0]["successful"] is True, doc


def test_json_message_property(ctx):
    """json_include_message_property=true (Falco's formats.cpp): a "message"
    key, sorted among the others, holding the rule output without the
    "<time>: <Priority> " that "output" starts with; absent by default."""
    rules = os.path.join(ctx.shared, "conformance", "falco-alerts", "rules.yaml")
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    base = [ctx.bin("harrier"), "-r", rules, "-e", trace, "-o", "json_output=true", "-o", "log_stderr=false"]
    plain = [json.loads(x) for x in ctx.run(base).stdout.splitlines() if x.startswith(b"{")]
    lines = [x for x in ctx.run(base + ["-o", "json_include_message_property=true"]).stdout.decode().splitlines()
             if x.startswith("{")]
    assert plain and len(lines) == len(plain) and not any("message" in a for a in plain)
    for line, old in zip(lines, plain):
        a = json.loads(line)
        keys = list(a)
        assert keys == sorted(keys) and "message" in keys, keys
        assert a["output"] == "%s: %s %s" % (old["output"].split(": ")[0], a["priority"], a["message"]), a
        del a["message"]
        assert a == old


def test_config_files_included(ctx):
    """config_files (Falco's merge_config_files, default /etc/falco/config.d):
    each listed file, or a directory's regular files sorted by path, is merged
    into the configuration after the main file. Strategy append (the default):
    a list extends the main file's, another value replaces it; override
    replaces; add-only sets only keys the configuration lacks."""
    d = os.path.join(ctx.tmp, "conf.d")
    os.mkdir(d)
    main_rules, extra_rules = os.path.join(ctx.tmp, "main.yaml"), os.path.join(ctx.tmp, "extra.yaml")
    main_rule = RULE.format(name="main rule", desc="m")
    write(main_rules, main_rule.replace("evt.type=open", "evt.type=open and fd.name=/dev/null"))
    write(extra_rules, RULE.format(name="extra rule", desc="e"))
    write(os.path.join(d, "10-json.yaml"), "json_output: true\njson_include_tags_property: false\n")
    write(os.path.join(d, "20-rules.yaml"), "rules_files:\n  - %s\n" % extra_rules)
    write(os.path.join(ctx.tmp, "addonly.yaml"), "json_output: false\npriority: critical\n")
    config = os.path.join(ctx.tmp, "falco.yaml")
    write(config, "rules_files:\n  - %s\nconfig_files:\n  - %s\n  - path: %s\n    strategy: add-only\n"
          "priority: debug\njson_output: false\n" % (main_rules, d, os.path.join(ctx.tmp, "addonly.yaml")))
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    p = harrier(ctx, "-c", config, "-e", trace, "-o", "log_stderr=false", check=True)
    alerts = [json.loads(x) for x in p.stdout.splitlines() if x.startswith(b"{")]
    assert alerts, "config.d's json_output: true was not merged:\n" + p.stdout.decode()[:500]
    assert {a["rule"] for a in alerts} == {"main rule", "extra rule"}, {a["rule"] for a in alerts}
    assert not any("tags" in a for a in alerts)


def test_describe_rules_json(ctx):
    """-L with json_output=true: Falco prints falco_engine::describe_rule's
    JSON: required_engine_version, required_plugin_versions, and rules,
    macros and lists, each with info (the item as written) and details."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    write(rules, "- list: l\n  items: [a]\n- macro: m\n  condition: evt.dir=<\n" +
          RULE.format(name="short", desc="s"))
    p = harrier(ctx, "-r", rules, "-L", "-o", "json_output=true", "-o", "log_stderr=false", check=True)
    doc = json.loads(p.stdout)
    assert {"required_engine_version", "required_plugin_versions", "rules", "macros", "lists"} <= set(doc)
    assert [r["info"]["name"] for r in doc["rules"]] == ["short"]
    assert doc["rules"][0]["info"]["description"] == "s"
    assert [m["info"]["name"] for m in doc["macros"]] == ["m"]
    assert [x["info"]["name"] for x in doc["lists"]] == ["l"]


PENDING_TESTS = {
    "test_config_files_included":
        "issue 4: config_files is accepted but not read: the files it lists (or a directory's files) are not "
        "merged into the configuration with Falco's append/override/add-only strategies (src/app/config.c, "
        "containers engineer)",
    "test_describe_rules_json":
        "issue 4: -L/-l with json_output=true print the text table; Falco prints describe_rule's JSON "
        "(required_engine_version, required_plugin_versions, rules/macros/lists with info and compiled "
        "details: condition fields, operators, event types, exceptions) — needs the rules engine's "
        "compiled-condition walk (src/rules, rules engineer)",
}
