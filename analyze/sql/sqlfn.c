/*
 * sqlfn.c - SQL functions every trace connection has.
 *
 *     SELECT wall(ts), fmt_dur(dur), errno_name(ret) FROM syscalls
 *      WHERE ret < 0;
 *     SELECT name, percentile(dur, 99), count(*) FROM syscalls GROUP BY name;
 *     SELECT log2_bucket(dur) AS b, count(*) FROM syscalls GROUP BY b;
 *
 * errno_name(ret)    "ENOENT" for a negative errno return ("ERESTARTSYS"...
 *                    for the kernel's codes of interrupted calls), else NULL
 * wall(ts)           ISO-8601 UTC time of a boot-clock ts, with ns, from
 *                    meta.clock_offset_ns (NULL when the trace has none)
 * wall_ns(ts)        the same instant as an integer: ns since the epoch
 * fmt_dur(ns)        "812 ns", "4.20 us", "1.50 ms", "2.000 s"
 * percentile(x, p)   aggregate: the nearest-rank P-th percentile (0..100)
 * log2_bucket(x)     floor(log2(x)) for x >= 1, 0 below: the BCC-style
 *                    histogram slot [2^b, 2^(b+1))
 *
 * All are innocuous (no side effects), so they work in views of a trace
 * opened with untrusted schema off; all but wall() are deterministic.
 */
#include "config.h"
#include "analyze/sql/sqlfn.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *sqlfn_errno_name(int64_t ret)
{
	/* kernel-internal codes a syscall can end with when a signal
	 * interrupts it (include/linux/errno.h); not in <errno.h> */
	static const char *const internal[] = {
		"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND",
		"ENOIOCTLCMD", "ERESTART_RESTARTBLOCK", "EPROBE_DEFER",
		"EOPENSTALE", "ENOPARAM",
	};

	if (ret >= 0 || ret < -4095)
		return NULL;
	if (ret <= -512 && ret >= -519)
		return internal[-ret - 512];
	return strerrorname_np((int)-ret);
}

const char *sqlfn_errno_label(int64_t ret, char *buf, size_t len)
{
	const char *s = sqlfn_errno_name(ret);

	if (s)
		return s;
	snprintf(buf, len, "E%" PRId64, -ret);
	return buf;
}

void sqlfn_fmt_dur(char *buf, size_t len, int64_t ns)
{
	double v = (double)ns;
	const char *sign = ns < 0 ? "-" : "";

	if (ns < 0)
		v = -v;
	if (v < 1e3)
		snprintf(buf, len, "%s%.0f ns", sign, v);
	else if (v < 1e6)
		snprintf(buf, len, "%s%.2f us", sign, v / 1e3);
	else if (v < 1e9)
		snprintf(buf, len, "%s%.2f ms", sign, v / 1e6);
	else
		snprintf(buf, len, "%s%.3f s", sign, v / 1e9);
}

void sqlfn_wall_split(int64_t ts, int64_t offset_ns, int64_t *sec,
		      int64_t *ns)
{
	int64_t s = ts / 1000000000 + offset_ns / 1000000000;
	int64_t n = ts % 1000000000 + offset_ns % 1000000000;

	/* each part is within +-9.3e9 s and +-2e9 ns: no overflow */
	while (n < 0) {
		n += 1000000000;
		s--;
	}
	while (n >= 1000000000) {
		n -= 1000000000;
		s++;
	}
	*sec = s;
	*ns = n;
}

int sqlfn_wall(char *buf, size_t len, int64_t ts, int64_t offset_ns)
{
	int64_t s, ns;
	struct tm tm;
	time_t sec;

	sqlfn_wall_split(ts, offset_ns, &s, &ns);
	sec = (time_t)s;
	if (!gmtime_r(&sec, &tm))
		return -1;
	size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!n)
		return -1;
	snprintf(buf + n, len - n, ".%09" PRId64 "Z", ns);
	return 0;
}

int sqlfn_log2_bucket(int64_t x)
{
	if (x < 1)
		return 0;
	return 63 - __builtin_clzll((uint64_t)x);
}

static void fn_errno_name(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	const char *s;

	if (sqlite3_value_type(v[0]) == SQLITE_NULL)
		return;
	s = sqlfn_errno_name(sqlite3_value_int64(v[0]));
	if (s)
		sqlite3_result_text(ctx, s, -1, SQLITE_STATIC);
}

