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
 *   proc     sched_process_fork/exec/exit and task_rename.  They are also
 *            bookkeeping: the pid filter follows forks, exit writes calls
 *            that never return, and user space keeps comm and pid of every
 *            thread from them, so they load with any class that needs
 *            that; user space stores proc events only when the proc class
 *            is on.  sched_process_free ends a process's stay in the pid
 *            filter (see `traced`).
 *   net      sock:inet_sock_set_state (TCP), tcp retransmit and resets,
 *            sock_send_length/sock_recv_length bytes; each charged to the
 *            socket's owner, set where a process creates, accepts or uses
 *            the socket and dropped at CLOSE (see "network" below).
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

#define KS_SCRATCH 1024
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

static __always_inline bool task_wanted(struct task_struct *t)
{
	__u32 tgid = BPF_CORE_READ(t, tgid);

	if (tgid == self_tgid)
		return false;
	if (filter_cgroup && !task_in_cgroup(t))
		return false;
	if (filter_tgid && !bpf_map_lookup_elem(&traced, &tgid))
		return false;
	return true;
}

static __always_inline __u32 task_cpu_of(struct task_struct *t)
{
	if (bpf_core_field_exists(t->thread_info.cpu))
		return BPF_CORE_READ(t, thread_info.cpu);
	return BPF_CORE_READ(t, wake_cpu);
}

/* ---- syscalls ----------------------------------------------------------- */

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
	if (slot->filt_tid == *(__u32 *)tidp)
		slot->filt_tid = 0;
	return 0;
}

/* TID is freed (exec) or about to be (exit), and may go to a task of
 * another process: no CPU may keep the pid filter's answer cached for it.  That is every CPU
 * where it made a call, not only the one it leaves from: a task can make
 * its last call on one CPU and exit on another.  A CPU writing its own
 * slot meanwhile at worst loses its entry, which is looked up again. */
static __always_inline void filt_forget(__u32 tid)
{
	if (filter_tgid)
		bpf_loop(KS_MAX_CPUS, filt_forget_cpu, &tid, 0);
}

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
	e = &slot->e;
	slot->tid = tid;
	slot->tgid = tgid;
	e->ts = bpf_ktime_get_boot_ns();
	e->nr = id;
	e->cpu = bpf_get_smp_processor_id();
	e->xflags = 0;
	regs_args(regs, e->args);
	e->active = 1;

	__u8 info = (id >= 0 && id < KS_NR_MAX) ? sc_info[id & (KS_NR_MAX - 1)] : 0;
	__u32 parg = info & KS_SCI_PATH_MASK;
	const char *up = parg ? (const char *)arg_at(e, parg - 1) : NULL;

	/* A NULL path pointer is no path (utimensat(fd, NULL, ...)). */
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
	x->pad = 0;
	__u32 total = (sizeof(*x) + plen + alen + 7) & ~7u;

	if (total > KS_SCRATCH)
		return;
	if (bpf_ringbuf_output(&rb, s->buf, total, rb_flags()))
		lost_count(KS_CLASS_SYSCALL);
}

/* Write the record of the call in flight in E (NOW = 0: unfinished). */
static __always_inline void sc_emit(struct ks_inflight *e, __u32 tid,
				    __u32 tgid, __u64 now, long ret)
{
	__u8 info = (e->nr >= 0 && e->nr < KS_NR_MAX) ?
		sc_info[e->nr & (KS_NR_MAX - 1)] : 0;
	__u8 flags = now ? 0 : KS_SC_UNFINISHED;

	if (e->xflags & KS_XF_EARLY)
		flags |= KS_SC_EARLY;

	if ((e->xflags & (KS_XF_PATH | KS_XF_PATH_RETRY | KS_XF_PATH_LOST)) ||
	    (now && (info & (KS_SCI_ADDR_IN | KS_SCI_ADDR_OUT)))) {
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
	sc_emit(e, tid, tgid, bpf_ktime_get_boot_ns(), ret);
	return 0;
}

/* The running task is being switched out (current is still prev here):
 * if it is inside a recorded call, move that call from the CPU's slot to
 * its task storage, where sys_exit will find it on whatever CPU. */
SEC("raw_tp/sched_switch")
int BPF_PROG(ks_syscall_spill)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid(), zk = 0;
	struct ks_cpu_slot *slot = bpf_map_lookup_elem(&cpu_slot, &zk);
	struct ks_inflight *e;

	if (!slot || !slot->e.active || slot->tid != tid)
		return 0;
	e = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (e)
		__builtin_memcpy(e, &slot->e, sizeof(*e));
	else
		lost_count(KS_CLASS_SYSCALL); /* no memory for the entry */
	slot->e.active = 0;
	slot->tid = 0;
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
	__u32 ptgid = BPF_CORE_READ(prev, tgid), ntgid = BPF_CORE_READ(next, tgid);
	bool pw = ptgid != self_tgid, nw = ntgid != self_tgid;
	struct ks_switch *r;
	__u32 stack_id;

	/* A switch is kept when either side is recorded.  One to or from the
	 * recorder is the other task's start or end of a run on this CPU, so
	 * it is kept too (the recorder shows only as that other side). */
	if (filter_tgid || filter_cgroup) {
		pw = pw && task_wanted(prev);
		nw = nw && task_wanted(next);
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
	hdr_fill(&r->hdr, KS_REC_SWITCH, bpf_ktime_get_boot_ns(),
		 BPF_CORE_READ(prev, pid), ptgid);
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
	r->next_tid = BPF_CORE_READ(next, pid);
	r->next_pid = ntgid;
	r->next_prio = BPF_CORE_READ(next, prio);
	BPF_CORE_READ_STR_INTO(&r->prev_comm, prev, comm);
	BPF_CORE_READ_STR_INTO(&r->next_comm, next, comm);
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

	if (!task_wanted(p))
		return 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_SCHED);
		return 0;
	}
	hdr_fill(&r->hdr, KS_REC_WAKEUP, bpf_ktime_get_boot_ns(),
		 BPF_CORE_READ(p, pid), BPF_CORE_READ(p, tgid));
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

/* ---- processes ---------------------------------------------------------- */

SEC("raw_tp/sched_process_fork")
int BPF_PROG(ks_proc_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	struct ks_fork *r;

	/* Follow the traced tree: a traced parent's new process is traced;
	 * any other new process is not, even when an earlier process with
	 * the same number was and its free is still to come. */
	if (filter_tgid && ctgid != ptgid) {
		if (bpf_map_lookup_elem(&traced, &ptgid)) {
			struct ks_traced v = {
				.start = BPF_CORE_READ(child, start_boottime),
			};

			bpf_map_update_elem(&traced, &ctgid, &v, BPF_ANY);
		} else {
			bpf_map_delete_elem(&traced, &ctgid);
		}
	}
	if (!task_wanted(parent))
		return 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_PROC);
		return 0;
	}
	hdr_fill(&r->hdr, KS_REC_FORK, bpf_ktime_get_boot_ns(),
		 BPF_CORE_READ(parent, pid), ptgid);
	r->hdr.flags = ctgid == ptgid ? KS_FORK_THREAD : 0;
	r->ppid = BPF_CORE_READ(parent, real_parent, tgid);
	r->child_tid = BPF_CORE_READ(child, pid);
	r->child_pid = ctgid;
	r->pad = 0;
	r->child_start = BPF_CORE_READ(child, start_boottime);
	BPF_CORE_READ_STR_INTO(&r->comm, parent, comm);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

