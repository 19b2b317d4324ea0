/*
 * mutexsleep.c - a mutex holder that sleeps while a waiter blocks on the
 * mutex, with the workload's own clock readings for tests/test-record-why.sh.
 *
 *     tests/mutexsleep [MS]      (default 50)
 *
 * The holder thread takes the mutex, tells the waiter it holds it, then
 * sleeps MS ms in nanosleep and unlocks.  The waiter (the main thread)
 * locks the mutex as soon as the holder has it, and blocks in futex until
 * the unlock.  Prints key=value lines (CLOCK_BOOTTIME ns, the trace's
 * clock): waiter_tid, holder_tid, wait_from, wait_to (around the waiter's
 * lock call), sleep_from, sleep_to (around the holder's nanosleep).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate = PTHREAD_COND_INITIALIZER;
static int held;
static long ms = 50;
static uint64_t sleep_from, sleep_to;
static long holder_tid;

static uint64_t now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_BOOTTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void *holder(void *arg)
{
	struct timespec d = { ms / 1000, (ms % 1000) * 1000000 };

	(void)arg;
	holder_tid = syscall(SYS_gettid);
	pthread_mutex_lock(&mu);
	pthread_mutex_lock(&gate_mu);
	held = 1;
	pthread_cond_signal(&gate);
	pthread_mutex_unlock(&gate_mu);
	/* let the waiter reach the lock: it blocks there, whatever the
	 * order, since the mutex stays held through the sleep */
	sleep_from = now();
	nanosleep(&d, NULL);
	sleep_to = now();
	pthread_mutex_unlock(&mu);
	return NULL;
}

int main(int argc, char **argv)
{
	uint64_t wait_from, wait_to;
	pthread_t t;

	if (argc > 1)
		ms = atol(argv[1]);
	if (pthread_create(&t, NULL, holder, NULL) != 0)
		return 1;
	pthread_mutex_lock(&gate_mu);
	while (!held)
		pthread_cond_wait(&gate, &gate_mu);
	pthread_mutex_unlock(&gate_mu);
	wait_from = now();
	pthread_mutex_lock(&mu);
	wait_to = now();
	pthread_mutex_unlock(&mu);
	pthread_join(t, NULL);
	printf("waiter_tid=%ld\nholder_tid=%ld\nwait_from=%llu\n"
	       "wait_to=%llu\nsleep_from=%llu\nsleep_to=%llu\n",
	       (long)syscall(SYS_gettid), holder_tid,
	       (unsigned long long)wait_from, (unsigned long long)wait_to,
	       (unsigned long long)sleep_from, (unsigned long long)sleep_to);
	return 0;
}
