"""libcurl is loaded when a container runtime is first asked
(src/state/lazy_curl.c), not linked: linked, it and the 28 libraries it
pulls in cost every start of every program about 27 ms (measured on these
machines: `harrier --version` 45 -> 24 ms median). The runtime still
speaks through it: test_containers.py's live podman tests get their
metadata that way."""
import subprocess


PROGRAMS = ("harrier", "harrier-inspect", "harrier-bench", "harrier-scapdump")


def needed(path):
    out = subprocess.run(["readelf", "-d", path], capture_output=True, text=True, check=True).stdout
    return [line.split("[", 1)[1].rstrip("]") for line in out.splitlines() if "(NEEDED)" in line]


def test_programs_do_not_link_libcurl(ctx):
    libs = {p: needed(ctx.bin(p)) for p in PROGRAMS}
    assert all(libs.values()), libs  # readelf answered for each
    linked = {p: [lib for lib in v if "curl" in lib] for p, v in libs.items()}
    assert not any(linked.values()), linked


def test_file_read_does_not_load_libcurl(ctx):
    """A capture read never maps libcurl (LD_DEBUG lists every object the
    loader opens, dlopen'ed ones included)."""
    trace = ctx.traces()[0]
    env = dict(ctx.env, LD_DEBUG="files")
    p = subprocess.run([ctx.bin("harrier-inspect"), "-r", trace, "-n", "1"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert p.returncode == 0, p.stderr[-2000:]
    opened = [line for line in p.stderr.splitlines() if "file=" in line]
    assert opened and not any("libcurl" in line for line in opened), opened[:20]
