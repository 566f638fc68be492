/*
 * Event side of the state engine: sinsp's per-event reset (which thread,
 * which fd, pairing an exit with its enter), the deferred removals, and the
 * fd parsers (open, socket, connect, accept, bind, close, pipe, dup, ...).
 * Process lifecycle (clone, execve) lives in state_process.c.
 *
 * Event ids below 336 behave as in sysdig 0.29.3's libsinsp; ids it does
 * not know (newer drivers) follow the newest libs, since sysdig skips them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/container_users.h"
#include "state/state_internal.h"
#include "state/state_event_ids.h"

enum { CLOSE_IN_PROGRESS = 1, CLOSE_CANCELED = 2 };
/* Where sinsp parks an fd whose close was overtaken (CANCELED_FD_NUMBER). */
#define CANCELED_FD INT64_MAX

/* sinsp stores enter events up to this size (SP_EVT_BUF_SIZE). */
#define ENTER_COPY_MAX 4096

/*
 * The spec's flags are the newest libs'; sysdig 0.29.3's table differs on a
 * few fd flags, and its parsers (fd lookup at the enter's first parameter)
 * depend on them.
 */
/* The ids sysdig 0.29.3's table marks EF_OLD_VERSION (the newest libs mark
 * most enter events instead). */
static const uint16_t old_version_2022[] = {
	10, 11, 12, 13, 14, 15, 16, 26, 27, 56, 57, 90, 91, 102, 103, 104, 105, 106, 107, 108, 109, 110,
	111, 146, 147, 154, 155, 156, 157, 172, 173, 182, 183, 184, 185, 214, 215, 216, 217, 218, 219, 220,
	221, 228, 229, 282, 283, 288, 289,
};

static uint32_t compute_flags_2022(uint16_t type)
{
	uint32_t f = hr_event_table[type].flags;
	if (type >= HR_EVENT_MAX_2022)
		return f;
	f &= ~(uint32_t)HR_EF_OLD_VERSION;
	for (size_t i = 0; i < sizeof(old_version_2022) / sizeof(old_version_2022[0]); i++)
		if (old_version_2022[i] == type)
			f |= HR_EF_OLD_VERSION;
	switch (type) {
	case EV_SENDMMSG_X:
	case EV_RECVMMSG_X:
		return f & ~(uint32_t)(HR_EF_USES_FD | HR_EF_MODIFIES_STATE | HR_EF_READS_FROM_FD | HR_EF_WRITES_TO_FD);
	case EV_MMAP_E:
	case EV_MMAP_X:
	case EV_MMAP2_E:
	case EV_MMAP2_X:
	case EV_SYMLINKAT_X:
	case EV_UNLINKAT_2_X:
	case EV_MKDIRAT_X:
	case EV_FCHMODAT_X:
	case EV_FCHMOD_X:
		return f & ~(uint32_t)HR_EF_USES_FD;
	case EV_FSTAT64_X:
		return f | HR_EF_USES_FD;
	case EV_SCHEDSWITCH_1_X:
		return f | HR_EF_SKIPPARSERESET;
	case EV_SETPGID_E:
	case EV_SETPGID_X:
		return f | HR_EF_MODIFIES_STATE;
	default:
		return f;
	}
}

/* Computed once: every event asks for its flags. */
static uint32_t flags_table[HR_EVENT_MAX];
static bool flags_table_ready;

static uint32_t flags_2022(uint16_t type)
{
	if (!flags_table_ready) {
		for (uint16_t i = 0; i < HR_EVENT_MAX; i++)
			flags_table[i] = compute_flags_2022(i);
		flags_table_ready = true;
	}
	return flags_table[type];
}

static bool is_enter(uint16_t type)
{
	return hr_event_table[type].is_enter != 0;
}

static bool is_clone_exit(uint16_t type)
{
	switch (type) {
	case EV_CLONE_11_X:
	case EV_CLONE_16_X:
	case EV_CLONE_17_X:
	case EV_CLONE_20_X:
	case EV_FORK_X:
	case EV_FORK_17_X:
	case EV_FORK_20_X:
	case EV_VFORK_X:
	case EV_VFORK_17_X:
	case EV_VFORK_20_X:
	case EV_CLONE3_X:
		return true;
	default:
		return false;
	}
}

/* The fd table lookup sinsp's threadinfo get_fd does while parsing (it
 * may create the main thread as a placeholder). */
static struct hr_fd *get_fd(struct hr_state *s, struct hr_thread *t, int64_t fd)
{
	if (!t)
		return NULL;
	return hr_fdt_find(hr_fdt_of(s, t), fd);
}

/* Keeps a copy of an enter event in the thread's reusable buffer. */
static void store_enter(struct hr_thread *t, const struct hr_event *e)
{
	if (e->len > ENTER_COPY_MAX) {
		/* too big to keep, but its time still starts the exit's latency */
		t->last_enter.valid = false;
		t->last_enter.ev.ts = e->ts;
		return;
	}
	uint32_t total = 0;
	for (uint32_t i = 0; i < e->nparams_indexed; i++)
		total += e->param_len[i];
	if (total > t->last_enter.cap || !t->last_enter.buf) {
		uint32_t cap = total < 256 ? 256 : total;
		uint8_t *buf = realloc(t->last_enter.buf, cap);
		if (!buf)
			abort();
		t->last_enter.buf = buf;
		t->last_enter.cap = cap;
	}
	struct hr_event *c = &t->last_enter.ev;
	*c = *e;
	uint32_t off = 0;
	for (uint32_t i = 0; i < e->nparams_indexed; i++) {
		if (e->param_len[i])
			memcpy(t->last_enter.buf + off, e->param[i], e->param_len[i]);
		c->param[i] = t->last_enter.buf + off;
		off += e->param_len[i];
	}
	c->thread = NULL;
	c->fd = NULL;
	c->enter = NULL;
	c->fd_num = -1;
	t->last_enter.valid = true;
}

/* The exit's own fd parameter when the 2022 layout of the exit lacks it
 * (captures from drivers that write exit events only). */
static bool own_fd_param(const struct hr_event *e, int64_t *fd)
{
	const struct hr_event_info *info = hr_event_info(e);
	unsigned start = info->known_2022 ? info->nparams_2022 : 1;
	for (unsigned i = start; i < info->nparams && i < e->nparams_indexed; i++) {
		if (info->params[i].type == HR_PT_FD && strcmp(info->params[i].name, "fd") == 0)
			return hr_param_i64(e, i, fd);
	}
	return false;
}

/* An fd sinsp removes only when the next event starts, so that the
 * closing event still shows it. */
static void defer_fd_removal(struct hr_state *s, struct hr_thread *t, int64_t fd)
{
	if (s->nfds_to_remove && s->fd_owner_tid != t->tid)
		s->nfds_to_remove = 0; /* sinsp keeps one owner: the latest */
	if (s->nfds_to_remove < sizeof(s->fds_to_remove) / sizeof(s->fds_to_remove[0])) {
		s->fd_owner_tid = t->tid;
		s->fds_to_remove[s->nfds_to_remove++] = fd;
	}
}

