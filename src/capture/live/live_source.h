/*
 * Live capture as a record source (capture/source.h): loads the eBPF probe,
 * maps one ring per CPU, streams the host's users and groups and the /proc
 * scan as user, group, thread and fd records, then the probe's events merged
 * by timestamp in scap encoding. SIGINT and SIGTERM (or the duration) end it
 * after the rings are drained.
 */
#ifndef HR_LIVE_SOURCE_H
#define HR_LIVE_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/source.h"

struct hr_live_options {
	uint32_t snaplen;       /* I/O bytes kept per event; 0 = 80 */
	uint32_t ring_bytes;    /* per CPU, a power of two; 0 = 8 MiB */
	double duration_s;      /* stop after this many seconds; 0 = until a signal */
	/* Called when the rings are empty, before each wait (every few ms
	 * while nothing happens): a printing or recording consumer flushes its
	 * output here, so that a live viewer sees events promptly without a
	 * flush per event. May be NULL. */
	void (*on_idle)(void *ctx);
	void *idle_ctx;
	/* For recordings sysdig 0.29.3 must read: 2022 ids where they exist,
	 * and each exit preceded by the enter event 0.29.3 needs (record_2022.h). */
	bool for_2022_recording;
	/* Which event ids the consumer wants (e.g. those its filter or rules
	 * can match); NULL = all. Syscalls whose events nobody wants pay only
	 * an early exit in the probe; state-changing ones are always recorded. */
	bool (*want_event)(void *ctx, uint16_t type);
	void *want_ctx;
	/* Generic `syscall` events (syscalls without an event of their own)
	 * are named after their syscall: when want_event wants them, this
	 * narrows them to the syscalls named `name` (as evt.type shows it)
	 * that the consumer can match; NULL = all of them. Called with
	 * want_ctx. */
	bool (*want_syscall)(void *ctx, const char *name);
};

/* Why a live capture could not start; each is also the program's exit code. */
enum hr_live_status {
	HR_LIVE_OK = 0,
	HR_LIVE_NOT_ROOT = 3,     /* needs root (CAP_BPF + CAP_PERFMON + CAP_SYS_ADMIN) */
	HR_LIVE_NO_BTF = 4,       /* the kernel exposes no BTF: CO-RE cannot work */
	HR_LIVE_BPF_REFUSED = 5,  /* the kernel or the verifier refused the probe */
	HR_LIVE_RING_FAILED = 6,  /* rings could not be created or mapped */
	HR_LIVE_SETUP_FAILED = 7, /* anything else (memory, /proc) */
};

/* When set, the probe's kernel types (CO-RE) are taken from the BTF file it
 * names instead of the running kernel's (as libbpf's btf_custom_path): for
 * kernels whose BTF is shipped apart, and to test the refusals (a missing or
 * unreadable file is HR_LIVE_NO_BTF; types that do not match make the
 * verifier refuse the probe, HR_LIVE_BPF_REFUSED). */
#define HR_LIVE_BTF_PATH_ENV "HARRIER_BTF_PATH"

/* Starts the capture. On failure returns NULL, sets *status and writes a
 * message (for the verifier: its last lines) to `err`. */
struct hr_source *hr_live_open(const struct hr_live_options *opt, enum hr_live_status *status, char *err,
			       size_t errlen);

struct hr_live_stats {
	uint64_t events;      /* written by the probe */
	uint64_t drops_full;  /* lost: a ring was full */
	uint64_t drops_read;  /* lost: the event could not be built */
};

/* Sums the per-CPU counters of a source made by hr_live_open. */
void hr_live_stats(struct hr_source *src, struct hr_live_stats *out);

#endif
