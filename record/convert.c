/*
 * convert.c - turn the BPF side's ring records (bpf/kscope_bpf.h) into the
 * store's events (store/ev.h), and keep the trace's processes and threads
 * tables current from fork, exec and exit.
 *
 *     struct rec_conv *c = rec_conv_new(writer, &plan);
 *     rec_conv_snapshot(c, &info);               // /proc at start
 *     rec_conv_record(c, data, len);             // per drained record
 *     rec_conv_free(c);
 *
 * It runs outside the ring-buffer callback (which only copies bytes), on
 * the recorder's main thread.  Two live tables (tasks.c) give comm and
 * process context: threads by tid, processes by pid; entries go at exit,
 * so memory follows the live task count.  An exited thread's entry stays
 * for the events the kernel still writes for it after its exit record
 * (its files closed, TCP state changes, its final switch): it is removed
 * when CONV_GONE_MAX later threads have exited, or at once when its tid
 * is given to a new thread.  The fd tables (fdtab.c) follow the syscalls,
 * forks, execs and exits converted here and name each call's fd.
 *
 * With a redactor (rec_conv_redact), every string is redacted here before
 * it goes to the writer: comms, paths, addresses, fd names, exec's
 * filename and arguments, oom cgroups.  The same strings come again and
 * again (two comms per switch, an fd's name per read), so the redacted
 * form of recent ones is kept in a small cache.  The fd tables and the
 * live tables keep what they need to name fds right (raw paths and
 * addresses: memory only, never stored); what the tables hand on to the
 * store (comm, exe, cmdline, cgroup) was redacted before it went in.
 */
#include "config.h"
#include "record/record.h"
#include "record/redact.h"
#include "store/hmap.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#define CONV_GONE_MAX 4096 /* exited threads whose comm is kept */
#define CONV_CACHE 256      /* redacted strings kept (a power of two) */
#define CONV_CACHE_LEN 512  /* ... when shorter than this */
#define CONV_REDACT_ROOM 64 /* room for markers to grow a string into */

/* A string and its redacted form as text of KIND (OUTLEN bytes). */
struct conv_redacted {
	char *in, *out;
	size_t outlen;
	uint32_t hash;
	unsigned kind;
};

struct rec_conv {
	struct store_writer *w;
	const struct rec_plan *plan;
	struct rec_tasks *threads; /* tid -> tgid, comm */
	struct rec_tasks *procs;   /* pid -> ppid, exe, cmdline, cgroup */
	struct rec_fdtab *fds;     /* pid -> fd -> name */
	int proc_events;           /* store fork/exec/exit as events */
	struct rec_stacks *stacks; /* borrowed; NULL: no stack ids */
	struct rec_irqnames *irqs; /* wakers' interrupt names */
	struct rec_names *blkdevs; /* block device names, made when needed */
	uint64_t bad;
	/* Recorded threads' switches alternate in and out: tid -> 1 when
	 * last switched in, 0 out; a repeat is a switch not seen. */
	struct hmap oncpu;
	uint64_t gaps;
	uint32_t gone[CONV_GONE_MAX]; /* tids that exited, oldest at gone_pos */
	size_t gone_pos;
	const struct redact *rd;   /* borrowed; NULL: nothing redacted */
	struct conv_redacted cache[CONV_CACHE]; /* by hash */
	char fd_name[PATH_MAX + CONV_REDACT_ROOM]; /* redacted fd_name */
};

struct rec_conv *rec_conv_new(struct store_writer *w, const struct rec_plan *plan,
			      int proc_events)
{
	struct rec_conv *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->w = w;
	c->plan = plan;
	c->proc_events = proc_events;
	c->threads = rec_tasks_new();
	c->procs = rec_tasks_new();
	c->irqs = rec_irqnames_new("/sys/kernel/irq");
	c->fds = rec_fdtab_new(plan);
	if (!c->threads || !c->procs || !c->irqs || !c->fds) {
		rec_conv_free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

void rec_conv_free(struct rec_conv *c)
{
	if (!c)
		return;
	rec_tasks_free(c->threads);
	rec_tasks_free(c->procs);
	hmap_free(&c->oncpu);
	rec_irqnames_free(c->irqs);
	rec_fdtab_free(c->fds);
	rec_names_free(c->blkdevs);
	for (size_t i = 0; i < CONV_CACHE; i++) {
		free(c->cache[i].in);
		free(c->cache[i].out);
	}
	free(c);
}

uint64_t rec_conv_bad(const struct rec_conv *c)
{
	return c->bad;
}

void rec_conv_stacks(struct rec_conv *c, struct rec_stacks *st)
{
	c->stacks = st;
}

void rec_conv_redact(struct rec_conv *c, const struct redact *rd)
{
	c->rd = rd;
}

/* Redact the string in BUF (CAP bytes) as text of categories KIND: as
 * the cache remembers it when that fits, else now (and then remembered).
 * A form made in more room is as safe as one made in less: a fd name
 * reuses its path's. */
static void conv_redact(struct rec_conv *c, unsigned kind, char *buf,
			size_t cap)
{
	uint32_t h = 2166136261u ^ kind;
	struct conv_redacted *e;
	size_t len;
	char *in;

	if (!redact_active(c->rd, kind))
		return;
	len = strlen(buf);
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)buf[i]) * 16777619u;
	e = &c->cache[h & (CONV_CACHE - 1)];
	if (e->in && e->hash == h && e->kind == kind && e->outlen < cap &&
	    !strcmp(e->in, buf)) {
		memcpy(buf, e->out, e->outlen + 1);
		return;
	}
	in = len < CONV_CACHE_LEN ? strdup(buf) : NULL;
	len = redact_apply(c->rd, kind, buf, len, cap);
	if (!in)
		return;
	free(e->in);
	free(e->out);
	e->in = in;
	if (!(e->out = strdup(buf))) {
		free(e->in);
		e->in = NULL;
		return;
	}
	e->outlen = len;
	e->hash = h;
	e->kind = kind;
}

