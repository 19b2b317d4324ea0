/*
 * test-synth.c - the synthetic trace generator (tests/synth.c): same seed,
 * same events; ts order; the shapes tests and benches count on; planting;
 * a written file the reader accepts.
 *
 *     make check TESTS=tests/test-synth
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "store/store.h"
#include "store/systab.h"
#include "tests/synth.h"

#define N 200000

static int str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Field-by-field equality through the descriptor table. */
static int ev_equal(enum ev_kind kind, const void *a, const void *b)
{
	const struct ev_desc *d = ev_desc(kind);

	for (unsigned i = 0; i < d->nfields; i++) {
		const struct ev_field *f = &d->fields[i];
		if (f->flags & EVF_DERIVED)
			continue;
		if (f->type == EVT_STR) {
			if (!str_eq(ev_get_str(f, a), ev_get_str(f, b)))
				return 0;
		} else if (ev_get_int(f, a) != ev_get_int(f, b)) {
			return 0;
		}
	}
	return 1;
}

static void test_same_seed_same_events(void **state)
{
	struct synth_opts o = SYNTH_OPTS_INIT;
	o.syscalls = 50000;
	o.seed = 42;
	struct synth *a = synth_new(&o), *b = synth_new(&o);
	enum ev_kind ka, kb;
	const void *ea, *eb;
	uint64_t n = 0;
	int ra, rb;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	while ((ra = synth_next(a, &ka, &ea)) > 0) {
		rb = synth_next(b, &kb, &eb);
		assert_int_equal(rb, 1);
		assert_int_equal(ka, kb);
		assert_true(ev_equal(ka, ea, eb));
		n++;
	}
	assert_int_equal(ra, 0);
	assert_int_equal(synth_next(b, &kb, &eb), 0);
	assert_true(n > o.syscalls);
	synth_free(a);
	synth_free(b);

	/* another seed gives other events */
	o.seed = 43;
	a = synth_new(&o);
	o.seed = 42;
	b = synth_new(&o);
	int differ = 0;
	for (int i = 0; i < 100 && !differ; i++) {
		assert_int_equal(synth_next(a, &ka, &ea), 1);
		assert_int_equal(synth_next(b, &kb, &eb), 1);
		differ = ka != kb || !ev_equal(ka, ea, eb);
	}
	assert_true(differ);
	synth_free(a);
	synth_free(b);
}

struct shape {
	uint64_t count[EV_KIND_COUNT];
	uint64_t openat_enoent, openat, connrefused, eagain, unnamed;
	uint64_t fork, exec, exit, syn_est, resets, retransmits, sends;
	uint64_t bad_cpu, order_breaks, blocked_switch;
};

