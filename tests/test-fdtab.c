/*
 * test-fdtab.c - the recorder's fd tables (record/fdtab.c) fed sequences
 * of calls, as convert.c feeds them, and the names they give each call's
 * fd: paths after chdir, dirfds, dup*, fcntl, close, a call overlapping
 * a close on another thread, close-on-exec, fork, pipes, sockets, exit.
 *
 * The pids are above any pid_max, so /proc knows none of them and paths
 * are resolved lexically (no symlinks of this host's are looked at).
 */
#include "config.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "record/record.h"
#include "store/systab.h"

#define PID 0x7ffffff0u /* no such process */
#define KID 0x7ffffff1u

static struct rec_plan plan;
static uint64_t now = 1000;

/* Call NAME(args...) of PID: entered at now, returned at now + 10 with
 * RET; its fd column as convert.c computes it.  Returns fd_name ("NULL"
 * when unknown). */
static const char *call_at(struct rec_fdtab *t, uint32_t pid, uint64_t ts,
			   uint64_t end, const char *name, int64_t ret,
			   const char *path, const char *addr, uint64_t a0,
			   uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t args[6] = { a0, a1, a2, a3 };
	int nr = systab_nr("x86_64", name);
	struct rec_fdcall c = {
		.pid = pid, .tid = pid + 1, .nr = nr, .ts = ts, .end = end,
		.ret = ret,
		.args = args, .path = path, .addr = addr,
	};
	const char *n;

	assert_true(nr >= 0);
	c.fd = rec_plan_fd(&plan, nr, args, ret);
	n = rec_fdtab_call(t, &c);
	return n ? n : "NULL";
}

static const char *call(struct rec_fdtab *t, uint32_t pid, const char *name,
			int64_t ret, const char *path, const char *addr,
			uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	now += 100;
	return call_at(t, pid, now, now + 10, name, ret, path, addr, a0, a1,
		       a2, a3);
}

#define OPEN(t, path, flags, fd) \
	call(t, PID, "open", fd, path, NULL, 0, flags, 0, 0)
#define FD1(t, pid, name, fd, ret) \
	call(t, pid, name, ret, NULL, NULL, fd, 0, 0, 0)

