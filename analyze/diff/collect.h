/*
 * collect.h - one trace's figures for `kscope diff`, folded by the
 * analysis engine (analyze/fold/): the same accumulators the reports and
 * the TUI use, over the trace's whole window, in one pass.
 *
 *     struct diff_side s;
 *     char err[DIFF_ERRLEN];
 *     if (diff_collect(st, "before.kscope", &s, err) < 0) ...
 *     ... s.secs, s.tab[DIFF_SYSCALLS].v[i] ...
 *     diff_side_free(&s);
 *
 * Figures are keyed by what names a thing the same in two recordings
 * (pids, socket addresses and syscall numbers do not): per section a
 * table of rows, each with up to three additive figures (struct
 * diff_acc: events, sum, sum of squares) and, for latencies, every
 * sample sorted.  What a row's figures are:
 *
 *   DIFF_SYSCALLS  key: syscall name (fold/sysc.h); v[0] calls, v[1]
 *                  failed calls, v[2] time of the finished calls (ns);
 *                  samples: their durations
 *   DIFF_ERRORS    key: "name ERRNO" (fold/errs.h); v[0] failures;
 *                  note: example paths or addresses.  And per failed
 *                  open with a path (fold/files.h: open, openat,
 *                  openat2, creat), key "open ERRNO PATH"
 *   DIFF_PROCS     key: "comm exe" (the processes table); v[0]
 *                  processes, v[1] those that exited non-zero; note:
 *                  the exit codes seen, "CODE=COUNT ..." ("running"
 *                  for a process alive at the end)
 *   DIFF_CPU       key: command name; v[0] on-CPU time (ns), each run an
 *                  event (fold/fold_sched.h's intervals)
 *   DIFF_OFFCPU    key: "comm cause", cause the state the thread left
 *                  the CPU in (preempted, sleeping, blocked, other);
 *                  v[0] off-CPU time (ns), each period an event
 *   DIFF_RUNQ      one row "all" (fold/runqlat.h): v[0] waits, v[2]
 *                  time waited (ns); samples: every wait
 *   DIFF_CONNS     key: "out ADDR:PORT" (connections made) or "in :PORT"
 *                  (accepted on a local port), or the peer when the
 *                  role is unknown (fold/conn.h); v[0] connections,
 *                  v[1] failed ones, v[2] bytes sent and received
 *
 * diff_collect returns 0 or a negative errno with one line in ERR.
 */
#ifndef KSCOPE_DIFF_COLLECT_H
#define KSCOPE_DIFF_COLLECT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/diff/stats.h"
#include "analyze/report/report_int.h"
#include "store/store.h"

#define DIFF_ERRLEN 512

enum diff_sec {
	DIFF_SYSCALLS, DIFF_ERRORS, DIFF_PROCS, DIFF_CPU, DIFF_OFFCPU,
	DIFF_RUNQ, DIFF_CONNS, DIFF_NSECS
};

struct diff_row {
	struct diff_acc v[3];
	int64_t *s;		/* samples, sorted ascending (owned) */
	size_t ns, caps;
	char *note;		/* owned, may be NULL */
};

struct diff_tab {
	struct report_strtab keys;	/* key i names row v[i] */
	struct diff_row *v;
	size_t n, cap;
};

struct diff_side {
	const char *name;	/* the file as given */
	uint64_t from, to;	/* the trace's window, inclusive */
	double secs;		/* its length, s (at least 1 ns) */
	struct diff_tab tab[DIFF_NSECS];
};

int diff_collect(struct store *st, const char *name, struct diff_side *s,
		 char *err);
void diff_side_free(struct diff_side *s);

/* The row of KEY in T, or NULL. */
const struct diff_row *diff_tab_find(const struct diff_tab *t,
				     const char *key);

#endif
