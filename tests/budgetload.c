/*
 * budgetload.c - the workload of tests/test-record-budget.sh: a flood of
 * fast successful calls mixed with the classes a budget must keep, each
 * counted by the workload itself (the test's oracle).
 *
 *     tests/budgetload N K DIR
 *
 * N iterations of: getppid, getpgid(0), read 64 B of /dev/zero, write 64 B
 * to /dev/null, access("/"), and open DIR/a (even iterations) or DIR/b
 * (odd), read 1 byte from it (a) or 2 (b), close it.  Every K-th
 * iteration also: fork a child that exits at once (waited for), open
 * DIR/missing (fails with ENOENT), sleep 5 ms (nanosleep: a slow call).
 * Prints key=value lines: pid, getppid, getpgid, access, opens (of a and
 * b), forks, failed (opens that failed), slow (sleeps).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 3 ? atol(argv[1]) : 0, k = argc > 3 ? atol(argv[2]) : 0;
	long ppid = 0, pgrp = 0, acc = 0, opens = 0, forks = 0, failed = 0;
	long slow = 0;
	char a[4096], b[4096], miss[4096], buf[64] = { 0 };
	int z = open("/dev/zero", O_RDONLY), nul = open("/dev/null", O_WRONLY);
	struct timespec ms5 = { 0, 5000000 };

	if (n <= 0 || k <= 0 || z < 0 || nul < 0) {
		fprintf(stderr, "usage: budgetload N K DIR\n");
		return 2;
	}
	snprintf(a, sizeof(a), "%s/a", argv[3]);
	snprintf(b, sizeof(b), "%s/b", argv[3]);
	snprintf(miss, sizeof(miss), "%s/missing", argv[3]);
	for (long i = 0; i < n; i++) {
		syscall(SYS_getppid);
		ppid++;
		syscall(SYS_getpgid, 0);
		pgrp++;
		if (read(z, buf, sizeof(buf)) != sizeof(buf) ||
		    write(nul, buf, sizeof(buf)) != sizeof(buf) ||
		    access("/", F_OK) < 0) {
			perror("budgetload");
			return 1;
		}
		acc++;
		int fd = open(i % 2 ? b : a, O_RDONLY);

		if (fd < 0 || read(fd, buf, i % 2 ? 2 : 1) < 0 || close(fd)) {
			perror("budgetload");
			return 1;
		}
		opens++;
		if (i % k)
			continue;
		pid_t c = fork();

		if (c == 0)
			_exit(0);
		if (c < 0 || waitpid(c, NULL, 0) != c) {
			perror("budgetload: fork");
			return 1;
		}
		forks++;
		if (open(miss, O_RDONLY) < 0 && errno == ENOENT)
			failed++;
		if (nanosleep(&ms5, NULL) == 0)
			slow++;
	}
	printf("pid=%d\ngetppid=%ld\ngetpgid=%ld\naccess=%ld\nopens=%ld\n"
	       "forks=%ld\nfailed=%ld\nslow=%ld\n", (int)getpid(), ppid, pgrp,
	       acc, opens, forks, failed, slow);
	return 0;
}
