/*
 * evfmt.c - event lines and JSON objects (see evfmt.h for the forms).
 *
 *     evfmt_line(fmt, EV_SYSCALL, &sc, &b);
 *     // "+0.000001000 10:31:06.761966123 [002] cat/4242  openat(AT_FDCWD,
 *     //  "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3 <3.10 us>"
 *
 * Everything is table-driven: the descriptor (store/ev_kinds.h) says which
 * fields name the acting thread and the CPU; detailers says which function
 * (if any) writes the event text; kinds without one print their
 * descriptor fields.  Syscall
 * arguments decode through evfmt_sys.c (specs by syscall name, resolved
 * once to numbers at evfmt_new; flags by name).  Replay prints millions of
 * lines a second through here, so numbers are written by evbuf.c's
 * hand-made writers, not through printf.
 */
#include "config.h"
#include "analyze/replay/evfmt.h"
#include "analyze/replay/evfmt_sys.h"
#include "analyze/sql/sqlfn.h"
#include "analyze/timearg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the formatter ---------------------------------------------------- */

#define SYS_MAX 1024 /* syscall numbers looked up at start */

/* tid -> comm, learnt from the threads table and from events */
struct comm_slot {
	uint32_t tid; /* 0: empty */
	char comm[16];
};

struct evfmt {
	struct store *st;
	unsigned flags;
	uint64_t ts0;
	int64_t offset;
	int have_wall;
	/* wall clock: the day of the last line, cached */
	int64_t day;
	char date[16];
	const char *sysname[SYS_MAX];
	const struct sys_spec *spec[SYS_MAX];
	struct comm_slot *comms;
	size_t ncomms, capcomms; /* capcomms: a power of two, or 0 */
	struct evbuf scratch; /* evfmt_json's event text */
	const struct flagname *oflags; /* open flags of the trace's arch */
	/* "HH:MM:SS." of the last wall second written */
	int64_t wall_sec;
	char wall_hms[10];
};

static const char *comm_get(const struct evfmt *f, uint32_t tid)
{
	if (!f->capcomms || !tid)
		return NULL;
	for (size_t i = (tid * 2654435761u) & (f->capcomms - 1);;
	     i = (i + 1) & (f->capcomms - 1)) {
		if (f->comms[i].tid == tid)
			return f->comms[i].comm;
		if (!f->comms[i].tid)
			return NULL;
	}
}

static void comm_put(struct evfmt *f, uint32_t tid, const char *comm)
{
	if (!tid || !comm || !*comm)
		return;
	if ((f->ncomms + 1) * 2 > f->capcomms) {
		size_t cap = f->capcomms ? f->capcomms * 2 : 1024;
		struct comm_slot *n = calloc(cap, sizeof(*n));
		if (!n)
			return; /* names are a nicety */
		for (size_t j = 0; j < f->capcomms; j++) {
			if (!f->comms[j].tid)
				continue;
			size_t i = (f->comms[j].tid * 2654435761u) & (cap - 1);
			while (n[i].tid)
				i = (i + 1) & (cap - 1);
			n[i] = f->comms[j];
		}
		free(f->comms);
		f->comms = n;
		f->capcomms = cap;
	}
	size_t i = (tid * 2654435761u) & (f->capcomms - 1);
	while (f->comms[i].tid && f->comms[i].tid != tid)
		i = (i + 1) & (f->capcomms - 1);
	if (!f->comms[i].tid)
		f->ncomms++;
	else if (f->comms[i].comm[0] == comm[0] &&
		 !strncmp(f->comms[i].comm, comm, sizeof(f->comms[i].comm) - 1))
		return;
	f->comms[i].tid = tid;
	snprintf(f->comms[i].comm, sizeof(f->comms[i].comm), "%s", comm);
}

struct evfmt *evfmt_new(struct store *st, unsigned flags)
{
	struct evfmt *f = calloc(1, sizeof(*f));
	uint64_t last;
	const char *off;
	sqlite3_stmt *s;

