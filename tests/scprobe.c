/*
 * scprobe.c - make every system call of this machine's table once, none
 * of them for real: a seccomp filter fails each with ENOSYS (but
 * exit_group, to end).  Under `strace -e trace=%CLASS` the calls strace
 * prints are its class's members (tests/test-record-filt-groups.sh).
 *
 *     strace -qq -e trace=%file -o LOG tests/scprobe
 *
 * The arguments are all 0; no call runs, so none can harm.  Numbers
 * without a name in kscope's table (store/systab.c) are skipped.
 */
#include "config.h"
#include "store/systab.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_exit_group, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	const char *arch = systab_host_arch();

	if (!arch) {
		fprintf(stderr, "scprobe: no syscall table for this machine\n");
		return 77;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("scprobe: seccomp");
		return 77;
	}
	for (int nr = 0; nr <= systab_max(arch); nr++)
		if (nr != SYS_exit_group && systab_name(arch, nr))
			syscall(nr, 0, 0, 0, 0, 0, 0);
	syscall(SYS_exit_group, 0);
	return 0;
}
