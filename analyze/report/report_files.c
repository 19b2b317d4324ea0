/*
 * report_files.c - `kscope report FILE files`: what was opened, what
 * failed to open, and file activity per process.
 *
 *     kscope report t.kscope files --top 20
 *
 * One store_scan of pid, nr, ret and dur.  Opens are the calls
 * named open, openat, openat2 and creat on the trace's architecture; their
 * path is read (store_batch_str) only for those rows and interned, so each
 * distinct path is one counter.  Per process: opens and failed opens, and
 * the read and write families (read, pread64, readv, preadv, preadv2 /
 * write, pwrite64, writev, pwritev, pwritev2) with the bytes their
 * successful calls returned -- on any fd, files or not -- and the fsync
 * family (fsync, fdatasync, sync_file_range) with its time.
 */
#include "config.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define NRMAX 1024

enum { F_OTHER, F_OPEN, F_READ, F_WRITE, F_SYNC };

struct f_path {
	uint64_t opens, failed;
	int64_t last_err;	/* most recent failure's ret */
	uint32_t pid;		/* the process that opened it last */
};

struct f_proc {
	uint32_t pid;
	uint64_t opens, failed, reads, rbytes, writes, wbytes, syncs;
	uint64_t sync_ns;
	char *comm;
};

struct f_fail {		/* per (path, errno) */
	uint32_t path;
	int64_t ret;
	uint64_t count;
	uint32_t pid;
};

struct f_scan {
	struct report *r;
	int pid, comm, nr, ret, dur, flags, path, path_status;
	uint8_t cls[NRMAX];
	struct report_strtab paths;
	struct f_path *pv;
	size_t pcap;
	struct f_proc *procs;
	size_t nprocs, capprocs;
	struct hmap procix;
	struct f_fail *fails;
	size_t nfails, capfails;
	struct hmap failix;
	uint64_t opens, failed;
};

static void classify(struct f_scan *s)
{
	static const struct { const char *name; uint8_t cls; } names[] = {
		{ "open", F_OPEN }, { "openat", F_OPEN }, { "openat2", F_OPEN },
		{ "creat", F_OPEN },
		{ "read", F_READ }, { "pread64", F_READ }, { "readv", F_READ },
		{ "preadv", F_READ }, { "preadv2", F_READ },
		{ "write", F_WRITE }, { "pwrite64", F_WRITE },
		{ "writev", F_WRITE }, { "pwritev", F_WRITE },
		{ "pwritev2", F_WRITE },
		{ "fsync", F_SYNC }, { "fdatasync", F_SYNC },
		{ "sync_file_range", F_SYNC },
	};
	for (int nr = 0; nr < NRMAX; nr++) {
		const char *n = store_syscall_name(s->r->st, nr);
		s->cls[nr] = F_OTHER;
		for (size_t i = 0; n && i < sizeof(names) / sizeof(names[0]);
		     i++)
			if (!strcmp(n, names[i].name))
				s->cls[nr] = names[i].cls;
	}
}

static struct f_proc *proc_get(struct f_scan *s, const struct store_batch *b,
			       uint32_t i, uint32_t pid, int *rc)
{
	uint32_t ix;
	const char *comm = NULL;

	if (hmap_get(&s->procix, pid, &ix))
		return &s->procs[ix];
	if ((*rc = store_batch_str(b, (unsigned)s->comm, i, &comm)) < 0) {
		report_store_fail(s->r, *rc);
		return NULL;
	}
	if (report_grow(&s->procs, &s->capprocs, s->nprocs + 1,
			sizeof(*s->procs)) < 0 ||
	    hmap_put(&s->procix, pid, (uint32_t)s->nprocs) < 0) {
		*rc = report_fail(s->r, -ENOMEM, "out of memory");
		return NULL;
	}
	memset(&s->procs[s->nprocs], 0, sizeof(s->procs[0]));
	s->procs[s->nprocs].pid = pid;
	s->procs[s->nprocs].comm = comm ? strdup(comm) : NULL;
	return &s->procs[s->nprocs++];
}

