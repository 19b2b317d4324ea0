/*
 * frame.c - what surrounds a report's tables: the events lost in the
 * window, the header (window, filter, lost events) in each of the three
 * formats, and the notes after the tables (report.c has the shapes), with
 * the trace's name as the commands they suggest write it.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/capture.h"
#include "analyze/output/plural.h"
#include "analyze/output/textesc.h"
#include "analyze/info/info.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int report_lost_gather(struct report *r)
{
	/* a lost row covers the second [ts, ts + 1 s) */
	sqlite3_stmt *s = report_prepare(r, "SELECT class, sum(count) FROM"
					 " lost WHERE ts <= ?2 AND ts + 1000000000"
					 " > ?1 GROUP BY class ORDER BY class");
	int src, rc = 0;

	if (!s)
		return -EIO;
	while ((src = sqlite3_step(s)) == SQLITE_ROW) {
		struct report_lost *v = realloc(r->lost, (r->nlost + 1) *
						sizeof(*v));
		const char *c = (const char *)sqlite3_column_text(s, 0);

		if (!v) {
			rc = report_fail(r, -ENOMEM, "out of memory");
			break;
		}
		r->lost = v;
		v[r->nlost].class = strdup(c ? c : "?");
		v[r->nlost].count = (uint64_t)sqlite3_column_int64(s, 1);
		r->lost_total += v[r->nlost].count;
		r->nlost++;
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "lost");
	sqlite3_finalize(s);
	/* and what a --budget shed there (analyze/shed.c) */
	if (rc == 0 && shed_gather(r->db, r->from, r->to, &r->shed) < 0)
		rc = report_sql_fail(r, "shed");
	return rc;
}

static void lost_classes(struct report *r, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nlost && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s %" PRIu64,
				      i ? ", " : "", r->lost[i].class,
				      r->lost[i].count);
}

static void header_text(struct report *r)
{
	char a[64], b[64], c[32], cls[256], capt[512];

	fprintf(r->fp, "kscope report %s: %s\n", r->d->name,
		store_path(r->st));
	if (r->has_offset) {
		info_wall_format(a, sizeof(a), r->offset, r->from, 0);
		info_wall_format(b, sizeof(b), r->offset, r->to, 0);
	} else {
		/* signed: a window may start before the trace */
		snprintf(a, sizeof(a), "%+.6f s", ((double)r->from -
						    (double)r->span_from) / 1e9);
		snprintf(b, sizeof(b), "%+.6f s", ((double)r->to -
						    (double)r->span_from) / 1e9);
	}
	info_duration_format(c, sizeof(c), r->to - r->from);
	fprintf(r->fp, "window  %s .. %s (%s%s)\n", a, b, c,
		r->from == r->span_from && r->to == r->span_to ?
		", the whole trace" : "");
	if (r->o->pid >= 0 || r->o->comm || r->o->tid >= 0) {
		fputs("filter ", r->fp);
		if (r->o->tid >= 0)
			fprintf(r->fp, " tid %" PRId64, r->o->tid);
		if (r->o->pid >= 0)
			fprintf(r->fp, " pid %" PRId64, r->o->pid);
		if (r->o->comm)
			fprintf(r->fp, " comm '%s'", TEXTESC_Q(r->o->comm));
		putc('\n', r->fp);
	}
	struct capture cap;

	capture_read(r->st, &cap);
	if (capture_describe(&cap, capt, sizeof(capt)))
		fprintf(r->fp, "capture %s\n", capt);
	if (r->lost_total) {
		lost_classes(r, cls, sizeof(cls));
		fprintf(r->fp, "LOST    %" PRIu64 " %s in this window (%s):"
			" the figures below undercount\n", r->lost_total,
			plural(r->lost_total, "event", "events"), cls);
	} else {
		fputs("lost    none in this window\n", r->fp);
	}
	if (r->shed.sampled || r->shed.stripped) {
		char sh[512];

		shed_describe(&r->shed, r->span_from, r->span_to, sh,
			      sizeof(sh));
		fprintf(r->fp, "SHED    %s%s\n", sh, r->shed.sampled ?
			": figures of fast successful calls below are partial" :
			"");
	}
}

