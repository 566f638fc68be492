/*
 * Unit tests of the live capture's user-side conversions: Linux open flags
 * to PPM bits, and recorded exits made readable by sysdig 0.29.3 (2022 ids,
 * parameter counts of converter-managed ids, enter events built from the
 * exit's parameters, generic events for syscalls 2022 has no id for).
 */
#include <stdio.h>
#include <string.h>

#include "capture/live/proc_scan.h"
#include "capture/live/record_2022.h"
#include "filter/filter.h"
#include "unit_events.h"

static unsigned n_passed, n_failed;

static void check(bool ok, const char *what)
{
	if (ok) {
		n_passed++;
		return;
	}
	n_failed++;
	printf("FAIL live: %s\n", what);
}

static uint8_t rec_buf[512];

/* A record of `type` for thread 42 with `n` parameters. */
static bool make_event(struct hr_event *e, uint16_t type, const struct unit_param *ps, unsigned n)
{
	return unit_event(e, rec_buf, sizeof rec_buf, type, 1000, 42, ps, n);
}

static void test_open_flags(void)
{
	check(hr_linux_open_flags_to_ppm(02000000) == (1 | 4096), "O_RDONLY|O_CLOEXEC");
	check(hr_linux_open_flags_to_ppm(01 | 0100 | 01000) == (2 | 4 | 256), "O_WRONLY|O_CREAT|O_TRUNC");
	check(hr_linux_open_flags_to_ppm(02 | 02000 | 04000) == (3 | 8 | 64), "O_RDWR|O_APPEND|O_NONBLOCK");
	check(hr_linux_open_flags_to_ppm(02 | 020200000) == (3 | 1024 | 8192), "O_RDWR|O_TMPFILE");
	check(hr_linux_open_flags_to_ppm(0200000) == (1 | 1024), "O_DIRECTORY");
}

static void test_read_enter(void)
{
	int64_t res = 5, fd = 7;
	uint32_t size = 100;
	struct unit_param ps[] = {{&res, 8}, {"hello", 5}, {&fd, 8}, {&size, 4}};
	struct hr_event x;
	check(make_event(&x, 7 /* read exit */, ps, 4), "read exit decodes");
	uint8_t buf[256];
	uint32_t len = 0;
	check(hr_record_2022(&x, buf, sizeof buf, &len), "read has an enter");
	check(x.type == 7, "read keeps its id");
	struct hr_event en;
	memset(&en, 0, sizeof en);
	memcpy(&en.type, buf + 20, 2);
	check(en.type == 6 && hr_event_decode(&en, buf, len) == NULL, "read enter is a valid READ_E");
	int64_t got_fd = 0;
	uint32_t got_size = 0;
	check(hr_param_i64(&en, 0, &got_fd) && got_fd == 7, "read enter fd from the exit");
	check(hr_param_u32(&en, 1, &got_size) && got_size == 100, "read enter size from the exit");
	uint64_t ts = 0, tid = 0;
	memcpy(&ts, buf, 8);
	memcpy(&tid, buf + 8, 8);
	check(ts == 1000 && tid == 42, "enter has the exit's time and thread");
}

static void test_dup_maps_to_2022(void)
{
	int64_t res = 4, oldfd = 3;
	struct unit_param ps[] = {{&res, 8}, {&oldfd, 8}};
	struct hr_event x;
	check(make_event(&x, 367 /* DUP_1_X */, ps, 2), "dup exit decodes");
	uint8_t buf[256];
	uint32_t len = 0;
	struct hr_event en;
	memset(&en, 0, sizeof en);
	check(hr_record_2022(&x, buf, sizeof buf, &len), "dup has an enter");
	check(x.type == 125, "DUP_1_X becomes DUP_X");
	memcpy(&en.type, buf + 20, 2);
	int64_t fd = 0;
	check(en.type == 124 && !hr_event_decode(&en, buf, len) && hr_param_i64(&en, 0, &fd) && fd == 3,
	      "DUP_E fd is the exit's oldfd");
	check(x.nparams == 1, "DUP_X keeps only the parameter its table has (oldfd is in the enter)");
}

