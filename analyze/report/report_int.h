/*
 * report_int.h - what the report modules share (report.c, frame.c,
 * tables.c, cells.c, scan.c and strtab.c implement it).
 * Not for use outside the files of analyze/report/.
 *
 * A report's run function reads the trace through store_scan (integer
 * columns, fast aggregation) or SQL, and prints tables:
 *
 *     const char *cols[] = { "name", "calls", "total_ns" };
 *     report_table_begin(r, "by_name", "System calls by name", 3, cols);
 *     report_table_row(r, (struct output_cell[]){ OUTPUT_TEXT("read"),
 *                      OUTPUT_INT(42), report_dur(r, 1500) });
 *     report_table_end(r);
 *
 * Columns named "*_ns" hold durations: report_dur() gives a number of ns in
 * CSV and JSON and "1.50 ms" in text, where the "_ns" is dropped from the
 * header.  report_ts() does the same for timestamps (boot-clock ns, or the
 * UTC time of day in text).  Every function returns 0 or a negative errno
 * with a message in r->err.
 */
#ifndef KSCOPE_REPORT_INT_H
#define KSCOPE_REPORT_INT_H

#include <stdint.h>
#include <stdlib.h>

#include "analyze/report/report.h"
#include "analyze/shed.h"
#include "store/hmap.h"

#define REPORT_CELLBUFS 24

/* Interned strings: the same text gets the same index. */
struct report_strtab {
	struct hmap map;	/* hash -> index (probing on collision) */
	char **s;
	size_t n, cap;
};
/* 0 and *IX for S (copied), or -ENOMEM. */
int report_str_intern(struct report_strtab *t, const char *s, uint32_t *ix);
/* 1 and *IX when S is in T, else 0. */
int report_str_find(const struct report_strtab *t, const char *s,
		    uint32_t *ix);
void report_strtab_free(struct report_strtab *t);

/* qsort() that takes an empty or NULL array (qsort's BASE must not be NULL
 * even when N is 0). */
static inline void report_sort(void *base, size_t n, size_t size,
			       int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}
/* The same with qsort_r's context ARG passed to CMP. */
static inline void report_sort_r(void *base, size_t n, size_t size,
				 int (*cmp)(const void *, const void *, void *),
				 void *arg)
{
	if (n > 1)
		qsort_r(base, n, size, cmp, arg);
}

/* Grow *P (of *CAP elements of SIZE bytes) to hold at least NEED.
 * 0 or -ENOMEM. */
int report_grow(void *p, size_t *cap, size_t need, size_t size);

struct report_lost {
	char *class;
	uint64_t count;
};

/* One trace of a merged report (report_merge.c). */
struct report_merged {
	const char *host;	/* meta host, or NULL */
	uint32_t host_ix;	/* index in r->hosts of the first trace of
				 * this host (its own when it has none) */
	int has_offset;
	int64_t offset;
	uint64_t span_from, span_to, from, to;
	uint64_t lost_total;
	struct report_lost *lost;
	size_t nlost;
	struct shed_summary shed;
};

struct report {
	struct store *st;
	sqlite3 *db;
	const struct report_desc *d;
	const struct report_opts *o;
	FILE *fp;
	unsigned top;
	uint64_t from, to;	/* the window, inclusive */
	uint64_t span_from, span_to; /* the trace's */
	int has_offset;
	int64_t offset;		/* clock_offset_ns */

	uint64_t lost_total;	/* lost events in the window */
	struct report_lost *lost;
	size_t nlost;
	struct shed_summary shed; /* what a --budget shed in the window */

	/* output */
	struct output *out;	/* the open table, or NULL */
	int ntables;
	uint64_t nrows;		/* rows of the open table */
	char **notes;
	size_t nnotes;
	char cellbuf[REPORT_CELLBUFS][48];
	char longbuf[4][112];
	unsigned nlong;
	unsigned ncell;

	/* --comm over string columns: per chunk, dictionary index -> match */
	int64_t comm_chunk;
	int comm_kind;
	int8_t *comm_memo;
	size_t comm_cap;
	int comm_err;		/* a store error met while matching */

	char progress_what[64];	/* the progress line's label */

	/* a merged report (report_merge.c): its traces, each one's lost
	 * events and shed calls; r->st, r->db and the window are those of the
	 * trace report_merge_use chose last.  NULL / 0 otherwise. */
	const struct report_trace *traces;
	struct report_merged *mt;
	size_t ntraces;
	/* syscall numbers are indexes into these names (every trace's
	 * syscalls by name), when not NULL */
	struct report_strtab *sysnames;
	/* distinct hosts of the traces: the host column of rows keyed by
	 * (host, pid); NULL entries for traces without a host */
	const char **hosts;

	char *err;
	size_t errlen;
};

