/*
 * Compiling the collected definitions (Falco's compiler): lists expanded
 * through earlier lists, list names substituted in condition text,
 * conditions read with Falco's grammar, macros expanded in place,
 * exceptions turned into `and not (...)` clauses, outputs checked, and
 * every rule's condition compiled by the filter engine; then the warnings
 * about unused lists/macros and rules without an event-type restriction.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event_table.h"
#include "fields/fields.h"
#include "filter/filter.h"
#include "rules/rules_condition.h"
#include "rules/rules_internal.h"

#define MAX_EVTTYPES_WITHOUT_WARNING 100

struct compiled_list {
	const char **items;
	uint32_t nitems;
	bool used;
};

struct compiled_macro {
	char *text;       /* after list substitution */
	struct hr_cond_parse parse;
	char *expanded;   /* with macros expanded, once resolved */
	bool resolving, used;
};

struct compiler {
	struct hr_ruleset *rs;
	struct hr_load_result *res;
	struct hr_load_fail *fail;
	struct compiled_list *lists;
	struct compiled_macro *macros;
	/* Fields and outputs found valid already (rules repeat them: a
	 * field parse searches every field name). */
	struct hr_name_index known_fields, valid_outputs;
};

static bool failf(struct compiler *c, enum hr_load_error code, const struct hr_load_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bool failf(struct compiler *c, enum hr_load_error code, const struct hr_load_ctx *ctx, const char *fmt, ...)
{
	c->fail->code = code;
	c->fail->ctx = *ctx;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->fail->msg, sizeof c->fail->msg, fmt, ap);
	va_end(ap);
	return false;
}

/* The location of a position inside a condition: the condition quoted
 * (first 17 characters and "..." when longer), as Falco names it. */
static struct hr_load_ctx condition_ctx(struct compiler *c, const struct hr_load_ctx *parent, const char *cond,
					uint32_t pos, uint32_t line, uint32_t col)
{
	char *name = strlen(cond) > 20 ? hr_arena_printf(&c->rs->arena, "\"%.17s...\"", cond)
				       : hr_arena_printf(&c->rs->arena, "\"%s\"", cond);
	for (char *p = name; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	const struct hr_load_loc *last = &parent->loc[parent->n - 1];
	struct hr_load_ctx ctx = hr_load_ctx_child(parent, HR_IT_CONDITION_EXPRESSION, "", last->line + line,
						   last->column + col, last->offset + pos);
	ctx.loc[ctx.n - 1].name = name;
	ctx.content = hr_arena_strdup(&c->rs->arena, cond);
	ctx.content_pos = pos;
	return ctx;
}

static int list_index(struct hr_ruleset *rs, const char *name)
{
	return (int)hr_name_index_find(&rs->list_names, name, strlen(name));
}

static int macro_index(struct hr_ruleset *rs, const char *name, size_t len)
{
	return (int)hr_name_index_find(&rs->macro_names, name, len);
}

static void compile_lists(struct compiler *c)
{
	struct hr_ruleset *rs = c->rs;
	for (uint32_t i = 0; i < rs->nlists; i++) {
		const struct hr_list_info *l = &rs->lists[i];
		uint32_t n = 0;
		for (uint32_t k = 0; k < l->nitems; k++) {
			int ref = list_index(rs, l->items[k]);
			n += ref >= 0 && rs->lists[ref].index < l->visibility ? rs->lists[ref].nitems : 1;
		}
		const char **items = hr_arena_alloc(&rs->arena, (n + 1) * sizeof *items);
		n = 0;
		for (uint32_t k = 0; k < l->nitems; k++) {
			int ref = list_index(rs, l->items[k]);
			if (ref >= 0 && rs->lists[ref].index < l->visibility) {
				c->lists[ref].used = true;
				for (uint32_t j = 0; j < rs->lists[ref].nitems; j++)
					items[n++] = rs->lists[ref].items[j];
			} else {
				items[n++] = l->items[k];
			}
		}
		c->lists[i].items = items;
		c->lists[i].nitems = n;
	}
}

static bool is_list_delimiter(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == ',' || c == '=';
}

/* The first list, in definition order after position `after`, whose name
 * is a whole word of `text`; -1 when none. */
static int64_t next_list_used(struct compiler *c, const char *text, int64_t after)
{
	int64_t best = -1;
	for (const char *p = text; *p;) {
		if (is_list_delimiter(*p)) {
			p++;
			continue;
		}
		const char *w = p;
		while (*p && !is_list_delimiter(*p))
			p++;
		int64_t i = hr_name_index_find(&c->rs->list_names, w, (size_t)(p - w));
		if (i > after && (best < 0 || i < best))
			best = i;
	}
	return best;
}

/* The condition with list names substituted as Falco does, on the text
 * before parsing, one list after the other in definition order (items
 * that name a later list are substituted in turn); malloc'ed. Only lists
 * whose names occur as words are tried. */
static char *substitute_lists(struct compiler *c, const char *cond)
{
	char *text = strdup(cond);
	if (!text)
		abort();
	for (int64_t i = next_list_used(c, text, -1); i >= 0; i = next_list_used(c, text, i)) {
		char *next = hr_cond_substitute_list(text, c->rs->lists[i].name, c->lists[i].items, c->lists[i].nitems);
		if (next) {
			free(text);
			text = next;
			c->lists[i].used = true;
		}
	}
	return text;
}

static bool parse(struct compiler *c, const char *text, const struct hr_load_ctx *ctx, struct hr_cond_parse *p)
{
	hr_cond_parse(text, p);
	if (p->ok)
		return true;
	struct hr_load_ctx ectx = condition_ctx(c, ctx, text, p->err_pos, p->err_line - 1, p->err_col - 1);
	failf(c, LOAD_ERR_COMPILE_CONDITION, &ectx, "%s", p->err);
	hr_cond_parse_free(p);
	return false;
}

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = *cap ? *cap : 256;
		while (*len + n + 1 > nc)
			nc *= 2;
		char *b = realloc(*buf, nc);
		if (!b)
			abort();
		*buf = b;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
}

