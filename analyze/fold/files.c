/*
 * files.c - file activity (see files.h).
 */
#include "config.h"
#include "analyze/fold/files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { F_OTHER, F_OPEN, F_READ, F_WRITE, F_SYNC };

int fold_files_init(struct fold_files *a, struct store *st)
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

	memset(a, 0, sizeof(*a));
	for (int nr = 0; nr < FOLD_FILES_NRMAX; nr++) {
		const char *n = store_syscall_name(st, nr);

		for (size_t i = 0; n && i < sizeof(names) / sizeof(names[0]);
		     i++)
			if (!strcmp(n, names[i].name))
				a->cls[nr] = names[i].cls;
	}
	return 0;
}

static struct fold_files_path *path_get(struct fold_files *a, const char *s,
					uint32_t *ix)
{
	size_t before = a->paths.n;

	if (report_str_intern(&a->paths, s, ix) < 0 ||
	    report_grow(&a->pv, &a->pcap, a->paths.n, sizeof(*a->pv)) < 0)
		return NULL;
	if (a->paths.n > before)
		memset(&a->pv[*ix], 0, sizeof(a->pv[*ix]));
	return &a->pv[*ix];
}

static struct fold_files_proc *proc_get(struct fold_files *a,
					const struct store_batch *b,
					uint32_t i, uint32_t pid, int *rc)
{
	const char *comm = NULL;
	uint32_t ix;

	*rc = -ENOMEM;
	if (hmap_get(&a->procix, pid, &ix))
		return &a->procs[ix];
	if ((*rc = store_batch_str(b, EVI_SYSCALL_COMM, i, &comm)) < 0)
		return NULL;
	*rc = -ENOMEM;
	if (report_grow(&a->procs, &a->capprocs, a->nprocs + 1,
			sizeof(*a->procs)) < 0 ||
	    hmap_put(&a->procix, pid, (uint32_t)a->nprocs) < 0)
		return NULL;
	a->procs[a->nprocs] = (struct fold_files_proc){
		.pid = pid, .comm = comm ? strdup(comm) : NULL };
	return &a->procs[a->nprocs++];
}

/* Path IX is named for the first time.  0 or -ENOMEM. */
static int named_add(struct fold_files *a, uint32_t ix)
{
	if (report_grow(&a->named, &a->capnamed, a->nnamed + 1,
			sizeof(*a->named)) < 0)
		return -ENOMEM;
	a->named[a->nnamed++] = ix;
	return 0;
}

/* A finished open of PATH (index IX) by PID with result RET. */
static int open_count(struct fold_files *a, struct fold_files_path *p,
		      uint32_t ix, uint32_t pid, int64_t ret)
{
	uint64_t key = (uint64_t)ix << 16 | (uint64_t)-ret;
	uint32_t fx;

	p->opens++;
	p->pid = pid;
	a->opens++;
	if (!report_failed(ret))
		return 0;
	p->failed++;
	p->last_err = ret;
	a->failed++;
	if (hmap_get(&a->failix, key, &fx)) {
		a->fails[fx].count++;
		return 0;
	}
	if (report_grow(&a->fails, &a->capfails, a->nfails + 1,
			sizeof(*a->fails)) < 0 ||
	    hmap_put(&a->failix, key, (uint32_t)a->nfails) < 0)
		return -ENOMEM;
	a->fails[a->nfails++] = (struct fold_files_fail){
		.path = ix, .ret = ret, .count = 1, .pid = pid };
	return 0;
}

/* The I/O counts both a process and an fd name keep. */
struct io_counts {
	uint64_t *reads, *rbytes, *writes, *wbytes, *syncs, *sync_ns;
};

static struct io_counts proc_io(struct fold_files_proc *p)
{
	return (struct io_counts){ &p->reads, &p->rbytes, &p->writes,
				   &p->wbytes, &p->syncs, &p->sync_ns };
}

static struct io_counts fd_io(struct fold_files_fd *f)
{
	return (struct io_counts){ &f->reads, &f->rbytes, &f->writes,
				   &f->wbytes, &f->syncs, &f->sync_ns };
}

/* The counts FROM holds added to TO's. */
static void io_add(struct io_counts to, struct io_counts from)
{
	*to.reads += *from.reads;
	*to.rbytes = report_sum_add(*to.rbytes, (int64_t)*from.rbytes);
	*to.writes += *from.writes;
	*to.wbytes = report_sum_add(*to.wbytes, (int64_t)*from.wbytes);
	*to.syncs += *from.syncs;
	*to.sync_ns = report_sum_add(*to.sync_ns, (int64_t)*from.sync_ns);
}

