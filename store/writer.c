/*
 * writer.c - write a trace file.
 *
 * Events go into one chunk builder per kind; a full builder is sealed and
 * its blob inserted at once, inside the open transaction.  store_writer_flush
 * seals the partial builders and commits, so after it returns everything
 * appended so far is in the database (WAL, synchronous=NORMAL: a killed
 * process loses nothing committed).  Closing checkpoints the log and turns
 * journaling back to DELETE, leaving one self-contained file.
 *
 * Commits: a chunk sealed because it is full is committed at once, so
 * the open transaction never holds more than one chunk's blob plus what
 * was added since the last flush.  When the file system has little room
 * left (LOW_SPACE), every commit is also checkpointed, keeping the
 * write-ahead log small: what a full disk can cost is then the open
 * transaction, not a second of events; and chunks are sealed before their
 * blob would outgrow a quarter of the reserve (below).
 *
 * Disk full (or max_size without ring): the writer stops taking events.
 * store_writer_salvage rolls the open transaction back, counts its events
 * and all later ones as unsaved (per kind), and lets the caller write its
 * final meta and lost rows.  The room for that, and for moving the log's
 * last commit into the file, comes from a reserve: an unnamed file
 * (O_TMPFILE, so nothing is left behind whatever happens) holding up to
 * RESERVE_MAX bytes of the file system, freed when the disk is full.
 *
 * Size limit: before a blob is inserted, the pages in use plus the blob are
 * compared with max_size.  Without ring mode the writer then stops with
 * -EFBIG; in ring mode it deletes the oldest chunks (freed pages are reused,
 * so the file stops growing) until the new one fits.  Chunks of stacks are
 * never dropped: a switch kept anywhere in the ring may name any of them,
 * and each stack is written once.
 */
#include "store/store.h"
#include "store/chunk.h"
#include "store/schema.h"
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define DEFAULT_CHUNK_EVENTS 65536
/* Below this much free room, checkpoint at every commit. */
#define LOW_SPACE (64ull << 20)
/* The reserve: a quarter of the free room, at most this. */
#define RESERVE_MAX (4ull << 20)

enum {
	SQL_CHUNK,
	SQL_DATA,
	SQL_META,
	SQL_PROC,
	SQL_EXEC,
	SQL_EXIT,
	SQL_RENAME,
	SQL_THREAD,
	SQL_LOST,
	SQL_SHED,
	SQL_OLDEST,
	SQL_DEL_CHUNK,
	SQL_DEL_DATA,
	SQL_USED,
	SQL_COUNT
};

static const char *const sql_text[SQL_COUNT] = {
	[SQL_CHUNK] = "INSERT INTO chunks(kind, ts_first, ts_last, count,"
		      " raw_size, stored_size, codec) VALUES(?,?,?,?,?,?,?)",
	[SQL_DATA] = "INSERT INTO chunk_data(id, data) VALUES(?,?)",
	[SQL_META] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?,?)",
	[SQL_PROC] = "INSERT OR REPLACE INTO processes(pid, ppid, comm, exe,"
		     " cmdline, cgroup, container, start_ts)"
		     " VALUES(?,?,?,?,?,?,?,?)",
	[SQL_EXEC] = "UPDATE processes SET comm = ?2, exe = ?3, cmdline = ?4"
		     " WHERE pid = ?1 AND start_ts = (SELECT max(start_ts)"
		     " FROM processes WHERE pid = ?1)",
	[SQL_EXIT] = "UPDATE processes SET end_ts = ?2, exit_code = ?3,"
		     " exit_signal = ?4 WHERE pid = ?1 AND start_ts ="
		     " (SELECT max(start_ts) FROM processes WHERE pid = ?1)",
	[SQL_RENAME] = "UPDATE processes SET comm = ?2"
		       " WHERE pid = ?1 AND start_ts = (SELECT max(start_ts)"
		       " FROM processes WHERE pid = ?1)",
	[SQL_THREAD] = "INSERT OR REPLACE INTO threads(tid, pid, comm, start_ts)"
		       " VALUES(?,?,?,?)",
	[SQL_LOST] = "INSERT INTO lost(ts, cpu, class, count) VALUES(?,?,?,?)"
		     " ON CONFLICT(ts, cpu, class)"
		     " DO UPDATE SET count = count + excluded.count",
	[SQL_SHED] = "INSERT INTO shed(ts, cpu, class, name, what, rate,"
		     " dropped) VALUES(?,?,?,?,?,?,?)"
		     " ON CONFLICT(ts, cpu, class, name, what, rate)"
		     " DO UPDATE SET dropped = dropped + excluded.dropped",
	/* stacks are kept: switches anywhere in the ring name them */
	[SQL_OLDEST] = "SELECT min(id) FROM chunks WHERE kind != ?",
	[SQL_DEL_CHUNK] = "DELETE FROM chunks WHERE id = ?",
	[SQL_DEL_DATA] = "DELETE FROM chunk_data WHERE id = ?",
	[SQL_USED] = "SELECT (SELECT page_count FROM pragma_page_count()) -"
		     " (SELECT freelist_count FROM pragma_freelist_count())",
};

