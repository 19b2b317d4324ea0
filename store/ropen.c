/*
 * ropen.c - open a trace file read-only, without writing beside it.
 *
 *     sqlite3 *db;
 *     char why[256];
 *     long recorder;
 *     int rc = store_ropen("t.kscope", &db, &recorder, why, sizeof(why));
 *     // as sqlite3_open_v2; WHY says more when not empty; RECORDER is
 *     // the pid of the recorder writing the file now, or -1
 *
 * A finished trace is one file in rollback mode: SQLite opens it read-only
 * (through "kscope-ro-shared", below: nothing opened for writing, nothing
 * deleted) and creates nothing.  A trace whose recorder was killed is still
 * in WAL mode (header bytes 18-19 are 2), with its -wal (the commits not yet
 * checkpointed into the file) and its -shm (SQLite's shared wal-index)
 * beside it, or without them when only the file was copied.  SQLite's own
 * read-only open of such a file creates a missing -wal and -shm when the
 * directory is writable, writes its wal-index into a -shm it may write,
 * and fails ("unable to open database file", "attempt to write a readonly
 * database") for a user who may read the trace but not write beside it.
 *
 * So a WAL-mode file that no process holds open (no SQLite lock on it: its
 * recorder is gone) is opened through the "kscope-ro" VFS: unix-none (no
 * file locks) with an xOpen that never asks for write access or creation
 * and an xDelete that deletes nothing, in exclusive locking mode.  SQLite
 * then keeps the wal-index in heap memory, rebuilt by reading the -wal,
 * and never opens the -shm; checkpoint-on-close is off.  Every frame the
 * -wal commits is read; nothing beside the trace is created, opened for
 * writing or changed, whoever reads it.  Without a -wal (or with an empty
 * one) there is nothing to replay and the file opens as immutable.  Any
 * -wal beside a file routes it so, whatever its header says: SQLite reads
 * a -wal it finds even beside a rollback-mode file.
 *
 * A file some process holds open (a live recorder; a reader sharing its
 * wal-index) must be read through the shared -shm: only the locks there
 * keep a reader's snapshot safe from the writer's checkpoints.  It is
 * opened through "kscope-ro-shared" (the unix VFS with the same xOpen and
 * xDelete) with readonly_shm=1: SQLite maps the -shm read-only and takes
 * only read locks, so even then nothing beside the trace is written or
 * opened for writing.
 *
 * A recorder holds a read lock on STORE_RECORDING_BYTE (writer.c) for as
 * long as it records: F_GETLK names its pid, which sets a live recording
 * apart from a killed one (both leave a WAL-mode file with a -wal).
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* SQLite's lock bytes (os_unix.c): a connection holds a read lock in the
 * SHARED range of the database file for as long as it reads (in WAL mode,
 * for as long as it is open), and every WAL connection a read lock on the
 * -shm's DMS byte. */
#define RO_PENDING_BYTE 0x40000000
#define RO_LOCK_SPAN 512
#define RO_SHM_DMS 128

/* "kscope-ro" over unix-none, for traces no one holds open; "kscope-ro-
 * shared" over unix, for live ones (its -shm locks are SQLite's own). */
static sqlite3_vfs ro_vfs[2];
static const char *const ro_names[2][2] = {
	{ "unix-none", "kscope-ro" }, { "unix", "kscope-ro-shared" },
};
static pthread_once_t ro_once = PTHREAD_ONCE_INIT;
static int ro_registered;

/* Names and main files open read-only, never created.  Nameless files are
 * SQLite's own private temporaries (sorting), not beside the trace. */
static int ro_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f,
		   int flags, int *out)
{
	sqlite3_vfs *base = vfs->pAppData;

	if (name && !(flags & SQLITE_OPEN_DELETEONCLOSE)) {
		flags &= ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			   SQLITE_OPEN_EXCLUSIVE);
		flags |= SQLITE_OPEN_READONLY;
	}
	return base->xOpen(base, name, f, flags, out);
}

static int ro_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	(void)vfs;
	(void)name;
	(void)sync;
	return SQLITE_IOERR_DELETE;
}

static void ro_register(void)
{
	for (int i = 0; i < 2; i++) {
		sqlite3_vfs *base = sqlite3_vfs_find(ro_names[i][0]);

		if (!base)
			return;
		ro_vfs[i] = *base;
		ro_vfs[i].pNext = NULL;
		ro_vfs[i].zName = ro_names[i][1];
		ro_vfs[i].pAppData = base;
		ro_vfs[i].xOpen = ro_open;
		ro_vfs[i].xDelete = ro_delete;
		if (sqlite3_vfs_register(&ro_vfs[i], 0) != SQLITE_OK)
			return;
	}
	ro_registered = 1;
}

