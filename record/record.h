/*
 * record.h - the recorder's internal modules (only record/ and its tests
 * include this; the command is cmd_record in kscope.h).
 *
 *   tasks.c    live threads/processes by id (comm, pid, exe, cmdline...)
 *   options.c  the command line
 *   plan.c     per-syscall capture plan: which argument is a path, a
 *              socket address or an fd, by the host's syscall numbers
 *   procfs.c   the /proc snapshot taken when recording starts
 *   fdtab.c    per process, what each fd refers to (syscalls.fd_name)
 *   convert.c  BPF ring records -> store events, processes and threads
 *   stacks.c   kernel symbols, and one `stacks` event per stack id
 *   namecache.c names of irq and device numbers, read once from sysfs
 *   irqnames.c softirq and irq names of the interrupts that woke threads
 *   percpu.c   distances between kernel per-CPU variables (from BTF)
 *   blkdev.c   block_io: device names, operations, completion errnos
 *   filter.c   capture filters: --syscalls sets and groups, --comm names
 *   session.c  the BPF skeleton: open, configure, load, attach, drain
 *   selfcost.c what recording costs: the recorder's CPU and its programs'
 *              run time
 *   record.c   `kscope record`: options, main loop, meta, messages
 *
 * Library functions return 0 or a negative errno and never print; only
 * cmd_record prints.
 */
#ifndef KSCOPE_RECORD_H
#define KSCOPE_RECORD_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

#include "bpf/kscope_bpf.h"
#include "store/store.h"

/* ---- tasks.c ------------------------------------------------------------ */

struct rec_task {
	uint32_t id;       /* tid or pid, never 0 */
	uint32_t pid;      /* threads: tgid; processes: ppid */
	uint64_t start_ts; /* boot-clock ns */
	char comm[KS_COMM_LEN];
	uint8_t gone;      /* threads: exited, kept for its late events */
	uint8_t row;       /* threads: its threads row is written (TASK_ROW) */
	char *exe;         /* processes only; owned (freed on del) */
	char *cmdline;
	char *cgroup;
};

/* rec_task.row: no threads row yet, one without a comm, one with it */
enum { TASK_ROW_NONE, TASK_ROW_NOCOMM, TASK_ROW_COMM };

struct rec_tasks;
struct rec_tasks *rec_tasks_new(void);
void rec_tasks_free(struct rec_tasks *t);
struct rec_task *rec_tasks_get(struct rec_tasks *t, uint32_t id);
/* Existing entry for ID or a new zeroed one; NULL + errno on failure. */
struct rec_task *rec_tasks_put(struct rec_tasks *t, uint32_t id);
void rec_tasks_del(struct rec_tasks *t, uint32_t id);
size_t rec_tasks_count(const struct rec_tasks *t);

/* ---- plan.c ------------------------------------------------------------- */

enum rec_fd_kind { REC_FD_NONE = 0, REC_FD_ARG0, REC_FD_RET };

/* What a call does to the fd table (fdtab.c). */
enum rec_fd_op {
	REC_FDOP_NONE = 0,
	REC_FDOP_OPEN, REC_FDOP_OPENAT, REC_FDOP_OPENAT2, REC_FDOP_CREAT,
	REC_FDOP_SOCKET, REC_FDOP_SOCKETPAIR, REC_FDOP_PIPE, REC_FDOP_PIPE2,
	REC_FDOP_CONNECT, REC_FDOP_BIND, REC_FDOP_ACCEPT, REC_FDOP_ACCEPT4,
	REC_FDOP_DUP, REC_FDOP_DUP2, REC_FDOP_DUP3, REC_FDOP_FCNTL,
	REC_FDOP_CLOSE, REC_FDOP_CLOSE_RANGE, REC_FDOP_CHDIR, REC_FDOP_FCHDIR,
	REC_FDOP_EPOLL, REC_FDOP_EPOLL1, REC_FDOP_EVENTFD, REC_FDOP_EVENTFD2,
	REC_FDOP_TIMERFD, REC_FDOP_SIGNALFD, REC_FDOP_SIGNALFD4,
	REC_FDOP_INOTIFY, REC_FDOP_INOTIFY1, REC_FDOP_PIDFD, REC_FDOP_LISTEN,
	REC_FDOP_CHROOT,
};

struct rec_plan {
	uint8_t sci[KS_NR_MAX];  /* KS_SCI_* for the BPF side */
	uint8_t fd[KS_NR_MAX];   /* enum rec_fd_kind */
	uint8_t fdop[KS_NR_MAX]; /* enum rec_fd_op */
	int32_t pair_nr[3];      /* pipe, pipe2, socketpair; -1 = none */
	uint8_t snap[KS_NR_MAX]; /* enum rec_snap_kind (snap.c) */
};

