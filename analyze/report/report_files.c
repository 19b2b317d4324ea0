/*
 * report_files.c - `kscope report FILE files`: what was opened, what
 * failed to open, file activity per process, and the calls that named
 * each path (the TUI's Files view).
 *
 *     kscope report t.kscope files --top 20
 *
 * One store_scan folded by analyze/fold/files.h, which says what counts:
 * opens are the calls named open, openat, openat2 and creat on the
 * trace's architecture; per process the opens and failed opens, and the
 * read and write families with the bytes their successful calls returned
 * -- on any fd, files or not -- and the fsync family with its time; per
 * path the calls of any syscall that named it, their errors and time; per
 * open file (the fd_name of the calls' fds: paths, sockets, pipes) the
 * calls on it, their time, and the bytes read and written.  This file
 * sorts and prints them.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/output/plural.h"
#include "analyze/fold/files.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int path_cmp(const void *a, const void *b, void *arg)
{
	const struct fold_files *ff = arg;
	const struct fold_files_path *x = &ff->pv[*(const uint32_t *)a];
	const struct fold_files_path *y = &ff->pv[*(const uint32_t *)b];

	if (x->opens != y->opens)
		return x->opens < y->opens ? 1 : -1;
	return strcmp(ff->paths.s[*(const uint32_t *)a],
		      ff->paths.s[*(const uint32_t *)b]);
}

static int calls_cmp(const void *a, const void *b, void *arg)
{
	const struct fold_files *ff = arg;
	const struct fold_files_path *x = &ff->pv[*(const uint32_t *)a];
	const struct fold_files_path *y = &ff->pv[*(const uint32_t *)b];

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(ff->paths.s[*(const uint32_t *)a],
		      ff->paths.s[*(const uint32_t *)b]);
}

/* Open files by the time spent in calls on them, then by calls. */
static int fd_cmp(const void *a, const void *b, void *arg)
{
	const struct fold_files *ff = arg;
	const struct fold_files_fd *x = &ff->fv[*(const uint32_t *)a];
	const struct fold_files_fd *y = &ff->fv[*(const uint32_t *)b];

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(ff->fdnames.s[*(const uint32_t *)a],
		      ff->fdnames.s[*(const uint32_t *)b]);
}

static int fail_cmp(const void *a, const void *b, void *arg)
{
	const struct fold_files *ff = arg;
	const struct fold_files_fail *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(ff->paths.s[x->path], ff->paths.s[y->path]);
}

