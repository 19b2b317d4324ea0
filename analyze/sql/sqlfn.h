/*
 * sqlfn.h - the SQL functions of a trace connection (see sqlfn.c), and the
 * C helpers behind them for code that formats values itself.
 */
#ifndef KSCOPE_SQLFN_H
#define KSCOPE_SQLFN_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

/* errno_name, wall, wall_ns, fmt_dur, percentile, log2_bucket.  SQLITE_OK or an
 * SQLite error code. */
int sqlfn_register(sqlite3 *db);

/* "ENOENT" for RET = -2, "ERESTARTNOHAND" for -514 (kernel-internal
 * codes of interrupted calls, 512..519); NULL for RET >= 0 or an unknown
 * errno. */
const char *sqlfn_errno_name(int64_t ret);
/* The error of a failed call (-4095 <= RET < 0) as reports and the TUI
 * show it: sqlfn_errno_name's, or "E1234" for an unknown errno (written
 * into BUF). */
const char *sqlfn_errno_label(int64_t ret, char *buf, size_t len);
/* NS as "812 ns", "4.20 us", "1.50 ms", "2.000 s". */
void sqlfn_fmt_dur(char *buf, size_t len, int64_t ns);
/* TS + OFFSET_NS (ns) as *SEC since the epoch and *NS in [0, 1e9),
 * exact for any two int64s: the parts are summed apart, so the sum never
 * overflows (it spans years 1385..2554). */
void sqlfn_wall_split(int64_t ts, int64_t offset_ns, int64_t *sec,
		      int64_t *ns);
/* Boot-clock TS plus OFFSET_NS as "2026-11-25T10:31:06.761965123Z".
 * 0, or -1 if it does not fit. */
int sqlfn_wall(char *buf, size_t len, int64_t ts, int64_t offset_ns);
/* floor(log2(X)) for X >= 1, else 0. */
int sqlfn_log2_bucket(int64_t x);

#endif
