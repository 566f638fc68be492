/*
 * evt.args / evt.info / evt.arg / evt.rawarg rendering, byte for byte as
 * sysdig 0.29.3 prints parameters (libsinsp 2022 get_param_as_str and the
 * evt.args field). Every value has a raw text and, for some types, a
 * resolved text (fd names, errno names, flag names, ...) that evt.args shows
 * in parentheses after the raw one and evt.arg shows instead of it.
 *
 * Everything is appended straight into the caller's buffer: a parameter's
 * raw text first, then its resolved text, which is either kept, moved, or
 * cut off again; nothing is allocated per event.
 */
#include "format/event_args.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "format/param_text.h"
#include "format/value_names.h"

static struct {
	enum hr_buffer_format buffer_format;
	unsigned max_output_len;
	/*
	 * sysdig renders into one reused buffer that starts at 1024 bytes and
	 * only grows (long strings and byte buffers grow it). Paths and socket
	 * names longer than its current size are cut, so the size is tracked
	 * to cut them at the same length.
	 */
	uint32_t storage_size;
} config = {HR_BUF_NORMAL, 80, 1024};

void hr_format_set_buffer_format(enum hr_buffer_format f) { config.buffer_format = f; }
void hr_format_set_max_output_len(unsigned n) { config.max_output_len = n; }

/* ------------------------------------------------------------ helpers */

enum { AT_FDCWD_VALUE = -100, AF_UNIX_VALUE = 1, AF_INET_VALUE = 2, AF_INET6_VALUE = 10 };


/* Reads up to `size` little-endian bytes, zero-extending a short parameter. */
static uint64_t read_le(const uint8_t *p, uint32_t len, unsigned size)
{
	uint64_t v = 0;
	unsigned n = len < size ? len : size;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Appends the C string at p (at most `len` bytes), dropping unprintable characters. */
static void append_sanitized(struct hr_strbuf *out, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len && p[i]; i++)
		if (hr_is_printable(p[i]))
			hr_sb_putc(out, (char)p[i]);
}

static size_t c_strnlen(const uint8_t *p, size_t len)
{
	const uint8_t *z = memchr(p, 0, len);
	return z ? (size_t)(z - p) : len;
}

