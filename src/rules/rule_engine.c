/* Rule selection, the event-type index and first-match dispatch (see
 * rule_engine.h). */
#include "rules/rule_engine.h"

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

void hr_rule_engine_init(struct hr_rule_engine *en, struct hr_ruleset *rs, const struct hr_rule_selection *sel)
{
	memset(en, 0, sizeof *en);
	en->rs = rs;
	uint32_t n = hr_ruleset_count(rs);
	en->enabled = calloc(n + 1, sizeof *en->enabled);
	if (!en->enabled)
		abort();
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
}

void hr_rule_engine_free(struct hr_rule_engine *en)
{
	for (unsigned t = 0; t < HR_EVENT_MAX; t++)
		free(en->by_type[t]);
	for (uint32_t i = 0; i < hr_ruleset_count(en->rs); i++)
		if (en->enabled[i])
			hr_filter_share_fields(hr_ruleset_rule(en->rs, i)->filter, NULL);
	hr_field_cache_free(en->fields);
	free(en->enabled);
	memset(en, 0, sizeof *en);
}

int32_t hr_rule_engine_match(struct hr_rule_engine *en, struct hr_field_ctx *ctx, const struct hr_event *e,
			     uint32_t from, uint32_t *next)
{
	if (e->type >= HR_EVENT_MAX)
		return -1;
	if (from == 0)
		hr_field_cache_next_event(en->fields);
	const uint32_t *rules = en->by_type[e->type];
	for (uint32_t i = from; i < en->nby_type[e->type]; i++) {
		if (hr_filter_match(hr_ruleset_rule(en->rs, rules[i])->filter, ctx, e)) {
			*next = i + 1;
			return (int32_t)rules[i];
		}
	}
	return -1;
}
