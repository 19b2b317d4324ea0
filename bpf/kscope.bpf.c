// SPDX-License-Identifier: GPL-2.0
/*
 * kscope.bpf.c - the kernel half of `kscope record`.
 *
 * Raw tracepoints only (no kprobes, fentry or tp_btf needed), CO-RE reads of
 * kernel structs.  Every program writes fixed-width records (kscope_bpf.h)
 * into one ring buffer `rb`; record/ drains it.
 *
 *   syscall  raw_syscalls sys_enter/sys_exit, paired per thread (the
 *            running task's call in a per-CPU slot, moved to task storage
 *            when the task is switched out mid-call).  One record per
 *            completed call, written at exit.  A path argument is copied at
 *            entry into `xbufs` (tid -> path); socket addresses are read at
 *            exit.  Calls that carry a path or address use the variable
 *            record ks_syscall_ext, everything else the 88-byte ks_syscall.
 *   sched    sched_switch, sched_wakeup(_new), sched_migrate_task; the
 *            waker of each wakeup is taken at sched_waking (see "wakers").
 *            A recorded task switched out asleep (S or D, not preempted)
 *            has its kernel stack put in the stack map `stacks`; the
 *            switch record carries its id (see ks_sched_switch).
 *            The wakers' context and interrupt: wake.bpf.h.
 *   proc     (proc.bpf.h) sched_process_fork/exec/exit and task_rename,
 *            and signals and OOM kills (signal.bpf.h).  They are also
 *            bookkeeping: the pid filter follows forks, exit writes calls
 *            that never return, and user space keeps comm and pid of every
 *            thread from them, so they load with any class that needs
 *            that; user space stores proc events only when the proc class
 *            is on.  sched_process_free ends a process's stay in the pid
 *            filter (see `traced`).
 *   net      (net.bpf.h) sock:inet_sock_set_state (TCP), tcp retransmit
 *            and resets, sock_send_length/sock_recv_length bytes; each
 *            charged to the socket's owner, set where a process creates,
 *            accepts or uses the socket and dropped at CLOSE.
 *   block    (block.bpf.h) block requests, issue paired with completion.
 *   fd names (fdname.bpf.h) the fds and inodes pipe and socketpair made,
 *            written beside the syscall record.
 *
 * Settings are const volatile globals set by user space between open and
 * load.  Wakeups: records are submitted with BPF_RB_NO_WAKEUP and the reader
 * is woken only when more than `wakeup_bytes` are waiting; user space polls
 * with a timeout as the backstop.  A failed reserve is counted per CPU and
 * class in `lost`, never silently dropped.
 */
#define __KSCOPE_BPF__
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "kscope_bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define MSG_PEEK 2
#define TCP_SYN_SENT 2
#define TCP_LISTEN 10

/* ---- settings (rodata) ------------------------------------------------ */

const volatile __u32 self_tgid;     /* never record the recorder */
const volatile __u8 filter_tgid;    /* only tgids in `traced` */
const volatile __u64 filter_cgroup; /* only this cgroup v2 and below; 0 = all */
const volatile __u32 filter_cgroup_level; /* its depth (root = 0) */
const volatile __u64 wakeup_bytes = 256 * 1024;
const volatile __u64 sock_key;      /* hides kernel pointers in sock ids */
const volatile __u8 emit_syscall;
const volatile __u8 emit_stacks;    /* kernel stacks at sleeping switches */
/* sched_process_exit passes group_dead (Linux 6.16 on); else it is read
 * from signal->live, which another exiting thread may already have
 * brought to 0. */
const volatile __u8 exit_has_group_dead;
/* Per syscall number: KS_SCI_* capture plan (path / sockaddr argument). */
const volatile __u8 sc_info[KS_NR_MAX];

/* ---- maps --------------------------------------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20); /* user space sets the size */
} rb SEC(".maps");

