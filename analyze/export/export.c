/*
 * export.c - Perfetto trace-event JSON and per-table CSV (see export.h).
 *
 *     export_perfetto(st, &o, fp, err, sizeof(err));
 *
 * The JSON writer reads the filtered, time-ordered stream of replay.h and
 * writes each event as it comes; the only state it keeps is, per CPU, the
 * thread switched in last and since when, so an on-CPU slice is written
 * when that thread is switched out (or at the end of the stream).  Only
 * what the trace knows is drawn (analyze/traced.h): no slice for a task a
 * `-- CMD` or `-p` trace does not trace, none past a traced one's exit,
 * none for a task whose switch-in such a trace did not record.  Lines gather in one
 * buffer written out every 64 KiB.
 */
#include "config.h"
#include "analyze/export/export.h"
#include "analyze/output/textesc.h"
#include "analyze/fold/tstate.h"
#include "analyze/report/report_int.h"
#include "analyze/replay/evfmt.h"
#include "analyze/replay/evfmt_sys.h"
#include "analyze/output/outfile.h"
#include "analyze/output/output.h"
#include "analyze/replay/replay.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/timearg.h"
#include "analyze/traced.h"
#include "store/hmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FLUSH_AT 65536
#define MAX_CPUS EXPORT_MAX_CPUS

struct cpu_run {
	uint32_t tid;
	uint64_t since;
	char comm[16];
	int active; /* a thread is known to run here */
	int named;  /* the CPU's track name was written */
	int irq_named; /* the same for its irq track */
};

/* A wakeup waiting for its thread's next switch-in (the flow's start). */
struct pf_wake {
	uint64_t ts;
	uint32_t cpu, ctx;
	char irq[24];
};

/* A track of a block device: the end of its last request. */
struct pf_lane {
	char dev[32];
	uint64_t end;
	uint32_t tid;
};

struct pf {
	struct store *st;
	FILE *out;
	struct evfmt *fmt;
	struct evbuf b;    /* output being gathered */
	struct evbuf text; /* one event's decoded text */
	uint64_t base;     /* ts of time 0 */
	int first;         /* no event written yet */
	struct cpu_run *cpus;
	size_t ncpus;
	struct traced tr;  /* who is traced (traced.h) */
	int werr;          /* write error (-errno) */
	struct pf_wake *wk; /* pending wakeups, by slot */
	size_t nwk, capwk;
	uint32_t *wfree;   /* free slots of wk */
	size_t nwfree, capwfree;
	struct hmap wake;  /* woken tid -> slot in wk */
	uint64_t flows;    /* flow ids given */
	struct pf_lane *lanes;
	size_t nlanes, caplanes;
	int block_named;
	struct hmap seen;  /* tids of the switches written */
	int64_t pid_base;  /* added to every pid and tid (several traces) */
	const char *label; /* several traces: process names start "LABEL: " */
};

static void pf_flush(struct pf *p, size_t limit)
{
	if (p->werr || p->b.len <= limit)
		return;
	if (fwrite(p->b.p, 1, p->b.len, p->out) != p->b.len)
		p->werr = errno ? -errno : -EIO;
	evbuf_clear(&p->b);
}

/* Start one event object: the separator, "ph", "pid", "tid", "ts". */
static void pf_begin(struct pf *p, const char *ph, int64_t pid, int64_t tid,
		     uint64_t ts)
{
	struct evbuf *b = &p->b;
	uint64_t rel;

	evbuf_adds(b, p->first ? "\n{\"ph\":\"" : ",\n{\"ph\":\"");
	p->first = 0;
	evbuf_adds(b, ph);
	evbuf_adds(b, "\",\"pid\":");
	evbuf_addi(b, pid + p->pid_base);
	evbuf_adds(b, ",\"tid\":");
	evbuf_addi(b, tid + p->pid_base);
	evbuf_adds(b, ",\"ts\":");
	if (ts < p->base) {
		evbuf_add(b, "-", 1);
		rel = p->base - ts;
	} else {
		rel = ts - p->base;
	}
	evbuf_addu(b, rel / 1000);
	char frac[5] = { '.', (char)('0' + rel / 100 % 10),
			 (char)('0' + rel / 10 % 10), (char)('0' + rel % 10), 0 };
	evbuf_add(b, frac, 4);
}

/* ns as microseconds with 3 decimals */
static void pf_us(struct evbuf *b, uint64_t ns)
{
	char frac[4] = { '.', (char)('0' + ns / 100 % 10),
			 (char)('0' + ns / 10 % 10), (char)('0' + ns % 10) };

	evbuf_addu(b, ns / 1000);
	evbuf_add(b, frac, 4);
}

static void pf_name_meta(struct pf *p, const char *what, int64_t pid,
			 int64_t tid, const char *name)
{
	pf_begin(p, "M", pid, tid, p->base);
	evbuf_adds(&p->b, ",\"name\":\"");
	evbuf_adds(&p->b, what);
	evbuf_adds(&p->b, "\",\"args\":{\"name\":");
	if (p->label && !strcmp(what, "process_name")) {
		size_t n = strlen(p->label) + strlen(name) + 3;
		char *l = malloc(n);

		if (!l) {
			p->b.oom = 1;
			return;
		}
		snprintf(l, n, "%s: %s", p->label, name);
		evbuf_add_json(&p->b, l);
		free(l);
	} else {
		evbuf_add_json(&p->b, name);
	}
	evbuf_adds(&p->b, "}}");
}

static struct cpu_run *pf_cpu(struct pf *p, uint32_t cpu)
{
	if (cpu >= MAX_CPUS)
		return NULL;
	if (cpu >= p->ncpus) {
		size_t n = cpu + 1 > p->ncpus * 2 ? cpu + 1 : p->ncpus * 2;
		struct cpu_run *c = realloc(p->cpus, n * sizeof(*c));
		if (!c)
			return NULL;
		memset(c + p->ncpus, 0, (n - p->ncpus) * sizeof(*c));
		p->cpus = c;
		p->ncpus = n;
	}
	struct cpu_run *c = &p->cpus[cpu];
	if (!c->named) {
		char name[32];
		snprintf(name, sizeof(name), "CPU %u", cpu);
		pf_name_meta(p, "thread_name", EXPORT_CPU_PID,
			     EXPORT_CPU_PID + 1 + cpu, name);
		pf_begin(p, "M", EXPORT_CPU_PID, EXPORT_CPU_PID + 1 + cpu,
			 p->base);
		evbuf_adds(&p->b, ",\"name\":\"thread_sort_index\","
			   "\"args\":{\"sort_index\":");
		evbuf_addu(&p->b, cpu);
		evbuf_adds(&p->b, "}}");
		c->named = 1;
	}
	return c;
}

