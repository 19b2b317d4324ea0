/*
 * test-mktrace.c - write a small trace with known contents for the shell
 * tests of `kscope info` and `kscope query` (not a test by itself).
 *
 *     tests/test-mktrace OUT [--syscalls N] [--chunk-events N]
 *                            [--format-version V] [--no-meta] [--no-end]
 *                            [--escapes] [--idle-cpus]
 *
 * Contents (the shell tests check these exact values):
 *   meta     host=test-host kernel=6.1.0-test arch=x86_64 cpus=4
 *            clock_offset_ns=1699999999000000000 (ts 1e9 is
 *            2023-11-14 22:13:20 UTC), start_ts=1e9, end_ts=1e9+2.5e9,
 *            options, recorder_cpu_ns=25000000, recorder_max_rss_kb=20480,
 *            lost_total=7, lost_syscall=5, lost_sched=2, recorder,
 *            classes, ring_buffer_bytes=8 MiB, malformed_records=3, and a key this
 *            build does not know whose value holds an escape sequence
 *   syscalls N (default 1000): ts = 1e9 + i * 1e6 + 1, pid = 100 + i % 3,
 *            tid = pid, cpu = i % 4, nr = i % 2 (read, write), ret = -2
 *            when i % 10 == 0 else i, dur = 1000 + i; path set on i = 5
 *            ("/tmp/a,b \"q\"\nx") and i = 6 ("/tmp/\u00fcn\u00ef \u65e5\u672c"),
 *            NULL otherwise (with --escapes, i = 7 gets a path holding
 *            a C1 CSI (U+009B), an OSC title and BEL, a stray 0x9b byte:
 *            ESCAPES_PATH, and host is ESCAPES_HOST); comm "proc-<pid>"
 *   sched_switch 10, sched_wakeup 10, proc_events 3 (fork, exec, exit),
 *            (with --idle-cpus, the switches are instead: cpu 0 between
 *            tids 100 and 101 every 10 ms over the 2.5 s, cpu 1 from tid
 *            102 to idle at 10 ms and back to 102 at 2.4 s, cpus 2 and
 *            3 none: busy, idle and unknown CPUs)
 *   net_events 2, sched_migrate 0
 *   lost     5 syscall on cpu 0 at second 1, 2 sched on cpu 1 at second 2
 *   processes 100, 101, 102; threads the same
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 1000000000ull

static int die(const char *what, const char *msg)
{
	fprintf(stderr, "test-mktrace: %s: %s\n", what, msg);
	return 1;
}

/* Terminal controls a hostile trace may carry: C1 CSI as UTF-8, an OSC
 * window title ended by BEL, an erase-screen CSI, a lone 0x9b byte. */
#define ESCAPES_PATH "/tmp/\xc2\x9b" "2J\x1b]0;PWNED\x07\x1b[2J\x9b" "1m"
#define ESCAPES_HOST "evil\xc2\x9b" "2J\x1b]0;PWNED\x07"

