/*
 * Writing .scap capture files that both sysdig 0.29.3 and the newest libs
 * read (scap-format.md section 13): SHB 1.2, MI, IL_V2, UL_V2, one PL_V9
 * (pre-0.10 tail), one FDL_V2 per thread, then event blocks. The tables are
 * written from the state engine, as sysdig writes them from its own state.
 */
#ifndef HR_SCAP_WRITER_H
#define HR_SCAP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/scap_reader.h"
#include "event/event.h"
#include "state/state.h"

struct hr_writer;

/* Opens `path` for writing ("-" for stdout); `compress` selects gzip.
 * Ignores SIGPIPE from then on, so that a closed pipe is a write error.
 * Returns NULL with a message in `err` on failure. */
struct hr_writer *hr_writer_open(const char *path, bool compress, char *err, size_t errlen);

/* Writes a section header and the metadata tables taken from `s`. Call once
 * before the first event (and again to start a new section). */
int hr_writer_begin_section(struct hr_writer *w, const struct hr_state *s);

/* Writes one event as read (its v2 record is rebuilt from the header and
 * parameters). `dump_flags` HR_DF_STATE_ONLY marks a state-only event. */
int hr_writer_write_event(struct hr_writer *w, const struct hr_event *e, uint32_t dump_flags);

/* The -w loop in one call: remembers a section start, and at the first
 * event after it writes the section header and tables from `s`, then the
 * event. Call it for every record, before the state engine processes an
 * event, so that the tables are those of the section's start. */
int hr_writer_write_record(struct hr_writer *w, const struct hr_state *s, const struct hr_record *rec);

/* Hands everything written so far to the file or pipe (a gzip stream is
 * sync-flushed, so a reader can decompress up to here), for a live -w whose
 * reader must see events soon after they happen. Returns 0, or -1 with the
 * error kept for hr_writer_error. */
int hr_writer_flush(struct hr_writer *w);

/* Flushes and closes; returns 0 on success, -1 with a message otherwise. */
int hr_writer_close(struct hr_writer *w, char *err, size_t errlen);

const char *hr_writer_error(const struct hr_writer *w);

#endif
