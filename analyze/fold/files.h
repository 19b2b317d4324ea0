/*
 * files.h - file activity: per path the calls that named it (any syscall
 * with a path argument), their errors and time, and its opens; the failed
 * opens per (path, errno); per process its opens and the read, write and
 * fsync families.  What `report files` and the TUI's Files view show.
 *
 *     struct fold_files a;
 *     fold_files_init(&a, st);
 *     store_scan(st, EV_SYSCALL, FOLD_FILES_FIELDS, ...);
 *             // per batch: fold_files_batch(&a, b, keep)
 *     ... a.paths.s[i], a.pv[i].opens ...        // every path
 *     ... a.pv[a.named[j]].calls ...             // the paths calls named
 *     ... a.fdnames.s[a.fv[i].name], a.fv[i].writes ...  // i < a.nfv
 *     fold_files_free(&a);
 *
 * A path is the captured string, or "(unreadable)" when the call gave one
 * that could not be read (REPORT_UNREADABLE).  Per path, as per syscall
 * (sysc.h): every call counts in calls, finished calls add their time and
 * their failures to errors.  Opens are the finished calls named open,
 * openat, openat2 and creat on the trace's architecture (an open whose
 * path was not captured counts under ""); the read family (read, pread64,
 * readv, preadv, preadv2) and the write family (write, pwrite64, writev,
 * pwritev, pwritev2) count the bytes their successful calls returned, on
 * any fd; the fsync family (fsync, fdatasync, sync_file_range) its time.
 * Per open file, by the name of the fd a call was given or made (the
 * fd_name column: a path, "tcp A:p->B:q", "pipe:[INODE]" ...; calls whose
 * fd is not named are left out): every call counts in calls, finished
 * ones add their time and failures, and the read, write and fsync
 * families their bytes and time as per process.  So a write loop on fd 3
 * is tied to the file fd 3 was opened on.
 * fold_files_merge adds one trace's accumulator to a merged one: paths by
 * their text, processes by (host, pid), open files by (host, fd name) (a
 * pipe's inode or a socket's endpoints are one host's).
 * Counts and sums are order independent; the pid of a path (the last
 * process that opened it), its last error and a process's comm (its first
 * call's) follow the order batches come in.
 */
#ifndef KSCOPE_FOLD_FILES_H
#define KSCOPE_FOLD_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/fold/counts_int.h"

#define FOLD_FILES_FIELDS \
	(EVM(EVI_SYSCALL_PID) | EVM(EVI_SYSCALL_NR) | EVM(EVI_SYSCALL_RET) | \
	 EVM(EVI_SYSCALL_DUR) | EVM(EVI_SYSCALL_PATH) | \
	 EVM(EVI_SYSCALL_PATH_STATUS) | EVM(EVI_SYSCALL_FD_NAME))

#define FOLD_FILES_NRMAX 1024

struct fold_files_path {	/* parallel to paths.s */
	uint64_t calls, errors, time;	/* every call naming it */
	uint64_t opens, failed;	/* its opens */
	int64_t last_err;	/* the most recent failed open's ret */
	uint32_t pid;		/* the process that opened it last */
	uint32_t host;		/* merged: its host's index; else 0 */
};

struct fold_files_fail {	/* per (path, errno) of failed opens */
	uint32_t path;		/* index in paths */
	int64_t ret;
	uint64_t count;
	uint32_t pid;		/* the first that failed so */
	uint32_t host;		/* merged: its host's index; else 0 */
};

struct fold_files_fd {		/* per (host, fd name) */
	uint32_t name;		/* index in fdnames */
	uint32_t host;		/* merged: its host's index; else 0 */
	uint64_t calls, errors, time;	/* every call on an fd so named */
	uint64_t reads, rbytes, writes, wbytes, syncs, sync_ns;
};

struct fold_files_proc {
	uint32_t pid;
	uint32_t host;		/* merged: its host's index; else 0 */
	uint64_t opens, failed, reads, rbytes, writes, wbytes, syncs;
	uint64_t sync_ns;
	char *comm;		/* owned, may be NULL */
};

struct fold_files {
	struct report_strtab paths;	/* the paths, interned */
	struct fold_files_path *pv;	/* paths.n entries */
	size_t pcap;
	struct fold_files_fail *fails;
	size_t nfails, capfails;
	uint32_t *named;	/* the paths some call named (calls > 0), in
				 * the order first named; the others were
				 * opens without a captured path ("") */
	size_t nnamed, capnamed;
	struct fold_files_proc *procs;
	size_t nprocs, capprocs;
	struct report_strtab fdnames;	/* the fd names, interned */
	struct fold_files_fd *fv;	/* one trace's: parallel to fdnames */
	size_t nfv, fcap;
	uint64_t opens, failed;	/* over every path */
	uint8_t cls[FOLD_FILES_NRMAX];	/* syscall number -> family */
	struct hmap procix, failix, fdix;
};

/* The families of ST's syscall numbers.  0. */
int fold_files_init(struct fold_files *a, struct store *st);
/* 0, -ENOMEM or a store error (store_errmsg). */
int fold_files_batch(struct fold_files *a, const struct store_batch *b,
		     const uint8_t *keep);
/* fold_files_batch for callbacks that take the accumulator as void *
 * (fold_add, report_fold). */
int fold_files_fn(void *acc, const struct store_batch *b, const uint8_t *keep);
void fold_files_free(struct fold_files *a);
/* Add FROM (one trace's) to A (fold_files_init'ed, fed nothing but
 * merges), FROM's processes and open files under host index HOST.  The
 * path's last opener and error, and the comm and first failure kept, are
 * the last trace's and the first's.  0 or -ENOMEM. */
int fold_files_merge(struct fold_files *a, const struct fold_files *from,
		     uint32_t host);

#endif