	if (!f)
		return NULL;
	f->st = st;
	f->flags = flags;
	f->day = INT64_MIN;
	f->wall_sec = INT64_MIN;
	f->oflags = evfmt_sys_open_flags(store_meta(st, "arch"));
	if (timearg_span(st, &f->ts0, &last) < 0)
		f->ts0 = 0;
	off = store_meta(st, "clock_offset_ns");
	if (off && *off) {
		char *end;
		errno = 0;
		long long v = strtoll(off, &end, 10);
		if (!errno && !*end) {
			f->offset = v;
			f->have_wall = 1;
		}
	}
	for (int nr = 0; nr < SYS_MAX; nr++) {
		f->sysname[nr] = store_syscall_name(st, nr);
		if (f->sysname[nr])
			f->spec[nr] = evfmt_sys_spec(f->sysname[nr]);
	}
	if (sqlite3_prepare_v2(store_db(st), "SELECT tid, comm FROM threads "
			       "ORDER BY start_ts", -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			comm_put(f, (uint32_t)sqlite3_column_int64(s, 0),
				 (const char *)sqlite3_column_text(s, 1));
		sqlite3_finalize(s);
	}
	return f;
}

void evfmt_free(struct evfmt *f)
{
	if (!f)
		return;
	free(f->comms);
	evbuf_free(&f->scratch);
	free(f);
}

int evfmt_reltime(struct evfmt *f, uint64_t ts, struct evbuf *b)
{
	uint64_t d;

	if (ts >= f->ts0) {
		d = ts - f->ts0;
		evbuf_addc(b, '+');
	} else {
		d = f->ts0 - ts;
		evbuf_addc(b, '-');
	}
	evbuf_addu(b, d / 1000000000);
	evbuf_addc(b, '.');
	evbuf_add_ns9(b, (uint32_t)(d % 1000000000));
	return b->oom ? -ENOMEM : 0;
}

int evfmt_walltime(struct evfmt *f, uint64_t ts, struct evbuf *b)
{
	int64_t sec, ns;

	if (!f->have_wall) {
		evbuf_adds(b, "-");
		return b->oom ? -ENOMEM : 0;
	}
	if (ts > INT64_MAX) {
		/* no boot-clock time; the ts column shows it as negative */
		evbuf_adds(b, "??:??:??.?????????");
		return b->oom ? -ENOMEM : 0;
	}
	sqlfn_wall_split((int64_t)ts, f->offset, &sec, &ns);
	if (sec != f->wall_sec) {
		int64_t tod = sec % 86400;
		if (tod < 0)
			tod += 86400;
		memcpy(f->wall_hms, evbuf_digit_pairs + tod / 3600 * 2, 2);
		f->wall_hms[2] = ':';
		memcpy(f->wall_hms + 3,
		       evbuf_digit_pairs + tod / 60 % 60 * 2, 2);
		f->wall_hms[5] = ':';
		memcpy(f->wall_hms + 6, evbuf_digit_pairs + tod % 60 * 2, 2);
		f->wall_hms[8] = '.';
		f->wall_sec = sec;
	}
	evbuf_add(b, f->wall_hms, 9);
	evbuf_add_ns9(b, (uint32_t)ns);
	return b->oom ? -ENOMEM : 0;
}

/* "comm/tid", comm from the event or the comm table, "?" if unknown. */
static void put_thread(struct evfmt *f, const char *comm, uint32_t tid,
		       struct evbuf *b)
{
	if (!comm || !*comm)
		comm = tid ? comm_get(f, tid) : "swapper";
	evbuf_add_text(b, comm && *comm ? comm : "?", 0);
	evbuf_addc(b, '/');
	evbuf_addu(b, tid);
}

/* A wakeup's waker when it was an interrupt: "softirq NET_RX", "hardirq
 * hrtimer", "nmi"; 0 for a task (or a trace that did not say). */
static int put_irq_waker(const struct ev_wakeup *w, struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(EV_WAKEUP);

	if (w->waker_ctx == EV_WAKER_UNKNOWN || w->waker_ctx == EV_WAKER_TASK ||
	    !ev_enum_name(&d->fields[EVI_WAKEUP_WAKER_CTX], w->waker_ctx))
		return 0;
	evbuf_adds(b, ev_enum_name(&d->fields[EVI_WAKEUP_WAKER_CTX],
				   w->waker_ctx));
	if (w->waker_irq) {
		evbuf_addc(b, ' ');
		evbuf_add_text(b, w->waker_irq, 0);
	}
	return 1;
}

int evfmt_who(struct evfmt *f, enum ev_kind kind, const void *ev,
	      struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);
	const char *comm = NULL;
	uint32_t tid = 0;

