/*
 * test-report-cpu.c - the scheduler reports (cpu, offcpu, runqlat) and the
 * export's CPU tracks on a trace that sees only some tasks whole, as a
 * `-- CMD` recording does.
 *
 * The trace is tests/synth_halfseen.h's: with the options of a `-- make`
 * recording in meta, and again with `-a` (everything traced).
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
#include "analyze/export/export.h"
#include "analyze/report/report.h"
#include "analyze/traced.h"
#include "tests/synth.h"
#include "tests/synth_halfseen.h"
#include "tests/textparse.h"

#define MS HS_MS
enum { MAKE = HS_MAKE, CC1 = HS_CC1, AS = HS_AS, LD = HS_LD, SH = HS_SH,
       RCU = HS_RCU, SED = HS_SED };

static char some_trace[64], all_trace[64];

static int setup(void **state)
{
	(void)state;
	snprintf(some_trace, sizeof(some_trace),
		 "/tmp/kscope-test-rcpu-some.%d.kscope", (int)getpid());
	snprintf(all_trace, sizeof(all_trace),
		 "/tmp/kscope-test-rcpu-all.%d.kscope", (int)getpid());
	if (synth_halfseen_write(some_trace, "kscope record -q -o t.kscope "
				 "-- make -j2") < 0 ||
	    synth_halfseen_write(all_trace, "kscope record -a -o t.kscope "
				 "-- make") < 0)
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
	assert_int_equal(t->nitems, 5);	/* make, cc1, as, ld, sh */
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
	assert_int_equal(num(row, "oncpu_ns"), 18 * MS);
	assert_int_equal(num(row, "switches_in"), 2);
	assert_int_equal(num(row, "partial"), 0);
	row = row_num(t, "tid", SH);
	assert_non_null(row);
	assert_int_equal(num(row, "oncpu_ns"), 5 * MS);
	assert_int_equal(num(row, "partial"), 1);
	row = row_num(t, "tid", LD);
	assert_int_equal(num(row, "oncpu_ns"), 55 * MS);
	assert_int_equal(num(row, "partial"), 1);

	t = table(&r, "by_process");
	assert_int_equal(t->nitems, 6);
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
	assert_int_equal(num(t->items[0], "runs"), 2);
	assert_int_equal(num(t->items[0], "max_ns"), 20 * MS);
	t = table(&r, "longest_waits");
	assert_int_equal(t->nitems, 1);
	assert_int_equal(num(t->items[0], "tid"), MAKE);
	run_free(&r);
}

/* A whole-system trace of wakeups that start no wait (times in ms after
 * HS_T0).  On cpu0 tid 700 runs from 5; is woken at 6 while running (after
 * set_current_state, before schedule: it never slept), blocks at 20; is
 * woken at 30, runs at 31 (a wait of 1); is preempted by 701 at 40, runs
 * at 42 (a wait of 2); is woken at 50 while running, sleeps at 55, is
 * switched in at 60 with no wakeup seen (no wait), sleeps at 70.  On cpu1
 * tid 703's first event is a wakeup at 3 (it was running: it sleeps at
 * 8), it is woken at 9 and runs at 12 (a wait of 3); tid 702's first
 * event is a wakeup at 14 (it was off), it runs at 16 (a wait of 2).  A
 * trace file of them in PATH. */
static const char *comm_w(uint32_t tid, uint64_t at)
{
	(void)tid;
	(void)at;
	return "w";
}

