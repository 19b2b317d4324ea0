/*
 * fdtab.c - what each fd of each traced process refers to, so that every
 * syscall record can carry its fd's name (syscalls.fd_name).
 *
 *     struct rec_fdtab *t = rec_fdtab_new(&plan);
 *     rec_fdtab_snapshot(t, "/proc", pid);        // processes at start
 *     name = rec_fdtab_call(t, &call);            // per syscall, in order
 *     rec_fdtab_pair(t, &fdpair_record);          // pipe, socketpair
 *     rec_fdtab_tcp(t, pid, ...);                 // TCP state changes
 *     rec_fdtab_fork(t, parent, child);           // new process
 *     rec_fdtab_exec(t, pid, ts);                 // close-on-exec
 *     rec_fdtab_exit(t, pid);                     // last thread gone
 *     rec_fdtab_free(t);
 *
 * Names are written as readlink(/proc/PID/fd/N) prints them for files
 * (absolute paths) and pipes ("pipe:[INODE]"), and as "tcp A:p->B:q",
 * "udp", "unix:/path" for sockets (docs/RECORD.md, "fd names").  A name not known is
 * NULL, never a guess: an fd from before the recording that /proc did not
 * show, a path relative to an unknown directory, a truncated path.
 *
 * One table per process (threads share theirs).  A process made with
 * CLONE_FILES but not CLONE_THREAD shares its parent's table in the
 * kernel; here it gets a copy, as after fork (the two drift apart only if
 * both change their fds afterwards).
 *
 * Paths: a relative one is joined to the process's cwd or the dirfd's
 * name, then resolved as readlink would show it: with realpath(3) in the
 * recorder's own file system view when the process's root directory is
 * the recorder's (same device and inode: not chroot'ed, not in another
 * mount namespace; checked once per process while it runs, inherited at
 * fork, lost at chroot), else lexically ("." and ".." folded, symlinks
 * as the caller spelled them).  Resolutions are cached (up to
 * FDT_REALS_MAX paths, then the cache starts over), so a new path costs
 * one lstat of its last part and a path seen before nothing; a symlink
 * changed during the recording is seen as it was first resolved.  A path
 * whose last part no longer exists when it is converted keeps it as
 * given.
 *
 * Order: syscall records come in the order the calls returned (the BPF
 * side writes them at sys_exit into one ring), which is the order their
 * effects on the table took place.  A call of one thread that entered
 * before another thread's call replaced or closed its fd returns later;
 * each slot therefore keeps the name it had before its last change and
 * the time of that change, and a call is given the name its fd had when
 * the call entered.
 *
 * Memory: a slot array per live process, sized by its highest fd seen (at
 * most FDT_FD_MAX), and one string per open fd; all freed at exit.
 */
#include "config.h"
#include "record/record.h"
#include "store/hmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define FDT_FD_MAX 65536    /* fds above are not followed (unknown) */
#define FDT_NAME_MAX 4096   /* as PATH_MAX */
#define FDT_TCP_RECENT 256  /* TCP state changes kept for connect/accept */
#define FDT_REALS_MAX 8192  /* resolved paths cached */
#define FDT_AT_FDCWD (-100)
#define FDT_CLOEXEC 02000000 /* O_CLOEXEC = SOCK_CLOEXEC = *_CLOEXEC */
#define FDT_F_DUPFD 0
#define FDT_F_SETFD 2
#define FDT_F_DUPFD_CLOEXEC 1030
#define FDT_CLOSE_RANGE_CLOEXEC 4
#define FDT_EINPROGRESS 115
#define FDT_TCP_ESTABLISHED 1
#define FDT_TCP_SYN_SENT 2
#define FDT_TCP_LISTEN 10

enum { CLOEXEC_NO, CLOEXEC_YES, CLOEXEC_UNKNOWN };

struct fd_slot {
	char *name;      /* owned; NULL: unknown (when open) */
	char *old;       /* the name before `since`, owned */
	uint64_t since;  /* when name (or the closing) took effect */
	uint8_t open, old_open, cloexec, pad;
};

enum { ROOT_UNKNOWN, ROOT_OURS, ROOT_OTHER };

struct fd_proc {
	uint32_t pid;
	struct fd_slot *v; /* by fd */
	size_t n;
	char *cwd;         /* owned; NULL when unknown */
	int root;          /* ROOT_*: whether its / is the recorder's */
};

