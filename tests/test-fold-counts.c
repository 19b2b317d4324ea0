/*
 * test-fold-counts.c - the count accumulators of analyze/fold/ (sysc,
 * errs, files, tasks, ovw) against the planted events of
 * tests/synth_counts.h, whose figures are known exactly, and against SQL
 * over a synthetic trace with those plants.
 *
 * Each accumulator is fed the way the reports and the TUI feed it:
 * store_scan batches with a KEEP mask or none.  Folding the window in two
 * halves, the later half first, must give what folding it whole gives:
 * the figures are order independent.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyze/analyze.h"
#include "analyze/fold/errs.h"
#include "analyze/fold/files.h"
#include "analyze/fold/fold.h"
#include "analyze/fold/ovw.h"
#include "analyze/fold/sysc.h"
#include "analyze/fold/tasks.h"
#include "tests/synth_counts.h"

static char planted[] = "/tmp/kscope-fold-counts-p-XXXXXX";
static char mixed[] = "/tmp/kscope-fold-counts-m-XXXXXX";
static struct store *sp, *sm;	/* the plants alone; synth + plants */

static int tmp_write(char *path, uint64_t syscalls, struct store **st)
{
	char err[STORE_ERRLEN] = "";
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	close(fd);
	if (synth_counts_write(path, syscalls, err) < 0 ||
	    !(*st = analyze_trace_open(path, err))) {
		fprintf(stderr, "%s: %s\n", path, err);
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return tmp_write(planted, 0, &sp) < 0 ||
	       tmp_write(mixed, 20000, &sm) < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	store_close(sp);
	store_close(sm);
	unlink(planted);
	unlink(mixed);
	(void)state;
	return 0;
}

static int64_t q_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL),
			 SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* ---- feeding ------------------------------------------------------------ */

struct feed {
	fold_batch_fn *fn;
	void *acc;
	int64_t only_tid;	/* >= 0: KEEP the rows of this tid only */
	int tid;		/* its field */
};

static int feed_each(const struct store_batch *b, void *arg)
{
	struct feed *f = arg;
	uint8_t *keep = NULL;
	int rc;

	if (f->only_tid >= 0) {
		keep = calloc(b->n, 1);
		assert_non_null(keep);
		for (uint32_t i = 0; i < b->n; i++)
			keep[i] = b->col[f->tid][i] == f->only_tid;
	}
	rc = f->fn(f->acc, b, keep);
	free(keep);
	return rc;
}

/* Fold KIND's events of ST into ACC: the window whole, or (HALVES) its
 * second half first, then the first. */
static void feed(struct store *st, enum ev_kind kind, uint64_t fields,
		 fold_batch_fn *fn, void *acc, int halves, int64_t only_tid)
{
	struct feed f = { fn, acc, only_tid,
			  kind == EV_SYSCALL ? EVI_SYSCALL_TID : EVI_NET_TID };
	uint64_t mid = 7362ull * 1000000000ull + 5000000;	/* plants' mid */

	if (only_tid >= 0)
		fields |= EVM(f.tid);
	if (!halves) {
		assert_int_equal(store_scan(st, kind, fields, 0, UINT64_MAX,
					    feed_each, &f), 0);
		return;
	}
	assert_int_equal(store_scan(st, kind, fields, mid + 1, UINT64_MAX,
				    feed_each, &f), 0);
	assert_int_equal(store_scan(st, kind, fields, 0, mid, feed_each, &f),
			 0);
}

/* ---- sysc --------------------------------------------------------------- */

static const struct fold_sysc_row *sysc_row(const struct fold_sysc *a,
					    int32_t nr)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].nr == nr)
			return &a->v[i];
	fail_msg("no row for syscall %d", nr);
	return NULL;
}

