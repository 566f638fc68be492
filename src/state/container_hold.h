/*
 * Holding live events while a new container's metadata is looked up.
 *
 * The runtime answers asynchronously (state/container_runtime.h), and the
 * first processes of a container (the shell `podman run` starts) run before
 * it does. A live consumer that wants those events with the container's
 * name and image (the detector judging them, the recorder writing the
 * container record before them) keeps copies of the events, in order,
 * until the runtime's first attempt at every new lookup is over. Bounded:
 * at most HR_HOLD_MAX_MS after the hold began and HR_HOLD_MAX_BYTES of
 * copies (events and their parameters); after that the events go on with container.id only, and
 * those lookups are not waited for again. Nothing is held without a runtime.
 */
#ifndef HR_CONTAINER_HOLD_H
#define HR_CONTAINER_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"

#define HR_HOLD_MAX_MS 3000
#define HR_HOLD_MAX_BYTES (64u << 20)

struct hr_container_runtime;
struct hr_held_event;

struct hr_event_hold {
	struct hr_held_event *events; /* [head, n) wait */
	uint32_t head, n, cap;
	uint8_t *bytes;               /* their parameters, one after another */
	size_t nbytes, bytes_cap;
	uint64_t deadline_ns;         /* 0: not holding */
	uint64_t lookups_seen;        /* runtime lookups already waited for (or given up on) */
};

/* Whether a lookup not waited for yet is still on its first attempt (one
 * atomic load when there is none: cheap enough for every event). */
bool hr_hold_lookup_in_flight(struct hr_event_hold *h, struct hr_container_runtime *rt);

/* Begins holding (sets the deadline). */
void hr_hold_start(struct hr_event_hold *h);
static inline bool hr_hold_active(const struct hr_event_hold *h)
{
	return h->deadline_ns != 0;
}

/* Whether the hold may end: the new lookups have had their first attempt,
 * or a bound is reached (their lookups are then not waited for again). */
bool hr_hold_may_end(struct hr_event_hold *h, struct hr_container_runtime *rt);
/* Ends the hold; what is still queued is taken with hr_hold_next. */
void hr_hold_end(struct hr_event_hold *h);

/* Copies the event (its parameters too) to the queue, with a mark of the
 * caller's (e.g. whether the state has seen it). */
void hr_hold_push(struct hr_event_hold *h, const struct hr_event *e, uint32_t mark);

/* The oldest held event (parameters pointing into the hold, valid until
 * the next push), or NULL when none is left; hr_hold_pop drops it. */
struct hr_event *hr_hold_peek(struct hr_event_hold *h, uint32_t **mark);
void hr_hold_pop(struct hr_event_hold *h);

void hr_hold_free(struct hr_event_hold *h);

#endif
