// SPDX-License-Identifier: GPL-2.0
/*
 * floor.bpf.c - empty programs on the tracepoints kscope's syscall class
 * uses: what any eBPF recorder pays before it records anything.  Loaded by
 * bench/record-overhead as the baseline ("floor") of the overhead target.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("raw_tp/sys_enter")
int floor_sys_enter(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_exit")
int floor_sys_exit(void *ctx)
{
	return 0;
}
