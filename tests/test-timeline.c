/*
 * test-timeline.c - the Timeline view's data (tui/timeline.h) on planted
 * traces (tests/synth_why.h, tests/synth_sleeper.h): each strip's cells
 * hold the planted states in their order, the CPU lanes who ran, the
 * next and previous state change land on the planted times, the strips
 * come busiest first, and a timeline computed in small steps shows a
 * partial picture first and then the same states as one computed at
 * once.
 */
#include "config.h"
#include "analyze/analyze.h"
#include "tests/synth_sleeper.h"
#include "tests/synth_why.h"
#include "tui/timeline.h"
#include "tui/tlview.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define MS 1000000ull

static char why_path[] = "/tmp/kscope-test-timeline-XXXXXX";
static char sl_path[] = "/tmp/kscope-test-timeline-sl-XXXXXX";
static struct store *why, *sl;

static uint64_t meta_u64(struct store *st, const char *key)
{
	const char *v = store_meta(st, key);

	assert_non_null(v);
	return strtoull(v, NULL, 10);
}

static struct store *planted(char *path, int (*write)(const char *))
{
	char err[STORE_ERRLEN];
	int fd = mkstemp(path);
	struct store *st;

	if (fd < 0)
		return NULL;
	close(fd);
	if (write(path) < 0)
		return NULL;
	if (!(st = analyze_trace_open(path, err)))
		fprintf(stderr, "%s\n", err);
	return st;
}

static int setup(void **state)
{
	(void)state;
	why = planted(why_path, synth_why_write);
	sl = planted(sl_path, synth_sleeper_write);
	return why && sl ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	store_close(why);
	store_close(sl);
	unlink(why_path);
	unlink(sl_path);
	return 0;
}

static struct timeline *computed(struct store *st)
{
	char err[TIMELINE_ERRLEN];
	struct timeline *tl = timeline_new(st, meta_u64(st, "start_ts"),
					   meta_u64(st, "end_ts"), err);
	int rc;

	if (!tl)
		fail_msg("timeline_new: %s", err);
	while ((rc = timeline_step(tl, UINT64_MAX)) > 0)
		;
	assert_int_equal(rc, 0);
	assert_false(tl->partial);
	return tl;
}

/* Thread TID's cells over [FROM, FROM + N ms), one per ms, as the
 * sequence of its states with repeats folded ("RBR"). */
static void strip(struct timeline *tl, uint32_t tid, uint64_t from, int n,
		  struct tl_cell *cells, char *seq)
{
	static const char letter[TL_NSTATES] = {
		[TL_NONE] = '_', [TL_RUN] = 'R', [TL_SYS] = 'S',
		[TL_RUNNABLE] = 'W', [TL_SLEEP] = 'Z', [TL_BLOCK] = 'B',
		[TL_DEAD] = 'X',
	};
	long ix = timeline_find(tl, tid);
	size_t k = 0;

	assert_true(ix >= 0);
	timeline_cells(tl, (uint32_t)ix, from, from + (uint64_t)n * MS - 1,
		       cells, n);
	for (int c = 0; c < n; c++)
		if (!k || seq[k - 1] != letter[cells[c].state])
			seq[k++] = letter[cells[c].state];
	seq[k] = '\0';
}

