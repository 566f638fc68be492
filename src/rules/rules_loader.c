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
	hr_arena_free(&rs->arena);
	free(rs);
}

struct hr_list_info *hr_rules_find_list(struct hr_ruleset *rs, const char *name)
{
	for (uint32_t i = 0; i < rs->nlists; i++)
		if (!strcmp(rs->lists[i].name, name))
			return &rs->lists[i];
	return NULL;
}

struct hr_macro_info *hr_rules_find_macro(struct hr_ruleset *rs, const char *name)
{
	for (uint32_t i = 0; i < rs->nmacros; i++)
		if (!strcmp(rs->macros[i].name, name))
			return &rs->macros[i];
	return NULL;
}

struct hr_rule_info *hr_rules_find_rule(struct hr_ruleset *rs, const char *name)
{
	for (uint32_t i = 0; i < rs->nrule_infos; i++)
		if (!strcmp(rs->rule_infos[i].name, name))
			return &rs->rule_infos[i];
	return NULL;
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
