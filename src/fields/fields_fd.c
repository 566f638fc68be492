/*
 * The `fd.*` fields: the file descriptor an event refers to (as the state
 * engine linked it), its name, type, directory and socket endpoints. For
 * events that failed to create an fd, the name comes from the event's own
 * arguments, as in sysdig.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fields/field_classes.h"
#include "format/event_args.h"
#include "format/param_text.h"

enum {
	EVT_OPEN_E = 2, EVT_OPEN_X = 3, EVT_SOCKET_E = 18, EVT_CONNECT_X = 23, EVT_ACCEPT_E = 26,
	EVT_ACCEPT_X = 27, EVT_ACCEPT4_E = 56, EVT_ACCEPT4_X = 57, EVT_CREAT_E = 58, EVT_CREAT_X = 59,
	EVT_PIPE_E = 60, EVT_EVENTFD_E = 62, EVT_OPENAT_E = 102, EVT_OPENAT_X = 103, EVT_SIGNALFD_E = 126,
	EVT_TIMERFD_CREATE_E = 136, EVT_INOTIFY_INIT_E = 138, EVT_ACCEPT_5_E = 246, EVT_ACCEPT_5_X = 247,
	EVT_ACCEPT4_5_E = 248, EVT_ACCEPT4_5_X = 249, EVT_OPENAT_2_E = 306, EVT_OPENAT_2_X = 307,
	EVT_OPENAT2_E = 326, EVT_OPENAT2_X = 327,
};

/* Whether the event refers to an fd at all (creates, uses or closes one). */
static bool is_fd_event(const struct hr_event *e)
{
	return hr_field_event_flags(e) & (HR_EF_CREATES_FD | HR_EF_USES_FD | HR_EF_DESTROYS_FD);
}

/* The fd the event refers to: the one the state linked, or the thread's
 * last-used fd. NULL when there is none. */
static const struct hr_fd *event_fd(struct hr_field_ctx *ctx, const struct hr_event *e)
{
	if (e->fd)
		return e->fd;
	if (e->thread && e->fd_num != -1)
		return hr_state_fd(ctx->state, e->thread, e->fd_num);
	return NULL;
}

/* The fd of an fd event that has a thread, or NULL: the field has no value. */
static const struct hr_fd *fd_of_fd_event(struct hr_field_ctx *ctx, const struct hr_event *e)
{
	return is_fd_event(e) && e->thread ? event_fd(ctx, e) : NULL;
}

/* The longest path sysdig and Falco build (SCAP_MAX_PATH_SIZE). */
enum { MAX_PATH_SIZE = 1024 };

const struct hr_path_rules hr_sysdig_fdname_rules = {"<UNKNOWN>", false, "/PATH_TOO_LONG", true};
const struct hr_path_rules hr_sysdig_abspath_rules = {"<UNKNOWN>/", false, "/PATH_TOO_LONG", true};
/* Falco resolves a dirfd argument itself for some calls, and through the
 * event's fd (which must be a directory) for others. */
const struct hr_path_rules hr_falco_dirfd_rules = {"<UNKNOWN>", false, "/DIR_TOO_LONG/FILENAME_TOO_LONG", false};
const struct hr_path_rules hr_falco_event_fd_rules = {"<UNKNOWN>", true, "/DIR_TOO_LONG/FILENAME_TOO_LONG", false};

void hr_field_append_at_path(struct hr_field_ctx *ctx, const struct hr_thread *t, int64_t dirfd,
			     const uint8_t *name, uint32_t name_len, const struct hr_path_rules *rules,
			     struct hr_strbuf *out)
{
	enum { AT_FDCWD_VALUE = -100 };
	size_t n = strnlen((const char *)name, name_len);
	size_t base = out->len;
	size_t dir_len = 1; /* an absolute name is joined to "." */
	/* an empty name (a lone NUL) still gets the directory, as in sysdig */
	if (name_len && name[0] != '/') {
		if (dirfd == AT_FDCWD_VALUE) {
			const struct hr_thread *m = hr_state_main_thread(ctx->state, t);
			const struct hr_bytes *cwd = &(m ? m : t)->cwd;
			hr_sb_append(out, hr_bytes_str(cwd), cwd->len);
		} else {
			const struct hr_fd *dir = hr_state_fd(ctx->state, t, dirfd);
			if (dir && (!rules->directories_only || dir->type == HR_FD_DIRECTORY)) {
				hr_sb_append(out, hr_bytes_str(&dir->name), dir->name.len);
				if (!rules->directories_only || !dir->name.len || dir->name.p[dir->name.len - 1] != '/')
					hr_sb_putc(out, '/');
			} else {
				hr_sb_puts(out, rules->unknown);
			}
		}
		dir_len = out->len - base;
	} else if (!rules->counts_param) {
		dir_len = 0; /* Falco joins absolute names to nothing */
	}
	if (dir_len + (rules->counts_param ? name_len : n) + 1 > MAX_PATH_SIZE) {
		out->len = base;
		hr_sb_puts(out, rules->too_long);
		return;
	}
	hr_append_clean_path(out, base, name, n);
}

