/*
 * kscope_bpf.h - the records kscope.bpf.c writes into its ring buffer, and
 * the settings user space gives it.  Included by the BPF program and by
 * record/, so both sides agree byte for byte.
 *
 * Every record starts with struct ks_hdr; hdr.type says which struct
 * follows; the ring buffer gives each record's length.  All records are
 * multiples of 8 bytes; variable
 * tails (paths, socket addresses, argv) follow the fixed part and are not
 * NUL-terminated: their lengths are in the fixed part.
 *
 * Plain fixed-width types only: this header is compiled by clang -target bpf
 * against vmlinux.h and by the host compiler against <linux/types.h>.
 */
#ifndef KSCOPE_BPF_H
#define KSCOPE_BPF_H

#ifndef __KSCOPE_BPF__
#include <linux/types.h>
#endif

/* Event classes: what -e picks, and the rows of the lost-event map.
 * KS_CLASSES(C) has one C(NAME, "name") per class; the store names a
 * kind's class (store/ev_kinds.h) and the lost table's rows by them. */
#define KS_CLASSES(C) \
	C(SYSCALL, "syscall") \
	C(SCHED, "sched") \
	C(PROC, "proc") \
	C(NET, "net") \
	C(BLOCK, "block")

enum ks_class {
#define KS_CLASS_ENUM(N, name) KS_CLASS_##N,
	KS_CLASSES(KS_CLASS_ENUM)
#undef KS_CLASS_ENUM
	KS_CLASS_COUNT
};

/* ks_net.kind.  Stored as is: these are the values (and the names) of the
 * net_events kind column, so the list is file format: append only. */
#define KS_NET_KINDS(N) \
	N(STATE, "state")           /* TCP state change */ \
	N(RETRANSMIT, "retransmit") \
	N(RESET_SENT, "reset_sent") \
	N(RESET_RECV, "reset_recv") \
	N(SEND, "send") \
	N(RECV, "recv")

enum ks_net_kind {
#define KS_NET_KIND_ENUM(N, name) KS_NET_##N,
	KS_NET_KINDS(KS_NET_KIND_ENUM)
#undef KS_NET_KIND_ENUM
};

/* The ring records: R(NAME, name) is KS_REC_NAME, whose record is
 * struct ks_name (at least; some have a tail) and which record/convert.c
 * turns into store events with conv_name(). */
#define KS_RECORDS(R) \
	R(SYSCALL, syscall)         /* no tail */ \
	R(SYSCALL_EXT, syscall_ext) /* path and/or sockaddr */ \
	R(SWITCH, switch) \
	R(WAKEUP, wakeup) \
	R(MIGRATE, migrate) \
	R(FORK, fork) \
	R(EXEC, exec)               /* + filename + argv */ \
	R(EXIT, exit) \
	R(NET, net) \
	R(RENAME, rename)           /* a thread's comm changed */ \
	R(SIGNAL, signal)           /* generate, deliver */ \
	R(OOM_KILL, oom_kill)       /* + memory cgroup path */ \
	R(FDPAIR, fdpair)           /* the fds pipe/socketpair made */ \
	R(BLOCK, block)             /* a block request, issue to completion */

enum ks_rec_type {
	KS_REC_NONE = 0,
#define KS_REC_ENUM(N, n) KS_REC_##N,
	KS_RECORDS(KS_REC_ENUM)
#undef KS_REC_ENUM
	KS_REC_COUNT
};

/* Capture limits (bytes).  Powers of two: the verifier bounds lengths by
 * masking with (limit - 1). */
#define KS_PATH_MAX 256
#define KS_ADDR_MAX 128   /* sockaddr_un is 110 */
#define KS_ARGV_MAX 512
#define KS_FILENAME_MAX 256
#define KS_COMM_LEN 16
/* Kernel stacks (map `stacks`): frames kept per stack (the innermost
 * ones when deeper), and the default number of distinct stacks. */
#define KS_STACK_DEPTH 64
#define KS_STACK_SLOTS 8192

/* ks_hdr.flags for syscalls */
#define KS_SC_UNFINISHED 0x1 /* never returned (exit_group, or in flight at stop) */
#define KS_SC_PATH_TRUNC 0x2 /* path cut at KS_PATH_MAX - 1 bytes */
#define KS_SC_ADDR_TRUNC 0x4 /* caller's length was over KS_ADDR_MAX - 1 */
#define KS_SC_PATH_UNREAD 0x8 /* path pointer given (not NULL) but the
			       * string could not be read, at entry nor exit */
