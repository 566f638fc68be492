// SPDX-License-Identifier: GPL-2.0
/*
 * Harrier's kernel probe (CO-RE eBPF). One program on the raw sys_exit
 * tracepoint writes one exit event per recorded syscall carrying all of its
 * parameters (the newest scap layouts), so a syscall costs one program run;
 * sched_process_exec/exit report successful execs and thread exits. Events
 * are built in a per-CPU scratch area in scap encoding and copied to the
 * ring of the current CPU without waking the reader, which polls. Flag
 * values are left in Linux encoding: the loader converts them to PPM_*.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include "probe_shared.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before loading. */
const volatile __u32 snaplen = 80;
const volatile __u32 own_tgid = 0; /* the consumer's own events are never recorded */

/* Set by the loader at run time: enum hrp_interest per syscall number. */
__u8 interesting[HRP_SYSCALL_SLOTS];

struct ring_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
};

/* One ring per CPU; the loader creates the rings and sizes this map. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct ring_map);
} rings SEC(".maps");

/* Paths are assembled backwards (leaf first) in a side area, then copied
 * into the event; the area is twice PATH_AREA so that masked offsets plus
 * a bounded copy stay inside. */
#define PATH_AREA 4096
#define PATH_DEPTH 32    /* path components followed; deeper paths keep their tail */
#define NAME_MAX_LEN 256

struct scratch {
	__u8 buf[2 * HRP_EVENT_MAX];
	__u8 path[2 * PATH_AREA];
	__u8 name[NAME_MAX_LEN];
	__u32 pos;     /* where the next parameter's bytes go */
	__u32 idx;     /* index of the next parameter */
	__u32 nparams;
	/* Where the path being assembled backwards in `path` starts. Kept
	 * here rather than in a walk's stack context: the verifier does not
	 * track map memory, so it sees the same unknown value at every step
	 * of a walk and checks the step a few times instead of once per
	 * possible length (most of the probe's load time otherwise). */
	__u32 path_end;
};

/* One scratch area per CPU (a plain array indexed by CPU: per-CPU map
 * values are limited to 32 KiB). The loader sizes it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hrp_counters);
} counters SEC(".maps");

#define MASK (HRP_EVENT_MAX - 1)

static __always_inline struct hrp_counters *my_counters(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&counters, &zero);
}

/* Starts an event of `type` with `nparams` parameters for the current thread. */
static __always_inline struct scratch *event_begin(__u16 type, __u32 nparams)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct scratch *s = bpf_map_lookup_elem(&scratch_map, &cpu);
	if (!s)
		return NULL;
	__u64 ts = bpf_ktime_get_boot_ns();
	__u64 tid = (__u32)bpf_get_current_pid_tgid();
	__builtin_memcpy(&s->buf[0], &ts, 8);
	__builtin_memcpy(&s->buf[8], &tid, 8);
	__builtin_memcpy(&s->buf[20], &type, 2);
	__builtin_memcpy(&s->buf[22], &nparams, 4);
	s->nparams = nparams;
	s->idx = 0;
	s->pos = HRP_HEADER_LEN + 2 * nparams;
	return s;
}

static __always_inline void set_len(struct scratch *s, __u16 len)
{
	__u32 at = (HRP_HEADER_LEN + 2 * s->idx) & MASK;
	__builtin_memcpy(&s->buf[at], &len, 2);
	s->idx++;
	s->pos += len;
}

static __always_inline void push_u8(struct scratch *s, __u8 v)
{
	s->buf[s->pos & MASK] = v;
	set_len(s, 1);
}
static __always_inline void push_u16(struct scratch *s, __u16 v)
{
	__builtin_memcpy(&s->buf[s->pos & MASK], &v, 2);
	set_len(s, 2);
}
static __always_inline void push_u32(struct scratch *s, __u32 v)
{
	__builtin_memcpy(&s->buf[s->pos & MASK], &v, 4);
	set_len(s, 4);
}
static __always_inline void push_u64(struct scratch *s, __u64 v)
{
	__builtin_memcpy(&s->buf[s->pos & MASK], &v, 8);
	set_len(s, 8);
}
static __always_inline void push_empty(struct scratch *s)
{
	set_len(s, 0);
}

/* A NUL-terminated string from user memory (length includes the NUL);
 * empty (absent) when it cannot be read. */
static __always_inline void push_user_str(struct scratch *s, const void *p)
{
	long n = p ? bpf_probe_read_user_str(&s->buf[s->pos & MASK], HRP_STR_MAX, p) : -1;
	set_len(s, n > 0 ? (__u16)n : 0);
}
static __always_inline void push_kernel_str(struct scratch *s, const void *p)
{
	long n = p ? bpf_probe_read_kernel_str(&s->buf[s->pos & MASK], HRP_STR_MAX, p) : -1;
	set_len(s, n > 0 ? (__u16)n : 0);
}
/* `len` raw bytes from user memory, cut at `max`. */
static __always_inline void push_user_bytes(struct scratch *s, const void *p, __u64 len, __u32 max)
{
	if (len > max)
		len = max;
	if (len > HRP_SNAPLEN_MAX)
		len = HRP_SNAPLEN_MAX;
	if (!p || len == 0 || bpf_probe_read_user(&s->buf[s->pos & MASK], len, p) < 0) {
		set_len(s, 0);
		return;
	}
	set_len(s, (__u16)len);
}

/* Copies the finished event to this CPU's ring; counts a drop if full. */
static __always_inline int event_submit(struct scratch *s)
{
	struct hrp_counters *c = my_counters();
	__u32 len = s->pos;
	__u32 cpu = bpf_get_smp_processor_id();
	void *ring = bpf_map_lookup_elem(&rings, &cpu);
	if (len > HRP_EVENT_MAX || !ring) {
		if (c)
			c->drops_read++;
		return 0;
	}
	__builtin_memcpy(&s->buf[16], &len, 4);
	if (bpf_ringbuf_output(ring, s->buf, len, BPF_RB_NO_WAKEUP) < 0) {
		if (c)
			c->drops_full++;
		return 0;
	}
	if (c)
		c->events++;
	return 0;
}