int main(int argc, char **argv)
{
	struct store_writer_opts opts = { .force = 1, .chunk_events = 256 };
	const char *out = NULL, *version = NULL;
	uint64_t nsys = 1000;
	int meta = 1, end = 1, escapes = 0, idle_cpus = 0;
	char err[STORE_ERRLEN], comm[3][16];
	struct store_writer *w;
	int rc = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--syscalls") && i + 1 < argc)
			nsys = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--chunk-events") && i + 1 < argc)
			opts.chunk_events = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--format-version") && i + 1 < argc)
			version = argv[++i];
		else if (!strcmp(argv[i], "--no-meta"))
			meta = 0;
		else if (!strcmp(argv[i], "--no-end")) /* killed recorder */
			end = 0;
		else if (!strcmp(argv[i], "--escapes"))
			escapes = 1;
		else if (!strcmp(argv[i], "--idle-cpus"))
			idle_cpus = 1;
		else if (!out && argv[i][0] != '-')
			out = argv[i];
		else
			return die(argv[i], "bad argument");
	}
	if (!out)
		return die("usage", "test-mktrace OUT [options]");

	w = store_writer_open(out, &opts, err);
	if (!w)
		return die(out, err);
	for (int p = 0; p < 3; p++)
		snprintf(comm[p], sizeof(comm[p]), "proc-%d", 100 + p);

	if (meta) {
		static const char *const kv[][2] = {
			{ "host", "test-host" },
			{ "kernel", "6.1.0-test" },
			{ "arch", "x86_64" },
			{ "cpus", "4" },
			{ "clock_offset_ns", "1699999999000000000" },
			{ "start_ts", "1000000000" },
			{ "end_ts", "3500000000" },
			{ "options", "kscope record -a -d 2.5s" },
			{ "recorder_cpu_ns", "25000000" },
			{ "recorder_max_rss_kb", "20480" },
			{ "lost_total", "7" },
			{ "lost_syscall", "5" },
			{ "lost_sched", "2" },
			{ "recorder", "kscope 0.1.0" },
			{ "classes", "syscall,sched,proc,net" },
			{ "ring_buffer_bytes", "8388608" },
			{ "malformed_records", "3" },
			{ "zz_future_key", "v\x1b[31mred" },
		};
		for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]) && !rc; i++)
			if ((end || strcmp(kv[i][0], "end_ts")) &&
			    (!escapes || strcmp(kv[i][0], "host")))
				rc = store_writer_meta(w, kv[i][0], kv[i][1]);
		if (escapes && !rc)
			rc = store_writer_meta(w, "host", ESCAPES_HOST);
	}
	if (version && !rc)
		rc = store_writer_meta(w, "format_version", version);

	for (uint64_t i = 0; i < nsys && !rc; i++) {
		struct ev_syscall sc = {
			.ts = T0 + i * 1000000 + 1,
			.dur = 1000 + i,
			.cpu = (uint32_t)(i % 4),
			.pid = (uint32_t)(100 + i % 3),
			.tid = (uint32_t)(100 + i % 3),
			.nr = (int32_t)(i % 2),
			.ret = i % 10 == 0 ? -2 : (int64_t)i,
			.fd = (int32_t)(i % 2 ? 1 : 3),
			.comm = comm[i % 3],
			.path = i == 5 ? "/tmp/a,b \"q\"\nx" :
				i == 6 ? "/tmp/\xc3\xbcn\xc3\xaf \xe6\x97\xa5"
					 "\xe6\x9c\xac" :
				i == 7 && escapes ? ESCAPES_PATH : NULL,
		};
		rc = store_writer_append(w, EV_SYSCALL, &sc);
	}
	for (uint32_t i = 0; i < 10 && !rc; i++) {
		struct ev_switch sw = {
			.ts = T0 + i * 1000, .cpu = i % 4, .prev_tid = 100,
			.prev_state = 1, .prev_prio = 120, .next_tid = 101,
			.next_prio = 120, .prev_comm = comm[0],
			.next_comm = comm[1],
		};
		struct ev_wakeup wk = {
			.ts = T0 + i * 1000 + 500, .cpu = i % 4, .tid = 101,
			.waker_tid = 100, .target_cpu = 1, .prio = 120,
		};
		rc = idle_cpus ? 0 : store_writer_append(w, EV_SWITCH, &sw);
		if (!rc)
			rc = store_writer_append(w, EV_WAKEUP, &wk);
	}
	for (uint32_t i = 0; idle_cpus && i <= 250 && !rc; i++) {
		struct ev_switch sw = {
			.ts = T0 + i * 10000000ull, .cpu = 0,
			.prev_tid = 100 + i % 2, .prev_comm = comm[i % 2],
			.next_tid = 101 - i % 2, .next_comm = comm[1 - i % 2],
		};
		rc = store_writer_append(w, EV_SWITCH, &sw);
		if (!rc && (i == 1 || i == 240)) {
			struct ev_switch idle = {
				.ts = T0 + i * 10000000ull, .cpu = 1,
				.prev_tid = i == 1 ? 102 : 0,
				.prev_comm = comm[2], .prev_state = 1,
				.next_tid = i == 1 ? 0 : 102,
				.next_comm = comm[2],
			};
			rc = store_writer_append(w, EV_SWITCH, &idle);
		}
	}
	for (uint32_t i = 0; i < 3 && !rc; i++) {
		struct ev_proc pr = {
			.ts = T0 + 2000000000ull + i, .kind = i, .pid = 102,
			.tid = 102, .ppid = 100, .child_pid = i == 0 ? 103 : 0,
			.comm = comm[2],
			.filename = i == 1 ? "/usr/bin/true" : NULL,
			.argv = i == 1 ? "true --version" : NULL,
		};
		rc = store_writer_append(w, EV_PROC, &pr);
	}
	for (uint32_t i = 0; i < 2 && !rc; i++) {
		struct ev_net n = {
			.ts = T0 + 2500000000ull + i, .kind = EV_NET_STATE,
			.pid = 101, .tid = 101, .family = 2, .sport = 40000,
			.dport = 443, .old_state = i ? 2 : 7,
			.new_state = i ? 1 : 2, .comm = comm[1],
			.saddr = "10.0.0.1", .daddr = "10.0.0.2",
		};
		rc = store_writer_append(w, EV_NET, &n);
	}
	if (!rc)
		rc = store_writer_lost(w, T0, 0, "syscall", 5);
	if (!rc)
		rc = store_writer_lost(w, T0 + 1000000000ull, 1, "sched", 2);
	for (uint32_t p = 0; p < 3 && !rc; p++) {
		struct store_process pr = {
			.pid = 100 + p, .ppid = p ? 100 : 1, .start_ts = T0 - 5,
			.comm = comm[p], .exe = "/usr/bin/test",
			.cmdline = "test --flag", .cgroup = "/user.slice",
		};
		rc = store_writer_process(w, &pr);
		if (!rc)
			rc = store_writer_thread(w, 100 + p, 100 + p, comm[p],
						 T0 - 5);
	}
	if (rc) {
		fprintf(stderr, "test-mktrace: %s: %s\n", out,
			store_writer_errmsg(w));
		store_writer_close(w, NULL);
		return 1;
	}
	if (store_writer_close(w, err) != 0)
		return die(out, err);
	return 0;
}
