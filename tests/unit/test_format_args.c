/*
 * Unit tests of event argument rendering (src/format/event_args.c): one or
 * more hand-packed v2 events per parameter type, rendered against a small
 * state (one thread, a few fds, a user and a group) and compared with what
 * sysdig 0.29.3 prints for the same values.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "capture/scap_reader.h"
#include "format/event_args.h"
#include "format/value_names.h"
#include "state/state.h"

static unsigned n_passed, n_failed;

/* ------------------------------------------------------------ packing */

struct packed {
	uint8_t rec[8192];
	struct hr_event ev;
};

struct param {
	const void *p;
	uint32_t len;
};

static void put_le(uint8_t *dst, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		dst[i] = (uint8_t)(v >> (8 * i));
}

/* Packs a v2 event record of `type` for thread `tid` and decodes it. */
static struct hr_event *pack(struct packed *pk, uint16_t type, int64_t tid, const struct param *ps, unsigned n)
{
	unsigned lsz = hr_event_len_size(type);
	uint32_t len = HR_EVENT_HEADER_V2_LEN + n * lsz;
	for (unsigned i = 0; i < n; i++)
		len += ps[i].len;
	memset(pk, 0, sizeof(*pk));
	put_le(pk->rec, 1650000000000000000ull, 8);
	put_le(pk->rec + 8, (uint64_t)tid, 8);
	put_le(pk->rec + 16, len, 4);
	put_le(pk->rec + 20, type, 2);
	put_le(pk->rec + 22, n, 4);
	uint8_t *w = pk->rec + HR_EVENT_HEADER_V2_LEN;
	for (unsigned i = 0; i < n; i++, w += lsz)
		put_le(w, ps[i].len, lsz);
	for (unsigned i = 0; i < n; i++, w += ps[i - 1].len)
		memcpy(w, ps[i].p, ps[i].len);
	pk->ev.type = type;
	pk->ev.tid = tid;
	const char *err = hr_event_decode(&pk->ev, pk->rec, len);
	if (err)
		fprintf(stderr, "pack: %s\n", err);
	return &pk->ev;
}

/* Parameter values in the capture's little-endian encoding. */
struct value {
	uint8_t b[64];
	uint32_t len;
};

static struct value num(uint64_t v, unsigned size)
{
	struct value x = {{0}, size};
	put_le(x.b, v, size);
	return x;
}

#define P(v) ((struct param){(v).b, (v).len})
#define STR(s) ((struct param){(s), (uint32_t)sizeof(s)})
#define RAW(s, n) ((struct param){(s), (n)})

/* ------------------------------------------------------------ state */

static struct hr_state *make_state(void)
{
	struct hr_state *s = hr_state_new();
	struct hr_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.kind = HR_REC_USER;
	rec.u.user.uid = 0;
	rec.u.user.name = (struct hr_str){"root", 4};
	hr_state_apply_record(s, &rec);
	memset(&rec, 0, sizeof(rec));
	rec.kind = HR_REC_GROUP;
	rec.u.group.gid = 27;
	rec.u.group.name = (struct hr_str){"su\x01" "do", 5};
	hr_state_apply_record(s, &rec);

	static const struct {
		int64_t tid, pid;
		const char *comm, *cwd;
	} threads[] = {{100, 100, "bash", "/home/alice/"}, {200, 200, "cat", "/home/alice/"},
		       {300, 300, "odd", "rel dir/"}, {400, 401, "orphan", "/orphan/"}};
	for (unsigned i = 0; i < 4; i++) {
		memset(&rec, 0, sizeof(rec));
		rec.kind = HR_REC_THREAD;
		hr_proc_entry_init(&rec.u.thread);
		rec.u.thread.tid = threads[i].tid;
		rec.u.thread.pid = threads[i].pid;
		rec.u.thread.ptid = 1;
		rec.u.thread.comm = (struct hr_str){threads[i].comm, (uint32_t)strlen(threads[i].comm)};
		rec.u.thread.exe = rec.u.thread.comm;
		rec.u.thread.cwd = (struct hr_str){threads[i].cwd, (uint32_t)strlen(threads[i].cwd)};
		hr_state_apply_record(s, &rec);
	}