/* Calls in flight.  The running task's call sits in its CPU's slot
 * (`cpu_slot`, no lookup by task on the fast path); a task switched out
 * mid-call has it moved into its task storage (`inflight`) by the
 * sched_switch program, and sys_exit looks there when the slot is not its
 * own.  Task storage, not a hash by tid: no slot limit, freed with the
 * task.  User space reads both at stop (session.c). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ks_cpu_slot);
} cpu_slot SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ks_inflight);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct ks_xbuf);
} xbufs SEC(".maps");

/* The pid filter: tgid -> struct ks_traced.  A process is traced from its
 * fork by a traced parent (or from user space adding it) until it is
 * gone: not at its exit tracepoint, which comes before the kernel closes
 * its files, sends its last TCP state changes and switches it out for the
 * last time, but once its leader was freed (sched_process_free, after it
 * was reaped, so after every other thread was released) and every thread
 * that passed the exit tracepoint meanwhile was freed too (freed means
 * after its final switch).  `dying` holds those threads, by task_struct
 * address, with the traced entry's start at their exit, so that a stale
 * count of an earlier process with the same number is not applied. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct ks_traced);
} traced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u64);   /* struct task_struct * */
	__type(value, __u64); /* ks_traced.start of its process at exit */
} dying SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KS_CLASS_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Socket owners (see "network" below): only owners whose events are
 * recorded; an entry lives from connect/listen/accept to CLOSE.  LRU: a
 * socket destroyed without a CLOSE seen cannot pin an entry. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);   /* struct sock * */
	__type(value, __u64); /* tgid << 32 | tid of the owning task */
} sk_owner SEC(".maps");

/* Kernel stacks of sleeping switches, deduplicated by the kernel: one id
 * per distinct stack.  No BPF_F_REUSE_STACKID, so a filled bucket never
 * changes and user space reads an id's frames whenever it likes; a stack
 * that hashes to a bucket taken by another, or finds the map full, is
 * not recorded and counted in `stack_lost`.  User space sets the size
 * (1 when stacks are off). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, KS_STACK_SLOTS);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, KS_STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} stack_lost SEC(".maps");

#define KS_SCRATCH 8192 /* an ext record with a full snap tail */
struct ks_scratch {
	char buf[KS_SCRATCH];
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ks_scratch);
} scratch SEC(".maps");

/* ---- helpers ------------------------------------------------------------ */

static __always_inline void lost_count(__u32 class)
{
	__u64 *v = bpf_map_lookup_elem(&lost, &class);

	if (v)
		*v += 1;
}

/* Wake the reader only when enough is waiting (see the file comment).
 * While it catches up, records keep asking for a wakeup; that is cheap
 * (the irq_work is already pending) and, measured with a 1 MiB ring, loses
 * less than waking only once per step of backlog.  wakeup_bytes = 0 wakes
 * on every record (for measurements). */
