/*
 * block.bpf.h - part of kscope.bpf.c (block I/O: requests from issue to completion).  Not a header: its
 * programs, maps and helpers are included by kscope.bpf.c at this
 * section's place, so the whole is one BPF object and one skeleton; it
 * uses what kscope.bpf.c defines before it.
 */
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
 *   block_rq_requeue the driver gave the request back: it will be issued
 *                    again (the entry is marked not issued)
 *   block_rq_merge   the request was merged into another and is freed
 *                    without a completion: its entry goes
 *   block_rq_complete  bytes done; the last one writes the record
 *   ks_block_sweep   not attached: run by the recorder at stop, it drops
 *                    the entries of requests that are no longer in flight
 *
 * A request whose completion is seen without an entry (issued before the
 * recording) is written with the kernel's own timestamp of it.  A
 * completion the program never ran for (the kernel runs no program for
 * events in the context of some tasks, see docs/RECORD.md) leaves its
 * entry behind: it is counted as lost when the request is made or issued
 * again, or by the sweep at stop, never written as still in flight. */

#define KS_REQ_OP_MASK 0xff
#define KS_REQ_OP_FLUSH 2
#define KS_MQ_RQ_IDLE 0 /* enum mq_rq_state: not started, or ended */

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

	/* Issued before and not requeued: the completion of that issue
	 * never reached the program (the block layer's flush request is
	 * issued again and again without a start), so that request is lost
	 * and this is a new one. */
	if (e && e->issued) {
		lost_count(KS_CLASS_BLOCK);
		bpf_map_delete_elem(&blk_inflight, &key);
		e = NULL;
	}
	if (!e) {
		blk_entry_init(&n, rq, now);
		if (blk_entry_put(key, &n) < 0)
			return 0;
		e = bpf_map_lookup_elem(&blk_inflight, &key);
		if (!e)
			return 0;
	}
	e->ts = now; /* a requeued request: the last issue counts */
	e->cpu = bpf_get_smp_processor_id();
	e->cmd_flags = BPF_CORE_READ(rq, cmd_flags);
	e->sector = BPF_CORE_READ(rq, __data_len) ? BPF_CORE_READ(rq, __sector) :
						    0;
	e->issued = 1;
	return 0;
}

SEC("raw_tp/block_rq_requeue")
int BPF_PROG(ks_block_requeue, struct request *rq)
{
	__u64 key = (__u64)rq;
	struct ks_blk_inflight *e = bpf_map_lookup_elem(&blk_inflight, &key);

	if (e)
		e->issued = 0;
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

/* Is the request of entry E still in flight?  Not when it was freed (a
 * free request has no hardware context) or, once issued and not
 * requeued since, when it is idle again: it ended.  A request queued but
 * not issued yet (the empty preflush write among them) is idle too. */
static long blk_sweep_one(struct bpf_map *map, __u64 *key,
			  struct ks_blk_inflight *e, void *ctx)
{
	struct request *rq = (struct request *)*key;

	if (!BPF_CORE_READ(rq, mq_hctx) ||
	    (e->issued && BPF_CORE_READ(rq, state) == KS_MQ_RQ_IDLE)) {
		lost_count(KS_CLASS_BLOCK);
		bpf_map_delete_elem(map, key);
	}
	return 0;
}

/* Run by the recorder (BPF_PROG_TEST_RUN) at stop, before it detaches:
 * the entries left by completions the program did not see go, counted
 * as lost; what remains is in flight. */
SEC("raw_tp")
int BPF_PROG(ks_block_sweep)
{
	bpf_for_each_map_elem(&blk_inflight, blk_sweep_one, NULL, 0);
	return 0;
}