static void test_files(void **state)
{
	struct rec_fdtab *t = rec_fdtab_new(&plan);

	assert_non_null(t);
	/* a relative open before the cwd is known: not guessed */
	assert_string_equal(OPEN(t, "a.txt", O_RDONLY, 3), "NULL");
	assert_string_equal(FD1(t, PID, "read", 3, 10), "NULL");
	assert_string_equal(FD1(t, PID, "close", 3, 0), "NULL");
	assert_string_equal(call(t, PID, "chdir", 0, "/srv/app", NULL, 0, 0, 0,
				 0), "NULL");
	assert_string_equal(OPEN(t, "data/../log.txt", O_WRONLY, 3),
			    "/srv/app/log.txt");
	for (int i = 0; i < 3; i++)
		assert_string_equal(FD1(t, PID, "write", 3, 5),
				    "/srv/app/log.txt");
	/* dup2 onto 1: the call names its first fd, 1 is the file after */
	assert_string_equal(call(t, PID, "dup2", 1, NULL, NULL, 3, 1, 0, 0),
			    "/srv/app/log.txt");
	assert_string_equal(FD1(t, PID, "write", 1, 5), "/srv/app/log.txt");
	/* /proc/self and /proc/thread-self are the caller's, not the
	 * recorder's */
	char want[64];
	snprintf(want, sizeof(want), "/proc/%u/cmdline", PID);
	assert_string_equal(OPEN(t, "/proc/self/cmdline", O_RDONLY, 8), want);
	snprintf(want, sizeof(want), "/proc/%u/task/%u/comm", PID, PID + 1);
	assert_string_equal(OPEN(t, "/proc/thread-self/comm", O_RDONLY, 9),
			    want);
	assert_string_equal(OPEN(t, "/proc/selfish", O_RDONLY, 10),
			    "/proc/selfish");
	/* openat with a directory fd, and with AT_FDCWD */
	assert_string_equal(OPEN(t, "/srv//./", O_RDONLY | O_DIRECTORY, 4),
			    "/srv");
	assert_string_equal(call(t, PID, "openat", 5, "etc/conf", NULL, 4,
				 0, 0, 0), "/srv/etc/conf");
	assert_string_equal(call(t, PID, "openat", 6, "../x", NULL,
				 (uint64_t)-100, 0, 0, 0), "/srv/x");
	/* fchdir to the directory fd */
	assert_string_equal(FD1(t, PID, "fchdir", 4, 0), "/srv");
	assert_string_equal(OPEN(t, "y", O_RDONLY, 7), "/srv/y");
	/* a failed call changes nothing */
	assert_string_equal(OPEN(t, "z", O_RDONLY, -2), "NULL");
	assert_string_equal(FD1(t, PID, "close", 3, 0), "/srv/app/log.txt");
	assert_string_equal(FD1(t, PID, "write", 3, -9), "NULL");
	assert_string_equal(FD1(t, PID, "write", 1, 5), "/srv/app/log.txt");
	/* fcntl(F_DUPFD) */
	assert_string_equal(call(t, PID, "fcntl", 10, NULL, NULL, 5,
				 F_DUPFD, 10, 0), "/srv/etc/conf");
	assert_string_equal(FD1(t, PID, "read", 10, 1), "/srv/etc/conf");
	/* an fd past the followed range is unknown */
	assert_string_equal(call(t, PID, "dup2", 70000, NULL, NULL, 5, 70000,
				 0, 0), "/srv/etc/conf");
	assert_string_equal(FD1(t, PID, "read", 70000, 1), "NULL");
	assert_int_equal(rec_fdtab_procs(t), 1);
	rec_fdtab_exit(t, PID);
	assert_int_equal(rec_fdtab_procs(t), 0);
	assert_string_equal(FD1(t, PID, "read", 10, 1), "NULL");
	rec_fdtab_free(t);
}

/* Another thread closes (or replaces) an fd while a call on it is in
 * flight: the call returns after the close and is named as at its entry. */
static void test_overlap(void **state)
{
	struct rec_fdtab *t = rec_fdtab_new(&plan);

	assert_string_equal(OPEN(t, "/data/f", O_RDONLY, 5), "/data/f");
	/* read entered at 5000, close ran 5010-5020, read returned 5100 */
	assert_string_equal(call_at(t, PID, 5010, 5020, "close", 0, NULL, NULL,
				    5, 0, 0, 0), "/data/f");
	assert_string_equal(call_at(t, PID, 5000, 5100, "read", 8, NULL, NULL,
				    5, 0, 0, 0), "/data/f");
	assert_string_equal(call_at(t, PID, 5030, 5040, "read", -9, NULL, NULL,
				    5, 0, 0, 0), "NULL");
	/* fd 5 reused by an open: calls that entered before it returned saw
	 * the fd closed */
	assert_string_equal(call_at(t, PID, 5200, 5210, "open", 5, "/data/g",
				    NULL, 0, 0, 0, 0), "/data/g");
	assert_string_equal(call_at(t, PID, 5205, 5300, "read", -9, NULL,
				    NULL, 5, 0, 0, 0), "NULL");
	assert_string_equal(call_at(t, PID, 5220, 5300, "read", 1, NULL,
				    NULL, 5, 0, 0, 0), "/data/g");
	rec_fdtab_free(t);
}

