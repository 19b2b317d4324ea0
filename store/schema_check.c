/*
 * schema_check.c - is a file's SQL schema exactly the format's own?
 *
 *     char why[256];
 *     if (store_schema_check(db, 0, why, sizeof(why)) < 0)
 *             refuse the file: "not a kscope trace: " why
 *
 * A trace's schema is data from another machine, and SQLite acts on it
 * when kscope reads the tables: a generated column computes its value
 * with built-in functions (zeroblob, hex, printf ... are allowed even
 * with untrusted schema off) on every read of the row, an extra index
 * steers the query planner, a view or trigger is code.  So before any
 * statement reads a row, the file's schema is compared with the one
 * SCHEMA_SQL builds in an in-memory database:
 *
 *   1. every object in the file's sqlite_schema is one of ours, of the
 *      same type and on the same table (no views, triggers, extra tables
 *      or indexes, no sqlite_stat1 to bias plans);
 *   2. every object of ours is there;
 *   3. every table has our columns in our order, with our declared type,
 *      NOT NULL, default and primary-key position, and no generated or
 *      hidden column (pragma table_xinfo);
 *   4. every index has our key columns (pragma index_xinfo);
 *   5. the CREATE statement of each object is ours word for word (spacing
 *      aside): this catches what 3 and 4 do not name, such as WITHOUT
 *      ROWID, CHECK constraints or collations.
 *
 * Tables a newer minor version of the format added (SCHEMA_TABLES_1_2)
 * may be missing, with their indexes, and so may the indexes it added on
 * older tables (SCHEMA_INDEXES_1_3): the file was written before them.
 *
 * Steps 3 and 4 only exist to name what is wrong; 5 alone would refuse
 * the same files.  With EXTRA_TABLES (a file of a newer minor version,
 * docs/FORMAT.md), step 1 lets be tables that are not ours and not
 * SQLite's, when none of their columns is generated or hidden, and
 * indexes on them: kscope never reads them.  Reading the schema and the pragmas never evaluates a
 * column.  Returns 0, or -EBADMSG with a phrase in WHY ("table meta has
 * an unexpected column 'value0'"), or -EIO when SQLite itself failed
 * (WHY has its message).
 */
#include "store/store_int.h"
#include "store/schema.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct check {
	sqlite3 *file, *ref;
	int extra_tables; /* a newer minor version's tables are let be */
	char *why;
	size_t len;
};

static int say(struct check *c, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int say(struct check *c, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->why, c->len, fmt, ap);
	va_end(ap);
	return rc;
}

static int sql_failed(struct check *c, sqlite3 *db)
{
	return say(c, -EIO, "%s", sqlite3_errmsg(db));
}

/* A name from the file, for a message: printable ASCII, at most 40
 * bytes, '?' for anything else, "..." when cut. */
