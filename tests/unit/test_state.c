/*
 * Unit tests of the state engine (src/state): synthetic capture records and
 * events, built as v2 records and decoded with hr_event_decode, fed to the
 * state, then the resulting threads, fds, users and containers checked
 * against what sysdig 0.29.3's libsinsp builds from the same input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capture/scap_reader.h"
#include "state/state.h"
#include "state/state_event_ids.h"

#define UNIT_SUITE "state"
#include "unit_check.h"

static const char *str(const struct hr_bytes *b)
{
	return b->p ? b->p : "";
}

/* ---- building events ---- */

struct param {
	const void *p;
	uint32_t len;
};

#define P64(v) ((struct param){&(int64_t){(v)}, 8})
#define P32(v) ((struct param){&(uint32_t){(v)}, 4})
#define P16(v) ((struct param){&(uint16_t){(v)}, 2})
#define P8(v) ((struct param){&(uint8_t){(v)}, 1})
#define PSTR(s) ((struct param){(s), (uint32_t)strlen(s) + 1})
#define PBUF(p, n) ((struct param){(p), (n)})

static uint8_t record[16384];
static struct hr_event event;
static uint64_t clock_ns = 1000000000ull;

/* Packs a v2 event record and decodes it into `event`. */
static struct hr_event *build(uint16_t type, int64_t tid, unsigned n, const struct param *params)
{
	unsigned lsz = hr_event_len_size(type);
	uint32_t off = 26 + n * lsz;
	for (unsigned i = 0; i < n; i++) {
		if (lsz == 2) {
			uint16_t l = (uint16_t)params[i].len;
			memcpy(record + 26 + i * 2, &l, 2);
		} else {
			memcpy(record + 26 + i * 4, &params[i].len, 4);
		}
		memcpy(record + off, params[i].p, params[i].len);
		off += params[i].len;
	}
	clock_ns += 1000;
	memcpy(record, &clock_ns, 8);
	memcpy(record + 8, &tid, 8);
	memcpy(record + 16, &off, 4);
	memcpy(record + 20, &type, 2);
	uint32_t np = n;
	memcpy(record + 22, &np, 4);
	memset(&event, 0, sizeof(event));
	event.type = type;
	event.tid = tid;
	event.ts = clock_ns;
	const char *err = hr_event_decode(&event, record, off);
	if (err)
		check(false, "event decodes", err);
	return &event;
}

#define EV(state, type, tid, ...)                                                                  \
	feed((state), build((type), (tid), sizeof((struct param[]){__VA_ARGS__}) / sizeof(struct param), \
			    (struct param[]){__VA_ARGS__}))
#define EV0(state, type, tid) feed((state), build((type), (tid), 0, NULL))

static struct hr_event *feed(struct hr_state *s, struct hr_event *e)
{
	hr_state_process_event(s, e);
	return e;
}

/* ---- building records ---- */

static struct hr_str view(const char *s)
{
	return (struct hr_str){s, (uint32_t)strlen(s)};
}

/* A string list in the driver's format (items each ending with NUL). */
static struct hr_str list_view(const char *s, uint32_t len)
{
	return (struct hr_str){s, len};
}

static void add_thread(struct hr_state *s, int64_t tid, int64_t pid, int64_t ptid, const char *comm, const char *cwd,
		       uint32_t flags, uint32_t uid)
{
	struct hr_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.kind = HR_REC_THREAD;
	hr_proc_entry_init(&rec.u.thread);
	rec.u.thread.tid = tid;
	rec.u.thread.pid = pid;
	rec.u.thread.ptid = ptid;
	rec.u.thread.comm = view(comm);
	rec.u.thread.exe = view(comm);
	rec.u.thread.exepath = view("/usr/bin/x");
	rec.u.thread.args = list_view("-c\0ls\0", 6);
	rec.u.thread.cwd = view(cwd);
	rec.u.thread.flags = flags;
	rec.u.thread.uid = uid;
	rec.u.thread.gid = uid;
	rec.u.thread.fdlimit = 1024;
	hr_state_apply_record(s, &rec);
}

static void add_fd_entry(struct hr_state *s, int64_t tid, const struct hr_fd_entry *fd)
{
	struct hr_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.kind = HR_REC_FD;
	rec.u.fd.tid = tid;
	rec.u.fd.entry = *fd;
	hr_state_apply_record(s, &rec);
}

static void add_file_fd(struct hr_state *s, int64_t tid, int64_t fd, const char *name)
{
	struct hr_fd_entry e;
	memset(&e, 0, sizeof(e));
	e.fd = fd;
	e.type = HR_FD_FILE_V2;
	e.open_flags = 1;
	e.name = view(name);
	add_fd_entry(s, tid, &e);
}

static const uint8_t localhost[4] = {127, 0, 0, 1};
static const uint8_t any4[4] = {0, 0, 0, 0};

static void add_ipv4_fd(struct hr_state *s, int64_t tid, int64_t fd, uint8_t type, uint16_t sport, uint16_t dport)
{
	struct hr_fd_entry e;
	memset(&e, 0, sizeof(e));
	e.fd = fd;
	e.type = type;
	memcpy(e.sip, type == HR_FD_IPV4_SERVSOCK ? any4 : localhost, 4);
	memcpy(e.dip, localhost, 4);
	e.sport = sport;
	e.dport = dport;
	e.l4proto = 2;
	add_fd_entry(s, tid, &e);
}

static const char *fd_name(struct hr_state *s, int64_t tid, int64_t fd)
{
	const struct hr_fd *f = hr_state_fd(s, hr_state_thread(s, tid), fd);
	return f ? str(&f->name) : NULL;
}

static int fd_type(struct hr_state *s, int64_t tid, int64_t fd)
{
	const struct hr_fd *f = hr_state_fd(s, hr_state_thread(s, tid), fd);
	return f ? f->type : -1;
}

