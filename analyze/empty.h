/*
 * empty.h - one line saying why an answer is empty, which report, replay
 * and export print on stderr (their exit status stays 0): a window outside
 * the trace, a pid, tid or comm the trace does not hold, a filter that
 * matched nothing.
 *
 *     char why[EMPTY_LEN];
 *     if (empty_window(st, from, to, why, sizeof(why)))
 *             fprintf(stderr, "kscope: replay: %s\n", why);
 *     // "the window +50 s .. +60 s is after the trace's end (+10 s)"
 *     if (empty_task(st, "pid", 99999, why, sizeof(why)))
 *             ...                       // "pid 99999 is not in the trace"
 *     if (empty_comm(st, "nginx", why, sizeof(why))) ...
 *     empty_match(st, "pid = 7", from, to, why, sizeof(why));
 *             // "no event matched 'pid = 7' in the window +1 s .. +2 s"
 *
 * Times are seconds from the trace's start, as --from +2.5s takes them.
 * A bound of 0 (from) or UINT64_MAX (to) is open: not shown.
 */
#ifndef KSCOPE_EMPTY_H
#define KSCOPE_EMPTY_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define EMPTY_LEN 512

/* 1 with WHY set when the window [FROM, TO] holds no part of the trace's
 * span (timearg_span), else 0. */
int empty_window(struct store *st, uint64_t from, uint64_t to, char *why,
		 size_t len);

/* 1 with WHY set when no process, thread or event of the trace has WHAT
 * ("pid" or "tid") ID, else 0 (also when the trace cannot say). */
int empty_task(struct store *st, const char *what, int64_t id, char *why,
	       size_t len);

/* The same for a task name: "comm 'x' is not in the trace". */
int empty_comm(struct store *st, const char *comm, char *why, size_t len);

/* For a run that found nothing: "no event matched 'FILTER'" (FILTER not
 * NULL), "no event", and " in the window A .. B" when a bound is set. */
void empty_match(struct store *st, const char *filter, uint64_t from,
		 uint64_t to, char *why, size_t len);

#endif
