/*
 * test-report-cpu.c - the scheduler reports (cpu, offcpu, runqlat) on a
 * trace that sees only some tasks whole, as a `-- CMD` recording does.
 *
 * The trace is written by hand, with the options of a `-- make` recording
 * in meta, and again with `-a` in the options (everything traced).  Times
 * in ms after T0 (T0 is 25 ms before a second's end, so that the sched
 * hole of the lost row below ends inside the trace, at 25 ms):
 *
 *   cpu0  10 idle->make   30 make->rcu (preempted)   50 rcu->make
 *         55 make->sed (sleeps)   85 make woken   90 sed->make
 *         95 make->idle (sleeps)
 *   cpu1   2 idle->cc1   12 cc1->idle (sleeps)   30 idle->cc1   [40 cc1's
 *         process exits]   45 cc1->as (dead)   60 as->idle
 *   cpu2   5 ld woken   10 idle->ld   80 ld->idle; a lost sched row on
 *         cpu2 makes a hole until 25 ms
 *
 * rcu (900) and sed (901) are not traced: the recording saw them only on
 * the switches that involve make.  Expected (traced tasks):
 *
 *   make 20 + 5 + 5 = 30 ms on CPU, exact; off CPU 20 preempted + 35
 *        sleeping, and from 95 ms on (the last switch) unknown
 *   cc1  10 + 10 = 20 ms, partial: after its process's exit (40 ms) the
 *        trace does not know when it stopped (it says 45 ms only because
 *        as is traced); its sleep from 12 to 30 ms crosses the hole (its
 *        switch-in may be lost on any CPU): none of it known
 *   as   15 ms;  ld  55 ms (80 - 25), partial (the hole)
 *   rcu, sed: no time at all; one row "other tasks (not traced)", 2
 *        threads, no time, partial
 *   runqlat: make's 5 ms wait; ld's wait is in the hole and left out
 *
 * With -a everything is traced and rcu has its 30 ms.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyze/analyze.h"
#include "analyze/report.h"
#include "analyze/traced.h"
#include "tests/textparse.h"

#define MS 1000000ull
#define SEC 1000000000ull
#define T0 (1000 * SEC + 975 * MS)

enum { MAKE = 100, CC1 = 200, AS = 300, LD = 400, RCU = 900, SED = 901 };

static char some_trace[64], all_trace[64];

static int write_trace(const char *path, const char *options)
{
	static const struct {
		uint64_t ms;
		uint32_t cpu, prev;
		int64_t state;
		uint32_t next;
	} sw[] = {
		{ 2, 1, 0, 0, CC1 },
		{ 10, 0, 0, 0, MAKE },
		{ 10, 2, 0, 0, LD },
		{ 12, 1, CC1, 1, 0 },
		{ 30, 0, MAKE, 0, RCU },
		{ 30, 1, 0, 0, CC1 },
		{ 45, 1, CC1, 128, AS },
		{ 50, 0, RCU, 0, MAKE },
		{ 55, 0, MAKE, 1, SED },
		{ 60, 1, AS, 1, 0 },
		{ 80, 2, LD, 1, 0 },
		{ 90, 0, SED, 0, MAKE },
		{ 95, 0, MAKE, 1, 0 },
	};
	static const struct {
		uint32_t tid, pid;
		const char *comm;
		int64_t start_ms;	/* after T0 */
	} th[] = {
		{ MAKE, MAKE, "make", -1000 }, { CC1, CC1, "cc1", 1 },
		{ AS, AS, "as", 1 }, { LD, LD, "ld", 1 },
	};
	struct store_writer_opts wo = { .force = 1 };
	char err[STORE_ERRLEN], buf[64];
	struct store_writer *w = store_writer_open(path, &wo, err);
	int rc = 0;

	if (!w)
		return -1;
	for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]) && !rc; i++) {
		struct ev_switch e = {
			.ts = T0 + sw[i].ms * MS, .cpu = sw[i].cpu,
			.prev_tid = sw[i].prev, .prev_state = sw[i].state,
			.prev_prio = 120, .next_tid = sw[i].next,
			.next_prio = 120,
			.prev_comm = sw[i].prev == RCU ? "rcu_preempt" :
				     sw[i].prev == SED ? "sed" : "x",
			.next_comm = sw[i].next == RCU ? "rcu_preempt" :
				     sw[i].next == SED ? "sed" : "x",
		};
		rc = store_writer_append(w, EV_SWITCH, &e);
	}
	struct ev_wakeup wk[] = {
		{ .ts = T0 + 5 * MS, .cpu = 2, .tid = LD, .target_cpu = 2 },
		{ .ts = T0 + 85 * MS, .cpu = 0, .tid = MAKE, .target_cpu = 0 },
	};
	for (size_t i = 0; i < 2 && !rc; i++)
		rc = store_writer_append(w, EV_WAKEUP, &wk[i]);
	for (size_t i = 0; i < sizeof(th) / sizeof(th[0]) && !rc; i++) {
		struct store_process p = {
			.pid = th[i].pid, .ppid = 1, .comm = th[i].comm,
			.start_ts = T0 + (uint64_t)(th[i].start_ms * (int64_t)MS),
		};
		rc = store_writer_process(w, &p);
		if (!rc)
			rc = store_writer_thread(w, th[i].tid, th[i].pid,
						 th[i].comm, p.start_ts);
	}
	if (!rc)
		rc = store_writer_process_exit(w, CC1, T0 + 40 * MS, 0, 0);
	/* lost on cpu2, counted in the second that ends at T0 + 25 ms: a
	 * hole from two seconds before that second to its end */
	if (!rc)
		rc = store_writer_lost(w, T0 + 25 * MS - SEC, 2, "sched", 3);
	if (!rc)
		rc = store_writer_meta(w, "options", options);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)T0);
	if (!rc)
		rc = store_writer_meta(w, "start_ts", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)(T0 + 100 * MS));
	if (!rc)
		rc = store_writer_meta(w, "end_ts", buf);
	if (rc)
		fprintf(stderr, "writer: %s\n", store_writer_errmsg(w));
	if (store_writer_close(w, err) < 0 && !rc) {
		fprintf(stderr, "%s\n", err);
		rc = -1;
	}
	return rc;
}

