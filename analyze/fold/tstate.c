/*
 * tstate.c - the thread-state engine (see tstate.h for the method).
 *
 * tstate_step goes through phases: it folds the window (sched_switch
 * through fold_sched with its interval hook, sched_wakeup into an array)
 * a budget at a time; then at once cuts the off-CPU periods at their
 * wakeups and sorts the intervals by (tid, ts); then reads the syscalls
 * that cover them, a piece of time per store_scan, and at last the stacks
 * they name.  tstate_run is the steps without a budget.
 */
#include "config.h"
#include "analyze/fold/tstate.h"
#include "analyze/fold/fold.h"
#include "analyze/fold/fold_sched.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const tstate_names[TSTATE_NSTATES] = {
	"running", "runnable", "sleeping", "blocked", "dead"
};

struct tstate_wake {
	uint64_t ts;
	uint32_t tid, waker_tid, irq, seq, cpu;
	uint8_t ctx;
};

enum { PH_NEW, PH_FOLD, PH_JOIN, PH_SYS, PH_STACKS, PH_DONE };

/* The syscalls scan's pieces: the time before the window is one, the
 * window is cut into this many. */
#define SYS_PIECES 256

/*
 * Scheduler and wait plumbing: the frames between where a thread decided
 * to wait and the switch itself.  A trailing '*' matches any rest.
 */
static const char *const plumbing[] = {
	"schedule", "__schedule", "schedule_idle", "schedule_preempt_disabled",
	"preempt_schedule*", "io_schedule*", "schedule_timeout*",
	"schedule_hrtimeout*", "do_nanosleep", "__wait_for_common",
	"wait_for_common*", "do_wait_for_common", "wait_for_completion*",
	"bit_wait*", "__wait_on_bit*", "out_of_line_wait_on_bit*",
	"folio_wait_bit*", "wait_on_page_bit*", "__folio_lock*",
	"__lock_page*", "rwsem_down_*", "__mutex_lock*", "mutex_lock*",
	"__down*", "__rt_mutex_slowlock*", "rt_mutex_slowlock*",
	"percpu_rwsem_wait", "__percpu_down_read*", "__cond_resched",
	"freezable_schedule*", "__refrigerator", "do_sched_yield",
};

int tstate_frame_plumbing(const char *name, size_t len)
{
	size_t dot;

	/* "fn.constprop.0", "fn.isra.0", "fn.part.0": the function fn */
	for (dot = 0; dot < len && name[dot] != '.'; dot++)
		;
	for (size_t i = 0; i < sizeof(plumbing) / sizeof(plumbing[0]); i++) {
		const char *p = plumbing[i];
		size_t pl = strlen(p);

		if (p[pl - 1] == '*' ? dot >= pl - 1 && !memcmp(name, p,
								pl - 1) :
		    dot == pl && !memcmp(name, p, pl))
			return 1;
	}
	return 0;
}

int tstate_blocked_in(const char *frames, const char **at, size_t *len)
{
	const char *end = frames + strlen(frames);

	while (end > frames) {
		const char *b = end;

		while (b > frames && b[-1] != ';')
			b--;
		if (end > b && strncmp(b, "0x", 2) &&
		    !tstate_frame_plumbing(b, (size_t)(end - b))) {
			*at = b;
			*len = (size_t)(end - b);
			return 1;
		}
		end = b > frames ? b - 1 : frames;
	}
	return 0;
}

static int fail(struct tstate *t, int rc, const char *what)
{
	snprintf(t->errmsg, sizeof(t->errmsg), "%s: %s", what,
		 rc == -ENOMEM ? "out of memory" :
		 rc == -EIO ? sqlite3_errmsg(store_db(t->st)) :
		 store_errmsg(t->st));
	return rc;
}

