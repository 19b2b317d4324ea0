/*
 * session.c - the BPF half of a recording: the kscope.bpf.c skeleton's life
 * cycle (open, configure, load, attach, poll, destroy) and the drain of its
 * ring buffer into a user-space batch.
 *
 *     struct rec_session *s = rec_session_open(&opts, err, sizeof(err));
 *     rec_session_trace(s, pid);           // filtered recordings
 *     rec_session_attach(s);
 *     rec_session_early(s, pid, tid, ...); // calls already in progress
 *     while (running) {
 *             rc = rec_session_poll(s, 100);
 *             ... convert rec_session_batch(s), clear it ...
 *     }
 *     rec_session_blk_sweep(s);            // block entries that ended
 *     rec_session_detach(s);               // then drain once more
 *     rec_session_unfinished(s);           // calls still in flight
 *     rec_session_blk_inflight(s);         // block requests too
 *     rec_session_close(s);
 *
 * The ring-buffer callback only copies bytes into the batch; conversion and
 * storing happen in the caller.  The batch has a fixed bound: when it is
 * nearly full the callback keeps the record it was handed and then stops
 * the drain (-ENOBUFS), leaving the rest in the ring until the caller has
 * emptied the batch.  Memory is the ring plus the batch, whatever the rate.
 */
#include "config.h"
#include "record/record.h"
#include "bpf/kscope.skel.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define REC_SKIP_MAX 32
#define REC_BATCH_SLACK 8192 /* larger than any single record (a syscall
			     * with a full snap tail is < 5 KiB) */

struct rec_session {
	struct kscope_bpf *skel;
	struct ring_buffer *rb;
	struct rec_batch batch;
	const struct rec_filter *filter; /* borrowed; NULL: none */
	int ncpus;
	int attached;
	uint32_t stack_slots;
	char *skipped[REC_SKIP_MAX + 1];
	int nskipped;
	int unfinished_pos; /* threads done by an interrupted walk */
	int unfinished_slots_done;
	int stats_fd; /* run-time statistics held on (bpf_enable_stats) */
};

/* Which classes need a program.  A program called ks_CLASS_... (CLASS
 * as in KS_CLASSES) loads with its class, but for these: fork, exec and
 * exit also keep the pid filter and the user side's thread table (comm,
 * pid) current, and exit writes the calls that never return: they load
 * with every class that shows a comm or a pid, and with the pid filter. */
#define NEED_FILTER (1u << 8)
#define NEED_COMM (1u << 9) /* --comm: names taken by exec and rename */
#define NEED_TASKS (REC_CLASS_BIT(KS_CLASS_PROC) | \
		    REC_CLASS_BIT(KS_CLASS_SYSCALL) | REC_CLASS_BIT(KS_CLASS_NET))
static const struct {
	const char *prog;
	unsigned need;
} prog_needs[] = {
	{ "ks_proc_fork", NEED_TASKS | NEED_FILTER },
	{ "ks_proc_exec", NEED_TASKS | NEED_COMM },
	{ "ks_proc_exit", NEED_TASKS | NEED_FILTER },
	{ "ks_proc_free", NEED_FILTER },
	{ "ks_proc_rename", NEED_TASKS | NEED_COMM },
};

static unsigned prog_need(const char *name)
{
	for (size_t i = 0; i < sizeof(prog_needs) / sizeof(prog_needs[0]); i++)
		if (!strcmp(prog_needs[i].prog, name))
			return prog_needs[i].need;
	if (strncmp(name, "ks_", 3))
		return 0;
	for (unsigned c = 0; c < KS_CLASS_COUNT; c++) {
		size_t n = strlen(ev_class_name(c));
		if (!strncmp(name + 3, ev_class_name(c), n) &&
		    name[3 + n] == '_')
			return REC_CLASS_BIT(c);
	}
	return 0;
}

static int batch_add(struct rec_batch *b, const void *data, size_t len)
{
	size_t need = 8 + ((len + 7) & ~(size_t)7);
	uint32_t hdr[2] = { (uint32_t)len, 0 };

	if (b->len + need > b->cap)
		return -ENOBUFS; /* cannot happen with the slack below */
	memcpy(b->buf + b->len, hdr, sizeof(hdr));
	memcpy(b->buf + b->len + 8, data, len);
	b->len += need;
	return 0;
}

