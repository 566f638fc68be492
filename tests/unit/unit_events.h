/*
 * Event records for the C unit tests that need a decoded event without a
 * capture: a v2 record packed from (bytes, length) parameters, with the
 * length width its event type uses, decoded as the reader decodes it.
 */
#ifndef HR_UNIT_EVENTS_H
#define HR_UNIT_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "event/event.h"

struct unit_param {
	const void *p;
	uint32_t len;
};

/* Packs `type` for thread `tid` at `ts` into `rec` (of `cap` bytes) and
 * decodes it into `e`; false if it does not fit or does not decode. */
static inline bool unit_event(struct hr_event *e, uint8_t *rec, size_t cap, uint16_t type, uint64_t ts, int64_t tid,
			      const struct unit_param *ps, unsigned n)
{
	unsigned lsz = hr_event_len_size(type);
	uint32_t off = HR_EVENT_HEADER_V2_LEN + n * lsz;
	if (off > cap)
		return false;
	for (unsigned i = 0; i < n; i++) {
		if (off + ps[i].len > cap || (lsz == 2 && ps[i].len > UINT16_MAX))
			return false;
		if (lsz == 2) {
			uint16_t l = (uint16_t)ps[i].len;
			memcpy(rec + HR_EVENT_HEADER_V2_LEN + 2 * i, &l, 2);
		} else {
			memcpy(rec + HR_EVENT_HEADER_V2_LEN + 4 * i, &ps[i].len, 4);
		}
		memcpy(rec + off, ps[i].p, ps[i].len);
		off += ps[i].len;
	}
	memcpy(rec, &ts, 8);
	memcpy(rec + 8, &tid, 8);
	memcpy(rec + 16, &off, 4);
	memcpy(rec + 20, &type, 2);
	memcpy(rec + 22, &n, 4);
	memset(e, 0, sizeof *e);
	e->ts = ts;
	e->tid = tid;
	e->type = type;
	return hr_event_decode(e, rec, off) == NULL;
}

#endif
