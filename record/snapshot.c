/*
 * snapshot.c - snapshots of a --ring recording: on SIGUSR1, on a request
 * of `kscope record --snapshot PID`, or when a --trigger matched
 * (record.c decides when), the ring as it is now becomes a complete
 * trace beside the recording, OUT.snap-N.kscope, while recording goes on.
 *
 *     rec_snap_signals();                       // SIGUSR1 is a request
 *     struct rec_snap *s = rec_snap_new("t.kscope", w, ring);
 *     loop:
 *         rec_snap_collect(s, &kills, &callers);  // requests since
 *         if (rec_snap_wanted(s)) rec_snap_start(s, reason, now_boot);
 *         if (rec_snap_poll(s, &rep)) ... rep.path written (or rep.rc)
 *     rec_snap_free(s);                         // waits for a copy
 *
 * rec_snap_start commits what the writer holds (store_writer_flush) and
 * copies that commit in a thread (store_snapshot_write: a connection of
 * its own, VACUUM INTO), so the main loop goes on draining the kernel
 * ring meanwhile; it is paused only for the commit.  One snapshot runs at
 * a time; requests arriving meanwhile are served by the next one.
 *
 * The request protocol: `kill -USR1` asks for a snapshot, and is told
 * nothing (the recorder's stderr says the file).  `kscope record
 * --snapshot PID` (rec_snap_request) sends SIGUSR1 with sigqueue and the
 * value REC_SNAP_MAGIC; the recorder answers, through a pidfd of the
 * caller taken when the request is collected, with SIGUSR1 carrying N
 * (snapshot N was written: rec_snap_name names it) or a negative errno.
 * A recorder without --ring answers -EOPNOTSUPP.  The caller first checks
 * that PID is recording a trace (the trace's recording lock names PID)
 * whose meta has snapshot_signal, which only --ring recordings write.  It
 * signals through a pidfd of PID taken first, and waits on a signalfd and
 * that pidfd, so that a recorder that exits without answering (a request
 * that came after its last look) ends the wait, zombie or not.
 */
#include "config.h"
#include "record/record.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SNAP_CALLERS 16

/* Requests the handler saw: kill(1)s, and --snapshot callers by pid. */
static volatile sig_atomic_t snap_kills;
static volatile sig_atomic_t snap_ncallers;
static pid_t snap_callers[SNAP_CALLERS];

static void snap_on_signal(int sig, siginfo_t *si, void *uc)
{
	if (si->si_code == SI_QUEUE &&
	    si->si_value.sival_int == REC_SNAP_MAGIC) {
		if (snap_ncallers < SNAP_CALLERS)
			snap_callers[snap_ncallers++] = si->si_pid;
	} else {
		snap_kills++;
	}
}

void rec_snap_signals(void)
{
	struct sigaction sa = { .sa_sigaction = snap_on_signal,
				.sa_flags = SA_SIGINFO | SA_RESTART };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
}

void rec_snap_name(const char *trace, unsigned n, char *out, size_t outlen)
{
	size_t len = strlen(trace);

	if (len > 7 && !strcmp(trace + len - 7, ".kscope"))
		len -= 7;
	snprintf(out, outlen, "%.*s.snap-%u.kscope", (int)len, trace, n);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct rec_snap {
	const char *trace;       /* borrowed */
	struct store_writer *w;  /* borrowed */
	int ring;
	unsigned next;           /* the number the next one tries */
	unsigned kills;          /* kill(1) requests not served yet */
	int waiting[SNAP_CALLERS]; /* pidfds of callers not served yet */
	int nwaiting;
	/* the snapshot running (running: the thread exists) */
	int running;
	atomic_int finished;
	pthread_t thread;
	int callers[SNAP_CALLERS];
	int ncallers;
	unsigned n;
	char reason[512];
	uint64_t started, pause_ns;
	struct rec_snap_report rep;
	struct store_snapshot_opts so;
};

struct rec_snap *rec_snap_new(const char *trace, struct store_writer *w,
			      int ring)
{
	struct rec_snap *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->trace = trace;
	s->w = w;
	s->ring = ring;
	s->next = 1;
	return s;
}

/* SIGUSR1 carrying VALUE, as sigqueue sends it, to the process behind
 * PIDFD: a request or an answer.  0 or -errno. */
static int snap_send(int pidfd, int value)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	return pidfd_send_signal(pidfd, SIGUSR1, &si, 0) < 0 ? -errno : 0;
}

