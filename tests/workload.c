/*
 * workload.c - a program that does known things, for the live recorder
 * tests (tests/test-record-live.sh) to find in the trace.
 *
 *     tests/workload TAG            # do everything once, print what it did
 *     tests/workload --loop N       # N x (getppid, read 64 B of /dev/zero,
 *                                   #      write 64 B to /dev/null)
 *     tests/workload --forks N      # N children, one after the other, each
 *                                   # _exit(i % 100) at once; reaped in turn
 *     tests/workload --exit-pairs N # N children of two threads each; both
 *                                   # threads exit(2) at the same moment
 *     tests/workload --rename N NAME  # N getppid, rename to NAME, N more;
 *                                   # then a thread renamed NAME-t does N
 *     tests/workload --unpaged DIR  # open paths whose strings lie in pages
 *                                   # not in memory when the call starts
 *     tests/workload --thread-exec FILE ARG
 *                                   # a second thread (not the leader)
 *                                   # execs FILE with argument ARG
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
 * --exit-pairs prints pid=, exit_pairs= (children), exit_threads= (threads
 * that exited: two per child), exit_tid_sum= (the sum of their tids) and
 * exit_last_child= (the last child's pid).
 * --rename prints pid=, rename_calls= (N), rename_name= (the new name of
 * the main thread), rename_tid= (the thread) and its rename_thread_name=.
 * --unpaged writes each path into a file of its own in DIR, drops the
 * file's pages from the page cache and maps it MAP_PRIVATE without touching
 * it: the page holding a path is neither mapped nor cached when open()
 * starts (mincore() says so), so only the kernel's own copy faults it in.
 * It prints pid=, unpaged_path= (a file it created and opened, fd
 * unpaged_fd=, name at address unpaged_ptr=), unpaged_enoent= (a missing
 * file, ENOENT, name at enoent_ptr=), unpaged_resident=
 * (pages of the two strings resident just before their calls: 0 when the
 * test is valid) and efault_ptr= (an address in a PROT_NONE page that an
 * open was given: EFAULT, the kernel cannot read it either).
 *
 * --thread-exec prints pid= and exec_tid= (the thread that calls execve)
 * before that thread execs FILE ARG; the process then is FILE.
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
#include <pthread.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
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

/* Two threads of one process meet here and leave together: each adds
 * itself, then spins (no futex wakeup latency) until both are in. */
struct exit_pair {
	int arrived;
	pid_t tid;
};

static void pair_meet(struct exit_pair *p)
{
	__atomic_add_fetch(&p->arrived, 1, __ATOMIC_SEQ_CST);
	for (unsigned long i = 0; __atomic_load_n(&p->arrived, __ATOMIC_SEQ_CST) < 2; i++)
		if (i % 100000 == 99999)
			sched_yield(); /* the other one may not be running */
}

static void *pair_thread(void *arg)
{
	struct exit_pair *p = arg;

	p->tid = (pid_t)syscall(SYS_gettid);
	pair_meet(p);
	syscall(SYS_exit, 0);
	return NULL;
}

/* N children; in each, the main thread and a second thread leave with
 * exit(2) (not exit_group) at the same moment, so both are in the exit
 * path while the process's last thread is decided. */
static int do_exit_pairs(long n)
{
	long sum = 0;
	pid_t last = 0;

	for (long i = 0; i < n; i++) {
		int fds[2];
		pid_t pid, tid = 0;
		int st;

		if (pipe(fds) < 0)
			die("pipe");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			static struct exit_pair p;
			pthread_t t;

			close(fds[0]);
			if (pthread_create(&t, NULL, pair_thread, &p))
				_exit(3);
			while (!__atomic_load_n(&p.tid, __ATOMIC_SEQ_CST))
				sched_yield();
			if (write(fds[1], &p.tid, sizeof(p.tid)) != sizeof(p.tid))
				_exit(4);
			pair_meet(&p);
			syscall(SYS_exit, 0);
		}
		close(fds[1]);
		if (read(fds[0], &tid, sizeof(tid)) != sizeof(tid))
			die("read the thread id");
		close(fds[0]);
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			die("a child of --exit-pairs failed");
		sum += pid + tid;
		last = pid;
	}
	printf("pid=%d\nexit_pairs=%ld\nexit_threads=%ld\nexit_tid_sum=%ld\n"
	       "exit_last_child=%d\n", (int)getpid(), n, 2 * n, sum, (int)last);
	return 0;
}

struct rename_arg {
	long n;
	char name[16];
	pid_t tid;
};

static void *rename_thread(void *arg)
{
	struct rename_arg *a = arg;

	a->tid = (pid_t)syscall(SYS_gettid);
	if (prctl(PR_SET_NAME, a->name) < 0)
		die("prctl");
	for (long i = 0; i < a->n; i++)
		getppid();
	return NULL;
}

/* N getppid under the exec name, a rename, N more; then a thread renames
 * itself and makes N. */
