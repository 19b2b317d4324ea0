/*
 * replay.h - the events of a trace that match a filter, one at a time, in
 * time order across all kinds, in constant memory (replay, export, TUI);
 * and the loading of an event table's row into its event struct.
 *
 *     struct replay *r = replay_open(st, f, from, to, err, sizeof(err));
 *     while ((rc = replay_next(r, &kind, &ev)) > 0)
 *             evfmt_line(fmt, kind, ev, &b);
 *     if (rc < 0) fprintf(stderr, "kscope: %s\n", replay_errmsg(r));
 *     replay_close(r);
 *
 * Kinds the filter keeps whole (all kinds without a filter; the scheduler
 * kinds of "kind = sched or comm = x") come from store_cursor, straight
 * from the chunks.  Each other kind the filter can match runs "SELECT ..
 * FROM table WHERE ts BETWEEN ? AND ? AND (filter_sql) ORDER BY ts" (the
 * event tables stream ORDER BY ts from their chunks without sorting, and
 * decode only the columns a row is tested on until it matches); the
 * statements and the cursor are merged by ts, ties in kind order as in
 * store_cursor.  Kinds the filter cannot match are not read.
 */
#ifndef KSCOPE_REPLAY_H
#define KSCOPE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/replay/filter.h"
#include "store/store.h"

struct replay;

/* Events of ST with FROM <= ts <= TO matching F (NULL: all) and of a kind
 * in KINDS (bit 1 << kind; EV_KIND_ALL for all).  ST and F must outlive
 * the replay.  NULL + message in ERR (LEN bytes) on failure. */
struct replay *replay_open(struct store *st, const struct filter *f,
			   unsigned kinds, uint64_t from, uint64_t to,
			   char *err, size_t len);

/* 1 with *KIND and *EV (the kind's struct from ev.h; it and its strings
 * valid until the next call), 0 at the end, or a negative errno with a
 * message in replay_errmsg (a corrupt chunk names the chunk). */
int replay_next(struct replay *r, enum ev_kind *kind, const void **ev);

const char *replay_errmsg(const struct replay *r);

/* How a row of an event table becomes the kind's struct (replay's
 * statements, the TUI's Events list): replay_cols appends D's stored
 * columns in descriptor order as a SELECT list ("ts", "cpu", ...), and
 * replay_row_load loads the current row of S, selected so, into EV (a
 * struct of D's kind): enumeration names back to numbers, strings and
 * blobs (selected through kscope_counted) pointing into S's row (valid
 * until S steps). */
void replay_cols(const struct ev_desc *d, sqlite3_str *q);
void replay_row_load(const struct ev_desc *d, sqlite3_stmt *s, void *ev);
void replay_close(struct replay *r);

#endif
