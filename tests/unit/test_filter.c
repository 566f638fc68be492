/*
 * Unit tests of the filter language (src/filter): evaluation of every
 * operator and transformer on an event whose fields need no state
 * (evt.num, evt.type, evt.dir), the all-or-nothing compile, error
 * positions, the event types a filter can match, and filters sharing a
 * field cache (grouped constants, guards) answering exactly as alone.
 */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "filter/filter.h"
#include "filter/filter_internal.h"

#define UNIT_SUITE "filter"
#include "unit_check.h"

static uint16_t event_id(const char *name, bool enter)
{
	for (unsigned id = 0; id < HR_EVENT_MAX; id++)
		if (!strcmp(hr_event_table[id].name, name) && hr_event_table[id].is_enter == enter)
			return (uint16_t)id;
	return 0;
}

/* Compiles `text`, runs it on `e`, checks the result. */
static void match(const struct hr_event *e, const char *text, bool want)
{
	struct hr_filter_error err;
	struct hr_filter *f = hr_filter_compile(text, &err);
	if (!f) {
		check(false, text, err.msg);
		return;
	}
	struct hr_field_ctx ctx;
	hr_field_ctx_init(&ctx, NULL);
	bool got = hr_filter_match(f, &ctx, e);
	/* a second run gives the same answer (per-event caches are reset) */
	bool again = hr_filter_match(f, &ctx, e);
	char what[300];
	snprintf(what, sizeof what, "%s is %s", text, want ? "true" : "false");
	check(got == want && again == want, what, NULL);
	hr_filter_free(f);
}

static void refuse(const char *text, size_t pos, const char *words)
{
	struct hr_filter_error err;
	struct hr_filter *f = hr_filter_compile(text, &err);
	char what[300];
	snprintf(what, sizeof what, "refuse %s at %zu with '%s'", text, pos, words);
	check(!f && err.pos == pos && strstr(err.msg, words), what, f ? "accepted" : err.msg);
	hr_filter_free(f);
}

static void test_operators(void)
{
	struct hr_event e;
	memset(&e, 0, sizeof e);
	e.type = event_id("open", true);
	e.num = 42;
	match(&e, "evt.num = 42", true);
	match(&e, "evt.num == 42", true);
	match(&e, "evt.num != 42", false);
	match(&e, "evt.num < 43 and evt.num <= 42 and evt.num > 41 and evt.num >= 42", true);
	match(&e, "evt.num in (1, 2, 42)", true);
	match(&e, "evt.num intersects (7)", false);
	match(&e, "evt.num = 0x2a", true);
	match(&e, "evt.num exists", true);
	match(&e, "evt.type = open", true);
	match(&e, "evt.type contains pe", true);
	match(&e, "evt.type icontains PE", true);
	match(&e, "evt.type startswith op and evt.type endswith en", true);
	match(&e, "evt.type glob 'o*n'", true);
	match(&e, "evt.type glob 'O*'", false);
	match(&e, "evt.type iglob 'O*'", true);
	match(&e, "evt.type regex 'o.e'", false); /* the whole value must match */
	match(&e, "evt.type regex 'o.en'", true);
	match(&e, "evt.type pmatch (open)", true);
	match(&e, "evt.type pmatch (ope)", false);
	match(&e, "evt.type in (read, 'open', \"close\")", true);
	match(&e, "evt.type > close and evt.type < read", true);
	match(&e, "evt.dir = '>'", true);
	match(&e, "evt.type = \"\\x6fpen\"", true);
	match(&e, "toupper(evt.type) = OPEN", true);
	match(&e, "tolower(toupper(evt.type)) = open", true);
	match(&e, "len(evt.type) = 4", true);
	match(&e, "len(evt.type) in (3, 5)", false);
	match(&e, "basename(evt.type) = open", true);
	match(&e, "evt.type = val(evt.type)", true);
	match(&e, "len(evt.type) < val(evt.num)", true);
	match(&e, "toupper(evt.type) != val(evt.type)", true);
	/* logic */
	match(&e, "not evt.num = 42", false);
	match(&e, "not not evt.num = 42", true);
	match(&e, "not(evt.num = 1)", true);
	match(&e, "evt.num = 1 or evt.num = 42 and evt.type = open", true);
	match(&e, "(evt.num = 1 or evt.num = 42) and evt.type = read", false);
	match(&e, "evt.num = 1 or evt.num = 2 or not (evt.type = read and evt.num = 42)", true);
	/* base64 */
	e.type = event_id("read", true);
	match(&e, "b64(evt.type) = \"\\xad\\xe6\\x9d\"", true); /* "read" read as base64 */
	match(&e, "len(b64(evt.type)) = 3", true);
}