/* 1 if another process holds a lock on the range of FD's file. */
static int locked_by_other(int fd, off_t start, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };

	return fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
}

/* 1 if PATH's header says WAL mode (write and read versions 2). */
static int wal_mode(int fd)
{
	unsigned char h[20];

	return pread(fd, h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	       !memcmp(h, "SQLite format 3", 16) && h[18] == 2 && h[19] == 2;
}

/* The pid of the recorder holding FD's file (STORE_RECORDING_BYTE), 0
 * when its pid is not visible here, -1 when none holds it. */
static long recording_pid(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = STORE_RECORDING_BYTE, .l_len = 1 };

	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK)
		return -1;
	return fl.l_pid > 0 ? (long)fl.l_pid : 0;
}

/* 1 if some process has PATH open through SQLite (locks on it or on its
 * -shm), so that it may be writing it. */
static int held_open(int fd, const char *path)
{
	char shm[4096];
	int sfd, held;

	if (locked_by_other(fd, RO_PENDING_BYTE, RO_LOCK_SPAN))
		return 1;
	if (snprintf(shm, sizeof(shm), "%s-shm", path) >= (int)sizeof(shm))
		return 0;
	sfd = open(shm, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (sfd < 0)
		return 0;
	held = locked_by_other(sfd, RO_SHM_DMS, 1);
	close(sfd);
	return held;
}

/* "file:" URI of PATH with the query Q ("immutable=1"): every byte but
 * unreserved ones and '/' percent-encoded.  NULL when out of memory. */
static char *file_uri(const char *path, const char *q)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *u = malloc(5 + 3 * n + 2 + strlen(q));
	char *p = u;

	if (!u)
		return NULL;
	p += sprintf(p, "file:");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("/-._~", *s)) {
			*p++ = (char)*s;
		} else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	sprintf(p, "?%s", q);
	return u;
}

int store_ropen(const char *path, sqlite3 **db, long *recorder, char *why,
		size_t len)
{
	const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
	char wal[4096], *real;
	struct stat sb;
	int fd, rc, plain, live, on = 1;

	/* SQLite names the -wal and -shm after the symlink's target. */
	*db = NULL;
	*recorder = -1;
	why[0] = '\0';
	real = realpath(path, NULL);
	fd = real ? open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK) : -1;
	/* SQLite deletes the -wal of an empty file, even read-only. */
	if (fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size == 0) {
		close(fd);
		free(real);
		snprintf(why, len, "the file is empty");
		return SQLITE_CANTOPEN;
	}
	plain = fd < 0 ||
		snprintf(wal, sizeof(wal), "%s-wal", real) >= (int)sizeof(wal) ||
		(!wal_mode(fd) && lstat(wal, &sb) < 0 && errno == ENOENT);
	live = !plain && held_open(fd, real);
	/* Asked here, before SQLite opens the file: closing a descriptor of
	 * it later would drop the locks SQLite then holds. */
	*recorder = fd >= 0 ? recording_pid(fd) : -1;
	if (fd >= 0)
		close(fd);
	free(real);
	pthread_once(&ro_once, ro_register);
	if (!ro_registered)
		return SQLITE_CANTOPEN;
	if (plain)
		return sqlite3_open_v2(path, db, flags, "kscope-ro-shared");
	/* A -wal holds committed chunks: reading the file without it would
	 * hide them. */
	if (stat(wal, &sb) == 0 && sb.st_size > 0 && access(wal, R_OK) < 0) {
		snprintf(why, len, "its write-ahead log '%s' (the commits of a "
			 "recording that did not finish) cannot be read: %s; "
			 "make it as readable as the trace (chmod a+r, or "
			 "chown)", wal, strerror(errno));
		return SQLITE_CANTOPEN;
	}
	if (live) {
		char *uri = file_uri(path, "readonly_shm=1");

		if (!uri)
			return SQLITE_NOMEM;
		rc = sqlite3_open_v2(uri, db, flags | SQLITE_OPEN_URI,
				     "kscope-ro-shared");
		free(uri);
		return rc;
	}
	if (stat(wal, &sb) < 0 || sb.st_size == 0) {
		char *uri = file_uri(path, "immutable=1");

		if (!uri)
			return SQLITE_NOMEM;
		rc = sqlite3_open_v2(uri, db, flags | SQLITE_OPEN_URI,
				     "kscope-ro-shared");
		free(uri);
		return rc;
	}
	rc = sqlite3_open_v2(path, db, flags, "kscope-ro");
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_db_config(*db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on, NULL);
	/* Before the first read: the wal-index then lives in heap memory. */
	return sqlite3_exec(*db, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL,
			    NULL);
}
