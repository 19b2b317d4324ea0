/*
 * sysloop.c - the syscall-heavy loop of bench/record-overhead.sh.
 *
 *     bench/sysloop N      N x (getppid, read 64 B of /dev/zero,
 *                          write 64 B to /dev/null); prints
 *                          "syscalls=3N ns_per_syscall=X elapsed_ns=Y"
 *
 * Timed inside the loop, so start-up (exec, a tracer attaching) is not
 * counted.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	char buf[64] = { 0 };
	long n = argc > 1 ? atol(argv[1]) : 0;
	int z = open("/dev/zero", O_RDONLY), nul = open("/dev/null", O_WRONLY);
	unsigned long long t0, t1;

	if (n <= 0 || z < 0 || nul < 0) {
		fprintf(stderr, "usage: sysloop N\n");
		return 2;
	}
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		getppid();
		if (read(z, buf, sizeof(buf)) != sizeof(buf) ||
		    write(nul, buf, sizeof(buf)) != sizeof(buf)) {
			perror("sysloop");
			return 1;
		}
	}
	t1 = now_ns();
	printf("syscalls=%ld ns_per_syscall=%.1f elapsed_ns=%llu\n", 3 * n,
	       (double)(t1 - t0) / (3.0 * (double)n), t1 - t0);
	return 0;
}