struct store_writer {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQL_COUNT];
	struct store_writer_opts o;
	struct chunk_builder *b[EV_KIND_COUNT];
	uint64_t events[EV_KIND_COUNT];    /* taken (not unsaved) */
	uint64_t committed[EV_KIND_COUNT]; /* of those, in a committed chunk */
	uint64_t sealed[EV_KIND_COUNT];    /* in chunks of the open transaction */
	uint64_t unsaved[EV_KIND_COUNT];   /* after a full disk */
	uint64_t total;
	int full;      /* -ENOSPC or -EFBIG once salvaged: appends refused */
	int low_space; /* checkpoint at every commit */
	int reserve_fd; /* the reserve's unnamed file, or -1 */
	int lock_fd;    /* the trace, locked while recording, or -1 */
	uint64_t reserve_size;
	uint64_t bpe[EV_KIND_COUNT]; /* stored bytes per 256 events, last chunk */
	uint64_t page_size;
	uint64_t dropped_chunks; /* ring mode */
	char *path;
	int err; /* first fatal error; the writer only closes after it */
	char errmsg[STORE_ERRLEN];
};

static int fail(struct store_writer *w, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct store_writer *w, int rc, const char *fmt, ...)
{
	va_list ap;

	if (w->err)
		return w->err;
	va_start(ap, fmt);
	vsnprintf(w->errmsg, sizeof(w->errmsg), fmt, ap);
	va_end(ap);
	w->err = rc;
	return rc;
}

/* Map an SQLite result to -errno and record it.  A full disk can also
 * come back as an I/O error (growing the -shm or -wal file), with the
 * system's errno saying ENOSPC or EDQUOT. */
static int sql_full(struct store_writer *w, int src)
{
	int sys = sqlite3_system_errno(w->db);

	return src == SQLITE_FULL || ((src & 0xff) == SQLITE_IOERR &&
				      (sys == ENOSPC || sys == EDQUOT));
}

static int fail_sql(struct store_writer *w, int src, const char *what)
{
	int full = sql_full(w, src);
	int rc = full ? -ENOSPC : -EIO;

	if (full)
		return fail(w, rc, "%s: disk full", w->path);
	return fail(w, rc, "%s: %s: %s", w->path, what, sqlite3_errmsg(w->db));
}