/* A wakeup: remembered until its thread is switched in (the first of
 * several).  0 or -ENOMEM. */
static int pf_wakeup(struct pf *p, const struct ev_wakeup *w)
{
	uint32_t slot;

	if (hmap_get(&p->wake, w->tid, &slot))
		return 0;
	if (p->nwfree) {
		slot = p->wfree[--p->nwfree];
	} else {
		if (report_grow(&p->wk, &p->capwk, p->nwk + 1,
				sizeof(*p->wk)) < 0)
			return -ENOMEM;
		slot = (uint32_t)p->nwk++;
	}
	p->wk[slot] = (struct pf_wake){ .ts = w->ts, .cpu = w->cpu,
					.ctx = w->waker_ctx };
	snprintf(p->wk[slot].irq, sizeof(p->wk[slot].irq), "%s",
		 w->waker_irq ? w->waker_irq : "");
	return hmap_put(&p->wake, w->tid, slot) < 0 ? -ENOMEM : 0;
}

/* One end of flow ID: PH "s" or "f" on track (pid, tid) at TS. */
static void pf_flow_end(struct pf *p, const char *ph, int64_t tid, uint64_t ts,
			uint64_t id)
{
	pf_begin(p, ph, EXPORT_CPU_PID, tid, ts);
	evbuf_adds(&p->b, ",\"id\":");
	evbuf_addu(&p->b, id);
	evbuf_adds(&p->b, *ph == 'f' ? ",\"bp\":\"e\",\"cat\":\"wakeup\","
		   "\"name\":\"wakeup\"}" : ",\"cat\":\"wakeup\","
		   "\"name\":\"wakeup\"}");
}

/* The interrupt that raised W, as a zero-length slice on its CPU's irq
 * track (named the first time). */
static void pf_irq_mark(struct pf *p, const struct pf_wake *w)
{
	static const char *const ctx[] = {
		[EV_WAKER_HARDIRQ] = "hardirq", [EV_WAKER_SOFTIRQ] = "softirq",
		[EV_WAKER_NMI] = "nmi"
	};
	struct cpu_run *c = pf_cpu(p, w->cpu);
	char name[48];

	if (c && !c->irq_named) {
		snprintf(name, sizeof(name), "CPU %u irq", w->cpu);
		pf_name_meta(p, "thread_name", EXPORT_CPU_PID,
			     EXPORT_IRQ_TID(w->cpu), name);
		pf_begin(p, "M", EXPORT_CPU_PID, EXPORT_IRQ_TID(w->cpu),
			 p->base);
		evbuf_adds(&p->b, ",\"name\":\"thread_sort_index\","
			   "\"args\":{\"sort_index\":");
		evbuf_addu(&p->b, MAX_CPUS + w->cpu);
		evbuf_adds(&p->b, "}}");
		c->irq_named = 1;
	}
	snprintf(name, sizeof(name), "%s%s%s", ctx[w->ctx], w->irq[0] ? " " :
		 "", w->irq);
	pf_begin(p, "X", EXPORT_CPU_PID, EXPORT_IRQ_TID(w->cpu), w->ts);
	evbuf_adds(&p->b, ",\"dur\":0.000,\"cat\":\"irq\",\"name\":");
	evbuf_add_json(&p->b, name);
	evbuf_adds(&p->b, "}");
}

/* TID is switched in on CPU at TS: the arrow from its pending wakeup, if
 * the trace draws its run. */
static void pf_woken(struct pf *p, uint32_t tid, uint32_t cpu, uint64_t ts)
{
	const struct pf_wake *w;
	uint32_t slot;
	uint64_t id;

	if (!tid || !hmap_get(&p->wake, tid, &slot))
		return;
	hmap_del(&p->wake, tid);
	if (report_grow(&p->wfree, &p->capwfree, p->nwfree + 1,
		    sizeof(*p->wfree)) < 0) {
		p->b.oom = 1;
		return;
	}
	p->wfree[p->nwfree++] = slot;
	w = &p->wk[slot];
	if (!traced_at(&p->tr, tid, ts, NULL) || !pf_cpu(p, w->cpu))
		return;
	id = ++p->flows;
	if (w->ctx >= EV_WAKER_HARDIRQ && w->ctx <= EV_WAKER_NMI) {
		pf_irq_mark(p, w);
		pf_flow_end(p, "s", EXPORT_IRQ_TID(w->cpu), w->ts, id);
	} else {
		pf_flow_end(p, "s", EXPORT_CPU_PID + 1 + w->cpu, w->ts, id);
	}
	pf_flow_end(p, "f", EXPORT_CPU_PID + 1 + cpu, ts, id);
}

/* The track of device DEV free at TS (a new one when all are busy),
 * whose last request now ends at END; NULL when out of memory. */
static const struct pf_lane *pf_lane(struct pf *p, const char *dev,
				     uint64_t ts, uint64_t end)
{
	struct pf_lane *l;
	unsigned same = 0;
	char name[48];

	for (size_t i = 0; i < p->nlanes; i++) {
		l = &p->lanes[i];
		if (strcmp(l->dev, dev))
			continue;
		same++;
		if (l->end <= ts) {
			l->end = end;
			return l;
		}
	}
	if (!p->block_named) {
		pf_name_meta(p, "process_name", EXPORT_BLOCK_PID,
			     EXPORT_BLOCK_PID, "Block I/O");
		p->block_named = 1;
	}
	if (report_grow(&p->lanes, &p->caplanes, p->nlanes + 1,
		    sizeof(*p->lanes)) < 0)
		return NULL;
	l = &p->lanes[p->nlanes];
	snprintf(l->dev, sizeof(l->dev), "%s", dev);
	l->end = end;
	l->tid = EXPORT_BLOCK_PID + 1 + (uint32_t)p->nlanes++;
	if (same)
		snprintf(name, sizeof(name), "%s (%u)", dev, same + 1);
	else
		snprintf(name, sizeof(name), "%s", dev);
	pf_name_meta(p, "thread_name", EXPORT_BLOCK_PID, l->tid, name);
	return l;
}

