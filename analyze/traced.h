/*
 * traced.h - which tasks a trace sees whole, and where it has holes.
 *
 *     struct traced t;
 *     if (traced_load(st, &t) < 0) ...            // message: store_errmsg
 *     if (traced_at(&t, tid, ts, &until)) ...      // tid traced at ts
 *     ns = traced_known(&t, cpu, a, b, &partial);  // [a, b) less holes
 *     traced_free(&t);
 *
 * A recording of `-- CMD`, `-p PID` or `--cgroup` (without -a) keeps the
 * sched_switch events in which the previous or the next task is traced.
 * A traced task's run on a CPU therefore has both ends recorded; an
 * untraced task's switch-in is recorded only when the task before it was
 * traced and its switch-out only when the next one is, and switches
 * between two untraced tasks are not recorded at all.  So the time of an
 * untraced task is never known, and the reports compute none.
 *
 * Who is traced is read from the trace: the recorder's options (meta
 * "options") say whether it recorded some tasks or all of them; in the
 * first case the traced tasks are those of the threads table, each from
 * its start_ts.  A recorder that kept exiting processes traced until they
 * are gone (it records the final switch of a dead task to idle or to an
 * untraced task, which an older one never did: exit_kept) traced them to
 * the end; an older one until the process's end_ts (its exit, after which
 * its switches are recorded only when the other side is traced).  With
 * -a, or with no target, every task is traced.
 *
 * Holes: a lost row of class 'sched' on a CPU means switches of that CPU
 * may be missing around its ts.  The recorder counts losses once a
 * second and writes them in the second of the count (its ts, the start of
 * that second), but they happened since the previous count, about a
 * second earlier: the hole is [ts - 1 s, ts + 1 s).  Time inside a hole is
 * not known.
 *
 * The recording's edges: switches are known to be recorded from the first
 * recorded switch (sw_first, at or after the attach) to the last recorded
 * event of any kind (last, at or before the detach: the programs are
 * detached together, and a task's exit event shows it on a CPU whatever
 * the sched program did); before and after them nothing is known.
 */
#ifndef KSCOPE_TRACED_H
#define KSCOPE_TRACED_H

#include <stdint.h>

#include "store/store.h"

#define TRACED_HOLE_BEFORE 1000000000ull
#define TRACED_HOLE_AFTER 1000000000ull

struct traced_span {	/* tid traced over [from, until) */
	uint32_t tid;
	uint64_t from, until;
};

struct traced_hole {	/* switches of cpu may be missing in [from, to) */
	uint32_t cpu;
	uint64_t from, to;
};

struct traced {
	int some;		/* 1: only some tasks are traced */
	struct traced_span *spans;	/* sorted by tid, then from */
	size_t nspans;
	struct traced_hole *holes;	/* sorted by cpu, then from */
	size_t nholes;
	int exit_kept;		/* exiting tasks traced to their final switch */
	uint64_t sw_first;	/* the first recorded switch; 0: none */
	uint64_t last;		/* the last recorded event */
};

/* Whether the options string of a recording (meta "options", as
 * "kscope record -o t.kscope -- make") traced only some tasks: a command
 * or -p without -a, or --cgroup.  0 for anything not a record command
 * line. */
int traced_options_some(const char *options);

/* Fill T from the trace.  0 or a negative errno (the store's message, or
 * SQLite's through store_db).  T is freed with traced_free either way. */
int traced_load(struct store *st, struct traced *t);
void traced_free(struct traced *t);

/* Whether TID was traced at TS; *UNTIL (may be NULL) gets the end of that
 * tracing (UINT64_MAX: the trace's end).  Every tid is traced when !some. */
int traced_at(const struct traced *t, uint32_t tid, uint64_t ts,
	      uint64_t *until);

/* Whether TID was traced at some time (a row of the threads table); 1 for
 * every tid when !some. */
int traced_ever(const struct traced *t, uint32_t tid);

/* The ns of [A, B) outside the holes of CPU (UINT32_MAX: of any CPU);
 * *PARTIAL is set to 1 when a hole took some of it (left alone else). */
uint64_t traced_known(const struct traced *t, uint32_t cpu, uint64_t a,
		      uint64_t b, int *partial);

/* The start of the first hole of CPU (UINT32_MAX: any CPU) that overlaps
 * [A, B), or UINT64_MAX. */
uint64_t traced_hole_start(const struct traced *t, uint32_t cpu, uint64_t a,
			   uint64_t b);
/* The end of the holes of CPU that cover TS (overlapping holes joined),
 * or TS when none does. */
uint64_t traced_hole_end(const struct traced *t, uint32_t cpu, uint64_t ts);

#endif
