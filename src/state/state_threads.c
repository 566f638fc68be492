/*
 * The thread table: a hash of tid to struct hr_thread, placeholder threads
 * for tids a capture never described, main-thread lookup, removal with
 * sinsp's child counting, and the process's working directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state/state_internal.h"

static uint32_t tid_bucket(const struct hr_state *s, int64_t tid)
{
	return (uint32_t)((uint64_t)tid * 0x9E3779B97F4A7C15ull >> 40) & s->thread_mask;
}

struct hr_thread *hr_threads_find(struct hr_state *s, int64_t tid)
{
	if (s->cached_thread && s->cached_tid == tid)
		return s->cached_thread;
	for (struct hr_thread *t = s->threads[tid_bucket(s, tid)]; t; t = t->next) {
		if (t->tid == tid) {
			s->cached_tid = tid;
			s->cached_thread = t;
			return t;
		}
	}
	return NULL;
}

struct hr_thread *hr_state_thread(const struct hr_state *s, int64_t tid)
{
	for (struct hr_thread *t = s->threads[tid_bucket(s, tid)]; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static bool is_main(const struct hr_thread *t)
{
	return t->pid == t->tid || (t->flags & HR_CL_IS_MAIN_THREAD);
}

/* The remembered main thread, if it is still alive. */
static struct hr_thread *remembered_main(const struct hr_state *s, const struct hr_thread *t)
{
	if (t->main_serial == 0)
		return NULL;
	struct hr_thread *m = hr_state_thread(s, t->main_tid);
	return m && m->serial == t->main_serial ? m : NULL;
}

struct hr_thread *hr_state_main_thread(const struct hr_state *s, const struct hr_thread *t)
{
	if (!t)
		return NULL;
	struct hr_thread *m = remembered_main(s, t);
	if (m)
		return m;
	return is_main(t) ? (struct hr_thread *)t : hr_state_thread(s, t->pid);
}

static void remember(struct hr_thread *t, struct hr_thread *main)
{
	t->main_tid = main->tid;
	t->main_serial = main->serial;
}

const struct hr_bytes *hr_state_env(const struct hr_state *s, const struct hr_thread *t)
{
	for (int depth = 0; depth < 16 && !is_main(t); depth++) {
		const struct hr_thread *m = hr_state_main_thread(s, t);
		if (!m || m == t)
			break;
		t = m;
	}
	return &t->env;
}

static void grow_threads(struct hr_state *s)
{
	uint32_t old_n = s->thread_mask + 1;
	struct hr_thread **old = s->threads;
	s->thread_mask = old_n * 2 - 1;
	s->threads = calloc(old_n * 2, sizeof(*s->threads));
	if (!s->threads)
		abort();
	for (uint32_t i = 0; i < old_n; i++) {
		struct hr_thread *t = old[i];
		while (t) {
			struct hr_thread *next = t->next;
			uint32_t b = tid_bucket(s, t->tid);
			t->next = s->threads[b];
			s->threads[b] = t;
			t = next;
		}
	}
	free(old);
}

/* sinsp's threadinfo defaults. */
static void thread_defaults(struct hr_thread *t, int64_t tid)
{
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->pid = -1;
	t->ptid = -1;
	t->sid = -1;
	t->vpgid = -1;
	t->vtid = -1;
	t->vpid = -1;
	t->pgid = -1;
	t->fdlimit = (uint64_t)-1;
	t->flags = HR_CL_NAME_CHANGED;
	t->lastevent_type = -1;
}

/* A thread with the defaults, not yet in the table. */
static struct hr_thread *thread_alloc(int64_t tid)
{
	struct hr_thread *t = malloc(sizeof(*t));
	if (!t)
		abort();
	thread_defaults(t, tid);
	return t;
}

static void thread_insert(struct hr_state *s, struct hr_thread *t)
{
	t->serial = ++s->next_serial;
	if (s->nthreads >= (uint64_t)s->thread_mask + 1)
		grow_threads(s);
	uint32_t b = tid_bucket(s, t->tid);
	t->next = s->threads[b];
	s->threads[b] = t;
	s->nthreads++;
}

struct hr_thread *hr_threads_new(struct hr_state *s, int64_t tid)
{
	struct hr_thread *t = thread_alloc(tid);
	thread_insert(s, t);
	return t;
}

struct hr_thread *hr_threads_alloc(int64_t tid)
{
	return thread_alloc(tid);
}

void hr_threads_insert(struct hr_state *s, struct hr_thread *t)
{
	if (hr_threads_find(s, t->tid))
		hr_threads_remove(s, t->tid, true);
	thread_insert(s, t);
}

static void thread_free(struct hr_state *s, struct hr_thread *t)
{
	hr_bytes_free(&t->comm);
	hr_bytes_free(&t->exe);
	hr_bytes_free(&t->exepath);
	hr_bytes_free(&t->cwd);
	hr_bytes_free(&t->root);
	hr_bytes_free(&t->args);
	hr_bytes_free(&t->env);
	hr_bytes_free(&t->cgroups);
	hr_fdt_free(s, t->fds);
	free(t->last_enter.buf);
	if (s->enter_to_drop == t)
		s->enter_to_drop = NULL;
	free(t);
}

void hr_threads_free_detached(struct hr_state *s, struct hr_thread *t)
{
	thread_free(s, t);
}