static int do_rename(long n, const char *name)
{
	struct rename_arg a = { .n = n };
	pthread_t t;

	if (strlen(name) > 13) {
		fprintf(stderr, "workload: --rename: NAME longer than 13\n");
		return 2;
	}
	for (long i = 0; i < n; i++)
		getppid();
	if (prctl(PR_SET_NAME, name) < 0)
		die("prctl");
	for (long i = 0; i < n; i++)
		getppid();
	snprintf(a.name, sizeof(a.name), "%s-t", name);
	if (pthread_create(&t, NULL, rename_thread, &a) || pthread_join(t, NULL))
		die("pthread");
	printf("pid=%d\nrename_calls=%ld\nrename_name=%s\nrename_tid=%d\n"
	       "rename_thread_name=%s\n", (int)getpid(), n, name, (int)a.tid,
	       a.name);
	return 0;
}

/* Pages of [P, P + LEN) resident now, by mincore(). */
static int resident_pages(void *p, size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char vec[4];
	int n = 0;

	if (mincore(p, len, vec))
		die("mincore");
	for (size_t i = 0; i < (len + (size_t)pg - 1) / (size_t)pg && i < 4; i++)
		n += vec[i] & 1;
	return n;
}

/* STR written alone into file NAME, its pages dropped from the page cache,
 * and mapped without being touched: returns the mapping, whose first page
 * is neither mapped nor cached.  The file is unlinked. */
static char *unpaged_copy(const char *name, const char *str)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *map;
	int fd;

	if ((fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0600)) < 0 ||
	    ftruncate(fd, pg) || pwrite(fd, str, strlen(str) + 1, 0) < 0 ||
	    fsync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED))
		die("write a name file");
	map = mmap(NULL, (size_t)pg, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	close(fd);
	unlink(name);
	return map;
}

static int do_unpaged(const char *dir)
{
	long pg = sysconf(_SC_PAGESIZE);
	char target[512], missing[512], name[512];
	char *a, *b, *none;
	int fd, res = 0;

	snprintf(target, sizeof(target), "%s/unpaged-target-%d", dir,
		 (int)getpid());
	snprintf(missing, sizeof(missing), "%s/unpaged-missing-%d", dir,
		 (int)getpid());
	if ((fd = open(target, O_CREAT | O_WRONLY | O_TRUNC, 0600)) < 0 ||
	    write(fd, "kscope\n", 7) != 7 || close(fd))
		die("create the target");
	/* One file per name: faulting one in must not read the other ahead. */
	snprintf(name, sizeof(name), "%s/unpaged-name-a-%d", dir, (int)getpid());
	a = unpaged_copy(name, target);
	snprintf(name, sizeof(name), "%s/unpaged-name-b-%d", dir, (int)getpid());
	b = unpaged_copy(name, missing);
	res += resident_pages(a, (size_t)pg);
	int tfd = open(a, O_RDONLY);
	if (tfd < 0)
		die("open the target through the unpaged name");
	res += resident_pages(b, (size_t)pg);
	if (open(b, O_RDONLY) >= 0 || errno != ENOENT)
		die("open of the missing file did not fail with ENOENT");
	/* A name the kernel cannot read either. */
	none = mmap(NULL, (size_t)pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (none == MAP_FAILED)
		die("mmap PROT_NONE");
	if (open(none, O_RDONLY) >= 0 || errno != EFAULT)
		die("open of a PROT_NONE name did not fail with EFAULT");
	printf("pid=%d\nunpaged_path=%s\nunpaged_fd=%d\nunpaged_ptr=%lu\n"
	       "unpaged_enoent=%s\nenoent_ptr=%lu\nunpaged_resident=%d\n"
	       "efault_ptr=%lu\n", (int)getpid(), target, tfd,
	       (unsigned long)a, missing, (unsigned long)b, res,
	       (unsigned long)none);
	close(tfd);
	unlink(target);
	return 0;
}

static char *const *texec_argv;

static void *texec_thread(void *arg)
{
	(void)arg;
	printf("pid=%d\nexec_tid=%ld\n", (int)getpid(), (long)syscall(SYS_gettid));
	fflush(stdout);
	execv(texec_argv[0], texec_argv);
	die("execv");
	return NULL;
}

/* A non-leader thread execs; the leader waits in pthread_join until the
 * exec replaces the whole process. */
static int do_thread_exec(char *const *argv)
{
	pthread_t t;

	texec_argv = argv;
	if (pthread_create(&t, NULL, texec_thread, NULL))
		die("pthread_create");
	pthread_join(t, NULL);
	return 1;
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
	if (argc == 3 && !strcmp(argv[1], "--exit-pairs"))
		return do_exit_pairs(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "--rename"))
		return do_rename(atol(argv[2]), argv[3]);
	if (argc == 3 && !strcmp(argv[1], "--unpaged"))
		return do_unpaged(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "--thread-exec")) {
		char *xargv[] = { argv[2], argv[3], NULL };

		return do_thread_exec(xargv);
	}
	if (argc == 4 && !strcmp(argv[1], "--spin"))
		return do_spin(atol(argv[2]), atol(argv[3]));
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: workload TAG | workload --loop N | "
				"workload --forks N | workload --exit-pairs N | "
				"workload --rename N NAME | workload --unpaged DIR | "
				"workload --thread-exec FILE ARG | "
				"workload --spin N MS\n");
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