/* The ring-buffer callback: copy, nothing else. */
static int ring_sample(void *ctx, void *data, size_t len)
{
	struct rec_batch *b = ctx;

	if (len > REC_BATCH_SLACK - 16 || batch_add(b, data, len) < 0)
		return 0; /* impossible record: dropped (bounded by slack) */
	return b->len + REC_BATCH_SLACK > b->cap ? -ENOBUFS : 0;
}

/* filt: the capture filters into the BPF side's settings. */
static void filter_configure(struct kscope_bpf__rodata *ro,
			     const struct rec_session_opts *o)
{
	const struct rec_filter *f = o->filter;

	if (!f)
		return;
	ro->filt_syscalls = f->syscalls != NULL;
	ro->filt_on = f->syscalls || f->slower_ns || f->errors;
	memcpy((void *)ro->sc_set, f->set, sizeof(f->set));
	for (int nr = 0; nr < KS_NR_MAX; nr++)
		if (o->plan->fdop[nr])
			((uint64_t *)ro->sc_bookkeep)[nr / 64] |=
				1ull << (nr % 64);
	for (int nr = 0; nr < KS_NR_MAX; nr++)
		if (o->plan->fdop[nr] == REC_FDOP_FCNTL)
			ro->filt_fcntl_nr = nr;
	ro->filt_slower_ns = f->slower_ns;
	ro->filt_errors = (uint8_t)f->errors;
	ro->comm_mode = (uint8_t)o->comm_mode;
	ro->comm_count = (uint32_t)f->ncomm;
	if (f->ncomm)
		memcpy((void *)ro->comm_names, f->comm, f->ncomm * KS_COMM_LEN);
}

static void set_err(char *err, size_t errlen, const char *what, int rc)
{
	snprintf(err, errlen, "%s: %s", what, strerror(rc < 0 ? -rc : rc));
}

/* Does the running kernel have raw tracepoint NAME? */
static int kernel_has_tp(const struct btf *vmlinux, const char *name)
{
	char tn[128];

	if (!vmlinux)
		return 1; /* cannot tell: let attach decide */
	snprintf(tn, sizeof(tn), "btf_trace_%s", name);
	return btf__find_by_name_kind(vmlinux, tn, BTF_KIND_TYPEDEF) >= 0;
}

/* How many arguments raw tracepoint NAME passes (its btf_trace_ typedef is
 * a pointer to a prototype whose first parameter is the probe's data);
 * 0 when it cannot tell. */
static int kernel_tp_args(const struct btf *vmlinux, const char *name)
{
	char tn[128];
	const struct btf_type *t;
	int id;

	if (!vmlinux)
		return 0;
	snprintf(tn, sizeof(tn), "btf_trace_%s", name);
	id = btf__find_by_name_kind(vmlinux, tn, BTF_KIND_TYPEDEF);
	if (id < 0)
		return 0;
	t = btf__type_by_id(vmlinux, btf__resolve_type(vmlinux, id));
	if (!t || !btf_is_ptr(t))
		return 0;
	t = btf__type_by_id(vmlinux, t->type);
	if (!t || !btf_is_func_proto(t) || btf_vlen(t) < 1)
		return 0;
	return btf_vlen(t) - 1;
}

