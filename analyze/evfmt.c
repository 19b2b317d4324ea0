/*
 * evfmt.c - event lines and JSON objects (see evfmt.h for the forms).
 *
 *     evfmt_line(fmt, EV_SYSCALL, &sc, &b);
 *     // "+0.000001000 10:31:06.761966123 [002] cat/4242  openat(AT_FDCWD,
 *     //  "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3 <3.10 us>"
 *
 * Everything is table-driven: kind_fmts says, per kind, which descriptor
 * fields name the acting thread and which function (if any) writes the
 * event text; kinds without one print their descriptor fields.  Syscall
 * arguments decode through sys_specs (by syscall name, resolved once to
 * numbers at evfmt_new) and the flag tables below.  Replay prints millions
 * of lines a second through here, so numbers are written by hand, not
 * through printf.
 */
#include "config.h"
#include "analyze/evfmt.h"
#include "analyze/sqlfn.h"
#include "analyze/timearg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the buffer -------------------------------------------------------- */

void evbuf_free(struct evbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

static int buf_grow(struct evbuf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	char *p;

	if (b->oom)
		return -1;
	while (cap < b->len + need + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

static inline void put(struct evbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap && buf_grow(b, n) < 0)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void puts_(struct evbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

static inline void putc_(struct evbuf *b, char c)
{
	put(b, &c, 1);
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233"
	"34353637383940414243444546474849505152535455565758596061626364656667"
	"6869707172737475767778798081828384858687888990919293949596979899";

static void put_u64(struct evbuf *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	while (v >= 100) {
		i -= 2;
		memcpy(tmp + i, digit_pairs + (v % 100) * 2, 2);
		v /= 100;
	}
	if (v >= 10) {
		i -= 2;
		memcpy(tmp + i, digit_pairs + v * 2, 2);
	} else {
		tmp[--i] = (char)('0' + v);
	}
	put(b, tmp + i, sizeof(tmp) - (size_t)i);
}

static void put_i64(struct evbuf *b, int64_t v)
{
	if (v < 0) {
		putc_(b, '-');
		put_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		put_u64(b, (uint64_t)v);
	}
}

/* V in exactly WIDTH digits, zero-padded. */
static void put_pad(struct evbuf *b, uint64_t v, int width)
{
	char tmp[24];
	int i = width;

	while (i >= 2) {
		i -= 2;
		memcpy(tmp + i, digit_pairs + (v % 100) * 2, 2);
		v /= 100;
	}
	if (i)
		tmp[0] = (char)('0' + v % 10);
	put(b, tmp, (size_t)width);
}

/* NS (< 1e9) as exactly 9 digits: the fraction of a second on every
 * line, twice, so it avoids the general loop. */
static void put_ns9(struct evbuf *b, uint32_t ns)
{
	char t[9];
	uint32_t hi = ns / 100000, lo = ns % 100000; /* 4 and 5 digits */

	memcpy(t, digit_pairs + hi / 100 * 2, 2);
	memcpy(t + 2, digit_pairs + hi % 100 * 2, 2);
	memcpy(t + 4, digit_pairs + lo / 1000 * 2, 2);
	memcpy(t + 6, digit_pairs + lo / 10 % 100 * 2, 2);
	t[8] = (char)('0' + lo % 10);
	put(b, t, 9);
}

static void put_hex(struct evbuf *b, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[20];
	int i = sizeof(tmp);

	do {
		tmp[--i] = digits[v & 15];
		v >>= 4;
	} while (v);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	put(b, tmp + i, sizeof(tmp) - (size_t)i);
}

static void put_oct(struct evbuf *b, uint64_t v)
{
	char tmp[24];
	int i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + (v & 7));
		v >>= 3;
	} while (v);
	tmp[--i] = '0';
	put(b, tmp + i, sizeof(tmp) - (size_t)i);
}

/* Length of the well-formed UTF-8 sequence at P (a byte >= 0x80), or 0. */
static int utf8_len(const unsigned char *p)
{
	int n = *p >= 0xf0 && *p < 0xf5 ? 4 : *p >= 0xe0 && *p < 0xf0 ? 3 :
		*p >= 0xc2 && *p < 0xe0 ? 2 : 0;

	for (int i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3 && ((*p == 0xe0 && p[1] < 0xa0) ||
		       (*p == 0xed && p[1] >= 0xa0)))
		return 0;
	if (n == 4 && ((*p == 0xf0 && p[1] < 0x90) ||
		       (*p == 0xf4 && p[1] >= 0x90)))
		return 0;
	return n;
}

/* Text with control characters and backslashes escaped (and QUOTE, when
 * not 0, escaped and around it), as strace shows strings. */
static void put_text(struct evbuf *b, const char *s, char quote)
{
	static const char digits[] = "0123456789abcdef";

	if (quote)
		putc_(b, quote);
	for (const char *run = s;; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= ' ' && c < 0x7f && c != '\\' && c != quote)
			continue;
		if (c >= 0x80) {
			int n = utf8_len((const unsigned char *)s);
			if (n) {
				s += n - 1;
				continue;
			}
		}
		put(b, run, (size_t)(s - run));
		if (!c)
			break;
		char e[4] = { '\\', 0, 0, 0 };
		size_t n = 2;
		switch (c) {
		case '\n': e[1] = 'n'; break;
		case '\t': e[1] = 't'; break;
		case '\r': e[1] = 'r'; break;
		case '\\': e[1] = '\\'; break;
		default:
			if (c == (unsigned char)quote) {
				e[1] = (char)c;
			} else {
				e[1] = 'x';
				e[2] = digits[c >> 4];
				e[3] = digits[c & 15];
				n = 4;
			}
		}
		put(b, e, n);
		run = s + 1;
	}
	if (quote)
		putc_(b, quote);
}

/* A JSON string: escapes per RFC 8259, invalid UTF-8 as U+FFFD. */
static void put_json_str(struct evbuf *b, const char *s)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	putc_(b, '"');
	while (*p) {
		const unsigned char *run = p;
		while (*p >= ' ' && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		put(b, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		if (*p < 0x80) {
			char e[6] = { '\\', 'u', '0', '0', 0, 0 };
			if (*p == '"' || *p == '\\') {
				e[1] = (char)*p;
				put(b, e, 2);
			} else {
				e[4] = digits[*p >> 4];
				e[5] = digits[*p & 15];
				put(b, e, 6);
			}
			p++;
			continue;
		}
		/* a UTF-8 sequence: copy when well-formed */
		int n = utf8_len(p);
		int ok = n > 0;
		if (ok) {
			put(b, (const char *)p, (size_t)n);
			p += n;
		} else {
			puts_(b, "\\ufffd");
			p++;
		}
	}
	putc_(b, '"');
}

void evbuf_add(struct evbuf *b, const char *s, size_t n) { put(b, s, n); }
void evbuf_adds(struct evbuf *b, const char *s) { puts_(b, s); }
void evbuf_addu(struct evbuf *b, uint64_t v) { put_u64(b, v); }
void evbuf_addi(struct evbuf *b, int64_t v) { put_i64(b, v); }
void evbuf_add_json(struct evbuf *b, const char *s) { put_json_str(b, s); }

/* NS the way sqlfn_fmt_dur writes it ("812 ns", "4.20 us", "1.50 ms",
 * "2.000 s"), without printf. */
static void put_dur(struct evbuf *b, uint64_t ns)
{
	uint64_t unit, scaled;
	int dec;
	const char *name;

	if (ns < 1000) {
		put_u64(b, ns);
		puts_(b, " ns");
		return;
	}
	if (ns < 1000000) {
		unit = 1000, dec = 2, name = " us";
	} else if (ns < 1000000000) {
		unit = 1000000, dec = 2, name = " ms";
	} else {
		unit = 1000000000, dec = 3, name = " s";
	}
	uint64_t div = unit / (dec == 2 ? 100 : 1000);
	scaled = (ns + div / 2) / div; /* value * 10^dec, rounded */
	uint64_t p = dec == 2 ? 100 : 1000;
	put_u64(b, scaled / p);
	putc_(b, '.');
	put_pad(b, scaled % p, dec);
	puts_(b, name);
}

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
static const struct flagname epoll_ops[] = {
	{ 1, "EPOLL_CTL_ADD" }, { 2, "EPOLL_CTL_DEL" }, { 3, "EPOLL_CTL_MOD" },
	{ 0, NULL }
};

/* Bits of V by name, '|'-joined, the rest in hex; "0" when V is 0. */
static void put_flags(struct evbuf *b, const struct flagname *t, uint64_t v)
{
	int any = 0;

	for (; t->name; t++)
		if (t->v && (v & t->v) == t->v) {
			if (any++)
				putc_(b, '|');
			puts_(b, t->name);
			v &= ~t->v;
		}
	if (v || !any) {
		if (any)
			putc_(b, '|');
		put_hex(b, v);
	}
}

static void put_value(struct evbuf *b, const struct flagname *t, int64_t v)
{
	for (; t->name; t++)
		if ((int64_t)t->v == v) {
			puts_(b, t->name);
			return;
		}
	put_i64(b, v);
}

static void put_open_flags(struct evbuf *b, const struct flagname *t,
			   uint64_t v)
{
	static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
					   "O_ACCMODE" };
	puts_(b, acc[v & 3]);
	v &= ~(uint64_t)3;
	if (v) {
		putc_(b, '|');
		put_flags(b, t, v);
	}
}

static const char *signal_name(int64_t sig)
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
	SYS("read", R_INT, A_FD, A_HEX, A_UINT),
	SYS("write", R_INT, A_FD, A_HEX, A_UINT),
	SYS("pread64", R_INT, A_FD, A_HEX, A_UINT, A_LONG),
	SYS("pwrite64", R_INT, A_FD, A_HEX, A_UINT, A_LONG),
	SYS("readv", R_INT, A_FD, A_HEX, A_INT),
	SYS("writev", R_INT, A_FD, A_HEX, A_INT),
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
	SYS("sendto", R_INT, A_FD, A_HEX, A_UINT, A_MSGF, A_ADDR, A_UINT),
	SYS("recvfrom", R_INT, A_FD, A_HEX, A_UINT, A_MSGF, A_ADDR, A_HEX),
	SYS("sendmsg", R_INT, A_FD, A_HEX, A_MSGF),
	SYS("recvmsg", R_INT, A_FD, A_HEX, A_MSGF),
	SYS("shutdown", R_INT, A_FD, A_INT),
	SYS("poll", R_INT, A_HEX, A_UINT, A_INT),
	SYS("ppoll", R_INT, A_HEX, A_UINT, A_HEX, A_HEX),
	SYS("epoll_wait", R_INT, A_FD, A_HEX, A_INT, A_INT),
	SYS("epoll_pwait", R_INT, A_FD, A_HEX, A_INT, A_INT, A_HEX),
	SYS("epoll_ctl", R_INT, A_FD, A_EPOLLOP, A_FD, A_HEX),
	SYS("futex", R_INT, A_HEX, A_FUTEX, A_UINT, A_HEX),
	SYS("nanosleep", R_INT, A_HEX, A_HEX),
	SYS("clock_nanosleep", R_INT, A_CLOCK, A_INT, A_HEX, A_HEX),
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
#define SYS_MAX 1024 /* syscall numbers looked up at start */

static void put_arg(struct evbuf *b, const struct flagname *oflags,
		    unsigned kind, uint64_t v, const struct ev_syscall *sc)
{
	int64_t i = (int64_t)v;

	switch (kind) {
	case A_INT: /* a C int: the low 32 bits, signed */
		put_i64(b, (int32_t)(uint32_t)v);
		break;
	case A_LONG:
		put_i64(b, i);
		break;
	case A_UINT:
		put_u64(b, v);
		break;
	case A_FD:
		if ((int32_t)v == -100)
			puts_(b, "AT_FDCWD");
		else
			put_i64(b, (int32_t)v);
		break;
	case A_PATH:
		if (sc->path) {
			put_text(b, sc->path, '"');
			if (sc->flags & EV_SYSCALL_PATH_TRUNC)
				puts_(b, "...");
		} else {
			put_hex(b, v);
		}
		break;
	case A_ADDR:
		if (sc->addr)
			put_text(b, sc->addr, 0);
		else if (v)
			put_hex(b, v);
		else
			puts_(b, "NULL");
		break;
	case A_OFLAGS:
		put_open_flags(b, oflags, v);
		break;
	case A_MODE:
	case A_OMODE:
		put_oct(b, v);
		break;
	case A_PROT:
		if (v)
			put_flags(b, prot_flags, v);
		else
			puts_(b, "PROT_NONE");
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
			putc_(b, '|');
			put_flags(b, sock_flags, v & ~(uint64_t)0xf);
		}
		break;
	case A_FUTEX:
		put_value(b, futex_ops, (int64_t)(v & 0x7f));
		if (v & 128)
			puts_(b, "_PRIVATE");
		if (v & 256)
			puts_(b, "|FUTEX_CLOCK_REALTIME");
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
	case A_SIG: {
		const char *s = signal_name(i);
		if (s)
			puts_(b, s);
		else
			put_i64(b, i);
		break;
	}
	case A_HEX:
	case A_PATH2:
	default:
		if (v)
			put_hex(b, v);
		else
			puts_(b, "NULL");
		break;
	}
}

/* ---- the formatter ---------------------------------------------------- */

/* tid -> comm, learnt from the threads table and from events */
struct comm_slot {
	uint32_t tid; /* 0: empty */
	char comm[16];
};

struct evfmt {
	struct store *st;
	unsigned flags;
	uint64_t ts0;
	int64_t offset;
	int have_wall;
	/* wall clock: the day of the last line, cached */
	int64_t day;
	char date[16];
	const char *sysname[SYS_MAX];
	const struct sys_spec *spec[SYS_MAX];
	struct comm_slot *comms;
	size_t ncomms, capcomms; /* capcomms: a power of two, or 0 */
	/* descriptor field indices per kind, found once */
	int who_comm[EV_KIND_COUNT], who_tid[EV_KIND_COUNT];
	int cpu_field[EV_KIND_COUNT];
	struct evbuf scratch; /* evfmt_json's event text */
	const struct flagname *oflags; /* open flags of the trace's arch */
	/* "HH:MM:SS." of the last wall second written */
	int64_t wall_sec;
	char wall_hms[10];
};

static const char *comm_get(const struct evfmt *f, uint32_t tid)
{
	if (!f->capcomms || !tid)
		return NULL;
	for (size_t i = (tid * 2654435761u) & (f->capcomms - 1);;
	     i = (i + 1) & (f->capcomms - 1)) {
		if (f->comms[i].tid == tid)
			return f->comms[i].comm;
		if (!f->comms[i].tid)
			return NULL;
	}
}

static void comm_put(struct evfmt *f, uint32_t tid, const char *comm)
{
	if (!tid || !comm || !*comm)
		return;
	if ((f->ncomms + 1) * 2 > f->capcomms) {
		size_t cap = f->capcomms ? f->capcomms * 2 : 1024;
		struct comm_slot *n = calloc(cap, sizeof(*n));
		if (!n)
			return; /* names are a nicety */
		for (size_t j = 0; j < f->capcomms; j++) {
			if (!f->comms[j].tid)
				continue;
			size_t i = (f->comms[j].tid * 2654435761u) & (cap - 1);
			while (n[i].tid)
				i = (i + 1) & (cap - 1);
			n[i] = f->comms[j];
		}
		free(f->comms);
		f->comms = n;
		f->capcomms = cap;
	}
	size_t i = (tid * 2654435761u) & (f->capcomms - 1);
	while (f->comms[i].tid && f->comms[i].tid != tid)
		i = (i + 1) & (f->capcomms - 1);
	if (!f->comms[i].tid)
		f->ncomms++;
	else if (f->comms[i].comm[0] == comm[0] &&
		 !strncmp(f->comms[i].comm, comm, sizeof(f->comms[i].comm) - 1))
		return;
	f->comms[i].tid = tid;
	snprintf(f->comms[i].comm, sizeof(f->comms[i].comm), "%s", comm);
}

/* The fields naming the acting thread, per kind (names in the kind's
 * descriptor; NULL comm: from the comm table). */
static const struct {
	const char *comm, *tid;
} who_fields[EV_KIND_COUNT] = {
	[EV_SYSCALL] = { "comm", "tid" },
	[EV_SWITCH] = { "prev_comm", "prev_tid" },
	[EV_WAKEUP] = { NULL, "waker_tid" },
	[EV_MIGRATE] = { NULL, "tid" },
	[EV_PROC] = { "comm", "tid" },
	[EV_NET] = { "comm", "tid" },
};

struct evfmt *evfmt_new(struct store *st, unsigned flags)
{
	struct evfmt *f = calloc(1, sizeof(*f));
	uint64_t last;
	const char *off;
	sqlite3_stmt *s;

	if (!f)
		return NULL;
	f->st = st;
	f->flags = flags;
	f->day = INT64_MIN;
	f->wall_sec = INT64_MIN;
	const char *arch = store_meta(st, "arch");
	f->oflags = arch && (!strncmp(arch, "aarch64", 7) ||
			     !strncmp(arch, "arm", 3)) ?
		open_flags_arm : open_flags;
	if (timearg_span(st, &f->ts0, &last) < 0)
		f->ts0 = 0;
	off = store_meta(st, "clock_offset_ns");
	if (off && *off) {
		char *end;
		errno = 0;
		long long v = strtoll(off, &end, 10);
		if (!errno && !*end) {
			f->offset = v;
			f->have_wall = 1;
		}
	}
	for (int nr = 0; nr < SYS_MAX; nr++) {
		f->sysname[nr] = store_syscall_name(st, nr);
		if (!f->sysname[nr])
			continue;
		for (size_t i = 0; i < NSYS_SPECS; i++)
			if (!strcmp(sys_specs[i].name, f->sysname[nr])) {
				f->spec[nr] = &sys_specs[i];
				break;
			}
	}
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		const struct ev_desc *d = ev_desc(k);
		f->who_comm[k] = who_fields[k].comm ?
			ev_field_index(d, who_fields[k].comm) : -1;
		f->who_tid[k] = who_fields[k].tid ?
			ev_field_index(d, who_fields[k].tid) : -1;
		f->cpu_field[k] = ev_field_index(d, "cpu");
	}
	if (sqlite3_prepare_v2(store_db(st), "SELECT tid, comm FROM threads "
			       "ORDER BY start_ts", -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			comm_put(f, (uint32_t)sqlite3_column_int64(s, 0),
				 (const char *)sqlite3_column_text(s, 1));
		sqlite3_finalize(s);
	}
	return f;
}

void evfmt_free(struct evfmt *f)
{
	if (!f)
		return;
	free(f->comms);
	evbuf_free(&f->scratch);
	free(f);
}

int evfmt_reltime(struct evfmt *f, uint64_t ts, struct evbuf *b)
{
	uint64_t d;

	if (ts >= f->ts0) {
		d = ts - f->ts0;
		putc_(b, '+');
	} else {
		d = f->ts0 - ts;
		putc_(b, '-');
	}
	put_u64(b, d / 1000000000);
	putc_(b, '.');
	put_ns9(b, (uint32_t)(d % 1000000000));
	return b->oom ? -ENOMEM : 0;
}

int evfmt_walltime(struct evfmt *f, uint64_t ts, struct evbuf *b)
{
	if (!f->have_wall) {
		puts_(b, "-");
		return b->oom ? -ENOMEM : 0;
	}
	int64_t w = (int64_t)ts + f->offset;
	int64_t sec = w / 1000000000, ns = w % 1000000000;
	if (ns < 0) {
		ns += 1000000000;
		sec--;
	}
	if (sec != f->wall_sec) {
		int64_t tod = sec % 86400;
		if (tod < 0)
			tod += 86400;
		memcpy(f->wall_hms, digit_pairs + tod / 3600 * 2, 2);
		f->wall_hms[2] = ':';
		memcpy(f->wall_hms + 3, digit_pairs + tod / 60 % 60 * 2, 2);
		f->wall_hms[5] = ':';
		memcpy(f->wall_hms + 6, digit_pairs + tod % 60 * 2, 2);
		f->wall_hms[8] = '.';
		f->wall_sec = sec;
	}
	put(b, f->wall_hms, 9);
	put_ns9(b, (uint32_t)ns);
	return b->oom ? -ENOMEM : 0;
}

/* "comm/tid", comm from the event or the comm table, "?" if unknown. */
static void put_thread(struct evfmt *f, const char *comm, uint32_t tid,
		       struct evbuf *b)
{
	if (!comm || !*comm)
		comm = tid ? comm_get(f, tid) : "swapper";
	put_text(b, comm && *comm ? comm : "?", 0);
	putc_(b, '/');
	put_u64(b, tid);
}

int evfmt_who(struct evfmt *f, enum ev_kind kind, const void *ev,
	      struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);
	const char *comm = NULL;
	uint32_t tid = 0;

	if (!d)
		return -EINVAL;
	if (f->who_tid[kind] >= 0)
		tid = (uint32_t)ev_get_int(&d->fields[f->who_tid[kind]], ev);
	if (f->who_comm[kind] >= 0) {
		comm = ev_get_str(&d->fields[f->who_comm[kind]], ev);
		comm_put(f, tid, comm);
	}
	put_thread(f, comm, tid, b);
	return b->oom ? -ENOMEM : 0;
}

