/*
 * synth-fleet - one host of a synthetic fleet (tests/synth.h) with
 * planted answers, for tests/test-export-clickhouse.sh.
 *
 *     synth-fleet FILE SEED FSYNC_MS CONNS
 *
 * The generator's trace of SEED (its meta host is "db-prod-NN", NN = SEED
 * % 100), 20000 syscalls from T0, plus, by process 92001 "fleet-db":
 *
 *   - an fsync of fd 7 (/var/lib/db/wal) lasting FSYNC_MS ms (the
 *     generator's own last some ms at most);
 *   - CONNS connections to 198.51.100.1:7777 (an address the generator
 *     never uses): each a SYN_SENT then an ESTABLISHED state change;
 *   - an openat whose path, comm, payload and args_mem hold the bytes a
 *     text format must escape (tab, newline, carriage return, backslash,
 *     quotes) and bytes that are not UTF-8; the payload holds every byte
 *     value 0..255 once.
 */
#include "tests/synth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PID 92001u
#define T0 (5000ull * 1000000000ull)
#define MS 1000000ull
#define MAX_CONNS 64

enum { ESTABLISHED = 1, SYN_SENT, CLOSE = 7 };

/* A blob value: its length, then the bytes (store/ev.h). */
static char payload[EV_BLOB_HDR + 256];
static char args_mem[EV_BLOB_HDR + 8];

int main(int argc, char **argv)
{
	static const char odd_path[] = "/tmp/fleet\tdir/a\nb\\c\r\"q'\xff\xfe"
				       "\x80.log";
	static const char odd_comm[] = "we\tird\\co\xe9";
	static const char odd_mem[] = { 0, '\\', '\t', '\n', (char)0xff, 'N',
					0, 'x' };
	static struct ev_net conns[2 * MAX_CONNS];
	struct synth_plant plant[2 + 2 * MAX_CONNS];
	struct ev_syscall fsync_ev = {
		.ts = T0 + 5 * MS, .cpu = 0, .pid = PID, .tid = PID, .nr = 74,
		.ret = 0, .arg = { 7 }, .fd = 7, .comm = "fleet-db",
		.fd_name = "/var/lib/db/wal",
	};
	struct ev_syscall odd = {
		.ts = T0 + 7 * MS, .dur = 12345, .cpu = 1, .pid = PID,
		.tid = PID, .nr = 257, .ret = 9, .fd = -1, .comm = odd_comm,
		.path = odd_path, .payload = payload, .args_mem = args_mem,
	};
	struct synth_opts o = SYNTH_OPTS_INIT;
	char err[STORE_ERRLEN] = "";
	unsigned long nconns;
	size_t n = 0;

	if (argc != 5 || (nconns = strtoul(argv[4], NULL, 10)) > MAX_CONNS) {
		fprintf(stderr, "usage: synth-fleet FILE SEED FSYNC_MS CONNS "
			"(CONNS <= %d)\n", MAX_CONNS);
		return 2;
	}
	fsync_ev.dur = strtoull(argv[3], NULL, 10) * MS;
	for (unsigned i = 0; i < 256; i++)
		payload[EV_BLOB_HDR + i] = (char)i;
	ev_blob_init(payload, 256);
	memcpy(args_mem + EV_BLOB_HDR, odd_mem, sizeof(odd_mem));
	ev_blob_init(args_mem, sizeof(odd_mem));

	plant[n++] = (struct synth_plant){ EV_SYSCALL, &fsync_ev };
	plant[n++] = (struct synth_plant){ EV_SYSCALL, &odd };
	for (unsigned i = 0; i < nconns; i++) {
		for (unsigned j = 0; j < 2; j++) {
			struct ev_net *c = &conns[2 * i + j];

			*c = (struct ev_net){
				.ts = T0 + (10 + i) * MS + j * 100000,
				.cpu = 1, .kind = EV_NET_STATE, .pid = PID,
				.tid = PID, .family = 2, .saddr = "10.0.0.1",
				.sport = 51000 + i, .daddr = "198.51.100.1",
				.dport = 7777, .sock = 0xb000 + i,
				.old_state = j ? SYN_SENT : CLOSE,
				.new_state = j ? ESTABLISHED : SYN_SENT,
				.comm = "fleet-db",
			};
			plant[n++] = (struct synth_plant){ EV_NET, c };
		}
	}
	o.seed = strtoull(argv[2], NULL, 10);
	o.syscalls = 20000;
	o.ts_start = T0;
	o.plant = plant;
	o.nplant = n;
	o.errbuf = err;
	if (synth_write(argv[1], &o) < 0) {
		fprintf(stderr, "synth-fleet: %s\n", err);
		return 1;
	}
	return 0;
}
