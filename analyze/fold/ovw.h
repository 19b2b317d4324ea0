/*
 * ovw.h - the overview's counts: events per table, failed system calls,
 * and the events the trace lost.  What the summary's "events" table and
 * notes and the TUI's Overview header show.
 *
 *     struct fold_ovw a;
 *     fold_ovw_init(&a);
 *     for each kind k:
 *             store_scan(st, k, FOLD_OVW_FIELDS(k), ...);
 *                     // per batch: fold_ovw_batch(&a, b, keep)
 *     fold_ovw_lost(&a, st, from, to);
 *     ... a.events[EV_SWITCH], a.errors, a.lost ...
 *
 * Every kept row counts once in events[its kind]; a finished system call
 * with -4095 <= ret < 0 counts in errors too (the rule of sysc.h).  Lost
 * events come from the lost table, not from batches: a row covers the
 * second [ts, ts + 1 s) and counts when that second meets the window.
 * No memory is held: fold_ovw_free only clears.
 */
#ifndef KSCOPE_FOLD_OVW_H
#define KSCOPE_FOLD_OVW_H

#include <stdint.h>

#include "analyze/fold/counts_int.h"

/* Fields of kind K read: a syscall's result and duration, nothing of the
 * others (their rows are only counted). */
#define FOLD_OVW_FIELDS(k) \
	((k) == EV_SYSCALL ? EVM(EVI_SYSCALL_RET) | EVM(EVI_SYSCALL_DUR) : 0ull)

struct fold_ovw {
	uint64_t events[EV_KIND_COUNT];
	uint64_t errors;
	uint64_t lost;
};

/* 0 (an int for the accumulators' common shape). */
int fold_ovw_init(struct fold_ovw *a);
/* 0 or a store error (store_errmsg). */
int fold_ovw_batch(struct fold_ovw *a, const struct store_batch *b,
		   const uint8_t *keep);
/* fold_ovw_batch for callbacks that take the accumulator as void *
 * (fold_add, report_fold). */
int fold_ovw_fn(void *acc, const struct store_batch *b, const uint8_t *keep);
/* Set a->lost to the events lost in [FROM, TO].  0 or -EIO (SQLite's
 * message on store_db(ST)). */
int fold_ovw_lost(struct fold_ovw *a, struct store *st, uint64_t from,
		  uint64_t to);
void fold_ovw_free(struct fold_ovw *a);

#endif