char evfmt_state_letter(int64_t state)
{
	static const struct { int64_t bit; char c; } states[] = {
		{ 0x01, 'S' }, { 0x02, 'D' }, { 0x04, 'T' }, { 0x08, 't' },
		{ 0x10, 'X' }, { 0x20, 'Z' }, { 0x40, 'P' },
	};
	if ((state & 0x402) == 0x402)
		return 'I';
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (state & states[i].bit)
			return states[i].c;
	return 'R';
}

static int spec_has(const struct sys_spec *sp, unsigned kind)
{
	for (int i = 0; i < 6 && sp->args[i] != A_END; i++)
		if (sp->args[i] == kind)
			return 1;
	return 0;
}

static void detail_syscall(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_syscall *sc = ev;
	const struct sys_spec *sp = NULL;
	const char *name = NULL;

	if (sc->nr >= 0 && sc->nr < SYS_MAX) {
		name = f->sysname[sc->nr];
		sp = f->spec[sc->nr];
	}
	if (name) {
		puts_(b, name);
	} else {
		puts_(b, "syscall_");
		put_i64(b, sc->nr);
	}
	putc_(b, '(');
	if (sp) {
		for (int i = 0; i < 6 && sp->args[i] != A_END; i++) {
			if (sp->args[i] == A_OMODE &&
			    !(i && sc->arg[i - 1] & (0100 | 020000000)))
				break;
			if (i)
				puts_(b, ", ");
			put_arg(b, f->oflags, sp->args[i], sc->arg[i], sc);
		}
	} else {
		/* unknown shape: the captured values, then raw arguments up to
		 * the last one that is not 0 */
		int n = 6, any = 0;
		while (n > 0 && !sc->arg[n - 1])
			n--;
		if (sc->path) {
			put_text(b, sc->path, '"');
			any = 1;
		}
		if (sc->addr) {
			if (any++)
				puts_(b, ", ");
			put_text(b, sc->addr, 0);
		}
		for (int i = 0; i < n; i++) {
			if (any++)
				puts_(b, ", ");
			put_hex(b, sc->arg[i]);
		}
	}
	putc_(b, ')');
	if (sc->flags & EV_SYSCALL_UNFINISHED) {
		puts_(b, " = ? <unfinished>");
		return;
	}
	puts_(b, " = ");
	if (sc->ret < 0 && sc->ret >= -4095) {
		const char *e = sqlfn_errno_name(sc->ret);
		put_i64(b, sc->ret);
		if (e) {
			putc_(b, ' ');
			puts_(b, e);
		}
	} else if (sp && sp->ret == R_HEX) {
		put_hex(b, (uint64_t)sc->ret);
	} else {
		put_i64(b, sc->ret);
	}
	puts_(b, " <");
	put_dur(b, sc->dur);
	putc_(b, '>');
	/* captured values the argument table has no place for */
	if (sp && sc->path && !spec_has(sp, A_PATH)) {
		puts_(b, " path=");
		put_text(b, sc->path, '"');
	}
	if (sp && sc->addr && !spec_has(sp, A_ADDR)) {
		puts_(b, " addr=");
		put_text(b, sc->addr, 0);
	}
}

