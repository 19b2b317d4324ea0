/*
 * store.h - the kscope trace file: writer, reader, cursors.
 *
 * A trace is an SQLite database (docs/FORMAT.md).  Events live in chunks:
 * one event kind over a time span, column-major, each column LZ4-compressed.
 *
 * Writing (the recorder):
 *
 *     struct store_writer *w = store_writer_open("t.kscope", &opts, err);
 *     store_writer_append(w, EV_SYSCALL, &sc);    // copies; sc may be reused
 *     store_writer_flush(w);                      // about once a second
 *     store_writer_close(w);                      // commit, checkpoint
 *
 * A store and its cursors belong to one thread at a time.
 *
 * Reading (analysis):
 *
 *     struct store *st = store_open("t.kscope", err);
 *     sqlite3_exec(store_db(st), "SELECT ... FROM syscalls", ...);
 *     struct store_cursor *c = store_cursor_open(st, EV_KIND_ALL, 0, UINT64_MAX);
 *     while ((rc = store_cursor_next(c, &kind, &ev)) > 0) ...
 *
 * Errors: functions return 0 (or a count) on success and a negative errno on
 * failure; the handle keeps a one-line message (store_errmsg and friends)
 * that reads like "chunk 12 of syscalls: column 'path' is corrupt".
 * Functions that create a handle take a STORE_ERRLEN buffer instead.
 * Nothing here prints or exits.
 */
#ifndef KSCOPE_STORE_H
#define KSCOPE_STORE_H

#include <stdint.h>
#include <stddef.h>
#include <sqlite3.h>

#include "store/ev.h"

#define STORE_ERRLEN 512

/* Format version: a reader opens any file of its major version. */
#define STORE_FORMAT_MAJOR 1
#define STORE_FORMAT_MINOR 3
#define STORE_APPLICATION_ID 0x4b53434f /* 'KSCO' */

/* ---- writing -------------------------------------------------------- */

struct store_writer_opts {
	int force;             /* replace an existing file */
	uint32_t chunk_events; /* events per chunk; 0 = default (65536),
	                        * at most CHUNK_EVENTS_MAX (chunk.h) */
	uint64_t max_size;     /* bytes; 0 = unlimited */
	int ring;              /* at max_size drop the oldest chunks, don't stop */
	/* Called with every event store_writer_append takes (NULL: none),
	 * after it is added; EV is only valid during the call. */
	void (*tap)(void *arg, enum ev_kind kind, const void *ev);
	void *tap_arg;
};

struct store_writer;

/* Create PATH (mode 0600; refuses an existing file unless opts->force).
 * OPTS may be NULL.  Returns NULL and fills ERR on failure.  With force,
 * only a regular file is replaced (store_writer_check_path). */
/* May store_writer_open create PATH?  0 when nothing is there, or, with
 * FORCE, a regular file (which it would replace).  Otherwise -errno and
 * ERR: -EEXIST "already exists (use -f ...)", -ELOOP for a symbolic
 * link, -EINVAL for a FIFO, device, directory or socket (never replaced:
 * `-f -o /dev/null` must not turn a device into a file). */
int store_writer_check_path(const char *path, int force,
			    char err[STORE_ERRLEN]);
struct store_writer *store_writer_open(const char *path,
				       const struct store_writer_opts *opts,
				       char err[STORE_ERRLEN]);

/* Append one event of KIND.  EV points to the kind's struct (ev.h); it and
 * its strings are copied.  Returns 0, or -ENOSPC (disk full), -EFBIG
 * (max_size reached without ring), -EIO... ; after an error the writer
 * accepts only store_writer_close(). */
int store_writer_append(struct store_writer *w, enum ev_kind kind,
			const void *ev);

/* After -ENOSPC or -EFBIG: roll back the open transaction, count what it
 * held (and every later append) as unsaved, and let meta, lost and the
 * process tables be written again so the trace can say what happened.
 * Appends stay refused.  Returns 0 (also when there was no error), or
 * the writer's error if it is of another kind or the writes cannot go on. */