static char *str_dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* Copy a comm that may lack its NUL. */
static void comm_copy(char dst[KS_COMM_LEN], const char *src)
{
	size_t n = strnlen(src, KS_COMM_LEN - 1);

	memcpy(dst, src, n);
	dst[n] = 0;
}

/* A comm from the kernel into DST, redacted (by patterns only). */
static void conv_comm(struct rec_conv *c, char dst[KS_COMM_LEN],
		      const char *src)
{
	comm_copy(dst, src);
	if (c->rd)
		conv_redact(c, 0, dst, KS_COMM_LEN);
}

static void thread_note(struct rec_conv *c, uint32_t tid, uint32_t pid,
			const char *comm)
{
	struct rec_task *t;

	if (!tid)
		return;
	t = rec_tasks_put(c->threads, tid);
	if (!t)
		return;
	if (pid)
		t->pid = pid;
	if (comm)
		comm_copy(t->comm, comm);
}

/* Thread TID exited: keep its entry for late events, drop the entry of
 * the thread that exited CONV_GONE_MAX exits ago (unless its tid was
 * reused since: then it is no longer marked gone). */
static void thread_gone(struct rec_conv *c, uint32_t tid)
{
	struct rec_task *t = rec_tasks_get(c->threads, tid);
	uint32_t old = c->gone[c->gone_pos];

	if (!t)
		return;
	t->gone = 1;
	if (old && old != tid && (t = rec_tasks_get(c->threads, old)) && t->gone)
		rec_tasks_del(c->threads, old);
	c->gone[c->gone_pos] = tid;
	c->gone_pos = (c->gone_pos + 1) % CONV_GONE_MAX;
}

static const char *thread_comm(struct rec_conv *c, uint32_t tid)
{
	struct rec_task *t = rec_tasks_get(c->threads, tid);

	return t && t->comm[0] ? t->comm : NULL;
}

/* Write the threads row of TID's life that started at START_TS. */
static int thread_row(struct rec_conv *c, uint32_t tid, uint32_t pid,
		      const char *comm, uint64_t start_ts)
{
	struct rec_task *t = rec_tasks_get(c->threads, tid);

	if (t)
		t->row = comm && comm[0] ? TASK_ROW_COMM : TASK_ROW_NOCOMM;
	return store_writer_thread(c->w, tid, pid, comm, start_ts);
}

/* Thread TID of process PID did something recorded (COMM: its name then,
 * or NULL when the event does not say).  A thread the trace has no row
 * for - born between the /proc snapshot and the attach, so neither seen
 * there nor at its fork - gets one now, its start unknown (0), so that
 * every recorded thread's process is in the threads table. */
static int thread_meet(struct rec_conv *c, uint32_t tid, uint32_t pid,
		       const char *comm)
{
	struct rec_task *t;
	int named = comm && comm[0];

	if (!tid || !pid)
		return 0;
	t = rec_tasks_get(c->threads, tid);
	if (t && (t->row == TASK_ROW_COMM ||
		  (t->row == TASK_ROW_NOCOMM && !named))) {
		t->pid = pid;
		if (named)
			comm_copy(t->comm, comm);
		return 0;
	}
	thread_note(c, tid, pid, comm);
	if (!(t = rec_tasks_get(c->threads, tid)))
		return 0;
	return thread_row(c, tid, pid, t->comm[0] ? t->comm : NULL,
			  t->start_ts);
}

int rec_conv_snapshot(struct rec_conv *c, const struct rec_proc_info *p)
{
	struct store_process sp = {
		.pid = p->pid, .ppid = p->ppid, .start_ts = p->start_ts,
		.comm = p->comm, .exe = p->exe[0] ? p->exe : NULL,
		.cmdline = p->cmdline[0] ? p->cmdline : NULL,
		.cgroup = p->cgroup[0] ? p->cgroup : NULL,
		.container = p->container[0] ? p->container : NULL,
	};
	struct rec_task *t = rec_tasks_put(c->procs, p->pid);

	if (t) {
		t->pid = p->ppid;
		t->start_ts = p->start_ts;
		comm_copy(t->comm, p->comm);
		free(t->exe);
		free(t->cmdline);
		free(t->cgroup);
		t->exe = str_dup_or_null(p->exe);
		t->cmdline = str_dup_or_null(p->cmdline);
		t->cgroup = str_dup_or_null(p->cgroup);
	}
	return store_writer_process(c->w, &sp);
}