/* The exec call in flight of the task that is exec'ing (tid TID now, OLD
 * before: a non-leader thread takes its leader's tid).  Its path entry
 * follows the tid change, and a path not read yet is settled here: after
 * the exec the caller's memory is gone, so sys_exit must not read it.
 * bprm->filename is the caller's string for execve, and for execveat from
 * AT_FDCWD; else (a name relative to a directory fd) it is lost. */
static __always_inline void exec_path_settle(__u32 tid, __u32 old,
					     struct linux_binprm *bprm)
{
	struct ks_inflight *e;
	struct ks_xbuf *xb;
	__u32 zk = 0;

	if (old != tid) {
		struct ks_cpu_slot *slot = bpf_map_lookup_elem(&cpu_slot, &zk);

		xb = bpf_map_lookup_elem(&xbufs, &old);
		if (xb) {
			bpf_map_update_elem(&xbufs, &tid, xb, BPF_ANY);
			bpf_map_delete_elem(&xbufs, &old);
		}
		if (slot && slot->tid == old)
			slot->tid = tid;
		filt_forget(old); /* freed with the old leader */
	}
	e = inflight_current(tid);
	if (!e || !(e->xflags & (KS_XF_PATH | KS_XF_PATH_RETRY)))
		return;
	xb = bpf_map_lookup_elem(&xbufs, &tid);
	if ((e->xflags & KS_XF_PATH) && xb)
		return;
	__u8 info = (e->nr >= 0 && e->nr < KS_NR_MAX) ?
		sc_info[e->nr & (KS_NR_MAX - 1)] : 0;
	__u32 parg = info & KS_SCI_PATH_MASK;

	e->xflags &= ~(KS_XF_PATH | KS_XF_PATH_RETRY);
	e->xflags |= KS_XF_PATH_LOST;
	if (!xb || !(parg == 1 || (parg == 2 && (int)arg_at(e, 0) == -100)))
		return;
	const char *fname = BPF_CORE_READ(bprm, filename);
	long n = bpf_probe_read_kernel_str(xb->path, KS_PATH_MAX, fname);
	char c = 1;

	if (n <= 0)
		return;
	if (n == KS_PATH_MAX)
		bpf_probe_read_kernel(&c, 1, fname + KS_PATH_MAX - 1);
	xb->path_len = n - 1;
	xb->flags = n == KS_PATH_MAX && c ? KS_SC_PATH_TRUNC : 0;
	e->xflags &= ~KS_XF_PATH_LOST;
	e->xflags |= KS_XF_PATH;
}

SEC("raw_tp/sched_process_exec")
int BPF_PROG(ks_proc_exec, struct task_struct *p, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pt, tgid = pt >> 32;
	struct task_struct *task = (void *)bpf_get_current_task();
	struct ks_scratch *s;
	struct ks_exec *r;
	__u32 zk = 0, flen = 0, alen = 0;
	long n;

	exec_path_settle(tid, old_pid, bprm);
	if (!current_wanted(tgid))
		return 0;
	s = bpf_map_lookup_elem(&scratch, &zk);
	if (!s)
		return 0;
	r = (void *)s->buf;
	hdr_fill(&r->hdr, KS_REC_EXEC, bpf_ktime_get_boot_ns(), tid, tgid);
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	r->old_tid = old_pid;
	r->pad = 0;
	bpf_get_current_comm(&r->comm, sizeof(r->comm));

	const char *fname = BPF_CORE_READ(bprm, filename);
	n = bpf_probe_read_kernel_str(s->buf + sizeof(*r), KS_FILENAME_MAX, fname);
	if (n > 0)
		flen = (n - 1) & (KS_FILENAME_MAX - 1);
	if (n == KS_FILENAME_MAX) {
		char c = 1;

		bpf_probe_read_kernel(&c, 1, fname + KS_FILENAME_MAX - 1);
		if (c)
			r->hdr.flags |= KS_EXEC_FNAME_TRUNC;
	}

	__u64 as = BPF_CORE_READ(task, mm, arg_start);
	__u64 ae = BPF_CORE_READ(task, mm, arg_end);
	__u64 al = ae > as ? ae - as : 0;

	/* The area ends with the last argument's NUL: one of exactly
	 * KS_ARGV_MAX bytes loses only that NUL, nothing is cut. */
	if (al > KS_ARGV_MAX - 1) {
		if (al > KS_ARGV_MAX)
			r->hdr.flags |= KS_EXEC_ARGV_TRUNC;
		al = KS_ARGV_MAX - 1;
	}
	alen = al & (KS_ARGV_MAX - 1);
	if (bpf_probe_read_user(s->buf + sizeof(*r) + flen, alen, (void *)as))
		alen = 0;
	r->filename_len = flen;
	r->argv_len = alen;

	__u32 total = (sizeof(*r) + flen + alen + 7) & ~7u;

	if (total > KS_SCRATCH)
		return 0;
	if (bpf_ringbuf_output(&rb, s->buf, total, rb_flags()))
		lost_count(KS_CLASS_PROC);
	return 0;
}

/* The exiting task (current) of a traced process is counted in its
 * `traced` entry until it is freed. */
static __always_inline void dying_add(__u32 tgid, struct task_struct *task)
{
	struct ks_traced *v = bpf_map_lookup_elem(&traced, &tgid);
	__u64 key = (__u64)task;

	if (v && bpf_map_update_elem(&dying, &key, &v->start, BPF_NOEXIST) == 0)
		__sync_fetch_and_add(&v->dying, 1);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(ks_proc_exit, struct task_struct *p)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pt, tgid = pt >> 32;
	struct task_struct *task = (void *)bpf_get_current_task();
	bool group_dead;
	struct ks_inflight *e;
	bool wanted = current_wanted(tgid);

	/* The tracepoint's own answer: the thread that brought signal->live
	 * to 0.  Reading the counter here would also say 0 for a thread that
	 * decremented it first but reached this point last. */
	if (exit_has_group_dead)
		group_dead = ctx[1] & 1;
	else
		group_dead = BPF_CORE_READ(task, signal, live.counter) == 0;

	/* A call that never returns (exit, exit_group, a fatal signal). */
	e = inflight_current(tid);
	if (e) {
		if (emit_syscall && wanted)
			sc_emit(e, tid, tgid, 0, 0);
		e->active = 0;
	}
	bpf_map_delete_elem(&xbufs, &tid);
	filt_forget(tid);
	if (wanted) {
		struct ks_exit *r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);

		if (!r) {
			lost_count(KS_CLASS_PROC);
		} else {
			hdr_fill(&r->hdr, KS_REC_EXIT, bpf_ktime_get_boot_ns(),
				 tid, tgid);
			r->hdr.flags = group_dead ? KS_EXIT_GROUP_DEAD : 0;
			r->exit_code = BPF_CORE_READ(task, exit_code);
			r->ppid = BPF_CORE_READ(task, real_parent, tgid);
			bpf_get_current_comm(&r->comm, sizeof(r->comm));
			bpf_ringbuf_submit(r, rb_flags());
		}
	}
	if (filter_tgid && wanted)
		dying_add(tgid, task);
	return 0;
}

