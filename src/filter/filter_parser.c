/*
 * The condition grammar (Falco's): `or` binds loosest, then `and`, then
 * `not`; a check is a field (possibly inside transformers) with an
 * operator and a value, a list, a `val(field)` or a transformed field.
 * The parser builds the compiled form directly; on the first error it
 * stops and everything built so far is freed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter_internal.h"
#include "filter/filter_lexer.h"

#define MAX_DEPTH 100
#define MAX_FIELD_TEXT 256

struct parser {
	struct hr_lexer lx;
	struct hr_filter *f;
	unsigned depth;
};

static uint32_t parse_or(struct parser *p);

static bool grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	uint32_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *a = realloc(*arr, (size_t)n * elem);
	if (!a)
		return false;
	memset((char *)a + (size_t)*cap * elem, 0, (size_t)(n - *cap) * elem);
	*arr = a;
	*cap = n;
	return true;
}

static uint32_t new_node(struct parser *p, uint8_t kind, uint32_t first)
{
	struct hr_filter *f = p->f;
	if (!grow((void **)&f->nodes, &f->cap_nodes, f->nnodes + 1, sizeof *f->nodes)) {
		hr_lex_fail(&p->lx, p->lx.pos, "out of memory");
		return NO_NODE;
	}
	f->nodes[f->nnodes] = (struct hr_filter_node){kind, first, NO_NODE};
	return f->nnodes++;
}

/* `first` `kw` child `kw` child ...: the children chained, under a node of
 * `kind` when there is more than one. */
static uint32_t parse_chain(struct parser *p, const char *kw, uint8_t kind, uint32_t (*child)(struct parser *))
{
	hr_lex_blank(&p->lx);
	uint32_t first = child(p), last = first;
	if (first == NO_NODE)
		return NO_NODE;
	bool many = false;
	for (;;) {
		hr_lex_blank(&p->lx);
		size_t at = p->lx.pos;
		if (!hr_lex_keyword(&p->lx, kw))
			break;
		bool blank = hr_lex_blank(&p->lx);
		if (p->lx.text[p->lx.pos] && !blank && p->lx.text[p->lx.pos] != '(') {
			hr_lex_fail(&p->lx, at, "expected a blank or '(' after '%s'", kw);
			return NO_NODE;
		}
		if (!p->lx.text[p->lx.pos]) {
			hr_lex_fail(&p->lx, p->lx.pos, "unexpected end of the filter: expected a check after '%s'", kw);
			return NO_NODE;
		}
		uint32_t next = child(p);
		if (next == NO_NODE)
			return NO_NODE;
		p->f->nodes[last].next = next;
		last = next;
		many = true;
	}
	return many ? new_node(p, kind, first) : first;
}

static uint32_t parse_check(struct parser *p);

static uint32_t parse_not(struct parser *p)
{
	bool negate = false;
	hr_lex_blank(&p->lx);
	for (;;) {
		size_t at = p->lx.pos;
		if (!hr_lex_keyword(&p->lx, "not"))
			break;
		if (!hr_lex_blank(&p->lx) && p->lx.text[p->lx.pos] != '(') {
			hr_lex_fail(&p->lx, at, p->lx.text[p->lx.pos] ? "expected a blank or '(' after 'not'"
								  : "unexpected end of the filter: expected a check after 'not'");
			return NO_NODE;
		}
		negate = !negate;
	}
	uint32_t child = parse_check(p);
	if (child == NO_NODE || !negate)
		return child;
	return new_node(p, NODE_NOT, child);
}

static uint32_t parse_and(struct parser *p)
{
	return parse_chain(p, "and", NODE_AND, parse_not);
}

static uint32_t parse_or(struct parser *p)
{
	if (++p->depth > MAX_DEPTH) {
		hr_lex_fail(&p->lx, p->lx.pos, "nesting deeper than %d levels", MAX_DEPTH);
		return NO_NODE;
	}
	uint32_t r = parse_chain(p, "or", NODE_OR, parse_and);
	p->depth--;
	return r;
}

static const struct {
	const char *name;
	uint8_t xf;
} transformers[] = {
	{"tolower", XF_TOLOWER}, {"toupper", XF_TOUPPER}, {"b64", XF_B64}, {"basename", XF_BASENAME}, {"len", XF_LEN},
};

