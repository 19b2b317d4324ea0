/*
 * vtab.c - the event tables as SQLite virtual tables.
 *
 *     SELECT name, count(*), avg(dur) FROM syscalls
 *      WHERE ts BETWEEN 5000000000 AND 6000000000 GROUP BY name;
 *
 * One eponymous module per event kind, named after the kind's table
 * (syscalls, sched_switch, ...), so a read-only trace needs no CREATE
 * VIRTUAL TABLE; store_vtab_list declares them in the TEMP schema as well,
 * for the tools that list a schema.  Columns are the kind's descriptor
 * fields in order.  A scan walks the chunk index (chunks, by kind and
 * ts_first), reads only the chunks whose [ts_first, ts_last] meets the ts
 * constraints, and decodes a column of a chunk only when SQLite first asks
 * for it.  Within a chunk rows are in ts order, so the rows inside the
 * range are found by binary search.
 */
#include "store/chunkio.h"
#include "store/cursor.h"
#include "store/store_sql.h"
#include "store/systab.h"
#include "store/vgroup.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vaux {
	const struct ev_desc *d;
	struct store_counters *ctr; /* may be NULL */
};

struct vtab {
	sqlite3_vtab base; /* first */
	sqlite3 *db;
	const struct ev_desc *d;
	struct store_counters *ctr;
	char *arch; /* canonical arch for syscall names, or NULL */
	const char **names; /* syscall number -> name on ARCH (or NULL) */
	int *name_len;      /* ... and its length */
	int maxnr;          /* highest number in NAMES, -1 without */
	uint64_t events; /* of this kind in the file, for planning */
};

struct vcur {
	sqlite3_vtab_cursor base; /* first */
	sqlite3_stmt *list;       /* chunk index rows in range */
	sqlite3_blob *blob;
	struct chunk_dec *dec;
	int64_t chunk;
	uint32_t row, end;
	uint64_t lo, hi;
	int eof;
	struct vgroup *group; /* grouped or keyed plan: rows come from here */
	size_t pos, end_pos;
	struct vgroup *keyed; /* keyed plan: every row by key, kept across
				 xFilter calls; group borrows it */
	char *kspec;          /* the plan and range KEYED was built for ... */
	uint64_t klo, khi;
	char *lspec;          /* ... and those of the last keyed call */
	uint64_t llo, lhi;
	int kscan;            /* a keyed call scanning: only rows whose */
	unsigned kcol;        /* column KCOL is KVAL are handed out */
	int64_t kval;
	struct store_merge *merge; /* ordered plan: rows come from here */
	struct chunk_dec *cur;     /* decoder of the current row */
	char merr[STORE_ERRLEN];
};

static int vt_disconnect(sqlite3_vtab *base);

static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		      sqlite3_vtab **out, char **err)
{
	const struct vaux *a = aux;
	struct vtab *vt;
	sqlite3_str *sql = sqlite3_str_new(db);
	char *text;
	int rc;

	sqlite3_str_appendall(sql, "CREATE TABLE x(");
	for (unsigned i = 0; i < a->d->nfields; i++)
		sqlite3_str_appendf(sql, "%s\"%w\"", i ? ", " : "",
				    a->d->fields[i].name);
	sqlite3_str_appendall(sql, ")");
	text = sqlite3_str_finish(sql);
	if (!text)
		return SQLITE_NOMEM;
	rc = sqlite3_declare_vtab(db, text);
	sqlite3_free(text);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);

	vt = sqlite3_malloc(sizeof(*vt));
	if (!vt)
		return SQLITE_NOMEM;
	memset(vt, 0, sizeof(*vt));
	vt->db = db;
	vt->d = a->d;
	vt->ctr = a->ctr;

	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "SELECT value FROM main.meta WHERE key ="
			       " 'arch'", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW) {
			const char *arch = systab_arch_canon(
				(const char *)sqlite3_column_text(s, 0));
			if (arch)
				vt->arch = sqlite3_mprintf("%s", arch);
		}
		sqlite3_finalize(s);
	}
	vt->maxnr = vt->arch ? systab_max(vt->arch) : -1;
	if (vt->maxnr >= 0) {
		vt->names = sqlite3_malloc64((uint64_t)(vt->maxnr + 1) *
					     sizeof(*vt->names));
		vt->name_len = sqlite3_malloc64((uint64_t)(vt->maxnr + 1) *
						sizeof(*vt->name_len));
		if (!vt->names || !vt->name_len) {
			vt_disconnect(&vt->base);
			return SQLITE_NOMEM;
		}
		for (int nr = 0; nr <= vt->maxnr; nr++) {
			vt->names[nr] = systab_name(vt->arch, nr);
			vt->name_len[nr] = vt->names[nr] ?
					   (int)strlen(vt->names[nr]) : 0;
		}
	}
	if (sqlite3_prepare_v2(db, "SELECT total(count) FROM main.chunks WHERE"
			       " kind = ?", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_int(s, 1, a->d->kind);
		if (sqlite3_step(s) == SQLITE_ROW) {
			/* The file's word: clamp it before converting. */
			double n = sqlite3_column_double(s, 0);
			vt->events = !(n > 0) ? 0 : n < 1.8e19 ? (uint64_t)n :
				     UINT64_MAX;
		}
		sqlite3_finalize(s);
	}
	*out = &vt->base;
	return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *base)
{
	struct vtab *vt = (struct vtab *)base;

	sqlite3_free(vt->arch);
	sqlite3_free(vt->names);
	sqlite3_free(vt->name_len);
	sqlite3_free(vt);
	return SQLITE_OK;
}

