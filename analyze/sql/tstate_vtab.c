/*
 * tstate_vtab.c - SQL `thread_state`: the thread-state engine
 * (analyze/fold/tstate.h) as an eponymous virtual table.
 *
 *     SELECT state, sum(dur) FROM thread_state WHERE tid = 4001
 *      GROUP BY state;
 *     SELECT ts, dur, syscall, fd_name, blocked_in, waker_comm
 *       FROM thread_state WHERE state IN ('sleeping', 'blocked')
 *        AND ts >= 5000000000 ORDER BY dur DESC LIMIT 10;
 *
 * One row per interval, by (tid, ts).  A scan runs the engine over the
 * trace, from the lower bound of the ts constraints when there is one
 * (ts >= X, ts > X, ts = X): the switches before it are not read.  Rows
 * that would begin before that bound are not produced; an interval the
 * narrowed fold saw only from the bound on (begun earlier) is left out
 * too, since over the whole trace it begins before the bound.  Other
 * constraints are left to SQLite.
 *
 * Registered by analyze_trace_open (it needs the store, not only the
 * connection), so `kscope query`, the reports and the TUI have it; the
 * loadable extension does not.
 */
#include "config.h"
#include "analyze/sql/tstate_vtab.h"
#include "analyze/fold/tstate.h"
#include "analyze/timearg.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
	TS_COL_TS, TS_COL_DUR, TS_COL_TID, TS_COL_PID, TS_COL_COMM,
	TS_COL_STATE, TS_COL_CPU, TS_COL_SYSCALL, TS_COL_FD_NAME,
	TS_COL_BLOCKED_IN, TS_COL_STACK_ID, TS_COL_WAKER_TID,
	TS_COL_WAKER_COMM, TS_COL_WAKER_CTX, TS_COL_WAKER_IRQ,
	TS_COL_PARTIAL,
};

static const char tstate_schema[] =
	"CREATE TABLE x(ts INTEGER, dur INTEGER, tid INTEGER, pid INTEGER, "
	"comm TEXT, state TEXT, cpu INTEGER, syscall TEXT, fd_name TEXT, "
	"blocked_in TEXT, stack_id INTEGER, waker_tid INTEGER, "
	"waker_comm TEXT, waker_ctx TEXT, waker_irq TEXT, partial INTEGER)";

struct tvtab {
	sqlite3_vtab base;	/* first */
	struct store *st;
};

struct tcur {
	sqlite3_vtab_cursor base;	/* first */
	struct tstate *t;
	uint64_t lo;		/* rows begin at or after lo */
	size_t i;
};

static int tv_connect(sqlite3 *db, void *aux, int argc,
		      const char *const *argv, sqlite3_vtab **out, char **err)
{
	struct tvtab *v;
	int rc;

	(void)argc;
	(void)argv;
	(void)err;
	if ((rc = sqlite3_declare_vtab(db, tstate_schema)) != SQLITE_OK)
		return rc;
	if (!(v = sqlite3_malloc(sizeof(*v))))
		return SQLITE_NOMEM;
	memset(v, 0, sizeof(*v));
	v->st = aux;
	*out = &v->base;
	return SQLITE_OK;
}

static int tv_disconnect(sqlite3_vtab *base)
{
	sqlite3_free(base);
	return SQLITE_OK;
}

/*
 * The plan: idxNum 1 when a usable constraint ts >= X, ts > X or ts = X
 * is passed as argv[0] (idxStr "ge", "gt" or "eq"), else 0 (the whole
 * trace).  SQLite checks every constraint again.
 */
static int tv_best_index(sqlite3_vtab *base, sqlite3_index_info *ix)
{
	(void)base;
	ix->idxNum = 0;
	ix->estimatedCost = 1e9;
	for (int i = 0; i < ix->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &ix->aConstraint[i];
		const char *how;

		if (!c->usable || c->iColumn != TS_COL_TS)
			continue;
		how = c->op == SQLITE_INDEX_CONSTRAINT_GE ? "ge" :
		      c->op == SQLITE_INDEX_CONSTRAINT_GT ? "gt" :
		      c->op == SQLITE_INDEX_CONSTRAINT_EQ ? "eq" : NULL;
		if (!how)
			continue;
		ix->aConstraintUsage[i].argvIndex = 1;
		ix->idxNum = 1;
		ix->idxStr = (char *)how;
		ix->estimatedCost = 1e6;
		break;
	}
	return SQLITE_OK;
}

static int tv_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
	struct tcur *c = sqlite3_malloc(sizeof(*c));

	(void)base;
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	*out = &c->base;
	return SQLITE_OK;
}

static int tv_close(sqlite3_vtab_cursor *base)
{
	struct tcur *c = (struct tcur *)base;

	tstate_free(c->t);
	sqlite3_free(c);
	return SQLITE_OK;
}

/* Skip the rows before lo, and, when the fold was narrowed to begin at
 * lo, those it cut there (they begin earlier). */
static void tv_skip(struct tcur *c)
{
	const struct tstate *t = c->t;

	while (c->i < t->n) {
		const struct tstate_iv *v = &t->iv[c->i];

		if (v->ts >= c->lo && !(c->lo && v->ts == t->from &&
					(v->partial & TSTATE_START)))
			break;
		c->i++;
	}
}

