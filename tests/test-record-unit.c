/*
 * test-record-unit.c - the recorder's user-space modules without BPF or
 * root: the live-task table, the syscall capture plan, /proc parsing,
 * socket address formatting, and the conversion of ring records into a
 * trace (synthetic records in, SQL on the written trace out).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <cmocka.h>

#include <bpf/btf.h>

#include "record/record.h"
#include "store/systab.h"

static void test_tasks(void **state)
{
	struct rec_tasks *t = rec_tasks_new();

	assert_non_null(t);
	for (uint32_t id = 1; id <= 20000; id++) {
		struct rec_task *e = rec_tasks_put(t, id * 7919u);

		assert_non_null(e);
		e->pid = id;
	}
	assert_int_equal(rec_tasks_count(t), 20000);
	for (uint32_t id = 1; id <= 20000; id += 2)
		rec_tasks_del(t, id * 7919u);
	assert_int_equal(rec_tasks_count(t), 10000);
	/* Backward-shift deletion must keep every survivor reachable. */
	for (uint32_t id = 1; id <= 20000; id++) {
		struct rec_task *e = rec_tasks_get(t, id * 7919u);

		if (id % 2) {
			assert_null(e);
		} else {
			assert_non_null(e);
			assert_int_equal(e->pid, id);
		}
	}
	struct rec_task *e = rec_tasks_put(t, 42);

	e->exe = strdup("/bin/x"); /* owned: freed by del and free */
	rec_tasks_del(t, 42);
	assert_null(rec_tasks_get(t, 42));
	assert_null(rec_tasks_get(t, 0));
	rec_tasks_free(t);
}

static void test_plan(void **state)
{
	struct rec_plan p;
	uint64_t args[6] = { 5, 0, 0, 0, 0, 0 };
	const char *a = "x86_64";

	assert_int_equal(rec_plan_init(&p, "no-such-arch"), -ENOENT);
	assert_int_equal(rec_plan_init(&p, a), 0);
	assert_int_equal(p.sci[systab_nr(a, "openat")] & KS_SCI_PATH_MASK, 2);
	assert_int_equal(p.sci[systab_nr(a, "open")] & KS_SCI_PATH_MASK, 1);
	assert_int_equal(p.sci[systab_nr(a, "symlinkat")] & KS_SCI_PATH_MASK, 3);
	assert_int_equal(p.sci[systab_nr(a, "connect")],
			 KS_SCI_ADDR_IN | (1 << KS_SCI_ADDR_ARG_SHIFT));
	assert_int_equal(p.sci[systab_nr(a, "recvfrom")],
			 KS_SCI_ADDR_OUT | (4 << KS_SCI_ADDR_ARG_SHIFT));
	assert_int_equal(p.sci[systab_nr(a, "getppid")], 0);
	assert_int_equal(rec_plan_fd(&p, systab_nr(a, "read"), args, 64), 5);
	assert_int_equal(rec_plan_fd(&p, systab_nr(a, "openat"), args, 7), 7);
	assert_int_equal(rec_plan_fd(&p, systab_nr(a, "openat"), args, -2), -1);
	assert_int_equal(rec_plan_fd(&p, systab_nr(a, "getppid"), args, 1), -1);
	assert_int_equal(rec_plan_fd(&p, -1, args, 1), -1);
	assert_int_equal(rec_plan_fd(&p, 100000, args, 1), -1);
	/* arm64 has no open(2): openat only. */
	assert_int_equal(rec_plan_init(&p, "aarch64"), 0);
	assert_int_equal(p.sci[systab_nr("aarch64", "openat")] & KS_SCI_PATH_MASK, 2);
}

/* ROOT/IRQ/actions := TEXT, as sysfs lists an irq's actions. */
static void irq_actions_put(const char *root, unsigned irq, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u", root, irq);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/%u/actions", root, irq);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void irq_actions_drop(const char *root, unsigned irq)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%u/actions", root, irq);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%u", root, irq);
	rmdir(path);
}

/* Interrupt names for waker_irq: softirq vectors by the kernel's names,
 * irq numbers by their actions under a sysfs root (a fake one here). */
static void test_irqnames(void **state)
{
	char root[] = "/tmp/kscope-irq.XXXXXX", want[16];
	struct rec_irqnames *n;

	(void)state;
	assert_non_null(mkdtemp(root));
	irq_actions_put(root, 24, "virtio0-input.0\n");
	irq_actions_put(root, 9, "acpi,ehci_hcd:usb1\n");

	assert_string_equal(rec_softirq_name(0), "HI");
	assert_string_equal(rec_softirq_name(3), "NET_RX");
	assert_string_equal(rec_softirq_name(9), "RCU");
	assert_null(rec_softirq_name(10));

	assert_non_null(n = rec_irqnames_new(root));
	assert_string_equal(rec_waker_irq_name(n, KS_WAKER_SOFTIRQ, 1), "TIMER");
	assert_string_equal(rec_waker_irq_name(n, KS_WAKER_SOFTIRQ, 4), "BLOCK");
	assert_string_equal(rec_waker_irq_name(n, KS_WAKER_SOFTIRQ, 12), "12");
	assert_string_equal(rec_waker_irq_name(n, KS_WAKER_HARDIRQ, 24),
			    "virtio0-input.0");
	/* shared: the record does not say which action ran */
	assert_string_equal(rec_waker_irq_name(n, KS_WAKER_HARDIRQ, 9),
			    "acpi,ehci_hcd:usb1");
	assert_string_equal(rec_waker_irq_name(n, KS_WAKER_HARDIRQ,
					       KS_WAKER_IRQ_HRTIMER), "hrtimer");
	assert_null(rec_waker_irq_name(n, KS_WAKER_HARDIRQ, KS_WAKER_IRQ_NONE));
	assert_null(rec_waker_irq_name(n, KS_WAKER_SOFTIRQ, KS_WAKER_IRQ_NONE));
	assert_null(rec_waker_irq_name(n, KS_WAKER_TASK, 3));
	assert_null(rec_waker_irq_name(n, KS_WAKER_NMI, 3));
	/* an irq sysfs does not name reads as its number, and the table
	 * grows past its first size keeping what it knew */
	for (uint32_t irq = 1000; irq < 1600; irq++) {
		snprintf(want, sizeof(want), "%u", irq);
		assert_string_equal(rec_waker_irq_name(n, KS_WAKER_HARDIRQ, irq),
				    want);
	}
	assert_string_equal(rec_waker_irq_name(n, KS_WAKER_HARDIRQ, 24),
			    "virtio0-input.0");
	rec_irqnames_free(n);

	irq_actions_drop(root, 24);
	irq_actions_drop(root, 9);
	rmdir(root);
}

/* Distances between per-CPU variables, from a BTF made here: two in the
 * per-CPU section, one elsewhere. */
static void test_percpu_delta(void **state)
{
	struct btf *btf = btf__new_empty();
	int64_t d = 0;
	int i32, pc, rq, other, sec;

	(void)state;
	assert_non_null(btf);
	assert_true((i32 = btf__add_int(btf, "int", 4, BTF_INT_SIGNED)) > 0);
	pc = btf__add_var(btf, "__preempt_count", BTF_VAR_GLOBAL_ALLOCATED, i32);
	rq = btf__add_var(btf, "runqueues", BTF_VAR_GLOBAL_ALLOCATED, i32);
	other = btf__add_var(btf, "jiffies", BTF_VAR_GLOBAL_ALLOCATED, i32);
	assert_true(pc > 0 && rq > 0 && other > 0);
	assert_true((sec = btf__add_datasec(btf, ".data", 8)) > 0);
	assert_int_equal(btf__add_datasec_var_info(btf, other, 0, 4), 0);
	assert_true((sec = btf__add_datasec(btf, ".data..percpu", 200000)) > 0);
	assert_int_equal(btf__add_datasec_var_info(btf, pc, 86064, 4), 0);
	assert_int_equal(btf__add_datasec_var_info(btf, rq, 195520, 4), 0);

	assert_int_equal(rec_percpu_delta(btf, "__preempt_count", "runqueues",
					  &d), 0);
	assert_true(d == 86064 - 195520);
	assert_int_equal(rec_percpu_delta(btf, "jiffies", "runqueues", &d),
			 -ENOENT);
	assert_int_equal(rec_percpu_delta(NULL, "__preempt_count",
					  "runqueues", &d), -ENOENT);
	btf__free(btf);
}