/* ---- kernel structures ---- */

static __always_inline struct file *fd_file(struct task_struct *t, long fd)
{
	if (fd < 0)
		return NULL;
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	if (!fdt || (__u64)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof f, &fds[fd]);
	return f;
}

/* dev_t as user space sees it (new_encode_dev). */
static __always_inline __u32 encode_dev(__u32 dev)
{
	__u32 major = dev >> 20, minor = dev & 0xfffff;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* dev and ino of the file behind `fd`, both 0 when unknown. */
static __always_inline void push_dev_ino(struct scratch *s, struct task_struct *t, long fd)
{
	struct file *f = fd_file(t, fd);
	__u32 dev = 0;
	__u64 ino = 0;
	if (f) {
		struct inode *i = BPF_CORE_READ(f, f_inode);
		dev = encode_dev(BPF_CORE_READ(i, i_sb, s_dev));
		ino = BPF_CORE_READ(i, i_ino);
	}
	push_u32(s, dev);
	push_u64(s, ino);
}

#define PPM_AF_UNIX 1
#define PPM_AF_INET 2
#define PPM_AF_INET6 10

/* A socket address passed by the process (scap-format.md 11.5). */
static __always_inline void push_sockaddr(struct scratch *s, const void *uaddr, __u32 addrlen)
{
	__u8 *d = &s->buf[s->pos & MASK];
	__u16 family = 0;
	if (!uaddr || addrlen < 2 || bpf_probe_read_user(&family, 2, uaddr) < 0) {
		set_len(s, 0);
		return;
	}
	if (family == PPM_AF_INET) {
		struct sockaddr_in in = {};
		bpf_probe_read_user(&in, sizeof in, uaddr);
		__u16 port = bpf_ntohs(in.sin_port);
		d[0] = PPM_AF_INET;
		__builtin_memcpy(d + 1, &in.sin_addr.s_addr, 4);
		__builtin_memcpy(d + 5, &port, 2);
		set_len(s, 7);
	} else if (family == PPM_AF_INET6) {
		struct sockaddr_in6 in6 = {};
		bpf_probe_read_user(&in6, sizeof in6, uaddr);
		__u16 port = bpf_ntohs(in6.sin6_port);
		d[0] = PPM_AF_INET6;
		__builtin_memcpy(d + 1, &in6.sin6_addr, 16);
		__builtin_memcpy(d + 17, &port, 2);
		set_len(s, 19);
	} else if (family == PPM_AF_UNIX) {
		const char *path = (const char *)uaddr + 2;
		char first = 0;
		bpf_probe_read_user(&first, 1, path);
		if (first == 0 && addrlen > 3)
			path++; /* abstract name: skip the leading NUL */
		d[0] = PPM_AF_UNIX;
		long n = bpf_probe_read_user_str(d + 1, 108, path);
		set_len(s, n > 0 ? (__u16)(n + 1) : 2);
		if (n <= 0)
			d[1] = 0;
	} else {
		set_len(s, 0);
	}
}

/* The connection of socket `fd` as the kernel sees it: local end first, or
 * the remote end first when `inbound` (accept, recv*). `uaddr` stands in
 * for the remote end of an unconnected socket (sendto). */
static __always_inline void push_tuple(struct scratch *s, struct task_struct *t, long fd, bool inbound,
				       const void *uaddr, __u32 addrlen)
{
	struct file *f = fd_file(t, fd);
	struct socket *sock = f ? (struct socket *)BPF_CORE_READ(f, private_data) : NULL;
	struct sock *sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	if (!sk) {
		set_len(s, 0);
		return;
	}
	__u8 *d = &s->buf[s->pos & MASK];
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family == PPM_AF_INET || family == PPM_AF_INET6) {
		__u8 lip[16] = {}, rip[16] = {};
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		if (family == PPM_AF_INET) {
			__u32 l4 = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
			__u32 r4 = BPF_CORE_READ(sk, __sk_common.skc_daddr);
			__builtin_memcpy(lip, &l4, 4);
			__builtin_memcpy(rip, &r4, 4);
		} else {
			struct in6_addr l6 = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
			struct in6_addr r6 = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
			__builtin_memcpy(lip, &l6, 16);
			__builtin_memcpy(rip, &r6, 16);
		}
		if (rport == 0 && uaddr && addrlen >= 2) {
			/* unconnected: the destination the process named */
			__u16 ufam = 0;
			bpf_probe_read_user(&ufam, 2, uaddr);
			if (ufam == PPM_AF_INET && family == PPM_AF_INET) {
				struct sockaddr_in in = {};
				bpf_probe_read_user(&in, sizeof in, uaddr);
				__builtin_memcpy(rip, &in.sin_addr.s_addr, 4);
				rport = bpf_ntohs(in.sin_port);
			} else if (ufam == PPM_AF_INET6 && family == PPM_AF_INET6) {
				struct sockaddr_in6 in6 = {};
				bpf_probe_read_user(&in6, sizeof in6, uaddr);
				__builtin_memcpy(rip, &in6.sin6_addr, 16);
				rport = bpf_ntohs(in6.sin6_port);
			}
		}
		d[0] = (__u8)family;
		if (family == PPM_AF_INET) {
			__builtin_memcpy(d + 1, inbound ? rip : lip, 4);
			__builtin_memcpy(d + 5, inbound ? &rport : &lport, 2);
			__builtin_memcpy(d + 7, inbound ? lip : rip, 4);
			__builtin_memcpy(d + 11, inbound ? &lport : &rport, 2);
			set_len(s, 13);
		} else {
			__builtin_memcpy(d + 1, inbound ? rip : lip, 16);
			__builtin_memcpy(d + 17, inbound ? &rport : &lport, 2);
			__builtin_memcpy(d + 19, inbound ? lip : rip, 16);
			__builtin_memcpy(d + 35, inbound ? &lport : &rport, 2);
			set_len(s, 37);
		}
	} else if (family == PPM_AF_UNIX) {
		struct unix_sock *us = (struct unix_sock *)sk;
		struct sock *peer = BPF_CORE_READ(us, peer);
		__u64 src = (__u64)sk, dst = (__u64)peer;
		d[0] = PPM_AF_UNIX;
		__builtin_memcpy(d + 1, &src, 8);
		__builtin_memcpy(d + 9, &dst, 8);
		long n = -1;
		if (peer) {
			struct unix_address *ua = BPF_CORE_READ((struct unix_sock *)peer, addr);
			if (ua)
				n = bpf_probe_read_kernel_str(d + 17, 108, &ua->name[0].sun_path[0]);
		}
		if (n <= 0) {
			d[17] = 0;
			n = 1;
		}
		set_len(s, (__u16)(17 + n));
	} else {
		set_len(s, 0);
	}
}

