/*
 * Unit tests of field lookup (src/fields/fields.c), output formats
 * (src/format/line_format.c) and JSON escaping (src/format/json_output.c):
 * the parts whose rules sysdig's output on the corpus cannot pin down
 * (prefix matching, argument syntax, error texts, escapes, widths,
 * non-ASCII JSON, time zones).
 */
#include <stdio.h>
#include <string.h>

#include "fields/fields.h"
#include "format/json_output.h"
#include "format/line_format.h"

static unsigned n_passed, n_failed;

static void check(bool ok, const char *what, const char *got, const char *want)
{
	if (ok) {
		n_passed++;
		return;
	}
	n_failed++;
	printf("FAIL fields: %s: got [%s] want [%s]\n", what, got ? got : "(null)", want ? want : "(null)");
}

static void check_str(const char *what, const char *got, const char *want)
{
	check(strcmp(got, want) == 0, what, got, want);
}

/* Parses `text`; checks the field found, the characters used and the argument. */
static void parse_ok(const char *text, const char *def_name, int used, int arg_index, const char *arg_name)
{
	struct hr_field f;
	char err[256] = "";
	int n = hr_field_parse(&f, text, true, err, sizeof err);
	char what[300];
	snprintf(what, sizeof what, "parse %s", text);
	check(n == used, what, err[0] ? err : "wrong length", def_name);
	if (n < 0)
		return;
	check_str(what, f.def->name, def_name);
	check(f.arg_index == arg_index, what, "arg index", "");
	check_str(what, f.arg_name, arg_name);
	hr_field_free(&f);
}

static void parse_fails(const char *text, const char *message)
{
	struct hr_field f;
	char err[256] = "";
	int n = hr_field_parse(&f, text, true, err, sizeof err);
	char what[300];
	snprintf(what, sizeof what, "parse error for %s", text);
	check(n < 0 && strcmp(err, message) == 0, what, err, message);
}

static void test_parse(void)
{
	parse_ok("evt.num", "evt.num", 7, -1, "");
	parse_ok("evt.time rest", "evt.time", 8, -1, "");         /* the first class that matches wins */
	parse_ok("evt.time.s)", "evt.time.s", 10, -1, "");        /* longest name in the class */
	parse_ok("evt.typeX", "evt.type", 8, -1, "");             /* a prefix: the rest is literal text */
	parse_ok("evt.args", "evt.args", 8, -1, "");
	parse_ok("evt.arg.fd)", "evt.arg", 10, -1, "fd");         /* longest parameter name */
	parse_ok("evt.arg.flags x", "evt.arg", 13, -1, "flags");
	parse_ok("evt.arg[2]", "evt.arg", 10, 2, "");
	parse_ok("evt.rawarg.res", "evt.rawarg", 14, -1, "res");
	parse_ok("proc.aname[3]", "proc.aname", 13, 3, "");
	parse_ok("proc.apid", "proc.apid", 9, -1, "");            /* filters may omit the index */
	parse_ok("thread.cgroup.cpu_acct2", "thread.cgroup", 22, -1, "cpu_acct");
	parse_ok("thread.cgroups", "thread.cgroups", 14, -1, "");
	parse_ok("fd.name:", "fd.name", 7, -1, "");
	parse_ok("container.id", "container.id", 12, -1, "");
	parse_ok("evt.type.is.open x", "evt.type.is", 16, 2, "open");
	parse_ok("evt.type.is.3", "evt.type.is", 13, 3, "");
	parse_fails("evt.rawarg[1]", "evt.arg fields must be expressed explicitly");
	parse_fails("evt.type.is.nosuchevent", "unknown event type in evt.type.is.nosuchevent");
	/* sysdig fields Harrier does not compute yet are refused, not misread
	 * as a shorter field followed by text */
	parse_fails("container.cni.json", "field container.cni.json is not supported by harrier yet");
	parse_fails("container.cni.json", "field container.cni.json is not supported by harrier yet");
	parse_fails("foo.bar", "invalid formatting token foo.bar");
	parse_fails("fd.net", "fd.net is filter only and cannot be used as a display field");
	parse_fails("evt.arg.zzznosuch", "unknown event argument zzznosuch");
	parse_fails("evt.arg x", "filter syntax error: evt.arg x");
	parse_fails("evt.arg[4", "filter syntax error: evt.arg[4");
	parse_fails("thread.cgroup", "filter syntax error: thread.cgroup");
}

static void json_case(const char *in, const char *want)
{
	struct hr_strbuf b = {0};
	hr_json_append_string(&b, in);
	check_str("json string", hr_sb_str(&b), want);
	hr_sb_free(&b);
}

