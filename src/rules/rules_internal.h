/*
 * Internal to src/rules: the definitions collected from rules files
 * (Falco's "infos") that the reader fills and the compiler turns into
 * compiled rules. Every string lives in the rule set's arena.
 */
#ifndef HR_RULES_INTERNAL_H
#define HR_RULES_INTERNAL_H

#include "rules/arena.h"
#include "rules/rules_loader.h"
#include "rules/rules_yaml.h"

/* An exception's fields, comps or one values row: a string or a list. */
struct hr_ex_entry {
	bool defined, is_list;
	const char *item;
	struct hr_ex_entry *items;
	uint32_t nitems;
};

struct hr_exception {
	const char *name;
	struct hr_ex_entry fields, comps;
	struct hr_ex_entry *values;
	uint32_t nvalues;
	struct hr_load_ctx ctx;
};

struct hr_list_info {
	const char *name;
	const char **items;
	uint32_t nitems;
	uint32_t index, visibility;
	struct hr_load_ctx ctx;
	/* the compile output: the items with list references resolved, and
	 * whether a rule, macro or list refers to this list */
	const char **compiled_items;
	uint32_t ncompiled_items;
	bool used;
};

struct hr_macro_info {
	const char *name, *cond;
	uint32_t index, visibility;
	struct hr_load_ctx ctx, cond_ctx;
	/* the compile output: the condition with lists substituted and macros
	 * expanded, and whether a rule or used macro refers to it */
	const char *expanded;
	bool used;
};

struct hr_rule_info {
	const char *name, *desc, *output, *source, *cond;
	enum hr_priority priority;
	const char **tags;
	uint32_t ntags;
	struct hr_exception *exceptions;
	uint32_t nexceptions;
	bool enabled, warn_evttypes, skip_if_unknown_filter, unknown_source;
	uint32_t index, visibility;
	struct hr_load_ctx ctx, cond_ctx, output_ctx;
};

/* Names to positions in one of the definition arrays (open addressing). */
struct hr_name_slot {
	const char *name; /* NULL: empty */
	uint32_t len, idx;
};

struct hr_name_index {
	struct hr_name_slot *slots;
	uint32_t cap, n; /* cap: a power of two, or 0 */
};

/* The position of `name` (`len` bytes), or -1. */
int64_t hr_name_index_find(const struct hr_name_index *ix, const char *name, size_t len);
void hr_name_index_add(struct hr_name_index *ix, const char *name, uint32_t idx);
void hr_name_index_free(struct hr_name_index *ix);

struct hr_ruleset {
	struct hr_arena arena;
	struct hr_name_index list_names, macro_names, rule_names;
	struct hr_list_info *lists;
	struct hr_macro_info *macros;
	struct hr_rule_info *rule_infos;
	uint32_t nlists, nmacros, nrule_infos, cap_lists, cap_macros, cap_rule_infos;
	uint32_t next_index;
	/* the highest required_engine_version read (Falco's collector keeps the highest) */
	unsigned long engine_version[3];
	/* the compile output */
	struct hr_rule *rules;
	uint32_t nrules, cap_rules;
};

/* A load error: the reader and compiler stop at the first one. */
struct hr_load_fail {
	enum hr_load_error code;
	char msg[512];
	struct hr_load_ctx ctx;
};

/* rules_reader.c: reads every document of a file into the definitions.
 * False with `fail` filled on the first error; warnings go to `res`. */
bool hr_rules_read(struct hr_ruleset *rs, const char *name, const char *content, struct hr_load_result *res,
		   struct hr_load_fail *fail);

/* rules_compile.c: compiles the definitions into rs->rules. */
bool hr_rules_compile(struct hr_ruleset *rs, struct hr_load_result *res, struct hr_load_fail *fail);

/* Lookups by name (NULL when undefined). */
struct hr_list_info *hr_rules_find_list(struct hr_ruleset *rs, const char *name);
struct hr_macro_info *hr_rules_find_macro(struct hr_ruleset *rs, const char *name);
struct hr_rule_info *hr_rules_find_rule(struct hr_ruleset *rs, const char *name);

#endif