/* Bytes of argv (all of it, or without argv[0]) or environment. */
static __always_inline __u32 push_exe_and_args(struct scratch *s, struct mm_struct *mm)
{
	__u64 start = BPF_CORE_READ(mm, arg_start), end = BPF_CORE_READ(mm, arg_end);
	long n = bpf_probe_read_user_str(&s->buf[s->pos & MASK], HRP_STR_MAX, (void *)start);
	if (n <= 0 || start + n > end) {
		set_len(s, 0);
		push_empty(s);
		return 0;
	}
	set_len(s, (__u16)n);
	push_user_bytes(s, (void *)(start + n), end - start - n, HRP_ARGS_MAX);
	return 1;
}

static __always_inline void push_env(struct scratch *s, struct mm_struct *mm)
{
	__u64 start = BPF_CORE_READ(mm, env_start), end = BPF_CORE_READ(mm, env_end);
	push_user_bytes(s, (void *)start, end > start ? end - start : 0, HRP_ARGS_MAX);
}

/* The thread's counters and sizes shared by execve and clone events. */
static __always_inline void push_fdlimit_to_vm(struct scratch *s, struct task_struct *t, struct mm_struct *mm)
{
	push_u64(s, BPF_CORE_READ(t, signal, rlim[7 /* RLIMIT_NOFILE */].rlim_cur));
	push_u64(s, BPF_CORE_READ(t, maj_flt));
	push_u64(s, BPF_CORE_READ(t, min_flt));
	__u64 total_vm = mm ? BPF_CORE_READ(mm, total_vm) : 0;
	__s64 file = 0, anon = 0, swap = 0, shmem = 0;
	if (mm) {
		file = BPF_CORE_READ(mm, rss_stat[MM_FILEPAGES].count);
		anon = BPF_CORE_READ(mm, rss_stat[MM_ANONPAGES].count);
		swap = BPF_CORE_READ(mm, rss_stat[MM_SWAPENTS].count);
		shmem = BPF_CORE_READ(mm, rss_stat[MM_SHMEMPAGES].count);
	}
	__s64 rss = file + anon + shmem;
	push_u32(s, (__u32)(total_vm << 2)); /* pages of 4 KiB, in KiB */
	push_u32(s, rss > 0 ? (__u32)(rss << 2) : 0);
	push_u32(s, swap > 0 ? (__u32)(swap << 2) : 0);
}

/* The number of pid `p` in the namespace at `level` (0 = the host's), 0
 * when it has none there. */
static __always_inline __s64 pid_nr_at(struct pid *p, __u32 level)
{
	if (!p || BPF_CORE_READ(p, level) < level)
		return 0;
	return BPF_CORE_READ(p, numbers[level & 31].nr);
}

/* The pid namespace level of task `t` (0 on the host). */
static __always_inline __u32 task_ns_level(struct task_struct *t)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	return p ? BPF_CORE_READ(p, level) : 0;
}

/* Start time (ns since boot) of the init process of `t`'s pid namespace. */
static __always_inline __u64 pidns_init_start(struct task_struct *t)
{
	struct pid *p = BPF_CORE_READ(t, thread_pid);
	if (!p)
		return 0;
	__u32 level = BPF_CORE_READ(p, level);
	struct pid_namespace *ns = BPF_CORE_READ(p, numbers[level & 31].ns);
	return ns ? BPF_CORE_READ(ns, child_reaper, start_time) : 0;
}

/* Copies the path assembled in s->path from `end` into the event as a
 * NUL-terminated string ("/" when no component was added). */
static __always_inline void push_assembled_path(struct scratch *s, __u32 end)
{
	__u32 base = s->pos & MASK;
	__u32 n = PATH_AREA - end;
	if (n == 0 || n >= PATH_AREA) {
		s->buf[base] = '/';
		s->buf[(base + 1) & (2 * HRP_EVENT_MAX - 1)] = 0;
		set_len(s, 2);
		return;
	}
	barrier_var(n); /* keep the mask below: the verifier needs it */
	n &= PATH_AREA - 1;
	bpf_probe_read_kernel(&s->buf[base], n, &s->path[end & (PATH_AREA - 1)]);
	s->buf[base + n] = 0;
	set_len(s, (__u16)(n + 1));
}

/* Puts "/" + `len` bytes of `name` (kernel memory) in front of the path
 * assembled so far (from s->path_end); false when the area is full. */
static __always_inline bool path_prepend(struct scratch *s, const void *name, __u32 len)
{
	__u32 end = s->path_end;
	if (len >= NAME_MAX_LEN || end < len + 2)
		return false;
	end -= len;
	bpf_probe_read_kernel(&s->path[end & (PATH_AREA - 1)], len & (NAME_MAX_LEN - 1), name);
	end -= 1;
	s->path[end & (PATH_AREA - 1)] = '/';
	s->path_end = end;
	return true;
}

