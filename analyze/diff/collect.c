/*
 * collect.c - one trace's figures for `kscope diff` (collect.h): one fold
 * of the whole window with the engine's accumulators, then the rows
 * keyed by name.
 */
#include "config.h"
#include "analyze/diff/collect.h"
#include "analyze/fold/conn.h"
#include "analyze/fold/errs.h"
#include "analyze/fold/files.h"
#include "analyze/fold/fold.h"
#include "analyze/fold/fold_sched.h"
#include "analyze/fold/runqlat.h"
#include "analyze/fold/sysc.h"
#include "analyze/names.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/timearg.h"
#include "analyze/traced.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const causes[FOLD_OFF_N] = {
	[FOLD_OFF_PREEMPTED] = "preempted", [FOLD_OFF_SLEEPING] = "sleeping",
	[FOLD_OFF_BLOCKED] = "blocked", [FOLD_OFF_OTHER] = "other",
};

struct coll {
	struct diff_side *s;
	struct store *st;
	struct names names;
	struct traced tr;
	struct fold_sysc sc;
	struct fold_errs er;
	struct fold_files fi;
	struct fold_sched fs;
	struct fold_runqlat rq;
	struct fold_conn cn;
	char *err;
};

/* ERR = "NAME: " and the message; returns RC. */
static int fail(struct coll *c, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct coll *c, int rc, const char *fmt, ...)
{
	int n = snprintf(c->err, DIFF_ERRLEN, "%s: ", c->s->name);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && n < DIFF_ERRLEN)
		vsnprintf(c->err + n, DIFF_ERRLEN - (size_t)n, fmt, ap);
	va_end(ap);
	return rc;
}

/* The row of KEY in T, made empty when new; NULL when out of memory. */
static struct diff_row *row_get(struct diff_tab *t, const char *key)
{
	uint32_t ix;

	if (report_str_intern(&t->keys, key, &ix) < 0)
		return NULL;
	if (ix == t->n) {
		if (report_grow(&t->v, &t->cap, t->n + 1, sizeof(*t->v)) < 0)
			return NULL;
		memset(&t->v[t->n++], 0, sizeof(*t->v));
	}
	return &t->v[ix];
}

const struct diff_row *diff_tab_find(const struct diff_tab *t,
				     const char *key)
{
	uint32_t ix;

	return report_str_find(&t->keys, key, &ix) ? &t->v[ix] : NULL;
}