/* A task's struct is freed: it has made its final switch and was reaped.
 * Its process leaves the pid filter when its leader is freed and no
 * thread counted in `dying` is left (whichever comes last deletes).  The
 * counts are atomic adds; each side reads the other's after its own add,
 * so at least the last one sees both done. */
SEC("raw_tp/sched_process_free")
int BPF_PROG(ks_proc_free, struct task_struct *p)
{
	__u32 tgid = BPF_CORE_READ(p, tgid);
	__u64 key = (__u64)p, *start;
	struct ks_traced *v;
	bool counted = false, leader;

	if (!filter_tgid)
		return 0;
	v = bpf_map_lookup_elem(&traced, &tgid);
	start = bpf_map_lookup_elem(&dying, &key);
	if (start) {
		counted = v && *start == v->start;
		bpf_map_delete_elem(&dying, &key);
	}
	if (!v)
		return 0;
	/* The leader of this very process (after a non-leader's exec the
	 * old leader is not: its group_leader is the new one). */
	leader = BPF_CORE_READ(p, group_leader) == p &&
		 (!v->start || v->start == BPF_CORE_READ(p, start_boottime));
	if (!counted && !leader)
		return 0;
	if (counted)
		__sync_fetch_and_add(&v->dying, -1);
	if (leader)
		__sync_fetch_and_add(&v->reaped, 1);
	if (*(volatile __u32 *)&v->reaped &&
	    *(volatile __s32 *)&v->dying <= 0)
		bpf_map_delete_elem(&traced, &tgid);
	return 0;
}

/* A thread's comm changed (prctl(PR_SET_NAME), /proc/TID/comm).  Exec
 * renames too, before its own record, which carries the new comm. */
SEC("raw_tp/task_rename")
int BPF_PROG(ks_proc_rename, struct task_struct *task, const char *comm)
{
	struct ks_rename *r;

	if (bpf_core_field_exists(task->in_execve) &&
	    (void *)task == (void *)bpf_get_current_task() &&
	    BPF_CORE_READ_BITFIELD_PROBED(task, in_execve))
		return 0;
	if (!task_wanted(task))
		return 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_PROC);
		return 0;
	}
	hdr_fill(&r->hdr, KS_REC_RENAME, bpf_ktime_get_boot_ns(),
		 BPF_CORE_READ(task, pid), BPF_CORE_READ(task, tgid));
	__builtin_memset(r->comm, 0, sizeof(r->comm));
	bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), comm);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

/* ---- network ------------------------------------------------------------ */

/* Who owns a socket (docs/RECORD.md, "Who a network event belongs to").
 * TCP state changes, retransmits and resets mostly run in softirq context,
 * on whatever task the interrupt or the bottom half found running (on
 * loopback usually the sender, the other end's process), so the current
 * task is never taken as the owner there.  The owner is set where a
 * process acts on the socket itself:
 *
 *   connect()     -> SYN_SENT: the caller
 *   listen()      -> LISTEN: the caller; the listener is also entered in
 *                    `sk_listen` by its address
 *   passive open  LISTEN -> SYN_RECV on the new socket, a copy of its
 *                 listener: the listener's owner, found by the port and
 *                 address (see listen_owner)
 *   send, recv    the caller (bytes are counted in process context)
 *   open before   the process user space found holding it in /proc
 *   the recording (`sk_listen` for listeners, `sk_seed` for connections)
 *
 * and nowhere else (an event's current task is not its owner), and it is
 * forgotten when the socket reaches CLOSE (its memory is reused for
 * other sockets).  The map holds only owners whose events are recorded:
 * the filter is applied once, when the owner is set, so the events of a
 * connection outlive its process (a close finished by the kernel after
 * exit).  Events of sockets with no known owner carry pid 0 and are kept
 * only when nothing is filtered. */

#define TCP_SYN_RECV 3
#define TCP_CLOSE 7
#define KS_OWNER_UNWANTED (~0ull)

/* Connections open before the recording, of processes whose events are
 * recorded (user space fills it; an entry goes when its socket is seen). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct ks_conn_key);
	__type(value, __u64); /* pid << 32 | pid */
} sk_seed SEC(".maps");

/* Set by user space once it has put an entry in sk_seed. */
volatile __u8 sk_seeded;

/* SK's owner if user space found its connection in /proc at the start
 * (then it is recorded in sk_owner), else 0. */
static __always_inline __u64 sk_owner_seeded(const struct sock *sk)
{
	struct ks_conn_key k = {};
	__u64 key = (__u64)sk, *o, owner;

	if (!sk_seeded)
		return 0;

	k.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	k.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	k.sport = __builtin_bswap16(BPF_CORE_READ((struct inet_sock *)sk,
						  inet_sport));
	k.dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (k.family == AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)k.saddr, sk,
				   __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)k.daddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&k.saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&k.daddr, sk, __sk_common.skc_v6_daddr);
	}
	o = bpf_map_lookup_elem(&sk_seed, &k);
	if (!o)
		return 0;
	owner = *o;
	bpf_map_delete_elem(&sk_seed, &k);
	bpf_map_update_elem(&sk_owner, &key, &owner, BPF_ANY);
	return owner;
}

/* SK's recorded owner (tgid << 32 | tid), 0 when unknown. */
static __always_inline __u64 sk_owner_of(const struct sock *sk)
{
	__u64 key = (__u64)sk, *o = bpf_map_lookup_elem(&sk_owner, &key);

	return o ? *o : 0;
}

/* The owner of an event on SK: recorded, else seeded, else 0. */
static __always_inline __u64 sk_owner_known(const struct sock *sk)
{
	__u64 o = sk_owner_of(sk);

	return o ? o : sk_owner_seeded(sk);
}

/* Set SK's owner to OWNER (0: forget it). */
static __always_inline void sk_owner_set(const struct sock *sk, __u64 owner)
{
	__u64 key = (__u64)sk, *o = bpf_map_lookup_elem(&sk_owner, &key);

	if (!owner) {
		if (o)
			bpf_map_delete_elem(&sk_owner, &key);
	} else if (!o || *o != owner) {
		bpf_map_update_elem(&sk_owner, &key, &owner, BPF_ANY);
	}
}

/* The current task acts on SK (process context): it becomes the owner if
 * its events are recorded; else SK is forgotten and KS_OWNER_UNWANTED
 * returned. */
static __always_inline __u64 sk_owner_take(const struct sock *sk)
{
	__u64 pt = bpf_get_current_pid_tgid();

	if (!current_wanted(pt >> 32)) {
		sk_owner_set(sk, 0);
		return KS_OWNER_UNWANTED;
	}
	sk_owner_set(sk, pt);
	return pt;
}

