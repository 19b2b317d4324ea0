/*
 * snap.bpf.h - part of kscope.bpf.c (payload snapshots and argument
 * memory).  Not a header: its programs, maps and helpers are included by
 * kscope.bpf.c at this section's place, so the whole is one BPF object
 * and one skeleton; it uses what kscope.bpf.c defines before it.
 *
 * A finished call whose number has a KS_SNAP_* kind in snap_info is
 * written as ks_syscall_ext with a tail (KS_SC_SNAP): argument memory
 * (struct ks_mem items) and the payload, the first min(snaplen, ret)
 * bytes of its data buffer.  Both are read at the call's return, when
 * the kernel has just copied the memory (so its pages are in): the
 * buffer holds what was read, or what was written (the caller's buffer
 * is still there), a pollfd array its revents.  Timeouts that the kernel
 * rewrites with the time left (ppoll, pselect6, select) are read at entry
 * into `snap_ent`.  The bounds the verifier needs come from clamps and
 * masks against KS_SCRATCH.
 */
/* ---- snap --------------------------------------------------------------- */

const volatile __u32 snaplen; /* payload bytes; 0 = none (<= KS_SNAP_MAX) */
const volatile __u8 snap_info[KS_NR_MAX]; /* KS_SNAP_* by syscall number */

#define KS_SOL_SOCKET 1
#define KS_SO_ERROR 4
#define KS_FUTEX_CMD_MASK 0x7f

/* A timeout read at entry, until the exit of the call (by ts). */
struct ks_snap_ent {
	__u64 ts;      /* the call's entry, ks_inflight.ts */
	__s64 v[2];    /* the timespec or timeval */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct ks_snap_ent);
} snap_ent SEC(".maps");

static __always_inline __u8 snap_kind(const struct ks_inflight *e)
{
	return (e->nr >= 0 && e->nr < KS_NR_MAX) ?
		snap_info[e->nr & (KS_NR_MAX - 1)] : 0;
}

/* At entry: keep the timeouts the kernel will overwrite. */
static __always_inline void snap_enter(struct ks_inflight *e, __u32 tid)
{
	__u8 k = snap_kind(e);
	struct ks_snap_ent v;
	const void *up;

	if (k == KS_SNAP_PPOLL)
		up = (const void *)e->args[2];
	else if (k == KS_SNAP_PSELECT || k == KS_SNAP_SELECT)
		up = (const void *)e->args[4];
	else
		return;
	if (!up || bpf_probe_read_user(v.v, sizeof(v.v), up))
		return;
	v.ts = e->ts;
	bpf_map_update_elem(&snap_ent, &tid, &v, BPF_ANY);
}

/* A futex call that waits with a timeout: FUTEX_WAIT, _LOCK_PI,
 * _WAIT_BITSET, _WAIT_REQUEUE_PI, _LOCK_PI2 given a timespec. */
static __always_inline bool futex_timed(const struct ks_inflight *e)
{
	__u64 op = e->args[1] & KS_FUTEX_CMD_MASK;

	return (op == 0 || op == 6 || op == 9 || op == 11 || op == 13) &&
	       e->args[3];
}

/* Whether the call's record carries a tail (decides ks_syscall_ext):
 * the common calls without one (futex wakes, other socket options) keep
 * the short record. */
static __always_inline bool snap_wanted(const struct ks_inflight *e,
					__u64 now, long ret)
{
	__u8 k = snap_kind(e);

	if (!k || !now)
		return false;
	if (k <= KS_SNAP_MSG)
		return snaplen && ret > 0;
	if (k == KS_SNAP_FUTEX)
		return futex_timed(e);
	if (k == KS_SNAP_SOCKOPT)
		return ret == 0 && e->args[1] == KS_SOL_SOCKET &&
		       e->args[2] == KS_SO_ERROR;
	return true;
}

/* The scratch offsets the verifier must see bounded: the fixed record
 * and path and address tails come first, then at most this much memory. */
#define KS_SNAP_MEM_AT_MAX 512
#define KS_SNAP_MEM_MAX (2 * sizeof(struct ks_mem) + 16 + \
			 KS_POLLFD_MAX * 8)
_Static_assert(sizeof(struct ks_syscall_ext) + KS_PATH_MAX + KS_ADDR_MAX <=
	       KS_SNAP_MEM_AT_MAX, "snap tail offset bound");
_Static_assert(KS_SNAP_MEM_AT_MAX + KS_SNAP_MEM_MAX + KS_SNAP_MAX <=
	       KS_SCRATCH, "scratch holds a record with a full tail");

/* Append one item (ARG, KIND, LEN bytes from user UP) at BUF + AT;
 * returns the bytes written (0 when unreadable). */
static __always_inline __u32 mem_item(char *buf, __u32 at, __u8 arg,
				      __u8 kind, __u32 len, const void *up)
{
	struct ks_mem m = { .arg = arg, .kind = kind, .len = len };

	at &= 1023;
	len &= 127;
	if (bpf_probe_read_user(buf + at + sizeof(m), len, up))
		return 0;
	__builtin_memcpy(buf + at, &m, sizeof(m));
	return sizeof(m) + len;
}

