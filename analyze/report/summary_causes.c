/*
 * summary_causes.c - what the summary points at (see summary_int.h):
 *
 *   failed_before_exit  for each process that exited with a non-zero
 *                       code: its last failed calls before the exit
 *                       (fold/lastfail.h)
 *   killed              processes that died of a signal, and the OOM
 *                       killer's victims, with who killed them
 *                       (kills.h: `report procs`'s rule)
 *   unfinished          calls still running at the end, longest first
 *                       (fold/hangs.h)
 *   busy_polls          threads making FOLD_BUSYPOLL_MIN or more
 *                       zero-timeout polls in a second (fold/busypoll.h)
 *   runnable            time waiting for a CPU per thread, most first
 *                       (fold/runq.h: fold_sched's periods and the
 *                       wakeups, thread_state's rule)
 *   fd_exhaustion       EMFILE / ENFILE failures per process
 *                       (fold/errs.h)
 *
 * Text leaves out the empty tables; CSV and JSON always have them.  Each
 * cause found adds one note with the command to run next on this file.
 */
#include "config.h"
#include "analyze/report/summary_int.h"
#include "analyze/output/plural.h"
#include "analyze/report/kills.h"
#include "analyze/fold/fold.h"
#include "analyze/fold/runq.h"
#include "analyze/names.h"
#include "analyze/replay/evfmt_sys.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/traced.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define E_NFILE 23
#define E_MFILE 24

int summary_causes_init(struct report *r, struct sum_causes *c)
{
	sqlite3_stmt *s;
	int rc = 0, src;

	memset(c, 0, sizeof(*c));
	report_file_word(r, c->file, sizeof(c->file));
	if (fold_lastfail_init(&c->lf) < 0 ||
	    fold_hangs_init(&c->hg, r->top) < 0 ||
	    fold_busypoll_init(&c->bp, r->st, r->from) < 0)
		return report_fail(r, -ENOMEM, "out of memory");
	s = report_prepare(r, "SELECT pid, ts, exit_code FROM proc_events"
			   " WHERE ts BETWEEN ?1 AND ?2 AND kind = 'exit' AND"
			   " tid = pid AND exit_code != 0 AND exit_signal = 0"
			   " ORDER BY ts, pid");
	if (!s)
		return -EIO;
	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		struct sum_exit e = {
			(uint32_t)sqlite3_column_int64(s, 0),
			(int32_t)sqlite3_column_int64(s, 2),
			(uint64_t)sqlite3_column_int64(s, 1)
		};

		if (!report_pid_ok(r, e.pid))
			continue;
		if (report_grow(&c->exits, &c->capexits, c->nexits + 1,
				sizeof(*c->exits)) < 0 ||
		    fold_lastfail_exit(&c->lf, e.pid, e.ts) < 0)
			rc = report_fail(r, -ENOMEM, "out of memory");
		else
			c->exits[c->nexits++] = e;
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "proc_events");
	sqlite3_finalize(s);
	return rc;
}

int summary_causes_batch(struct sum_causes *c, const struct store_batch *b,
			 const uint8_t *keep)
{
	int rc;

	if ((rc = fold_lastfail_batch(&c->lf, b, keep)) < 0 ||
	    (rc = fold_hangs_batch(&c->hg, b, keep)) < 0)
		return rc;
	return fold_busypoll_batch(&c->bp, b, keep);
}

void summary_causes_free(struct sum_causes *c)
{
	fold_lastfail_free(&c->lf);
	fold_hangs_free(&c->hg);
	fold_busypoll_free(&c->bp);
	free(c->exits);
}

/* Begin a cause table: 1 when begun, 0 when text leaves it out (empty),
 * or a negative errno. */
static int cause_begin(struct report *r, int found, const char *key,
		       const char *title, int ncols, const char *const *cols)
{
	int rc;

	if (!found && r->o->fmt == OUTPUT_FORMAT_TABLE)
		return 0;
	rc = report_table_begin(r, key, title, ncols, cols);
	return rc < 0 ? rc : 1;
}

/* A syscall's name, "?" when unknown. */
static const char *sysname(struct report *r, int nr)
{
	const char *n = store_syscall_name(r->st, nr);

	return n ? n : "?";
}

/* ---- failed before exit ------------------------------------------------ */