int rec_conv_snapshot_fds(struct rec_conv *c, uint32_t pid)
{
	return rec_fdtab_snapshot(c->fds, "/proc", pid);
}

int rec_conv_snapshot_thread(struct rec_conv *c, uint32_t tid, uint32_t pid,
			     const char *comm, uint64_t start_ts)
{
	struct rec_task *t;
	char rcomm[KS_COMM_LEN];

	conv_comm(c, rcomm, comm);
	thread_note(c, tid, pid, rcomm);
	if ((t = rec_tasks_get(c->threads, tid)))
		t->start_ts = start_ts;
	return thread_row(c, tid, pid, rcomm, start_ts);
}

void rec_sockaddr_format(const void *sa, size_t len, char *out, size_t outlen)
{
	sa_family_t fam;
	char ip[INET6_ADDRSTRLEN];

	out[0] = 0;
	if (len < sizeof(fam))
		return;
	memcpy(&fam, sa, sizeof(fam));
	if (fam == AF_INET && len >= sizeof(struct sockaddr_in)) {
		struct sockaddr_in in;

		memcpy(&in, sa, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, ip, sizeof(ip));
		snprintf(out, outlen, "%s:%u", ip, ntohs(in.sin_port));
	} else if (fam == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		struct sockaddr_in6 in6;

		memcpy(&in6, sa, sizeof(in6));
		inet_ntop(AF_INET6, &in6.sin6_addr, ip, sizeof(ip));
		snprintf(out, outlen, "[%s]:%u", ip, ntohs(in6.sin6_port));
	} else if (fam == AF_UNIX) {
		const char *p = (const char *)sa + sizeof(fam);
		size_t n = len - sizeof(fam);

		if (n && p[0] == 0) { /* abstract: show as @name */
			snprintf(out, outlen, "unix:@%.*s", (int)(n - 1), p + 1);
		} else {
			n = strnlen(p, n);
			snprintf(out, outlen, "unix:%.*s", (int)n, p);
		}
	} else {
		snprintf(out, outlen, "family:%u", fam);
	}
}

/* Whether the LEN captured bytes of a sockaddr whose caller gave more
 * lack part of what rec_sockaddr_format shows.  IPv4 and IPv6 addresses
 * are far shorter than the capture; a unix path is whole when its NUL was
 * captured; an abstract name runs to the caller's length. */
static int addr_cut(const char *sa, size_t len)
{
	sa_family_t fam;

	if (len < sizeof(fam))
		return 0;
	memcpy(&fam, sa, sizeof(fam));
	if (fam != AF_UNIX)
		return 0;
	sa += sizeof(fam);
	len -= sizeof(fam);
	return !len || sa[0] == 0 || !memchr(sa, 0, len);
}

/* A call's path (in PATH), address (in ADDR) and fd name, redacted once
 * the fd table has seen them whole.  Its comm was redacted already. */
static void syscall_redact(struct rec_conv *c, struct ev_syscall *ev,
			   char *path, size_t pathcap, char *addr,
			   size_t addrcap)
{
	if (ev->path)
		conv_redact(c, REDACT_PATHS, path, pathcap);
	if (ev->addr)
		conv_redact(c, REDACT_ADDRS, addr, addrcap);
	if (ev->fd_name) {
		unsigned kind = redact_name_kind(ev->fd_name);

		if (redact_active(c->rd, kind)) {
			snprintf(c->fd_name, sizeof(c->fd_name) -
				 CONV_REDACT_ROOM, "%s", ev->fd_name);
			conv_redact(c, kind, c->fd_name, sizeof(c->fd_name));
			ev->fd_name = c->fd_name;
		}
	}
}

/*
 * Payload bytes on their way to the store: the one place they pass, so
 * that what must not be kept (redaction) is taken out here.  BUF holds LEN
 * bytes of a call's data buffer, in room for CAP (CONV_REDACT_ROOM more than
 * a payload's most, for markers longer than what they replace); returns
 * the length to keep.
 */
static size_t conv_payload_filter(struct rec_conv *c, char *buf, size_t len,
				  size_t cap)
{
	return c->rd ? redact_apply(c->rd, REDACT_PAYLOAD, buf, len, cap) : len;
}

/* The payload and argument memory of an ext record's snap tail at TAIL
 * into EV (PAYLOAD and ARGS_MEM hold them); -1 when malformed. */
static int conv_snap(struct rec_conv *c, struct ev_syscall *ev,
		     const struct ks_syscall_ext *x, const char *tail,
		     char *payload, char *args_mem)
{
	size_t n;

	if (x->mem_len > KS_SNAP_MEM_BYTES || x->snap_len > KS_SNAP_MAX ||
	    rec_snap_mem(c->plan, ev, tail, x->mem_len, args_mem) < 0)
		return -1;
	if (!x->snap_len)
		return 0;
	memcpy(payload + EV_BLOB_HDR, tail + x->mem_len, x->snap_len);
	n = conv_payload_filter(c, payload + EV_BLOB_HDR, x->snap_len,
				KS_SNAP_MAX + CONV_REDACT_ROOM);
	ev->payload = ev_blob_init(payload, (uint32_t)n);
	return 0;
}

