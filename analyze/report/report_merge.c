/*
 * report_merge.c - one report over several traces as if they were one
 * (`kscope report A B ... --merge`).
 *
 *     struct report_trace t[2] = { { .st = a, .name = "a.kscope" },
 *                                  { .st = b, .name = "b.kscope" } };
 *     rc = report_run_merged(t, 2, report_find("syscalls"), &o, stdout,
 *                            err, sizeof(err));
 *
 * A mergeable report (report_desc.merge) folds each trace with the
 * accumulators its single-trace form uses (analyze/fold/), one trace
 * after the other (report_merge_use points the report at it), and adds
 * the results up with the accumulator's merge: counts, sums and
 * histograms add, syscalls are matched by name (numbers differ between
 * architectures: report_merge_sysnr renumbers them into r->sysnames),
 * per-process rows are keyed by (host, pid) (report_merge_host), so pids
 * of different hosts never merge.  Traces with the same meta host share
 * its pids; a trace without a host is a host of its own.  A report whose
 * figures cannot be added up honestly (a thread's time, a process tree,
 * utilization over time) prints one line saying so instead
 * (report_unmerged_run).  The header lists every trace with its window
 * and lost events (frame.c).
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/timearg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int window_set(struct report *r, struct report_merged *m,
		      const struct report_trace *t)
{
	const char *off = store_meta(t->st, "clock_offset_ns");
	char *end;

	m->host = store_meta(t->st, "host");
	if (off) {
		errno = 0;
		m->offset = strtoll(off, &end, 10);
		m->has_offset = !errno && end != off && !*end;
	}
	if (timearg_span(t->st, &m->span_from, &m->span_to) < 0)
		m->span_from = m->span_to = 0;
	m->from = t->has_from ? t->from : m->span_from;
	m->to = t->has_to ? t->to : m->span_to;
	if (m->to < m->from)
		return report_fail(r, -EINVAL, "%s: the window is empty: the "
				   "trace spans +0 s to %+.6f s", t->name,
				   ((double)m->span_to -
				    (double)m->span_from) / 1e9);
	return 0;
}

void report_merge_use(struct report *r, size_t i)
{
	const struct report_merged *m = &r->mt[i];

	r->st = r->traces[i].st;
	r->db = store_db(r->st);
	r->has_offset = m->has_offset;
	r->offset = m->offset;
	r->span_from = m->span_from;
	r->span_to = m->span_to;
	r->from = m->from;
	r->to = m->to;
	r->comm_chunk = -1;	/* --comm's memo is per chunk of one trace */
}

int32_t report_merge_sysnr(struct report *r, size_t i, int32_t nr)
{
	const char *n = store_syscall_name(r->traces[i].st, nr);
	char buf[32];
	uint32_t ix;

	if (!n) {
		snprintf(buf, sizeof(buf), "sys_%d", nr);
		n = buf;
	}
	if (report_str_intern(r->sysnames, n, &ix) < 0 || ix > INT32_MAX)
		return -1;
	return (int32_t)ix;
}

uint32_t report_merge_host(const struct report *r, size_t i)
{
	return r->mt[i].host_ix;
}

int report_unmerged_run(struct report *r)
{
	static const char fmt[] = "not merged: the %s report cannot be "
				  "added up across traces honestly; run it "
				  "without --merge for each trace's";

	if (r->o->fmt != OUTPUT_FORMAT_TABLE)
		return report_note(r, fmt, r->d->name);
	fprintf(r->fp, fmt, r->d->name);
	fputc('\n', r->fp);
	return 0;
}

/* Every trace's window, lost events and what its budget shed; the hosts. */
static int traces_gather(struct report *r)
{
	int rc;

	for (size_t i = 0; i < r->ntraces; i++) {
		struct report_merged *m = &r->mt[i];

		if ((rc = window_set(r, m, &r->traces[i])) < 0)
			return rc;
		report_merge_use(r, i);
		if ((rc = report_lost_gather(r)) < 0)
			return rc;
		m->lost = r->lost;
		m->nlost = r->nlost;
		m->lost_total = r->lost_total;
		m->shed = r->shed;
		r->lost = NULL;
		r->nlost = 0;
		r->lost_total = 0;
		memset(&r->shed, 0, sizeof(r->shed));
		/* the host's index: the first trace with the same host */
		m->host_ix = (uint32_t)i;
		for (size_t j = 0; j < i && m->host; j++)
			if (r->mt[j].host && !strcmp(r->mt[j].host, m->host)) {
				m->host_ix = r->mt[j].host_ix;
				break;
			}
		r->hosts[i] = m->host;
	}
	/* the figures a note quotes: every trace's */
	for (size_t i = 0; i < r->ntraces; i++) {
		r->lost_total += r->mt[i].lost_total;
		r->shed.sampled += r->mt[i].shed.sampled;
		r->shed.stripped += r->mt[i].shed.stripped;
	}
	return 0;
}

int report_run_merged(const struct report_trace *t, size_t n,
		      const struct report_desc *d, const struct report_opts *o,
		      FILE *fp, char *err, size_t errlen)
{
	struct report_strtab names = { 0 };
	struct report r = {
		.d = d, .o = o, .fp = fp, .err = err, .errlen = errlen,
		.comm_chunk = -1, .traces = t, .ntraces = n,
		.sysnames = &names,
	};
	int rc;

	err[0] = '\0';
	r.top = o->top ? o->top : REPORT_TOP_DEFAULT;
	r.mt = calloc(n, sizeof(*r.mt));
	r.hosts = calloc(n, sizeof(*r.hosts));
	if (!r.mt || !r.hosts) {
		rc = report_fail(&r, -ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = traces_gather(&r)) < 0)
		goto out;
	errno = 0;
	if ((rc = report_header_print(&r)) < 0)
		goto out;
	rc = d->merge ? d->merge(&r) : report_unmerged_run(&r);
	if (rc == 0)
		rc = report_notes_print(&r);
	rc = report_flush(&r, rc);
out:
	for (size_t i = 0; r.mt && i < n; i++) {
		for (size_t j = 0; j < r.mt[i].nlost; j++)
			free(r.mt[i].lost[j].class);
		free(r.mt[i].lost);
	}
	free(r.mt);
	free(r.hosts);
	report_strtab_free(&names);
	report_free(&r);
	return rc;
}
