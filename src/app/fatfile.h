/*
 * What a filtered recording keeps (harrier-inspect -w OUT FILTER), as
 * sysdig 0.29.3 writes with -w -F ("fatfile"): the events the filter
 * matches; the state-changing events it does not match, flagged
 * state-only, so that the recording replays with correct threads and fds
 * while readers hide them; internal events (they are never filtered out
 * of a recording); nothing else.
 */
#ifndef HR_FATFILE_H
#define HR_FATFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "event/event.h"

enum hr_fatfile_choice { HR_FATFILE_DROP, HR_FATFILE_WRITE, HR_FATFILE_WRITE_STATE_ONLY };

/* Whether events of this type change the state a reader rebuilds: sysdig's
 * EF_MODIFIES_STATE (newest table), and setpgid, which 0.29.3 also marks
 * and whose process group Harrier's state keeps. */
bool hr_event_changes_state(uint16_t type);

/* The choice for an event the filter matched (`matched`) or not; an event
 * read as state-only counts as not matched. */
enum hr_fatfile_choice hr_fatfile_choose(const struct hr_event *e, bool matched);

#endif
