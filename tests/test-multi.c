/*
 * test-multi.c - the union tables of several traces (analyze/sql/multi.h)
 * over two traces written here: one of an x86_64 host, one of an aarch64
 * host, the same calls under each arch's own numbers (store/systab.h).
 *
 *   - GROUP BY name over both gives one group per call, holding both
 *     numbers (the names come from each trace's arch);
 *   - a ts range skips chunks in each trace (the store's counters), and
 *     trace = ... leaves the other trace unread;
 *   - wall_ns(ts, trace) adds each trace's own offset; wall(ts) refuses.
 */
#include "config.h"
#include "analyze/sql/multi.h"
#include "store/systab.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#define NEV 4000
#define CHUNK 100
#define T0 1000000000ULL

static const char *const calls[] = {
	"openat", "read", "write", "close", "getpid",
};
#define NCALLS (sizeof(calls) / sizeof(calls[0]))

static const struct {
	const char *arch, *host, *offset;
} hosts[] = {
	{ "x86_64", "amd-host", "1700000000000000000" },
	{ "aarch64", "arm-host", "1700000003000000000" },
};

static char dir[64], paths[2][96];
static const char *names[2] = { paths[0], paths[1] };

static void write_one(int h)
{
	struct store_writer_opts o = { .chunk_events = CHUNK };
	char err[STORE_ERRLEN];
	struct store_writer *w;

	w = store_writer_open(paths[h], &o, err);
	assert_non_null(w);
	assert_int_equal(store_writer_meta(w, "arch", hosts[h].arch), 0);
	assert_int_equal(store_writer_meta(w, "host", hosts[h].host), 0);
	assert_int_equal(store_writer_meta(w, "clock_offset_ns",
					   hosts[h].offset), 0);
	for (unsigned i = 0; i < NEV; i++) {
		struct ev_syscall sc;

		memset(&sc, 0, sizeof(sc));
		sc.ts = T0 + i * 1000ULL + h;
		sc.dur = 100;
		sc.pid = sc.tid = 100 + i % 3;
		sc.comm = "worker";
		sc.nr = systab_nr(hosts[h].arch, calls[i % NCALLS]);
		sc.fd = -1;
		assert_true(sc.nr >= 0);
		assert_int_equal(store_writer_append(w, EV_SYSCALL, &sc), 0);
	}
	assert_int_equal(store_writer_close(w, err), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "%s/kscope-multi.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	for (int h = 0; h < 2; h++) {
		snprintf(paths[h], sizeof(paths[h]), "%s/%s.kscope", dir,
			 hosts[h].arch);
		write_one(h);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int h = 0; h < 2; h++)
		unlink(paths[h]);
	rmdir(dir);
	return 0;
}

static struct multi *open_both(void)
{
	char err[STORE_ERRLEN];
	struct multi *m = multi_open(names, 2, err);

	if (!m)
		fail_msg("%s", err);
	return m;
}

static int64_t sql_int(struct multi *m, const char *sql)
{
	sqlite3_stmt *s;
	int64_t v;

	if (sqlite3_prepare_v2(multi_db(m), sql, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW)
		fail_msg("%s: %s", sql, sqlite3_errmsg(multi_db(m)));
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The same call has the same name in both traces, and GROUP BY name puts
 * the two numbers in one group. */
static void test_names_across_arches(void **state)
{
	struct multi *m = open_both();
	sqlite3_stmt *s;
	unsigned rows = 0;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(multi_db(m),
		"SELECT name, count(*), count(DISTINCT trace), min(nr), "
		"max(nr) FROM syscalls GROUP BY name ORDER BY name", -1, &s,
		NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		int a, b, lo, hi;
		unsigned c;

		assert_non_null(name);
		for (c = 0; c < NCALLS && strcmp(calls[c], name); c++)
			;
		assert_true(c < NCALLS);
		a = systab_nr("x86_64", name);
		b = systab_nr("aarch64", name);
		lo = a < b ? a : b;
		hi = a < b ? b : a;
		assert_true(a != b);
		assert_int_equal(sqlite3_column_int(s, 1), 2 * NEV / NCALLS);
		assert_int_equal(sqlite3_column_int(s, 2), 2);
		assert_int_equal(sqlite3_column_int(s, 3), lo);
		assert_int_equal(sqlite3_column_int(s, 4), hi);
		rows++;
	}
	sqlite3_finalize(s);
	assert_int_equal(rows, NCALLS);
	multi_close(m);
}

/* A ts range reads, in each trace, only the chunks it meets. */
static void test_range_skips_chunks(void **state)
{
	struct multi *m = open_both();
	const uint64_t lo = T0 + 1000 * 1000ULL, hi = T0 + 1250 * 1000ULL;
	char q[256];

	(void)state;
	for (int h = 0; h < 2; h++)
		store_counters_reset(multi_store(m, h));
	snprintf(q, sizeof(q), "SELECT count(*) FROM syscalls WHERE ts >= "
		 "%llu AND ts < %llu", (unsigned long long)lo,
		 (unsigned long long)hi);
	assert_int_equal(sql_int(m, q), 2 * 250);
	for (int h = 0; h < 2; h++) {
		const struct store_counters *c =
			store_counters(multi_store(m, h));

		assert_true(c->chunks_decoded >= 250 / CHUNK);
		assert_true(c->chunks_decoded <= 250 / CHUNK + 2);
		assert_true(c->chunks_skipped + c->chunks_decoded <=
			    NEV / CHUNK);
		store_counters_reset(multi_store(m, h));
	}

	/* trace = ...: the other trace is not read at all */
	snprintf(q, sizeof(q), "SELECT count(*) FROM syscalls WHERE ts >= "
		 "%llu AND ts < %llu AND trace = '%s'", (unsigned long long)lo,
		 (unsigned long long)hi, names[1]);
	assert_int_equal(sql_int(m, q), 250);
	assert_int_equal(store_counters(multi_store(m, 0))->chunks_decoded, 0);
	assert_true(store_counters(multi_store(m, 1))->chunks_decoded > 0);
	multi_close(m);
}

/* Each row on the wall clock of its own trace. */
static void test_wall(void **state)
{
	struct multi *m = open_both();
	sqlite3_stmt *s;
	char q[256];

	(void)state;
	for (int h = 0; h < 2; h++) {
		snprintf(q, sizeof(q), "SELECT count(*) FROM syscalls WHERE "
			 "trace = '%s' AND wall_ns(ts, trace) - ts = %s",
			 names[h], hosts[h].offset);
		assert_int_equal(sql_int(m, q), NEV);
	}
	snprintf(q, sizeof(q), "SELECT wall(%llu, '%s')", T0, names[1]);
	assert_int_equal(sqlite3_prepare_v2(multi_db(m), q, -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal(sqlite3_column_text(s, 0),
			    "2023-11-14T22:13:24.000000000Z");
	sqlite3_finalize(s);

	assert_int_equal(sqlite3_prepare_v2(multi_db(m), "SELECT wall(ts) "
					    "FROM syscalls", -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ERROR);
	assert_non_null(strstr(sqlite3_errmsg(multi_db(m)),
			       "use wall(ts, trace)"));
	sqlite3_finalize(s);
	multi_close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_across_arches),
		cmocka_unit_test(test_range_skips_chunks),
		cmocka_unit_test(test_wall),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