	if (!d)
		return -EINVAL;
	if (kind == EV_WAKEUP && put_irq_waker(ev, b))
		return b->oom ? -ENOMEM : 0;
	if (d->who_tid >= 0)
		tid = (uint32_t)ev_get_int(&d->fields[d->who_tid], ev);
	if (d->who_comm >= 0) {
		comm = ev_get_str(&d->fields[d->who_comm], ev);
		comm_put(f, tid, comm);
	}
	/* tid 0 is the idle task only on the scheduler's events: a signal's
	 * sender 0 is the kernel, another kind's 0 an unknown task */
	if (!tid && d->klass != KS_CLASS_SCHED)
		comm = kind == EV_SIGNAL ? "kernel" : "?";
	put_thread(f, comm, tid, b);
	return b->oom ? -ENOMEM : 0;
}

char evfmt_state_letter(int64_t state)
{
	static const struct { int64_t bit; char c; } states[] = {
		{ 0x01, 'S' }, { 0x02, 'D' }, { 0x04, 'T' }, { 0x08, 't' },
		{ 0x10, 'X' }, { 0x20, 'Z' }, { 0x40, 'P' },
		{ 0x80, 'X' }, /* TASK_DEAD without exit_state (older traces) */
	};
	if ((state & 0x402) == 0x402)
		return 'I';
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (state & states[i].bit)
			return states[i].c;
	return 'R';
}

static void detail_syscall(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_syscall *sc = ev;
	const struct sys_spec *sp = NULL;
	const char *name = NULL;

	if (sc->nr >= 0 && sc->nr < SYS_MAX) {
		name = f->sysname[sc->nr];
		sp = f->spec[sc->nr];
	}
	evfmt_sys_call(b, name, sp, f->oflags, sc);
}

static void detail_switch(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_switch *sw = ev;

	comm_put(f, sw->next_tid, sw->next_comm);
	evbuf_adds(b, "switch ");
	put_thread(f, sw->prev_comm, sw->prev_tid, b);
	evbuf_adds(b, " (");
	evbuf_addc(b, evfmt_state_letter(sw->prev_state));
	evbuf_adds(b, ") -> ");
	put_thread(f, sw->next_comm, sw->next_tid, b);
}

static void detail_wakeup(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_wakeup *w = ev;

	evbuf_adds(b, w->is_new ? "wakeup_new " : "wakeup ");
	put_thread(f, NULL, w->tid, b);
	evbuf_adds(b, " target_cpu=");
	evbuf_addu(b, w->target_cpu);
	evbuf_adds(b, " prio=");
	evbuf_addi(b, w->prio);
}

static void detail_migrate(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_migrate *m = ev;

	evbuf_adds(b, "migrate cpu ");
	evbuf_addu(b, m->orig_cpu);
	evbuf_adds(b, " -> ");
	evbuf_addu(b, m->dest_cpu);
}

static void detail_proc(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_proc *p = ev;
	const char *sig;

	switch (p->kind) {
	case EV_PROC_FORK:
		evbuf_adds(b, "fork child=");
		evbuf_addu(b, p->child_pid);
		evbuf_adds(b, " ppid=");
		evbuf_addu(b, p->ppid);
		break;
	case EV_PROC_EXEC:
		evbuf_adds(b, "exec ");
		if (p->filename)
			evbuf_add_text_cut(b, p->filename, p->truncated &
					   EV_PROC_FILENAME_TRUNC, '"');
		else
			evbuf_add_text(b, "?", '"');
		if (p->argv) {
			evbuf_adds(b, " argv=");
			evbuf_add_text_cut(b, p->argv, p->truncated &
					   EV_PROC_ARGV_TRUNC, '"');
		}
		break;
	case EV_PROC_EXIT:
		evbuf_adds(b, "exit code=");
		evbuf_addi(b, p->exit_code);
		if (p->exit_signal) {
			evbuf_adds(b, " signal=");
			sig = evfmt_sys_signal_name(p->exit_signal);
			if (sig)
				evbuf_adds(b, sig);
			else
				evbuf_addi(b, p->exit_signal);
		}
		break;
	default:
		evbuf_adds(b, "proc kind=");
		evbuf_addu(b, p->kind);
		break;
	}
}

static void put_endpoint(struct evbuf *b, const char *addr, uint32_t port)
{
	int v6 = addr && strchr(addr, ':');

	if (v6)
		evbuf_addc(b, '[');
	evbuf_add_text(b, addr ? addr : "?", 0);
	if (v6)
		evbuf_addc(b, ']');
	evbuf_addc(b, ':');
	evbuf_addu(b, port);
}

