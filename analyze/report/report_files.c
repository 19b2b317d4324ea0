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
 * sorts and prints them.  Merged (--merge), paths add up by their text,
 * processes by (host, pid) and open files by (host, fd name); the tables
 * give the host beside each pid and each open file.
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
	int c;

	if (x->time != y->time)
		return x->time < y->time ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	if ((c = strcmp(ff->fdnames.s[x->name], ff->fdnames.s[y->name])))
		return c;
	return x->host < y->host ? -1 : x->host > y->host;
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
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->host < y->host ? -1 : x->host > y->host;
}

/* Host index H's name in a merged report; nothing in one trace's. */
static struct output_cell host_cell(const struct report *r, uint32_t h)
{
	return r->hosts ? report_text(r->hosts[h]) : OUTPUT_NULL;
}

/* The tables and the note of the files report over S (one trace's
 * figures, or several merged: then a host leads each pid and each open
 * file). */
static int files_print(struct report *r, struct fold_files *s)
{
	static const char *const ocols[] = {
		"path", "opens", "failed", "last_error", "host", "pid"
	};
	static const char *const fcols[] = {
		"path", "error", "count", "host", "pid"
	};
	static const char *const pcols[] = {
		"host", "pid", "comm", "opens", "failed_opens", "reads",
		"read_bytes", "writes", "write_bytes", "fsyncs", "fsync_ns"
	};
	static const char *const bcols[] = {
		"path", "calls", "errors", "time_ns"
	};
	static const char *const dcols[] = {
		"host", "file", "calls", "errors", "time_ns", "reads",
		"read_bytes", "writes", "write_bytes", "fsyncs", "fsync_ns"
	};
	int merged = r->hosts != NULL;
	uint32_t *order;
	size_t nopened = 0;
	int rc;

	order = malloc((s->paths.n + s->nfv + 1) * sizeof(*order));
	if (!order)
		return report_fail(r, -ENOMEM, "out of memory");
	for (size_t i = 0; i < s->paths.n; i++)
		order[i] = (uint32_t)i;
	report_sort_r(order, s->paths.n, sizeof(*order), path_cmp, s);
	rc = report_table_begin(r, "most_opened", "Most opened paths",
				5 + merged, merged ? ocols : (const char *[]){
				ocols[0], ocols[1], ocols[2], ocols[3],
				ocols[5] });
	for (size_t i = 0; rc == 0 && i < s->paths.n && i < r->top; i++) {
		const struct fold_files_path *p = &s->pv[order[i]];
		struct output_cell c[] = {
			OUTPUT_TEXT(s->paths.s[order[i]]),
			OUTPUT_INT((int64_t)p->opens),
			OUTPUT_INT((int64_t)p->failed),
			p->failed ? report_errno(r, p->last_err) : OUTPUT_NULL,
			host_cell(r, p->host), OUTPUT_INT(p->pid) };

		if (!p->opens)
			break;	/* named by other calls only: by_path */
		if (!merged)
			c[4] = c[5];
		rc = report_table_row(r, c);
	}
	rc = report_table_close(r, rc);

	report_sort_r(s->fails, s->nfails, sizeof(*s->fails), fail_cmp, s);
	if (rc == 0)
		rc = report_table_begin(r, "failed_opens", "Failed opens",
					4 + merged, merged ? fcols :
					(const char *[]){ fcols[0], fcols[1],
					fcols[2], fcols[4] });
	for (size_t i = 0; rc == 0 && i < s->nfails && i < r->top; i++) {
		const struct fold_files_fail *f = &s->fails[i];
		struct output_cell c[] = {
			OUTPUT_TEXT(s->paths.s[f->path]),
			report_errno(r, f->ret), OUTPUT_INT((int64_t)f->count),
			host_cell(r, f->host), OUTPUT_INT(f->pid) };

		if (!merged)
			c[3] = c[4];
		rc = report_table_row(r, c);
	}
	rc = report_table_close(r, rc);

	report_sort(s->procs, s->nprocs, sizeof(*s->procs), proc_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_process", "File activity by "
					"process (reads and writes on any fd)",
					10 + merged, pcols + !merged);
	for (size_t i = 0; rc == 0 && i < s->nprocs && i < r->top; i++) {
		const struct fold_files_proc *p = &s->procs[i];
		rc = report_table_row(r, (struct output_cell[]){
			host_cell(r, p->host),
			OUTPUT_INT(p->pid), report_text(p->comm),
			OUTPUT_INT((int64_t)p->opens),
			OUTPUT_INT((int64_t)p->failed),
			OUTPUT_INT((int64_t)p->reads),
			OUTPUT_INT((int64_t)p->rbytes),
			OUTPUT_INT((int64_t)p->writes),
			OUTPUT_INT((int64_t)p->wbytes),
			OUTPUT_INT((int64_t)p->syncs),
			report_dur(r, (int64_t)p->sync_ns) } + !merged);
	}
	rc = report_table_close(r, rc);

	if (s->nnamed)	/* named is NULL before the first */
		memcpy(order, s->named, s->nnamed * sizeof(*order));
	report_sort_r(order, s->nnamed, sizeof(*order), calls_cmp, s);
	if (rc == 0)
		rc = report_table_begin(r, "by_path", "Calls naming each path "
					"(any system call with a path)", 4,
					bcols);
	for (size_t i = 0; rc == 0 && i < s->nnamed && i < r->top; i++) {
		const struct fold_files_path *p = &s->pv[order[i]];
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(s->paths.s[order[i]]),
			OUTPUT_INT((int64_t)p->calls),
			OUTPUT_INT((int64_t)p->errors),
			report_dur(r, (int64_t)p->time) });
	}
	rc = report_table_close(r, rc);

	for (size_t i = 0; i < s->nfv; i++)
		order[i] = (uint32_t)i;
	report_sort_r(order, s->nfv, sizeof(*order), fd_cmp, s);
	if (rc == 0)
		rc = report_table_begin(r, "by_file", "Calls on each open file "
					"(by what their fd referred to)",
					10 + merged, dcols + !merged);
	for (size_t i = 0; rc == 0 && i < s->nfv && i < r->top; i++) {
		const struct fold_files_fd *f = &s->fv[order[i]];
		rc = report_table_row(r, (struct output_cell[]){
			host_cell(r, f->host),
			OUTPUT_TEXT(s->fdnames.s[f->name]),
			OUTPUT_INT((int64_t)f->calls),
			OUTPUT_INT((int64_t)f->errors),
			report_dur(r, (int64_t)f->time),
			OUTPUT_INT((int64_t)f->reads),
			OUTPUT_INT((int64_t)f->rbytes),
			OUTPUT_INT((int64_t)f->writes),
			OUTPUT_INT((int64_t)f->wbytes),
			OUTPUT_INT((int64_t)f->syncs),
			report_dur(r, (int64_t)f->sync_ns) } + !merged);
	}
	rc = report_table_close(r, rc);
	for (size_t i = 0; i < s->paths.n; i++)
		nopened += s->pv[i].opens > 0;
	if (rc == 0 && s->opens)
		rc = report_note(r, "%" PRIu64 " %s of %zu %s, %" PRIu64
				 " failed; 'errors' breaks failures down by "
				 "syscall and errno", s->opens,
				 plural(s->opens, "open", "opens"), nopened,
				 plural(nopened, "path", "paths"), s->failed);
	free(order);
	return rc;
}

int report_files_run(struct report *r)
{
	struct fold_files s;
	int rc;

	fold_files_init(&s, r->st);
	rc = report_fold(r, EV_SYSCALL, FOLD_FILES_FIELDS, fold_files_fn, &s);
	if (rc == 0)
		rc = files_print(r, &s);
	fold_files_free(&s);
	return rc;
}

/* Each trace folded as report_files_run folds it and added up: paths by
 * text, processes by (host, pid), open files by (host, fd name). */
int report_files_merge(struct report *r)
{
	struct fold_files all, one;
	int rc = 0;

	fold_files_init(&all, r->traces[0].st);
	for (size_t t = 0; rc == 0 && t < r->ntraces; t++) {
		report_merge_use(r, t);
		fold_files_init(&one, r->st);
		rc = report_fold(r, EV_SYSCALL, FOLD_FILES_FIELDS,
				 fold_files_fn, &one);
		if (rc == 0 && (rc = fold_files_merge(&all, &one,
					report_merge_host(r, t))) < 0)
			report_fail(r, rc, "out of memory");
		fold_files_free(&one);
	}
	if (rc == 0)
		rc = files_print(r, &all);
	fold_files_free(&all);
	return rc;
}
