/*
 * test-tui-model.c - the TUI's model without a terminal: aggregates against
 * plain SQL and an independent pass, Events paging against the store
 * cursor (forward, backward, filtered), views, drill-down and back, sort,
 * tree, time window, filter, search, SQL grid, slowest calls, replay, and
 * the key table with its prompt editor.
 *
 * The trace is synthetic (tests/synth.h), written once to a temp file.
 */
#include "config.h"
#include "analyze/analyze.h"
#include "tests/synth.h"
#include "tests/synth_halfseen.h"
#include "tui/agg.h"
#include "tui/detail.h"
#include "tui/evlist.h"
#include "tui/help.h"
#include "tui/keys.h"
#include "tui/model.h"
#include "tui/tui.h"

#include <curses.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char path[] = "/tmp/kscope-tui-model-XXXXXX";
static struct store *st;
static uint64_t span_from, span_to;

static int64_t q_int(const char *sql)
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

static int setup(void **state)
{
	struct synth_opts o = SYNTH_OPTS_INIT;
	char err[STORE_ERRLEN];
	int fd = mkstemp(path);

	if (fd < 0)
		return -1;
	close(fd);
	o.syscalls = 20000;
	o.seed = 7;
	if (synth_write(path, &o) < 0)
		return -1;
	st = analyze_trace_open(path, err);
	if (!st) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	span_from = (uint64_t)q_int("SELECT value FROM meta WHERE key = 'start_ts'");
	span_to = (uint64_t)q_int("SELECT value FROM meta WHERE key = 'end_ts'");
	(void)state;
	return 0;
}

static int teardown(void **state)
{
	store_close(st);
	unlink(path);
	(void)state;
	return 0;
}

static struct model *open_model(void)
{
	char err[256];
	struct model *m = model_open(st, err, sizeof(err));

	if (!m)
		fail_msg("model_open: %s", err);
	model_layout(m, 10, 100, 64);
	return m;
}

/* ---- aggregates ----------------------------------------------------------- */

static void test_agg_matches_sql(void **state)
{
	char err[256], sql[256];
	struct agg *a = agg_new(st, span_from, span_to, NULL, err);

	assert_non_null(a);
	assert_int_equal(agg_run(a), 0);
	assert_true(agg_done(a));
	assert_int_equal(a->ovw.events[EV_SYSCALL],
			 q_int("SELECT count(*) FROM syscalls"));
	assert_int_equal(a->ovw.events[EV_SWITCH],
			 q_int("SELECT count(*) FROM sched_switch"));
	assert_int_equal(a->ovw.events[EV_NET], q_int("SELECT count(*) FROM net_events"));
	uint64_t tl = 0;
	for (int b = 0; b < AGG_BUCKETS; b++)
		tl += a->tl_events[b];
	uint64_t all = 0;
	for (int k = 0; k < EV_KIND_COUNT; k++)
		all += a->ovw.events[k];
	assert_int_equal(tl, all);
	assert_int_equal(a->nprocs > 10, 1);
	for (size_t i = 0; i < a->nprocs; i++) {
		const struct agg_task *p = &a->procs[i];
		const struct fold_task *c = agg_task_counts(a, p, 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM syscalls WHERE "
			 "pid = %u", p->id);
		assert_int_equal(c->syscalls, q_int(sql));
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM syscalls WHERE "
			 "pid = %u AND ret < 0 AND ret > -4096", p->id);
		assert_int_equal(c->errors, q_int(sql));
		snprintf(sql, sizeof(sql), "SELECT coalesce(sum(bytes), 0) FROM "
			 "net_events WHERE pid = %u AND kind IN ('send', 'recv')"
			 " AND bytes > 0", p->id);
		assert_int_equal(c->net_bytes, q_int(sql));
	}
	for (size_t i = 0; i < a->sysc.n; i++) {
		snprintf(sql, sizeof(sql), "SELECT max(dur) FROM syscalls WHERE "
			 "nr = %d", a->sysc.v[i].nr);
		assert_int_equal(a->sysc.v[i].max, q_int(sql));
	}
	uint64_t errs = 0;
	for (size_t i = 0; i < a->errs.nk; i++)
		errs += a->errs.k[i].count;
	assert_int_equal(errs, q_int("SELECT count(*) FROM syscalls WHERE ret < 0"
				     " AND ret > -4096"));
	/* a connection per handshake: SYN_SENT (active), SYN_RECV (passive) */
	assert_int_equal(a->nconns, q_int("SELECT count(*) FROM net_events "
					  "WHERE new_state = 'SYN_SENT' OR "
					  "old_state = 'SYN_RECV'"));
	agg_free(a);
	(void)state;
}

/* CPU time per thread from one straight pass over sched_switch, against
 * the sliced aggregate: the slices carry the state over, so they add up
 * to the straight pass.  The last run ends at the last recorded event, as
 * in report cpu (docs/ANALYZE.md). */
static void test_agg_cpu_time(void **state)
{
	char err[256];
	struct agg *a = agg_new(st, span_from, span_to, NULL, err);
	struct store_cursor *c = store_cursor_open(st, 1u << EV_SWITCH,
						   span_from, span_to);
	uint64_t last[AGG_MAXCPU];
	int64_t cur[AGG_MAXCPU];
	struct hmap idx = { 0 };
	uint64_t *cpu = calloc(1 << 20, sizeof(*cpu));
	enum ev_kind kind;
	const void *ev;
	size_t n = 0;

	assert_non_null(a);
	assert_non_null(c);
	/* nothing is known before the first recorded switch or after the
	 * last recorded event (analyze/traced.h) */
	struct store_kind_stats ks;
	uint64_t last_ev = 0;
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		assert_int_equal(store_kind_stats(st, (enum ev_kind)k, &ks), 0);
		if (ks.events && ks.ts_max > last_ev)
			last_ev = ks.ts_max;
	}
	assert_int_equal(store_kind_stats(st, EV_SWITCH, &ks), 0);
	for (int i = 0; i < AGG_MAXCPU; i++)
		last[i] = ks.ts_min > span_from ? ks.ts_min : span_from,
		cur[i] = -1;
	while (store_cursor_next(c, &kind, &ev) > 0) {
		const struct ev_switch *s = ev;
		if (s->prev_tid) {
			long i = hmap_index(&idx, s->prev_tid);
			if (i < 0) {
				i = (long)n++;
				hmap_put(&idx, s->prev_tid, (uint32_t)i);
			}
			cpu[i] += s->ts - last[s->cpu];
		}
		last[s->cpu] = s->ts;
		cur[s->cpu] = s->next_tid;
	}
	store_cursor_close(c);
	for (int k = 0; k < AGG_MAXCPU; k++)
		if (cur[k] > 0) {
			long i = hmap_index(&idx, (uint64_t)cur[k]);
			if (i < 0) {
				i = (long)n++;
				hmap_put(&idx, (uint64_t)cur[k], (uint32_t)i);
			}
			cpu[i] += (span_to < last_ev ? span_to : last_ev) -
				  last[k];
		}
	assert_int_equal(agg_run(a), 0);
	size_t checked = 0;
	for (size_t t = 0; t < a->nthreads; t++) {
		long i = hmap_index(&idx, a->threads[t].id);
		uint64_t want = i >= 0 ? cpu[i] : 0;
		assert_int_equal(a->threads[t].cpu_ns, want);
		checked += want > 0;
	}
	assert_true(checked > 5);
	/* busy per cpu adds up to the same total */
	uint64_t busy = 0, sum = 0;
	for (unsigned k = 0; k < a->ncpu; k++)
		for (int b = 0; b < AGG_BUCKETS; b++)
			busy += a->tl_busy[k][b];
	for (size_t i = 0; i < n; i++)
		sum += cpu[i];
	assert_int_equal(busy, sum);
	hmap_free(&idx);
	free(cpu);
	agg_free(a);
	(void)state;
}

