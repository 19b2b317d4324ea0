/*
 * wakers.c - threads woken by known wakers, for tests/test-record-wakers.sh.
 *
 *     tests/wakers N < go      # waits for a line on stdin, then:
 *
 *   sleep  thread "kswk-sleep" sleeps 10 ms N times (nanosleep): woken by
 *          the timer interrupt;
 *   pipe   thread "kswk-pipe" reads one byte from a pipe N times; the main
 *          thread writes each byte once the reader is asleep in read():
 *          woken by the main thread;
 *   tcp    thread "kswk-tcp" reads one byte from a loopback TCP connection
 *          N times; the main thread sends each byte once the reader is
 *          asleep in read(): woken by network receive.
 *
 * The main thread names itself "kswk-main" before it starts the threads,
 * which inherit the name until they take their own, so every wakeup of
 * theirs has a comm starting "kswk-" (a filter an independent tracer can
 * use).  Output, one key=value a line: pid= (before waiting), then
 * main_tid=, sleep_tid=, pipe_tid=, tcp_tid=, and netrx= (NET_RX softirqs
 * run on all CPUs during the tcp phase, from /proc/softirqs).
 *
 * "Asleep in the call" is read from /proc/self/task/TID: state S and the
 * call's number in `syscall`; the main thread polls that (it is the
 * readiness, not a timing guess).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int rounds;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void name_self(const char *name)
{
	if (prctl(PR_SET_NAME, name) < 0)
		die("prctl");
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* Is thread TID asleep (S) in syscall NR? */
static int asleep_in(pid_t tid, long nr)
{
	char path[64], buf[512], *p;
	long got = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	if ((f = fopen(path, "re"))) {
		if (fscanf(f, "%ld", &got) != 1)
			got = -1;
		fclose(f);
	}
	if (got != nr)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	if (!(f = fopen(path, "re")))
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p && p[1] == ' ' && p[2] == 'S';
}

static void wait_asleep(pid_t tid, long nr)
{
	const struct timespec pause = { 0, 200 * 1000 };

	while (!asleep_in(tid, nr))
		nanosleep(&pause, NULL);
}

/* Sum of the NET_RX column of /proc/softirqs. */
static unsigned long long netrx_count(void)
{
	unsigned long long sum = 0, v;
	char line[4096], *p, *end;
	FILE *f = fopen("/proc/softirqs", "re");

	if (!f)
		die("/proc/softirqs");
	while (fgets(line, sizeof(line), f)) {
		p = line + strspn(line, " ");
		if (strncmp(p, "NET_RX:", 7))
			continue;
		for (p += 7;; p = end) {
			v = strtoull(p, &end, 10);
			if (end == p)
				break;
			sum += v;
		}
	}
	fclose(f);
	return sum;
}

struct reader {
	const char *name;
	int fd;
	pid_t tid;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* Publish the thread's tid to the main thread. */
static void reader_started(struct reader *r, const char *name)
{
	name_self(name);
	pthread_mutex_lock(&r->lock);
	r->tid = gettid_();
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

static void *sleeper(void *arg)
{
	const struct timespec ten_ms = { 0, 10 * 1000 * 1000 };
	struct reader *r = arg;

	reader_started(r, r->name);
	for (int i = 0; i < rounds; i++)
		nanosleep(&ten_ms, NULL);
	return NULL;
}

static void *byte_reader(void *arg)
{
	struct reader *r = arg;
	char c;

	reader_started(r, r->name);
	for (int i = 0; i < rounds; i++)
		if (read(r->fd, &c, 1) != 1)
			die("read");
	return NULL;
}

static pthread_t start(struct reader *r, void *(*fn)(void *))
{
	pthread_t t;

	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	if (pthread_create(&t, NULL, fn, r))
		die("pthread_create");
	pthread_mutex_lock(&r->lock);
	while (!r->tid)
		pthread_cond_wait(&r->cond, &r->lock);
	pthread_mutex_unlock(&r->lock);
	return t;
}

/* Write one byte to FD N times, each once R's thread sleeps in NR. */
static void feed(struct reader *r, int fd, long nr)
{
	for (int i = 0; i < rounds; i++) {
		wait_asleep(r->tid, nr);
		if (write(fd, "x", 1) != 1)
			die("write");
	}
}

/* A connected loopback TCP pair: *A the client end, *B the accepted. */
static void tcp_pair(int *a, int *b)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&sa, &len) < 0)
		die("listen");
	*a = socket(AF_INET, SOCK_STREAM, 0);
	if (*a < 0 || connect(*a, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	if ((*b = accept(l, NULL, NULL)) < 0)
		die("accept");
	setsockopt(*a, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
	close(l);
}

int main(int argc, char **argv)
{
	struct reader sl = { .name = "kswk-sleep" };
	struct reader pr = { .name = "kswk-pipe" };
	struct reader tr = { .name = "kswk-tcp" };
	unsigned long long rx0;
	int p[2], tcp_out;
	char go[16];
	pthread_t t;

	if (argc != 2 || (rounds = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: wakers N < go\n");
		return 2;
	}
	name_self("kswk-main");
	printf("pid=%d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(go, sizeof(go), stdin))
		die("waiting for go");
	printf("main_tid=%d\n", (int)gettid_());

	t = start(&sl, sleeper);
	pthread_join(t, NULL);
	printf("sleep_tid=%d\n", (int)sl.tid);

	if (pipe(p) < 0)
		die("pipe");
	pr.fd = p[0];
	t = start(&pr, byte_reader);
	feed(&pr, p[1], SYS_read);
	pthread_join(t, NULL);
	printf("pipe_tid=%d\n", (int)pr.tid);

	tcp_pair(&tcp_out, &tr.fd);
	rx0 = netrx_count();
	t = start(&tr, byte_reader);
	feed(&tr, tcp_out, SYS_read);
	pthread_join(t, NULL);
	printf("tcp_tid=%d\nnetrx=%llu\n", (int)tr.tid, netrx_count() - rx0);
	return 0;
}