static int conv_syscall(struct rec_conv *c, const struct ks_syscall *r,
			size_t len)
{
	struct ev_syscall ev;
	char path[KS_PATH_MAX + EV_TRUNC_MARK_LEN + 1 + CONV_REDACT_ROOM];
	char addr[160 + CONV_REDACT_ROOM];
	char payload[EV_BLOB_HDR + KS_SNAP_MAX + CONV_REDACT_ROOM];
	char args_mem[EV_BLOB_HDR + KS_SNAP_MEM_BYTES];
	struct rec_fdcall fc = { 0 };
	int rc;

	memset(&ev, 0, sizeof(ev));
	ev.ts = r->hdr.ts;
	ev.dur = r->dur;
	ev.cpu = r->hdr.cpu;
	ev.pid = r->hdr.pid;
	ev.tid = r->hdr.tid;
	ev.nr = r->hdr.nr;
	ev.ret = r->ret;
	memcpy(ev.arg, r->args, sizeof(ev.arg));
	/* Unfinished calls written by the kernel side are those of a thread
	 * that exited inside them; the ones written at stop (AT_STOP) were
	 * still running. */
	if (r->hdr.flags & KS_SC_UNFINISHED)
		ev.flags |= EV_SYSCALL_UNFINISHED |
			    ((r->hdr.flags & KS_SC_AT_STOP) ? 0 : EV_SYSCALL_EXITED);
	if (r->hdr.flags & KS_SC_EARLY)
		ev.flags |= EV_SYSCALL_EARLY;
	if (r->hdr.flags & KS_SC_PATH_TRUNC)
		ev.flags |= EV_SYSCALL_PATH_TRUNC;
	ev.fd = rec_plan_fd(c->plan, ev.nr, ev.arg,
			    (r->hdr.flags & KS_SC_UNFINISHED) ? -1 : ev.ret);
	if ((rc = thread_meet(c, ev.tid, ev.pid, NULL)) < 0)
		return rc;
	ev.comm = thread_comm(c, ev.tid);
	if (r->hdr.type == KS_REC_SYSCALL_EXT) {
		const struct ks_syscall_ext *x = (const void *)r;
		const char *tail = (const char *)(x + 1);

		if (len < sizeof(*x) ||
		    sizeof(*x) + (size_t)x->path_len + x->addr_len +
		    x->mem_len + x->snap_len > len ||
		    x->path_len > KS_PATH_MAX || x->addr_len > KS_ADDR_MAX ||
		    ((r->hdr.flags & KS_SC_SNAP) &&
		     conv_snap(c, &ev, x, tail + x->path_len + x->addr_len,
			       payload, args_mem) < 0)) {
			c->bad++;
			return 0;
		}
		if (r->hdr.flags & KS_SC_PATH_UNREAD) {
			ev.path_status = EV_PATH_UNREADABLE;
		} else if (x->path_len ||
			   (c->plan->sci[ev.nr & (KS_NR_MAX - 1)] &
			    KS_SCI_PATH_MASK)) {
			memcpy(path, tail, x->path_len);
			path[x->path_len] = 0;
			if (r->hdr.flags & KS_SC_PATH_TRUNC) {
				strcat(path, EV_TRUNC_MARK);
				ev.path_status = EV_PATH_TRUNCATED;
			}
			ev.path = path;
		}
		if (x->addr_len) {
			rec_sockaddr_format(tail + x->path_len, x->addr_len, addr,
					    sizeof(addr) - EV_TRUNC_MARK_LEN);
			if ((r->hdr.flags & KS_SC_ADDR_TRUNC) &&
			    addr_cut(tail + x->path_len, x->addr_len))
				strcat(addr, EV_TRUNC_MARK);
			else
				fc.addr = addr;
			ev.addr = addr;
		}
	} else if (r->hdr.flags & KS_SC_PATH_UNREAD) {
		ev.path_status = EV_PATH_UNREADABLE;
	}
	if (!(r->hdr.flags & KS_SC_SNAP))
		rec_snap_mem(c->plan, &ev, NULL, 0, NULL);
	/* From the record, not from EV: EV's fields were just stored in
	 * pieces, and reading them back whole stalls on the stores. */
	fc.pid = r->hdr.pid;
	fc.tid = r->hdr.tid;
	fc.nr = r->hdr.nr;
	fc.fd = ev.fd;
	fc.ts = r->hdr.ts;
	fc.end = (r->hdr.flags & KS_SC_UNFINISHED) ? 0 : r->hdr.ts + r->dur;
	fc.ret = r->ret;
	fc.args = ev.arg;
	fc.path = ev.path_status == EV_PATH_OK ? ev.path : NULL;
	ev.fd_name = rec_fdtab_call(c->fds, &fc);
	/* A call the capture filters dropped: for the fd table only. */
	if (r->hdr.flags & KS_SC_BOOKKEEP)
		return 0;
	if (c->rd)
		syscall_redact(c, &ev, path, sizeof(path), addr, sizeof(addr));
	return store_writer_append(c->w, EV_SYSCALL, &ev);
}

/* Count a recorded thread's switch out (in) that follows another out
 * (in): the switch between them was not seen.  A thread seen first
 * counts nothing (it may have been running at the start); a dead one is
 * forgotten (its tid may come back). */