static void pf_args_text(struct pf *p, enum ev_kind kind, const void *ev);

/* A block request: a slice from issue to completion on its device. */
static void pf_block(struct pf *p, const struct ev_block_io *io)
{
	const struct ev_desc *d = ev_desc(EV_BLOCK_IO);
	const char *op = ev_enum_name(&d->fields[EVI_BLOCK_IO_OP], io->op);
	const struct pf_lane *l = pf_lane(p, io->dev ? io->dev : "?", io->ts,
					  io->ts + io->dur);

	if (!l) {
		p->b.oom = 1;
		return;
	}
	pf_begin(p, "X", EXPORT_BLOCK_PID, l->tid, io->ts);
	evbuf_adds(&p->b, ",\"dur\":");
	pf_us(&p->b, io->dur);
	evbuf_adds(&p->b, ",\"cat\":\"block\",\"name\":");
	evbuf_add_json(&p->b, op ? op : "?");
	pf_args_text(p, EV_BLOCK_IO, io);
	evbuf_adds(&p->b, ",\"bytes\":");
	evbuf_addu(&p->b, io->bytes);
	evbuf_adds(&p->b, ",\"sector\":");
	evbuf_addu(&p->b, io->sector);
	evbuf_adds(&p->b, ",\"pid\":");
	evbuf_addu(&p->b, io->pid);
	evbuf_adds(&p->b, ",\"tid\":");
	evbuf_addu(&p->b, io->tid);
	if (io->error) {
		const char *e = sqlfn_errno_name(io->error);

		evbuf_adds(&p->b, ",\"errno\":");
		evbuf_add_json(&p->b, e ? e : "?");
	}
	evbuf_adds(&p->b, "}}");
}

/* A signal: an instant on the target thread's track. */
static void pf_signal(struct pf *p, const struct ev_signal *s)
{
	const struct ev_desc *d = ev_desc(EV_SIGNAL);
	const char *kn = ev_enum_name(&d->fields[EVI_SIGNAL_KIND], s->kind);
	const char *sn = evfmt_sys_signal_name(s->sig);
	char name[48];

	if (s->kind == EV_SIGNAL_OOM_KILL)
		snprintf(name, sizeof(name), "oom_kill");
	else if (sn)
		snprintf(name, sizeof(name), "%s %s", sn, kn ? kn : "?");
	else
		snprintf(name, sizeof(name), "signal %d %s", s->sig,
			 kn ? kn : "?");
	pf_begin(p, "i", s->target_pid, s->target_tid, s->ts);
	evbuf_adds(&p->b, ",\"s\":\"t\",\"cat\":\"proc\",\"name\":");
	evbuf_add_json(&p->b, name);
	pf_args_text(p, EV_SIGNAL, s);
	evbuf_adds(&p->b, "}}");
}

/* The on-CPU slice of whatever ran on CPU until TS. */
static void pf_slice(struct pf *p, uint32_t cpu, const struct cpu_run *c,
		     uint64_t a, uint64_t b)
{
	pf_begin(p, "X", EXPORT_CPU_PID, EXPORT_CPU_PID + 1 + cpu, a);
	evbuf_adds(&p->b, ",\"dur\":");
	pf_us(&p->b, b - a);
	evbuf_adds(&p->b, ",\"cat\":\"sched\",\"name\":");
	char name[40];
	snprintf(name, sizeof(name), "%s/%u", c->comm[0] ? c->comm : "?",
		 c->tid);
	evbuf_add_json(&p->b, name);
	evbuf_adds(&p->b, ",\"args\":{\"tid\":");
	evbuf_addu(&p->b, c->tid);
	evbuf_adds(&p->b, "}}");
}

/* C's thread ran on CPU from c->since to TS: its slices, less what the
 * trace does not know (after its tracing ended, in holes). */
static void pf_cpu_slice(struct pf *p, uint32_t cpu, struct cpu_run *c,
			 uint64_t ts)
{
	uint64_t until, a;

	if (!c->active || !c->tid || ts < c->since ||
	    !traced_at(&p->tr, c->tid, c->since, &until))
		return;
	if (until < ts)
		ts = until;	/* its process exited: traced no longer */
	for (a = c->since; a < ts || (a == ts && a == c->since);) {
		uint64_t h = traced_hole_start(&p->tr, cpu, a, ts);
		uint64_t b = h < ts ? h : ts;

		if (b > a || (b == a && h == UINT64_MAX))
			pf_slice(p, cpu, c, a, b);
		if (h >= ts)
			break;
		a = traced_hole_end(&p->tr, cpu, h);
	}
}

static void pf_switch(struct pf *p, const struct ev_switch *sw,
		      uint64_t from)
{
	struct cpu_run *c = pf_cpu(p, sw->cpu);

	if (!c)
		return;
	if (!c->active) {
		/* it ran from before the window (or the first switch) */
		c->active = 1;
		c->tid = sw->prev_tid;
		c->since = from > p->tr.sw_first ? from : p->tr.sw_first;
		snprintf(c->comm, sizeof(c->comm), "%s",
			 sw->prev_comm ? sw->prev_comm : "");
	}
	if (c->tid == sw->prev_tid || !p->tr.some) {
		pf_cpu_slice(p, sw->cpu, c, sw->ts);
	} else {
		/* the switch-out of the thread put here was not recorded:
		 * it ran until its tracing ended, if that was before */
		uint64_t until;

		if (traced_at(&p->tr, c->tid, c->since, &until) &&
		    until < sw->ts)
			pf_cpu_slice(p, sw->cpu, c, until);
	}
	c->tid = sw->next_tid;
	c->since = sw->ts;
	snprintf(c->comm, sizeof(c->comm), "%s",
		 sw->next_comm ? sw->next_comm : "");
	pf_woken(p, sw->next_tid, sw->cpu, sw->ts);
	if (hmap_put(&p->seen, sw->prev_tid, 0) < 0 ||
	    hmap_put(&p->seen, sw->next_tid, 0) < 0)
		p->b.oom = 1;
}

