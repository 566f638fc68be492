/*
 * .scap reader: turns a plain or gzip capture into a stream of records
 * (sections, metadata entries, events). It owns the input buffer, the block
 * framing checks and the per-block entry parsers; it knows nothing of state.
 *
 * Every length in the file is checked before it is used. The buffer only
 * grows as data actually arrives, so a corrupt length cannot make us
 * allocate more than about twice the real file size.
 */
#include "capture/scap_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "capture/scap_blocks.h"

#define READ_CHUNK (1u << 20)
#define MAX_BLOCK_LEN (1u << 30)       /* a sanity bound for _LARGE and list blocks */
#define MAX_MEMORY_INFLATE (1ull << 28) /* gzip held in memory (tests, fuzzing) may not expand beyond this */

enum reader_phase { PHASE_START, PHASE_METADATA, PHASE_EVENTS, PHASE_DONE };

struct hr_reader {
	/* input */
	gzFile gz;
	bool from_memory;
	uint8_t *buf;     /* owned unless from_memory */
	size_t cap, start, end;
	uint64_t base_off; /* stream offset of buf[0] */
	bool eof;
	char input_error[160]; /* why the input stopped early (damaged gzip, read error); "" if clean */

	/* the block being walked */
	const uint8_t *blk;     /* start of the block (frame included) */
	uint32_t blk_type, blk_len;
	uint64_t blk_off;       /* stream offset of the block */
	uint32_t cursor;        /* offset of the next entry inside the block */
	int64_t fdl_tid;
	bool userlist_announced;

	enum reader_phase phase;
	struct hr_section_info section;
	uint64_t events;
	enum hr_record_kind final_kind;
	char error[512];
	void (*warn)(void *, const char *);
	void *warn_ctx;

	uint8_t *event_copy; /* v1 events are rebuilt with a v2 header here */
	uint32_t event_copy_cap;
};

static void default_warning(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "warning: %s\n", msg);
}

static enum hr_record_kind fail(struct hr_reader *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
	r->phase = PHASE_DONE;
	r->final_kind = HR_REC_ERROR;
	return HR_REC_ERROR;
}

/* Ends the read with the message already in r->error. */
static enum hr_record_kind fail_with_error(struct hr_reader *r)
{
	r->phase = PHASE_DONE;
	r->final_kind = HR_REC_ERROR;
	return HR_REC_ERROR;
}

/* Sets r->error to "<block> block at offset B, entry at offset E: <why>"
 * for a problem inside the entry at the cursor; returns false. */
static bool entry_error(struct hr_reader *r, const char *fmt, ...)
{
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	snprintf(r->error, sizeof r->error, "%s block at offset %llu, entry at offset %llu: %s",
		 hr_blk_name(r->blk_type), (unsigned long long)r->blk_off,
		 (unsigned long long)(r->blk_off + r->cursor), why);
	return false;
}

static void warn(struct hr_reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->warn(r->warn_ctx, msg);
}

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* Makes at least `n` bytes available at buf[start]. Returns the number of
 * bytes available (less than n only at end of input or on a read error). */
static size_t need(struct hr_reader *r, size_t n)
{
	while (r->end - r->start < n && !r->eof && !r->from_memory) {
		if (r->start > 0) {
			memmove(r->buf, r->buf + r->start, r->end - r->start);
			r->base_off += r->start;
			r->end -= r->start;
			r->start = 0;
		}
		size_t want = r->end + READ_CHUNK;
		if (want > r->cap) {
			size_t ncap = r->cap ? r->cap * 2 : READ_CHUNK * 2;
			while (ncap < want)
				ncap *= 2;
			uint8_t *nb = realloc(r->buf, ncap);
			if (!nb) {
				r->eof = true;
				break;
			}
			r->buf = nb;
			r->cap = ncap;
		}
		size_t room = r->cap - r->end;
		if (room > (1u << 30))
			room = 1u << 30;
		int got = gzread(r->gz, r->buf + r->end, (unsigned)room);
		if (got <= 0) {
			int zerr = Z_OK;
			const char *msg = gzerror(r->gz, &zerr);
			if (zerr == Z_ERRNO)
				snprintf(r->input_error, sizeof r->input_error, "read error: %s", strerror(errno));
			else if (zerr != Z_OK) {
				/* zlib prefixes the name it was opened with ("<fd:3>: ") */
				const char *sep = msg[0] == '<' ? strstr(msg, ": ") : NULL;
				snprintf(r->input_error, sizeof r->input_error, "gzip: %s", sep ? sep + 2 : msg);
			}
			r->eof = true;
			break;
		}
		r->end += (size_t)got;
	}
	return r->end - r->start;
}

