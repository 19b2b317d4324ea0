/*
 * synth.c - a deterministic synthetic kscope trace (API and model: synth.h).
 *
 *     struct synth *s = synth_new(&o);
 *     while (synth_next(s, &kind, &ev) > 0) store_writer_append(w, kind, ev);
 *
 * How it works.  A clock advances in bursty steps (a two-state Markov
 * chain: bursts of short gaps, lulls of long ones).  At each step a thread
 * is drawn Zipf-like by activity rank among those not blocked, and issues a
 * syscall drawn from its process's mix.  That syscall is returned at once;
 * what it causes later (the switch out and back in around a blocking call,
 * the wakeup, a migration, TCP state changes, send / recv bytes,
 * retransmits) goes into a min-heap of pending events keyed by (ts, seq).
 * Everything generated at step time t has ts >= t, so the heap can release
 * every event older than the syscall about to be returned: the output is in
 * global ts order.  Short-lived commands are forked at Poisson times by
 * shells, cron and the postmaster; they run a dynamic-loader script
 * (execve, the ld.so.preload ENOENT, ld.so.cache, libc...) then their own
 * mix, and exit; their parent waits in wait4 meanwhile.
 *
 * All strings (comms, paths, addresses) live in an arena freed by
 * synth_free, so returned structs may be kept.  Randomness comes from one
 * xoshiro256** stream seeded by splitmix64 from opts.seed; the kinds mask
 * only filters output, so the syscalls of a seed never depend on it.
 */
#include "config.h"
#include "tests/synth.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/systab.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define US 1000ULL
#define MS 1000000ULL
#define SEC 1000000000ULL

/* meta keys the recorder writes (docs/FORMAT.md) */
#define META_HOST "host"
#define META_KERNEL "kernel"
#define META_ARCH "arch"
#define META_CPUS "cpus"
#define META_CLOCK_OFFSET "clock_offset_ns" /* wall ns = ts + this */
#define META_START "start_ts"
#define META_END "end_ts"
#define META_RECORDER "recorder"
#define META_OPTIONS "options"

/* errno values as the x86_64 kernel returns them (negated) */
enum {
	E_NOENT = 2, E_INTR = 4, E_BADF = 9, E_AGAIN = 11, E_ACCES = 13,
	E_NOTTY = 25, E_PIPE = 32, E_CONNRESET = 104, E_TIMEDOUT = 110,
	E_CONNREFUSED = 111, E_INPROGRESS = 115,
};

enum { TCP_EST = 1, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2,
       TCP_TIME_WAIT, TCP_CLOSE, TCP_CLOSE_WAIT, TCP_LAST_ACK };

#define AF_INET_ 2
#define AF_INET6_ 10
#define AT_FDCWD_ ((uint64_t)(int64_t)-100)

/* ---- PRNG: splitmix64 seeds xoshiro256** ------------------------------ */

struct rng {
	uint64_t s[4];
	double spare;
	int has_spare;
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
	r->has_spare = 0;
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_u64(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* uniform in [0, 1) */
static inline double rng_unit(struct rng *r)
{
	return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

/* uniform in [0, n); n > 0 */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_u64(r) >> 32) * n) >> 32);
}

static inline int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

static double rng_normal(struct rng *r)
{
	double u, v, q;

	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	do {
		u = 2 * rng_unit(r) - 1;
		v = 2 * rng_unit(r) - 1;
		q = u * u + v * v;
	} while (q >= 1 || q == 0);
	q = sqrt(-2 * log(q) / q);
	r->spare = v * q;
	r->has_spare = 1;
	return u * q;
}

static double rng_exp(struct rng *r, double mean)
{
	return -mean * log(1 - rng_unit(r));
}

/* Log-normal around MEDIAN; one draw in 500 gets a Pareto (alpha 1.2)
 * factor on top: page faults, lock convoys, a slow disk. */
static uint64_t rng_dur(struct rng *r, double median, double sigma)
{
	double d = median * exp(sigma * rng_normal(r));

	if (rng_chance(r, 0.002))
		d *= fmin(1000, pow(1 - rng_unit(r), -1 / 1.2));
	if (d < 80)
		d = 80;
	if (d > 30.0 * SEC)
		d = 30.0 * SEC;
	return (uint64_t)d;
}

/* Rank in [0, n) with P(rank) ~ 1 / (rank + 1): Zipf, s = 1. */
static inline uint32_t rng_zipf(struct rng *r, uint32_t n)
{
	uint32_t k = (uint32_t)(exp(rng_unit(r) * log((double)n + 1)) - 1);

	return k < n ? k : n - 1;
}

/* ---- string arena ----------------------------------------------------- */

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
};

static char *arena_dup(struct arena_block **a, const char *str)
{
	size_t n = strlen(str) + 1;
	struct arena_block *b = *a;

	if (!b || b->size - b->used < n) {
		size_t size = n > 65536 ? n : 65536;
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = *a;
		b->used = 0;
		b->size = size;
		*a = b;
	}
	char *p = b->data + b->used;
	memcpy(p, str, n);
	b->used += n;
	return p;
}

static void arena_free(struct arena_block *a)
{
	while (a) {
		struct arena_block *n = a->next;
		free(a);
		a = n;
	}
}

/* ---- the syscalls ----------------------------------------------------- */

enum sc_kind {
	SK_READ, SK_WRITE, SK_PREAD, SK_PWRITE, SK_RECV, SK_SEND,
	SK_FUTEX, SK_POLL, SK_SLEEP, SK_OPEN, SK_STAT, SK_CLOSE, SK_FD,
	SK_IOCTL, SK_FSYNC, SK_MMAP, SK_MEM, SK_BRK, SK_CONNECT, SK_ACCEPT,
	SK_SOCKET, SK_SIMPLE, SK_GETPID, SK_GETTID, SK_GETRANDOM,
	SK_CLONE, SK_EXECVE, SK_EXIT, SK_WAIT,
};

struct sc_spec {
	const char *name;
	enum sc_kind sk;
	double median_ns, sigma;
};

static const struct sc_spec specs[] = {
	{ "read", SK_READ, 1800, 1.0 },
	{ "write", SK_WRITE, 4000, 1.0 },
	{ "writev", SK_WRITE, 8000, 1.0 },
	{ "pread64", SK_PREAD, 2500, 1.2 },
	{ "pwrite64", SK_PWRITE, 6000, 1.0 },
	{ "recvfrom", SK_RECV, 3500, 0.9 },
	{ "recvmsg", SK_RECV, 4000, 0.9 },
	{ "sendto", SK_SEND, 11000, 0.9 },
	{ "sendmsg", SK_SEND, 9000, 0.9 },
	{ "futex", SK_FUTEX, 1500, 0.6 },
	{ "epoll_wait", SK_POLL, 300 * US, 2.0 },
	{ "poll", SK_POLL, 1 * MS, 2.0 },
	{ "ppoll", SK_POLL, 1 * MS, 2.0 },
	{ "select", SK_POLL, 5 * MS, 1.5 },
	{ "waitid", SK_POLL, 50 * MS, 1.5 },
	{ "clock_nanosleep", SK_SLEEP, 0, 0 },
	{ "nanosleep", SK_SLEEP, 0, 0 },
	{ "openat", SK_OPEN, 5000, 0.8 },
	{ "newfstatat", SK_STAT, 1800, 0.7 },
	{ "statx", SK_STAT, 2200, 0.7 },
	{ "access", SK_STAT, 1600, 0.7 },
	{ "readlink", SK_STAT, 1700, 0.7 },
	{ "unlinkat", SK_STAT, 9000, 1.0 },
	{ "inotify_add_watch", SK_STAT, 3000, 0.7 },
	{ "close", SK_CLOSE, 700, 0.6 },
	{ "fstat", SK_FD, 900, 0.5 },
	{ "lseek", SK_FD, 350, 0.4 },
	{ "fcntl", SK_FD, 400, 0.4 },
	{ "epoll_ctl", SK_FD, 1100, 0.5 },
	{ "setsockopt", SK_FD, 900, 0.5 },
	{ "getsockopt", SK_FD, 700, 0.5 },
	{ "getdents64", SK_FD, 14000, 1.0 },
	{ "timerfd_settime", SK_FD, 1200, 0.5 },
	{ "ftruncate", SK_FD, 15000, 1.0 },
	{ "fallocate", SK_FD, 20000, 1.0 },
	{ "ioctl", SK_IOCTL, 1800, 0.8 },
	{ "fdatasync", SK_FSYNC, 1.5 * MS, 1.2 },
	{ "fsync", SK_FSYNC, 3 * MS, 1.3 },
	{ "mmap", SK_MMAP, 3200, 0.6 },
	{ "munmap", SK_MEM, 4500, 0.8 },
	{ "mprotect", SK_MEM, 2200, 0.6 },
	{ "madvise", SK_MEM, 4000, 1.0 },
	{ "brk", SK_BRK, 1500, 0.5 },
	{ "connect", SK_CONNECT, 25000, 0.8 },
	{ "accept4", SK_ACCEPT, 3000, 0.7 },
	{ "socket", SK_SOCKET, 4000, 0.5 },
	{ "getpid", SK_GETPID, 250, 0.3 },
	{ "gettid", SK_GETTID, 250, 0.3 },
	{ "getrandom", SK_GETRANDOM, 700, 0.5 },
	{ "sched_yield", SK_SIMPLE, 700, 0.8 },
	{ "rt_sigprocmask", SK_SIMPLE, 350, 0.4 },
	{ "rt_sigaction", SK_SIMPLE, 400, 0.4 },
	{ "kill", SK_SIMPLE, 2500, 0.6 },
	{ "uname", SK_SIMPLE, 600, 0.4 },
	{ "prctl", SK_SIMPLE, 500, 0.4 },
	{ "getcwd", SK_SIMPLE, 600, 0.4 },
	{ "prlimit64", SK_SIMPLE, 500, 0.4 },
	{ "clone", SK_CLONE, 60000, 0.5 },
	{ "execve", SK_EXECVE, 400000, 0.5 },
	{ "exit_group", SK_EXIT, 0, 0 },
	{ "wait4", SK_WAIT, 0, 0 },
};
#define NSPECS ARRAY_SIZE(specs)

/* ---- process flavours: syscall mix and path habits -------------------- */

enum flavor { FL_SERVER, FL_DB, FL_JVM, FL_DAEMON, FL_SHORT, FL_KERNEL,
	      FL_COUNT };

struct mix_entry {
	const char *name;
	double weight;
};

/* Roughly 1/rank weights: a Zipf-like mix per kind of process. */
static const struct mix_entry mix_server[] = {
	{ "epoll_wait", 100 }, { "recvfrom", 70 }, { "sendto", 55 },
	{ "read", 40 }, { "write", 35 }, { "close", 22 }, { "epoll_ctl", 18 },
	{ "accept4", 15 }, { "writev", 14 }, { "futex", 12 },
	{ "openat", 10 }, { "newfstatat", 8 }, { "fstat", 7 },
	{ "setsockopt", 6 }, { "connect", 4 }, { "getsockopt", 3 },
	{ "getpid", 3 }, { "clock_nanosleep", 2 }, { "mmap", 2 },
	{ "munmap", 2 }, { "sendmsg", 2 }, { "recvmsg", 2 }, { "fcntl", 2 },
	{ "socket", 2 }, { "pread64", 2 }, { "madvise", 1 },
	{ "getrandom", 1 }, { "ioctl", 1 }, { "brk", 1 }, { "lseek", 1 },
	{ "statx", 1 },
};
static const struct mix_entry mix_db[] = {
	{ "pread64", 80 }, { "recvfrom", 60 }, { "sendto", 50 },
	{ "epoll_wait", 45 }, { "lseek", 40 }, { "read", 30 },
	{ "pwrite64", 25 }, { "write", 12 }, { "openat", 12 },
	{ "close", 12 }, { "futex", 10 }, { "rt_sigprocmask", 6 },
	{ "fdatasync", 5 }, { "newfstatat", 4 }, { "fstat", 4 },
	{ "getpid", 3 }, { "mmap", 3 }, { "brk", 3 }, { "fsync", 2 },
	{ "kill", 2 }, { "munmap", 2 }, { "select", 2 }, { "getrandom", 1 },
	{ "ftruncate", 1 }, { "fallocate", 1 }, { "madvise", 1 },
	{ "unlinkat", 1 },
};
static const struct mix_entry mix_jvm[] = {
	{ "futex", 120 }, { "epoll_wait", 40 }, { "read", 30 },
	{ "write", 25 }, { "recvfrom", 20 }, { "sendto", 18 },
	{ "sched_yield", 15 }, { "clock_nanosleep", 12 }, { "mprotect", 10 },
	{ "madvise", 8 }, { "gettid", 6 }, { "poll", 6 }, { "epoll_ctl", 6 },
	{ "mmap", 5 }, { "openat", 5 }, { "close", 5 }, { "munmap", 4 },
	{ "fstat", 4 }, { "nanosleep", 4 }, { "newfstatat", 3 },
	{ "lseek", 3 }, { "rt_sigprocmask", 3 }, { "ioctl", 3 },
	{ "getsockopt", 2 }, { "setsockopt", 2 }, { "connect", 2 },
	{ "accept4", 2 }, { "socket", 1 }, { "getdents64", 1 },
	{ "readlink", 1 },
};
static const struct mix_entry mix_daemon[] = {
	{ "epoll_wait", 60 }, { "read", 40 }, { "write", 25 },
	{ "recvmsg", 20 }, { "openat", 18 }, { "close", 18 },
	{ "sendmsg", 15 }, { "newfstatat", 12 }, { "fstat", 10 },
	{ "futex", 10 }, { "clock_nanosleep", 8 }, { "poll", 6 },
	{ "ioctl", 6 }, { "getdents64", 5 }, { "getpid", 5 }, { "ppoll", 4 },
	{ "lseek", 4 }, { "rt_sigprocmask", 4 }, { "readlink", 3 },
	{ "access", 3 }, { "timerfd_settime", 3 }, { "fcntl", 3 },
	{ "statx", 3 }, { "mmap", 2 }, { "munmap", 2 }, { "brk", 2 },
	{ "inotify_add_watch", 1 }, { "uname", 1 }, { "prctl", 1 },
	{ "waitid", 1 },
};
static const struct mix_entry mix_short[] = {
	{ "read", 50 }, { "openat", 40 }, { "close", 40 }, { "write", 35 },
	{ "newfstatat", 30 }, { "mmap", 30 }, { "fstat", 25 },
	{ "mprotect", 10 }, { "brk", 8 }, { "getdents64", 8 }, { "ioctl", 8 },
	{ "munmap", 6 }, { "access", 6 }, { "rt_sigaction", 6 },
	{ "lseek", 5 }, { "pread64", 4 }, { "statx", 4 }, { "readlink", 3 },
	{ "rt_sigprocmask", 3 }, { "fcntl", 3 }, { "getcwd", 2 },
	{ "getrandom", 1 }, { "uname", 1 }, { "prlimit64", 1 },
	{ "connect", 1 }, { "socket", 1 }, { "sendto", 1 }, { "recvfrom", 1 },
	{ "poll", 1 },
};

