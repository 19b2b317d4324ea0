/*
 * synth_counts.h - a synthetic trace with planted events whose counts are
 * known exactly: the facts the count accumulators (analyze/fold/ sysc,
 * errs, files, tasks, ovw), the reports and the TUI must all find.
 *
 *     synth_counts_write("t.kscope", 20000, err);  // synth stream + plants
 *     synth_counts_write("t.kscope", 0, err);      // the plants alone
 *
 * Planted, all by pid SC_PID (comm "planted-cnt"), thread SC_TID unless
 * said, on cpu 7 (the generator never uses it), from SC_T0 on:
 *   read     3 calls of 1000, 2000, 3000 ns returning 10, and one still
 *            running when the recording stopped (unfinished)
 *   exit_group  one on thread SC_EXIT_TID, which never returns
 *   openat   "/planted/cnt/a": one of 500 ns returning 3, one of 700 ns
 *            failing EACCES; one of 900 ns whose path could not be read
 *            (path_status unreadable), failing EFAULT
 *   stat     "/planted/cnt/a", 100 ns, returning 0
 *   net      a send of 1000 bytes, a recv of 500 bytes, and a state
 *            change, on one socket
 * So pid SC_PID: 9 calls, 2 errors, 8200 ns in calls, 1500 net bytes.
 */
#ifndef KSCOPE_SYNTH_COUNTS_H
#define KSCOPE_SYNTH_COUNTS_H

#include <stdint.h>

#define SC_PID 60001u
#define SC_TID 60002u
#define SC_EXIT_TID 60003u
#define SC_PATH "/planted/cnt/a"

#define SC_CALLS 9
#define SC_ERRORS 2
#define SC_SYS_NS 8200
#define SC_NET_BYTES 1500

/* Write the trace to PATH: SYSCALLS synthetic syscalls (seed 1, with the
 * events that come with them; 0 for none) and the plants.  0, or a
 * negative errno with a message in ERR (STORE_ERRLEN bytes). */
int synth_counts_write(const char *path, uint64_t syscalls, char *err);

#endif
