/*
 * empty.c - why an answer is empty (see empty.h): the window against the
 * trace's span, a pid, tid or comm looked up in the tables and the
 * events, a filter quoted back.
 */
#include "config.h"
#include "analyze/empty.h"
#include "analyze/output/textesc.h"
#include "analyze/timearg.h"

#include <stdio.h>
#include <sqlite3.h>

/* TS as seconds from FIRST: "+2.5 s", "-0.5 s". */
static void rel(char *buf, size_t len, uint64_t ts, uint64_t first)
{
	snprintf(buf, len, "%+.9g s", ((double)ts - (double)first) / 1e9);
}

/* " in the window A .. B", "from A", "up to B", or "" when both are
 * open. */
static void window_words(char *buf, size_t len, const char *lead,
			 uint64_t from, uint64_t to, uint64_t first)
{
	char a[48], b[48];

	rel(a, sizeof(a), from, first);
	rel(b, sizeof(b), to, first);
	if (from && to != UINT64_MAX)
		snprintf(buf, len, "%s %s .. %s", lead, a, b);
	else if (from)
		snprintf(buf, len, "%s from %s", lead, a);
	else if (to != UINT64_MAX)
		snprintf(buf, len, "%s up to %s", lead, b);
	else
		buf[0] = '\0';
}

int empty_window(struct store *st, uint64_t from, uint64_t to, char *why,
		 size_t len)
{
	uint64_t first, last;
	char w[128], end[48];

	if (timearg_span(st, &first, &last) < 0 || (to >= first &&
						     from <= last))
		return 0;
	window_words(w, sizeof(w), "the window", from, to, first);
	if (from > last) {
		rel(end, sizeof(end), last, first);
		snprintf(why, len, "%s is after the trace's end (%s)", w, end);
	} else {
		snprintf(why, len, "%s is before the trace's start", w);
	}
	return 1;
}

/* Whether none of the queries SQL (NULL-terminated; one parameter: TEXT,
 * or ID when TEXT is NULL) returns a row; the first row, or an error,
 * ends the search with 0. */
static int none_has_row(struct store *st, const char *const *sql,
			int64_t id, const char *text)
{
	for (; *sql; sql++) {
		sqlite3_stmt *s;
		int rc;

		if (sqlite3_prepare_v2(store_db(st), *sql, -1, &s,
				       NULL) != SQLITE_OK)
			return 0;
		if (text)
			sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(s, 1, id);
		rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return 0;
	}
	return 1;
}

int empty_task(struct store *st, const char *what, int64_t id, char *why,
	       size_t len)
{
	/* the tables first (no event read), then the events that carry
	 * the id; the first hit ends the search */
	static const char *const pid_sql[] = {
		"SELECT 1 FROM processes WHERE pid = ?1",
		"SELECT 1 FROM threads WHERE pid = ?1",
		"SELECT 1 FROM syscalls WHERE pid = ?1 LIMIT 1",
		"SELECT 1 FROM proc_events WHERE pid = ?1 LIMIT 1",
		"SELECT 1 FROM net_events WHERE pid = ?1 LIMIT 1",
		NULL
	};
	static const char *const tid_sql[] = {
		"SELECT 1 FROM threads WHERE tid = ?1",
		"SELECT 1 FROM syscalls WHERE tid = ?1 LIMIT 1",
		"SELECT 1 FROM sched_switch WHERE prev_tid = ?1 OR "
		"next_tid = ?1 LIMIT 1",
		NULL
	};

	if (!none_has_row(st, what[0] == 't' ? tid_sql : pid_sql, id, NULL))
		return 0;
	snprintf(why, len, "%s %lld is not in the trace", what,
		 (long long)id);
	return 1;
}

int empty_comm(struct store *st, const char *comm, char *why, size_t len)
{
	static const char *const sql[] = {
		"SELECT 1 FROM threads WHERE comm = ?1",
		"SELECT 1 FROM processes WHERE comm = ?1",
		"SELECT 1 FROM syscalls WHERE comm = ?1 LIMIT 1",
		"SELECT 1 FROM sched_switch WHERE prev_comm = ?1 OR "
		"next_comm = ?1 LIMIT 1",
		"SELECT 1 FROM net_events WHERE comm = ?1 LIMIT 1",
		NULL
	};

	if (!none_has_row(st, sql, 0, comm))
		return 0;
	snprintf(why, len, "comm '%s' is not in the trace", TEXTESC_Q(comm));
	return 1;
}

void empty_match(struct store *st, const char *filter, uint64_t from,
		 uint64_t to, char *why, size_t len)
{
	uint64_t first, last;
	char w[128];

	if (timearg_span(st, &first, &last) < 0)
		first = 0;
	window_words(w, sizeof(w), " in the window", from, to, first);
	if (filter)
		snprintf(why, len, "no event matched '%s'%s",
			 TEXTESC_Q(filter), w);
	else
		snprintf(why, len, "no event%s", w);
}