static const char *shown(const unsigned char *s, char buf[48])
{
	size_t i = 0;

	if (!s)
		return "(null)";
	for (; s[i] && i < 40; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	buf[i] = '\0';
	if (s[i])
		strcpy(buf + i, "...");
	return buf;
}

/* SQL text with runs of white space made one space, trimmed; malloc'd. */
static char *squeeze(const unsigned char *sql)
{
	size_t n = strlen((const char *)sql), o = 0;
	char *out = malloc(n + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (isspace(sql[i])) {
			if (o && out[o - 1] != ' ')
				out[o++] = ' ';
		} else {
			out[o++] = (char)sql[i];
		}
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

static int text_eq(const unsigned char *a, const unsigned char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp((const char *)a, (const char *)b) == 0;
}

/* With extra_tables: is the file's object TYPE NAME (on table TBL) a
 * table a newer minor version may add (not sqlite_*, not named like an
 * event table or a virtual table SQLite provides, no generated or hidden
 * column), or an index on one?  1 if so; 0, with *RET set when
 * it is refused for a reason of its own. */
static int is_extra(struct check *c, const char *type, const char *name,
		    const char *tbl, int *ret)
{
	sqlite3_stmt *s;
	char b[48];
	int n = -1;

	if (!strncasecmp(tbl, "sqlite_", 7))
		return 0;
	if (!strcmp(type, "index")) {
		if (sqlite3_prepare_v2(c->ref, "SELECT count(*) FROM"
				       " sqlite_schema WHERE name = ?", -1, &s,
				       NULL) != SQLITE_OK) {
			*ret = sql_failed(c, c->ref);
			return 0;
		}
		sqlite3_bind_text(s, 1, tbl, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
		return n == 0; /* not on a table of ours */
	}
	if (strcmp(type, "table"))
		return 0;
	/* A table named like one SQLite or kscope provides would shadow it
	 * (names are looked up in tables first): an event table, or an
	 * eponymous virtual table such as pragma_table_xinfo, which this
	 * check itself reads. */
	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		if (!strcasecmp(name, ev_desc(k)->table))
			return 0;
	char *q = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
	if (!q) {
		*ret = say(c, -ENOMEM, "out of memory");
		return 0;
	}
	int known = sqlite3_prepare_v2(c->ref, q, -1, &s, NULL) == SQLITE_OK;
	sqlite3_finalize(s);
	sqlite3_free(q);
	if (known)
		return 0;
	if (sqlite3_prepare_v2(c->file, "SELECT count(*) FROM"
			       " pragma_table_xinfo(?1, 'main') WHERE hidden"
			       " != 0", -1, &s, NULL) != SQLITE_OK) {
		*ret = sql_failed(c, c->file);
		return 0;
	}
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (n != 0) {
		*ret = say(c, -EBADMSG, "table '%s' has a generated or hidden "
			   "column", shown((const unsigned char *)name, b));
		return 0;
	}
	return 1;
}

/* Is NAME, when one of the LATER objects of TYPE a later minor version
 * added, absent from the file?  1 if so, 0 if not, -1 when SQLite
 * failed. */
static int absent_later(struct check *c, const char *const *later, size_t n,
			const char *type, const char *name)
{
	sqlite3_stmt *s;
	int found = -1;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(name, later[i]))
			continue;
		if (sqlite3_prepare_v2(c->file, "SELECT count(*) FROM"
				       " main.sqlite_schema WHERE type = ?"
				       " AND name = ?", -1, &s, NULL) != SQLITE_OK)
			return -1;
		sqlite3_bind_text(s, 1, type, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(s) == SQLITE_ROW)
			found = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
		return found < 0 ? -1 : found == 0;
	}
	return 0;
}

/* Is the object NAME on table TBL one a later minor version added, a
 * table (SCHEMA_TABLES_1_2, its indexes with it) or an index on an older
 * table (SCHEMA_INDEXES_1_3), that the file does not have?  1 if so, 0 if
 * not, -1 when SQLite failed. */
static int later_absent(struct check *c, const char *name, const char *tbl)
{
	static const char *const tables[] = SCHEMA_TABLES_1_2;
	static const char *const indexes[] = SCHEMA_INDEXES_1_3;
	int r = absent_later(c, tables, sizeof(tables) / sizeof(tables[0]),
			     "table", tbl);

	if (r == 0 && name)
		r = absent_later(c, indexes, sizeof(indexes) /
				 sizeof(indexes[0]), "index", name);
	return r;
}

/* Steps 1 and 2, and 5 for the objects both have. */
static int check_objects(struct check *c)
{
	sqlite3_stmt *f = NULL, *r = NULL;
	char b1[48], b2[48];
	int rc, ret = 0;

	if (sqlite3_prepare_v2(c->file, "SELECT type, name, tbl_name FROM"
			       " main.sqlite_schema ORDER BY rowid", -1, &f,
			       NULL) != SQLITE_OK)
		return sql_failed(c, c->file);
	if (sqlite3_prepare_v2(c->ref, "SELECT type, tbl_name, sql FROM"
			       " sqlite_schema WHERE name = ?", -1, &r,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(f);
		return sql_failed(c, c->ref);
	}
	while (ret == 0 && (rc = sqlite3_step(f)) == SQLITE_ROW) {
		const unsigned char *type = sqlite3_column_text(f, 0);
		const unsigned char *name = sqlite3_column_text(f, 1);
		const unsigned char *tbl = sqlite3_column_text(f, 2);

		sqlite3_reset(r);
		sqlite3_bind_text(r, 1, (const char *)name, -1, SQLITE_STATIC);
		if (sqlite3_step(r) != SQLITE_ROW) {
			if (c->extra_tables && type && name && tbl &&
			    is_extra(c, (const char *)type, (const char *)name,
				     (const char *)tbl, &ret))
				continue;
			if (ret)
				break;
			if (type && !strcmp((const char *)type, "index") &&
			    !text_eq(name, tbl))
				ret = say(c, -EBADMSG, "unexpected index '%s'"
					  " on table '%s'", shown(name, b1),
					  shown(tbl, b2));
			else
				ret = say(c, -EBADMSG, "unexpected %s '%s'",
					  shown(type, b1), shown(name, b2));
			break;
		}
		const unsigned char *rtype = sqlite3_column_text(r, 0);
		if (!text_eq(type, rtype)) {
			ret = say(c, -EBADMSG, "'%s' is a %s, not a %s",
				  shown(name, b1), shown(type, b2),
				  (const char *)rtype);
			break;
		}
		if (!text_eq(tbl, sqlite3_column_text(r, 1))) {
			ret = say(c, -EBADMSG, "%s '%s' is on table '%s', not "
				  "'%s'", (const char *)rtype, shown(name, b1),
				  shown(tbl, b2), sqlite3_column_text(r, 1));
			break;
		}
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = sql_failed(c, c->file);
	sqlite3_finalize(f);
	sqlite3_finalize(r);
	if (ret)
		return ret;

	/* step 2: ours, all there */
	if (sqlite3_prepare_v2(c->ref, "SELECT type, name, tbl_name FROM"
			       " sqlite_schema ORDER BY rowid", -1, &r,
			       NULL) != SQLITE_OK)
		return sql_failed(c, c->ref);
	if (sqlite3_prepare_v2(c->file, "SELECT count(*) FROM"
			       " main.sqlite_schema WHERE name = ?", -1, &f,
			       NULL) != SQLITE_OK) {
		sqlite3_finalize(r);
		return sql_failed(c, c->file);
	}
	while (ret == 0 && sqlite3_step(r) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(r, 1);
		int later = later_absent(c, name, (const char *)
					 sqlite3_column_text(r, 2));

		if (later > 0)
			continue;
		sqlite3_reset(f);
		sqlite3_bind_text(f, 1, name, -1, SQLITE_STATIC);
		if (later < 0 || sqlite3_step(f) != SQLITE_ROW)
			ret = sql_failed(c, c->file);
		else if (sqlite3_column_int(f, 0) != 1)
			ret = say(c, -EBADMSG, "%s %s is missing",
				  (const char *)sqlite3_column_text(r, 0), name);
	}
	sqlite3_finalize(f);
	sqlite3_finalize(r);
	return ret;
}

/* Prepare SQL on DB into *S; nonzero with the message in c->why. */
static int prep(struct check *c, sqlite3 *db, const char *sql,
		sqlite3_stmt **s)
{
	if (sqlite3_prepare_v2(db, sql, -1, s, NULL) == SQLITE_OK)
		return 0;
	return sql_failed(c, db);
}

#define XINFO_COLS "name, type, \"notnull\", dflt_value, pk, hidden"

/* Step 3 for table T (one of ours, present in the file). */
static int check_columns(struct check *c, const char *t)
{
	sqlite3_stmt *f = NULL, *r = NULL, *fa = NULL, *rn = NULL;
	char b1[48], b2[48];
	int ret = 0;

	if (prep(c, c->file, "SELECT " XINFO_COLS " FROM pragma_table_xinfo(?1,"
		 " 'main')", &f) || prep(c, c->ref, "SELECT " XINFO_COLS " FROM"
		 " pragma_table_xinfo(?1)", &r) || prep(c, c->ref, "SELECT"
		 " count(*) FROM pragma_table_xinfo(?1) WHERE name = ?2", &rn) ||
	    prep(c, c->file, "SELECT count(*) FROM pragma_table_xinfo(?1,"
		 " 'main') WHERE name = ?2", &fa)) {
		ret = -EIO;
		goto out;
	}
	sqlite3_bind_text(f, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(r, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(rn, 1, t, -1, SQLITE_STATIC);
	sqlite3_bind_text(fa, 1, t, -1, SQLITE_STATIC);

	/* the file's columns: none generated or hidden, none unknown */
	while (ret == 0 && sqlite3_step(f) == SQLITE_ROW) {
		const unsigned char *name = sqlite3_column_text(f, 0);
		int hidden = sqlite3_column_int(f, 5);

		if (hidden == 2 || hidden == 3) {
			ret = say(c, -EBADMSG, "table %s has a generated "
				  "column '%s'", t, shown(name, b1));
			break;
		}
		if (hidden) {
			ret = say(c, -EBADMSG, "table %s has a hidden column"
				  " '%s'", t, shown(name, b1));
			break;
		}
		sqlite3_reset(rn);
		sqlite3_bind_text(rn, 2, (const char *)name, -1,
				  SQLITE_STATIC);
		if (sqlite3_step(rn) == SQLITE_ROW &&
		    sqlite3_column_int(rn, 0) == 0)
			ret = say(c, -EBADMSG, "table %s has an unexpected "
				  "column '%s'", t, shown(name, b1));
	}
	/* ours: all there, in place, declared alike */
	sqlite3_reset(f);
	for (int i = 0; ret == 0 && sqlite3_step(r) == SQLITE_ROW; i++) {
		const char *name = (const char *)sqlite3_column_text(r, 0);

		sqlite3_reset(fa);
		sqlite3_bind_text(fa, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(fa) == SQLITE_ROW &&
		    sqlite3_column_int(fa, 0) == 0) {
			ret = say(c, -EBADMSG, "table %s lacks its column "
				  "'%s'", t, name);
			break;
		}
		if (sqlite3_step(f) != SQLITE_ROW ||
		    !text_eq(sqlite3_column_text(f, 0),
			     sqlite3_column_text(r, 0))) {
			ret = say(c, -EBADMSG, "column %s.%s is out of place",
				  t, name);
			break;
		}
		if (!text_eq(sqlite3_column_text(f, 1),
			     sqlite3_column_text(r, 1))) {
			ret = say(c, -EBADMSG, "column %s.%s has type '%s', "
				  "not '%s'", t, name,
				  shown(sqlite3_column_text(f, 1), b2),
				  sqlite3_column_text(r, 1));
			break;
		}
		for (int k = 2; k <= 4; k++)
			if (!text_eq(sqlite3_column_text(f, k),
				     sqlite3_column_text(r, k)))
				ret = say(c, -EBADMSG, "column %s.%s is not "
					  "declared as the format declares it "
					  "(%s)", t, name, k == 2 ? "NOT NULL" :
					  k == 3 ? "default" : "primary key");
	}
out:
	sqlite3_finalize(f);
	sqlite3_finalize(r);
	sqlite3_finalize(rn);
	sqlite3_finalize(fa);
	return ret;
}

/* Step 4 for index I: the key columns as one string each side. */
static int check_index(struct check *c, const char *i)
{
	static const char sql[] = "SELECT group_concat(seqno || ':' || cid ||"
		" ':' || ifnull(name, '') || ':' || \"desc\" || ':' ||"
		" ifnull(coll, '') || ':' || \"key\", ',') FROM"
		" pragma_index_xinfo(?1%s)";
	sqlite3_stmt *s[2] = { 0 };
	char q[256];
	int ret = 0;

	for (int k = 0; k < 2; k++) {
		sqlite3 *db = k ? c->ref : c->file;

		snprintf(q, sizeof(q), sql, k ? "" : ", 'main'");
		if (sqlite3_prepare_v2(db, q, -1, &s[k], NULL) != SQLITE_OK ||
		    (sqlite3_bind_text(s[k], 1, i, -1, SQLITE_STATIC),
		     sqlite3_step(s[k])) != SQLITE_ROW) {
			ret = sql_failed(c, db);
			goto out;
		}
	}
	if (!text_eq(sqlite3_column_text(s[0], 0),
		     sqlite3_column_text(s[1], 0)))
		ret = say(c, -EBADMSG, "index %s does not have the format's "
			  "key columns", i);
out:
	sqlite3_finalize(s[0]);
	sqlite3_finalize(s[1]);
	return ret;
}

/* Steps 3, 4 and 5 over our objects. */
static int check_definitions(struct check *c)
{
	sqlite3_stmt *r = NULL, *f = NULL;
	int ret = 0;

	if (sqlite3_prepare_v2(c->ref, "SELECT type, name, sql, tbl_name FROM"
			       " sqlite_schema ORDER BY rowid", -1, &r,
			       NULL) != SQLITE_OK)
		return sql_failed(c, c->ref);
	if (sqlite3_prepare_v2(c->file, "SELECT sql FROM main.sqlite_schema"
			       " WHERE name = ?", -1, &f, NULL) != SQLITE_OK) {
		sqlite3_finalize(r);
		return sql_failed(c, c->file);
	}
	while (ret == 0 && sqlite3_step(r) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(r, 0);
		const char *name = (const char *)sqlite3_column_text(r, 1);
		const unsigned char *rsql = sqlite3_column_text(r, 2);
		int later = later_absent(c, name, (const char *)
					 sqlite3_column_text(r, 3));

		if (later < 0) {
			ret = sql_failed(c, c->file);
			break;
		}
		if (later)
			continue;
		ret = !strcmp(type, "table") ? check_columns(c, name) :
		      check_index(c, name);
		if (ret)
			break;
		sqlite3_reset(f);
		sqlite3_bind_text(f, 1, name, -1, SQLITE_STATIC);
		if (sqlite3_step(f) != SQLITE_ROW) {
			ret = sql_failed(c, c->file);
			break;
		}
		const unsigned char *fsql = sqlite3_column_text(f, 0);
		char *a = fsql ? squeeze(fsql) : NULL;
		char *b = rsql ? squeeze(rsql) : NULL;
		if ((fsql && !a) || (rsql && !b))
			ret = say(c, -ENOMEM, "out of memory");
		else if (!text_eq((unsigned char *)a, (unsigned char *)b))
			ret = say(c, -EBADMSG, "%s %s is not declared as the "
				  "format declares it", type, name);
		free(a);
		free(b);
	}
	sqlite3_finalize(r);
	sqlite3_finalize(f);
	return ret;
}

int store_schema_check(sqlite3 *db, int extra_tables, char *why, size_t len)
{
	struct check c = { .file = db, .extra_tables = extra_tables,
			   .why = why, .len = len };
	int ret;

	if (sqlite3_open_v2(":memory:", &c.ref, SQLITE_OPEN_READWRITE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(c.ref, SCHEMA_SQL, NULL, NULL, NULL) != SQLITE_OK) {
		ret = say(&c, -ENOMEM, "%s", c.ref ? sqlite3_errmsg(c.ref) :
			  "out of memory");
		sqlite3_close(c.ref);
		return ret;
	}
	ret = check_objects(&c);
	if (ret == 0)
		ret = check_definitions(&c);
	sqlite3_close(c.ref);
	return ret;
}
