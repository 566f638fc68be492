/*
 * The rule set (see rules_loader.h): loading a file reads its items on
 * top of the definitions loaded so far, then recompiles everything, as
 * Falco's engine does for each rules file it is given.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/rules_internal.h"

static const char *const priority_names[] = {"Emergency", "Alert",  "Critical",      "Error",
					     "Warning",   "Notice", "Informational", "Debug"};

bool hr_priority_parse(const char *s, enum hr_priority *out)
{
	for (unsigned i = 0; i < 8; i++) {
		if (!strcasecmp(s, priority_names[i]) || (i == HR_PRIO_INFORMATIONAL && !strcasecmp(s, "info"))) {
			*out = (enum hr_priority)i;
			return true;
		}
	}
	return false;
}

const char *hr_priority_name(enum hr_priority p, bool short_info)
{
	if (p == HR_PRIO_INFORMATIONAL && short_info)
		return "Info";
	return (unsigned)p < 8 ? priority_names[p] : "Unknown";
}

struct hr_ruleset *hr_ruleset_new(void)
{
	struct hr_ruleset *rs = calloc(1, sizeof *rs);
	if (!rs)
		abort();
	return rs;
}

static void free_compiled(struct hr_ruleset *rs)
{
	for (uint32_t i = 0; i < rs->nrules; i++)
		hr_filter_free(rs->rules[i].filter);
	rs->nrules = 0;
}

void hr_ruleset_free(struct hr_ruleset *rs)
{
	if (!rs)
		return;
	free_compiled(rs);
	free(rs->rules);
	free(rs->lists);
	free(rs->macros);
	free(rs->rule_infos);
	hr_name_index_free(&rs->list_names);
	hr_name_index_free(&rs->macro_names);
	hr_name_index_free(&rs->rule_names);
	hr_arena_free(&rs->arena);
	free(rs);
}

static uint64_t hash_name(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

int64_t hr_name_index_find(const struct hr_name_index *ix, const char *name, size_t len)
{
	if (!ix->cap)
		return -1;
	for (uint64_t i = hash_name(name, len) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
		const struct hr_name_slot *sl = &ix->slots[i];
		if (!sl->name)
			return -1;
		if (sl->len == len && !memcmp(sl->name, name, len))
			return sl->idx;
	}
}

static void insert_slot(struct hr_name_index *ix, const char *name, uint32_t len, uint32_t idx)
{
	uint64_t i = hash_name(name, len) & (ix->cap - 1);
	while (ix->slots[i].name)
		i = (i + 1) & (ix->cap - 1);
	ix->slots[i] = (struct hr_name_slot){name, len, idx};
	ix->n++;
}

void hr_name_index_add(struct hr_name_index *ix, const char *name, uint32_t idx)
{
	if ((ix->n + 1) * 2 > ix->cap) { /* keep at most half full */
		struct hr_name_index bigger = {.cap = ix->cap ? ix->cap * 2 : 64};
		bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
		if (!bigger.slots)
			abort();
		for (uint32_t i = 0; i < ix->cap; i++)
			if (ix->slots[i].name)
				insert_slot(&bigger, ix->slots[i].name, ix->slots[i].len, ix->slots[i].idx);
		free(ix->slots);
		*ix = bigger;
	}
	insert_slot(ix, name, (uint32_t)strlen(name), idx);
}

void hr_name_index_free(struct hr_name_index *ix)
{
	free(ix->slots);
	memset(ix, 0, sizeof *ix);
}

struct hr_list_info *hr_rules_find_list(struct hr_ruleset *rs, const char *name)
{
	int64_t i = hr_name_index_find(&rs->list_names, name, strlen(name));
	return i < 0 ? NULL : &rs->lists[i];
}

struct hr_macro_info *hr_rules_find_macro(struct hr_ruleset *rs, const char *name)
{
	int64_t i = hr_name_index_find(&rs->macro_names, name, strlen(name));
	return i < 0 ? NULL : &rs->macros[i];
}

struct hr_rule_info *hr_rules_find_rule(struct hr_ruleset *rs, const char *name)
{
	int64_t i = hr_name_index_find(&rs->rule_names, name, strlen(name));
	return i < 0 ? NULL : &rs->rule_infos[i];
}

bool hr_ruleset_load(struct hr_ruleset *rs, const char *name, const char *content, struct hr_load_result *res)
{
	hr_load_result_init(res, name, content);
	struct hr_load_fail fail;
	if (!hr_rules_read(rs, name, content, res, &fail)) {
		hr_load_error(res, fail.code, fail.msg, &fail.ctx);
		return false;
	}
	free_compiled(rs);
	if (!hr_rules_compile(rs, res, &fail)) {
		hr_load_error(res, fail.code, fail.msg, &fail.ctx);
		return false;
	}
	return true;
}

uint32_t hr_ruleset_count(const struct hr_ruleset *rs) { return rs->nrules; }
struct hr_rule *hr_ruleset_rule(struct hr_ruleset *rs, uint32_t i) { return &rs->rules[i]; }
