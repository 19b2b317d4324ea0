/*
 * tlwork.c - a thread whose states over time are known, for the
 * Timeline's live test (tests/test-tui-timeline.sh):
 *
 *     tlwork FILE        prints "tid=N" and "cpu=C", then, in thread
 *                        "tlstrip" pinned to CPU C:
 *
 *   1. sleeps 50 ms (nanosleep: sleeping)
 *   2. spins 50 ms on the CPU without a system call (running)
 *   3. writes 48 MB to FILE and fsyncs it (blocked, waiting for the disk)
 *      (2 and 3 at a real-time priority, so that other work on the
 *      machine does not cut them)
 *   4. wakes two SCHED_FIFO hogs pinned to the same CPU, which spin 75 ms
 *      each: it is runnable for their 150 ms (starved), then spins 20 ms
 *      and ends.
 *
 * Needs root (the hogs' real-time priority).  Exit 0, or 1 with a
 * message.
 */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000ll

static int cpu, go[2];
static const char *file;

static long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void spin(long long ns)
{
	long long end = now() + ns;

	while (now() < end)
		;
}

static void pin(void)
{
	cpu_set_t s;

	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s) < 0) {
		perror("tlwork: sched_setaffinity");
		exit(1);
	}
}

static void policy(int pol, int prio)
{
	struct sched_param p = { .sched_priority = prio };

	if (sched_setscheduler(0, pol, &p) < 0) {
		perror("tlwork: sched_setscheduler");
		exit(1);
	}
}

static void *hog(void *arg)
{
	char c;

	(void)arg;
	prctl(PR_SET_NAME, "tlhog");
	pin();
	policy(SCHED_FIFO, 1);
	if (read(go[0], &c, 1) != 1)
		exit(1);
	spin(75 * MS);
	return NULL;
}

static void *strip(void *arg)
{
	struct timespec sl = { 0, 50 * MS };
	static char buf[1 << 20];
	int fd;

	(void)arg;
	prctl(PR_SET_NAME, "tlstrip");
	pin();
	printf("tid=%ld\ncpu=%d\n", (long)syscall(SYS_gettid), cpu);
	fflush(stdout);
	nanosleep(&sl, NULL);
	policy(SCHED_FIFO, 1);
	spin(50 * MS);
	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0) {
		perror("tlwork: open");
		exit(1);
	}
	memset(buf, 'x', sizeof(buf));
	for (int i = 0; i < 48; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			perror("tlwork: write");
			exit(1);
		}
	if (fsync(fd) < 0) {
		perror("tlwork: fsync");
		exit(1);
	}
	close(fd);
	policy(SCHED_OTHER, 0);
	if (write(go[1], "gg", 2) != 2)
		exit(1);
	spin(20 * MS);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t h[2], s;

	if (argc != 2) {
		fprintf(stderr, "usage: tlwork FILE\n");
		return 2;
	}
	file = argv[1];
	cpu = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	if (pipe(go) < 0) {
		perror("tlwork: pipe");
		return 1;
	}
	for (int i = 0; i < 2; i++)
		if (pthread_create(&h[i], NULL, hog, NULL)) {
			fprintf(stderr, "tlwork: cannot start a thread\n");
			return 1;
		}
	if (pthread_create(&s, NULL, strip, NULL)) {
		fprintf(stderr, "tlwork: cannot start a thread\n");
		return 1;
	}
	pthread_join(s, NULL);
	for (int i = 0; i < 2; i++)
		pthread_join(h[i], NULL);
	return 0;
}