/* Fill PLAN for ARCH (a systab spelling, e.g. "x86_64"); -ENOENT for an
 * arch without a syscall table. */
int rec_plan_init(struct rec_plan *plan, const char *arch);
/* The fd column of a call: arg0 for calls that take an fd first, the
 * result for calls that create one, else -1. */
int rec_plan_fd(const struct rec_plan *plan, int nr, const uint64_t *args,
		int64_t ret);

/* ---- snap.c ------------------------------------------------------------- */

/* What a syscall's snap tail holds, or what its decoded arguments are:
 * the BPF side's kinds (enum ks_snap_kind), then kinds user space decodes
 * from the raw arguments alone. */
enum rec_snap_kind {
	REC_SNAP_EPOLL_WAIT = KS_SNAP_SOCKOPT + 1, /* int ms timeout, arg 3 */
};

/* Fill PLAN->snap for ARCH (called by rec_plan_init). */
void rec_snap_plan(struct rec_plan *plan, const char *arch);
/* The BPF side's snap_info from PLAN. */
void rec_snap_rodata(const struct rec_plan *plan, uint8_t info[KS_NR_MAX]);

/* A syscall's decoded argument memory: EV's args_mem, timeout_ns and
 * timeout_kind from the MEM_LEN bytes of items at MEM (NULL: none read).
 * ARGS_MEM must hold EV_BLOB_HDR + KS_SNAP_MEM_BYTES bytes and is what
 * ev->args_mem points at.  -1 when the items are malformed. */
#define KS_SNAP_MEM_BYTES 128
int rec_snap_mem(const struct rec_plan *plan, struct ev_syscall *ev,
		 const char *mem, size_t mem_len, char *args_mem);

/* ---- procfs.c ----------------------------------------------------------- */

struct rec_proc_info {
	uint32_t pid, ppid;
	uint64_t start_ts;
	char comm[KS_COMM_LEN];
	char exe[512];
	char cmdline[4096];
	char cgroup[512];
	char container[80];
};

struct redact;
/* Fill INFO for PID from /proc (PROC is normally "/proc"), redacted with
 * RD (redact.h; NULL: as read): comm, exe (a path), cmdline (argv and
 * env, on the arguments apart), cgroup and container (patterns). */
int rec_procfs_read(const char *proc, uint32_t pid, struct rec_proc_info *info,
		    const struct redact *rd);
/* Call FN for every thread of PID with (tid, comm, start_ts). */
int rec_procfs_threads(const char *proc, uint32_t pid,
		       int (*fn)(void *ctx, uint32_t tid, const char *comm,
				 uint64_t start_ts),
		       void *ctx);
/* All pids now, or with ROOTS the pids in the process trees under them
 * (roots included).  *OUT is malloc'd; the caller frees it. */
int rec_procfs_pids(const char *proc, const uint32_t *roots, size_t nroots,
		    uint32_t **out, size_t *nout);
/* A call a thread is inside, from /proc/PID/task/TID/syscall. */
struct rec_proc_call {
	int32_t nr;
	uint64_t args[6];
	uint32_t cpu; /* where the thread last ran */
};

/* The call thread TID of PID is blocked in: 1 with CALL filled, 0 when it
 * is in none (or is on a CPU now, which /proc does not show), -errno. */
int rec_procfs_syscall(const char *proc, uint32_t pid, uint32_t tid,
		       struct rec_proc_call *call);
/* The NUL-terminated string at ADDR in PID's memory into BUF: its length,
 * -E2BIG when it does not fit in SIZE - 1 bytes (BUF then holds them), or
 * -errno. */
ssize_t rec_procfs_user_str(uint32_t pid, uint64_t addr, char *buf,
			    size_t size);
/* Container id in a cgroup path (docker, containerd, cri-o, podman), or
 * "" when the path shows none. */
void rec_cgroup_container(const char *cgroup, char *out, size_t outlen);

/* ---- fdtab.c ------------------------------------------------------------ */

struct rec_fdtab;

/* One finished (END != 0) or unfinished syscall, as fdtab needs it. */
struct rec_fdcall {
	uint32_t pid, tid;
	int32_t nr;
	int32_t fd;          /* the call's fd column (rec_plan_fd) */
	uint64_t ts, end;    /* entry and return, boot-clock ns; END 0 when
			      * the call did not return */
	int64_t ret;
	const uint64_t *args;
	const char *path;    /* its path whole, else NULL */
	const char *addr;    /* its address (rec_sockaddr_format), whole,
			      * else NULL */
};

/* A table following PLAN's calls (borrowed).  NULL when out of memory. */
struct rec_fdtab *rec_fdtab_new(const struct rec_plan *plan);
void rec_fdtab_free(struct rec_fdtab *t);
/* Read PID's fds and cwd from PROC (replacing what was known).  0 (also
 * when PID is gone), or -errno. */
