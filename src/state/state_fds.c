/*
 * File descriptor tables: a hash of fd number to struct hr_fd per thread,
 * and which table a thread's fds live in (its own, or its main thread's
 * when the thread shares the process's files).
 */
#include <stdlib.h>
#include <string.h>

#include "state/state_internal.h"

static uint32_t fd_bucket(const struct hr_fd_table *fdt, int64_t fd)
{
	return (uint32_t)((uint64_t)fd * 0x9E3779B97F4A7C15ull >> 40) & fdt->mask;
}

static struct hr_fd_table *fdt_new(void)
{
	struct hr_fd_table *fdt = calloc(1, sizeof(*fdt));
	if (!fdt)
		abort();
	fdt->mask = 15;
	fdt->buckets = calloc(fdt->mask + 1, sizeof(*fdt->buckets));
	if (!fdt->buckets)
		abort();
	return fdt;
}

struct hr_fd_table *hr_fdt_of(struct hr_state *s, struct hr_thread *t)
{
	if (t->flags & HR_CL_CLONE_FILES) {
		struct hr_thread *main = hr_threads_main(s, t);
		if (!main)
			return NULL;
		t = main;
	}
	if (!t->fds)
		t->fds = fdt_new();
	return t->fds;
}

struct hr_fd *hr_fdt_find(const struct hr_fd_table *fdt, int64_t fd)
{
	if (!fdt)
		return NULL;
	for (struct hr_fd *f = fdt->buckets[fd_bucket(fdt, fd)]; f; f = f->next)
		if (f->fd == fd)
			return f;
	return NULL;
}

static void fdt_grow(struct hr_fd_table *fdt)
{
	uint32_t old_n = fdt->mask + 1;
	struct hr_fd **old = fdt->buckets;
	fdt->mask = old_n * 2 - 1;
	fdt->buckets = calloc(old_n * 2, sizeof(*fdt->buckets));
	if (!fdt->buckets)
		abort();
	for (uint32_t i = 0; i < old_n; i++) {
		struct hr_fd *f = old[i];
		while (f) {
			struct hr_fd *next = f->next;
			uint32_t b = fd_bucket(fdt, f->fd);
			f->next = fdt->buckets[b];
			fdt->buckets[b] = f;
			f = next;
		}
	}
	free(old);
}

void hr_fd_release(struct hr_fd *fd)
{
	hr_bytes_free(&fd->name);
	hr_bytes_free(&fd->name_raw);
	free(fd);
}

/* Makes `dst` hold a copy of the bytes `src` pointed at before the
 * assignment (`src` may be a copy of dst's own, then nothing changes). */
static void copy_owned(struct hr_bytes *dst, struct hr_bytes kept, const struct hr_bytes *src)
{
	*dst = kept;
	if (src->p == kept.p)
		return;
	if (src->len == 0 && !kept.p)
		return; /* most fds have no raw name: no allocation */
	hr_bytes_set(dst, src->p ? src->p : "", src->len);
}

/* Copies everything; the names into dst's own storage, keeping its chain link. */
static void fd_assign(struct hr_fd *dst, const struct hr_fd *src)
{
	struct hr_bytes name = dst->name, name_raw = dst->name_raw;
	struct hr_fd *next = dst->next;
	if (src == dst)
		return;
	struct hr_fd from = *src;
	*dst = from;
	dst->next = next;
	dst->name = name;
	hr_bytes_set(&dst->name, from.name.p ? from.name.p : "", from.name.len);
	copy_owned(&dst->name_raw, name_raw, &from.name_raw);
}

static void link_fd(struct hr_state *s, struct hr_fd_table *fdt, struct hr_fd *f, int64_t fd)
{
	f->fd = fd;
	if (fdt->count >= fdt->mask + 1)
		fdt_grow(fdt);
	uint32_t b = fd_bucket(fdt, fd);
	f->next = fdt->buckets[b];
	fdt->buckets[b] = f;
	fdt->count++;
	s->nfds++;
}

