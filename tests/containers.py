"""Real podman containers for tests (../shared/notes/containers.md): the
packages, a small image (busybox applets, bash and its libraries, no
registry needed), podman's Docker-compatible API service, and cleanup.

Podman is driven with command-line options instead of a machine-wide
containers.conf (runc, cgroupfs, file events, no network, rlimits this VM
allows), so that nothing outside the test changes."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

IMAGE = "localhost/harrier-containers:1"
PODMAN = ["podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs", "--events-backend", "file"]
RUN = PODMAN + ["run", "--network", "none", "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768"]
PACKAGES = ["podman", "runc", "netavark", "busybox-static"]
# Where Harrier looks for podman's API by default (Falco's default too).
API_SOCKET = "/run/podman/podman.sock"


def ensure_packages():
    missing = [p for p in PACKAGES
               if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
                                 text=True).stdout != "install ok installed"]
    if missing:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends"] + missing,
                       capture_output=True, check=True, env=env)


def ensure_image():
    """Builds IMAGE once (about 6 MB, under a second)."""
    ensure_packages()
    if subprocess.run(PODMAN + ["image", "exists", IMAGE], capture_output=True).returncode == 0:
        return
    busybox = shutil.which("busybox")
    with tempfile.TemporaryDirectory(prefix="harrier-containers-image-") as d:
        root = os.path.join(d, "root")
        for sub in ("bin", "etc", "tmp", "proc", "sys", "dev", "data"):
            os.makedirs(os.path.join(root, sub))
        shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
        applets = subprocess.run([busybox, "--list"], capture_output=True, text=True, check=True).stdout.split()
        for applet in applets:
            if applet not in ("busybox", "bash"):
                os.symlink("busybox", os.path.join(root, "bin", applet))
        shutil.copy("/bin/bash", os.path.join(root, "bin", "bash"))
        libs = subprocess.run(["ldd", "/bin/bash"], capture_output=True, text=True, check=True).stdout
        for line in libs.splitlines():
            path = [w for w in line.split() if w.startswith("/")]
            if path:
                dst = os.path.join(root, path[0].lstrip("/"))
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy(path[0], dst)
        with open(os.path.join(root, "etc", "passwd"), "w") as f:
            f.write("root:x:0:0:root:/root:/bin/bash\n")
        tar = os.path.join(d, "rootfs.tar")
        subprocess.run(["tar", "-C", root, "-cf", tar, "."], check=True)
        subprocess.run(PODMAN + ["import", "--change", 'CMD ["/bin/bash"]', tar, IMAGE],
                       capture_output=True, check=True)


def api_get(path, sock_path=API_SOCKET, timeout=2.0):
    """(status, body) of a GET on the API's unix socket, or None when it does not answer."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(sock_path)
            s.sendall(("GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" % path).encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


class ApiService:
    """podman's API service on `sock_path` (API_SOCKET unless given) for the
    duration of a `with` block; one already answering there is used as it
    is and left running."""

    def __init__(self, sock_path=API_SOCKET):
        self.sock_path = sock_path

    def __enter__(self):
        self.proc = None
        if api_get("/_ping", self.sock_path) is not None:
            return self
        os.makedirs(os.path.dirname(self.sock_path), exist_ok=True)
        if os.path.exists(self.sock_path):
            os.unlink(self.sock_path)  # left by a service that died: nobody answers on it
        self.proc = subprocess.Popen(PODMAN + ["system", "service", "--time=0", "unix://" + self.sock_path],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while api_get("/_ping", self.sock_path) is None:
            assert time.time() < deadline, "podman system service did not answer on " + self.sock_path
            assert self.proc.poll() is None, "podman system service exited: %s" % self.proc.returncode
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def name(tag):
    return "harrier-ct-%s-%d" % (tag, os.getpid())


def remove(container):
    subprocess.run(PODMAN + ["rm", "-f", "-t", "0", container], capture_output=True)


def run(container, command, extra=(), check=True, timeout=60):
    """`podman run --name container [extra] IMAGE command`, waiting for it."""
    return subprocess.run(RUN + ["--name", container] + list(extra) + [IMAGE] + list(command),
                          capture_output=True, text=True, check=check, timeout=timeout)


def full_id(container):
    out = subprocess.run(PODMAN + ["inspect", "--format", "{{.Id}}", container], capture_output=True, text=True)
    return out.stdout.strip()
