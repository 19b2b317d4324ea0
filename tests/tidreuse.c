/*
 * tidreuse.c - one thread id used by an untraced task and then by a traced
 * one (and the other way round) on the same CPU, for
 * tests/test-record-reuse.sh.
 *
 *     tests/tidreuse ROUNDS      (root; two CPUs)
 *
 * It forks the process to trace and prints "traced_pid=P", then waits for
 * a line on stdin (the recorder attached with -p P is ready) and runs up
 * to ROUNDS rounds of each kind:
 *
 *   A  an untraced child U of this process visits CPU k (its last calls
 *      there) and exits on CPU j; once it is reaped, P writes
 *      /proc/sys/kernel/ns_last_pid so that its next thread gets U's tid
 *      T, and that thread visits CPU k and calls getppid there 3 times.
 *      Prints "a_tid=T": the trace must hold those 3 calls.
 *   B  a thread T of P visits CPU k and exits on j; then an untraced child
 *      of this process gets the tid T (ns_last_pid again) and calls
 *      getppid 3 times on CPU k.  Prints "b_pid=T": the trace must hold
 *      nothing of it.
 *
 * "Visit" means: become SCHED_FIFO, move to CPU k, make the calls there,
 * move back to CPU j (that move is a call made on CPU k too).  Everything
 * else runs on CPU j.  During a round a SCHED_FIFO task of lower priority
 * spins on CPU k without making a call, so that no other task makes a
 * call there between the two visits: whatever the recorder remembers per
 * CPU from the first visit is still there at the second.  A round where
 * another fork took the tid first is not counted ("a_miss=", "b_miss=").
 * Prints "cpu_k=" and, at the end, "rounds_a=" and "rounds_b=".  Exits 77
 * with "skip=REASON" when this machine cannot do it, 1 on errors.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARKS 3                /* getppid calls of the second visit */
#define HOG_SPINS (1L << 31)   /* the hog gives up after this many spins */
#define TRIES_PER_ROUND 10

struct shared {
	volatile int hog_up, hog_stop;
};

static struct shared *sh;
static int cpu_j, cpu_k;
static int last_pid_fd;        /* /proc/sys/kernel/ns_last_pid */

static void die(const char *what)
{
	fprintf(stderr, "tidreuse: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int fifo(int prio)
{
	struct sched_param sp = { .sched_priority = prio };

	return sched_setscheduler(0, SCHED_FIFO, &sp);
}

/* The calling thread's visit to CPU k (see the top). */
static int visit(int marks)
{
	if (fifo(2) || pin(cpu_k))
		return -1;
	for (int i = 0; i < marks; i++)
		syscall(SYS_getppid);
	return pin(cpu_j);
}

/* The next pid or tid the kernel hands out is TID (if free then). */
static void next_pid_is(pid_t tid)
{
	char s[16];
	int n = snprintf(s, sizeof(s), "%d", (int)tid - 1);

	if (pwrite(last_pid_fd, s, n, 0) != n)
		die("write ns_last_pid");
}

/* A task of priority 1 spinning on CPU k until hog_stop: it keeps other
 * tasks off that CPU while the visits (priority 2) come and go. */
static pid_t hog_start(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fifo(1) || pin(cpu_k))
			_exit(1);
		sh->hog_up = 1;
		for (long i = 0; !sh->hog_stop && i < HOG_SPINS; i++)
			__asm__ volatile("" ::: "memory");
		_exit(0);
	}
	while (!sh->hog_up)
		sched_yield();
	return pid;
}

static void hog_stop(pid_t hog)
{
	int st;

	sh->hog_stop = 1;
	if (waitpid(hog, &st, 0) != hog || !WIFEXITED(st) || WEXITSTATUS(st))
		die("the hog on CPU k failed");
	sh->hog_up = sh->hog_stop = 0;
}

/* ---- the traced process ------------------------------------------------ */

struct cmd {
	char kind;   /* 'A' or 'B' */
	pid_t tid;   /* A: the tid the new thread should get */
};

static void *thread_a(void *arg)
{
	pid_t want = *(pid_t *)arg, tid = (pid_t)syscall(SYS_gettid);

	if (tid == want && visit(MARKS))
		die("visit");
	*(pid_t *)arg = tid;
	return NULL;
}

static void *thread_b(void *arg)
{
	if (visit(0))
		die("visit");
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	return NULL;
}

