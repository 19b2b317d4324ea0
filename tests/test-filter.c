/*
 * test-filter.c - the filter language (analyze/replay/filter.c) and the filtered
 * event stream (analyze/replay/replay.c).
 *
 * Parsing: valid filters, errors that name the column of the bad token and
 * put the caret under it, quoting of hostile strings.  Semantics: a
 * synthetic trace with planted events is replayed through each filter, and
 * the events that come out must be exactly those a hand-written C
 * predicate picks from an unfiltered walk of the same trace (counts and an
 * order-independent checksum), in ts order; planted events are checked by
 * count.  The same filter run on decoded rows (filter_batch, through the
 * fold driver) must keep exactly those events too.
 */
#include "analyze/fold/fold.h"
#include "analyze/replay/filter.h"
#include "analyze/replay/replay.h"
#include "store/store.h"
#include "tests/synth.h"

#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define PL_PID 90001u
#define PL_TID 90002u
#define T0 (7362ull * 1000000000ull)
#define MS 1000000ull

static char trace_path[64];
static struct store *st;

/* ---- parsing ----------------------------------------------------------- */

static void test_parse_ok(void **state)
{
	static const char *const good[] = {
		"", "   ", "pid = 1", "pid == 1", "PID=1", "comm ~ ng*",
		"dur > 10ms", "dur >= 1.5s", "ret < -1", "fd != 0x10",
		"name = openat and (errno = ENOENT or errno = 13)",
		"not kind = syscall", "!(cpu = 1) && tid > 0 || port = 80",
		"path ~ \"/etc/a b\"", "path = '/x\\'y'", "kind = exec",
		"kind = sched", "kind = net_events", "new_state = established",
		"prev_state = 1", "argv ~ --foo", "addr ~ 10.0.0.1:80",
		"bytes > 1000 and comm = \"nginx\"", "new = 1",
	};
	char err[FILTER_ERRLEN];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct filter *f = filter_parse(good[i], err, sizeof(err));
		if (!f)
			fail_msg("'%s': %s", good[i], err);
		filter_free(f);
	}
	(void)state;
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text;
		unsigned col, carets;
		const char *why;
	} bad[] = {
		{ "foo = 1", 1, 3, "unknown field 'foo'" },
		{ "pid = 1 and bar > 2", 13, 3, "unknown field 'bar'" },
		{ "pid = x", 7, 1, "'x' is not a number" },
		{ "pid ~ 3", 5, 1, "'~' matches text" },
		{ "(pid = 1", 1, 1, "'(' is never closed" },
		{ "pid = 1)", 8, 1, "')' without '('" },
		{ "pid = 1 comm = 2", 9, 4, "expected 'and' or 'or'" },
		{ "path = \"abc", 8, 4, "unterminated string" },
		{ "kind = bogus", 8, 5, "unknown kind 'bogus'" },
		{ "kind > syscall", 6, 1, "'kind' takes only = and !=" },
		{ "and", 1, 3, "expected a field" },
		{ "pid", 4, 1, "expected an operator" },
		{ "pid =", 6, 1, "expected a value" },
		{ "pid = 1 and", 12, 1, "expected a field" },
		{ "errno = EBOGUS", 9, 6, "unknown errno 'EBOGUS'" },
		{ "new_state = OPEN", 13, 4, "'OPEN' is not a value of new_state" },
		{ "dur > 1.5", 7, 3, "'1.5' is not a number" },
		{ "new_state > 1", 11, 1, "'new_state' is a name" },
		{ "old_state = 99", 13, 2, "'99' is not a value of old_state" },
		{ "pid = 1 & cpu = 2", 9, 1, "unexpected '&'" },
	};
	char err[FILTER_ERRLEN], want[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct filter *f = filter_parse(bad[i].text, err, sizeof(err));
		if (f)
			fail_msg("'%s' parsed", bad[i].text);
		snprintf(want, sizeof(want), "bad filter at column %u: ",
			 bad[i].col);
		if (strncmp(err, want, strlen(want)) || !strstr(err, bad[i].why))
			fail_msg("'%s': got '%s'", bad[i].text, err);
		/* line 2 is the text, line 3 the carets under the token */
		char *l2 = strchr(err, '\n'), *l3 = l2 ? strchr(l2 + 1, '\n') : NULL;
		assert_non_null(l3);
		assert_int_equal(l3 - l2 - 3, strlen(bad[i].text));
		assert_memory_equal(l2 + 3, bad[i].text, strlen(bad[i].text));
		size_t sp = strspn(l3 + 1, " ");
		assert_int_equal(sp, 2 + bad[i].col - 1);
		assert_int_equal(strspn(l3 + 1 + sp, "^"), bad[i].carets);
		assert_int_equal(l3[1 + sp + bad[i].carets], '\0');
	}
	/* deep nesting is an error, not a stack overflow */
	static char deep[100000];
	for (size_t i = 0; i < 40000; i++)
		deep[i] = '(';
	strcpy(deep + 40000, "pid = 1");
	assert_null(filter_parse(deep, err, sizeof(err)));
	assert_non_null(strstr(err, "bad filter at column 201: nested more "
			       "than 200 deep"));
	for (size_t i = 0; i < 40000; i++)
		memcpy(deep + i * 2, "! ", 2);
	strcpy(deep + 80000, "pid = 1");
	assert_null(filter_parse(deep, err, sizeof(err)));
	/* 200 levels are fine */
	memset(deep, 0, sizeof(deep));
	for (size_t i = 0; i < 200; i++)
		deep[i] = '(';
	strcat(deep, "pid = 1");
	for (size_t i = 0; i < 200; i++)
		strcat(deep, ")");
	struct filter *ok = filter_parse(deep, err, sizeof(err));
	if (!ok)
		fail_msg("%s", err);
	filter_free(ok);

	/* a tiny buffer is cut, never overrun */
	char small[8];
	memset(small, 'x', sizeof(small));
	assert_null(filter_parse("nope = 1", small, sizeof(small)));
	assert_int_equal(small[7], '\0');
	(void)state;
}

