"""Harrier's field descriptions are its own words: no description in
`harrier-inspect -l` may be a near copy of sysdig 0.29.3's (`sysdig -l`)
for the same field. Closeness is difflib's SequenceMatcher ratio on the
lower-cased texts; above 0.75 counts as a copy."""
import difflib

LIMIT = 0.75

# The container and k8s classes (src/fields/fields_container.c) are still
# being written by their owner; their descriptions are checked once that
# work lands, so they are left out here for now.
NOT_YET_CHECKED_CLASSES = {"container", "k8s"}


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


def test_descriptions_are_not_sysdigs(ctx):
    ours = parse(ctx.inspect("-l").stdout.decode())
    theirs = parse(ctx.sysdig("-l").stdout.decode())
    compared, copies = 0, []
    for cls, (_, fields) in ours.items():
        if cls in NOT_YET_CHECKED_CLASSES or cls not in theirs:
            continue
        for name, desc in fields.items():
            if name in theirs[cls][1]:
                compared += 1
                r = ratio(desc, theirs[cls][1][name])
                if r > LIMIT:
                    copies.append("%s %.2f: %r ~ %r" % (name, r, desc, theirs[cls][1][name]))
    # the comparison must have looked at the shared fields, not at nothing
    assert compared > 150, compared
    assert not copies, "%d descriptions close to sysdig's:\n%s" % (len(copies), "\n".join(copies))


def test_class_descriptions_are_not_sysdigs(ctx):
    ours = parse(ctx.inspect("-l").stdout.decode())
    theirs = parse(ctx.sysdig("-l").stdout.decode())
    copies = ["%s %.2f" % (cls, ratio(d, theirs[cls][0])) for cls, (d, _) in ours.items()
              if cls in theirs and cls not in NOT_YET_CHECKED_CLASSES and ratio(d, theirs[cls][0]) > LIMIT]
    assert not copies, copies
