/*
 * The metadata a capture carries besides events: machine info, network
 * interfaces, users and groups, the process table and each process's open
 * fds. Capture readers (file or live) produce these; the state engine and
 * the capture writer consume them. Strings are (pointer, length) views into
 * the producer's buffer, not NUL-terminated, valid until the next record.
 */
#ifndef HR_CAPTURE_RECORDS_H
#define HR_CAPTURE_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

struct hr_str {
	const char *p;
	uint32_t len;
};

struct hr_machine_info {
	uint32_t num_cpus;
	uint64_t memory_size_bytes;
	uint64_t max_pid;
	char hostname[129];
	uint64_t boot_ts_epoch;
	uint64_t flags;
};

enum hr_iface_kind { HR_IFACE_IPV4 = 1, HR_IFACE_IPV6 = 2 };

struct hr_iface_entry {
	uint16_t kind;            /* HR_IFACE_*; types 3/4 of the file map to 1/2 */
	bool has_linkspeed;
	uint8_t addr[16], netmask[16], bcast[16]; /* network order; IPv4 uses 4 bytes */
	uint64_t linkspeed;
	struct hr_str name;
};

struct hr_user_entry {
	uint32_t uid, gid;
	struct hr_str name, homedir, shell;
};

struct hr_group_entry {
	uint32_t gid;
	struct hr_str name;
};

/* One process-list entry; fields a block version lacks keep the defaults
 * set by hr_proc_entry_init (ids -1, loginuid 0xFFFFFFFF, the rest 0). */
struct hr_proc_entry {
	int64_t tid, pid, ptid, sid, vpgid, vtid, vpid, pgid;
	struct hr_str comm, exe, exepath, args, cwd, env, cgroups, root;
	uint64_t fdlimit;
	uint32_t flags, uid, gid;
	uint32_t vmsize_kb, vmrss_kb, vmswap_kb;
	uint64_t pfmajor, pfminor;
	uint32_t loginuid;
	bool exe_writable;
	bool exe_upper_layer, exe_lower_layer, exe_from_memfd;
	bool has_caps;
	uint64_t cap_inheritable, cap_permitted, cap_effective;
	uint64_t exe_ino, exe_ino_ctime, exe_ino_mtime;
	uint64_t pidns_init_start_ts;
	uint32_t tty;
};

/* scap fd types (scap-format.md section 7). */
enum hr_fd_type {
	HR_FD_UNKNOWN = 0, HR_FD_FILE = 1, HR_FD_DIRECTORY = 2, HR_FD_IPV4_SOCK = 3,
	HR_FD_IPV6_SOCK = 4, HR_FD_IPV4_SERVSOCK = 5, HR_FD_IPV6_SERVSOCK = 6, HR_FD_FIFO = 7,
	HR_FD_UNIX_SOCK = 8, HR_FD_EVENT = 9, HR_FD_UNSUPPORTED = 10, HR_FD_SIGNALFD = 11,
	HR_FD_EVENTPOLL = 12, HR_FD_INOTIFY = 13, HR_FD_TIMERFD = 14, HR_FD_NETLINK = 15,
	HR_FD_FILE_V2 = 16, HR_FD_BPF = 17, HR_FD_USERFAULTFD = 18, HR_FD_IOURING = 19,
	HR_FD_MEMFD = 20, HR_FD_PIDFD = 21,
};

struct hr_fd_entry {
	int64_t fd;
	uint64_t ino;
	uint8_t type;          /* enum hr_fd_type as found in the file */
	/* sockets: addresses network order (IPv4 in the first 4 bytes), ports host order */
	uint8_t sip[16], dip[16];
	uint16_t sport, dport;
	uint8_t l4proto;
	uint64_t unix_source, unix_dest;
	uint32_t open_flags;   /* FILE_V2 */
	uint32_t dev;          /* FILE_V2 when present */
	bool has_dev;
	struct hr_str name;
};

void hr_proc_entry_init(struct hr_proc_entry *p);

#endif
