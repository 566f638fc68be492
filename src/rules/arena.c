/* The rules loader's string arena (see arena.h). Out of memory aborts:
 * the loader runs once at start-up and has no way to continue without it. */
#include "rules/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hr_arena_block {
	struct hr_arena_block *next;
	size_t used, cap;
	_Alignas(max_align_t) char data[];
};

#define BLOCK_SIZE (64 * 1024)

/* `n` bytes of storage, not zeroed. */
static void *take(struct hr_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct hr_arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;
		b = malloc(sizeof *b + cap);
		if (!b) {
			fputs("harrier: out of memory loading rules\n", stderr);
			abort();
		}
		b->next = a->head;
		b->used = 0;
		b->cap = cap;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	return p;
}

void *hr_arena_alloc(struct hr_arena *a, size_t n)
{
	return memset(take(a, n), 0, n);
}

char *hr_arena_strndup(struct hr_arena *a, const char *s, size_t n)
{
	char *p = take(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *hr_arena_strdup(struct hr_arena *a, const char *s)
{
	return hr_arena_strndup(a, s, strlen(s));
}

char *hr_arena_printf(struct hr_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = take(a, (size_t)(n < 0 ? 0 : n) + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void hr_arena_free(struct hr_arena *a)
{
	while (a->head) {
		struct hr_arena_block *b = a->head;
		a->head = b->next;
		free(b);
	}
}