static void shape_of(const struct synth_opts *o, struct shape *sh)
{
	struct synth *s = synth_new(o);
	enum ev_kind k;
	const void *ev;
	uint64_t last = 0;

	assert_non_null(s);
	memset(sh, 0, sizeof(*sh));
	int nr_openat = systab_nr("x86_64", "openat");
	int nr_connect = systab_nr("x86_64", "connect");
	unsigned cpus = synth_info(s)->cpus;
	assert_true(cpus >= 2 && cpus <= 8);
	while (synth_next(s, &k, &ev) > 0) {
		uint64_t ts = ev_ts(ev);
		sh->order_breaks += ts < last;
		last = ts;
		sh->count[k]++;
		switch (k) {
		case EV_SYSCALL: {
			const struct ev_syscall *e = ev;
			sh->bad_cpu += e->cpu >= cpus;
			sh->unnamed += systab_name("x86_64", e->nr) == NULL;
			if (e->nr == nr_openat) {
				sh->openat++;
				if (e->ret == -2 && e->path && e->path[0] == '/')
					sh->openat_enoent++;
			}
			if (e->nr == nr_connect && e->ret == -111 && e->addr)
				sh->connrefused++;
			sh->eagain += e->ret == -11;
			break;
		}
		case EV_SWITCH: {
			const struct ev_switch *e = ev;
			sh->bad_cpu += e->cpu >= cpus;
			sh->blocked_switch += e->prev_state == 1;
			break;
		}
		case EV_PROC: {
			const struct ev_proc *e = ev;
			sh->fork += e->kind == EV_PROC_FORK && e->child_pid;
			sh->exec += e->kind == EV_PROC_EXEC && e->filename &&
				    e->argv;
			sh->exit += e->kind == EV_PROC_EXIT;
			break;
		}
		case EV_NET: {
			const struct ev_net *e = ev;
			sh->syn_est += e->kind == EV_NET_STATE &&
				       e->old_state == 2 && e->new_state == 1;
			sh->resets += e->kind == EV_NET_RESET_RECV ||
				      e->kind == EV_NET_RESET_SENT;
			sh->retransmits += e->kind == EV_NET_RETRANSMIT;
			sh->sends += e->kind == EV_NET_SEND && e->bytes > 0;
			break;
		}
		default:
			break;
		}
	}
	const struct synth_info *in = synth_info(s);
	for (int i = 0; i < EV_KIND_COUNT; i++)
		assert_int_equal(in->events[i], sh->count[i]);
	synth_free(s);
}

static void test_shapes(void **state)
{
	struct synth_opts o = SYNTH_OPTS_INIT;
	struct shape sh;

	(void)state;
	o.syscalls = N;
	o.seed = 7;
	shape_of(&o, &sh);
	assert_int_equal(sh.order_breaks, 0);
	assert_int_equal(sh.count[EV_SYSCALL], N); /* exactly N */
	assert_int_equal(sh.bad_cpu, 0);
	assert_int_equal(sh.unnamed, 0);
	/* the other kinds in proportion */
	assert_true(sh.count[EV_SWITCH] > N / 10);
	assert_true(sh.count[EV_WAKEUP] > N / 20);
	assert_true(sh.count[EV_MIGRATE] > 0);
	assert_true(sh.count[EV_NET] > N / 100);
	assert_true(sh.count[EV_PROC] > 0);
	/* errors a troubleshooter looks for */
	assert_true(sh.openat_enoent > sh.openat / 20);
	assert_true(sh.openat_enoent < sh.openat / 2);
	assert_true(sh.connrefused > 0);
	assert_true(sh.eagain > N / 100);
	assert_true(sh.blocked_switch > 0);
	assert_true(sh.fork > 0 && sh.exec > 0 && sh.exit > 0);
	assert_true(sh.syn_est > 0 && sh.sends > 0);
	assert_true(sh.resets > 0);
}

static void test_kinds_filter_keeps_syscalls(void **state)
{
	struct synth_opts o = SYNTH_OPTS_INIT;
	o.syscalls = 20000;
	struct synth *all = synth_new(&o);
	o.kinds = 1u << EV_SYSCALL;
	struct synth *only = synth_new(&o);
	enum ev_kind k, k2;
	const void *ev, *ev2;
	uint64_t n = 0;

	(void)state;
	while (synth_next(all, &k, &ev) > 0) {
		if (k != EV_SYSCALL)
			continue;
		assert_int_equal(synth_next(only, &k2, &ev2), 1);
		assert_int_equal(k2, EV_SYSCALL);
		assert_true(ev_equal(EV_SYSCALL, ev, ev2));
		n++;
	}
	assert_int_equal(synth_next(only, &k2, &ev2), 0);
	assert_int_equal(n, o.syscalls);
	synth_free(all);
	synth_free(only);
}

