/*
 * multi.c - the union tables of several traces (see multi.h).
 *
 *     SELECT trace, name, count(*) FROM syscalls
 *      WHERE ts BETWEEN 5e9 AND 6e9 GROUP BY 1, 2;
 *
 * One eponymous module per table of a trace (the event tables and
 * kscope's views), on an in-memory connection of our own.  Its
 * columns are `trace`, `host`, then the table's columns as the traces
 * declare them (same declared types, so comparisons behave as on one
 * trace; a column some trace lacks reads NULL there).  A scan runs, on
 * each trace's connection in turn, one prepared statement
 *
 *     SELECT <the columns the query uses> FROM <table> WHERE <pushed>
 *
 * and passes its rows up.  The small plain tables (processes, threads,
 * lost, meta, shed) are read so once, at open, into real tables of the
 * connection with an index on their key (multi_copy): joins look them up
 * for every event.
 *
 * The plan (xBestIndex, read back by xFilter): every usable =, <, <=, >,
 * >= on a table column (with the default collation) is pushed: it becomes
 * "col op ?" in the statement, bound to the value SQLite hands xFilter, so
 * each trace's own planner sees it (a ts range skips chunks, a view gets
 * its WHERE).  An = on trace or host is checked once per trace and
 * skips the traces it rules out.  SQLite checks every constraint again
 * (omit is never set): the pushed ones only save work.  idxStr spells the
 * plan: "USED" (colUsed, hex), "+" or "-" when the rows are to come in
 * ts order up or down, then ",COP" per constraint in argv order (C the
 * column, OP one of = < { > } for = < <= > >=).  Statements are kept per
 * cursor and trace while the plan stays the same, so a lookup repeated
 * for each row of a join is a reset and a rebind.
 *
 * ORDER BY ts alone on an event table is consumed: each trace's statement
 * gets ORDER BY ts (which its event table answers by merging chunks, not
 * sorting), all run side by side, and the cursor always stands on the
 * trace whose row comes first, so ORDER BY ts LIMIT 10 reads only the
 * first chunks of each trace.
 *
 * wall(ts) and wall_ns(ts) cannot know which trace a row came from: they
 * answer while every trace has the same clock offset (or all have none),
 * and otherwise fail, naming wall(ts, trace) and wall_ns(ts, trace),
 * which take the row's trace and never guess.
 */
#include "config.h"
#include "analyze/sql/multi.h"
#include "analyze/analyze.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/sql/sqlguard.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The tables besides the event kinds', the table whose size stands for
 * theirs when planning, and whether they are copied (multi_copy). */
static const struct {
	const char *name, *sized_by;
	int copy;
} more_tables[] = {
	{ "processes", "processes", 1 }, { "threads", "threads", 1 },
	{ "lost", "lost", 1 }, { "meta", "meta", 1 }, { "shed", "shed", 1 },
	{ "syscalls_p", "syscalls", 0 }, { "errors", "syscalls", 0 },
	{ "threads_p", "threads", 0 }, { "thread_state", "sched_switch", 0 },
};
#define NMORE (sizeof(more_tables) / sizeof(more_tables[0]))
#define NTABLES (EV_KIND_COUNT + NMORE)

/* First columns of every union table. */
enum { MULTI_COL_TRACE, MULTI_COL_HOST, MULTI_COL_FIRST };

struct mtrace {
	const char *name; /* as given; borrowed */
	char *host;       /* meta host or NULL */
	struct store *st;
	int have_off;
	int64_t off; /* meta clock_offset_ns */
};

struct multi {
	sqlite3 *db;
	int n;
	struct mtrace *t;
	struct mtab {
		struct multi *m;
		const char *name, *sized_by;
		char module[64]; /* the union module's name */
		int copy;
	} tabs[NTABLES];
};

struct uvt {
	sqlite3_vtab base; /* first */
	struct multi *m;
	const struct mtab *tab;
	int ncol;         /* table columns, after trace and host */
	char **cols;      /* their names */
	unsigned char *has; /* has[t * ncol + c]: trace t has column c */
	unsigned char *present; /* present[t]: trace t has the table */
	double rows;      /* in all traces, for planning */
	int big;          /* events (a table or a view of them): only ts
	                   * narrows a scan */
	int ts;           /* index of the ts column in cols when every trace
	                   * with the table has it and rows come in ts order
	                   * from an event table, else -1 */
};