	static const struct {
		int64_t fd;
		uint8_t type;
		uint8_t l4proto;
		const char *name;
	} fds[] = {
		{3, HR_FD_FILE_V2, 0, "/etc/passwd"},
		{4, HR_FD_DIRECTORY, 0, "/var/lib"},
		{5, HR_FD_IPV4_SOCK, 2, ""},
		{6, HR_FD_UNIX_SOCK, 0, ""},
		{7, HR_FD_FIFO, 0, ""},
		{8, HR_FD_IPV6_SERVSOCK, 3, ":::53"},
	};
	for (unsigned i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		memset(&rec, 0, sizeof(rec));
		rec.kind = HR_REC_FD;
		rec.u.fd.tid = 100;
		rec.u.fd.entry.fd = fds[i].fd;
		rec.u.fd.entry.type = fds[i].type;
		rec.u.fd.entry.l4proto = fds[i].l4proto;
		rec.u.fd.entry.name = (struct hr_str){fds[i].name, (uint32_t)strlen(fds[i].name)};
		if (fds[i].type == HR_FD_IPV6_SERVSOCK)
			rec.u.fd.entry.sport = 53;
		if (fds[i].type == HR_FD_IPV4_SOCK) {
			const uint8_t sip[4] = {10, 0, 0, 1}, dip[4] = {10, 0, 0, 2};
			memcpy(rec.u.fd.entry.sip, sip, 4);
			memcpy(rec.u.fd.entry.dip, dip, 4);
			rec.u.fd.entry.sport = 40000;
			rec.u.fd.entry.dport = 80;
		}
		hr_state_apply_record(s, &rec);
	}
	return s;
}

/* ------------------------------------------------------------ checks */

static struct hr_state *state;

static void expect(const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) == 0) {
		n_passed++;
		return;
	}
	n_failed++;
	printf("FAIL format_args %s:\n  want [%s]\n  got  [%s]\n", what, want, got);
}

static void expect_args(const char *what, struct hr_event *e, const char *want)
{
	static struct hr_strbuf sb;
	hr_sb_reset(&sb);
	e->thread = hr_state_thread(state, e->tid);
	hr_format_evt_args(&sb, state, e);
	expect(what, hr_sb_str(&sb), want);
}

static void expect_param(const char *what, struct hr_event *e, unsigned idx, bool resolved, const char *want)
{
	static struct hr_strbuf sb;
	hr_sb_reset(&sb);
	e->thread = hr_state_thread(state, e->tid);
	hr_format_param(&sb, state, e, idx, resolved);
	expect(what, hr_sb_str(&sb), want);
}

/* ------------------------------------------------------------ tests */