static void detail_switch(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_switch *sw = ev;

	comm_put(f, sw->next_tid, sw->next_comm);
	puts_(b, "switch ");
	put_thread(f, sw->prev_comm, sw->prev_tid, b);
	puts_(b, " (");
	putc_(b, evfmt_state_letter(sw->prev_state));
	puts_(b, ") -> ");
	put_thread(f, sw->next_comm, sw->next_tid, b);
}

static void detail_wakeup(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_wakeup *w = ev;

	puts_(b, w->is_new ? "wakeup_new " : "wakeup ");
	put_thread(f, NULL, w->tid, b);
	puts_(b, " target_cpu=");
	put_u64(b, w->target_cpu);
	puts_(b, " prio=");
	put_i64(b, w->prio);
}

static void detail_migrate(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_migrate *m = ev;

	puts_(b, "migrate cpu ");
	put_u64(b, m->orig_cpu);
	puts_(b, " -> ");
	put_u64(b, m->dest_cpu);
}

static void detail_proc(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_proc *p = ev;
	const char *sig;

	switch (p->kind) {
	case EV_PROC_FORK:
		puts_(b, "fork child=");
		put_u64(b, p->child_pid);
		puts_(b, " ppid=");
		put_u64(b, p->ppid);
		break;
	case EV_PROC_EXEC:
		puts_(b, "exec ");
		put_text(b, p->filename ? p->filename : "?", '"');
		if (p->argv) {
			puts_(b, " argv=");
			put_text(b, p->argv, '"');
		}
		break;
	case EV_PROC_EXIT:
		puts_(b, "exit code=");
		put_i64(b, p->exit_code);
		if (p->exit_signal) {
			puts_(b, " signal=");
			sig = signal_name(p->exit_signal);
			if (sig)
				puts_(b, sig);
			else
				put_i64(b, p->exit_signal);
		}
		break;
	default:
		puts_(b, "proc kind=");
		put_u64(b, p->kind);
		break;
	}
}

