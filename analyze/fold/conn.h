/*
 * conn.h - TCP connections folded from net_events: the one computation of
 * the connections `kscope report net` prints and the TUI's Connections
 * view shows.
 *
 *     struct fold_conn a;
 *     fold_conn_init(&a);
 *     store_scan(st, EV_NET, FOLD_CONN_FIELDS, from, to, batch_fn, &a);
 *             // batch_fn: fold_conn_batch(&a, b, NULL)
 *     fold_conn_slice(&a);                       // sort and fold
 *     for (size_t i = 0; i < a.n; i++)
 *             if (!a.v[i].listener) ... a.v[i].sent, fold_conn_str(&a,
 *                                        a.v[i].daddr) ...
 *     fold_conn_free(&a);
 *
 * A connection's figures depend on the order of its events, so batches
 * are only buffered; fold_conn_slice sorts what was buffered by ts (ties
 * in the order the rows came) and folds it.  A caller reading the window
 * in time-ordered slices (the fold driver) calls it at the end of each
 * slice; the result equals folding the window at once.
 *
 * The fold: connections are keyed by the `sock` column (the kernel
 * socket, stable over its life).  The kernel reuses socket memory, so a
 * state change out of CLOSE or LISTEN, into SYN_SENT, or an event with
 * other ports starts a new connection on that sock (the previous one
 * ends at its last event when its CLOSE was not seen, as for a socket
 * handed to TIME_WAIT).  Listening sockets (LISTEN, or LISTEN -> CLOSE
 * for one listening before the recording) are kept with `listener` set:
 * they are not connections.  Per connection:
 *
 *   role      active when it went through SYN_SENT, passive through
 *             SYN_RECV or LISTEN
 *   connect   SYN_SENT -> ESTABLISHED (syn, est)
 *   lifetime  from SYN_SENT (else its first event) to CLOSE (else the
 *             window's end: still open; fold_conn_end)
 *   bytes     the sums of `bytes` of its send and recv events
 *   failed    an active connection that reached CLOSE, or received a
 *             reset, without ever being ESTABLISHED
 *
 * Every row names the socket's owner as the recorder knew it (pid 0:
 * unknown), so the process of a connection is the one that sent or
 * received first, else the first named; `handed` says rows of more than
 * one process were seen.  The local port is taken from the first event
 * that has one (a connect's SYN_SENT comes before the port is bound).
 * Events with sock 0 (a reset sent for no socket: an attempt to reach a
 * closed port) belong to no connection: their process is listed in
 * nosock.
 *
 * Functions return 0 or a negative errno: -ENOMEM, or a store error
 * (message in store_errmsg).
 */
#ifndef KSCOPE_FOLD_CONN_H
#define KSCOPE_FOLD_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/report/report_int.h"
#include "store/store.h"

/* The net_events fields fold_conn_batch reads (store_scan mask). */
#define FOLD_CONN_FIELDS                                                   \
	(EVM(EVI_NET_TS) | EVM(EVI_NET_KIND) | EVM(EVI_NET_PID) |           \
	 EVM(EVI_NET_COMM) | EVM(EVI_NET_SADDR) | EVM(EVI_NET_SPORT) |      \
	 EVM(EVI_NET_DADDR) | EVM(EVI_NET_DPORT) | EVM(EVI_NET_OLD_STATE) | \
	 EVM(EVI_NET_NEW_STATE) | EVM(EVI_NET_BYTES) | EVM(EVI_NET_SOCK))

enum { FOLD_CONN_ACTIVE = 1, FOLD_CONN_PASSIVE = 2 };

/* One connection.  comm, saddr, daddr are string ids (fold_conn_str; 0:
 * none). */
struct fold_conn_row {
	uint64_t sock, start, end, last, syn, est, sent, recv;
	uint32_t pid, comm, saddr, daddr, sport, dport;
	uint32_t retrans, rst_sent, rst_recv;
	int role;	/* 0 unknown, FOLD_CONN_ACTIVE, FOLD_CONN_PASSIVE */
	int closed, failed;
	int pid_io;	/* pid taken from a send or recv (process context) */
	int listener;	/* a listening socket, not a connection */
	int handed;	/* rows of more than one process */
};

/* The process of an event with sock 0. */
struct fold_conn_nosock {
	uint32_t pid, comm;
};

struct fold_conn_ev;

struct fold_conn {
	struct fold_conn_row *v;	/* connections, by first event */
	size_t n;
	struct fold_conn_nosock *nosock;
	size_t nnosock;

	/* internal */
	struct fold_conn_ev *ev;	/* buffered until the slice ends */
	size_t nev, capev, cap, capnosock;
	uint32_t seq;
	struct hmap cur;		/* sock -> its current connection */
	struct report_strtab str;	/* entry 0 is "" */
	uint32_t *memo[3];		/* per chunk: dict index -> id + 1 */
	size_t memocap[3];
};

int fold_conn_init(struct fold_conn *a);
/* Buffer the rows of net_events batch B (with FOLD_CONN_FIELDS) that KEEP
 * keeps (NULL: all). */
int fold_conn_batch(struct fold_conn *a, const struct store_batch *b,
		    const uint8_t *keep);
/* Fold the rows buffered: call it when every row up to some time, and
 * none after it, has been given (the end of the window or of a slice). */
int fold_conn_slice(struct fold_conn *a);
void fold_conn_free(struct fold_conn *a);

/* The text of string id ID ("" for 0). */
static inline const char *fold_conn_str(const struct fold_conn *a,
					uint32_t id)
{
	return a->str.s[id];
}
/* When C ended, for a window ending at TO. */
static inline uint64_t fold_conn_end(const struct fold_conn_row *c,
				     uint64_t to)
{
	return c->closed ? c->end : to;
}
/* "failed", "closed", "established" or "open". */
const char *fold_conn_state(const struct fold_conn_row *c);
/* "active", "passive", or NULL when unknown. */
const char *fold_conn_role(const struct fold_conn_row *c);
/* ADDR:PORT ([ADDR]:PORT for IPv6) into BUF; "" when ADDR is "". */
void fold_conn_endpoint(char *buf, size_t len, const char *addr,
			uint32_t port);

#endif
