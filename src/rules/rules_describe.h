/*
 * Falco's rule description as JSON (falco_engine::describe_rule, printed
 * by -L / -l RULE with json_output): the loaded lists, macros and rules,
 * each with "info" (the item as written) and "details" (what its
 * compiled condition and output use).
 */
#ifndef HR_RULES_DESCRIBE_H
#define HR_RULES_DESCRIBE_H

#include <stdbool.h>

#include "format/strbuf.h"
#include "rules/rules_loader.h"

/* Appends the description of every loaded item (`rule_name` NULL) or of
 * that one rule (then only "rules"), as one compact JSON object with keys
 * in nlohmann's (sorted) order. False when `rule_name` is not loaded. */
bool hr_rules_describe_json(struct hr_ruleset *rs, const char *rule_name, struct hr_strbuf *out);

/* Whether syscall `name` (a PPM_SC name) is reported by the generic
 * events, as the libs' event-to-syscall map says. */
bool hr_is_generic_syscall(const char *name);

#endif
