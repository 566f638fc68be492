/*
 * Internal to src/filter: the token reader the parser drives over a
 * condition's text, and the first error it met.
 */
#ifndef HR_FILTER_LEXER_H
#define HR_FILTER_LEXER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter/filter_internal.h"

struct hr_lexer {
	const char *text;
	size_t pos;
	bool failed;
	struct hr_filter_error *err;
};

bool hr_lex_blank(struct hr_lexer *lx);
/* `word` not followed by a letter, digit, '_' or '.'. */
bool hr_lex_keyword(struct hr_lexer *lx, const char *word);
bool hr_lex_char(struct hr_lexer *lx, char c);
bool hr_lex_operator(struct hr_lexer *lx, uint8_t *op);
/* Length of the field name (with any `[arg]`) at the cursor, 0 if none. */
size_t hr_lex_field_span(const struct hr_lexer *lx);
/* A quoted string: 1 with a malloc'ed unescaped copy, 0 when the cursor is
 * not at a quote, -1 on an error (recorded). */
int hr_lex_quoted(struct hr_lexer *lx, char **out, uint32_t *out_len);
/* Length of the bare word at the cursor (ends at a blank, a parenthesis,
 * a quote, and inside lists at a comma). */
size_t hr_lex_bare_span(const struct hr_lexer *lx, bool in_list);
/* Records the first error only. */
void hr_lex_fail(struct hr_lexer *lx, size_t pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
