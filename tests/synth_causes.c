/*
 * synth_causes.c - the trace of synth_causes.h.  Events are gathered in one
 * array, sorted by ts and appended.
 */
#include "config.h"
#include "tests/synth_causes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/synth.h"

#define US 1000ull
#define MS 1000000ull
#define T0 CZ_T0

/* x86_64 syscall numbers */
enum { NR_READ = 0, NR_WRITE = 1, NR_STAT = 4, NR_POLL = 7, NR_ACCESS = 21,
       NR_EPOLL_WAIT = 232, NR_FUTEX = 202, NR_OPENAT = 257 };

struct wev {
	enum ev_kind kind;
	union {
		struct ev_syscall sc;
		struct ev_switch sw;
		struct ev_wakeup wk;
		struct ev_proc pr;
		struct ev_signal sg;
		struct ev_block_io bio;
		struct ev_stack stk;
	} u;
};

struct wbuf {
	struct wev *v;
	size_t n, cap;
	int oom;
};

static void *put(struct wbuf *b, enum ev_kind kind)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		struct wev *v = realloc(b->v, cap * sizeof(*v));
		if (!v) {
			b->oom = 1;
			return NULL;
		}
		b->v = v;
		b->cap = cap;
	}
	memset(&b->v[b->n], 0, sizeof(b->v[0]));
	b->v[b->n].kind = kind;
	return &b->v[b->n++].u;
}

static void call(struct wbuf *b, uint64_t at, uint64_t dur, uint32_t pid,
		 uint32_t tid, const char *comm, int32_t nr, int64_t ret,
		 const char *path)
{
	struct ev_syscall *e = put(b, EV_SYSCALL);

	if (e)
		*e = (struct ev_syscall){ .ts = T0 + at, .dur = dur, .pid = pid,
					  .tid = tid, .comm = comm, .nr = nr,
					  .ret = ret, .fd = -1, .path = path };
}

static void proc_exit(struct wbuf *b, uint64_t at, uint32_t pid,
		      const char *comm, int32_t code, int32_t sig)
{
	struct ev_proc *e = put(b, EV_PROC);

	if (e)
		*e = (struct ev_proc){ .ts = T0 + at, .kind = EV_PROC_EXIT,
				       .pid = pid, .tid = pid, .ppid = 1,
				       .comm = comm, .exit_code = code,
				       .exit_signal = sig };
}

static void signal_ev(struct wbuf *b, uint64_t at, uint32_t kind, int32_t sig,
		      uint32_t sender, const char *scomm, uint32_t target,
		      const char *tcomm, const char *cgroup)
{
	struct ev_signal *e = put(b, EV_SIGNAL);

	if (e)
		*e = (struct ev_signal){
			.ts = T0 + at, .cpu = 1, .kind = kind, .sig = sig,
			.sender_pid = sender, .sender_tid = sender,
			.sender_comm = scomm, .target_pid = target,
			.target_tid = target, .target_comm = tcomm,
			.cgroup = cgroup };
}

static void sw(struct wbuf *b, uint64_t at, uint32_t prev, const char *pc,
	       int64_t state, uint32_t next, const char *nc, uint32_t stack)
{
	struct ev_switch *e = put(b, EV_SWITCH);

	if (e)
		*e = (struct ev_switch){ .ts = T0 + at, .cpu = 0,
					 .prev_tid = prev, .prev_comm = pc,
					 .prev_prio = 120, .prev_state = state,
					 .next_tid = next, .next_comm = nc,
					 .next_prio = 120, .stack_id = stack };
}

static void wake(struct wbuf *b, uint64_t at, uint32_t cpu, uint32_t tid,
		 uint32_t waker, uint32_t ctx, const char *irq)
{
	struct ev_wakeup *e = put(b, EV_WAKEUP);

	if (e)
		*e = (struct ev_wakeup){ .ts = T0 + at, .cpu = cpu, .tid = tid,
					 .waker_tid = waker, .target_cpu = 0,
					 .prio = 120, .waker_ctx = ctx,
					 .waker_irq = irq };
}