static void test_sysc_planted(void **state)
{
	for (int halves = 0; halves < 2; halves++) {
		struct fold_sysc a;
		const struct fold_sysc_row *y;

		assert_int_equal(fold_sysc_init(&a, FOLD_SYSC_DURS), 0);
		feed(sp, EV_SYSCALL, FOLD_SYSC_FIELDS, fold_sysc_fn, &a,
		     halves, -1);
		assert_int_equal(a.n, 4);
		assert_int_equal(a.calls, SC_CALLS);
		assert_int_equal(a.errors, SC_ERRORS);
		assert_int_equal(a.unfinished, 1);
		/* read: the running call counts, but has no time */
		y = sysc_row(&a, 0);
		assert_int_equal(y->calls, 4);
		assert_int_equal(y->unfinished, 1);
		assert_int_equal(y->timed, 3);
		assert_int_equal(y->ndurs, 3);
		assert_int_equal(y->total, 6000);
		assert_int_equal(y->max, 3000);
		assert_int_equal(y->errors, 0);
		/* exit_group: a call, neither running nor timed */
		y = sysc_row(&a, 231);
		assert_int_equal(y->calls, 1);
		assert_int_equal(y->unfinished, 0);
		assert_int_equal(y->timed, 0);
		/* openat: two failures, the unreadable path's too */
		y = sysc_row(&a, 257);
		assert_int_equal(y->calls, 3);
		assert_int_equal(y->errors, 2);
		assert_int_equal(y->total, 2100);
		assert_int_equal(y->max, 900);
		assert_int_equal(sysc_row(&a, 4)->ndurs, 1);
		fold_sysc_free(&a);
	}
	(void)state;
}

static void test_sysc_keep(void **state)
{
	struct fold_sysc a;

	assert_int_equal(fold_sysc_init(&a, 0), 0);
	feed(sp, EV_SYSCALL, FOLD_SYSC_FIELDS, fold_sysc_fn, &a, 0,
	     SC_EXIT_TID);
	assert_int_equal(a.n, 1);
	assert_int_equal(a.v[0].nr, 231);
	assert_int_equal(a.calls, 1);
	assert_null(a.v[0].durs);	/* not asked for */
	fold_sysc_free(&a);
	(void)state;
}

/* Against SQL over the synth with plants: per syscall number the calls,
 * the finished failures, the total time and the longest. */
static void test_sysc_sql(void **state)
{
	struct fold_sysc a;
	char sql[256];

	assert_int_equal(fold_sysc_init(&a, 0), 0);
	feed(sm, EV_SYSCALL, FOLD_SYSC_FIELDS, fold_sysc_fn, &a, 1, -1);
	assert_int_equal(a.n, q_int(sm, "SELECT count(DISTINCT nr) FROM "
				    "syscalls"));
	assert_int_equal(a.calls, q_int(sm, "SELECT count(*) FROM syscalls"));
	for (size_t i = 0; i < a.n; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM syscalls "
			 "WHERE nr = %d", a.v[i].nr);
		assert_int_equal(a.v[i].calls, q_int(sm, sql));
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM syscalls "
			 "WHERE nr = %d AND ret BETWEEN -4095 AND -1",
			 a.v[i].nr);
		assert_int_equal(a.v[i].errors, q_int(sm, sql));
		snprintf(sql, sizeof(sql), "SELECT sum(dur) FROM syscalls "
			 "WHERE nr = %d", a.v[i].nr);
		assert_int_equal(a.v[i].total, q_int(sm, sql));
		snprintf(sql, sizeof(sql), "SELECT max(dur) FROM syscalls "
			 "WHERE nr = %d", a.v[i].nr);
		assert_int_equal(a.v[i].max, q_int(sm, sql));
	}
	fold_sysc_free(&a);
	(void)state;
}

/* ---- errs --------------------------------------------------------------- */

static void test_errs_planted(void **state)
{
	for (int halves = 0; halves < 2; halves++) {
		struct fold_errs *a = malloc(sizeof(*a));

		assert_non_null(a);
		assert_int_equal(fold_errs_init(a), 0);
		feed(sp, EV_SYSCALL, FOLD_ERRS_FIELDS, fold_errs_fn, a, halves,
		     -1);
		assert_int_equal(a->total, SC_ERRORS);
		assert_int_equal(a->nk, 2);
		assert_int_equal(a->by_errno[13], 1);
		assert_int_equal(a->by_errno[14], 1);
		for (size_t i = 0; i < a->nk; i++) {
			assert_int_equal(a->k[i].nr, 257);
			assert_int_equal(a->k[i].count, 1);
			assert_int_equal(a->k[i].pids, 1);
			assert_string_equal(a->k[i].ex[0], a->k[i].ret == -13 ?
					    SC_PATH : "(unreadable)");
			assert_null(a->k[i].ex[1]);
		}
		assert_int_equal(a->np, 2);
		assert_int_equal(a->p[0].pid, SC_PID);
		assert_string_equal(a->p[0].comm, "planted-cnt");
		fold_errs_free(a);
		free(a);
	}
	(void)state;
}

