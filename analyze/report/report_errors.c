/*
 * report_errors.c - `kscope report FILE errors`: the calls that failed.
 *
 *     kscope report t.kscope errors            by syscall and errno, with
 *                                              example paths; by process
 *     kscope report t.kscope errors --pid 42 --format json
 *
 * One store_scan of pid, nr, ret and dur.  A finished call with
 * -4095 <= ret < 0 failed with errno -ret (the kernel's rule); calls still
 * running at the end are not counted.
 * Per (syscall, errno) the count, the processes involved and up to three
 * distinct example paths (or addresses) -- those strings are read only for
 * failed rows; per (syscall, errno, pid) the count and the comm of the
 * first such call; per errno the total.
 */
#include "config.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLES 3

struct err_key {	/* per (syscall, errno) */
	int32_t nr;
	int64_t ret;
	uint64_t count;
	uint32_t pids;	/* distinct processes */
	char *ex[EXAMPLES];
};

struct err_proc {	/* per (syscall, errno, pid) */
	int32_t nr;
	int64_t ret;
	uint32_t pid;
	uint64_t count;
	char *comm;
};

struct err_scan {
	struct report *r;
	int pid, comm, nr, ret, dur, flags, path, addr, path_status;
	struct err_key *k;
	size_t nk, capk;
	struct hmap kix;
	struct err_proc *p;
	size_t np, capp;
	struct hmap pix;
	uint64_t by_errno[4096];
	uint64_t total;
};

static uint64_t key_of(int32_t nr, int64_t ret)
{
	return (uint64_t)(uint32_t)nr << 32 | (uint32_t)-ret; /* ret >= -4095 */
}

static int example_add(struct err_scan *s, struct err_key *k,
		       const struct store_batch *b, uint32_t i)
{
	const char *v = NULL;
	int rc;

	if (k->ex[EXAMPLES - 1])
		return 0;
	if ((rc = report_path(b, s->path, s->path_status, i, &v)) < 0)
		return report_store_fail(s->r, rc);
	if (!v && (rc = store_batch_str(b, (unsigned)s->addr, i, &v)) < 0)
		return report_store_fail(s->r, rc);
	if (!v)
		return 0;
	for (int e = 0; e < EXAMPLES; e++) {
		if (k->ex[e] && !strcmp(k->ex[e], v))
			return 0;
		if (!k->ex[e]) {
			if (!(k->ex[e] = strdup(v)))
				return report_fail(s->r, -ENOMEM,
						   "out of memory");
			return 0;
		}
	}
	return 0;
}

static int err_each(const struct store_batch *b, void *arg)
{
	struct err_scan *s = arg;
	struct report *r = s->r;
	const int64_t *pid = b->col[s->pid], *nr = b->col[s->nr];
	const int64_t *ret = b->col[s->ret], *dur = b->col[s->dur];
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		uint32_t ix;
		struct err_key *k;
		struct err_proc *p;
		uint64_t key, pkey;

		if (!report_failed(ret[i]) || !report_pid_ok(r, pid[i]) ||
		    !report_comm_ok(r, b, (unsigned)s->comm, i))
			continue;
		if ((rc = report_unfinished(b, s->flags, i, dur[i])) < 0)
			return report_store_fail(r, rc);
		if (rc)
			continue;
		key = key_of((int32_t)nr[i], ret[i]);
		if (hmap_get(&s->kix, key, &ix)) {
			k = &s->k[ix];
		} else {
			if (report_grow(&s->k, &s->capk, s->nk + 1,
					sizeof(*s->k)) < 0 ||
			    hmap_put(&s->kix, key, (uint32_t)s->nk) < 0)
				return report_fail(r, -ENOMEM, "out of memory");
			k = &s->k[s->nk++];
			memset(k, 0, sizeof(*k));
			k->nr = (int32_t)nr[i];
			k->ret = ret[i];
		}
		k->count++;
		s->total++;
		s->by_errno[-ret[i]]++;
		if ((rc = example_add(s, k, b, i)) < 0)
			return rc;

		/* nr (16 bits), errno (16 bits), pid (32 bits) */
		pkey = (key >> 32 & 0xffff) << 48 | (key & 0xffff) << 32 |
		       (uint32_t)pid[i];
		if (hmap_get(&s->pix, pkey, &ix)) {
			s->p[ix].count++;
			continue;
		}
		const char *comm = NULL;
		if ((rc = store_batch_str(b, (unsigned)s->comm, i, &comm)) < 0)
			return report_store_fail(r, rc);
		if (report_grow(&s->p, &s->capp, s->np + 1, sizeof(*s->p)) < 0 ||
		    hmap_put(&s->pix, pkey, (uint32_t)s->np) < 0)
			return report_fail(r, -ENOMEM, "out of memory");
		p = &s->p[s->np++];
		*p = (struct err_proc){ .nr = (int32_t)nr[i], .ret = ret[i],
					.pid = (uint32_t)pid[i], .count = 1,
					.comm = comm ? strdup(comm) : NULL };
		k->pids++;
	}
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	const struct err_key *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->ret < y->ret ? 1 : x->ret > y->ret ? -1 : 0;
}