int rec_fdtab_snapshot(struct rec_fdtab *t, const char *proc, uint32_t pid);
/* The name of call C's fd (NULL: unknown, or no fd), valid until the next
 * call of a rec_fdtab function on T; C's effect is applied (calls come in
 * return order). */
const char *rec_fdtab_call(struct rec_fdtab *t, const struct rec_fdcall *c);
/* The two fds a pipe, pipe2 or socketpair made (the BPF side's record). */
void rec_fdtab_pair(struct rec_fdtab *t, const struct ks_fdpair *r);
/* A TCP state change of a socket of PID (for the local side of connect
 * and accept). */
void rec_fdtab_tcp(struct rec_fdtab *t, uint32_t pid, int new_state,
		   int family, const char *saddr, uint16_t sport,
		   const char *daddr, uint16_t dport);
/* Process CHILD starts with a copy of PARENT's table.  0 or -ENOMEM. */
int rec_fdtab_fork(struct rec_fdtab *t, uint32_t parent, uint32_t child);
/* PID exec'd at TS: its close-on-exec fds are closed. */
void rec_fdtab_exec(struct rec_fdtab *t, uint32_t pid, uint64_t ts);
/* PID is gone: its table is freed. */
void rec_fdtab_exit(struct rec_fdtab *t, uint32_t pid);
/* Processes with a table. */
size_t rec_fdtab_procs(const struct rec_fdtab *t);

/* ---- listeners.c -------------------------------------------------------- */

struct rec_sockets_fn {
	/* a listening socket, keyed as the BPF program keys it */
	int (*listener)(void *ctx, const struct ks_listen_key *k);
	/* a connection (any other state) by its addresses */
	int (*conn)(void *ctx, const struct ks_conn_key *k);
};

/* Call FN's functions (either may be NULL) for every TCP socket process PID
 * has open.  0, a function's negative return, or -errno (-ENOENT: the
 * process is gone). */
int rec_sockets_read(const char *proc, uint32_t pid,
		     const struct rec_sockets_fn *fn, void *ctx);
/* Call FN(CTX, INODE, NAME) for every TCP, UDP and Unix socket of PID's
 * network namespace that process PID has open, NAME as fdtab.c writes
 * it ("tcp A:p->B:q", "tcp A:p" when listening, "unix:/path").  0, FN's
 * negative return or -errno. */
int rec_sockets_names(const char *proc, uint32_t pid,
		      int (*fn)(void *ctx, uint64_t ino, const char *name),
		      void *ctx);

/* ---- convert.c ---------------------------------------------------------- */

struct rec_conv;
struct rec_stacks;

/* A converter writing into W with PLAN.  Borrowed: both must outlive it.
 * Fork, exec and exit records always update the processes and threads
 * tables; they become proc events only with PROC_EVENTS. */
struct rec_conv *rec_conv_new(struct store_writer *w,
			      const struct rec_plan *plan, int proc_events);
void rec_conv_free(struct rec_conv *c);
/* Add a process (and its threads) seen in the /proc snapshot. */
int rec_conv_snapshot(struct rec_conv *c, const struct rec_proc_info *p);
int rec_conv_snapshot_thread(struct rec_conv *c, uint32_t tid, uint32_t pid,
			     const char *comm, uint64_t start_ts);
/* Read PID's open fds from /proc, to name its calls' fds. */
int rec_conv_snapshot_fds(struct rec_conv *c, uint32_t pid);
/* Convert one ring record (LEN bytes) and append it.  Malformed records are
 * counted and skipped; returns the writer's error otherwise. */
int rec_conv_record(struct rec_conv *c, const void *data, size_t len);
/* Records skipped as malformed. */
uint64_t rec_conv_bad(const struct rec_conv *c);
/* Switches of recorded threads the sequence shows were not seen: a
 * thread switched out (in) twice with no switch in (out) between. */
uint64_t rec_conv_switch_gaps(const struct rec_conv *c);
/* Write a `stacks` row for each new stack id the switches name, from ST
 * (borrowed; NULL: switches carry no stack id). */
void rec_conv_stacks(struct rec_conv *c, struct rec_stacks *st);
/* Redact every string with RD (redact.h; borrowed, NULL: none) before it
 * is written.  The /proc snapshot is redacted by rec_procfs_read. */
struct redact;
void rec_conv_redact(struct rec_conv *c, const struct redact *rd);
/* Format a raw struct sockaddr as "1.2.3.4:80", "[::1]:80", "unix:/path". */
void rec_sockaddr_format(const void *sa, size_t len, char *out, size_t outlen);

/* ---- stacks.c ----------------------------------------------------------- */

struct rec_ksyms;
/* The text symbols of a kallsyms file (normally /proc/kallsyms).  NULL +
 * errno; EPERM when every address reads 0 (hidden by kptr_restrict). */
