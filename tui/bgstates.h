/*
 * bgstates.h - thread states (analyze/fold/tstate.h) computed in a worker
 * thread, on a connection of its own to the trace, so that the TUI's loop
 * does not wait for them (who ran instead reads them; on a big trace they
 * take seconds):
 *
 *     struct bgstates *b = bgstates_start(st, from, to, 1, 0, err,
 *                                         sizeof(err));
 *     const struct tstate *t;
 *     while (!(t = bgstates_get(b, 5000000, &failed, msg, sizeof(msg))) &&
 *            !failed)
 *             ...                                   // the loop, when idle
 *     ... t is B's, valid until bgstates_free ...
 *     bgstates_free(b);                             // stops and joins
 *
 * The worker opens the trace again (analyze_trace_open, as tui/sqlrun.c
 * does) and computes the states and wakers only (BARE: tstate's bare
 * mode), or with the calls begun from SYS_FROM on (tstate's sys_from).  A
 * store without a file (in memory) is read in the caller's thread, by
 * bgstates_start.  bgstates_free asks a running worker to stop (its
 * connection's progress handler, and between the engine's steps), waits
 * for it and frees what it made; bgstates_cancel only asks.
 */
#ifndef KSCOPE_TUI_BGSTATES_H
#define KSCOPE_TUI_BGSTATES_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/tstate.h"
#include "store/store.h"

struct bgstates;

/* Start the states of [FROM, TO] of ST's trace, BARE or with the calls
 * from SYS_FROM.  NULL and ERR when the thread cannot start. */
struct bgstates *bgstates_start(struct store *st, uint64_t from, uint64_t to,
				int bare, uint64_t sys_from, char *err,
				size_t errlen);
/* The states once computed, else NULL after waiting up to WAIT_NS for
 * them; *FAILED set (and the reason in MSG) when they cannot be. */
const struct tstate *bgstates_get(struct bgstates *b, uint64_t wait_ns,
				  int *failed, char *msg, size_t len);
/* Ask B's worker to stop, without waiting: bgstates_get then says it
 * failed once it has (an in-memory step, such as the sort of a big
 * fold's intervals, finishes first). */
void bgstates_cancel(struct bgstates *b);
void bgstates_free(struct bgstates *b);

#endif