static void pf_args_text(struct pf *p, enum ev_kind kind, const void *ev)
{
	evbuf_clear(&p->text);
	evfmt_detail(p->fmt, kind, ev, &p->text);
	evbuf_adds(&p->b, ",\"args\":{\"text\":");
	evbuf_add_json(&p->b, p->text.p ? p->text.p : "");
}

static void pf_syscall(struct pf *p, const struct ev_syscall *sc)
{
	const char *name = store_syscall_name(p->st, sc->nr);
	const char *e = sqlfn_errno_name(sc->ret);
	char nbuf[24];

	if (!name) {
		snprintf(nbuf, sizeof(nbuf), "syscall_%d", sc->nr);
		name = nbuf;
	}
	pf_begin(p, "X", sc->pid, sc->tid, sc->ts);
	evbuf_adds(&p->b, ",\"dur\":");
	pf_us(&p->b, sc->dur);
	evbuf_adds(&p->b, ",\"cat\":\"syscall\",\"name\":");
	evbuf_add_json(&p->b, name);
	pf_args_text(p, EV_SYSCALL, sc);
	evbuf_adds(&p->b, ",\"ret\":");
	evbuf_addi(&p->b, sc->ret);
	if (e && !(sc->flags & EV_SYSCALL_UNFINISHED)) {
		evbuf_adds(&p->b, ",\"errno\":");
		evbuf_add_json(&p->b, e);
	}
	if ((sc->flags & EV_SYSCALL_UNFINISHED) &&
	    (sc->flags & EV_SYSCALL_EXITED))
		evbuf_adds(&p->b, ",\"exited\":true");
	else if (sc->flags & EV_SYSCALL_UNFINISHED)
		evbuf_adds(&p->b, ",\"unfinished\":true");
	if (sc->flags & EV_SYSCALL_EARLY)
		evbuf_adds(&p->b, ",\"started_before\":true");
	evbuf_adds(&p->b, "}}");
}

/* The process field of kind D (the first with EVF_PID), or -1: the kinds
 * without one (wakeups, migrations) are in replay, not on tracks. */
static int pf_pid_field(const struct ev_desc *d)
{
	for (unsigned i = 0; i < d->nfields; i++)
		if (d->fields[i].flags & EVF_PID)
			return (int)i;
	return -1;
}

/* An event of a kind with a process: an instant event on its acting
 * thread's track, in its class's category, named by its sub-kind (fork,
 * exec, ...; the kind's title without one). */
static void pf_instant(struct pf *p, enum ev_kind kind, const void *ev,
		       int pid_field)
{
	/* a name prefix, for kinds whose sub-kinds read better with one */
	static const char *const prefix[EV_KIND_COUNT] = { [EV_NET] = "tcp " };
	const struct ev_desc *d = ev_desc(kind);
	const char *name = NULL;
	char buf[64];

	if (d->subkind >= 0)
		name = ev_enum_name(&d->fields[d->subkind],
				    ev_get_int(&d->fields[d->subkind], ev));
	snprintf(buf, sizeof(buf), "%s%s", prefix[kind] ? prefix[kind] : "",
		 name ? name : d->title);
	pf_begin(p, "i", ev_get_int(&d->fields[pid_field], ev),
		 ev_get_int(&d->fields[d->who_tid], ev), ev_ts(ev));
	evbuf_adds(&p->b, ",\"s\":\"t\",\"cat\":");
	evbuf_add_json(&p->b, ev_class_name(d->klass));
	evbuf_adds(&p->b, ",\"name\":");
	evbuf_add_json(&p->b, buf);
	pf_args_text(p, kind, ev);
	evbuf_adds(&p->b, "}}");
}

/* ---- thread states ---------------------------------------------------- */

/* One interval of a thread's state track. */
static void pf_state(struct pf *p, const struct tstate *t,
		     const struct tstate_iv *v, int64_t pid, int64_t tid)
{
	const char *s;
	char buf[24];

	pf_begin(p, "X", pid, tid, v->ts);
	evbuf_adds(&p->b, ",\"dur\":");
	pf_us(&p->b, v->dur);
	evbuf_adds(&p->b, ",\"cat\":\"state\",\"name\":");
	evbuf_add_json(&p->b, tstate_names[v->state]);
	evbuf_adds(&p->b, ",\"args\":{\"tid\":");
	evbuf_addu(&p->b, v->tid);
	if (v->cpu != UINT32_MAX) {
		evbuf_adds(&p->b, ",\"cpu\":");
		evbuf_addu(&p->b, v->cpu);
	}
	if (v->nr >= 0) {
		if (!(s = store_syscall_name(p->st, v->nr))) {
			snprintf(buf, sizeof(buf), "syscall_%d", v->nr);
			s = buf;
		}
		evbuf_adds(&p->b, ",\"syscall\":");
		evbuf_add_json(&p->b, s);
	}
	if ((s = tstate_str(t, v->fd_name))) {
		evbuf_adds(&p->b, ",\"fd_name\":");
		evbuf_add_json(&p->b, s);
	}
	if ((s = tstate_str(t, v->blocked_in))) {
		evbuf_adds(&p->b, ",\"blocked_in\":");
		evbuf_add_json(&p->b, s);
	}
	if ((s = tstate_ctx_name(v->waker_ctx))) {
		evbuf_adds(&p->b, ",\"waker_ctx\":");
		evbuf_add_json(&p->b, s);
		if (v->waker_tid) {
			evbuf_adds(&p->b, ",\"waker_tid\":");
			evbuf_addu(&p->b, v->waker_tid);
		}
		if ((s = tstate_str(t, v->waker_irq))) {
			evbuf_adds(&p->b, ",\"waker_irq\":");
			evbuf_add_json(&p->b, s);
		}
	}
	if (v->partial)
		evbuf_adds(&p->b, ",\"partial\":true");
	evbuf_adds(&p->b, "}}");
}

