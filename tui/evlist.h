/*
 * evlist.h - the Events view's window onto millions of time-ordered events:
 * a small buffer of decoded lines around the selection, refilled by keyset
 * queries, never the whole trace.
 *
 *     struct evlist el;
 *     evlist_init(&el, st, fmt, from, to, kinds, where);
 *     evlist_seek(&el, ts, 0, page);      // selection at the first event >= ts
 *     evlist_move(&el, +page, page);      // page down; refills as needed
 *     evlist_end(&el, page);              // the last page
 *     el.rows[el.top .. el.top + height]  // what to draw; el.sel selected
 *     evlist_free(&el);
 *
 * An event's key is (ts, ord): ord counts the events with the same ts
 * before it in merged order (ts, then kind, then file order).  Forward
 * reads are "SELECT * FROM table WHERE ts >= ? AND ts <= ? AND (where)
 * ORDER BY ts" per table (the store streams ORDER BY ts from its chunk
 * merge, reading only the chunks it needs), merged in C.  Backward reads
 * take ts ranges ending at the buffer's first row, nearest first, sized
 * from the event density and twice as wide each time too few events turn
 * up; each range is put before the buffer as soon as it is read whole, so
 * a backward read can stop at any deadline and go on later from where it
 * stopped.  Each row is turned into its event struct through the
 * descriptor table and formatted by evfmt once, when it is read.
 *
 * A key reads for at most about el->budget_ns (EVLIST_BUDGET_NS); what it
 * could not read is pending (evlist_pending) and comes from evlist_fill in
 * the background, where a selection that ran ahead of its rows (a Page Up
 * under a sparse filter, a long move down on a loaded machine) settles
 * when they arrive.  evlist_prefetch reads
 * the pages around the screen when nothing is pending, so that paging is
 * answered from the buffer.
  */
#ifndef KSCOPE_TUI_EVLIST_H
#define KSCOPE_TUI_EVLIST_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/replay/evfmt.h"
#include "store/store.h"

struct evrow {
	uint64_t ts;
	uint32_t ord;
	uint8_t kind;
	char *text; /* the evfmt line; owned */
};

struct evlist {
	struct store *st;
	struct evfmt *fmt; /* borrowed */
	uint64_t from, to;
	unsigned kinds;
	char *where[EV_KIND_COUNT];
	double density; /* events per ns, for sizing backward reads */
	uint64_t slice_w[EV_KIND_COUNT]; /* ns per stream slice: ~ a chunk */
	struct evrow *rows;
	size_t n;
	size_t sel, top;
	int at_start, at_end; /* the buffer reaches the window's edge */
	uint64_t queries;     /* SQL statements run, for tests and the log */
	char err[256];
	/* The forward stream stays open after the buffer's last row, so
	 * paging down reads on from chunks already decoded. */
	struct evstream *fwd;
	size_t want;          /* rows the buffer should reach */
	size_t pre_want;      /* ... and may reach: read ahead (prefetch) */
	/* Reading backward (evlist.c struct evback): rows still wanted
	 * before the buffer; a prefetch (back_spec) is not waited for. */
	struct evback *back;
	size_t back_need;
	int back_spec;
	size_t back_page;     /* End: the page fills upward from the last row */
	size_t up_pending;    /* rows the selection still moves up once read */
	size_t down_pending;  /* ... down, while the forward stream is open */
	size_t down_page;     /* the page of that move down */
	uint64_t budget_ns;   /* what a key reads at most (EVLIST_BUDGET_NS) */
	int skipping;         /* the stream still skips keys < skip */
	uint64_t skip_ts;
	uint32_t skip_ord;
	int seeking;          /* selection goes to (seek_ts, seek_ord) */
	uint64_t seek_ts;
	uint32_t seek_ord;
	struct evstream *srch; /* a forward search going on, from the key */
	uint64_t srch_ts;      /* (srch_ts, srch_ord) on */
	uint32_t srch_ord;
};

/* Rows wanted but not read yet (a sparse filter, a budget ran out). */
static inline int evlist_pending(const struct evlist *el)
{
	return (el->fwd && (el->n < el->want || el->down_pending)) ||
	       (el->back_need && !el->back_spec);
}
/* Read on for about BUDGET_NS.  1: more pending, 0: done, -errno. */
int evlist_fill(struct evlist *el, uint64_t budget_ns);
/* Nothing pending: read ahead for about BUDGET_NS, up to two pages of
 * PAGE rows before the top of the screen and after its bottom.  1: more
 * to read ahead, 0: nothing to do, -errno. */
int evlist_prefetch(struct evlist *el, size_t page, uint64_t budget_ns);

/* Rows of the tables in KINDS with FROM <= ts <= TO, narrowed per table by
 * WHERE[kind] (copied; NULL: none).  Reads nothing yet.  0 or -ENOMEM. */
int evlist_init(struct evlist *el, struct store *st, struct evfmt *fmt,
		uint64_t from, uint64_t to, unsigned kinds,
		const char *const where[EV_KIND_COUNT]);
void evlist_free(struct evlist *el);

/* Fill the buffer from key (TS, ORD): 4 * PAGE rows; the selection and
 * top go to the first row at or after the key.  Reads for at most about
 * el->budget_ns; the rest follows from evlist_fill.  0 or -errno (message
 * in el->err). */
#define EVLIST_BUDGET_NS (15 * 1000000ull)
int evlist_seek(struct evlist *el, uint64_t ts, uint32_t ord, size_t page);
/* The last PAGE rows of the window; selection on the last, the page
 * filling upward.  What the budget does not reach follows from
 * evlist_fill. */
int evlist_end(struct evlist *el, size_t page);
/* Move the selection by DELTA rows (negative: up), refilling the buffer
 * when it runs out; keeps the selection within PAGE rows of top.  Rows
 * above (below) the buffer not read within the budget leave the selection
 * on the first (last) row and the rest of the move pending (up_pending,
 * down_pending) until evlist_fill reads them; a move the other way, a seek
 * or End cancels it. */
int evlist_move(struct evlist *el, long delta, size_t page);

/* Search for NEEDLE (case-insensitive) in the lines after (DIR > 0) or
 * before the selection, reading at most about BUDGET_NS.  1 and the
 * selection moved to the match; 0 not found within the window; -EAGAIN
 * when the budget ran out (*RESUME says how far it got: pass it back to
 * go on, inactive to start afresh); -errno otherwise. */
struct evlist_resume {
	uint64_t ts; /* the last event read */
	int active;
};
int evlist_search(struct evlist *el, const char *needle, int dir,
		  struct evlist_resume *resume, uint64_t budget_ns,
		  size_t page);

/* Key of row I. */
static inline uint64_t evlist_ts(const struct evlist *el, size_t i)
{
	return el->rows[i].ts;
}

#endif