/* The item of a timespec (or timeval) read at entry. */
static __always_inline __u32 mem_entry(char *buf, __u32 at, __u8 arg,
				       __u8 kind, struct ks_inflight *e,
				       __u32 tid)
{
	struct ks_snap_ent *v = bpf_map_lookup_elem(&snap_ent, &tid);
	struct ks_mem m = { .arg = arg, .kind = kind, .len = sizeof(v->v) };
	__u32 n = 0;

	if (!v)
		return 0;
	if (v->ts == e->ts) {
		at &= 1023;
		__builtin_memcpy(buf + at, &m, sizeof(m));
		__builtin_memcpy(buf + at + sizeof(m), v->v, sizeof(v->v));
		n = sizeof(m) + sizeof(v->v);
	}
	bpf_map_delete_elem(&snap_ent, &tid);
	return n;
}

/* A pollfd array (arg 0, arg 1 entries), revents as the call left them. */
static __always_inline __u32 mem_pollfd(char *buf, __u32 at,
					struct ks_inflight *e)
{
	__u64 n = e->args[1];
	__u8 kind = KS_MEM_POLLFD;

	if (!e->args[0] || !n)
		return 0;
	if (n > KS_POLLFD_MAX) {
		n = KS_POLLFD_MAX;
		kind |= KS_MEM_CUT;
	}
	return mem_item(buf, at, 0, kind, n * 8, (const void *)e->args[0]);
}

/* Argument memory of the call at BUF + AT; returns its length. */
static __always_inline __u32 snap_mem(char *buf, __u32 at,
				      struct ks_inflight *e, __u32 tid,
				      long ret, __u8 k)
{
	__u32 n = 0;

	switch (k) {
	case KS_SNAP_NANOSLEEP:
		if (e->args[0])
			n = mem_item(buf, at, 0, KS_MEM_TIMESPEC, 16,
				     (const void *)e->args[0]);
		break;
	case KS_SNAP_CLOCK_NANOSLEEP:
		if (e->args[2])
			n = mem_item(buf, at, 2, KS_MEM_TIMESPEC, 16,
				     (const void *)e->args[2]);
		break;
	case KS_SNAP_FUTEX:
		if (futex_timed(e))
			n = mem_item(buf, at, 3, KS_MEM_TIMESPEC, 16,
				     (const void *)e->args[3]);
		break;
	case KS_SNAP_POLL:
		n = mem_pollfd(buf, at, e);
		break;
	case KS_SNAP_PPOLL:
		n = mem_pollfd(buf, at, e);
		n += mem_entry(buf, at + n, 2, KS_MEM_TIMESPEC, e, tid);
		break;
	case KS_SNAP_PSELECT:
		n = mem_entry(buf, at, 4, KS_MEM_TIMESPEC, e, tid);
		break;
	case KS_SNAP_SELECT:
		n = mem_entry(buf, at, 4, KS_MEM_TIMEVAL, e, tid);
		break;
	case KS_SNAP_SOCKOPT: /* the value and its length */
		if (ret == 0 && e->args[1] == KS_SOL_SOCKET &&
		    e->args[2] == KS_SO_ERROR && e->args[3] && e->args[4]) {
			n = mem_item(buf, at, 3, KS_MEM_INT, 4,
				     (const void *)e->args[3]);
			n += mem_item(buf, at + n, 4, KS_MEM_INT, 4,
				      (const void *)e->args[4]);
		}
		break;
	}
	return n;
}

/* The user buffer a payload call read or wrote, and its length. */
static __always_inline const void *snap_buf(struct ks_inflight *e, __u8 k,
					    __u64 *len)
{
	struct { __u64 base, len; } iov = { 0, 0 };
	const void *up = (const void *)e->args[1];

	if (k == KS_SNAP_BUF) {
		*len = e->args[2];
		return up;
	}
	if (k == KS_SNAP_MSG) {
		/* struct msghdr: name, namelen, iov, iovlen, ... */
		struct { __u64 name, namelen, iov, iovlen; } mh;

		if (bpf_probe_read_user(&mh, sizeof(mh), up) || !mh.iovlen)
			return NULL;
		up = (const void *)mh.iov;
	} else if (!e->args[2]) {
		return NULL; /* readv/writev of no vectors */
	}
	if (!up || bpf_probe_read_user(&iov, sizeof(iov), up))
		return NULL;
	*len = iov.len;
	return (const void *)iov.base;
}

/*
 * The tail of the call's record at BUF + AT (AT bounded by
 * KS_SNAP_MEM_AT_MAX): argument memory, then the payload.  Sets *MEM_LEN
 * and *SNAP_LEN; returns the tail's length.
 */
static __always_inline __u32 snap_tail(char *buf, __u32 at,
				       struct ks_inflight *e, __u32 tid,
				       long ret, __u16 *mem_len,
				       __u16 *snap_len)
{
	__u8 k = snap_kind(e);
	__u32 m = 0;
	__u64 n = 0;

	*mem_len = *snap_len = 0;
	if (at > KS_SNAP_MEM_AT_MAX)
		return 0;
	if (k > KS_SNAP_MSG) {
		m = snap_mem(buf, at, e, tid, ret, k);
		if (m > KS_SNAP_MEM_MAX)
			return 0;
		*mem_len = m;
		return m;
	}
	const void *up = snap_buf(e, k, &n);

	if (!up || !snaplen || ret <= 0)
		return 0;
	if (n > (__u64)ret)
		n = ret;
	if (n > snaplen)
		n = snaplen;
	if (n > KS_SNAP_MAX)
		n = KS_SNAP_MAX;
	asm volatile("" : "+r"(n));
	n &= 2 * KS_SNAP_MAX - 1;
	at &= 1023;
	if (!n || bpf_probe_read_user(buf + at, n, up))
		return 0;
	*snap_len = n;
	return n;
}
