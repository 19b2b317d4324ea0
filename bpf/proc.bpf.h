/*
 * proc.bpf.h - part of kscope.bpf.c (processes: fork, exec, exit, rename).  Not a header: its
 * programs, maps and helpers are included by kscope.bpf.c at this
 * section's place, so the whole is one BPF object and one skeleton; it
 * uses what kscope.bpf.c defines before it.
 */
/* ---- processes ---------------------------------------------------------- */

/* filter.bpf.h (--comm) */
static __always_inline void filt_comm_exec(__u32 tgid, struct task_struct *t);
static __always_inline void filt_comm_rename(struct task_struct *t,
					     const char *name);
static __always_inline void filt_comm_fork(__u32 ptgid, __u32 ctgid,
					   __u64 start);
static __always_inline void filt_comm_free(struct task_struct *p);

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
		filt_comm_fork(ptgid, ctgid,
			       BPF_CORE_READ(child, start_boottime));
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
	filt_comm_exec(tgid, task);
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
			sc_emit(e, tid, tgid, 0, 0, 0);
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

	filt_comm_free(p);
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
	filt_comm_rename(task, comm);
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