static void test_json(void)
{
	json_case("plain /path", "\"plain /path\"");
	json_case("q\"b\\s", "\"q\\\"b\\\\s\"");
	json_case("\b\f\n\r\t\x01\x1f", "\"\\b\\f\\n\\r\\t\\u0001\\u001f\"");
	json_case("caf\xc3\xa9", "\"caf\\u00e9\"");                 /* 2-byte UTF-8 */
	json_case("\xe2\x82\xac", "\"\\u20ac\"");                   /* 3-byte */
	json_case("\xf0\x9f\x98\x80", "\"\\ud83d\\ude00\"");        /* 4-byte: surrogate pair */
	json_case("\xc0\x80x", "\"\\ufffdx\"");                     /* overlong */
	json_case("\xed\xa0\x80", "\"\\ufffd\"");                   /* encoded surrogate */
	json_case("a\xe2", "\"a\\ufffd\"");                         /* truncated */
	json_case("\xff", "\"\\ufffd\"");
}

/* A tiny event with no parameters and no state, for formats that only use
 * header fields. */
static void render(const char *format, bool json, bool want_shown, const char *want, int32_t utc_offset)
{
	char err[256] = "";
	struct hr_line_format *fmt = hr_line_format_new(format, err, sizeof err);
	char what[400];
	snprintf(what, sizeof what, "format %s", format);
	check(fmt != NULL, what, err, want);
	if (!fmt)
		return;
	struct hr_field_ctx ctx;
	hr_field_ctx_init(&ctx, NULL);
	ctx.utc_offset = utc_offset;
	ctx.first_event_ts = 1000000000ull * 86400 * 365 - 5;
	struct hr_event e;
	memset(&e, 0, sizeof e);
	e.ts = 1000000000ull * 86400 * 365 + 3723000000123ull; /* 1971-01-01 01:02:03.000000123 UTC */
	e.tid = 42;
	e.type = 3; /* open exit */
	e.cpu = 1;
	e.num = 7;
	e.fd_num = -1;
	struct hr_strbuf out = {0};
	bool shown = json ? hr_line_format_render_json(fmt, &ctx, &e, &out) : hr_line_format_render(fmt, &ctx, &e, &out);
	check(shown == want_shown, what, shown ? "shown" : "hidden", want_shown ? "shown" : "hidden");
	if (shown && want_shown)
		check_str(what, hr_sb_str(&out), want);
	hr_sb_free(&out);
	hr_line_format_free(fmt);
}

static void format_fails(const char *format, const char *message)
{
	char err[256] = "";
	struct hr_line_format *fmt = hr_line_format_new(format, err, sizeof err);
	check(fmt == NULL && strcmp(err, message) == 0, format, err, message);
	hr_line_format_free(fmt);
}

static void test_formats(void)
{
	render("*%evt.num %evt.time %evt.cpu %evt.dir %evt.type (%thread.tid)", false, true,
	       "7 01:02:03.000000123 1 < open (42)", 0);
	render("*%evt.datetime|%evt.time.s|%evt.datetime.s", false, true,
	       "1971-01-01 01:02:03.000000123|01:02:03|1971-01-01 01:02:03", 0);
	/* local zone: two hours west of UTC moves the date back */
	render("*%evt.datetime", false, true, "1970-12-31 23:02:03.000000123", -7200);
	render("*%evt.time.iso8601", false, true, "1971-01-01T01:02:03.000000123+0000", -7200);
	render("*%evt.rawtime.s %evt.rawtime.ns %evt.reltime %evt.reltime.s %evt.reltime.ns", false, true,
	       "31539723 000000123 3723000000128 3723 000000128", 0);
	render("*[%5evt.type][%2evt.num][%1evt.dir]", false, true, "[open ][7 ][<]", 0);
	render("*[%2evt.type]", false, true, "[op]", 0);
	render("*a\\tb\\nc\\\\d\\qe\\e", false, true, "a\tb\nc\\d\\qe\033", 0);
	render("*%proc.name %fd.name", false, true, "<NA> <NA>", 0);
	render("%evt.num %proc.name", false, false, "", 0);        /* no `*`: missing field hides it */
	render("literal only", false, true, "literal only", 0);
	render("*%evt.type %evt.num %evt.time %proc.name %evt.type", true, true,
	       "{\"evt.num\":7,\"evt.time\":31539723000000123,\"evt.type\":\"open\",\"proc.name\":null}", 0);
	render("%evt.num %proc.name", true, false, "", 0);
	render("*%evt.cpu %evt.rawtime.ns %evt.reltime %evt.failed", true, true,
	       "{\"evt.cpu\":1,\"evt.failed\":false,\"evt.rawtime.ns\":123,\"evt.reltime\":3723000000128}", 0);
	format_fails("", "empty formatting token");
	format_fails("%evt.num %", "invalid formatting syntax: formatting cannot end with a %");
	format_fails("%evt.num %42", "invalid formatting syntax: formatting cannot end with a number");
	format_fails("*%nosuch.field", "invalid formatting token nosuch.field");
	format_fails("*%99999999999999999999evt.num", "invalid formatting syntax: field width above 65536");
}

void unit_fields(unsigned *passed, unsigned *failed)
{
	test_parse();
	test_json();
	test_formats();
	*passed += n_passed;
	*failed += n_failed;
}
