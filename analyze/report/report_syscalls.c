/*
 * report_syscalls.c - `kscope report FILE syscalls [NAME...]` and
 * `kscope report FILE slow`.
 *
 *     kscope report t.kscope syscalls              per name: calls, errors,
 *                                                  total, p50/p90/p99/max
 *     kscope report t.kscope syscalls read fsync   and a log2 latency
 *                                                  histogram of each
 *     kscope report t.kscope slow --top 20         the 20 slowest calls
 *
 * syscalls: one store_scan folded by analyze/fold/sysc.h (the TUI's
 * Syscalls view folds with it too): per syscall number the counts and
 * every finished call's duration, from which the percentiles are taken
 * exactly (nearest rank, as the SQL percentile() function) by selection,
 * not sorting.  slow: one store_scan of pid, dur and ts (comm when --comm
 * is given; flags for the rows with dur 0).  Calls still in flight when the
 * recording stopped (flag EV_SYSCALL_UNFINISHED) have no duration or
 * result: they are counted apart and the slow report lists them in a table
 * of their own, longest first, with the time they had been running at the
 * end of the trace as a lower bound.  Calls whose thread exited inside
 * them (EV_SYSCALL_EXITED too: exit, exit_group, a fatal signal) never
 * return: they count as calls, with neither a duration nor "unfinished".
 *
 * The slowest calls are a min-heap of N entries filled during the scan;
 * their ts, thread, comm, fd, path, address and fd_name (what the fd
 * referred to) are read from the chunk only when a row enters the heap
 * (store_batch_*), which after the first chunks is rare.
 */
#include "config.h"
#include "analyze/report/report_int.h"
#include "analyze/output/plural.h"
#include "analyze/fold/sysc.h"
#include "analyze/sql/sqlfn.h"

#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- the N slowest -------------------------------------------------- */

static void call_free(struct report_top_call *c)
{
	free(c->comm);
	free(c->path);
	free(c->addr);
	free(c->fd_name);
	memset(c, 0, sizeof(*c));
}

static void heap_down(struct report_top_call *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && v[l].dur < v[m].dur)
			m = l;
		if (l + 1 < n && v[l + 1].dur < v[m].dur)
			m = l + 1;
		if (m == i)
			return;
		struct report_top_call t = v[i];
		v[i] = v[m];
		v[m] = t;
		i = m;
	}
}

