/*
 * info.c - gather and print the summary of a trace (see info.h).
 *
 * Meta values come from the file and are untrusted: numbers are parsed
 * strictly (a bad one counts as missing) and text printed for a terminal
 * has its control characters escaped.
 */
#include "config.h"
#include "analyze/info/info.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/output/output.h"
#include "analyze/output/textesc.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- gathering ------------------------------------------------------ */

/* A whole decimal integer, or -1 (and *V untouched). */
static int parse_i64(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (!s || !*s)
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}

static int parse_u64(const char *s, uint64_t *v)
{
	int64_t x;

	if (parse_i64(s, &x) < 0 || x < 0)
		return -1;
	*v = (uint64_t)x;
	return 0;
}

static int lost_add(struct info *in, const char *class, uint64_t count,
		    int take_max)
{
	struct info_lost *l;

	for (size_t i = 0; i < in->nlost; i++) {
		if (strcmp(in->lost[i].class, class) == 0) {
			if (take_max) {
				if (count > in->lost[i].count)
					in->lost[i].count = count;
			} else {
				in->lost[i].count += count;
			}
			return 0;
		}
	}
	l = realloc(in->lost, (in->nlost + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	in->lost = l;
	if (!(l[in->nlost].class = strdup(class)))
		return -ENOMEM;
	l[in->nlost++].count = count;
	return 0;
}

static int lost_cmp(const void *a, const void *b)
{
	return strcmp(((const struct info_lost *)a)->class,
		      ((const struct info_lost *)b)->class);
}

static int gather_meta(struct info *in, sqlite3 *db, char *err,
		       size_t errlen)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(db, "SELECT key, value FROM meta "
				    "WHERE key IS NOT NULL ORDER BY key",
				    -1, &s, NULL);

	if (rc != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		const char *v = (const char *)sqlite3_column_text(s, 1);
		struct info_meta *m = realloc(in->meta, (in->nmeta + 1) *
					      sizeof(*m));
		if (!m) {
			sqlite3_finalize(s);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		in->meta = m;
		m[in->nmeta].key = strdup(k ? k : "");
		m[in->nmeta].value = v ? strdup(v) : NULL;
		in->nmeta++;
		if (!m[in->nmeta - 1].key || (v && !m[in->nmeta - 1].value)) {
			sqlite3_finalize(s);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 0;
fail:
	snprintf(err, errlen, "cannot read meta: %s", sqlite3_errmsg(db));
	return -EIO;
}

static const char *meta_get(const struct info *in, const char *key)
{
	for (size_t i = 0; i < in->nmeta; i++)
		if (strcmp(in->meta[i].key, key) == 0)
			return in->meta[i].value;
	return NULL;
}

static int gather_lost(struct info *in, sqlite3 *db, char *err,
		       size_t errlen)
{
	sqlite3_stmt *s;
	uint64_t sum = 0, meta_total = 0;
	int rc;

	/* the per-second table */
	rc = sqlite3_prepare_v2(db, "SELECT class, total(count) FROM lost "
				"GROUP BY class", -1, &s, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *class = (const char *)sqlite3_column_text(s, 0);
		double n = sqlite3_column_double(s, 1);
		if (n > 0 && lost_add(in, class ? class : "?",
				      (uint64_t)n, 0) < 0) {
			sqlite3_finalize(s);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		goto fail;
	rc = sqlite3_prepare_v2(db, "SELECT count(DISTINCT ts) FROM lost "
				"WHERE count > 0", -1, &s, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		in->lost_seconds = (uint64_t)sqlite3_column_int64(s, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		goto fail;

	/* the recorder's totals (meta lost_<class>): a killed recorder
	 * never wrote them, and the table may miss what could not be put
	 * in a second; take the larger of the two per class */
	for (size_t i = 0; i < in->nmeta; i++) {
		const char *k = in->meta[i].key;
		uint64_t n;

		if (strncmp(k, "lost_", 5) != 0 ||
		    parse_u64(in->meta[i].value, &n) < 0)
			continue;
		if (strcmp(k, "lost_total") == 0) {
			meta_total = n;
			continue;
		}
		if (n > 0 && lost_add(in, k + 5, n, 1) < 0) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < in->nlost; i++)
		sum += in->lost[i].count;
	in->lost_total = sum > meta_total ? sum : meta_total;
	if (in->nlost > 1)
		qsort(in->lost, in->nlost, sizeof(*in->lost), lost_cmp);
	return 0;
fail:
	snprintf(err, errlen, "cannot read the lost table: %s",
		 sqlite3_errmsg(db));
	return -EIO;
}

struct info *info_gather(struct store *st, char *err, size_t errlen)
{
	struct info *in = calloc(1, sizeof(*in));
	sqlite3 *db = store_db(st);
	char wal[4096];
	struct stat sb;
	uint64_t lo = UINT64_MAX, hi = 0;

	if (!in || !(in->path = strdup(store_path(st)))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (stat(in->path, &sb) == 0)
		in->file_size = (uint64_t)sb.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", in->path);
	if (stat(wal, &sb) == 0 && sb.st_size > 0) {
		in->has_wal = 1;
		in->file_size += (uint64_t)sb.st_size;
	}

	in->recorder_pid = store_recorder_pid(st);

	if (gather_meta(in, db, err, errlen) < 0)
		goto fail;
	in->format_version = meta_get(in, "format_version");
	in->host = meta_get(in, "host");
	in->kernel = meta_get(in, "kernel");
	in->arch = meta_get(in, "arch");
	in->options = meta_get(in, "options");
	in->recorder = meta_get(in, "recorder");
	in->classes = meta_get(in, "classes");
	capture_read(st, &in->capture);
	if (parse_i64(meta_get(in, "cpus"), &in->cpus) < 0 || in->cpus < 0)
		in->cpus = -1;
	in->has_offset = parse_i64(meta_get(in, "clock_offset_ns"),
				   &in->clock_offset_ns) == 0;
	in->has_cpu = parse_u64(meta_get(in, "recorder_cpu_ns"),
				&in->recorder_cpu_ns) == 0;
	in->has_rss = parse_u64(meta_get(in, "recorder_max_rss_kb"),
				&in->recorder_max_rss_kb) == 0;
	in->has_ring_dropped = parse_u64(meta_get(in, "ring_dropped_chunks"),
					 &in->ring_dropped_chunks) == 0;
	in->has_ring_bytes = parse_u64(meta_get(in, "ring_buffer_bytes"),
				       &in->ring_buffer_bytes) == 0;
	in->has_malformed = parse_u64(meta_get(in, "malformed_records"),
				      &in->malformed_records) == 0;

	for (int k = 0; k < EV_KIND_COUNT; k++) {
		struct store_kind_stats *ks = &in->kinds[k];

		if (store_kind_stats(st, k, ks) < 0) {
			snprintf(err, errlen, "%s", store_errmsg(st));
			goto fail;
		}
		in->events += ks->events;
		in->chunks += ks->chunks;
		in->raw_bytes += ks->raw_bytes;
		in->stored_bytes += ks->stored_bytes;
		if (ks->chunks) {
			if (ks->ts_min < lo)
				lo = ks->ts_min;
			if (ks->ts_max > hi)
				hi = ks->ts_max;
		}
	}
	in->start_from_meta = parse_u64(meta_get(in, "start_ts"),
					&in->start_ts) == 0;
	in->end_from_meta = parse_u64(meta_get(in, "end_ts"),
				      &in->end_ts) == 0;
	if (!in->start_from_meta && lo <= hi)
		in->start_ts = lo;
	if (!in->end_from_meta && lo <= hi)
		in->end_ts = hi > in->start_ts ? hi : in->start_ts;
	in->has_span = (in->start_from_meta || lo <= hi) &&
		       (in->end_from_meta || lo <= hi) &&
		       in->end_ts >= in->start_ts;

	if (gather_lost(in, db, err, errlen) < 0)
		goto fail;
	if (shed_gather(db, 0, INT64_MAX, &in->shed) < 0) {
		snprintf(err, errlen, "cannot read the shed table: %s",
			 sqlite3_errmsg(db));
		goto fail;
	}
	return in;
fail:
	info_free(in);
	return NULL;
}

void info_free(struct info *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->nlost; i++)
		free(in->lost[i].class);
	for (size_t i = 0; i < in->nmeta; i++) {
		free(in->meta[i].key);
		free(in->meta[i].value);
	}
	free(in->lost);
	free(in->meta);
	free(in->path);
	free(in);
}

/* ---- formatting ----------------------------------------------------- */

void info_wall_format(char *buf, size_t size, int64_t offset_ns, uint64_t ts,
		      int iso)
{
	int64_t s, frac;
	struct tm tm;
	time_t sec;

	if (ts > INT64_MAX) {	/* negative in the file: no time */
		snprintf(buf, size, "?");
		return;
	}
	sqlfn_wall_split((int64_t)ts, offset_ns, &s, &frac);
	sec = (time_t)s;
	if (!gmtime_r(&sec, &tm) || tm.tm_year > 9999 - 1900 ||
	    tm.tm_year < -1900) {
		snprintf(buf, size, "?");
		return;
	}
	if (iso)
		snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%09" PRId64
			 "Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
	else
		snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%06" PRId64
			 " UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec, frac / 1000);
}

void info_duration_format(char *buf, size_t size, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, size, "%" PRIu64 " ns", ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%.3f us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.3f ms", ns / 1e6);
	else if (ns < 60ull * 1000000000)
		snprintf(buf, size, "%.3f s", ns / 1e9);
	else if (ns < 3600ull * 1000000000)
		snprintf(buf, size, "%" PRIu64 "m %04.1fs",
			 (uint64_t)(ns / 60000000000ull),
			 (double)(ns % 60000000000ull) / 1e9);
	else
		snprintf(buf, size, "%" PRIu64 "h %02" PRIu64 "m %02" PRIu64
			 "s", (uint64_t)(ns / 3600000000000ull),
			 (uint64_t)(ns / 60000000000ull % 60),
			 (uint64_t)(ns / 1000000000ull % 60));
}

/* 1234567 -> "1,234,567" */
static const char *grouped(char *buf, size_t size, uint64_t v)
{
	char raw[32];
	size_t n, j = 0;

	snprintf(raw, sizeof(raw), "%" PRIu64, v);
	n = strlen(raw);
	for (size_t i = 0; i < n && j + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[j++] = ',';
		buf[j++] = raw[i];
	}
	buf[j] = '\0';
	return buf;
}

static const char *human_bytes(char *buf, size_t size, uint64_t v)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double x = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, size, "%" PRIu64 " B", v);
		return buf;
	}
	while (x >= 1024 && u < 3) {
		x /= 1024;
		u++;
	}
	snprintf(buf, size, "%.1f %s", x, unit[u]);
	return buf;
}

/* Text from the file, for a terminal: controls escaped (textesc.h). */
static void safe_put(FILE *fp, const char *s)
{
	textesc_fputs(s, fp);
}

static void label(FILE *fp, const char *name)
{
	fprintf(fp, "%-13s", name);
}

static void line_str(FILE *fp, const char *name, const char *value)
{
	label(fp, name);
	if (value)
		safe_put(fp, value);
	else
		fputs("unknown", fp);
	putc('\n', fp);
}

static int finish(FILE *fp)
{
	if (fflush(fp) != 0 || ferror(fp))
		return -(errno ? errno : EIO);
	return 0;
}

static int meta_is_known(const char *key)
{
	static const char *const known[] = {
		"format_version", "host", "kernel", "arch", "cpus",
		"clock_offset_ns", "start_ts", "end_ts", "options",
		"recorder_cpu_ns", "recorder_max_rss_kb", "recorder",
		"classes", "ring_buffer_bytes", "malformed_records",
		"ring_dropped_chunks",
		"capture_syscalls", "capture_slower_than_ns", "capture_errors",
		"capture_comm", "budget", "shed_sampled", "shed_payload",
		"redacted", "snaplen", "snapshot_signal", "trigger",
		"trigger_after_ns", "trigger_ts", "snapshot_of",
		"snapshot_reason", NULL
	};
	for (int i = 0; known[i]; i++)
		if (!strcmp(key, known[i]))
			return 1;
	return !strncmp(key, "lost_", 5);
}

/*
 * How the recording was made to cost and keep less, in one block: the
 * capture filters, the budget and what it shed, redaction, payloads,
 * the trigger and snapshots (meta, docs/FORMAT.md).  Lines only for the
 * options used.
 */
static void production_print(const struct info *in, FILE *fp)
{
	const char *v;
	char a[512], b[64];
	uint64_t n;

	if (capture_describe(&in->capture, a, sizeof(a))) {
		label(fp, "capture");
		fprintf(fp, "%s\n", a); /* escaped already */
	}
	if ((v = meta_get(in, "budget")))
		line_str(fp, "budget", v);
	if (in->shed.sampled || in->shed.stripped)
		line_str(fp, "shed", shed_describe(&in->shed, in->start_ts,
						   in->end_ts, a, sizeof(a)));
	if ((v = meta_get(in, "redacted")))
		line_str(fp, "redacted", v);
	if (!parse_u64(meta_get(in, "snaplen"), &n) && n) {
		label(fp, "snaplen");
		fprintf(fp, "%" PRIu64 " bytes of each read/write/send/recv "
			"payload\n", n);
	}
	if ((v = meta_get(in, "trigger"))) {
		label(fp, "trigger");
		putc('\'', fp);
		safe_put(fp, v);
		putc('\'', fp);
		if (!parse_u64(meta_get(in, "trigger_after_ns"), &n)) {
			info_duration_format(b, sizeof(b), n);
			fprintf(fp, ", then %s", b);
		}
		if (!parse_u64(meta_get(in, "trigger_ts"), &n))
			fprintf(fp, "; matched at %+.3f s",
				((double)n - (double)in->start_ts) / 1e9);
		putc('\n', fp);
	}
	if ((v = meta_get(in, "snapshot_signal"))) {
		label(fp, "snapshots");
		fputs("on ", fp);
		safe_put(fp, v);
		fputs(" or kscope record --snapshot PID\n", fp);
	}
	if ((v = meta_get(in, "snapshot_of"))) {
		label(fp, "snapshot of");
		safe_put(fp, v);
		if ((v = meta_get(in, "snapshot_reason"))) {
			fputs(": ", fp);
			safe_put(fp, v);
		}
		putc('\n', fp);
	}
}

int info_text_print(const struct info *in, FILE *fp)
{
	char a[64], b[64], c[32], d[32];

	errno = 0;
	label(fp, "file");
	safe_put(fp, in->path);
	if (in->recorder_pid > 0)
		fprintf(fp, " (being recorded by pid %ld: as of its last "
			"commit)", in->recorder_pid);
	else if (in->recorder_pid == 0)
		fputs(" (being recorded: as of its last commit)", fp);
	else if (in->has_wal)
		fputs(" (with its -wal: the recording did not finish "
		      "cleanly)", fp);
	putc('\n', fp);
	label(fp, "size");
	fprintf(fp, "%s (%s bytes)\n", human_bytes(a, sizeof(a),
						   in->file_size),
		grouped(b, sizeof(b), in->file_size));
	line_str(fp, "format", in->format_version);
	line_str(fp, "host", in->host);
	label(fp, "kernel");
	safe_put(fp, in->kernel ? in->kernel : "unknown");
	if (in->arch) {
		fputs(" (", fp);
		safe_put(fp, in->arch);
		putc(')', fp);
	}
	putc('\n', fp);
	label(fp, "cpus");
	if (in->cpus >= 0)
		fprintf(fp, "%" PRId64 "\n", in->cpus);
	else
		fputs("unknown\n", fp);

	if (in->has_span) {
		label(fp, "start");
		if (in->has_offset) {
			info_wall_format(a, sizeof(a), in->clock_offset_ns,
					 in->start_ts, 0);
			fputs(a, fp);
		} else {
			fprintf(fp, "%.6f s after boot", in->start_ts / 1e9);
		}
		fputs(in->start_from_meta ? "\n" :
		      " (first event; no recording start in meta)\n", fp);
		label(fp, "end");
		if (in->has_offset) {
			info_wall_format(a, sizeof(a), in->clock_offset_ns,
					 in->end_ts, 0);
			fputs(a, fp);
		} else {
			fprintf(fp, "%.6f s after boot", in->end_ts / 1e9);
		}
		if (!in->end_from_meta)
			fputs(in->recorder_pid >= 0 ?
			      " (last event so far: still being recorded" :
			      " (last event: the recording did not finish", fp);
		if (!in->has_offset)
			fprintf(fp, "%sno clock offset in meta: wall time "
				"unknown", in->end_from_meta ? " (" : "; ");
		if (!in->end_from_meta || !in->has_offset)
			putc(')', fp);
		putc('\n', fp);
		label(fp, "duration");
		info_duration_format(a, sizeof(a), in->end_ts - in->start_ts);
		fprintf(fp, "%s\n", a);
	} else {
		line_str(fp, "span", "none (no events, no recording span)");
	}

	label(fp, "events");
	fprintf(fp, "%s in %s chunks\n", grouped(a, sizeof(a), in->events),
		grouped(b, sizeof(b), in->chunks));
	if (in->events) {
		label(fp, "bytes/event");
		fprintf(fp, "%.2f (whole file)\n",
			(double)in->file_size / in->events);
	}
	if (in->stored_bytes) {
		label(fp, "compression");
		fprintf(fp, "%.2fx (%s of columns stored in %s)\n",
			(double)in->raw_bytes / in->stored_bytes,
			human_bytes(a, sizeof(a), in->raw_bytes),
			human_bytes(b, sizeof(b), in->stored_bytes));
	}

	label(fp, "lost");
	if (in->lost_total == 0) {
		fputs("0 events\n", fp);
	} else {
		fprintf(fp, "%s events", grouped(a, sizeof(a),
						 in->lost_total));
		if (in->lost_seconds)
			fprintf(fp, " in %s second%s",
				grouped(b, sizeof(b), in->lost_seconds),
				in->lost_seconds == 1 ? "" : "s");
		for (size_t i = 0; i < in->nlost; i++) {
			fputs(i == 0 ? ": " : ", ", fp);
			safe_put(fp, in->lost[i].class);
			fprintf(fp, " %s", grouped(a, sizeof(a),
						   in->lost[i].count));
		}
		fputs(" -- the trace has holes\n", fp);
	}
	if (in->has_ring_dropped && in->ring_dropped_chunks) {
		label(fp, "ring");
		fprintf(fp, "%s oldest chunks dropped to stay under the size "
			"limit\n", grouped(a, sizeof(a),
					   in->ring_dropped_chunks));
	}
	if (in->has_malformed && in->malformed_records) {
		label(fp, "malformed");
		fprintf(fp, "%s records from the kernel could not be decoded "
			"and were dropped\n", grouped(a, sizeof(a),
						     in->malformed_records));
	}
	production_print(in, fp);
	if (in->options)
		line_str(fp, "options", in->options);
	if (in->classes)
		line_str(fp, "classes", in->classes);
	if (in->has_ring_bytes) {
		label(fp, "ring buffer");
		fprintf(fp, "%s\n", human_bytes(a, sizeof(a),
					       in->ring_buffer_bytes));
	}
	if (in->recorder || in->has_cpu || in->has_rss) {
		const char *sep = "";

		label(fp, "recorder");
		if (in->recorder) {
			safe_put(fp, in->recorder);
			sep = ", ";
		}
		if (in->has_cpu) {
			info_duration_format(a, sizeof(a),
					     in->recorder_cpu_ns);
			fprintf(fp, "%sCPU %s", sep, a);
			if (in->has_span && in->end_from_meta &&
			    in->end_ts > in->start_ts)
				fprintf(fp, " (%.2f%% of one CPU)",
					100.0 * in->recorder_cpu_ns /
					(in->end_ts - in->start_ts));
			sep = ", ";
		}
		if (in->has_rss)
			fprintf(fp, "%smax RSS %s", sep,
				human_bytes(a, sizeof(a),
					    in->recorder_max_rss_kb * 1024));
		putc('\n', fp);
	}

	/* per kind */
	fprintf(fp, "\n%-14s %14s %8s %11s %11s %7s\n", "table", "events",
		"chunks", "raw", "stored", "ratio");
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		const struct store_kind_stats *ks = &in->kinds[k];

		fprintf(fp, "%-14s %14s %8s %11s %11s", ev_desc(k)->table,
			grouped(a, sizeof(a), ks->events),
			grouped(b, sizeof(b), ks->chunks),
			human_bytes(c, sizeof(c), ks->raw_bytes),
			human_bytes(d, sizeof(d), ks->stored_bytes));
		if (ks->stored_bytes)
			fprintf(fp, " %6.2fx\n",
				(double)ks->raw_bytes / ks->stored_bytes);
		else
			fprintf(fp, " %7s\n", "-");
	}

	/* meta this build does not know, e.g. from a newer minor version */
	int other = 0;
	for (size_t i = 0; i < in->nmeta; i++) {
		if (meta_is_known(in->meta[i].key))
			continue;
		if (!other++)
			fputs("\nother meta\n", fp);
		fputs("  ", fp);
		safe_put(fp, in->meta[i].key);
		fputs(" = ", fp);
		safe_put(fp, in->meta[i].value ? in->meta[i].value : "NULL");
		putc('\n', fp);
	}
	return finish(fp);
}

/* ---- JSON ----------------------------------------------------------- */

static void json_key(FILE *fp, int *first, const char *key)
{
	fputs(*first ? "\n  " : ",\n  ", fp);
	*first = 0;
	output_json_string(fp, key, strlen(key));
	fputs(": ", fp);
}

static void json_str(FILE *fp, const char *s)
{
	if (s)
		output_json_string(fp, s, strlen(s));
	else
		fputs("null", fp);
}

static void json_u64(FILE *fp, int has, uint64_t v)
{
	if (has)
		fprintf(fp, "%" PRIu64, v);
	else
		fputs("null", fp);
}

static void json_real(FILE *fp, int has, double v)
{
	char buf[64];

	if (!has) {
		fputs("null", fp);
		return;
	}
	output_real_format(buf, sizeof(buf), v);
	fputs(buf, fp);
}

/* --trigger: null, or {"filter": ..., "after_ns": ..., "ts": ...} (ts:
 * the match that stopped a recording without --ring, else null). */
static void json_trigger(const struct info *in, FILE *fp)
{
	const char *f = meta_get(in, "trigger");
	uint64_t n;
	int has;

	if (!f) {
		fputs("null", fp);
		return;
	}
	fputs("{\"filter\": ", fp);
	json_str(fp, f);
	fputs(", \"after_ns\": ", fp);
	has = !parse_u64(meta_get(in, "trigger_after_ns"), &n);
	json_u64(fp, has, has ? n : 0);
	fputs(", \"ts\": ", fp);
	has = !parse_u64(meta_get(in, "trigger_ts"), &n);
	json_u64(fp, has, has ? n : 0);
	putc('}', fp);
}

int info_json_print(const struct info *in, FILE *fp)
{
	char a[64];
	int first = 1;

	errno = 0;
	putc('{', fp);
	json_key(fp, &first, "file");
	json_str(fp, in->path);
	json_key(fp, &first, "size_bytes");
	json_u64(fp, 1, in->file_size);
	json_key(fp, &first, "unfinished");
	fputs(in->has_wal ? "true" : "false", fp);
	json_key(fp, &first, "recording_pid");
	json_u64(fp, in->recorder_pid >= 0, (uint64_t)in->recorder_pid);
	json_key(fp, &first, "format_version");
	json_str(fp, in->format_version);
	json_key(fp, &first, "host");
	json_str(fp, in->host);
	json_key(fp, &first, "kernel");
	json_str(fp, in->kernel);
	json_key(fp, &first, "arch");
	json_str(fp, in->arch);
	json_key(fp, &first, "cpus");
	json_u64(fp, in->cpus >= 0, (uint64_t)in->cpus);
	json_key(fp, &first, "clock_offset_ns");
	if (in->has_offset)
		fprintf(fp, "%" PRId64, in->clock_offset_ns);
	else
		fputs("null", fp);
	json_key(fp, &first, "start_ts");
	json_u64(fp, in->has_span, in->start_ts);
	json_key(fp, &first, "end_ts");
	json_u64(fp, in->has_span, in->end_ts);
	json_key(fp, &first, "start_from_meta");
	fputs(in->start_from_meta ? "true" : "false", fp);
	json_key(fp, &first, "end_from_meta");
	fputs(in->end_from_meta ? "true" : "false", fp);
	json_key(fp, &first, "start");
	info_wall_format(a, sizeof(a), in->clock_offset_ns, in->start_ts, 1);
	json_str(fp, in->has_span && in->has_offset && a[0] != '?' ? a : NULL);
	json_key(fp, &first, "end");
	info_wall_format(a, sizeof(a), in->clock_offset_ns, in->end_ts, 1);
	json_str(fp, in->has_span && in->has_offset && a[0] != '?' ? a : NULL);
	json_key(fp, &first, "duration_ns");
	json_u64(fp, in->has_span, in->end_ts - in->start_ts);
	json_key(fp, &first, "events");
	json_u64(fp, 1, in->events);
	json_key(fp, &first, "chunks");
	json_u64(fp, 1, in->chunks);
	json_key(fp, &first, "raw_bytes");
	json_u64(fp, 1, in->raw_bytes);
	json_key(fp, &first, "stored_bytes");
	json_u64(fp, 1, in->stored_bytes);
	json_key(fp, &first, "bytes_per_event");
	json_real(fp, in->events > 0, in->events ?
		  (double)in->file_size / in->events : 0);
	json_key(fp, &first, "compression_ratio");
	json_real(fp, in->stored_bytes > 0, in->stored_bytes ?
		  (double)in->raw_bytes / in->stored_bytes : 0);

	json_key(fp, &first, "kinds");
	putc('{', fp);
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		const struct store_kind_stats *ks = &in->kinds[k];

		fputs(k ? ",\n    " : "\n    ", fp);
		json_str(fp, ev_desc(k)->table);
		fprintf(fp, ": {\"events\": %" PRIu64 ", \"chunks\": %" PRIu64
			", \"raw_bytes\": %" PRIu64 ", \"stored_bytes\": %"
			PRIu64 ", \"ts_first\": ", ks->events, ks->chunks,
			ks->raw_bytes, ks->stored_bytes);
		json_u64(fp, ks->chunks > 0, ks->ts_min);
		fputs(", \"ts_last\": ", fp);
		json_u64(fp, ks->chunks > 0, ks->ts_max);
		putc('}', fp);
	}
	fputs("\n  }", fp);

	json_key(fp, &first, "lost");
	fprintf(fp, "{\"total\": %" PRIu64 ", \"seconds\": %" PRIu64
		", \"by_class\": {", in->lost_total, in->lost_seconds);
	for (size_t i = 0; i < in->nlost; i++) {
		if (i)
			fputs(", ", fp);
		json_str(fp, in->lost[i].class);
		fprintf(fp, ": %" PRIu64, in->lost[i].count);
	}
	fputs("}}", fp);

	json_key(fp, &first, "capture");
	capture_json(&in->capture, fp);
	json_key(fp, &first, "budget");
	json_str(fp, meta_get(in, "budget"));
	json_key(fp, &first, "shed");
	fprintf(fp, "{\"sampled\": %" PRIu64 ", \"payload\": %" PRIu64
		", \"text\": ", in->shed.sampled, in->shed.stripped);
	{
		char sh[512];

		json_str(fp, shed_describe(&in->shed, in->start_ts,
					   in->end_ts, sh, sizeof(sh)));
	}
	putc('}', fp);

	json_key(fp, &first, "redacted");
	json_str(fp, meta_get(in, "redacted"));
	{
		uint64_t n;
		int has = !parse_u64(meta_get(in, "snaplen"), &n);

		json_key(fp, &first, "snaplen");
		json_u64(fp, has, has ? n : 0);
	}
	json_key(fp, &first, "trigger");
	json_trigger(in, fp);
	json_key(fp, &first, "snapshot_signal");
	json_str(fp, meta_get(in, "snapshot_signal"));
	json_key(fp, &first, "snapshot_of");
	json_str(fp, meta_get(in, "snapshot_of"));
	json_key(fp, &first, "snapshot_reason");
	json_str(fp, meta_get(in, "snapshot_reason"));
	json_key(fp, &first, "options");
	json_str(fp, in->options);
	json_key(fp, &first, "classes");
	json_str(fp, in->classes);
	json_key(fp, &first, "ring_buffer_bytes");
	json_u64(fp, in->has_ring_bytes, in->ring_buffer_bytes);
	json_key(fp, &first, "malformed_records");
	json_u64(fp, in->has_malformed, in->malformed_records);
	json_key(fp, &first, "recorder");
	json_str(fp, in->recorder);
	json_key(fp, &first, "recorder_cpu_ns");
	json_u64(fp, in->has_cpu, in->recorder_cpu_ns);
	json_key(fp, &first, "recorder_max_rss_kb");
	json_u64(fp, in->has_rss, in->recorder_max_rss_kb);
	json_key(fp, &first, "ring_dropped_chunks");
	json_u64(fp, in->has_ring_dropped, in->ring_dropped_chunks);

	json_key(fp, &first, "meta");
	putc('{', fp);
	for (size_t i = 0; i < in->nmeta; i++) {
		fputs(i ? ",\n    " : "\n    ", fp);
		json_str(fp, in->meta[i].key);
		fputs(": ", fp);
		json_str(fp, in->meta[i].value);
	}
	fputs(in->nmeta ? "\n  }" : "}", fp);
	fputs("\n}\n", fp);
	return finish(fp);
}