static const struct {
	const struct mix_entry *e;
	unsigned n;
} mixes[FL_COUNT] = {
	[FL_SERVER] = { mix_server, ARRAY_SIZE(mix_server) },
	[FL_DB] = { mix_db, ARRAY_SIZE(mix_db) },
	[FL_JVM] = { mix_jvm, ARRAY_SIZE(mix_jvm) },
	[FL_DAEMON] = { mix_daemon, ARRAY_SIZE(mix_daemon) },
	[FL_SHORT] = { mix_short, ARRAY_SIZE(mix_short) },
};

/* Path categories, and how often each flavour opens or stats them. */
enum pcat { PC_LIB, PC_ETC, PC_PROC, PC_DB, PC_WEB, PC_MISS, PC_TMP, PC_HOME,
	    PC_LOG, PC_COUNT };

static const double path_habits[FL_COUNT][PC_COUNT] = {
	[FL_SERVER] = { [PC_WEB] = 50, [PC_MISS] = 20, [PC_ETC] = 15,
			[PC_PROC] = 10, [PC_TMP] = 5, [PC_LOG] = 3 },
	[FL_DB] = { [PC_DB] = 80, [PC_ETC] = 5, [PC_PROC] = 5, [PC_MISS] = 4,
		    [PC_TMP] = 5, [PC_LOG] = 2 },
	[FL_JVM] = { [PC_LIB] = 10, [PC_PROC] = 40, [PC_ETC] = 10,
		     [PC_TMP] = 20, [PC_MISS] = 20 },
	[FL_DAEMON] = { [PC_PROC] = 40, [PC_ETC] = 25, [PC_LOG] = 15,
			[PC_MISS] = 15, [PC_TMP] = 5 },
	[FL_SHORT] = { [PC_HOME] = 30, [PC_ETC] = 20, [PC_LIB] = 15,
		       [PC_MISS] = 20, [PC_PROC] = 15 },
};

static const char *const paths_lib[] = {
	"/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6",
	"/lib/x86_64-linux-gnu/libm.so.6", "/lib/x86_64-linux-gnu/libz.so.1",
	"/lib/x86_64-linux-gnu/libpcre2-8.so.0",
	"/lib/x86_64-linux-gnu/libselinux.so.1",
	"/lib/x86_64-linux-gnu/libssl.so.3",
	"/lib/x86_64-linux-gnu/libcrypto.so.3",
	"/lib/x86_64-linux-gnu/libtinfo.so.6",
	"/usr/lib/jvm/java-17-openjdk-amd64/lib/modules",
	"/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so",
	"/usr/lib/python3.11/os.py",
	"/usr/lib/python3.11/__pycache__/os.cpython-311.pyc",
	"/usr/lib/python3.11/encodings/__pycache__/utf_8.cpython-311.pyc",
	"/usr/lib/locale/C.utf8/LC_CTYPE", "/usr/share/locale/locale.alias",
	"/usr/lib/x86_64-linux-gnu/gconv/gconv-modules.cache",
};
static const char *const paths_etc[] = {
	"/etc/passwd", "/etc/group", "/etc/hosts", "/etc/resolv.conf",
	"/etc/nsswitch.conf", "/etc/localtime", "/etc/host.conf",
	"/etc/gai.conf", "/etc/ssl/certs/ca-certificates.crt",
	"/etc/nginx/nginx.conf", "/etc/nginx/mime.types",
	"/etc/postgresql/15/main/postgresql.conf", "/etc/machine-id",
	"/etc/os-release", "/etc/shadow", "/etc/ssl/openssl.cnf",
	"/etc/timezone", "/usr/share/zoneinfo/UTC",
};
static const char *const paths_proc[] = {
	"/proc/self/stat", "/proc/self/status", "/proc/meminfo", "/proc/stat",
	"/proc/loadavg", "/proc/self/mountinfo", "/proc/self/cgroup",
	"/proc/self/maps", "/proc/sys/net/core/somaxconn", "/proc/uptime",
	"/sys/fs/cgroup/cpu.max", "/sys/fs/cgroup/memory.max",
	"/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/cpu.stat",
	"/sys/devices/system/cpu/online", "/proc/pressure/cpu",
	"/proc/net/tcp", "/proc/net/tcp6", "/proc/self/fd",
};
static const char *const paths_miss[] = {
	"/etc/ld.so.preload", "/usr/lib/locale/locale-archive",
	"/usr/share/locale/en_US.UTF-8/LC_MESSAGES/coreutils.mo",
	"/usr/share/locale/en_US.utf8/LC_MESSAGES/coreutils.mo",
	"/usr/share/locale/en_US/LC_MESSAGES/coreutils.mo",
	"/usr/share/locale/en.UTF-8/LC_MESSAGES/coreutils.mo",
	"/usr/share/locale/en.utf8/LC_MESSAGES/coreutils.mo",
	"/usr/share/locale/en/LC_MESSAGES/coreutils.mo",
	"/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libpcre2-8.so.0",
	"/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v2/libpcre2-8.so.0",
	"/var/www/html/favicon.ico", "/var/www/html/.well-known/security.txt",
	"/var/www/html/wp-login.php", "/var/www/html/.env",
	"/var/www/html/.git/config", "/var/www/html/apple-touch-icon.png",
	"/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-bundle.crt",
	"/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
	"/sys/fs/cgroup/memory/memory.limit_in_bytes",
	"/run/secrets/kubernetes.io/serviceaccount/token",
	"/home/deploy/app/config/local.yaml", "/home/deploy/.netrc",
	"/usr/share/zoneinfo/posixrules", "/etc/nginx/conf.d/default.conf",
	"/root/.config/git/attributes", "/home/deploy/.config/git/ignore",
	"/tmp/.s.PGSQL.5432.lock",
};
static const char *const paths_home[] = {
	"/home/deploy/.bashrc", "/home/deploy/.profile",
	"/home/deploy/.bash_history", "/home/deploy/.gitconfig",
	"/home/deploy/app/.git/HEAD", "/home/deploy/app/.git/index",
	"/home/deploy/app/.git/refs/heads/main",
	"/home/deploy/app/.git/packed-refs", "/home/deploy/app/src/main.py",
	"/home/deploy/app/src/models.py", "/home/deploy/app/requirements.txt",
	"/home/deploy/app/Makefile", "/home/deploy/app/README.md",
	"/home/deploy/.ssh/known_hosts", "/home/deploy/.cache/pip",
};
static const char *const paths_log[] = {
	"/var/log/nginx/access.log", "/var/log/nginx/error.log",
	"/var/log/syslog", "/var/log/auth.log",
	"/var/log/postgresql/postgresql-15-main.log",
	"/var/log/app/app.log", "/var/log/kern.log",
	"/run/log/journal/5f0e4a2b9c1d4e8f8a7b6c5d4e3f2a1b/system.journal",
};

/* ---- processes, threads, connections --------------------------------- */

struct proc_tmpl {
	const char *comm, *exe, *cmdline, *cgroup;
	enum flavor flavor;
	double activity; /* relative share of syscalls per thread */
	unsigned count, threads;
	const char *thread_comms; /* '|'-separated, cycled; NULL: comm */
	int parent;  /* template index of the parent (its first process) */
	int spawner; /* forks short-lived commands */
	int container;
	int prio;    /* kernel prio as sched_switch shows it */
	const char *listen; /* ip:port accepted on; NULL: none */
};

enum { T_SYSTEMD, T_KTHREADD, T_SSHD, T_SSHD_SESS, T_BASH, T_POSTMASTER,
       T_CONTAINERD, T_SHIM, T_CRON };

/* The long-lived part of the host.  Index order matters: a parent comes
 * before its children. */
