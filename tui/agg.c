/*
 * agg.c - incremental window aggregates (see agg.h for the method).
 *
 * One source per event table; a slice runs the sources in table order,
 * each as "SELECT cols FROM table WHERE ts >= ?1 AND ts < ?2 AND (where)".
 * A statement stays open across agg_step calls, so a slice may be spread
 * over several steps; the budget is checked every 256 rows.
 */
#include "config.h"
#include "tui/agg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t agg_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* Columns read from each table; the row folding below knows the order. */
static const char *const src_cols[EV_KIND_COUNT] = {
	[EV_SYSCALL] = "ts, pid, tid, nr, ret, dur, path",
	[EV_SWITCH] = "ts, cpu, prev_tid, next_tid",
	[EV_WAKEUP] = "ts",
	[EV_MIGRATE] = "ts",
	[EV_PROC] = "ts",
	[EV_NET] = "ts, pid, tid, kind, sock, bytes, sport, dport, new_state",
};

static unsigned slice_order(unsigned i)
{
	unsigned r = 0;

	for (unsigned b = 1; b < AGG_SLICES; b <<= 1, i >>= 1)
		r = (r << 1) | (i & 1);
	return r;
}

static void slice_bounds(const struct agg *a, unsigned s, uint64_t *lo,
			 uint64_t *hi)
{
	unsigned __int128 span = (unsigned __int128)(a->to - a->from) + 1;

	*lo = a->from + (uint64_t)(span * s / AGG_SLICES);
	*hi = a->from + (uint64_t)(span * (s + 1) / AGG_SLICES); /* exclusive */
}

unsigned agg_bucket(const struct agg *a, uint64_t ts)
{
	if (ts <= a->from)
		return 0;
	if (ts >= a->to)
		return AGG_BUCKETS - 1;
	unsigned __int128 span = (unsigned __int128)(a->to - a->from) + 1;
	return (unsigned)((unsigned __int128)(ts - a->from) * AGG_BUCKETS / span);
}

int agg_bucket_done(const struct agg *a, unsigned b)
{
	return a->slice_done[b / (AGG_BUCKETS / AGG_SLICES)];
}

double agg_fraction(const struct agg *a)
{
	return (double)a->slices_done / AGG_SLICES;
}

double agg_scale(const struct agg *a)
{
	return a->slices_done ? (double)AGG_SLICES / a->slices_done : 0;
}

int agg_done(const struct agg *a)
{
	return a->slices_done == AGG_SLICES;
}

const char *agg_errmsg(const struct agg *a)
{
	return a->errmsg;
}

/* Grow *ARR (of *CAP elements of SIZE) to hold N + 1. */
static int reserve(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 64;
	void *p = realloc(*arr, c * size);
	if (!p)
		return -ENOMEM;
	memset((char *)p + *cap * size, 0, (c - *cap) * size);
	*arr = p;
	*cap = c;
	return 0;
}

static struct agg_task *task_get(struct agg *a, int thread, uint32_t id,
				 uint32_t pid)
{
	struct hmap *m = thread ? &a->map_thread : &a->map_proc;
	struct agg_task **arr = thread ? &a->threads : &a->procs;
	size_t *n = thread ? &a->nthreads : &a->nprocs;
	size_t *cap = thread ? &a->cap_threads : &a->cap_procs;
	long i = hmap_index(m, id);

	if (i >= 0)
		return &(*arr)[i];
	if (reserve((void **)arr, cap, *n, sizeof(**arr)) < 0 ||
	    hmap_put(m, id, (uint32_t)*n) < 0)
		return NULL;
	struct agg_task *t = &(*arr)[(*n)++];
	t->id = id;
	t->pid = pid;
	return t;
}

static uint32_t tid_pid(const struct agg *a, uint32_t tid)
{
	long p = hmap_index(&a->map_tidpid, tid);
	return p >= 0 ? (uint32_t)p : tid;
}

static struct agg_sys *sys_get(struct agg *a, int32_t nr)
{
	long i = hmap_index(&a->map_sys, (uint32_t)nr);

