/* Holding live events for a new container's metadata (see container_hold.h). */
#include "state/container_hold.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "state/container_runtime.h"
#include "state/state_internal.h"

struct hr_held_event {
	struct hr_event e; /* parameter pointers rebuilt from `at` by hr_hold_peek */
	size_t at;         /* its parameters' offset in the hold's bytes */
	uint32_t mark;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool hr_hold_lookup_in_flight(struct hr_event_hold *h, struct hr_container_runtime *rt)
{
	if (!rt)
		return false;
	uint64_t requested, tried;
	hr_container_runtime_progress(rt, &requested, &tried);
	if (requested == h->lookups_seen)
		return false;
	if (tried >= requested) {
		h->lookups_seen = requested;
		return false;
	}
	return true;
}

void hr_hold_start(struct hr_event_hold *h)
{
	h->deadline_ns = now_ns() + (uint64_t)HR_HOLD_MAX_MS * 1000000ull;
}

bool hr_hold_may_end(struct hr_event_hold *h, struct hr_container_runtime *rt)
{
	if (!hr_hold_lookup_in_flight(h, rt))
		return true;
	/* the copies' size: parameters and the events themselves */
	size_t held = h->nbytes + (size_t)(h->n - h->head) * sizeof(struct hr_held_event);
	if (now_ns() < h->deadline_ns && held < HR_HOLD_MAX_BYTES)
		return false;
	uint64_t tried;
	hr_container_runtime_progress(rt, &h->lookups_seen, &tried);
	return true;
}

void hr_hold_end(struct hr_event_hold *h)
{
	h->deadline_ns = 0;
}

static uint32_t indexed(const struct hr_event *e)
{
	return e->nparams_indexed < HR_MAX_PARAMS ? e->nparams_indexed : HR_MAX_PARAMS;
}

void hr_hold_push(struct hr_event_hold *h, const struct hr_event *e, uint32_t mark)
{
	h->events = hr_grow_array(h->events, &h->cap, h->n + 1, sizeof *h->events);
	size_t need = 0;
	for (uint32_t i = 0; i < indexed(e); i++)
		need += e->param[i] ? e->param_len[i] : 0;
	if (h->nbytes + need > h->bytes_cap) {
		size_t cap = h->bytes_cap ? h->bytes_cap : 1u << 16;
		while (cap < h->nbytes + need)
			cap *= 2;
		uint8_t *p = realloc(h->bytes, cap);
		if (!p)
			abort();
		h->bytes = p;
		h->bytes_cap = cap;
	}
	struct hr_held_event *he = &h->events[h->n++];
	he->e = *e;
	he->at = h->nbytes;
	he->mark = mark;
	for (uint32_t i = 0; i < indexed(e); i++) {
		if (!e->param[i])
			continue;
		memcpy(h->bytes + h->nbytes, e->param[i], e->param_len[i]);
		h->nbytes += e->param_len[i];
	}
}

struct hr_event *hr_hold_peek(struct hr_event_hold *h, uint32_t **mark)
{
	if (h->head == h->n) {
		h->head = h->n = 0;
		h->nbytes = 0;
		return NULL;
	}
	struct hr_held_event *he = &h->events[h->head];
	const uint8_t *p = h->bytes + he->at;
	for (uint32_t i = 0; i < indexed(&he->e); i++) {
		if (!he->e.param[i])
			continue;
		he->e.param[i] = p;
		p += he->e.param_len[i];
	}
	*mark = &he->mark;
	return &he->e;
}

void hr_hold_pop(struct hr_event_hold *h)
{
	h->head++;
}

void hr_hold_free(struct hr_event_hold *h)
{
	free(h->events);
	free(h->bytes);
	memset(h, 0, sizeof *h);
}
