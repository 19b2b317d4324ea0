/*
 * synth_causes.h - a trace written by hand with one planted cause of each
 * kind the summary points at, and rows of the kinds signals, block_io
 * and stacks (tests/test-causes.sh):
 *
 *     kscope-synth -o t.kscope --planted causes
 *
 * Every task is traced (options "kscope record -a").  Times after T0:
 *
 *   CZ_APP "app" opens 20 libraries, fails access("/etc/ld.so.preload")
 *     and openat("/etc/app.conf") with ENOENT, then (printing its error)
 *     a message catalog lookup, writes, exits 1 at 300 ms
 *     (CZ_OK, "tidy", fails one stat and exits 0: not shown)
 *   CZ_KILLER "killer" sends SIGTERM (ignored) then SIGKILL to its
 *     sibling CZ_VICTIM "sleep" at 400 ms; the victim exits with signal 9
 *   CZ_HOG "hog" is killed by the OOM killer in cgroup CZ_CGROUP at 500 ms;
 *     CZ_HOG+2 "crash" dies of SIGSEGV at 520 ms, no signals row says
 *     whence; CZ_HOG+1 "hog2" is the OOM killer's victim in CZ_CGROUP "2"
 *     at 2500 ms, its exit not in the trace
 *   CZ_READER's thread CZ_READER+1 reads fd 5 ("pipe:[4242]") from 100 ms
 *     to the end; CZ_READER+2 waits in futex from 2000 ms (shorter)
 *   CZ_SPIN's thread CZ_SPIN+1 calls epoll_wait(.., 0) 3000 times in the
 *     second from 1000 ms; CZ_SPIN+2 polls 500 times with timeout 0 and
 *     600 times with timeout 100 (not a busy poller)
 *   CZ_LEAKY "leaky" opens 40 files, then 5 openat fail with EMFILE
 *   cpu 0: CZ_RUNQ runs, is preempted by CZ_RUNQ+1 for 50 ms, sleeps
 *     (its kernel stack is stack CZ_STACK) and is woken by CZ_RUNQ+1 20 ms
 *     before it runs again; CZ_RUNQ+1 sleeps and a TIMER softirq wakes it
 *     5 ms before it runs: CZ_RUNQ waited 70 ms runnable (50 preempted,
 *     20 after a wakeup), CZ_RUNQ+1 15 ms (10 preempted when CZ_RUNQ
 *     came back, 5 after the TIMER wakeup)
 *   block_io on vda: a read by CZ_READER+1 from 150 ms that fails with
 *     EIO (-5) after 30 ms, a flush by CZ_APP at 160 ms (5 ms, beside the
 *     read), a 4096-byte write at sector 2048 by CZ_APP at 265 ms (1.5 ms)
 */
#ifndef KSCOPE_SYNTH_CAUSES_H
#define KSCOPE_SYNTH_CAUSES_H

enum { CZ_APP = 61001, CZ_OK = 61005, CZ_KILLER = 61011, CZ_VICTIM = 61012,
       CZ_HOG = 61020, CZ_READER = 61030, CZ_SPIN = 61040,
       CZ_LEAKY = 61050, CZ_RUNQ = 61060, CZ_STACK = 7 };

#define CZ_CGROUP "/kscope-test/oom"
#define CZ_T0 (3000 * 1000000000ull)

/* Write the trace to PATH (replaced).  0 or -1 with a message on stderr. */
int synth_causes_write(const char *path);

#endif