/* A trace that sees some tasks only half (tests/synth_halfseen.h): the
 * traced ones get at most what the trace knows (cc1 not its 5 ms after
 * its exit), the others no time and no row. */
static void test_agg_halfseen(void **state)
{
	char file[] = "/tmp/kscope-tui-halfseen-XXXXXX", err[STORE_ERRLEN];
	int fd = mkstemp(file);
	struct store *hs;
	struct agg *a;
	static const struct { uint32_t tid; uint64_t ms; } want[] = {
		{ HS_MAKE, 30 }, { HS_CC1, 20 }, { HS_SH, 5 }, { HS_AS, 18 },
		{ HS_LD, 55 },
	};

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(synth_halfseen_write(file, "kscope record -o t "
					      "-- make"), 0);
	hs = analyze_trace_open(file, err);
	assert_non_null(hs);
	a = agg_new(hs, HS_T0, HS_T0 + 100 * HS_MS, NULL, err);
	assert_non_null(a);
	assert_int_equal(agg_run(a), 0);
	/* a run that spans whole slices counts only in its first and last
	 * (agg.h): at most what the trace knows, never more */
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		long t = hmap_index(&a->map_thread, want[i].tid);
		assert_true(t >= 0);
		assert_true(a->threads[t].cpu_ns > 0);
		assert_true(a->threads[t].cpu_ns <= want[i].ms * HS_MS);
		assert_int_equal(agg_proc_find(a, want[i].tid)->cpu_ns,
				 a->threads[t].cpu_ns);
	}
	assert_true(hmap_index(&a->map_thread, HS_RCU) < 0);
	assert_true(hmap_index(&a->map_thread, HS_SED) < 0);
	assert_null(agg_proc_find(a, HS_RCU));
	assert_null(agg_proc_find(a, HS_SED));
	agg_free(a);
	store_close(hs);
	unlink(file);
}

/* Partial results cover the slices read and estimate the whole. */
/* The Overview's CPU rows: busy, idle (known, nothing ran) and not known
 * (no switch of that CPU read yet, or none at all) are told apart.  A
 * trace of 4 CPUs over 100 ms: cpu 0 switches between two tasks every
 * ms, cpu 1 goes idle at 1 ms and runs a task from 99 ms, cpus 2 and 3
 * have no event. */
static void test_cpu_states(void **state)
{
	char cpath[] = "/tmp/kscope-tui-cpus-XXXXXX", err[STORE_ERRLEN];
	struct store_writer_opts wo = { .force = 1 };
	const uint64_t t0 = 1000000000ull, ms = 1000000ull;
	int fd = mkstemp(cpath);

	assert_true(fd >= 0);
	close(fd);
	struct store_writer *w = store_writer_open(cpath, &wo, err);
	assert_non_null(w);
	assert_int_equal(store_writer_meta(w, "cpus", "4"), 0);
	for (uint64_t i = 0; i <= 100; i++) {
		struct ev_switch sw = {
			.ts = t0 + i * ms, .cpu = 0, .prev_tid = 100 + i % 2,
			.prev_comm = "a", .next_tid = 101 - i % 2,
			.next_comm = "b",
		};
		assert_int_equal(store_writer_append(w, EV_SWITCH, &sw), 0);
		if (i == 1 || i == 99) {
			struct ev_switch idle = {
				.ts = t0 + i * ms, .cpu = 1,
				.prev_tid = i == 1 ? 102 : 0, .prev_comm = "c",
				.next_tid = i == 1 ? 0 : 102, .next_comm = "c",
				.prev_state = 1,
			};
			assert_int_equal(store_writer_append(w, EV_SWITCH,
							     &idle), 0);
		}
	}
	assert_int_equal(store_writer_close(w, err), 0);
	struct store *cs = analyze_trace_open(cpath, err);
	assert_non_null(cs);
	struct agg *a = agg_new(cs, t0, t0 + 100 * ms, NULL, err);
	assert_non_null(a);
	assert_int_equal(agg_run(a), 0);
	/* buckets of 100 ms / 256: 1 ms is bucket 2, 99 ms bucket 253 */
	unsigned mid = AGG_BUCKETS / 2;
	assert_int_equal(agg_cpu_state(a, 0, mid, mid + 1), AGG_CPU_BUSY);
	/* its switch-out at 1 ms shows what ran there since the recording
	 * began (as report cpu counts it) */
	assert_int_equal(agg_cpu_state(a, 1, 0, 1), AGG_CPU_BUSY);
	assert_int_equal(agg_cpu_state(a, 1, mid, mid + 1), AGG_CPU_IDLE);
	assert_int_equal(agg_cpu_state(a, 1, 10, 250), AGG_CPU_IDLE);
	assert_int_equal(agg_cpu_state(a, 1, 254, 255), AGG_CPU_BUSY);
	for (unsigned c = 2; c < 4; c++) {
		assert_int_equal(agg_cpu_state(a, c, 0, AGG_BUCKETS),
				 AGG_CPU_UNKNOWN);
		assert_int_equal(agg_cpu_state(a, c, mid, mid + 1),
				 AGG_CPU_UNKNOWN);
	}
	agg_free(a);
	store_close(cs);
	unlink(cpath);
	(void)state;
}

static void test_agg_partial(void **state)
{
	char err[256];
	struct agg *a = agg_new(st, span_from, span_to, "kind = syscall", err);
	int rc;

	assert_non_null(a);
	do
		rc = agg_step(a, 1);
	while (rc > 0 && agg_fraction(a) < 0.5);
	assert_int_equal(rc, 1);
	assert_false(agg_done(a));
	assert_true(agg_fraction(a) >= 0.5 && agg_fraction(a) < 1);
	double est = (double)a->ovw.events[EV_SYSCALL] * agg_scale(a);
	double all = (double)q_int("SELECT count(*) FROM syscalls");
	assert_true(est > all * 0.8 && est < all * 1.2);
	assert_int_equal(agg_run(a), 0);
	assert_int_equal(a->ovw.events[EV_SYSCALL], (uint64_t)all);
	assert_true(agg_scale(a) == 1.0);
	agg_free(a);
	(void)state;
}

/* ---- Events paging ---------------------------------------------------------- */

struct key { uint64_t ts; int kind; };

/* Read what a move or a jump left pending (the background's part). */
static void ev_settle(struct evlist *el)
{
	while (evlist_pending(el))
		assert_true(evlist_fill(el, 1000000000ull) >= 0);
}

static size_t cursor_keys(unsigned mask, struct key **out)
{
	struct store_cursor *c = store_cursor_open(st, mask, span_from, span_to);
	enum ev_kind kind;
	const void *ev;
	size_t n = 0, cap = 1024;
	struct key *k = malloc(cap * sizeof(*k));

	while (store_cursor_next(c, &kind, &ev) > 0) {
		if (n == cap)
			k = realloc(k, (cap *= 2) * sizeof(*k));
		k[n++] = (struct key){ ev_ts(ev), kind };
	}
	store_cursor_close(c);
	*out = k;
	return n;
}