static int open_count(struct f_scan *s, const struct store_batch *b,
		      uint32_t i, uint32_t pid, int64_t ret)
{
	struct report *r = s->r;
	const char *path = NULL;
	uint32_t ix;
	int rc;

	if ((rc = report_path(b, s->path, s->path_status, i, &path)) < 0)
		return report_store_fail(r, rc);
	if (!path)
		path = "";	/* a path the recorder did not capture */
	size_t before = s->paths.n;
	if (report_str_intern(&s->paths, path, &ix) < 0 ||
	    report_grow(&s->pv, &s->pcap, s->paths.n, sizeof(*s->pv)) < 0)
		return report_fail(r, -ENOMEM, "out of memory");
	if (s->paths.n > before)
		memset(&s->pv[ix], 0, sizeof(s->pv[ix]));
	struct f_path *p = &s->pv[ix];
	p->opens++;
	p->pid = pid;
	s->opens++;
	if (!report_failed(ret))
		return 0;
	p->failed++;
	p->last_err = ret;
	s->failed++;
	uint64_t key = (uint64_t)ix << 16 | (uint64_t)-ret;
	if (hmap_get(&s->failix, key, &ix)) {
		s->fails[ix].count++;
		return 0;
	}
	if (report_grow(&s->fails, &s->capfails, s->nfails + 1,
			sizeof(*s->fails)) < 0 ||
	    hmap_put(&s->failix, key, (uint32_t)s->nfails) < 0)
		return report_fail(r, -ENOMEM, "out of memory");
	s->fails[s->nfails++] = (struct f_fail){
		.path = (uint32_t)(key >> 16), .ret = ret, .count = 1,
		.pid = pid };
	return 0;
}

static int f_each(const struct store_batch *b, void *arg)
{
	struct f_scan *s = arg;
	struct report *r = s->r;
	const int64_t *pid = b->col[s->pid], *nr = b->col[s->nr];
	const int64_t *ret = b->col[s->ret], *dur = b->col[s->dur];
	int rc = 0;

	for (uint32_t i = 0; i < b->n; i++) {
		int cls = nr[i] >= 0 && nr[i] < NRMAX ? s->cls[nr[i]] : F_OTHER;
		struct f_proc *p;

		if (cls == F_OTHER || !report_pid_ok(r, pid[i]) ||
		    !report_comm_ok(r, b, (unsigned)s->comm, i))
			continue;
		if ((rc = report_unfinished(b, s->flags, i, dur[i])) < 0)
			return report_store_fail(r, rc);
		if (rc)
			continue;
		if (!(p = proc_get(s, b, i, (uint32_t)pid[i], &rc)))
			return rc;
		switch (cls) {
		case F_OPEN:
			p->opens++;
			p->failed += report_failed(ret[i]);
			if ((rc = open_count(s, b, i, (uint32_t)pid[i],
					     ret[i])) < 0)
				return rc;
			break;
		case F_READ:
			p->reads++;
			if (ret[i] > 0)
				p->rbytes = report_sum_add(p->rbytes, ret[i]);
			break;
		case F_WRITE:
			p->writes++;
			if (ret[i] > 0)
				p->wbytes = report_sum_add(p->wbytes, ret[i]);
			break;
		case F_SYNC:
			p->syncs++;
			p->sync_ns = report_sum_add(p->sync_ns, dur[i]);
			break;
		}
	}
	return 0;
}

static const struct f_scan *sort_ctx;

static int path_cmp(const void *a, const void *b)
{
	const struct f_path *x = &sort_ctx->pv[*(const uint32_t *)a];
	const struct f_path *y = &sort_ctx->pv[*(const uint32_t *)b];

	if (x->opens != y->opens)
		return x->opens < y->opens ? 1 : -1;
	return strcmp(sort_ctx->paths.s[*(const uint32_t *)a],
		      sort_ctx->paths.s[*(const uint32_t *)b]);
}