/* Appends the name an fd-creating exit event gives its fd (used when the
 * call failed and there is no fd). Returns false for enter events. */
static bool name_from_creator(struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_strbuf *out)
{
	if ((e->type & 1) == 0)
		return false;
	switch (e->type) {
	case EVT_OPEN_X: case EVT_CREAT_X: case EVT_ACCEPT_X: case EVT_ACCEPT_5_X: case EVT_ACCEPT4_X:
	case EVT_ACCEPT4_5_X: case EVT_CONNECT_X:
		if (e->nparams_indexed > 1)
			hr_format_param(out, ctx->state, e, 1, true);
		return true;
	case EVT_OPENAT_X: case EVT_OPENAT_2_X: case EVT_OPENAT2_X: {
		/* the old openat exit has the name only in its enter event */
		if (e->type == EVT_OPENAT_X && ctx->formatting)
			return false;
		const struct hr_event *src = e->type == EVT_OPENAT_X ? e->enter : e;
		unsigned dirfd_idx = e->type == EVT_OPENAT_X ? 0 : 1;
		int64_t dirfd;
		if (!src || !e->thread || src->nparams_indexed <= dirfd_idx + 1 || !hr_param_i64(src, dirfd_idx, &dirfd))
			return false;
		hr_field_append_at_path(ctx, e->thread, dirfd, src->param[dirfd_idx + 1], src->param_len[dirfd_idx + 1],
				&hr_sysdig_fdname_rules, out);
		return true;
	}
	default:
		return true; /* an empty name */
	}
}

static bool is_file(const struct hr_fd *fd) { return fd->type == HR_FD_FILE || fd->type == HR_FD_FILE_V2; }

static bool x_num(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx;
	if (!is_fd_event(e) || !e->thread)
		return false;
	return hr_set_i64(out, HR_PT_INT64, e->fd_num);
}

static bool x_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	if (!is_fd_event(e) || !e->thread)
		return false;
	const struct hr_fd *fd = event_fd(ctx, e);
	int64_t res;
	bool failed_connect = e->type == EVT_CONNECT_X && hr_param_i64(e, 0, &res) && res < 0;
	if (!fd || failed_connect) {
		hr_sb_reset(&f->storage);
		if (!name_from_creator(ctx, e, &f->storage))
			return false;
		return hr_set_storage(out, f);
	}
	return hr_set_str(out, hr_bytes_str(&fd->name), fd->name.len);
}

static const char *type_name(uint8_t type)
{
	switch (type) {
	case HR_FD_FILE: case HR_FD_FILE_V2: return "file";
	case HR_FD_DIRECTORY: return "directory";
	case HR_FD_IPV4_SOCK: case HR_FD_IPV4_SERVSOCK: return "ipv4";
	case HR_FD_IPV6_SOCK: case HR_FD_IPV6_SERVSOCK: return "ipv6";
	case HR_FD_UNIX_SOCK: return "unix";
	case HR_FD_FIFO: return "pipe";
	case HR_FD_EVENT: return "event";
	case HR_FD_SIGNALFD: return "signalfd";
	case HR_FD_EVENTPOLL: return "eventpoll";
	case HR_FD_INOTIFY: return "inotify";
	case HR_FD_TIMERFD: return "timerfd";
	case HR_FD_NETLINK: return "netlink";
	default: return "<NA>";
	}
}

static const char *type_char(uint8_t type)
{
	switch (type) {
	case HR_FD_FILE: case HR_FD_FILE_V2: return "f";
	case HR_FD_IPV4_SOCK: case HR_FD_IPV4_SERVSOCK: return "4";
	case HR_FD_IPV6_SOCK: case HR_FD_IPV6_SERVSOCK: return "6";
	case HR_FD_DIRECTORY: return "d";
	case HR_FD_FIFO: return "p";
	case HR_FD_UNIX_SOCK: return "u";
	case HR_FD_EVENT: return "e";
	case HR_FD_UNKNOWN: return "o";
	case HR_FD_UNSUPPORTED: return "X";
	case HR_FD_SIGNALFD: return "s";
	case HR_FD_EVENTPOLL: return "l";
	case HR_FD_INOTIFY: return "i";
	case HR_FD_TIMERFD: return "t";
	case HR_FD_NETLINK: return "n";
	default: return "?";
	}
}

