/*
 * Falco's condition grammar, read without building anything (see
 * rules_condition.h). The token shapes and error messages follow the libs
 * parser so that rule authors see the messages Falco prints: `or` binds
 * loosest, then `and`, then `not`; a check is `(expr)`, a field (with an
 * optional [argument], possibly inside transformers) with an operator and
 * value(s), or a bare identifier (a macro).
 */
#include "rules/rules_condition.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 1000

struct scan {
	const char *s;
	size_t pos;
	size_t last, last_len; /* the last token read, as a span of s */
	unsigned depth;
	bool failed;
	struct hr_cond_parse *out;
};

static const char *const unary_ops[] = {"exists"};
static const char *const num_ops[] = {"<=", "<", ">=", ">"};
/* a trailing blank: the operator must be followed by a blank */
static const char *const str_ops[] = {"==",        "=",          "!=",           "glob ",
				      "iglob ",    "contains ",  "icontains ",   "bcontains ",
				      "startswith ", "bstartswith ", "endswith ", "regex "};
static const char *const modifier_ops[] = {"oneof ", "anyof ", "allof "};
static const char *const list_ops[] = {"intersects", "in", "pmatch"};
static const char *const transformers[] = {"tolower(", "toupper(", "b64(",  "basename(",
					   "len(",     "join(",    "concat(", "getopt("};
#define COUNT(a) (sizeof(a) / sizeof(a)[0])

static void fail(struct scan *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct scan *sc, const char *fmt, ...)
{
	if (sc->failed)
		return;
	sc->failed = true;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sc->out->err, sizeof sc->out->err, fmt, ap);
	va_end(ap);
	sc->out->err_pos = (uint32_t)sc->pos;
	uint32_t line = 1, col = 1;
	for (size_t i = 0; i < sc->pos; i++) {
		col++;
		if (sc->s[i] == '\n' || sc->s[i] == '\r') {
			col = 1;
			line++;
		}
	}
	sc->out->err_line = line;
	sc->out->err_col = col;
}

static void push_span(struct hr_cond_span **arr, uint32_t *n, size_t start, size_t len)
{
	/* grow at powers of two */
	if ((*n & (*n - 1)) == 0) {
		struct hr_cond_span *a = realloc(*arr, (*n ? *n * 2 : 1) * sizeof *a);
		if (!a)
			abort();
		*arr = a;
	}
	(*arr)[(*n)++] = (struct hr_cond_span){(uint32_t)start, (uint32_t)len};
}

static const char *cur(const struct scan *sc) { return sc->s + sc->pos; }