static void detail_net(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_net *n = ev;
	const struct ev_desc *d = ev_desc(EV_NET);
	const char *kn = ev_enum_name(&d->fields[EVI_NET_KIND], n->kind);

	evbuf_adds(b, "tcp ");
	evbuf_adds(b, kn ? kn : "?");
	evbuf_addc(b, ' ');
	put_endpoint(b, n->saddr, n->sport);
	evbuf_adds(b, " -> ");
	put_endpoint(b, n->daddr, n->dport);
	if (n->kind == EV_NET_STATE) {
		const char *o = ev_tcp_state_name(n->old_state);
		const char *s = ev_tcp_state_name(n->new_state);
		evbuf_addc(b, ' ');
		if (o)
			evbuf_adds(b, o);
		else
			evbuf_addu(b, n->old_state);
		evbuf_adds(b, " -> ");
		if (s)
			evbuf_adds(b, s);
		else
			evbuf_addu(b, n->new_state);
	} else if (n->kind == EV_NET_SEND || n->kind == EV_NET_RECV) {
		evbuf_addc(b, ' ');
		evbuf_addi(b, n->bytes);
		evbuf_adds(b, " bytes");
	}
}

/* A signal number by name ("SIGKILL"), else as a number. */
static void put_signal(struct evbuf *b, int64_t sig)
{
	const char *n = evfmt_sys_signal_name(sig);

	if (n)
		evbuf_adds(b, n);
	else
		evbuf_addi(b, sig);
}

/* signal_generate's result (the kernel's TRACE_SIGNAL_*), 0 delivered. */
static const char *const signal_results[] = {
	"delivered", "ignored", "already_pending", "overflow_fail",
	"lose_info"
};

const char *evfmt_signal_result(int64_t result)
{
	return result >= 0 && (size_t)result <
	       sizeof(signal_results) / sizeof(*signal_results) ?
	       signal_results[result] : NULL;
}

/* "signal SIGKILL from killer/61011 to sleep/61012 generate"; a signal
 * the kernel raised comes "from the kernel"; an OOM kill names the
 * memory cgroup. */
static void detail_signal(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_signal *s = ev;
	const struct ev_desc *d = ev_desc(EV_SIGNAL);
	const char *kn = ev_enum_name(&d->fields[EVI_SIGNAL_KIND], s->kind);

	comm_put(f, s->target_tid, s->target_comm);
	evbuf_adds(b, "signal ");
	put_signal(b, s->sig);
	evbuf_adds(b, " from ");
	if (s->sender_tid)
		put_thread(f, s->sender_comm, s->sender_tid, b);
	else
		evbuf_adds(b, "the kernel");
	evbuf_adds(b, " to ");
	put_thread(f, s->target_comm, s->target_tid, b);
	evbuf_addc(b, ' ');
	evbuf_adds(b, kn ? kn : "?");
	if (s->code) {
		evbuf_adds(b, " code=");
		evbuf_addi(b, s->code);
	}
	if (s->kind == EV_SIGNAL_GENERATE && s->result) {
		evbuf_adds(b, " result=");
		if (evfmt_signal_result(s->result))
			evbuf_adds(b, evfmt_signal_result(s->result));
		else
			evbuf_addi(b, s->result);
	}
	if (s->cgroup) {
		evbuf_adds(b, " cgroup=");
		evbuf_add_text(b, s->cgroup, '"');
	}
}

/* "block vda write 4096 bytes at sector 2048 <1.50 ms>", " error=EIO"
 * when it failed; "<in flight>" when its completion was not seen. */
static void detail_block(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_block_io *io = ev;
	const struct ev_desc *d = ev_desc(EV_BLOCK_IO);
	const char *op = ev_enum_name(&d->fields[EVI_BLOCK_IO_OP], io->op);

	(void)f;
	evbuf_adds(b, "block ");
	evbuf_add_text(b, io->dev ? io->dev : "?", 0);
	evbuf_addc(b, ' ');
	evbuf_adds(b, op ? op : "?");
	evbuf_addc(b, ' ');
	evbuf_addu(b, io->bytes);
	evbuf_adds(b, " bytes at sector ");
	evbuf_addu(b, io->sector);
	if (io->dur) {
		evbuf_adds(b, " <");
		evbuf_add_dur(b, io->dur);
		evbuf_addc(b, '>');
	} else {
		evbuf_adds(b, " <in flight>");
	}
	if (io->error) {
		const char *e = sqlfn_errno_name(io->error);

		evbuf_adds(b, " error=");
		if (e)
			evbuf_adds(b, e);
		else
			evbuf_addi(b, io->error);
	}
}

