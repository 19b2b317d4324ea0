/*
 * names.h - the name (comm) and process of a thread or a process at a
 * time, wherever the trace knows it (the reports and the TUI name tasks
 * through this).
 *
 *     struct names n;
 *     if (names_load(&n, st) < 0) ...                 // -ENOMEM, -EIO
 *     if (!names_noted(&n, tid))
 *             names_note(&n, tid, prev_comm);          // from an event
 *     uint64_t life = names_life(&n, tid, ts);         // tid's life at ts
 *     const char *c = names_life_comm(&n, life);       // NULL: unknown
 *     int64_t pid = names_life_pid(&n, life);          // -1: unknown
 *     names_free(&n);
 *
 * Sources, in order: the threads and processes tables, where a tid or
 * pid used more than once over the recording has a row per life, so the
 * row is the one that started last at or before the time asked (else the
 * earliest); then the comm the events carry (sched_switch prev_comm and
 * next_comm, the comm of proc, syscall and net events), the first one
 * noted per tid, for tasks the tables lack (tasks the recording does not
 * trace, which a `-- CMD` or `-p` trace sees only in switches, and tasks
 * gone before the recorder read /proc).  A process without a processes
 * row is named by its main thread (tid = pid).
 *
 * A life of a thread is one threads row: the events of a tid at a time
 * belong to the life of that time (names_life), whose process and name
 * are the row's (names_life_pid, names_life_comm), so that a tid reused
 * by another process counts apart in each.
 */
#ifndef KSCOPE_NAMES_H
#define KSCOPE_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/report/report_int.h"
#include "store/store.h"

struct names_row {
	uint32_t id, pid;
	uint64_t start;
	char *comm;	/* NULL: none */
};

struct names_rows {
	struct names_row *v;	/* sorted by (id, start) */
	size_t n, cap;
	struct hmap first; /* id -> index of its first row */
	int reused;	/* an id has more than one row */
};

struct names {
	struct names_rows thr, proc, seen;
};

/* Read the threads and processes tables of ST.  0, -ENOMEM or -EIO
 * (sqlite3_errmsg of store_db(ST)). */
int names_load(struct names *n, struct store *st);
void names_free(struct names *n);

/* Whether TID has a name noted from an event; note COMM (NULL or "":
 * nothing) for TID.  names_note: 0 or -ENOMEM. */
int names_noted(const struct names *n, uint32_t tid);
int names_note(struct names *n, uint32_t tid, const char *comm);

/* The life of thread TID at TS: TID in the low 32 bits, and above them
 * the index among TID's threads rows of the one that started last at or
 * before TS (else its first).  So the first life, and a tid the table
 * lacks, is TID itself. */
uint64_t names_life(const struct names *n, uint32_t tid, uint64_t ts);
#define NAMES_LIFE_TID(life) ((uint32_t)(life))
/* Process of the life LIFE (threads table), or -1; its name, or NULL. */
int64_t names_life_pid(const struct names *n, uint64_t life);
const char *names_life_comm(const struct names *n, uint64_t life);
/* When the life LIFE began (its threads row's start_ts), 0: unknown. */
uint64_t names_life_start(const struct names *n, uint64_t life);
/* Name of process PID at TS, or NULL. */
const char *names_proc(const struct names *n, uint32_t pid, uint64_t ts);

#endif