static void test_fds_and_paths(void)
{
	struct packed pk;
	struct value fd = num(3, 8), flags = num(4097, 4), mode = num(0, 4), dev = num(0xfd01, 4),
		     ino = num(77, 8);
	/* open exit: the 2022 layout has no ino, so it is not shown. */
	struct param open_x[] = {P(fd), STR("/etc/passwd"), P(flags), P(mode), P(dev), P(ino)};
	expect_args("open exit", pack(&pk, 3, 100, open_x, 6),
		    "fd=3(<f>/etc/passwd) name=/etc/passwd flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=FD01 ");

	struct value mode_oct = num(0644, 4);
	struct param open_rel[] = {P(fd), STR("./x/../y//z/"), P(num(3, 4)), P(mode_oct), P(dev)};
	expect_args("relative path joined with cwd", pack(&pk, 3, 100, open_rel, 5),
		    "fd=3(<f>/etc/passwd) name=./x/../y//z/(/home/alice/y/z) flags=3(O_RDWR) mode=0644 dev=FD01 ");

	struct param open_up[] = {P(num(-2, 8)), STR("../../../.."), P(num(0, 4)), P(mode), P(dev)};
	expect_args("parent steps stop at the root; errno fd", pack(&pk, 3, 100, open_up, 5),
		    "fd=-2(ENOENT) name=../../../..(/) flags=0(O_NONE) mode=0 dev=FD01 ");

	struct param open_empty[] = {P(num(9, 8)), STR(""), P(num(0x2000, 4)), P(mode), P(dev)};
	expect_args("empty path resolves to the cwd; fd not in the table", pack(&pk, 3, 100, open_empty, 5),
		    "fd=9 name=(/home/alice) flags=8192(O_TMPFILE) mode=0 dev=FD01 ");

	/* Unprintable bytes: dropped from the raw text, '.' in the resolved one. */
	struct param open_bin[] = {P(fd), STR("a\x01" "b"), P(num(0x4000 | 1, 4)), P(mode), P(dev)};
	expect_args("unprintable path bytes; O_F_CREATED unknown to sysdig 0.29.3",
		    pack(&pk, 3, 100, open_bin, 5),
		    "fd=3(<f>/etc/passwd) name=ab(/home/alice/a.b) flags=16385(O_RDONLY) mode=0 dev=FD01 ");

	/* A relative cwd (sysdig keeps chdir's argument as given) loses even
	 * its first character to "..". */
	struct param open_relcwd[] = {P(num(9, 8)), STR("../../x"), P(num(1, 4)), P(mode), P(dev)};
	expect_args("parent steps in a relative cwd", pack(&pk, 3, 300, open_relcwd, 5),
		    "fd=9 name=../../x(x) flags=1(O_RDONLY) mode=0 dev=FD01 ");

	/* A thread whose process's main thread is unknown: sysdig makes up an
	 * empty main thread, so the cwd is empty. */
	expect_args("main thread unknown", pack(&pk, 3, 400, open_relcwd, 5),
		    "fd=9 name=../../x(x) flags=1(O_RDONLY) mode=0 dev=FD01 ");

	/* openat: relative to the directory fd, AT_FDCWD, or an unknown fd. */
	struct param openat_dir[] = {P(num(4, 8)), STR("lib.so"), P(num(1, 4)), P(mode)};
	expect_args("openat relative to a directory fd", pack(&pk, 306, 100, openat_dir, 4),
		    "dirfd=4(<d>/var/lib) name=lib.so(/var/lib/lib.so) flags=1(O_RDONLY) mode=0 ");
	struct param openat_cwd[] = {P(num((uint64_t)-100, 8)), STR("lib.so"), P(num(1, 4)), P(mode)};
	expect_args("openat with AT_FDCWD", pack(&pk, 306, 100, openat_cwd, 4),
		    "dirfd=-100(AT_FDCWD) name=lib.so(/home/alice/lib.so) flags=1(O_RDONLY) mode=0 ");
	struct param openat_unknown[] = {P(num(50, 8)), STR("lib.so"), P(num(1, 4)), P(mode)};
	expect_args("openat with an unknown directory fd", pack(&pk, 306, 100, openat_unknown, 4),
		    "dirfd=50 name=lib.so(lib.so) flags=1(O_RDONLY) mode=0 ");

	struct param sock_fd[] = {P(num(5, 8)), P(num(64, 4))};
	/* A listed socket has no role yet, so no protocol letter. */
	expect_args("tcp socket of unknown role", pack(&pk, 34, 100, sock_fd, 2), "fd=5(<4>10.0.0.1:40000->10.0.0.2:80) size=64 ");
	struct param serv_fd[] = {P(num(8, 8)), P(num(64, 4))};
	expect_args("udp server socket", pack(&pk, 34, 100, serv_fd, 2), "fd=8(<6u>:::53) size=64 ");

	/* A thread the state does not know: fds stay numbers. */
	expect_args("no thread", pack(&pk, 34, 999, sock_fd, 2), "fd=5 size=64 ");

	expect_param("evt.arg resolved fd", pack(&pk, 3, 100, open_x, 6), 0, true, "<f>/etc/passwd");
	expect_param("evt.rawarg fd", pack(&pk, 3, 100, open_x, 6), 0, false, "3");
	expect_param("evt.arg unresolved mode", pack(&pk, 3, 100, open_rel, 5), 3, true, "0644");
	expect_param("evt.rawarg flags", pack(&pk, 3, 100, open_x, 6), 2, false, "4097");
	expect_param("evt.arg flags", pack(&pk, 3, 100, open_x, 6), 2, true, "O_RDONLY|O_CLOEXEC");
}

