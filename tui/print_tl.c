/*
 * print_tl.c - kscope tui --print timeline: the Timeline's states without
 * a terminal, for scripts and tests.
 *
 *     kscope tui --print timeline t.kscope            # aligned text
 *     kscope tui --print timeline -F json t.kscope    # JSON lines
 *
 * The timeline of the whole trace is computed as the view computes it
 * (to the end, or for --steps N steps only: then partial, and the first
 * line says so), and each thread's states are printed in strip order
 * (the busiest process first, its threads together): one row per stretch
 * of one state (adjacent intervals of the same state - and, running, the
 * same CPU - are one), with the columns tid, pid, comm, state (running,
 * syscall, runnable, sleeping, blocked, dead), ts and dur (ns) and cpu
 * (running: where; otherwise NULL).  The first line is "timeline:
 * complete" or "timeline: partial (N% computed)"; in JSON {"view":
 * "timeline", "complete": ..., "fraction": ...}.
 */
#include "config.h"
#include "tui/tlview.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int thread_print(struct output *o, struct timeline *tl, uint32_t ix)
{
	const struct tl_thread *t = &tl->th[ix];
	size_t n;
	const struct tl_iv *v = timeline_ivs(tl, ix, &n);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n;) {
		int on = v[i].state == TL_RUN || v[i].state == TL_SYS;
		uint64_t end = v[i].end;
		size_t j = i + 1;

		while (j < n && v[j].ts == end && v[j].state == v[i].state &&
		       (!on || v[j].cpu == v[i].cpu) && v[i].state != TL_DEAD)
			end = v[j++].end;
		rc = output_row(o, (struct output_cell[]){
			OUTPUT_INT(t->tid),
			t->pid >= 0 ? OUTPUT_INT(t->pid) : OUTPUT_NULL,
			t->comm[0] ? OUTPUT_TEXT(t->comm) : OUTPUT_NULL,
			OUTPUT_TEXT(tl_state_names[v[i].state]),
			OUTPUT_INT((int64_t)v[i].ts),
			OUTPUT_INT((int64_t)(end - v[i].ts)),
			on ? OUTPUT_INT(v[i].cpu) : OUTPUT_NULL });
		i = j;
	}
	return rc;
}

int tui_print_timeline(struct store *st, enum output_format fmt, long steps,
		       char *err, size_t errlen)
{
	static const char *const cols[] = { "tid", "pid", "comm", "state",
					    "ts", "dur", "cpu" };
	const uint32_t *order;
	struct output *o = NULL;
	struct tlview *v;
	struct model *m;
	size_t n;
	int rc = 0;

	if (!(m = model_open(st, err, errlen)))
		return -EINVAL;
	if (!(v = model_tl(m))) {
		snprintf(err, errlen, "%s", m->status);
		model_close(m);
		return -EIO;
	}
	while ((steps < 0 || steps-- > 0) &&
	       (rc = timeline_step(v->tl, 10 * 1000000ull)) > 0)
		;
	if (rc < 0) {
		snprintf(err, errlen, "%s", timeline_errmsg(v->tl));
		model_close(m);
		return rc;
	}
	if (fmt == OUTPUT_FORMAT_JSON)
		printf("{\"view\": \"timeline\", \"complete\": %s, "
		       "\"fraction\": %.4f}\n", v->tl->partial ? "false" :
		       "true", v->tl->fraction);
	else if (v->tl->partial)
		printf("timeline: partial (%.0f%% computed)\n",
		       v->tl->fraction * 100);
	else
		printf("timeline: complete\n");
	fflush(stdout);
	if (!(o = output_open(stdout, fmt, NULL))) {
		snprintf(err, errlen, "out of memory");
		model_close(m);
		return -ENOMEM;
	}
	n = timeline_order(v->tl, m->span_from, m->span_to, &order);
	rc = output_begin(o, 7, cols);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = thread_print(o, v->tl, order[i]);
	if (rc == 0)
		rc = output_end(o);
	if (rc < 0 && rc != -EPIPE)
		snprintf(err, errlen, "%s", output_errmsg(o));
	output_close(o);
	model_close(m);
	return rc == -EPIPE ? 0 : rc;
}
