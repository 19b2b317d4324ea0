/*
 * net.bpf.h - part of kscope.bpf.c (network: TCP states, retransmits, resets, bytes, socket owners).  Not a header: its
 * programs, maps and helpers are included by kscope.bpf.c at this
 * section's place, so the whole is one BPF object and one skeleton; it
 * uses what kscope.bpf.c defines before it.
 */
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
