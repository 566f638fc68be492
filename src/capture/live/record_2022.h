/*
 * Live events made readable by sysdig 0.29.3 for recordings (scap-format.md
 * section 13). The probe sends exit events carrying every parameter (newest
 * layouts); the 2022 libsinsp skips ids it does not know and takes some
 * values (the fd of read/write/close/connect, the path of an open...) only
 * from the enter event preceding the exit. So a recorded exit gets its 2022
 * id where the newest id only appended parameters, and is preceded by its
 * enter event built from the exit's own parameters.
 */
#ifndef HR_RECORD_2022_H
#define HR_RECORD_2022_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"

/* Prepares exit `x` for a 2022 recording, in place: the 2022 id where the
 * newest id only appended parameters (accept4, dup, pipe2), and generic
 * events of syscalls 2022 has no code for as code 0 ("unknown": sysdig
 * 0.29.3 crashes on codes past its table). Then writes into `buf` (of `cap`
 * bytes) the v2 record of the enter event that pairs with it (same time and
 * thread) and sets *len; returns false when there is no enter event sysdig
 * 0.29.3 knows for it. */
bool hr_record_2022(struct hr_event *x, uint8_t *buf, size_t cap, uint32_t *len);

#endif