static bool expand_macro(struct compiler *c, uint32_t m, const struct hr_load_ctx *ctx);

/* `text` (already parsed into `p`) with every macro reference replaced by
 * its expansion in parentheses; macros visible are those defined before
 * `visibility`. NULL after a failure. */
static char *expand(struct compiler *c, const char *text, const struct hr_cond_parse *p, uint32_t visibility,
		    const struct hr_load_ctx *ctx)
{
	char *out = NULL;
	size_t len = 0, cap = 0, from = 0;
	append(&out, &len, &cap, "", 0);
	for (uint32_t i = 0; i < p->nmacros; i++) {
		const struct hr_cond_span *s = &p->macros[i];
		int m = macro_index(c->rs, text + s->start, s->len);
		if (m < 0 || c->rs->macros[m].index >= visibility) {
			struct hr_load_ctx ectx = condition_ctx(c, ctx, text, s->start, 0, s->start);
			failf(c, LOAD_ERR_VALIDATE, &ectx, "Undefined macro '%.*s' used in filter.", (int)s->len,
			      text + s->start);
			free(out);
			return NULL;
		}
		if (!expand_macro(c, (uint32_t)m, ctx)) {
			free(out);
			return NULL;
		}
		c->macros[m].used = true;
		append(&out, &len, &cap, text + from, s->start - from);
		append(&out, &len, &cap, "(", 1);
		append(&out, &len, &cap, c->macros[m].expanded, strlen(c->macros[m].expanded));
		append(&out, &len, &cap, ")", 1);
		from = s->start + s->len;
	}
	append(&out, &len, &cap, text + from, strlen(text + from));
	return out;
}

