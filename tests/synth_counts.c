/*
 * synth_counts.c - the planted trace of synth_counts.h.
 */
#include "tests/synth_counts.h"
#include "tests/synth.h"

#define T0 (7362ull * 1000000000ull)	/* the synth's start */
#define MS 1000000ull

int synth_counts_write(const char *path, uint64_t syscalls, char *err)
{
	static const struct ev_syscall base = {
		.cpu = 7, .pid = SC_PID, .tid = SC_TID, .fd = -1,
		.comm = "planted-cnt" };
	static struct ev_syscall sc[9];
	static struct ev_net net[3];
	static struct synth_plant plant[12];
	struct synth_opts o = SYNTH_OPTS_INIT;
	size_t n = 0;

	for (int i = 0; i < 9; i++) {
		sc[i] = base;
		sc[i].ts = T0 + (uint64_t)(i + 1) * MS;
	}
	for (int i = 0; i < 3; i++) {	/* read */
		sc[i].nr = 0;
		sc[i].dur = 1000 * ((uint64_t)i + 1);
		sc[i].ret = 10;
		sc[i].fd = 3;
	}
	sc[3].nr = 0;
	sc[3].fd = 3;
	sc[3].flags = EV_SYSCALL_UNFINISHED;
	sc[4].nr = 231;
	sc[4].tid = SC_EXIT_TID;
	sc[4].flags = EV_SYSCALL_UNFINISHED | EV_SYSCALL_EXITED;
	sc[5].nr = 257;
	sc[5].dur = 500;
	sc[5].ret = 3;
	sc[5].path = SC_PATH;
	sc[6].nr = 257;
	sc[6].dur = 700;
	sc[6].ret = -13;
	sc[6].path = SC_PATH;
	sc[7].nr = 257;
	sc[7].dur = 900;
	sc[7].ret = -14;
	sc[7].path_status = EV_PATH_UNREADABLE;
	sc[8].nr = 4;
	sc[8].dur = 100;
	sc[8].path = SC_PATH;
	for (int i = 0; i < 3; i++)
		net[i] = (struct ev_net){
			.ts = T0 + (uint64_t)(20 + i) * MS, .cpu = 7,
			.pid = SC_PID, .tid = SC_TID, .family = 2,
			.sport = 40000, .dport = 80, .sock = 0x5c0ffee,
			.comm = "planted-cnt", .saddr = "10.0.0.1",
			.daddr = "10.0.0.2" };
	net[0].kind = EV_NET_STATE;
	net[0].old_state = 2;	/* SYN_SENT -> ESTABLISHED */
	net[0].new_state = 1;
	net[1].kind = EV_NET_SEND;
	net[1].bytes = 1000;
	net[2].kind = EV_NET_RECV;
	net[2].bytes = 500;

	for (int i = 0; i < 9; i++)
		plant[n++] = (struct synth_plant){ EV_SYSCALL, &sc[i] };
	for (int i = 0; i < 3; i++)
		plant[n++] = (struct synth_plant){ EV_NET, &net[i] };
	o.syscalls = syscalls;
	o.plant = plant;
	o.nplant = n;
	o.errbuf = err;
	return synth_write(path, &o);
}
