/*
 * synth_sleeper.h - a trace written by hand with planted scheduler facts
 * that span many slices of the TUI's fold (tests/test-agree.sh):
 *
 *     kscope-synth -o t.kscope --planted sleeper
 *
 * Every task is traced (options "kscope record -a").  Chunks hold 256
 * events, so the 2 s of busy CPUs 1-3 make hundreds of chunks and the
 * fold reads the window in hundreds of slices.  Times in ms after T0:
 *
 *   cpu0  100 idle->sleeper   110 sleeper->idle (sleeps)
 *         200 idle->preempted   300 preempted->hog (preempted, state 0)
 *         305 hog->preempted (hog sleeps)   400 preempted->idle (dead)
 *         1900 idle->sleeper   1910 sleeper->idle (dead)
 *   cpu1..3  workers 3001..3006 take turns every 0.1 ms from 0 to 2000,
 *         switching out sleeping and preempted in turn
 *
 * Expected: sleeper 20 ms on CPU, off CPU 1790 ms (one sleep of 1.79 s,
 * across every slice in between); preempted 195 ms on CPU, 5 ms off CPU
 * (preempted); hog 5 ms on CPU; the dead switch-outs open no period.
 */
#ifndef KSCOPE_SYNTH_SLEEPER_H
#define KSCOPE_SYNTH_SLEEPER_H

enum { SL_SLEEPER = 1000, SL_PREEMPTED = 2000, SL_HOG = 2500,
       SL_WORKER = 3001 };

/* Write the trace to PATH (replaced).  0 or -1 with a message on stderr. */
int synth_sleeper_write(const char *path);

#endif
