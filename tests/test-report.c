/*
 * test-report.c - every report's figures against events planted in a
 * synthetic trace (tests/synth.h).
 *
 * One trace is written in the group setup: 20000 synthetic syscalls (with
 * the scheduler, process and network events that come with them, on cpus
 * 0-3) plus planted events on pids/tids above 50000 and on cpu 7, which
 * the generator never uses, so the expected figures are known exactly:
 *
 *   slow      five openat calls of 60..64 s with paths /planted/slow/N,
 *             and a wait4 still running at the end
 *   errors    pid 50010: 7 openat ENOENT on /planted/missing, 3 connect
 *             ECONNREFUSED to 10.9.9.9:99
 *   runqlat   tid 50020: wakeup-to-run delays at bucket edges ->
 *             2-3 us: 1, 4-7 us: 3, 64-127 us: 2, 2048-4095 us: 1
 *   cpu       tid 50020 runs 1000 * (k + 1) ns for k = 0..6: 28000 ns
 *   offcpu    tid 50020 blocked (prev_state 2) once, inside an fsync
 *   net       pid 50030: a connection with 1500 bytes out, 2500 in,
 *             connect 250 us, lifetime 40 ms, 1 retransmit; and a connect
 *             reset by the peer
 *   procs     pid 50040 exits 3, then the pid is reused by a process that
 *             exits 0; pid 50041 is killed by signal 9, sent by 50042
 *             (a second SIGKILL, from 50043, came too late: ignored)
 *   lost      42 sched events and 8 syscall events in two seconds
 *
 * Reports run through report_run() with --format json into memory and
 * are read back with the strict JSON parser of tests/textparse.c.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "analyze/analyze.h"
#include "analyze/report/report.h"
#include "tests/synth.h"
#include "tests/textparse.h"

#define US 1000ull
#define MS 1000000ull
#define SEC 1000000000ull

#define T0 (7362ull * SEC)	/* the synth's start */
#define SLOW_PID 50001
#define ERR_PID 50010
#define RQ_TID 50020
#define NET_PID 50030
#define PROC_PID 50040
#define KILL_PID 50041

static char trace[64];

/* planted events: storage that lives as long as the synth */
static struct ev_syscall sc[32];
static struct ev_switch sw[32];
static struct ev_wakeup wk[16];
static struct ev_net net[16];
static struct ev_proc pr[16];
static struct ev_signal sg[4];
static struct synth_plant plant[128];
static size_t nplant;
static uint64_t rq_in[8], rq_out[8]; /* switch-in / -out of RQ_TID */
/* at bucket edges: 4 us and 7.999 us are bucket 2 (4-7 us), 3.999 us
 * bucket 1, 64 and 127.999 us bucket 6, 2048 us bucket 11 */
static const uint64_t rq_delay[7] = { 4000, 7999, 4000, 64000, 127999,
				      2048000, 3999 };

static void add(enum ev_kind kind, const void *ev)
{
	plant[nplant].kind = kind;
	plant[nplant].ev = ev;
	nplant++;
}

static int plant_cmp(const void *a, const void *b)
{
	uint64_t x = ev_ts(((const struct synth_plant *)a)->ev);
	uint64_t y = ev_ts(((const struct synth_plant *)b)->ev);

	return x < y ? -1 : x > y;
}

