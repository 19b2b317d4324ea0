/*
 * store-bench - the trace store against a plain SQLite table, in one run.
 *
 *     bench/store-bench                 10M synthetic syscalls (make bench)
 *     bench/store-bench -n 1M -r 5      smaller, best of 5 per query
 *     bench/store-bench -d /var/tmp -k  files there, and kept
 *     bench/store-bench --columns -n 512K   where the bytes go, per column
 *
 * It generates N syscall events (tests/synth.c, seed 1 unless --seed), and
 * writes them twice: through store_writer_append into a kscope trace, and
 * as rows of the plain SQLite table a user would build for them: the
 * columns the trace stores (the ints as INTEGER; comm, path, addr as
 * TEXT; the syscall's number, not its name, which both derive), no index.
 * Then it times the same SQL on both and prints one line per target
 * (docs/TARGETS.md): the kscope figure, the baseline figure measured in
 * this run, their ratio, the target and PASS or MISS.
 *
 * Timing: the events are generated into memory first (about 128 bytes
 * each), so only the writing is timed, the same way for both files: from
 * opening (the schema included) to the file closed.  As the recorder does,
 * the bench calls store_writer_flush once per second of trace time (each
 * flush seals the partly filled chunk, commits and checkpoints passively);
 * the plain table is filled in one transaction, without journal or sync,
 * its fastest.  The rate without the close is shown too.  A second trace
 * of a tight one-thread syscall loop gives the size the loop target names.
 * Queries run -r times each (after one untimed warm-up run) and the best
 * time counts, so both files are read from the page cache.
 *
 * --columns: the codec alone (store/chunk.c, chunks of 65536) on the same
 * events, once as they are and once with each stored column blanked (0 or
 * NULL in every event): what each column costs per event, as docs/BENCH.md
 * ("Where the bytes go") shows it.
 *
 * Exit status 0 whatever the outcome; 1 when something fails to run.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "store/chunk.h"
#include "store/store.h"
#include "tests/synth.h"


struct bench {
	uint64_t n, seed;
	int reps;
	const char *dir;
	int keep;
	int write_only; /* --write-only: the trace alone, for profiling */
	int columns;    /* --columns: what each column costs */
	char trace[512], plain[512];
	uint64_t range_from, range_to, range_expect;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) this process has used. */