static void take(struct scan *sc, size_t n)
{
	sc->last = sc->pos;
	sc->last_len = n;
	sc->pos += n;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n'; }

static bool blank(struct scan *sc)
{
	size_t start = sc->pos;
	while (is_blank(sc->s[sc->pos]))
		sc->pos++;
	return sc->pos > start;
}

static bool lit(struct scan *sc, const char *str)
{
	size_t n = strlen(str);
	if (strncmp(cur(sc), str, n) != 0)
		return false;
	take(sc, n);
	return true;
}

static size_t identifier_len(const char *p)
{
	if (!isalpha((unsigned char)p[0]))
		return 0;
	size_t n = 1;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

static bool lex_identifier(struct scan *sc)
{
	size_t n = identifier_len(cur(sc));
	if (!n)
		return false;
	take(sc, n);
	return true;
}

/* identifier ('.' identifier)+ */
static bool lex_field_name(struct scan *sc)
{
	const char *p = cur(sc);
	size_t n = identifier_len(p);
	if (!n)
		return false;
	bool dotted = false;
	while (p[n] == '.') {
		size_t m = identifier_len(p + n + 1);
		if (!m)
			break;
		n += 1 + m;
		dotted = true;
	}
	if (!dotted)
		return false;
	take(sc, n);
	return true;
}

static bool lex_hex_num(struct scan *sc)
{
	const char *p = cur(sc);
	if (p[0] != '0' || (p[1] != 'x' && p[1] != 'X') || !isxdigit((unsigned char)p[2]))
		return false;
	size_t n = 3;
	while (isxdigit((unsigned char)p[n]))
		n++;
	take(sc, n);
	return true;
}

static bool lex_num(struct scan *sc)
{
	const char *p = cur(sc);
	size_t n = 0;
	if (p[n] == '+' || p[n] == '-')
		n++;
	if (!isdigit((unsigned char)p[n]))
		return false;
	while (isdigit((unsigned char)p[n]))
		n++;
	if (p[n] == '.')
		n++;
	while (isdigit((unsigned char)p[n]))
		n++;
	if ((p[n] == 'e' || p[n] == 'E') && (p[n + 1] == '+' || p[n + 1] == '-') && isdigit((unsigned char)p[n + 2])) {
		n += 2;
		while (isdigit((unsigned char)p[n]))
			n++;
	}
	take(sc, n);
	return true;
}

static bool lex_span_excluding(struct scan *sc, const char *stop)
{
	const char *p = cur(sc);
	size_t n = 0;
	while (p[n] && !is_blank(p[n]) && !strchr(stop, p[n]))
		n++;
	if (!n)
		return false;
	take(sc, n);
	return true;
}

static bool lex_bare_str(struct scan *sc) { return lex_span_excluding(sc, "()\"'=,"); }
static bool lex_field_arg_bare_str(struct scan *sc) { return lex_span_excluding(sc, "[]\"'"); }

/* A quoted string; the last token is its inside. */
static bool lex_quoted_str(struct scan *sc)
{
	char q = sc->s[sc->pos];
	if (q != '"' && q != '\'')
		return false;
	char prev = '\\';
	for (size_t i = sc->pos; sc->s[i]; i++) {
		if (sc->s[i] == q && prev != '\\' && i > sc->pos) {
			sc->last = sc->pos + 1;
			sc->last_len = i - sc->pos - 1;
			sc->pos = i + 1;
			return true;
		}
		prev = sc->s[i];
	}
	return false;
}

/* An operator of `list`; a trailing blank in the table means the operator
 * word must be followed by blanks. */
static bool lex_operator(struct scan *sc, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list[i]);
		if (list[i][len - 1] != ' ') {
			if (lit(sc, list[i]))
				return true;
			continue;
		}
		if (strncmp(cur(sc), list[i], len - 1) == 0 && is_blank(sc->s[sc->pos + len - 1])) {
			take(sc, len - 1);
			blank(sc);
			return true;
		}
	}
	return false;
}

static bool lex_transformer(struct scan *sc)
{
	for (size_t i = 0; i < COUNT(transformers); i++)
		if (lit(sc, transformers[i]))
			return true;
	return false;
}

static bool enter(struct scan *sc)
{
	if (sc->failed)
		return false;
	if (++sc->depth >= MAX_DEPTH) {
		fail(sc, "exceeded max depth limit of %d", MAX_DEPTH);
		return false;
	}
	return true;
}

static void parse_or(struct scan *sc);

static void parse_embedded_remainder(struct scan *sc)
{
	if (!enter(sc))
		return;
	blank(sc);
	parse_or(sc);
	blank(sc);
	if (!sc->failed && !lit(sc, ")"))
		fail(sc, "expected a ')' token");
	sc->depth--;
}

static void parse_optional_field_arg(struct scan *sc)
{
	if (sc->failed || !lit(sc, "["))
		return;
	if (!lex_quoted_str(sc) && !lex_field_arg_bare_str(sc)) {
		fail(sc, "expected a valid field argument: a quoted string or a bare string");
		return;
	}
	if (!lit(sc, "]"))
		fail(sc, "expected a ']' token");
}

/* A field name just read: its argument, and the whole recorded. */
static void parse_field_remainder(struct scan *sc, size_t start)
{
	parse_optional_field_arg(sc);
	if (!sc->failed)
		push_span(&sc->out->fields, &sc->out->nfields, start, sc->pos - start);
}

