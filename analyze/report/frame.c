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

/* "syscall 3, sched 1" of the NL lost classes L. */
static void lost_classes(const struct report_lost *l, size_t nl, char *buf,
			 size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < nl && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s %" PRIu64,
				      i ? ", " : "", l[i].class, l[i].count);
}

/* Trace ST's host for a text header, controls escaped, into BUF
 * (TEXTESC_QLEN bytes): the host, or "unknown". */
static const char *host_text(struct store *st, char *buf)
{
	const char *h = store_meta(st, "host");

	return h ? textesc_quote(buf, TEXTESC_QLEN, h, strlen(h)) : "unknown";
}

/* "FROM .. TO (DURATION[, the whole trace])" of R's window. */
static void window_text(struct report *r, char *buf, size_t size)
{
	char a[64], b[64], c[32];

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
	snprintf(buf, size, "%s .. %s (%s%s)", a, b, c,
		 r->from == r->span_from && r->to == r->span_to ?
		 ", the whole trace" : "");
}

/* The filter line of a text header, when a filter is given. */
static void filter_text(struct report *r)
{
	if (r->o->pid < 0 && !r->o->comm && r->o->tid < 0)
		return;
	fputs("filter ", r->fp);
	if (r->o->tid >= 0)
		fprintf(r->fp, " tid %" PRId64, r->o->tid);
	if (r->o->pid >= 0)
		fprintf(r->fp, " pid %" PRId64, r->o->pid);
	if (r->o->comm)
		fprintf(r->fp, " comm '%s'", TEXTESC_Q(r->o->comm));
	putc('\n', r->fp);
}

