/* Event record decoding: locating each parameter inside a v2 event record. */
#include "event/event.h"

const char *hr_event_decode(struct hr_event *e, const uint8_t *rec, uint32_t len)
{
	if (len < HR_EVENT_HEADER_V2_LEN)
		return "event shorter than its header";
	uint32_t nparams;
	memcpy(&nparams, rec + 22, 4);
	unsigned lsz = hr_event_len_size(e->type);
	uint64_t lens_end = HR_EVENT_HEADER_V2_LEN + (uint64_t)nparams * lsz;
	if (lens_end > len)
		return "parameter count runs past the end of the event";
	e->len = len;
	e->nparams = nparams;
	e->nparams_indexed = nparams < HR_MAX_PARAMS ? nparams : HR_MAX_PARAMS;
	const uint8_t *lens = rec + HR_EVENT_HEADER_V2_LEN;
	uint64_t off = lens_end;
	for (uint32_t i = 0; i < nparams; i++) {
		uint32_t pl;
		if (lsz == 2) {
			uint16_t v;
			memcpy(&v, lens + (size_t)i * 2, 2);
			pl = v;
		} else {
			memcpy(&pl, lens + (size_t)i * 4, 4);
		}
		if (off + pl > len)
			return "parameter lengths run past the end of the event";
		if (i < HR_MAX_PARAMS) {
			e->param[i] = rec + off;
			e->param_len[i] = pl;
		}
		off += pl;
	}
	if (off != len)
		return "parameter lengths do not add up to the event length";
	return 0;
}

int hr_event_param_index(const struct hr_event *e, const char *name)
{
	const struct hr_event_info *info = hr_event_info(e);
	if (!info)
		return -1;
	for (unsigned i = 0; i < info->nparams; i++)
		if (strcmp(info->params[i].name, name) == 0)
			return (int)i;
	return -1;
}
