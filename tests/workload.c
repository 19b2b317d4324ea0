/*
 * workload.c - a program that does known things, for the live recorder
 * tests (tests/test-record-live.sh) to find in the trace.
 *
 *     tests/workload TAG            # do everything once, print what it did
 *     tests/workload --loop N       # N x (getppid, read 64 B of /dev/zero,
 *                                   #      write 64 B to /dev/null)
 *     tests/workload --forks N      # N children, one after the other, each
 *                                   # _exit(i % 100) at once; reaped in turn
 *     tests/workload --spin N MS    # N threads (the main one and N - 1
 *                                   # more) each spin on the CPU until its
 *                                   # own CPU time (CLOCK_THREAD_CPUTIME_ID)
 *                                   # reaches MS ms
 *
 * Every step prints one "key=value" line on stdout, so the test knows the
 * unique path, the fds, ports and pids to look for:
 *
 *   pid=          this process
 *   open_path=    a unique path opened (created) ...
 *   open_fd=      ... and the fd it got
 *   enoent_path=  a unique path whose open failed with ENOENT
 *   tcp_port=     loopback listener port; the client sent tcp_sent bytes
 *   tcp_sent=     and the server answered tcp_reply bytes
 *   tcp_reply=
 *   refused_port= a closed port a connect was refused on (ECONNREFUSED)
 *   exec_pid=     the child that exec'd /bin/true with argument exec_arg=
 *   signal_pid=   a child that died from SIGTERM
 *   sleep_ms=     how long it slept, then spun for spin_ms=
 *
 * --forks prints pid=, forks= (children forked and reaped), exit_sum=
 * (the sum of their exit codes, each i % 100), child_sum= (the sum of
 * their pids) and last_child= (the last one's pid).
 *
 * --spin prints pid= and threads= when it is done.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TCP_SENT 12345
#define TCP_REPLY 5432

static int die(const char *what)
{
	fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int do_loop(long n)
{
	char buf[64] = { 0 };
	int z = open("/dev/zero", O_RDONLY), nul = open("/dev/null", O_WRONLY);

	if (z < 0 || nul < 0)
		die("open /dev/zero or /dev/null");
	for (long i = 0; i < n; i++) {
		getppid();
		if (read(z, buf, sizeof(buf)) != sizeof(buf) ||
		    write(nul, buf, sizeof(buf)) != sizeof(buf))
			die("read/write");
	}
	return 0;
}

static int do_forks(long n)
{
	long sum = 0, pids = 0;
	pid_t last = 0;

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit((int)(i % 100));
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != i % 100)
			die("a child did not exit with its code");
		sum += WEXITSTATUS(st);
		pids += pid;
		last = pid;
	}
	printf("pid=%d\nforks=%ld\nexit_sum=%ld\nchild_sum=%ld\n"
	       "last_child=%d\n", (int)getpid(), n, sum, pids, (int)last);
	return 0;
}

/* Spin until this thread has used ARG (a long, in ms) of CPU time. */
static void *spin_thread(void *arg)
{
	long ms = *(const long *)arg;
	volatile unsigned long x = 0;
	struct timespec t;

	do {
		for (int i = 0; i < 10000; i++)
			x += (unsigned long)i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while (t.tv_sec * 1000 + t.tv_nsec / 1000000 < ms);
	return NULL;
}

static int do_spin(long n, long ms)
{
	pthread_t th[64];

	if (n < 1 || n > 64)
		n = 1;
	for (long i = 1; i < n; i++)
		if ((errno = pthread_create(&th[i], NULL, spin_thread, &ms)))
			die("pthread_create");
	spin_thread(&ms);
	for (long i = 1; i < n; i++)
		pthread_join(th[i], NULL);
	printf("pid=%d\nthreads=%ld\n", (int)getpid(), n);
	return 0;
}

static void step_files(const char *tag)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/tmp/kscope-wl-%s-%d", tag, (int)getpid());
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0)
		die("open");
	if (write(fd, "kscope\n", 7) != 7)
		die("write");
	close(fd);
	unlink(path);
	printf("open_path=%s\nopen_fd=%d\n", path, fd);

	snprintf(path, sizeof(path), "/nonexistent-kscope-%s-%d", tag,
		 (int)getpid());
	if (open(path, O_RDONLY) >= 0 || errno != ENOENT)
		die("open of a missing path did not fail with ENOENT");
	printf("enoent_path=%s\n", path);
}

static void write_all(int fd, size_t n)
{
	char buf[4096];

	memset(buf, 'k', sizeof(buf));
	while (n) {
		ssize_t w = send(fd, buf, n < sizeof(buf) ? n : sizeof(buf), 0);

		if (w <= 0)
			die("send");
		n -= (size_t)w;
	}
}

static void read_all(int fd, size_t n)
{
	char buf[4096];

	while (n) {
		ssize_t r = recv(fd, buf, n < sizeof(buf) ? n : sizeof(buf), 0);

		if (r <= 0)
			die("recv");
		n -= (size_t)r;
	}
}

static void step_tcp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int l, c, s, one = 1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4) ||
	    getsockname(l, (struct sockaddr *)&a, &alen))
		die("listen");
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	s = accept(l, NULL, NULL);
	if (s < 0)
		die("accept");
	write_all(c, TCP_SENT);
	read_all(s, TCP_SENT);
	write_all(s, TCP_REPLY);
	read_all(c, TCP_REPLY);
	close(c);
	close(s);
	close(l);
	printf("tcp_port=%u\ntcp_sent=%d\ntcp_reply=%d\n", ntohs(a.sin_port),
	       TCP_SENT, TCP_REPLY);

	/* A port nobody listens on: bind to get a free one, then close. */
	struct sockaddr_in b = { .sin_family = AF_INET };
	socklen_t blen = sizeof(b);

	b.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&b, sizeof(b)) ||
	    getsockname(l, (struct sockaddr *)&b, &blen))
		die("bind");
	close(l);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0)
		die("socket");
	if (connect(c, (struct sockaddr *)&b, sizeof(b)) == 0 ||
	    errno != ECONNREFUSED)
		die("connect to a closed port was not refused");
	close(c);
	printf("refused_port=%u\n", ntohs(b.sin_port));
}

static void step_children(const char *tag)
{
	char arg[128];
	pid_t pid;
	int st;

	snprintf(arg, sizeof(arg), "kscope-exec-%s-%d", tag, (int)getpid());
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execl("/bin/true", "true", arg, "second-arg", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("/bin/true did not exit 0");
	printf("exec_pid=%d\nexec_arg=%s\n", (int)pid, arg);

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st))
		die("the child did not die from a signal");
	printf("signal_pid=%d\n", (int)pid);
}

static void step_sleep_spin(void)
{
	struct timespec ts = { 0, 50 * 1000000 }, t0, t1;
	volatile unsigned long x = 0;

	nanosleep(&ts, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((t1.tv_sec - t0.tv_sec) * 1000 +
		 (t1.tv_nsec - t0.tv_nsec) / 1000000 < 100);
	printf("sleep_ms=50\nspin_ms=100\n");
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--loop"))
		return do_loop(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "--forks"))
		return do_forks(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "--spin"))
		return do_spin(atol(argv[2]), atol(argv[3]));
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: workload TAG | workload --loop N | "
				"workload --forks N | workload --spin N MS\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid=%d\n", (int)getpid());
	step_files(argv[1]);
	step_tcp();
	step_children(argv[1]);
	step_sleep_spin();
	return 0;
}