/* Finished call I of family CLS (read, write or fsync) into C. */
static void io_count(struct io_counts c, const struct store_batch *b,
		     uint32_t i, int cls)
{
	int64_t ret = b->col[EVI_SYSCALL_RET][i];

	switch (cls) {
	case F_READ:
		(*c.reads)++;
		if (ret > 0)
			*c.rbytes = report_sum_add(*c.rbytes, ret);
		break;
	case F_WRITE:
		(*c.writes)++;
		if (ret > 0)
			*c.wbytes = report_sum_add(*c.wbytes, ret);
		break;
	case F_SYNC:
		(*c.syncs)++;
		*c.sync_ns = report_sum_add(*c.sync_ns,
					     b->col[EVI_SYSCALL_DUR][i]);
		break;
	}
}

/* Call I (family CLS) on an fd the trace names (FIN: it finished). */
static int fd_count(struct fold_files *a, const struct store_batch *b,
		    uint32_t i, int cls, int fin)
{
	size_t before = a->fdnames.n;
	struct fold_files_fd *f;
	const char *s = NULL;
	uint32_t ix;
	int rc;

	if ((rc = store_batch_str(b, EVI_SYSCALL_FD_NAME, i, &s)) < 0 || !s)
		return rc;
	if (report_str_intern(&a->fdnames, s, &ix) < 0 ||
	    report_grow(&a->fv, &a->fcap, a->fdnames.n, sizeof(*a->fv)) < 0)
		return -ENOMEM;
	f = &a->fv[ix];
	if (a->fdnames.n > before)
		*f = (struct fold_files_fd){ .name = ix };
	a->nfv = a->fdnames.n;
	f->calls++;
	if (!fin)
		return 0;
	f->errors += report_failed(b->col[EVI_SYSCALL_RET][i]);
	f->time = report_sum_add(f->time, b->col[EVI_SYSCALL_DUR][i]);
	io_count(fd_io(f), b, i, cls);
	return 0;
}

/* The process side of finished call I of family CLS. */
static int proc_count(struct fold_files *a, const struct store_batch *b,
		      uint32_t i, int cls)
{
	struct fold_files_proc *p;
	int rc;

	if (!(p = proc_get(a, b, i, (uint32_t)b->col[EVI_SYSCALL_PID][i], &rc)))
		return rc;
	if (cls == F_OPEN) {
		p->opens++;
		p->failed += report_failed(b->col[EVI_SYSCALL_RET][i]);
		return 0;
	}
	io_count(proc_io(p), b, i, cls);
	return 0;
}

int fold_files_batch(struct fold_files *a, const struct store_batch *b,
		     const uint8_t *keep)
{
	const int64_t *nr = b->col[EVI_SYSCALL_NR];
	const int64_t *ret = b->col[EVI_SYSCALL_RET];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	const int64_t *path = b->col[EVI_SYSCALL_PATH];
	const int64_t *pst = b->col[EVI_SYSCALL_PATH_STATUS];
	const int64_t *fdn = b->col[EVI_SYSCALL_FD_NAME];
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		int cls = nr[i] >= 0 && nr[i] < FOLD_FILES_NRMAX ?
			  a->cls[nr[i]] : F_OTHER;
		int named = path[i] || pst[i] == EV_PATH_UNREADABLE;
		struct fold_files_path *p = NULL;
		const char *s = NULL;
		uint32_t ix = 0;
		int fin;

		if ((cls == F_OTHER && !named && !fdn[i]) ||
		    !fold_kept(keep, i))
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					     dur[i])) < 0)
			return rc;
		fin = rc == 0;
		if (fdn[i] && (rc = fd_count(a, b, i, cls, fin)) < 0)
			return rc;
		if (named || (cls == F_OPEN && fin)) {
			if (named && (rc = report_path(b, EVI_SYSCALL_PATH,
					EVI_SYSCALL_PATH_STATUS, i, &s)) < 0)
				return rc;
			if (!(p = path_get(a, s ? s : "", &ix)))
				return -ENOMEM;
		}
		if (named) {
			if (!p->calls++ && named_add(a, ix) < 0)
				return -ENOMEM;
			if (fin) {
				p->errors += report_failed(ret[i]);
				p->time = report_sum_add(p->time, dur[i]);
			}
		}
		if (!fin || cls == F_OTHER)
			continue;
		if (cls == F_OPEN &&
		    (rc = open_count(a, p, ix,
				     (uint32_t)b->col[EVI_SYSCALL_PID][i],
				     ret[i])) < 0)
			return rc;
		if ((rc = proc_count(a, b, i, cls)) < 0)
			return rc;
	}
	return 0;
}

int fold_files_fn(void *acc, const struct store_batch *b, const uint8_t *keep)
{
	return fold_files_batch(acc, b, keep);
}