static void test_sockaddr(void **state)
{
	char out[160];
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(80) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
				    .sin6_port = htons(443) };
	struct sockaddr_un un = { .sun_family = AF_UNIX };

	inet_pton(AF_INET, "10.1.2.3", &in.sin_addr);
	rec_sockaddr_format(&in, sizeof(in), out, sizeof(out));
	assert_string_equal(out, "10.1.2.3:80");
	in6.sin6_addr = in6addr_loopback;
	rec_sockaddr_format(&in6, sizeof(in6), out, sizeof(out));
	assert_string_equal(out, "[::1]:443");
	strcpy(un.sun_path, "/run/x.sock");
	rec_sockaddr_format(&un, offsetof(struct sockaddr_un, sun_path) + 12,
			    out, sizeof(out));
	assert_string_equal(out, "unix:/run/x.sock");
	memcpy(un.sun_path, "\0abs", 4);
	rec_sockaddr_format(&un, offsetof(struct sockaddr_un, sun_path) + 4,
			    out, sizeof(out));
	assert_string_equal(out, "unix:@abs");
	rec_sockaddr_format(&in, 3, out, sizeof(out)); /* cut: no crash */
	assert_string_equal(out, "family:2");
	rec_sockaddr_format(&in, 1, out, sizeof(out));
	assert_string_equal(out, "");
}

static void test_container(void **state)
{
	char out[80];
	const char *id = "0123456789abcdef0123456789abcdef"
			 "0123456789abcdef0123456789abcdef";
	char path[256];

	snprintf(path, sizeof(path), "/system.slice/docker-%s.scope", id);
	rec_cgroup_container(path, out, sizeof(out));
	assert_string_equal(out, "0123456789ab");
	snprintf(path, sizeof(path), "/kubepods/pod1/cri-containerd-%s.scope", id);
	rec_cgroup_container(path, out, sizeof(out));
	assert_string_equal(out, "0123456789ab");
	rec_cgroup_container("/user.slice/user-1000.slice", out, sizeof(out));
	assert_string_equal(out, "");
}

static int count_thread(void *ctx, uint32_t tid, const char *comm,
			uint64_t start_ts)
{
	(*(int *)ctx)++;
	return 0;
}

static void test_procfs(void **state)
{
	struct rec_proc_info *info = malloc(sizeof(*info));
	uint32_t self = (uint32_t)getpid(), *pids;
	size_t n;
	int nthreads = 0, found = 0;

	assert_int_equal(rec_procfs_read("/proc", self, info, NULL), 0);
	assert_int_equal(info->pid, self);
	assert_int_equal(info->ppid, (uint32_t)getppid());
	assert_non_null(strstr(info->cmdline, "test-record-unit"));
	assert_true(info->start_ts > 0);
	assert_int_equal(rec_procfs_threads("/proc", self, count_thread,
					    &nthreads), 0);
	assert_int_equal(nthreads, 1);
	assert_int_equal(rec_procfs_pids("/proc", &self, 1, &pids, &n), 0);
	assert_true(n >= 1);
	assert_int_equal(pids[0], self);
	free(pids);
	assert_int_equal(rec_procfs_pids("/proc", NULL, 0, &pids, &n), 0);
	for (size_t i = 0; i < n; i++)
		found |= pids[i] == self || pids[i] == 1;
	assert_true(found);
	free(pids);
	assert_int_equal(rec_procfs_read("/proc", 0x7ffffff0u, info, NULL), -ENOENT);
	free(info);
}

/* A file NAME under DIR with TEXT. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* /proc/PID/task/TID/syscall as the kernel writes it, in a made-up /proc:
 * a blocked call, a thread on a CPU, one outside a call, a kernel thread. */
static void test_procfs_syscall(void **state)
{
	char dir[] = "/tmp/kscope-proc-XXXXXX", cmd[600];
	struct rec_proc_call call;
	const char *t = "7/task/8";

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/%s", dir, t);
	assert_int_equal(system(cmd), 0);
	put_file(dir, "7/task/8/stat", "8 (a b) c) S 1 8 8 0 -1 4194560 95 0 0 0 "
		 "0 0 0 0 20 0 1 0 123 2506752 200 18446744073709551615 1 1 0 "
		 "0 0 0 0 0 0 0 0 0 17 3 0 0 0 0 0\n");
	put_file(dir, "7/task/8/syscall", "0 0x3 0x7ffd12 0x1000 0x0 0x0 0x0 "
		 "0x7ffd00 0x7f0012\n");
	assert_int_equal(rec_procfs_syscall(dir, 7, 8, &call), 1);
	assert_int_equal(call.nr, 0);
	assert_int_equal(call.args[0], 3);
	assert_int_equal(call.args[1], 0x7ffd12);
	assert_int_equal(call.args[2], 0x1000);
	assert_int_equal(call.cpu, 3); /* field 39, comm with ") " inside */
	put_file(dir, "7/task/8/syscall", "running\n");
	assert_int_equal(rec_procfs_syscall(dir, 7, 8, &call), 0);
	put_file(dir, "7/task/8/syscall", "-1 0x7ffd00 0x7f0012\n");
	assert_int_equal(rec_procfs_syscall(dir, 7, 8, &call), 0);
	put_file(dir, "7/task/8/syscall", "0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x0\n");
	assert_int_equal(rec_procfs_syscall(dir, 7, 8, &call), 0);
	assert_int_equal(rec_procfs_syscall(dir, 7, 9, &call), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);

	/* a string of this process, whole and cut */
	static const char s[] = "/some/path/argument";
	char buf[64];

	assert_int_equal(rec_procfs_user_str((uint32_t)getpid(),
					     (uint64_t)(uintptr_t)s, buf,
					     sizeof(buf)), (ssize_t)strlen(s));
	assert_string_equal(buf, s);
	assert_int_equal(rec_procfs_user_str((uint32_t)getpid(),
					     (uint64_t)(uintptr_t)s, buf, 6),
			 -E2BIG);
	assert_string_equal(buf, "/some");
}

/* ---- listening sockets found in /proc ---------------------------------- */

struct seen_listen {
	struct ks_listen_key k[8];
	struct ks_conn_key c[8];
	int n, nc;
};

static int seen_one(void *ctx, const struct ks_listen_key *k)
{
	struct seen_listen *s = ctx;

	if (s->n < 8)
		s->k[s->n++] = *k;
	return 0;
}

static int seen_conn(void *ctx, const struct ks_conn_key *k)
{
	struct seen_listen *s = ctx;

	if (s->nc < 8)
		s->c[s->nc++] = *k;
	return 0;
}

/* Does S hold a key equal to WANT? */
static int seen_has(const struct seen_listen *s, const struct ks_listen_key *w)
{
	for (int i = 0; i < s->n; i++)
		if (!memcmp(&s->k[i], w, sizeof(*w)))
			return 1;
	return 0;
}

/* This process listens on 127.0.0.1 and ::1 (ports from getsockname, the
 * namespace from /proc/self/ns/net) and holds a socket connected to the
 * first: the two listeners and the connection (not the other end, which
 * was never accepted and has no file) are found, keyed as the BPF program
 * keys them. */