static void test_errors(void)
{
	refuse("evt.num = x", 10, "not a valid number");
	refuse("evt.type = open and (evt.num = 1", 32, "missing ')'");
	refuse("evt.type = 'open", 11, "unterminated string");
	refuse("evt.typo = open", 0, "unknown field");
	refuse("evt.num contains 4", 8, "not valid for a unsigned number field");
	refuse("evt.type in (a, b) and evt.num = 1 and fd.sip = 1.2.3", 48, "bad address");
	refuse("evt.type regex '['", 9, "invalid regex");
	refuse("   ", 3, "empty");
}

static void types(const char *text, const char *name, bool enter, bool want)
{
	struct hr_filter_error err;
	struct hr_filter *f = hr_filter_compile(text, &err);
	char what[300];
	snprintf(what, sizeof what, "%s %s match %s%s", text, want ? "may" : "never", name, enter ? ">" : "<");
	check(f && hr_filter_may_match_type(f, event_id(name, enter)) == want, what, f ? NULL : err.msg);
	hr_filter_free(f);
}

static void test_event_types(void)
{
	types("evt.type = open", "open", true, true);
	types("evt.type = open", "open", false, true);
	types("evt.type = open", "read", true, false);
	types("not evt.type = open", "open", true, false);
	types("not evt.type = open", "read", true, true);
	types("evt.type != open", "open", false, false);
	types("not evt.type != open", "read", false, false);
	types("evt.type in (open, read) and evt.num > 3", "read", true, true);
	types("evt.type in (open, read) and evt.num > 3", "close", true, false);
	types("evt.type = open or evt.num > 3", "close", true, true);
	types("evt.type = open or evt.type = close", "close", true, true);
	types("evt.type = open or evt.type = close", "read", true, false);
	types("not (evt.type = open or evt.num = 3)", "open", true, false);
	types("not (evt.type = open and evt.num = 3)", "open", true, true);
	types("evt.type startswith open", "openat", true, true);
	types("evt.type startswith open", "close", true, false);
	types("evt.num > 3", "close", true, true);
}

/* Conditions whose checks fall in every kind of constant group (text,
 * prefix, suffix, substring, numbers), with guards from and/or, checks no
 * group answers (transformers, ranges, negations), and constants shared
 * by several filters. */
static const char *const shared_conditions[] = {
	"evt.type = open and evt.num = 42",
	"evt.type in (open, read) and evt.num in (1, 42, 7)",
	"evt.type startswith op and not evt.num = 3",
	"evt.type endswith en or evt.num = 5",
	"evt.type contains ea and evt.num > 2",
	"(evt.num = 1 or evt.num = 2) and evt.type != close",
	"evt.type = read and (evt.type startswith re or evt.type contains x)",
	"evt.num in (3, 3) and evt.dir = '<'",
	"evt.type contains '' and evt.num = 9",
	"evt.type startswith '' and evt.num = 10",
	"evt.type endswith at and evt.num in (4, 42)",
	"toupper(evt.type) = OPEN and evt.num = 42",
	"evt.num = 42 and evt.type pmatch (open, /x)",
	"evt.num = 42",
	"evt.num = 43 or evt.type = close",
	"not evt.type in (open, openat) and evt.num = 6",
};