/* A shell (100, with a second thread 101), its fds and a user. */
static struct hr_state *base_state(void)
{
	struct hr_state *s = hr_state_new();
	struct hr_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.kind = HR_REC_SECTION;
	hr_state_apply_record(s, &rec);
	rec.kind = HR_REC_USER;
	rec.u.user = (struct hr_user_entry){.uid = 1000, .gid = 1000, .name = view("alice"),
					    .homedir = view("/home/alice"), .shell = view("/bin/bash")};
	hr_state_apply_record(s, &rec);
	add_thread(s, 100, 100, 1, "bash", "/home/alice", 0, 1000);
	add_thread(s, 101, 100, 1, "bash", "/ignored", (1u << 13) | 1u, 1000);
	add_file_fd(s, 100, 3, "/etc/passwd");
	add_ipv4_fd(s, 100, 4, HR_FD_IPV4_SOCK, 47192, 80);
	add_ipv4_fd(s, 100, 5, HR_FD_IPV4_SERVSOCK, 8080, 0);
	add_ipv4_fd(s, 100, 6, HR_FD_IPV4_SOCK, 8080, 51000);
	return s;
}

/* ---- tests ---- */

static void test_event_ids(void)
{
#define CHECK_ID(name, ppme, id) check_str("event id " #ppme, hr_event_table[id].enum_name, #ppme);
	HR_STATE_EVENT_IDS(CHECK_ID)
#undef CHECK_ID
}

static void test_process_list(void)
{
	struct hr_state *s = base_state();
	struct hr_thread *t = hr_state_thread(s, 100);
	check(t != NULL, "listed thread exists", NULL);
	check_str("listed comm", str(&t->comm), "bash");
	check_str("main thread cwd ends with /", str(&t->cwd), "/home/alice/");
	check_int("listed args keep their NULs", t->args.len, 6);
	check_str("user name", str(&hr_state_user(s, 1000)->name), "alice");
	/* The process list's own fixups run before the first event. */
	EV(s, EV_READ_E, 101, P64(3), P32(10));
	check_str("file fd from FILE_V2", fd_name(s, 100, 3), "/etc/passwd");
	check_int("FILE_V2 stored as FILE", fd_type(s, 100, 3), HR_FD_FILE);
	check_str("thread sharing files sees the process's fds", event.fd ? str(&event.fd->name) : NULL, "/etc/passwd");
	check_int("enter fd number", event.fd_num, 3);
	check_str("client socket", fd_name(s, 100, 4), "127.0.0.1:47192->127.0.0.1:80");
	check_str("server socket", fd_name(s, 100, 5), "0.0.0.0:8080");
	check_str("accepted socket turned server-side first", fd_name(s, 100, 6), "127.0.0.1:51000->127.0.0.1:8080");
	check(hr_state_fd(s, hr_state_thread(s, 100), 6)->is_role_server, "accepted socket is a server", NULL);
	check(hr_state_fd(s, hr_state_thread(s, 100), 4)->is_role_client, "connected socket is a client", NULL);
	check_int("main thread counts its thread", hr_state_thread(s, 100)->nchilds, 1);
	hr_state_free(s);
}

static void test_pairing(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_READ_E, 100, P64(3), P32(10));
	EV(s, EV_PROCINFO_E, 100, P64(1), P64(2));
	check(event.thread == hr_state_thread(s, 100), "procinfo finds its thread", NULL);
	struct hr_event *e = EV(s, EV_READ_X, 100, P64(4), PBUF("abcd", 4));
	check(e->enter && e->enter->type == EV_READ_E, "exit paired across a scheduler-only event", NULL);
	check_str("exit uses the enter's fd", e->fd ? str(&e->fd->name) : NULL, "/etc/passwd");
	check_int("exit fd number", e->fd_num, 3);
	/* An exit whose enter was lost gets neither the enter nor its fd. */
	e = EV(s, EV_WRITE_X, 100, P64(4), PBUF("abcd", 4));
	check(e->enter == NULL, "unpaired exit has no enter", NULL);
	EV(s, EV_WRITE_E, 100, P64(3), P32(4));
	EV(s, EV_READ_X, 100, P64(4), PBUF("abcd", 4));
	check(event.enter == NULL, "exit of another type than the last enter is unpaired", NULL);
	hr_state_free(s);
}

static void test_unknown_thread(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_READ_E, 555, P64(3), P32(10));
	struct hr_thread *t = event.thread;
	check(t != NULL, "unknown tid gets a placeholder", NULL);
	check_str("placeholder comm", t ? str(&t->comm) : NULL, "<NA>");
	check_int("placeholder uid", t ? t->uid : 0, 0xffffffffu);
	check_int("placeholder ptid", t ? t->ptid : 0, -1);
	/* A clone exit seen only from a thread nobody knows creates nothing. */
	uint64_t before = hr_state_thread_count(s);
	EV(s, EV_CLONE_20_X, 777, P64(-1), PSTR("x"), PBUF("", 0), P64(777), P64(777), P64(1), PSTR("/"), P64(1024),
	   P64(0), P64(0), P32(0), P32(0), P32(0), PSTR("x"), PBUF("", 0), P32(0), P32(0), P32(0), P64(777), P64(777));
	check(event.thread == NULL, "clone exit does not invent its thread", NULL);
	check_int("no thread added", hr_state_thread_count(s), before);
	hr_state_free(s);
}