/* The type char a failed fd-creating call would have given its fd. */
static const char *creator_type_char(uint16_t type)
{
	switch (type & ~1u) {
	case EVT_OPEN_E: case EVT_OPENAT_E: case EVT_OPENAT_2_E: case EVT_OPENAT2_E: case EVT_CREAT_E:
		return "f";
	case EVT_SOCKET_E: case EVT_ACCEPT_E: case EVT_ACCEPT_5_E: case EVT_ACCEPT4_E: case EVT_ACCEPT4_5_E:
		return "4"; /* sysdig guesses IPv4 for every socket */
	case EVT_PIPE_E: return "p";
	case EVT_EVENTFD_E: return "e";
	case EVT_SIGNALFD_E: return "s";
	case EVT_TIMERFD_CREATE_E: return "t";
	case EVT_INOTIFY_INIT_E: return "i";
	default: return "o";
	}
}

static bool x_type(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	return fd && hr_set_cstr(out, type_name(fd->type));
}

static bool x_typechar(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	if (!is_fd_event(e) || !e->thread)
		return false;
	const struct hr_fd *fd = event_fd(ctx, e);
	return hr_set_cstr(out, fd ? type_char(fd->type) : creator_type_char(e->type));
}

/* The directory part of a path as sysdig cuts it ("/" for top-level). */
static void cut_directory(struct hr_strbuf *b)
{
	char *slash = strrchr(b->p ? b->p : "", '/');
	if (slash && slash != b->p) {
		size_t pos = (size_t)(slash - b->p);
		if (pos < b->len - 1) {
			b->len = pos;
			b->p[pos] = 0;
		}
	} else {
		hr_sb_reset(b);
		hr_sb_putc(b, '/');
	}
}

static bool x_directory(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	if (!is_fd_event(e) || !e->thread)
		return false;
	const struct hr_fd *fd = event_fd(ctx, e);
	hr_sb_reset(&f->storage);
	if (!fd) {
		if (!name_from_creator(ctx, e, &f->storage))
			return false;
		cut_directory(&f->storage);
		return hr_set_storage(out, f);
	}
	if (!is_file(fd) && fd->type != HR_FD_DIRECTORY)
		return false;
	hr_sb_append(&f->storage, hr_bytes_str(&fd->name), fd->name.len);
	if (is_file(fd))
		cut_directory(&f->storage);
	return hr_set_storage(out, f);
}

static bool x_filename(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	if (!is_fd_event(e) || !e->thread)
		return false;
	const struct hr_fd *fd = event_fd(ctx, e);
	hr_sb_reset(&f->storage);
	if (!fd) {
		/* sysdig only takes names from open-like enter events here, and
		 * those never carry one: no value */
		return false;
	}
	if (!is_file(fd))
		return false;
	const char *name = hr_bytes_str(&fd->name);
	const char *slash = strrchr(name, '/');
	if (!slash)
		return hr_set_cstr(out, "/");
	if (slash[1])
		return hr_set_cstr(out, slash + 1);
	return hr_set_str(out, name, fd->name.len);
}

static bool is_ip_socket(const struct hr_fd *fd)
{
	return fd->type == HR_FD_IPV4_SOCK || fd->type == HR_FD_IPV6_SOCK;
}

static bool set_ip(struct hr_value *out, const struct hr_fd *fd, const uint8_t *ip)
{
	out->type = HR_PT_IPADDR;
	out->len = (fd->type == HR_FD_IPV4_SOCK || fd->type == HR_FD_IPV4_SERVSOCK) ? 4 : 16;
	memcpy(out->v.ip, ip, out->len);
	return true;
}

static bool has_role(const struct hr_fd *fd) { return fd->is_role_server || fd->is_role_client; }

static bool x_cip(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd || !has_role(fd) || !is_ip_socket(fd))
		return false;
	return set_ip(out, fd, fd->sip);
}

static bool x_sip(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd || !has_role(fd))
		return false;
	switch (fd->type) {
	case HR_FD_IPV4_SOCK: case HR_FD_IPV6_SOCK:
		return set_ip(out, fd, fd->dip);
	case HR_FD_IPV4_SERVSOCK: case HR_FD_IPV6_SERVSOCK:
		/* a listening socket keeps its address as the source */
		return set_ip(out, fd, fd->sip);
	default:
		return false;
	}
}

static bool x_cport(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd || !has_role(fd))
		return false;
	/* sysdig falls through to an empty string for other fds with a role
	 * (unix sockets) and reads it as port 0 */
	return hr_set_u64(out, HR_PT_PORT, is_ip_socket(fd) ? fd->sport : 0);
}

static bool x_sport(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd)
		return false;
	switch (fd->type) {
	case HR_FD_IPV4_SOCK: case HR_FD_IPV6_SOCK:
		if (!has_role(fd))
			return false;
		return hr_set_u64(out, HR_PT_PORT, fd->dport);
	case HR_FD_IPV4_SERVSOCK: case HR_FD_IPV6_SERVSOCK:
		return hr_set_u64(out, HR_PT_PORT, fd->sport);
	default:
		return false;
	}
}

