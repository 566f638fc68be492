/*
 * Which syscalls' generic events a filter may match (filter.h,
 * hr_filter_may_match_syscall): a generic `syscall` event's evt.type is
 * its syscall's name, so the evt.type checks decide, as for the event
 * types a filter may match (filter_compile.c), but for one name at a time.
 * The live capture uses it to record only the generic syscalls a consumer
 * can match.
 */
#include <string.h>

#include "filter/filter.h"
#include "filter/filter_internal.h"

/* Whether node `n` may be true, and may be false, for a generic event of
 * syscall `name`. Checks of anything but evt.type may be either. */
static void analyze_name(struct hr_filter *f, uint32_t n, const char *name, uint32_t len, bool *maybe_true,
			 bool *maybe_false)
{
	const struct hr_filter_node *node = &f->nodes[n];
	switch (node->kind) {
	case NODE_CHECK: {
		struct hr_filter_check *c = &f->checks[node->first];
		*maybe_true = *maybe_false = true;
		bool is_type = hr_operand_is_field(&c->lhs) &&
			       !strcmp(f->slots[c->lhs.slot].field.def->name, "evt.type") && !c->rhs_is_field &&
			       c->op != OP_EXISTS && c->op != OP_REGEX;
		if (!is_type)
			return;
		bool holds = hr_filter_compare_string(c, name, len);
		*maybe_true = holds;
		*maybe_false = !holds;
		return;
	}
	case NODE_NOT:
		analyze_name(f, node->first, name, len, maybe_false, maybe_true);
		return;
	default: {
		bool is_and = node->kind == NODE_AND;
		/* and: true needs all children true, false needs any false */
		*maybe_true = is_and;
		*maybe_false = !is_and;
		for (uint32_t ch = node->first; ch != NO_NODE; ch = f->nodes[ch].next) {
			bool t, fl;
			analyze_name(f, ch, name, len, &t, &fl);
			if (is_and) {
				*maybe_true = *maybe_true && t;
				*maybe_false = *maybe_false || fl;
			} else {
				*maybe_true = *maybe_true || t;
				*maybe_false = *maybe_false && fl;
			}
		}
		return;
	}
	}
}

bool hr_filter_may_match_syscall(struct hr_filter *f, const char *name)
{
	bool maybe_true, maybe_false;
	analyze_name(f, f->root, name, (uint32_t)strlen(name), &maybe_true, &maybe_false);
	return maybe_true;
}
