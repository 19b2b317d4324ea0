/*
 * synth_host.c - the synthetic host as it stands when the trace starts.
 *
 *     synth_mixes_build(s);  // syscall numbers, cumulative mixes
 *     synth_host_build(s);   // processes and threads, ranked by activity
 *     synth_paths_build(s);  // the paths each category opens and stats
 *
 * How it works.  The long-lived processes come from synth_tmpls in order
 * (a parent before its children; pids handed out upwards from 3), then
 * kthreadd's children (one set per cpu and a few more), then containers
 * drawn from synth_apps under the containerd shims until the host has
 * opts.procs processes.  User threads are ranked by their template's
 * activity times a log-normal factor, for the Zipf draw of who calls next.
 * Path categories get the fixed lists of synth_data.c plus generated
 * /proc/PID, database relation, web asset and temporary paths.
 *
 * Also here: the string arena (every comm, path and address the generator
 * makes, freed at once by synth_arena_free) and synth_grow for the
 * generator's arrays.  Calls draw from s->r, so their order is part of
 * what a seed means.
 */
#include "config.h"
#include "tests/synth_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/systab.h"

/* ---- string arena ----------------------------------------------------- */

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
};

static char *arena_dup(struct arena_block **a, const char *str)
{
	size_t n = strlen(str) + 1;
	struct arena_block *b = *a;

	if (!b || b->size - b->used < n) {
		size_t size = n > 65536 ? n : 65536;
		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->next = *a;
		b->used = 0;
		b->size = size;
		*a = b;
	}
	char *p = b->data + b->used;
	memcpy(p, str, n);
	b->used += n;
	return p;
}

void synth_arena_free(struct arena_block *a)
{
	while (a) {
		struct arena_block *n = a->next;
		free(a);
		a = n;
	}
}
void *synth_grow(void *p, unsigned *cap, unsigned need, size_t size)
{
	if (need <= *cap)
		return p;
	unsigned n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(p, (size_t)n * size);
	if (q)
		*cap = n;
	return q;
}

const char *synth_intern(struct synth *s, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char *p = arena_dup(&s->arena, buf);
	if (!p) {
		s->err = -ENOMEM;
		return "";
	}
	return p;
}
/* ---- building the host ------------------------------------------------ */

struct sproc *synth_proc_add(struct synth *s)
{
	struct sproc *p = synth_grow(s->procs, &s->procs_cap, s->nprocs + 1,
				     sizeof(*p));
	if (!p) {
		s->err = -ENOMEM;
		return NULL;
	}
	s->procs = p;
	p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof(*p));
	p->tmpl = -1;
	p->mmap_next = 0x7f0000000000ULL + ((uint64_t)rng_below(&s->r, 1 << 20)
					    << 20);
	p->heap = 0x550000000000ULL + ((uint64_t)rng_below(&s->r, 1 << 20)
				       << 16);
	p->nfds = 3 + rng_below(&s->r, 12);
	return p;
}

