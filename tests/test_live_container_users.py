"""Users and groups of processes in containers (src/state/container_users.c).

A container's processes are named by the container's own /etc/passwd and
/etc/group, as Falco 0.44's libs do: live, Harrier reads them through
/proc/PID/root the first time it sees a thread of the container; -w writes
them as useradded (354) / groupadded (358) events carrying the container
id, which Harrier's reader takes back. The containers here get uid/gid 1,
which the host names "daemon", under another name; uid/gid 2 (the host's
"bin") is missing from the container's files and must not borrow the
host's name.

sysdig 0.29.3 cannot be the oracle for the container names: its reader
skips every event id from 336 on (scap_savefile.c, "new syscalls") and its
user table is the host's, so it names uid 1 "daemon" in containers too.
The tests check that it reads the recordings and state that deviation
explicitly."""
import os
import signal
import subprocess
import threading
import time

import containers as ct
import scapbuild as sb
from scapbuild import Capture, old_tail, proc, s, u32

CT_UID = 1           # the host's "daemon"
CT_USER = ("harrierctuser", "/home/harrierct", "/bin/harriersh")
CT_GROUP = "harriercgroup"
MISSING_UID = 2      # the host's "bin", absent from the container's files
PASSWD = "root:x:0:0:root:/root:/bin/bash\n%s:x:%d:%d:ct user:%s:%s\n" % (
    CT_USER[0], CT_UID, CT_UID, CT_USER[1], CT_USER[2])
GROUP = "root:x:0:\n%s:x:%d:\n" % (CT_GROUP, CT_UID)


def test_container_users_unit(ctx):
    """Parsing with malformed lines and the size/line/entry bounds, and
    reading a root's files (symlinks stay inside it, a FIFO never blocks)."""
    ctx.unit_group("container_users", 40)


# ---- reading a recording ------------------------------------------------------

HEX_A = "a1" * 32
HEX_B = "b2" * 32


def podman_cgroups(full):
    return ("cpu=/libpod_parent/libpod-%s\0memory=/libpod_parent/libpod-%s\0" % (full, full)).encode()


def user_event(cap, uid, gid, name, home, shell, cid, ts):
    cap.event(354, [u32(uid), u32(gid), s(name), s(home), s(shell), s(cid)], ts=ts, tid=-1)


def test_recording_container_users_name_their_threads(ctx):
    """useradded/groupadded events with a container id name that
    container's threads only: a host thread and a thread of a container
    without such events keep the host's names (as the capture's user list
    gives them)."""
    cap = Capture()
    cap.shb()
    cap.machine_info()
    cap.userlist([dict(uid=0, gid=0, name="root", home="/root", shell="/bin/bash"),
                  dict(uid=1, gid=1, name="daemon", home="/usr/sbin", shell="/usr/sbin/nologin")],
                 [dict(gid=0, name="root"), dict(gid=1, name="daemon")])
    cap.proclist(9, [proc(tid=200, pid=200, ptid=1, comm="cat", uid=1, gid=1, tail=old_tail(1, 0)),
                     proc(tid=201, pid=201, ptid=1, comm="cat", uid=1, gid=1, cgroups=podman_cgroups(HEX_A),
                          tail=old_tail(1, 0)),
                     proc(tid=202, pid=202, ptid=1, comm="cat", uid=1, gid=1, cgroups=podman_cgroups(HEX_B),
                          tail=old_tail(1, 0))])
    ts = 1_700_000_000_000_000_000
    user_event(cap, CT_UID, CT_UID, CT_USER[0], CT_USER[1], CT_USER[2], HEX_A[:12], ts)
    cap.event(358, [u32(CT_UID), s(CT_GROUP), s(HEX_A[:12])], ts=ts, tid=-1)
    for tid in (200, 201, 202):
        ts += 10_000
        sb.open_close_events(cap, 1, tid=tid, ts0=ts)
    for tid in (200, 201):  # setuid/setgid enters: their ids are named in evt.args
        ts += 10_000
        cap.event(198, [u32(CT_UID)], ts=ts, tid=tid)
        cap.event(200, [u32(CT_UID)], ts=ts + 1, tid=tid)
    path = cap.write(os.path.join(ctx.tmp, "container-users.scap"))
    fmt = "%thread.tid %container.id %user.name %user.homedir %user.shell %group.name %user.loginname"
    flt = "evt.type=open and evt.dir=<"
    mine = ctx.inspect("-r", path, "-p", fmt, flt).stdout.decode().splitlines()
    assert mine == ["200 host daemon /usr/sbin /usr/sbin/nologin daemon daemon",
                    "201 %s %s %s %s %s %s" % (HEX_A[:12], CT_USER[0], CT_USER[1], CT_USER[2], CT_GROUP, CT_USER[0]),
                    "202 %s daemon /usr/sbin /usr/sbin/nologin daemon daemon" % HEX_B[:12]], mine
    args = ctx.inspect("-r", path, "-p", "%thread.tid %evt.type %evt.args",
                       "evt.type in (setuid, setgid)").stdout.decode().splitlines()
    args = [line.rstrip() for line in args]
    assert args == ["200 setuid uid=1(daemon)", "200 setgid gid=1(daemon)",
                    "201 setuid uid=1(%s)" % CT_USER[0], "201 setgid gid=1(%s)" % CT_GROUP], args
    # sysdig 0.29.3 skips ids >= 336 (useradded is 354): it names uid 1
    # "daemon" in the container too; the host thread and the container
    # without events are the same in both.
    theirs = ctx.sysdig("-r", path, "-p", "%thread.tid %user.name %group.name", flt).stdout.decode().splitlines()
    assert theirs == ["200 daemon daemon", "201 daemon daemon", "202 daemon daemon"], theirs