struct tstate *tstate_new(struct store *st, uint64_t from, uint64_t to,
			  char *err)
{
	struct tstate *t = calloc(1, sizeof(*t));
	int rc;

	if (!t) {
		snprintf(err, TSTATE_ERRLEN, "out of memory");
		return NULL;
	}
	t->st = st;
	t->until = UINT64_MAX;
	t->from = from;
	t->to = to < from ? from : to;
	if ((rc = names_load(&t->names, st)) < 0 ||
	    (rc = traced_load(st, &t->tr)) < 0) {
		fail(t, rc, "threads");
		snprintf(err, TSTATE_ERRLEN, "%s", t->errmsg);
		tstate_free(t);
		return NULL;
	}
	return t;
}

void tstate_free(struct tstate *t)
{
	if (!t)
		return;
	fold_free(t->fold);
	if (t->phase == PH_FOLD)
		fold_sched_free(&t->fs);
	free(t->raw);
	free(t->iv);
	free(t->wk);
	free(t->runs);
	hmap_free(&t->tidix);
	hmap_free(&t->seen);
	report_strtab_free(&t->strs);
	names_free(&t->names);
	traced_free(&t->tr);
	free(t);
}

const char *tstate_errmsg(const struct tstate *t)
{
	return t->errmsg;
}

const char *tstate_str(const struct tstate *t, uint32_t id)
{
	return id && id <= t->strs.n ? t->strs.s[id - 1] : NULL;
}

/* The string id of S (NULL: 0).  0 or -ENOMEM. */
static int str_id(struct tstate *t, const char *s, uint32_t *id)
{
	uint32_t ix;

	*id = 0;
	if (!s)
		return 0;
	if (report_str_intern(&t->strs, s, &ix) < 0)
		return -ENOMEM;
	*id = ix + 1;
	return 0;
}

const char *tstate_ctx_name(unsigned ctx)
{
	const struct ev_field *f =
		&ev_desc(EV_WAKEUP)->fields[EVI_WAKEUP_WAKER_CTX];

	return ctx < f->nnames ? f->names[ctx] : NULL;
}

int64_t tstate_pid(const struct tstate *t, const struct tstate_iv *v)
{
	return names_life_pid(&t->names, v->life);
}

const char *tstate_comm(const struct tstate *t, const struct tstate_iv *v)
{
	return names_life_comm(&t->names, v->life);
}

const char *tstate_tid_comm(const struct tstate *t, uint32_t tid,
			    uint64_t ts)
{
	return tid ? names_life_comm(&t->names,
				     names_life(&t->names, tid, ts)) : NULL;
}

/* ---- the fold ------------------------------------------------------- */

static int raw_put(void *arg, const struct fold_iv *iv)
{
	struct tstate *t = arg;
	uint32_t v;

	if (t->until != UINT64_MAX) {	/* seen */
		if (hmap_get(&t->seen, iv->tid, &v) && !v)
			t->nunseen--;
		if (hmap_put(&t->seen, iv->tid, 1) < 0)
			return -ENOMEM;
	}
	if (report_grow(&t->raw, &t->capraw, t->nraw + 1, sizeof(*t->raw)) < 0)
		return -ENOMEM;
	t->raw[t->nraw++] = *iv;
	return 0;
}

static int wake_each(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	struct tstate *t = arg;
	const int64_t *ts = b->col[0], *tid = b->col[EVI_WAKEUP_TID];
	const int64_t *waker = b->col[EVI_WAKEUP_WAKER_TID];
	const int64_t *ctx = b->col[EVI_WAKEUP_WAKER_CTX];
	const int64_t *cpu = b->col[EVI_WAKEUP_TARGET_CPU];
	uint32_t seen;
	int rc;

	(void)keep;
	if (report_grow(&t->wk, &t->capwk, t->nwk + b->n, sizeof(*t->wk)) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->n; i++) {
		struct tstate_wake *w = &t->wk[t->nwk];
		const char *irq = NULL;

		*w = (struct tstate_wake){ .ts = (uint64_t)ts[i],
			.tid = (uint32_t)tid[i],
			.waker_tid = (uint32_t)waker[i],
			.ctx = (uint8_t)ctx[i], .seq = (uint32_t)t->nwk,
			.cpu = (uint32_t)cpu[i] };
		if (w->ctx > EV_WAKER_TASK &&
		    ((rc = store_batch_str(b, EVI_WAKEUP_WAKER_IRQ, i,
					   &irq)) < 0 ||
		     (rc = str_id(t, irq, &w->irq)) < 0))
			return rc;
		/* woken by until, not seen yet: its runnable interval may
		 * begin by then */
		if (w->ts <= t->until && !hmap_get(&t->seen, w->tid, &seen)) {
			if (hmap_put(&t->seen, w->tid, 0) < 0)
				return -ENOMEM;
			t->nunseen++;
		}
		t->nwk++;
	}
	return 0;
}

