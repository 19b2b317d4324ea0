/*
 * compact.c - make a finished trace smaller: every chunk's columns
 * recompressed with zstd (`kscope compact`, and the recorder at close).
 *
 *     struct store_compact_sum sum;
 *     rc = store_compact("t.kscope", STORE_COMPACT_LEVEL, &sum, err);
 *
 * How: the trace is checked (store_open: a trace this build reads, not
 * being recorded), then copied by VACUUM INTO into a temporary file beside
 * it.  Each chunk of the copy is checked and recompressed
 * (chunk_dec_recompress) and written back when that made it smaller;
 * consecutive chunks of a kind (in ts order) whose events fit one chunk
 * (CHUNK_EVENTS_MAX) are first merged into one, rebuilt row by row (the
 * recorder seals a chunk every flush, so a quiet kind leaves many small
 * ones: its columns compress better together).  A
 * VACUUM then gives the freed pages back, and the copy, with the trace's
 * permissions, is synced and renamed over the trace.  Until that rename
 * the trace is untouched: on any failure (a damaged chunk, a full disk)
 * the copy is removed and the trace stays as it was.  The compacted
 * trace has pages of STORE_COMPACT_PAGE_SIZE bytes.  A compacted trace
 * says format_version 1.3 (its zstd columns need a 1.3 reader).
 */
#include "store/store.h"
#include "store/chunk.h"
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct compact {
	const char *path, *tmp;
	sqlite3 *db; /* the copy */
	struct chunk_dec *dec[EV_KIND_COUNT];
	char *err;
};