static void switch_gaps(struct rec_conv *c, const struct ks_switch *r)
{
	uint32_t was;

	if ((r->hdr.flags & KS_SWITCH_PREV_REC) && r->hdr.tid) {
		if (hmap_get(&c->oncpu, r->hdr.tid, &was) && !was)
			c->gaps++;
		if (r->prev_state & KS_TASK_DEAD)
			hmap_del(&c->oncpu, r->hdr.tid);
		else
			hmap_put(&c->oncpu, r->hdr.tid, 0);
	}
	if ((r->hdr.flags & KS_SWITCH_NEXT_REC) && r->next_tid) {
		if (hmap_get(&c->oncpu, r->next_tid, &was) && was)
			c->gaps++;
		hmap_put(&c->oncpu, r->next_tid, 1);
	}
}

uint64_t rec_conv_switch_gaps(const struct rec_conv *c)
{
	return c->gaps;
}

static int conv_switch(struct rec_conv *c, const struct ks_switch *r,
		       size_t len)
{
	char pc[KS_COMM_LEN], nc[KS_COMM_LEN];
	int rc;
	struct ev_switch ev = {
		.ts = r->hdr.ts, .cpu = r->hdr.cpu, .prev_tid = r->hdr.tid,
		.prev_state = r->prev_state, .prev_prio = r->prev_prio,
		.next_tid = r->next_tid, .next_prio = r->next_prio,
	};

	conv_comm(c, pc, r->prev_comm);
	conv_comm(c, nc, r->next_comm);
	ev.prev_comm = pc;
	ev.next_comm = nc;
	/* The kernel's comm is the truth.  A thread's final switch (dead)
	 * must not bring back an entry already dropped after its exit.  A
	 * recorded side is met (its threads row), the other only noted. */
	if (r->hdr.tid &&
	    !(r->prev_state & (KS_TASK_DEAD | KS_EXIT_DEAD | KS_EXIT_ZOMBIE))) {
		if (!(r->hdr.flags & KS_SWITCH_PREV_REC))
			thread_note(c, r->hdr.tid, r->hdr.pid, pc);
		else if ((rc = thread_meet(c, r->hdr.tid, r->hdr.pid, pc)) < 0)
			return rc;
	}
	if (!(r->hdr.flags & KS_SWITCH_NEXT_REC))
		thread_note(c, r->next_tid, r->next_pid, nc);
	else if ((rc = thread_meet(c, r->next_tid, r->next_pid, nc)) < 0)
		return rc;
	switch_gaps(c, r);
	if (c->stacks && r->stack_id) {
		rc = rec_stacks_note(c->stacks, c->w, ev.ts, ev.cpu,
				     ev.prev_tid, r->stack_id);
		if (rc < 0)
			return rc;
		ev.stack_id = r->stack_id;
	}
	return store_writer_append(c->w, EV_SWITCH, &ev);
}

_Static_assert((int)KS_WAKER_TASK == EV_WAKER_TASK &&
	       (int)KS_WAKER_HARDIRQ == EV_WAKER_HARDIRQ &&
	       (int)KS_WAKER_SOFTIRQ == EV_WAKER_SOFTIRQ &&
	       (int)KS_WAKER_NMI == EV_WAKER_NMI, "waker contexts stored as is");

static int conv_wakeup(struct rec_conv *c, const struct ks_wakeup *r,
		       size_t len)
{
	unsigned ctx = (r->hdr.flags >> KS_WAKEUP_CTX_SHIFT) &
		       KS_WAKEUP_CTX_MASK;
	struct ev_wakeup ev = {
		.ts = r->hdr.ts, .cpu = r->hdr.cpu, .tid = r->hdr.tid,
		.waker_tid = r->waker_tid, .target_cpu = r->target_cpu,
		.is_new = !!(r->hdr.flags & KS_WAKEUP_NEW), .prio = r->prio,
		.waker_ctx = ctx,
		.waker_irq = rec_waker_irq_name(c->irqs, ctx, r->waker_irq),
	};

	return store_writer_append(c->w, EV_WAKEUP, &ev);
}

static int conv_migrate(struct rec_conv *c, const struct ks_migrate *r,
			size_t len)
{
	struct ev_migrate ev = {
		.ts = r->hdr.ts, .cpu = r->hdr.cpu, .tid = r->hdr.tid,
		.orig_cpu = r->orig_cpu, .dest_cpu = r->dest_cpu,
	};

	return store_writer_append(c->w, EV_MIGRATE, &ev);
}

