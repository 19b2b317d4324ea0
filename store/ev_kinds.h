/*
 * ev_kinds.h - the declaration of every event kind kscope stores.
 *
 * This file is the one place that says what a kind is.  store/ev.h and
 * store/ev.c expand the lists below into the C struct of each kind
 * (struct ev_syscall ...), the compile-time field indices
 * (EVI_SYSCALL_DUR ...), union ev_any and the descriptor table the codec,
 * the SQL tables, replay, the filter language, export and the TUI walk.
 * Include store/ev.h, not this file.
 *
 * EV_KINDS(K) has one entry per kind, in enum ev_kind order:
 *
 *     K(NAME, name, u, "table", "title", class, who_tid, who_comm)
 *
 *   NAME      EV_NAME, EV_FIELDS_NAME, EVI_NAME_<FIELD>
 *   name      struct ev_name
 *   u         its member in union ev_any
 *   "table"   SQL table
 *   "title"   event name in replay text and filters ("kind = title")
 *   class     KS_CLASS_* (bpf/kscope_bpf.h): what `record -e` picks, the
 *             lost-event class, a filter name for all its kinds
 *   who_tid   the field naming the acting thread (replay's "comm/tid")
 *   who_comm  its comm, or NONE: the comm comes from the threads table
 *
 * EV_FIELDS_NAME(F, E, V, M, K) lists the kind's fields in column order.
 * That order is the order of the SQL columns and of the columns inside a
 * chunk: it is file format (docs/FORMAT.md), so fields are appended at
 * the end of a kind, never reordered.  Entries:
 *
 *   F(K, FIELD, ctype, member, "column", type, flags, ref)
 *       a struct member and its column
 *   E(K, FIELD, member, "column", names, flags)
 *       a uint32_t member shown by name: NAMES[value] (a NULL-terminated
 *       table in store/ev.c); NULL names read as NULL in SQL
 *   V(K, FIELD, member, "column", type, flags, ref)
 *       a column over a member that another entry declares
 *   M(K, ctype, declarator)
 *       a struct member without a column of its own (V entries view it)
 *
 * FIELD names the index EVI_NAME_FIELD.  TYPE is an enum ev_type and must
 * match the member's width (ev.c checks).  REF is the FIELD of another
 * field the value often equals (the codec may store the difference), or
 * NONE.  FLAGS are EVF_* (ev.h): codec hints, and the roles the filter
 * language and export read (EVF_PID, EVF_TID ...).  Every kind has TS
 * first and a CPU field.
 *
 * To add a kind: its K entry (at the end: kind numbers are file format)
 * and EV_FIELDS list here; in bpf/kscope_bpf.h its ring record (struct
 * and KS_RECORDS entry) and in bpf/ (kscope.bpf.c or a section it
 * includes) its program, called ks_CLASS_... so that it loads with its
 * class; its conv_<name>() in
 * record/convert.c; its row in docs/FORMAT.md's kinds table and its
 * columns in kscope(1) (tests/test-man.sh checks both).  Replay text,
 * filters, export, SQL, info and the TUI's event list take it from here.
 */
#ifndef KSCOPE_EV_KINDS_H
#define KSCOPE_EV_KINDS_H

#define EV_KINDS(K)                                                        \
	K(SYSCALL, syscall, sc, "syscalls", "syscall", KS_CLASS_SYSCALL,   \
	  TID, COMM)                                                       \
	K(SWITCH, switch, sw, "sched_switch", "switch", KS_CLASS_SCHED,    \
	  PREV_TID, PREV_COMM)                                             \
	K(WAKEUP, wakeup, wk, "sched_wakeup", "wakeup", KS_CLASS_SCHED,    \
	  WAKER_TID, NONE)                                                 \
	K(MIGRATE, migrate, mg, "sched_migrate", "migrate", KS_CLASS_SCHED, \
	  TID, NONE)                                                       \
	K(PROC, proc, pr, "proc_events", "proc", KS_CLASS_PROC, TID, COMM) \
	K(NET, net, nt, "net_events", "net", KS_CLASS_NET, TID, COMM)     \
	K(SIGNAL, signal, sg, "signals", "signal", KS_CLASS_PROC,          \
	  SENDER_TID, SENDER_COMM)                                         \
	K(BLOCK_IO, block_io, bio, "block_io", "block", KS_CLASS_BLOCK,    \
	  TID, COMM)                                                       \
	K(STACK, stack, stk, "stacks", "stack", KS_CLASS_SCHED, TID, NONE)

