/*
 * The live record source: loads and attaches the probe through its libbpf
 * skeleton, creates and maps one BPF ring per CPU, reads the rings itself
 * (peeking at each head, so that events are merged by timestamp), turns the
 * probe's raw values into scap encoding (epoch timestamps, PPM flags) and
 * hands out records as the file reader does.
 */
#include "capture/live/live_source.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "capture/live/host_users.h"
#include "capture/live/record_2022.h"
#include "capture/live/probe_shared.h"
#include "capture/live/proc_scan.h"
#include "probe.skel.h"
#include "probe_btf.h"

#define DEFAULT_SNAPLEN 80
#define DEFAULT_RING_BYTES (8u << 20)
#define LOG_TAIL 4096
#define HRP_LOG_LINES 12

/* BPF ring record header bits (include/uapi/linux/bpf.h). */
#define RING_BUSY (1u << 31)
#define RING_DISCARD (1u << 30)
#define RING_HDR 8

struct ring {
	int fd;
	unsigned long *consumer;  /* shared page, written by us */
	const unsigned long *producer;
	const uint8_t *data;      /* mapped twice in a row: records never wrap */
	size_t size;
	size_t page;
	unsigned long stop_at;    /* when stopping: the producer position at the stop, else 0 */
	/* The shared positions live on cache lines that the producing CPU
	 * also touches: our read position is published to *consumer only
	 * every PUBLISH_EVERY of the ring (or when it runs empty), and the
	 * producer position is re-read only once we have caught up with it. */
	unsigned long cons;       /* our read position */
	unsigned long published;  /* the last value stored in *consumer */
	unsigned long prod_seen;  /* the producer position last read */
};

/* Fraction of a ring read before the read position is published. */
#define PUBLISH_EVERY 8

enum phase { PH_SECTION, PH_MACHINE, PH_USERS, PH_SCAN, PH_EVENTS, PH_END };

struct live_source {
	struct hr_source base;
	struct hr_probe *skel;
	int min_btf_fd;           /* the probe's own BTF while it loads, else -1 */
	struct ring *rings;
	int nrings;
	struct hr_host_users users;
	struct hr_proc_scan *scan;
	enum phase phase;
	uint64_t boot_to_epoch_ns;
	uint64_t deadline_ns;     /* CLOCK_MONOTONIC, 0 = none */
	unsigned idle_us;         /* current back-off when the rings are empty */
	void (*on_idle)(void *ctx);
	void *idle_ctx;
	bool for_2022_recording;
	uint64_t events_out;      /* events handed out so far (evt.num) */
	bool draining;            /* stop seen: delivering what the rings held then */
	unsigned since_stop_check;
	bool exit_pending;        /* pending_exit (params in ls->event) follows the enter just handed out */
	struct hr_event pending_exit;
	uint8_t event[HRP_EVENT_MAX];
	uint8_t enter[HRP_EVENT_MAX];
	char error[256];
};

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* libbpf's messages, of which the last lines explain a refusal. */
static char log_tail[LOG_TAIL];
static size_t log_len;

static int collect_libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	/* the verifier's log arrives as one message of many lines: its end
	 * says why the probe was refused */
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	char *line = n > 0 ? malloc((size_t)n + 1) : NULL;
	if (!line) {
		va_end(again);
		return 0;
	}
	vsnprintf(line, (size_t)n + 1, fmt, again);
	va_end(again);
	size_t len = (size_t)n;
	const char *text = line;
	if (len >= LOG_TAIL) {
		text += len - (LOG_TAIL - 1);
		len = LOG_TAIL - 1;
	}
	if (log_len + len >= LOG_TAIL) { /* keep the newest text */
		size_t drop = log_len + len - (LOG_TAIL - 1);
		memmove(log_tail, log_tail + drop, log_len - drop);
		log_len -= drop;
	}
	memcpy(log_tail + log_len, text, len);
	log_len += len;
	log_tail[log_len] = 0;
	free(line);
	return 0;
}

