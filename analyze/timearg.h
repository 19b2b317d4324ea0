/*
 * timearg.h - the time arguments of --from / --to (report, replay, export,
 * the TUI's "go to time").
 *
 *     uint64_t ts;
 *     if (timearg_parse(st, "+2.5s", &ts, err, sizeof(err)) < 0) ...
 *
 * Accepted forms (TIMEARG_FORMS says the same to users):
 *     +2.5s  2.5s  1500ms  90us  3m     from the start of the trace
 *     10:31:07   10:31:07.25            UTC wall time on the trace's first day
 *     2026-11-25T10:31:07.25Z           UTC wall time (a space may replace T)
 *     @1234567890123                    boot-clock ns, as in the ts columns
 * A number without a unit is seconds from the start.
 */
#ifndef KSCOPE_TIMEARG_H
#define KSCOPE_TIMEARG_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define TIMEARG_FORMS TIMEARG_FORMS_1 " " TIMEARG_FORMS_2
/* The two halves, for --help text that wraps them under 80 columns. */
#define TIMEARG_FORMS_1 "+2.5s or 1500ms (from the start), 10:31:07.25 or"
#define TIMEARG_FORMS_2 "2026-11-25T10:31:07Z (UTC), or @NS (boot-clock ns)"

/* The trace's first and last ts (meta start_ts/end_ts, else the chunks). */
int timearg_span(struct store *st, uint64_t *first, uint64_t *last);

/* 0 and *TS, or -EINVAL with "bad time 'ARG': use ..." in ERR. */
int timearg_parse(struct store *st, const char *arg, uint64_t *ts, char *err,
		  size_t errlen);

/* A command's --from FROM_ARG and --to TO_ARG into *FROM and *TO (a NULL
 * argument leaves its bound as it is): 0, or -EINVAL with "--from: bad
 * time ..." or "--to '+1s' is before --from '+2s'" in ERR. */
int timearg_window(struct store *st, const char *from_arg, const char *to_arg,
		   uint64_t *from, uint64_t *to, char *err, size_t errlen);

#endif