#define KS_SC_EARLY 0x10     /* started before the recording (see KS_XF_EARLY) */
#define KS_SC_BOOKKEEP 0x20  /* for the fd table only, not stored: a call
			      * left out (filtered, sampled) that changes it */
#define KS_SC_SNAP 0x40      /* ext record with a payload and/or argument
			      * memory tail (snap_len, mem_len) */
#define KS_SC_AT_STOP 0x80   /* user space only: in flight when recording stopped */
/* ks_hdr.flags for exec */
#define KS_EXEC_ARGV_TRUNC 0x1  /* argv cut at KS_ARGV_MAX - 1 bytes */
#define KS_EXEC_FNAME_TRUNC 0x2 /* filename cut at KS_FILENAME_MAX - 1 */
/* ks_hdr.flags for exit */
#define KS_EXIT_GROUP_DEAD 0x1 /* last thread of the process */
/* ks_switch.prev_state: the tracepoint's raw task state; on a task's final
 * switch (TASK_DEAD) the kernel's exit_state bits are ORed in, as the
 * tracepoint's own text output does, so it reads Z (zombie) or X (dead). */
#define KS_TASK_DEAD 0x80
#define KS_EXIT_DEAD 0x10
#define KS_EXIT_ZOMBIE 0x20
/* ks_hdr.flags for wakeup */
#define KS_WAKEUP_NEW 0x1 /* sched_wakeup_new: a new task's first run */
/* ks_hdr.flags for switch: which side is a recorded task (every switch
 * of a recorded task is written, so its switches alternate in and out) */
#define KS_SWITCH_PREV_REC 0x1
#define KS_SWITCH_NEXT_REC 0x2
/* Bits 1-3: what woke it, enum ks_waker_ctx (the store's ev_waker_ctx). */
#define KS_WAKEUP_CTX_SHIFT 1
#define KS_WAKEUP_CTX_MASK 0x7
enum ks_waker_ctx {
	KS_WAKER_UNKNOWN = 0, /* the kernel's preempt count is not readable */
	KS_WAKER_TASK,        /* waker_tid */
	KS_WAKER_HARDIRQ,
	KS_WAKER_SOFTIRQ,
	KS_WAKER_NMI,
};
/* ks_wakeup.waker_irq: the softirq vector (softirq), the irq number
 * (hardirq inside an irq handler), or one of these. */
#define KS_WAKER_IRQ_NONE 0xffffffffu
#define KS_WAKER_IRQ_HRTIMER 0xfffffffeu /* hardirq, in an hrtimer expiry */
/* ks_hdr.flags for fork */
#define KS_FORK_THREAD 0x1 /* new thread, not a new process */
/* ks_hdr.flags for signal: which tracepoint (the values of
 * signals.kind, enum ev_signal_kind) */
#define KS_SIGNAL_GENERATE 0
#define KS_SIGNAL_DELIVER 1
/* ks_hdr.flags for oom_kill */
#define KS_OOM_CGROUP_TRUNC 0x1 /* cgroup path cut (too deep or long) */
#define KS_SIGKILL 9
/* si_code values (include/uapi/asm-generic/siginfo.h) */
#define KS_SI_USER 0
#define KS_SI_KERNEL 0x80
#define KS_SI_QUEUE -1
#define KS_SI_TKILL -6
/* ks_oom_kill.cgroup: the path is at most KS_CGROUP_PATH - 1 bytes; the
 * field is twice that, as each name is read at an offset below it. */
#define KS_CGROUP_PATH 256
#define KS_CGROUP_DEPTH 16

struct ks_hdr {
	__u64 ts;   /* boot clock ns */
	__u32 tid;  /* the task the event is about (current, or the subject) */
	__u16 cpu;
	__u8 type;  /* enum ks_rec_type */
	__u8 flags;
	__u32 pid;  /* tgid of tid; 0 when unknown */
	__s32 nr;   /* syscall number (syscall records; 0 elsewhere) */
};

