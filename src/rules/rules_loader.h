/*
 * Falco rules files loaded into a rule set: lists, macros and rules read
 * in order across files (later definitions replace, `append`/`override`
 * extend), then compiled (lists substituted, macros expanded, exceptions
 * added, conditions compiled by the filter engine). Each load produces
 * Falco's load result for that file.
 */
#ifndef HR_RULES_LOADER_H
#define HR_RULES_LOADER_H

#include <stdbool.h>
#include <stdint.h>

#include "filter/filter.h"
#include "rules/load_results.h"

/* The Falco rules engine version Harrier declares (for
 * required_engine_version): that of the Falco it follows. */
#define HR_ENGINE_VERSION_MAJOR 0
#define HR_ENGINE_VERSION_MINOR 63
#define HR_ENGINE_VERSION_PATCH 0

/* Falco's priorities, most severe first. */
enum hr_priority {
	HR_PRIO_EMERGENCY,
	HR_PRIO_ALERT,
	HR_PRIO_CRITICAL,
	HR_PRIO_ERROR,
	HR_PRIO_WARNING,
	HR_PRIO_NOTICE,
	HR_PRIO_INFORMATIONAL,
	HR_PRIO_DEBUG,
};

/* Any spelling Falco accepts (case-insensitive names, "info"). */
bool hr_priority_parse(const char *s, enum hr_priority *out);
/* "Warning", "Informational"... (`short_info`: "Info"). */
const char *hr_priority_name(enum hr_priority p, bool short_info);

/* A compiled rule. Strings live as long as the rule set. */
struct hr_rule {
	const char *name, *desc, *output, *source;
	const char *condition; /* the text given to the filter engine */
	enum hr_priority priority;
	const char **tags;     /* sorted, unique */
	uint32_t ntags;
	bool enabled;
	struct hr_filter *filter;
};

struct hr_ruleset;

struct hr_ruleset *hr_ruleset_new(void);
void hr_ruleset_free(struct hr_ruleset *rs);

/* Loads one rules file's text (named `name` in results) on top of what
 * was loaded before, and recompiles the whole set. `res` is initialised
 * here; the caller frees it. False when the result has errors. */
bool hr_ruleset_load(struct hr_ruleset *rs, const char *name, const char *content, struct hr_load_result *res);

/* The compiled rules, in load order (valid until the next load). */
uint32_t hr_ruleset_count(const struct hr_ruleset *rs);
struct hr_rule *hr_ruleset_rule(struct hr_ruleset *rs, uint32_t i);

#endif