/* sysdig cuts paths at its reused buffer's size, which long strings grow. */
static void test_long_paths(void)
{
	static char path[1501], want[4200], text[2001];
	struct packed pk;
	memset(path, 'a', 1500);
	struct param creat_e[] = {RAW(path, 1501), P(num(0, 4))};
	snprintf(want, sizeof(want), "name=%.1023s(/home/alice/%s) mode=0 ", path, path);
	expect_args("long path cut at the 1024-byte buffer", pack(&pk, 58, 100, creat_e, 2), want);

	memset(text, 'b', 2000);
	struct param getcwd_x[] = {P(num(0, 8)), RAW(text, 2001)};
	pack(&pk, 93, 100, getcwd_x, 2);
	snprintf(want, sizeof(want), "res=0 path=%s ", text);
	expect_args("long string printed whole", &pk.ev, want);
	snprintf(want, sizeof(want), "name=%s(/home/alice/%s) mode=0 ", path, path);
	expect_args("long path whole once a longer string grew the buffer", pack(&pk, 58, 100, creat_e, 2), want);
}

static void test_numbers(void)
{
	struct packed pk;
	struct param close_x[] = {P(num(-2, 8))};
	expect_args("errno", pack(&pk, 5, 100, close_x, 1), "res=-2(ENOENT) ");
	struct param close_unknown[] = {P(num(-1000, 8))};
	expect_args("unnamed errno", pack(&pk, 5, 100, close_unknown, 1), "res=-1000 ");
	struct param close_big[] = {P(num(-529, 8))};
	expect_args("kernel-internal errno", pack(&pk, 5, 100, close_big, 1), "res=-529(EIOCBQUEUED) ");

	/* mmap enter: UINT64 hex uppercase, flags, an fd of 32-bit -1. */
	struct param mmap_e[] = {P(num(0x7fad48557000, 8)), P(num(24576, 8)), P(num(3, 4)), P(num(1030, 4)),
				 P(num(0xffffffff, 8)), P(num((uint64_t)-1, 8))};
	expect_args("mmap enter", pack(&pk, 160, 100, mmap_e, 6),
		    "addr=7FAD48557000 length=24576 prot=3(PROT_READ|PROT_WRITE) "
		    "flags=1030(MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE) fd=4294967295 offset=-1 ");

	/* uint32 PF_DEC is printed with %d by sysdig. */
	struct param recv_e[] = {P(num(3, 8)), P(num(0xfffffffe, 4))};
	expect_args("uint32 above 2^31", pack(&pk, 34, 100, recv_e, 2), "fd=3(<f>/etc/passwd) size=-2 ");

	/* Signed types: %X and %#o show the 32-bit pattern of negative values. */
	struct param semget[] = {P(num((uint32_t)-1, 4)), P(num((uint32_t)-5, 4)), P(num(0, 4))};
	expect_args("int32 hex and dec", pack(&pk, 262, 100, semget, 3), "key=FFFFFFFF nsems=-5 semflg=0 ");
	struct param semop[] = {P(num(0, 8)), P(num(2, 4)), P(num(1, 2)), P(num((uint16_t)-3, 2)), P(num(0, 2)),
				P(num(65535, 2)), P(num(7, 2)), P(num(0, 2))};
	expect_args("int16 and uint16", pack(&pk, 251, 100, semop, 8),
		    "res=0 nsops=2 sem_num_0=1 sem_op_0=-3 sem_flg_0=0 sem_num_1=65535 sem_op_1=7 sem_flg_1=0 ");

	/* Ids newer than sysdig 0.29.3 use the newest layout and types. */
	uint8_t ip[4] = {192, 168, 1, 2};
	struct param inet[] = {P(num(5, 4)), P(num(1, 2)), P(num(6, 2)), RAW(ip, 4), P(num(443, 2)), RAW(ip, 4),
			       P(num(0, 2)), P(num(9, 8))};
	expect_args("fd32, ipv4 address and port", pack(&pk, 440, 100, inet, 8),
		    "fd=5(<4>10.0.0.1:40000->10.0.0.2:80) sk_type=1 sk_proto=6 local_ip=192.168.1.2 local_port=443 "
		    "remote_ip=192.168.1.2 remote_port=0 ino_num=9 ");
	struct param prctl[] = {P(num(0, 8)), P(num(15, 4)), STR("worker"), P(num(0, 8))};
	expect_args("enumeration", pack(&pk, 401, 100, prctl, 4), "res=0 option=15(PR_SET_NAME) arg2_str=worker arg2_int=0 ");

	/* shutdown: FLAGS8, SHUT_UNKNOWN is newer than sysdig 0.29.3. */
	struct param shut[] = {P(num(6, 8)), P(num(255, 1))};
	expect_args("flags8 without SHUT_UNKNOWN", pack(&pk, 36, 100, shut, 2), "fd=6(<u>) how=255(SHUT_RDWR|SHUT_WR) ");
	struct param shut0[] = {P(num(7, 8)), P(num(0, 1))};
	expect_args("zero-valued flag", pack(&pk, 36, 100, shut0, 2), "fd=7(<p>) how=0(SHUT_RD) ");

	struct param tkill[] = {P(num(200, 8)), P(num(9, 1))};
	expect_args("pid and signal", pack(&pk, 130, 100, tkill, 2), "tid=200(cat) sig=9(SIGKILL) ");
	struct param tkill2[] = {P(num(4242, 8)), P(num(40, 1))};
	expect_args("unknown pid and signal", pack(&pk, 130, 100, tkill2, 2), "tid=4242 sig=40 ");

	struct param setuid_root[] = {P(num(0, 4))};
	expect_args("uid with a name", pack(&pk, 198, 100, setuid_root, 1), "uid=0(root) ");
	struct param setuid_other[] = {P(num(3000000000u, 4))};
	expect_args("uid without a name", pack(&pk, 198, 100, setuid_other, 1), "uid=-1294967296(<NA>) ");
	struct param setuid_none[] = {P(num(0xffffffff, 4))};
	expect_args("uid -1", pack(&pk, 198, 100, setuid_none, 1), "uid=-1(<NONE>) ");
	struct param setgid[] = {P(num(27, 4))};
	expect_args("gid name sanitized", pack(&pk, 200, 100, setgid, 1), "gid=27(sudo) ");

	/* ppoll enter: fd list, relative time, signal set. */
	uint8_t fdlist[2 + 3 * 10];
	put_le(fdlist, 3, 2);
	put_le(fdlist + 2, 3, 8);
	put_le(fdlist + 10, 1, 2);
	put_le(fdlist + 12, 5, 8);
	put_le(fdlist + 20, 0x41, 2);
	put_le(fdlist + 22, (uint64_t)-1, 8);
	put_le(fdlist + 30, 0xffff, 2);
	struct param ppoll[] = {RAW(fdlist, sizeof(fdlist)), P(num(1500000, 8)), P(num((1u << 8) | (1u << 1) | (1u << 31), 4))};
	expect_args("ppoll enter", pack(&pk, 254, 100, ppoll, 3),
		    "fds=3:f1 5:441 18446744073709551615:?ffffffff timeout=1500000(0.0015s) sigmask=SIGINT SIGKILL ");
	/* Deviation: without a thread for the event (reading files, sysdig
	 * only lacks one when its thread table is full), sysdig 0.29.3 prints
	 * whatever its buffer held from the previous parameter; Harrier
	 * prints an empty list. */
	expect_args("fd list of an unknown thread", pack(&pk, 254, 999, ppoll, 3),
		    "fds= timeout=1500000(0.0015s) sigmask=SIGINT SIGKILL ");
	struct param ppoll_none[] = {RAW(fdlist, 2), P(num((uint64_t)-1, 8)), P(num(0, 4))};
	expect_args("empty fd list, no timeout", pack(&pk, 254, 100, ppoll_none, 3), "fds= timeout=none sigmask= ");
}