static int exec(struct store_writer *w, const char *sql)
{
	int rc = sqlite3_exec(w->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail_sql(w, rc, sql);
}

/* Step a prepared statement once to completion and reset it. */
static int run(struct store_writer *w, int which)
{
	sqlite3_stmt *s = w->stmt[which];
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	return fail_sql(w, rc, "write");
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

/* Pages in use, in bytes. */
static int64_t used_bytes(struct store_writer *w)
{
	sqlite3_stmt *s = w->stmt[SQL_USED];
	int64_t pages = 0;

	if (sqlite3_step(s) == SQLITE_ROW)
		pages = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return pages * (int64_t)w->page_size;
}

static int drop_oldest_chunk(struct store_writer *w)
{
	sqlite3_stmt *s = w->stmt[SQL_OLDEST];
	int64_t id = -1;
	int rc;

	sqlite3_bind_int(s, 1, EV_STACK);
	if (sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_type(s, 0) != SQLITE_NULL)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (id < 0)
		return -ENOENT;
	sqlite3_bind_int64(w->stmt[SQL_DEL_CHUNK], 1, id);
	sqlite3_bind_int64(w->stmt[SQL_DEL_DATA], 1, id);
	if ((rc = run(w, SQL_DEL_CHUNK)) < 0 || (rc = run(w, SQL_DEL_DATA)) < 0)
		return rc;
	w->dropped_chunks++;
	return 0;
}

/* Make room for SIZE more bytes under max_size. */
static int make_room(struct store_writer *w, size_t size)
{
	/* Page overhead: a blob costs a little more than its bytes. */
	uint64_t need = size + size / 16 + 2 * w->page_size;

	if (!w->o.max_size)
		return 0;
	while ((uint64_t)used_bytes(w) + need > w->o.max_size) {
		if (!w->o.ring || drop_oldest_chunk(w) < 0)
			return fail(w, -EFBIG, "%s: reached the size limit of "
				    "%llu bytes", w->path,
				    (unsigned long long)w->o.max_size);
	}
	return 0;
}

static int seal(struct store_writer *w, enum ev_kind kind)
{
	struct chunk_blob blob;
	sqlite3_stmt *s;
	int rc;

	if ((rc = chunk_builder_seal(w->b[kind], &blob)) < 0)
		return fail(w, rc, "%s: cannot encode a chunk: %s", w->path,
			    strerror(-rc));
	if (!blob.count)
		return 0;
	if ((rc = make_room(w, blob.size)) < 0)
		return rc;
	s = w->stmt[SQL_CHUNK];
	sqlite3_bind_int(s, 1, kind);
	sqlite3_bind_int64(s, 2, (int64_t)blob.ts_first);
	sqlite3_bind_int64(s, 3, (int64_t)blob.ts_last);
	sqlite3_bind_int64(s, 4, blob.count);
	sqlite3_bind_int64(s, 5, (int64_t)blob.raw_size);
	sqlite3_bind_int64(s, 6, (int64_t)blob.size);
	sqlite3_bind_int(s, 7, CHUNK_CODEC_COLUMNAR);
	if ((rc = run(w, SQL_CHUNK)) < 0)
		return rc;
	s = w->stmt[SQL_DATA];
	sqlite3_bind_int64(s, 1, sqlite3_last_insert_rowid(w->db));
	sqlite3_bind_blob(s, 2, blob.data, (int)blob.size, SQLITE_STATIC);
	if ((rc = run(w, SQL_DATA)) < 0)
		return rc;
	w->sealed[kind] += blob.count;
	w->bpe[kind] = blob.size * 256 / blob.count;
	return 0;
}

/*
 * Is KIND's chunk to be sealed now?  When full; and, low on room, when its
 * blob would take more than a quarter of the reserve (by the last chunk's
 * bytes per event, which may be off by 2x; before the first chunk, by
 * BPE_GUESS), so that the reserve can always take the last commit.
 */
#define BPE_GUESS (32 * 256) /* bytes per 256 events: more than any mix */
static int seal_due(struct store_writer *w, enum ev_kind kind)
{
	uint64_t n = chunk_builder_count(w->b[kind]);
	uint64_t bpe = w->bpe[kind] ? w->bpe[kind] : BPE_GUESS;

	if (chunk_builder_full(w->b[kind]))
		return 1;
	return w->low_space && w->reserve_size &&
	       n * bpe / 256 > w->reserve_size / 4;
}

/* Commit the open transaction and begin the next. */
static int commit(struct store_writer *w)
{
	int rc;

	if ((rc = exec(w, "COMMIT")) < 0)
		return rc;
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		w->committed[k] += w->sealed[k];
		w->sealed[k] = 0;
	}
	/* Low on room, a checkpoint that cannot grow the file is a full
	 * disk now: later commits would pile up in the log, and salvage
	 * would then need room for all of them. */
	if (w->low_space &&
	    (rc = sqlite3_wal_checkpoint_v2(w->db, NULL,
					    SQLITE_CHECKPOINT_PASSIVE, NULL,
					    NULL)) != SQLITE_OK &&
	    sql_full(w, rc))
		return fail_sql(w, rc, "checkpoint");
	return exec(w, "BEGIN");
}

/* Is the file system holding the trace short of room? */
static int low_on_space(const char *path)
{
	struct statvfs sv;

	if (statvfs(path, &sv) < 0)
		return 0;
	return (uint64_t)sv.f_bavail * sv.f_frsize < LOW_SPACE;
}

/* The directory of PATH, into DIR. */
static void dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* Set the reserve aside; without O_TMPFILE or fallocate there is none. */
static void reserve_take(struct store_writer *w)
{
	char dir[4096];
	struct statvfs sv;
	uint64_t size;

	w->reserve_fd = -1;
	if (statvfs(w->path, &sv) < 0)
		return;
	size = (uint64_t)sv.f_bavail * sv.f_frsize / 4;
	if (size > RESERVE_MAX)
		size = RESERVE_MAX;
	size &= ~(uint64_t)4095;
	if (!size)
		return;
	dir_of(w->path, dir, sizeof(dir));
	w->reserve_fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (w->reserve_fd >= 0 && fallocate(w->reserve_fd, 0, 0,
					    (off_t)size) < 0) {
		close(w->reserve_fd);
		w->reserve_fd = -1;
	}
	if (w->reserve_fd >= 0)
		w->reserve_size = size;
}

static void reserve_free(struct store_writer *w)
{
	if (w->reserve_fd >= 0)
		close(w->reserve_fd);
	w->reserve_fd = -1;
}

/*
 * Create PATH with its schema in one step: the schema and format_version
 * are built in an in-memory database, whose image (marked WAL mode) is
 * written into an unnamed file (O_TMPFILE), linked under PATH only when
 * complete.
 * So a recorder killed at any moment leaves either no file or a trace that
 * opens.  Filesystems without O_TMPFILE get PATH created directly (a kill
 * inside that one write leaves a file that is not a trace).  Like O_EXCL,
 * linking fails if PATH exists.  Returns 0 or -errno, with ERR set.
 */
static int create_file(const char *path, char err[STORE_ERRLEN])
{
	char dir[4096], fdpath[64], sql[256];
	unsigned char *img = NULL;
	sqlite3_int64 len = 0;
	sqlite3 *db = NULL;
	int fd = -1, named = 0, rc = 0;

	snprintf(sql, sizeof(sql), "PRAGMA application_id=%d;"
		 "PRAGMA user_version=%d; BEGIN;"
		 "INSERT INTO meta(key, value) VALUES('format_version',"
		 " '%d.%d'); COMMIT", STORE_APPLICATION_ID, STORE_FORMAT_MAJOR,
		 STORE_FORMAT_MAJOR, STORE_FORMAT_MINOR);
	if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) !=
		    SQLITE_OK ||
	    sqlite3_exec(db, SCHEMA_SQL, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    !(img = sqlite3_serialize(db, "main", &len, 0))) {
		snprintf(err, STORE_ERRLEN, "cannot create '%s': %s", path,
			 db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -ENOMEM;
	}
	sqlite3_close(db);
	/* Born in WAL mode (header bytes 18 and 19, the file format's write
	 * and read versions, 2 = WAL): switching a named file to WAL would go
	 * through a rollback journal, and a kill then leaves a hot journal
	 * that a read-only reader cannot roll back. */
	if (len >= 100)
		img[18] = img[19] = 2;

	dir_of(path, dir, sizeof(dir));
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR ||
		       errno == EINVAL)) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		named = 1;
	}
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	for (sqlite3_int64 off = 0; off < len;) {
		ssize_t n = write(fd, img + off, (size_t)(len - off));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			goto out;
		}
		off += n;
	}
	/* On disk before it has a name (power loss), and named only whole. */
	if (fdatasync(fd) < 0 && errno != EINVAL) {
		rc = -errno;
		goto out;
	}
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if (!named && linkat(AT_FDCWD, fdpath, AT_FDCWD, path,
			     AT_SYMLINK_FOLLOW) < 0) {
		rc = -errno;
		goto out;
	}
	/* A -wal or -shm beside a file that did not exist belongs to some
	 * older trace of that name: SQLite must not replay it into ours. */
	snprintf(dir, sizeof(dir), "%s-wal", path);
	unlink(dir);
	snprintf(dir, sizeof(dir), "%s-shm", path);
	unlink(dir);
