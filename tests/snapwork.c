/*
 * snapwork.c - the workload of tests/test-record-snap.sh: known bytes
 * through a file, a TCP connection and a unix socket pair, and calls with
 * timeouts, pollfd sets and a non-blocking connect's SO_ERROR, for the
 * recorder's payloads and decoded arguments to be compared with strace's
 * view of the same run.
 *
 *     snapwork DIR     # files in DIR; one line per timed call on stdout:
 *                      # "NAME TIMEOUT_NS KIND" (relative, absolute,
 *                      # infinite), then "so_error N"
 *
 * Every call is made with syscall(2), so that the C library picks no
 * other call (nanosleep as clock_nanosleep, poll as ppoll).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void xwrite(int fd, const void *p, size_t n)
{
	if (syscall(SYS_write, fd, p, n) != (long)n)
		die("write");
}

static void xread(int fd, void *p, size_t n)
{
	if (syscall(SYS_read, fd, p, n) != (long)n)
		die("read");
}

/* A file: a long buffer of every byte value, a short one, pwrite/pread. */
static void file_io(const char *dir)
{
	char path[4096], big[300], back[300];
	int fd;

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 3);
	snprintf(path, sizeof(path), "%s/data", dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600)) < 0)
		die("open");
	xwrite(fd, big, sizeof(big));
	xwrite(fd, "tab\there \"quoted\" back\\slash\n", 29);
	if (syscall(SYS_pwrite64, fd, "PWRITE", 6, 10) != 6)
		die("pwrite64");
	if (syscall(SYS_pread64, fd, back, 40, 0) != 40)
		die("pread64");
	if (lseek(fd, 0, SEEK_SET) < 0)
		die("lseek");
	xread(fd, back, sizeof(back));
	close(fd);
	xwrite(2, "fatal: cannot start\n", 20);
}

/* TCP over loopback: sendto/recvfrom, then writev/readv and
 * sendmsg/recvmsg over a unix socket pair. */
static void sockets(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	static const char req[] = "GET /snap HTTP/1.0\r\nHost: x\r\n\r\n";
	char buf[256];
	int l, c, s, sv[2];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(l, (void *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (void *)&a, &al))
		die("listen");
	if ((c = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    connect(c, (void *)&a, sizeof(a)) || (s = accept(l, NULL, NULL)) < 0)
		die("connect");
	if (syscall(SYS_sendto, c, req, sizeof(req) - 1, 0, NULL, 0) !=
	    (long)sizeof(req) - 1)
		die("sendto");
	if (syscall(SYS_recvfrom, s, buf, sizeof(req) - 1, MSG_WAITALL, NULL,
		    NULL) != (long)sizeof(req) - 1)
		die("recvfrom");
	close(c);
	close(s);
	close(l);

	struct iovec iov[2] = { { "first\0vec", 9 }, { "second", 6 } };
	struct iovec in[1] = { { buf, sizeof(buf) } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	struct msghdr mi = { .msg_iov = in, .msg_iovlen = 1 };

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	if (syscall(SYS_writev, sv[0], iov, 2) != 15 ||
	    syscall(SYS_readv, sv[1], in, 1) != 15)
		die("writev/readv");
	if (syscall(SYS_sendmsg, sv[0], &mh, 0) != 15 ||
	    syscall(SYS_recvmsg, sv[1], &mi, 0) != 15)
		die("sendmsg/recvmsg");
	close(sv[0]);
	close(sv[1]);
}

static void said(const char *name, long long ns, const char *kind)
{
	printf("%s %lld %s\n", name, ns, kind);
}

/* Calls with timeouts and pollfd sets. */
static void timeouts(void)
{
	struct timespec ts = { 0, 5000000 }, now;
	struct timeval tv = { 0, 2000 };
	struct pollfd pfd[10];
	int p[2], ep, futex_word = 0;
	char c;

	if (syscall(SYS_nanosleep, &ts, NULL))
		die("nanosleep");
	said("nanosleep", 5000000, "relative");
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += 3000000;
	if (now.tv_nsec >= 1000000000) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000;
	}
	if (syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &now,
		    NULL))
		die("clock_nanosleep");
	said("clock_nanosleep",
	     (long long)now.tv_sec * 1000000000 + now.tv_nsec, "absolute");

	if (pipe(p))
		die("pipe");
	/* ppoll on an empty pipe times out: the kernel writes the time
	 * left (0) back over the timeout it was given */
	pfd[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	ts = (struct timespec){ 0, 1000000 };
	if (syscall(SYS_ppoll, pfd, 1, &ts, NULL, 8) != 0)
		die("ppoll");
	said("ppoll", 1000000, "relative");
	tv = (struct timeval){ 0, 2000 };
	if (syscall(SYS_select, 0, NULL, NULL, NULL, &tv) != 0)
		die("select");
	said("select", 2000000, "relative");
	ts = (struct timespec){ 0, 3000000 };
	if (syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, NULL) != 0)
		die("pselect6");
	said("pselect6", 3000000, "relative");
	ts = (struct timespec){ 0, 4000000 };
	if (syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL,
		    0) != -1 || errno != ETIMEDOUT)
		die("futex");
	said("futex", 4000000, "relative");
	if ((ep = epoll_create1(0)) < 0)
		die("epoll_create1");
	if (syscall(SYS_epoll_wait, ep, pfd, 1, 7) != 0)
		die("epoll_wait");
	said("epoll_wait", 7000000, "relative");
	close(ep);

	/* poll: one ready fd, and a set longer than the recorder keeps */
	xwrite(p[1], "x", 1);
	if (syscall(SYS_poll, pfd, 1, 1000) != 1)
		die("poll");
	said("poll", 1000000000, "relative");
	for (int i = 0; i < 10; i++)
		pfd[i] = (struct pollfd){ .fd = i == 9 ? p[0] : p[1],
					  .events = i == 9 ? POLLIN : POLLOUT };
	if (syscall(SYS_poll, pfd, 10, -1) != 10)
		die("poll");
	said("poll", 0, "infinite");
	xread(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
}

/* A non-blocking connect to a port nobody listens on: refused, and
 * getsockopt(SO_ERROR) says so. */
static void refused(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	struct pollfd pfd;
	int s, err = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* a port that was free just now: bound, then let go */
	if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(s, (void *)&a, sizeof(a)) ||
	    getsockname(s, (void *)&a, &al))
		die("bind");
	close(s);
	if ((s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
		die("socket");
	if (connect(s, (void *)&a, sizeof(a)) == 0 || errno != EINPROGRESS) {
		printf("so_error connect %d\n", errno);
		return;
	}
	pfd = (struct pollfd){ .fd = s, .events = POLLOUT };
	if (syscall(SYS_poll, &pfd, 1, 5000) != 1)
		die("poll");
	al = sizeof(err);
	if (syscall(SYS_getsockopt, s, SOL_SOCKET, SO_ERROR, &err, &al))
		die("getsockopt");
	printf("so_error %d\n", err);
	close(s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: snapwork DIR\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IONBF, 0);
	file_io(argv[1]);
	sockets();
	timeouts();
	refused();
	return 0;
}