static void test_sockets(void)
{
	struct packed pk;
	uint8_t v4[13] = {2, 127, 0, 0, 1, 0x40, 0x9c, 10, 1, 2, 3, 0x50, 0};
	struct param connect_x[] = {P(num(0, 8)), RAW(v4, 13)};
	expect_args("ipv4 tuple", pack(&pk, 23, 100, connect_x, 2), "res=0 tuple=127.0.0.1:40000->10.1.2.3:80 ");

	uint8_t v6[37] = {10};
	v6[1] = 0x20, v6[2] = 0x01, v6[3] = 0x0d, v6[4] = 0xb8, v6[16] = 1;
	put_le(v6 + 17, 443, 2);
	v6[19 + 15] = 1;
	put_le(v6 + 35, 51000, 2);
	struct param connect_v6[] = {P(num(-115, 8)), RAW(v6, 37)};
	expect_args("ipv6 tuple", pack(&pk, 23, 100, connect_v6, 2), "res=-115(EINPROGRESS) tuple=2001:db8::1:443->::1:51000 ");

	uint8_t mapped[37] = {10};
	mapped[11] = mapped[12] = 0xff, mapped[13] = 192, mapped[14] = 168, mapped[15] = 0, mapped[16] = 1;
	put_le(mapped + 17, 22, 2);
	put_le(mapped + 35, 6000, 2); /* all-zero destination counts as IPv4 too */
	struct param connect_mapped[] = {P(num(0, 8)), RAW(mapped, 37)};
	expect_args("ipv4-mapped tuple", pack(&pk, 23, 100, connect_mapped, 2), "res=0 tuple=192.168.0.1:22->0.0.0.0:6000 ");

	uint8_t ux[17 + 12] = {1};
	put_le(ux + 1, 0xffff88800ab10000ull, 8);
	put_le(ux + 9, 0, 8);
	memcpy(ux + 17, "/run/d\x02.sock", 12);
	struct param connect_unix[] = {P(num(0, 8)), RAW(ux, sizeof(ux))};
	expect_args("unix tuple", pack(&pk, 23, 100, connect_unix, 2), "res=0 tuple=ffff88800ab10000->0 /run/d.sock ");

	struct param connect_null[] = {P(num(0, 8)), RAW("", 0)};
	expect_args("empty tuple", pack(&pk, 23, 100, connect_null, 2), "res=0 tuple=NULL ");
	uint8_t bad4[5] = {2, 1, 2, 3, 4};
	struct param connect_bad[] = {P(num(0, 8)), RAW(bad4, 5)};
	expect_args("short ipv4 tuple", pack(&pk, 23, 100, connect_bad, 2), "res=0 tuple=INVALID IPv4 ");
	uint8_t fam[3] = {200, 0, 0};
	struct param connect_fam[] = {P(num(0, 8)), RAW(fam, 3)};
	expect_args("unknown family", pack(&pk, 23, 100, connect_fam, 2), "res=0 tuple=family -56 ");

	uint8_t sa4[7] = {2, 8, 8, 4, 4, 0x35, 0};
	struct param connect_e[] = {P(num(5, 8)), RAW(sa4, 7)};
	expect_args("ipv4 sockaddr", pack(&pk, 22, 100, connect_e, 2), "fd=5(<4>10.0.0.1:40000->10.0.0.2:80) addr=8.8.4.4:53 ");
	uint8_t sa6[19] = {10};
	sa6[16] = 1;
	put_le(sa6 + 17, 8080, 2);
	struct param connect_e6[] = {P(num(6, 8)), RAW(sa6, 19)};
	expect_args("ipv6 sockaddr", pack(&pk, 22, 100, connect_e6, 2), "fd=6(<u>) addr=::1:8080 ");
	uint8_t sau[] = {1, '/', 't', 'm', 'p', '/', 's', 0};
	struct param connect_eu[] = {P(num(6, 8)), RAW(sau, sizeof(sau))};
	expect_args("unix sockaddr", pack(&pk, 22, 100, connect_eu, 2), "fd=6(<u>) addr=/tmp/s ");
}

