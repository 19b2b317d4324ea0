/*
 * test-tui-why.c - the TUI's why pane (tui/why.h) without a terminal.
 *
 * On the planted trace of tests/synth_why.h, whose story is known: the
 * pane on the writer's fsync names the call, the file, where it blocked,
 * the whole stack and the BLOCK softirq that woke it; the pane on the
 * worker's futex names the holder as waker, and following the critical
 * path reaches the holder's nanosleep and ends at a timer; back steps
 * along the path and closes.  The figures are checked against SQL
 * thread_state over the whole trace.  Keys: 'w' on Events rows and on a
 * Threads row, the pane's keys before the view's.
 *
 * The pane answers at once, computing, and its lines come with model_work
 * (the tests run that to the end before they read them); a follow asked
 * while it computes is done after, back stops it.
 *
 * On a synthetic trace of seconds (tests/synth.h), the pane - which folds
 * a window around the time asked and widens it only as far as it needs
 * - shows for many threads and times the same wait, and follows to the
 * same waker's wait, as thread_state over the whole trace says.
 */
#include "config.h"
#include "analyze/analyze.h"
#include "tests/synth.h"
#include "tests/synth_why.h"
#include "tui/evlist.h"
#include "tui/keys.h"
#include "tui/model.h"
#include "tui/tui.h"
#include "tui/why.h"

#include <curses.h>
#include <errno.h>
#include <inttypes.h>
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
#define T0 (3000 * 1000000000ull)	/* synth_why.c's */

static char why_path[] = "/tmp/kscope-tui-why-XXXXXX";
static char rnd_path[] = "/tmp/kscope-tui-whyr-XXXXXX";
static struct store *why_st, *rnd_st;

/* The oracle: thread_state over the whole trace, read once, in (tid,
 * ts) order. */
struct iv {
	int found;
	uint32_t tid;
	uint64_t ts, dur;
	int64_t waker_tid;	/* -1: NULL */
	char state[16], ctx[16], sys[32];	/* sys "": NULL */
};

struct states {
	struct iv *v;
	size_t n;
};

static void states_load(struct store *st, struct states *o)
{
	sqlite3_stmt *s;
	size_t cap = 0;

	memset(o, 0, sizeof(*o));
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT tid, ts, "
					    "dur, waker_tid, state, waker_ctx, "
					    "syscall FROM thread_state", -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct iv *v;

		if (o->n == cap) {
			cap = cap ? 2 * cap : 1024;
			assert_non_null(o->v = realloc(o->v,
						       cap * sizeof(*o->v)));
		}
		v = &o->v[o->n++];
		v->found = 1;
		v->tid = (uint32_t)sqlite3_column_int64(s, 0);
		v->ts = (uint64_t)sqlite3_column_int64(s, 1);
		v->dur = (uint64_t)sqlite3_column_int64(s, 2);
		v->waker_tid = sqlite3_column_type(s, 3) == SQLITE_NULL ? -1 :
			       sqlite3_column_int64(s, 3);
		snprintf(v->state, sizeof(v->state), "%s",
			 (const char *)sqlite3_column_text(s, 4));
		snprintf(v->ctx, sizeof(v->ctx), "%s",
			 sqlite3_column_type(s, 5) == SQLITE_NULL ? "" :
			 (const char *)sqlite3_column_text(s, 5));
		snprintf(v->sys, sizeof(v->sys), "%s",
			 sqlite3_column_type(s, 6) == SQLITE_NULL ? "" :
			 (const char *)sqlite3_column_text(s, 6));
	}
	sqlite3_finalize(s);
	for (size_t i = 1; i < o->n; i++)	/* the table's order */
		assert_true(o->v[i - 1].tid < o->v[i].tid ||
			    (o->v[i - 1].tid == o->v[i].tid &&
			     o->v[i - 1].ts <= o->v[i].ts));
}

static int is_wait(const struct iv *v)
{
	return !strcmp(v->state, "sleeping") || !strcmp(v->state, "blocked");
}

/* TID's last interval beginning at or before TS, or NULL. */
static const struct iv *last_at(const struct states *o, uint32_t tid,
				uint64_t ts)
{
	const struct iv *best = NULL;

	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].tid == tid && o->v[i].ts <= ts)
			best = &o->v[i];
	return best;
}