	if (i >= 0)
		return &a->sys[i];
	if (reserve((void **)&a->sys, &a->cap_sys, a->nsys, sizeof(*a->sys)) < 0 ||
	    hmap_put(&a->map_sys, (uint32_t)nr, (uint32_t)a->nsys) < 0)
		return NULL;
	a->sys[a->nsys].nr = nr;
	return &a->sys[a->nsys++];
}

static int err_add(struct agg *a, int32_t nr, int32_t err)
{
	uint64_t key = (uint64_t)(uint32_t)nr << 32 | (uint32_t)err;
	long i = hmap_index(&a->map_err, key);

	if (i < 0) {
		if (reserve((void **)&a->errs, &a->cap_errs, a->nerrs,
			    sizeof(*a->errs)) < 0 ||
		    hmap_put(&a->map_err, key, (uint32_t)a->nerrs) < 0)
			return -ENOMEM;
		i = (long)a->nerrs++;
		a->errs[i].nr = nr;
		a->errs[i].err = err;
	}
	a->errs[i].count++;
	return 0;
}

static int file_add(struct agg *a, const char *path, int failed,
		    uint64_t dur)
{
	uint64_t h = hmap_hash_str(path);
	long i;

	/* Probe h, h+1, ... until the path matches or a free key is found. */
	for (;; h++) {
		i = hmap_index(&a->map_file, h);
		if (i < 0 || strcmp(a->files[i].path, path) == 0)
			break;
	}
	if (i < 0) {
		if (reserve((void **)&a->files, &a->cap_files, a->nfiles,
			    sizeof(*a->files)) < 0)
			return -ENOMEM;
		char *p = strdup(path);
		if (!p || hmap_put(&a->map_file, h, (uint32_t)a->nfiles) < 0) {
			free(p);
			return -ENOMEM;
		}
		i = (long)a->nfiles++;
		a->files[i].path = p;
	}
	a->files[i].calls++;
	a->files[i].errors += failed;
	a->files[i].dur_ns += dur;
	return 0;
}

/* Add the busy interval [t0, t1) of CPU to the timeline. */
static void busy_add(struct agg *a, unsigned cpu, uint64_t t0, uint64_t t1)
{
	if (cpu >= AGG_MAXCPU || t1 <= t0)
		return;
	unsigned __int128 span = (unsigned __int128)(a->to - a->from) + 1;
	for (unsigned b = agg_bucket(a, t0); b < AGG_BUCKETS && t0 < t1; b++) {
		uint64_t end = a->from + (uint64_t)(span * (b + 1) / AGG_BUCKETS);
		uint64_t e = t1 < end ? t1 : end;
		if (e > t0)
			a->tl_busy[cpu][b] += e - t0;
		t0 = e;
	}
}

static int fold_syscall(struct agg *a, sqlite3_stmt *s)
{
	uint64_t ts = (uint64_t)sqlite3_column_int64(s, 0);
	uint32_t pid = (uint32_t)sqlite3_column_int64(s, 1);
	uint32_t tid = (uint32_t)sqlite3_column_int64(s, 2);
	int32_t nr = (int32_t)sqlite3_column_int64(s, 3);
	int64_t ret = sqlite3_column_int64(s, 4);
	uint64_t dur = (uint64_t)sqlite3_column_int64(s, 5);
	int failed = ret < 0 && ret > -4096;
	struct agg_task *p = task_get(a, 0, pid, pid);
	struct agg_task *t = task_get(a, 1, tid, pid);
	struct agg_sys *y = sys_get(a, nr);
	unsigned b = agg_bucket(a, ts);

	if (!p || !t || !y)
		return -ENOMEM;
	p->syscalls++, t->syscalls++, y->calls++;
	p->sys_ns += dur, t->sys_ns += dur, y->dur_ns += dur;
	if (dur > y->dur_max)
		y->dur_max = dur;
	a->tl_events[b]++;
	if (failed) {
		p->errors++, t->errors++, y->errors++;
		a->tl_errors[b]++;
		if (err_add(a, nr, (int32_t)-ret) < 0)
			return -ENOMEM;
	}
	if (sqlite3_column_type(s, 6) == SQLITE_TEXT)
		return file_add(a, (const char *)sqlite3_column_text(s, 6),
				failed, dur);
	return 0;
}