static void header_text(struct report *r)
{
	char w[192], cls[256], capt[512], hb[TEXTESC_QLEN];

	fprintf(r->fp, "kscope report %s: %s", r->d->name, store_path(r->st));
	if (r->o->multi)
		fprintf(r->fp, " (host %s)", host_text(r->st, hb));
	putc('\n', r->fp);
	window_text(r, w, sizeof(w));
	fprintf(r->fp, "window  %s\n", w);
	filter_text(r);
	struct capture cap;

	capture_read(r->st, &cap);
	if (capture_describe(&cap, capt, sizeof(capt)))
		fprintf(r->fp, "capture %s\n", capt);
	if (r->lost_total) {
		lost_classes(r->lost, r->nlost, cls, sizeof(cls));
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

/* A JSON string, or null. */
static void json_str(FILE *fp, const char *s)
{
	if (s)
		output_json_string(fp, s, strlen(s));
	else
		fputs("null", fp);
}

/* "window": {...} of R's window. */
static void window_json(struct report *r)
{
	char a[64];

	fprintf(r->fp, "\"window\": {\"from_ts\": %" PRIu64 ", \"to_ts\": %"
		PRIu64 ", \"duration_ns\": %" PRIu64, r->from, r->to,
		r->to - r->from);
	if (r->has_offset) {
		info_wall_format(a, sizeof(a), r->offset, r->from, 1);
		fprintf(r->fp, ", \"from\": \"%s\"", a);
		info_wall_format(a, sizeof(a), r->offset, r->to, 1);
		fprintf(r->fp, ", \"to\": \"%s\"", a);
	}
	fputc('}', r->fp);
}

/* "lost": {"events": TOTAL, "by_class": {...}} of the NL classes L. */
static void lost_json(FILE *fp, uint64_t total, const struct report_lost *l,
		      size_t nl)
{
	fprintf(fp, "\"lost\": {\"events\": %" PRIu64 ", \"by_class\": {",
		total);
	for (size_t i = 0; i < nl; i++) {
		fputs(i ? ", " : "", fp);
		output_json_string(fp, l[i].class, strlen(l[i].class));
		fprintf(fp, ": %" PRIu64, l[i].count);
	}
	fputs("}}", fp);
}

/* "filter": {"pid": P, "comm": C, left open: the single report's header
 * adds the capture after it. */
static void filter_json(struct report *r)
{
	fputs("\"filter\": {\"pid\": ", r->fp);
	if (r->o->pid >= 0)
		fprintf(r->fp, "%" PRId64, r->o->pid);
	else
		fputs("null", r->fp);
	fputs(", \"comm\": ", r->fp);
	json_str(r->fp, r->o->comm);
}

static void header_json(struct report *r)
{
	const char *path = store_path(r->st);

	fputs("{\"report\": ", r->fp);
	output_json_string(r->fp, r->d->name, strlen(r->d->name));
	fputs(", \"trace\": ", r->fp);
	output_json_string(r->fp, path, strlen(path));
	if (r->o->multi) {
		fputs(", \"host\": ", r->fp);
		json_str(r->fp, store_meta(r->st, "host"));
	}
	fputs(",\n", r->fp);
	window_json(r);
	fputs(",\n", r->fp);
	filter_json(r);
	struct capture cap;

	capture_read(r->st, &cap);
	fputs("},\n\"capture\": ", r->fp);
	capture_json(&cap, r->fp);
	fputs(",\n", r->fp);
	lost_json(r->fp, r->lost_total, r->lost, r->nlost);
	fprintf(r->fp, ",\n\"shed\": {\"sampled\": %" PRIu64 ", \"payload\": %"
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
		"report", "trace", "host", "from_ts", "to_ts", "pid", "comm",
		"lost_events", "lost_by_class"
	};
	/* one row per trace of a merged report; a host column with several
	 * traces */
	int host = r->o->multi || r->traces;
	size_t n = r->traces ? r->ntraces : 1;
	char cls[256];
	struct output *o = output_open(r->fp, OUTPUT_FORMAT_CSV, NULL);
	int rc;

	if (!o)
		return report_fail(r, -ENOMEM, "out of memory");
	fputs("# report\r\n", r->fp);
	rc = output_begin(o, 8 + host, host ? cols : (const char *[]){
		"report", "trace", "from_ts", "to_ts", "pid", "comm",
		"lost_events", "lost_by_class" });
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct report_merged *m = r->traces ? &r->mt[i] : NULL;

		if (m)
			report_merge_use(r, i);
		lost_classes(m ? m->lost : r->lost, m ? m->nlost : r->nlost,
			     cls, sizeof(cls));
		struct output_cell row[] = {
			OUTPUT_TEXT(r->d->name), OUTPUT_TEXT(store_path(r->st)),
			report_text(store_meta(r->st, "host")),
			OUTPUT_INT((int64_t)r->from), OUTPUT_INT((int64_t)r->to),
			r->o->pid >= 0 ? OUTPUT_INT(r->o->pid) : OUTPUT_NULL,
			report_text(r->o->comm),
			OUTPUT_INT((int64_t)(m ? m->lost_total :
					     r->lost_total)),
			OUTPUT_TEXT(cls) };
		if (!host)	/* the row without its host */
			memmove(&row[2], &row[3], 6 * sizeof(row[0]));
		rc = output_row(o, row);
	}
	if (rc == 0)
		rc = output_end(o);
	if (rc < 0)
		report_fail(r, rc, "%s", output_errmsg(o));
	output_close(o);
	return rc;
}

const char *report_path_word(const char *p, char *buf, size_t len)
{
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

const char *report_file_word(struct report *r, char *buf, size_t len)
{
	size_t n = 0;

	if (!r->traces)
		return report_path_word(store_path(r->st), buf, len);
	/* a merged report's: every trace, as `kscope query` takes them */
	buf[0] = '\0';
	for (size_t i = 0; i < r->ntraces && n + 1 < len; i++) {
		if (i)
			buf[n++] = ' ';
		report_path_word(r->traces[i].name, buf + n, len - n);
		n += strlen(buf + n);
	}
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

/* The merged report's header in text: a block per trace, the filter,
 * the lost events of all. */
static void header_merged_text(struct report *r)
{
	char w[192], cls[256], sh[512], hb[TEXTESC_QLEN];
	struct capture cap;

	fprintf(r->fp, "kscope report %s: %zu traces merged\n", r->d->name,
		r->ntraces);
	for (size_t i = 0; i < r->ntraces; i++) {
		const struct report_merged *m = &r->mt[i];

		report_merge_use(r, i);
		fprintf(r->fp, "trace   %s (host %s)\n",
			TEXTESC_Q(r->traces[i].name), host_text(r->st, hb));
		window_text(r, w, sizeof(w));
		fprintf(r->fp, "        window %s\n", w);
		lost_classes(m->lost, m->nlost, cls, sizeof(cls));
		if (m->lost_total)
			fprintf(r->fp, "        LOST %" PRIu64 " %s (%s)\n",
				m->lost_total, plural(m->lost_total, "event",
						      "events"), cls);
		else
			fputs("        lost none\n", r->fp);
		if (m->shed.sampled || m->shed.stripped) {
			shed_describe(&m->shed, r->span_from, r->span_to, sh,
				      sizeof(sh));
			fprintf(r->fp, "        SHED %s\n", sh);
		}
		capture_read(r->st, &cap);
		if (capture_describe(&cap, sh, sizeof(sh)))
			fprintf(r->fp, "        capture %s\n", sh);
	}
	filter_text(r);
	if (r->lost_total)
		fprintf(r->fp, "LOST    %" PRIu64 " %s in these windows: the "
			"figures below undercount\n", r->lost_total,
			plural(r->lost_total, "event", "events"));
	else
		fputs("lost    none in these windows\n", r->fp);
	if (r->shed.sampled)
		fputs("SHED    figures of fast successful calls below are "
		      "partial\n", r->fp);
}

/* The same in JSON: {"report", "merged": true, "traces": [{"trace",
 * "host", "window", "lost", "shed", "capture"}], "filter", "lost",
 * "tables": {. */
static void header_merged_json(struct report *r)
{
	struct capture cap;

	fputs("{\"report\": ", r->fp);
	json_str(r->fp, r->d->name);
	fputs(", \"merged\": true,\n\"traces\": [", r->fp);
	for (size_t i = 0; i < r->ntraces; i++) {
		const struct report_merged *m = &r->mt[i];

		report_merge_use(r, i);
		fputs(i ? ",\n  {\"trace\": " : "\n  {\"trace\": ", r->fp);
		json_str(r->fp, r->traces[i].name);
		fputs(", \"host\": ", r->fp);
		json_str(r->fp, m->host);
		fputs(", ", r->fp);
		window_json(r);
		fputs(", ", r->fp);
		lost_json(r->fp, m->lost_total, m->lost, m->nlost);
		fprintf(r->fp, ", \"shed\": {\"sampled\": %" PRIu64 ", "
			"\"payload\": %" PRIu64 "}, \"capture\": ",
			m->shed.sampled, m->shed.stripped);
		capture_read(r->st, &cap);
		capture_json(&cap, r->fp);
		fputc('}', r->fp);
	}
	fputs("],\n", r->fp);
	filter_json(r);
	fprintf(r->fp, "},\n\"lost\": {\"events\": %" PRIu64 "},\n"
		"\"tables\": {", r->lost_total);
}

int report_header_print(struct report *r)
{
	if (r->o->fmt == OUTPUT_FORMAT_TABLE)
		(r->traces ? header_merged_text : header_text)(r);
	else if (r->o->fmt == OUTPUT_FORMAT_JSON)
		(r->traces ? header_merged_json : header_json)(r);
	else
		return header_csv(r);
	return 0;
}
