/*
 * The condition grammar (Falco's): `or` binds loosest, then `and`, then
 * `not`; a check is a field (possibly inside transformers) with an
 * operator and a value, a list, a `val(field)` or a transformed field.
 * Transformers take arguments (fields, quoted strings, numbers, nested
 * transformers, transformer lists `(a, b)`) and an optional `[arg]` after
 * their ')', as libsinsp 0.25's grammar; the same reader serves output
 * formats' `%transformer(...)` tokens. The parser builds the compiled form
 * directly; on the first error it stops and everything built so far is
 * freed.
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

static uint32_t new_node(struct parser *p, uint8_t kind, uint32_t first)
{
	struct hr_filter *f = p->f;
	if (!hr_filter_grow((void **)&f->nodes, &f->cap_nodes, f->nnodes + 1, sizeof *f->nodes)) {
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

/* The transformers: the one-argument ones (enum hr_transformer) and
 * Falco's multi-value ones. */
static const struct {
	const char *name;
	uint8_t kind, xf;
} transformers[] = {
	{"tolower", EX_XF, XF_TOLOWER}, {"toupper", EX_XF, XF_TOUPPER}, {"b64", EX_XF, XF_B64},
	{"basename", EX_XF, XF_BASENAME}, {"len", EX_XF, XF_LEN},       {"join", EX_JOIN, 0},
	{"concat", EX_CONCAT, 0},       {"getopt", EX_GETOPT, 0},
};

#define MAX_OPERAND_NESTING 32

/* The transformer named at `s` (followed by '('), or -1. */
static int transformer_at(const char *s)
{
	for (size_t i = 0; i < sizeof transformers / sizeof transformers[0]; i++) {
		size_t n = strlen(transformers[i].name);
		if (strncmp(s, transformers[i].name, n) == 0 && s[n] == '(')
			return (int)i;
	}
	return -1;
}

/* Libsinsp's number tokens: 0x1F, or [+-]digits[.digits][e[+-]digits]. */
static size_t number_span(const char *s)
{
	size_t n = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
		n = 2;
		while (isxdigit((unsigned char)s[n]))
			n++;
		return n;
	}
	if (s[n] == '+' || s[n] == '-')
		n++;
	if (!isdigit((unsigned char)s[n]))
		return 0;
	while (isdigit((unsigned char)s[n]))
		n++;
	if (s[n] == '.')
		for (n++; isdigit((unsigned char)s[n]);)
			n++;
	if ((s[n] == 'e' || s[n] == 'E') && (s[n + 1] == '+' || s[n + 1] == '-') && isdigit((unsigned char)s[n + 2]))
		for (n += 2; isdigit((unsigned char)s[n]);)
			n++;
	return n;
}

/* Where an expression node may stand: the operand itself, a transformer's
 * argument, or an element of a transformer list. */
enum place { AT_OPERAND, AT_ARG, AT_LIST };

static uint32_t parse_node(struct parser *p, struct hr_filter_expr *x, enum place at_place, unsigned nesting);

static uint32_t add_node(struct parser *p, struct hr_filter_expr *x, uint8_t kind, size_t at)
{
	uint32_t n = hr_expr_add(x, kind, at);
	if (n == UINT32_MAX)
		hr_lex_fail(&p->lx, at, "out of memory");
	return n;
}

static bool add_arg(struct parser *p, struct hr_filter_expr *x, uint32_t n, uint32_t arg)
{
	struct hr_expr_node *node = &x->nodes[n];
	uint32_t *args = realloc(node->args, (node->nargs + 1) * sizeof *args);
	if (!args) {
		hr_lex_fail(&p->lx, p->lx.pos, "out of memory");
		return false;
	}
	args[node->nargs++] = arg;
	node->args = args;
	return true;
}

static bool type_node(struct parser *p, struct hr_filter_expr *x, uint32_t n)
{
	char err[200];
	if (hr_expr_type_node(p->f, x, n, err, sizeof err))
		return true;
	hr_lex_fail(&p->lx, x->nodes[n].pos, "%s", err);
	return false;
}

