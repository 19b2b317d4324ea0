/*
 * procfs.c - the /proc snapshot taken when a recording starts, so events of
 * processes that were already running have names, command lines and
 * cgroups.
 *
 *     uint32_t *pids; size_t n;
 *     rec_procfs_pids("/proc", roots, nroots, &pids, &n);  // the trees
 *     for each pid: rec_procfs_read("/proc", pid, &info);
 *                   rec_procfs_threads("/proc", pid, fn, ctx);
 *
 * Processes vanish while we read: a pid whose files are gone gives -ENOENT
 * and the caller skips it.  Start times come from field 22 of stat, clock
 * ticks since boot on the boot clock, converted to ns.
 */
#include "config.h"
#include "record/record.h"
#include "record/redact.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read up to SIZE-1 bytes of PATH; returns bytes read or -errno.  With
 * MORE, *MORE says whether the file held more than that (cut). */
static ssize_t file_read_cut(const char *path, char *buf, size_t size,
			     int *more)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;
	char c;

	if (fd < 0)
		return -errno;
	while ((size_t)total < size - 1 &&
	       (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	if (more)
		*more = (size_t)total == size - 1 && read(fd, &c, 1) == 1;
	close(fd);
	buf[total] = 0;
	return total;
}

static ssize_t file_read(const char *path, char *buf, size_t size)
{
	return file_read_cut(path, buf, size, NULL);
}

/* Parse a stat line: comm (field 2, in parentheses and possibly holding
 * spaces or parentheses), ppid (4) and starttime (22). */
static int stat_parse(const char *buf, char comm[KS_COMM_LEN], uint32_t *ppid,
		      uint64_t *start_ts)
{
	const char *l = strchr(buf, '('), *r = strrchr(buf, ')');
	unsigned long long start;
	int pp;
	char state;

	if (!l || !r || r < l)
		return -EINVAL;
	size_t n = (size_t)(r - l - 1);

	if (n >= KS_COMM_LEN)
		n = KS_COMM_LEN - 1;
	memcpy(comm, l + 1, n);
	comm[n] = 0;
	/* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt
	 * majflt cmajflt utime stime cutime cstime priority nice threads
	 * itrealvalue starttime */
	if (sscanf(r + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
			  "%*d %*d %*d %*d %*d %*d %llu",
		   &state, &pp, &start) != 3)
		return -EINVAL;
	*ppid = pp > 0 ? (uint32_t)pp : 0;
	static long hz;
	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	*start_ts = (uint64_t)start * (1000000000ull / (uint64_t)(hz > 0 ? hz : 100));
	return 0;
}

void rec_cgroup_container(const char *cgroup, char *out, size_t outlen)
{
	/* The longest run of 64 hex digits: docker-<id>.scope, /docker/<id>,
	 * cri-containerd-<id>.scope, crio-<id>, libpod-<id>. */
	out[0] = 0;
	for (const char *p = cgroup; *p; p++) {
		size_t n = 0;

		while (isxdigit((unsigned char)p[n]) && !isupper((unsigned char)p[n]))
			n++;
		if (n == 64 && (p == cgroup || !isxdigit((unsigned char)p[-1]))) {
			snprintf(out, outlen, "%.12s", p);
			return;
		}
		if (n)
			p += n - 1;
	}
}

/* The string in BUF (CAP bytes) redacted as text of categories WHAT. */
static size_t str_redact(const struct redact *rd, unsigned what, char *buf,
			 size_t cap)
{
	return redact_apply(rd, what, buf, strlen(buf), cap);
}

int rec_procfs_read(const char *proc, uint32_t pid, struct rec_proc_info *info,
		    const struct redact *rd)
{
	char path[128], buf[4096];
	ssize_t n;
	int rc, cut = 0;

	memset(info, 0, sizeof(*info));
	info->pid = pid;
	snprintf(path, sizeof(path), "%s/%u/stat", proc, pid);
	if ((n = file_read(path, buf, sizeof(buf))) < 0)
		return (int)n;
	if ((rc = stat_parse(buf, info->comm, &info->ppid, &info->start_ts)) < 0)
		return rc;
	str_redact(rd, 0, info->comm, sizeof(info->comm));
	/* Kernel threads have no exe and an empty cmdline: both stay "". */
	/* Values longer than the buffers end with EV_TRUNC_MARK, in the
	 * room kept for it (readlink fills its buffer when it cuts). */
	snprintf(path, sizeof(path), "%s/%u/exe", proc, pid);
	const size_t exe_keep = sizeof(info->exe) - EV_TRUNC_MARK_LEN - 1;

	const size_t cmd_keep = sizeof(info->cmdline) - EV_TRUNC_MARK_LEN;

	n = readlink(path, info->exe, exe_keep);
	info->exe[n > 0 ? n : 0] = 0;
	str_redact(rd, REDACT_PATHS, info->exe, exe_keep + 1);
	if (n == (ssize_t)exe_keep)
		strcat(info->exe, EV_TRUNC_MARK);
	snprintf(path, sizeof(path), "%s/%u/cmdline", proc, pid);
	n = file_read_cut(path, info->cmdline, cmd_keep, &cut);
	/* argv and env see the arguments apart; patterns see them joined */
	if (n > 0)
		n = (ssize_t)redact_apply(rd, REDACT_ARGV | REDACT_ENV,
					  info->cmdline, (size_t)n, cmd_keep);
	for (ssize_t i = 0; i < n; i++)
		if (!info->cmdline[i])
			info->cmdline[i] = ' ';
	while (!cut && n > 0 && info->cmdline[n - 1] == ' ')
		info->cmdline[--n] = 0;
	str_redact(rd, 0, info->cmdline, cmd_keep);
	if (cut)
		strcat(info->cmdline, EV_TRUNC_MARK);
	snprintf(path, sizeof(path), "%s/%u/cgroup", proc, pid);
	if (file_read(path, buf, sizeof(buf)) > 0) {
		/* cgroup v2: the line "0::/path" */
		char *l = strstr(buf, "0::");

		if (l && (l == buf || l[-1] == '\n')) {
			l += 3;
			l[strcspn(l, "\n")] = 0;
			snprintf(info->cgroup, sizeof(info->cgroup), "%s", l);
			str_redact(rd, 0, info->cgroup, sizeof(info->cgroup));
			rec_cgroup_container(info->cgroup, info->container,
					     sizeof(info->container));
			str_redact(rd, 0, info->container,
				   sizeof(info->container));
		}
	}
	return 0;
}

int rec_procfs_threads(const char *proc, uint32_t pid,
		       int (*fn)(void *ctx, uint32_t tid, const char *comm,
				 uint64_t start_ts),
		       void *ctx)
{
	char path[128], buf[1024], comm[KS_COMM_LEN];
	struct dirent *de;
	uint32_t ppid;
	uint64_t start;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%u/task", proc, pid);
	if (!(d = opendir(path)))
		return -errno;
	while ((de = readdir(d)) && rc >= 0) {
		char *end;
		unsigned long tid = strtoul(de->d_name, &end, 10);

		if (*end || !tid)
			continue;
		snprintf(path, sizeof(path), "%s/%u/task/%lu/stat", proc, pid, tid);
		if (file_read(path, buf, sizeof(buf)) <= 0 ||
		    stat_parse(buf, comm, &ppid, &start) < 0)
			continue;
		rc = fn(ctx, (uint32_t)tid, comm, start);
	}
	closedir(d);
	return rc < 0 ? rc : 0;
}

struct pid_pair {
	uint32_t pid, ppid;
};

int rec_procfs_pids(const char *proc, const uint32_t *roots, size_t nroots,
		    uint32_t **out, size_t *nout)
{
	struct pid_pair *all = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	char path[128], buf[1024], comm[KS_COMM_LEN];
	uint64_t start;
	DIR *d;

	*out = NULL;
	*nout = 0;
	if (!(d = opendir(proc)))
		return -errno;
	while ((de = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);
		uint32_t ppid = 0;

		if (*end || !pid)
			continue;
		if (nroots) {
			snprintf(path, sizeof(path), "%s/%lu/stat", proc, pid);
			if (file_read(path, buf, sizeof(buf)) <= 0 ||
			    stat_parse(buf, comm, &ppid, &start) < 0)
				continue;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 512;
			struct pid_pair *na = realloc(all, ncap * sizeof(*na));

			if (!na) {
				free(all);
				closedir(d);
				return -ENOMEM;
			}
			all = na;
			cap = ncap;
		}
		all[n].pid = (uint32_t)pid;
		all[n].ppid = ppid;
		n++;
	}
	closedir(d);

	uint32_t *res = malloc((n + nroots + 1) * sizeof(*res));
	size_t nres = 0;

	if (!res) {
		free(all);
		return -ENOMEM;
	}
	if (!nroots) {
		for (size_t i = 0; i < n; i++)
			res[nres++] = all[i].pid;
	} else {
		/* Breadth-first over the parent links: res is the queue. */
		for (size_t i = 0; i < nroots; i++)
			res[nres++] = roots[i];
		for (size_t q = 0; q < nres; q++)
			for (size_t i = 0; i < n; i++)
				if (all[i].ppid == res[q] && all[i].pid) {
					res[nres++] = all[i].pid;
					all[i].pid = 0; /* taken */
				}
	}
	free(all);
	*out = res;
	*nout = nres;
	return 0;
}

int rec_procfs_syscall(const char *proc, uint32_t pid, uint32_t tid,
		       struct rec_proc_call *call)
{
	char path[128], buf[512], *p, *end;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%u/task/%u/syscall", proc, pid, tid);
	if ((n = file_read(path, buf, sizeof(buf))) < 0)
		return (int)n;
	/* "NR ARG1 .. ARG6 SP PC" in a call; "-1 SP PC" outside one;
	 * "running" when it is on a CPU now; kernel threads show zeros. */
	long nr = strtol(buf, &end, 10);

	if (end == buf || nr < 0)
		return 0;
	call->nr = (int32_t)nr;
	p = end;
	uint64_t sp, pc;

	for (int i = 0; i < 6; i++) {
		call->args[i] = strtoull(p, &end, 16);
		if (end == p)
			return -EINVAL;
		p = end;
	}
	sp = strtoull(p, &end, 16);
	p = end;
	pc = strtoull(p, &end, 16);
	if (end == p)
		return -EINVAL;
	if (!sp && !pc)
		return 0; /* a kernel thread: no user context, no call */
	/* Where it last ran: field 39 of stat, after the comm's ')'. */
	call->cpu = 0;
	snprintf(path, sizeof(path), "%s/%u/task/%u/stat", proc, pid, tid);
	if (file_read(path, buf, sizeof(buf)) > 0 && (p = strrchr(buf, ')'))) {
		for (int field = 2; field < 39 && p; field++)
			p = strchr(p + 1, ' ');
		if (p)
			call->cpu = (uint32_t)strtoul(p + 1, NULL, 10);
	}
	return 1;
}

ssize_t rec_procfs_user_str(uint32_t pid, uint64_t addr, char *buf,
			    size_t size)
{
	char path[64];
	ssize_t n;
	int fd;

	if (!addr || size < 2)
		return -EFAULT;
	snprintf(path, sizeof(path), "/proc/%u/mem", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	/* The string may end just before an unmapped page: read up to the
	 * page's end when the whole buffer cannot be read. */
	n = pread(fd, buf, size - 1, (off_t)addr);
	if (n < 0) {
		size_t to_page = 4096 - (size_t)(addr & 4095);

		n = pread(fd, buf, to_page < size - 1 ? to_page : size - 1,
			  (off_t)addr);
	}
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = 0;
	return (ssize_t)strlen(buf) < n ? (ssize_t)strlen(buf) : -E2BIG;
}