static double cpu_now(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static uint64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* Bytes this process has caused to be written to storage (the page
 * cache's writeback counted; /proc/self/io), 0 where unknown. */
static uint64_t written_bytes(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	unsigned long long v = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "write_bytes: %llu", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

static int die(const char *what, const char *msg)
{
	fprintf(stderr, "store-bench: %s: %s\n", what, msg);
	return -1;
}

/* ---- writing ------------------------------------------------------------ */

static const char plain_schema[] =
	"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	"CREATE TABLE syscalls(ts INTEGER, dur INTEGER, cpu INTEGER,"
	" pid INTEGER, tid INTEGER, comm TEXT, nr INTEGER, ret INTEGER,"
	" arg0 INTEGER, arg1 INTEGER, arg2 INTEGER,"
	" arg3 INTEGER, arg4 INTEGER, arg5 INTEGER, fd INTEGER, path TEXT,"
	" addr TEXT);";

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static int plain_insert(sqlite3_stmt *st, const struct ev_syscall *e)
{
	int i = 1;

	sqlite3_bind_int64(st, i++, (int64_t)e->ts);
	sqlite3_bind_int64(st, i++, (int64_t)e->dur);
	sqlite3_bind_int64(st, i++, e->cpu);
	sqlite3_bind_int64(st, i++, e->pid);
	sqlite3_bind_int64(st, i++, e->tid);
	bind_text(st, i++, e->comm);
	sqlite3_bind_int64(st, i++, e->nr);
	sqlite3_bind_int64(st, i++, e->ret);
	for (int a = 0; a < 6; a++)
		sqlite3_bind_int64(st, i++, (int64_t)e->arg[a]);
	sqlite3_bind_int64(st, i++, e->fd);
	bind_text(st, i++, e->path);
	bind_text(st, i++, e->addr);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct wtime {
	double append; /* wall seconds in opening, appends and flushes */
	double close;  /* wall seconds in store_writer_close */
	double cpu;    /* CPU seconds of both */
};

/* Write EVS into a new trace at PATH and time it.  SYN, when not NULL,
 * adds its meta and process tables (untimed). */
static int write_trace(const char *path, const struct ev_syscall *evs,
		       uint64_t n, struct synth *syn, struct wtime *wt)
{
	struct store_writer_opts wo = { .force = 1 };
	char err[STORE_ERRLEN];
	double c0 = cpu_now(), t0 = now();
	struct store_writer *w = store_writer_open(path, &wo, err);

	if (!w)
		return die(path, err);
	/* like the recorder: a flush (a commit) each second of trace time */
	uint64_t next_flush = n ? evs[0].ts + 1000000000ULL : 0;
	int rc = 0;
	for (uint64_t i = 0; i < n && rc == 0; i++) {
		if (evs[i].ts >= next_flush) {
			rc = store_writer_flush(w);
			next_flush += 1000000000ULL;
		}
		if (rc == 0)
			rc = store_writer_append(w, EV_SYSCALL, &evs[i]);
	}
	wt->append = now() - t0;
	wt->cpu = cpu_now() - c0;
	if (rc < 0) {
		die(path, store_writer_errmsg(w));
		store_writer_close(w, NULL);
		return -1;
	}
	if (syn && (synth_write_meta(syn, w) < 0 ||
		    synth_write_tables(syn, w) < 0)) {
		die(path, store_writer_errmsg(w));
		store_writer_close(w, NULL);
		return -1;
	}
	c0 = cpu_now();
	t0 = now();
	if (store_writer_close(w, err) < 0)
		return die(path, err);
	wt->close = now() - t0;
	wt->cpu += cpu_now() - c0;
	return 0;
}

/* The same rows as a plain table; the rate from opening to closed. */
static int write_plain(const char *path, const struct ev_syscall *evs,
		       uint64_t n, double *rate)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	int rc = -1;

	unlink(path);
	double t0 = now();
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, plain_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO syscalls VALUES(?,?,?,?,?,?,?,"
			       "?,?,?,?,?,?,?,?,?,?)", -1, &ins,
			       NULL) != SQLITE_OK) {
		die(path, sqlite3_errmsg(db));
		goto out;
	}
	for (uint64_t i = 0; i < n; i++)
		if (plain_insert(ins, &evs[i]) < 0) {
			die(path, sqlite3_errmsg(db));
			goto out;
		}
	sqlite3_finalize(ins);
	ins = NULL;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		die(path, sqlite3_errmsg(db));
		goto out;
	}
	if (sqlite3_close(db) != SQLITE_OK) {
		die(path, sqlite3_errmsg(db));
		goto out;
	}
	db = NULL;
	*rate = n / (now() - t0);
	rc = 0;
out:
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return rc;
}

/* A tight syscall loop, the case the loop's size target names
 * (docs/TARGETS.md): one thread calling getppid(2) over and over, ~300 ns
 * apart. */
static void loop_fill(struct ev_syscall *evs, uint64_t n)
{
	uint64_t x = 0x2545f4914f6cdd1dULL, ts = 7362000000000ULL;

	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		ts += 280 + (x & 63) + ((x >> 20) % 4096 == 0 ? 40000 : 0);
		evs[i] = (struct ev_syscall){
			.ts = ts, .dur = 150 + ((x >> 8) & 31), .cpu = 1,
			.pid = 4711, .tid = 4711, .nr = 110 /* getppid */,
			.ret = 4690, .fd = -1, .comm = "loop",
		};
		if ((x >> 30) % 100000 == 0)
			evs[i].cpu = 0; /* an occasional migration */
	}
}

/* ---- where the bytes go (--columns) -------------------------------------- */

/* Bytes the codec makes of EVS (N events, chunks of 65536) with the fields
 * whose bit is set in BLANK (field indexes) made 0 or NULL; 0 on failure. */
static uint64_t codec_bytes(const struct ev_syscall *evs, uint64_t n,
			    uint64_t blank)
{
	const struct ev_desc *d = ev_desc(EV_SYSCALL);
	struct chunk_builder *b = chunk_builder_new(d, 65536);
	struct chunk_blob blob;
	uint64_t bytes = 0;

	for (uint64_t i = 0; b && i < n; i++) {
		struct ev_syscall e = evs[i];

		for (unsigned f = 0; f < d->nfields; f++) {
			if (!(blank >> f & 1))
				continue;
			if (ev_type_is_bytes(d->fields[f].type))
				ev_set_str(&d->fields[f], &e, NULL);
			else
				ev_set_int(&d->fields[f], &e, 0);
		}
		if (chunk_builder_add(b, &e) < 0)
			bytes = 0, i = n;
		else if ((chunk_builder_full(b) || i + 1 == n) &&
			 chunk_builder_seal(b, &blob) == 0)
			bytes += blob.size;
	}
	chunk_builder_free(b);
	return bytes;
}

/* One line per stored column: what blanking it saves per event, most
 * first; then pid and comm together (both derive from tid). */
static int columns_report(const struct bench *b, const struct ev_syscall *evs,
			  uint64_t n)
{
	const struct ev_desc *d = ev_desc(EV_SYSCALL);
	uint64_t all = codec_bytes(evs, n, 0), pid_comm = 0;
	struct { const char *name; double save; } col[64];
	unsigned ncol = 0;

	if (!all || d->nfields > 64)
		return die("--columns", "the codec failed");
	for (unsigned f = 0; f < d->nfields; f++) {
		const struct ev_field *fl = &d->fields[f];
		uint64_t bytes;

		if (fl->flags & EVF_DERIVED)
			continue;
		if (!(bytes = codec_bytes(evs, n, 1ull << f)))
			return die("--columns", "the codec failed");
		col[ncol].name = fl->name;
		col[ncol++].save = ((double)all - (double)bytes) / n;
		if (!strcmp(fl->name, "pid") || !strcmp(fl->name, "comm"))
			pid_comm |= 1ull << f;
	}
	for (unsigned i = 0; i < ncol; i++) /* most first */
		for (unsigned j = i + 1; j < ncol; j++)
			if (col[j].save > col[i].save) {
				__typeof__(col[0]) x = col[i];
				col[i] = col[j];
				col[j] = x;
			}
	printf("kscope store-bench --columns: %" PRIu64 " synthetic syscall "
	       "events (seed %" PRIu64 "), the codec alone, chunks of 65536\n"
	       "as is: %.2f B/event; blanking one column (0 or NULL in every "
	       "event) saves:\n", n, b->seed, (double)all / n);
	for (unsigned i = 0; i < ncol; i++)
		printf("  %-12s %5.2f B/event\n", col[i].name, col[i].save);
	uint64_t pc = codec_bytes(evs, n, pid_comm);
	if (!pc)
		return die("--columns", "the codec failed");
	printf("pid and comm blanked (derived from tid): %.2f B/event\n",
	       (double)pc / n);
	printf("command: store-bench --columns -n %" PRIu64 " --seed %" PRIu64
	       "\n", n, b->seed);
	return 0;
}

/* ---- querying ----------------------------------------------------------- */

/* Best wall time of REPS runs of SQL on DB (after a warm-up run); *ROWS
 * and *FIRST get the row count and the first column of the first row. */
static int time_query(sqlite3 *db, const char *sql, int reps, double *best,
		      int64_t *rows, int64_t *first)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return die(sql, sqlite3_errmsg(db));
	*best = 1e30;
	for (int r = 0; r <= reps; r++) {
		double t0 = now();
		int64_t n = 0, v = 0;
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (!n)
				v = sqlite3_column_int64(st, 0);
			/* touch every column, as a client would */
			for (int c = 0; c < sqlite3_column_count(st); c++)
				(void)sqlite3_column_value(st, c);
			n++;
		}
		double t = now() - t0;
		if (rc != SQLITE_DONE) {
			die(sql, sqlite3_errmsg(db));
			sqlite3_finalize(st);
			return -1;
		}
		sqlite3_reset(st);
		if (r && t < *best)
			*best = t;
		*rows = n;
		*first = v;
	}
	sqlite3_finalize(st);
	return 0;
}