struct tcp_seen {         /* a TCP state change (net events) */
	uint32_t pid;
	uint8_t state;
	char local[56], remote[56]; /* "A:p", "[A]:p" */
};

struct real_path {         /* a path and its resolution */
	char *path, *real;
};

struct rec_fdtab {
	const struct rec_plan *plan;
	struct real_path *reals;  /* the cache of resolved paths */
	size_t nreals, capreals;
	struct hmap realix;       /* hash of path -> index in reals */
	struct fd_proc *p;
	size_t n, cap;
	struct hmap ix;     /* pid -> index in p */
	struct tcp_seen tcp[FDT_TCP_RECENT];
	size_t tcp_pos;
	char out[FDT_NAME_MAX];  /* names the helpers make */
	char keep[FDT_NAME_MAX]; /* a name rec_fdtab_call returns */
};

struct rec_fdtab *rec_fdtab_new(const struct rec_plan *plan)
{
	struct rec_fdtab *t = calloc(1, sizeof(*t));

	if (t)
		t->plan = plan;
	return t;
}

/* Room in *VP (an array of *CAP elements of SIZE bytes) for N elements,
 * the capacity doubled as needed: 0, or -ENOMEM (*VP unchanged). */
static int grow(void *vp, size_t *cap, size_t n, size_t size)
{
	void **v = vp, *nv;
	size_t c = *cap ? *cap : 16;

	if (n <= *cap)
		return 0;
	while (c < n)
		c *= 2;
	if (!(nv = realloc(*v, c * size)))
		return -ENOMEM;
	*v = nv;
	*cap = c;
	return 0;
}

static void proc_clear(struct fd_proc *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].old);
	}
	free(p->v);
	free(p->cwd);
	memset(p, 0, sizeof(*p));
}

static void reals_clear(struct rec_fdtab *t)
{
	for (size_t i = 0; i < t->nreals; i++) {
		free(t->reals[i].path);
		free(t->reals[i].real);
	}
	free(t->reals);
	t->reals = NULL;
	t->nreals = t->capreals = 0;
	hmap_free(&t->realix);
}

void rec_fdtab_free(struct rec_fdtab *t)
{
	if (!t)
		return;
	reals_clear(t);
	for (size_t i = 0; i < t->n; i++)
		proc_clear(&t->p[i]);
	free(t->p);
	hmap_free(&t->ix);
	free(t);
}

size_t rec_fdtab_procs(const struct rec_fdtab *t)
{
	return t->n;
}

static struct fd_proc *proc_get(struct rec_fdtab *t, uint32_t pid)
{
	long i = hmap_index(&t->ix, pid);

	return i >= 0 ? &t->p[i] : NULL;
}

/* PID's table, made empty when new; NULL when out of memory.  The
 * pointer stays valid until the next proc_put or rec_fdtab_exit. */
static struct fd_proc *proc_put(struct rec_fdtab *t, uint32_t pid)
{
	struct fd_proc *p = proc_get(t, pid);