static int tv_filter(sqlite3_vtab_cursor *base, int idxnum,
		     const char *idxstr, int argc, sqlite3_value **argv)
{
	struct tcur *c = (struct tcur *)base;
	struct tvtab *v = (struct tvtab *)base->pVtab;
	uint64_t from = 0, to = 0;
	char err[TSTATE_ERRLEN];

	tstate_free(c->t);
	c->t = NULL;
	c->i = 0;
	c->lo = 0;
	if (timearg_span(v->st, &from, &to) < 0)
		from = to = 0;
	if (idxnum == 1 && argc == 1) {
		int64_t x;

		if (sqlite3_value_numeric_type(argv[0]) == SQLITE_NULL)
			x = INT64_MAX;	/* matches nothing */
		else
			x = sqlite3_value_int64(argv[0]);
		if (x > 0 && (uint64_t)x > from) {
			c->lo = (uint64_t)x + (idxstr[0] == 'g' &&
					       idxstr[1] == 't');
			from = c->lo;
		}
	}
	if (from > to)
		from = to;
	if (!(c->t = tstate_new(v->st, from, to, err)) ||
	    tstate_run(c->t) < 0) {
		sqlite3_free(base->pVtab->zErrMsg);
		base->pVtab->zErrMsg = sqlite3_mprintf("thread_state: %s",
						       c->t ? tstate_errmsg(c->t) :
						       err);
		return SQLITE_ERROR;
	}
	tv_skip(c);
	return SQLITE_OK;
}

static int tv_next(sqlite3_vtab_cursor *base)
{
	struct tcur *c = (struct tcur *)base;

	c->i++;
	tv_skip(c);
	return SQLITE_OK;
}

static int tv_eof(sqlite3_vtab_cursor *base)
{
	struct tcur *c = (struct tcur *)base;

	return !c->t || c->i >= c->t->n;
}

static void text(sqlite3_context *ctx, const char *s)
{
	if (s)
		sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
}

static int tv_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int i)
{
	struct tcur *c = (struct tcur *)base;
	struct tvtab *vt = (struct tvtab *)base->pVtab;
	const struct tstate *t = c->t;
	const struct tstate_iv *v = &t->iv[c->i];
	int64_t pid;
	int sleep = v->state == TSTATE_SLEEPING ||
		    v->state == TSTATE_BLOCKED;

	switch (i) {
	case TS_COL_TS:
		sqlite3_result_int64(ctx, (int64_t)v->ts);
		break;
	case TS_COL_DUR:
		sqlite3_result_int64(ctx, (int64_t)v->dur);
		break;
	case TS_COL_TID:
		sqlite3_result_int64(ctx, v->tid);
		break;
	case TS_COL_PID:
		if ((pid = tstate_pid(t, v)) >= 0)
			sqlite3_result_int64(ctx, pid);
		break;
	case TS_COL_COMM:
		text(ctx, tstate_comm(t, v));
		break;
	case TS_COL_STATE:
		text(ctx, tstate_names[v->state]);
		break;
	case TS_COL_CPU:
		if (v->cpu != UINT32_MAX)
			sqlite3_result_int64(ctx, v->cpu);
		break;
	case TS_COL_SYSCALL:
		if (v->nr >= 0)
			text(ctx, store_syscall_name(vt->st, v->nr));
		break;
	case TS_COL_FD_NAME:
		text(ctx, tstate_str(t, v->fd_name));
		break;
	case TS_COL_BLOCKED_IN:
		text(ctx, tstate_str(t, v->blocked_in));
		break;
	case TS_COL_STACK_ID:
		if (v->stack_id)
			sqlite3_result_int64(ctx, v->stack_id);
		break;
	case TS_COL_WAKER_TID:
		if (sleep && v->wake_ts)
			sqlite3_result_int64(ctx, v->waker_tid);
		break;
	case TS_COL_WAKER_COMM:
		if (sleep && v->wake_ts)
			text(ctx, tstate_tid_comm(t, v->waker_tid, v->wake_ts));
		break;
	case TS_COL_WAKER_CTX:
		if (sleep && v->wake_ts)
			text(ctx, tstate_ctx_name(v->waker_ctx));
		break;
	case TS_COL_WAKER_IRQ:
		text(ctx, tstate_str(t, v->waker_irq));
		break;
	case TS_COL_PARTIAL:
		sqlite3_result_int(ctx, v->partial != 0);
		break;
	}
	return SQLITE_OK;
}

static int tv_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((struct tcur *)base)->i;
	return SQLITE_OK;
}

static const sqlite3_module tv_module = {
	.iVersion = 0,
	.xCreate = NULL, /* eponymous only */
	.xConnect = tv_connect,
	.xBestIndex = tv_best_index,
	.xDisconnect = tv_disconnect,
	.xDestroy = tv_disconnect,
	.xOpen = tv_open,
	.xClose = tv_close,
	.xFilter = tv_filter,
	.xNext = tv_next,
	.xEof = tv_eof,
	.xColumn = tv_column,
	.xRowid = tv_rowid,
};

int tstate_vtab_register(sqlite3 *db, struct store *st)
{
	return sqlite3_create_module_v2(db, "thread_state", &tv_module, st,
					NULL);
}