struct ucur {
	sqlite3_vtab_cursor base; /* first */
	int t;                    /* current trace; m->n at the end */
	sqlite3_stmt **stmt;      /* per trace, prepared for KEY */
	char *key;                /* idxStr the statements are for */
	int *pos;                 /* pos[c]: column of c in the statements */
	int nval;
	sqlite3_value **val;      /* the constraint values, duplicated */
	int *ccol;                /* their columns */
	char *cop;                /* their operators */
	sqlite3_int64 row;
	int ord;                  /* 1 or -1: merged by ts up or down; 0 */
	unsigned char *live;      /* ordered: live[t], trace t has a row */
};

static int vt_err(struct uvt *vt, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int vt_err(struct uvt *vt, const char *fmt, ...)
{
	va_list ap;

	sqlite3_free(vt->base.zErrMsg);
	va_start(ap, fmt);
	vt->base.zErrMsg = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	return SQLITE_ERROR;
}

/* TYPE when it is a plain type name (letters, digits, spaces), else NULL:
 * it is written into SQL of ours. */
static const char *plain_type(const char *type)
{
	if (!type)
		return NULL;
	for (const char *p = type; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == ' ' || *p == '_'))
			return NULL;
	return type;
}

/* Index of column NAME in VT, adding it if new; -1 when out of memory. */
static int col_add(struct uvt *vt, const char *name, sqlite3_str *decl,
		   const char *type)
{
	char **p;

	for (int c = 0; c < vt->ncol; c++)
		if (!strcmp(vt->cols[c], name))
			return c;
	p = sqlite3_realloc64(vt->cols, (vt->ncol + 1) * sizeof(*p));
	if (!p)
		return -1;
	vt->cols = p;
	if (!(p[vt->ncol] = sqlite3_mprintf("%s", name)))
		return -1;
	type = plain_type(type);
	sqlite3_str_appendf(decl, ", \"%w\"%s%s", name, type ? " " : "",
			    type ? type : "");
	return vt->ncol++;
}

/* Rows of TABLE in trace T's connection, for planning: the chunk index's
 * count for an event table, else count(*) (the plain tables are small). */
