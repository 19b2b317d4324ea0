/*
 * test-evfmt.c - event lines and JSON objects (analyze/replay/evfmt.c) for
 * hand-made events of every kind, against exact expected text.  A small
 * trace supplies what the formatter reads from a file: the architecture
 * (syscall names), the clock offset (wall time), the start (relative
 * time) and the threads table (names of threads a wakeup mentions).
 */
#include "analyze/replay/evfmt.h"
#include "store/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define T0 1000000000ull
/* ts T0 is 2023-11-14T22:13:20Z */
#define OFFSET "1699999999000000000"

static char path[64];
static struct store *st;
static struct evfmt *fmt;

static int setup(void **state)
{
	struct store_writer_opts wo = { .force = 1 };
	struct ev_syscall sc = { .ts = T0, .comm = "x", .fd = -1 };
	char err[STORE_ERRLEN];
	struct store_writer *w;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test-evfmt.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	w = store_writer_open(path, &wo, err);
	if (!w || store_writer_meta(w, "arch", "x86_64") < 0 ||
	    store_writer_meta(w, "clock_offset_ns", OFFSET) < 0 ||
	    store_writer_meta(w, "start_ts", "1000000000") < 0 ||
	    store_writer_meta(w, "end_ts", "2000000000") < 0 ||
	    store_writer_thread(w, 77, 70, "kworker/1:2", T0) < 0 ||
	    store_writer_append(w, EV_SYSCALL, &sc) < 0 ||
	    store_writer_close(w, err) < 0)
		return -1;
	st = store_open(path, err);
	fmt = st ? evfmt_new(st, 0) : NULL;
	return fmt ? 0 : -1;
}

static int teardown(void **state)
{
	evfmt_free(fmt);
	store_close(st);
	unlink(path);
	return 0;
}

static void expect_detail(enum ev_kind kind, const void *ev, const char *want)
{
	struct evbuf b = EVBUF_INIT;

	assert_int_equal(evfmt_detail(fmt, kind, ev, &b), 0);
	if (strcmp(b.p, want))
		fail_msg("got  '%s'\nwant '%s'", b.p, want);
	evbuf_free(&b);
}

