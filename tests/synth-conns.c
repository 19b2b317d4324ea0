/*
 * synth-conns - a synthetic trace (tests/synth.h) with planted TCP
 * connections that tell a connection from a socket, for the comparisons
 * of the TUI's Connections view with `kscope report net`
 * (tests/test-agree.sh).
 *
 *     synth-conns FILE
 *
 * Planted by process 91001 "planted" (addresses of 192.0.2.0/24, which the
 * generator never uses), besides the generator's own connections:
 *
 *   sock 0xa1  a connect to 192.0.2.1:5432 from port 50000, then the same
 *              socket reused for a connect to 192.0.2.2:80 from port
 *              50001 (two connections on one socket: the first one's
 *              CLOSE is not seen)
 *   sock 0xa2  a later connect to 192.0.2.1:5432 from port 50000 again
 *              (a port reused by another socket)
 *   sock 0xa3  a listener on 10.0.0.1:8080 (not a connection)
 *   sock 0xa4  a connection it accepted from 192.0.2.9:40000
 *   sock 0xa5  a connect to 192.0.2.3:9 refused (reset, never
 *              established)
 *   sock 0     a reset sent for no socket
 *
 * with bytes, a retransmit and resets on them.
 */
#include "tests/synth.h"

#include <stdio.h>
#include <stdlib.h>

#define PID 91001u
#define T0 (4096ull * 1000000000ull)
#define MS 1000000ull

#define NET(t, k, sk, sa, sp, da, dp, o, n, b)                            \
	{ .ts = T0 + (t), .cpu = 1, .kind = (k), .pid = PID, .tid = PID,   \
	  .family = 2, .saddr = (sa), .sport = (sp), .daddr = (da),        \
	  .dport = (dp), .old_state = (o), .new_state = (n), .bytes = (b), \
	  .sock = (sk), .comm = "planted" }
#define ST(t, sk, sa, sp, da, dp, o, n) \
	NET(t, EV_NET_STATE, sk, sa, sp, da, dp, o, n, 0)
#define IO(t, k, sk, sa, sp, da, dp, b) NET(t, k, sk, sa, sp, da, dp, 0, 0, b)

enum { ESTABLISHED = 1, SYN_SENT, SYN_RECV, FIN_WAIT1, CLOSE = 7,
       LISTEN = 10 };

static const char L[] = "10.0.0.1", ANY[] = "0.0.0.0";
static const char R1[] = "192.0.2.1", R2[] = "192.0.2.2";
static const char R3[] = "192.0.2.3", R9[] = "192.0.2.9";

static const struct ev_net planted[] = {
	ST(1 * MS, 0xa3, L, 8080, ANY, 0, CLOSE, LISTEN),
	ST(2 * MS, 0xa1, ANY, 0, R1, 5432, CLOSE, SYN_SENT),
	ST(2 * MS + 300000, 0xa1, L, 50000, R1, 5432, SYN_SENT, ESTABLISHED),
	IO(3 * MS, EV_NET_SEND, 0xa1, L, 50000, R1, 5432, 100),
	IO(4 * MS, EV_NET_RECV, 0xa1, L, 50000, R1, 5432, 2000),
	ST(5 * MS, 0xa4, L, 8080, R9, 40000, SYN_RECV, ESTABLISHED),
	IO(6 * MS, EV_NET_RECV, 0xa4, L, 8080, R9, 40000, 17),
	ST(7 * MS, 0xa1, L, 50000, R1, 5432, ESTABLISHED, FIN_WAIT1),
	ST(8 * MS, 0xa5, ANY, 0, R3, 9, CLOSE, SYN_SENT),
	IO(8 * MS + 50000, EV_NET_RESET_RECV, 0xa5, L, 50002, R3, 9, 0),
	ST(8 * MS + 60000, 0xa5, L, 50002, R3, 9, SYN_SENT, CLOSE),
	IO(9 * MS, EV_NET_RESET_SENT, 0, L, 7, R3, 7, 0),
	IO(10 * MS, EV_NET_SEND, 0xa4, L, 8080, R9, 40000, 4000),
	ST(11 * MS, 0xa4, L, 8080, R9, 40000, ESTABLISHED, CLOSE),
	ST(20 * MS, 0xa1, ANY, 0, R2, 80, CLOSE, SYN_SENT),
	ST(20 * MS + 900000, 0xa1, L, 50001, R2, 80, SYN_SENT, ESTABLISHED),
	IO(21 * MS, EV_NET_SEND, 0xa1, L, 50001, R2, 80, 300),
	IO(22 * MS, EV_NET_RETRANSMIT, 0xa1, L, 50001, R2, 80, 0),
	IO(23 * MS, EV_NET_RECV, 0xa1, L, 50001, R2, 80, 5000),
	ST(30 * MS, 0xa2, ANY, 0, R1, 5432, CLOSE, SYN_SENT),
	ST(30 * MS + 200000, 0xa2, L, 50000, R1, 5432, SYN_SENT, ESTABLISHED),
	IO(31 * MS, EV_NET_SEND, 0xa2, L, 50000, R1, 5432, 64),
	IO(32 * MS, EV_NET_RESET_RECV, 0xa2, L, 50000, R1, 5432, 0),
	ST(32 * MS + 1000, 0xa2, L, 50000, R1, 5432, ESTABLISHED, CLOSE),
};

int main(int argc, char **argv)
{
	enum { N = sizeof(planted) / sizeof(planted[0]) };
	struct synth_plant plant[N];
	struct synth_opts o = SYNTH_OPTS_INIT;
	char err[STORE_ERRLEN] = "";

	if (argc != 2) {
		fprintf(stderr, "usage: synth-conns FILE\n");
		return 2;
	}
	for (int i = 0; i < N; i++)
		plant[i] = (struct synth_plant){ EV_NET, &planted[i] };
	o.syscalls = 20000;
	o.ts_start = T0;
	o.plant = plant;
	o.nplant = N;
	o.errbuf = err;
	if (synth_write(argv[1], &o) < 0) {
		fprintf(stderr, "synth-conns: %s\n", err);
		return 1;
	}
	return 0;
}