static void test_strips(void **state)
{
	struct timeline *tl = computed(why);
	uint64_t t0 = meta_u64(why, "start_ts");
	struct tl_cell c[100];
	char seq[101];

	(void)state;
	/* writer: runs, blocked in fsync 30.01 to 54, runnable to 54.2
	 * (less than its cell), runs to its exit at 100 */
	strip(tl, WHY_WRITER, t0, 100, c, seq);
	assert_string_equal(seq, "RBR");
	assert_int_equal(c[29].state, TL_RUN);
	assert_int_equal(c[29].cpu, 3);
	assert_int_equal(c[30].state, TL_BLOCK);
	assert_int_equal(c[53].state, TL_BLOCK);
	assert_int_equal(c[54].state, TL_RUN);
	/* victim: preempted by the hog from 20 to 50, asleep at 90 */
	strip(tl, WHY_VICTIM, t0, 100, c, seq);
	assert_string_equal(seq, "RWRZ");
	assert_int_equal(c[19].state, TL_RUN);
	assert_int_equal(c[20].state, TL_RUNNABLE);
	assert_int_equal(c[49].state, TL_RUNNABLE);
	assert_int_equal(c[50].state, TL_RUN);
	assert_int_equal(c[90].state, TL_SLEEP);
	/* worker: asleep in futex 5.001 to 61.005, exits at 80: then not
	 * known */
	strip(tl, WHY_WORKER, t0, 100, c, seq);
	assert_string_equal(seq, "RZRX_");
	assert_int_equal(c[80].state, TL_DEAD);
	/* kworker: not known before its wakeup at 20 */
	strip(tl, WHY_KWORKER, t0, 100, c, seq);
	assert_string_equal(seq, "_WRZ");
	assert_int_equal(c[20].state, TL_RUNNABLE);
	timeline_free(tl);
}

static void test_cpu_lanes(void **state)
{
	struct timeline *tl = computed(why);
	uint64_t t0 = meta_u64(why, "start_ts");
	struct tl_cpucell c[100];

	(void)state;
	timeline_cpu_cells(tl, 2, t0, t0 + 100 * MS - 1, c, 100);
	for (int i = 0; i < 100; i++) {
		uint32_t who = i < 20 || (i >= 50 && i < 90) ? WHY_VICTIM :
			       i < 50 ? WHY_HOG : 0;

		if (who) {
			assert_int_equal(c[i].kind, TLC_TASK);
			assert_int_equal(c[i].tid, who);
		} else {
			assert_int_equal(c[i].kind, TLC_IDLE);
		}
	}
	timeline_free(tl);
}

static void test_changes(void **state)
{
	struct timeline *tl = computed(why);
	uint64_t t0 = meta_u64(why, "start_ts"), at;
	uint32_t w = (uint32_t)timeline_find(tl, WHY_WRITER);
	uint32_t v = (uint32_t)timeline_find(tl, WHY_VICTIM);

	(void)state;
	assert_true(timeline_change(tl, w, t0 + MS, 1, &at));
	assert_int_equal(at, t0 + 30010000);		/* running -> blocked */
	assert_true(timeline_change(tl, w, at, 1, &at));
	assert_int_equal(at, t0 + 54 * MS);		/* -> runnable */
	assert_true(timeline_change(tl, w, at, 1, &at));
	assert_int_equal(at, t0 + 54200000);		/* -> running */
	assert_true(timeline_change(tl, w, at, -1, &at));
	assert_int_equal(at, t0 + 54 * MS);
	assert_true(timeline_change(tl, w, at, -1, &at));
	assert_int_equal(at, t0 + 30010000);
	assert_true(timeline_change(tl, w, at, -1, &at));
	assert_int_equal(at, t0 + 3000);		/* known from here */
	assert_false(timeline_change(tl, w, at, -1, &at));
	/* the victim from inside its wait */
	assert_true(timeline_change(tl, v, t0 + 30 * MS, -1, &at));
	assert_int_equal(at, t0 + 20 * MS);
	assert_true(timeline_change(tl, v, t0 + 30 * MS, 1, &at));
	assert_int_equal(at, t0 + 50 * MS);
	timeline_free(tl);
}

static void test_order(void **state)
{
	struct timeline *tl = computed(why);
	uint64_t t0 = meta_u64(why, "start_ts");
	const uint32_t *o;
	size_t n = timeline_order(tl, t0, t0 + 100 * MS, &o);

	(void)state;
	/* on CPU: writer 75.8 ms, victim 60, hog 30, worker 23.5 ... */
	assert_int_equal(n, 7);
	assert_int_equal(tl->th[o[0]].tid, WHY_WRITER);
	assert_int_equal(tl->th[o[1]].tid, WHY_VICTIM);
	assert_int_equal(tl->th[o[2]].tid, WHY_HOG);
	assert_int_equal(tl->th[o[3]].tid, WHY_WORKER);
	assert_string_equal(tl->th[o[0]].comm, "writer");
	/* a window where only the hog and the victim's wait are on cpu2 */
	n = timeline_order(tl, t0 + 21 * MS, t0 + 29 * MS, &o);
	assert_int_equal(tl->th[o[0]].tid, WHY_HOG);
	timeline_free(tl);
}

