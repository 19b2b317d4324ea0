/*
 * export.h - a trace into formats other tools read: Chrome/Perfetto
 * trace-event JSON, and CSV files (one per table).
 *
 *     struct export_opts o = { .filter = f, .from = 0, .to = UINT64_MAX };
 *     rc = export_perfetto(st, &o, stdout, err, sizeof(err));
 *     rc = export_csv(st, &o, "out-dir", err, sizeof(err));
 *     if (rc == -EPIPE) ...quiet...; else if (rc < 0) ...print err...
 *
 * Perfetto JSON (open it in ui.perfetto.dev or chrome://tracing): an object
 * {"displayTimeUnit":"ns","otherData":{...meta...},"traceEvents":[...]}
 * with one event per line.  Times are microseconds from the trace's start
 * (3 decimals: nanosecond precision).
 *   - process_name / thread_name metadata ("M") from the processes and
 *     threads tables: one track per thread, grouped by process;
 *   - each syscall a complete slice ("X", cat "syscall") on its thread,
 *     named after the call, args: the decoded call, ret, errno;
 *   - on-CPU periods from sched_switch as slices on per-CPU tracks, in a
 *     process named "CPUs" (pid EXPORT_CPU_PID, CPU n is tid
 *     EXPORT_CPU_PID + 1 + n), named "comm/tid" of the running thread;
 *   - wakeups as flow arrows (v1 "s" / "f", cat "wakeup", one id each)
 *     from the waker to the woken thread's next on-CPU slice: from the
 *     waker's on-CPU slice on the CPU track the wakeup was raised on, or,
 *     for a wakeup raised by an interrupt (waker_ctx hardirq, softirq,
 *     nmi), from a zero-length slice named after the interrupt ("softirq
 *     TIMER") on that CPU's irq track (tid EXPORT_IRQ_TID(n), "CPU n
 *     irq"); a second wakeup before the thread runs keeps the first, and
 *     a thread the trace does not draw gets no arrow;
 *   - block I/O requests as slices (cat "block", named by op) from issue
 *     to completion, in a process named "Block I/O" (pid
 *     EXPORT_BLOCK_PID) with one track per device ("vda"), more ("vda
 *     (2)" ...) where requests overlap;
 *   - signals as instants on the target thread's track, named "SIGKILL
 *     generate", "SIGKILL deliver" or "oom_kill" (cat "proc");
 *   - thread states (analyze/fold/tstate.h: running, runnable, sleeping,
 *     blocked, dead) as slices (cat "state") on a track beside each thread
 *     whose switches are written ("comm/tid state", tid
 *     EXPORT_STATE_TID(n) in the thread's process), args: cpu, syscall,
 *     fd_name, blocked_in, waker; an interval that begins before the one
 *     before it ended (a thread the switches put on two CPUs at once) is
 *     drawn from that end, marked partial;
 *   - instant events ("i", thread scope) for the events of every other
 *     kind with a process field, named by their sub-kind, in their class's
 *     category: fork, exec, exit (cat "proc"), TCP state changes,
 *     retransmits, resets, sends and receives (cat "net", "tcp state" ...).
 *     Stacks rows are a dictionary (sched_switch.stack_id), not drawn.
 * Memory: a few words per CPU, per thread woken and not yet run, per
 * block device track and per thread drawn, plus the metadata rows; and,
 * at the end, the thread states of the window (a few words per switch).
 *
 * CSV: DIR, a new directory (0700), gets TABLE.csv (mode 0600) for every
 * table: the event tables in ts order (filter and window applied),
 * processes, threads, lost, meta.  RFC 4180, as `kscope query -F csv`.
 * The directory is filled under a new name beside DIR and moved to DIR
 * whole (outfile.h): an existing DIR is refused, or with o->force
 * replaced if it holds nothing but an earlier export's TABLE.csv files;
 * nothing is ever written into an existing directory or through a link.
 *
 * ClickHouse: the same directory rules; TABLE.sql and TABLE.tsv for every
 * table and a load.sh (chexport.c, docs/FLEET.md).
 */