static double table_rows(struct mtrace *t, const char *table, int *big)
{
	const struct ev_desc *d = ev_desc_by_table(table);
	struct store_kind_stats ks;
	sqlite3_stmt *s;
	double n = 0;
	char *sql;

	*big = d != NULL;
	if (d)
		return store_kind_stats(t->st, d->kind, &ks) == 0 ?
		       (double)ks.events : 1e6;
	sql = sqlite3_mprintf("SELECT count(*) FROM \"%w\"", table);
	if (sql && sqlite3_prepare_v2(store_db(t->st), sql, -1, &s, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = (double)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_free(sql);
	return n;
}

static int vt_disconnect(sqlite3_vtab *base)
{
	struct uvt *vt = (struct uvt *)base;

	for (int c = 0; c < vt->ncol; c++)
		sqlite3_free(vt->cols[c]);
	sqlite3_free(vt->cols);
	sqlite3_free(vt->has);
	sqlite3_free(vt->present);
	sqlite3_free(vt);
	return SQLITE_OK;
}

/* Add trace T's columns of the table to VT (and DECL); with MARK, note
 * which it has.  -1 when T lacks the table, else an SQLite code. */
static int trace_columns(struct uvt *vt, int t, sqlite3_str *decl, int mark)
{
	char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", vt->tab->name);
	sqlite3_stmt *s = NULL;
	int rc = SQLITE_OK;

	if (!sql)
		return SQLITE_NOMEM;
	if (sqlite3_prepare_v2(store_db(vt->m->t[t].st), sql, -1, &s, NULL) !=
	    SQLITE_OK || !s)
		rc = -1;
	for (int i = 0; rc == SQLITE_OK && i < sqlite3_column_count(s); i++) {
		int c = col_add(vt, sqlite3_column_name(s, i), decl,
				sqlite3_column_decltype(s, i));

		if (c < 0)
			rc = SQLITE_NOMEM;
		else if (mark)
			vt->has[(size_t)t * vt->ncol + c] = 1;
	}
	sqlite3_finalize(s);
	sqlite3_free(sql);
	return rc;
}

/* Learn the table's columns in each trace (a trace without it adds no
 * rows), then which trace has which. */
static int vt_columns(struct uvt *vt, sqlite3_str *decl)
{
	struct multi *m = vt->m;
	size_t nhas;
	int rc, big = 0;

	vt->present = sqlite3_malloc(m->n);
	if (!vt->present)
		return SQLITE_NOMEM;
	for (int t = 0; t < m->n; t++) {
		rc = trace_columns(vt, t, decl, 0);
		if (rc > 0)
			return rc;
		vt->present[t] = rc == SQLITE_OK;
		if (vt->present[t])
			vt->rows += table_rows(&m->t[t], vt->tab->sized_by,
					       &big);
		vt->big |= vt->present[t] && big;
	}
	nhas = (size_t)m->n * (vt->ncol ? vt->ncol : 1);
	vt->has = sqlite3_malloc64(nhas);
	if (!vt->has)
		return SQLITE_NOMEM;
	memset(vt->has, 0, nhas);
	for (int t = 0; t < m->n; t++)
		if (vt->present[t] &&
		    (rc = trace_columns(vt, t, decl, 1)) != SQLITE_OK)
			return rc < 0 ? SQLITE_ERROR : rc;
	return SQLITE_OK;
}

static int vt_connect(sqlite3 *db, void *aux, int argc,
		      const char *const *argv, sqlite3_vtab **out, char **err)
{
	struct mtab *tab = aux;
	sqlite3_str *decl = sqlite3_str_new(db);
	struct uvt *vt = sqlite3_malloc(sizeof(*vt));
	char *text;
	int rc;

	(void)argc;
	(void)argv;
	(void)err;
	if (!vt) {
		sqlite3_free(sqlite3_str_finish(decl));
		return SQLITE_NOMEM;
	}
	memset(vt, 0, sizeof(*vt));
	vt->m = tab->m;
	vt->tab = tab;
	sqlite3_str_appendall(decl, "CREATE TABLE x(trace TEXT, host TEXT");
	rc = vt_columns(vt, decl);
	vt->ts = -1;
	for (int c = 0; rc == SQLITE_OK && c < vt->ncol; c++)
		if (!strcmp(vt->cols[c], "ts") && ev_desc_by_table(tab->name))
			vt->ts = c;
	for (int t = 0; vt->ts >= 0 && t < vt->m->n; t++)
		if (vt->present[t] && !vt->has[(size_t)t * vt->ncol + vt->ts])
			vt->ts = -1;
	sqlite3_str_appendall(decl, ")");
	text = sqlite3_str_finish(decl);
	if (rc == SQLITE_OK && !text)
		rc = SQLITE_NOMEM;
	if (rc == SQLITE_OK)
		rc = sqlite3_declare_vtab(db, text);
	sqlite3_free(text);
	if (rc != SQLITE_OK) {
		vt_disconnect(&vt->base);
		return rc;
	}
	*out = &vt->base;
	return SQLITE_OK;
}

static char op_char(unsigned char op)
{
	switch (op) {
	case SQLITE_INDEX_CONSTRAINT_EQ: return '=';
	case SQLITE_INDEX_CONSTRAINT_LT: return '<';
	case SQLITE_INDEX_CONSTRAINT_LE: return '{';
	case SQLITE_INDEX_CONSTRAINT_GT: return '>';
	case SQLITE_INDEX_CONSTRAINT_GE: return '}';
	default: return 0;
	}
}

static const char *op_sql(char c)
{
	switch (c) {
	case '=': return "=";
	case '<': return "<";
	case '{': return "<=";
	case '>': return ">";
	default: return ">=";
	}
}

/* The plan: see the top of the file. */
static int vt_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
	struct uvt *vt = (struct uvt *)base;
	sqlite3_str *s = sqlite3_str_new(NULL), *cons = sqlite3_str_new(NULL);
	double rows = vt->rows + 1;
	char *text;
	int argv = 0, lo = 0, hi = 0;

	sqlite3_str_appendf(s, "%llx", (unsigned long long)info->colUsed);
	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &info->aConstraint[i];
		char op = op_char(c->op);

		if (!c->usable || !op || c->iColumn < 0)
			continue;
		if (c->iColumn < MULTI_COL_FIRST) {
			if (op != '=')
				continue;
			rows /= c->iColumn == MULTI_COL_TRACE ? vt->m->n : 2;
		} else {
			const char *coll = sqlite3_vtab_collation(info, i);
			const char *col = vt->cols[c->iColumn -
						   MULTI_COL_FIRST];

			if (coll && sqlite3_stricmp(coll, "BINARY"))
				continue;
			if (!strcmp(col, "ts")) {
				lo |= op == '>' || op == '}' || op == '=';
				hi |= op == '<' || op == '{' || op == '=';
				if (op == '=')
					rows /= 1000;
			} else if (!vt->big) {
				rows /= op == '=' ? 50 : 3;
			}
		}
		info->aConstraintUsage[i].argvIndex = ++argv;
		sqlite3_str_appendf(cons, ",%d%c", c->iColumn, op);
	}
	rows /= (lo ? 4 : 1) * (hi ? 4 : 1);
	if (info->nOrderBy == 1 && vt->ts >= 0 &&
	    info->aOrderBy[0].iColumn == vt->ts + MULTI_COL_FIRST) {
		sqlite3_str_appendall(s, info->aOrderBy[0].desc ? "-" : "+");
		info->orderByConsumed = 1;
	}
	info->estimatedRows = (sqlite3_int64)rows + 1;
	info->estimatedCost = rows + 10.0 * vt->m->n;
	text = sqlite3_str_finish(cons);
	sqlite3_str_appendf(s, "%s", text ? text : "");
	sqlite3_free(text);
	info->idxStr = sqlite3_str_finish(s);
	if (!info->idxStr)
		return SQLITE_NOMEM;
	info->needToFreeIdxStr = 1;
	return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
	struct uvt *vt = (struct uvt *)base;
	struct ucur *cur = sqlite3_malloc(sizeof(*cur));

	if (!cur)
		return SQLITE_NOMEM;
	memset(cur, 0, sizeof(*cur));
	cur->stmt = sqlite3_malloc64(vt->m->n * sizeof(*cur->stmt));
	cur->pos = sqlite3_malloc64((vt->ncol + 1) * sizeof(*cur->pos));
	cur->live = sqlite3_malloc64(vt->m->n);
	if (!cur->stmt || !cur->pos || !cur->live) {
		sqlite3_free(cur->stmt);
		sqlite3_free(cur->pos);
		sqlite3_free(cur->live);
		sqlite3_free(cur);
		return SQLITE_NOMEM;
	}
	memset(cur->stmt, 0, vt->m->n * sizeof(*cur->stmt));
	cur->t = vt->m->n;
	*out = &cur->base;
	return SQLITE_OK;
}