static void acc_count(struct diff_acc *a, uint64_t n)
{
	a->n += (double)n;
	a->sum += (double)n;
	a->sumsq += (double)n;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Add the N samples V to row R's: their sum to v[2], the samples kept. */
static int samples_add(struct diff_row *r, const int64_t *v, size_t n)
{
	if (report_grow(&r->s, &r->caps, r->ns + n, sizeof(*r->s)) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		diff_acc_add(&r->v[2], (double)v[i]);
		r->s[r->ns++] = v[i];
	}
	return 0;
}

/* ---- the fold's accumulators ------------------------------------------ */

static int comm_each(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	(void)keep;
	return names_note_switches(&((struct coll *)arg)->names, b);
}

static int conn_batch(void *a, const struct store_batch *b,
		      const uint8_t *keep)
{
	return fold_conn_batch(a, b, keep);
}

static int conn_slice(void *a, uint64_t lo, uint64_t hi)
{
	(void)lo;
	(void)hi;
	return fold_conn_slice(a);
}

/* Each run and off-CPU period the scheduler machine closes, by the
 * command name of its thread's life. */
static int sched_iv(void *arg, const struct fold_iv *iv)
{
	struct coll *c = arg;
	const char *comm;
	struct diff_row *r;
	char key[96];

	if (iv->tid == 0 || iv->b <= iv->a ||
	    (iv->kind != FOLD_IV_RUN && iv->kind != FOLD_IV_OFF))
		return 0;
	if (!(comm = names_life_comm(&c->names, iv->life)))
		comm = "?";
	if (iv->kind == FOLD_IV_RUN) {
		r = row_get(&c->s->tab[DIFF_CPU], comm);
	} else {
		snprintf(key, sizeof(key), "%s %s", comm,
			 causes[iv->cls >= 0 && iv->cls < FOLD_OFF_N ?
				iv->cls : FOLD_OFF_OTHER]);
		r = row_get(&c->s->tab[DIFF_OFFCPU], key);
	}
	if (!r)
		return -ENOMEM;
	diff_acc_add(&r->v[0], (double)(iv->b - iv->a));
	return 0;
}

static int fold_all(struct coll *c)
{
	struct diff_side *s = c->s;
	char err[FOLD_ERRLEN];
	struct fold *d;
	int rc;

	if (!(d = fold_new(c->st, s->from, s->to, NULL, err)))
		return fail(c, -EIO, "%s", err);
	fold_sched_init(&c->fs, &c->tr, s->from, s->to, NULL, NULL);
	c->fs.names = &c->names;
	c->fs.iv = sched_iv;
	c->fs.iv_arg = c;
	fold_runqlat_init(&c->rq, &c->tr, &c->names, s->to);
	if (fold_add(d, EV_SYSCALL, FOLD_SYSC_FIELDS, fold_sysc_fn, NULL,
		     &c->sc) < 0 ||
	    fold_add(d, EV_SYSCALL, FOLD_ERRS_FIELDS, fold_errs_fn, NULL,
		     &c->er) < 0 ||
	    fold_add(d, EV_SYSCALL, FOLD_FILES_FIELDS, fold_files_fn, NULL,
		     &c->fi) < 0 ||
	    fold_add(d, EV_SWITCH, EVM(EVI_SWITCH_PREV_TID) |
		     EVM(EVI_SWITCH_NEXT_TID), comm_each, NULL, c) < 0 ||
	    fold_add(d, EV_SWITCH, FOLD_SCHED_FIELDS, fold_sched_batch,
		     fold_sched_slice, &c->fs) < 0 ||
	    fold_add(d, EV_WAKEUP, FOLD_RUNQLAT_WAKE_FIELDS, fold_runqlat_wake,
		     NULL, &c->rq) < 0 ||
	    fold_add(d, EV_SWITCH, FOLD_RUNQLAT_SWITCH_FIELDS,
		     fold_runqlat_switch, fold_runqlat_slice, &c->rq) < 0 ||
	    fold_add(d, EV_NET, FOLD_CONN_FIELDS, conn_batch, conn_slice,
		     &c->cn) < 0) {
		fold_free(d);
		return fail(c, -ENOMEM, "out of memory");
	}
	if ((rc = fold_run(d)) < 0)
		fail(c, rc, "%s", fold_errmsg(d));
	fold_free(d);
	return rc;
}

/* ---- rows by name -------------------------------------------------------- */

static int rows_syscalls(struct coll *c)
{
	for (size_t i = 0; i < c->sc.n; i++) {
		const struct fold_sysc_row *f = &c->sc.v[i];
		const char *name = store_syscall_name(c->st, f->nr);
		struct diff_row *r;
		char buf[32];

		if (!name) {
			snprintf(buf, sizeof(buf), "sys_%d", (int)f->nr);
			name = buf;
		}
		if (!(r = row_get(&c->s->tab[DIFF_SYSCALLS], name)) ||
		    samples_add(r, f->durs, f->ndurs) < 0)
			return -ENOMEM;
		acc_count(&r->v[0], f->calls);
		acc_count(&r->v[1], f->errors);
	}
	return 0;
}

static int rows_errors(struct coll *c)
{
	for (size_t i = 0; i < c->er.nk; i++) {
		const struct fold_errs_key *k = &c->er.k[i];
		const char *name = store_syscall_name(c->st, k->nr);
		char key[96], lab[32], note[512] = "";
		struct diff_row *r;
		size_t len = 0;

		snprintf(key, sizeof(key), "%s %s", name ? name : "?",
			 sqlfn_errno_label(k->ret, lab, sizeof(lab)));
		if (!(r = row_get(&c->s->tab[DIFF_ERRORS], key)))
			return -ENOMEM;
		acc_count(&r->v[0], k->count);
		for (int e = 0; e < FOLD_ERRS_EXAMPLES && k->ex[e] &&
		     len < sizeof(note); e++)
			len += (size_t)snprintf(note + len, sizeof(note) - len,
						"%s%s", e ? " " : "", k->ex[e]);
		if (note[0] && !r->note && !(r->note = strdup(note)))
			return -ENOMEM;
	}
	/* the failed opens by errno and path (those with a path) */
	for (size_t i = 0; i < c->fi.nfails; i++) {
		const struct fold_files_fail *f = &c->fi.fails[i];
		const char *path = c->fi.paths.s[f->path];
		char key[4200], lab[32];
		struct diff_row *r;

		if (!path[0])
			continue;
		snprintf(key, sizeof(key), "open %s %s",
			 sqlfn_errno_label(f->ret, lab, sizeof(lab)), path);
		if (!(r = row_get(&c->s->tab[DIFF_ERRORS], key)))
			return -ENOMEM;
		acc_count(&r->v[0], f->count);
	}
	return 0;
}

static int rows_runq(struct coll *c)
{
	struct diff_row *r = row_get(&c->s->tab[DIFF_RUNQ], "all");
	int64_t v;

	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < c->rq.nlat; i++) {
		v = c->rq.lat[i] > INT64_MAX ? INT64_MAX :
		    (int64_t)c->rq.lat[i];
		if (samples_add(r, &v, 1) < 0)
			return -ENOMEM;
	}
	acc_count(&r->v[0], r->ns);
	return 0;
}