struct ks_syscall {
	struct ks_hdr hdr; /* ts = entry */
	__u64 dur;         /* 0 when unfinished */
	__s64 ret;
	__u64 args[6];
};

/* Syscall with tails: PATH_LEN bytes of path (no NUL), then ADDR_LEN bytes
 * of raw struct sockaddr as the user passed or got it, then (KS_SC_SNAP)
 * MEM_LEN bytes of argument memory (struct ks_mem items back to back),
 * then SNAP_LEN bytes of payload. */
struct ks_syscall_ext {
	struct ks_syscall sc;
	__u16 path_len;
	__u16 addr_len;
	__u16 mem_len;
	__u16 snap_len;
	/* char data[] */
};

/* Payload snapshots (record --snaplen N, N <= KS_SNAP_MAX): the first
 * bytes of a call's data buffer, read at its return (min(N, ret) bytes
 * when ret > 0).  Argument memory: what some pointer arguments point at
 * (timeouts, pollfd sets, getsockopt's value), read at entry where the
 * kernel rewrites it (ppoll, pselect6, select), else at the return.
 * Per syscall number, snap_info (rodata) holds the KS_SNAP_* kind. */
#define KS_SNAP_MAX 4096
enum ks_snap_kind {
	KS_SNAP_NONE = 0,
	KS_SNAP_BUF,      /* buffer arg 1, ret bytes (read, write, ...) */
	KS_SNAP_IOV,      /* struct iovec array arg 1: its first buffer */
	KS_SNAP_MSG,      /* struct msghdr arg 1: its first iovec */
	KS_SNAP_NANOSLEEP, /* timespec arg 0 */
	KS_SNAP_CLOCK_NANOSLEEP, /* timespec arg 2 */
	KS_SNAP_FUTEX,    /* timespec arg 3 of the waiting ops */
	KS_SNAP_POLL,     /* pollfd array arg 0, arg 1 entries, at exit */
	KS_SNAP_PPOLL,    /* as poll, and timespec arg 2 at entry */
	KS_SNAP_PSELECT,  /* timespec arg 4 at entry */
	KS_SNAP_SELECT,   /* timeval arg 4 at entry */
	KS_SNAP_SOCKOPT,  /* getsockopt(SOL_SOCKET, SO_ERROR): the ints
			   * arg 3 and arg 4 point at (value, length) */
};
/* One item of argument memory: LEN bytes of what argument ARG points at
 * follow (no padding). */
struct ks_mem {
	__u8 arg;
	__u8 kind;        /* KS_MEM_*, | KS_MEM_CUT */
	__u16 len;
};
#define KS_MEM_TIMESPEC 1 /* struct timespec: two __s64 */
#define KS_MEM_TIMEVAL 2  /* struct timeval: two __s64 */
#define KS_MEM_POLLFD 3   /* struct pollfd (fd __s32, events, revents
			   * __s16) per entry, revents as returned */
#define KS_MEM_INT 4      /* an int the call stored */
#define KS_MEM_CUT 0x80   /* the array had more entries than kept */
#define KS_POLLFD_MAX 8   /* pollfd entries kept */

struct ks_switch {
	struct ks_hdr hdr; /* tid/pid = prev */
	__s64 prev_state;
	__s32 prev_prio;
	__u32 next_tid;
	__u32 next_pid;
	__s32 next_prio;
	char prev_comm[KS_COMM_LEN];
	char next_comm[KS_COMM_LEN];
	__u32 stack_id;    /* prev's kernel stack when it went to sleep (S/D):
			    * its id in the map `stacks` + 1; 0 = none */
	__u32 pad;
};

struct ks_wakeup {
	struct ks_hdr hdr; /* tid/pid = the task woken; flags KS_WAKEUP_* */
	__u32 waker_tid;   /* 0 unless the waker context is a task */
	__u32 target_cpu;
	__s32 prio;
	__u32 waker_irq;   /* KS_WAKER_IRQ_* or a number, by context */
};

struct ks_migrate {
	struct ks_hdr hdr; /* tid/pid = the task moved */
	__u32 orig_cpu;
	__u32 dest_cpu;
};

struct ks_fork {
	struct ks_hdr hdr; /* tid/pid = parent */
	__u32 ppid;        /* parent's parent tgid */
	__u32 child_tid;
	__u32 child_pid;   /* tgid of the child */
	__u32 pad;
	__u64 child_start; /* child's start_boottime */
	char comm[KS_COMM_LEN];
};