static void test_planted_events(void **state)
{
	struct synth_opts o = SYNTH_OPTS_INIT;
	o.syscalls = 20000;
	o.ts_start = 5000000000ULL;
	struct ev_syscall sc = {
		.ts = o.ts_start + 1000, .dur = 7777777, .pid = 4242,
		.tid = 4242, .nr = 257, .ret = -13, .fd = -1,
		.comm = "planted", .path = "/secret/planted.txt",
	};
	struct ev_net net = {
		.ts = o.ts_start + 20 * 1000000ULL, .kind = EV_NET_RESET_RECV,
		.pid = 4242, .tid = 4242, .family = 2, .comm = "planted",
		.saddr = "10.9.9.9", .daddr = "10.8.8.8", .dport = 5432,
	};
	struct ev_proc pr = {
		.ts = o.ts_start + 30 * 1000000ULL, .kind = EV_PROC_EXIT,
		.pid = 4242, .tid = 4242, .exit_code = 3, .comm = "planted",
	};
	const struct synth_plant plant[] = {
		{ EV_SYSCALL, &sc }, { EV_NET, &net }, { EV_PROC, &pr },
	};
	o.plant = plant;
	o.nplant = 3;
	struct synth *s = synth_new(&o);
	enum ev_kind k;
	const void *ev;
	uint64_t last = 0;
	unsigned seen = 0;

	(void)state;
	assert_non_null(s);
	while (synth_next(s, &k, &ev) > 0) {
		assert_true(ev_ts(ev) >= last);
		last = ev_ts(ev);
		for (unsigned i = 0; i < 3; i++) {
			if (ev != plant[i].ev)
				continue;
			assert_int_equal(k, plant[i].kind);
			assert_int_equal(seen, i); /* once, in order */
			seen++;
		}
	}
	assert_int_equal(seen, 3);
	/* planted syscalls count in the stream, not against -n */
	assert_int_equal(synth_info(s)->events[EV_SYSCALL], o.syscalls + 1);
	synth_free(s);
}

static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_write_file(void **state)
{
	char path[] = "/tmp/kscope-test-synth-XXXXXX";
	char err[STORE_ERRLEN] = "";
	struct synth_info info;
	struct synth_opts o = SYNTH_OPTS_INIT;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	o.syscalls = 30000;
	o.info = &info;
	o.errbuf = err;
	int rc = synth_write(path, &o);
	if (rc < 0)
		fail_msg("synth_write: %s", err);

	struct store *st = store_open(path, err);
	if (!st)
		fail_msg("store_open: %s", err);
	sqlite3 *db = store_db(st);
	assert_string_equal(store_meta(st, "arch"), "x86_64");
	assert_non_null(store_meta(st, "host"));
	assert_non_null(store_meta(st, "clock_offset_ns"));
	assert_int_equal(atoi(store_meta(st, "cpus")), info.cpus);
	assert_int_equal(strtoull(store_meta(st, "start_ts"), NULL, 10),
			 info.ts_first);
	assert_int_equal(query_int(db, "SELECT count(*) FROM syscalls"),
			 o.syscalls);
	assert_int_equal(query_int(db, "SELECT count(*) FROM net_events"),
			 info.events[EV_NET]);
	assert_int_equal(query_int(db, "SELECT count(*) FROM processes"),
			 info.processes);
	assert_true(info.processes >= 200 && info.processes <= 2000);
	/* every event's process and thread is in the tables */
	assert_int_equal(query_int(db, "SELECT count(*) FROM syscalls WHERE "
				   "pid NOT IN (SELECT pid FROM processes)"),
			 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM syscalls WHERE "
				   "tid NOT IN (SELECT tid FROM threads)"),
			 0);
	/* a process tree: everything but pid 1 and 2 has a known parent */
	assert_int_equal(query_int(db, "SELECT count(*) FROM processes WHERE "
				   "pid > 2 AND ppid NOT IN "
				   "(SELECT pid FROM processes)"),
			 0);
	assert_true(query_int(db, "SELECT count(*) FROM syscalls WHERE "
			      "name = 'openat' AND ret = -2") > 0);
	store_close(st);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_events),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_kinds_filter_keeps_syscalls),
		cmocka_unit_test(test_planted_events),
		cmocka_unit_test(test_write_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
