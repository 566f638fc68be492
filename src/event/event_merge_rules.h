/*
 * The shape of the newest libs' conversion rules for old event layouts
 * (generated into build/gen/event_merge_table.c by tools/gen_event_merge.py
 * from the spec; scap-format.md section 12). Only event_merge.c reads them.
 */
#ifndef HR_EVENT_MERGE_RULES_H
#define HR_EVENT_MERGE_RULES_H

#include <stdbool.h>
#include <stdint.h>

enum hr_merge_action {
	HR_MERGE_STORE,          /* keep the (enter) event for its exit; drop it */
	HR_MERGE_PASS,           /* let it through as it is */
	HR_MERGE_STORE_AND_PASS, /* both */
	HR_MERGE_ADD_PARAMS,     /* append parameters */
	HR_MERGE_CHANGE_TYPE,    /* rebuild it as another id */
};

enum hr_merge_source {
	HR_MERGE_FROM_OLD,      /* parameter `param` of the event being converted */
	HR_MERGE_FROM_ENTER,    /* parameter `param` of the thread's stored enter */
	HR_MERGE_FROM_DEFAULT,  /* the type's default (0; all ones for uid/gid) */
	HR_MERGE_FROM_EMPTY,    /* a 0-length parameter */
	HR_MERGE_FROM_CALLBACK, /* computed by the libs (container JSON only) */
};

struct hr_merge_instr {
	uint8_t source;         /* enum hr_merge_source */
	uint8_t param;
	bool empty_fallback;    /* no stored enter: empty instead of the default */
};

struct hr_merge_rule {
	uint16_t type;          /* applies to events of this id... */
	uint8_t nparams;        /* ...with this many parameters */
	uint8_t action;         /* enum hr_merge_action */
	uint16_t new_type;      /* HR_MERGE_CHANGE_TYPE: the id built */
	uint8_t ninstrs;
	const struct hr_merge_instr *instrs; /* one per parameter added or built */
};

extern const struct hr_merge_rule hr_merge_rules[];
extern const unsigned hr_merge_rule_count;

#endif