static int proc_cmp(const void *a, const void *b)
{
	const struct fold_files_proc *x = a, *y = b;
	uint64_t ax = x->opens + x->reads + x->writes + x->syncs;
	uint64_t ay = y->opens + y->reads + y->writes + y->syncs;

	if (ax != ay)
		return ax < ay ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int report_files_run(struct report *r)
{
	static const char *const ocols[] = {
		"path", "opens", "failed", "last_error", "pid"
	};
	static const char *const fcols[] = {
		"path", "error", "count", "pid"
	};
	static const char *const pcols[] = {
		"pid", "comm", "opens", "failed_opens", "reads", "read_bytes",
		"writes", "write_bytes", "fsyncs", "fsync_ns"
	};
	static const char *const bcols[] = {
		"path", "calls", "errors", "time_ns"
	};
	static const char *const dcols[] = {
		"file", "calls", "errors", "time_ns", "reads", "read_bytes",
		"writes", "write_bytes", "fsyncs", "fsync_ns"
	};
	struct fold_files s;
	uint32_t *order = NULL;
	size_t nopened = 0;
	int rc;

	if ((rc = fold_files_init(&s, r->st)) < 0) {
		report_fail(r, rc, "out of memory");
		goto out;
	}
	if ((rc = report_fold(r, EV_SYSCALL, FOLD_FILES_FIELDS, fold_files_fn,
			      &s)) < 0)
		goto out;

	order = malloc((s.paths.n + s.fdnames.n + 1) * sizeof(*order));
	if (!order) {
		rc = report_fail(r, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < s.paths.n; i++)
		order[i] = (uint32_t)i;
	report_sort_r(order, s.paths.n, sizeof(*order), path_cmp, &s);
	rc = report_table_begin(r, "most_opened", "Most opened paths", 5,
				ocols);
	for (size_t i = 0; rc == 0 && i < s.paths.n && i < r->top; i++) {
		const struct fold_files_path *p = &s.pv[order[i]];
		if (!p->opens)
			break;	/* named by other calls only: by_path */
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(s.paths.s[order[i]]),
			OUTPUT_INT((int64_t)p->opens),
			OUTPUT_INT((int64_t)p->failed),
			p->failed ? report_errno(r, p->last_err) : OUTPUT_NULL,
			OUTPUT_INT(p->pid) });
	}
	rc = report_table_close(r, rc);

	report_sort_r(s.fails, s.nfails, sizeof(*s.fails), fail_cmp, &s);
	if (rc == 0)
		rc = report_table_begin(r, "failed_opens", "Failed opens", 4,
					fcols);
	for (size_t i = 0; rc == 0 && i < s.nfails && i < r->top; i++)
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(s.paths.s[s.fails[i].path]),
			report_errno(r, s.fails[i].ret),
			OUTPUT_INT((int64_t)s.fails[i].count),
			OUTPUT_INT(s.fails[i].pid) });
	rc = report_table_close(r, rc);

	report_sort(s.procs, s.nprocs, sizeof(*s.procs), proc_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_process", "File activity by "
					"process (reads and writes on any fd)",
					10, pcols);
	for (size_t i = 0; rc == 0 && i < s.nprocs && i < r->top; i++) {
		const struct fold_files_proc *p = &s.procs[i];
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(p->pid), report_text(p->comm),
			OUTPUT_INT((int64_t)p->opens),
			OUTPUT_INT((int64_t)p->failed),
			OUTPUT_INT((int64_t)p->reads),
			OUTPUT_INT((int64_t)p->rbytes),
			OUTPUT_INT((int64_t)p->writes),
			OUTPUT_INT((int64_t)p->wbytes),
			OUTPUT_INT((int64_t)p->syncs),
			report_dur(r, (int64_t)p->sync_ns) });
	}
	rc = report_table_close(r, rc);

	if (s.nnamed)	/* named is NULL before the first */
		memcpy(order, s.named, s.nnamed * sizeof(*order));
	report_sort_r(order, s.nnamed, sizeof(*order), calls_cmp, &s);
	if (rc == 0)
		rc = report_table_begin(r, "by_path", "Calls naming each path "
					"(any system call with a path)", 4,
					bcols);
	for (size_t i = 0; rc == 0 && i < s.nnamed && i < r->top; i++) {
		const struct fold_files_path *p = &s.pv[order[i]];
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(s.paths.s[order[i]]),
			OUTPUT_INT((int64_t)p->calls),
			OUTPUT_INT((int64_t)p->errors),
			report_dur(r, (int64_t)p->time) });
	}
	rc = report_table_close(r, rc);

	for (size_t i = 0; i < s.fdnames.n; i++)
		order[i] = (uint32_t)i;
	report_sort_r(order, s.fdnames.n, sizeof(*order), fd_cmp, &s);
	if (rc == 0)
		rc = report_table_begin(r, "by_file", "Calls on each open file "
					"(by what their fd referred to)", 10,
					dcols);
	for (size_t i = 0; rc == 0 && i < s.fdnames.n && i < r->top; i++) {
		const struct fold_files_fd *f = &s.fv[order[i]];
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(s.fdnames.s[order[i]]),
			OUTPUT_INT((int64_t)f->calls),
			OUTPUT_INT((int64_t)f->errors),
			report_dur(r, (int64_t)f->time),
			OUTPUT_INT((int64_t)f->reads),
			OUTPUT_INT((int64_t)f->rbytes),
			OUTPUT_INT((int64_t)f->writes),
			OUTPUT_INT((int64_t)f->wbytes),
			OUTPUT_INT((int64_t)f->syncs),
			report_dur(r, (int64_t)f->sync_ns) });
	}
	rc = report_table_close(r, rc);
	for (size_t i = 0; i < s.paths.n; i++)
		nopened += s.pv[i].opens > 0;
	if (rc == 0 && s.opens)
		rc = report_note(r, "%" PRIu64 " %s of %zu %s, %" PRIu64
				 " failed; 'errors' breaks failures down by "
				 "syscall and errno", s.opens,
				 plural(s.opens, "open", "opens"), nopened,
				 plural(nopened, "path", "paths"), s.failed);
out:
	free(order);
	fold_files_free(&s);
	return rc;
}
