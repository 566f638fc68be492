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

/* True when exit type `type` has no 2022 id (nor one whose layout it
 * extends: memfd_create, init_module, finit_module...): sysdig 0.29.3 sees
 * such a syscall only as a generic `syscall` event, so a recording carries
 * it as one (spec section 13, rule 7), its own parameters dropped. */
bool hr_record_2022_needs_generic(uint16_t type);

/* Writes into `buf` (of `cap` bytes) the v2 record of the generic exit
 * standing for exit `x` (same time and thread): ID = `ppm_sc` (the PPM_SC
 * code), nativeID = `native` (the syscall number). Returns its length, 0
 * if it does not fit. hr_record_2022 then gives it 2022's code and enter. */
uint32_t hr_record_2022_generic(const struct hr_event *x, uint16_t ppm_sc, uint16_t native, uint8_t *buf,
				size_t cap);

#endif
