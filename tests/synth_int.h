/*
 * synth_int.h - what the parts of the synthetic trace generator share
 * (private to tests/synth*.c; the API is synth.h).
 *
 *     synth_data.c   the tables: syscall specs and mixes, paths, the
 *                    process templates, spawned commands, upstreams
 *     synth_host.c   the host at the start: processes, threads, path
 *                    lists, syscall mixes (and the string arena)
 *     synth_call.c   one syscall and what it causes: thread and path
 *                    draws, sched switch / wakeup / migrate, TCP events
 *     synth.c        the clock, the pending-event heap, commands that come
 *                    and go, and the API: synth_new, synth_next, writing
 *
 * All of them work on one struct synth, defined here with the per-process,
 * per-thread and per-connection state.  Randomness is synth_rng.h.
 */
#ifndef KSCOPE_SYNTH_INT_H
#define KSCOPE_SYNTH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "tests/synth.h"
#include "tests/synth_rng.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define US 1000ULL
#define MS 1000000ULL
#define SEC 1000000000ULL

/* errno values as the x86_64 kernel returns them (negated) */
enum {
	E_NOENT = 2, E_INTR = 4, E_BADF = 9, E_AGAIN = 11, E_ACCES = 13,
	E_NOTTY = 25, E_PIPE = 32, E_CONNRESET = 104, E_TIMEDOUT = 110,
	E_CONNREFUSED = 111, E_INPROGRESS = 115,
};

enum { TCP_EST = 1, TCP_SYN_SENT, TCP_SYN_RECV, TCP_FIN_WAIT1, TCP_FIN_WAIT2,
       TCP_TIME_WAIT, TCP_CLOSE, TCP_CLOSE_WAIT, TCP_LAST_ACK };

#define AF_INET_ 2
#define AF_INET6_ 10
#define AT_FDCWD_ ((uint64_t)(int64_t)-100)

/* ---- the syscalls ----------------------------------------------------- */

enum sc_kind {
	SK_READ, SK_WRITE, SK_PREAD, SK_PWRITE, SK_RECV, SK_SEND,
	SK_FUTEX, SK_POLL, SK_SLEEP, SK_OPEN, SK_STAT, SK_CLOSE, SK_FD,
	SK_IOCTL, SK_FSYNC, SK_MMAP, SK_MEM, SK_BRK, SK_CONNECT, SK_ACCEPT,
	SK_SOCKET, SK_SIMPLE, SK_GETPID, SK_GETTID, SK_GETRANDOM,
	SK_CLONE, SK_EXECVE, SK_EXIT, SK_WAIT,
};

struct sc_spec {
	const char *name;
	enum sc_kind sk;
	double median_ns, sigma;
};

/* synth_specs: one entry per syscall the generator makes */
#define SYNTH_NSPECS 61
extern const struct sc_spec synth_specs[];

/* ---- process flavours: syscall mix and path habits -------------------- */

enum flavor { FL_SERVER, FL_DB, FL_JVM, FL_DAEMON, FL_SHORT, FL_KERNEL,
	      FL_COUNT };

struct mix_entry {
	const char *name;
	double weight;
};

/* A flavour's syscall mix: entries with relative weights. */
struct mix {
	const struct mix_entry *e;
	unsigned n;
};
extern const struct mix synth_mixes[FL_COUNT];

/* Path categories, and how often each flavour opens or stats them. */
enum pcat { PC_LIB, PC_ETC, PC_PROC, PC_DB, PC_WEB, PC_MISS, PC_TMP, PC_HOME,
	    PC_LOG, PC_COUNT };

extern const double synth_path_habits[FL_COUNT][PC_COUNT];

/* The fixed paths of a category, each missing (ENOENT) with rate noent. */
struct path_list {
	enum pcat c;
	const char *const *p;
	unsigned n;
	double noent;
};
#define SYNTH_NPATH_LISTS 6
extern const struct path_list synth_path_lists[];

/* ---- processes, threads, connections --------------------------------- */

struct proc_tmpl {
	const char *comm, *exe, *cmdline, *cgroup;
	enum flavor flavor;
	double activity; /* relative share of syscalls per thread */
	unsigned count, threads;
	const char *thread_comms; /* '|'-separated, cycled; NULL: comm */
	int parent;  /* template index of the parent (its first process) */
	int spawner; /* forks short-lived commands */
	int container;
	int prio;    /* kernel prio as sched_switch shows it */
	const char *listen; /* ip:port accepted on; NULL: none */
};

enum { T_SYSTEMD, T_KTHREADD, T_SSHD, T_SSHD_SESS, T_BASH, T_POSTMASTER,
       T_CONTAINERD, T_SHIM, T_CRON };

/* The long-lived part of the host (synth_data.c).  Index order matters: a
 * parent comes before its children. */
#define SYNTH_NTMPLS 31
extern const struct proc_tmpl synth_tmpls[];

/* Container workloads that fill the host up to opts.procs processes. */
struct app_tmpl {
	const char *comm, *exe, *cmdline;
	enum flavor flavor;
	double activity;
	unsigned threads;
	const char *listen;
};
#define SYNTH_NAPPS 8
extern const struct app_tmpl synth_apps[];

/* What shells, cron and the postmaster start. */
struct spawn_tmpl {
	int parent; /* template index */
	const char *comm, *exe, *argv;
	int exec;   /* 0: fork only (postgres backend) */
	double life_ms, life_sigma;
	enum flavor flavor;
	int fail_code; /* exit code when it fails */
	double fail_rate;
};
/* What shells, cron and the postmaster start. */
#define SYNTH_NSPAWNS 11
extern const struct spawn_tmpl synth_spawns[];