/* sinsp_parser::reset: the event's thread, fd and enter event. */
static void reset(struct hr_state *s, struct hr_event *e, uint32_t eflags)
{
	uint16_t type = e->type;
	if (eflags & HR_EF_SKIPPARSERESET) {
		if (type == EV_PROCINFO_E)
			e->thread = hr_threads_find(s, e->tid);
		return;
	}
	if (type == EV_CONTAINER_JSON_E || type == EV_CONTAINER_JSON_2_E)
		return;

	bool query_os = !(is_clone_exit(type) || type == EV_SCHEDSWITCH_6_E);
	struct hr_thread *t = query_os ? hr_threads_get_or_placeholder(s, e->tid) : hr_threads_find(s, e->tid);
	e->thread = t;
	if (type == EV_SCHEDSWITCH_6_E || !t)
		return;
	if (query_os)
		t->flags |= HR_CL_ACTIVE;

	if (is_enter(type)) {
		t->lastevent_fd = -1;
		t->lastevent_type = type;
		if (eflags & HR_EF_USES_FD) {
			t->lastevent_fd = hr_p_i64(e, 0, -1);
			e->fd = get_fd(s, t, t->lastevent_fd);
		}
		store_enter(t, e);
		return;
	}

	/* Exit. An enter of another type means events were lost in between. */
	bool paired = t->lastevent_type >= 0 && type == t->lastevent_type + 1;
	if (!paired)
		t->last_enter.valid = false;
	if (t->last_enter.valid && t->last_enter.ev.type + 1 == type)
		e->enter = &t->last_enter.ev;
	if (!paired) {
		int64_t fd;
		if (hr_event_table[type].flags & HR_EF_USES_FD && own_fd_param(e, &fd)) {
			t->lastevent_fd = fd;
			e->fd = get_fd(s, t, fd);
		}
		return;
	}
	if (eflags & HR_EF_USES_FD) {
		if (type == EV_COPY_FILE_RANGE_X)
			t->lastevent_fd = hr_p_i64(e, 1, -1);
		e->fd = get_fd(s, t, t->lastevent_fd);
		if (e->fd && e->fd->close_state == CLOSE_CANCELED) {
			/* The overtaken close is over: its parked fd goes. */
			e->fd->close_state = 0;
			defer_fd_removal(s, t, CANCELED_FD);
		}
	}
}

/* An enter-event parameter, or the exit's own when no enter was paired
 * (the exit-only layouts carry the syscall's inputs too). */
static const struct hr_event *input_source(const struct hr_event *e, unsigned exit_index, unsigned *index,
					   unsigned enter_index)
{
	if (e->enter) {
		*index = enter_index;
		return e->enter;
	}
	if (exit_index < e->nparams_indexed && e->param_len[exit_index]) {
		*index = exit_index;
		return e;
	}
	return NULL;
}

static struct hr_fd *add_fd(struct hr_state *s, struct hr_event *e, int64_t fd, const struct hr_fd *proto)
{
	struct hr_fd *f = hr_fdt_add(s, e->thread, fd, proto);
	if (f->name.len != 0)
		f->name_changed_num = e->num;
	e->fd = f;
	return f;
}

static void add_simple_fd(struct hr_state *s, struct hr_event *e, int64_t fd, uint8_t type)
{
	if (!e->thread || fd < 0)
		return;
	struct hr_fd proto;
	memset(&proto, 0, sizeof(proto));
	proto.type = type;
	add_fd(s, e, fd, &proto);
}

/* Falco's fd.name_changed: this event's parsing gave the fd a name. */
static void mark_renamed(struct hr_fd *f, const struct hr_event *e)
{
	f->name_changed_num = e->num;
}

/* ---- files ---- */

/* sinsp's parse_dirfd: the directory a relative path starts from. Like
 * sinsp it leaves the directory's fd as the event's fd. */
static void dir_of(struct hr_state *s, struct hr_event *e, const char *name, int64_t dirfd, struct hr_bytes *dir)
{
	struct hr_thread *t = e->thread;
	if (name[0] == '/') {
		hr_bytes_set_str(dir, ".");
	} else if (dirfd == -100) {
		struct hr_thread *main = hr_threads_main(s, t);
		hr_bytes_copy(dir, &main->cwd);
	} else {
		e->fd = get_fd(s, t, dirfd);
		if (!e->fd) {
			hr_bytes_set_str(dir, "<UNKNOWN>");
		} else {
			/* The directory's name, always followed by a '/'. */
			char buf[HR_MAX_PATH + 1];
			uint32_t n = e->fd->name.len < HR_MAX_PATH ? e->fd->name.len : HR_MAX_PATH;
			memcpy(buf, e->fd->name.p, n);
			buf[n++] = '/';
			hr_bytes_set(dir, buf, n);
		}
	}
}

static const char *param_cstr(const struct hr_event *e, unsigned i, uint32_t *len)
{
	if (i >= e->nparams_indexed || e->param_len[i] == 0) {
		*len = 0;
		return "";
	}
	*len = e->param_len[i];
	return (const char *)e->param[i];
}

/* A path parameter as a C string (bounded by its length). */
static void param_path(const struct hr_event *e, unsigned i, char *out, uint32_t *len)
{
	const char *p = param_cstr(e, i, len);
	uint32_t n = *len < HR_MAX_PATH ? *len : HR_MAX_PATH - 1;
	memcpy(out, p, n);
	out[n] = 0;
	if (*len > HR_MAX_PATH - 1)
		*len = HR_MAX_PATH - 1;
}