out:
	if (rc == -EEXIST)
		snprintf(err, STORE_ERRLEN, "'%s' already exists "
			 "(use -f to replace it)", path);
	else if (rc)
		snprintf(err, STORE_ERRLEN, "cannot create '%s': %s", path,
			 rc == -ENOSPC ? "disk full" : strerror(-rc));
	if (fd >= 0)
		close(fd);
	if (rc && named && fd >= 0)
		unlink(path);
	sqlite3_free(img);
	return rc;
}

/* Say "being recorded" to readers (store_recorder_pid): a read lock on
 * STORE_RECORDING_BYTE, held until writer_free closes the descriptor
 * (not before: that would drop SQLite's locks too).  Best effort: without
 * it the trace only reads as unfinished while it is recorded. */
static void recording_lock(struct store_writer *w)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
			    .l_start = STORE_RECORDING_BYTE, .l_len = 1 };

	w->lock_fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (w->lock_fd >= 0)
		fcntl(w->lock_fd, F_SETLK, &fl);
}

/* Open the created file for recording: WAL, statements, a transaction. */
static int writer_setup(struct store_writer *w)
{
	int rc;

	sqlite3_busy_timeout(w->db, 5000);
	if ((rc = exec(w, "PRAGMA journal_mode=WAL")) < 0 ||
	    (rc = exec(w, "PRAGMA synchronous=NORMAL")) < 0)
		return rc;
	for (int i = 0; i < SQL_COUNT; i++) {
		rc = sqlite3_prepare_v3(w->db, sql_text[i], -1,
					SQLITE_PREPARE_PERSISTENT,
					&w->stmt[i], NULL);
		if (rc != SQLITE_OK)
			return fail_sql(w, rc, "prepare");
	}
	if ((rc = exec(w, "BEGIN")) < 0)
		return rc;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(w->db, "PRAGMA page_size", -1, &s, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			w->page_size = (uint64_t)sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	if (!w->page_size)
		w->page_size = 4096;
	w->low_space = low_on_space(w->path);
	reserve_take(w);
	return 0;
}

static void writer_free(struct store_writer *w)
{
	for (int i = 0; i < SQL_COUNT; i++)
		sqlite3_finalize(w->stmt[i]);
	for (int k = 0; k < EV_KIND_COUNT; k++)
		chunk_builder_free(w->b[k]);
	sqlite3_close(w->db);
	/* After SQLite's close: closing any descriptor of the trace drops
	 * every POSIX lock this process holds on it, SQLite's included. */
	if (w->lock_fd >= 0)
		close(w->lock_fd);
	reserve_free(w);
	free(w->path);
	free(w);
}

static const char *file_kind(mode_t m)
{
	return S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device" :
		S_ISBLK(m) ? "a block device" : S_ISDIR(m) ? "a directory" :
		S_ISSOCK(m) ? "a socket" : "not a regular file";
}

int store_writer_check_path(const char *path, int force,
			    char err[STORE_ERRLEN])
{
	struct stat sb;

	if (lstat(path, &sb) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, STORE_ERRLEN, "cannot create '%s': %s", path,
			 strerror(errno));
		return -errno;
	}
	if (!force) {
		snprintf(err, STORE_ERRLEN, "'%s' already exists (use -f to "
			 "replace it)", path);
		return -EEXIST;
	}
	if (S_ISLNK(sb.st_mode)) {
		snprintf(err, STORE_ERRLEN, "cannot replace '%s': it is a "
			 "symbolic link (-f replaces only a regular file; give "
			 "the path it points to, or remove the link)", path);
		return -ELOOP;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, STORE_ERRLEN, "cannot replace '%s': it is %s "
			 "(-f replaces only a regular file)", path,
			 file_kind(sb.st_mode));
		return -EINVAL;
	}
	return 0;
}

