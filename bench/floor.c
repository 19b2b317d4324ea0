/*
 * floor.c - run a command with empty eBPF programs attached to the
 * tracepoints kscope's syscall class uses (bpf/floor.bpf.c): the cost any
 * eBPF recorder pays before it records anything, the baseline of
 * bench/record-overhead.sh.
 *
 *     bench/floor CMD ARGS...
 */
#include "config.h"
#include "bpf/floor.skel.h"

#include <bpf/libbpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int main(int argc, char **argv)
{
	struct floor_bpf *skel;
	int status = 1;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: floor CMD ARGS...\n");
		return 2;
	}
	libbpf_set_print(quiet);
	skel = floor_bpf__open_and_load();
	if (!skel || floor_bpf__attach(skel) < 0) {
		fprintf(stderr, "floor: cannot load or attach the BPF programs\n");
		floor_bpf__destroy(skel);
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	floor_bpf__destroy(skel);
	return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