/* "stack 7 entry_SYSCALL_64;...;schedule" (outermost first). */
static void detail_stack(struct evfmt *f, const void *ev, struct evbuf *b)
{
	const struct ev_stack *k = ev;

	(void)f;
	evbuf_adds(b, "stack ");
	evbuf_addu(b, k->stack_id);
	evbuf_addc(b, ' ');
	evbuf_add_text(b, k->frames ? k->frames : "?", 0);
}

/* Any kind: its shown fields as name=value, after the title. */
static void detail_fields(struct evfmt *f, enum ev_kind kind, const void *ev,
			  struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);

	evbuf_adds(b, d->title);
	for (unsigned i = 0; i < d->nfields; i++) {
		const struct ev_field *fl = &d->fields[i];
		if (fl->flags & (EVF_TS | EVF_HIDDEN) ||
		    (int)i == d->cpu || (int)i == d->who_tid ||
		    (int)i == d->who_comm)
			continue;
		evbuf_addc(b, ' ');
		evbuf_adds(b, fl->name);
		evbuf_addc(b, '=');
		if (fl->type == EVT_STR) {
			const char *s = ev_get_str(fl, ev);
			if (s)
				evbuf_add_text(b, s, '"');
			else
				evbuf_adds(b, "NULL");
		} else if (fl->type == EVT_ENUM &&
			   ev_enum_name(fl, ev_get_int(fl, ev))) {
			evbuf_adds(b, ev_enum_name(fl, ev_get_int(fl, ev)));
		} else if (fl->type == EVT_SYSNAME) {
			const char *s = store_syscall_name(f->st,
				(int)ev_get_int(fl, ev));
			evbuf_adds(b, s ? s : "?");
		} else {
			evbuf_addi(b, ev_get_int(fl, ev));
		}
	}
}

/* The event text per kind; NULL: detail_fields. */
static void (*const detailers[EV_KIND_COUNT])(struct evfmt *, const void *,
					      struct evbuf *) = {
	[EV_SYSCALL] = detail_syscall,
	[EV_SWITCH] = detail_switch,
	[EV_WAKEUP] = detail_wakeup,
	[EV_MIGRATE] = detail_migrate,
	[EV_PROC] = detail_proc,
	[EV_NET] = detail_net,
	[EV_SIGNAL] = detail_signal,
	[EV_BLOCK_IO] = detail_block,
	[EV_STACK] = detail_stack,
};

int evfmt_detail(struct evfmt *f, enum ev_kind kind, const void *ev,
		 struct evbuf *b)
{
	if ((unsigned)kind >= EV_KIND_COUNT)
		return -EINVAL;
	if (detailers[kind])
		detailers[kind](f, ev, b);
	else
		detail_fields(f, kind, ev, b);
	return b->oom ? -ENOMEM : 0;
}

#define WHO_WIDTH 20

int evfmt_line(struct evfmt *f, enum ev_kind kind, const void *ev,
	       struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);
	size_t start;

	if (!d)
		return -EINVAL;
	evfmt_reltime(f, ev_ts(ev), b);
	evbuf_addc(b, ' ');
	if (!(f->flags & EVFMT_NO_WALL)) {
		evfmt_walltime(f, ev_ts(ev), b);
		evbuf_addc(b, ' ');
	}
	evbuf_addc(b, '[');
	evbuf_add_pad(b, (uint64_t)ev_get_int(&d->fields[d->cpu], ev), 3);
	evbuf_adds(b, "] ");
	start = b->len;
	evfmt_who(f, kind, ev, b);
	if (b->len - start < WHO_WIDTH)
		evbuf_add(b, "                    ",
			  WHO_WIDTH - (b->len - start));
	evbuf_addc(b, ' ');
	return evfmt_detail(f, kind, ev, b);
}

/* ---- JSON ------------------------------------------------------------ */

