/*
 * Where alerts go: Falco's output channels (stdout_output, file_output,
 * program_output with keep_alive, syslog_output, http_output) opened from
 * the configuration, and one call that writes an alert line to all of them.
 */
#ifndef HR_ALERT_CHANNELS_H
#define HR_ALERT_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app/config.h"
#include "app/http_output.h"
#include "rules/rules_loader.h"

struct hr_alert_channels {
	bool to_stdout, to_syslog;
	bool buffered;        /* buffered_outputs: no flush per alert */
	FILE *file_out;
	const char *program;  /* program_output.program when enabled */
	FILE *program_pipe;   /* with program_output.keep_alive */
	struct hr_http_output *http; /* http_output when enabled and usable */
};

/* False with a message in `err` when an output cannot be opened. */
bool hr_alert_channels_open(struct hr_alert_channels *ch, const struct hr_config *c, char *err, size_t errlen);

/* Writes `line` (ending with its newline) to every enabled channel;
 * `prio` is the alert's priority, for syslog. */
void hr_alert_channels_emit(struct hr_alert_channels *ch, const char *line, size_t len, enum hr_priority prio);

/* Buffered outputs: pushes out what is pending (a live detector calls this
 * whenever the rings run empty). */
void hr_alert_channels_flush(struct hr_alert_channels *ch);

/* Closes the channels; the http output first delivers what is still
 * queued, for at most output_timeout. */
void hr_alert_channels_close(struct hr_alert_channels *ch);

#endif