static void plant_all(void)
{
	static char slowpath[5][32];
	int n = 0, s = 0, w = 0, ne = 0, p = 0;

	/* five slow openat calls */
	for (int i = 0; i < 5; i++) {
		snprintf(slowpath[i], sizeof(slowpath[i]), "/planted/slow/%d",
			 i);
		sc[n++] = (struct ev_syscall){
			.ts = T0 + 50 * MS + (uint64_t)i * MS,
			.dur = (60 + (uint64_t)i) * SEC, .cpu = 1,
			.pid = SLOW_PID, .tid = SLOW_PID + 1, .nr = 257,
			.ret = 3 + i, .fd = -1, .comm = "planted-slow",
			.path = slowpath[i] };
	}
	/* a call still running when the recording stopped */
	sc[n++] = (struct ev_syscall){
		.ts = T0 + 150 * MS, .cpu = 1, .pid = SLOW_PID,
		.tid = SLOW_PID + 2, .nr = 61, .fd = -1,
		.flags = EV_SYSCALL_UNFINISHED, .comm = "planted-slow" };
	/* an exit_group (earlier: it would rank first if it counted as
	 * running): no result, but not still running */
	sc[n++] = (struct ev_syscall){
		.ts = T0 + 100 * MS, .cpu = 1, .pid = SLOW_PID,
		.tid = SLOW_PID + 3, .nr = 231, .fd = -1,
		.flags = EV_SYSCALL_UNFINISHED | EV_SYSCALL_EXITED,
		.comm = "planted-slow" };
	/* errors */
	for (int i = 0; i < 7; i++)
		sc[n++] = (struct ev_syscall){
			.ts = T0 + 60 * MS + (uint64_t)i * MS, .dur = 2 * US,
			.cpu = 2, .pid = ERR_PID, .tid = ERR_PID, .nr = 257,
			.ret = -2, .fd = -1, .comm = "planted-err",
			.path = "/planted/missing" };
	for (int i = 0; i < 3; i++)
		sc[n++] = (struct ev_syscall){
			.ts = T0 + 70 * MS + (uint64_t)i * MS, .dur = 30 * US,
			.cpu = 2, .pid = ERR_PID, .tid = ERR_PID, .nr = 42,
			.ret = -111, .fd = 5, .comm = "planted-err",
			.addr = "10.9.9.9:99" };

	/* tid RQ_TID on cpu 7: woken, runs 1000 * (k + 1) ns, switched out
	 * sleeping (k = 5: blocked, inside an fsync); after the sched hole
	 * of the lost rows below (a lost row's second and the one before) */
	for (int k = 0; k < 7; k++) {
		uint64_t wts = T0 + 1500 * MS + (uint64_t)k * 10 * MS;

		rq_in[k] = wts + rq_delay[k];
		rq_out[k] = rq_in[k] + 1000 * ((uint64_t)k + 1);
		wk[w++] = (struct ev_wakeup){ .ts = wts, .cpu = 0,
					      .tid = RQ_TID, .waker_tid = 1,
					      .target_cpu = 7, .prio = 120 };
		sw[s++] = (struct ev_switch){
			.ts = rq_in[k], .cpu = 7, .prev_tid = 0,
			.prev_state = 0, .prev_prio = 120, .next_tid = RQ_TID,
			.next_prio = 120, .prev_comm = "swapper/7",
			.next_comm = "planted-rq" };
		sw[s++] = (struct ev_switch){
			.ts = rq_out[k], .cpu = 7, .prev_tid = RQ_TID,
			.prev_state = k == 5 ? 2 : 1, .prev_prio = 120,
			.next_tid = 0, .next_prio = 120,
			.prev_comm = "planted-rq", .next_comm = "swapper/7" };
	}
	sc[n++] = (struct ev_syscall){
		.ts = rq_out[5] - 200, .dur = rq_in[6] - rq_out[5] + 400,
		.cpu = 7, .pid = RQ_TID, .tid = RQ_TID, .nr = 74, .ret = 0,
		.fd = 4, .comm = "planted-rq" };

	/* a TCP connection and a refused one */
	{
		uint64_t t = T0 + 200 * MS, sock = 0xdead0001;
		struct ev_net base = {
			.cpu = 3, .pid = NET_PID, .tid = NET_PID,
			.family = 2, .sport = 40000, .dport = 8443,
			.sock = sock, .comm = "planted-net",
			.saddr = "10.0.0.10", .daddr = "10.7.7.7" };

#define NET(dt, k, o, nw, b) do {                                      \
	net[ne] = base;                                                 \
	net[ne].ts = t + (dt);                                          \
	net[ne].kind = (k);                                             \
	net[ne].old_state = (o);                                        \
	net[ne].new_state = (nw);                                       \
	net[ne].bytes = (b);                                            \
	ne++;                                                           \
} while (0)
		NET(0, 0, 7, 2, 0);		/* CLOSE -> SYN_SENT */
		NET(250 * US, 0, 2, 1, 0);	/* -> ESTABLISHED */
		NET(1 * MS, 4, 0, 0, 1000);	/* send */
		NET(2 * MS, 5, 0, 0, 2500);	/* recv */
		NET(3 * MS, 1, 0, 0, 0);	/* retransmit */
		NET(4 * MS, 4, 0, 0, 500);	/* send */
		NET(39 * MS, 0, 1, 4, 0);	/* -> FIN_WAIT1 */
		NET(40 * MS, 0, 4, 7, 0);	/* -> CLOSE */
		base.sock = 0xdead0002;
		base.sport = 0;			/* not bound yet */
		base.dport = 9999;
		t += 300 * MS;
		NET(0, 0, 7, 2, 0);		/* CLOSE -> SYN_SENT */
		base.sport = 40001;
		base.sock = 0;			/* the peer: no socket */
		NET(90 * US, 2, 0, 0, 0);	/* reset sent */
		base.sock = 0xdead0002;
		NET(100 * US, 3, 0, 0, 0);	/* reset received */
		NET(120 * US, 0, 2, 7, 0);	/* -> CLOSE */
		/* a listener from before the recording: only its close */
		base.sock = 0xdead0003;
		base.sport = 8080;
		base.dport = 0;
		base.daddr = "0.0.0.0";
		NET(200 * US, 0, 10, 7, 0);	/* LISTEN -> CLOSE */
#undef NET
	}

	/* processes: 50040 exits 3, its pid reused by one exiting 0; 50041
	 * killed by SIGKILL */
	pr[p++] = (struct ev_proc){ .ts = T0 + 400 * MS, .kind = EV_PROC_FORK,
				    .pid = 1, .tid = 1, .child_pid = PROC_PID,
				    .comm = "systemd" };
	pr[p++] = (struct ev_proc){ .ts = T0 + 401 * MS, .kind = EV_PROC_EXEC,
				    .pid = PROC_PID, .tid = PROC_PID, .ppid = 1,
				    .comm = "false", .filename = "/usr/bin/false",
				    .argv = "false --planted" };
	pr[p++] = (struct ev_proc){ .ts = T0 + 420 * MS, .kind = EV_PROC_EXIT,
				    .pid = PROC_PID, .tid = PROC_PID, .ppid = 1,
				    .exit_code = 3, .comm = "false" };
	pr[p++] = (struct ev_proc){ .ts = T0 + 430 * MS, .kind = EV_PROC_EXEC,
				    .pid = KILL_PID, .tid = KILL_PID, .ppid = 1,
				    .comm = "sleep", .filename = "/usr/bin/sleep",
				    .argv = "sleep 1000" };
	pr[p++] = (struct ev_proc){ .ts = T0 + 440 * MS, .kind = EV_PROC_EXIT,
				    .pid = KILL_PID, .tid = KILL_PID, .ppid = 1,
				    .exit_signal = 9, .comm = "sleep" };
	pr[p++] = (struct ev_proc){ .ts = T0 + 600 * MS, .kind = EV_PROC_EXEC,
				    .pid = PROC_PID, .tid = PROC_PID, .ppid = 1,
				    .comm = "true", .filename = "/usr/bin/true",
				    .argv = "true --reused" };
	pr[p++] = (struct ev_proc){ .ts = T0 + 610 * MS, .kind = EV_PROC_EXIT,
				    .pid = PROC_PID, .tid = PROC_PID, .ppid = 1,
				    .exit_code = 0, .comm = "true" };

	for (int i = 0; i < n; i++)
		add(EV_SYSCALL, &sc[i]);
	for (int i = 0; i < s; i++)
		add(EV_SWITCH, &sw[i]);
	for (int i = 0; i < w; i++)
		add(EV_WAKEUP, &wk[i]);
	for (int i = 0; i < ne; i++)
		add(EV_NET, &net[i]);
	for (int i = 0; i < p; i++)
		add(EV_PROC, &pr[i]);
	sg[0] = (struct ev_signal){ .ts = T0 + 435 * MS, .cpu = 7,
				    .kind = EV_SIGNAL_GENERATE, .sig = 9,
				    .sender_pid = KILL_PID + 1,
				    .sender_tid = KILL_PID + 1,
				    .sender_comm = "pkill",
				    .target_pid = KILL_PID,
				    .target_tid = KILL_PID,
				    .target_comm = "sleep" };
	sg[1] = sg[0];
	sg[1].ts = T0 + 436 * MS;
	sg[1].sender_pid = sg[1].sender_tid = KILL_PID + 2;
	sg[1].sender_comm = "late";
	sg[1].result = 1; /* ignored: the process is dying */
	sg[2] = (struct ev_signal){ .ts = T0 + 437 * MS, .cpu = 7,
				    .kind = EV_SIGNAL_DELIVER, .sig = 9,
				    .target_pid = KILL_PID,
				    .target_tid = KILL_PID,
				    .target_comm = "sleep" };
	for (int i = 0; i < 3; i++)
		add(EV_SIGNAL, &sg[i]);
	qsort(plant, nplant, sizeof(plant[0]), plant_cmp);
}