/* Forget the statements (a new plan) and the constraint values. */
static void cur_clear(struct ucur *cur, int n, int stmts)
{
	for (int i = 0; i < cur->nval; i++)
		sqlite3_value_free(cur->val[i]);
	sqlite3_free(cur->val);
	sqlite3_free(cur->ccol);
	sqlite3_free(cur->cop);
	cur->val = NULL;
	cur->ccol = NULL;
	cur->cop = NULL;
	cur->nval = 0;
	for (int t = 0; stmts && t < n; t++) {
		sqlite3_finalize(cur->stmt[t]);
		cur->stmt[t] = NULL;
	}
	if (stmts) {
		sqlite3_free(cur->key);
		cur->key = NULL;
	}
}

static int vt_close(sqlite3_vtab_cursor *base)
{
	struct ucur *cur = (struct ucur *)base;
	struct uvt *vt = (struct uvt *)base->pVtab;

	cur_clear(cur, vt->m->n, 1);
	sqlite3_free(cur->stmt);
	sqlite3_free(cur->pos);
	sqlite3_free(cur->live);
	sqlite3_free(cur);
	return SQLITE_OK;
}

/* 1 if column C of the used set USED (colUsed) is used. */
static int col_used(sqlite3_uint64 used, int c)
{
	return c >= 63 ? (used >> 63) & 1 : (used >> c) & 1;
}