static int conv_fork(struct rec_conv *c, const struct ks_fork *r,
		     size_t len)
{
	char comm[KS_COMM_LEN];
	struct ev_proc ev = {
		.ts = r->hdr.ts, .cpu = r->hdr.cpu, .kind = EV_PROC_FORK,
		.pid = r->hdr.pid, .tid = r->hdr.tid, .ppid = r->ppid,
		.child_pid = r->child_tid, .comm = comm,
	};
	int rc;

	struct rec_task *ct;

	conv_comm(c, comm, r->comm);
	rec_tasks_del(c->threads, r->child_tid); /* an exited one's, reused */
	thread_note(c, r->child_tid, r->child_pid, comm);
	if ((ct = rec_tasks_get(c->threads, r->child_tid)))
		ct->start_ts = r->child_start;
	rc = thread_row(c, r->child_tid, r->child_pid, comm, r->child_start);
	if (rc < 0)
		return rc;
	if (!(r->hdr.flags & KS_FORK_THREAD)) {
		/* A new process starts as a copy of its parent. */
		struct rec_task *pp = rec_tasks_get(c->procs, r->hdr.pid);
		struct store_process sp = {
			.pid = r->child_pid, .ppid = r->hdr.pid,
			.start_ts = r->child_start, .comm = comm,
			.exe = pp ? pp->exe : NULL,
			.cmdline = pp ? pp->cmdline : NULL,
			.cgroup = pp ? pp->cgroup : NULL,
		};
		char container[80] = "";
		struct rec_task *t;

		if (sp.cgroup) {
			rec_cgroup_container(sp.cgroup, container,
					     sizeof(container));
			conv_redact(c, 0, container, sizeof(container));
			sp.container = container[0] ? container : NULL;
		}
		if ((rc = store_writer_process(c->w, &sp)) < 0 ||
		    (rc = rec_fdtab_fork(c->fds, r->hdr.pid, r->child_pid)) < 0)
			return rc;
		/* Copy before put: put may move pp. */
		char *exe = pp ? str_dup_or_null(pp->exe) : NULL;
		char *cmd = pp ? str_dup_or_null(pp->cmdline) : NULL;
		char *cg = pp ? str_dup_or_null(pp->cgroup) : NULL;

		if ((t = rec_tasks_put(c->procs, r->child_pid))) {
			free(t->exe);
			free(t->cmdline);
			free(t->cgroup);
			t->pid = r->hdr.pid;
			t->start_ts = r->child_start;
			comm_copy(t->comm, comm);
			t->exe = exe;
			t->cmdline = cmd;
			t->cgroup = cg;
		} else {
			free(exe);
			free(cmd);
			free(cg);
		}
	}
	return c->proc_events ? store_writer_append(c->w, EV_PROC, &ev) : 0;
}

/* A process first seen at its exec or rename (--comm recorded it from
 * there on): its processes row from /proc, or when it is gone already
 * from what the record says (PPID, COMM, EXE, CMDLINE; NULL when not
 * known), its start time unknown (0).  Its fds from before are not known
 * (fd_name stays NULL for them). */
static int proc_adopt(struct rec_conv *c, uint32_t pid, uint32_t ppid,
		      const char *comm, const char *exe, const char *cmdline)
{
	struct rec_proc_info *info;
	int rc;

	if (rec_tasks_get(c->procs, pid) || !(info = calloc(1, sizeof(*info))))
		return 0;
	if (rec_procfs_read("/proc", pid, info, c->rd) < 0) {
		memset(info, 0, sizeof(*info));
		info->pid = pid;
		info->ppid = ppid;
		comm_copy(info->comm, comm);
		snprintf(info->exe, sizeof(info->exe), "%s", exe ? exe : "");
		snprintf(info->cmdline, sizeof(info->cmdline), "%s",
			 cmdline ? cmdline : "");
	}
	rc = rec_conv_snapshot(c, info);
	free(info);
	return rc;
}

static int conv_exec(struct rec_conv *c, const struct ks_exec *r, size_t len)
{
	const char *tail = (const char *)(r + 1);
	char comm[KS_COMM_LEN];
	char fname[KS_FILENAME_MAX + EV_TRUNC_MARK_LEN + 1 + CONV_REDACT_ROOM];
	char argv[KS_ARGV_MAX + EV_TRUNC_MARK_LEN + 1 + CONV_REDACT_ROOM];
	struct ev_proc ev = {
		.ts = r->hdr.ts, .cpu = r->hdr.cpu, .kind = EV_PROC_EXEC,
		.pid = r->hdr.pid, .tid = r->hdr.tid, .ppid = r->ppid,
		.comm = comm, .filename = fname, .argv = argv,
	};
	struct rec_task *t;
	size_t an;
	int rc;

	if (sizeof(*r) + (size_t)r->filename_len + r->argv_len > len ||
	    r->filename_len > KS_FILENAME_MAX || r->argv_len > KS_ARGV_MAX) {
		c->bad++;
		return 0;
	}
	conv_comm(c, comm, r->comm);
	memcpy(fname, tail, r->filename_len);
	fname[r->filename_len] = 0;
	conv_redact(c, REDACT_PATHS, fname, sizeof(fname) - EV_TRUNC_MARK_LEN);
	if (r->hdr.flags & KS_EXEC_FNAME_TRUNC) {
		strcat(fname, EV_TRUNC_MARK);
		ev.truncated |= EV_PROC_FILENAME_TRUNC;
	}
	an = r->argv_len;
	memcpy(argv, tail + r->filename_len, an);
	/* A cut argv keeps every byte it has (a separator too), so that it
	 * is an exact prefix of the whole command line. */
	if (!(r->hdr.flags & KS_EXEC_ARGV_TRUNC))
		while (an && argv[an - 1] == 0)
			an--;
	/* argv and env see the arguments apart; patterns see them joined too */
	an = redact_apply(c->rd, REDACT_ARGV | REDACT_ENV, argv, an,
			  sizeof(argv) - EV_TRUNC_MARK_LEN);
	for (size_t i = 0; i < an; i++)
		if (!argv[i])
			argv[i] = ' ';
	argv[an] = 0;
	an = redact_apply(c->rd, 0, argv, an, sizeof(argv) - EV_TRUNC_MARK_LEN);
	if (r->hdr.flags & KS_EXEC_ARGV_TRUNC) {
		strcat(argv, EV_TRUNC_MARK);
		ev.truncated |= EV_PROC_ARGV_TRUNC;
	}
	if ((rc = proc_adopt(c, r->hdr.pid, r->ppid, comm, fname, argv)) < 0)
		return rc;
	thread_note(c, r->hdr.tid, r->hdr.pid, comm);
	if ((t = rec_tasks_get(c->threads, r->hdr.tid)) &&
	    (rc = thread_row(c, r->hdr.tid, r->hdr.pid, comm,
			     t->start_ts)) < 0)
		return rc;
	if ((t = rec_tasks_put(c->procs, r->hdr.pid))) {
		comm_copy(t->comm, comm);
		free(t->exe);
		free(t->cmdline);
		t->exe = str_dup_or_null(fname);
		t->cmdline = str_dup_or_null(argv);
	}
	rec_fdtab_exec(c->fds, r->hdr.pid, r->hdr.ts);
	rc = store_writer_process_exec(c->w, r->hdr.pid, comm, fname, argv);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	return c->proc_events ? store_writer_append(c->w, EV_PROC, &ev) : 0;
}

