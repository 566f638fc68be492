/*
 * The detector's run: every record of a source (a capture file or the live
 * probe) goes through the state engine, each syscall once (the enter half
 * of a pair folded into its exit and old layouts converted, as Falco's
 * libs do: src/event/event_merge.h) through the rules, and
 * alerts go out on the configured channels; drop monitoring, the
 * end-of-run summary and the exit code are decided here.
 */
#ifndef HR_DETECTOR_H
#define HR_DETECTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "app/alert_channels.h"
#include "app/config.h"
#include "app/drop_monitor.h"
#include "capture/source.h"
#include "fields/fields.h"
#include "format/strbuf.h"
#include "rules/alert_output.h"
#include "rules/rule_engine.h"
#include "state/container_hold.h"

#define HR_DETECTOR_MAX_APPEND 32


struct hr_detector {
	const struct hr_config *c;
	struct hr_rule_engine engine;
	struct hr_alert_formats formats;
	struct hr_alert_options alert;
	struct hr_append_output append[HR_DETECTOR_MAX_APPEND];
	char hostname[256];
	struct hr_alert_channels channels;
	struct hr_state *state;
	struct hr_event_merge *merge; /* replay: Falco's view of a capture's events */
	struct hr_container_runtime *runtime; /* live: container metadata lookups, or NULL */
	struct hr_field_ctx fields;
	struct hr_strbuf out;
	bool match_all;      /* rule_matching: all (else the first matching rule only) */
	bool monitor_drops;  /* syscall_event_drops configured */
	bool live;           /* events come from the probe (drop alerts say ebpf_enabled=1) */
	struct hr_drop_monitor drops;
	bool exit_requested; /* the drop monitor's exit action */
	uint64_t live_events; /* events read from the probe: their evt.num */
	/* live: events waiting for a new container's metadata, so that the
	 * alerts of its first processes name it (state/container_hold.h) */
	struct hr_event_hold hold;
	uint64_t captured, detected;
	uint64_t by_priority[8];
	uint64_t *by_rule;
};

/* Sets up rules (with `sel`), outputs and drop monitoring from the
 * configuration. False with a message in `err` on a configuration error. */
bool hr_detector_init(struct hr_detector *d, const struct hr_config *c, struct hr_ruleset *rs,
		      const struct hr_rule_selection *sel, char *err, size_t errlen);

/* Whether any enabled rule can match events of this type (for the probe's
 * interest table). */
bool hr_detector_wants_type(const struct hr_detector *d, uint16_t type);
/* ... and of the generic syscall events, those of the syscall `name`. */
bool hr_detector_wants_syscall(const struct hr_detector *d, const char *name);

/* Runs `src` to its end (or to `max_seconds` of wall time for a capture
 * file; a live source stops itself), then prints Falco's end-of-run
 * summary (with `verbose`, the statistics on stderr). Returns the exit
 * code: 0, or 1 on a read error or the drop monitor's exit action. */
int hr_detector_run(struct hr_detector *d, struct hr_source *src, const char *src_name, double max_seconds,
		    bool verbose);

/* Live: outputs buffered while events flowed go out (called when the
 * rings run empty). */
void hr_detector_idle(void *detector);

void hr_detector_free(struct hr_detector *d);

#endif