struct store_writer *store_writer_open(const char *path,
				       const struct store_writer_opts *opts,
				       char err[STORE_ERRLEN])
{
	struct store_writer *w = calloc(1, sizeof(*w));
	int rc;

	if (!w || !(w->path = strdup(path))) {
		snprintf(err, STORE_ERRLEN, "out of memory");
		free(w);
		return NULL;
	}
	w->reserve_fd = -1;
	w->lock_fd = -1;
	if (opts)
		w->o = *opts;
	if (!w->o.chunk_events)
		w->o.chunk_events = DEFAULT_CHUNK_EVENTS;
	if (w->o.chunk_events > CHUNK_EVENTS_MAX) {
		snprintf(err, STORE_ERRLEN, "cannot create '%s': at most %u "
			 "events in a chunk", path, CHUNK_EVENTS_MAX);
		writer_free(w);
		return NULL;
	}

	/* -f replaces a regular file only: never a FIFO, a device node or
	 * a directory, and never through a symbolic link (the link is
	 * refused, and the new file is linked under a name that does not
	 * exist, so a link planted after this check fails with EEXIST). */
	if (store_writer_check_path(path, w->o.force, err) < 0) {
		writer_free(w);
		return NULL;
	}
	if (w->o.force) {
		char side[4096];
		unlink(path);
		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
	}
	/* Mode 0600, never over an existing file, and complete or absent. */
	if (create_file(path, err) < 0) {
		writer_free(w);
		return NULL;
	}

	for (int k = 0; k < EV_KIND_COUNT; k++)
		if (!(w->b[k] = chunk_builder_new(ev_desc(k),
						  w->o.chunk_events))) {
			snprintf(err, STORE_ERRLEN, "out of memory");
			goto fail;
		}
	rc = sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, STORE_ERRLEN, "cannot open '%s': %s", path,
			 w->db ? sqlite3_errmsg(w->db) : "out of memory");
		goto fail;
	}
	if (writer_setup(w) < 0) {
		snprintf(err, STORE_ERRLEN, "%s", w->errmsg);
		goto fail;
	}
	recording_lock(w);
	return w;