static void parse_open_exit(struct hr_state *s, struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t)
		return;
	uint16_t type = e->type;
	const struct hr_event *en = e->enter;
	int64_t fd = hr_p_i64(e, 0, -1);
	char name[HR_MAX_PATH];
	uint32_t namelen = 0, flags = 0, dev = 0;
	int64_t dirfd = -100;
	struct hr_bytes dir = {0};
	/* Falco reads the overlay layer bits and the inode from the exit only:
	 * the enter's flags never carry them. */
	uint32_t exit_flags = 0;
	bool upper = false, lower = false;
	uint64_t ino = 0;

	if (type == EV_OPEN_X || type == EV_CREAT_X) {
		param_path(e, 1, name, &namelen);
		unsigned dev_index = type == EV_OPEN_X ? 4 : 3;
		flags = type == EV_OPEN_X ? hr_p_u32(e, 2, 0) : 0;
		if (type == EV_OPEN_X) {
			exit_flags = flags;
		} else if (e->nparams > 5) {
			uint32_t creat_flags = hr_p_u32(e, 5, 0);
			upper = creat_flags & 1u;  /* FD_UPPER_LAYER_CREAT */
			lower = creat_flags & 2u;  /* FD_LOWER_LAYER_CREAT */
		}
		if (e->nparams > dev_index + 1)
			ino = hr_p_u64(e, dev_index + 1, 0);
		if (e->nparams > dev_index)
			dev = hr_p_u32(e, dev_index, 0);
		if (en && en->nparams >= (type == EV_OPEN_X ? 2u : 1u)) {
			char ename[HR_MAX_PATH];
			uint32_t elen;
			param_path(en, 0, ename, &elen);
			if (elen != 0 && strcmp(ename, "(NULL)") != 0) {
				memcpy(name, ename, sizeof(name));
				namelen = elen;
				flags = type == EV_OPEN_X ? hr_p_u32(en, 1, 0) : 0;
			}
		}
		struct hr_thread *main = hr_threads_main(s, t);
		hr_bytes_copy(&dir, &main->cwd);
	} else if (type == EV_OPENAT_X) {
		/* The 2022 openat exit carries only the fd. */
		if (!en)
			return;
		param_path(en, 1, name, &namelen);
		flags = hr_p_u32(en, 2, 0);
		dirfd = hr_p_i64(en, 0, -100);
		dir_of(s, e, name, dirfd, &dir);
	} else if (type == EV_OPENAT_2_X || type == EV_OPENAT2_X) {
		param_path(e, 2, name, &namelen);
		flags = hr_p_u32(e, 3, 0);
		exit_flags = flags;
		dirfd = hr_p_i64(e, 1, -100);
		unsigned dev_index = type == EV_OPENAT_2_X ? 5 : 6;
		if (type == EV_OPENAT_2_X && e->nparams > 5)
			dev = hr_p_u32(e, 5, 0);
		if (e->nparams > dev_index + 1)
			ino = hr_p_u64(e, dev_index + 1, 0);
		if (en && en->nparams >= 3) {
			char ename[HR_MAX_PATH];
			uint32_t elen;
			param_path(en, 1, ename, &elen);
			if (elen != 0 && strcmp(ename, "(NULL)") != 0) {
				memcpy(name, ename, sizeof(name));
				namelen = elen;
				flags = hr_p_u32(en, 2, 0);
				dirfd = hr_p_i64(en, 0, -100);
			}
		}
		dir_of(s, e, name, dirfd, &dir);
	} else if (type == EV_OPEN_BY_HANDLE_AT_X) {
		param_path(e, 3, name, &namelen);
		flags = hr_p_u32(e, 2, 0);
		dev = hr_p_u32(e, 4, 0);
		hr_bytes_set_str(&dir, "");
	} else {
		return;
	}

	char full[HR_MAX_PATH];
	hr_concatenate_paths(full, dir.p ? dir.p : "", dir.len, name, namelen, s->newest_libs);
	hr_bytes_free(&dir);
	if (fd < 0)
		return;
	struct hr_fd proto;
	memset(&proto, 0, sizeof(proto));
	proto.type = (flags & (1u << 10)) ? HR_FD_DIRECTORY : HR_FD_FILE;
	proto.open_flags = flags;
	proto.dev = dev;
	if (type == EV_OPEN_BY_HANDLE_AT_X) {
		proto.ino = hr_p_u64(e, 5, 0);
	} else {
		proto.ino = ino;
		proto.name_raw.p = name;
		proto.name_raw.len = (uint32_t)strnlen(name, namelen);
	}
	proto.overlay_upper = upper || (exit_flags & 0x8000u);  /* FD_UPPER_LAYER */
	proto.overlay_lower = lower || (exit_flags & 0x10000u); /* FD_LOWER_LAYER */
	proto.name.p = full;
	proto.name.len = (uint32_t)strlen(full);
	add_fd(s, e, fd, &proto);
}

/* ---- sockets ---- */

static void add_socket(struct hr_state *s, struct hr_event *e, int64_t fd, uint32_t domain, uint32_t type, uint32_t proto)
{
	struct hr_fd f;
	memset(&f, 0, sizeof(f));
	f.type = HR_FD_UNKNOWN;
	f.l4proto = HR_L4_UNKNOWN;
	if (domain == 1) {
		f.type = HR_FD_UNIX_SOCK;
		f.family = 1;
	} else if (domain == 2 || domain == 10) {
		f.type = domain == 2 ? HR_FD_IPV4_SOCK : HR_FD_IPV6_SOCK;
		f.family = (uint8_t)domain;
		bool raw = type == 3;
		if (proto == 6)
			f.l4proto = raw ? HR_L4_RAW : HR_L4_TCP;
		else if (proto == 17)
			f.l4proto = raw ? HR_L4_RAW : HR_L4_UDP;
		else if (proto == 0)
			f.l4proto = (type & 0xff) == 1 ? HR_L4_TCP : (type & 0xff) == 2 ? HR_L4_UDP : HR_L4_UNKNOWN;
		else if (proto == 1)
			f.l4proto = raw ? HR_L4_RAW : HR_L4_ICMP;
		else if (proto == 255)
			f.l4proto = HR_L4_RAW;
	} else if (domain == 16) {
		f.type = HR_FD_NETLINK;
	}
	/* sysdig 0.29.3 is built with INCLUDE_UNKNOWN_SOCKET_FDS: sockets of
	 * other families are kept, with the unknown type. */
	add_fd(s, e, fd, &f);
}

/* A send on an fd never seen created (its socket call was missed) is
 * taken for a UDP socket of the tuple's family: SOCK_DGRAM (2), UDP (17). */
static void infer_udp_socket(struct hr_state *s, struct hr_event *e, int64_t fd, const struct hr_event *src,
			     unsigned tuple_index)
{
	if (fd < 0 || tuple_index >= src->nparams_indexed || src->param_len[tuple_index] == 0)
		return;
	uint8_t family = src->param[tuple_index][0];
	if (family == 2 || family == 10)
		add_socket(s, e, fd, family, 2, 17);
}

/* sysdig 0.29.3 infers from a sendto enter (fd, size, tuple), whatever
 * the call returns. */
static void infer_socket_on_sendto_enter(struct hr_state *s, struct hr_event *e)
{
	if (e->fd || !e->thread || s->newest_libs)
		return;
	infer_udp_socket(s, e, hr_p_i64(e, 0, -1), e, 2);
}

/* Falco 0.44 infers from a successful send, sendto or sendmsg exit, with
 * the fd and tuple its converter gives the exit (the enter's on 2022
 * layouts, where send has no tuple). */
static void infer_socket_on_send_exit(struct hr_state *s, struct hr_event *e)
{
	if (e->fd || !e->thread || !s->newest_libs || hr_p_i64(e, 0, -1) < 0)
		return;
	unsigned fd_index, tuple_index;
	const struct hr_event *src = input_source(e, 2, &fd_index, 0);
	if (!src || fd_index >= src->nparams_indexed)
		return;
	tuple_index = src == e ? 4 : 2;
	infer_udp_socket(s, e, hr_p_i64(src, fd_index, -1), src, tuple_index);
}