static void test_exec_fork(void **state)
{
	struct rec_fdtab *t = rec_fdtab_new(&plan);

	assert_string_equal(OPEN(t, "/k", O_RDONLY, 3), "/k");
	assert_string_equal(OPEN(t, "/c", O_RDONLY | O_CLOEXEC, 4), "/c");
	assert_string_equal(OPEN(t, "/s", O_RDONLY | O_CLOEXEC, 5), "/s");
	assert_string_equal(call(t, PID, "fcntl", 0, NULL, NULL, 5, F_SETFD,
				 0, 0), "/s");
	assert_string_equal(call(t, PID, "dup3", 6, NULL, NULL, 3, 6,
				 O_CLOEXEC, 0), "/k");
	assert_string_equal(call(t, PID, "fcntl", 7, NULL, NULL, 3,
				 F_DUPFD_CLOEXEC, 7, 0), "/k");
	assert_string_equal(call(t, PID, "socket", 8, NULL, NULL, AF_INET,
				 SOCK_STREAM | SOCK_CLOEXEC, 0, 0), "tcp");
	assert_string_equal(OPEN(t, "/r", O_RDONLY, 9), "/r");
	assert_string_equal(OPEN(t, "/r2", O_RDONLY, 10), "/r2");
	assert_string_equal(call(t, PID, "close_range", 0, NULL, NULL, 10,
				 ~0u, 4 /* CLOSE_RANGE_CLOEXEC */, 0), "NULL");
	/* the child gets a copy; its changes stay its own */
	assert_int_equal(rec_fdtab_fork(t, PID, KID), 0);
	assert_string_equal(FD1(t, KID, "read", 4, 1), "/c");
	assert_string_equal(FD1(t, KID, "close", 3, 0), "/k");
	assert_string_equal(FD1(t, PID, "read", 3, 1), "/k");
	rec_fdtab_exec(t, KID, now += 100);
	assert_string_equal(FD1(t, KID, "read", 3, -9), "NULL");
	assert_string_equal(FD1(t, KID, "read", 4, -9), "NULL");
	assert_string_equal(FD1(t, KID, "read", 5, 1), "/s");
	assert_string_equal(FD1(t, KID, "read", 6, -9), "NULL");
	assert_string_equal(FD1(t, KID, "read", 7, -9), "NULL");
	assert_string_equal(FD1(t, KID, "read", 8, -9), "NULL");
	assert_string_equal(FD1(t, KID, "read", 9, 1), "/r");
	assert_string_equal(FD1(t, KID, "read", 10, -9), "NULL");
	assert_string_equal(FD1(t, PID, "read", 4, 1), "/c");
	/* an fd from openat2 (flags out of reach) may be close-on-exec: after
	 * an exec it is not known any more */
	assert_string_equal(call(t, PID, "openat2", 11, "/o", NULL,
				 (uint64_t)-100, 0, 0, 0), "/o");
	rec_fdtab_exec(t, PID, now += 100);
	assert_string_equal(FD1(t, PID, "read", 11, 1), "NULL");
	assert_string_equal(FD1(t, PID, "read", 3, 1), "/k");
	rec_fdtab_free(t);
}