static void write_woken(const char *path)
{
	static const struct synth_switch sw[] = {
		{ 5, 0, 0, 0, 700 },	{ 8, 1, 703, 1, 0 },
		{ 12, 1, 0, 0, 703 },	{ 13, 1, 703, 1, 0 },
		{ 16, 1, 0, 0, 702 },	{ 18, 1, 702, 1, 0 },
		{ 20, 0, 700, 2, 0 },	{ 31, 0, 0, 0, 700 },
		{ 40, 0, 700, 0, 701 },	{ 42, 0, 701, 1, 700 },
		{ 55, 0, 700, 1, 0 },	{ 60, 0, 0, 0, 700 },
		{ 70, 0, 700, 1, 0 },
	};
	static const struct { uint64_t ms; uint32_t cpu, tid; } wk[] = {
		{ 3, 1, 703 }, { 6, 0, 700 }, { 9, 1, 703 }, { 14, 1, 702 },
		{ 30, 1, 700 }, { 50, 1, 700 },
	};
	char err[STORE_ERRLEN];
	struct store_writer_opts wo = { .force = 1 };
	struct store_writer *w = store_writer_open(path, &wo, err);

	assert_non_null(w);
	for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]); i++)
		assert_int_equal(synth_switch_put(w, &sw[i], HS_T0, MS,
						  comm_w), 0);
	for (size_t i = 0; i < sizeof(wk) / sizeof(wk[0]); i++) {
		struct ev_wakeup e = { .ts = HS_T0 + wk[i].ms * MS,
				       .cpu = wk[i].cpu, .tid = wk[i].tid,
				       .target_cpu = wk[i].cpu };

		assert_int_equal(store_writer_append(w, EV_WAKEUP, &e), 0);
	}
	for (uint32_t tid = 700; tid <= 703; tid++)
		assert_int_equal(store_writer_thread(w, tid, 700, "w",
						     HS_T0), 0);
	assert_int_equal(synth_finish(w, 0, "kscope record -a", HS_T0,
				      HS_T0 + 80 * MS), 0);
}

/* A wakeup of a running thread starts no wait; a preemption does; a
 * switch-out asleep ends a wait begun by a wakeup while running.  The
 * summary's runnable time (the thread_state rule) is the same per
 * thread. */
static void test_runqlat_woken_running(void **state)
{
	static const struct { uint32_t tid; long long runs, total; } want[] = {
		{ 700, 2, 3 * MS }, { 702, 1, 2 * MS }, { 703, 1, 3 * MS },
	};
	char path[64];
	struct run r, s;
	const struct jv *t, *u, *row;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/kscope-test-rcpu-woken.%d.kscope",
		 (int)getpid());
	write_woken(path);
	run(&r, path, "runqlat");
	run(&s, path, "summary");
	t = table(&r, "stats");
	assert_int_equal(num(t->items[0], "runs"), 4);
	assert_int_equal(num(t->items[0], "max_ns"), 3 * MS);
	t = table(&r, "longest_waits");
	u = table(&s, "runnable");
	assert_int_equal(t->nitems, 3);
	assert_int_equal(u->nitems, 3);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		row = row_num(t, "tid", want[i].tid);
		assert_non_null(row);
		assert_int_equal(num(row, "runs"), want[i].runs);
		assert_int_equal(num(row, "total_ns"), want[i].total);
		row = row_num(u, "tid", want[i].tid);
		assert_non_null(row);
		assert_int_equal(num(row, "runnable_ns"), want[i].total);
	}
	assert_int_equal(num(row_num(t, "tid", 700), "max_at_ts"),
			 HS_T0 + 42 * MS);
	run_free(&r);
	run_free(&s);
	unlink(path);
}

/* `-- /bin/true`, recorded by a recorder that stopped tracing a process
 * at its exit (KEPT 0) or by one that keeps it traced to its final switch
 * (KEPT 1).  true is switched in at 10 ms and exits at 12 ms.  Then, with
 * KEPT 0, nothing more: its last switch (to an untraced task) is not
 * recorded.  With KEPT 1 the switches of its exit are there: preempted by
 * an untraced task at 12.2 ms, back at 12.3 ms, its final switch (dead)
 * to idle at 12.5 ms.  A trace file of them in PATH. */