static struct hr_reader *reader_new(void)
{
	struct hr_reader *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->warn = default_warning;
	r->phase = PHASE_START;
	return r;
}

struct hr_reader *hr_reader_open(const char *path, char *err, size_t errlen)
{
	int fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	struct hr_reader *r = reader_new();
	if (!r) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->gz = gzdopen(fd, "rb");
	if (!r->gz) {
		close(fd);
		free(r);
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	gzbuffer(r->gz, 256 * 1024);
	return r;
}

/* Inflates a gzip buffer (possibly several members) into a new buffer. */
static uint8_t *inflate_all(const uint8_t *data, size_t len, size_t *out_len, bool *damaged, char *err,
			    size_t errlen)
{
	*damaged = false;
	size_t cap = len * 4 + 4096, used = 0;
	uint8_t *out = malloc(cap);
	if (!out)
		goto oom;
	size_t pos = 0;
	while (pos < len) {
		z_stream zs;
		memset(&zs, 0, sizeof zs);
		if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
			goto oom;
		zs.next_in = (Bytef *)(data + pos);
		zs.avail_in = (uInt)(len - pos > UINT32_MAX ? UINT32_MAX : len - pos);
		int rc;
		do {
			if (used == cap) {
				if (cap >= MAX_MEMORY_INFLATE) {
					inflateEnd(&zs);
					free(out);
					snprintf(err, errlen, "compressed capture expands beyond %llu bytes",
						 (unsigned long long)MAX_MEMORY_INFLATE);
					return NULL;
				}
				cap *= 2;
				uint8_t *n = realloc(out, cap);
				if (!n) {
					inflateEnd(&zs);
					goto oom;
				}
				out = n;
			}
			zs.next_out = out + used;
			zs.avail_out = (uInt)(cap - used > UINT32_MAX ? UINT32_MAX : cap - used);
			size_t before = zs.avail_out;
			rc = inflate(&zs, Z_NO_FLUSH);
			used += before - zs.avail_out;
		} while (rc == Z_OK);
		size_t consumed = (size_t)(zs.next_in - (data + pos));
		inflateEnd(&zs);
		if (rc != Z_STREAM_END) {
			/* A damaged or truncated gzip stream: keep what inflated, like
			 * gzread, and say so when the blocks run out. */
			*damaged = true;
			break;
		}
		pos += consumed;
		/* Another member follows only if it starts with the gzip magic. */
		if (len - pos < 2 || data[pos] != 0x1f || data[pos + 1] != 0x8b)
			break;
	}
	*out_len = used;
	return out;
oom:
	free(out);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

struct hr_reader *hr_reader_open_memory(const uint8_t *data, size_t len, char *err, size_t errlen)
{
	struct hr_reader *r = reader_new();
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		size_t n;
		bool damaged;
		uint8_t *plain = inflate_all(data, len, &n, &damaged, err, errlen);
		if (!plain) {
			free(r);
			return NULL;
		}
		if (damaged)
			snprintf(r->input_error, sizeof r->input_error, "gzip: stream damaged or truncated");
		r->buf = plain;
		r->end = n;
		r->cap = n;
	} else {
		r->buf = (uint8_t *)data;
		r->from_memory = true;
		r->end = len;
		r->cap = len;
	}
	r->eof = true;
	return r;
}

void hr_reader_close(struct hr_reader *r)
{
	if (!r)
		return;
	if (r->gz)
		gzclose(r->gz);
	if (!r->from_memory)
		free(r->buf);
	free(r->event_copy);
	free(r);
}

const char *hr_reader_error(const struct hr_reader *r) { return r->error; }
uint64_t hr_reader_events_read(const struct hr_reader *r) { return r->events; }

void hr_reader_set_warning_handler(struct hr_reader *r, void (*fn)(void *, const char *), void *ctx)
{
	r->warn = fn ? fn : default_warning;
	r->warn_ctx = ctx;
}

/* ---- entry parsers ------------------------------------------------------ */

/* A cursor over one entry (or one block body) that never reads past `end`. */
struct span {
	const uint8_t *p, *end;
	bool bad;
};

static bool take(struct span *s, size_t n, const uint8_t **out)
{
	if (s->bad || (size_t)(s->end - s->p) < n) {
		s->bad = true;
		return false;
	}
	*out = s->p;
	s->p += n;
	return true;
}
static uint8_t take8(struct span *s) { const uint8_t *p; return take(s, 1, &p) ? p[0] : 0; }
static uint16_t take16(struct span *s) { const uint8_t *p; return take(s, 2, &p) ? rd16(p) : 0; }
static uint32_t take32(struct span *s) { const uint8_t *p; return take(s, 4, &p) ? rd32(p) : 0; }
static uint64_t take64(struct span *s) { const uint8_t *p; return take(s, 8, &p) ? rd64(p) : 0; }
static void take_bytes(struct span *s, uint8_t *dst, size_t n)
{
	const uint8_t *p;
	if (take(s, n, &p))
		memcpy(dst, p, n);
}
static size_t left(const struct span *s) { return s->bad ? 0 : (size_t)(s->end - s->p); }

/* A u16-length-prefixed string without NUL; `limit` is the reader's bound. */
static bool take_str(struct span *s, struct hr_str *out, uint32_t limit)
{
	uint16_t n = take16(s);
	const uint8_t *p;
	if (s->bad || n > limit || !take(s, n, &p)) {
		s->bad = true;
		return false;
	}
	out->p = (const char *)p;
	out->len = n;
	return true;
}

void hr_proc_entry_init(struct hr_proc_entry *p)
{
	memset(p, 0, sizeof *p);
	p->sid = p->vpgid = p->vtid = p->vpid = p->pgid = -1;
	p->loginuid = 0xFFFFFFFFu;
}

static int pl_version(uint32_t type)
{
	switch (type) {
	case HR_BLK_PL_V1: case HR_BLK_PL_V1_INT: return 1;
	case HR_BLK_PL_V2: case HR_BLK_PL_V2_INT: return 2;
	case HR_BLK_PL_V3: case HR_BLK_PL_V3_INT: return 3;
	case HR_BLK_PL_V4: return 4;
	case HR_BLK_PL_V5: return 5;
	case HR_BLK_PL_V6: return 6;
	case HR_BLK_PL_V7: return 7;
	case HR_BLK_PL_V8: return 8;
	case HR_BLK_PL_V9: return 9;
	default: return 0;
	}
}

#define PATH_LIMIT 1024
#define ARGS_LIMIT 4096

/* Parses one process-list entry at the cursor. Returns false with r->error set. */
static bool parse_proc_entry(struct hr_reader *r, struct hr_proc_entry *e)
{
	int v = pl_version(r->blk_type);
	struct span s = {r->blk + r->cursor, r->blk + r->blk_len - 4, false};
	const uint8_t *entry_start = s.p;
	uint32_t entry_len = 0;
	hr_proc_entry_init(e);

	if (v == 9) {
		entry_len = take32(&s);
		if (s.bad || entry_len < 4 || entry_len > (uint32_t)(s.end - entry_start)) {
			return entry_error(r, "entry length %u does not fit in the block", entry_len);
		}
		s.end = entry_start + entry_len;
	}
	e->tid = (int64_t)take64(&s);
	e->pid = (int64_t)take64(&s);
	e->ptid = (int64_t)take64(&s);
	if (v >= 6)
		e->sid = (int64_t)take64(&s);
	if (v >= 8)
		e->vpgid = (int64_t)take64(&s);
	take_str(&s, &e->comm, PATH_LIMIT);
	take_str(&s, &e->exe, PATH_LIMIT);
	if (v >= 7)
		take_str(&s, &e->exepath, PATH_LIMIT);
	take_str(&s, &e->args, ARGS_LIMIT);
	take_str(&s, &e->cwd, PATH_LIMIT);
	e->fdlimit = take64(&s);
	e->flags = take32(&s);
	e->uid = take32(&s);
	e->gid = take32(&s);
	if (v >= 2) {
		e->vmsize_kb = take32(&s);
		e->vmrss_kb = take32(&s);
		e->vmswap_kb = take32(&s);
		e->pfmajor = take64(&s);
		e->pfminor = take64(&s);
	}
	if (v >= 3)
		take_str(&s, &e->env, ARGS_LIMIT);
	if (v >= 4) {
		e->vtid = (int64_t)take64(&s);
		e->vpid = (int64_t)take64(&s);
		take_str(&s, &e->cgroups, ARGS_LIMIT);
	}
	if (v >= 5)
		take_str(&s, &e->root, PATH_LIMIT);
	if (s.bad) {
		return entry_error(r, "a field runs past the end of the entry or a string is over its length limit");
	}
	if (v == 9) {
		size_t rest = left(&s);
		if (rest > 0 && rest <= 29) {
			/* the pre-0.10 tail: loginuid, exe_writable, capabilities */
			if (left(&s) >= 4) e->loginuid = take32(&s);
			if (left(&s) >= 1) e->exe_writable = take8(&s) != 0;
			if (left(&s) >= 24) {
				e->has_caps = true;
				e->cap_inheritable = take64(&s);
				e->cap_permitted = take64(&s);
				e->cap_effective = take64(&s);
			}
		} else if (rest > 29) {
			e->pidns_init_start_ts = take64(&s);
			if (left(&s) >= 4) e->tty = take32(&s);
			if (left(&s) >= 4) e->loginuid = take32(&s);
			if (left(&s) >= 1) e->exe_writable = take8(&s) != 0;
			if (left(&s) >= 24) {
				e->has_caps = true;
				e->cap_inheritable = take64(&s);
				e->cap_permitted = take64(&s);
				e->cap_effective = take64(&s);
			}
			if (left(&s) >= 1) e->exe_upper_layer = take8(&s) != 0;
			if (left(&s) >= 8) e->exe_ino = take64(&s);
			if (left(&s) >= 8) e->exe_ino_ctime = take64(&s);
			if (left(&s) >= 8) e->exe_ino_mtime = take64(&s);
			if (left(&s) >= 1) e->exe_from_memfd = take8(&s) != 0;
			if (left(&s) >= 1) e->exe_lower_layer = take8(&s) != 0;
			if (left(&s) >= 8) e->pgid = (int64_t)take64(&s);
		}
		r->cursor += entry_len;
	} else {
		r->cursor = (uint32_t)(s.p - r->blk);
	}
	return true;
}

static bool parse_fd_entry(struct hr_reader *r, struct hr_fd_entry *e)
{
	bool v2 = r->blk_type == HR_BLK_FDL_V2;
	struct span s = {r->blk + r->cursor, r->blk + r->blk_len - 4, false};
	const uint8_t *entry_start = s.p;
	uint32_t entry_len = 0;
	memset(e, 0, sizeof *e);
	if (v2) {
		entry_len = take32(&s);
		if (s.bad || entry_len < 4 || entry_len > (uint32_t)(s.end - entry_start)) {
			return entry_error(r, "entry length %u does not fit in the block", entry_len);
		}
		s.end = entry_start + entry_len;
	}
	e->fd = (int64_t)take64(&s);
	e->ino = take64(&s);
	e->type = take8(&s);
	switch (e->type) {
	case HR_FD_IPV4_SOCK:
		take_bytes(&s, e->sip, 4);
		take_bytes(&s, e->dip, 4);
		e->sport = take16(&s);
		e->dport = take16(&s);
		e->l4proto = take8(&s);
		break;
	case HR_FD_IPV6_SOCK:
		take_bytes(&s, e->sip, 16);
		take_bytes(&s, e->dip, 16);
		e->sport = take16(&s);
		e->dport = take16(&s);
		e->l4proto = take8(&s);
		break;
	case HR_FD_IPV4_SERVSOCK:
		take_bytes(&s, e->sip, 4);
		e->sport = take16(&s);
		e->l4proto = take8(&s);
		break;
	case HR_FD_IPV6_SERVSOCK:
		take_bytes(&s, e->sip, 16);
		e->sport = take16(&s);
		e->l4proto = take8(&s);
		break;
	case HR_FD_UNIX_SOCK:
		e->unix_source = take64(&s);
		e->unix_dest = take64(&s);
		take_str(&s, &e->name, PATH_LIMIT - 1);
		break;
	case HR_FD_FILE_V2:
		e->open_flags = take32(&s);
		take_str(&s, &e->name, PATH_LIMIT - 1);
		if (left(&s) >= 4 && v2) {
			e->dev = take32(&s);
			e->has_dev = true;
		}
		break;
	case HR_FD_UNKNOWN:
		break;
	case HR_FD_FILE: case HR_FD_DIRECTORY: case HR_FD_FIFO: case HR_FD_EVENT:
	case HR_FD_UNSUPPORTED: case HR_FD_SIGNALFD: case HR_FD_EVENTPOLL: case HR_FD_INOTIFY:
	case HR_FD_TIMERFD: case HR_FD_NETLINK: case HR_FD_BPF: case HR_FD_USERFAULTFD:
	case HR_FD_IOURING: case HR_FD_MEMFD: case HR_FD_PIDFD:
		take_str(&s, &e->name, PATH_LIMIT - 1);
		break;
	default:
		if (!v2) {
			return entry_error(r, "unknown fd type %u", e->type);
		}
		/* FDL_V2 says how long the entry is: keep it as unsupported. */
		e->type = HR_FD_UNSUPPORTED;
		s.p = s.end;
		break;
	}
	if (s.bad) {
		return entry_error(r, "a field runs past the end of the entry or a string is over its length limit");
	}
	r->cursor = v2 ? r->cursor + entry_len : (uint32_t)(s.p - r->blk);
	return true;
}

static bool parse_iface_entry(struct hr_reader *r, struct hr_iface_entry *e)
{
	bool v2 = r->blk_type == HR_BLK_IL_V2;
	struct span s = {r->blk + r->cursor, r->blk + r->blk_len - 4, false};
	const uint8_t *after_len;
	uint32_t entry_len = 0;
	memset(e, 0, sizeof *e);
	if (v2) {
		entry_len = take32(&s);
		after_len = s.p;
		if (s.bad || entry_len > (uint32_t)(s.end - after_len)) {
			return entry_error(r, "entry length %u does not fit in the block", entry_len);
		}
		s.end = after_len + entry_len; /* IL_V2 lengths exclude themselves */
	}
	uint16_t type = take16(&s);
	uint16_t namelen = take16(&s);
	switch (type) {
	case 1: case 3:
		e->kind = HR_IFACE_IPV4;
		take_bytes(&s, e->addr, 4);
		take_bytes(&s, e->netmask, 4);
		take_bytes(&s, e->bcast, 4);
		break;
	case 2: case 4:
		e->kind = HR_IFACE_IPV6;
		take_bytes(&s, e->addr, 16);
		take_bytes(&s, e->netmask, 16);
		take_bytes(&s, e->bcast, 16);
		break;
	default:
		if (!s.bad) {
			return entry_error(r, "unknown interface type %u", type);
		}
	}
	if (type == 1 || type == 2) {
		e->has_linkspeed = true;
		e->linkspeed = take64(&s);
	}
	const uint8_t *name;
	if (namelen >= PATH_LIMIT || !take(&s, namelen, &name) || s.bad) {
		return entry_error(r, "a field runs past the end of the entry or a string is over its length limit");
	}
	e->name.p = (const char *)name;
	e->name.len = namelen;
	r->cursor = v2 ? r->cursor + 4 + entry_len : (uint32_t)(s.p - r->blk);
	return true;
}

#define CRED_LIMIT 255

/* Returns HR_REC_USER or HR_REC_GROUP, or HR_REC_ERROR. */
static enum hr_record_kind parse_user_entry(struct hr_reader *r, struct hr_record *rec)
{
	bool v2 = r->blk_type == HR_BLK_UL_V2;
	struct span s = {r->blk + r->cursor, r->blk + r->blk_len - 4, false};
	const uint8_t *entry_start = s.p;
	uint32_t entry_len = 0;
	if (v2) {
		entry_len = take32(&s);
		if (s.bad || entry_len < 4 || entry_len > (uint32_t)(s.end - entry_start)) {
			entry_error(r, "entry length %u does not fit in the block", entry_len);
			return HR_REC_ERROR;
		}
		s.end = entry_start + entry_len;
	}
	enum hr_record_kind kind;
	uint8_t type = take8(&s);
	if (type == 0) {
		struct hr_user_entry *u = &rec->u.user;
		memset(u, 0, sizeof *u);
		u->uid = take32(&s);
		u->gid = take32(&s);
		take_str(&s, &u->name, CRED_LIMIT);
		take_str(&s, &u->homedir, CRED_LIMIT);
		take_str(&s, &u->shell, CRED_LIMIT);
		kind = HR_REC_USER;
	} else {
		struct hr_group_entry *g = &rec->u.group;
		memset(g, 0, sizeof *g);
		g->gid = take32(&s);
		take_str(&s, &g->name, CRED_LIMIT);
		kind = HR_REC_GROUP;
	}
	if (s.bad) {
		entry_error(r, "a field runs past the end of the entry or a string is over its length limit");
		return HR_REC_ERROR;
	}
	r->cursor = v2 ? r->cursor + entry_len : (uint32_t)(s.p - r->blk);
	return kind;
}

/* ---- events -------------------------------------------------------------- */

/* Recovers nparams of a v1 event (scap-format.md 11.2): try the table's count
 * and fewer until the lengths add up exactly to `len`; stop when a candidate
 * adds up to less (libs gives up there too). v1 files come from writers of
 * 2022 or older, so the search starts from the count sysdig 0.29.3 knows.
 * `lens` points at the length array. Returns -1 if no count fits. */
static int recover_nparams(uint16_t type, const uint8_t *lens, uint32_t len)
{
	const struct hr_event_info *info = hr_event_info_of(type);
	if (!info)
		return -1;
	unsigned lsz = hr_event_len_size(type);
	int start = info->known_2022 && type < HR_EVENT_MAX_2022 ? info->nparams_2022 : info->nparams;
	for (int n = start; n >= 0; n--) {
		uint64_t total = HR_EVENT_HEADER_V1_LEN + (uint64_t)n * lsz;
		if (total > len)
			continue;
		for (int i = 0; i < n; i++)
			total += lsz == 2 ? rd16(lens + (size_t)i * 2) : rd32(lens + (size_t)i * 4);
		if (total == len)
			return n;
		if (total < len)
			return -1;
	}
	return -1;
}

/* Rebuilds a v1 event (22-byte header, no nparams) of `len` bytes as a v2
 * record in r->event_copy. Returns its length, or 0 with r->error set. */
static uint32_t convert_v1_event(struct hr_reader *r, const uint8_t *ev, uint32_t len, uint16_t type)
{
	const uint8_t *lens = ev + HR_EVENT_HEADER_V1_LEN;
	int n = -1;
	uint32_t v1len = len;
	/* Old writers overstated the length of these two by 3 bytes; libs
	 * subtracts 3. A correct length is accepted too. */
	if ((type == 280 || type == 286) && len >= HR_EVENT_HEADER_V1_LEN + 3) {
		v1len = len - 3;
		n = recover_nparams(type, lens, v1len);
	}
	if (n < 0) {
		v1len = len;
		n = recover_nparams(type, lens, v1len);
	}
	if (n < 0) {
		snprintf(r->error, sizeof r->error,
			 "%s block at offset %llu (%s): parameter lengths do not add up to the event length %u",
			 hr_blk_name(r->blk_type), (unsigned long long)r->blk_off, hr_event_table[type].name, len);
		return 0;
	}
	uint32_t v2len = v1len + 4;
	if (r->event_copy_cap < v2len) {
		uint8_t *nb = realloc(r->event_copy, v2len);
		if (!nb) {
			snprintf(r->error, sizeof r->error, "out of memory at offset %llu", (unsigned long long)r->blk_off);
			return 0;
		}
		r->event_copy = nb;
		r->event_copy_cap = v2len;
	}
	uint32_t np = (uint32_t)n;
	memcpy(r->event_copy, ev, 16);                 /* ts, tid */
	memcpy(r->event_copy + 16, &v2len, 4);
	memcpy(r->event_copy + 20, ev + 20, 2);        /* type */
	memcpy(r->event_copy + 22, &np, 4);
	memcpy(r->event_copy + HR_EVENT_HEADER_V2_LEN, lens, v1len - HR_EVENT_HEADER_V1_LEN);
	return v2len;
}

/* Decodes the event block r->blk into rec->event. Returns HR_REC_EVENT,
 * HR_REC_ERROR, or HR_REC_END for an id too new to decode (skipped). */
static enum hr_record_kind read_event(struct hr_reader *r, struct hr_record *rec)
{
	const uint8_t *body = r->blk + 8;
	uint32_t body_len = r->blk_len - 12;
	uint32_t type = r->blk_type;
	bool has_flags = hr_blk_event_has_flags(type);
	bool v1 = hr_blk_event_is_v1(type);
	uint32_t fixed = 2 + (has_flags ? 4 : 0);
	uint32_t hdr_len = v1 ? HR_EVENT_HEADER_V1_LEN : HR_EVENT_HEADER_V2_LEN;
	unsigned long long off = (unsigned long long)r->blk_off;