static void test_evlist_paging(void **state)
{
	struct evfmt *fmt = evfmt_new(st, 0);
	struct evlist el;
	struct key *want;
	size_t n = cursor_keys(EV_KIND_ALL, &want), seen = 0, page = 30;

	assert_true(n > 20000);
	assert_int_equal(evlist_init(&el, st, fmt, span_from, span_to,
				     EV_KIND_ALL, NULL), 0);
	assert_int_equal(evlist_seek(&el, span_from, 0, page), 0);
	while (evlist_pending(&el))
		evlist_fill(&el, 1000000000ull);
	assert_true(el.at_start);
	/* forward one row at a time through everything */
	for (;;) {
		assert_true(seen < n);
		assert_int_equal(el.rows[el.sel].ts, want[seen].ts);
		assert_int_equal(el.rows[el.sel].kind, want[seen].kind);
		seen++;
		size_t before = el.sel;
		uint64_t bts = el.rows[el.sel].ts;
		uint32_t bord = el.rows[el.sel].ord;
		assert_int_equal(evlist_move(&el, 1, page), 0);
		ev_settle(&el);
		if (el.rows[el.sel].ts == bts && el.rows[el.sel].ord == bord &&
		    el.sel == before)
			break;
	}
	assert_int_equal(seen, n);
	assert_true(el.at_end);
	/* End, then backward a page at a time: each page, from the
	 * selection down, is the cursor's rows in order, and the last move
	 * stops on the first event */
	assert_int_equal(evlist_end(&el, page), 0);
	ev_settle(&el);
	size_t i = n - 1;
	for (;;) {
		for (size_t r = 0; r < page && i + r < n; r++) {
			assert_true(el.sel + r < el.n);
			assert_int_equal(el.rows[el.sel + r].ts, want[i + r].ts);
			assert_int_equal(el.rows[el.sel + r].kind,
					 want[i + r].kind);
		}
		if (!i)
			break;
		assert_false(el.sel == 0 && el.at_start);
		assert_int_equal(evlist_move(&el, -(long)page, page), 0);
		ev_settle(&el);
		i -= i < page ? i : page;
	}
	assert_true(el.sel == 0 && el.at_start);
	/* the buffer dropped its tail on the way up: down reads it again */
	assert_true(el.n < n);
	assert_int_equal(evlist_move(&el, 10000, page), 0);
	ev_settle(&el);
	assert_int_equal(el.rows[el.sel].ts, want[10000].ts);
	assert_int_equal(el.rows[el.sel].kind, want[10000].kind);
	/* seek into the middle: selection on the first event at or after */
	uint64_t mid = want[n / 2].ts;
	assert_int_equal(evlist_seek(&el, mid, 0, page), 0);
	while (evlist_pending(&el))
		evlist_fill(&el, 1000000000ull);
	assert_int_equal(el.rows[el.sel].ts, mid);
	size_t first = n / 2;
	while (first > 0 && want[first - 1].ts == mid)
		first--;
	assert_int_equal(el.rows[el.sel].kind, want[first].kind);
	/* one up reads the rows before it; one down is back */
	assert_int_equal(evlist_move(&el, -1, page), 0);
	ev_settle(&el);
	assert_int_equal(el.rows[el.sel].ts, want[first - 1].ts);
	assert_int_equal(el.rows[el.sel].kind, want[first - 1].kind);
	assert_int_equal(evlist_move(&el, 1, page), 0);
	assert_int_equal(el.rows[el.sel].ts, want[first].ts);
	/* a page down is PAGE rows on, a page up PAGE rows back */
	assert_int_equal(evlist_move(&el, (long)page, page), 0);
	assert_int_equal(el.rows[el.sel].ts, want[first + page].ts);
	assert_int_equal(evlist_move(&el, -3 * (long)page, page), 0);
	ev_settle(&el);
	assert_int_equal(el.rows[el.sel].ts, want[first - 2 * page].ts);
	assert_int_equal(el.rows[el.sel].kind, want[first - 2 * page].kind);
	assert_true(el.queries > 0);
	evlist_free(&el);
	free(want);
	evfmt_free(fmt);
	(void)state;
}

/* A page down past the buffer whose read stops before any row arrives
 * (1 ns budget, narrow slices, as when decoding a chunk outlasts the
 * budget): the rest of the move waits for the rows and the background
 * (evlist_fill) finishes it, on the page it was made with; an up while it
 * waits cancels it. */
static void test_evlist_down_pending(void **state)
{
	struct evfmt *fmt = evfmt_new(st, 0);
	struct evlist el;
	struct key *want;
	size_t n = cursor_keys(EV_KIND_ALL, &want), page = 30;

	assert_true(n > 20000);
	assert_int_equal(evlist_init(&el, st, fmt, span_from, span_to,
				     EV_KIND_ALL, NULL), 0);
	for (int k = 0; k < EV_KIND_COUNT; k++)
		el.slice_w[k] = (span_to - span_from) / 20000 + 1;
	assert_int_equal(evlist_seek(&el, span_from, 0, page), 0);
	ev_settle(&el);
	el.budget_ns = 1;
	assert_int_equal(evlist_move(&el, 10000, page), 0);
	assert_true(evlist_pending(&el));
	assert_true(el.rows[el.sel].ts < want[10000].ts);
	ev_settle(&el);
	assert_int_equal(el.rows[el.sel].ts, want[10000].ts);
	assert_int_equal(el.rows[el.sel].kind, want[10000].kind);
	assert_int_equal(el.top, el.sel + 1 - page);
	/* two moves waiting add up */
	assert_int_equal(evlist_seek(&el, span_from, 0, page), 0);
	ev_settle(&el);
	assert_int_equal(evlist_move(&el, 5000, page), 0);
	assert_int_equal(evlist_move(&el, 5000, page), 0);
	ev_settle(&el);
	assert_int_equal(el.rows[el.sel].ts, want[10000].ts);
	assert_int_equal(el.rows[el.sel].kind, want[10000].kind);
	/* an up while the move waits cancels the rest of it */
	assert_int_equal(evlist_move(&el, 10000, page), 0);
	assert_true(evlist_pending(&el));
	size_t at = el.sel;
	assert_int_equal(evlist_move(&el, -1, page), 0);
	assert_false(evlist_pending(&el));
	assert_int_equal(el.sel, at - 1);
	/* at the end of the data the move stops on the last row */
	assert_int_equal(evlist_move(&el, (long)n, page), 0);
	ev_settle(&el);
	assert_int_equal(el.rows[el.sel].ts, want[n - 1].ts);
	assert_true(el.at_end && el.sel == el.n - 1);
	evlist_free(&el);
	free(want);
	evfmt_free(fmt);
	(void)state;
}

static void test_evlist_filtered(void **state)
{
	struct evfmt *fmt = evfmt_new(st, 0);
	const char *where[EV_KIND_COUNT] = { [EV_SYSCALL] = "ret < 0" };
	struct evlist el;
	size_t got = 0;
	uint64_t prev = 0;
	int64_t want = q_int("SELECT count(*) FROM syscalls WHERE ret < 0");

	assert_true(want > 100);
	assert_int_equal(evlist_init(&el, st, fmt, span_from, span_to,
				     1u << EV_SYSCALL, where), 0);
	assert_int_equal(evlist_seek(&el, span_from, 0, 50), 0);
	for (;;) {
		while (evlist_pending(&el))
			evlist_fill(&el, 1000000000ull);
		assert_true(el.rows[el.sel].ts >= prev);
		assert_non_null(strstr(el.rows[el.sel].text, ") = -"));
		prev = el.rows[el.sel].ts;
		got++;
		size_t s = el.sel;
		uint64_t t = el.rows[el.sel].ts;
		evlist_move(&el, 1, 50);
		if (el.sel == s && el.rows[el.sel].ts == t)
			break;
	}
	assert_int_equal(got, want);
	/* search forward and back by text */
	assert_int_equal(evlist_seek(&el, span_from, 0, 50), 0);
	struct evlist_resume r = { 0 };
	int rc = evlist_search(&el, "ENOENT", 1, &r, 1000000000ull, 50);
	assert_int_equal(rc, 1);
	assert_non_null(strcasestr(el.rows[el.sel].text, "ENOENT"));
	uint64_t hit = el.rows[el.sel].ts;
	rc = evlist_search(&el, "ENOENT", 1, &r, 1000000000ull, 50);
	assert_int_equal(rc, 1);
	assert_true(el.rows[el.sel].ts >= hit);
	rc = evlist_search(&el, "no such text anywhere", 1, &r, 1000000000ull, 50);
	assert_int_equal(rc, 0);
	evlist_free(&el);
	evfmt_free(fmt);
	(void)state;
}