/* The last `lines` lines of the libbpf log. */
static const char *log_last_lines(int lines)
{
	const char *p = log_tail + log_len;
	while (p > log_tail && (p[-1] == '\n'))
		p--;
	while (p > log_tail) {
		if (p[-1] == '\n' && --lines == 0)
			break;
		p--;
	}
	return p;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int fail(enum hr_live_status *status, enum hr_live_status why, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	*status = why;
	return -1;
}

static int map_ring(struct ring *r, int fd, size_t size)
{
	r->fd = fd;
	r->size = size;
	r->page = (size_t)sysconf(_SC_PAGESIZE);
	void *c = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (c == MAP_FAILED)
		return -1;
	void *p = mmap(NULL, r->page + 2 * size, PROT_READ, MAP_SHARED, fd, (off_t)r->page);
	if (p == MAP_FAILED) {
		munmap(c, r->page);
		return -1;
	}
	r->consumer = c;
	r->producer = p;
	r->cons = r->published = *r->consumer;
	r->data = (const uint8_t *)p + r->page;
	return 0;
}

static void unmap_ring(struct ring *r)
{
	if (r->consumer)
		munmap(r->consumer, r->page);
	if (r->producer)
		munmap((void *)r->producer, r->page + 2 * r->size);
	if (r->fd >= 0)
		close(r->fd);
}

static void live_close(struct hr_source *src)
{
	struct live_source *ls = (struct live_source *)src;
	for (int i = 0; ls->rings && i < ls->nrings; i++)
		unmap_ring(&ls->rings[i]);
	free(ls->rings);
	hr_probe__destroy(ls->skel);
	if (ls->min_btf_fd >= 0)
		close(ls->min_btf_fd);
	hr_host_users_close(&ls->users);
	hr_proc_scan_close(ls->scan);
	free(ls);
}

/* Creates and maps one ring per CPU; the first is also the template of the
 * probe's ring array. */
static int create_rings(struct live_source *ls, uint32_t ring_bytes, enum hr_live_status *status, char *err,
			size_t errlen)
{
	ls->rings = calloc((size_t)ls->nrings, sizeof *ls->rings);
	if (!ls->rings)
		return fail(status, HR_LIVE_SETUP_FAILED, err, errlen, "out of memory");
	for (int i = 0; i < ls->nrings; i++)
		ls->rings[i].fd = -1;
	for (int cpu = 0; cpu < ls->nrings; cpu++) {
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "hr_ring", 0, 0, ring_bytes, NULL);
		if (fd < 0)
			return fail(status, HR_LIVE_RING_FAILED, err, errlen, "cannot create the ring of CPU %d (%u bytes): %s",
				    cpu, ring_bytes, strerror(errno));
		if (map_ring(&ls->rings[cpu], fd, ring_bytes) < 0) {
			int e = errno;
			close(fd);
			return fail(status, HR_LIVE_RING_FAILED, err, errlen, "cannot map the ring of CPU %d: %s", cpu,
				    strerror(e));
		}
	}
	return bpf_map__set_inner_map_fd(ls->skel->maps.rings, ls->rings[0].fd);
}

/* Puts the rings in the loaded probe's ring array. */
static int install_rings(struct live_source *ls, enum hr_live_status *status, char *err, size_t errlen)
{
	int outer = bpf_map__fd(ls->skel->maps.rings);
	for (int cpu = 0; cpu < ls->nrings; cpu++) {
		uint32_t key = (uint32_t)cpu;
		if (bpf_map_update_elem(outer, &key, &ls->rings[cpu].fd, BPF_ANY) < 0)
			return fail(status, HR_LIVE_RING_FAILED, err, errlen, "cannot install the ring of CPU %d: %s", cpu,
				    strerror(errno));
	}
	return 0;
}

/* Every syscall the probe reports with an event of its own, and that
 * event's id (interest is decided per event id). */