/* A field, `val(field)` (right side only) or transformer(operand). */
static bool parse_operand(struct parser *p, struct hr_filter_operand *o, bool rhs, unsigned nesting)
{
	struct hr_lexer *lx = &p->lx;
	size_t at = lx->pos;
	if (nesting > 8) {
		hr_lex_fail(lx, at, "too many nested transformers");
		return false;
	}
	for (size_t i = 0; i < sizeof transformers / sizeof transformers[0]; i++) {
		size_t n = strlen(transformers[i].name);
		if (strncmp(lx->text + at, transformers[i].name, n) == 0 && lx->text[at + n] == '(') {
			lx->pos += n + 1;
			hr_lex_blank(lx);
			if (!parse_operand(p, o, false, nesting + 1))
				return false;
			hr_lex_blank(lx);
			if (!hr_lex_char(lx, ')')) {
				hr_lex_fail(lx, lx->pos, "expected ')' closing the transformer %s", transformers[i].name);
				return false;
			}
			o->xf[o->nxf++] = transformers[i].xf;
			return true;
		}
	}
	if (!rhs && strncmp(lx->text + at, "val(", 4) == 0) {
		hr_lex_fail(lx, at, "val() names a field on the right side of a comparison only");
		return false;
	}
	if (rhs && strncmp(lx->text + at, "val(", 4) == 0) {
		lx->pos += 4;
		hr_lex_blank(lx);
		if (!parse_operand(p, o, false, 8)) /* val() holds a field only */
			return false;
		hr_lex_blank(lx);
		if (!hr_lex_char(lx, ')')) {
			hr_lex_fail(lx, lx->pos, "expected ')' closing val");
			return false;
		}
		return true;
	}
	size_t span = hr_lex_field_span(lx);
	if (span == 0) {
		hr_lex_fail(lx, at, rhs ? "expected a field" : "expected a field, a transformer or '('");
		return false;
	}
	if (span >= MAX_FIELD_TEXT) {
		hr_lex_fail(lx, at, "field name too long");
		return false;
	}
	char err[200];
	if (hr_filter_add_slot(p->f, lx->text + at, span, &o->slot, err, sizeof err) < 0) {
		hr_lex_fail(lx, at, "%s", err);
		return false;
	}
	lx->pos += span;
	return true;
}

static struct hr_filter_value *add_value(struct parser *p, struct hr_filter_check *c)
{
	struct hr_filter_value *v = realloc(c->values, (c->nvalues + 1) * sizeof *v);
	if (!v) {
		hr_lex_fail(&p->lx, p->lx.pos, "out of memory");
		return NULL;
	}
	c->values = v;
	v = &c->values[c->nvalues++];
	memset(v, 0, sizeof *v);
	v->prefix = -1;
	return v;
}

/* A quoted string or a bare word, typed for the check's class. */
static bool parse_value(struct parser *p, struct hr_filter_check *c, bool in_list, uint8_t field_type)
{
	struct hr_lexer *lx = &p->lx;
	size_t at = lx->pos;
	struct hr_filter_value *v = add_value(p, c);
	if (!v)
		return false;
	int q = hr_lex_quoted(lx, &v->str, &v->len);
	if (q < 0)
		return false;
	if (q == 0) {
		size_t n = hr_lex_bare_span(lx, in_list);
		if (n == 0) {
			hr_lex_fail(lx, at, "expected a value");
			return false;
		}
		v->str = malloc(n + 1);
		if (!v->str) {
			hr_lex_fail(lx, at, "out of memory");
			return false;
		}
		memcpy(v->str, lx->text + at, n);
		v->str[n] = 0;
		v->len = (uint32_t)n;
		lx->pos += n;
	}
	char err[200];
	if (!hr_filter_type_value(v, c->cls, c->op, field_type, err, sizeof err)) {
		hr_lex_fail(lx, at, "%s", err);
		return false;
	}
	return true;
}

static bool parse_list(struct parser *p, struct hr_filter_check *c, uint8_t field_type)
{
	struct hr_lexer *lx = &p->lx;
	hr_lex_blank(lx);
	if (!hr_lex_char(lx, '(')) {
		hr_lex_fail(lx, lx->pos, "expected '(' starting the list of values after '%s'", hr_filter_op_name(c->op));
		return false;
	}
	hr_lex_blank(lx);
	if (hr_lex_char(lx, ')'))
		return true;
	for (;;) {
		hr_lex_blank(lx);
		if (!parse_value(p, c, true, field_type))
			return false;
		hr_lex_blank(lx);
		if (hr_lex_char(lx, ')'))
			return true;
		if (!hr_lex_char(lx, ',')) {
			hr_lex_fail(lx, lx->pos, lx->text[lx->pos] ? "expected ',' or ')' in the list of values"
								   : "unterminated list of values");
			return false;
		}
	}
}