static void test_buffers_and_misc(void)
{
	struct packed pk;
	static const uint8_t bin[] = {0x7f, 'E', 'L', 'F', 0, '\n', 'a', 0xc3, 0xa9};
	struct param read_x[] = {P(num(9, 8)), RAW(bin, sizeof(bin))};
	expect_args("binary bytes as dots", pack(&pk, 7, 100, read_x, 2), "res=9 data=.ELF..a.. ");

	char long_buf[100];
	for (unsigned i = 0; i < sizeof(long_buf); i++)
		long_buf[i] = (char)('a' + i % 26);
	struct param read_long[] = {P(num(100, 8)), RAW(long_buf, sizeof(long_buf))};
	char want[200];
	snprintf(want, sizeof(want), "res=100 data=%.77s... ", long_buf);
	expect_args("long buffer cut at 80", pack(&pk, 7, 100, read_long, 2), want);
	struct param read_80[] = {P(num(80, 8)), RAW(long_buf, 80)};
	snprintf(want, sizeof(want), "res=80 data=%.80s ", long_buf);
	expect_args("80-byte buffer kept whole", pack(&pk, 7, 100, read_80, 2), want);

	/* sysdig -v: no limit; other limits cut the same way. */
	hr_format_set_max_output_len(0);
	snprintf(want, sizeof(want), "res=100 data=%.100s ", long_buf);
	expect_args("no length limit", pack(&pk, 7, 100, read_long, 2), want);
	hr_format_set_max_output_len(10);
	snprintf(want, sizeof(want), "res=100 data=%.7s... ", long_buf);
	expect_args("10-byte limit", pack(&pk, 7, 100, read_long, 2), want);
	hr_format_set_max_output_len(80);

	hr_format_set_buffer_format(HR_BUF_JSON);
	snprintf(want, sizeof(want), "res=100 data=%.100s ", long_buf);
	expect_args("json buffers are not cut", pack(&pk, 7, 100, read_long, 2), want);
	hr_format_set_buffer_format(HR_BUF_HEXASCII);
	static const uint8_t hex[] = {'a', 'b', 'c'};
	struct param read_hex[] = {P(num(3, 8)), RAW(hex, 3)};
	/* Two groups shown, six padded with five spaces each, two more spaces. */
	snprintf(want, sizeof(want), "res=3 data=\n\t0x0000: 6162 63%32sabc\n ", "");
	expect_args("hex and ascii rows", pack(&pk, 7, 100, read_hex, 2), want);
	hr_format_set_buffer_format(HR_BUF_BASE64);
	expect_args("base64", pack(&pk, 7, 100, read_hex, 2), "res=3 data=YWJj ");
	hr_format_set_buffer_format(HR_BUF_NORMAL);

	/* Strings are printed as stored, up to the first NUL. */
	struct param getcwd_x[] = {P(num(0, 8)), RAW("/a\tb\0c", 7)};
	expect_args("charbuf", pack(&pk, 93, 100, getcwd_x, 2), "res=0 path=/a\tb ");

	/* setsockopt: a dynamic parameter keeps the outer print format. */
	uint8_t dyn_errno[9] = {1};
	put_le(dyn_errno + 1, (uint64_t)-11, 8);
	struct param sso[] = {P(num(0, 8)), P(num(5, 8)), P(num(1, 1)), P(num(8, 1)), RAW(dyn_errno, 9), P(num(4, 4))};
	expect_args("dynamic errno", pack(&pk, 45, 100, sso, 6),
		    "res=0 fd=5(<4>10.0.0.1:40000->10.0.0.2:80) level=1(SOL_SOCKET) optname=8(SO_RCVBUF) val=-11(EAGAIN) optlen=4 ");
	uint8_t dyn_bad[2] = {9, 0};
	struct param sso_bad[] = {P(num(0, 8)), P(num(5, 8)), P(num(1, 1)), P(num(8, 1)), RAW(dyn_bad, 2), P(num(4, 4))};
	expect_param("dynamic index out of range", pack(&pk, 45, 100, sso_bad, 6), 4, true, "INVALID DYNAMIC PARAMETER");
	uint8_t dyn_addr[9] = {0};
	put_le(dyn_addr + 1, 0xabcdef, 8);
	uint8_t dyn_sig[2] = {1, 15};
	struct param ptrace_x[] = {P(num(0, 8)), RAW(dyn_addr, 9), RAW(dyn_sig, 2)};
	expect_args("ptrace dynamic address and signal", pack(&pk, 169, 100, ptrace_x, 3), "res=0 addr=ABCDEF data=15(SIGTERM) ");

	/* Generic events show no arguments; their syscall names are 2022's. */
	struct param generic[] = {P(num(300, 2)), P(num(262, 2))};
	expect_args("generic event", pack(&pk, 0, 100, generic, 2), "");
	expect("syscall name override", hr_syscall_name_2022(300), "newfstatat");
	expect("syscall name 0", hr_syscall_name_2022(0), "<unknown>");
	expect("syscall name", hr_syscall_name_2022(5), "open");
	expect("syscall unknown to 2022", hr_syscall_name_2022(400) ? "named" : "NULL", "NULL");
	expect_param("syscall id", pack(&pk, 0, 100, generic, 2), 0, true, "newfstatat");

	/* A fixed-size parameter the event left empty. */
	struct param close_empty[] = {RAW("", 0)};
	expect_args("empty fixed-size parameter", pack(&pk, 5, 100, close_empty, 1), "res=NULL ");
	/* Fewer parameters than the table: only those present. */
	struct param open_short[] = {P(num(3, 8))};
	expect_args("fewer parameters than the table", pack(&pk, 3, 100, open_short, 1), "fd=3(<f>/etc/passwd) ");
}

