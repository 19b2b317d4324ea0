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
 *   - instant events ("i", thread scope) for the events of every other
 *     kind with a process field, named by their sub-kind, in their class's
 *     category: fork, exec, exit (cat "proc"), TCP state changes,
 *     retransmits, resets, sends and receives (cat "net", "tcp state" ...).
 * Memory: a few words per CPU, plus the metadata rows.
 *
 * CSV: DIR, a new directory (0700), gets TABLE.csv (mode 0600) for every
 * table: the event tables in ts order (filter and window applied),
 * processes, threads, lost, meta.  RFC 4180, as `kscope query -F csv`.
 * The directory is filled under a new name beside DIR and moved to DIR
 * whole (outfile.h): an existing DIR is refused, or with o->force
 * replaced if it holds nothing but an earlier export's TABLE.csv files;
 * nothing is ever written into an existing directory or through a link.
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

struct export_opts {
	const struct filter *filter; /* NULL: every event */
	uint64_t from, to;           /* ts window */
	struct progress *progress;   /* may be NULL */
	int force;                   /* export_csv: replace an earlier export */
};

/* 0, -EPIPE when OUT's reader went away, or a negative errno with a
 * message in ERR (a corrupt chunk names the chunk). */
int export_perfetto(struct store *st, const struct export_opts *o, FILE *out,
		    char *err, size_t len);

/* The file names written are TABLE.csv in DIR.  Same returns. */
int export_csv(struct store *st, const struct export_opts *o, const char *dir,
	       char *err, size_t len);

#endif