/* r->err = formatted message; returns RC. */
int report_fail(struct report *r, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The store's message (a corrupt chunk named) as r->err; returns RC. */
int report_store_fail(struct report *r, int rc);
/* SQLite's message for a failed prepare/step; returns -EIO. */
int report_sql_fail(struct report *r, const char *what);

/* What report_run prints around a report's tables (frame.c): gather the
 * events lost in the window (r->lost, r->lost_total), print the header
 * (a merged report's: every trace with its window and lost events, the
 * filter, the lost events of all), print the notes.  0 or a negative
 * errno. */
int report_lost_gather(struct report *r);
int report_header_print(struct report *r);
int report_notes_print(struct report *r);
/* Flush R's output after the run that returned RC: RC, or a write
 * error's. */
int report_flush(struct report *r, int rc);
/* Free what a run gathered (the open table, notes, lost classes). */
void report_free(struct report *r);

/* Tables (see above).  KEY names the table in JSON and CSV, TITLE heads it
 * in text. */
int report_table_begin(struct report *r, const char *key, const char *title,
		       int ncols, const char *const *names);
int report_table_row(struct report *r, const struct output_cell *cells);
int report_table_end(struct report *r);
/* End the open table, if any, after a step that returned RC: RC, or the
 * end's error when RC is 0. */
int report_table_close(struct report *r, int rc);
/* The trace file as a shell word for the commands a note suggests: as it
 * is when it needs no quotes, else in single quotes.  Into BUF (LEN
 * bytes); returns BUF. */
const char *report_file_word(struct report *r, char *buf, size_t len);
/* The same for the file PATH. */
const char *report_path_word(const char *path, char *buf, size_t len);
/* A line of "where to look next" advice, printed after the tables. */
int report_note(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct output_cell report_dur(struct report *r, int64_t ns);
struct output_cell report_ts(struct report *r, int64_t ts);
/* Text from the trace that may be NULL. */
struct output_cell report_text(const char *s);
/* Text from the trace, cut to about 100 columns with "..." in the text
 * format (CSV and JSON get it whole); may be NULL. */
struct output_cell report_text_cut(struct report *r, const char *s);
/* A formatted string cell (valid until the row is printed). */
struct output_cell report_textf(struct report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "ENOENT" for -2, "ERESTARTNOHAND" for -514 (kernel-internal codes),
 * "E1234" for an unknown errno. */
struct output_cell report_errno(struct report *r, int64_t ret);
/* Name of syscall NR, "sys_123" when unknown. */
struct output_cell report_sysname(struct report *r, int nr);
/* The same as a string, or NULL when unknown. */
const char *report_sysname_str(const struct report *r, int nr);
/* A signal number: in text its name as replay prints it ("SIGKILL"; the
 * number when it has none; nothing for 0), in CSV and JSON the number. */
struct output_cell report_signal(struct report *r, int64_t sig);

/* A log2 histogram, BCC style: bucket k counts values in [2^k, 2^(k+1))
 * of UNIT ("us"), bucket 0 also 0.  Text draws the bars; CSV and JSON get
 * rows of lo, hi, count.  Buckets past the last non-empty one are left
 * out. */
int report_hist_print(struct report *r, const char *key, const char *title,
		      const char *unit, const uint64_t *counts, int nbuckets);

/* Prepare SQL, binding ?1 = from and ?2 = to; NULL on error (r->err). */
sqlite3_stmt *report_prepare(struct report *r, const char *sql);
/* Column C of the current row of S as a malloc'd string, or NULL (a NULL
 * value, or no memory). */
char *report_col_dup(sqlite3_stmt *s, int c);

/* Filters.  report_pid_ok: --pid matches PID.  report_comm_ok: --comm
 * matches the string FIELD of row I of B (memoized per chunk); a store
 * error reading it makes report_scan fail. */
static inline int report_pid_ok(const struct report *r, int64_t pid)
{
	return r->o->pid < 0 || r->o->pid == pid;
}
/* A syscall result that is an error: -4095 <= ret < 0, the kernel's rule
 * (IS_ERR_VALUE); other negative values are results, not errnos. */
static inline int report_failed(int64_t ret)
{
	return ret < 0 && ret >= -4095;
}
/* ACC + DUR for a sum of durations (or bytes) that never wraps: past
 * INT64_MAX (292 years of ns, only a hostile file's) it stays there, so
 * it prints as the largest figure, not a negative one. */
static inline uint64_t report_sum_add(uint64_t acc, int64_t v)
{
	uint64_t s;

	if (v < 0 || __builtin_add_overflow(acc, (uint64_t)v, &s) ||
	    s > INT64_MAX)
		return INT64_MAX;
	return s;
}
/* report_unfinished's answers for a call without a result. */
#define REPORT_SC_RUNNING 1 /* in flight when the recording stopped */
#define REPORT_SC_EXITED 2  /* its thread exited inside it (exit, exit_group,
			     * a fatal signal): it never returns */
/* Whether row I of syscalls batch B (DUR its dur) has no result: such
 * calls have dur 0, so the flags column (FFLAGS) is read, lazily, only for
 * rows with dur 0.  0 (finished), REPORT_SC_RUNNING, REPORT_SC_EXITED, or
 * a negative errno (store_errmsg).  Only REPORT_SC_RUNNING is "still
 * running". */
static inline int report_unfinished(const struct store_batch *b, int fflags,
				    uint32_t i, int64_t dur)
{
	int64_t fl;
	int rc;

	if (dur != 0)
		return 0;
	if ((rc = store_batch_int(b, (unsigned)fflags, i, &fl)) < 0)
		return rc;
	if (!(fl & EV_SYSCALL_UNFINISHED))
		return 0;
	return (fl & EV_SYSCALL_EXITED) ? REPORT_SC_EXITED : REPORT_SC_RUNNING;
}
/* The path of row I of syscalls batch B (fields FPATH, FSTATUS) as reports
 * show it: the captured string, REPORT_UNREADABLE when a path was given
 * but could not be read, or NULL when the call has none.  The status
 * column is read only for rows without a path.  0 or a negative errno. */
#define REPORT_UNREADABLE "(unreadable)"
static inline int report_path(const struct store_batch *b, int fpath,
			      int fstatus, uint32_t i, const char **v)
{
	int64_t st;
	int rc;

	if ((rc = store_batch_str(b, (unsigned)fpath, i, v)) < 0 || *v)
		return rc;
	if ((rc = store_batch_int(b, (unsigned)fstatus, i, &st)) < 0)
		return rc;
	if (st == EV_PATH_UNREADABLE)
		*v = REPORT_UNREADABLE;
	return 0;
}
int report_comm_ok(struct report *r, const struct store_batch *b,
		   unsigned field, uint32_t i);
/* comm of process PID (processes table, latest start before the window's
 * end; else the threads table's row of tid PID), malloc'd, or NULL. */
char *report_proc_comm(struct report *r, uint32_t pid);

/* store_scan over the window, with a progress line (progress.h) when
 * opts.progress is set and stderr is a terminal. */
int report_scan(struct report *r, enum ev_kind kind, uint64_t fields,
		store_scan_fn *fn, void *arg);
/* The same over [FROM, TO] instead of the window. */
int report_scan_range(struct report *r, enum ev_kind kind, uint64_t fields,
		      uint64_t from, uint64_t to, store_scan_fn *fn, void *arg);

/* store_scan over the window for accumulators of analyze/fold/: FN gets
 * each batch with KEEP, the rows --pid and --comm let through (NULL: all)
 * (report_fold.c). */
typedef int report_fold_fn(void *arg, const struct store_batch *b,
			   const uint8_t *keep);
int report_fold(struct report *r, enum ev_kind kind, uint64_t fields,
		report_fold_fn *fn, void *arg);

/* Merged reports (report_merge.c).  report_merge_use points r->st,
 * r->db and the window at trace I; report_merge_sysnr gives the index of
 * trace I's syscall NR in r->sysnames (interning its name), -1 when out
 * of memory; report_merge_host the index of trace I's host in r->hosts.
 * report_unmerged_run says, in one line, that a report cannot be merged
 * honestly. */
void report_merge_use(struct report *r, size_t i);
int32_t report_merge_sysnr(struct report *r, size_t i, int32_t nr);
uint32_t report_merge_host(const struct report *r, size_t i);
int report_unmerged_run(struct report *r);

/* Report run functions (one module each). */
int report_summary_run(struct report *r);
int report_syscalls_run(struct report *r);
int report_slow_run(struct report *r);
int report_errors_run(struct report *r);
int report_procs_run(struct report *r);
int report_cpu_run(struct report *r);
int report_runqlat_run(struct report *r);
int report_offcpu_run(struct report *r);
int report_net_run(struct report *r);
int report_files_run(struct report *r);
int report_io_run(struct report *r);
int report_why_run(struct report *r);
int report_syscalls_merge(struct report *r);
int report_errors_merge(struct report *r);
int report_slow_merge(struct report *r);
int report_runqlat_merge(struct report *r);
int report_files_merge(struct report *r);
int report_net_merge(struct report *r);

/* Shared by summary and the syscall reports (report_syscalls.c). */
struct report_top_call {	/* one of the N slowest calls */
	uint64_t ts, dur;
	uint32_t pid, tid;
	int32_t nr;
	int64_t ret;
	int64_t chunk;
	char *comm, *path, *addr;
	int64_t fd;
	char *fd_name;		/* what fd referred to, NULL when unknown */
	uint32_t trace;		/* merged: its trace's index; else 0 */
};
struct report_slowest {
	struct report_top_call *v;	/* a min-heap on dur while scanning */
	size_t n, cap;
};
/* Whether a call of DUR ns would enter S (of N entries at most): the
 * cheap test to make before report_slowest_offer. */
static inline int report_slowest_wants(const struct report_slowest *s,
				       size_t n, uint64_t dur)
{
	return s->n < n || dur > s->v[0].dur;
}
/* Offer row I of B (syscalls with ts, dur, pid, tid, nr, ret, fd columns
 * asked for) to the N slowest.  0 or -errno. */
int report_slowest_offer(struct report *r, struct report_slowest *s,
			 const struct store_batch *b, uint32_t i);
/* Sort slowest first. */
void report_slowest_sort(struct report_slowest *s);
void report_slowest_free(struct report_slowest *s);
/* The table "slowest" of S. */
int report_slowest_print(struct report *r, struct report_slowest *s,
			 const char *key, const char *title);

#endif
