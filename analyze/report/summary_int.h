/*
 * summary_int.h - the summary's pointers at causes (summary_causes.c),
 * shared with report_summary.c only.
 *
 *     struct sum_causes c;
 *     summary_causes_init(r, &c);          // reads the exits (SQL)
 *     // in the summary's syscalls scan, with SUM_CAUSES_FIELDS:
 *     summary_causes_batch(&c, b, keep);
 *     summary_causes_print(r, &c, &errs, switches); // tables, notes
 *     summary_causes_free(&c);
 *
 * Each pointer is a table (empty in text when nothing was found) and,
 * when found, a note naming the process and the next command to run on
 * this trace file (docs/ANALYZE.md, "What the summary points at").
 */
#ifndef KSCOPE_SUMMARY_INT_H
#define KSCOPE_SUMMARY_INT_H

#include "analyze/fold/busypoll.h"
#include "analyze/fold/errs.h"
#include "analyze/fold/hangs.h"
#include "analyze/fold/lastfail.h"
#include "analyze/report/report_int.h"

#define SUM_CAUSES_FIELDS \
	(FOLD_LASTFAIL_FIELDS | FOLD_HANGS_FIELDS | FOLD_BUSYPOLL_FIELDS)

struct sum_exit {
	uint32_t pid;
	int32_t code;
	uint64_t ts;
};

struct sum_causes {
	struct fold_lastfail lf;
	struct fold_hangs hg;
	struct fold_busypoll bp;
	struct sum_exit *exits;	/* the non-zero exits, by ts */
	size_t nexits, capexits;
	char file[512];		/* the trace file, quoted for a shell */
};

int summary_causes_init(struct report *r, struct sum_causes *c);
int summary_causes_batch(struct sum_causes *c, const struct store_batch *b,
			 const uint8_t *keep);
/* SWITCHES: the window's sched_switch events (0: no runnable figures). */
int summary_causes_print(struct report *r, struct sum_causes *c,
			 const struct fold_errs *er, uint64_t switches);
void summary_causes_free(struct sum_causes *c);

#endif