static char *sql_for(const char *text, enum ev_kind kind)
{
	char err[FILTER_ERRLEN];
	struct filter *f = filter_parse(text, err, sizeof(err));
	sqlite3_str *s = sqlite3_str_new(NULL);

	if (!f)
		fail_msg("%s", err);
	assert_int_equal(filter_sql(f, ev_desc(kind), s), 0);
	filter_free(f);
	return sqlite3_str_finish(s);
}

static void expect_sql(const char *text, enum ev_kind kind, const char *want)
{
	char *got = sql_for(text, kind);

	if (strcmp(got, want))
		fail_msg("'%s' on %s: got '%s', want '%s'", text,
			 ev_desc(kind)->table, got, want);
	sqlite3_free(got);
}

static void test_sql_text(void **state)
{
	expect_sql("", EV_NET, "1");
	expect_sql("path ~ /etc", EV_SYSCALL,
		   "coalesce(instr(\"path\", '/etc') > 0, 0)");
	expect_sql("path ~ /etc", EV_SWITCH, "0");
	expect_sql("path != /etc", EV_PROC, "0");
	expect_sql("not path ~ /etc", EV_PROC, "1");
	expect_sql("comm ~ \"ng*\"", EV_SWITCH,
		   "coalesce((\"prev_comm\" GLOB 'ng*' OR \"next_comm\" GLOB "
		   "'ng*'), 0)");
	expect_sql("kind = exec", EV_PROC, "coalesce(\"kind\" = 'exec', 0)");
	expect_sql("kind = exec", EV_NET, "0");
	expect_sql("kind != exec", EV_NET, "1");
	expect_sql("kind = syscall or dur > 10ms", EV_SYSCALL, "1");
	expect_sql("kind = syscall and dur > 10ms", EV_SYSCALL,
		   "coalesce(\"dur\" > 10000000, 0)");
	expect_sql("errno = ENOENT", EV_SYSCALL, "(\"ret\" = -2)");
	/* no call fails with errno 0 or below: not ret = 1, not -INT64_MIN */
	expect_sql("errno = -1", EV_SYSCALL, "0");
	expect_sql("errno != -1", EV_SYSCALL, "1");
	expect_sql("errno = 0", EV_SYSCALL, "0");
	expect_sql("errno = -9223372036854775808", EV_SYSCALL, "0");
	expect_sql("port != 80", EV_NET,
		   "NOT coalesce((\"sport\" = 80 OR \"dport\" = 80), 0)");
	expect_sql("new_state = established", EV_NET,
		   "coalesce(\"new_state\" = 'ESTABLISHED', 0)");
	expect_sql("new_state = 1", EV_NET,
		   "coalesce(\"new_state\" = 'ESTABLISHED', 0)");
	expect_sql("pid = 7", EV_WAKEUP, "coalesce(\"tid\" IN (SELECT tid "
		   "FROM threads WHERE pid = 7), 0)");
	/* the kinds of the why data, from the declaration */
	expect_sql("kind = signal", EV_SIGNAL, "1");
	expect_sql("kind = signal", EV_SYSCALL, "0");
	expect_sql("kind = oom_kill", EV_SIGNAL,
		   "coalesce(\"kind\" = 'oom_kill', 0)");
	expect_sql("kind = oom_kill", EV_PROC, "0");
	expect_sql("pid = 7", EV_SIGNAL, "coalesce((\"sender_pid\" = 7 OR "
		   "\"target_pid\" = 7), 0)");
	expect_sql("kind = block and bytes > 4096", EV_BLOCK_IO,
		   "coalesce(\"bytes\" > 4096, 0)");
	expect_sql("kind = write", EV_BLOCK_IO,
		   "coalesce(\"op\" = 'write', 0)");
	expect_sql("pid = 7", EV_STACK, "coalesce(\"tid\" IN (SELECT tid "
		   "FROM threads WHERE pid = 7), 0)");
	/* hostile text stays one quoted literal */
	expect_sql("comm = \"x'); DROP TABLE meta; --\"", EV_SYSCALL,
		   "coalesce(\"comm\" = 'x''); DROP TABLE meta; --', 0)");

	char err[FILTER_ERRLEN];
	struct filter *f = filter_parse("path ~ x or port = 1", err,
					sizeof(err));
	assert_non_null(f);
	assert_int_equal(filter_kinds(f), 1u << EV_SYSCALL | 1u << EV_NET);
	assert_string_equal(filter_text(f), "path ~ x or port = 1");
	filter_free(f);
	(void)state;
}

