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


def test_config_files_override_and_errors(ctx):
    """config_files with strategy override replaces the main file's list;
    a missing path is skipped; an included file naming config_files, or an
    include of the main file itself, is an error (exit 1) as in Falco."""
    main_rules, extra_rules = os.path.join(ctx.tmp, "main.yaml"), os.path.join(ctx.tmp, "extra.yaml")
    write(main_rules, RULE.format(name="main rule", desc="m"))
    write(extra_rules, RULE.format(name="extra rule", desc="e"))
    write(os.path.join(ctx.tmp, "over.yaml"), "rules_files:\n  - %s\n" % extra_rules)
    config = os.path.join(ctx.tmp, "falco.yaml")
    write(config, "rules_files: [%s]\njson_output: true\nconfig_files:\n  - %s\n  - path: %s\n    strategy: override\n"
          % (main_rules, os.path.join(ctx.tmp, "missing.yaml"), os.path.join(ctx.tmp, "over.yaml")))
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    p = harrier(ctx, "-c", config, "-e", trace, "-o", "log_stderr=false", check=True)
    alerts = [json.loads(x) for x in p.stdout.splitlines() if x.startswith(b"{")]
    assert alerts and {a["rule"] for a in alerts} == {"extra rule"}, p.stdout.decode()[:500]

    nested = os.path.join(ctx.tmp, "nested.yaml")
    write(nested, "config_files: [%s]\n" % extra_rules)
    write(config, "rules_files: [%s]\nconfig_files: [%s]\n" % (main_rules, nested))
    p = harrier(ctx, "-c", config, "-e", trace)
    assert p.returncode == 1 and b"'config_files' directive in included config file " + nested.encode() in p.stderr, \
        (p.returncode, p.stderr[-500:])
    write(config, "rules_files: [%s]\nconfig_files: [%s]\n" % (main_rules, config))
    p = harrier(ctx, "-c", config, "-e", trace)
    assert p.returncode == 1 and b"recursively include main config file" in p.stderr, (p.returncode, p.stderr[-500:])


DESCRIBED = """- required_engine_version: 0.31.0
- required_engine_version: 0.26.0
- list: shells
  items: [bash, sh]
- list: all_shells
  items: [shells, zsh]
- list: unused_l
  items: [x]
- macro: spawned
  condition: evt.type = execve and evt.dir = <
- macro: unused_m
  condition: proc.name in (all_shells)
- rule: Shell
  desc: a shell
  condition: spawned and proc.name in (shells) and not proc.pname startswith "sshd"
  output: "Shell %proc.name (parent=%proc.pname file=%fd.name[0])"
  priority: WARNING
  tags: [t2, t1]
  exceptions:
    - name: by_parent
      fields: [proc.pname, proc.cmdline]
      comps: [=, contains]
      values: [[cron, x]]
    - name: by_name
      fields: proc.name
      values: [bash]
"""


def describe(ctx, rules, *args):
    p = harrier(ctx, "-r", rules, *args, "-o", "json_output=true", "-o", "log_stderr=false", check=True)
    assert p.stdout.endswith(b"\n") and p.stdout.count(b"\n") == 1, p.stdout[-200:]
    return p.stdout.decode()


