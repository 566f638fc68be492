/* Falco's alert text and JSON (see alert_output.h). The rule output is
 * compiled once per rule as a line format led by the time field, so the
 * time also appears among the JSON output fields, as in Falco. */
#include "rules/alert_output.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format/json_output.h"

void hr_alert_formats_init(struct hr_alert_formats *af, uint32_t nrules)
{
	af->fmt = calloc(nrules + 1, sizeof *af->fmt);
	if (!af->fmt)
		abort();
	af->n = nrules;
	af->line = (struct hr_strbuf){0};
	af->fields = (struct hr_strbuf){0};
}

void hr_alert_formats_free(struct hr_alert_formats *af)
{
	for (uint32_t i = 0; i < af->n; i++)
		hr_line_format_free(af->fmt[i]);
	free(af->fmt);
	hr_sb_free(&af->line);
	hr_sb_free(&af->fields);
}

static struct hr_line_format *format_of(struct hr_alert_formats *af, const struct hr_alert_options *o, uint32_t ri,
					const struct hr_rule *r)
{
	if (af->fmt[ri])
		return af->fmt[ri];
	struct hr_strbuf text = {0};
	/* '*': missing fields print as <NA> (null in JSON), as Falco does */
	hr_sb_printf(&text, "*%s: %s %s", o->iso8601 ? "%evt.time.iso8601" : "%evt.time",
		     hr_priority_name(r->priority, false), r->output);
	for (unsigned i = 0; i < o->nappend; i++) {
		const struct hr_append_output *a = &o->append[i];
		bool tagged = !a->tag;
		for (uint32_t t = 0; !tagged && t < r->ntags; t++)
			tagged = !strcmp(r->tags[t], a->tag);
		if ((!a->source || !strcmp(a->source, r->source)) && (!a->rule || !strcmp(a->rule, r->name)) && tagged &&
		    a->extra_output)
			hr_sb_printf(&text, " %s", a->extra_output);
	}
	char err[256];
	af->fmt[ri] = hr_line_format_new(hr_sb_str(&text), err, sizeof err);
	if (!af->fmt[ri])
		fprintf(stderr, "harrier: rule '%s': cannot format its output: %s\n", r->name, err);
	hr_sb_free(&text);
	return af->fmt[ri];
}

/* Length of the valid UTF-8 sequence at `p` (at most `n` bytes) that is
 * not a C1 control, or 0. */
static size_t utf8_printable_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	if (!len || len > n || p[0] > 0xf4)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	uint32_t cp = len == 2 ? (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f)
		      : len == 3 ? (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f)
				 : (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 |
					   (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
	bool bad = overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f);
	return bad ? 0 : len;
}

/* The alert line with every byte that could end the line or drive a
 * terminal (C0/C1 controls, DEL, invalid UTF-8) written as \xHH, so event
 * data cannot forge or hide alerts. */
static void escape_line(const char *in, size_t n, struct hr_strbuf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	for (size_t i = 0; i < n;) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			hr_sb_putc(out, (char)p[i++]);
			continue;
		}
		size_t len = p[i] >= 0x80 ? utf8_printable_len(p + i, n - i) : 0;
		if (len) {
			hr_sb_append(out, in + i, len);
			i += len;
		} else {
			hr_sb_printf(out, "\\x%02x", p[i++]);
		}
	}
}

bool hr_alert_render(struct hr_alert_formats *af, const struct hr_alert_options *o, uint32_t ri,
		     const struct hr_rule *r, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_strbuf *out)
{
	struct hr_line_format *fmt = format_of(af, o, ri, r);
	if (!fmt)
		return false;
	hr_sb_reset(out);
	hr_line_format_render(fmt, ctx, e, &af->fields);
	hr_sb_reset(&af->line);
	escape_line(hr_sb_str(&af->fields), af->fields.len, &af->line);
	if (!o->json) {
		hr_sb_append(out, hr_sb_str(&af->line), af->line.len);
		return true;
	}
	hr_line_format_render_json(fmt, ctx, e, &af->fields);
	hr_sb_puts(out, "{\"hostname\":");
	hr_json_append_string(out, o->hostname);
	if (o->include_message) {
		/* the line after its "<time>: <Priority> " (no rendered time holds ": ") */
		char prefix[32];
		snprintf(prefix, sizeof prefix, ": %s ", hr_priority_name(r->priority, false));
		const char *line = hr_sb_str(&af->line), *at = strstr(line, prefix);
		hr_sb_puts(out, ",\"message\":");
		hr_json_append_string(out, at ? at + strlen(prefix) : line);
	}
	if (o->include_output) {
		hr_sb_puts(out, ",\"output\":");
		hr_json_append_string(out, hr_sb_str(&af->line));
	}
	if (o->include_fields) {
		hr_sb_puts(out, ",\"output_fields\":");
		hr_sb_append(out, hr_sb_str(&af->fields), af->fields.len);
	}
	hr_sb_puts(out, ",\"priority\":");
	hr_json_append_string(out, hr_priority_name(r->priority, false));
	hr_sb_puts(out, ",\"rule\":");
	hr_json_append_string(out, r->name);
	hr_sb_puts(out, ",\"source\":");
	hr_json_append_string(out, r->source);
	if (o->include_tags) {
		hr_sb_puts(out, ",\"tags\":[");
		for (uint32_t i = 0; i < r->ntags; i++) {
			if (i)
				hr_sb_putc(out, ',');
			hr_json_append_string(out, r->tags[i]);
		}
		hr_sb_putc(out, ']');
	}
	time_t secs = (time_t)(e->ts / 1000000000ull);
	struct tm tm;
	gmtime_r(&secs, &tm);
	char stamp[64];
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	hr_sb_printf(out, ",\"time\":\"%s.%09lluZ\"}", stamp, (unsigned long long)(e->ts % 1000000000ull));
	return true;
}