/* ---- semantics on a trace -------------------------------------------- */

static const struct ev_syscall pl_open = {
	.ts = T0 + 10 * MS, .dur = 25 * MS, .cpu = 1, .pid = PL_PID,
	.tid = PL_TID, .nr = 257, .ret = -2, .arg = { (uint64_t)-100, 0, 0 },
	.fd = -1, .comm = "planted", .path = "/etc/planted.conf",
};
static const struct ev_syscall pl_connect = {
	.ts = T0 + 11 * MS, .dur = 3 * MS, .cpu = 1, .pid = PL_PID,
	.tid = PL_TID, .nr = 42, .ret = -111, .arg = { 5 }, .fd = 5,
	.comm = "planted", .addr = "10.9.9.9:5432",
};
static const struct ev_net pl_net = {
	.ts = T0 + 12 * MS, .cpu = 1, .kind = EV_NET_STATE, .pid = PL_PID,
	.tid = PL_TID, .family = 2, .sport = 40000, .dport = 5432,
	.old_state = 2, .new_state = 1, .comm = "planted",
	.saddr = "10.0.0.1", .daddr = "10.9.9.9",
};
static const struct ev_proc pl_exec = {
	.ts = T0 + 13 * MS, .cpu = 0, .kind = EV_PROC_EXEC, .pid = PL_PID,
	.tid = PL_TID, .ppid = 1, .comm = "planted",
	.filename = "/usr/bin/planted", .argv = "planted --now",
};
static const struct ev_switch pl_switch = {
	.ts = T0 + 14 * MS, .cpu = 1, .prev_tid = PL_TID, .prev_state = 1,
	.prev_prio = 120, .next_tid = 0, .next_prio = 120,
	.prev_comm = "planted", .next_comm = "swapper/1",
};
static const struct ev_wakeup pl_wakeup = {
	.ts = T0 + 15 * MS, .cpu = 0, .tid = PL_TID, .waker_tid = 1,
	.target_cpu = 1, .prio = 120,
};