static void parse_socket_exit(struct hr_state *s, struct hr_event *e)
{
	int64_t fd = hr_p_i64(e, 0, -1);
	if (fd < 0 || !e->thread)
		return;
	unsigned i;
	const struct hr_event *src = input_source(e, 1, &i, 0);
	if (!src)
		return;
	add_socket(s, e, fd, hr_p_u32(src, i, 0), hr_p_u32(src, i + 1, 0), hr_p_u32(src, i + 2, 0));
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static uint64_t rd64_bounded(const uint8_t *p, uint32_t len, uint32_t off)
{
	uint64_t v = 0;
	if (off + 8 <= len)
		memcpy(&v, p + off, 8);
	return v;
}

static void set_unix_info(struct hr_fd *f, const uint8_t *p, uint32_t len)
{
	f->unix_source = rd64_bounded(p, len, 1);
	f->unix_dest = rd64_bounded(p, len, 9);
}

static bool v4_zero(const uint8_t *ip)
{
	return !ip[0] && !ip[1] && !ip[2] && !ip[3];
}

/* sinsp's update_ipv4_addresses_and_ports: the tuple of a send or receive
 * becomes the socket's, unless it is the one already known. */
static bool update_ipv4(struct hr_fd *f, const uint8_t *sip, uint16_t sport, const uint8_t *dip, uint16_t dport)
{
	if (f->type == HR_FD_IPV4_SOCK) {
		if ((!memcmp(sip, f->sip, 4) && sport == f->sport && !memcmp(dip, f->dip, 4) && dport == f->dport) ||
		    (!memcmp(dip, f->sip, 4) && dport == f->sport && !memcmp(sip, f->dip, 4) && sport == f->dport))
			return false;
	}
	bool changed = false;
	if (memcmp(f->sip, sip, 4)) {
		memcpy(f->sip, sip, 4);
		changed = true;
	}
	if (f->sport != sport) {
		f->sport = sport;
		changed = true;
	}
	if (v4_zero(f->dip)) {
		memcpy(f->dip, dip, 4);
		changed = true;
	}
	if (f->dport == 0) {
		f->dport = dport;
		changed = true;
	}
	return changed;
}

static bool update_ipv6(struct hr_fd *f, const uint8_t *p)
{
	const uint8_t *sip = p + 1, *dip = p + 19;
	uint16_t sport = rd16(p + 17), dport = rd16(p + 35);
	static const uint8_t zero[16];
	if (f->type == HR_FD_IPV6_SOCK) {
		if ((!memcmp(sip, f->sip, 16) && sport == f->sport && !memcmp(dip, f->dip, 16) && dport == f->dport) ||
		    (!memcmp(dip, f->sip, 16) && dport == f->sport && !memcmp(sip, f->dip, 16) && sport == f->dport))
			return false;
	}
	bool changed = false;
	if (memcmp(f->sip, sip, 16)) {
		memcpy(f->sip, sip, 16);
		changed = true;
	}
	if (f->sport != sport) {
		f->sport = sport;
		changed = true;
	}
	if (!memcmp(f->dip, zero, 16)) {
		memcpy(f->dip, dip, 16);
		changed = true;
	}
	if (f->dport == 0) {
		f->dport = dport;
		changed = true;
	}
	return changed;
}

static void swap_addresses(struct hr_fd *f)
{
	uint8_t ip[16];
	memcpy(ip, f->sip, 16);
	memcpy(f->sip, f->dip, 16);
	memcpy(f->dip, ip, 16);
	uint16_t port = f->sport;
	f->sport = f->dport;
	f->dport = port;
}

/* A socket whose addresses change family starts from empty addresses, so
 * that no byte of the old family shows through the new one. */
static void set_family(struct hr_fd *f, uint8_t family)
{
	if (f->family == family)
		return;
	bool was_ip = f->family == 2 || f->family == 10;
	f->family = family;
	if (!was_ip)
		return;
	memset(f->sip, 0, sizeof(f->sip));
	memset(f->dip, 0, sizeof(f->dip));
	f->sport = f->dport = 0;
}

/* A socket tuple parameter applied to a socket (IPv4 forms). */
static bool apply_tuple(struct hr_fd *f, const uint8_t *p, uint32_t len)
{
	if (p[0] == 2) {
		if (len < 13)
			return false;
		f->type = HR_FD_IPV4_SOCK;
		set_family(f, 2);
		return update_ipv4(f, p + 1, rd16(p + 5), p + 7, rd16(p + 11));
	}
	if (len < 37)
		return false;
	if (hr_is_ipv4_mapped(p + 1) && hr_is_ipv4_mapped(p + 19)) {
		f->type = HR_FD_IPV4_SOCK;
		set_family(f, 2);
		return update_ipv4(f, p + 13, rd16(p + 17), p + 31, rd16(p + 35));
	}
	f->type = HR_FD_IPV6_SOCK;
	set_family(f, 10);
	return update_ipv6(f, p);
}

static void parse_bind_exit(struct hr_event *e)
{
	struct hr_fd *f = e->fd;
	if (!f || hr_p_i64(e, 0, -1) < 0 || e->nparams_indexed < 2 || e->param_len[1] == 0)
		return;
	const uint8_t *p = e->param[1];
	uint32_t len = e->param_len[1];
	if (p[0] == 2 && len >= 7) {
		uint16_t port = rd16(p + 5);
		if (port > 0) {
			f->type = HR_FD_IPV4_SERVSOCK;
			set_family(f, 2);
			memcpy(f->sip, p + 1, 4);
			f->sport = port;
			f->is_role_server = true;
		}
	} else if (p[0] == 10 && len >= 19) {
		uint16_t port = rd16(p + 17);
		if (port > 0) {
			if (hr_is_ipv4_mapped(p + 1)) {
				f->type = HR_FD_IPV4_SERVSOCK;
				set_family(f, 2);
				memcpy(f->sip, p + 13, 4);
			} else {
				f->type = HR_FD_IPV6_SERVSOCK;
				set_family(f, 10);
				memcpy(f->sip, p + 1, 16);
			}
			f->sport = port;
			f->is_role_server = true;
		}
	}
	hr_name_sockaddr_param(&f->name, p, len);
	mark_renamed(f, e);
}

static void parse_connect_enter(struct hr_event *e)
{
	struct hr_fd *f = e->fd;
	if (!f || e->nparams < 2 || e->nparams_indexed < 2 || e->param_len[1] == 0)
		return;
	const uint8_t *p = e->param[1];
	uint32_t len = e->param_len[1];
	if (p[0] == 2 && len >= 7) {
		f->type = HR_FD_IPV4_SOCK;
		set_family(f, 2);
		memcpy(f->dip, p + 1, 4);
		f->dport = rd16(p + 5);
	} else if (p[0] == 10 && len >= 19) {
		uint16_t port = rd16(p + 17);
		if (hr_is_ipv4_mapped(p + 1)) {
			f->type = HR_FD_IPV4_SOCK;
			set_family(f, 2);
			memcpy(f->dip, p + 13, 4);
		} else {
			f->type = HR_FD_IPV6_SOCK;
			set_family(f, 10);
			memcpy(f->dip, p + 1, 16);
		}
		f->dport = port;
	} else {
		hr_name_sockaddr_param(&f->name, p, len);
		mark_renamed(f, e);
		set_unix_info(f, p, len);
	}
}

static void fill_client_socket(struct hr_fd *f, const uint8_t *p, uint32_t len)
{
	if ((p[0] == 2 && len >= 13) || (p[0] == 10 && len >= 37)) {
		bool changed = apply_tuple(f, p, len);
		if (changed && f->is_role_server && f->type == HR_FD_IPV4_SOCK && f->l4proto == HR_L4_UDP)
			swap_addresses(f);
		hr_name_socket(&f->name, f);
	} else {
		hr_name_socktuple_param(&f->name, p, len);
		set_unix_info(f, p, len);
	}
	if (!f->is_role_client && !f->is_role_server)
		f->is_role_client = true;
}

static void parse_connect_exit(struct hr_event *e)
{
	struct hr_fd *f = e->fd;
	if (!f)
		return;
	int64_t res = hr_p_i64(e, 0, 0);
	if (res < 0 && res != -115)
		return;
	f->connected = true;
	if (e->nparams_indexed < 2 || e->param_len[1] == 0)
		return;
	fill_client_socket(f, e->param[1], e->param_len[1]);
	mark_renamed(f, e);
}

static void parse_accept_exit(struct hr_state *s, struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t)
		return;
	int64_t fd = hr_p_i64(e, 0, -1);
	if (fd < 0)
		return;
	t->lastevent_fd = fd;
	if (e->nparams_indexed < 2 || e->param_len[1] == 0)
		return;
	const uint8_t *p = e->param[1];
	uint32_t len = e->param_len[1];
	struct hr_fd f;
	memset(&f, 0, sizeof(f));
	if (p[0] == 2 && len >= 13) {
		apply_tuple(&f, p, len);
		f.l4proto = HR_L4_TCP;
	} else if (p[0] == 10 && len >= 37) {
		apply_tuple(&f, p, len);
		f.l4proto = HR_L4_TCP;
	} else if (p[0] == 1) {
		f.type = HR_FD_UNIX_SOCK;
		f.family = 1;
		set_unix_info(&f, p, len);
	} else {
		return;
	}
	hr_name_socktuple_param(&f.name, p, len);
	f.is_role_server = true;
	f.connected = true;
	add_fd(s, e, fd, &f);
	hr_bytes_free(&f.name);
}

