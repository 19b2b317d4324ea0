/*
 * filter.c - the capture filters of `kscope record` on the user side:
 * the syscall set of --syscalls LIST (names and strace-like groups), the
 * --comm names, and the keep rule for the calls user space itself writes
 * (those still in flight at stop).  The BPF side applies the same rule
 * (bpf/filter.bpf.h, bpf/filter.h) to everything else.
 *
 *     struct rec_filter f = { 0 };
 *     rec_filter_syscalls(&f, "file,!close", "x86_64", err, sizeof(err));
 *     rec_filter_has(&f, 257);                 // openat: 1
 *     rec_filter_comm_add(&f, "nginx");
 *     rec_filter_free(&f);
 *
 * LIST is comma-separated: syscall names of ARCH's table (store/systab.c)
 * and group names (`file`, or strace's spelling `%file`), each possibly
 * preceded by `!` to exclude it.  The set is what the included items name
 * (every call when there are none: a list of exclusions only means "all
 * but"), minus what the excluded items name, whatever their order.
 *
 * The groups are strace's classes (-e trace=%file ...), as strace 6.1
 * draws them on x86_64: the lists below are what `strace -e trace=%CLASS`
 * shows of a program making every call of the table
 * (tests/test-record-filt-groups.sh compares them with the installed
 * strace).  A name an arch lacks (open on aarch64) is left out there.
 */
