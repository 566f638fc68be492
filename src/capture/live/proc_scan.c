/*
 * Reads the running system's threads and open fds from /proc for the start
 * of a live capture, streaming them as capture records (proc_scan.h).
 */
#include "capture/live/proc_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "state/state.h"

/* PPM clone flags a listed non-main thread carries. */
enum { PPM_CL_CLONE_FILES = 1, PPM_CL_CLONE_THREAD = 8192 };
enum { L4_TCP = 2, L4_UDP = 3 };

#define TEXT_MAX 65536

/* One socket listed in /proc/net, keyed by inode. */
struct net_socket {
	uint64_t ino;
	uint8_t type; /* HR_FD_* */
	uint8_t l4proto;
	uint8_t sip[16], dip[16];
	uint16_t sport, dport;
	uint64_t unix_addr;
	char *path; /* unix sockets */
};

struct hr_proc_scan {
	char root[256];
	DIR *procs;
	DIR *tasks;       /* threads of the current process */
	DIR *fds;         /* fds of the current process, after its threads */
	int64_t pid;
	struct net_socket *socks;
	size_t nsocks, capsocks;
	/* the current record's strings */
	char comm[64], exe[4096], exepath[4096], cwd[4096], root_dir[4096], fdname[4096];
	char cgroups[8192];
	char *cmdline, *env;
};

uint32_t hr_linux_open_flags_to_ppm(uint32_t f)
{
	static const struct {
		uint32_t linux_bits, ppm;
	} bits[] = {
		{0100, 4},	  /* O_CREAT */
		{02000, 8},	  /* O_APPEND */
		{010000, 16},	  /* O_DSYNC */
		{0200, 32},	  /* O_EXCL */
		{04000, 64},	  /* O_NONBLOCK */
		{04000000, 128},  /* __O_SYNC */
		{01000, 256},	  /* O_TRUNC */
		{040000, 512},	  /* O_DIRECT */
		{0200000, 1024},  /* O_DIRECTORY */
		{0100000, 2048},  /* O_LARGEFILE */
		{02000000, 4096}, /* O_CLOEXEC */
	};
	uint32_t acc = f & 3;
	uint32_t r = acc == 0 ? 1 : acc == 1 ? 2 : acc == 2 ? 3 : 0;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if (f & bits[i].linux_bits)
			r |= bits[i].ppm;
	if ((f & 020200000) == 020200000) /* O_TMPFILE */
		r |= 8192;
	return r;
}

/* Reads a whole small file; returns its length or -1. */
static ssize_t read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = 0;
	while (n < cap) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	return (ssize_t)n;
}

static uint32_t read_link(const char *path, char *buf, size_t cap)
{
	ssize_t n = readlink(path, buf, cap - 1);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	return (uint32_t)n;
}

static void add_socket(struct hr_proc_scan *ps, const struct net_socket *s)
{
	if (ps->nsocks == ps->capsocks) {
		size_t cap = ps->capsocks ? ps->capsocks * 2 : 256;
		struct net_socket *n = realloc(ps->socks, cap * sizeof *n);
		if (!n)
			return;
		ps->socks = n;
		ps->capsocks = cap;
	}
	ps->socks[ps->nsocks++] = *s;
}

/* Hex address as printed by /proc/net/tcp*: 32-bit words of network-order
 * bytes printed as native integers. */
static void parse_hex_addr(const char *hex, size_t words, uint8_t *out)
{
	for (size_t w = 0; w < words; w++) {
		char part[9];
		memcpy(part, hex + 8 * w, 8);
		part[8] = 0;
		uint32_t v = (uint32_t)strtoul(part, NULL, 16);
		memcpy(out + 4 * w, &v, 4);
	}
}

