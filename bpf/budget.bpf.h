/* SPDX-License-Identifier: GPL-2.0 */
/*
 * budget.bpf.h - the kernel half of `kscope record --budget`: shedding
 * detail from syscall records while the recorder is over its budget.
 * Included at the end of kscope.bpf.c.
 *
 * User space (record/budget.c) measures the recorder's cost and rewrites
 * the global `shed` (struct ks_shed, in .bss) while recording:
 *
 *   KS_SHED_PAYLOAD  a fast successful call keeps no strings: its path is
 *                    not read at entry (budget_defer_path) and the record
 *                    is written without path or address (budget_strip);
 *                    payload capture asks budget_payload_off().
 *   KS_SHED_SAMPLE   and fast successful calls are kept 1 in 2^shift, each
 *                    by a random draw (budget_keep: a counter would keep
 *                    the same call of a loop of N calls every time, and
 *                    none of the others); one that changes the
 *                    fd table is still written, as KS_SC_BOOKKEEP, so that
 *                    fd names stay right.
 *
 * Never shed: failed calls (ret < 0), slow calls (dur >= KS_SHED_SLOW_NS),
 * calls in budget_nr with KS_BUDGET_KEEP (fork, exec, exit, signals,
 * connect, accept), and every non-syscall record (sched, proc, signals,
 * net).  Fd-table calls keep their strings.  What is shed is counted
 * exactly, per CPU, syscall and rate, in `shed_dropped`, which user space
 * reads once a second into the trace's shed table.
 */

/* ---- settings ----------------------------------------------------------- */

const volatile __u8 budget_on;
const volatile __u8 budget_nr[KS_NR_MAX]; /* KS_BUDGET_* */

struct ks_shed shed; /* written by user space while recording */

/* ---- maps --------------------------------------------------------------- */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, KS_SHED_SLOTS * KS_NR_MAX);
	__type(key, __u32);
	__type(value, __u64);
} shed_dropped SEC(".maps");

/* ---- decisions ---------------------------------------------------------- */

/* Are payloads and strings being shed?  For the other sections (payload
 * capture): forward-declare it, as kscope.bpf.c does, and take no payload
 * of a fast successful call while it says so. */
static __always_inline bool budget_payload_off(void)
{
	return shed.level >= KS_SHED_PAYLOAD;
}

static __always_inline void shed_count(__u32 slot, __s32 nr)
{
	__u32 k = slot * KS_NR_MAX + ((__u32)nr & (KS_NR_MAX - 1));
	__u64 *v = bpf_map_lookup_elem(&shed_dropped, &k);

	if (v)
		*v += 1;
}

static __always_inline __u8 budget_bits(__s32 nr)
{
	return budget_nr[(__u32)nr & (KS_NR_MAX - 1)];
}

/* May the budget shed from this call at all?  A fast successful call of
 * a known number that is not always kept. */
static __always_inline bool budget_sheddable(struct ks_inflight *e, long ret,
					     __u64 dur)
{
	return budget_on && ret >= 0 && dur < KS_SHED_SLOW_NS &&
	       e->nr >= 0 && e->nr < KS_NR_MAX &&
	       !(budget_bits(e->nr) & KS_BUDGET_KEEP);
}

/* At entry: leave the path of call NR unread for now?  Under string
 * shedding a call that may be shed is read at exit instead, and only when
 * it is kept whole (failed or slow: the KS_XF_PATH_RETRY read). */
static __always_inline bool budget_defer_path(long nr)
{
	return budget_on && budget_payload_off() &&
	       nr >= 0 && nr < KS_NR_MAX &&
	       !(budget_bits(nr) & (KS_BUDGET_KEEP | KS_BUDGET_FDTAB));
}

/* At exit, when the record would carry strings: drop them (1, counted)?
 * NOW = 0 (a call that never returned) keeps them. */
static __always_inline bool budget_strip(struct ks_inflight *e, __u64 now,
					 long ret)
{
	if (!now || !budget_payload_off() ||
	    !budget_sheddable(e, ret, now - e->ts) ||
	    (budget_bits(e->nr) & KS_BUDGET_FDTAB))
		return false;
	shed_count(0, e->nr);
	return true;
}

/* The sampling decision at exit (after any capture filter): KS_KEEP_YES,
 * KS_KEEP_NO (sampled out, counted), or KS_KEEP_BOOK (sampled out and
 * counted, but written for the fd table only). */
static __always_inline int budget_keep(struct ks_inflight *e, long ret,
				       __u64 dur)
{
	__u32 shift = shed.shift;

	if (shed.level < KS_SHED_SAMPLE || !budget_sheddable(e, ret, dur))
		return KS_KEEP_YES;
	if (shift < 1)
		shift = 1;
	if (shift > KS_SHED_SHIFT_MAX)
		shift = KS_SHED_SHIFT_MAX;
	if (!(bpf_get_prandom_u32() & ((1u << shift) - 1)))
		return KS_KEEP_YES;
	shed_count(shift, e->nr);
	return (budget_bits(e->nr) & KS_BUDGET_FDTAB) ? KS_KEEP_BOOK :
							 KS_KEEP_NO;
}
