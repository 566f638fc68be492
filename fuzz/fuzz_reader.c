/*
 * libFuzzer target for the capture reader and the state engine behind it:
 * any byte string is opened as an in-memory capture (plain or gzip), every
 * record is drained and applied to a fresh state, as harrier-inspect does.
 * Besides memory errors (ASan/UBSan) it checks the reader's contract: an
 * error is sticky and its message names a file offset.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/scap_reader.h"
#include "state/state.h"

static void ignore_warning(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct hr_reader *r = hr_reader_open_memory(data, size, err, sizeof err);
	if (!r)
		return 0;
	hr_reader_set_warning_handler(r, ignore_warning, NULL);
	struct hr_state *st = hr_state_new();
	static struct hr_record rec;
	enum hr_record_kind k;
	while ((k = hr_reader_next(r, &rec)) != HR_REC_END && k != HR_REC_ERROR) {
		if (k == HR_REC_EVENT)
			hr_state_process_event(st, &rec.event);
		else
			hr_state_apply_record(st, &rec);
	}
	if (hr_reader_next(r, &rec) != k) {
		fprintf(stderr, "reader contract: the final record kind %d is not sticky\n", k);
		abort();
	}
	if (k == HR_REC_ERROR && !strstr(hr_reader_error(r), "offset")) {
		fprintf(stderr, "reader contract: error without an offset: %s\n", hr_reader_error(r));
		abort();
	}
	hr_state_free(st);
	hr_reader_close(r);
	return 0;
}
