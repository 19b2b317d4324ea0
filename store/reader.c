/*
 * reader.c - open a trace for analysis (store_open) and answer what the
 * open trace holds (meta, counters, per-kind statistics).  Chunks are read
 * by chunkio.c.
 *
 * Trace files come from other machines and are untrusted: the connection
 * is read-only, in defensive mode, with untrusted schema off and no
 * extension loading, and every check below ends in one sentence that says
 * what is wrong with the file ("cannot open 'x': not a kscope trace").
 */
#include "store/store_int.h"
#include "store/chunkio.h"
#include "store/store_sql.h"
#include "store/systab.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct store *open_fail(struct store *st, char err[STORE_ERRLEN],
			       const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static struct store *open_fail(struct store *st, char err[STORE_ERRLEN],
			       const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, STORE_ERRLEN, "cannot open '%s': ", path);

	if (n < 0 || n >= STORE_ERRLEN)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(err + n, STORE_ERRLEN - (size_t)n, fmt, ap);
	va_end(ap);
	store_close(st);
	return NULL;
}

/* A file worth handing to SQLite: exists, regular, not empty. */
static int check_file(const char *path, char *why, size_t len)
{
	char wal[4096];
	struct stat sb;

	if (stat(path, &sb) < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	if (S_ISDIR(sb.st_mode)) {
		snprintf(why, len, "is a directory");
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(why, len, "not a regular file");
		return -1;
	}
	if (access(path, R_OK) < 0) {
		snprintf(why, len, "%s", strerror(errno));
		return -1;
	}
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (sb.st_size == 0 && access(wal, F_OK) < 0) {
		snprintf(why, len, "the file is empty");
		return -1;
	}
	if (sb.st_size > 0 && sb.st_size < 512) {
		snprintf(why, len, "not a kscope trace (too short to be one)");
		return -1;
	}
	return 0;
}

/* One integer from SQL, or -1 with *RC set to the SQLite error. */
static int64_t query_int(sqlite3 *db, const char *sql, int *rc)
{
	sqlite3_stmt *s;
	int64_t v = -1;

	*rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (*rc != SQLITE_OK)
		return -1;
	*rc = sqlite3_step(s);
	if (*rc == SQLITE_ROW) {
		v = sqlite3_column_int64(s, 0);
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return v;
}

/* PRAGMA integrity_check of the chunks table and its index: 1 if "ok";
 * 0 otherwise, with *RC set when SQLite itself failed. */
static int chunk_index_ok(sqlite3 *db, int *rc)
{
	sqlite3_stmt *s;
	int ok = 0;

	*rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check(chunks)", -1, &s,
				 NULL);
	if (*rc != SQLITE_OK)
		return 0;
	*rc = sqlite3_step(s);
	if (*rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(s, 0);
		ok = r && strcmp(r, "ok") == 0;
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	return ok;
}

static int load_meta(struct store *st)
{
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(st->db, "SELECT key, value FROM meta",
				    -1, &s, NULL);

	if (rc != SQLITE_OK)
		return rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(s, 0);
		const char *v = (const char *)sqlite3_column_text(s, 1);
		struct store_meta_kv *m;

		if (!k)
			continue;
		m = realloc(st->meta, (st->nmeta + 1) * sizeof(*m));
		if (!m) {
			rc = SQLITE_NOMEM;
			break;
		}
		st->meta = m;
		m[st->nmeta].key = strdup(k);
		m[st->nmeta].value = v ? strdup(v) : NULL;
		st->nmeta++;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Bytes of PATH and its -wal: what the cost budget scales with. */
static uint64_t trace_bytes(const char *path)
{
	char wal[4096];
	struct stat sb;
	uint64_t n = 0;

	if (stat(path, &sb) == 0)
		n += (uint64_t)sb.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (stat(wal, &sb) == 0)
		n += (uint64_t)sb.st_size;
	return n;
}

/* The header's format version (PRAGMA user_version, which the writer
 * sets to the major version): 0, or -1 with WHY set. */
static int check_user_version(sqlite3 *db, char *why, size_t len)
{
	int rc;
	int64_t uv = query_int(db, "PRAGMA user_version", &rc);

	if (rc != SQLITE_OK)
		snprintf(why, len, "%s", store_sql_reason(rc, db));
	else if (uv > STORE_FORMAT_MAJOR && uv < 1000000)
		snprintf(why, len, "trace format %d.x is newer than this "
			 "kscope reads (%d.x); upgrade kscope", (int)uv,
			 STORE_FORMAT_MAJOR);
	else if (uv != STORE_FORMAT_MAJOR)
		snprintf(why, len, "not a kscope trace (its header says "
			 "format %lld, not %d)", (long long)uv,
			 STORE_FORMAT_MAJOR);
	else
		return 0;
	return -1;
}

/* meta's format_version: exactly MAJOR.MINOR, each 1 to 9 digits, major
 * at least 1 and not past ours.  0, or -1 with WHY set. */
static int check_format_version(const char *ver, char *why, size_t len)
{
	unsigned long major;
	const char *p = ver;
	size_t a = 0, b = 0;

	if (!ver) {
		snprintf(why, len, "not a kscope trace (no format version)");
		return -1;
	}
	while (p[a] >= '0' && p[a] <= '9')
		a++;
	if (p[a] == '.')
		while (p[a + 1 + b] >= '0' && p[a + 1 + b] <= '9')
			b++;
	if (a < 1 || a > 9 || p[a] != '.' || b < 1 || b > 9 ||
	    p[a + 1 + b] != '\0') {
		char shown[24 * 4 + 4];
		size_t i, n = 0;

		/* At most 24 bytes of it, anything but printable ASCII as
		 * \xNN: the file's bytes never reach a terminal raw. */
		for (i = 0; ver[i] && i < 24; i++) {
			unsigned char c = (unsigned char)ver[i];

			if (c >= 0x20 && c < 0x7f && c != '\\')
				shown[n++] = (char)c;
			else
				n += (size_t)snprintf(shown + n, 5, "\\x%02x", c);
		}
		strcpy(shown + n, ver[i] ? "..." : "");
		snprintf(why, len, "not a kscope trace (format version '%s' "
			 "is not MAJOR.MINOR)", shown);
		return -1;
	}
	major = strtoul(ver, NULL, 10);
	if (major == 0) {
		snprintf(why, len, "not a kscope trace (format version %s)",
			 ver);
		return -1;
	}
	if (major > STORE_FORMAT_MAJOR) {
		snprintf(why, len, "trace format %s is newer than this kscope "
			 "reads (%d.x); upgrade kscope", ver,
			 STORE_FORMAT_MAJOR);
		return -1;
	}
	return 0;
}

/* store_schema_check, its message made a reason for open_fail: 0 or 1. */
static int schema_fail(struct store *st, int extra_tables, char *why,
		       size_t len)
{
	char what[200];
	int rc = store_schema_check(st->db, extra_tables, what, sizeof(what));

	if (rc == 0)
		return 0;
	snprintf(why, len, "%s%s", rc == -EBADMSG ? "not a kscope trace: " :
		 "", what);
	return 1;
}

struct store *store_open(const char *path, char err[STORE_ERRLEN])
{
	struct store *st;
	char why[256];
	int rc, on = 1, off = 0;

	if (check_file(path, why, sizeof(why)) < 0)
		return open_fail(NULL, err, path, "%s", why);
	st = calloc(1, sizeof(*st));
	if (!st || !(st->path = strdup(path)))
		return open_fail(st, err, path, "out of memory");

	rc = store_ropen(path, &st->db, &st->recorder, why, sizeof(why));
	if (rc != SQLITE_OK)
		return open_fail(st, err, path, "%s", why[0] ? why :
				 store_sql_reason(rc, st->db));
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, on, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, off,
			  NULL);
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, off, NULL);
	sqlite3_busy_timeout(st->db, 2000);
	store_limits_init(st, trace_bytes(path));

	int64_t app = query_int(st->db, "PRAGMA application_id", &rc);
	if (rc != SQLITE_OK)
		return open_fail(st, err, path, "%s", store_sql_reason(rc, st->db));
	if (app != STORE_APPLICATION_ID)
		return open_fail(st, err, path, "not a kscope trace");
	if (check_user_version(st->db, why, sizeof(why)) < 0)
		return open_fail(st, err, path, "%s", why);
	/* Before any statement reads a row: the schema is the format's, so
	 * no generated column computes, no view or trigger exists, no extra
	 * index steers a plan, no table shadows an event table.  Tables a
	 * newer minor version may add are let be until meta says which
	 * version this is (below). */
	if (schema_fail(st, 1, why, sizeof(why)))
		return open_fail(st, err, path, "%s", why);
	/* Scans trust the chunk index (and chunks_by_kind) to pick chunks:
	 * a damaged b-tree there gives wrong answers, not errors.  Checking
	 * just that table is cheap: one short row per chunk. */
	if (!chunk_index_ok(st->db, &rc))
		return open_fail(st, err, path, "%s", rc != SQLITE_OK ?
				 store_sql_reason(rc, st->db) :
				 "the trace is corrupt (its chunk index is "
				 "damaged)");
	if ((rc = load_meta(st)) != SQLITE_OK)
		return open_fail(st, err, path, "%s", store_sql_reason(rc, st->db));
	const char *ver = store_meta(st, "format_version");
	if (check_format_version(ver, why, sizeof(why)) < 0)
		return open_fail(st, err, path, "%s", why);
	if (strtoul(strchr(ver, '.') + 1, NULL, 10) <= STORE_FORMAT_MINOR &&
	    schema_fail(st, 0, why, sizeof(why)))
		return open_fail(st, err, path, "%s", why);
	const char *arch = store_meta(st, "arch");
	st->arch = arch ? systab_arch_canon(arch) : NULL;

	/* Scans pick chunks by the index alone: a row none can meet would
	 * hide its events. */
	if (store_index_check(st->db, why, sizeof(why)) < 0)
		return open_fail(st, err, path, "%s", why);
	if ((rc = store_vtab_register(st->db, &st->ctr)) != SQLITE_OK)
		return open_fail(st, err, path, "%s", sqlite3_errstr(rc));
	return st;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	sqlite3_close_v2(st->db);
	for (size_t i = 0; i < st->nmeta; i++) {
		free(st->meta[i].key);
		free(st->meta[i].value);
	}
	free(st->meta);
	free(st->path);
	free(st);
}

sqlite3 *store_db(struct store *st) { return st->db; }
const char *store_path(const struct store *st) { return st->path; }
long store_recorder_pid(const struct store *st) { return st->recorder; }
const char *store_errmsg(const struct store *st)
{
	return st->errmsg[0] ? st->errmsg : "no error";
}

const char *store_meta(struct store *st, const char *key)
{
	for (size_t i = 0; i < st->nmeta; i++)
		if (strcmp(st->meta[i].key, key) == 0)
			return st->meta[i].value;
	return NULL;
}

const char *store_syscall_name(const struct store *st, int nr)
{
	return st->arch ? systab_name(st->arch, nr) : NULL;
}

const struct store_counters *store_counters(const struct store *st)
{
	return &st->ctr;
}

void store_counters_reset(struct store *st)
{
	memset(&st->ctr, 0, sizeof(st->ctr));
}

/* A total() of values the file gives, as an unsigned count: negative or
 * NaN is 0, past the range is the largest. */
static uint64_t total_u64(double x)
{
	return !(x > 0) ? 0 : x < 1.8e19 ? (uint64_t)x : UINT64_MAX;
}

int store_kind_stats(struct store *st, enum ev_kind kind,
		     struct store_kind_stats *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_prepare_v2(st->db, "SELECT count(*), total(count),"
				" total(raw_size), total(stored_size),"
				" min(ts_first), max(ts_last) FROM chunks"
				" WHERE kind = ?", -1, &s, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	sqlite3_bind_int(s, 1, kind);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->chunks = (uint64_t)sqlite3_column_int64(s, 0);
		out->events = total_u64(sqlite3_column_double(s, 1));
		out->raw_bytes = total_u64(sqlite3_column_double(s, 2));
		out->stored_bytes = total_u64(sqlite3_column_double(s, 3));
		out->ts_min = (uint64_t)sqlite3_column_int64(s, 4);
		out->ts_max = (uint64_t)sqlite3_column_int64(s, 5);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_OK)
		return 0;
fail:
	snprintf(st->errmsg, sizeof(st->errmsg), "%s: %s", st->path,
		 store_sql_reason(rc, st->db));
	return -EIO;
}