static void fn_fmt_dur(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	char buf[48];

	if (sqlite3_value_type(v[0]) == SQLITE_NULL)
		return;
	sqlfn_fmt_dur(buf, sizeof(buf), sqlite3_value_int64(v[0]));
	sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_log2_bucket(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	if (sqlite3_value_type(v[0]) == SQLITE_NULL)
		return;
	sqlite3_result_int(ctx, sqlfn_log2_bucket(sqlite3_value_int64(v[0])));
}

/* wall(ts): the connection's clock offset, read from meta on first use
 * (a trace is read-only, so it cannot change under us). */
struct wall_state {
	int loaded, have;
	int64_t off;
};

/* Load W from the connection's meta on first use; 1 when it has an
 * offset. */
static int wall_have(sqlite3_context *ctx, struct wall_state *w)
{
	if (!w->loaded) {
		sqlite3 *db = sqlite3_context_db_handle(ctx);
		sqlite3_stmt *s;

		if (sqlite3_prepare_v2(db, "SELECT value FROM main.meta WHERE key"
				       " = 'clock_offset_ns'", -1, &s, NULL) ==
		    SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW &&
			    sqlite3_column_type(s, 0) != SQLITE_NULL) {
				w->off = sqlite3_column_int64(s, 0);
				w->have = 1;
			}
			sqlite3_finalize(s);
		}
		w->loaded = 1;
	}
	return w->have;
}

static void fn_wall(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	struct wall_state *w = sqlite3_user_data(ctx);
	char buf[64];

	if (sqlite3_value_type(v[0]) == SQLITE_NULL)
		return;
	if (wall_have(ctx, w) &&
	    sqlfn_wall(buf, sizeof(buf), sqlite3_value_int64(v[0]), w->off) == 0)
		sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static void fn_wall_ns(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	struct wall_state *w = sqlite3_user_data(ctx);
	int64_t ns;

	if (sqlite3_value_type(v[0]) == SQLITE_NULL)
		return;
	if (wall_have(ctx, w) &&
	    !__builtin_add_overflow(sqlite3_value_int64(v[0]), w->off, &ns))
		sqlite3_result_int64(ctx, ns);
}

struct pct {
	double *x;
	size_t n, cap;
	double p;
	int have_p;
};

static void pct_step(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
	struct pct *a = sqlite3_aggregate_context(ctx, sizeof(*a));

	if (!a)
		return;
	if (sqlite3_value_type(v[0]) == SQLITE_NULL)
		return;
	if (!a->have_p) {
		a->p = sqlite3_value_double(v[1]);
		if (a->p < 0 || a->p > 100 || isnan(a->p)) {
			sqlite3_result_error(ctx, "percentile: P must be "
					     "between 0 and 100", -1);
			return;
		}
		a->have_p = 1;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;
		double *x = sqlite3_realloc64(a->x, cap * sizeof(*x));
		if (!x) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		a->x = x;
		a->cap = cap;
	}
	a->x[a->n++] = sqlite3_value_double(v[0]);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void pct_final(sqlite3_context *ctx)
{
	struct pct *a = sqlite3_aggregate_context(ctx, 0);

	if (!a || !a->n) {
		if (a)
			sqlite3_free(a->x);
		return;
	}
	qsort(a->x, a->n, sizeof(*a->x), cmp_double);
	/* Nearest rank: the smallest value with at least P% at or below. */
	size_t rank = (size_t)ceil(a->p / 100.0 * (double)a->n);
	if (rank < 1)
		rank = 1;
	double r = a->x[rank - 1];
	if (r == floor(r) && fabs(r) < 9e15)
		sqlite3_result_int64(ctx, (int64_t)r);
	else
		sqlite3_result_double(ctx, r);
	sqlite3_free(a->x);
}

int sqlfn_register(sqlite3 *db)
{
	const int det = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
	int rc = SQLITE_OK;

	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "errno_name", 1, det, NULL,
					     fn_errno_name, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "fmt_dur", 1, det, NULL,
					     fn_fmt_dur, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "log2_bucket", 1, det, NULL,
					     fn_log2_bucket, NULL, NULL);
	if (rc == SQLITE_OK) {
		struct wall_state *w = sqlite3_malloc(sizeof(*w));
		if (!w)
			return SQLITE_NOMEM;
		memset(w, 0, sizeof(*w));
		/* wall_ns first: wall owns W, and frees it when replaced */
		rc = sqlite3_create_function(db, "wall_ns", 1,
					     SQLITE_UTF8 | SQLITE_INNOCUOUS,
					     w, fn_wall_ns, NULL, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_create_function_v2(db, "wall", 1,
							SQLITE_UTF8 |
							SQLITE_INNOCUOUS, w,
							fn_wall, NULL, NULL,
							sqlite3_free);
		else
			sqlite3_free(w);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "percentile", 2, det, NULL,
					     NULL, pct_step, pct_final);
	return rc;
}