/* Prepare the statement of the current plan for trace T. */
static int cur_prepare(struct ucur *cur, struct uvt *vt, int t,
		       sqlite3_uint64 used)
{
	sqlite3_str *s = sqlite3_str_new(NULL);
	const unsigned char *has = vt->has + (size_t)t * vt->ncol;
	char *sql;
	int rc, k = 0;

	sqlite3_str_appendall(s, "SELECT ");
	for (int c = 0; c < vt->ncol; c++) {
		cur->pos[c] = -1;
		if (!col_used(used, c + MULTI_COL_FIRST) &&
		    !(cur->ord && c == vt->ts))
			continue;
		cur->pos[c] = k;
		if (has[c])
			sqlite3_str_appendf(s, "%s\"%w\"", k ? ", " : "",
					    vt->cols[c]);
		else
			sqlite3_str_appendf(s, "%sNULL", k ? ", " : "");
		k++;
	}
	sqlite3_str_appendf(s, "%s FROM \"%w\"", k ? "" : "NULL",
			    vt->tab->name);
	for (int i = 0, w = 0; i < cur->nval; i++) {
		if (cur->ccol[i] < MULTI_COL_FIRST)
			continue;
		sqlite3_str_appendf(s, " %s \"%w\" %s ?%d", w++ ? "AND" :
				    "WHERE", vt->cols[cur->ccol[i] -
						      MULTI_COL_FIRST],
				    op_sql(cur->cop[i]), i + 1);
	}
	if (cur->ord)
		sqlite3_str_appendf(s, " ORDER BY \"ts\"%s",
				    cur->ord < 0 ? " DESC" : "");
	sql = sqlite3_str_finish(s);
	if (!sql)
		return SQLITE_NOMEM;
	rc = sqlite3_prepare_v2(store_db(vt->m->t[t].st), sql, -1,
				&cur->stmt[t], NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return vt_err(vt, "%s: %s", vt->m->t[t].name,
			      sqlite3_errmsg(store_db(vt->m->t[t].st)));
	return SQLITE_OK;
}

/* May trace T hold rows of the plan?  Not when an = on trace or host
 * rules it out, nor when it lacks the table or a constrained column
 * (NULL compares false). */
static int trace_wanted(struct ucur *cur, struct uvt *vt, int t)
{
	const struct mtrace *mt = &vt->m->t[t];

	if (!vt->present[t])
		return 0;
	for (int i = 0; i < cur->nval; i++) {
		const char *want, *have;

		if (cur->ccol[i] >= MULTI_COL_FIRST) {
			if (!vt->has[(size_t)t * vt->ncol + cur->ccol[i] -
				     MULTI_COL_FIRST])
				return 0;
			continue;
		}
		want = (const char *)sqlite3_value_text(cur->val[i]);
		have = cur->ccol[i] == MULTI_COL_TRACE ? mt->name : mt->host;
		if (!want || !have || strcmp(want, have))
			return 0;
	}
	return 1;
}

/* Step trace T's statement: SQLITE_ROW, SQLITE_DONE (and reset), or an
 * error with the message set. */
static int trace_step(struct ucur *cur, struct uvt *vt, int t)
{
	int rc = sqlite3_step(cur->stmt[t]);

	if (rc == SQLITE_DONE)
		sqlite3_reset(cur->stmt[t]);
	else if (rc != SQLITE_ROW)
		rc = vt_err(vt, "%s: %s", vt->m->t[t].name,
			    sqlite3_errmsg(store_db(vt->m->t[t].st)));
	return rc;
}

/* Start trace T's statement: SQLITE_ROW (on its first row), SQLITE_DONE
 * or an error. */
static int trace_start(struct ucur *cur, struct uvt *vt, int t,
		       sqlite3_uint64 used)
{
	sqlite3_stmt *st;
	int rc;

	if (!cur->stmt[t] && (rc = cur_prepare(cur, vt, t, used)) != SQLITE_OK)
		return rc;
	st = cur->stmt[t];
	sqlite3_reset(st);
	for (int i = 0; i < cur->nval; i++)
		if (cur->ccol[i] >= MULTI_COL_FIRST &&
		    sqlite3_bind_value(st, i + 1, cur->val[i]) != SQLITE_OK)
			return SQLITE_NOMEM;
	return trace_step(cur, vt, t);
}

/* Ordered: stand on the live trace whose row comes first (the end when
 * none is live). */
static void cur_pick(struct ucur *cur, struct uvt *vt)
{
	int64_t best = 0;

	cur->t = vt->m->n;
	for (int t = 0; t < vt->m->n; t++) {
		int64_t ts;

		if (!cur->live[t])
			continue;
		ts = sqlite3_column_int64(cur->stmt[t], cur->pos[vt->ts]);
		if (cur->t == vt->m->n || (cur->ord > 0 ? ts < best :
					   ts > best)) {
			cur->t = t;
			best = ts;
		}
	}
}

/* Move to the first row of trace T or a later one (or to the end); when
 * ordered, start every trace and stand on the first row of all. */
static int cur_seek(struct ucur *cur, struct uvt *vt, int t,
		    sqlite3_uint64 used)
{
	for (cur->t = t; cur->t < vt->m->n; cur->t++) {
		int rc = SQLITE_DONE;

		if (trace_wanted(cur, vt, cur->t))
			rc = trace_start(cur, vt, cur->t, used);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return rc;
		cur->live[cur->t] = rc == SQLITE_ROW;
		if (rc == SQLITE_ROW && !cur->ord)
			return SQLITE_OK;
	}
	if (cur->ord)
		cur_pick(cur, vt);
	return SQLITE_OK;
}

static sqlite3_uint64 plan_used(const char *key)
{
	return strtoull(key, NULL, 16);
}

static int vt_filter(sqlite3_vtab_cursor *base, int idx, const char *key,
		     int argc, sqlite3_value **argv)
{
	struct ucur *cur = (struct ucur *)base;
	struct uvt *vt = (struct uvt *)base->pVtab;
	const char *p = strchr(key, ',');

	(void)idx;
	cur_clear(cur, vt->m->n, !cur->key || strcmp(cur->key, key));
	if (!cur->key && !(cur->key = sqlite3_mprintf("%s", key)))
		return SQLITE_NOMEM;
	cur->val = sqlite3_malloc64((argc + 1) * sizeof(*cur->val));
	cur->ccol = sqlite3_malloc64((argc + 1) * sizeof(*cur->ccol));
	cur->cop = sqlite3_malloc64(argc + 1);
	if (!cur->val || !cur->ccol || !cur->cop)
		return SQLITE_NOMEM;
	for (int i = 0; i < argc && p; i++) {
		char *end;

		cur->ccol[i] = (int)strtol(p + 1, &end, 10);
		cur->cop[i] = *end;
		p = strchr(end, ',');
		if (!(cur->val[i] = sqlite3_value_dup(argv[i])))
			return SQLITE_NOMEM;
		cur->nval++;
	}
	cur->row = 0;
	p = key + strspn(key, "0123456789abcdef");
	cur->ord = *p == '+' ? 1 : *p == '-' ? -1 : 0;
	return cur_seek(cur, vt, 0, plan_used(key));
}

static int vt_next(sqlite3_vtab_cursor *base)
{
	struct ucur *cur = (struct ucur *)base;
	struct uvt *vt = (struct uvt *)base->pVtab;
	int rc = trace_step(cur, vt, cur->t);

	cur->row++;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	if (cur->ord) {
		cur->live[cur->t] = rc == SQLITE_ROW;
		cur_pick(cur, vt);
		return SQLITE_OK;
	}
	if (rc == SQLITE_ROW)
		return SQLITE_OK;
	return cur_seek(cur, vt, cur->t + 1, plan_used(cur->key));
}

static int vt_eof(sqlite3_vtab_cursor *base)
{
	struct ucur *cur = (struct ucur *)base;

	return cur->t >= ((struct uvt *)base->pVtab)->m->n;
}

static int vt_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int i)
{
	struct ucur *cur = (struct ucur *)base;
	struct uvt *vt = (struct uvt *)base->pVtab;
	const struct mtrace *mt = &vt->m->t[cur->t];

	if (i == MULTI_COL_TRACE)
		sqlite3_result_text(ctx, mt->name, -1, SQLITE_STATIC);
	else if (i == MULTI_COL_HOST && mt->host)
		sqlite3_result_text(ctx, mt->host, -1, SQLITE_STATIC);
	else if (i >= MULTI_COL_FIRST && cur->pos[i - MULTI_COL_FIRST] >= 0)
		sqlite3_result_value(ctx, sqlite3_column_value(
			cur->stmt[cur->t], cur->pos[i - MULTI_COL_FIRST]));
	return SQLITE_OK;
}