static void test_listeners(void **state)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	socklen_t l4 = sizeof(a4), l6 = sizeof(a6);
	struct ks_listen_key w4 = { .family = AF_INET },
			     w6 = { .family = AF_INET6 };
	struct seen_listen seen = { .n = 0 };
	struct sockaddr_in ca = { .sin_family = AF_INET };
	socklen_t cl = sizeof(ca);
	struct ks_conn_key wc = { .family = AF_INET };
	const struct rec_sockets_fn fn = { seen_one, seen_conn };
	char link[64];
	uint32_t netns = 0;
	ssize_t ll;
	int s4, s6, c;

	(void)state;
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s4 = socket(AF_INET, SOCK_STREAM, 0);
	s6 = socket(AF_INET6, SOCK_STREAM, 0);
	assert_true(s4 >= 0 && s6 >= 0);
	assert_int_equal(bind(s4, (struct sockaddr *)&a4, l4), 0);
	assert_int_equal(listen(s4, 1), 0);
	assert_int_equal(getsockname(s4, (struct sockaddr *)&a4, &l4), 0);
	if (bind(s6, (struct sockaddr *)&a6, l6) < 0) {
		close(s6); /* no IPv6 here */
		s6 = -1;
	} else {
		assert_int_equal(listen(s6, 1), 0);
		assert_int_equal(getsockname(s6, (struct sockaddr *)&a6, &l6),
				 0);
	}
	c = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(c, (struct sockaddr *)&a4, sizeof(a4)), 0);
	assert_int_equal(getsockname(c, (struct sockaddr *)&ca, &cl), 0);
	ll = readlink("/proc/self/ns/net", link, sizeof(link) - 1);
	assert_true(ll > 0);
	link[ll] = 0;
	assert_int_equal(sscanf(link, "net:[%u]", &netns), 1);

	assert_int_equal(rec_sockets_read("/proc", (uint32_t)getpid(), &fn,
					  &seen), 0);
	w4.netns = w6.netns = netns;
	w4.port = ntohs(a4.sin_port);
	memcpy(w4.addr, &a4.sin_addr, 4);
	w6.port = ntohs(a6.sin6_port);
	memcpy(w6.addr, &a6.sin6_addr, 16);
	assert_int_equal(seen.n, s6 >= 0 ? 2 : 1);
	assert_true(seen_has(&seen, &w4));
	if (s6 >= 0)
		assert_true(seen_has(&seen, &w6));
	wc.netns = netns;
	wc.sport = ntohs(ca.sin_port);
	wc.dport = ntohs(a4.sin_port);
	memcpy(wc.saddr, &ca.sin_addr, 4);
	memcpy(wc.daddr, &a4.sin_addr, 4);
	assert_int_equal(seen.nc, 1);
	assert_memory_equal(&seen.c[0], &wc, sizeof(wc));
	assert_int_equal(rec_sockets_read("/proc", 0x7ffffff0u, &fn, &seen),
			 -ENOENT);
	close(c);
	close(s4);
	if (s6 >= 0)
		close(s6);
}

/* ---- conversion: records in, trace out -------------------------------- */

static char *sql_text(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	char *out = NULL;

	assert_int_equal(sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL),
			 SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		out = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out ? out : strdup("NULL");
}

#define assert_sql(st, sql, want) do {                  \
		char *got_ = sql_text(st, sql);          \
		assert_string_equal(got_, want);         \
		free(got_);                              \
	} while (0)

/* A converter writing into a fresh trace with the snapshot process P:
 * conv_open, records through fx.c, conv_read (closes the writer and opens
 * the trace), assert_sql on fx.st, conv_done. */
struct conv_fix {
	char path[32];
	char err[STORE_ERRLEN];
	const char *arch; /* the host's, for syscall numbers */
	struct rec_plan plan;
	struct store_writer *w;
	struct rec_conv *c;
	struct store *st;
};

static void conv_open(struct conv_fix *f, const struct rec_proc_info *p)
{
	struct store_writer_opts wo = { .force = 1 };
	int fd;

	f->arch = systab_host_arch() ? systab_host_arch() : "x86_64";
	snprintf(f->path, sizeof(f->path), "/tmp/kscope-unit-XXXXXX");
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rec_plan_init(&f->plan, f->arch), 0);
	f->w = store_writer_open(f->path, &wo, f->err);
	assert_non_null(f->w);
	f->c = rec_conv_new(f->w, &f->plan, 1);
	assert_non_null(f->c);
	assert_int_equal(rec_conv_snapshot(f->c, p), 0);
}

static void conv_read(struct conv_fix *f)
{
	rec_conv_free(f->c);
	assert_int_equal(store_writer_close(f->w, f->err), 0);
	f->st = store_open(f->path, f->err);
	assert_non_null(f->st);
}

static void conv_done(struct conv_fix *f)
{
	store_close(f->st);
	unlink(f->path);
}

/* A call the capture filters dropped (KS_SC_BOOKKEEP) is not stored, but
 * its effect on the fd table is: a read of fd 3 after open(a), close(3)
 * and open(b) = 3, only the reads written, names b. */
static void test_convert_bookkeep(void **state)
{
	struct conv_fix fx;
	struct rec_proc_info p = { .pid = 200, .ppid = 1, .start_ts = 1000,
				   .comm = "cat" };
	struct {
		struct ks_syscall_ext x;
		char data[16];
	} op = { 0 };
	struct ks_syscall rd = {
		.hdr = { .tid = 200, .pid = 200, .type = KS_REC_SYSCALL },
		.ret = 5, .args = { 3 },
	}, cl = rd;

	(void)state;
	conv_open(&fx, &p);
	rd.hdr.nr = systab_nr(fx.arch, "read");
	cl.hdr.nr = systab_nr(fx.arch, "close");
	cl.hdr.flags = KS_SC_BOOKKEEP;
	cl.ret = 0;
	op.x.sc.hdr = (struct ks_hdr){ .ts = 100, .tid = 200, .pid = 200,
				       .type = KS_REC_SYSCALL_EXT,
				       .flags = KS_SC_BOOKKEEP,
				       .nr = systab_nr(fx.arch, "openat") };
	op.x.sc.args[0] = (uint64_t)-100; /* AT_FDCWD */
	op.x.sc.ret = 3;
	op.x.path_len = 2;
	memcpy(op.data, "/a", 2);
	assert_int_equal(rec_conv_record(fx.c, &op, sizeof(op.x) + 8), 0);
	rd.hdr.ts = 200;
	assert_int_equal(rec_conv_record(fx.c, &rd, sizeof(rd)), 0);
	cl.hdr.ts = 300;
	assert_int_equal(rec_conv_record(fx.c, &cl, sizeof(cl)), 0);
	op.x.sc.hdr.ts = 400;
	memcpy(op.data, "/b", 2);
	assert_int_equal(rec_conv_record(fx.c, &op, sizeof(op.x) + 8), 0);
	rd.hdr.ts = 500;
	assert_int_equal(rec_conv_record(fx.c, &rd, sizeof(rd)), 0);
	conv_read(&fx);
	/* (no arch in this trace's meta: calls by number) */
	assert_sql(fx.st, "SELECT group_concat(fd || ' ' || quote(fd_name), "
		   "', ') FROM (SELECT * FROM syscalls ORDER BY ts)",
		   "3 '/a', 3 '/b'");
	conv_done(&fx);
}

/* A recorded thread's switches alternate in and out; one that repeats
 * is a switch not seen, counted.  An unrecorded side, or a thread seen
 * first switching out, counts nothing; a dead thread's tid starts over. */
static void test_switch_gaps(void **state)
{
	struct conv_fix fx;
	struct rec_proc_info p = { .pid = 100, .ppid = 1, .start_ts = 1000,
				   .comm = "w" };
	static const struct {
		uint32_t prev, next;
		uint8_t flags;
		int64_t prev_state;
		uint64_t gaps; /* after it */
	} seq[] = {
		{ 100, 0, KS_SWITCH_PREV_REC, 1, 0 },       /* first: out */
		{ 0, 100, KS_SWITCH_NEXT_REC, 0, 0 },       /* in */
		{ 100, 7, KS_SWITCH_PREV_REC, 1, 0 },       /* out, to 7 */
		{ 100, 0, KS_SWITCH_PREV_REC, 1, 1 },       /* out again */
		{ 7, 100, KS_SWITCH_NEXT_REC, 0, 1 },       /* 7 unrecorded */
		{ 7, 100, KS_SWITCH_NEXT_REC, 0, 2 },       /* in again */
		{ 100, 0, KS_SWITCH_PREV_REC, KS_TASK_DEAD, 2 }, /* dies */
		{ 0, 100, KS_SWITCH_NEXT_REC, 0, 2 },       /* tid reused */
	};

	(void)state;
	conv_open(&fx, &p);
	for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		struct ks_switch r = {
			.hdr = { .ts = 2000 + i, .tid = seq[i].prev,
				 .pid = seq[i].prev, .type = KS_REC_SWITCH,
				 .flags = seq[i].flags },
			.prev_state = seq[i].prev_state,
			.next_tid = seq[i].next, .next_pid = seq[i].next,
		};

		assert_int_equal(rec_conv_record(fx.c, &r, sizeof(r)), 0);
		assert_int_equal(rec_conv_switch_gaps(fx.c), seq[i].gaps);
	}
	conv_read(&fx);
	conv_done(&fx);
}