struct hr_thread *hr_threads_get_or_placeholder(struct hr_state *s, int64_t tid)
{
	struct hr_thread *t = hr_threads_find(s, tid);
	if (t)
		return t;
	t = thread_alloc(tid);
	t->pid = tid;
	t->ptid = -1;
	hr_bytes_set_str(&t->comm, "<NA>");
	hr_bytes_set_str(&t->exe, "<NA>");
	t->uid = 0xffffffffu;
	t->gid = 0xffffffffu;
	t->loginuid = 0xffffffffu;
	/* Threads already listed under this pid count as its children. */
	for (uint32_t i = 0; i <= s->thread_mask; i++)
		for (struct hr_thread *o = s->threads[i]; o; o = o->next)
			if (o->pid == tid)
				t->nchilds++;
	thread_insert(s, t);
	return t;
}

struct hr_thread *hr_threads_main(struct hr_state *s, struct hr_thread *t)
{
	struct hr_thread *m = remembered_main(s, t);
	if (m)
		return m;
	if (is_main(t))
		return t;
	m = hr_threads_get_or_placeholder(s, t->pid);
	remember(t, m);
	return m;
}

/* Every thread counting `main` as its main thread, for when sinsp forces a
 * main thread out and recounts. */
static void recount_children(struct hr_state *s)
{
	for (uint32_t i = 0; i <= s->thread_mask; i++)
		for (struct hr_thread *t = s->threads[i]; t; t = t->next)
			t->nchilds = 0;
	for (uint32_t i = 0; i <= s->thread_mask; i++) {
		for (struct hr_thread *t = s->threads[i]; t; t = t->next) {
			if (!(t->flags & HR_CL_CLONE_THREAD))
				continue;
			struct hr_thread *main = hr_threads_find(s, t->pid);
			if (main)
				main->nchilds++;
		}
	}
}

static void unlink_thread(struct hr_state *s, struct hr_thread *t)
{
	struct hr_thread **link = &s->threads[tid_bucket(s, t->tid)];
	while (*link != t)
		link = &(*link)->next;
	*link = t->next;
	s->nthreads--;
	if (s->cached_thread == t)
		s->cached_thread = NULL;
}

void hr_threads_remove(struct hr_state *s, int64_t tid, bool force)
{
	struct hr_thread *t = hr_threads_find(s, tid);
	if (!t)
		return;
	uint32_t nchilds = t->nchilds;
	if (nchilds != 0 && !force)
		return;
	struct hr_thread *main_to_free = NULL;
	if (t->flags & HR_CL_CLONE_THREAD) {
		struct hr_thread *main = hr_threads_find(s, t->pid);
		if (main && main->nchilds > 0) {
			main->nchilds--;
			/* sinsp keeps a dead main thread in its table forever once
			 * its last thread is gone; Harrier frees it so that memory
			 * stays bounded. */
			if (main->nchilds == 0 && (main->flags & HR_CL_CLOSED) && main != t)
				main_to_free = main;
		}
	}
	unlink_thread(s, t);
	thread_free(s, t);
	if (main_to_free) {
		unlink_thread(s, main_to_free);
		thread_free(s, main_to_free);
	}
	if (nchilds != 0)
		recount_children(s);
}

void hr_threads_set_container_event(struct hr_state *s, const char *id)
{
	struct hr_thread *t = &s->container_thread;
	hr_bytes_free(&t->comm);
	thread_defaults(t, -1);
	struct hr_bytes comm = {0};
	hr_bytes_set_str(&comm, "container:");
	size_t n = strlen(id);
	char *p = malloc(comm.len + n + 1);
	if (!p)
		abort();
	memcpy(p, comm.p, comm.len);
	memcpy(p + comm.len, id, n + 1);
	hr_bytes_free(&comm);
	t->comm.p = p;
	t->comm.len = (uint32_t)(strlen(p));
	t->vtid = -2;
	t->vpid = -2;
	t->uid = 0xffffffffu;
	t->gid = 0xffffffffu;
	snprintf(t->container_id, sizeof(t->container_id), "%s", id);
}

void hr_threads_clear(struct hr_state *s)
{
	for (uint32_t i = 0; i <= s->thread_mask; i++) {
		struct hr_thread *t = s->threads[i];
		while (t) {
			struct hr_thread *next = t->next;
			thread_free(s, t);
			t = next;
		}
		s->threads[i] = NULL;
	}
	s->nthreads = 0;
	s->cached_thread = NULL;
}

/* sinsp's set_cwd: the new directory is resolved against the main
 * thread's current one and always ends with '/'. */
void hr_threads_set_cwd(struct hr_state *s, struct hr_thread *t, const char *cwd, uint32_t len)
{
	struct hr_thread *main = hr_threads_main(s, t);
	char path[HR_MAX_PATH];
	hr_concatenate_paths(path, main->cwd.p ? main->cwd.p : "", main->cwd.len, cwd, len, s->newest_libs);
	size_t n = strlen(path);
	if (n == 0 || path[n - 1] != '/') {
		if (n + 1 < sizeof(path)) {
			path[n++] = '/';
			path[n] = 0;
		}
	}
	hr_bytes_set(&main->cwd, path, (uint32_t)n);
}

void hr_state_each_thread(const struct hr_state *s, hr_thread_visit fn, void *ctx)
{
	for (uint32_t i = 0; i <= s->thread_mask; i++)
		for (const struct hr_thread *t = s->threads[i]; t; t = t->next)
			fn(ctx, t);
}

uint64_t hr_state_thread_count(const struct hr_state *s)
{
	return s->nthreads;
}

uint64_t hr_state_fd_table_size(const struct hr_thread *t)
{
	return t->fds ? t->fds->count : 0;
}

uint64_t hr_state_fd_count(const struct hr_state *s)
{
	return s->nfds;
}