static void load_inet(struct hr_proc_scan *ps, const char *file, bool v6, uint8_t l4proto)
{
	char path[512];
	snprintf(path, sizeof path, "%s/net/%s", ps->root, file);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char line[512];
	if (!fgets(line, sizeof line, f)) { /* header */
		fclose(f);
		return;
	}
	size_t alen = v6 ? 32 : 8;
	while (fgets(line, sizeof line, f)) {
		char local[40], remote[40];
		unsigned state;
		unsigned long long ino;
		if (sscanf(line, "%*d: %39s %39s %x %*s %*s %*s %*s %*s %llu", local, remote, &state, &ino) != 4)
			continue;
		if (strlen(local) != alen + 5 || strlen(remote) != alen + 5 || ino == 0)
			continue;
		struct net_socket s;
		memset(&s, 0, sizeof s);
		s.ino = ino;
		s.l4proto = l4proto;
		parse_hex_addr(local, alen / 8, s.sip);
		parse_hex_addr(remote, alen / 8, s.dip);
		s.sport = (uint16_t)strtoul(local + alen + 1, NULL, 16);
		s.dport = (uint16_t)strtoul(remote + alen + 1, NULL, 16);
		bool server = s.dport == 0;
		if (v6)
			s.type = server ? HR_FD_IPV6_SERVSOCK : HR_FD_IPV6_SOCK;
		else
			s.type = server ? HR_FD_IPV4_SERVSOCK : HR_FD_IPV4_SOCK;
		add_socket(ps, &s);
	}
	fclose(f);
}

static void load_unix(struct hr_proc_scan *ps)
{
	char path[512];
	snprintf(path, sizeof path, "%s/net/unix", ps->root);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char line[1024];
	if (!fgets(line, sizeof line, f)) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		unsigned long long addr, ino;
		int consumed = 0;
		if (sscanf(line, "%llx: %*s %*s %*s %*s %*s %llu%n", &addr, &ino, &consumed) != 2)
			continue;
		const char *p = line + consumed;
		while (*p == ' ')
			p++;
		struct net_socket s;
		memset(&s, 0, sizeof s);
		s.ino = ino;
		s.type = HR_FD_UNIX_SOCK;
		s.unix_addr = addr;
		size_t n = strcspn(p, "\n");
		s.path = strndup(p, n);
		add_socket(ps, &s);
	}
	fclose(f);
}

static int compare_socket(const void *a, const void *b)
{
	const struct net_socket *x = a, *y = b;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static const struct net_socket *find_socket(const struct hr_proc_scan *ps, uint64_t ino)
{
	struct net_socket key = {.ino = ino};
	return ps->nsocks ? bsearch(&key, ps->socks, ps->nsocks, sizeof key, compare_socket) : NULL;
}

struct hr_proc_scan *hr_proc_scan_open(const char *proc_root, char *err, size_t errlen)
{
	struct hr_proc_scan *ps = calloc(1, sizeof *ps);
	if (!ps) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(ps->root, sizeof ps->root, "%s", proc_root);
	ps->cmdline = malloc(TEXT_MAX + 1);
	ps->env = malloc(TEXT_MAX + 1);
	ps->procs = opendir(proc_root);
	if (!ps->cmdline || !ps->env || !ps->procs) {
		snprintf(err, errlen, "%s: %s", proc_root, strerror(errno));
		hr_proc_scan_close(ps);
		return NULL;
	}
	load_inet(ps, "tcp", false, L4_TCP);
	load_inet(ps, "udp", false, L4_UDP);
	load_inet(ps, "tcp6", true, L4_TCP);
	load_inet(ps, "udp6", true, L4_UDP);
	load_unix(ps);
	qsort(ps->socks, ps->nsocks, sizeof *ps->socks, compare_socket);
	return ps;
}

/* "Key:\tvalue" lines of /proc/PID/status. */
static const char *status_field(const char *status, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = status; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, kl) == 0 && p[kl] == ':')
			return p + kl + 1;
	return NULL;
}

static uint64_t status_u64(const char *status, const char *key, int base, unsigned column)
{
	const char *v = status_field(status, key);
	if (!v)
		return 0;
	char *end = (char *)v;
	uint64_t r = 0;
	for (unsigned i = 0; i <= column; i++) {
		r = strtoull(end, &end, base);
		if (!end)
			break;
	}
	return r;
}

/* The last number of a status line (the innermost pid namespace's view). */
static int64_t status_last(const char *status, const char *key)
{
	const char *v = status_field(status, key);
	if (!v)
		return -1;
	int64_t r = -1;
	char *end = (char *)v;
	for (;;) {
		char *next;
		long long x = strtoll(end, &next, 10);
		if (next == end)
			break;
		r = x;
		end = next;
	}
	return r;
}

/* Whether the thread (`uid`, `gid`) may write its executable `st` on a
 * mount that is not read-only: as the probe judges it (owner, root, or
 * the mode bits of its group or of others). */
