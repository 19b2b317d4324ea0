/*
 * instead.h - who ran instead: while a thread waited for a CPU (runnable),
 * which threads ran on the CPU it waited on, and for how long.  From the
 * thread states of tstate.h; `report why` (ran_instead) and the TUI's Run
 * queue view show it.
 *
 *     struct fold_instead in;
 *     fold_instead_init(&in, t);                  // t: a tstate after run
 *     fold_instead_wall(t, from, to, first, end, &a, &b);
 *     fold_instead_add(&in, life, tid, a, b);     // per waiting life
 *     fold_instead_sort(&in);
 *     ... in.v[0..n): who, life, cpu, ns, n ...
 *     fold_instead_free(&in);
 *
 * The CPU a runnable interval waited on is the one the thread left when
 * preempted, the wakeup's target CPU when woken (tstate_iv.cpu); an
 * interval with no CPU known counts for none.  A row is (who waited, who
 * ran, CPU): the time the runs of that life on that CPU overlap the
 * waiter's runnable intervals inside its wall time [a, b), and how many
 * runs did.  A life never counts as running instead of itself.
 */
#ifndef KSCOPE_FOLD_INSTEAD_H
#define KSCOPE_FOLD_INSTEAD_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/tstate.h"

struct fold_instead_row {
	uint64_t who, life;	/* who waited, who ran (names_life) */
	uint32_t cpu;
	uint64_t ns, n;
};

struct fold_instead {
	const struct tstate *t;
	const struct tstate_iv **runs;	/* running intervals, by (cpu, ts) */
	size_t nruns;
	struct fold_instead_row *v;
	size_t n, cap;
	struct hmap ix;
};

/* Over the intervals of T (borrowed).  0 or -ENOMEM. */
int fold_instead_init(struct fold_instead *in, const struct tstate *t);
/* The wall time [*A, *B) in the window [FROM, TO] of the life whose
 * intervals are t->iv[FIRST..END): from the window's start or the life's
 * start, to the window's end, the end of the recording, or its death. */
void fold_instead_wall(const struct tstate *t, uint64_t from, uint64_t to,
		       size_t first, size_t end, uint64_t *a, uint64_t *b);
/* Add the rows of LIFE (of TID) waiting in [A, B).  0 or -ENOMEM. */
int fold_instead_add(struct fold_instead *in, uint64_t life, uint32_t tid,
		     uint64_t a, uint64_t b);
/* By who waited, then the longest first. */
void fold_instead_sort(struct fold_instead *in);
void fold_instead_free(struct fold_instead *in);

#endif