struct rec_ksyms *rec_ksyms_load(const char *path);
void rec_ksyms_free(struct rec_ksyms *k);
size_t rec_ksyms_count(const struct rec_ksyms *k);
/* The symbol at or below ADDR; NULL when ADDR is below them all.  Valid
 * until K is freed. */
const char *rec_ksyms_name(const struct rec_ksyms *k, uint64_t addr);
/* N return addresses, innermost first (as a stack map holds them), folded
 * into OUT: outermost first, ';'-separated names, 0x<hex> when unknown,
 * without the tracing frames inside __traceiter_sched_switch.  Returns
 * the length the whole text needs (snprintf-like). */
size_t rec_stacks_fold(const struct rec_ksyms *k, const uint64_t *ips,
		       size_t n, char *out, size_t outlen);

struct rec_stacks;
/* Rows for the ids of stack map MAP_FD (ids below SLOTS), symbolized
 * with K (borrowed: it must outlive ST).  NULL + errno. */
struct rec_stacks *rec_stacks_new(const struct rec_ksyms *k, int map_fd,
				  uint32_t slots);
void rec_stacks_free(struct rec_stacks *st);
/* A switch (TS, CPU, TID) names stack ID (map id + 1): the first time,
 * append its `stacks` event to W.  0 or the writer's error. */
int rec_stacks_note(struct rec_stacks *st, struct store_writer *w,
		    uint64_t ts, uint32_t cpu, uint32_t tid, uint32_t id);
/* Ids whose frames could not be read from the map (no row for them). */
uint64_t rec_stacks_missed(const struct rec_stacks *st);
/* ---- namecache.c ------------------------------------------------------- */

struct rec_names;
/* Writes KEY's name (under ROOT) into NAME (SIZE bytes): always one. */
typedef void rec_names_read_fn(const char *root, uint32_t key, char *name,
			       size_t size);
/* A cache of names read by READ once per key; NULL with errno. */
struct rec_names *rec_names_new(const char *root, rec_names_read_fn *read);
void rec_names_free(struct rec_names *n);
/* KEY's name, valid until N is freed; NULL when out of memory. */
const char *rec_names_get(struct rec_names *n, uint32_t key);

/* ---- irqnames.c -------------------------------------------------------- */

struct rec_irqnames;

/* Irq names from SYSROOT ("/sys/kernel/irq"); NULL with errno on failure.
 * Free with rec_irqnames_free (NULL is fine). */
struct rec_irqnames *rec_irqnames_new(const char *sysroot);
void rec_irqnames_free(struct rec_irqnames *n);
/* The kernel's name of softirq vector VEC ("NET_RX"), NULL past the
 * known ones. */
const char *rec_softirq_name(uint32_t vec);
/* waker_irq of a wakeup of context CTX (enum ks_waker_ctx) with
 * ks_wakeup.waker_irq IRQ: a softirq name, an irq's action names,
 * "hrtimer", a number as text when nothing names it, or NULL (no
 * interrupt known).  Valid until the next call. */
const char *rec_waker_irq_name(struct rec_irqnames *n, unsigned ctx,
			       uint32_t irq);

/* ---- percpu.c ---------------------------------------------------------- */

struct btf;

/* *DELTA := address of per-CPU variable VAR minus that of FROM (the same
 * on every CPU), from BTF.  0, or -ENOENT when BTF lacks either. */
int rec_percpu_delta(const struct btf *btf, const char *var, const char *from,
		     int64_t *delta);
/* ---- blkdev.c ----------------------------------------------------------- */

/* The name of disk DEV (major << 20 | minor) under SYSFS (normally
 * "/sys"): its DEVNAME ("vda"), else "MAJ:MIN".  A rec_names_read_fn:
 * the recorder keeps them in rec_names_new("/sys", rec_blkdev_read). */
void rec_blkdev_read(const char *sysfs, uint32_t dev, char *name,
		     size_t size);
/* A request's cmd_flags as enum ev_block_op. */
int rec_blk_op(uint32_t cmd_flags);
/* A blk_status_t as a negative errno (0 = ok). */
int rec_blk_errno(int status);

/* ---- snapshot.c --------------------------------------------------------- */

/* The sigqueue value of a `kscope record --snapshot` request. */
#define REC_SNAP_MAGIC 0x6b736e70

/* Snapshot N of TRACE: TRACE less ".kscope", then ".snap-N.kscope". */
void rec_snap_name(const char *trace, unsigned n, char *out, size_t outlen);
/* SIGUSR1 asks for a snapshot (process-wide: one recording a process). */
void rec_snap_signals(void);