static int setup(void **state)
{
	(void)state;
	snprintf(some_trace, sizeof(some_trace),
		 "/tmp/kscope-test-rcpu-some.%d.kscope", (int)getpid());
	snprintf(all_trace, sizeof(all_trace),
		 "/tmp/kscope-test-rcpu-all.%d.kscope", (int)getpid());
	if (write_trace(some_trace, "kscope record -q -o t.kscope -- make "
			"-j2") < 0 ||
	    write_trace(all_trace, "kscope record -a -o t.kscope -- make") < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(some_trace);
	unlink(all_trace);
	return 0;
}

/* ---- running a report (as tests/test-report.c does) ----------------- */

struct run {
	char *text;
	size_t len;
	struct jv *doc;
};

static void run(struct run *r, const char *trace, const char *name)
{
	struct report_opts o = REPORT_OPTS_INIT;
	char err[STORE_ERRLEN], rerr[REPORT_ERRLEN];
	struct store *st = analyze_trace_open(trace, err);
	FILE *fp;

	memset(r, 0, sizeof(*r));
	assert_non_null(st);
	fp = open_memstream(&r->text, &r->len);
	assert_non_null(fp);
	o.fmt = OUTPUT_FORMAT_JSON;
	o.top = 1000;
	if (report_run(st, report_find(name), &o, fp, rerr, sizeof(rerr)))
		fprintf(stderr, "report %s: %s\n", name, rerr);
	fclose(fp);
	store_close(st);
	r->doc = json_parse(r->text, r->len, NULL);
	if (!r->doc)
		fprintf(stderr, "not JSON:\n%s\n", r->text);
	assert_non_null(r->doc);
}

static void run_free(struct run *r)
{
	jv_free(r->doc);
	free(r->text);
}

static const struct jv *table(const struct run *r, const char *key)
{
	const struct jv *t = json_get(json_get(r->doc, "tables"), key);

	assert_non_null(t);
	assert_int_equal(t->type, JV_ARRAY);
	return t;
}

/* The number KEY of ROW; -1 for null. */
static long long num(const struct jv *row, const char *key)
{
	const struct jv *v = json_get(row, key);

	assert_non_null(v);
	if (v->type == JV_NULL)
		return -1;
	assert_int_equal(v->type, JV_NUMBER);
	return strtoll(v->s, NULL, 10);
}

/* The row of T whose integer KEY is VAL, or NULL. */
static const struct jv *row_num(const struct jv *t, const char *key,
				long long val)
{
	for (size_t i = 0; i < t->nitems; i++) {
		const struct jv *v = json_get(t->items[i], key);
		if (v && v->type == JV_NUMBER && strtoll(v->s, NULL, 10) == val)
			return t->items[i];
	}
	return NULL;
}

/* The row of T whose string KEY is VAL, or NULL. */
static const struct jv *row_str(const struct jv *t, const char *key,
				const char *val)
{
	for (size_t i = 0; i < t->nitems; i++) {
		const struct jv *v = json_get(t->items[i], key);
		if (v && v->type == JV_STRING && !strcmp(v->s, val))
			return t->items[i];
	}
	return NULL;
}

/* ---- the tests ------------------------------------------------------ */

static void test_options(void **state)
{
	(void)state;
	assert_int_equal(traced_options_some("kscope record -o t -- make"), 1);
	assert_int_equal(traced_options_some("kscope record -o t sleep 1"), 1);
	assert_int_equal(traced_options_some("kscope record -p 12,13"), 1);
	assert_int_equal(traced_options_some("kscope record --pid=12 -q"), 1);
	assert_int_equal(traced_options_some("kscope record --cgroup /x"), 1);
	assert_int_equal(traced_options_some("kscope record -o -- -- ls"), 1);
	assert_int_equal(traced_options_some("kscope record -a -- make"), 0);
	assert_int_equal(traced_options_some("kscope record -qa -- make"), 0);
	assert_int_equal(traced_options_some("kscope record --al -- ls"), 0);
	assert_int_equal(traced_options_some("kscope record -ao t -- ls"), 0);
	assert_int_equal(traced_options_some("kscope record -d 5"), 0);
	assert_int_equal(traced_options_some("kscope record -o x --"), 0);
	assert_int_equal(traced_options_some("kscope record -e sched -o x"),
			 0);
	assert_int_equal(traced_options_some("kscope-synth --seed 1 -p 3"), 0);
	assert_int_equal(traced_options_some(NULL), 0);
}

static void test_cpu_some(void **state)
{
	struct run r;
	const struct jv *t, *row;

	(void)state;
	run(&r, some_trace, "cpu");
	t = table(&r, "by_thread");
	assert_int_equal(t->nitems, 4);	/* make, cc1, as, ld */
	assert_null(row_num(t, "tid", RCU));
	assert_null(row_num(t, "tid", SED));
	row = row_num(t, "tid", MAKE);
	assert_non_null(row);
	assert_int_equal(num(row, "oncpu_ns"), 30 * MS);
	assert_int_equal(num(row, "switches_in"), 3);
	assert_int_equal(num(row, "partial"), 0);
	row = row_num(t, "tid", CC1);
	assert_non_null(row);
	assert_int_equal(num(row, "oncpu_ns"), 20 * MS);
	assert_int_equal(num(row, "partial"), 1);
	row = row_num(t, "tid", AS);
	assert_int_equal(num(row, "oncpu_ns"), 15 * MS);
	assert_int_equal(num(row, "partial"), 0);
	row = row_num(t, "tid", LD);
	assert_int_equal(num(row, "oncpu_ns"), 55 * MS);
	assert_int_equal(num(row, "partial"), 1);

	t = table(&r, "by_process");
	assert_int_equal(t->nitems, 5);
	assert_int_equal(num(row_num(t, "pid", MAKE), "oncpu_ns"), 30 * MS);
	assert_int_equal(num(row_num(t, "pid", CC1), "partial"), 1);
	row = row_str(t, "comm", "other tasks (not traced)");
	assert_non_null(row);
	assert_int_equal(num(row, "pid"), -1);
	assert_int_equal(num(row, "threads"), 2);
	assert_int_equal(num(row, "oncpu_ns"), -1);
	assert_int_equal(num(row, "partial"), 1);
	assert_null(row_str(t, "comm", "rcu_preempt"));
	assert_null(row_str(t, "comm", "sed"));
	/* the utilization is the traced tasks' time: cpu0 busy 30 ms, in
	 * ten slices of 10 ms: percentages summing to 300 */
	t = table(&r, "utilization");
	double sum = 0;
	for (size_t i = 0; i < t->nitems; i++)
		sum += strtod(json_get(t->items[i], "cpu0")->s, NULL);
	assert_true(sum > 295.0 && sum < 305.0);
	run_free(&r);
}

static void test_cpu_all(void **state)
{
	struct run r;
	const struct jv *t;

	(void)state;
	run(&r, all_trace, "cpu");
	t = table(&r, "by_thread");
	assert_int_equal(num(row_num(t, "tid", RCU), "oncpu_ns"), 20 * MS);
	assert_int_equal(num(row_num(t, "tid", SED), "oncpu_ns"), 35 * MS);
	assert_int_equal(num(row_num(t, "tid", MAKE), "oncpu_ns"), 30 * MS);
	assert_int_equal(num(row_num(t, "tid", CC1), "oncpu_ns"), 25 * MS);
	assert_int_equal(num(row_num(t, "tid", CC1), "partial"), 0);
	t = table(&r, "by_process");
	assert_null(row_str(t, "comm", "other tasks (not traced)"));
	run_free(&r);
}

static void test_offcpu_some(void **state)
{
	struct run r;
	const struct jv *t, *row;

	(void)state;
	run(&r, some_trace, "offcpu");
	t = table(&r, "by_thread");
	assert_null(row_num(t, "tid", RCU));
	assert_null(row_num(t, "tid", SED));
	row = row_num(t, "tid", MAKE);
	assert_non_null(row);
	assert_int_equal(num(row, "preempted_ns"), 20 * MS);
	assert_int_equal(num(row, "sleeping_ns"), 35 * MS);
	assert_int_equal(num(row, "switches_out"), 3);
	assert_int_equal(num(row, "partial"), 1);	/* off after 95 ms */
	row = row_num(t, "tid", CC1);
	assert_int_equal(num(row, "sleeping_ns"), 0);	/* in the hole */
	assert_int_equal(num(row, "partial"), 1);
	t = table(&r, "by_state");
	assert_int_equal(num(row_str(t, "state", "preempted"), "time_ns"),
			 20 * MS);
	run_free(&r);

	/* with -a the untraced-looking tasks are traced: rcu was off from
	 * its switch-out at 50 ms to the last switch */
	run(&r, all_trace, "offcpu");
	t = table(&r, "by_thread");
	assert_int_equal(num(row_num(t, "tid", RCU), "preempted_ns"), 45 * MS);
	run_free(&r);
}

static void test_runqlat_some(void **state)
{
	struct run r;
	const struct jv *t;

	(void)state;
	run(&r, some_trace, "runqlat");
	t = table(&r, "stats");
	assert_int_equal(num(t->items[0], "runs"), 1);
	assert_int_equal(num(t->items[0], "max_ns"), 5 * MS);
	t = table(&r, "longest_waits");
	assert_int_equal(t->nitems, 1);
	assert_int_equal(num(t->items[0], "tid"), MAKE);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_cpu_some),
		cmocka_unit_test(test_cpu_all),
		cmocka_unit_test(test_offcpu_some),
		cmocka_unit_test(test_runqlat_some),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