#include "config.h"
#include "record/record.h"
#include "bpf/filter.h"
#include "store/systab.h"
#include "analyze/output/textesc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* name, strace's name when it differs, members (space-separated) */
static const struct rec_scgroup {
	const char *name, *strace, *members;
} groups[] = {
	{ "file", "",
	  "access acct chdir chmod chown chroot creat execve execveat "
	  "faccessat faccessat2 fanotify_mark fchmodat fchownat fsconfig "
	  "fspick futimesat getcwd getxattr inotify_add_watch lchown "
	  "lgetxattr link linkat listxattr llistxattr lremovexattr lsetxattr "
	  "lstat mkdir mkdirat mknod mknodat mount mount_setattr move_mount "
	  "name_to_handle_at newfstatat open open_tree openat openat2 "
	  "pivot_root quotactl readlink readlinkat removexattr rename "
	  "renameat renameat2 rmdir setxattr stat statfs statx swapoff swapon "
	  "symlink symlinkat truncate umount2 unlink unlinkat uselib utime "
	  "utimensat utimes" },
	{ "desc", "",
	  "bpf close copy_file_range creat dup dup2 dup3 epoll_create "
	  "epoll_create1 epoll_ctl epoll_pwait epoll_pwait2 epoll_wait "
	  "eventfd eventfd2 execveat faccessat faccessat2 fadvise64 fallocate "
	  "fanotify_init fanotify_mark fchdir fchmod fchmodat fchown fchownat "
	  "fcntl fdatasync fgetxattr finit_module flistxattr flock "
	  "fremovexattr fsconfig fsetxattr fsmount fsopen fspick fstat "
	  "fstatfs fsync ftruncate futimesat getdents getdents64 "
	  "inotify_add_watch inotify_init inotify_init1 inotify_rm_watch "
	  "io_uring_enter io_uring_register io_uring_setup ioctl "
	  "kexec_file_load landlock_add_rule landlock_create_ruleset "
	  "landlock_restrict_self linkat lseek memfd_create memfd_secret "
	  "mkdirat mknodat mmap mount_setattr move_mount mq_getsetattr "
	  "mq_notify mq_open mq_timedreceive mq_timedsend name_to_handle_at "
	  "newfstatat open open_by_handle_at open_tree openat openat2 "
	  "perf_event_open pidfd_getfd pidfd_open pidfd_send_signal pipe "
	  "pipe2 poll ppoll pread64 preadv preadv2 process_madvise "
	  "process_mrelease pselect6 pwrite64 pwritev pwritev2 quotactl_fd "
	  "read readahead readlinkat readv renameat renameat2 select sendfile "
	  "setns signalfd signalfd4 splice statx symlinkat sync_file_range "
	  "syncfs tee timerfd_create timerfd_gettime timerfd_settime unlinkat "
	  "userfaultfd utimensat vmsplice write writev" },
	{ "net", "network",
	  "accept accept4 bind connect getpeername getpmsg getsockname "
	  "getsockopt listen putpmsg recvfrom recvmmsg recvmsg sendfile "
	  "sendmmsg sendmsg sendto setsockopt shutdown socket socketpair" },
	{ "process", "",
	  "clone clone3 execve execveat exit exit_group fork kill "
	  "pidfd_send_signal rt_sigqueueinfo rt_tgsigqueueinfo tgkill tkill "
	  "vfork wait4 waitid" },
	{ "memory", "",
	  "brk get_mempolicy io_destroy io_setup io_uring_register madvise "
	  "mbind migrate_pages mincore mlock mlock2 mlockall mmap move_pages "
	  "mprotect mremap msync munlock munlockall munmap pkey_mprotect "
	  "remap_file_pages set_mempolicy set_mempolicy_home_node shmat shmdt" },
	{ "ipc", "",
	  "msgctl msgget msgrcv msgsnd semctl semget semop semtimedop shmat "
	  "shmctl shmdt shmget" },
	{ "signal", "",
	  "io_uring_enter kill pause pidfd_send_signal rt_sigaction "
	  "rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn "
	  "rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sigaltstack "
	  "signalfd signalfd4 tgkill tkill" },
	{ "creds", "",
	  "capget capset getegid geteuid getgid getgroups getresgid getresuid "
	  "getuid prctl setfsgid setfsuid setgid setgroups setregid setresgid "
	  "setresuid setreuid setuid" },
	{ "clock", "",
	  "adjtimex clock_adjtime clock_getres clock_gettime clock_settime "
	  "gettimeofday settimeofday time" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void set_add(uint64_t *set, int nr, int add)
{
	if (nr < 0 || nr >= KS_NR_MAX)
		return;
	if (add)
		set[nr / 64] |= 1ull << (nr % 64);
	else
		set[nr / 64] &= ~(1ull << (nr % 64));
}

int rec_filter_has(const struct rec_filter *f, int nr)
{
	if (!f->syscalls)
		return 1;
	return nr >= 0 && nr < KS_NR_MAX &&
	       (f->set[nr / 64] >> (nr % 64) & 1);
}

static const struct rec_scgroup *group_find(const char *name)
{
	int pct = name[0] == '%';

	name += pct;
	for (size_t i = 0; i < NELEM(groups); i++)
		if (!strcmp(groups[i].name, name) ||
		    (groups[i].strace[0] && !strcmp(groups[i].strace, name)))
			return &groups[i];
	return NULL;
}

/* Add (ADD) or remove item NAME of LIST to SET; -1 when unknown. */
static int item_apply(uint64_t *set, const char *name, const char *arch,
		      int add)
{
	const struct rec_scgroup *g = group_find(name);
	int nr;

	if (!strcmp(name, "all")) {
		for (nr = 0; nr <= systab_max(arch) && nr < KS_NR_MAX; nr++)
			if (systab_name(arch, nr))
				set_add(set, nr, add);
		return 0;
	}
	if (!g) {
		nr = systab_nr(arch, name);
		if (nr < 0 || nr >= KS_NR_MAX)
			return -1;
		set_add(set, nr, add);
		return 0;
	}
	for (const char *p = g->members; *p;) {
		size_t n = strcspn(p, " ");
		char one[64];

		snprintf(one, sizeof(one), "%.*s", (int)n, p);
		set_add(set, systab_nr(arch, one), add);
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

int rec_filter_syscalls(struct rec_filter *f, const char *list,
			const char *arch, char *err, size_t errlen)
{
	uint64_t in[KS_NR_MAX / 64] = { 0 }, out[KS_NR_MAX / 64] = { 0 };
	char buf[4096], *tok, *save = NULL;
	int any_in = 0, n = 0;

	if (!arch || systab_max(arch) < 0) {
		snprintf(err, errlen, "--syscalls: no syscall table for "
			 "this machine");
		return -EINVAL;
	}
	if (strlen(list) >= sizeof(buf) || !list[0]) {
		snprintf(err, errlen, "bad syscall list '%s'", TEXTESC_Q(list));
		return -EINVAL;
	}
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		int neg = tok[0] == '!';

		if (item_apply(neg ? out : in, tok + neg, arch, 1) < 0) {
			snprintf(err, errlen, "unknown syscall or group '%s' "
				 "in '%s' (groups: all,file,desc,net,process,"
				 "memory,ipc,signal,creds,clock)",
				 TEXTESC_Q(tok + neg), TEXTESC_Q(list));
			return -EINVAL;
		}
		any_in |= !neg;
	}
	if (!any_in)
		item_apply(in, "all", arch, 1);
	for (size_t i = 0; i < KS_NR_MAX / 64; i++) {
		f->set[i] = in[i] & ~out[i];
		n += __builtin_popcountll(f->set[i]);
	}
	if (!n) {
		snprintf(err, errlen, "syscall list '%s' selects no call",
			 TEXTESC_Q(list));
		return -EINVAL;
	}
	f->syscalls = list;
	return 0;
}

int rec_filter_comm_add(struct rec_filter *f, const char *name)
{
	char (*v)[KS_COMM_LEN];

	if (!name[0] || strchr(name, '\n') || f->ncomm >= KS_COMM_NAMES)
		return -EINVAL;
	v = realloc(f->comm, (f->ncomm + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	f->comm = v;
	/* The kernel keeps the first KS_COMM_LEN - 1 bytes of a name. */
	memset(v[f->ncomm], 0, KS_COMM_LEN);
	strncpy(v[f->ncomm], name, KS_COMM_LEN - 1);
	f->ncomm++;
	return 0;
}

int rec_filter_comm_match(const struct rec_filter *f, const char *comm)
{
	for (size_t i = 0; i < f->ncomm; i++)
		if (!strncmp(f->comm[i], comm, KS_COMM_LEN - 1))
			return 1;
	return 0;
}

struct comm_scan {
	const struct rec_filter *f;
	int hit;
};

static int comm_thread(void *ctx, uint32_t tid, const char *comm,
		       uint64_t start_ts)
{
	struct comm_scan *cs = ctx;

	(void)tid;
	(void)start_ts;
	cs->hit |= rec_filter_comm_match(cs->f, comm);
	return 0;
}

int rec_filter_comm_pids(const struct rec_filter *f, const char *proc,
			 uint32_t *pids, size_t *n)
{
	size_t kept = 0;

	for (size_t i = 0; i < *n; i++) {
		struct comm_scan cs = { f, 0 };

		if (rec_procfs_threads(proc, pids[i], comm_thread, &cs) < 0)
			continue; /* gone meanwhile */
		if (cs.hit)
			pids[kept++] = pids[i];
	}
	*n = kept;
	return 0;
}

int rec_filter_keep(const struct rec_filter *f, int nr, uint64_t dur,
		    int64_t ret, int finished)
{
	return rec_filter_has(f, nr) &&
	       ks_filter_keep(finished && ks_failed(ret), dur, f->slower_ns,
			      f->errors);
}

void rec_filter_free(struct rec_filter *f)
{
	free(f->comm);
	f->comm = NULL;
	f->ncomm = 0;
}
