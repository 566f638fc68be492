/* Syscall event drop monitoring (see drop_monitor.h). A capture file
 * drops nothing, so only simulated drops are ever detected when
 * replaying; live, the probe's counters are read at each check. */
#include "app/drop_monitor.h"

#include <stdio.h>
#include <string.h>

#define ONE_SECOND_NS 1000000000ull

bool hr_drop_monitor_init(struct hr_drop_monitor *m, const char *const *actions, unsigned nactions, double threshold,
			  double rate, double max_burst, bool simulate, const char *config_name, char *err,
			  size_t errlen)
{
	memset(m, 0, sizeof *m);
	for (unsigned i = 0; i < nactions; i++) {
		const char *a = actions[i];
		if (!strcmp(a, "ignore")) {
			m->actions |= HR_DROP_IGNORE;
		} else if (!strcmp(a, "log") || !strcmp(a, "alert")) {
			if (m->actions & HR_DROP_IGNORE) {
				snprintf(err, errlen,
					 "Error reading config file (%s): syscall event drop action \"%s\" does not make sense "
					 "with the \"ignore\" action",
					 config_name, a);
				return false;
			}
			m->actions |= a[0] == 'l' ? HR_DROP_LOG : HR_DROP_ALERT;
		} else if (!strcmp(a, "exit")) {
			m->actions |= HR_DROP_EXIT;
		} else {
			snprintf(err, errlen,
				 "Error reading config file (%s): available actions for syscall event drops are \"ignore\", "
				 "\"log\", \"alert\", and \"exit\"",
				 config_name);
			return false;
		}
	}
	if (!m->actions)
		m->actions = HR_DROP_IGNORE;
	if (threshold < 0 || threshold > 1) {
		snprintf(err, errlen,
			 "Error reading config file (%s): syscall event drops threshold must be a double in the range [0, 1]",
			 config_name);
		return false;
	}
	m->threshold = simulate ? 0 : threshold;
	m->rate = rate;
	m->max_burst = max_burst;
	m->tokens = max_burst;
	m->simulate = simulate;
	return true;
}

/* The token bucket: refilled at `rate` per second of event time, at most
 * `max_burst` tokens. */
static bool claim(struct hr_drop_monitor *m, uint64_t ts)
{
	if (m->last_refill_ts && ts > m->last_refill_ts) {
		m->tokens += m->rate * (double)(ts - m->last_refill_ts) / (double)ONE_SECOND_NS;
		if (m->tokens > m->max_burst)
			m->tokens = m->max_burst;
	}
	m->last_refill_ts = ts;
	if (m->tokens < 1)
		return false;
	m->tokens -= 1;
	return true;
}

enum hr_drop_outcome hr_drop_monitor_event(struct hr_drop_monitor *m, uint64_t ts, char *msg, size_t msglen)
{
	m->events_since_check++;
	m->just_checked = false;
	if (!m->next_check_ts)
		m->next_check_ts = ts + ONE_SECOND_NS;
	if (m->next_check_ts >= ts)
		return HR_DROP_NOTHING;
	m->next_check_ts = ts + ONE_SECOND_NS;
	m->just_checked = true;
	struct hr_drop_counts now;
	if (m->read_counts && m->read_counts(m->counts_ctx, &now)) {
		m->delta = (struct hr_drop_counts){now.events - m->last.events, now.drops - m->last.drops,
						   now.drops_buffer - m->last.drops_buffer,
						   now.drops_fault - m->last.drops_fault};
		m->last = now;
	} else {
		m->delta = (struct hr_drop_counts){.events = m->events_since_check};
	}
	m->events_since_check = 0;
	if (m->simulate)
		m->delta.drops++;
	uint64_t events = m->delta.events, drops = m->delta.drops;
	/* the kernel's event count includes the drops (Falco's ratio) */
	if (!drops || (events && (double)drops / (double)events <= m->threshold))
		return HR_DROP_NOTHING;
	m->detections++;
	if (!claim(m, ts))
		return HR_DROP_NOTHING;
	m->actions_taken++;
	snprintf(msg, msglen, "Falco internal: syscall event drop. %llu system calls dropped in last second.",
		 (unsigned long long)drops);
	return (m->actions & HR_DROP_EXIT) ? HR_DROP_ACT_AND_EXIT : HR_DROP_ACT;
}