/* One step of the walk from a dentry up to the root (a bpf_loop callback:
 * the verifier checks its body once instead of once per iteration). */
struct dentry_walk {
	struct scratch *s;
	struct dentry *d;
	struct vfsmount *vm;
	struct mount *mnt;
};

static long dentry_step(__u64 i, void *ctx)
{
	/* (the walk's own struct is not a kernel type: copy its members out
	 * before CO-RE reads, which relocate every access in their argument) */
	struct dentry_walk *w = ctx;
	struct dentry *d = w->d;
	struct vfsmount *vm = w->vm;
	struct mount *mnt = w->mnt;
	struct dentry *root = BPF_CORE_READ(vm, mnt_root);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if (d == root) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
		if (!up || up == mnt)
			return 1; /* the root of the initial mount namespace */
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		w->vm = &up->mnt;
		return 0;
	}
	if (!parent)
		return 1;
	/* an unlinked dentry (memfd, deleted file) is its own parent: its name
	 * is all the path there is, as d_path shows it */
	if (!path_prepend(w->s, BPF_CORE_READ(d, d_name.name), BPF_CORE_READ(d, d_name.len)) ||
	    d == parent)
		return 1;
	w->d = parent;
	return 0;
}

/* The absolute path of (dentry, vfsmount) as d_path gives it from the
 * initial root, crossing mount points; empty when unknown. */
static __always_inline void push_dentry_path(struct scratch *s, struct dentry *d, struct vfsmount *vm)
{
	if (!d || !vm) {
		push_empty(s);
		return;
	}
	struct dentry_walk w = {s, d, vm, container_of(vm, struct mount, mnt)};
	s->path_end = PATH_AREA;
	bpf_loop(PATH_DEPTH, dentry_step, &w, 0);
	push_assembled_path(s, s->path_end);
}

