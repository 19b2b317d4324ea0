// SPDX-License-Identifier: GPL-2.0
/*
 * floor.bpf.c - empty programs on the tracepoints kscope's programs use
 * (one per tracepoint): what any eBPF recorder pays before it records
 * anything.  Loaded by bench/floor, the baseline ("floor") of the
 * recorder's cost benches.  A tracepoint this kernel lacks is skipped at
 * attach, as kscope skips it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

#define FLOOR(tp)				\
	SEC("raw_tp/" #tp)			\
	int floor_##tp(void *ctx)		\
	{					\
		return 0;			\
	}
FLOOR(sys_enter)
FLOOR(sys_exit)
FLOOR(sched_switch)
FLOOR(sched_wakeup)
FLOOR(sched_wakeup_new)
FLOOR(sched_waking)
FLOOR(sched_migrate_task)
FLOOR(sched_process_fork)
FLOOR(sched_process_exec)
FLOOR(sched_process_exit)
FLOOR(sched_process_free)
FLOOR(task_rename)
FLOOR(signal_generate)
FLOOR(signal_deliver)
FLOOR(mark_victim)
FLOOR(inet_sock_set_state)
FLOOR(tcp_retransmit_skb)
FLOOR(tcp_send_reset)
FLOOR(tcp_receive_reset)
FLOOR(sock_send_length)
FLOOR(sock_recv_length)
FLOOR(irq_handler_entry)
FLOOR(irq_handler_exit)
FLOOR(softirq_entry)
FLOOR(softirq_exit)
FLOOR(hrtimer_expire_entry)
FLOOR(hrtimer_expire_exit)
FLOOR(block_io_start)
FLOOR(block_rq_issue)
FLOOR(block_rq_merge)
FLOOR(block_rq_requeue)
FLOOR(block_rq_complete)