fail:
	writer_free(w);
	unlink(path);
	return NULL;
}

int store_writer_append(struct store_writer *w, enum ev_kind kind,
			const void *ev)
{
	int rc;

	if ((unsigned)kind >= EV_KIND_COUNT)
		return -EINVAL;
	if (w->err || w->full) {
		if (w->err == -ENOSPC || w->err == -EFBIG || w->full)
			w->unsaved[kind]++;
		return w->err ? w->err : w->full;
	}
	if ((rc = chunk_builder_add(w->b[kind], ev)) < 0)
		return fail(w, rc, "out of memory");
	w->events[kind]++;
	w->total++;
	if (w->o.tap)
		w->o.tap(w->o.tap_arg, kind, ev);
	if (seal_due(w, kind) &&
	    ((rc = seal(w, kind)) < 0 || (rc = commit(w)) < 0))
		return rc;
	return 0;
}

int store_writer_flush(struct store_writer *w)
{
	int rc;

	if (w->err)
		return w->err;
	/* Low on room, each chunk is a commit of its own: the reserve is
	 * sized for one. */
	for (int k = 0; k < EV_KIND_COUNT && !w->full; k++)
		if ((rc = seal(w, k)) < 0 ||
		    (w->low_space && w->sealed[k] && (rc = commit(w)) < 0))
			return rc;
	w->low_space = low_on_space(w->path);
	if ((rc = commit(w)) < 0)
		return rc;
	/* Keep the main file close to complete for whoever copies it
	 * without its -wal: move committed pages over now. */
	if (!w->low_space)
		sqlite3_wal_checkpoint_v2(w->db, NULL,
					  SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return 0;
}

int store_writer_salvage(struct store_writer *w)
{
	struct chunk_blob blob;

	if (w->full || !w->err)
		return 0;
	if (w->err != -ENOSPC && w->err != -EFBIG)
		return w->err;
	/* What the open transaction held is gone with it; so are the
	 * events still in the builders. */
	reserve_free(w);
	sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		chunk_builder_seal(w->b[k], &blob); /* empties it */
		w->unsaved[k] += w->events[k] - w->committed[k];
		w->total -= w->events[k] - w->committed[k];
		w->events[k] = w->committed[k];
		w->sealed[k] = 0;
	}
	w->full = w->err;
	w->err = 0;
	/* Move the log into the file and cut it: the room it took is what
	 * the final rows need. */
	sqlite3_wal_checkpoint_v2(w->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
				  NULL, NULL);
	return exec(w, "BEGIN");
}

