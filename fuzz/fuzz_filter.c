/*
 * libFuzzer target for the filter language: any byte string (up to its
 * first NUL) is compiled as a condition; a compiled filter is run on a
 * stateless event and freed. Besides memory errors and leaks (ASan) it
 * checks the compiler's contract: a refusal names a position inside the
 * text and a non-empty reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct hr_filter_error err;
	struct hr_filter *f = hr_filter_compile(text, &err);
	if (!f) {
		if (err.pos > strlen(text) || !err.msg[0]) {
			fprintf(stderr, "bad error: position %zu of %zu, '%s'\n", err.pos, strlen(text), err.msg);
			abort();
		}
	} else {
		struct hr_event e;
		memset(&e, 0, sizeof e);
		e.num = size;
		e.type = (uint16_t)(size % HR_EVENT_MAX);
		struct hr_field_ctx ctx;
		hr_field_ctx_init(&ctx, NULL);
		hr_filter_match(f, &ctx, &e);
		hr_filter_free(f);
	}
	free(text);
	return 0;
}
