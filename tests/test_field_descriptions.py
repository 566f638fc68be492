"""Harrier's field descriptions are its own words: no description in
`harrier-inspect -l` may be a near copy of sysdig 0.29.3's (`sysdig -l`)
for the same field. Closeness is difflib's SequenceMatcher ratio on the
lower-cased texts; above 0.75 counts as a copy. The same check against
Falco 0.44's wording, for the fields sysdig lacks, needs the newest libs
sources, which CI machines do not have: it is a developer tool,
tools/check_descriptions_vs_falco.py."""
import difflib

LIMIT = 0.75


def parse(text):
    """{class name: (class description, {field: description})} from a -l listing;
    classes sharing a name (evt) are merged."""
    classes, cur, field, in_desc = {}, None, None, False
    for line in text.splitlines():
        if line.startswith("Field Class:"):
            name = line[30:].split(" ")[0]
            cur = classes.setdefault(name, ["", {}])
            field, in_desc = None, False
        elif cur is None or line.startswith("---"):
            continue
        elif line.startswith("Description:"):
            cur[0] += " " + line[30:]
            in_desc = True
        elif not line.strip():
            in_desc = False
        elif line.startswith(" " * 30):
            if in_desc:
                cur[0] += " " + line[30:]
            elif field is not None:
                cur[1][field] += " " + line[30:]
        elif len(line.rstrip()) > 30 and " " not in line.rstrip():
            field = line.rstrip()  # a long name stands alone, its description follows
            cur[1][field] = ""
        else:
            field = line[:30].rstrip()
            cur[1][field] = line[30:]
    def norm(s):
        return " ".join(s.split())
    return {k: (norm(v[0]), {f: norm(d) for f, d in v[1].items()}) for k, v in classes.items()}


def ratio(a, b):
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def test_parse_reads_wrapped_descriptions(ctx):
    text = ("-------------------------------\n"
            "Field Class:                  fd (File Descriptors)\n"
            "Description:                  one\n"
            "                              two \n\n"
            "fd.num                        the fd \n"
            "                              number. \n\n")
    assert parse(text) == {"fd": ("one two", {"fd.num": "the fd number."})}, parse(text)
    assert ratio("The FD number.", "the fd number.") == 1.0


def by_field(classes):
    """{field: description} over every class (Harrier lists k8s.* with the
    container fields, sysdig in a class of their own)."""
    return {name: desc for _, fields in classes.values() for name, desc in fields.items()}


def copies_of(ours, theirs):
    compared, copies = 0, []
    for name, desc in ours.items():
        if name in theirs:
            compared += 1
            r = ratio(desc, theirs[name])
            if r > LIMIT:
                copies.append("%s %.2f: %r ~ %r" % (name, r, desc, theirs[name]))
    return compared, copies


def test_descriptions_are_not_sysdigs(ctx):
    ours = by_field(parse(ctx.inspect("-l").stdout.decode()))
    theirs = by_field(parse(ctx.sysdig("-l").stdout.decode()))
    compared, copies = copies_of(ours, theirs)
    # the comparison must have looked at the shared fields, not at nothing
    # (container.* and k8s.* included)
    assert compared > 170, compared
    assert sum(1 for n in ours if n.startswith(("container.", "k8s.")) and n in theirs) > 20
    assert not copies, "%d descriptions close to sysdig's:\n%s" % (len(copies), "\n".join(copies))


def test_class_descriptions_are_not_sysdigs(ctx):
    ours = parse(ctx.inspect("-l").stdout.decode())
    theirs = parse(ctx.sysdig("-l").stdout.decode())
    copies = ["%s %.2f" % (cls, ratio(d, theirs[cls][0])) for cls, (d, _) in ours.items()
              if cls in theirs and ratio(d, theirs[cls][0]) > LIMIT]
    assert not copies, copies
