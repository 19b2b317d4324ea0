/*
 * record.c - `kscope record`: capture kernel events into a trace file.
 *
 *     kscope record -o t.kscope -- make -j4      # one command's tree
 *     kscope record -d 10s                       # the whole system, 10 s
 *     kscope record -p 1234,5678 -e syscall,net  # running processes
 *
 * The steps, in order: parse options, load the BPF programs (session.c),
 * find CMD on PATH, create the trace (store/), start CMD blocked on a pipe
 * (child.c), mark the targets or the --cgroup (cgroup.c),
 * snapshot /proc (procfs.c), attach, note the calls the
 * snapshot's threads are already blocked in (they are written when they
 * return, flagged early), release CMD.  Then loop: wait for the
 * ring buffer (woken by the BPF side past a threshold, or every 100 ms),
 * convert the drained batch (convert.c), and once a second record lost
 * events, flush (a commit: SIGKILL loses at most that second) and update
 * the progress line.  On -d, SIGINT, SIGTERM, SIGQUIT, SIGHUP (not when
 * ignored at start, as under nohup) or CMD's exit: detach, drain,
 * write the calls still in flight, meta, close, and exit with CMD's status.
 *
 * Only this file prints; everything it calls returns -errno.
 */
#include "config.h"
#include "kscope.h"
#include "analyze/output/plural.h"
#include "record/record.h"
#include "record/redact.h"
#include "analyze/output/textesc.h"
#include "store/systab.h"
#include "bpf/filter.h"

#include <bpf/libbpf.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REC_POLL_MS 100

static volatile sig_atomic_t rec_signal;

static void rec_on_signal(int sig)
{
	rec_signal = sig;
}

/* The signals that end a recording, and SIGUSR1 (a snapshot request). */
static const int rec_finish_signals[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };
#define REC_NFINISH \
	(sizeof(rec_finish_signals) / sizeof(rec_finish_signals[0]))

static void rec_signals_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < REC_NFINISH; i++)
		sigaddset(set, rec_finish_signals[i]);
	sigaddset(set, SIGUSR1);
}

/* From the moment the trace exists these signals wait (blocked, so not
 * discarded even where they are ignored, as sh starts background jobs
 * with SIGINT) until rec_signals_install; *OLD gets the mask to restore.
 * Whoever sees the trace may send them at once: while the recorder sets
 * up (its /proc snapshot, attaching) they would otherwise be lost, or,
 * SIGUSR1, kill it. */
static void rec_signals_hold(sigset_t *old)
{
	sigset_t set;

	rec_signals_set(&set);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* From here on SIGINT, SIGTERM, SIGQUIT and SIGHUP end the recording as
 * -d does (a closed ssh session sends SIGHUP): the loop sees rec_signal
 * and the trace is finished.  SIGHUP ignored when kscope starts (nohup)
 * stays ignored, so the recording goes on.  SIGPIPE is ignored: messages
 * to a closed pipe are lost, the recording is not.  Installed after CMD is
 * forked, so CMD keeps the dispositions kscope was started with.  Then the
 * mask OLD of rec_signals_hold is restored: signals held since are
 * delivered now. */
static void rec_signals_install(const sigset_t *old)
{
	struct sigaction sa = { .sa_handler = rec_on_signal }, prev;

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < REC_NFINISH; i++) {
		int sig = rec_finish_signals[i];

		if (sig == SIGHUP && sigaction(SIGHUP, NULL, &prev) == 0 &&
		    prev.sa_handler == SIG_IGN)
			continue;
		sigaction(sig, &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_SETMASK, old, NULL);
}

/* libbpf's own messages: only with KSCOPE_DEBUG set in the environment. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!getenv("KSCOPE_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: kscope record [-o FILE] [-d DURATION] [-p PID[,PID]] [-a] [-e CLASSES]\n"
"                     [--cgroup PATH] [--max-size SIZE [--ring]]\n"
"                     [--buffer-size SIZE] [--no-stacks] [--no-compact]\n"
"                     [-q] [-f]\n"
"                     [--syscalls LIST] [--slower-than D] [--errors-only]\n"
"                     [--no-errors] [--comm NAME]...\n"
"                     [--redact WHAT] [--redact-pattern RE]...\n"
"                     [--trigger FILTER [--trigger-after D]]\n"
"                     [--budget cpu=PCT,rate=SIZE/s]\n"
"                     [--snaplen N]\n"
"                     [-- CMD ARGS...]\n"
"       kscope record --snapshot PID\n"
"\n"
"Record system calls, scheduling, process and TCP events with eBPF into a\n"
"trace file.  With CMD, run it and record its process tree until it exits,\n"
"then exit with its status (128+N for signal N; 1 if the recording itself\n"
"failed); otherwise record the whole system until -d elapses or\n"
"SIGINT, SIGTERM, SIGQUIT or SIGHUP (each finishes the trace; SIGHUP is\n"
"left ignored under nohup).\n"
"\n"
"  -o, --output FILE     trace to write (default ./" REC_DEFAULT_FILE ")\n"
"  -f, --force           replace FILE if it exists\n"
"  -d, --duration D      stop after D (e.g. 10, 10s, 500ms, 2m, 1h)\n"
"  -p, --pid PID,...     record these processes, their threads and\n"
"                        descendants (existing and new), and the calls\n"
"                        they are already blocked in\n"
"  -a, --all             record the whole system (also with CMD)\n"
"  -e, --events CLASSES  syscall,sched,proc,net,block (default: all)\n"
"      --cgroup PATH     only tasks in this cgroup v2 (absolute, or\n"
"                        relative to the cgroup2 mount)\n"
"      --max-size SIZE   stop when the trace reaches SIZE (e.g. 512M)\n"
"      --ring            with --max-size: drop the oldest chunks instead\n"
"                        (flight recorder: keep the last SIZE)\n"
"      --buffer-size SIZE  kernel ring buffer (default 16M)\n"
"      --no-stacks       no kernel stacks of tasks going to sleep (taken\n"
"                        with class sched by default; table 'stacks')\n"
"      --no-compact      leave the chunks LZ4 as recorded (a faster close,\n"
"                        a larger file; kscope compact can do it later)\n"
"      --redact WHAT     replace with [redacted], before it reaches the\n"
"                        file: argv (arguments after argv[0]), env (values\n"
"                        of NAME=VALUE arguments), paths (past their first\n"
"                        directory), addrs (socket addresses, not ports),\n"
"                        payload; comma-separated, or all\n"
"      --redact-pattern RE  replace every match of POSIX extended regex RE\n"
"                        in every string stored (repeatable)\n"
"      --trigger FILTER  when a recorded event matches FILTER (replay's\n"
"                        filter language, e.g. 'dur > 500ms and name =\n"
"                        fsync'): with --ring, write a snapshot D later;\n"
"                        without, stop D later\n"
"      --trigger-after D  record D more after the match (default 1s)\n"
"      --snapshot PID    ask the --ring recorder PID for a snapshot, wait\n"
"                        for it, print its file name\n"
"\n"
"Capture filters, applied in the kernel (calls left out cost no ring space):\n"
"      --syscalls LIST   only these calls: names and groups, comma-separated\n"
"                        (file,desc,net,process,memory,ipc,signal,creds,\n"
"                        clock, all; strace's %%file spelling too); !NAME or\n"
"                        !GROUP leaves out (only exclusions: all but them)\n"
"      --slower-than D   only calls that took D at least (e.g. 10ms, 200us),\n"
"                        and every failed call\n"
"      --no-errors       with --slower-than: failed calls only when slow\n"
"      --errors-only     only failed calls (with --slower-than: slow ones)\n"
"      --comm NAME       only processes (and their children) with a thread\n"
"                        named NAME, from the start or once an exec or a\n"
"                        rename names it; repeatable; the whole system, or\n"
"                        within -p or CMD's tree when given\n"
"\n"
"      --budget cpu=PCT,rate=SIZE/s  keep the recorder under PCT%% of one\n"
"                        CPU and/or SIZE/s of records: over it, fast\n"
"                        successful calls lose their strings, then are\n"
"                        sampled 1 in N (N up to 1024); failed and slow\n"
"                        (>= 1 ms) calls, process, signal, scheduling\n"
"                        and network events are always kept; what was\n"
"                        shed is counted per second (table 'shed')\n"
"      --snaplen N       keep the first N bytes (0 to 4096; default 0) of\n"
"                        the data of read, write, pread64, pwrite64,\n"
"                        sendto, recvfrom and of the first buffer of readv,\n"
"                        writev, sendmsg, recvmsg (syscalls.payload)\n"
"  -q, --quiet           no progress line or summary\n"
"  -h, --help            this help\n"
"\n"
"With --ring, SIGUSR1 writes the ring as it is now as a complete trace\n"
"beside FILE, FILE.snap-N.kscope, while the recording goes on.\n"
"\n"
"Needs root (CAP_BPF, CAP_PERFMON).  Lost events are counted per CPU and\n"
"class and stored in the trace (table 'lost').\n");
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* tracefs is not needed for raw tracepoints, but tools and users expect it
 * mounted; mount it when missing and say nothing if we cannot. */
static void tracefs_mount(void)
{
	struct stat st;

	if (stat("/sys/kernel/tracing/events", &st) == 0)
		return;
	mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL);
}