/* sinsp's set_net_role_by_guessing, from the thread's other sockets. */
static void guess_role(struct hr_state *s, struct hr_thread *t, struct hr_fd *f, bool incoming)
{
	struct hr_fd_table *fdt = hr_fdt_of(s, t);
	bool bound = false, client_port = false;
	for (uint32_t b = 0; fdt && b <= fdt->mask; b++) {
		for (struct hr_fd *o = fdt->buckets[b]; o; o = o->next) {
			if (o->type == HR_FD_IPV4_SOCK && o->dport == f->dport)
				bound = true;
			if (o->type == HR_FD_IPV4_SERVSOCK && o->sport == f->dport)
				bound = true;
			if (o->type == HR_FD_IPV4_SOCK && o->sport == f->sport)
				client_port = true;
		}
	}
	if (!bound) {
		f->is_role_client = true;
	} else if (!client_port) {
		f->is_role_server = true;
	} else if (!f->is_role_client && !f->is_role_server) {
		if (incoming)
			f->is_role_server = true;
		else
			f->is_role_client = true;
	}
}

/* sinsp's infer_ipv4/ipv6_address: the machine's address that talks to
 * `peer`: the interface that is `peer`, else one on its subnet (IPv6: the
 * same first 64 bits), else the first that is not loopback; zero when none. */
static void local_address_for(const struct hr_state *s, bool v6, const uint8_t *peer, uint8_t *out)
{
	static const uint8_t loopback4[4] = {127, 0, 0, 1}, loopback6[16] = {[15] = 1};
	size_t n = v6 ? 16 : 4;
	uint16_t kind = v6 ? HR_IFACE_IPV6 : HR_IFACE_IPV4;
	for (int pass = 0; pass < 3; pass++) {
		for (uint32_t i = 0; i < s->nifaces; i++) {
			const struct hr_iface_entry *ifc = &s->ifaces[i].entry;
			if (ifc->kind != kind)
				continue;
			bool found;
			if (pass == 0) {
				found = !memcmp(ifc->addr, peer, n);
			} else if (pass == 1) {
				found = true;
				for (size_t b = 0; b < n; b++) {
					uint8_t mask = v6 ? (b < 8 ? 0xff : 0) : ifc->netmask[b];
					found = found && (ifc->addr[b] & mask) == (peer[b] & mask);
				}
			} else {
				found = memcmp(ifc->addr, v6 ? loopback6 : loopback4, n) != 0;
			}
			if (found) {
				memcpy(out, ifc->addr, n);
				return;
			}
		}
	}
	memset(out, 0, n);
}

/* sinsp's network-interfaces update_fd: a socket tuple missing one
 * address (a UDP socket sending from INADDR_ANY) gets the machine's
 * address that reaches the other end, unless that would make both ends
 * the same address and port. */
static void complete_tuple_from_interfaces(const struct hr_state *s, struct hr_fd *f)
{
	static const uint8_t zero[16];
	bool v6 = f->type == HR_FD_IPV6_SOCK;
	if (!v6 && f->type != HR_FD_IPV4_SOCK)
		return;
	size_t n = v6 ? 16 : 4;
	bool sip_zero = !memcmp(f->sip, zero, n), dip_zero = !memcmp(f->dip, zero, n);
	if (!sip_zero && !dip_zero)
		return;
	const uint8_t *known = sip_zero ? f->dip : f->sip;
	uint8_t found[16];
	local_address_for(s, v6, known, found);
	if (!memcmp(found, known, n) && f->sport == f->dport)
		return;
	memcpy(sip_zero ? f->sip : f->dip, found, n);
}

/* sinsp's update_fd: a send/receive tuple applied to the socket. */
static bool update_fd_from_tuple(const struct hr_state *s, struct hr_fd *f, const uint8_t *p, uint32_t len)
{
	if (len == 0)
		return false;
	if (p[0] == 2 || p[0] == 10) {
		if (p[0] == 10 && len >= 37 && !(hr_is_ipv4_mapped(p + 1) && hr_is_ipv4_mapped(p + 19))) {
			/* sinsp updates the IPv6 addresses without retyping the fd. */
			set_family(f, 10);
			if (!update_ipv6(f, p))
				return false;
		} else if (!apply_tuple(f, p, len)) {
			return false;
		}
	} else if (p[0] == 1) {
		f->type = HR_FD_UNIX_SOCK;
		f->family = 1;
		set_unix_info(f, p, len);
		uint32_t n = len > 17 ? len - 17 : 0;
		const char *name = len > 17 ? (const char *)p + 17 : "";
		const char *nul = memchr(name, 0, n);
		hr_bytes_set(&f->name, name, nul ? (uint32_t)(nul - name) : n);
		return true;
	}
	if ((f->type == HR_FD_IPV4_SOCK || f->type == HR_FD_IPV6_SOCK) && f->l4proto == HR_L4_UNKNOWN)
		f->l4proto = HR_L4_UDP;
	complete_tuple_from_interfaces(s, f);
	return true;
}