/* Tell the caller behind PIDFD how its request went, and forget it. */
static void snap_answer(int pidfd, int value)
{
	snap_send(pidfd, value);
	close(pidfd);
}

int rec_snap_collect(struct rec_snap *s, unsigned *kills, unsigned *callers)
{
	sigset_t set, old;
	pid_t pids[SNAP_CALLERS];
	int n;

	*kills = *callers = 0;
	if (!snap_kills && !snap_ncallers) /* the usual case: no syscall */
		return 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	*kills = (unsigned)snap_kills;
	n = snap_ncallers;
	memcpy(pids, snap_callers, (size_t)n * sizeof(pids[0]));
	snap_kills = 0;
	snap_ncallers = 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	*callers = (unsigned)n;
	for (int i = 0; i < n; i++) {
		int fd = pidfd_open(pids[i], 0);

		if (fd < 0)
			continue; /* gone: nobody to answer */
		if (!s->ring || s->nwaiting == SNAP_CALLERS)
			snap_answer(fd, s->ring ? -EBUSY : -EOPNOTSUPP);
		else
			s->waiting[s->nwaiting++] = fd;
	}
	if (s->ring)
		s->kills += *kills;
	return *kills || n;
}

int rec_snap_wanted(const struct rec_snap *s)
{
	return s->kills || s->nwaiting;
}

int rec_snap_running(const struct rec_snap *s)
{
	return s->running;
}

static void *snap_thread(void *arg)
{
	struct rec_snap *s = arg;
	struct rec_snap_report *rep = &s->rep;

	rep->rc = store_snapshot_write(s->trace, rep->path, &s->so, &rep->sum,
				       rep->err);
	rep->copy_ns = mono_ns() - s->started;
	atomic_store(&s->finished, 1);
	return NULL;
}