static int compact_sql_fail(struct compact *c, sqlite3 *db, int rc,
			    const char *what)
{
	snprintf(c->err, STORE_ERRLEN, "cannot %s '%.300s': %s", what,
		 c->path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	return rc == SQLITE_FULL ? -ENOSPC : -EIO;
}

/* The decoder of KIND, made at its first use; NULL (and c->err set) on
 * ENOMEM. */
static struct chunk_dec *compact_dec(struct compact *c, int kind)
{
	if (!c->dec[kind] && !(c->dec[kind] = chunk_dec_new(ev_desc(kind))))
		snprintf(c->err, STORE_ERRLEN, "out of memory");
	return c->dec[kind];
}

/* Recompress chunk ID of KIND (COUNT events) in the copy: *SAVED gets
 * the bytes it lost. */
static int compact_chunk(struct compact *c, int64_t id, int kind,
			 uint32_t count, int level, uint64_t *saved)
{
	static const char *const sql[] = {
		"SELECT data FROM chunk_data WHERE id = ?1",
		"UPDATE chunk_data SET data = ?2 WHERE id = ?1",
		"UPDATE chunks SET stored_size = ?2 WHERE id = ?1",
	};
	sqlite3_stmt *s[3] = { NULL };
	char why[CHUNK_ERRLEN];
	struct chunk_blob b;
	int rc = SQLITE_OK, ret = 0;

	for (int i = 0; i < 3 && rc == SQLITE_OK; i++) {
		rc = sqlite3_prepare_v2(c->db, sql[i], -1, &s[i], NULL);
		if (rc == SQLITE_OK)
			sqlite3_bind_int64(s[i], 1, id);
	}
	if (rc != SQLITE_OK || (rc = sqlite3_step(s[0])) != SQLITE_ROW) {
		ret = compact_sql_fail(c, c->db, rc, "read");
		goto out;
	}
	if (!compact_dec(c, kind)) {
		ret = -ENOMEM;
		goto out;
	}
	const void *data = sqlite3_column_blob(s[0], 0);
	size_t size = (size_t)sqlite3_column_bytes(s[0], 0);
	if ((ret = chunk_dec_load(c->dec[kind], data, size, count, why)) < 0 ||
	    (ret = chunk_dec_recompress(c->dec[kind], level, &b, why)) < 0) {
		snprintf(c->err, STORE_ERRLEN, "cannot compact '%.200s': chunk "
			 "%lld of %s: %s (the trace is left as it was)",
			 c->path, (long long)id, ev_desc(kind)->table, why);
		goto out;
	}
	sqlite3_reset(s[0]); /* DATA is not needed past here */
	if (b.size >= size)
		goto out;
	*saved = size - b.size;
	sqlite3_bind_blob(s[1], 2, b.data, (int)b.size, SQLITE_STATIC);
	sqlite3_bind_int64(s[2], 2, (int64_t)b.size);
	for (int i = 1; i < 3 && rc != -1; i++)
		if ((rc = sqlite3_step(s[i])) != SQLITE_DONE) {
			ret = compact_sql_fail(c, c->db, rc, "write");
			rc = -1;
		}
out:
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(s[i]);
	return ret;
}

/* Rewrite the chunks IDS[0..N) of KIND, COUNT events in all (at most
 * CHUNK_EVENTS_MAX), as one chunk recompressed at LEVEL: more rows give
 * zstd more to match within each column.  *SAVED gets the bytes lost;
 * 0 and nothing changed when the merge is not smaller or cannot hold them
 * (a string dictionary full, a column this build does not know): the
 * caller then recompresses them one by one. */
static int compact_merge(struct compact *c, const int64_t *ids, size_t n,
			 int kind, int level, uint64_t *saved)
{
	static const char *const sql[] = {
		"SELECT data, count, stored_size FROM chunk_data JOIN chunks "
		"USING (id) WHERE id = ?1",
		"INSERT INTO chunks(kind, ts_first, ts_last, count, raw_size, "
		"stored_size, codec) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		"INSERT INTO chunk_data(id, data) VALUES(last_insert_rowid(), ?1)",
		"DELETE FROM chunks WHERE id = ?1",
		"DELETE FROM chunk_data WHERE id = ?1",
	};
	enum { GET, ADD, ADD_DATA, DEL, DEL_DATA, NSQL };
	const struct ev_desc *d = ev_desc(kind);
	sqlite3_stmt *s[NSQL] = { NULL };
	char why[CHUNK_ERRLEN];
	struct chunk_builder *mb = NULL;
	void *ev = NULL;
	struct chunk_blob sealed, b;
	uint64_t before = 0;
	int rc = SQLITE_OK, ret = 0, whole = 1;

	*saved = 0;
	if (!compact_dec(c, kind))
		return -ENOMEM;
	/* Made for each merge: a builder of CHUNK_EVENTS_MAX rows is
	 * megabytes, a merge's recompression takes far longer. */
	if (!(mb = chunk_builder_new(d, CHUNK_EVENTS_MAX)) ||
	    !(ev = calloc(1, d->size)))
		goto oom;
	for (int i = 0; i < NSQL && rc == SQLITE_OK; i++)
		rc = sqlite3_prepare_v2(c->db, sql[i], -1, &s[i], NULL);
	for (size_t i = 0; i < n && rc == SQLITE_OK && whole && !ret; i++) {
		sqlite3_bind_int64(s[GET], 1, ids[i]);
		if ((rc = sqlite3_step(s[GET])) != SQLITE_ROW) {
			whole = 0;
			break;
		}
		rc = SQLITE_OK;
		uint32_t count = (uint32_t)sqlite3_column_int64(s[GET], 1);
		before += (uint64_t)sqlite3_column_int64(s[GET], 2);
		ret = chunk_dec_load(c->dec[kind],
				     sqlite3_column_blob(s[GET], 0),
				     (size_t)sqlite3_column_bytes(s[GET], 0),
				     count, why);
		sqlite3_reset(s[GET]);
		whole = !ret && chunk_dec_all_known(c->dec[kind]);
		for (uint32_t r = 0; r < count && whole && !ret; r++) {
			if (chunk_builder_full(mb))
				whole = 0;
			else if (!(ret = chunk_dec_row(c->dec[kind], r, ev,
						       why)))
				ret = chunk_builder_add(mb, ev);
		}
	}
	if (rc != SQLITE_OK && rc != SQLITE_DONE) {
		ret = compact_sql_fail(c, c->db, rc, "read");
		goto out;
	}
	if (ret == -ENOMEM || chunk_builder_seal(mb, &sealed) < 0)
		goto oom;
	if (ret < 0) {
		snprintf(c->err, STORE_ERRLEN, "cannot compact '%.200s': a "
			 "chunk of %s: %s (the trace is left as it was)",
			 c->path, d->table, why);
		goto out;
	}
	if (!whole)
		goto out;
	if ((ret = chunk_dec_load(c->dec[kind], sealed.data, sealed.size,
				  sealed.count, why)) < 0 ||
	    (ret = chunk_dec_recompress(c->dec[kind], level, &b, why)) < 0) {
		if (ret == -ENOMEM)
			goto oom;
		snprintf(c->err, STORE_ERRLEN, "cannot compact '%.200s': %s "
			 "merged: %s", c->path, d->table, why);
		goto out;
	}
	if (b.size >= before)
		goto out;
	int64_t v[] = { kind, (int64_t)sealed.ts_first,
			(int64_t)sealed.ts_last, b.count,
			(int64_t)b.raw_size, (int64_t)b.size,
			CHUNK_CODEC_COLUMNAR };
	for (int i = 0; i < 7; i++)
		sqlite3_bind_int64(s[ADD], i + 1, v[i]);
	sqlite3_bind_blob(s[ADD_DATA], 1, b.data, (int)b.size, SQLITE_STATIC);
	rc = sqlite3_step(s[ADD]) == SQLITE_DONE &&
	     sqlite3_step(s[ADD_DATA]) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++)
		for (int k = DEL; k <= DEL_DATA && rc == SQLITE_OK; k++) {
			sqlite3_reset(s[k]);
			sqlite3_bind_int64(s[k], 1, ids[i]);
			if (sqlite3_step(s[k]) != SQLITE_DONE)
				rc = SQLITE_ERROR;
		}
	if (rc != SQLITE_OK)
		ret = compact_sql_fail(c, c->db, rc, "write");
	else
		*saved = before - b.size;
	goto out;
oom:
	ret = -ENOMEM;
	snprintf(c->err, STORE_ERRLEN, "out of memory");
out:
	for (int i = 0; i < NSQL; i++)
		sqlite3_finalize(s[i]);
	chunk_builder_free(mb);
	free(ev);
	return ret;
}

