/*
 * outfile.h - an output file or directory that appears whole, under a
 * name that held nothing (or, with force, held a file of ours), and that
 * is never written through a link.
 *
 *     struct outfile of;
 *     if (outfile_create(&of, "t.json", 0, force, err, len) < 0) ...;
 *     FILE *fp = fdopen(of.fd, "w");   // fclose(fp) closes of.fd
 *     ...write...; fclose(fp);
 *     rc = ok ? outfile_commit(&of, err, len) : (outfile_abort(&of), rc);
 *
 * The data goes to a new name beside PATH (".NAME.XXXXXX", made with
 * O_EXCL: mode 0600 for a file, a directory 0700 that only we can write
 * in), and is moved to PATH at commit: without force by renameat2
 * (RENAME_NOREPLACE), so a name that appeared meanwhile, a symbolic link
 * included, is refused and never followed; with force by rename, which
 * replaces the name itself, never what a link points to.  A directory
 * replaced with force is first moved aside and its entries removed with
 * unlinkat (links are removed, not followed).
 *
 * What force may replace is checked at create and again at commit
 * (lstat): for a file, a regular file only; for a directory, a directory
 * (not a link to one) holding nothing but TABLE.csv, TABLE.sql,
 * TABLE.tsv and load.sh entries, as an earlier export left it.  Anything else (a FIFO, a device node, a
 * symbolic link, someone's directory of other files) is refused.
 *
 * A killed export leaves its ".NAME.XXXXXX" behind, never a partial PATH.
 */
#ifndef KSCOPE_OUTFILE_H
#define KSCOPE_OUTFILE_H

#include <stddef.h>

struct outfile {
	char *path;  /* PATH without trailing slashes (malloc'd) */
	char *tmp;   /* the new name beside it (malloc'd) */
	int fd;      /* the new file, or the new directory (O_DIRECTORY);
		      * the caller closes it before commit or abort */
	int dir;     /* a directory */
	int force;   /* replace what is at PATH (see above) */
};

/* Check PATH, make the new file or directory.  0, or -errno with ERR:
 * "'PATH' already exists (use -f to replace it)", "cannot replace
 * 'PATH': ...", "cannot create 'PATH': ...". */
int outfile_create(struct outfile *of, const char *path, int dir, int force,
		   char *err, size_t len);

/* Move the new file or directory to PATH and free OF.  0 or -errno with
 * ERR (then the new name is removed too). */
int outfile_commit(struct outfile *of, char *err, size_t len);

/* Remove the new file or directory (a directory's entries first) and
 * free OF.  Safe on a zeroed or already committed OF. */
void outfile_abort(struct outfile *of);

#endif
