/*
 * signals.h - the signals a window saw sent, and the OOM killer's kills:
 * the rows behind the TUI's Signals view, from the signals table
 * (generate and oom_kill rows; deliver rows only repeat a generate).
 *
 *     struct fold_signals a;
 *     fold_signals_init(&a);
 *     fold_add(d, EV_SIGNAL, FOLD_SIGNALS_FIELDS, fold_signals_batch,
 *              fold_signals_slice, &a);
 *     ... a.v[0..n): ts, oom, sig, sender_*, target_*, result, cgroup ...
 *     fold_signals_free(&a);
 *
 * Rows come in ts order (a slice's are sorted at its end; equal ts keep
 * the store's order).  Strings are owned, NULL where the row has none.
 */
#ifndef KSCOPE_FOLD_SIGNALS_H
#define KSCOPE_FOLD_SIGNALS_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define FOLD_SIGNALS_FIELDS \
	(EVM(EVI_SIGNAL_TS) | EVM(EVI_SIGNAL_KIND) | EVM(EVI_SIGNAL_SIG) | \
	 EVM(EVI_SIGNAL_SENDER_PID) | EVM(EVI_SIGNAL_SENDER_TID) | \
	 EVM(EVI_SIGNAL_SENDER_COMM) | EVM(EVI_SIGNAL_TARGET_PID) | \
	 EVM(EVI_SIGNAL_TARGET_TID) | EVM(EVI_SIGNAL_TARGET_COMM) | \
	 EVM(EVI_SIGNAL_RESULT) | EVM(EVI_SIGNAL_CGROUP))

struct fold_signal {
	uint64_t ts;
	int oom;		/* an oom_kill row, else a generate row */
	int32_t sig, result;	/* result: generate's TRACE_SIGNAL_* */
	uint32_t sender_pid, sender_tid;	/* 0: the kernel */
	uint32_t target_pid, target_tid;
	char *sender_comm, *target_comm, *cgroup;
	uint32_t seq;
};

struct fold_signals {
	struct fold_signal *v;
	size_t n, cap;
	size_t slice;	/* v[slice..n) came in the current slice */
};

/* 0 (an int for the accumulators' common shape). */
int fold_signals_init(struct fold_signals *a);
/* 0, -ENOMEM or a store error (store_errmsg). */
int fold_signals_batch(void *a, const struct store_batch *b,
		       const uint8_t *keep);
int fold_signals_slice(void *a, uint64_t lo, uint64_t hi);
void fold_signals_free(struct fold_signals *a);

#endif