/* kernfs_node's parent was renamed __parent in 6.15. */
struct kernfs_node___new {
	struct kernfs_node *__parent;
} __attribute__((preserve_access_index));
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(((struct kernfs_node___new *)0)->__parent))
		return BPF_CORE_READ((struct kernfs_node___new *)kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

#define CGROUPS_MAX 3072 /* bytes of "controller=path" items kept */

/* A cgroup's path from the root of its hierarchy, one kernfs node per
 * step (a bpf_loop callback). */
struct kernfs_walk {
	struct scratch *s;
	struct kernfs_node *kn;
};

static long kernfs_step(__u64 i, void *ctx)
{
	struct kernfs_walk *w = ctx;
	struct kernfs_node *kn = w->kn;
	struct kernfs_node *up = kn ? kn_parent(kn) : NULL;
	if (!up)
		return 1; /* the hierarchy's root */
	long l = bpf_probe_read_kernel_str(w->s->name, NAME_MAX_LEN, BPF_CORE_READ(kn, name));
	if (l <= 1 || !path_prepend(w->s, w->s->name, (__u32)l - 1))
		return 1;
	w->kn = up;
	return 0;
}

/* One controller's "controller=path" item (a bpf_loop callback over the
 * controllers). */
struct cgroups_walk {
	struct scratch *s;
	struct css_set *cs;
	__u32 base, off;
};

static long cgroup_item(__u64 i, void *ctx)
{
	struct cgroups_walk *w = ctx;
	struct scratch *s = w->s;
	struct css_set *cs = w->cs;
	struct cgroup_subsys_state *css = BPF_CORE_READ(cs, subsys[i & 15]);
	if (!css || w->off > CGROUPS_MAX)
		return 0;
	__u32 base = w->base & MASK, off = w->off;
	const char *ctrl = BPF_CORE_READ(css, ss, legacy_name);
	long n = bpf_probe_read_kernel_str(&s->buf[base + (off & 4095)], 64, ctrl);
	if (n <= 1)
		return 0;
	__u32 at = off + (__u32)n; /* past the controller's NUL, which becomes '=' */
	s->buf[base + ((at - 1) & 4095)] = '=';
	struct kernfs_walk k = {s, BPF_CORE_READ(css, cgroup, kn)};
	s->path_end = PATH_AREA;
	bpf_loop(PATH_DEPTH, kernfs_step, &k, 0);
	__u32 path_end = s->path_end;
	__u32 plen = PATH_AREA - path_end;
	if (plen == 0 || plen >= 1024) {
		s->buf[base + (at & 4095)] = '/';
		plen = 1;
	} else {
		barrier_var(plen);
		plen &= 1023;
		bpf_probe_read_kernel(&s->buf[base + (at & 4095)], plen, &s->path[path_end & (PATH_AREA - 1)]);
	}
	at += plen;
	s->buf[base + (at & 4095)] = 0;
	w->off = at + 1;
	return 0;
}

/* The task's cgroups as scap carries them: "controller=path\0" for every
 * controller (v1 names, as /proc/PID/cgroup shows them), path from the
 * root of its hierarchy. */
static __always_inline void push_cgroups(struct scratch *s, struct task_struct *t)
{
	struct cgroups_walk w = {s, BPF_CORE_READ(t, cgroups), s->pos, 0};
	if (w.cs)
		bpf_loop(CGROUP_SUBSYS_COUNT < 16 ? CGROUP_SUBSYS_COUNT : 16, cgroup_item, &w, 0);
	set_len(s, (__u16)(w.off & 0xffff));
}

/* PPM_EXE_* flags of the executable `f` run by task `t`. */
static __always_inline __u32 exe_flags(struct task_struct *t, struct file *f)
{
	if (!f)
		return 0;
	__u32 flags = 0;
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	struct dentry *d = BPF_CORE_READ(f, f_path.dentry);
	/* writable by the task: the owner, or mode bits for its group or others
	 * (no supplementary groups or ACLs), or root; never on a read-only
	 * mount or an immutable file */
	__u16 mode = BPF_CORE_READ(ino, i_mode);
	__u32 uid = BPF_CORE_READ(ino, i_uid.val), gid = BPF_CORE_READ(ino, i_gid.val);
	__u32 fsuid = BPF_CORE_READ(t, cred, fsuid.val), fsgid = BPF_CORE_READ(t, cred, fsgid.val);
	bool ro = (BPF_CORE_READ(ino, i_sb, s_flags) & 1 /* SB_RDONLY */) ||
		  (BPF_CORE_READ(ino, i_flags) & 8 /* S_IMMUTABLE */);
	bool w = fsuid == uid || fsuid == 0 || (fsgid == gid ? (mode & 0020) : (mode & 0002));
	if (!ro && w)
		flags |= 1; /* PPM_EXE_WRITABLE */
	if (BPF_CORE_READ(d, d_sb, s_magic) == 0x794c7630 /* OVERLAYFS_SUPER_MAGIC */) {
		struct ovl_inode *oi = container_of(BPF_CORE_READ(d, d_inode), struct ovl_inode, vfs_inode);
		flags |= BPF_CORE_READ(oi, __upperdentry) ? 2 /* PPM_EXE_UPPER_LAYER */ : 8 /* PPM_EXE_LOWER_LAYER */;
	}
	/* memfd_create's files are unlinked dentries named "memfd:..." */
	if (d == BPF_CORE_READ(d, d_parent)) {
		char prefix[7] = {};
		bpf_probe_read_kernel(prefix, 6, BPF_CORE_READ(d, d_name.name));
		if (prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' && prefix[3] == 'f' && prefix[4] == 'd' &&
		    prefix[5] == ':')
			flags |= 4; /* PPM_EXE_FROM_MEMFD */
	}
	return flags;
}

/* ---- process events ---- */

/* clone/fork/vfork/clone3 exit, in the parent (res = child) and the child (res = 0). */
static __always_inline int on_clone_exit(struct task_struct *t, __u16 type, long ret, __u32 flags)
{
	struct scratch *s = event_begin(type, 21);
	if (!s)
		return 0;
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	push_u64(s, ret);
	if (mm)
		push_exe_and_args(s, mm);
	else {
		push_empty(s);
		push_empty(s);
	}
	push_u64(s, BPF_CORE_READ(t, pid));
	push_u64(s, BPF_CORE_READ(t, tgid));
	push_u64(s, BPF_CORE_READ(t, real_parent, pid));
	push_dentry_path(s, BPF_CORE_READ(t, fs, pwd.dentry), BPF_CORE_READ(t, fs, pwd.mnt));
	push_fdlimit_to_vm(s, t, mm);
	push_kernel_str(s, &t->comm[0]);
	push_cgroups(s, t);
	push_u32(s, flags);
	push_u32(s, BPF_CORE_READ(t, cred, euid.val));
	push_u32(s, BPF_CORE_READ(t, cred, egid.val));
	__u32 level = task_ns_level(t);
	push_u64(s, pid_nr_at(BPF_CORE_READ(t, thread_pid), level));
	push_u64(s, pid_nr_at(BPF_CORE_READ(t, signal, pids[PIDTYPE_TGID]), level));
	push_u64(s, ret == 0 ? pidns_init_start(t) : 0);
	return event_submit(s);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(hr_sched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	if (own_tgid && p->tgid == own_tgid)
		return 0;
	if (!interesting[HRP_NR_execve] && !interesting[HRP_NR_execveat])
		return 0;
	struct task_struct *t = p;
	struct scratch *s = event_begin(HRP_EXECVE_19_X, 31);
	if (!s)
		return 0;
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	push_u64(s, 0);
	push_exe_and_args(s, mm);
	push_u64(s, BPF_CORE_READ(t, pid));
	push_u64(s, BPF_CORE_READ(t, tgid));
	push_u64(s, BPF_CORE_READ(t, real_parent, pid));
	push_dentry_path(s, BPF_CORE_READ(t, fs, pwd.dentry), BPF_CORE_READ(t, fs, pwd.mnt));
	push_fdlimit_to_vm(s, t, mm);
	push_kernel_str(s, &t->comm[0]);
	push_cgroups(s, t);
	push_env(s, mm);
	__u32 tty = 0;
	struct tty_struct *tt = BPF_CORE_READ(t, signal, tty);
	if (tt) {
		__u32 major = BPF_CORE_READ(tt, driver, major);
		__u32 minor = BPF_CORE_READ(tt, driver, minor_start) + BPF_CORE_READ(tt, index);
		tty = encode_dev((major << 20) | minor);
	}
	push_u32(s, tty);
	struct pid *pgrp = BPF_CORE_READ(t, signal, pids[PIDTYPE_PGID]);
	__s64 pgid = pid_nr_at(pgrp, 0);
	push_u64(s, pid_nr_at(pgrp, task_ns_level(t)));
	push_u32(s, BPF_CORE_READ(t, loginuid.val));
	struct file *exe = BPF_CORE_READ(mm, exe_file);
	push_u32(s, exe_flags(t, exe));
	push_u64(s, BPF_CORE_READ(t, cred, cap_inheritable.val));
	push_u64(s, BPF_CORE_READ(t, cred, cap_permitted.val));
	push_u64(s, BPF_CORE_READ(t, cred, cap_effective.val));
	struct inode *ino = exe ? BPF_CORE_READ(exe, f_inode) : NULL;
	push_u64(s, ino ? BPF_CORE_READ(ino, i_ino) : 0);
	__u64 ctime = 0, mtime = 0;
	if (ino) {
		ctime = BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ull + BPF_CORE_READ(ino, i_ctime_nsec);
		mtime = BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ull + BPF_CORE_READ(ino, i_mtime_nsec);
	}
	push_u64(s, ctime);
	push_u64(s, mtime);
	push_u32(s, BPF_CORE_READ(t, cred, euid.val));
	push_dentry_path(s, exe ? BPF_CORE_READ(exe, f_path.dentry) : NULL, exe ? BPF_CORE_READ(exe, f_path.mnt) : NULL);
	push_u64(s, pgid);
	push_u32(s, BPF_CORE_READ(t, cred, egid.val));
	push_kernel_str(s, BPF_CORE_READ(bprm, filename));
	return event_submit(s);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(hr_sched_exit, struct task_struct *p)
{
	if (own_tgid && p->tgid == own_tgid)
		return 0;
	struct scratch *s = event_begin(HRP_PROCEXIT_1_E, 5);
	if (!s)
		return 0;
	__s64 code = BPF_CORE_READ(p, exit_code);
	if (BPF_CORE_READ(p, signal, flags) & 0x4 /* SIGNAL_GROUP_EXIT */)
		code = BPF_CORE_READ(p, signal, group_exit_code);
	push_u64(s, code);
	push_u64(s, (code >> 8) & 0xff);
	push_u8(s, code & 0x7f);
	push_u8(s, (code & 0x80) ? 1 : 0);
	push_u64(s, 0); /* reaper_tid: unknown */
	return event_submit(s);
}

/* ---- syscall exits ---- */

struct args {
	unsigned long a[6];
};

static __always_inline int open_like(struct task_struct *t, __u16 type, long ret, long dirfd, const void *path,
				     __u32 flags, __u32 mode, __u64 resolve)
{
	int n = type == HRP_OPENAT2_X ? 8 : type == HRP_OPENAT_2_X ? 7 : 6;
	struct scratch *s = event_begin(type, n);
	if (!s)
		return 0;
	push_u64(s, ret);
	if (type != HRP_OPEN_X && type != HRP_CREAT_X)
		push_u64(s, dirfd);
	push_user_str(s, path);
	if (type != HRP_CREAT_X)
		push_u32(s, flags);
	push_u32(s, mode);
	if (type == HRP_OPENAT2_X)
		push_u32(s, (__u32)resolve);
	push_dev_ino(s, t, ret);
	if (type == HRP_CREAT_X)
		push_u16(s, 0);
	return event_submit(s);
}

/* res plus one path (unlink, mkdir, chmod...). */
static __always_inline struct scratch *res_path(__u16 type, __u32 n, long ret, const void *path)
{
	struct scratch *s = event_begin(type, n);
	if (!s)
		return NULL;
	push_u64(s, ret);
	push_user_str(s, path);
	return s;
}

static __always_inline int io_event(__u16 type, long ret, struct args *a)
{
	struct scratch *s = event_begin(type, 4);
	if (!s)
		return 0;
	push_u64(s, ret);
	push_user_bytes(s, (void *)a->a[1], ret > 0 ? ret : 0, snaplen);
	push_u64(s, a->a[0]);
	push_u32(s, (__u32)a->a[2]);
	return event_submit(s);
}

static __always_inline int accept_event(struct task_struct *t, __u16 type, long ret, struct args *a)
{
	struct scratch *s = event_begin(type, type == HRP_ACCEPT4_6_X ? 6 : 5);
	if (!s)
		return 0;
	push_u64(s, ret);
	push_tuple(s, t, ret, true, NULL, 0);
	/* the listening socket's backlog */
	__u32 qlen = 0, qmax = 0;
	struct file *lf = fd_file(t, a->a[0]);
	struct socket *ls = lf ? (struct socket *)BPF_CORE_READ(lf, private_data) : NULL;
	struct sock *lsk = ls ? BPF_CORE_READ(ls, sk) : NULL;
	if (lsk) {
		qlen = BPF_CORE_READ(lsk, sk_ack_backlog);
		qmax = BPF_CORE_READ(lsk, sk_max_ack_backlog);
	}
	push_u8(s, qmax ? (__u8)(qlen * 100 / qmax) : 0);
	push_u32(s, qlen);
	push_u32(s, qmax);
	if (type == HRP_ACCEPT4_6_X)
		push_u32(s, (__u32)a->a[3]);
	return event_submit(s);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(hr_sys_exit, struct pt_regs *regs, long ret)
{
	long nr = regs->orig_ax;
	if (nr < 0 || nr >= HRP_SYSCALL_SLOTS || !interesting[nr & (HRP_SYSCALL_SLOTS - 1)])
		return 0;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (own_tgid && (pid_tgid >> 32) == own_tgid)
		return 0;
	struct task_struct *t = bpf_get_current_task_btf();
	struct args a = {{regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9}};
	struct scratch *s;

	if (interesting[nr & (HRP_SYSCALL_SLOTS - 1)] == HRP_GENERIC) {
		if (!(s = event_begin(HRP_GENERIC_X, 2)))
			return 0;
		push_u16(s, 0); /* the PPM_SC code: the loader maps the number */
		push_u16(s, (__u16)nr);
		return event_submit(s);
	}
	/* Syscalls sharing a big event builder: each builder is expanded once
	 * (the verifier's work, hence the start-up time, grows with copies). */
	if (nr == HRP_NR_open || nr == HRP_NR_creat || nr == HRP_NR_openat || nr == HRP_NR_openat2) {
		struct open_how how = {};
		if (nr == HRP_NR_openat2)
			bpf_probe_read_user(&how, sizeof how, (void *)a.a[2]);
		else if (nr == HRP_NR_openat)
			how = (struct open_how){.flags = a.a[2], .mode = a.a[3]};
		else if (nr == HRP_NR_open)
			how = (struct open_how){.flags = a.a[1], .mode = a.a[2]};
		else
			how.mode = a.a[1];
		bool at = nr == HRP_NR_openat || nr == HRP_NR_openat2;
		__u16 type = nr == HRP_NR_open ? HRP_OPEN_X : nr == HRP_NR_creat ? HRP_CREAT_X
				: nr == HRP_NR_openat ? HRP_OPENAT_2_X : HRP_OPENAT2_X;
		return open_like(t, type, ret, at ? (int)a.a[0] : 0, (void *)(at ? a.a[1] : a.a[0]), how.flags, how.mode,
				 how.resolve);
	}
	if (nr == HRP_NR_clone || nr == HRP_NR_fork || nr == HRP_NR_vfork || nr == HRP_NR_clone3) {
		__u64 flags = 0;
		__u16 type = HRP_CLONE_20_X;
		if (nr == HRP_NR_clone) {
			flags = a.a[0];
		} else if (nr == HRP_NR_fork) {
			type = HRP_FORK_20_X;
		} else if (nr == HRP_NR_vfork) {
			type = HRP_VFORK_20_X;
			flags = 0x4000 /* CLONE_VFORK */ | 0x100 /* CLONE_VM */;
		} else {
			type = HRP_CLONE3_X;
			bpf_probe_read_user(&flags, 8, (void *)a.a[0]);
		}
		return on_clone_exit(t, type, ret, (__u32)flags);
	}
	if (nr == HRP_NR_accept || nr == HRP_NR_accept4)
		return accept_event(t, nr == HRP_NR_accept ? HRP_ACCEPT_5_X : HRP_ACCEPT4_6_X, ret, &a);

	switch (nr) {
	case HRP_NR_close:
		if (!(s = event_begin(HRP_CLOSE_X, 2)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		return event_submit(s);
	case HRP_NR_read:
		return io_event(HRP_READ_X, ret, &a);
	case HRP_NR_write:
		return io_event(HRP_WRITE_X, ret, &a);
	case HRP_NR_dup:
		if (!(s = event_begin(HRP_DUP_1_X, 2)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		return event_submit(s);
	case HRP_NR_dup2:
	case HRP_NR_dup3:
		if (!(s = event_begin(nr == HRP_NR_dup2 ? HRP_DUP2_X : HRP_DUP3_X, nr == HRP_NR_dup2 ? 3 : 4)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		push_u64(s, (int)a.a[1]);
		if (nr == HRP_NR_dup3)
			push_u32(s, (__u32)a.a[2]);
		return event_submit(s);
	case HRP_NR_pipe2: {
		int fds[2] = {-1, -1};
		if (ret == 0)
			bpf_probe_read_user(fds, sizeof fds, (void *)a.a[0]);
		if (!(s = event_begin(HRP_PIPE2_X, 5)))
			return 0;
		push_u64(s, ret);
		push_u64(s, fds[0]);
		push_u64(s, fds[1]);
		struct file *f = fd_file(t, fds[0]);
		push_u64(s, f ? BPF_CORE_READ(f, f_inode, i_ino) : 0);
		push_u32(s, (__u32)a.a[1]);
		return event_submit(s);
	}
	case HRP_NR_socket:
		if (!(s = event_begin(HRP_SOCKET_X, 5)))
			return 0;
		push_u64(s, ret);
		push_u32(s, (__u32)a.a[0]);
		push_u32(s, (__u32)a.a[1]);
		push_u32(s, (__u32)a.a[2]);
		push_u32(s, 0);
		return event_submit(s);
	case HRP_NR_connect:
		if (!(s = event_begin(HRP_CONNECT_X, 4)))
			return 0;
		push_u64(s, ret);
		push_tuple(s, t, (int)a.a[0], false, NULL, 0);
		push_u64(s, (int)a.a[0]);
		push_sockaddr(s, (void *)a.a[1], (__u32)a.a[2]);
		return event_submit(s);
	case HRP_NR_bind:
		if (!(s = event_begin(HRP_BIND_X, 3)))
			return 0;
		push_u64(s, ret);
		push_sockaddr(s, (void *)a.a[1], (__u32)a.a[2]);
		push_u64(s, (int)a.a[0]);
		return event_submit(s);
	case HRP_NR_listen:
		if (!(s = event_begin(HRP_LISTEN_X, 3)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		push_u32(s, (__u32)a.a[1]);
		return event_submit(s);
	case HRP_NR_sendto:
		if (!(s = event_begin(HRP_SENDTO_X, 5)))
			return 0;
		push_u64(s, ret);
		push_user_bytes(s, (void *)a.a[1], ret > 0 ? ret : 0, snaplen);
		push_u64(s, (int)a.a[0]);
		push_u32(s, (__u32)a.a[2]);
		push_tuple(s, t, (int)a.a[0], false, (void *)a.a[4], (__u32)a.a[5]);
		return event_submit(s);
	case HRP_NR_recvfrom:
		if (!(s = event_begin(HRP_RECVFROM_X, 5)))
			return 0;
		push_u64(s, ret);
		push_user_bytes(s, (void *)a.a[1], ret > 0 ? ret : 0, snaplen);
		/* unconnected: the sender, as the kernel wrote it to src_addr */
		push_tuple(s, t, (int)a.a[0], true, (void *)a.a[4], a.a[4] ? sizeof(struct sockaddr_in6) : 0);
		push_u64(s, (int)a.a[0]);
		push_u32(s, (__u32)a.a[2]);
		return event_submit(s);
	case HRP_NR_execve:
	case HRP_NR_execveat:
		/* successful execs come from sched_process_exec */
		if (ret >= 0)
			return 0;
		if (!(s = event_begin(nr == HRP_NR_execve ? HRP_EXECVE_19_X : HRP_EXECVEAT_X,
				      nr == HRP_NR_execve ? 31 : 30)))
			return 0;
		push_u64(s, ret);
		for (int i = 1; i < 30; i++)
			push_empty(s);
		if (nr == HRP_NR_execve)
			push_user_str(s, (void *)a.a[0]);
		return event_submit(s);
	case HRP_NR_chdir:
		if (!(s = res_path(HRP_CHDIR_X, 2, ret, (void *)a.a[0])))
			return 0;
		return event_submit(s);
	case HRP_NR_fchdir:
		if (!(s = event_begin(HRP_FCHDIR_X, 2)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		return event_submit(s);
	case HRP_NR_unlink:
		if (!(s = res_path(HRP_UNLINK_2_X, 2, ret, (void *)a.a[0])))
			return 0;
		return event_submit(s);
	case HRP_NR_unlinkat:
		if (!(s = event_begin(HRP_UNLINKAT_2_X, 4)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		push_user_str(s, (void *)a.a[1]);
		push_u32(s, (__u32)a.a[2]);
		return event_submit(s);
	case HRP_NR_mkdir:
		if (!(s = res_path(HRP_MKDIR_2_X, 3, ret, (void *)a.a[0])))
			return 0;
		push_u32(s, (__u32)a.a[1]);
		return event_submit(s);
	case HRP_NR_mkdirat:
		if (!(s = event_begin(HRP_MKDIRAT_X, 4)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		push_user_str(s, (void *)a.a[1]);
		push_u32(s, (__u32)a.a[2]);
		return event_submit(s);
	case HRP_NR_rename:
	case HRP_NR_symlink:
	case HRP_NR_link:
		if (!(s = event_begin(nr == HRP_NR_rename ? HRP_RENAME_X : nr == HRP_NR_link ? HRP_LINK_2_X : HRP_SYMLINK_X, 3)))
			return 0;
		push_u64(s, ret);
		push_user_str(s, (void *)a.a[0]);
		push_user_str(s, (void *)a.a[1]);
		return event_submit(s);
	case HRP_NR_renameat:
	case HRP_NR_renameat2:
	case HRP_NR_linkat: /* the same shape: res, olddir, oldpath, newdir, newpath[, flags] */
		if (!(s = event_begin(nr == HRP_NR_renameat ? HRP_RENAMEAT_X : nr == HRP_NR_linkat ? HRP_LINKAT_2_X
				      : HRP_RENAMEAT2_X, nr == HRP_NR_renameat ? 5 : 6)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		push_user_str(s, (void *)a.a[1]);
		push_u64(s, (int)a.a[2]);
		push_user_str(s, (void *)a.a[3]);
		if (nr != HRP_NR_renameat)
			push_u32(s, (__u32)a.a[4]);
		return event_submit(s);
	case HRP_NR_symlinkat:
		if (!(s = event_begin(HRP_SYMLINKAT_X, 4)))
			return 0;
		push_u64(s, ret);
		push_user_str(s, (void *)a.a[0]);
		push_u64(s, (int)a.a[1]);
		push_user_str(s, (void *)a.a[2]);
		return event_submit(s);
	case HRP_NR_chmod:
		if (!(s = res_path(HRP_CHMOD_X, 3, ret, (void *)a.a[0])))
			return 0;
		push_u32(s, (__u32)a.a[1]);
		return event_submit(s);
	case HRP_NR_fchmod:
		if (!(s = event_begin(HRP_FCHMOD_X, 3)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		push_u32(s, (__u32)a.a[1]);
		return event_submit(s);
	case HRP_NR_fchmodat:
		if (!(s = event_begin(HRP_FCHMODAT_X, 4)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		push_user_str(s, (void *)a.a[1]);
		push_u32(s, (__u32)a.a[2]);
		return event_submit(s);
	case HRP_NR_setuid:
	case HRP_NR_setgid:
		if (!(s = event_begin(nr == HRP_NR_setuid ? HRP_SETUID_X : HRP_SETGID_X, 2)))
			return 0;
		push_u64(s, ret);
		push_u32(s, (__u32)a.a[0]);
		return event_submit(s);
	case HRP_NR_setresuid:
	case HRP_NR_setresgid:
		if (!(s = event_begin(nr == HRP_NR_setresuid ? HRP_SETRESUID_X : HRP_SETRESGID_X, 4)))
			return 0;
		push_u64(s, ret);
		push_u32(s, (__u32)a.a[0]);
		push_u32(s, (__u32)a.a[1]);
		push_u32(s, (__u32)a.a[2]);
		return event_submit(s);
	case HRP_NR_ptrace:
		if (!(s = event_begin(HRP_PTRACE_X, 5)))
			return 0;
		push_u64(s, ret);
		/* addr and data as PT_DYN: index 0 = u64 */
		s->buf[s->pos & MASK] = 0;
		__builtin_memcpy(&s->buf[(s->pos + 1) & MASK], &a.a[2], 8);
		set_len(s, 9);
		s->buf[s->pos & MASK] = 0;
		__builtin_memcpy(&s->buf[(s->pos + 1) & MASK], &a.a[3], 8);
		set_len(s, 9);
		push_u16(s, (__u16)a.a[0]); /* Linux request; the loader maps it */
		push_u64(s, (int)a.a[1]);
		return event_submit(s);
	case HRP_NR_memfd_create:
		if (!(s = event_begin(HRP_MEMFD_CREATE_X, 3)))
			return 0;
		push_u64(s, ret);
		push_user_str(s, (void *)a.a[0]);
		push_u32(s, (__u32)a.a[1]);
		return event_submit(s);
	case HRP_NR_init_module:
		if (!(s = event_begin(HRP_INIT_MODULE_X, 4)))
			return 0;
		push_u64(s, ret);
		push_user_bytes(s, (void *)a.a[0], a.a[1], snaplen);
		push_u64(s, a.a[1]);
		push_user_str(s, (void *)a.a[2]);
		return event_submit(s);
	case HRP_NR_finit_module:
		if (!(s = event_begin(HRP_FINIT_MODULE_X, 4)))
			return 0;
		push_u64(s, ret);
		push_u64(s, (int)a.a[0]);
		push_user_str(s, (void *)a.a[1]);
		push_u32(s, (__u32)a.a[2]);
		return event_submit(s);
	}
	return 0;
}