static void header_json(struct report *r)
{
	char a[64];
	const char *path = store_path(r->st);

	fputs("{\"report\": ", r->fp);
	output_json_string(r->fp, r->d->name, strlen(r->d->name));
	fputs(", \"trace\": ", r->fp);
	output_json_string(r->fp, path, strlen(path));
	fprintf(r->fp, ",\n\"window\": {\"from_ts\": %" PRIu64 ", \"to_ts\": %"
		PRIu64 ", \"duration_ns\": %" PRIu64, r->from, r->to,
		r->to - r->from);
	if (r->has_offset) {
		info_wall_format(a, sizeof(a), r->offset, r->from, 1);
		fprintf(r->fp, ", \"from\": \"%s\"", a);
		info_wall_format(a, sizeof(a), r->offset, r->to, 1);
		fprintf(r->fp, ", \"to\": \"%s\"", a);
	}
	fputs("},\n\"filter\": {\"pid\": ", r->fp);
	if (r->o->pid >= 0)
		fprintf(r->fp, "%" PRId64, r->o->pid);
	else
		fputs("null", r->fp);
	fputs(", \"comm\": ", r->fp);
	if (r->o->comm)
		output_json_string(r->fp, r->o->comm, strlen(r->o->comm));
	else
		fputs("null", r->fp);
	struct capture cap;

	capture_read(r->st, &cap);
	fputs("},\n\"capture\": ", r->fp);
	capture_json(&cap, r->fp);
	fprintf(r->fp, ",\n\"lost\": {\"events\": %" PRIu64 ", \"by_class\": "
		"{", r->lost_total);
	for (size_t i = 0; i < r->nlost; i++) {
		fputs(i ? ", " : "", r->fp);
		output_json_string(r->fp, r->lost[i].class,
				   strlen(r->lost[i].class));
		fprintf(r->fp, ": %" PRIu64, r->lost[i].count);
	}
	fprintf(r->fp, "}},\n\"shed\": {\"sampled\": %" PRIu64 ", \"payload\": %"
		PRIu64 ", \"text\": ", r->shed.sampled, r->shed.stripped);
	{
		char sh[512];

		shed_describe(&r->shed, r->span_from, r->span_to, sh,
			      sizeof(sh));
		output_json_string(r->fp, sh, strlen(sh));
	}
	fputs("},\n\"tables\": {", r->fp);
}

static int header_csv(struct report *r)
{
	static const char *const cols[] = {
		"report", "trace", "from_ts", "to_ts", "pid", "comm",
		"lost_events", "lost_by_class"
	};
	char cls[256];
	struct output *o = output_open(r->fp, OUTPUT_FORMAT_CSV, NULL);
	int rc;

	if (!o)
		return report_fail(r, -ENOMEM, "out of memory");
	lost_classes(r, cls, sizeof(cls));
	fputs("# report\r\n", r->fp);
	rc = output_begin(o, 8, cols);
	if (rc == 0)
		rc = output_row(o, (struct output_cell[]){
			OUTPUT_TEXT(r->d->name), OUTPUT_TEXT(store_path(r->st)),
			OUTPUT_INT((int64_t)r->from), OUTPUT_INT((int64_t)r->to),
			r->o->pid >= 0 ? OUTPUT_INT(r->o->pid) : OUTPUT_NULL,
			report_text(r->o->comm),
			OUTPUT_INT((int64_t)r->lost_total), OUTPUT_TEXT(cls) });
	if (rc == 0)
		rc = output_end(o);
	if (rc < 0)
		report_fail(r, rc, "%s", output_errmsg(o));
	output_close(o);
	return rc;
}

const char *report_file_word(struct report *r, char *buf, size_t len)
{
	const char *p = store_path(r->st);
	size_t n = 0;

	p = p ? p : "FILE";
	if (!p[strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_./+-,:@%")] && *p) {
		snprintf(buf, len, "%s", p);
		return buf;
	}
	buf[n++] = '\'';
	for (; *p && n + 5 < len; p++) {
		if (*p == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *p;
		}
	}
	buf[n++] = '\'';
	buf[n] = 0;
	return buf;
}

int report_notes_print(struct report *r)
{
	if (r->o->fmt == OUTPUT_FORMAT_TABLE) {
		if (r->nnotes)
			fputs("\nnext:\n", r->fp);
		for (size_t i = 0; i < r->nnotes; i++) {
			fputs("  ", r->fp); /* names from the trace in it */
			textesc_fputs(r->notes[i], r->fp);
			putc('\n', r->fp);
		}
		return 0;
	}
	if (r->o->fmt == OUTPUT_FORMAT_JSON) {
		fputs("},\n\"notes\": [", r->fp);
		for (size_t i = 0; i < r->nnotes; i++) {
			fputs(i ? ",\n  " : "\n  ", r->fp);
			output_json_string(r->fp, r->notes[i],
					   strlen(r->notes[i]));
		}
		fputs(r->nnotes ? "\n]}\n" : "]}\n", r->fp);
		return 0;
	}
	if (!r->nnotes)
		return 0;
	const char *col = "note";
	int rc = report_table_begin(r, "notes", "next", 1, &col);
	for (size_t i = 0; rc == 0 && i < r->nnotes; i++)
		rc = report_table_row(r, (struct output_cell[]){
					OUTPUT_TEXT(r->notes[i]) });
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
}

int report_header_print(struct report *r)
{
	if (r->o->fmt == OUTPUT_FORMAT_TABLE)
		header_text(r);
	else if (r->o->fmt == OUTPUT_FORMAT_JSON)
		header_json(r);
	else
		return header_csv(r);
	return 0;
}
