/*
 * The state of the observed machine as sysdig keeps it: threads and
 * processes, each process's file descriptors, users and groups, network
 * interfaces, containers. Capture metadata records seed it; events update
 * it. Consumers (formatters, fields, the writer) read these structures
 * directly and never modify them.
 */
#ifndef HR_STATE_H
#define HR_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture_records.h"
#include "event/event.h"

/* An owned byte string; `p` is always NUL-terminated (p[len] == 0) when
 * non-NULL. For args/env/cgroups it holds NUL-separated items. */
struct hr_bytes {
	char *p;
	uint32_t len;
};

struct hr_fd {
	int64_t fd;
	uint8_t type;          /* enum hr_fd_type (FILE_V2 is stored as FILE) */
	uint8_t l4proto;       /* 0 unknown, 1 n/a, 2 tcp, 3 udp, 4 icmp, 5 raw */
	uint8_t family;        /* 0, 2 (inet) or 10 (inet6) for IP sockets, 1 for unix */
	uint32_t open_flags;   /* PPM_O_* bits */
	uint32_t dev;
	uint64_t ino;
	uint8_t sip[16], dip[16];  /* network order */
	uint16_t sport, dport;     /* host order */
	uint64_t unix_source, unix_dest;
	bool is_role_server, is_role_client; /* sockets: who initiated */
	/* sinsp's close bookkeeping: a close has entered (1), or the fd was
	 * created again by another thread before that close returned (2). */
	uint8_t close_state;
	struct hr_bytes name;      /* what fd.name prints */
	struct hr_fd *next;        /* hash chain, owned by the fd table */
	/* Falco's additions (sysdig 0.29.3 keeps none of these). Parsers fill
	 * them in the proto they hand to the fd table, which copies them. */
	struct hr_bytes name_raw;  /* the path as the open call gave it ("" for other fds): fd.nameraw */
	bool connected;            /* a connect/accept/successful I/O made it a connected socket */
	bool overlay_upper, overlay_lower; /* an open found the file in an overlayfs upper/lower layer */
	uint64_t name_changed_num; /* number of the event whose parsing changed `name` (fd.name_changed) */
};

struct hr_fd_table; /* per process; shared by its threads */

struct hr_thread {
	int64_t tid, pid, ptid, sid, vpgid, vtid, vpid, pgid;
	struct hr_bytes comm, exe, exepath, cwd, root;
	struct hr_bytes args, env, cgroups;
	uint64_t fdlimit;
	uint32_t flags;        /* PPM_CL_* */
	uint32_t uid, gid, loginuid;
	uint32_t vmsize_kb, vmrss_kb, vmswap_kb;
	uint64_t pfmajor, pfminor;
	bool exe_writable, exe_upper_layer, exe_lower_layer, exe_from_memfd;
	uint64_t cap_inheritable, cap_permitted, cap_effective;
	uint64_t exe_ino, exe_ino_ctime, exe_ino_mtime;
	uint64_t pidns_init_start_ts;
	/* Falco's execve bookkeeping: the process start minus the executable's
	 * ctime, and that ctime minus the pid namespace's start (0 = unknown). */
	uint64_t exe_ino_ctime_duration_clone_ts, exe_ino_ctime_duration_pidns_start;
	uint64_t clone_ts;     /* when the thread was created, 0 if unknown */
	uint32_t tty;
	char container_id[80]; /* "" on the host */

	/* This thread's own fd table. A thread that shares its process's files
	 * (PPM_CL_CLONE_FILES) uses its main thread's instead, as sinsp does:
	 * look fds up with hr_state_fd / hr_state_each_fd. */
	struct hr_fd_table *fds;

	/* Pairing: the last enter event of this thread, copied, so that its
	 * exit can read parameters only the enter carries (2022 layouts). */
	struct {
		uint8_t *buf;
		uint32_t cap;
		struct hr_event ev;   /* params point into buf */
		bool valid;
	} last_enter;

	/* sinsp's per-thread bookkeeping: the type and fd of the last enter
	 * event (the fd that exit events and fd.num refer to), and how many
	 * threads of this process keep it alive (a main thread with live
	 * threads survives its own procexit). */
	int32_t lastevent_type;   /* -1 when none */
	int64_t lastevent_fd;
	uint32_t nchilds;
	/* sinsp remembers a thread's main thread once found, for as long as
	 * that thread lives, even if the thread's pid changes later (execve):
	 * the main thread's tid and allocation serial, serial 0 when none. */
	uint64_t serial;
	int64_t main_tid;
	uint64_t main_serial;

	bool dead;                /* procexit seen; freed on a later event */
	struct hr_thread *next;   /* hash chain, owned by the thread table */
};

