/*
 * Falco's load results (see load_results.h): collecting errors and
 * warnings, and printing them as Falco's summary/verbose text and JSON.
 */
#include "rules/load_results.h"

#include <stdlib.h>
#include <string.h>

#include "format/json_output.h"

static const char *const error_codes[] = {
	"LOAD_ERR_FILE_READ",         "LOAD_ERR_YAML_PARSE", "LOAD_ERR_YAML_VALIDATE", "LOAD_ERR_COMPILE_CONDITION",
	"LOAD_ERR_COMPILE_OUTPUT",    "LOAD_ERR_VALIDATE",   "LOAD_ERR_EXTENSION",
};

/* Falco's short descriptions; its JSON `codedesc` carries these too. */
static const char *const error_texts[] = {
	"File read error",
	"YAML parse error",
	"Error validating internal structure of YAML file",
	"Error compiling condition",
	"Error compiling output",
	"Error validating rule/macro/list/exception objects",
	"Error in extension item",
};

static const char *const warning_codes[] = {
	"LOAD_UNKNOWN_SOURCE",   "LOAD_UNSAFE_NA_CHECK",   "LOAD_NO_EVTTYPE",         "LOAD_UNKNOWN_FILTER",
	"LOAD_UNUSED_MACRO",     "LOAD_UNUSED_LIST",       "LOAD_UNKNOWN_ITEM",       "LOAD_DEPRECATED_ITEM",
	"LOAD_WARNING_EXTENSION", "LOAD_APPEND_NO_VALUES", "LOAD_EXCEPTION_NAME_NOT_UNIQUE",
	"LOAD_INVALID_MACRO_NAME", "LOAD_INVALID_LIST_NAME", "LOAD_COMPILE_CONDITION", "LOAD_UNKNOWN_KEY",
};

static const char *const warning_texts[] = {
	"Unknown event source",
	"Unsafe <NA> comparison in condition",
	"Condition has no event-type restriction",
	"Unknown field or event-type in condition or output",
	"Unused macro",
	"Unused list",
	"Unknown rules file item",
	"Used deprecated item",
	"Warning in extension item",
	"Overriding/appending with no values",
	"Multiple exceptions defined with the same name",
	"Invalid macro name",
	"Invalid list name",
	"Warning in rule condition",
	"Unknown key in item definition",
};

const char *hr_load_error_code(enum hr_load_error code) { return error_codes[code]; }
const char *hr_load_warning_code(enum hr_load_warning code) { return warning_codes[code]; }

struct hr_load_ctx hr_load_ctx_child(const struct hr_load_ctx *parent, const char *item_type, const char *item_name,
				     uint32_t line, uint32_t column, uint32_t offset)
{
	struct hr_load_ctx c = *parent;
	c.content = NULL;
	/* The deepest chains are file, rule, exceptions, exception, value:
	 * far below the limit; past it the innermost place is kept. */
	if (c.n == HR_LOAD_CTX_MAX)
		c.n--;
	c.loc[c.n++] = (struct hr_load_loc){
		.name = parent->n ? parent->loc[0].name : "",
		.item_type = item_type,
		.item_name = item_name ? item_name : "",
		.line = line,
		.column = column,
		.offset = offset,
	};
	return c;
}

void hr_load_result_init(struct hr_load_result *r, const char *name, const char *content)
{
	memset(r, 0, sizeof *r);
	r->name = strdup(name);
	r->content = content;
	r->content_len = content ? strlen(content) : 0;
	r->successful = true;
}

static void free_msgs(struct hr_load_msg *m, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free(m[i].msg);
	free(m);
}

void hr_load_result_free(struct hr_load_result *r)
{
	free(r->name);
	free_msgs(r->errors, r->nerrors);
	free_msgs(r->warnings, r->nwarnings);
	memset(r, 0, sizeof *r);
}

static void push(struct hr_load_msg **arr, uint32_t *n, uint32_t *cap, int code, const char *msg,
		 const struct hr_load_ctx *ctx)
{
	if (*n == *cap) {
		uint32_t c = *cap ? *cap * 2 : 8;
		struct hr_load_msg *a = realloc(*arr, c * sizeof *a);
		if (!a)
			abort();
		*arr = a;
		*cap = c;
	}
	char *copy = strdup(msg);
	if (!copy)
		abort();
	(*arr)[(*n)++] = (struct hr_load_msg){.code = code, .msg = copy, .ctx = *ctx};
}

void hr_load_error(struct hr_load_result *r, enum hr_load_error code, const char *msg, const struct hr_load_ctx *ctx)
{
	r->successful = false;
	push(&r->errors, &r->nerrors, &r->cap_errors, code, msg, ctx);
}

void hr_load_warning(struct hr_load_result *r, enum hr_load_warning code, const char *msg,
		     const struct hr_load_ctx *ctx)
{
	push(&r->warnings, &r->nwarnings, &r->cap_warnings, code, msg, ctx);
}

static void status_line(const struct hr_load_result *r, struct hr_strbuf *out)
{
	if (r->name && *r->name)
		hr_sb_printf(out, "%s: ", r->name);
	hr_sb_puts(out, r->successful ? (r->nwarnings ? "Ok, with warnings" : "Ok") : "Invalid");
}

static void ctx_text(const struct hr_load_ctx *c, struct hr_strbuf *out)
{
	for (unsigned i = 0; i < c->n; i++) {
		const struct hr_load_loc *l = &c->loc[i];
		hr_sb_puts(out, i == 0 ? "In " : "    ");
		hr_sb_puts(out, l->item_type);
		if (l->item_name && *l->item_name)
			hr_sb_printf(out, " '%s'", l->item_name);
		hr_sb_printf(out, ": (%s:%u:%u)\n", l->name, l->line, l->column);
	}
}

