/*
 * evfmt_sys.c - a syscall event as strace writes it: name, decoded
 * arguments, result with its errno name, and duration (API in evfmt_sys.h).
 *
 *     const struct sys_spec *sp = evfmt_sys_spec("openat");   // once
 *     evfmt_sys_call(b, "openat", sp, evfmt_sys_open_flags(arch), sc);
 *     // openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3 <3.10 us>
 *
 * How it works.  sys_specs gives, per syscall name, the kind of each
 * argument (an fd, the captured path or socket address, flags of a given
 * table, an enumerated value, a size, a pointer) and whether the result is
 * a pointer.  Flags print by name from the flagname tables, '|'-joined with
 * the unknown rest in hex; enumerated values print by name or as a number.
 * Open flags differ on arm and arm64, so the caller picks the table once per
 * trace from its arch.  Calls without a spec show the captured path and
 * address, then the raw arguments up to the last that is not 0.
 *
 * What record --snaplen and the argument memory captured shows in place of
 * the pointers: a data buffer as an escaped string ("..." after it when
 * the payload is shorter than the result), timespecs, timevals, pollfd
 * sets and getsockopt's value as strace decodes them.
 */
#include "config.h"
#include "analyze/replay/evfmt_sys.h"
#include "analyze/sql/sqlfn.h"

#include <string.h>

/* ---- flag and value tables -------------------------------------------- */

struct flagname {
	uint64_t v;
	const char *name;
};