struct ks_exec {
	struct ks_hdr hdr;
	__u32 ppid;
	__u32 old_tid;  /* tid before exec (a non-leader thread that exec'd) */
	__u16 filename_len;
	__u16 argv_len; /* NUL-separated arguments */
	__u32 pad;
	char comm[KS_COMM_LEN];
	/* char filename[filename_len]; char argv[argv_len]; */
};

struct ks_exit {
	struct ks_hdr hdr;
	__s32 exit_code;   /* raw task->exit_code: status << 8 | signal */
	__u32 ppid;
	char comm[KS_COMM_LEN];
};

/* A thread's new comm (prctl(PR_SET_NAME), a write to /proc/.../comm);
 * renames done by exec come with the exec record instead. */
struct ks_rename {
	struct ks_hdr hdr; /* tid/pid = the renamed thread */
	char comm[KS_COMM_LEN];
};

struct ks_net {
	struct ks_hdr hdr; /* tid/pid = owner when known, else 0 */
	__u64 sock;        /* socket identity (pointer mixed with a key) */
	__s64 bytes;
	__u16 kind;        /* enum ks_net_kind */
	__u16 family;
	__u16 sport;       /* host order */
	__u16 dport;
	__u8 old_state;
	__u8 new_state;
	__u16 pad;
	__u32 pad2;
	__u8 saddr[16];    /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
};

/* A signal (signal_generate, signal_deliver).  Sender and target are
 * (pid, tid, comm); a sender of 0 is the kernel (or not named by the
 * siginfo, for deliver).  generate: the sender is the current task when
 * the si_code names a user sender (SI_USER, SI_TKILL, SI_QUEUE), else 0;
 * deliver: the target is the current task, the sender the siginfo's
 * si_pid for those codes, and sender_comm is left empty (user space
 * names it). */
struct ks_signal {
	struct ks_hdr hdr;  /* tid/pid = sender; flags = KS_SIGNAL_* */
	__u32 target_tid;
	__u32 target_pid;
	__s32 sig;
	__s32 code;         /* si_code, as the tracepoint reports it */
	__s32 result;       /* generate: TRACE_SIGNAL_*; else 0 */
	__u32 pad;
	char sender_comm[KS_COMM_LEN];
	char target_comm[KS_COMM_LEN];
};

/* The OOM killer chose a victim (oom:mark_victim): sig.target_* is the
 * victim, the sender 0 (the kernel), sig.sig SIGKILL; cgroup_len bytes of
 * cgroup hold the path of the victim's memory cgroup below the cgroup v2
 * root ("/" for the root; not NUL-terminated). */
struct ks_oom_kill {
	struct ks_signal sig;
	__u16 cgroup_len;
	__u16 pad[3];
	char cgroup[2 * KS_CGROUP_PATH];
};

/* Value of the `traced` map (pid filter), by tgid.  A process stays traced
 * until it is gone: its leader freed (sched_process_free, after it was
 * reaped) and every thread that exited meanwhile freed too (`dying`
 * counts those, from their exit tracepoint to their free), so events of
 * the exit path itself (files closed, the final switch) are kept. */
struct ks_traced {
	__u64 start;  /* the process's start_boottime; 0 = not known */
	__s32 dying;  /* threads past sched_process_exit, not yet freed */
	__u32 reaped; /* non-zero once the leader was freed */
};

/* A listening socket's owner, by the address it listens on (BPF map
 * `sk_listen`).  The socket of a passive connection is created in softirq
 * context as a copy of its listener, so at that moment its own address
 * fields are this key.  The BPF program adds an entry when a socket enters
 * LISTEN; user space adds the sockets already listening when recording
 * starts (rec_session_listener). */
struct ks_listen_key {
	__u32 netns;       /* inode of the network namespace */
	__u16 family;      /* AF_INET or AF_INET6 */
	__u16 port;        /* host order */
	__u8 addr[16];     /* bound address, IPv4 in the first 4 bytes; 0 = any */
};

struct ks_listen_owner {
	__u64 sk;          /* the listener (kernel pointer); 0 from /proc */
	__u32 tid;
	__u32 pid;         /* 0: shared by several processes (SO_REUSEPORT) */
};

