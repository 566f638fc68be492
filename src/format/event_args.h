/*
 * Rendering an event's parameters exactly as sysdig 0.29.3 prints them:
 * evt.args / evt.info (`name=value ` pairs), and single parameters for
 * evt.arg.NAME (resolved) and evt.rawarg.NAME (raw).
 *
 * Events are rendered with the parameter layout sysdig 0.29.3 knows
 * (`params_2022`): parameters a newer driver appended are not shown, as
 * sysdig does not show them. Ids sysdig does not know use the newest layout.
 * Only the event itself is rendered (never its enter event), as in sysdig;
 * fds, threads, users and cwds come from the state as it is after the
 * event was processed.
 */
#ifndef HR_EVENT_ARGS_H
#define HR_EVENT_ARGS_H

#include <stdbool.h>

#include "event/event.h"
#include "format/strbuf.h"
#include "state/state.h"

/* Appends evt.args. */
void hr_format_evt_args(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e);

/* Appends evt.info. In sysdig 0.29.3 it differs from evt.args only for fds
 * with protocol decoders, which only chisels install: here it is evt.args. */
void hr_format_evt_info(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e);

/* Appends parameter `idx`: resolved as evt.arg.NAME shows it, or as evt.rawarg.NAME. */
void hr_format_param(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e,
		     unsigned idx, bool resolved);

/* Appends parameter `idx` as evt.args shows it without its "(resolved)"
 * part: sysdig's unresolved text (evt.buffer). Added by the cli engineer. */
void hr_format_param_text(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e,
			  unsigned idx);

/*
 * How byte buffers (PT_BYTEBUF) are rendered: sysdig's default printable
 * form with '.' for other bytes, -j (the same, never truncated), -A (ASCII
 * only, keeping line breaks), -x (hex), -X (hex and ASCII), -b (base64).
 */
enum hr_buffer_format {
	HR_BUF_NORMAL,
	HR_BUF_JSON,
	HR_BUF_EOLS,
	HR_BUF_HEX,
	HR_BUF_HEXASCII,
	HR_BUF_BASE64,
};

/* Process-wide, like sysdig's inspector settings; set once before output. */
void hr_format_set_buffer_format(enum hr_buffer_format f);

/* Byte buffers longer than this are cut to it, ending in "..." (normal
 * format only). sysdig uses 80 unless -v; 0 means unlimited. Default 80. */
void hr_format_set_max_output_len(unsigned n);

/*
 * A PT_SOCKADDR / PT_SOCKTUPLE parameter as sysdig 0.29.3 names an fd after
 * it (connect, accept, ...): the same text evt.args shows, cut at the same
 * length, which depends on what was rendered before (see event_args.c).
 */
void hr_format_sockaddr(struct hr_strbuf *out, const uint8_t *p, uint32_t len);
void hr_format_socktuple(struct hr_strbuf *out, const uint8_t *p, uint32_t len);

/* The parameter layout sysdig 0.29.3 uses for this event, and how many of
 * its parameters the event carries (what evt.args prints). */
const struct hr_param_info *hr_event_layout(const struct hr_event *e, unsigned *count);

/* Index of parameter `name` in that layout, or -1. */
int hr_event_layout_index(const struct hr_event *e, const char *name);

#endif