/* `[c]` after a transformer's ')': a quoted string or a bare word. */
static bool parse_selector(struct parser *p, struct hr_filter_expr *x, uint32_t n)
{
	struct hr_lexer *lx = &p->lx;
	size_t at = lx->pos;
	if (!hr_lex_char(lx, '['))
		return true;
	char *arg = NULL;
	uint32_t len = 0;
	int q = hr_lex_quoted(lx, &arg, &len);
	if (q < 0)
		return false;
	if (q == 0) {
		const char *s = lx->text + lx->pos;
		while (s[len] && !strchr("[]\"' \t\r\n", s[len]))
			len++;
		if (len == 0) {
			hr_lex_fail(lx, lx->pos, "expected a valid field argument: a quoted string or a bare string");
			return false;
		}
		arg = strndup(s, len);
		if (!arg) {
			hr_lex_fail(lx, at, "out of memory");
			return false;
		}
		lx->pos += len;
	}
	char c = arg[0];
	free(arg);
	if (!hr_lex_char(lx, ']')) {
		hr_lex_fail(lx, lx->pos, "expected a ']' closing the transformer's argument");
		return false;
	}
	struct hr_expr_node *node = &x->nodes[n];
	if (node->kind == EX_GETOPT && len != 1) {
		hr_lex_fail(lx, at, "getopt() field argument must be a single option character");
		return false;
	}
	node->has_selector = true;
	node->selector = c;
	return true;
}

/* `name(arg, ...)[c]`, the cursor on the name. */
static uint32_t parse_transformer(struct parser *p, struct hr_filter_expr *x, int t, unsigned nesting)
{
	struct hr_lexer *lx = &p->lx;
	size_t at = lx->pos;
	uint32_t n = add_node(p, x, transformers[t].kind, at);
	if (n == NO_NODE)
		return NO_NODE;
	x->nodes[n].xf = transformers[t].xf;
	lx->pos += strlen(transformers[t].name) + 1;
	for (;;) {
		hr_lex_blank(lx);
		uint32_t arg = parse_node(p, x, AT_ARG, nesting + 1);
		if (arg == NO_NODE || !add_arg(p, x, n, arg))
			return NO_NODE;
		hr_lex_blank(lx);
		if (!hr_lex_char(lx, ','))
			break;
	}
	if (!hr_lex_char(lx, ')')) {
		hr_lex_fail(lx, lx->pos, "expected ')' closing the transformer %s", transformers[t].name);
		return NO_NODE;
	}
	if (!parse_selector(p, x, n) || !type_node(p, x, n))
		return NO_NODE;
	return n;
}

/* `(a, b, ...)` as a transformer's argument, the cursor on '('. */
static uint32_t parse_transformer_list(struct parser *p, struct hr_filter_expr *x, unsigned nesting)
{
	struct hr_lexer *lx = &p->lx;
	size_t at = lx->pos++;
	uint32_t n = add_node(p, x, EX_LIST, at);
	if (n == NO_NODE)
		return NO_NODE;
	hr_lex_blank(lx);
	if (!hr_lex_char(lx, ')')) {
		for (;;) {
			hr_lex_blank(lx);
			uint32_t item = parse_node(p, x, AT_LIST, nesting + 1);
			if (item == NO_NODE || !add_arg(p, x, n, item))
				return NO_NODE;
			hr_lex_blank(lx);
			if (hr_lex_char(lx, ')'))
				break;
			if (!hr_lex_char(lx, ',')) {
				hr_lex_fail(lx, lx->pos, lx->text[lx->pos] ? "expected ',' or ')' in the transformer list"
									   : "unterminated transformer list");
				return NO_NODE;
			}
		}
	}
	return type_node(p, x, n) ? n : NO_NODE;
}

