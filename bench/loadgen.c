/*
 * Load generator for bench/live_bench.py: a tight loop of one kind of
 * system call, timed by itself, so that the cost a capture adds to each
 * call can be compared with the bare loop.
 *
 *   loadgen getpid N          N getpid calls (raw syscall: no libc caching)
 *   loadgen openclose N PATH  N open+close pairs on PATH
 *   loadgen openclose-for SECS PATH   open+close pairs for SECS seconds
 *   loadgen getpid-for SECS   getpid calls for SECS seconds
 *
 * Prints one line: "ops=N ns_per_op=X" (an op is one getpid or one
 * open+close pair).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: loadgen getpid N | openclose N PATH | openclose-for SECS PATH | getpid-for SECS\n");
		return 2;
	}
	const char *mode = argv[1];
	double t0 = now_s(), t1;
	unsigned long long ops = 0;
	if (strcmp(mode, "getpid") == 0) {
		unsigned long long n = strtoull(argv[2], NULL, 10);
		for (; ops < n; ops++)
			syscall(SYS_getpid);
		t1 = now_s();
	} else if (strcmp(mode, "openclose") == 0 && argc == 4) {
		unsigned long long n = strtoull(argv[2], NULL, 10);
		for (; ops < n; ops++)
			if (open_close(argv[3]) < 0) {
				perror(argv[3]);
				return 1;
			}
		t1 = now_s();
	} else if (strcmp(mode, "getpid-for") == 0) {
		double end = t0 + strtod(argv[2], NULL);
		for (t1 = t0; t1 < end; t1 = now_s())
			for (int i = 0; i < 1024; i++, ops++)
				syscall(SYS_getpid);
	} else if (strcmp(mode, "openclose-for") == 0 && argc == 4) {
		double end = t0 + strtod(argv[2], NULL);
		/* the clock is read every 1024 pairs, so the loop stays syscall-bound */
		for (t1 = t0; t1 < end; t1 = now_s())
			for (int i = 0; i < 1024; i++, ops++)
				if (open_close(argv[3]) < 0) {
					perror(argv[3]);
					return 1;
				}
	} else {
		fprintf(stderr, "loadgen: unknown mode %s\n", mode);
		return 2;
	}
	printf("ops=%llu ns_per_op=%.1f\n", ops, ops ? (t1 - t0) * 1e9 / (double)ops : 0.0);
	return 0;
}