/* A syscall name that is rare in the trace (a sparse filter), its nr,
 * and the ts of its calls in order (*OUT, caller frees). */
static size_t rare_syscall(char *name, size_t len, int *nr, uint64_t **out)
{
	sqlite3_stmt *s;
	size_t n = 0;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT nr, name FROM "
		"syscalls GROUP BY nr HAVING count(*) BETWEEN 60 AND 400 ORDER "
		"BY count(*) LIMIT 1", -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	*nr = sqlite3_column_int(s, 0);
	snprintf(name, len, "%s", (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT ts FROM "
		"syscalls WHERE nr = ?1 ORDER BY ts", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int(s, 1, *nr);
	*out = malloc(400 * sizeof(**out));
	while (sqlite3_step(s) == SQLITE_ROW && n < 400)
		(*out)[n++] = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* The screen (top, selection, the rows of a page) is the one a full
 * filtered scan gives at global rows GTOP and GSEL. */
static void screen_is(const struct evlist *el, const uint64_t *want,
		      size_t n, size_t gtop, size_t gsel, size_t page)
{
	assert_int_equal(el->sel - el->top, gsel - gtop);
	assert_int_equal(el->rows[el->sel].ts, want[gsel]);
	for (size_t i = 0; i < page && gtop + i < n; i++) {
		assert_true(el->top + i < el->n);
		assert_int_equal(el->rows[el->top + i].ts, want[gtop + i]);
		assert_int_equal(el->rows[el->top + i].kind, EV_SYSCALL);
	}
}

/* End, then Page Up to the start under a sparse filter, with a budget so
 * small that every Page Up must stop before its rows are read: the
 * selection waits on the first row, the read goes on in the background
 * (evlist_fill), and then the screen is exactly the page a full filtered
 * scan gives there. */
static void test_evlist_back_sparse(void **state)
{
	struct evfmt *fmt = evfmt_new(st, 0);
	char name[64], where_nr[64];
	const char *where[EV_KIND_COUNT] = { 0 };
	struct evlist el;
	uint64_t *want;
	int nr;
	size_t n = rare_syscall(name, sizeof(name), &nr, &want), page = 7;
	size_t gsel, gtop, waited = 0;

	assert_true(n >= 60);
	snprintf(where_nr, sizeof(where_nr), "nr = %d", nr);
	where[EV_SYSCALL] = where_nr;
	assert_int_equal(evlist_init(&el, st, fmt, span_from, span_to,
				     1u << EV_SYSCALL, where), 0);
	el.density = 0; /* as if nothing were known of the filter */
	el.budget_ns = 1;
	assert_int_equal(evlist_end(&el, page), 0);
	assert_true(evlist_pending(&el));
	ev_settle(&el);
	gsel = n - 1;
	gtop = n - page;
	screen_is(&el, want, n, gtop, gsel, page);
	assert_false(el.at_start);
	while (gsel > 0) {
		uint64_t q = el.queries;
		assert_int_equal(evlist_move(&el, -(long)page, page), 0);
		if (evlist_pending(&el)) {
			/* the key stopped on the rows it had */
			assert_true(el.up_pending > 0);
			waited++;
			ev_settle(&el);
		}
		assert_int_equal(el.up_pending, 0);
		gsel = gsel > page ? gsel - page : 0;
		if (gsel < gtop)
			gtop = gsel;
		screen_is(&el, want, n, gtop, gsel, page);
		assert_true(el.queries >= q);
	}
	assert_true(el.at_start);
	assert_int_equal(el.sel, 0);
	assert_true(waited > 0);
	/* down and up again inside what was read: no reads at all */
	uint64_t q = el.queries;
	assert_int_equal(evlist_move(&el, 3 * (long)page, page), 0);
	assert_int_equal(evlist_move(&el, -2 * (long)page, page), 0);
	assert_false(evlist_pending(&el));
	assert_int_equal(el.queries, q);
	assert_int_equal(el.rows[el.sel].ts, want[page]);
	/* a Down while an up waits cancels the rest of the move */
	assert_int_equal(evlist_end(&el, page), 0);
	ev_settle(&el);
	assert_int_equal(evlist_move(&el, -3 * (long)page, page), 0);
	if (evlist_pending(&el)) {
		size_t at = el.sel;
		assert_int_equal(evlist_move(&el, 1, page), 0);
		assert_int_equal(el.up_pending, 0);
		assert_false(evlist_pending(&el));
		assert_int_equal(el.sel, at + 1);
	}
	evlist_free(&el);
	free(want);
	evfmt_free(fmt);
	(void)state;
}

/* A forward search that runs out of budget before any row goes on where
 * it stopped: with a 1 ns budget it still reaches the next match. */
static void test_evlist_search_resumes(void **state)
{
	struct evfmt *fmt = evfmt_new(st, 0);
	char name[64], where_nr[64];
	const char *where[EV_KIND_COUNT] = { 0 };
	struct evlist el;
	struct evlist_resume r = { 0 };
	uint64_t *want;
	int nr, rc, calls = 0;
	size_t n = rare_syscall(name, sizeof(name), &nr, &want);

	assert_true(n > 3);
	snprintf(where_nr, sizeof(where_nr), "nr = %d", nr);
	where[EV_SYSCALL] = where_nr;
	assert_int_equal(evlist_init(&el, st, fmt, span_from, span_to,
				     1u << EV_SYSCALL, where), 0);
	/* slices much narrower than the gaps between matches, as a sparse
	 * filter has them on a big trace */
	el.slice_w[EV_SYSCALL] = (span_to - span_from) / 2000 + 1;
	assert_int_equal(evlist_seek(&el, span_from, 0, 5), 0);
	ev_settle(&el);
	assert_int_equal(el.rows[el.sel].ts, want[0]);
	for (int i = 1; i <= 3; i++) {
		do
			rc = evlist_search(&el, name, 1, &r, 1, 5);
		while (rc == -EAGAIN && ++calls < 1000);
		assert_int_equal(rc, 1);
		ev_settle(&el);
		assert_int_equal(el.rows[el.sel].ts, want[i]);
	}
	assert_true(calls > 0); /* the budget did stop it */
	evlist_free(&el);
	free(want);
	evfmt_free(fmt);
	(void)state;
}

/* ---- the model -------------------------------------------------------------- */

static void settle(struct model *m)
{
	while (model_work(m, 1000000000ull) > 0)
		;
}

/* The model under a sparse filter: once End has settled, the background
 * has read the pages above it, so Page Up is answered from the buffer
 * (no query) with exactly the rows of a full filtered scan; and Page
 * Down after Home likewise. */
static void test_events_prefetch(void **state)
{
	struct model *m = open_model();
	char name[64], filter[80];
	uint64_t *want;
	int nr;
	size_t n = rare_syscall(name, sizeof(name), &nr, &want);
	size_t page = m->page;

	snprintf(filter, sizeof(filter), "name = %s", name);
	assert_int_equal(model_filter_set(m, filter), 0);
	assert_int_equal(model_view_switch(m, VIEW_EVENTS), 0);
	model_rows(m);
	settle(m);
	struct evlist *el = model_frame(m)->ev;
	assert_int_equal(model_end(m), 0);
	settle(m);
	assert_int_equal(el->rows[el->sel].ts, want[n - 1]);
	assert_true(el->top >= 2 * page); /* read ahead, upward */
	size_t gsel = n - 1, gtop = n - page;
	for (int i = 0; i < 3; i++) {
		uint64_t q = el->queries;
		assert_int_equal(model_move(m, -(long)page), 0);
		assert_false(evlist_pending(el));
		assert_int_equal(el->queries, q);
		gsel -= page;
		if (gsel < gtop)
			gtop = gsel;
		screen_is(el, want, n, gtop, gsel, page);
		assert_int_equal(m->cursor, want[gsel]);
		settle(m); /* the next pages up */
	}
	/* Home, then pages down from what was read ahead */
	assert_int_equal(model_home(m), 0);
	settle(m);
	assert_int_equal(el->rows[el->sel].ts, want[0]);
	assert_true(el->n - el->top >= 3 * page);
	uint64_t q = el->queries;
	assert_int_equal(model_move(m, (long)page), 0);
	assert_int_equal(model_move(m, (long)page), 0);
	assert_int_equal(el->queries, q);
	assert_int_equal(el->rows[el->sel].ts, want[2 * page]);
	free(want);
	model_close(m);
	(void)state;
}

static void test_views_drill_back(void **state)
{
	struct model *m = open_model();
	char bc[256];

	assert_int_equal(model_frame(m)->view, VIEW_OVERVIEW);
	assert_int_equal(model_view_switch(m, VIEW_PROCS), 0);
	settle(m);
	size_t n = model_rows(m);
	assert_true(n > 10);
	/* sorted by CPU, descending */
	const struct view *v = model_view(m);
	int col = model_frame(m)->sort_col;
	assert_string_equal(v->cols[col].title, "CPU");
	for (size_t i = 1; i < n; i++) {
		struct cell a, b;
		v->get(m, model_row_src(m, i - 1), col, &a);
		v->get(m, model_row_src(m, i), col, &b);
		assert_true(a.i >= b.i);
	}
	model_move(m, 3);
	assert_int_equal(model_frame(m)->sel, 3);
	const char *pid = model_cell_text(m, 3, 0);
	char pidbuf[32];
	snprintf(pidbuf, sizeof(pidbuf), "%s", pid);
	/* drill into the process: its threads, first row the whole process */
	assert_int_equal(model_enter(m), 0);
	assert_int_equal(m->depth, 2);
	assert_int_equal(model_frame(m)->view, VIEW_THREADS);
	assert_true(model_rows(m) >= 2);
	assert_string_equal(model_cell_text(m, 0, 0), pidbuf);
	model_breadcrumb(m, bc, sizeof(bc));
	assert_non_null(strstr(bc, "Processes > "));
	assert_non_null(strstr(bc, pidbuf));
	/* and into its events */
	model_home(m);
	assert_int_equal(model_enter(m), 0);
	assert_int_equal(model_frame(m)->view, VIEW_EVENTS);
	settle(m); /* a cold read may finish in the background */
	assert_true(model_rows(m) > 0);
	char scope[64];
	snprintf(scope, sizeof(scope), "pid = %s", pidbuf);
	assert_string_equal(model_frame(m)->scope, scope);
	model_breadcrumb(m, bc, sizeof(bc));
	assert_non_null(strstr(bc, "Events (pid"));
	/* back twice, to the same row */
	assert_int_equal(model_back(m), 1);
	assert_int_equal(model_back(m), 1);
	assert_int_equal(model_back(m), 0);
	assert_int_equal(model_frame(m)->view, VIEW_PROCS);
	assert_int_equal(model_frame(m)->sel, 3);
	/* another tab and back: the place is kept */
	model_view_switch(m, VIEW_SYSCALLS);
	settle(m);
	assert_true(model_rows(m) > 5);
	model_view_switch(m, VIEW_PROCS);
	assert_int_equal(model_frame(m)->sel, 3);
	assert_int_equal(model_view_next(m, 1), 0);
	assert_int_equal(model_frame(m)->view, VIEW_SYSCALLS);
	model_close(m);
	(void)state;
}

/* Connections: Enter shows that connection's events, and only those. */
static void test_connection_events(void **state)
{
	struct model *m = open_model();
	char sql[192];

	model_view_switch(m, VIEW_CONNS);
	settle(m);
	assert_true(model_rows(m) > 0);
	const struct agg *a = model_agg(m);
	const struct fold_conn_row *c =
		&a->conn.v[a->conns[model_row_src(m, 0)]];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM net_events WHERE "
		 "sock = %lld AND ts BETWEEN %llu AND %llu", (long long)c->sock,
		 (unsigned long long)c->start, (unsigned long long)c->last);
	int64_t want = q_int(sql);
	assert_true(want > 0);
	assert_int_equal(model_enter(m), 0);
	assert_int_equal(model_frame(m)->view, VIEW_EVENTS);
	settle(m);
	struct evlist *el = model_frame(m)->ev;
	/* from its first event, nothing above */
	snprintf(sql, sizeof(sql), "SELECT min(ts) FROM net_events WHERE "
		 "sock = %lld AND ts BETWEEN %llu AND %llu", (long long)c->sock,
		 (unsigned long long)c->start, (unsigned long long)c->last);
	assert_int_equal(el->rows[el->sel].ts, q_int(sql));
	assert_int_equal(model_rows_above(m), 0);
	model_home(m);
	settle(m);
	size_t n = el->n;
	assert_int_equal(n, (size_t)want < 4 * m->page ? (size_t)want : n);
	for (size_t i = 0; i < el->n; i++)
		assert_int_equal(el->rows[i].kind, EV_NET);
	model_close(m);
	(void)state;
}

/* Drill-downs from Errors and Files open their events at the first
 * matching row of the window, wherever the time cursor is; one that opens
 * at a time (a slow call's thread) says that rows are above. */
static void test_drill_first_row(void **state)
{
	struct model *m = open_model();
	char sql[512];

	model_goto(m, "+0.05s");
	model_view_switch(m, VIEW_ERRORS);
	settle(m);
	assert_true(model_rows(m) > 0);
	const struct fold_errs_key *e =
		&model_agg(m)->errs.k[model_row_src(m, 0)];
	snprintf(sql, sizeof(sql), "SELECT min(ts) FROM syscalls WHERE nr = %d "
		 "AND ret = %lld", e->nr, (long long)e->ret);
	uint64_t first = (uint64_t)q_int(sql);
	assert_true(first < span_from + 50000000ull);
	assert_int_equal(model_enter(m), 0);
	assert_int_equal(model_frame(m)->view, VIEW_EVENTS);
	settle(m);
	struct evlist *el = model_frame(m)->ev;
	assert_true(el->n > 0);
	assert_int_equal(el->sel, 0);
	assert_int_equal(el->rows[el->sel].ts, first);
	assert_int_equal(model_rows_above(m), 0);
	model_move(m, (long)m->page + 2);
	assert_int_equal(model_rows_above(m), 1);
	model_back(m);

	model_goto(m, "+0.05s");
	model_view_switch(m, VIEW_FILES);
	settle(m);
	assert_true(model_rows(m) > 0);
	const char *p = model_cell_text(m, 0, 3);
	snprintf(sql, sizeof(sql), "SELECT min(ts) FROM syscalls WHERE "
		 "path = '%s'", p);
	first = (uint64_t)q_int(sql);
	assert_int_equal(model_enter(m), 0);
	settle(m);
	el = model_frame(m)->ev;
	assert_true(el->n > 0);
	assert_int_equal(el->rows[el->sel].ts, first);
	assert_int_equal(model_rows_above(m), 0);
	model_back(m);

	/* the slowest read's thread at its time: rows above when the thread
	 * made a call before it */
	model_view_switch(m, VIEW_SYSCALLS);
	settle(m);
	model_search_set(m, "read");
	assert_int_equal(model_enter(m), 0);
	settle(m);
	struct grid *g = model_frame(m)->grid;
	assert_true(g->n > 0);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM syscalls WHERE "
		 "tid = %s AND ts < %s", g->rows[0].cells[3],
		 g->rows[0].cells[8]);
	int64_t before = q_int(sql);
	assert_int_equal(model_enter(m), 0);
	settle(m);
	assert_int_equal(model_rows_above(m), before > 0);
	model_home(m);
	settle(m);
	assert_int_equal(model_rows_above(m), 0);
	model_close(m);
	(void)state;
}

/* Rows wider than the screen scroll sideways, within the widest row on
 * screen; a search scrolls its match into view, with what follows it. */
static void test_hscroll(void **state)
{
	struct model *m = open_model();
	const char *needle = "/etc/hosts";
	int nlen = (int)strlen(needle);

	model_layout(m, 10, 80, 64);
	model_view_switch(m, VIEW_EVENTS);
	model_rows(m);
	settle(m);
	struct frame *f = model_frame(m);
	assert_int_equal(f->hscroll, 0);
	assert_int_equal(model_hscroll(m, -20), 0);
	assert_int_equal(model_hscroll(m, 20), 1);
	assert_int_equal(f->hscroll, 20);
	int widest = 0;
	for (size_t i = f->ev->top; i < f->ev->n && i < f->ev->top + m->page;
	     i++)
		if ((int)strlen(f->ev->rows[i].text) > widest)
			widest = (int)strlen(f->ev->rows[i].text);
	model_hscroll(m, 100000);
	assert_int_equal(f->hscroll, widest - 80 + 1);
	model_hscroll(m, -100000);
	assert_int_equal(f->hscroll, 0);
	/* the match is past column 80: the search scrolls to it */
	assert_int_equal(model_search_set(m, needle), 1);
	settle(m); /* a search may go on in the background */
	assert_false(m->search_pending);
	const char *t = f->ev->rows[f->ev->sel].text;
	assert_non_null(strstr(t, needle));
	int at = (int)(strstr(t, needle) - t);
	assert_true(at + nlen > 80);
	assert_true(at >= f->hscroll);
	assert_true(at + nlen <= f->hscroll + 78);

	/* a list: the match in a cell of a narrow screen */
	model_layout(m, 10, 40, 32);
	model_view_switch(m, VIEW_FILES);
	settle(m);
	f = model_frame(m);
	assert_int_equal(model_search_set(m, "access.log"), 1);
	int x[64], wd[64];
	model_col_layout(m, x, wd, model_ncols(m));
	t = model_cell_text(m, f->sel, 3);
	at = x[3] + (int)(strstr(t, "access.log") - t);
	assert_true(at + 10 > 40);
	assert_true(at >= f->hscroll && at + 10 <= f->hscroll + 38);
	model_close(m);
	(void)state;
}

/* The detail pane: an event read again by its key shows its line and
 * every field the trace stored for it (against SQL on the same row); a
 * list row shows each column whole. */
static void test_detail(void **state)
{
	struct model *m = open_model();
	struct tui t = { .m = m };
	char sql[256], want[128];

	model_layout(m, 10, 80, 64);
	model_view_switch(m, VIEW_EVENTS);
	model_rows(m);
	settle(m);
	assert_int_equal(model_search_set(m, "/etc/hosts"), 1);
	settle(m); /* a search may go on in the background */
	assert_false(m->search_pending);
	struct evlist *el = model_frame(m)->ev;
	const struct evrow *r = &el->rows[el->sel];
	tui_key_handle(&t, 'd');
	if (!m->detail)
		fail_msg("no detail: %s", m->status);
	assert_true(strncmp(m->detail, r->text, strlen(r->text)) == 0);
	snprintf(sql, sizeof(sql), "SELECT tid FROM syscalls WHERE ts = %llu "
		 "AND path = '/etc/hosts'", (unsigned long long)r->ts);
	snprintf(want, sizeof(want), "\ntid            %lld\n",
		 (long long)q_int(sql));
	assert_non_null(strstr(m->detail, want));
	assert_non_null(strstr(m->detail, "\npath           /etc/hosts\n"));
	assert_non_null(strstr(m->detail, "\nevent          syscall\n"));
	snprintf(sql, sizeof(sql), "SELECT name FROM syscalls WHERE ts = %llu "
		 "AND path = '/etc/hosts'", (unsigned long long)r->ts);
	sqlite3_stmt *st1;
	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &st1, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st1), SQLITE_ROW);
	snprintf(want, sizeof(want), "\nname           %s\n",
		 (const char *)sqlite3_column_text(st1, 0));
	sqlite3_finalize(st1);
	assert_non_null(strstr(m->detail, want));
	/* keys go to the pane until Esc closes it */
	tui_key_handle(&t, KEY_DOWN);
	assert_int_equal(t.detail_top, 1);
	assert_int_equal(el->sel, (size_t)(r - el->rows));
	tui_key_handle(&t, 27);
	assert_null(m->detail);
	assert_int_equal(model_frame(m)->view, VIEW_EVENTS);

	/* a list row: every column, the path whole */
	model_view_switch(m, VIEW_FILES);
	settle(m);
	assert_int_equal(model_detail_open(m), 0);
	snprintf(want, sizeof(want), "PATH           %s\n",
		 model_cell_text(m, model_frame(m)->sel, 3));
	assert_non_null(strstr(m->detail, want));
	assert_non_null(strstr(m->detail, "CALLS "));
	model_detail_close(m);
	model_close(m);
	(void)state;
}