static void test_line_whole(void **state)
{
	struct ev_syscall sc = {
		.ts = T0 + 1000000, .dur = 4200, .cpu = 2, .pid = 4242,
		.tid = 4242, .nr = 257, .ret = 3,
		.arg = { (uint64_t)-100, 0x7ffd0000, 02000000 }, .fd = -1,
		.comm = "cat", .path = "/etc/hosts",
	};
	struct evbuf b = EVBUF_INIT;

	assert_int_equal(evfmt_line(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_string_equal(b.p, "+0.001000000 22:13:20.001000000 [002] "
			    "cat/4242             openat(AT_FDCWD, "
			    "\"/etc/hosts\", O_RDONLY|O_CLOEXEC) = 3 <4.20 us>");
	evbuf_clear(&b);
	sc.ts = T0 - 5;
	evfmt_reltime(fmt, sc.ts, &b);
	assert_string_equal(b.p, "-0.000000005");
	evbuf_free(&b);

	/* without the wall column */
	struct evfmt *nw = evfmt_new(st, EVFMT_NO_WALL);
	assert_non_null(nw);
	sc.ts = T0 + 2500000000ull;
	assert_int_equal(evfmt_line(nw, EV_SYSCALL, &sc, &b), 0);
	assert_string_equal(b.p, "+2.500000000 [002] cat/4242             "
			    "openat(AT_FDCWD, \"/etc/hosts\", "
			    "O_RDONLY|O_CLOEXEC) = 3 <4.20 us>");
	evbuf_free(&b);
	evfmt_free(nw);
	(void)state;
}

static void test_syscalls(void **state)
{
	struct ev_syscall sc = { .ts = T0, .dur = 812, .pid = 1, .tid = 1,
				 .fd = -1, .comm = "a" };

	sc.nr = 257; /* openat, failed, with O_CREAT and a mode */
	sc.arg[0] = 5;
	sc.arg[2] = 01 | 0100 | 01000;
	sc.arg[3] = 0644;
	sc.path = "/tmp/new \"file\"\n";
	sc.ret = -13;
	expect_detail(EV_SYSCALL, &sc, "openat(5, \"/tmp/new \\\"file\\\"\\n\", "
		      "O_WRONLY|O_CREAT|O_TRUNC, 0644) = -13 EACCES <812 ns>");
	memset(sc.arg, 0, sizeof(sc.arg));
	sc.path = NULL;

	sc.nr = 42; /* connect */
	sc.arg[0] = 7;
	sc.arg[2] = 16;
	sc.addr = "10.0.0.2:5432";
	sc.ret = -111;
	sc.dur = 1500000;
	expect_detail(EV_SYSCALL, &sc, "connect(7, 10.0.0.2:5432, 16) = -111 "
		      "ECONNREFUSED <1.50 ms>");
	sc.addr = NULL;

	sc.nr = 0; /* read */
	sc.arg[0] = 3;
	sc.arg[1] = 0x7f00;
	sc.arg[2] = 4096;
	sc.ret = 1200;
	sc.dur = 2000000000;
	expect_detail(EV_SYSCALL, &sc, "read(3, 0x7f00, 4096) = 1200 "
		      "<2.000 s>");

	sc.nr = 1; /* write, unfinished */
	sc.flags = EV_SYSCALL_UNFINISHED;
	expect_detail(EV_SYSCALL, &sc, "write(3, 0x7f00, 4096) = ? "
		      "<unfinished>");
	sc.flags |= EV_SYSCALL_EARLY; /* in flight from before to after */
	expect_detail(EV_SYSCALL, &sc, "write(3, 0x7f00, 4096) = ? "
		      "<unfinished> <started before the recording>");
	sc.flags = EV_SYSCALL_UNFINISHED | EV_SYSCALL_EXITED; /* as strace */
	expect_detail(EV_SYSCALL, &sc, "write(3, 0x7f00, 4096) = ?");
	sc.flags = EV_SYSCALL_EARLY; /* finished; dur is a lower bound */
	expect_detail(EV_SYSCALL, &sc, "write(3, 0x7f00, 4096) = 1200 "
		      "<2.000 s> <started before the recording>");
	sc.flags = 0;

	sc.nr = 9; /* mmap returns an address */
	memset(sc.arg, 0, sizeof(sc.arg));
	sc.arg[1] = 8192;
	sc.arg[2] = 3;
	sc.arg[3] = 0x22;
	sc.arg[4] = (uint64_t)-1;
	sc.ret = 0x7f1234560000;
	sc.dur = 999;
	expect_detail(EV_SYSCALL, &sc, "mmap(NULL, 8192, PROT_READ|PROT_WRITE, "
		      "MAP_PRIVATE|MAP_ANONYMOUS, -1, NULL) = 0x7f1234560000 "
		      "<999 ns>");

	sc.nr = 202; /* futex */
	memset(sc.arg, 0, sizeof(sc.arg));
	sc.arg[0] = 0x1000;
	sc.arg[1] = 128;
	sc.arg[2] = 2;
	sc.ret = -11;
	expect_detail(EV_SYSCALL, &sc, "futex(0x1000, FUTEX_WAIT_PRIVATE, 2, "
		      "NULL) = -11 EAGAIN <999 ns>");

	sc.ret = -512; /* interrupted: the kernel's internal code by name */
	expect_detail(EV_SYSCALL, &sc, "futex(0x1000, FUTEX_WAIT_PRIVATE, 2, "
		      "NULL) = -512 ERESTARTSYS <999 ns>");
	sc.ret = -516;
	expect_detail(EV_SYSCALL, &sc, "futex(0x1000, FUTEX_WAIT_PRIVATE, 2, "
		      "NULL) = -516 ERESTART_RESTARTBLOCK <999 ns>");

	sc.nr = 62; /* kill */
	sc.arg[0] = 99;
	sc.arg[1] = 9;
	sc.ret = 0;
	expect_detail(EV_SYSCALL, &sc, "kill(99, SIGKILL) = 0 <999 ns>");

	sc.nr = 8; /* lseek: a 64-bit offset */
	sc.arg[0] = 4;
	sc.arg[1] = 3000000000ull;
	sc.arg[2] = 1;
	sc.ret = 3000000000ll;
	expect_detail(EV_SYSCALL, &sc, "lseek(4, 3000000000, SEEK_CUR) = "
		      "3000000000 <999 ns>");
	sc.nr = 72; /* fcntl: an int command, zero-extended in the register */
	sc.arg[1] = 0xffffffffull;
	sc.arg[2] = 0;
	sc.ret = -22;
	expect_detail(EV_SYSCALL, &sc, "fcntl(4, -1, NULL) = -22 EINVAL "
		      "<999 ns>");

	sc.nr = 39; /* getpid, no arguments */
	sc.ret = 1;
	expect_detail(EV_SYSCALL, &sc, "getpid() = 1 <999 ns>");

	/* calls taking a path after other arguments: each argument in its
	 * place (the kernel's signatures), the path where it was captured */
	static const struct {
		int nr;
		uint64_t arg[5];
		const char *want;
	} at[] = {
		{ 259, { (uint64_t)-100, 0x7f00, 020666, 0x103 }, /* mknodat */
		  "mknodat(AT_FDCWD, \"/dev/x\", S_IFCHR|0666, "
		  "makedev(0x1, 0x3))" },
		{ 133, { 0x7f00, 010600 }, /* mknod */
		  "mknod(\"/dev/x\", S_IFIFO|0600, makedev(0x0, 0x0))" },
		{ 260, { 3, 0x7f00, 1000, 0xffffffff, 0x100 }, /* fchownat */
		  "fchownat(3, \"/dev/x\", 1000, -1, AT_SYMLINK_NOFOLLOW)" },
		{ 266, { 0x7e00, (uint64_t)-100, 0x7f00 }, /* newname kept */
		  "symlinkat(0x7e00, AT_FDCWD, \"/dev/x\")" },
		{ 265, { (uint64_t)-100, 0x7f00, 4, 0x7e00, 0x400 },
		  "linkat(AT_FDCWD, \"/dev/x\", 4, 0x7e00, "
		  "AT_SYMLINK_FOLLOW)" },
		{ 280, { 5, 0x7f00, 0, 0x100 }, /* utimensat */
		  "utimensat(5, \"/dev/x\", NULL, AT_SYMLINK_NOFOLLOW)" },
	};
	char want[160];

	sc.path = "/dev/x";
	sc.ret = 0;
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		sc.nr = at[i].nr;
		memset(sc.arg, 0, sizeof(sc.arg));
		memcpy(sc.arg, at[i].arg, sizeof(at[i].arg));
		snprintf(want, sizeof(want), "%s = 0 <999 ns>", at[i].want);
		expect_detail(EV_SYSCALL, &sc, want);
	}
	sc.path = NULL;

	sc.nr = 999; /* not a syscall of x86_64: raw arguments */
	memset(sc.arg, 0, sizeof(sc.arg));
	sc.arg[0] = 1;
	sc.arg[2] = 0xff;
	sc.ret = 0;
	expect_detail(EV_SYSCALL, &sc, "syscall_999(0x1, 0x0, 0xff) = 0 "
		      "<999 ns>");
	(void)state;
}

static void test_sched(void **state)
{
	struct ev_switch sw = {
		.ts = T0, .cpu = 1, .prev_tid = 88, .prev_state = 2,
		.prev_prio = 120, .next_tid = 1235, .next_prio = 120,
		.prev_comm = "bash", .next_comm = "nginx",
	};
	expect_detail(EV_SWITCH, &sw, "switch bash/88 (D) -> nginx/1235");
	sw.prev_state = 0;
	expect_detail(EV_SWITCH, &sw, "switch bash/88 (R) -> nginx/1235");
	sw.prev_state = 0x402;
	expect_detail(EV_SWITCH, &sw, "switch bash/88 (I) -> nginx/1235");

	/* a wakeup names its threads from the threads table and from the
	 * comms earlier events showed */
	struct ev_wakeup wk = { .ts = T0, .cpu = 3, .tid = 77, .waker_tid = 1235,
				.target_cpu = 1, .prio = 120 };
	struct evbuf b = EVBUF_INIT;
	expect_detail(EV_WAKEUP, &wk, "wakeup kworker/1:2/77 target_cpu=1 "
		      "prio=120");
	assert_int_equal(evfmt_who(fmt, EV_WAKEUP, &wk, &b), 0);
	assert_string_equal(b.p, "nginx/1235");
	evbuf_clear(&b);
	wk.waker_tid = 0;
	evfmt_who(fmt, EV_WAKEUP, &wk, &b);
	assert_string_equal(b.p, "swapper/0");
	evbuf_clear(&b);
	/* an interrupt that woke it is the waker, named by context and
	 * interrupt; a task waker is the thread */
	wk.waker_ctx = EV_WAKER_SOFTIRQ;
	wk.waker_irq = "NET_RX";
	evfmt_who(fmt, EV_WAKEUP, &wk, &b);
	assert_string_equal(b.p, "softirq NET_RX");
	evbuf_clear(&b);
	wk.waker_ctx = EV_WAKER_HARDIRQ;
	wk.waker_irq = NULL;
	evfmt_who(fmt, EV_WAKEUP, &wk, &b);
	assert_string_equal(b.p, "hardirq");
	evbuf_clear(&b);
	wk.waker_ctx = EV_WAKER_TASK;
	wk.waker_tid = 1235;
	evfmt_who(fmt, EV_WAKEUP, &wk, &b);
	assert_string_equal(b.p, "nginx/1235");
	evbuf_clear(&b);
	wk.tid = 31337;
	wk.is_new = 1;
	expect_detail(EV_WAKEUP, &wk, "wakeup_new ?/31337 target_cpu=1 prio=120");

	struct ev_migrate mg = { .ts = T0, .cpu = 0, .tid = 77, .orig_cpu = 1,
				 .dest_cpu = 3 };
	expect_detail(EV_MIGRATE, &mg, "migrate cpu 1 -> 3");
	evfmt_who(fmt, EV_MIGRATE, &mg, &b);
	assert_string_equal(b.p, "kworker/1:2/77");
	evbuf_free(&b);
	(void)state;
}

static void test_proc_net(void **state)
{
	struct ev_proc pr = { .ts = T0, .kind = EV_PROC_EXEC, .pid = 5, .tid = 5,
			      .comm = "sh", .filename = "/bin/ls",
			      .argv = "ls -l /tmp" };
	expect_detail(EV_PROC, &pr, "exec \"/bin/ls\" argv=\"ls -l /tmp\"");
	pr.kind = EV_PROC_FORK;
	pr.child_pid = 6;
	pr.ppid = 1;
	expect_detail(EV_PROC, &pr, "fork child=6 ppid=1");
	pr.kind = EV_PROC_EXIT;
	pr.exit_code = 0;
	pr.exit_signal = 9;
	expect_detail(EV_PROC, &pr, "exit code=0 signal=SIGKILL");

	struct ev_net n = { .ts = T0, .kind = EV_NET_STATE, .pid = 5, .tid = 5,
			    .family = 2, .sport = 40000, .dport = 80,
			    .old_state = 2, .new_state = 1, .comm = "curl",
			    .saddr = "10.0.0.1", .daddr = "10.0.0.2" };
	expect_detail(EV_NET, &n, "tcp state 10.0.0.1:40000 -> 10.0.0.2:80 "
		      "SYN_SENT -> ESTABLISHED");
	n.kind = EV_NET_SEND;
	n.bytes = 512;
	n.saddr = "::1";
	n.daddr = "fe80::1";
	expect_detail(EV_NET, &n, "tcp send [::1]:40000 -> [fe80::1]:80 "
		      "512 bytes");
	n.kind = EV_NET_RESET_RECV;
	expect_detail(EV_NET, &n, "tcp reset_recv [::1]:40000 -> "
		      "[fe80::1]:80");
	(void)state;
}

/* Cut values: the marker outside the quotes (as strace shows them), the
 * kept bytes exact; an unreadable path shows its pointer, never a bare
 * NULL or an empty string. */
static void test_cut_unreadable(void **state)
{
	struct ev_syscall sc = { .ts = T0, .dur = 5, .pid = 1, .tid = 1,
				 .fd = -1, .comm = "a", .nr = 257 /* openat */ };

	sc.arg[0] = (uint64_t)-100;
	sc.arg[1] = 0x7f0000001000;
	sc.path = "/very/long/pa" EV_TRUNC_MARK;
	sc.path_status = EV_PATH_TRUNCATED;
	sc.ret = 3;
	expect_detail(EV_SYSCALL, &sc, "openat(AT_FDCWD, \"/very/long/pa\"..., "
		      "O_RDONLY) = 3 <5 ns>");
	/* a whole path that happens to end in dots is not cut */
	sc.path = "/dir/a...";
	sc.path_status = EV_PATH_OK;
	expect_detail(EV_SYSCALL, &sc, "openat(AT_FDCWD, \"/dir/a...\", "
		      "O_RDONLY) = 3 <5 ns>");
	sc.path = NULL;
	sc.path_status = EV_PATH_UNREADABLE;
	sc.ret = -14;
	expect_detail(EV_SYSCALL, &sc, "openat(AT_FDCWD, 0x7f0000001000 "
		      "(unreadable), O_RDONLY) = -14 EFAULT <5 ns>");
	/* a call whose path has no place in the argument table */
	sc.nr = 59; /* execve: filename is argument 0 */
	memset(sc.arg, 0, sizeof(sc.arg));
	sc.arg[0] = 0x7f0000002000;
	sc.ret = 0;
	expect_detail(EV_SYSCALL, &sc, "execve(0x7f0000002000 (unreadable), "
		      "NULL, NULL) = 0 <5 ns>");

	struct ev_proc pr = { .ts = T0, .kind = EV_PROC_EXEC, .pid = 5,
			      .tid = 5, .comm = "sh", .filename = "/bin/ls",
			      .argv = "ls -l /tm" EV_TRUNC_MARK,
			      .truncated = EV_PROC_ARGV_TRUNC };
	expect_detail(EV_PROC, &pr, "exec \"/bin/ls\" argv=\"ls -l /tm\"...");
	pr.filename = "/usr/lo" EV_TRUNC_MARK;
	pr.truncated |= EV_PROC_FILENAME_TRUNC;
	expect_detail(EV_PROC, &pr, "exec \"/usr/lo\"... argv=\"ls -l /tm\"...");

	/* the JSON object carries the status and the stored value */
	struct evbuf b = EVBUF_INIT;

	sc.nr = 257;
	sc.path = "/p" EV_TRUNC_MARK;
	sc.path_status = EV_PATH_TRUNCATED;
	assert_int_equal(evfmt_json(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_non_null(strstr(b.p, "\"path\":\"/p...\",\"addr\":null,"
				"\"path_status\":\"truncated\""));
	evbuf_clear(&b);
	assert_int_equal(evfmt_json(fmt, EV_PROC, &pr, &b), 0);
	assert_non_null(strstr(b.p, "\"argv\":\"ls -l /tm...\""));
	assert_non_null(strstr(b.p, "\"truncated\":3"));
	evbuf_free(&b);
	(void)state;
}

static void test_json(void **state)
{
	struct ev_syscall sc = {
		.ts = T0 + 1500, .dur = 10, .cpu = 1, .pid = 9, .tid = 10,
		.nr = 2, .ret = -2, .arg = { 0x10, 0 }, .fd = -1,
		.comm = "a\"b", .path = "/x\x01\xff",
	};
	struct evbuf b = EVBUF_INIT;

	assert_int_equal(evfmt_json(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_string_equal(b.p,
		"{\"ts\":1000001500,\"time\":0.000001500,"
		"\"wall\":\"2023-11-14T22:13:20.000001500Z\",\"event\":\"syscall\","
		"\"dur\":10,\"cpu\":1,\"pid\":9,\"tid\":10,\"comm\":\"a\\\"b\","
		"\"nr\":2,\"name\":\"open\",\"ret\":-2,\"arg0\":16,\"arg1\":0,"
		"\"arg2\":0,\"arg3\":0,\"arg4\":0,\"arg5\":0,\"fd\":-1,"
		"\"path\":\"/x\\u0001\\ufffd\",\"addr\":null,"
		"\"path_status\":null,\"fd_name\":null,\"timeout_ns\":0,"
		"\"timeout_kind\":null,\"errno\":\"ENOENT\","
		"\"text\":\"open(\\\"/x\\\\x01\\\\xff\\\", O_RDONLY) = -2 ENOENT "
		"<10 ns>\"}");
	evbuf_clear(&b);

	/* terminal controls: C1 CSI (c2 9b), ESC and a lone 0x9b escaped
	 * in the text, \u-escaped in JSON */
	sc.path = "/y\xc2\x9b" "2J\x1b[0m\x9b";
	assert_int_equal(evfmt_json(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_non_null(strstr(b.p, "\"path\":\"/y\\u009b2J\\u001b[0m\\ufffd\""));
	assert_non_null(strstr(b.p, "open(\\\"/y\\\\xc2\\\\x9b2J\\\\x1b[0m"
			       "\\\\x9b\\\""));
	assert_null(strstr(b.p, "\xc2\x9b"));
	evbuf_clear(&b);
	assert_int_equal(evfmt_line(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_non_null(strstr(b.p, "open(\"/y\\xc2\\x9b2J\\x1b[0m\\x9b\""));
	assert_null(strstr(b.p, "\xc2\x9b"));
	evbuf_clear(&b);

	struct ev_net n = { .ts = T0, .kind = EV_NET_STATE, .old_state = 0,
			    .new_state = 10, .comm = "srv" };
	evfmt_json(fmt, EV_NET, &n, &b);
	assert_non_null(strstr(b.p, "\"event\":\"net\",\"cpu\":0,\"kind\":\"state\","
				"\"pid\":0"));
	/* an enum 0 without a name is NULL in SQL: null here too */
	assert_non_null(strstr(b.p, "\"old_state\":null,\"new_state\":\"LISTEN\""));
	evbuf_free(&b);
	(void)state;
}

/* An aarch64 trace: its syscall numbers and its open flag bits. */
static void test_arm64(void **state)
{
	struct store_writer_opts wo = { .force = 1 };
	struct ev_syscall sc = { .ts = T0, .comm = "x", .fd = -1 };
	char err[STORE_ERRLEN], p2[64];
	struct store_writer *w;
	struct store *st2;
	struct evfmt *f2;
	struct evbuf b = EVBUF_INIT;
	int fd;

	snprintf(p2, sizeof(p2), "/tmp/test-evfmt-arm.XXXXXX");
	assert_true((fd = mkstemp(p2)) >= 0);
	close(fd);
	w = store_writer_open(p2, &wo, err);
	assert_non_null(w);
	assert_int_equal(store_writer_meta(w, "arch", "aarch64"), 0);
	assert_int_equal(store_writer_append(w, EV_SYSCALL, &sc), 0);
	assert_int_equal(store_writer_close(w, err), 0);
	st2 = store_open(p2, err);
	assert_non_null(st2);
	f2 = evfmt_new(st2, 0);
	assert_non_null(f2);
	sc.nr = 56; /* openat on aarch64 */
	sc.arg[0] = (uint64_t)-100;
	sc.arg[2] = 040000 | 02000000; /* O_DIRECTORY there */
	sc.path = "/tmp";
	sc.ret = 3;
	sc.dur = 1000;
	evfmt_detail(f2, EV_SYSCALL, &sc, &b);
	assert_string_equal(b.p, "openat(AT_FDCWD, \"/tmp\", "
			    "O_RDONLY|O_DIRECTORY|O_CLOEXEC) = 3 <1.00 us>");
	evbuf_free(&b);
	evfmt_free(f2);
	store_close(st2);
	unlink(p2);
	(void)state;
}

/* Extreme ts: ts + offset passes int64's range, the wall time does not
 * (2316, from Python's datetime); a ts past INT64_MAX (negative in the
 * file's ts column) has no wall time, and says so. */
static void test_wall_extremes(void **state)
{
	struct ev_syscall sc = { .ts = INT64_MAX, .dur = 1, .pid = 1, .tid = 1,
				 .nr = 0, .fd = -1, .comm = "a" };
	struct evbuf b = EVBUF_INIT;

	assert_int_equal(evfmt_walltime(fmt, INT64_MAX, &b), 0);
	assert_string_equal(b.p, "22:00:35.854775807");
	evbuf_clear(&b);
	assert_int_equal(evfmt_json(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_non_null(strstr(b.p,
			       "\"wall\":\"2316-02-24T22:00:35.854775807Z\""));
	evbuf_clear(&b);
	assert_int_equal(evfmt_walltime(fmt, UINT64_MAX, &b), 0);
	assert_string_equal(b.p, "??:??:??.?????????");
	evbuf_clear(&b);
	sc.ts = (uint64_t)INT64_MAX + 1;
	assert_int_equal(evfmt_json(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_non_null(strstr(b.p, "\"wall\":null,"));
	/* a cpu wider than its column: every digit, not the last three */
	evbuf_clear(&b);
	sc.ts = T0;
	sc.cpu = UINT32_MAX;
	assert_int_equal(evfmt_line(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_non_null(strstr(b.p, " [4294967295] "));
	evbuf_clear(&b);
	sc.cpu = 7;
	assert_int_equal(evfmt_line(fmt, EV_SYSCALL, &sc, &b), 0);
	assert_non_null(strstr(b.p, " [007] "));
	evbuf_free(&b);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_whole),
		cmocka_unit_test(test_syscalls),
		cmocka_unit_test(test_sched),
		cmocka_unit_test(test_proc_net),
		cmocka_unit_test(test_cut_unreadable),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_arm64),
		cmocka_unit_test(test_wall_extremes),
	};

	return cmocka_run_group_tests_name("evfmt", tests, setup, teardown);
}