static void parse_rw_exit(struct hr_state *s, struct hr_event *e, uint32_t eflags)
{
	struct hr_fd *f = e->fd;
	if (!f)
		return;
	if (hr_p_i64(e, 0, -1) < 0)
		return;
	uint16_t type = e->type;
	bool incoming = (eflags & HR_EF_READS_FROM_FD) != 0;
	const uint8_t *tuple = NULL;
	uint32_t tuple_len = 0;
	bool tcp = f->type == HR_FD_IPV4_SOCK && f->l4proto == HR_L4_TCP;
	if (f->type == HR_FD_IPV4_SOCK || f->type == HR_FD_IPV6_SOCK)
		f->connected = true;
	if (f->name.len != 0 && tcp)
		return;
	if (incoming) {
		unsigned i = type == EV_RECVFROM_X ? 2 : type == EV_RECVMSG_X ? 3 : 0;
		if (!i || i >= e->nparams_indexed)
			return;
		tuple = e->param[i];
		tuple_len = e->param_len[i];
	} else {
		if (type != EV_SENDTO_X && type != EV_SENDMSG_X)
			return;
		unsigned i;
		const struct hr_event *src = input_source(e, 4, &i, 2);
		if (!src || i >= src->nparams_indexed)
			return;
		tuple = src->param[i];
		tuple_len = src->param_len[i];
	}
	if (!update_fd_from_tuple(s, f, tuple, tuple_len))
		return;
	mark_renamed(f, e);
	if (f->type == HR_FD_IPV4_SOCK || f->type == HR_FD_IPV6_SOCK) {
		if (!f->is_role_client && !f->is_role_server)
			guess_role(s, e->thread, f, incoming);
		if (incoming ? f->is_role_client : f->is_role_server)
			swap_addresses(f);
		hr_name_socket(&f->name, f);
	} else {
		hr_name_socktuple_param(&f->name, tuple, tuple_len);
	}
}

static void parse_socketpair_exit(struct hr_state *s, struct hr_event *e)
{
	if (hr_p_i64(e, 0, -1) < 0 || !e->thread)
		return;
	struct hr_fd f;
	memset(&f, 0, sizeof(f));
	f.type = HR_FD_UNIX_SOCK;
	f.family = 1;
	f.unix_source = hr_p_u64(e, 3, 0);
	f.unix_dest = hr_p_u64(e, 4, 0);
	int64_t fd1 = hr_p_i64(e, 1, -1), fd2 = hr_p_i64(e, 2, -1);
	struct hr_fd *first = hr_fdt_add(s, e->thread, fd1, &f);
	hr_fdt_add(s, e->thread, fd2, &f);
	/* The first fd may have been replaced by the second (same number). */
	e->fd = fd1 == fd2 ? hr_fdt_find(hr_fdt_of(s, e->thread), fd1) : first;
}

static void parse_pipe_exit(struct hr_state *s, struct hr_event *e)
{
	if (hr_p_i64(e, 0, -1) < 0 || !e->thread)
		return;
	struct hr_fd f;
	memset(&f, 0, sizeof(f));
	f.type = HR_FD_FIFO;
	f.ino = hr_p_u64(e, 3, 0);
	add_fd(s, e, hr_p_i64(e, 1, -1), &f);
	add_fd(s, e, hr_p_i64(e, 2, -1), &f);
}

/* ---- close, dup, fcntl ---- */

static void parse_close_enter(struct hr_event *e)
{
	if (e->fd)
		e->fd->close_state = CLOSE_IN_PROGRESS;
}

static void parse_close_exit(struct hr_state *s, struct hr_event *e)
{
	if (!e->fd || !e->thread)
		return;
	if (hr_p_i64(e, 0, -1) < 0) {
		if (e->fd->close_state == CLOSE_IN_PROGRESS)
			e->fd->close_state = 0;
		return;
	}
	if (e->fd->close_state == CLOSE_CANCELED) {
		/* Another thread created this fd again while it was being
		 * closed: the close ends the parked, older fd instead. */
		e->fd->close_state = 0;
		defer_fd_removal(s, e->thread, CANCELED_FD);
	} else {
		defer_fd_removal(s, e->thread, e->thread->lastevent_fd);
	}
}

static void duplicate_fd(struct hr_state *s, struct hr_event *e, struct hr_fd *src, int64_t newfd)
{
	struct hr_fd copy = *src;
	copy.name.p = NULL;
	hr_bytes_copy(&copy.name, &src->name);
	struct hr_fd *f = add_fd(s, e, newfd, &copy);
	/* The copy keeps the source's name: Falco sees no name change. */
	f->name_changed_num = copy.name_changed_num;
	hr_bytes_free(&copy.name);
}

static void parse_dup_exit(struct hr_state *s, struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t)
		return;
	int64_t res = hr_p_i64(e, 0, -1);
	if (res < 0)
		return;
	if (res == 0)
		t->flags |= HR_CL_PIPE_DST;
	if (res == 1)
		t->flags |= HR_CL_PIPE_SRC;
	struct hr_fd *src = e->fd;
	if (!src && e->type != EV_DUP_X)
		src = get_fd(s, t, hr_p_i64(e, 1, -1));
	if (!src)
		return;
	duplicate_fd(s, e, src, res);
}

static void parse_fcntl_exit(struct hr_state *s, struct hr_event *e)
{
	/* Only F_DUPFD and F_DUPFD_CLOEXEC create an fd. */
	uint8_t cmd;
	if (e->enter) {
		if (!hr_param_u8(e->enter, 1, &cmd))
			return;
	} else if (!hr_param_u8(e, 2, &cmd)) {
		return;
	}
	if (cmd != 1 && cmd != 26)
		return;
	int64_t res = hr_p_i64(e, 0, -1);
	if (res < 0 || !e->fd)
		return;
	duplicate_fd(s, e, e->fd, res);
}

/* ---- process attributes ---- */

static void parse_fdlimit_exit(struct hr_state *s, struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t || hr_p_i64(e, 0, -1) < 0 || !e->enter)
		return;
	uint8_t resource;
	bool prlimit = e->type == EV_PRLIMIT_X;
	if (!hr_param_u8(e->enter, prlimit ? 1 : 0, &resource) || resource != 7)
		return;
	int64_t cur = hr_p_i64(e, 1, -1);
	if (cur == -1)
		return;
	if (prlimit) {
		int64_t tid = hr_p_i64(e->enter, 0, 0);
		if (tid == 0)
			tid = e->tid;
		t = hr_threads_get_or_placeholder(s, tid);
	}
	hr_threads_main(s, t)->fdlimit = (uint64_t)cur;
}

static void parse_ids_exit(struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t || hr_p_i64(e, 0, -1) < 0)
		return;
	uint16_t type = e->type;
	bool resx = type == EV_SETRESUID_X || type == EV_SETRESGID_X;
	unsigned i;
	const struct hr_event *src = input_source(e, resx ? 2 : 1, &i, resx ? 1 : 0);
	if (!src)
		return;
	uint32_t id = hr_p_u32(src, i, 0xffffffffu);
	if (resx && id == 0xffffffffu)
		return;
	if (type == EV_SETRESUID_X || type == EV_SETUID_X)
		t->uid = id;
	else
		t->gid = id;
}

static void parse_vm_exit(struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t)
		return;
	t->vmsize_kb = hr_p_u32(e, 1, t->vmsize_kb);
	t->vmrss_kb = hr_p_u32(e, 2, t->vmrss_kb);
	t->vmswap_kb = hr_p_u32(e, 3, t->vmswap_kb);
}

