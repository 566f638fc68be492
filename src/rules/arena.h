/*
 * An append-only string arena: every string the rules loader keeps (names,
 * conditions, file names in error locations) lives here until the whole
 * rule set is freed, so contexts and messages can point at them freely.
 */
#ifndef HR_RULES_ARENA_H
#define HR_RULES_ARENA_H

#include <stddef.h>

struct hr_arena_block;

struct hr_arena {
	struct hr_arena_block *head;
};

char *hr_arena_strndup(struct hr_arena *a, const char *s, size_t n);
char *hr_arena_strdup(struct hr_arena *a, const char *s);
char *hr_arena_printf(struct hr_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Zeroed storage for `n` bytes. */
void *hr_arena_alloc(struct hr_arena *a, size_t n);
void hr_arena_free(struct hr_arena *a);

#endif