/*
 * The index plan.  Only ts constraints (column 0) narrow a scan.  Each
 * usable one becomes an xFilter argument, in order; idxStr holds one
 * character per argument naming its operator:
 *
 *     '=' ts = ?     '>' ts > ?     '}' ts >= ?     '<' ts < ?     '{' ts <= ?
 *
 * idxNum is the number of arguments.  A constraint whose value is an
 * integer SQLite knows when planning (a literal: sqlite3_vtab_rhs_value)
 * is omitted, as every plan keeps exactly the rows in [lo, hi] (chunk
 * spans, then a binary search inside the chunks at the edges); SQLite
 * checks the others again, so rows at the edges are always right even
 * when an argument is not an integer.
 *
 * Grouped plan: when SQLite needs the rows only grouped (GROUP BY,
 * sqlite3_vtab_distinct 1) on up to VGROUP_MAX_KEYS
 * integer-like columns, the query reads no string column, and the columns
 * fit VGROUP_BUDGET, the table consumes the ORDER BY and delivers rows
 * grouped (vgroup.c).  idxNum then has PLAN_GROUPED set and idxStr goes on
 * after the operators with "|" + one letter per key column ('A' + column)
 * + ":" + the columns used as a hexadecimal bit mask.
 *
 * Ordered plan: ORDER BY ts (ascending) is consumed and rows stream out of
 * a k-way merge of the chunks (store_merge), in constant memory, with
 * PLAN_ORDERED set in idxNum.
 *
 * Keyed plan: an equality on a plain integer column other than ts (the
 * pid of "syscalls s JOIN processes p ON p.pid = s.pid"), when the query
 * reads only integer-like columns within VGROUP_BUDGET: PLAN_KEYED, the
 * value is the argument after the ts ones, and idxStr goes on with "#" +
 * the column's letter + ":" + the used columns' mask.  A first xFilter
 * scans as without it, handing out only the rows of its value when that
 * is an integer; when a second one comes with the same plan and ts range
 * (the inner loop of a join), the rows of the range are read once into a
 * vgroup indexed by the column, and each call then hands out the rows of
 * its value.  The constraint is not omitted either.
 */
#define PLAN_GROUPED 0x100
#define PLAN_ORDERED 0x200
#define PLAN_KEYED 0x400

static int plan_ordered(sqlite3_index_info *info)
{
	if (info->nOrderBy != 1 || info->aOrderBy[0].iColumn != 0 ||
	    info->aOrderBy[0].desc)
		return 0;
	info->orderByConsumed = 1;
	return PLAN_ORDERED;
}

