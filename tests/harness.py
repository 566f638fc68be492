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

    def sysdig(self, *args, check=True):
        exe = shutil.which("sysdig")
        if not exe:
            raise Skip("sysdig is not installed")
        return self.run([exe, *args], check=check)


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