static int rows_conns(struct coll *c)
{
	for (size_t i = 0; i < c->cn.n; i++) {
		const struct fold_conn_row *k = &c->cn.v[i];
		char ep[80], key[96];
		struct diff_row *r;

		if (k->listener)
			continue;
		if (k->role == FOLD_CONN_PASSIVE) {
			snprintf(key, sizeof(key), "in :%u", k->sport);
		} else {
			fold_conn_endpoint(ep, sizeof(ep),
					   fold_conn_str(&c->cn, k->daddr),
					   k->dport);
			snprintf(key, sizeof(key), "%s%s", k->role ==
				 FOLD_CONN_ACTIVE ? "out " : "", ep);
		}
		if (!(r = row_get(&c->s->tab[DIFF_CONNS], key)))
			return -ENOMEM;
		acc_count(&r->v[0], 1);
		acc_count(&r->v[1], (uint64_t)k->failed);
		diff_acc_add(&r->v[2], (double)k->sent + (double)k->recv);
	}
	return 0;
}

/* NOTE holds words "CODE=COUNT" (exit codes and how many processes
 * exited so): count one more CODE. */
static int note_code(char **note, const char *code)
{
	size_t n = strlen(code), len = 0;
	unsigned long k = 0;
	char buf[512] = "";
	const char *p = *note;

	while (p && *p) {
		const char *end = strchr(p, ' ');
		size_t w = end ? (size_t)(end - p) : strlen(p);

		if (w > n && !strncmp(p, code, n) && p[n] == '=')
			k = strtoul(p + n + 1, NULL, 10);
		else if (len + w + 1 < sizeof(buf))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"%.*s ", (int)w, p);
		p = end ? end + 1 : p + w;
	}
	snprintf(buf + len, sizeof(buf) - len, "%s=%lu", code, k + 1);
	free(*note);
	return (*note = strdup(buf)) ? 0 : -ENOMEM;
}