static void put_endpoint(struct evbuf *b, const char *addr, uint32_t port)
{
	int v6 = addr && strchr(addr, ':');

	if (v6)
		putc_(b, '[');
	put_text(b, addr ? addr : "?", 0);
	if (v6)
		putc_(b, ']');
	putc_(b, ':');
	put_u64(b, port);
}

static void detail_net(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_net *n = ev;
	const struct ev_desc *d = ev_desc(EV_NET);
	const char *kn = ev_enum_name(&d->fields[ev_field_index(d, "kind")],
				      n->kind);

	puts_(b, "tcp ");
	puts_(b, kn ? kn : "?");
	putc_(b, ' ');
	put_endpoint(b, n->saddr, n->sport);
	puts_(b, " -> ");
	put_endpoint(b, n->daddr, n->dport);
	if (n->kind == EV_NET_STATE) {
		const char *o = ev_tcp_state_name(n->old_state);
		const char *s = ev_tcp_state_name(n->new_state);
		putc_(b, ' ');
		if (o)
			puts_(b, o);
		else
			put_u64(b, n->old_state);
		puts_(b, " -> ");
		if (s)
			puts_(b, s);
		else
			put_u64(b, n->new_state);
	} else if (n->kind == EV_NET_SEND || n->kind == EV_NET_RECV) {
		putc_(b, ' ');
		put_i64(b, n->bytes);
		puts_(b, " bytes");
	}
}

