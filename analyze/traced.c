/*
 * traced.c - which tasks a trace sees whole, and where it has holes (see
 * traced.h for the rules).
 *
 * The spans come from one query over the threads and processes tables;
 * the holes from the lost table; the options string is parsed the way the
 * recorder's getopt_long does ("+:o:d:p:ae:qfh", long options that may be
 * abbreviated, the command starting at "--" or at the first non-option).
 */
#include "config.h"
#include "analyze/traced.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- the recorder's options ----------------------------------------- */

enum { OPT_FLAG, OPT_ARG };
static const struct {
	const char *name;
	int arg;
} longopts[] = {
	{ "output", OPT_ARG }, { "duration", OPT_ARG }, { "pid", OPT_ARG },
	{ "all", OPT_FLAG }, { "events", OPT_ARG }, { "cgroup", OPT_ARG },
	{ "max-size", OPT_ARG }, { "ring", OPT_FLAG },
	{ "buffer-size", OPT_ARG }, { "quiet", OPT_FLAG },
	{ "force", OPT_FLAG }, { "help", OPT_FLAG },
};

int traced_options_some(const char *options)
{
	int cmd = 0, pid = 0, all = 0, cgroup = 0, skip = 0, n = 0;
	char *s, *save = NULL, *tok;

	if (!options || !(s = strdup(options)))
		return 0;
	for (tok = strtok_r(s, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save), n++) {
		if (n == 0 || n == 1) {	/* "kscope record" */
			if (strcmp(tok, n ? "record" : "kscope"))
				break;
			continue;
		}
		if (skip) {
			skip = 0;
			continue;
		}
		if (!strcmp(tok, "--")) {
			cmd = strtok_r(NULL, " ", &save) != NULL;
			break;
		}
		if (tok[0] != '-' || !tok[1]) {
			cmd = 1;
			break;
		}
		if (tok[1] == '-') {
			const char *name = tok + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);

			for (size_t i = 0; i < sizeof(longopts) /
					       sizeof(longopts[0]); i++) {
				if (!len || strncmp(longopts[i].name, name, len))
					continue;
				all |= !strcmp(longopts[i].name, "all");
				pid |= !strcmp(longopts[i].name, "pid");
				cgroup |= !strcmp(longopts[i].name, "cgroup");
				skip = longopts[i].arg == OPT_ARG && !eq;
				break;
			}
			continue;
		}
		for (const char *p = tok + 1; *p; p++) {
			if (*p == 'a')
				all = 1;
			if (strchr("odpe", *p)) {
				pid |= *p == 'p';
				skip = !p[1];
				break;
			}
		}
	}
	free(s);
	return ((cmd || pid) && !all) || cgroup;
}

/* ---- loading -------------------------------------------------------- */

static int grow(void *p, size_t *cap, size_t need, size_t size)
{
	void **pp = p;
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (!(q = realloc(*pp, c * size)))
		return -ENOMEM;
	*pp = q;
	*cap = c;
	return 0;
}

/* A failed step: the message stays in store_db's sqlite3_errmsg. */
static int sql_fail(sqlite3_stmt *s)
{
	sqlite3_finalize(s);
	return -EIO;
}

/* A thread's span ends at its process's end_ts: the processes row of its
 * pid that started last at or before the thread (the row of a reused pid
 * that started later is another process); none: traced to the end. */
static const char spans_sql[] =
	"SELECT t.tid, t.start_ts, "
	" (SELECT p.end_ts FROM processes p WHERE p.pid = t.pid AND "
	"  p.start_ts = (SELECT max(q.start_ts) FROM processes q "
	"   WHERE q.pid = t.pid AND q.start_ts <= t.start_ts)) "
	"FROM threads t ORDER BY 1, 2";

