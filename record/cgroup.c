/*
 * cgroup.c - the cgroup v2 that --cgroup names: where cgroup v2 is
 * mounted, and a directory's id (what the BPF filter compares with a
 * task's cgroup) and depth.
 */
#include "record/record.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

/* Where cgroup v2 is mounted: /sys/fs/cgroup, or .../unified on hybrid
 * systems. */
void rec_cgroup2_root(char *out, size_t outlen)
{
	FILE *f = fopen("/proc/self/mounts", "re");
	char dev[256], dir[1024], type[64];

	snprintf(out, outlen, "/sys/fs/cgroup");
	if (!f)
		return;
	while (fscanf(f, "%255s %1023s %63s %*[^\n]", dev, dir, type) == 3) {
		if (!strcmp(type, "cgroup2")) {
			snprintf(out, outlen, "%s", dir);
			break;
		}
	}
	fclose(f);
}

/* cgroup v2 id of PATH (absolute, or relative to the cgroup v2 root ROOT):
 * the kernfs node id is the file handle.  PATH must resolve (symlinks and
 * "..") to ROOT or a directory below it on a cgroup2 file system: -ENOTDIR
 * if not, so that "/etc" or "../../etc" is an error, not a filter that
 * matches nothing. */
int rec_cgroup_id(const char *path, const char *root, uint64_t *id,
		  uint32_t *level, char *rel, size_t rellen)
{
	char full[4096], *real = NULL, *rroot = NULL;
	struct {
		struct file_handle fh;
		unsigned char bytes[64];
	} h;
	struct statfs sf;
	struct stat st;
	size_t rl;
	int mount_id, rc = 0;

	if (path[0] == '/' && stat(path, &st) == 0)
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/%s", root,
			 path[0] == '/' ? path + 1 : path);
	if (!(real = realpath(full, NULL)) || !(rroot = realpath(root, NULL))) {
		rc = -errno;
		goto out;
	}
	rl = strlen(rroot);
	if (strncmp(real, rroot, rl) || (real[rl] && real[rl] != '/') ||
	    statfs(real, &sf) < 0 || sf.f_type != CGROUP2_SUPER_MAGIC ||
	    stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
		rc = -ENOTDIR;
		goto out;
	}
	h.fh.handle_bytes = sizeof(h.bytes);
	if (name_to_handle_at(AT_FDCWD, real, &h.fh, &mount_id, 0) < 0) {
		rc = -errno;
		goto out;
	}
	if (h.fh.handle_bytes < sizeof(*id)) {
		rc = -EINVAL;
		goto out;
	}
	memcpy(id, h.fh.f_handle, sizeof(*id));
	/* Its path as /proc/PID/cgroup shows it, and its depth. */
	snprintf(rel, rellen, "/%s", real + rl + strspn(real + rl, "/"));
	*level = 0;
	for (const char *p = rel; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			(*level)++;
out:
	free(real);
	free(rroot);
	return rc;
}
