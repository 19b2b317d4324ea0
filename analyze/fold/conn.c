/*
 * conn.c - TCP connections folded from net_events (see conn.h).
 *
 * Batches are copied into compact records (addresses and comm interned
 * through a per-chunk memo of their dictionary indexes); the end of a
 * slice sorts the records by (ts, arrival) and applies them one by one to
 * the connection of their socket.
 */
#include "config.h"
#include "analyze/fold/conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TCP_ESTABLISHED_ 1
#define TCP_SYN_SENT_ 2
#define TCP_SYN_RECV_ 3
#define TCP_CLOSE_ 7
#define TCP_LISTEN_ 10

struct fold_conn_ev {
	uint64_t ts, sock;
	int64_t bytes;
	uint32_t kind, pid, sport, dport, old, new, seq;
	uint32_t comm, saddr, daddr;	/* interned; 0 = none */
};

int fold_conn_init(struct fold_conn *a)
{
	uint32_t zero;

	memset(a, 0, sizeof(*a));
	return report_str_intern(&a->str, "", &zero);
}

/* Interned id of string field F (comm, saddr, daddr) of row I, memo M. */
static int str_id(struct fold_conn *a, const struct store_batch *b,
		  uint32_t i, int f, int m, uint32_t *id)
{
	int64_t dix = b->col[f][i];
	const char *str;
	int rc;

	if (dix <= 0) {
		*id = 0;
		return 0;
	}
	if ((size_t)dix < a->memocap[m] && a->memo[m][dix]) {
		*id = a->memo[m][dix] - 1;
		return 0;
	}
	if ((size_t)dix >= a->memocap[m]) {
		size_t old = a->memocap[m];
		if (report_grow(&a->memo[m], &a->memocap[m], (size_t)dix + 1,
				sizeof(uint32_t)) < 0)
			return -ENOMEM;
		memset(a->memo[m] + old, 0,
		       (a->memocap[m] - old) * sizeof(uint32_t));
	}
	if ((rc = store_batch_str(b, (unsigned)f, i, &str)) < 0)
		return rc;
	if (report_str_intern(&a->str, str ? str : "", id) < 0)
		return -ENOMEM;
	a->memo[m][dix] = *id + 1;
	return 0;
}

int fold_conn_batch(struct fold_conn *a, const struct store_batch *b,
		    const uint8_t *keep)
{
	int rc;

	for (int m = 0; m < 3; m++)
		if (a->memo[m])
			memset(a->memo[m], 0, a->memocap[m] * sizeof(uint32_t));
	if (report_grow(&a->ev, &a->capev, a->nev + b->n, sizeof(*a->ev)) < 0)
		return -ENOMEM;
	for (uint32_t i = 0; i < b->n; i++) {
		struct fold_conn_ev *e = &a->ev[a->nev];

		if (keep && !keep[i])
			continue;
		*e = (struct fold_conn_ev){
			.ts = (uint64_t)b->col[EVI_NET_TS][i],
			.sock = (uint64_t)b->col[EVI_NET_SOCK][i],
			.bytes = b->col[EVI_NET_BYTES][i],
			.kind = (uint32_t)b->col[EVI_NET_KIND][i],
			.pid = (uint32_t)b->col[EVI_NET_PID][i],
			.sport = (uint32_t)b->col[EVI_NET_SPORT][i],
			.dport = (uint32_t)b->col[EVI_NET_DPORT][i],
			.old = (uint32_t)b->col[EVI_NET_OLD_STATE][i],
			.new = (uint32_t)b->col[EVI_NET_NEW_STATE][i],
			.seq = a->seq++,
		};
		if ((rc = str_id(a, b, i, EVI_NET_COMM, 0, &e->comm)) < 0 ||
		    (rc = str_id(a, b, i, EVI_NET_SADDR, 1, &e->saddr)) < 0 ||
		    (rc = str_id(a, b, i, EVI_NET_DADDR, 2, &e->daddr)) < 0)
			return rc;
		a->nev++;
	}
	return 0;
}

