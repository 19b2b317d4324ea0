/*
 * outfile.c - outputs created beside their name and moved there whole
 * (see outfile.h).
 */
#include "config.h"
#include "analyze/output/outfile.h"
#include "analyze/output/textesc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

static const char *kind_of(mode_t m)
{
	return S_ISLNK(m) ? "a symbolic link" : S_ISFIFO(m) ? "a FIFO" :
		S_ISCHR(m) ? "a character device" :
		S_ISBLK(m) ? "a block device" : S_ISDIR(m) ? "a directory" :
		S_ISSOCK(m) ? "a socket" : S_ISREG(m) ? "a file" :
		"not a regular file";
}

/* Is NAME one an export writes: TABLE.csv, TABLE.sql, TABLE.tsv or
 * load.sh? */
static int is_export_file(const char *name)
{
	size_t n = strlen(name);

	return (n > 4 && (!strcmp(name + n - 4, ".csv") ||
			  !strcmp(name + n - 4, ".sql") ||
			  !strcmp(name + n - 4, ".tsv"))) ||
	       !strcmp(name, "load.sh");
}

/* An earlier export: a directory DFD of files is_export_file names (or
 * links so named) only.  0, or -ENOTEMPTY with the first other entry in ERR. */
static int only_export_files(int dfd, const char *path, char *err, size_t len)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	int rc = 0;

	if (!d) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		snprintf(err, len, "cannot read '%s': %s", TEXTESC_Q(path),
			 strerror(-rc));
		return rc;
	}
	while ((e = readdir(d))) {
		struct stat sb;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (is_export_file(e->d_name) &&
		    fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (S_ISREG(sb.st_mode) || S_ISLNK(sb.st_mode)))
			continue;
		snprintf(err, len, "cannot replace '%s': it holds '%s', "
			 "which an export did not write", TEXTESC_Q(path),
			 TEXTESC_Q(e->d_name));
		rc = -ENOTEMPTY;
		break;
	}
	closedir(d);
	return rc;
}

/* May OF replace (or create) its path?  0 or -errno with ERR. */
static int check(struct outfile *of, char *err, size_t len)
{
	struct stat sb;
	int rc;

	if (lstat(of->path, &sb) < 0) {
		if (errno == ENOENT)
			return 0;
		rc = -errno;
		snprintf(err, len, "cannot create '%s': %s",
			 TEXTESC_Q(of->path),
			 strerror(errno));
		return rc;
	}
	if (!of->force) {
		snprintf(err, len, "'%s' already exists (use -f to replace "
			 "it)", TEXTESC_Q(of->path));
		return -EEXIST;
	}
	if (of->dir ? !S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode)) {
		snprintf(err, len, "cannot replace '%s': it is %s (-f replaces "
			 "only %s)", TEXTESC_Q(of->path), kind_of(sb.st_mode),
			 of->dir ?
			 "a directory of an earlier export" :
			 "a regular file");
		return S_ISLNK(sb.st_mode) ? -ELOOP : -EINVAL;
	}
	if (of->dir) {
		int dfd = open(of->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			       O_CLOEXEC);
		if (dfd < 0) {
			rc = -errno;
			snprintf(err, len, "cannot open '%s': %s",
				 TEXTESC_Q(of->path),
				 strerror(errno));
			return rc;
		}
		rc = only_export_files(dfd, of->path, err, len);
		close(dfd);
		return rc;
	}
	return 0;
}

/* Empty the directory at PATH (entries unlinked, never followed) and
 * remove it.  0 or -errno. */
static int remove_dir(const char *path)
{
	int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int fd, rc = 0;
	struct dirent *e;
	DIR *d;

	if (dfd < 0)
		return -errno;
	if ((fd = dup(dfd)) < 0 || !(d = fdopendir(fd))) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		close(dfd);
		return rc;
	}
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    unlinkat(dfd, e->d_name, 0) < 0 && !rc)
			rc = -errno;
	closedir(d);
	close(dfd);
	if (rmdir(path) < 0 && !rc)
		rc = -errno;
	return rc;
}

static void of_free(struct outfile *of)
{
	free(of->path);
	free(of->tmp);
	of->path = of->tmp = NULL;
}