static int plan_grouped(struct vtab *vt, sqlite3_index_info *info,
			sqlite3_str *plan)
{
	const struct ev_desc *d = vt->d;
	int distinct = sqlite3_vtab_distinct(info);
	uint64_t used = (uint64_t)info->colUsed, keys = 0;
	unsigned n = 0;

	if (distinct != 1 || info->nOrderBy < 1 ||
	    info->nOrderBy > VGROUP_MAX_KEYS || d->nfields >= 63)
		return 0;
	for (unsigned f = 0; f < d->nfields; f++)
		if ((used >> f & 1) && !vgroup_field_ok(&d->fields[f]))
			return 0;
	for (int i = 0; i < info->nOrderBy; i++) {
		int col = info->aOrderBy[i].iColumn;
		if (col < 0 || (unsigned)col >= d->nfields ||
		    !vgroup_field_ok(&d->fields[col]))
			return 0;
		keys |= 1ull << col;
	}
	used |= keys;
	for (uint64_t m = used; m; m &= m - 1)
		n++;
	if (vt->events > VGROUP_BUDGET / (n * 8 + 12))
		return 0;
	sqlite3_str_appendchar(plan, 1, '|');
	for (int i = 0; i < info->nOrderBy; i++)
		sqlite3_str_appendchar(plan, 1,
				       (char)('A' + info->aOrderBy[i].iColumn));
	sqlite3_str_appendf(plan, ":%llx", (unsigned long long)used);
	info->orderByConsumed = 1;
	return PLAN_GROUPED;
}

/* The keyed plan's constraint (see the index plan): its index in
 * aConstraint, or -1. */
static int keyed_constraint(const struct vtab *vt, sqlite3_index_info *info)
{
	const struct ev_desc *d = vt->d;
	uint64_t used = (uint64_t)info->colUsed;

	if (d->nfields >= 63)
		return -1;
	for (unsigned f = 0; f < d->nfields; f++)
		if ((used >> f & 1) && !vgroup_field_ok(&d->fields[f]))
			return -1;
	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &info->aConstraint[i];
		enum ev_type t;

		if (!c->usable || c->iColumn <= 0 ||
		    (unsigned)c->iColumn >= d->nfields ||
		    c->op != SQLITE_INDEX_CONSTRAINT_EQ)
			continue;
		t = d->fields[c->iColumn].type;
		if (t == EVT_U32 || t == EVT_I32 || t == EVT_U64 ||
		    t == EVT_I64)
			return i;
	}
	return -1;
}

static int vt_best_index(sqlite3_vtab *base, sqlite3_index_info *info)
{
	struct vtab *vt = (struct vtab *)base;
	sqlite3_str *plan = sqlite3_str_new(NULL);
	int n = 0;

	for (int i = 0; i < info->nConstraint && n < 15; i++) {
		const struct sqlite3_index_constraint *c = &info->aConstraint[i];
		char op;

		if (!c->usable || c->iColumn != 0)
			continue;
		switch (c->op) {
		case SQLITE_INDEX_CONSTRAINT_EQ: op = '='; break;
		case SQLITE_INDEX_CONSTRAINT_GT: op = '>'; break;
		case SQLITE_INDEX_CONSTRAINT_GE: op = '}'; break;
		case SQLITE_INDEX_CONSTRAINT_LT: op = '<'; break;
		case SQLITE_INDEX_CONSTRAINT_LE: op = '{'; break;
		default: continue;
		}
		sqlite3_value *v = NULL;
		sqlite3_str_appendchar(plan, 1, op);
		info->aConstraintUsage[i].argvIndex = ++n;
		info->aConstraintUsage[i].omit =
			sqlite3_vtab_rhs_value(info, i, &v) == SQLITE_OK &&
			sqlite3_value_type(v) == SQLITE_INTEGER;
	}
	int has_eq = strchr(sqlite3_str_value(plan) ? sqlite3_str_value(plan)
						    : "", '=') != NULL;
	int k = keyed_constraint(vt, info);
	uint64_t width = 12;
	for (uint64_t m = (uint64_t)info->colUsed; m; m &= m - 1)
		width += 8;
	if (k >= 0 && vt->events <= VGROUP_BUDGET / width) {
		int col = info->aConstraint[k].iColumn;
		info->aConstraintUsage[k].argvIndex = n + 1;
		info->aConstraintUsage[k].omit = 0;
		sqlite3_str_appendf(plan, "#%c:%llx", (char)('A' + col),
				    (unsigned long long)((uint64_t)info->colUsed |
							 1ull << col));
		info->idxNum = n | PLAN_KEYED;
	} else {
		info->idxNum = n | plan_grouped(vt, info, plan);
		if (!(info->idxNum & PLAN_GROUPED))
			info->idxNum |= plan_ordered(info);
	}
	if (sqlite3_str_errcode(plan) != SQLITE_OK) {
		sqlite3_free(sqlite3_str_finish(plan));
		return SQLITE_NOMEM;
	}
	info->idxStr = sqlite3_str_finish(plan); /* NULL when empty */
	info->needToFreeIdxStr = 1;
	info->estimatedRows = has_eq ? 10 : n ? 100000 : 10000000;
	/* Keyed: after the first call a lookup in memory.  SQLite takes a
	 * table it has no statistics for (processes) as a million rows, so
	 * only a small figure makes it the inner loop of a join. */
	if (info->idxNum & PLAN_KEYED)
		info->estimatedRows = 10;
	info->estimatedCost = (double)info->estimatedRows;
	return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *base, sqlite3_vtab_cursor **out)
{
	struct vtab *vt = (struct vtab *)base;
	struct vcur *c = sqlite3_malloc(sizeof(*c));

	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	c->dec = chunk_dec_new(vt->d);
	if (!c->dec) {
		sqlite3_free(c);
		return SQLITE_NOMEM;
	}
	*out = &c->base;
	return SQLITE_OK;
}

