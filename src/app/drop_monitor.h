/*
 * Falco's syscall event drop monitoring (`syscall_event_drops`): once per
 * second of event time the drop counters are checked (the live probe's
 * per-CPU counters; a capture file drops nothing; `simulate_drops` adds one
 * drop per check), a ratio of drops to events beyond the threshold
 * triggers the configured actions, rate-limited by a token bucket.
 */
#ifndef HR_DROP_MONITOR_H
#define HR_DROP_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { HR_DROP_IGNORE = 1, HR_DROP_LOG = 2, HR_DROP_ALERT = 4, HR_DROP_EXIT = 8 };

/* Event counts since the start (or, in `delta`, over the last check). */
struct hr_drop_counts {
	uint64_t events;        /* seen by the kernel, drops included */
	uint64_t drops;         /* all drops */
	uint64_t drops_buffer;  /* a ring was full */
	uint64_t drops_fault;   /* the event could not be read (page fault) */
};

struct hr_drop_monitor {
	unsigned actions;       /* HR_DROP_* */
	double threshold, rate, max_burst;
	bool simulate;
	uint64_t next_check_ts;
	uint64_t events_since_check; /* delivered, for a capture file */
	double tokens;
	uint64_t last_refill_ts;
	uint64_t detections, actions_taken;
	bool just_checked; /* the last event triggered a check of the counters */
	/* Live: reads the kernel's totals (false if it cannot). NULL when
	 * replaying: events are counted here and nothing is dropped. */
	bool (*read_counts)(void *ctx, struct hr_drop_counts *totals);
	void *counts_ctx;
	struct hr_drop_counts last;  /* totals at the last check */
	struct hr_drop_counts delta; /* over the last check, simulated drop included */
};

/* Reads the action names; false with Falco's message in `err` when they
 * (or the threshold) are invalid. `config_name` names the file in it. */
bool hr_drop_monitor_init(struct hr_drop_monitor *m, const char *const *actions, unsigned nactions, double threshold,
			  double rate, double max_burst, bool simulate, const char *config_name, char *err,
			  size_t errlen);

/* What the caller must do after an event. */
enum hr_drop_outcome { HR_DROP_NOTHING, HR_DROP_ACT, HR_DROP_ACT_AND_EXIT };

/* Called for every event delivered, with its timestamp. On HR_DROP_ACT*,
 * `msg` holds Falco's drop message for the log/alert actions and `delta`
 * the counts behind it. */
enum hr_drop_outcome hr_drop_monitor_event(struct hr_drop_monitor *m, uint64_t ts, char *msg, size_t msglen);

#endif