/* The recording, for the main loop and the stop sequence. */
struct rec_run {
	struct rec_opts *o;
	struct rec_session *s;
	struct store_writer *w;
	struct rec_conv *conv;
	struct rec_ksyms *ksyms;   /* NULL: stacks off */
	struct rec_stacks *stacks;
	int ncpus;
	uint64_t *lost_prev, *lost_now;
	uint64_t lost_total[KS_CLASS_COUNT];
	int werr;             /* first writer error */
	uint64_t last_events; /* for the rate */
	int progress;
	const char *cgroup; /* --cgroup as /proc/PID/cgroup shows it, or NULL */
	uint32_t *snap;     /* processes in the snapshot; owned */
	size_t nsnap;
	struct redact *rd;  /* --redact, --redact-pattern; NULL: none */
	/* trig: snapshots of the ring, --trigger */
	struct rec_snap *snapper;
	struct rec_trigger trig;  /* trig.f NULL: no --trigger */
	uint64_t trig_due;        /* monotonic ns the trigger acts at; 0 */
	uint64_t start_boot;
	/* budget */
	struct rec_shed *shed; /* NULL: no --budget */
	uint64_t drained;      /* record bytes drained from the ring */
};

/* Is cgroup path P the filter cgroup F or below it? */
static int cgroup_under(const char *p, const char *f)
{
	size_t n = strlen(f);

	if (!strcmp(f, "/"))
		return 1;
	return !strncmp(p, f, n) && (p[n] == 0 || p[n] == '/');
}

/* Did the writer stop on a full disk or the size limit? */
static int run_full(const struct rec_run *r)
{
	return r->werr == -ENOSPC || r->werr == -EFBIG;
}

/* Convert and store the drained batch, then empty it. */
static int run_batch(struct rec_run *r)
{
	struct rec_batch *b = rec_session_batch(r->s);
	size_t off = 0;
	int rc = 0;

	while (off + 8 <= b->len) {
		uint32_t len;

		memcpy(&len, b->buf + off, sizeof(len));
		if (off + 8 + len > b->len)
			break;
		r->drained += len;
		/* After a full disk the writer still counts what it is
		 * handed, as unsaved. */
		if ((!r->werr || run_full(r)) &&
		    (rc = rec_conv_record(r->conv, b->buf + off + 8, len)) < 0 &&
		    !r->werr)
			r->werr = rc;
		off += 8 + ((len + 7) & ~7u);
	}
	b->len = 0;
	return r->werr;
}

/* Drain everything the ring holds now. */
static int run_drain(struct rec_run *r, int timeout_ms)
{
	int rc;

	do {
		rc = rec_session_poll(r->s, timeout_ms);
		timeout_ms = 0;
		if (run_batch(r) < 0 && !run_full(r))
			return r->werr;
	} while (rc == -ENOBUFS);
	return rc < 0 ? rc : 0;
}

/* Once a second: lost events into the trace, a commit, the progress line. */
static int run_tick(struct rec_run *r, uint64_t now_boot, double elapsed)
{
	int n = rec_session_lost(r->s, r->lost_now, r->ncpus);
	uint64_t lost = 0;

	for (int cpu = 0; cpu < n && !r->werr; cpu++) {
		for (unsigned c = 0; c < KS_CLASS_COUNT; c++) {
			size_t i = (size_t)cpu * KS_CLASS_COUNT + c;
			uint64_t d = r->lost_now[i] - r->lost_prev[i];
			int rc;

			if (!d)
				continue;
			r->lost_total[c] += d;
			r->lost_prev[i] = r->lost_now[i];
			if ((rc = store_writer_lost(r->w, now_boot, (uint32_t)cpu,
						    ev_class_name(c), d)) < 0)
				r->werr = rc;
		}
	}
	if (r->shed && !r->werr) {
		int rc = rec_shed_rows(r->shed, r->w, now_boot);

		if (rc < 0)
			r->werr = rc;
	}
	if (!r->werr) {
		int rc = store_writer_flush(r->w);

		if (rc < 0)
			r->werr = rc;
	}
	for (unsigned c = 0; c < KS_CLASS_COUNT; c++)
		lost += r->lost_total[c];
	if (r->progress) {
		uint64_t ev = store_writer_events(r->w, -1);

		fprintf(stderr, "\rkscope: %6.0fs  %10" PRIu64 " events  %8.0f/s"
			"  %8.1f MB  %" PRIu64 " lost\033[K", elapsed, ev,
			(double)(ev - r->last_events),
			(double)store_writer_size(r->w) / 1e6, lost);
		r->last_events = ev;
	}
	return r->werr;
}

