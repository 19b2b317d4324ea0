/*
 * synth_data.c - the tables the synthetic host is made from (types in
 * synth_int.h).
 *
 *     const struct sc_spec *sp = &synth_specs[synth_spec_index("openat")];
 *     uint64_t ns = rng_dur(r, sp->median_ns, sp->sigma);
 *
 * Only constants live here: the syscalls with their log-normal durations,
 * each flavour's syscall mix and path habits, the path lists, the process
 * templates of the long-lived host and its containers, the commands that
 * shells, cron and the postmaster spawn, the upstream servers clients
 * connect to, and the dynamic loader's script.  Editing a table changes
 * every trace of every seed; synth_host.c and synth_call.c draw from them.
 */
#include "config.h"
#include "tests/synth_int.h"

/* ---- the syscalls ----------------------------------------------------- */

const struct sc_spec synth_specs[] = {
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
_Static_assert(ARRAY_SIZE(synth_specs) == SYNTH_NSPECS, "SYNTH_NSPECS");

/* ---- process flavours: syscall mix and path habits -------------------- */

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
const struct mix synth_mixes[FL_COUNT] = {
	[FL_SERVER] = { mix_server, ARRAY_SIZE(mix_server) },
	[FL_DB] = { mix_db, ARRAY_SIZE(mix_db) },
	[FL_JVM] = { mix_jvm, ARRAY_SIZE(mix_jvm) },
	[FL_DAEMON] = { mix_daemon, ARRAY_SIZE(mix_daemon) },
	[FL_SHORT] = { mix_short, ARRAY_SIZE(mix_short) },
};

/* How often each flavour opens or stats each path category. */
const double synth_path_habits[FL_COUNT][PC_COUNT] = {
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

/* The fixed lists; synth_paths_build adds generated /proc, database, web
 * and temporary paths. */
const struct path_list synth_path_lists[] = {
	{ PC_LIB, paths_lib, ARRAY_SIZE(paths_lib), 0.002 },
	{ PC_ETC, paths_etc, ARRAY_SIZE(paths_etc), 0.002 },
	{ PC_PROC, paths_proc, ARRAY_SIZE(paths_proc), 0.001 },
	{ PC_MISS, paths_miss, ARRAY_SIZE(paths_miss), 0.97 },
	{ PC_HOME, paths_home, ARRAY_SIZE(paths_home), 0.02 },
	{ PC_LOG, paths_log, ARRAY_SIZE(paths_log), 0.001 },
};
_Static_assert(ARRAY_SIZE(synth_path_lists) == SYNTH_NPATH_LISTS,
	       "SYNTH_NPATH_LISTS");

/* ---- processes -------------------------------------------------------- */

/* The long-lived part of the host.  Index order matters: a parent comes
 * before its children. */
const struct proc_tmpl synth_tmpls[] = {
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
_Static_assert(ARRAY_SIZE(synth_tmpls) == SYNTH_NTMPLS, "SYNTH_NTMPLS");

/* Container workloads that fill the host up to opts.procs processes. */
const struct app_tmpl synth_apps[] = {
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
_Static_assert(ARRAY_SIZE(synth_apps) == SYNTH_NAPPS, "SYNTH_NAPPS");

/* What shells, cron and the postmaster start. */
const struct spawn_tmpl synth_spawns[] = {
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
_Static_assert(ARRAY_SIZE(synth_spawns) == SYNTH_NSPAWNS, "SYNTH_NSPAWNS");

/* ---- connections and scripts ----------------------------------------- */

/* Where clients connect: upstream servers with their refusal rate. */
const struct upstream synth_upstreams[] = {
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
_Static_assert(ARRAY_SIZE(synth_upstreams) == SYNTH_NUPSTREAMS,
	       "SYNTH_NUPSTREAMS");

/* A forked command's first calls after execve: the dynamic loader. */
const struct script_step synth_loader_script[] = {
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
_Static_assert(ARRAY_SIZE(synth_loader_script) == SYNTH_NLOADER,
	       "SYNTH_NLOADER");