static int proc_cmp(const void *a, const void *b)
{
	const struct err_proc *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return x->ret < y->ret ? 1 : x->ret > y->ret ? -1 : 0;
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

int report_errors_run(struct report *r)
{
	static const char *const kcols[] = {
		"syscall", "error", "ret", "count", "processes", "examples"
	};
	static const char *const pcols[] = {
		"pid", "comm", "syscall", "error", "count"
	};
	static const char *const ecols[] = { "error", "ret", "count" };
	struct err_scan s = { .r = r };
	int rc;

	s.pid = report_field(EV_SYSCALL, "pid");
	s.comm = report_field(EV_SYSCALL, "comm");
	s.nr = report_field(EV_SYSCALL, "nr");
	s.ret = report_field(EV_SYSCALL, "ret");
	s.dur = report_field(EV_SYSCALL, "dur");
	s.flags = report_field(EV_SYSCALL, "flags");
	s.path = report_field(EV_SYSCALL, "path");
	s.addr = report_field(EV_SYSCALL, "addr");
	s.path_status = report_field(EV_SYSCALL, "path_status");
	if (s.pid < 0 || s.comm < 0 || s.nr < 0 || s.ret < 0 || s.dur < 0 ||
	    s.flags < 0 || s.path < 0 || s.addr < 0 || s.path_status < 0)
		return report_fail(r, -EINVAL, "syscalls table lacks a column "
				   "this build needs");
	rc = report_scan(r, EV_SYSCALL, 1ull << s.pid | 1ull << s.nr |
			 1ull << s.ret | 1ull << s.dur, err_each, &s);
	if (rc < 0)
		goto out;

	report_sort(s.k, s.nk, sizeof(*s.k), key_cmp);
	rc = report_table_begin(r, "by_syscall", "Failed calls by syscall and "
				"error", 6, kcols);
	for (size_t i = 0; rc == 0 && i < s.nk && i < r->top; i++) {
		struct err_key *k = &s.k[i];
		char ex[3 * 160 + 8];
		size_t n = 0;

		ex[0] = '\0';
		for (int e = 0; e < EXAMPLES && k->ex[e]; e++)
			n += (size_t)snprintf(ex + n, sizeof(ex) - n, "%s%.150s",
					      e ? ", " : "", k->ex[e]);
		rc = report_table_row(r, (struct output_cell[]){
			report_sysname(r, k->nr), report_errno(r, k->ret),
			OUTPUT_INT(k->ret), OUTPUT_INT((int64_t)k->count),
			OUTPUT_INT(k->pids), ex[0] ? OUTPUT_TEXT(ex) :
			OUTPUT_NULL });
	}
	rc = end_table(r, rc);

	report_sort(s.p, s.np, sizeof(*s.p), proc_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_process", "Failed calls by "
					"process", 5, pcols);
	for (size_t i = 0; rc == 0 && i < s.np && i < r->top; i++) {
		struct err_proc *p = &s.p[i];
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(p->pid), report_text(p->comm),
			report_sysname(r, p->nr), report_errno(r, p->ret),
			OUTPUT_INT((int64_t)p->count) });
	}
	rc = end_table(r, rc);

	if (rc == 0)
		rc = report_table_begin(r, "by_errno", "Failed calls by error",
					3, ecols);
	for (int pass = 0; rc == 0 && pass < 1; pass++) {
		/* errnos by count, then by number */
		int order[4096], n = 0;
		for (int e = 1; e < 4096; e++)
			if (s.by_errno[e])
				order[n++] = e;
		for (int i = 1; i < n; i++)
			for (int j = i; j > 0 && (s.by_errno[order[j]] >
			     s.by_errno[order[j - 1]]); j--) {
				int t = order[j];
				order[j] = order[j - 1];
				order[j - 1] = t;
			}
		for (int i = 0; rc == 0 && i < n; i++)
			rc = report_table_row(r, (struct output_cell[]){
				report_errno(r, -order[i]),
				OUTPUT_INT(-order[i]),
				OUTPUT_INT((int64_t)s.by_errno[order[i]]) });
	}
	rc = end_table(r, rc);
	if (rc == 0 && s.nk) {
		struct err_key *k = &s.k[0];
		const char *name = store_syscall_name(r->st, k->nr);
		rc = report_note(r, "%" PRIu64 " failed calls; the most common:"
				 " %s %s (%" PRIu64 "); 'kscope query FILE "
				 "\"SELECT * FROM syscalls WHERE ret = %" PRId64
				 "\"' lists them", s.total, name ? name : "?",
				 report_errno(r, k->ret).p ?
				 (const char *)report_errno(r, k->ret).p : "?",
				 k->count, k->ret);
	}
out:
	for (size_t i = 0; i < s.nk; i++)
		for (int e = 0; e < EXAMPLES; e++)
			free(s.k[i].ex[e]);
	free(s.k);
	for (size_t i = 0; i < s.np; i++)
		free(s.p[i].comm);
	free(s.p);
	hmap_free(&s.kix);
	hmap_free(&s.pix);
	return rc;
}