static void test_pipes_sockets(void **state)
{
	struct rec_fdtab *t = rec_fdtab_new(&plan);
	struct ks_fdpair pr = {
		.hdr = { .ts = now += 100, .pid = PID,
			 .nr = systab_nr("x86_64", "pipe2") },
		.fd = { 3, 4 }, .ino = { 77, 77 }, .args = { 0, O_CLOEXEC },
	};

	rec_fdtab_pair(t, &pr);
	assert_string_equal(FD1(t, PID, "write", 4, 1), "pipe:[77]");
	assert_string_equal(FD1(t, PID, "read", 3, 1), "pipe:[77]");
	pr.hdr.nr = systab_nr("x86_64", "socketpair");
	pr.args[0] = AF_UNIX;
	pr.args[1] = SOCK_STREAM;
	pr.fd[0] = 5;
	pr.fd[1] = 6;
	rec_fdtab_pair(t, &pr);
	assert_string_equal(FD1(t, PID, "write", 6, 1), "unix:");
	rec_fdtab_exec(t, PID, now += 100);
	assert_string_equal(FD1(t, PID, "read", 3, -9), "NULL");
	assert_string_equal(FD1(t, PID, "read", 5, 1), "unix:");

	/* connect: the local side from the SYN_SENT state change */
	assert_string_equal(call(t, PID, "socket", 7, NULL, NULL, AF_INET,
				 SOCK_STREAM, 0, 0), "tcp");
	rec_fdtab_tcp(t, PID, 2 /* SYN_SENT */, AF_INET, "10.0.0.1", 5000,
		      "10.0.0.2", 80);
	assert_string_equal(call(t, PID, "connect", -115 /* EINPROGRESS */,
				 NULL, "10.0.0.2:80", 7, 0, 16, 0), "tcp");
	assert_string_equal(FD1(t, PID, "write", 7, 1),
			    "tcp 10.0.0.1:5000->10.0.0.2:80");
	/* without one, the protocol alone: no guessed local address */
	assert_string_equal(call(t, PID, "socket", 8, NULL, NULL, AF_INET6,
				 SOCK_STREAM, 0, 0), "tcp");
	assert_string_equal(call(t, PID, "connect", 0, NULL, "[::1]:80", 8, 0,
				 28, 0), "tcp");
	assert_string_equal(FD1(t, PID, "write", 8, 1), "tcp");
	/* a listener on any address: accepted connections' local address
	 * from their state change */
	assert_string_equal(call(t, PID, "socket", 9, NULL, NULL, AF_INET,
				 SOCK_STREAM, 0, 0), "tcp");
	assert_string_equal(call(t, PID, "bind", 0, NULL, "0.0.0.0:8080", 9, 0,
				 16, 0), "tcp");
	assert_string_equal(FD1(t, PID, "listen", 9, 0), "tcp 0.0.0.0:8080");
	rec_fdtab_tcp(t, PID, 1 /* ESTABLISHED */, AF_INET, "10.0.0.1", 8080,
		      "10.0.0.9", 4444);
	assert_string_equal(call(t, PID, "accept4", 10, NULL, "10.0.0.9:4444",
				 9, 0, 0, 0), "tcp 0.0.0.0:8080");
	assert_string_equal(FD1(t, PID, "read", 10, 1),
			    "tcp 10.0.0.1:8080->10.0.0.9:4444");
	/* a listener bound to port 0 learns its port at listen */
	assert_string_equal(call(t, PID, "socket", 11, NULL, NULL, AF_INET,
				 SOCK_STREAM, 0, 0), "tcp");
	assert_string_equal(call(t, PID, "bind", 0, NULL, "127.0.0.1:0", 11, 0,
				 16, 0), "tcp");
	rec_fdtab_tcp(t, PID, 10 /* LISTEN */, AF_INET, "127.0.0.1", 39000,
		      "0.0.0.0", 0);
	assert_string_equal(FD1(t, PID, "listen", 11, 0),
			    "tcp 127.0.0.1:39000");
	/* Unix: the path bound or connected to */
	assert_string_equal(call(t, PID, "socket", 12, NULL, NULL, AF_UNIX,
				 SOCK_STREAM, 0, 0), "unix:");
	assert_string_equal(call(t, PID, "connect", 0, NULL, "unix:/run/x.sock",
				 12, 0, 110, 0), "unix:");
	assert_string_equal(FD1(t, PID, "write", 12, 1), "unix:/run/x.sock");
	/* UDP: the protocol, its peer unknown without a local address */
	assert_string_equal(call(t, PID, "socket", 13, NULL, NULL, AF_INET,
				 SOCK_DGRAM, 0, 0), "udp");
	assert_string_equal(call(t, PID, "eventfd2", 14, NULL, NULL, 0, 0, 0,
				 0), "anon_inode:[eventfd]");
	rec_fdtab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_exec_fork),
		cmocka_unit_test(test_pipes_sockets),
	};

	if (rec_plan_init(&plan, "x86_64") < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
