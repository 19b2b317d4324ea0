/*
 * synth_call.c - one synthetic syscall, and what it causes later.
 *
 *     uint32_t ti = synth_thread_pick(s, t);       // who is free at t
 *     synth_syscall_make(s, ti, si, t, NULL, &e);  // e: the call itself
 *
 * How it works.  synth_syscall_make fills the event from the spec's kind
 * (synth_specs[si].sk): arguments that look like the real thing (fds among
 * those the process holds, buffers in its heap, paths drawn by the
 * flavour's habits, addresses of upstreams), a log-normal duration and a
 * result with the usual errors.  Whatever the call causes after it was
 * entered is queued on the pending-event heap (synth_pend_push): a
 * blocking call is switched out, maybe migrated, woken and switched back
 * in (synth_sched_block); a connect or accept4 opens a TCP connection whose
 * state changes, sends, receives, retransmits and close handshake follow
 * the calls that drive it.  A script step (the dynamic loader of a new
 * command) forces the path and the result.
 */
#include "config.h"
#include "tests/synth_int.h"

#include <errno.h>
#include <math.h>
#include <string.h>

/* ---- drawing ------------------------------------------------------------ */

unsigned synth_cdf_pick(struct rng *r, const double *cdf, unsigned n)
{
	double u = rng_unit(r);
	unsigned lo = 0, hi = n - 1;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static const char *path_pick(struct synth *s, enum flavor f, double *noent)
{
	unsigned c = synth_cdf_pick(&s->r, s->habit_cdf[f], PC_COUNT);

	while (!s->paths[c].n)
		c = (c + 1) % PC_COUNT;
	unsigned k = rng_zipf(&s->r, s->paths[c].n);
	*noent = s->paths[c].noent[k];
	return s->paths[c].p[k];
}

/* A user thread that is free at time T: Zipf by rank among the long-lived
 * ones, or one of the live short-lived commands.  UINT32_MAX when the few
 * draws all hit blocked threads. */
uint32_t synth_thread_pick(struct synth *s, uint64_t t)
{
	/* prune dead transients */
	for (unsigned i = 0; i < s->nlive;) {
		if (s->threads[s->live[i]].dies <= t)
			s->live[i] = s->live[--s->nlive];
		else
			i++;
	}
	for (int tries = 0; tries < 8; tries++) {
		uint32_t ti;
		if (s->nlive && rng_chance(&s->r, fmin(0.5, 0.04 * s->nlive)))
			ti = s->live[rng_below(&s->r, s->nlive)];
		else
			ti = s->hot[rng_zipf(&s->r, s->nhot)];
		const struct sthread *th = &s->threads[ti];
		if (th->busy_until <= t && th->start_ts <= t && th->dies > t)
			return ti;
	}
	/* a busy moment: the next free thread down the ranks */
	for (unsigned k = rng_zipf(&s->r, s->nhot), n = 0; n < s->nhot;
	     n++, k = k + 1 < s->nhot ? k + 1 : 0) {
		const struct sthread *th = &s->threads[s->hot[k]];
		if (th->busy_until <= t)
			return s->hot[k];
	}
	return UINT32_MAX;
}

/* ---- what a syscall causes ---------------------------------------------- */

static uint32_t waker_pick(struct synth *s, const struct sthread *th)
{
	if (rng_chance(&s->r, 0.5))
		return 0;
	if (rng_chance(&s->r, 0.3) && s->nkthreads)
		return s->threads[s->kthreads[rng_below(&s->r, s->nkthreads)]]
			.tid;
	uint32_t w = s->hot[rng_zipf(&s->r, s->nhot)];
	return s->threads[w].tid != th->tid ? s->threads[w].tid : 0;
}

/* TH blocks in a call entered at TS for DUR ns: it is switched out with
 * STATE, woken by WAKER (0: interrupt or timer) and switched back in. */
void synth_sched_block(struct synth *s, struct sthread *th, uint64_t ts,
		       uint64_t dur, int64_t state, uint32_t waker)
{
	uint64_t out = ts + 600 + rng_below(&s->r, 2000);
	uint64_t lat = 2000 + rng_dur(&s->r, 6000, 1.0);
	if (out + 2 * lat >= ts + dur)
		lat = (ts + dur > out) ? (ts + dur - out) / 3 : 0;
	uint64_t wake = ts + dur - 2 * lat, in = ts + dur - lat;
	if (wake < out)
		wake = out;
	if (in < wake)
		in = wake;

	struct pend *p = synth_pend_push(s, EV_SWITCH, out);
	if (!p)
		return;
	p->fix = FIX_SWITCH_OUT;
	p->u.sw.cpu = th->cpu;
	p->u.sw.prev_tid = th->tid;
	p->u.sw.prev_comm = th->comm;
	p->u.sw.prev_state = state;
	p->u.sw.prev_prio = th->prio;

	uint32_t orig = th->cpu;
	if (s->info.cpus > 1 && rng_chance(&s->r, 0.08)) {
		uint32_t dest = rng_below(&s->r, s->info.cpus - 1);
		dest += dest >= orig;
		p = synth_pend_push(s, EV_MIGRATE, wake);
		if (!p)
			return;
		p->u.mg.cpu = orig;
		p->u.mg.tid = th->tid;
		p->u.mg.orig_cpu = orig;
		p->u.mg.dest_cpu = dest;
		th->cpu = dest;
	}
	p = synth_pend_push(s, EV_WAKEUP, wake);
	if (!p)
		return;
	p->u.wk.cpu = waker ? rng_below(&s->r, s->info.cpus) : th->cpu;
	p->u.wk.tid = th->tid;
	p->u.wk.waker_tid = waker;
	p->u.wk.target_cpu = th->cpu;
	p->u.wk.prio = th->prio;

	p = synth_pend_push(s, EV_SWITCH, in);
	if (!p)
		return;
	p->fix = FIX_SWITCH_IN;
	p->u.sw.cpu = th->cpu;
	p->u.sw.next_tid = th->tid;
	p->u.sw.next_comm = th->comm;
	p->u.sw.next_prio = th->prio;
}

static struct pend *net_push(struct synth *s, const struct conn *c,
			     uint64_t ts, enum ev_net_kind kind,
			     unsigned old_state, unsigned new_state,
			     int64_t bytes)
{
	const struct sthread *th = &s->threads[c->thread];
	struct pend *p = synth_pend_push(s, EV_NET, ts);

	if (!p)
		return NULL;
	p->u.nt.cpu = th->cpu;
	p->u.nt.kind = kind;
	p->u.nt.pid = s->procs[th->proc].pid;
	p->u.nt.tid = th->tid;
	p->u.nt.comm = th->comm;
	p->u.nt.family = c->family;
	p->u.nt.saddr = c->saddr;
	p->u.nt.sport = c->sport;
	p->u.nt.daddr = c->daddr;
	p->u.nt.dport = c->dport;
	p->u.nt.old_state = old_state;
	p->u.nt.new_state = new_state;
	p->u.nt.bytes = bytes;
	p->u.nt.sock = c->sock;
	return p;
}

static int32_t conn_new(struct synth *s, uint32_t thread, int32_t fd,
			int client)
{
	int32_t ci;

	if (s->free_conn >= 0) {
		ci = s->free_conn;
		s->free_conn = s->conns[ci].fd;
	} else {
		struct conn *c = synth_grow(s->conns, &s->conns_cap,
					    s->nconns + 1, sizeof(*c));
		if (!c) {
			s->err = -ENOMEM;
			return -1;
		}
		s->conns = c;
		ci = (int32_t)s->nconns++;
	}
	struct conn *c = &s->conns[ci];
	memset(c, 0, sizeof(*c));
	c->thread = thread;
	c->fd = fd;
	c->client = client;
	c->sock = s->next_sock;
	s->next_sock += 0x40 * (1 + rng_below(&s->r, 64));
	c->ops_left = 1 + (unsigned)rng_exp(&s->r, 24);
	return ci;
}

static void conn_free(struct synth *s, int32_t ci)
{
	struct sthread *th = &s->threads[s->conns[ci].thread];

	for (unsigned i = 0; i < th->nconns; i++)
		if (th->conns[i] == ci) {
			th->conns[i] = th->conns[--th->nconns];
			break;
		}
	s->conns[ci].fd = s->free_conn;
	s->free_conn = ci;
}

/* The TCP close handshake of C, starting at TS. */
static void conn_close(struct synth *s, int32_t ci, uint64_t ts, int reset)
{
	struct conn *c = &s->conns[ci];
	uint64_t rtt = (uint64_t)c->rtt;

	if (reset) {
		net_push(s, c, ts, EV_NET_RESET_SENT, 0, 0, 0);
		net_push(s, c, ts, EV_NET_STATE, TCP_EST, TCP_CLOSE, 0);
	} else if (c->client) {
		net_push(s, c, ts, EV_NET_STATE, TCP_EST, TCP_FIN_WAIT1, 0);
		net_push(s, c, ts + rtt, EV_NET_STATE, TCP_FIN_WAIT1,
			 TCP_FIN_WAIT2, 0);
		net_push(s, c, ts + rtt + rtt / 4, EV_NET_STATE,
			 TCP_FIN_WAIT2, TCP_TIME_WAIT, 0);
	} else {
		net_push(s, c, ts, EV_NET_STATE, TCP_EST, TCP_CLOSE_WAIT, 0);
		net_push(s, c, ts + 2000, EV_NET_STATE, TCP_CLOSE_WAIT,
			 TCP_LAST_ACK, 0);
		net_push(s, c, ts + 2000 + rtt, EV_NET_STATE, TCP_LAST_ACK,
			 TCP_CLOSE, 0);
	}
	s->threads[c->thread].pending_close = c->fd;
	conn_free(s, ci);
}

static const char *local_ip(unsigned family)
{
	return family == AF_INET6_ ? "fd00:10::10" : "10.0.0.10";
}
/* ---- one syscall -------------------------------------------------------- */

static const unsigned read_sizes[] = { 4096, 8192, 16384, 65536, 832, 1024,
				       131072, 512 };

static uint32_t fd_pick(struct synth *s, const struct sproc *p)
{
	unsigned n = p->nfds + p->nopen;
	return 3 + (n ? rng_zipf(&s->r, n) : 0);
}

/* Fill E with a syscall of spec SI entered by TH at TS, and queue what it
 * causes.  STEP (may be NULL) forces the path and the return value. */
void synth_syscall_make(struct synth *s, uint32_t ti, unsigned si,
			uint64_t ts, const struct script_step *step,
			struct ev_syscall *e)
{
	struct sthread *th = &s->threads[ti];
	struct sproc *p = &s->procs[th->proc];
	const struct sc_spec *sp = &synth_specs[si];
	struct rng *r = &s->r;
	uint64_t dur = rng_dur(r, sp->median_ns ? sp->median_ns : 1000,
			       sp->sigma);
	int64_t state = -1; /* >= 0: blocks with this task state */
	uint32_t waker = 0;
	double noent = 0;
	int32_t ci = -1;

	memset(e, 0, sizeof(*e));
	e->ts = ts;
	e->cpu = th->cpu;
	e->pid = p->pid;
	e->tid = th->tid;
	e->nr = s->nr[si];
	e->comm = th->comm;
	e->fd = -1;

	switch (sp->sk) {
	case SK_READ:
	case SK_WRITE:
	case SK_RECV:
	case SK_SEND: {
		int sock = sp->sk == SK_RECV || sp->sk == SK_SEND ||
			   (th->nconns && rng_chance(r, 0.3));
		int in = sp->sk == SK_READ || sp->sk == SK_RECV;
		uint64_t want = in ? read_sizes[rng_below(r, 8)] :
				     (uint64_t)fmin(1 << 20, rng_dur(r, 300, 1.3));
		if (sock && th->nconns) {
			ci = th->conns[rng_below(r, th->nconns)];
			e->fd = s->conns[ci].fd;
		} else {
			e->fd = (int32_t)fd_pick(s, p);
			if (sock && in && p->flavor != FL_DB)
				e->addr = "127.0.0.53:53";
		}
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf;
		e->arg[2] = want;
		if (sp->sk == SK_RECV || sp->sk == SK_SEND)
			e->arg[3] = sp->sk == SK_SEND ? 0x4000 : 0x40;
		if (in && sock && rng_chance(r, p->flavor == FL_SERVER ? 0.35 :
					     0.15)) {
			e->ret = -E_AGAIN;
			dur = rng_dur(r, 900, 0.4);
		} else if (in) {
			e->ret = (int64_t)fmin((double)want,
					       rng_dur(r, 600, 1.5));
			if (rng_chance(r, 0.03))
				e->ret = 0; /* EOF */
		} else {
			e->ret = (int64_t)want;
			if (sock && rng_chance(r, 0.001))
				e->ret = -E_PIPE;
		}
		if (!sock && in && p->flavor == FL_DAEMON &&
		    rng_chance(r, 0.2)) {
			/* a pipe or an inotify fd: sleeps until data */
			dur = rng_dur(r, 5 * MS, 2.0);
			state = 1;
		}
		if (ci >= 0 && e->ret > 0) {
			struct conn *c = &s->conns[ci];
			net_push(s, c, ts + dur / 2, in ? EV_NET_RECV :
				 EV_NET_SEND, 0, 0, e->ret);
			if (!in && rng_chance(r, 0.004))
				net_push(s, c, ts + 200 * MS +
					 rng_dur(r, 20 * MS, 0.5),
					 EV_NET_RETRANSMIT, TCP_EST, TCP_EST,
					 e->ret < 1448 ? e->ret : 1448);
			if (--c->ops_left == 0 || rng_chance(r, 0.0005))
				conn_close(s, ci, ts + dur + 1000,
					   !c->client && rng_chance(r, 0.01));
		} else if (ci >= 0 && e->ret == 0) {
			conn_close(s, ci, ts + dur + 1000, 0);
		}
		break;
	}
	case SK_PREAD:
	case SK_PWRITE:
		e->fd = (int32_t)fd_pick(s, p);
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf;
		e->arg[2] = 8192;
		e->arg[3] = (uint64_t)rng_below(r, 1 << 18) * 8192;
		e->ret = 8192;
		if (sp->sk == SK_PREAD && rng_chance(r, 0.02)) {
			/* page-cache miss: waits for the disk */
			dur = rng_dur(r, 150 * US, 0.8);
			state = 2;
		}
		break;
	case SK_FUTEX:
		e->arg[0] = th->futex;
		if (rng_chance(r, 0.6)) {
			e->arg[1] = 128; /* FUTEX_WAIT_PRIVATE */
			e->arg[2] = 2;
			dur = rng_dur(r, 60 * US, 2.0);
			state = 1;
			if (rng_chance(r, 0.1)) {
				e->ret = -E_AGAIN;
				dur = rng_dur(r, 900, 0.4);
				state = -1;
			} else if (rng_chance(r, 0.05)) {
				e->arg[3] = th->buf + 0x100;
				e->ret = -E_TIMEDOUT;
			}
			const struct sproc *pp = p;
			if (state >= 0 && rng_chance(r, 0.8)) {
				/* another thread of the process */
				uint32_t w = s->hot[rng_zipf(&s->r, s->nhot)];
				if (s->threads[w].proc == th->proc)
					waker = s->threads[w].tid;
				else
					waker = pp->pid;
			}
		} else {
			e->arg[1] = 129; /* FUTEX_WAKE_PRIVATE */
			e->arg[2] = 1;
			e->ret = rng_chance(r, 0.6);
		}
		break;
	case SK_POLL:
		e->fd = (int32_t)fd_pick(s, p);
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf + 0x2000;
		e->arg[2] = p->flavor == FL_SERVER ? 512 : 64;
		e->arg[3] = rng_chance(r, 0.5) ? (uint64_t)-1 : 1000;
		if (rng_chance(r, 0.15)) {
			e->ret = 0; /* timeout */
			dur = rng_dur(r, 100 * MS, 1.0);
		} else {
			e->ret = 1 + rng_zipf(r, 16);
		}
		state = 1;
		if (rng_chance(r, 0.001)) {
			e->ret = -E_INTR;
		}
		break;
	case SK_SLEEP: {
		static const uint64_t naps[] = { 1 * MS, 10 * MS, 100 * MS,
						 50 * US, 1 * SEC, 5 * MS };
		uint64_t nap = naps[rng_below(r, ARRAY_SIZE(naps))];
		dur = nap + rng_dur(r, 55 * US, 0.5);
		e->arg[0] = 1; /* CLOCK_MONOTONIC */
		e->arg[2] = th->buf + 0x40;
		state = 1;
		break;
	}
	case SK_OPEN:
	case SK_STAT: {
		const char *path = step && step->path ? step->path :
				   path_pick(s, p->flavor, &noent);
		if (step && step->path)
			noent = 0;
		e->path = path;
		e->arg[1] = th->buf + 0x800;
		if (sp->sk == SK_OPEN) {
			e->arg[0] = AT_FDCWD_;
			e->arg[2] = 0x80000; /* O_RDONLY | O_CLOEXEC */
			e->ret = 3 + p->nfds + p->nopen;
		} else if (!*path) {
			e->fd = 3 + (int32_t)p->nopen; /* fstat through AT_EMPTY_PATH */
			e->arg[0] = (uint64_t)e->fd;
			e->arg[3] = 0x1000;
		} else {
			e->arg[0] = AT_FDCWD_;
		}
		if (step && step->ret_set) {
			e->ret = step->ret;
		} else if (rng_chance(r, noent)) {
			e->ret = -E_NOENT;
			dur = dur * 2 / 3;
		} else if ((strncmp(path, "/etc/shadow", 11) == 0 ||
			    strncmp(path, "/root/", 6) == 0) &&
			   rng_chance(r, 0.9)) {
			e->ret = -E_ACCES;
		}
		if (sp->sk == SK_OPEN && e->ret >= 0)
			p->nopen++;
		break;
	}
	case SK_CLOSE:
		if (th->pending_close >= 0) {
			e->fd = th->pending_close;
			th->pending_close = -1;
		} else if (p->nopen) {
			e->fd = 3 + (int32_t)(p->nfds + --p->nopen);
		} else {
			e->fd = (int32_t)fd_pick(s, p);
			if (rng_chance(r, 0.02))
				e->ret = -E_BADF;
		}
		e->arg[0] = (uint64_t)e->fd;
		break;
	case SK_FD:
	case SK_IOCTL:
	case SK_FSYNC:
		e->fd = (int32_t)fd_pick(s, p);
		e->arg[0] = (uint64_t)e->fd;
		if (sp->sk == SK_IOCTL) {
			e->arg[1] = 0x5401; /* TCGETS */
			e->arg[2] = th->buf + 0x300;
			if (rng_chance(r, 0.6))
				e->ret = -E_NOTTY;
		} else if (sp->sk == SK_FSYNC) {
			state = 2;
		} else {
			e->arg[1] = th->buf + 0x600;
			if (strcmp(sp->name, "getdents64") == 0) {
				e->arg[2] = 32768;
				e->ret = rng_chance(r, 0.4) ? 0 :
					 24 * (1 + rng_zipf(r, 400));
			}
		}
		break;
	case SK_MMAP:
		e->arg[1] = 4096ULL << rng_below(r, 10);
		e->arg[2] = 3;    /* PROT_READ | PROT_WRITE */
		e->arg[3] = 0x22; /* MAP_PRIVATE | MAP_ANONYMOUS */
		e->arg[4] = (uint64_t)-1;
		p->mmap_next -= (e->arg[1] + 4095) & ~4095ULL;
		e->ret = (int64_t)p->mmap_next;
		break;
	case SK_MEM:
		e->arg[0] = p->mmap_next + ((uint64_t)rng_below(r, 256) << 12);
		e->arg[1] = 4096ULL << rng_below(r, 8);
		e->arg[2] = 1;
		break;
	case SK_BRK:
		e->arg[0] = rng_chance(r, 0.3) ? 0 : p->heap + 0x21000;
		p->heap += e->arg[0] ? 0x21000 : 0;
		e->ret = (int64_t)p->heap;
		break;
	case SK_CONNECT: {
		unsigned u = p->flavor == FL_SHORT || p->flavor == FL_DAEMON ?
			     rng_below(r, SYNTH_NUPSTREAMS) :
			     rng_zipf(r, 6);
		e->fd = 3 + (int32_t)(p->nfds + p->nopen + th->nconns);
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf + 0x900;
		e->arg[2] = synth_upstreams[u].family == AF_INET6_ ? 28 : 16;
		e->addr = synth_intern(s, synth_upstreams[u].family ==
				       AF_INET6_ ? "[%s]:%u" : "%s:%u",
				       synth_upstreams[u].ip,
				       synth_upstreams[u].port);
		if (th->nconns >= ARRAY_SIZE(th->conns)) {
			e->ret = -E_INPROGRESS;
			break;
		}
		ci = conn_new(s, ti, e->fd, 1);
		if (ci < 0)
			break;
		struct conn *c = &s->conns[ci];
		c->family = synth_upstreams[u].family;
		c->saddr = local_ip(c->family);
		c->daddr = synth_upstreams[u].ip;
		c->sport = 32768 + rng_below(r, 28232);
		c->dport = synth_upstreams[u].port;
		c->rtt = synth_upstreams[u].rtt_us * US *
			 exp(0.3 * rng_normal(r));
		int refused = rng_chance(r, synth_upstreams[u].refused);
		e->ret = refused ? -E_CONNREFUSED :
			 rng_chance(r, 0.8) ? -E_INPROGRESS : 0;
		if (e->ret != -E_INPROGRESS)
			dur += (uint64_t)c->rtt;
		net_push(s, c, ts + 1500, EV_NET_STATE, TCP_CLOSE,
			 TCP_SYN_SENT, 0);
		if (refused) {
			uint64_t tr = ts + 1500 + (uint64_t)c->rtt;
			if (tr > ts + dur)
				tr = ts + dur - 200;
			net_push(s, c, tr, EV_NET_RESET_RECV, 0, 0, 0);
			net_push(s, c, tr, EV_NET_STATE, TCP_SYN_SENT,
				 TCP_CLOSE, 0);
			s->conns[ci].fd = s->free_conn;
			s->free_conn = ci;
			th->pending_close = e->fd;
		} else {
			net_push(s, c, ts + 1500 + (uint64_t)c->rtt,
				 EV_NET_STATE, TCP_SYN_SENT, TCP_EST, 0);
			th->conns[th->nconns++] = ci;
		}
		break;
	}
	case SK_ACCEPT: {
		e->fd = (int32_t)(3 + rng_below(r, 3));
		e->arg[0] = (uint64_t)e->fd;
		e->arg[1] = th->buf + 0xa00;
		e->arg[2] = th->buf + 0xa80;
		e->arg[3] = 0x80800; /* SOCK_CLOEXEC | SOCK_NONBLOCK */
		if (!p->listen_ip || th->nconns >= ARRAY_SIZE(th->conns) ||
		    rng_chance(r, 0.4)) {
			e->ret = -E_AGAIN;
			break;
		}
		int32_t fd = 3 + (int32_t)(p->nfds + p->nopen + th->nconns);
		ci = conn_new(s, ti, fd, 0);
		if (ci < 0)
			break;
		struct conn *c = &s->conns[ci];
		c->family = p->listen_family;
		c->saddr = p->listen_ip;
		c->sport = p->listen_port;
		c->daddr = c->family == AF_INET6_ ?
			   synth_intern(s, "2001:db8:%x::%x", rng_below(r, 64),
					1 + rng_below(r, 4000)) :
			   synth_intern(s, "10.%u.%u.%u", rng_below(r, 4),
					rng_below(r, 8), 2 + rng_below(r, 250));
		c->dport = 32768 + rng_below(r, 28232);
		c->rtt = 200 * US * exp(0.5 * rng_normal(r));
		e->addr = synth_intern(s, c->family == AF_INET6_ ? "[%s]:%u" :
				       "%s:%u", c->daddr, c->dport);
		e->ret = fd;
		net_push(s, c, ts + 300, EV_NET_STATE, TCP_SYN_RECV, TCP_EST,
			 0);
		th->conns[th->nconns++] = ci;
		break;
	}
	case SK_SOCKET:
		e->arg[0] = rng_chance(r, 0.8) ? 2 : 10;
		e->arg[1] = 0x80801; /* SOCK_STREAM | NONBLOCK | CLOEXEC */
		e->ret = 3 + p->nfds + p->nopen;
		break;
	case SK_GETPID:
		e->ret = p->pid;
		break;
	case SK_GETTID:
		e->ret = th->tid;
		break;
	case SK_GETRANDOM:
		e->arg[0] = th->buf + 0xc0;
		e->arg[1] = 16;
		e->ret = 16;
		break;
	case SK_SIMPLE:
		if (strcmp(sp->name, "sched_yield") == 0 && rng_chance(r, 0.3))
			state = 0; /* yields the cpu */
		if (strcmp(sp->name, "rt_sigprocmask") == 0) {
			e->arg[1] = th->buf + 0x700;
			e->arg[2] = th->buf + 0x780;
			e->arg[3] = 8;
		}
		break;
	case SK_CLONE:
	case SK_EXECVE:
	case SK_EXIT:
	case SK_WAIT:
		break; /* made by proc_spawn */
	}
	if (step && step->ret_set)
		e->ret = step->ret;
	/* a short-lived command's calls end before it does */
	if (th->dies != UINT64_MAX && ts + dur + 20 * US > th->dies)
		dur = th->dies > ts + 20 * US ? (th->dies - ts - 20 * US) / 2 + 1
					       : 1;
	if (state < 0 && dur > 300 * US)
		state = 2; /* long enough to have slept on something */
	if (state >= 0 && dur > 20 * US) {
		if (!waker && state == 1)
			waker = waker_pick(s, th);
		synth_sched_block(s, th, ts, dur, state, waker);
	}
	e->dur = dur;
	th->busy_until = ts + dur + 200;
}
