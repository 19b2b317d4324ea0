/*
 * print.c - kscope tui --print VIEW: a view's rows as the TUI computes
 * them, without a terminal, for scripts and for the tests that check the
 * TUI against the reports (tests/test-agree.sh).
 *
 *     kscope tui --print procs t.kscope              # aligned text
 *     kscope tui --print threads -F json t.kscope    # JSON lines
 *
 * The model (model.h) is opened as the TUI opens it, its background work
 * runs to completion (or for --steps N fold steps only: the figures are
 * then estimates), and the view's rows are printed in its default order
 * with its columns.  Text shows the cells as the screen does ("~" marks
 * an estimate); JSON gives an array of one object per row (one per
 * line, as `kscope query -F json` prints), keyed by the column titles in
 * lower case, with numbers as integers (durations in ns, bytes, counts;
 * while partial, the estimate of the whole window).  The first line says
 * whether the figures are complete: in text "VIEW: complete" or "VIEW:
 * estimates (N% read)", in JSON {"view": ..., "complete": true or false,
 * "fraction": 0..1}.
 *
 * VIEW is one of overview, procs, threads, syscalls, errors, files, conns,
 * runq, runqlat, instead, signals (and timeline: print_tl.c).
 * threads lists the threads of every process (the TUI shows them one
 * process at a time); its PID column is the thread's id, as on screen.
 * overview has the columns figure and value: the events read per kind,
 * the failed system calls, the events lost, busy_ns per CPU, and the
 * calls still running at the end ("unfinished calls", then the longest
 * as "unfinished tid T SYSCALL WHAT" with the ns they ran so far).
 * runqlat has them too: the Run queue view's figures of the window
 * (waits, avg_ns, p50_ns, p90_ns, p99_ns, max_ns) and its histogram
 * ("hist_us LO": the waits of LO to 2 LO - 1 us, LO 0 up to 1 us).
 * instead lists who ran instead of every thread of the Run queue view
 * (the TUI shows one thread's at a time).
 */
#include "config.h"
#include "tui/tlview.h"
#include "tui/tui.h"
#include "analyze/output/textesc.h"
#include "tui/views_sched.h"
#include "analyze/output/output.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	enum view_id id;
} print_views[] = {
	{ "overview", VIEW_OVERVIEW }, { "procs", VIEW_PROCS },
	{ "threads", VIEW_THREADS }, { "syscalls", VIEW_SYSCALLS },
	{ "errors", VIEW_ERRORS }, { "files", VIEW_FILES },
	{ "conns", VIEW_CONNS }, { "runq", VIEW_RUNQ },
	{ "runqlat", VIEW_RUNQ }, { "instead", VIEW_INSTEAD },
	{ "signals", VIEW_SIGNALS },
};
#define NPRINT_VIEWS (sizeof(print_views) / sizeof(print_views[0]))

struct printer {
	struct model *m;
	char *text[16];		/* the text cells of the row being printed */
	struct output *o;
	enum output_format fmt;
	int approx;
	double scale;
};

/* Cell COL of sorted row I of the current frame (valid until the next
 * row). */
static struct output_cell cell_of(struct printer *p, size_t i, int col)
{
	struct model *m = p->m;
	const struct view *v = model_view(m);
	enum col_fmt f = v->cols[col].fmt;
	struct cell c;

	if (p->fmt != OUTPUT_FORMAT_JSON || f == CF_TEXT) {
		/* the model's text lasts to its next call: copy it */
		const char *t = model_cell_text(m, i, col);
		free(p->text[col]);
		if (!(p->text[col] = strdup(t)))
			return OUTPUT_NULL;
		if (f == CF_TEXT && p->fmt == OUTPUT_FORMAT_JSON) {
			v->get(m, model_row_src(m, i), col, &c);
			if (!c.s)
				return OUTPUT_NULL;
		}
		return OUTPUT_TEXT(p->text[col]);
	}
	v->get(m, model_row_src(m, i), col, &c);
	switch (f) {
	case CF_COUNT:
	case CF_DUR:
	case CF_BYTES:
		return OUTPUT_INT(p->approx ? (int64_t)llround((double)c.i *
							      p->scale) : c.i);
	case CF_PCT:
		return OUTPUT_REAL((double)c.i / 10);
	case CF_DUR_STAT:
	case CF_TEXT:
	case CF_INT:
	case CF_TS:
		break;
	}
	return OUTPUT_INT(c.i);
}

