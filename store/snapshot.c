/*
 * snapshot.c - copy a trace being recorded into a complete trace of its
 * own (`kscope record --ring`'s snapshots).
 *
 *     struct store_snapshot_opts o = { .of = "t.kscope", .reason = "...",
 *                                      .end_ts = now, .dropped = n };
 *     rc = store_snapshot_write("t.kscope", "t.snap-1.kscope", &o, &sum,
 *                               err);
 *
 * How: a read-only connection of its own on the trace runs VACUUM INTO a
 * temporary file created beside PATH with mode 0600.  In WAL mode that
 * connection reads the recorder's last commit while the recorder goes on
 * writing (it only keeps the log from being checkpointed past that commit
 * meanwhile), and VACUUM INTO leaves a compact file in rollback-journal
 * mode that needs no -wal.  The copy's meta is then made its own (see
 * store.h), it is synced, and renamed to PATH without replacing anything.
 * Measured against the backup API on a 64 MiB file (docs/RECORD.md): as
 * fast, and it neither copies the ring's free pages nor restarts when the
 * recorder commits.
 *
 * The window: the recording's start, or, once ring mode dropped chunks,
 * the first event of the oldest chunk kept (stacks chunks are always kept
 * and do not count).  Lost rows before the window's second are removed,
 * and lost_total and lost_<class> count the rows left.
 */
#include "store/store.h"
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first column of the first row of SQL, or DEF. */
static int64_t query_int(sqlite3 *db, const char *sql, int64_t def)
{
	sqlite3_stmt *s;
	int64_t v = def;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return def;
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int meta_put(sqlite3 *db, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int meta_put(sqlite3 *db, const char *key, const char *fmt, ...)
{
	char *sql, *val;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	val = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	sql = sqlite3_mprintf("INSERT OR REPLACE INTO meta(key, value)"
			      " VALUES(%Q, %Q)", key, val);
	rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	sqlite3_free(val);
	return rc;
}

/* The copy's meta, window and lost rows (see the top of the file). */
static int snapshot_own(sqlite3 *db, const struct store_snapshot_opts *o,
			struct store_snapshot_sum *sum)
{
	char *sql;
	int64_t start = query_int(db, "SELECT CAST(value AS INTEGER) FROM meta"
				  " WHERE key = 'start_ts'", 0);
	int rc;

	if (o->dropped) {
		sql = sqlite3_mprintf("SELECT min(ts_first) FROM chunks"
				      " WHERE kind != %d", EV_STACK);
		int64_t first = sql ? query_int(db, sql, start) : start;

		sqlite3_free(sql);
		if (first > start)
			start = first;
	}
	sum->start_ts = (uint64_t)start;
	sum->end_ts = o->end_ts;
	sum->events = (uint64_t)query_int(db, "SELECT total(count) FROM chunks",
					  0);
	sql = sqlite3_mprintf("BEGIN;"
			      "DELETE FROM lost WHERE ts < %lld;"
			      "INSERT OR REPLACE INTO meta(key, value)"
			      " SELECT 'lost_total', coalesce(sum(count), 0)"
			      " FROM lost",
			      (long long)(start - start % 1000000000));
	rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
	sqlite3_free(sql);
	for (unsigned c = 0; c < KS_CLASS_COUNT && rc == SQLITE_OK; c++) {
		sql = sqlite3_mprintf("INSERT OR REPLACE INTO meta(key, value)"
				      " SELECT 'lost_%q', coalesce(sum(count), 0)"
				      " FROM lost WHERE class = %Q",
				      ev_class_name(c), ev_class_name(c));
		rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) :
			   SQLITE_NOMEM;
		sqlite3_free(sql);
	}
	if (rc == SQLITE_OK)
		rc = meta_put(db, "snapshot_of", "%s", o->of);
	if (rc == SQLITE_OK && o->reason)
		rc = meta_put(db, "snapshot_reason", "%s", o->reason);
	if (rc == SQLITE_OK)
		rc = meta_put(db, "start_ts", "%lld", (long long)start);
	if (rc == SQLITE_OK)
		rc = meta_put(db, "end_ts", "%llu",
			      (unsigned long long)o->end_ts);
	if (rc == SQLITE_OK && o->dropped)
		rc = meta_put(db, "ring_dropped_chunks", "%llu",
			      (unsigned long long)o->dropped);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

static int sql_fail(sqlite3 *db, int rc, const char *what, const char *path,
		    char err[STORE_ERRLEN])
{
	snprintf(err, STORE_ERRLEN, "cannot %s '%.300s': %s", what, path,
		 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	return rc == SQLITE_FULL ? -ENOSPC : -EIO;
}

int store_copy_tmp(const char *trace, const char *tmp,
		   char err[STORE_ERRLEN])
{
	sqlite3 *src = NULL;
	sqlite3_stmt *s = NULL;
	int fd, rc, ret;

	unlink(tmp); /* a copy a killed run left */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, STORE_ERRLEN, "cannot create '%.300s': %s", tmp,
			 strerror(errno));
		return ret;
	}
	rc = sqlite3_open_v2(trace, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(src, 5000);
		rc = sqlite3_prepare_v2(src, "VACUUM INTO ?", -1, &s, NULL);
	}
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, tmp, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	ret = rc == SQLITE_OK ? fd : sql_fail(src, rc, "copy", trace, err);
	sqlite3_finalize(s);
	sqlite3_close(src);
	if (ret < 0) {
		close(fd);
		unlink(tmp);
	}
	return ret;
}

int store_snapshot_write(const char *trace, const char *path,
			 const struct store_snapshot_opts *o,
			 struct store_snapshot_sum *sum, char err[STORE_ERRLEN])
{
	char tmp[4096];
	sqlite3 *dst = NULL;
	int fd, rc, ret = 0;

	memset(sum, 0, sizeof(*sum));
	if (strlen(path) + 5 > sizeof(tmp)) {
		snprintf(err, STORE_ERRLEN, "cannot create '%.300s': %s", path,
			 strerror(ENAMETOOLONG));
		return -ENAMETOOLONG;
	}
	if (access(path, F_OK) == 0) {
		snprintf(err, STORE_ERRLEN, "'%.300s' already exists", path);
		return -EEXIST;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = store_copy_tmp(trace, tmp, err)) < 0)
		return fd;
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = snapshot_own(dst, o, sum);
	if (rc != SQLITE_OK) {
		ret = sql_fail(dst, rc, "write", tmp, err);
		goto out;
	}
	sqlite3_close(dst);
	dst = NULL;
	if (fsync(fd) < 0 || renameat2(AT_FDCWD, tmp, AT_FDCWD, path,
				       RENAME_NOREPLACE) < 0) {
		ret = -errno;
		snprintf(err, STORE_ERRLEN, "cannot write '%.300s': %s", path,
			 strerror(errno));
		goto out;
	}
	sum->bytes = (uint64_t)lseek(fd, 0, SEEK_END);
out:
	sqlite3_close(dst);
	close(fd);
	if (ret)
		unlink(tmp);
	return ret;
}
