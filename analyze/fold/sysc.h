/*
 * sysc.h - system calls by name: per syscall number the calls, errors,
 * calls still running at the end, total and longest time, and on request
 * every finished call's duration (for exact percentiles).  What `report
 * syscalls`, the summary's "top_syscalls" and the TUI's Syscalls view
 * show.
 *
 *     struct fold_sysc a;
 *     fold_sysc_init(&a, FOLD_SYSC_DURS);
 *     store_scan(st, EV_SYSCALL, FOLD_SYSC_FIELDS, from, to, fn, ..);
 *             // fn: fold_sysc_batch(&a, b, keep)
 *     ... a.v[i].nr, a.v[i].calls, a.v[i].total ...
 *     fold_sysc_free(&a);
 *
 * The rules (those of the reports): every call counts in calls; a call
 * whose thread exited inside it (exit, exit_group, a fatal signal) is
 * nothing more; one still in flight when the recording stopped counts in
 * unfinished; every other call is finished ("timed"): its duration adds to
 * total and max, and its result, when -4095 <= ret < 0, to errors.  The
 * average is total / timed.  Every figure is a count, a sum or a maximum:
 * batches may come in any order.  Rows are in the order numbers were
 * first seen; the caller sorts.
 */
#ifndef KSCOPE_FOLD_SYSC_H
#define KSCOPE_FOLD_SYSC_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/counts_int.h"

#define FOLD_SYSC_FIELDS \
	(EVM(EVI_SYSCALL_NR) | EVM(EVI_SYSCALL_DUR) | EVM(EVI_SYSCALL_RET))

#define FOLD_SYSC_DURS 0x1u	/* keep every finished call's duration */

struct fold_sysc_row {
	int32_t nr;
	uint64_t calls, errors, unfinished, timed;
	uint64_t total, max;	/* ns, of the timed calls */
	int64_t *durs;		/* FOLD_SYSC_DURS: the timed calls' durations */
	size_t ndurs, cap;
};

struct fold_sysc {
	struct fold_sysc_row *v;	/* n rows, owned */
	size_t n, cap;
	uint64_t calls, errors, unfinished;	/* over every row */
	unsigned flags;
	struct hmap ix;	/* nr -> index in v */
};

/* 0 (an int for the accumulators' common shape). */
int fold_sysc_init(struct fold_sysc *a, unsigned flags);
/* Fold the kept rows of syscalls batch B.  0, -ENOMEM, or a store error
 * (store_errmsg). */
int fold_sysc_batch(struct fold_sysc *a, const struct store_batch *b,
		    const uint8_t *keep);
/* fold_sysc_batch for callbacks that take the accumulator as void *
 * (fold_add, report_fold). */
int fold_sysc_fn(void *acc, const struct store_batch *b, const uint8_t *keep);
void fold_sysc_free(struct fold_sysc *a);
/* Add every row of FROM to A's row of the same number (a merged report
 * renumbers FROM's rows first): counts and sums add, maxima take the
 * larger, durations (FOLD_SYSC_DURS) are appended.  0 or -ENOMEM. */
int fold_sysc_merge(struct fold_sysc *a, const struct fold_sysc *from);

#endif