static void heap_up(struct report_top_call *v, size_t i)
{
	while (i) {
		size_t p = (i - 1) / 2;
		if (v[p].dur <= v[i].dur)
			return;
		struct report_top_call t = v[i];
		v[i] = v[p];
		v[p] = t;
		i = p;
	}
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Fill C from row I of B; DUR is what ranks it. */
static int call_read(struct report *r, const struct store_batch *b,
		     uint32_t i, uint64_t dur, struct report_top_call *c)
{
	int64_t v[6];
	const char *comm, *path, *addr, *fdn;
	int rc;

	if ((rc = store_batch_int(b, EVI_SYSCALL_TS, i, &v[0])) < 0 ||
	    (rc = store_batch_int(b, EVI_SYSCALL_PID, i, &v[1])) < 0 ||
	    (rc = store_batch_int(b, EVI_SYSCALL_TID, i, &v[2])) < 0 ||
	    (rc = store_batch_int(b, EVI_SYSCALL_NR, i, &v[3])) < 0 ||
	    (rc = store_batch_int(b, EVI_SYSCALL_RET, i, &v[4])) < 0 ||
	    (rc = store_batch_int(b, EVI_SYSCALL_FD, i, &v[5])) < 0 ||
	    (rc = store_batch_str(b, EVI_SYSCALL_COMM, i, &comm)) < 0 ||
	    (rc = store_batch_str(b, EVI_SYSCALL_PATH, i, &path)) < 0 ||
	    (rc = store_batch_str(b, EVI_SYSCALL_ADDR, i, &addr)) < 0 ||
	    (rc = store_batch_str(b, EVI_SYSCALL_FD_NAME, i, &fdn)) < 0)
		return report_store_fail(r, rc);
	*c = (struct report_top_call){
		.ts = (uint64_t)v[0], .dur = dur, .pid = (uint32_t)v[1],
		.tid = (uint32_t)v[2], .nr = (int32_t)v[3], .ret = v[4],
		.fd = v[5], .chunk = b->chunk,
		.comm = dup_or_null(comm), .path = dup_or_null(path),
		.addr = dup_or_null(addr), .fd_name = dup_or_null(fdn),
	};
	if ((comm && !c->comm) || (path && !c->path) || (addr && !c->addr) ||
	    (fdn && !c->fd_name)) {
		call_free(c);
		return report_fail(r, -ENOMEM, "out of memory");
	}
	return 0;
}

/* Offer the call at row I of B, ranked by DUR, to the N slowest. */
static int slowest_offer_dur(struct report *r, struct report_slowest *s,
			     const struct store_batch *b, uint32_t i,
			     uint64_t dur)
{
	struct report_top_call c;
	int rc;

	if (s->n >= r->top && dur <= s->v[0].dur)
		return 0;
	if ((rc = call_read(r, b, i, dur, &c)) < 0)
		return rc;
	if (s->n < r->top) {
		if (report_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0) {
			call_free(&c);
			return report_fail(r, -ENOMEM, "out of memory");
		}
		s->v[s->n] = c;
		heap_up(s->v, s->n++);
		return 0;
	}
	call_free(&s->v[0]);
	s->v[0] = c;
	heap_down(s->v, s->n, 0);
	return 0;
}

int report_slowest_offer(struct report *r, struct report_slowest *s,
			 const struct store_batch *b, uint32_t i)
{
	return slowest_offer_dur(r, s, b, i,
				 (uint64_t)b->col[EVI_SYSCALL_DUR][i]);
}

static int call_cmp(const void *a, const void *b)
{
	const struct report_top_call *x = a, *y = b;

	if (x->dur != y->dur)
		return x->dur < y->dur ? 1 : -1;
	return x->ts < y->ts ? -1 : x->ts > y->ts;
}

void report_slowest_sort(struct report_slowest *s)
{
	if (s->n)
		report_sort(s->v, s->n, sizeof(*s->v), call_cmp);
}

void report_slowest_free(struct report_slowest *s)
{
	for (size_t i = 0; i < s->n; i++)
		call_free(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* What the call worked on: its path, address or fd. */
static struct output_cell call_target(struct report *r,
				      const struct report_top_call *c)
{
	if (c->path)
		return OUTPUT_TEXT(c->path);
	if (c->addr)
		return OUTPUT_TEXT(c->addr);
	if (c->fd >= 0)
		return report_textf(r, "fd %" PRId64, c->fd);
	return OUTPUT_NULL;
}

int report_slowest_print(struct report *r, struct report_slowest *s,
			 const char *key, const char *title)
{
	/* a merged report's rows lead with their host; their ts is on
	 * their own trace's clock */
	static const char *const cols[] = {
		"host", "rank", "ts", "dur_ns", "syscall", "ret", "error",
		"pid", "tid", "comm", "target", "fd_name"
	};
	int merged = r->hosts != NULL;
	int rc;

	report_slowest_sort(s);
	rc = report_table_begin(r, key, title, 11 + merged, cols + !merged);
	for (size_t i = 0; rc == 0 && i < s->n; i++) {
		const struct report_top_call *c = &s->v[i];

		if (merged)
			report_merge_use(r, c->trace);
		rc = report_table_row(r, (struct output_cell[]){
			merged ? report_text(r->hosts[c->trace]) : OUTPUT_NULL,
			OUTPUT_INT((int64_t)i + 1),
			report_ts(r, (int64_t)c->ts),
			report_dur(r, (int64_t)c->dur),
			report_sysname(r, c->nr),
			OUTPUT_INT(c->ret),
			report_failed(c->ret) ? report_errno(r, c->ret) :
			OUTPUT_NULL,
			OUTPUT_INT(c->pid), OUTPUT_INT(c->tid),
			report_text(c->comm), call_target(r, c),
			report_text(c->fd_name) } + !merged);
	}
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
}

/* ---- the slowest, finished and unfinished --------------------------- */

struct sc_scan {
	struct report *r;
	struct report_slowest slow, running;
};

static int sc_each(const struct store_batch *b, void *arg)
{
	struct sc_scan *s = arg;
	struct report *r = s->r;
	const int64_t *pid = b->col[EVI_SYSCALL_PID];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	const int64_t *ts = b->col[EVI_SYSCALL_TS];
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		if (!report_pid_ok(r, pid[i]) ||
		    !report_comm_ok(r, b, EVI_SYSCALL_COMM, i))
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					    dur[i])) < 0)
			return report_store_fail(r, rc);
		if (rc == REPORT_SC_EXITED)
			continue; /* never returns: no result, not running */
		if (rc) {
			if ((rc = slowest_offer_dur(r, &s->running, b, i,
				r->span_to > (uint64_t)ts[i] ?
				r->span_to - (uint64_t)ts[i] :
				0)) < 0)
				return rc;
			continue;
		}
		if (report_slowest_wants(&s->slow, r->top, (uint64_t)dur[i]) &&
		    (rc = report_slowest_offer(r, &s->slow, b, i)) < 0)
			return rc;
	}
	return 0;
}

