/*
 * tables.c - a report's tables, histograms and notes, in the format asked
 * for (report_int.h: report_table_begin, report_hist_print, report_note),
 * and SQL bound to the report's window (report_prepare).
 */
#include "config.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int report_table_begin(struct report *r, const char *key, const char *title,
		       int ncols, const char *const *names)
{
	const char *shown[64];
	int rc;

	if (ncols > 64)
		return report_fail(r, -EINVAL, "too many columns");
	/* a text report shows a missing value as "-"; CSV and JSON keep
	 * their empty field and null */
	r->out = output_open(r->fp, r->o->fmt,
			     &(struct output_opts){ .null_text = "-" });
	if (!r->out)
		return report_fail(r, -ENOMEM, "out of memory");
	switch (r->o->fmt) {
	case OUTPUT_FORMAT_TABLE:
		fprintf(r->fp, "\n%s\n", title);
		break;
	case OUTPUT_FORMAT_CSV:
		fprintf(r->fp, "\r\n# %s\r\n", key);
		break;
	case OUTPUT_FORMAT_JSON:
		fputs(r->ntables ? ",\n" : "\n", r->fp);
		output_json_string(r->fp, key, strlen(key));
		fputs(": ", r->fp);
		break;
	}
	r->ntables++;
	r->nrows = 0;
	for (int c = 0; c < ncols; c++) {
		static char strip[64][40];
		size_t n = strlen(names[c]);

		shown[c] = names[c];
		if (r->o->fmt == OUTPUT_FORMAT_TABLE && n > 3 && n < 40 &&
		    !strcmp(names[c] + n - 3, "_ns")) {
			memcpy(strip[c], names[c], n - 3);
			strip[c][n - 3] = '\0';
			shown[c] = strip[c];
		}
	}
	rc = output_begin(r->out, ncols, shown);
	if (rc < 0)
		return report_fail(r, rc, "%s", output_errmsg(r->out));
	return 0;
}

int report_table_row(struct report *r, const struct output_cell *cells)
{
	int rc = output_row(r->out, cells);

	r->ncell = 0;
	r->nrows++;
	if (rc < 0)
		return report_fail(r, rc, "%s", output_errmsg(r->out));
	return 0;
}

int report_table_end(struct report *r)
{
	int rc = output_end(r->out);

	if (rc == 0 && r->nrows == 0 && r->o->fmt == OUTPUT_FORMAT_TABLE)
		fputs("(none)\n", r->fp);
	if (rc < 0)
		report_fail(r, rc, "%s", output_errmsg(r->out));
	output_close(r->out);
	r->out = NULL;
	return rc;
}

int report_hist_print(struct report *r, const char *key, const char *title,
		      const char *unit, const uint64_t *counts, int nbuckets)
{
	char lo_name[16], hi_name[16], range[16];
	uint64_t max = 0;
	int last = -1, rc;

	for (int k = 0; k < nbuckets; k++) {
		if (counts[k])
			last = k;
		if (counts[k] > max)
			max = counts[k];
	}
	snprintf(lo_name, sizeof(lo_name), "lo_%s", unit);
	snprintf(hi_name, sizeof(hi_name), "hi_%s", unit);
	snprintf(range, sizeof(range), "%s", unit);
	if (r->o->fmt == OUTPUT_FORMAT_TABLE) {
		const char *cols[] = { range, "count", "distribution" };
		rc = report_table_begin(r, key, title, 3, cols);
	} else {
		const char *cols[] = { lo_name, hi_name, "count" };
		rc = report_table_begin(r, key, title, 3, cols);
	}
	for (int k = 0; rc == 0 && k <= last; k++) {
		uint64_t lo = k ? 1ull << k : 0, hi = (2ull << k) - 1;

		if (r->o->fmt == OUTPUT_FORMAT_TABLE) {
			char bar[48];
			int w = max ? (int)(40 * counts[k] / max) : 0;

			if (counts[k] && !w)
				w = 1;
			memset(bar, '*', (size_t)w);
			memset(bar + w, ' ', (size_t)(40 - w));
			bar[40] = '\0';
			rc = report_table_row(r, (struct output_cell[]){
				report_textf(r, "%" PRIu64 " -> %" PRIu64, lo, hi),
				OUTPUT_INT((int64_t)counts[k]),
				report_textf(r, "|%s|", bar) });
		} else {
			rc = report_table_row(r, (struct output_cell[]){
				OUTPUT_INT((int64_t)lo), OUTPUT_INT((int64_t)hi),
				OUTPUT_INT((int64_t)counts[k]) });
		}
	}
	return report_table_close(r, rc);
}

int report_table_close(struct report *r, int rc)
{
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
}

int report_note(struct report *r, const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return report_fail(r, -ENOMEM, "out of memory");
	char **v = realloc(r->notes, (r->nnotes + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return report_fail(r, -ENOMEM, "out of memory");
	}
	r->notes = v;
	r->notes[r->nnotes++] = s;
	return 0;
}

sqlite3_stmt *report_prepare(struct report *r, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(r->db, sql, -1, &s, NULL) != SQLITE_OK) {
		report_sql_fail(r, "query");
		sqlite3_finalize(s);
		return NULL;
	}
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_int64(s, 1, (int64_t)r->from);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_int64(s, 2, r->to > INT64_MAX ? INT64_MAX :
				   (int64_t)r->to);
	return s;
}

char *report_col_dup(sqlite3_stmt *s, int c)
{
	const unsigned char *t = sqlite3_column_text(s, c);

	return t ? strdup((const char *)t) : NULL;
}