/* The `sk_listen` key of SK: its network namespace, family, bound address
 * and port.  A passive connection's new socket is a copy of its listener
 * (inet_csk_clone_lock): same namespace, family and port. */
static __always_inline void listen_key(const struct sock *sk,
				       struct ks_listen_key *k)
{
	__builtin_memset(k, 0, sizeof(*k));
	k->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	k->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	/* inet_sport, not skc_num: the latter is cleared before the
	 * listener's LISTEN -> CLOSE is traced */
	k->port = __builtin_bswap16(BPF_CORE_READ((struct inet_sock *)sk,
						  inet_sport));
	if (k->family == AF_INET)
		BPF_CORE_READ_INTO((__u32 *)k->addr, sk,
				   __sk_common.skc_rcv_saddr);
	else
		BPF_CORE_READ_INTO(&k->addr, sk, __sk_common.skc_v6_rcv_saddr);
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct ks_listen_key);
	__type(value, struct ks_listen_owner);
} sk_listen SEC(".maps");

/* Is SKP (an entry's listener) still listening on K's port?  Read with
 * probe reads: the socket may be gone and its memory reused. */
static __always_inline bool sk_listens_on(__u64 skp,
					  const struct ks_listen_key *k)
{
	const struct sock *sk = (const void *)skp;

	return BPF_CORE_READ(sk, __sk_common.skc_state) == TCP_LISTEN &&
	       __builtin_bswap16(BPF_CORE_READ((struct inet_sock *)sk,
					       inet_sport)) == k->port;
}

/* SK enters LISTEN, owned by OWNER. */
static __always_inline void listen_add(const struct sock *sk, __u64 owner)
{
	struct ks_listen_key k;
	struct ks_listen_owner v = {
		.sk = (__u64)sk, .tid = (__u32)owner, .pid = owner >> 32,
	}, *old;

	if (!owner || owner == KS_OWNER_UNWANTED)
		return;
	listen_key(sk, &k);
	if (!k.port)
		return; /* listen without bind: the port comes later, unknown */
	old = bpf_map_lookup_elem(&sk_listen, &k);
	if (old && old->sk != v.sk && old->pid != v.pid &&
	    (!old->sk || sk_listens_on(old->sk, &k))) {
		/* another process listens on this address too (SO_REUSEPORT):
		 * which one a connection goes to is not known here */
		old->sk = v.sk;
		old->pid = old->tid = 0;
		return;
	}
	bpf_map_update_elem(&sk_listen, &k, &v, BPF_ANY);
}

/* SK, a listener owned by OWNER, leaves LISTEN (or failed to enter it).
 * A shared entry stays: the others may still listen. */
static __always_inline void listen_del(const struct sock *sk, __u64 owner)
{
	struct ks_listen_key k;
	struct ks_listen_owner *old;

	listen_key(sk, &k);
	old = bpf_map_lookup_elem(&sk_listen, &k);
	/* its own entry, or the one user space found in /proc */
	if (old && old->pid && (old->sk == (__u64)sk ||
				(!old->sk && old->pid == owner >> 32)))
		bpf_map_delete_elem(&sk_listen, &k);
}

/* The owner of listener SK, or of a passive connection's new socket SK:
 * its listener's.  The new socket has its listener's address or, on
 * kernels that set the connection's addresses before tracing its
 * creation (6.13 on), its own local address, which a listener on the
 * wildcard address (0.0.0.0, or :: also for IPv4-mapped connections)
 * does not show: looked up by the exact key, then the wildcard one. */
static __always_inline __u64 listen_owner(const struct sock *sk)
{
	struct ks_listen_key k;
	struct ks_listen_owner *o;

	listen_key(sk, &k);
	o = bpf_map_lookup_elem(&sk_listen, &k);
	if (!o) {
		__builtin_memset(k.addr, 0, sizeof(k.addr));
		o = bpf_map_lookup_elem(&sk_listen, &k);
	}
	if (!o || !o->pid)
		return 0;
	return (__u64)o->pid << 32 | o->tid;
}

/* The owner of state change OLD -> NEW of SK (see above). */
static __always_inline __u64 sk_owner_state(const struct sock *sk, int old,
					    int new)
{
	__u64 o;

	if (new == TCP_SYN_SENT || new == TCP_LISTEN)
		return sk_owner_take(sk);
	if (old == TCP_LISTEN && new == TCP_SYN_RECV) {
		/* a new socket: whatever was known of its memory is stale */
		o = listen_owner(sk);
		sk_owner_set(sk, o);
		return o;
	}
	o = sk_owner_known(sk);
	/* a listener that was listening when recording started */
	if (!o && old == TCP_LISTEN)
		o = listen_owner(sk);
	return o;
}

static __always_inline bool owner_wanted(__u64 owner)
{
	if (owner == KS_OWNER_UNWANTED)
		return false;
	if (!owner)
		return !filter_tgid && !filter_cgroup;
	return true; /* filtered when it was set */
}