static int vt_close(sqlite3_vtab_cursor *base)
{
	struct vcur *c = (struct vcur *)base;

	sqlite3_finalize(c->list);
	sqlite3_blob_close(c->blob);
	chunk_dec_free(c->dec);
	if (c->group != c->keyed)
		vgroup_free(c->group);
	vgroup_free(c->keyed);
	sqlite3_free(c->kspec);
	sqlite3_free(c->lspec);
	store_merge_close(c->merge);
	sqlite3_free(c);
	return SQLITE_OK;
}

/* Hand a store error to SQLite. */
static int vt_error(struct vcur *c, int rc, const char *msg)
{
	sqlite3_vtab *vt = c->base.pVtab;

	sqlite3_free(vt->zErrMsg);
	vt->zErrMsg = sqlite3_mprintf("%s", msg);
	return rc == -ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
}

/* Advance to the next chunk that has rows in [lo, hi]. */
static int next_chunk(struct vcur *c)
{
	struct vtab *vt = (struct vtab *)c->base.pVtab;
	char err[STORE_ERRLEN];
	int rc;

	for (;;) {
		rc = sqlite3_step(c->list);
		if (rc == SQLITE_DONE) {
			c->eof = 1;
			return SQLITE_OK;
		}
		if (rc != SQLITE_ROW)
			return rc;
		int64_t id = sqlite3_column_int64(c->list, 0);
		int64_t count = sqlite3_column_int64(c->list, 1);
		uint64_t first = (uint64_t)sqlite3_column_int64(c->list, 2);
		uint64_t last = (uint64_t)sqlite3_column_int64(c->list, 3);

		if (count <= 0 || count > UINT32_MAX) {
			snprintf(err, sizeof(err), "chunk %lld of %s: bad "
				 "event count %lld", (long long)id,
				 vt->d->table, (long long)count);
			return vt_error(c, -EBADMSG, err);
		}
		rc = store_chunk_read(vt->db, &c->blob, id, (uint32_t)count,
				      vt->d, c->dec, vt->ctr, err);
		if (rc < 0)
			return vt_error(c, rc, err);
		chunk_dec_span(c->dec, first, last);
		c->chunk = id;
		c->cur = c->dec;
		c->row = 0;
		c->end = (uint32_t)count;
		if (first >= c->lo && last <= c->hi)
			return SQLITE_OK; /* the whole chunk is in range */
		rc = store_chunk_column(c->dec, id, vt->d, 0, vt->ctr, err);
		if (rc < 0)
			return vt_error(c, rc, err);
		store_chunk_rows(c->dec, c->lo, c->hi, &c->row, &c->end);
		if (c->row < c->end)
			return SQLITE_OK;
	}
}

