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

static int conn_cmp(const void *a, const void *b)
{
	const struct fold_conn_row *x = a, *y = b;
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

static struct output_cell endpoint(struct report *r,
				   const struct fold_conn *a, uint32_t addr,
				   uint32_t port)
{
	char buf[128];

	if (!addr)
		return OUTPUT_NULL;
	fold_conn_endpoint(buf, sizeof(buf), fold_conn_str(a, addr), port);
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
	struct fold_conn a;
	struct fold_conn_row *cv = NULL;
	size_t nc = 0, nrem = 0, caprem = 0;
	struct hmap remix = { 0 };
	struct remote *rem = NULL;
	uint64_t failed = 0, nosock = 0, handed = 0;
	int rc;

	if ((rc = fold_conn_init(&a)) < 0) {
		fold_conn_free(&a);
		return report_fail(r, rc, "out of memory");
	}
	rc = report_scan(r, EV_NET, FOLD_CONN_FIELDS, net_batch, &a);
	if (rc == 0)
		rc = fold_conn_slice(&a);
	if (rc == -ENOMEM)
		rc = report_fail(r, rc, "out of memory");
	else if (rc < 0 && !r->err[0])
		rc = report_store_fail(r, rc);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < a.nnosock; i++)
		nosock += owner_ok(r, &a, a.nosock[i].pid, a.nosock[i].comm);
	/* listening sockets and filtered connections out */
	if (a.n && !(cv = malloc(a.n * sizeof(*cv))))
		goto oom;
	for (size_t i = 0; i < a.n; i++)
		if (!a.v[i].listener && owner_ok(r, &a, a.v[i].pid,
						 a.v[i].comm))
			cv[nc++] = a.v[i];

	for (size_t i = 0; i < nc; i++) {
		const struct fold_conn_row *c = &cv[i];
		uint64_t key = (uint64_t)c->daddr << 16 | c->dport;
		uint32_t ix;

		failed += c->failed;
		handed += c->handed;
		if (c->role == FOLD_CONN_PASSIVE)
			key = (uint64_t)c->saddr << 16 | c->sport | 1ull << 63;
		if (!hmap_get(&remix, key, &ix)) {
			if (report_grow(&rem, &caprem, nrem + 1,
					sizeof(*rem)) < 0 ||
			    hmap_put(&remix, key, (uint32_t)nrem) < 0)
				goto oom;
			rem[nrem] = c->role == FOLD_CONN_PASSIVE ?
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
		const struct fold_conn_row *c = &cv[i];
		uint64_t end = fold_conn_end(c, r->to);

		rc = report_table_row(r, (struct output_cell[]){
			c->pid ? OUTPUT_INT(c->pid) : OUTPUT_NULL,
			c->comm ? OUTPUT_TEXT(fold_conn_str(&a, c->comm)) :
				  OUTPUT_NULL,
			endpoint(r, &a, c->saddr, c->sport),
			endpoint(r, &a, c->daddr, c->dport),
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
			OUTPUT_TEXT(fold_conn_state(c)) });
	}
	rc = report_table_close(r, rc);

	if (rc == 0)
		rc = report_table_begin(r, "failed_connects", "Failed "
					"connects", 6, fcols);
	for (size_t i = 0, shown = 0; rc == 0 && i < nc && shown < r->top;
	     i++) {
		const struct fold_conn_row *c = &cv[i];
		uint64_t end = fold_conn_end(c, r->to);

		if (!c->failed)
			continue;
		shown++;
		rc = report_table_row(r, (struct output_cell[]){
			report_ts(r, (int64_t)c->start),
			c->pid ? OUTPUT_INT(c->pid) : OUTPUT_NULL,
			c->comm ? OUTPUT_TEXT(fold_conn_str(&a, c->comm)) :
				  OUTPUT_NULL,
			endpoint(r, &a, c->daddr, c->dport),
			OUTPUT_TEXT(c->rst_recv ? "reset by peer" :
				    "closed before established"),
			report_dur(r, (int64_t)(end - c->start)) });
	}
	rc = report_table_close(r, rc);

	report_sort(rem, nrem, sizeof(*rem), remote_cmp);
	if (rc == 0)
		rc = report_table_begin(r, "by_endpoint", "Connections by remote "
					"endpoint (accepted ones: by local)",
					7, rcols);
	for (size_t i = 0; rc == 0 && i < nrem && i < r->top; i++)
		rc = report_table_row(r, (struct output_cell[]){
			endpoint(r, &a, rem[i].daddr, rem[i].dport),
			OUTPUT_TEXT(rem[i].passive ? "local" : "remote"),
			OUTPUT_INT((int64_t)rem[i].conns),
			OUTPUT_INT((int64_t)rem[i].failed),
			OUTPUT_INT((int64_t)rem[i].sent),
			OUTPUT_INT((int64_t)rem[i].recv),
			OUTPUT_INT((int64_t)rem[i].retrans) });
	rc = report_table_close(r, rc);
	if (rc == 0 && nc)
		rc = report_note(r, "%zu %s, %" PRIu64 " failed", nc,
				 plural(nc, "connection", "connections"),
				 failed);
	else if (rc == 0)
		rc = report_note(r, "no TCP connections in this window (was "
				 "the trace recorded with -e net?)");
	if (rc == 0 && handed)
		rc = report_note(r, "%" PRIu64 " %s rows of more "
				 "than one process (used by another process than "
				 "the one that made or accepted it); the process "
				 "shown sent or received first", handed,
				 plural(handed, "connection has",
					"connections have"));
	if (rc == 0 && nosock)
		rc = report_note(r, "%" PRIu64 " %s sent for no socket"
				 " (a connection attempt to a closed port)",
				 nosock, plural(nosock, "reset was",
						"resets were"));
	goto out;
oom:
	rc = report_fail(r, -ENOMEM, "out of memory");
out:
	fold_conn_free(&a);
	free(cv);
	free(rem);
	hmap_free(&remix);
	return rc;
}