struct rec_session *rec_session_open(const struct rec_session_opts *o,
				     char *err, size_t errlen)
{
	struct rec_session *s = calloc(1, sizeof(*s));
	struct bpf_program *prog;
	struct btf *vmlinux = NULL;
	int rc;

	if (!s) {
		set_err(err, errlen, "cannot allocate", -ENOMEM);
		errno = ENOMEM;
		return NULL;
	}
	s->stats_fd = -1;
	s->batch.cap = o->batch_bytes > 4 * REC_BATCH_SLACK ? o->batch_bytes :
							      4 * REC_BATCH_SLACK;
	s->batch.buf = malloc(s->batch.cap);
	s->ncpus = libbpf_num_possible_cpus();
	s->skel = kscope_bpf__open();
	if (!s->batch.buf || !s->skel || s->ncpus <= 0) {
		rc = s->ncpus < 0 ? s->ncpus : -errno;
		set_err(err, errlen, "cannot open the BPF programs", rc);
		goto fail;
	}

	struct kscope_bpf__rodata *ro = s->skel->rodata;

	ro->self_tgid = o->self_tgid;
	ro->filter_tgid = !!o->filter_tgid;
	ro->filter_cgroup = o->cgroup_id;
	ro->filter_cgroup_level = o->cgroup_level;
	if (o->wakeup_bytes >= 0)
		ro->wakeup_bytes = (uint64_t)o->wakeup_bytes;
	else
		ro->wakeup_bytes = o->ring_bytes / 4;
	ro->emit_syscall = !!(o->classes & REC_CLASS_BIT(KS_CLASS_SYSCALL));
	ro->emit_stacks = o->stacks && (o->classes & REC_CLASS_BIT(KS_CLASS_SCHED));
	/* A stack map cannot be empty: one slot when unused. */
	s->stack_slots = ro->emit_stacks ? KS_STACK_SLOTS : 1;
	if ((rc = bpf_map__set_max_entries(s->skel->maps.stacks,
					   s->stack_slots)) < 0) {
		set_err(err, errlen, "stack map size", rc);
		goto fail;
	}
	{
		uint64_t key;
		FILE *f = fopen("/dev/urandom", "re");

		if (!f || fread(&key, sizeof(key), 1, f) != 1)
			key = (uint64_t)(uintptr_t)s * 0x9e3779b97f4a7c15ull;
		if (f)
			fclose(f);
		ro->sock_key = key;
	}
	memcpy((void *)ro->sc_info, o->plan->sci, sizeof(o->plan->sci));
	filter_configure(ro, o);
	s->filter = o->filter;
	if (o->budget_nr) {
		ro->budget_on = 1;
		memcpy((void *)ro->budget_nr, o->budget_nr, KS_NR_MAX);
	}
	/* snap: */
	ro->snaplen = o->snaplen;
	rec_snap_rodata(o->plan, (uint8_t *)ro->snap_info);
	memcpy((void *)ro->fdpair_nr, o->plan->pair_nr,
	       sizeof(o->plan->pair_nr));
	if ((rc = bpf_map__set_max_entries(s->skel->maps.rb,
					   (uint32_t)o->ring_bytes)) < 0) {
		set_err(err, errlen, "ring buffer size", rc);
		goto fail;
	}

	vmlinux = btf__load_vmlinux_btf();
	if (!vmlinux)
		vmlinux = NULL; /* unknown: try everything */
	unsigned have = o->classes | (o->filter_tgid ? NEED_FILTER : 0) |
			(o->comm_mode ? NEED_COMM : 0);

	ro->exit_has_group_dead =
		kernel_tp_args(vmlinux, "sched_process_exit") >= 2;
	{
		int64_t d;

		if (rec_percpu_delta(vmlinux, "__preempt_count", "runqueues",
				     &d) == 0)
			ro->preempt_count_from_rq = d;
	}

	bpf_object__for_each_program(prog, s->skel->obj) {
		const char *sec = bpf_program__section_name(prog);
		const char *tp = strchr(sec, '/') ? strchr(sec, '/') + 1 : sec;
		unsigned need = prog_need(bpf_program__name(prog));
		int load = (need & have) != 0;

		/* With class sched, ks_sched_switch spills calls itself. */
		if (!strcmp(bpf_program__name(prog), "ks_syscall_spill") &&
		    (o->classes & REC_CLASS_BIT(KS_CLASS_SCHED)))
			load = 0;

		/* not attached: run on demand (SEC("raw_tp")) */
		if (!strchr(sec, '/'))
			bpf_program__set_autoattach(prog, false);
		/* mark_victim passed only a pid on older kernels */
		else if (load && (!kernel_has_tp(vmlinux, tp) ||
			     (!strcmp(tp, "mark_victim") &&
			      kernel_tp_args(vmlinux, tp) == 1))) {
			load = 0;
			if (s->nskipped < REC_SKIP_MAX)
				s->skipped[s->nskipped++] = strdup(tp);
		}
		bpf_program__set_autoload(prog, load);
	}
	btf__free(vmlinux);

	if ((rc = kscope_bpf__load(s->skel)) < 0) {
		set_err(err, errlen, "cannot load the BPF programs", rc);
		goto fail;
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.rb), ring_sample,
				 &s->batch, NULL);
	if (!s->rb) {
		rc = -errno;
		set_err(err, errlen, "cannot open the ring buffer", rc);
		goto fail;
	}
	return s;
fail:
	rec_session_close(s);
	errno = rc < 0 ? -rc : rc;
	return NULL;
}

const char *const *rec_session_skipped(const struct rec_session *s)
{
	return (const char *const *)s->skipped;
}