/* TID's last sleep or block beginning at or before TS. */
static struct iv last_wait(const struct states *o, uint32_t tid,
			   uint64_t ts)
{
	struct iv none = { 0 };

	for (const struct iv *v = last_at(o, tid, ts);
	     v && v >= o->v && v->tid == tid; v--)
		if (is_wait(v))
			return *v;
	return none;
}

/* The waker's own wait on the critical path from wait W: the waker
 * running at the wakeup, back over runnable time to a wait.  *HOLE set
 * when the states of the whole trace do not cover the wakeup. */
static struct iv waker_wait(const struct states *o, const struct iv *w,
			    int *hole)
{
	struct iv none = { 0 };
	uint64_t wake = w->ts + w->dur;
	const struct iv *x;

	*hole = 0;
	/* a task's wakeup (waker_ctx NULL: a trace that does not say) */
	if ((w->ctx[0] && strcmp(w->ctx, "task")) || w->waker_tid <= 0)
		return none;
	x = last_at(o, (uint32_t)w->waker_tid, wake);
	*hole = !x || (wake >= x->ts + x->dur && wake != x->ts);
	if (*hole || strcmp(x->state, "running"))
		return none;
	while (--x >= o->v && x->tid == (uint32_t)w->waker_tid) {
		if (is_wait(x))
			return *x;
		if (strcmp(x->state, "runnable"))
			break;
	}
	return none;
}

static struct states why_states, rnd_states;

static int setup(void **state)
{
	struct synth_opts o = SYNTH_OPTS_INIT;
	char err[STORE_ERRLEN];
	int fd1 = mkstemp(why_path), fd2 = mkstemp(rnd_path);

	(void)state;
	if (fd1 < 0 || fd2 < 0)
		return -1;
	close(fd1);
	close(fd2);
	o.syscalls = 20000;
	o.seed = 7;
	o.rate = 5000;	/* 4 s: waits longer than the first window */
	o.procs = 20;
	if (synth_why_write(why_path) < 0 || synth_write(rnd_path, &o) < 0)
		return -1;
	if (!(why_st = analyze_trace_open(why_path, err)) ||
	    !(rnd_st = analyze_trace_open(rnd_path, err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	states_load(why_st, &why_states);
	states_load(rnd_st, &rnd_states);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(why_states.v);
	free(rnd_states.v);
	store_close(why_st);
	store_close(rnd_st);
	unlink(why_path);
	unlink(rnd_path);
	return 0;
}

static struct model *open_model(struct store *st)
{
	char err[256];
	struct model *m = model_open(st, err, sizeof(err));

	if (!m)
		fail_msg("model_open: %s", err);
	model_layout(m, 10, 80, 64);
	return m;
}

static void settle(struct model *m)
{
	while (model_work(m, 1000000000ull) > 0)
		;
}

/* The pane on TID at TS, its lines computed (in the background). */
static int why_open(struct model *m, uint32_t tid, uint64_t ts)
{
	int rc = model_why_open(m, tid, ts);

	settle(m);
	return rc;
}

/* Follow the critical path, the new hop's lines computed. */
static int why_follow(struct model *m)
{
	int rc = model_why_follow(m);

	settle(m);
	return rc;
}

/* The value of the pane's line LABEL ("" continuation lines skipped),
 * or NULL. */
static const char *field(const struct why_hop *h, const char *label)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->lines[i].label, label))
			return h->lines[i].text;
	return NULL;
}

/* Whether a line of the pane contains S. */
static int shows(const struct why_hop *h, const char *s)
{
	for (size_t i = 0; i < h->n; i++)
		if (strstr(h->lines[i].text, s))
			return 1;
	return 0;
}

/* ---- the planted story ------------------------------------------------ */

