"""evt.around[T] = D, sysdig's filter-only field: the events at most D
milliseconds before or after time T (nanoseconds since the epoch),
compared with sysdig 0.29.3 by the set of matched evt.num."""
import os


def matched(run, trace, flt):
    return run("-r", trace, "-p", "%evt.num", flt).stdout.decode().split()


def test_around_as_sysdig(ctx):
    discriminating = 0
    for trace in ctx.traces():
        times = ctx.sysdig("-r", trace, "-p", "%evt.rawtime").stdout.decode().split()
        if not times:
            continue
        middle = int(times[len(times) // 2])
        for t in (middle, middle + 1_500_000, int(times[0]) - 3_000_000, int(times[-1])):
            for d in (0, 1, 2, 10, 1000):
                flt = f"evt.around[{t}] = {d}"
                exp = matched(ctx.sysdig, trace, flt)
                got = matched(ctx.inspect, trace, flt)
                assert exp == got, f"{os.path.basename(trace)} {flt}: sysdig {len(exp)} events, harrier {len(got)}"
                if 0 < len(got) < len(times):
                    discriminating += 1
        # in a larger condition
        flt = f"evt.around[{middle}] = 1 and evt.dir = <"
        assert matched(ctx.sysdig, trace, flt) == matched(ctx.inspect, trace, flt), flt
    assert discriminating >= 4, discriminating


def test_around_hand_worked(ctx):
    # cat_write's event 170 is at 1470327477881836836 ns; its neighbours
    # within 0 ms: itself only.
    trace = os.path.join(ctx.traces_dir, "cat_write.scap")
    assert matched(ctx.inspect, trace, "evt.around[1470327477881836836] = 0") == ["170"]
    assert matched(ctx.inspect, trace, "evt.around[1470327477881836837] = 0") == []
    # without a value (exists) sysdig keeps a window of 0 ms
    for flt in ("evt.around[1470327477881836836] exists", "evt.around[1470327477881836837] exists"):
        assert matched(ctx.inspect, trace, flt) == matched(ctx.sysdig, trace, flt), flt
    assert matched(ctx.inspect, trace, "evt.around[1470327477881836836] exists") == ["170"]


def test_around_errors(ctx):
    trace = os.path.join(ctx.traces_dir, "empty.scap")
    for flt, msg in (("evt.around[1] != 5", b"only the '=' operator"),
                     ("evt.around[1] = x", b"not a valid number"),
                     ("evt.around[1] = evt.num", b"not a valid number"),
                     ("evt.around = 5", b"syntax error"),
                     ("evt.around[x] = 5", b"time in nanoseconds")):
        r = ctx.inspect("-r", trace, flt, check=False)
        assert r.returncode != 0 and msg in r.stderr, (flt, r.stderr)
    r = ctx.inspect("-r", trace, "-p", "%evt.around[1]", check=False)
    assert r.returncode != 0 and b"filter only" in r.stderr, r.stderr
