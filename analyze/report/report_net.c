/*
 * report_net.c - `kscope report FILE net`: TCP connections.
 *
 *     kscope report t.kscope net --top 20
 *
 * The window's net_events are read with store_scan (addresses and comm
 * interned through a per-chunk memo of their dictionary indexes), sorted
 * by ts, and folded into connections keyed by the `sock` column (the
 * kernel socket, stable over its life).  The kernel reuses socket memory,
 * so a state change out of CLOSE or LISTEN, or an event with other ports,
 * starts a new connection on that sock (the previous one ends at its last
 * event when its CLOSE was not seen, as for a socket handed to TIME_WAIT).
 * Listening sockets are not connections.
 * Per connection:
 *
 *   role      active when it went through SYN_SENT, passive through
 *             SYN_RECV or LISTEN
 *   connect   SYN_SENT -> ESTABLISHED
 *   lifetime  from SYN_SENT (else its first event in the window) to CLOSE
 *             (else the window's end: still open)
 *   bytes     the sums of `bytes` of its send and recv events
 *   failed    an active connection that reached CLOSE, or received a
 *             reset, without ever being ESTABLISHED
 *
 * Every row names the socket's owner as the recorder knew it (pid 0:
 * unknown; docs/RECORD.md "Who a network event belongs to"), so the
 * process of a connection is the pid of its rows.  When they name more
 * than one process (a socket used by another process than the one that
 * made or accepted it: a forked worker, a passed fd), the one that sent or
 * received first is shown and a note counts such connections.  A
 * listening socket is recognised by LISTEN or by LISTEN -> CLOSE (one that
 * was listening before the recording started).  The local port is taken from
 * the first event that has one (a connect's SYN_SENT comes before the port
 * is bound).  Events with sock 0 (a reset sent for no socket: an attempt
 * to reach a closed port) belong to no connection and are counted in a
 * note.
 */
#include "config.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define TCP_ESTABLISHED_ 1
#define TCP_SYN_SENT_ 2
#define TCP_SYN_RECV_ 3
#define TCP_CLOSE_ 7
#define TCP_LISTEN_ 10

enum { NET_STATE, NET_RETRANS, NET_RST_SENT, NET_RST_RECV, NET_SEND,
       NET_RECV };

struct nev {
	uint64_t ts, sock;
	int64_t bytes;
	uint32_t kind, pid, sport, dport, old, new, seq;
	uint32_t comm, saddr, daddr;	/* interned; 0 = none */
};

struct conn {
	uint64_t sock, start, end, last, syn, est, sent, recv;
	uint32_t pid, comm, saddr, daddr, sport, dport;
	uint32_t retrans, rst_sent, rst_recv;
	int role;	/* 0 unknown, 1 active, 2 passive */
	int closed, failed;
	int pid_io;	/* pid taken from a send or recv (process context) */
	int listener;	/* a listening socket, not a connection */
	int handed;	/* rows of more than one process */
};

struct net_scan {
	struct report *r;
	int f[16];
	struct nev *v;
	size_t n, cap;
	struct report_strtab str;	/* entry 0 is "" */
	uint32_t *memo[3];		/* per chunk: dict index -> id + 1 */
	size_t memocap[3];
};

enum { F_KIND, F_PID, F_COMM, F_SADDR, F_SPORT, F_DADDR, F_DPORT, F_OLD,
       F_NEW, F_BYTES, F_SOCK, F_NFIELDS };
static const char *const fnames[F_NFIELDS] = {
	"kind", "pid", "comm", "saddr", "sport", "daddr", "dport",
	"old_state", "new_state", "bytes", "sock"
};

