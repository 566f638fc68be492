/* Compiling and rendering sysdig output formats (see line_format.h), and
 * the transformer expressions Falco 0.44 accepts in them. */
#include "format/line_format.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"
#include "format/json_output.h"

/* Widths pad or cut a field; beyond this they are surely a mistake (sysdig
 * would try to allocate them). */
#define MAX_WIDTH 65536

struct token {
	bool is_field;
	bool json_only;           /* a field read by an expression: a JSON key, not text */
	size_t lit_off, lit_len;  /* literal text: a slice of fmt->text */
	struct hr_field field;
	struct hr_field_expr *expr; /* %tolower(...), %join(...)...: text, not a JSON key */
	int width;                /* %NNfield: pad or cut to NN characters; 0 = as is */
};

struct hr_line_format {
	bool require_all;
	char *text;               /* the format after escape handling */
	struct token *tokens;
	size_t ntokens;
	/* JSON keys: field tokens sorted by name, duplicates removed, the
	 * order of sysdig's JSON objects */
	size_t *json_order;
	size_t njson;
};

/* sysdig's escapes in formats: \n \t \e \\; other backslashes stay. */
static char *unescape(const char *s)
{
	size_t n = strlen(s);
	char *o = malloc(n + 1);
	if (!o)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[i + 1];
			char r = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'e' ? '\033' : c == '\\' ? '\\' : 0;
			if (r) {
				o[j++] = r;
				i++;
				continue;
			}
		}
		o[j++] = s[i];
	}
	o[j] = 0;
	return o;
}

static struct token *add_token(struct hr_line_format *fmt)
{
	struct token *t = realloc(fmt->tokens, (fmt->ntokens + 1) * sizeof *t);
	if (!t)
		return NULL;
	fmt->tokens = t;
	t = &fmt->tokens[fmt->ntokens++];
	memset(t, 0, sizeof *t);
	return t;
}

static bool add_literal(struct hr_line_format *fmt, size_t off, size_t len)
{
	if (len == 0)
		return true;
	struct token *t = add_token(fmt);
	if (!t)
		return false;
	t->lit_off = off;
	t->lit_len = len;
	return true;
}

static int by_field_name(const void *a, const void *b, void *arg)
{
	const struct hr_line_format *fmt = arg;
	const struct token *ta = &fmt->tokens[*(const size_t *)a];
	const struct token *tb = &fmt->tokens[*(const size_t *)b];
	return strcmp(ta->field.text, tb->field.text);
}

static bool build_json_order(struct hr_line_format *fmt)
{
	fmt->json_order = calloc(fmt->ntokens + 1, sizeof *fmt->json_order);
	if (!fmt->json_order)
		return false;
	for (size_t i = 0; i < fmt->ntokens; i++)
		if (fmt->tokens[i].is_field)
			fmt->json_order[fmt->njson++] = i;
	qsort_r(fmt->json_order, fmt->njson, sizeof *fmt->json_order, by_field_name, fmt);
	size_t u = 0;
	for (size_t i = 0; i < fmt->njson; i++)
		if (u == 0 || strcmp(fmt->tokens[fmt->json_order[u - 1]].field.text,
				     fmt->tokens[fmt->json_order[i]].field.text) != 0)
			fmt->json_order[u++] = fmt->json_order[i];
	fmt->njson = u;
	return true;
}

/* When a transformer expression starts at `text`: makes token `ti` of it,
 * adds a JSON-only token for each field it reads (Falco's output fields
 * list those, not the expression), moves *j past it and returns 1; 0 when
 * none starts there, -1 with `err` set when it is malformed. */
static int add_expression(struct hr_line_format *fmt, size_t ti, const char *text, size_t *j, char *err,
			  size_t errlen)
{
	size_t used;
	struct hr_filter_error ferr;
	struct hr_field_expr *x = hr_field_expr_compile(text, &used, &ferr);
	if (!x) {
		if (!ferr.msg[0])
			return 0;
		snprintf(err, errlen, "invalid formatting token at %.*s: %s (at its character %zu)",
			 (int)strcspn(text, " \t"), text, ferr.msg, ferr.pos);
		return -1;
	}
	fmt->tokens[ti].expr = x;
	*j += used;
	for (uint32_t i = 0; i < hr_field_expr_nfields(x); i++) {
		const char *name = hr_field_expr_field(x, i);
		struct token *f = add_token(fmt);
		if (!f) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if (hr_field_parse(&f->field, name, true, err, errlen) < 0)
			return -1;
		f->is_field = f->json_only = true;
	}
	return 1;
}