static __always_inline __u64 rb_flags(void)
{
	if (bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void hdr_fill(struct ks_hdr *h, __u8 type, __u64 ts,
				     __u32 tid, __u32 pid)
{
	h->ts = ts;
	h->tid = tid;
	h->pid = pid;
	h->cpu = bpf_get_smp_processor_id();
	h->type = type;
	h->flags = 0;
	h->nr = 0;
}

/* Is task T in the filter cgroup or below it?  Its ancestor at the filter's
 * depth must be the filter cgroup. */
static __always_inline bool task_in_cgroup(struct task_struct *t)
{
	struct cgroup *cg = BPF_CORE_READ(t, cgroups, dfl_cgrp), *anc = NULL;
	__u32 off = bpf_core_field_offset(struct cgroup, ancestors);

	if (BPF_CORE_READ(cg, level) < (int)filter_cgroup_level)
		return false;
	bpf_probe_read_kernel(&anc, sizeof(anc),
			      (char *)cg + off + filter_cgroup_level * sizeof(anc));
	return anc && BPF_CORE_READ(anc, kn, id) == filter_cgroup;
}

/* Should events of the current task be recorded? */
static __always_inline bool current_wanted(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if (filter_cgroup &&
	    bpf_get_current_ancestor_cgroup_id(filter_cgroup_level) != filter_cgroup)
		return false;
	if (filter_tgid && !bpf_map_lookup_elem(&traced, &tgid))
		return false;
	return true;
}

/* Should events of task T of process TGID be recorded? */
static __always_inline bool task_wanted_tgid(struct task_struct *t, __u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if (filter_cgroup && !task_in_cgroup(t))
		return false;
	if (filter_tgid && !bpf_map_lookup_elem(&traced, &tgid))
		return false;
	return true;
}

static __always_inline bool task_wanted(struct task_struct *t)
{
	return task_wanted_tgid(t, BPF_CORE_READ(t, tgid));
}

/* Task T's pid (ids[0]) and tgid (ids[1]): adjacent in task_struct, so
 * one read, not two. */
static __always_inline void task_ids(struct task_struct *t, __u32 ids[2])
{
	__u32 off = bpf_core_field_offset(struct task_struct, pid);

	if (bpf_core_field_offset(struct task_struct, tgid) == off + 4 &&
	    bpf_probe_read_kernel(ids, 2 * sizeof(__u32), (char *)t + off) == 0)
		return;
	ids[0] = BPF_CORE_READ(t, pid);
	ids[1] = BPF_CORE_READ(t, tgid);
}

static __always_inline __u32 task_cpu_of(struct task_struct *t)
{
	if (bpf_core_field_exists(t->thread_info.cpu))
		return BPF_CORE_READ(t, thread_info.cpu);
	return BPF_CORE_READ(t, wake_cpu);
}

/* ---- syscalls ----------------------------------------------------------- */

/* filter.bpf.h */
static __always_inline bool sc_filter_enter(long nr);
static __always_inline int sc_filter(struct ks_inflight *e, long ret,
				     __u64 now);

/* The six syscall arguments from the saved user registers. */
static __always_inline void regs_args(struct pt_regs *regs, __u64 a[6])
{
#if defined(__TARGET_ARCH_x86)
	/* r10, r9, r8, ax, cx, dx, si, di are adjacent: one read, not six. */
	__u64 r[8];
	__u32 off = bpf_core_field_offset(struct pt_regs, r10);

	if (bpf_probe_read_kernel(r, sizeof(r), (char *)regs + off) == 0) {
		a[0] = r[7]; /* di */
		a[1] = r[6]; /* si */
		a[2] = r[5]; /* dx */
		a[3] = r[0]; /* r10 */
		a[4] = r[2]; /* r8 */
		a[5] = r[1]; /* r9 */
	}
#else
	a[0] = PT_REGS_PARM1_CORE_SYSCALL(regs);
	a[1] = PT_REGS_PARM2_CORE_SYSCALL(regs);
	a[2] = PT_REGS_PARM3_CORE_SYSCALL(regs);
	a[3] = PT_REGS_PARM4_CORE_SYSCALL(regs);
	a[4] = PT_REGS_PARM5_CORE_SYSCALL(regs);
	a[5] = BPF_CORE_READ(regs, regs[5]);
#endif
}

static __always_inline __u64 arg_at(const struct ks_inflight *e, __u32 i)
{
	asm volatile("" : "+r"(i)); /* keep clang from folding the bound */
	if (i >= 6)
		return 0;
	return e->args[i];
}

/* A user string of which KS_PATH_MAX - 1 bytes were read without a NUL:
 * cut, unless its next byte is the NUL (a string of exactly that length).
 * An unreadable next byte counts as cut. */
static __always_inline bool path_cut(const char *up)
{
	char c = 1;

	bpf_probe_read_user(&c, 1, up + KS_PATH_MAX - 1);
	return c != 0;
}

#define KS_MAX_CPUS 8192 /* filt_forget stops at the last one there is */

static long filt_forget_cpu(__u64 cpu, void *tidp)
{
	__u32 zk = 0;
	struct ks_cpu_slot *slot = bpf_map_lookup_percpu_elem(&cpu_slot, &zk,
							      cpu);

	if (!slot)
		return 1; /* past the last CPU */
	if (slot->filt_tid == *(__u32 *)tidp || !*(__u32 *)tidp)
		slot->filt_tid = 0;
	return 0;
}

/* TID (0: every task; --comm, filter.bpf.h) is freed (exec) or about to
 * be (exit), and may go to a task of
 * another process: no CPU may keep the pid filter's answer cached for it.  That is every CPU
 * where it made a call, not only the one it leaves from: a task can make
 * its last call on one CPU and exit on another.  A CPU writing its own
 * slot meanwhile at worst loses its entry, which is looked up again. */
static __always_inline void filt_forget(__u32 tid)
{
	if (filter_tgid)
		bpf_loop(KS_MAX_CPUS, filt_forget_cpu, &tid, 0);
}

static __always_inline bool budget_defer_path(long nr);
static __always_inline bool budget_strip(struct ks_inflight *e, __u64 now,
					 long ret);
static __always_inline int budget_keep(struct ks_inflight *e, long ret,
				       __u64 dur);
static __always_inline void snap_enter(struct ks_inflight *e, __u32 tid);
static __always_inline bool snap_wanted(const struct ks_inflight *e,
					__u64 now, long ret);
static __always_inline __u32 snap_tail(char *buf, __u32 at,
				       struct ks_inflight *e, __u32 tid,
				       long ret, __u16 *mem_len,
				       __u16 *snap_len);

SEC("raw_tp/sys_enter")
int BPF_PROG(ks_syscall_enter, struct pt_regs *regs, long id)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pt, tgid = pt >> 32, zk = 0;
	struct ks_cpu_slot *slot;
	struct ks_inflight *e;

	if (tgid == self_tgid)
		return 0;
	slot = bpf_map_lookup_elem(&cpu_slot, &zk);
	if (!slot)
		return 0;
	/* The pid filter's answer for a task does not change (its tgid is
	 * traced from its fork on, or not): cached for the last task that
	 * made a call on this CPU, until its tid is freed (filt_forget). */
	if (filter_tgid) {
		if (slot->filt_tid != tid) {
			slot->filt = bpf_map_lookup_elem(&traced, &tgid) ?
				KS_FILT_TRACED : KS_FILT_UNTRACED;
			slot->filt_tid = tid;
		}
		if (slot->filt != KS_FILT_TRACED)
			return 0;
	}
	if (filter_cgroup &&
	    bpf_get_current_ancestor_cgroup_id(filter_cgroup_level) != filter_cgroup)
		return 0;
	if (!sc_filter_enter(id))
		return 0;
	e = &slot->e;
	slot->tid = tid;
	slot->tgid = tgid;
	e->ts = bpf_ktime_get_boot_ns();
	e->nr = id;
	e->cpu = bpf_get_smp_processor_id();
	e->xflags = 0;
	regs_args(regs, e->args);
	e->active = 1;
	snap_enter(e, tid);

	__u8 info = (id >= 0 && id < KS_NR_MAX) ? sc_info[id & (KS_NR_MAX - 1)] : 0;
	__u32 parg = info & KS_SCI_PATH_MASK;
	const char *up = parg ? (const char *)arg_at(e, parg - 1) : NULL;

	/* A NULL path pointer is no path (utimensat(fd, NULL, ...)). */
	if (up && budget_defer_path(id)) {
		e->xflags |= KS_XF_PATH_RETRY;
		up = NULL;
	}
	if (up) {
		struct ks_xbuf *xb = bpf_map_lookup_elem(&xbufs, &tid);
		__u32 zk = 0;

		if (!xb) {
			struct ks_scratch *z = bpf_map_lookup_elem(&scratch, &zk);

			if (!z)
				return 0;
			__builtin_memset(z->buf, 0, sizeof(struct ks_xbuf));
			bpf_map_update_elem(&xbufs, &tid, z->buf, BPF_ANY);
			xb = bpf_map_lookup_elem(&xbufs, &tid);
			if (!xb) {
				e->xflags |= KS_XF_PATH_RETRY;
				return 0;
			}
		}
		long n = bpf_probe_read_user_str(xb->path, KS_PATH_MAX, up);
		if (n > 0) {
			xb->path_len = n - 1;
			xb->flags = n == KS_PATH_MAX && path_cut(up) ?
				KS_SC_PATH_TRUNC : 0;
			e->xflags |= KS_XF_PATH;
		} else {
			/* Its page is not resident (a fault is not allowed
			 * here): the kernel faults it in while it copies the
			 * string, so sys_exit reads it again. */
			e->xflags |= KS_XF_PATH_RETRY;
		}
	}
	return 0;
}

/* Fill the fixed part of a syscall record from its pairing entry. */
static __always_inline void sc_fill(struct ks_syscall *r, struct ks_inflight *e,
				    __u32 tid, __u32 tgid, __u8 type, __u64 now,
				    long ret)
{
	r->hdr.ts = e->ts;
	r->hdr.tid = tid;
	r->hdr.pid = tgid;
	r->hdr.cpu = e->cpu;
	r->hdr.type = type;
	r->hdr.flags = 0;
	r->hdr.nr = e->nr;
	r->dur = now ? now - e->ts : 0;
	r->ret = ret;
	__builtin_memcpy(r->args, e->args, sizeof(r->args));
}

/* A syscall with a path or socket address: built in the per-CPU scratch
 * buffer, then copied into the ring with its exact length. */
static __always_inline void sc_emit_ext(struct ks_inflight *e, __u32 tid,
					__u32 tgid, __u64 now, long ret,
					__u8 info, __u8 flags)
{
	__u32 zk = 0;
	struct ks_scratch *s = bpf_map_lookup_elem(&scratch, &zk);
	struct ks_syscall_ext *x;
	__u32 plen = 0, alen = 0;

	if (!s)
		return;
	x = (void *)s->buf;
	sc_fill(&x->sc, e, tid, tgid, KS_REC_SYSCALL_EXT, now, ret);
	x->sc.hdr.flags = flags;
	bool retry = e->xflags & KS_XF_PATH_RETRY;

	if (e->xflags & KS_XF_PATH) {
		struct ks_xbuf *xb = bpf_map_lookup_elem(&xbufs, &tid);

		if (xb) {
			plen = xb->path_len & (KS_PATH_MAX - 1);
			x->sc.hdr.flags |= xb->flags;
			bpf_probe_read_kernel(s->buf + sizeof(*x), plen, xb->path);
		} else {
			retry = true; /* evicted from the LRU map */
		}
	}
	if (e->xflags & KS_XF_PATH_LOST) {
		x->sc.hdr.flags |= KS_SC_PATH_UNREAD;
	} else if (retry) {
		/* Not read at entry: the call has made the kernel fault the
		 * page in by now.  (After a successful exec the memory is
		 * the new program's: ks_proc_exec settled the path then.) */
		__u32 parg = info & KS_SCI_PATH_MASK;
		const char *up = NULL;
		long n = -1;

		if (parg)
			up = (const char *)arg_at(e, parg - 1);

		if (now && up)
			n = bpf_probe_read_user_str(s->buf + sizeof(*x),
						    KS_PATH_MAX, up);
		if (n > 0) {
			plen = (n - 1) & (KS_PATH_MAX - 1);
			if (n == KS_PATH_MAX && path_cut(up))
				x->sc.hdr.flags |= KS_SC_PATH_TRUNC;
		} else {
			x->sc.hdr.flags |= KS_SC_PATH_UNREAD;
		}
	}
	/* An address passed in is worth showing even when the call failed
	 * (a refused connect); one filled in by the kernel only on success. */
	if (((info & KS_SCI_ADDR_IN) || ((info & KS_SCI_ADDR_OUT) && ret >= 0)) &&
	    now) {
		__u32 aarg = (info >> KS_SCI_ADDR_ARG_SHIFT) & 7;
		void *uaddr = (void *)arg_at(e, aarg);
		__u64 l = 0;

		if (info & KS_SCI_ADDR_OUT) {
			__u32 ol = 0;

			void *ulen = (void *)arg_at(e, aarg + 1);

			if (ulen)
				bpf_probe_read_user(&ol, sizeof(ol), ulen);
			l = ol;
		} else {
			l = arg_at(e, aarg + 1);
		}
		if (uaddr && l) {
			if (l > KS_ADDR_MAX - 1) {
				l = KS_ADDR_MAX - 1;
				x->sc.hdr.flags |= KS_SC_ADDR_TRUNC;
			}
			alen = l & (KS_ADDR_MAX - 1);
			if (bpf_probe_read_user(s->buf + sizeof(*x) + plen, alen,
						uaddr))
				alen = 0;
		}
	}
	x->path_len = plen;
	x->addr_len = alen;
	x->mem_len = x->snap_len = 0;
	__u32 tail = now ? snap_tail(s->buf, sizeof(*x) + plen + alen, e, tid,
				     ret, &x->mem_len, &x->snap_len) : 0;

	if (tail)
		x->sc.hdr.flags |= KS_SC_SNAP;
	__u32 total = (sizeof(*x) + plen + alen + tail + 7) & ~7u;

	if (total > KS_SCRATCH)
		return;
	if (bpf_ringbuf_output(&rb, s->buf, total, rb_flags()))
		lost_count(KS_CLASS_SYSCALL);
}

/* Write the record of the call in flight in E (NOW = 0: unfinished),
 * with FLAGS (KS_SC_BOOKKEEP or 0). */
static __always_inline void sc_emit(struct ks_inflight *e, __u32 tid,
				    __u32 tgid, __u64 now, long ret, __u8 flags)
{
	__u8 info = (e->nr >= 0 && e->nr < KS_NR_MAX) ?
		sc_info[e->nr & (KS_NR_MAX - 1)] : 0;
	/* The capture filters first, then the budget's sampling, which
	 * counts what it sheds (of the calls the filters keep). */
	int fk = sc_filter(e, ret, now);

	if (fk < 0)
		return;
	flags |= fk;
	if (now && !fk) {
		int keep = budget_keep(e, ret, now - e->ts);

		if (keep == KS_KEEP_NO)
			return;
		if (keep == KS_KEEP_BOOK)
			flags |= KS_SC_BOOKKEEP;
	}
	if (!now)
		flags |= KS_SC_UNFINISHED;
	if (e->xflags & KS_XF_EARLY)
		flags |= KS_SC_EARLY;

	if (((e->xflags & (KS_XF_PATH | KS_XF_PATH_RETRY | KS_XF_PATH_LOST)) ||
	     (now && (info & (KS_SCI_ADDR_IN | KS_SCI_ADDR_OUT))) ||
	     snap_wanted(e, now, ret)) &&
	    !budget_strip(e, now, ret)) {
		sc_emit_ext(e, tid, tgid, now, ret, info, flags);
		return;
	}
	struct ks_syscall *r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);

	if (!r) {
		lost_count(KS_CLASS_SYSCALL);
		return;
	}
	sc_fill(r, e, tid, tgid, KS_REC_SYSCALL, now, ret);
	r->hdr.flags = flags;
	bpf_ringbuf_submit(r, rb_flags());
}