static bool expand_macro(struct compiler *c, uint32_t m, const struct hr_load_ctx *ctx)
{
	struct compiled_macro *cm = &c->macros[m];
	if (cm->expanded)
		return true;
	if (cm->resolving)
		return failf(c, LOAD_ERR_VALIDATE, ctx, "reference loop in macro '%s'", c->rs->macros[m].name);
	cm->resolving = true;
	cm->expanded = expand(c, cm->text, &cm->parse, c->rs->macros[m].visibility, &c->rs->macros[m].ctx);
	cm->resolving = false;
	return cm->expanded != NULL;
}

static bool compile_macros(struct compiler *c)
{
	struct hr_ruleset *rs = c->rs;
	for (uint32_t i = 0; i < rs->nmacros; i++) {
		c->macros[i].text = substitute_lists(c, rs->macros[i].cond);
		if (!parse(c, c->macros[i].text, &rs->macros[i].cond_ctx, &c->macros[i].parse))
			return false;
	}
	for (uint32_t i = 0; i < rs->nmacros; i++)
		if (!expand_macro(c, i, &rs->macros[i].ctx))
			return false;
	return true;
}

/* ---- exceptions as condition text (Falco's exact shapes) ---- */

static void quoted_item(char **buf, size_t *len, size_t *cap, const char *item)
{
	bool quote = strchr(item, ' ') && item[0] != '"' && item[0] != '\'';
	if (quote)
		append(buf, len, cap, "\"", 1);
	append(buf, len, cap, item, strlen(item));
	if (quote)
		append(buf, len, cap, "\"", 1);
}

static bool is_list_operator(const char *op)
{
	return !strcmp(op, "in") || !strcmp(op, "intersects") || !strcmp(op, "pmatch") || strchr(op, ' ');
}

static char *with_exceptions(struct compiler *c, const struct hr_rule_info *r)
{
	char *cond = NULL;
	size_t len = 0, cap = 0;
	/* only a rule with exceptions has its condition parenthesized */
	bool paren = r->nexceptions > 0;
	append(&cond, &len, &cap, "(", paren);
	append(&cond, &len, &cap, r->cond, strlen(r->cond));
	append(&cond, &len, &cap, ")", paren);
	for (uint32_t e = 0; e < r->nexceptions; e++) {
		const struct hr_exception *ex = &r->exceptions[e];
		char *ic = NULL;
		size_t il = 0, icap = 0;
		append(&ic, &il, &icap, "", 0);
		if (!ex->fields.is_list) {
			for (uint32_t v = 0; v < ex->nvalues; v++) {
				if (ex->values[v].is_list) {
					failf(c, LOAD_ERR_VALIDATE, &ex->ctx, "Expected values array to contain a list of strings");
					free(ic);
					free(cond);
					return NULL;
				}
				if (il == 0) {
					append(&ic, &il, &icap, "(", 1);
					append(&ic, &il, &icap, ex->fields.item, strlen(ex->fields.item));
					append(&ic, &il, &icap, " ", 1);
					append(&ic, &il, &icap, ex->comps.item, strlen(ex->comps.item));
					append(&ic, &il, &icap, " (", 2);
				} else {
					append(&ic, &il, &icap, ", ", 2);
				}
				quoted_item(&ic, &il, &icap, ex->values[v].item ? ex->values[v].item : "");
			}
			if (il)
				append(&ic, &il, &icap, "))", 2);
		} else {
			append(&ic, &il, &icap, "(", 1);
			for (uint32_t v = 0; v < ex->nvalues; v++) {
				const struct hr_ex_entry *row = &ex->values[v];
				uint32_t nrow = row->is_list ? row->nitems : 0;
				if (ex->fields.nitems != nrow) {
					failf(c, LOAD_ERR_VALIDATE, &ex->ctx, "Fields and values lists must have equal length");
					free(ic);
					free(cond);
					return NULL;
				}
				if (v)
					append(&ic, &il, &icap, " or ", 4);
				append(&ic, &il, &icap, "(", 1);
				for (uint32_t k = 0; k < ex->fields.nitems; k++) {
					if (k)
						append(&ic, &il, &icap, " and ", 5);
					const char *field = ex->fields.items[k].item, *op = ex->comps.items[k].item;
					append(&ic, &il, &icap, " ", 1);
					append(&ic, &il, &icap, field, strlen(field));
					append(&ic, &il, &icap, " ", 1);
					append(&ic, &il, &icap, op, strlen(op));
					append(&ic, &il, &icap, " ", 1);
					const struct hr_ex_entry *val = &row->items[k];
					if (val->is_list) {
						append(&ic, &il, &icap, "(", 1);
						for (uint32_t j = 0; j < val->nitems; j++) {
							if (j)
								append(&ic, &il, &icap, ", ", 2);
							quoted_item(&ic, &il, &icap, val->items[j].item ? val->items[j].item : "");
						}
						append(&ic, &il, &icap, ")", 1);
					} else if (is_list_operator(op)) {
						const char *s = val->item ? val->item : "";
						if (s[0] != '(')
							append(&ic, &il, &icap, "(", 1);
						append(&ic, &il, &icap, s, strlen(s));
						if (s[0] != '(')
							append(&ic, &il, &icap, ")", 1);
					} else {
						quoted_item(&ic, &il, &icap, val->item ? val->item : "");
					}
				}
				append(&ic, &il, &icap, ")", 1);
			}
			append(&ic, &il, &icap, ")", 1);
			if (!strcmp(ic, "()"))
				il = 0;
		}
		if (il) {
			append(&cond, &len, &cap, " and not ", 9);
			append(&cond, &len, &cap, ic, il);
		}
		free(ic);
	}
	return cond;
}

