/*
 * filter.h - the event filter language of replay, export and the TUI.
 *
 *     char err[FILTER_ERRLEN];
 *     struct filter *f = filter_parse("comm = nginx and dur > 10ms", err,
 *                                     sizeof(err));
 *     if (!f) { fprintf(stderr, "kscope: %s\n", err); ... }
 *     sqlite3_str *w = sqlite3_str_new(db);
 *     filter_sql(f, ev_desc(EV_SYSCALL), w);    // appends a WHERE expression
 *     ... "SELECT * FROM syscalls WHERE " + text ...
 *     filter_free(f);
 *
 * Grammar (keywords case-insensitive; && || ! are accepted too):
 *
 *     expr  = and { "or" and }
 *     and   = unary { "and" unary }
 *     unary = "not" unary | "(" expr ")" | FIELD OP VALUE
 *     OP    = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "~"
 *     VALUE = "quoted string" | 'quoted' | bare word (up to a space, a
 *             parenthesis or an operator character)
 *
 * A value is a number when it reads as one: 42, -2, 0x1f, or a duration
 * with a unit (ns us ms s m h: 10ms = 10000000; 1.5s).  Strings compare
 * byte-wise.  "~" matches strings only: when the value holds a glob
 * character (* ? [) it is a GLOB over the whole string (case-sensitive),
 * otherwise a substring test ("path ~ /etc" is any path containing /etc).
 *
 * Fields, and where they look.  A kind that has none of a field's columns
 * makes the comparison false for its events, whatever the operator: so
 * "path ~ x" and "path != x" keep only syscalls, while "not path ~ x"
 * keeps every event of the other kinds too:
 *
 *     kind    syscall switch wakeup migrate proc net (also sched, the table
 *             names, and sub-kinds fork exec exit state retransmit
 *             reset_sent reset_recv send recv); only = and !=
 *     pid     pid (proc: pid or child_pid); sched events: the thread's
 *             process from the threads table
 *     tid     tid; switch: prev_tid or next_tid; wakeup: tid or waker_tid
 *     comm    comm; switch: prev_comm or next_comm
 *     name    syscall name        ret, dur, fd, path: syscall columns
 *     errno   a syscall's error: errno = ENOENT (or = 2) is ret = -2
 *     port    net sport or dport  addr: syscall addr, net saddr or daddr
 *     cpu     every kind
 *     any other column of any event table (prev_state, new_state, bytes,
 *     filename, argv, exit_code, ...); enumerations take their names
 *     (new_state = ESTABLISHED).
 *
 * A field with several columns matches when any column does; "!=" is the
 * negation of "=" (port != 80: neither port is 80).  Values reach SQL as
 * integers or as quoted literals (sqlite3 %Q), never as SQL text.
 *
 * The same filter also runs on decoded rows, with the meaning the SQL has
 * (the TUI's aggregates, analyze/fold/):
 *
 *     uint8_t keep[b->n];
 *     filter_batch(f, st, pids, arg, b, keep);   // keep[i] = row i matches
 *
 * and on one event struct before it is stored (filter_event).
 */
#ifndef KSCOPE_FILTER_H
#define KSCOPE_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "store/ev.h"

#define FILTER_ERRLEN 1024

struct filter;

/* Parse TEXT (NULL or blank: match everything).  On failure returns NULL
 * and writes to ERR (LEN bytes) three lines: "bad filter at column N:
 * REASON", the filter text indented by two spaces, and carets under the bad
 * token.  The first line alone is a summary for one-line displays. */
struct filter *filter_parse(const char *text, char *err, size_t len);
void filter_free(struct filter *f);

/* Append to OUT an SQL boolean expression over D's table selecting the
 * events that match ("1" when all do, "0" when none of D's kind can).
 * Returns 0, or -ENOMEM when OUT failed. */
int filter_sql(const struct filter *f, const struct ev_desc *d,
	       sqlite3_str *out);

/* The kinds (bit 1 << kind) whose events can match: filter_sql gives "0"
 * for the others, so callers need not scan them. */
unsigned filter_kinds(const struct filter *f);

/* The kinds whose every event matches (filter_sql gives "1"): callers
 * may read them unfiltered. */
unsigned filter_kinds_all(const struct filter *f);

/* The processes thread TID belonged to (the threads table): *PIDS, and
 * their count (0: not known).  "pid" on the sched kinds asks this. */
typedef size_t filter_pids_fn(void *arg, uint32_t tid, const uint32_t **pids);

/* Mark in KEEP (B->n bytes) the rows of batch B that match F (NULL: all
 * do), exactly as filter_sql's expression would select them.  Columns are
 * read through store_batch_int / _str; syscall names come from ST.
 * 0, or a negative errno (store_errmsg). */
struct store_batch;
struct store;
int filter_batch(const struct filter *f, struct store *st,
		 filter_pids_fn *pids, void *arg, const struct store_batch *b,
		 uint8_t *keep);

/* Does event EV of KIND (a struct ev_*, as store_writer_append takes it)
 * match F (NULL: it does), as filter_sql would select it?  Syscall names
 * come from ARCH's table (systab.h); "pid" on the sched kinds, which asks
 * the threads table, matches nothing.  The recorder's --trigger. */
int filter_event(const struct filter *f, enum ev_kind kind, const void *ev,
		 const char *arch);

/* The text the filter was parsed from ("" for match-all); owned by F. */
const char *filter_text(const struct filter *f);

#endif
