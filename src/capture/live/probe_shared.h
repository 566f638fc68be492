/*
 * What the kernel probe (probe.bpf.c) and its loader (live_source.c) agree
 * on: event ids the probe emits, the x86_64 syscall numbers it handles,
 * sizes, and the per-CPU counters. Included by both sides, so it uses only
 * fixed-width types that vmlinux.h and <stdint.h> both provide.
 */
#ifndef HR_PROBE_SHARED_H
#define HR_PROBE_SHARED_H

/* Scap v2 event header length; events leave the probe in scap encoding
 * (event_table.tsv, newest layouts) with the timestamp on the boot clock:
 * the loader adds the boot time. */
#define HRP_HEADER_LEN 26

/* Largest event, and the per-CPU scratch area (twice that, so that offsets
 * masked with HRP_EVENT_MAX - 1 plus one bounded copy always stay inside). */
#define HRP_EVENT_MAX 32768
#define HRP_STR_MAX 4096      /* paths, argv[0] */
#define HRP_ARGS_MAX 4096     /* argv after argv[0]; environment */
#define HRP_SNAPLEN_MAX 16384 /* I/O data bytes per event */

/* Interest table size: syscall numbers at or above it are never recorded. */
#define HRP_SYSCALL_SLOTS 512

/* What the probe does with a syscall number (interest table values). */
enum hrp_interest {
	HRP_SKIP = 0,     /* early exit */
	HRP_RECORD = 1,   /* its own event */
	HRP_GENERIC = 2,  /* a generic `syscall` event (id and number only) */
};

/* Per-CPU counters, one array slot per CPU (BPF_MAP_TYPE_PERCPU_ARRAY). */
struct hrp_counters {
	__u64 events;          /* events written to the ring */
	__u64 drops_full;      /* ring full: event lost */
	__u64 drops_read;      /* a failed read made the event unusable */
};

/* Event ids (event_table.tsv). */
enum hrp_event_id {
	HRP_GENERIC_X = 1,
	HRP_OPEN_X = 3,
	HRP_CLOSE_X = 5,
	HRP_READ_X = 7,
	HRP_WRITE_X = 9,
	HRP_SOCKET_X = 19,
	HRP_BIND_X = 21,
	HRP_CONNECT_X = 23,
	HRP_LISTEN_X = 25,
	HRP_SENDTO_X = 31,
	HRP_RECVFROM_X = 35,
	HRP_CREAT_X = 59,
	HRP_CHDIR_X = 95,
	HRP_FCHDIR_X = 97,
	HRP_PTRACE_X = 169,
	HRP_RENAME_X = 175,
	HRP_RENAMEAT_X = 177,
	HRP_SYMLINK_X = 179,
	HRP_SYMLINKAT_X = 181,
	HRP_PROCEXIT_1_E = 186,
	HRP_SETRESUID_X = 193,
	HRP_SETRESGID_X = 195,
	HRP_SETUID_X = 199,
	HRP_SETGID_X = 201,
	HRP_CLONE_20_X = 223,
	HRP_FORK_20_X = 225,
	HRP_VFORK_20_X = 227,
	HRP_ACCEPT_5_X = 247,
	HRP_MKDIR_2_X = 277,
	HRP_EXECVE_19_X = 293,
	HRP_UNLINK_2_X = 301,
	HRP_UNLINKAT_2_X = 303,
	HRP_MKDIRAT_X = 305,
	HRP_LINK_2_X = 309,
	HRP_LINKAT_2_X = 311,
	HRP_OPENAT_2_X = 307,
	HRP_FCHMODAT_X = 313,
	HRP_CHMOD_X = 315,
	HRP_FCHMOD_X = 317,
	HRP_RENAMEAT2_X = 319,
	HRP_OPENAT2_X = 327,
	HRP_EXECVEAT_X = 331,
	HRP_CLONE3_X = 335,
	HRP_DUP2_X = 363,
	HRP_DUP3_X = 365,
	HRP_DUP_1_X = 367,
	HRP_ACCEPT4_6_X = 389,
	HRP_PIPE2_X = 393,
	HRP_MEMFD_CREATE_X = 405,
	HRP_INIT_MODULE_X = 411,
	HRP_FINIT_MODULE_X = 413,
};

/* x86_64 syscall numbers the probe handles. */
enum hrp_syscall_nr {
	HRP_NR_read = 0, HRP_NR_write = 1, HRP_NR_open = 2, HRP_NR_close = 3,
	HRP_NR_dup = 32, HRP_NR_dup2 = 33,
	HRP_NR_socket = 41, HRP_NR_connect = 42, HRP_NR_accept = 43, HRP_NR_sendto = 44,
	HRP_NR_recvfrom = 45, HRP_NR_bind = 49, HRP_NR_listen = 50,
	HRP_NR_clone = 56, HRP_NR_fork = 57, HRP_NR_vfork = 58, HRP_NR_execve = 59,
	HRP_NR_chdir = 80, HRP_NR_fchdir = 81, HRP_NR_rename = 82, HRP_NR_mkdir = 83,
	HRP_NR_creat = 85, HRP_NR_link = 86, HRP_NR_unlink = 87, HRP_NR_symlink = 88, HRP_NR_chmod = 90,
	HRP_NR_fchmod = 91, HRP_NR_ptrace = 101, HRP_NR_setuid = 105, HRP_NR_setgid = 106,
	HRP_NR_setresuid = 117, HRP_NR_setresgid = 119,
	HRP_NR_init_module = 175,
	HRP_NR_openat = 257, HRP_NR_mkdirat = 258, HRP_NR_unlinkat = 263, HRP_NR_renameat = 264,
	HRP_NR_linkat = 265, HRP_NR_symlinkat = 266, HRP_NR_fchmodat = 268, HRP_NR_accept4 = 288, HRP_NR_dup3 = 292,
	HRP_NR_pipe2 = 293, HRP_NR_finit_module = 313, HRP_NR_renameat2 = 316,
	HRP_NR_memfd_create = 319, HRP_NR_execveat = 322, HRP_NR_clone3 = 435, HRP_NR_openat2 = 437,
};

#endif
