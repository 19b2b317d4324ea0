/*
 * wake.bpf.h - part of kscope.bpf.c (wakers: the context and interrupt of each wakeup).  Not a header: its
 * programs, maps and helpers are included by kscope.bpf.c at this
 * section's place, so the whole is one BPF object and one skeleton; it
 * uses what kscope.bpf.c defines before it.
 */
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