struct rec_snap_report {
	char path[4096];
	unsigned n;
	int rc;                   /* 0 or -errno (ERR says why) */
	char err[STORE_ERRLEN];
	struct store_snapshot_sum sum;
	uint64_t pause_ns;        /* the main loop's part: the commit */
	uint64_t copy_ns;         /* from the request to the file */
};

struct rec_snap;
/* Snapshots of the recording W writes into TRACE (both borrowed); without
 * RING every request is answered -EOPNOTSUPP.  NULL when out of memory. */
struct rec_snap *rec_snap_new(const char *trace, struct store_writer *w,
			      int ring);
/* Waits for a snapshot being written; callers still waiting are told
 * -ECANCELED. */
void rec_snap_free(struct rec_snap *s);
/* Take the requests that came since the last call: *KILLS plain SIGUSR1s,
 * *CALLERS from --snapshot.  Non-zero when there was any. */
int rec_snap_collect(struct rec_snap *s, unsigned *kills, unsigned *callers);
/* Are requests waiting?  Is a snapshot being written? */
int rec_snap_wanted(const struct rec_snap *s);
int rec_snap_running(const struct rec_snap *s);
/* Commit, then write the ring as it is now as snapshot of REASON ending at
 * END_TS (boot ns) in a thread; the waiting requests are served by it.
 * 0, -EBUSY while one runs, or -errno (the writer's, from the commit). */
int rec_snap_start(struct rec_snap *s, const char *reason, uint64_t end_ts);
/* 1 and REP filled when the snapshot being written is done, else 0;
 * rec_snap_wait waits for it. */
int rec_snap_poll(struct rec_snap *s, struct rec_snap_report *rep);
int rec_snap_wait(struct rec_snap *s, struct rec_snap_report *rep);
/* `kscope record --snapshot PID`: ask recorder PID for a snapshot and wait
 * for it.  0 with the file's name in NAME, or -errno with a one-line
 * message in ERR. */
int rec_snap_request(pid_t pid, char *name, size_t len, char *err,
		     size_t errlen);

/* ---- trigger.c ---------------------------------------------------------- */

struct filter;
struct rec_trigger {
	struct filter *f;
	unsigned kinds;   /* the kinds F can match */
	const char *arch; /* syscall names */
	uint64_t quiet;   /* matches at or before this ts do not count */
	int fired;        /* an event matched: TS and WHAT say which */
	uint64_t ts;
	char what[96];
};

/* Parse --trigger TEXT.  0, or -EINVAL with a one-line message in ERR. */
int rec_trigger_init(struct rec_trigger *t, const char *text,
		     const char *arch, char *err, size_t errlen);
/* A store_writer_opts tap (ARG: the trigger). */
void rec_trigger_tap(void *arg, enum ev_kind kind, const void *ev);
/* Watch again, for events after QUIET. */
void rec_trigger_rearm(struct rec_trigger *t, uint64_t quiet);
const char *rec_trigger_text(const struct rec_trigger *t);
void rec_trigger_free(struct rec_trigger *t);
/* ---- filter.c ----------------------------------------------------------- */

/* The capture filters (--syscalls, --slower-than, --errors-only,
 * --no-errors, --comm). */
struct rec_filter {
	const char *syscalls;          /* --syscalls as given; NULL: all */
	uint64_t set[KS_NR_MAX / 64];  /* the calls it selects, by number */
	uint64_t slower_ns;            /* --slower-than; 0: any duration */
	int errors;                    /* enum ks_errors (bpf/filter.h) */
	char (*comm)[KS_COMM_LEN];     /* --comm names, cut as the kernel
					* cuts them; owned */
	size_t ncomm;
};

/* Parse LIST (see filter.c) against ARCH's syscall table into F->set;
 * F->syscalls borrows LIST.  0, or -EINVAL with a one-line ERR. */
int rec_filter_syscalls(struct rec_filter *f, const char *list,
			const char *arch, char *err, size_t errlen);
/* Does F's syscall set hold NR (always, without --syscalls)? */
int rec_filter_has(const struct rec_filter *f, int nr);
/* Is call NR that took DUR ns and returned RET (FINISHED 0: still in
 * flight after DUR ns) kept? */
int rec_filter_keep(const struct rec_filter *f, int nr, uint64_t dur,
		    int64_t ret, int finished);
/* Add a --comm NAME: 0, -EINVAL (empty, a newline, too many), -ENOMEM. */
int rec_filter_comm_add(struct rec_filter *f, const char *name);
/* Is COMM one of F's names? */
int rec_filter_comm_match(const struct rec_filter *f, const char *comm);
/* Keep in PIDS (*N of them) those with a thread whose comm is one of F's
 * names, now, under PROC. */
int rec_filter_comm_pids(const struct rec_filter *f, const char *proc,
			 uint32_t *pids, size_t *n);
void rec_filter_free(struct rec_filter *f);

/* ---- options.c ---------------------------------------------------------- */