static void plant(struct wbuf *b)
{
	static char lib[20][32], leak[45][32];
	struct ev_syscall *e;

	/* app: a missing config file among successful opens */
	for (int i = 0; i < 20; i++) {
		snprintf(lib[i], sizeof(lib[i]), "/usr/lib/app/lib%d.so", i);
		call(b, 10 * MS + (uint64_t)i * MS, 5 * US, CZ_APP, CZ_APP,
		     "app", NR_OPENAT, 3 + i, lib[i]);
	}
	call(b, 5 * MS, 2 * US, CZ_APP, CZ_APP, "app", NR_ACCESS, -2,
	     "/etc/ld.so.preload");
	call(b, 250 * MS, 4 * US, CZ_APP, CZ_APP, "app", NR_OPENAT, -2,
	     "/etc/app.conf");
	/* printing the error message looks for a message catalog */
	call(b, 255 * MS, 3 * US, CZ_APP, CZ_APP, "app", NR_OPENAT, -2,
	     "/usr/share/locale/C.UTF-8/LC_MESSAGES/libc.mo");
	call(b, 260 * MS, 9 * US, CZ_APP, CZ_APP, "app", NR_WRITE, 40, NULL);
	proc_exit(b, 300 * MS, CZ_APP, "app", 1, 0);
	call(b, 50 * MS, 3 * US, CZ_OK, CZ_OK, "tidy", NR_STAT, -2,
	     "/etc/tidy.conf");
	proc_exit(b, 60 * MS, CZ_OK, "tidy", 0, 0);

	/* a sibling kills sleep */
	signal_ev(b, 380 * MS, EV_SIGNAL_GENERATE, 15, CZ_KILLER, "killer",
		  CZ_VICTIM, "sleep", NULL);
	signal_ev(b, 400 * MS, EV_SIGNAL_GENERATE, 9, CZ_KILLER, "killer",
		  CZ_VICTIM, "sleep", NULL);
	signal_ev(b, 400 * MS + 30 * US, EV_SIGNAL_DELIVER, 9, CZ_KILLER,
		  "killer", CZ_VICTIM, "sleep", NULL);
	proc_exit(b, 401 * MS, CZ_VICTIM, "sleep", 0, 9);

	/* the OOM killer: the kernel's SIGKILL is raised by the allocating
	 * task itself, then the victim is marked */
	signal_ev(b, 500 * MS, EV_SIGNAL_GENERATE, 9, CZ_HOG, "hog", CZ_HOG,
		  "hog", NULL);
	signal_ev(b, 500 * MS + 10 * US, EV_SIGNAL_OOM_KILL, 9, 0, NULL,
		  CZ_HOG, "hog", CZ_CGROUP);
	proc_exit(b, 502 * MS, CZ_HOG, "hog", 0, 9);
	/* an OOM kill whose victim's exit the trace does not hold, and a
	 * death by a signal no row says the sender of */
	signal_ev(b, 2500 * MS, EV_SIGNAL_OOM_KILL, 9, 0, NULL, CZ_HOG + 1,
		  "hog2", CZ_CGROUP "2");
	proc_exit(b, 520 * MS, CZ_HOG + 2, "crash", 0, 11);

	/* calls still running at the end */
	if ((e = put(b, EV_SYSCALL)))
		*e = (struct ev_syscall){
			.ts = T0 + 100 * MS, .pid = CZ_READER,
			.tid = CZ_READER + 1, .comm = "reader", .nr = NR_READ,
			.arg = { 5, 0, 4096 }, .fd = 5,
			.fd_name = "pipe:[4242]",
			.flags = EV_SYSCALL_UNFINISHED };
	if ((e = put(b, EV_SYSCALL)))
		*e = (struct ev_syscall){
			.ts = T0 + 2000 * MS, .pid = CZ_READER,
			.tid = CZ_READER + 2, .comm = "reader", .nr = NR_FUTEX,
			.fd = -1, .flags = EV_SYSCALL_UNFINISHED };

	/* busy polling: 3000 epoll_wait(.., 0) in one second */
	for (int i = 0; i < 3000; i++)
		if ((e = put(b, EV_SYSCALL)))
			*e = (struct ev_syscall){
				.ts = T0 + 1000 * MS + (uint64_t)i * 300 * US,
				.dur = 1 * US, .pid = CZ_SPIN,
				.tid = CZ_SPIN + 1, .comm = "spin",
				.nr = NR_EPOLL_WAIT, .fd = 4,
				.arg = { 4, 0, 16, 0 } };
	for (int i = 0; i < 1100; i++)
		if ((e = put(b, EV_SYSCALL)))
			*e = (struct ev_syscall){
				.ts = T0 + 1000 * MS + (uint64_t)i * 900 * US,
				.dur = i < 500 ? 1 * US : 100 * MS,
				.pid = CZ_SPIN, .tid = CZ_SPIN + 2,
				.comm = "spin", .nr = NR_POLL, .fd = -1,
				.arg = { 0, 1, i < 500 ? 0 : 100 } };

	/* fd exhaustion */
	for (int i = 0; i < 45; i++) {
		snprintf(leak[i], sizeof(leak[i]), "/tmp/leak/%d", i);
		call(b, 600 * MS + (uint64_t)i * MS, 3 * US, CZ_LEAKY,
		     CZ_LEAKY, "leaky", NR_OPENAT, i < 40 ? 3 + i : -24,
		     leak[i]);
	}

	/* the run queue on cpu 0 */
	sw(b, 700 * MS, 0, "swapper/0", 0, CZ_RUNQ, "runq", 0);
	sw(b, 710 * MS, CZ_RUNQ, "runq", 0, CZ_RUNQ + 1, "runq-b", 0);
	sw(b, 760 * MS, CZ_RUNQ + 1, "runq-b", 0, CZ_RUNQ, "runq", 0);
	sw(b, 770 * MS, CZ_RUNQ, "runq", 1, CZ_RUNQ + 1, "runq-b", CZ_STACK);
	wake(b, 780 * MS, 0, CZ_RUNQ, CZ_RUNQ + 1, EV_WAKER_TASK, NULL);
	sw(b, 800 * MS, CZ_RUNQ + 1, "runq-b", 1, CZ_RUNQ, "runq", 0);
	wake(b, 805 * MS, 1, CZ_RUNQ + 1, 0, EV_WAKER_SOFTIRQ, "TIMER");
	sw(b, 810 * MS, CZ_RUNQ, "runq", 1, CZ_RUNQ + 1, "runq-b", CZ_STACK);
	sw(b, 820 * MS, CZ_RUNQ + 1, "runq-b", 1, 0, "swapper/0", 0);
	struct ev_stack *k = put(b, EV_STACK);
	if (k)
		*k = (struct ev_stack){
			.ts = T0 + 770 * MS, .cpu = 0, .tid = CZ_RUNQ,
			.stack_id = CZ_STACK,
			.frames = "entry_SYSCALL_64;do_syscall_64;ksys_read;"
				  "vfs_read;pipe_read;schedule" };

	/* block I/O */
	struct ev_block_io *io = put(b, EV_BLOCK_IO);
	if (io)
		*io = (struct ev_block_io){
			.ts = T0 + 265 * MS, .dur = 1500 * US, .cpu = 1,
			.dev = "vda", .op = EV_BLOCK_WRITE, .sector = 2048,
			.bytes = 4096, .pid = CZ_APP, .tid = CZ_APP,
			.comm = "app" };
	if ((io = put(b, EV_BLOCK_IO)))
		*io = (struct ev_block_io){
			.ts = T0 + 150 * MS, .dur = 30 * MS, .cpu = 0,
			.dev = "vda", .op = EV_BLOCK_READ, .sector = 99,
			.bytes = 512, .pid = CZ_READER, .tid = CZ_READER + 1,
			.comm = "reader", .error = -5 };
	if ((io = put(b, EV_BLOCK_IO)))
		*io = (struct ev_block_io){
			.ts = T0 + 160 * MS, .dur = 5 * MS, .cpu = 0,
			.dev = "vda", .op = EV_BLOCK_FLUSH, .pid = CZ_APP,
			.tid = CZ_APP, .comm = "app" };
}