/* The protocol sysdig reports: raw sockets always, others once their role
 * (client or server) is known; not for non-IP fds. */
static uint8_t l4proto_of(const struct hr_fd *fd)
{
	enum { L4_NA = 1, L4_RAW = 5 };
	switch (fd->type) {
	case HR_FD_IPV4_SOCK: case HR_FD_IPV6_SOCK:
		if (fd->l4proto == L4_RAW)
			return L4_RAW;
		return has_role(fd) ? fd->l4proto : L4_NA;
	case HR_FD_IPV4_SERVSOCK: case HR_FD_IPV6_SERVSOCK:
		return fd->l4proto;
	default:
		return L4_NA;
	}
}

static bool x_l4proto(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd)
		return false;
	switch (l4proto_of(fd)) {
	case 2: return hr_set_cstr(out, "tcp");
	case 3: return hr_set_cstr(out, "udp");
	case 4: return hr_set_cstr(out, "icmp");
	case 5: return hr_set_cstr(out, "raw");
	default: return hr_set_cstr(out, "<NA>");
	}
}

static bool x_sockfamily(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd)
		return false;
	switch (fd->type) {
	case HR_FD_IPV4_SOCK: case HR_FD_IPV6_SOCK: case HR_FD_IPV4_SERVSOCK: case HR_FD_IPV6_SERVSOCK:
		return hr_set_cstr(out, "ip");
	case HR_FD_UNIX_SOCK:
		return hr_set_cstr(out, "unix");
	default:
		return false;
	}
}

/* fd.uid: the thread id and the fd number written one after the other. */
static bool x_uid(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)ctx;
	if (!is_fd_event(e) || !e->thread)
		return false;
	hr_sb_reset(&f->storage);
	hr_sb_printf(&f->storage, "%lld%lld", (long long)e->thread->tid, (long long)e->fd_num);
	return hr_set_storage(out, f);
}

/* Makes `v` "<container id>:<v>", in the field's storage (where `v` may
 * already be). */
static bool with_container_prefix(struct hr_field *f, const struct hr_event *e, struct hr_value *v)
{
	const char *id = e->thread->container_id;
	size_t idl = strlen(id), n = strnlen(v->str, v->len);
	if (v->str == f->storage.p) {
		hr_sb_grow(&f->storage, idl + 2);
		memmove(f->storage.p + idl + 1, f->storage.p, n);
		f->storage.len = idl + 1 + n;
		f->storage.p[f->storage.len] = 0;
	} else {
		hr_sb_reset(&f->storage);
		hr_sb_append(&f->storage, v->str, n);
		return with_container_prefix(f, e, (hr_set_storage(v, f), v));
	}
	memcpy(f->storage.p, id, idl);
	f->storage.p[idl] = ':';
	return hr_set_storage(v, f);
}

static bool x_containername(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			    struct hr_value *out)
{
	return x_name(f, ctx, e, out) && with_container_prefix(f, e, out);
}

static bool x_containerdirectory(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
				 struct hr_value *out)
{
	return x_directory(f, ctx, e, out) && with_container_prefix(f, e, out);
}

/* fd.cproto / fd.sproto: the port as text (sysdig resolves no service
 * names unless asked to); empty for the cases sysdig leaves empty. */
static bool x_cproto(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd || !has_role(fd))
		return false;
	if (!is_ip_socket(fd))
		return hr_set_cstr(out, "");
	hr_sb_reset(&f->storage);
	hr_sb_printf(&f->storage, "%u", (unsigned)fd->sport);
	return hr_set_storage(out, f);
}

static bool x_sproto(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd)
		return false;
	switch (fd->type) {
	case HR_FD_IPV4_SOCK: case HR_FD_IPV6_SOCK:
		if (!has_role(fd))
			return false;
		hr_sb_reset(&f->storage);
		hr_sb_printf(&f->storage, "%u", (unsigned)fd->dport);
		return hr_set_storage(out, f);
	case HR_FD_IPV4_SERVSOCK: case HR_FD_IPV6_SERVSOCK:
		return hr_set_cstr(out, ""); /* sysdig only names connected sockets' ports */
	default:
		return false;
	}
}

/* ---- local and remote ends ------------------------------------------------ */

/* A container's IPv4 address from its JSON ("ip":"a.b.c.d"), network
 * order; false when it has none (sysdig's m_container_ip of 0). */
static bool container_ipv4(const struct hr_container *c, uint8_t ip[4])
{
	const char *j = c->json.p;
	const char *key = j ? strstr(j, "\"ip\"") : NULL;
	if (!key)
		return false;
	key += 4;
	while (*key == ' ' || *key == ':')
		key++;
	if (*key != '"')
		return false;
	char text[16];
	size_t n = strcspn(key + 1, "\"");
	if (n >= sizeof text)
		return false;
	memcpy(text, key + 1, n);
	text[n] = 0;
	uint32_t v = 0;
	if (inet_pton(AF_INET, text, &v) != 1 || v == 0)
		return false;
	memcpy(ip, &v, 4);
	return true;
}