static int write_trace(void)
{
	struct synth_opts o = SYNTH_OPTS_INIT;
	struct store_writer_opts wo = { .force = 1 };
	char err[STORE_ERRLEN];
	struct store_writer *w;
	struct synth *s;
	enum ev_kind kind;
	const void *ev;
	int rc;

	plant_all();
	o.syscalls = 20000;
	o.cpus = 4;
	o.rate = 10000;	/* about two seconds */
	o.ts_start = T0;
	o.plant = plant;
	o.nplant = nplant;
	if (!(s = synth_new(&o)))
		return -1;
	if (!(w = store_writer_open(trace, &wo, err))) {
		fprintf(stderr, "%s\n", err);
		synth_free(s);
		return -1;
	}
	while ((rc = synth_next(s, &kind, &ev)) > 0)
		if ((rc = store_writer_append(w, kind, ev)) < 0)
			break;
	if (rc == 0)
		rc = synth_write_meta(s, w);
	if (rc == 0)
		rc = synth_write_tables(s, w);
	/* planted processes and threads */
	struct store_process sp = { .pid = PROC_PID, .ppid = 1,
				    .start_ts = T0 + 400 * MS, .comm = "false",
				    .cmdline = "false --planted" };
	if (rc == 0)
		rc = store_writer_process(w, &sp);
	if (rc == 0)
		rc = store_writer_process_exit(w, PROC_PID, T0 + 420 * MS, 3, 0);
	sp = (struct store_process){ .pid = KILL_PID, .ppid = 1,
				     .start_ts = T0 + 425 * MS, .comm = "sleep",
				     .cmdline = "sleep 1000" };
	if (rc == 0)
		rc = store_writer_process(w, &sp);
	if (rc == 0)
		rc = store_writer_process_exit(w, KILL_PID, T0 + 440 * MS, 0, 9);
	sp = (struct store_process){ .pid = PROC_PID, .ppid = 1,
				     .start_ts = T0 + 590 * MS, .comm = "true",
				     .cmdline = "true --reused" };
	if (rc == 0)
		rc = store_writer_process(w, &sp);
	if (rc == 0)
		rc = store_writer_process_exit(w, PROC_PID, T0 + 610 * MS, 0, 0);
	if (rc == 0)
		rc = store_writer_thread(w, RQ_TID, RQ_TID, "planted-rq",
					 T0 + 1 * MS);
	if (rc == 0)
		rc = store_writer_thread(w, NET_PID, NET_PID, "planted-net",
					 T0 + 1 * MS);
	/* lost: two seconds of the trace */
	if (rc == 0)
		rc = store_writer_lost(w, T0 + 300 * MS, 1, "sched", 40);
	if (rc == 0)
		rc = store_writer_lost(w, T0 + 310 * MS, 2, "sched", 2);
	if (rc == 0)
		rc = store_writer_lost(w, T0 + 1300 * MS, 0, "syscall", 8);
	if (rc < 0)
		fprintf(stderr, "writer: %s\n", store_writer_errmsg(w));
	if (store_writer_close(w, err) < 0 && rc == 0) {
		fprintf(stderr, "%s\n", err);
		rc = -1;
	}
	synth_free(s);
	return rc;
}

static int setup(void **state)
{
	(void)state;
	snprintf(trace, sizeof(trace), "/tmp/kscope-test-report.%d.kscope",
		 (int)getpid());
	return write_trace() < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(trace);
	return 0;
}

/* ---- running a report ----------------------------------------------- */

struct run {
	char *text;
	size_t len;
	struct jv *doc;
	int rc;
	char err[REPORT_ERRLEN];
};

static void run_free(struct run *r)
{
	jv_free(r->doc);
	free(r->text);
}

/* Run report NAME with O (format forced to json) on the trace at PATH. */
static void run_on(struct run *r, const char *path, const char *name,
		   struct report_opts *o)
{
	char err[STORE_ERRLEN];
	struct store *st = analyze_trace_open(path, err);
	FILE *fp;

	memset(r, 0, sizeof(*r));
	assert_non_null(st);
	fp = open_memstream(&r->text, &r->len);
	assert_non_null(fp);
	o->fmt = OUTPUT_FORMAT_JSON;
	r->rc = report_run(st, report_find(name), o, fp, r->err,
			   sizeof(r->err));
	fclose(fp);
	store_close(st);
	if (r->rc == 0) {
		r->doc = json_parse(r->text, r->len, NULL);
		if (!r->doc)
			fprintf(stderr, "not JSON:\n%s\n", r->text);
		assert_non_null(r->doc);
	}
}

/* ... on the test trace */
static void run_opts(struct run *r, const char *name, struct report_opts *o)
{
	run_on(r, trace, name, o);
}

