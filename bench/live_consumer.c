/*
 * Consumer of bench/live_bench.py: a live capture whose every event goes
 * through Harrier's state engine and one filter (a rule condition), as a
 * detector's would, counted. Unlike harrier-inspect it names the syscalls
 * whose generic events it wants (the filter's type analysis cannot: every
 * evt.type check keeps generic events), so that the probe's interest table
 * is what a rules engine with those rules would set.
 *
 *   live_consumer SECS 'FILTER' [SYSCALL...]
 *
 * Prints "match TYPE" (flushed) for each matching event, and at the end
 * "events=N matched=M probe_events=P drops_full=F drops_read=R".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/live/live_source.h"
#include "fields/fields.h"
#include "filter/filter.h"
#include "state/state.h"

struct wants {
	struct hr_filter *filter;
	char **syscalls;
	int nsyscalls;
};

static bool wants_type(void *ctx, uint16_t type)
{
	return hr_filter_may_match_type(((struct wants *)ctx)->filter, type);
}

static bool wants_syscall(void *ctx, const char *name)
{
	struct wants *w = ctx;
	for (int i = 0; i < w->nsyscalls; i++)
		if (strcmp(w->syscalls[i], name) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: live_consumer SECS 'FILTER' [SYSCALL...]\n");
		return 2;
	}
	struct hr_filter_error ferr;
	struct wants w = {hr_filter_compile(argv[2], &ferr), argv + 3, argc - 3};
	if (!w.filter) {
		fprintf(stderr, "live_consumer: filter error at %zu: %s\n", ferr.pos, ferr.msg);
		return 2;
	}
	struct hr_live_options opt = {.duration_s = strtod(argv[1], NULL),
				      .want_event = wants_type,
				      .want_syscall = wants_syscall,
				      .want_ctx = &w};
	enum hr_live_status status;
	char err[512];
	struct hr_source *src = hr_live_open(&opt, &status, err, sizeof err);
	if (!src) {
		fprintf(stderr, "live_consumer: %s\n", err);
		hr_filter_free(w.filter);
		return (int)status;
	}
	struct hr_state *state = hr_state_new();
	struct hr_field_ctx fields;
	hr_field_ctx_init(&fields, state);
	static struct hr_record rec;
	unsigned long long events = 0, matched = 0;
	for (;;) {
		enum hr_record_kind k = hr_source_next(src, &rec);
		if (k == HR_REC_END || k == HR_REC_ERROR)
			break;
		if (k != HR_REC_EVENT) {
			hr_state_apply_record(state, &rec);
			continue;
		}
		events++;
		hr_state_process_event(state, &rec.event);
		if (hr_filter_match(w.filter, &fields, &rec.event)) {
			matched++;
			printf("match %s\n", hr_event_info(&rec.event)->name);
			fflush(stdout);
		}
	}
	struct hr_live_stats st;
	hr_live_stats(src, &st);
	printf("events=%llu matched=%llu probe_events=%llu drops_full=%llu drops_read=%llu\n", events, matched,
	       (unsigned long long)st.events, (unsigned long long)st.drops_full, (unsigned long long)st.drops_read);
	hr_source_close(src);
	hr_state_free(state);
	hr_filter_free(w.filter);
	return 0;
}
