/*
 * Unit tests of the capture writer's flush (src/capture/scap_writer.c):
 * a live `-w -` must hand what it has written to its pipe when asked, in
 * plain and in gzip form, so that a reader on the other end sees events
 * while they happen rather than when the write buffer fills.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "capture/scap_writer.h"
#include "event/event.h"
#include "state/state.h"
#include "state/state_event_ids.h"

#define UNIT_SUITE "writer"
#include "unit_check.h"
#include "unit_events.h"

static const char MARK[] = "/harrier-unit-writer-flush-mark";

/* An open exit (fd 3, MARK) decoded from a v2 record kept in `rec`. */
static bool build_open_exit(struct hr_event *e, uint8_t *rec, size_t cap)
{
	int64_t fd = 3;
	struct unit_param ps[] = {{&fd, sizeof fd}, {MARK, sizeof MARK}};
	return unit_event(e, rec, cap, EV_OPEN_X, 1700000000000000000ull, 4242, ps, 2);
}

/* Everything readable from the pipe now, without waiting. */
static size_t drain(int fd, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	for (;;) {
		ssize_t k = read(fd, buf + n, cap - n);
		if (k <= 0)
			return n;
		n += (size_t)k;
	}
}

static bool contains(const uint8_t *p, size_t n, const char *s)
{
	size_t sl = strlen(s);
	for (size_t i = 0; i + sl <= n; i++)
		if (memcmp(p + i, s, sl) == 0)
			return true;
	return false;
}

/* The gzip stream as far as it can be decompressed. */
static size_t gunzip_prefix(const uint8_t *in, size_t n, uint8_t *out, size_t cap)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return 0;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	inflate(&z, Z_SYNC_FLUSH);
	size_t got = cap - z.avail_out;
	inflateEnd(&z);
	return got;
}

static void flush_case(bool compress)
{
	const char *what = compress ? "gzip recording" : "plain recording";
	char msg[200];
	int p[2];
	if (pipe(p) != 0) {
		check(false, what, "pipe");
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETPIPE_SZ, 1 << 20);
	char path[32];
	snprintf(path, sizeof path, "/dev/fd/%d", p[1]);
	char err[256];
	struct hr_writer *w = hr_writer_open(path, compress, err, sizeof err);
	struct hr_state *s = hr_state_new();
	static uint8_t rec[512], got[1 << 20], plain[1 << 20];
	struct hr_event e;
	bool built = build_open_exit(&e, rec, sizeof rec);
	check(w && s && built, what, w ? "event or state" : err);
	if (w && s && built) {
		check(hr_writer_begin_section(w, s) == 0 && hr_writer_write_event(w, &e, 0) == 0, what,
		      "section and event written");
		size_t n = drain(p[0], got, sizeof got);
		size_t un = compress ? gunzip_prefix(got, n, plain, sizeof plain) : n;
		snprintf(msg, sizeof msg, "%s: nothing of the event reaches the pipe before a flush", what);
		check(!contains(compress ? plain : got, un, MARK), msg, NULL);
		check(hr_writer_flush(w) == 0, what, "flush succeeds");
		n += drain(p[0], got + n, sizeof got - n);
		un = compress ? gunzip_prefix(got, n, plain, sizeof plain) : n;
		snprintf(msg, sizeof msg, "%s: the event is readable from the pipe after a flush", what);
		check(contains(compress ? plain : got, un, MARK), msg, NULL);
		check(hr_writer_flush(w) == 0, what, "a second flush with nothing new succeeds");
		check(hr_writer_close(w, err, sizeof err) == 0, what, err);
		w = NULL;
	}
	if (w)
		hr_writer_close(w, err, sizeof err);
	hr_state_free(s);
	close(p[0]);
	close(p[1]);
}

/* A flush into a pipe nobody reads any more is a write error, kept by
 * the writer and reported by its close. */
static void flush_to_closed_pipe(void)
{
	int p[2];
	if (pipe(p) != 0) {
		check(false, "closed pipe", "pipe");
		return;
	}
	char path[32];
	snprintf(path, sizeof path, "/dev/fd/%d", p[1]);
	char err[256];
	struct hr_writer *w = hr_writer_open(path, false, err, sizeof err);
	struct hr_state *s = hr_state_new();
	static uint8_t rec[512];
	struct hr_event e;
	close(p[0]);
	if (w && s && build_open_exit(&e, rec, sizeof rec)) {
		hr_writer_begin_section(w, s);
		hr_writer_write_event(w, &e, 0);
		check(hr_writer_flush(w) < 0, "flush into a closed pipe fails", NULL);
		check(hr_writer_close(w, err, sizeof err) < 0 && err[0] != '\0', "close reports the write error", err);
	} else {
		check(false, "closed pipe", "writer, state or event");
		if (w)
			hr_writer_close(w, err, sizeof err);
	}
	hr_state_free(s);
	close(p[1]);
}

void unit_writer(unsigned *passed, unsigned *failed)
{
	flush_case(false);
	flush_case(true);
	flush_to_closed_pipe();
	*passed += n_passed;
	*failed += n_failed;
}