/* A state track for each thread whose switches were written, beside its
 * thread track: tid EXPORT_STATE_TID(n) for the n-th such thread, named
 * "comm/tid state", in the thread's process.  0 or -errno (ERR). */
static int pf_states(struct pf *p, uint64_t from, uint64_t to, char *err,
		     size_t len)
{
	char terr[TSTATE_ERRLEN], name[48];
	struct tstate *t = tstate_new(p->st, from, to, terr);
	uint32_t track = 0, z;
	int rc;

	if (!t || (rc = tstate_run(t)) < 0) {
		snprintf(err, len, "thread states: %s",
			 t ? tstate_errmsg(t) : terr);
		rc = t ? rc : -ENOMEM;
		tstate_free(t);
		return rc;
	}
	for (size_t i = 0; i < t->n && !p->b.oom && !p->werr;) {
		const struct tstate_iv *v = &t->iv[i];
		const char *comm = tstate_comm(t, v);
		int64_t pid = tstate_pid(t, v);
		uint32_t tid = v->tid;
		int64_t st = EXPORT_STATE_TID(track);

		if (!hmap_get(&p->seen, tid, &z) || !tid || pid < 0) {
			while (i < t->n && t->iv[i].tid == tid)
				i++;
			continue;
		}
		snprintf(name, sizeof(name), "%s/%u state", comm ? comm : "?",
			 tid);
		pf_name_meta(p, "thread_name", pid, st, name);
		pf_begin(p, "M", pid, st, p->base);
		evbuf_adds(&p->b, ",\"name\":\"thread_sort_index\","
			   "\"args\":{\"sort_index\":");
		evbuf_addu(&p->b, tid);
		evbuf_adds(&p->b, "}}");
		for (uint64_t end = 0; i < t->n && t->iv[i].tid == tid; i++) {
			struct tstate_iv c = t->iv[i];

			/* switches the trace has wrong or lost can make a
			 * thread run on two CPUs at once: an interval is
			 * drawn from where the one before it ended */
			if (c.ts < end) {
				if (c.ts + c.dur <= end)
					continue;
				c.dur -= end - c.ts;
				c.ts = end;
				c.partial |= TSTATE_START;
			}
			end = c.ts + c.dur;
			pf_state(p, t, &c, pid, st);
			pf_flush(p, FLUSH_AT);
		}
		track++;
	}
	tstate_free(t);
	return 0;
}

static void pf_meta_tables(struct pf *p)
{
	sqlite3 *db = store_db(p->st);
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, "SELECT pid, comm FROM processes "
			       "ORDER BY start_ts", -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *comm = (const char *)sqlite3_column_text(s, 1);
			int64_t pid = sqlite3_column_int64(s, 0);
			pf_name_meta(p, "process_name", pid, pid,
				     comm ? comm : "?");
			pf_flush(p, FLUSH_AT);
		}
		sqlite3_finalize(s);
	}
	if (sqlite3_prepare_v2(db, "SELECT pid, tid, comm FROM threads "
			       "ORDER BY start_ts", -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *comm = (const char *)sqlite3_column_text(s, 2);
			pf_name_meta(p, "thread_name", sqlite3_column_int64(s, 0),
				     sqlite3_column_int64(s, 1),
				     comm ? comm : "?");
			pf_flush(p, FLUSH_AT);
		}
		sqlite3_finalize(s);
	}
	pf_name_meta(p, "process_name", EXPORT_CPU_PID, EXPORT_CPU_PID, "CPUs");
	pf_begin(p, "M", EXPORT_CPU_PID, EXPORT_CPU_PID, p->base);
	evbuf_adds(&p->b, ",\"name\":\"process_sort_index\","
		   "\"args\":{\"sort_index\":-1}}");
}

static void pf_other_data(struct pf *p)
{
	static const char *const keys[] = { "host", "kernel", "arch", "cpus",
					     "format_version", "start_ts",
					     "end_ts", "clock_offset_ns" };
	int n = 0;

	evbuf_adds(&p->b, "{\"displayTimeUnit\":\"ns\",\"otherData\":{");
	evbuf_adds(&p->b, "\"generator\":\"kscope " PACKAGE_VERSION "\"");
	n++;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = store_meta(p->st, keys[i]);
		if (!v)
			continue;
		evbuf_adds(&p->b, n++ ? "," : "");
		evbuf_add_json(&p->b, keys[i]);
		evbuf_add(&p->b, ":", 1);
		evbuf_add_json(&p->b, v);
	}
	evbuf_adds(&p->b, "},\"traceEvents\":[");
}

/* The events of trace P->st in the window of O into P's buffer, drawn
 * from time P->base; P's per-trace state is freed.  0 or a negative errno
 * (ERR). */