/* "DIR/.NAME.SUFFIXXXXXXX" beside PATH (malloc'd), or NULL. */
static char *beside(const char *path, const char *suffix)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path + 1) : 0;
	size_t n = strlen(path) + strlen(suffix) + 16;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%.*s.%s%s.XXXXXX", (int)dlen, path,
			 path + dlen, suffix);
	return p;
}

int outfile_create(struct outfile *of, const char *path, int dir, int force,
		   char *err, size_t len)
{
	size_t n = strlen(path);
	int rc;

	memset(of, 0, sizeof(*of));
	of->fd = -1;
	of->dir = dir;
	of->force = force;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (!(of->path = strndup(path, n)) ||
	    !(of->tmp = beside(of->path, ""))) {
		of_free(of);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	if ((rc = check(of, err, len)) < 0) {
		of_free(of);
		return rc;
	}
	if (dir) {
		int made = mkdtemp(of->tmp) != NULL;

		if (!made || (of->fd = open(of->tmp, O_RDONLY | O_DIRECTORY |
					    O_NOFOLLOW | O_CLOEXEC)) < 0) {
			rc = -errno;
			snprintf(err, len, "cannot create '%s': %s",
				 TEXTESC_Q(of->path),
				 strerror(errno));
			if (made)
				rmdir(of->tmp);
			of_free(of);
			return rc;
		}
	} else if ((of->fd = mkostemp(of->tmp, O_CLOEXEC)) < 0) {
		rc = -errno;
		snprintf(err, len, "cannot create '%s': %s",
			 TEXTESC_Q(of->path),
			 strerror(errno));
		of_free(of);
		return rc;
	}
	return 0;
}

int outfile_commit(struct outfile *of, char *err, size_t len)
{
	char *aside = NULL;
	int rc = 0;

	if (!of->path)
		return 0;
	if ((rc = check(of, err, len)) < 0)
		goto fail;
	if (of->force && of->dir && access(of->path, F_OK) == 0) {
		/* Move the old export aside (over an empty directory of
		 * ours: rename replaces it), the new one in, then empty
		 * the old. */
		if (!(aside = beside(of->path, ".old")) || !mkdtemp(aside) ||
		    rename(of->path, aside) < 0) {
			rc = aside ? -errno : -ENOMEM;
			snprintf(err, len, "cannot replace '%s': %s",
				 TEXTESC_Q(of->path),
				 strerror(-rc));
			if (aside)
				rmdir(aside);
			goto fail;
		}
	}
	if (of->force && !of->dir) {
		rc = rename(of->tmp, of->path) < 0 ? -errno : 0;
	} else {
		rc = renameat2(AT_FDCWD, of->tmp, AT_FDCWD, of->path,
			       RENAME_NOREPLACE) < 0 ? -errno : 0;
		/* A filesystem without RENAME_NOREPLACE: a file can be
		 * linked (which never replaces); a directory is moved
		 * after one more look. */
		if (rc == -EINVAL && !of->dir)
			rc = link(of->tmp, of->path) < 0 ? -errno :
				(unlink(of->tmp), 0);
		else if (rc == -EINVAL && (rc = check(of, err, len)) == 0)
			rc = rename(of->tmp, of->path) < 0 ? -errno : 0;
	}
	if (rc < 0) {
		if (rc == -EEXIST)
			snprintf(err, len, "'%s' already exists (use -f to "
				 "replace it)", TEXTESC_Q(of->path));
		else
			snprintf(err, len, "cannot create '%s': %s",
				 TEXTESC_Q(of->path),
				 strerror(-rc));
		if (aside && rename(aside, of->path) == 0) {
			free(aside);
			aside = NULL;
		}
		goto fail;
	}
	if (aside && (rc = remove_dir(aside)) < 0) {
		snprintf(err, len, "wrote '%s', but cannot remove the old "
			 "export moved to '%s': %s", TEXTESC_Q(of->path),
			 TEXTESC_Q(aside),
			 strerror(-rc));
		free(aside);
		of_free(of);
		return rc;
	}
	free(aside);
	of_free(of);
	return 0;
fail:
	free(aside);
	outfile_abort(of);
	return rc;
}

void outfile_abort(struct outfile *of)
{
	if (of->tmp) {
		if (of->dir)
			remove_dir(of->tmp);
		else
			unlink(of->tmp);
	}
	of_free(of);
}