static void test_open_close(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_OPEN_E, 100, PSTR("docs/../notes.txt"), P32(1), P32(0));
	struct hr_event *e = EV(s, EV_OPEN_X, 100, P64(7), PSTR("docs/../notes.txt"), P32(1), P32(0), P32(0x803));
	check_str("relative open resolved against cwd", fd_name(s, 100, 7), "/home/alice/notes.txt");
	check(e->fd && e->fd->fd == 7, "open exit links the new fd", NULL);
	check_int("open exit fd number", e->fd_num, 7);
	check_int("open flags kept", hr_state_fd(s, hr_state_thread(s, 100), 7)->open_flags, 1);
	check_int("device kept", hr_state_fd(s, hr_state_thread(s, 100), 7)->dev, 0x803);

	EV(s, EV_OPEN_E, 100, PSTR("/nope"), P32(1), P32(0));
	EV(s, EV_OPEN_X, 100, P64(-2), PSTR("/nope"), P32(1), P32(0), P32(0));
	check_int("failed open adds nothing", hr_state_fd_count(s), 5);

	/* A directory, then openat relative to it. */
	EV(s, EV_OPEN_E, 100, PSTR("/var/log"), P32(1u << 10), P32(0));
	EV(s, EV_OPEN_X, 100, P64(8), PSTR("/var/log"), P32(1u << 10), P32(0), P32(0));
	check_int("O_DIRECTORY open is a directory", fd_type(s, 100, 8), HR_FD_DIRECTORY);
	EV(s, EV_OPENAT_2_E, 100, P64(8), PSTR("syslog"), P32(1), P32(0));
	EV(s, EV_OPENAT_2_X, 100, P64(9), P64(8), PSTR("syslog"), P32(1), P32(0), P32(0));
	check_str("openat relative to a directory fd", fd_name(s, 100, 9), "/var/log/syslog");
	EV(s, EV_OPENAT_2_E, 100, P64(-100), PSTR("./a//b/"), P32(1), P32(0));
	EV(s, EV_OPENAT_2_X, 100, P64(10), P64(-100), PSTR("./a//b/"), P32(1), P32(0), P32(0));
	check_str("openat AT_FDCWD path cleaned", fd_name(s, 100, 10), "/home/alice/a/b");

	EV(s, EV_CLOSE_E, 100, P64(7));
	e = EV(s, EV_CLOSE_X, 100, P64(0));
	check(e->fd && e->fd->fd == 7, "close exit still shows the fd", NULL);
	check_str("fd visible until the next event", fd_name(s, 100, 7), "/home/alice/notes.txt");
	EV(s, EV_READ_E, 100, P64(3), P32(1));
	check(fd_name(s, 100, 7) == NULL, "closed fd removed before the next event", NULL);
	/* A close overtaken by another thread creating the same fd number.
	 * sinsp parks the old fd, but its exit-event reset drops the parked
	 * fd and the close then removes the number too: both go, as in
	 * sysdig 0.29.3. */
	EV(s, EV_CLOSE_E, 100, P64(10));
	EV(s, EV_OPEN_E, 101, PSTR("/new"), P32(1), P32(0));
	EV(s, EV_OPEN_X, 101, P64(10), PSTR("/new"), P32(1), P32(0), P32(0));
	uint64_t fds = hr_state_fd_count(s);
	EV(s, EV_CLOSE_X, 100, P64(0));
	EV(s, EV_READ_E, 100, P64(3), P32(1));
	check(fd_name(s, 100, 10) == NULL, "fd created during a close goes with it", NULL);
	check_int("the parked fd is gone too", (long long)hr_state_fd_count(s), (long long)fds - 2);
	EV(s, EV_CLOSE_E, 100, P64(3));
	EV(s, EV_CLOSE_X, 100, P64(-9));
	EV(s, EV_READ_E, 100, P64(3), P32(1));
	check(fd_name(s, 100, 3) != NULL, "failed close keeps the fd", NULL);
	hr_state_free(s);
}

static void test_sockets(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_SOCKET_E, 100, P32(2), P32(1), P32(0));
	EV(s, EV_SOCKET_X, 100, P64(11));
	const struct hr_fd *f = hr_state_fd(s, hr_state_thread(s, 100), 11);
	check(f && f->type == HR_FD_IPV4_SOCK && f->l4proto == 2, "tcp socket", NULL);
	uint8_t addr[7] = {2, 127, 0, 0, 1, 80, 0};
	EV(s, EV_CONNECT_E, 100, P64(11), PBUF(addr, 7));
	uint8_t tuple[13] = {2, 127, 0, 0, 1, 0x58, 0xb8, 127, 0, 0, 1, 80, 0};
	EV(s, EV_CONNECT_X, 100, P64(-115), PBUF(tuple, 13));
	check_str("connect in progress names the tuple", fd_name(s, 100, 11), "127.0.0.1:47192->127.0.0.1:80");
	f = hr_state_fd(s, hr_state_thread(s, 100), 11);
	check(f && f->is_role_client, "connecting socket is a client", NULL);

	EV(s, EV_SOCKET_E, 100, P32(2), P32(1), P32(6));
	EV(s, EV_SOCKET_X, 100, P64(12));
	uint8_t bind_addr[7] = {2, 0, 0, 0, 0, 0x90, 0x1f};
	EV(s, EV_BIND_E, 100, P64(12));
	EV(s, EV_BIND_X, 100, P64(0), PBUF(bind_addr, 7));
	check_str("bound socket", fd_name(s, 100, 12), "0.0.0.0:8080");
	check_int("bound socket is a server socket", fd_type(s, 100, 12), HR_FD_IPV4_SERVSOCK);

	uint8_t peer[13] = {2, 10, 0, 0, 2, 0x10, 0x27, 10, 0, 0, 1, 0x90, 0x1f};
	EV0(s, EV_ACCEPT_5_E, 100);
	EV(s, EV_ACCEPT_5_X, 100, P64(13), PBUF(peer, 13), P8(0), P32(0), P32(0));
	check_str("accepted connection", fd_name(s, 100, 13), "10.0.0.2:10000->10.0.0.1:8080");
	f = hr_state_fd(s, hr_state_thread(s, 100), 13);
	check(f && f->is_role_server && f->l4proto == 2, "accepted socket is a tcp server", NULL);

	/* A UDP socket learns its tuple from sendto. */
	EV(s, EV_SOCKET_E, 100, P32(2), P32(2), P32(0));
	EV(s, EV_SOCKET_X, 100, P64(14));
	uint8_t dst[13] = {2, 0, 0, 0, 0, 0, 0, 8, 8, 8, 8, 53, 0};
	EV(s, EV_SENDTO_E, 100, P64(14), P32(20), PBUF(dst, 13));
	EV(s, EV_SENDTO_X, 100, P64(20), PBUF("q", 1));
	check_str("udp sendto tuple", fd_name(s, 100, 14), "0.0.0.0:0->8.8.8.8:53");

	/* Unix socket from socketpair, then a pipe. */
	EV(s, EV_SOCKETPAIR_E, 100, P32(1), P32(1), P32(0));
	EV(s, EV_SOCKETPAIR_X, 100, P64(0), P64(15), P64(16), P64(0xabc), P64(0xdef));
	check_int("socketpair first end", fd_type(s, 100, 15), HR_FD_UNIX_SOCK);
	check_int("socketpair second end", fd_type(s, 100, 16), HR_FD_UNIX_SOCK);
	EV0(s, EV_PIPE_E, 100);
	EV(s, EV_PIPE_X, 100, P64(0), P64(17), P64(18), P64(4242));
	check_int("pipe read end", fd_type(s, 100, 17), HR_FD_FIFO);
	check_int("pipe inode", hr_state_fd(s, hr_state_thread(s, 100), 18)->ino, 4242);

	uint8_t unix_tuple[17 + 10] = {1};
	memcpy(unix_tuple + 17, "/run/sock", 10);
	EV(s, EV_SOCKET_E, 100, P32(1), P32(1), P32(0));
	EV(s, EV_SOCKET_X, 100, P64(19));
	EV(s, EV_CONNECT_E, 100, P64(19), PBUF("\001/run/sock", 11));
	EV(s, EV_CONNECT_X, 100, P64(0), PBUF(unix_tuple, sizeof unix_tuple));
	check_str("unix connect names the socket by its tuple", fd_name(s, 100, 19), "0->0 /run/sock");
	hr_state_free(s);
}

