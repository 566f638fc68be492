/*
 * Names sysdig 0.29.3 prints for numeric values: errno codes, signals and
 * syscall codes.
 */
#ifndef HR_VALUE_NAMES_H
#define HR_VALUE_NAMES_H

#include <stdint.h>

#include "event/event_table.h"

/* Syscall codes sysdig 0.29.3 knows (its PPM_SC_MAX). */
#define HR_SYSCALL_MAX_2022 329

/* "ENOENT" for -2; NULL for non-negative or unnamed codes. */
const char *hr_errno_name(int64_t negative_code);

/* "SIGKILL" for 9; NULL for 0 and numbers above 31. */
const char *hr_signal_name(uint32_t sig);

/* The name sysdig 0.29.3 prints for a syscall code (evt.type of generic
 * events, PT_SYSCALLID parameters); NULL for codes it does not know. */
const char *hr_syscall_name_2022(uint32_t code);

#endif