/* A connection that existed before the recording, by its addresses (BPF
 * map `sk_seed`, filled by user space from /proc): the first event of a
 * socket with no known owner looks here and adopts the owner. */
struct ks_conn_key {
	__u32 netns;       /* inode of the network namespace */
	__u16 family;
	__u16 sport;       /* host order */
	__u16 dport;
	__u16 pad;
	__u8 saddr[16];    /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
};

/* The budget (bpf/budget.bpf.h, record/budget.c): what user space sheds
 * while recording, in the global `shed` it rewrites as it goes.  At
 * KS_SHED_PAYLOAD and above, fast successful calls lose their strings
 * (path, address; payloads) unless they change the fd table; at
 * KS_SHED_SAMPLE they are also kept 1 in 2^shift.  Failed and slow calls
 * and those marked KS_BUDGET_KEEP are always kept whole. */
enum ks_shed_level {
	KS_SHED_NONE = 0,
	KS_SHED_PAYLOAD,
	KS_SHED_SAMPLE,
};
struct ks_shed {
	__u32 level; /* enum ks_shed_level */
	__u32 shift; /* KS_SHED_SAMPLE: 1 to KS_SHED_SHIFT_MAX */
};
#define KS_SHED_SHIFT_MAX 10
/* A call that took this long or longer is slow: never shed (1 ms). */
#define KS_SHED_SLOW_NS 1000000u
/* The map shed_dropped counts per CPU, at key slot * KS_NR_MAX + nr: slot 0
 * the calls whose strings were dropped, slot S (1 to KS_SHED_SHIFT_MAX)
 * the calls sampled out while 1 in 2^S were kept. */
#define KS_SHED_SLOTS (KS_SHED_SHIFT_MAX + 1)
/* What the kernel side's keep decision (budget_keep) says of a call. */
enum ks_keep { KS_KEEP_NO, KS_KEEP_BOOK, KS_KEEP_YES };
/* budget_nr[nr] bits */
#define KS_BUDGET_KEEP 0x1  /* always kept whole (fork, exec, exit, signals,
			     * connect, accept) */
#define KS_BUDGET_FDTAB 0x2 /* changes the fd table (record/fdtab.c):
			     * written as KS_SC_BOOKKEEP when sampled out,
			     * never without its strings */

/* The in-kernel pairing entry of a syscall between sys_enter and sys_exit. */
struct ks_inflight {
	__u64 ts;
	__u64 args[6];
	__s32 nr;
	__u16 cpu;
	__u8 active;
	__u8 xflags; /* KS_XF_* */
};

#define KS_XF_PATH 0x1       /* xbuf holds a path */
#define KS_XF_PATH_RETRY 0x2 /* path not readable at entry (its page was
			      * not resident): read it again at exit */
#define KS_XF_PATH_LOST 0x4  /* path unreadable for good (exec replaced
			      * the memory it was in) */
/* Put by user space at attach for a call already in progress (read from
 * /proc/PID/task/TID/syscall): ts is when it was seen, not its entry. */
#define KS_XF_EARLY 0x8

/* Per CPU: the call in flight of the task running there, so that a call
 * that does not sleep is paired without any map lookup by task.  When
 * that task is switched out mid-call its entry moves to task storage. */
struct ks_cpu_slot {
	struct ks_inflight e;
	__u32 tid;      /* whose call e is; 0 = none */
	__u32 tgid;
	/* The task whose pid-filter answer filt caches; cleared on every
	 * CPU when that tid is freed. */
	__u32 filt_tid;
	__u8 filt;      /* KS_FILT_* */
	__u8 pad[3];
};

#define KS_FILT_TRACED 1
#define KS_FILT_UNTRACED 2

/* Per-syscall capture plan, indexed by syscall number (rodata). */
#define KS_NR_MAX 512
#define KS_SCI_PATH_MASK 0x7   /* path argument index + 1, 0 = none */
#define KS_SCI_ADDR_IN 0x08    /* (ptr arg, len arg) read at entry */
#define KS_SCI_ADDR_OUT 0x10   /* (ptr arg, len ptr arg) read at exit */
#define KS_SCI_ADDR_ARG_SHIFT 5 /* bits 5-7: sockaddr pointer argument */