static int rows_procs(struct coll *c)
{
	sqlite3_stmt *q;
	int src, rc = 0;

	if (sqlite3_prepare_v2(store_db(c->st), "SELECT comm, exe, exit_code"
			       " FROM processes ORDER BY start_ts, pid", -1,
			       &q, NULL) != SQLITE_OK)
		return fail(c, -EIO, "processes: %s",
			    sqlite3_errmsg(store_db(c->st)));
	while (rc == 0 && (src = sqlite3_step(q)) == SQLITE_ROW) {
		const char *comm = (const char *)sqlite3_column_text(q, 0);
		const char *exe = (const char *)sqlite3_column_text(q, 1);
		char key[512], code[24] = "running";
		struct diff_row *r;

		snprintf(key, sizeof(key), "%s %s", comm ? comm : "?",
			 exe ? exe : "?");
		if (sqlite3_column_type(q, 2) != SQLITE_NULL)
			snprintf(code, sizeof(code), "%" PRId64,
				 (int64_t)sqlite3_column_int64(q, 2));
		if (!(r = row_get(&c->s->tab[DIFF_PROCS], key)) ||
		    note_code(&r->note, code) < 0) {
			rc = fail(c, -ENOMEM, "out of memory");
			break;
		}
		acc_count(&r->v[0], 1);
		acc_count(&r->v[1], strcmp(code, "0") && strcmp(code,
								"running"));
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = fail(c, -EIO, "processes: %s",
			  sqlite3_errmsg(store_db(c->st)));
	sqlite3_finalize(q);
	return rc;
}

int diff_collect(struct store *st, const char *name, struct diff_side *s,
		 char *err)
{
	struct coll c = { .s = s, .st = st, .err = err };
	int rc;

	memset(s, 0, sizeof(*s));
	s->name = name;
	if (timearg_span(st, &s->from, &s->to) < 0)
		s->from = s->to = 0;
	s->secs = s->to > s->from ? (double)(s->to - s->from) / 1e9 : 1e-9;
	fold_sysc_init(&c.sc, FOLD_SYSC_DURS);
	fold_errs_init(&c.er);
	fold_files_init(&c.fi, st);
	fold_conn_init(&c.cn);
	if ((rc = names_load(&c.names, st)) < 0 ||
	    (rc = traced_load(st, &c.tr)) < 0) {
		fail(&c, rc, "cannot read its tasks: %s", rc == -ENOMEM ?
		     "out of memory" : rc == -EIO ?
		     sqlite3_errmsg(store_db(st)) : store_errmsg(st));
		goto out;
	}
	if ((rc = fold_all(&c)) < 0)
		goto out;
	if ((rc = rows_syscalls(&c)) < 0 || (rc = rows_errors(&c)) < 0 ||
	    (rc = rows_runq(&c)) < 0 || (rc = rows_conns(&c)) < 0) {
		fail(&c, rc, "out of memory");
		goto out;
	}
	if ((rc = rows_procs(&c)) < 0)
		goto out;
	for (int t = 0; t < DIFF_NSECS; t++)
		for (size_t i = 0; i < s->tab[t].n; i++)
			report_sort(s->tab[t].v[i].s, s->tab[t].v[i].ns,
				    sizeof(int64_t), cmp_i64);
out:
	fold_sysc_free(&c.sc);
	fold_errs_free(&c.er);
	fold_files_free(&c.fi);
	fold_sched_free(&c.fs);
	fold_runqlat_free(&c.rq);
	fold_conn_free(&c.cn);
	traced_free(&c.tr);
	names_free(&c.names);
	return rc;
}

void diff_side_free(struct diff_side *s)
{
	for (int t = 0; t < DIFF_NSECS; t++) {
		for (size_t i = 0; i < s->tab[t].n; i++) {
			free(s->tab[t].v[i].s);
			free(s->tab[t].v[i].note);
		}
		free(s->tab[t].v);
		report_strtab_free(&s->tab[t].keys);
	}
	memset(s, 0, sizeof(*s));
}
