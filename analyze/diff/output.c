/*
 * output.c - the printed diff (output.h): tables through
 * analyze/output/output.h, so text, CSV and JSON quote and escape as
 * every other command does.
 */
#include "config.h"
#include "analyze/diff/output.h"
#include "analyze/sql/sqlfn.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#define NBUCKETS 64
#define BAR 24

struct pr {
	struct diff *d;
	enum output_format fmt;
	unsigned top;
	FILE *fp;
	char *err;
	int ntables;
	char buf[12][320];	/* text of the row being printed */
	int nbuf;
};

static const char significance[] =
	"a change is significant when |z| >= 3.29 (two-sided p < 0.001): "
	"rates (per second of each trace) against a compound Poisson model "
	"of each trace's events, latencies by a Mann-Whitney U test of the "
	"two traces' samples (normal approximation, ties corrected)";

static char *bufn(struct pr *p)
{
	return p->buf[p->nbuf++ % 12];
}

static struct output_cell textf(struct pr *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static struct output_cell textf(struct pr *p, const char *fmt, ...)
{
	char *b = bufn(p);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(p->buf[0]), fmt, ap);
	va_end(ap);
	return OUTPUT_TEXT(b);
}

/* A figure of unit UNIT: in text a duration or a short number (with
 * SUFFIX), in CSV and JSON the number. */
static struct output_cell fig(struct pr *p, double v, const char *unit,
			      const char *suffix)
{
	char *b;

	if (p->fmt != OUTPUT_FORMAT_TABLE)
		return v == floor(v) && fabs(v) < 9e15 ?
		       OUTPUT_INT((int64_t)v) : OUTPUT_REAL(v);
	b = bufn(p);
	if (!strcmp(unit, "ns")) {
		sqlfn_fmt_dur(b + 1, sizeof(p->buf[0]) - 24, (int64_t)fabs(v));
		b[0] = v < 0 ? '-' : ' ';
		strcat(b, suffix);
		return OUTPUT_TEXT(b[0] == ' ' ? b + 1 : b);
	}
	if (!suffix[0] && v == floor(v) && fabs(v) < 9e15)
		snprintf(b, sizeof(p->buf[0]), "%.0f", v);	/* a total */
	else
		snprintf(b, sizeof(p->buf[0]), "%.4g%s", v, suffix);
	return OUTPUT_TEXT(b);
}

/* What stands before a table: its title in text, "# KEY" in CSV, the
 * key in JSON. */
static void begin(struct pr *p, const char *key, const char *title)
{
	switch (p->fmt) {
	case OUTPUT_FORMAT_TABLE:
		fprintf(p->fp, "\n%s\n", title);
		break;
	case OUTPUT_FORMAT_CSV:
		fprintf(p->fp, "\r\n# %s\r\n", key);
		break;
	case OUTPUT_FORMAT_JSON:
		fputs(",\n", p->fp);
		output_json_string(p->fp, key, strlen(key));
		fputs(": ", p->fp);
		break;
	}
}

static int fail_out(struct pr *p, struct output *o, int rc)
{
	if (rc < 0 && rc != -EPIPE)
		snprintf(p->err, DIFF_ERRLEN, "%s", output_errmsg(o));
	output_close(o);
	return rc;
}

/* "p90 1.2 us -> 3.4 us, ..." or the notes of the two rows. */
static struct output_cell detail(struct pr *p, const struct diff_line *l)
{
	const char *n0 = l->row[0] ? l->row[0]->note : NULL;
	const char *n1 = l->row[1] ? l->row[1]->note : NULL;
	char d[4][32];

	if (l->latency) {
		sqlfn_fmt_dur(d[0], 32, l->pct[0][1]);
		sqlfn_fmt_dur(d[1], 32, l->pct[1][1]);
		sqlfn_fmt_dur(d[2], 32, l->pct[0][2]);
		sqlfn_fmt_dur(d[3], 32, l->pct[1][2]);
		return textf(p, "p90 %s -> %s, p99 %s -> %s", d[0], d[1],
			     d[2], d[3]);
	}
	if (l->sec == DIFF_ERRORS && (n0 || n1))
		return textf(p, "%s -> %s", n0 ? n0 : "-", n1 ? n1 : "-");
	if (l->sec == DIFF_PROCS && !strcmp(l->metric, "failed_exits"))
		return textf(p, "exit codes %s -> %s", n0 ? n0 : "-",
			     n1 ? n1 : "-");
	return OUTPUT_NULL;
}