/* The current task's call in flight: in its CPU's slot if it was not
 * switched out since the entry, else in its task storage; NULL if none. */
static __always_inline struct ks_inflight *inflight_current(__u32 tid)
{
	__u32 zk = 0;
	struct ks_cpu_slot *slot = bpf_map_lookup_elem(&cpu_slot, &zk);
	struct ks_inflight *e;

	if (slot && slot->tid == tid && slot->e.active)
		return &slot->e;
	e = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
	return e && e->active ? e : NULL;
}

static __always_inline void fd_pair_emit(struct ks_inflight *e, __u32 tid,
					 __u32 tgid, long ret);

SEC("raw_tp/sys_exit")
int BPF_PROG(ks_syscall_exit, struct pt_regs *regs, long ret)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pt, tgid = pt >> 32;
	struct ks_inflight *e = inflight_current(tid);

	if (!e)
		return 0; /* entry not seen: started before we attached */
	e->active = 0;
	fd_pair_emit(e, tid, tgid, ret);
	sc_emit(e, tid, tgid, bpf_ktime_get_boot_ns(), ret, 0);
	return 0;
}

/* The running task is being switched out (current is still prev here):
 * if it is inside a recorded call, move that call from the CPU's slot to
 * its task storage, where sys_exit will find it on whatever CPU. */