static void test_sort_tree(void **state)
{
	struct model *m = open_model();

	model_view_switch(m, VIEW_PROCS);
	settle(m);
	size_t n = model_rows(m);
	int before = model_frame(m)->sort_col;
	assert_int_equal(model_sort_next(m), 1);
	assert_int_not_equal(model_frame(m)->sort_col, before);
	assert_int_equal(model_sort_invert(m), 1);
	assert_int_equal(model_rows(m), n);
	const struct view *v = model_view(m);
	int col = model_frame(m)->sort_col;
	int desc = model_frame(m)->sort_desc;
	for (size_t i = 1; i < n; i++) {
		struct cell a, b;
		v->get(m, model_row_src(m, i - 1), col, &a);
		v->get(m, model_row_src(m, i), col, &b);
		if (a.s || b.s)
			continue;
		assert_true(desc ? a.i >= b.i : a.i <= b.i);
	}
	assert_int_equal(model_tree_toggle(m), 1);
	assert_int_equal(model_rows(m), n);
	assert_non_null(model_frame(m)->depth);
	int deeper = 0;
	for (size_t i = 0; i < n; i++)
		deeper |= model_frame(m)->depth[i] > 0;
	assert_true(deeper);
	/* every row appears once */
	uint8_t *seen = calloc(n, 1);
	for (size_t i = 0; i < n; i++) {
		size_t s = model_row_src(m, i);
		assert_true(s < n);
		assert_false(seen[s]);
		seen[s] = 1;
	}
	free(seen);
	model_close(m);
	(void)state;
}