	if (p)
		return p;
	if (grow(&t->p, &t->cap, t->n + 1, sizeof(*t->p)) < 0 ||
	    hmap_put(&t->ix, pid, (uint32_t)t->n) < 0)
		return NULL;
	p = &t->p[t->n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	return p;
}

void rec_fdtab_exit(struct rec_fdtab *t, uint32_t pid)
{
	long i = hmap_index(&t->ix, pid);

	if (i < 0)
		return;
	proc_clear(&t->p[i]);
	hmap_del(&t->ix, pid);
	if ((size_t)i != --t->n) {
		t->p[i] = t->p[t->n];
		hmap_put(&t->ix, t->p[i].pid, (uint32_t)i);
	}
}

/* FD's slot in P, grown to hold it; NULL past FDT_FD_MAX or without
 * memory (the fd is then unknown). */
static struct fd_slot *slot_put(struct fd_proc *p, int fd)
{
	if (fd < 0 || fd >= FDT_FD_MAX)
		return NULL;
	if ((size_t)fd >= p->n) {
		size_t n = p->n;

		if (grow(&p->v, &p->n, (size_t)fd + 1, sizeof(*p->v)) < 0)
			return NULL;
		memset(p->v + n, 0, (p->n - n) * sizeof(*p->v));
	}
	return &p->v[fd];
}

/* FD's name as a call that entered at TS saw it (NULL: unknown). */
static const char *slot_name(const struct fd_proc *p, int fd, uint64_t ts)
{
	const struct fd_slot *s;

	if (!p || fd < 0 || (size_t)fd >= p->n)
		return NULL;
	s = &p->v[fd];
	if (ts < s->since)
		return s->old_open ? s->old : NULL;
	return s->open ? s->name : NULL;
}

/* From TS on, FD is open as NAME (a copy is made; NULL: unknown), or
 * closed when !OPEN. */
static void slot_set(struct fd_proc *p, int fd, uint64_t ts, int open,
		     const char *name, int cloexec)
{
	struct fd_slot *s = slot_put(p, fd);
	char *copy = name ? strdup(name) : NULL;

	if (!s) {
		free(copy);
		return;
	}
	free(s->old);
	s->old = s->name;
	s->old_open = s->open;
	s->name = copy;
	s->open = (uint8_t)open;
	s->since = ts;
	s->cloexec = open ? (uint8_t)cloexec : CLOEXEC_NO;
}

/* Open fd FD of P is from TS on named NAME (a copy is made), when NAME
 * is known. */
static void slot_rename(struct fd_proc *p, int fd, uint64_t ts,
			const char *name)
{
	if (name && fd >= 0 && (size_t)fd < p->n)
		slot_set(p, fd, ts, 1, name, p->v[fd].cloexec);
}

int rec_fdtab_fork(struct rec_fdtab *t, uint32_t parent, uint32_t child)
{
	struct fd_proc *c, *p;
	size_t pi;

	rec_fdtab_exit(t, child); /* a reused pid's leftovers */
	if (!proc_get(t, parent))
		return 0;
	pi = (size_t)hmap_index(&t->ix, parent);
	if (!(c = proc_put(t, child)))
		return -ENOMEM;
	p = &t->p[pi]; /* put may have moved it */
	c->root = p->root;
	if (p->cwd && !(c->cwd = strdup(p->cwd)))
		return -ENOMEM;
	for (size_t fd = 0; fd < p->n; fd++)
		if (p->v[fd].open)
			slot_set(c, (int)fd, 0, 1, p->v[fd].name,
				 p->v[fd].cloexec);
	return 0;
}

void rec_fdtab_exec(struct rec_fdtab *t, uint32_t pid, uint64_t ts)
{
	struct fd_proc *p = proc_get(t, pid);

	if (!p)
		return;
	for (size_t fd = 0; fd < p->n; fd++)
		if (p->v[fd].open && p->v[fd].cloexec != CLOEXEC_NO)
			slot_set(p, (int)fd, ts, 0, NULL, CLOEXEC_NO);
}

/* BASE joined with REL (REL alone when absolute), ".", ".." and repeated
 * slashes folded, into OUT: 0, or -1 when BASE is needed and not known
 * or the result does not fit. */
static int path_join(const char *base, const char *rel, char *out,
		     size_t size)
{
	char tmp[FDT_NAME_MAX];
	size_t n = 0;
	const char *s;

	if (rel[0] != '/') {
		if (!base || base[0] != '/')
			return -1;
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s/%s", base, rel) >=
		    sizeof(tmp))
			return -1;
		rel = tmp;
	}
	for (s = rel; *s;) {
		const char *e;
		size_t l;

		while (*s == '/')
			s++;
		e = strchrnul(s, '/');
		l = (size_t)(e - s);
		if (l == 0 || (l == 1 && s[0] == '.')) {
			/* nothing */
		} else if (l == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--; /* the slash */
		} else {
			if (n + 1 + l + 1 > size)
				return -1;
			out[n++] = '/';
			memcpy(out + n, s, l);
			n += l;
		}
		s = e;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = 0;
	return 0;
}

/* Whether P's root directory is the recorder's (asked of /proc once). */
static int root_ours(struct fd_proc *p)
{
	char path[64];
	struct stat a, b;

	if (p->root == ROOT_UNKNOWN) {
		snprintf(path, sizeof(path), "/proc/%u/root", p->pid);
		p->root = !stat(path, &a) && !stat("/", &b) &&
			  a.st_dev == b.st_dev && a.st_ino == b.st_ino ?
			  ROOT_OURS : ROOT_OTHER;
	}
	return p->root == ROOT_OURS;
}

/* The cached resolution of PATH; NULL when not cached. */
static const char *real_get(const struct rec_fdtab *t, const char *path)
{
	uint32_t ix;

	if (!hmap_get(&t->realix, hmap_hash_str(path), &ix) ||
	    strcmp(t->reals[ix].path, path))
		return NULL;
	return t->reals[ix].real;
}

/* Cache REAL as PATH's resolution: the cached copy, or NULL when out of
 * memory. */
static const char *real_put(struct rec_fdtab *t, const char *path,
			    const char *real)
{
	struct real_path *r;

	if (t->nreals == FDT_REALS_MAX)
		reals_clear(t);
	if (grow(&t->reals, &t->capreals, t->nreals + 1, sizeof(*r)) < 0)
		return NULL;
	r = &t->reals[t->nreals];
	r->path = strdup(path);
	r->real = strdup(real);
	if (!r->path || !r->real ||
	    hmap_put(&t->realix, hmap_hash_str(path), (uint32_t)t->nreals)) {
		free(r->path);
		free(r->real);
		return NULL;
	}
	t->nreals++;
	return r->real;
}

/* DIR (absolute) with its symlinks resolved; NULL when it does not. */
static const char *dir_real(struct rec_fdtab *t, const char *dir)
{
	char real[PATH_MAX];
	const char *v = real_get(t, dir);

	if (v)
		return v;
	return realpath(dir, real) ? real_put(t, dir, real) : NULL;
}

/* PATH with /proc/self and /proc/thread-self as TID of P names them:
 * those links name whoever reads them, and the recorder must not resolve
 * them as itself.  In place; left as it is when the result is too long. */
static void proc_self(const struct fd_proc *p, uint32_t tid, char *path,
		      size_t size)
{
	static const char self[] = "/proc/self", tself[] = "/proc/thread-self";
	char out[PATH_MAX];
	const char *rest;
	int n;

	if (!strncmp(path, self, sizeof(self) - 1) &&
	    (path[sizeof(self) - 1] == '/' || !path[sizeof(self) - 1])) {
		rest = path + sizeof(self) - 1;
		n = snprintf(out, sizeof(out), "/proc/%u%s", p->pid, rest);
	} else if (!strncmp(path, tself, sizeof(tself) - 1) &&
		   (path[sizeof(tself) - 1] == '/' ||
		    !path[sizeof(tself) - 1])) {
		rest = path + sizeof(tself) - 1;
		n = snprintf(out, sizeof(out), "/proc/%u/task/%u%s", p->pid,
			     tid, rest);
	} else {
		return;
	}
	if (n > 0 && (size_t)n < size && (size_t)n < sizeof(out))
		strcpy(path, out);
}

/* PATH (absolute, folded) with its symlinks resolved, in place, when P
 * shares the recorder's root: its directory, and its last part when that
 * is a symlink (cached).  Left as it is when its directory does not
 * resolve.  /proc/self and /proc/thread-self are P's and TID's. */
static void path_resolve(struct rec_fdtab *t, struct fd_proc *p,
			 uint32_t tid, char *path, size_t size)
{
	char out[PATH_MAX], real[PATH_MAX], *slash;
	const char *dir;
	struct stat st;

	proc_self(p, tid, path, size);
	slash = strrchr(path, '/');
	if (!slash || !slash[1] || !root_ours(p))
		return;
	if ((dir = real_get(t, path))) {
		if (strlen(dir) < size)
			strcpy(path, dir);
		return;
	}
	if (slash == path) {
		dir = "/";
	} else {
		*slash = 0;
		dir = dir_real(t, path);
		*slash = '/';
	}
	if (!dir || (size_t)snprintf(out, sizeof(out), "%s/%s",
				     strcmp(dir, "/") ? dir : "",
				     slash + 1) >= sizeof(out))
		return;
	if (!lstat(out, &st) && S_ISLNK(st.st_mode) && realpath(out, real))
		strcpy(out, real);
	real_put(t, path, out);
	if (strlen(out) < size)
		strcpy(path, out);
}

/* The socket a socket(DOMAIN, TYPE) call makes, before it is bound or
 * connected; NULL for families this does not name. */
static const char *sock_kind(uint64_t domain, uint64_t type)
{
	int ty = (int)(type & 0xf);

	if (domain == AF_UNIX)
		return "unix:";
	if (domain != AF_INET && domain != AF_INET6)
		return NULL;
	if (ty == SOCK_STREAM)
		return "tcp";
	if (ty == SOCK_DGRAM)
		return "udp";
	return NULL;
}

/* "tcp" or "udp" when NAME is an IP socket's name, else NULL. */
static const char *ip_proto(const char *name)
{
	if (!name)
		return NULL;
	if (!strncmp(name, "tcp", 3) && (!name[3] || name[3] == ' '))
		return "tcp";
	if (!strncmp(name, "udp", 3) && (!name[3] || name[3] == ' '))
		return "udp";
	return NULL;
}

void rec_fdtab_tcp(struct rec_fdtab *t, uint32_t pid, int new_state,
		   int family, const char *saddr, uint16_t sport,
		   const char *daddr, uint16_t dport)
{
	struct tcp_seen *e;
	int v6 = family == AF_INET6;

	if (new_state != FDT_TCP_SYN_SENT && new_state != FDT_TCP_ESTABLISHED &&
	    new_state != FDT_TCP_LISTEN)
		return;
	e = &t->tcp[t->tcp_pos];
	t->tcp_pos = (t->tcp_pos + 1) % FDT_TCP_RECENT;
	e->pid = pid;
	e->state = (uint8_t)new_state;
	snprintf(e->local, sizeof(e->local), v6 ? "[%s]:%u" : "%s:%u", saddr,
		 sport);
	snprintf(e->remote, sizeof(e->remote), v6 ? "[%s]:%u" : "%s:%u",
		 daddr, dport);
}

/* The local address of the latest TCP connection seen from or to REMOTE
 * ("A:p"; NULL: the latest socket to listen) whose local port is PORT
 * (NULL: any) and, when PID, of PID. */
static const char *tcp_local(const struct rec_fdtab *t, uint32_t pid,
			     const char *remote, const char *port)
{
	for (size_t k = 1; k <= FDT_TCP_RECENT; k++) {
		const struct tcp_seen *e =
			&t->tcp[(t->tcp_pos + FDT_TCP_RECENT - k) %
				FDT_TCP_RECENT];
		const char *lp;

		if (!e->state || (pid && e->pid != pid) ||
		    (remote ? strcmp(e->remote, remote) ||
				      e->state == FDT_TCP_LISTEN :
			      e->state != FDT_TCP_LISTEN))
			continue;
		lp = strrchr(e->local, ':');
		if (port && (!lp || strcmp(lp + 1, port)))
			continue;
		return e->local;
	}
	return NULL;
}

/* The name of an fd accepted on listener LNAME ("tcp A:p", "unix:/x")
 * from PEER ("B:q", NULL when the caller did not ask), into OUT. */
static const char *accepted(struct rec_fdtab *t, const char *lname,
			    const char *peer)
{
	const char *local, *port;

	if (!lname)
		return NULL;
	if (!strncmp(lname, "unix:", 5))
		return lname;
	if (strncmp(lname, "tcp ", 4) || !peer ||
	    !(port = strrchr(lname, ':')))
		return ip_proto(lname);
	local = lname + 4;
	if (!strncmp(local, "0.0.0.0:", 8) || !strncmp(local, "[::]:", 5))
		local = tcp_local(t, 0, peer, port + 1);
	if (!local)
		return "tcp";
	snprintf(t->out, sizeof(t->out), "tcp %s->%s", local, peer);
	return t->out;
}

/* What naming an fd NAME anew after address ADDR starts from: 1 with
 * *OUT when that is all (NAME without an address or for a socket not
 * TCP or UDP, ADDR for a Unix one), else 0 with *PROTO "tcp" or "udp". */
static int addr_named(const char *name, const char *addr, const char **out,
		      const char **proto)
{
	*proto = ip_proto(name);
	if (addr && !strncmp(addr, "unix:", 5))
		*out = addr;
	else if (!addr || !*proto)
		*out = name;
	else
		return 0;
	return 1;
}

/* The name a connect of an fd named NAME to ADDR gives it. */
static const char *connected(struct rec_fdtab *t, uint32_t pid,
			     const char *name, const char *addr)
{
	const char *proto, *out, *local;

	if (addr_named(name, addr, &out, &proto))
		return out;
	local = !strcmp(proto, "tcp") ? tcp_local(t, pid, addr, NULL) : NULL;
	if (!local)
		return proto;
	snprintf(t->out, sizeof(t->out), "%s %s->%s", proto, local, addr);
	return t->out;
}

/* The name a bind of an fd named NAME to ADDR gives it. */
static const char *bound(struct rec_fdtab *t, const char *name,
			 const char *addr)
{
	const char *proto, *out, *port;

	if (addr_named(name, addr, &out, &proto))
		return out;
	port = strrchr(addr, ':');
	if (!port || !strcmp(port, ":0"))
		return proto; /* the kernel picks the port: not known here */
	snprintf(t->out, sizeof(t->out), "%s %s", proto, addr);
	return t->out;
}

/* The name a listen on an fd named NAME gives it: a TCP socket bound to
 * port 0 learns its port. */
static const char *listening(struct rec_fdtab *t, uint32_t pid,
			     const char *name)
{
	const char *local;

	if (!name || strcmp(name, "tcp") || !(local = tcp_local(t, pid, NULL,
								 NULL)))
		return name;
	snprintf(t->out, sizeof(t->out), "tcp %s", local);
	return t->out;
}

/* Anonymous-inode fds: the call, what readlink shows, where its flags
 * are (argument index + 1; 0 = no flags, pidfds are always close-on-exec:
 * -1). */
static const struct {
	uint8_t op;
	const char *name;
	int8_t flag_arg;
} anon_fds[] = {
	{ REC_FDOP_EPOLL, "anon_inode:[eventpoll]", 0 },
	{ REC_FDOP_EPOLL1, "anon_inode:[eventpoll]", 1 },
	{ REC_FDOP_EVENTFD, "anon_inode:[eventfd]", 0 },
	{ REC_FDOP_EVENTFD2, "anon_inode:[eventfd]", 2 },
	{ REC_FDOP_TIMERFD, "anon_inode:[timerfd]", 2 },
	{ REC_FDOP_SIGNALFD, "anon_inode:[signalfd]", 0 },
	{ REC_FDOP_SIGNALFD4, "anon_inode:[signalfd]", 4 },
	{ REC_FDOP_INOTIFY, "anon_inode:inotify", 0 },
	{ REC_FDOP_INOTIFY1, "anon_inode:inotify", 1 },
	{ REC_FDOP_PIDFD, "anon_inode:[pidfd]", -1 },
};

static int flag_cloexec(uint64_t flags)
{
	return (flags & FDT_CLOEXEC) ? CLOEXEC_YES : CLOEXEC_NO;
}

/* The effect of a finished, successful call C (operation OP) on P. */
static void call_apply(struct rec_fdtab *t, struct fd_proc *p, int op,
		       const struct rec_fdcall *c)
{
	const uint64_t *a = c->args;
	int ret = (int)c->ret, fd0 = (int)a[0];
	const char *name = NULL;
	char path[FDT_NAME_MAX];

	switch (op) {
	case REC_FDOP_OPEN:
	case REC_FDOP_CREAT:
	case REC_FDOP_OPENAT:
	case REC_FDOP_OPENAT2: {
		const char *base = p->cwd;
		int cloexec = CLOEXEC_UNKNOWN; /* openat2: in struct open_how */

		if (op == REC_FDOP_OPENAT || op == REC_FDOP_OPENAT2)
			if (fd0 != FDT_AT_FDCWD)
				base = slot_name(p, fd0, c->ts);
		if (op == REC_FDOP_OPEN)
			cloexec = flag_cloexec(a[1]);
		else if (op == REC_FDOP_OPENAT)
			cloexec = flag_cloexec(a[2]);
		else if (op == REC_FDOP_CREAT)
			cloexec = CLOEXEC_NO;
		if (c->path && !path_join(base, c->path, path, sizeof(path))) {
			path_resolve(t, p, c->tid, path, sizeof(path));
			name = path;
		}
		slot_set(p, ret, c->end, 1, name, cloexec);
		return;
	}
	case REC_FDOP_SOCKET:
		slot_set(p, ret, c->end, 1, sock_kind(a[0], a[1]),
			 flag_cloexec(a[1]));
		return;
	case REC_FDOP_CONNECT:
		if (c->ret && c->ret != -FDT_EINPROGRESS)
			return;
		slot_rename(p, fd0, c->end, connected(t, c->pid,
				slot_name(p, fd0, c->ts), c->addr));
		return;
	case REC_FDOP_BIND:
		slot_rename(p, fd0, c->end,
			    bound(t, slot_name(p, fd0, c->ts), c->addr));
		return;
	case REC_FDOP_LISTEN:
		slot_rename(p, fd0, c->end, listening(t, c->pid,
				slot_name(p, fd0, c->ts)));
		return;
	case REC_FDOP_ACCEPT:
	case REC_FDOP_ACCEPT4:
		name = accepted(t, slot_name(p, fd0, c->ts), c->addr);
		slot_set(p, ret, c->end, 1, name, op == REC_FDOP_ACCEPT4 ?
			 flag_cloexec(a[3]) : CLOEXEC_NO);
		return;
	case REC_FDOP_DUP:
	case REC_FDOP_DUP2:
	case REC_FDOP_DUP3:
		if (ret == fd0)
			return; /* dup2(fd, fd) */
		slot_set(p, ret, c->end, 1, slot_name(p, fd0, c->ts),
			 op == REC_FDOP_DUP3 ? flag_cloexec(a[2]) : CLOEXEC_NO);
		return;
	case REC_FDOP_FCNTL:
		if (a[1] == FDT_F_DUPFD || a[1] == FDT_F_DUPFD_CLOEXEC)
			slot_set(p, ret, c->end, 1, slot_name(p, fd0, c->ts),
				 a[1] == FDT_F_DUPFD ? CLOEXEC_NO :
						       CLOEXEC_YES);
		else if (a[1] == FDT_F_SETFD && fd0 >= 0 &&
			 (size_t)fd0 < p->n && p->v[fd0].open)
			p->v[fd0].cloexec = (a[2] & FD_CLOEXEC) ?
				CLOEXEC_YES : CLOEXEC_NO;
		return;
	case REC_FDOP_CLOSE:
		slot_set(p, fd0, c->end, 0, NULL, CLOEXEC_NO);
		return;
	case REC_FDOP_CLOSE_RANGE:
		for (uint64_t fd = a[0]; fd <= a[1] && fd < p->n; fd++) {
			if (!p->v[fd].open)
				continue;
			if (a[2] & FDT_CLOSE_RANGE_CLOEXEC)
				p->v[fd].cloexec = CLOEXEC_YES;
			else
				slot_set(p, (int)fd, c->end, 0, NULL,
					 CLOEXEC_NO);
		}
		return;
	case REC_FDOP_CHDIR:
		if (c->path && !path_join(p->cwd, c->path, path, sizeof(path))) {
			path_resolve(t, p, c->tid, path, sizeof(path));
			name = path;
		}
		break;
	case REC_FDOP_CHROOT:
		p->root = ROOT_OTHER;
		return;
	case REC_FDOP_FCHDIR:
		name = slot_name(p, fd0, c->ts);
		if (name && name[0] != '/')
			name = NULL;
		break;
	default:
		for (size_t i = 0; i < sizeof(anon_fds) / sizeof(anon_fds[0]);
		     i++) {
			int fa = anon_fds[i].flag_arg;

			if (anon_fds[i].op != op)
				continue;
			slot_set(p, ret, c->end, 1, anon_fds[i].name,
				 fa < 0 ? CLOEXEC_YES :
				 fa ? flag_cloexec(a[fa - 1]) : CLOEXEC_NO);
		}
		return;
	}
	/* chdir, fchdir */
	free(p->cwd);
	p->cwd = name ? strdup(name) : NULL;
}

const char *rec_fdtab_call(struct rec_fdtab *t, const struct rec_fdcall *c)
{
	struct fd_proc *p = proc_get(t, c->pid);
	int ok = c->nr >= 0 && c->nr < KS_NR_MAX;
	int op = ok ? t->plan->fdop[c->nr] : 0;
	int fdk = ok ? t->plan->fd[c->nr] : REC_FD_NONE;
	const char *name = NULL;

	/* A call that names the fd it is given: named before it acts. */
	if (c->fd >= 0 && fdk == REC_FD_ARG0)
		name = slot_name(p, c->fd, c->ts);
	if (!op || !c->end || (c->ret < 0 && !(op == REC_FDOP_CONNECT &&
					       c->ret == -FDT_EINPROGRESS)))
		return name;
	if (!p && !(p = proc_put(t, c->pid)))
		return name;
	/* The call changes the table, which may free the slot's string. */
	if (name) {
		snprintf(t->keep, sizeof(t->keep), "%s", name);
		name = t->keep;
	}
	call_apply(t, p, op, c);
	/* A call that makes an fd is named by the fd it made; a TCP socket
	 * bound to port 0 had its port from the bind on, and listen is
	 * where it is learnt. */
	if (c->fd >= 0 && (fdk == REC_FD_RET || op == REC_FDOP_LISTEN))
		name = slot_name(p, c->fd, c->end);
	return name;
}

void rec_fdtab_pair(struct rec_fdtab *t, const struct ks_fdpair *r)
{
	int op = r->hdr.nr >= 0 && r->hdr.nr < KS_NR_MAX ?
		t->plan->fdop[r->hdr.nr] : 0;
	struct fd_proc *p = proc_get(t, r->hdr.pid);
	char name[40];

	if (!p && !(p = proc_put(t, r->hdr.pid)))
		return;
	for (int i = 0; i < 2; i++) {
		const char *n = NULL;
		int cloexec = flag_cloexec(r->args[1]);

		if (op == REC_FDOP_PIPE || op == REC_FDOP_PIPE2) {
			snprintf(name, sizeof(name), "pipe:[%" PRIu64 "]",
				 (uint64_t)r->ino[i]);
			n = r->ino[i] ? name : NULL;
			if (op == REC_FDOP_PIPE)
				cloexec = CLOEXEC_NO;
		} else if (op == REC_FDOP_SOCKETPAIR) {
			n = r->args[0] == AF_UNIX ? "unix:" : NULL;
		} else {
			return;
		}
		slot_set(p, r->fd[i], r->hdr.ts, 1, n, cloexec);
	}
}

/* ---- the /proc snapshot ------------------------------------------------- */

struct sock_names {	/* the sockets rec_sockets_names found */
	struct sock_name {
		uint64_t ino;
		char *name;
	} *v;
	size_t n, cap;
};

static int sock_name_one(void *ctx, uint64_t ino, const char *name)
{
	struct sock_names *s = ctx;

	if (grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0 ||
	    !(s->v[s->n].name = strdup(name)))
		return -ENOMEM;
	s->v[s->n++].ino = ino;
	return 0;
}

/* Whether /proc/PID/fdinfo/FD says FD is close-on-exec. */
static int fd_cloexec(const char *proc, uint32_t pid, const char *fd)
{
	char path[320], line[128];
	unsigned long flags = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u/fdinfo/%s", proc, pid, fd);
	if (!(f = fopen(path, "re")))
		return CLOEXEC_UNKNOWN;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %lo", &flags) == 1)
			break;
	fclose(f);
	return flag_cloexec(flags);
}

int rec_fdtab_snapshot(struct rec_fdtab *t, const char *proc, uint32_t pid)
{
	struct sock_names sn = { 0 };
	char path[96], link[FDT_NAME_MAX];
	struct fd_proc *p;
	struct dirent *de;
	ssize_t l;
	DIR *d;
	int rc = 0;

	rec_fdtab_exit(t, pid);
	snprintf(path, sizeof(path), "%s/%u/fd", proc, pid);
	if (!(d = opendir(path)))
		return errno == ENOENT || errno == EACCES ? 0 : -errno;
	if (!(p = proc_put(t, pid))) {
		closedir(d);
		return -ENOMEM;
	}
	root_ours(p);
	snprintf(path, sizeof(path), "%s/%u/cwd", proc, pid);
	if ((l = readlink(path, link, sizeof(link) - 1)) > 0 &&
	    link[0] == '/') {
		link[l] = 0;
		p->cwd = strdup(link);
	}
	rc = rec_sockets_names(proc, pid, sock_name_one, &sn);
	if (rc == -ENOENT || rc == -EACCES)
		rc = 0;
	while (rc >= 0 && (de = readdir(d))) {
		uint64_t ino;
		char *end;
		long fd = strtol(de->d_name, &end, 10);

		if (*end || fd < 0)
			continue;
		l = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (l <= 0)
			continue;
		link[l] = 0;
		if (sscanf(link, "socket:[%" SCNu64 "]", &ino) == 1)
			for (size_t i = 0; i < sn.n; i++)
				if (sn.v[i].ino == ino)
					snprintf(link, sizeof(link), "%s",
						 sn.v[i].name);
		slot_set(p, (int)fd, 0, 1, link,
			 fd_cloexec(proc, pid, de->d_name));
	}
	closedir(d);
	for (size_t i = 0; i < sn.n; i++)
		free(sn.v[i].name);
	free(sn.v);
	return rc;
}
