/*
 * counts_int.h - what the count accumulators of analyze/fold/ share (sysc,
 * errs, files, tasks, ovw).  Not for use outside those files.
 *
 * They read columns by their EVI_* indices (store/ev.h) and count by the
 * reports' rules (analyze/report/report_int.h: what failed, what is
 * unfinished, what a path reads as, sums that never wrap), so a figure
 * means the same whoever folds it; report_map indexes their rows.
 */
#ifndef KSCOPE_FOLD_COUNTS_INT_H
#define KSCOPE_FOLD_COUNTS_INT_H

#include <stdint.h>

#include "analyze/report/report_int.h"
#include "store/store.h"

/* Whether row I of B is kept: KEEP NULL keeps every row. */
static inline int fold_kept(const uint8_t *keep, uint32_t i)
{
	return !keep || keep[i];
}

#endif
