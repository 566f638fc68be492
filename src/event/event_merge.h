/*
 * Events as Falco 0.44 sees them on replay: the newest libs convert every
 * old event layout read from a capture to the newest one before libsinsp
 * and the rules see it. The enter half of a syscall pair is kept aside and
 * its parameters are folded into the exit (so a rule sees each syscall
 * once, with every argument, as from the live probe); old ids are rebuilt
 * as their newest ids; missing parameters are added empty.
 *
 * The rules are the converter's own (scap-format.md section 12, generated
 * from the spec by tools/gen_event_merge.py). This module only builds the
 * view: the state engine still parses the events as read.
 */
#ifndef HR_EVENT_MERGE_H
#define HR_EVENT_MERGE_H

#include <stdint.h>

#include "event/event.h"
#include "state/state.h"

struct hr_event_merge;

struct hr_event_merge *hr_event_merge_new(void);
void hr_event_merge_free(struct hr_event_merge *m);

/*
 * Feeds one event, in file order, after hr_state_process_event has seen it
 * (its thread and fd links are used). Returns the event Falco's rules get,
 * or NULL when Falco never hands this event to them: an enter kept for its
 * exit, an old enter layout the converter drops, an unused id, or an enter
 * libsinsp parses and then filters out (open, openat, openat2, creat,
 * connect, execve, execveat).
 *
 * The returned event has the newest id and layout; `num` counts the events
 * that came out of the converter (Falco's evt.num); for exits that use an
 * fd (newest flags) `fd_num`/`fd` come from the exit's own fd parameter, as
 * libsinsp finds them once enters are gone; `enter` is NULL. It stays
 * valid until the next call.
 */
const struct hr_event *hr_event_merge(struct hr_event_merge *m, const struct hr_state *s, const struct hr_event *e);

/* Events that came out of the converter so far (the last `num` returned,
 * also counting the ones filtered afterwards). */
uint64_t hr_event_merge_count(const struct hr_event_merge *m);

#endif
