/*
 * The pass/fail bookkeeping most C unit test files share. A file defines
 * UNIT_SUITE (the name its failure lines start with) before including
 * this header, counts through check(), and reports n_passed/n_failed from
 * its unit_*() entry point.
 */
#ifndef HR_UNIT_CHECK_H
#define HR_UNIT_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef UNIT_SUITE
#error "define UNIT_SUITE before including unit_check.h"
#endif

static unsigned n_passed, n_failed;

static inline void check(bool ok, const char *what, const char *detail)
{
	if (ok) {
		n_passed++;
		return;
	}
	n_failed++;
	printf("FAIL " UNIT_SUITE ": %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
}

static inline void check_str(const char *what, const char *got, const char *want)
{
	char detail[600];
	snprintf(detail, sizeof detail, "got [%s] want [%s]", got ? got : "(null)", want);
	check(got && strcmp(got, want) == 0, what, detail);
}

static inline void check_int(const char *what, long long got, long long want)
{
	char detail[100];
	snprintf(detail, sizeof detail, "got %lld want %lld", got, want);
	check(got == want, what, detail);
}

#endif