static const struct proc_tmpl tmpls[] = {
	[T_SYSTEMD] = { "systemd", "/usr/lib/systemd/systemd",
		"/sbin/init", "/init.scope", FL_DAEMON, 0.2, 1, 1, NULL, -1,
		0, 0, 120, NULL },
	[T_KTHREADD] = { "kthreadd", "", "", "", FL_KERNEL, 0, 1, 1, NULL,
		-1, 0, 0, 120, NULL },
	[T_SSHD] = { "sshd", "/usr/sbin/sshd", "sshd: /usr/sbin/sshd -D "
		"[listener] 0 of 10-100 startups",
		"/system.slice/ssh.service", FL_DAEMON, 0.1, 1, 1, NULL,
		T_SYSTEMD, 0, 0, 120, "10.0.0.10:22" },
	[T_SSHD_SESS] = { "sshd", "/usr/sbin/sshd", "sshd: deploy@pts/0",
		"/user.slice/user-1000.slice/session-4.scope", FL_DAEMON, 0.5,
		3, 1, NULL, T_SSHD, 0, 0, 120, NULL },
	[T_BASH] = { "bash", "/usr/bin/bash", "-bash",
		"/user.slice/user-1000.slice/session-4.scope", FL_SHORT, 0.2,
		3, 1, NULL, T_SSHD_SESS, 1, 0, 120, NULL },
	[T_POSTMASTER] = { "postgres", "/usr/lib/postgresql/15/bin/postgres",
		"/usr/lib/postgresql/15/bin/postgres -D "
		"/var/lib/postgresql/15/main -c config_file=/etc/postgresql/"
		"15/main/postgresql.conf", "/system.slice/system-postgresql."
		"slice/postgresql@15-main.service", FL_DB, 0.3, 1, 1, NULL,
		T_SYSTEMD, 1, 0, 120, "10.0.0.10:5432" },
	[T_CONTAINERD] = { "containerd", "/usr/bin/containerd",
		"/usr/bin/containerd", "/system.slice/containerd.service",
		FL_DAEMON, 0.4, 1, 18, NULL, T_SYSTEMD, 0, 0, 120, NULL },
	[T_SHIM] = { "containerd-shim", "/usr/bin/containerd-shim-runc-v2",
		"/usr/bin/containerd-shim-runc-v2 -namespace moby -id "
		"CONTAINER -address /run/containerd/containerd.sock",
		"/system.slice/containerd.service", FL_DAEMON, 0.05, 10, 9,
		NULL, T_CONTAINERD, 0, 0, 120, NULL },
	[T_CRON] = { "cron", "/usr/sbin/cron", "/usr/sbin/cron -f",
		"/system.slice/cron.service", FL_DAEMON, 0.02, 1, 1, NULL,
		T_SYSTEMD, 1, 0, 120, NULL },
	{ "systemd-journal", "/usr/lib/systemd/systemd-journald",
		"/lib/systemd/systemd-journald",
		"/system.slice/systemd-journald.service", FL_DAEMON, 1.0, 1, 1,
		NULL, T_SYSTEMD, 0, 0, 120, NULL },
	{ "systemd-udevd", "/usr/lib/systemd/systemd-udevd",
		"/lib/systemd/systemd-udevd",
		"/system.slice/systemd-udevd.service", FL_DAEMON, 0.05, 1, 1,
		NULL, T_SYSTEMD, 0, 0, 120, NULL },
	{ "systemd-logind", "/usr/lib/systemd/systemd-logind",
		"/lib/systemd/systemd-logind",
		"/system.slice/systemd-logind.service", FL_DAEMON, 0.05, 1, 1,
		NULL, T_SYSTEMD, 0, 0, 120, NULL },
	{ "dbus-daemon", "/usr/bin/dbus-daemon", "/usr/bin/dbus-daemon "
		"--system --address=systemd: --nofork --nopidfile "
		"--systemd-activation --syslog-only",
		"/system.slice/dbus.service", FL_DAEMON, 0.3, 1, 1, NULL,
		T_SYSTEMD, 0, 0, 120, NULL },
	{ "rsyslogd", "/usr/sbin/rsyslogd", "/usr/sbin/rsyslogd -n -iNONE",
		"/system.slice/rsyslog.service", FL_DAEMON, 0.4, 1, 4,
		"rsyslogd|in:imuxsock|in:imklog|rs:main Q:Reg", T_SYSTEMD, 0,
		0, 120, NULL },
	{ "chronyd", "/usr/sbin/chronyd", "/usr/sbin/chronyd -F 1",
		"/system.slice/chrony.service", FL_DAEMON, 0.02, 1, 1, NULL,
		T_SYSTEMD, 0, 0, 120, NULL },
	{ "agetty", "/sbin/agetty", "/sbin/agetty -o -p -- \\u --noclear - "
		"linux", "/system.slice/system-getty.slice/getty@tty1.service",
		FL_DAEMON, 0.001, 1, 1, NULL, T_SYSTEMD, 0, 0, 120, NULL },
	{ "polkitd", "/usr/lib/polkit-1/polkitd", "/usr/lib/polkit-1/polkitd "
		"--no-debug", "/system.slice/polkit.service", FL_DAEMON, 0.01,
		1, 3, "polkitd|gmain|gdbus", T_SYSTEMD, 0, 0, 120, NULL },
	{ "dockerd", "/usr/bin/dockerd", "/usr/bin/dockerd -H fd:// "
		"--containerd=/run/containerd/containerd.sock",
		"/system.slice/docker.service", FL_DAEMON, 0.3, 1, 22, NULL,
		T_SYSTEMD, 0, 0, 120, NULL },
	{ "nginx", "/usr/sbin/nginx", "nginx: master process "
		"/usr/sbin/nginx -g daemon on; master_process on;",
		"/system.slice/nginx.service", FL_SERVER, 0.01, 1, 1, NULL,
		T_SYSTEMD, 0, 0, 120, NULL },
	{ "nginx", "/usr/sbin/nginx", "nginx: worker process",
		"/system.slice/nginx.service", FL_SERVER, 4.0, 4, 1, NULL, -2,
		0, 0, 120, "10.0.0.10:443" },
	{ "postgres", "/usr/lib/postgresql/15/bin/postgres",
		"postgres: 15/main: checkpointer", "/system.slice/system-"
		"postgresql.slice/postgresql@15-main.service", FL_DB, 0.1, 1,
		1, NULL, T_POSTMASTER, 0, 0, 120, NULL },
	{ "postgres", "/usr/lib/postgresql/15/bin/postgres",
		"postgres: 15/main: background writer", "/system.slice/system-"
		"postgresql.slice/postgresql@15-main.service", FL_DB, 0.2, 1,
		1, NULL, T_POSTMASTER, 0, 0, 120, NULL },
	{ "postgres", "/usr/lib/postgresql/15/bin/postgres",
		"postgres: 15/main: walwriter", "/system.slice/system-"
		"postgresql.slice/postgresql@15-main.service", FL_DB, 0.3, 1,
		1, NULL, T_POSTMASTER, 0, 0, 120, NULL },
	{ "postgres", "/usr/lib/postgresql/15/bin/postgres",
		"postgres: 15/main: autovacuum launcher", "/system.slice/"
		"system-postgresql.slice/postgresql@15-main.service", FL_DB,
		0.05, 1, 1, NULL, T_POSTMASTER, 0, 0, 120, NULL },
	{ "postgres", "/usr/lib/postgresql/15/bin/postgres",
		"postgres: 15/main: app appdb 10.0.2.21(48812) idle",
		"/system.slice/system-postgresql.slice/postgresql@15-main."
		"service", FL_DB, 1.5, 40, 1, NULL, T_POSTMASTER, 0, 0, 120,
		NULL },
	{ "java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
		"/usr/bin/java -Xms2g -Xmx2g -XX:+UseG1GC -jar "
		"/opt/orders/orders-service.jar --server.port=8080",
		"/system.slice/orders.service", FL_JVM, 1.5, 1, 60,
		"java|GC Thread#0|GC Thread#1|G1 Main Marker|G1 Conc#0|"
		"VM Thread|Reference Handl|Finalizer|Signal Dispatch|"
		"C2 CompilerThre|C1 CompilerThre|VM Periodic Tas|"
		"http-nio-8080-e|http-nio-8080-A|http-nio-8080-P|"
		"HikariPool-1 ho|lettuce-epollEv|kafka-producer-|"
		"pool-2-thread-1|scheduling-1", T_SYSTEMD, 0, 0, 120,
		"10.0.0.10:8080" },
	{ "node", "/usr/bin/node", "node /srv/web/server.js",
		"/system.slice/web.service", FL_SERVER, 3.0, 1, 11,
		"node|node|node|node|node|libuv-worker|libuv-worker|"
		"libuv-worker|libuv-worker|node|node", T_SYSTEMD, 0, 0, 120,
		"10.0.0.10:3000" },
	{ "redis-server", "/usr/bin/redis-server", "/usr/bin/redis-server "
		"127.0.0.1:6379", "/system.slice/redis-server.service",
		FL_SERVER, 2.5, 1, 5, "redis-server|bio_close_file|"
		"bio_aof|bio_lazy_free|jemalloc_bg_thd", T_SYSTEMD, 0, 0, 120,
		"127.0.0.1:6379" },
	{ "gunicorn", "/usr/bin/python3.11", "/usr/bin/python3 "
		"/usr/local/bin/gunicorn app:app -w 8 -b 0.0.0.0:8000",
		"/system.slice/api.service", FL_SERVER, 0.8, 8, 1, NULL,
		T_SYSTEMD, 0, 0, 120, "10.0.0.10:8000" },
	{ "php-fpm8.2", "/usr/sbin/php-fpm8.2", "php-fpm: pool www",
		"/system.slice/php8.2-fpm.service", FL_SERVER, 0.3, 24, 1,
		NULL, T_SYSTEMD, 0, 0, 120, "127.0.0.1:9000" },
	{ "unattended-upgr", "/usr/bin/python3.11", "/usr/bin/python3 "
		"/usr/share/unattended-upgrades/unattended-upgrade-shutdown "
		"--wait-for-signal", "/system.slice/unattended-upgrades."
		"service", FL_DAEMON, 0.001, 1, 2, NULL, T_SYSTEMD, 0, 0, 130,
		NULL },
};

/* Container workloads that fill the host up to opts.procs processes. */
static const struct {
	const char *comm, *exe, *cmdline;
	enum flavor flavor;
	double activity;
	unsigned threads;
	const char *listen;
} apps[] = {
	{ "envoy", "/usr/local/bin/envoy", "envoy -c /etc/envoy/envoy.yaml "
		"--service-cluster front", FL_SERVER, 1.0, 8, "10.0.0.10:10000" },
	{ "prometheus", "/bin/prometheus", "/bin/prometheus "
		"--config.file=/etc/prometheus/prometheus.yml "
		"--storage.tsdb.path=/prometheus", FL_DAEMON, 0.6, 12, NULL },
	{ "grafana", "/usr/share/grafana/bin/grafana", "grafana server "
		"--homepath=/usr/share/grafana", FL_SERVER, 0.2, 10, NULL },
	{ "consul", "/bin/consul", "consul agent -data-dir=/consul/data "
		"-config-dir=/consul/config", FL_DAEMON, 0.3, 10, NULL },
	{ "python3", "/usr/local/bin/python3.12", "python3 -m celery -A "
		"tasks worker --concurrency=4", FL_SHORT, 0.3, 3, NULL },
	{ "sidekiq", "/usr/local/bin/ruby", "sidekiq 7.1.2 app [0 of 10 busy]",
		FL_DAEMON, 0.2, 6, NULL },
	{ "pause", "/pause", "/pause", FL_DAEMON, 0.0005, 1, NULL },
	{ "fluent-bit", "/fluent-bit/bin/fluent-bit", "/fluent-bit/bin/"
		"fluent-bit -c /fluent-bit/etc/fluent-bit.conf", FL_DAEMON, 0.4,
		4, NULL },
};

/* What shells, cron and the postmaster start. */
struct spawn_tmpl {
	int parent; /* template index */
	const char *comm, *exe, *argv;
	int exec;   /* 0: fork only (postgres backend) */
	double life_ms, life_sigma;
	enum flavor flavor;
	int fail_code; /* exit code when it fails */
	double fail_rate;
};

static const struct spawn_tmpl spawns[] = {
	{ T_BASH, "ls", "/usr/bin/ls", "ls -la /var/log", 1, 4, 0.8,
		FL_SHORT, 2, 0.05 },
	{ T_BASH, "grep", "/usr/bin/grep", "grep -r ERROR /var/log/app", 1,
		40, 1.2, FL_SHORT, 1, 0.4 },
	{ T_BASH, "cat", "/usr/bin/cat", "cat /etc/os-release", 1, 2, 0.5,
		FL_SHORT, 1, 0.02 },
	{ T_BASH, "git", "/usr/bin/git", "git status", 1, 30, 0.8, FL_SHORT,
		128, 0.05 },
	{ T_BASH, "ps", "/usr/bin/ps", "ps aux", 1, 25, 0.5, FL_SHORT, 1,
		0.01 },
	{ T_BASH, "curl", "/usr/bin/curl", "curl -s http://10.0.3.9:9200/"
		"_cluster/health", 1, 15, 1.0, FL_SHORT, 7, 0.3 },
	{ T_BASH, "python3", "/usr/bin/python3.11", "python3 manage.py "
		"check", 1, 400, 0.6, FL_SHORT, 1, 0.1 },
	{ T_BASH, "sleep", "/usr/bin/sleep", "sleep 1", 1, 1000, 0.01,
		FL_SHORT, 0, 0 },
	{ T_CRON, "sh", "/usr/bin/dash", "/bin/sh -c    cd / && "
		"run-parts --report /etc/cron.hourly", 1, 80, 0.5, FL_SHORT, 1,
		0.02 },
	{ T_POSTMASTER, "postgres", NULL, "postgres: 15/main: app appdb "
		"10.0.2.21(51200) idle", 0, 2000, 1.0, FL_DB, 0, 0 },
	{ T_SHIM, "runc", "/usr/bin/runc", "runc --root /var/run/docker/"
		"runtime-runc/moby --log-format json exec --process "
		"/tmp/runc-process --detach", 1, 60, 0.5, FL_SHORT, 1, 0.02 },
};

/* Where clients connect: upstream servers with their refusal rate. */
static const struct {
	const char *ip;
	unsigned port, family;
	double refused;
	double rtt_us;
} upstreams[] = {
	{ "10.0.1.5", 5432, AF_INET_, 0.001, 150 },
	{ "10.0.1.6", 6379, AF_INET_, 0.001, 120 },
	{ "10.0.2.21", 8080, AF_INET_, 0.005, 200 },
	{ "10.0.3.9", 9200, AF_INET_, 0.35, 250 },  /* a dying Elasticsearch */
	{ "127.0.0.1", 6379, AF_INET_, 0.0005, 30 },
	{ "127.0.0.1", 9000, AF_INET_, 0.002, 30 },
	{ "93.184.216.34", 443, AF_INET_, 0.002, 18000 },
	{ "151.101.64.223", 443, AF_INET_, 0.002, 9000 },
	{ "2606:4700::6810:84e5", 443, AF_INET6_, 0.003, 12000 },
	{ "2a04:4e42:200::223", 443, AF_INET6_, 0.002, 9500 },
	{ "169.254.169.254", 80, AF_INET_, 0.01, 400 },
};

/* Forced parts of a scripted call; NULL fields and ret_set 0: draw them. */
struct script_step {
	const char *name;
	const char *path;
	int ret_set;
	int64_t ret;
};

struct sproc {
	uint32_t pid, ppid;
	uint64_t start_ts, end_ts;
	int ended, exit_code, exit_signal;
	const char *comm, *exe, *cmdline, *cgroup, *container;
	enum flavor flavor;
	int tmpl;       /* index in tmpls, or -1 */
	int spawner;
	const char *listen_ip;
	unsigned listen_port, listen_family;
	unsigned nfds;  /* descriptors held open: reads pick among them */
	unsigned nopen; /* files opened by openat and not yet closed */
	uint64_t mmap_next;
	uint64_t heap;
};

struct sthread {
	uint32_t tid, proc;
	const char *comm;
	uint32_t cpu;
	int32_t prio;
	int kernel, transient;
	uint64_t start_ts;
	uint64_t busy_until, dies;
	uint64_t buf, futex;
	int32_t conns[4];
	unsigned nconns;
	int32_t pending_close; /* next syscall is close(this) when >= 0 */
	const struct script_step *script;
	unsigned step, nsteps;
	int need_exec; /* a forked command whose next call is execve */
};

struct conn {
	uint64_t sock;
	uint32_t thread;
	int32_t fd;
	int client;
	unsigned family, sport, dport;
	const char *saddr, *daddr, *peer; /* peer: "ip:port" */
	unsigned ops_left;
	double rtt;
};

/* ---- pending events ---------------------------------------------------- */

enum { FIX_NONE, FIX_SWITCH_IN, FIX_SWITCH_OUT };

struct pend {
	uint64_t ts, seq;
	enum ev_kind kind;
	int fix;
	int dropped; /* a syscall past the end of the trace */
	union {
		struct ev_syscall sc;
		struct ev_switch sw;
		struct ev_wakeup wk;
		struct ev_migrate mg;
		struct ev_proc pr;
		struct ev_net nt;
	} u;
};

struct synth {
	struct synth_opts o;
	struct synth_info info;
	struct rng r;
	struct arena_block *arena;

	int nr[NSPECS];
	struct {
		double cdf[64];
		unsigned spec[64];
		unsigned n;
	} mix[FL_COUNT];
	struct {
		const char **p;
		double *noent;
		unsigned n;
	} paths[PC_COUNT];
	double habit_cdf[FL_COUNT][PC_COUNT];