/* Random parameter bytes and lengths for every event id: rendering stays
 * inside each parameter (ASan checks that) and never emits a NUL. */
static void test_random_parameters(void)
{
	static struct packed pk;
	static uint8_t bytes[HR_MAX_PARAMS][64];
	static struct hr_strbuf sb;
	struct param ps[HR_MAX_PARAMS];
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned bad = 0;
	for (unsigned round = 0; round < 20000; round++) {
		uint16_t type = (uint16_t)(round % HR_EVENT_MAX);
		unsigned n = (unsigned)(round / HR_EVENT_MAX % 12);
		for (unsigned i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			uint32_t len = (uint32_t)(seed >> 58); /* 0..63 */
			for (uint32_t k = 0; k < len; k++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				/* small values often, so that fds, pids and indexes hit the state */
				bytes[i][k] = (uint8_t)(seed >> 61 == 0 ? seed >> 40 : seed >> 62);
			}
			ps[i] = (struct param){bytes[i], len};
		}
		struct hr_event *e = pack(&pk, type, 100 + 100 * (round % 4), ps, n);
		e->thread = hr_state_thread(state, e->tid);
		hr_sb_reset(&sb);
		hr_format_evt_args(&sb, state, e);
		for (unsigned i = 0; i < n; i++)
			hr_format_param(&sb, state, e, i, i % 2);
		if (strlen(hr_sb_str(&sb)) != sb.len)
			bad++;
	}
	char got[32];
	snprintf(got, sizeof(got), "%u", bad);
	expect("renderings with an embedded NUL", got, "0");
}

void unit_format_args(unsigned *passed, unsigned *failed)
{
	state = make_state();
	test_fds_and_paths();
	test_long_paths();
	test_numbers();
	test_sockets();
	test_buffers_and_misc();
	test_random_parameters();
	hr_state_free(state);
	*passed += n_passed;
	*failed += n_failed;
}
