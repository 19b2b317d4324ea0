/*
 * filter.bpf.h - part of kscope.bpf.c (capture filters: --syscalls,
 * --slower-than, --errors-only, --no-errors, --comm).  Not a header: its
 * programs, maps and helpers are included by kscope.bpf.c at this
 * section's place, so the whole is one BPF object and one skeleton; it
 * uses what kscope.bpf.c defines before it.
 *
 * A call outside the --syscalls set is not even paired at entry, unless
 * it is one record/fdtab.c follows (open, close, dup, ...): those are
 * paired, and at exit, when the filters drop them and they changed the
 * fd table, written flagged KS_SC_BOOKKEEP, for the fd table only, so
 * that the fd names of the calls kept are never stale.  The keep rule
 * itself is bpf/filter.h's, shared with user space.
 *
 * --comm: a process is added to the pid filter (`traced`) when one of
 * its threads takes a listed name, by exec or by a rename; from there on
 * it and what it forks are followed as -p follows.  Within -p or CMD only
 * the processes of those trees may match: they wait in `comm_tree`.
 */
#include "filter.h"

/* ---- capture filters ---------------------------------------------------- */

const volatile __u8 filt_on;        /* any of the syscall filters */
const volatile __u8 filt_syscalls;  /* only the calls in sc_set */
const volatile __u64 sc_set[KS_NR_MAX / 64];
const volatile __u64 sc_bookkeep[KS_NR_MAX / 64]; /* fdtab.c's calls */
const volatile __s32 filt_fcntl_nr = -1;
const volatile __u64 filt_slower_ns;
const volatile __u8 filt_errors;    /* enum ks_errors */
const volatile __u8 comm_mode;      /* KS_COMM_* */
const volatile __u32 comm_count;
/* the names, zero-padded to KS_COMM_LEN bytes, read as two words each */
const volatile __u64 comm_names[KS_COMM_NAMES][KS_COMM_LEN / 8];

/* --comm within -p / CMD: processes of the trees not matched yet, tgid ->
 * start_boottime (as ks_traced.start). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
} comm_tree SEC(".maps");

#define KS_EINPROGRESS 115
#define KS_F_DUPFD 0
#define KS_F_SETFD 2
#define KS_F_DUPFD_CLOEXEC 1030

static __always_inline bool nr_in(const volatile __u64 *set, long nr)
{
	if (nr < 0 || nr >= KS_NR_MAX)
		return false;
	return (set[(nr >> 6) & (KS_NR_MAX / 64 - 1)] >> (nr & 63)) & 1;
}

/* At entry: is call NR to be paired at all? */
static __always_inline bool sc_filter_enter(long nr)
{
	return !filt_syscalls || nr_in(sc_set, nr) || nr_in(sc_bookkeep, nr);
}

/* A dropped call that changed the fd table (as fdtab.c applies calls:
 * the successful ones, and a connect in progress). */
static __always_inline bool sc_bookkeep_needed(struct ks_inflight *e,
					       long ret, __u64 now)
{
	if (!now || !nr_in(sc_bookkeep, e->nr))
		return false;
	if (ret < 0 && ret != -KS_EINPROGRESS)
		return false;
	if (e->nr == filt_fcntl_nr) {
		__u64 cmd = e->args[1];

		return cmd == KS_F_DUPFD || cmd == KS_F_SETFD ||
		       cmd == KS_F_DUPFD_CLOEXEC;
	}
	return true;
}

/* The filters' word on the call in flight in E, at its exit (NOW = 0:
 * it never returns): -1 to drop it, else the record flags to add. */
static __always_inline int sc_filter(struct ks_inflight *e, long ret,
				     __u64 now)
{
	if (!filt_on)
		return 0;
	if (!filt_syscalls || nr_in(sc_set, e->nr)) {
		__u64 dur = (now ? now : bpf_ktime_get_boot_ns()) - e->ts;

		if (ks_filter_keep(now && ks_failed(ret), dur, filt_slower_ns,
				   filt_errors))
			return 0;
	}
	return sc_bookkeep_needed(e, ret, now) ? KS_SC_BOOKKEEP : -1;
}

/* ---- --comm ------------------------------------------------------------- */

/* Is the KS_COMM_LEN bytes, zero-padded, name C one of the --comm names? */
static __always_inline bool comm_listed(const char *c)
{
	__u64 a = 0, b = 0;

	__builtin_memcpy(&a, c, 8);
	__builtin_memcpy(&b, c + 8, 8);
	for (__u32 i = 0; i < KS_COMM_NAMES; i++) {
		if (i >= comm_count)
			break;
		if (a == comm_names[i][0] && b == comm_names[i][1])
			return true;
	}
	return false;
}

/* Process TGID (started at START) has a thread now named C: record it
 * from here on when C is listed.  Every CPU's cached pid-filter answer
 * is dropped, as some may say "not traced" for one of its threads.  (At
 * an exec the process has one thread, running here.  At a rename,
 * another of its threads entering a call on another CPU at this very
 * moment may cache the old answer after the drop, and keep it while it
 * is the last task to call there.) */
static __always_inline void comm_match(__u32 tgid, __u64 start, const char *c)
{
	struct ks_traced v = { .start = start };

	if (comm_mode == KS_COMM_TREE && !bpf_map_lookup_elem(&comm_tree, &tgid))
		return;
	if (!comm_listed(c) || bpf_map_lookup_elem(&traced, &tgid))
		return;
	bpf_map_update_elem(&traced, &tgid, &v, BPF_NOEXIST);
	bpf_map_delete_elem(&comm_tree, &tgid);
	filt_forget(0);
}

/* sched_process_exec: the current task has its new name. */
static __always_inline void filt_comm_exec(__u32 tgid, struct task_struct *t)
{
	char c[KS_COMM_LEN] = {};

	if (comm_mode == KS_COMM_OFF)
		return;
	bpf_get_current_comm(c, sizeof(c));
	comm_match(tgid, BPF_CORE_READ(t, start_boottime), c);
}

/* task_rename: thread T takes the name at NAME (a kernel string). */
static __always_inline void filt_comm_rename(struct task_struct *t,
					     const char *name)
{
	char c[KS_COMM_LEN] = {};

	if (comm_mode == KS_COMM_OFF)
		return;
	bpf_probe_read_kernel_str(c, sizeof(c), name);
	comm_match(BPF_CORE_READ(t, tgid),
		   BPF_CORE_READ(t, group_leader, start_boottime), c);
}

/* sched_process_fork of a new process CTGID (started at START) by PTGID:
 * within the trees, the child of a waiting process waits too. */
static __always_inline void filt_comm_fork(__u32 ptgid, __u32 ctgid,
					   __u64 start)
{
	if (comm_mode != KS_COMM_TREE)
		return;
	if (bpf_map_lookup_elem(&comm_tree, &ptgid))
		bpf_map_update_elem(&comm_tree, &ctgid, &start, BPF_ANY);
	else
		bpf_map_delete_elem(&comm_tree, &ctgid);
}

/* sched_process_free: a waiting process's leader is gone. */
static __always_inline void filt_comm_free(struct task_struct *p)
{
	__u32 tgid = BPF_CORE_READ(p, tgid);
	__u64 *start;

	if (comm_mode != KS_COMM_TREE || BPF_CORE_READ(p, pid) != tgid)
		return;
	start = bpf_map_lookup_elem(&comm_tree, &tgid);
	if (start && *start == BPF_CORE_READ(p, start_boottime))
		bpf_map_delete_elem(&comm_tree, &tgid);
}