static void test_dup_fcntl_chdir_ids(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_DUP_E, 100, P64(3));
	EV(s, EV_DUP_X, 100, P64(20));
	check_str("dup copies the fd", fd_name(s, 100, 20), "/etc/passwd");
	EV(s, EV_FCNTL_E, 100, P64(3), P8(1));
	EV(s, EV_FCNTL_X, 100, P64(21));
	check_str("fcntl F_DUPFD copies the fd", fd_name(s, 100, 21), "/etc/passwd");
	EV(s, EV_FCNTL_E, 100, P64(3), P8(3));
	EV(s, EV_FCNTL_X, 100, P64(2));
	check(fd_name(s, 100, 2) == NULL, "fcntl F_GETFL creates nothing", NULL);

	EV0(s, EV_CHDIR_E, 100);
	EV(s, EV_CHDIR_X, 100, P64(0), PSTR("../bob"));
	check_str("chdir relative", str(&hr_state_thread(s, 100)->cwd), "/home/bob/");
	EV0(s, EV_CHDIR_E, 101);
	EV(s, EV_CHDIR_X, 101, P64(0), PSTR("/tmp"));
	check_str("a thread's chdir moves its process", str(&hr_state_thread(s, 100)->cwd), "/tmp/");

	EV(s, EV_SETUID_E, 100, P32(0));
	EV(s, EV_SETUID_X, 100, P64(0));
	check_int("setuid", hr_state_thread(s, 100)->uid, 0);
	EV(s, EV_SETRESGID_E, 100, P32(5), P32(6), P32(7));
	EV(s, EV_SETRESGID_X, 100, P64(0));
	check_int("setresgid takes the effective gid", hr_state_thread(s, 100)->gid, 6);
	EV(s, EV_SETUID_E, 100, P32(33));
	EV(s, EV_SETUID_X, 100, P64(-1));
	check_int("failed setuid changes nothing", hr_state_thread(s, 100)->uid, 0);
	hr_state_free(s);
}

/* clone_20 exit: res exe args tid pid ptid cwd fdlimit pgft_maj pgft_min
 * vm_size vm_rss vm_swap comm cgroups flags uid gid vtid vpid. */
static struct hr_event *clone_exit(struct hr_state *s, int64_t tid, int64_t res, int64_t pid, int64_t ptid,
				   uint32_t flags, const char *comm)
{
	return EV(s, EV_CLONE_20_X, tid, P64(res), PSTR("/bin/bash"), PBUF("bash\0-c\0", 8), P64(tid), P64(pid),
		  P64(ptid), PSTR("/home/alice"), P64(1024), P64(0), P64(0), P32(0), P32(0), P32(0), PSTR(comm),
		  PBUF("cpu=/user.slice\0", 16), P32(flags), P32(1000), P32(1000), P64(tid), P64(pid));
}

static const char docker_id[] = "3f2504e04f8911d39a0c0305e82c33013f2504e04f8911d39a0c0305e82c3301";

static struct hr_event *execve_exit(struct hr_state *s, int64_t tid, const char *cgroups, uint32_t cglen)
{
	return EV(s, EV_EXECVE_19_X, tid, P64(0), PSTR("/usr/bin/cat"), PBUF("/etc/hosts\0", 11), P64(tid), P64(tid),
		  P64(100), PSTR("/home/alice"), P64(4096), P64(1), P64(2), P32(3), P32(4), P32(5), PSTR("cat"),
		  PBUF(cgroups, cglen), PBUF("A=1\0B=2\0", 8), P32(34816), P64(tid), P32(1000), P32(1));
}