	struct sproc *procs;
	unsigned nprocs, procs_cap;
	struct sthread *threads;
	unsigned nthreads, threads_cap;
	uint32_t *hot; /* long-lived user threads, by activity rank */
	unsigned nhot;
	uint32_t *live; /* transient threads that may be alive */
	unsigned nlive, live_cap;
	uint32_t *kthreads; /* kernel threads */
	unsigned nkthreads;
	uint32_t next_pid;

	struct conn *conns;
	unsigned nconns, conns_cap;
	int32_t free_conn;
	uint64_t next_sock;

	struct pend *pool;
	uint32_t *heap;
	unsigned npend, pool_cap;
	uint32_t free_pend;
	uint64_t seq;

	uint32_t *cur; /* tid running on each cpu */
	const char **cur_comm;
	const char **swapper; /* "swapper/N" */

	uint64_t t;      /* generation clock */
	int burst;       /* arrival process state */
	uint64_t next_spawn;
	uint64_t made;   /* syscalls generated (direct and pending) */
	uint64_t ts_end; /* set when the last syscall is made */
	int draining;

	int have_sc;
	struct ev_syscall sc; /* the next direct syscall */
	size_t plant_i;
	struct pend out; /* what synth_next returned last */
	int err;
};

static void *grow(void *p, unsigned *cap, unsigned need, size_t size)
{
	if (need <= *cap)
		return p;
	unsigned n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(p, (size_t)n * size);
	if (q)
		*cap = n;
	return q;
}

static const char *intern(struct synth *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *intern(struct synth *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char *p = arena_dup(&s->arena, buf);
	if (!p) {
		s->err = -ENOMEM;
		return "";
	}
	return p;
}

/* ---- the pending-event heap ------------------------------------------ */

static inline int pend_less(const struct synth *s, uint32_t a, uint32_t b)
{
	const struct pend *x = &s->pool[a], *y = &s->pool[b];

	return x->ts < y->ts || (x->ts == y->ts && x->seq < y->seq);
}

/* A zeroed pending event of KIND at TS, queued; NULL when out of memory. */
static struct pend *pend_push(struct synth *s, enum ev_kind kind, uint64_t ts)
{
	uint32_t i;

	if (s->free_pend != UINT32_MAX) {
		i = s->free_pend;
		s->free_pend = (uint32_t)s->pool[i].seq;
	} else {
		unsigned cap = s->pool_cap;
		struct pend *p = grow(s->pool, &cap, s->npend + 1, sizeof(*p));
		if (!p) {
			s->err = -ENOMEM;
			return NULL;
		}
		s->pool = p;
		unsigned hcap = s->pool_cap;
		uint32_t *h = grow(s->heap, &hcap, cap, sizeof(*h));
		if (!h) {
			s->err = -ENOMEM;
			return NULL;
		}
		s->heap = h;
		s->pool_cap = cap;
		i = s->npend; /* pool grows only while every slot is in use */
	}
	struct pend *p = &s->pool[i];
	memset(p, 0, sizeof(*p));
	p->ts = ts;
	p->seq = s->seq++;
	p->kind = kind;
	p->u.sc.ts = ts; /* ts is the first member of every kind */

	unsigned k = s->npend++;
	s->heap[k] = i;
	while (k && pend_less(s, s->heap[k], s->heap[(k - 1) / 2])) {
		uint32_t t = s->heap[k];
		s->heap[k] = s->heap[(k - 1) / 2];
		s->heap[(k - 1) / 2] = t;
		k = (k - 1) / 2;
	}
	return p;
}

/* Move the earliest pending event to s->out and free its slot. */
static void pend_pop(struct synth *s)
{
	uint32_t i = s->heap[0];

	s->out = s->pool[i];
	s->pool[i].seq = s->free_pend;
	s->free_pend = i;
	s->heap[0] = s->heap[--s->npend];
	unsigned k = 0;
	for (;;) {
		unsigned l = 2 * k + 1, m = k;
		if (l < s->npend && pend_less(s, s->heap[l], s->heap[m]))
			m = l;
		if (l + 1 < s->npend && pend_less(s, s->heap[l + 1], s->heap[m]))
			m = l + 1;
		if (m == k)
			break;
		uint32_t t = s->heap[k];
		s->heap[k] = s->heap[m];
		s->heap[m] = t;
		k = m;
	}
}

/* Queue a copy of syscall E (counted against opts.syscalls). */
static void pend_syscall(struct synth *s, const struct ev_syscall *e)
{
	struct pend *p = pend_push(s, EV_SYSCALL, e->ts);

	if (p) {
		p->u.sc = *e;
		s->made++;
	}
}

/* ---- building the host ------------------------------------------------ */

static struct sproc *proc_add(struct synth *s)
{
	struct sproc *p = grow(s->procs, &s->procs_cap, s->nprocs + 1,
			       sizeof(*p));
	if (!p) {
		s->err = -ENOMEM;
		return NULL;
	}
	s->procs = p;
	p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof(*p));
	p->tmpl = -1;
	p->mmap_next = 0x7f0000000000ULL + ((uint64_t)rng_below(&s->r, 1 << 20)
					    << 20);
	p->heap = 0x550000000000ULL + ((uint64_t)rng_below(&s->r, 1 << 20)
				       << 16);
	p->nfds = 3 + rng_below(&s->r, 12);
	return p;
}