static void write_true(const char *path, int kept)
{
	char err[STORE_ERRLEN], buf[32];
	struct store_writer_opts wo = { .force = 1 };
	struct store_writer *w = store_writer_open(path, &wo, err);
	struct ev_switch sw[] = {
		{ .ts = HS_T0 + 10 * MS, .next_tid = 42 },
		{ .ts = HS_T0 + 12200 * 1000, .prev_tid = 42, .next_tid = SED },
		{ .ts = HS_T0 + 12300 * 1000, .prev_tid = SED, .next_tid = 42 },
		{ .ts = HS_T0 + 12500 * 1000, .prev_tid = 42,
		  .prev_state = 16 },	/* EXIT_DEAD */
	};
	struct ev_proc ex = { .ts = HS_T0 + 12 * MS, .kind = EV_PROC_EXIT,
			      .pid = 42, .tid = 42, .ppid = 41,
			      .comm = "true" };
	struct store_process p = { .pid = 42, .ppid = 41, .comm = "true",
				   .start_ts = HS_T0 + 9 * MS };

	assert_non_null(w);
	for (size_t i = 0; i < (kept ? 4u : 1u); i++)
		assert_int_equal(store_writer_append(w, EV_SWITCH, &sw[i]), 0);
	assert_int_equal(store_writer_append(w, EV_PROC, &ex), 0);
	assert_int_equal(store_writer_process(w, &p), 0);
	assert_int_equal(store_writer_thread(w, 42, 42, "true", p.start_ts), 0);
	assert_int_equal(store_writer_process_exit(w, 42, ex.ts, 0, 0), 0);
	assert_int_equal(store_writer_meta(w, "options", "kscope record -- "
					   "/bin/true"), 0);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)HS_T0);
	assert_int_equal(store_writer_meta(w, "start_ts", buf), 0);
	snprintf(buf, sizeof(buf), "%llu",
		 (unsigned long long)(HS_T0 + 100 * MS));
	assert_int_equal(store_writer_meta(w, "end_ts", buf), 0);
	assert_int_equal(store_writer_close(w, err), 0);
}

/* KEPT 0: true ran the 2 ms to its exit (an exit event shows the task on
 * its CPU), not until the trace's end, and not nothing either; partial.
 * KEPT 1: its exit is all there: 2.2 + 0.2 ms, exact; the untraced task
 * that preempted it gets nothing. */
static void test_cpu_true(void **state)
{
	static const struct { int kept; uint64_t ns; int partial; } c[] = {
		{ 0, 2 * MS, 1 }, { 1, 2400 * 1000, 0 },
	};
	char path[64];
	struct run r;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		snprintf(path, sizeof(path),
			 "/tmp/kscope-test-rcpu-true.%d.kscope", (int)getpid());
		write_true(path, c[i].kept);
		run(&r, path, "cpu");
		const struct jv *t = table(&r, "by_thread");
		const struct jv *row = row_num(t, "tid", 42);
		assert_non_null(row);
		assert_int_equal(num(row, "oncpu_ns"), c[i].ns);
		assert_int_equal(num(row, "partial"), c[i].partial);
		assert_null(row_num(t, "tid", SED));
		run_free(&r);
		unlink(path);
	}
}

/* A whole-system trace where tid 910, a thread of process 900 from 1 ms,
 * runs 5 to 10 ms and goes to sleep (its final switch does not say it
 * died), then comes back at 30 ms as a thread of process 950 (a second
 * threads row), runs to 40 ms and sleeps to the trace's end at 50 ms
 * (950's thread 920 runs then).  A trace file of them in PATH. */
static void write_lives(const char *path)
{
	char err[STORE_ERRLEN];
	struct store_writer_opts wo = { .force = 1 };
	struct store_writer *w = store_writer_open(path, &wo, err);
	struct ev_switch sw[] = {
		{ .ts = HS_T0 + 5 * MS, .next_tid = 910 },
		{ .ts = HS_T0 + 10 * MS, .prev_tid = 910, .prev_state = 1 },
		{ .ts = HS_T0 + 30 * MS, .next_tid = 910 },
		{ .ts = HS_T0 + 40 * MS, .prev_tid = 910, .prev_state = 1,
		  .next_tid = 920 },
		{ .ts = HS_T0 + 50 * MS, .prev_tid = 920 },
	};

	assert_non_null(w);
	for (size_t i = 0; i < sizeof(sw) / sizeof(sw[0]); i++)
		assert_int_equal(store_writer_append(w, EV_SWITCH, &sw[i]), 0);
	assert_int_equal(store_writer_thread(w, 910, 950, "second",
					     HS_T0 + 30 * MS), 0);
	assert_int_equal(store_writer_thread(w, 920, 950, "other",
					     HS_T0 + 20 * MS), 0);
	assert_int_equal(store_writer_thread(w, 910, 900, "first",
					     HS_T0 + 1 * MS), 0);
	assert_int_equal(synth_finish(w, 0, "kscope record -a", HS_T0,
				      HS_T0 + 50 * MS), 0);
}