static int exits_print(struct report *r, struct sum_causes *c)
{
	static const char *const cols[] = {
		"pid", "comm", "exit_code", "exit_ts", "ts", "tid", "syscall",
		"error", "target"
	};
	unsigned shown = 0;
	int found = 0, rc;

	for (size_t i = 0; i < c->lf.nx && !found; i++)
		found = c->lf.x[i].n > 0;
	if ((rc = cause_begin(r, found, "failed_before_exit", "Last failed "
			      "calls before a non-zero exit", 9, cols)) <= 0)
		return rc;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < c->nexits; i++) {
		const struct sum_exit *e = &c->exits[i];
		/* the exit's calls: exits were added in this order */
		const struct fold_lastfail_exit *x = &c->lf.x[i];
		char *comm;

		if (!x->n)
			continue;
		comm = report_proc_comm(r, e->pid);
		for (unsigned k = 0; rc == 0 && k < x->n; k++) {
			const struct fold_lastfail_call *f = &x->fail[k];

			rc = report_table_row(r, (struct output_cell[]){
				OUTPUT_INT(e->pid), report_text(comm),
				OUTPUT_INT(e->code),
				report_ts(r, (int64_t)e->ts),
				report_ts(r, (int64_t)f->ts),
				OUTPUT_INT(f->tid),
				report_sysname(r, f->nr),
				report_errno(r, f->ret),
				report_text_cut(r, f->what) });
		}
		if (rc == 0 && shown++ < r->top) {
			const struct fold_lastfail_call *f = &x->fail[0];
			char eb[32];
			const char *en = sqlfn_errno_label(f->ret, eb,
							   sizeof(eb));

			rc = report_note(r, "pid %u (%s) exited with %d; its "
					 "last failed call: %s%s%s = %s: "
					 "kscope replay %s 'pid = %u'", e->pid,
					 comm ? comm : "?", e->code,
					 sysname(r, f->nr), f->what ? " " : "",
					 f->what ? f->what : "", en, c->file,
					 e->pid);
		}
		free(comm);
	}
	return report_table_close(r, rc);
}

/* ---- killed ------------------------------------------------------------ */

/* The deaths by signal of the window: each process exit with a signal
 * (SQL_EXITS, with the start of that life), then the OOM kills whose
 * victim's exit is not in the window (SQL_OOM).  Who killed it is
 * report_kills_text's answer (kills.h, the one `report procs` gives). */
static const char sql_exits[] =
	"SELECT e.pid, e.comm, e.ts, e.exit_signal, (SELECT max(p.start_ts)"
	" FROM processes p WHERE p.pid = e.pid AND p.start_ts <= e.ts)"
	" FROM proc_events e WHERE e.ts BETWEEN ?1 AND ?2 AND"
	" e.kind = 'exit' AND e.tid = e.pid AND e.exit_signal != 0";
static const char sql_oom[] =
	"SELECT target_pid, target_comm, ts, sig, ts FROM signals o"
	" WHERE kind = 'oom_kill' AND ts BETWEEN ?1 AND ?2"
	" AND NOT EXISTS (SELECT 1 FROM proc_events x WHERE x.kind = 'exit'"
	" AND x.tid = x.pid AND x.pid = o.target_pid AND x.ts >= o.ts AND"
	" x.ts <= ?2 AND x.exit_signal != 0)";

struct kill_row {
	uint64_t ts;
	uint32_t pid;
	int32_t sig;
	char *comm, *by;	/* by: NULL when the trace does not say */
};

static void kill_rows_free(struct kill_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].comm);
		free(v[i].by);
	}
	free(v);
}

/* Append the rows of S (columns pid, comm, ts, signal, life's start) to
 * *V, each with who killed it from K. */
static int kills_read(struct report *r, sqlite3_stmt *s,
		      const struct report_kills *k, struct kill_row **v,
		      size_t *n, size_t *cap)
{
	int rc = 0, src;

	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		struct kill_row x = {
			.pid = (uint32_t)sqlite3_column_int64(s, 0),
			.ts = (uint64_t)sqlite3_column_int64(s, 2),
			.sig = (int32_t)sqlite3_column_int64(s, 3),
		};

		if (!report_pid_ok(r, x.pid))
			continue;
		x.comm = report_col_dup(s, 1);
		x.by = report_kills_text(k, x.pid,
					 (uint64_t)sqlite3_column_int64(s, 4),
					 x.ts, x.sig);
		if (report_grow(v, cap, *n + 1, sizeof(**v)) < 0) {
			free(x.comm);
			free(x.by);
			return report_fail(r, -ENOMEM, "out of memory");
		}
		(*v)[(*n)++] = x;
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = report_sql_fail(r, "signals");
	return rc;
}