/* Interned id of string field F (F_COMM, F_SADDR, F_DADDR) of row I. */
static int str_id(struct net_scan *s, const struct store_batch *b,
		  uint32_t i, int f, int m, uint32_t *id)
{
	int64_t dix = b->col[s->f[f]][i];
	const char *str;
	int rc;

	if (dix <= 0) {
		*id = 0;
		return 0;
	}
	if ((size_t)dix < s->memocap[m] && s->memo[m][dix]) {
		*id = s->memo[m][dix] - 1;
		return 0;
	}
	if ((size_t)dix >= s->memocap[m]) {
		size_t old = s->memocap[m];
		if (report_grow(&s->memo[m], &s->memocap[m], (size_t)dix + 1,
				sizeof(uint32_t)) < 0)
			return report_fail(s->r, -ENOMEM, "out of memory");
		memset(s->memo[m] + old, 0,
		       (s->memocap[m] - old) * sizeof(uint32_t));
	}
	if ((rc = store_batch_str(b, (unsigned)s->f[f], i, &str)) < 0)
		return report_store_fail(s->r, rc);
	if (report_str_intern(&s->str, str ? str : "", id) < 0)
		return report_fail(s->r, -ENOMEM, "out of memory");
	s->memo[m][dix] = *id + 1;
	return 0;
}

static int net_each(const struct store_batch *b, void *arg)
{
	struct net_scan *s = arg;
	int rc;

	for (int m = 0; m < 3; m++)
		if (s->memo[m])
			memset(s->memo[m], 0, s->memocap[m] * sizeof(uint32_t));
	if (report_grow(&s->v, &s->cap, s->n + b->n, sizeof(*s->v)) < 0)
		return report_fail(s->r, -ENOMEM, "out of memory");
	for (uint32_t i = 0; i < b->n; i++) {
		struct nev *e = &s->v[s->n];

		*e = (struct nev){
			.ts = (uint64_t)b->col[0][i],
			.sock = (uint64_t)b->col[s->f[F_SOCK]][i],
			.bytes = b->col[s->f[F_BYTES]][i],
			.kind = (uint32_t)b->col[s->f[F_KIND]][i],
			.pid = (uint32_t)b->col[s->f[F_PID]][i],
			.sport = (uint32_t)b->col[s->f[F_SPORT]][i],
			.dport = (uint32_t)b->col[s->f[F_DPORT]][i],
			.old = (uint32_t)b->col[s->f[F_OLD]][i],
			.new = (uint32_t)b->col[s->f[F_NEW]][i],
			.seq = (uint32_t)s->n,
		};
		if ((rc = str_id(s, b, i, F_COMM, 0, &e->comm)) < 0 ||
		    (rc = str_id(s, b, i, F_SADDR, 1, &e->saddr)) < 0 ||
		    (rc = str_id(s, b, i, F_DADDR, 2, &e->daddr)) < 0)
			return rc;
		s->n++;
	}
	return 0;
}

