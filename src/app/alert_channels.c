/* Falco's output channels (see alert_channels.h). */
#include "app/alert_channels.h"

#include <string.h>
#include <syslog.h>

bool hr_alert_channels_open(struct hr_alert_channels *ch, const struct hr_config *c, char *err, size_t errlen)
{
	memset(ch, 0, sizeof *ch);
	ch->to_stdout = hr_config_bool(c, "stdout_output.enabled", true);
	ch->to_syslog = hr_config_bool(c, "syslog_output.enabled", false);
	ch->buffered = hr_config_bool(c, "buffered_outputs", false);
	if (hr_config_bool(c, "program_output.enabled", false)) {
		ch->program = hr_config_get(c, "program_output.program");
		if (ch->program && hr_config_bool(c, "program_output.keep_alive", false))
			ch->program_pipe = popen(ch->program, "w");
	}
	if (hr_config_bool(c, "file_output.enabled", false)) {
		const char *fname = hr_config_get(c, "file_output.filename");
		ch->file_out = fname ? fopen(fname, "a") : NULL;
		if (!ch->file_out) {
			snprintf(err, errlen, "could not open the file output %s", fname ? fname : "(no filename)");
			hr_alert_channels_close(ch);
			return false;
		}
	}
	ch->http = hr_http_output_open(c);
	return true;
}

void hr_alert_channels_emit(struct hr_alert_channels *ch, const char *line, size_t len, enum hr_priority prio)
{
	if (ch->to_stdout) {
		fwrite(line, 1, len, stdout);
		if (!ch->buffered)
			fflush(stdout);
	}
	if (ch->file_out) {
		fwrite(line, 1, len, ch->file_out);
		if (!ch->buffered)
			fflush(ch->file_out);
	}
	if (ch->to_syslog)
		syslog(LOG_USER | (int)prio, "%.*s", (int)(len ? len - 1 : 0), line);
	if (ch->program) {
		/* keep_alive: one program for the whole run; else one per alert */
		FILE *f = ch->program_pipe ? ch->program_pipe : popen(ch->program, "w");
		if (f) {
			fwrite(line, 1, len, f);
			if (ch->program_pipe)
				fflush(f);
			else
				pclose(f);
		}
	}
	if (ch->http)
		hr_http_output_post(ch->http, line, len && line[len - 1] == '\n' ? len - 1 : len);
}

void hr_alert_channels_flush(struct hr_alert_channels *ch)
{
	if (ch->to_stdout)
		fflush(stdout);
	if (ch->file_out)
		fflush(ch->file_out);
	if (ch->program_pipe)
		fflush(ch->program_pipe);
}

void hr_alert_channels_close(struct hr_alert_channels *ch)
{
	hr_http_output_close(ch->http);
	ch->http = NULL;
	if (ch->file_out)
		fclose(ch->file_out);
	if (ch->program_pipe)
		pclose(ch->program_pipe);
	ch->file_out = ch->program_pipe = NULL;
}
