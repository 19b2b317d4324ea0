/*
 * tlview.c - the Timeline view in the model (see tlview.h).
 */
#include "config.h"
#include "tui/tlview.h"
#include "tui/why.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tlview *model_tl(struct model *m)
{
	char err[TIMELINE_ERRLEN];
	struct tlview *v = m->tlv;

	if (v)
		return v;
	if (!(v = calloc(1, sizeof(*v)))) {
		model_status(m, 1, "timeline: out of memory");
		return NULL;
	}
	if (!(v->tl = timeline_new(m->st, m->span_from, m->span_to, err))) {
		model_status(m, 1, "timeline: %s", err);
		free(v);
		return NULL;
	}
	v->cpus = 1;
	v->rows = 1;
	v->want_pid = -1;
	v->ofraction = -1;
	m->tlv = v;
	return v;
}

void model_tl_free(struct model *m)
{
	if (!m->tlv)
		return;
	timeline_free(m->tlv->tl);
	free(m->tlv->cpucells);
	free(m->tlv);
	m->tlv = NULL;
}

int model_tl_work(struct model *m, uint64_t budget_ns)
{
	struct tlview *v = model_tl(m);
	int rc;

	if (!v)
		return 0;
	rc = timeline_step(v->tl, budget_ns);
	if (rc < 0)
		model_status(m, 1, "timeline: %s", timeline_errmsg(v->tl));
	return rc > 0;
}

/* Keep the selection on its thread, and on screen. */
static void select_fix(struct tlview *v)
{
	size_t i;

	for (i = 0; v->want_pid >= 0 && i < v->norder; i++)
		if (v->tl->th[v->order[i]].pid == v->want_pid) {
			v->sel_tid = v->tl->th[v->order[i]].tid;
			v->want_pid = -1;
		}
	for (i = 0; v->sel_tid && i < v->norder; i++)
		if (v->tl->th[v->order[i]].tid == v->sel_tid)
			break;
	if (i < v->norder)
		v->sel = i;
	else if (v->sel >= v->norder)
		v->sel = v->norder ? v->norder - 1 : 0;
	v->sel_tid = v->norder ? v->tl->th[v->order[v->sel]].tid : 0;
	if (v->sel < v->top)
		v->top = v->sel;
	if (v->sel >= v->top + v->rows)
		v->top = v->sel + 1 - v->rows;
}

size_t model_tl_order(struct model *m, const uint32_t **order)
{
	struct tlview *v = model_tl(m);

	*order = NULL;
	if (!v)
		return 0;
	if (v->ofrom != m->win_from || v->oto != m->win_to ||
	    v->ofraction != v->tl->fraction) {
		v->norder = timeline_order(v->tl, m->win_from, m->win_to,
					   &v->order);
		v->ofrom = m->win_from;
		v->oto = m->win_to;
		v->ofraction = v->tl->fraction;
	}
	select_fix(v);
	*order = v->order;
	return v->norder;
}

const struct tl_cpucell *model_tl_cpu_cells(struct model *m, unsigned cpu,
					    int w)
{
	struct tlview *v = model_tl(m);

	if (!v || cpu >= v->tl->ncpu || w <= 0)
		return NULL;
	if (v->cw != w || v->cncpu != v->tl->ncpu || v->cfrom != m->win_from ||
	    v->cto != m->win_to || v->cfraction != v->tl->fraction) {
		void *p = realloc(v->cpucells, (size_t)w * v->tl->ncpu *
				  sizeof(*v->cpucells));

		if (!p)
			return NULL;
		v->cpucells = p;
		for (unsigned c = 0; c < v->tl->ncpu; c++)
			timeline_cpu_cells(v->tl, c, m->win_from, m->win_to,
					   v->cpucells + (size_t)c * w, w);
		v->cw = w;
		v->cncpu = v->tl->ncpu;
		v->cfrom = m->win_from;
		v->cto = m->win_to;
		v->cfraction = v->tl->fraction;
	}
	return v->cpucells + (size_t)cpu * w;
}

