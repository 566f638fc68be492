/*
 * Load generator for bench/live_bench.py: a tight loop of one kind of
 * system call, timed by itself, so that the cost a capture adds to each
 * call can be compared with the bare loop, and so that a capture can be fed
 * a known stream of recorded events.
 *
 *   loadgen getpid N          N getpid calls (raw syscall: no libc caching)
 *   loadgen openclose N PATH  N open+close pairs on PATH
 *   loadgen MODE-for SECS [PATH] [OPS_PER_S]   MODE for SECS seconds
 *
 * MODEs of the timed form (each op is recorded by Harrier's probe as the
 * events named, all of them state changes or failures the rules see):
 *   getpid      one getpid (a generic event, recorded only if wanted)
 *   openclose   open PATH + close it (openat exit, close exit: 2 events)
 *   dupclose    dup of stdin + close of the copy (dup exit, close exit:
 *               2 events; cheap in the kernel: no path lookup)
 *   openfail    open of PATH, which must not exist (openat exit with
 *               ENOENT: 1 event)
 * With OPS_PER_S the loop is paced to that rate (checked every 64 ops, the
 * shortfall slept off), so a capture can be fed a chosen event rate.
 *
 * Prints one line: "ops=N ns_per_op=X" (ns per op counts only the time
 * the loop ran, which with pacing includes the sleeps).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum { BATCH = 64 };

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_close(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int dup_close(const char *unused)
{
	(void)unused;
	int fd = dup(0);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int open_fail(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT) {
		if (fd >= 0)
			close(fd);
		errno = EEXIST;
		return -1;
	}
	return 0;
}

static int get_pid(const char *unused)
{
	(void)unused;
	syscall(SYS_getpid);
	return 0;
}

static const struct {
	const char *name;
	int (*op)(const char *path);
	int needs_path;
} modes[] = {
	{"getpid-for", get_pid, 0},
	{"openclose-for", open_close, 1},
	{"dupclose-for", dup_close, 0},
	{"openfail-for", open_fail, 1},
};

/* MODE-for: ops for `secs` seconds, paced to `rate` ops/s if rate > 0. */
static int run_for(int (*op)(const char *), const char *path, double secs, double rate)
{
	double t0 = now_s(), end = t0 + secs, t1 = t0;
	unsigned long long ops = 0;
	while (t1 < end) {
		for (int i = 0; i < BATCH; i++, ops++)
			if (op(path) < 0) {
				perror(path ? path : "dup");
				return 1;
			}
		t1 = now_s();
		if (rate > 0) {
			double due = t0 + (double)ops / rate;
			if (due > t1 && due < end) {
				double wait = due - t1;
				struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
				nanosleep(&ts, NULL);
				t1 = now_s();
			}
		}
	}
	printf("ops=%llu ns_per_op=%.1f\n", ops, ops ? (t1 - t0) * 1e9 / (double)ops : 0.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: loadgen getpid N | openclose N PATH | "
				"{getpid,openclose,dupclose,openfail}-for SECS [PATH] [OPS_PER_S]\n");
		return 2;
	}
	const char *mode = argv[1];
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		if (strcmp(mode, modes[m].name) != 0)
			continue;
		int rest = 3 + modes[m].needs_path;
		if (argc < rest || argc > rest + 1) {
			fprintf(stderr, "loadgen: %s SECS%s [OPS_PER_S]\n", mode, modes[m].needs_path ? " PATH" : "");
			return 2;
		}
		return run_for(modes[m].op, modes[m].needs_path ? argv[3] : NULL, strtod(argv[2], NULL),
			       argc > rest ? strtod(argv[rest], NULL) : 0);
	}
	double t0 = now_s();
	unsigned long long ops = 0;
	if (strcmp(mode, "getpid") == 0) {
		unsigned long long n = strtoull(argv[2], NULL, 10);
		for (; ops < n; ops++)
			syscall(SYS_getpid);
	} else if (strcmp(mode, "openclose") == 0 && argc == 4) {
		unsigned long long n = strtoull(argv[2], NULL, 10);
		for (; ops < n; ops++)
			if (open_close(argv[3]) < 0) {
				perror(argv[3]);
				return 1;
			}
	} else {
		fprintf(stderr, "loadgen: unknown mode %s\n", mode);
		return 2;
	}
	double t1 = now_s();
	printf("ops=%llu ns_per_op=%.1f\n", ops, ops ? (t1 - t0) * 1e9 / (double)ops : 0.0);
	return 0;
}