/* Inclusive bounds from one constraint value. */
static void narrow(char op, sqlite3_value *v, uint64_t *lo, uint64_t *hi)
{
	int t = sqlite3_value_numeric_type(v);
	double x;

	if (t != SQLITE_INTEGER && t != SQLITE_FLOAT)
		return; /* SQLite filters the rows itself */
	if (t == SQLITE_INTEGER) {
		int64_t i = sqlite3_value_int64(v);
		if (i < 0) {
			if (op == '<' || op == '{' || op == '=')
				*hi = 0, *lo = 1; /* empty: ts >= 0 */
			return;
		}
		uint64_t u = (uint64_t)i;
		if ((op == '=' || op == '}') && u > *lo)
			*lo = u;
		if (op == '>' && u + 1 > *lo)
			*lo = u + 1;
		if ((op == '=' || op == '{') && u < *hi)
			*hi = u;
		if (op == '<') {
			if (u == 0)
				*lo = 1, *hi = 0;
			else if (u - 1 < *hi)
				*hi = u - 1;
		}
		return;
	}
	x = sqlite3_value_double(v);
	if (isnan(x))
		return;
	/* Round outward: the rows SQLite re-checks decide the edges. */
	if ((op == '>' || op == '}' || op == '=') && x > 0) {
		double f = floor(x);
		uint64_t u = f >= 1.8e19 ? UINT64_MAX : (uint64_t)f;
		if (u > *lo)
			*lo = u;
	}
	if (op == '<' || op == '{' || op == '=') {
		if (x < 0) {
			*lo = 1;
			*hi = 0;
		} else if (x < 1.8e19) {
			uint64_t u = (uint64_t)ceil(x);
			if (u < *hi)
				*hi = u;
		}
	}
}

/* The ordered plan: step the merge. */
static int next_ordered(struct vcur *c)
{
	struct store_merge_pos p;
	int rc = store_merge_next(c->merge, &p);

	if (rc < 0)
		return vt_error(c, rc, c->merr);
	c->eof = rc == 0;
	if (rc > 0) {
		c->cur = p.dec;
		c->chunk = p.chunk;
		c->row = p.row;
	}
	return SQLITE_OK;
}

/* The grouped and keyed plans: read every chunk in range, from the
 * current one on, into a new vgroup *OUT, grouped.  SPEC is the part of
 * idxStr after '|' or '#' (see the index plan above). */
static int read_group(struct vcur *c, const char *spec, struct vgroup **out)
{
	struct vtab *vt = (struct vtab *)c->base.pVtab;
	unsigned keys[VGROUP_MAX_KEYS], nkeys = 0;
	char err[STORE_ERRLEN];
	struct vgroup *g;
	int rc;

	while (*spec && *spec != ':' && nkeys < VGROUP_MAX_KEYS)
		keys[nkeys++] = (unsigned)(*spec++ - 'A');
	uint64_t used = *spec == ':' ? strtoull(spec + 1, NULL, 16) : 0;
	*out = g = vgroup_new(vt->d, used, keys, nkeys, vt->arch);
	if (!g)
		return SQLITE_NOMEM;
	used = vgroup_fields(g);
	while (!c->eof) {
		for (unsigned f = 0; f < vt->d->nfields; f++) {
			if (!(used >> f & 1))
				continue;
			rc = store_chunk_column(c->dec, c->chunk, vt->d, f,
						vt->ctr, err);
			if (rc < 0)
				return vt_error(c, rc, err);
		}
		if (vgroup_add(g, c->dec, c->row, c->end) < 0)
			return SQLITE_NOMEM;
		if ((rc = next_chunk(c)) != SQLITE_OK)
			return rc;
	}
	if ((rc = vgroup_finish(g)) < 0)
		return vt_error(c, rc, "too many rows to group");
	return SQLITE_OK;
}

/* Hand out positions [FIRST, END) of C->group. */
static void serve_group(struct vcur *c, size_t first, size_t end)
{
	c->pos = first;
	c->end_pos = end;
	c->eof = first >= end;
}

