/*
 * test-tui-sched.c - the Run queue, who ran instead and Signals views of
 * the TUI's model (tui/views_sched.c) on the planted causes trace
 * (tests/synth_causes.h), and the tab bar's layout (tui/tabs.h):
 *
 *   - Run queue lists runq (61060, 70 ms: 50 preempted, 20 after its
 *     wakeup) and runq-b (61061, 15 ms: 10 and 5);
 *     Enter on runq pushes who ran instead: runq-b for 70 ms on cpu 0;
 *     a window before the waits empties both, and the whole trace again
 *     brings them back (the drill-down follows the window);
 *   - Signals lists the five generate and oom_kill rows in time order;
 *     Enter scopes the Events view to the target's pid at the signal;
 *   - the tab bar fits 80 columns with the current tab whole, whatever
 *     the current tab; at 200 columns every tab has its full name; at 20
 *     the tabs before the current one are left out, the current one whole.
 */
#include "config.h"
#include "analyze/analyze.h"
#include "tests/synth_causes.h"
#include "tui/model.h"
#include "tui/tabs.h"

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

static char path[] = "/tmp/kscope-tui-sched-XXXXXX";
static struct store *st;

static int setup(void **state)
{
	char err[STORE_ERRLEN];
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	if (synth_causes_write(path) < 0)
		return -1;
	if (!(st = analyze_trace_open(path, err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(st);
	unlink(path);
	return 0;
}

static struct model *open_done(void)
{
	char err[256];
	struct model *m = model_open(st, err, sizeof(err));

	if (!m)
		fail_msg("model_open: %s", err);
	model_layout(m, 20, 120, 100);
	while (model_work(m, 1000000000ull) > 0)
		;
	return m;
}

/* The sorted row whose column COL reads TEXT, or -1. */
static long row_of(struct model *m, int col, const char *text)
{
	for (size_t i = 0; i < model_rows(m); i++)
		if (!strcmp(model_cell_text(m, i, col), text))
			return (long)i;
	return -1;
}

static void test_runq_instead(void **state)
{
	struct model *m = open_done();
	long r;

	(void)state;
	assert_int_equal(model_view_switch(m, VIEW_RUNQ), 0);
	assert_int_equal(model_rows(m), 2);
	/* sorted by TOTAL, the longest first */
	assert_string_equal(model_cell_text(m, 0, 0), "61060");
	assert_string_equal(model_cell_text(m, 0, 2), "runq");
	assert_string_equal(model_cell_text(m, 0, 4), "70.0ms");
	assert_string_equal(model_cell_text(m, 1, 0), "61061");
	assert_string_equal(model_cell_text(m, 1, 6), "10.0ms");
	assert_int_equal(model_enter(m), 0);
	assert_int_equal(model_frame(m)->view, VIEW_INSTEAD);
	/* the thread states come from a worker thread */
	while (model_work(m, 1000000000ull) > 0)
		;
	assert_false(model_partial(m));
	assert_int_equal(model_rows(m), 1);
	assert_string_equal(model_cell_text(m, 0, 2), "61061");
	assert_string_equal(model_cell_text(m, 0, 4), "runq-b");
	assert_string_equal(model_cell_text(m, 0, 5), "70.0ms");

	/* a window before the waits: no rows; the whole trace: back */
	assert_int_equal(model_window_set(m, m->span_from, m->span_from +
					  300 * MS), 1);
	while (model_work(m, 1000000000ull) > 0)
		;
	assert_int_equal(model_frame(m)->view, VIEW_INSTEAD);
	assert_int_equal(model_rows(m), 0);
	assert_int_equal(model_window_set(m, m->span_from, m->span_to), 1);
	while (model_work(m, 1000000000ull) > 0)
		;
	assert_int_equal(model_rows(m), 1);
	assert_string_equal(model_cell_text(m, 0, 5), "70.0ms");

	/* runq-b's: runq ran 15 ms while it waited */
	model_back(m);
	r = row_of(m, 0, "61061");
	assert_true(r >= 0);
	model_move(m, r - (long)model_frame(m)->sel);
	assert_int_equal(model_enter(m), 0);
	while (model_work(m, 1000000000ull) > 0)
		;
	assert_int_equal(model_rows(m), 1);
	assert_string_equal(model_cell_text(m, 0, 4), "runq");
	assert_string_equal(model_cell_text(m, 0, 5), "15.0ms");
	model_close(m);
}

static void test_signals(void **state)
{
	struct model *m = open_done();

	(void)state;
	assert_int_equal(model_view_switch(m, VIEW_SIGNALS), 0);
	assert_int_equal(model_rows(m), 5);
	assert_string_equal(model_cell_text(m, 0, 1), "SIGTERM");
	assert_string_equal(model_cell_text(m, 1, 1), "SIGKILL");
	assert_string_equal(model_cell_text(m, 1, 2), "killer[61011]");
	assert_string_equal(model_cell_text(m, 1, 3), "sleep[61012]");
	assert_string_equal(model_cell_text(m, 1, 4), "delivered");
	assert_string_equal(model_cell_text(m, 3, 2), "the OOM killer");
	assert_string_equal(model_cell_text(m, 3, 4), "memcg " CZ_CGROUP);
	assert_string_equal(model_cell_text(m, 4, 3), "hog2[61021]");
	model_move(m, 1);
	assert_int_equal(model_enter(m), 0);
	assert_int_equal(model_frame(m)->view, VIEW_EVENTS);
	assert_string_equal(model_frame(m)->scope, "pid = 61012");
	assert_int_equal(m->cursor, CZ_T0 + 400 * MS);
	model_close(m);
}

/* Every tab of L is drawn whole or by its short name inside COLS. */
static void tabs_check(const struct tabs_layout *l, int cur, int cols)
{
	char want[40];

	assert_true(l->first <= cur);
	assert_true(l->x[cur] + l->w[cur] <= cols);
	snprintf(want, sizeof(want), "%c %s", tabs_key((enum view_id)cur),
		 views[cur]->name);
	assert_string_equal(l->label[cur], want);
	for (int v = l->first; v < VIEW_TABS; v++)
		assert_true(!strcmp(l->label[v] + 2, views[v]->name) ||
			    (views[v]->short_name &&
			     !strcmp(l->label[v] + 2, views[v]->short_name)));
}

static void test_tabs(void **state)
{
	struct tabs_layout l;

	(void)state;
	assert_int_equal(tabs_key(VIEW_OVERVIEW), '1');
	assert_int_equal(tabs_key(VIEW_ERRORS), '7');
	assert_int_equal(tabs_key(VIEW_RUNQ), '9');
	assert_int_equal(tabs_key(VIEW_SIGNALS), '0');
	for (int cur = 0; cur < VIEW_TABS; cur++) {
		tabs_fit(&l, (enum view_id)cur, 80);
		assert_int_equal(l.first, 0);
		assert_true(l.width <= 80);
		tabs_check(&l, cur, 80);
		tabs_fit(&l, (enum view_id)cur, 200);
		for (int v = 0; v < VIEW_TABS; v++)
			assert_string_equal(l.label[v] + 2, views[v]->name);
		tabs_fit(&l, (enum view_id)cur, 20);
		tabs_check(&l, cur, 20);
	}
	tabs_fit(&l, VIEW_SIGNALS, 20);
	assert_true(l.first > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runq_instead),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_tabs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
