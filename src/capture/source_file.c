/*
 * The capture-file reader seen through the record-source interface
 * (source.h): a thin adapter, the reader itself is unchanged.
 */
#include "capture/source.h"

#include <stdlib.h>

struct file_source {
	struct hr_source base; /* first: the source pointer is the adapter's */
	struct hr_reader *reader;
};

static enum hr_record_kind file_next(struct hr_source *src, struct hr_record *rec)
{
	return hr_reader_next(((struct file_source *)src)->reader, rec);
}

static const char *file_error(const struct hr_source *src)
{
	return hr_reader_error(((const struct file_source *)src)->reader);
}

static void file_close(struct hr_source *src)
{
	struct file_source *fs = (struct file_source *)src;
	hr_reader_close(fs->reader);
	free(fs);
}

static const struct hr_source_ops file_ops = {file_next, file_error, file_close};

struct hr_source *hr_source_from_reader(struct hr_reader *r)
{
	struct file_source *fs = malloc(sizeof *fs);
	if (!fs) {
		hr_reader_close(r);
		return NULL;
	}
	fs->base.ops = &file_ops;
	fs->reader = r;
	return &fs->base;
}