static __always_inline struct ks_net *net_begin(const struct sock *sk,
						__u64 owner, __u16 kind)
{
	struct ks_net *r;
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	if (family != AF_INET && family != AF_INET6)
		return NULL;
	if (!owner_wanted(owner))
		return NULL;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_NET);
		return NULL;
	}
	__builtin_memset(r, 0, sizeof(*r));
	hdr_fill(&r->hdr, KS_REC_NET, bpf_ktime_get_boot_ns(), (__u32)owner,
		 owner >> 32);
	r->sock = (__u64)sk ^ sock_key;
	r->kind = kind;
	r->family = family;
	/* inet_sport, not skc_num: the latter is 0 once the socket is
	 * unhashed, so a close would lose its port. */
	r->sport = __builtin_bswap16(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	r->dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET) {
		BPF_CORE_READ_INTO((__u32 *)r->saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO((__u32 *)r->daddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(&r->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&r->daddr, sk, __sk_common.skc_v6_daddr);
	}
	return r;
}

static __always_inline bool sk_is_tcp(const struct sock *sk)
{
	return BPF_CORE_READ(sk, sk_protocol) == IPPROTO_TCP;
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(ks_net_state, const struct sock *sk, int oldstate, int newstate)
{
	struct ks_net *r;
	__u64 owner;

	if (!sk_is_tcp(sk))
		return 0;
	owner = sk_owner_state(sk, oldstate, newstate);
	if (newstate == TCP_LISTEN)
		listen_add(sk, owner);
	else if (oldstate == TCP_LISTEN && newstate == TCP_CLOSE)
		listen_del(sk, owner);
	r = net_begin(sk, owner, KS_NET_STATE);
	if (r) {
		r->old_state = oldstate;
		r->new_state = newstate;
		bpf_ringbuf_submit(r, rb_flags());
	}
	/* The socket's life is over; its memory may become another's. */
	if (newstate == TCP_CLOSE)
		sk_owner_set(sk, 0);
	return 0;
}

SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(ks_net_retransmit, const struct sock *sk)
{
	struct ks_net *r = net_begin(sk, sk_owner_known(sk),
				     KS_NET_RETRANSMIT);

	if (!r)
		return 0;
	r->old_state = r->new_state = BPF_CORE_READ(sk, __sk_common.skc_state);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

/* A reset sent for no socket (a SYN to a closed port): the addresses come
 * from the packet being answered, turned around (local = its destination).
 * No process owns it (the task it runs on is whichever was interrupted):
 * pid 0, recorded only when nothing is filtered. */
static __always_inline int reset_from_skb(const struct sk_buff *skb)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 th = BPF_CORE_READ(skb, transport_header);
	__u64 owner = 0;
	__u8 ver = 0;
	__u16 ports[2] = {};
	struct ks_net *r;

	if (!owner_wanted(owner) || !head)
		return 0;
	bpf_probe_read_kernel(&ver, 1, head + nh);
	ver >>= 4;
	if (ver != 4 && ver != 6)
		return 0;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_NET);
		return 0;
	}
	__builtin_memset(r, 0, sizeof(*r));
	hdr_fill(&r->hdr, KS_REC_NET, bpf_ktime_get_boot_ns(), (__u32)owner,
		 owner >> 32);
	r->kind = KS_NET_RESET_SENT;
	bpf_probe_read_kernel(ports, sizeof(ports), head + th);
	r->sport = __builtin_bswap16(ports[1]);
	r->dport = __builtin_bswap16(ports[0]);
	if (ver == 4) {
		r->family = AF_INET;
		bpf_probe_read_kernel(r->daddr, 4, head + nh + 12);
		bpf_probe_read_kernel(r->saddr, 4, head + nh + 16);
	} else {
		r->family = AF_INET6;
		bpf_probe_read_kernel(r->daddr, 16, head + nh + 8);
		bpf_probe_read_kernel(r->saddr, 16, head + nh + 24);
	}
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

SEC("raw_tp/tcp_send_reset")
int BPF_PROG(ks_net_reset_sent, const struct sock *sk, const struct sk_buff *skb)
{
	struct ks_net *r;

	if (!sk)
		return reset_from_skb(skb);
	r = net_begin(sk, sk_owner_known(sk), KS_NET_RESET_SENT);
	if (!r)
		return 0;
	r->old_state = r->new_state = BPF_CORE_READ(sk, __sk_common.skc_state);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

SEC("raw_tp/tcp_receive_reset")
int BPF_PROG(ks_net_reset_recv, struct sock *sk)
{
	struct ks_net *r = net_begin(sk, sk_owner_known(sk),
				     KS_NET_RESET_RECV);

	if (!r)
		return 0;
	r->old_state = r->new_state = BPF_CORE_READ(sk, __sk_common.skc_state);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

static __always_inline int bytes_emit(struct sock *sk, int ret, int flags,
				      __u16 kind)
{
	struct ks_net *r;

	if (ret <= 0 || (flags & MSG_PEEK) || !sk_is_tcp(sk))
		return 0;
	/* send and recv run in process context, for the caller */
	r = net_begin(sk, sk_owner_take(sk), kind);
	if (!r)
		return 0;
	r->bytes = ret;
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(ks_net_send, struct sock *sk, int ret, int flags)
{
	return bytes_emit(sk, ret, flags, KS_NET_SEND);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(ks_net_recv, struct sock *sk, int ret, int flags)
{
	return bytes_emit(sk, ret, flags, KS_NET_RECV);
}

/* ---- wake ---------------------------------------------------------------- */

/*
 * Wakers.  sched_waking runs in the waker's context; sched_wakeup may run
 * later on the wakee's CPU (a wakeup queued to an idle CPU is finished there
 * from its idle loop or an IPI), so the waker is taken at sched_waking and
 * handed to sched_wakeup through `wakers` (tid -> the last waker; waking and
 * wakeup pair one to one, so the entry a wakeup finds is its own; LRU:
 * entries of gone threads age out with no delete).  The context comes from
 * the CPU's preempt count (NMI, hardirq, serving a softirq, else a task);
 * which interrupt, from per-CPU state the irq, softirq and hrtimer entry and
 * exit tracepoints keep.  Those levels nest (a hardirq interrupts a softirq)
 * but each has its own slot and the preempt count says the innermost, so no
 * stack is needed; hardirq handlers do not nest.  The local timer
 * interrupt has no irq_handler_entry: an hrtimer expiring in hardirq
 * context says "hrtimer".
 */
#define KS_SOFTIRQ_OFFSET 0x00000100 /* set only while serving a softirq */
#define KS_HARDIRQ_MASK 0x000f0000
#define KS_NMI_MASK 0x00f00000

/* x86: where this CPU's preempt count (__preempt_count) lies from its run
 * queue (runqueues), set by user space from BTF (record/percpu.c); 0 when
 * the kernel has no such variable (6.2 to 6.14 kept it in pcpu_hot): then
 * every waker reads as UNKNOWN, with the current task as waker_tid.  A
 * per-CPU variable cannot be named as a ksym here: kernels built without
 * CONFIG_KALLSYMS_ALL do not list its address. */
const volatile __s64 preempt_count_from_rq;

struct ks_waker {
	__u32 tid;
	__u32 irq;
	__u32 ctx;
};

struct ks_irq_cpu {
	__u64 pc_addr;   /* this CPU's preempt count; 0 until found */
	__u32 irq;       /* irq number while in_irq */
	__u8 in_irq;     /* between irq_handler_entry and exit */
	__u8 in_hrtimer; /* in an hrtimer expiry, in hardirq context */
	__u8 in_softirq; /* between softirq_entry and exit */
	__u8 vec;        /* softirq vector while in_softirq */
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);   /* wakee tid */
	__type(value, struct ks_waker);
} wakers SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ks_irq_cpu);
} irq_cpu SEC(".maps");

static __always_inline struct ks_irq_cpu *irq_cpu_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&irq_cpu, &zero);
}

/* *PC := the preempt count of this CPU (S its state); false when not
 * known.  Its address is found once per CPU, from the run queue of the
 * current task's fair-class entity (the CPU it runs on, checked).  The
 * count's top bit is x86's inverted need-resched flag: only the masks
 * below are looked at. */
static __always_inline bool preempt_count_now(struct ks_irq_cpu *s, __u32 *pc)
{
	struct task_struct *t;
	struct rq *rq;

	if (!preempt_count_from_rq || !s)
		return false;
	if (!s->pc_addr) {
		t = (struct task_struct *)bpf_get_current_task();
		if (!bpf_core_field_exists(t->se.cfs_rq))
			return false;
		rq = BPF_CORE_READ(t, se.cfs_rq, rq);
		if (!rq || BPF_CORE_READ(rq, cpu) !=
			   (int)bpf_get_smp_processor_id())
			return false;
		s->pc_addr = (__u64)rq + preempt_count_from_rq;
	}
	return !bpf_probe_read_kernel(pc, sizeof(*pc), (void *)s->pc_addr);
}