struct address_search {
	const uint8_t *addr;
	bool ipv6;
	bool found;
};

static void match_container(void *ctx, const struct hr_container *c)
{
	struct address_search *q = ctx;
	uint8_t ip[4];
	if (container_ipv4(c, ip) && memcmp(ip, q->addr, 4) == 0)
		q->found = true;
}

/* IPv4: the interface's address; IPv6: its first 64 bits (the subnet). */
static void match_iface(void *ctx, const struct hr_iface_entry *i)
{
	struct address_search *q = ctx;
	if (q->ipv6 ? i->kind == HR_IFACE_IPV6 && memcmp(i->addr, q->addr, 8) == 0
		    : i->kind == HR_IFACE_IPV4 && memcmp(i->addr, q->addr, 4) == 0)
		q->found = true;
}

/* Whether an address belongs to this machine, as sysdig decides it: a
 * thread in a container owns its container's address (or, when that is
 * unknown, any container's); every thread owns the host interfaces'.
 * IPv6 addresses are never a container's. */
static bool is_local_address(struct hr_field_ctx *ctx, const struct hr_thread *t, const struct hr_fd *fd,
			     const uint8_t *addr)
{
	struct address_search q = {addr, fd->type == HR_FD_IPV6_SOCK || fd->type == HR_FD_IPV6_SERVSOCK, false};
	if (t->container_id[0]) {
		if (q.ipv6)
			return false;
		const struct hr_container *c = hr_state_container(ctx->state, t->container_id);
		uint8_t ip[4];
		if (c && container_ipv4(c, ip)) {
			if (memcmp(ip, addr, 4) == 0)
				return true;
		} else if (c) {
			hr_state_each_container(ctx->state, match_container, &q);
			if (q.found)
				return true;
		}
	}
	hr_state_each_iface(ctx->state, match_iface, &q);
	return q.found;
}

/* The connected IP socket of the event, and whether its source is this
 * machine (then the source is the local end). NULL for other fds and for
 * sockets whose role is not known yet. */
static const struct hr_fd *oriented_socket(struct hr_field_ctx *ctx, const struct hr_event *e, bool *source_is_local)
{
	if (!is_fd_event(e) || !e->thread)
		return NULL;
	const struct hr_fd *fd = event_fd(ctx, e);
	if (!fd || !is_ip_socket(fd) || !has_role(fd))
		return NULL;
	*source_is_local = is_local_address(ctx, e->thread, fd, fd->sip);
	return fd;
}

enum { END_LOCAL, END_REMOTE };
static bool end_ip(struct hr_field_ctx *ctx, const struct hr_event *e, int end, struct hr_value *out)
{
	bool src_local;
	const struct hr_fd *fd = oriented_socket(ctx, e, &src_local);
	if (!fd)
		return false;
	return set_ip(out, fd, (end == END_LOCAL) == src_local ? fd->sip : fd->dip);
}
static bool end_port(struct hr_field_ctx *ctx, const struct hr_event *e, int end, uint16_t *port)
{
	bool src_local;
	const struct hr_fd *fd = oriented_socket(ctx, e, &src_local);
	if (!fd)
		return false;
	*port = (end == END_LOCAL) == src_local ? fd->sport : fd->dport;
	return true;
}
static bool x_lip(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return end_ip(ctx, e, END_LOCAL, out);
}
static bool x_rip(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return end_ip(ctx, e, END_REMOTE, out);
}
static bool x_lport(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	uint16_t port;
	return end_port(ctx, e, END_LOCAL, &port) && hr_set_u64(out, HR_PT_PORT, port);
}
static bool x_rport(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	uint16_t port;
	return end_port(ctx, e, END_REMOTE, &port) && hr_set_u64(out, HR_PT_PORT, port);
}
/* fd.lproto / fd.rproto: the port as text (no service names, as sysdig
 * without name resolution). */
static bool x_lproto(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	uint16_t port;
	if (!end_port(ctx, e, END_LOCAL, &port))
		return false;
	hr_sb_reset(&f->storage);
	hr_sb_printf(&f->storage, "%u", (unsigned)port);
	return hr_set_storage(out, f);
}
static bool x_rproto(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	uint16_t port;
	if (!end_port(ctx, e, END_REMOTE, &port))
		return false;
	hr_sb_reset(&f->storage);
	hr_sb_printf(&f->storage, "%u", (unsigned)port);
	return hr_set_storage(out, f);
}

/* fd.is_server: a listening socket, or a socket whose destination is this
 * machine (whatever its role). */