static void test_dup2_maps_to_dup(void)
{
	int64_t res = 9, oldfd = 3, newfd = 9;
	struct unit_param ps[] = {{&res, 8}, {&oldfd, 8}, {&newfd, 8}};
	struct hr_event x, en;
	uint8_t buf[256];
	uint32_t len = 0;
	int64_t fd = 0, got = 0;
	check(make_event(&x, 363 /* DUP2_X */, ps, 3), "dup2 exit decodes");
	check(!hr_record_2022_needs_generic(363), "dup2 has a 2022 id");
	check(hr_record_2022(&x, buf, sizeof buf, &len) && x.type == 125 && x.nparams == 1, "dup2 becomes DUP_X");
	check(hr_param_i64(&x, 0, &got) && got == 9, "DUP_X res is dup2's");
	memset(&en, 0, sizeof en);
	memcpy(&en.type, buf + 20, 2);
	check(en.type == 124 && !hr_event_decode(&en, buf, len) && hr_param_i64(&en, 0, &fd) && fd == 3,
	      "dup2's DUP_E fd is oldfd");
}

static void test_accept4_keeps_five(void)
{
	int64_t res = 5;
	uint8_t tuple[13] = {2};
	uint8_t qpct = 0;
	uint32_t qlen = 0, qmax = 128, flags = 0x800;
	struct unit_param ps[] = {{&res, 8}, {tuple, 13}, {&qpct, 1}, {&qlen, 4}, {&qmax, 4}, {&flags, 4}};
	struct hr_event x, en;
	uint8_t buf[256];
	uint32_t len = 0, got = 0;
	check(make_event(&x, 389 /* ACCEPT4_6_X */, ps, 6), "accept4 exit decodes");
	check(hr_record_2022(&x, buf, sizeof buf, &len) && x.type == 249 && x.nparams == 5,
	      "accept4 becomes ACCEPT4_5_X with its five parameters");
	memset(&en, 0, sizeof en);
	memcpy(&en.type, buf + 20, 2);
	check(en.type == 248 && !hr_event_decode(&en, buf, len) && hr_param_u32(&en, 0, &got) && got == 0x800,
	      "accept4's flags move to its enter");
}

static void test_memfd_as_generic(void)
{
	int64_t fd = 3;
	uint32_t flags = 1;
	struct unit_param ps[] = {{&fd, 8}, {"x", 2}, {&flags, 4}};
	struct hr_event x, g, en;
	check(make_event(&x, 405 /* MEMFD_CREATE_X */, ps, 3), "memfd_create exit decodes");
	check(hr_record_2022_needs_generic(405) && hr_record_2022_needs_generic(411) &&
	      hr_record_2022_needs_generic(413), "memfd_create, init_module, finit_module have no 2022 id");
	check(!hr_record_2022_needs_generic(3) && !hr_record_2022_needs_generic(327) && !hr_record_2022_needs_generic(1),
	      "open, openat2 and generic events keep their ids");
	uint8_t gbuf[64], buf[256];
	uint32_t glen = hr_record_2022_generic(&x, 314 /* finit_module's code */, 313, gbuf, sizeof gbuf), len = 0;
	memset(&g, 0, sizeof g);
	memcpy(&g.ts, gbuf, 8);
	memcpy(&g.tid, gbuf + 8, 8);
	memcpy(&g.type, gbuf + 20, 2);
	check(glen && g.type == 1 && !hr_event_decode(&g, gbuf, glen) && g.ts == 1000 && g.tid == 42,
	      "generic exit record is valid, with the exit's time and thread");
	check(hr_record_2022(&g, buf, sizeof buf, &len), "the generic exit gets its enter");
	uint16_t id = 0, native = 0;
	memset(&en, 0, sizeof en);
	memcpy(&en.type, buf + 20, 2);
	check(en.type == 0 && !hr_event_decode(&en, buf, len) && hr_param_u16(&en, 0, &id) && id == 314 &&
	      hr_param_u16(&en, 1, &native) && native == 313, "GENERIC_E carries the code and the syscall number");
}