/* ---- outputs ---- */

/* Falco's check of an output format: every %field must be a field (or
 * %(field)) or a transformer expression; false with Falco's message
 * otherwise. */
static bool output_valid(struct compiler *c, const char *fmt, char *err, size_t errlen)
{
	if (hr_name_index_find(&c->valid_outputs, fmt, strlen(fmt)) >= 0)
		return true;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		const char *f = p + 1;
		bool paren = *f == '(';
		if (paren)
			f++;
		size_t used;
		struct hr_filter_error xerr;
		struct hr_field_expr *x = hr_field_expr_compile(f, &used, &xerr);
		if (x) { /* a transformer expression (Falco 0.44) */
			hr_field_expr_free(x);
			p = f + used - 1 + (paren && f[used] == ')');
			continue;
		}
		if (xerr.msg[0]) {
			snprintf(err, errlen, "invalid formatting token %.*s: %s", (int)strcspn(f, " \t\n"), f, xerr.msg);
			return false;
		}
		struct hr_field field;
		char ferr[200];
		int n = hr_field_parse(&field, f, true, ferr, sizeof ferr);
		if (n > 0) {
			hr_field_free(&field);
			p = f + n - 1 + (paren && f[n] == ')');
			continue;
		}
		size_t tok = 0;
		while (f[tok] && f[tok] != ' ' && f[tok] != '\t' && f[tok] != '\n' && (!paren || f[tok] != ')'))
			tok++;
		snprintf(err, errlen, "invalid formatting token %.*s", (int)tok, f);
		return false;
	}
	hr_name_index_add(&c->valid_outputs, fmt, 0); /* the rule set's string: it outlives the compile */
	return true;
}

/* ---- rules ---- */

static bool is_event_name(const char *s, size_t n)
{
	for (unsigned i = 0; i < HR_EVENT_MAX; i++) {
		const char *name = hr_event_table[i].name;
		if (name && strlen(name) == n && !strncmp(name, s, n))
			return true;
	}
	for (unsigned i = 0; i < HR_SYSCALL_MAX; i++) {
		const char *name = hr_syscall_names[i].name;
		if (name && strlen(name) == n && !strncmp(name, s, n))
			return true;
	}
	return false;
}

/* Falco's unknown-field and unknown-event-type errors, found on the fully
 * expanded condition; false with the message in `err`. */