/* Any kind: its shown fields as name=value, after the title. */
static void detail_fields(struct evfmt *f, enum ev_kind kind, const void *ev,
			  struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);

	puts_(b, d->title);
	for (unsigned i = 0; i < d->nfields; i++) {
		const struct ev_field *fl = &d->fields[i];
		if (fl->flags & (EVF_TS | EVF_HIDDEN) ||
		    !strcmp(fl->name, "cpu") || (int)i == f->who_tid[kind] ||
		    (int)i == f->who_comm[kind])
			continue;
		putc_(b, ' ');
		puts_(b, fl->name);
		putc_(b, '=');
		if (fl->type == EVT_STR) {
			const char *s = ev_get_str(fl, ev);
			if (s)
				put_text(b, s, '"');
			else
				puts_(b, "NULL");
		} else if (fl->type == EVT_ENUM &&
			   ev_enum_name(fl, ev_get_int(fl, ev))) {
			puts_(b, ev_enum_name(fl, ev_get_int(fl, ev)));
		} else if (fl->type == EVT_SYSNAME) {
			const char *s = store_syscall_name(f->st,
				(int)ev_get_int(fl, ev));
			puts_(b, s ? s : "?");
		} else {
			put_i64(b, ev_get_int(fl, ev));
		}
	}
}

