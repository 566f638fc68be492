/*
 * The state engine's lifecycle and its metadata side: applying capture
 * records (sections, machine, interfaces, users, groups, the process list
 * and its fds), the owned-string helpers, and the read-only accessors.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/scap_reader.h"
#include "state/container_users.h"
#include "state/state_internal.h"

void hr_bytes_set(struct hr_bytes *b, const void *p, uint32_t len)
{
	char *n = realloc(b->p, (size_t)len + 1);
	if (!n)
		abort();
	if (len)
		memmove(n, p, len);
	n[len] = 0;
	b->p = n;
	b->len = len;
}

void hr_bytes_set_str(struct hr_bytes *b, const char *str)
{
	hr_bytes_set(b, str, (uint32_t)strlen(str));
}

void hr_bytes_copy(struct hr_bytes *dst, const struct hr_bytes *src)
{
	if (dst == src)
		return;
	hr_bytes_set(dst, src->p ? src->p : "", src->len);
}

void hr_bytes_free(struct hr_bytes *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
}

void hr_bytes_set_param_str(struct hr_bytes *b, const struct hr_event *e, unsigned i)
{
	if (i >= e->nparams_indexed) {
		hr_bytes_set(b, "", 0);
		return;
	}
	const char *p = (const char *)e->param[i];
	uint32_t n = e->param_len[i];
	const char *nul = memchr(p, 0, n);
	hr_bytes_set(b, p, nul ? (uint32_t)(nul - p) : n);
}

static void set_view(struct hr_bytes *b, struct hr_str v)
{
	hr_bytes_set(b, v.p ? v.p : "", v.len);
}

int64_t hr_p_i64(const struct hr_event *e, unsigned i, int64_t dflt)
{
	int64_t v;
	return hr_param_i64(e, i, &v) ? v : dflt;
}

uint64_t hr_p_u64(const struct hr_event *e, unsigned i, uint64_t dflt)
{
	uint64_t v;
	return hr_param_u64(e, i, &v) ? v : dflt;
}

uint32_t hr_p_u32(const struct hr_event *e, unsigned i, uint32_t dflt)
{
	uint32_t v;
	return hr_param_u32(e, i, &v) ? v : dflt;
}

struct hr_state *hr_state_new(void)
{
	struct hr_state *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->thread_mask = 1023;
	s->threads = calloc(s->thread_mask + 1, sizeof(*s->threads));
	if (!s->threads)
		abort();
	s->tid_to_remove = -1;
	return s;
}

void hr_state_set_newest_libs(struct hr_state *s, bool on)
{
	s->newest_libs = on;
}

bool hr_state_newest_libs(const struct hr_state *s)
{
	return s->newest_libs;
}

static void clear_all(struct hr_state *s)
{
	hr_threads_clear(s);
	hr_user_table_clear(&s->host_users);
	hr_container_users_clear(s);
	for (uint32_t i = 0; i < s->nifaces; i++)
		free(s->ifaces[i].name_copy);
	s->nifaces = 0;
	hr_containers_clear(s);
	s->has_machine = false;
	s->tid_to_remove = -1;
	s->nfds_to_remove = 0;
	s->enter_to_drop = NULL;
	s->proc_sockets_unfixed = false;
	s->nserver_ports = 0;
}

void hr_state_free(struct hr_state *s)
{
	if (!s)
		return;
	clear_all(s);
	hr_bytes_free(&s->container_thread.comm);
	free(s->threads);
	hr_user_table_free(&s->host_users);
	free(s->ifaces);
	free(s->server_ports);
	free(s);
}


void hr_state_add_user(struct hr_state *s, const struct hr_user_entry *u)
{
	hr_user_table_add_user(&s->host_users, u);
}

void hr_state_add_group(struct hr_state *s, const struct hr_group_entry *g)
{
	hr_user_table_add_group(&s->host_users, g);
}

void hr_state_remove_user(struct hr_state *s, uint32_t uid)
{
	hr_user_table_remove_user(&s->host_users, uid);
}

void hr_state_remove_group(struct hr_state *s, uint32_t gid)
{
	hr_user_table_remove_group(&s->host_users, gid);
}

/* Room for `need` elements of `elem` bytes in `arr`, doubling the capacity
 * `*cap`; aborts when memory runs out, like every state allocation. */
void *hr_grow_array(void *arr, uint32_t *cap, uint32_t need, size_t elem)
{
	if (need <= *cap)
		return arr;
	uint32_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	void *n = realloc(arr, (size_t)ncap * elem);
	if (!n)
		abort();
	*cap = ncap;
	return n;
}

