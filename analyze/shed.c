/*
 * shed.c - what a recording's budget shed, read from the trace's shed
 * table (docs/FORMAT.md): how many calls were left out by sampling and
 * over which stretches of time at which rates, and how many kept calls
 * lost their strings.  One reading for the report header, `kscope info`
 * and the TUI's Overview, so they say the same thing (shed.h).
 */
#include "config.h"
#include "analyze/shed.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SEC 1000000000ull
#define SHED_GAP (2 * SEC) /* seconds this close make one stretch */

static int has_table(sqlite3 *db)
{
	sqlite3_stmt *s;
	int n = 0;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM main.sqlite_schema"
			       " WHERE type = 'table' AND name = 'shed'", -1,
			       &s, NULL) != SQLITE_OK)
		return -EIO;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

/* A second of sampling at TS, 1 in LO to HI kept; PREV is the one
 * before (0: none). */
static void stretch_add(struct shed_summary *s, uint64_t ts, uint64_t prev,
			uint32_t lo, uint32_t hi)
{
	struct shed_stretch *t;

	if (prev && ts <= prev + SHED_GAP) {
		if (s->more)
			return; /* in a stretch only counted */
		t = &s->sample[s->nsample - 1];
		t->to = ts + SEC;
		t->rate_min = lo < t->rate_min ? lo : t->rate_min;
		t->rate_max = hi > t->rate_max ? hi : t->rate_max;
		return;
	}
	if (s->nsample == SHED_STRETCHES) {
		s->more++;
		return;
	}
	t = &s->sample[s->nsample++];
	t->from = ts;
	t->to = ts + SEC;
	t->rate_min = lo;
	t->rate_max = hi;
}

int shed_gather(sqlite3 *db, uint64_t from, uint64_t to,
		struct shed_summary *s)
{
	static const char sql[] =
		"SELECT ts, what = 'sample', min(rate), max(rate), sum(dropped)"
		" FROM shed WHERE ts <= ?2 AND ts + 1000000000 > ?1"
		" GROUP BY ts, what = 'sample' ORDER BY ts";
	sqlite3_stmt *q;
	uint64_t last_sample = 0;
	int rc = has_table(db);

	memset(s, 0, sizeof(*s));
	if (rc <= 0)
		return rc;
	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(q, 1, (int64_t)from);
	sqlite3_bind_int64(q, 2, (int64_t)to);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		uint64_t ts = (uint64_t)sqlite3_column_int64(q, 0);
		uint64_t n = (uint64_t)sqlite3_column_int64(q, 4);

		if (!sqlite3_column_int(q, 1)) {
			if (!s->stripped)
				s->strip_from = ts;
			s->strip_to = ts + SEC;
			s->stripped += n;
			continue;
		}
		s->sampled += n;
		stretch_add(s, ts, last_sample,
			    (uint32_t)sqlite3_column_int(q, 2),
			    (uint32_t)sqlite3_column_int(q, 3));
		last_sample = ts;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE) {
		memset(s, 0, sizeof(*s));
		return -EIO;
	}
	return 0;
}

/* TS relative to START, in seconds, within [START, END] */
static double rel(uint64_t ts, uint64_t start, uint64_t end)
{
	if (ts > end)
		ts = end;
	return ts > start ? (double)(ts - start) / 1e9 : 0;
}

char *shed_describe(const struct shed_summary *s, uint64_t start,
		    uint64_t end, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
#define PUT(...) \
	(n += n < len ? (size_t)snprintf(buf + n, len - n, __VA_ARGS__) : 0)
	if (s->sampled) {
		PUT("syscalls: sampled");
		for (size_t i = 0; i < s->nsample; i++) {
			const struct shed_stretch *t = &s->sample[i];

			PUT("%s 1/%" PRIu32, i ? "," : "", t->rate_min);
			if (t->rate_max != t->rate_min)
				PUT(" to 1/%" PRIu32, t->rate_max);
			PUT(" from +%.0f s to +%.0f s",
			    rel(t->from, start, end), rel(t->to, start, end));
		}
		if (s->more)
			PUT(" and %zu more %s", s->more,
			    s->more == 1 ? "stretch" : "stretches");
		PUT(", %" PRIu64 " fast successful %s left out", s->sampled,
		    s->sampled == 1 ? "call" : "calls");
	}
	if (s->stripped)
		PUT("%sstrings dropped from %" PRIu64 " %s from +%.0f s to "
		    "+%.0f s", s->sampled ? "; " : "syscalls: ", s->stripped,
		    s->stripped == 1 ? "call" : "calls",
		    rel(s->strip_from, start, end),
		    rel(s->strip_to, start, end));
#undef PUT
	return buf;
}