static const struct {
	int nr;
	uint16_t event;
} probe_syscalls[] = {
	{HRP_NR_read, HRP_READ_X}, {HRP_NR_write, HRP_WRITE_X}, {HRP_NR_open, HRP_OPEN_X},
	{HRP_NR_close, HRP_CLOSE_X}, {HRP_NR_dup, HRP_DUP_1_X}, {HRP_NR_dup2, HRP_DUP2_X},
	{HRP_NR_socket, HRP_SOCKET_X}, {HRP_NR_connect, HRP_CONNECT_X}, {HRP_NR_accept, HRP_ACCEPT_5_X},
	{HRP_NR_sendto, HRP_SENDTO_X}, {HRP_NR_recvfrom, HRP_RECVFROM_X}, {HRP_NR_bind, HRP_BIND_X},
	{HRP_NR_listen, HRP_LISTEN_X}, {HRP_NR_clone, HRP_CLONE_20_X}, {HRP_NR_fork, HRP_FORK_20_X},
	{HRP_NR_vfork, HRP_VFORK_20_X}, {HRP_NR_execve, HRP_EXECVE_19_X}, {HRP_NR_chdir, HRP_CHDIR_X},
	{HRP_NR_fchdir, HRP_FCHDIR_X}, {HRP_NR_rename, HRP_RENAME_X}, {HRP_NR_mkdir, HRP_MKDIR_2_X},
	{HRP_NR_creat, HRP_CREAT_X}, {HRP_NR_unlink, HRP_UNLINK_2_X}, {HRP_NR_symlink, HRP_SYMLINK_X},
	{HRP_NR_chmod, HRP_CHMOD_X}, {HRP_NR_fchmod, HRP_FCHMOD_X}, {HRP_NR_ptrace, HRP_PTRACE_X},
	{HRP_NR_setuid, HRP_SETUID_X}, {HRP_NR_setgid, HRP_SETGID_X},
	{HRP_NR_setresuid, HRP_SETRESUID_X}, {HRP_NR_setresgid, HRP_SETRESGID_X}, {HRP_NR_init_module, HRP_INIT_MODULE_X},
	{HRP_NR_openat, HRP_OPENAT_2_X}, {HRP_NR_mkdirat, HRP_MKDIRAT_X}, {HRP_NR_unlinkat, HRP_UNLINKAT_2_X},
	{HRP_NR_renameat, HRP_RENAMEAT_X}, {HRP_NR_link, HRP_LINK_2_X}, {HRP_NR_linkat, HRP_LINKAT_2_X}, {HRP_NR_symlinkat, HRP_SYMLINKAT_X},
	{HRP_NR_fchmodat, HRP_FCHMODAT_X}, {HRP_NR_accept4, HRP_ACCEPT4_6_X}, {HRP_NR_dup3, HRP_DUP3_X},
	{HRP_NR_pipe2, HRP_PIPE2_X}, {HRP_NR_finit_module, HRP_FINIT_MODULE_X},
	{HRP_NR_renameat2, HRP_RENAMEAT2_X}, {HRP_NR_memfd_create, HRP_MEMFD_CREATE_X},
	{HRP_NR_execveat, HRP_EXECVEAT_X}, {HRP_NR_clone3, HRP_CLONE3_X}, {HRP_NR_openat2, HRP_OPENAT2_X},
};

/* Native syscall names by number (generated from the kernel's unistd_64.h). */
static const char *const native_syscall_names[HRP_SYSCALL_SLOTS] = {
#include "syscall_names_native.h"
};

/* Native syscall number to PPM_SC code, for generic events. */
static uint16_t ppm_sc_of_native[HRP_SYSCALL_SLOTS];

static void map_native_syscalls(void)
{
	for (int nr = 0; nr < HRP_SYSCALL_SLOTS; nr++) {
		if (!native_syscall_names[nr] || ppm_sc_of_native[nr])
			continue;
		for (unsigned code = 1; code < HR_SYSCALL_MAX; code++)
			if (hr_syscall_names[code].name && strcmp(hr_syscall_names[code].name, native_syscall_names[nr]) == 0) {
				ppm_sc_of_native[nr] = (uint16_t)code;
				break;
			}
	}
}

/* State-changing events are always recorded: without them threads and fds
 * would be wrong for every other event. */
static bool state_needs(uint16_t event)
{
	const struct hr_event_info *info = hr_event_info_of(event);
	return info && (info->flags & (HR_EF_CREATES_FD | HR_EF_DESTROYS_FD | HR_EF_MODIFIES_STATE));
}

/* Fills the probe's interest table from the consumer's wishes. */
static void select_syscalls(struct live_source *ls, const struct hr_live_options *opt)
{
	__u8 *interest = ls->skel->bss->interesting;
	bool generic = !opt->want_event || opt->want_event(opt->want_ctx, HRP_GENERIC_X);
	for (int nr = 0; nr < HRP_SYSCALL_SLOTS; nr++) {
		uint16_t code = ppm_sc_of_native[nr];
		bool want = generic && code &&
			    (!opt->want_syscall || opt->want_syscall(opt->want_ctx, hr_syscall_names[code].name));
		interest[nr] = want ? HRP_GENERIC : HRP_SKIP;
	}
	for (size_t i = 0; i < sizeof probe_syscalls / sizeof probe_syscalls[0]; i++) {
		uint16_t ev = probe_syscalls[i].event;
		bool want = !opt->want_event || opt->want_event(opt->want_ctx, ev) || state_needs(ev);
		interest[probe_syscalls[i].nr] = want ? HRP_RECORD : HRP_SKIP;
	}
}