struct hr_line_format *hr_line_format_new(const char *format, char *err, size_t errlen)
{
	struct hr_line_format *fmt = calloc(1, sizeof *fmt);
	if (!fmt || !(fmt->text = unescape(format))) {
		snprintf(err, errlen, "out of memory");
		free(fmt);
		return NULL;
	}
	char *s = fmt->text;
	if (!*s) {
		snprintf(err, errlen, "empty formatting token");
		goto fail;
	}
	fmt->require_all = true;
	if (*s == '*') {
		fmt->require_all = false;
		s++;
	}
	size_t base = (size_t)(s - fmt->text);
	size_t n = strlen(s), lit_start = 0, j;
	for (j = 0; j < n; j++) {
		if (s[j] != '%')
			continue;
		if (!add_literal(fmt, base + lit_start, j - lit_start))
			goto oom;
		if (j == n - 1) {
			snprintf(err, errlen, "invalid formatting syntax: formatting cannot end with a %%");
			goto fail;
		}
		int width = 0;
		if (isdigit((unsigned char)s[j + 1])) {
			long w = strtol(s + j + 1, NULL, 10);
			if (w > MAX_WIDTH) {
				snprintf(err, errlen, "invalid formatting syntax: field width above %d", MAX_WIDTH);
				goto fail;
			}
			width = (int)w;
			while (isdigit((unsigned char)s[j + 1])) {
				if (j + 1 == n - 1) {
					snprintf(err, errlen, "invalid formatting syntax: formatting cannot end with a number");
					goto fail;
				}
				j++;
			}
		}
		struct token *t = add_token(fmt);
		if (!t)
			goto oom;
		t->width = width;
		int expr = add_expression(fmt, fmt->ntokens - 1, s + j + 1, &j, err, errlen);
		if (expr < 0)
			goto fail;
		if (!expr) {
			t->is_field = true;
			int used = hr_field_parse(&t->field, s + j + 1, true, err, errlen);
			if (used < 0)
				goto fail;
			j += (size_t)used;
		}
		lit_start = j + 1;
	}
	if (!add_literal(fmt, base + lit_start, n - lit_start) || !build_json_order(fmt))
		goto oom;
	return fmt;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	hr_line_format_free(fmt);
	return NULL;
}

void hr_line_format_free(struct hr_line_format *fmt)
{
	if (!fmt)
		return;
	for (size_t i = 0; i < fmt->ntokens; i++) {
		if (fmt->tokens[i].is_field)
			hr_field_free(&fmt->tokens[i].field);
		hr_field_expr_free(fmt->tokens[i].expr);
	}
	free(fmt->tokens);
	free(fmt->json_order);
	free(fmt->text);
	free(fmt);
}

bool hr_line_format_render(struct hr_line_format *fmt, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_strbuf *out)
{
	/* Every field is computed even once the line is known to be skipped:
	 * fields that remember past events (evt.deltatime) see all of them. */
	bool shown = true;
	hr_sb_reset(out);
	for (size_t i = 0; i < fmt->ntokens; i++) {
		struct token *t = &fmt->tokens[i];
		if (t->json_only)
			continue;
		if (!t->is_field && !t->expr) {
			hr_sb_append(out, fmt->text + t->lit_off, t->lit_len);
			continue;
		}
		size_t start = out->len;
		bool has = t->expr ? hr_field_expr_to_string(t->expr, ctx, e, out) : hr_field_to_string(&t->field, ctx, e, out);
		if (!has) {
			if (fmt->require_all)
				shown = false;
			hr_sb_puts(out, "<NA>");
		}
		if (t->width) {
			size_t got = out->len - start, want = (size_t)t->width;
			if (got > want) {
				out->len = start + want;
				out->p[out->len] = 0;
			}
			while (got++ < want)
				hr_sb_putc(out, ' ');
		}
	}
	return shown;
}

bool hr_line_format_render_json(struct hr_line_format *fmt, struct hr_field_ctx *ctx,
				const struct hr_event *e, struct hr_strbuf *out)
{
	bool shown = true;
	hr_sb_reset(out);
	hr_sb_putc(out, '{');
	for (size_t k = 0; k < fmt->njson; k++) {
		struct token *t = &fmt->tokens[fmt->json_order[k]];
		if (k)
			hr_sb_putc(out, ',');
		hr_json_append_string(out, t->field.text);
		hr_sb_putc(out, ':');
		if (!hr_field_to_json(&t->field, ctx, e, out) && fmt->require_all)
			shown = false;
	}
	hr_sb_putc(out, '}');
	return shown;
}

bool hr_line_format_has_escape(const struct hr_line_format *fmt)
{
	return strchr(fmt->text, '\033') != NULL;
}