/* Every recorded thread has a threads row.  One born between the /proc
 * snapshot and the attach is in neither the snapshot nor a fork record:
 * its first recorded event gives it a row (start unknown: 0), named when
 * an event names it; a switch's unrecorded side gets none, and a thread
 * with a row already gets no second one.  A non-leader's exec keeps its
 * row (its calls before are of its process) and renames the leader's. */
static void test_convert_met_threads(void **state)
{
	struct conv_fix fx;
	struct rec_proc_info p = { .pid = 100, .ppid = 1, .start_ts = 1000,
				   .comm = "w" };
	struct ks_syscall sc = {
		.hdr = { .ts = 2000, .tid = 105, .pid = 100,
			 .type = KS_REC_SYSCALL },
	};
	struct ks_switch sw = {
		.hdr = { .ts = 2100, .tid = 105, .pid = 100,
			 .type = KS_REC_SWITCH, .flags = KS_SWITCH_PREV_REC },
		.prev_state = 1, .next_tid = 300, .next_pid = 300,
		.prev_comm = "worker", .next_comm = "other",
	};
	struct ks_fork f = {
		.hdr = { .ts = 2500, .tid = 100, .pid = 100, .type = KS_REC_FORK,
			 .flags = KS_FORK_THREAD },
		.ppid = 1, .child_tid = 107, .child_pid = 100,
		.child_start = 2500, .comm = "w",
	};
	struct ks_rename rn = {
		.hdr = { .ts = 2700, .tid = 106, .pid = 100,
			 .type = KS_REC_RENAME },
		.comm = "renamed",
	};
	struct {
		struct ks_exec e;
		char data[16];
	} ex = { .e = { .hdr = { .ts = 3000, .tid = 100, .pid = 100,
				 .type = KS_REC_EXEC },
			.ppid = 1, .old_tid = 108, .filename_len = 2,
			.argv_len = 2, .comm = "x2" } };

	(void)state;
	conv_open(&fx, &p);
	assert_int_equal(rec_conv_snapshot_thread(fx.c, 100, 100, "w", 1000),
			 0);
	sc.hdr.nr = systab_nr(fx.arch, "getppid");
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc)), 0);
	assert_int_equal(rec_conv_record(fx.c, &sw, sizeof(sw)), 0);
	/* 300 (unrecorded) out, 106 of 100 in */
	sw.hdr = (struct ks_hdr){ .ts = 2200, .tid = 300, .pid = 300,
				  .type = KS_REC_SWITCH,
				  .flags = KS_SWITCH_NEXT_REC };
	sw.next_tid = 106;
	sw.next_pid = 100;
	memcpy(sw.prev_comm, "other", 6);
	memcpy(sw.next_comm, "w2", 3);
	assert_int_equal(rec_conv_record(fx.c, &sw, sizeof(sw)), 0);
	assert_int_equal(rec_conv_record(fx.c, &f, sizeof(f)), 0);
	/* 107 and 100 switch: their rows are written already */
	sw.hdr = (struct ks_hdr){ .ts = 2600, .tid = 107, .pid = 100,
				  .type = KS_REC_SWITCH,
				  .flags = KS_SWITCH_PREV_REC |
					   KS_SWITCH_NEXT_REC };
	sw.next_tid = 100;
	memcpy(sw.prev_comm, "w", 2);
	memcpy(sw.next_comm, "w", 2);
	assert_int_equal(rec_conv_record(fx.c, &sw, sizeof(sw)), 0);
	assert_int_equal(rec_conv_record(fx.c, &rn, sizeof(rn)), 0);
	/* 108 calls, then execs: it becomes 100 */
	sc.hdr.ts = 2800;
	sc.hdr.tid = 108;
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc)), 0);
	memcpy(ex.data, "/x" "x2", 4);
	assert_int_equal(rec_conv_record(fx.c, &ex, sizeof(ex.e) + 8), 0);
	conv_read(&fx);
	assert_sql(fx.st, "SELECT group_concat(tid || ':' || pid || ':' || "
		   "ifnull(comm, '-') || ':' || start_ts, ' ') FROM (SELECT * "
		   "FROM threads ORDER BY tid, start_ts)",
		   "100:100:x2:1000 105:100:worker:0 106:100:renamed:0 "
		   "107:100:w:2500 108:100:-:0");
	conv_done(&fx);
}

static void test_convert(void **state)
{
	struct conv_fix fx;

	(void)state;

	struct rec_proc_info p = { .pid = 100, .ppid = 1, .start_ts = 1000,
				   .comm = "shell", .exe = "/bin/sh",
				   .cmdline = "sh -c x", .cgroup = "/a" };
	conv_open(&fx, &p);
	assert_int_equal(rec_conv_snapshot_thread(fx.c, 100, 100, "shell", 1000), 0);

	/* openat(AT_FDCWD, "/etc/passwd") = 3 */
	struct {
		struct ks_syscall_ext x;
		char data[64];
	} sc = { 0 };
	sc.x.sc.hdr = (struct ks_hdr){ .ts = 5000, .tid = 100, .pid = 100,
				       .cpu = 1, .type = KS_REC_SYSCALL_EXT,
				       .nr = systab_nr(fx.arch, "openat") };
	sc.x.sc.dur = 250;
	sc.x.sc.ret = 3;
	sc.x.path_len = 11;
	memcpy(sc.data, "/etc/passwd", 11);
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + 16), 0);

	/* connect(4, 127.0.0.1:8080) = -111, address after an empty path */
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(8080) };

	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	memset(&sc, 0, sizeof(sc));
	sc.x.sc.hdr = (struct ks_hdr){ .ts = 6000, .tid = 100, .pid = 100,
				       .type = KS_REC_SYSCALL_EXT,
				       .nr = systab_nr(fx.arch, "connect") };
	sc.x.sc.args[0] = 4;
	sc.x.sc.ret = -111;
	sc.x.addr_len = sizeof(in);
	memcpy(sc.data, &in, sizeof(in));
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + sizeof(in)), 0);

	/* calls without a result: the kernel side writes those of a thread
	 * that exited inside them, the stop walk marks its own; a call seen
	 * in progress at attach is early, finished or not */
	struct ks_syscall u = {
		.hdr = { .ts = 6100, .tid = 100, .pid = 100,
			 .type = KS_REC_SYSCALL, .flags = KS_SC_UNFINISHED,
			 .nr = systab_nr(fx.arch, "exit_group") } };
	assert_int_equal(rec_conv_record(fx.c, &u, sizeof(u)), 0);
	u.hdr.ts = 6200;
	u.hdr.nr = systab_nr(fx.arch, "read");
	u.hdr.flags = KS_SC_UNFINISHED | KS_SC_AT_STOP | KS_SC_EARLY;
	assert_int_equal(rec_conv_record(fx.c, &u, sizeof(u)), 0);
	u.hdr.ts = 6300;
	u.hdr.flags = KS_SC_EARLY;
	u.dur = 40;
	u.ret = 12;
	assert_int_equal(rec_conv_record(fx.c, &u, sizeof(u)), 0);

	/* a lying tail length is skipped and counted, not read */
	sc.x.addr_len = 60;
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + 16), 0);
	assert_int_equal(rec_conv_bad(fx.c), 1);
	/* short or unknown records too */
	assert_int_equal(rec_conv_record(fx.c, &sc, 10), 0);
	sc.x.sc.hdr.type = 99;
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc)), 0);
	assert_int_equal(rec_conv_bad(fx.c), 3);

	/* fork 100 -> 101, exec, exit 3 */
	struct ks_fork f = {
		.hdr = { .ts = 7000, .tid = 100, .pid = 100, .type = KS_REC_FORK },
		.ppid = 1, .child_tid = 101, .child_pid = 101,
		.child_start = 7000, .comm = "shell",
	};
	assert_int_equal(rec_conv_record(fx.c, &f, sizeof(f)), 0);
	struct {
		struct ks_exec e;
		char data[64];
	} ex = { .e = { .hdr = { .ts = 8000, .tid = 101, .pid = 101,
				 .type = KS_REC_EXEC },
			.ppid = 100, .old_tid = 101, .filename_len = 7,
			.argv_len = 11, .comm = "ls" } };
	memcpy(ex.data, "/bin/ls", 7);
	memcpy(ex.data + 7, "ls\0-l\0/tmp\0", 11);
	assert_int_equal(rec_conv_record(fx.c, &ex, sizeof(ex.e) + 24), 0);
	struct ks_exit x = {
		.hdr = { .ts = 9000, .tid = 101, .pid = 101, .type = KS_REC_EXIT,
			 .flags = KS_EXIT_GROUP_DEAD },
		.exit_code = 3 << 8, .ppid = 100, .comm = "ls",
	};
	assert_int_equal(rec_conv_record(fx.c, &x, sizeof(x)), 0);

	/* a TCP state change */
	struct ks_net n = {
		.hdr = { .ts = 9500, .tid = 100, .pid = 100, .type = KS_REC_NET },
		.kind = EV_NET_STATE, .family = 2, .sport = 40000, .dport = 80,
		.old_state = 7, .new_state = 2,
	};
	inet_pton(AF_INET, "10.0.0.1", n.saddr);
	inet_pton(AF_INET, "10.0.0.2", n.daddr);
	assert_int_equal(rec_conv_record(fx.c, &n, sizeof(n)), 0);

	conv_read(&fx);

	assert_sql(fx.st, "SELECT path || '|' || ret || '|' || fd || '|' || dur || "
		       "'|' || comm FROM syscalls WHERE ts=5000",
		   "/etc/passwd|3|3|250|shell");
	assert_sql(fx.st, "SELECT addr || '|' || ret || '|' || fd FROM syscalls "
		       "WHERE ts=6000", "127.0.0.1:8080|-111|4");
	assert_sql(fx.st, "SELECT count(*) FROM syscalls", "5");
	assert_sql(fx.st, "SELECT group_concat(flags || ':' || dur || ':' || ret, ' ') "
		       "FROM (SELECT * FROM syscalls WHERE ts IN (6100, 6200, "
		       "6300) ORDER BY ts)", "33:0:0 17:0:0 16:40:12");
	assert_sql(fx.st, "SELECT child_pid FROM proc_events WHERE kind='fork'",
		   "101");
	assert_sql(fx.st, "SELECT filename || '|' || argv FROM proc_events "
		       "WHERE kind='exec'", "/bin/ls|ls -l /tmp");
	assert_sql(fx.st, "SELECT exit_code || '|' || exit_signal FROM proc_events "
		       "WHERE kind='exit'", "3|0");
	assert_sql(fx.st, "SELECT ppid || '|' || cmdline || '|' || exe || '|' || "
		       "exit_code || '|' || end_ts || '|' || cgroup "
		       "FROM processes WHERE pid=101",
		   "100|ls -l /tmp|/bin/ls|3|9000|/a");
	assert_sql(fx.st, "SELECT comm FROM threads WHERE tid=101", "ls");
	assert_sql(fx.st, "SELECT saddr || ':' || sport || '>' || daddr || ':' || "
		       "dport || ' ' || new_state FROM net_events",
		   "10.0.0.1:40000>10.0.0.2:80 SYN_SENT");
	conv_done(&fx);
}

