/*
 * Unit tests of the filter language (src/filter): evaluation of every
 * operator and transformer on an event whose fields need no state
 * (evt.num, evt.type, evt.dir), the all-or-nothing compile, error
 * positions, the event types a filter can match, and filters sharing a
 * field cache (grouped constants, guards) answering exactly as alone.
 */
#include <stdio.h>
#include <string.h>

#include "filter/filter.h"

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

void unit_filter(unsigned *passed, unsigned *failed)
{
	test_operators();
	test_errors();
	test_event_types();
	test_shared_cache();
	*passed += n_passed;
	*failed += n_failed;
}
