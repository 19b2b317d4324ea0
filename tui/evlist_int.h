/*
 * evlist_int.h - what evlist.c (streams, forward reads, the buffer) and
 * evlist_back.c (backward reads) share; not for the rest of the TUI.
 */
#ifndef KSCOPE_TUI_EVLIST_INT_H
#define KSCOPE_TUI_EVLIST_INT_H

#include "tui/evlist.h"

/*
 * A stream reads each table in ts slices about one chunk wide (evlist
 * slice_w), one statement per table re-bound per slice, so that a single
 * sqlite3_step never scans more than about a chunk even when a sparse
 * filter matches nothing for a long time; evstream_peek can then stop at
 * a deadline between slices and be called again later.
 */
struct evstream {
	struct evlist *el;
	sqlite3_stmt *st[EV_KIND_COUNT];
	int live[EV_KIND_COUNT]; /* statement has a current row */
	int pend[EV_KIND_COUNT]; /* slice done; the next starts at next_lo */
	uint64_t next_lo[EV_KIND_COUNT], shi[EV_KIND_COUNT];
	uint64_t hi;
	uint64_t last_ts;
	uint32_t ord;
	int started;
};

/* Events with LO <= ts <= HI in order, each row the kind's stored
 * columns (replay_cols).  Reads nothing yet.  0 or -errno (message in
 * el->err). */
int evstream_open(struct evstream *s, struct evlist *el, uint64_t lo,
		  uint64_t hi);
/* The next event's kind (its statement holds the row), its key in *TS and
 * *ORD; 0 at the end; -EAGAIN when DEADLINE (0: none) passed before the
 * next event was known (call again; at least one slice is read per call);
 * -errno.  evstream_take() moves past it. */
int evstream_peek(struct evstream *s, int *kind, uint64_t *ts, uint32_t *ord,
		  uint64_t deadline);
int evstream_take(struct evstream *s, int kind, uint64_t ts, uint32_t ord);
void evstream_close(struct evstream *s);

/* The row in statement S of KIND as its evfmt line (malloc'd), or NULL. */
char *evlist_row_format(struct evlist *el, int kind, sqlite3_stmt *s,
			struct evbuf *b);
/* Key (TS, ORD) compared with (T2, O2): -1, 0, 1. */
int evlist_key_cmp(uint64_t ts, uint32_t ord, uint64_t t2, uint32_t o2);
/* Put NB rows (oldest first; their texts now owned by the buffer, the
 * array stays the caller's) before the buffer; sel and top follow. */
int evlist_rows_prepend(struct evlist *el, const struct evrow *rows,
			size_t nb);

/* evlist_back.c.  Want NEED rows before the buffer's first row (before
 * key (TS, ORD) when the buffer is empty); SPEC: a prefetch nobody waits
 * for.  A read already going on is asked for more instead. */
int evback_start(struct evlist *el, size_t need, int spec, uint64_t ts,
		 uint32_t ord);
/* Go on for about BUDGET_NS: 1 more to read, 0 done (the read is over),
 * -errno. */
int evback_step(struct evlist *el, uint64_t budget_ns);
/* Drop the read (the buffer changed under it). */
void evback_stop(struct evlist *el);

#endif