static int setup(void **state)
{
	static const struct synth_plant plant[] = {
		{ EV_SYSCALL, &pl_open }, { EV_SYSCALL, &pl_connect },
		{ EV_NET, &pl_net }, { EV_PROC, &pl_exec },
		{ EV_SWITCH, &pl_switch }, { EV_WAKEUP, &pl_wakeup },
	};
	struct synth_opts o = SYNTH_OPTS_INIT;
	struct store_writer_opts wo = { .force = 1, .chunk_events = 4096 };
	char err[STORE_ERRLEN];
	struct store_writer *w;
	struct synth *s;
	enum ev_kind kind;
	const void *ev;
	int fd;

	snprintf(trace_path, sizeof(trace_path), "/tmp/test-filter.XXXXXX");
	fd = mkstemp(trace_path);
	if (fd < 0)
		return -1;
	close(fd);
	o.syscalls = 30000;
	o.ts_start = T0;
	o.plant = plant;
	o.nplant = sizeof(plant) / sizeof(plant[0]);
	s = synth_new(&o);
	w = s ? store_writer_open(trace_path, &wo, err) : NULL;
	if (!w)
		return -1;
	while (synth_next(s, &kind, &ev) > 0)
		if (store_writer_append(w, kind, ev) < 0)
			return -1;
	if (synth_write_meta(s, w) < 0 || synth_write_tables(s, w) < 0 ||
	    store_writer_thread(w, PL_TID, PL_PID, "planted", T0) < 0)
		return -1;
	if (store_writer_close(w, err) < 0)
		return -1;
	synth_free(s);
	st = store_open(trace_path, err);
	return st ? 0 : -1;
}

static int teardown(void **state)
{
	store_close(st);
	unlink(trace_path);
	return 0;
}

typedef int pred_fn(enum ev_kind kind, const void *ev);

static uint64_t ev_hash(enum ev_kind kind, const void *ev)
{
	uint64_t h = ev_ts(ev) * 0x9e3779b97f4a7c15ull + kind;
	h ^= h >> 29;
	return h * 0xbf58476d1ce4e5b9ull;
}

static int has(const char *s, const char *sub)
{
	return s && strstr(s, sub);
}

static const char *sysname(const void *ev)
{
	const char *n = store_syscall_name(st, ((const struct ev_syscall *)ev)->nr);
	return n ? n : "";
}

#define SC ((const struct ev_syscall *)ev)
#define SW ((const struct ev_switch *)ev)
#define WK ((const struct ev_wakeup *)ev)
#define NT ((const struct ev_net *)ev)
#define PR ((const struct ev_proc *)ev)