static int load_spans(struct store *st, struct traced *t)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), spans_sql, -1, &s, NULL) !=
	    SQLITE_OK)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (grow(&t->spans, &cap, t->nspans + 1, sizeof(*t->spans)) < 0) {
			sqlite3_finalize(s);
			return -ENOMEM;
		}
		t->spans[t->nspans++] = (struct traced_span){
			.tid = (uint32_t)sqlite3_column_int64(s, 0),
			.from = (uint64_t)sqlite3_column_int64(s, 1),
			.until = sqlite3_column_type(s, 2) == SQLITE_NULL ?
				UINT64_MAX : (uint64_t)sqlite3_column_int64(s, 2),
		};
	}
	if (rc != SQLITE_DONE)
		return sql_fail(s);
	sqlite3_finalize(s);
	return 0;
}

static int load_holes(struct store *st, struct traced *t)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), "SELECT cpu, ts FROM lost WHERE"
			       " class = 'sched' AND count > 0 ORDER BY 1, 2",
			       -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint64_t ts = (uint64_t)sqlite3_column_int64(s, 1);

		if (grow(&t->holes, &cap, t->nholes + 1, sizeof(*t->holes)) < 0) {
			sqlite3_finalize(s);
			return -ENOMEM;
		}
		t->holes[t->nholes++] = (struct traced_hole){
			.cpu = (uint32_t)sqlite3_column_int64(s, 0),
			.from = ts > TRACED_HOLE_BEFORE ?
				ts - TRACED_HOLE_BEFORE : 0,
			.to = ts < UINT64_MAX - TRACED_HOLE_AFTER ?
			      ts + TRACED_HOLE_AFTER : UINT64_MAX,
		};
	}
	if (rc != SQLITE_DONE)
		return sql_fail(s);
	sqlite3_finalize(s);
	return 0;
}

/* Whether the recorder kept exiting processes traced until their final
 * switch (it does since the traced set follows sched_process_free): a
 * final switch (a dead state) of an exited process's thread to idle or to
 * an untraced task is recorded only then.  It is looked for after the
 * first exits only, in the 100 ms after each (a ts range: the chunks
 * outside are skipped). */
static const char exits_sql[] =
	"SELECT t.tid, p.end_ts FROM threads t JOIN processes p "
	"ON p.pid = t.pid AND t.start_ts >= p.start_ts "
	"WHERE p.end_ts IS NOT NULL ORDER BY p.end_ts LIMIT 32";
static const char final_sql[] =
	"SELECT next_tid FROM sched_switch WHERE ts >= ?1 AND ts < ?2 "
	"AND prev_tid = ?3 AND (prev_state & 176) != 0";

static int load_exit_kept(struct store *st, struct traced *t)
{
	sqlite3_stmt *e, *f;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(store_db(st), exits_sql, -1, &e, NULL) !=
	    SQLITE_OK)
		return -EIO;
	if (sqlite3_prepare_v2(store_db(st), final_sql, -1, &f, NULL) !=
	    SQLITE_OK) {
		sqlite3_finalize(e);
		return -EIO;
	}
	while (!t->exit_kept && (rc = sqlite3_step(e)) == SQLITE_ROW) {
		int64_t end = sqlite3_column_int64(e, 1);

		sqlite3_reset(f);
		sqlite3_bind_int64(f, 1, end);
		sqlite3_bind_int64(f, 2, end + 100000000);
		sqlite3_bind_int64(f, 3, sqlite3_column_int64(e, 0));
		while ((rc = sqlite3_step(f)) == SQLITE_ROW) {
			uint32_t next = (uint32_t)sqlite3_column_int64(f, 0);

			if (next == 0 || !traced_ever(t, next))
				t->exit_kept = 1;
		}
		if (rc != SQLITE_DONE)
			break;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		sqlite3_finalize(f);
		return sql_fail(e);
	}
	sqlite3_finalize(f);
	sqlite3_finalize(e);
	if (t->exit_kept)
		for (size_t i = 0; i < t->nspans; i++)
			t->spans[i].until = UINT64_MAX;
	return 0;
}

int traced_load(struct store *st, struct traced *t)
{
	struct store_kind_stats ks;
	int rc;

	memset(t, 0, sizeof(*t));
	t->some = traced_options_some(store_meta(st, "options"));
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		if ((rc = store_kind_stats(st, (enum ev_kind)k, &ks)) < 0)
			return rc;
		if (!ks.events)
			continue;
		if (k == EV_SWITCH)
			t->sw_first = ks.ts_min;
		if (ks.ts_max > t->last)
			t->last = ks.ts_max;
	}
	if ((rc = load_holes(st, t)) < 0)
		return rc;
	if (!t->some)
		return 0;
	if ((rc = load_spans(st, t)) < 0)
		return rc;
	return load_exit_kept(st, t);
}