/* The comms the switches carry, for tasks the tables lack. */
static int comm_each(void *arg, const struct store_batch *b,
		     const uint8_t *keep)
{
	struct tstate *t = arg;

	(void)keep;
	return names_note_switches(&t->names, b);
}

static int wake_cmp(const void *a, const void *b)
{
	const struct tstate_wake *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The first wakeup of TID with A <= ts <= B, or NULL. */
static const struct tstate_wake *wake_first(const struct tstate *t,
					    uint32_t tid, uint64_t a,
					    uint64_t b)
{
	size_t lo = 0, hi = t->nwk;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (t->wk[m].tid < tid || (t->wk[m].tid == tid &&
					   t->wk[m].ts < a))
			lo = m + 1;
		else
			hi = m;
	}
	if (lo < t->nwk && t->wk[lo].tid == tid && t->wk[lo].ts <= b)
		return &t->wk[lo];
	return NULL;
}

static int iv_add(struct tstate *t, const struct tstate_iv *v)
{
	if (report_grow(&t->iv, &t->cap, t->n + 1, sizeof(*t->iv)) < 0)
		return -ENOMEM;
	t->iv[t->n++] = *v;
	return 0;
}

static int raw_cmp(const void *a, const void *b)
{
	const struct fold_iv *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	/* a switch-in before the run it begins */
	if ((x->kind == FOLD_IV_IN) != (y->kind == FOLD_IV_IN))
		return x->kind == FOLD_IV_IN ? -1 : 1;
	return x->kind < y->kind ? -1 : x->kind > y->kind;
}

/* Raw interval R (the previous one of its thread: PREV, or NULL) as
 * thread states. */
static int iv_join(struct tstate *t, const struct fold_iv *r,
		   const struct fold_iv *prev)
{
	struct tstate_iv v = { .ts = r->a, .dur = r->b - r->a,
			       .life = r->life, .tid = r->tid, .cpu = r->cpu,
			       .nr = -1 };
	const struct tstate_wake *w;

	v.partial = (r->edges & FOLD_IV_START ? TSTATE_START : 0) |
		    (r->edges & FOLD_IV_END ? TSTATE_END : 0);
	switch (r->kind) {
	case FOLD_IV_RUN:
		v.state = TSTATE_RUNNING;
		return iv_add(t, &v);
	case FOLD_IV_DEAD:
		v.state = TSTATE_DEAD;
		return iv_add(t, &v);
	case FOLD_IV_IN:
		/* off since before the window: runnable from a wakeup seen
		 * after the thread's last known interval */
		w = wake_first(t, r->tid, prev ? prev->b : t->from, r->a);
		if (!w || w->ts >= r->a)
			return 0;
		v.ts = w->ts;
		v.dur = r->a - w->ts;
		v.cpu = w->cpu;
		v.state = TSTATE_RUNNABLE;
		v.partial = 0;
		return iv_add(t, &v);
	}
	if (r->cls == FOLD_OFF_PREEMPTED) {
		v.state = TSTATE_RUNNABLE;
		return iv_add(t, &v);
	}
	v.state = r->cls == FOLD_OFF_BLOCKED ? TSTATE_BLOCKED :
		  TSTATE_SLEEPING;
	v.stack_id = r->stack_id;
	if (!(w = wake_first(t, r->tid, r->a, r->b)) || r->b == r->a)
		return iv_add(t, &v);
	v.dur = w->ts - r->a;
	v.partial &= ~TSTATE_END;
	v.wake_ts = w->ts;
	v.waker_tid = w->waker_tid;
	v.waker_ctx = w->ctx;
	v.waker_irq = w->irq;
	if (v.dur && iv_add(t, &v) < 0)
		return -ENOMEM;
	if (w->ts == r->b)
		return 0;
	/* woken: waiting for a CPU until the switch-in */
	v = (struct tstate_iv){ .ts = w->ts, .dur = r->b - w->ts,
				.life = r->life, .tid = r->tid,
				.cpu = w->cpu,
				.nr = -1, .state = TSTATE_RUNNABLE,
				.partial = r->edges & FOLD_IV_END ?
					   TSTATE_END : 0 };
	return iv_add(t, &v);
}