#define REC_CLASS_BIT(c) (1u << (c))
#define REC_CLASS_ALL ((1u << KS_CLASS_COUNT) - 1)


#define REC_DEFAULT_FILE "trace.kscope"
#define REC_DEFAULT_RING (16u << 20)
#define REC_OPTS_HELP 1
#define REC_DEFAULT_TRIGGER_AFTER 1.0

/* --budget (budget.c) */
struct rec_budget {
	double cpu_pct;    /* percent of one CPU; 0 = no limit */
	uint64_t rate_bps; /* bytes drained per second; 0 = no limit */
};

struct rec_opts {
	const char *out;
	double duration;   /* seconds; 0 = until stopped */
	uint32_t *pids;    /* -p; owned (rec_opts_free) */
	size_t npids;
	int all;
	unsigned classes;  /* REC_CLASS_BIT(KS_CLASS_*) */
	const char *cgroup;
	uint64_t max_size;
	int ring;
	uint64_t ring_bytes; /* rounded up to a power of two, >= 64 KiB */
	int quiet;
	int force;
	int stacks;        /* kernel stacks at sleeping switches (class sched);
			    * --no-stacks clears it */
	int no_compact;    /* --no-compact: keep the chunks as sealed (LZ4) */
	char **cmd;        /* after "--", NULL-terminated; borrowed from argv */
	/* redact: --redact WHAT, --redact-pattern RE (redact.h) */
	unsigned redact;   /* REDACT_* */
	const char **redact_pats; /* owned array (rec_opts_free); the
				   * strings point into argv */
	size_t nredact_pats;
	/* trig: snapshots of a --ring recording */
	uint32_t snapshot_pid; /* --snapshot: ask that recorder, then exit */
	const char *trigger;   /* --trigger FILTER */
	double trigger_after;  /* --trigger-after, seconds */
	/* filt: capture filters applied in the kernel */
	struct rec_filter filter;
	/* budget: --budget cpu=PCT,rate=SIZE/s */
	int has_budget;
	struct rec_budget budget;
	/* snap: payload snapshots */
	uint32_t snaplen;  /* --snaplen: payload bytes per call, 0 = none */
};

/* Parse `record` ARGV (argv[0] is the command name).  0, REC_OPTS_HELP for
 * --help, or -EINVAL with a one-line message in ERR.  Strings point into
 * ARGV. */
int rec_opts_parse(int argc, char **argv, struct rec_opts *o, char *err,
		   size_t errlen);
void rec_opts_free(struct rec_opts *o);
/* "10", "1.5s", "500ms", "200us", "2m", "1h" -> seconds; -1 when
 * malformed. */
double rec_parse_duration(const char *s);
/* "4096", "64K", "16M", "1G" (powers of 1024) -> bytes; 0 when malformed. */
uint64_t rec_parse_size(const char *s);
/* "syscall,net" or "all" -> REC_CLASS_BIT mask; -1 when malformed. */
int rec_parse_classes(const char *s, unsigned *out);

/* ---- shedctl.c ---------------------------------------------------------- */

#define SHEDCTL_STEPS (KS_SHED_SHIFT_MAX + 2) /* none, strings, 1/2 .. */
#define SHEDCTL_HOLD 1  /* measurements left alone after a change */
#define SHEDCTL_CALM 5  /* measurements well under before a step down */

/* The budget's controller (pure logic; see shedctl.c). */
struct shedctl {
	double cpu_max, rate_max; /* limits; 0 = none */
	double cpu, rate;         /* smoothed measurements */
	int seen;
	unsigned step;            /* 0 .. SHEDCTL_STEPS - 1 */
	unsigned level, shift;    /* what step means for the kernel side */
	unsigned hold, calm;
};

void shedctl_init(struct shedctl *c, double cpu_max, double rate_max);
/* One measurement: CPU_PCT (percent of one CPU) and RATE_BPS (bytes per
 * second).  1 when level or shift changed. */
int shedctl_step(struct shedctl *c, double cpu_pct, double rate_bps);

/* ---- budget.c ----------------------------------------------------------- */

#define REC_SHED_TICK_NS 200000000ull /* a measurement every 200 ms */

/* "cpu=5,rate=2M/s" (either or both keys): 0, or -1 when malformed. */
int rec_budget_parse(const char *s, struct rec_budget *b);
/* The budget as meta `budget` gives it: "cpu=5%,rate=2097152/s,slow=1000000ns". */
void rec_budget_describe(const struct rec_budget *b, char *buf, size_t len);
/* The kernel side's budget_nr: KS_BUDGET_* per syscall number. */
void rec_budget_nr(const struct rec_plan *plan, const char *arch,
		   uint8_t nr[KS_NR_MAX]);