static void test_clone_execve(void)
{
	struct hr_state *s = base_state();
	EV0(s, EV_CLONE_20_E, 100);
	clone_exit(s, 100, 200, 100, 1, 0, "bash");
	struct hr_thread *c = hr_state_thread(s, 200);
	check(c != NULL, "fork child created from the parent's exit", NULL);
	if (!c)
		return;
	check_int("child pid", c->pid, 200);
	check_int("child ptid", c->ptid, 100);
	check_str("child cwd from parent", str(&c->cwd), "/home/alice/");
	check_str("child copies the parent's fds", fd_name(s, 200, 3), "/etc/passwd");
	check_int("child uid", c->uid, 1000);
	EV0(s, EV_OPEN_E, 200);
	check_int("child's own event finds it", event.thread == c, 1);
	/* The child's own clone exit changes nothing. */
	clone_exit(s, 200, 0, 200, 100, 0, "bash");
	check(hr_state_thread(s, 200) == c, "child exit keeps the child", NULL);

	/* A thread shares its process's fd table. */
	clone_exit(s, 100, 102, 100, 1, (1u << 13) | 1u, "bash");
	struct hr_thread *th = hr_state_thread(s, 102);
	check(th && th->pid == 100, "thread belongs to its process", NULL);
	EV(s, EV_OPEN_E, 102, PSTR("/x"), P32(1), P32(0));
	EV(s, EV_OPEN_X, 102, P64(30), PSTR("/x"), P32(1), P32(0), P32(0));
	check_str("thread's open lands in the process table", fd_name(s, 100, 30), "/x");

	char cg[200];
	int n = snprintf(cg, sizeof cg, "cpuset=/docker/%s", docker_id);
	EV(s, EV_EXECVE_19_E, 200, PSTR("/usr/bin/cat"));
	struct hr_event *e = execve_exit(s, 200, cg, (uint32_t)n + 1);
	c = hr_state_thread(s, 200);
	check_str("execve exe", str(&c->exe), "/usr/bin/cat");
	check_str("execve comm", str(&c->comm), "cat");
	check_int("execve args", c->args.len, 11);
	check_str("execve exepath", str(&c->exepath), "/usr/bin/cat");
	check_int("execve fdlimit", (long long)c->fdlimit, 4096);
	check_int("execve tty", c->tty, 34816);
	check_int("execve loginuid", c->loginuid, 1000);
	check(c->exe_writable, "execve exe writable flag", NULL);
	check_str("container id from docker cgroup", c->container_id, "3f2504e04f89");
	const struct hr_container *ct = hr_state_container(s, "3f2504e04f89");
	check(ct && ct->type_id == 0, "docker container entry", NULL);
	check(e->thread == c, "execve event thread", NULL);
	hr_state_free(s);
}

static void test_cgroup_layouts(void)
{
	struct hr_state *s = base_state();
	struct {
		const char *fmt, *want;
	} cases[] = {
		{"cpu=/system.slice/docker-%s.scope", "3f2504e04f89"},
		{"cpu=/kubepods/besteffort/pod1234/%s", "3f2504e04f89"},
		{"cpu=/kubepods.slice/kubepods-pod1.slice/cri-containerd-%s.scope", "3f2504e04f89"},
		{"cpu=/machine.slice/libpod-%s.scope", "3f2504e04f89"},
		{"cpu=/system.slice/crio-%s.scope", "3f2504e04f89"},
		{"cpu=/lxc/web01/init.scope%.0s", "web01"},
		{"cpu=/user.slice/user-1000.slice/session-2.scope%.0s", ""},
		{"cpu=/docker/%.12s", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char cg[300];
		int n = snprintf(cg, sizeof cg, cases[i].fmt, docker_id);
		EV(s, EV_EXECVE_19_E, 100, PSTR("/usr/bin/cat"));
		execve_exit(s, 100, cg, (uint32_t)n + 1);
		check_str(cases[i].fmt, hr_state_thread(s, 100)->container_id, cases[i].want);
	}
	hr_state_free(s);
}

/* The items joined by '|' so that a case reads as one string. */
static void check_cgroup_items(const char *what, const char *proc_text, const char *want)
{
	char text[512], out[512], joined[512];
	snprintf(text, sizeof text, "%s", proc_text);
	size_t used = hr_proc_cgroups_items(text, out, sizeof out);
	size_t j = 0;
	for (size_t pos = 0; pos < used; pos += strlen(out + pos) + 1)
		j += (size_t)snprintf(joined + j, sizeof joined - j, "%s%s", j ? "|" : "", out + pos);
	joined[j] = 0;
	check_str(what, joined, want);
}

static void test_proc_cgroup_items(void)
{
	check_cgroup_items("v1 lines, one item per controller",
			   "12:cpu,cpuacct:/a\n4:memory:/b\n0::/unified\n", "cpu=/a|cpuacct=/a|memory=/b");
	check_cgroup_items("v2 only: the unified line for cpu, memory and cpuset", "0::/c\n",
			   "cpu=/c|memory=/c|cpuset=/c");
	check_cgroup_items("no cgroups", "", "");
	char small[8];
	char text[] = "3:cpu:/long/path\n";
	check_int("an item that does not fit is left out", (long long)hr_proc_cgroups_items(text, small, sizeof small), 0);
}

static void test_container_events(void)
{
	struct hr_state *s = base_state();
	const char *json = "{\"container\":{\"id\":\"abcdef012345\",\"type\":0,\"name\":\"web\",\"image\":\"nginx:1.2\","
			   "\"imagerepo\":\"nginx\",\"imagetag\":\"1.2\",\"privileged\":true,\"lookup_state\":1,"
			   "\"Mounts\":[{\"Source\":\"/a\"}],\"labels\":{\"x\":\"y\\\"z\"},\"created_time\":5}}";
	struct hr_event *e = EV(s, EV_CONTAINER_JSON_E, 0, PSTR(json));
	check(e->thread && e->thread->tid == -1, "container event gets sinsp's stand-in thread", NULL);
	check_str("stand-in thread name", e->thread ? str(&e->thread->comm) : NULL, "container:abcdef012345");
	check_str("stand-in thread container", e->thread ? e->thread->container_id : NULL, "abcdef012345");
	check(hr_state_thread(s, -1) == NULL, "stand-in thread is not in the table", NULL);
	const struct hr_container *c = hr_state_container(s, "abcdef012345");
	check(c != NULL, "container from JSON", NULL);
	if (c) {
		check_str("container name", str(&c->name), "web");
		check_str("container image", str(&c->image), "nginx:1.2");
		check_str("container tag", str(&c->image_tag), "1.2");
		check(c->privileged, "container privileged", NULL);
		check_str("container type name", str(&c->type), "docker");
	}
	EV(s, EV_CONTAINER_E, 0, PSTR("0123456789ab"), P32(1), PSTR("box"), PSTR("img"));
	c = hr_state_container(s, "0123456789ab");
	check(c && c->type_id == 1 && strcmp(str(&c->name), "box") == 0, "old container event", NULL);
	hr_state_free(s);
}

/* Many short-lived processes: thread and fd counts must not grow. */
static void test_bounded_memory(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_READ_E, 100, P64(3), P32(1));
	uint64_t threads = hr_state_thread_count(s), fds = hr_state_fd_count(s);
	for (int64_t i = 0; i < 20000; i++) {
		int64_t child = 1000 + i;
		EV0(s, EV_CLONE_20_E, 100);
		clone_exit(s, 100, child, 100, 1, 0, "bash");
		clone_exit(s, child, 0, child, 100, 0, "bash");
		EV(s, EV_OPEN_E, child, PSTR("/tmp/f"), P32(1), P32(0));
		EV(s, EV_OPEN_X, child, P64(40), PSTR("/tmp/f"), P32(1), P32(0), P32(0));
		/* A thread of the child that outlives it for one event. */
		clone_exit(s, child, child + 500000, child, 100, (1u << 13) | 1u, "bash");
		EV0(s, EV_PROCEXIT_1_E, child);
		EV0(s, EV_PROCEXIT_1_E, child + 500000);
	}
	EV(s, EV_READ_E, 100, P64(3), P32(1));
	check_int("thread count stays bounded", (long long)hr_state_thread_count(s), (long long)threads);
	check_int("fd count stays bounded", (long long)hr_state_fd_count(s), (long long)fds);
	hr_state_free(s);
}