static int ev_cmp(const void *x_, const void *y_)
{
	const struct fold_conn_ev *x = x_, *y = y_;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A new connection of E's socket. */
static struct fold_conn_row *conn_new(struct fold_conn *a,
				      const struct fold_conn_ev *e)
{
	if (report_grow(&a->v, &a->cap, a->n + 1, sizeof(*a->v)) < 0 ||
	    hmap_put(&a->cur, e->sock, (uint32_t)a->n) < 0)
		return NULL;
	a->v[a->n] = (struct fold_conn_row){
		.sock = e->sock, .start = e->ts, .pid = e->pid,
		.comm = e->comm, .saddr = e->saddr, .daddr = e->daddr,
		.sport = e->sport, .dport = e->dport,
	};
	return &a->v[a->n++];
}

/* Whether E starts a new life of the socket C was folded from (conn.h). */
static int conn_new_life(const struct fold_conn_row *c,
			 const struct fold_conn_ev *e)
{
	if (e->kind == EV_NET_STATE && (e->old == TCP_CLOSE_ ||
					e->old == TCP_LISTEN_ ||
					e->new == TCP_SYN_SENT_))
		return 1;
	return c->sport && e->sport && c->dport && e->dport &&
	       (c->sport != e->sport || c->dport != e->dport);
}

static void conn_apply(struct fold_conn_row *c, const struct fold_conn_ev *e)
{
	int io = e->kind == EV_NET_SEND || e->kind == EV_NET_RECV;

	c->last = e->ts;
	if (c->pid && e->pid && e->pid != c->pid)
		c->handed = 1;
	/* the process that sent or received first, else the first named */
	if ((!c->pid && e->pid) || (!c->pid_io && e->pid && io)) {
		c->pid = e->pid;
		c->comm = e->comm;
		c->pid_io = io;
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
	case EV_NET_STATE:
		if (e->new == TCP_SYN_SENT_) {
			c->role = FOLD_CONN_ACTIVE;
			c->syn = e->ts;
			c->start = e->ts;
		}
		if (e->new == TCP_SYN_RECV_ || e->old == TCP_SYN_RECV_ ||
		    e->old == TCP_LISTEN_)
			c->role = c->role ? c->role : FOLD_CONN_PASSIVE;
		if (e->new == TCP_LISTEN_ ||
		    (e->old == TCP_LISTEN_ && e->new == TCP_CLOSE_))
			c->listener = 1;
		if (e->new == TCP_ESTABLISHED_ && !c->est)
			c->est = e->ts;
		if (e->new == TCP_CLOSE_) {
			c->end = e->ts;
			c->closed = 1;
			if (c->role == FOLD_CONN_ACTIVE && !c->est)
				c->failed = 1;
		}
		break;
	case EV_NET_RETRANSMIT:
		c->retrans++;
		break;
	case EV_NET_RESET_SENT:
		c->rst_sent++;
		break;
	case EV_NET_RESET_RECV:
		c->rst_recv++;
		if (c->role == FOLD_CONN_ACTIVE && !c->est)
			c->failed = 1;
		break;
	case EV_NET_SEND:
		if (e->bytes > 0)
			c->sent += (uint64_t)e->bytes;
		break;
	case EV_NET_RECV:
		if (e->bytes > 0)
			c->recv += (uint64_t)e->bytes;
		break;
	}
}

static int fold_one(struct fold_conn *a, const struct fold_conn_ev *e)
{
	struct fold_conn_row *c = NULL;
	uint32_t ix;

	if (!e->sock) {	/* a reset sent for no socket */
		if (report_grow(&a->nosock, &a->capnosock, a->nnosock + 1,
				sizeof(*a->nosock)) < 0)
			return -ENOMEM;
		a->nosock[a->nnosock++] = (struct fold_conn_nosock){
			e->pid, e->comm };
		return 0;
	}
	if (hmap_get(&a->cur, e->sock, &ix)) {
		c = &a->v[ix];
		if (conn_new_life(c, e)) {
			/* the previous life ended unseen */
			if (!c->closed) {
				c->closed = 1;
				c->end = c->last;
			}
			c = NULL;
		}
	}
	if (!c && !(c = conn_new(a, e)))
		return -ENOMEM;
	conn_apply(c, e);
	return 0;
}

int fold_conn_slice(struct fold_conn *a)
{
	int rc = 0;

	report_sort(a->ev, a->nev, sizeof(*a->ev), ev_cmp);
	for (size_t i = 0; i < a->nev && rc == 0; i++)
		rc = fold_one(a, &a->ev[i]);
	a->nev = 0;
	return rc;
}

void fold_conn_free(struct fold_conn *a)
{
	free(a->v);
	free(a->nosock);
	free(a->ev);
	for (int m = 0; m < 3; m++)
		free(a->memo[m]);
	hmap_free(&a->cur);
	report_strtab_free(&a->str);
	memset(a, 0, sizeof(*a));
}

const char *fold_conn_state(const struct fold_conn_row *c)
{
	if (c->failed)
		return "failed";
	if (c->closed)
		return "closed";
	return c->est ? "established" : "open";
}

const char *fold_conn_role(const struct fold_conn_row *c)
{
	static const char *const roles[] = { NULL, "active", "passive" };

	return roles[c->role];
}

void fold_conn_endpoint(char *buf, size_t len, const char *addr,
			uint32_t port)
{
	if (!*addr)
		snprintf(buf, len, "%s", "");
	else if (strchr(addr, ':'))
		snprintf(buf, len, "[%s]:%u", addr, port);
	else
		snprintf(buf, len, "%s:%u", addr, port);
}