struct hr_user {
	uint32_t uid, gid;
	struct hr_bytes name, homedir, shell;
};

struct hr_group {
	uint32_t gid;
	struct hr_bytes name;
};

struct hr_container_mount {
	struct hr_bytes source, dest, mode, propagation;
	bool rdwr;
};

struct hr_container_label {
	struct hr_bytes key, value;
};

/* Where a container's metadata stands (live: the runtime's API). */
enum hr_container_lookup {
	HR_CONTAINER_LOOKUP_NONE = 0, /* nobody was asked (captures) */
	HR_CONTAINER_LOOKUP_PENDING,  /* asked; the answer has not arrived */
	HR_CONTAINER_LOOKUP_DONE,     /* the metadata below is the runtime's */
	HR_CONTAINER_LOOKUP_FAILED,   /* no runtime knew it (asked again later) */
};

struct hr_container {
	char id[80];
	struct hr_bytes name, image, image_repository, image_tag, image_digest, image_id, type;
	bool privileged;
	uint64_t start_ts;
	struct hr_bytes json;     /* the raw JSON of a container event, if any */
	int32_t type_id;          /* sinsp_container_type (0 docker, 6 cri, 11 podman, ...) */
	struct hr_container *next;

	/* Metadata from the runtime's API or from a container record's JSON;
	 * has_metadata says privileged, mounts, labels and host_* are known. */
	struct hr_bytes full_id, ip;
	struct hr_container_mount *mounts;
	uint32_t nmounts;
	struct hr_container_label *labels;
	uint32_t nlabels;
	bool host_pid, host_network, host_ipc;
	bool has_metadata;
	uint8_t lookup;           /* enum hr_container_lookup */
	uint64_t lookup_failed_ns; /* CLOCK_MONOTONIC of the last failed lookup */
	uint64_t serial;          /* when its runtime metadata arrived (see hr_state_container_serial) */
	/* Health probes as "exe arg arg..." (sysdig's container.healthcheck,
	 * .liveness_probe, .readiness_probe); empty when the container has none. */
	struct hr_bytes healthcheck, liveness_probe, readiness_probe;
};

struct hr_state;
struct hr_record;

struct hr_state *hr_state_new(void);
void hr_state_free(struct hr_state *s);

/*
 * Parse as Falco 0.44's libs where they part from sysdig 0.29.3's: a
 * send/sendto/sendmsg exit on an fd never seen created makes it a UDP
 * socket of its tuple's family (sysdig infers that from a sendto enter
 * only), paths are joined keeping every byte (sysdig turns unprintable
 * ones into '.'), and user/group name fields fall back to "root" or
 * "<NA>" for ids missing from the user table. Off by default
 * (harrier-inspect keeps sysdig's behaviour); the detector turns it on
 * before the first record.
 */
void hr_state_set_newest_libs(struct hr_state *s, bool on);
bool hr_state_newest_libs(const struct hr_state *s);

/* Applies one capture record (metadata or section start). */
void hr_state_apply_record(struct hr_state *s, const struct hr_record *rec);

/*
 * Updates the state with one event, as sysdig's parsers do, and fills the
 * event's thread/fd/enter links. Call it for every event, in file order,
 * before formatting or filtering the event.
 *
 * e->thread: the event's thread as sysdig's fields see it (an "<NA>"
 * placeholder for a tid never described; for container JSON events a
 * stand-in named "container:<id>" with tid -1, outside the table).
 * e->fd / e->fd_num: the fd sysdig's fd.* fields use, for events that are fd
 * events by hr_state_event_flags. e->enter: the paired enter event, valid
 * until the next call. sysdig itself frees that copy before printing, so
 * output that mimics sysdig 0.29.3 must not depend on it.
 */
void hr_state_process_event(struct hr_state *s, struct hr_event *e);

struct hr_thread *hr_state_thread(const struct hr_state *s, int64_t tid);
struct hr_thread *hr_state_main_thread(const struct hr_state *s, const struct hr_thread *t);
struct hr_fd *hr_state_fd(const struct hr_state *s, const struct hr_thread *t, int64_t fd);
const struct hr_user *hr_state_user(const struct hr_state *s, uint32_t uid);
const struct hr_group *hr_state_group(const struct hr_state *s, uint32_t gid);
/* The user (group) an id names for the thread `t`: its container's own
 * users and groups when the state has them for the thread's container
 * (live, read from the container's /etc/passwd and /etc/group; in a
 * recording, its useradded/groupadded events), else the host's. NULL when
 * the table has no such id. `t` may be NULL (the host's). */