static int kill_cmp(const void *a, const void *b)
{
	const struct kill_row *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int kills_load(struct report *r, struct kill_row **v, size_t *n)
{
	struct report_kills k = { 0 };
	sqlite3_stmt *e = NULL, *o = NULL;
	size_t cap = 0;
	int rc;

	if ((rc = report_kills_load(r, &k)) == 0) {
		rc = -EIO;
		if ((e = report_prepare(r, sql_exits)) &&
		    (o = report_prepare(r, sql_oom)) &&
		    (rc = kills_read(r, e, &k, v, n, &cap)) == 0)
			rc = kills_read(r, o, &k, v, n, &cap);
	}
	sqlite3_finalize(e);
	sqlite3_finalize(o);
	report_kills_free(&k);
	report_sort(*v, *n, sizeof(**v), kill_cmp);
	return rc;
}

static int kills_print(struct report *r, struct sum_causes *c)
{
	static const char *const cols[] = {
		"ts", "pid", "comm", "signal", "killed_by"
	};
	struct kill_row *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = kills_load(r, &v, &n)) < 0)
		goto out;
	if ((rc = cause_begin(r, n > 0, "killed", "Killed by a signal", 5,
			      cols)) <= 0)
		goto out;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct kill_row *k = &v[i];
		const char *sig = evfmt_sys_signal_name(k->sig);

		rc = report_table_row(r, (struct output_cell[]){
			report_ts(r, (int64_t)k->ts), OUTPUT_INT(k->pid),
			report_text(k->comm),
			sig ? OUTPUT_TEXT(sig) : OUTPUT_INT(k->sig),
			report_text(k->by) });
	}
	rc = report_table_close(r, rc);
	for (size_t i = 0; rc == 0 && i < n && i < r->top; i++) {
		const struct kill_row *k = &v[i];
		const char *sig = evfmt_sys_signal_name(k->sig);
		char sb[24];

		if (!sig) {
			snprintf(sb, sizeof(sb), "signal %d", k->sig);
			sig = sb;
		}
		rc = report_note(r, "pid %u (%s) was killed by %s%s: kscope "
				 "replay %s 'kind = signal and pid = %u'",
				 k->pid, k->comm ? k->comm : "?",
				 k->by ? k->by : sig, k->by ? "" :
				 " (the trace does not say by whom)", c->file,
				 k->pid);
	}
out:
	kill_rows_free(v, n);
	return rc;
}

/* ---- unfinished ---------------------------------------------------------- */

static int hangs_print(struct report *r, struct sum_causes *c)
{
	static const char *const cols[] = {
		"ts", "pid", "tid", "comm", "syscall", "running_ns", "target"
	};
	int rc = cause_begin(r, c->hg.n > 0, "unfinished", "Calls still "
			     "running at the end (longest first)", 7, cols);

	if (rc <= 0)
		return rc;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < c->hg.n; i++) {
		const struct fold_hang *h = &c->hg.v[i];
		char *comm = report_proc_comm(r, h->pid);

		rc = report_table_row(r, (struct output_cell[]){
			report_ts(r, (int64_t)h->ts), OUTPUT_INT(h->pid),
			OUTPUT_INT(h->tid), report_text(comm),
			report_sysname(r, h->nr),
			report_dur(r, (int64_t)(r->span_to > h->ts ?
						r->span_to - h->ts : 0)),
			report_text_cut(r, h->what) });
		free(comm);
	}
	rc = report_table_close(r, rc);
	if (rc == 0 && c->hg.n) {
		const struct fold_hang *h = &c->hg.v[0];
		char d[32];

		sqlfn_fmt_dur(d, sizeof(d), (int64_t)(r->span_to > h->ts ?
						      r->span_to - h->ts : 0));
		rc = report_note(r, "%" PRIu64 " %s still running at "
				 "the end; the longest, %s%s%s in tid %u (pid "
				 "%u), for %s: kscope replay %s 'tid = %u'",
				 c->hg.count, plural(c->hg.count, "call was",
						     "calls were"),
				 sysname(r, h->nr),
				 h->what ? " " : "", h->what ? h->what : "",
				 h->tid, h->pid, d, c->file, h->tid);
	}
	return rc;
}