/* block_io: device names from a sysfs tree, the kernel's operation and
 * status codes, and a record of each kind through the converter. */
static void test_blkdev(void **state)
{
	char dir[] = "/tmp/kscope-sysfs-XXXXXX", path[256];
	struct rec_names *d;
	struct conv_fix fx;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dev", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/dev/block", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/dev/block/8:16", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/dev/block/8:16/uevent", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("MAJOR=8\nMINOR=16\nDEVNAME=sdb\nDEVTYPE=disk\n", f);
	fclose(f);

	assert_non_null(d = rec_names_new(dir, rec_blkdev_read));
	assert_string_equal(rec_names_get(d, 8u << 20 | 16), "sdb");
	assert_string_equal(rec_names_get(d, 8u << 20 | 32), "8:32");
	assert_string_equal(rec_names_get(d, 259u << 20 | 70000), "259:70000");
	unlink(path); /* known names are kept */
	assert_string_equal(rec_names_get(d, 8u << 20 | 16), "sdb");
	rec_names_free(d);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);

	assert_int_equal(rec_blk_op(0), EV_BLOCK_READ);
	assert_int_equal(rec_blk_op(1 | 1u << 11), EV_BLOCK_WRITE); /* + flags */
	assert_int_equal(rec_blk_op(2), EV_BLOCK_FLUSH);
	assert_int_equal(rec_blk_op(3), EV_BLOCK_DISCARD);
	assert_int_equal(rec_blk_op(5), EV_BLOCK_SECURE_ERASE);
	assert_int_equal(rec_blk_op(9), EV_BLOCK_WRITE_ZEROES);
	assert_int_equal(rec_blk_op(7), EV_BLOCK_OTHER); /* zone append */
	assert_int_equal(rec_blk_errno(0), 0);
	assert_int_equal(rec_blk_errno(1), -EOPNOTSUPP);
	assert_int_equal(rec_blk_errno(10), -EIO);
	assert_int_equal(rec_blk_errno(19), -EINVAL);
	assert_int_equal(rec_blk_errno(200), -EIO);

	struct rec_proc_info p = { .pid = 100, .ppid = 1, .comm = "sh" };
	struct ks_block b = {
		.hdr = { .ts = 5000, .tid = 101, .pid = 100, .cpu = 1,
			 .type = KS_REC_BLOCK },
		.dur = 700, .sector = 2048, .bytes = 65536,
		.dev = 4000u << 20 | 7, .cmd_flags = 1 | 1u << 11,
		.status = 10, .comm = "writer",
	};

	conv_open(&fx, &p);
	assert_int_equal(rec_conv_record(fx.c, &b, sizeof(b)), 0);
	/* a device flush: no submitter, no data; one in flight at stop */
	memset(&b, 0, sizeof(b));
	b.hdr = (struct ks_hdr){ .ts = 6000, .type = KS_REC_BLOCK };
	b.dur = 90;
	b.dev = 4000u << 20 | 7;
	b.cmd_flags = 2;
	assert_int_equal(rec_conv_record(fx.c, &b, sizeof(b)), 0);
	b.hdr.ts = 7000;
	b.dur = 0;
	b.cmd_flags = 0;
	assert_int_equal(rec_conv_record(fx.c, &b, sizeof(b)), 0);
	assert_int_equal(rec_conv_record(fx.c, &b, sizeof(b) - 8), 0);
	assert_int_equal(rec_conv_bad(fx.c), 1);
	conv_read(&fx);
	assert_sql(fx.st, "SELECT group_concat(ts || ' ' || dur || ' ' || cpu || "
		       "' ' || dev || ' ' || op || ' ' || sector || ' ' || bytes || "
		       "' ' || pid || ' ' || tid || ' ' || coalesce(comm, '-') || "
		       "' ' || error, '|') FROM (SELECT * FROM block_io ORDER BY ts)",
		   "5000 700 1 4000:7 write 2048 65536 100 101 writer -5|"
		   "6000 90 0 4000:7 flush 0 0 0 0 - 0|"
		   "7000 0 0 4000:7 read 0 0 0 0 - 0");
	conv_done(&fx);
}

/* Cut and unreadable values: the kernel side's flags become the marker
 * at the end of the kept bytes and the path_status / truncated columns;
 * an unreadable path is NULL with status 'unreadable'. */
