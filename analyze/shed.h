/*
 * shed.h - what a recording's budget shed (the trace's shed table), for
 * the report header, `kscope info` and the TUI's Overview.
 *
 *     struct shed_summary s;
 *     shed_gather(db, from, to, &s);          // the seconds of [from, to]
 *     shed_describe(&s, start_ts, end_ts, buf, len);
 *             // "syscalls: sampled 1/8 from +12 s to +19 s, ..."
 *
 * A trace of a recording without --budget, or written before the shed
 * table existed, has nothing shed: s.sampled and s.stripped are 0 and the
 * text is empty.
 */
#ifndef KSCOPE_SHED_H
#define KSCOPE_SHED_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define SHED_STRETCHES 4 /* sampled stretches described; more are counted */

struct shed_stretch {
	uint64_t from, to;       /* boot ns: the first second's start, the
				  * last second's end */
	uint32_t rate_min, rate_max; /* 1 in N kept */
};

struct shed_summary {
	uint64_t sampled;        /* calls left out (what 'sample') */
	uint64_t stripped;       /* calls kept without strings ('payload') */
	struct shed_stretch sample[SHED_STRETCHES];
	size_t nsample;          /* stretches described */
	size_t more;             /* stretches beyond those */
	uint64_t strip_from, strip_to; /* the span of 'payload' rows */
};

/* Sum the shed rows whose second overlaps [FROM, TO] (boot ns) into S.
 * Seconds with sampling that are at most 2 s apart make one stretch (a
 * second in which no call was left out has no row).  0, or a negative
 * SQLite-ish error (-EIO) with nothing in S. */
int shed_gather(sqlite3 *db, uint64_t from, uint64_t to,
		struct shed_summary *s);
/* S as one line, times relative to START and no later than END (boot ns):
 * "syscalls: sampled 1/2 to 1/1024 from +0 s to +6 s, 1234 calls left out;
 * strings dropped from 56 calls from +0 s to +6 s".  Empty when nothing
 * was shed.  Returns BUF. */
char *shed_describe(const struct shed_summary *s, uint64_t start,
		    uint64_t end, char *buf, size_t len);

#endif