/* x86-64 and asm-generic values; O_ACCMODE handled apart */
static const struct flagname open_flags[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
	{ 04010000, "O_SYNC" }, { 010000, "O_DSYNC" }, { 020000, "O_ASYNC" },
	{ 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" },
	{ 020200000, "O_TMPFILE" }, { 0200000, "O_DIRECTORY" },
	{ 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 0, NULL }
};
/* arm64 (and arm) moved four bits */
static const struct flagname open_flags_arm[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
	{ 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
	{ 04010000, "O_SYNC" }, { 010000, "O_DSYNC" }, { 020000, "O_ASYNC" },
	{ 0200000, "O_DIRECT" }, { 0400000, "O_LARGEFILE" },
	{ 020040000, "O_TMPFILE" }, { 040000, "O_DIRECTORY" },
	{ 0100000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" },
	{ 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" }, { 0, NULL }
};
static const struct flagname prot_flags[] = {
	{ 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" },
	{ 0, NULL }
};
static const struct flagname map_flags[] = {
	{ 0x01, "MAP_SHARED" }, { 0x02, "MAP_PRIVATE" }, { 0x10, "MAP_FIXED" },
	{ 0x20, "MAP_ANONYMOUS" }, { 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" },
	{ 0x2000, "MAP_LOCKED" }, { 0x4000, "MAP_NORESERVE" },
	{ 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
	{ 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" },
	{ 0x100000, "MAP_FIXED_NOREPLACE" }, { 0, NULL }
};
static const struct flagname msg_flags[] = {
	{ 0x1, "MSG_OOB" }, { 0x2, "MSG_PEEK" }, { 0x4, "MSG_DONTROUTE" },
	{ 0x20, "MSG_TRUNC" }, { 0x40, "MSG_DONTWAIT" }, { 0x80, "MSG_EOR" },
	{ 0x100, "MSG_WAITALL" }, { 0x4000, "MSG_NOSIGNAL" },
	{ 0x8000, "MSG_MORE" }, { 0x40000000, "MSG_CMSG_CLOEXEC" },
	{ 0, NULL }
};
static const struct flagname at_flags[] = {
	{ 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" },
	{ 0x400, "AT_SYMLINK_FOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
	{ 0x1000, "AT_EMPTY_PATH" }, { 0, NULL }
};
static const struct flagname sock_flags[] = {
	{ 04000, "SOCK_NONBLOCK" }, { 02000000, "SOCK_CLOEXEC" }, { 0, NULL }
};
/* values (not bits) */
static const struct flagname af_names[] = {
	{ 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" },
	{ 10, "AF_INET6" }, { 16, "AF_NETLINK" }, { 17, "AF_PACKET" },
	{ 0, NULL }
};
static const struct flagname socktype_names[] = {
	{ 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" },
	{ 5, "SOCK_SEQPACKET" }, { 0, NULL }
};
static const struct flagname futex_ops[] = {
	{ 0, "FUTEX_WAIT" }, { 1, "FUTEX_WAKE" }, { 3, "FUTEX_REQUEUE" },
	{ 4, "FUTEX_CMP_REQUEUE" }, { 5, "FUTEX_WAKE_OP" },
	{ 6, "FUTEX_LOCK_PI" }, { 7, "FUTEX_UNLOCK_PI" },
	{ 9, "FUTEX_WAIT_BITSET" }, { 10, "FUTEX_WAKE_BITSET" }, { 0, NULL }
};
static const struct flagname clock_names[] = {
	{ 0, "CLOCK_REALTIME" }, { 1, "CLOCK_MONOTONIC" },
	{ 2, "CLOCK_PROCESS_CPUTIME_ID" }, { 3, "CLOCK_THREAD_CPUTIME_ID" },
	{ 4, "CLOCK_MONOTONIC_RAW" }, { 7, "CLOCK_BOOTTIME" }, { 0, NULL }
};
static const struct flagname whence_names[] = {
	{ 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" },
	{ 3, "SEEK_DATA" }, { 4, "SEEK_HOLE" }, { 0, NULL }
};
/* the file type bits (S_IFMT) of a mode, by value */
static const struct flagname ftype_names[] = {
	{ 0140000, "S_IFSOCK" }, { 0120000, "S_IFLNK" }, { 0100000, "S_IFREG" },
	{ 0060000, "S_IFBLK" }, { 0040000, "S_IFDIR" }, { 0020000, "S_IFCHR" },
	{ 0010000, "S_IFIFO" }, { 0, NULL }
};
static const struct flagname epoll_ops[] = {
	{ 1, "EPOLL_CTL_ADD" }, { 2, "EPOLL_CTL_DEL" }, { 3, "EPOLL_CTL_MOD" },
	{ 0, NULL }
};
static const struct flagname poll_events[] = {
	{ 0x1, "POLLIN" }, { 0x2, "POLLPRI" }, { 0x4, "POLLOUT" },
	{ 0x8, "POLLERR" }, { 0x10, "POLLHUP" }, { 0x20, "POLLNVAL" },
	{ 0x40, "POLLRDNORM" }, { 0x80, "POLLRDBAND" }, { 0x100, "POLLWRNORM" },
	{ 0x200, "POLLWRBAND" }, { 0x400, "POLLMSG" }, { 0x2000, "POLLRDHUP" },
	{ 0, NULL }
};
static const struct flagname timer_flags[] = {
	{ 1, "TIMER_ABSTIME" }, { 0, NULL }
};
static const struct flagname sol_names[] = {
	{ 0, "SOL_IP" }, { 1, "SOL_SOCKET" }, { 6, "SOL_TCP" },
	{ 17, "SOL_UDP" }, { 41, "SOL_IPV6" }, { 0, NULL }
};
#define SOL_SOCKET 1
#define SO_ERROR 4
static const struct flagname so_names[] = {
	{ 1, "SO_DEBUG" }, { 2, "SO_REUSEADDR" }, { 3, "SO_TYPE" },
	{ 4, "SO_ERROR" }, { 5, "SO_DONTROUTE" }, { 6, "SO_BROADCAST" },
	{ 7, "SO_SNDBUF" }, { 8, "SO_RCVBUF" }, { 9, "SO_KEEPALIVE" },
	{ 10, "SO_OOBINLINE" }, { 13, "SO_LINGER" }, { 15, "SO_REUSEPORT" },
	{ 17, "SO_PEERCRED" }, { 18, "SO_RCVLOWAT" }, { 19, "SO_SNDLOWAT" },
	{ 20, "SO_RCVTIMEO" }, { 21, "SO_SNDTIMEO" }, { 30, "SO_ACCEPTCONN" },
	{ 38, "SO_PROTOCOL" }, { 39, "SO_DOMAIN" }, { 0, NULL }
};

/* Bits of V by name, '|'-joined, the rest in hex; "0" when V is 0. */
static void put_flags(struct evbuf *b, const struct flagname *t, uint64_t v)
{
	int any = 0;

	for (; t->name; t++)
		if (t->v && (v & t->v) == t->v) {
			if (any++)
				evbuf_addc(b, '|');
			evbuf_adds(b, t->name);
			v &= ~t->v;
		}
	if (v || !any) {
		if (any)
			evbuf_addc(b, '|');
		evbuf_add_hex(b, v);
	}
}

static void put_value(struct evbuf *b, const struct flagname *t, int64_t v)
{
	for (; t->name; t++)
		if ((int64_t)t->v == v) {
			evbuf_adds(b, t->name);
			return;
		}
	evbuf_addi(b, v);
}

static void put_open_flags(struct evbuf *b, const struct flagname *t,
			   uint64_t v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
					   "O_ACCMODE" };
	evbuf_adds(b, acc[v & 3]);
	v &= ~(uint64_t)3;
	if (v) {
		evbuf_addc(b, '|');
		put_flags(b, t, v);
	}
}

/* exported: exit signals of proc events use the same names */
const char *evfmt_sys_signal_name(int64_t sig)
{
	static const char *const names[] = {
		NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
		"SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
		"SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
		"SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
		"SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
		"SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
	};
	if (sig <= 0 || sig >= (int64_t)(sizeof(names) / sizeof(names[0])))
		return NULL;
	return names[sig];
}

/* ---- syscall arguments ---------------------------------------------- */

enum arg_kind {
	A_END = 0, A_INT, A_UINT, A_HEX, A_FD, A_PATH, A_ADDR, A_OFLAGS,
	A_MODE, A_PROT, A_MAPF, A_MSGF, A_ATF, A_SOCKF, A_AF, A_SOCKTYPE,
	A_FUTEX, A_CLOCK, A_WHENCE, A_SIG, A_EPOLLOP, A_PATH2,
	A_OMODE, /* a mode shown only after open flags with O_CREAT/O_TMPFILE */
	A_LONG,  /* a signed 64-bit value (offsets, lengths) */
	A_FMODE, /* a mode with the file type: S_IFCHR|0666 */
	A_DEV,   /* a device number as the kernel decodes it: makedev(1, 3) */
	/* pointers shown by what was captured behind them */
	A_BUF,   /* a data buffer: the payload */
	A_IOV,   /* an iovec array: the payload of its first buffer */
	A_MSG,   /* a msghdr: the payload of its first buffer */
	A_TS,    /* a struct timespec */
	A_TV,    /* a struct timeval */
	A_POLLFD, /* a pollfd array */
	A_TIMERF, /* clock_nanosleep's flags */
	A_SOL,   /* a socket option level */
	A_SONAME, /* a socket option name (of SOL_SOCKET) */
	A_SOVAL, /* getsockopt's value: an int, SO_ERROR's by errno name */
	A_SOLEN, /* getsockopt's length: an int */
};

enum ret_kind { R_INT = 0, R_HEX };

struct sys_spec {
	const char *name;
	unsigned char args[6];
	unsigned char ret;
};

/* The common calls.  A_PATH shows the captured path (the event's first
 * path argument); a second path argument (A_PATH2) was not captured and
 * shows as a pointer.  A_ADDR shows the captured socket address. */
#define SYS(n, r, ...) { .name = n, .args = { __VA_ARGS__ }, .ret = r }
static const struct sys_spec sys_specs[] = {
	SYS("read", R_INT, A_FD, A_BUF, A_UINT),
	SYS("write", R_INT, A_FD, A_BUF, A_UINT),
	SYS("pread64", R_INT, A_FD, A_BUF, A_UINT, A_LONG),
	SYS("pwrite64", R_INT, A_FD, A_BUF, A_UINT, A_LONG),
	SYS("readv", R_INT, A_FD, A_IOV, A_INT),
	SYS("writev", R_INT, A_FD, A_IOV, A_INT),
	SYS("open", R_INT, A_PATH, A_OFLAGS, A_OMODE),
	SYS("openat", R_INT, A_FD, A_PATH, A_OFLAGS, A_OMODE),
	SYS("openat2", R_INT, A_FD, A_PATH, A_HEX, A_UINT),
	SYS("creat", R_INT, A_PATH, A_MODE),
	SYS("close", R_INT, A_FD),
	SYS("stat", R_INT, A_PATH, A_HEX),
	SYS("lstat", R_INT, A_PATH, A_HEX),
	SYS("fstat", R_INT, A_FD, A_HEX),
	SYS("newfstatat", R_INT, A_FD, A_PATH, A_HEX, A_ATF),
	SYS("statx", R_INT, A_FD, A_PATH, A_ATF, A_HEX, A_HEX),
	SYS("access", R_INT, A_PATH, A_MODE),
	SYS("faccessat", R_INT, A_FD, A_PATH, A_MODE),
	SYS("faccessat2", R_INT, A_FD, A_PATH, A_MODE, A_ATF),
	SYS("readlink", R_INT, A_PATH, A_HEX, A_UINT),
	SYS("readlinkat", R_INT, A_FD, A_PATH, A_HEX, A_UINT),
	SYS("unlink", R_INT, A_PATH),
	SYS("unlinkat", R_INT, A_FD, A_PATH, A_ATF),
	SYS("mkdir", R_INT, A_PATH, A_MODE),
	SYS("mkdirat", R_INT, A_FD, A_PATH, A_MODE),
	SYS("rmdir", R_INT, A_PATH),
	SYS("chdir", R_INT, A_PATH),
	SYS("fchdir", R_INT, A_FD),
	SYS("rename", R_INT, A_PATH, A_PATH2),
	SYS("renameat", R_INT, A_FD, A_PATH, A_FD, A_PATH2),
	SYS("renameat2", R_INT, A_FD, A_PATH, A_FD, A_PATH2, A_UINT),
	SYS("chmod", R_INT, A_PATH, A_MODE),
	SYS("fchmodat", R_INT, A_FD, A_PATH, A_MODE),
	SYS("chown", R_INT, A_PATH, A_INT, A_INT),
	SYS("lchown", R_INT, A_PATH, A_INT, A_INT),
	SYS("fchownat", R_INT, A_FD, A_PATH, A_INT, A_INT, A_ATF),
	SYS("mknod", R_INT, A_PATH, A_FMODE, A_DEV),
	SYS("mknodat", R_INT, A_FD, A_PATH, A_FMODE, A_DEV),
	SYS("link", R_INT, A_PATH, A_PATH2),
	SYS("linkat", R_INT, A_FD, A_PATH, A_FD, A_PATH2, A_ATF),
	/* the recorder keeps the link's own path, not its target's */
	SYS("symlink", R_INT, A_PATH2, A_PATH),
	SYS("symlinkat", R_INT, A_PATH2, A_FD, A_PATH),
	SYS("utimensat", R_INT, A_FD, A_PATH, A_HEX, A_ATF),
	SYS("truncate", R_INT, A_PATH, A_LONG),
	SYS("ftruncate", R_INT, A_FD, A_LONG),
	SYS("execve", R_INT, A_PATH, A_HEX, A_HEX),
	SYS("execveat", R_INT, A_FD, A_PATH, A_HEX, A_HEX, A_ATF),
	SYS("lseek", R_INT, A_FD, A_LONG, A_WHENCE),
	SYS("mmap", R_HEX, A_HEX, A_UINT, A_PROT, A_MAPF, A_FD, A_HEX),
	SYS("munmap", R_INT, A_HEX, A_UINT),
	SYS("mprotect", R_INT, A_HEX, A_UINT, A_PROT),
	SYS("brk", R_HEX, A_HEX),
	SYS("ioctl", R_INT, A_FD, A_HEX, A_HEX),
	SYS("fcntl", R_INT, A_FD, A_INT, A_HEX),
	SYS("dup", R_INT, A_FD),
	SYS("dup2", R_INT, A_FD, A_FD),
	SYS("dup3", R_INT, A_FD, A_FD, A_OFLAGS),
	SYS("pipe2", R_INT, A_HEX, A_OFLAGS),
	SYS("getdents64", R_INT, A_FD, A_HEX, A_UINT),
	SYS("fsync", R_INT, A_FD),
	SYS("fdatasync", R_INT, A_FD),
	SYS("sendfile", R_INT, A_FD, A_FD, A_HEX, A_UINT),
	SYS("socket", R_INT, A_AF, A_SOCKTYPE, A_INT),
	SYS("connect", R_INT, A_FD, A_ADDR, A_UINT),
	SYS("bind", R_INT, A_FD, A_ADDR, A_UINT),
	SYS("listen", R_INT, A_FD, A_INT),
	SYS("accept", R_INT, A_FD, A_ADDR, A_HEX),
	SYS("accept4", R_INT, A_FD, A_ADDR, A_HEX, A_SOCKF),
	SYS("sendto", R_INT, A_FD, A_BUF, A_UINT, A_MSGF, A_ADDR, A_UINT),
	SYS("recvfrom", R_INT, A_FD, A_BUF, A_UINT, A_MSGF, A_ADDR, A_HEX),
	SYS("sendmsg", R_INT, A_FD, A_MSG, A_MSGF),
	SYS("recvmsg", R_INT, A_FD, A_MSG, A_MSGF),
	SYS("getsockopt", R_INT, A_FD, A_SOL, A_SONAME, A_SOVAL, A_SOLEN),
	SYS("setsockopt", R_INT, A_FD, A_SOL, A_SONAME, A_HEX, A_UINT),
	SYS("shutdown", R_INT, A_FD, A_INT),
	SYS("poll", R_INT, A_POLLFD, A_UINT, A_INT),
	SYS("ppoll", R_INT, A_POLLFD, A_UINT, A_TS, A_HEX, A_UINT),
	SYS("select", R_INT, A_INT, A_HEX, A_HEX, A_HEX, A_TV),
	SYS("pselect6", R_INT, A_INT, A_HEX, A_HEX, A_HEX, A_TS, A_HEX),
	SYS("epoll_wait", R_INT, A_FD, A_HEX, A_INT, A_INT),
	SYS("epoll_pwait", R_INT, A_FD, A_HEX, A_INT, A_INT, A_HEX),
	SYS("epoll_ctl", R_INT, A_FD, A_EPOLLOP, A_FD, A_HEX),
	SYS("futex", R_INT, A_HEX, A_FUTEX, A_UINT, A_TS),
	SYS("nanosleep", R_INT, A_TS, A_HEX),
	SYS("clock_nanosleep", R_INT, A_CLOCK, A_TIMERF, A_TS, A_HEX),
	SYS("clock_gettime", R_INT, A_CLOCK, A_HEX),
	SYS("kill", R_INT, A_INT, A_SIG),
	SYS("tkill", R_INT, A_INT, A_SIG),
	SYS("tgkill", R_INT, A_INT, A_INT, A_SIG),
	SYS("wait4", R_INT, A_INT, A_HEX, A_INT, A_HEX),
	SYS("exit", R_INT, A_INT),
	SYS("exit_group", R_INT, A_INT),
	SYS("getpid", R_INT, A_END),
	SYS("gettid", R_INT, A_END),
	SYS("getppid", R_INT, A_END),
	SYS("getuid", R_INT, A_END),
	SYS("sched_yield", R_INT, A_END),
	SYS("fork", R_INT, A_END),
	SYS("vfork", R_INT, A_END),
};
#define NSYS_SPECS (sizeof(sys_specs) / sizeof(sys_specs[0]))

/* The captured path: quoted, "..." after it when cut; when it could not
 * be read, its pointer PTR (unless 0) and "(unreadable)". */
static void put_path(struct evbuf *b, const struct ev_syscall *sc,
		     uint64_t ptr)
{
	if (sc->path) {
		evbuf_add_text_cut(b, sc->path,
				   sc->path_status == EV_PATH_TRUNCATED ||
				   (sc->flags & EV_SYSCALL_PATH_TRUNC), '"');
		return;
	}
	if (ptr) {
		evbuf_add_hex(b, ptr);
		evbuf_addc(b, ' ');
	}
	evbuf_adds(b, "(unreadable)");
}

/* ---- captured memory ------------------------------------------------ */

/* The item of SC's argument memory for argument ARG: its header in *M and
 * its bytes, or NULL.  The items come from a file: each is checked to lie
 * inside the blob. */
static const char *mem_find(const struct ev_syscall *sc, unsigned arg,
			    struct ks_mem *m)
{
	const char *p, *end;

	if (!sc->args_mem)
		return NULL;
	p = ev_blob_data(sc->args_mem);
	end = p + ev_blob_len(sc->args_mem);
	while ((size_t)(end - p) >= sizeof(*m)) {
		memcpy(m, p, sizeof(*m));
		p += sizeof(*m);
		if (m->len > (size_t)(end - p))
			return NULL;
		if (m->arg == arg)
			return p;
		p += m->len;
	}
	return NULL;
}

/* N bytes at P as a C string: \n \t \r \" \\ and \xNN for the other
 * bytes that are not printable ASCII; "..." after it when CUT. */
static void put_bytes(struct evbuf *b, const char *p, size_t n, int cut)
{
	static const char hex[] = "0123456789abcdef";

	evbuf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		switch (c) {
		case '\n': evbuf_adds(b, "\\n"); break;
		case '\t': evbuf_adds(b, "\\t"); break;
		case '\r': evbuf_adds(b, "\\r"); break;
		case '"': evbuf_adds(b, "\\\""); break;
		case '\\': evbuf_adds(b, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				evbuf_addc(b, (char)c);
			} else {
				evbuf_adds(b, "\\x");
				evbuf_addc(b, hex[c >> 4]);
				evbuf_addc(b, hex[c & 15]);
			}
		}
	}
	evbuf_addc(b, '"');
	if (cut)
		evbuf_adds(b, "...");
}

/* The payload (cut when shorter than the result), or the pointer V. */
static int put_payload(struct evbuf *b, const struct ev_syscall *sc)
{
	uint32_t n;

	if (!sc->payload)
		return 0;
	n = ev_blob_len(sc->payload);
	put_bytes(b, ev_blob_data(sc->payload), n, sc->ret > (int64_t)n);
	return 1;
}

/* A timespec or timeval argument ARG: {tv_sec=S, tv_nsec=N}. */
static int put_time(struct evbuf *b, const struct ev_syscall *sc,
		    unsigned arg)
{
	struct ks_mem m;
	const char *p = mem_find(sc, arg, &m);
	int64_t v[2];

	if (!p || m.len != sizeof(v) ||
	    (m.kind != KS_MEM_TIMESPEC && m.kind != KS_MEM_TIMEVAL))
		return 0;
	memcpy(v, p, sizeof(v));
	evbuf_adds(b, "{tv_sec=");
	evbuf_addi(b, v[0]);
	evbuf_adds(b, m.kind == KS_MEM_TIMEVAL ? ", tv_usec=" : ", tv_nsec=");
	evbuf_addi(b, v[1]);
	evbuf_addc(b, '}');
	return 1;
}

/* A pollfd array argument ARG: [{fd=3, events=POLLIN, revents=POLLIN}],
 * revents when the call set any; ", ..." when entries were left out. */
static int put_pollfd(struct evbuf *b, const struct ev_syscall *sc,
		      unsigned arg)
{
	struct ks_mem m;
	const char *p = mem_find(sc, arg, &m);

	if (!p || (m.kind & ~KS_MEM_CUT) != KS_MEM_POLLFD || m.len % 8)
		return 0;
	evbuf_addc(b, '[');
	for (unsigned i = 0; i < m.len / 8; i++) {
		int32_t fd;
		int16_t ev[2];

		memcpy(&fd, p + 8 * i, 4);
		memcpy(ev, p + 8 * i + 4, 4);
		if (i)
			evbuf_adds(b, ", ");
		evbuf_adds(b, "{fd=");
		evbuf_addi(b, fd);
		evbuf_adds(b, ", events=");
		put_flags(b, poll_events, (uint16_t)ev[0]);
		if (ev[1] && sc->ret >= 0) {
			evbuf_adds(b, ", revents=");
			put_flags(b, poll_events, (uint16_t)ev[1]);
		}
		evbuf_addc(b, '}');
	}
	if (m.kind & KS_MEM_CUT)
		evbuf_adds(b, ", ...");
	evbuf_addc(b, ']');
	return 1;
}

/* An int getsockopt stored (argument ARG): [N], SO_ERROR's as [ENAME]. */
static int put_int_mem(struct evbuf *b, const struct ev_syscall *sc,
		       unsigned arg, int so_error)
{
	struct ks_mem m;
	const char *p = mem_find(sc, arg, &m);
	const char *e;
	int32_t v;

	if (!p || m.kind != KS_MEM_INT || m.len != sizeof(v))
		return 0;
	memcpy(&v, p, sizeof(v));
	evbuf_addc(b, '[');
	if (so_error && v > 0 && (e = sqlfn_errno_name(-(int64_t)v)))
		evbuf_adds(b, e);
	else
		evbuf_addi(b, v);
	evbuf_addc(b, ']');
	return 1;
}

/* Pointer kinds: what was captured behind argument I.  1 when shown, 0
 * when nothing was captured (the pointer is to be shown), -1 when KIND is
 * not one of them. */
static int put_captured(struct evbuf *b, unsigned kind, unsigned i,
			const struct ev_syscall *sc)
{
	int done;

	switch (kind) {
	case A_BUF:
		done = put_payload(b, sc);
		break;
	case A_IOV:
		if ((done = sc->payload != NULL)) {
			evbuf_adds(b, "[{iov_base=");
			put_payload(b, sc);
			evbuf_adds(b, "}, ...]");
		}
		break;
	case A_MSG:
		if ((done = sc->payload != NULL)) {
			evbuf_adds(b, "{msg_iov=[{iov_base=");
			put_payload(b, sc);
			evbuf_adds(b, "}, ...], ...}");
		}
		break;
	case A_TS:
	case A_TV:
		done = put_time(b, sc, i);
		break;
	case A_POLLFD:
		done = put_pollfd(b, sc, i);
		break;
	case A_SOVAL:
		done = put_int_mem(b, sc, i, sc->arg[1] == SOL_SOCKET &&
				   sc->arg[2] == SO_ERROR);
		break;
	case A_SOLEN:
		done = put_int_mem(b, sc, i, 0);
		break;
	default:
		return -1;
	}
	return done;
}

static void put_arg(struct evbuf *b, const struct flagname *oflags,
		    unsigned kind, unsigned argi, uint64_t v,
		    const struct ev_syscall *sc)
{
	int64_t i = (int64_t)v;
	int captured = put_captured(b, kind, argi, sc);

	if (captured > 0)
		return;
	if (captured == 0)
		kind = A_HEX; /* the pointer */
	switch (kind) {
	case A_INT: /* a C int: the low 32 bits, signed */
		evbuf_addi(b, (int32_t)(uint32_t)v);
		break;
	case A_LONG:
		evbuf_addi(b, i);
		break;
	case A_UINT:
		evbuf_addu(b, v);
		break;
	case A_FD:
		if ((int32_t)v == -100)
			evbuf_adds(b, "AT_FDCWD");
		else
			evbuf_addi(b, (int32_t)v);
		break;
	case A_PATH:
		if (sc->path || sc->path_status == EV_PATH_UNREADABLE)
			put_path(b, sc, v);
		else
			evbuf_add_hex(b, v);
		break;
	case A_ADDR:
		if (sc->addr)
			evbuf_add_text(b, sc->addr, 0);
		else if (v)
			evbuf_add_hex(b, v);
		else
			evbuf_adds(b, "NULL");
		break;
	case A_OFLAGS:
		put_open_flags(b, oflags, v);
		break;
	case A_FMODE:
		if (v & 0170000) {
			put_value(b, ftype_names, (int64_t)(v & 0170000));
			evbuf_addc(b, '|');
		}
		evbuf_add_oct(b, v & ~(uint64_t)0170000);
		break;
	case A_MODE:
	case A_OMODE:
		evbuf_add_oct(b, v);
		break;
	case A_DEV: /* new_decode_dev() of the 32-bit dev_t */
		evbuf_adds(b, "makedev(");
		evbuf_add_hex(b, (v & 0xfff00) >> 8);
		evbuf_adds(b, ", ");
		evbuf_add_hex(b, (v & 0xff) | ((v >> 12) & 0xfff00));
		evbuf_addc(b, ')');
		break;
	case A_PROT:
		if (v)
			put_flags(b, prot_flags, v);
		else
			evbuf_adds(b, "PROT_NONE");
		break;
	case A_MAPF:
		put_flags(b, map_flags, v);
		break;
	case A_MSGF:
		put_flags(b, msg_flags, v);
		break;
	case A_ATF:
		put_flags(b, at_flags, v);
		break;
	case A_SOCKF:
		put_flags(b, sock_flags, v);
		break;
	case A_AF:
		put_value(b, af_names, i);
		break;
	case A_SOCKTYPE:
		put_value(b, socktype_names, (int64_t)(v & 0xf));
		if (v & ~(uint64_t)0xf) {
			evbuf_addc(b, '|');
			put_flags(b, sock_flags, v & ~(uint64_t)0xf);
		}
		break;
	case A_FUTEX:
		put_value(b, futex_ops, (int64_t)(v & 0x7f));
		if (v & 128)
			evbuf_adds(b, "_PRIVATE");
		if (v & 256)
			evbuf_adds(b, "|FUTEX_CLOCK_REALTIME");
		break;
	case A_CLOCK:
		put_value(b, clock_names, i);
		break;
	case A_WHENCE:
		put_value(b, whence_names, i);
		break;
	case A_EPOLLOP:
		put_value(b, epoll_ops, i);
		break;
	case A_TIMERF:
		if (v)
			put_flags(b, timer_flags, v);
		else
			evbuf_addc(b, '0');
		break;
	case A_SOL:
		put_value(b, sol_names, i);
		break;
	case A_SONAME:
		if (sc->arg[1] == SOL_SOCKET)
			put_value(b, so_names, i);
		else
			evbuf_addi(b, i);
		break;
	case A_SIG: {
		const char *s = evfmt_sys_signal_name(i);
		if (s)
			evbuf_adds(b, s);
		else
			evbuf_addi(b, i);
		break;
	}
	case A_HEX:
	case A_PATH2:
	default:
		if (v)
			evbuf_add_hex(b, v);
		else
			evbuf_adds(b, "NULL");
		break;
	}
}

const struct sys_spec *evfmt_sys_spec(const char *name)
{
	for (size_t i = 0; i < NSYS_SPECS; i++)
		if (!strcmp(sys_specs[i].name, name))
			return &sys_specs[i];
	return NULL;
}

const struct flagname *evfmt_sys_open_flags(const char *arch)
{
	return arch && (!strncmp(arch, "aarch64", 7) ||
			!strncmp(arch, "arm", 3)) ? open_flags_arm : open_flags;
}

/* ---- one call --------------------------------------------------------- */

static int spec_has(const struct sys_spec *sp, unsigned kind)
{
	for (int i = 0; i < 6 && sp->args[i] != A_END; i++)
		if (sp->args[i] == kind)
			return 1;
	return 0;
}

void evfmt_sys_call(struct evbuf *b, const char *name,
		    const struct sys_spec *sp, const struct flagname *oflags,
		    const struct ev_syscall *sc)
{
	if (name) {
		evbuf_adds(b, name);
	} else {
		evbuf_adds(b, "syscall_");
		evbuf_addi(b, sc->nr);
	}
	evbuf_addc(b, '(');
	if (sp) {
		for (int i = 0; i < 6 && sp->args[i] != A_END; i++) {
			if (sp->args[i] == A_OMODE &&
			    !(i && sc->arg[i - 1] & (0100 | 020000000)))
				break;
			if (i)
				evbuf_adds(b, ", ");
			put_arg(b, oflags, sp->args[i], (unsigned)i, sc->arg[i],
				sc);
		}
	} else {
		/* unknown shape: the captured values, then raw arguments up to
		 * the last one that is not 0 */
		int n = 6, any = 0;
		while (n > 0 && !sc->arg[n - 1])
			n--;
		if (sc->path || sc->path_status == EV_PATH_UNREADABLE) {
			put_path(b, sc, 0);
			any = 1;
		}
		if (sc->addr) {
			if (any++)
				evbuf_adds(b, ", ");
			evbuf_add_text(b, sc->addr, 0);
		}
		for (int i = 0; i < n; i++) {
			if (any++)
				evbuf_adds(b, ", ");
			evbuf_add_hex(b, sc->arg[i]);
		}
	}
	evbuf_addc(b, ')');
	if (sc->flags & EV_SYSCALL_UNFINISHED) {
		/* as strace: a call the thread exited in has no result; one
		 * still in flight at the end is unfinished */
		if (sc->flags & EV_SYSCALL_EXITED)
			evbuf_adds(b, " = ?");
		else
			evbuf_adds(b, " = ? <unfinished>");
		if (sc->flags & EV_SYSCALL_EARLY)
			evbuf_adds(b, " <started before the recording>");
		return;
	}
	evbuf_adds(b, " = ");
	if (sc->ret < 0 && sc->ret >= -4095) {
		const char *e = sqlfn_errno_name(sc->ret);
		evbuf_addi(b, sc->ret);
		if (e) {
			evbuf_addc(b, ' ');
			evbuf_adds(b, e);
		}
	} else if (sp && sp->ret == R_HEX) {
		evbuf_add_hex(b, (uint64_t)sc->ret);
	} else {
		evbuf_addi(b, sc->ret);
	}
	evbuf_adds(b, " <");
	evbuf_add_dur(b, sc->dur);
	evbuf_addc(b, '>');
	/* ts is when the recording first saw it: dur is a lower bound */
	if (sc->flags & EV_SYSCALL_EARLY)
		evbuf_adds(b, " <started before the recording>");
	/* captured values the argument table has no place for */
	if (sp && (sc->path || sc->path_status == EV_PATH_UNREADABLE) &&
	    !spec_has(sp, A_PATH)) {
		evbuf_adds(b, " path=");
		put_path(b, sc, 0);
	}
	if (sp && sc->addr && !spec_has(sp, A_ADDR)) {
		evbuf_adds(b, " addr=");
		evbuf_add_text(b, sc->addr, 0);
	}
}
