/*
 * test-export-planted.c - Perfetto JSON (analyze/export/export.c) of a synthetic
 * trace with planted events: the planted syscall is one complete slice on
 * its thread's track with the exact time, duration and arguments; the
 * planted exec and TCP state change are instant events; the planted
 * switch ends an on-CPU slice of the planted thread on its CPU's track;
 * the planted thread and process are named.  A filter narrows the export
 * to the planted process.  (tests/test-export.sh parses whole exports.)
 * And outputs whose name is planted while the export runs (outfile.c).
 */
#include "analyze/analyze.h"
#include "analyze/export/export.h"
#include "analyze/output/outfile.h"
#include "analyze/timearg.h"
#include "tests/synth.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#define PL_PID 90001u
#define PL_TID 90002u
#define T0 (7362ull * 1000000000ull)
#define MS 1000000ull

static char path[64];
static struct store *st;
static uint64_t base; /* ts of time 0 in the export */

static const struct ev_syscall pl_open = {
	.ts = T0 + 10 * MS + 123, .dur = 25 * MS + 456, .cpu = 1,
	.pid = PL_PID, .tid = PL_TID, .nr = 257, .ret = -2,
	.arg = { (uint64_t)-100, 0x1000, 0 }, .fd = -1, .comm = "planted",
	.path = "/etc/planted.conf",
};
static const struct ev_proc pl_exec = {
	.ts = T0 + 13 * MS, .cpu = 0, .kind = EV_PROC_EXEC, .pid = PL_PID,
	.tid = PL_TID, .ppid = 1, .comm = "planted",
	.filename = "/usr/bin/planted", .argv = "planted --now",
};
static const struct ev_net pl_net = {
	.ts = T0 + 12 * MS, .cpu = 1, .kind = EV_NET_STATE, .pid = PL_PID,
	.tid = PL_TID, .family = 2, .sport = 40000, .dport = 5432,
	.old_state = 2, .new_state = 1, .comm = "planted",
	.saddr = "10.0.0.1", .daddr = "10.9.9.9",
};
static const struct ev_switch pl_switch = {
	.ts = T0 + 14 * MS, .cpu = 7, .prev_tid = PL_TID, .prev_state = 1,
	.prev_prio = 120, .next_tid = 0, .next_prio = 120,
	.prev_comm = "planted", .next_comm = "swapper/7",
};

static int setup(void **state)
{
	static const struct synth_plant plant[] = {
		{ EV_SYSCALL, &pl_open }, { EV_NET, &pl_net },
		{ EV_PROC, &pl_exec }, { EV_SWITCH, &pl_switch },
	};
	struct synth_opts o = SYNTH_OPTS_INIT;
	struct store_writer_opts wo = { .force = 1 };
	struct store_process p = { .pid = PL_PID, .ppid = 1, .start_ts = T0,
				   .comm = "planted", .exe = "/usr/bin/planted",
				   .cmdline = "planted --now" };
	char err[STORE_ERRLEN];
	struct store_writer *w;
	struct synth *s;
	enum ev_kind kind;
	const void *ev;
	uint64_t last;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test-export.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	o.syscalls = 20000;
	o.cpus = 4; /* the planted switch is the only event on CPU 7 */
	o.ts_start = T0;
	o.plant = plant;
	o.nplant = sizeof(plant) / sizeof(plant[0]);
	s = synth_new(&o);
	w = s ? store_writer_open(path, &wo, err) : NULL;
	if (!w)
		return -1;
	while (synth_next(s, &kind, &ev) > 0)
		if (store_writer_append(w, kind, ev) < 0)
			return -1;
	if (synth_write_meta(s, w) < 0 || synth_write_tables(s, w) < 0 ||
	    store_writer_process(w, &p) < 0 ||
	    store_writer_thread(w, PL_TID, PL_PID, "planted-io", T0) < 0 ||
	    store_writer_close(w, err) < 0)
		return -1;
	synth_free(s);
	st = analyze_trace_open(path, err);
	if (!st || timearg_span(st, &base, &last) < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	store_close(st);
	unlink(path);
	return 0;
}

/* The export of ST with FILTER as one string (caller frees). */
static char *export(const char *filter)
{
	char err[FILTER_ERRLEN], *text = NULL;
	size_t len = 0;
	struct filter *f = filter_parse(filter, err, sizeof(err));
	struct export_opts o = { .filter = f, .from = 0, .to = UINT64_MAX };
	FILE *m = open_memstream(&text, &len);

	assert_non_null(f);
	assert_non_null(m);
	if (export_perfetto(st, &o, m, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	fclose(m);
	filter_free(f);
	return text;
}

/* The ts of the trace's first sched_switch. */
static uint64_t first_switch(void)
{
	struct store_kind_stats ks;

	assert_int_equal(store_kind_stats(st, EV_SWITCH, &ks), 0);
	return ks.ts_min;
}

/* "12.345" microseconds of NS */
static const char *us(uint64_t ns)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%llu.%03llu",
		 (unsigned long long)(ns / 1000), (unsigned long long)(ns % 1000));
	return buf[i];
}

static void expect_has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("export lacks %s", want);
}