static void add_iface(struct hr_state *s, const struct hr_iface_entry *e)
{
	s->ifaces = hr_grow_array(s->ifaces, &s->ifaces_cap, s->nifaces + 1, sizeof(*s->ifaces));
	struct hr_iface_slot *slot = &s->ifaces[s->nifaces++];
	slot->entry = *e;
	slot->name_copy = malloc((size_t)e->name.len + 1);
	if (!slot->name_copy)
		abort();
	if (e->name.len)
		memcpy(slot->name_copy, e->name.p, e->name.len);
	slot->name_copy[e->name.len] = 0;
	slot->entry.name.p = slot->name_copy;
}

/* sinsp's threadinfo init from a process-list entry. */
static void add_listed_thread(struct hr_state *s, const struct hr_proc_entry *p)
{
	if (hr_threads_find(s, p->tid))
		hr_threads_remove(s, p->tid, true);
	struct hr_thread *t = hr_threads_new(s, p->tid);
	t->pid = p->pid;
	t->ptid = p->ptid;
	t->sid = p->sid;
	t->vpgid = p->vpgid;
	t->pgid = p->pgid;
	set_view(&t->comm, p->comm);
	set_view(&t->exe, p->exe);
	set_view(&t->exepath, p->exepath);
	t->exe_writable = p->exe_writable;
	t->exe_upper_layer = p->exe_upper_layer;
	t->exe_lower_layer = p->exe_lower_layer;
	t->exe_from_memfd = p->exe_from_memfd;
	set_view(&t->args, p->args);
	t->flags |= p->flags | HR_CL_ACTIVE;
	if (t->pid == t->tid || (t->flags & HR_CL_IS_MAIN_THREAD)) {
		set_view(&t->env, p->env);
		hr_threads_set_cwd(s, t, p->cwd.p ? p->cwd.p : "", p->cwd.len);
	}
	t->fdlimit = p->fdlimit;
	t->uid = p->uid;
	t->gid = p->gid;
	t->vmsize_kb = p->vmsize_kb;
	t->vmrss_kb = p->vmrss_kb;
	t->vmswap_kb = p->vmswap_kb;
	t->pfmajor = p->pfmajor;
	t->pfminor = p->pfminor;
	t->vtid = p->vtid;
	t->vpid = p->vpid;
	t->tty = p->tty;
	t->loginuid = p->loginuid;
	if (p->has_caps) {
		t->cap_inheritable = p->cap_inheritable;
		t->cap_permitted = p->cap_permitted;
		t->cap_effective = p->cap_effective;
	}
	t->exe_ino = p->exe_ino;
	t->exe_ino_ctime = p->exe_ino_ctime;
	t->exe_ino_mtime = p->exe_ino_mtime;
	t->pidns_init_start_ts = p->pidns_init_start_ts;
	set_view(&t->cgroups, p->cgroups);
	set_view(&t->root, p->root);
	hr_containers_resolve(s, t);
	s->proc_sockets_unfixed = true;
}

static void note_server_port(struct hr_state *s, uint16_t port)
{
	for (uint32_t i = 0; i < s->nserver_ports; i++)
		if (s->server_ports[i] == port)
			return;
	s->server_ports = hr_grow_array(s->server_ports, &s->server_ports_cap, s->nserver_ports + 1, sizeof(uint16_t));
	s->server_ports[s->nserver_ports++] = port;
}

