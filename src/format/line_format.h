/*
 * sysdig's output formats (-p): a format string compiled once into literal
 * text and fields, then rendered per event as a text line or, with -j, as
 * a JSON object of the fields. A format starting with `*` prints lines with
 * missing fields (as <NA> or null); otherwise such events print nothing.
 */
#ifndef HR_LINE_FORMAT_H
#define HR_LINE_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "fields/fields.h"
#include "format/strbuf.h"

/* sysdig's default line. */
#define HR_DEFAULT_FORMAT "*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info"

struct hr_line_format;

/*
 * Compiles `format` (after sysdig's escape handling of \n, \t, \e and \\).
 * Returns NULL with `err` filled on a syntax error or an unknown field.
 */
struct hr_line_format *hr_line_format_new(const char *format, char *err, size_t errlen);
void hr_line_format_free(struct hr_line_format *fmt);

/* Renders one event into `out` (reset first). Returns false when the event
 * is not to be printed (a field is missing and the format has no `*`). */
bool hr_line_format_render(struct hr_line_format *fmt, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_strbuf *out);
bool hr_line_format_render_json(struct hr_line_format *fmt, struct hr_field_ctx *ctx,
				const struct hr_event *e, struct hr_strbuf *out);

/* Whether the format holds an escape character (a terminal color code). */
bool hr_line_format_has_escape(const struct hr_line_format *fmt);

#endif