	if (body_len < fixed + hdr_len)
		return fail(r, "%s block at offset %llu: %u bytes is too short for an event header", hr_blk_name(type), off,
			    r->blk_len);
	struct hr_event *e = &rec->event;
	memset(e, 0, offsetof(struct hr_event, param));
	e->thread = NULL;
	e->fd = NULL;
	e->enter = NULL;
	e->fd_num = -1;
	e->cpu = rd16(body);
	e->dump_flags = has_flags ? rd32(body + 2) : 0;
	const uint8_t *ev = body + fixed;
	uint32_t avail = body_len - fixed;
	e->ts = rd64(ev);
	e->tid = (int64_t)rd64(ev + 8);
	uint32_t len = rd32(ev + 16);
	e->type = rd16(ev + 20);

	/* An id newer than our table cannot be decoded: skip it whole and do
	 * not count it, as libs readers do. */
	if (e->type >= HR_EVENT_MAX)
		return HR_REC_END;
	if (len < hdr_len || len > avail)
		return fail(r, "%s block at offset %llu (%s): event length %u outside [%u, %u]", hr_blk_name(type), off,
			    hr_event_table[e->type].name, len, hdr_len, avail);

	const uint8_t *v2rec = ev;
	uint32_t v2len = len;
	if (v1) {
		v2len = convert_v1_event(r, ev, len, e->type);
		if (!v2len)
			return fail_with_error(r);
		v2rec = r->event_copy;
	}
	const char *why = hr_event_decode(e, v2rec, v2len);
	if (why)
		return fail(r, "%s block at offset %llu (%s): %s", hr_blk_name(type), off, hr_event_table[e->type].name, why);
	e->num = ++r->events;
	return HR_REC_EVENT;
}

/* ---- block loop ---------------------------------------------------------- */

/* " (gzip: unexpected end of file)" when the input stopped for a reason. */
static const char *input_reason(const struct hr_reader *r, char *buf, size_t n)
{
	if (!r->input_error[0])
		return "";
	snprintf(buf, n, " (%s)", r->input_error);
	return buf;
}

/* Loads the next block frame into r->blk. Returns false at a clean end of
 * input (r->error empty) or on error (r->error set). */
static bool load_block(struct hr_reader *r)
{
	char why[200];
	r->start += r->blk ? r->blk_len : 0;
	r->blk = NULL;
	size_t have = need(r, 8);
	uint64_t off = r->base_off + r->start;
	if (have == 0) {
		if (r->input_error[0])
			snprintf(r->error, sizeof r->error, "input ends abnormally at offset %llu%s",
				 (unsigned long long)off, input_reason(r, why, sizeof why));
		return false;
	}
	bool first = r->phase == PHASE_START;
	if (have < 8) {
		snprintf(r->error, sizeof r->error,
			 first ? "not a capture file: only %zu bytes at offset %llu%s"
			       : "truncated file: %zu stray bytes at offset %llu where a block header was expected%s",
			 have, (unsigned long long)off, input_reason(r, why, sizeof why));
		return false;
	}
	uint32_t type = rd32(r->buf + r->start);
	uint32_t len = rd32(r->buf + r->start + 4);
	if (first && type != HR_BLK_SHB) {
		snprintf(r->error, sizeof r->error,
			 "not a capture file: the block at offset %llu has type 0x%08x, not a section header",
			 (unsigned long long)off, type);
		return false;
	}
	/* The SHB type reads the same in both byte orders: check the magic
	 * before trusting a length that may be byte-swapped. */
	if (type == HR_BLK_SHB && need(r, 12) >= 12) {
		uint32_t magic = rd32(r->buf + r->start + 8);
		if (magic == 0x4D3C2B1Au) {
			snprintf(r->error, sizeof r->error,
				 "section header block at offset %llu: byte-swapped magic (big-endian writer), not supported",
				 (unsigned long long)off);
			return false;
		}
		if (magic != 0x1A2B3C4Du) {
			snprintf(r->error, sizeof r->error, "section header block at offset %llu: invalid magic number 0x%08x",
				 (unsigned long long)off, magic);
			return false;
		}
	}
	if (len < 12) {
		snprintf(r->error, sizeof r->error, "%s block at offset %llu: block length %u is below the 12-byte minimum",
			 hr_blk_name(type), (unsigned long long)off, len);
		return false;
	}
	if (len > MAX_BLOCK_LEN || (hr_blk_is_event(type) && !hr_blk_event_is_large(type) && len - 8 > 65536)) {
		snprintf(r->error, sizeof r->error, "%s block at offset %llu: block length %u is too large", hr_blk_name(type),
			 (unsigned long long)off, len);
		return false;
	}
	have = need(r, len);
	if (have < len) {
		snprintf(r->error, sizeof r->error,
			 "truncated file: %s block at offset %llu needs %u bytes, only %zu remain%s", hr_blk_name(type),
			 (unsigned long long)off, len, have, input_reason(r, why, sizeof why));
		return false;
	}
	const uint8_t *blk = r->buf + r->start;
	if (rd32(blk + len - 4) != len) {
		snprintf(r->error, sizeof r->error,
			 "%s block at offset %llu: trailer says %u, header says %u", hr_blk_name(type), (unsigned long long)off,
			 rd32(blk + len - 4), len);
		return false;
	}
	r->blk = blk;
	r->blk_type = type;
	r->blk_len = len;
	r->blk_off = off;
	r->cursor = 8;
	return true;
}

static enum hr_record_kind read_section_header(struct hr_reader *r)
{
	/* load_block has checked the magic. Longer headers carry options,
	 * which the newest libs skip; so do we. */
	if (r->blk_len < 28)
		return fail(r, "section header block at offset %llu: length %u, expected 28",
			    (unsigned long long)r->blk_off, r->blk_len);
	r->section.major = rd16(r->blk + 12);
	r->section.minor = rd16(r->blk + 14);
	if (r->section.major > 1)
		return fail(r, "section header block at offset %llu: capture format version %u.%u is newer than supported (1.x)",
			    (unsigned long long)r->blk_off, r->section.major, r->section.minor);
	r->cursor = r->blk_len - 4; /* nothing more to walk */
	return HR_REC_SECTION;
}

/* Emits the next entry of the current list block, or END when it is done. */
static enum hr_record_kind next_entry(struct hr_reader *r, struct hr_record *rec)
{
	uint32_t body_end = r->blk_len - 4;
	uint32_t t = r->blk_type;
	if (hr_blk_is_fdlist(t) && r->cursor == 8) {
		if (body_end - r->cursor < 8)
			return fail(r, "%s block at offset %llu: too short for its thread id", hr_blk_name(t),
				    (unsigned long long)r->blk_off);
		r->fdl_tid = (int64_t)rd64(r->blk + 8);
		r->cursor = 16;
	}
	if (hr_blk_is_userlist(t) && !r->userlist_announced) {
		r->userlist_announced = true;
		return HR_REC_USERLIST_BEGIN;
	}
	/* Every parser moves the cursor forward by at least 4 bytes or fails,
	 * so this loop ends. */
	while (r->cursor <= body_end && body_end - r->cursor >= 4) {
		if (pl_version(t))
			return parse_proc_entry(r, &rec->u.thread) ? HR_REC_THREAD : fail_with_error(r);
		if (hr_blk_is_fdlist(t)) {
			rec->u.fd.tid = r->fdl_tid;
			if (!parse_fd_entry(r, &rec->u.fd.entry))
				return fail_with_error(r);
			if (rec->u.fd.entry.type == HR_FD_UNKNOWN)
				continue; /* writers skip these; an old one did not */
			return HR_REC_FD;
		}
		if (hr_blk_is_iflist(t))
			return parse_iface_entry(r, &rec->u.iface) ? HR_REC_IFACE : fail_with_error(r);
		if (hr_blk_is_userlist(t)) {
			enum hr_record_kind k = parse_user_entry(r, rec);
			return k == HR_REC_ERROR ? fail_with_error(r) : k;
		}
		break;
	}
	return HR_REC_END;
}

static enum hr_record_kind read_machine_info(struct hr_reader *r, struct hr_machine_info *m)
{
	if (r->blk_len - 12 < 180)
		return fail(r, "%s block at offset %llu: %u bytes, expected 192", hr_blk_name(r->blk_type),
			    (unsigned long long)r->blk_off, r->blk_len);
	const uint8_t *b = r->blk + 8;
	memset(m, 0, sizeof *m);
	m->num_cpus = rd32(b);
	m->memory_size_bytes = rd64(b + 4);
	m->max_pid = rd64(b + 12);
	memcpy(m->hostname, b + 20, 128);
	m->hostname[128] = 0;
	m->boot_ts_epoch = rd64(b + 148);
	m->flags = rd64(b + 156);
	if (r->phase == PHASE_EVENTS)
		warn(r, "machine info block at offset %llu after events", (unsigned long long)r->blk_off);
	return HR_REC_MACHINE;
}

enum hr_record_kind hr_reader_next(struct hr_reader *r, struct hr_record *rec)
{
	for (;;) {
		if (r->phase == PHASE_DONE)
			return rec->kind = r->final_kind;

		/* Continue walking the entries of the current metadata block. */
		if (r->blk && r->phase == PHASE_METADATA && hr_blk_is_list(r->blk_type)) {
			enum hr_record_kind k = next_entry(r, rec);
			if (k != HR_REC_END)
				return rec->kind = k;
		}

		if (!load_block(r)) {
			if (r->error[0])
				return rec->kind = fail_with_error(r);
			uint64_t off = r->base_off + r->start;
			if (r->phase == PHASE_START)
				return rec->kind = fail(r, "not a capture file: it is empty (no section header at offset 0)");
			if (r->events == 0)
				return rec->kind = fail(r, "capture has no events: it ends at offset %llu after its metadata",
							(unsigned long long)off);
			r->phase = PHASE_DONE;
			r->final_kind = HR_REC_END;
			return rec->kind = HR_REC_END;
		}
		uint32_t t = r->blk_type;
		r->userlist_announced = false;

		if (t == HR_BLK_SHB) {
			enum hr_record_kind k = read_section_header(r);
			if (k == HR_REC_SECTION) {
				r->phase = PHASE_METADATA;
				rec->u.section = r->section;
			}
			return rec->kind = k;
		}
		if (hr_blk_is_event(t)) {
			r->phase = PHASE_EVENTS;
			enum hr_record_kind k = read_event(r, rec);
			if (k == HR_REC_END)
				continue; /* an id we cannot decode: skipped */
			return rec->kind = k;
		}
		if (t == HR_BLK_MI || t == HR_BLK_MI_INT)
			return rec->kind = read_machine_info(r, &rec->u.machine);
		if (hr_blk_is_list(t)) {
			if (r->phase == PHASE_EVENTS)
				warn(r, "%s block at offset %llu after the first event; its entries are applied",
				     hr_blk_name(t), (unsigned long long)r->blk_off);
			r->phase = PHASE_METADATA;
			continue; /* entries are emitted at the top of the loop */
		}
		warn(r, "skipping unknown block type 0x%x (%u bytes) at offset %llu", t, r->blk_len,
		     (unsigned long long)r->blk_off);
	}
}