static __always_inline void sc_spill(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zk = 0;
	struct ks_cpu_slot *slot = bpf_map_lookup_elem(&cpu_slot, &zk);
	struct ks_inflight *e;

	if (!slot || !slot->e.active || slot->tid != tid)
		return;
	e = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (e)
		__builtin_memcpy(e, &slot->e, sizeof(*e));
	else
		lost_count(KS_CLASS_SYSCALL); /* no memory for the entry */
	slot->e.active = 0;
	slot->tid = 0;
}

/* The spill on its own, for recordings without class sched (with it,
 * ks_sched_switch spills first: one program run per switch, not two;
 * session.c loads this one only then). */
SEC("raw_tp/sched_switch")
int BPF_PROG(ks_syscall_spill)
{
	sc_spill();
	return 0;
}

/* ---- scheduling --------------------------------------------------------- */

#define KS_TASK_INTERRUPTIBLE 0x1
#define KS_TASK_UNINTERRUPTIBLE 0x2

/* The stack of a recorded task going to sleep (PREV_STATE S or D, and
 * not preempted on its way there): its id in `stacks` + 1, or 0. */
static __always_inline __u32 sleep_stack(void *ctx, bool preempt,
					 unsigned int prev_state)
{
	__u32 zk = 0;
	__u64 *lost;
	long id;

	if (!emit_stacks || preempt ||
	    !(prev_state & (KS_TASK_INTERRUPTIBLE | KS_TASK_UNINTERRUPTIBLE)))
		return 0;
	id = bpf_get_stackid(ctx, &stacks, 0);
	if (id >= 0)
		return (__u32)id + 1;
	lost = bpf_map_lookup_elem(&stack_lost, &zk);
	if (lost)
		*lost += 1;
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(ks_sched_switch, bool preempt, struct task_struct *prev,
	     struct task_struct *next, unsigned int prev_state)
{
	__u32 pids[2], nids[2], stack_id;
	struct ks_switch *r;

	if (emit_syscall)
		sc_spill();
	task_ids(prev, pids);
	task_ids(next, nids);
	bool pw = pids[1] != self_tgid, nw = nids[1] != self_tgid;

	/* A switch is kept when either side is recorded.  One to or from the
	 * recorder is the other task's start or end of a run on this CPU, so
	 * it is kept too (the recorder shows only as that other side). */
	if (filter_tgid || filter_cgroup) {
		pw = pw && task_wanted_tgid(prev, pids[1]);
		nw = nw && task_wanted_tgid(next, nids[1]);
	}
	if (!pw && !nw)
		return 0;
	/* Before the reserve: a reserved record holds up the reader. */
	stack_id = pw ? sleep_stack(ctx, preempt, prev_state) : 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_SCHED);
		return 0;
	}
	hdr_fill(&r->hdr, KS_REC_SWITCH, bpf_ktime_get_boot_ns(), pids[0],
		 pids[1]);
	r->hdr.flags = (pw ? KS_SWITCH_PREV_REC : 0) |
		       (nw ? KS_SWITCH_NEXT_REC : 0);
	/* The prev_state argument exists since 5.18; this build targets the
	 * kernels that have it (docs/RECORD.md). */
	r->prev_state = prev_state;
	/* The final switch of an exiting task: add exit_state (zombie or
	 * dead), as the tracepoint's text format does, so it does not read
	 * as runnable. */
	if (prev_state & KS_TASK_DEAD)
		r->prev_state |= BPF_CORE_READ(prev, exit_state) &
				 (KS_EXIT_DEAD | KS_EXIT_ZOMBIE);
	r->prev_prio = BPF_CORE_READ(prev, prio);
	r->next_tid = nids[0];
	r->next_pid = nids[1];
	r->next_prio = BPF_CORE_READ(next, prio);
	/* Whole, not as strings: the kernel pads a comm with NULs, and a
	 * fixed-size read is cheaper than a byte-by-byte one. */
	BPF_CORE_READ_INTO(&r->prev_comm, prev, comm);
	BPF_CORE_READ_INTO(&r->next_comm, next, comm);
	r->stack_id = stack_id;
	r->pad = 0;
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

