/*
 * Reading .scap capture files (plain or gzip): block framing, every block
 * type and version, v1 event headers, several sections. The file is
 * untrusted: every length is checked, and a problem stops the read with a
 * message naming the file offset and the block.
 */
#ifndef HR_SCAP_READER_H
#define HR_SCAP_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/capture_records.h"
#include "event/event.h"

enum hr_record_kind {
	HR_REC_END = 0,     /* clean end of file */
	HR_REC_ERROR,       /* hr_reader_error() says why */
	HR_REC_SECTION,     /* a section header: the consumer resets its tables */
	HR_REC_MACHINE,
	HR_REC_IFACE,
	HR_REC_USER,
	HR_REC_GROUP,
	HR_REC_USERLIST_BEGIN, /* a new user list replaces the previous one */
	HR_REC_THREAD,
	HR_REC_FD,          /* one fd of thread `fd_tid` */
	HR_REC_EVENT,
};

struct hr_section_info {
	uint16_t major, minor;
};

struct hr_record {
	enum hr_record_kind kind;
	union {
		struct hr_section_info section;
		struct hr_machine_info machine;
		struct hr_iface_entry iface;
		struct hr_user_entry user;
		struct hr_group_entry group;
		struct hr_proc_entry thread;
		struct {
			int64_t tid;
			struct hr_fd_entry entry;
		} fd;
	} u;
	struct hr_event event; /* kind == HR_REC_EVENT; param pointers valid until the next call */
};

struct hr_reader;

/* Opens `path` ("-" for stdin). Returns NULL and fills `err` (of `errlen`
 * bytes) when the file cannot be opened or is not a capture. */
struct hr_reader *hr_reader_open(const char *path, char *err, size_t errlen);

/* Opens a capture held in memory (used by the fuzz target and tests). The
 * buffer must outlive the reader. */
struct hr_reader *hr_reader_open_memory(const uint8_t *data, size_t len, char *err, size_t errlen);

/* Next record of the file. After HR_REC_END or HR_REC_ERROR it keeps
 * returning the same kind. */
enum hr_record_kind hr_reader_next(struct hr_reader *r, struct hr_record *rec);

const char *hr_reader_error(const struct hr_reader *r);
/* Warnings (unknown blocks skipped...) are reported through this callback;
 * the default prints them on stderr. */
void hr_reader_set_warning_handler(struct hr_reader *r, void (*fn)(void *ctx, const char *msg), void *ctx);

uint64_t hr_reader_events_read(const struct hr_reader *r);
void hr_reader_close(struct hr_reader *r);

#endif