static void test_fsync(void **state)
{
	struct model *m = open_model(why_st);
	const struct why_hop *h;
	struct iv want = last_wait(&why_states, WHY_WRITER, T0 + 40 * MS);

	(void)state;
	assert_null(model_why(m));
	assert_int_equal(why_open(m, WHY_WRITER, T0 + 40 * MS), 0);
	assert_non_null(h = model_why(m));
	assert_true(h->found);
	assert_int_equal(h->state, 3);	/* blocked */
	assert_true(want.found);
	assert_int_equal(h->wait_ts, want.ts);
	assert_int_equal(h->wait_dur, want.dur);
	assert_string_equal(h->name, "writer/4005");
	assert_string_equal(field(h, "thread"), "writer  tid 4005  pid 4005");
	assert_null(field(h, "at"));	/* 40 ms is in the wait */
	assert_string_equal(field(h, "state"), "blocked (D, uninterruptible)");
	assert_string_equal(field(h, "start"), "+0.030010");
	assert_string_equal(field(h, "duration"), "23.99 ms");
	assert_string_equal(field(h, "syscall"), "fsync");
	assert_string_equal(field(h, "fd"), "/var/lib/app/data.log");
	assert_string_equal(field(h, "blocked in"), "folio_wait_writeback");
	assert_string_equal(field(h, "woken by"), "softirq BLOCK at +0.054000");
	assert_string_equal(field(h, "then"),
			    "waited 200.00 us for cpu3, ran at +0.054200");
	assert_string_equal(field(h, "path"),
			    "the critical path ends here: an interrupt");
	/* the whole stack, innermost first, where it blocked marked */
	const char *frames[] = { "__schedule", "schedule", "io_schedule",
		"folio_wait_bit_common", "folio_wait_bit",
		"folio_wait_writeback", "__filemap_fdatawait_range",
		"file_write_and_wait_range", "ext4_sync_file",
		"vfs_fsync_range", "do_fsync", "__x64_sys_fsync",
		"do_syscall_64", "entry_SYSCALL_64_after_hwframe" };
	size_t i = 0;
	while (i < h->n && strcmp(h->lines[i].label, "stack"))
		i++;
	assert_true(i + 14 < h->n + 1);
	for (size_t k = 0; k < 14; k++) {
		const struct why_line *l = &h->lines[i + 1 + k];
		assert_string_equal(l->text, frames[k]);
		assert_int_equal(l->kind, k < 5 ? WHY_FRAME_PLUMB :
				 k == 5 ? WHY_FRAME_AT : WHY_FRAME);
	}
	assert_int_equal(h->next_tid, 0);
	assert_int_equal(model_why_follow(m), -ENOENT);
	assert_non_null(strstr(m->status, "an interrupt"));
	assert_int_equal(model_why_back(m), 0);
	assert_null(model_why(m));
	model_close(m);
}

static void test_follow(void **state)
{
	struct model *m = open_model(why_st);
	const struct why_hop *h;
	struct iv w = last_wait(&why_states, WHY_WORKER, T0 + 30 * MS), x;
	int hole;

	(void)state;
	assert_int_equal(why_open(m, WHY_WORKER, T0 + 30 * MS), 0);
	h = model_why(m);
	assert_int_equal(h->wait_ts, w.ts);
	assert_int_equal(h->wait_dur, w.dur);
	assert_string_equal(field(h, "state"), "sleeping");
	assert_string_equal(field(h, "syscall"), "futex");
	assert_null(field(h, "fd"));	/* the call has no fd_name */
	assert_string_equal(field(h, "blocked in"), "futex_wait_queue");
	assert_string_equal(field(h, "woken by"),
			    "holder  tid 4002  pid 4002  at +0.061005");
	assert_string_equal(field(h, "waker"), "running since +0.060500 "
			    "(505.00 us before the wakeup)");
	assert_string_equal(field(h, "its wait"), "sleeping 50.00 ms from "
			    "+0.010000 in clock_nanosleep (blocked in "
			    "hrtimer_nanosleep)");
	assert_non_null(strstr(field(h, "path"), "follow it to holder/4002"));
	/* following goes where the oracle's critical path goes */
	x = waker_wait(&why_states, &w, &hole);
	assert_true(x.found);
	assert_int_equal(h->next_tid, WHY_HOLDER);
	assert_int_equal(h->next_ts, x.ts);
	assert_int_equal(why_follow(m), 0);
	h = model_why(m);
	assert_int_equal(m->why->n, 2);
	assert_string_equal(h->name, "holder/4002");
	assert_int_equal(h->wait_ts, x.ts);
	assert_int_equal(h->wait_dur, x.dur);
	assert_string_equal(field(h, "syscall"), "clock_nanosleep");
	assert_string_equal(field(h, "blocked in"), "hrtimer_nanosleep");
	assert_string_equal(field(h, "woken by"),
			    "hardirq hrtimer at +0.060000");
	assert_string_equal(field(h, "path"),
			    "the critical path ends here: a timer");
	assert_true(shows(h, "do_nanosleep.constprop.0"));
	assert_int_equal(model_why_follow(m), -ENOENT);
	assert_non_null(strstr(m->status, "a timer"));
	/* scrolling stays within the lines */
	model_why_scroll(m, 1000);
	assert_int_equal(h->top, h->n - 1);
	model_why_scroll(m, -1000);
	assert_int_equal(h->top, 0);
	/* back along the path, then closed */
	assert_int_equal(model_why_back(m), 1);
	assert_string_equal(model_why(m)->name, "worker/4001");
	assert_int_equal(model_why_back(m), 0);
	assert_null(model_why(m));
	model_close(m);
}