static void run_pid(struct run *r, const char *name, int64_t pid)
{
	struct report_opts o = REPORT_OPTS_INIT;

	o.pid = pid;
	o.top = 1000;
	run_opts(r, name, &o);
	assert_int_equal(r->rc, 0);
}

static const struct jv *table(const struct run *r, const char *key)
{
	const struct jv *t = json_get(json_get(r->doc, "tables"), key);

	assert_non_null(t);
	assert_int_equal(t->type, JV_ARRAY);
	return t;
}

static long long num(const struct jv *row, const char *key)
{
	const struct jv *v = json_get(row, key);

	assert_non_null(v);
	assert_int_equal(v->type, JV_NUMBER);
	return strtoll(v->s, NULL, 10);
}

static const char *str(const struct jv *row, const char *key)
{
	const struct jv *v = json_get(row, key);

	assert_non_null(v);
	if (v->type == JV_NULL)
		return NULL;
	assert_int_equal(v->type, JV_STRING);
	return v->s;
}

/* The row of table T whose KEY is the string VAL, or NULL. */
static const struct jv *row_where(const struct jv *t, const char *key,
				  const char *val)
{
	for (size_t i = 0; i < t->nitems; i++) {
		const struct jv *v = json_get(t->items[i], key);
		if (v && v->type == JV_STRING && !strcmp(v->s, val))
			return t->items[i];
	}
	return NULL;
}

/* The ts of the trace's last event. */
static uint64_t last_event(void)
{
	char err[STORE_ERRLEN];
	struct store *st = analyze_trace_open(trace, err);
	struct store_kind_stats ks;
	uint64_t last = 0;

	assert_non_null(st);
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		assert_int_equal(store_kind_stats(st, (enum ev_kind)k, &ks), 0);
		if (ks.events && ks.ts_max > last)
			last = ks.ts_max;
	}
	store_close(st);
	return last;
}

/* ---- the tests ------------------------------------------------------ */

static void test_slow_five(void **state)
{
	struct report_opts o = REPORT_OPTS_INIT;
	struct run r;

	(void)state;
	o.top = 5;
	run_opts(&r, "slow", &o);
	assert_int_equal(r.rc, 0);
	const struct jv *t = table(&r, "slowest");
	assert_int_equal(t->nitems, 5);
	for (int i = 0; i < 5; i++) {
		char path[32];
		const struct jv *row = t->items[i];

		snprintf(path, sizeof(path), "/planted/slow/%d", 4 - i);
		assert_int_equal(num(row, "rank"), i + 1);
		assert_int_equal(num(row, "dur_ns"), (64 - i) * SEC);
		assert_int_equal(num(row, "ts"), T0 + 50 * MS + (4 - i) * MS);
		assert_string_equal(str(row, "target"), path);
		assert_string_equal(str(row, "syscall"), "openat");
		assert_string_equal(str(row, "comm"), "planted-slow");
		assert_int_equal(num(row, "pid"), SLOW_PID);
		assert_int_equal(num(row, "tid"), SLOW_PID + 1);
	}
	/* the unfinished call, running for at least the rest of the trace */
	t = table(&r, "unfinished");
	assert_int_equal(t->nitems, 1);
	assert_string_equal(str(t->items[0], "syscall"), "wait4");
	assert_int_equal(num(t->items[0], "dur_ns"),
			 num(json_get(r.doc, "window"), "to_ts") -
			 (long long)(T0 + 150 * MS));
	run_free(&r);

	/* the summary's slowest are the same */
	run_opts(&r, "summary", &o);
	assert_int_equal(r.rc, 0);
	t = table(&r, "slowest");
	assert_int_equal(t->nitems, 5);
	assert_string_equal(str(t->items[0], "target"), "/planted/slow/4");
	assert_string_equal(str(t->items[4], "target"), "/planted/slow/0");
	run_free(&r);
}

static void test_syscalls_percentiles(void **state)
{
	struct report_opts o = REPORT_OPTS_INIT;
	const char *names[] = { "openat" };
	struct run r;

	(void)state;
	o.pid = SLOW_PID;
	o.names = names;
	o.nnames = 1;
	run_opts(&r, "syscalls", &o);
	assert_int_equal(r.rc, 0);
	const struct jv *t = table(&r, "by_syscall");
	assert_int_equal(t->nitems, 3);
	const struct jv *row = row_where(t, "syscall", "exit_group");
	assert_non_null(row);
	assert_int_equal(num(row, "calls"), 1);
	assert_int_equal(num(row, "unfinished"), 0);
	row = row_where(t, "syscall", "wait4");
	assert_non_null(row);
	assert_int_equal(num(row, "calls"), 1);
	assert_int_equal(num(row, "unfinished"), 1);
	assert_int_equal(num(row, "total_ns"), 0);
	assert_int_equal(json_get(row, "max_ns")->type, JV_NULL);
	row = t->items[0];
	assert_string_equal(str(row, "syscall"), "openat");
	assert_int_equal(num(row, "calls"), 5);
	assert_int_equal(num(row, "errors"), 0);
	assert_int_equal(num(row, "total_ns"), 310 * SEC);
	assert_int_equal(num(row, "p50_ns"), 62 * SEC); /* rank ceil(2.5) */
	assert_int_equal(num(row, "p90_ns"), 64 * SEC);
	assert_int_equal(num(row, "p99_ns"), 64 * SEC);
	assert_int_equal(num(row, "max_ns"), 64 * SEC);
	/* 60..64 s = 6e7..6.4e7 us: all in [2^25, 2^26) */
	t = table(&r, "histogram_openat");
	assert_int_equal(t->nitems, 26);
	for (size_t i = 0; i < 25; i++)
		assert_int_equal(num(t->items[i], "count"), 0);
	assert_int_equal(num(t->items[25], "lo_us"), 1 << 25);
	assert_int_equal(num(t->items[25], "hi_us"), (1 << 26) - 1);
	assert_int_equal(num(t->items[25], "count"), 5);
	run_free(&r);

	/* a name that is no syscall is an error */
	const char *bad[] = { "nosuchcall" };
	o.names = bad;
	run_opts(&r, "syscalls", &o);
	assert_int_equal(r.rc, -EINVAL);
	assert_non_null(strstr(r.err, "nosuchcall"));
	run_free(&r);
}