static bool fields_known(struct compiler *c, const char *text, const struct hr_cond_parse *p, char *err,
			 size_t errlen)
{
	for (uint32_t i = 0; i < p->nfields; i++) {
		const struct hr_cond_span *s = &p->fields[i];
		if (hr_name_index_find(&c->known_fields, text + s->start, s->len) >= 0)
			continue;
		char name[300];
		snprintf(name, sizeof name, "%.*s", (int)s->len, text + s->start);
		struct hr_field f;
		char ferr[200];
		int n = hr_field_parse(&f, name, false, ferr, sizeof ferr);
		if (n > 0)
			hr_field_free(&f);
		if (n <= 0 || name[n] != 0) {
			/* the field name without its argument */
			char *bracket = strchr(name, '[');
			if (bracket)
				*bracket = 0;
			snprintf(err, errlen, "filter_check called with nonexistent field %.200s", name);
			return false;
		}
		hr_name_index_add(&c->known_fields, hr_arena_strndup(&c->rs->arena, text + s->start, s->len), 0);
	}
	for (uint32_t i = 0; i < p->nevttypes; i++) {
		const struct hr_cond_span *s = &p->evttypes[i];
		const char *v = text + s->start;
		size_t n = s->len;
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v++;
			n -= 2;
		}
		if (!is_event_name(v, n)) {
			snprintf(err, errlen, "unknown event type %.*s", (int)n, v);
			return false;
		}
	}
	return true;
}

static bool add_rule(struct compiler *c, const struct hr_rule_info *r, const char *output, char *cond,
		     struct hr_filter *filter)
{
	struct hr_ruleset *rs = c->rs;
	if (rs->nrules == rs->cap_rules) {
		uint32_t cap = rs->cap_rules ? rs->cap_rules * 2 : 64;
		struct hr_rule *a = realloc(rs->rules, cap * sizeof *a);
		if (!a)
			abort();
		rs->rules = a;
		rs->cap_rules = cap;
	}
	rs->rules[rs->nrules++] = (struct hr_rule){
		.name = r->name,
		.desc = r->desc,
		.output = output,
		.source = r->source,
		.condition = hr_arena_strdup(&rs->arena, cond),
		.priority = r->priority,
		.tags = r->tags,
		.ntags = r->ntags,
		.enabled = r->enabled,
		.filter = filter,
	};
	return true;
}

/* Compiles one rule; false on an error (in c->fail). A rule skipped with a
 * warning returns true without being added. */
/* `output` without its `%container.info` tokens (deprecated in Falco,
 * which drops them with a warning). */
static const char *drop_container_info(struct compiler *c, const struct hr_rule_info *r)
{
	static const char token[] = "%container.info";
	if (!strstr(r->output, token))
		return r->output;
	hr_load_warning(c->res, LOAD_DEPRECATED_ITEM,
			"%container.info is deprecated and no more useful, and will be dropped by Falco 1.0.0. The "
			"container plugin will automatically add required fields to the output message.",
			&r->ctx);
	char *out = hr_arena_strdup(&c->rs->arena, r->output), *at;
	while ((at = strstr(out, token)))
		memmove(at, at + sizeof token - 1, strlen(at + sizeof token - 1) + 1);
	return out;
}