/* At a time the thread runs: the wait before it, and the "at" line. */
static void test_running(void **state)
{
	struct model *m = open_model(why_st);
	const struct why_hop *h;

	(void)state;
	assert_int_equal(why_open(m, WHY_HOLDER, T0 + 65 * MS), 0);
	h = model_why(m);
	assert_string_equal(field(h, "at"), "+0.065000: running on cpu0 "
			    "since +0.060500; the last wait before it:");
	assert_int_equal(h->wait_ts, T0 + 10 * MS);
	/* a sleep with no wakeup to the end: partial, marked */
	assert_int_equal(why_open(m, WHY_HOLDER, T0 + 80 * MS), 0);
	h = model_why(m);
	assert_int_equal(m->why->n, 1);
	assert_string_equal(field(h, "duration"), "at least 30.00 ms "
			    "(partial: it went on after what the trace "
			    "shows)");
	assert_non_null(strstr(field(h, "woken by"), "no wakeup seen"));
	/* before its first wait: none, said so */
	assert_int_equal(why_open(m, WHY_WRITER, T0 + 20 * MS), 0);
	h = model_why(m);
	assert_false(h->found);
	assert_non_null(strstr(field(h, "at"), "no wait of it before"));
	model_close(m);
}

/* ---- keys ----------------------------------------------------------------- */

static void type(struct tui *t, const char *s)
{
	while (*s)
		tui_key_handle(t, (unsigned char)*s++);
}

/* Events: search a row, 'w' on it; the pane's keys come first. */
static void test_keys_events(void **state)
{
	struct model *m = open_model(why_st);
	struct tui t = { .m = m };
	const struct why_hop *h;

	(void)state;
	tui_key_handle(&t, '4');
	model_rows(m);
	settle(m);
	/* every read stops at once: a search's match arrives in the
	 * background, as on a loaded machine */
	model_frame(m)->ev->budget_ns = 1;
	/* the fsync call: the longest wait inside it; the search goes on
	 * in the background (as when a key's budget ran out), and the
	 * background is not idle while the match's rows are on the way */
	snprintf(m->search, sizeof(m->search), "fsync(");
	m->search_dir = 1;
	m->search_pending = 1;
	assert_int_equal(model_work(m, 1000000000ull), 1);
	assert_false(m->search_pending);
	settle(m);
	assert_false(evlist_pending(model_frame(m)->ev));
	assert_non_null(strstr(model_frame(m)->ev->rows[model_frame(m)->ev->sel].text,
			       "fsync("));
	size_t sel = model_frame(m)->ev->sel;
	tui_key_handle(&t, 'w');
	settle(m);
	assert_non_null(h = model_why(m));
	assert_string_equal(field(h, "fd"), "/var/lib/app/data.log");
	tui_key_handle(&t, KEY_DOWN);	/* scrolls the pane, not the list */
	assert_int_equal(h->top, 1);
	assert_int_equal(model_frame(m)->ev->sel, sel);
	tui_key_handle(&t, 27);
	assert_null(model_why(m));
	/* a wakeup row: the woken thread, then follow with Right */
	tui_key_handle(&t, '/');
	type(&t, "wakeup worker/4001");
	tui_key_handle(&t, '\r');
	settle(m);
	tui_key_handle(&t, 'w');
	settle(m);
	assert_non_null(h = model_why(m));
	assert_string_equal(h->name, "worker/4001");
	tui_key_handle(&t, KEY_RIGHT);
	settle(m);
	assert_string_equal(model_why(m)->name, "holder/4002");
	tui_key_handle(&t, 'w');	/* ends at a timer: stays */
	assert_string_equal(model_why(m)->name, "holder/4002");
	tui_key_handle(&t, KEY_BACKSPACE);
	assert_string_equal(model_why(m)->name, "worker/4001");
	tui_key_handle(&t, 127);
	assert_null(model_why(m));
	/* an event of no thread (an interrupt's wakeup of a thread is the
	 * thread's; the idle task's switch is nobody's) */
	tui_key_handle(&t, KEY_HOME);
	settle(m);
	tui_key_handle(&t, 'w');
	assert_null(model_why(m));
	model_close(m);
}