static void test_errors_by_errno(void **state)
{
	struct run r;

	(void)state;
	run_pid(&r, "errors", ERR_PID);
	const struct jv *t = table(&r, "by_syscall"), *row;
	assert_int_equal(t->nitems, 2);
	row = t->items[0];
	assert_string_equal(str(row, "syscall"), "openat");
	assert_string_equal(str(row, "error"), "ENOENT");
	assert_int_equal(num(row, "count"), 7);
	assert_int_equal(num(row, "processes"), 1);
	assert_string_equal(str(row, "examples"), "/planted/missing");
	row = t->items[1];
	assert_string_equal(str(row, "syscall"), "connect");
	assert_string_equal(str(row, "error"), "ECONNREFUSED");
	assert_int_equal(num(row, "count"), 3);
	assert_string_equal(str(row, "examples"), "10.9.9.9:99");
	t = table(&r, "by_errno");
	assert_int_equal(t->nitems, 2);
	assert_int_equal(num(row_where(t, "error", "ENOENT"), "count"), 7);
	assert_int_equal(num(row_where(t, "error", "ECONNREFUSED"), "count"),
			 3);
	t = table(&r, "by_process");
	assert_int_equal(t->nitems, 2);
	assert_int_equal(num(t->items[0], "pid"), ERR_PID);
	assert_string_equal(str(t->items[0], "comm"), "planted-err");
	run_free(&r);

	/* files: the failed opens of the same process */
	run_pid(&r, "files", ERR_PID);
	t = table(&r, "failed_opens");
	assert_int_equal(t->nitems, 1);
	assert_string_equal(str(t->items[0], "path"), "/planted/missing");
	assert_string_equal(str(t->items[0], "error"), "ENOENT");
	assert_int_equal(num(t->items[0], "count"), 7);
	t = table(&r, "by_process");
	assert_int_equal(num(t->items[0], "opens"), 7);
	assert_int_equal(num(t->items[0], "failed_opens"), 7);
	run_free(&r);

	/* --comm picks the same calls */
	struct report_opts o = REPORT_OPTS_INIT;
	o.comm = "planted-err";
	run_opts(&r, "errors", &o);
	assert_int_equal(r.rc, 0);
	t = table(&r, "by_errno");
	assert_int_equal(t->nitems, 2);
	run_free(&r);
}

static void test_runqlat_histogram(void **state)
{
	struct run r;

	(void)state;
	run_pid(&r, "runqlat", RQ_TID);
	const struct jv *t = table(&r, "histogram");
	/* buckets 0..11 printed (the last non-empty is 2048-4095 us) */
	assert_int_equal(t->nitems, 12);
	for (size_t i = 0; i < t->nitems; i++) {
		long long want = i == 1 ? 1 : i == 2 ? 3 : i == 6 ? 2 :
				 i == 11 ? 1 : 0;
		assert_int_equal(num(t->items[i], "count"), want);
	}
	t = table(&r, "stats");
	assert_int_equal(num(t->items[0], "runs"), 7);
	assert_int_equal(num(t->items[0], "max_ns"), 2048 * US);
	assert_int_equal(num(t->items[0], "p50_ns"), 7999);
	t = table(&r, "longest_waits");
	assert_int_equal(t->nitems, 1);
	assert_int_equal(num(t->items[0], "tid"), RQ_TID);
	assert_string_equal(str(t->items[0], "comm"), "planted-rq");
	assert_int_equal(num(t->items[0], "max_ns"), 2048 * US);
	assert_int_equal(num(t->items[0], "max_at_ts"), rq_in[5]);
	assert_int_equal(num(t->items[0], "total_ns"), 2259997);
	run_free(&r);
}

static void test_cpu_time(void **state)
{
	struct run r;

	(void)state;
	run_pid(&r, "cpu", RQ_TID);
	const struct jv *t = table(&r, "by_thread");
	assert_int_equal(t->nitems, 1);
	assert_int_equal(num(t->items[0], "tid"), RQ_TID);
	assert_int_equal(num(t->items[0], "oncpu_ns"), 28000);
	assert_int_equal(num(t->items[0], "switches_in"), 7);
	t = table(&r, "by_process");
	assert_int_equal(t->nitems, 1);
	assert_int_equal(num(t->items[0], "pid"), RQ_TID);
	assert_int_equal(num(t->items[0], "oncpu_ns"), 28000);
	/* cpu7 appears in the utilization table */
	t = table(&r, "utilization");
	assert_int_equal(t->nitems, 10);
	assert_non_null(json_get(t->items[0], "cpu7"));
	run_free(&r);
}

static void test_offcpu_states(void **state)
{
	struct run r;
	uint64_t sleeping = 0;

	(void)state;
	run_pid(&r, "offcpu", RQ_TID);
	uint64_t to = (uint64_t)num(json_get(r.doc, "window"), "to_ts");
	uint64_t last = last_event();
	for (int k = 0; k < 6; k++)
		if (k != 5)
			sleeping += rq_in[k + 1] - rq_out[k];
	/* off until the last recorded event: after it the trace does not
	 * know (partial when the window goes on) */
	sleeping += (last < to ? last : to) - rq_out[6];
	const struct jv *t = table(&r, "by_thread");
	assert_int_equal(t->nitems, 1);
	assert_int_equal(num(t->items[0], "blocked_ns"), rq_in[6] - rq_out[5]);
	assert_int_equal(num(t->items[0], "sleeping_ns"), sleeping);
	assert_int_equal(num(t->items[0], "preempted_ns"), 0);
	assert_int_equal(num(t->items[0], "switches_out"), 7);
	assert_int_equal(num(t->items[0], "partial"), last < to);
	t = table(&r, "by_syscall");
	const struct jv *row = row_where(t, "state", "blocked");
	assert_non_null(row);
	assert_string_equal(str(row, "syscall"), "fsync");
	assert_int_equal(num(row, "time_ns"), rq_in[6] - rq_out[5]);
	assert_int_equal(num(row, "count"), 1);
	run_free(&r);
}