static bool compile_rule(struct compiler *c, const struct hr_rule_info *r)
{
	char err[300];
	const char *output = drop_container_info(c, r);
	if (!output_valid(c, output, err, sizeof err)) {
		if (r->skip_if_unknown_filter) {
			hr_load_warning(c->res, LOAD_UNKNOWN_FILTER, err, &r->output_ctx);
			return true;
		}
		return failf(c, LOAD_ERR_COMPILE_OUTPUT, &r->output_ctx, "%s", err);
	}
	char *with_ex = with_exceptions(c, r);
	if (!with_ex)
		return false;
	char *text = substitute_lists(c, with_ex);
	free(with_ex);
	struct hr_cond_parse p, full;
	bool ok = false;
	char *expanded = NULL;
	if (!parse(c, text, &r->cond_ctx, &p))
		goto out;
	expanded = expand(c, text, &p, UINT32_MAX, &r->ctx);
	if (!expanded)
		goto out_parse;
	hr_cond_parse(expanded, &full);
	struct hr_load_ctx ectx = condition_ctx(c, &r->cond_ctx, text, 0, 0, 0);
	if (!full.ok) { /* a macro body that only parses on its own */
		failf(c, LOAD_ERR_COMPILE_CONDITION, &ectx, "%s", full.err);
		goto out_full;
	}
	if (!fields_known(c, expanded, &full, err, sizeof err)) {
		if (r->skip_if_unknown_filter) {
			hr_load_warning(c->res, LOAD_UNKNOWN_FILTER, err, &ectx);
			ok = true;
		} else {
			failf(c, LOAD_ERR_COMPILE_CONDITION, &ectx, "%s", err);
		}
		goto out_full;
	}
	struct hr_filter_error ferr;
	struct hr_filter *f = hr_filter_compile(expanded, &ferr);
	if (!f) {
		struct hr_load_ctx fctx = condition_ctx(c, &r->cond_ctx, text, 0, 0, 0);
		failf(c, LOAD_ERR_COMPILE_CONDITION, &fctx, "%s", ferr.msg);
		goto out_full;
	}
	if (r->warn_evttypes) {
		unsigned ntypes = 0;
		for (unsigned t = 0; t < HR_EVENT_MAX; t++)
			ntypes += hr_filter_may_match_type(f, (uint16_t)t);
		if (ntypes > MAX_EVTTYPES_WITHOUT_WARNING)
			hr_load_warning(c->res, LOAD_NO_EVTTYPE,
					"Rule matches too many evt.type values. This has a significant performance penalty.",
					&r->ctx);
	}
	ok = add_rule(c, r, output, expanded, f);
out_full:
	hr_cond_parse_free(&full);
out_parse:
	hr_cond_parse_free(&p);
out:
	free(expanded);
	free(text);
	return ok;
}

bool hr_rules_compile(struct hr_ruleset *rs, struct hr_load_result *res, struct hr_load_fail *fail)
{
	struct compiler c = {.rs = rs, .res = res, .fail = fail};
	c.lists = calloc(rs->nlists + 1, sizeof *c.lists);
	c.macros = calloc(rs->nmacros + 1, sizeof *c.macros);
	if (!c.lists || !c.macros)
		abort();
	compile_lists(&c);
	bool ok = compile_macros(&c);
	for (uint32_t i = 0; ok && i < rs->nrule_infos; i++)
		if (!rs->rule_infos[i].unknown_source)
			ok = compile_rule(&c, &rs->rule_infos[i]);
	if (ok) {
		for (uint32_t i = 0; i < rs->nmacros; i++)
			if (!c.macros[i].used)
				hr_load_warning(res, LOAD_UNUSED_MACRO, "Macro not referred to by any other rule/macro",
						&rs->macros[i].ctx);
		for (uint32_t i = 0; i < rs->nlists; i++)
			if (!c.lists[i].used)
				hr_load_warning(res, LOAD_UNUSED_LIST, "List not referred to by any other rule/macro",
						&rs->lists[i].ctx);
	}
	for (uint32_t i = 0; ok && i < rs->nlists; i++) {
		rs->lists[i].compiled_items = c.lists[i].items;
		rs->lists[i].ncompiled_items = c.lists[i].nitems;
		rs->lists[i].used = c.lists[i].used;
	}
	for (uint32_t i = 0; ok && i < rs->nmacros; i++) {
		rs->macros[i].expanded = hr_arena_strdup(&rs->arena, c.macros[i].expanded);
		rs->macros[i].used = c.macros[i].used;
	}
	for (uint32_t i = 0; i < rs->nmacros; i++) {
		free(c.macros[i].text);
		free(c.macros[i].expanded);
		hr_cond_parse_free(&c.macros[i].parse);
	}
	free(c.macros);
	free(c.lists);
	hr_name_index_free(&c.known_fields);
	hr_name_index_free(&c.valid_outputs);
	return ok;
}