static void meta_set(struct rec_run *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void meta_set(struct rec_run *r, const char *key, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!r->werr && (rc = store_writer_meta(r->w, key, buf)) < 0)
		r->werr = rc;
}

/* Meta KEY = TEXT given by the user (a host name, --comm names, a
 * trigger), rewritten by the --redact-pattern patterns first. */
static void meta_text(struct rec_run *r, const char *key, const char *text)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", text);
	redact_apply(r->rd, 0, buf, strlen(buf), sizeof(buf));
	meta_set(r, key, "%s", buf);
}

/*
 * After a full disk: the events the writer could not save (the open
 * transaction's, and all handed to it since) are lost events of their
 * class, in the second the recording stopped, so that the trace and the
 * summary count them.  Returns the number, or 0 when the trace cannot
 * take even that (the summary still says so).
 */
static uint64_t run_salvage(struct rec_run *r, uint64_t end_boot)
{
	uint64_t n = store_writer_unsaved(r->w, -1);
	int stop = r->werr;

	if (store_writer_salvage(r->w) < 0)
		return n;
	r->werr = 0;
	n = 0;
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		uint64_t u = store_writer_unsaved(r->w, k);
		unsigned c = ev_desc(k)->klass;
		int rc;

		if (!u)
			continue;
		r->lost_total[c] += u;
		n += u;
		if ((rc = store_writer_lost(r->w, end_boot, 0, ev_class_name(c),
					    u)) < 0 && !r->werr)
			r->werr = rc;
	}
	meta_set(r, "unsaved_events", "%" PRIu64, n);
	meta_set(r, "stopped", "%s", stop == -ENOSPC ? "disk full" :
		 "size limit");
	return n;
}

/* Where a --redact-pattern's text starts in argument A, or NULL. */
static const char *pattern_in(const struct rec_opts *o, const char *a)
{
	for (size_t i = 0; i < o->nredact_pats; i++)
		if (o->redact_pats[i] >= a &&
		    o->redact_pats[i] <= a + strlen(a))
			return o->redact_pats[i];
	return NULL;
}

/*
 * The command line ARGV into OUT for meta `options`, redacted: the text
 * of each --redact-pattern becomes the marker (a literal secret given as
 * a pattern must not be stored either), CMD's arguments are redacted as
 * argv and env, and the patterns run over the whole.  Without redaction
 * the arguments as given.
 */
static void options_text(const struct rec_run *r, int argc, char **argv,
			 char *out, size_t outlen)
{
	char cmd[4096];
	size_t n = 0, cn = 0;
	int i;

	out[0] = 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *p;

		if (r->rd && r->o->cmd == argv + i)
			break;
		p = r->rd ? pattern_in(r->o, a) : NULL;
		if (n < outlen)
			n += (size_t)snprintf(out + n, outlen - n, "%s%.*s%s",
					      i ? " " : "",
					      (int)(p ? (size_t)(p - a) :
						    strlen(a)), a,
					      p ? REDACT_MARK : "");
	}
	/* CMD (with redaction only): its arguments apart, for argv and env */
	for (; i < argc && cn < sizeof(cmd) - 1; i++) {
		size_t l = strlen(argv[i]);

		if (l > sizeof(cmd) - 1 - cn)
			l = sizeof(cmd) - 1 - cn;
		memcpy(cmd + cn, argv[i], l);
		cn += l;
		if (cn < sizeof(cmd) - 1)
			cmd[cn++] = 0;
	}
	if (cn) {
		cn = redact_apply(r->rd, REDACT_ARGV | REDACT_ENV, cmd, cn,
				  sizeof(cmd));
		while (cn && !cmd[cn - 1])
			cn--;
		for (size_t k = 0; k < cn; k++)
			if (!cmd[k])
				cmd[k] = ' ';
		if (n > outlen - 1)
			n = outlen - 1;
		for (size_t k = 0; k <= cn && n < outlen - 1; k++)
			out[n++] = k ? cmd[k - 1] : ' ';
		out[n] = 0;
	}
	redact_apply(r->rd, 0, out, strlen(out), outlen);
}

/* filt: the capture filters, for kscope info and the reports (analyze/
 * capture.c); no key means no such filter. */
static void meta_capture(struct rec_run *r)
{
	static const char *const errors[] = {
		[KS_ERRORS_ALL] = "all", [KS_ERRORS_ONLY] = "only",
		[KS_ERRORS_NONE] = "none",
	};
	const struct rec_filter *f = &r->o->filter;
	char comm[KS_COMM_NAMES * KS_COMM_LEN] = "";
	size_t n = 0;

	if (f->syscalls)
		meta_set(r, "capture_syscalls", "%s", f->syscalls);
	if (f->slower_ns)
		meta_set(r, "capture_slower_than_ns", "%" PRIu64, f->slower_ns);
	if (f->slower_ns || f->errors)
		meta_set(r, "capture_errors", "%s", errors[f->errors]);
	for (size_t i = 0; i < f->ncomm; i++)
		n += (size_t)snprintf(comm + n, sizeof(comm) - n, "%s%s",
				      i ? "\n" : "", f->comm[i]);
	if (f->ncomm)
		meta_text(r, "capture_comm", comm);
}

static void meta_start(struct rec_run *r, int argc, char **argv,
		       const char *arch, uint64_t start_boot)
{
	struct utsname u;
	char opts[4096];
	size_t n = 0;

	uname(&u);
	options_text(r, argc, argv, opts, sizeof(opts));
	meta_text(r, "host", u.nodename);
	meta_set(r, "kernel", "%s", u.release);
	meta_set(r, "arch", "%s", arch ? arch : u.machine);
	meta_set(r, "cpus", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
	/* wall-clock ns = ts + clock_offset_ns */
	meta_set(r, "clock_offset_ns", "%" PRId64,
		 (int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_BOOTTIME)));
	meta_set(r, "options", "kscope %s", opts);
	meta_set(r, "start_ts", "%" PRIu64, start_boot);
	meta_set(r, "recorder", "kscope %s", PACKAGE_VERSION);
	char classes[64] = "";

	n = 0;
	for (unsigned c = 0; c < KS_CLASS_COUNT; c++)
		if (r->o->classes & REC_CLASS_BIT(c))
			n += (size_t)snprintf(classes + n, sizeof(classes) - n,
					      "%s%s", n ? "," : "",
					      ev_class_name(c));
	meta_set(r, "classes", "%s", classes);
	meta_set(r, "ring_buffer_bytes", "%" PRIu64, r->o->ring_bytes);
	meta_set(r, "stacks", "%s", r->stacks ? "on" : "off");
	/* redact */
	if (r->rd) {
		char what[128];

		redact_describe(r->rd, what, sizeof(what));
		meta_set(r, "redacted", "%s", what);
	}
	/* trig */
	if (r->o->ring)
		meta_set(r, "snapshot_signal", "SIGUSR1");
	if (r->trig.f) {
		meta_text(r, "trigger", rec_trigger_text(&r->trig));
		meta_set(r, "trigger_after_ns", "%" PRIu64,
			 (uint64_t)(r->o->trigger_after * 1e9));
	}
	meta_capture(r);
	if (r->o->has_budget) {
		char b[128];

		rec_budget_describe(&r->o->budget, b, sizeof(b));
		meta_set(r, "budget", "%s", b);
	}
	meta_set(r, "snaplen", "%" PRIu32, r->o->snaplen);
}