/* Unique per scan: the trace in the high bits, the row below. */
static int vt_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
	struct ucur *cur = (struct ucur *)base;

	*rowid = ((sqlite3_int64)cur->t << 44) + cur->row;
	return SQLITE_OK;
}

static const sqlite3_module union_module = {
	.iVersion = 1,
	.xConnect = vt_connect,
	.xBestIndex = vt_best_index,
	.xDisconnect = vt_disconnect,
	.xOpen = vt_open,
	.xClose = vt_close,
	.xFilter = vt_filter,
	.xNext = vt_next,
	.xEof = vt_eof,
	.xColumn = vt_column,
	.xRowid = vt_rowid,
};

/* ---- wall clock ------------------------------------------------------ */

/* The offset of the row's trace: the trace named by V, or (V NULL) the
 * one offset all traces share.  0 and *OFF; 1 when the trace has no
 * offset (a NULL result); -1 with the error set on CTX. */
static int wall_offset(sqlite3_context *ctx, const char *fn,
		       sqlite3_value *v, int64_t *off)
{
	struct multi *m = sqlite3_user_data(ctx);
	const char *name;

	if (!v) {
		for (int t = 1; t < m->n; t++)
			if (m->t[t].have_off != m->t[0].have_off ||
			    m->t[t].off != m->t[0].off) {
				char *msg = sqlite3_mprintf(
					"%s(ts) is ambiguous: the traces have "
					"different clock offsets; use %s(ts, "
					"trace)", fn, fn);
				sqlite3_result_error(ctx, msg ? msg :
						     "out of memory", -1);
				sqlite3_free(msg);
				return -1;
			}
		*off = m->t[0].off;
		return !m->t[0].have_off;
	}
	name = (const char *)sqlite3_value_text(v);
	for (int t = 0; name && t < m->n; t++)
		if (!strcmp(m->t[t].name, name)) {
			*off = m->t[t].off;
			return !m->t[t].have_off;
		}
	char *msg = sqlite3_mprintf("%s: no trace '%s' in this query", fn,
				    name ? name : "NULL");
	sqlite3_result_error(ctx, msg ? msg : "out of memory", -1);
	sqlite3_free(msg);
	return -1;
}