static bool x_is_server(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd)
		return false;
	switch (fd->type) {
	case HR_FD_IPV4_SERVSOCK: case HR_FD_IPV6_SERVSOCK:
		return hr_set_bool(out, true);
	case HR_FD_IPV4_SOCK: case HR_FD_IPV6_SOCK:
		return hr_set_bool(out, is_local_address(ctx, e->thread, fd, fd->dip));
	default:
		return hr_set_bool(out, false);
	}
}

/* fd.cip.name and the other domain names: sysdig and Falco only know the
 * names their DNS cache resolved for filters, never for a capture read
 * without that cache, so these have no value. */
static bool x_domain_name(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			  struct hr_value *out)
{
	(void)f, (void)ctx, (void)e, (void)out;
	return false;
}

static bool x_connected(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	return fd && hr_set_bool(out, fd->connected);
}

static bool x_name_changed(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			   struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	return fd && hr_set_bool(out, fd->name_changed_num == e->num && e->num != 0);
}

/* ---- Falco's file details ------------------------------------------------- */

static bool x_ino(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	return fd && hr_set_i64(out, HR_PT_INT64, (int64_t)fd->ino);
}

/* fd.nameraw of an event without an fd (a failed call), as Falco: the
 * openat calls' path argument as given, the name the other creating exits
 * give (as fd.name), "" for other events; false for enter events. */
static bool raw_name_from_creator(struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_strbuf *out)
{
	enum { EVT_OPEN_BY_HANDLE_AT_X = 337, EVT_ACCEPT4_6_X = 389 };
	if ((e->type & 1) == 0)
		return false;
	unsigned at;
	switch (e->type) {
	case EVT_OPEN_X: case EVT_CREAT_X: case EVT_ACCEPT_5_X: case EVT_ACCEPT4_6_X: case EVT_CONNECT_X:
		if (e->nparams_indexed > 1)
			hr_format_param(out, ctx->state, e, 1, true);
		return true;
	case EVT_OPENAT_2_X: case EVT_OPENAT2_X:
		at = 2;
		if (e->nparams_indexed <= at || e->param_len[at] == 0)
			return false;
		break;
	case EVT_OPEN_BY_HANDLE_AT_X:
		at = 3;
		if (e->nparams_indexed <= at)
			return true;
		break;
	default:
		return true;
	}
	hr_sb_append(out, (const char *)e->param[at], strnlen((const char *)e->param[at], e->param_len[at]));
	return true;
}

static bool x_nameraw(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	if (!is_fd_event(e) || !e->thread)
		return false;
	const struct hr_fd *fd = event_fd(ctx, e);
	struct hr_strbuf *b = &f->storage;
	hr_sb_reset(b);
	if (fd)
		hr_sb_append(b, hr_bytes_str(&fd->name_raw), fd->name_raw.len);
	else if (!raw_name_from_creator(ctx, e, b))
		return false;
	/* Falco's only cleaning of raw names: runs of '/' become one */
	size_t w = 0;
	for (size_t r = 0; r < b->len; r++)
		if (b->p[r] != '/' || w == 0 || b->p[w - 1] != '/')
			b->p[w++] = b->p[r];
	b->len = w;
	if (b->p)
		b->p[w] = 0;
	return hr_set_storage(out, f);
}

static bool x_is_upper_layer(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	return fd && hr_set_bool(out, fd->overlay_upper);
}

static bool x_is_lower_layer(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e,
			     struct hr_value *out)
{
	(void)f;
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	return fd && hr_set_bool(out, fd->overlay_lower);
}

/* fd.types: the distinct types of the thread's open fds, each placed by
 * the lowest fd number that has it, printed as Falco prints list fields:
 * "(file,ipv4)". fd.types[N]: the type of fd N alone, "(file)". */
struct type_gather {
	int64_t lowest[HR_FD_PIDFD + 1]; /* per hr_fd_type; INT64_MAX when none */
};

static void gather_fd(void *ctx, const struct hr_fd *fd)
{
	struct type_gather *g = ctx;
	if (fd->fd == INT64_MAX) /* a parked fd whose close is pending */
		return;
	/* types sharing a name (file and file v2, sockets and listening
	 * sockets) count as one, under the first id of that name */
	uint8_t t = fd->type;
	const char *name = type_name(t);
	for (uint8_t u = 0; u < t; u++)
		if (strcmp(type_name(u), name) == 0) {
			t = u;
			break;
		}
	if (t <= HR_FD_PIDFD && fd->fd < g->lowest[t])
		g->lowest[t] = fd->fd;
}

