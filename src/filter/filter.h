/*
 * Falco/sysdig filter conditions (`proc.name in (sh, bash) and not
 * fd.sip in (10.0.0.0/8)`): compiling a condition once into a typed,
 * ready-to-run form, evaluating it on events, and the set of event types it
 * can match (what a rules engine uses to dispatch events).
 *
 * Compilation is all-or-nothing: on any error nothing stays allocated and
 * the error names the byte position in the text and the reason.
 */
#ifndef HR_FILTER_H
#define HR_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "fields/fields.h"

struct hr_filter;

struct hr_filter_error {
	size_t pos;      /* byte offset in the condition where the problem is */
	char msg[256];   /* the reason, without the position */
};

/* Compiles `text`. Returns NULL with `err` filled on a syntax or type
 * error (unknown field, operator not valid for the field's type, value not
 * valid for the field's type, unterminated string, bad address...). */
struct hr_filter *hr_filter_compile(const char *text, struct hr_filter_error *err);

void hr_filter_free(struct hr_filter *f);

/* True when the event satisfies the condition. Fields are extracted at
 * most once per call and only when the evaluation needs them; nothing is
 * allocated once the buffers of string transformers have grown. */
bool hr_filter_match(struct hr_filter *f, struct hr_field_ctx *ctx, const struct hr_event *e);

/* True when an event of type `type` can satisfy the condition; false means
 * it never can, whatever the rest of the event (from `evt.type` checks,
 * combined through and/or/not). */
bool hr_filter_may_match_type(const struct hr_filter *f, uint16_t type);

/* The same for the generic `syscall` events of the syscall `name` (their
 * evt.type): false means no such event can satisfy the condition. For the
 * live capture's narrowing of generic events (filter_syscalls.c). */
bool hr_filter_may_match_syscall(struct hr_filter *f, const char *name);

/*
 * A transformer expression in an output format, as Falco 0.44's formatter
 * reads one after '%': `%tolower(proc.name)`, `%join(",", (proc.args[0],
 * proc.args[1]))`, `%getopt((proc.args[0], proc.args[1]), "t:")[t]`.
 */
struct hr_field_expr;

/* Compiles the expression at the start of `text` when one starts there (a
 * transformer's name and '('), setting `used` to its length; NULL with
 * `err->msg` empty when none starts there, NULL with `err` filled (position
 * relative to `text`) when it is malformed. */
struct hr_field_expr *hr_field_expr_compile(const char *text, size_t *used, struct hr_filter_error *err);
void hr_field_expr_free(struct hr_field_expr *x);
/* Appends the value as Falco prints it (a list as "(a,b)"); false when it
 * has none. Its fields are extracted once per call. */
bool hr_field_expr_to_string(struct hr_field_expr *x, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_strbuf *out);
/* The fields the expression reads (Falco lists them among a rule's
 * output fields, not the expression itself). */
uint32_t hr_field_expr_nfields(const struct hr_field_expr *x);
const char *hr_field_expr_field(const struct hr_field_expr *x, uint32_t i);

/*
 * Many filters over the same events (a rules engine): fields are shared
 * between the filters given to the cache, so a field is extracted at most
 * once per event whatever the number of filters using it, and each
 * filter gets a guard: comparisons of fields with constants one of which
 * must hold for it to match, answered for all the filters' guards on one
 * field by one hash lookup per event.
 */
struct hr_field_cache;

struct hr_field_cache *hr_field_cache_new(void);
/* Detach every filter shared with the cache before freeing it. */
void hr_field_cache_free(struct hr_field_cache *c);

/* Makes `f` read its fields through `c` (identical fields become one);
 * NULL detaches it again. */
void hr_filter_share_fields(struct hr_filter *f, struct hr_field_cache *c);

/* Once every filter is shared: picks the grouped checks one of which must
 * hold for `f` to match, so that most events are turned away with the
 * group lookups alone (the most selective such set, judged by how many
 * constants all the shared filters compare each field with, and by how
 * many checks share a constant). The guard's checks stay grouped; the
 * filter's other checks are evaluated alone. */
void hr_filter_choose_guard(struct hr_filter *f);

/* Starts a new event: every filter sharing `c` extracts afresh. Call it
 * once per event, before matching any of them. */
void hr_field_cache_next_event(struct hr_field_cache *c);

/*
 * Choosing, per event, the few filters worth evaluating (a rules engine
 * with many rules): a filter with a guard can only match when one of its
 * guard's grouped checks holds, and evaluating a group yields every
 * grouped check that holds, so the candidates come from the groups alone.
 */

/* The grouped checks of `f`'s guard (ids shared by the cache's filters);
 * 0 when it has no guard (any event of its types may match). */
uint32_t hr_filter_guard_checks(const struct hr_filter *f, const uint32_t **checks);
/* The number of grouped check ids, and the group of one. */
uint32_t hr_field_cache_checks(const struct hr_field_cache *c);
uint32_t hr_field_cache_check_group(const struct hr_field_cache *c, uint32_t check);
/* Evaluates group `group` on the current event (once per event) for the
 * guards' checks and returns those of them that hold (valid until the next
 * event; other checks of the group may be listed too). */
uint32_t hr_field_cache_group_holding(struct hr_field_cache *c, uint32_t group, struct hr_field_ctx *ctx,
				      const struct hr_event *e, const uint32_t **checks);

#endif