/* The grouped plan: every row in range, grouped. */
static int fill_group(struct vcur *c, const char *spec)
{
	int rc = read_group(c, spec, &c->group);

	if (rc == SQLITE_OK)
		serve_group(c, 0, vgroup_rows(c->group));
	return rc;
}

/* V as an exact 64-bit integer: 1 and *KEY, or 0 (not a number that
 * equals an integer). */
static int int_value(sqlite3_value *v, int64_t *key)
{
	int t = sqlite3_value_type(v); /* as it is: SQLite compares it so */

	if (t == SQLITE_INTEGER) {
		*key = sqlite3_value_int64(v);
		return 1;
	}
	if (t != SQLITE_FLOAT)
		return 0;
	double x = sqlite3_value_double(v);
	if (!(x >= -9.2e18 && x <= 9.2e18) || x != floor(x))
		return 0;
	*key = (int64_t)x;
	return 1;
}

/* The keyed plan (see the index plan above): 1 when C now serves the
 * rows of value V from the kept vgroup, 0 when this call scans as the
 * plain plan does (C->eof and the chunk are then set by next_chunk); or
 * a SQLite error code, negated. */
static int filter_keyed(struct vcur *c, const char *spec, sqlite3_value *v)
{
	int64_t key;
	size_t first, end;
	int rc;

	if (!c->keyed || c->klo != c->lo || c->khi != c->hi ||
	    strcmp(c->kspec, spec)) {
		int again = c->lspec && c->llo == c->lo && c->lhi == c->hi &&
			    !strcmp(c->lspec, spec);
		if (!again) {
			sqlite3_free(c->lspec);
			if (!(c->lspec = sqlite3_mprintf("%s", spec)))
				return -SQLITE_NOMEM;
			c->llo = c->lo;
			c->lhi = c->hi;
			c->kscan = sqlite3_value_type(v) == SQLITE_INTEGER;
			c->kcol = (unsigned)(spec[0] - 'A');
			c->kval = sqlite3_value_int64(v);
			return 0;
		}
		vgroup_free(c->keyed);
		c->keyed = NULL;
		sqlite3_free(c->kspec);
		if (!(c->kspec = sqlite3_mprintf("%s", spec)))
			return -SQLITE_NOMEM;
		c->klo = c->lo;
		c->khi = c->hi;
		if ((rc = next_chunk(c)) != SQLITE_OK ||
		    (rc = read_group(c, spec, &c->keyed)) != SQLITE_OK)
			return -rc;
		if ((rc = vgroup_index(c->keyed)) < 0)
			return -vt_error(c, rc, "too many keys to index");
	}
	c->group = c->keyed;
	if (!int_value(v, &key))
		serve_group(c, 0, vgroup_rows(c->group)); /* SQLite decides */
	else if (vgroup_find(c->group, key, &first, &end))
		serve_group(c, first, end);
	else
		serve_group(c, 0, 0);
	return 1;
}

/* A keyed call scanning (see the index plan): from the current row on,
 * move to the first whose key column is KVAL. */
