"""Filtered recordings: `harrier-inspect -w OUT FILTER` writes the matching
events plus the state-changing events that did not match, flagged
state-only, as `sysdig -w -F` does, so that the recording replays with the
same state: read back (by sysdig 0.29.3 and by Harrier) its events show the
same fields as the original read with the filter.

Events are compared by (timestamp, thread id, type, state-only flag), read
from the capture's event blocks directly (tests/scap_events.py), never by
evt.num: a recording holds fewer events, so its numbering differs."""
import os

from scap_events import CONTAINER_EVENT_TYPES, events_of

FILTERS = [
    "evt.type=read",
    "proc.name=cat",
    "fd.type=ipv4",
    "evt.type in (sendto, connect) or proc.name=ping",
    "evt.type=close and fd.name contains /",
    "evt.type in (fstat, sendmsg, connect)",
    "evt.type in (mmap, madvise, brk)",
]

# No relative times and no evt.num (both depend on what else the file holds).
FIELDS = ("*%evt.rawtime %thread.tid %evt.cpu %evt.type %evt.dir %proc.name %proc.exe %proc.args "
          "%proc.pname %proc.cwd %fd.name %fd.num %fd.type %user.name %evt.args")


def record(ctx, trace, flt, name):
    out = os.path.join(ctx.tmp, name)
    ctx.inspect("-r", trace, "-w", out, flt)
    return out


def test_fatfile_keeps_the_events_sysdig_F_keeps(ctx):
    """Same events, same flags, as sysdig -r TRACE -w OUT -F FILTER.

    Deviation (container events, ids 228/272/324): sysdig 0.29.3 consumes a
    capture's container events in its container manager and, when writing,
    emits container events of its own (id 324, stamped with the time of the
    run, thread -1); Harrier copies the capture's container events, flagged
    state-only (they change the container table). For those ids Harrier's
    recording must hold exactly the original's container events."""
    compared = reduced = 0
    for trace in ctx.traces():
        original = events_of(trace)
        orig_containers = sorted((e[0], e[1], e[2]) for e in original if e[2] in CONTAINER_EVENT_TYPES)
        for i, flt in enumerate(FILTERS):
            base = "%s-%d" % (os.path.basename(trace), i)
            ours = record(ctx, trace, flt, base + ".harrier.scap")
            theirs = os.path.join(ctx.tmp, base + ".sysdig.scap")
            ctx.sysdig("-r", trace, "-w", theirs, "-F", flt)
            h = events_of(ours)
            s = [e for e in events_of(theirs) if e[2] not in CONTAINER_EVENT_TYPES]
            h_containers = [e for e in h if e[2] in CONTAINER_EVENT_TYPES]
            h = [e for e in h if e[2] not in CONTAINER_EVENT_TYPES]
            assert sorted(h) == sorted(s), "%s [%s]: %d events vs sysdig's %d; only Harrier: %s; only sysdig: %s" % (
                base, flt, len(h), len(s), sorted(set(h) - set(s))[:5], sorted(set(s) - set(h))[:5])
            assert sorted((e[0], e[1], e[2]) for e in h_containers) == orig_containers, (base, h_containers)
            assert all(e[3] == 1 for e in h_containers), h_containers
            compared += 1
            reduced += len(h) + len(h_containers) < len(original)
    assert compared == len(ctx.traces()) * len(FILTERS)
    # in some captures every event changes state or matches; not in most
    assert reduced >= 10, "only %d of %d recordings left events out" % (reduced, compared)