static void test_convert_cut(void **state)
{
	struct conv_fix fx;

	(void)state;
	struct rec_proc_info pi = { .pid = 100, .ppid = 1, .start_ts = 1000,
				    .comm = "shell", .exe = "/bin/sh",
				    .cmdline = "sh" };
	conv_open(&fx, &pi);

	struct {
		struct ks_syscall_ext x;
		char data[KS_PATH_MAX];
	} sc = { 0 };
	sc.x.sc.hdr = (struct ks_hdr){ .ts = 5000, .tid = 100, .pid = 100,
				       .type = KS_REC_SYSCALL_EXT,
				       .flags = KS_SC_PATH_TRUNC,
				       .nr = systab_nr(fx.arch, "openat") };
	sc.x.path_len = KS_PATH_MAX - 1;
	memset(sc.data, 'p', KS_PATH_MAX - 1);
	sc.data[0] = '/';
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc)), 0);
	/* unreadable: an ext record without a path, and a plain record */
	memset(&sc, 0, sizeof(sc));
	sc.x.sc.hdr = (struct ks_hdr){ .ts = 6000, .tid = 100, .pid = 100,
				       .type = KS_REC_SYSCALL_EXT,
				       .flags = KS_SC_PATH_UNREAD,
				       .nr = systab_nr(fx.arch, "openat") };
	sc.x.sc.ret = -14;
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x)), 0);
	sc.x.sc.hdr.ts = 6500;
	sc.x.sc.hdr.type = KS_REC_SYSCALL;
	sc.x.sc.hdr.flags = KS_SC_PATH_UNREAD | KS_SC_UNFINISHED;
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x.sc)), 0);
	/* a whole path has no status */
	sc.x.sc.hdr.ts = 7000;
	sc.x.sc.hdr.type = KS_REC_SYSCALL_EXT;
	sc.x.sc.hdr.flags = 0;
	sc.x.path_len = 5;
	memcpy(sc.data, "/a...", 5);
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + 8), 0);

	/* addresses whose caller gave more than the capture: a unix path
	 * whose NUL was kept is whole, an abstract name and IPv4 as said */
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in4 = { .sin_family = AF_INET, .sin_port = htons(80) };

	memset(&sc, 0, sizeof(sc));
	sc.x.sc.hdr = (struct ks_hdr){ .ts = 7100, .tid = 100, .pid = 100,
				       .type = KS_REC_SYSCALL_EXT,
				       .flags = KS_SC_ADDR_TRUNC,
				       .nr = systab_nr(fx.arch, "connect") };
	strcpy(un.sun_path, "/run/x.sock");
	sc.x.addr_len = sizeof(un);
	memcpy(sc.data, &un, sizeof(un));
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + sizeof(un)), 0);
	sc.x.sc.hdr.ts = 7200;
	memset(un.sun_path, 'a', sizeof(un.sun_path));
	un.sun_path[0] = 0;
	memcpy(sc.data, &un, sizeof(un));
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + sizeof(un)), 0);
	sc.x.sc.hdr.ts = 7300;
	inet_pton(AF_INET, "10.1.2.3", &in4.sin_addr);
	memset(sc.data, 0, sizeof(sc.data));
	memcpy(sc.data, &in4, sizeof(in4));
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + sizeof(un)), 0);

	/* exec with argv cut right after a separator, filename cut too */
	struct {
		struct ks_exec e;
		char data[64];
	} ex = { .e = { .hdr = { .ts = 8000, .tid = 100, .pid = 100,
				 .type = KS_REC_EXEC,
				 .flags = KS_EXEC_ARGV_TRUNC |
					  KS_EXEC_FNAME_TRUNC },
			.ppid = 1, .old_tid = 100, .filename_len = 7,
			.argv_len = 6, .comm = "ls" } };
	memcpy(ex.data, "/usr/lo", 7);
	memcpy(ex.data + 7, "ls\0-l\0", 6);
	assert_int_equal(rec_conv_record(fx.c, &ex, sizeof(ex.e) + 16), 0);

	conv_read(&fx);
	assert_sql(fx.st, "SELECT length(path) || '|' || substr(path, 1, 4) || '|' || "
		       "substr(path, -5) || '|' || path_status FROM syscalls "
		       "WHERE ts=5000", "258|/ppp|pp...|truncated");
	assert_sql(fx.st, "SELECT quote(path) || '|' || path_status FROM syscalls "
		       "WHERE ts=6000", "NULL|unreadable");
	assert_sql(fx.st, "SELECT quote(path) || '|' || path_status FROM syscalls "
		       "WHERE ts=6500", "NULL|unreadable");
	assert_sql(fx.st, "SELECT path || '|' || quote(path_status) FROM syscalls "
		       "WHERE ts=7000", "/a...|NULL");
	assert_sql(fx.st, "SELECT addr FROM syscalls WHERE ts=7100",
		   "unix:/run/x.sock");
	assert_sql(fx.st, "SELECT substr(addr, 1, 8) || '|' || substr(addr, -4) "
		       "FROM syscalls WHERE ts=7200", "unix:@aa|a...");
	assert_sql(fx.st, "SELECT addr FROM syscalls WHERE ts=7300",
		   "10.1.2.3:80");
	assert_sql(fx.st, "SELECT filename || '|' || argv || '|' || truncated "
		       "FROM proc_events", "/usr/lo...|ls -l ...|3");
	assert_sql(fx.st, "SELECT exe || '|' || cmdline FROM processes "
		       "WHERE pid=100", "/usr/lo...|ls -l ...");
	conv_done(&fx);
	(void)state;
}

/* A /proc whose cmdline and exe are longer than the snapshot keeps:
 * cut, with the marker after exact bytes. */
/* Signals: the comms the kernel gave; a deliver's sender named from the
 * processes table; an OOM kill's cgroup path, with the marker when cut;
 * records that cannot be right counted as bad, not stored. */
static void test_convert_signals(void **state)
{
	struct conv_fix fx;

	(void)state;
	struct rec_proc_info pi = { .pid = 100, .ppid = 1, .start_ts = 1000,
				    .comm = "shell", .exe = "/bin/sh",
				    .cmdline = "sh" };
	conv_open(&fx, &pi);

	struct ks_signal g = {
		.hdr = { .ts = 5000, .tid = 101, .pid = 100,
			 .type = KS_REC_SIGNAL, .flags = KS_SIGNAL_GENERATE },
		.target_tid = 200, .target_pid = 200, .sig = 9,
		.sender_comm = "killer", .target_comm = "victim",
	};
	assert_int_equal(rec_conv_record(fx.c, &g, sizeof(g)), 0);
	struct ks_signal d = {
		.hdr = { .ts = 6000, .pid = 100, .type = KS_REC_SIGNAL,
			 .flags = KS_SIGNAL_DELIVER },
		.target_tid = 201, .target_pid = 200, .sig = 10,
		.target_comm = "victim",
	};
	assert_int_equal(rec_conv_record(fx.c, &d, sizeof(d)), 0);
	d.hdr.flags = 7; /* no such kind */
	assert_int_equal(rec_conv_record(fx.c, &d, sizeof(d)), 0);

	struct ks_oom_kill o = {
		.sig = { .hdr = { .ts = 7000, .type = KS_REC_OOM_KILL },
			 .target_tid = 300, .target_pid = 300, .sig = 9,
			 .code = KS_SI_KERNEL, .target_comm = "hog" },
		.cgroup_len = 4,
	};
	memcpy(o.cgroup, "/a/b", 4);
	assert_int_equal(rec_conv_record(fx.c, &o, sizeof(o)), 0);
	o.sig.hdr.ts = 7100;
	o.sig.hdr.flags = KS_OOM_CGROUP_TRUNC;
	assert_int_equal(rec_conv_record(fx.c, &o, sizeof(o)), 0);
	o.cgroup_len = KS_CGROUP_PATH; /* longer than the kernel side writes */
	assert_int_equal(rec_conv_record(fx.c, &o, sizeof(o)), 0);
	assert_int_equal(rec_conv_bad(fx.c), 2);

	conv_read(&fx);
	assert_sql(fx.st, "SELECT group_concat(kind || ' ' || sig || ' ' || "
		       "sender_pid || '/' || sender_tid || ' ' || "
		       "coalesce(sender_comm, '-') || ' ' || target_pid || '/' "
		       "|| target_tid || ' ' || target_comm || ' ' || "
		       "coalesce(cgroup, '-'), '|') FROM signals",
		   "generate 9 100/101 killer 200/200 victim -|"
		   "deliver 10 100/0 shell 200/201 victim -|"
		   "oom_kill 9 0/0 - 300/300 hog /a/b|"
		   "oom_kill 9 0/0 - 300/300 hog /a/b...");
	conv_done(&fx);
}