static bool x_types(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	if (!is_fd_event(e) || !e->thread)
		return false;
	hr_sb_reset(&f->storage);
	hr_sb_putc(&f->storage, '(');
	if (f->arg_index >= 0) {
		const struct hr_fd *fd = hr_state_fd(ctx->state, e->thread, f->arg_index);
		if (!fd)
			return false;
		hr_sb_puts(&f->storage, type_name(fd->type));
	} else {
		struct type_gather g;
		for (unsigned t = 0; t <= HR_FD_PIDFD; t++)
			g.lowest[t] = INT64_MAX;
		hr_state_each_fd(ctx->state, e->thread, gather_fd, &g);
		for (;;) {
			int best = -1;
			for (int t = 0; t <= HR_FD_PIDFD; t++)
				if (g.lowest[t] != INT64_MAX && (best < 0 || g.lowest[t] < g.lowest[best]))
					best = t;
			if (best < 0)
				break;
			if (f->storage.len > 1)
				hr_sb_putc(&f->storage, ',');
			hr_sb_puts(&f->storage, type_name((uint8_t)best));
			g.lowest[best] = INT64_MAX;
		}
	}
	hr_sb_putc(&f->storage, ')');
	return hr_set_storage(out, f);
}

enum { DEV_ALL, DEV_MAJOR, DEV_MINOR };
static bool device(struct hr_field_ctx *ctx, const struct hr_event *e, int part, struct hr_value *out)
{
	const struct hr_fd *fd = fd_of_fd_event(ctx, e);
	if (!fd)
		return false;
	uint32_t dev = fd->dev;
	if (part == DEV_MAJOR)
		dev = (dev & 0xfff00) >> 8;
	else if (part == DEV_MINOR)
		dev = (dev & 0xff) | ((dev >> 12) & 0xfff00);
	return hr_set_i64(out, HR_PT_INT32, (int32_t)dev);
}
static bool x_dev(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return device(ctx, e, DEV_ALL, out);
}
static bool x_dev_major(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return device(ctx, e, DEV_MAJOR, out);
}
static bool x_dev_minor(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f;
	return device(ctx, e, DEV_MINOR, out);
}

static bool x_none(struct hr_field *f, struct hr_field_ctx *ctx, const struct hr_event *e, struct hr_value *out)
{
	(void)f, (void)ctx, (void)e, (void)out;
	return false;
}

