/*
 * Running compiled rules on events: which rules are enabled (priority
 * threshold, -D/-T/-t selections), an index from event type to the
 * enabled rules that can match it (in load order), the candidates among
 * them that an event's grouped checks leave, and the first rule matching
 * an event.
 */
#ifndef HR_RULE_ENGINE_H
#define HR_RULE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "event/event_table.h"
#include "filter/filter.h"
#include "rules/rules_loader.h"

/* One entry of Falco's `rules:` configuration list, applied in order:
 * enable or disable the rules whose name matches `pattern` (`*` matches
 * any text) or that carry the tag `pattern`. */
struct hr_rule_toggle {
	bool enable;
	bool by_tag;
	const char *pattern;
};

struct hr_rule_selection {
	enum hr_priority min_priority;   /* rules less severe are dropped */
	const char *const *disable_substr; /* -D: rule names containing any */
	unsigned ndisable_substr;
	const char *const *disable_tags;   /* -T */
	unsigned ndisable_tags;
	const char *const *enable_tags;    /* -t: only rules with one of these */
	unsigned nenable_tags;
	const struct hr_rule_toggle *toggles; /* then these, in order */
	unsigned ntoggles;
};

/* How the candidates of an event are found: rules with a guard become
 * candidates when one of their guard's grouped checks holds (their guards'
 * groups are evaluated once per event), the others always are. */
struct hr_rule_dispatch {
	bool ready;
	uint64_t *members;    /* bitmap over rule indexes: the rules of this dispatch */
	uint32_t *unguarded;  /* the members without a guard, in load order */
	uint32_t nunguarded;
	uint32_t *groups;     /* the groups the members' guards read */
	uint32_t ngroups;
};

struct hr_rule_engine {
	struct hr_ruleset *rs;
	/* The enabled rules' fields, extracted once per event for all of
	 * them; their constant comparisons grouped per field. */
	struct hr_field_cache *fields;
	bool *enabled;                  /* per compiled rule */
	uint32_t *by_type[HR_EVENT_MAX]; /* enabled rules that may match, in load order */
	uint32_t nby_type[HR_EVENT_MAX];
	struct hr_rule_dispatch types[HR_EVENT_MAX];
	/* Generic syscall events, per type and syscall code (the last entry:
	 * codes with no name), built when first seen. */
	struct hr_rule_dispatch generic[2][HR_SYSCALL_MAX + 1];
	/* Per grouped check: the rules whose guard has it (rules from
	 * guard_rules[guard_first[i]] to guard_rules[guard_first[i + 1]]). */
	uint32_t *guard_first, *guard_rules;
	uint32_t nwords;                /* 64-bit words of a rule bitmap */
	/* The current event's candidates, in load order; per rule, the
	 * event it was last made a candidate on (events counted from 1). */
	uint32_t *candidates;
	uint32_t ncandidates;
	uint64_t *chosen_on, event;
};

/* Whether an enabled rule can match a generic event of the syscall `name`
 * (as evt.type shows it): a live capture records only those. */
bool hr_rule_engine_wants_syscall(const struct hr_rule_engine *en, const char *name);

void hr_rule_engine_init(struct hr_rule_engine *en, struct hr_ruleset *rs, const struct hr_rule_selection *sel);
void hr_rule_engine_free(struct hr_rule_engine *en);

/* The first enabled rule (in load order) matching `e`, or -1; `*next` is
 * where to continue for `rule_matching: all` (pass it as `from`; a call
 * with `from` 0 starts a new event). */
int32_t hr_rule_engine_match(struct hr_rule_engine *en, struct hr_field_ctx *ctx, const struct hr_event *e,
			     uint32_t from, uint32_t *next);

#endif