static int skip_keys(struct vcur *c)
{
	struct vtab *vt = (struct vtab *)c->base.pVtab;
	char err[STORE_ERRLEN];
	int rc;

	while (c->kscan && !c->eof) {
		rc = store_chunk_column(c->dec, c->chunk, vt->d, c->kcol,
					vt->ctr, err);
		if (rc < 0)
			return vt_error(c, rc, err);
		while (c->row < c->end &&
		       chunk_dec_int(c->dec, c->kcol, c->row) != c->kval)
			c->row++;
		if (c->row < c->end)
			break;
		if ((rc = next_chunk(c)) != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

static int vt_filter(sqlite3_vtab_cursor *base, int idx_num,
		     const char *idx_str, int argc, sqlite3_value **argv)
{
	struct vcur *c = (struct vcur *)base;
	struct vtab *vt = (struct vtab *)base->pVtab;
	int rc;

	c->lo = 0;
	c->hi = UINT64_MAX;
	for (int i = 0; i < (idx_num & 0xff) && i < argc && idx_str; i++)
		narrow(idx_str[i], argv[i], &c->lo, &c->hi);
	c->eof = 0;
	c->kscan = 0;
	if (c->group != c->keyed)
		vgroup_free(c->group);
	c->group = NULL;
	store_merge_close(c->merge);
	c->merge = NULL;
	if (!c->list) {
		rc = sqlite3_prepare_v3(vt->db, "SELECT id, count, ts_first,"
					" ts_last FROM main.chunks WHERE kind = ?1"
					" AND ts_last >= ?2 AND ts_first <= ?3"
					" ORDER BY ts_first, id", -1,
					SQLITE_PREPARE_PERSISTENT, &c->list,
					NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	sqlite3_reset(c->list);
	if (c->lo > c->hi) {
		c->eof = 1;
		return SQLITE_OK;
	}
	/* ts is stored as a signed 64-bit integer; boot-clock values fit. */
	int64_t hi = c->hi > INT64_MAX ? INT64_MAX : (int64_t)c->hi;
	int64_t lo = c->lo > INT64_MAX ? INT64_MAX : (int64_t)c->lo;
	sqlite3_bind_int(c->list, 1, vt->d->kind);
	sqlite3_bind_int64(c->list, 2, lo);
	sqlite3_bind_int64(c->list, 3, hi);
	if (vt->ctr && (c->lo > 0 || c->hi < UINT64_MAX)) {
		/* Chunks of this kind the range rules out, unread. */
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(vt->db, "SELECT count(*) FROM main.chunks"
				       " WHERE kind = ?1 AND (ts_last < ?2 OR"
				       " ts_first > ?3)", -1, &s, NULL) ==
		    SQLITE_OK) {
			sqlite3_bind_int(s, 1, vt->d->kind);
			sqlite3_bind_int64(s, 2, lo);
			sqlite3_bind_int64(s, 3, hi);
			if (sqlite3_step(s) == SQLITE_ROW)
				vt->ctr->chunks_skipped +=
					(uint64_t)sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
		}
	}
	if (idx_num & PLAN_ORDERED) {
		c->merge = store_merge_open(vt->db, 1u << vt->d->kind, c->lo,
					    c->hi, vt->ctr, c->merr);
		if (!c->merge)
			return vt_error(c, -EIO, c->merr);
		return next_ordered(c);
	}
	if ((idx_num & PLAN_KEYED) && idx_str && strchr(idx_str, '#') &&
	    (idx_num & 0xff) < argc) {
		rc = filter_keyed(c, strchr(idx_str, '#') + 1,
				  argv[idx_num & 0xff]);
		if (rc < 0)
			return -rc;
		if (rc > 0)
			return SQLITE_OK;
	}
	rc = next_chunk(c);
	if (rc == SQLITE_OK && (idx_num & PLAN_GROUPED))
		rc = fill_group(c, strchr(idx_str, '|') + 1);
	if (rc == SQLITE_OK)
		rc = skip_keys(c);
	return rc;
}

static int vt_next(sqlite3_vtab_cursor *base)
{
	struct vcur *c = (struct vcur *)base;
	int rc;

	if (c->group) {
		c->eof = ++c->pos >= c->end_pos;
		return SQLITE_OK;
	}
	if (c->merge)
		return next_ordered(c);
	if (++c->row >= c->end && (rc = next_chunk(c)) != SQLITE_OK)
		return rc;
	return skip_keys(c);
}

static int vt_eof(sqlite3_vtab_cursor *base)
{
	return ((struct vcur *)base)->eof;
}

/* Hand SQLite the integer-typed value V of field F. */
static void result_int(sqlite3_context *ctx, const struct vtab *vt,
		       const struct ev_field *f, int64_t v)
{
	const char *s;

	switch (f->type) {
	case EVT_ENUM:
		if ((s = ev_enum_name(f, v)))
			sqlite3_result_text(ctx, s, -1, SQLITE_STATIC);
		else if (v)
			sqlite3_result_int64(ctx, v);
		break;
	case EVT_SYSNAME:
		if (v >= 0 && v <= vt->maxnr && vt->names[v])
			sqlite3_result_text(ctx, vt->names[v],
					    vt->name_len[v], SQLITE_STATIC);
		break;
	default:
		sqlite3_result_int64(ctx, v);
		break;
	}
}

static int vt_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int i)
{
	struct vcur *c = (struct vcur *)base;
	struct vtab *vt = (struct vtab *)base->pVtab;
	const struct ev_field *f;
	char err[STORE_ERRLEN];
	int rc;

	if (i < 0 || (unsigned)i >= vt->d->nfields)
		return SQLITE_OK;
	f = &vt->d->fields[i];
	if (c->group) {
		if (vgroup_has(c->group, (unsigned)i))
			result_int(ctx, vt, f,
				   vgroup_int(c->group, (unsigned)i, c->pos));
		return SQLITE_OK;
	}
	rc = store_chunk_column(c->cur, c->chunk, vt->d, (unsigned)i, vt->ctr,
				err);
	if (rc < 0) {
		vt_error(c, rc, err);
		sqlite3_result_error(ctx, err, -1);
		return SQLITE_ERROR;
	}
	if (f->type == EVT_STR) {
		const char *s = chunk_dec_str(c->cur, (unsigned)i, c->row);
		if (s)
			sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
	} else if (f->type == EVT_BLOB) {
		const char *s = chunk_dec_str(c->cur, (unsigned)i, c->row);
		if (s)
			sqlite3_result_blob(ctx, ev_blob_data(s),
					    (int)ev_blob_len(s),
					    SQLITE_TRANSIENT);
	} else {
		result_int(ctx, vt, f, chunk_dec_int(c->cur, (unsigned)i, c->row));
	}
	return SQLITE_OK;
}

static int vt_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
	struct vcur *c = (struct vcur *)base;

	/* Chunk ids come from the file: shift them unsigned. */
	*rowid = c->group ? (sqlite3_int64)c->pos :
			    (sqlite3_int64)((uint64_t)c->chunk << 32 | c->row);
	return SQLITE_OK;
}

static const sqlite3_module vt_module = {
	.iVersion = 0,
	.xCreate = vt_connect, /* eponymous, and in TEMP by store_vtab_list */
	.xConnect = vt_connect,
	.xBestIndex = vt_best_index,
	.xDisconnect = vt_disconnect,
	.xDestroy = vt_disconnect,
	.xOpen = vt_open,
	.xClose = vt_close,
	.xFilter = vt_filter,
	.xNext = vt_next,
	.xEof = vt_eof,
	.xColumn = vt_column,
	.xRowid = vt_rowid,
};

/* kscope_counted(x): blob X with its length in front, as an EVT_BLOB
 * value of an event struct (store/ev.h): how code that reads events
 * through SQL loads a blob column.  NULL stays NULL. */
static void fn_counted(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	int n = sqlite3_value_bytes(argv[0]);
	const void *p = sqlite3_value_blob(argv[0]);
	char *out;

	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	if (!(out = sqlite3_malloc(EV_BLOB_HDR + n))) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	ev_blob_init(out, (uint32_t)n);
	if (n)
		memcpy(out + EV_BLOB_HDR, p, (size_t)n);
	sqlite3_result_blob(ctx, out, EV_BLOB_HDR + n, sqlite3_free);
}

int store_vtab_register(sqlite3 *db, struct store_counters *ctr)
{
	int rc = sqlite3_create_function(db, "kscope_counted", 1,
					 SQLITE_UTF8 | SQLITE_DETERMINISTIC |
					 SQLITE_INNOCUOUS, NULL, fn_counted,
					 NULL, NULL);

	if (rc != SQLITE_OK)
		return rc;
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		struct vaux *a = sqlite3_malloc(sizeof(*a));

		if (!a)
			return SQLITE_NOMEM;
		a->d = ev_desc(k);
		a->ctr = ctr;
		rc = sqlite3_create_module_v2(db, a->d->table, &vt_module, a,
					      sqlite3_free);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

int store_sql_execf(sqlite3 *db, const char *fmt, ...)
{
	va_list ap;
	char *sql;
	int rc;

	va_start(ap, fmt);
	sql = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (!sql)
		return SQLITE_NOMEM;
	rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_free(sql);
	return rc;
}

int store_vtab_list(sqlite3 *db)
{
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		const char *t = ev_desc(k)->table;
		int rc = store_sql_execf(db, "CREATE VIRTUAL TABLE IF NOT EXISTS"
					 " temp.\"%w\" USING \"%w\"", t, t);

		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}
