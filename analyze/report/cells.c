/*
 * cells.c - the cells of report tables: durations, timestamps, text cut
 * to a width, errno and syscall names, each as the format wants it
 * (report_int.h).  Formatted cells live in the report's rotating buffers,
 * valid until the row is printed.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/info/info.h"
#include "analyze/replay/evfmt_sys.h"
#include "analyze/sql/sqlfn.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char *cell_buf(struct report *r)
{
	return r->cellbuf[r->ncell++ % REPORT_CELLBUFS];
}

struct output_cell report_dur(struct report *r, int64_t ns)
{
	char *b;

	if (r->o->fmt != OUTPUT_FORMAT_TABLE)
		return OUTPUT_INT(ns);
	b = cell_buf(r);
	sqlfn_fmt_dur(b, sizeof(r->cellbuf[0]), ns);
	return OUTPUT_TEXT(b);
}

struct output_cell report_ts(struct report *r, int64_t ts)
{
	char *b;

	if (r->o->fmt != OUTPUT_FORMAT_TABLE)
		return OUTPUT_INT(ts);
	b = cell_buf(r);
	if (r->has_offset) {
		char full[64];
		/* "2026-11-25 10:17:18.123456 UTC": the time of day */
		info_wall_format(full, sizeof(full), r->offset, (uint64_t)ts,
				 0);
		snprintf(b, sizeof(r->cellbuf[0]), "%.15s",
			 strlen(full) > 11 ? full + 11 : full);
	} else { /* "+0.250000", "-1.000000" before the start */
		snprintf(b, sizeof(r->cellbuf[0]), "%+.6f",
			 ((double)ts - (double)r->span_from) / 1e9);
	}
	return OUTPUT_TEXT(b);
}

struct output_cell report_text(const char *s)
{
	return s ? OUTPUT_TEXT(s) : OUTPUT_NULL;
}

struct output_cell report_text_cut(struct report *r, const char *s)
{
	char *b;
	size_t n;

	if (!s || r->o->fmt != OUTPUT_FORMAT_TABLE ||
	    strlen(s) < sizeof(r->longbuf[0]))
		return report_text(s);
	b = r->longbuf[r->nlong++ % 4];
	n = sizeof(r->longbuf[0]) - 4;
	/* do not cut a UTF-8 sequence */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	memcpy(b, s, n);
	memcpy(b + n, "...", 4);
	return OUTPUT_TEXT(b);
}

struct output_cell report_textf(struct report *r, const char *fmt, ...)
{
	char *b = cell_buf(r);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(r->cellbuf[0]), fmt, ap);
	va_end(ap);
	return OUTPUT_TEXT(b);
}

struct output_cell report_errno(struct report *r, int64_t ret)
{
	return OUTPUT_TEXT(sqlfn_errno_label(ret, cell_buf(r),
					     sizeof(r->cellbuf[0])));
}

const char *report_sysname_str(const struct report *r, int nr)
{
	if (r->sysnames)
		return nr >= 0 && (size_t)nr < r->sysnames->n ?
		       r->sysnames->s[nr] : NULL;
	return store_syscall_name(r->st, nr);
}

struct output_cell report_sysname(struct report *r, int nr)
{
	const char *s = report_sysname_str(r, nr);

	return s ? OUTPUT_TEXT(s) : report_textf(r, "sys_%d", nr);
}

struct output_cell report_signal(struct report *r, int64_t sig)
{
	const char *s;

	if (r->o->fmt != OUTPUT_FORMAT_TABLE)
		return OUTPUT_INT(sig);
	if (!sig)
		return OUTPUT_NULL;
	s = evfmt_sys_signal_name(sig);
	return s ? OUTPUT_TEXT(s) : OUTPUT_INT(sig);
}