static void parse_transformer_remainder(struct scan *sc);

static void parse_transformer_arg(struct scan *sc)
{
	blank(sc);
	size_t start = sc->pos;
	if (lex_hex_num(sc) || lex_num(sc) || lex_quoted_str(sc))
		return;
	if (lit(sc, "(")) {
		blank(sc);
		if (lit(sc, ")"))
			return;
		for (;;) {
			size_t at = sc->pos;
			if (lex_field_name(sc)) {
				parse_field_remainder(sc, at);
			} else if (lex_transformer(sc)) {
				blank(sc);
				parse_transformer_remainder(sc);
			} else if (!lex_quoted_str(sc) && !lex_hex_num(sc) && !lex_num(sc)) {
				fail(sc, "expected transformer list argument: field, transformer, quoted string, or number");
			}
			if (sc->failed)
				return;
			blank(sc);
			if (!lit(sc, ","))
				break;
			blank(sc);
		}
		if (!lit(sc, ")"))
			fail(sc, "expected ')'");
		return;
	}
	if (lex_transformer(sc)) {
		parse_transformer_remainder(sc);
		return;
	}
	if (lex_field_name(sc)) {
		parse_field_remainder(sc, start);
		return;
	}
	fail(sc, "expected field transformer argument: field, transformer, quoted string, number, or transformer list");
}

/* After `name(`: the arguments, ')' and an optional [argument]. */
static void parse_transformer_remainder(struct scan *sc)
{
	if (!enter(sc))
		return;
	blank(sc);
	do {
		parse_transformer_arg(sc);
		if (sc->failed)
			goto out;
		blank(sc);
	} while (lit(sc, ","));
	blank(sc);
	if (!lit(sc, ")")) {
		fail(sc, "expected a ')' token closing the transformer");
		goto out;
	}
	parse_optional_field_arg(sc);
out:
	sc->depth--;
}

static const char *transformer_names =
	"'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'";

/* `val(field)` or a transformer; false when neither starts here. */
static bool try_transformer_or_val(struct scan *sc)
{
	blank(sc);
	if (lit(sc, "val(")) {
		blank(sc);
		size_t at = sc->pos;
		if (!lex_field_name(sc)) {
			fail(sc, "expected a field within 'val' transformer");
			return true;
		}
		parse_field_remainder(sc, at);
		blank(sc);
		if (!sc->failed && !lit(sc, ")"))
			fail(sc, "expected a ')' token closing the transformer");
		parse_optional_field_arg(sc);
		return true;
	}
	if (lex_transformer(sc)) {
		blank(sc);
		parse_transformer_remainder(sc);
		return true;
	}
	return false;
}

static void record_value(struct scan *sc, bool evttype, size_t start)
{
	if (evttype)
		push_span(&sc->out->evttypes, &sc->out->nevttypes, start, sc->pos - start);
}

/* `(v, v, ...)`: false when no '(' is here. */
static bool try_list(struct scan *sc, bool evttype)
{
	if (!lit(sc, "("))
		return false;
	blank(sc);
	size_t at = sc->pos;
	if (lex_quoted_str(sc) || lex_bare_str(sc)) {
		record_value(sc, evttype, at);
		blank(sc);
		while (lit(sc, ",")) {
			blank(sc);
			at = sc->pos;
			if (!lex_quoted_str(sc) && !lex_bare_str(sc)) {
				fail(sc, "expected a string value");
				return true;
			}
			record_value(sc, evttype, at);
			blank(sc);
		}
	}
	if (!lit(sc, ")"))
		fail(sc, "expected a ')' token");
	return true;
}

static bool bool_keyword_follows(const char *p)
{
	static const char *const kw[] = {"and", "or", "not"};
	for (unsigned i = 0; i < 3; i++) {
		size_t n = strlen(kw[i]);
		if (strncmp(p, kw[i], n) == 0 && !isalnum((unsigned char)p[n]))
			return true;
	}
	return false;
}

