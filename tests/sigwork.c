/*
 * sigwork.c - workloads whose signals are known in advance, for the live
 * signal tests (tests/test-record-signals.sh).  Each prints key=value
 * lines: the pids it forked and the wait status it saw, the oracle the
 * trace is compared with.
 *
 *     tests/sigwork kill-sibling    # a child (comm sw-victim) killed with
 *                                   # SIGKILL by its sibling (sw-killer)
 *     tests/sigwork usr1 N          # a child (sw-usr1) with a SIGUSR1
 *                                   # handler is sent SIGUSR1 N times, one
 *                                   # at a time (each handled before the
 *                                   # next is sent), then exits 0
 *     tests/sigwork oom DIR MB      # a child (sw-oom) moves itself into
 *                                   # the cgroup v2 DIR and touches up to
 *                                   # MB MiB of memory, 1 MiB at a time
 *
 * Output: pid= (this process), then
 *   kill-sibling: victim=, killer=, victim_status=, killer_status=
 *   usr1:         usr1_child=, usr1_sent=, usr1_ns= (how long the N
 *                 round trips took, for cost measurements), usr1_handled=
 *                 (the child's own count, its exit code), usr1_status=
 *   oom:          oom_victim=, oom_mib= (MiB it had touched when last
 *                 heard of), oom_status=
 * A status is "signal:N" (killed by signal N) or "exit:N".
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "sigwork: %s: %s\n", what, strerror(errno));
	return 2;
}

static void status_print(const char *key, int st)
{
	if (WIFSIGNALED(st))
		printf("%s=signal:%d\n", key, WTERMSIG(st));
	else
		printf("%s=exit:%d\n", key, WEXITSTATUS(st));
}

/* Fork a child named COMM; it writes one byte to the returned pipe end
 * (*READY) once renamed. */
static pid_t child_start(const char *comm, int *ready)
{
	int p[2];
	pid_t pid;

	fflush(stdout);
	if (pipe(p) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		prctl(PR_SET_NAME, comm);
		*ready = p[1];
		return 0;
	}
	close(p[1]);
	*ready = p[0];
	return pid;
}

static int ready_wait(int fd)
{
	char c;
	ssize_t n;

	while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	return n == 1 ? 0 : -1;
}

static void ready_say(int fd)
{
	char c = 1;

	if (write(fd, &c, 1) != 1)
		_exit(3);
}

static int do_kill_sibling(void)
{
	int fd, st;
	pid_t victim, killer;

	victim = child_start("sw-victim", &fd);
	if (victim < 0)
		return die("fork");
	if (victim == 0) {
		ready_say(fd);
		for (;;)
			pause();
	}
	if (ready_wait(fd) < 0)
		return die("victim");
	killer = child_start("sw-killer", &fd);
	if (killer < 0)
		return die("fork");
	if (killer == 0)
		_exit(kill(victim, SIGKILL) == 0 ? 0 : 1);
	printf("victim=%d\nkiller=%d\n", (int)victim, (int)killer);
	if (waitpid(victim, &st, 0) < 0)
		return die("wait");
	status_print("victim_status", st);
	if (waitpid(killer, &st, 0) < 0)
		return die("wait");
	status_print("killer_status", st);
	return 0;
}

static volatile sig_atomic_t usr1_count;
static int usr1_ack = -1;

static void on_usr1(int sig)
{
	char c = 1;

	(void)sig;
	usr1_count++;
	if (write(usr1_ack, &c, 1) != 1)
		_exit(3);
}

static int do_usr1(long n)
{
	struct sigaction sa;
	sigset_t block, old;
	struct timespec t0, t1;
	int fd, st;
	pid_t child;

	child = child_start("sw-usr1", &fd);
	if (child < 0)
		return die("fork");
	if (child == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;
		sigemptyset(&sa.sa_mask);
		usr1_ack = fd;
		sigemptyset(&block);
		sigaddset(&block, SIGUSR1);
		/* blocked but while waiting: none comes between test and wait */
		if (sigaction(SIGUSR1, &sa, NULL) < 0 ||
		    sigprocmask(SIG_BLOCK, &block, &old) < 0)
			_exit(3);
		ready_say(fd);
		while (usr1_count < n)
			sigsuspend(&old);
		_exit((int)usr1_count);
	}
	if (ready_wait(fd) < 0)
		return die("child");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < n; i++) {
		if (kill(child, SIGUSR1) < 0)
			return die("kill");
		if (ready_wait(fd) < 0)
			return die("ack");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("usr1_child=%d\nusr1_sent=%ld\nusr1_ns=%lld\n", (int)child, n,
	       (t1.tv_sec - t0.tv_sec) * 1000000000LL +
	       (t1.tv_nsec - t0.tv_nsec));
	if (waitpid(child, &st, 0) < 0)
		return die("wait");
	if (WIFEXITED(st))
		printf("usr1_handled=%d\n", WEXITSTATUS(st));
	status_print("usr1_status", st);
	return 0;
}

static int do_oom(const char *dir, long mib)
{
	char path[4096], buf[32];
	int fd, st, n;
	long got = 0;
	pid_t child;

	child = child_start("sw-oom", &fd);
	if (child < 0)
		return die("fork");
	if (child == 0) {
		int cg;

		snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
		n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
		cg = open(path, O_WRONLY);
		if (cg < 0 || write(cg, buf, (size_t)n) != n)
			_exit(4);
		close(cg);
		for (long i = 0; i < mib; i++) {
			char *p = malloc(1 << 20);

			if (!p)
				_exit(5);
			memset(p, (int)i | 1, 1 << 20);
			ready_say(fd); /* one byte per MiB touched */
		}
		_exit(0);
	}
	for (char c; read(fd, &c, 1) == 1;)
		got++;
	printf("oom_victim=%d\noom_mib=%ld\n", (int)child, got);
	if (waitpid(child, &st, 0) < 0)
		return die("wait");
	status_print("oom_status", st);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 1;

	printf("pid=%d\n", (int)getpid());
	if (argc == 2 && !strcmp(argv[1], "kill-sibling"))
		rc = do_kill_sibling();
	else if (argc == 3 && !strcmp(argv[1], "usr1"))
		rc = do_usr1(atol(argv[2]));
	else if (argc == 4 && !strcmp(argv[1], "oom"))
		rc = do_oom(argv[2], atol(argv[3]));
	else
		fprintf(stderr, "usage: sigwork kill-sibling | usr1 N | "
			"oom DIR MB\n");
	fflush(stdout);
	return rc;
}