/* Only what the trace knows is counted (analyze/traced.h, as the reports
 * do): a thread's run when it was traced over it and the trace put it on
 * that CPU, up to the end of its tracing, less the CPU's holes; tasks a
 * `-- CMD` or `-p` trace sees only in switches with a traced one get no
 * time and no row. */
static int fold_switch(struct agg *a, sqlite3_stmt *s, unsigned slice,
		       uint64_t lo)
{
	uint64_t ts = (uint64_t)sqlite3_column_int64(s, 0);
	uint32_t cpu = (uint32_t)sqlite3_column_int64(s, 1);
	uint32_t prev = (uint32_t)sqlite3_column_int64(s, 2);
	uint32_t next = (uint32_t)sqlite3_column_int64(s, 3);
	uint64_t until;

	a->tl_events[agg_bucket(a, ts)]++;
	if (cpu >= AGG_MAXCPU)
		return 0;
	if (cpu + 1 > a->ncpu)
		a->ncpu = cpu + 1;
	uint64_t since = a->cpu_last[cpu];
	int64_t was = a->cpu_task[cpu];	/* -1: since the slice start */
	if (since < a->tr.sw_first)
		since = a->tr.sw_first;	/* nothing recorded before */
	/* The task put here is not the one switched out: it ran until its
	 * tracing ended or a hole began, if that was before this switch. */
	if (a->tr.some && was > 0 && was != prev &&
	    traced_at(&a->tr, (uint32_t)was, since, &until)) {
		uint64_t h = traced_hole_start(&a->tr, cpu, since, ts);
		long i = hmap_index(&a->map_thread, (uint64_t)was);
		if (h < until)
			until = h;
		if (i >= 0 && until < ts && until > since) {
			struct agg_task *t = &a->threads[i];
			struct agg_task *p = task_get(a, 0, t->pid, t->pid);
			if (!p)
				return -ENOMEM;
			t = &a->threads[i];
			t->cpu_ns += until - since;
			p->cpu_ns += until - since;
			busy_add(a, cpu, since, until);
		}
	}
	if (prev && traced_at(&a->tr, prev, since, &until)) {
		struct agg_task *t = task_get(a, 1, prev, tid_pid(a, prev));
		struct agg_task *p = t ? task_get(a, 0, t->pid, t->pid) : NULL;
		uint64_t end = ts < until ? ts : until;
		int hole = 0;
		if (!p)
			return -ENOMEM;
		/* a switch-in lost: when it began here is unknown (with
		 * every task traced, only the recorder's own threads) */
		if ((!a->tr.some || was < 0 || was == prev) && end > since) {
			uint64_t ns = traced_known(&a->tr, cpu, since, end,
						   &hole);
			t->cpu_ns += ns;
			p->cpu_ns += ns;
			if (!hole)
				busy_add(a, cpu, since, end);
		}
		t->slice_seen = slice + 1;
		t->on_cpu = 0;
		t->out_ts = ts;
	}
	if (next && traced_at(&a->tr, next, ts, NULL)) {
		struct agg_task *t = task_get(a, 1, next, tid_pid(a, next));
		struct agg_task *p = t ? task_get(a, 0, t->pid, t->pid) : NULL;
		int hole = 0;
		if (!p)
			return -ENOMEM;
		/* Off CPU since its switch-out, or since the slice began. */
		uint64_t out = t->slice_seen == slice + 1 && !t->on_cpu ?
				       t->out_ts : lo;
		if (t->slice_seen != slice + 1 || !t->on_cpu) {
			uint64_t ns = traced_known(&a->tr, UINT32_MAX, out, ts,
						   &hole);
			t->off_ns += ns;
			p->off_ns += ns;
		}
		t->slice_seen = slice + 1;
		t->on_cpu = 1;
	}
	a->cpu_last[cpu] = ts;
	a->cpu_task[cpu] = next;
	return 0;
}

