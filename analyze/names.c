/*
 * names.c - names of threads and processes at a time (see names.h).
 *
 * Each table is read ORDER BY (id, start_ts) into an array, with a map
 * from an id to its first row; a lookup walks that id's rows (one per
 * life of the id, so a few at most).  Names noted from events are rows
 * of a third such array, one per tid.
 */
#include "config.h"
#include "analyze/names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int rows_add(struct names_rows *r, uint32_t id, uint32_t pid,
		    uint64_t start, const char *comm)
{
	struct names_row *w;

	if (report_grow(&r->v, &r->cap, r->n + 1, sizeof(*r->v)) < 0)
		return -ENOMEM;
	w = &r->v[r->n];
	*w = (struct names_row){ .id = id, .pid = pid, .start = start };
	if (comm && !(w->comm = strdup(comm)))
		return -ENOMEM;
	if (r->n && r->v[r->n - 1].id == id)
		r->reused = 1;
	else if (hmap_put(&r->first, id, (uint32_t)r->n) < 0) {
		free(w->comm);
		return -ENOMEM;
	}
	r->n++;
	return 0;
}

/* SQL gives id, pid, start_ts, comm ordered by id, start_ts. */
static int rows_load(struct names_rows *r, struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int rc = 0, src;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW)
		rc = rows_add(r, (uint32_t)sqlite3_column_int64(s, 0),
			      (uint32_t)sqlite3_column_int64(s, 1),
			      (uint64_t)sqlite3_column_int64(s, 2),
			      (const char *)sqlite3_column_text(s, 3));
	if (rc == 0 && src != SQLITE_DONE)
		rc = -EIO;
	sqlite3_finalize(s);
	return rc;
}

int names_load(struct names *n, struct store *st)
{
	int rc;

	memset(n, 0, sizeof(*n));
	rc = rows_load(&n->thr, st, "SELECT tid, pid, start_ts, comm FROM "
		       "threads ORDER BY tid, start_ts");
	if (rc == 0)
		rc = rows_load(&n->proc, st, "SELECT pid, pid, start_ts, comm "
			       "FROM processes ORDER BY pid, start_ts");
	if (rc < 0)
		names_free(n);
	return rc;
}

static void rows_free(struct names_rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].comm);
	free(r->v);
	hmap_free(&r->first);
}

void names_free(struct names *n)
{
	rows_free(&n->thr);
	rows_free(&n->proc);
	rows_free(&n->seen);
	memset(n, 0, sizeof(*n));
}

/* ID's row that started last at or before TS, else its first; *BEFORE
 * says which.  NULL when ID has none. */
static const struct names_row *row_at(const struct names_rows *r,
				      uint32_t id, uint64_t ts, int *before)
{
	const struct names_row *best = NULL;
	uint32_t first, i;

	*before = 0;
	if (!hmap_get(&r->first, id, &first))
		return NULL;
	for (i = first; i < r->n && r->v[i].id == id; i++)
		if (r->v[i].start <= ts)
			best = &r->v[i];
	*before = best != NULL;
	return best ? best : &r->v[first];
}

int names_noted(const struct names *n, uint32_t tid)
{
	uint32_t i;

	return hmap_get(&n->seen.first, tid, &i);
}

int names_note(struct names *n, uint32_t tid, const char *comm)
{
	if (!comm || !*comm || names_noted(n, tid))
		return 0;
	return rows_add(&n->seen, tid, 0, 0, comm);
}

static const char *noted(const struct names *n, uint32_t tid)
{
	int before;
	const struct names_row *w = row_at(&n->seen, tid, 0, &before);

	return w ? w->comm : NULL;
}

uint64_t names_life(const struct names *n, uint32_t tid, uint64_t ts)
{
	const struct names_rows *r = &n->thr;
	uint32_t first, i, k = 0;

	if (!r->reused || !hmap_get(&r->first, tid, &first))
		return tid;	/* one life at most */
	/* the rows are in start order: the last that started by TS */
	for (i = first + 1; i < r->n && r->v[i].id == tid &&
	     r->v[i].start <= ts; i++)
		k = i - first;
	return (uint64_t)k << 32 | tid;
}

/* The threads row of LIFE, or NULL. */
static const struct names_row *life_row(const struct names *n, uint64_t life)
{
	uint32_t tid = NAMES_LIFE_TID(life), first;
	uint64_t i;

	if (!hmap_get(&n->thr.first, tid, &first))
		return NULL;
	i = first + (life >> 32);
	return i < n->thr.n && n->thr.v[i].id == tid ? &n->thr.v[i] : NULL;
}

int64_t names_life_pid(const struct names *n, uint64_t life)
{
	const struct names_row *w = life_row(n, life);

	return w ? (int64_t)w->pid : -1;
}

uint64_t names_life_start(const struct names *n, uint64_t life)
{
	const struct names_row *w = life_row(n, life);

	return w ? w->start : 0;
}

const char *names_life_comm(const struct names *n, uint64_t life)
{
	const struct names_row *w = life_row(n, life);

	return w && w->comm ? w->comm : noted(n, NAMES_LIFE_TID(life));
}

const char *names_proc(const struct names *n, uint32_t pid, uint64_t ts)
{
	int before, tbefore;
	const struct names_row *p = row_at(&n->proc, pid, ts, &before);
	const struct names_row *t = row_at(&n->thr, pid, ts, &tbefore);

	/* a process row of the time, else its main thread's, else a later
	 * process row */
	if (p && p->comm && before)
		return p->comm;
	if (t && t->comm)
		return t->comm;
	if (p && p->comm)
		return p->comm;
	return noted(n, pid);
}
