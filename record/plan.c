/*
 * plan.c - what the recorder captures beyond the six raw arguments, per
 * syscall, by name, resolved to numbers through the store's syscall table
 * for the recording host's arch (store/systab.h).
 *
 *     struct rec_plan plan;
 *     rec_plan_init(&plan, systab_host_arch());
 *     skel->rodata->sc_info[nr] = plan.sci[nr];     // the BPF side
 *     ev.fd = rec_plan_fd(&plan, nr, args, ret);     // the user side
 *     plan.fdop[nr]                                  // fdtab.c's view
 *
 * Syscalls an arch lacks (open on arm64) are simply not in its table.
 */
#include "config.h"
#include "record/record.h"
#include "store/systab.h"

#include <errno.h>
#include <string.h>

/* Calls that take a path: the path argument's index. */
static const struct { const char *name; uint8_t arg; } path_calls[] = {
	{ "open", 0 },       { "openat", 1 },     { "openat2", 1 },
	{ "creat", 0 },      { "execve", 0 },     { "execveat", 1 },
	{ "stat", 0 },       { "lstat", 0 },      { "newfstatat", 1 },
	{ "fstatat64", 1 },  { "statx", 1 },      { "statfs", 0 },
	{ "access", 0 },     { "faccessat", 1 },  { "faccessat2", 1 },
	{ "unlink", 0 },     { "unlinkat", 1 },   { "rename", 0 },
	{ "renameat", 1 },   { "renameat2", 1 },  { "mkdir", 0 },
	{ "mkdirat", 1 },    { "rmdir", 0 },      { "chdir", 0 },
	{ "chroot", 0 },     { "readlink", 0 },   { "readlinkat", 1 },
	{ "truncate", 0 },   { "chmod", 0 },      { "fchmodat", 1 },
	{ "fchmodat2", 1 },  { "chown", 0 },      { "lchown", 0 },
	{ "fchownat", 1 },   { "mknod", 0 },      { "mknodat", 1 },
	{ "symlink", 1 },    { "symlinkat", 2 },  { "link", 0 },
	{ "linkat", 1 },     { "utimes", 0 },     { "utimensat", 1 },
	{ "futimesat", 1 },  { "inotify_add_watch", 1 },
	{ "getxattr", 0 },   { "lgetxattr", 0 },  { "setxattr", 0 },
	{ "lsetxattr", 0 },  { "listxattr", 0 },  { "removexattr", 0 },
	{ "uselib", 0 },     { "swapon", 0 },     { "swapoff", 0 },
	{ "acct", 0 },       { "umount2", 0 },    { "mount", 1 },
	{ "pivot_root", 0 },
};

/* Calls that take or return a socket address: pointer argument (the
 * length, or a pointer to it, follows) and when it is read. */
static const struct { const char *name; uint8_t arg, out; } addr_calls[] = {
	{ "connect", 1, 0 }, { "bind", 1, 0 },    { "sendto", 4, 0 },
	{ "recvfrom", 4, 1 }, { "accept", 1, 1 }, { "accept4", 1, 1 },
};

/* Calls whose first argument is a file descriptor. */
static const char *const fd_arg0_calls[] = {
	"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv",
	"pwritev", "preadv2", "pwritev2", "close", "fstat", "newfstat",
	"lseek", "ioctl", "fcntl", "fsync", "fdatasync", "ftruncate",
	"getdents", "getdents64", "fchmod", "fchown", "fchdir", "flock",
	"sendfile", "connect", "bind", "listen", "accept", "accept4",
	"sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	"shutdown", "getsockname", "getpeername", "setsockopt", "getsockopt",
	"dup", "dup2", "dup3", "epoll_ctl", "epoll_wait", "epoll_pwait",
	"epoll_pwait2", "fstatfs", "fadvise64", "fallocate",
	"sync_file_range", "splice", "tee", "copy_file_range", "fgetxattr",
	"fsetxattr", "flistxattr", "fremovexattr", "readahead", "syncfs",
	"timerfd_settime", "timerfd_gettime", "inotify_add_watch",
	"inotify_rm_watch", "fanotify_mark", "vmsplice", "io_uring_enter",
	"io_uring_register", "fsetxattr", "fstatat64", "ftruncate64",
};

/* Calls that return a new file descriptor. */
static const char *const fd_ret_calls[] = {
	"open", "openat", "openat2", "creat", "socket", "epoll_create",
	"epoll_create1", "eventfd", "eventfd2", "timerfd_create",
	"memfd_create", "memfd_secret", "pidfd_open", "pidfd_getfd",
	"signalfd", "signalfd4", "inotify_init", "inotify_init1",
	"fanotify_init", "perf_event_open", "userfaultfd", "open_tree",
	"fsopen", "fsmount", "open_by_handle_at", "io_uring_setup",
};