void fold_files_free(struct fold_files *a)
{
	for (size_t i = 0; i < a->nprocs; i++)
		free(a->procs[i].comm);
	free(a->procs);
	free(a->pv);
	free(a->named);
	free(a->fails);
	report_strtab_free(&a->paths);
	report_strtab_free(&a->fdnames);
	free(a->fv);
	hmap_free(&a->procix);
	hmap_free(&a->failix);
	hmap_free(&a->fdix);
	memset(a, 0, sizeof(*a));
}

/* FROM's paths, by text, and its failed opens; X maps FROM's path indices
 * to A's. */
static int paths_merge(struct fold_files *a, const struct fold_files *from,
		       uint32_t host, uint32_t *x)
{
	for (size_t i = 0; i < from->paths.n; i++) {
		const struct fold_files_path *f = &from->pv[i];
		struct fold_files_path *p;

		p = path_get(a, from->paths.s[i], &x[i]);
		if (!p || (f->calls && !p->calls && named_add(a, x[i]) < 0))
			return -ENOMEM;
		p->calls += f->calls;
		p->errors += f->errors;
		p->time = report_sum_add(p->time, (int64_t)f->time);
		p->opens += f->opens;
		p->failed += f->failed;
		if (f->failed)
			p->last_err = f->last_err;
		if (f->opens) {
			p->pid = f->pid;
			p->host = host;
		}
	}
	for (size_t i = 0; i < from->nfails; i++) {
		const struct fold_files_fail *f = &from->fails[i];
		uint64_t key = (uint64_t)x[f->path] << 16 | (uint64_t)-f->ret;
		uint32_t fx;

		if (hmap_get(&a->failix, key, &fx)) {
			a->fails[fx].count += f->count;
			continue;
		}
		if (report_grow(&a->fails, &a->capfails, a->nfails + 1,
				sizeof(*a->fails)) < 0 ||
		    hmap_put(&a->failix, key, (uint32_t)a->nfails) < 0)
			return -ENOMEM;
		a->fails[a->nfails] = *f;
		a->fails[a->nfails].path = x[f->path];
		a->fails[a->nfails++].host = host;
	}
	return 0;
}

/* FROM's processes under HOST, by (host, pid). */
static int procs_merge(struct fold_files *a, const struct fold_files *from,
		       uint32_t host)
{
	for (size_t i = 0; i < from->nprocs; i++) {
		struct fold_files_proc *f = &from->procs[i], *p;
		uint64_t key = (uint64_t)host << 32 | f->pid;
		uint32_t ix;

		if (!hmap_get(&a->procix, key, &ix)) {
			char *comm = f->comm ? strdup(f->comm) : NULL;

			ix = (uint32_t)a->nprocs;
			if ((f->comm && !comm) ||
			    report_grow(&a->procs, &a->capprocs, ix + 1,
					sizeof(*a->procs)) < 0 ||
			    hmap_put(&a->procix, key, ix) < 0) {
				free(comm);
				return -ENOMEM;
			}
			a->nprocs++;
			a->procs[ix] = (struct fold_files_proc){
				.pid = f->pid, .host = host, .comm = comm };
		}
		p = &a->procs[ix];
		p->opens += f->opens;
		p->failed += f->failed;
		io_add(proc_io(p), proc_io(f));
	}
	return 0;
}

/* FROM's open files under HOST, by (host, fd name). */
static int fds_merge(struct fold_files *a, const struct fold_files *from,
		     uint32_t host)
{
	for (size_t i = 0; i < from->nfv; i++) {
		struct fold_files_fd *f = &from->fv[i], *d;
		uint32_t name, ix;
		uint64_t key;

		if (report_str_intern(&a->fdnames, from->fdnames.s[f->name],
				      &name) < 0)
			return -ENOMEM;
		key = (uint64_t)host << 32 | name;
		if (!hmap_get(&a->fdix, key, &ix)) {
			if (report_grow(&a->fv, &a->fcap, a->nfv + 1,
					sizeof(*a->fv)) < 0 ||
			    hmap_put(&a->fdix, key, (uint32_t)a->nfv) < 0)
				return -ENOMEM;
			ix = (uint32_t)a->nfv++;
			a->fv[ix] = (struct fold_files_fd){ .name = name,
							    .host = host };
		}
		d = &a->fv[ix];
		d->calls += f->calls;
		d->errors += f->errors;
		d->time = report_sum_add(d->time, (int64_t)f->time);
		io_add(fd_io(d), fd_io(f));
	}
	return 0;
}

int fold_files_merge(struct fold_files *a, const struct fold_files *from,
		     uint32_t host)
{
	uint32_t *x = malloc((from->paths.n + 1) * sizeof(*x));
	int rc;

	if (!x)
		return -ENOMEM;
	rc = paths_merge(a, from, host, x);
	free(x);
	if (rc == 0)
		rc = procs_merge(a, from, host);
	if (rc == 0)
		rc = fds_merge(a, from, host);
	a->opens += from->opens;
	a->failed += from->failed;
	return rc;
}