/* Serve commands from IN, answer each with a tid on OUT. */
static void traced_main(int in, int out)
{
	struct cmd c;
	pthread_t t;

	while (read(in, &c, sizeof(c)) == sizeof(c)) {
		pid_t tid = c.tid;

		if (c.kind == 'A')
			next_pid_is(c.tid);
		errno = pthread_create(&t, NULL,
				       c.kind == 'A' ? thread_a : thread_b,
				       &tid);
		if (errno || (errno = pthread_join(t, NULL)))
			die("pthread");
		if (write(out, &tid, sizeof(tid)) != sizeof(tid))
			die("write");
	}
	_exit(0);
}

/* ---- the rounds ---------------------------------------------------------- */

static int cmd_fd, reply_fd;
static pid_t traced;

static pid_t traced_do(char kind, pid_t tid)
{
	struct cmd c = { .kind = kind, .tid = tid };

	if (write(cmd_fd, &c, sizeof(c)) != sizeof(c) ||
	    read(reply_fd, &tid, sizeof(tid)) != sizeof(tid))
		die("talking to the traced process");
	return tid;
}

/* Fork a child that runs VISIT(MARKS) if it got pid WANT (0: any), and
 * reap it.  Its pid, or 0 if it got another one. */
static pid_t untraced_visit(pid_t want, int marks)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(want && getpid() != want ? 3 : visit(marks) ? 1 : 0);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    (WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 3))
		die("an untraced visit failed");
	return WEXITSTATUS(st) ? 0 : pid;
}

/* Round A: untraced first, traced second.  1 if the tid was reused. */
static int round_a(void)
{
	pid_t u = untraced_visit(0, 1), t = traced_do('A', u);

	if (t != u) {
		printf("a_miss=%d\n", (int)u);
		return 0;
	}
	printf("a_tid=%d\n", (int)t);
	return 1;
}

/* The thread TID of the traced process is gone (its number is free). */
static void wait_gone(pid_t tid)
{
	while (syscall(SYS_tgkill, traced, tid, 0) == 0)
		sched_yield();
}

/* Round B: traced first, untraced second. */
static int round_b(void)
{
	pid_t t = traced_do('B', 0), u;

	wait_gone(t);
	next_pid_is(t);
	u = untraced_visit(t, MARKS);
	if (u != t) {
		printf("b_miss=%d\n", (int)t);
		return 0;
	}
	printf("b_pid=%d\n", (int)u);
	return 1;
}

static int skip(const char *why)
{
	printf("skip=%s\n", why);
	return 77;
}

/* Can this process's children be SCHED_FIFO? */
static int fifo_allowed(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(fifo(1) ? 1 : 0);
	return waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	       WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv)
{
	int rounds = argc == 2 ? atoi(argv[1]) : 0, na = 0, nb = 0;
	int to_traced[2], from_traced[2];
	cpu_set_t set;
	char line[64];

	setvbuf(stdout, NULL, _IOLBF, 0); /* nothing for a fork to repeat */
	if (rounds <= 0) {
		fprintf(stderr, "usage: tidreuse ROUNDS\n");
		return 2;
	}
	if (sched_getaffinity(0, sizeof(set), &set))
		die("sched_getaffinity");
	cpu_j = cpu_k = -1;
	for (int c = 0; c < CPU_SETSIZE && cpu_k < 0; c++)
		if (CPU_ISSET(c, &set))
			*(cpu_j < 0 ? &cpu_j : &cpu_k) = c;
	if (cpu_k < 0)
		return skip("needs two CPUs");
	last_pid_fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	if (last_pid_fd < 0)
		return skip("cannot write /proc/sys/kernel/ns_last_pid");
	if (!fifo_allowed())
		return skip("cannot use SCHED_FIFO");
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap");
	if (pin(cpu_j) || pipe(to_traced) || pipe(from_traced))
		die("setup");
	traced = fork();
	if (traced < 0)
		die("fork");
	if (traced == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(to_traced[1]);
		close(from_traced[0]);
		traced_main(to_traced[0], from_traced[1]);
	}
	close(to_traced[0]);
	close(from_traced[1]);
	cmd_fd = to_traced[1];
	reply_fd = from_traced[0];
	printf("traced_pid=%d\ncpu_k=%d\n", (int)traced, cpu_k);
	if (!fgets(line, sizeof(line), stdin))
		die("read the go line");

	for (int i = 0; i < TRIES_PER_ROUND * rounds && na < rounds; i++) {
		pid_t hog = hog_start();

		na += round_a();
		hog_stop(hog);
	}
	for (int i = 0; i < TRIES_PER_ROUND * rounds && nb < rounds; i++) {
		pid_t hog = hog_start();

		nb += round_b();
		hog_stop(hog);
	}
	close(cmd_fd); /* the traced process ends at end of file */
	waitpid(traced, NULL, 0);
	printf("rounds_a=%d\nrounds_b=%d\n", na, nb);
	return 0;
}
