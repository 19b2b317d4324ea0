/*
 * kills.h - who killed a process: the fatal signal's sender, or the OOM
 * killer, from the signals table (private to analyze/report/).
 *
 *     struct report_kills k = { 0 };
 *     report_kills_load(r, &k);                  // one read of signals
 *     char *by = report_kills_text(&k, pid, start, end, sig);
 *     // "SIGKILL from 1234 (bash)", "the OOM killer (cgroup /x)"; malloc'd
 *     report_kills_free(&k);
 *
 * A process that ended by signal SIG (its exit_signal) between START and
 * END was killed by the OOM killer when an oom_kill row names it as the
 * victim in that time and SIG is SIGKILL; else by the last generate row
 * of SIG that targets it in that time and was delivered (result 0, or 4:
 * delivered without its siginfo) - its sender, "the kernel" when the
 * sender is 0 (a fault, a timer, a tty, ...).  No such row (signals not
 * recorded, or sent before the trace began): NULL, never a guess.
 */
#ifndef KSCOPE_REPORT_KILLS_H
#define KSCOPE_REPORT_KILLS_H

#include <stdint.h>

#include "analyze/report/report_int.h"

struct report_kill {
	uint64_t ts;
	uint32_t target_pid, sender_pid;
	int32_t sig;
	int oom;
	char *sender_comm, *cgroup;
};

struct report_kills {
	struct report_kill *v;	/* by target_pid, then ts */
	size_t n, cap;
};

/* Read the candidate rows (up to the window's end).  0 or a negative
 * errno (r->err). */
int report_kills_load(struct report *r, struct report_kills *k);

/* What killed process PID (alive from START to END) with signal SIG, as
 * text (malloc'd; the caller frees it), or NULL when the trace does not
 * say (or memory ran out). */
char *report_kills_text(const struct report_kills *k, uint32_t pid,
			uint64_t start, uint64_t end, int64_t sig);

void report_kills_free(struct report_kills *k);

#endif
