/*
 * The capture writer: turns the state engine's tables and decoded events
 * into .scap blocks in the layout both sysdig 0.29.3 and the newest libs
 * read (scap-format.md section 13). Each block is assembled in memory so
 * that every length field is computed from the bytes actually written;
 * output goes through write(2), optionally via zlib's deflate in gzip
 * framing, so that write errors carry the real errno.
 */
#include "capture/scap_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "capture/scap_blocks.h"

/* Reader limits of the 2022 and newest libs (scap_limits.h): a longer
 * string makes them refuse the whole process list. */
enum { MAX_PATH_LEN = 1024, MAX_ARGS_LEN = 4096, MAX_FD_NAME_LEN = 1023, MAX_CRED_LEN = 255 };
enum { OUT_BUF_SIZE = 256 * 1024, NON_LARGE_MAX_BODY = 65536 };
enum { PPM_CL_CLONE_FILES = 1 << 0 };

struct hr_writer {
	int fd;
	bool close_fd;
	bool compress;
	z_stream z;
	bool z_ready;
	bool failed;
	bool section_pending; /* a section header + tables are due before the next event */
	char path[256];
	char error[512];

	uint8_t *out;         /* bytes waiting for write(2) */
	size_t out_len;

	uint8_t *blk;         /* the block being assembled */
	size_t blk_len, blk_cap;

	/* the tables of a section start, sorted before they are written */
	const struct hr_thread **threads;
	size_t nthreads, threads_cap;
	const struct hr_fd **fds;
	size_t nfds, fds_cap;
};

/* ---- output ------------------------------------------------------------ */

static int fail_errno(struct hr_writer *w, const char *what, int err)
{
	if (!w->failed)
		snprintf(w->error, sizeof w->error, "%s %s: %s", what, w->path, strerror(err));
	w->failed = true;
	return -1;
}

