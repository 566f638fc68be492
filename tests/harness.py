"""Shared helpers for Harrier's Python tests: paths, running programs, and
running sysdig 0.29.3 as the reference reader."""
import os
import shutil
import subprocess


class Skip(Exception):
    """A test that cannot run here. The runner counts it as a failure."""


class Context:
    def __init__(self, root, build):
        self.root = root
        self.build = build
        self.shared = os.path.normpath(os.path.join(root, "..", "shared"))
        self.traces_dir = os.path.join(self.shared, "conformance", "traces")
        self.tmp = None
        env = dict(os.environ)
        env["TZ"] = "UTC"
        # Leaks are checked (LeakSanitizer); stop at the first error.
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        self.env = env

    def bin(self, name):
        return os.path.join(self.build, name)

    def traces(self):
        return sorted(os.path.join(self.traces_dir, f) for f in os.listdir(self.traces_dir)
                      if f.endswith(".scap"))

    def run(self, args, check=True, input=None, timeout=300):
        p = subprocess.run(args, capture_output=True, env=self.env, input=input, timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(map(str, args))} exited {p.returncode}: "
                                 f"{p.stderr.decode(errors='replace')[-2000:]}")
        return p

    def inspect(self, *args, check=True, input=None):
        return self.run([self.bin("harrier-inspect"), *args], check=check, input=input)

    def unit_group(self, group, at_least):
        """Runs build/unit-tests and asserts that its group GROUP (the
        "unit GROUP: N passed, M failed" line) ran at least AT_LEAST checks
        and failed none."""
        import re
        p = subprocess.run([self.bin("unit-tests")], capture_output=True, text=True, env=self.env, timeout=120)
        fails = [line for line in p.stdout.splitlines() if line.startswith("FAIL %s:" % group)]
        m = re.search(r"^unit %s: (\d+) passed, (\d+) failed$" % re.escape(group), p.stdout, re.M)
        assert m, f"no {group} unit results:\n{p.stdout[-2000:]}{p.stderr[-2000:]}"
        assert not fails and m.group(2) == "0", "\n".join(fails)
        assert int(m.group(1)) >= at_least, m.group(0)

    def sysdig(self, *args, check=True):
        """Runs sysdig. Its answers are cached for the whole run (keyed by the
        arguments and the identity of every file they name), since the suite
        asks the same questions once per build under test."""
        exe = shutil.which("sysdig")
        if not exe:
            raise Skip("sysdig is not installed")
        key = tuple((a, _file_identity(a)) for a in map(str, args))
        hit = _SYSDIG_CACHE.get(key)
        if hit is None:
            hit = self.run([exe, *args], check=False)
            _SYSDIG_CACHE[key] = hit
        if check and hit.returncode != 0:
            raise AssertionError(f"sysdig {' '.join(map(str, args))} exited {hit.returncode}: "
                                 f"{hit.stderr.decode(errors='replace')[-2000:]}")
        return hit


_SYSDIG_CACHE = {}


def _file_identity(arg):
    try:
        st = os.stat(arg)
    except (OSError, ValueError):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def diff_lines(expected, actual, label_e="sysdig", label_a="harrier", limit=8):
    """Returns a short description of the first differing lines, or ''."""
    e = expected.splitlines()
    a = actual.splitlines()
    out = []
    for i in range(max(len(e), len(a))):
        le = e[i] if i < len(e) else "<missing>"
        la = a[i] if i < len(a) else "<missing>"
        if le != la:
            out.append(f"line {i + 1}:\n  {label_e}: {le[:300]}\n  {label_a}: {la[:300]}")
            if len(out) >= limit:
                break
    if out and len(e) != len(a):
        out.append(f"({label_e} has {len(e)} lines, {label_a} has {len(a)})")
    return "\n".join(out)


def run_fuzzer(ctx, name, seeds, min_runs, *extra, make_goal=None):
    """Builds fuzz target `name` (fuzz/Makefile) and runs it for 20 s from
    the seed directory `seeds`; fails on any crash, sanitizer report, leak,
    timeout, or a run too short to mean anything (fewer than `min_runs`). `make_goal` builds more than the target (e.g. its seeds)."""
    seconds = 20
    if not shutil.which("clang"):
        raise Skip("clang is not installed (Debian: clang, libclang-rt-14-dev)")
    target = os.path.join(ctx.build, "fuzz", name)
    build = ctx.run(["make", "-s", "-C", ctx.root, "-f", "fuzz/Makefile", f"BUILD={ctx.build}", "-j2",
                     make_goal or target], check=False, timeout=900)
    if build.returncode != 0:
        raise AssertionError(f"make -f fuzz/Makefile failed:\n{build.stderr.decode(errors='replace')[-3000:]}")
    corpus = os.path.join(ctx.tmp, "corpus")
    os.makedirs(corpus)
    p = ctx.run([target, f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048", *extra,
                 f"-artifact_prefix={ctx.tmp}/", "-print_final_stats=1", corpus, seeds],
                check=False, timeout=seconds + 300)
    log = p.stderr.decode(errors="replace")
    runs = [line for line in log.splitlines() if line.startswith("stat::number_of_executed_units")]
    crashes = [f for f in os.listdir(ctx.tmp) if f.startswith(("crash-", "leak-", "timeout-", "oom-"))]
    assert p.returncode == 0 and not crashes, \
        f"fuzzer exited {p.returncode}, artifacts {crashes}:\n{log[-4000:]}"
    assert runs and int(runs[0].split(":")[-1]) > min_runs, f"the fuzzer hardly ran:\n{log[-2000:]}"
