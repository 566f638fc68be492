/*
 * Whether this process may load the probe: the kernel wants CAP_SYS_ADMIN,
 * or CAP_BPF with CAP_PERFMON, in the effective set. Checked before
 * loading so that a root user stripped of capabilities (a container, a
 * bounding set) gets "missing capabilities" instead of the kernel's EPERM
 * from some later step.
 */
#ifndef HR_LIVE_PRIVILEGES_H
#define HR_LIVE_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>

/* False with the missing capabilities named in `missing` when the probe
 * cannot be loaded; true when it can (or the set cannot be read: the
 * kernel then decides). */
bool hr_live_privileges_ok(char *missing, size_t len);

#endif