int store_writer_salvage(struct store_writer *w);
/* Events taken but not saved since a full disk, per kind or (-1) in all. */
uint64_t store_writer_unsaved(const struct store_writer *w, int kind);

/* Seal every partly filled chunk and commit.  After it returns 0, all
 * events appended so far survive a crash. */
int store_writer_flush(struct store_writer *w);

/* meta table: insert or replace KEY. */
int store_writer_meta(struct store_writer *w, const char *key,
		      const char *value);

struct store_process {
	uint32_t pid;
	uint32_t ppid;
	uint64_t start_ts; /* boot-clock ns; identifies the process with pid */
	const char *comm;
	const char *exe;
	const char *cmdline; /* arguments joined by spaces */
	const char *cgroup;
	const char *container; /* container id when the cgroup shows one */
};

/* A process seen (snapshot or fork).  Same (pid, start_ts) replaces. */
int store_writer_process(struct store_writer *w, const struct store_process *p);
/* The live process PID (latest start_ts) exec'd. */
int store_writer_process_exec(struct store_writer *w, uint32_t pid,
			      const char *comm, const char *exe,
			      const char *cmdline);
/* The live process PID was renamed (its leader's comm changed). */
int store_writer_process_comm(struct store_writer *w, uint32_t pid,
			      const char *comm);
/* The live process PID ended at TS. */
int store_writer_process_exit(struct store_writer *w, uint32_t pid,
			      uint64_t ts, int exit_code, int exit_signal);
/* A thread seen; same (tid, start_ts) replaces. */
int store_writer_thread(struct store_writer *w, uint32_t tid, uint32_t pid,
			const char *comm, uint64_t start_ts);

/* Add COUNT lost events of CLASS ("syscall", "sched", "proc", "net") on CPU
 * to the second that contains TS. */
int store_writer_lost(struct store_writer *w, uint64_t ts, uint32_t cpu,
		      const char *class, uint64_t count);
/* Add DROPPED syscalls NAME of CLASS ("syscall") that the budget shed on
 * CPU in the second of TS (table shed): WHAT "sample" (left out while 1
 * in RATE were kept) or "payload" (kept without strings; RATE 0). */
int store_writer_shed(struct store_writer *w, uint64_t ts, uint32_t cpu,
		      const char *class, const char *name, const char *what,
		      uint32_t rate, uint64_t dropped);

/* Bytes the file takes now (database plus write-ahead log). */
uint64_t store_writer_size(const struct store_writer *w);
/* Events appended and not unsaved, per kind and in all. */
uint64_t store_writer_events(const struct store_writer *w, int kind);
/* Chunks ring mode has dropped so far. */
uint64_t store_writer_dropped(const struct store_writer *w);

/*
 * A snapshot of a trace being recorded (snapshot.c): its last commit
 * copied into a new complete trace at PATH (mode 0600, linked under PATH
 * only when whole; -EEXIST if PATH exists), with the meta of the copy
 * saying what it is: snapshot_of = OF, its own start_ts and end_ts =
 * END_TS, snapshot_reason = REASON, ring_dropped_chunks = DROPPED, and
 * the lost counts of its window.  Reads TRACE through a connection of its
 * own, so it may run in a thread while the recorder writes on.  0 and
 * *SUM filled, or -errno with ERR set.
 */
struct store_snapshot_opts {
	const char *of;
	const char *reason;
	uint64_t end_ts;
	uint64_t dropped;
};
struct store_snapshot_sum {
	uint64_t events;
	uint64_t start_ts, end_ts;
	uint64_t bytes;
};
int store_snapshot_write(const char *trace, const char *path,
			 const struct store_snapshot_opts *o,
			 struct store_snapshot_sum *sum, char err[STORE_ERRLEN]);