static int iv_cmp(const void *a, const void *b)
{
	const struct tstate_iv *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->state < y->state ? -1 : x->state > y->state;
}

/* ---- syscalls and stacks -------------------------------------------- */

/* The intervals of TID, to annotate (tstate_thread's). */
static struct tstate_iv *thread_ivs(struct tstate *t, uint32_t tid,
				    size_t *n)
{
	uint32_t ix;

	*n = 0;
	if (!hmap_get(&t->tidix, tid, &ix))
		return NULL;
	*n = t->runs[ix].end - t->runs[ix].first;
	return &t->iv[t->runs[ix].first];
}

static int sys_each(const struct store_batch *b, void *arg)
{
	struct tstate *t = arg;
	const int64_t *ts = b->col[EVI_SYSCALL_TS];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	const int64_t *tid = b->col[EVI_SYSCALL_TID];
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		uint64_t a = (uint64_t)ts[i], z;
		struct tstate_iv *v;
		size_t n, lo, hi;

		if (!(v = thread_ivs(t, (uint32_t)tid[i], &n)))
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					      dur[i])) < 0)
			return rc;
		if (rc || __builtin_add_overflow(a, (uint64_t)dur[i], &z))
			z = UINT64_MAX;
		if (z < t->from)
			continue;
		/* the thread's first interval with ts >= a */
		for (lo = 0, hi = n; lo < hi;) {
			size_t m = lo + (hi - lo) / 2;

			if (v[m].ts < a)
				lo = m + 1;
			else
				hi = m;
		}
		for (size_t k = lo; k < n && v[k].ts + v[k].dur <= z; k++) {
			struct tstate_iv *u = &v[k];
			const char *fdn;
			int64_t nr;

			if ((rc = store_batch_int(b, EVI_SYSCALL_NR, i,
						  &nr)) < 0 ||
			    (rc = store_batch_str(b, EVI_SYSCALL_FD_NAME, i,
						  &fdn)) < 0 ||
			    (rc = str_id(t, fdn, &u->fd_name)) < 0)
				return rc;
			u->nr = (int32_t)nr;
		}
	}
	return 0;
}

struct stack_scan {
	struct tstate *t;
	struct hmap want;	/* stack_id -> blocked_in string id */
};