/* sinsp's add_fd_from_scap: listed fds go to the listing thread's own table. */
static void add_listed_fd(struct hr_state *s, int64_t tid, const struct hr_fd_entry *e)
{
	struct hr_thread *t = hr_threads_find(s, tid);
	if (!t)
		return;
	struct hr_fd fd;
	memset(&fd, 0, sizeof(fd));
	fd.type = e->type;
	fd.ino = e->ino;
	fd.l4proto = e->l4proto;
	switch (e->type) {
	case HR_FD_IPV4_SOCK:
		memcpy(fd.sip, e->sip, 4);
		memcpy(fd.dip, e->dip, 4);
		fd.sport = e->sport;
		fd.dport = e->dport;
		fd.family = 2;
		hr_name_ipv4_tuple(&fd.name, fd.sip, fd.sport, fd.dip, fd.dport);
		break;
	case HR_FD_IPV4_SERVSOCK:
		memcpy(fd.sip, e->sip, 4);
		fd.sport = e->sport;
		fd.family = 2;
		hr_name_ipv4_endpoint(&fd.name, fd.sip, fd.sport);
		note_server_port(s, fd.sport);
		break;
	case HR_FD_IPV6_SOCK:
		if (hr_is_ipv4_mapped(e->sip) && hr_is_ipv4_mapped(e->dip)) {
			fd.type = HR_FD_IPV4_SOCK;
			fd.family = 2;
			memcpy(fd.sip, e->sip + 12, 4);
			memcpy(fd.dip, e->dip + 12, 4);
			fd.sport = e->sport;
			fd.dport = e->dport;
			hr_name_ipv4_tuple(&fd.name, fd.sip, fd.sport, fd.dip, fd.dport);
		} else {
			fd.family = 10;
			memcpy(fd.sip, e->sip, 16);
			memcpy(fd.dip, e->dip, 16);
			fd.sport = e->sport;
			fd.dport = e->dport;
			hr_name_ipv6_tuple(&fd.name, fd.sip, fd.sport, fd.dip, fd.dport);
		}
		break;
	case HR_FD_IPV6_SERVSOCK:
		memcpy(fd.sip, e->sip, 16);
		fd.sport = e->sport;
		fd.family = 10;
		hr_name_ipv6_endpoint(&fd.name, fd.sip, fd.sport);
		note_server_port(s, fd.sport);
		break;
	case HR_FD_UNIX_SOCK:
		fd.family = 1;
		fd.unix_source = e->unix_source;
		fd.unix_dest = e->unix_dest;
		set_view(&fd.name, e->name);
		if (fd.name.len == 0)
			fd.is_role_client = true;
		else
			fd.is_role_server = true;
		break;
	case HR_FD_FILE_V2:
		fd.type = HR_FD_FILE;
		fd.open_flags = e->open_flags;
		fd.dev = e->dev;
		set_view(&fd.name, e->name);
		break;
	case HR_FD_FIFO:
	case HR_FD_FILE:
	case HR_FD_DIRECTORY:
	case HR_FD_UNSUPPORTED:
	case HR_FD_SIGNALFD:
	case HR_FD_EVENTPOLL:
	case HR_FD_EVENT:
	case HR_FD_INOTIFY:
	case HR_FD_TIMERFD:
	case HR_FD_NETLINK:
		set_view(&fd.name, e->name);
		break;
	default:
		/* sinsp 0.29.3 does not know the newer types and drops them. */
		return;
	}
	/* Falco takes a listed TCP connection for a connected socket. */
	if ((fd.type == HR_FD_IPV4_SOCK || fd.type == HR_FD_IPV6_SOCK) && fd.l4proto == HR_L4_TCP)
		fd.connected = true;
	/* Listed fds stay with the thread listed with them, whatever its
	 * CLONE_FILES flag says. */
	uint32_t saved = t->flags;
	int64_t saved_fd = t->lastevent_fd;
	t->flags &= ~(uint32_t)HR_CL_CLONE_FILES;
	hr_fdt_add(s, t, e->fd, &fd);
	t->flags = saved;
	t->lastevent_fd = saved_fd;
	hr_bytes_free(&fd.name);
}

/* After the process list: threads count their main thread's children, and
 * IPv4 sockets whose local port is a listed server port are turned around
 * so that the server side is the source, as sinsp does. */
static void finish_process_list(struct hr_state *s)
{
	s->proc_sockets_unfixed = false;
	for (uint32_t i = 0; i <= s->thread_mask; i++)
		for (struct hr_thread *t = s->threads[i]; t; t = t->next)
			t->nchilds = 0;
	for (uint32_t i = 0; i <= s->thread_mask; i++) {
		for (struct hr_thread *t = s->threads[i]; t; t = t->next) {
			if (t->flags & HR_CL_CLONE_THREAD) {
				struct hr_thread *main = hr_threads_find(s, t->pid);
				if (main)
					main->nchilds++;
			}
		}
	}
	for (uint32_t i = 0; i <= s->thread_mask; i++) {
		for (struct hr_thread *t = s->threads[i]; t; t = t->next) {
			struct hr_fd_table *fdt = t->fds;
			if (!fdt)
				continue;
			for (uint32_t b = 0; b <= fdt->mask; b++) {
				for (struct hr_fd *f = fdt->buckets[b]; f; f = f->next) {
					if (f->type != HR_FD_IPV4_SOCK)
						continue;
					bool server = false;
					for (uint32_t k = 0; k < s->nserver_ports; k++)
						if (s->server_ports[k] == f->sport)
							server = true;
					if (server) {
						uint8_t ip[4];
						memcpy(ip, f->sip, 4);
						memcpy(f->sip, f->dip, 4);
						memcpy(f->dip, ip, 4);
						uint16_t port = f->sport;
						f->sport = f->dport;
						f->dport = port;
						hr_name_ipv4_tuple(&f->name, f->sip, f->sport, f->dip, f->dport);
						f->is_role_server = true;
					} else {
						f->is_role_client = true;
					}
				}
			}
		}
	}
}

