/*
 * draw_sched.c - panels of the scheduler's figures: the Run queue view's
 * latency histogram, and the Overview's calls still running at the end.
 *
 * The histogram panel sits below the Run queue list: a line of the
 * window's figures (waits, p50, p99, max), then on the left the window's
 * waits (all threads), on the right the selected thread's, both
 * over the same log2 buckets (sqlfn_log2_bucket of the wait in us, as
 * `report runqlat` prints them), one row per bucket; when the buckets
 * from the first to the last one used do not fit, neighbours are merged
 * two by two until they do.  Bars are '#' (full blocks in UTF-8), each
 * side scaled to its own largest row; counts on the right of each bar.
 */
#include "config.h"
#include "tui/draw_int.h"
#include "tui/views_sched.h"
#include "analyze/sql/sqlfn.h"

#include <stdio.h>
#include <string.h>

int draw_runq_rows(int list_rows)
{
	int h = list_rows / 2;

	if (list_rows < 8)
		return 0;
	return h > 18 ? 18 : h;
}

/* US (a bucket bound) compactly: "512us", "1.0ms", "16ms", "2.1s". */
static void fmt_us(char *buf, size_t len, unsigned long long us)
{
	if (us < 1000)
		snprintf(buf, len, "%lluus", us);
	else if (us < 10000)
		snprintf(buf, len, "%.1fms", (double)us / 1e3);
	else if (us < 1000000)
		snprintf(buf, len, "%.0fms", (double)us / 1e3);
	else
		snprintf(buf, len, "%.1fs", (double)us / 1e6);
}

/* One side: title, then rows of buckets LO.. in groups of F. */
static void hist_side(struct tui *t, int y, int x, int w, int rows,
		      const char *title, const uint64_t *hist, int lo, int hi,
		      int f)
{
	uint64_t max = 0, v;
	char lbl[40], a[16], b[16], cnt[24];

	draw_text(y, x, w, title, A_BOLD);
	for (int g = lo; g <= hi; g += f) {
		v = 0;
		for (int k = g; k < g + f && k <= hi; k++)
			v += hist[k];
		if (v > max)
			max = v;
	}
	for (int g = lo, r = 1; g <= hi && r < rows; g += f, r++) {
		int last = g + f - 1 < hi ? g + f - 1 : hi, bw = w - 22, n;

		v = 0;
		for (int k = g; k <= last; k++)
			v += hist[k];
		fmt_us(a, sizeof(a), g ? 1ull << g : 0);
		fmt_us(b, sizeof(b), 1ull << (last + 1));
		snprintf(lbl, sizeof(lbl), "%6s-%-6s", a, b);
		draw_text(y + r, x, w, lbl, A_NORMAL);
		n = max && bw > 0 ? (int)((double)v / (double)max * bw + 0.5) :
		    0;
		if (v && !n && bw > 0)
			n = 1;
		for (int c = 0; c < n; c++)
			draw_text(y + r, x + 14 + c, 1, t->utf8 ? "█" : "#",
				  draw_attr(PAIR_GRAPH));
		snprintf(cnt, sizeof(cnt), "%7llu", (unsigned long long)v);
		draw_text(y + r, x + w - 7, 7, cnt, A_NORMAL);
	}
}

void draw_runq_hist(struct tui *t, int y, int h)
{
	struct model *m = t->m;
	struct agg *a = model_agg(m);
	struct frame *f = model_frame(m);
	const struct fold_runqlat_thread *th = NULL;
	uint64_t thist[FOLD_RUNQLAT_BUCKETS] = { 0 };
	char title[160], p50[32], p99[32], mx[32];
	int lo = -1, hi = -1, g = 1, w = t->cols, half;

	if (h < 3 || !a)
		return;
	if (model_rows(m))
		th = views_runq_thread(m, model_row_src(m, f->sel));
	if (th)
		for (int b = 0; b < FOLD_RUNQLAT_BUCKETS; b++)
			thist[b] = th->hist[b];
	for (int b = 0; b < FOLD_RUNQLAT_BUCKETS; b++)
		if (a->runq.hist[b] || thist[b]) {
			if (lo < 0)
				lo = b;
			hi = b;
		}
	sqlfn_fmt_dur(p50, sizeof(p50), (int64_t)fold_runqlat_pct(&a->runq,
								   50));
	sqlfn_fmt_dur(p99, sizeof(p99), (int64_t)fold_runqlat_pct(&a->runq,
								   99));
	sqlfn_fmt_dur(mx, sizeof(mx), (int64_t)a->runq.max_ns);
	snprintf(title, sizeof(title), " Waits for a CPU in the window: %s%zu,"
		 " p50 %s, p99 %s, max %s", agg_done(a) ? "" : "~",
		 a->runq.nlat, p50, p99, mx);
	draw_fill(y, 0, w, draw_attr(PAIR_HEADER));
	draw_text(y, 0, w, title, draw_attr(PAIR_HEADER));
	if (lo < 0) {
		draw_text(y + 1, 1, w - 1, agg_done(a) ? "no waits for a CPU "
			  "in this window (sched_wakeup and sched_switch)" :
			  "reading...", draw_attr(PAIR_DIM));
		return;
	}
	while ((hi - lo) / g + 1 > h - 2)
		g *= 2;
	half = w >= 60 && th ? (w - 1) / 2 : w;
	hist_side(t, y + 1, 0, half, h - 1, "all threads", a->runq.hist, lo,
		  hi, g);
	if (half < w) {
		sqlfn_fmt_dur(mx, sizeof(mx), (int64_t)th->max_ns);
		snprintf(title, sizeof(title), "%s/%u: %llu wait%s, max %s",
			 model_thread_comm(m, names_life(&m->names, th->tid,
							 a->to)),
			 th->tid, (unsigned long long)th->waits,
			 th->waits == 1 ? "" : "s", mx);
		hist_side(t, y + 1, half + 1, w - half - 1, h - 1, title,
			  thist, lo, hi, g);
	}
}

int draw_hangs_rows(struct tui *t)
{
	struct agg *a = model_agg(t->m);

	if (!a || !a->hangs.n)
		return 0;
	return 1 + (a->hangs.n < 3 ? (int)a->hangs.n : 3);
}

int draw_hangs(struct tui *t, int y)
{
	struct model *m = t->m;
	struct agg *a = model_agg(m);
	int rows = draw_hangs_rows(t);
	char buf[512], nr[64], d[32];

	if (!rows)
		return 0;
	snprintf(buf, sizeof(buf), " Still running at the end: %s%llu "
		 "call%s (longest first)", agg_done(a) ? "" : "~",
		 (unsigned long long)a->hangs.count,
		 a->hangs.count == 1 ? "" : "s");
	draw_fill(y, 0, t->cols, draw_attr(PAIR_HEADER));
	draw_text(y, 0, t->cols, buf, draw_attr(PAIR_HEADER));
	for (int i = 0; i + 1 < rows; i++) {
		const struct fold_hang *h = &a->hangs.v[i];

		sqlfn_fmt_dur(d, sizeof(d), (int64_t)(m->span_to > h->ts ?
						      m->span_to - h->ts : 0));
		snprintf(buf, sizeof(buf), " %-10s %s/%u  %s%s%s", d,
			 model_thread_comm(m, names_life(&m->names, h->tid,
							 h->ts)),
			 h->tid, model_syscall_name(m, h->nr, nr, sizeof(nr)),
			 h->what ? " " : "", h->what ? h->what : "");
		draw_text(y + 1 + i, 0, t->cols, buf, A_NORMAL);
	}
	return rows;
}