# ---- live, real podman -------------------------------------------------------------

def container_files(ctx):
    d = os.path.join(ctx.tmp, "ct-etc")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "passwd"), "w") as f:
        f.write(PASSWD)
    with open(os.path.join(d, "group"), "w") as f:
        f.write(GROUP)
    return ["-v", os.path.join(d, "passwd") + ":/etc/passwd:ro", "-v", os.path.join(d, "group") + ":/etc/group:ro"]


def run_as(name, uid, mounts, token):
    """A container running cat (with `token` among its arguments) as uid:gid."""
    ct.remove(name)
    ct.run(name, ["bash", "-c", "cat /etc/hostname /dev/null/%s >/dev/null 2>&1; exit 0" % token],
           extra=["--user", "%d:%d" % (uid, uid)] + mounts)
    return ct.full_id(name)


class Printer:
    """harrier-inspect printing live until stopped, once its probe is attached."""

    def __init__(self, ctx, fmt, flt):
        from test_live import bpf_links_attached, WAIT_S
        self.wait_s = WAIT_S
        self.p = subprocess.Popen([ctx.bin("harrier-inspect"), "-M", "60", "-p", fmt, flt],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ctx.env)
        self.lines = []
        self.err = ""
        self.cond = threading.Condition()
        self.readers = [threading.Thread(target=self._read_out), threading.Thread(target=self._read_err)]
        for t in self.readers:
            t.start()
        deadline = time.monotonic() + WAIT_S
        while bpf_links_attached(self.p.pid) < 3:
            assert self.p.poll() is None, "harrier-inspect ended early"
            assert time.monotonic() < deadline, "probe not attached within %.0f s" % WAIT_S
            time.sleep(0.02)

    def _read_out(self):
        for line in self.p.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def _read_err(self):
        self.err = self.p.stderr.read()

    def wait_for(self, pred):
        """Waits (bounded) until pred(lines) holds; returns whether it did."""
        with self.cond:
            return self.cond.wait_for(lambda: pred(self.lines) or self.p.poll() is not None,
                                      timeout=self.wait_s) and pred(self.lines)

    def stop(self):
        self.p.send_signal(signal.SIGINT)
        self.p.wait(timeout=60)
        for t in self.readers:
            t.join()
        assert self.p.returncode == 0, f"harrier-inspect exited {self.p.returncode}: {self.err[-2000:]}"
        return self.lines


# "*": sysdig's -p drops a line with a field that has no value, unless asked
FMT = "*%container.id %proc.name %user.uid %user.name %user.homedir %user.shell %group.name"
EXPECTED_CT = [str(CT_UID), CT_USER[0], CT_USER[1], CT_USER[2], CT_GROUP]
EXPECTED_MISSING = [str(MISSING_UID), "<NA>", "<NA>", "<NA>", "<NA>"]


def cat_rows(lines, full):
    rows = [line.split() for line in lines]
    return [r[2:] for r in rows if len(r) == 7 and r[0] == full[:12] and r[1] == "cat"]


