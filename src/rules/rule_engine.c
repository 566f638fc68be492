/* Rule selection, the event-type index and first-match dispatch (see
 * rule_engine.h). */
#include "rules/rule_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool has_tag(const struct hr_rule *r, const char *tag)
{
	for (uint32_t i = 0; i < r->ntags; i++)
		if (!strcmp(r->tags[i], tag))
			return true;
	return false;
}

/* `pattern` with `*` matching any text (possibly empty). */
static bool wildcard_match(const char *pattern, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*pattern == '*') {
			star = pattern++;
			resume = s;
		} else if (*pattern == *s) {
			pattern++;
			s++;
		} else if (star) {
			pattern = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pattern == '*')
		pattern++;
	return !*pattern;
}

static bool toggled(const struct hr_rule *r, const struct hr_rule_selection *sel, bool enabled)
{
	for (unsigned i = 0; i < sel->ntoggles; i++) {
		const struct hr_rule_toggle *t = &sel->toggles[i];
		if (t->by_tag ? has_tag(r, t->pattern) : wildcard_match(t->pattern, r->name))
			enabled = t->enable;
	}
	return enabled;
}

static bool selected(const struct hr_rule *r, const struct hr_rule_selection *sel)
{
	if (r->priority > sel->min_priority)
		return false;
	if (!toggled(r, sel, r->enabled))
		return false;
	for (unsigned i = 0; i < sel->ndisable_substr; i++)
		if (strstr(r->name, sel->disable_substr[i]))
			return false;
	for (unsigned i = 0; i < sel->ndisable_tags; i++)
		if (has_tag(r, sel->disable_tags[i]))
			return false;
	if (!sel->nenable_tags)
		return true;
	for (unsigned i = 0; i < sel->nenable_tags; i++)
		if (has_tag(r, sel->enable_tags[i]))
			return true;
	return false;
}

/* Generic syscall events (types 0 and 1) are named after the syscall
 * code they carry. */
static bool is_generic(uint16_t type)
{
	return type <= 1;
}

static void *zalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static void set_bit(uint64_t *bits, uint32_t i)
{
	bits[i >> 6] |= 1ull << (i & 63);
}

/* The dispatch of `rules`: their bitmaps and the distinct groups their
 * guards read. */
static void build_dispatch(struct hr_rule_engine *en, struct hr_rule_dispatch *d, const uint32_t *rules,
			   uint32_t n)
{
	d->members = zalloc(en->nwords, sizeof *d->members);
	d->unguarded = zalloc(n, sizeof *d->unguarded);
	uint32_t ngroups_all = hr_field_cache_checks(en->fields);
	bool *seen = zalloc(ngroups_all, sizeof *seen); /* per group (there are no more groups than checks) */
	d->groups = zalloc(ngroups_all, sizeof *d->groups);
	for (uint32_t i = 0; i < n; i++) {
		set_bit(d->members, rules[i]);
		const uint32_t *checks;
		uint32_t nchecks = hr_filter_guard_checks(hr_ruleset_rule(en->rs, rules[i])->filter, &checks);
		if (!nchecks)
			d->unguarded[d->nunguarded++] = rules[i];
		for (uint32_t k = 0; k < nchecks; k++) {
			uint32_t g = hr_field_cache_check_group(en->fields, checks[k]);
			if (!seen[g]) {
				seen[g] = true;
				d->groups[d->ngroups++] = g;
			}
		}
	}
	free(seen);
	d->ready = true;
}

static void free_dispatch(struct hr_rule_dispatch *d)
{
	free(d->members);
	free(d->unguarded);
	free(d->groups);
}