static void test_window_filter(void **state)
{
	struct model *m = open_model();
	uint64_t mid = span_from + (span_to - span_from) / 2;
	char sql[256];

	model_view_switch(m, VIEW_SYSCALLS);
	settle(m);
	uint64_t all = 0;
	for (size_t i = 0; i < model_agg(m)->sysc.n; i++)
		all += model_agg(m)->sysc.v[i].calls;
	/* mark from the cursor to the middle */
	m->cursor = span_from;
	model_mark(m);
	assert_true(m->marking);
	m->cursor = mid;
	model_mark(m);
	assert_false(m->marking);
	assert_int_equal(m->win_from, span_from);
	assert_int_equal(m->win_to, mid);
	settle(m);
	struct agg *a = model_agg(m);
	assert_int_equal(a->from, span_from);
	assert_int_equal(a->to, mid);
	uint64_t part = 0;
	for (size_t i = 0; i < a->sysc.n; i++)
		part += a->sysc.v[i].calls;
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM syscalls WHERE ts <= %llu",
		 (unsigned long long)mid);
	assert_int_equal(part, q_int(sql));
	assert_true(part < all);
	/* zoom in around the cursor, out, whole trace */
	assert_int_equal(model_zoom(m, 1), 1);
	assert_true(m->win_to - m->win_from < mid - span_from);
	model_zoom(m, 0);
	model_window_set(m, span_from, span_to);
	assert_int_equal(m->win_to - m->win_from, span_to - span_from);
	/* go to a time */
	assert_int_equal(model_goto(m, "+0.01s"), 0);
	assert_int_equal(m->cursor, span_from + 10000000);
	assert_int_equal(model_goto(m, "soon"), -EINVAL);
	assert_true(m->status_err);
	/* filter: the aggregates narrow to it */
	assert_int_equal(model_filter_set(m, "name = read"), 0);
	settle(m);
	a = model_agg(m);
	assert_int_equal(a->sysc.n, 1);
	assert_int_equal(a->sysc.v[0].calls, q_int("SELECT count(*) FROM syscalls "
						"WHERE name = 'read'"));
	/* a bad filter keeps the old one and says where it went wrong */
	assert_int_equal(model_filter_set(m, "name === read"), -EINVAL);
	assert_non_null(strstr(m->status, "column"));
	assert_string_equal(m->filter_text, "name = read");
	assert_int_equal(model_filter_set(m, ""), 0);
	settle(m);
	assert_true(model_agg(m)->sysc.n > 1);
	/* Events in a window start at the window */
	model_window_set(m, mid, span_to);
	model_view_switch(m, VIEW_EVENTS);
	model_rows(m);
	settle(m);
	assert_true(model_rows(m) > 0);
	assert_true(model_frame(m)->ev->rows[0].ts >= mid);
	model_end(m);
	assert_true(m->cursor <= span_to);
	model_close(m);
	(void)state;
}