static int pf_trace(struct pf *p, const struct export_opts *o, uint64_t first,
		    uint64_t last, uint64_t *events, char *err, size_t len)
{
	struct store *st = p->st;
	struct replay *r = NULL;
	uint64_t end = 0, n = 0;
	enum ev_kind kind;
	const void *ev;
	int pid_field[EV_KIND_COUNT];
	int rc = 0;

	for (unsigned k = 0; k < EV_KIND_COUNT; k++)
		pid_field[k] = pf_pid_field(ev_desc(k));
	if ((rc = traced_load(st, &p->tr)) < 0) {
		snprintf(err, len, "%s", rc == -ENOMEM ? "out of memory" :
			 rc == -EIO ? sqlite3_errmsg(store_db(st)) :
			 store_errmsg(st));
		goto out;
	}
	p->fmt = evfmt_new(st, 0);
	if (!p->fmt) {
		snprintf(err, len, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	r = replay_open(st, o->filter, EV_KIND_ALL, o->from, o->to, err, len);
	if (!r) {
		rc = -EINVAL;
		goto out;
	}
	pf_meta_tables(p);
	while (!p->werr && (rc = replay_next(r, &kind, &ev)) > 0) {
		end = ev_ts(ev);
		switch (kind) {
		case EV_SYSCALL:
			pf_syscall(p, ev);
			break;
		case EV_SWITCH:
			pf_switch(p, ev, o->from > first ? o->from : first);
			break;
		case EV_WAKEUP:
			if (pf_wakeup(p, ev) < 0)
				p->b.oom = 1;
			break;
		case EV_BLOCK_IO:
			pf_block(p, ev);
			break;
		case EV_SIGNAL:
			pf_signal(p, ev);
			break;
		default:
			if (pid_field[kind] >= 0)
				pf_instant(p, kind, ev, pid_field[kind]);
			break;
		}
		if (p->b.oom) {
			rc = -ENOMEM;
			break;
		}
		pf_flush(p, FLUSH_AT);
		if (!(++n & 0x3fff))
			progress_update(o->progress, end, n);
	}
	*events += n;
	if (rc < 0 && rc != -ENOMEM)
		snprintf(err, len, "%s", replay_errmsg(r));
	if (rc == -ENOMEM)
		snprintf(err, len, "out of memory");
	if (rc >= 0) {
		for (size_t c = 0; c < p->ncpus; c++)
			if (p->cpus[c].active)
				pf_cpu_slice(p, (uint32_t)c, &p->cpus[c], end);
		if (p->seen.n)
			rc = pf_states(p, o->from > first ? o->from : first,
				       o->to < last ? o->to : last, err, len);
	}
out:
	replay_close(r);
	evfmt_free(p->fmt);
	evbuf_free(&p->text);
	free(p->cpus);
	free(p->wk);
	free(p->wfree);
	free(p->lanes);
	hmap_free(&p->wake);
	hmap_free(&p->seen);
	traced_free(&p->tr);
	return rc < 0 ? rc : 0;
}

/* S as a JSON string, or null. */
static void pf_json_or_null(struct evbuf *b, const char *s)
{
	if (s)
		evbuf_add_json(b, s);
	else
		evbuf_adds(b, "null");
}

/* The otherData of several traces: the generator and, per trace, its
 * name, host, pid base, clock offset and how it was aligned. */
static void pf_other_data_multi(struct pf *p, const struct export_trace *t,
				size_t n, const int64_t *shift)
{
	evbuf_adds(&p->b, "{\"displayTimeUnit\":\"ns\",\"otherData\":{");
	evbuf_adds(&p->b, "\"generator\":\"kscope " PACKAGE_VERSION "\","
		   "\"traces\":[");
	for (size_t i = 0; i < n; i++) {
		const char *host = store_meta(t[i].st, "host");
		const char *off = store_meta(t[i].st, "clock_offset_ns");

		evbuf_adds(&p->b, i ? ",{\"trace\":" : "{\"trace\":");
		evbuf_add_json(&p->b, t[i].name);
		evbuf_adds(&p->b, ",\"host\":");
		pf_json_or_null(&p->b, host);
		evbuf_adds(&p->b, ",\"pid_base\":");
		evbuf_addi(&p->b, (int64_t)i * EXPORT_PID_SPAN);
		evbuf_adds(&p->b, ",\"clock_offset_ns\":");
		pf_json_or_null(&p->b, off);
		evbuf_adds(&p->b, ",\"aligned_by\":");
		evbuf_adds(&p->b, shift[i] != INT64_MIN ? "\"wall clock\"}" :
			   "\"trace start\"}");
	}
	evbuf_adds(&p->b, "]},\"traceEvents\":[");
}

/* Trace T's clock offset (wall ns = ts + offset) into *OFF: 0, or -1
 * when it has none. */
static int pf_offset(const struct export_trace *t, int64_t *off)
{
	const char *v = store_meta(t->st, "clock_offset_ns");
	char *end;

	if (!v)
		return -1;
	errno = 0;
	*off = strtoll(v, &end, 10);
	return errno || end == v || *end ? -1 : 0;
}

int export_perfetto_multi(const struct export_trace *t, size_t n,
			  const struct export_opts *o, FILE *out, char *err,
			  size_t len)
{
	struct pf h = { .out = out, .first = 1 };
	uint64_t *first = calloc(n ? n : 1, sizeof(*first));
	uint64_t *last = calloc(n ? n : 1, sizeof(*last));
	int64_t *shift = calloc(n ? n : 1, sizeof(*shift));
	int64_t wall0 = INT64_MAX;
	uint64_t events = 0;
	int rc = 0;

	if (!first || !last || !shift) {
		snprintf(err, len, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	if (n > EXPORT_MAX_TRACES) {
		snprintf(err, len, "at most %d traces in one export",
			 EXPORT_MAX_TRACES);
		rc = -EINVAL;
		goto out;
	}
	/* time 0 is the earliest start by wall clock; a trace without a
	 * clock offset starts at time 0 */
	for (size_t i = 0; i < n; i++) {
		if (timearg_span(t[i].st, &first[i], &last[i]) < 0) {
			first[i] = 0;
			last[i] = UINT64_MAX;
		}
		if (pf_offset(&t[i], &shift[i]) < 0)
			shift[i] = INT64_MIN;
		else if ((int64_t)first[i] + shift[i] < wall0)
			wall0 = (int64_t)first[i] + shift[i];
	}
	if (n == 1) {
		h.st = t[0].st;
		pf_other_data(&h);
	} else {
		pf_other_data_multi(&h, t, n, shift);
	}
	pf_flush(&h, 0);
	for (size_t i = 0; i < n && rc == 0 && !h.werr; i++) {
		struct export_opts oi = *o;
		struct pf p = {
			.st = t[i].st, .out = out, .first = h.first,
			.flows = h.flows, .base = first[i],
			.pid_base = (int64_t)i * EXPORT_PID_SPAN,
		};

		if (n > 1) {
			p.label = store_meta(t[i].st, "host");
			p.label = p.label ? p.label : t[i].name;
			if (shift[i] != INT64_MIN)
				p.base = (uint64_t)(wall0 - shift[i]);
		}
		oi.from = t[i].from;
		oi.to = t[i].to;
		rc = pf_trace(&p, &oi, first[i], last[i], &events, err, len);
		pf_flush(&p, 0);
		h.first = p.first;
		h.flows = p.flows;
		h.werr = p.werr;
		h.b.oom |= p.b.oom;
		evbuf_free(&p.b);
	}
	if (o->events)
		*o->events = events;
	if (rc >= 0) {
		evbuf_adds(&h.b, "\n]}\n");
		pf_flush(&h, 0);
		if (!h.werr && fflush(out) == EOF)
			h.werr = errno ? -errno : -EIO;
		if (h.b.oom && !h.werr) {
			snprintf(err, len, "out of memory");
			rc = -ENOMEM;
		}
	}
	if (rc >= 0 && h.werr) {
		rc = h.werr;
		snprintf(err, len, "cannot write: %s", strerror(-rc));
	}
out:
	evbuf_free(&h.b);
	free(first);
	free(last);
	free(shift);
	return rc < 0 ? rc : 0;
}

int export_perfetto(struct store *st, const struct export_opts *o, FILE *out,
		    char *err, size_t len)
{
	struct export_trace t = {
		.st = st, .name = store_path(st), .from = o->from, .to = o->to,
	};

	return export_perfetto_multi(&t, 1, o, out, err, len);
}

/* ---- CSV ------------------------------------------------------------- */

char *export_kind_sql(const struct ev_desc *d, const struct filter *f,
		      const char *what)
{
	sqlite3_str *q = sqlite3_str_new(NULL);

	sqlite3_str_appendf(q, "SELECT %s FROM \"%w\" WHERE ts >= ?1 AND "
			    "ts <= ?2 AND (", what, d->table);
	filter_sql(f, d, q);
	sqlite3_str_appendall(q, ") ORDER BY ts");
	return sqlite3_str_finish(q);
}

struct csv_progress {
	struct progress *pg;
	uint64_t table;
};

static int csv_tick(void *arg)
{
	struct csv_progress *cp = arg;

	progress_update(cp->pg, cp->table, cp->table);
	return 0;
}

/* Create FILE in DFD (a directory we just made, 0700: the name is free)
 * and a CSV output on it into *FP, *OUT.  0 or -errno (ERR). */
static int csv_create(int dfd, const char *file, FILE **fp,
		      struct output **out, char *err, size_t len)
{
	int fd = openat(dfd, file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			O_CLOEXEC, 0600);
	int rc;

	if (fd < 0 || !(*fp = fdopen(fd, "w"))) {
		rc = -errno;
		snprintf(err, len, "cannot create '%s': %s", TEXTESC_Q(file),
			 strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (!(*out = output_open(*fp, OUTPUT_FORMAT_CSV, NULL))) {
		fclose(*fp);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* Close what csv_create opened after writing returned RC: RC, or the
 * error of the close. */
static int csv_close(const char *file, FILE *fp, struct output *out, int rc,
		     char *err, size_t len)
{
	output_close(out);
	if (fclose(fp) == EOF && rc == 0) {
		rc = -errno;
		snprintf(err, len, "cannot write '%s': %s", TEXTESC_Q(file),
			 strerror(errno));
	}
	return rc;
}

/* NAME.csv in DFD from SQL; *ROWS (when not NULL) counts its rows. */
static int csv_table(struct store *st, int dfd, const char *name,
		     const char *sql, const struct export_opts *o,
		     uint64_t *rows, char *err, size_t len)
{
	sqlite3 *db = store_db(st);
	char file[128];
	sqlite3_stmt *s = NULL;
	struct output *out = NULL;
	FILE *fp = NULL;
	int rc;

	snprintf(file, sizeof(file), "%s.csv", name);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, len, "%s: %s", name, sqlite3_errmsg(db));
		return -EINVAL;
	}
	if (sqlite3_bind_parameter_count(s) >= 2) {
		sqlite3_bind_int64(s, 1, o->from > INT64_MAX ? INT64_MAX :
				   (int64_t)o->from);
		sqlite3_bind_int64(s, 2, o->to > INT64_MAX ? INT64_MAX :
				   (int64_t)o->to);
	}
	if ((rc = csv_create(dfd, file, &fp, &out, err, len)) < 0) {
		sqlite3_finalize(s);
		return rc;
	}
	if ((rc = output_stmt_print(out, s)) < 0)
		snprintf(err, len, "%s", output_errmsg(out));
	if (rows)
		*rows += output_rows(out);
	sqlite3_finalize(s);
	return csv_close(file, fp, out, rc, err, len);
}

static const char *const csv_tables[] = { "processes", "threads", "lost",
					  "meta" };
#define CSV_NTABLES (sizeof(csv_tables) / sizeof(csv_tables[0]))

int export_csv(struct store *st, const struct export_opts *o, const char *dir,
	       char *err, size_t len)
{
	struct csv_progress cp = { .pg = o->progress };
	struct outfile of;
	int dfd, rc = 0;

	if ((rc = outfile_create(&of, dir, 1, o->force, err, len)) < 0)
		return rc;
	dfd = of.fd;
	store_progress_set(st, csv_tick, &cp);
	if (o->events)
		*o->events = 0;
	for (unsigned k = 0; k < EV_KIND_COUNT && rc == 0; k++) {
		const struct ev_desc *d = ev_desc(k);
		char *sql = export_kind_sql(d, o->filter, "*");

		cp.table = k;
		if (!sql) {
			snprintf(err, len, "out of memory");
			rc = -ENOMEM;
			break;
		}
		rc = csv_table(st, dfd, d->table, sql, o, o->events, err,
			       len);
		sqlite3_free(sql);
	}
	for (size_t i = 0; i < CSV_NTABLES && rc == 0; i++) {
		char sql[64];
		cp.table = EV_KIND_COUNT + i;
		snprintf(sql, sizeof(sql), "SELECT * FROM %s", csv_tables[i]);
		rc = csv_table(st, dfd, csv_tables[i], sql, o, NULL, err, len);
	}
	store_progress_set(st, NULL, NULL);
	close(dfd);
	if (rc < 0)
		outfile_abort(&of);
	else
		rc = outfile_commit(&of, err, len);
	return rc;
}

/* ---- CSV of several traces ------------------------------------------ */

/* Column C of S's current row as a cell (valid until the next step). */
static struct output_cell csv_cell(sqlite3_stmt *s, int c)
{
	switch (sqlite3_column_type(s, c)) {
	case SQLITE_INTEGER:
		return OUTPUT_INT(sqlite3_column_int64(s, c));
	case SQLITE_FLOAT:
		return OUTPUT_REAL(sqlite3_column_double(s, c));
	case SQLITE_TEXT: {
		const void *p = sqlite3_column_text(s, c);
		return (struct output_cell){ .type = SQLITE_TEXT, .p = p,
			.n = (size_t)sqlite3_column_bytes(s, c) };
	}
	case SQLITE_BLOB: {
		const void *p = sqlite3_column_blob(s, c);
		return (struct output_cell){ .type = SQLITE_BLOB, .p = p,
			.n = (size_t)sqlite3_column_bytes(s, c) };
	}
	default:
		return OUTPUT_NULL;
	}
}

/* One table of the N traces T into FILE in DFD: the statements S[i]
 * (trace and host first) run in turn under one header, the union of their
 * columns by name (a column a trace's format lacks is empty there). */
static int csv_multi_table(int dfd, const char *file, sqlite3_stmt **s,
			   size_t n, uint64_t *rows, char *err, size_t len)
{
	const char **names = NULL;
	int *map = NULL, ncols = 0, cap = 0, rc = 0, src;
	struct output_cell *cells = NULL;
	struct output *out = NULL;
	FILE *fp = NULL;

	for (size_t i = 0; i < n; i++)
		cap += sqlite3_column_count(s[i]);
	names = calloc((size_t)cap + 1, sizeof(*names));
	map = calloc((size_t)cap + 1, sizeof(*map));
	cells = calloc((size_t)cap + 1, sizeof(*cells));
	if (!names || !map || !cells) {
		snprintf(err, len, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < sqlite3_column_count(s[i]); c++) {
			const char *nm = sqlite3_column_name(s[i], c);
			int k = 0;

			while (k < ncols && strcmp(names[k], nm))
				k++;
			if (k == ncols)
				names[ncols++] = nm;
		}
	if ((rc = csv_create(dfd, file, &fp, &out, err, len)) < 0)
		goto out;
	rc = output_begin(out, ncols, names);
	for (size_t i = 0; i < n && rc == 0; i++) {
		int nc = sqlite3_column_count(s[i]);

		for (int c = 0; c < nc; c++)
			for (map[c] = 0; strcmp(names[map[c]],
					       sqlite3_column_name(s[i], c));)
				map[c]++;
		while (rc == 0 && (src = sqlite3_step(s[i])) == SQLITE_ROW) {
			for (int k = 0; k < ncols; k++)
				cells[k] = OUTPUT_NULL;
			for (int c = 0; c < nc; c++)
				cells[map[c]] = csv_cell(s[i], c);
			rc = output_row(out, cells);
		}
		if (rc == 0 && src != SQLITE_DONE) {
			snprintf(err, len, "%s: %s", file, sqlite3_errmsg(
				 sqlite3_db_handle(s[i])));
			rc = -EIO;
		}
	}
	if (rc == 0)
		rc = output_end(out);
	else if (rc != -EIO)
		snprintf(err, len, "%s", output_errmsg(out));
	if (rows)
		*rows += output_rows(out);
	rc = csv_close(file, fp, out, rc, err, len);
out:
	free(names);
	free(map);
	free(cells);
	return rc;
}

int export_csv_multi(const struct export_trace *t, size_t n,
		     const struct export_opts *o, const char *dir, char *err,
		     size_t len)
{
	sqlite3_stmt **s = calloc(n ? n : 1, sizeof(*s));
	struct outfile of;
	int dfd = -1, rc = 0;

	if (!s) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	if (o->events)
		*o->events = 0;
	if ((rc = outfile_create(&of, dir, 1, o->force, err, len)) < 0)
		goto out;
	dfd = of.fd;
	for (unsigned k = 0; k < EV_KIND_COUNT + CSV_NTABLES && rc == 0; k++) {
		const char *name = k < EV_KIND_COUNT ? ev_desc(k)->table :
				   csv_tables[k - EV_KIND_COUNT];
		char file[128];

		progress_update(o->progress, k, k);
		for (size_t i = 0; i < n && rc == 0; i++) {
			sqlite3 *db = store_db(t[i].st);
			const char *host = store_meta(t[i].st, "host");
			char *sql = k < EV_KIND_COUNT ?
				export_kind_sql(ev_desc(k), o->filter,
						"?3 AS trace, ?4 AS host, *") :
				sqlite3_mprintf("SELECT ?3 AS trace, ?4 AS "
						"host, * FROM %s", name);

			if (!sql) {
				snprintf(err, len, "out of memory");
				rc = -ENOMEM;
				break;
			}
			if (sqlite3_prepare_v2(db, sql, -1, &s[i], NULL) !=
			    SQLITE_OK) {
				snprintf(err, len, "%s: %s: %s", t[i].name,
					 name, sqlite3_errmsg(db));
				rc = -EINVAL;
			} else {
				sqlite3_bind_int64(s[i], 1, t[i].from >
						   INT64_MAX ? INT64_MAX :
						   (int64_t)t[i].from);
				sqlite3_bind_int64(s[i], 2, t[i].to >
						   INT64_MAX ? INT64_MAX :
						   (int64_t)t[i].to);
				sqlite3_bind_text(s[i], 3, t[i].name, -1,
						  SQLITE_STATIC);
				sqlite3_bind_text(s[i], 4, host, -1,
						  SQLITE_STATIC);
			}
			sqlite3_free(sql);
		}
		snprintf(file, sizeof(file), "%s.csv", name);
		if (rc == 0)
			rc = csv_multi_table(dfd, file, s, n, k <
					     EV_KIND_COUNT ? o->events : NULL,
					     err, len);
		for (size_t i = 0; i < n; i++) {
			sqlite3_finalize(s[i]);
			s[i] = NULL;
		}
	}
	close(dfd);
	if (rc < 0)
		outfile_abort(&of);
	else
		rc = outfile_commit(&of, err, len);
out:
	free(s);
	return rc;
}
