/*
 * chexport.c - a trace as files ClickHouse loads (export.h,
 * docs/FLEET.md).
 *
 *     export_clickhouse(st, &o, "out-dir", "web1.kscope", err, sizeof(err));
 *     sh out-dir/load.sh --host ch1 --database fleet
 *
 * DIR gets, for every table, TABLE.sql (a CREATE TABLE IF NOT EXISTS of
 * the MergeTree family) and TABLE.tsv (TabSeparatedWithNames), and
 * load.sh, which runs clickhouse-client over them.  Every row starts with
 * host (meta host, '' when the trace has none) and trace (the name the
 * caller gives: the file's base name).
 *
 * Event tables (ev_kinds.h) keep their fields in column order, typed by
 * their ev_type, with wall_ns (ts + meta clock_offset_ns, NULL when the
 * trace has no offset) at the end, ORDER BY (host, ts); the window and the
 * filter apply as in the CSV export.  Every other plain table of the file
 * but the chunk store itself (processes, threads, lost, meta, shed ...)
 * is written whole, typed from its declared types, ORDER BY (host, ts)
 * when it has a ts column and (host, its primary key) otherwise.
 *
 * The types and the syntax are those ClickHouse 18.16 (Debian 12) and
 * current releases both accept: no LowCardinality, no DateTime64, no
 * Nullable in a sorting key, `ENGINE = MergeTree ORDER BY (...)`.
 *
 * TSV escaping is exact for any bytes: backslash, tab, newline, carriage
 * return, NUL, backspace and form feed are written as \\ \t \n \r \0 \b \f,
 * every other byte as it is; NULL is \N.
 */
#include "config.h"
#include "analyze/export/export.h"
#include "analyze/output/outfile.h"
#include "analyze/output/textesc.h"
#include "analyze/replay/evbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The characters of the table and column names exported: they name
 * files and go unquoted into load.sh, and quoted into SQL. */
#define CH_NAME_CHARS "abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

/* How a value of a column is written. */
enum ch_val {
	CH_INT,    /* signed 64-bit as SQLite has it */
	CH_UINT,   /* the same bits, unsigned (U64 and U32 fields) */
	CH_BYTES,  /* text or blob, escaped */
};

struct ch_col {
	char *name;        /* malloc'd */
	const char *type;  /* ClickHouse type, without Nullable */
	enum ch_val val;
	int nullable;
};

struct ch_table {
	const char *name;
	struct ch_col *cols;
	size_t ncols;
	char *order;       /* the ORDER BY list, malloc'd */
	int wall;          /* append wall_ns from the ts column (index 0) */
};

struct ch_ctx {
	struct store *st;
	const struct export_opts *o;
	int dfd;
	const char *host;  /* escaped for TSV */
	const char *trace; /* escaped for TSV */
	int have_off;
	int64_t off;
	uint64_t rows;
	char *err;
	size_t len;
};

static void ch_table_free(struct ch_table *t)
{
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i].name);
	free(t->cols);
	free(t->order);
}

static int ch_add(struct ch_table *t, const char *name, const char *type,
		  enum ch_val val, int nullable)
{
	struct ch_col *c = realloc(t->cols, (t->ncols + 1) * sizeof(*c));

	if (!c)
		return -ENOMEM;
	t->cols = c;
	c += t->ncols;
	if (!(c->name = strdup(name)))
		return -ENOMEM;
	c->type = type;
	c->val = val;
	c->nullable = nullable;
	t->ncols++;
	return 0;
}

/* The ClickHouse type of each integer ev_type; every other type (text,
 * blob, and enums and syscall names, which read as names) is
 * Nullable(String). */
static const struct {
	const char *type;
	enum ch_val val;
} ch_int_types[] = {
	[EVT_U32] = { "UInt32", CH_UINT },
	[EVT_I32] = { "Int32", CH_INT },
	[EVT_U64] = { "UInt64", CH_UINT },
	[EVT_I64] = { "Int64", CH_INT },
};

/* The columns of event kind D. */
static int ch_event_table(const struct ev_desc *d, struct ch_table *t)
{
	for (unsigned i = 0; i < d->nfields; i++) {
		enum ev_type ty = d->fields[i].type;
		int isint = (size_t)ty < sizeof(ch_int_types) /
					 sizeof(ch_int_types[0]) &&
			    ch_int_types[ty].type;
		int rc = ch_add(t, d->fields[i].name,
				isint ? ch_int_types[ty].type : "String",
				isint ? ch_int_types[ty].val : CH_BYTES,
				!isint);

		if (rc < 0)
			return rc;
	}
	t->name = d->table;
	t->wall = 1;
	return (t->order = strdup("`host`, `ts`")) ? 0 : -ENOMEM;
}