static int wev_cmp(const void *a, const void *b)
{
	uint64_t x = ev_ts(&((const struct wev *)a)->u);
	uint64_t y = ev_ts(&((const struct wev *)b)->u);

	return x < y ? -1 : x > y;
}

static const struct { uint32_t pid; const char *comm; } procs[] = {
	{ CZ_APP, "app" }, { CZ_OK, "tidy" }, { CZ_KILLER, "killer" },
	{ CZ_VICTIM, "sleep" }, { CZ_HOG, "hog" }, { CZ_HOG + 1, "hog2" },
	{ CZ_HOG + 2, "crash" }, { CZ_READER, "reader" },
	{ CZ_SPIN, "spin" }, { CZ_LEAKY, "leaky" }, { CZ_RUNQ, "runq" },
	{ CZ_RUNQ + 1, "runq-b" },
};

int synth_causes_write(const char *path)
{
	struct store_writer_opts wo = { .force = 1, .chunk_events = 512 };
	struct wbuf b = { 0 };
	char err[STORE_ERRLEN];
	struct store_writer *w;
	int rc = 0;

	plant(&b);
	if (b.oom) {
		free(b.v);
		fprintf(stderr, "out of memory\n");
		return -1;
	}
	qsort(b.v, b.n, sizeof(*b.v), wev_cmp);
	if (!(w = store_writer_open(path, &wo, err))) {
		free(b.v);
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	for (size_t i = 0; i < b.n && !rc; i++)
		rc = store_writer_append(w, b.v[i].kind, &b.v[i].u);
	for (size_t i = 0; i < sizeof(procs) / sizeof(*procs) && !rc; i++) {
		struct store_process p = {
			.pid = procs[i].pid, .ppid = 1, .comm = procs[i].comm,
			.start_ts = T0 - 1000 * MS,
		};
		rc = store_writer_process(w, &p);
		for (uint32_t t = 0; t < 3 && !rc; t++)
			if (t == 0 || procs[i].pid == CZ_READER ||
			    procs[i].pid == CZ_SPIN)
				rc = store_writer_thread(w, procs[i].pid + t,
							 procs[i].pid,
							 procs[i].comm,
							 p.start_ts);
	}
	free(b.v);
	if (!rc)
		rc = store_writer_meta(w, "arch", "x86_64");
	return synth_finish(w, rc, "kscope record -a", T0, T0 + 3000 * MS);
}
