/*
 * The tokens of a filter condition: blanks, keywords, comparison
 * operators, field spans, quoted strings (with Falco's escapes) and bare
 * words. Each function looks at the cursor and either consumes a token or
 * leaves the cursor where it was.
 */
#include "filter/filter_lexer.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool hr_lex_blank(struct hr_lexer *lx)
{
	size_t start = lx->pos;
	while (isspace((unsigned char)lx->text[lx->pos]))
		lx->pos++;
	return lx->pos > start;
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

bool hr_lex_keyword(struct hr_lexer *lx, const char *word)
{
	size_t n = strlen(word);
	if (strncmp(lx->text + lx->pos, word, n) != 0 || is_word_char(lx->text[lx->pos + n]) ||
	    lx->text[lx->pos + n] == '.')
		return false;
	lx->pos += n;
	return true;
}

bool hr_lex_char(struct hr_lexer *lx, char c)
{
	if (lx->text[lx->pos] != c)
		return false;
	lx->pos++;
	return true;
}

static const struct {
	const char *text;
	uint8_t op;
} symbol_ops[] = {
	{"==", OP_EQ}, {"=", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {"<", OP_LT}, {">=", OP_GE}, {">", OP_GT},
};

static const struct {
	const char *text;
	uint8_t op;
} word_ops[] = {
	{"exists", OP_EXISTS}, {"contains", OP_CONTAINS}, {"icontains", OP_ICONTAINS},
	{"bcontains", OP_BCONTAINS}, {"startswith", OP_STARTSWITH}, {"bstartswith", OP_BSTARTSWITH},
	{"endswith", OP_ENDSWITH}, {"glob", OP_GLOB}, {"iglob", OP_IGLOB}, {"regex", OP_REGEX},
	{"pmatch", OP_PMATCH}, {"intersects", OP_INTERSECTS}, {"in", OP_IN},
};

bool hr_lex_operator(struct hr_lexer *lx, uint8_t *op)
{
	for (size_t i = 0; i < sizeof symbol_ops / sizeof symbol_ops[0]; i++) {
		size_t n = strlen(symbol_ops[i].text);
		if (strncmp(lx->text + lx->pos, symbol_ops[i].text, n) == 0) {
			lx->pos += n;
			*op = symbol_ops[i].op;
			return true;
		}
	}
	for (size_t i = 0; i < sizeof word_ops / sizeof word_ops[0]; i++) {
		if (hr_lex_keyword(lx, word_ops[i].text)) {
			*op = word_ops[i].op;
			return true;
		}
	}
	return false;
}

const char *hr_filter_op_name(uint8_t op)
{
	for (size_t i = 1; i < sizeof symbol_ops / sizeof symbol_ops[0]; i++)
		if (symbol_ops[i].op == op)
			return symbol_ops[i].text;
	for (size_t i = 0; i < sizeof word_ops / sizeof word_ops[0]; i++)
		if (word_ops[i].op == op)
			return word_ops[i].text;
	return "?";
}

size_t hr_lex_field_span(const struct hr_lexer *lx)
{
	const char *s = lx->text + lx->pos;
	if (!isalpha((unsigned char)s[0]))
		return 0;
	size_t n = 0;
	for (;;) {
		while (is_word_char(s[n]) || s[n] == '.')
			n++;
		if (s[n] != '[')
			break;
		const char *close = strchr(s + n, ']');
		if (!close)
			break; /* the field parser names the missing ']' */
		n = (size_t)(close - s) + 1;
	}
	return n;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hr_lex_quoted(struct hr_lexer *lx, char **out, uint32_t *out_len)
{
	char quote = lx->text[lx->pos];
	if (quote != '"' && quote != '\'')
		return 0;
	size_t start = lx->pos;
	size_t i = start + 1;
	/* the unescaped text is never longer than the quoted one */
	size_t cap = 0;
	while (lx->text[i + cap])
		cap++;
	char *buf = malloc(cap + 1);
	if (!buf) {
		hr_lex_fail(lx, start, "out of memory");
		return -1;
	}
	size_t n = 0;
	for (;;) {
		char c = lx->text[i];
		if (c == 0) {
			free(buf);
			hr_lex_fail(lx, start, "unterminated string");
			return -1;
		}
		if (c == quote) {
			i++;
			break;
		}
		if (c != '\\') {
			buf[n++] = c;
			i++;
			continue;
		}
		char e = lx->text[i + 1];
		switch (e) {
		case 'b': buf[n++] = '\b'; break;
		case 'f': buf[n++] = '\f'; break;
		case 'n': buf[n++] = '\n'; break;
		case 'r': buf[n++] = '\r'; break;
		case 't': buf[n++] = '\t'; break;
		case '\\': case '/': case '"': case '\'':
			buf[n++] = e;
			break;
		case ' ': /* a backslash: Falco's rules once wrote one this way */
			buf[n++] = '\\';
			break;
		case 'x': {
			int h = hex_digit(lx->text[i + 2]), l = h < 0 ? -1 : hex_digit(lx->text[i + 3]);
			if (h < 0 || l < 0) {
				free(buf);
				hr_lex_fail(lx, i, "invalid \\x escape: two hex digits expected");
				return -1;
			}
			buf[n++] = (char)(h * 16 + l);
			i += 2;
			break;
		}
		default:
			free(buf);
			if (e == 0)
				hr_lex_fail(lx, start, "unterminated string");
			else
				hr_lex_fail(lx, i, "unsupported escape sequence \\%c", e);
			return -1;
		}
		i += 2;
	}
	buf[n] = 0;
	lx->pos = i;
	*out = buf;
	*out_len = (uint32_t)n;
	return 1;
}

size_t hr_lex_bare_span(const struct hr_lexer *lx, bool in_list)
{
	const char *s = lx->text + lx->pos;
	size_t n = 0;
	while (s[n] && !isspace((unsigned char)s[n]) && s[n] != '(' && s[n] != ')' && s[n] != '"' &&
	       s[n] != '\'' && !(in_list && s[n] == ','))
		n++;
	return n;
}

void hr_lex_fail(struct hr_lexer *lx, size_t pos, const char *fmt, ...)
{
	if (lx->failed)
		return;
	lx->failed = true;
	lx->err->pos = pos;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(lx->err->msg, sizeof lx->err->msg, fmt, ap);
	va_end(ap);
}