static void test_errs_sql(void **state)
{
	struct fold_errs *a = malloc(sizeof(*a));
	char sql[256];

	assert_non_null(a);
	assert_int_equal(fold_errs_init(a), 0);
	feed(sm, EV_SYSCALL, FOLD_ERRS_FIELDS, fold_errs_fn, a, 1, -1);
	assert_int_equal(a->total, q_int(sm, "SELECT count(*) FROM syscalls"
					 " WHERE ret BETWEEN -4095 AND -1"));
	for (size_t i = 0; i < a->nk; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM syscalls "
			 "WHERE nr = %d AND ret = %lld", a->k[i].nr,
			 (long long)a->k[i].ret);
		assert_int_equal(a->k[i].count, q_int(sm, sql));
		snprintf(sql, sizeof(sql), "SELECT count(DISTINCT pid) FROM "
			 "syscalls WHERE nr = %d AND ret = %lld", a->k[i].nr,
			 (long long)a->k[i].ret);
		assert_int_equal(a->k[i].pids, q_int(sm, sql));
	}
	fold_errs_free(a);
	free(a);
	(void)state;
}

/* ---- files -------------------------------------------------------------- */

static const struct fold_files_path *path_of(const struct fold_files *a,
					     const char *s)
{
	for (size_t i = 0; i < a->paths.n; i++)
		if (!strcmp(a->paths.s[i], s))
			return &a->pv[i];
	fail_msg("no path %s", s);
	return NULL;
}

static void test_files_planted(void **state)
{
	for (int halves = 0; halves < 2; halves++) {
		struct fold_files a;
		const struct fold_files_path *p;

		assert_int_equal(fold_files_init(&a, sp), 0);
		feed(sp, EV_SYSCALL, FOLD_FILES_FIELDS, fold_files_fn, &a,
		     halves, -1);
		assert_int_equal(a.paths.n, 2);
		assert_int_equal(a.nnamed, 2);
		/* openat twice and a stat */
		p = path_of(&a, SC_PATH);
		assert_int_equal(p->calls, 3);
		assert_int_equal(p->errors, 1);
		assert_int_equal(p->time, 1300);
		assert_int_equal(p->opens, 2);
		assert_int_equal(p->failed, 1);
		assert_int_equal(p->last_err, -13);
		/* a path that could not be read is named so, not dropped */
		p = path_of(&a, "(unreadable)");
		assert_int_equal(p->calls, 1);
		assert_int_equal(p->errors, 1);
		assert_int_equal(p->time, 900);
		assert_int_equal(a.opens, 3);
		assert_int_equal(a.failed, 2);
		assert_int_equal(a.nfails, 2);
		assert_int_equal(a.nprocs, 1);
		assert_int_equal(a.procs[0].opens, 3);
		assert_int_equal(a.procs[0].reads, 3);
		assert_int_equal(a.procs[0].rbytes, 30);
		fold_files_free(&a);
	}
	(void)state;
}

static void test_files_sql(void **state)
{
	struct fold_files a;
	char sql[512];

	assert_int_equal(fold_files_init(&a, sm), 0);
	feed(sm, EV_SYSCALL, FOLD_FILES_FIELDS, fold_files_fn, &a, 1, -1);
	assert_int_equal(a.nnamed, q_int(sm, "SELECT count(DISTINCT path) "
					 "FROM syscalls") + 1);
	for (size_t j = 0; j < a.nnamed; j++) {
		const char *s = a.paths.s[a.named[j]];
		const struct fold_files_path *p = &a.pv[a.named[j]];
		char *q;

		if (!strcmp(s, "(unreadable)"))
			continue;
		q = sqlite3_mprintf("SELECT count(*) || ',' || sum(ret BETWEEN"
				    " -4095 AND -1) || ',' || sum(dur) FROM "
				    "syscalls WHERE path = %Q", s);
		snprintf(sql, sizeof(sql), "%llu,%llu,%llu",
			 (unsigned long long)p->calls,
			 (unsigned long long)p->errors,
			 (unsigned long long)p->time);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(store_db(sm), q, -1, &st,
						    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
				    sql);
		sqlite3_finalize(st);
		sqlite3_free(q);
	}
	fold_files_free(&a);
	(void)state;
}

/* ---- tasks -------------------------------------------------------------- */

