/*
 * Private to the state engine: the tables behind struct hr_state and the
 * helpers its files share (thread and fd tables, owned strings, socket and
 * path naming, container resolution). Nothing outside src/state includes it.
 */
#ifndef HR_STATE_INTERNAL_H
#define HR_STATE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "state/state.h"
#include "state/user_table.h"

/* sinsp's libsinsp-only clone flags and the ones its parsers test. */
enum {
	HR_CL_CLONE_FILES = 1u << 0,
	HR_CL_CLONE_THREAD = 1u << 13,
	HR_CL_CLONE_INVERTED = 1u << 16,
	HR_CL_NAME_CHANGED = 1u << 17,
	HR_CL_CLOSED = 1u << 18,
	HR_CL_ACTIVE = 1u << 19,
	HR_CL_PIPE_SRC = 1u << 21,
	HR_CL_PIPE_DST = 1u << 22,
	HR_CL_CHILD_IN_PIDNS = 1u << 29,
	HR_CL_IS_MAIN_THREAD = 1u << 30,
};

/* Transport of a socket, as scap numbers it. */
enum { HR_L4_UNKNOWN = 0, HR_L4_NA = 1, HR_L4_TCP = 2, HR_L4_UDP = 3, HR_L4_ICMP = 4, HR_L4_RAW = 5 };

/* Longest path sinsp builds (SCAP_MAX_PATH_SIZE). */
#define HR_MAX_PATH 1024

struct hr_fd_table {
	struct hr_fd **buckets;
	uint32_t mask;   /* bucket count - 1 (a power of two) */
	uint32_t count;
};

struct hr_iface_slot {
	struct hr_iface_entry entry; /* entry.name points at name_copy */
	char *name_copy;
};

struct hr_state {
	struct hr_thread **threads; /* hash on tid, chained through ->next */
	uint32_t thread_mask;
	uint64_t nthreads;
	uint64_t nfds;
	uint64_t next_serial;

	/* One-entry lookup cache: consecutive events mostly share a thread. */
	int64_t cached_tid;
	struct hr_thread *cached_thread;

	struct hr_user_table host_users; /* the capture's user list */
	/* Containers' own users (container_users.h); few containers. */
	struct hr_container_users *container_users;
	uint64_t container_users_serial; /* of the newest table read live */
	struct hr_iface_slot *ifaces;
	uint32_t nifaces, ifaces_cap;
	struct hr_container *containers; /* list; there are few */
	struct hr_container_runtime *container_runtime; /* live metadata lookups, NULL when none */
	uint64_t container_serial;  /* of the newest runtime answer taken */

	struct hr_machine_info machine;
	bool has_machine;

	/* What sinsp hands container JSON events as their thread: a stand-in
	 * with tid -1 named "container:<id>", outside the thread table. */
	struct hr_thread container_thread;

	/* Work sinsp defers to the start of the next event: the thread whose
	 * procexit was just parsed, the fds a close just released, and the
	 * stored enter event an exit just consumed. */
	int64_t tid_to_remove;
	int64_t fd_owner_tid;
	int64_t fds_to_remove[4];
	uint32_t nfds_to_remove;
	struct hr_thread *enter_to_drop;

	/* Sockets read from the process list are oriented once the list is
	 * complete, using the ports of the listed server sockets. */
	bool proc_sockets_unfixed;
	uint16_t *server_ports;
	uint32_t nserver_ports, server_ports_cap;

	bool newest_libs; /* Falco 0.44's parsing (hr_state_set_newest_libs) */
};

/* Owned strings. */
void hr_bytes_set(struct hr_bytes *b, const void *p, uint32_t len);
void hr_bytes_set_str(struct hr_bytes *b, const char *str);
void hr_bytes_copy(struct hr_bytes *dst, const struct hr_bytes *src);
void hr_bytes_free(struct hr_bytes *b);
/* A string parameter as sinsp reads it: up to its first NUL. */
void hr_bytes_set_param_str(struct hr_bytes *b, const struct hr_event *e, unsigned i);

/* Users and groups (state.c). */
void hr_state_add_user(struct hr_state *s, const struct hr_user_entry *u);
void hr_state_remove_user(struct hr_state *s, uint32_t uid);
void hr_state_add_group(struct hr_state *s, const struct hr_group_entry *g);
void hr_state_remove_group(struct hr_state *s, uint32_t gid);

/* Threads (state_threads.c). */
struct hr_thread *hr_threads_find(struct hr_state *s, int64_t tid);
struct hr_thread *hr_threads_new(struct hr_state *s, int64_t tid);
/* A thread built outside the table, then put in it (replacing any thread
 * with the same tid, as sinsp's table put does). */