static void test_no_enter(void)
{
	int64_t status = 0, ret = 0, reaper = 0;
	uint8_t sig = 0, core = 0;
	struct unit_param ps[] = {{&status, 8}, {&ret, 8}, {&sig, 1}, {&core, 1}, {&reaper, 8}};
	struct hr_event e;
	uint8_t buf[256];
	uint32_t len;
	check(make_event(&e, 186 /* procexit, an enter */, ps, 5), "procexit decodes");
	check(!hr_record_2022(&e, buf, sizeof buf, &len), "procexit gets no enter");
}

static void test_generic_code_unknown_to_2022(void)
{
	uint16_t known = 0, unknown = 0;
	for (unsigned c = 1; c < HR_SYSCALL_MAX && (!known || !unknown); c++) {
		if (!hr_syscall_names[c].name)
			continue;
		if (hr_syscall_names[c].name_2022 && !known)
			known = (uint16_t)c;
		else if (!hr_syscall_names[c].name_2022 && !unknown)
			unknown = (uint16_t)c;
	}
	check(known && unknown, "the syscall table has codes known and unknown to 2022");
	uint16_t nr = 334, code = unknown, got = 1;
	struct unit_param ps[] = {{&code, 2}, {&nr, 2}};
	struct hr_event x;
	uint8_t buf[256];
	uint32_t len;
	check(make_event(&x, 1, ps, 2), "generic exit decodes");
	check(hr_record_2022(&x, buf, sizeof buf, &len) && buf[20] == 0, "generic exit gets its enter");
	check(hr_param_u16(&x, 0, &got) && got == 0, "a code 2022 lacks becomes 0");
	code = known;
	check(make_event(&x, 1, ps, 2), "generic exit decodes");
	hr_record_2022(&x, buf, sizeof buf, &len);
	check(hr_param_u16(&x, 0, &got) && got == known, "a code 2022 knows stays");
}

/* Which generic syscalls a filter may match: its evt.type checks decide,
 * through and/or/not; other checks may go either way. */
static void test_filter_generic_syscalls(void)
{
	static const struct {
		const char *filter, *name;
		bool may;
	} cases[] = {
		{"evt.type=mlock", "mlock", true},
		{"evt.type=mlock", "munlock", false},
		{"evt.type in (mlock, munlock) and proc.name=x", "munlock", true},
		{"evt.type in (mlock, munlock) and proc.name=x", "read", false},
		{"not evt.type=mlock", "mlock", false},
		{"not evt.type=mlock", "sync", true},
		{"proc.name=x", "sync", true},
		{"evt.type=mlock or proc.name=x", "sync", true},
		{"evt.type startswith mlo", "mlockall", true},
		{"evt.type=open and not evt.type=mlock", "mlock", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct hr_filter_error err;
		struct hr_filter *f = hr_filter_compile(cases[i].filter, &err);
		char what[160];
		snprintf(what, sizeof what, "filter '%s' %s generic %s", cases[i].filter,
			 cases[i].may ? "may match" : "never matches", cases[i].name);
		check(f && hr_filter_may_match_syscall(f, cases[i].name) == cases[i].may, what);
		hr_filter_free(f);
	}
}

void unit_live(unsigned *passed, unsigned *failed)
{
	test_filter_generic_syscalls();
	test_open_flags();
	test_read_enter();
	test_dup_maps_to_2022();
	test_dup2_maps_to_dup();
	test_accept4_keeps_five();
	test_memfd_as_generic();
	test_no_enter();
	test_generic_code_unknown_to_2022();
	*passed += n_passed;
	*failed += n_failed;
}