static void test_procexit_deferred(void)
{
	struct hr_state *s = base_state();
	EV0(s, EV_CLONE_20_E, 100);
	clone_exit(s, 100, 300, 100, 1, 0, "bash");
	struct hr_event *e = EV0(s, EV_PROCEXIT_1_E, 300);
	check(e->thread && e->thread->tid == 300, "procexit still sees its thread", NULL);
	check(hr_state_thread(s, 300) != NULL, "dying thread kept during its procexit", NULL);
	EV(s, EV_READ_E, 100, P64(3), P32(1));
	check(hr_state_thread(s, 300) == NULL, "dead thread freed at the next event", NULL);
	/* A main thread with live threads survives its procexit. */
	EV0(s, EV_PROCEXIT_1_E, 100);
	EV(s, EV_READ_E, 101, P64(3), P32(1));
	check(hr_state_thread(s, 100) != NULL, "main thread with a live thread is kept", NULL);
	check_str("its thread still sees the files", event.fd ? str(&event.fd->name) : NULL, "/etc/passwd");
	EV0(s, EV_PROCEXIT_1_E, 101);
	EV(s, EV_READ_E, 555, P64(3), P32(1));
	check(hr_state_thread(s, 101) == NULL && hr_state_thread(s, 100) == NULL,
	      "the last thread's exit frees the dead main thread", NULL);
	hr_state_free(s);
}

static void test_newer_events(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_EPOLL_CREATE1_X, 100, P64(22), P32(0));
	check_int("epoll_create1 (newer driver)", fd_type(s, 100, 22), HR_FD_EVENTPOLL);
	EV(s, EV_MEMFD_CREATE_X, 100, P64(23), PSTR("buf"), P32(0));
	check_str("memfd name", fd_name(s, 100, 23), "buf");
	EV(s, EV_DUP2_X, 100, P64(24), P64(3), P64(24));
	check_str("dup2 exit-only copies the old fd", fd_name(s, 100, 24), "/etc/passwd");
	EV(s, EV_USER_ADDED_E, 0, P32(2000), P32(2000), PSTR("bob"), PSTR("/home/bob"), PSTR("/bin/sh"), PSTR(""));
	check(hr_state_user(s, 2000) != NULL, "user added", NULL);
	EV(s, EV_USER_DELETED_E, 0, P32(2000), P32(2000), PSTR("bob"), PSTR("/home/bob"), PSTR("/bin/sh"), PSTR(""));
	check(hr_state_user(s, 2000) == NULL, "user deleted", NULL);
	hr_state_free(s);
}


static void test_inverted_clone(void)
{
	struct hr_state *s = base_state();
	/* The child's clone exit arrives before the parent's. */
	struct hr_event *e = clone_exit(s, 400, 0, 400, 100, 0, "worker");
	struct hr_thread *c = hr_state_thread(s, 400);
	check(c != NULL, "child created from its own clone exit", NULL);
	check(e->thread == c, "the event shows the child", NULL);
	check_int("inverted child's parent", c ? c->ptid : 0, 100);
	check_str("inverted child's comm", c ? str(&c->comm) : NULL, "worker");
	check_str("inverted child copies the parent's fds", fd_name(s, 400, 3), "/etc/passwd");
	uint64_t n = hr_state_thread_count(s);
	clone_exit(s, 100, 400, 100, 1, 0, "worker");
	check_int("the parent's late exit adds nothing", (long long)hr_state_thread_count(s), (long long)n);
	check(hr_state_thread(s, 400)->flags & (1u << 16), "child marked as seen before its parent's exit", NULL);
	/* A clone returning its own tid replaces the thread without a duplicate. */
	clone_exit(s, 100, 100, 100, 1, 0, "again");
	check_int("self-returning clone keeps one thread", (long long)hr_state_thread_count(s), (long long)n);
	check_str("self-returning clone's comm", str(&hr_state_thread(s, 100)->comm), "again");
	check(fd_name(s, 100, 3) == NULL, "self-returning clone loses its fds, as in sinsp", NULL);
	hr_state_free(s);
}