static void parse_condition(struct scan *sc, bool evttype_field)
{
	if (!enter(sc))
		return;
	blank(sc);
	if (lex_operator(sc, unary_ops, COUNT(unary_ops)))
		goto out;
	blank(sc);
	if (lex_operator(sc, num_ops, COUNT(num_ops))) {
		blank(sc);
		if (!try_transformer_or_val(sc) && !lex_hex_num(sc) && !lex_num(sc))
			fail(sc, "expected a number value or a field with a valid transformer: %s", transformer_names);
	} else if (lex_operator(sc, str_ops, COUNT(str_ops))) {
		const char *op = sc->s + sc->last;
		bool evttype = evttype_field && (op[0] == '=' || op[0] == '!');
		bool had_blank = isalpha((unsigned char)op[0]) || blank(sc);
		size_t saved = sc->pos, saved_last = sc->last, saved_len = sc->last_len;
		if (had_blank && lex_operator(sc, modifier_ops, COUNT(modifier_ops)) &&
		    (sc->s[sc->pos] == '(' || identifier_len(cur(sc))) && !bool_keyword_follows(cur(sc))) {
			blank(sc);
			if (!try_list(sc, false) && !lex_identifier(sc))
				fail(sc, "expected a list or an identifier");
		} else {
			sc->pos = saved;
			sc->last = saved_last;
			sc->last_len = saved_len;
			blank(sc);
			size_t at = sc->pos;
			if (!try_transformer_or_val(sc)) {
				if (lex_quoted_str(sc) || lex_bare_str(sc))
					record_value(sc, evttype, at);
				else
					fail(sc, "expected a string value or a field with a valid transformer: %s",
					     transformer_names);
			}
		}
	} else if (lex_operator(sc, list_ops, COUNT(list_ops))) {
		bool evttype = evttype_field && strncmp(sc->s + sc->last, "pmatch", 6) != 0;
		blank(sc);
		size_t at = sc->pos;
		if (!try_list(sc, evttype) && !try_transformer_or_val(sc)) {
			if (lex_identifier(sc))
				record_value(sc, evttype, at);
			else
				fail(sc, "expected a list, an identifier, or a field with a valid transformer: %s",
				     transformer_names);
		}
	} else {
		fail(sc,
		     "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', "
		     "'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', "
		     "'endswith', 'regex', 'intersects', 'in', 'pmatch'");
	}
out:
	sc->depth--;
}

static void parse_check(struct scan *sc)
{
	if (!enter(sc))
		return;
	blank(sc);
	size_t start = sc->pos;
	if (lit(sc, "(")) {
		parse_embedded_remainder(sc);
	} else if (lex_field_name(sc)) {
		bool evttype = sc->last_len == 8 && strncmp(sc->s + sc->last, "evt.type", 8) == 0;
		parse_field_remainder(sc, start);
		bool plain = sc->pos == start + 8;
		parse_condition(sc, evttype && plain);
	} else if (lex_transformer(sc)) {
		blank(sc);
		parse_transformer_remainder(sc);
		parse_condition(sc, false);
	} else if (lex_identifier(sc)) {
		push_span(&sc->out->macros, &sc->out->nmacros, start, sc->pos - start);
	} else {
		fail(sc, "expected a '(' token, a field check, or an identifier");
	}
	sc->depth--;
}

static void parse_not(struct scan *sc)
{
	if (!enter(sc))
		return;
	blank(sc);
	for (;;) {
		if (strncmp(cur(sc), "not", 3) != 0 || !is_blank(sc->s[sc->pos + 3]))
			break;
		take(sc, 3);
		blank(sc);
	}
	if (lit(sc, "not("))
		parse_embedded_remainder(sc);
	else
		parse_check(sc);
	sc->depth--;
}