/* Threads: 'w' on a thread opens its longest wait in the window. */
static void test_keys_threads(void **state)
{
	struct model *m = open_model(why_st);
	struct tui t = { .m = m };

	(void)state;
	settle(m);
	assert_int_equal(model_view_switch(m, VIEW_PROCS), 0);
	assert_int_equal(model_push(m, VIEW_THREADS, "", "", WHY_WORKER), 0);
	settle(m);
	assert_int_equal(model_rows(m), 2);
	tui_key_handle(&t, 'w');	/* "(all threads)" */
	assert_null(model_why(m));
	model_move(m, 1);
	tui_key_handle(&t, 'w');
	settle(m);
	assert_non_null(model_why(m));
	assert_int_equal(model_why(m)->wait_ts, T0 + 5001000);
	assert_int_equal(model_why(m)->wait_dur, 56004000);
	/* keys of the pane are in the help table */
	const struct key_binding *b = NULL;
	for (size_t i = 0; i < tui_nkeys; i++)
		if (tui_keys[i].views == KEYS_WHY && tui_keys[i].key == 'w')
			b = &tui_keys[i];
	assert_non_null(b);
	assert_non_null(strstr(b->help, "critical path"));
	model_close(m);
}

/* ---- in the background ------------------------------------------------- */

/* Whether hop H is still computing, as the pane shows it then: its
 * thread and "computing...", no wait yet. */
static int computing(const struct why_hop *h, uint32_t tid)
{
	return h && h->computing && h->tid == tid && !h->found &&
	       field(h, "thread") && shows(h, "computing...");
}

/* Opening and following answer before the folds are done: on the
 * synthetic trace of seconds, the pane is computing when the call
 * returns, its lines come with model_work; a follow asked meanwhile is
 * done once they are there, and reaches the waker's wait the whole
 * trace's states name; back stops a hop that is computing, and so does
 * closing the model. */
static void test_background(void **state)
{
	struct model *m = open_model(rnd_st);
	const struct iv *w = NULL;
	struct iv x = { 0 };
	uint64_t ts;
	int hole;

	(void)state;
	settle(m);
	/* a wait with a waker's wait near it */
	for (size_t i = 0; i < rnd_states.n && !w; i++) {
		const struct iv *v = &rnd_states.v[i];

		if (!is_wait(v) || v->dur > 32 * MS)
			continue;
		x = waker_wait(&rnd_states, v, &hole);
		if (!hole && x.found && v->ts + v->dur - x.ts < 500 * MS &&
		    x.dur < 32 * MS)
			w = v;
	}
	assert_non_null(w);
	ts = w->ts + w->dur / 2;
	assert_int_equal(model_why_open(m, w->tid, ts), 0);
	assert_true(computing(model_why(m), w->tid));
	assert_int_equal(model_why_follow(m), 0);	/* asked meanwhile */
	assert_int_equal(m->why->n, 1);
	settle(m);
	assert_int_equal(m->why->n, 2);
	assert_false(model_why(m)->computing);
	assert_int_equal(model_why(m)->tid, (uint32_t)w->waker_tid);
	assert_int_equal(model_why(m)->wait_ts, x.ts);
	assert_int_equal(model_why(m)->wait_dur, x.dur);
	assert_int_equal(model_why_back(m), 1);
	assert_int_equal(model_why(m)->wait_ts, w->ts);
	/* following: computing at once */
	assert_int_equal(model_why_follow(m), 0);
	assert_true(computing(model_why(m), (uint32_t)w->waker_tid));
	assert_int_equal(model_why_back(m), 1);	/* stopped */
	settle(m);
	assert_int_equal(m->why->n, 1);
	assert_int_equal(model_why(m)->wait_ts, w->ts);
	/* back on a pane computing closes it, and nothing comes after */
	assert_int_equal(model_why_open(m, w->tid, ts), 0);
	assert_true(computing(model_why(m), w->tid));
	assert_int_equal(model_why_back(m), 0);
	assert_null(model_why(m));
	settle(m);
	assert_null(model_why(m));
	/* the model closed while a fold runs, and one stopped a moment
	 * before (a sanitizer build sees what they would leave behind) */
	assert_int_equal(model_why_open(m, w->tid, ts), 0);
	assert_int_equal(model_why_back(m), 0);
	assert_int_equal(model_why_open(m, w->tid, ts), 0);
	assert_true(computing(model_why(m), w->tid));
	model_close(m);
}

