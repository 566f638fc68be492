/*
 * Rendering an event's parameters exactly as sysdig 0.29.3 prints them:
 * evt.args / evt.info (`name=value ` pairs), and single parameters for
 * evt.arg.NAME (resolved) and evt.rawarg.NAME (raw).
 */
#ifndef HR_EVENT_ARGS_H
#define HR_EVENT_ARGS_H

#include <stdbool.h>

#include "event/event.h"
#include "format/strbuf.h"
#include "state/state.h"

/* Appends evt.args. */
void hr_format_evt_args(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e);

/* Appends evt.info (evt.args, or the event's own description where sysdig has one). */
void hr_format_evt_info(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e);

/* Appends parameter `idx`: resolved as evt.arg.NAME shows it, or as evt.rawarg.NAME. */
void hr_format_param(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e,
		     unsigned idx, bool resolved);

#endif