static void test_net_connection(void **state)
{
	struct run r;

	(void)state;
	run_pid(&r, "net", NET_PID);
	const struct jv *t = table(&r, "connections"), *c;
	assert_int_equal(t->nitems, 2);
	c = row_where(t, "remote", "10.7.7.7:8443");
	assert_non_null(c);
	assert_string_equal(str(c, "local"), "10.0.0.10:40000");
	assert_string_equal(str(c, "role"), "active");
	assert_string_equal(str(c, "comm"), "planted-net");
	assert_int_equal(num(c, "sent_bytes"), 1500);
	assert_int_equal(num(c, "recv_bytes"), 2500);
	assert_int_equal(num(c, "connect_ns"), 250 * US);
	assert_int_equal(num(c, "lifetime_ns"), 40 * MS);
	assert_int_equal(num(c, "retransmits"), 1);
	assert_string_equal(str(c, "state"), "closed");
	c = row_where(t, "remote", "10.7.7.7:9999");
	assert_non_null(c);
	assert_string_equal(str(c, "state"), "failed");
	assert_string_equal(str(c, "local"), "10.0.0.10:40001");
	assert_int_equal(num(c, "resets"), 1);
	t = table(&r, "failed_connects");
	assert_int_equal(t->nitems, 1);
	assert_string_equal(str(t->items[0], "remote"), "10.7.7.7:9999");
	assert_string_equal(str(t->items[0], "reason"), "reset by peer");
	assert_int_equal(num(t->items[0], "after_ns"), 120 * US);
	/* the reset sent for no socket is a note, not a connection */
	const struct jv *notes = json_get(r.doc, "notes");
	int found = 0;
	for (size_t i = 0; i < notes->nitems; i++)
		found |= !strncmp(notes->items[i]->s, "1 reset was sent", 16);
	assert_true(found);
	run_free(&r);
}

static void test_procs_exits(void **state)
{
	struct run r;
	int codes = 0;

	(void)state;
	run_pid(&r, "procs", PROC_PID);
	const struct jv *t = table(&r, "tree");
	/* the reused pid is two processes, each with its own exit */
	for (size_t i = 0; i < t->nitems; i++) {
		const struct jv *row = t->items[i];
		if (num(row, "pid") != PROC_PID)
			continue;
		if (num(row, "exit_code") == 3) {
			codes |= 1;
			assert_string_equal(str(row, "argv"),
					    "false --planted");
			assert_int_equal(num(row, "lifetime_ns"), 20 * MS);
		} else if (num(row, "exit_code") == 0) {
			codes |= 2;
			assert_string_equal(str(row, "argv"), "true --reused");
			assert_int_equal(num(row, "lifetime_ns"), 20 * MS);
		}
	}
	assert_int_equal(codes, 3);
	run_free(&r);

	run_pid(&r, "procs", -1);
	t = table(&r, "failed");
	const struct jv *a = NULL, *b = NULL;
	for (size_t i = 0; i < t->nitems; i++) {
		if (num(t->items[i], "pid") == PROC_PID)
			a = t->items[i];
		if (num(t->items[i], "pid") == KILL_PID)
			b = t->items[i];
	}
	assert_non_null(a);
	assert_int_equal(num(a, "exit_code"), 3);
	assert_null(str(a, "killed_by"));
	assert_non_null(b);
	assert_int_equal(num(b, "signal"), 9);
	assert_string_equal(str(b, "killed_by"), "SIGKILL from 50042 (pkill)");
	run_free(&r);
}

static void test_lost_in_window(void **state)
{
	struct report_opts o = REPORT_OPTS_INIT;
	struct run r;
	const struct jv *lost;

	(void)state;
	run_opts(&r, "errors", &o);
	assert_int_equal(r.rc, 0);
	lost = json_get(r.doc, "lost");
	assert_int_equal(num(lost, "events"), 50);
	assert_int_equal(num(json_get(lost, "by_class"), "sched"), 42);
	assert_int_equal(num(json_get(lost, "by_class"), "syscall"), 8);
	run_free(&r);

	/* the summary shows where: one window per class and run of seconds */
	run_opts(&r, "summary", &o);
	assert_int_equal(r.rc, 0);
	const struct jv *t = table(&r, "lost_windows");
	assert_int_equal(t->nitems, 2);
	run_free(&r);

	/* a lost row covers its whole second: [T0, T0 + 1 s) for sched */
	o.has_from = o.has_to = 1;
	o.from = T0 + 100 * MS;
	o.to = T0 + 200 * MS;
	run_opts(&r, "slow", &o);
	assert_int_equal(r.rc, 0);
	lost = json_get(r.doc, "lost");
	assert_int_equal(num(lost, "events"), 42);
	assert_null(json_get(json_get(lost, "by_class"), "syscall"));
	run_free(&r);

	/* a window after the last lost second has none */
	o.from = T0 + 2000 * MS;
	o.to = T0 + 2100 * MS;
	run_opts(&r, "slow", &o);
	assert_int_equal(r.rc, 0);
	assert_int_equal(num(json_get(r.doc, "lost"), "events"), 0);
	run_free(&r);

	/* a window that touches only the second second */
	o.from = T0 + 1500 * MS;
	o.to = T0 + 1600 * MS;
	run_opts(&r, "cpu", &o);
	assert_int_equal(r.rc, 0);
	lost = json_get(r.doc, "lost");
	assert_int_equal(num(lost, "events"), 8);
	assert_null(json_get(json_get(lost, "by_class"), "sched"));
	run_free(&r);
}

