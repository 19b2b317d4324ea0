/*
 * synth_why.h - a trace written by hand with one planted cause of each
 * kind the summary points at, and rows of the kinds signals, block_io
 * and stacks (tests/test-why-out.sh):
 *
 *     kscope-synth -o t.kscope --planted why
 *
 * Every task is traced (options "kscope record -a").  Times after T0:
 *
 *   WY_APP "app" opens 20 libraries, fails access("/etc/ld.so.preload")
 *     and openat("/etc/app.conf") with ENOENT, then (printing its error)
 *     a message catalog lookup, writes, exits 1 at 300 ms
 *     (WY_OK, "tidy", fails one stat and exits 0: not shown)
 *   WY_KILLER "killer" sends SIGTERM (ignored) then SIGKILL to its
 *     sibling WY_VICTIM "sleep" at 400 ms; the victim exits with signal 9
 *   WY_HOG "hog" is killed by the OOM killer in cgroup WY_CGROUP at 500 ms
 *   WY_READER's thread WY_READER+1 reads fd 5 ("pipe:[4242]") from 100 ms
 *     to the end; WY_READER+2 waits in futex from 2000 ms (shorter)
 *   WY_SPIN's thread WY_SPIN+1 calls epoll_wait(.., 0) 3000 times in the
 *     second from 1000 ms; WY_SPIN+2 polls 500 times with timeout 0 and
 *     600 times with timeout 100 (not a busy poller)
 *   WY_LEAKY "leaky" opens 40 files, then 5 openat fail with EMFILE
 *   cpu 0: WY_RUNQ runs, is preempted by WY_RUNQ+1 for 50 ms, sleeps
 *     (its kernel stack is stack WY_STACK) and is woken by WY_RUNQ+1 20 ms
 *     before it runs again; WY_RUNQ+1 sleeps and a TIMER softirq wakes it
 *     5 ms before it runs: WY_RUNQ waited 70 ms runnable (50 preempted,
 *     20 after a wakeup), WY_RUNQ+1 15 ms (10 preempted when WY_RUNQ
 *     came back, 5 after the TIMER wakeup)
 *   block_io on vda: a read by WY_READER+1 from 150 ms that fails with
 *     EIO (-5) after 30 ms, a flush by WY_APP at 160 ms (5 ms, beside the
 *     read), a 4096-byte write at sector 2048 by WY_APP at 265 ms (1.5 ms)
 */
#ifndef KSCOPE_SYNTH_WHY_H
#define KSCOPE_SYNTH_WHY_H

enum { WY_APP = 61001, WY_OK = 61005, WY_KILLER = 61011, WY_VICTIM = 61012,
       WY_HOG = 61020, WY_READER = 61030, WY_SPIN = 61040,
       WY_LEAKY = 61050, WY_RUNQ = 61060, WY_STACK = 7 };

#define WY_CGROUP "/kscope-test/oom"
#define WY_T0 (3000 * 1000000000ull)

/* Write the trace to PATH (replaced).  0 or -1 with a message on stderr. */
int synth_why_write(const char *path);

#endif
