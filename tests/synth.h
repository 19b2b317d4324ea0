/*
 * synth.h - a deterministic synthetic kscope trace, for tests and benches.
 *
 * Whole file in one call:
 *
 *     struct synth_opts o = SYNTH_OPTS_INIT;     // seed 1, all kinds
 *     o.syscalls = 100000;
 *     int rc = synth_write("t.kscope", &o);      // 0 or -errno
 *
 * Event by event (benches time the writer alone; tests plant events):
 *
 *     struct synth *s = synth_new(&o);
 *     while (synth_next(s, &kind, &ev) > 0)      // global ts order
 *             store_writer_append(w, kind, ev);
 *     synth_write_meta(s, w);                    // meta keys of a recorder
 *     synth_write_tables(s, w);                  // processes, threads
 *     synth_free(s);
 *
 * What it models: a host with 2-8 cpus and a few hundred processes in a
 * tree (systemd, services, a database, a JVM, shells spawning short-lived
 * commands), threads chosen Zipf-like, a per-process Zipf-like syscall mix
 * with real x86_64 numbers, log-normal durations with a heavy tail, bursty
 * arrivals, errors (ENOENT on openat of real-looking paths, EAGAIN,
 * ECONNREFUSED, ETIMEDOUT), blocking calls that switch the thread out and
 * are woken later (sched_switch / sched_wakeup / sched_migrate), fork /
 * exec / exit of the short-lived commands, and TCP connections (state
 * changes, send / recv bytes, retransmits, resets) tied to the connect,
 * accept4, sendto and recvfrom calls that drive them.
 *
 * Same options, same events, bit for bit: the generator has its own PRNG
 * and never reads the clock or the host.
 *
 * Planting known events: opts.plant lists events (sorted by ts) that
 * synth_next() returns at their place in the stream, untouched; or drive
 * the writer yourself as above and append more events after the stream.
 */
#ifndef KSCOPE_SYNTH_H
#define KSCOPE_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "store/ev.h"
#include "store/store.h"

struct synth_plant {
	enum ev_kind kind;
	const void *ev; /* the kind's struct; borrowed for the synth's life */
};

struct synth_opts {
	uint64_t seed;
	uint64_t syscalls;     /* syscall events to generate; the other kinds
				* come in proportion */
	unsigned kinds;        /* mask of 1u << EV_*; only these are returned */
	unsigned cpus;         /* 0: 2..8, picked from the seed */
	unsigned procs;        /* long-lived processes at start; 0: 300 */
	uint64_t ts_start;     /* boot-clock ns of the first event; 0: default */
	double rate;           /* syscalls per second, mean; 0: 200000 */
	const struct synth_plant *plant; /* sorted by ts; may be NULL */
	size_t nplant;
	/* synth_write only */
	const struct store_writer_opts *writer; /* NULL: replace the file */
	struct synth_info *info; /* filled when not NULL */
	char *errbuf;            /* STORE_ERRLEN bytes; a message on failure */
};

#define SYNTH_OPTS_INIT { .seed = 1, .syscalls = 100000, .kinds = EV_KIND_ALL }

/* What a generated trace holds (filled as the stream is consumed). */
struct synth_info {
	uint64_t events[EV_KIND_COUNT]; /* returned, planted ones included */
	uint64_t ts_first, ts_last;     /* over all returned events */
	unsigned cpus;
	unsigned processes; /* rows synth_write_tables writes */
	unsigned threads;
};

struct synth;

/* NULL + errno (ENOMEM, EINVAL) on failure. */
struct synth *synth_new(const struct synth_opts *o);
void synth_free(struct synth *s);

/* The next event in ts order: 1 with *KIND and *EV set (EV and its strings
 * stay valid until synth_free; the struct itself until the next call), or 0
 * at the end.  Strings (comm, paths, addresses) are interned: they are
 * valid for the synth's whole life, so callers may keep the structs. */
int synth_next(struct synth *s, enum ev_kind *kind, const void **ev);

/* The meta keys a recorder writes (host, kernel, arch, cpus, clock offset,
 * start / end once the stream is done).  0 or a writer error. */
int synth_write_meta(struct synth *s, struct store_writer *w);

/* Rows of the processes and threads tables for everything the stream has
 * shown so far (call it after the last synth_next).  0 or a writer error. */
int synth_write_tables(struct synth *s, struct store_writer *w);

const struct synth_info *synth_info(const struct synth *s);

/* Everything: create PATH, write the whole stream, meta and tables, close.
 * 0, or a negative errno (with a message in o->errbuf when set). */
int synth_write(const char *path, const struct synth_opts *o);

/* A context switch of a trace written by hand, at T0 + AT * UNIT (the
 * trace's choice of T0 and UNIT): PREV leaves CPU in STATE, NEXT runs. */
struct synth_switch {
	uint64_t at;
	uint32_t cpu, prev;
	int64_t state;
	uint32_t next;
};

/* Append S to W as a sched_switch event at T0 + S->at * UNIT, the comms
 * COMM(tid, S->at).  0 or a writer error. */
int synth_switch_put(struct store_writer *w, const struct synth_switch *s,
		     uint64_t t0, uint64_t unit,
		     const char *(*comm)(uint32_t tid, uint64_t at));

/* The end of a trace written by hand (synth_halfseen.c, synth_sleeper.c,
 * synth_reuse.c): unless RC (the writes so far) failed, meta options,
 * start_ts and end_ts; then close W.  0, or -1 with a message on stderr. */
int synth_finish(struct store_writer *w, int rc, const char *options,
		 uint64_t start_ts, uint64_t end_ts);

#endif