/*
 * Loading the probe, libbpf parses the kernel's BTF (5 MB, 130k types) into
 * some 20 MB of fresh heap. In virtual machines whose page faults are costly
 * (here: ~100-200 ms of faults for it, most of the start-up) huge pages cut
 * that several times: the load's allocations are served from a heap top
 * advised for huge pages instead of fresh 4 KiB mmaps. Undone by
 * release_load_heap once loaded.
 */
#define LOAD_HEAP_BYTES (64u << 20)

static void prepare_load_heap(void)
{
	mallopt(M_MMAP_THRESHOLD, (int)(2 * LOAD_HEAP_BYTES));
	mallopt(M_TRIM_THRESHOLD, (int)(4 * LOAD_HEAP_BYTES));
	void *grown = malloc(LOAD_HEAP_BYTES);
	if (!grown)
		return;
	uintptr_t huge = 2u << 20;
	uintptr_t start = ((uintptr_t)grown + huge - 1) & ~(huge - 1);
	uintptr_t end = (uintptr_t)sbrk(0);
	free(grown);
	/* only a heap grown by brk (not a sanitizer's own allocator) */
	if (end > start && end - start <= 2 * (uintptr_t)LOAD_HEAP_BYTES)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
}

static void release_load_heap(void)
{
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
	malloc_trim(0);
}

#define KERNEL_BTF "/sys/kernel/btf/vmlinux"

/* A BTF named by HR_LIVE_BTF_PATH_ENV must be there and parse: otherwise
 * the probe's types cannot be matched, as without kernel BTF. */
static bool btf_readable(const char *path, enum hr_live_status *status, char *err, size_t errlen)
{
	struct btf *btf = btf__parse(path, NULL);
	if (!btf) {
		char why[128];
		libbpf_strerror(errno, why, sizeof why);
		fail(status, HR_LIVE_NO_BTF, err, errlen, "cannot read BTF from %s (%s): %s", path, HR_LIVE_BTF_PATH_ENV,
		     why);
		return false;
	}
	btf__free(btf);
	return true;
}

/* The probe's minimised BTF (probe_btf.h) as a file libbpf can read, if
 * this is the kernel it was cut from (same notes, so the same build id);
 * -1 otherwise, and the load uses the kernel's whole BTF. */
static int min_btf_for_this_kernel(void)
{
	unsigned char notes[PROBE_BTF_KERNEL_NOTES_LEN + 1];
	int fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t have = 0;
	ssize_t n;
	while (have < sizeof notes && (n = read(fd, notes + have, sizeof notes - have)) > 0)
		have += (size_t)n;
	close(fd);
	if (have != PROBE_BTF_KERNEL_NOTES_LEN || memcmp(notes, probe_btf_kernel_notes, have) != 0)
		return -1;
	int mfd = memfd_create("hr_probe_btf", MFD_CLOEXEC);
	if (mfd < 0)
		return -1;
	if (write(mfd, probe_min_btf, sizeof probe_min_btf) != (ssize_t)sizeof probe_min_btf) {
		close(mfd);
		return -1;
	}
	return mfd;
}

static const struct hr_source_ops live_ops;