/* The columns of plain table NAME, from its declaration. */
static int ch_plain_table(sqlite3 *db, const char *name, struct ch_table *t,
			  char *err, size_t len)
{
	sqlite3_stmt *s;
	sqlite3_str *key = sqlite3_str_new(db);
	char *sql = sqlite3_mprintf("SELECT name, type, \"notnull\", pk FROM "
				    "pragma_table_info(%Q, 'main') ORDER BY cid",
				    name);
	int have_ts = 0, rc = 0;

	t->name = name;
	if (!sql || sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		sqlite3_free(sql);
		sqlite3_free(sqlite3_str_finish(key));
		return -ENOMEM;
	}
	sqlite3_free(sql);
	while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(s, 0);
		const char *decl = (const char *)sqlite3_column_text(s, 1);
		int pk = sqlite3_column_int(s, 3) > 0;
		/* SQLite's rule: a declared type with INT has integers */
		int isint = decl && !sqlite3_strlike("%INT%", decl, 0);

		if (!col || !*col || col[strspn(col, CH_NAME_CHARS)] ||
		    !strcmp(col, "host") || !strcmp(col, "trace")) {
			snprintf(err, len, "table '%s': cannot export a "
				 "column named '%s'", name,
				 TEXTESC_Q(col ? col : ""));
			rc = -EINVAL;
			break;
		}
		/* Key columns (ts, or the primary key) are never Nullable */
		have_ts |= !strcmp(col, "ts");
		rc = ch_add(t, col, isint ? "Int64" : "String",
			    isint ? CH_INT : CH_BYTES,
			    !pk && strcmp(col, "ts") &&
			    !sqlite3_column_int(s, 2));
	}
	sqlite3_finalize(s);
	/* Primary key columns, in key order. */
	sql = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q, 'main') "
			      "WHERE pk > 0 ORDER BY pk", name);
	if (rc == 0 && sql &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
		sqlite3_str_appendall(key, "`host`");
		if (have_ts)
			sqlite3_str_appendall(key, ", `ts`");
		while (!have_ts && sqlite3_step(s) == SQLITE_ROW)
			sqlite3_str_appendf(key, ", `%s`",
					    sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_free(sql);
	sql = sqlite3_str_finish(key);
	if (rc == 0 && (!sql || !(t->order = strdup(sql))))
		rc = -ENOMEM;
	sqlite3_free(sql);
	return rc;
}

/* Append BYTES escaped for a TSV field. */
static void ch_escape(struct evbuf *b, const unsigned char *p, size_t n)
{
	static const char esc[] = { ['\\'] = '\\', ['\t'] = 't',
				    ['\n'] = 'n', ['\r'] = 'r', ['\0'] = '0',
				    ['\b'] = 'b', ['\f'] = 'f' };
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		if (p[i] >= sizeof(esc) || (!esc[p[i]] && p[i]))
			continue;
		evbuf_add(b, (const char *)p + run, i - run);
		evbuf_addc(b, '\\');
		evbuf_addc(b, esc[p[i]]);
		run = i + 1;
	}
	evbuf_add(b, (const char *)p + run, n - run);
}