static void test_execveat_and_exit_only(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_OPEN_E, 100, PSTR("/usr/bin"), P32(1u << 10), P32(0));
	EV(s, EV_OPEN_X, 100, P64(40), PSTR("/usr/bin"), P32(1u << 10), P32(0), P32(0));
	EV(s, EV_EXECVEAT_E, 100, P64(40), PSTR("env"), P32(0));
	EV(s, EV_EXECVEAT_X, 100, P64(0), PSTR("/usr/bin/env"), PBUF("", 0), P64(100), P64(100), P64(1),
	   PSTR("/home/alice"), P64(1024), P64(0), P64(0), P32(0), P32(0), P32(0), PSTR("env"), PBUF("", 0),
	   PBUF("", 0), P32(0), P64(100), P32(1000), P32(0));
	check_str("execveat exepath relative to its dirfd", str(&hr_state_thread(s, 100)->exepath), "/usr/bin/env");

	/* Exit-only (newest driver) openat: everything comes from the exit. */
	EV(s, EV_OPENAT_2_X, 100, P64(41), P64(-100), PSTR("notes"), P32(1), P32(0), P32(0), P64(7));
	check_str("exit-only openat", fd_name(s, 100, 41), "/home/alice/notes");
	/* Exit-only socket: domain, type and protocol follow the fd. */
	EV(s, EV_SOCKET_X, 100, P64(42), P32(10), P32(2), P32(0));
	const struct hr_fd *f = hr_state_fd(s, hr_state_thread(s, 100), 42);
	check(f && f->type == HR_FD_IPV6_SOCK && f->l4proto == 3, "exit-only udp6 socket", NULL);
	hr_state_free(s);
}

static void test_more_socket_paths(void)
{
	struct hr_state *s = base_state();
	/* IPv6 client. */
	EV(s, EV_SOCKET_E, 100, P32(10), P32(1), P32(0));
	EV(s, EV_SOCKET_X, 100, P64(50));
	uint8_t t6[37] = {10};
	t6[16] = 1;                       /* ::1 */
	t6[17] = 0x88, t6[18] = 0x13;     /* 5000 */
	t6[34] = 1;                       /* ::1 */
	t6[35] = 80;
	EV(s, EV_CONNECT_E, 100, P64(50), PBUF("\012", 1));
	EV(s, EV_CONNECT_X, 100, P64(0), PBUF(t6, 37));
	check_str("ipv6 connect", fd_name(s, 100, 50), "::1:5000->::1:80");

	/* A UDP server socket learns its peer from recvfrom and stays the server side. */
	EV(s, EV_SOCKET_E, 100, P32(2), P32(2), P32(0));
	EV(s, EV_SOCKET_X, 100, P64(51));
	uint8_t bind_addr[7] = {2, 0, 0, 0, 0, 53, 0};
	EV(s, EV_BIND_E, 100, P64(51));
	EV(s, EV_BIND_X, 100, P64(0), PBUF(bind_addr, 7));
	EV(s, EV_SOCKET_E, 100, P32(2), P32(2), P32(0));
	EV(s, EV_SOCKET_X, 100, P64(52));
	uint8_t from[13] = {2, 10, 0, 0, 9, 0x39, 0x30, 10, 0, 0, 1, 53, 0};
	EV(s, EV_RECVFROM_E, 100, P64(52), P32(512));
	EV(s, EV_RECVFROM_X, 100, P64(20), PBUF("q", 1), PBUF(from, 13));
	const struct hr_fd *f = hr_state_fd(s, hr_state_thread(s, 100), 52);
	check_str("recvfrom names the socket", fd_name(s, 100, 52), "10.0.0.9:12345->10.0.0.1:53");
	check(f && f->is_role_server && !f->is_role_client, "port 53 is bound by another socket of the process: server", NULL);

	/* getsockopt looks its fd up in the main thread's table. */
	EV0(s, EV_GETSOCKOPT_E, 101);
	struct hr_event *e = EV(s, EV_GETSOCKOPT_X, 101, P64(0), P64(3), P8(1), P8(4), PBUF("\0\0\0\0\0\0\0\0\0", 9),
			       P32(4));
	check(e->fd && e->fd->fd == 3, "getsockopt fd", NULL);
	check_int("getsockopt fd number", e->fd_num, 3);
	hr_state_free(s);
}

static void test_process_attributes(void)
{
	struct hr_state *s = base_state();
	EV(s, EV_PRLIMIT_E, 101, P64(0), P8(7));
	EV(s, EV_PRLIMIT_X, 101, P64(0), P64(4096), P64(8192), P64(1024), P64(4096));
	check_int("prlimit NOFILE sets the process fdlimit", (long long)hr_state_thread(s, 100)->fdlimit, 4096);
	EV0(s, EV_SETSID_E, 100);
	EV(s, EV_SETSID_X, 100, P64(100));
	check_int("setsid", hr_state_thread(s, 100)->sid, 100);
	EV0(s, EV_CHROOT_E, 100);
	EV(s, EV_CHROOT_X, 100, P64(0), PSTR("jail"));
	check_str("chroot relative to cwd", str(&hr_state_thread(s, 100)->root), "/home/alice/jail");
	check(hr_state_env(s, hr_state_thread(s, 101)) == &hr_state_thread(s, 100)->env,
	      "a thread's environment is its process's", NULL);
	hr_state_free(s);
}