static void test_window_narrows(void **state)
{
	struct report_opts o = REPORT_OPTS_INIT;
	struct run r;

	(void)state;
	/* the first two slow calls only */
	o.has_from = o.has_to = 1;
	o.from = T0 + 50 * MS;
	o.to = T0 + 51 * MS;
	o.pid = SLOW_PID;
	run_opts(&r, "slow", &o);
	assert_int_equal(r.rc, 0);
	const struct jv *t = table(&r, "slowest");
	assert_int_equal(t->nitems, 2);
	assert_int_equal(num(t->items[0], "dur_ns"), 61 * SEC);
	run_free(&r);
}

static void test_formats(void **state)
{
	struct report_opts o = REPORT_OPTS_INIT;
	char err[STORE_ERRLEN], rerr[REPORT_ERRLEN];
	struct store *st = analyze_trace_open(trace, err);

	(void)state;
	assert_non_null(st);
	for (const struct report_desc *d = report_descs; d->name; d++) {
		for (int f = 0; f < 3; f++) {
			char *text = NULL;
			size_t len = 0;
			FILE *fp = open_memstream(&text, &len);

			o.fmt = f == 0 ? OUTPUT_FORMAT_TABLE :
				f == 1 ? OUTPUT_FORMAT_CSV : OUTPUT_FORMAT_JSON;
			assert_int_equal(report_run(st, d, &o, fp, rerr,
						    sizeof(rerr)), 0);
			fclose(fp);
			if (f == 1) {
				/* each "# name" block is strict CSV */
				assert_true(len > 0);
				char *p = text;
				while ((p = strstr(p, "# ")) != NULL) {
					char *start = strstr(p, "\r\n") + 2;
					char *end = strstr(start, "\r\n\r\n");
					size_t n = end ? (size_t)(end - start) + 2 :
						   strlen(start);
					struct csv_doc *c = csv_parse(start, n);
					assert_non_null(c);
					assert_true(c->nrows >= 1);
					csv_free(c);
					p = start + n;
				}
				/* the lost events are in the report row */
				assert_non_null(strstr(text,
						",50,\"sched 42, syscall 8\""));
			} else if (f == 2) {
				struct jv *v = json_parse(text, len, NULL);
				assert_non_null(v);
				jv_free(v);
			} else {
				assert_non_null(strstr(text, "LOST    50 "
							      "events"));
			}
			free(text);
		}
	}
	store_close(st);
}

static void test_corrupt_chunk(void **state)
{
	char copy[96], err[STORE_ERRLEN], cmd[256];
	struct report_opts o = REPORT_OPTS_INIT;
	sqlite3 *db;
	struct run r;

	(void)state;
	snprintf(copy, sizeof(copy), "%s.bad", trace);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", trace, copy);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE chunk_data SET data ="
				      " zeroblob(length(data)) WHERE id ="
				      " (SELECT min(id) FROM chunks WHERE"
				      " kind = 0)", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);

	struct store *st = analyze_trace_open(copy, err);
	assert_non_null(st);
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	o.fmt = OUTPUT_FORMAT_JSON;
	r.rc = report_run(st, report_find("slow"), &o, fp, r.err,
			  sizeof(r.err));
	fclose(fp);
	free(text);
	store_close(st);
	unlink(copy);
	assert_true(r.rc < 0);
	assert_non_null(strstr(r.err, "chunk "));
	assert_non_null(strstr(r.err, "of syscalls"));
}

/* Extreme pids: 0xFFFFFFFF is a pid like any other.  Chunks of two
 * events: [PID_MAX, 7] [7, 7] [PID_MAX, PID_MAX]; the summary's busiest
 * processes must say 3 calls for each, counted from the events written. */
static void test_summary_extreme_pid(void **state)
{
	static const uint32_t pids[] = { UINT32_MAX, 7, 7, 7, UINT32_MAX,
					 UINT32_MAX };
	struct store_writer_opts wo = { .force = 1, .chunk_events = 2 };
	struct report_opts o = REPORT_OPTS_INIT;
	char path[96], err[STORE_ERRLEN];
	uint64_t want_max = 0, want_7 = 0;
	struct store_writer *w;
	struct run r;

	(void)state;
	snprintf(path, sizeof(path), "%s.pids", trace);
	w = store_writer_open(path, &wo, err);
	assert_non_null(w);
	for (size_t i = 0; i < sizeof(pids) / sizeof(*pids); i++) {
		struct ev_syscall e = {
			.ts = T0 + i * MS, .dur = 1000, .pid = pids[i],
			.tid = pids[i], .nr = 0, .ret = 1, .fd = 3,
			.comm = "x",
		};
		assert_int_equal(store_writer_append(w, EV_SYSCALL, &e), 0);
		want_max += pids[i] == UINT32_MAX;
		want_7 += pids[i] == 7;
	}
	assert_int_equal(store_writer_close(w, err), 0);
	o.top = 10;
	run_on(&r, path, "summary", &o);
	unlink(path);
	assert_int_equal(r.rc, 0);
	const struct jv *t = table(&r, "busiest_processes");
	int seen = 0;
	for (size_t i = 0; i < t->nitems; i++) {
		long long pid = num(t->items[i], "pid");
		long long calls = num(t->items[i], "calls");
		if (pid == UINT32_MAX)
			assert_int_equal(calls, want_max), seen |= 1;
		else if (pid == 7)
			assert_int_equal(calls, want_7), seen |= 2;
		else
			fail_msg("pid %lld appears from nowhere", pid);
	}
	assert_int_equal(seen, 3);
	run_free(&r);
}

/* Durations that sum past INT64_MAX ns: the sums stay at INT64_MAX (the
 * largest figure), never wrap to a small or negative one. */