/* The rows of the current frame from sorted row FIRST on. */
static int rows_print(struct printer *p, size_t first)
{
	const struct view *v = model_view(p->m);
	struct output_cell cells[16];
	size_t n = model_rows(p->m);
	int rc = 0;

	for (size_t i = first; rc == 0 && i < n; i++) {
		for (int c = 0; c < v->ncols && c < 16; c++)
			cells[c] = cell_of(p, i, c);
		rc = output_row(p->o, cells);
	}
	return rc;
}

static int list_print(struct printer *p, enum view_id id)
{
	const struct view *v = views[id];
	char names[16][32];
	const char *cols[16];
	struct model *m = p->m;
	int rc;

	for (int c = 0; c < v->ncols && c < 16; c++) {
		size_t k = 0;
		for (const char *s = v->cols[c].title; *s && k < 31; s++)
			names[c][k++] = p->fmt == OUTPUT_FORMAT_JSON ?
					(char)tolower((unsigned char)*s) : *s;
		names[c][k] = '\0';
		cols[c] = names[c];
	}
	if ((rc = output_begin(p->o, v->ncols < 16 ? v->ncols : 16,
			       cols)) < 0)
		return rc;
	if (id == VIEW_INSTEAD) {
		/* who ran instead of each thread of the Run queue view */
		model_view_switch(m, VIEW_RUNQ);
		for (size_t i = 0, n = model_rows(m); rc == 0 && i < n; i++) {
			const struct fold_runqlat_thread *t =
				views_runq_thread(m, model_row_src(m, i));
			if (model_push(m, VIEW_INSTEAD, "", "", t->tid) < 0)
				return -E2BIG;
			while (model_rows(m) == 0 && model_work(m, 1000000000ull) > 0)
				;
			rc = rows_print(p, 0);
			model_back(m);
		}
	} else if (id != VIEW_THREADS) {
		model_view_switch(m, id);
		rc = rows_print(p, 0);
	} else {
		/* every process's threads, without the "(all threads)" row */
		struct agg *a = model_agg(m);
		model_view_switch(m, VIEW_PROCS);
		for (size_t i = 0; rc == 0 && a && i < a->nprocs; i++) {
			if (model_push(m, VIEW_THREADS, "", "",
				       a->procs[i].id) < 0)
				return -E2BIG;
			rc = rows_print(p, 1);
			model_back(m);
		}
	}
	return rc < 0 ? rc : output_end(p->o);
}

/* A figure and its value. */
static int figure(struct printer *p, const char *name, uint64_t v)
{
	return output_row(p->o, (struct output_cell[]){
		OUTPUT_TEXT(name), OUTPUT_INT((int64_t)v) });
}

/* The calls still running at the end: how many, the longest. */
static int hangs_print(struct printer *p, struct agg *a)
{
	struct model *m = p->m;
	char name[512], nr[64];
	int rc = figure(p, "unfinished calls", a->hangs.count);

	for (size_t i = 0; rc == 0 && i < a->hangs.n; i++) {
		const struct fold_hang *h = &a->hangs.v[i];

		snprintf(name, sizeof(name), "unfinished tid %u %s%s%s", h->tid,
			 model_syscall_name(m, h->nr, nr, sizeof(nr)),
			 h->what ? " " : "", h->what ? h->what : "");
		rc = figure(p, name, m->span_to > h->ts ? m->span_to - h->ts :
			    0);
	}
	return rc;
}

/* The Run queue view's figures of the window and its histogram. */
static int runqlat_print(struct printer *p)
{
	static const char *const cols[] = { "figure", "value" };
	struct fold_runqlat *q = &model_agg(p->m)->runq;
	char name[32];
	int rc, last = -1;

	if ((rc = output_begin(p->o, 2, cols)) < 0)
		return rc;
	static const struct { const char *name; double pct; } stats[] = {
		{ "p50_ns", 50 }, { "p90_ns", 90 }, { "p99_ns", 99 },
	};

	rc = figure(p, "waits", q->nlat);
	if (rc == 0 && q->nlat)
		rc = figure(p, "avg_ns", q->total_ns / q->nlat);
	for (size_t i = 0; rc == 0 && q->nlat && i < 3; i++)
		rc = figure(p, stats[i].name, fold_runqlat_pct(q, stats[i].pct));
	if (rc == 0 && q->nlat)
		rc = figure(p, "max_ns", q->max_ns);
	for (int b = 0; b < FOLD_RUNQLAT_BUCKETS; b++)
		if (q->hist[b])
			last = b;
	for (int b = 0; rc == 0 && b <= last; b++) {
		snprintf(name, sizeof(name), "hist_us %llu",
			 b ? 1ull << b : 0ull);
		rc = figure(p, name, q->hist[b]);
	}
	return rc < 0 ? rc : output_end(p->o);
}

