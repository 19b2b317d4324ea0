/*
 * floor.c - run a command with empty eBPF programs attached to the
 * tracepoints kscope's programs use (bpf/floor.bpf.c): the cost any eBPF
 * recorder pays before it records anything, the baseline ("floor") of
 * bench/record-overhead.sh and bench/record-cost.sh.
 *
 *     bench/floor [-s] CMD ARGS...
 *
 * -s turns the kernel's run-time statistics on while CMD runs (they add
 * two clock reads to every program run, so only for a measuring run) and
 * prints the programs' run time when it exits, on stderr:
 *     floor: run_time_ns=T run_cnt=N
 *     floor: NAME run_time_ns=T run_cnt=N      (each program that ran)
 * A tracepoint the kernel lacks is skipped.
 */
#include "config.h"
#include "bpf/floor.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define FLOOR_MAX_PROGS 64

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* Each program's run time and count, then their sum. */
static void stats_print(struct floor_bpf *skel)
{
	unsigned long long ns = 0, cnt = 0;
	struct bpf_program *p;

	bpf_object__for_each_program(p, skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len) < 0 ||
		    !info.run_cnt)
			continue;
		fprintf(stderr, "floor: %s run_time_ns=%llu run_cnt=%llu\n",
			bpf_program__name(p),
			(unsigned long long)info.run_time_ns,
			(unsigned long long)info.run_cnt);
		ns += info.run_time_ns;
		cnt += info.run_cnt;
	}
	fprintf(stderr, "floor: run_time_ns=%llu run_cnt=%llu\n", ns, cnt);
}

int main(int argc, char **argv)
{
	struct floor_bpf *skel;
	struct bpf_program *p;
	struct bpf_link *links[FLOOR_MAX_PROGS];
	int status = 1, stats = 0, stats_fd = -1, arg = 1, nlinks = 0;
	pid_t pid;

	if (argc > 1 && !strcmp(argv[1], "-s")) {
		stats = 1;
		arg++;
	}
	if (argc <= arg) {
		fprintf(stderr, "usage: floor [-s] CMD ARGS...\n");
		return 2;
	}
	libbpf_set_print(quiet);
	skel = floor_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "floor: cannot load the BPF programs\n");
		return 1;
	}
	if (stats && (stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME)) < 0) {
		fprintf(stderr, "floor: cannot turn run-time statistics on\n");
		floor_bpf__destroy(skel);
		return 1;
	}
	/* One by one: a tracepoint this kernel lacks leaves its program
	 * unattached. */
	bpf_object__for_each_program(p, skel->obj)
		if (nlinks < FLOOR_MAX_PROGS)
			links[nlinks++] = bpf_program__attach(p);
	pid = fork();
	if (pid == 0) {
		execvp(argv[arg], argv + arg);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	if (stats) {
		stats_print(skel);
		close(stats_fd);
	}
	for (int i = 0; i < nlinks; i++)
		bpf_link__destroy(links[i]); /* NULL (not attached) is fine */
	floor_bpf__destroy(skel);
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