static void test_search_sql_slowest(void **state)
{
	struct model *m = open_model();

	model_view_switch(m, VIEW_SYSCALLS);
	settle(m);
	assert_int_equal(model_search_set(m, "openat"), 1);
	assert_string_equal(model_cell_text(m, model_frame(m)->sel, 0), "openat");
	assert_int_equal(model_search_set(m, "nothing-like-this"), 0);
	assert_true(m->status_err);
	/* slowest calls of the selected syscall */
	model_search_set(m, "openat");
	assert_int_equal(model_enter(m), 0);
	assert_int_equal(model_frame(m)->view, VIEW_SLOWEST);
	settle(m);
	struct grid *g = model_frame(m)->grid;
	assert_non_null(g);
	assert_true(g->done);
	assert_true(g->n > 0);
	assert_string_equal(g->names[9], "dur");
	assert_int_equal(strtoll(g->rows[0].cells[9], NULL, 10),
			 q_int("SELECT max(dur) FROM syscalls WHERE name = 'openat'"));
	for (size_t i = 1; i < g->n; i++)
		assert_true(strtoll(g->rows[i - 1].cells[9], NULL, 10) >=
			    strtoll(g->rows[i].cells[9], NULL, 10));
	/* shown: time, took, pid, tid, comm, ret, err, path; an SQL NULL
	 * (no errno, no path) as "-" */
	assert_int_equal(model_ncols(m), 8);
	for (size_t i = 0; i < g->n; i++) {
		assert_non_null(g->rows[i].cells[0]);
		assert_int_equal(g->rows[i].cells[0][0], '+');
		if (!g->rows[i].cells[6])
			assert_string_equal(model_cell_text(m, i, 6), "-");
		if (!g->rows[i].cells[7])
			assert_string_equal(model_cell_text(m, i, 7), "-");
	}
	/* Enter on a call: that thread's events at its time */
	uint64_t ts = strtoull(g->rows[0].cells[8], NULL, 10);
	assert_int_equal(model_enter(m), 0);
	assert_int_equal(model_frame(m)->view, VIEW_EVENTS);
	settle(m); /* a cold read may finish in the background */
	assert_true(model_rows(m) > 0);
	struct evlist *el = model_frame(m)->ev;
	assert_int_equal(el->rows[el->sel].ts, ts);
	model_back(m);
	model_back(m);
	/* SQL prompt */
	assert_int_equal(model_sql(m, "SELECT name, count(*) AS n FROM syscalls "
				      "GROUP BY name ORDER BY n DESC"), 0);
	assert_int_equal(model_frame(m)->view, VIEW_SQL);
	settle(m);
	g = model_frame(m)->grid;
	assert_int_equal(g->ncols, 2);
	assert_string_equal(g->names[1], "n");
	assert_int_equal(g->n, q_int("SELECT count(DISTINCT name) FROM syscalls"));
	assert_int_equal(model_sql(m, "SELEKT 1"), -EINVAL);
	assert_non_null(strstr(m->status, "syntax"));
	assert_int_equal(model_sql(m, "DELETE FROM meta"), -EINVAL);
	model_close(m);
	(void)state;
}

/* User SQL runs in a worker: model_sql answers before the statement is
 * done, a statement that would run forever shows as running and stops on
 * model_sql_cancel (what Esc does) with the rows it had; errors found
 * while it runs reach the status line. */