static void parse_context_switch(struct hr_state *s, struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t)
		return;
	t->pfmajor = hr_p_u64(e, 1, t->pfmajor);
	t->pfminor = hr_p_u64(e, 2, t->pfminor);
	struct hr_thread *main = hr_threads_main(s, t);
	main->vmsize_kb = hr_p_u32(e, 3, main->vmsize_kb);
	main->vmrss_kb = hr_p_u32(e, 4, main->vmrss_kb);
	main->vmswap_kb = hr_p_u32(e, 5, main->vmswap_kb);
}

static void parse_chdir_exit(struct hr_state *s, struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t || hr_p_i64(e, 0, -1) < 0)
		return;
	if (e->type == EV_FCHDIR_X) {
		if (!e->fd)
			return;
		hr_threads_set_cwd(s, t, e->fd->name.p ? e->fd->name.p : "", e->fd->name.len);
		return;
	}
	char path[HR_MAX_PATH];
	uint32_t len;
	param_path(e, 1, path, &len);
	hr_threads_set_cwd(s, t, path, len);
}

static void parse_chroot_exit(struct hr_state *s, struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t || hr_p_i64(e, 0, -1) != 0)
		return;
	char path[HR_MAX_PATH];
	uint32_t len;
	param_path(e, 1, path, &len);
	if (path[0] == '/' || len == 0) {
		hr_bytes_set_str(&t->root, path);
	} else {
		char full[HR_MAX_PATH];
		struct hr_thread *main = hr_threads_main(s, t);
		hr_concatenate_paths(full, main->cwd.p ? main->cwd.p : "", main->cwd.len, path, len, s->newest_libs);
		hr_bytes_set_str(&t->root, full);
	}
	hr_containers_resolve(s, t);
}

static void parse_getsockopt_exit(struct hr_state *s, struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t || e->nparams == 0)
		return;
	int64_t fd = hr_p_i64(e, 1, -1);
	struct hr_thread *main = hr_threads_main(s, t);
	if (!main->fds)
		hr_fdt_of(s, main);
	e->fd = hr_fdt_find(main->fds, fd);
	t->lastevent_fd = fd;
}

static void parse_capset_exit(struct hr_event *e)
{
	struct hr_thread *t = e->thread;
	if (!t || hr_p_i64(e, 0, -1) < 0)
		return;
	t->cap_inheritable = hr_p_u64(e, 1, t->cap_inheritable);
	t->cap_permitted = hr_p_u64(e, 2, t->cap_permitted);
	t->cap_effective = hr_p_u64(e, 3, t->cap_effective);
}

/* ---- users and groups announced by newer drivers ---- */

/* useradded/userdeleted/groupadded/groupdeleted: the host's table, or the
 * table of the container whose id the event carries. */
static void parse_user_event(struct hr_state *s, const struct hr_event *e)
{
	uint32_t cid_len;
	bool group = e->type == EV_GROUP_ADDED_E || e->type == EV_GROUP_DELETED_E;
	const char *cid = param_cstr(e, group ? 2 : 5, &cid_len);
	struct hr_user_table *table = &s->host_users;
	if (cid_len && cid[0]) {
		char id[sizeof(((struct hr_thread *)0)->container_id)];
		snprintf(id, sizeof(id), "%.*s", (int)strnlen(cid, cid_len), cid);
		table = &hr_container_users_get(s, id)->table;
	}
	if (group) {
		struct hr_group_entry g = {.gid = hr_p_u32(e, 0, 0)};
		uint32_t n;
		g.name.p = param_cstr(e, 1, &n);
		g.name.len = (uint32_t)strnlen(g.name.p, n);
		if (e->type == EV_GROUP_ADDED_E)
			hr_user_table_add_group(table, &g);
		else
			hr_user_table_remove_group(table, g.gid);
		return;
	}
	struct hr_user_entry u = {.uid = hr_p_u32(e, 0, 0), .gid = hr_p_u32(e, 1, 0)};
	uint32_t n;
	u.name.p = param_cstr(e, 2, &n);
	u.name.len = (uint32_t)strnlen(u.name.p, n);
	u.homedir.p = param_cstr(e, 3, &n);
	u.homedir.len = (uint32_t)strnlen(u.homedir.p, n);
	u.shell.p = param_cstr(e, 4, &n);
	u.shell.len = (uint32_t)strnlen(u.shell.p, n);
	if (e->type == EV_USER_ADDED_E)
		hr_user_table_add_user(table, &u);
	else
		hr_user_table_remove_user(table, u.uid);
}

/* ---- the event loop ---- */

static void run_deferred(struct hr_state *s)
{
	if (s->enter_to_drop) {
		s->enter_to_drop->last_enter.valid = false;
		s->enter_to_drop = NULL;
	}
	if (s->tid_to_remove != -1) {
		hr_threads_remove(s, s->tid_to_remove, false);
		s->tid_to_remove = -1;
	}
	if (s->nfds_to_remove) {
		struct hr_thread *t = hr_threads_find(s, s->fd_owner_tid);
		if (t) {
			struct hr_fd_table *fdt = hr_fdt_of(s, t);
			for (uint32_t i = 0; i < s->nfds_to_remove; i++)
				hr_fdt_erase(s, fdt, s->fds_to_remove[i]);
		}
		s->nfds_to_remove = 0;
	}
}