static int fail_cmp(const void *a, const void *b)
{
	const struct f_fail *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(sort_ctx->paths.s[x->path], sort_ctx->paths.s[y->path]);
}

static int proc_cmp(const void *a, const void *b)
{
	const struct f_proc *x = a, *y = b;
	uint64_t ax = x->opens + x->reads + x->writes + x->syncs;
	uint64_t ay = y->opens + y->reads + y->writes + y->syncs;

	if (ax != ay)
		return ax < ay ? 1 : -1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int end_table(struct report *r, int rc)
{
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
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
	struct f_scan s = { .r = r };
	uint32_t *order = NULL;
	int rc;

	s.pid = report_field(EV_SYSCALL, "pid");
	s.comm = report_field(EV_SYSCALL, "comm");
	s.nr = report_field(EV_SYSCALL, "nr");
	s.ret = report_field(EV_SYSCALL, "ret");
	s.dur = report_field(EV_SYSCALL, "dur");
	s.flags = report_field(EV_SYSCALL, "flags");
	s.path = report_field(EV_SYSCALL, "path");
	s.path_status = report_field(EV_SYSCALL, "path_status");
	if (s.pid < 0 || s.comm < 0 || s.nr < 0 || s.ret < 0 || s.dur < 0 ||
	    s.flags < 0 || s.path < 0 || s.path_status < 0)
		return report_fail(r, -EINVAL, "syscalls table lacks a column "
				   "this build needs");
	classify(&s);
	rc = report_scan(r, EV_SYSCALL, 1ull << s.pid | 1ull << s.nr |
			 1ull << s.ret | 1ull << s.dur, f_each, &s);
	if (rc < 0)
		goto out;

	sort_ctx = &s;
	order = malloc((s.paths.n + 1) * sizeof(*order));
	if (!order) {
		rc = report_fail(r, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < s.paths.n; i++)
		order[i] = (uint32_t)i;
	report_sort(order, s.paths.n, sizeof(*order), path_cmp);
	rc = report_table_begin(r, "most_opened", "Most opened paths", 5,
				ocols);
	for (size_t i = 0; rc == 0 && i < s.paths.n && i < r->top; i++) {
		const struct f_path *p = &s.pv[order[i]];
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(s.paths.s[order[i]]),
			OUTPUT_INT((int64_t)p->opens),
			OUTPUT_INT((int64_t)p->failed),
			p->failed ? report_errno(r, p->last_err) : OUTPUT_NULL,
			OUTPUT_INT(p->pid) });
	}
	rc = end_table(r, rc);

	report_sort(s.fails, s.nfails, sizeof(*s.fails), fail_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "failed_opens", "Failed opens", 4,
					fcols);
	for (size_t i = 0; rc == 0 && i < s.nfails && i < r->top; i++)
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_TEXT(s.paths.s[s.fails[i].path]),
			report_errno(r, s.fails[i].ret),
			OUTPUT_INT((int64_t)s.fails[i].count),
			OUTPUT_INT(s.fails[i].pid) });
	rc = end_table(r, rc);

	report_sort(s.procs, s.nprocs, sizeof(*s.procs), proc_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_process", "File activity by "
					"process (reads and writes on any fd)",
					10, pcols);
	for (size_t i = 0; rc == 0 && i < s.nprocs && i < r->top; i++) {
		const struct f_proc *p = &s.procs[i];
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
	rc = end_table(r, rc);
	if (rc == 0 && s.opens)
		rc = report_note(r, "%" PRIu64 " opens of %zu paths, %" PRIu64
				 " failed; 'errors' breaks failures down by "
				 "syscall and errno", s.opens, s.paths.n,
				 s.failed);
out:
	free(order);
	for (size_t i = 0; i < s.nprocs; i++)
		free(s.procs[i].comm);
	free(s.procs);
	free(s.pv);
	free(s.fails);
	report_strtab_free(&s.paths);
	hmap_free(&s.procix);
	hmap_free(&s.failix);
	return rc;
}