#define EV_FIELDS_SYSCALL(F, E, V, M, K)                                   \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
		/* entry, boot-clock ns */                                 \
	F(K, DUR, uint64_t, dur, "dur", EVT_U64, EVF_SPAN, NONE)           \
		/* ns; 0 when unfinished */                                \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	F(K, PID, uint32_t, pid, "pid", EVT_U32, EVF_PID, TID)             \
	F(K, TID, uint32_t, tid, "tid", EVT_U32, EVF_TID, NONE)            \
	F(K, COMM, const char *, comm, "comm", EVT_STR, EVF_COMM, NONE)    \
	F(K, NR, int32_t, nr, "nr", EVT_I32, 0, NONE)                      \
	V(K, NAME, nr, "name", EVT_SYSNAME, EVF_DERIVED, NONE)             \
	F(K, RET, int64_t, ret, "ret", EVT_I64, 0, ARG2)                   \
		/* raw: negative errno on failure; ARG2: read, write all */ \
	M(K, uint64_t, arg[6])                                             \
	V(K, ARG0, arg[0], "arg0", EVT_U64, 0, NONE)                       \
	V(K, ARG1, arg[1], "arg1", EVT_U64, 0, NONE)                       \
	V(K, ARG2, arg[2], "arg2", EVT_U64, 0, NONE)                       \
	V(K, ARG3, arg[3], "arg3", EVT_U64, 0, NONE)                       \
	V(K, ARG4, arg[4], "arg4", EVT_U64, 0, NONE)                       \
	V(K, ARG5, arg[5], "arg5", EVT_U64, 0, NONE)                       \
	F(K, FD, int32_t, fd, "fd", EVT_I32, 0, ARG0)                      \
		/* -1 when the call takes no fd */                         \
	F(K, PATH, const char *, path, "path", EVT_STR, 0, NONE)           \
	F(K, ADDR, const char *, addr, "addr", EVT_STR, EVF_ADDR, NONE)    \
	F(K, FLAGS, uint32_t, flags, "flags", EVT_U32, EVF_HIDDEN, NONE)   \
		/* EV_SYSCALL_* */                                         \
	E(K, PATH_STATUS, path_status, "path_status", path_status_names, 0) \
	F(K, FD_NAME, const char *, fd_name, "fd_name", EVT_STR, 0, NONE)  \
		/* what fd referred to: a path, "tcp A:p->B:q", "unix:/p", \
		 * "pipe:[ino]"; NULL when unknown or no fd */             \
	F(K, PAYLOAD, const char *, payload, "payload", EVT_BLOB,          \
	  EVF_HIDDEN, NONE)                                                \
		/* the first bytes of the call's data (record --snaplen); \
		 * NULL when not captured; cut when shorter than ret */    \
	F(K, ARGS_MEM, const char *, args_mem, "args_mem", EVT_BLOB,       \
	  EVF_HIDDEN, NONE)                                                \
		/* user memory the arguments point at (timeouts, pollfd   \
		 * sets, getsockopt's value): items, docs/FORMAT.md */     \
	F(K, TIMEOUT_NS, int64_t, timeout_ns, "timeout_ns", EVT_I64, 0,    \
	  NONE) /* the timeout the call was given, ns (0 unless          \
		 * timeout_kind says there is one) */                      \
	E(K, TIMEOUT_KIND, timeout_kind, "timeout_kind",                   \
	  timeout_kind_names, 0) /* enum ev_timeout_kind; NULL: none */

#define EV_FIELDS_SWITCH(F, E, V, M, K)                                    \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	F(K, PREV_TID, uint32_t, prev_tid, "prev_tid", EVT_U32,            \
	  EVF_TID | EVF_TID_PID, NONE)                                     \
	F(K, PREV_COMM, const char *, prev_comm, "prev_comm", EVT_STR,     \
	  EVF_COMM, NONE)                                                  \
	F(K, PREV_STATE, int64_t, prev_state, "prev_state", EVT_I64, 0,    \
	  NONE) /* kernel task state bits; 0 = runnable (preempted) */    \
	F(K, PREV_PRIO, int32_t, prev_prio, "prev_prio", EVT_I32, 0, NONE) \
	F(K, NEXT_TID, uint32_t, next_tid, "next_tid", EVT_U32,            \
	  EVF_TID | EVF_TID_PID, NONE)                                     \
	F(K, NEXT_COMM, const char *, next_comm, "next_comm", EVT_STR,     \
	  EVF_COMM, NONE)                                                  \
	F(K, NEXT_PRIO, int32_t, next_prio, "next_prio", EVT_I32, 0, NONE) \
	F(K, STACK_ID, uint32_t, stack_id, "stack_id", EVT_U32, 0, NONE)   \
		/* prev's kernel stack when it slept (S/D): stacks.stack_id; \
		 * 0 = none recorded */