struct hr_thread *hr_threads_alloc(int64_t tid);
void hr_threads_insert(struct hr_state *s, struct hr_thread *t);
void hr_threads_free_detached(struct hr_state *s, struct hr_thread *t);
/* sinsp's get_thread_ref with query_os: a thread it does not know becomes
 * an "<NA>" placeholder (captures cannot ask /proc). */
struct hr_thread *hr_threads_get_or_placeholder(struct hr_state *s, int64_t tid);
void hr_threads_remove(struct hr_state *s, int64_t tid, bool force);
void hr_threads_clear(struct hr_state *s);
void hr_threads_set_container_event(struct hr_state *s, const char *id);
struct hr_thread *hr_threads_main(struct hr_state *s, struct hr_thread *t);
void hr_threads_set_cwd(struct hr_state *s, struct hr_thread *t, const char *cwd, uint32_t len);

/* Fd tables (state_fds.c). */
struct hr_fd_table *hr_fdt_of(struct hr_state *s, struct hr_thread *t);
struct hr_fd *hr_fdt_find(const struct hr_fd_table *fdt, int64_t fd);
/* Inserts or overwrites fd `fd` of thread `t` with a copy of `proto`. */
struct hr_fd *hr_fdt_add(struct hr_state *s, struct hr_thread *t, int64_t fd, const struct hr_fd *proto);
void hr_fdt_erase(struct hr_state *s, struct hr_fd_table *fdt, int64_t fd);
void hr_fdt_free(struct hr_state *s, struct hr_fd_table *fdt);
struct hr_fd_table *hr_fdt_clone(struct hr_state *s, const struct hr_fd_table *src);
void hr_fd_release(struct hr_fd *fd);

/* Socket and path naming (state_names.c). */
void hr_name_ipv4_tuple(struct hr_bytes *out, const uint8_t sip[4], uint16_t sport, const uint8_t dip[4], uint16_t dport);
void hr_name_ipv4_endpoint(struct hr_bytes *out, const uint8_t ip[4], uint16_t port);
void hr_name_ipv6_tuple(struct hr_bytes *out, const uint8_t sip[16], uint16_t sport, const uint8_t dip[16], uint16_t dport);
void hr_name_ipv6_endpoint(struct hr_bytes *out, const uint8_t ip[16], uint16_t port);
/* sinsp's sockinfo_to_str: the name of a connected IP socket. */
void hr_name_socket(struct hr_bytes *out, const struct hr_fd *fd);
/* A sockaddr / socktuple parameter printed the way sinsp's PF_SIMPLE does. */
void hr_name_sockaddr_param(struct hr_bytes *out, const uint8_t *p, uint32_t len);
void hr_name_socktuple_param(struct hr_bytes *out, const uint8_t *p, uint32_t len);
bool hr_is_ipv4_mapped(const uint8_t a[16]);
/* sinsp's concatenate_paths: `dir` + `path` cleaned into `out` (of
 * HR_MAX_PATH bytes), as sysdig 0.29.3 does or, with `newest`, as Falco
 * 0.44's libs do. `path_len` counts the parameter's bytes. */
void hr_concatenate_paths(char *out, const char *dir, uint32_t dir_len, const char *path, uint32_t path_len,
			  bool newest);

/* Containers (state_containers.c). */
void hr_containers_resolve(struct hr_state *s, struct hr_thread *t);
/* Returns the container described, NULL when the JSON has none. */
const struct hr_container *hr_containers_parse_json(struct hr_state *s, const uint8_t *json, uint32_t len);
void hr_containers_add_old(struct hr_state *s, const struct hr_event *e);
void hr_containers_clear(struct hr_state *s);
/* Takes the container runtime's answers (between events). */
void hr_containers_poll(struct hr_state *s);

/* Completes what the process list started (child counts, socket
 * orientation); runs before the first event after metadata records. */
void hr_state_finish_metadata(struct hr_state *s);

/* Events (state_events.c, state_process.c). */
void hr_state_parse_clone_exit(struct hr_state *s, struct hr_event *e);
void hr_state_parse_execve_exit(struct hr_state *s, struct hr_event *e);

/* Room for `need` elements in a growing array (state.c). */
void *hr_grow_array(void *arr, uint32_t *cap, uint32_t need, size_t elem);

/* Reading parameters without trusting their sizes. */
int64_t hr_p_i64(const struct hr_event *e, unsigned i, int64_t dflt);
uint64_t hr_p_u64(const struct hr_event *e, unsigned i, uint64_t dflt);
uint32_t hr_p_u32(const struct hr_event *e, unsigned i, uint32_t dflt);

#endif
