/*
 * signal.bpf.h - part of kscope.bpf.c (signals and OOM kills).  Not a header: its
 * programs, maps and helpers are included by kscope.bpf.c at this
 * section's place, so the whole is one BPF object and one skeleton; it
 * uses what kscope.bpf.c defines before it.
 */
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