/* `child (kw child)*` where kw must be followed by a blank or '('. */
static void parse_chain(struct scan *sc, const char *kw, void (*child)(struct scan *))
{
	if (!enter(sc))
		return;
	blank(sc);
	child(sc);
	blank(sc);
	while (!sc->failed && lit(sc, kw)) {
		if (!blank(sc)) {
			if (lit(sc, "("))
				parse_embedded_remainder(sc);
			else
				fail(sc, "expected blank or '(' after '%s'", kw);
		} else {
			child(sc);
		}
		blank(sc);
	}
	sc->depth--;
}

static void parse_and(struct scan *sc) { parse_chain(sc, "and", parse_not); }
static void parse_or(struct scan *sc) { parse_chain(sc, "or", parse_and); }

void hr_cond_parse(const char *text, struct hr_cond_parse *out)
{
	memset(out, 0, sizeof *out);
	struct scan sc = {.s = text, .out = out};
	if (!*text) {
		fail(&sc, "filter input string is empty");
		return;
	}
	parse_or(&sc);
	if (!sc.failed && text[sc.pos])
		fail(&sc, "unexpected token after '%.*s', expecting 'or', 'and'", (int)sc.last_len, text + sc.last);
	out->ok = !sc.failed;
}

void hr_cond_parse_free(struct hr_cond_parse *p)
{
	free(p->macros);
	free(p->fields);
	free(p->evttypes);
	memset(p, 0, sizeof *p);
}

static bool is_delim(char c) { return is_blank(c) || c == '(' || c == ')' || c == ',' || c == '='; }

static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : 64;
		while (*len + n + 1 > c)
			c *= 2;
		char *b = realloc(*buf, c);
		if (!b)
			abort();
		*buf = b;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
}

char *hr_cond_substitute_list(const char *text, const char *name, const char *const *items, uint32_t nitems)
{
	size_t nlen = strlen(name);
	if (!nlen || !strstr(text, name))
		return NULL;
	/* the items as Falco joins them */
	char *sub = NULL;
	size_t slen = 0, scap = 0;
	append(&sub, &slen, &scap, "", 0);
	for (uint32_t i = 0; i < nitems; i++) {
		if (i)
			append(&sub, &slen, &scap, ", ", 2);
		const char *it = items[i];
		bool quote = strchr(it, ' ') && it[0] != '"' && it[0] != '\'';
		if (quote)
			append(&sub, &slen, &scap, "\"", 1);
		append(&sub, &slen, &scap, it, strlen(it));
		if (quote)
			append(&sub, &slen, &scap, "\"", 1);
	}
	char *cnd = strdup(text);
	if (!cnd)
		abort();
	bool used = false;
	const char *hit = strstr(cnd, name);
	while (hit) {
		size_t start = (size_t)(hit - cnd), end = start + nlen, len = strlen(cnd);
		if ((start == 0 || is_delim(cnd[start - 1])) && (end >= len || is_delim(cnd[end]))) {
			while (start > 0 && is_blank(cnd[start - 1]) && cnd[start - 1] != '\b')
				start--;
			while (end < len && is_blank(cnd[end]) && cnd[end] != '\b')
				end++;
			if (slen == 0) {
				if (start > 0 && cnd[start - 1] == ',')
					start--;
				else if (end < len && cnd[end] == ',')
					end++;
			}
			char *n = NULL;
			size_t nl = 0, nc = 0;
			if (start > 0) {
				append(&n, &nl, &nc, cnd, start);
				append(&n, &nl, &nc, " ", 1);
			}
			append(&n, &nl, &nc, sub, slen);
			append(&n, &nl, &nc, " ", 1);
			append(&n, &nl, &nc, cnd + end, len - end);
			free(cnd);
			cnd = n;
			start += slen + 1;
			used = true;
			hit = start + 1 <= nl ? strstr(cnd + start + 1, name) : NULL;
		} else {
			hit = strstr(cnd + start + 1, name);
		}
	}
	free(sub);
	if (!used) {
		free(cnd);
		return NULL;
	}
	return cnd;
}