struct hr_source *hr_live_open(const struct hr_live_options *opt, enum hr_live_status *status, char *err,
			       size_t errlen)
{
	*status = HR_LIVE_OK;
	if (geteuid() != 0) {
		fail(status, HR_LIVE_NOT_ROOT, err, errlen,
		     "live capture needs root (CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN); use -r FILE to read a capture");
		return NULL;
	}
	log_len = 0;
	log_tail[0] = 0;
	libbpf_set_print(collect_libbpf_log);
	const char *btf_path = getenv(HR_LIVE_BTF_PATH_ENV);
	if (btf_path && !*btf_path)
		btf_path = NULL;
	if (!btf_path && access(KERNEL_BTF, R_OK) != 0) {
		fail(status, HR_LIVE_NO_BTF, err, errlen,
		     "this kernel exposes no BTF (" KERNEL_BTF "): the CO-RE probe cannot be loaded "
		     "(needs CONFIG_DEBUG_INFO_BTF=y)");
		return NULL;
	}
	if (btf_path && !btf_readable(btf_path, status, err, errlen))
		return NULL;
	uint32_t ring_bytes = opt->ring_bytes ? opt->ring_bytes : DEFAULT_RING_BYTES;
	long page = sysconf(_SC_PAGESIZE);
	if ((ring_bytes & (ring_bytes - 1)) || ring_bytes < (uint32_t)page) {
		fail(status, HR_LIVE_RING_FAILED, err, errlen, "ring size %u is not a power of two of at least %ld bytes",
		     ring_bytes, page);
		return NULL;
	}
	struct live_source *ls = calloc(1, sizeof *ls);
	if (!ls) {
		fail(status, HR_LIVE_SETUP_FAILED, err, errlen, "out of memory");
		return NULL;
	}
	ls->base.ops = &live_ops;
	ls->nrings = libbpf_num_possible_cpus();
	/* CO-RE relocation against the whole kernel BTF searches 130k types
	 * (~100 ms here); the probe's own few are enough on its kernel */
	ls->min_btf_fd = btf_path ? -1 : min_btf_for_this_kernel();
	char min_btf_path[64];
	if (ls->min_btf_fd >= 0) {
		snprintf(min_btf_path, sizeof min_btf_path, "/proc/self/fd/%d", ls->min_btf_fd);
		btf_path = min_btf_path;
	}

	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .btf_custom_path = btf_path);
	ls->skel = hr_probe__open_opts(&open_opts);
	if (!ls->skel) {
		fail(status, HR_LIVE_BPF_REFUSED, err, errlen, "cannot open the probe: %s", strerror(errno));
		goto fail;
	}
	ls->skel->rodata->snaplen = opt->snaplen ? opt->snaplen : DEFAULT_SNAPLEN;
	if (ls->skel->rodata->snaplen > HRP_SNAPLEN_MAX)
		ls->skel->rodata->snaplen = HRP_SNAPLEN_MAX;
	ls->skel->rodata->own_tgid = (uint32_t)getpid();
	bpf_map__set_max_entries(ls->skel->maps.rings, (uint32_t)ls->nrings);
	bpf_map__set_max_entries(ls->skel->maps.scratch_map, (uint32_t)ls->nrings);
	if (create_rings(ls, ring_bytes, status, err, errlen) < 0)
		goto fail;
	prepare_load_heap();
	int rc = hr_probe__load(ls->skel);
	release_load_heap();
	if (ls->min_btf_fd >= 0) {
		close(ls->min_btf_fd);
		ls->min_btf_fd = -1;
	}
	if (rc) {
		fail(status, HR_LIVE_BPF_REFUSED, err, errlen, "the kernel refused the probe (%s); last lines:\n%s",
		     strerror(-rc), log_last_lines(HRP_LOG_LINES));
		goto fail;
	}
	if (install_rings(ls, status, err, errlen) < 0)
		goto fail;
	map_native_syscalls();
	select_syscalls(ls, opt);

	char scan_err[256];
	ls->scan = hr_proc_scan_open("/proc", scan_err, sizeof scan_err);
	if (!ls->scan) {
		fail(status, HR_LIVE_SETUP_FAILED, err, errlen, "%s", scan_err);
		goto fail;
	}
	/* Attach before the /proc scan, so nothing falls between the two. */
	rc = hr_probe__attach(ls->skel);
	if (rc) {
		fail(status, HR_LIVE_BPF_REFUSED, err, errlen, "cannot attach the probe (%s); last lines:\n%s",
		     strerror(-rc), log_last_lines(HRP_LOG_LINES));
		goto fail;
	}
	ls->boot_to_epoch_ns = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
	ls->on_idle = opt->on_idle;
	ls->for_2022_recording = opt->for_2022_recording;
	ls->idle_ctx = opt->idle_ctx;
	if (opt->duration_s > 0)
		ls->deadline_ns = clock_ns(CLOCK_MONOTONIC) + (uint64_t)(opt->duration_s * 1e9);
	stop_requested = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return &ls->base;
fail:
	live_close(&ls->base);
	return NULL;
}

/* ---- converting the probe's raw values to scap encoding ---- */

static uint32_t linux_clone_flags_to_ppm(uint32_t f)
{
	static const struct {
		uint32_t linux_bits, ppm;
	} bits[] = {
		{0x400, 1},		 {0x200, 2},	   {0x80000000u, 4}, {0x08000000, 8},	  {0x40000000, 16},
		{0x20000, 32},		 {0x20000000, 64}, {0x04000000, 128}, {0x8000, 256},	  {0x100000, 512},
		{0x2000, 1024},		 {0x800, 2048},	   {0x40000, 4096},  {0x10000, 8192},	  {0x800000, 16384},
		{0x100, 32768},		 {0x10000000, 1048576}, {0x200000, 8388608}, {0x01000000, 16777216},
		{0x80000, 33554432},	 {0x4000, 134217728}, {0x02000000, 268435456},
	};
	uint32_t r = 0;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		if (f & bits[i].linux_bits)
			r |= bits[i].ppm;
	return r;
}