static bool exe_writable(const struct stat *st, const char *exe, uint32_t uid, uint32_t gid)
{
	struct statvfs vfs;
	if (statvfs(exe, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		return false;
	if (st->st_uid == uid || uid == 0)
		return true;
	return st->st_gid == gid ? (st->st_mode & S_IWGRP) != 0 : (st->st_mode & S_IWOTH) != 0;
}

/* Fills a thread record for `tid` of process `pid`; false if it vanished. */
static bool read_thread(struct hr_proc_scan *ps, int64_t pid, int64_t tid, struct hr_record *rec)
{
	char dir[512], path[600], status[4096], statline[1024];
	snprintf(dir, sizeof dir, "%s/%" PRId64 "/task/%" PRId64, ps->root, pid, tid);
	snprintf(path, sizeof path, "%s/status", dir);
	ssize_t n = read_file(path, status, sizeof status - 1);
	if (n <= 0)
		return false;
	status[n] = 0;
	snprintf(path, sizeof path, "%s/stat", dir);
	n = read_file(path, statline, sizeof statline - 1);
	if (n <= 0)
		return false;
	statline[n] = 0;

	struct hr_proc_entry *p = &rec->u.thread;
	memset(rec, 0, sizeof *rec);
	rec->kind = HR_REC_THREAD;
	hr_proc_entry_init(p);
	p->tid = tid;
	p->pid = pid;
	p->ptid = (int64_t)status_u64(status, "PPid", 10, 0);
	p->vtid = status_last(status, "NSpid");
	p->vpid = status_last(status, "NStgid");
	p->uid = (uint32_t)status_u64(status, "Uid", 10, 1);
	p->gid = (uint32_t)status_u64(status, "Gid", 10, 1);
	p->vmsize_kb = (uint32_t)status_u64(status, "VmSize", 10, 0);
	p->vmrss_kb = (uint32_t)status_u64(status, "VmRSS", 10, 0);
	p->vmswap_kb = (uint32_t)status_u64(status, "VmSwap", 10, 0);
	p->has_caps = true;
	p->cap_inheritable = status_u64(status, "CapInh", 16, 0);
	p->cap_permitted = status_u64(status, "CapPrm", 16, 0);
	p->cap_effective = status_u64(status, "CapEff", 16, 0);
	if (tid != pid)
		p->flags = PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES;

	/* stat: after the ")" closing comm: state ppid pgrp session tty_nr ... */
	const char *rp = strrchr(statline, ')');
	if (rp) {
		long long pgrp = 0, session = 0, tty = 0;
		unsigned long long minflt = 0, majflt = 0;
		if (sscanf(rp + 2, "%*c %*d %lld %lld %lld %*d %*u %llu %*u %llu", &pgrp, &session, &tty, &minflt,
			   &majflt) == 5) {
			p->pgid = p->vpgid = pgrp;
			p->sid = session;
			p->tty = (uint32_t)tty;
			p->pfminor = minflt;
			p->pfmajor = majflt;
		}
	}

	snprintf(path, sizeof path, "%s/comm", dir);
	n = read_file(path, ps->comm, sizeof ps->comm - 1);
	n = n < 0 ? 0 : n;
	while (n > 0 && ps->comm[n - 1] == '\n')
		n--;
	ps->comm[n] = 0;
	p->comm = (struct hr_str){ps->comm, (uint32_t)n};

	/* argv[0] is exe, the rest args (each NUL-terminated) */
	snprintf(path, sizeof path, "%s/cmdline", dir);
	n = read_file(path, ps->cmdline, TEXT_MAX);
	n = n < 0 ? 0 : n;
	if (n > 0 && ps->cmdline[n - 1] != 0)
		ps->cmdline[n++] = 0;
	size_t exe_len = n > 0 ? strlen(ps->cmdline) : 0;
	if (n > 0) {
		snprintf(ps->exe, sizeof ps->exe, "%s", ps->cmdline);
		p->args = (struct hr_str){ps->cmdline + exe_len + 1, (uint32_t)(n - (ssize_t)exe_len - 1)};
	} else {
		snprintf(ps->exe, sizeof ps->exe, "%s", ps->comm); /* kernel threads */
	}
	p->exe = (struct hr_str){ps->exe, (uint32_t)strlen(ps->exe)};

	snprintf(path, sizeof path, "%s/exe", dir);
	uint32_t len = read_link(path, ps->exepath, sizeof ps->exepath);
	static const char deleted[] = " (deleted)";
	if (len > sizeof deleted - 1 && strcmp(ps->exepath + len - (sizeof deleted - 1), deleted) == 0)
		ps->exepath[len -= sizeof deleted - 1] = 0;
	p->exepath = (struct hr_str){ps->exepath, len};
	struct stat st;
	if (len && stat(path, &st) == 0) {
		p->exe_ino = st.st_ino;
		p->exe_ino_ctime = (uint64_t)st.st_ctim.tv_sec * 1000000000u + (uint64_t)st.st_ctim.tv_nsec;
		p->exe_ino_mtime = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
		p->exe_writable = exe_writable(&st, path, p->uid, p->gid);
	}
	p->exe_from_memfd = strncmp(ps->exepath, "/memfd:", 7) == 0;

	/* as scap: the pid namespace's init started when its /proc/1 appeared */
	snprintf(path, sizeof path, "%s/%" PRId64 "/root/proc/1/cmdline", ps->root, pid);
	if (stat(path, &st) == 0)
		p->pidns_init_start_ts = (uint64_t)st.st_ctim.tv_sec * 1000000000u + (uint64_t)st.st_ctim.tv_nsec;

	snprintf(path, sizeof path, "%s/cgroup", dir);
	char cgtext[4096];
	n = read_file(path, cgtext, sizeof cgtext - 1);
	if (n > 0) {
		cgtext[n] = 0;
		size_t used = hr_proc_cgroups_items(cgtext, ps->cgroups, sizeof ps->cgroups);
		p->cgroups = (struct hr_str){ps->cgroups, (uint32_t)used};
	}

	snprintf(path, sizeof path, "%s/cwd", dir);
	len = read_link(path, ps->cwd, sizeof ps->cwd);
	p->cwd = (struct hr_str){ps->cwd, len};
	snprintf(path, sizeof path, "%s/root", dir);
	len = read_link(path, ps->root_dir, sizeof ps->root_dir);
	p->root = (struct hr_str){ps->root_dir, len};

	snprintf(path, sizeof path, "%s/environ", dir);
	n = read_file(path, ps->env, TEXT_MAX);
	p->env = (struct hr_str){ps->env, n > 0 ? (uint32_t)n : 0};

	snprintf(path, sizeof path, "%s/loginuid", dir);
	char num[32];
	n = read_file(path, num, sizeof num - 1);
	if (n > 0) {
		num[n] = 0;
		p->loginuid = (uint32_t)strtoul(num, NULL, 10);
	}

	snprintf(path, sizeof path, "%s/limits", dir);
	char limits[4096];
	n = read_file(path, limits, sizeof limits - 1);
	if (n > 0) {
		limits[n] = 0;
		const char *l = strstr(limits, "Max open files");
		if (l)
			p->fdlimit = strtoull(l + strlen("Max open files"), NULL, 10);
	}
	return true;
}

static uint8_t anon_inode_type(const char *what)
{
	static const struct {
		const char *name;
		uint8_t type;
	} kinds[] = {
		{"[eventfd]", HR_FD_EVENT},	   {"[eventpoll]", HR_FD_EVENTPOLL}, {"inotify", HR_FD_INOTIFY},
		{"[timerfd]", HR_FD_TIMERFD},	   {"[signalfd]", HR_FD_SIGNALFD},   {"bpf", HR_FD_BPF},
		{"[userfaultfd]", HR_FD_USERFAULTFD}, {"[io_uring]", HR_FD_IOURING}, {"[pidfd]", HR_FD_PIDFD},
	};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strncmp(what, kinds[i].name, strlen(kinds[i].name)) == 0)
			return kinds[i].type;
	return HR_FD_UNSUPPORTED;
}

/* Fills an fd record for fd `name` of the current process; false to skip it. */
static bool read_fd(struct hr_proc_scan *ps, const char *name, struct hr_record *rec)
{
	char *end;
	long fdnum = strtol(name, &end, 10);
	if (*end || end == name)
		return false;
	char path[600];
	snprintf(path, sizeof path, "%s/%" PRId64 "/fd/%s", ps->root, ps->pid, name);
	uint32_t len = read_link(path, ps->fdname, sizeof ps->fdname);
	if (!len)
		return false;
	memset(rec, 0, sizeof *rec);
	rec->kind = HR_REC_FD;
	rec->u.fd.tid = ps->pid;
	struct hr_fd_entry *e = &rec->u.fd.entry;
	e->fd = fdnum;
	e->name = (struct hr_str){ps->fdname, len};
	unsigned long long ino = 0;
	if (sscanf(ps->fdname, "socket:[%llu]", &ino) == 1) {
		e->ino = ino;
		const struct net_socket *s = find_socket(ps, ino);
		if (!s) {
			e->type = HR_FD_UNSUPPORTED;
			return true;
		}
		e->type = s->type;
		e->l4proto = s->l4proto;
		memcpy(e->sip, s->sip, 16);
		memcpy(e->dip, s->dip, 16);
		e->sport = s->sport;
		e->dport = s->dport;
		if (s->type == HR_FD_UNIX_SOCK) {
			e->unix_source = s->unix_addr;
			snprintf(ps->fdname, sizeof ps->fdname, "%s", s->path);
			e->name = (struct hr_str){ps->fdname, (uint32_t)strlen(ps->fdname)};
		} else {
			e->name = (struct hr_str){"", 0};
		}
		return true;
	}
	if (sscanf(ps->fdname, "pipe:[%llu]", &ino) == 1) {
		e->type = HR_FD_FIFO;
		e->ino = ino;
		return true;
	}
	if (strncmp(ps->fdname, "anon_inode:", 11) == 0) {
		e->type = anon_inode_type(ps->fdname + 11);
		return true;
	}
	struct stat st;
	if (stat(path, &st) == 0) {
		e->ino = st.st_ino;
		e->dev = (uint32_t)st.st_dev;
		e->has_dev = true;
	}
	e->type = S_ISDIR(st.st_mode) ? HR_FD_DIRECTORY : HR_FD_FILE_V2;
	if (strncmp(ps->fdname, "/memfd:", 7) == 0)
		e->type = HR_FD_MEMFD;
	snprintf(path, sizeof path, "%s/%" PRId64 "/fdinfo/%s", ps->root, ps->pid, name);
	char info[512];
	ssize_t n = read_file(path, info, sizeof info - 1);
	if (n > 0) {
		info[n] = 0;
		const char *f = strstr(info, "flags:");
		if (f)
			e->open_flags = hr_linux_open_flags_to_ppm((uint32_t)strtoul(f + 6, NULL, 8));
	}
	return true;
}

bool hr_proc_scan_next(struct hr_proc_scan *ps, struct hr_record *rec)
{
	for (;;) {
		if (ps->tasks) {
			struct dirent *d = readdir(ps->tasks);
			if (!d) {
				closedir(ps->tasks);
				ps->tasks = NULL;
				char path[512];
				snprintf(path, sizeof path, "%s/%" PRId64 "/fd", ps->root, ps->pid);
				ps->fds = opendir(path);
				continue;
			}
			char *end;
			long long tid = strtoll(d->d_name, &end, 10);
			if (*end || end == d->d_name)
				continue;
			if (read_thread(ps, ps->pid, tid, rec))
				return true;
			continue;
		}
		if (ps->fds) {
			struct dirent *d = readdir(ps->fds);
			if (!d) {
				closedir(ps->fds);
				ps->fds = NULL;
				continue;
			}
			if (read_fd(ps, d->d_name, rec))
				return true;
			continue;
		}
		struct dirent *d = ps->procs ? readdir(ps->procs) : NULL;
		if (!d)
			return false;
		char *end;
		long long pid = strtoll(d->d_name, &end, 10);
		if (*end || end == d->d_name)
			continue;
		ps->pid = pid;
		char path[512];
		snprintf(path, sizeof path, "%s/%lld/task", ps->root, pid);
		ps->tasks = opendir(path);
	}
}

void hr_proc_scan_close(struct hr_proc_scan *ps)
{
	if (!ps)
		return;
	if (ps->procs)
		closedir(ps->procs);
	if (ps->tasks)
		closedir(ps->tasks);
	if (ps->fds)
		closedir(ps->fds);
	for (size_t i = 0; i < ps->nsocks; i++)
		free(ps->socks[i].path);
	free(ps->socks);
	free(ps->cmdline);
	free(ps->env);
	free(ps);
}
