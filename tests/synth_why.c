/*
 * synth_why.c - the trace of synth_why.h.
 */
#include "config.h"
#include "tests/synth_why.h"

#include <stdio.h>
#include <string.h>

#include "tests/synth.h"

#define US 1000ull
#define T0 (3000 * 1000000000ull)
#define DEAD 128
#define S 1
#define D 2

/* x86_64 */
#define NR_FSYNC 74
#define NR_FUTEX 202
#define NR_CLOCK_NANOSLEEP 230

static const char *comm_of(uint32_t tid, uint64_t at)
{
	(void)at;
	switch (tid) {
	case WHY_WORKER: return "worker";
	case WHY_HOLDER: return "holder";
	case WHY_VICTIM: return "victim";
	case WHY_HOG: return "hog";
	case WHY_WRITER: return "writer";
	}
	return "swapper";
}

static const char *const frames[] = {
	NULL,
	"entry_SYSCALL_64_after_hwframe;do_syscall_64;"
	"__x64_sys_clock_nanosleep;common_nsleep;hrtimer_nanosleep;"
	"do_nanosleep;schedule;__schedule",
	"entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_futex;"
	"do_futex;futex_wait;futex_wait_queue;schedule;__schedule",
	"entry_SYSCALL_64_after_hwframe;do_syscall_64;__x64_sys_fsync;"
	"do_fsync;vfs_fsync_range;ext4_sync_file;file_write_and_wait_range;"
	"__filemap_fdatawait_range;folio_wait_writeback;folio_wait_bit;"
	"folio_wait_bit_common;io_schedule;schedule;__schedule",
};

/* One planted event: what kind, at which us after T0. */
struct ev {
	uint64_t us;
	enum ev_kind kind;
	union {
		struct { uint32_t cpu, prev; int64_t state; uint32_t next,
			 stack; } sw;
		struct { uint32_t tid, waker, cpu, ctx; const char *irq; } wk;
		struct { uint32_t tid, cpu; int32_t nr, fd; uint64_t dur;
			 const char *fd_name; } sc;
	} u;
};

#define SW(t, c, p, st, n, k) { t, EV_SWITCH, .u.sw = { c, p, st, n, k } }
#define WK(t, who, by, c, ctx, irq) \
	{ t, EV_WAKEUP, .u.wk = { who, by, c, ctx, irq } }
#define SC(t, who, c, nr, fd, dur, name) \
	{ t, EV_SYSCALL, .u.sc = { who, c, nr, fd, dur, name } }

static const struct ev evs[] = {
	SW(0, 0, 0, 0, WHY_HOLDER, 0),
	SW(1, 1, 0, 0, WHY_WORKER, 0),
	SW(2, 2, 0, 0, WHY_VICTIM, 0),
	SW(3, 3, 0, 0, WHY_WRITER, 0),
	SC(5000, WHY_WORKER, 1, NR_FUTEX, -1, 57000, NULL),
	SW(5001, 1, WHY_WORKER, S, 0, 2),
	SC(10000, WHY_HOLDER, 0, NR_CLOCK_NANOSLEEP, -1, 50200, NULL),
	SW(10000, 0, WHY_HOLDER, S, 0, 1),
	SW(20000, 2, WHY_VICTIM, 0, WHY_HOG, 0),
	SC(30000, WHY_WRITER, 3, NR_FSYNC, 3, 25000, "/var/lib/app/data.log"),
	SW(30010, 3, WHY_WRITER, D, 0, 3),
	SW(50000, 2, WHY_HOG, S, WHY_VICTIM, 0),
	WK(54000, WHY_WRITER, 0, 3, EV_WAKER_SOFTIRQ, "BLOCK"),
	SW(54200, 3, 0, 0, WHY_WRITER, 0),
	WK(60000, WHY_HOLDER, 0, 0, EV_WAKER_HARDIRQ, "hrtimer"),
	SW(60500, 0, 0, 0, WHY_HOLDER, 0),
	SC(61000, WHY_HOLDER, 0, NR_FUTEX, -1, 10, NULL),
	WK(61005, WHY_WORKER, WHY_HOLDER, 1, EV_WAKER_TASK, NULL),
	SW(61500, 1, 0, 0, WHY_WORKER, 0),
	SW(70000, 0, WHY_HOLDER, S, 0, 0),
	SW(80000, 1, WHY_WORKER, DEAD, 0, 0),
	SW(90000, 2, WHY_VICTIM, S, 0, 0),
	SW(100000, 3, WHY_WRITER, DEAD, 0, 0),
};