def test_fatfile_reads_back_with_the_same_fields(ctx):
    """sysdig reading the recording prints what sysdig prints for the
    original with the filter; the same for Harrier. The recording holds
    state-only events (without them the fd names of `evt.type=read` would
    be lost), and readers hide them."""
    checked = with_state_only = 0
    for trace in ctx.traces():
        for i, flt in enumerate(FILTERS):
            rec = record(ctx, trace, flt, "%s-%d.rb.scap" % (os.path.basename(trace), i))
            with_state_only += 1 in [e[3] for e in events_of(rec)]
            want = ctx.sysdig("-r", trace, "-p", FIELDS, flt).stdout.decode(errors="replace")
            got = ctx.sysdig("-r", rec, "-p", FIELDS).stdout.decode(errors="replace")
            assert got == want, "sysdig on %s [%s]:\n%s" % (trace, flt, first_difference(want, got))
            want = ctx.inspect("-r", trace, "-p", FIELDS, flt).stdout.decode(errors="replace")
            got = ctx.inspect("-r", rec, "-p", FIELDS).stdout.decode(errors="replace")
            assert got == want, "harrier on %s [%s]:\n%s" % (trace, flt, first_difference(want, got))
            if got:
                checked += 1
    assert checked >= 8, "too few filters matched anything: %d" % checked
    assert with_state_only >= checked // 2, "state-only events in only %d recordings" % with_state_only


def test_fatfile_state_only_events_carry_the_fd_names(ctx):
    """`evt.type=read` on cat_write: the reads' fd.name comes from opens the
    filter dropped, written state-only."""
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    rec = record(ctx, trace, "evt.type=read", "cat-read.scap")
    lines = ctx.inspect("-r", rec, "-p", "%evt.type %fd.name").stdout.decode().splitlines()
    named = [l for l in lines if l.startswith("read /")]
    assert named, lines[:10]
    opens = [e for e in events_of(rec) if e[2] in (2, 3, 102, 103, 306, 307)]  # open, openat E/X
    assert opens and all(e[3] == 1 for e in opens), opens[:5]


def first_difference(want, got):
    w, g = want.splitlines(), got.splitlines()
    for i in range(max(len(w), len(g))):
        a = w[i] if i < len(w) else "<missing>"
        b = g[i] if i < len(g) else "<missing>"
        if a != b:
            return "line %d:\n  original+filter: %s\n  recording:       %s" % (i + 1, a, b)
    return ""


def test_fatfile_live_recording_with_a_filter(ctx):
    """Live: `harrier-inspect -n 2 -w OUT FILTER` records until two events
    match (a `cat` of a marker is repeated until then), keeping the opens
    that the filter leaves out as state-only events: sysdig 0.29.3 and
    Harrier read the recording back with the reads' file name."""
    import subprocess
    import time
    marker = os.path.join(ctx.tmp, "fatfile-live-marker")
    with open(marker, "w") as f:
        f.write("harrier\n")
    out = os.path.join(ctx.tmp, "live-fat.scap")
    flt = "evt.type=read and proc.name=cat and fd.name=%s" % marker
    rec = subprocess.Popen([ctx.bin("harrier-inspect"), "-M", "60", "-n", "2", "-w", out, flt],
                           stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while rec.poll() is None and time.monotonic() < deadline:
        subprocess.run(["cat", marker], capture_output=True, check=True)
    if rec.poll() is None:
        rec.kill()
    rc = rec.wait()
    assert rc == 0, (rc, rec.stderr.read())
    events = events_of(out)
    assert any(e[3] == 1 for e in events), "no state-only event"
    fmt = "*%evt.type %evt.dir %proc.name %fd.name %fd.type"
    theirs = ctx.sysdig("-r", out, "-p", fmt).stdout.decode().splitlines()
    ours = ctx.inspect("-r", out, "-p", fmt).stdout.decode().splitlines()
    # the recording holds the read pairs' enters too (sysdig 0.29.3 needs them)
    assert ours == ["read %s cat %s file" % (d, marker) for d in "><"], ours  # -n 2: one enter, one exit
    assert theirs == ours, theirs
    # without the state-only events the reads' fd would be unknown
    opens = [e for e in events if e[2] in (2, 3, 102, 103, 306, 307) and e[3] == 1]
    assert opens, "no state-only open"