int rec_session_trace(struct rec_session *s, uint32_t tgid)
{
	struct ks_traced v = { 0 }; /* start unknown: any process of TGID */

	if (bpf_map__update_elem(s->skel->maps.traced, &tgid, sizeof(tgid),
				 &v, sizeof(v), BPF_ANY) < 0)
		return -errno;
	return 0;
}

int rec_session_comm_tree(struct rec_session *s, uint32_t tgid)
{
	uint64_t start = 0; /* any process of TGID */

	if (bpf_map__update_elem(s->skel->maps.comm_tree, &tgid, sizeof(tgid),
				 &start, sizeof(start), BPF_ANY) < 0)
		return -errno;
	return 0;
}

int rec_session_listener(struct rec_session *s, const struct ks_listen_key *k,
			 uint32_t pid)
{
	struct ks_listen_owner v = { .sk = 0, .tid = pid, .pid = pid };

	if (bpf_map__update_elem(s->skel->maps.sk_listen, k, sizeof(*k), &v,
				 sizeof(v), BPF_ANY) < 0)
		return errno == E2BIG ? 0 : -errno; /* full: stays unknown */
	return 0;
}

int rec_session_conn(struct rec_session *s, const struct ks_conn_key *k,
		     uint32_t pid)
{
	uint64_t v = (uint64_t)pid << 32 | pid;

	if (bpf_map__update_elem(s->skel->maps.sk_seed, k, sizeof(*k), &v,
				 sizeof(v), BPF_ANY) < 0)
		return errno == E2BIG ? 0 : -errno; /* full: stays unknown */
	s->skel->bss->sk_seeded = 1;
	return 0;
}

int rec_session_attach(struct rec_session *s)
{
	int rc = kscope_bpf__attach(s->skel);

	if (rc == 0)
		s->attached = 1;
	return rc < 0 ? rc : 0;
}

void rec_session_detach(struct rec_session *s)
{
	if (s && s->attached) {
		kscope_bpf__detach(s->skel);
		s->attached = 0;
	}
}

struct rec_batch *rec_session_batch(struct rec_session *s)
{
	return &s->batch;
}

int rec_session_poll(struct rec_session *s, int timeout_ms)
{
	int rc;

	if (s->batch.len + REC_BATCH_SLACK > s->batch.cap)
		return -ENOBUFS;
	if (timeout_ms) {
		rc = ring_buffer__poll(s->rb, timeout_ms);
		if (rc == -EINTR)
			rc = 0;
		if (rc < 0)
			return rc;
	}
	/* The poll drains only when woken: drain the rest now too (the timed
	 * backstop for data below the wakeup threshold). */
	rc = ring_buffer__consume(s->rb);
	return rc == -EINTR ? 0 : rc;
}

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL /* Linux 6.9 */
#endif

/* The in-flight entry of thread TID, read through a pidfd (task storage
 * is keyed by task).  Kernels before 6.9 give pidfds of group leaders
 * only, so there only those threads' calls are found. */
static int inflight_read(int ifd, uint32_t tid, struct ks_inflight *e)
{
	int pfd = (int)syscall(SYS_pidfd_open, (pid_t)tid, PIDFD_THREAD);
	int rc;

	if (pfd < 0 && errno == EINVAL)
		pfd = (int)syscall(SYS_pidfd_open, (pid_t)tid, 0);
	if (pfd < 0)
		return -errno;
	rc = bpf_map_lookup_elem(ifd, &pfd, e) < 0 ? -errno : 0;
	close(pfd);
	return rc;
}

/* A call already in progress at attach gets a pairing entry in the
 * thread's task storage, as if the sched_switch program had moved it
 * there, so sys_exit writes it with its real result (or, still running,
 * the stop walk below does).  BPF_NOEXIST keeps an entry the programs made
 * themselves: a thread has one only once a call it entered after attach
 * was switched out, so its /proc answer is about that call.  The path
 * goes into xbufs first, also only when the thread has none of its own. */
