/*
 * errs.h - failed system calls: per (syscall, errno) the count, the
 * processes involved and up to FOLD_ERRS_EXAMPLES distinct example paths
 * (or addresses); per (syscall, errno, pid) the count and the comm of the
 * first such call; per errno the total.  What `report errors`, the
 * summary's "errors" and the TUI's Errors view show.
 *
 *     struct fold_errs a;
 *     fold_errs_init(&a);
 *     store_scan(st, EV_SYSCALL, FOLD_ERRS_FIELDS, ...);
 *             // per batch: fold_errs_batch(&a, b, keep)
 *     ... a.k[i].nr, a.k[i].ret, a.k[i].count ...
 *     fold_errs_free(&a);
 *
 * A finished call with -4095 <= ret < 0 failed with errno -ret; calls
 * still running at the end are not counted.  The counts are order
 * independent; which examples and which comm are kept depends on the
 * order batches come in (the reports feed them in scan order).  The
 * strings are read (store_batch_str) only for failed rows.
 */
#ifndef KSCOPE_FOLD_ERRS_H
#define KSCOPE_FOLD_ERRS_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/counts_int.h"

#define FOLD_ERRS_FIELDS \
	(EVM(EVI_SYSCALL_PID) | EVM(EVI_SYSCALL_NR) | EVM(EVI_SYSCALL_RET) | \
	 EVM(EVI_SYSCALL_DUR))

#define FOLD_ERRS_EXAMPLES 3

struct fold_errs_key {		/* per (syscall, errno) */
	int32_t nr;
	int64_t ret;
	uint64_t count;
	uint32_t pids;		/* distinct processes */
	char *ex[FOLD_ERRS_EXAMPLES];	/* owned, NULL past the last */
};

struct fold_errs_proc {		/* per (syscall, errno, pid) */
	int32_t nr;
	int64_t ret;
	uint32_t pid;
	uint32_t host;		/* merged: the host's index; else 0 */
	uint64_t count;
	char *comm;		/* owned, may be NULL */
};

struct fold_errs {
	struct fold_errs_key *k;
	size_t nk, capk;
	struct fold_errs_proc *p;
	size_t np, capp;
	uint64_t by_errno[4096];	/* [errno] */
	uint64_t total;
	struct hmap kix, pix;
};

/* 0 (an int for the accumulators' common shape). */
int fold_errs_init(struct fold_errs *a);
/* 0, -ENOMEM or a store error (store_errmsg). */
int fold_errs_batch(struct fold_errs *a, const struct store_batch *b,
		    const uint8_t *keep);
/* fold_errs_batch for callbacks that take the accumulator as void *
 * (fold_add, report_fold). */
int fold_errs_fn(void *acc, const struct store_batch *b, const uint8_t *keep);
void fold_errs_free(struct fold_errs *a);
/* Add FROM (one trace's, its rows renumbered to the merged syscall
 * numbers) to A, a merged accumulator that takes nothing but merges: its
 * per-process rows get host index HOST, so pids of different hosts stay
 * apart.  fold_errs_merge_end, after the last, joins the rows of one
 * (syscall, errno, host, pid) and counts each key's distinct processes.
 * 0 or -ENOMEM. */
int fold_errs_merge(struct fold_errs *a, const struct fold_errs *from,
		    uint32_t host);
int fold_errs_merge_end(struct fold_errs *a);
/* qsort order of fold_errs_key: most frequent first, then by syscall
 * number, then by errno (the reports list them so). */
int fold_errs_key_cmp(const void *a, const void *b);

#endif
