/*
 * The users and groups of processes in containers, one table per container
 * id, as Falco 0.44's libs keep them: a container's processes are named by
 * its own /etc/passwd and /etc/group, not the host's. Live, the state reads
 * them through /proc/PID/root the first time it sees a thread of the
 * container; reading a recording, useradded/groupadded events carrying the
 * container id fill them.
 */
#ifndef HR_CONTAINER_USERS_H
#define HR_CONTAINER_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state/user_table.h"

/* Bounds on what is read from a container (which the host does not
 * trust): bytes per file, entries per table, bytes per line. Falco reads
 * entries through a 4096-byte buffer, so longer lines are lost there too. */
#define HR_CONTAINER_USERS_FILE_MAX (1u << 20)
#define HR_CONTAINER_USERS_MAX_ENTRIES 4096u
#define HR_CONTAINER_USERS_LINE_MAX 4096u

struct hr_container_users {
	char id[80];          /* the container id its threads carry */
	struct hr_user_table table;
	/* Read live from the container: its place in the order of such reads
	 * (hr_state_container_users_serial); 0 when events filled it. */
	uint64_t serial;
	struct hr_container_users *next;
};

/* /etc/passwd (/etc/group) text of `len` bytes into `t`, one entry per
 * well-formed line ("name:pw:uid:gid:gecos:dir:shell", "name:pw:gid:..."),
 * skipping blank and comment lines, NSS "+"/"-" lines, lines with a bad id,
 * lines over HR_CONTAINER_USERS_LINE_MAX and a last line without its
 * newline when the text was cut at the size bound (`cut`). Stops at
 * HR_CONTAINER_USERS_MAX_ENTRIES entries. Returns the entries taken. */
uint32_t hr_passwd_parse(struct hr_user_table *t, const char *text, size_t len, bool cut);
uint32_t hr_group_parse(struct hr_user_table *t, const char *text, size_t len, bool cut);

/* Reads etc/passwd and etc/group below the directory `root_fd`, resolved
 * inside it (the container's symlinks cannot point at host files), at most
 * HR_CONTAINER_USERS_FILE_MAX bytes each, regular files only (a FIFO
 * cannot block the reader). A missing or unreadable file adds nothing. */
void hr_container_users_read(struct hr_user_table *t, int root_fd);

struct hr_state;
struct hr_thread;

struct hr_container_users *hr_container_users_find(const struct hr_state *s, const char *id);
/* The container's table, created empty if it has none (for events). */
struct hr_container_users *hr_container_users_get(struct hr_state *s, const char *id);
/* Live: the thread `t` (in a container) was seen; the first time its
 * container is met with a root of its own, its users and groups are read
 * through /proc/<pid>/root, once (a missing file gives an empty table). A
 * process that shares the host's root, or is already gone, leaves the
 * container to its next thread; until then the host's names stand. */
void hr_container_users_seen(struct hr_state *s, const struct hr_thread *t);
void hr_container_users_forget(struct hr_state *s, const char *id);
void hr_container_users_clear(struct hr_state *s);

#endif