/* ---- report ------------------------------------------------------------- */

static void row(const char *metric, const char *kscope, const char *base,
		double ratio, const char *target, int pass)
{
	char r[32] = "-";

	if (ratio > 0)
		snprintf(r, sizeof(r), "%.2fx", ratio);
	printf("%-34s %14s %14s %10s  %-22s %s\n", metric, kscope, base, r,
	       target, pass ? "PASS" : "MISS");
}

static void usage(FILE *f)
{
	fprintf(f, "usage: store-bench [-n EVENTS] [--seed S] [-r REPS] "
		   "[-d DIR] [-k]\n"
		   "  -n  syscall events (default 10M; k, M suffixes)\n"
		   "  -r  timed runs per query, best counts (default 3)\n"
		   "  -d  directory for the two files (default $TMPDIR or "
		   "/tmp)\n"
		   "  -k  keep the files\n"
		   "  --write-only  only write the trace (to profile the "
		   "writer)\n"
		   "  --columns     what each column costs in the codec "
		   "(no files)\n");
}

static int parse_count(const char *s, uint64_t *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return -1;
	if (*end == 'k' || *end == 'K')
		v *= 1e3, end++;
	else if (*end == 'M' || *end == 'm')
		v *= 1e6, end++;
	if (*end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "events", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "reps", required_argument, NULL, 'r' },
		{ "dir", required_argument, NULL, 'd' },
		{ "keep", no_argument, NULL, 'k' },
		{ "write-only", no_argument, NULL, 'W' },
		{ "columns", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench b = { .n = 10000000, .seed = 1, .reps = 3 };
	char err[STORE_ERRLEN];
	uint64_t v;
	int c;

	b.dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	while ((c = getopt_long(argc, argv, "n:s:r:d:kh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
		case 's':
		case 'r':
			if (parse_count(optarg, &v) < 0 || (c == 'n' && v < 100)) {
				fprintf(stderr, "store-bench: bad number '%s'\n",
					optarg);
				return 2;
			}
			if (c == 'n')
				b.n = v;
			else if (c == 's')
				b.seed = v;
			else
				b.reps = v ? (int)v : 1;
			break;
		case 'd':
			b.dir = optarg;
			break;
		case 'k':
			b.keep = 1;
			break;
		case 'W':
			b.write_only = 1;
			break;
		case 'C':
			b.columns = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	snprintf(b.trace, sizeof(b.trace), "%s/store-bench-%d.kscope", b.dir,
		 (int)getpid());
	snprintf(b.plain, sizeof(b.plain), "%s/store-bench-%d.plain.db",
		 b.dir, (int)getpid());

	/* all events in memory first, so that only the writer is timed */
	struct ev_syscall *evs = malloc(b.n * sizeof(*evs));
	struct synth_opts so = SYNTH_OPTS_INIT;
	so.seed = b.seed;
	so.syscalls = b.n;
	so.kinds = 1u << EV_SYSCALL;
	struct synth *syn = evs ? synth_new(&so) : NULL;
	if (!syn) {
		fprintf(stderr, "store-bench: cannot hold %" PRIu64 " events "
			"(%zu MB) in memory: try a smaller -n\n", b.n,
			(size_t)(b.n * sizeof(*evs) >> 20));
		return 1;
	}
	fprintf(stderr, "store-bench: generating %" PRIu64 " events\n", b.n);
	enum ev_kind kind;
	const void *ev;
	uint64_t n = 0;
	while (n < b.n && synth_next(syn, &kind, &ev) > 0)
		evs[n++] = *(const struct ev_syscall *)ev;
	if (b.columns)
		return columns_report(&b, evs, n) < 0;
	uint64_t evs_span = evs[n - 1].ts - evs[0].ts;
	b.range_from = evs[b.n / 2].ts;
	b.range_to = evs[b.n / 2 + b.n / 100].ts;

	fprintf(stderr, "store-bench: writing the trace\n");
	struct wtime wt, wl;
	double plain_rate = 0;
	uint64_t wb0 = written_bytes();
	if (write_trace(b.trace, evs, n, syn, &wt) < 0)
		return 1;
	uint64_t wbytes = written_bytes() - wb0;
	double append_rate = n / wt.append;
	double write_rate = n / (wt.append + wt.close);
	uint64_t trace_bytes = file_size(b.trace);
	if (b.write_only) {
		printf("wrote %" PRIu64 " events: %.2f M/s through append, "
		       "%.2f M/s with close, %.2f M/s per CPU second "
		       "(%.3f s); %.2f bytes/event into %s; the process "
		       "wrote %.1f MB to storage (WAL, then checkpoints)\n", n,
		       append_rate / 1e6, write_rate / 1e6, n / wt.cpu / 1e6,
		       wt.cpu, (double)trace_bytes / n, b.trace,
		       wbytes / 1e6);
		if (!b.keep)
			unlink(b.trace);
		return 0;
	}
	fprintf(stderr, "store-bench: writing the plain table\n");
	if (write_plain(b.plain, evs, n, &plain_rate) < 0)
		return 1;
	uint64_t plain_bytes = file_size(b.plain);
	synth_free(syn);

	char loop[512];

	snprintf(loop, sizeof(loop), "%s/store-bench-%d.loop.kscope", b.dir,
		 (int)getpid());
	loop_fill(evs, n);
	if (write_trace(loop, evs, n, NULL, &wl) < 0)
		return 1;
	uint64_t loop_bytes = file_size(loop);
	free(evs);
	if (!b.keep)
		unlink(loop);

	struct store *st = store_open(b.trace, err);
	sqlite3 *plain = NULL;
	if (!st)
		return die(b.trace, err), 1;
	if (sqlite3_open_v2(b.plain, &plain, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		return die(b.plain, sqlite3_errmsg(plain)), 1;

	/* the trace derives name from nr; the plain table groups by nr */
	static const char group_sql[] =
		"SELECT name, count(*), avg(dur) FROM syscalls GROUP BY name";
	static const char group_plain_sql[] =
		"SELECT nr, count(*), avg(dur) FROM syscalls GROUP BY nr";
	char range_sql[256];
	static const char full_sql[] =
		"SELECT count(*), sum(dur) FROM syscalls";
	snprintf(range_sql, sizeof(range_sql),
		 "SELECT count(*), sum(dur) FROM syscalls WHERE ts BETWEEN "
		 "%" PRIu64 " AND %" PRIu64, b.range_from, b.range_to);

	double t_group_k, t_group_p, t_range_k, t_full_k, t_range_p;
	int64_t rows_k, rows_p, first, range_count, full_count, range_count_p;
	int64_t groups_k, groups_p;
	fprintf(stderr, "store-bench: querying\n");
	if (time_query(store_db(st), group_sql, b.reps, &t_group_k, &groups_k,
		       &first) < 0 ||
	    time_query(plain, group_plain_sql, b.reps, &t_group_p, &groups_p,
		       &first) < 0 ||
	    time_query(store_db(st), range_sql, b.reps, &t_range_k, &rows_k,
		       &range_count) < 0 ||
	    time_query(store_db(st), full_sql, b.reps, &t_full_k, &rows_k,
		       &full_count) < 0 ||
	    time_query(plain, range_sql, b.reps, &t_range_p, &rows_p,
		       &range_count_p) < 0)
		return 1;
	const struct store_counters *ctr = store_counters(st);

	/* sanity: both files answer alike */
	if ((uint64_t)full_count != b.n || range_count != range_count_p ||
	    groups_k != groups_p) {
		fprintf(stderr, "store-bench: answers differ: full %" PRId64
			" of %" PRIu64 ", range %" PRId64 " vs plain %" PRId64
			", %" PRId64 " names vs %" PRId64 " numbers\n",
			full_count, b.n, range_count, range_count_p, groups_k,
			groups_p);
		return 1;
	}

	struct utsname u;
	uname(&u);
	char when[64];
	time_t t = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&t));
	printf("kscope store-bench: %" PRIu64 " synthetic syscall events "
	       "(seed %" PRIu64 "), %s, %s %s, %ld cpus, sqlite %s\n",
	       b.n, b.seed, when, u.nodename, u.machine,
	       sysconf(_SC_NPROCESSORS_ONLN), sqlite3_libversion());
	printf("baseline: the same rows in a plain SQLite table of the "
	       "columns the trace stores (no index), in the same run; both "
	       "written from opening to closed\n\n");
	printf("%-34s %14s %14s %10s  %-22s %s\n", "metric", "kscope",
	       "baseline", "ratio", "target", "");

	char k[32], p[32];
	double bpe_k = (double)trace_bytes / b.n;
	double bpe_p = (double)plain_bytes / b.n;
	snprintf(k, sizeof(k), "%.2f B", bpe_k);
	snprintf(p, sizeof(p), "%.2f B", bpe_p);
	row("bytes per syscall event", k, p, bpe_p / bpe_k, "< 12 B",
	    bpe_k < 12);
	row("size vs plain table", k, p, bpe_p / bpe_k, ">= 6x smaller",
	    bpe_p / bpe_k >= 6);
	snprintf(k, sizeof(k), "%.2f B", (double)loop_bytes / b.n);
	row("  same, syscall loop", k, "-", 0, "< 12 B",
	    loop_bytes < 12 * b.n);
	snprintf(k, sizeof(k), "%.2f M/s", write_rate / 1e6);
	snprintf(p, sizeof(p), "%.2f M/s", plain_rate / 1e6);
	row("write rate, one core (with close)", k, p, write_rate / plain_rate,
	    "> 2 M/s", write_rate > 2e6);
	snprintf(k, sizeof(k), "%.2f M/s", append_rate / 1e6);
	row("  without the close", k, p, append_rate / plain_rate,
	    "> 2 M/s", append_rate > 2e6);
	snprintf(k, sizeof(k), "%.3f s", t_group_k);
	snprintf(p, sizeof(p), "%.3f s", t_group_p);
	row("GROUP BY name|nr: count, avg(dur)", k, p, t_group_p / t_group_k,
	    ">= 1x (not slower)", t_group_k <= t_group_p);
	snprintf(k, sizeof(k), "%.4f s", t_range_k);
	snprintf(p, sizeof(p), "%.4f s", t_full_k);
	row("ts range 1% vs full scan", k, p, t_full_k / t_range_k,
	    ">= 20x", t_full_k / t_range_k >= 20);

	printf("\nfor reference (no target):\n");
	printf("  ts range 1%% on the plain table (no index): %.4f s; "
	       "full scan on kscope: %.4f s\n", t_range_p, t_full_k);
	printf("  trace write: %.3f s opening and appending (with %" PRIu64
	       " flushes), "
	       "%.3f s closing, %.3f s of CPU: %.2f M/s per CPU second\n",
	       wt.append, (evs_span + 999999999) / 1000000000, wt.close,
	       wt.cpu, n / wt.cpu / 1e6);
	printf("  syscall loop trace write: %.2f M/s (%.2f M/s per CPU "
	       "second)\n", n / (wl.append + wl.close) / 1e6,
	       n / wl.cpu / 1e6);
	double load[3];
	if (getloadavg(load, 3) == 3)
		printf("  load average at the end: %.2f %.2f %.2f (others "
		       "running inflate the wall times)\n", load[0], load[1],
		       load[2]);
	printf("  range rows %" PRId64 " of %" PRIu64 "; files: %" PRIu64
	       " and %" PRIu64 " bytes\n", range_count, b.n, trace_bytes,
	       plain_bytes);
	printf("  store counters over all kscope queries: %" PRIu64
	       " chunks decoded, %" PRIu64 " skipped, %" PRIu64
	       " columns decoded\n", ctr->chunks_decoded, ctr->chunks_skipped,
	       ctr->columns_decoded);
	fflush(stdout);
	printf("  command: store-bench -n %" PRIu64 " --seed %" PRIu64
	       " -r %d\n", b.n, b.seed, b.reps);

	store_close(st);
	sqlite3_close(plain);
	if (!b.keep) {
		unlink(b.trace);
		unlink(b.plain);
	} else {
		printf("  kept %s and %s\n", b.trace, b.plain);
	}
	return 0;
}