struct rec_shed;
struct rec_session;
/* Shedding for session S (whose kernel side has the budget on); turns the
 * kernel's run-time statistics on for a CPU budget.  NULL when out of
 * memory.  ARCH is borrowed (syscall names). */
struct rec_shed *rec_shed_new(struct rec_session *s, const struct rec_budget *b,
			      const char *arch);
void rec_shed_free(struct rec_shed *sh);
/* Measure (NOW_NS monotonic; BYTES drained from the ring so far) and set
 * what the kernel sheds.  0 or -errno. */
int rec_shed_tick(struct rec_shed *sh, uint64_t now_ns, uint64_t bytes);
/* What the kernel shed since the last call, as rows of the shed table in
 * the second of NOW_BOOT.  0 or -errno (a writer error). */
int rec_shed_rows(struct rec_shed *sh, struct store_writer *w,
		  uint64_t now_boot);
/* Calls sampled out, and calls kept without their strings, so far. */
void rec_shed_totals(const struct rec_shed *sh, uint64_t *sampled,
		     uint64_t *stripped);

/* ---- session.c ---------------------------------------------------------- */

struct rec_session_opts {
	unsigned classes;       /* REC_CLASS_BIT(KS_CLASS_*) */
	int filter_tgid;        /* only tgids added by rec_session_trace */
	uint64_t cgroup_id;     /* 0 = any; else this cgroup v2 and below */
	uint32_t cgroup_level;  /* its depth below the root (root = 0) */
	uint64_t ring_bytes;    /* ring buffer size (power of two) */
	int64_t wakeup_bytes;   /* wake the reader past this; -1 = ring / 4,
				 * 0 = on every record (for measurements) */
	uint64_t batch_bytes;   /* user-space batch bound */
	uint32_t self_tgid;
	const struct rec_plan *plan;
	int stacks;             /* kernel stacks at sleeping switches (with
				 * class sched) */
	/* filt: capture filters (borrowed); comm_mode KS_COMM_* */
	const struct rec_filter *filter;
	int comm_mode;
	/* budget: KS_BUDGET_* per syscall number (rec_budget_nr); NULL =
	 * no budget */
	const uint8_t *budget_nr;
	/* snap: */
	uint32_t snaplen;       /* payload bytes per call (<= KS_SNAP_MAX) */
};

/* A drained batch: records in ring order, each as a 8-byte header
 * (uint32_t len, uint32_t pad) then LEN bytes, padded to 8. */
struct rec_batch {
	char *buf;
	size_t len, cap;
};

struct rec_session;

/* Open, configure and load the BPF programs.  Tracepoints the kernel lacks
 * are left out (see rec_session_skipped).  NULL + ERR on failure; errno is
 * EPERM when the privilege is missing. */
struct rec_session *rec_session_open(const struct rec_session_opts *opts,
				     char *err, size_t errlen);
/* Names of the tracepoints left out, NULL-terminated. */
const char *const *rec_session_skipped(const struct rec_session *s);
/* Follow process TGID (and what it forks) in a filtered recording. */
int rec_session_trace(struct rec_session *s, uint32_t tgid);
/* --comm within -p or CMD: process TGID (and what it forks) is recorded
 * once it takes one of the names. */
int rec_session_comm_tree(struct rec_session *s, uint32_t tgid);
/* Process PID owns a socket listening on K (one already listening when
 * recording starts): the connections it accepts are PID's. */
int rec_session_listener(struct rec_session *s, const struct ks_listen_key *k,
			 uint32_t pid);
/* Process PID has connection K open (found when recording starts). */
int rec_session_conn(struct rec_session *s, const struct ks_conn_key *k,
		     uint32_t pid);
int rec_session_attach(struct rec_session *s);
void rec_session_detach(struct rec_session *s);
/* Wait up to TIMEOUT_MS for data, then drain what is there into the batch.
 * Returns records added, or -ENOBUFS when the batch filled up (process it,
 * clear it, call again), or another negative errno. */
int rec_session_poll(struct rec_session *s, int timeout_ms);
struct rec_batch *rec_session_batch(struct rec_session *s);
/* After attach: thread TID of PID was already inside CALL (read from
 * /proc) when the programs were attached; its exit is to be written with
 * KS_SC_EARLY, and with TS (when it was seen) as its start.  PATH (NULL
 * when none; PATH_TRUNC when cut) is its path argument.  1 when noted, 0
 * when the thread already has a call the programs saw enter, -errno. */
int rec_session_early(struct rec_session *s, uint32_t pid, uint32_t tid,
		      const struct rec_proc_call *call, uint64_t ts,
		      const char *path, int path_trunc);
/* After detach: add a record for every call still in flight (flagged
 * KS_SC_UNFINISHED) to the batch.  Returns how many. */
int rec_session_unfinished(struct rec_session *s);
/* Before detach: drop, as lost, the block entries whose requests ended
 * without the program seeing it.  0 or -errno. */