const struct hr_user *hr_state_thread_user(const struct hr_state *s, const struct hr_thread *t, uint32_t uid);
const struct hr_group *hr_state_thread_group(const struct hr_state *s, const struct hr_thread *t, uint32_t gid);
const struct hr_container *hr_state_container(const struct hr_state *s, const char *id);
const struct hr_machine_info *hr_state_machine(const struct hr_state *s);

/* Iteration, for the writer and for listings. */
typedef void (*hr_thread_visit)(void *ctx, const struct hr_thread *t);
typedef void (*hr_fd_visit)(void *ctx, const struct hr_fd *fd);
void hr_state_each_thread(const struct hr_state *s, hr_thread_visit fn, void *ctx);
void hr_state_each_fd(const struct hr_state *s, const struct hr_thread *t, hr_fd_visit fn, void *ctx);
void hr_state_each_user(const struct hr_state *s, void (*fn)(void *ctx, const struct hr_user *), void *ctx);
void hr_state_each_group(const struct hr_state *s, void (*fn)(void *ctx, const struct hr_group *), void *ctx);
void hr_state_each_iface(const struct hr_state *s, void (*fn)(void *ctx, const struct hr_iface_entry *), void *ctx);

/* Containers known from container events and from cgroups. */
void hr_state_each_container(const struct hr_state *s, void (*fn)(void *ctx, const struct hr_container *), void *ctx);

/*
 * Live container metadata (state/container_runtime.h): the state asks the
 * runtime about each container it meets in cgroups, and takes the answers
 * in between events. A live consumer starts a runtime and attaches it once,
 * before the first record; it stops the runtime after freeing the state.
 * With a runtime attached, threads whose events carry no cgroups have
 * theirs read from /proc. `rt` may be NULL (detach).
 */
struct hr_container_runtime;
void hr_state_attach_container_runtime(struct hr_state *s, struct hr_container_runtime *rt);

/* The text of /proc/PID/cgroup (modified in place) as scap's
 * "controller=path" items, each NUL-terminated, into `out`: one item per
 * controller of each v1 line; the unified (v2) line counts for cpu, memory
 * and cpuset when there are no v1 lines. Returns the bytes used. */
size_t hr_proc_cgroups_items(char *text, char *out, size_t cap);
/* Takes the runtime's answers now (the state also does this before each
 * event); for consumers that look at containers while no events flow. */
void hr_state_poll_containers(struct hr_state *s);
/* The serial of the newest runtime answer taken (0: none yet). A recorder
 * remembers it and, when it grows, writes a container event (324, see
 * hr_container_record_json) for each container whose `serial` is newer. */
uint64_t hr_state_container_serial(const struct hr_state *s);
/* The container as sysdig's container JSON record (the parameter of a
 * container event, 324), which sysdig 0.29.3 and Harrier read back;
 * malloc'd and NUL-terminated, *len without the NUL. */
char *hr_container_record_json(const struct hr_container *c, size_t *len);

/* Live: the serial of the newest container user table read (0: none). A
 * recorder remembers it and, when it grows, writes a useradded (354) and a
 * groupadded (358) event carrying the container id for each entry of the
 * tables read since (hr_state_each_container_user with the old serial), as
 * Falco's libs do, so that a reader names the container's users too. */
uint64_t hr_state_container_users_serial(const struct hr_state *s);
typedef void (*hr_container_user_visit)(void *ctx, const char *container_id, const struct hr_user *u);
typedef void (*hr_container_group_visit)(void *ctx, const char *container_id, const struct hr_group *g);
void hr_state_each_container_user(const struct hr_state *s, uint64_t after, hr_container_user_visit user,
				  hr_container_group_visit group, void *ctx);

/* The environment proc.env shows, as sinsp's get_env finds it: a main
 * thread's own, else its main thread's (followed as far as it goes). */
const struct hr_bytes *hr_state_env(const struct hr_state *s, const struct hr_thread *t);

/*
 * The EF_* flags sysdig 0.29.3 gives an event id (ids it does not know get
 * the newest libs' flags). They differ from the spec's newest flags on a few
 * ids, e.g. mmap is not an fd event for sysdig (fd.num prints <NA>), so
 * fd.* fields should test these flags, not hr_event_table's.
 */
uint32_t hr_state_event_flags(uint16_t type);

/* How many fds the thread's own table holds (sinsp's m_fdtable.size()). */
uint64_t hr_state_fd_table_size(const struct hr_thread *t);

/* Counters, for tests that check memory stays bounded. */
uint64_t hr_state_thread_count(const struct hr_state *s);
uint64_t hr_state_fd_count(const struct hr_state *s);

#endif