void traced_free(struct traced *t)
{
	free(t->spans);
	free(t->holes);
	memset(t, 0, sizeof(*t));
}

/* ---- questions ------------------------------------------------------ */

int traced_at(const struct traced *t, uint32_t tid, uint64_t ts,
	      uint64_t *until)
{
	size_t lo = 0, hi = t->nspans;
	const struct traced_span *best = NULL;

	if (until)
		*until = UINT64_MAX;
	if (!t->some)
		return 1;
	while (lo < hi) {	/* the first span of tid */
		size_t m = lo + (hi - lo) / 2;

		if (t->spans[m].tid < tid)
			lo = m + 1;
		else
			hi = m;
	}
	for (; lo < t->nspans && t->spans[lo].tid == tid &&
	       t->spans[lo].from <= ts; lo++)
		best = &t->spans[lo];
	if (!best || ts >= best->until)
		return 0;
	if (until)
		*until = best->until;
	return 1;
}

int traced_ever(const struct traced *t, uint32_t tid)
{
	size_t lo = 0, hi = t->nspans;

	if (!t->some)
		return 1;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;

		if (t->spans[m].tid < tid)
			lo = m + 1;
		else
			hi = m;
	}
	return lo < t->nspans && t->spans[lo].tid == tid;
}

/* Index of the first hole of CPU whose end is after A (holes of a CPU all
 * have the same width, so their ends are in order too). */
static size_t hole_first(const struct traced *t, uint32_t cpu, uint64_t a)
{
	size_t lo = 0, hi = t->nholes;

	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		const struct traced_hole *h = &t->holes[m];

		if (h->cpu < cpu || (h->cpu == cpu && h->to <= a))
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

uint64_t traced_known(const struct traced *t, uint32_t cpu, uint64_t a,
		      uint64_t b, int *partial)
{
	uint64_t pos = a, known = 0;

	if (b <= a)
		return 0;
	if (cpu == UINT32_MAX) {
		uint64_t h = traced_hole_start(t, cpu, a, b);

		if (h == UINT64_MAX)
			return b - a;
		*partial = 1;
		return h > a ? h - a : 0;	/* what follows is unsure */
	}
	for (size_t i = hole_first(t, cpu, a);
	     i < t->nholes && t->holes[i].cpu == cpu &&
	     t->holes[i].from < b; i++) {
		const struct traced_hole *h = &t->holes[i];

		if (h->to <= pos)
			continue;
		*partial = 1;
		if (h->from > pos)
			known += h->from - pos;
		pos = h->to;
	}
	if (pos < b)
		known += b - pos;
	return known;
}

uint64_t traced_hole_start(const struct traced *t, uint32_t cpu, uint64_t a,
			   uint64_t b)
{
	uint64_t first = UINT64_MAX;

	for (uint32_t c = cpu == UINT32_MAX ? 0 : cpu; ; c++) {
		size_t i = hole_first(t, c, a);

		if (cpu == UINT32_MAX) {
			if (i >= t->nholes)
				break;
			c = t->holes[i].cpu;	/* skip CPUs with no hole */
			i = hole_first(t, c, a);
		}
		if (i < t->nholes && t->holes[i].cpu == c &&
		    t->holes[i].from < b) {
			uint64_t s = t->holes[i].from > a ? t->holes[i].from : a;

			if (s < first)
				first = s;
		}
		if (cpu != UINT32_MAX)
			break;
	}
	return first;
}

uint64_t traced_hole_end(const struct traced *t, uint32_t cpu, uint64_t ts)
{
	for (size_t i = hole_first(t, cpu, ts);
	     i < t->nholes && t->holes[i].cpu == cpu &&
	     t->holes[i].from <= ts; i++)
		if (t->holes[i].to > ts)
			ts = t->holes[i].to;
	return ts;
}
