/*
 * The initial state of a live capture, read from /proc: every thread
 * (exe, cmdline, env, cwd, ids, limits, memory, caps, tty, loginuid,
 * cgroups, exe inode and flags, pid namespace start) and the
 * fds of every process (files, directories, pipes, sockets with tuples from
 * /proc/net/{tcp,udp,tcp6,udp6,unix}, anonymous inodes), delivered one by
 * one as the same HR_REC_THREAD / HR_REC_FD records the file reader gives.
 */
#ifndef HR_PROC_SCAN_H
#define HR_PROC_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/scap_reader.h"

struct hr_proc_scan;

/* Starts a scan of `proc_root` (normally "/proc"). NULL with a message in
 * `err` if it cannot be read at all. */
struct hr_proc_scan *hr_proc_scan_open(const char *proc_root, char *err, size_t errlen);

/* The next thread or fd record; false when the scan is complete. Strings
 * in `rec` stay valid until the next call. Threads that vanish during the
 * scan are skipped. */
bool hr_proc_scan_next(struct hr_proc_scan *ps, struct hr_record *rec);

void hr_proc_scan_close(struct hr_proc_scan *ps);

/* Linux open(2) flags to the PPM_O_* bits of scap files. */
uint32_t hr_linux_open_flags_to_ppm(uint32_t flags);

#endif