uint64_t store_writer_unsaved(const struct store_writer *w, int kind)
{
	uint64_t n = 0;

	if (kind >= 0 && kind < EV_KIND_COUNT)
		return w->unsaved[kind];
	for (int k = 0; k < EV_KIND_COUNT; k++)
		n += w->unsaved[k];
	return n;
}

int store_writer_meta(struct store_writer *w, const char *key,
		      const char *value)
{
	sqlite3_stmt *s = w->stmt[SQL_META];

	if (w->err)
		return w->err;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	bind_text(s, 2, value);
	return run(w, SQL_META);
}

int store_writer_process(struct store_writer *w, const struct store_process *p)
{
	sqlite3_stmt *s = w->stmt[SQL_PROC];

	if (w->err)
		return w->err;
	sqlite3_bind_int64(s, 1, p->pid);
	sqlite3_bind_int64(s, 2, p->ppid);
	bind_text(s, 3, p->comm);
	bind_text(s, 4, p->exe);
	bind_text(s, 5, p->cmdline);
	bind_text(s, 6, p->cgroup);
	bind_text(s, 7, p->container);
	sqlite3_bind_int64(s, 8, (int64_t)p->start_ts);
	return run(w, SQL_PROC);
}

int store_writer_process_exec(struct store_writer *w, uint32_t pid,
			      const char *comm, const char *exe,
			      const char *cmdline)
{
	sqlite3_stmt *s = w->stmt[SQL_EXEC];

	if (w->err)
		return w->err;
	sqlite3_bind_int64(s, 1, pid);
	bind_text(s, 2, comm);
	bind_text(s, 3, exe);
	bind_text(s, 4, cmdline);
	return run(w, SQL_EXEC);
}

int store_writer_process_exit(struct store_writer *w, uint32_t pid,
			      uint64_t ts, int exit_code, int exit_signal)
{
	sqlite3_stmt *s = w->stmt[SQL_EXIT];

	if (w->err)
		return w->err;
	sqlite3_bind_int64(s, 1, pid);
	sqlite3_bind_int64(s, 2, (int64_t)ts);
	sqlite3_bind_int(s, 3, exit_code);
	sqlite3_bind_int(s, 4, exit_signal);
	return run(w, SQL_EXIT);
}

