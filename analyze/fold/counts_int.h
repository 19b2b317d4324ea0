/*
 * counts_int.h - what the count accumulators of analyze/fold/ share (sysc,
 * errs, files, tasks, ovw): the columns they read and the rules they
 * count by.  Not for use outside those files.
 *
 * The field numbers are those of the kinds' descriptors (store/ev.c), as
 * compile-time constants so that each accumulator's FOLD_X_FIELDS is one;
 * fold_counts_check() compares them with the descriptors once, at init.
 * The rules (what failed, what is unfinished, what a path reads as) are
 * the reports' (analyze/report/report_int.h), so a figure means the same
 * whoever folds it.
 */
#ifndef KSCOPE_FOLD_COUNTS_INT_H
#define KSCOPE_FOLD_COUNTS_INT_H

#include <stdint.h>

#include "analyze/report/report_int.h"
#include "store/store.h"

/* syscalls */
#define FSC_TS 0
#define FSC_DUR 1
#define FSC_PID 3
#define FSC_TID 4
#define FSC_COMM 5
#define FSC_NR 6
#define FSC_RET 8
#define FSC_PATH 16
#define FSC_ADDR 17
#define FSC_FLAGS 18
#define FSC_PATH_STATUS 19
/* net_events */
#define FNET_KIND 2
#define FNET_PID 3
#define FNET_TID 4
#define FNET_BYTES 13

#define FOLD_BIT(f) (1ull << (f))

/* 0 when the constants above name the descriptors' fields, else -EINVAL
 * (a build whose descriptors moved).  Cheap after the first call. */
int fold_counts_check(void);

/* Whether row I of B is kept: KEEP NULL keeps every row. */
static inline int fold_kept(const uint8_t *keep, uint32_t i)
{
	return !keep || keep[i];
}

#endif