/* The row of T with tid TID and pid PID, or NULL. */
static const struct jv *row_life(const struct jv *t, long long tid,
				 long long pid)
{
	for (size_t i = 0; i < t->nitems; i++)
		if (num(t->items[i], "tid") == tid &&
		    num(t->items[i], "pid") == pid)
			return t->items[i];
	return NULL;
}

/* Each life of tid 910 is a row of its own process.  The first life's
 * sleep from 10 ms has no end that the trace saw (its switch back in
 * would be of the second life): it is left out, not charged to the time
 * between the lives; the second life's sleep runs to the end. */
static void test_lives(void **state)
{
	char path[64];
	struct run r;
	const struct jv *t, *row;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/kscope-test-rcpu-lives.%d.kscope",
		 (int)getpid());
	write_lives(path);
	run(&r, path, "cpu");
	t = table(&r, "by_thread");
	assert_int_equal(num(row_life(t, 910, 900), "oncpu_ns"), 5 * MS);
	assert_int_equal(num(row_life(t, 910, 950), "oncpu_ns"), 10 * MS);
	t = table(&r, "by_process");
	assert_int_equal(num(row_num(t, "pid", 900), "oncpu_ns"), 5 * MS);
	assert_int_equal(num(row_num(t, "pid", 950), "oncpu_ns"), 20 * MS);
	run_free(&r);
	run(&r, path, "offcpu");
	t = table(&r, "by_thread");
	assert_null(row_life(t, 910, 900));
	row = row_life(t, 910, 950);
	assert_non_null(row);
	assert_int_equal(num(row, "sleeping_ns"), 10 * MS);
	assert_int_equal(num(row, "switches_out"), 1);
	t = table(&r, "by_state");
	assert_int_equal(num(row_str(t, "state", "sleeping"), "time_ns"),
			 10 * MS);
	run_free(&r);
	unlink(path);
}

/* The Perfetto export draws the same: no slice for rcu or sed, each
 * traced thread's slices add up to the cpu report's figure. */
static void test_export_some(void **state)
{
	char err[STORE_ERRLEN], *text = NULL;
	size_t len = 0;
	struct store *st = analyze_trace_open(some_trace, err);
	struct export_opts o = { .from = 0, .to = UINT64_MAX };
	FILE *m = open_memstream(&text, &len);
	static const struct { uint32_t tid; uint64_t ms; } want[] = {
		{ MAKE, 30 }, { CC1, 20 }, { AS, 18 }, { LD, 55 }, { SH, 5 },
		{ RCU, 0 }, { SED, 0 },
	};
	uint64_t sum[sizeof(want) / sizeof(want[0])] = { 0 };

	(void)state;
	assert_non_null(st);
	assert_non_null(m);
	assert_int_equal(export_perfetto(st, &o, m, err, sizeof(err)), 0);
	fclose(m);
	store_close(st);
	struct jv *doc = json_parse(text, len, NULL);
	assert_non_null(doc);
	const struct jv *ev = json_get(doc, "traceEvents");
	assert_non_null(ev);
	for (size_t i = 0; i < ev->nitems; i++) {
		const struct jv *e = ev->items[i], *cat = json_get(e, "cat");
		if (!cat || cat->type != JV_STRING || strcmp(cat->s, "sched"))
			continue;
		long long tid = num(json_get(e, "args"), "tid");
		double us = strtod(json_get(e, "dur")->s, NULL);
		for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
			if (want[k].tid == tid)
				sum[k] += (uint64_t)(us * 1000 + 0.5);
	}
	for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
		assert_int_equal(sum[k], want[k].ms * MS);
	jv_free(doc);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_cpu_some),
		cmocka_unit_test(test_cpu_all),
		cmocka_unit_test(test_offcpu_some),
		cmocka_unit_test(test_runqlat_some),
		cmocka_unit_test(test_runqlat_woken_running),
		cmocka_unit_test(test_cpu_true),
		cmocka_unit_test(test_lives),
		cmocka_unit_test(test_export_some),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