static int p_enoent(enum ev_kind k, const void *ev)
{
	return k == EV_SYSCALL && SC->ret == -2;
}
static int p_ret1(enum ev_kind k, const void *ev)
{
	return k == EV_SYSCALL && SC->ret == 1;
}
static int p_nothing(enum ev_kind k, const void *ev)
{
	return 0;
}
static int p_slow_read(enum ev_kind k, const void *ev)
{
	return k == EV_SYSCALL && SC->dur > 1 * MS && !strcmp(sysname(ev), "read");
}
static int p_path_etc(enum ev_kind k, const void *ev)
{
	return k == EV_SYSCALL && has(SC->path, "/etc");
}
static int p_not_path_etc(enum ev_kind k, const void *ev)
{
	return !p_path_etc(k, ev);
}
static int p_path_glob(enum ev_kind k, const void *ev)
{
	return k == EV_SYSCALL && SC->path && !fnmatch("/etc/*.conf", SC->path, 0);
}
static int p_sched(enum ev_kind k, const void *ev)
{
	return k == EV_SWITCH || k == EV_WAKEUP || k == EV_MIGRATE;
}
static int p_exec_exit(enum ev_kind k, const void *ev)
{
	return k == EV_PROC && (PR->kind == EV_PROC_EXEC || PR->kind == EV_PROC_EXIT);
}
static int p_port(enum ev_kind k, const void *ev)
{
	return k == EV_NET && (NT->sport == 5432 || NT->dport == 5432);
}
static int p_not_port(enum ev_kind k, const void *ev)
{
	return k == EV_NET && !(NT->sport == 5432 || NT->dport == 5432);
}
static int p_comm_post(enum ev_kind k, const void *ev)
{
	switch (k) {
	case EV_SYSCALL: return has(SC->comm, "post");
	case EV_SWITCH: return has(SW->prev_comm, "post") || has(SW->next_comm, "post");
	case EV_PROC: return has(PR->comm, "post");
	case EV_NET: return has(NT->comm, "post");
	default: return 0;
	}
}
static int p_sched_or_post(enum ev_kind k, const void *ev)
{
	return p_sched(k, ev) || p_comm_post(k, ev);
}
static int p_cpu1(enum ev_kind k, const void *ev)
{
	const struct ev_desc *d = ev_desc(k);
	int cpu = (int)ev_get_int(&d->fields[d->cpu], ev);
	return cpu == 1 && (k == EV_SWITCH || (k == EV_SYSCALL && SC->ret < 0));
}
static int p_established(enum ev_kind k, const void *ev)
{
	return k == EV_NET && NT->new_state == 1;
}
static int p_failed_not_eagain(enum ev_kind k, const void *ev)
{
	return k == EV_SYSCALL && SC->ret < 0 && SC->ret != -11;
}
static int p_planted_comm(enum ev_kind k, const void *ev)
{
	switch (k) {
	case EV_SYSCALL: return has(SC->comm, "planted");
	case EV_SWITCH: return has(SW->prev_comm, "planted") || has(SW->next_comm, "planted");
	case EV_PROC: return has(PR->comm, "planted");
	case EV_NET: return has(NT->comm, "planted");
	default: return 0;
	}
}
static int p_planted_pid(enum ev_kind k, const void *ev)
{
	switch (k) {
	case EV_SYSCALL: return SC->pid == PL_PID;
	case EV_SWITCH: return SW->prev_tid == PL_TID || SW->next_tid == PL_TID;
	case EV_WAKEUP: return WK->tid == PL_TID;
	case EV_PROC: return PR->pid == PL_PID || PR->child_pid == PL_PID;
	case EV_NET: return NT->pid == PL_PID;
	default: return 0;
	}
}
static int p_planted_open(enum ev_kind k, const void *ev)
{
	return k == EV_SYSCALL && SC->pid == PL_PID && SC->ret == -2 &&
	       has(SC->path, "/etc/planted.conf") && SC->dur >= 25 * MS;
}
static int p_planted_exec(enum ev_kind k, const void *ev)
{
	return k == EV_PROC && PR->pid == PL_PID && PR->kind == EV_PROC_EXEC &&
	       has(PR->argv, "--now");
}
static int p_everything(enum ev_kind k, const void *ev)
{
	return 1;
}
static int p_addr(enum ev_kind k, const void *ev)
{
	return (k == EV_SYSCALL && has(SC->addr, "10.9.")) ||
	       (k == EV_NET && (has(NT->saddr, "10.9.") || has(NT->daddr, "10.9.")));
}