/* In small steps: a partial picture first, the same states at the end. */
static void test_steps(void **state)
{
	char err[TIMELINE_ERRLEN];
	uint64_t t0 = meta_u64(sl, "start_ts"), t1 = meta_u64(sl, "end_ts");
	struct timeline *tl = timeline_new(sl, t0, t1, err);
	struct timeline *whole = computed(sl);
	int rc, partial_seen = 0;
	size_t n1, n2;

	(void)state;
	assert_non_null(tl);
	while ((rc = timeline_step(tl, 0)) > 0)
		if (tl->partial && tl->nth && tl->read_to < t1)
			partial_seen = 1;
	assert_int_equal(rc, 0);
	assert_true(partial_seen);
	assert_int_equal(tl->nth, whole->nth);
	for (size_t i = 0; i < whole->nth; i++) {
		long ix = timeline_find(tl, whole->th[i].tid);
		const struct tl_iv *a, *b;

		assert_true(ix >= 0);
		a = timeline_ivs(whole, (uint32_t)i, &n1);
		b = timeline_ivs(tl, (uint32_t)ix, &n2);
		assert_int_equal(n1, n2);
		for (size_t k = 0; k < n1; k++) {
			assert_int_equal(a[k].ts, b[k].ts);
			assert_int_equal(a[k].end, b[k].end);
			assert_int_equal(a[k].state, b[k].state);
			assert_int_equal(a[k].cpu, b[k].cpu);
		}
	}
	/* the sleeper: on CPU 100 to 110 ms, asleep to 1900, on to 1910 */
	{
		long ix = timeline_find(whole, SL_SLEEPER);
		uint64_t at;

		assert_true(ix >= 0);
		assert_true(timeline_change(whole, (uint32_t)ix, t0, 1, &at));
		assert_int_equal(at - t0, 100 * MS);
		assert_true(timeline_change(whole, (uint32_t)ix, at, 1, &at));
		assert_int_equal(at - t0, 110 * MS);
		assert_int_equal(timeline_iv_at(whole, (uint32_t)ix,
						at)->state, TL_SLEEP);
		assert_true(timeline_change(whole, (uint32_t)ix, at, 1, &at));
		assert_int_equal(at - t0, 1900 * MS);
	}
	timeline_free(tl);
	timeline_free(whole);
}

/* 8 from Processes: the selected process's thread is selected. */
static void test_from_procs(void **state)
{
	char err[256];
	struct model *m = model_open(why, err, sizeof(err));
	const uint32_t *order;
	size_t n;

	(void)state;
	assert_non_null(m);
	model_view_switch(m, VIEW_PROCS);
	while (model_work(m, UINT64_MAX) > 0)
		;
	n = model_rows(m);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(model_cell_text(m, i, 0), "4003"))
			model_frame(m)->sel = i;
	assert_string_equal(model_cell_text(m, model_frame(m)->sel, 0),
			    "4003");
	assert_int_equal(model_tl_show(m), 1);
	assert_int_equal(model_frame(m)->view, VIEW_TIMELINE);
	while (model_work(m, UINT64_MAX) > 0)
		;
	model_tl_order(m, &order);	/* as the screen asks */
	assert_int_equal(m->tlv->sel_tid, WHY_VICTIM);
	/* and from the Overview the busiest stays selected */
	model_view_switch(m, VIEW_OVERVIEW);
	model_tl_show(m);
	assert_int_equal(m->tlv->sel_tid, WHY_VICTIM);
	model_close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strips),
		cmocka_unit_test(test_cpu_lanes),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_from_procs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