/* The lines of section SEC (-1: all), rank order, TOP of them in text. */
static int lines_print(struct pr *p, int sec, const char *key,
		       const char *title)
{
	static const char *const full[] = {
		"rank", "section", "key", "metric", "unit", "before", "after",
		"before_per_s", "after_per_s", "change_per_s",
		"impact_ns_per_s", "z", "significant", "status",
		"p50_before_ns", "p50_after_ns", "p90_before_ns",
		"p90_after_ns", "p99_before_ns", "p99_after_ns", "detail"
	};
	static const char *const text[] = {
		"#", "section", "key", "metric", "before", "after", "before/s",
		"after/s", "change/s", "z", "significant", "status", "detail"
	};
	int tx = p->fmt == OUTPUT_FORMAT_TABLE, rc;
	struct output *o;
	unsigned shown = 0;

	begin(p, key, title);
	if (!(o = output_open(p->fp, p->fmt, &(struct output_opts){
				      .null_text = "-" })))
		return -ENOMEM;
	rc = tx ? output_begin(o, 13, text) : output_begin(o, 21, full);
	for (size_t i = 0; rc == 0 && i < p->d->n; i++) {
		const struct diff_line *l = &p->d->v[i];
		struct output_cell c[21];
		int k = 0;

		if (sec >= 0 && (int)l->sec != sec)
			continue;
		if (tx && shown >= p->top)
			break;
		shown++;
		p->nbuf = 0;
		c[k++] = OUTPUT_INT((int64_t)i + 1);
		c[k++] = OUTPUT_TEXT(diff_sec_names[l->sec]);
		c[k++] = OUTPUT_TEXT(l->key);
		c[k++] = OUTPUT_TEXT(l->metric);
		if (!tx)
			c[k++] = OUTPUT_TEXT(l->unit);
		c[k++] = fig(p, l->tot[0], l->unit, "");
		c[k++] = fig(p, l->tot[1], l->unit, "");
		if (l->latency) {
			c[k++] = OUTPUT_NULL;
			c[k++] = OUTPUT_NULL;
			c[k++] = fig(p, l->change, l->unit, "");
		} else {
			c[k++] = fig(p, l->rate[0], l->unit, "/s");
			c[k++] = fig(p, l->rate[1], l->unit, "/s");
			c[k++] = fig(p, l->change, l->unit, "/s");
		}
		if (!tx)
			c[k++] = OUTPUT_REAL(l->impact);
		c[k++] = tx ? textf(p, "%.1f", l->z) : OUTPUT_REAL(l->z);
		c[k++] = tx ? OUTPUT_TEXT(l->sig ? "yes" : "no") :
			 OUTPUT_INT(l->sig);
		c[k++] = OUTPUT_TEXT(l->status);
		for (int q = 0; !tx && q < 3; q++)
			for (int s = 0; s < 2; s++)
				c[k++] = l->latency ?
					 OUTPUT_INT(l->pct[s][q]) : OUTPUT_NULL;
		c[k++] = detail(p, l);
		rc = output_row(o, c);
	}
	if (rc == 0)
		rc = output_end(o);
	if (rc == 0 && tx && shown == 0)
		fputs("(none)\n", p->fp);
	return fail_out(p, o, rc);
}

/* Row R's samples into log2 buckets of us H; the first and last
 * non-empty buckets widen [*FIRST, *LAST], the fullest's count *MAX. */
static void hist_fill(const struct diff_row *r, uint64_t *h, int *first,
		      int *last, uint64_t *max)
{
	for (size_t i = 0; r && i < r->ns; i++) {
		int b = sqlfn_log2_bucket(r->s[i] / 1000);

		h[b]++;
		if (b > *last)
			*last = b;
		if (b < *first)
			*first = b;
	}
	for (int b = 0; b < NBUCKETS; b++)
		if (h[b] > *max)
			*max = h[b];
}

static struct output_cell bar(struct pr *p, uint64_t n, uint64_t max)
{
	char *b = bufn(p);
	int w = max ? (int)(BAR * n / max) : 0;

	if (n && !w)
		w = 1;
	memset(b, '*', (size_t)w);
	memset(b + w, ' ', (size_t)(BAR - w));
	b[BAR] = '\0';
	return textf(p, "|%s|", b);
}

/* The latency histograms of the DIFF_HISTS time lines ranked highest
 * that have samples, side by side. */
