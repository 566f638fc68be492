/* Growable string buffer (see strbuf.h). */
#include "format/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

void hr_sb_grow(struct hr_strbuf *b, size_t extra)
{
	size_t need = b->len + extra;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p) {
		fputs("harrier: out of memory\n", stderr);
		abort();
	}
	b->p = p;
	b->cap = cap;
}

void hr_sb_printf(struct hr_strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char tmp[256];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		hr_sb_append(b, tmp, (size_t)n);
		return;
	}
	hr_sb_grow(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void hr_sb_free(struct hr_strbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

size_t hr_sb_wrap_words(struct hr_strbuf *b, const char *text, size_t used, size_t width, unsigned indent)
{
	for (const char *p = text;;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		if (!*p)
			return used;
		const char *w = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		size_t n = (size_t)(p - w);
		if (used + n + 1 > width) {
			hr_sb_printf(b, "\n%*s", (int)indent, "");
			used = 0;
		}
		hr_sb_append(b, w, n);
		hr_sb_append(b, " ", 1);
		used += n + 1;
	}
}
