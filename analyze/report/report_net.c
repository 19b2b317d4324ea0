/*
 * report_net.c - `kscope report FILE net`: TCP connections.
 *
 *     kscope report t.kscope net --top 20
 *
 * The window's net_events are read with store_scan and folded into
 * connections by analyze/fold/conn.h (the TUI's Connections view shows
 * the same rows): one per life of a kernel socket, listening sockets
 * left out.  Per connection: role (active, passive), connect latency,
 * lifetime, bytes each way, retransmits, resets and its state; then the
 * failed connects and the connections by remote endpoint (accepted ones
 * by local endpoint).  --pid and --comm keep the connections of that
 * process (the one that sent or received first, else the first named).
 * Events with sock 0 (a reset sent for no socket: an attempt to reach a
 * closed port) belong to no connection and are counted in a note.
 * Merged (--merge), each trace is folded alone: its connections are
 * listed with their host (times on their trace's clock), and remote
 * endpoints add up by address and port across hosts (clients of one
 * peer), except loopback peers and accepted connections' local
 * endpoints, which are their host's and keyed by (host, endpoint).
 */
#include "config.h"
#include "analyze/fold/conn.h"
#include "analyze/output/plural.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int net_batch(const struct store_batch *b, void *arg)
{
	return fold_conn_batch(arg, b, NULL);
}

/* A connection of trace TRACE, whose strings are A's. */
struct net_conn {
	struct fold_conn_row c;
	const struct fold_conn *a;
	uint32_t trace;
};

static int conn_cmp(const void *a, const void *b)
{
	const struct net_conn *x = a, *y = b;
	uint64_t bx = x->c.sent + x->c.recv, by = y->c.sent + y->c.recv;

	if (bx != by)
		return bx < by ? 1 : -1;
	if (x->c.start != y->c.start)
		return x->c.start < y->c.start ? -1 : 1;
	return x->trace < y->trace ? -1 : x->trace > y->trace;
}