int store_writer_process_comm(struct store_writer *w, uint32_t pid,
			      const char *comm)
{
	sqlite3_stmt *s = w->stmt[SQL_RENAME];

	if (w->err)
		return w->err;
	sqlite3_bind_int64(s, 1, pid);
	bind_text(s, 2, comm);
	return run(w, SQL_RENAME);
}

int store_writer_thread(struct store_writer *w, uint32_t tid, uint32_t pid,
			const char *comm, uint64_t start_ts)
{
	sqlite3_stmt *s = w->stmt[SQL_THREAD];

	if (w->err)
		return w->err;
	sqlite3_bind_int64(s, 1, tid);
	sqlite3_bind_int64(s, 2, pid);
	bind_text(s, 3, comm);
	sqlite3_bind_int64(s, 4, (int64_t)start_ts);
	return run(w, SQL_THREAD);
}

int store_writer_lost(struct store_writer *w, uint64_t ts, uint32_t cpu,
		      const char *class, uint64_t count)
{
	sqlite3_stmt *s = w->stmt[SQL_LOST];

	if (w->err)
		return w->err;
	if (!count)
		return 0;
	sqlite3_bind_int64(s, 1, (int64_t)(ts - ts % 1000000000ULL));
	sqlite3_bind_int64(s, 2, cpu);
	sqlite3_bind_text(s, 3, class, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 4, (int64_t)count);
	return run(w, SQL_LOST);
}

int store_writer_shed(struct store_writer *w, uint64_t ts, uint32_t cpu,
		      const char *class, const char *name, const char *what,
		      uint32_t rate, uint64_t dropped)
{
	sqlite3_stmt *s = w->stmt[SQL_SHED];

	if (w->err)
		return w->err;
	if (!dropped)
		return 0;
	sqlite3_bind_int64(s, 1, (int64_t)(ts - ts % 1000000000ULL));
	sqlite3_bind_int64(s, 2, cpu);
	sqlite3_bind_text(s, 3, class, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 4, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 5, what, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 6, rate);
	sqlite3_bind_int64(s, 7, (int64_t)dropped);
	return run(w, SQL_SHED);
}

uint64_t store_writer_size(const struct store_writer *w)
{
	return (uint64_t)used_bytes((struct store_writer *)w);
}

uint64_t store_writer_events(const struct store_writer *w, int kind)
{
	if (kind < 0 || kind >= EV_KIND_COUNT)
		return w->total;
	return w->events[kind];
}

uint64_t store_writer_dropped(const struct store_writer *w)
{
	return w->dropped_chunks;
}

const char *store_writer_errmsg(const struct store_writer *w)
{
	return w->errmsg[0] ? w->errmsg : "no error";
}

int store_writer_close(struct store_writer *w, char err[STORE_ERRLEN])
{
	int rc;

	if (!w)
		return 0;
	if (!w->err && w->o.ring && w->dropped_chunks) {
		char n[32];
		snprintf(n, sizeof(n), "%llu",
			 (unsigned long long)w->dropped_chunks);
		store_writer_meta(w, "ring_dropped_chunks", n);
	}
	if (!w->err)
		store_writer_flush(w);
	else
		sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL);
	if (!w->err && w->full)
		w->err = w->full; /* the message is still the one it set */
	for (int i = 0; i < SQL_COUNT; i++) {
		sqlite3_finalize(w->stmt[i]);
		w->stmt[i] = NULL;
	}
	/* Best effort on a full disk: the trace stays valid with its log. */
	sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL);
	if (sqlite3_wal_checkpoint_v2(w->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
				      NULL, NULL) == SQLITE_OK)
		sqlite3_exec(w->db, "PRAGMA journal_mode=DELETE", NULL, NULL,
			     NULL);
	if (sqlite3_close(w->db) != SQLITE_OK && !w->err)
		fail(w, -EIO, "%s: cannot close: %s", w->path,
		     sqlite3_errmsg(w->db));
	w->db = NULL;
	rc = w->err;
	if (rc && err)
		snprintf(err, STORE_ERRLEN, "%s", w->errmsg);
	writer_free(w);
	return rc;
}