static void dispatch(struct hr_state *s, struct hr_event *e, uint32_t eflags)
{
	switch (e->type) {
	case EV_READ_X:
	case EV_WRITE_X:
	case EV_RECV_X:
	case EV_SEND_X:
	case EV_RECVFROM_X:
	case EV_RECVMSG_X:
	case EV_SENDTO_X:
	case EV_SENDMSG_X:
	case EV_READV_X:
	case EV_WRITEV_X:
	case EV_PREAD_X:
	case EV_PWRITE_X:
	case EV_PREADV_X:
	case EV_PWRITEV_X:
		if (e->type == EV_SEND_X || e->type == EV_SENDTO_X || e->type == EV_SENDMSG_X)
			infer_socket_on_send_exit(s, e);
		parse_rw_exit(s, e, eflags);
		break;
	case EV_OPEN_X:
	case EV_CREAT_X:
	case EV_OPENAT_X:
	case EV_OPENAT_2_X:
	case EV_OPENAT2_X:
	case EV_OPEN_BY_HANDLE_AT_X:
		parse_open_exit(s, e);
		break;
	case EV_CLONE_11_X:
	case EV_CLONE_16_X:
	case EV_CLONE_17_X:
	case EV_CLONE_20_X:
	case EV_FORK_X:
	case EV_FORK_17_X:
	case EV_FORK_20_X:
	case EV_VFORK_X:
	case EV_VFORK_17_X:
	case EV_VFORK_20_X:
	case EV_CLONE3_X:
		hr_state_parse_clone_exit(s, e);
		break;
	case EV_EXECVE_8_X:
	case EV_EXECVE_13_X:
	case EV_EXECVE_14_X:
	case EV_EXECVE_15_X:
	case EV_EXECVE_16_X:
	case EV_EXECVE_17_X:
	case EV_EXECVE_18_X:
	case EV_EXECVE_19_X:
	case EV_EXECVEAT_X:
		hr_state_parse_execve_exit(s, e);
		break;
	case EV_PROCEXIT_E:
	case EV_PROCEXIT_1_E:
		if (e->thread) {
			e->thread->flags |= HR_CL_CLOSED;
			e->thread->dead = true;
			s->tid_to_remove = e->tid;
		}
		break;
	case EV_SENDTO_E:
		infer_socket_on_sendto_enter(s, e);
		break;
	case EV_PIPE_X:
	case EV_PIPE2_X:
		parse_pipe_exit(s, e);
		break;
	case EV_SOCKET_X:
		parse_socket_exit(s, e);
		break;
	case EV_BIND_X:
		parse_bind_exit(e);
		break;
	case EV_CONNECT_E:
		parse_connect_enter(e);
		break;
	case EV_CONNECT_X:
		parse_connect_exit(e);
		break;
	case EV_ACCEPT_X:
	case EV_ACCEPT_5_X:
	case EV_ACCEPT4_X:
	case EV_ACCEPT4_5_X:
	case EV_ACCEPT4_6_X:
		parse_accept_exit(s, e);
		break;
	case EV_CLOSE_E:
		parse_close_enter(e);
		break;
	case EV_CLOSE_X:
		parse_close_exit(s, e);
		break;
	case EV_FCNTL_X:
		parse_fcntl_exit(s, e);
		break;
	case EV_EVENTFD_X:
	case EV_EVENTFD2_X:
		add_simple_fd(s, e, hr_p_i64(e, 0, -1), HR_FD_EVENT);
		break;
	case EV_SIGNALFD_X:
	case EV_SIGNALFD4_X:
		add_simple_fd(s, e, hr_p_i64(e, 0, -1), HR_FD_SIGNALFD);
		break;
	case EV_TIMERFD_CREATE_X:
		add_simple_fd(s, e, hr_p_i64(e, 0, -1), HR_FD_TIMERFD);
		break;
	case EV_INOTIFY_INIT_X:
	case EV_INOTIFY_INIT1_X:
		add_simple_fd(s, e, hr_p_i64(e, 0, -1), HR_FD_INOTIFY);
		break;
	case EV_EPOLL_CREATE_X:
	case EV_EPOLL_CREATE1_X:
		add_simple_fd(s, e, hr_p_i64(e, 0, -1), HR_FD_EVENTPOLL);
		break;
	case EV_IO_URING_SETUP_X:
		add_simple_fd(s, e, hr_p_i64(e, 0, -1), HR_FD_IOURING);
		break;
	case EV_BPF_2_X:
		add_simple_fd(s, e, hr_p_i64(e, 0, -1), HR_FD_BPF);
		break;
	case EV_PIDFD_OPEN_X:
		add_simple_fd(s, e, hr_p_i64(e, 0, -1), HR_FD_PIDFD);
		break;
	case EV_MEMFD_CREATE_X: {
		int64_t fd = hr_p_i64(e, 0, -1);
		if (fd >= 0 && e->thread) {
			struct hr_fd f;
			memset(&f, 0, sizeof(f));
			f.type = HR_FD_MEMFD;
			hr_bytes_set_param_str(&f.name, e, 1);
			add_fd(s, e, fd, &f);
			hr_bytes_free(&f.name);
		}
		break;
	}
	case EV_DUP_X:
	case EV_DUP_1_X:
	case EV_DUP2_X:
	case EV_DUP3_X:
		parse_dup_exit(s, e);
		break;
	case EV_CHDIR_X:
	case EV_FCHDIR_X:
	case EV_GETCWD_X:
		parse_chdir_exit(s, e);
		break;
	case EV_GETRLIMIT_X:
	case EV_SETRLIMIT_X:
	case EV_PRLIMIT_X:
		parse_fdlimit_exit(s, e);
		break;
	case EV_SOCKETPAIR_X:
		parse_socketpair_exit(s, e);
		break;
	case EV_SCHEDSWITCH_6_E:
		parse_context_switch(s, e);
		break;
	case EV_BRK_4_X:
	case EV_MMAP_X:
	case EV_MMAP2_X:
	case EV_MUNMAP_X:
		parse_vm_exit(e);
		break;
	case EV_SETRESUID_X:
	case EV_SETRESGID_X:
	case EV_SETUID_X:
	case EV_SETGID_X:
		parse_ids_exit(e);
		break;
	case EV_CONTAINER_E:
		hr_containers_add_old(s, e);
		break;
	case EV_CONTAINER_JSON_E:
	case EV_CONTAINER_JSON_2_E:
		if (e->nparams_indexed > 0) {
			const struct hr_container *c = hr_containers_parse_json(s, e->param[0], e->param_len[0]);
			if (c) {
				hr_threads_set_container_event(s, c->id);
				e->thread = &s->container_thread;
			}
		}
		break;
	case EV_CHROOT_X:
		parse_chroot_exit(s, e);
		break;
	case EV_SETSID_X:
		if (e->thread && hr_p_i64(e, 0, -1) >= 0)
			e->thread->sid = hr_p_i64(e, 0, -1);
		break;
	case EV_GETSOCKOPT_X:
		parse_getsockopt_exit(s, e);
		break;
	case EV_CAPSET_X:
		parse_capset_exit(e);
		break;
	case EV_USER_ADDED_E:
	case EV_USER_DELETED_E:
	case EV_GROUP_ADDED_E:
	case EV_GROUP_DELETED_E:
		parse_user_event(s, e);
		break;
	default:
		break;
	}
}

uint32_t hr_state_event_flags(uint16_t type)
{
	return type < HR_EVENT_MAX ? flags_2022(type) : 0;
}

void hr_state_process_event(struct hr_state *s, struct hr_event *e)
{
	if (s->proc_sockets_unfixed)
		hr_state_finish_metadata(s);
	run_deferred(s);
	hr_containers_poll(s);

	e->thread = NULL;
	e->fd = NULL;
	e->fd_num = -1;
	e->enter = NULL;
	if (e->type >= HR_EVENT_MAX)
		return;
	uint32_t eflags = flags_2022(e->type);
	reset(s, e, eflags);
	dispatch(s, e, eflags);

	/* Where parsing had no thread, sysdig's fields still look the tid up
	 * (without creating it): scheduler and internal events, and the
	 * child of a clone seen first from the child's side. */
	if (!e->thread)
		e->thread = hr_threads_find(s, e->tid);
	struct hr_thread *t = e->thread;
	if (!t || t == &s->container_thread)
		return;
	/* sysdig resolves each event's main thread while parsing or printing
	 * it (proc.cwd, proc.env, fd lookups...), creating a placeholder when
	 * it is unknown, and sinsp remembers it while it lives. */
	hr_threads_main(s, t);
	if (eflags & (HR_EF_CREATES_FD | HR_EF_USES_FD | HR_EF_DESTROYS_FD)) {
		/* What fd.* fields see: the parsed fd, else the thread's last fd. */
		e->fd_num = t->lastevent_fd;
		if (!e->fd && t->lastevent_fd != -1)
			e->fd = hr_state_fd(s, t, t->lastevent_fd);
	}
	if (!is_enter(e->type) && !(eflags & HR_EF_SKIPPARSERESET))
		s->enter_to_drop = t;
}
