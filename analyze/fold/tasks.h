/*
 * tasks.h - per process (and per thread) counts: system calls, failed
 * calls, time in system calls and TCP bytes sent and received.  What the
 * summary's "busiest_processes", `report procs`'s "activity" and the
 * count columns of the TUI's Processes and Threads views show.
 *
 *     struct fold_tasks a;
 *     fold_tasks_init(&a, FOLD_TASKS_THREADS);
 *     store_scan(st, EV_SYSCALL, FOLD_TASKS_THREADS_FIELDS, ...);
 *     store_scan(st, EV_NET, FOLD_TASKS_THREADS_NET_FIELDS, ...);
 *             // per batch of either: fold_tasks_batch(&a, b, keep)
 *     ... a.procs[i].id, a.procs[i].syscalls ...
 *     fold_tasks_free(&a);
 *
 * Two kinds feed it, each with its own field mask.  System calls count by
 * the rules of sysc.h: every call in syscalls, a finished one's time in
 * sys_ns and its failure in errors.  net_events of kind send or recv with
 * bytes > 0 add their bytes to net_bytes.  A row exists for every task
 * that made a call or moved a byte; every figure is a count or a sum:
 * batches may come in any order.
 */
#ifndef KSCOPE_FOLD_TASKS_H
#define KSCOPE_FOLD_TASKS_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/counts_int.h"

/* Processes only; FOLD_TASKS_THREADS needs the _THREADS_ masks, which
 * add the tid. */
#define FOLD_TASKS_FIELDS \
	(EVM(EVI_SYSCALL_PID) | EVM(EVI_SYSCALL_RET) | EVM(EVI_SYSCALL_DUR))
#define FOLD_TASKS_NET_FIELDS \
	(EVM(EVI_NET_KIND) | EVM(EVI_NET_PID) | EVM(EVI_NET_BYTES))
#define FOLD_TASKS_THREADS_FIELDS \
	(FOLD_TASKS_FIELDS | EVM(EVI_SYSCALL_TID))
#define FOLD_TASKS_THREADS_NET_FIELDS \
	(FOLD_TASKS_NET_FIELDS | EVM(EVI_NET_TID))

#define FOLD_TASKS_THREADS 0x1u	/* keep the threads too */

struct fold_task {
	uint32_t id, pid;	/* id: the pid, or the tid of a thread */
	uint64_t syscalls, errors, sys_ns, net_bytes;
};

struct fold_tasks_set {
	struct fold_task *v;
	size_t n, cap;
	struct hmap ix;	/* id -> index in v */
};

struct fold_tasks {
	struct fold_tasks_set procs;
	struct fold_tasks_set threads;	/* with FOLD_TASKS_THREADS */
	unsigned flags;
};

/* 0 (an int for the accumulators' common shape). */
int fold_tasks_init(struct fold_tasks *a, unsigned flags);
/* Fold a batch of syscalls or net_events (others are ignored).  0,
 * -ENOMEM or a store error (store_errmsg). */
int fold_tasks_batch(struct fold_tasks *a, const struct store_batch *b,
		     const uint8_t *keep);
/* fold_tasks_batch for callbacks that take the accumulator as void *
 * (fold_add, report_fold). */
int fold_tasks_fn(void *acc, const struct store_batch *b, const uint8_t *keep);
void fold_tasks_free(struct fold_tasks *a);
/* The row of ID in S, or NULL. */
const struct fold_task *fold_tasks_find(const struct fold_tasks_set *s,
					uint32_t id);

#endif
