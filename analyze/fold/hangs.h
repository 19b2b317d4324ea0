/*
 * hangs.h - calls still running when the recording stopped, longest
 * first (the earliest begun): what the summary's "unfinished" shows.
 *
 *     struct fold_hangs a;
 *     fold_hangs_init(&a, 5);                // keep the 5 longest
 *     store_scan(st, EV_SYSCALL, FOLD_HANGS_FIELDS, ...);
 *             // per batch: fold_hangs_batch(&a, b, keep)
 *     ... a.v[0..a.n): ts, pid, tid, nr, what (longest first) ...
 *     fold_hangs_free(&a);
 *
 * A call is still running when report_unfinished() says
 * REPORT_SC_RUNNING (a thread that exited inside its call is not
 * hanging).  The longest are those begun first; ties keep the lower tid,
 * so the figures do not depend on the order batches come in.  COUNT
 * counts them all.
 */
#ifndef KSCOPE_FOLD_HANGS_H
#define KSCOPE_FOLD_HANGS_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/counts_int.h"

#define FOLD_HANGS_FIELDS \
	(EVM(EVI_SYSCALL_TS) | EVM(EVI_SYSCALL_PID) | EVM(EVI_SYSCALL_TID) | \
	 EVM(EVI_SYSCALL_NR) | EVM(EVI_SYSCALL_DUR) | EVM(EVI_SYSCALL_FLAGS) | \
	 EVM(EVI_SYSCALL_PATH) | EVM(EVI_SYSCALL_PATH_STATUS) | \
	 EVM(EVI_SYSCALL_FD_NAME))

struct fold_hang {
	uint64_t ts;
	uint32_t pid, tid;
	int32_t nr;
	char *what;	/* path or fd name; owned, may be NULL */
};

struct fold_hangs {
	struct fold_hang *v;	/* n <= max, longest first */
	size_t n, max;
	uint64_t count;		/* every call still running */
};

/* Keep the MAX longest.  0 or -ENOMEM. */
int fold_hangs_init(struct fold_hangs *a, size_t max);
/* 0, -ENOMEM or a store error (store_errmsg). */
int fold_hangs_batch(struct fold_hangs *a, const struct store_batch *b,
		     const uint8_t *keep);
void fold_hangs_free(struct fold_hangs *a);

#endif