int rec_session_early(struct rec_session *s, uint32_t pid, uint32_t tid,
		      const struct rec_proc_call *call, uint64_t ts,
		      const char *path, int path_trunc)
{
	int ifd = bpf_map__fd(s->skel->maps.inflight);
	int xfd = bpf_map__fd(s->skel->maps.xbufs);
	struct ks_inflight e;
	int pfd, rc;

	(void)pid;
	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.nr = call->nr;
	e.cpu = (uint16_t)call->cpu;
	memcpy(e.args, call->args, sizeof(e.args));
	e.active = 1;
	e.xflags = KS_XF_EARLY;
	if (path) {
		struct ks_xbuf xb;
		size_t n = strlen(path);

		memset(&xb, 0, sizeof(xb));
		if (n > KS_PATH_MAX - 1)
			n = KS_PATH_MAX - 1;
		memcpy(xb.path, path, n);
		xb.path_len = (uint16_t)n;
		xb.flags = path_trunc ? KS_SC_PATH_TRUNC : 0;
		if (bpf_map_update_elem(xfd, &tid, &xb, BPF_NOEXIST) < 0)
			return errno == EEXIST ? 0 : -errno;
		e.xflags |= KS_XF_PATH;
	}
	pfd = (int)syscall(SYS_pidfd_open, (pid_t)tid, PIDFD_THREAD);
	if (pfd < 0 && errno == EINVAL)
		pfd = (int)syscall(SYS_pidfd_open, (pid_t)tid, 0);
	if (pfd < 0)
		return errno == ESRCH ? 0 : -errno;
	rc = bpf_map_update_elem(ifd, &pfd, &e, BPF_NOEXIST) < 0 ? -errno : 1;
	close(pfd);
	/* ENOENT: the thread exited after pidfd_open (the kernel finds no
	 * task behind the pidfd): gone meanwhile, as ESRCH above; its path
	 * goes with it. */
	if (rc == -ENOENT && (e.xflags & KS_XF_PATH))
		bpf_map_delete_elem(xfd, &tid);
	return rc == -EEXIST || rc == -ENOENT ? 0 : rc;
}

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Add the unfinished call E of TID (of process PID) to the batch, when
 * the capture filters keep it (it ran from its entry until NOW). */
static int unfinished_add(struct rec_session *s, uint32_t pid, uint32_t tid,
			  const struct ks_inflight *ep, uint64_t now)
{
	int xfd = bpf_map__fd(s->skel->maps.xbufs);
	struct ks_inflight e = *ep;
	struct {
		struct ks_syscall_ext x;
		char data[KS_PATH_MAX];
	} r;
	struct ks_xbuf xb;
	size_t len = sizeof(r.x.sc);

	if (s->batch.len + REC_BATCH_SLACK > s->batch.cap)
		return -ENOBUFS;
	if (s->filter && !rec_filter_keep(s->filter, e.nr,
					  now > e.ts ? now - e.ts : 0, 0, 0))
		return 0;
	memset(&r, 0, sizeof(r));
	r.x.sc.hdr.ts = e.ts;
	r.x.sc.hdr.tid = tid;
	r.x.sc.hdr.pid = pid;
	r.x.sc.hdr.cpu = e.cpu;
	r.x.sc.hdr.type = KS_REC_SYSCALL;
	r.x.sc.hdr.flags = KS_SC_UNFINISHED | KS_SC_AT_STOP |
			   ((e.xflags & KS_XF_EARLY) ? KS_SC_EARLY : 0);
	r.x.sc.hdr.nr = e.nr;
	memcpy(r.x.sc.args, e.args, sizeof(e.args));
	if ((e.xflags & KS_XF_PATH) &&
	    bpf_map_lookup_elem(xfd, &tid, &xb) == 0 &&
	    xb.path_len < KS_PATH_MAX) {
		r.x.sc.hdr.type = KS_REC_SYSCALL_EXT;
		r.x.sc.hdr.flags |= xb.flags;
		r.x.path_len = xb.path_len;
		memcpy(r.data, xb.path, xb.path_len);
		len = sizeof(r.x) + xb.path_len;
	} else if (e.xflags &
		   (KS_XF_PATH | KS_XF_PATH_RETRY | KS_XF_PATH_LOST)) {
		/* A path argument that was never read (or whose copy is
		 * gone): say so rather than leave a path-less row. */
		r.x.sc.hdr.flags |= KS_SC_PATH_UNREAD;
	}
	batch_add(&s->batch, &r, len);
	return 1;
}

/* Calls in flight in the per-CPU slots (tasks that were on a CPU, inside
 * a call, when the programs were detached). */