#define EV_FIELDS_WAKEUP(F, E, V, M, K)                                    \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	F(K, TID, uint32_t, tid, "tid", EVT_U32, EVF_TID | EVF_TID_PID,    \
	  NONE)                                                            \
	F(K, WAKER_TID, uint32_t, waker_tid, "waker_tid", EVT_U32, EVF_TID, \
	  NONE)                                                            \
	F(K, TARGET_CPU, uint32_t, target_cpu, "target_cpu", EVT_U32, 0,   \
	  CPU)                                                             \
	F(K, NEW, uint32_t, is_new, "new", EVT_U32, 0, NONE)               \
		/* 1 for sched_wakeup_new (a new task's first run) */      \
	F(K, PRIO, int32_t, prio, "prio", EVT_I32, 0, NONE)                \
	E(K, WAKER_CTX, waker_ctx, "waker_ctx", waker_ctx_names, 0)        \
		/* enum ev_waker_ctx; NULL when not recorded */            \
	F(K, WAKER_IRQ, const char *, waker_irq, "waker_irq", EVT_STR, 0,  \
	  NONE) /* the interrupt: "TIMER", "NET_RX", "BLOCK", an irq name */

#define EV_FIELDS_MIGRATE(F, E, V, M, K)                                   \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	F(K, TID, uint32_t, tid, "tid", EVT_U32, EVF_TID | EVF_TID_PID,    \
	  NONE)                                                            \
	F(K, ORIG_CPU, uint32_t, orig_cpu, "orig_cpu", EVT_U32, 0, NONE)   \
	F(K, DEST_CPU, uint32_t, dest_cpu, "dest_cpu", EVT_U32, 0, NONE)

#define EV_FIELDS_PROC(F, E, V, M, K)                                      \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	E(K, KIND, kind, "kind", proc_kind_names, EVF_SUBKIND)             \
		/* enum ev_proc_kind */                                    \
	F(K, PID, uint32_t, pid, "pid", EVT_U32, EVF_PID, NONE)            \
	F(K, TID, uint32_t, tid, "tid", EVT_U32, EVF_TID, PID)             \
	F(K, COMM, const char *, comm, "comm", EVT_STR, EVF_COMM, NONE)    \
	F(K, PPID, uint32_t, ppid, "ppid", EVT_U32, 0, NONE)               \
	F(K, CHILD_PID, uint32_t, child_pid, "child_pid", EVT_U32, EVF_PID, \
	  NONE) /* fork: new process (or thread) id */                     \
	F(K, FILENAME, const char *, filename, "filename", EVT_STR, 0,     \
	  NONE) /* exec */                                                 \
	F(K, ARGV, const char *, argv, "argv", EVT_STR, 0, NONE)           \
		/* exec: arguments joined by spaces */                     \
	F(K, EXIT_CODE, int32_t, exit_code, "exit_code", EVT_I32, 0, NONE) \
		/* exit: status >> 8 */                                    \
	F(K, EXIT_SIGNAL, int32_t, exit_signal, "exit_signal", EVT_I32, 0, \
	  NONE) /* exit: terminating signal, 0 if none */                  \
	F(K, TRUNCATED, uint32_t, truncated, "truncated", EVT_U32, 0, NONE) \
		/* exec: EV_PROC_*_TRUNC */

#define EV_FIELDS_NET(F, E, V, M, K)                                       \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	E(K, KIND, kind, "kind", net_kind_names, EVF_SUBKIND)              \
		/* enum ev_net_kind */                                     \
	F(K, PID, uint32_t, pid, "pid", EVT_U32, EVF_PID, NONE)            \
	F(K, TID, uint32_t, tid, "tid", EVT_U32, EVF_TID, PID)             \
	F(K, COMM, const char *, comm, "comm", EVT_STR, EVF_COMM, NONE)    \
	F(K, FAMILY, uint32_t, family, "family", EVT_U32, 0, NONE)         \
		/* AF_INET / AF_INET6 */                                   \
	F(K, SADDR, const char *, saddr, "saddr", EVT_STR, EVF_ADDR, NONE) \
	F(K, SPORT, uint32_t, sport, "sport", EVT_U32, EVF_PORT, NONE)     \
	F(K, DADDR, const char *, daddr, "daddr", EVT_STR, EVF_ADDR, NONE) \
	F(K, DPORT, uint32_t, dport, "dport", EVT_U32, EVF_PORT, NONE)     \
	E(K, OLD_STATE, old_state, "old_state", tcp_state_names, 0)        \
		/* TCP_* (1..12), 0 when not a state change */             \
	E(K, NEW_STATE, new_state, "new_state", tcp_state_names, 0)        \
	F(K, BYTES, int64_t, bytes, "bytes", EVT_I64, 0, NONE)             \
	F(K, SOCK, uint64_t, sock, "sock", EVT_U64, EVF_HIDDEN, NONE)      \
		/* kernel socket identity, stable over its life */