int rec_session_blk_sweep(struct rec_session *s);
/* After detach: add a record (dur 0) for every block request still in
 * flight to the batch.  How many, or -ENOBUFS as rec_session_poll. */
int rec_session_blk_inflight(struct rec_session *s);
/* Lost-event counters: OUT[cpu * KS_CLASS_COUNT + class], NCPU entries of
 * KS_CLASS_COUNT.  Returns the cpu count or a negative errno. */
int rec_session_lost(struct rec_session *s, uint64_t *out, int ncpu);
int rec_session_ncpus(const struct rec_session *s);
/* The stack map's fd, with its slot count in *SLOTS (ids are below it);
 * -ENOENT when stacks are off. */
int rec_session_stacks(const struct rec_session *s, uint32_t *slots);
/* Stacks not recorded (bucket taken by another stack, map full), summed
 * over the CPUs, into *LOST.  0 or -errno. */
int rec_session_stacks_lost(struct rec_session *s, uint64_t *lost);
/* The loaded programs' counters, summed: MISSES, the runs the kernel
 * skipped because the same program was already running on that CPU (an
 * interrupt's tracepoint inside the program's own run: their events are
 * lost); and, while run-time statistics are on (rec_session_stats_on, or
 * sysctl kernel.bpf_stats_enabled=1), their run time and run count.  0 or
 * -errno. */
struct rec_prog_stats {
	uint64_t misses;
	uint64_t run_ns, runs;
};
int rec_session_prog_stats(struct rec_session *s, struct rec_prog_stats *st);
/* Turn the kernel's run-time statistics of BPF programs on until the
 * session closes (they cost two clock reads per program run).  0 or
 * -errno. */
int rec_session_stats_on(struct rec_session *s);
/* budget: what the kernel side sheds from now on (enum ks_shed_level,
 * and 1 in 2^SHIFT kept at KS_SHED_SAMPLE); and its counts of what it
 * shed, per CPU, into OUT[cpu * KS_SHED_SLOTS * KS_NR_MAX + key] (key
 * as in bpf/kscope_bpf.h; rec_session_ncpus CPUs).  0 or -errno. */
int rec_session_shed_set(struct rec_session *s, unsigned level,
			 unsigned shift);
int rec_session_shed_read(struct rec_session *s, uint64_t *out);
void rec_session_close(struct rec_session *s);

/* --cgroup (cgroup.c): where cgroup v2 is mounted, into OUT; and the id,
 * depth and /proc/PID/cgroup form (REL) of PATH, absolute or relative to
 * ROOT, which must be ROOT or a directory below it on cgroup2 (else
 * -ENOTDIR).  0 or -errno. */
void rec_cgroup2_root(char *out, size_t outlen);
int rec_cgroup_id(const char *path, const char *root, uint64_t *id,
		  uint32_t *level, char *rel, size_t rellen);

/* -- CMD (child.c).  rec_child_find: the file execvp would run for CMD,
 * into FULL; 0, -ENOENT or -EACCES.  rec_child_start: fork CMD held on a
 * pipe, with the signal mask MASK (the recorder's own holds signals
 * meanwhile); a byte written to *GO_FD lets it exec FILE; its exec errno
 * comes back on *ERR_FD (EOF on success).  The pid, or -1 with errno.
 * rec_cmd_exit_code: a wait status as the shell's $? (128 + signal);
 * rec_cmd_status_text: it in words. */
int rec_child_find(const char *cmd, char *full, size_t fullen);
pid_t rec_child_start(const char *file, char **cmd, const sigset_t *mask,
		      int *go_fd, int *err_fd);
int rec_cmd_exit_code(int status);
void rec_cmd_status_text(const char *cmd, int status, char *out,
			 size_t outlen);

/* ---- selfcost.c --------------------------------------------------------- */

/* What recording has cost so far, cumulative: the recorder process's CPU
 * (user and system, getrusage) and its BPF programs' run time in the
 * kernel (bpf_known = 0 when run-time statistics are off: then bpf_ns
 * and bpf_runs are 0, not measured).
 *
 *     struct rec_cost a, b;
 *     rec_cost_read(s, &a); ...; rec_cost_read(s, &b);
 *     pct = rec_cost_pct(&a, &b, wall_ns);   // % of one CPU in between
 */
struct rec_cost {
	uint64_t user_ns, sys_ns;
	uint64_t bpf_ns, bpf_runs;
	int bpf_known;
};
int rec_cost_read(struct rec_session *s, struct rec_cost *c);
/* CPU spent between A and B (user + system + BPF) as a percentage of one
 * CPU over WALL_NS. */
double rec_cost_pct(const struct rec_cost *a, const struct rec_cost *b,
		    uint64_t wall_ns);

#endif
