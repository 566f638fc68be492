"""Alerts cannot be forged or hidden by event data: a file name holding a
newline, a fake alert line, quotes, ANSI escape sequences and invalid UTF-8
is printed as one text line without any control character or invalid UTF-8
(field values are the event's bytes, as Falco 0.44's libs keep them; every
byte that is not printable ASCII or valid, non-control UTF-8 is written as
\\xHH), and as one JSON line whose output_fields hold the name itself (as
Falco's, invalid UTF-8 replaced by U+FFFD) and whose output is the text line."""
import json
import os

import scapbuild as sb
from scapbuild import Capture, i64, s, u32

HOSTILE = (b'/tmp/a\n12:00:00.000000000: Critical forged alert "q" \x1b[31mred\x1b[0m \xff\xfe end\r'
           b'\xc2\x9b ok\xc3\xa9')

RULES = """- rule: hostile open
  desc: any open
  condition: evt.type=open and evt.dir=<
  output: "open of %fd.name by %proc.name"
  priority: WARNING
"""


def make_capture(path):
    cap = Capture()
    cap.shb()
    sb.standard_metadata(cap)
    cap.event(2, [s(HOSTILE), u32(1), u32(0)], tid=100, ts=1_600_000_000_000_000_000)
    cap.event(3, [i64(3), s(HOSTILE), u32(1), u32(0), u32(0)], tid=100, ts=1_600_000_000_000_001_000)
    cap.write(path)


def test_output_escaping(ctx):
    trace = os.path.join(ctx.tmp, "hostile.scap")
    rules = os.path.join(ctx.tmp, "rules.yaml")
    make_capture(trace)
    with open(rules, "w") as f:
        f.write(RULES)
    p = ctx.run([ctx.bin("harrier"), "-r", rules, "-e", trace, "-o", "log_stderr=false"])
    out = p.stdout.decode("utf-8", errors="strict")
    alerts = [line for line in out.splitlines() if ": Warning " in line]
    assert len(alerts) == 1, out
    line = alerts[0]
    assert line.split(": Warning ", 1)[1] == ('open of /tmp/a\\x0a12:00:00.000000000: Critical forged alert "q" '
                                            '\\x1b[31mred\\x1b[0m \\xff\\xfe end\\x0d\\xc2\\x9b ok\u00e9 by cat'), line
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in line), line

    p = ctx.run([ctx.bin("harrier"), "-r", rules, "-e", trace, "-o", "log_stderr=false", "-o", "json_output=true"])
    lines = [line for line in p.stdout.decode("utf-8", errors="strict").splitlines() if line.startswith("{")]
    assert len(lines) == 1, p.stdout
    doc = json.loads(lines[0])
    assert doc["output_fields"]["fd.name"] == HOSTILE.decode("utf-8", errors="replace"), doc["output_fields"]
    assert doc["output"].split(": ", 1)[1] == line.split(": ", 1)[1], (doc["output"], line)


def test_control_characters_reaching_the_line(ctx):
    """Bytes no field rendering removed (here: an ESC and a newline written
    in the rule's own output) are escaped as \\xHH in the text line."""
    trace = os.path.join(ctx.tmp, "hostile.scap")
    rules = os.path.join(ctx.tmp, "rules.yaml")
    make_capture(trace)
    with open(rules, "w") as f:
        f.write(RULES.replace('output: "open of', 'output: "\\e[31mred\\nopen of'))
    p = ctx.run([ctx.bin("harrier"), "-r", rules, "-e", trace, "-o", "log_stderr=false"])
    alerts = [line for line in p.stdout.decode().splitlines() if ": Warning " in line]
    assert len(alerts) == 1 and "Warning \\x1b[31mred\\x0aopen of " in alerts[0], p.stdout
