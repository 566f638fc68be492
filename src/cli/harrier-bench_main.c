/*
 * harrier-bench: reads a capture, decodes every event and keeps the state
 * up to date exactly as harrier-inspect does before printing, but prints
 * nothing per event. It measures the read+decode+state layer (make bench).
 *
 *   harrier-bench FILE
 *
 * Prints `events N`, `seconds S` (wall time of the read loop) and
 * `events_per_sec R`; exits 1 on a read error.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "capture/scap_reader.h"
#include "state/state.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: harrier-bench FILE\n");
		return 2;
	}
	double t0 = now();
	char err[512];
	struct hr_reader *r = hr_reader_open(argv[1], err, sizeof err);
	if (!r) {
		fprintf(stderr, "harrier-bench: %s\n", err);
		return 1;
	}
	struct hr_state *st = hr_state_new();
	static struct hr_record rec;
	enum hr_record_kind k;
	uint64_t events = 0;
	while ((k = hr_reader_next(r, &rec)) != HR_REC_END && k != HR_REC_ERROR) {
		if (k == HR_REC_EVENT) {
			hr_state_process_event(st, &rec.event);
			events++;
		} else {
			hr_state_apply_record(st, &rec);
		}
	}
	double secs = now() - t0;
	int status = 0;
	if (k == HR_REC_ERROR) {
		fprintf(stderr, "harrier-bench: %s: %s\n", argv[1], hr_reader_error(r));
		status = 1;
	}
	printf("events %" PRIu64 "\nseconds %.6f\nevents_per_sec %.0f\n", events, secs, secs > 0 ? events / secs : 0.0);
	hr_state_free(st);
	hr_reader_close(r);
	return status;
}