static void test_procfs_cut(void **state)
{
	char dir[] = "/tmp/kscope-proc-XXXXXX", p[4200], want[8192];
	struct rec_proc_info *info = malloc(sizeof(*info));
	size_t n = 0;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/42", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/42/stat", dir);
	f = fopen(p, "w");
	fprintf(f, "42 (long) S 1 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 "
		   "100 0 0\n");
	fclose(f);
	snprintf(p, sizeof(p), "%s/42/cmdline", dir);
	f = fopen(p, "w");
	for (int i = 0; n < 5000; i++) {
		n += (size_t)sprintf(want + n, "word%04d ", i);
		fprintf(f, "word%04d%c", i, 0);
	}
	fclose(f);
	char target[600];

	memset(target, 'x', sizeof(target) - 1);
	target[0] = '/';
	target[sizeof(target) - 1] = 0;
	snprintf(p, sizeof(p), "%s/42/exe", dir);
	assert_int_equal(symlink(target, p), 0);

	assert_int_equal(rec_procfs_read(dir, 42, info, NULL), 0);
	n = strlen(info->cmdline);
	assert_true(n > 4000 && n < sizeof(info->cmdline));
	assert_string_equal(info->cmdline + n - 3, "...");
	assert_memory_equal(info->cmdline, want, n - 3);
	n = strlen(info->exe);
	assert_true(n > 400 && n < sizeof(info->exe));
	assert_string_equal(info->exe + n - 3, "...");
	assert_memory_equal(info->exe, target, n - 3);

	/* short values stay as they are */
	snprintf(p, sizeof(p), "%s/42/cmdline", dir);
	f = fopen(p, "w");
	fprintf(f, "sleep%c10%c", 0, 0);
	fclose(f);
	assert_int_equal(rec_procfs_read(dir, 42, info, NULL), 0);
	assert_string_equal(info->cmdline, "sleep 10");
	free(info);
	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	assert_int_equal(system(p), 0);
	(void)state;
}

/* Kernel symbols from a made-up kallsyms: text symbols only, aliases
 * named as the file lists them first, module suffixes dropped; stacks
 * folded outermost first without the tracing frames. */