static bool starts_operand(const char *s)
{
	if (strncmp(s, "val(", 4) == 0)
		return true;
	for (size_t i = 0; i < sizeof transformers / sizeof transformers[0]; i++) {
		size_t n = strlen(transformers[i].name);
		if (strncmp(s, transformers[i].name, n) == 0 && s[n] == '(')
			return true;
	}
	return false;
}

static uint32_t parse_check(struct parser *p)
{
	struct hr_lexer *lx = &p->lx;
	struct hr_filter *f = p->f;
	hr_lex_blank(lx);
	size_t at = lx->pos;
	if (hr_lex_char(lx, '(')) {
		uint32_t inner = parse_or(p);
		if (inner == NO_NODE)
			return NO_NODE;
		hr_lex_blank(lx);
		if (!hr_lex_char(lx, ')')) {
			hr_lex_fail(lx, lx->pos, lx->text[lx->pos] ? "expected ')' or a boolean operator"
								   : "missing ')' (opened at position %zu)", at);
			return NO_NODE;
		}
		return inner;
	}
	if (lx->text[at] == 0) {
		hr_lex_fail(lx, at, "unexpected end of the filter: expected a check");
		return NO_NODE;
	}
	if (!grow((void **)&f->checks, &f->cap_checks, f->nchecks + 1, sizeof *f->checks)) {
		hr_lex_fail(lx, at, "out of memory");
		return NO_NODE;
	}
	uint32_t ci = f->nchecks++;
	struct hr_filter_check *c = &f->checks[ci];
	memset(c, 0, sizeof *c);
	if (!parse_operand(p, &c->lhs, false, 0))
		return NO_NODE;
	char err[200];
	if (!hr_filter_bind_lhs(f, c, err, sizeof err)) {
		hr_lex_fail(lx, at, "%s", err);
		return NO_NODE;
	}
	hr_lex_blank(lx);
	size_t op_at = lx->pos;
	if (!hr_lex_operator(lx, &c->op)) {
		hr_lex_fail(lx, op_at, lx->text[op_at] ? "expected a comparison operator after the field"
							: "unexpected end of the filter: expected a comparison operator");
		return NO_NODE;
	}
	uint8_t field_type = c->value_type;
	if (!hr_filter_check_operator(c, err, sizeof err)) {
		hr_lex_fail(lx, op_at, "%s", err);
		return NO_NODE;
	}
	if (c->op == OP_IN || c->op == OP_INTERSECTS || c->op == OP_PMATCH) {
		if (!parse_list(p, c, field_type))
			return NO_NODE;
	} else if (c->op != OP_EXISTS) {
		hr_lex_blank(lx);
		size_t v_at = lx->pos;
		if (starts_operand(lx->text + v_at)) {
			c->rhs_is_field = true;
			if (!parse_operand(p, &c->rhs, true, 0))
				return NO_NODE;
			if (!hr_filter_bind_rhs(f, c, err, sizeof err)) {
				hr_lex_fail(lx, v_at, "%s", err);
				return NO_NODE;
			}
		} else if (!parse_value(p, c, false, field_type)) {
			return NO_NODE;
		}
	}
	if (!hr_filter_finish_check(c, err, sizeof err)) {
		hr_lex_fail(lx, op_at, "%s", err);
		return NO_NODE;
	}
	return new_node(p, NODE_CHECK, ci);
}

struct hr_filter *hr_filter_compile(const char *text, struct hr_filter_error *err)
{
	struct hr_filter_error scratch;
	if (!err)
		err = &scratch;
	memset(err, 0, sizeof *err);
	struct hr_filter *f = calloc(1, sizeof *f);
	if (!f) {
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return NULL;
	}
	struct parser p = {.lx = {.text = text, .err = err}, .f = f};
	hr_lex_blank(&p.lx);
	if (!text[p.lx.pos]) {
		hr_lex_fail(&p.lx, p.lx.pos, "the filter is empty");
	} else {
		f->root = parse_or(&p);
		hr_lex_blank(&p.lx);
		if (!p.lx.failed && text[p.lx.pos])
			hr_lex_fail(&p.lx, p.lx.pos,
				    text[p.lx.pos] == ')' ? "unexpected ')'" : "unexpected text, expecting 'and' or 'or'");
	}
	if (p.lx.failed) {
		hr_filter_free(f);
		return NULL;
	}
	hr_filter_analyze_types(f);
	return f;
}