/* A file NAME in the export directory, opened for writing. */
static FILE *ch_create(struct ch_ctx *c, const char *name, mode_t mode)
{
	int fd = openat(c->dfd, name, O_WRONLY | O_CREAT | O_EXCL |
			O_NOFOLLOW | O_CLOEXEC, mode);
	FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!fp) {
		snprintf(c->err, c->len, "cannot create '%s': %s",
			 TEXTESC_Q(name), strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return fp;
}

static int ch_close(struct ch_ctx *c, FILE *fp, const char *name, int rc)
{
	if (ferror(fp) && rc == 0)
		rc = -EIO;
	if (fclose(fp) == EOF && rc == 0)
		rc = errno ? -errno : -EIO;
	if (rc < 0 && rc != -ENOMEM && rc != -EBADMSG && !c->err[0])
		snprintf(c->err, c->len, "cannot write '%s': %s",
			 TEXTESC_Q(name), strerror(-rc));
	return rc;
}

/* TABLE.sql: its CREATE TABLE. */
static int ch_write_schema(struct ch_ctx *c, const struct ch_table *t)
{
	char file[128];
	FILE *fp;

	snprintf(file, sizeof(file), "%s.sql", t->name);
	if (!(fp = ch_create(c, file, 0600)))
		return -errno;
	fprintf(fp, "CREATE TABLE IF NOT EXISTS `%s`\n(\n"
		"    `host` String,\n    `trace` String", t->name);
	for (size_t i = 0; i < t->ncols; i++)
		fprintf(fp, ",\n    `%s` %s%s%s", t->cols[i].name,
			t->cols[i].nullable ? "Nullable(" : "",
			t->cols[i].type, t->cols[i].nullable ? ")" : "");
	if (t->wall)
		fputs(",\n    `wall_ns` Nullable(Int64)", fp);
	fprintf(fp, "\n)\nENGINE = MergeTree\nORDER BY (%s);\n", t->order);
	return ch_close(c, fp, file, 0);
}

/* One row of S (columns as T says) onto B. */
static void ch_row(struct ch_ctx *c, const struct ch_table *t,
		   sqlite3_stmt *s, struct evbuf *b)
{
	evbuf_adds(b, c->host);
	evbuf_addc(b, '\t');
	evbuf_adds(b, c->trace);
	for (size_t i = 0; i < t->ncols; i++) {
		int type = sqlite3_column_type(s, (int)i);
		int64_t v;

		evbuf_addc(b, '\t');
		if (type == SQLITE_NULL) {
			evbuf_adds(b, "\\N");
			continue;
		}
		if (t->cols[i].val == CH_BYTES) {
			const void *p = sqlite3_column_blob(s, (int)i);

			ch_escape(b, p, (size_t)sqlite3_column_bytes(s, (int)i));
			continue;
		}
		v = sqlite3_column_int64(s, (int)i);
		if (t->cols[i].val == CH_UINT)
			evbuf_addu(b, (uint64_t)v);
		else
			evbuf_addi(b, v);
	}
	if (t->wall) {
		evbuf_addc(b, '\t');
		if (c->have_off)
			evbuf_addi(b, (int64_t)((uint64_t)sqlite3_column_int64(
				s, 0) + (uint64_t)c->off));
		else
			evbuf_adds(b, "\\N");
	}
	evbuf_addc(b, '\n');
}

/* TABLE.tsv: the rows of SQL (bound to the window when it has two
 * parameters); *EVENTS, when not NULL, counts them. */
static int ch_write_data(struct ch_ctx *c, const struct ch_table *t,
			 const char *sql, uint64_t *events)
{
	sqlite3 *db = store_db(c->st);
	struct evbuf b = EVBUF_INIT;
	sqlite3_stmt *s;
	char file[128];
	FILE *fp;
	int rc = 0, step;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(c->err, c->len, "%s: %s", t->name,
			 sqlite3_errmsg(db));
		return -EINVAL;
	}
	if (sqlite3_bind_parameter_count(s) >= 2) {
		sqlite3_bind_int64(s, 1, c->o->from > INT64_MAX ? INT64_MAX :
				   (int64_t)c->o->from);
		sqlite3_bind_int64(s, 2, c->o->to > INT64_MAX ? INT64_MAX :
				   (int64_t)c->o->to);
	}
	snprintf(file, sizeof(file), "%s.tsv", t->name);
	if (!(fp = ch_create(c, file, 0600))) {
		rc = -errno;
		sqlite3_finalize(s);
		return rc;
	}
	evbuf_adds(&b, "host\ttrace");
	for (size_t i = 0; i < t->ncols; i++) {
		evbuf_addc(&b, '\t');
		evbuf_adds(&b, t->cols[i].name);
	}
	evbuf_adds(&b, t->wall ? "\twall_ns\n" : "\n");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		ch_row(c, t, s, &b);
		c->rows++;
		if (events)
			(*events)++;
		if (b.len >= 65536) {
			if (fwrite(b.p, 1, b.len, fp) != b.len)
				break;
			b.len = 0;
			progress_update(c->o->progress, c->rows, c->rows);
		}
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		snprintf(c->err, c->len, "%s", sqlite3_errmsg(db));
		rc = -EBADMSG;
	} else if (b.oom) {
		snprintf(c->err, c->len, "out of memory");
		rc = -ENOMEM;
	} else if (b.len && fwrite(b.p, 1, b.len, fp) != b.len) {
		rc = errno ? -errno : -EIO;
	}
	sqlite3_finalize(s);
	evbuf_free(&b);
	return ch_close(c, fp, file, rc);
}

/* One table: its schema and its data. */
static int ch_table(struct ch_ctx *c, struct ch_table *t, const char *sql,
		    uint64_t *events, FILE *load)
{
	int rc = ch_write_schema(c, t);

	if (rc == 0)
		rc = ch_write_data(c, t, sql, events);
	if (rc == 0)
		fprintf(load, "load %s \"$@\"\n", t->name);
	return rc;
}

/* S escaped for a TSV field (malloc'd), "" for NULL; NULL without
 * memory. */
static char *ch_field(const char *s)
{
	struct evbuf b = EVBUF_INIT;
	char *out;

	if (s)
		ch_escape(&b, (const unsigned char *)s, strlen(s));
	evbuf_addc(&b, '\0');
	out = b.oom ? NULL : strdup(b.p);
	evbuf_free(&b);
	return out;
}