/* guard_first/guard_rules: the rules each grouped check guards. */
static void index_guards(struct hr_rule_engine *en, uint32_t nrules)
{
	uint32_t nchecks = hr_field_cache_checks(en->fields);
	en->guard_first = zalloc(nchecks + 2, sizeof *en->guard_first);
	for (int pass = 0; pass < 2; pass++) {
		uint32_t total = 0;
		for (uint32_t i = 0; i < nrules; i++) {
			if (!en->enabled[i])
				continue;
			const uint32_t *checks;
			uint32_t n = hr_filter_guard_checks(hr_ruleset_rule(en->rs, i)->filter, &checks);
			for (uint32_t k = 0; k < n; k++) {
				/* pass 0 counts into guard_first[check + 2]; pass 1 fills
				 * through guard_first[check + 1] as a cursor */
				if (pass == 0)
					en->guard_first[checks[k] + 2]++;
				else
					en->guard_rules[en->guard_first[checks[k] + 1]++] = i;
				total++;
			}
		}
		if (pass == 0) {
			for (uint32_t c = 2; c < nchecks + 2; c++)
				en->guard_first[c] += en->guard_first[c - 1];
			en->guard_rules = zalloc(total, sizeof *en->guard_rules);
		}
	}
}

void hr_rule_engine_init(struct hr_rule_engine *en, struct hr_ruleset *rs, const struct hr_rule_selection *sel)
{
	memset(en, 0, sizeof *en);
	en->rs = rs;
	uint32_t n = hr_ruleset_count(rs);
	en->enabled = zalloc(n + 1, sizeof *en->enabled);
	en->fields = hr_field_cache_new();
	for (uint32_t i = 0; i < n; i++) {
		en->enabled[i] = selected(hr_ruleset_rule(rs, i), sel);
		if (en->enabled[i])
			hr_filter_share_fields(hr_ruleset_rule(rs, i)->filter, en->fields);
	}
	for (uint32_t i = 0; i < n; i++)
		if (en->enabled[i])
			hr_filter_choose_guard(hr_ruleset_rule(rs, i)->filter);
	for (unsigned t = 0; t < HR_EVENT_MAX; t++) {
		for (uint32_t i = 0; i < n; i++) {
			if (!en->enabled[i] || !hr_filter_may_match_type(hr_ruleset_rule(rs, i)->filter, (uint16_t)t))
				continue;
			if ((en->nby_type[t] & (en->nby_type[t] - 1)) == 0) {
				uint32_t *a = realloc(en->by_type[t], (en->nby_type[t] ? en->nby_type[t] * 2 : 1) * sizeof *a);
				if (!a)
					abort();
				en->by_type[t] = a;
			}
			en->by_type[t][en->nby_type[t]++] = i;
		}
	}
	en->nwords = (n + 63) / 64;
	en->candidates = zalloc(n, sizeof *en->candidates);
	en->chosen_on = zalloc(n, sizeof *en->chosen_on);
	index_guards(en, n);
	for (unsigned t = 0; t < HR_EVENT_MAX; t++)
		if (en->nby_type[t] && !is_generic((uint16_t)t))
			build_dispatch(en, &en->types[t], en->by_type[t], en->nby_type[t]);
}

void hr_rule_engine_free(struct hr_rule_engine *en)
{
	for (unsigned t = 0; t < HR_EVENT_MAX; t++) {
		free(en->by_type[t]);
		free_dispatch(&en->types[t]);
	}
	for (unsigned t = 0; t < 2; t++)
		for (unsigned c = 0; c <= HR_SYSCALL_MAX; c++)
			free_dispatch(&en->generic[t][c]);
	for (uint32_t i = 0; i < hr_ruleset_count(en->rs); i++)
		if (en->enabled[i])
			hr_filter_share_fields(hr_ruleset_rule(en->rs, i)->filter, NULL);
	hr_field_cache_free(en->fields);
	free(en->enabled);
	free(en->guard_first);
	free(en->guard_rules);
	free(en->candidates);
	free(en->chosen_on);
	memset(en, 0, sizeof *en);
}

/* A generic event's evt.type (its syscall's name) in `name`. */
static void generic_name(struct hr_field_ctx *ctx, const struct hr_event *e, char *name, size_t size)
{
	struct hr_field type;
	char err[128];
	struct hr_value v;
	name[0] = 0;
	if (hr_field_parse(&type, "evt.type", false, err, sizeof err) > 0 && hr_field_extract(&type, ctx, e, &v))
		snprintf(name, size, "%.*s", (int)strnlen(v.str, v.len), v.str);
	hr_field_free(&type);
}

