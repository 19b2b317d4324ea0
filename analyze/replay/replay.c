/*
 * replay.c - filtered, time-ordered event streams (see replay.h).
 *
 *     r = replay_open(st, filter, EV_KIND_ALL, from, to, err, sizeof(err));
 *     while (replay_next(r, &kind, &ev) > 0) ...
 *
 * Kinds whose every event matches the filter (all of them without one)
 * come from one store_cursor.  Each other kind the filter can match gets a
 * prepared statement selecting its stored columns in descriptor order; it
 * holds its current row, loaded into that kind's event struct (strings
 * point into the statement's row, valid until it steps again).
 * replay_next returns the smallest (ts, kind) among the statements' rows
 * and the cursor's event and advances only that source, so memory stays at
 * one row per kind whatever the trace size.
 */
#include "config.h"
#include "analyze/replay/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct replay_head {
	sqlite3_stmt *stmt; /* NULL: kind not read */
	int have;           /* ev holds the current row */
	union ev_any ev;
};

struct replay {
	struct store *st;
	struct store_cursor *cur; /* the kinds read unfiltered */
	struct replay_head head[EV_KIND_COUNT]; /* the kinds read through SQL */
	/* the cursor's current event, when it is merged with statements */
	int cur_have;
	enum ev_kind cur_kind;
	const void *cur_ev;
	int started;
	int last; /* kind returned last (it steps next), or -1 */
	char err[STORE_ERRLEN];
};

static int head_prepare(struct replay *r, const struct filter *f,
			const struct ev_desc *d, uint64_t from, uint64_t to)
{
	sqlite3 *db = store_db(r->st);
	sqlite3_str *q = sqlite3_str_new(db);
	char *sql;
	int rc;

	sqlite3_str_appendall(q, "SELECT ");
	replay_cols(d, q);
	sqlite3_str_appendf(q, " FROM \"%w\" WHERE ts >= ?1 AND ts <= ?2 AND (",
			    d->table);
	filter_sql(f, d, q);
	sqlite3_str_appendall(q, ") ORDER BY ts");
	sql = sqlite3_str_finish(q);
	if (!sql) {
		snprintf(r->err, sizeof(r->err), "out of memory");
		return -ENOMEM;
	}
	rc = sqlite3_prepare_v2(db, sql, -1, &r->head[d->kind].stmt, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK) {
		snprintf(r->err, sizeof(r->err), "%s: %s", d->table,
			 sqlite3_errmsg(db));
		return -EINVAL;
	}
	sqlite3_bind_int64(r->head[d->kind].stmt, 1,
			   from > INT64_MAX ? INT64_MAX : (int64_t)from);
	sqlite3_bind_int64(r->head[d->kind].stmt, 2,
			   to > INT64_MAX ? INT64_MAX : (int64_t)to);
	return 0;
}

struct replay *replay_open(struct store *st, const struct filter *f,
			   unsigned kinds, uint64_t from, uint64_t to,
			   char *err, size_t len)
{
	struct replay *r = calloc(1, sizeof(*r));
	unsigned mask = kinds & filter_kinds(f);
	unsigned all = mask & filter_kinds_all(f);

	if (!r) {
		snprintf(err, len, "out of memory");
		return NULL;
	}
	r->st = st;
	r->last = -1;
	if (all) {
		r->cur = store_cursor_open(st, all, from, to);
		if (!r->cur) {
			snprintf(err, len, "%s", store_errmsg(st));
			free(r);
			return NULL;
		}
	}
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		if (!(mask >> k & 1) || (all >> k & 1))
			continue;
		if (head_prepare(r, f, ev_desc(k), from, to) < 0) {
			snprintf(err, len, "%s", r->err);
			replay_close(r);
			return NULL;
		}
	}
	return r;
}

/* An enumeration column: SQL shows the name (NULL for a value without
 * one); back to the number. */
static int64_t enum_load(const struct ev_field *fl, sqlite3_stmt *stmt,
			 int col)
{
	const char *name;

	if (sqlite3_column_type(stmt, col) == SQLITE_INTEGER)
		return sqlite3_column_int64(stmt, col);
	name = (const char *)sqlite3_column_text(stmt, col);
	for (uint32_t i = 0; name && i < fl->nnames; i++)
		if (fl->names[i] && !strcmp(fl->names[i], name))
			return i;
	return 0;
}