/*
 * Make the finished trace PATH smaller (compact.c): every chunk's columns
 * recompressed with zstd at LEVEL (1 to 22; higher is smaller and
 * slower), through a copy renamed over PATH only when whole, with PATH's
 * owner and permissions.  Refuses a file that is not a trace this build
 * reads or that is being recorded.  0 and *SUM filled, or -errno with
 * ERR set; PATH is unchanged on failure.
 */
#define STORE_COMPACT_LEVEL 19      /* kscope compact's default */
#define STORE_COMPACT_CLOSE_LEVEL 9 /* the recorder's, at close */
#define STORE_COMPACT_PAGE_SIZE 1024 /* a compacted trace's SQLite pages */
struct store_compact_sum {
	uint64_t before, after; /* file bytes */
	uint64_t chunks;        /* chunks made smaller */
};
int store_compact(const char *path, int level, struct store_compact_sum *sum,
		  char err[STORE_ERRLEN]);

/* Flush, checkpoint, leave a single self-contained file, free W.
 * Returns the first error seen over the writer's life (0 if none), and
 * then copies its message to ERR when ERR is not NULL. */
int store_writer_close(struct store_writer *w, char err[STORE_ERRLEN]);

const char *store_writer_errmsg(const struct store_writer *w);

/* ---- reading -------------------------------------------------------- */

struct store;

/* Open PATH read-only for analysis (defensive mode, untrusted schema off),
 * check it is a trace of a format this build reads, and register the event
 * tables and SQL functions on its connection.  NULL + ERR on failure. */
struct store *store_open(const char *path, char err[STORE_ERRLEN]);
void store_close(struct store *st);

/* The connection; owned by ST. */
sqlite3 *store_db(struct store *st);
const char *store_path(const struct store *st);
/* Value of meta KEY, or NULL.  Valid until store_close. */
const char *store_meta(struct store *st, const char *key);
const char *store_errmsg(const struct store *st);

/* Was ST's file being recorded when it was opened?  The pid of its
 * recorder (0 when not visible from here: another pid namespace), else
 * -1: finished, killed, or a copy (store_ropen). */
long store_recorder_pid(const struct store *st);

/* Name of syscall NR on the recording host's architecture, or NULL. */
const char *store_syscall_name(const struct store *st, int nr);

struct store_kind_stats {
	uint64_t events;
	uint64_t chunks;
	uint64_t raw_bytes;    /* columns before compression */
	uint64_t stored_bytes; /* chunk blobs as stored */
	uint64_t ts_min, ts_max;
};
int store_kind_stats(struct store *st, enum ev_kind kind,
		     struct store_kind_stats *out);

/* Counters since open: how much work scans did.  Tests use them to show
 * that range queries skip chunks without decompressing them. */
struct store_counters {
	uint64_t chunks_decoded;  /* blobs read and header checked */
	uint64_t columns_decoded; /* columns decompressed and decoded */
	uint64_t chunks_skipped;  /* rejected on their ts span alone */
};
const struct store_counters *store_counters(const struct store *st);
void store_counters_reset(struct store *st);

/* What SQL on a trace may cost (limits.c; docs/FUZZING.md "Reader's
 * promises").  A statement that starts while no other is in progress on
 * the connection gets a budget of STORE_BUDGET_BASE + STORE_BUDGET_PER_BYTE
 * virtual-machine steps per byte of the file, shared with every statement
 * started while it is in progress; past it, the statement fails with
 * SQLITE_INTERRUPT ("interrupted").  store_budget_reset starts a new
 * budget now (the TUI, which keeps statements open, at each key).
 * Strings and blobs in statements are at most STORE_MAX_VALUE bytes;
 * SQLite's heap is capped at STORE_HEAP_MAX for the process unless the
 * program set a limit before. */
#define STORE_BUDGET_BASE (1ull << 26)
#define STORE_BUDGET_PER_BYTE 64
#define STORE_BUDGET_TICK 1000
#define STORE_MAX_VALUE (256 << 20)
#define STORE_HEAP_MAX (512ll << 20)
void store_budget_reset(struct store *st);
/* 1 if the budget ran out since it was last renewed. */
int store_budget_spent(const struct store *st);
/* Have the store's progress handler also call CB(ARG) every
 * STORE_BUDGET_TICK steps (nonzero interrupts); NULL for none.  Use this,
 * not sqlite3_progress_handler, which would drop the budget. */
