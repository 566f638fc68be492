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

/* Rewrites exit `x` in place (its type, its parameter bytes) for 2022: the
 * 2022 id where the newest id only appended parameters (accept4, dup,
 * pipe2), and generic events of syscalls 2022 has no code for as code 0
 * ("unknown": sysdig 0.29.3 crashes on codes past its table). */
void hr_exit_to_2022(struct hr_event *x);

/* Writes into `buf` (of `cap` bytes) the v2 record of the enter event that
 * pairs with exit `x` (same time and thread), and sets *len. False when `x`
 * has no enter event sysdig 0.29.3 knows. */
bool hr_enter_2022_build(const struct hr_event *x, uint8_t *buf, size_t cap, uint32_t *len);

#endif