/* The number of enumeration column COL of S (the tables show names). */
static int enum_value(sqlite3_stmt *s, int col, const char *field)
{
	const struct ev_desc *d = ev_desc(EV_NET);
	const unsigned char *t;
	int i = ev_field_index(d, field);

	if (sqlite3_column_type(s, col) == SQLITE_INTEGER)
		return (int)sqlite3_column_int64(s, col);
	t = sqlite3_column_text(s, col);
	if (i < 0 || !t)
		return -1;
	for (uint32_t v = 0; v <= d->fields[i].nnames; v++) {
		const char *n = ev_enum_name(&d->fields[i], v);
		if (n && !strcmp(n, (const char *)t))
			return (int)v;
	}
	return -1;
}

static int fold_net(struct agg *a, sqlite3_stmt *s)
{
	uint64_t ts = (uint64_t)sqlite3_column_int64(s, 0);
	uint32_t pid = (uint32_t)sqlite3_column_int64(s, 1);
	uint32_t tid = (uint32_t)sqlite3_column_int64(s, 2);
	int kind = enum_value(s, 3, "kind");
	uint64_t sock = (uint64_t)sqlite3_column_int64(s, 4);
	int64_t bytes = sqlite3_column_int64(s, 5);
	long i;

	a->tl_events[agg_bucket(a, ts)]++;
	if (bytes > 0 && (kind == EV_NET_SEND || kind == EV_NET_RECV)) {
		struct agg_task *p = task_get(a, 0, pid, pid);
		struct agg_task *t = task_get(a, 1, tid, pid);
		if (!p || !t)
			return -ENOMEM;
		p->net_bytes += (uint64_t)bytes;
		t->net_bytes += (uint64_t)bytes;
	}
	if (!sock)
		return 0;
	i = hmap_index(&a->map_conn, sock);
	if (i < 0) {
		if (reserve((void **)&a->conns, &a->cap_conns, a->nconns,
			    sizeof(*a->conns)) < 0 ||
		    hmap_put(&a->map_conn, sock, (uint32_t)a->nconns) < 0)
			return -ENOMEM;
		i = (long)a->nconns++;
		a->conns[i].sock = sock;
		a->conns[i].first_ts = ts;
	}
	struct agg_conn *c = &a->conns[i];
	if (ts < c->first_ts)
		c->first_ts = ts;
	if (ts >= c->last_ts) {
		c->last_ts = ts;
		if (kind == EV_NET_STATE) {
			int v = enum_value(s, 8, "new_state");
			c->state = v > 0 ? (uint32_t)v : 0;
		}
	}
	if (pid && !c->pid)
		c->pid = pid;
	if (sqlite3_column_int64(s, 6))
		c->sport = (uint32_t)sqlite3_column_int64(s, 6);
	if (sqlite3_column_int64(s, 7))
		c->dport = (uint32_t)sqlite3_column_int64(s, 7);
	c->events++;
	if (kind == EV_NET_SEND && bytes > 0)
		c->tx += (uint64_t)bytes;
	if (kind == EV_NET_RECV && bytes > 0)
		c->rx += (uint64_t)bytes;
	if (kind == EV_NET_RETRANSMIT)
		c->retrans++;
	if (kind == EV_NET_RESET_SENT || kind == EV_NET_RESET_RECV)
		c->resets++;
	return 0;
}

static int fail(struct agg *a, int rc, const char *what)
{
	snprintf(a->errmsg, sizeof(a->errmsg), "%s: %s", what,
		 sqlite3_errmsg(store_db(a->st)));
	return rc;
}