static void meta_end(struct rec_run *r, uint64_t end_boot)
{
	struct rusage ru;
	uint64_t total = 0, skipped = 0;
	char key[64];

	meta_set(r, "end_ts", "%" PRIu64, end_boot);
	if (r->trig.f && r->trig.fired && !r->o->ring)
		meta_set(r, "trigger_ts", "%" PRIu64, r->trig.ts);
	for (unsigned c = 0; c < KS_CLASS_COUNT; c++) {
		snprintf(key, sizeof(key), "lost_%s", ev_class_name(c));
		meta_set(r, key, "%" PRIu64, r->lost_total[c]);
		total += r->lost_total[c];
	}
	/* Beside the classes' counts (lost_total is theirs, the lost
	 * table's sum): runs the kernel skipped, which have no CPU, second
	 * or class, and switches missing from a thread's sequence that no
	 * counter explains (a lower bound: lost switches may hide each
	 * other).  kscope info adds them to what it says was lost. */
	struct rec_prog_stats ps;

	if (rec_session_prog_stats(r->s, &ps) == 0) {
		skipped = ps.misses;
		meta_set(r, "lost_skipped", "%" PRIu64, skipped);
	}
	uint64_t gaps = rec_conv_switch_gaps(r->conv),
		 known = r->lost_total[KS_CLASS_SCHED] + skipped;

	meta_set(r, "lost_unseen", "%" PRIu64, gaps > known ? gaps - known : 0);
	meta_set(r, "lost_total", "%" PRIu64, total);
	/* What the recording cost: the recorder's CPU, and its programs'
	 * run time when the kernel's run-time statistics were on. */
	struct rec_cost cost;

	if (rec_cost_read(r->s, &cost) == 0) {
		meta_set(r, "recorder_cpu_ns", "%" PRIu64,
			 cost.user_ns + cost.sys_ns);
		meta_set(r, "recorder_user_ns", "%" PRIu64, cost.user_ns);
		meta_set(r, "recorder_sys_ns", "%" PRIu64, cost.sys_ns);
		if (cost.bpf_known) {
			meta_set(r, "recorder_bpf_ns", "%" PRIu64, cost.bpf_ns);
			meta_set(r, "recorder_bpf_runs", "%" PRIu64,
				 cost.bpf_runs);
		}
	}
	getrusage(RUSAGE_SELF, &ru);
	meta_set(r, "recorder_max_rss_kb", "%ld", ru.ru_maxrss);
	if (r->shed) {
		uint64_t sampled, stripped;

		rec_shed_totals(r->shed, &sampled, &stripped);
		meta_set(r, "shed_sampled", "%" PRIu64, sampled);
		meta_set(r, "shed_payload", "%" PRIu64, stripped);
	}
	if (rec_conv_bad(r->conv))
		meta_set(r, "malformed_records", "%" PRIu64, rec_conv_bad(r->conv));
	if (r->stacks) {
		uint64_t lost = 0;

		rec_session_stacks_lost(r->s, &lost);
		meta_set(r, "stacks_lost", "%" PRIu64,
			 lost + rec_stacks_missed(r->stacks));
	}
}

/* /proc snapshot, narrowed to the targets' trees when there are targets. */
struct snap_ctx {
	struct rec_run *r;
	uint32_t pid;
};

static int snap_thread(void *ctx, uint32_t tid, const char *comm,
		       uint64_t start_ts)
{
	struct snap_ctx *sc = ctx;

	return rec_conv_snapshot_thread(sc->r->conv, tid, sc->pid, comm,
					start_ts);
}

struct sock_ctx {
	struct rec_session *s;
	uint32_t pid;
};

static int listen_one(void *arg, const struct ks_listen_key *k)
{
	struct sock_ctx *c = arg;

	return rec_session_listener(c->s, k, c->pid);
}

static int conn_one(void *arg, const struct ks_conn_key *k)
{
	struct sock_ctx *c = arg;

	return rec_session_conn(c->s, k, c->pid);
}

/* The TCP sockets PID has open already are its (see listeners.c). */
static int sockets_seed(struct rec_run *r, uint32_t pid)
{
	static const struct rec_sockets_fn fn = { listen_one, conn_one };
	struct sock_ctx c = { r->s, pid };
	int rc;

	if (!(r->o->classes & REC_CLASS_BIT(KS_CLASS_NET)))
		return 0;
	rc = rec_sockets_read("/proc", pid, &fn, &c);
	return rc == -ENOENT || rc == -EACCES || rc == -ESRCH ? 0 : rc;
}

static int run_snapshot(struct rec_run *r, const uint32_t *roots, size_t nroots,
			uint32_t self, int trace)
{
	uint32_t *pids;
	size_t n;
	int rc = rec_procfs_pids("/proc", roots, nroots, &pids, &n);
	struct rec_proc_info *info = malloc(sizeof(*info));

	if (rc < 0 || !info) {
		free(info);
		return rc < 0 ? rc : -ENOMEM;
	}
	r->nsnap = 0;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		struct snap_ctx sc = { r, pids[i] };

		if (pids[i] == self)
			continue;
		if (trace && (rc = rec_session_trace(r->s, pids[i])) < 0)
			break;
		if (rec_procfs_read("/proc", pids[i], info, r->rd) < 0)
			continue; /* gone meanwhile */
		if (r->cgroup && !cgroup_under(info->cgroup, r->cgroup))
			continue;
		if ((rc = rec_conv_snapshot(r->conv, info)) < 0 ||
		    (rc = sockets_seed(r, pids[i])) < 0 ||
		    ((r->o->classes & REC_CLASS_BIT(KS_CLASS_SYSCALL)) &&
		     (rc = rec_conv_snapshot_fds(r->conv, pids[i])) < 0))
			break;
		rc = rec_procfs_threads("/proc", pids[i], snap_thread, &sc);
		if (rc == -ENOENT)
			rc = 0;
		pids[r->nsnap++] = pids[i]; /* kept: i >= nsnap */
	}
	free(info);
	free(r->snap);
	r->snap = pids;
	return rc;
}

/* Once attached: note the calls the snapshot's threads were already blocked
 * in (all but SKIP's), so their ends are recorded too.  Returns how many,
 * or a negative errno from the session. */