/* ---- busy polls ---------------------------------------------------------- */

static int bp_cmp(const void *a, const void *b)
{
	const struct fold_busypoll_thread *x = a, *y = b;

	if (x->peak != y->peak)
		return x->peak < y->peak ? 1 : -1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

static int polls_print(struct report *r, struct sum_causes *c)
{
	static const char *const cols[] = {
		"tid", "pid", "comm", "syscall", "zero_timeout_polls",
		"busiest_second", "in_busiest_second"
	};
	size_t n = 0;
	int rc;

	fold_busypoll_done(&c->bp);
	report_sort(c->bp.th, c->bp.nth, sizeof(*c->bp.th), bp_cmp);
	while (n < c->bp.nth && c->bp.th[n].peak >= FOLD_BUSYPOLL_MIN)
		n++;
	if ((rc = cause_begin(r, n > 0, "busy_polls", "Busy polling (over "
			      "1000 zero-timeout polls in a second)", 7,
			      cols)) <= 0)
		return rc;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < n && i < r->top; i++) {
		const struct fold_busypoll_thread *t = &c->bp.th[i];
		char *comm = report_proc_comm(r, t->pid);

		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(t->tid), OUTPUT_INT(t->pid),
			report_text(comm), report_sysname(r, t->nr),
			OUTPUT_INT((int64_t)t->total),
			report_ts(r, (int64_t)(r->from + t->peak_sec *
						1000000000ull)),
			OUTPUT_INT((int64_t)t->peak) });
		free(comm);
	}
	rc = report_table_close(r, rc);
	if (rc == 0 && n) {
		const struct fold_busypoll_thread *t = &c->bp.th[0];
		const char *name = sysname(r, t->nr);

		rc = report_note(r, "tid %u (pid %u) polls without waiting: "
				 "%" PRIu64 " zero-timeout %s %s in one "
				 "second: kscope replay %s 'tid = %u and name "
				 "= %s'", t->tid, t->pid, t->peak, name,
				 plural(t->peak, "call", "calls"),
				 c->file, t->tid, name);
	}
	return rc;
}

/* ---- runnable ------------------------------------------------------------ */

static int runq_fold(struct report *r, struct names *nm, struct traced *tr,
		     struct fold_sched *fs, struct fold_runq *q)
{
	char err[FOLD_ERRLEN];
	struct fold *d;
	int rc;

	if ((rc = names_load(nm, r->st)) < 0)
		return rc == -EIO ? report_sql_fail(r, "threads") :
		       report_fail(r, rc, "out of memory");
	if ((rc = traced_load(r->st, tr)) < 0)
		return rc == -EIO ? report_sql_fail(r, "traced tasks") :
		       rc == -ENOMEM ? report_fail(r, rc, "out of memory") :
		       report_store_fail(r, rc);
	fold_sched_init(fs, tr, r->from, r->to, NULL, NULL);
	fs->names = nm;
	fs->no_cpu = 1;
	fold_runq_init(q, fs);
	if (!(d = fold_new(r->st, r->from, r->to, NULL, err)))
		return report_fail(r, -EIO, "%s", err);
	if (fold_add(d, EV_WAKEUP, FOLD_RUNQ_FIELDS, fold_runq_batch,
		     fold_runq_slice, q) < 0 ||
	    fold_add(d, EV_SWITCH, FOLD_SCHED_FIELDS, fold_sched_batch,
		     fold_sched_slice, fs) < 0)
		rc = report_fail(r, -ENOMEM, "out of memory");
	else if ((rc = fold_run(d)) < 0)
		rc = report_fail(r, rc, "%s", fold_errmsg(d));
	fold_free(d);
	if (rc == 0)
		fold_runq_finish(q);
	return rc;
}