/* Open the statement of source K for slice S. */
static int src_open(struct agg *a, int k, unsigned s)
{
	uint64_t lo, hi;
	char *sql;
	int rc;

	slice_bounds(a, s, &lo, &hi);
	if (s == AGG_SLICES - 1)
		hi = a->to + 1;
	sql = sqlite3_mprintf("SELECT %s FROM %s WHERE ts >= ?1 AND ts < ?2"
			      "%s%s%s", src_cols[k], ev_desc(k)->table,
			      a->where[k] ? " AND (" : "",
			      a->where[k] ? a->where[k] : "",
			      a->where[k] ? ")" : "");
	if (!sql)
		return -ENOMEM;
	rc = sqlite3_prepare_v2(store_db(a->st), sql, -1, &a->stmt, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return fail(a, -EINVAL, ev_desc(k)->table);
	sqlite3_bind_int64(a->stmt, 1, (int64_t)lo);
	sqlite3_bind_int64(a->stmt, 2, (int64_t)hi);
	if (k == EV_SWITCH)
		for (unsigned c = 0; c < AGG_MAXCPU; c++) {
			a->cpu_last[c] = lo;
			a->cpu_task[c] = -1;
		}
	return 0;
}

/* The slice's sched_switch rows are read: running tasks ran to its end,
 * switched-out ones stayed off until it (as far as the trace knows: not
 * past the last recorded event nor the end of their tracing). */
static void switch_close(struct agg *a, unsigned s)
{
	uint64_t lo, hi, until;
	int hole = 0;

	slice_bounds(a, s, &lo, &hi);
	if (hi > a->tr.last + 1)
		hi = a->tr.last + 1;
	for (unsigned c = 0; c < a->ncpu; c++) {
		int64_t tid = a->cpu_task[c];
		if (tid <= 0)
			continue;
		long i = hmap_index(&a->map_thread, (uint64_t)tid);
		if (i < 0 || !traced_at(&a->tr, (uint32_t)tid, a->cpu_last[c],
					&until))
			continue;
		struct agg_task *t = &a->threads[i];
		struct agg_task *p = agg_proc_find(a, t->pid) ?
			(struct agg_task *)agg_proc_find(a, t->pid) : NULL;
		uint64_t end = hi < until ? hi : until;
		if (end <= a->cpu_last[c])
			continue;
		hole = 0;
		uint64_t ns = traced_known(&a->tr, c, a->cpu_last[c], end, &hole);
		t->cpu_ns += ns;
		if (p)
			p->cpu_ns += ns;
		if (!hole)
			busy_add(a, c, a->cpu_last[c], end);
	}
	for (size_t i = 0; i < a->nthreads; i++) {
		struct agg_task *t = &a->threads[i];
		if (t->slice_seen == s + 1 && !t->on_cpu && hi > t->out_ts) {
			traced_at(&a->tr, t->id, t->out_ts, &until);
			uint64_t end = hi < until ? hi : until;
			uint64_t ns = end > t->out_ts ?
				traced_known(&a->tr, UINT32_MAX, t->out_ts,
					     end, &hole) : 0;
			t->off_ns += ns;
			struct agg_task *p = (struct agg_task *)agg_proc_find(
				a, t->pid);
			if (p)
				p->off_ns += ns;
		}
	}
}

int agg_step(struct agg *a, uint64_t budget_ns)
{
	uint64_t deadline = agg_now_ns() + budget_ns;
	unsigned n = 0;
	int rc;

	while (a->slices_done < AGG_SLICES) {
		unsigned s = slice_order(a->slices_done);
		uint64_t lo, hi;

		slice_bounds(a, s, &lo, &hi);
		if (!a->stmt) {
			while (a->src < EV_KIND_COUNT && !(a->kinds >> a->src & 1))
				a->src++;
			if (a->src == EV_KIND_COUNT) {
				a->slice_done[s] = 1;
				a->slices_done++;
				a->src = 0;
				continue;
			}
			if ((rc = src_open(a, a->src, s)) < 0)
				return rc;
		}
		while ((rc = sqlite3_step(a->stmt)) == SQLITE_ROW) {
			a->events[a->src]++;
			switch (a->src) {
			case EV_SYSCALL: rc = fold_syscall(a, a->stmt); break;
			case EV_SWITCH: rc = fold_switch(a, a->stmt, s, lo); break;
			case EV_NET: rc = fold_net(a, a->stmt); break;
			default:
				a->tl_events[agg_bucket(a, (uint64_t)
					sqlite3_column_int64(a->stmt, 0))]++;
				rc = 0;
			}
			if (rc < 0) {
				snprintf(a->errmsg, sizeof(a->errmsg),
					 "out of memory");
				return rc;
			}
			if (++n % 256 == 0 && agg_now_ns() >= deadline)
				return 1;
		}
		if (rc != SQLITE_DONE)
			return fail(a, -EIO, ev_desc(a->src)->table);
		sqlite3_finalize(a->stmt);
		a->stmt = NULL;
		if (a->src == EV_SWITCH)
			switch_close(a, s);
		a->src++;
		if (agg_now_ns() >= deadline)
			return a->slices_done < AGG_SLICES;
	}
	return 0;
}

int agg_run(struct agg *a)
{
	int rc;

	while ((rc = agg_step(a, 1000000000ull)) > 0)
		;
	return rc;
}

const struct agg_task *agg_proc_find(const struct agg *a, uint32_t pid)
{
	long i = hmap_index(&a->map_proc, pid);
	return i >= 0 ? &a->procs[i] : NULL;
}

static int load_small(struct agg *a)
{
	sqlite3 *db = store_db(a->st);
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, "SELECT tid, pid FROM threads", -1, &s,
			       NULL) != SQLITE_OK)
		return fail(a, -EIO, "threads");
	while (sqlite3_step(s) == SQLITE_ROW)
		if (hmap_put(&a->map_tidpid, (uint64_t)sqlite3_column_int64(s, 0),
			     (uint32_t)sqlite3_column_int64(s, 1)) < 0) {
			sqlite3_finalize(s);
			return -ENOMEM;
		}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "SELECT ts, sum(count) FROM lost WHERE ts"
			       " BETWEEN ?1 AND ?2 GROUP BY ts", -1, &s,
			       NULL) != SQLITE_OK)
		return fail(a, -EIO, "lost");
	sqlite3_bind_int64(s, 1, (int64_t)(a->from - a->from % 1000000000ull));
	sqlite3_bind_int64(s, 2, (int64_t)a->to);
	while (sqlite3_step(s) == SQLITE_ROW) {
		uint64_t ts = (uint64_t)sqlite3_column_int64(s, 0);
		uint64_t n = (uint64_t)sqlite3_column_int64(s, 1);
		a->lost += n;
		a->tl_lost[agg_bucket(a, ts)] += n;
	}
	sqlite3_finalize(s);
	return 0;
}

