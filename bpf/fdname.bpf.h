/*
 * fdname.bpf.h - part of kscope.bpf.c (fd names: the fds and inodes pipe and socketpair made).  Not a header: its
 * programs, maps and helpers are included by kscope.bpf.c at this
 * section's place, so the whole is one BPF object and one skeleton; it
 * uses what kscope.bpf.c defines before it.
 */
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
