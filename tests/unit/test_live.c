/*
 * Unit tests of the live capture's user-side conversions: Linux open flags
 * to PPM bits, and recorded exits made readable by sysdig 0.29.3 (2022 ids,
 * enter events built from the exit's parameters).
 */
#include <stdio.h>
#include <string.h>

#include "capture/live/proc_scan.h"
#include "capture/live/record_2022.h"

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

/* A v2 record of `type` with `n` parameters given as (bytes, length) pairs. */
struct param {
	const void *p;
	uint16_t len;
};

static uint8_t rec_buf[512];

static bool make_event(struct hr_event *e, uint16_t type, const struct param *ps, unsigned n)
{
	uint32_t off = HR_EVENT_HEADER_V2_LEN + 2 * n;
	for (unsigned i = 0; i < n; i++) {
		memcpy(rec_buf + HR_EVENT_HEADER_V2_LEN + 2 * i, &ps[i].len, 2);
		memcpy(rec_buf + off, ps[i].p, ps[i].len);
		off += ps[i].len;
	}
	uint64_t ts = 1000, tid = 42;
	memcpy(rec_buf, &ts, 8);
	memcpy(rec_buf + 8, &tid, 8);
	memcpy(rec_buf + 16, &off, 4);
	memcpy(rec_buf + 20, &type, 2);
	memcpy(rec_buf + 22, &n, 4);
	memset(e, 0, sizeof *e);
	e->ts = ts;
	e->tid = (int64_t)tid;
	e->type = type;
	return hr_event_decode(e, rec_buf, off) == NULL;
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
	struct param ps[] = {{&res, 8}, {"hello", 5}, {&fd, 8}, {&size, 4}};
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
	struct param ps[] = {{&res, 8}, {&oldfd, 8}};
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
}

static void test_no_enter(void)
{
	int64_t status = 0, ret = 0, reaper = 0;
	uint8_t sig = 0, core = 0;
	struct param ps[] = {{&status, 8}, {&ret, 8}, {&sig, 1}, {&core, 1}, {&reaper, 8}};
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
	struct param ps[] = {{&code, 2}, {&nr, 2}};
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

void unit_live(unsigned *passed, unsigned *failed)
{
	test_open_flags();
	test_read_enter();
	test_dup_maps_to_2022();
	test_no_enter();
	test_generic_code_unknown_to_2022();
	*passed += n_passed;
	*failed += n_failed;
}
