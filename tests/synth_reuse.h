/*
 * synth_reuse.h - a trace written by hand where tids are reused by other
 * processes (tests/test-agree.sh):
 *
 *     kscope-synth -o t.kscope --planted reuse
 *
 * Every task is traced (options "kscope record -a").  Process 700
 * ("server", started before the trace) has threads 710 and 720; both
 * exit, and their tids come back: 710 as a thread of process 800
 * ("client", started at 58 ms), 720 as the main thread of a new process
 * 720 ("sh").  The threads table holds a row per life, and holds the
 * later lives' rows first: a table's row order says nothing of when
 * the lives started.  Times in ms after T0:
 *
 *   cpu0  10 idle->710   20 710->idle (sleeps)   30 idle->710
 *         40 710->idle (dead)
 *         60 idle->710   65 710->800 (preempted)   80 800->710 (sleeps)
 *         100 710->idle (dead)
 *   cpu1  0 idle->700   50 700->idle (sleeps)   90 idle->700
 *         100 700->idle (dead)   105 idle->800   108 800->idle (dead)
 *   cpu2  12 idle->720   22 720->idle (sleeps)   27 idle->720
 *         35 720->idle (dead)
 *         70 idle->720   75 720->idle (sleeps)   85 idle->720
 *         95 720->idle (dead)
 *
 * Per life: 710 as 700's thread 20 ms on CPU, 10 ms asleep; as 800's
 * 25 ms on CPU, 15 ms preempted.  720 as 700's thread 18 ms on CPU,
 * 5 ms asleep; as process 720 15 ms on CPU, 10 ms asleep.  The dead
 * switch-outs open no period.
 *
 * A thread's figures are kept per life (names_life in names.h: the
 * threads row that started last at or before the event), each life's
 * going to its own process, so over the whole trace: process 700
 * 60 + 20 + 18 = 98 ms on CPU, 40 + 10 + 5 = 55 ms off; process 800
 * 18 + 25 = 43 ms on CPU, 25 + 15 = 40 ms off; process 720 15 ms on
 * CPU, 10 ms off.  No time between a life's dead switch-out and the next
 * life's switch-in is off-CPU time of either.
 *
 * Thread 730 ("poller") has no threads row: it runs on cpu0 from 42 ms
 * to its death at 49 ms and makes a call at 45 ms whose pid says 700.
 * With no row, its process is not known: its 7 ms on CPU are of no
 * process (a process of its own in the TUI), not of 700.
 */
#ifndef KSCOPE_SYNTH_REUSE_H
#define KSCOPE_SYNTH_REUSE_H

enum { RU_SERVER = 700, RU_REUSED = 710, RU_REUSED_MAIN = 720,
       RU_CLIENT = 800, RU_ROWLESS = 730 };

/* Write the trace to PATH (replaced).  0 or -1 with a message on stderr. */
int synth_reuse_write(const char *path);

#endif
