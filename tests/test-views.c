/*
 * test-views.c - the TEMP views every analysis connection gets
 * (analyze/sql/views.c), on a trace written here: pid 500 used by two
 * processes one after the other, so syscalls_p must pick the process that
 * was alive at each call's ts (and none between them); errors names the
 * errno of failed calls only.
 */
#include "analyze/analyze.h"
#include "store/store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define S 1000000000ull

static char path[64];
static struct store *st;

static int setup(void **state)
{
	struct store_writer_opts wo = { .force = 1 };
	struct store_process old = { .pid = 500, .ppid = 1, .start_ts = 1 * S,
				     .comm = "job", .exe = "/bin/old",
				     .cmdline = "old --run" };
	struct store_process cur = { .pid = 500, .ppid = 1, .start_ts = 3 * S,
				     .comm = "job", .exe = "/bin/new",
				     .cmdline = "new --run" };
	char err[STORE_ERRLEN];
	struct store_writer *w;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test-views.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	w = store_writer_open(path, &wo, err);
	if (!w || store_writer_meta(w, "arch", "x86_64") < 0 ||
	    store_writer_process(w, &old) < 0 ||
	    store_writer_process_exit(w, 500, 2 * S, 0, 0) < 0 ||
	    store_writer_process(w, &cur) < 0 ||
	    store_writer_thread(w, 500, 500, "job", 3 * S) < 0)
		return -1;
	/* calls at 0.5 s (before both), 1.5 s (old), 2.5 s (none), 3.5 s (new) */
	for (int i = 0; i < 4; i++) {
		struct ev_syscall sc = {
			.ts = S / 2 + (uint64_t)i * S, .dur = 10, .pid = 500,
			.tid = 500, .nr = 2, .ret = i == 1 ? -2 : i == 3 ? -13 : 3,
			.fd = -1, .comm = "job", .path = "/etc/x",
		};
		if (store_writer_append(w, EV_SYSCALL, &sc) < 0)
			return -1;
	}
	if (store_writer_close(w, err) < 0)
		return -1;
	st = analyze_trace_open(path, err);
	return st ? 0 : -1;
}

static int teardown(void **state)
{
	store_close(st);
	unlink(path);
	return 0;
}

/* All rows of SQL as "a|b|c\n" lines. */
static char *rows(const char *sql)
{
	static char out[1024];
	sqlite3_stmt *s;
	size_t n = 0;

	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(store_db(st)));
	out[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW)
		for (int i = 0; i < sqlite3_column_count(s); i++) {
			const char *t = (const char *)sqlite3_column_text(s, i);
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%c",
					      t ? t : "NULL",
					      i + 1 < sqlite3_column_count(s) ?
					      '|' : '\n');
		}
	sqlite3_finalize(s);
	return out;
}

static void test_syscalls_p(void **state)
{
	assert_string_equal(rows("SELECT ts / 100000000, name, ret, exe, cmdline, "
				 "ppid FROM syscalls_p ORDER BY ts"),
			    "5|open|3|NULL|NULL|NULL\n"
			    "15|open|-2|/bin/old|old --run|1\n"
			    "25|open|3|NULL|NULL|NULL\n"
			    "35|open|-13|/bin/new|new --run|1\n");
	/* every column of syscalls is there, in order, then the process's */
	assert_string_equal(rows("SELECT group_concat(name, ',') FROM "
				 "pragma_table_info('syscalls_p') WHERE cid < 3 "
				 "OR cid > 24"),
			    "ts,dur,cpu,ppid,exe,cmdline,cgroup,container\n");
	/* a ts range still narrows the scan */
	assert_string_equal(rows("SELECT count(*) FROM syscalls_p WHERE ts "
				 "BETWEEN 1000000000 AND 2000000000"), "1\n");
	(void)state;
}

static void test_errors(void **state)
{
	assert_string_equal(rows("SELECT ts / 100000000, name, ret, errno, path "
				 "FROM errors ORDER BY ts"),
			    "15|open|-2|ENOENT|/etc/x\n"
			    "35|open|-13|EACCES|/etc/x\n");
	assert_string_equal(rows("SELECT tid, exe, cmdline FROM threads_p"),
			    "500|/bin/new|new --run\n");
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syscalls_p),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("views", tests, setup, teardown);
}
