/*
 * synth_why.h - a trace written by hand with planted reasons why threads
 * were not running (tests/test-why.sh checks thread_state and `report
 * why` against them):
 *
 *     kscope-synth -o t.kscope --planted why
 *
 * Every task is traced ("kscope record -a"); the trace spans T0 to T0 +
 * 100 ms; times below in ms after T0.
 *
 *   cpu0  holder 4002 runs from 0; nanosleep (clock_nanosleep, 10 to 60.2)
 *         switches it out sleeping at 10 (stack through do_nanosleep.constprop.0: a
 *         compiler suffix); a
 *         hardirq "hrtimer" wakes it at 60; it runs at 60.5, and its
 *         futex call (61 to 61.01) wakes the worker at 61.005; it sleeps
 *         at 70 (no wakeup: to the end)
 *   cpu1  worker 4001 runs from 0; futex (5 to 62) switches it out
 *         sleeping at 5.001 (stack through futex_wait_queue); woken by the
 *         holder at 61.005, runs at 61.5, exits at 80
 *   cpu2  victim 4003 runs from 0, preempted at 20 by hog 4004, which
 *         runs until it sleeps at 50; victim runs at 50, sleeps at 90
 *   cpu3  writer 4005 runs from 0; fsync (30 to 55) on fd 3
 *         "/var/lib/app/data.log" switches it out blocked (D) at 30.01,
 *         stack through ext4_sync_file and io_schedule; a softirq BLOCK
 *         wakes it at 54; it runs at 54.2 and exits at 100
 *   cpu4  starved 4006 waits 3 ms for the CPU after each of three
 *         wakeups (2, 7, 12; runs at 5, 10, 15); kworker 4007, asleep
 *         since before the trace, is woken at 20 and runs at 26 (one wait
 *         of 6 ms): by total wait (runqlat) starved comes after victim
 *         (preempted 30 ms) and before kworker, by the longest kworker
 *
 * Expected worker: running 5.001 + 18.5, sleeping 56.004 in futex
 * (blocked_in futex_wait_queue, waker holder), runnable 0.495, dead at
 * 80; critical path: worker <- holder (its 50 ms nanosleep, blocked_in
 * hrtimer_nanosleep) <- hardirq hrtimer (a timer).  victim: runnable 30
 * ms on cpu2 while hog ran.  writer: blocked 23.99 ms in fsync on the
 * file (blocked_in folio_wait_writeback), waker softirq BLOCK.
 */
#ifndef KSCOPE_SYNTH_WHY_H
#define KSCOPE_SYNTH_WHY_H

enum { WHY_WORKER = 4001, WHY_HOLDER = 4002, WHY_VICTIM = 4003,
       WHY_HOG = 4004, WHY_WRITER = 4005, WHY_STARVED = 4006,
       WHY_KWORKER = 4007 };

/* Write the trace to PATH (replaced).  0 or -1 with a message on stderr. */
int synth_why_write(const char *path);

#endif