/* A generic event's dispatch: the rules of its type that its syscall's
 * name (a function of its code) leaves possible. */
static const struct hr_rule_dispatch *generic_dispatch(struct hr_rule_engine *en, struct hr_field_ctx *ctx,
						       const struct hr_event *e)
{
	uint16_t code;
	if (!hr_param_u16(e, 0, &code) || code >= HR_SYSCALL_MAX)
		code = HR_SYSCALL_MAX;
	struct hr_rule_dispatch *d = &en->generic[e->type][code];
	if (d->ready)
		return d;
	char name[64];
	generic_name(ctx, e, name, sizeof name);
	uint32_t *rules = zalloc(en->nby_type[e->type], sizeof *rules), n = 0;
	for (uint32_t i = 0; i < en->nby_type[e->type]; i++)
		if (hr_filter_may_match_syscall(hr_ruleset_rule(en->rs, en->by_type[e->type][i])->filter, name))
			rules[n++] = en->by_type[e->type][i];
	build_dispatch(en, d, rules, n);
	free(rules);
	return d;
}

bool hr_rule_engine_wants_syscall(const struct hr_rule_engine *en, const char *name)
{
	for (unsigned type = 0; type < 2; type++)
		for (uint32_t i = 0; i < en->nby_type[type]; i++)
			if (hr_filter_may_match_syscall(hr_ruleset_rule(en->rs, en->by_type[type][i])->filter, name))
				return true;
	return false;
}

static bool is_member(const struct hr_rule_dispatch *d, uint32_t rule)
{
	return d->members[rule >> 6] >> (rule & 63) & 1;
}

static int by_index(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The current event's candidates: the unguarded members, and the members
 * one of whose guard checks holds; sorted into load order (usually a
 * handful: by insertion). */
static void choose_candidates(struct hr_rule_engine *en, const struct hr_rule_dispatch *d, struct hr_field_ctx *ctx,
			      const struct hr_event *e)
{
	en->event++;
	uint32_t n = 0;
	for (uint32_t i = 0; i < d->nunguarded; i++) {
		en->chosen_on[d->unguarded[i]] = en->event;
		en->candidates[n++] = d->unguarded[i];
	}
	for (uint32_t g = 0; g < d->ngroups; g++) {
		const uint32_t *held;
		uint32_t nheld = hr_field_cache_group_holding(en->fields, d->groups[g], ctx, e, &held);
		for (uint32_t h = 0; h < nheld; h++) {
			for (uint32_t r = en->guard_first[held[h]]; r < en->guard_first[held[h] + 1]; r++) {
				uint32_t rule = en->guard_rules[r];
				if (en->chosen_on[rule] == en->event || !is_member(d, rule))
					continue;
				en->chosen_on[rule] = en->event;
				en->candidates[n++] = rule;
			}
		}
	}
	if (n > 16) {
		qsort(en->candidates, n, sizeof *en->candidates, by_index);
	} else {
		for (uint32_t i = d->nunguarded; i < n; i++) {
			uint32_t rule = en->candidates[i], at = i;
			for (; at > 0 && en->candidates[at - 1] > rule; at--)
				en->candidates[at] = en->candidates[at - 1];
			en->candidates[at] = rule;
		}
	}
	en->ncandidates = n;
}

int32_t hr_rule_engine_match(struct hr_rule_engine *en, struct hr_field_ctx *ctx, const struct hr_event *e,
			     uint32_t from, uint32_t *next)
{
	if (e->type >= HR_EVENT_MAX || !en->nby_type[e->type])
		return -1;
	if (from == 0) {
		hr_field_cache_next_event(en->fields);
		choose_candidates(en, is_generic(e->type) ? generic_dispatch(en, ctx, e) : &en->types[e->type], ctx, e);
	}
	for (uint32_t i = from; i < en->ncandidates; i++) {
		uint32_t rule = en->candidates[i];
		if (hr_filter_match(hr_ruleset_rule(en->rs, rule)->filter, ctx, e)) {
			*next = i + 1;
			return (int32_t)rule;
		}
	}
	return -1;
}
