/*
 * evfmt.h - one event as one readable line (replay, the TUI) or as one JSON
 * object (replay --format json).
 *
 *     struct evfmt *fmt = evfmt_new(st, 0);       // reads meta, threads
 *     struct evbuf b = EVBUF_INIT;
 *     while (store_cursor_next(c, &kind, &ev) > 0) {
 *             evbuf_clear(&b);
 *             evfmt_line(fmt, kind, ev, &b);      // no newline
 *             puts(b.p);
 *     }
 *     evbuf_free(&b);
 *     evfmt_free(fmt);
 *
 * A line reads like strace and perf script together:
 *
 *     +1.234567890 10:31:07.123456789 [003] nginx/1235           openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3 <4.20 us>
 *     +1.234600000 10:31:07.123489000 [001] bash/88              switch bash/88 (S) -> nginx/1235
 *
 * that is: time from the start of the trace, UTC wall time of day, cpu,
 * the acting thread as comm/tid (the previous task of a switch, the waker of
 * a wakeup), then the event (evfmt_detail).  Syscalls decode their
 * arguments through a per-name table (evfmt_sys.c: paths, flags by name,
 * fds, socket addresses, sizes) and show the result with its errno name and
 * the duration; switch shows prev -> next with the state letter; exec shows
 * the file and argv; a TCP state change shows endpoints and OLD -> NEW.  Kinds
 * without their own form print their descriptor fields as name=value.
 *
 * Threads with no comm in their event (wakeup, migrate) are named from the
 * trace's threads table and from the comms seen in earlier events.
 */
#ifndef KSCOPE_EVFMT_H
#define KSCOPE_EVFMT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/replay/evbuf.h"
#include "store/ev.h"
#include "store/store.h"

/* evfmt_new flags */
#define EVFMT_NO_WALL 0x1u /* leave out the wall-clock column */

struct evfmt;

/* A formatter for events of trace ST (borrowed; must outlive the
 * formatter).  Relative times count from the trace's start.  NULL + errno
 * on failure. */
struct evfmt *evfmt_new(struct store *st, unsigned flags);
void evfmt_free(struct evfmt *f);

/* Append the whole line for event EV of KIND (no newline).  0, or -ENOMEM. */
int evfmt_line(struct evfmt *f, enum ev_kind kind, const void *ev,
	       struct evbuf *b);

/* The parts of a line, for column displays: "+1.234567890",
 * "10:31:07.123456789", "nginx/1235" and the event text. */
int evfmt_reltime(struct evfmt *f, uint64_t ts, struct evbuf *b);
int evfmt_walltime(struct evfmt *f, uint64_t ts, struct evbuf *b);
int evfmt_who(struct evfmt *f, enum ev_kind kind, const void *ev,
	      struct evbuf *b);
int evfmt_detail(struct evfmt *f, enum ev_kind kind, const void *ev,
		 struct evbuf *b);

/* Append one JSON object (no newline): "ts", "time" (relative seconds),
 * "wall" (ISO-8601 UTC, when the trace has a clock offset), "event" (the
 * kind's title: syscall, switch, wakeup, migrate, proc, net), every shown
 * field of the kind under its SQL name (enumerations by name, as SQL shows
 * them, so proc and net events have their own "kind": exec, state...;
 * syscall "name"), "errno" for failed syscalls, "unfinished": true for
 * calls still running at the end, and "text" (evfmt_detail). */
int evfmt_json(struct evfmt *f, enum ev_kind kind, const void *ev,
	       struct evbuf *b);

/* signal_generate's result (the kernel's TRACE_SIGNAL_*: "delivered",
 * "ignored", ...), or NULL for a value it does not name. */
const char *evfmt_signal_result(int64_t result);

/* Kernel task state bits (sched_switch prev_state) as ps's letter:
 * R S D T t X Z P I. */
char evfmt_state_letter(int64_t state);

#endif