#ifndef KSCOPE_EXPORT_H
#define KSCOPE_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/replay/filter.h"
#include "analyze/output/progress.h"
#include "store/store.h"

/* Above the kernel's PID_MAX_LIMIT (4194304): never a real pid. */
#define EXPORT_CPU_PID 4194400
#define EXPORT_MAX_CPUS 65536
/* CPU N's interrupt track, in the "CPUs" process. */
#define EXPORT_IRQ_TID(n) (EXPORT_CPU_PID + 1 + EXPORT_MAX_CPUS + (n))
/* The "Block I/O" process; its device tracks are tids above it. */
#define EXPORT_BLOCK_PID (EXPORT_CPU_PID + 1 + 2 * EXPORT_MAX_CPUS)
/* The state track of the N-th thread drawn, in that thread's process. */
#define EXPORT_STATE_TID(n) (EXPORT_BLOCK_PID + 1 + EXPORT_MAX_CPUS + (n))
/* Several traces in one Perfetto JSON: the pids and tids of the I-th are
 * I * EXPORT_PID_SPAN above its own (a namespace per trace, past every
 * pid above and 12M state tracks), at most EXPORT_MAX_TRACES of them
 * (pids stay below 2^32). */
#define EXPORT_PID_SPAN (1 << 24)
#define EXPORT_MAX_TRACES 255

struct export_opts {
	const struct filter *filter; /* NULL: every event */
	uint64_t from, to;           /* ts window */
	struct progress *progress;   /* may be NULL */
	int force;                   /* export_csv: replace an earlier export */
	uint64_t *events;            /* out, when not NULL: the events the
				      * window and the filter kept */
};

/* One of several traces exported together: the open trace, its name as
 * given on the command line, its window (boot-clock ns). */
struct export_trace {
	struct store *st;
	const char *name;
	uint64_t from, to;
};

/* 0, -EPIPE when OUT's reader went away, or a negative errno with a
 * message in ERR (a corrupt chunk names the chunk). */
int export_perfetto(struct store *st, const struct export_opts *o, FILE *out,
		    char *err, size_t len);
/* The same for the N traces T in one JSON (O's window is ignored: T has
 * each one's).  With one trace, what export_perfetto writes.  With
 * several, each trace's pids and tids are shifted by I * EXPORT_PID_SPAN
 * (a process group per trace), its process names start with its host
 * (else its name), times are aligned by wall clock (time 0 the earliest
 * start; a trace without a clock offset starts at 0) and otherData lists
 * the traces: {"traces": [{"trace", "host", "pid_base",
 * "clock_offset_ns", "aligned_by"}]} instead of one trace's meta. */
int export_perfetto_multi(const struct export_trace *t, size_t n,
			  const struct export_opts *o, FILE *out, char *err,
			  size_t len);

/* The file names written are TABLE.csv in DIR.  Same returns. */
int export_csv(struct store *st, const struct export_opts *o, const char *dir,
	       char *err, size_t len);
/* The N traces T into DIR, as export_csv does one (O's window is ignored:
 * T has each one's), with two columns first in every file: trace (T's
 * name) and host (meta host, empty when the trace has none); each
 * table's rows trace after trace, under one header: the union of the
 * traces' columns by name (a column an older format lacks is empty in
 * its rows).  Same returns. */
int export_csv_multi(const struct export_trace *t, size_t n,
		     const struct export_opts *o, const char *dir, char *err,
		     size_t len);

/* ClickHouse: DIR gets TABLE.sql (CREATE TABLE), TABLE.tsv
 * (TabSeparatedWithNames) for every table and load.sh; TRACE fills the
 * trace column (chexport.c, docs/FLEET.md).  Same returns. */
int export_clickhouse(struct store *st, const struct export_opts *o,
		      const char *dir, const char *trace, char *err,
		      size_t len);

/* The SELECT of WHAT (columns) of kind D's events in the window ?1..?2
 * that F keeps, in ts order (sqlite3_free it), or NULL when out of
 * memory. */
char *export_kind_sql(const struct ev_desc *d, const struct filter *f,
		      const char *what);

#endif