/* Calls that change the fd table (record/fdtab.c). */
static const struct { const char *name; uint8_t op; } fd_ops[] = {
	{ "open", REC_FDOP_OPEN },          { "openat", REC_FDOP_OPENAT },
	{ "openat2", REC_FDOP_OPENAT2 },    { "creat", REC_FDOP_CREAT },
	{ "socket", REC_FDOP_SOCKET },      { "socketpair", REC_FDOP_SOCKETPAIR },
	{ "pipe", REC_FDOP_PIPE },          { "pipe2", REC_FDOP_PIPE2 },
	{ "connect", REC_FDOP_CONNECT },    { "bind", REC_FDOP_BIND },
	{ "listen", REC_FDOP_LISTEN },
	{ "accept", REC_FDOP_ACCEPT },      { "accept4", REC_FDOP_ACCEPT4 },
	{ "dup", REC_FDOP_DUP },            { "dup2", REC_FDOP_DUP2 },
	{ "dup3", REC_FDOP_DUP3 },          { "fcntl", REC_FDOP_FCNTL },
	{ "close", REC_FDOP_CLOSE },        { "close_range", REC_FDOP_CLOSE_RANGE },
	{ "chdir", REC_FDOP_CHDIR },        { "fchdir", REC_FDOP_FCHDIR },
	{ "chroot", REC_FDOP_CHROOT },
	{ "epoll_create", REC_FDOP_EPOLL }, { "epoll_create1", REC_FDOP_EPOLL1 },
	{ "eventfd", REC_FDOP_EVENTFD },    { "eventfd2", REC_FDOP_EVENTFD2 },
	{ "timerfd_create", REC_FDOP_TIMERFD },
	{ "signalfd", REC_FDOP_SIGNALFD },  { "signalfd4", REC_FDOP_SIGNALFD4 },
	{ "inotify_init", REC_FDOP_INOTIFY },
	{ "inotify_init1", REC_FDOP_INOTIFY1 },
	{ "pidfd_open", REC_FDOP_PIDFD },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int plan_nr(const char *arch, const char *name)
{
	int nr = systab_nr(arch, name);

	return nr >= 0 && nr < KS_NR_MAX ? nr : -1;
}

int rec_plan_init(struct rec_plan *plan, const char *arch)
{
	int nr;

	memset(plan, 0, sizeof(*plan));
	plan->pair_nr[0] = plan->pair_nr[1] = plan->pair_nr[2] = -1;
	if (!arch || systab_max(arch) < 0)
		return -ENOENT;
	for (size_t i = 0; i < NELEM(path_calls); i++)
		if ((nr = plan_nr(arch, path_calls[i].name)) >= 0)
			plan->sci[nr] = (path_calls[i].arg + 1) & KS_SCI_PATH_MASK;
	for (size_t i = 0; i < NELEM(addr_calls); i++)
		if ((nr = plan_nr(arch, addr_calls[i].name)) >= 0)
			plan->sci[nr] = (addr_calls[i].out ? KS_SCI_ADDR_OUT :
					 KS_SCI_ADDR_IN) |
				(addr_calls[i].arg << KS_SCI_ADDR_ARG_SHIFT);
	for (size_t i = 0; i < NELEM(fd_arg0_calls); i++)
		if ((nr = plan_nr(arch, fd_arg0_calls[i])) >= 0)
			plan->fd[nr] = REC_FD_ARG0;
	for (size_t i = 0; i < NELEM(fd_ret_calls); i++)
		if ((nr = plan_nr(arch, fd_ret_calls[i])) >= 0)
			plan->fd[nr] = REC_FD_RET;
	for (size_t i = 0; i < NELEM(fd_ops); i++)
		if ((nr = plan_nr(arch, fd_ops[i].name)) >= 0)
			plan->fdop[nr] = fd_ops[i].op;
	plan->pair_nr[0] = plan_nr(arch, "pipe");
	plan->pair_nr[1] = plan_nr(arch, "pipe2");
	plan->pair_nr[2] = plan_nr(arch, "socketpair");
	rec_snap_plan(plan, arch);
	return 0;
}

int rec_plan_fd(const struct rec_plan *plan, int nr, const uint64_t *args,
		int64_t ret)
{
	if (nr < 0 || nr >= KS_NR_MAX)
		return -1;
	switch (plan->fd[nr]) {
	case REC_FD_ARG0:
		return (int32_t)args[0];
	case REC_FD_RET:
		return ret >= 0 && ret <= INT32_MAX ? (int)ret : -1;
	default:
		return -1;
	}
}