struct sthread *synth_thread_add(struct synth *s, uint32_t proc,
				 uint32_t tid, const char *comm)
{
	struct sthread *t = synth_grow(s->threads, &s->threads_cap,
				       s->nthreads + 1, sizeof(*t));
	if (!t) {
		s->err = -ENOMEM;
		return NULL;
	}
	s->threads = t;
	t = &s->threads[s->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->proc = proc;
	t->comm = comm;
	t->cpu = rng_below(&s->r, s->info.cpus);
	t->prio = 120;
	t->dies = UINT64_MAX;
	t->pending_close = -1;
	t->buf = s->procs[proc].heap + ((uint64_t)rng_below(&s->r, 4096) << 12);
	t->futex = s->procs[proc].heap + 0x1000 +
		   ((uint64_t)rng_below(&s->r, 64) << 6);
	return t;
}

/* The Nth name of a '|'-separated list, cycled. */
static const char *nth_name(struct synth *s, const char *list, unsigned n)
{
	unsigned count = 1;

	for (const char *c = list; *c; c++)
		count += *c == '|';
	n %= count;
	const char *b = list;
	while (n--)
		b = strchr(b, '|') + 1;
	const char *e = strchr(b, '|');
	return synth_intern(s, "%.*s", e ? (int)(e - b) : (int)strlen(b), b);
}

static void listen_set(struct synth *s, struct sproc *p, const char *listen)
{
	char ip[64];
	unsigned port;

	if (!listen || sscanf(listen, "%63[^:]:%u", ip, &port) != 2)
		return;
	p->listen_ip = synth_intern(s, "%s", ip);
	p->listen_port = port;
	p->listen_family = strchr(ip, ':') ? AF_INET6_ : AF_INET_;
}

uint32_t synth_pid_take(struct synth *s, unsigned n)
{
	uint32_t pid = s->next_pid;

	s->next_pid += n + rng_below(&s->r, 3);
	return pid;
}

void synth_host_build(struct synth *s)
{
	uint32_t first[SYNTH_NTMPLS];
	uint64_t t0 = s->o.ts_start;

	s->next_pid = 3;
	/* Kernel threads: kthreadd's children, one set per cpu. */
	for (unsigned ti = 0; ti < SYNTH_NTMPLS; ti++) {
		const struct proc_tmpl *tp = &synth_tmpls[ti];
		int parent_tmpl = tp->parent == -2 ? (int)ti - 1 : tp->parent;

		for (unsigned i = 0; i < tp->count; i++) {
			struct sproc *p = synth_proc_add(s);
			if (!p)
				return;
			uint32_t pi = s->nprocs - 1;
			if (i == 0)
				first[ti] = pi;
			p->tmpl = (int)ti;
			p->pid = ti == T_SYSTEMD ? 1 : ti == T_KTHREADD ? 2 :
				 synth_pid_take(s, tp->threads);
			/* the i-th child under the i-th parent instance */
			p->ppid = parent_tmpl < 0 ? 0 :
				  s->procs[first[parent_tmpl] +
					   i % synth_tmpls[parent_tmpl].count].pid;
			p->comm = tp->comm;
			p->exe = tp->exe;
			p->cgroup = tp->cgroup;
			p->cmdline = tp->cmdline;
			p->flavor = tp->flavor;
			p->spawner = tp->spawner;
			p->start_ts = t0 - (ti < 2 ? 7200 * SEC :
				      (uint64_t)(rng_unit(&s->r) * 7000 * SEC));
			listen_set(s, p, tp->listen);
			if (ti == T_SHIM) {
				p->cmdline = synth_intern(s, "/usr/bin/containerd-"
					"shim-runc-v2 -namespace moby -id "
					"%016llx%016llx%016llx%016llx "
					"-address /run/containerd/containerd."
					"sock",
					(unsigned long long)rng_u64(&s->r),
					(unsigned long long)rng_u64(&s->r),
					(unsigned long long)rng_u64(&s->r),
					(unsigned long long)rng_u64(&s->r));
			}
			if (tp->flavor == FL_KERNEL)
				continue;
			for (unsigned k = 0; k < tp->threads; k++) {
				const char *c = tp->comm;
				if (tp->thread_comms)
					c = nth_name(s, tp->thread_comms, k);
				struct sthread *t =
					synth_thread_add(s, pi, p->pid + k, c);
				if (!t)
					return;
				t->prio = tp->prio;
				t->start_ts = p->start_ts + k * 3 * MS;
			}
		}
	}

	/* Kernel threads. */
	static const char *const kt_percpu[] = { "cpuhp/%u", "migration/%u",
						 "ksoftirqd/%u", "kworker/%u:1",
						 "kworker/%u:0H" };
	uint32_t kproc_start = s->nprocs;
	for (unsigned c = 0; c < s->info.cpus; c++) {
		for (unsigned k = 0; k < ARRAY_SIZE(kt_percpu); k++) {
			struct sproc *p = synth_proc_add(s);
			if (!p)
				return;
			p->pid = synth_pid_take(s, 1);
			p->ppid = 2;
			p->comm = synth_intern(s, kt_percpu[k], c);
			p->exe = p->cmdline = p->cgroup = "";
			p->flavor = FL_KERNEL;
			p->start_ts = t0 - 7200 * SEC + c * MS;
		}
	}
	static const char *const kt_misc[] = {
		"rcu_preempt", "kcompactd0", "khugepaged", "kswapd0",
		"kworker/u16:2-events_unbound", "jbd2/nvme0n1p1-8",
		"kworker/u16:0-flush-259:0", "irq/45-nvme0q1",
	};
	for (unsigned k = 0; k < ARRAY_SIZE(kt_misc); k++) {
		struct sproc *p = synth_proc_add(s);
		if (!p)
			return;
		p->pid = synth_pid_take(s, 1);
		p->ppid = 2;
		p->comm = kt_misc[k];
		p->exe = p->cmdline = p->cgroup = "";
		p->flavor = FL_KERNEL;
		p->start_ts = t0 - 7100 * SEC;
	}
	for (uint32_t pi = kproc_start; pi < s->nprocs; pi++) {
		struct sthread *t = synth_thread_add(s, pi, s->procs[pi].pid,
					       s->procs[pi].comm);
		if (!t)
			return;
		t->kernel = 1;
		t->start_ts = s->procs[pi].start_ts;
		if (strncmp(t->comm, "migration/", 10) == 0)
			t->prio = 0;
		if (strncmp(t->comm, "cpuhp/", 6) == 0 ||
		    strncmp(t->comm, "migration/", 10) == 0 ||
		    strncmp(t->comm, "ksoftirqd/", 10) == 0 ||
		    strncmp(t->comm, "kworker/", 8) == 0)
			(void)sscanf(strchr(t->comm, '/') + 1, "%u", &t->cpu);
		if (t->cpu >= s->info.cpus)
			t->cpu = 0;
	}

	/* Containers until the host has opts.procs processes. */
	uint32_t shims = first[T_SHIM];
	for (unsigned i = 0; s->nprocs < s->o.procs; i++) {
		unsigned a = rng_below(&s->r, SYNTH_NAPPS);
		uint32_t shim_pid =
			s->procs[shims + i % synth_tmpls[T_SHIM].count].pid;
		char id[65];
		snprintf(id, sizeof(id), "%016llx%016llx%016llx%016llx",
			 (unsigned long long)rng_u64(&s->r),
			 (unsigned long long)rng_u64(&s->r),
			 (unsigned long long)rng_u64(&s->r),
			 (unsigned long long)rng_u64(&s->r));
		struct sproc *p = synth_proc_add(s);
		if (!p)
			return;
		uint32_t pi = s->nprocs - 1;
		p->pid = synth_pid_take(s, synth_apps[a].threads);
		p->ppid = shim_pid;
		p->comm = synth_apps[a].comm;
		p->exe = synth_apps[a].exe;
		p->cmdline = synth_apps[a].cmdline;
		p->cgroup = synth_intern(s, "/system.slice/docker-%s.scope", id);
		p->container = synth_intern(s, "%.12s", id);
		p->flavor = synth_apps[a].flavor;
		p->start_ts = t0 - (uint64_t)(rng_unit(&s->r) * 5000 * SEC);
		listen_set(s, p, synth_apps[a].listen);
		for (unsigned k = 0; k < synth_apps[a].threads; k++) {
			struct sthread *t = synth_thread_add(s, pi, p->pid + k,
						       p->comm);
			if (!t)
				return;
			t->start_ts = p->start_ts + k * MS;
		}
	}

	/* Rank the user threads by activity for the Zipf draw. */
	double *act = calloc(s->nthreads, sizeof(*act));
	s->hot = calloc(s->nthreads, sizeof(*s->hot));
	s->kthreads = calloc(s->nthreads, sizeof(*s->kthreads));
	if (!act || !s->hot || !s->kthreads) {
		free(act);
		s->err = -ENOMEM;
		return;
	}
	for (uint32_t i = 0; i < s->nthreads; i++) {
		struct sthread *t = &s->threads[i];
		const struct sproc *p = &s->procs[t->proc];
		if (t->kernel) {
			s->kthreads[s->nkthreads++] = i;
			continue;
		}
		double a = p->tmpl >= 0 ? synth_tmpls[p->tmpl].activity : 0.3;
		for (unsigned k = 0; p->tmpl < 0 && k < SYNTH_NAPPS; k++)
			if (strcmp(synth_apps[k].comm, p->comm) == 0)
				a = synth_apps[k].activity;
		act[i] = a * exp(rng_normal(&s->r));
		s->hot[s->nhot++] = i;
	}
	/* insertion sort, stable: a few hundred entries, once */
	for (unsigned i = 1; i < s->nhot; i++) {
		uint32_t v = s->hot[i];
		unsigned j = i;
		while (j && act[s->hot[j - 1]] < act[v]) {
			s->hot[j] = s->hot[j - 1];
			j--;
		}
		s->hot[j] = v;
	}
	free(act);
}

void synth_paths_build(struct synth *s)
{
	unsigned want[PC_COUNT] = { 0 };

	for (unsigned i = 0; i < SYNTH_NPATH_LISTS; i++)
		want[synth_path_lists[i].c] += synth_path_lists[i].n;
	want[PC_PROC] += 120;
	want[PC_DB] = 600;
	want[PC_WEB] = 300;
	want[PC_TMP] = 150;
	for (unsigned c = 0; c < PC_COUNT; c++) {
		s->paths[c].p = calloc(want[c], sizeof(char *));
		s->paths[c].noent = calloc(want[c], sizeof(double));
		if (!s->paths[c].p || !s->paths[c].noent) {
			s->err = -ENOMEM;
			return;
		}
	}
#define PATH_ADD(cat, str, pe)                                   \
	do {                                                     \
		unsigned n_ = s->paths[cat].n++;                 \
		s->paths[cat].p[n_] = (str);                     \
		s->paths[cat].noent[n_] = (pe);                  \
	} while (0)
	for (unsigned i = 0; i < SYNTH_NPATH_LISTS; i++) {
		const struct path_list *l = &synth_path_lists[i];
		for (unsigned k = 0; k < l->n; k++)
			PATH_ADD(l->c, l->p[k], l->noent);
	}
	for (unsigned k = 0; k < 120; k++) {
		static const char *const f[] = { "stat", "status", "cmdline",
						 "io", "fd", "cgroup" };
		const struct sproc *p = &s->procs[rng_below(&s->r, s->nprocs)];
		PATH_ADD(PC_PROC, synth_intern(s, "/proc/%u/%s", p->pid,
					 f[rng_below(&s->r, ARRAY_SIZE(f))]),
			 0.02);
	}
	uint32_t rel = 16384;
	for (unsigned k = 0; k < 600; k++) {
		rel += 1 + rng_below(&s->r, 40);
		static const char *const fork_sfx[] = { "", "", "", "_fsm",
							"_vm", ".1" };
		if (k % 50 == 49)
			PATH_ADD(PC_DB, synth_intern(s, "/var/lib/postgresql/15/main/"
					      "pg_wal/00000001000000A3000000%02X",
					      k / 50 + 0x40), 0.001);
		else
			PATH_ADD(PC_DB, synth_intern(s, "/var/lib/postgresql/15/main/"
					      "base/16384/%u%s", rel,
					      fork_sfx[rng_below(&s->r, 6)]),
				 0.003);
	}
	static const char *const web_dirs[] = { "static/js", "static/css",
						"img", "assets/fonts", "api/v1" };
	static const char *const web_ext[] = { "js", "css", "png", "woff2",
					       "json" };
	for (unsigned k = 0; k < 300; k++) {
		unsigned d = rng_below(&s->r, ARRAY_SIZE(web_dirs));
		PATH_ADD(PC_WEB, synth_intern(s, "/var/www/html/%s/%s.%08x.%s",
					web_dirs[d],
					k % 3 ? "chunk" : "main",
					(unsigned)rng_u64(&s->r), web_ext[d]),
			 0.08);
	}
	for (unsigned k = 0; k < 150; k++) {
		if (k % 3 == 0)
			PATH_ADD(PC_TMP, synth_intern(s, "/tmp/tmp%08x",
						(unsigned)rng_u64(&s->r)),
				 0.05);
		else if (k % 3 == 1)
			PATH_ADD(PC_TMP, synth_intern(s, "/dev/shm/PostgreSQL.%u",
						(unsigned)rng_below(&s->r,
								    1u << 31)),
				 0.01);
		else
			PATH_ADD(PC_TMP, synth_intern(s, "/tmp/hsperfdata_app/%u",
						10000 + rng_below(&s->r, 40000)),
				 0.3);
	}
#undef PATH_ADD
	for (unsigned f = 0; f < FL_COUNT; f++) {
		double sum = 0;
		for (unsigned c = 0; c < PC_COUNT; c++)
			sum += synth_path_habits[f][c];
		double acc = 0;
		for (unsigned c = 0; c < PC_COUNT; c++) {
			acc += sum ? synth_path_habits[f][c] / sum : 0;
			s->habit_cdf[f][c] = acc;
		}
	}
}

int synth_spec_index(const char *name)
{
	for (unsigned i = 0; i < SYNTH_NSPECS; i++)
		if (strcmp(synth_specs[i].name, name) == 0)
			return (int)i;
	return -1;
}

int synth_mixes_build(struct synth *s)
{
	for (unsigned i = 0; i < SYNTH_NSPECS; i++) {
		s->nr[i] = systab_nr("x86_64", synth_specs[i].name);
		if (s->nr[i] < 0)
			return -EINVAL;
	}
	for (unsigned f = 0; f < FL_COUNT; f++) {
		double sum = 0, acc = 0;
		for (unsigned k = 0; k < synth_mixes[f].n; k++)
			sum += synth_mixes[f].e[k].weight;
		for (unsigned k = 0; k < synth_mixes[f].n && k < 64; k++) {
			int si = synth_spec_index(synth_mixes[f].e[k].name);
			if (si < 0)
				return -EINVAL;
			acc += synth_mixes[f].e[k].weight / sum;
			s->mix[f].cdf[k] = acc;
			s->mix[f].spec[k] = (unsigned)si;
			s->mix[f].n = k + 1;
		}
	}
	return 0;
}