static int run_early(struct rec_run *r, const struct rec_plan *plan,
		     uint32_t skip)
{
	struct rec_proc_call call;
	char path[64], str[KS_PATH_MAX];
	struct dirent *de;
	int n = 0, rc = 0;
	DIR *d;

	for (size_t i = 0; i < r->nsnap && rc >= 0; i++) {
		if (r->snap[i] == skip)
			continue;
		snprintf(path, sizeof(path), "/proc/%u/task", r->snap[i]);
		if (!(d = opendir(path)))
			continue; /* gone meanwhile */
		while (rc >= 0 && (de = readdir(d))) {
			char *end;
			unsigned long tid = strtoul(de->d_name, &end, 10);
			uint64_t now = clock_ns(CLOCK_BOOTTIME);

			if (*end || !tid ||
			    rec_procfs_syscall("/proc", r->snap[i], (uint32_t)tid,
					       &call) <= 0)
				continue;
			/* Its path argument, as sys_enter would have copied it. */
			unsigned parg = call.nr >= 0 && call.nr < KS_NR_MAX ?
				plan->sci[call.nr] & KS_SCI_PATH_MASK : 0;
			ssize_t len = parg ? rec_procfs_user_str(r->snap[i],
				call.args[parg - 1], str, sizeof(str)) : -1;

			rc = rec_session_early(r->s, r->snap[i], (uint32_t)tid,
					       &call, now,
					       len >= 0 || len == -E2BIG ? str : NULL,
					       len == -E2BIG);
			if (rc > 0)
				n++;
		}
		closedir(d);
	}
	return rc < 0 ? rc : n;
}

/* A snapshot is done: say where it is (or why not). */
static void snap_report(struct rec_run *r, const struct rec_snap_report *rep)
{
	const struct store_snapshot_sum *sum = &rep->sum;

	if (rep->rc < 0) {
		fprintf(stderr, "kscope: record: snapshot failed: %s\n",
			rep->err);
		return;
	}
	if (r->o->quiet)
		return;
	fprintf(stderr, "%skscope: record: snapshot '%s': %" PRIu64 " events"
		" from +%.3f s to +%.3f s, %.1f MB (written in %.3f s; "
		"draining paused %.1f ms)\n", r->progress ? "\r\033[K" : "",
		TEXTESC_Q(rep->path), sum->events,
		(double)(sum->start_ts - r->start_boot) / 1e9,
		(double)(sum->end_ts - r->start_boot) / 1e9,
		(double)sum->bytes / 1e6, (double)rep->copy_ns / 1e9,
		(double)rep->pause_ns / 1e6);
}

/* Start a snapshot of REASON; say so when it cannot be. */
static void snap_start(struct rec_run *r, const char *reason)
{
	int rc = rec_snap_start(r->snapper, reason, clock_ns(CLOCK_BOOTTIME));

	if (rc == -EBUSY)
		return;
	if (rc < 0 && !r->werr)
		r->werr = rc; /* the commit failed: the writer's error */
	else if (rc < 0)
		fprintf(stderr, "kscope: record: cannot start a snapshot: %s\n",
			strerror(-rc));
}

/*
 * Snapshots, once a loop: collect SIGUSR1 requests, act on a trigger
 * whose D has passed (or, STOPPING, now), report a finished snapshot,
 * and start the next one wanted.  A trigger's snapshot ends D after the
 * match; the next match must come after that end.  Without --ring the
 * trigger stops the recording instead: 1 when it is time.
 */
static int run_snap(struct rec_run *r, int stopping)
{
	struct rec_snap_report rep;
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	unsigned kills, callers;
	char reason[512];

	if (rec_snap_collect(r->snapper, &kills, &callers) && !r->o->ring &&
	    !r->o->quiet)
		fprintf(stderr, "%skscope: record: SIGUSR1: snapshots need "
			"--ring; ignored\n", r->progress ? "\r\033[K" : "");
	if (r->trig.fired && !r->trig_due) {
		r->trig_due = now + (uint64_t)(r->o->trigger_after * 1e9);
		if (!r->o->quiet)
			fprintf(stderr, "%skscope: record: trigger matched a %s "
				"at +%.3f s; %s in %.3f s\n",
				r->progress ? "\r\033[K" : "", r->trig.what,
				(double)(r->trig.ts - r->start_boot) / 1e9,
				r->o->ring ? "snapshot" : "stopping",
				r->o->trigger_after);
	}
	if (rec_snap_poll(r->snapper, &rep))
		snap_report(r, &rep);
	/* Stopping: a copy still running is waited for first, so that a
	 * trigger due and the requests that came during it are served. */
	if (stopping && rec_snap_wait(r->snapper, &rep))
		snap_report(r, &rep);
	if (r->trig_due && (now >= r->trig_due || stopping)) {
		if (!r->o->ring)
			return 1;
		if (!rec_snap_running(r->snapper) && !r->werr) {
			snprintf(reason, sizeof(reason), "trigger '%s' matched a "
				 "%s at ts %" PRIu64, rec_trigger_text(&r->trig),
				 r->trig.what, r->trig.ts);
			redact_apply(r->rd, 0, reason, strlen(reason),
				     sizeof(reason));
			snap_start(r, reason);
			r->trig_due = 0;
			rec_trigger_rearm(&r->trig, clock_ns(CLOCK_BOOTTIME));
		}
	}
	if (rec_snap_wanted(r->snapper) && !rec_snap_running(r->snapper) &&
	    !r->werr)
		snap_start(r, "requested (SIGUSR1)");
	if (stopping && rec_snap_wait(r->snapper, &rep))
		snap_report(r, &rep);
	return 0;
}

/* --comm: record the processes whose threads have a listed name now,
 * with their trees: all of the system's, or of -p's trees (TREE, whose
 * other processes wait for a name).  0 or -errno. */
static int run_comm_snapshot(struct rec_run *r, const uint32_t *pids,
			     size_t npids, uint32_t self, int tree)
{
	uint32_t *roots;
	size_t n;
	int rc = rec_procfs_pids("/proc", pids, npids, &roots, &n);

	for (size_t i = 0; i < n && rc >= 0 && tree; i++)
		rc = rec_session_comm_tree(r->s, roots[i]);
	if (rc >= 0)
		rc = rec_filter_comm_pids(&r->o->filter, "/proc", roots, &n);
	r->nsnap = 0;
	if (rc >= 0 && n)
		rc = run_snapshot(r, roots, n, self, 1);
	free(roots);
	return rc;
}

static const char *werr_text(int rc)
{
	switch (rc) {
	case -EFBIG:
		return "the trace reached --max-size";
	case -ENOSPC:
		return "the disk is full";
	default:
		return strerror(-rc);
	}
}

static int all_gone(const uint32_t *pids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (kill((pid_t)pids[i], 0) == 0 || errno != ESRCH)
			return 0;
	return 1;
}

