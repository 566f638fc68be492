/*
 * Where the consumer loop gets its records from: a capture file or a live
 * capture, behind one small interface, so that decoding, state, filters
 * and output treat both alike. Records follow the reader's contract
 * (scap_reader.h): a section, metadata tables, then events; END or ERROR
 * repeat once reached.
 */
#ifndef HR_SOURCE_H
#define HR_SOURCE_H

#include "capture/scap_reader.h"

struct hr_source;

struct hr_source_ops {
	enum hr_record_kind (*next)(struct hr_source *src, struct hr_record *rec);
	const char *(*error)(const struct hr_source *src);
	void (*close)(struct hr_source *src);
};

struct hr_source {
	const struct hr_source_ops *ops;
};

static inline enum hr_record_kind hr_source_next(struct hr_source *src, struct hr_record *rec)
{
	return src->ops->next(src, rec);
}

/* Why the source returned HR_REC_ERROR. */
static inline const char *hr_source_error(const struct hr_source *src)
{
	return src->ops->error(src);
}

static inline void hr_source_close(struct hr_source *src)
{
	if (src)
		src->ops->close(src);
}

/* A capture file as a source; the source owns `r` from then on. NULL (and
 * `r` closed) when out of memory. */
struct hr_source *hr_source_from_reader(struct hr_reader *r);

#endif