static int ev_put(struct store_writer *w, const struct ev *e)
{
	uint64_t ts = T0 + e->us * US;

	if (e->kind == EV_SWITCH) {
		struct ev_switch s = {
			.ts = ts, .cpu = e->u.sw.cpu,
			.prev_tid = e->u.sw.prev,
			.prev_comm = comm_of(e->u.sw.prev, 0),
			.prev_state = e->u.sw.state, .prev_prio = 120,
			.next_tid = e->u.sw.next,
			.next_comm = comm_of(e->u.sw.next, 0),
			.next_prio = 120, .stack_id = e->u.sw.stack,
		};
		return store_writer_append(w, EV_SWITCH, &s);
	}
	if (e->kind == EV_WAKEUP) {
		struct ev_wakeup k = {
			.ts = ts, .cpu = e->u.wk.cpu, .tid = e->u.wk.tid,
			.waker_tid = e->u.wk.waker, .target_cpu = e->u.wk.cpu,
			.prio = 120, .waker_ctx = e->u.wk.ctx,
			.waker_irq = e->u.wk.irq,
		};
		return store_writer_append(w, EV_WAKEUP, &k);
	}
	struct ev_syscall c = {
		.ts = ts, .dur = e->u.sc.dur * US, .cpu = e->u.sc.cpu,
		.pid = e->u.sc.tid, .tid = e->u.sc.tid,
		.comm = comm_of(e->u.sc.tid, 0), .nr = e->u.sc.nr,
		.fd = e->u.sc.fd, .fd_name = e->u.sc.fd_name,
	};
	return store_writer_append(w, EV_SYSCALL, &c);
}

int synth_why_write(const char *path)
{
	static const uint32_t tids[] = { WHY_WORKER, WHY_HOLDER, WHY_VICTIM,
					 WHY_HOG, WHY_WRITER };
	struct store_writer_opts wo = { .force = 1 };
	char err[STORE_ERRLEN];
	struct store_writer *w = store_writer_open(path, &wo, err);
	int rc = 0;

	if (!w) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]) && !rc; i++)
		rc = ev_put(w, &evs[i]);
	/* the stacks, once each, by the end of the trace */
	for (uint32_t k = 1; k < sizeof(frames) / sizeof(frames[0]) && !rc;
	     k++) {
		struct ev_stack s = { .ts = T0 + 100000 * US, .cpu = 0,
				      .tid = WHY_WRITER, .stack_id = k,
				      .frames = frames[k] };
		rc = store_writer_append(w, EV_STACK, &s);
	}
	for (size_t t = 0; t < sizeof(tids) / sizeof(tids[0]) && !rc; t++) {
		struct store_process p = {
			.pid = tids[t], .ppid = 1, .comm = comm_of(tids[t], 0),
			.start_ts = T0 - 1000 * 1000 * US,
		};
		rc = store_writer_process(w, &p);
		if (!rc)
			rc = store_writer_thread(w, tids[t], tids[t],
						 comm_of(tids[t], 0),
						 p.start_ts);
	}
	if (!rc)
		rc = store_writer_meta(w, "arch", "x86_64");
	return synth_finish(w, rc, "kscope record -a", T0,
			    T0 + 100000 * US);
}
