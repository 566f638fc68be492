/*
 * A growable string buffer used by every renderer. It is reused across
 * events (reset, not freed) so that formatting does not allocate per event
 * once it has grown to its working size.
 */
#ifndef HR_STRBUF_H
#define HR_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct hr_strbuf {
	char *p;     /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
};

void hr_sb_grow(struct hr_strbuf *b, size_t extra);
void hr_sb_printf(struct hr_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hr_sb_free(struct hr_strbuf *b);

/* Appends the words of `text` (runs of non-blanks), each followed by a
 * space, so that a line holds at most `width` columns of them: a word that
 * would pass it starts a new line indented by `indent` spaces. `used` is
 * what the current line already holds; returns it after the text. The
 * field and rule listings of sysdig and Falco wrap their descriptions so. */
size_t hr_sb_wrap_words(struct hr_strbuf *b, const char *text, size_t used, size_t width, unsigned indent);

static inline void hr_sb_reset(struct hr_strbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

static inline void hr_sb_append(struct hr_strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		hr_sb_grow(b, n + 1);
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static inline void hr_sb_puts(struct hr_strbuf *b, const char *s) { hr_sb_append(b, s, strlen(s)); }

static inline void hr_sb_putc(struct hr_strbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		hr_sb_grow(b, 2);
	b->p[b->len++] = c;
	b->p[b->len] = 0;
}

/* Returns a NUL-terminated view ("" when empty and never written). */
static inline const char *hr_sb_str(const struct hr_strbuf *b) { return b->p ? b->p : ""; }

#endif
