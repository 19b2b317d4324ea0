/*
 * summary_causes.c - what the summary points at (see summary_int.h):
 *
 *   failed_before_exit  for each process that exited with a non-zero
 *                       code: its last failed calls before the exit
 *                       (fold/lastfail.h)
 *   killed              processes that died of a signal, with the sender
 *                       from the signals table (the latest generate of
 *                       that signal to that process), and the OOM
 *                       killer's victims with their memory cgroup
 *   unfinished          calls still running at the end, longest first
 *                       (fold/hangs.h)
 *   busy_polls          threads making FOLD_BUSYPOLL_MIN or more
 *                       zero-timeout polls in a second (fold/busypoll.h)
 *   runnable            time waiting for a CPU per thread, most first
 *                       (fold/runq.h over fold_sched's periods)
 *   fd_exhaustion       EMFILE / ENFILE failures per process
 *                       (fold/errs.h)
 *
 * Text leaves out the empty tables; CSV and JSON always have them.  Each
 * cause found adds one note with the command to run next on this file.
 */
#include "config.h"
#include "analyze/report/summary_int.h"
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

const char *summary_file_word(struct report *r, char *buf, size_t len)
{
	const char *p = store_path(r->st);
	size_t n = 0;

	p = p ? p : "FILE";
	if (!p[strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_./+-,:@%")] && *p) {
		snprintf(buf, len, "%s", p);
		return buf;
	}
	buf[n++] = '\'';
	for (; *p && n + 5 < len; p++) {
		if (*p == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *p;
		}
	}
	buf[n++] = '\'';
	buf[n] = 0;
	return buf;
}

int summary_causes_init(struct report *r, struct sum_causes *c)
{
	sqlite3_stmt *s;
	int rc = 0, src;

	memset(c, 0, sizeof(*c));
	summary_file_word(r, c->file, sizeof(c->file));
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
		const struct fold_lastfail_exit *x = NULL;
		char *comm;

		/* the exit's accumulator: exits were added in this order */
		x = &c->lf.x[i];
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

struct kill_row {
	uint32_t pid, sender_pid, sender_tid;
	int32_t sig;
	uint64_t ts;
	int oom;
	char *comm, *sender_comm, *cgroup;
};

static void kill_row_clear(struct kill_row *k)
{
	free(k->comm);
	free(k->sender_comm);
	free(k->cgroup);
}

static void kill_rows_free(struct kill_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kill_row_clear(&v[i]);
	free(v);
}

static char *col_dup(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);

	return t ? strdup(t) : NULL;
}

/* The deaths by signal of the window: each exit with a signal (SQL_EXITS)
 * with who sent it (SQL_SENDER: the OOM kill of the process, else the
 * latest generate of that signal to it, before the exit); then the OOM
 * kills whose victim's exit is not in the window (SQL_OOM).  The signals
 * table may be empty (class proc off, older traces): the senders are
 * then unknown. */
static const char sql_exits[] =
	"SELECT pid, comm, ts, exit_signal, 0, 0, 0, NULL, NULL"
	" FROM proc_events WHERE ts BETWEEN ?1 AND ?2 AND kind = 'exit' AND"
	" tid = pid AND exit_signal != 0 ORDER BY ts, pid";
static const char sql_sender[] =
	"SELECT kind = 'oom_kill', sender_pid, sender_tid, sender_comm, cgroup"
	" FROM signals WHERE kind IN ('generate', 'oom_kill') AND"
	" target_pid = ?3 AND sig = ?4 AND ts <= ?5"
	" ORDER BY kind = 'oom_kill' DESC, ts DESC LIMIT 1";
static const char sql_oom[] =
	"SELECT target_pid, target_comm, ts, sig, 1, 0, 0, NULL, cgroup"
	" FROM signals o WHERE kind = 'oom_kill' AND ts BETWEEN ?1 AND ?2"
	" AND NOT EXISTS (SELECT 1 FROM proc_events x WHERE x.kind = 'exit'"
	" AND x.tid = x.pid AND x.pid = o.target_pid AND x.ts >= o.ts AND"
	" x.ts <= ?2 AND x.exit_signal != 0) ORDER BY ts, target_pid";

/* Row of S into K: with MAIN, the victim (columns as in sql_exits) and
 * the sender from column 4, else the sender only, from column 0 (as in
 * sql_sender).  0 or -ENOMEM. */
static int kill_fill(sqlite3_stmt *s, int main, struct kill_row *k)
{
	int at = main ? 4 : 0;

	if (main) {
		k->pid = (uint32_t)sqlite3_column_int64(s, 0);
		k->ts = (uint64_t)sqlite3_column_int64(s, 2);
		k->sig = (int32_t)sqlite3_column_int64(s, 3);
		if (sqlite3_column_type(s, 1) != SQLITE_NULL &&
		    !(k->comm = col_dup(s, 1)))
			return -ENOMEM;
	}
	k->oom = sqlite3_column_int(s, at);
	k->sender_pid = (uint32_t)sqlite3_column_int64(s, at + 1);
	k->sender_tid = (uint32_t)sqlite3_column_int64(s, at + 2);
	free(k->sender_comm);
	free(k->cgroup);
	k->sender_comm = col_dup(s, at + 3);
	k->cgroup = col_dup(s, at + 4);
	if ((!k->sender_comm &&
	     sqlite3_column_type(s, at + 3) != SQLITE_NULL) ||
	    (!k->cgroup && sqlite3_column_type(s, at + 4) != SQLITE_NULL))
		return -ENOMEM;
	return 0;
}

/* Append the rows of S to *V; for each, the sender from SENDER (may be
 * NULL). */
static int kills_read(struct report *r, sqlite3_stmt *s, sqlite3_stmt *sender,
		      struct kill_row **v, size_t *n, size_t *cap)
{
	int rc = 0, src;

	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		struct kill_row k = { 0 };

		if (!report_pid_ok(r, sqlite3_column_int64(s, 0)))
			continue;
		rc = kill_fill(s, 1, &k);
		if (rc == 0 && sender) {
			sqlite3_reset(sender);
			sqlite3_bind_int64(sender, 3, k.pid);
			sqlite3_bind_int64(sender, 4, k.sig);
			sqlite3_bind_int64(sender, 5, (int64_t)k.ts);
			src = sqlite3_step(sender);
			if (src == SQLITE_ROW)
				rc = kill_fill(sender, 0, &k);
		}
		if (rc == 0 && report_grow(v, cap, *n + 1, sizeof(**v)) < 0)
			rc = -ENOMEM;
		if (rc < 0) {
			kill_row_clear(&k);
			return report_fail(r, rc, "out of memory");
		}
		(*v)[(*n)++] = k;
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
	sqlite3_stmt *e = report_prepare(r, sql_exits);
	sqlite3_stmt *s = e ? report_prepare(r, sql_sender) : NULL;
	sqlite3_stmt *o = s ? report_prepare(r, sql_oom) : NULL;
	size_t cap = 0;
	int rc = -EIO;

	if (o && (rc = kills_read(r, e, s, v, n, &cap)) == 0)
		rc = kills_read(r, o, NULL, v, n, &cap);
	sqlite3_finalize(e);
	sqlite3_finalize(s);
	sqlite3_finalize(o);
	report_sort(*v, *n, sizeof(**v), kill_cmp);
	return rc;
}

/* "SIGKILL", or "signal 42". */
static const char *sig_label(int sig, char *buf, size_t len)
{
	const char *n = evfmt_sys_signal_name(sig);

	if (n)
		return n;
	snprintf(buf, len, "signal %d", sig);
	return buf;
}

/* Who killed K, as the note and the table say it, into BUF. */
static const char *kill_by(const struct kill_row *k, char *buf, size_t len)
{
	char sb[24];
	const char *sig = sig_label(k->sig, sb, sizeof(sb));

	if (k->oom)
		snprintf(buf, len, "the OOM killer (cgroup %s)",
			 k->cgroup ? k->cgroup : "?");
	else if (k->sender_pid)
		snprintf(buf, len, "%s from %s/%u (pid %u)", sig,
			 k->sender_comm ? k->sender_comm : "?", k->sender_tid,
			 k->sender_pid);
	else
		snprintf(buf, len, "%s", sig);
	return buf;
}

static int kills_print(struct report *r, struct sum_causes *c)
{
	static const char *const cols[] = {
		"ts", "pid", "comm", "signal", "sender_pid", "sender_tid",
		"sender_comm", "oom", "cgroup", "killed_by"
	};
	struct kill_row *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = kills_load(r, &v, &n)) < 0)
		goto out;
	if ((rc = cause_begin(r, n > 0, "killed", "Killed by a signal", 10,
			      cols)) <= 0)
		goto out;
	rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct kill_row *k = &v[i];
		char by[160], sb[24];

		kill_by(k, by, sizeof(by));
		rc = report_table_row(r, (struct output_cell[]){
			report_ts(r, (int64_t)k->ts), OUTPUT_INT(k->pid),
			report_text(k->comm),
			OUTPUT_TEXT(sig_label(k->sig, sb, sizeof(sb))),
			k->sender_pid ? OUTPUT_INT(k->sender_pid) :
					OUTPUT_NULL,
			k->sender_tid ? OUTPUT_INT(k->sender_tid) :
					OUTPUT_NULL,
			report_text(k->sender_comm), OUTPUT_INT(k->oom),
			report_text(k->cgroup), OUTPUT_TEXT(by) });
	}
	rc = report_table_close(r, rc);
	for (size_t i = 0; rc == 0 && i < n && i < r->top; i++) {
		const struct kill_row *k = &v[i];
		char by[160];

		kill_by(k, by, sizeof(by));
		if (k->sender_pid && k->sender_pid != k->pid)
			rc = report_note(r, "pid %u (%s) was killed by %s: "
					 "kscope replay %s 'pid = %u or pid "
					 "= %u'", k->pid,
					 k->comm ? k->comm : "?", by, c->file,
					 k->sender_pid, k->pid);
		else
			rc = report_note(r, "pid %u (%s) was killed by %s: "
					 "kscope replay %s 'pid = %u'", k->pid,
					 k->comm ? k->comm : "?", by, c->file,
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
		rc = report_note(r, "%" PRIu64 " calls were still running at "
				 "the end; the longest, %s%s%s in tid %u (pid "
				 "%u), for %s: kscope replay %s 'tid = %u'",
				 c->hg.count, sysname(r, h->nr),
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
				 "%" PRIu64 " zero-timeout %s calls in one "
				 "second: kscope replay %s 'tid = %u and name "
				 "= %s'", t->tid, t->pid, t->peak, name,
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
				 "%s in %" PRIu64 " waits: kscope report %s "
				 "runqlat%s", t->tid, comm ? comm : "?", d,
				 t->waits, c->file, opt);
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