static void test_shared_cache(void)
{
	enum { N = sizeof shared_conditions / sizeof shared_conditions[0] };
	struct hr_filter *alone[N], *shared[N];
	struct hr_field_cache *cache = hr_field_cache_new();
	bool compiled = true;
	for (unsigned i = 0; i < N; i++) {
		struct hr_filter_error err;
		alone[i] = hr_filter_compile(shared_conditions[i], &err);
		shared[i] = hr_filter_compile(shared_conditions[i], &err);
		compiled &= alone[i] && shared[i];
		if (!alone[i] || !shared[i]) {
			check(false, shared_conditions[i], err.msg);
			hr_filter_free(alone[i]);
			hr_filter_free(shared[i]);
			alone[i] = shared[i] = NULL;
		}
	}
	for (unsigned i = 0; i < N; i++)
		if (shared[i])
			hr_filter_share_fields(shared[i], cache);
	for (unsigned i = 0; i < N; i++)
		if (shared[i])
			hr_filter_choose_guard(shared[i]);
	static const char *const names[] = {"open", "read", "close", "openat", "write"};
	struct hr_field_ctx ctx;
	hr_field_ctx_init(&ctx, NULL);
	unsigned differences = 0, matches = 0;
	char first[300] = "";
	for (unsigned t = 0; t < 5; t++)
		for (int enter = 0; enter < 2; enter++)
			for (uint64_t num = 1; num <= 44; num++) {
				struct hr_event e;
				memset(&e, 0, sizeof e);
				e.type = event_id(names[t], enter);
				e.num = num;
				hr_field_cache_next_event(cache);
				for (unsigned i = 0; i < N; i++) {
					if (!alone[i])
						continue;
					bool want = hr_filter_match(alone[i], &ctx, &e);
					bool got = hr_filter_match(shared[i], &ctx, &e);
					matches += want;
					if (want != got && !differences++)
						snprintf(first, sizeof first, "%s on %s%s num %llu: alone %d shared %d",
							 shared_conditions[i], names[t], enter ? ">" : "<",
							 (unsigned long long)num, want, got);
				}
			}
	check(compiled && differences == 0 && matches > 20, "filters sharing a cache answer as alone", first);
	for (unsigned i = 0; i < N; i++) {
		if (shared[i])
			hr_filter_share_fields(shared[i], NULL);
		hr_filter_free(alone[i]);
		hr_filter_free(shared[i]);
	}
	hr_field_cache_free(cache);
}

/* Runs getopt over `argv` (NULL-terminated) in list mode, or with
 * `selector`; `want` is the items joined by '|' (list mode), the selected
 * value, or NULL when the selected option must be absent. */
static void getopt_case(const char *const *argv, const char *optstring, char selector, const char *want)
{
	struct hr_strbuf base = {0};
	struct hr_expr_item items[16];
	uint32_t argc = 0;
	for (; argv[argc]; argc++) {
		items[argc] = (struct hr_expr_item){(uint32_t)base.len, (uint32_t)strlen(argv[argc])};
		hr_sb_puts(&base, argv[argc]);
		hr_sb_putc(&base, 0);
	}
	uint8_t valid[32], with_arg[32];
	hr_getopt_decode(optstring, (uint32_t)strlen(optstring), valid, with_arg);
	struct hr_expr_node out;
	memset(&out, 0, sizeof out);
	bool found = hr_getopt_run(hr_sb_str(&base), items, argc, valid, with_arg, selector != 0, selector, &out);
	struct hr_strbuf got = {0};
	if (!found)
		hr_sb_puts(&got, "(absent)");
	else if (selector)
		hr_sb_append(&got, out.value.str, out.value.len);
	for (uint32_t i = 0; found && !selector && i < out.nitems; i++) {
		if (i)
			hr_sb_putc(&got, '|');
		hr_sb_append(&got, hr_expr_item_str(&out, i), out.items[i].len);
	}
	char what[300];
	snprintf(what, sizeof what, "getopt '%s'%s%c: %s", optstring, selector ? " selecting " : "",
		 selector ? selector : ' ', want ? want : "(absent)");
	check(!strcmp(hr_sb_str(&got), want ? want : "(absent)"), what, hr_sb_str(&got));
	hr_sb_free(&got);
	hr_sb_free(&base);
	hr_sb_free(&out.buf);
	free(out.items);
}

