/*
 * Rule and macro conditions read with Falco's grammar before they are
 * compiled: syntax errors in Falco's words, the macro references (bare
 * identifiers where a check is expected), the fields used, and the values
 * compared with evt.type, so the loader can expand macros and report
 * unknown fields and event types as Falco does. Compiling the expanded
 * text is the filter engine's job (filter/filter.h).
 */
#ifndef HR_RULES_CONDITION_H
#define HR_RULES_CONDITION_H

#include <stdbool.h>
#include <stdint.h>

struct hr_cond_span {
	uint32_t start, len;
};

struct hr_cond_parse {
	bool ok;
	char err[256];          /* Falco's parser message when !ok */
	uint32_t err_pos;       /* byte offset of the error */
	uint32_t err_line, err_col; /* Falco's line/column of the error (from 1) */
	struct hr_cond_span *macros; /* identifiers used as checks, in order */
	uint32_t nmacros;
	struct hr_cond_span *fields; /* every field operand, with its [argument] */
	uint32_t nfields;
	/* values compared with evt.type (=, !=, in, intersects), quotes kept */
	struct hr_cond_span *evttypes;
	uint32_t nevttypes;
};

/* Reads `text`; fills `out` (release with hr_cond_parse_free). */
void hr_cond_parse(const char *text, struct hr_cond_parse *out);
void hr_cond_parse_free(struct hr_cond_parse *p);

/* Falco's list substitution in condition text: every whole-word use of
 * `name` (delimited by blanks, parentheses, commas, '=') replaced by the
 * items joined with ", " (items with a space quoted). Returns a new
 * malloc'ed text, or NULL when the name does not occur. */
char *hr_cond_substitute_list(const char *text, const char *name, const char *const *items, uint32_t nitems);

#endif
