/*
 * synth_halfseen.h - a small trace written by hand that sees some tasks
 * only half, as a `-- CMD` recording does (tests of the scheduler figures:
 * tests/test-report-cpu.c, tests/test-tui-model.c).
 *
 *     synth_halfseen_write(path, "kscope record -o t.kscope -- make");
 *
 * The options of a `-- make` recording or of an `-a` one (everything
 * traced) go into meta.  Times in ms after T0 (T0 is 25 ms before a
 * second's end, so that the sched hole of the lost row below ends inside
 * the trace, at 25 ms):
 *
 *   cpu0  10 idle->make   30 make->rcu (preempted)   50 rcu->make
 *         55 make->sed (sleeps)   85 make woken   90 sed->make
 *         95 make->idle (sleeps)
 *   cpu1   2 idle->cc1   12 cc1->idle (sleeps)   30 idle->cc1   [40 cc1's
 *         process exits]   45 cc1->as (dead)   60 as->idle   65 idle->sh
 *         [70 sh's process exits; its switch to sed is not recorded]
 *         75 sed->as   78 as->idle
 *   cpu2   5 ld woken   10 idle->ld   80 ld->idle; a lost sched row on
 *         cpu2 makes a hole until 25 ms
 *
 * rcu (900) and sed (901) are not traced: the recording saw them only on
 * the switches that involve make.  Expected (traced tasks):
 *
 *   make 20 + 5 + 5 = 30 ms on CPU, exact; off CPU 20 preempted + 35
 *        sleeping, and from 95 ms on (the last switch) unknown
 *   cc1  10 + 10 = 20 ms, partial: after its process's exit (40 ms) the
 *        trace does not know when it stopped (it says 45 ms only because
 *        as is traced); its sleep from 12 to 30 ms crosses the hole (its
 *        switch-in may be lost on any CPU): none of it known
 *   sh   5 ms, partial: it ran until its exit, then the trace lost it
 *   as   15 + 3 = 18 ms;  ld  55 ms (80 - 25), partial (the hole)
 *   rcu, sed: no time at all; one row "other tasks (not traced)", 2
 *        threads, no time, partial
 *   runqlat: make's 20 ms wait after its preemption and 5 ms after its
 *        wakeup; ld's wait is in the hole and left out
 *
 * With -a everything is traced: rcu has its 20 ms, cc1 25 ms (no exit
 * clips a traced task there).
 */
#ifndef KSCOPE_SYNTH_HALFSEEN_H
#define KSCOPE_SYNTH_HALFSEEN_H

#define HS_MS 1000000ull
#define HS_SEC 1000000000ull
#define HS_T0 (1000 * HS_SEC + 975 * HS_MS)

enum { HS_MAKE = 100, HS_CC1 = 200, HS_AS = 300, HS_LD = 400, HS_SH = 500,
       HS_RCU = 900, HS_SED = 901 };

/* Write the trace to PATH (replaced) with OPTIONS as meta "options" (the
 * recorder's command line: it says whether some or all tasks are traced).
 * 0 or -1 with a message on stderr. */
int synth_halfseen_write(const char *path, const char *options);

#endif
