/*
 * busypoll.h - threads that poll in a loop without waiting: zero-timeout
 * poll/select/epoll calls per thread and second.  What the summary's
 * "busy_polls" shows.
 *
 *     struct fold_busypoll a;
 *     fold_busypoll_init(&a, st, from);
 *     store_scan(st, EV_SYSCALL, FOLD_BUSYPOLL_FIELDS, ...);
 *             // per batch: fold_busypoll_batch(&a, b, keep)
 *     fold_busypoll_done(&a);       // per thread: total, peak second
 *     ... a.th[i].tid, a.th[i].total, a.th[i].peak ...
 *     fold_busypoll_free(&a);
 *
 * A zero-timeout poll: poll with timeout (arg2) 0, epoll_wait or
 * epoll_pwait with timeout (arg3) 0; select, pselect6, ppoll and
 * epoll_pwait2 take their timeout through a pointer the trace does not
 * follow, so they count when they return 0 (nothing ready) in under
 * FOLD_BUSYPOLL_QUICK_NS - a real timeout that short is rare.  Seconds
 * count from FROM (the window's start).  A thread whose busiest second
 * holds FOLD_BUSYPOLL_MIN or more is a busy poller (the summary's rule).
 * Every figure is a count or a maximum: batches may come in any order.
 */
#ifndef KSCOPE_FOLD_BUSYPOLL_H
#define KSCOPE_FOLD_BUSYPOLL_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/counts_int.h"

#define FOLD_BUSYPOLL_FIELDS \
	(EVM(EVI_SYSCALL_TS) | EVM(EVI_SYSCALL_PID) | EVM(EVI_SYSCALL_TID) | \
	 EVM(EVI_SYSCALL_NR) | EVM(EVI_SYSCALL_RET) | EVM(EVI_SYSCALL_DUR) | \
	 EVM(EVI_SYSCALL_ARG2) | EVM(EVI_SYSCALL_ARG3))

#define FOLD_BUSYPOLL_MIN 1000		/* per second: a busy poller */
#define FOLD_BUSYPOLL_QUICK_NS 50000	/* "returned at once" */
#define FOLD_BUSYPOLL_NR 1024		/* syscall numbers looked at */

struct fold_busypoll_thread {
	uint32_t tid, pid;
	int32_t nr;		/* its poll call (the lowest number) */
	uint64_t total;		/* zero-timeout polls */
	uint64_t peak;		/* in its busiest second */
	uint64_t peak_sec;	/* that second, from the window's start */
};

struct fold_busypoll_sec {
	uint64_t count;
	uint32_t th;		/* index in th */
	uint32_t sec;
};

struct fold_busypoll {
	uint64_t from;
	int8_t arg[FOLD_BUSYPOLL_NR];	/* the timeout argument, -1: by
					 * pointer, -2: not a poll */
	struct fold_busypoll_thread *th;
	size_t nth, capth;
	struct hmap thix;		/* tid -> index in th */
	struct fold_busypoll_sec *secs;	/* per (tid, second) */
	size_t nsecs, capsecs;
	struct hmap secix;		/* tid << 32 | second -> secs index */
};

/* The syscall numbers of ST's architecture.  0 (an int for the
 * accumulators' common shape). */
int fold_busypoll_init(struct fold_busypoll *a, struct store *st,
		       uint64_t from);
/* 0 or -ENOMEM. */
int fold_busypoll_batch(struct fold_busypoll *a, const struct store_batch *b,
			const uint8_t *keep);
/* Fill each thread's peak from the seconds.  After the last batch. */
void fold_busypoll_done(struct fold_busypoll *a);
void fold_busypoll_free(struct fold_busypoll *a);

#endif