static void fn_wall(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	char buf[64];
	int64_t off;

	if (sqlite3_value_type(v[0]) == SQLITE_NULL ||
	    wall_offset(ctx, "wall", argc > 1 ? v[1] : NULL, &off))
		return;
	if (sqlfn_wall(buf, sizeof(buf), sqlite3_value_int64(v[0]), off) == 0)
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_wall_ns(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	int64_t off, ns;

	if (sqlite3_value_type(v[0]) == SQLITE_NULL ||
	    wall_offset(ctx, "wall_ns", argc > 1 ? v[1] : NULL, &off))
		return;
	if (!__builtin_add_overflow(sqlite3_value_int64(v[0]), off, &ns))
		sqlite3_result_int64(ctx, ns);
}

/* ---- the handle ------------------------------------------------------ */

/* The key columns of TABLE in the first trace that has it, as
 * "\"pid\", \"start_ts\"" (sqlite3_free it); "" when it has none, NULL
 * when out of memory. */
static char *table_key(struct multi *m, const char *table)
{
	sqlite3_str *k = sqlite3_str_new(NULL);
	char *key;

	for (int t = 0; t < m->n && !sqlite3_str_length(k); t++) {
		sqlite3_stmt *s;

		if (sqlite3_prepare_v2(store_db(m->t[t].st), "SELECT name FROM "
				       "pragma_table_info(?1) WHERE pk > 0 "
				       "ORDER BY pk", -1, &s, NULL) !=
		    SQLITE_OK)
			continue;
		sqlite3_bind_text(s, 1, table, -1, SQLITE_STATIC);
		while (sqlite3_step(s) == SQLITE_ROW)
			sqlite3_str_appendf(k, "%s\"%w\"", sqlite3_str_length(k) ?
					    ", " : "", sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	if (sqlite3_str_errcode(k)) {
		sqlite3_free(sqlite3_str_finish(k));
		return NULL;
	}
	key = sqlite3_str_finish(k); /* NULL when empty */
	return key ? key : sqlite3_mprintf("%s", "");
}

/* Copy the union of a small plain table (processes, threads, lost, meta,
 * shed) into a table of the connection, with an index on the key each
 * trace's table has: a join looking up processes by pid for each event
 * then costs what it costs on one trace, not a statement per row on each
 * trace's connection. */
static int multi_copy(struct multi *m, const struct mtab *tab)
{
	sqlite3_str *q = sqlite3_str_new(m->db);
	char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", tab->module);
	char *key = table_key(m, tab->name);
	sqlite3_stmt *s = NULL;
	int rc = sql && key ? SQLITE_OK : SQLITE_NOMEM;

	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(m->db, sql, -1, &s, NULL);
	sqlite3_str_appendf(q, "CREATE TABLE main.\"%w\"(", tab->name);
	for (int i = 0; rc == SQLITE_OK && i < sqlite3_column_count(s); i++) {
		const char *type = plain_type(sqlite3_column_decltype(s, i));

		sqlite3_str_appendf(q, "%s\"%w\"%s%s", i ? ", " : "",
				    sqlite3_column_name(s, i), type ? " " : "",
				    type ? type : "");
	}
	sqlite3_finalize(s);
	sqlite3_str_appendf(q, "); INSERT INTO main.\"%w\" SELECT * FROM "
			    "\"%w\";", tab->name, tab->module);
	if (key && *key)
		sqlite3_str_appendf(q, "CREATE INDEX main.\"%w_key\" ON "
				    "\"%w\"(%s);", tab->name, tab->name, key);
	sqlite3_free(sql);
	sqlite3_free(key);
	sql = sqlite3_str_finish(q);
	if (rc == SQLITE_OK)
		rc = sql ? sqlite3_exec(m->db, sql, NULL, NULL, NULL) :
			   SQLITE_NOMEM;
	sqlite3_free(sql);
	return rc;
}

static int multi_setup(struct multi *m)
{
	const int fl = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	const char *keep[NTABLES + 1];
	unsigned nkeep = 0;
	int rc;

	sqlite3_db_config(m->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(m->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_limit(m->db, SQLITE_LIMIT_LENGTH, STORE_MAX_VALUE);
	for (unsigned i = 0; i < NTABLES; i++) {
		struct mtab *tab = &m->tabs[i];

		tab->m = m;
		if (i < EV_KIND_COUNT) {
			tab->name = tab->sized_by = ev_desc(i)->table;
		} else {
			tab->name = more_tables[i - EV_KIND_COUNT].name;
			tab->sized_by = more_tables[i - EV_KIND_COUNT].sized_by;
			tab->copy = more_tables[i - EV_KIND_COUNT].copy;
		}
		snprintf(tab->module, sizeof(tab->module), "%s%s",
			 tab->copy ? "multi_copy_" : "", tab->name);
		rc = sqlite3_create_module(m->db, tab->module, &union_module,
					   tab);
		if (rc != SQLITE_OK)
			return rc;
		keep[nkeep] = tab->module;
		nkeep += !tab->copy;
	}
	keep[nkeep] = NULL;
	for (unsigned i = 0; i < NTABLES; i++)
		if (m->tabs[i].copy && (rc = multi_copy(m, &m->tabs[i])) !=
		    SQLITE_OK)
			return rc;
	if ((rc = sqlite3_drop_modules(m->db, keep)) != SQLITE_OK)
		return rc;
	/* errno_name, fmt_dur, ...; then wall and wall_ns of our own */
	if ((rc = sqlfn_register(m->db)) != SQLITE_OK)
		return rc;
	for (int nargs = 1; nargs <= 2; nargs++) {
		/* wall_ns first: sqlfn's wall owns the state both use */
		rc = sqlite3_create_function(m->db, "wall_ns", nargs, fl, m,
					     fn_wall_ns, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_create_function(m->db, "wall", nargs, fl,
						     m, fn_wall, NULL, NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	return sqlguard_install(m->db);
}

struct multi *multi_open(const char *const *paths, int n,
			 char err[STORE_ERRLEN])
{
	struct multi *m = calloc(1, sizeof(*m));

	if (!m || !(m->t = calloc(n, sizeof(*m->t)))) {
		free(m);
		snprintf(err, STORE_ERRLEN, "out of memory");
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		struct mtrace *t = &m->t[i];
		const char *host, *off;
		char *end;

		for (int j = 0; j < i; j++)
			if (!strcmp(paths[j], paths[i])) {
				snprintf(err, STORE_ERRLEN, "'%.400s' is given "
					 "twice", paths[i]);
				goto fail;
			}
		t->name = paths[i];
		m->n = i + 1;
		if (!(t->st = analyze_trace_open(paths[i], err)))
			goto fail;
		host = store_meta(t->st, "host");
		if (host && !(t->host = strdup(host)))
			goto nomem;
		off = store_meta(t->st, "clock_offset_ns");
		if (off) {
			errno = 0;
			t->off = strtoll(off, &end, 10);
			t->have_off = !errno && end != off && !*end;
		}
	}
	if (sqlite3_open_v2(":memory:", &m->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK || multi_setup(m) != SQLITE_OK) {
		snprintf(err, STORE_ERRLEN, "cannot set up the tables of "
			 "several traces: %s", m->db ? sqlite3_errmsg(m->db) :
			 "out of memory");
		goto fail;
	}
	return m;
nomem:
	snprintf(err, STORE_ERRLEN, "out of memory");
fail:
	multi_close(m);
	return NULL;
}

void multi_close(struct multi *m)
{
	if (!m)
		return;
	sqlite3_close(m->db);
	for (int i = 0; i < m->n; i++) {
		store_close(m->t[i].st);
		free(m->t[i].host);
	}
	free(m->t);
	free(m);
}

sqlite3 *multi_db(struct multi *m) { return m->db; }
struct store *multi_store(struct multi *m, int i) { return m->t[i].st; }

int multi_budget_spent(const struct multi *m)
{
	for (int i = 0; i < m->n; i++)
		if (store_budget_spent(m->t[i].st))
			return 1;
	return 0;
}