/* Who is waking a task now, on this CPU. */
static __always_inline void waker_now(struct ks_waker *w)
{
	struct ks_irq_cpu *s = irq_cpu_get();
	__u32 pc;

	w->tid = 0;
	w->irq = KS_WAKER_IRQ_NONE;
	if (!preempt_count_now(s, &pc)) {
		w->ctx = KS_WAKER_UNKNOWN;
		w->tid = (__u32)bpf_get_current_pid_tgid();
	} else if (pc & KS_NMI_MASK) {
		w->ctx = KS_WAKER_NMI;
	} else if (pc & KS_HARDIRQ_MASK) {
		w->ctx = KS_WAKER_HARDIRQ;
		if (s && s->in_irq)
			w->irq = s->irq;
		else if (s && s->in_hrtimer)
			w->irq = KS_WAKER_IRQ_HRTIMER;
	} else if (pc & KS_SOFTIRQ_OFFSET) {
		w->ctx = KS_WAKER_SOFTIRQ;
		if (s && s->in_softirq)
			w->irq = s->vec;
	} else {
		w->ctx = KS_WAKER_TASK;
		w->tid = (__u32)bpf_get_current_pid_tgid();
	}
}

/* The waker of wakee TID into R: the one sched_waking saw when it ran
 * (WAKING_SEEN; not for a new task, which has no sched_waking), else
 * the current context. */
static __always_inline void waker_fill(struct ks_wakeup *r, __u32 tid,
				       bool waking_seen)
{
	struct ks_waker now, *w = NULL;

	if (waking_seen)
		w = bpf_map_lookup_elem(&wakers, &tid);
	if (!w) {
		waker_now(&now);
		w = &now;
	}
	r->waker_tid = w->tid;
	r->waker_irq = w->irq;
	r->hdr.flags |= (w->ctx & KS_WAKEUP_CTX_MASK) << KS_WAKEUP_CTX_SHIFT;
}

SEC("raw_tp/sched_waking")
int BPF_PROG(ks_sched_waking, struct task_struct *p)
{
	struct ks_waker w;
	__u32 tid;

	if (!task_wanted(p))
		return 0;
	tid = BPF_CORE_READ(p, pid);
	waker_now(&w);
	bpf_map_update_elem(&wakers, &tid, &w, BPF_ANY);
	return 0;
}

SEC("raw_tp/irq_handler_entry")
int BPF_PROG(ks_sched_irq_entry, int irq)
{
	struct ks_irq_cpu *s = irq_cpu_get();

	if (s) {
		s->irq = irq;
		s->in_irq = 1;
	}
	return 0;
}

SEC("raw_tp/irq_handler_exit")
int BPF_PROG(ks_sched_irq_exit)
{
	struct ks_irq_cpu *s = irq_cpu_get();

	if (s)
		s->in_irq = 0;
	return 0;
}

SEC("raw_tp/softirq_entry")
int BPF_PROG(ks_sched_softirq_entry, unsigned int vec)
{
	struct ks_irq_cpu *s = irq_cpu_get();

	if (s) {
		s->vec = vec;
		s->in_softirq = 1;
	}
	return 0;
}

SEC("raw_tp/softirq_exit")
int BPF_PROG(ks_sched_softirq_exit)
{
	struct ks_irq_cpu *s = irq_cpu_get();

	if (s)
		s->in_softirq = 0;
	return 0;
}

/* Only expiries in hardirq context: a soft hrtimer runs in the HRTIMER
 * softirq, and an IPI interrupting it must not read as a timer. */
static __always_inline int hrtimer_mark(__u8 in)
{
	struct ks_irq_cpu *s = irq_cpu_get();
	__u32 pc;

	if (preempt_count_now(s, &pc) && (pc & KS_HARDIRQ_MASK))
		s->in_hrtimer = in;
	return 0;
}

SEC("raw_tp/hrtimer_expire_entry")
int BPF_PROG(ks_sched_hrtimer_entry)
{
	return hrtimer_mark(1);
}

SEC("raw_tp/hrtimer_expire_exit")
int BPF_PROG(ks_sched_hrtimer_exit)
{
	return hrtimer_mark(0);
}
/* ---- signals and OOM kills ---------------------------------------------- */

/* Signals: one record per signal_generate (sent) and signal_deliver (the
 * target takes it: runs its handler, or the default action) of a traced
 * sender or target, and one per OOM victim (oom:mark_victim).  Class proc.
 *
 * The sender of a generate is the current task only when the si_code
 * names a user sender (kill, tkill, sigqueue); anything else (a fault,
 * SIGCHLD, a timer, the OOM killer, a tty) the kernel raised, often in
 * interrupt context or on another task's behalf: sender 0.  A deliver
 * names the sender the siginfo names, for those same codes. */

/* The si_code the tracepoints report: SEND_SIG_NOINFO (0) and
 * SEND_SIG_PRIV (1) are not pointers but say SI_USER and SI_KERNEL. */
static __always_inline int sig_code(const struct kernel_siginfo *info)
{
	if ((unsigned long)info == 0)
		return KS_SI_USER;
	if ((unsigned long)info == 1)
		return KS_SI_KERNEL;
	return BPF_CORE_READ(info, si_code);
}

static __always_inline bool sig_from_user(int code)
{
	return code == KS_SI_USER || code == KS_SI_TKILL || code == KS_SI_QUEUE;
}

/* Reserve a signal record of SIZE bytes (ks_signal or a record that
 * starts with one), TYPE and flags FLAGS, sender TID/TGID: all set but
 * the target. */
static __always_inline struct ks_signal *sig_begin(__u32 size, __u8 type,
						   __u8 flags, __u32 tid,
						   __u32 tgid, int sig,
						   int code)
{
	struct ks_signal *r = bpf_ringbuf_reserve(&rb, size, 0);

	if (!r) {
		lost_count(KS_CLASS_PROC);
		return NULL;
	}
	hdr_fill(&r->hdr, type, bpf_ktime_get_boot_ns(), tid, tgid);
	r->hdr.flags = flags;
	r->sig = sig;
	r->code = code;
	r->result = 0;
	r->pad = 0;
	__builtin_memset(r->sender_comm, 0, sizeof(r->sender_comm));
	return r;
}

SEC("raw_tp/signal_generate")
int BPF_PROG(ks_proc_signal_generate, int sig, struct kernel_siginfo *info,
	     struct task_struct *task, int group, int result)
{
	__u64 id = bpf_get_current_pid_tgid();
	int code = sig_code(info);
	bool user = sig_from_user(code);
	struct ks_signal *r;

	if (!task_wanted(task) && !(user && current_wanted(id >> 32)))
		return 0;
	r = sig_begin(sizeof(*r), KS_REC_SIGNAL, KS_SIGNAL_GENERATE,
		      user ? (__u32)id : 0, user ? id >> 32 : 0, sig, code);
	if (!r)
		return 0;
	if (user)
		bpf_get_current_comm(&r->sender_comm, sizeof(r->sender_comm));
	r->target_tid = BPF_CORE_READ(task, pid);
	r->target_pid = BPF_CORE_READ(task, tgid);
	r->result = result;
	BPF_CORE_READ_STR_INTO(&r->target_comm, task, comm);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

SEC("raw_tp/signal_deliver")
int BPF_PROG(ks_proc_signal_deliver, int sig, struct kernel_siginfo *info,
	     struct k_sigaction *ka)
{
	__u64 id = bpf_get_current_pid_tgid();
	int code = sig_code(info);
	__u32 sender = 0;
	struct ks_signal *r;