static void test_planted(void **state)
{
	char *text = export(NULL), want[512];

	snprintf(want, sizeof(want), "{\"ph\":\"X\",\"pid\":90001,\"tid\":90002,"
		 "\"ts\":%s,\"dur\":%s,\"cat\":\"syscall\",\"name\":\"openat\","
		 "\"args\":{\"text\":\"openat(AT_FDCWD, \\\"/etc/planted.conf\\\", "
		 "O_RDONLY) = -2 ENOENT <25.00 ms>\",\"ret\":-2,"
		 "\"errno\":\"ENOENT\"}}", us(pl_open.ts - base), us(pl_open.dur));
	expect_has(text, want);
	snprintf(want, sizeof(want), "{\"ph\":\"i\",\"pid\":90001,\"tid\":90002,"
		 "\"ts\":%s,\"s\":\"t\",\"cat\":\"proc\",\"name\":\"exec\","
		 "\"args\":{\"text\":\"exec \\\"/usr/bin/planted\\\" "
		 "argv=\\\"planted --now\\\"\"}}", us(pl_exec.ts - base));
	expect_has(text, want);
	snprintf(want, sizeof(want), "{\"ph\":\"i\",\"pid\":90001,\"tid\":90002,"
		 "\"ts\":%s,\"s\":\"t\",\"cat\":\"net\",\"name\":\"tcp state\","
		 "\"args\":{\"text\":\"tcp state 10.0.0.1:40000 -> "
		 "10.9.9.9:5432 SYN_SENT -> ESTABLISHED\"}}", us(pl_net.ts - base));
	expect_has(text, want);
	/* CPU 7 saw only the planted switch: the planted thread ran there
	 * from the first recorded switch (before it nothing is known) */
	uint64_t sw0 = first_switch();
	char ts0[32];
	snprintf(ts0, sizeof(ts0), "%s", us(sw0 - base));
	snprintf(want, sizeof(want), "{\"ph\":\"X\",\"pid\":%d,\"tid\":%d,"
		 "\"ts\":%s,\"dur\":%s,\"cat\":\"sched\",\"name\":"
		 "\"planted/90002\",\"args\":{\"tid\":90002}}", EXPORT_CPU_PID,
		 EXPORT_CPU_PID + 1 + 7, ts0, us(pl_switch.ts - sw0));
	expect_has(text, want);
	expect_has(text, "{\"ph\":\"M\",\"pid\":90001,\"tid\":90001,\"ts\":0.000,"
		   "\"name\":\"process_name\",\"args\":{\"name\":\"planted\"}}");
	expect_has(text, "{\"ph\":\"M\",\"pid\":90001,\"tid\":90002,\"ts\":0.000,"
		   "\"name\":\"thread_name\",\"args\":{\"name\":\"planted-io\"}}");
	expect_has(text, "\"name\":\"thread_name\",\"args\":{\"name\":\"CPU 7\"}}");
	/* it ends as a JSON document */
	size_t n = strlen(text);
	assert_true(n > 4);
	assert_string_equal(text + n - 4, "\n]}\n");
	free(text);
	(void)state;
}