static struct sthread *thread_add(struct synth *s, uint32_t proc,
				  uint32_t tid, const char *comm)
{
	struct sthread *t = grow(s->threads, &s->threads_cap,
				 s->nthreads + 1, sizeof(*t));
	if (!t) {
		s->err = -ENOMEM;
		return NULL;
	}
	s->threads = t;
	t = &s->threads[s->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->proc = proc;
	t->comm = comm;
	t->cpu = rng_below(&s->r, s->info.cpus);
	t->prio = 120;
	t->dies = UINT64_MAX;
	t->pending_close = -1;
	t->buf = s->procs[proc].heap + ((uint64_t)rng_below(&s->r, 4096) << 12);
	t->futex = s->procs[proc].heap + 0x1000 +
		   ((uint64_t)rng_below(&s->r, 64) << 6);
	return t;
}

/* The Nth name of a '|'-separated list, cycled. */
static const char *nth_name(struct synth *s, const char *list, unsigned n)
{
	unsigned count = 1;

	for (const char *c = list; *c; c++)
		count += *c == '|';
	n %= count;
	const char *b = list;
	while (n--)
		b = strchr(b, '|') + 1;
	const char *e = strchr(b, '|');
	return intern(s, "%.*s", e ? (int)(e - b) : (int)strlen(b), b);
}

static void listen_set(struct synth *s, struct sproc *p, const char *listen)
{
	char ip[64];
	unsigned port;

	if (!listen || sscanf(listen, "%63[^:]:%u", ip, &port) != 2)
		return;
	p->listen_ip = intern(s, "%s", ip);
	p->listen_port = port;
	p->listen_family = strchr(ip, ':') ? AF_INET6_ : AF_INET_;
}

static uint32_t pid_take(struct synth *s, unsigned n)
{
	uint32_t pid = s->next_pid;

	s->next_pid += n + rng_below(&s->r, 3);
	return pid;
}

static void host_build(struct synth *s)
{
	uint32_t first[ARRAY_SIZE(tmpls)];
	uint64_t t0 = s->o.ts_start;

	s->next_pid = 3;
	/* Kernel threads: kthreadd's children, one set per cpu. */
	for (unsigned ti = 0; ti < ARRAY_SIZE(tmpls); ti++) {
		const struct proc_tmpl *tp = &tmpls[ti];
		int parent_tmpl = tp->parent == -2 ? (int)ti - 1 : tp->parent;

		for (unsigned i = 0; i < tp->count; i++) {
			struct sproc *p = proc_add(s);
			if (!p)
				return;
			uint32_t pi = s->nprocs - 1;
			if (i == 0)
				first[ti] = pi;
			p->tmpl = (int)ti;
			p->pid = ti == T_SYSTEMD ? 1 : ti == T_KTHREADD ? 2 :
				 pid_take(s, tp->threads);
			/* the i-th child under the i-th parent instance */
			p->ppid = parent_tmpl < 0 ? 0 :
				  s->procs[first[parent_tmpl] +
					   i % tmpls[parent_tmpl].count].pid;
			p->comm = tp->comm;
			p->exe = tp->exe;
			p->cgroup = tp->cgroup;
			p->cmdline = tp->cmdline;
			p->flavor = tp->flavor;
			p->spawner = tp->spawner;
			p->start_ts = t0 - (ti < 2 ? 7200 * SEC :
				      (uint64_t)(rng_unit(&s->r) * 7000 * SEC));
			listen_set(s, p, tp->listen);
			if (ti == T_SHIM) {
				p->cmdline = intern(s, "/usr/bin/containerd-"
					"shim-runc-v2 -namespace moby -id "
					"%016llx%016llx%016llx%016llx "
					"-address /run/containerd/containerd."
					"sock",
					(unsigned long long)rng_u64(&s->r),
					(unsigned long long)rng_u64(&s->r),
					(unsigned long long)rng_u64(&s->r),
					(unsigned long long)rng_u64(&s->r));
			}
			if (tp->flavor == FL_KERNEL)
				continue;
			for (unsigned k = 0; k < tp->threads; k++) {
				const char *c = tp->comm;
				if (tp->thread_comms)
					c = nth_name(s, tp->thread_comms, k);
				struct sthread *t =
					thread_add(s, pi, p->pid + k, c);
				if (!t)
					return;
				t->prio = tp->prio;
				t->start_ts = p->start_ts + k * 3 * MS;
			}
		}
	}

	/* Kernel threads. */
	static const char *const kt_percpu[] = { "cpuhp/%u", "migration/%u",
						 "ksoftirqd/%u", "kworker/%u:1",
						 "kworker/%u:0H" };
	uint32_t kproc_start = s->nprocs;
	for (unsigned c = 0; c < s->info.cpus; c++) {
		for (unsigned k = 0; k < ARRAY_SIZE(kt_percpu); k++) {
			struct sproc *p = proc_add(s);
			if (!p)
				return;
			p->pid = pid_take(s, 1);
			p->ppid = 2;
			p->comm = intern(s, kt_percpu[k], c);
			p->exe = p->cmdline = p->cgroup = "";
			p->flavor = FL_KERNEL;
			p->start_ts = t0 - 7200 * SEC + c * MS;
		}
	}
	static const char *const kt_misc[] = {
		"rcu_preempt", "kcompactd0", "khugepaged", "kswapd0",
		"kworker/u16:2-events_unbound", "jbd2/nvme0n1p1-8",
		"kworker/u16:0-flush-259:0", "irq/45-nvme0q1",
	};
	for (unsigned k = 0; k < ARRAY_SIZE(kt_misc); k++) {
		struct sproc *p = proc_add(s);
		if (!p)
			return;
		p->pid = pid_take(s, 1);
		p->ppid = 2;
		p->comm = kt_misc[k];
		p->exe = p->cmdline = p->cgroup = "";
		p->flavor = FL_KERNEL;
		p->start_ts = t0 - 7100 * SEC;
	}
	for (uint32_t pi = kproc_start; pi < s->nprocs; pi++) {
		struct sthread *t = thread_add(s, pi, s->procs[pi].pid,
					       s->procs[pi].comm);
		if (!t)
			return;
		t->kernel = 1;
		t->start_ts = s->procs[pi].start_ts;
		if (strncmp(t->comm, "migration/", 10) == 0)
			t->prio = 0;
		if (strncmp(t->comm, "cpuhp/", 6) == 0 ||
		    strncmp(t->comm, "migration/", 10) == 0 ||
		    strncmp(t->comm, "ksoftirqd/", 10) == 0 ||
		    strncmp(t->comm, "kworker/", 8) == 0)
			(void)sscanf(strchr(t->comm, '/') + 1, "%u", &t->cpu);
		if (t->cpu >= s->info.cpus)
			t->cpu = 0;
	}

	/* Containers until the host has opts.procs processes. */
	uint32_t shims = first[T_SHIM];
	for (unsigned i = 0; s->nprocs < s->o.procs; i++) {
		unsigned a = rng_below(&s->r, ARRAY_SIZE(apps));
		uint32_t shim_pid = s->procs[shims + i % tmpls[T_SHIM].count].pid;
		char id[65];
		snprintf(id, sizeof(id), "%016llx%016llx%016llx%016llx",
			 (unsigned long long)rng_u64(&s->r),
			 (unsigned long long)rng_u64(&s->r),
			 (unsigned long long)rng_u64(&s->r),
			 (unsigned long long)rng_u64(&s->r));
		struct sproc *p = proc_add(s);
		if (!p)
			return;
		uint32_t pi = s->nprocs - 1;
		p->pid = pid_take(s, apps[a].threads);
		p->ppid = shim_pid;
		p->comm = apps[a].comm;
		p->exe = apps[a].exe;
		p->cmdline = apps[a].cmdline;
		p->cgroup = intern(s, "/system.slice/docker-%s.scope", id);
		p->container = intern(s, "%.12s", id);
		p->flavor = apps[a].flavor;
		p->start_ts = t0 - (uint64_t)(rng_unit(&s->r) * 5000 * SEC);
		listen_set(s, p, apps[a].listen);
		for (unsigned k = 0; k < apps[a].threads; k++) {
			struct sthread *t = thread_add(s, pi, p->pid + k,
						       p->comm);
			if (!t)
				return;
			t->start_ts = p->start_ts + k * MS;
		}
	}

	/* Rank the user threads by activity for the Zipf draw. */
	double *act = calloc(s->nthreads, sizeof(*act));
	s->hot = calloc(s->nthreads, sizeof(*s->hot));
	s->kthreads = calloc(s->nthreads, sizeof(*s->kthreads));
	if (!act || !s->hot || !s->kthreads) {
		free(act);
		s->err = -ENOMEM;
		return;
	}
	for (uint32_t i = 0; i < s->nthreads; i++) {
		struct sthread *t = &s->threads[i];
		const struct sproc *p = &s->procs[t->proc];
		if (t->kernel) {
			s->kthreads[s->nkthreads++] = i;
			continue;
		}
		double a = p->tmpl >= 0 ? tmpls[p->tmpl].activity : 0.3;
		for (unsigned k = 0; p->tmpl < 0 && k < ARRAY_SIZE(apps); k++)
			if (strcmp(apps[k].comm, p->comm) == 0)
				a = apps[k].activity;
		act[i] = a * exp(rng_normal(&s->r));
		s->hot[s->nhot++] = i;
	}
	/* insertion sort, stable: a few hundred entries, once */
	for (unsigned i = 1; i < s->nhot; i++) {
		uint32_t v = s->hot[i];
		unsigned j = i;
		while (j && act[s->hot[j - 1]] < act[v]) {
			s->hot[j] = s->hot[j - 1];
			j--;
		}
		s->hot[j] = v;
	}
	free(act);
}

static void paths_build(struct synth *s)
{
	static const struct {
		enum pcat c;
		const char *const *p;
		unsigned n;
		double noent;
	} fixed[] = {
		{ PC_LIB, paths_lib, ARRAY_SIZE(paths_lib), 0.002 },
		{ PC_ETC, paths_etc, ARRAY_SIZE(paths_etc), 0.002 },
		{ PC_PROC, paths_proc, ARRAY_SIZE(paths_proc), 0.001 },
		{ PC_MISS, paths_miss, ARRAY_SIZE(paths_miss), 0.97 },
		{ PC_HOME, paths_home, ARRAY_SIZE(paths_home), 0.02 },
		{ PC_LOG, paths_log, ARRAY_SIZE(paths_log), 0.001 },
	};
	unsigned want[PC_COUNT] = { 0 };

	for (unsigned i = 0; i < ARRAY_SIZE(fixed); i++)
		want[fixed[i].c] += fixed[i].n;
	want[PC_PROC] += 120;
	want[PC_DB] = 600;
	want[PC_WEB] = 300;
	want[PC_TMP] = 150;
	for (unsigned c = 0; c < PC_COUNT; c++) {
		s->paths[c].p = calloc(want[c], sizeof(char *));
		s->paths[c].noent = calloc(want[c], sizeof(double));
		if (!s->paths[c].p || !s->paths[c].noent) {
			s->err = -ENOMEM;
			return;
		}
	}
#define PATH_ADD(cat, str, pe)                                   \
	do {                                                     \
		unsigned n_ = s->paths[cat].n++;                 \
		s->paths[cat].p[n_] = (str);                     \
		s->paths[cat].noent[n_] = (pe);                  \
	} while (0)
	for (unsigned i = 0; i < ARRAY_SIZE(fixed); i++)
		for (unsigned k = 0; k < fixed[i].n; k++)
			PATH_ADD(fixed[i].c, fixed[i].p[k], fixed[i].noent);
	for (unsigned k = 0; k < 120; k++) {
		static const char *const f[] = { "stat", "status", "cmdline",
						 "io", "fd", "cgroup" };
		const struct sproc *p = &s->procs[rng_below(&s->r, s->nprocs)];
		PATH_ADD(PC_PROC, intern(s, "/proc/%u/%s", p->pid,
					 f[rng_below(&s->r, ARRAY_SIZE(f))]),
			 0.02);
	}
	uint32_t rel = 16384;
	for (unsigned k = 0; k < 600; k++) {
		rel += 1 + rng_below(&s->r, 40);
		static const char *const fork_sfx[] = { "", "", "", "_fsm",
							"_vm", ".1" };
		if (k % 50 == 49)
			PATH_ADD(PC_DB, intern(s, "/var/lib/postgresql/15/main/"
					      "pg_wal/00000001000000A3000000%02X",
					      k / 50 + 0x40), 0.001);
		else
			PATH_ADD(PC_DB, intern(s, "/var/lib/postgresql/15/main/"
					      "base/16384/%u%s", rel,
					      fork_sfx[rng_below(&s->r, 6)]),
				 0.003);
	}
	static const char *const web_dirs[] = { "static/js", "static/css",
						"img", "assets/fonts", "api/v1" };
	static const char *const web_ext[] = { "js", "css", "png", "woff2",
					       "json" };
	for (unsigned k = 0; k < 300; k++) {
		unsigned d = rng_below(&s->r, ARRAY_SIZE(web_dirs));
		PATH_ADD(PC_WEB, intern(s, "/var/www/html/%s/%s.%08x.%s",
					web_dirs[d],
					k % 3 ? "chunk" : "main",
					(unsigned)rng_u64(&s->r), web_ext[d]),
			 0.08);
	}
	for (unsigned k = 0; k < 150; k++) {
		if (k % 3 == 0)
			PATH_ADD(PC_TMP, intern(s, "/tmp/tmp%08x",
						(unsigned)rng_u64(&s->r)),
				 0.05);
		else if (k % 3 == 1)
			PATH_ADD(PC_TMP, intern(s, "/dev/shm/PostgreSQL.%u",
						(unsigned)rng_below(&s->r,
								    1u << 31)),
				 0.01);
		else
			PATH_ADD(PC_TMP, intern(s, "/tmp/hsperfdata_app/%u",
						10000 + rng_below(&s->r, 40000)),
				 0.3);
	}
#undef PATH_ADD
	for (unsigned f = 0; f < FL_COUNT; f++) {
		double sum = 0;
		for (unsigned c = 0; c < PC_COUNT; c++)
			sum += path_habits[f][c];
		double acc = 0;
		for (unsigned c = 0; c < PC_COUNT; c++) {
			acc += sum ? path_habits[f][c] / sum : 0;
			s->habit_cdf[f][c] = acc;
		}
	}
}

static int spec_index(const char *name)
{
	for (unsigned i = 0; i < NSPECS; i++)
		if (strcmp(specs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int mixes_build(struct synth *s)
{
	for (unsigned i = 0; i < NSPECS; i++) {
		s->nr[i] = systab_nr("x86_64", specs[i].name);
		if (s->nr[i] < 0)
			return -EINVAL;
	}
	for (unsigned f = 0; f < FL_COUNT; f++) {
		double sum = 0, acc = 0;
		for (unsigned k = 0; k < mixes[f].n; k++)
			sum += mixes[f].e[k].weight;
		for (unsigned k = 0; k < mixes[f].n && k < 64; k++) {
			int si = spec_index(mixes[f].e[k].name);
			if (si < 0)
				return -EINVAL;
			acc += mixes[f].e[k].weight / sum;
			s->mix[f].cdf[k] = acc;
			s->mix[f].spec[k] = (unsigned)si;
			s->mix[f].n = k + 1;
		}
	}
	return 0;
}

/* ---- drawing ------------------------------------------------------------ */

static unsigned cdf_pick(struct rng *r, const double *cdf, unsigned n)
{
	double u = rng_unit(r);
	unsigned lo = 0, hi = n - 1;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static const char *path_pick(struct synth *s, enum flavor f, double *noent)
{
	unsigned c = cdf_pick(&s->r, s->habit_cdf[f], PC_COUNT);

	while (!s->paths[c].n)
		c = (c + 1) % PC_COUNT;
	unsigned k = rng_zipf(&s->r, s->paths[c].n);
	*noent = s->paths[c].noent[k];
	return s->paths[c].p[k];
}

/* A user thread that is free at time T: Zipf by rank among the long-lived
 * ones, or one of the live short-lived commands.  UINT32_MAX when the few
 * draws all hit blocked threads. */
static uint32_t thread_pick(struct synth *s, uint64_t t)
{
	/* prune dead transients */
	for (unsigned i = 0; i < s->nlive;) {
		if (s->threads[s->live[i]].dies <= t)
			s->live[i] = s->live[--s->nlive];
		else
			i++;
	}
	for (int tries = 0; tries < 8; tries++) {
		uint32_t ti;
		if (s->nlive && rng_chance(&s->r, fmin(0.5, 0.04 * s->nlive)))
			ti = s->live[rng_below(&s->r, s->nlive)];
		else
			ti = s->hot[rng_zipf(&s->r, s->nhot)];
		const struct sthread *th = &s->threads[ti];
		if (th->busy_until <= t && th->start_ts <= t && th->dies > t)
			return ti;
	}
	/* a busy moment: the next free thread down the ranks */
	for (unsigned k = rng_zipf(&s->r, s->nhot), n = 0; n < s->nhot;
	     n++, k = k + 1 < s->nhot ? k + 1 : 0) {
		const struct sthread *th = &s->threads[s->hot[k]];
		if (th->busy_until <= t)
			return s->hot[k];
	}
	return UINT32_MAX;
}

/* ---- what a syscall causes ---------------------------------------------- */

static uint32_t waker_pick(struct synth *s, const struct sthread *th)
{
	if (rng_chance(&s->r, 0.5))
		return 0;
	if (rng_chance(&s->r, 0.3) && s->nkthreads)
		return s->threads[s->kthreads[rng_below(&s->r, s->nkthreads)]]
			.tid;
	uint32_t w = s->hot[rng_zipf(&s->r, s->nhot)];
	return s->threads[w].tid != th->tid ? s->threads[w].tid : 0;
}

/* TH blocks in a call entered at TS for DUR ns: it is switched out with
 * STATE, woken by WAKER (0: interrupt or timer) and switched back in. */
static void sched_block(struct synth *s, struct sthread *th, uint64_t ts,
			uint64_t dur, int64_t state, uint32_t waker)
{
	uint64_t out = ts + 600 + rng_below(&s->r, 2000);
	uint64_t lat = 2000 + rng_dur(&s->r, 6000, 1.0);
	if (out + 2 * lat >= ts + dur)
		lat = (ts + dur > out) ? (ts + dur - out) / 3 : 0;
	uint64_t wake = ts + dur - 2 * lat, in = ts + dur - lat;
	if (wake < out)
		wake = out;
	if (in < wake)
		in = wake;

	struct pend *p = pend_push(s, EV_SWITCH, out);
	if (!p)
		return;
	p->fix = FIX_SWITCH_OUT;
	p->u.sw.cpu = th->cpu;
	p->u.sw.prev_tid = th->tid;
	p->u.sw.prev_comm = th->comm;
	p->u.sw.prev_state = state;
	p->u.sw.prev_prio = th->prio;

	uint32_t orig = th->cpu;
	if (s->info.cpus > 1 && rng_chance(&s->r, 0.08)) {
		uint32_t dest = rng_below(&s->r, s->info.cpus - 1);
		dest += dest >= orig;
		p = pend_push(s, EV_MIGRATE, wake);
		if (!p)
			return;
		p->u.mg.cpu = orig;
		p->u.mg.tid = th->tid;
		p->u.mg.orig_cpu = orig;
		p->u.mg.dest_cpu = dest;
		th->cpu = dest;
	}
	p = pend_push(s, EV_WAKEUP, wake);
	if (!p)
		return;
	p->u.wk.cpu = waker ? rng_below(&s->r, s->info.cpus) : th->cpu;
	p->u.wk.tid = th->tid;
	p->u.wk.waker_tid = waker;
	p->u.wk.target_cpu = th->cpu;
	p->u.wk.prio = th->prio;

	p = pend_push(s, EV_SWITCH, in);
	if (!p)
		return;
	p->fix = FIX_SWITCH_IN;
	p->u.sw.cpu = th->cpu;
	p->u.sw.next_tid = th->tid;
	p->u.sw.next_comm = th->comm;
	p->u.sw.next_prio = th->prio;
}

static struct pend *net_push(struct synth *s, const struct conn *c,
			     uint64_t ts, enum ev_net_kind kind,
			     unsigned old_state, unsigned new_state,
			     int64_t bytes)
{
	const struct sthread *th = &s->threads[c->thread];
	struct pend *p = pend_push(s, EV_NET, ts);

	if (!p)
		return NULL;
	p->u.nt.cpu = th->cpu;
	p->u.nt.kind = kind;
	p->u.nt.pid = s->procs[th->proc].pid;
	p->u.nt.tid = th->tid;
	p->u.nt.comm = th->comm;
	p->u.nt.family = c->family;
	p->u.nt.saddr = c->saddr;
	p->u.nt.sport = c->sport;
	p->u.nt.daddr = c->daddr;
	p->u.nt.dport = c->dport;
	p->u.nt.old_state = old_state;
	p->u.nt.new_state = new_state;
	p->u.nt.bytes = bytes;
	p->u.nt.sock = c->sock;
	return p;
}

static int32_t conn_new(struct synth *s, uint32_t thread, int32_t fd,
			int client)
{
	int32_t ci;

	if (s->free_conn >= 0) {
		ci = s->free_conn;
		s->free_conn = s->conns[ci].fd;
	} else {
		struct conn *c = grow(s->conns, &s->conns_cap, s->nconns + 1,
				      sizeof(*c));
		if (!c) {
			s->err = -ENOMEM;
			return -1;
		}
		s->conns = c;
		ci = (int32_t)s->nconns++;
	}
	struct conn *c = &s->conns[ci];
	memset(c, 0, sizeof(*c));
	c->thread = thread;
	c->fd = fd;
	c->client = client;
	c->sock = s->next_sock;
	s->next_sock += 0x40 * (1 + rng_below(&s->r, 64));
	c->ops_left = 1 + (unsigned)rng_exp(&s->r, 24);
	return ci;
}

static void conn_free(struct synth *s, int32_t ci)
{
	struct sthread *th = &s->threads[s->conns[ci].thread];

	for (unsigned i = 0; i < th->nconns; i++)
		if (th->conns[i] == ci) {
			th->conns[i] = th->conns[--th->nconns];
			break;
		}
	s->conns[ci].fd = s->free_conn;
	s->free_conn = ci;
}

/* The TCP close handshake of C, starting at TS. */
static void conn_close(struct synth *s, int32_t ci, uint64_t ts, int reset)
{
	struct conn *c = &s->conns[ci];
	uint64_t rtt = (uint64_t)c->rtt;

	if (reset) {
		net_push(s, c, ts, EV_NET_RESET_SENT, 0, 0, 0);
		net_push(s, c, ts, EV_NET_STATE, TCP_EST, TCP_CLOSE, 0);
	} else if (c->client) {
		net_push(s, c, ts, EV_NET_STATE, TCP_EST, TCP_FIN_WAIT1, 0);
		net_push(s, c, ts + rtt, EV_NET_STATE, TCP_FIN_WAIT1,
			 TCP_FIN_WAIT2, 0);
		net_push(s, c, ts + rtt + rtt / 4, EV_NET_STATE,
			 TCP_FIN_WAIT2, TCP_TIME_WAIT, 0);
	} else {
		net_push(s, c, ts, EV_NET_STATE, TCP_EST, TCP_CLOSE_WAIT, 0);
		net_push(s, c, ts + 2000, EV_NET_STATE, TCP_CLOSE_WAIT,
			 TCP_LAST_ACK, 0);
		net_push(s, c, ts + 2000 + rtt, EV_NET_STATE, TCP_LAST_ACK,
			 TCP_CLOSE, 0);
	}
	s->threads[c->thread].pending_close = c->fd;
	conn_free(s, ci);
}

static const char *local_ip(unsigned family)
{
	return family == AF_INET6_ ? "fd00:10::10" : "10.0.0.10";
}

/* ---- one syscall -------------------------------------------------------- */

static const struct script_step loader_script[] = {
	{ "brk", NULL, 0, 0 },
	{ "mmap", NULL, 0, 0 },
	{ "access", "/etc/ld.so.preload", 1, -E_NOENT },
	{ "openat", "/etc/ld.so.cache", 1, 3 },
	{ "newfstatat", "", 1, 0 },
	{ "mmap", NULL, 0, 0 },
	{ "close", NULL, 1, 0 },
	{ "openat", "/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/"
		"libselinux.so.1", 1, -E_NOENT },
	{ "openat", "/lib/x86_64-linux-gnu/libselinux.so.1", 1, 3 },
	{ "read", NULL, 1, 832 },
	{ "newfstatat", "", 1, 0 },
	{ "mmap", NULL, 0, 0 },
	{ "mmap", NULL, 0, 0 },
	{ "close", NULL, 1, 0 },
	{ "openat", "/lib/x86_64-linux-gnu/libc.so.6", 1, 3 },
	{ "read", NULL, 1, 832 },
	{ "pread64", NULL, 1, 784 },
	{ "newfstatat", "", 1, 0 },
	{ "mmap", NULL, 0, 0 },
	{ "mmap", NULL, 0, 0 },
	{ "mmap", NULL, 0, 0 },
	{ "close", NULL, 1, 0 },
	{ "mprotect", NULL, 1, 0 },
	{ "mprotect", NULL, 1, 0 },
	{ "munmap", NULL, 1, 0 },
	{ "getrandom", NULL, 1, 8 },
	{ "brk", NULL, 0, 0 },
	{ "openat", "/usr/lib/locale/locale-archive", 1, -E_NOENT },
	{ "openat", "/usr/share/locale/locale.alias", 1, 3 },
	{ "read", NULL, 1, 2996 },
	{ "close", NULL, 1, 0 },
	{ "openat", "/usr/lib/locale/C.UTF-8/LC_CTYPE", 1, -E_NOENT },
	{ "openat", "/usr/lib/locale/C.utf8/LC_CTYPE", 1, 3 },
	{ "close", NULL, 1, 0 },
};

static const unsigned read_sizes[] = { 4096, 8192, 16384, 65536, 832, 1024,
				       131072, 512 };

static uint32_t fd_pick(struct synth *s, const struct sproc *p)
{
	unsigned n = p->nfds + p->nopen;
	return 3 + (n ? rng_zipf(&s->r, n) : 0);
}

/* Fill E with a syscall of spec SI entered by TH at TS, and queue what it
 * causes.  STEP (may be NULL) forces the path and the return value. */
static void syscall_make(struct synth *s, uint32_t ti, unsigned si,
			 uint64_t ts, const struct script_step *step,
			 struct ev_syscall *e)
{
	struct sthread *th = &s->threads[ti];
	struct sproc *p = &s->procs[th->proc];
	const struct sc_spec *sp = &specs[si];
	struct rng *r = &s->r;
	uint64_t dur = rng_dur(r, sp->median_ns ? sp->median_ns : 1000,
			       sp->sigma);
	int64_t state = -1; /* >= 0: blocks with this task state */
	uint32_t waker = 0;
	double noent = 0;
	int32_t ci = -1;

	memset(e, 0, sizeof(*e));
	e->ts = ts;
	e->cpu = th->cpu;
	e->pid = p->pid;
	e->tid = th->tid;
	e->nr = s->nr[si];
	e->comm = th->comm;
	e->fd = -1;

	switch (sp->sk) {
	case SK_READ:
	case SK_WRITE:
	case SK_RECV:
	case SK_SEND: {
		int sock = sp->sk == SK_RECV || sp->sk == SK_SEND ||
			   (th->nconns && rng_chance(r, 0.3));
		int in = sp->sk == SK_READ || sp->sk == SK_RECV;
		uint64_t want = in ? read_sizes[rng_below(r, 8)] :
				     (uint64_t)fmin(1 << 20, rng_dur(r, 300, 1.3));
		if (sock && th->nconns) {
			ci = th->conns[rng_below(r, th->nconns)];
			e->fd = s->conns[ci].fd;
		} else {
			e->fd = (int32_t)fd_pick(s, p);
			if (sock && in && p->flavor != FL_DB)
				e->addr = "127.0.0.53:53";
		}
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf;
		e->arg[2] = want;
		if (sp->sk == SK_RECV || sp->sk == SK_SEND)
			e->arg[3] = sp->sk == SK_SEND ? 0x4000 : 0x40;
		if (in && sock && rng_chance(r, p->flavor == FL_SERVER ? 0.35 :
					     0.15)) {
			e->ret = -E_AGAIN;
			dur = rng_dur(r, 900, 0.4);
		} else if (in) {
			e->ret = (int64_t)fmin((double)want,
					       rng_dur(r, 600, 1.5));
			if (rng_chance(r, 0.03))
				e->ret = 0; /* EOF */
		} else {
			e->ret = (int64_t)want;
			if (sock && rng_chance(r, 0.001))
				e->ret = -E_PIPE;
		}
		if (!sock && in && p->flavor == FL_DAEMON &&
		    rng_chance(r, 0.2)) {
			/* a pipe or an inotify fd: sleeps until data */
			dur = rng_dur(r, 5 * MS, 2.0);
			state = 1;
		}
		if (ci >= 0 && e->ret > 0) {
			struct conn *c = &s->conns[ci];
			net_push(s, c, ts + dur / 2, in ? EV_NET_RECV :
				 EV_NET_SEND, 0, 0, e->ret);
			if (!in && rng_chance(r, 0.004))
				net_push(s, c, ts + 200 * MS +
					 rng_dur(r, 20 * MS, 0.5),
					 EV_NET_RETRANSMIT, TCP_EST, TCP_EST,
					 e->ret < 1448 ? e->ret : 1448);
			if (--c->ops_left == 0 || rng_chance(r, 0.0005))
				conn_close(s, ci, ts + dur + 1000,
					   !c->client && rng_chance(r, 0.01));
		} else if (ci >= 0 && e->ret == 0) {
			conn_close(s, ci, ts + dur + 1000, 0);
		}
		break;
	}
	case SK_PREAD:
	case SK_PWRITE:
		e->fd = (int32_t)fd_pick(s, p);
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf;
		e->arg[2] = 8192;
		e->arg[3] = (uint64_t)rng_below(r, 1 << 18) * 8192;
		e->ret = 8192;
		if (sp->sk == SK_PREAD && rng_chance(r, 0.02)) {
			/* page-cache miss: waits for the disk */
			dur = rng_dur(r, 150 * US, 0.8);
			state = 2;
		}
		break;
	case SK_FUTEX:
		e->arg[0] = th->futex;
		if (rng_chance(r, 0.6)) {
			e->arg[1] = 128; /* FUTEX_WAIT_PRIVATE */
			e->arg[2] = 2;
			dur = rng_dur(r, 60 * US, 2.0);
			state = 1;
			if (rng_chance(r, 0.1)) {
				e->ret = -E_AGAIN;
				dur = rng_dur(r, 900, 0.4);
				state = -1;
			} else if (rng_chance(r, 0.05)) {
				e->arg[3] = th->buf + 0x100;
				e->ret = -E_TIMEDOUT;
			}
			const struct sproc *pp = p;
			if (state >= 0 && rng_chance(r, 0.8)) {
				/* another thread of the process */
				uint32_t w = s->hot[rng_zipf(&s->r, s->nhot)];
				if (s->threads[w].proc == th->proc)
					waker = s->threads[w].tid;
				else
					waker = pp->pid;
			}
		} else {
			e->arg[1] = 129; /* FUTEX_WAKE_PRIVATE */
			e->arg[2] = 1;
			e->ret = rng_chance(r, 0.6);
		}
		break;
	case SK_POLL:
		e->fd = (int32_t)fd_pick(s, p);
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf + 0x2000;
		e->arg[2] = p->flavor == FL_SERVER ? 512 : 64;
		e->arg[3] = rng_chance(r, 0.5) ? (uint64_t)-1 : 1000;
		if (rng_chance(r, 0.15)) {
			e->ret = 0; /* timeout */
			dur = rng_dur(r, 100 * MS, 1.0);
		} else {
			e->ret = 1 + rng_zipf(r, 16);
		}
		state = 1;
		if (rng_chance(r, 0.001)) {
			e->ret = -E_INTR;
		}
		break;
	case SK_SLEEP: {
		static const uint64_t naps[] = { 1 * MS, 10 * MS, 100 * MS,
						 50 * US, 1 * SEC, 5 * MS };
		uint64_t nap = naps[rng_below(r, ARRAY_SIZE(naps))];
		dur = nap + rng_dur(r, 55 * US, 0.5);
		e->arg[0] = 1; /* CLOCK_MONOTONIC */
		e->arg[2] = th->buf + 0x40;
		state = 1;
		break;
	}
	case SK_OPEN:
	case SK_STAT: {
		const char *path = step && step->path ? step->path :
				   path_pick(s, p->flavor, &noent);
		if (step && step->path)
			noent = 0;
		e->path = path;
		e->arg[1] = th->buf + 0x800;
		if (sp->sk == SK_OPEN) {
			e->arg[0] = AT_FDCWD_;
			e->arg[2] = 0x80000; /* O_RDONLY | O_CLOEXEC */
			e->ret = 3 + p->nfds + p->nopen;
		} else if (!*path) {
			e->fd = 3 + (int32_t)p->nopen; /* fstat through AT_EMPTY_PATH */
			e->arg[0] = (uint64_t)e->fd;
			e->arg[3] = 0x1000;
		} else {
			e->arg[0] = AT_FDCWD_;
		}
		if (step && step->ret_set) {
			e->ret = step->ret;
		} else if (rng_chance(r, noent)) {
			e->ret = -E_NOENT;
			dur = dur * 2 / 3;
		} else if ((strncmp(path, "/etc/shadow", 11) == 0 ||
			    strncmp(path, "/root/", 6) == 0) &&
			   rng_chance(r, 0.9)) {
			e->ret = -E_ACCES;
		}
		if (sp->sk == SK_OPEN && e->ret >= 0)
			p->nopen++;
		break;
	}
	case SK_CLOSE:
		if (th->pending_close >= 0) {
			e->fd = th->pending_close;
			th->pending_close = -1;
		} else if (p->nopen) {
			e->fd = 3 + (int32_t)(p->nfds + --p->nopen);
		} else {
			e->fd = (int32_t)fd_pick(s, p);
			if (rng_chance(r, 0.02))
				e->ret = -E_BADF;
		}
		e->arg[0] = (uint64_t)e->fd;
		break;
	case SK_FD:
	case SK_IOCTL:
	case SK_FSYNC:
		e->fd = (int32_t)fd_pick(s, p);
		e->arg[0] = (uint64_t)e->fd;
		if (sp->sk == SK_IOCTL) {
			e->arg[1] = 0x5401; /* TCGETS */
			e->arg[2] = th->buf + 0x300;
			if (rng_chance(r, 0.6))
				e->ret = -E_NOTTY;
		} else if (sp->sk == SK_FSYNC) {
			state = 2;
		} else {
			e->arg[1] = th->buf + 0x600;
			if (strcmp(sp->name, "getdents64") == 0) {
				e->arg[2] = 32768;
				e->ret = rng_chance(r, 0.4) ? 0 :
					 24 * (1 + rng_zipf(r, 400));
			}
		}
		break;
	case SK_MMAP:
		e->arg[1] = 4096ULL << rng_below(r, 10);
		e->arg[2] = 3;    /* PROT_READ | PROT_WRITE */
		e->arg[3] = 0x22; /* MAP_PRIVATE | MAP_ANONYMOUS */
		e->arg[4] = (uint64_t)-1;
		p->mmap_next -= (e->arg[1] + 4095) & ~4095ULL;
		e->ret = (int64_t)p->mmap_next;
		break;
	case SK_MEM:
		e->arg[0] = p->mmap_next + ((uint64_t)rng_below(r, 256) << 12);
		e->arg[1] = 4096ULL << rng_below(r, 8);
		e->arg[2] = 1;
		break;
	case SK_BRK:
		e->arg[0] = rng_chance(r, 0.3) ? 0 : p->heap + 0x21000;
		p->heap += e->arg[0] ? 0x21000 : 0;
		e->ret = (int64_t)p->heap;
		break;
	case SK_CONNECT: {
		unsigned u = p->flavor == FL_SHORT || p->flavor == FL_DAEMON ?
			     rng_below(r, ARRAY_SIZE(upstreams)) :
			     rng_zipf(r, 6);
		e->fd = 3 + (int32_t)(p->nfds + p->nopen + th->nconns);
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf + 0x900;
		e->arg[2] = upstreams[u].family == AF_INET6_ ? 28 : 16;
		e->addr = intern(s, upstreams[u].family == AF_INET6_ ?
				 "[%s]:%u" : "%s:%u", upstreams[u].ip,
				 upstreams[u].port);
		if (th->nconns >= ARRAY_SIZE(th->conns)) {
			e->ret = -E_INPROGRESS;
			break;
		}
		ci = conn_new(s, ti, e->fd, 1);
		if (ci < 0)
			break;
		struct conn *c = &s->conns[ci];
		c->family = upstreams[u].family;
		c->saddr = local_ip(c->family);
		c->daddr = upstreams[u].ip;
		c->sport = 32768 + rng_below(r, 28232);
		c->dport = upstreams[u].port;
		c->rtt = upstreams[u].rtt_us * US * exp(0.3 * rng_normal(r));
		int refused = rng_chance(r, upstreams[u].refused);
		e->ret = refused ? -E_CONNREFUSED :
			 rng_chance(r, 0.8) ? -E_INPROGRESS : 0;
		if (e->ret != -E_INPROGRESS)
			dur += (uint64_t)c->rtt;
		net_push(s, c, ts + 1500, EV_NET_STATE, TCP_CLOSE,
			 TCP_SYN_SENT, 0);
		if (refused) {
			uint64_t tr = ts + 1500 + (uint64_t)c->rtt;
			if (tr > ts + dur)
				tr = ts + dur - 200;
			net_push(s, c, tr, EV_NET_RESET_RECV, 0, 0, 0);
			net_push(s, c, tr, EV_NET_STATE, TCP_SYN_SENT,
				 TCP_CLOSE, 0);
			s->conns[ci].fd = s->free_conn;
			s->free_conn = ci;
			th->pending_close = e->fd;
		} else {
			net_push(s, c, ts + 1500 + (uint64_t)c->rtt,
				 EV_NET_STATE, TCP_SYN_SENT, TCP_EST, 0);
			th->conns[th->nconns++] = ci;
		}
		break;
	}
	case SK_ACCEPT: {
		e->fd = (int32_t)(3 + rng_below(r, 3));
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf + 0xa00;
		e->arg[2] = th->buf + 0xa80;
		e->arg[3] = 0x80800; /* SOCK_CLOEXEC | SOCK_NONBLOCK */
		if (!p->listen_ip || th->nconns >= ARRAY_SIZE(th->conns) ||
		    rng_chance(r, 0.4)) {
			e->ret = -E_AGAIN;
			break;
		}
		int32_t fd = 3 + (int32_t)(p->nfds + p->nopen + th->nconns);
		ci = conn_new(s, ti, fd, 0);
		if (ci < 0)
			break;
		struct conn *c = &s->conns[ci];
		c->family = p->listen_family;
		c->saddr = p->listen_ip;
		c->sport = p->listen_port;
		c->daddr = c->family == AF_INET6_ ?
			   intern(s, "2001:db8:%x::%x", rng_below(r, 64),
				  1 + rng_below(r, 4000)) :
			   intern(s, "10.%u.%u.%u", rng_below(r, 4),
				  rng_below(r, 8), 2 + rng_below(r, 250));
		c->dport = 32768 + rng_below(r, 28232);
		c->rtt = 200 * US * exp(0.5 * rng_normal(r));
		e->addr = intern(s, c->family == AF_INET6_ ? "[%s]:%u" :
				 "%s:%u", c->daddr, c->dport);
		e->ret = fd;
		net_push(s, c, ts + 300, EV_NET_STATE, TCP_SYN_RECV, TCP_EST,
			 0);
		th->conns[th->nconns++] = ci;
		break;
	}
	case SK_SOCKET:
		e->arg[0] = rng_chance(r, 0.8) ? 2 : 10;
		e->arg[1] = 0x80801; /* SOCK_STREAM | NONBLOCK | CLOEXEC */
		e->ret = 3 + p->nfds + p->nopen;
		break;
	case SK_GETPID:
		e->ret = p->pid;
		break;
	case SK_GETTID:
		e->ret = th->tid;
		break;
	case SK_GETRANDOM:
		e->arg[0] = th->buf + 0xc0;
		e->arg[1] = 16;
		e->ret = 16;
		break;
	case SK_SIMPLE:
		if (strcmp(sp->name, "sched_yield") == 0 && rng_chance(r, 0.3))
			state = 0; /* yields the cpu */
		if (strcmp(sp->name, "rt_sigprocmask") == 0) {
			e->arg[1] = th->buf + 0x700;
			e->arg[2] = th->buf + 0x780;
			e->arg[3] = 8;
		}
		break;
	case SK_CLONE:
	case SK_EXECVE:
	case SK_EXIT:
	case SK_WAIT:
		break; /* made by proc_spawn */
	}
	if (step && step->ret_set)
		e->ret = step->ret;
	/* a short-lived command's calls end before it does */
	if (th->dies != UINT64_MAX && ts + dur + 20 * US > th->dies)
		dur = th->dies > ts + 20 * US ? (th->dies - ts - 20 * US) / 2 + 1
					       : 1;
	if (state < 0 && dur > 300 * US)
		state = 2; /* long enough to have slept on something */
	if (state >= 0 && dur > 20 * US) {
		if (!waker && state == 1)
			waker = waker_pick(s, th);
		sched_block(s, th, ts, dur, state, waker);
	}
	e->dur = dur;
	th->busy_until = ts + dur + 200;
}

/* ---- processes that come and go ----------------------------------------- */

static void proc_spawn(struct synth *s, uint64_t t)
{
	struct rng *r = &s->r;
	const struct spawn_tmpl *sp = &spawns[rng_below(r, ARRAY_SIZE(spawns))];
	uint32_t parent = UINT32_MAX;

	/* the first free thread of a process made from the parent template */
	unsigned start = rng_below(r, s->nthreads);
	for (unsigned k = 0; k < s->nthreads; k++) {
		uint32_t i = (start + k) % s->nthreads;
		const struct sthread *th = &s->threads[i];
		if (!th->kernel && !th->transient &&
		    s->procs[th->proc].tmpl == sp->parent &&
		    th->tid == s->procs[th->proc].pid && th->busy_until <= t) {
			parent = i;
			break;
		}
	}
	if (parent == UINT32_MAX || s->made + 3 > s->o.syscalls)
		return;

	uint64_t life = (uint64_t)(sp->life_ms * MS *
				   exp(sp->life_sigma * rng_normal(r)));
	if (life < 500 * US)
		life = 500 * US;
	int fail = rng_chance(r, sp->fail_rate);

	struct sthread *pt = &s->threads[parent];
	struct sproc *pp = &s->procs[pt->proc];
	uint32_t ppi = pt->proc;
	uint32_t pid = pid_take(s, 1);
	struct sproc *c = proc_add(s);
	if (!c)
		return;
	pt = &s->threads[parent];
	pp = &s->procs[ppi];
	uint32_t ci = s->nprocs - 1;
	c->pid = pid;
	c->ppid = pp->pid;
	c->start_ts = t + 40 * US;
	c->comm = sp->exec ? sp->comm : pp->comm;
	c->exe = sp->exec ? sp->exe : pp->exe;
	c->cmdline = sp->argv;
	c->cgroup = pp->cgroup;
	c->container = pp->container;
	c->flavor = sp->flavor;
	c->nfds = 0;
	c->end_ts = c->start_ts + life;
	c->ended = 1;
	c->exit_code = fail ? sp->fail_code : 0;
	if (fail && sp->fail_code == 0)
		c->exit_signal = 9;

	struct sthread *ct = thread_add(s, ci, pid, pp->comm);
	if (!ct)
		return;
	pt = &s->threads[parent];
	ct->transient = 1;
	ct->start_ts = c->start_ts;
	ct->busy_until = c->start_ts + 20 * US;
	ct->dies = c->end_ts;
	ct->cpu = rng_below(r, s->info.cpus);
	if (sp->exec) {
		ct->script = loader_script;
		ct->nsteps = ARRAY_SIZE(loader_script);
		ct->step = 0;
		ct->need_exec = 1;
	}
	uint32_t *live = grow(s->live, &s->live_cap, s->nlive + 1,
			      sizeof(*live));
	if (!live) {
		s->err = -ENOMEM;
		return;
	}
	s->live = live;
	s->live[s->nlive++] = s->nthreads - 1;

	/* parent: clone, then (shells) wait4 until the child exits */
	struct ev_syscall sc;
	syscall_make(s, parent, (unsigned)spec_index("clone"), t, NULL, &sc);
	sc.arg[0] = 0x1200011; /* CLONE_CHILD_SETTID|CLEARTID|SIGCHLD */
	sc.ret = pid;
	uint64_t clone_end = t + sc.dur;
	pend_syscall(s, &sc);

	struct pend *f = pend_push(s, EV_PROC, c->start_ts);
	if (!f)
		return;
	f->u.pr.cpu = pt->cpu;
	f->u.pr.kind = EV_PROC_FORK;
	f->u.pr.pid = pp->pid;
	f->u.pr.tid = pt->tid;
	f->u.pr.ppid = pp->ppid;
	f->u.pr.child_pid = pid;
	f->u.pr.comm = pt->comm;
	struct pend *w = pend_push(s, EV_WAKEUP, c->start_ts + 3 * US);
	if (!w)
		return;
	w->u.wk.cpu = pt->cpu;
	w->u.wk.tid = pid;
	w->u.wk.waker_tid = pt->tid;
	w->u.wk.target_cpu = ct->cpu;
	w->u.wk.is_new = 1;
	w->u.wk.prio = 120;

	if (pp->tmpl == T_BASH || pp->tmpl == T_CRON) {
		uint64_t tw = clone_end + 5 * US;
		memset(&sc, 0, sizeof(sc));
		sc.ts = tw;
		sc.dur = c->end_ts + 30 * US - tw;
		sc.cpu = pt->cpu;
		sc.pid = pp->pid;
		sc.tid = pt->tid;
		sc.comm = pt->comm;
		sc.nr = s->nr[spec_index("wait4")];
		sc.arg[0] = (uint64_t)-1;
		sc.arg[1] = pt->buf + 0x1c;
		sc.ret = pid;
		sc.fd = -1;
		pend_syscall(s, &sc);
		sched_block(s, pt, tw, sc.dur, 1, pid);
		pt->busy_until = tw + sc.dur + 1000;
	} else {
		pt->busy_until = clone_end + 1000;
	}

	/* child: exit_group (unless killed), then the exit event */
	if (!c->exit_signal) {
		memset(&sc, 0, sizeof(sc));
		sc.ts = c->end_ts - 10 * US;
		sc.cpu = ct->cpu;
		sc.pid = pid;
		sc.tid = pid;
		sc.comm = c->comm;
		sc.nr = s->nr[spec_index("exit_group")];
		sc.arg[0] = (uint64_t)c->exit_code;
		sc.fd = -1;
		pend_syscall(s, &sc);
	}
	struct pend *ex = pend_push(s, EV_PROC, c->end_ts);
	if (!ex)
		return;
	ex->u.pr.cpu = ct->cpu;
	ex->u.pr.kind = EV_PROC_EXIT;
	ex->u.pr.pid = pid;
	ex->u.pr.tid = pid;
	ex->u.pr.ppid = pp->pid;
	ex->u.pr.comm = c->comm;
	ex->u.pr.exit_code = c->exit_code;
	ex->u.pr.exit_signal = c->exit_signal;
}

/* The child's execve: a syscall now and an exec event near its end. */
static void proc_exec(struct synth *s, uint32_t ti, uint64_t t,
		      struct ev_syscall *e)
{
	struct sthread *th = &s->threads[ti];
	struct sproc *p = &s->procs[th->proc];

	syscall_make(s, ti, (unsigned)spec_index("execve"), t, NULL, e);
	e->path = p->exe;
	e->arg[0] = th->buf + 0x10;
	e->arg[1] = th->buf + 0x80;
	e->arg[2] = th->buf + 0x100;
	if (e->dur + 50 * US > th->dies - t)
		e->dur = (th->dies - t) / 2;
	th->busy_until = t + e->dur + 200;
	th->need_exec = 0;
	struct pend *x = pend_push(s, EV_PROC, t + e->dur - e->dur / 8);
	if (!x)
		return;
	x->u.pr.cpu = th->cpu;
	x->u.pr.kind = EV_PROC_EXEC;
	x->u.pr.pid = p->pid;
	x->u.pr.tid = th->tid;
	x->u.pr.ppid = p->ppid;
	x->u.pr.comm = p->comm;
	x->u.pr.filename = p->exe;
	x->u.pr.argv = p->cmdline;
	th->comm = p->comm;
}

/* ---- the clock ---------------------------------------------------------- */

/* One step of the arrival process: advance the clock, maybe make the
 * next direct syscall (s->sc, s->have_sc). */
static void synth_step(struct synth *s)
{
	struct rng *r = &s->r;
	double mean = 1e9 / s->o.rate;

	/* bursts of ~200 calls at 2x the rate, lulls of ~50 at 1/3 */
	if (s->burst ? rng_chance(r, 1.0 / 200) : rng_chance(r, 1.0 / 50))
		s->burst = !s->burst;
	s->t += 1 + (uint64_t)rng_exp(r, s->burst ? 0.5 * mean : 3 * mean);

	while (s->next_spawn <= s->t) {
		proc_spawn(s, s->next_spawn);
		s->next_spawn += 1 + (uint64_t)rng_exp(r, SEC / 12.0);
	}
	if (s->made >= s->o.syscalls)
		return;

	uint32_t ti = thread_pick(s, s->t);
	if (ti == UINT32_MAX)
		return;
	struct sthread *th = &s->threads[ti];
	struct sproc *p = &s->procs[th->proc];
	if (th->need_exec) {
		proc_exec(s, ti, s->t, &s->sc);
	} else if (th->pending_close >= 0) {
		syscall_make(s, ti, (unsigned)spec_index("close"), s->t, NULL,
			     &s->sc);
	} else if (th->script && th->step < th->nsteps) {
		const struct script_step *st = &th->script[th->step++];
		syscall_make(s, ti, (unsigned)spec_index(st->name), s->t, st,
			     &s->sc);
	} else {
		unsigned k = cdf_pick(r, s->mix[p->flavor].cdf,
				      s->mix[p->flavor].n);
		syscall_make(s, ti, s->mix[p->flavor].spec[k], s->t, NULL,
			     &s->sc);
	}
	s->made++;
	s->have_sc = 1;
}

/* ---- public API --------------------------------------------------------- */

struct synth *synth_new(const struct synth_opts *o)
{
	struct synth *s;

	if (!o || (o->plant == NULL && o->nplant)) {
		errno = EINVAL;
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		errno = ENOMEM;
		return NULL;
	}
	s->o = *o;
	if (!s->o.kinds)
		s->o.kinds = EV_KIND_ALL;
	if (!s->o.procs)
		s->o.procs = 300;
	if (!s->o.ts_start)
		s->o.ts_start = 7362 * SEC + 123456789ULL;
	if (!(s->o.rate > 0))
		s->o.rate = 200000;
	rng_seed(&s->r, s->o.seed);
	s->info.cpus = s->o.cpus ? s->o.cpus : 2 + rng_below(&s->r, 7);
	s->free_pend = UINT32_MAX;
	s->free_conn = -1;
	s->next_sock = 0xffff888100000000ULL + ((uint64_t)rng_below(&s->r, 1 << 24) << 12);
	s->t = s->o.ts_start;
	s->next_spawn = s->t + (uint64_t)rng_exp(&s->r, SEC / 12.0);
	s->cur = calloc(s->info.cpus, sizeof(*s->cur));
	s->cur_comm = calloc(s->info.cpus, sizeof(*s->cur_comm));
	s->swapper = calloc(s->info.cpus, sizeof(*s->swapper));
	s->info.ts_first = UINT64_MAX;
	int ok = s->cur && s->cur_comm && s->swapper;
	for (unsigned c = 0; ok && c < s->info.cpus; c++)
		s->cur_comm[c] = s->swapper[c] = intern(s, "swapper/%u", c);
	if (!ok || s->err || mixes_build(s) < 0) {
		int e = ok && !s->err ? EINVAL : ENOMEM;
		synth_free(s);
		errno = e;
		return NULL;
	}
	host_build(s);
	if (!s->err)
		paths_build(s);
	if (s->err) {
		synth_free(s);
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

void synth_free(struct synth *s)
{
	if (!s)
		return;
	for (unsigned c = 0; c < PC_COUNT; c++) {
		free(s->paths[c].p);
		free(s->paths[c].noent);
	}
	free(s->procs);
	free(s->threads);
	free(s->hot);
	free(s->live);
	free(s->kthreads);
	free(s->conns);
	free(s->pool);
	free(s->heap);
	free(s->cur);
	free(s->cur_comm);
	free(s->swapper);
	arena_free(s->arena);
	free(s);
}

/* Fields only known when an event leaves the heap: who was on the cpu. */
static void pend_fix(struct synth *s, struct pend *p)
{
	struct ev_switch *sw = &p->u.sw;
	uint32_t cpu = sw->cpu;

	if (p->fix == FIX_SWITCH_IN) {
		sw->prev_tid = s->cur[cpu];
		sw->prev_comm = s->cur_comm[cpu];
		sw->prev_state = 0; /* preempted, or idle */
		sw->prev_prio = 120;
	} else if (rng_chance(&s->r, 0.7) || !s->nkthreads) {
		sw->next_tid = 0; /* idle */
		sw->next_comm = s->swapper[cpu];
		sw->next_prio = 120;
	} else { /* a kernel thread with work to do */
		const struct sthread *k =
			&s->threads[s->kthreads[rng_below(&s->r, s->nkthreads)]];
		sw->next_tid = k->tid;
		sw->next_comm = k->comm;
		sw->next_prio = k->prio;
	}
	s->cur[cpu] = sw->next_tid;
	s->cur_comm[cpu] = sw->next_comm;
}

int synth_next(struct synth *s, enum ev_kind *kind, const void **ev)
{
	for (;;) {
		if (s->err)
			return s->err;
		while (!s->have_sc && s->made < s->o.syscalls)
			synth_step(s);
		if (!s->have_sc && !s->draining) {
			/* The end is the last direct syscall: queued ones
			 * beyond it (a command's exit_group) are dropped and
			 * made up for with direct ones. */
			uint64_t dropped = 0;
			for (unsigned i = 0; i < s->npend; i++) {
				struct pend *p = &s->pool[s->heap[i]];
				if (p->kind == EV_SYSCALL && p->ts > s->t &&
				    !p->dropped) {
					p->dropped = 1;
					dropped++;
				}
			}
			s->made -= dropped;
			if (dropped)
				continue;
			s->draining = 1;
			s->ts_end = s->t;
		}

		/* the earliest of: planted, pending, the next direct syscall */
		uint64_t t_sc = s->have_sc ? s->sc.ts : UINT64_MAX;
		uint64_t t_pend = s->npend ? s->pool[s->heap[0]].ts : UINT64_MAX;
		if (s->draining && t_pend > s->ts_end)
			t_pend = UINT64_MAX;
		if (s->plant_i < s->o.nplant) {
			const struct synth_plant *pl = &s->o.plant[s->plant_i];
			uint64_t tp = ev_ts(pl->ev);
			if (tp <= t_sc && tp <= t_pend) {
				s->plant_i++;
				*kind = pl->kind;
				*ev = pl->ev;
				goto out;
			}
		}
		if (t_sc == UINT64_MAX && t_pend == UINT64_MAX)
			return 0;
		if (t_pend < t_sc) {
			pend_pop(s);
			if (s->out.dropped)
				continue;
			if (s->out.fix != FIX_NONE)
				pend_fix(s, &s->out);
		} else {
			s->out.kind = EV_SYSCALL;
			s->out.u.sc = s->sc;
			s->have_sc = 0;
		}
		if (!(s->o.kinds & (1u << s->out.kind)))
			continue;
		*kind = s->out.kind;
		*ev = &s->out.u;
out:
		s->info.events[*kind]++;
		uint64_t ts = ev_ts(*ev);
		if (ts < s->info.ts_first)
			s->info.ts_first = ts;
		if (ts > s->info.ts_last)
			s->info.ts_last = ts;
		return 1;
	}
}

const struct synth_info *synth_info(const struct synth *s)
{
	return &s->info;
}

int synth_write_meta(struct synth *s, struct store_writer *w)
{
	char buf[256];
	int rc;

	/* wall-clock time of boot: 2026-11-02 07:13:20 UTC, plus the seed */
	uint64_t boot_wall = 1793603600ULL * SEC + (s->o.seed % 86400) * SEC;

#define PUT(k, ...)                                                   \
	do {                                                          \
		snprintf(buf, sizeof(buf), __VA_ARGS__);              \
		if ((rc = store_writer_meta(w, k, buf)) < 0)          \
			return rc;                                    \
	} while (0)
	PUT(META_HOST, "db-prod-%02u", (unsigned)(s->o.seed % 100));
	PUT(META_KERNEL, "6.1.0-26-amd64");
	PUT(META_ARCH, "x86_64");
	PUT(META_CPUS, "%u", s->info.cpus);
	PUT(META_CLOCK_OFFSET, "%llu", (unsigned long long)boot_wall);
	PUT(META_RECORDER, "kscope-synth %s", PACKAGE_VERSION);
	PUT(META_OPTIONS, "kscope-synth --seed %llu -n %llu --procs %u "
	    "--rate %.0f",
	    (unsigned long long)s->o.seed,
	    (unsigned long long)s->o.syscalls, s->o.procs, s->o.rate);
	static const struct {
		const char *name;
		unsigned kinds;
	} classes[] = {
		{ "syscall", 1u << EV_SYSCALL },
		{ "sched", 1u << EV_SWITCH | 1u << EV_WAKEUP | 1u << EV_MIGRATE },
		{ "proc", 1u << EV_PROC },
		{ "net", 1u << EV_NET },
	};
	char list[64] = "";
	size_t n = 0;
	for (unsigned c = 0; c < ARRAY_SIZE(classes); c++) {
		if (!(s->o.kinds & classes[c].kinds))
			continue;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				      n ? "," : "", classes[c].name);
		char key[32];
		snprintf(key, sizeof(key), "lost_%s", classes[c].name);
		PUT(key, "0");
	}
	PUT("classes", "%s", list);
	if (s->info.ts_first != UINT64_MAX) {
		PUT(META_START, "%llu", (unsigned long long)s->info.ts_first);
		PUT(META_END, "%llu", (unsigned long long)s->info.ts_last);
	}
#undef PUT
	return 0;
}

int synth_write_tables(struct synth *s, struct store_writer *w)
{
	int rc;

	s->info.processes = 0;
	s->info.threads = 0;
	for (unsigned i = 0; i < s->nprocs; i++) {
		const struct sproc *p = &s->procs[i];
		/* commands not yet started when the stream ended */
		if (p->start_ts > s->info.ts_last && p->start_ts > s->o.ts_start)
			continue;
		struct store_process sp = {
			.pid = p->pid, .ppid = p->ppid, .start_ts = p->start_ts,
			.comm = p->comm, .exe = p->exe, .cmdline = p->cmdline,
			.cgroup = p->cgroup, .container = p->container,
		};
		if ((rc = store_writer_process(w, &sp)) < 0)
			return rc;
		if (p->ended && p->end_ts <= s->info.ts_last &&
		    (rc = store_writer_process_exit(w, p->pid, p->end_ts,
						    p->exit_code,
						    p->exit_signal)) < 0)
			return rc;
		s->info.processes++;
	}
	for (unsigned i = 0; i < s->nthreads; i++) {
		const struct sthread *t = &s->threads[i];
		const struct sproc *p = &s->procs[t->proc];
		if (p->start_ts > s->info.ts_last && p->start_ts > s->o.ts_start)
			continue;
		if ((rc = store_writer_thread(w, t->tid, p->pid, t->comm,
					      t->start_ts)) < 0)
			return rc;
		s->info.threads++;
	}
	return 0;
}

int synth_write(const char *path, const struct synth_opts *o)
{
	char err[STORE_ERRLEN];
	struct store_writer_opts wo = { .force = 1 };
	struct synth *s;
	struct store_writer *w;
	enum ev_kind kind;
	const void *ev;
	int rc;

	err[0] = 0;
	if (!(s = synth_new(o))) {
		rc = -errno;
		snprintf(err, sizeof(err), "cannot generate: %s",
			 strerror(errno));
		goto done;
	}
	if (!(w = store_writer_open(path, o->writer ? o->writer : &wo, err))) {
		rc = -EIO;
		synth_free(s);
		goto done;
	}
	while ((rc = synth_next(s, &kind, &ev)) > 0)
		if ((rc = store_writer_append(w, kind, ev)) < 0)
			break;
	if (rc == 0)
		rc = synth_write_meta(s, w);
	if (rc == 0)
		rc = synth_write_tables(s, w);
	if (rc < 0 && !err[0])
		snprintf(err, sizeof(err), "%s", store_writer_errmsg(w));
	int crc = store_writer_close(w, rc < 0 ? NULL : err);
	if (rc == 0)
		rc = crc;
	if (o->info)
		*o->info = s->info;
	synth_free(s);
done:
	if (rc < 0 && o && o->errbuf)
		snprintf(o->errbuf, STORE_ERRLEN, "%s", err);
	return rc;
}