def test_describe_rules_json(ctx):
    """-L with json_output=true: Falco prints falco_engine::describe_rule's
    JSON on one line (nlohmann's dump: keys sorted): required_engine_version
    (the highest required), required_plugin_versions, and rules, macros and
    lists, each with info (the item as written) and details (what the
    compiled condition uses; lists/macros as written; exceptions' names,
    fields and comps; output fields in order; used flags).
    Known differences, by design or not yet done: members of Falco's
    unordered sets (fields, operators, events, lists, macros, exception
    names/operators) print sorted, as their order in Falco is the hash
    table's; operators and lists are read from the condition's tokens;
    required_plugin_versions is always [] and info.capture false (Harrier
    has no plugins and no capture); no extra_output_formatted_fields."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    write(rules, DESCRIBED)
    text = describe(ctx, rules, "-L")
    doc = json.loads(text)
    assert list(doc) == ["lists", "macros", "required_engine_version", "required_plugin_versions", "rules"], list(doc)
    assert doc["required_engine_version"] == "0.31.0" and doc["required_plugin_versions"] == []
    assert doc["lists"] == [
        {"details": {"items_compiled": ["bash", "sh"], "lists": [], "plugins": [], "used": True},
         "info": {"items": ["bash", "sh"], "name": "shells"}},
        {"details": {"items_compiled": ["bash", "sh", "zsh"], "lists": ["shells"], "plugins": [], "used": True},
         "info": {"items": ["zsh"], "name": "all_shells"}},
        {"details": {"items_compiled": ["x"], "lists": [], "plugins": [], "used": False},
         "info": {"items": ["x"], "name": "unused_l"}},
    ], doc["lists"]
    spawned, unused = doc["macros"]
    assert spawned == {"details": {
        "condition_compiled": "(evt.type = execve and evt.dir = <)", "condition_fields": ["evt.dir", "evt.type"],
        "condition_operators": ["="], "events": ["asyncevent", "execve"], "lists": [], "macros": [],
        "plugins": [], "used": True}, "info": {"condition": "evt.type = execve and evt.dir = <", "name": "spawned"}}, \
        spawned
    assert unused["details"]["used"] is False and unused["details"]["lists"] == ["all_shells"]
    assert unused["details"]["condition_fields"] == ["proc.name"]
    assert {"open", "execve", "asyncevent"} <= set(unused["details"]["events"])  # no evt.type: every event
    [rule] = doc["rules"]
    assert list(rule) == ["details", "info"]
    assert rule["info"] == {"capture": False, "capture_duration": 0,
                            "condition": 'spawned and proc.name in (shells) and not proc.pname startswith "sshd"',
                            "description": "a shell", "enabled": True, "name": "Shell",
                            "output": "Shell %proc.name (parent=%proc.pname file=%fd.name[0])",
                            "priority": "Warning", "source": "syscall", "tags": ["t1", "t2"]}, rule["info"]
    d = rule["details"]
    assert list(d) == sorted(d), list(d)
    assert d["condition_fields"] == ["evt.dir", "evt.type", "proc.cmdline", "proc.name", "proc.pname"], d
    assert d["condition_operators"] == ["=", "contains", "in", "startswith"], d
    assert d["events"] == ["asyncevent", "execve"], d["events"]
    assert d["exception_fields"] == ["proc.cmdline", "proc.name", "proc.pname"], d
    assert d["exception_names"] == ["by_name", "by_parent"], d
    assert d["exception_operators"] == ["=", "contains", "in"], d
    assert d["lists"] == ["shells"] and d["macros"] == ["spawned"], d
    assert d["output_fields"] == ["proc.name", "proc.pname", "fd.name[0]"], d
    assert d["output_compiled"] == rule["info"]["output"] and d["plugins"] == []
    # the compiled condition: macro expanded, list substituted, exceptions appended
    assert "spawned" not in d["condition_compiled"] and "bash" in d["condition_compiled"]
    assert "cron" in d["condition_compiled"]
    # -l RULE: only that rule, under "rules"
    one = json.loads(describe(ctx, rules, "-l", "Shell"))
    assert one == {"rules": [rule]}, one


def test_describe_condition_compiled_as_ast(ctx):
    """details.condition_compiled is libsinsp's ast::as_string of the
    compiled AST: and/or nodes in parentheses with all their children, the
    macro's subtree in place, the list substituted as a list_expr printed
    "(a, b)", values quoted only when escape_str must (space, =, quotes)."""
    rules = os.path.join(ctx.tmp, "r.yaml")
    write(rules, "- list: shells\n  items: [bash, sh]\n- macro: spawned\n  condition: evt.type = execve and "
          "evt.dir = <\n- rule: Shell\n  desc: a shell\n  condition: spawned and proc.name in (shells) and not "
          "proc.pname startswith \"sshd\"\n  output: \"Shell %proc.name\"\n  priority: WARNING\n")
    [rule] = json.loads(describe(ctx, rules, "-L"))["rules"]
    assert rule["details"]["condition_compiled"] == \
        "((evt.type = execve and evt.dir = <) and proc.name in (bash, sh) and not proc.pname startswith sshd)", \
        rule["details"]["condition_compiled"]
    write(rules, "- rule: Quoting\n  desc: q\n  condition: evt.type=open and (fd.name = \"a b\" and "
          "proc.cmdline contains 'x=y' or proc.name in (\"a b\", c) or tolower(proc.name) exists)\n"
          "  output: \"q %proc.name\"\n  priority: WARNING\n")
    [rule] = json.loads(describe(ctx, rules, "-L"))["rules"]
    assert rule["details"]["condition_compiled"] == \
        '(evt.type = open and ((fd.name = "a b" and proc.cmdline contains "x=y") or proc.name in ("a b", c) or ' \
        'tolower(proc.name) exists))', rule["details"]["condition_compiled"]


def test_describe_compat_rules_json(ctx):
    """-L json over Falco's default rules file: valid JSON naming every rule,
    macro and list of the file, each rule's events found."""
    path = "/work/shared/compat-rules/falco_rules.yaml"
    doc = json.loads(describe(ctx, path, "-L"))
    with open(path) as f:
        text = f.read()
    names = {kind: re.findall(r"^- %s: (.+?)\s*$" % kind, text, re.M) for kind in ("rule", "macro", "list")}
    assert [r["info"]["name"] for r in doc["rules"]] == names["rule"]
    assert [m["info"]["name"] for m in doc["macros"]] == names["macro"]
    assert [x["info"]["name"] for x in doc["lists"]] == names["list"]
    for r in doc["rules"]:
        assert r["details"]["events"] and r["details"]["condition_fields"], r["info"]["name"]