#define ARGV(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_getopt(void)
{
	getopt_case(ARGV("-n", "--", "-t", "x"), "nt:", 0, "n");                 /* "--" ends the options */
	getopt_case(ARGV("--exec", "-n", "--long=x"), "en", 0, "n");            /* long options skipped */
	getopt_case(ARGV("-n", "file", "-t"), "nt", 0, "n");                      /* first operand stops */
	getopt_case(ARGV("-", "-n"), "n", 0, "");                                 /* "-" is an operand */
	getopt_case(ARGV("-nt", "v", "rest"), "nt:", 0, "n|t|v");                 /* cluster, next argv */
	getopt_case(ARGV("-tvalue"), "t:", 0, "t|value");                         /* attached argument */
	getopt_case(ARGV("-t", "value"), "t:", 0, "t|value");
	getopt_case(ARGV("-abcvalue"), "abc:", 0, "a|b|c|value");
	getopt_case(ARGV("-t"), "t:", 0, "");                                     /* missing argument */
	getopt_case(ARGV("-t"), ":t:", 0, "");                                    /* leading ':' too */
	getopt_case(ARGV("-t:"), ":t:", 0, "t|:");
	getopt_case(ARGV("-xn", "-:"), "n", 0, "?|n|?");                          /* unknown options, ':' */
	getopt_case(ARGV("-x", "-n"), "n", 'x', NULL);                            /* unknown: no '?' selected */
	getopt_case(ARGV("-t", "v1", "-n", "-t", "v2"), "nt:", 't', "v2");        /* last match wins */
	getopt_case(ARGV("-t", "v1", "-t"), "t:", 't', "");                       /* ...even a missing one */
	getopt_case(ARGV("-n", "-t", "v"), "nt:", 'n', "n");                      /* no argument: the option */
	getopt_case(ARGV("-n"), "nt:", 't', NULL);                                /* absent */
	getopt_case(ARGV("a", "-t", "v"), "t:", 't', NULL);                       /* after an operand */
	getopt_case(ARGV("-t?"), "t:", 't', "?");
}

/* join, concat and getopt through the compiler, on literals. */
static void test_multivalue(void)
{
	struct hr_event e;
	memset(&e, 0, sizeof e);
	e.type = event_id("open", true);
	e.num = 7;
	match(&e, "join(\"-\", (\"a\", \"b\")) = a-b", true);
	match(&e, "join(\",\", (evt.num, 'x', evt.type)) = \"7,x,open\"", true);
	match(&e, "join(\",\", ()) = \"\"", true);
	match(&e, "concat(evt.type, \":\", toupper(evt.type)) = open:OPEN", true);
	match(&e, "len(concat('ab', 'cd')) = 4", true);
	match(&e, "len(getopt(('-a', 'x', '-b'), 'a:b')) = 3", true);
	match(&e, "getopt(('-a', 'x'), 'a:') intersects (x)", true);
	match(&e, "getopt(('-a', 'x'), 'a:') in (a, x)", true);
	match(&e, "getopt(('-a', 'x'), 'a:') in (a)", false);
	match(&e, "getopt(('-a', 'x'), concat('a', ':'))[a] = x", true);          /* optstring from an expression */
	match(&e, "getopt(('-a', 'x'), 'a:')[b] exists", false);
	match(&e, "join('+', getopt(('-ab', 'c'), 'ab:')) = a+b+c", true);
	match(&e, "evt.type = concat('op', 'en')", true);
	match(&e, "toupper(getopt(('-q'), 'q')) intersects (Q)", true);
	refuse("join('-') = a", 0, "join() requires exactly 2 arguments");
	refuse("evt.num = 1 and concat(('a'), 'b') = ab", 16, "concat() arguments must be strings");
	refuse("getopt(('-a'), 'a')[ab] = a", 19, "single option character");
	refuse("getopt(('-a'), 'a') = a", 20, "not valid for a list field");
	refuse("evt.type = getopt(('-a'), 'a')", 11, "it is a list");
}

void unit_filter(unsigned *passed, unsigned *failed)
{
	test_getopt();
	test_multivalue();
	test_operators();
	test_errors();
	test_event_types();
	test_shared_cache();
	*passed += n_passed;
	*failed += n_failed;
}