static void sc_scan_free(struct sc_scan *s)
{
	report_slowest_free(&s->slow);
	report_slowest_free(&s->running);
}

static int sc_scan_run(struct report *r, struct sc_scan *s)
{
	s->r = r;
	return report_scan(r, EV_SYSCALL, EVM(EVI_SYSCALL_PID) |
			   EVM(EVI_SYSCALL_DUR) | EVM(EVI_SYSCALL_TS), sc_each,
			   s);
}

/* ---- per syscall ---------------------------------------------------- */

/* The K-th smallest (0-based) of V[0..N), V reordered (Wirth's
 * selection: Hoare partitions around V[K] until K is in place). */
static int64_t select_kth(int64_t *v, size_t n, size_t k)
{
	ptrdiff_t l = 0, m = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

	while (l < m) {
		int64_t x = v[kk];
		ptrdiff_t i = l, j = m;

		do {
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j) {
				int64_t t = v[i];
				v[i] = v[j];
				v[j] = t;
				i++;
				j--;
			}
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			m = j;
	}
	return v[k];
}

/* Nearest-rank P-th percentile of V (reordered). */
static int64_t percentile(int64_t *v, size_t n, double p)
{
	size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999999);

	if (!n)
		return 0;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return select_kth(v, n, rank - 1);
}

static int stat_cmp(const void *a, const void *b)
{
	const struct fold_sysc_row *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;	/* no a - b: overflows */
}

/* The tables, histograms and notes of the syscalls report over S (the
 * figures of one trace, or of several merged). */
static int sysc_print(struct report *r, struct fold_sysc *ss)
{
	static const char *const cols[] = {
		"syscall", "calls", "errors", "unfinished", "total_ns",
		"avg_ns", "p50_ns", "p90_ns", "p99_ns", "max_ns"
	};
	struct fold_sysc s = *ss;
	int rc;

	report_sort(s.v, s.n, sizeof(*s.v), stat_cmp);
	rc = report_table_begin(r, "by_syscall", "System calls by total time",
				10, cols);
	for (size_t i = 0; rc == 0 && i < s.n; i++) {
		struct fold_sysc_row *st = &s.v[i];
		size_t n = st->ndurs;

		if (r->o->top && i >= r->o->top)
			break;
		rc = report_table_row(r, (struct output_cell[]){
			report_sysname(r, st->nr), OUTPUT_INT((int64_t)st->calls),
			OUTPUT_INT((int64_t)st->errors),
			OUTPUT_INT((int64_t)st->unfinished),
			report_dur(r, (int64_t)st->total),
			n ? report_dur(r, (int64_t)(st->total / n)) : OUTPUT_NULL,
			n ? report_dur(r, percentile(st->durs, n, 50)) : OUTPUT_NULL,
			n ? report_dur(r, percentile(st->durs, n, 90)) : OUTPUT_NULL,
			n ? report_dur(r, percentile(st->durs, n, 99)) : OUTPUT_NULL,
			n ? report_dur(r, (int64_t)st->max) : OUTPUT_NULL });
	}
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	for (size_t k = 0; rc == 0 && k < r->o->nnames; k++) {
		uint64_t counts[64] = { 0 };
		char key[96], title[128];

		for (size_t i = 0; i < s.n; i++) {
			const char *n = report_sysname_str(r, s.v[i].nr);
			if (!n || strcmp(n, r->o->names[k]))
				continue;
			for (size_t j = 0; j < s.v[i].ndurs; j++)
				counts[sqlfn_log2_bucket(s.v[i].durs[j] /
							 1000)]++;
		}
		snprintf(key, sizeof(key), "histogram_%s", r->o->names[k]);
		snprintf(title, sizeof(title), "%s latency (log2 buckets, us)",
			 r->o->names[k]);
		rc = report_hist_print(r, key, title, "us", counts, 64);
	}
	if (rc == 0 && r->shed.sampled)
		rc = report_note(r, "partial: %" PRIu64 " fast successful %s "
				 "in this window %s sampled out by the "
				 "recording's budget and %s not counted above "
				 "(table shed has them per syscall and second)",
				 r->shed.sampled, plural(r->shed.sampled,
				 "call", "calls"), r->shed.sampled == 1 ?
				 "was" : "were", r->shed.sampled == 1 ? "is" :
				 "are");
	if (rc == 0 && s.n) {
		rc = report_note(r, "%" PRIu64 " %s, %" PRIu64 " failed; "
				 "'syscalls NAME' draws NAME's latency "
				 "histogram, 'slow' lists the slowest calls",
				 s.calls, plural(s.calls, "call", "calls"),
				 s.errors);
	}
	return rc;
}