static void put_iso(struct evfmt *f, uint64_t ts, struct evbuf *b)
{
	int64_t sec, ns;

	if (ts > INT64_MAX) {	/* as evfmt_walltime: no time to show */
		evbuf_adds(b, "null");
		return;
	}
	sqlfn_wall_split((int64_t)ts, f->offset, &sec, &ns);
	int64_t day = sec >= 0 ? sec / 86400 : (sec - 86399) / 86400;
	if (day != f->day) {
		time_t t = (time_t)(day * 86400);
		struct tm tm;
		if (!gmtime_r(&t, &tm) ||
		    !strftime(f->date, sizeof(f->date), "%Y-%m-%d", &tm))
			snprintf(f->date, sizeof(f->date), "?");
		f->day = day;
	}
	evbuf_addc(b, '"');
	evbuf_adds(b, f->date);
	evbuf_addc(b, 'T');
	evfmt_walltime(f, ts, b);
	evbuf_adds(b, "Z\"");
}

int evfmt_json(struct evfmt *f, enum ev_kind kind, const void *ev,
	       struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);
	uint64_t ts = ev_ts(ev);
	size_t start;

	if (!d)
		return -EINVAL;
	evbuf_adds(b, "{\"ts\":");
	evbuf_addu(b, ts);
	evbuf_adds(b, ",\"time\":");
	start = b->len;
	evfmt_reltime(f, ts, b);
	if (b->len > start && b->p[start] == '+') {
		/* a JSON number has no leading '+' */
		memmove(b->p + start, b->p + start + 1, b->len - start);
		b->len--;
	}
	if (f->have_wall) {
		evbuf_adds(b, ",\"wall\":");
		put_iso(f, ts, b);
	}
	evbuf_adds(b, ",\"event\":");
	evbuf_add_json(b, d->title);
	for (unsigned i = 1; i < d->nfields; i++) {
		const struct ev_field *fl = &d->fields[i];
		if (fl->flags & EVF_HIDDEN)
			continue;
		evbuf_addc(b, ',');
		evbuf_add_json(b, fl->name);
		evbuf_addc(b, ':');
		if (fl->type == EVT_STR) {
			const char *s = ev_get_str(fl, ev);
			if (s)
				evbuf_add_json(b, s);
			else
				evbuf_adds(b, "null");
		} else if (fl->type == EVT_ENUM) {
			int64_t v = ev_get_int(fl, ev);
			const char *s = ev_enum_name(fl, v);
			if (s)
				evbuf_add_json(b, s);
			else if (!v)
				evbuf_adds(b, "null"); /* as in SQL */
			else
				evbuf_addi(b, v);
		} else if (fl->type == EVT_SYSNAME) {
			int nr = (int)ev_get_int(fl, ev);
			const char *s = nr >= 0 && nr < SYS_MAX ?
				f->sysname[nr] : NULL;
			if (s)
				evbuf_add_json(b, s);
			else
				evbuf_adds(b, "null");
		} else {
			evbuf_addi(b, ev_get_int(fl, ev));
		}
	}
	if (kind == EV_SYSCALL) {
		const struct ev_syscall *sc = ev;
		const char *e = sqlfn_errno_name(sc->ret);
		if (e && !(sc->flags & EV_SYSCALL_UNFINISHED)) {
			evbuf_adds(b, ",\"errno\":");
			evbuf_add_json(b, e);
		}
		if ((sc->flags & EV_SYSCALL_UNFINISHED) &&
		    (sc->flags & EV_SYSCALL_EXITED))
			evbuf_adds(b, ",\"exited\":true");
		else if (sc->flags & EV_SYSCALL_UNFINISHED)
			evbuf_adds(b, ",\"unfinished\":true");
		if (sc->flags & EV_SYSCALL_EARLY)
			evbuf_adds(b, ",\"started_before\":true");
	} else if (kind == EV_SIGNAL) {
		const char *n = evfmt_sys_signal_name(
			((const struct ev_signal *)ev)->sig);
		if (n) {
			evbuf_adds(b, ",\"signal\":");
			evbuf_add_json(b, n);
		}
	} else if (kind == EV_BLOCK_IO) {
		const char *e = sqlfn_errno_name(
			((const struct ev_block_io *)ev)->error);
		if (e) {
			evbuf_adds(b, ",\"errno\":");
			evbuf_add_json(b, e);
		}
	}
	evbuf_adds(b, ",\"text\":");
	evbuf_clear(&f->scratch);
	evfmt_detail(f, kind, ev, &f->scratch);
	evbuf_add_json(b, f->scratch.p ? f->scratch.p : "");
	if (f->scratch.oom)
		b->oom = 1;
	evbuf_addc(b, '}');
	return b->oom ? -ENOMEM : 0;
}