static void test_tasks_planted(void **state)
{
	for (int halves = 0; halves < 2; halves++) {
		struct fold_tasks a;
		const struct fold_task *t;

		assert_int_equal(fold_tasks_init(&a, FOLD_TASKS_THREADS), 0);
		feed(sp, EV_NET, FOLD_TASKS_THREADS_NET_FIELDS, fold_tasks_fn,
		     &a, halves, -1);
		feed(sp, EV_SYSCALL, FOLD_TASKS_THREADS_FIELDS, fold_tasks_fn,
		     &a, halves, -1);
		assert_int_equal(a.procs.n, 1);
		t = fold_tasks_find(&a.procs, SC_PID);
		assert_non_null(t);
		assert_int_equal(t->syscalls, SC_CALLS);
		assert_int_equal(t->errors, SC_ERRORS);
		assert_int_equal(t->sys_ns, SC_SYS_NS);
		assert_int_equal(t->net_bytes, SC_NET_BYTES);
		assert_int_equal(a.threads.n, 2);
		t = fold_tasks_find(&a.threads, SC_EXIT_TID);
		assert_non_null(t);
		assert_int_equal(t->pid, SC_PID);
		assert_int_equal(t->syscalls, 1);
		assert_int_equal(t->sys_ns, 0);
		t = fold_tasks_find(&a.threads, SC_TID);
		assert_int_equal(t->syscalls, SC_CALLS - 1);
		assert_int_equal(t->net_bytes, SC_NET_BYTES);
		fold_tasks_free(&a);
	}
	(void)state;
}

static void test_tasks_sql(void **state)
{
	struct fold_tasks a;
	char sql[256];

	assert_int_equal(fold_tasks_init(&a, 0), 0);
	feed(sm, EV_SYSCALL, FOLD_TASKS_FIELDS, fold_tasks_fn, &a, 1, -1);
	feed(sm, EV_NET, FOLD_TASKS_NET_FIELDS, fold_tasks_fn, &a, 1, -1);
	assert_int_equal(a.threads.n, 0);	/* not asked for */
	for (size_t i = 0; i < a.procs.n; i++) {
		const struct fold_task *t = &a.procs.v[i];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM syscalls "
			 "WHERE pid = %u", t->id);
		assert_int_equal(t->syscalls, q_int(sm, sql));
		snprintf(sql, sizeof(sql), "SELECT coalesce(sum(dur), 0) FROM"
			 " syscalls WHERE pid = %u", t->id);
		assert_int_equal(t->sys_ns, q_int(sm, sql));
		snprintf(sql, sizeof(sql), "SELECT coalesce(sum(bytes), 0) "
			 "FROM net_events WHERE pid = %u AND kind IN ('send',"
			 " 'recv') AND bytes > 0", t->id);
		assert_int_equal(t->net_bytes, q_int(sm, sql));
	}
	fold_tasks_free(&a);
	(void)state;
}

/* ---- ovw ---------------------------------------------------------------- */

static void test_ovw(void **state)
{
	for (int halves = 0; halves < 2; halves++) {
		struct fold_ovw a;

		assert_int_equal(fold_ovw_init(&a), 0);
		for (int k = 0; k < EV_KIND_COUNT; k++)
			feed(sm, k, FOLD_OVW_FIELDS(k), fold_ovw_fn, &a,
			     halves, -1);
		for (int k = 0; k < EV_KIND_COUNT; k++) {
			char sql[128];
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s",
				 ev_desc(k)->table);
			assert_int_equal(a.events[k], q_int(sm, sql));
		}
		assert_int_equal(a.errors, q_int(sm, "SELECT count(*) FROM "
						 "syscalls WHERE ret BETWEEN "
						 "-4095 AND -1"));
		assert_int_equal(fold_ovw_lost(&a, sm, 0, INT64_MAX), 0);
		assert_int_equal(a.lost, q_int(sm, "SELECT coalesce(sum(count),"
					       " 0) FROM lost"));
		fold_ovw_free(&a);
	}
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysc_planted),
		cmocka_unit_test(test_sysc_keep),
		cmocka_unit_test(test_sysc_sql),
		cmocka_unit_test(test_errs_planted),
		cmocka_unit_test(test_errs_sql),
		cmocka_unit_test(test_files_planted),
		cmocka_unit_test(test_files_sql),
		cmocka_unit_test(test_tasks_planted),
		cmocka_unit_test(test_tasks_sql),
		cmocka_unit_test(test_ovw),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