def test_list_events(ctx):
    """--list-events: Falco's text formatter: the schema line, then syscall,
    tracepoint, plugin and metaevent sections (\"## Title\" and a blank
    line, events in id order without old-version, unused and generic ones,
    a blank line after), each parameter as TYPE **name**, flags followed by
    their names; generic syscalls close the syscall section, enter and exit."""
    out = harrier(ctx, "--list-events", check=True).stdout.decode()
    lines = out.split("\n")
    assert lines[0] == "The events below are valid for Falco *Schema Version*: 4.3.0"
    heads = [i for i, l in enumerate(lines) if l.startswith("## ")]
    assert [lines[i] for i in heads] == ["## Syscall events", "## Tracepoint events", "## Plugin events",
                                          "## Metaevents"]
    assert heads[0] == 1  # no blank line after the schema line
    for i in heads:
        assert lines[i + 1] == "" and (i == 1 or lines[i - 1] == ""), i
    section = {lines[h]: lines[h + 2:(heads + [len(lines)])[k + 1] - 1] for k, h in enumerate(heads)}
    sys_events = section["## Syscall events"]
    assert "< close(ERRNO **res**, FD **fd**)" in sys_events
    # execve's enter event is an old version now: only the exit is listed
    assert [l[:41] for l in sys_events if "execve(" in l] == ["< execve(ERRNO **res**, CHARBUF **exe**, "]
    assert ("< read(ERRNO **res**, BYTEBUF **data**, FD **fd**, UINT32 **size**)") in sys_events
    opens = [l for l in sys_events if l.startswith("> open(")]
    assert opens == ["> open(FSPATH **name**, FLAGS32 **flags**: O_LARGEFILE, O_DIRECTORY, O_DIRECT, O_TRUNC, "
                     "O_SYNC, O_NONBLOCK, O_EXCL, O_DSYNC, O_APPEND, O_CREAT, O_RDWR, O_WRONLY, O_RDONLY, "
                     "O_CLOEXEC, O_NONE, O_TMPFILE, O_F_CREATED, FD_UPPER_LAYER, FD_LOWER_LAYER, "
                     "UINT32 **mode**)"], opens
    # generic syscalls: both directions with the generic layout, not the aliases
    assert "> getpid(SYSCALLID **ID**, UINT16 **nativeID**)" in sys_events
    assert "< getpid(SYSCALLID **ID**, UINT16 **nativeID**)" in sys_events
    assert "< mlock(ERRNO **res**, UINT64 **addr**, UINT64 **len**)" in sys_events  # has its own event now
    # the libs' event-to-syscall map names 272 generic syscalls
    assert sum(l.endswith("(SYSCALLID **ID**, UINT16 **nativeID**)") for l in sys_events) == 2 * 272
    assert not any(l.startswith(("> syscall(", "> getuid32(", "> sched_switch(")) for l in sys_events)
    # old versions are hidden: one procexit, the current layout
    tp = section["## Tracepoint events"]
    assert [l for l in tp if "procexit" in l] == [
        "> procexit(ERRNO **status**, ERRNO **ret**, SIGTYPE **sig**, UINT8 **core**, PID **reaper_tid**)"], tp
    assert section["## Plugin events"][0].startswith("> pluginevent(")
    meta = section["## Metaevents"]
    assert "> drop(UINT32 **ratio**)" in meta and "< drop(UINT32 **ratio**)" in meta
    assert meta.count("> container(CHARBUF **json**)") == 1, meta


PENDING_TESTS = {}