static int write_all(struct hr_writer *w, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(w->fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return fail_errno(w, "cannot write to", errno);
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int flush_out(struct hr_writer *w)
{
	int rc = w->out_len ? write_all(w, w->out, w->out_len) : 0;
	w->out_len = 0;
	return rc;
}

/* Runs deflate over `in` with the zlib flush `mode` (Z_FINISH ends the stream),
 * collecting compressed bytes in the output buffer. */
static int deflate_into_out(struct hr_writer *w, const uint8_t *in, size_t n, int mode)
{
	w->z.next_in = (Bytef *)in;
	w->z.avail_in = (uInt)n;
	for (;;) {
		if (w->out_len == OUT_BUF_SIZE && flush_out(w) < 0)
			return -1;
		w->z.next_out = w->out + w->out_len;
		w->z.avail_out = (uInt)(OUT_BUF_SIZE - w->out_len);
		int zr = deflate(&w->z, mode);
		w->out_len = OUT_BUF_SIZE - w->z.avail_out;
		if (zr == Z_STREAM_END)
			return 0;
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(w->error, sizeof w->error, "gzip compression failed for %s (zlib error %d)", w->path, zr);
			w->failed = true;
			return -1;
		}
		/* done once deflate leaves output room unused: it had no more to give */
		if (mode != Z_FINISH && w->z.avail_in == 0 && w->z.avail_out > 0)
			return 0;
	}
}

static int emit(struct hr_writer *w, const uint8_t *p, size_t n)
{
	if (w->failed)
		return -1;
	if (w->compress)
		return deflate_into_out(w, p, n, Z_NO_FLUSH);
	if (w->out_len + n > OUT_BUF_SIZE && flush_out(w) < 0)
		return -1;
	if (n >= OUT_BUF_SIZE)
		return write_all(w, p, n);
	memcpy(w->out + w->out_len, p, n);
	w->out_len += n;
	return 0;
}

/* ---- block assembly ---------------------------------------------------- */

static bool reserve(struct hr_writer *w, size_t n)
{
	if (w->blk_len + n <= w->blk_cap)
		return true;
	size_t cap = w->blk_cap ? w->blk_cap : 4096;
	while (cap < w->blk_len + n)
		cap *= 2;
	uint8_t *nb = realloc(w->blk, cap);
	if (!nb) {
		snprintf(w->error, sizeof w->error, "out of memory while writing %s", w->path);
		w->failed = true;
		return false;
	}
	w->blk = nb;
	w->blk_cap = cap;
	return true;
}

static void put(struct hr_writer *w, const void *p, size_t n)
{
	if (!reserve(w, n))
		return;
	if (n)
		memcpy(w->blk + w->blk_len, p, n);
	w->blk_len += n;
}

static void put8(struct hr_writer *w, uint8_t v) { put(w, &v, 1); }
static void put16(struct hr_writer *w, uint16_t v) { put(w, &v, 2); }
static void put32(struct hr_writer *w, uint32_t v) { put(w, &v, 4); }
static void put64(struct hr_writer *w, uint64_t v) { put(w, &v, 8); }

/* A length-prefixed string of a metadata block (no NUL), cut at the limit
 * the readers enforce. */
static void put_str16(struct hr_writer *w, const char *p, uint32_t len, uint32_t limit)
{
	if (!p)
		len = 0;
	if (len > limit)
		len = limit;
	put16(w, (uint16_t)len);
	put(w, p, len);
}

static void patch32(struct hr_writer *w, size_t at, uint32_t v)
{
	if (!w->failed)
		memcpy(w->blk + at, &v, 4);
}

static void block_begin(struct hr_writer *w, uint32_t type)
{
	w->blk_len = 0;
	put32(w, type);
	put32(w, 0); /* total length, patched by block_end */
}

static void block_set_type(struct hr_writer *w, uint32_t type) { patch32(w, 0, type); }

/* Pads the body to 4 bytes with zeros, appends the trailer, fills in the
 * header length and writes the block out. */
static int block_end(struct hr_writer *w)
{
	static const uint8_t zeros[4];
	put(w, zeros, (4 - w->blk_len % 4) % 4);
	uint32_t total = (uint32_t)(w->blk_len + 4);
	put32(w, total);
	patch32(w, 4, total);
	if (w->failed)
		return -1;
	return emit(w, w->blk, w->blk_len);
}

/* ---- open / close ------------------------------------------------------ */

struct hr_writer *hr_writer_open(const char *path, bool compress, char *err, size_t errlen)
{
	struct hr_writer *w = calloc(1, sizeof *w);
	if (w)
		w->out = malloc(OUT_BUF_SIZE);
	if (!w || !w->out) {
		snprintf(err, errlen, "out of memory");
		free(w);
		return NULL;
	}
	snprintf(w->path, sizeof w->path, "%s", strcmp(path, "-") == 0 ? "standard output" : path);
	if (strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
	} else {
		w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (w->fd < 0) {
			snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
			free(w->out);
			free(w);
			return NULL;
		}
		w->close_fd = true;
	}
	/* A reader that goes away (closed pipe) must become a reported write
	 * error, not a silent death by SIGPIPE with a half-written file. */
	signal(SIGPIPE, SIG_IGN);
	w->compress = compress;
	if (compress) {
		/* windowBits 15 + 16 asks zlib for the gzip framing. */
		if (deflateInit2(&w->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			snprintf(err, errlen, "cannot start gzip compression for %s", w->path);
			if (w->close_fd)
				close(w->fd);
			free(w->out);
			free(w);
			return NULL;
		}
		w->z_ready = true;
	}
	w->section_pending = true;
	return w;
}

int hr_writer_flush(struct hr_writer *w)
{
	if (w->failed)
		return -1;
	if (w->compress && deflate_into_out(w, NULL, 0, Z_SYNC_FLUSH) < 0)
		return -1;
	return flush_out(w);
}

int hr_writer_close(struct hr_writer *w, char *err, size_t errlen)
{
	if (!w)
		return 0;
	if (!w->failed && w->compress)
		deflate_into_out(w, NULL, 0, Z_FINISH);
	if (!w->failed)
		flush_out(w);
	if (w->z_ready)
		deflateEnd(&w->z);
	if (w->close_fd && close(w->fd) < 0)
		fail_errno(w, "cannot finish writing", errno);
	int rc = w->failed ? -1 : 0;
	if (rc < 0)
		snprintf(err, errlen, "%s", w->error);
	free(w->blk);
	free(w->out);
	free(w->threads);
	free(w->fds);
	free(w);
	return rc;
}

const char *hr_writer_error(const struct hr_writer *w) { return w->error; }

/* ---- metadata blocks --------------------------------------------------- */

static int write_section_header(struct hr_writer *w)
{
	block_begin(w, HR_BLK_SHB);
	put32(w, 0x1A2B3C4D);
	put16(w, 1); /* major */
	put16(w, 2); /* minor: 1.2, the version libs writes */
	put64(w, UINT64_MAX); /* section length unknown */
	return block_end(w);
}

static int write_machine_info(struct hr_writer *w, const struct hr_machine_info *mi)
{
	char hostname[128] = {0};
	memcpy(hostname, mi->hostname, strnlen(mi->hostname, sizeof hostname));
	block_begin(w, HR_BLK_MI);
	put32(w, mi->num_cpus);
	put64(w, mi->memory_size_bytes);
	put64(w, mi->max_pid);
	put(w, hostname, sizeof hostname);
	put64(w, mi->boot_ts_epoch);
	put64(w, mi->flags);
	put64(w, 0);
	put64(w, 0);
	return block_end(w);
}

static void put_iface(void *ctx, const struct hr_iface_entry *ifc)
{
	struct hr_writer *w = ctx;
	size_t start = w->blk_len;
	unsigned alen = ifc->kind == HR_IFACE_IPV6 ? 16 : 4;
	uint32_t namelen = ifc->name.len < MAX_PATH_LEN - 1 ? ifc->name.len : MAX_PATH_LEN - 1;
	put32(w, 0); /* entry length, excluding itself (unlike the other lists) */
	put16(w, ifc->kind == HR_IFACE_IPV6 ? 2 : 1);
	put16(w, (uint16_t)namelen);
	put(w, ifc->addr, alen);
	put(w, ifc->netmask, alen);
	put(w, ifc->bcast, alen);
	put64(w, ifc->linkspeed);
	put(w, ifc->name.p, namelen);
	patch32(w, start, (uint32_t)(w->blk_len - start - 4));
}

static int write_iface_list(struct hr_writer *w, const struct hr_state *s)
{
	block_begin(w, HR_BLK_IL_V2);
	hr_state_each_iface(s, put_iface, w);
	if (w->blk_len == 8)
		return 0; /* no interfaces known: no block */
	return block_end(w);
}

static void put_user(void *ctx, const struct hr_user *u)
{
	struct hr_writer *w = ctx;
	size_t start = w->blk_len;
	put32(w, 0);
	put8(w, 0);
	put32(w, u->uid);
	put32(w, u->gid);
	put_str16(w, u->name.p, u->name.len, MAX_CRED_LEN);
	put_str16(w, u->homedir.p, u->homedir.len, MAX_CRED_LEN);
	put_str16(w, u->shell.p, u->shell.len, MAX_CRED_LEN);
	patch32(w, start, (uint32_t)(w->blk_len - start));
}

static void put_group(void *ctx, const struct hr_group *g)
{
	struct hr_writer *w = ctx;
	size_t start = w->blk_len;
	put32(w, 0);
	put8(w, 1);
	put32(w, g->gid);
	put_str16(w, g->name.p, g->name.len, MAX_CRED_LEN);
	patch32(w, start, (uint32_t)(w->blk_len - start));
}

static int write_user_list(struct hr_writer *w, const struct hr_state *s)
{
	block_begin(w, HR_BLK_UL_V2);
	hr_state_each_user(s, put_user, w);
	hr_state_each_group(s, put_group, w);
	if (w->blk_len == 8)
		return 0;
	return block_end(w);
}

static void put_bytes16(struct hr_writer *w, const struct hr_bytes *b, uint32_t limit)
{
	put_str16(w, b->p, b->len, limit);
}

static void put_thread(struct hr_writer *w, const struct hr_thread *t)
{
	size_t start = w->blk_len;
	put32(w, 0); /* entry length, including itself */
	put64(w, (uint64_t)t->tid);
	put64(w, (uint64_t)t->pid);
	put64(w, (uint64_t)t->ptid);
	put64(w, (uint64_t)t->sid);
	put64(w, (uint64_t)t->vpgid);
	put_bytes16(w, &t->comm, MAX_PATH_LEN);
	put_bytes16(w, &t->exe, MAX_PATH_LEN);
	put_bytes16(w, &t->exepath, MAX_PATH_LEN);
	put_bytes16(w, &t->args, MAX_ARGS_LEN);
	put_bytes16(w, &t->cwd, MAX_PATH_LEN);
	put64(w, t->fdlimit);
	put32(w, t->flags);
	put32(w, t->uid);
	put32(w, t->gid);
	put32(w, t->vmsize_kb);
	put32(w, t->vmrss_kb);
	put32(w, t->vmswap_kb);
	put64(w, t->pfmajor);
	put64(w, t->pfminor);
	put_bytes16(w, &t->env, MAX_ARGS_LEN);
	put64(w, (uint64_t)t->vtid);
	put64(w, (uint64_t)t->vpid);
	put_bytes16(w, &t->cgroups, MAX_ARGS_LEN);
	put_bytes16(w, &t->root, MAX_PATH_LEN);
	/* The pre-0.10 tail (29 bytes): sysdig 0.29.3 misreads the newest one,
	 * and the newest reader recognises this one by its size. */
	put32(w, t->loginuid);
	put8(w, t->exe_writable ? 1 : 0);
	put64(w, t->cap_inheritable);
	put64(w, t->cap_permitted);
	put64(w, t->cap_effective);
	patch32(w, start, (uint32_t)(w->blk_len - start));
}

static int write_process_list(struct hr_writer *w)
{
	block_begin(w, HR_BLK_PL_V9);
	for (size_t i = 0; i < w->nthreads; i++)
		put_thread(w, w->threads[i]);
	return block_end(w);
}

/* File types the 2022 reader rejects (17-21) are written as unsupported. */
static uint8_t fd_type_on_disk(const struct hr_fd *f)
{
	if (f->type > HR_FD_FILE_V2)
		return HR_FD_UNSUPPORTED;
	/* A plain file with open flags or a device is a FILE_V2 entry; one
	 * without either came from an old FILE entry and stays one. */
	if (f->type == HR_FD_FILE && (f->open_flags || f->dev))
		return HR_FD_FILE_V2;
	return f->type;
}

static void put_fd(struct hr_writer *w, const struct hr_fd *f)
{
	uint8_t type = fd_type_on_disk(f);
	if (type == HR_FD_UNKNOWN)
		return;
	size_t start = w->blk_len;
	put32(w, 0);
	put64(w, (uint64_t)f->fd);
	put64(w, f->ino);
	put8(w, type);
	switch (type) {
	case HR_FD_IPV4_SOCK:
		/* Readers turn a listed IPv4 socket around when its source port is
		 * a listening port, making it a server-side socket; a server-side
		 * socket is therefore written in the kernel's local-first order so
		 * that reading the copy turns it around to the same tuple again. */
		if (f->is_role_server) {
			put(w, f->dip, 4);
			put(w, f->sip, 4);
			put16(w, f->dport);
			put16(w, f->sport);
		} else {
			put(w, f->sip, 4);
			put(w, f->dip, 4);
			put16(w, f->sport);
			put16(w, f->dport);
		}
		put8(w, f->l4proto);
		break;
	case HR_FD_IPV6_SOCK:
		put(w, f->sip, 16);
		put(w, f->dip, 16);
		put16(w, f->sport);
		put16(w, f->dport);
		put8(w, f->l4proto);
		break;
	case HR_FD_IPV4_SERVSOCK:
		put(w, f->sip, 4);
		put16(w, f->sport);
		put8(w, f->l4proto);
		break;
	case HR_FD_IPV6_SERVSOCK:
		put(w, f->sip, 16);
		put16(w, f->sport);
		put8(w, f->l4proto);
		break;
	case HR_FD_UNIX_SOCK:
		put64(w, f->unix_source);
		put64(w, f->unix_dest);
		put_bytes16(w, &f->name, MAX_FD_NAME_LEN);
		break;
	case HR_FD_FILE_V2:
		put32(w, f->open_flags);
		put_bytes16(w, &f->name, MAX_FD_NAME_LEN);
		put32(w, f->dev);
		break;
	default:
		put_bytes16(w, &f->name, MAX_FD_NAME_LEN);
		break;
	}
	patch32(w, start, (uint32_t)(w->blk_len - start));
}

/* The tables are listed sorted by thread id and fd number, as /proc lists
 * them: sysdig 0.29.3's output can depend on the order in which a thread's
 * fds were loaded (seen on the synthetic capture), so the copy keeps the
 * order the original most likely had rather than the state's hash order. */
/* Room for element `n` of a list of `elsize`-byte elements: returns the
 * list, moved if it had to grow, or NULL (error set) when out of memory. */
static void *grow_list(struct hr_writer *w, void *list, size_t *cap, size_t n, size_t elsize)
{
	if (n < *cap)
		return list;
	size_t ncap = *cap ? *cap * 2 : 256;
	void *nl = realloc(list, ncap * elsize);
	if (!nl) {
		snprintf(w->error, sizeof w->error, "out of memory while writing %s", w->path);
		w->failed = true;
		return NULL;
	}
	*cap = ncap;
	return nl;
}

static void collect_thread(void *ctx, const struct hr_thread *t)
{
	struct hr_writer *w = ctx;
	if (t->dead)
		return;
	const struct hr_thread **l = grow_list(w, w->threads, &w->threads_cap, w->nthreads, sizeof *l);
	if (l) {
		w->threads = l;
		w->threads[w->nthreads++] = t;
	}
}

static void collect_fd(void *ctx, const struct hr_fd *f)
{
	struct hr_writer *w = ctx;
	const struct hr_fd **l = grow_list(w, w->fds, &w->fds_cap, w->nfds, sizeof *l);
	if (l) {
		w->fds = l;
		w->fds[w->nfds++] = f;
	}
}

static int by_tid(const void *a, const void *b)
{
	int64_t x = (*(const struct hr_thread *const *)a)->tid, y = (*(const struct hr_thread *const *)b)->tid;
	return (x > y) - (x < y);
}

static int by_fd(const void *a, const void *b)
{
	int64_t x = (*(const struct hr_fd *const *)a)->fd, y = (*(const struct hr_fd *const *)b)->fd;
	return (x > y) - (x < y);
}

static int write_fd_list(struct hr_writer *w, const struct hr_state *s, const struct hr_thread *t)
{
	w->nfds = 0;
	/* A thread that shares its process's files (PPM_CL_CLONE_FILES) looks
	 * fds up in its main thread's table, so only tables of their own are
	 * listed: the main thread's, and those of threads without that flag. */
	if (t->tid == t->pid || !(t->flags & PPM_CL_CLONE_FILES))
		hr_state_each_fd(s, t, collect_fd, w);
	if (w->nfds > 1)
		qsort(w->fds, w->nfds, sizeof *w->fds, by_fd);
	block_begin(w, HR_BLK_FDL_V2);
	put64(w, (uint64_t)t->tid);
	for (size_t i = 0; i < w->nfds; i++)
		put_fd(w, w->fds[i]);
	return block_end(w);
}

int hr_writer_begin_section(struct hr_writer *w, const struct hr_state *s)
{
	w->nthreads = 0;
	hr_state_each_thread(s, collect_thread, w);
	if (w->nthreads) /* an empty state has no array at all */
		qsort(w->threads, w->nthreads, sizeof *w->threads, by_tid);
	const struct hr_machine_info *mi = hr_state_machine(s);
	if (w->failed || write_section_header(w) < 0 || (mi && write_machine_info(w, mi) < 0) ||
	    write_iface_list(w, s) < 0 || write_user_list(w, s) < 0 || write_process_list(w) < 0)
		return -1;
	for (size_t i = 0; i < w->nthreads; i++)
		if (write_fd_list(w, s, w->threads[i]) < 0)
			return -1;
	w->section_pending = false;
	return 0;
}

/* ---- events ------------------------------------------------------------ */

int hr_writer_write_event(struct hr_writer *w, const struct hr_event *e, uint32_t dump_flags)
{
	if (e->nparams > e->nparams_indexed) {
		snprintf(w->error, sizeof w->error,
			 "cannot write event %llu to %s: it has %u parameters, more than the %d Harrier indexes",
			 (unsigned long long)e->num, w->path, e->nparams, HR_MAX_PARAMS);
		w->failed = true;
		return -1;
	}
	bool large_payload = hr_event_len_size(e->type) == 4;
	bool state_only = dump_flags & HR_DF_STATE_ONLY;
	block_begin(w, 0);
	put16(w, e->cpu);
	if (state_only)
		put32(w, HR_DF_STATE_ONLY);
	size_t hdr = w->blk_len;
	put64(w, e->ts);
	put64(w, (uint64_t)e->tid);
	put32(w, 0); /* event length, patched below */
	put16(w, e->type);
	put32(w, e->nparams);
	for (uint32_t i = 0; i < e->nparams; i++) {
		if (large_payload)
			put32(w, e->param_len[i]);
		else
			put16(w, (uint16_t)e->param_len[i]);
	}
	for (uint32_t i = 0; i < e->nparams; i++)
		put(w, e->param[i], e->param_len[i]);
	patch32(w, hdr + 16, (uint32_t)(w->blk_len - hdr));
	/* Event types with large payloads get _LARGE blocks, as libs writes
	 * them; so does any event too big for a normal block's 64 KiB. */
	size_t total = ((w->blk_len + 3) & ~(size_t)3) + 4;
	bool large_block = large_payload || total - 8 > NON_LARGE_MAX_BODY;
	block_set_type(w, state_only ? (large_block ? HR_BLK_EVF_V2_LARGE : HR_BLK_EVF_V2)
				     : (large_block ? HR_BLK_EV_V2_LARGE : HR_BLK_EV_V2));
	return block_end(w);
}

int hr_writer_write_record(struct hr_writer *w, const struct hr_state *s, const struct hr_record *rec)
{
	if (rec->kind == HR_REC_SECTION) {
		w->section_pending = true;
		return 0;
	}
	if (rec->kind != HR_REC_EVENT)
		return 0;
	if (w->section_pending && hr_writer_begin_section(w, s) < 0)
		return -1;
	return hr_writer_write_event(w, &rec->event, rec->event.dump_flags);
}