/* Integer text without printf: these are most of what evt.args prints. */
static void append_u64(struct hr_strbuf *out, uint64_t v)
{
	char tmp[20];
	unsigned n = 0;
	do {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	hr_sb_append(out, tmp + sizeof(tmp) - n, n);
}

static void append_i64(struct hr_strbuf *out, int64_t v)
{
	if (v < 0) {
		hr_sb_putc(out, '-');
		append_u64(out, (uint64_t)0 - (uint64_t)v);
	} else {
		append_u64(out, (uint64_t)v);
	}
}

static void append_hex_upper(struct hr_strbuf *out, uint64_t v)
{
	char tmp[16];
	unsigned n = 0;
	do {
		tmp[sizeof(tmp) - 1 - n++] = "0123456789ABCDEF"[v & 15];
		v >>= 4;
	} while (v);
	hr_sb_append(out, tmp + sizeof(tmp) - n, n);
}

/* ------------------------------------------------------------ layout */

const struct hr_param_info *hr_event_layout(const struct hr_event *e, unsigned *count)
{
	const struct hr_event_info *info = hr_event_info(e);
	*count = 0;
	if (!info)
		return NULL;
	const struct hr_param_info *params = info->params;
	unsigned n = info->nparams;
	if (info->known_2022 && info->params_2022 && !e->newest_layout) {
		params = info->params_2022;
		n = info->nparams_2022;
	}
	/* Like sysdig: the smaller of what the table and the event have. */
	if (n > e->nparams)
		n = e->nparams;
	if (n > e->nparams_indexed)
		n = e->nparams_indexed;
	*count = n;
	return params;
}

int hr_event_layout_index(const struct hr_event *e, const char *name)
{
	unsigned n;
	const struct hr_param_info *params = hr_event_layout(e, &n);
	for (unsigned i = 0; i < n; i++)
		if (strcmp(params[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------ flag tables */

/*
 * The spec's flag tables are the newest libs'. sysdig 0.29.3's versions of
 * these four lack the entries below, which changes how values render.
 */
static const struct {
	const char *table;
	const char *entries[4];
} newer_than_2022[] = {
	{"file_flags", {"O_F_CREATED", "FD_UPPER_LAYER", "FD_LOWER_LAYER"}},
	{"clone_flags", {"CLONE_CHILD_IN_PIDNS"}},
	{"shutdown_how", {"SHUT_UNKNOWN"}},
	{"execve_flags", {"EXE_UPPER_LAYER", "EXE_FROM_MEMFD", "EXE_LOWER_LAYER"}},
};

#define MAX_FLAG_TABLES 128

/* Per flag table, a bit for each entry (by position) sysdig 0.29.3 lacks. */
static uint64_t absent_in_2022[MAX_FLAG_TABLES];
static bool absent_in_2022_ready;

static void prepare_2022_tables(void)
{
	for (unsigned t = 0; t < hr_flag_table_count && t < MAX_FLAG_TABLES; t++) {
		const struct hr_flag_table *ft = &hr_flag_tables[t];
		for (size_t k = 0; k < sizeof(newer_than_2022) / sizeof(newer_than_2022[0]); k++) {
			if (strcmp(ft->name, newer_than_2022[k].table) != 0)
				continue;
			for (unsigned i = 0; i < ft->count && i < 64; i++)
				for (unsigned j = 0; j < 4 && newer_than_2022[k].entries[j]; j++)
					if (strcmp(ft->entries[i].name, newer_than_2022[k].entries[j]) == 0)
						absent_in_2022[t] |= 1ull << i;
		}
	}
	absent_in_2022_ready = true;
}

static const struct hr_flag_table *flag_table_of(const struct hr_param_info *pi, uint64_t *absent)
{
	*absent = 0;
	if (pi->info_kind != HR_INFO_FLAGS || pi->info >= hr_flag_table_count)
		return NULL;
	if (!absent_in_2022_ready)
		prepare_2022_tables();
	if (pi->info < MAX_FLAG_TABLES)
		*absent = absent_in_2022[pi->info];
	return &hr_flag_tables[pi->info];
}

/*
 * sysdig's flag naming: walk the table in order; stop at an entry equal to
 * the whole value (and name it last); otherwise name every non-zero entry
 * whose bits are all still set, clearing them, or a zero entry when the
 * value is zero. Bits no entry names are silently dropped.
 */
static void append_flag_names(struct hr_strbuf *out, const struct hr_flag_table *ft, uint64_t absent,
			      uint32_t value)
{
	if (!ft)
		return;
	uint32_t rest = value;
	const char *sep = "";
	unsigned i = 0;
	for (; i < ft->count; i++) {
		if (i < 64 && (absent >> i) & 1)
			continue;
		uint32_t v = ft->entries[i].value;
		if (v == value)
			break;
		if ((v == 0 && value == 0) || (v != 0 && (rest & v) == v && rest != 0)) {
			hr_sb_puts(out, sep);
			hr_sb_puts(out, ft->entries[i].name);
			sep = "|";
			rest &= ~v;
		}
	}
	if (i < ft->count) {
		hr_sb_puts(out, sep);
		hr_sb_puts(out, ft->entries[i].name);
	}
}

/* Newer drivers' enumerations (PT_ENUMFLAGS*): the one entry equal to the value. */
static void append_enum_name(struct hr_strbuf *out, const struct hr_flag_table *ft, uint32_t value)
{
	if (!ft)
		return;
	for (unsigned i = 0; i < ft->count; i++)
		if (ft->entries[i].value == value) {
			hr_sb_puts(out, ft->entries[i].name);
			return;
		}
}

/* ------------------------------------------------------------ numbers */

/* The printf conversions sysdig picks by print format (PF_OCT gets '#'). */
static void append_signed(struct hr_strbuf *out, int64_t v, unsigned width_bits, uint8_t fmt)
{
	/* %o and %X print the value's bits as C's default promotions leave
	 * them: narrow types are widened to 32 bits, sign included. */
	uint64_t bits = width_bits == 64 ? (uint64_t)v : (uint64_t)(uint32_t)(int32_t)v;
	if (fmt == HR_PF_OCT)
		hr_sb_printf(out, "%#" PRIo64, bits);
	else if (fmt == HR_PF_HEX)
		append_hex_upper(out, bits);
	else
		append_i64(out, v);
}

/* Unsigned types use the same conversions as signed ones in sysdig: "%d"
 * for PF_DEC, so a uint32 above 2^31 and a uint64 above 2^63 print
 * negative. */
static void append_unsigned(struct hr_strbuf *out, uint64_t v, unsigned width_bits, uint8_t fmt)
{
	if (width_bits == 64)
		append_signed(out, (int64_t)v, 64, fmt);
	else if (width_bits == 32)
		append_signed(out, (int32_t)(uint32_t)v, 32, fmt);
	else
		append_signed(out, (int64_t)v, 32, fmt); /* 8/16 bits promote to a positive int */
}

/* ------------------------------------------------------------ rendering */

struct render {
	struct hr_strbuf *out;
	const struct hr_state *s;
	const struct hr_event *e;
	const struct hr_thread *thread;
	const struct hr_param_info *layout;
	unsigned count;
	size_t raw_end; /* where the resolved text starts */
};

static void begin_resolved(struct render *r) { r->raw_end = r->out->len; }

static char fd_type_char(uint8_t type)
{
	switch (type) {
	case HR_FD_FILE: case HR_FD_FILE_V2: return 'f';
	case HR_FD_DIRECTORY: return 'd';
	case HR_FD_IPV4_SOCK: case HR_FD_IPV4_SERVSOCK: return '4';
	case HR_FD_IPV6_SOCK: case HR_FD_IPV6_SERVSOCK: return '6';
	case HR_FD_FIFO: return 'p';
	case HR_FD_UNIX_SOCK: return 'u';
	case HR_FD_EVENT: return 'e';
	case HR_FD_UNKNOWN: return 'o';
	case HR_FD_UNSUPPORTED: return 'X';
	case HR_FD_SIGNALFD: return 's';
	case HR_FD_EVENTPOLL: return 'l';
	case HR_FD_INOTIFY: return 'i';
	case HR_FD_TIMERFD: return 't';
	case HR_FD_NETLINK: return 'n';
	default: return '?';
	}
}

/* The protocol letter after the type: servers always show theirs; a
 * connection whose role is not known yet shows none unless it is raw. */
static char l4proto_char(const struct hr_fd *f)
{
	bool server = f->type == HR_FD_IPV4_SERVSOCK || f->type == HR_FD_IPV6_SERVSOCK;
	bool conn = f->type == HR_FD_IPV4_SOCK || f->type == HR_FD_IPV6_SOCK;
	if (!server && !conn)
		return 0;
	if (conn && f->l4proto != 5 && !f->is_role_server && !f->is_role_client)
		return 0;
	switch (f->l4proto) {
	case 2: return 't';
	case 3: return 'u';
	case 4: return 'i';
	case 5: return 'r';
	default: return 0;
	}
}

/* `3` raw, `<f>/etc/passwd` resolved; AT_FDCWD and errno names for negatives. */
static void render_fd(struct render *r, int64_t fd)
{
	append_i64(r->out, fd);
	begin_resolved(r);
	if (!r->thread)
		return;
	if (fd >= 0) {
		const struct hr_fd *f = hr_state_fd(r->s, r->thread, fd);
		if (!f)
			return;
		hr_sb_putc(r->out, '<');
		hr_sb_putc(r->out, fd_type_char(f->type));
		char proto = l4proto_char(f);
		if (proto)
			hr_sb_putc(r->out, proto);
		hr_sb_putc(r->out, '>');
		if (f->name.p)
			append_sanitized(r->out, (const uint8_t *)f->name.p, f->name.len);
	} else if (fd == AT_FDCWD_VALUE) {
		hr_sb_puts(r->out, "AT_FDCWD");
	} else {
		const char *name = hr_errno_name(fd);
		if (name)
			hr_sb_puts(r->out, name);
	}
}

/* Appends the directory a relative path parameter is relative to, as
 * sysdig picks it: the thread's cwd, or the name of the directory fd the
 * parameter refers to followed by '/'; nothing when that fd has no name
 * (sysdig then resolves against the empty string). */
static void append_base_dir(struct render *r, const struct hr_param_info *pi)
{
	/* The cwd is the process's. When its main thread is unknown, sysdig
	 * makes up an empty one on the spot, so the cwd is empty. */
	const struct hr_thread *cwd_owner = hr_state_main_thread(r->s, r->thread);
	const struct hr_bytes *cwd = cwd_owner ? &cwd_owner->cwd : NULL;

	if (pi->type == HR_PT_FSRELPATH && pi->info_kind == HR_INFO_DIRFD && pi->info < r->count &&
	    r->layout[pi->info].type == HR_PT_FD) {
		unsigned d = pi->info;
		int64_t dirfd = (int64_t)read_le(r->e->param[d], r->e->param_len[d], 8);
		if (dirfd != AT_FDCWD_VALUE) {
			const struct hr_fd *f = hr_state_fd(r->s, r->thread, dirfd);
			/* sysdig would read the fd's link in this machine's /proc
			 * here; for a capture file that finds nothing. */
			if (!f || !f->name.p || f->name.len == 0)
				return;
			append_sanitized(r->out, (const uint8_t *)f->name.p, f->name.len);
			hr_sb_putc(r->out, '/');
			return;
		}
	}
	if (cwd && cwd->p)
		hr_sb_append(r->out, cwd->p, cwd->len);
}

/* Raw: the path, unprintable characters dropped and cut to sysdig's buffer
 * size. Resolved: for a relative path, the base directory joined with it. */
static void render_path(struct render *r, const struct hr_param_info *pi, const uint8_t *p, uint32_t len)
{
	/* sysdig copies at most min(len, buffer size) - 1 kept characters. */
	size_t limit = len < config.storage_size ? len : config.storage_size;
	size_t kept = 0;
	for (size_t i = 0; i < len && p[i]; i++) {
		if (!hr_is_printable(p[i]))
			continue;
		if (kept + 1 >= limit)
			break;
		hr_sb_putc(r->out, (char)p[i]);
		kept++;
	}
	begin_resolved(r);
	if (!r->thread || len == 0 || (len >= 4 && memcmp(p, "<NA>", 4) == 0))
		return;
	if (p[0] == '/')
		return; /* absolute: sysdig resolves it but then shows nothing */
	size_t plen = c_strnlen(p, len);
	size_t base = r->out->len;
	append_base_dir(r, pi);
	hr_append_clean_path(r->out, base, p, plen);
}

static void render_pid(struct render *r, int64_t pid)
{
	append_i64(r->out, pid);
	begin_resolved(r);
	const struct hr_thread *t = r->s ? hr_state_thread(r->s, pid) : NULL;
	if (t && t->comm.p)
		hr_sb_append(r->out, t->comm.p, t->comm.len);
}

static void render_ipv4_endpoint(struct hr_strbuf *out, const uint8_t ip[4], uint16_t port)
{
	for (unsigned i = 0; i < 4; i++) {
		append_u64(out, ip[i]);
		hr_sb_putc(out, i < 3 ? '.' : ':');
	}
	append_u64(out, port);
}

static void render_ipv6_address(struct hr_strbuf *out, const uint8_t ip[16])
{
	char text[INET6_ADDRSTRLEN];
	if (inet_ntop(AF_INET6, ip, text, sizeof(text)))
		hr_sb_puts(out, text);
}

static uint16_t read_port(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

/* A unix socket path after the family byte, sanitized and cut like sysdig's buffer. */
static void append_unix_path(struct hr_strbuf *out, const uint8_t *p, size_t len, size_t room)
{
	size_t start = out->len;
	append_sanitized(out, p, len);
	if (room > 0 && out->len - start > room) {
		out->len = start + room;
		out->p[out->len] = 0;
	}
}

static void render_sockaddr(struct render *r, const uint8_t *p, uint32_t len)
{
	struct hr_strbuf *out = r->out;
	if (len == 0) {
		hr_sb_puts(out, "NULL");
		return;
	}
	switch (p[0]) {
	case AF_UNIX_VALUE:
		append_unix_path(out, p + 1, len - 1, config.storage_size - 1);
		break;
	case AF_INET_VALUE:
		if (len == 1 + 4 + 2)
			render_ipv4_endpoint(out, p + 1, read_port(p + 5));
		else
			hr_sb_puts(out, "INVALID IPv4");
		break;
	case AF_INET6_VALUE:
		if (len == 1 + 16 + 2) {
			render_ipv6_address(out, p + 1);
			hr_sb_printf(out, ":%u", read_port(p + 17));
		} else {
			hr_sb_puts(out, "INVALID IPv6");
		}
		break;
	default:
		hr_sb_printf(out, "family %d", (int)(int8_t)p[0]);
		break;
	}
}

static bool is_ipv4_mapped(const uint8_t *a)
{
	static const uint8_t zero[16];
	if (memcmp(a, zero, 10) != 0)
		return false;
	return (a[10] == 0xff && a[11] == 0xff) || memcmp(a + 10, zero, 6) == 0;
}

static void render_socktuple(struct render *r, const uint8_t *p, uint32_t len)
{
	struct hr_strbuf *out = r->out;
	if (len == 0) {
		hr_sb_puts(out, "NULL");
		return;
	}
	switch (p[0]) {
	case AF_INET_VALUE:
		if (len == 1 + 4 + 2 + 4 + 2) {
			render_ipv4_endpoint(out, p + 1, read_port(p + 5));
			hr_sb_puts(out, "->");
			render_ipv4_endpoint(out, p + 7, read_port(p + 11));
		} else {
			hr_sb_puts(out, "INVALID IPv4");
		}
		break;
	case AF_INET6_VALUE:
		if (len != 1 + 16 + 2 + 16 + 2) {
			hr_sb_puts(out, "INVALID IPv6");
		} else if (is_ipv4_mapped(p + 1) && is_ipv4_mapped(p + 19)) {
			render_ipv4_endpoint(out, p + 13, read_port(p + 17));
			hr_sb_puts(out, "->");
			render_ipv4_endpoint(out, p + 31, read_port(p + 35));
		} else {
			render_ipv6_address(out, p + 1);
			hr_sb_printf(out, ":%u->", read_port(p + 17));
			render_ipv6_address(out, p + 19);
			hr_sb_printf(out, ":%u", read_port(p + 35));
		}
		break;
	case AF_UNIX_VALUE: {
		/* Kernel socket pointers (source, peer), then the path. */
		uint64_t src = len > 1 ? read_le(p + 1, len - 1, 8) : 0;
		uint64_t dst = len > 9 ? read_le(p + 9, len - 9, 8) : 0;
		size_t start = out->len;
		hr_sb_printf(out, "%" PRIx64 "->%" PRIx64 " ", src, dst);
		size_t used = out->len - start;
		size_t room = config.storage_size - 1 > used ? config.storage_size - 1 - used : 0;
		if (len > 17)
			append_unix_path(out, p + 17, len - 17, room);
		break;
	}
	default:
		hr_sb_printf(out, "family %d", (int)(int8_t)p[0]);
		break;
	}
}

/* poll's fd list: `fd:<type char><events in hex>` separated by spaces.
 * Without a thread for the event (sysdig makes one up for every unknown
 * tid, so only a full thread table gets here) sysdig leaves whatever its
 * buffer held from the previous parameter; Harrier shows an empty list. */
static void render_fdlist(struct render *r, const uint8_t *p, uint32_t len)
{
	if (!r->thread || len < 2)
		return;
	unsigned nfds = p[0] | (p[1] << 8);
	size_t start = r->out->len;
	for (unsigned j = 0; j < nfds && 2 + (size_t)j * 10 + 10 <= len; j++) {
		const uint8_t *entry = p + 2 + (size_t)j * 10;
		int64_t fd = (int64_t)read_le(entry, 8, 8);
		int16_t events = (int16_t)read_le(entry + 8, 2, 2);
		const struct hr_fd *f = fd >= 0 ? hr_state_fd(r->s, r->thread, fd) : NULL;
		hr_sb_printf(r->out, "%" PRIu64 ":%c%x%s", (uint64_t)fd, f ? fd_type_char(f->type) : '?',
			     (unsigned)(int)events, j + 1 < nfds ? " " : "");
		/* sysdig's buffer ends mid-entry once the list outgrows it. */
		if (r->out->len - start >= config.storage_size - 1) {
			r->out->len = start + config.storage_size - 1;
			r->out->p[r->out->len] = 0;
			break;
		}
	}
}

static void render_syscall_id(struct render *r, uint16_t code)
{
	if (code >= HR_SYSCALL_MAX_2022) {
		hr_sb_puts(r->out, "<unknown syscall>");
		begin_resolved(r);
		return;
	}
	hr_sb_printf(r->out, "%u", code);
	begin_resolved(r);
	const char *name = hr_syscall_name_2022(code);
	if (name)
		hr_sb_puts(r->out, name);
}

static void render_sigset(struct render *r, uint32_t set)
{
	const char *sep = "";
	for (unsigned sig = 0; sig < 32; sig++) {
		if (!(set & (1u << sig)))
			continue;
		const char *name = hr_signal_name(sig + 1);
		if (name) {
			hr_sb_puts(r->out, sep);
			hr_sb_puts(r->out, name);
			sep = " ";
		}
	}
}

static void render_user_or_group(struct render *r, uint32_t id, bool user)
{
	if (id == UINT32_MAX) {
		hr_sb_puts(r->out, "-1");
		begin_resolved(r);
		hr_sb_puts(r->out, "<NONE>");
		return;
	}
	append_i64(r->out, (int32_t)id);
	begin_resolved(r);
	const struct hr_user *u = r->s && user ? hr_state_thread_user(r->s, r->thread, id) : NULL;
	const struct hr_group *g = r->s && !user ? hr_state_thread_group(r->s, r->thread, id) : NULL;
	const struct hr_bytes *name = u ? &u->name : g ? &g->name : NULL;
	if (!name) {
		hr_sb_puts(r->out, "<NA>");
		return;
	}
	if (name->p)
		append_sanitized(r->out, (const uint8_t *)name->p, name->len);
}

/* ------------------------------------------------------------ byte buffers */

static void render_bytebuf(struct render *r, const uint8_t *p, uint32_t len)
{
	struct hr_strbuf *out = r->out;
	if (len == 0)
		return;
	size_t start = out->len;
	switch (config.buffer_format) {
	case HR_BUF_EOLS: hr_append_ascii_lines(out, p, len); return;
	case HR_BUF_HEX: hr_append_hex_rows(out, p, len, false); return;
	case HR_BUF_HEXASCII: hr_append_hex_rows(out, p, len, true); return;
	case HR_BUF_BASE64: hr_append_base64(out, p, len); return;
	case HR_BUF_NORMAL:
	case HR_BUF_JSON:
		break;
	}
	hr_append_dots(out, p, len);
	/* sysdig doubles its buffer until the rendering fits with two spare bytes. */
	while (len + 2 > config.storage_size)
		config.storage_size *= 2;
	unsigned max = config.max_output_len;
	if (config.buffer_format == HR_BUF_NORMAL && max != 0 && len > max) {
		out->len = start + max;
		if (max > 3)
			memcpy(out->p + out->len - 3, "...", 3);
		out->p[out->len] = 0;
	}
}

/* In-memory string arrays in sysdig (tracer events); from a file, the
 * NUL-separated strings joined as sysdig joins the in-memory ones. */
static void render_string_array(struct render *r, const uint8_t *p, uint32_t len, bool pairs)
{
	size_t i = 0;
	unsigned n = 0;
	while (i < len) {
		size_t l = c_strnlen(p + i, len - i);
		if (n > 0)
			hr_sb_putc(r->out, pairs ? (n % 2 ? ':' : ',') : '.');
		hr_sb_append(r->out, (const char *)p + i, l);
		i += l + 1;
		n++;
	}
}

/* ------------------------------------------------------------ one parameter */

static void render_param(struct render *r, unsigned idx)
{
	struct hr_strbuf *out = r->out;
	const struct hr_param_info *pi = &r->layout[idx];
	const uint8_t *p = r->e->param[idx];
	uint32_t len = r->e->param_len[idx];
	uint8_t type = pi->type;
	uint8_t fmt = pi->format; /* a dynamic parameter keeps its own print format */

	if (type == HR_PT_DYN) {
		if (pi->info_kind == HR_INFO_DYN && len > 0 && p[0] < hr_dyn_tables[pi->info].count) {
			const struct hr_param_info *dyn = &hr_dyn_tables[pi->info].entries[p[0]];
			type = dyn->type;
			pi = dyn;
			p++;
			len--;
		} else {
			hr_sb_puts(out, "INVALID DYNAMIC PARAMETER");
			begin_resolved(r);
			return;
		}
	}

	/* Fixed-size values that the event left empty: sysdig would read the
	 * next parameter's bytes; there is nothing honest to show but this. */
	bool fixed = type != HR_PT_CHARBUF && type != HR_PT_BYTEBUF && type != HR_PT_FSPATH &&
		     type != HR_PT_FSRELPATH && type != HR_PT_SOCKADDR && type != HR_PT_SOCKTUPLE &&
		     type != HR_PT_FDLIST && type != HR_PT_CHARBUFARRAY && type != HR_PT_CHARBUF_PAIR_ARRAY;
	if (fixed && len == 0) {
		hr_sb_puts(out, "NULL");
		begin_resolved(r);
		return;
	}

	switch (type) {
	case HR_PT_INT8: append_signed(out, (int8_t)read_le(p, len, 1), 8, fmt); break;
	case HR_PT_INT16: append_signed(out, (int16_t)read_le(p, len, 2), 16, fmt); break;
	case HR_PT_INT32: append_signed(out, (int32_t)read_le(p, len, 4), 32, fmt); break;
	case HR_PT_INT64: append_signed(out, (int64_t)read_le(p, len, 8), 64, fmt); break;
	case HR_PT_UINT8: append_unsigned(out, read_le(p, len, 1), 8, fmt); break;
	case HR_PT_UINT16: append_unsigned(out, read_le(p, len, 2), 16, fmt); break;
	case HR_PT_UINT32: append_unsigned(out, read_le(p, len, 4), 32, fmt); break;
	case HR_PT_UINT64: append_unsigned(out, read_le(p, len, 8), 64, fmt); break;
	case HR_PT_FD: render_fd(r, (int64_t)read_le(p, len, 8)); break;
	case HR_PT_FD32: render_fd(r, (int32_t)read_le(p, len, 4)); break;
	case HR_PT_PID: render_pid(r, (int64_t)read_le(p, len, 8)); break;
	case HR_PT_PID32: render_pid(r, (int32_t)read_le(p, len, 4)); break;
	case HR_PT_ERRNO: {
		int64_t v = (int64_t)read_le(p, len, 8);
		append_i64(out, v);
		begin_resolved(r);
		const char *name = v < 0 ? hr_errno_name(v) : NULL;
		if (name)
			hr_sb_puts(out, name);
		break;
	}
	case HR_PT_CHARBUF:
		/* Printed as the C string it is, unprintable bytes included. */
		hr_sb_append(out, (const char *)p, c_strnlen(p, len));
		if (len > config.storage_size)
			config.storage_size = len;
		break;
	case HR_PT_FSPATH:
	case HR_PT_FSRELPATH: render_path(r, pi, p, len); break;
	case HR_PT_BYTEBUF: render_bytebuf(r, p, len); break;
	case HR_PT_SOCKADDR: render_sockaddr(r, p, len); break;
	case HR_PT_SOCKTUPLE: render_socktuple(r, p, len); break;
	case HR_PT_FDLIST: render_fdlist(r, p, len); break;
	case HR_PT_SYSCALLID: render_syscall_id(r, (uint16_t)read_le(p, len, 2)); break;
	case HR_PT_SIGTYPE: {
		uint8_t sig = (uint8_t)read_le(p, len, 1);
		hr_sb_printf(out, "%u", sig);
		begin_resolved(r);
		const char *name = hr_signal_name(sig);
		if (name)
			hr_sb_puts(out, name);
		break;
	}
	case HR_PT_RELTIME: {
		uint64_t v = read_le(p, len, 8);
		if (v == UINT64_MAX) {
			hr_sb_puts(out, "none");
			begin_resolved(r);
		} else {
			append_u64(out, v);
			begin_resolved(r);
			hr_sb_printf(out, "%gs", (double)v / 1000000000);
		}
		break;
	}
	/* Only newer events have absolute times (sysdig 0.29.3 had no text for them). */
	case HR_PT_ABSTIME: append_u64(out, read_le(p, len, 8)); break;
	case HR_PT_FLAGS8:
	case HR_PT_FLAGS16:
	case HR_PT_FLAGS32: {
		unsigned size = type == HR_PT_FLAGS8 ? 1 : type == HR_PT_FLAGS16 ? 2 : 4;
		uint32_t v = (uint32_t)read_le(p, len, size);
		append_u64(out, v);
		begin_resolved(r);
		uint64_t absent = 0;
		const struct hr_flag_table *ft = flag_table_of(&r->layout[idx], &absent);
		append_flag_names(out, ft, absent, v);
		break;
	}
	case HR_PT_ENUMFLAGS8:
	case HR_PT_ENUMFLAGS16:
	case HR_PT_ENUMFLAGS32: {
		unsigned size = type == HR_PT_ENUMFLAGS8 ? 1 : type == HR_PT_ENUMFLAGS16 ? 2 : 4;
		uint32_t v = (uint32_t)read_le(p, len, size);
		hr_sb_printf(out, "%" PRIu32, v);
		begin_resolved(r);
		uint64_t absent = 0;
		append_enum_name(out, flag_table_of(&r->layout[idx], &absent), v);
		break;
	}
	case HR_PT_MODE: {
		uint32_t v = (uint32_t)read_le(p, len, 4);
		append_unsigned(out, v, 32, fmt);
		begin_resolved(r);
		uint64_t absent = 0;
		append_flag_names(out, flag_table_of(&r->layout[idx], &absent), absent, v);
		break;
	}
	case HR_PT_UID: render_user_or_group(r, (uint32_t)read_le(p, len, 4), true); break;
	case HR_PT_GID: render_user_or_group(r, (uint32_t)read_le(p, len, 4), false); break;
	case HR_PT_SIGSET: render_sigset(r, (uint32_t)read_le(p, len, 4)); break;
	case HR_PT_CHARBUFARRAY: render_string_array(r, p, len, false); break;
	case HR_PT_CHARBUF_PAIR_ARRAY: render_string_array(r, p, len, true); break;
	case HR_PT_IPV4ADDR:
		if (len >= 4)
			hr_sb_printf(out, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
		break;
	case HR_PT_IPV6ADDR:
		if (len >= 16)
			render_ipv6_address(out, p);
		break;
	case HR_PT_PORT: hr_sb_printf(out, "%u", (unsigned)read_le(p, len, 2)); break;
	default: hr_sb_puts(out, "(n.a.)"); break;
	}
	/* Types without a resolved text leave everything as raw text. */
	if (r->raw_end == (size_t)-1)
		r->raw_end = out->len;
}

static bool start(struct render *r, struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e)
{
	r->out = out;
	r->s = s;
	r->e = e;
	r->thread = !s ? NULL : e->thread ? e->thread : hr_state_thread(s, e->tid);
	r->layout = hr_event_layout(e, &r->count);
	/* The buffer is written in place below, so it must exist and be a
	 * string even if nothing gets appended. */
	if (out->len + 1 > out->cap)
		hr_sb_grow(out, 1);
	out->p[out->len] = 0;
	return r->layout != NULL;
}

/* Renders one parameter and reports where its resolved text begins:
 * out->len when it has none. */
static size_t render_one(struct render *r, unsigned idx)
{
	r->raw_end = (size_t)-1;
	render_param(r, idx);
	return r->raw_end;
}

/* ------------------------------------------------------------ public API */

void hr_format_sockaddr(struct hr_strbuf *out, const uint8_t *p, uint32_t len)
{
	struct render r = {.out = out};
	render_sockaddr(&r, p, len);
}

void hr_format_socktuple(struct hr_strbuf *out, const uint8_t *p, uint32_t len)
{
	struct render r = {.out = out};
	render_socktuple(&r, p, len);
}

void hr_format_evt_args(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e)
{
	struct render r;
	if (!start(&r, out, s, e))
		return;
	/* Generic syscall events keep their parameters for internal use. */
	if (e->type <= 1)
		return;
	for (unsigned i = 0; i < r.count; i++) {
		hr_sb_puts(out, r.layout[i].name);
		hr_sb_putc(out, '=');
		size_t resolved_at = render_one(&r, i);
		if (resolved_at < out->len) {
			/* Make room for the '(' between raw and resolved text. */
			hr_sb_putc(out, 0);
			memmove(out->p + resolved_at + 1, out->p + resolved_at, out->len - 1 - resolved_at);
			out->p[resolved_at] = '(';
			hr_sb_puts(out, ") ");
		} else {
			hr_sb_putc(out, ' ');
		}
	}
}

void hr_format_evt_info(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e)
{
	hr_format_evt_args(out, s, e);
}

/* evt.rawarg: the value as stored, printed by its type alone. */
static void render_raw(struct render *r, unsigned idx)
{
	struct hr_strbuf *out = r->out;
	const struct hr_param_info *pi = &r->layout[idx];
	const uint8_t *p = r->e->param[idx];
	uint32_t len = r->e->param_len[idx];
	uint8_t fmt = pi->format;
	/* Field values print octal without the leading 0 evt.args gives them. */
	if (fmt == HR_PF_OCT && (pi->type == HR_PT_INT8 || pi->type == HR_PT_INT16 || pi->type == HR_PT_INT32)) {
		unsigned size = pi->type == HR_PT_INT8 ? 1 : pi->type == HR_PT_INT16 ? 2 : 4;
		uint64_t v = read_le(p, len, size);
		int64_t sv = size == 1 ? (int8_t)v : size == 2 ? (int16_t)v : (int32_t)v;
		hr_sb_printf(out, "%o", (unsigned)(int32_t)sv);
		return;
	}
	switch (pi->type) {
	case HR_PT_INT8: append_signed(out, (int8_t)read_le(p, len, 1), 8, fmt); break;
	case HR_PT_INT16: append_signed(out, (int16_t)read_le(p, len, 2), 16, fmt); break;
	case HR_PT_INT32: append_signed(out, (int32_t)read_le(p, len, 4), 32, fmt); break;
	case HR_PT_INT64:
	case HR_PT_PID:
	case HR_PT_ERRNO:
	case HR_PT_FD:
		if (fmt == HR_PF_OCT)
			hr_sb_printf(out, "%" PRIo64, read_le(p, len, 8));
		else
			append_signed(out, (int64_t)read_le(p, len, 8), 64, fmt);
		break;
	/* For unsigned types up to 32 bits sysdig prints PF_HEX as decimal. */
	case HR_PT_UINT8:
	case HR_PT_SIGTYPE:
	case HR_PT_FLAGS8:
	case HR_PT_ENUMFLAGS8: hr_sb_printf(out, fmt == HR_PF_OCT ? "%o" : "%u", (unsigned)read_le(p, len, 1)); break;
	case HR_PT_UINT16:
	case HR_PT_PORT:
	case HR_PT_SYSCALLID:
	case HR_PT_FLAGS16:
	case HR_PT_ENUMFLAGS16: hr_sb_printf(out, fmt == HR_PF_OCT ? "%o" : "%u", (unsigned)read_le(p, len, 2)); break;
	case HR_PT_UINT32:
	case HR_PT_FLAGS32:
	case HR_PT_ENUMFLAGS32:
	case HR_PT_UID:
	case HR_PT_GID:
	case HR_PT_MODE:
	case HR_PT_SIGSET: hr_sb_printf(out, fmt == HR_PF_OCT ? "%o" : "%u", (unsigned)read_le(p, len, 4)); break;
	case HR_PT_UINT64:
	case HR_PT_RELTIME:
	case HR_PT_ABSTIME: {
		uint64_t v = read_le(p, len, 8);
		if (fmt == HR_PF_OCT)
			hr_sb_printf(out, "%" PRIo64, v);
		else if (fmt == HR_PF_HEX)
			hr_sb_printf(out, "%" PRIX64, v);
		else
			hr_sb_printf(out, "%" PRIu64, v);
		break;
	}
	case HR_PT_CHARBUF:
	case HR_PT_FSPATH:
	case HR_PT_FSRELPATH:
	case HR_PT_BYTEBUF: hr_sb_append(out, (const char *)p, c_strnlen(p, len)); break;
	default:
		render_one(r, idx);
		out->len = r->raw_end;
		out->p[out->len] = 0;
		break;
	}
}

void hr_format_param_text(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e,
			  unsigned idx)
{
	struct render r;
	if (!start(&r, out, s, e) || idx >= r.count)
		return;
	out->len = render_one(&r, idx);
	out->p[out->len] = 0;
}

void hr_format_param(struct hr_strbuf *out, const struct hr_state *s, const struct hr_event *e,
		     unsigned idx, bool resolved)
{
	struct render r;
	if (!start(&r, out, s, e) || idx >= r.count)
		return;
	if (!resolved) {
		render_raw(&r, idx);
		return;
	}
	size_t raw_at = out->len;
	size_t resolved_at = render_one(&r, idx);
	if (resolved_at < out->len) {
		size_t n = out->len - resolved_at;
		memmove(out->p + raw_at, out->p + resolved_at, n);
		out->len = raw_at + n;
		out->p[out->len] = 0;
	}
}