int cmd_record(int argc, char **argv)
{
	struct rec_opts o = { 0 };
	struct rec_run r = { 0 };
	struct rec_plan plan;
	struct store_writer_opts wo = { 0 };
	char err[STORE_ERRLEN];
	const char *arch = systab_host_arch();
	char cgrel[1024] = "";
	char cmd_file[4096] = ""; /* CMD's file, found before tracing */
	uint32_t cglevel = 0;
	uint64_t cgid = 0, start_boot, end_boot, start_mono, next_tick;
	uint64_t next_shed = 0;
	uint8_t budget_nr[KS_NR_MAX];
	uint64_t unsaved = 0;
	int stop = 0; /* -ENOSPC or -EFBIG: the writer stopped */
	pid_t child = -1;
	int go_fd = -1, err_fd = -1, child_status = 0, rc, ret = 1;
	int cmd_done = 0; /* CMD exited and child_status is its status */
	int drop_trace = 0; /* CMD never ran: remove the trace */
	uint32_t self = (uint32_t)getpid();
	sigset_t sig_mask; /* kscope's, restored by rec_signals_install */

	rc = rec_opts_parse(argc, argv, &o, err, sizeof(err));
	if (rc == REC_OPTS_HELP) {
		usage(stdout);
		return 0;
	}
	if (rc < 0) {
		fprintf(stderr, "kscope: record: %s\n", err);
		rec_opts_free(&o);
		return 2;
	}
	r.o = &o;
	r.cgroup = o.cgroup ? cgrel : NULL;
	if ((o.redact || o.nredact_pats) &&
	    !(r.rd = redact_new(o.redact, o.redact_pats, o.nredact_pats, err,
				sizeof(err)))) {
		fprintf(stderr, "kscope: record: %s\n", err);
		ret = 2;
		goto out;
	}
	if (o.snapshot_pid) {
		char name[4096];

		if (rec_snap_request((pid_t)o.snapshot_pid, name, sizeof(name),
				     err, sizeof(err)) < 0) {
			fprintf(stderr, "kscope: record: %s\n", err);
			goto out;
		}
		printf("%s\n", name);
		ret = 0;
		goto out;
	}
	if (o.trigger && rec_trigger_init(&r.trig, o.trigger, arch, err,
					  sizeof(err)) < 0) {
		fprintf(stderr, "kscope: record: %s\n", err);
		ret = 2;
		goto out;
	}
	for (size_t i = 0; i < o.npids; i++) {
		if (kill((pid_t)o.pids[i], 0) < 0 && errno == ESRCH) {
			fprintf(stderr, "kscope: record: no process %u\n", o.pids[i]);
			goto out;
		}
	}
	if (o.cmd && (rc = rec_child_find(o.cmd[0], cmd_file,
					  sizeof(cmd_file))) < 0) {
		/* As a shell says it: 127 not found, 126 not runnable. */
		fprintf(stderr, "kscope: record: cannot run '%s': %s\n",
			TEXTESC_Q(o.cmd[0]), strerror(-rc));
		ret = rc == -ENOENT ? 127 : 126;
		goto out;
	}
	/* The output first: a refused -o costs no eBPF loading. */
	if (store_writer_check_path(o.out, o.force, err) < 0) {
		textesc_copy(err, sizeof(err), err); /* it quotes the path */
		fprintf(stderr, "kscope: record: %s\n", err);
		goto out;
	}
	libbpf_set_print(libbpf_print);
	if (rec_plan_init(&plan, arch) < 0)
		rec_plan_init(&plan, "x86_64"); /* no table: numbers only */
	if (o.cgroup) {
		char cgroot[1024];
		rec_cgroup2_root(cgroot, sizeof(cgroot));
		rc = rec_cgroup_id(o.cgroup, cgroot, &cgid, &cglevel, cgrel,
				   sizeof(cgrel));
		if (rc == -ENOTDIR) {
			fprintf(stderr, "kscope: record: cannot use cgroup "
				"'%s': not a cgroup v2 directory under %s\n",
				TEXTESC_Q(o.cgroup), cgroot);
			goto out;
		}
		if (rc < 0) {
			fprintf(stderr, "kscope: record: cannot use cgroup "
				"'%s': %s\n", TEXTESC_Q(o.cgroup),
				strerror(-rc));
			goto out;
		}
	}
	tracefs_mount();
	/* Symbols first: without them stacks are not taken at all.  Why not
	 * is said once the programs loaded: without root, that they cannot
	 * is the one thing to say. */
	int ksyms_err = 0;
	if (o.stacks && (o.classes & REC_CLASS_BIT(KS_CLASS_SCHED)) &&
	    !(r.ksyms = rec_ksyms_load("/proc/kallsyms")))
		ksyms_err = errno;

	struct rec_session_opts so = {
		.classes = o.classes,
		.filter_tgid = ((o.cmd || o.npids) && !o.all) || o.filter.ncomm,
		.cgroup_id = cgid,
		.cgroup_level = cglevel,
		.ring_bytes = o.ring_bytes,
		/* A knob for measuring the wakeup strategy (docs/RECORD.md). */
		.wakeup_bytes = getenv("KSCOPE_WAKEUP_BYTES") ?
			strtoll(getenv("KSCOPE_WAKEUP_BYTES"), NULL, 0) : -1,
		.batch_bytes = o.ring_bytes / 4, /* drained in quarters */
		.self_tgid = self,
		.plan = &plan,
		.stacks = r.ksyms != NULL,
		.filter = &o.filter,
		.comm_mode = !o.filter.ncomm ? KS_COMM_OFF :
			     (o.cmd || o.npids) && !o.all ? KS_COMM_TREE :
			     KS_COMM_ANY,
		.budget_nr = o.has_budget ? budget_nr : NULL,
		/* snap: */
		.snaplen = o.snaplen,
	};
	if (o.has_budget)
		rec_budget_nr(&plan, arch, budget_nr);
	r.s = rec_session_open(&so, err, sizeof(err));
	if (!r.s) {
		if (errno == EPERM || errno == EACCES)
			fprintf(stderr, "kscope: record: loading eBPF programs needs "
				"root (CAP_BPF and CAP_PERFMON)\n");
		else
			fprintf(stderr, "kscope: record: %s\n", err);
		goto out;
	}
	if (ksyms_err && !o.quiet)
		fprintf(stderr, "kscope: record: cannot read kernel symbols "
			"from /proc/kallsyms: %s; kernel stacks not recorded\n",
			ksyms_err == EPERM ? "addresses hidden (kptr_restrict)" :
			strerror(ksyms_err));
	for (const char *const *sk = rec_session_skipped(r.s); *sk; sk++)
		if (!o.quiet)
			fprintf(stderr, "kscope: record: this kernel has no "
				"tracepoint %s; skipped\n", *sk);

	wo.force = o.force;
	wo.max_size = o.max_size;
	wo.ring = o.ring;
	if (r.trig.f) {
		wo.tap = rec_trigger_tap;
		wo.tap_arg = &r.trig;
	}
	/* The trace exists from here on: stop signals and SIGUSR1 wait
	 * until the loop is ready for them.  A setup that fails meanwhile
	 * exits with its own status; the signals held are dropped. */
	rec_signals_hold(&sig_mask);
	r.w = store_writer_open(o.out, &wo, err);
	if (!r.w) {
		textesc_copy(err, sizeof(err), err); /* it quotes the path */
		fprintf(stderr, "kscope: record: %s\n", err);
		goto out;
	}
	r.conv = rec_conv_new(r.w, &plan,
			      !!(o.classes & REC_CLASS_BIT(KS_CLASS_PROC)));
	r.snapper = rec_snap_new(o.out, r.w, o.ring);
	if (r.ksyms) {
		uint32_t slots;
		int fd = rec_session_stacks(r.s, &slots);

		r.stacks = rec_stacks_new(r.ksyms, fd, slots);
		if (!r.stacks) {
			fprintf(stderr, "kscope: record: out of memory\n");
			goto out;
		}
		if (r.conv)
			rec_conv_stacks(r.conv, r.stacks);
	}
	if (r.conv)
		rec_conv_redact(r.conv, r.rd);
	r.ncpus = rec_session_ncpus(r.s);
	if (o.has_budget &&
	    !(r.shed = rec_shed_new(r.s, &o.budget, arch))) {
		fprintf(stderr, "kscope: record: out of memory\n");
		goto out;
	}
	r.lost_prev = calloc((size_t)r.ncpus * KS_CLASS_COUNT, sizeof(uint64_t));
	r.lost_now = calloc((size_t)r.ncpus * KS_CLASS_COUNT, sizeof(uint64_t));
	if (!r.conv || !r.snapper || !r.lost_prev || !r.lost_now) {
		fprintf(stderr, "kscope: record: out of memory\n");
		goto out;
	}

	start_boot = clock_ns(CLOCK_BOOTTIME);
	r.start_boot = start_boot;
	meta_start(&r, argc, argv, arch, start_boot);
	if (o.cmd) {
		child = rec_child_start(cmd_file, o.cmd, &sig_mask, &go_fd,
					&err_fd);
		if (child < 0) {
			fprintf(stderr, "kscope: record: cannot start '%s': %s\n",
				TEXTESC_Q(o.cmd[0]), strerror(errno));
			goto out;
		}
		uint32_t c32 = (uint32_t)child;

		if (so.comm_mode == KS_COMM_TREE)
			rc = rec_session_comm_tree(r.s, c32);
		else if (so.comm_mode == KS_COMM_ANY)
			rc = run_comm_snapshot(&r, NULL, 0, self, 0);
		else
			rc = so.filter_tgid ? rec_session_trace(r.s, c32) : 0;
		if (rc >= 0 && so.comm_mode != KS_COMM_ANY)
			rc = run_snapshot(&r, o.all ? NULL : &c32, o.all ? 0 : 1,
					  self, 0);
	} else if (so.comm_mode) {
		rc = run_comm_snapshot(&r, o.pids, o.npids, self,
				       so.comm_mode == KS_COMM_TREE);
	} else {
		rc = run_snapshot(&r, o.npids ? o.pids : NULL, o.npids, self,
				  so.filter_tgid);
	}
	if (rc < 0) {
		fprintf(stderr, "kscope: record: cannot snapshot /proc: %s\n",
			r.werr ? werr_text(r.werr) : strerror(-rc));
		goto out;
	}
	/* SIGUSR1 asks for a snapshot from before the commit that shows
	 * snapshot_signal to `--snapshot PID` (after CMD's fork: CMD keeps
	 * the dispositions kscope was started with). */
	rec_snap_signals();
	/* Commit meta and the snapshot now: whatever happens later (a full
	 * disk, SIGKILL), the trace says what host and processes it is of. */
	if ((rc = store_writer_flush(r.w)) < 0) {
		fprintf(stderr, "kscope: record: cannot write '%s': %s\n",
			TEXTESC_Q(o.out), werr_text(rc));
		goto out;
	}
	if ((rc = rec_session_attach(r.s)) < 0) {
		fprintf(stderr, "kscope: record: cannot attach the BPF programs: "
			"%s\n", strerror(-rc));
		goto out;
	}
	/* Read the initial lost counters (0) so deltas start clean. */
	rec_session_lost(r.s, r.lost_prev, r.ncpus);
	int early = 0;

	if ((o.classes & REC_CLASS_BIT(KS_CLASS_SYSCALL)) &&
	    (early = run_early(&r, &plan, child > 0 ? (uint32_t)child : 0)) < 0) {
		fprintf(stderr, "kscope: record: cannot note the calls in "
			"progress: %s\n", strerror(-early));
		goto out;
	}
	meta_set(&r, "early_calls", "%d", early);
	/* The readiness line: from here on every call is recorded. */
	if (!o.quiet && !o.cmd)
		fprintf(stderr, "kscope: record: recording %zu %s into "
			"'%s'; %d %s in progress\n", r.nsnap,
			plural(r.nsnap, "process", "processes"),
			TEXTESC_Q(o.out), early,
			plural((uint64_t)early, "call was", "calls were"));

	rec_signals_install(&sig_mask);
	if (child > 0) {
		if (write(go_fd, "g", 1) != 1) { /* released: it may exec now */
			fprintf(stderr, "kscope: record: cannot start '%s'\n",
				TEXTESC_Q(o.cmd[0]));
			goto out;
		}
		close(go_fd);
		go_fd = -1;
		int en = 0;
		ssize_t n;

		while ((n = read(err_fd, &en, sizeof(en))) < 0 && errno == EINTR)
			;
		close(err_fd);
		err_fd = -1;
		if (n == (ssize_t)sizeof(en)) { /* the exec failed */
			fprintf(stderr, "kscope: record: cannot run '%s': %s\n",
				TEXTESC_Q(o.cmd[0]), strerror(en));
			ret = en == ENOENT ? 127 : 126;
			drop_trace = 1;
			goto out;
		}
	}
	r.progress = !o.quiet && isatty(STDERR_FILENO);
	start_mono = clock_ns(CLOCK_MONOTONIC);
	next_tick = start_mono + 1000000000ull;
	if (r.shed && (rc = rec_shed_tick(r.shed, start_mono, r.drained)) < 0) {
		fprintf(stderr, "kscope: record: cannot measure the recorder's "
			"cost: %s\n", strerror(-rc));
		goto out;
	}
	next_shed = start_mono + REC_SHED_TICK_NS;

	while (!rec_signal) {
		uint64_t now;

		if ((rc = run_drain(&r, REC_POLL_MS)) < 0 && !r.werr) {
			fprintf(stderr, "kscope: record: reading the ring buffer: "
				"%s\n", strerror(-rc));
			break;
		}
		if (r.werr)
			break;
		now = clock_ns(CLOCK_MONOTONIC);
		if (r.shed && now >= next_shed) {
			if ((rc = rec_shed_tick(r.shed, now, r.drained)) < 0) {
				fprintf(stderr, "kscope: record: cannot measure "
					"the recorder's cost: %s\n",
					strerror(-rc));
				break;
			}
			next_shed = now + REC_SHED_TICK_NS;
		}
		if (now >= next_tick) {
			if (run_tick(&r, clock_ns(CLOCK_BOOTTIME),
				     (double)(now - start_mono) / 1e9) < 0)
				break;
			next_tick += 1000000000ull;
			if (next_tick < now)
				next_tick = now + 1000000000ull;
		}
		if (o.duration > 0 && now - start_mono >= o.duration * 1e9)
			break;
		if (child > 0 && waitpid(child, &child_status, WNOHANG) == child) {
			child = -1;
			cmd_done = 1;
			break;
		}
		if (o.npids && all_gone(o.pids, o.npids))
			break;
		if (run_snap(&r, 0))
			break;
	}
	/* A trigger waiting for its D, and requests, are served now (a
	 * snapshot being written is waited for: it reads the trace). */
	run_snap(&r, 1);

	/* Stop: the block entries whose completions were not seen go (as
	 * lost), no new events, then everything the ring still holds, then
	 * the calls that never returned and the block requests in flight. */
	if ((rc = rec_session_blk_sweep(r.s)) < 0)
		fprintf(stderr, "kscope: record: block requests at stop: %s\n",
			strerror(-rc));
	rec_session_detach(r.s);
	if (!r.werr || run_full(&r)) {
		run_drain(&r, 0);
		do {
			rc = rec_session_unfinished(r.s);
			run_batch(&r);
		} while (rc == -ENOBUFS && (!r.werr || run_full(&r)));
		do {
			rc = rec_session_blk_inflight(r.s);
			run_batch(&r);
		} while (rc == -ENOBUFS && (!r.werr || run_full(&r)));
	}
	end_boot = clock_ns(CLOCK_BOOTTIME);
	/* A full disk: count what was not saved, then finish as usual. */
	stop = run_full(&r) ? r.werr : 0;
	if (stop)
		unsaved = run_salvage(&r, end_boot);
	if (!r.werr)
		run_tick(&r, end_boot, (double)(clock_ns(CLOCK_MONOTONIC) - start_mono) / 1e9);
	if (r.progress)
		fputs("\r\033[K", stderr);
	meta_end(&r, end_boot);

	uint64_t events = store_writer_events(r.w, -1);
	uint64_t per[EV_KIND_COUNT], lost = 0;

	for (int k = 0; k < EV_KIND_COUNT; k++)
		per[k] = store_writer_events(r.w, k);
	for (unsigned c = 0; c < KS_CLASS_COUNT; c++)
		lost += r.lost_total[c];
	uint64_t size = store_writer_size(r.w);

	rc = store_writer_close(r.w, err);
	r.w = NULL;
	/* Whole and closed: its chunks recompressed (docs/FORMAT.md, 1.3).
	 * A failure leaves the trace as it was, only larger. */
	if (!stop && !r.werr && rc == 0 && !o.no_compact) {
		struct store_compact_sum sum;
		char cerr[STORE_ERRLEN];

		/* Seconds on a large trace (docs/BENCH.md): say why the
		 * recorder has not returned yet. */
		if (!o.quiet)
			fprintf(stderr, "kscope: record: compacting '%s' "
				"(%.1f MB) ...\n", TEXTESC_Q(o.out),
				(double)size / 1e6);
		if (store_compact(o.out, STORE_COMPACT_CLOSE_LEVEL, &sum,
				  cerr) < 0)
			fprintf(stderr, "kscope: record: warning: %s; the trace "
				"is whole, but not compacted\n", cerr);
		else
			size = sum.after;
	}
	/* CMD may have exited while the recording was being closed. */
	if (child > 0 && waitpid(child, &child_status, WNOHANG) == child) {
		child = -1;
		cmd_done = 1;
	}
	char cmd_text[256] = "";

	if (cmd_done)
		rec_cmd_status_text(o.cmd[0], child_status, cmd_text,
				    sizeof(cmd_text));
	/* The exit status: a failed recording (1) before CMD's status, since
	 * the trace is then incomplete; else CMD's, as the shell gives it; 0
	 * when there is no CMD or it still runs. */
	if (stop) {
		fprintf(stderr, "kscope: record: stopped: %s; '%s' holds the %"
			PRIu64 " events recorded until then, %" PRIu64 " more "
			"could not be saved%s\n", werr_text(stop),
			TEXTESC_Q(o.out), events,
			unsaved, r.werr ? "" : " (counted as lost)");
		ret = 1;
	} else if (r.werr || rc < 0) {
		fprintf(stderr, "kscope: record: %s\n", err);
		ret = 1;
	} else if (cmd_done) {
		ret = rec_cmd_exit_code(child_status);
	} else {
		ret = 0;
	}
	if (!o.quiet) {
		char stop_by[40] = "";

		if (rec_signal)
			snprintf(stop_by, sizeof(stop_by), " (stopped by SIG%s)",
				 sigabbrev_np(rec_signal));
		fprintf(stderr, "kscope: record: %" PRIu64 " events (syscall %"
			PRIu64 ", sched %" PRIu64 ", proc %" PRIu64 ", net %"
			PRIu64 ", block %" PRIu64 ") in %.1f s, %.1f MB in "
			"'%s'; %" PRIu64 " lost%s%s%s\n", events,
			per[EV_SYSCALL],
			per[EV_SWITCH] + per[EV_WAKEUP] + per[EV_MIGRATE],
			per[EV_PROC], per[EV_NET], per[EV_BLOCK_IO],
			(double)(end_boot - start_boot) / 1e9, (double)size / 1e6,
			TEXTESC_Q(o.out), lost, stop_by,
			cmd_done ? "; " : "", cmd_text);
		if (child > 0)
			fprintf(stderr, "kscope: record: stopped before '%s' "
				"exited; it keeps running (pid %d)\n",
				TEXTESC_Q(o.cmd[0]), (int)child);
		for (unsigned c = 0; c < KS_CLASS_COUNT && lost; c++)
			if (r.lost_total[c])
				fprintf(stderr, "kscope: record:   lost %s: %" PRIu64
					"\n", ev_class_name(c), r.lost_total[c]);
	}
	child = -1; /* stopped by -d or a signal: CMD runs on */
out:
	if (go_fd >= 0)
		close(go_fd); /* an unreleased child exits on EOF */
	if (child > 0)
		waitpid(child, NULL, 0);
	if (err_fd >= 0)
		close(err_fd);
	rec_snap_free(r.snapper); /* before the writer: it reads the trace */
	r.snapper = NULL;
	if (r.w)
		store_writer_close(r.w, NULL);
	if (drop_trace) {
		char side[4096];

		unlink(o.out);
		snprintf(side, sizeof(side), "%s-wal", o.out);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", o.out);
		unlink(side);
	}
	rec_trigger_free(&r.trig);
	rec_session_close(r.s);
	rec_conv_free(r.conv);
	rec_stacks_free(r.stacks);
	rec_shed_free(r.shed);
	rec_ksyms_free(r.ksyms);
	free(r.lost_prev);
	free(r.lost_now);
	free(r.snap);
	redact_free(r.rd);
	rec_opts_free(&o);
	return ret;
}