	if (!current_wanted(id >> 32))
		return 0;
	if ((unsigned long)info > 1 && sig_from_user(code))
		sender = BPF_CORE_READ(info, _sifields._kill._pid);
	r = sig_begin(sizeof(*r), KS_REC_SIGNAL, KS_SIGNAL_DELIVER, 0, sender,
		      sig, code);
	if (!r)
		return 0;
	r->target_tid = (__u32)id;
	r->target_pid = id >> 32;
	bpf_get_current_comm(&r->target_comm, sizeof(r->target_comm));
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

/* kernfs_node.parent is __parent on recent kernels. */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	struct kernfs_node___old *o = (void *)kn;

	if (bpf_core_field_exists(o->parent))
		return BPF_CORE_READ(o, parent);
	return BPF_CORE_READ(kn, __parent);
}

/* The directory of T's memory cgroup (the nearest one with the memory
 * controller: its css), or of its cgroup v2 without the controller. */
static __always_inline struct kernfs_node *task_memcg_kn(struct task_struct *t)
{
	struct cgroup_subsys_state *css = NULL;

	if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id)) {
		int i = bpf_core_enum_value(enum cgroup_subsys_id,
					    memory_cgrp_id);
		struct css_set *cs = BPF_CORE_READ(t, cgroups);

		bpf_core_read(&css, sizeof(css), &cs->subsys[i]);
	}
	if (css)
		return BPF_CORE_READ(css, cgroup, kn);
	return BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
}

/* OFF as an index into ks_oom_kill.cgroup the verifier can bound. */
static __always_inline __u32 cg_at(__u32 off)
{
	asm volatile("" : "+r"(off)); /* keep clang from dropping the mask */
	return off & (KS_CGROUP_PATH - 1);
}

/* Write KN's path below its hierarchy's root into R ("/" for the root):
 * the names from the root down, KS_CGROUP_DEPTH levels and
 * KS_CGROUP_PATH - 1 bytes at most (else KS_OOM_CGROUP_TRUNC). */
static __always_inline void cgroup_path(struct ks_oom_kill *r,
					struct kernfs_node *kn)
{
	struct kernfs_node *up[KS_CGROUP_DEPTH];
	__u32 n = 0, off = 0;

#pragma clang loop unroll(full)
	for (int i = 0; i < KS_CGROUP_DEPTH; i++) {
		struct kernfs_node *p = kn_parent(kn);

		if (!p)
			break;
		up[i] = kn;
		n++;
		kn = p;
	}
	if (n == KS_CGROUP_DEPTH && kn_parent(kn))
		r->sig.hdr.flags |= KS_OOM_CGROUP_TRUNC;
#pragma clang loop unroll(full)
	for (int i = KS_CGROUP_DEPTH - 1; i >= 0; i--) {
		long m;

		if ((__u32)i >= n)
			continue;
		if (off >= KS_CGROUP_PATH - 1) {
			r->sig.hdr.flags |= KS_OOM_CGROUP_TRUNC;
			break;
		}
		r->cgroup[cg_at(off)] = '/';
		off++;
		m = bpf_probe_read_kernel_str(r->cgroup + cg_at(off),
					      KS_CGROUP_PATH,
					      BPF_CORE_READ(up[i], name));
		if (m > 1)
			off += m - 1;
	}
	if (!n) {
		r->cgroup[0] = '/';
		off = 1;
	}
	if (off > KS_CGROUP_PATH - 1) {
		off = KS_CGROUP_PATH - 1;
		r->sig.hdr.flags |= KS_OOM_CGROUP_TRUNC;
	}
	r->cgroup_len = off;
}

/* The OOM killer chose TASK (it sends it SIGKILL just before, sender 0,
 * unless it was exiting already).  The tracepoint passes the task on
 * recent kernels; where it passes only a pid (older ones) the program is
 * not loaded (session.c). */
SEC("raw_tp/mark_victim")
int BPF_PROG(ks_proc_oom_kill, struct task_struct *task)
{
	struct kernfs_node *kn;
	struct ks_oom_kill *r;

	if (!task_wanted(task))
		return 0;
	r = (void *)sig_begin(sizeof(*r), KS_REC_OOM_KILL, 0, 0, 0, KS_SIGKILL,
			      KS_SI_KERNEL);
	if (!r)
		return 0;
	r->sig.target_tid = BPF_CORE_READ(task, pid);
	r->sig.target_pid = BPF_CORE_READ(task, tgid);
	BPF_CORE_READ_STR_INTO(&r->sig.target_comm, task, comm);
	kn = task_memcg_kn(task);
	__builtin_memset(r->pad, 0, sizeof(r->pad));
	cgroup_path(r, kn);
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}

/* ---- fdname ------------------------------------------------------------- */

/* The syscall numbers of pipe, pipe2 and socketpair (-1: none). */
const volatile __s32 fdpair_nr[3] = { -1, -1, -1 };

/* The inode of the current task's file FD; 0 when it has none. */
static __always_inline __u64 fd_inode(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fda = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	bpf_probe_read_kernel(&f, sizeof(f), &fda[fd]);
	return f ? BPF_CORE_READ(f, f_inode, i_ino) : 0;
}

/* At the return of a successful pipe, pipe2 or socketpair: the two fds it
 * wrote into the caller's array (written just now, so the page is in),
 * for the recorder's fd table.  Written before the call's own record. */
static __always_inline void fd_pair_emit(struct ks_inflight *e, __u32 tid,
					 __u32 tgid, long ret)
{
	struct ks_fdpair *r;
	__u64 arr;

	if (ret != 0 || e->nr < 0)
		return;
	if (e->nr == fdpair_nr[0] || e->nr == fdpair_nr[1])
		arr = e->args[0];
	else if (e->nr == fdpair_nr[2])
		arr = e->args[3];
	else
		return;
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_SYSCALL);
		return;
	}
	hdr_fill(&r->hdr, KS_REC_FDPAIR, bpf_ktime_get_boot_ns(), tid, tgid);
	r->hdr.nr = e->nr;
	if (bpf_probe_read_user(r->fd, sizeof(r->fd), (void *)arr))
		r->fd[0] = r->fd[1] = -1;
	r->ino[0] = fd_inode(r->fd[0]);
	r->ino[1] = fd_inode(r->fd[1]);
	r->args[0] = e->args[0];
	r->args[1] = e->args[1];
	bpf_ringbuf_submit(r, rb_flags());
}

/* ---- block -------------------------------------------------------------- */