/* ---- windows: the pane against the whole trace's states ------------------- */

static void test_windows(void **state)
{
	struct model *m = open_model(rnd_st);
	sqlite3_stmt *s;
	int checked = 0, followed = 0, far = 0, holes = 0, hole, calls = 0;
	int capped = 0;

	(void)state;
	/* a sample of (tid, time): in every 97th interval */
	assert_int_equal(sqlite3_prepare_v2(store_db(rnd_st), "SELECT tid, "
					    "ts + dur / 2 FROM thread_state "
					    "WHERE tid > 0 AND rowid % 97 = 0",
					    -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		uint32_t tid = (uint32_t)sqlite3_column_int64(s, 0);
		uint64_t ts = (uint64_t)sqlite3_column_int64(s, 1);
		struct iv w = last_wait(&rnd_states, tid, ts), x;
		const struct why_hop *h;

		assert_int_equal(why_open(m, tid, ts), 0);
		h = model_why(m);
		checked++;
		/* a thread running without a wait: looked for 1 s back */
		if (w.found && !h->found) {
			assert_true(ts - w.ts > 1000 * MS);
			assert_non_null(strstr(field(h, "at"),
					       "looks back 1 s"));
			capped++;
			continue;
		}
		assert_int_equal(h->found, w.found);
		if (!w.found)
			continue;
		assert_int_equal(h->wait_ts, w.ts);
		assert_int_equal(h->wait_dur, w.dur);
		/* the call, read from the window's start when that is
		 * enough, as read from the trace's */
		assert_string_equal(field(h, "syscall") ? field(h, "syscall") :
				    "", w.sys);
		calls += w.sys[0] != 0;
		far += ts - w.ts > 64 * MS || w.dur > 64 * MS;
		x = waker_wait(&rnd_states, &w, &hole);
		/* the synthetic scheduler contradicts itself at times: a
		 * run a later switch on its CPU denies leaves a hole in
		 * the whole trace's states that a window ending before
		 * that switch does not have */
		if (hole) {
			holes++;
			continue;
		}
		if (!x.found) {
			assert_int_equal(h->next_tid, 0);
			continue;
		}
		if (!h->next_tid) {	/* a waker running over 1 s */
			assert_non_null(strstr(h->end, "looks back 1 s"));
			capped++;
			continue;
		}
		assert_int_equal(h->next_tid, (uint32_t)w.waker_tid);
		assert_int_equal(h->next_ts, x.ts);
		assert_int_equal(why_follow(m), 0);
		assert_int_equal(model_why(m)->wait_ts, x.ts);
		assert_int_equal(model_why(m)->wait_dur, x.dur);
		followed++;
	}
	sqlite3_finalize(s);
	print_message("%d times, %d beyond the first window, %d in a call, "
		      "%d followed, %d beyond the look-back, %d wakers in a "
		      "hole\n", checked, far, calls, followed, capped, holes);
	/* the sample went where the first window does not reach */
	assert_true(checked >= 100);
	assert_true(far >= 10);
	assert_true(calls >= 10);
	model_close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsync),
		cmocka_unit_test(test_follow),
		cmocka_unit_test(test_running),
		cmocka_unit_test(test_keys_events),
		cmocka_unit_test(test_keys_threads),
		cmocka_unit_test(test_background),
		cmocka_unit_test(test_windows),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