static int overview_print(struct printer *p)
{
	static const char *const cols[] = { "figure", "value" };
	struct agg *a = model_agg(p->m);
	char name[64];
	int rc;

	if ((rc = output_begin(p->o, 2, cols)) < 0)
		return rc;
	for (int k = 0; rc == 0 && a && k < EV_KIND_COUNT; k++) {
		snprintf(name, sizeof(name), "%s events", ev_desc(k)->table);
		rc = output_row(p->o, (struct output_cell[]){
			OUTPUT_TEXT(name),
			OUTPUT_INT((int64_t)a->ovw.events[k]) });
	}
	if (rc == 0 && a)
		rc = output_row(p->o, (struct output_cell[]){
			OUTPUT_TEXT("syscall errors"),
			OUTPUT_INT((int64_t)a->ovw.errors) });
	if (rc == 0 && a)
		rc = output_row(p->o, (struct output_cell[]){
			OUTPUT_TEXT("lost"), OUTPUT_INT((int64_t)a->ovw.lost) });
	if (rc == 0 && p->m->shed[0])
		rc = output_row(p->o, (struct output_cell[]){
			OUTPUT_TEXT("shed"), OUTPUT_TEXT(p->m->shed) });
	for (unsigned c = 0; rc == 0 && a && c < a->ncpu; c++) {
		uint64_t busy = 0;
		for (int b = 0; b < AGG_BUCKETS; b++)
			busy += a->tl_busy[c][b];
		snprintf(name, sizeof(name), "cpu%u busy_ns", c);
		rc = output_row(p->o, (struct output_cell[]){
			OUTPUT_TEXT(name), OUTPUT_INT((int64_t)busy) });
	}
	if (rc == 0 && a)
		rc = hangs_print(p, a);
	return rc < 0 ? rc : output_end(p->o);
}

int tui_print(struct store *st, const char *view, enum output_format fmt,
	      long steps, char *err, size_t errlen)
{
	struct printer p = { .fmt = fmt };
	enum view_id id = VIEW_COUNT;
	struct agg *a;
	int rc = 0;

	if (!strcmp(view, "timeline"))
		return tui_print_timeline(st, fmt, steps, err, errlen);
	for (size_t i = 0; i < NPRINT_VIEWS; i++)
		if (!strcmp(view, print_views[i].name))
			id = print_views[i].id;
	if (id == VIEW_COUNT) {
		snprintf(err, errlen, "unknown view '%s' (overview, procs, "
			 "threads, syscalls, errors, files, conns, timeline, "
			 "runq, runqlat, instead, signals)",
			 TEXTESC_Q(view));
		return -EINVAL;
	}
	if (!(p.m = model_open(st, err, errlen)))
		return -EINVAL;
	model_layout(p.m, 50, 200, 100);
	a = model_agg(p.m);
	while (a && (steps < 0 || steps-- > 0) && (rc = agg_step(a, 0)) > 0)
		;
	if (!a || rc < 0) {
		snprintf(err, errlen, "%s", a ? agg_errmsg(a) : p.m->status);
		model_close(p.m);
		return -EIO;
	}
	p.approx = !agg_done(a);
	p.scale = p.approx ? agg_scale(a) : 1;
	if (fmt == OUTPUT_FORMAT_JSON)
		printf("{\"view\": \"%s\", \"complete\": %s, \"fraction\": "
		       "%.4f}\n", view, p.approx ? "false" : "true",
		       agg_fraction(a));
	else
		printf(p.approx ? "%s: estimates (%.0f%% read)\n" :
		       "%s: complete\n", view, agg_fraction(a) * 100);
	fflush(stdout);
	p.o = output_open(stdout, fmt, NULL);
	if (!p.o) {
		snprintf(err, errlen, "out of memory");
		model_close(p.m);
		return -ENOMEM;
	}
	rc = id == VIEW_OVERVIEW ? overview_print(&p) :
	     !strcmp(view, "runqlat") ? runqlat_print(&p) : list_print(&p, id);
	for (int c = 0; c < 16; c++)
		free(p.text[c]);
	if (rc < 0 && rc != -EPIPE)
		snprintf(err, errlen, "%s", output_errmsg(p.o));
	output_close(p.o);
	model_close(p.m);
	return rc == -EPIPE ? 0 : rc;
}