static int conv_exit(struct rec_conv *c, const struct ks_exit *r,
		     size_t len)
{
	char comm[KS_COMM_LEN];
	int code = (r->exit_code >> 8) & 0xff, sig = r->exit_code & 0x7f;
	struct ev_proc ev = {
		.ts = r->hdr.ts, .cpu = r->hdr.cpu, .kind = EV_PROC_EXIT,
		.pid = r->hdr.pid, .tid = r->hdr.tid, .ppid = r->ppid,
		.exit_code = code, .exit_signal = sig, .comm = comm,
	};
	int rc;

	conv_comm(c, comm, r->comm);
	if (c->proc_events && (rc = store_writer_append(c->w, EV_PROC, &ev)) < 0)
		return rc;
	thread_gone(c, r->hdr.tid);
	if (r->hdr.flags & KS_EXIT_GROUP_DEAD) {
		rec_tasks_del(c->procs, r->hdr.pid);
		rec_fdtab_exit(c->fds, r->hdr.pid);
		rc = store_writer_process_exit(c->w, r->hdr.pid, r->hdr.ts,
					       code, sig);
		if (rc < 0 && rc != -ENOENT)
			return rc;
	}
	return 0;
}

/* A thread's new name: events from here on carry it, and the threads
 * table (and the processes table, for a leader) hold it. */
static int conv_rename(struct rec_conv *c, const struct ks_rename *r,
		       size_t len)
{
	char comm[KS_COMM_LEN];
	struct rec_task *t;
	int rc;

	conv_comm(c, comm, r->comm);
	if ((rc = proc_adopt(c, r->hdr.pid, 0, comm, NULL, NULL)) < 0)
		return rc;
	thread_note(c, r->hdr.tid, r->hdr.pid, comm);
	if ((t = rec_tasks_get(c->threads, r->hdr.tid)) &&
	    (rc = thread_row(c, r->hdr.tid, r->hdr.pid, comm,
			     t->start_ts)) < 0)
		return rc;
	if (r->hdr.tid != r->hdr.pid)
		return 0;
	if ((t = rec_tasks_get(c->procs, r->hdr.pid)))
		comm_copy(t->comm, comm);
	return store_writer_process_comm(c->w, r->hdr.pid, comm);
}

static int conv_net(struct rec_conv *c, const struct ks_net *r,
		    size_t len)
{
	char sa[INET6_ADDRSTRLEN], da[INET6_ADDRSTRLEN];
	int af = r->family == 10 ? AF_INET6 : AF_INET;
	struct ev_net ev = {
		.ts = r->hdr.ts, .cpu = r->hdr.cpu, .kind = r->kind,
		.pid = r->hdr.pid, .tid = r->hdr.tid, .family = af,
		.sport = r->sport, .dport = r->dport,
		.old_state = r->old_state, .new_state = r->new_state,
		.bytes = r->bytes, .sock = r->sock, .saddr = sa, .daddr = da,
	};

	inet_ntop(af, r->saddr, sa, sizeof(sa));
	inet_ntop(af, r->daddr, da, sizeof(da));
	ev.comm = r->hdr.tid ? thread_comm(c, r->hdr.tid) : NULL;
	if (r->kind == KS_NET_STATE && r->hdr.pid)
		rec_fdtab_tcp(c->fds, r->hdr.pid, r->new_state, af, sa,
			      r->sport, da, r->dport);
	if (c->rd) {
		conv_redact(c, REDACT_ADDRS, sa, sizeof(sa));
		conv_redact(c, REDACT_ADDRS, da, sizeof(da));
	}
	return store_writer_append(c->w, EV_NET, &ev);
}

/* A process's name: its comm in the processes table, else its leader
 * thread's. */
