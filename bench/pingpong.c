/*
 * pingpong.c - the context-switch loop of bench/why-cost.sh.
 *
 *     bench/pingpong N     a parent and a child, both on CPU 0, hand one
 *                          byte back and forth over two pipes N times;
 *                          prints "roundtrips=N switches=2N
 *                          ns_per_switch=X elapsed_ns=Y"
 *
 * Each side blocks in read until the other writes, so every hand-over is
 * a task going to sleep (S) and a switch to the other: the path that
 * kernel stacks are taken on.  Timed in the parent, after the child is
 * ready.
 */
#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

/* Read one byte from R and write it to W, N times (W first when FIRST). */
static int bounce(int r, int w, long n, int first)
{
	char c = 'x';

	if (first && write(w, &c, 1) != 1)
		return -1;
	for (long i = 0; i < n; i++) {
		if (read(r, &c, 1) != 1)
			return -1;
		if ((first ? i + 1 < n : 1) && write(w, &c, 1) != 1)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0;
	int ping[2], pong[2], status;
	unsigned long long t0, t1;
	cpu_set_t cpu;
	char c;
	pid_t child;

	if (n <= 0 || pipe(ping) < 0 || pipe(pong) < 0) {
		fprintf(stderr, "usage: pingpong N\n");
		return 2;
	}
	CPU_ZERO(&cpu);
	CPU_SET(0, &cpu);
	sched_setaffinity(0, sizeof(cpu), &cpu); /* inherited by the child */
	child = fork();
	if (child < 0) {
		perror("pingpong: fork");
		return 1;
	}
	if (child == 0) {
		c = 'r';
		if (write(pong[1], &c, 1) != 1) /* ready */
			_exit(1);
		_exit(bounce(ping[0], pong[1], n, 0) < 0);
	}
	if (read(pong[0], &c, 1) != 1)
		return 1;
	t0 = now_ns();
	if (bounce(pong[0], ping[1], n, 1) < 0)
		return 1;
	t1 = now_ns();
	if (waitpid(child, &status, 0) < 0 || status != 0)
		return 1;
	printf("roundtrips=%ld switches=%ld ns_per_switch=%.1f elapsed_ns=%llu\n",
	       n, 2 * n, (double)(t1 - t0) / (2.0 * n), t1 - t0);
	return 0;
}