int rec_snap_start(struct rec_snap *s, const char *reason, uint64_t end_ts)
{
	struct rec_snap_report *rep = &s->rep;
	sigset_t all, old;
	int rc;

	if (s->running)
		return -EBUSY;
	s->started = mono_ns();
	/* The copy reads the last commit: everything converted so far. */
	if ((rc = store_writer_flush(s->w)) < 0)
		return rc;
	memset(rep, 0, sizeof(*rep));
	do {
		s->n = s->next++;
		rec_snap_name(s->trace, s->n, rep->path, sizeof(rep->path));
	} while (access(rep->path, F_OK) == 0 && s->next < UINT_MAX);
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	s->so = (struct store_snapshot_opts){
		.of = s->trace, .reason = s->reason, .end_ts = end_ts,
		.dropped = store_writer_dropped(s->w),
	};
	atomic_store(&s->finished, 0);
	/* Signals stay with the main thread: the copy's thread blocks all. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&s->thread, NULL, snap_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return -rc;
	s->running = 1;
	memcpy(s->callers, s->waiting, sizeof(s->waiting));
	s->ncallers = s->nwaiting;
	s->nwaiting = 0;
	s->kills = 0;
	s->pause_ns = mono_ns() - s->started;
	return 0;
}

/* The thread is done: join it, answer its callers, fill REP. */
static void snap_finish(struct rec_snap *s, struct rec_snap_report *rep)
{
	pthread_join(s->thread, NULL);
	s->running = 0;
	s->rep.pause_ns = s->pause_ns;
	s->rep.n = s->n;
	for (int i = 0; i < s->ncallers; i++)
		snap_answer(s->callers[i],
			    s->rep.rc < 0 ? s->rep.rc : (int)s->n);
	s->ncallers = 0;
	*rep = s->rep;
}

int rec_snap_poll(struct rec_snap *s, struct rec_snap_report *rep)
{
	if (!s->running || !atomic_load(&s->finished))
		return 0;
	snap_finish(s, rep);
	return 1;
}

int rec_snap_wait(struct rec_snap *s, struct rec_snap_report *rep)
{
	if (!s->running)
		return 0;
	snap_finish(s, rep);
	return 1;
}

void rec_snap_free(struct rec_snap *s)
{
	struct rec_snap_report rep;

	if (!s)
		return;
	rec_snap_wait(s, &rep);
	for (int i = 0; i < s->nwaiting; i++)
		snap_answer(s->waiting[i], -ECANCELED);
	free(s);
}

/* ---- the caller: kscope record --snapshot PID ---------------------------- */

/* The trace PID is recording, into PATH: one of its open files whose
 * recording lock PID holds.  *ST stays open on it.  0 or -ENOENT. */
static int snap_find_trace(pid_t pid, char *path, size_t len,
			   struct store **st)
{
	char dir[64], link[PATH_MAX + 64], serr[STORE_ERRLEN];
	struct dirent *de;
	struct stat sb;
	DIR *d;
	int rc = -ENOENT;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	if (!(d = opendir(dir)))
		return -errno;
	while (rc < 0 && (de = readdir(d))) {
		ssize_t n;
		size_t ln;

		snprintf(link, sizeof(link), "%s/%s", dir, de->d_name);
		n = readlink(link, path, len - 1);
		if (n <= 0 || path[0] != '/')
			continue;
		path[n] = 0;
		ln = (size_t)n;
		/* its log, index and the reserve are no traces */
		if ((ln > 4 && (!strcmp(path + ln - 4, "-wal") ||
				!strcmp(path + ln - 4, "-shm"))) ||
		    (ln > 10 && !strcmp(path + ln - 10, " (deleted)")) ||
		    stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		if (!(*st = store_open(path, serr)))
			continue;
		if (store_recorder_pid(*st) == pid)
			rc = 0;
		else
			store_close(*st);
	}
	closedir(d);
	return rc;
}

/* Wait on SFD (SIGUSR1, blocked) for the answer of the recorder behind
 * PIDFD, PID: the value it sent, or -ESRCH once it exited without one (a
 * pidfd reads as exited even while the process is a zombie nobody reaps,
 * which kill(PID, 0) does not see). */
static int snap_answer_wait(int sfd, int pidfd, pid_t pid)
{
	struct pollfd pf[2] = { { .fd = sfd, .events = POLLIN },
				{ .fd = pidfd, .events = POLLIN } };
	struct signalfd_siginfo si;

	for (;;) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* Read after the poll: an answer sent before the exit is seen. */
		while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			if (si.ssi_code == SI_QUEUE && (pid_t)si.ssi_pid == pid)
				return si.ssi_int;
		if (pf[1].revents)
			return -ESRCH;
	}
}

int rec_snap_request(pid_t pid, char *name, size_t len, char *err,
		     size_t errlen)
{
	char trace[PATH_MAX];
	struct store *st = NULL;
	sigset_t set, old;
	int rc, ring, pidfd, sfd = -1;

	/* The recorder by a pidfd: its pid cannot be reused meanwhile. */
	if ((pidfd = pidfd_open(pid, 0)) < 0 && errno == ESRCH) {
		snprintf(err, errlen, "no process %d", (int)pid);
		return -ESRCH;
	}
	if (pidfd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot watch process %d: %s", (int)pid,
			 strerror(errno));
		return rc;
	}
	if ((rc = snap_find_trace(pid, trace, sizeof(trace), &st)) < 0) {
		snprintf(err, errlen, "process %d is not recording a trace "
			 "(not a kscope recorder%s)", (int)pid,
			 rc == -EACCES ? ", or not ours to see" : "");
		close(pidfd);
		return rc;
	}
	ring = store_meta(st, "snapshot_signal") != NULL;
	store_close(st);
	if (!ring) {
		snprintf(err, errlen, "process %d records '%.300s' without "
			 "--ring: it takes no snapshots", (int)pid, trace);
		close(pidfd);
		return -EOPNOTSUPP;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	if ((sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot wait for process %d: %s",
			 (int)pid, strerror(errno));
		goto out;
	}
	if ((rc = snap_send(pidfd, REC_SNAP_MAGIC)) < 0) {
		snprintf(err, errlen, "cannot signal process %d: %s", (int)pid,
			 strerror(-rc));
		goto out;
	}
	rc = snap_answer_wait(sfd, pidfd, pid);
	if (rc > 0) {
		rec_snap_name(trace, (unsigned)rc, name, len);
		rc = 0;
	} else if (rc == -ESRCH) {
		snprintf(err, errlen, "process %d exited before the snapshot "
			 "was written", (int)pid);
	} else {
		snprintf(err, errlen, "process %d could not write the "
			 "snapshot: %s (its messages say more)", (int)pid,
			 strerror(-rc));
	}
out:
	if (sfd >= 0)
		close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(pidfd);
	return rc;
}
