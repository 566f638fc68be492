/*
 * One decoded event: the header fields, where each parameter's bytes are,
 * and the links the state engine fills in (thread, fd) so that formatters
 * and field extractors never search for them again.
 *
 * Parameter bytes point into the buffer of whoever produced the event (the
 * capture reader or the live ring); they are valid until the next event is
 * requested from that source.
 */
#ifndef HR_EVENT_H
#define HR_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "event/event_table.h"

#define HR_EVENT_HEADER_V2_LEN 26
#define HR_EVENT_HEADER_V1_LEN 22

/* Dump flags carried by EVF blocks. */
enum { HR_DF_STATE_ONLY = 1 };

struct hr_thread;
struct hr_fd;

struct hr_event {
	uint64_t ts;          /* ns since the epoch */
	int64_t tid;          /* host thread id; 0 or -1 for some meta-events */
	uint32_t len;         /* v2 length: header + length array + parameters */
	uint16_t type;        /* event id, index into hr_event_table */
	uint16_t cpu;
	uint32_t nparams;     /* as in the file (may be fewer or more than the table) */
	uint32_t dump_flags;  /* HR_DF_* */
	uint64_t num;         /* evt.num: position among all events read, from 1 */
	/* The parameters follow the newest table's layout and flags, not
	 * sysdig 0.29.3's: set on events rebuilt as Falco 0.44 reads captures
	 * (event_merge.h); false for events as read. */
	bool newest_layout;

	/* Parameters present (at most HR_MAX_PARAMS are indexed; the rest are
	 * validated but not addressable). A length of 0 means absent. */
	uint32_t nparams_indexed;
	const uint8_t *param[HR_MAX_PARAMS];
	uint32_t param_len[HR_MAX_PARAMS];

	/* Filled in by the state engine (NULL when unknown). */
	struct hr_thread *thread;
	struct hr_fd *fd;          /* the fd the event refers to, if any */
	int64_t fd_num;            /* that fd's number, -1 if none */
	const struct hr_event *enter; /* the matching enter event, for exits */
};

static inline const struct hr_event_info *hr_event_info(const struct hr_event *e)
{
	return hr_event_info_of(e->type);
}

static inline bool hr_event_has_param(const struct hr_event *e, unsigned i)
{
	return i < e->nparams_indexed && e->param_len[i] > 0;
}

/* Fixed-size parameter readers: return false (leaving *out alone) when the
 * parameter is absent or does not have exactly the expected size. */
static inline bool hr_param_u64(const struct hr_event *e, unsigned i, uint64_t *out)
{
	if (i >= e->nparams_indexed || e->param_len[i] != 8)
		return false;
	memcpy(out, e->param[i], 8);
	return true;
}
static inline bool hr_param_i64(const struct hr_event *e, unsigned i, int64_t *out)
{
	if (i >= e->nparams_indexed || e->param_len[i] != 8)
		return false;
	memcpy(out, e->param[i], 8);
	return true;
}
static inline bool hr_param_u32(const struct hr_event *e, unsigned i, uint32_t *out)
{
	if (i >= e->nparams_indexed || e->param_len[i] != 4)
		return false;
	memcpy(out, e->param[i], 4);
	return true;
}
static inline bool hr_param_u16(const struct hr_event *e, unsigned i, uint16_t *out)
{
	if (i >= e->nparams_indexed || e->param_len[i] != 2)
		return false;
	memcpy(out, e->param[i], 2);
	return true;
}
static inline bool hr_param_u8(const struct hr_event *e, unsigned i, uint8_t *out)
{
	if (i >= e->nparams_indexed || e->param_len[i] != 1)
		return false;
	*out = e->param[i][0];
	return true;
}

/* Index of the parameter called `name` in this event's layout, or -1. */
int hr_event_param_index(const struct hr_event *e, const char *name);

/*
 * Fills the parameter index of `e` from a v2 event record of `len` bytes
 * starting at `rec` (header included). Returns NULL on success, or a static
 * message saying what is inconsistent (lengths overflowing the record, a
 * length array past the end, ...).
 */
const char *hr_event_decode(struct hr_event *e, const uint8_t *rec, uint32_t len);

#endif
