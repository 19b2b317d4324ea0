/*
 * lastfail.h - the last failed system calls of a process before it
 * exited with an error: what the summary's "failed_before_exit" shows (a
 * missing config file among many successful opens).
 *
 *     struct fold_lastfail a;
 *     fold_lastfail_init(&a);
 *     fold_lastfail_exit(&a, pid, exit_ts);  // each exit to explain
 *     store_scan(st, EV_SYSCALL, FOLD_LASTFAIL_FIELDS, ...);
 *             // per batch: fold_lastfail_batch(&a, b, keep)
 *     ... a.x[i].pid, a.x[i].ts, a.x[i].fail[0..a.x[i].n) (latest first)
 *     fold_lastfail_free(&a);
 *
 * A failed call (finished, -4095 <= ret < 0) of process PID belongs to
 * the first exit of PID at or after its ts (a reused pid's exits are
 * apart: a call after an exit goes to the next one); each exit keeps the
 * FOLD_LASTFAIL_N latest.  Message catalog lookups (a path with
 * FOLD_LASTFAIL_NOISE in it) are left out: a program makes them while it
 * prints its error message ("cat: x: No such file..."), after the
 * failure that matters.  Ties on ts keep the call met first.  Batches
 * may come in any order: a call is kept by its ts alone.  The strings
 * (path, address, fd name) are read only for the calls kept.
 */
#ifndef KSCOPE_FOLD_LASTFAIL_H
#define KSCOPE_FOLD_LASTFAIL_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/counts_int.h"

#define FOLD_LASTFAIL_FIELDS \
	(EVM(EVI_SYSCALL_TS) | EVM(EVI_SYSCALL_PID) | EVM(EVI_SYSCALL_TID) | \
	 EVM(EVI_SYSCALL_NR) | EVM(EVI_SYSCALL_RET) | EVM(EVI_SYSCALL_DUR))

#define FOLD_LASTFAIL_N 3
#define FOLD_LASTFAIL_NOISE "/LC_MESSAGES/"

struct fold_lastfail_call {
	uint64_t ts;
	uint32_t tid;
	int32_t nr;
	int64_t ret;
	char *what;	/* path, address or fd name; owned, may be NULL */
};

struct fold_lastfail_exit {
	uint32_t pid;
	uint64_t ts;			/* the exit */
	int32_t next;		/* PID's next exit in x, -1: none */
	unsigned n;
	struct fold_lastfail_call fail[FOLD_LASTFAIL_N]; /* latest first */
};

struct fold_lastfail {
	struct fold_lastfail_exit *x;
	size_t nx, capx;
	struct hmap first;	/* pid -> its earliest exit in x */
};

/* 0 (an int for the accumulators' common shape). */
int fold_lastfail_init(struct fold_lastfail *a);
/* An exit of PID at TS to explain, before the first batch.  0, -ENOMEM. */
int fold_lastfail_exit(struct fold_lastfail *a, uint32_t pid, uint64_t ts);
/* 0, -ENOMEM or a store error (store_errmsg). */
int fold_lastfail_batch(struct fold_lastfail *a, const struct store_batch *b,
			const uint8_t *keep);
/* fold_lastfail_batch for callbacks that take void * (report_fold). */
int fold_lastfail_fn(void *acc, const struct store_batch *b,
		     const uint8_t *keep);
void fold_lastfail_free(struct fold_lastfail *a);

#endif