/* Block I/O (docs/RECORD.md, "Block I/O"): one record per request, from
 * its issue to the device to its completion, for the whole system.
 *
 *   block_io_start   the request is made from a bio, in the context of the
 *                    task that submitted it (kworkers and jbd2 for
 *                    writeback and the journal): the pairing entry is
 *                    made, with that task
 *   block_rq_issue   handed to the driver: issue time, CPU and sector (an
 *                    entry is made here for requests that had no start:
 *                    the block layer's own flushes, requests queued
 *                    before the recording)
 *   block_rq_merge   the request was merged into another and is freed
 *                    without a completion: its entry goes
 *   block_rq_complete  bytes done; the last one writes the record
 *
 * A request whose completion is seen without an entry (issued before the
 * recording) is written with the kernel's own timestamp of it. */

#define KS_REQ_OP_MASK 0xff
#define KS_REQ_OP_FLUSH 2

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);   /* struct request * */
	__type(value, struct ks_blk_inflight);
} blk_inflight SEC(".maps");

static __always_inline __u32 blk_dev(struct request *rq)
{
	struct gendisk *disk = BPF_CORE_READ(rq, q, disk);

	if (!disk)
		return 0;
	return (__u32)BPF_CORE_READ(disk, major) << 20 |
	       (BPF_CORE_READ(disk, first_minor) & 0xfffff);
}

/* Fill entry E (zeroed by the caller) from RQ at TS, submitter unknown. */
static __always_inline void blk_entry_init(struct ks_blk_inflight *e,
					   struct request *rq, __u64 ts)
{
	e->ts = ts;
	e->cpu = bpf_get_smp_processor_id();
	e->dev = blk_dev(rq);
	e->cmd_flags = BPF_CORE_READ(rq, cmd_flags);
}

static __always_inline int blk_entry_put(__u64 key, struct ks_blk_inflight *e)
{
	if (bpf_map_update_elem(&blk_inflight, &key, e, BPF_ANY) < 0) {
		lost_count(KS_CLASS_BLOCK); /* full: this request is lost */
		return -1;
	}
	return 0;
}

SEC("raw_tp/block_io_start")
int BPF_PROG(ks_block_start, struct request *rq)
{
	__u64 id = bpf_get_current_pid_tgid(), key = (__u64)rq;
	struct ks_blk_inflight e = {};

	/* A request is only made again from a free one: an entry still
	 * here is one whose completion this program never ran for (seen
	 * rarely under load, with no recursion miss counted): lost. */
	if (bpf_map_lookup_elem(&blk_inflight, &key))
		lost_count(KS_CLASS_BLOCK);
	blk_entry_init(&e, rq, bpf_ktime_get_boot_ns());
	e.tid = (__u32)id;
	e.pid = id >> 32;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	blk_entry_put(key, &e);
	return 0;
}

SEC("raw_tp/block_rq_issue")
int BPF_PROG(ks_block_issue, struct request *rq)
{
	__u64 key = (__u64)rq, now = bpf_ktime_get_boot_ns();
	struct ks_blk_inflight *e = bpf_map_lookup_elem(&blk_inflight, &key);
	struct ks_blk_inflight n = {};

	if (!e) {
		blk_entry_init(&n, rq, now);
		if (blk_entry_put(key, &n) < 0)
			return 0;
		e = bpf_map_lookup_elem(&blk_inflight, &key);
		if (!e)
			return 0;
	}
	/* a requeued request is issued again: the last issue counts */
	e->ts = now;
	e->cpu = bpf_get_smp_processor_id();
	e->cmd_flags = BPF_CORE_READ(rq, cmd_flags);
	e->sector = BPF_CORE_READ(rq, __data_len) ? BPF_CORE_READ(rq, __sector) :
						    0;
	e->issued = 1;
	return 0;
}

SEC("raw_tp/block_rq_merge")
int BPF_PROG(ks_block_merge, struct request *rq)
{
	__u64 key = (__u64)rq;

	bpf_map_delete_elem(&blk_inflight, &key);
	return 0;
}

/* The kernel's timestamp of a request issued before the recording: its
 * issue time when the queue keeps one, else when it was made (both on
 * the monotonic clock), on the boot clock; 0 when it has neither. */
static __always_inline __u64 blk_kernel_ts(struct request *rq)
{
	__u64 t = BPF_CORE_READ(rq, io_start_time_ns);

	if (!t)
		t = BPF_CORE_READ(rq, start_time_ns);
	if (!t)
		return 0;
	return t + (bpf_ktime_get_boot_ns() - bpf_ktime_get_ns());
}

/* RQF_FLUSH_SEQ: an enum bit since Linux 6.8, (1 << 4) before. */
static __always_inline __u32 blk_flush_seq(void)
{
	if (bpf_core_enum_value_exists(enum rqf_flags, __RQF_FLUSH_SEQ))
		return 1u << bpf_core_enum_value(enum rqf_flags,
						 __RQF_FLUSH_SEQ);
	return 1u << 4;
}

SEC("raw_tp/block_rq_complete")
int BPF_PROG(ks_block_complete, struct request *rq, blk_status_t error,
	     unsigned int nr_bytes)
{
	__u64 key = (__u64)rq, now = bpf_ktime_get_boot_ns();
	struct ks_blk_inflight *e = bpf_map_lookup_elem(&blk_inflight, &key);
	__u32 left = BPF_CORE_READ(rq, __data_len);
	__u32 flags = BPF_CORE_READ(rq, cmd_flags);
	struct ks_block *r;

	/* Not the last completion: a partial one, or the data part of a
	 * flush sequence (the request is completed again, with no bytes
	 * left, when its flushes are done).  The device's flush itself is
	 * also marked as in a flush sequence, and completes once. */
	if (nr_bytes < left ||
	    ((BPF_CORE_READ(rq, rq_flags) & blk_flush_seq()) &&
	     (flags & KS_REQ_OP_MASK) != KS_REQ_OP_FLUSH)) {
		if (e)
			e->bytes += nr_bytes;
		return 0;
	}
	r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		lost_count(KS_CLASS_BLOCK);
		if (e)
			bpf_map_delete_elem(&blk_inflight, &key);
		return 0;
	}
	__builtin_memset(r, 0, sizeof(*r));
	if (e) {
		hdr_fill(&r->hdr, KS_REC_BLOCK, e->ts, e->tid, e->pid);
		r->hdr.cpu = e->cpu;
		r->sector = e->sector;
		r->bytes = e->bytes + nr_bytes;
		r->dev = e->dev;
		__builtin_memcpy(r->comm, e->comm, sizeof(r->comm));
		bpf_map_delete_elem(&blk_inflight, &key);
	} else {
		__u64 ts = blk_kernel_ts(rq);

		hdr_fill(&r->hdr, KS_REC_BLOCK, ts && ts < now ? ts : now, 0, 0);
		r->sector = left ? BPF_CORE_READ(rq, __sector) : 0;
		r->bytes = nr_bytes;
		r->dev = blk_dev(rq);
	}
	r->dur = now - r->hdr.ts;
	r->cmd_flags = flags;
	r->status = error;
	bpf_ringbuf_submit(r, rb_flags());
	return 0;
}