static int runq_print(struct report *r, struct sum_causes *c,
		      uint64_t switches)
{
	static const char *const cols[] = {
		"tid", "pid", "comm", "runnable_ns", "preempted_ns",
		"after_wakeup_ns", "waits", "max_ns"
	};
	struct names nm = { 0 };
	struct traced tr = { 0 };
	struct fold_sched fs = { 0 };
	struct fold_runq q = { 0 };
	size_t shown = 0;

	int rc = 0;

	if (switches && (rc = runq_fold(r, &nm, &tr, &fs, &q)) < 0)
		goto out;
	for (size_t i = 0; i < q.nth; i++)
		shown += report_pid_ok(r, names_life_pid(&nm, q.th[i].life));
	if ((rc = cause_begin(r, shown > 0, "runnable", "Time waiting for a "
			      "CPU (runnable), by thread", 8, cols)) <= 0)
		goto out;
	rc = 0;
	shown = 0;
	for (size_t i = 0; rc == 0 && i < q.nth && shown < r->top; i++) {
		const struct fold_runq_thread *t = &q.th[i];
		int64_t pid = names_life_pid(&nm, t->life);

		if (!report_pid_ok(r, pid))
			continue;
		shown++;
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(t->tid),
			pid >= 0 ? OUTPUT_INT(pid) : OUTPUT_NULL,
			report_text(names_life_comm(&nm, t->life)),
			report_dur(r, (int64_t)t->runnable_ns),
			report_dur(r, (int64_t)t->preempted_ns),
			report_dur(r, (int64_t)t->woken_ns),
			OUTPUT_INT((int64_t)t->waits),
			report_dur(r, (int64_t)t->max_ns) });
	}
	rc = report_table_close(r, rc);
	for (size_t i = 0; rc == 0 && i < q.nth; i++) {
		const struct fold_runq_thread *t = &q.th[i];
		const char *comm = names_life_comm(&nm, t->life);
		int64_t pid = names_life_pid(&nm, t->life);
		char d[32], opt[32] = "";

		if (!report_pid_ok(r, pid))
			continue;
		if (pid >= 0)
			snprintf(opt, sizeof(opt), " --pid %" PRId64, pid);
		sqlfn_fmt_dur(d, sizeof(d), (int64_t)t->runnable_ns);
		rc = report_note(r, "tid %u (%s) waited longest for a CPU, "
				 "%s in %" PRIu64 " %s: kscope report %s "
				 "runqlat%s", t->tid, comm ? comm : "?", d,
				 t->waits, plural(t->waits, "wait", "waits"),
				 c->file, opt);
		break;
	}
out:
	fold_runq_free(&q);
	fold_sched_free(&fs);
	traced_free(&tr);
	names_free(&nm);
	return rc;
}

/* ---- fd exhaustion --------------------------------------------------- */

static int fds_print(struct report *r, struct sum_causes *c,
		     const struct fold_errs *er)
{
	static const char *const cols[] = {
		"pid", "comm", "syscall", "error", "count"
	};
	size_t n = 0, shown = 0;
	int rc;

	for (size_t i = 0; i < er->np; i++)
		n += er->p[i].ret == -E_MFILE || er->p[i].ret == -E_NFILE;
	if ((rc = cause_begin(r, n > 0, "fd_exhaustion", "Out of file "
			      "descriptors (EMFILE, ENFILE)", 5, cols)) <= 0)
		return rc;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < er->np; i++) {
		const struct fold_errs_proc *p = &er->p[i];

		if (p->ret != -E_MFILE && p->ret != -E_NFILE)
			continue;
		rc = report_table_row(r, (struct output_cell[]){
			OUTPUT_INT(p->pid), report_text(p->comm),
			report_sysname(r, p->nr), report_errno(r, p->ret),
			OUTPUT_INT((int64_t)p->count) });
		if (rc == 0 && shown++ < r->top)
			rc = report_note(r, "pid %u (%s) ran out of file "
					 "descriptors: %" PRIu64 " %s failed "
					 "with %s: kscope report %s files "
					 "--pid %u", p->pid,
					 p->comm ? p->comm : "?", p->count,
					 sysname(r, p->nr), p->ret == -E_MFILE ?
					 "EMFILE" : "ENFILE", c->file, p->pid);
	}
	return report_table_close(r, rc);
}

int summary_causes_print(struct report *r, struct sum_causes *c,
			 const struct fold_errs *er, uint64_t switches)
{
	int rc;

	if ((rc = exits_print(r, c)) < 0 || (rc = kills_print(r, c)) < 0 ||
	    (rc = hangs_print(r, c)) < 0 || (rc = polls_print(r, c)) < 0 ||
	    (rc = runq_print(r, c, 1)) < 0)
		return rc;
	return fds_print(r, c, er);
}