static const char load_head[] =
"#!/bin/sh\n"
"# load.sh - load this kscope export into ClickHouse (docs/FLEET.md).\n"
"#\n"
"#     sh load.sh [clickhouse-client options]\n"
"#     sh load.sh --host ch1 --port 9000 --database fleet\n"
"#     CLICKHOUSE_CLIENT='clickhouse client' sh load.sh\n"
"#\n"
"# Creates each table unless it exists, then appends this trace's rows.\n"
"set -eu\n"
"cd \"$(dirname \"$0\")\"\n"
"client=${CLICKHOUSE_CLIENT:-clickhouse-client}\n"
"load() {\n"
"\tt=$1\n"
"\tshift\n"
"\t$client \"$@\" --query \"$(cat \"$t.sql\")\"\n"
"\t$client \"$@\" \\\n"
"\t\t--query \"INSERT INTO \\`$t\\` FORMAT TabSeparatedWithNames\" \\\n"
"\t\t< \"$t.tsv\"\n"
"}\n";

int export_clickhouse(struct store *st, const struct export_opts *o,
		      const char *dir, const char *trace, char *err, size_t len)
{
	sqlite3 *db = store_db(st);
	struct ch_ctx c = { .st = st, .o = o, .err = err, .len = len };
	const char *off = store_meta(st, "clock_offset_ns");
	char *host = ch_field(store_meta(st, "host"));
	char *name = ch_field(trace);
	struct outfile of;
	sqlite3_stmt *s = NULL;
	char **plain = NULL;
	size_t nplain = 0;
	FILE *load = NULL;
	int rc;

	err[0] = '\0';
	if (!host || !name) {
		rc = -ENOMEM;
		snprintf(err, len, "out of memory");
		goto out;
	}
	c.host = host;
	c.trace = name;
	if (off && *off) {
		char *end;

		errno = 0;
		c.off = strtoll(off, &end, 10);
		c.have_off = !errno && !*end;
	}
	if ((rc = outfile_create(&of, dir, 1, o->force, err, len)) < 0)
		goto out;
	c.dfd = of.fd;
	if (!(load = ch_create(&c, "load.sh", 0700))) {
		rc = -errno;
		goto done;
	}
	fputs(load_head, load);
	if (o->events)
		*o->events = 0;
	for (unsigned k = 0; k < EV_KIND_COUNT && rc == 0; k++) {
		const struct ev_desc *d = ev_desc(k);
		struct ch_table t = { 0 };
		char *sql = export_kind_sql(d, o->filter, "*");

		rc = sql ? ch_event_table(d, &t) : -ENOMEM;
		if (rc == 0)
			rc = ch_table(&c, &t, sql, o->events, load);
		else
			snprintf(err, len, "out of memory");
		ch_table_free(&t);
		sqlite3_free(sql);
	}
	/* The plain tables, but the chunk store's own; a name that is not a
	 * plain identifier (none kscope writes) is left out. */
	if (rc == 0 && sqlite3_prepare_v2(db, "SELECT name FROM main."
		"sqlite_master WHERE type = 'table' AND name NOT IN "
		"('chunks', 'chunk_data') AND name NOT LIKE 'sqlite!_%' "
		"ESCAPE '!' AND name GLOB '[A-Za-z_]*' AND name NOT GLOB "
		"'*[^A-Za-z0-9_]*' ORDER BY name", -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, len, "%s", sqlite3_errmsg(db));
		rc = -EINVAL;
	}
	while (rc == 0 && sqlite3_step(s) == SQLITE_ROW) {
		char **p = realloc(plain, (nplain + 1) * sizeof(*p));

		if (!p || !(p[nplain] = strdup((const char *)
					       sqlite3_column_text(s, 0)))) {
			plain = p ? p : plain;
			rc = -ENOMEM;
			snprintf(err, len, "out of memory");
			break;
		}
		plain = p;
		nplain++;
	}
	sqlite3_finalize(s);
	for (size_t i = 0; i < nplain && rc == 0; i++) {
		struct ch_table t = { 0 };
		char *sql = sqlite3_mprintf("SELECT * FROM main.\"%w\"",
					    plain[i]);

		rc = sql ? ch_plain_table(db, plain[i], &t, err, len) :
			   -ENOMEM;
		if (rc == 0)
			rc = ch_table(&c, &t, sql, NULL, load);
		else if (rc == -ENOMEM)
			snprintf(err, len, "out of memory");
		ch_table_free(&t);
		sqlite3_free(sql);
	}
	rc = ch_close(&c, load, "load.sh", rc);
done:
	close(c.dfd);
	if (rc < 0)
		outfile_abort(&of);
	else
		rc = outfile_commit(&of, err, len);
out:
	for (size_t i = 0; i < nplain; i++)
		free(plain[i]);
	free(plain);
	free(host);
	free(name);
	return rc;
}