int model_tl_show(struct model *m)
{
	struct frame *f = model_frame(m);
	int64_t pid = -1, tid = -1;
	const uint32_t *order;
	struct tlview *v;
	struct cell c;

	/* column 0 of Processes and Threads: the pid, or a thread's tid */
	if ((f->view == VIEW_PROCS || f->view == VIEW_THREADS) &&
	    f->sel < model_rows(m)) {
		views[f->view]->get(m, model_row_src(m, f->sel), 0, &c);
		if (f->view == VIEW_THREADS && c.i != f->arg)
			tid = c.i;
		else
			pid = c.i;
	}
	model_view_switch(m, VIEW_TIMELINE);
	if (!(v = model_tl(m)) || (pid < 0 && tid < 0))
		return 0;
	if (tid >= 0)
		v->sel_tid = (uint32_t)tid;
	v->want_pid = tid >= 0 ? -1 : pid;
	model_tl_order(m, &order);
	return 1;
}

int model_tl_move(struct model *m, long delta)
{
	const uint32_t *order;
	size_t n = model_tl_order(m, &order);
	struct tlview *v = m->tlv;

	if (!n)
		return 0;
	if (delta < 0)
		v->sel = (size_t)-delta > v->sel ? 0 : v->sel - (size_t)-delta;
	else
		v->sel = v->sel + (size_t)delta >= n ? n - 1 :
			 v->sel + (size_t)delta;
	v->sel_tid = v->tl->th[order[v->sel]].tid;
	v->want_pid = -1;
	select_fix(v);
	return 1;
}

/* Move the window (its width kept, inside the trace) to begin at FROM. */
static void window_at(struct model *m, uint64_t from)
{
	uint64_t w = m->win_to - m->win_from;

	if (from < m->span_from)
		from = m->span_from;
	if (m->span_to - from < w)
		from = m->span_to - w;
	model_window_set(m, from, from + w);
}

int model_tl_change(struct model *m, int dir)
{
	const uint32_t *order;
	size_t n = model_tl_order(m, &order);
	struct tlview *v = m->tlv;
	const struct tl_thread *t;
	const struct tl_iv *b, *a;
	uint64_t at, half = (m->win_to - m->win_from) / 2;
	char ts[32];

	if (!n)
		return 0;
	t = &v->tl->th[order[v->sel]];
	if (!timeline_change(v->tl, order[v->sel], m->cursor, dir, &at)) {
		model_status(m, 1, "%s[%u]: no %s state change%s", t->comm,
			     t->tid, dir > 0 ? "later" : "earlier",
			     v->tl->partial ? " (still computing)" : "");
		return 0;
	}
	if (at < m->win_from || at > m->win_to)
		window_at(m, at - m->span_from > half ? at - half :
			  m->span_from);
	m->cursor = at;
	b = at ? timeline_iv_at(v->tl, order[v->sel], at - 1) : NULL;
	a = timeline_iv_at(v->tl, order[v->sel], at);
	model_fmt_reltime(m, at, ts, sizeof(ts));
	model_status(m, 0, "%s[%u] at %s: %s -> %s", t->comm, t->tid, ts,
		     tl_state_names[b ? b->state : TL_NONE],
		     tl_state_names[a ? a->state : TL_NONE]);
	return 1;
}

int model_tl_pan(struct model *m, int dir)
{
	uint64_t half = (m->win_to - m->win_from) / 2 + 1;
	uint64_t from = m->win_from, cur = m->cursor;

	if (dir > 0)
		window_at(m, m->span_to - from > half ? from + half :
			  m->span_to);
	else
		window_at(m, from - m->span_from > half ? from - half :
			  m->span_from);
	/* the cursor moves with the window, where it can */
	cur = cur - from + m->win_from;
	m->cursor = cur < m->win_from ? m->win_from :
		    cur > m->win_to ? m->win_to : cur;
	return 1;
}

int model_tl_cpus(struct model *m)
{
	struct tlview *v = model_tl(m);

	if (!v)
		return 0;
	v->cpus = !v->cpus;
	model_status(m, 0, "CPU lanes %s", v->cpus ? "shown" : "hidden");
	return 1;
}

int model_tl_why(struct model *m)
{
	const uint32_t *order;
	size_t n = model_tl_order(m, &order);

	if (!n || !m->tlv->sel_tid) {
		model_status(m, 1, "no thread selected");
		return -ENOENT;
	}
	return model_why_open(m, m->tlv->sel_tid, m->cursor);
}