int report_syscalls_run(struct report *r)
{
	struct fold_sysc s;
	int rc;

	/* names that are not syscalls of this trace are an error, not an
	 * empty histogram */
	if ((rc = report_opts_check(r->st, r->o, r->err, r->errlen)) < 0)
		return rc;
	fold_sysc_init(&s, FOLD_SYSC_DURS);
	rc = report_fold(r, EV_SYSCALL, FOLD_SYSC_FIELDS, fold_sysc_fn, &s);
	if (rc == 0)
		rc = sysc_print(r, &s);
	fold_sysc_free(&s);
	return rc;
}

/* Each trace folded as report_syscalls_run folds it, renumbered by name
 * and added up: the same figures as one trace holding every call. */
int report_syscalls_merge(struct report *r)
{
	struct fold_sysc all, one;
	int rc = 0;

	fold_sysc_init(&all, FOLD_SYSC_DURS);
	for (size_t t = 0; rc == 0 && t < r->ntraces; t++) {
		report_merge_use(r, t);
		if ((rc = report_opts_check(r->st, r->o, r->err,
					    r->errlen)) < 0)
			break;
		fold_sysc_init(&one, FOLD_SYSC_DURS);
		rc = report_fold(r, EV_SYSCALL, FOLD_SYSC_FIELDS, fold_sysc_fn,
				 &one);
		for (size_t i = 0; rc == 0 && i < one.n; i++)
			if ((one.v[i].nr = report_merge_sysnr(r, t,
							      one.v[i].nr)) < 0)
				rc = report_fail(r, -ENOMEM, "out of memory");
		if (rc == 0 && fold_sysc_merge(&all, &one) < 0)
			rc = report_fail(r, -ENOMEM, "out of memory");
		fold_sysc_free(&one);
	}
	if (rc == 0)
		rc = sysc_print(r, &all);
	fold_sysc_free(&all);
	return rc;
}

/* The tables and the note of the slow report over S. */
static int slow_print(struct report *r, struct sc_scan *s)
{
	char file[512];
	int rc;

	rc = report_slowest_print(r, &s->slow, "slowest",
				  "Slowest system calls (finished)");
	if (rc == 0)
		rc = report_slowest_print(r, &s->running, "unfinished",
					  "Still running when the recording "
					  "stopped (dur: at least)");
	if (rc == 0 && s->slow.n)
		rc = report_note(r, "what thread %u did around its slowest "
				 "call: kscope replay %s 'tid = %u'",
				 s->slow.v[0].tid, r->traces ?
				 report_path_word(r->traces[
					s->slow.v[0].trace].name, file,
					sizeof(file)) :
				 report_file_word(r, file, sizeof(file)),
				 s->slow.v[0].tid);
	return rc;
}

int report_slow_run(struct report *r)
{
	struct sc_scan s = { 0 };
	int rc;

	if ((rc = sc_scan_run(r, &s)) == 0)
		rc = slow_print(r, &s);
	sc_scan_free(&s);
	return rc;
}

/* Move the calls of FROM (trace T's) into TO, renumbered by name. */
static int slowest_move(struct report *r, size_t t, struct report_slowest *to,
			struct report_slowest *from)
{
	if (report_grow(&to->v, &to->cap, to->n + from->n, sizeof(*to->v)) < 0)
		return report_fail(r, -ENOMEM, "out of memory");
	for (size_t i = 0; i < from->n; i++) {
		struct report_top_call *c = &to->v[to->n++];

		*c = from->v[i];
		c->trace = (uint32_t)t;
		if ((c->nr = report_merge_sysnr(r, t, c->nr)) < 0)
			return report_fail(r, -ENOMEM, "out of memory");
	}
	from->n = 0;
	return 0;
}

/* The N slowest of every trace, then the N slowest of them all. */
int report_slow_merge(struct report *r)
{
	struct sc_scan all = { 0 }, one;
	int rc = 0;

	for (size_t t = 0; rc == 0 && t < r->ntraces; t++) {
		memset(&one, 0, sizeof(one));
		report_merge_use(r, t);
		if ((rc = sc_scan_run(r, &one)) == 0 &&
		    (rc = slowest_move(r, t, &all.slow, &one.slow)) == 0)
			rc = slowest_move(r, t, &all.running, &one.running);
		sc_scan_free(&one);
	}
	for (int k = 0; rc == 0 && k < 2; k++) {
		struct report_slowest *s = k ? &all.running : &all.slow;

		report_slowest_sort(s);
		while (s->n > r->top)
			call_free(&s->v[--s->n]);
	}
	if (rc == 0)
		rc = slow_print(r, &all);
	sc_scan_free(&all);
	return rc;
}