static uint32_t parse_node(struct parser *p, struct hr_filter_expr *x, enum place place, unsigned nesting)
{
	struct hr_lexer *lx = &p->lx;
	size_t at = lx->pos;
	if (nesting > MAX_OPERAND_NESTING) {
		hr_lex_fail(lx, at, "too many nested transformers");
		return NO_NODE;
	}
	int t = transformer_at(lx->text + at);
	if (t >= 0)
		return parse_transformer(p, x, t, nesting);
	if (place != AT_OPERAND) {
		size_t num = number_span(lx->text + at);
		char *text = NULL;
		uint32_t len = 0;
		int q = num ? 0 : hr_lex_quoted(lx, &text, &len);
		if (q < 0)
			return NO_NODE;
		if (num || q) {
			if (num && !(text = strndup(lx->text + at, num))) {
				hr_lex_fail(lx, at, "out of memory");
				return NO_NODE;
			}
			lx->pos += num;
			uint32_t n = add_node(p, x, EX_TEXT, at);
			if (n == NO_NODE) {
				free(text);
				return NO_NODE;
			}
			x->nodes[n].text = text;
			x->nodes[n].text_len = num ? (uint32_t)num : len;
			return type_node(p, x, n) ? n : NO_NODE;
		}
		if (place == AT_ARG && lx->text[at] == '(')
			return parse_transformer_list(p, x, nesting);
	}
	size_t span = hr_lex_field_span(lx);
	if (span == 0) {
		hr_lex_fail(lx, at, place == AT_OPERAND ? "expected a field, a transformer or '('"
			    : place == AT_ARG ? "expected a transformer argument: a field, a transformer, a quoted "
						"string, a number or a transformer list"
					      : "expected a transformer list element: a field, a transformer, a "
						"quoted string or a number");
		return NO_NODE;
	}
	if (span >= MAX_FIELD_TEXT) {
		hr_lex_fail(lx, at, "field name too long");
		return NO_NODE;
	}
	uint32_t n = add_node(p, x, EX_FIELD, at);
	if (n == NO_NODE)
		return NO_NODE;
	char err[200];
	if (hr_filter_add_slot(p->f, lx->text + at, span, &x->nodes[n].slot, err, sizeof err) < 0) {
		hr_lex_fail(lx, at, "%s", err);
		return NO_NODE;
	}
	if (place != AT_OPERAND && hr_filter_field_needs_binding(p->f->slots[x->nodes[n].slot].field.def->name)) {
		hr_lex_fail(lx, at, "%s cannot be used inside a transformer", p->f->slots[x->nodes[n].slot].field.text);
		return NO_NODE;
	}
	lx->pos += span;
	return type_node(p, x, n) ? n : NO_NODE;
}

/* A field, `val(field)` (right side only), or an expression of
 * transformers; a field seen through one-argument transformers keeps the
 * fast slot-and-chain form. */
static bool parse_operand(struct parser *p, struct hr_filter_operand *o, bool rhs)
{
	struct hr_lexer *lx = &p->lx;
	size_t at = lx->pos;
	if (strncmp(lx->text + at, "val(", 4) == 0) {
		if (!rhs) {
			hr_lex_fail(lx, at, "val() names a field on the right side of a comparison only");
			return false;
		}
		lx->pos += 4;
		hr_lex_blank(lx);
		size_t span = hr_lex_field_span(lx);
		if (span == 0) {
			hr_lex_fail(lx, lx->pos, "expected a field");
			return false;
		}
		char err[200];
		if (hr_filter_add_slot(p->f, lx->text + lx->pos, span, &o->slot, err, sizeof err) < 0) {
			hr_lex_fail(lx, lx->pos, "%s", err);
			return false;
		}
		lx->pos += span;
		hr_lex_blank(lx);
		if (!hr_lex_char(lx, ')')) {
			hr_lex_fail(lx, lx->pos, "expected ')' closing val");
			return false;
		}
		return true;
	}
	struct hr_filter_expr *x = calloc(1, sizeof *x);
	if (!x) {
		hr_lex_fail(lx, at, "out of memory");
		return false;
	}
	x->root = parse_node(p, x, AT_OPERAND, 0);
	if (x->root == NO_NODE) {
		hr_expr_free(x);
		return false;
	}
	size_t len = lx->pos - at < sizeof x->text - 1 ? lx->pos - at : sizeof x->text - 1;
	memcpy(x->text, lx->text + at, len);
	hr_expr_attach(o, x);
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
	return strncmp(s, "val(", 4) == 0 || transformer_at(s) >= 0;
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
	if (!hr_filter_grow((void **)&f->checks, &f->cap_checks, f->nchecks + 1, sizeof *f->checks)) {
		hr_lex_fail(lx, at, "out of memory");
		return NO_NODE;
	}
	uint32_t ci = f->nchecks++;
	struct hr_filter_check *c = &f->checks[ci];
	memset(c, 0, sizeof *c);
	if (!parse_operand(p, &c->lhs, false))
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
			if (!parse_operand(p, &c->rhs, true))
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

struct hr_field_expr *hr_field_expr_compile(const char *text, size_t *used, struct hr_filter_error *err)
{
	memset(err, 0, sizeof *err);
	*used = 0;
	if (transformer_at(text) < 0)
		return NULL;
	struct hr_field_expr *fx = calloc(1, sizeof *fx);
	struct hr_filter_expr *x = calloc(1, sizeof *x);
	if (!fx || !x) {
		free(fx);
		free(x);
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return NULL;
	}
	fx->x = x;
	struct parser p = {.lx = {.text = text, .err = err}, .f = &fx->f};
	x->root = parse_node(&p, x, AT_OPERAND, 0);
	if (p.lx.failed) {
		hr_field_expr_free(fx);
		return NULL;
	}
	*used = p.lx.pos;
	return fx;
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