static const char *proc_comm(struct rec_conv *c, uint32_t pid)
{
	struct rec_task *t = rec_tasks_get(c->procs, pid);

	return t && t->comm[0] ? t->comm : thread_comm(c, pid);
}

/* A signal: the comms are the kernel's at the event; a deliver's sender
 * is a process (the siginfo's si_pid), named from the tables. */
static void signal_fill(struct rec_conv *c, const struct ks_signal *r,
			struct ev_signal *ev, char sc[KS_COMM_LEN],
			char tc[KS_COMM_LEN])
{
	memset(ev, 0, sizeof(*ev));
	ev->ts = r->hdr.ts;
	ev->cpu = r->hdr.cpu;
	ev->sig = r->sig;
	ev->code = r->code;
	ev->sender_pid = r->hdr.pid;
	ev->sender_tid = r->hdr.tid;
	ev->target_pid = r->target_pid;
	ev->target_tid = r->target_tid;
	ev->result = r->result;
	conv_comm(c, sc, r->sender_comm);
	conv_comm(c, tc, r->target_comm);
	ev->sender_comm = sc[0] ? sc : NULL;
	ev->target_comm = tc[0] ? tc : NULL;
	if (!ev->sender_comm && ev->sender_pid)
		ev->sender_comm = proc_comm(c, ev->sender_pid);
}

static int conv_signal(struct rec_conv *c, const struct ks_signal *r,
		       size_t len)
{
	char sc[KS_COMM_LEN], tc[KS_COMM_LEN];
	struct ev_signal ev;

	if (r->hdr.flags != KS_SIGNAL_GENERATE &&
	    r->hdr.flags != KS_SIGNAL_DELIVER) {
		c->bad++;
		return 0;
	}
	signal_fill(c, r, &ev, sc, tc);
	ev.kind = r->hdr.flags == KS_SIGNAL_DELIVER ? EV_SIGNAL_DELIVER :
						      EV_SIGNAL_GENERATE;
	return store_writer_append(c->w, EV_SIGNAL, &ev);
}

static int conv_oom_kill(struct rec_conv *c, const struct ks_oom_kill *r,
			 size_t len)
{
	char sc[KS_COMM_LEN], tc[KS_COMM_LEN];
	char cg[KS_CGROUP_PATH + EV_TRUNC_MARK_LEN + CONV_REDACT_ROOM];
	struct ev_signal ev;

	if (r->cgroup_len > KS_CGROUP_PATH - 1) {
		c->bad++;
		return 0;
	}
	signal_fill(c, &r->sig, &ev, sc, tc);
	ev.kind = EV_SIGNAL_OOM_KILL;
	memcpy(cg, r->cgroup, r->cgroup_len);
	cg[r->cgroup_len] = 0;
	conv_redact(c, 0, cg, sizeof(cg) - EV_TRUNC_MARK_LEN);
	if (r->sig.hdr.flags & KS_OOM_CGROUP_TRUNC)
		strcat(cg, EV_TRUNC_MARK);
	ev.cgroup = cg[0] ? cg : NULL;
	return store_writer_append(c->w, EV_SIGNAL, &ev);
}

/* The fds a pipe or socketpair made go into the fd table; the call's own
 * record follows. */
static int conv_fdpair(struct rec_conv *c, const struct ks_fdpair *r,
		       size_t len)
{
	rec_fdtab_pair(c->fds, r);
	return 0;
}

static int conv_block(struct rec_conv *c, const struct ks_block *r,
		      size_t len)
{
	char comm[KS_COMM_LEN];
	struct ev_block_io ev = {
		.ts = r->hdr.ts, .dur = r->dur, .cpu = r->hdr.cpu,
		.op = rec_blk_op(r->cmd_flags), .sector = r->sector,
		.bytes = r->bytes, .pid = r->hdr.pid, .tid = r->hdr.tid,
		.error = rec_blk_errno(r->status),
	};

	if (!c->blkdevs &&
	    !(c->blkdevs = rec_names_new("/sys", rec_blkdev_read)))
		return -ENOMEM;
	if (!(ev.dev = rec_names_get(c->blkdevs, r->dev)))
		return -ENOMEM;
	conv_comm(c, comm, r->comm);
	ev.comm = comm[0] ? comm : NULL;
	return store_writer_append(c->w, EV_BLOCK_IO, &ev);
}

static int conv_syscall_ext(struct rec_conv *c,
			    const struct ks_syscall_ext *r, size_t len)
{
	return conv_syscall(c, &r->sc, len);
}

int rec_conv_record(struct rec_conv *c, const void *data, size_t len)
{
	const struct ks_hdr *h = data;
	static const size_t min_len[KS_REC_COUNT] = {
#define MIN_LEN(N, n) [KS_REC_##N] = sizeof(struct ks_##n),
		KS_RECORDS(MIN_LEN)
#undef MIN_LEN
	};

	if (len < sizeof(*h) || h->type == KS_REC_NONE ||
	    h->type >= KS_REC_COUNT || len < min_len[h->type]) {
		c->bad++;
		return 0;
	}
	switch (h->type) {
#define CONV(N, n) \
	case KS_REC_##N: \
		return conv_##n(c, data, len);
	KS_RECORDS(CONV)
#undef CONV
	}
	return 0;
}