static void test_ksyms(void **state)
{
	char dir[] = "/tmp/kscope-ksyms-XXXXXX", path[600];
	struct rec_ksyms *k;
	char out[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	put_file(dir, "kallsyms",
		 "ffffffff81000000 T _stext\n"
		 "ffffffff81000000 T _text\n"
		 "ffffffff81000100 t vfs_read\n"
		 "ffffffff81000200 T ksys_read\n"
		 "ffffffff81000280 D some_data\n"
		 "ffffffff81000300 W weak_fn\n"
		 "ffffffff81000400 T __schedule\n"
		 "ffffffff81000500 T __traceiter_sched_switch\n"
		 "ffffffff81000600 t bpf_trace_run4\n"
		 "ffffffffc0001000 t modfn\t[mymod]\n"
		 "ffffffff81000050 t anon_pipe_read\n" /* out of order */
		 "ffffffff81000800 b some_bss\n");
	snprintf(path, sizeof(path), "%s/kallsyms", dir);
	assert_non_null(k = rec_ksyms_load(path));
	assert_int_equal(rec_ksyms_count(k), 10);
	assert_null(rec_ksyms_name(k, 0xffffffff80ffffffull));
	assert_string_equal(rec_ksyms_name(k, 0xffffffff81000000ull), "_stext");
	assert_string_equal(rec_ksyms_name(k, 0xffffffff8100004full), "_stext");
	assert_string_equal(rec_ksyms_name(k, 0xffffffff81000050ull),
			    "anon_pipe_read");
	assert_string_equal(rec_ksyms_name(k, 0xffffffff810002a0ull),
			    "ksys_read"); /* data symbols are not text */
	assert_string_equal(rec_ksyms_name(k, 0xffffffff81000310ull), "weak_fn");
	assert_string_equal(rec_ksyms_name(k, 0xffffffffc0001234ull), "modfn");
	assert_string_equal(rec_ksyms_name(k, 0xffffffffffffffffull), "modfn");

	/* Innermost first, as return addresses: BPF program (unknown),
	 * bpf_trace_run4, the iterator, __schedule, then the caller chain;
	 * a return address at a function's start is its caller's. */
	const uint64_t ips[] = {
		0x1234, 0xffffffff81000610ull, 0xffffffff81000510ull,
		0xffffffff81000410ull, 0xffffffff81000060ull,
		0xffffffff81000101ull, 0xffffffff81000200ull,
		0xffffffff80000000ull,
	};
	size_t n = rec_stacks_fold(k, ips, 8, out, sizeof(out));
	const char *want = "0xffffffff80000000;vfs_read;vfs_read;"
			   "anon_pipe_read;__schedule";

	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
	/* Cut output: the length needed still comes back. */
	assert_int_equal(rec_stacks_fold(k, ips, 8, out, 10), strlen(want));
	assert_int_equal(strlen(out), 9);
	/* One probe on the tracepoint: __schedule calls it directly (a
	 * static call), with no iterator frame between. */
	const uint64_t one[] = {
		0x1234, 0xffffffff81000610ull, 0xffffffff81000410ull,
		0xffffffff81000060ull,
	};
	rec_stacks_fold(k, one, 4, out, sizeof(out));
	assert_string_equal(out, "anon_pipe_read;__schedule");
	/* No tracing frames: every frame is kept. */
	assert_int_equal(rec_stacks_fold(k, ips + 4, 2, out, sizeof(out)), 23);
	assert_string_equal(out, "vfs_read;anon_pipe_read");
	assert_int_equal(rec_stacks_fold(k, ips, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "");
	rec_ksyms_free(k);

	/* Addresses hidden (kptr_restrict): every one reads 0. */
	put_file(dir, "kallsyms", "0000000000000000 T _stext\n"
		 "0000000000000000 t vfs_read\n");
	assert_null(rec_ksyms_load(path));
	assert_int_equal(errno, EPERM);
	assert_null(rec_ksyms_load("/nonexistent/kallsyms"));
	assert_int_equal(errno, ENOENT);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

static void test_options(void **state)
{
	struct rec_opts o;
	char err[256];
	unsigned cl;

	assert_true(rec_parse_duration("10") == 10);
	assert_true(rec_parse_duration("1.5s") == 1.5);
	assert_true(rec_parse_duration("500ms") == 0.5);
	assert_true(rec_parse_duration("2m") == 120);
	assert_true(rec_parse_duration("1h") == 3600);
	assert_true(rec_parse_duration("10x") < 0);
	assert_true(rec_parse_duration("-1") < 0);
	assert_true(rec_parse_duration("") < 0);
	assert_int_equal(rec_parse_size("4096"), 4096);
	assert_int_equal(rec_parse_size("64K"), 65536);
	assert_int_equal(rec_parse_size("16M"), 16 << 20);
	assert_int_equal(rec_parse_size("1GiB"), 1u << 30);
	assert_int_equal(rec_parse_size("1.5k"), 1536);
	assert_int_equal(rec_parse_size("lots"), 0);
	assert_int_equal(rec_parse_size("0"), 0);
	assert_int_equal(rec_parse_classes("syscall,net", &cl), 0);
	assert_int_equal(cl, REC_CLASS_BIT(KS_CLASS_SYSCALL) |
			 REC_CLASS_BIT(KS_CLASS_NET));
	assert_int_equal(rec_parse_classes("block,sched", &cl), 0);
	assert_int_equal(cl, REC_CLASS_BIT(KS_CLASS_BLOCK) |
			 REC_CLASS_BIT(KS_CLASS_SCHED));
	assert_int_equal(rec_parse_classes("all", &cl), 0);
	assert_int_equal(cl, REC_CLASS_ALL);
	assert_true(cl & REC_CLASS_BIT(KS_CLASS_BLOCK));
	assert_int_equal(rec_parse_classes("disk", &cl), -1);
	assert_int_equal(rec_parse_classes("", &cl), -1);

	char *a1[] = { "record", "-o", "x.kscope", "-p", "12,34", "-e", "proc",
		       "--buffer-size", "100K", "-q", NULL };
	assert_int_equal(rec_opts_parse(10, a1, &o, err, sizeof(err)), 0);
	assert_string_equal(o.out, "x.kscope");
	assert_int_equal(o.npids, 2);
	assert_int_equal(o.pids[1], 34);
	assert_int_equal(o.classes, REC_CLASS_BIT(KS_CLASS_PROC));
	assert_int_equal(o.ring_bytes, 128 * 1024); /* power of two */
	assert_true(o.quiet && !o.cmd);
	assert_true(o.stacks); /* on by default */
	rec_opts_free(&o);

	char *a2[] = { "record", "-a", "--no-stacks", "--", "make", "-j4", NULL };
	assert_int_equal(rec_opts_parse(6, a2, &o, err, sizeof(err)), 0);
	assert_true(o.all);
	assert_false(o.stacks);
	assert_string_equal(o.cmd[0], "make");
	assert_string_equal(o.cmd[1], "-j4");
	assert_null(o.cmd[2]);
	assert_string_equal(o.out, REC_DEFAULT_FILE);
	assert_int_equal(o.ring_bytes, REC_DEFAULT_RING);
	rec_opts_free(&o);

	char *a3[] = { "record", "--ring", NULL };
	assert_int_equal(rec_opts_parse(2, a3, &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--ring needs --max-size");
	rec_opts_free(&o);
	char *a4[] = { "record", "--help", NULL };
	assert_int_equal(rec_opts_parse(2, a4, &o, err, sizeof(err)),
			 REC_OPTS_HELP);
	rec_opts_free(&o);
}

/* trig: --snapshot, --trigger, --trigger-after; snapshot names. */
static void test_trig_opts(void **state)
{
	struct rec_opts o;
	char err[256], name[64];

	char *a1[] = { "record", "--snapshot", "4321", NULL };
	assert_int_equal(rec_opts_parse(3, a1, &o, err, sizeof(err)), 0);
	assert_int_equal(o.snapshot_pid, 4321);
	rec_opts_free(&o);
	char *a2[] = { "record", "--snapshot", "0", NULL };
	assert_int_equal(rec_opts_parse(3, a2, &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad pid '0'");
	rec_opts_free(&o);
	char *a3[] = { "record", "--snapshot", "12", "-a", NULL };
	assert_int_equal(rec_opts_parse(4, a3, &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--snapshot PID takes no other options");
	rec_opts_free(&o);
	char *a4[] = { "record", "--trigger", "kind = exit", NULL };
	assert_int_equal(rec_opts_parse(3, a4, &o, err, sizeof(err)), 0);
	assert_string_equal(o.trigger, "kind = exit");
	assert_true(o.trigger_after == REC_DEFAULT_TRIGGER_AFTER);
	rec_opts_free(&o);
	char *a5[] = { "record", "--trigger", "x = 1", "--trigger-after",
		       "250ms", NULL };
	assert_int_equal(rec_opts_parse(5, a5, &o, err, sizeof(err)), 0);
	assert_true(o.trigger_after > 0.2499 && o.trigger_after < 0.2501);
	rec_opts_free(&o);
	char *a6[] = { "record", "--trigger-after", "1s", NULL };
	assert_int_equal(rec_opts_parse(3, a6, &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "--trigger-after needs --trigger");
	rec_opts_free(&o);
	char *a7[] = { "record", "--trigger", "x = 1", "--trigger-after",
		       "soon", NULL };
	assert_int_equal(rec_opts_parse(5, a7, &o, err, sizeof(err)), -EINVAL);
	rec_opts_free(&o);

	rec_snap_name("t.kscope", 3, name, sizeof(name));
	assert_string_equal(name, "t.snap-3.kscope");
	rec_snap_name("/a/b.trace", 12, name, sizeof(name));
	assert_string_equal(name, "/a/b.trace.snap-12.kscope");
}

/* snap: --snaplen parsing, and snap tails through the converter: a
 * payload, timeouts by kind (relative, absolute, infinite), items that
 * lie about their length. */
static void test_snap(void **state)
{
	struct rec_opts o;
	char err[256];
	struct conv_fix fx;
	struct rec_proc_info p = { .pid = 100, .ppid = 1, .start_ts = 1000,
				   .comm = "w" };

	(void)state;
	char *a1[] = { "record", "--snaplen", "4096", NULL };
	assert_int_equal(rec_opts_parse(3, a1, &o, err, sizeof(err)), 0);
	assert_int_equal(o.snaplen, 4096);
	rec_opts_free(&o);
	char *a2[] = { "record", "--snaplen", "4097", NULL };
	assert_int_equal(rec_opts_parse(3, a2, &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad snaplen '4097' (0 to 4096 bytes)");
	rec_opts_free(&o);
	char *a3[] = { "record", "--snaplen", "-1", NULL };
	assert_int_equal(rec_opts_parse(3, a3, &o, err, sizeof(err)), -EINVAL);
	rec_opts_free(&o);
	char *a4[] = { "record", NULL };
	assert_int_equal(rec_opts_parse(1, a4, &o, err, sizeof(err)), 0);
	assert_int_equal(o.snaplen, 0);
	rec_opts_free(&o);

	conv_open(&fx, &p);
	struct {
		struct ks_syscall_ext x;
		char data[128];
	} sc;
	struct ks_mem m = { .arg = 2, .kind = KS_MEM_TIMESPEC, .len = 16 };
	int64_t ts[2] = { 1, 500 };

	/* read(3, "a\0b", 10) = 3 */
	memset(&sc, 0, sizeof(sc));
	sc.x.sc.hdr = (struct ks_hdr){ .ts = 5000, .tid = 100, .pid = 100,
				       .type = KS_REC_SYSCALL_EXT,
				       .flags = KS_SC_SNAP,
				       .nr = systab_nr(fx.arch, "read") };
	sc.x.sc.args[0] = 3;
	sc.x.sc.args[2] = 10;
	sc.x.sc.ret = 3;
	sc.x.snap_len = 3;
	memcpy(sc.data, "a\0b", 3);
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + 8), 0);
	/* clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {1, 500}) */
	sc.x.sc.hdr.ts = 6000;
	sc.x.sc.hdr.nr = systab_nr(fx.arch, "clock_nanosleep");
	sc.x.sc.args[1] = 1;
	sc.x.sc.args[2] = 0x1000;
	sc.x.sc.ret = 0;
	sc.x.snap_len = 0;
	sc.x.mem_len = sizeof(m) + 16;
	memcpy(sc.data, &m, sizeof(m));
	memcpy(sc.data + sizeof(m), ts, 16);
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + 24), 0);
	/* the same, relative */
	sc.x.sc.hdr.ts = 6100;
	sc.x.sc.args[1] = 0;
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + 24), 0);
	/* an item longer than the tail: skipped and counted */
	m.len = 40;
	memcpy(sc.data, &m, sizeof(m));
	sc.x.sc.hdr.ts = 6200;
	assert_int_equal(rec_conv_record(fx.c, &sc, sizeof(sc.x) + 24), 0);
	assert_int_equal(rec_conv_bad(fx.c), 1);
	/* poll(fds, 1, -1) and epoll_wait(4, evs, 8, 250): no memory */
	struct ks_syscall r = {
		.hdr = { .ts = 7000, .tid = 100, .pid = 100,
			 .type = KS_REC_SYSCALL, .nr = systab_nr(fx.arch, "poll") },
		.args = { 0x2000, 1, (uint64_t)-1 } };
	assert_int_equal(rec_conv_record(fx.c, &r, sizeof(r)), 0);
	r.hdr.ts = 7100;
	r.hdr.nr = systab_nr(fx.arch, "epoll_wait");
	r.args[2] = 8;
	r.args[3] = 250;
	assert_int_equal(rec_conv_record(fx.c, &r, sizeof(r)), 0);
	conv_read(&fx);

	assert_sql(fx.st, "SELECT hex(payload) || '|' || (args_mem IS NULL)"
		       " FROM syscalls WHERE ts = 5000", "610062|1");
	assert_sql(fx.st, "SELECT group_concat(timeout_ns || ':' || "
		       "coalesce(timeout_kind, 'NULL') || ':' || "
		       "coalesce(length(args_mem), 0), ' ') FROM (SELECT * FROM "
		       "syscalls WHERE ts > 5000 ORDER BY ts)",
		   "1000000500:absolute:20 1000000500:relative:20 "
		   "0:infinite:0 250000000:relative:0");
	assert_sql(fx.st, "SELECT count(*) FROM syscalls WHERE payload IS NULL",
		   "4");
	conv_done(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trig_opts),
		cmocka_unit_test(test_tasks),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_irqnames),
		cmocka_unit_test(test_percpu_delta),
		cmocka_unit_test(test_container),
		cmocka_unit_test(test_procfs),
		cmocka_unit_test(test_procfs_syscall),
		cmocka_unit_test(test_listeners),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_switch_gaps),
		cmocka_unit_test(test_convert_met_threads),
		cmocka_unit_test(test_convert_cut),
		cmocka_unit_test(test_convert_signals),
		cmocka_unit_test(test_blkdev),
		cmocka_unit_test(test_procfs_cut),
		cmocka_unit_test(test_ksyms),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_convert_bookkeep),
		cmocka_unit_test(test_snap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