void hr_state_finish_metadata(struct hr_state *s)
{
	if (s->proc_sockets_unfixed)
		finish_process_list(s);
}

void hr_state_apply_record(struct hr_state *s, const struct hr_record *rec)
{
	switch (rec->kind) {
	case HR_REC_SECTION:
		clear_all(s);
		break;
	case HR_REC_MACHINE:
		s->machine = rec->u.machine;
		s->has_machine = true;
		break;
	case HR_REC_IFACE:
		add_iface(s, &rec->u.iface);
		break;
	case HR_REC_USERLIST_BEGIN:
		hr_user_table_clear(&s->host_users);
		break;
	case HR_REC_USER:
		hr_state_add_user(s, &rec->u.user);
		break;
	case HR_REC_GROUP:
		hr_state_add_group(s, &rec->u.group);
		break;
	case HR_REC_THREAD:
		add_listed_thread(s, &rec->u.thread);
		break;
	case HR_REC_FD:
		add_listed_fd(s, rec->u.fd.tid, &rec->u.fd.entry);
		break;
	case HR_REC_EVENT:
	case HR_REC_END:
	case HR_REC_ERROR:
		break;
	}
}

const struct hr_user *hr_state_user(const struct hr_state *s, uint32_t uid)
{
	return hr_user_table_user(&s->host_users, uid);
}

const struct hr_group *hr_state_group(const struct hr_state *s, uint32_t gid)
{
	return hr_user_table_group(&s->host_users, gid);
}

/* The table naming a thread's ids: its container's, when there is one. */
static const struct hr_user_table *users_of(const struct hr_state *s, const struct hr_thread *t)
{
	const struct hr_container_users *c =
		t && t->container_id[0] ? hr_container_users_find(s, t->container_id) : NULL;
	return c ? &c->table : &s->host_users;
}

const struct hr_user *hr_state_thread_user(const struct hr_state *s, const struct hr_thread *t, uint32_t uid)
{
	return hr_user_table_user(users_of(s, t), uid);
}

const struct hr_group *hr_state_thread_group(const struct hr_state *s, const struct hr_thread *t, uint32_t gid)
{
	return hr_user_table_group(users_of(s, t), gid);
}

uint64_t hr_state_container_users_serial(const struct hr_state *s)
{
	return s->container_users_serial;
}

void hr_state_each_container_user(const struct hr_state *s, uint64_t after, hr_container_user_visit user,
				  hr_container_group_visit group, void *ctx)
{
	for (const struct hr_container_users *c = s->container_users; c; c = c->next) {
		if (c->serial <= after)
			continue;
		for (uint32_t i = 0; i < c->table.nusers; i++)
			user(ctx, c->id, &c->table.users[i]);
		for (uint32_t i = 0; i < c->table.ngroups; i++)
			group(ctx, c->id, &c->table.groups[i]);
	}
}

const struct hr_container *hr_state_container(const struct hr_state *s, const char *id)
{
	for (const struct hr_container *c = s->containers; c; c = c->next)
		if (strcmp(c->id, id) == 0)
			return c;
	return NULL;
}

const struct hr_machine_info *hr_state_machine(const struct hr_state *s)
{
	return s->has_machine ? &s->machine : NULL;
}

void hr_state_each_user(const struct hr_state *s, void (*fn)(void *ctx, const struct hr_user *), void *ctx)
{
	for (uint32_t i = 0; i < s->host_users.nusers; i++)
		fn(ctx, &s->host_users.users[i]);
}

void hr_state_each_group(const struct hr_state *s, void (*fn)(void *ctx, const struct hr_group *), void *ctx)
{
	for (uint32_t i = 0; i < s->host_users.ngroups; i++)
		fn(ctx, &s->host_users.groups[i]);
}

void hr_state_each_iface(const struct hr_state *s, void (*fn)(void *ctx, const struct hr_iface_entry *), void *ctx)
{
	for (uint32_t i = 0; i < s->nifaces; i++)
		fn(ctx, &s->ifaces[i].entry);
}

void hr_state_each_container(const struct hr_state *s, void (*fn)(void *ctx, const struct hr_container *), void *ctx)
{
	for (const struct hr_container *c = s->containers; c; c = c->next)
		fn(ctx, c);
}