static void add_ipv4_iface(struct hr_state *s, const char *name, const uint8_t addr[4], const uint8_t mask[4])
{
	struct hr_record rec;
	memset(&rec, 0, sizeof(rec));
	rec.kind = HR_REC_IFACE;
	rec.u.iface.kind = HR_IFACE_IPV4;
	memcpy(rec.u.iface.addr, addr, 4);
	memcpy(rec.u.iface.netmask, mask, 4);
	rec.u.iface.name = view(name);
	hr_state_apply_record(s, &rec);
}

/* A send on an fd whose socket call was missed: sysdig 0.29.3 makes it a
 * UDP socket from a sendto enter only; Falco 0.44 (newest libs) from any
 * successful send/sendto/sendmsg exit, never from an enter. Both complete
 * a tuple sent from INADDR_ANY with the interface that reaches the peer. */
static void test_send_on_unknown_fd(void)
{
	static const uint8_t lo[4] = {127, 0, 0, 1}, lo_mask[4] = {255, 0, 0, 0};
	static const uint8_t eth[4] = {10, 0, 2, 15}, eth_mask[4] = {255, 255, 255, 0};
	/* 0.0.0.0:1 -> 128.32.41.1:0, as ping's sendmsg reports it */
	uint8_t tuple[13] = {2, 0, 0, 0, 0, 1, 0, 128, 32, 41, 1, 0, 0};
	for (int newest = 0; newest < 2; newest++) {
		struct hr_state *s = base_state();
		add_ipv4_iface(s, "lo", lo, lo_mask);
		add_ipv4_iface(s, "eth0", eth, eth_mask);
		hr_state_set_newest_libs(s, newest);
		check(hr_state_newest_libs(s) == (newest != 0), "newest-libs switch reads back", NULL);

		EV(s, EV_SENDMSG_X - 1 /* enter */, 100, P64(20), P32(64), PBUF(tuple, 13));
		EV(s, EV_SENDMSG_X, 100, P64(64), PBUF("x", 1));
		if (newest) {
			check_str("sendmsg exit infers a udp socket (newest)", fd_name(s, 100, 20),
				  "10.0.2.15:1->128.32.41.1:0");
			const struct hr_fd *f = hr_state_fd(s, hr_state_thread(s, 100), 20);
			check(f && f->l4proto == 3 && f->is_role_client, "inferred socket is a udp (3) client", NULL);
		} else {
			check(fd_name(s, 100, 20) == NULL, "sysdig infers nothing from sendmsg", NULL);
		}

		EV(s, EV_SENDTO_E, 100, P64(21), P32(64), PBUF(tuple, 13));
		EV(s, EV_SENDTO_X, 100, P64(-1), PBUF("", 0));
		if (newest)
			check(fd_name(s, 100, 21) == NULL, "failed sendto infers nothing (newest)", NULL);
		else
			check_str("sendto enter infers a udp socket (sysdig)", fd_name(s, 100, 21), "");

		EV(s, EV_SENDTO_E, 100, P64(22), P32(64), PBUF(tuple, 13));
		EV(s, EV_SENDTO_X, 100, P64(64), PBUF("x", 1));
		check_str("sendto names the inferred socket with the interface address", fd_name(s, 100, 22),
			  "10.0.2.15:1->128.32.41.1:0");

		/* the exit-only layout carries fd, size and tuple itself (on the
		 * other thread, which has no enter to pair it with) */
		EV(s, EV_SENDTO_X, 101, P64(64), PBUF("x", 1), P64(23), P32(64), PBUF(tuple, 13));
		if (newest)
			check_str("exit-only sendto infers a udp socket (newest)", fd_name(s, 100, 23),
				  "10.0.2.15:1->128.32.41.1:0");
		else
			check(fd_name(s, 100, 23) == NULL, "sysdig infers nothing from a sendto exit", NULL);
		hr_state_free(s);
	}
}

/* Path clean-up: sysdig 0.29.3 turns every unprintable byte into '.' and
 * treats "./" and ".." anywhere; Falco 0.44's libs keep the bytes and treat
 * dots only where a path component starts. */
static void test_path_cleanup_modes(void)
{
	static const char path[] = "/tmp/./a./b/..x/../\xc3\xa9\n";
	for (int newest = 0; newest < 2; newest++) {
		struct hr_state *s = base_state();
		hr_state_set_newest_libs(s, newest);
		EV(s, EV_OPEN_E, 100, PSTR(path), P32(1), P32(0));
		EV(s, EV_OPEN_X, 100, P64(7), PSTR(path), P32(1), P32(0), P32(0));
		check_str(newest ? "newest libs keep bytes, dots special at component starts"
				 : "sysdig cleans unprintables and dots anywhere",
			  fd_name(s, 100, 7), newest ? "/tmp/a./b/\xc3\xa9\n" : "/tmp/ab/...");
		hr_state_free(s);
	}
}

void unit_state(unsigned *passed, unsigned *failed);
void unit_state(unsigned *passed, unsigned *failed)
{
	test_event_ids();
	test_process_list();
	test_pairing();
	test_unknown_thread();
	test_open_close();
	test_sockets();
	test_dup_fcntl_chdir_ids();
	test_clone_execve();
	test_cgroup_layouts();
	test_proc_cgroup_items();
	test_container_events();
	test_procexit_deferred();
	test_bounded_memory();
	test_newer_events();
	test_inverted_clone();
	test_execveat_and_exit_only();
	test_more_socket_paths();
	test_process_attributes();
	test_send_on_unknown_fd();
	test_path_cleanup_modes();
	*passed += n_passed;
	*failed += n_failed;
}