/* Rows the fold driver keeps: count and a sum over (ts, kind). */
struct kept {
	uint64_t n, h;
};

static int kept_batch(void *arg, const struct store_batch *b,
		      const uint8_t *keep)
{
	struct kept *k = arg;

	for (uint32_t i = 0; i < b->n; i++)
		if (!keep || keep[i]) {
			k->n++;
			k->h += (uint64_t)b->col[0][i] * (b->kind + 1);
		}
	return 0;
}

static struct kept fold_kept(const struct filter *f)
{
	char err[FOLD_ERRLEN];
	struct fold *d = fold_new(st, 0, UINT64_MAX - 1, f, err);
	struct kept k = { 0 };

	if (!d)
		fail_msg("fold_new: %s", err);
	for (int kind = 0; kind < EV_KIND_COUNT; kind++)
		assert_int_equal(fold_add(d, (enum ev_kind)kind, 0, kept_batch,
					  NULL, &k), 0);
	if (fold_run(d) < 0)
		fail_msg("fold: %s", fold_errmsg(d));
	fold_free(d);
	return k;
}

/* Replay TEXT and check its events are exactly PRED's; returns count. */
static uint64_t check_filter(const char *text, pred_fn *pred)
{
	char err[FILTER_ERRLEN];
	struct filter *f = filter_parse(text, err, sizeof(err));
	struct replay *r;
	struct store_cursor *c;
	enum ev_kind kind;
	const void *ev;
	uint64_t n_got = 0, n_want = 0, h_got = 0, h_want = 0, last = 0;
	uint64_t h_ts = 0, n_ev = 0, h_ev = 0;
	const char *arch = store_meta(st, "arch");
	/* filter_event (the recorder's --trigger) has no threads table:
	 * "pid" matches no sched event there */
	int by_event = !strstr(text, "pid");
	struct kept k;
	int rc;

	if (!f)
		fail_msg("%s", err);
	r = replay_open(st, f, EV_KIND_ALL, 0, UINT64_MAX, err, sizeof(err));
	if (!r)
		fail_msg("'%s': %s", text, err);
	while ((rc = replay_next(r, &kind, &ev)) > 0) {
		if (ev_ts(ev) < last)
			fail_msg("'%s': out of order at %llu", text,
				 (unsigned long long)ev_ts(ev));
		last = ev_ts(ev);
		if (!pred(kind, ev))
			fail_msg("'%s': %s event at ts %llu should not match",
				 text, ev_desc(kind)->table,
				 (unsigned long long)ev_ts(ev));
		n_got++;
		h_got += ev_hash(kind, ev);
	}
	if (rc < 0)
		fail_msg("'%s': %s", text, replay_errmsg(r));
	replay_close(r);
	k = fold_kept(f);

	c = store_cursor_open(st, EV_KIND_ALL, 0, UINT64_MAX);
	assert_non_null(c);
	while (store_cursor_next(c, &kind, &ev) > 0) {
		if (pred(kind, ev)) {
			n_want++;
			h_want += ev_hash(kind, ev);
			h_ts += ev_ts(ev) * (kind + 1);
		}
		if (by_event && filter_event(f, kind, ev, arch)) {
			n_ev++;
			h_ev += ev_hash(kind, ev);
		}
	}
	store_cursor_close(c);
	filter_free(f);
	if (by_event && (n_ev != n_want || h_ev != h_want))
		fail_msg("'%s': filter_event matched %llu events, want %llu",
			 text, (unsigned long long)n_ev,
			 (unsigned long long)n_want);
	if (n_got != n_want || h_got != h_want)
		fail_msg("'%s': %llu events, want %llu", text,
			 (unsigned long long)n_got, (unsigned long long)n_want);
	if (k.n != n_want || k.h != h_ts)
		fail_msg("'%s': filter_batch kept %llu rows, want %llu", text,
			 (unsigned long long)k.n, (unsigned long long)n_want);
	return n_got;
}