struct agg *agg_new(struct store *st, uint64_t from, uint64_t to,
		    unsigned kinds, const char *const where[EV_KIND_COUNT],
		    char *err)
{
	struct agg *a = calloc(1, sizeof(*a));

	if (!a) {
		snprintf(err, 256, "out of memory");
		return NULL;
	}
	a->st = st;
	a->from = from;
	a->to = to < from ? from : to;
	a->kinds = kinds;
	for (int k = 0; k < EV_KIND_COUNT && where; k++)
		if (where[k] && !(a->where[k] = strdup(where[k]))) {
			agg_free(a);
			snprintf(err, 256, "out of memory");
			return NULL;
		}
	if (load_small(a) < 0) {
		snprintf(err, 256, "%s", a->errmsg[0] ? a->errmsg :
			 "out of memory");
		agg_free(a);
		return NULL;
	}
	int rc = traced_load(st, &a->tr);
	if (rc < 0) {
		snprintf(err, 256, "traced tasks: %s", rc == -ENOMEM ?
			 "out of memory" : rc == -EIO ?
			 sqlite3_errmsg(store_db(st)) : store_errmsg(st));
		agg_free(a);
		return NULL;
	}
	return a;
}

void agg_free(struct agg *a)
{
	if (!a)
		return;
	sqlite3_finalize(a->stmt);
	for (int k = 0; k < EV_KIND_COUNT; k++)
		free(a->where[k]);
	for (size_t i = 0; i < a->nfiles; i++)
		free(a->files[i].path);
	free(a->procs);
	free(a->threads);
	free(a->sys);
	free(a->errs);
	free(a->conns);
	free(a->files);
	hmap_free(&a->map_proc);
	hmap_free(&a->map_thread);
	hmap_free(&a->map_sys);
	hmap_free(&a->map_err);
	hmap_free(&a->map_conn);
	hmap_free(&a->map_file);
	hmap_free(&a->map_tidpid);
	traced_free(&a->tr);
	free(a);
}