const struct hr_field_def hr_fields_fd[] = {
	{"fd.num", HR_PT_INT64, HR_FMT_ID, 0, HR_FA_NONE, x_num, NULL,
	 "the file descriptor's number within its process."},
	{"fd.type", HR_PT_CHARBUF, HR_FMT_DEC, 0, HR_FA_NONE, x_type, NULL,
	 "kind of object behind the descriptor, one of file, directory, ipv4, ipv6, unix, pipe, event, signalfd, eventpoll, inotify, timerfd, netlink."},
	{"fd.typechar", HR_PT_CHARBUF, HR_FMT_DEC, 0, HR_FA_NONE, x_typechar, NULL,
	 "type of FD as a single character: f, 4, 6, u, p, e, s, l, i, t, n, o."},
	{"fd.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_name, NULL,
	 "FD full name: the path of a file, the connection tuple of a socket."},
	{"fd.directory", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_directory, NULL,
	 "for files, the directory part of the path."},
	{"fd.filename", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_filename, NULL,
	 "for files, the last path component alone."},
	{"fd.ip", HR_PT_IPADDR, HR_FMT_NA, HR_FF_FILTER_ONLY, HR_FA_NONE, x_none, NULL,
	 "compares against either end's IP address (client or server)."},
	{"fd.cip", HR_PT_IPADDR, HR_FMT_NA, 0, HR_FA_NONE, x_cip, NULL, "IP address of the connection's client side."},
	{"fd.sip", HR_PT_IPADDR, HR_FMT_NA, 0, HR_FA_NONE, x_sip, NULL, "IP address of the connection's server side."},
	{"fd.port", HR_PT_PORT, HR_FMT_DEC, HR_FF_FILTER_ONLY, HR_FA_NONE, x_none, NULL,
	 "compares against either end's port (client or server)."},
	{"fd.cport", HR_PT_PORT, HR_FMT_DEC, 0, HR_FA_NONE, x_cport, NULL, "port on the client side of a TCP/UDP socket."},
	{"fd.sport", HR_PT_PORT, HR_FMT_DEC, 0, HR_FA_NONE, x_sport, NULL, "port on the server side of a TCP/UDP socket."},
	{"fd.lip", HR_PT_IPADDR, HR_FMT_NA, 0, HR_FA_NONE, x_lip, NULL, "IP address on this host's side of the connection."},
	{"fd.rip", HR_PT_IPADDR, HR_FMT_NA, 0, HR_FA_NONE, x_rip, NULL, "IP address of the peer."},
	{"fd.lport", HR_PT_PORT, HR_FMT_DEC, 0, HR_FA_NONE, x_lport, NULL, "port on this host's side of a TCP/UDP socket."},
	{"fd.rport", HR_PT_PORT, HR_FMT_DEC, 0, HR_FA_NONE, x_rport, NULL, "port on the peer's side of a TCP/UDP socket."},
	{"fd.l4proto", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_l4proto, NULL,
	 "transport used by a socket (tcp, udp, icmp, raw)."},
	{"fd.sockfamily", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sockfamily, NULL,
	 "address family of a socket: 'ip' or 'unix'."},
	{"fd.is_server", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_server, NULL,
	 "'true' when this process is the server side of the connection."},
	{"fd.uid", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_uid, NULL,
	 "a unique id of the fd: the thread id followed by the fd number."},
	{"fd.containername", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_containername, NULL,
	 "the container id, ':' and the fd name."},
	{"fd.containerdirectory", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_containerdirectory, NULL,
	 "the container id, ':' and the fd's directory."},
	{"fd.proto", HR_PT_PORT, HR_FMT_NA, HR_FF_FILTER_ONLY, HR_FA_NONE, x_none, NULL,
	 "compares against either end's port name (client or server)."},
	{"fd.cproto", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_cproto, NULL, "client-side port of a TCP/UDP socket, by service name."},
	{"fd.sproto", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_sproto, NULL, "server-side port of a TCP/UDP socket, by service name."},
	{"fd.lproto", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_lproto, NULL, "port on this host's side of a TCP/UDP socket, by service name."},
	{"fd.rproto", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_rproto, NULL, "port on the peer's side of a TCP/UDP socket, by service name."},
	{"fd.net", HR_PT_IPNET, HR_FMT_NA, HR_FF_FILTER_ONLY, HR_FA_NONE, x_none, NULL,
	 "compares either end's address (client or server) with a network in CIDR form."},
	{"fd.cnet", HR_PT_IPNET, HR_FMT_NA, HR_FF_FILTER_ONLY, HR_FA_NONE, x_none, NULL,
	 "compares the client address with a network in CIDR form."},
	{"fd.snet", HR_PT_IPNET, HR_FMT_NA, HR_FF_FILTER_ONLY, HR_FA_NONE, x_none, NULL,
	 "compares the server address with a network in CIDR form."},
	/* the local / remote address, for filters to match against a network */
	{"fd.lnet", HR_PT_IPNET, HR_FMT_NA, HR_FF_FILTER_ONLY, HR_FA_NONE, x_lip, NULL,
	 "compares this host's address of the connection with a network in CIDR form."},
	{"fd.rnet", HR_PT_IPNET, HR_FMT_NA, HR_FF_FILTER_ONLY, HR_FA_NONE, x_rip, NULL,
	 "compares the peer's address with a network in CIDR form."},
	{"fd.connected", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_connected, NULL,
	 "'true' once a TCP/UDP socket has a peer."},
	{"fd.name_changed", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_name_changed, NULL,
	 "'true' when the event changed the name of its fd (e.g. a udp socket's tuple)."},
	{"fd.cip.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_domain_name, NULL,
	 "DNS name resolved for the client address."},
	{"fd.sip.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_domain_name, NULL,
	 "DNS name resolved for the server address."},
	{"fd.lip.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_domain_name, NULL,
	 "DNS name resolved for this host's address of the connection."},
	{"fd.rip.name", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_domain_name, NULL,
	 "DNS name resolved for the peer's address."},
	{"fd.dev", HR_PT_INT32, HR_FMT_HEX, 0, HR_FA_NONE, x_dev, NULL,
	 "device (major and minor numbers together) holding the file."},
	{"fd.dev.major", HR_PT_INT32, HR_FMT_DEC, 0, HR_FA_NONE, x_dev_major, NULL,
	 "major number of the device holding the file."},
	{"fd.dev.minor", HR_PT_INT32, HR_FMT_DEC, 0, HR_FA_NONE, x_dev_minor, NULL,
	 "minor number of the device holding the file."},
	{"fd.ino", HR_PT_INT64, HR_FMT_DEC, 0, HR_FA_NONE, x_ino, NULL, "inode of the file the fd refers to."},
	{"fd.nameraw", HR_PT_CHARBUF, HR_FMT_NA, 0, HR_FA_NONE, x_nameraw, NULL,
	 "the file path as the open call gave it, without making it absolute (empty for other fds)."},
	{"fd.types", HR_PT_CHARBUF, HR_FMT_DEC, HR_FF_ARG_OPTIONAL | HR_FF_LIST, HR_FA_INDEX, x_types, NULL,
	 "the list of the types of the thread's open fds; fd.types[N]: the type of fd N alone."},
	{"fd.is_upper_layer", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_upper_layer, NULL,
	 "true when an open found the file in the writable (upper) layer of an overlay filesystem."},
	{"fd.is_lower_layer", HR_PT_BOOL, HR_FMT_NA, 0, HR_FA_NONE, x_is_lower_layer, NULL,
	 "true when an open found the file in a read-only (lower) layer of an overlay filesystem."},
	{0},
};