static int stack_each(const struct store_batch *b, void *arg)
{
	struct stack_scan *k = arg;
	const int64_t *id = b->col[EVI_STACK_STACK_ID];
	int rc;

	for (uint32_t i = 0; i < b->n; i++) {
		const char *frames, *at;
		char buf[256];
		uint32_t sid = 0, have;
		size_t len;

		if (!hmap_get(&k->want, (uint64_t)id[i], &have) || have)
			continue;
		if ((rc = store_batch_str(b, EVI_STACK_FRAMES, i,
					  &frames)) < 0)
			return rc;
		if (!frames || !tstate_blocked_in(frames, &at, &len))
			continue;
		snprintf(buf, sizeof(buf), "%.*s", (int)len, at);
		if (str_id(k->t, buf, &sid) < 0 ||
		    hmap_put(&k->want, (uint64_t)id[i], sid) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int stacks_join(struct tstate *t)
{
	struct stack_scan k = { .t = t };
	uint32_t sid;
	int rc = 0;

	for (size_t i = 0; i < t->n; i++)
		if (t->iv[i].stack_id &&
		    !hmap_get(&k.want, t->iv[i].stack_id, &sid) &&
		    hmap_put(&k.want, t->iv[i].stack_id, 0) < 0) {
			rc = -ENOMEM;
			goto out;
		}
	if (k.want.n && (rc = store_scan(t->st, EV_STACK,
					 EVM(EVI_STACK_STACK_ID), 0,
					 UINT64_MAX - 1, stack_each, &k)) < 0)
		goto out;
	for (size_t i = 0; i < t->n; i++)
		if (t->iv[i].stack_id &&
		    hmap_get(&k.want, t->iv[i].stack_id, &sid))
			t->iv[i].blocked_in = sid;
out:
	hmap_free(&k.want);
	return rc;
}

int tstate_start(struct tstate *t)
{
	char err[FOLD_ERRLEN];

	fold_sched_init(&t->fs, &t->tr, t->from, t->to, NULL, NULL);
	t->phase = PH_FOLD;
	t->fs.names = &t->names;
	t->fs.iv = raw_put;
	t->fs.iv_arg = t;
	if (!(t->fold = fold_new(t->st, t->from, t->to, NULL, err))) {
		snprintf(t->errmsg, sizeof(t->errmsg), "%s", err);
		return -EIO;
	}
	if (fold_add(t->fold, EV_SWITCH, FOLD_SCHED_FIELDS |
		     EVM(EVI_SWITCH_STACK_ID), fold_sched_batch,
		     fold_sched_slice, &t->fs) < 0 ||
	    fold_add(t->fold, EV_SWITCH, EVM(EVI_SWITCH_PREV_TID) |
		     EVM(EVI_SWITCH_NEXT_TID), comm_each, NULL, t) < 0 ||
	    fold_add(t->fold, EV_WAKEUP, EVM(EVI_WAKEUP_TID) |
		     EVM(EVI_WAKEUP_WAKER_TID) | EVM(EVI_WAKEUP_WAKER_CTX) |
		     EVM(EVI_WAKEUP_TARGET_CPU),
		     wake_each, NULL, t) < 0)
		return fail(t, -ENOMEM, "thread states");
	return 0;
}

/* Fold for about BUDGET: 1 more, 0 folded (or all that was asked). */
static int fold_more(struct tstate *t, uint64_t budget)
{
	uint64_t t0 = fold_now_ns();
	int rc;

	do {
		rc = fold_step(t->fold, 1000000);
		if (rc > 0 && t->until != UINT64_MAX &&
		    fold_read_to(t->fold) > t->until && !t->nunseen &&
		    fold_sched_settled(&t->fs, t->until))
			rc = 0;	/* stopped early: all that was asked is there */
	} while (rc > 0 && fold_now_ns() - t0 < budget);
	if (rc < 0)
		snprintf(t->errmsg, sizeof(t->errmsg), "%s",
			 fold_errmsg(t->fold));
	return rc;
}

/* Cut the folded intervals at their wakeups, sort them by thread. */
static int join(struct tstate *t)
{
	report_sort(t->wk, t->nwk, sizeof(*t->wk), wake_cmp);
	report_sort(t->raw, t->nraw, sizeof(*t->raw), raw_cmp);
	for (size_t i = 0; i < t->nraw; i++) {
		const struct fold_iv *prev = i && t->raw[i - 1].tid ==
					     t->raw[i].tid ? &t->raw[i - 1] :
					     NULL;

		if (iv_join(t, &t->raw[i], prev) < 0)
			return fail(t, -ENOMEM, "thread states");
	}
	free(t->raw);
	t->raw = NULL;
	t->nraw = t->capraw = 0;
	report_sort(t->iv, t->n, sizeof(*t->iv), iv_cmp);
	for (size_t i = 0; i < t->n; i++) {
		if (i && t->iv[i - 1].tid == t->iv[i].tid) {
			t->runs[t->nruns - 1].end++;
			continue;
		}
		if (report_grow(&t->runs, &t->capruns, t->nruns + 1,
				sizeof(*t->runs)) < 0 ||
		    hmap_put(&t->tidix, t->iv[i].tid,
			     (uint32_t)t->nruns) < 0)
			return fail(t, -ENOMEM, "thread states");
		t->runs[t->nruns++] = (struct tstate_run){ (uint32_t)i,
							   (uint32_t)i + 1 };
	}
	/* the calls, read from sys_from: [sys_from, from) is one piece */
	t->sys_at = t->sys_from;
	t->sys_end = t->until < t->to ? t->until : t->to;
	return 0;
}

/* Read the syscalls for about BUDGET: 1 more, 0 done. */
static int sys_more(struct tstate *t, uint64_t budget)
{
	uint64_t t0 = fold_now_ns();
	uint64_t piece = (t->to - t->from) / SYS_PIECES + 1;
	int rc;

	while (t->n && t->sys_at <= t->sys_end) {
		uint64_t z = t->sys_at < t->from ? t->from - 1 :
			     t->sys_end - t->sys_at < piece ? t->sys_end :
			     t->sys_at + piece - 1;

		if (z > t->sys_end)
			z = t->sys_end;

		if ((rc = store_scan(t->st, EV_SYSCALL, EVM(EVI_SYSCALL_TS) |
				     EVM(EVI_SYSCALL_DUR) |
				     EVM(EVI_SYSCALL_TID), t->sys_at, z,
				     sys_each, t)) < 0)
			return fail(t, rc, "syscalls");
		if (z == UINT64_MAX)
			break;
		t->sys_at = z + 1;
		if (fold_now_ns() - t0 >= budget)
			return t->sys_at <= t->sys_end;
	}
	return 0;
}

int tstate_step(struct tstate *t, uint64_t budget_ns)
{
	int rc;

	switch (t->phase) {
	case PH_NEW:
		snprintf(t->errmsg, sizeof(t->errmsg), "not started");
		return -EINVAL;
	case PH_FOLD:
		if ((rc = fold_more(t, budget_ns)) != 0)
			return rc;
		fold_free(t->fold);
		t->fold = NULL;
		fold_sched_free(&t->fs);
		t->phase = PH_JOIN;
		return 1;
	case PH_JOIN:
		if ((rc = join(t)) < 0)
			return rc;
		t->phase = t->bare ? PH_DONE : PH_SYS;
		return t->phase != PH_DONE;
	case PH_SYS:
		if ((rc = sys_more(t, budget_ns)) != 0)
			return rc;
		t->phase = t->no_stacks ? PH_DONE : PH_STACKS;
		return t->phase != PH_DONE;
	case PH_STACKS:
		if ((rc = stacks_join(t)) < 0)
			return fail(t, rc, "stacks");
		t->phase = PH_DONE;
		return 0;
	}
	return 0;
}

int tstate_run(struct tstate *t)
{
	int rc = tstate_start(t);

	while (rc >= 0 && (rc = tstate_step(t, UINT64_MAX)) > 0)
		;
	return rc;
}

int tstate_joined(const struct tstate *t)
{
	return t->phase > PH_JOIN;
}

int tstate_folded(const struct tstate *t)
{
	return t->phase == PH_JOIN;
}

double tstate_fraction(const struct tstate *t)
{
	switch (t->phase) {
	case PH_NEW:
		return 0;
	case PH_FOLD:
		return 0.8 * fold_fraction(t->fold);
	case PH_JOIN:
		return 0.8;
	case PH_SYS:
		return 0.8 + 0.2 * (t->sys_at <= t->from ? 0 :
				    (double)(t->sys_at - t->from) /
				    ((double)(t->sys_end - t->from) + 1));
	case PH_STACKS:
		return 0.99;
	}
	return 1;
}

const struct fold_iv *tstate_raw(const struct tstate *t, size_t *n,
				 uint64_t *read_to)
{
	*n = t->phase == PH_FOLD ? t->nraw : 0;
	*read_to = t->phase == PH_FOLD ? fold_read_to(t->fold) :
		   t->phase == PH_NEW ? t->from : t->to;
	return t->raw;
}

/* ---- lookups -------------------------------------------------------- */

void tstate_wait_split(const struct tstate *t, uint64_t life,
		       uint64_t *waiting, uint64_t *woken)
{
	size_t n;
	const struct tstate_iv *v = tstate_thread(t, NAMES_LIFE_TID(life),
						  &n);

	*waiting = *woken = 0;
	for (size_t k = 0; k < n; k++) {
		if (v[k].life != life)
			continue;
		if (v[k].state == TSTATE_SLEEPING ||
		    v[k].state == TSTATE_BLOCKED)
			*waiting += v[k].dur;
		else if (v[k].state == TSTATE_RUNNABLE && k &&
			 v[k - 1].life == life && v[k - 1].wake_ts &&
			 v[k - 1].wake_ts == v[k].ts)
			*woken += v[k].dur;
	}
}

const struct tstate_iv *tstate_thread(const struct tstate *t, uint32_t tid,
				      size_t *n)
{
	return thread_ivs((struct tstate *)t, tid, n);
}

const struct tstate_iv *tstate_last(const struct tstate *t, uint32_t tid,
				    uint64_t ts)
{
	size_t n, lo = 0, hi;
	const struct tstate_iv *v = tstate_thread(t, tid, &n);

	for (hi = n; lo < hi;) {
		size_t m = lo + (hi - lo) / 2;

		if (v[m].ts <= ts)
			lo = m + 1;
		else
			hi = m;
	}
	return lo ? v + lo - 1 : NULL;
}

const struct tstate_iv *tstate_at(const struct tstate *t, uint32_t tid,
				  uint64_t ts)
{
	const struct tstate_iv *v = tstate_last(t, tid, ts);

	return v && (ts < v->ts + v->dur || ts == v->ts) ? v : NULL;
}

/* ---- the critical path ---------------------------------------------- */

/* Whether interrupt IRQ (waker_irq) is a timer's. */
static int irq_timer(const char *irq)
{
	return irq && (!strcmp(irq, "hrtimer") || !strcmp(irq, "TIMER") ||
		       !strcmp(irq, "HRTIMER"));
}

const struct tstate_iv *tstate_wait_before(const struct tstate *t,
					   uint32_t tid, uint64_t ts)
{
	const struct tstate_iv *v = tstate_at(t, tid, ts), *first;
	size_t n;

	if (!v || v->state != TSTATE_RUNNING)
		return NULL;
	first = tstate_thread(t, tid, &n);
	while (v > first) {
		v--;
		if (v->state == TSTATE_SLEEPING || v->state == TSTATE_BLOCKED)
			return v;
		if (v->state != TSTATE_RUNNABLE)
			return NULL;
	}
	return NULL;
}

const char *tstate_path_next(const struct tstate *t,
			     const struct tstate_iv *v,
			     const struct tstate_iv **next)
{
	*next = NULL;
	if (!v->wake_ts)
		return "not woken in the window";
	if (v->waker_ctx > EV_WAKER_TASK)
		return irq_timer(tstate_str(t, v->waker_irq)) ? "a timer" :
		       "an interrupt";
	if (!v->waker_tid)
		return "waker not known";
	*next = tstate_wait_before(t, v->waker_tid, v->wake_ts);
	return *next ? NULL : "a running task";
}