void replay_cols(const struct ev_desc *d, sqlite3_str *q)
{
	for (unsigned i = 0, n = 0; i < d->nfields; i++) {
		if (d->fields[i].flags & EVF_DERIVED)
			continue;
		if (d->fields[i].type == EVT_BLOB)
			sqlite3_str_appendf(q, "%skscope_counted(\"%w\")",
					    n++ ? ", " : "", d->fields[i].name);
		else
			sqlite3_str_appendf(q, "%s\"%w\"", n++ ? ", " : "",
					    d->fields[i].name);
	}
}

void replay_row_load(const struct ev_desc *d, sqlite3_stmt *s, void *ev)
{
	for (unsigned i = 0, c = 0; i < d->nfields; i++) {
		const struct ev_field *fl = &d->fields[i];
		if (fl->flags & EVF_DERIVED)
			continue;
		if (fl->type == EVT_STR)
			ev_set_str(fl, ev, (const char *)
				   sqlite3_column_text(s, (int)c));
		else if (fl->type == EVT_BLOB)
			ev_set_str(fl, ev, (const char *)
				   sqlite3_column_blob(s, (int)c));
		else if (fl->type == EVT_ENUM)
			ev_set_int(fl, ev, enum_load(fl, s, (int)c));
		else
			ev_set_int(fl, ev, sqlite3_column_int64(s, (int)c));
		c++;
	}
}

/* Step kind K's statement and load its row; 0 also at its end. */
static int head_step(struct replay *r, unsigned k)
{
	struct replay_head *h = &r->head[k];
	const struct ev_desc *d = ev_desc(k);
	int rc = sqlite3_step(h->stmt);

	h->have = 0;
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		snprintf(r->err, sizeof(r->err), "%s",
			 sqlite3_errmsg(store_db(r->st)));
		return -EBADMSG;
	}
	replay_row_load(d, h->stmt, &h->ev);
	h->have = 1;
	return 1;
}

/* Advance the cursor; 0 also at its end. */
static int cursor_step(struct replay *r)
{
	int rc = store_cursor_next(r->cur, &r->cur_kind, &r->cur_ev);

	r->cur_have = rc > 0;
	if (rc < 0)
		snprintf(r->err, sizeof(r->err), "%s", store_errmsg(r->st));
	return rc;
}

int replay_next(struct replay *r, enum ev_kind *kind, const void **ev)
{
	int best = -1, rc;
	int nheads = 0;

	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		nheads += r->head[k].stmt != NULL;
	if (r->cur && !nheads) {
		/* nothing to merge with: the cursor alone */
		rc = store_cursor_next(r->cur, kind, ev);
		if (rc < 0)
			snprintf(r->err, sizeof(r->err), "%s",
				 store_errmsg(r->st));
		return rc;
	}
	if (!r->started) {
		r->started = 1;
		if (r->cur && (rc = cursor_step(r)) < 0)
			return rc;
		for (unsigned k = 0; k < EV_KIND_COUNT; k++)
			if (r->head[k].stmt && (rc = head_step(r, k)) < 0)
				return rc;
	} else if (r->last >= 0) {
		if (r->head[r->last].stmt)
			rc = head_step(r, (unsigned)r->last);
		else
			rc = cursor_step(r);
		if (rc < 0)
			return rc;
	}
	/* the smallest (ts, kind) among the heads and the cursor's event */
	uint64_t bts = 0;
	const void *bev = NULL;
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		const void *e = NULL;
		if (r->head[k].have)
			e = &r->head[k].ev;
		else if (r->cur_have && r->cur_kind == k)
			e = r->cur_ev;
		if (!e)
			continue;
		if (best < 0 || ev_ts(e) < bts) {
			best = (int)k;
			bts = ev_ts(e);
			bev = e;
		}
	}
	r->last = best;
	if (best < 0)
		return 0;
	*kind = (enum ev_kind)best;
	*ev = bev;
	return 1;
}

const char *replay_errmsg(const struct replay *r)
{
	return r->err;
}

void replay_close(struct replay *r)
{
	if (!r)
		return;
	store_cursor_close(r->cur);
	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		sqlite3_finalize(r->head[k].stmt);
	free(r);
}