void store_progress_set(struct store *st, int (*cb)(void *), void *arg);

/* Verify every chunk: its index row, its blob (checksums, sizes, every
 * column decoded), its header's event count and raw size against the
 * index, its ts sorted and spanning exactly [ts_first, ts_last]; and that
 * no chunk data lacks an index row.  0, or -EBADMSG with a message naming
 * the first bad chunk. */
int store_verify(struct store *st);

/* The same going on past bad chunks: FN gets one line per problem
 * ("chunk 12 of syscalls: ...", valid during the call) and returns
 * non-zero to stop.  Returns 0 when the check ran to its end or FN
 * stopped it (SUM says how many chunks were bad), or a negative errno
 * when it could not go on (store_errmsg). */
struct store_verify_sum {
	uint64_t chunks;  /* index rows */
	uint64_t events;  /* in the good chunks */
	uint64_t bad;     /* problems reported */
	uint64_t skipped; /* chunks of kinds this build does not know (a
	                   * newer minor version's) */
};
typedef int store_verify_fn(const char *problem, void *arg);
int store_verify_each(struct store *st, store_verify_fn *fn, void *arg,
		      struct store_verify_sum *sum);

/* A time-ordered cursor over the kinds in KIND_MASK (bit 1 << kind) with
 * TS_FROM <= ts <= TS_TO.  Events of all kinds come out merged in ts order
 * (ties: kind order, then file order). */
struct store_cursor;
struct store_cursor *store_cursor_open(struct store *st, unsigned kind_mask,
				       uint64_t ts_from, uint64_t ts_to);
/* 1 and *KIND, *EV set (EV valid until the next call), 0 at the end,
 * negative errno on error (message in store_errmsg). */
int store_cursor_next(struct store_cursor *c, enum ev_kind *kind,
		      const void **ev);
void store_cursor_close(struct store_cursor *c);

/* A columnar scan over the events of KIND with TS_FROM <= ts <= TS_TO, a
 * chunk at a time (scan.c): FN gets each batch of rows with the integer
 * values of the fields whose bit is set in FIELDS (bit i = field i of the
 * kind's descriptor; a string field gives its per-chunk dictionary index,
 * 0 for NULL).  Any field of a row can also be read with store_batch_int /
 * store_batch_str, which decode that column of the chunk on first use
 * (cheap for the few rows that need it).  Rows are in ts order inside a
 * batch, batches in their chunk's ts_first order: chunks may overlap, so
 * the whole is not sorted.  FN returning non-zero stops the scan and
 * store_scan returns that value; otherwise 0 or a negative errno (message,
 * naming the chunk, in store_errmsg).  Nothing in a batch outlives FN. */
#define STORE_BATCH_FIELDS 32
struct chunk_dec;
struct store_batch {
	enum ev_kind kind;
	int64_t chunk;
	uint32_t n;                               /* rows */
	const int64_t *col[STORE_BATCH_FIELDS];   /* NULL: not asked for */
	struct chunk_dec *dec;                    /* private */
	struct store *st;                         /* private */
	uint32_t first;                           /* private */
};
typedef int store_scan_fn(const struct store_batch *b, void *arg);
int store_scan(struct store *st, enum ev_kind kind, uint64_t fields,
	       uint64_t ts_from, uint64_t ts_to, store_scan_fn *fn, void *arg);
/* Field FIELD of row I of B: 0 and *OUT (a string stays valid until FN
 * returns; NULL for no value), or a negative errno (store_errmsg). */
int store_batch_int(const struct store_batch *b, unsigned field, uint32_t i,
		    int64_t *out);
int store_batch_str(const struct store_batch *b, unsigned field, uint32_t i,
		    const char **out);

#endif