static uint16_t linux_ptrace_request_to_ppm(uint16_t req)
{
	/* PPM numbering (flags_tables.tsv ptrace_requests) of Linux requests */
	static const struct {
		uint16_t linux_req, ppm;
	} map[] = {
		{0, 1},	   {1, 2},	  {2, 3},	 {3, 4},	{4, 5},	       {5, 6},	      {6, 7},
		{7, 8},	   {8, 9},	  {9, 10},	 {16, 11},	{17, 12},      {24, 13},      {0x4200, 14},
		{0x4201, 15}, {0x4202, 16}, {0x4203, 17}, {0x4204, 18}, {0x4205, 19}, {0x4206, 20}, {0x4207, 21},
		{0x4208, 22}, {0x4209, 23}, {0x420a, 24}, {0x420b, 25}, {12, 26},     {13, 27},	      {14, 28},
		{15, 29},  {18, 30},	  {19, 31},	 {21, 32},	{25, 33},      {26, 34},      {30, 35},
		{31, 36},  {32, 37},	  {33, 38},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].linux_req == req)
			return map[i].ppm;
	return 0;
}

static void fix_u32(struct hr_event *e, unsigned i, uint32_t (*conv)(uint32_t))
{
	uint32_t v;
	if (hr_param_u32(e, i, &v)) {
		v = conv(v);
		memcpy((uint8_t *)e->param[i], &v, 4);
	}
}

/* Linux values the probe leaves to user space. */
static void convert_params(struct hr_event *e)
{
	switch (e->type) {
	case HRP_OPEN_X:
		fix_u32(e, 2, hr_linux_open_flags_to_ppm);
		break;
	case HRP_OPENAT_2_X:
	case HRP_OPENAT2_X:
		fix_u32(e, 3, hr_linux_open_flags_to_ppm);
		break;
	case HRP_DUP3_X:
		fix_u32(e, 3, hr_linux_open_flags_to_ppm);
		break;
	case HRP_PIPE2_X:
		fix_u32(e, 4, hr_linux_open_flags_to_ppm);
		break;
	case HRP_CLONE_20_X:
	case HRP_FORK_20_X:
	case HRP_VFORK_20_X:
	case HRP_CLONE3_X:
		fix_u32(e, 15, linux_clone_flags_to_ppm);
		break;
	case HRP_GENERIC_X: {
		uint16_t nr, code;
		if (hr_param_u16(e, 1, &nr) && nr < HRP_SYSCALL_SLOTS) {
			code = ppm_sc_of_native[nr];
			memcpy((uint8_t *)e->param[0], &code, 2);
		}
		break;
	}
	case HRP_PTRACE_X: {
		uint16_t req;
		if (hr_param_u16(e, 3, &req)) {
			req = linux_ptrace_request_to_ppm(req);
			memcpy((uint8_t *)e->param[3], &req, 2);
		}
		break;
	}
	default:
		break;
	}
}

/* ---- reading the rings ---- */

static void ring_publish(struct ring *r)
{
	if (r->published != r->cons) {
		__atomic_store_n(r->consumer, r->cons, __ATOMIC_RELEASE);
		r->published = r->cons;
	}
}

/* The record at the head of `r`, or NULL if none is ready. */
static const uint8_t *ring_peek(struct ring *r, uint32_t *len)
{
	for (;;) {
		unsigned long cons = r->cons;
		if (cons >= r->prod_seen)
			r->prod_seen = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
		if (cons >= r->prod_seen || (r->stop_at && cons >= r->stop_at)) {
			ring_publish(r);
			return NULL;
		}
		const uint8_t *hdr = r->data + (cons & (r->size - 1));
		uint32_t h = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
		if (h & RING_BUSY) {
			ring_publish(r);
			return NULL;
		}
		uint32_t l = h & ~(RING_BUSY | RING_DISCARD);
		if (h & RING_DISCARD) {
			r->cons = cons + ((l + RING_HDR + 7) & ~7u);
			continue;
		}
		*len = l;
		return hdr + RING_HDR;
	}
}

/* Past the record just read (already copied out: after a publish the
 * producer may overwrite it). */
static void ring_advance(struct ring *r, uint32_t len)
{
	r->cons += (len + RING_HDR + 7) & ~7u;
	if (r->cons - r->published >= r->size / PUBLISH_EVERY)
		ring_publish(r);
}