/* Where clients connect: upstream servers with their refusal rate. */
struct upstream {
	const char *ip;
	unsigned port, family;
	double refused;
	double rtt_us;
};
#define SYNTH_NUPSTREAMS 11
extern const struct upstream synth_upstreams[];

/* Forced parts of a scripted call; NULL fields and ret_set 0: draw them. */
struct script_step {
	const char *name;
	const char *path;
	int ret_set;
	int64_t ret;
};
/* What a forked command runs first: the dynamic loader's calls. */
#define SYNTH_NLOADER 34
extern const struct script_step synth_loader_script[];

/* ---- the generator's state -------------------------------------------- */

struct arena_block; /* synth_host.c */


struct sproc {
	uint32_t pid, ppid;
	uint64_t start_ts, end_ts;
	int ended, exit_code, exit_signal;
	const char *comm, *exe, *cmdline, *cgroup, *container;
	enum flavor flavor;
	int tmpl;       /* index in synth_tmpls, or -1 */
	int spawner;
	const char *listen_ip;
	unsigned listen_port, listen_family;
	unsigned nfds;  /* descriptors held open: reads pick among them */
	unsigned nopen; /* files opened by openat and not yet closed */
	uint64_t mmap_next;
	uint64_t heap;
};

struct sthread {
	uint32_t tid, proc;
	const char *comm;
	uint32_t cpu;
	int32_t prio;
	int kernel, transient;
	uint64_t start_ts;
	uint64_t busy_until, dies;
	uint64_t buf, futex;
	int32_t conns[4];
	unsigned nconns;
	int32_t pending_close; /* next syscall is close(this) when >= 0 */
	const struct script_step *script;
	unsigned step, nsteps;
	int need_exec; /* a forked command whose next call is execve */
};

struct conn {
	uint64_t sock;
	uint32_t thread;
	int32_t fd;
	int client;
	unsigned family, sport, dport;
	const char *saddr, *daddr, *peer; /* peer: "ip:port" */
	unsigned ops_left;
	double rtt;
};

/* ---- pending events ---------------------------------------------------- */

enum { FIX_NONE, FIX_SWITCH_IN, FIX_SWITCH_OUT };

struct pend {
	uint64_t ts, seq;
	enum ev_kind kind;
	int fix;
	int dropped; /* a syscall past the end of the trace */
	union ev_any u;
};

struct synth {
	struct synth_opts o;
	struct synth_info info;
	struct rng r;
	struct arena_block *arena;

	int nr[SYNTH_NSPECS];
	struct {
		double cdf[64];
		unsigned spec[64];
		unsigned n;
	} mix[FL_COUNT];
	struct {
		const char **p;
		double *noent;
		unsigned n;
	} paths[PC_COUNT];
	double habit_cdf[FL_COUNT][PC_COUNT];

	struct sproc *procs;
	unsigned nprocs, procs_cap;
	struct sthread *threads;
	unsigned nthreads, threads_cap;
	uint32_t *hot; /* long-lived user threads, by activity rank */
	unsigned nhot;
	uint32_t *live; /* transient threads that may be alive */
	unsigned nlive, live_cap;
	uint32_t *kthreads; /* kernel threads */
	unsigned nkthreads;
	uint32_t next_pid;

	struct conn *conns;
	unsigned nconns, conns_cap;
	int32_t free_conn;
	uint64_t next_sock;

	struct pend *pool;
	uint32_t *heap;
	unsigned npend, pool_cap;
	uint32_t free_pend;
	uint64_t seq;

	uint32_t *cur; /* tid running on each cpu */
	const char **cur_comm;
	const char **swapper; /* "swapper/N" */

	uint64_t t;      /* generation clock */
	int burst;       /* arrival process state */
	uint64_t next_spawn;
	uint64_t made;   /* syscalls generated (direct and pending) */
	uint64_t ts_end; /* set when the last syscall is made */
	int draining;

	int have_sc;
	struct ev_syscall sc; /* the next direct syscall */
	size_t plant_i;
	struct pend out; /* what synth_next returned last */
	int err;
};

/* ---- synth_host.c ----------------------------------------------------- */

/* P grown to hold NEED elements of SIZE (capacity *CAP, doubled); NULL when
 * out of memory (P is still valid then). */
void *synth_grow(void *p, unsigned *cap, unsigned need, size_t size);
/* A printf-formatted string in the arena, valid until synth_free; "" and
 * s->err set when out of memory. */
const char *synth_intern(struct synth *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void synth_arena_free(struct arena_block *a);

struct sproc *synth_proc_add(struct synth *s);
struct sthread *synth_thread_add(struct synth *s, uint32_t proc,
				 uint32_t tid, const char *comm);
uint32_t synth_pid_take(struct synth *s, unsigned n);
/* The long-lived processes and threads, ranked by activity. */
void synth_host_build(struct synth *s);
/* Every category's paths (after synth_host_build: /proc/PID paths). */
void synth_paths_build(struct synth *s);
/* Syscall numbers and the cumulative mixes; -EINVAL on an unknown name. */
int synth_mixes_build(struct synth *s);
/* Index of syscall NAME in synth_specs, or -1. */
int synth_spec_index(const char *name);

/* ---- synth_call.c ----------------------------------------------------- */

unsigned synth_cdf_pick(struct rng *r, const double *cdf, unsigned n);
uint32_t synth_thread_pick(struct synth *s, uint64_t t);
void synth_sched_block(struct synth *s, struct sthread *th, uint64_t ts,
		       uint64_t dur, int64_t state, uint32_t waker);
void synth_syscall_make(struct synth *s, uint32_t ti, unsigned si,
			uint64_t ts, const struct script_step *step,
			struct ev_syscall *e);

/* ---- synth.c ---------------------------------------------------------- */

struct pend *synth_pend_push(struct synth *s, enum ev_kind kind,
			     uint64_t ts);

#endif
