/*
 * diffload.c - the workload of tests/test-diff-live.sh: N writes of 4 KiB
 * to FILE, and with "fsync" an fsync after each, every call counted by
 * the workload itself (the test's oracle).
 *
 *     tests/diffload N FILE plain|fsync
 *
 * Prints key=value lines once done (one write to standard output): pid,
 * writes (to FILE), fsyncs.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc == 4 ? atol(argv[1]) : 0, writes = 0, syncs = 0;
	int sync = argc == 4 && !strcmp(argv[3], "fsync");
	char buf[4096];
	int fd;

	if (n <= 0 || (!sync && strcmp(argv[3], "plain"))) {
		fprintf(stderr, "usage: diffload N FILE plain|fsync\n");
		return 2;
	}
	if ((fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
		perror("diffload");
		return 1;
	}
	memset(buf, 'k', sizeof(buf));
	for (long i = 0; i < n; i++) {
		if (write(fd, buf, sizeof(buf)) != sizeof(buf) ||
		    (sync && fsync(fd) < 0)) {
			perror("diffload");
			return 1;
		}
		writes++;
		syncs += sync;
	}
	close(fd);
	printf("pid=%d\nwrites=%ld\nfsyncs=%ld\n", (int)getpid(), writes,
	       syncs);
	return 0;
}