#define EV_FIELDS_SIGNAL(F, E, V, M, K)                                    \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	E(K, KIND, kind, "kind", signal_kind_names, EVF_SUBKIND)           \
		/* enum ev_signal_kind */                                  \
	F(K, SIG, int32_t, sig, "sig", EVT_I32, 0, NONE)                   \
	F(K, CODE, int32_t, code, "code", EVT_I32, 0, NONE) /* si_code */  \
	F(K, SENDER_PID, uint32_t, sender_pid, "sender_pid", EVT_U32,      \
	  EVF_PID, NONE) /* 0: the kernel, or unknown */                   \
	F(K, SENDER_TID, uint32_t, sender_tid, "sender_tid", EVT_U32,      \
	  EVF_TID, SENDER_PID)                                             \
	F(K, SENDER_COMM, const char *, sender_comm, "sender_comm",        \
	  EVT_STR, EVF_COMM, NONE)                                         \
	F(K, TARGET_PID, uint32_t, target_pid, "target_pid", EVT_U32,      \
	  EVF_PID, NONE)                                                   \
	F(K, TARGET_TID, uint32_t, target_tid, "target_tid", EVT_U32,      \
	  EVF_TID, TARGET_PID)                                             \
	F(K, TARGET_COMM, const char *, target_comm, "target_comm",        \
	  EVT_STR, EVF_COMM, NONE)                                         \
	F(K, RESULT, int32_t, result, "result", EVT_I32, 0, NONE)          \
		/* generate: TRACE_SIGNAL_* (0 delivered ...) */           \
	F(K, CGROUP, const char *, cgroup, "cgroup", EVT_STR, 0, NONE)     \
		/* oom_kill: the memory cgroup whose limit was hit */

#define EV_FIELDS_BLOCK_IO(F, E, V, M, K)                                  \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
		/* issued to the device */                                 \
	F(K, DUR, uint64_t, dur, "dur", EVT_U64, EVF_SPAN, NONE)           \
		/* issue to completion, ns; 0 when not seen complete */    \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	F(K, DEV, const char *, dev, "dev", EVT_STR, 0, NONE)              \
		/* device name ("vda"), else "MAJOR:MINOR" */              \
	E(K, OP, op, "op", block_op_names, EVF_SUBKIND)                    \
		/* enum ev_block_op */                                     \
	F(K, SECTOR, uint64_t, sector, "sector", EVT_U64, 0, NONE)         \
	F(K, BYTES, uint64_t, bytes, "bytes", EVT_U64, 0, NONE)            \
	F(K, PID, uint32_t, pid, "pid", EVT_U32, EVF_PID, NONE)            \
		/* the task that submitted it, 0 when unknown */           \
	F(K, TID, uint32_t, tid, "tid", EVT_U32, EVF_TID, PID)             \
	F(K, COMM, const char *, comm, "comm", EVT_STR, EVF_COMM, NONE)    \
	F(K, ERROR, int32_t, error, "error", EVT_I32, 0, NONE)             \
		/* negative errno from completion, 0 = success */

/* One row per distinct kernel stack, written the first time a switch
 * names it (ts, cpu and tid are that switch's). */
#define EV_FIELDS_STACK(F, E, V, M, K)                                     \
	F(K, TS, uint64_t, ts, "ts", EVT_U64, EVF_TS | EVF_DELTA, NONE)    \
	F(K, CPU, uint32_t, cpu, "cpu", EVT_U32, 0, NONE)                  \
	F(K, TID, uint32_t, tid, "tid", EVT_U32, EVF_TID | EVF_TID_PID,    \
	  NONE)                                                            \
	F(K, STACK_ID, uint32_t, stack_id, "stack_id", EVT_U32, 0, NONE)   \
	F(K, FRAMES, const char *, frames, "frames", EVT_STR, 0, NONE)     \
		/* outermost first, ";"-separated symbols (folded) */

#endif