#define STATE "\"cat\":\"state\",\"name\":\""

static void test_filtered(void **state)
{
	char *text = export("pid = 90001"), *p = text;
	int x = 0, i = 0, cpu = 0, st = 0;

	while ((p = strstr(p, "{\"ph\":\""))) {
		const char *end = strchr(p, '\n'), *cat;

		p += 7;
		cat = strstr(p, STATE);
		if (!strncmp(p, "X\",\"pid\":90001,", 15) && cat &&
		    (!end || cat < end))
			/* its thread's states: running until it slept */
			assert_int_equal(strncmp(cat + strlen(STATE), st++ ?
						 "sleeping\"" : "running\"",
						 st > 1 ? 9 : 8), 0);
		else if (!strncmp(p, "X\",\"pid\":90001,", 15))
			x++;
		else if (!strncmp(p, "i\",\"pid\":90001,", 15))
			i++;
		else if (*p == 'X')
			cpu++;
		else if (*p != 'M')
			fail_msg("an event of another process: %.80s", p);
	}
	assert_int_equal(x, 1);   /* the open */
	assert_int_equal(i, 2);   /* exec, tcp state */
	assert_int_equal(cpu, 1); /* the planted thread on CPU 7 */
	assert_int_equal(st, 2);
	free(text);
	(void)state;
}

/* Outputs (analyze/output/outfile.c) when a name is planted while the export
 * runs, after the first check: the commit refuses it without force and
 * never writes through it; with force it replaces the link itself, and
 * refuses a FIFO.  The new name beside it is gone after each. */
static void test_outfile_planted_late(void **state)
{
	char dir[] = "/tmp/test-outfile.XXXXXX", p[128], t[128], err[256];
	struct outfile of;
	struct stat sb;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/out.json", dir);
	snprintf(t, sizeof(t), "%s/target", dir);
	assert_non_null(f = fopen(t, "w"));
	fclose(f); /* empty: must stay so */

	/* a link planted at the name: refused, not followed */
	assert_int_equal(outfile_create(&of, p, 0, 0, err, sizeof(err)), 0);
	assert_int_equal(write(of.fd, "{}", 2), 2);
	close(of.fd);
	assert_int_equal(symlink(t, p), 0);
	assert_int_equal(outfile_commit(&of, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "already exists"));
	assert_int_equal(stat(t, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	unlink(p);

	/* the same for a directory: a link to a directory planted */
	assert_int_equal(outfile_create(&of, p, 1, 0, err, sizeof(err)), 0);
	close(of.fd);
	assert_int_equal(symlink(dir, p), 0);
	assert_int_equal(outfile_commit(&of, err, sizeof(err)), -EEXIST);
	assert_int_equal(lstat(p, &sb), 0);
	assert_true(S_ISLNK(sb.st_mode));
	unlink(p);

	/* with force, a regular file at create and a FIFO at commit */
	assert_non_null(f = fopen(p, "w"));
	fclose(f);
	assert_int_equal(outfile_create(&of, p, 0, 1, err, sizeof(err)), 0);
	close(of.fd);
	unlink(p);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_true(outfile_commit(&of, err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "it is a FIFO"));
	assert_int_equal(lstat(p, &sb), 0);
	assert_true(S_ISFIFO(sb.st_mode));
	unlink(p);

	/* nothing else left: the target alone */
	assert_int_equal(unlink(t), 0);
	assert_int_equal(rmdir(dir), 0);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_filtered),
		cmocka_unit_test(test_outfile_planted_late),
	};

	return cmocka_run_group_tests_name("export-planted", tests, setup,
					   teardown);
}
