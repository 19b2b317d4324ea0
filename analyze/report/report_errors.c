/*
 * report_errors.c - `kscope report FILE errors`: the calls that failed.
 *
 *     kscope report t.kscope errors            by syscall and errno, with
 *                                              example paths; by process
 *     kscope report t.kscope errors --pid 42 --format json
 *
 * One store_scan folded by analyze/fold/errs.h (the TUI's Errors view
 * folds with it too): a finished call with -4095 <= ret < 0 failed with
 * errno -ret (the kernel's rule); calls still running at the end are not
 * counted.  Per (syscall, errno) the count, the processes involved and up
 * to three distinct example paths (or addresses); per (syscall, errno,
 * pid) the count and the comm of the first such call; per errno the
 * total.  This file sorts and prints them.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/output/plural.h"
#include "analyze/fold/errs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int proc_cmp(const void *a, const void *b)
{
	const struct fold_errs_proc *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->ret < y->ret ? 1 : x->ret > y->ret ? -1 : 0;
}

/* The tables and the note of the errors report over S (one trace's
 * figures, or several merged: then the per-process rows lead with their
 * host). */
static int errs_print(struct report *r, struct fold_errs *s)
{
	static const char *const kcols[] = {
		"syscall", "error", "ret", "count", "processes", "examples"
	};
	static const char *const pcols[] = {
		"host", "pid", "comm", "syscall", "error", "count"
	};
	static const char *const ecols[] = { "error", "ret", "count" };
	int merged = r->hosts != NULL;
	int rc;

	report_sort(s->k, s->nk, sizeof(*s->k), fold_errs_key_cmp);
	rc = report_table_begin(r, "by_syscall", "Failed calls by syscall and "
				"error", 6, kcols);
	for (size_t i = 0; rc == 0 && i < s->nk && i < r->top; i++) {
		struct fold_errs_key *k = &s->k[i];
		char ex[3 * 160 + 8];
		size_t n = 0;

		ex[0] = '\0';
		for (int e = 0; e < FOLD_ERRS_EXAMPLES && k->ex[e]; e++)
			n += (size_t)snprintf(ex + n, sizeof(ex) - n, "%s%.150s",
					      e ? ", " : "", k->ex[e]);
		rc = report_table_row(r, (struct output_cell[]){
			report_sysname(r, k->nr), report_errno(r, k->ret),
			OUTPUT_INT(k->ret), OUTPUT_INT((int64_t)k->count),
			OUTPUT_INT(k->pids), ex[0] ? OUTPUT_TEXT(ex) :
			OUTPUT_NULL });
	}
	rc = report_table_close(r, rc);

	report_sort(s->p, s->np, sizeof(*s->p), proc_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_process", "Failed calls by "
					"process", 5 + merged, pcols + !merged);
	for (size_t i = 0; rc == 0 && i < s->np && i < r->top; i++) {
		struct fold_errs_proc *p = &s->p[i];
		struct output_cell host = merged ?
			report_text(r->hosts[p->host]) : OUTPUT_NULL;

		rc = report_table_row(r, (struct output_cell[]){ host,
			OUTPUT_INT(p->pid), report_text(p->comm),
			report_sysname(r, p->nr), report_errno(r, p->ret),
			OUTPUT_INT((int64_t)p->count) } + !merged);
	}
	rc = report_table_close(r, rc);

	if (rc == 0)
		rc = report_table_begin(r, "by_errno", "Failed calls by error",
					3, ecols);
	for (int pass = 0; rc == 0 && pass < 1; pass++) {
		/* errnos by count, then by number */
		int order[4096], n = 0;
		for (int e = 1; e < 4096; e++)
			if (s->by_errno[e])
				order[n++] = e;
		for (int i = 1; i < n; i++)
			for (int j = i; j > 0 && (s->by_errno[order[j]] >
			     s->by_errno[order[j - 1]]); j--) {
				int t = order[j];
				order[j] = order[j - 1];
				order[j - 1] = t;
			}
		for (int i = 0; rc == 0 && i < n; i++)
			rc = report_table_row(r, (struct output_cell[]){
				report_errno(r, -order[i]),
				OUTPUT_INT(-order[i]),
				OUTPUT_INT((int64_t)s->by_errno[order[i]]) });
	}
	rc = report_table_close(r, rc);
	if (rc == 0 && s->nk) {
		struct fold_errs_key *k = &s->k[0];
		const char *name = report_sysname_str(r, k->nr);
		char file[512];

		rc = report_note(r, "%" PRIu64 " failed %s; the most common:"
				 " %s %s (%" PRIu64 "), listed by: kscope "
				 "query %s \"SELECT * FROM syscalls WHERE "
				 "ret = %" PRId64 "\"", s->total,
				 plural(s->total, "call", "calls"),
				 name ? name : "?",
				 report_errno(r, k->ret).p ?
				 (const char *)report_errno(r, k->ret).p : "?",
				 k->count, report_file_word(r, file,
							    sizeof(file)),
				 k->ret);
	}
	return rc;
}

int report_errors_run(struct report *r)
{
	struct fold_errs *s = malloc(sizeof(*s));
	int rc;

	if (!s)
		return report_fail(r, -ENOMEM, "out of memory");
	fold_errs_init(s);
	rc = report_fold(r, EV_SYSCALL, FOLD_ERRS_FIELDS, fold_errs_fn, s);
	if (rc == 0)
		rc = errs_print(r, s);
	fold_errs_free(s);
	free(s);
	return rc;
}

/* Each trace folded as report_errors_run folds it, renumbered by syscall
 * name and added up with its processes keyed by (host, pid). */
int report_errors_merge(struct report *r)
{
	struct fold_errs *all = malloc(sizeof(*all));
	struct fold_errs *one = malloc(sizeof(*one));
	int rc = 0;

	if (!all || !one) {
		free(all);
		free(one);
		return report_fail(r, -ENOMEM, "out of memory");
	}
	fold_errs_init(all);
	for (size_t t = 0; rc == 0 && t < r->ntraces; t++) {
		report_merge_use(r, t);
		fold_errs_init(one);
		rc = report_fold(r, EV_SYSCALL, FOLD_ERRS_FIELDS, fold_errs_fn,
				 one);
		for (size_t i = 0; rc == 0 && i < one->nk; i++) {
			int32_t *nr = &one->k[i].nr;

			if ((*nr = report_merge_sysnr(r, t, *nr)) < 0)
				rc = -ENOMEM;
		}
		for (size_t i = 0; rc == 0 && i < one->np; i++) {
			int32_t *nr = &one->p[i].nr;

			if ((*nr = report_merge_sysnr(r, t, *nr)) < 0)
				rc = -ENOMEM;
		}
		if (rc == 0)
			rc = fold_errs_merge(all, one, report_merge_host(r, t));
		if (rc == -ENOMEM)
			report_fail(r, rc, "out of memory");
		fold_errs_free(one);
	}
	if (rc == 0 && (rc = fold_errs_merge_end(all)) < 0)
		report_fail(r, rc, "out of memory");
	if (rc == 0)
		rc = errs_print(r, all);
	fold_errs_free(all);
	free(all);
	free(one);
	return rc;
}