static void test_sql_running(void **state)
{
	struct model *m = open_model();
	struct tui t = { .m = m };

	assert_int_equal(model_sql(m, "WITH RECURSIVE c(x) AS (SELECT 1 UNION "
				      "ALL SELECT x + 1 FROM c) SELECT count(*) "
				      "AS n FROM c"), 0);
	struct grid *g = model_frame(m)->grid;
	assert_int_equal(model_frame(m)->view, VIEW_SQL);
	assert_non_null(g);
	assert_false(g->done);
	assert_true(model_partial(m));
	assert_int_equal(g->ncols, 1);
	assert_string_equal(g->names[0], "n");
	/* it keeps running while the loop works */
	for (int i = 0; i < 5; i++)
		assert_int_equal(model_work(m, 2000000), 1);
	assert_false(g->done);
	/* Esc stops it and stays on the grid; Esc again goes back */
	tui_key_handle(&t, 27);
	assert_int_equal(model_frame(m)->view, VIEW_SQL);
	settle(m);
	assert_true(g->done);
	assert_true(g->cancelled);
	assert_int_equal(g->n, 0);
	assert_non_null(strstr(m->status, "stopped"));
	assert_false(model_partial(m));
	tui_key_handle(&t, 27);
	assert_int_not_equal(model_frame(m)->view, VIEW_SQL);
	/* rows stream in; a long result stops at GRID_MAX_ROWS */
	assert_int_equal(model_sql(m, "WITH RECURSIVE c(x) AS (SELECT 1 UNION "
				      "ALL SELECT x + 1 FROM c) SELECT x FROM c"),
			 0);
	settle(m);
	g = model_frame(m)->grid;
	assert_true(g->truncated);
	assert_int_equal(g->n, GRID_MAX_ROWS);
	assert_string_equal(g->rows[GRID_MAX_ROWS - 1].cells[0], "100000");
	model_back(m);
	/* an error while running */
	assert_int_equal(model_sql(m, "SELECT abs(-9223372036854775807 - 1) "
				      "FROM syscalls"), 0);
	settle(m);
	assert_true(model_frame(m)->grid->done);
	assert_true(m->status_err);
	assert_non_null(strstr(m->status, "integer overflow"));
	/* leaving a running statement (or quitting) stops it */
	assert_int_equal(model_sql(m, "WITH RECURSIVE c(x) AS (SELECT 1 UNION "
				      "ALL SELECT x + 1 FROM c) SELECT max(x) "
				      "FROM c"), 0);
	model_work(m, 1000000);
	model_close(m);
	(void)state;
}

static void test_replay(void **state)
{
	struct model *m = open_model();

	model_view_switch(m, VIEW_EVENTS);
	model_rows(m);
	settle(m);
	assert_true(model_rows(m) > 10);
	struct evlist *el = model_frame(m)->ev;
	uint64_t t0 = 1000000000000ull;
	uint64_t ts0 = el->rows[el->sel].ts;
	assert_int_equal(model_play_toggle(m, t0), 1);
	assert_true(m->playing);
	/* 1 ms of wall time at 1x: every event within 1 ms is passed */
	model_play_tick(m, t0 + 1000000);
	assert_true(el->rows[el->sel].ts <= ts0 + 1000000);
	if (el->sel + 1 < el->n)
		assert_true(el->rows[el->sel + 1].ts > ts0 + 1000000);
	size_t at = el->sel;
	model_play_speed(m, 1);
	assert_true(m->speed == 2.0);
	model_play_toggle(m, t0 + 2000000);
	assert_false(m->playing);
	assert_int_equal(model_step(m), 0);
	assert_int_equal(el->sel, at + 1);
	model_close(m);
	(void)state;
}

/* ---- keys ------------------------------------------------------------------ */

static void type(struct tui *t, const char *s)
{
	while (*s)
		tui_key_handle(t, (unsigned char)*s++);
}

static void test_keys(void **state)
{
	struct model *m = open_model();
	struct tui t = { .m = m };

	/* every binding runs somewhere and every action is documented */
	for (size_t i = 0; i < tui_nkeys; i++) {
		assert_non_null(tui_keys[i].fn);
		assert_true(tui_keys[i].help || i > 0);
	}
	assert_non_null(tui_key_find(KEY_F(4), VIEW_OVERVIEW));
	assert_null(tui_key_find(' ', VIEW_PROCS));
	assert_int_equal(tui_key_handle(&t, '2'), TUI_REDRAW);
	assert_int_equal(model_frame(m)->view, VIEW_PROCS);
	/* the filter prompt: edit, submit */
	tui_key_handle(&t, '\\');
	assert_int_equal(t.prompt, PROMPT_FILTER);
	type(&t, "comm = xz");
	tui_key_handle(&t, KEY_BACKSPACE);
	type(&t, "y");
	tui_key_handle(&t, KEY_HOME);
	type(&t, " ");
	assert_string_equal(t.line, " comm = xy");
	tui_key_handle(&t, '\r');
	assert_int_equal(t.prompt, PROMPT_NONE);
	assert_string_equal(m->filter_text, "comm = xy");
	/* a bad filter leaves the prompt open at the bad token */
	tui_key_handle(&t, KEY_F(4));
	tui_key_handle(&t, 21); /* C-u */
	type(&t, "comm = (");
	tui_key_handle(&t, '\r');
	assert_int_equal(t.prompt, PROMPT_FILTER);
	assert_true(m->status_err);
	tui_key_handle(&t, 27);
	assert_int_equal(t.prompt, PROMPT_NONE);
	/* help opens and any key closes it */
	tui_key_handle(&t, KEY_F(1));
	assert_true(t.help);
	tui_key_handle(&t, 'x');
	assert_false(t.help);
	/* q quits */
	assert_int_equal(tui_key_handle(&t, 'q'), TUI_QUIT);
	model_close(m);
	(void)state;
}

/* The help lists every binding of the key table, in every view: the keys
 * that work in the view first, the others after "In other views:" with
 * their views; two codes with one name are named once. */
static void test_help(void **state)
{
	static char text[16384];

	for (int v = 0; v < VIEW_COUNT; v++) {
		size_t need = tui_help_text((enum view_id)v, text,
					    sizeof(text));
		assert_true(need < sizeof(text));
		const char *other = strstr(text, "In other views:");
		assert_non_null(other);
		for (size_t i = 0; i < tui_nkeys; i++) {
			const struct key_binding *b = &tui_keys[i];
			size_t a = i;
			while (!tui_keys[a].help)
				a--;
			/* the line of the binding (or of the row it aliases) */
			const char *h = strstr(text, tui_keys[a].help);
			assert_non_null(h);
			const char *bol = h;
			while (bol > text && bol[-1] != '\n')
				bol--;
			char names[64];
			snprintf(names, sizeof(names), "%.*s", (int)(h - bol),
				 bol);
			char want[32];
			snprintf(want, sizeof(want), " %s ", b->name);
			if (!strstr(names, want))
				fail_msg("view %d: '%s' not in help line '%s'",
					 v, b->name, names);
			int here = b->views == KEYS_ALL || (b->views >> v & 1);
			assert_int_equal(here, h < other);
		}
	}
	tui_help_text(VIEW_EVENTS, text, sizeof(text));
	assert_true(strstr(text, "In Events:") == text);
	assert_non_null(strstr(text, "  Esc Bksp "));
	assert_null(strstr(text, "Bksp Bksp"));
	tui_help_text(VIEW_PROCS, text, sizeof(text));
	assert_non_null(strstr(text, "replay from the selection / pause "
			       "(Events)"));
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agg_matches_sql),
		cmocka_unit_test(test_agg_cpu_time),
		cmocka_unit_test(test_agg_halfseen),
		cmocka_unit_test(test_cpu_states),
		cmocka_unit_test(test_agg_partial),
		cmocka_unit_test(test_evlist_paging),
		cmocka_unit_test(test_evlist_down_pending),
		cmocka_unit_test(test_evlist_filtered),
		cmocka_unit_test(test_evlist_back_sparse),
		cmocka_unit_test(test_evlist_search_resumes),
		cmocka_unit_test(test_events_prefetch),
		cmocka_unit_test(test_views_drill_back),
		cmocka_unit_test(test_connection_events),
		cmocka_unit_test(test_drill_first_row),
		cmocka_unit_test(test_hscroll),
		cmocka_unit_test(test_detail),
		cmocka_unit_test(test_sort_tree),
		cmocka_unit_test(test_window_filter),
		cmocka_unit_test(test_search_sql_slowest),
		cmocka_unit_test(test_sql_running),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_help),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