struct remote {
	const char *addr;
	uint32_t dport;
	int passive;
	int32_t host;	/* the host of a host's own endpoint; else -1 */
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

/* What the net report gathers over one trace or several. */
struct net {
	struct fold_conn *acc;		/* per trace */
	size_t nacc;
	struct net_conn *cv;
	size_t nc, capc;
	struct remote *rem;
	size_t nrem, caprem;
	struct report_strtab keys;	/* parallel to rem */
	uint64_t failed, nosock, handed;
};

static struct output_cell endpoint(struct report *r, const char *addr,
				   uint32_t port)
{
	char buf[128];

	if (!*addr)
		return OUTPUT_NULL;
	fold_conn_endpoint(buf, sizeof(buf), addr, port);
	return report_textf(r, "%s", buf);
}

/* Whether the process PID named COMM passes --pid and --comm. */
static int owner_ok(struct report *r, const struct fold_conn *a,
		    uint32_t pid, uint32_t comm)
{
	if (!report_pid_ok(r, pid))
		return 0;
	return !r->o->comm || !strcmp(fold_conn_str(a, comm), r->o->comm);
}

/* Whether ADDR is a loopback address: a host's own, whoever names it. */
static int loopback(const char *addr)
{
	return !strncmp(addr, "127.", 4) || !strcmp(addr, "::1") ||
	       !strncmp(addr, "::ffff:127.", 11);
}

/* Connection C of host HOST into its endpoint's row.  0 or -ENOMEM. */
static int remote_add(struct net *n, const struct fold_conn *a,
		      const struct fold_conn_row *c, uint32_t host)
{
	int passive = c->role == FOLD_CONN_PASSIVE;
	const char *addr = fold_conn_str(a, passive ? c->saddr : c->daddr);
	uint32_t port = passive ? c->sport : c->dport;
	int32_t h = passive || loopback(addr) ? (int32_t)host : -1;
	char key[192];
	uint32_t ix;

	snprintf(key, sizeof(key), "%d %d %u %s", h, passive, port, addr);
	if (report_str_intern(&n->keys, key, &ix) < 0 ||
	    report_grow(&n->rem, &n->caprem, n->keys.n, sizeof(*n->rem)) < 0)
		return -ENOMEM;
	if (ix == n->nrem)
		n->rem[n->nrem++] = (struct remote){ .addr = addr,
			.dport = port, .passive = passive, .host = h };
	n->rem[ix].conns++;
	n->rem[ix].failed += c->failed;
	n->rem[ix].sent += c->sent;
	n->rem[ix].recv += c->recv;
	n->rem[ix].retrans += c->retrans;
	return 0;
}

/* Trace T (the one report_merge_use chose, or the only one) folded into
 * n->acc[T]: its connections that pass the filters, their endpoints. */
static int net_gather(struct report *r, struct net *n, size_t t,
		      uint32_t host)
{
	struct fold_conn *a = &n->acc[t];
	int rc;

	rc = report_scan(r, EV_NET, FOLD_CONN_FIELDS, net_batch, a);
	if (rc == 0)
		rc = fold_conn_slice(a);
	if (rc == -ENOMEM)
		return report_fail(r, rc, "out of memory");
	if (rc < 0)
		return r->err[0] ? rc : report_store_fail(r, rc);
	for (size_t i = 0; i < a->nnosock; i++)
		n->nosock += owner_ok(r, a, a->nosock[i].pid,
				      a->nosock[i].comm);
	/* listening sockets and filtered connections out */
	for (size_t i = 0; i < a->n; i++) {
		const struct fold_conn_row *c = &a->v[i];

		if (c->listener || !owner_ok(r, a, c->pid, c->comm))
			continue;
		if (report_grow(&n->cv, &n->capc, n->nc + 1,
				sizeof(*n->cv)) < 0 ||
		    remote_add(n, a, c, host) < 0)
			return report_fail(r, -ENOMEM, "out of memory");
		n->cv[n->nc++] = (struct net_conn){ *c, a, (uint32_t)t };
		n->failed += c->failed;
		n->handed += c->handed;
	}
	return 0;
}

/* A merged report's host column: host index H's name (-1: none). */
static struct output_cell host_cell(const struct report *r, int32_t h)
{
	return h >= 0 ? report_text(r->hosts[h]) : OUTPUT_NULL;
}

/* The tables and the notes over N (one trace, or several merged: then the
 * rows lead with their host). */
static int net_print(struct report *r, struct net *n)
{
	static const char *const ccols[] = {
		"host", "pid", "comm", "local", "remote", "role", "start_ts",
		"lifetime_ns", "connect_ns", "sent_bytes", "recv_bytes",
		"retransmits", "resets", "state"
	};
	static const char *const fcols[] = {
		"host", "start_ts", "pid", "comm", "remote", "reason",
		"after_ns"
	};
	static const char *const rcols[] = {
		"host", "endpoint", "side", "connections", "failed",
		"sent_bytes", "recv_bytes", "retransmits"
	};
	int merged = r->hosts != NULL;
	int rc;

	report_sort(n->cv, n->nc, sizeof(*n->cv), conn_cmp);
	rc = report_table_begin(r, "connections", "TCP connections (most "
				"bytes first)", 13 + merged, ccols + !merged);
	for (size_t i = 0; rc == 0 && i < n->nc && i < r->top; i++) {
		const struct fold_conn_row *c = &n->cv[i].c;
		const struct fold_conn *a = n->cv[i].a;
		uint64_t end;

		if (merged)
			report_merge_use(r, n->cv[i].trace);
		end = fold_conn_end(c, r->to);
		rc = report_table_row(r, (struct output_cell[]){
			host_cell(r, merged ? (int32_t)report_merge_host(r,
					n->cv[i].trace) : -1),
			c->pid ? OUTPUT_INT(c->pid) : OUTPUT_NULL,
			c->comm ? OUTPUT_TEXT(fold_conn_str(a, c->comm)) :
				  OUTPUT_NULL,
			endpoint(r, fold_conn_str(a, c->saddr), c->sport),
			endpoint(r, fold_conn_str(a, c->daddr), c->dport),
			report_text(fold_conn_role(c)),
			report_ts(r, (int64_t)c->start),
			report_dur(r, (int64_t)(end - c->start)),
			c->syn && c->est ? report_dur(r, (int64_t)(c->est -
								    c->syn)) :
					  OUTPUT_NULL,
			OUTPUT_INT((int64_t)c->sent),
			OUTPUT_INT((int64_t)c->recv),
			OUTPUT_INT(c->retrans),
			OUTPUT_INT((int64_t)c->rst_sent + c->rst_recv),
			OUTPUT_TEXT(fold_conn_state(c)) } + !merged);
	}
	rc = report_table_close(r, rc);

	if (rc == 0)
		rc = report_table_begin(r, "failed_connects", "Failed "
					"connects", 6 + merged,
					fcols + !merged);
	for (size_t i = 0, shown = 0; rc == 0 && i < n->nc && shown < r->top;
	     i++) {
		const struct fold_conn_row *c = &n->cv[i].c;
		const struct fold_conn *a = n->cv[i].a;
		uint64_t end;

		if (!c->failed)
			continue;
		shown++;
		if (merged)
			report_merge_use(r, n->cv[i].trace);
		end = fold_conn_end(c, r->to);
		rc = report_table_row(r, (struct output_cell[]){
			host_cell(r, merged ? (int32_t)report_merge_host(r,
					n->cv[i].trace) : -1),
			report_ts(r, (int64_t)c->start),
			c->pid ? OUTPUT_INT(c->pid) : OUTPUT_NULL,
			c->comm ? OUTPUT_TEXT(fold_conn_str(a, c->comm)) :
				  OUTPUT_NULL,
			endpoint(r, fold_conn_str(a, c->daddr), c->dport),
			OUTPUT_TEXT(c->rst_recv ? "reset by peer" :
				    "closed before established"),
			report_dur(r, (int64_t)(end - c->start)) } + !merged);
	}
	rc = report_table_close(r, rc);

	report_sort(n->rem, n->nrem, sizeof(*n->rem), remote_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_endpoint", "Connections by remote "
					"endpoint (accepted ones: by local)",
					7 + merged, rcols + !merged);
	for (size_t i = 0; rc == 0 && i < n->nrem && i < r->top; i++) {
		const struct remote *e = &n->rem[i];

		rc = report_table_row(r, (struct output_cell[]){
			host_cell(r, merged ? e->host : -1),
			endpoint(r, e->addr, e->dport),
			OUTPUT_TEXT(e->passive ? "local" : "remote"),
			OUTPUT_INT((int64_t)e->conns),
			OUTPUT_INT((int64_t)e->failed),
			OUTPUT_INT((int64_t)e->sent),
			OUTPUT_INT((int64_t)e->recv),
			OUTPUT_INT((int64_t)e->retrans) } + !merged);
	}
	rc = report_table_close(r, rc);
	if (rc == 0 && n->nc)
		rc = report_note(r, "%zu %s, %" PRIu64 " failed", n->nc,
				 plural(n->nc, "connection", "connections"),
				 n->failed);
	else if (rc == 0)
		rc = report_note(r, "no TCP connections in this window (was "
				 "the trace recorded with -e net?)");
	if (rc == 0 && n->handed)
		rc = report_note(r, "%" PRIu64 " %s rows of more "
				 "than one process (used by another process than "
				 "the one that made or accepted it); the process "
				 "shown sent or received first", n->handed,
				 plural(n->handed, "connection has",
					"connections have"));
	if (rc == 0 && n->nosock)
		rc = report_note(r, "%" PRIu64 " %s sent for no socket"
				 " (a connection attempt to a closed port)",
				 n->nosock, plural(n->nosock, "reset was",
						   "resets were"));
	return rc;
}

/* The net report over trace 0 (the only one) or every trace (MERGED). */
static int net_run(struct report *r, int merged)
{
	struct net n = { .nacc = merged ? r->ntraces : 1 };
	int rc = 0;

	if (!(n.acc = calloc(n.nacc, sizeof(*n.acc))))
		return report_fail(r, -ENOMEM, "out of memory");
	for (size_t t = 0; rc == 0 && t < n.nacc; t++) {
		if ((rc = fold_conn_init(&n.acc[t])) < 0) {
			rc = report_fail(r, rc, "out of memory");
			break;
		}
		if (merged)
			report_merge_use(r, t);
		rc = net_gather(r, &n, t, merged ? report_merge_host(r, t) : 0);
	}
	if (rc == 0)
		rc = net_print(r, &n);
	for (size_t t = 0; t < n.nacc; t++)
		fold_conn_free(&n.acc[t]);
	free(n.acc);
	free(n.cv);
	free(n.rem);
	report_strtab_free(&n.keys);
	return rc;
}

int report_net_run(struct report *r)
{
	return net_run(r, 0);
}

/* Each trace folded as report_net_run folds it; connections listed with
 * their host, endpoints added up (module comment). */
int report_net_merge(struct report *r)
{
	return net_run(r, 1);
}