/* Copies the oldest ready event into ls->event; false when all rings are empty. */
static bool take_oldest(struct live_source *ls, uint32_t *len, uint16_t *cpu)
{
	int best = -1;
	uint64_t best_ts = UINT64_MAX;
	uint32_t best_len = 0;
	const uint8_t *best_rec = NULL;
	for (int i = 0; i < ls->nrings; i++) {
		uint32_t l;
		const uint8_t *rec = ring_peek(&ls->rings[i], &l);
		if (!rec)
			continue;
		uint64_t ts;
		memcpy(&ts, rec, 8);
		if (ts < best_ts) {
			best = i;
			best_ts = ts;
			best_len = l;
			best_rec = rec;
		}
	}
	if (best < 0)
		return false;
	*len = best_len <= sizeof ls->event ? best_len : 0;
	memcpy(ls->event, best_rec, *len);
	ring_advance(&ls->rings[best], best_len);
	*cpu = (uint16_t)best;
	return true;
}

static bool should_stop(struct live_source *ls)
{
	return stop_requested || (ls->deadline_ns && clock_ns(CLOCK_MONOTONIC) >= ls->deadline_ns);
}

/* Stopping: what the rings hold now is still delivered, nothing newer, so
 * that a stop takes effect even while events keep coming. */
static void begin_drain(struct live_source *ls)
{
	ls->draining = true;
	for (int i = 0; i < ls->nrings; i++) {
		unsigned long prod = __atomic_load_n(ls->rings[i].producer, __ATOMIC_ACQUIRE);
		ls->rings[i].stop_at = prod ? prod : 1;
	}
}

/* Decodes a v2 record of ls's buffers into rec->event. */
static bool decode(struct hr_record *rec, const uint8_t *buf, uint32_t len, uint16_t cpu)
{
	struct hr_event *e = &rec->event;
	memset(e, 0, offsetof(struct hr_event, param));
	e->fd_num = -1;
	memcpy(&e->ts, buf, 8);
	memcpy(&e->tid, buf + 8, 8);
	memcpy(&e->type, buf + 20, 2);
	e->cpu = cpu;
	rec->kind = HR_REC_EVENT;
	return len >= HRP_HEADER_LEN && e->type < HR_EVENT_MAX && !hr_event_decode(e, buf, len);
}

/* Replaces exit rec->event by the generic exit of its syscall (recordings
 * for sysdig 0.29.3, record_2022.h); false if it cannot be. */
static bool as_generic(struct live_source *ls, struct hr_record *rec, uint16_t cpu)
{
	for (size_t i = 0; i < sizeof probe_syscalls / sizeof probe_syscalls[0]; i++) {
		if (probe_syscalls[i].event != rec->event.type)
			continue;
		uint16_t nr = (uint16_t)probe_syscalls[i].nr;
		uint32_t len = hr_record_2022_generic(&rec->event, ppm_sc_of_native[nr], nr, ls->event, sizeof ls->event);
		return len && decode(rec, ls->event, len, cpu);
	}
	return false;
}

static enum hr_record_kind next_event(struct live_source *ls, struct hr_record *rec)
{
	if (ls->exit_pending) {
		ls->exit_pending = false;
		rec->kind = HR_REC_EVENT;
		rec->event = ls->pending_exit;
		return HR_REC_EVENT;
	}
	for (;;) {
		uint32_t len;
		uint16_t cpu;
		/* a stop is noticed within 1024 events even if the rings never run empty */
		if (!ls->draining && (++ls->since_stop_check & 1023) == 0 && should_stop(ls))
			begin_drain(ls);
		if (!take_oldest(ls, &len, &cpu)) {
			/* rings drained: stop now if asked, else wait (the probe never wakes us) */
			if (ls->draining || should_stop(ls)) {
				ls->phase = PH_END;
				return HR_REC_END;
			}
			/* at every wake-up, not only the first: a consumer that
			 * spaces out its flushes gets its turn while all is quiet */
			if (ls->on_idle)
				ls->on_idle(ls->idle_ctx);
			/* at least 1 ms: the rings fill meanwhile and are then read
			 * in one go. Each wake-up takes a CPU from the traced
			 * programs; with 200 us, two busy loops (0.5 M events/s)
			 * woke Harrier 2300 times a second and it spent twice the
			 * CPU per event it spends at 1 ms (600 wake-ups). A ring
			 * of the default size holds far more than 4 ms of events. */
			ls->idle_us = ls->idle_us < 1000 ? 1000 : ls->idle_us < 4000 ? ls->idle_us * 2 : 4000;
			struct timespec ts = {0, (long)ls->idle_us * 1000};
			nanosleep(&ts, NULL);
			continue;
		}
		ls->idle_us = 0;
		uint64_t ts;
		memcpy(&ts, ls->event, 8);
		ts += ls->boot_to_epoch_ns;
		memcpy(ls->event, &ts, 8);
		if (!decode(rec, ls->event, len, cpu))
			continue; /* cannot happen with a consistent probe; never hand out garbage */
		convert_params(&rec->event);
		if (!ls->for_2022_recording)
			return HR_REC_EVENT;
		if (hr_record_2022_needs_generic(rec->event.type) && !as_generic(ls, rec, cpu))
			continue;
		uint32_t enter_len;
		if (hr_record_2022(&rec->event, ls->enter, sizeof ls->enter, &enter_len)) {
			ls->exit_pending = true;
			ls->pending_exit = rec->event;
			decode(rec, ls->enter, enter_len, cpu);
		}
		return HR_REC_EVENT;
	}
}

