/*
 * Alerts as Falco prints them: the text line `<time>: <Priority> <output>`
 * (time as evt.time, or ISO 8601 in UTC), and the JSON object with
 * hostname, message (the output without time and priority), output,
 * output_fields (the format's fields, typed), priority, rule, source, tags
 * and time, keys in sorted order. Control characters
 * and invalid UTF-8 from event data are escaped in the text (\xHH); JSON
 * strings are escaped by the JSON writer.
 */
#ifndef HR_ALERT_OUTPUT_H
#define HR_ALERT_OUTPUT_H

#include <stdbool.h>

#include "format/line_format.h"
#include "rules/rules_loader.h"

/* An `append_output` entry: text added to the output of the rules it
 * matches (every rule when the match fields are NULL). */
struct hr_append_output {
	const char *source, *rule, *tag; /* match: source, rule name, one required tag */
	const char *extra_output;
};

struct hr_alert_options {
	const struct hr_append_output *append;
	unsigned nappend;
	bool json;
	bool iso8601;
	bool include_output;  /* json_include_output_property */
	bool include_tags;    /* json_include_tags_property */
	bool include_fields;  /* json_include_output_fields_property */
	bool include_message; /* json_include_message_property */
	const char *hostname;
};

struct hr_alert_formats {
	struct hr_line_format **fmt; /* per compiled rule, built when first used */
	uint32_t n;
	struct hr_strbuf line, fields;
};

void hr_alert_formats_init(struct hr_alert_formats *af, uint32_t nrules);
void hr_alert_formats_free(struct hr_alert_formats *af);

/* Renders the alert of rule `ri` for `e` into `out` (reset first), without
 * a trailing newline. False when the rule's output cannot be compiled. */
bool hr_alert_render(struct hr_alert_formats *af, const struct hr_alert_options *o, uint32_t ri,
		     const struct hr_rule *r, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_strbuf *out);

#endif