/* Recompress every chunk of the copy, set its format_version, VACUUM. */
static int compact_chunks(struct compact *c, int level,
			  struct store_compact_sum *sum)
{
	sqlite3_stmt *s = NULL;
	int64_t *ids = NULL;
	int *kinds = NULL;
	uint32_t *counts = NULL;
	size_t n = 0, cap = 0;
	char ver[32];
	int rc, ret = 0;

	rc = sqlite3_exec(c->db, "PRAGMA journal_mode=OFF;"
			  "PRAGMA synchronous=OFF; BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(c->db, "SELECT id, kind, count FROM "
					"chunks ORDER BY kind, ts_first, id",
					-1, &s, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int kind = sqlite3_column_int(s, 1);
		if (kind < 0 || kind >= EV_KIND_COUNT) { /* a newer kind */
			rc = SQLITE_OK;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			int64_t *i = realloc(ids, cap * sizeof(*ids));
			ids = i ? i : ids;
			int *k = realloc(kinds, cap * sizeof(*kinds));
			kinds = k ? k : kinds;
			uint32_t *m = realloc(counts, cap * sizeof(*counts));
			counts = m ? m : counts;
			if (!i || !k || !m) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
		ids[n] = sqlite3_column_int64(s, 0);
		kinds[n] = kind;
		counts[n++] = (uint32_t)sqlite3_column_int64(s, 2);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_OK) {
		ret = compact_sql_fail(c, c->db, rc, "read");
		goto out;
	}
	/* Runs of a kind's chunks (in ts order) that fit one chunk are
	 * merged; the others, and runs that cannot be, recompressed alone. */
	for (size_t i = 0, j; i < n && !ret; i = j) {
		uint64_t saved = 0, events = counts[i];
		for (j = i + 1; j < n && kinds[j] == kinds[i] &&
		     events + counts[j] <= CHUNK_EVENTS_MAX; j++)
			events += counts[j];
		if (j - i > 1 && (ret = compact_merge(c, ids + i, j - i,
						      kinds[i], level,
						      &saved)) == 0 && saved) {
			sum->chunks += j - i;
			continue;
		}
		for (size_t k = i; k < j && !ret; k++) {
			ret = compact_chunk(c, ids[k], kinds[k], counts[k],
					    level, &saved);
			sum->chunks += saved > 0;
		}
	}
	if (ret)
		goto out;
	snprintf(ver, sizeof(ver), "%d.%d", STORE_FORMAT_MAJOR,
		 STORE_FORMAT_MINOR);
	/* An older minor's trace becomes this one's: it now holds zstd
	 * columns.  (A newer minor's keeps its version.) */
	rc = sqlite3_prepare_v2(c->db, "UPDATE meta SET value = ?1 WHERE "
				"key = 'format_version' AND CAST(substr(value, "
				"instr(value, '.') + 1) AS INTEGER) < ?2",
				-1, &s, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(s, 1, ver, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, STORE_FORMAT_MINOR);
		rc = sqlite3_step(s) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_finalize(s);
	}
	/* The VACUUM also sets the page size: a blob's last page and each
	 * small table's one page are mostly empty, and small pages waste
	 * less of them (about 1% of a compacted trace; reading is as fast). */
	char end[64];
	snprintf(end, sizeof(end), "COMMIT; PRAGMA page_size = %d; VACUUM",
		 STORE_COMPACT_PAGE_SIZE);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(c->db, end, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		ret = compact_sql_fail(c, c->db, rc, "write");
out:
	free(ids);
	free(kinds);
	free(counts);
	return ret;
}

/* Give the copy FD the trace's owner and permissions, sync it, rename it
 * over the trace and sync the directory. */
static int compact_replace(struct compact *c, int fd, const struct stat *st)
{
	char dir[4096];
	int dfd;

	if (fchown(fd, st->st_uid, st->st_gid) < 0 && errno != EPERM)
		goto fail;
	if (fchmod(fd, st->st_mode & 07777) < 0 || fsync(fd) < 0 ||
	    rename(c->tmp, c->path) < 0)
		goto fail;
	snprintf(dir, sizeof(dir), "%s", c->path);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	snprintf(c->err, STORE_ERRLEN, "cannot write '%.300s': %s", c->tmp,
		 strerror(errno));
	return -errno;
}

int store_compact(const char *path, int level, struct store_compact_sum *sum,
		  char err[STORE_ERRLEN])
{
	char tmp[4096];
	struct compact c = { .path = path, .tmp = tmp, .err = err };
	struct store *st;
	struct stat sb;
	int fd = -1, ret;

	memset(sum, 0, sizeof(*sum));
	if (!(st = store_open(path, err)))
		return -EINVAL;
	long pid = store_recorder_pid(st);
	store_close(st);
	if (pid >= 0) {
		snprintf(err, STORE_ERRLEN, "cannot compact '%.300s': it is "
			 "being recorded", path);
		return -EBUSY;
	}
	errno = ENAMETOOLONG;
	if (strlen(path) + 16 > sizeof(tmp) || stat(path, &sb) < 0) {
		ret = -errno;
		snprintf(err, STORE_ERRLEN, "cannot compact '%.300s': %s", path,
			 strerror(-ret));
		return ret;
	}
	sum->before = (uint64_t)sb.st_size;
	snprintf(tmp, sizeof(tmp), "%s.compact.tmp", path);
	if ((fd = store_copy_tmp(path, tmp, err)) < 0)
		return fd;
	int rc = sqlite3_open_v2(tmp, &c.db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		ret = compact_sql_fail(&c, c.db, rc, "write");
		goto out;
	}
	if ((ret = compact_chunks(&c, level, sum)) < 0)
		goto out;
	if (sqlite3_close(c.db) != SQLITE_OK) {
		ret = compact_sql_fail(&c, c.db, SQLITE_IOERR, "write");
		goto out;
	}
	c.db = NULL;
	if ((ret = compact_replace(&c, fd, &sb)) < 0)
		goto out;
	sum->after = (uint64_t)lseek(fd, 0, SEEK_END);
out:
	for (int k = 0; k < EV_KIND_COUNT; k++)
		chunk_dec_free(c.dec[k]);
	sqlite3_close(c.db);
	close(fd);
	if (ret)
		unlink(tmp);
	return ret;
}
