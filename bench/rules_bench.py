#!/usr/bin/env python3
"""Rules benchmark: build/harrier replaying the large benchmark capture with
the upstream stable rules (../shared/compat-rules/falco_rules.yaml) loaded,
then the same rules x1, x10 and x100 as renamed copies whose conditions use
different constants, so that no two copies can be merged when compiled.

Copy k (k >= 1) of the ruleset renames every rule, macro and list (suffix
`_bk`), appends one distinct item to every list and inline `in (...)` list
that is not a list of event types (a number for numeric lists), and gives
every single-value string comparison a distinct constant. Copy 0 is the
original. Rules whose fields Harrier does not provide yet are loaded with
`skip-if-unknown-filter: true` and dropped with a warning; the dropped
rules are listed.

Events/s are over Harrier's CPU time (user+sys, wait4), alerts written to
/dev/null: for the whole run, and for the replay alone (the CPU time of
loading the same rules, measured on an empty capture, taken off). The
goal: at most 1.3x slower from x1 to x10 (replay alone).

    bench/rules_bench.py [--build DIR] [--repeat N] [--runs K] [--copies 1,10,100] [--rules-dir DIR]

--rules-dir keeps the generated rules files (rules_xN.yaml) there, to
profile a run by hand; by default they go to a temporary directory.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))
RULES = os.path.join(SHARED, "compat-rules", "falco_rules.yaml")
SCALING_GOAL = 1.3

sys.path.insert(0, os.path.join(ROOT, "bench"))
from run import build_capture, timed  # noqa: E402

TOKEN = re.compile(r"""\s+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[(),]|!=|<=|>=|=|<|>|[^\s(),=<>!]+|!""")
COMPARISONS = {"=", "==", "!=", "<", "<=", ">", ">=", "contains", "icontains", "bcontains", "startswith",
               "bstartswith", "endswith", "glob", "iglob", "regex"}
SET_OPERATORS = {"in", "intersects", "pmatch"}
# fields whose constants are part of the event-type index or not strings
KEEP_FIELDS = ("evt.type", "evt.dir", "evt.is_", "evt.rawres", "evt.res", "evt.failed", "fd.typechar",
               "fd.type", "fd.l4proto", "fd.sockfamily", "proc.vpid", "proc.pid", "user.uid")


def event_names(build):
    """Every event type name harrier knows (lists of them stay shared)."""
    out = subprocess.run([os.path.join(build, "harrier"), "--list-events"], capture_output=True, text=True).stdout
    return {m.group(1) for m in re.finditer(r"^[<>] (\w+)\(", out, re.M)}


def is_number(s):
    return re.fullmatch(r"-?(0x[0-9a-fA-F]+|\d+)", s) is not None


def is_plain_value(s):
    """Numbers, addresses, booleans: kept as they are."""
    return is_number(s) or s in ("true", "false") or re.fullmatch(r"[0-9a-fA-F:.]+(/\d+)?", s) is not None


class Copier:
    def __init__(self, items, events):
        self.lists = {i["list"]: i for i in items if "list" in i}
        self.macros = {i["macro"] for i in items if "macro" in i}
        self.events = events
        # lists of event types stay shared: their items feed the type index
        self.shared_lists = {n for n, i in self.lists.items()
                             if i.get("items") and all(str(x) in events or str(x) in self.lists for x in i["items"])}

    def rename(self, word, k):
        if word in self.macros or (word in self.lists and word not in self.shared_lists):
            return f"{word}_b{k}"
        return word

    def extra_item(self, items, k):
        """One item no other copy has: a number for numeric lists."""
        if items and all(is_number(str(x)) for x in items):
            return str(60000 + k)
        if items and all(is_plain_value(str(x).strip("\x27\"")) for x in items):
            return f"198.18.{k}.0/24"  # a network reserved for benchmarks
        return f"harrier_bench_{k}"

    def copy_list(self, item, k):
        items = list(item.get("items") or [])
        if item["list"] in self.shared_lists:
            return None
        new = dict(item, list=f"{item['list']}_b{k}")
        new["items"] = [self.rename(str(x), k) for x in items] + [self.extra_item(items, k)]
        return new

    def condition(self, text, k):
        toks = [t for t in TOKEN.findall(text)]
        out = []
        field = None
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.isspace():
                out.append(t)
                i += 1
                continue
            keep = field is not None and field.startswith(KEEP_FIELDS)
            if t in SET_OPERATORS and i + 1 < len(toks):
                out.append(t)
                i += 1
                while i < len(toks) and toks[i].isspace():
                    out.append(toks[i])
                    i += 1
                if i < len(toks) and toks[i] == "(":
                    depth, values = 0, []
                    j = i
                    while j < len(toks):
                        if toks[j] == "(":
                            depth += 1
                        elif toks[j] == ")":
                            depth -= 1
                            if depth == 0:
                                break
                        elif not toks[j].isspace() and toks[j] != ",":
                            values.append(toks[j])
                        j += 1
                    # event type names may also be macro names (`dup`): only lists are renamed there
                    renamed = [self.rename(v, k) if not keep or v in self.lists else v for v in values]
                    plain = [v for v in values if v not in self.lists]
                    if not keep and plain:  # lists named here are distinct copies already
                        renamed.append(self.extra_item(plain, k))
                    out.append("(" + ", ".join(renamed) + ")")
                    i = j + 1
                field = None
                continue
            if t in COMPARISONS and i + 1 < len(toks):
                out.append(t)
                i += 1
                while i < len(toks) and toks[i].isspace():
                    out.append(toks[i])
                    i += 1
                if i < len(toks):
                    v = toks[i]
                    if not keep and not is_plain_value(v.strip("'\"")) and v not in ("(", ")"):
                        if v[0] in "'\"":
                            v = v[:-1] + f"_b{k}" + v[-1]
                        else:
                            v = f"{v}_b{k}"
                    out.append(v)
                    i += 1
                field = None
                continue
            if re.match(r"[a-z]+\.[\w.\[\]]+", t) and t not in self.macros:
                field = t
            out.append(self.rename(t, k))
            i += 1
        return "".join(out)

    def copy_item(self, item, k):
        if "list" in item:
            return self.copy_list(item, k)
        if "macro" in item:
            return dict(item, macro=f"{item['macro']}_b{k}", condition=self.condition(item["condition"], k))
        if "rule" in item:
            return dict(item, rule=f"{item['rule']} (copy {k})", condition=self.condition(item["condition"], k))
        return None


def make_ruleset(items, events, copies, path):
    c = Copier(items, events)
    out = []
    for item in items:
        if "rule" in item:
            item = dict(item)
            item["skip-if-unknown-filter"] = True
        out.append(item)
    for k in range(1, copies):
        for item in items:
            new = c.copy_item(item, k)
            if new is not None:
                if "rule" in new:
                    new["skip-if-unknown-filter"] = True
                out.append(new)
    with open(path, "w") as f:
        yaml.safe_dump(out, f, sort_keys=False, width=1 << 20)


def load_check(build, path):
    """The rules loaded (names) and the ones dropped for unknown fields."""
    p = subprocess.run([os.path.join(build, "harrier"), "-V", path, "-o", "json_output=true", "-o", "log_stderr=false"],
                       capture_output=True, text=True)
    try:
        result = __import__("json").loads(p.stdout)["falco_load_results"][0]
    except ValueError:
        sys.exit(f"harrier -V {path} printed no load results: {p.stderr[-2000:]}")
    if result["errors"]:
        sys.exit(f"harrier -V {path}: {[e['message'] for e in result['errors']][:3]}")
    dropped = sorted({loc["item_name"] for w in result["warnings"] if w["code"] == "LOAD_UNKNOWN_FILTER"
                      for loc in w["context"]["locations"] if loc["item_type"] == "rule"})
    return dropped, result["warnings"]


def load_cpu(build, rules):
    """CPU time of starting with these rules and replaying no events."""
    empty = os.path.join(SHARED, "conformance", "traces", "empty.scap")
    return timed([os.path.join(build, "harrier"), "-r", rules, "-e", empty, "-o", "log_stderr=false",
                  "-o", "stdout_output.enabled=false"]).cpu


def replay(build, rules, capture):
    r = timed([os.path.join(build, "harrier"), "-r", rules, "-e", capture, "-v", "-o", "log_stderr=true",
               "-o", "stdout_output.enabled=false", "-o", "priority=debug"])
    if r.returncode != 0:
        sys.exit(f"harrier failed on {rules}: {r.stderr.decode(errors='replace')[-1500:]}")
    return r


def run_rulesets(args, items, events, capture, work):
    """Events/s (replay alone) per number of copies. The runs go round the
    rulesets (x1, x10, x100, x1, ...) so that a busy spell of the machine
    hits every ruleset alike; the best run of each counts."""
    copies = [int(x) for x in args.copies.split(",")]
    paths, loaded, dropped_x1 = {}, {}, []
    for n in copies:
        paths[n] = os.path.join(work, f"rules_x{n}.yaml")
        make_ruleset(items, events, n, paths[n])
        dropped, _ = load_check(args.build, paths[n])
        loaded[n] = sum(1 for i in yaml.safe_load(open(paths[n])) if "rule" in i) - len(dropped)
        if n == 1:
            dropped_x1 = dropped
    best, load = {}, {}
    for _ in range(args.runs):
        for n in copies:
            r = replay(args.build, paths[n], capture)
            if n not in best or r.cpu < best[n].cpu:
                best[n] = r
            cpu = load_cpu(args.build, paths[n])
            load[n] = min(load.get(n, cpu), cpu)
    rates = {}
    for n in copies:
        r = best[n]
        m = re.search(rb"Captured Events: (\d+)", r.stderr)
        d = re.search(rb"Events detected: (\d+)", r.stdout)
        if not m:
            sys.exit(f"harrier -v printed no 'Captured Events' for {paths[n]}")
        captured, detected = int(m.group(1)), int(d.group(1)) if d else None
        rates[n] = captured / max(r.cpu - load[n], 1e-9)
        label = "upstream stable rules" if n == 1 else f"stable rules x{n}"
        print(f"{label:24s} {loaded[n]:5d} rules: {r.cpu:7.3f} s CPU ({r.wall:7.3f} s wall) "
              f"{captured / r.cpu / 1e6:6.2f} M events/s; load {load[n]:6.3f} s, replay alone "
              f"{rates[n] / 1e6:6.2f} M events/s  ({captured} events, {detected} alerts, best of {args.runs})")
        if n == 1 and dropped_x1:
            print(f"  dropped (fields Harrier lacks yet): {', '.join(dropped_x1)}")
    return rates


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--source", default="cat_write.scap")
    ap.add_argument("--repeat", type=int, default=20000, help="copies of the source's events (default: 20000)")
    ap.add_argument("--runs", type=int, default=3, help="runs per ruleset; the best is reported")
    ap.add_argument("--copies", default="1,10,100")
    ap.add_argument("--rules-dir", help="write the generated rules files here (kept)")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.build, "harrier")):
        sys.exit(f"{args.build}/harrier is missing: run make first")
    capture, expected = build_capture(args.build, args.source, args.repeat)
    with open(capture, "rb") as f:
        while f.read(1 << 24):
            pass
    print(f"capture: {args.source} x {args.repeat} (multiply_scap.py --drop-noise): {expected} events")
    with open(RULES) as f:
        items = yaml.safe_load(f)
    events = event_names(args.build)
    if args.rules_dir:
        os.makedirs(args.rules_dir, exist_ok=True)
        rates = run_rulesets(args, items, events, capture, args.rules_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="rules-bench-") as work:
            rates = run_rulesets(args, items, events, capture, work)
    if 1 in rates and 10 in rates:
        slow = rates[1] / rates[10]
        print(f"scaling x1 -> x10 (replay alone): {slow:.2f}x slower (goal at most {SCALING_GOAL}x: "
              f"{'met' if slow <= SCALING_GOAL else 'NOT met'})")
    if 1 in rates and 100 in rates:
        print(f"scaling x1 -> x100 (replay alone): {rates[1] / rates[100]:.2f}x slower")
    return 0


if __name__ == "__main__":
    sys.exit(main())