static int nev_cmp(const void *a, const void *b)
{
	const struct nev *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A new connection of E's socket. */
static struct conn *conn_new(struct conn **v, size_t *n, size_t *cap,
			     const struct nev *e)
{
	if (report_grow(v, cap, *n + 1, sizeof(**v)) < 0)
		return NULL;
	(*v)[*n] = (struct conn){
		.sock = e->sock, .start = e->ts, .pid = e->pid,
		.comm = e->comm, .saddr = e->saddr, .daddr = e->daddr,
		.sport = e->sport, .dport = e->dport,
	};
	return &(*v)[(*n)++];
}

/* Whether E starts a new life of the socket C was folded from: a state
 * change out of CLOSE or LISTEN (the kernel reuses socket memory, and the
 * CLOSE of the previous life is not always seen: a socket that went to
 * TIME_WAIT), or other ports than C's. */
static int conn_new_life(const struct conn *c, const struct nev *e)
{
	if (e->kind == NET_STATE && (e->old == TCP_CLOSE_ ||
				     e->old == TCP_LISTEN_ ||
				     e->new == TCP_SYN_SENT_))
		return 1;
	return c->sport && e->sport && c->dport && e->dport &&
	       (c->sport != e->sport || c->dport != e->dport);
}

static void conn_apply(struct conn *c, const struct nev *e)
{
	c->last = e->ts;
	if (c->pid && e->pid && e->pid != c->pid)
		c->handed = 1;
	/* the process that sent or received first, else the first named */
	if ((!c->pid && e->pid) ||
	    (!c->pid_io && e->pid && (e->kind == NET_SEND ||
				      e->kind == NET_RECV))) {
		c->pid = e->pid;
		c->comm = e->comm;
		c->pid_io = e->kind == NET_SEND || e->kind == NET_RECV;
	}
	if (!c->daddr && e->daddr) {
		c->saddr = e->saddr;
		c->daddr = e->daddr;
		c->sport = e->sport;
		c->dport = e->dport;
	}
	/* a connect's first event comes before its port is bound */
	if (!c->sport && e->sport && e->daddr == c->daddr &&
	    e->dport == c->dport) {
		c->saddr = e->saddr;
		c->sport = e->sport;
	}
	switch (e->kind) {
	case NET_STATE:
		if (e->new == TCP_SYN_SENT_) {
			c->role = 1;
			c->syn = e->ts;
			c->start = e->ts;
		}
		if (e->new == TCP_SYN_RECV_ || e->old == TCP_SYN_RECV_ ||
		    e->old == TCP_LISTEN_)
			c->role = c->role ? c->role : 2;
		if (e->new == TCP_LISTEN_ ||
		    (e->old == TCP_LISTEN_ && e->new == TCP_CLOSE_))
			c->listener = 1;
		if (e->new == TCP_ESTABLISHED_ && !c->est)
			c->est = e->ts;
		if (e->new == TCP_CLOSE_) {
			c->end = e->ts;
			c->closed = 1;
			if (c->role == 1 && !c->est)
				c->failed = 1;
		}
		break;
	case NET_RETRANS:
		c->retrans++;
		break;
	case NET_RST_SENT:
		c->rst_sent++;
		break;
	case NET_RST_RECV:
		c->rst_recv++;
		if (c->role == 1 && !c->est)
			c->failed = 1;
		break;
	case NET_SEND:
		if (e->bytes > 0)
			c->sent += (uint64_t)e->bytes;
		break;
	case NET_RECV:
		if (e->bytes > 0)
			c->recv += (uint64_t)e->bytes;
		break;
	}
}

static int conn_cmp(const void *a, const void *b)
{
	const struct conn *x = a, *y = b;
	uint64_t bx = x->sent + x->recv, by = y->sent + y->recv;

	if (bx != by)
		return bx < by ? 1 : -1;
	return x->start < y->start ? -1 : x->start > y->start;
}

struct remote {
	uint32_t daddr, dport;
	int passive;
	uint64_t conns, failed, sent, recv, retrans;
};

static int remote_cmp(const void *a, const void *b)
{
	const struct remote *x = a, *y = b;
	uint64_t bx = x->sent + x->recv, by = y->sent + y->recv;

	if (x->conns != y->conns)
		return x->conns < y->conns ? 1 : -1;
	if (bx != by)
		return bx < by ? 1 : -1;
	return x->dport < y->dport ? -1 : x->dport > y->dport;
}

static struct output_cell endpoint(struct report *r, const char *addr,
				   uint32_t port)
{
	if (!*addr)
		return OUTPUT_NULL;
	return strchr(addr, ':') ? report_textf(r, "[%s]:%u", addr, port) :
				   report_textf(r, "%s:%u", addr, port);
}

static int conn_ok(struct report *r, struct net_scan *s, const struct conn *c)
{
	if (!report_pid_ok(r, c->pid))
		return 0;
	return !r->o->comm || !strcmp(s->str.s[c->comm], r->o->comm);
}

static int end_table(struct report *r, int rc)
{
	if (r->out) {
		int erc = report_table_end(r);
		if (rc == 0)
			rc = erc;
	}
	return rc;
}

static const char *conn_state(const struct conn *c)
{
	if (c->failed)
		return "failed";
	if (c->closed)
		return "closed";
	return c->est ? "established" : "open";
}

int report_net_run(struct report *r)
{
	static const char *const ccols[] = {
		"pid", "comm", "local", "remote", "role", "start_ts",
		"lifetime_ns", "connect_ns", "sent_bytes", "recv_bytes",
		"retransmits", "resets", "state"
	};
	static const char *const fcols[] = {
		"start_ts", "pid", "comm", "remote", "reason", "after_ns"
	};
	static const char *const rcols[] = {
		"endpoint", "side", "connections", "failed", "sent_bytes",
		"recv_bytes", "retransmits"
	};
	static const char *const roles[] = { NULL, "active", "passive" };
	struct net_scan s = { .r = r };
	struct conn *cv = NULL;
	size_t nc = 0, capc = 0, nrem = 0, caprem = 0, kept = 0;
	struct hmap cur = { 0 }, remix = { 0 };
	struct remote *rem = NULL;
	uint64_t fields = 1, failed = 0, nosock = 0, handed = 0;
	uint32_t zero;
	int rc;

	for (int f = 0; f < F_NFIELDS; f++) {
		s.f[f] = report_field(EV_NET, fnames[f]);
		if (s.f[f] < 0)
			return report_fail(r, -EINVAL, "net_events lacks a "
					   "column this build needs");
		fields |= 1ull << s.f[f];
	}
	if (report_str_intern(&s.str, "", &zero) < 0)
		return report_fail(r, -ENOMEM, "out of memory");
	if ((rc = report_scan(r, EV_NET, fields, net_each, &s)) < 0)
		goto out;
	report_sort(s.v, s.n, sizeof(*s.v), nev_cmp);

	for (size_t i = 0; i < s.n; i++) {
		const struct nev *e = &s.v[i];
		struct conn *c = NULL;
		uint32_t ix;

		if (!e->sock) {	/* a reset sent for no socket */
			if (report_pid_ok(r, e->pid) && (!r->o->comm ||
			    !strcmp(s.str.s[e->comm], r->o->comm)))
				nosock++;
			continue;
		}
		if (hmap_get(&cur, e->sock, &ix)) {
			c = &cv[ix];
			if (conn_new_life(c, e)) {
				/* the previous life ended unseen */
				if (!c->closed) {
					c->closed = 1;
					c->end = c->last;
				}
				c = NULL;
			}
		}
		if (!c) {
			if (!(c = conn_new(&cv, &nc, &capc, e)) ||
			    hmap_put(&cur, e->sock, (uint32_t)(nc - 1)) < 0)
				goto oom;
		}
		conn_apply(c, e);
	}
	/* listening sockets and filtered connections out */
	for (size_t i = 0; i < nc; i++)
		if (!cv[i].listener && conn_ok(r, &s, &cv[i]))
			cv[kept++] = cv[i];
	nc = kept;

	for (size_t i = 0; i < nc; i++) {
		const struct conn *c = &cv[i];
		uint64_t key = (uint64_t)c->daddr << 16 | c->dport;
		uint32_t ix;

		failed += c->failed;
		handed += c->handed;
		if (c->role == 2)
			key = (uint64_t)c->saddr << 16 | c->sport | 1ull << 63;
		if (!hmap_get(&remix, key, &ix)) {
			if (report_grow(&rem, &caprem, nrem + 1,
					sizeof(*rem)) < 0 ||
			    hmap_put(&remix, key, (uint32_t)nrem) < 0)
				goto oom;
			rem[nrem] = c->role == 2 ?
				(struct remote){ .daddr = c->saddr,
						 .dport = c->sport,
						 .passive = 1 } :
				(struct remote){ .daddr = c->daddr,
						 .dport = c->dport };
			ix = (uint32_t)nrem++;
		}
		rem[ix].conns++;
		rem[ix].failed += c->failed;
		rem[ix].sent += c->sent;
		rem[ix].recv += c->recv;
		rem[ix].retrans += c->retrans;
	}

	report_sort(cv, nc, sizeof(*cv), conn_cmp);
	rc = report_table_begin(r, "connections", "TCP connections (most "
				"bytes first)", 13, ccols);
	for (size_t i = 0; rc == 0 && i < nc && i < r->top; i++) {
		const struct conn *c = &cv[i];
		uint64_t end = c->closed ? c->end : r->to;

		rc = report_table_row(r, (struct output_cell[]){
			c->pid ? OUTPUT_INT(c->pid) : OUTPUT_NULL,
			c->comm ? OUTPUT_TEXT(s.str.s[c->comm]) : OUTPUT_NULL,
			endpoint(r, s.str.s[c->saddr], c->sport),
			endpoint(r, s.str.s[c->daddr], c->dport),
			report_text(roles[c->role]),
			report_ts(r, (int64_t)c->start),
			report_dur(r, (int64_t)(end - c->start)),
			c->syn && c->est ? report_dur(r, (int64_t)(c->est -
								    c->syn)) :
					  OUTPUT_NULL,
			OUTPUT_INT((int64_t)c->sent),
			OUTPUT_INT((int64_t)c->recv),
			OUTPUT_INT(c->retrans),
			OUTPUT_INT((int64_t)c->rst_sent + c->rst_recv),
			OUTPUT_TEXT(conn_state(c)) });
	}
	rc = end_table(r, rc);

	if (rc == 0)
		rc = report_table_begin(r, "failed_connects", "Failed "
					"connects", 6, fcols);
	for (size_t i = 0, shown = 0; rc == 0 && i < nc && shown < r->top;
	     i++) {
		const struct conn *c = &cv[i];
		uint64_t end = c->closed ? c->end : r->to;

		if (!c->failed)
			continue;
		shown++;
		rc = report_table_row(r, (struct output_cell[]){
			report_ts(r, (int64_t)c->start),
			c->pid ? OUTPUT_INT(c->pid) : OUTPUT_NULL,
			c->comm ? OUTPUT_TEXT(s.str.s[c->comm]) : OUTPUT_NULL,
			endpoint(r, s.str.s[c->daddr], c->dport),
			OUTPUT_TEXT(c->rst_recv ? "reset by peer" :
				    "closed before established"),
			report_dur(r, (int64_t)(end - c->start)) });
	}
	rc = end_table(r, rc);

	report_sort(rem, nrem, sizeof(*rem), remote_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_endpoint", "Connections by remote "
					"endpoint (accepted ones: by local)",
					7, rcols);
	for (size_t i = 0; rc == 0 && i < nrem && i < r->top; i++)
		rc = report_table_row(r, (struct output_cell[]){
			endpoint(r, s.str.s[rem[i].daddr], rem[i].dport),
			OUTPUT_TEXT(rem[i].passive ? "local" : "remote"),
			OUTPUT_INT((int64_t)rem[i].conns),
			OUTPUT_INT((int64_t)rem[i].failed),
			OUTPUT_INT((int64_t)rem[i].sent),
			OUTPUT_INT((int64_t)rem[i].recv),
			OUTPUT_INT((int64_t)rem[i].retrans) });
	rc = end_table(r, rc);
	if (rc == 0 && nc)
		rc = report_note(r, "%zu connections, %" PRIu64 " failed", nc,
				 failed);
	else if (rc == 0)
		rc = report_note(r, "no TCP connections in this window (was "
				 "the trace recorded with -e net?)");
	if (rc == 0 && handed)
		rc = report_note(r, "%" PRIu64 " connections have rows of more "
				 "than one process (used by another process than "
				 "the one that made or accepted it); the process "
				 "shown sent or received first", handed);
	if (rc == 0 && nosock)
		rc = report_note(r, "%" PRIu64 " resets were sent for no socket"
				 " (a connection attempt to a closed port)",
				 nosock);
	goto out;
oom:
	rc = report_fail(r, -ENOMEM, "out of memory");
out:
	free(s.v);
	for (int m = 0; m < 3; m++)
		free(s.memo[m]);
	report_strtab_free(&s.str);
	free(cv);
	free(rem);
	hmap_free(&cur);
	hmap_free(&remix);
	return rc;
}
