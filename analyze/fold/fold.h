/*
 * fold.h - the one aggregation engine: the reports and the TUI fold a
 * time window's events through it, with the same accumulators.
 *
 *     struct fold *d = fold_new(st, from, to, filter, err);
 *     fold_add(d, EV_SYSCALL, FOLD_X_FIELDS, x_batch, NULL, &x);
 *     while ((rc = fold_step(d, 10 * 1000000)) > 0)   // ~10 ms of work
 *             draw(&x, fold_fraction(d));              // estimates
 *     ... rc == 0: every figure is complete ...
 *     fold_free(d);
 *
 * How: the window [FROM, TO] is cut into slices, read in time order.  A
 * slice is read kind by kind with store_scan (only the chunks that touch
 * it, only the columns asked for); each batch gets the filter's KEEP mask
 * (filter_batch: the rows the filter selects, with the meaning the SQL
 * of replay and `kscope query` gives it) and goes to every accumulator
 * registered for its kind.  Slice boundaries are the starts of chunks of
 * the kind with the most events, so its chunks are decoded once.
 *
 * Accumulators (the contract every analyze/fold/ header follows):
 *   BATCH(acc, b, keep) gets every batch of its kind in the slice; KEEP is
 *     NULL (every row kept) or b->n bytes, 1 for a kept row.  Batches of
 *     one slice come in chunk order: chunks may overlap, so rows are in ts
 *     order inside a batch only.
 *   SLICE(acc, lo, hi), when not NULL, is called when every kind of the
 *     slice [lo, hi) has been read: an order-dependent accumulator sorts
 *     what it buffered there and folds it.  Slices come in time order and
 *     cover the window; the last one ends at TO + 1.
 * The figures after all slices are the same whatever the slicing: folding
 * the window slice by slice equals folding it whole.
 *
 * Functions return 0 / positive, or -errno with a message in
 * fold_errmsg().  The fold borrows ST and F; they must outlive it.
 */
#ifndef KSCOPE_FOLD_H
#define KSCOPE_FOLD_H

#include <stdint.h>

#include "analyze/replay/filter.h"
#include "store/store.h"

#define FOLD_ERRLEN 256

typedef int fold_batch_fn(void *acc, const struct store_batch *b,
			  const uint8_t *keep);
typedef int fold_slice_fn(void *acc, uint64_t lo, uint64_t hi);

struct fold;

/* A fold of the events with FROM <= ts <= TO, narrowed by filter F (NULL:
 * none).  Reads the chunk index and the threads table.  NULL and ERR
 * (FOLD_ERRLEN bytes) on failure. */
struct fold *fold_new(struct store *st, uint64_t from, uint64_t to,
		      const struct filter *f, char *err);
void fold_free(struct fold *d);

/* Register an accumulator: BATCH gets KIND's batches with the store_scan
 * FIELDS (bit i = field i) and the filter's fields decoded; SLICE (may
 * be NULL) the end of each slice.  Before the first step.  0 / -ENOMEM. */
int fold_add(struct fold *d, enum ev_kind kind, uint64_t fields,
	     fold_batch_fn *batch, fold_slice_fn *slice, void *acc);

/* Work for about BUDGET_NS (at least one kind of one slice).  1: more to
 * do, 0: complete, -errno. */
int fold_step(struct fold *d, uint64_t budget_ns);
/* Run to completion: 0 or -errno. */
int fold_run(struct fold *d);
/* Share of the window's events read so far, 0..1 (1 when complete). */
double fold_fraction(const struct fold *d);
int fold_done(const struct fold *d);
/* The window is read over [from, fold_read_to()). */
uint64_t fold_read_to(const struct fold *d);
const char *fold_errmsg(const struct fold *d);

/* Monotonic clock in ns (the budget clock). */
uint64_t fold_now_ns(void);

#endif