static int unfinished_slots(struct rec_session *s)
{
	int fd = bpf_map__fd(s->skel->maps.cpu_slot), n = 0, rc;
	struct ks_cpu_slot *v = calloc((size_t)s->ncpus, sizeof(*v));
	uint32_t zk = 0;

	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &zk, v) < 0) {
		rc = -errno;
		free(v);
		return rc;
	}
	for (int cpu = 0; cpu < s->ncpus; cpu++) {
		if (!v[cpu].tid || !v[cpu].e.active)
			continue;
		if ((rc = unfinished_add(s, v[cpu].tgid, v[cpu].tid, &v[cpu].e,
					 boot_ns())) < 0) {
			free(v);
			return rc;
		}
		v[cpu].e.active = 0;
		n += rc;
	}
	/* Written: clear them, so that a resumed walk does not repeat them. */
	bpf_map_update_elem(fd, &zk, v, BPF_ANY);
	free(v);
	return n;
}

int rec_session_unfinished(struct rec_session *s)
{
	int ifd = bpf_map__fd(s->skel->maps.inflight);
	char path[64];
	struct dirent *pd, *td;
	DIR *proc, *task;
	struct ks_inflight e;
	int n = 0, rc = 0;

	if (!s->unfinished_slots_done) {
		if ((rc = unfinished_slots(s)) < 0)
			return rc;
		s->unfinished_slots_done = 1;
		n = rc;
		rc = 0;
	}

	/* Resume where a full batch stopped us: threads already written are
	 * skipped by their position in the walk. */
	if (!(proc = opendir("/proc")))
		return -errno;
	int pos = 0;

	while (rc >= 0 && (pd = readdir(proc))) {
		char *end;
		unsigned long pid = strtoul(pd->d_name, &end, 10);

		if (*end || !pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%lu/task", pid);
		if (!(task = opendir(path)))
			continue;
		while ((td = readdir(task))) {
			unsigned long tid = strtoul(td->d_name, &end, 10);

			if (*end || !tid)
				continue;
			if (pos++ < s->unfinished_pos)
				continue;
			if (inflight_read(ifd, (uint32_t)tid, &e) < 0 ||
			    !e.active)
				continue;
			rc = unfinished_add(s, (uint32_t)pid, (uint32_t)tid, &e,
					    boot_ns());
			if (rc < 0) {
				s->unfinished_pos = pos - 1;
				break;
			}
			n += rc;
		}
		closedir(task);
	}
	closedir(proc);
	return rc < 0 ? rc : n;
}

/* Drop the block entries whose requests are no longer in flight (their
 * completions did not reach the program), counted as lost: run while
 * attached, so that a completion now is seen by the program instead. */
int rec_session_blk_sweep(struct rec_session *s)
{
	int fd = bpf_program__fd(s->skel->progs.ks_block_sweep);
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	if (fd < 0)
		return 0; /* class block off */
	return bpf_prog_test_run_opts(fd, &opts) < 0 ? -errno : 0;
}

/* Block requests still in flight: each is written with dur 0 and its
 * entry removed (the programs are detached), so a call after a full
 * batch goes on with the rest. */
int rec_session_blk_inflight(struct rec_session *s)
{
	int fd = bpf_map__fd(s->skel->maps.blk_inflight), n = 0;
	struct ks_blk_inflight e;
	struct ks_block r;
	uint64_t key;

	while (bpf_map_get_next_key(fd, NULL, &key) == 0) {
		if (s->batch.len + REC_BATCH_SLACK > s->batch.cap)
			return -ENOBUFS;
		if (bpf_map_lookup_elem(fd, &key, &e) == 0) {
			memset(&r, 0, sizeof(r));
			r.hdr.ts = e.ts;
			r.hdr.tid = e.tid;
			r.hdr.pid = e.pid;
			r.hdr.cpu = e.cpu;
			r.hdr.type = KS_REC_BLOCK;
			r.sector = e.sector;
			r.bytes = e.bytes;
			r.dev = e.dev;
			r.cmd_flags = e.cmd_flags;
			memcpy(r.comm, e.comm, sizeof(r.comm));
			batch_add(&s->batch, &r, sizeof(r));
			n++;
		}
		if (bpf_map_delete_elem(fd, &key) < 0)
			return -errno;
	}
	return n;
}

int rec_session_ncpus(const struct rec_session *s)
{
	return s->ncpus;
}

int rec_session_lost(struct rec_session *s, uint64_t *out, int ncpu)
{
	int fd = bpf_map__fd(s->skel->maps.lost);
	uint64_t *v = calloc((size_t)s->ncpus, sizeof(*v));

	if (!v)
		return -ENOMEM;
	memset(out, 0, sizeof(*out) * (size_t)ncpu * KS_CLASS_COUNT);
	for (uint32_t c = 0; c < KS_CLASS_COUNT; c++) {
		if (bpf_map_lookup_elem(fd, &c, v) < 0) {
			int rc = -errno;

			free(v);
			return rc;
		}
		for (int cpu = 0; cpu < s->ncpus && cpu < ncpu; cpu++)
			out[(size_t)cpu * KS_CLASS_COUNT + c] = v[cpu];
	}
	free(v);
	return s->ncpus;
}

int rec_session_stacks(const struct rec_session *s, uint32_t *slots)
{
	if (!s->skel->rodata->emit_stacks)
		return -ENOENT;
	*slots = s->stack_slots;
	return bpf_map__fd(s->skel->maps.stacks);
}

int rec_session_stacks_lost(struct rec_session *s, uint64_t *lost)
{
	int fd = bpf_map__fd(s->skel->maps.stack_lost);
	uint64_t *v = calloc((size_t)s->ncpus, sizeof(*v));
	uint32_t zk = 0;
	int rc = 0;

	if (!v)
		return -ENOMEM;
	*lost = 0;
	if (bpf_map_lookup_elem(fd, &zk, v) < 0)
		rc = -errno;
	for (int cpu = 0; cpu < s->ncpus && !rc; cpu++)
		*lost += v[cpu];
	free(v);
	return rc;
}

int rec_session_prog_stats(struct rec_session *s, struct rec_prog_stats *st)
{
	struct bpf_program *p;

	memset(st, 0, sizeof(*st));
	bpf_object__for_each_program(p, s->skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(p);

		if (fd < 0)
			continue; /* not loaded (its class is off) */
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
			return -errno;
		st->misses += info.recursion_misses;
		st->run_ns += info.run_time_ns;
		st->runs += info.run_cnt;
	}
	return 0;
}

int rec_session_stats_on(struct rec_session *s)
{
	if (s->stats_fd >= 0)
		return 0;
	s->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	return s->stats_fd < 0 ? -errno : 0;
}

int rec_session_shed_set(struct rec_session *s, unsigned level,
			 unsigned shift)
{
	/* Two plain stores into the mapped .bss: a program may see the new
	 * level with the old shift for one call, which budget_keep clamps
	 * and counts at the shift it used. */
	s->skel->bss->shed.shift = shift;
	s->skel->bss->shed.level = level;
	return 0;
}

int rec_session_shed_read(struct rec_session *s, uint64_t *out)
{
	const uint32_t keys = KS_SHED_SLOTS * KS_NR_MAX;
	int fd = bpf_map__fd(s->skel->maps.shed_dropped);
	uint32_t *kbuf = malloc(keys * sizeof(*kbuf)), next = 0, done = 0;
	uint64_t *v = malloc((size_t)keys * s->ncpus * sizeof(*v));
	int rc = 0;

	if (!kbuf || !v) {
		rc = -ENOMEM;
		goto out;
	}
	/* One batch for all keys; values come key-major, a value per CPU. */
	while (done < keys) {
		__u32 n = keys - done;

		LIBBPF_OPTS(bpf_map_batch_opts, bo);
		rc = bpf_map_lookup_batch(fd, done ? &next : NULL, &next,
					  kbuf + done,
					  v + (size_t)done * s->ncpus, &n, &bo);
		if (rc < 0 && errno != ENOENT) {
			rc = -errno;
			goto out;
		}
		done += n;
		rc = 0;
		if (!n)
			break;
	}
	for (uint32_t i = 0; i < done; i++)
		for (int cpu = 0; cpu < s->ncpus; cpu++)
			out[(size_t)cpu * keys + kbuf[i]] =
				v[(size_t)i * s->ncpus + cpu];
out:
	free(kbuf);
	free(v);
	return rc;
}

void rec_session_close(struct rec_session *s)
{
	if (!s)
		return;
	ring_buffer__free(s->rb);
	kscope_bpf__destroy(s->skel);
	if (s->stats_fd >= 0)
		close(s->stats_fd);
	for (int i = 0; i < s->nskipped; i++)
		free(s->skipped[i]);
	free(s->batch.buf);
	free(s);
}