static void test_semantics(void **state)
{
	assert_true(check_filter("errno = ENOENT", p_enoent) > 1);
	/* calls that returned 1 did not fail with errno -1 */
	assert_true(check_filter("ret = 1", p_ret1) > 0);
	check_filter("errno = -1", p_nothing);
	assert_true(check_filter("dur > 1ms and name = read", p_slow_read) > 0);
	assert_true(check_filter("path ~ /etc", p_path_etc) > 1);
	check_filter("not path ~ /etc", p_not_path_etc);
	assert_true(check_filter("path ~ \"/etc/*.conf\"", p_path_glob) > 0);
	assert_true(check_filter("kind = sched", p_sched) > 100);
	check_filter("kind = exec or kind = exit", p_exec_exit);
	assert_true(check_filter("port = 5432", p_port) > 0);
	assert_true(check_filter("port != 5432", p_not_port) > 0);
	assert_true(check_filter("comm ~ post", p_comm_post) > 0);
	assert_true(check_filter("cpu = 1 and (kind = switch or ret < 0)",
				 p_cpu1) > 0);
	assert_true(check_filter("new_state = ESTABLISHED", p_established) > 0);
	assert_true(check_filter("ret < 0 and not errno = EAGAIN",
				 p_failed_not_eagain) > 0);
	assert_true(check_filter("addr ~ 10.9.", p_addr) >= 2);
	/* whole kinds from the cursor merged with filtered ones from SQL */
	assert_true(check_filter("kind = sched or comm ~ post",
				 p_sched_or_post) > 100);
	/* the SQL plan and the cursor agree on everything */
	check_filter("cpu >= 0 or not cpu >= 0", p_everything);
	check_filter("", p_everything);
	(void)state;
}

static void test_planted(void **state)
{
	/* syscalls 2, switch (prev_comm), proc exec, net state */
	assert_int_equal(check_filter("comm = planted", p_planted_comm), 5);
	/* the same plus the wakeup, whose tid the threads table maps */
	assert_int_equal(check_filter("pid = 90001", p_planted_pid), 6);
	assert_int_equal(check_filter("pid = 90001 and errno = ENOENT and "
				      "path = \"/etc/planted.conf\" and "
				      "dur >= 25ms", p_planted_open), 1);
	assert_int_equal(check_filter("pid = 90001 and kind = exec and argv ~ "
				      "--now", p_planted_exec), 1);
	(void)state;
}

/* A window narrows the SQL plan too. */
static void test_window(void **state)
{
	char err[FILTER_ERRLEN];
	struct filter *f = filter_parse("pid = 90001", err, sizeof(err));
	struct replay *r = replay_open(st, f, EV_KIND_ALL, T0 + 11 * MS,
				       T0 + 13 * MS, err, sizeof(err));
	enum ev_kind kind;
	const void *ev;
	int n = 0;

	assert_non_null(r);
	while (replay_next(r, &kind, &ev) > 0) {
		assert_true(ev_ts(ev) >= T0 + 11 * MS && ev_ts(ev) <= T0 + 13 * MS);
		n++;
	}
	assert_int_equal(n, 3); /* connect, net state, exec */
	replay_close(r);
	filter_free(f);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest parse[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_sql_text),
	};
	const struct CMUnitTest trace[] = {
		cmocka_unit_test(test_semantics),
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_window),
	};
	int rc = cmocka_run_group_tests_name("filter", parse, NULL, NULL);

	return rc | cmocka_run_group_tests_name("filter-trace", trace, setup,
						teardown);
}
