/*
 * output.h - print a ranked diff (rank.h) as text, CSV or JSON.
 *
 *     rc = diff_print(&d, OUTPUT_FORMAT_JSON, 20, stdout, err);
 *
 * Text: a header naming both traces and their lengths and what
 * "significant" means, the ranked list (TOP lines), one table per
 * section (TOP lines each, in rank order) and side-by-side log2
 * histograms of the latency of the syscalls (and run-queue waits)
 * ranked highest.  CSV: the same tables, each after a "# key" line,
 * every line.  JSON: one object with "traces", "significance",
 * "ranked", a key per section and "histograms"; every line.
 *
 * 0, -EPIPE when the reader went away, or another negative errno with
 * a message in ERR (DIFF_ERRLEN bytes).
 */
#ifndef KSCOPE_DIFF_OUTPUT_H
#define KSCOPE_DIFF_OUTPUT_H

#include <stdio.h>

#include "analyze/diff/rank.h"
#include "analyze/output/output.h"

#define DIFF_TOP_DEFAULT 20
#define DIFF_HISTS 3	/* histograms drawn */

int diff_print(struct diff *d, enum output_format fmt, unsigned top,
	       FILE *fp, char *err);

#endif