static void machine_info(struct hr_machine_info *m)
{
	memset(m, 0, sizeof *m);
	m->num_cpus = (uint32_t)get_nprocs();
	struct sysinfo si;
	if (sysinfo(&si) == 0)
		m->memory_size_bytes = (uint64_t)si.totalram * si.mem_unit;
	m->max_pid = 4194304;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");
	if (f) {
		unsigned long long v;
		if (fscanf(f, "%llu", &v) == 1)
			m->max_pid = v;
		fclose(f);
	}
	gethostname(m->hostname, sizeof m->hostname - 1);
	m->boot_ts_epoch = clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME);
}

static enum hr_record_kind live_next(struct hr_source *src, struct hr_record *rec)
{
	struct live_source *ls = (struct live_source *)src;
	switch (ls->phase) {
	case PH_SECTION:
		memset(rec, 0, sizeof *rec);
		rec->kind = HR_REC_SECTION;
		rec->u.section = (struct hr_section_info){1, 2};
		ls->phase = PH_MACHINE;
		return HR_REC_SECTION;
	case PH_MACHINE:
		memset(rec, 0, sizeof *rec);
		rec->kind = HR_REC_MACHINE;
		machine_info(&rec->u.machine);
		ls->phase = PH_USERS;
		return HR_REC_MACHINE;
	case PH_USERS:
		if (hr_host_users_next(&ls->users, rec))
			return rec->kind;
		ls->phase = PH_SCAN;
		/* fall through */
	case PH_SCAN:
		if (hr_proc_scan_next(ls->scan, rec))
			return rec->kind;
		hr_proc_scan_close(ls->scan);
		ls->scan = NULL;
		ls->phase = PH_EVENTS;
		/* fall through */
	case PH_EVENTS:
		if (next_event(ls, rec) == HR_REC_END)
			return HR_REC_END;
		/* numbered as sysdig numbers what it reads live, from 1 */
		rec->event.num = ++ls->events_out;
		/* the probe sends the newest layout, which rules and fields see
		 * as Falco 0.44 does (evt.arg.request of a ptrace exit); a
		 * recording's events are those of 2022, read back as such */
		rec->event.newest_layout = !ls->for_2022_recording;
		return HR_REC_EVENT;
	case PH_END:
		break;
	}
	rec->kind = HR_REC_END;
	return HR_REC_END;
}

static const char *live_error(const struct hr_source *src)
{
	return ((const struct live_source *)src)->error;
}

static const struct hr_source_ops live_ops = {live_next, live_error, live_close};

void hr_live_stats(struct hr_source *src, struct hr_live_stats *out)
{
	struct live_source *ls = (struct live_source *)src;
	memset(out, 0, sizeof *out);
	int n = libbpf_num_possible_cpus();
	struct hrp_counters *per_cpu = calloc((size_t)n, sizeof *per_cpu);
	uint32_t zero = 0;
	if (!per_cpu || bpf_map_lookup_elem(bpf_map__fd(ls->skel->maps.counters), &zero, per_cpu) < 0) {
		free(per_cpu);
		return;
	}
	for (int i = 0; i < n; i++) {
		out->events += per_cpu[i].events;
		out->drops_full += per_cpu[i].drops_full;
		out->drops_read += per_cpu[i].drops_read;
	}
	free(per_cpu);
}