/* The event text per kind; NULL: detail_fields. */
static void (*const detailers[EV_KIND_COUNT])(struct evfmt *, const void *,
					      struct evbuf *) = {
	[EV_SYSCALL] = detail_syscall,
	[EV_SWITCH] = detail_switch,
	[EV_WAKEUP] = detail_wakeup,
	[EV_MIGRATE] = detail_migrate,
	[EV_PROC] = detail_proc,
	[EV_NET] = detail_net,
};

int evfmt_detail(struct evfmt *f, enum ev_kind kind, const void *ev,
		 struct evbuf *b)
{
	if ((unsigned)kind >= EV_KIND_COUNT)
		return -EINVAL;
	if (detailers[kind])
		detailers[kind](f, ev, b);
	else
		detail_fields(f, kind, ev, b);
	return b->oom ? -ENOMEM : 0;
}

#define WHO_WIDTH 20

int evfmt_line(struct evfmt *f, enum ev_kind kind, const void *ev,
	       struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);
	size_t start;
	int cpu;

	if (!d)
		return -EINVAL;
	evfmt_reltime(f, ev_ts(ev), b);
	putc_(b, ' ');
	if (!(f->flags & EVFMT_NO_WALL)) {
		evfmt_walltime(f, ev_ts(ev), b);
		putc_(b, ' ');
	}
	cpu = f->cpu_field[kind];
	putc_(b, '[');
	put_pad(b, cpu >= 0 ? (uint64_t)ev_get_int(&d->fields[cpu], ev) : 0,
		3);
	puts_(b, "] ");
	start = b->len;
	evfmt_who(f, kind, ev, b);
	if (b->len - start < WHO_WIDTH)
		put(b, "                    ", WHO_WIDTH - (b->len - start));
	putc_(b, ' ');
	return evfmt_detail(f, kind, ev, b);
}