struct hr_fd *hr_fdt_add(struct hr_state *s, struct hr_thread *t, int64_t fd, const struct hr_fd *proto)
{
	struct hr_fd_table *fdt = hr_fdt_of(s, t);
	if (!fdt)
		return NULL;
	/* As sinsp's add_fd: the thread's last fd is the one just created. */
	t->lastevent_fd = fd;
	struct hr_fd *f = hr_fdt_find(fdt, fd);
	if (f) {
		bool overtakes_close = f->close_state == 1;
		if (overtakes_close) {
			/* sinsp parks the closing fd and marks the new one, so
			 * that the pending close exit does not remove it. */
			struct hr_fd parked = *f;
			parked.next = NULL;
			struct hr_fd *p = hr_fdt_find(fdt, INT64_MAX);
			if (!p) {
				p = calloc(1, sizeof(*p));
				if (!p)
					abort();
				link_fd(s, fdt, p, INT64_MAX);
			}
			fd_assign(p, &parked);
			p->fd = INT64_MAX;
		}
		fd_assign(f, proto);
		f->fd = fd;
		f->close_state = overtakes_close ? 2 : 0;
		return f;
	}
	f = calloc(1, sizeof(*f));
	if (!f)
		abort();
	fd_assign(f, proto);
	f->close_state = 0;
	link_fd(s, fdt, f, fd);
	return f;
}

void hr_fdt_erase(struct hr_state *s, struct hr_fd_table *fdt, int64_t fd)
{
	if (!fdt)
		return;
	struct hr_fd **link = &fdt->buckets[fd_bucket(fdt, fd)];
	for (; *link; link = &(*link)->next) {
		if ((*link)->fd == fd) {
			struct hr_fd *f = *link;
			*link = f->next;
			hr_fd_release(f);
			fdt->count--;
			s->nfds--;
			return;
		}
	}
}

void hr_fdt_free(struct hr_state *s, struct hr_fd_table *fdt)
{
	if (!fdt)
		return;
	for (uint32_t i = 0; i <= fdt->mask; i++) {
		struct hr_fd *f = fdt->buckets[i];
		while (f) {
			struct hr_fd *next = f->next;
			hr_fd_release(f);
			s->nfds--;
			f = next;
		}
	}
	free(fdt->buckets);
	free(fdt);
}

struct hr_fd_table *hr_fdt_clone(struct hr_state *s, const struct hr_fd_table *src)
{
	struct hr_fd_table *fdt = fdt_new();
	if (!src)
		return fdt;
	while (fdt->mask + 1 < src->count)
		fdt_grow(fdt);
	for (uint32_t i = 0; i <= src->mask; i++) {
		for (const struct hr_fd *f = src->buckets[i]; f; f = f->next) {
			struct hr_fd *c = calloc(1, sizeof(*c));
			if (!c)
				abort();
			fd_assign(c, f);
			uint32_t b = fd_bucket(fdt, c->fd);
			c->next = fdt->buckets[b];
			fdt->buckets[b] = c;
			fdt->count++;
			s->nfds++;
		}
	}
	return fdt;
}

struct hr_fd *hr_state_fd(const struct hr_state *s, const struct hr_thread *t, int64_t fd)
{
	if (!t)
		return NULL;
	if (t->flags & HR_CL_CLONE_FILES) {
		t = hr_state_main_thread(s, t);
		if (!t)
			return NULL;
	}
	return hr_fdt_find(t->fds, fd);
}

void hr_state_each_fd(const struct hr_state *s, const struct hr_thread *t, hr_fd_visit fn, void *ctx)
{
	if (!t)
		return;
	if (t->flags & HR_CL_CLONE_FILES) {
		t = hr_state_main_thread(s, t);
		if (!t)
			return;
	}
	const struct hr_fd_table *fdt = t->fds;
	if (!fdt)
		return;
	for (uint32_t i = 0; i <= fdt->mask; i++)
		for (const struct hr_fd *f = fdt->buckets[i]; f; f = f->next)
			fn(ctx, f);
}