/* The line around the innermost position, cut to 160 characters, with a
 * caret under the position. */
static void snippet(const struct hr_load_result *r, const struct hr_load_ctx *c, struct hr_strbuf *out)
{
	const char *text = c->content ? c->content : r->content;
	if (!text || !*text || c->n == 0) {
		hr_sb_puts(out, "<No context available>\n");
		return;
	}
	size_t len = c->content ? strlen(text) : r->content_len, half = 80;
	size_t pos = c->content ? c->content_pos : c->loc[c->n - 1].offset;
	if (pos >= len)
		pos = len - 1;
	while (pos > 0 && text[pos] == '\n')
		pos--;
	size_t from = pos, to = pos;
	while (from > 0 && text[from - 1] != '\n' && pos - from < half)
		from--;
	while (to + 1 < len && text[to + 1] != '\n' && to - pos < half)
		to++;
	hr_sb_append(out, text + from, to - from + 1);
	hr_sb_putc(out, '\n');
	for (size_t i = from; i < pos; i++)
		hr_sb_putc(out, ' ');
	hr_sb_puts(out, "^\n");
}

void hr_load_result_text(const struct hr_load_result *r, bool verbose, struct hr_strbuf *out)
{
	status_line(r, out);
	if (!verbose) {
		if (r->nerrors) {
			hr_sb_printf(out, "\n %u errors: [", r->nerrors);
			for (uint32_t i = 0; i < r->nerrors; i++)
				hr_sb_printf(out, "%s%s (%s)", i ? " " : "", error_codes[r->errors[i].code],
					     error_texts[r->errors[i].code]);
			hr_sb_putc(out, ']');
		}
		if (r->nwarnings) {
			hr_sb_printf(out, "\n %u warnings: [", r->nwarnings);
			for (uint32_t i = 0; i < r->nwarnings; i++)
				hr_sb_printf(out, "%s%s (%s)", i ? " " : "", warning_codes[r->warnings[i].code],
					     warning_texts[r->warnings[i].code]);
			hr_sb_putc(out, ']');
		}
		return;
	}
	if (r->nerrors) {
		hr_sb_printf(out, "\n%u Errors:\n", r->nerrors);
		for (uint32_t i = 0; i < r->nerrors; i++) {
			const struct hr_load_msg *m = &r->errors[i];
			ctx_text(&m->ctx, out);
			hr_sb_puts(out, "------\n");
			snippet(r, &m->ctx, out);
			hr_sb_puts(out, "------\n");
			hr_sb_printf(out, "%s (%s): %s\n", error_codes[m->code], error_texts[m->code], m->msg);
		}
	}
	if (r->nwarnings) {
		hr_sb_printf(out, "\n%u Warnings:\n", r->nwarnings);
		for (uint32_t i = 0; i < r->nwarnings; i++) {
			const struct hr_load_msg *m = &r->warnings[i];
			ctx_text(&m->ctx, out);
			hr_sb_puts(out, "------\n");
			snippet(r, &m->ctx, out);
			hr_sb_puts(out, "------\n");
			hr_sb_printf(out, "%s (%s): %s\n", warning_codes[m->code], warning_texts[m->code], m->msg);
		}
	}
}

static void msg_json(const struct hr_load_result *r, const struct hr_load_msg *m, const char *code,
		     const char *desc, struct hr_strbuf *out)
{
	/* keys in the order Falco's JSON library prints them (sorted) */
	hr_sb_puts(out, "{\"code\":");
	hr_json_append_string(out, code);
	hr_sb_puts(out, ",\"codedesc\":");
	hr_json_append_string(out, desc);
	hr_sb_puts(out, ",\"context\":{\"locations\":[");
	for (unsigned i = 0; i < m->ctx.n; i++) {
		const struct hr_load_loc *l = &m->ctx.loc[i];
		hr_sb_puts(out, i ? ",{\"item_name\":" : "{\"item_name\":");
		hr_json_append_string(out, l->item_name ? l->item_name : "");
		hr_sb_puts(out, ",\"item_type\":");
		hr_json_append_string(out, l->item_type);
		hr_sb_puts(out, ",\"position\":{\"column\":");
		hr_sb_printf(out, "%u,\"line\":%u,\"name\":", l->column, l->line);
		hr_json_append_string(out, l->name ? l->name : "");
		hr_sb_printf(out, ",\"offset\":%u}}", l->offset);
	}
	hr_sb_puts(out, "],\"snippet\":");
	struct hr_strbuf snip = {0};
	snippet(r, &m->ctx, &snip);
	hr_json_append_string(out, hr_sb_str(&snip));
	hr_sb_free(&snip);
	hr_sb_puts(out, "},\"message\":");
	hr_json_append_string(out, m->msg);
	hr_sb_putc(out, '}');
}

void hr_load_result_json(const struct hr_load_result *r, struct hr_strbuf *out)
{
	hr_sb_puts(out, "{\"errors\":[");
	for (uint32_t i = 0; i < r->nerrors; i++) {
		if (i)
			hr_sb_putc(out, ',');
		msg_json(r, &r->errors[i], error_codes[r->errors[i].code], error_texts[r->errors[i].code], out);
	}
	hr_sb_puts(out, "],\"name\":");
	hr_json_append_string(out, r->name ? r->name : "");
	hr_sb_printf(out, ",\"successful\":%s,\"warnings\":[", r->successful ? "true" : "false");
	for (uint32_t i = 0; i < r->nwarnings; i++) {
		if (i)
			hr_sb_putc(out, ',');
		msg_json(r, &r->warnings[i], warning_codes[r->warnings[i].code], warning_texts[r->warnings[i].code],
			 out);
	}
	hr_sb_puts(out, "]}");
}
