/*
 * Containers' users and groups (container_users.h): parsing passwd and
 * group files, reading them from a container's root, and the per-container
 * tables of the state.
 */
#include "state/container_users.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "state/state_internal.h"

/* ---- parsing ---- */

/* Up to `max` fields of a line split at ':'; the last one keeps any
 * further colons. Returns how many there are. */
static uint32_t split_fields(const char *line, size_t len, struct hr_str *f, uint32_t max)
{
	uint32_t n = 0;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && (line[i] != ':' || n + 1 == max))
			continue;
		f[n++] = (struct hr_str){line + start, (uint32_t)(i - start)};
		start = i + 1;
		if (n == max)
			break;
	}
	return n;
}

/* A decimal id that fits 32 bits, digits only (no sign, no blanks). */
static bool parse_id(struct hr_str s, uint32_t *out)
{
	if (s.len == 0 || s.len > 10)
		return false;
	uint64_t v = 0;
	for (uint32_t i = 0; i < s.len; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s.p[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Calls `take` with each line worth parsing: not blank, not a comment, no
 * NUL byte, within the line bound, complete unless the text is whole.
 * Stops when `take` has taken the entry bound. */
static uint32_t each_line(struct hr_user_table *t, const char *text, size_t len, bool cut,
			  bool (*take)(struct hr_user_table *t, const char *line, size_t len))
{
	uint32_t taken = 0;
	size_t pos = 0;
	while (pos < len && taken < HR_CONTAINER_USERS_MAX_ENTRIES) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		if (!nl && cut)
			break;
		while (n && (*line == ' ' || *line == '\t')) {
			line++;
			n--;
		}
		if (n == 0 || *line == '#' || n > HR_CONTAINER_USERS_LINE_MAX || memchr(line, 0, n))
			continue;
		if (take(t, line, n))
			taken++;
	}
	return taken;
}

/* NSS compat entries ("+name", "-name", "+") name no real user. */
static bool is_nss_compat(struct hr_str name)
{
	return name.len && (name.p[0] == '+' || name.p[0] == '-');
}

static bool take_user(struct hr_user_table *t, const char *line, size_t len)
{
	struct hr_str f[7] = {{0}};
	uint32_t n = split_fields(line, len, f, 7);
	struct hr_user_entry u = {0};
	if (n < 4 || f[0].len == 0 || is_nss_compat(f[0]) || !parse_id(f[2], &u.uid) || !parse_id(f[3], &u.gid))
		return false;
	u.name = f[0];
	u.homedir = f[5];
	u.shell = f[6];
	hr_user_table_add_user(t, &u);
	return true;
}

static bool take_group(struct hr_user_table *t, const char *line, size_t len)
{
	struct hr_str f[4] = {{0}};
	uint32_t n = split_fields(line, len, f, 4);
	struct hr_group_entry g = {0};
	if (n < 3 || f[0].len == 0 || is_nss_compat(f[0]) || !parse_id(f[2], &g.gid))
		return false;
	g.name = f[0];
	hr_user_table_add_group(t, &g);
	return true;
}

uint32_t hr_passwd_parse(struct hr_user_table *t, const char *text, size_t len, bool cut)
{
	return each_line(t, text, len, cut, take_user);
}

uint32_t hr_group_parse(struct hr_user_table *t, const char *text, size_t len, bool cut)
{
	return each_line(t, text, len, cut, take_group);
}

/* ---- reading a container's files ---- */

/* The file `rel` below `root_fd`, resolved as if `root_fd` were "/", into
 * a malloc'd buffer of at most HR_CONTAINER_USERS_FILE_MAX bytes; *cut says
 * the file was longer. NULL when it cannot be read. */
static char *read_in_root(int root_fd, const char *rel, size_t *len, bool *cut)
{
	struct open_how how = {.flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
			       .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
	int fd = (int)syscall(SYS_openat2, root_fd, rel, &how, sizeof(how));
	if (fd < 0)
		return NULL;
	struct stat st;
	char *buf = NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	buf = malloc(HR_CONTAINER_USERS_FILE_MAX + 1);
	if (!buf)
		abort();
	size_t used = 0;
	/* one byte past the bound tells a file cut at it from one that fits */
	while (used < HR_CONTAINER_USERS_FILE_MAX + 1) {
		ssize_t r = read(fd, buf + used, HR_CONTAINER_USERS_FILE_MAX + 1 - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		used += (size_t)r;
	}
	*cut = used > HR_CONTAINER_USERS_FILE_MAX;
	*len = *cut ? HR_CONTAINER_USERS_FILE_MAX : used;
out:
	close(fd);
	return buf;
}

void hr_container_users_read(struct hr_user_table *t, int root_fd)
{
	size_t len;
	bool cut;
	char *text = read_in_root(root_fd, "etc/passwd", &len, &cut);
	if (text)
		hr_passwd_parse(t, text, len, cut);
	free(text);
	text = read_in_root(root_fd, "etc/group", &len, &cut);
	if (text)
		hr_group_parse(t, text, len, cut);
	free(text);
}

/* ---- the state's tables ---- */

struct hr_container_users *hr_container_users_find(const struct hr_state *s, const char *id)
{
	for (struct hr_container_users *c = s->container_users; c; c = c->next)
		if (strcmp(c->id, id) == 0)
			return c;
	return NULL;
}

struct hr_container_users *hr_container_users_get(struct hr_state *s, const char *id)
{
	struct hr_container_users *c = hr_container_users_find(s, id);
	if (c)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->next = s->container_users;
	s->container_users = c;
	return c;
}

/* Whether the directory `fd` is this program's own root, which stands for
 * the host's (Falco compares with init's root, which a sandbox may not let
 * it read, and then loads no container's users at all). */
static bool is_own_root(int fd)
{
	struct stat theirs, own;
	return fstat(fd, &theirs) == 0 && stat("/", &own) == 0 && theirs.st_dev == own.st_dev &&
	       theirs.st_ino == own.st_ino;
}

void hr_container_users_seen(struct hr_state *s, const struct hr_thread *t)
{
	if (hr_container_users_find(s, t->container_id))
		return;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%lld/root", (long long)(t->pid > 0 ? t->pid : t->tid));
	int root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root_fd < 0)
		return;
	/* runc's first program in the container runs before the container's
	 * root is in place: its files are the host's, so wait for a thread
	 * that has moved in (Falco likewise reads nothing then, and tries
	 * again at the next process). */
	if (!is_own_root(root_fd)) {
		struct hr_container_users *c = hr_container_users_get(s, t->container_id);
		c->serial = ++s->container_users_serial;
		hr_container_users_read(&c->table, root_fd);
	}
	close(root_fd);
}

void hr_container_users_forget(struct hr_state *s, const char *id)
{
	for (struct hr_container_users **link = &s->container_users; *link; link = &(*link)->next) {
		if (strcmp((*link)->id, id) != 0)
			continue;
		struct hr_container_users *c = *link;
		*link = c->next;
		hr_user_table_free(&c->table);
		free(c);
		return;
	}
}

void hr_container_users_clear(struct hr_state *s)
{
	while (s->container_users) {
		struct hr_container_users *c = s->container_users;
		s->container_users = c->next;
		hr_user_table_free(&c->table);
		free(c);
	}
}