static void test_summary_extreme_dur(void **state)
{
	struct store_writer_opts wo = { .force = 1 };
	struct report_opts o = REPORT_OPTS_INIT;
	char path[96], err[STORE_ERRLEN];
	struct store_writer *w;
	struct run r;

	(void)state;
	snprintf(path, sizeof(path), "%s.durs", trace);
	w = store_writer_open(path, &wo, err);
	assert_non_null(w);
	for (int i = 0; i < 3; i++) {
		struct ev_syscall e = {
			.ts = T0 + (uint64_t)i * MS, .dur = INT64_MAX - i,
			.pid = 9, .tid = 9, .nr = 0, .ret = 1, .fd = 3,
			.comm = "x",
		};
		assert_int_equal(store_writer_append(w, EV_SYSCALL, &e), 0);
	}
	assert_int_equal(store_writer_close(w, err), 0);
	run_on(&r, path, "summary", &o);
	assert_int_equal(r.rc, 0);
	const struct jv *t = table(&r, "busiest_processes");
	assert_int_equal(t->nitems, 1);
	assert_int_equal(num(t->items[0], "syscall_time_ns"), INT64_MAX);
	t = table(&r, "top_syscalls");
	assert_int_equal(num(t->items[0], "total_ns"), INT64_MAX);
	run_free(&r);
	run_on(&r, path, "syscalls", &o);
	unlink(path);
	assert_int_equal(r.rc, 0);
	t = table(&r, "by_syscall");
	assert_int_equal(num(t->items[0], "total_ns"), INT64_MAX);
	run_free(&r);
}

/* Extreme syscall numbers: the syscalls report ranks calls of equal time
 * by number, whatever the numbers (a comparator that subtracted them
 * overflowed and left the order to chance).  One call of each number,
 * all of the same duration, in no order. */
static void test_syscalls_extreme_nr(void **state)
{
	static const int32_t nrs[] = { INT32_MAX, -2, 5, INT32_MIN, 0,
				       INT32_MAX - 1, -100000, INT32_MIN + 1,
				       1000000000, -1000000000, 7, 3 };
	enum { N = sizeof(nrs) / sizeof(*nrs) };
	struct store_writer_opts wo = { .force = 1 };
	struct report_opts o = REPORT_OPTS_INIT;
	char path[96], err[STORE_ERRLEN], want[N][32];
	int32_t sorted[N];
	struct store_writer *w;
	struct run r;

	(void)state;
	snprintf(path, sizeof(path), "%s.nrs", trace);
	w = store_writer_open(path, &wo, err);
	assert_non_null(w);
	for (size_t i = 0; i < N; i++) {
		struct ev_syscall e = {
			.ts = T0 + i * MS, .dur = 1000, .pid = 1, .tid = 1,
			.nr = nrs[i], .ret = 0, .fd = -1, .comm = "x",
		};
		assert_int_equal(store_writer_append(w, EV_SYSCALL, &e), 0);
	}
	assert_int_equal(store_writer_close(w, err), 0);
	/* the expected order, by insertion sort of the numbers */
	for (size_t i = 0; i < N; i++) {
		size_t j = i;
		for (; j > 0 && sorted[j - 1] > nrs[i]; j--)
			sorted[j] = sorted[j - 1];
		sorted[j] = nrs[i];
	}
	for (size_t i = 0; i < N; i++)
		snprintf(want[i], sizeof(want[i]), "sys_%d", sorted[i]);
	o.top = 100;
	run_on(&r, path, "syscalls", &o);
	unlink(path);
	assert_int_equal(r.rc, 0);
	const struct jv *t = table(&r, "by_syscall");
	assert_int_equal(t->nitems, N);
	for (size_t i = 0; i < N; i++)
		assert_string_equal(str(t->items[i], "syscall"), want[i]);
	run_free(&r);
}

/* store_scan (what the reports read through) agrees with SQL over a
 * window that cuts chunks, and reads strings lazily */
struct scan_sum {
	uint64_t n, dur, paths;
};

static int scan_sum_each(const struct store_batch *b, void *arg)
{
	struct scan_sum *a = arg;
	const char *p;

	for (uint32_t i = 0; i < b->n; i++) {
		a->n++;
		a->dur += (uint64_t)b->col[1][i];
		assert_int_equal(store_batch_str(b, 16, i, &p), 0);
		a->paths += p && !strncmp(p, "/planted/", 9);
	}
	return 0;
}

static void test_scan_matches_sql(void **state)
{
	char err[STORE_ERRLEN];
	struct store *st = analyze_trace_open(trace, err);
	struct scan_sum a = { 0 };
	sqlite3_stmt *s;
	uint64_t lo = T0 + 52 * MS, hi = T0 + 1500 * MS;

	(void)state;
	assert_non_null(st);
	assert_string_equal(ev_desc(EV_SYSCALL)->fields[1].name, "dur");
	assert_string_equal(ev_desc(EV_SYSCALL)->fields[16].name, "path");
	assert_int_equal(store_scan(st, EV_SYSCALL, 1ull << 1, lo, hi,
				    scan_sum_each, &a), 0);
	assert_int_equal(sqlite3_prepare_v2(store_db(st), "SELECT count(*),"
			 " sum(dur), sum(path LIKE '/planted/%') FROM syscalls"
			 " WHERE ts BETWEEN ?1 AND ?2", -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, (int64_t)lo);
	sqlite3_bind_int64(s, 2, (int64_t)hi);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(a.n > 1000);
	assert_int_equal(a.n, sqlite3_column_int64(s, 0));
	assert_int_equal(a.dur, sqlite3_column_int64(s, 1));
	/* /planted/slow/2..4 and the seven /planted/missing */
	assert_int_equal(a.paths, sqlite3_column_int64(s, 2));
	assert_int_equal(a.paths, 10);
	sqlite3_finalize(s);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slow_five),
		cmocka_unit_test(test_syscalls_percentiles),
		cmocka_unit_test(test_errors_by_errno),
		cmocka_unit_test(test_runqlat_histogram),
		cmocka_unit_test(test_cpu_time),
		cmocka_unit_test(test_offcpu_states),
		cmocka_unit_test(test_net_connection),
		cmocka_unit_test(test_procs_exits),
		cmocka_unit_test(test_lost_in_window),
		cmocka_unit_test(test_window_narrows),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_corrupt_chunk),
		cmocka_unit_test(test_scan_matches_sql),
		cmocka_unit_test(test_summary_extreme_pid),
		cmocka_unit_test(test_syscalls_extreme_nr),
		cmocka_unit_test(test_summary_extreme_dur),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