struct ks_xbuf {
	__u16 path_len;
	__u16 addr_len;
	__u8 flags;
	__u8 pad[3];
	char path[KS_PATH_MAX];
	char addr[KS_ADDR_MAX];
};

/* Written at the return of a successful pipe, pipe2 or socketpair (hdr.nr
 * says which), just before its syscall record: the two fds it stored in
 * the caller's array, and their inodes (a pipe's name is its inode). */
struct ks_fdpair {
	struct ks_hdr hdr; /* ts = the return */
	__s32 fd[2];       /* -1 when the array could not be read */
	__u64 ino[2];      /* 0 when not found */
	__u64 args[2];     /* the call's first two arguments (flags) */
};

/* A block request (class block), written at its completion, or by user
 * space at stop for one still in flight (dur 0).  hdr.ts = issue to the
 * device (when it was queued, for a request the block layer completed
 * without issuing it, such as an empty flush write); hdr.tid/pid and comm
 * = the task that submitted it, 0 and "" when unknown (issued before the
 * recording, or made by the block layer itself: the device flushes). */
struct ks_block {
	struct ks_hdr hdr;
	__u64 dur;         /* issue to completion, ns; 0 = not seen complete */
	__u64 sector;      /* 0 for requests without data */
	__u64 bytes;       /* completed bytes */
	__u32 dev;         /* the disk: major << 20 | minor (kernel dev_t) */
	__u32 cmd_flags;   /* the request's op and flags (REQ_OP_MASK) */
	__s32 status;      /* blk_status_t of the completion, 0 = ok */
	__u32 pad;
	char comm[KS_COMM_LEN];
};

/* The in-kernel pairing entry of a block request, by request address,
 * from block_io_start (or its issue) to its completion. */
struct ks_blk_inflight {
	__u64 ts;          /* queued, then issued */
	__u64 sector;
	__u64 bytes;       /* completed so far (partial completions) */
	__u32 tid;
	__u32 pid;
	__u32 dev;
	__u32 cmd_flags;
	__u16 cpu;
	__u8 issued;
	__u8 pad[5];
	char comm[KS_COMM_LEN];
};

_Static_assert(sizeof(struct ks_hdr) == 24, "ks_hdr layout");
_Static_assert(sizeof(struct ks_syscall) == 88, "ks_syscall layout");
_Static_assert(sizeof(struct ks_syscall_ext) == 96, "ks_syscall_ext layout");
_Static_assert(sizeof(struct ks_mem) == 4, "ks_mem layout");
_Static_assert(sizeof(struct ks_switch) == 88, "ks_switch layout");
_Static_assert(sizeof(struct ks_wakeup) == 40, "ks_wakeup layout");
_Static_assert(sizeof(struct ks_migrate) == 32, "ks_migrate layout");
_Static_assert(sizeof(struct ks_fork) == 64, "ks_fork layout");
_Static_assert(sizeof(struct ks_exec) == 56, "ks_exec layout");
_Static_assert(sizeof(struct ks_exit) == 48, "ks_exit layout");
_Static_assert(sizeof(struct ks_net) == 88, "ks_net layout");
_Static_assert(sizeof(struct ks_rename) == 40, "ks_rename layout");
_Static_assert(sizeof(struct ks_traced) == 16, "ks_traced layout");
_Static_assert(sizeof(struct ks_inflight) == 64, "ks_inflight layout");
_Static_assert(sizeof(struct ks_listen_key) == 24, "ks_listen_key layout");
_Static_assert(sizeof(struct ks_listen_owner) == 16, "ks_listen_owner layout");
_Static_assert(sizeof(struct ks_conn_key) == 44, "ks_conn_key layout");
_Static_assert(sizeof(struct ks_cpu_slot) == 80, "ks_cpu_slot layout");
_Static_assert(sizeof(struct ks_signal) == 80, "ks_signal layout");
_Static_assert(sizeof(struct ks_oom_kill) == 600, "ks_oom_kill layout");
_Static_assert(sizeof(struct ks_fdpair) == 64, "ks_fdpair layout");
_Static_assert(sizeof(struct ks_block) == 80, "ks_block layout");
_Static_assert(sizeof(struct ks_blk_inflight) == 64, "ks_blk_inflight layout");

#endif