static __always_inline void waker_fill(struct ks_wakeup *r, __u32 tid,
				       bool waking_seen);

static __always_inline int wakeup_emit(struct task_struct *p, __u8 flags)
{
	struct ks_wakeup *r;
	__u32 ids[2];

	task_ids(p, ids);
	if (!task_wanted_tgid(p, ids[1]))
		return 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_SCHED);
		return 0;
	}
	hdr_fill(&r->hdr, KS_REC_WAKEUP, bpf_ktime_get_boot_ns(), ids[0],
		 ids[1]);
	r->hdr.flags = flags;
	waker_fill(r, r->hdr.tid, !(flags & KS_WAKEUP_NEW));
	r->target_cpu = task_cpu_of(p);
	r->prio = BPF_CORE_READ(p, prio);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

SEC("raw_tp/sched_wakeup")
int BPF_PROG(ks_sched_wakeup, struct task_struct *p)
{
	return wakeup_emit(p, 0);
}

SEC("raw_tp/sched_wakeup_new")
int BPF_PROG(ks_sched_wakeup_new, struct task_struct *p)
{
	return wakeup_emit(p, KS_WAKEUP_NEW);
}

SEC("raw_tp/sched_migrate_task")
int BPF_PROG(ks_sched_migrate, struct task_struct *p, int dest_cpu)
{
	struct ks_migrate *r;

	if (!task_wanted(p))
		return 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_SCHED);
		return 0;
	}
	hdr_fill(&r->hdr, KS_REC_MIGRATE, bpf_ktime_get_boot_ns(),
		 BPF_CORE_READ(p, pid), BPF_CORE_READ(p, tgid));
	r->orig_cpu = task_cpu_of(p);
	r->dest_cpu = dest_cpu;
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

/* The other sections, in this order (each uses what comes before it). */
#include "proc.bpf.h"
#include "net.bpf.h"
#include "wake.bpf.h"
#include "signal.bpf.h"
#include "fdname.bpf.h"
#include "block.bpf.h"
#include "filter.bpf.h"
#include "budget.bpf.h"
#include "snap.bpf.h"