def test_live_container_users_inspect_and_recording(ctx):
    """harrier-inspect live names the container's cat by the container's
    passwd/group (uid 1 is "daemon" on the host), a uid the container lacks
    gets no name (not the host's "bin"); a -w recording made meanwhile
    carries the container's users as useradded/groupadded events with its
    id, and reading it back gives the same names."""
    from test_live import start_recorder
    ct.ensure_image()
    mounts = container_files(ctx)
    names = (ct.name("users"), ct.name("nouser"))
    out = os.path.join(ctx.tmp, "container-users.scap")
    token = "harrier-ctusers-%d" % os.getpid()
    flt = "container.id != host and evt.type=execve and evt.dir=<"
    try:
        printer = Printer(ctx, FMT, flt)
        try:
            rec = start_recorder(ctx, out)
            try:
                full = run_as(names[0], CT_UID, mounts, token)
                missing_full = run_as(names[1], MISSING_UID, mounts, token)
                # both cats printed: the recorder has read that far too
                printer.wait_for(lambda lines: cat_rows(lines, full) and cat_rows(lines, missing_full))
            finally:
                rec.send_signal(signal.SIGINT)
                assert rec.wait(timeout=60) == 0, rec.stderr.read()
        finally:
            live = printer.stop()
    finally:
        for n in names:
            ct.remove(n)
    assert len(full) == 64 and len(missing_full) == 64, (full, missing_full)
    assert cat_rows(live, full) == [EXPECTED_CT], live[-20:]
    assert cat_rows(live, missing_full) == [EXPECTED_MISSING], live[-20:]

    replay = ctx.inspect("-r", out, "-p", FMT, flt).stdout.decode().splitlines()
    assert cat_rows(replay, full) == [EXPECTED_CT], replay[-20:]
    assert cat_rows(replay, missing_full) == [EXPECTED_MISSING], replay[-20:]
    added = [line.rstrip() for line in ctx.inspect("-r", out, "-p", "%evt.type %evt.args",
                                                   "evt.type in (useradded, groupadded)").stdout.decode().splitlines()]
    want_user = "useradded uid=%d gid=%d name=%s home=%s shell=%s container_id=%s" % (
        CT_UID, CT_UID, CT_USER[0], CT_USER[1], CT_USER[2], full[:12])
    want_group = "groupadded gid=%d name=%s container_id=%s" % (CT_UID, CT_GROUP, full[:12])
    assert want_user in added and want_group in added, added
    assert sum(full[:12] in line for line in added) == 4, added  # root and uid 1, each a user and a group: once

    # sysdig 0.29.3 reads the recording but skips useradded/groupadded (ids
    # >= 336) and does not place cgroupfs podman's processes in a container:
    # it names the container's uid 1 as the host does.
    theirs = ctx.sysdig("-r", out, "-p", "%proc.name %user.uid %user.name",
                        "evt.type=execve and evt.dir=< and proc.name=cat and proc.args contains %s" % token)
    rows = theirs.stdout.decode().splitlines()
    assert "cat %d daemon" % CT_UID in rows, rows


def test_live_container_users_in_rule_output(ctx):
    """harrier's rule output names the container's user and group from the
    container's files, and, as Falco 0.44 does, "<NA>" for a uid the
    container does not list."""
    from test_containers import attached
    from test_live_detector import Detector, rule
    ct.ensure_image()
    mounts = container_files(ctx)
    token = "harrier-ctusers-rule-%d" % os.getpid()
    names = (ct.name("ruleusers"), ct.name("rulenouser"))
    rules = rule("cat in a container", "evt.type=execve and evt.dir=< and container.id != host and proc.name=cat "
                 "and proc.args contains %s" % token,
                 "cat (uid=%user.uid user=%user.name home=%user.homedir shell=%user.shell group=%group.name "
                 "id=%container.id)")
    det = attached(ctx, lambda r: Detector(ctx, r), rules)
    try:
        full = run_as(names[0], CT_UID, mounts, token)
        missing_full = run_as(names[1], MISSING_UID, mounts, token)
        fields = {}
        for cid in (full[:12], missing_full[:12]):
            a = det.wait_alert(lambda a: a["rule"] == "cat in a container" and
                               a["output_fields"].get("container.id") == cid, "the cat alert of " + cid)
            f = a["output_fields"]
            fields[cid] = [str(f["user.uid"]), f["user.name"], f["user.homedir"], f["user.shell"], f["group.name"]]
    finally:
        det.stop()
        for n in names:
            ct.remove(n)
    assert fields[full[:12]] == EXPECTED_CT, fields
    assert fields[missing_full[:12]] == EXPECTED_MISSING, fields