static int hists_print(struct pr *p)
{
	static const char *const text[] = {
		"key", "us", "before", "before (own scale)", "after",
		"after (own scale)"
	};
	static const char *const full[] = {
		"section", "key", "lo_us", "hi_us", "before", "after"
	};
	int tx = p->fmt == OUTPUT_FORMAT_TABLE, rc, drawn = 0;
	struct output *o;

	begin(p, "histograms", "Latency histograms (log2 buckets of us), "
	      "before and after");
	if (!(o = output_open(p->fp, p->fmt, &(struct output_opts){
				      .null_text = "-" })))
		return -ENOMEM;
	rc = tx ? output_begin(o, 6, text) : output_begin(o, 6, full);
	for (size_t i = 0; rc == 0 && i < p->d->n && drawn < DIFF_HISTS;
	     i++) {
		const struct diff_line *l = &p->d->v[i];
		uint64_t h[2][NBUCKETS] = { { 0 } }, max[2] = { 0, 0 };
		int first = NBUCKETS, last = -1;

		if (!l->timelike || (l->sec != DIFF_SYSCALLS &&
				     l->sec != DIFF_RUNQ))
			continue;
		hist_fill(l->row[0], h[0], &first, &last, &max[0]);
		hist_fill(l->row[1], h[1], &first, &last, &max[1]);
		if (last < 0)
			continue;
		drawn++;
		for (int b = first; rc == 0 && b <= last; b++) {
			uint64_t lo = b ? 1ull << b : 0, hi = (2ull << b) - 1;

			p->nbuf = 0;
			if (tx)
				rc = output_row(o, (struct output_cell[]){
					OUTPUT_TEXT(b > first ? "" : l->key),
					textf(p, "%" PRIu64 " -> %" PRIu64, lo,
					      hi),
					OUTPUT_INT((int64_t)h[0][b]),
					bar(p, h[0][b], max[0]),
					OUTPUT_INT((int64_t)h[1][b]),
					bar(p, h[1][b], max[1]) });
			else
				rc = output_row(o, (struct output_cell[]){
					OUTPUT_TEXT(diff_sec_names[l->sec]),
					OUTPUT_TEXT(l->key),
					OUTPUT_INT((int64_t)lo),
					OUTPUT_INT((int64_t)hi),
					OUTPUT_INT((int64_t)h[0][b]),
					OUTPUT_INT((int64_t)h[1][b]) });
		}
	}
	if (rc == 0)
		rc = output_end(o);
	return fail_out(p, o, rc);
}

/* The header: in text a few lines, in CSV and JSON the traces as a
 * table of role, trace, seconds, and what significant means. */
static int head_print(struct pr *p)
{
	static const char *const cols[] = { "role", "trace", "seconds" };
	const struct diff_side *s = p->d->side;
	struct output *o;
	int rc;

	if (p->fmt == OUTPUT_FORMAT_TABLE) {
		fprintf(p->fp, "before: %s (%.3f s)\nafter:  %s (%.3f s)\n"
			"Rates are per second of each trace; impact is the "
			"change of time per second\n(ns/s) for time figures. "
			"Significant: %s.\n", s[0].name, s[0].secs, s[1].name,
			s[1].secs, significance);
		return 0;
	}
	if (p->fmt == OUTPUT_FORMAT_JSON)
		fprintf(p->fp, "{\n\"significance\": \"%s\"", significance);
	else
		fprintf(p->fp, "# significance\r\n\"%s\"\r\n", significance);
	begin(p, "traces", NULL);
	if (!(o = output_open(p->fp, p->fmt, NULL)))
		return -ENOMEM;
	rc = output_begin(o, 3, cols);
	for (int i = 0; rc == 0 && i < 2; i++)
		rc = output_row(o, (struct output_cell[]){
			OUTPUT_TEXT(i ? "after" : "before"),
			OUTPUT_TEXT(s[i].name), OUTPUT_REAL(s[i].secs) });
	if (rc == 0)
		rc = output_end(o);
	return fail_out(p, o, rc);
}

int diff_print(struct diff *d, enum output_format fmt, unsigned top,
	       FILE *fp, char *err)
{
	static const char *const titles[DIFF_NSECS] = {
		[DIFF_SYSCALLS] = "System calls by name",
		[DIFF_ERRORS] = "Failed system calls by name and errno",
		[DIFF_PROCS] = "Processes by command and executable",
		[DIFF_CPU] = "On-CPU time by command",
		[DIFF_OFFCPU] = "Off-CPU time by command and cause",
		[DIFF_RUNQ] = "Run queue latency",
		[DIFF_CONNS] = "TCP connections by peer",
	};
	struct pr p = { .d = d, .fmt = fmt, .top = top, .fp = fp,
			.err = err };
	char title[96];
	int rc;

	rc = head_print(&p);
	snprintf(title, sizeof(title), "What changed, by impact (%zu line%s)",
		 d->n, d->n == 1 ? "" : "s");
	if (rc == 0)
		rc = lines_print(&p, -1, "ranked", title);
	for (int s = 0; rc == 0 && s < DIFF_NSECS; s++)
		rc = lines_print(&p, s, diff_sec_names[s], titles[s]);
	if (rc == 0)
		rc = hists_print(&p);
	if (rc == 0 && fmt == OUTPUT_FORMAT_JSON)
		fputs("\n}\n", fp);
	if (rc == 0 && (fflush(fp) != 0 || ferror(fp)))
		rc = errno == EPIPE ? -EPIPE : -EIO;
	if (rc == -EIO && !err[0])
		snprintf(err, DIFF_ERRLEN, "write error");
	return rc;
}