/* ---- JSON ------------------------------------------------------------ */

static void put_iso(struct evfmt *f, uint64_t ts, struct evbuf *b)
{
	int64_t w = (int64_t)ts + f->offset;
	int64_t sec = w / 1000000000, ns = w % 1000000000;

	if (ns < 0) {
		ns += 1000000000;
		sec--;
	}
	int64_t day = sec >= 0 ? sec / 86400 : (sec - 86399) / 86400;
	if (day != f->day) {
		time_t t = (time_t)(day * 86400);
		struct tm tm;
		if (!gmtime_r(&t, &tm) ||
		    !strftime(f->date, sizeof(f->date), "%Y-%m-%d", &tm))
			snprintf(f->date, sizeof(f->date), "?");
		f->day = day;
	}
	putc_(b, '"');
	puts_(b, f->date);
	putc_(b, 'T');
	evfmt_walltime(f, ts, b);
	puts_(b, "Z\"");
}

int evfmt_json(struct evfmt *f, enum ev_kind kind, const void *ev,
	       struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);
	uint64_t ts = ev_ts(ev);
	size_t start;

	if (!d)
		return -EINVAL;
	puts_(b, "{\"ts\":");
	put_u64(b, ts);
	puts_(b, ",\"time\":");
	start = b->len;
	evfmt_reltime(f, ts, b);
	if (b->len > start && b->p[start] == '+') {
		/* a JSON number has no leading '+' */
		memmove(b->p + start, b->p + start + 1, b->len - start);
		b->len--;
	}
	if (f->have_wall) {
		puts_(b, ",\"wall\":");
		put_iso(f, ts, b);
	}
	puts_(b, ",\"event\":");
	put_json_str(b, d->title);
	for (unsigned i = 1; i < d->nfields; i++) {
		const struct ev_field *fl = &d->fields[i];
		if (fl->flags & EVF_HIDDEN)
			continue;
		putc_(b, ',');
		put_json_str(b, fl->name);
		putc_(b, ':');
		if (fl->type == EVT_STR) {
			const char *s = ev_get_str(fl, ev);
			if (s)
				put_json_str(b, s);
			else
				puts_(b, "null");
		} else if (fl->type == EVT_ENUM) {
			const char *s = ev_enum_name(fl, ev_get_int(fl, ev));
			if (s)
				put_json_str(b, s);
			else
				put_i64(b, ev_get_int(fl, ev));
		} else if (fl->type == EVT_SYSNAME) {
			int nr = (int)ev_get_int(fl, ev);
			const char *s = nr >= 0 && nr < SYS_MAX ?
				f->sysname[nr] : NULL;
			if (s)
				put_json_str(b, s);
			else
				puts_(b, "null");
		} else {
			put_i64(b, ev_get_int(fl, ev));
		}
	}
	if (kind == EV_SYSCALL) {
		const struct ev_syscall *sc = ev;
		const char *e = sqlfn_errno_name(sc->ret);
		if (e && !(sc->flags & EV_SYSCALL_UNFINISHED)) {
			puts_(b, ",\"errno\":");
			put_json_str(b, e);
		}
		if (sc->flags & EV_SYSCALL_UNFINISHED)
			puts_(b, ",\"unfinished\":true");
	}
	puts_(b, ",\"text\":");
	evbuf_clear(&f->scratch);
	evfmt_detail(f, kind, ev, &f->scratch);
	put_json_str(b, f->scratch.p ? f->scratch.p : "");
	if (f->scratch.oom)
		b->oom = 1;
	putc_(b, '}');
	return b->oom ? -ENOMEM : 0;
}
