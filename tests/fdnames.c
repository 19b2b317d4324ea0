/*
 * fdnames.c - a workload whose every fd is known, for the fd_name test
 * (tests/test-record-fdname.sh), run under strace -yy as the oracle.
 *
 *     fdnames run DIR      files (relative, after chdir and fchdir, with
 *                          a dirfd), a write loop on one fd, dup2 onto 1
 *                          in a child, dup3 and F_DUPFD_CLOEXEC, pipe and
 *                          pipe2, TCP over 127.0.0.1 and ::1, a Unix
 *                          socket, and an exec keeping one fd and losing
 *                          its close-on-exec twin
 *     fdnames exec A B     (run's exec) read on A (kept) and B (gone)
 *     fdnames hold FILE    open FILE, print "fd=N", wait for a line on
 *                          stdin, write on the fd three times, exit
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void xwrite(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("write");
}

static void xread(int fd)
{
	char buf[64];

	if (read(fd, buf, sizeof(buf)) < 0)
		die("read");
}

/* A connected pair over FAMILY's loopback: *CLI and *ACC. */
static int tcp_pair(int family, int *cli, int *acc)
{
	struct sockaddr_storage ss = { 0 }, peer;
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) :
					    sizeof(struct sockaddr_in6);
	socklen_t plen = sizeof(peer);
	int srv = socket(family, SOCK_STREAM, 0);

	if (srv < 0)
		return -1;
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_addr.s_addr =
			htonl(INADDR_LOOPBACK);
	else
		((struct sockaddr_in6 *)&ss)->sin6_addr = in6addr_loopback;
	if (bind(srv, (struct sockaddr *)&ss, len) < 0 || listen(srv, 4) < 0 ||
	    getsockname(srv, (struct sockaddr *)&ss, &len) < 0) {
		close(srv);
		return -1;
	}
	if ((*cli = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(*cli, (struct sockaddr *)&ss, len) < 0)
		die("connect");
	if ((*acc = accept4(srv, (struct sockaddr *)&peer, &plen,
			    SOCK_CLOEXEC)) < 0)
		die("accept");
	close(srv);
	return 0;
}

static void sockets(const char *dir)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_un peer;
	socklen_t plen = sizeof(peer);
	int fam[2] = { AF_INET, AF_INET6 }, cli, acc, srv;

	for (int i = 0; i < 2; i++) {
		if (tcp_pair(fam[i], &cli, &acc) < 0)
			continue; /* no IPv6 here */
		xwrite(cli, "ping");
		xread(acc);
		xwrite(acc, "pong");
		xread(cli);
		close(cli);
		close(acc);
	}
	snprintf(un.sun_path, sizeof(un.sun_path), "%s/sock", dir);
	if ((srv = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(srv, (struct sockaddr *)&un, sizeof(un)) < 0 ||
	    listen(srv, 4) < 0 ||
	    (cli = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    connect(cli, (struct sockaddr *)&un, sizeof(un)) < 0 ||
	    (acc = accept(srv, (struct sockaddr *)&peer, &plen)) < 0)
		die("unix socket");
	xwrite(cli, "ping");
	xread(acc);
	close(cli);
	close(acc);
	close(srv);
}

static void files(const char *dir)
{
	char rel[4096];
	int a, d, b, c, e;

	if (chdir(dir) < 0 || mkdir("sub", 0755) < 0)
		die("chdir/mkdir");
	if ((a = open("a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644)) < 0)
		die("open a.txt");
	for (int i = 0; i < 5; i++)
		xwrite(a, "line\n");
	if ((d = open(".", O_RDONLY | O_DIRECTORY)) < 0 ||
	    (b = openat(d, "sub/b.txt", O_CREAT | O_WRONLY, 0644)) < 0)
		die("openat");
	xwrite(b, "b\n");
	snprintf(rel, sizeof(rel), "../%s/./sub/../a.txt", strrchr(dir, '/') + 1);
	if ((c = openat(AT_FDCWD, rel, O_RDONLY)) < 0)
		die("openat ..");
	xread(c);
	if (chdir("sub") < 0 || (e = open("c.txt", O_CREAT | O_WRONLY, 0644)) < 0)
		die("sub/c.txt");
	xwrite(e, "c\n");
	close(e);
	if (fchdir(d) < 0 || (e = open("a.txt", O_RDONLY)) < 0)
		die("fchdir");
	xread(e);
	close(e);
	/* dup3 and F_DUPFD_CLOEXEC keep the name */
	if ((e = dup3(a, 20, O_CLOEXEC)) < 0)
		die("dup3");
	xwrite(e, "dup3\n");
	close(e);
	if ((e = fcntl(a, F_DUPFD_CLOEXEC, 30)) < 0)
		die("fcntl");
	xwrite(e, "dupfd\n");
	close(e);
	/* dup2 onto 1 in a child: its stdout is the file */
	pid_t pid = fork();

	if (pid == 0) {
		if (dup2(a, 1) < 0)
			_exit(1);
		xwrite(1, "stdout\n");
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	close(a);
	close(b);
	close(c);
	close(d);
}

static void pipes(void)
{
	int p[2];

	if (pipe(p) < 0)
		die("pipe");
	xwrite(p[1], "x");
	xread(p[0]);
	close(p[0]);
	close(p[1]);
	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe2");
	xwrite(p[1], "y");
	xread(p[0]);
	close(p[0]);
	close(p[1]);
}

/* An exec keeps KEEP and closes its close-on-exec twin GONE. */
static void exec_keep(const char *self, const char *dir)
{
	char path[4096], ka[16], ga[16];
	int keep, gone;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/a.txt", dir);
	if ((keep = open(path, O_RDONLY)) < 0 ||
	    (gone = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		die("open for exec");
	snprintf(ka, sizeof(ka), "%d", keep);
	snprintf(ga, sizeof(ga), "%d", gone);
	if ((pid = fork()) == 0) {
		execl(self, self, "exec", ka, ga, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
	close(keep);
	close(gone);
}

static int hold(const char *file)
{
	char line[64];
	int fd = open(file, O_CREAT | O_WRONLY | O_APPEND, 0644);

	if (fd < 0)
		die("open");
	printf("fd=%d\n", fd);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	for (int i = 0; i < 3; i++)
		xwrite(fd, "held\n");
	return 0;
}

int main(int argc, char **argv)
{
	char self[4096];

	if (argc == 3 && !strcmp(argv[1], "run")) {
		if (!realpath(argv[0], self))
			die("realpath");
		files(argv[2]);
		pipes();
		sockets(argv[2]);
		exec_keep(self, argv[2]);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "exec")) {
		char buf[8];

		if (read(atoi(argv[2]), buf, sizeof(buf)) < 0)
			die("read kept fd");
		return read(atoi(argv[3]), buf, sizeof(buf)) < 0 ? 0 : 1;
	}
	if (argc == 3 && !strcmp(argv[1], "hold"))
		return hold(argv[2]);
	fprintf(stderr, "usage: fdnames run DIR | exec A B | hold FILE\n");
	return 2;
}
