/*
 * sqlrun.c - a user statement in a worker thread (see sqlrun.h).
 *
 * The worker owns its store and statement; the struct's shared part (the
 * batch of rows, the state, the message) is guarded by mu, and cv wakes a
 * caller waiting in sqlrun_take.  stop is atomic: the progress handler
 * reads it without the lock.
 */
#include "config.h"
#include "tui/sqlrun.h"
#include "analyze/analyze.h"
#include "tui/agg.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sqlrun {
	pthread_t thread;
	char *path, *sql; /* the worker's copies */
	atomic_int stop;
	int ncols;        /* set by the worker before its first rows */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* under mu */
	struct grid_row *batch;
	size_t n, cap;
	enum sqlrun_state state;
	char msg[256];
};

static int on_progress(void *arg)
{
	struct sqlrun *r = arg;
	return atomic_load(&r->stop);
}

/* Move the worker's rows ROWS[0..*N) to the shared batch (and, when the
 * statement is over, set STATE); wake the caller. */
static int hand_over(struct sqlrun *r, struct grid_row *rows, size_t *n,
		     enum sqlrun_state state, const char *msg)
{
	int rc = 0;

	pthread_mutex_lock(&r->mu);
	if (r->n + *n > r->cap) {
		size_t cap = r->cap ? r->cap : 256;
		while (cap < r->n + *n)
			cap *= 2;
		void *p = realloc(r->batch, cap * sizeof(*r->batch));
		if (p) {
			r->batch = p;
			r->cap = cap;
		}
	}
	if (*n && r->n + *n <= r->cap) {
		memcpy(r->batch + r->n, rows, *n * sizeof(*rows));
		r->n += *n;
		*n = 0;
	} else if (*n) {
		rc = -ENOMEM;
	}
	if (state != SQLRUN_RUNNING || rc < 0) {
		r->state = rc < 0 ? SQLRUN_FAILED : state;
		snprintf(r->msg, sizeof(r->msg), "%s",
			 rc < 0 ? "out of memory" : msg ? msg : "");
	}
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return rc;
}

static void rows_free(struct grid_row *rows, size_t n, int ncols)
{
	for (size_t i = 0; i < n; i++)
		grid_row_free(&rows[i], ncols);
}

static void *worker(void *arg)
{
	struct sqlrun *r = arg;
	char err[STORE_ERRLEN];
	struct store *st = analyze_trace_open(r->path, err);
	sqlite3_stmt *s = NULL;
	struct grid_row *rows = NULL;
	size_t n = 0, cap = 1024, total = 0;
	enum sqlrun_state state = SQLRUN_DONE;
	uint64_t last = agg_now_ns();
	int ncols = 0, rc;

	if (!st) {
		hand_over(r, NULL, &n, SQLRUN_FAILED, err);
		return NULL;
	}
	store_progress_set(st, on_progress, r);
	if (sqlite3_prepare_v2(store_db(st), r->sql, -1, &s, NULL) != SQLITE_OK ||
	    !s || !sqlite3_stmt_readonly(s)) {
		snprintf(err, sizeof(err), "%s", !s ? "empty statement" :
			 !sqlite3_stmt_readonly(s) ? "only read-only statements run here" :
			 sqlite3_errmsg(store_db(st)));
		state = SQLRUN_FAILED;
		goto out;
	}
	ncols = r->ncols = sqlite3_column_count(s);
	if (!(rows = malloc(cap * sizeof(*rows)))) {
		snprintf(err, sizeof(err), "out of memory");
		state = SQLRUN_FAILED;
		goto out;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (total == GRID_MAX_ROWS) {
			state = SQLRUN_TRUNCATED;
			break;
		}
		if (grid_row_read(s, ncols, &rows[n]) < 0) {
			snprintf(err, sizeof(err), "out of memory");
			state = SQLRUN_FAILED;
			break;
		}
		n++;
		total++;
		uint64_t now = agg_now_ns();
		if (n == cap || now - last >= 20 * 1000000ull) {
			if (hand_over(r, rows, &n, SQLRUN_RUNNING, NULL) < 0)
				goto out;
			last = now;
		}
	}
	if (state == SQLRUN_DONE && rc != SQLITE_DONE) {
		state = atomic_load(&r->stop) ? SQLRUN_CANCELLED : SQLRUN_FAILED;
		snprintf(err, sizeof(err), "%s", sqlite3_errmsg(store_db(st)));
	}
out:
	sqlite3_finalize(s);
	store_close(st);
	if (hand_over(r, rows, &n, state, err) < 0)
		rows_free(rows, n, ncols);
	free(rows);
	return NULL;
}

struct sqlrun *sqlrun_start(const char *path, const char *sql, char *err,
			    size_t errlen)
{
	struct sqlrun *r = calloc(1, sizeof(*r));
	int rc;

	if (!r || !(r->path = strdup(path)) || !(r->sql = strdup(sql))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	atomic_init(&r->stop, 0);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->state = SQLRUN_RUNNING;
	if ((rc = pthread_create(&r->thread, NULL, worker, r)) != 0) {
		snprintf(err, errlen, "cannot start a thread: %s", strerror(rc));
		pthread_cond_destroy(&r->cv);
		pthread_mutex_destroy(&r->mu);
		goto fail;
	}
	return r;
fail:
	if (r) {
		free(r->path);
		free(r->sql);
	}
	free(r);
	return NULL;
}

long sqlrun_take(struct sqlrun *r, struct grid_row **rows, uint64_t wait_ns)
{
	long n;

	pthread_mutex_lock(&r->mu);
	if (!r->n && r->state == SQLRUN_RUNNING && wait_ns) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		uint64_t ns = (uint64_t)ts.tv_nsec + wait_ns;
		ts.tv_sec += (time_t)(ns / 1000000000ull);
		ts.tv_nsec = (long)(ns % 1000000000ull);
		pthread_cond_timedwait(&r->cv, &r->mu, &ts);
	}
	*rows = r->batch;
	n = (long)r->n;
	r->batch = NULL;
	r->n = r->cap = 0;
	pthread_mutex_unlock(&r->mu);
	return n;
}

enum sqlrun_state sqlrun_state(struct sqlrun *r, char *msg, size_t len)
{
	enum sqlrun_state s;

	pthread_mutex_lock(&r->mu);
	s = r->state;
	if (msg && len)
		snprintf(msg, len, "%s", r->msg);
	pthread_mutex_unlock(&r->mu);
	return s;
}

void sqlrun_cancel(struct sqlrun *r)
{
	if (r)
		atomic_store(&r->stop, 1);
}

void sqlrun_free(struct sqlrun *r)
{
	struct grid_row *rows;
	long n;

	if (!r)
		return;
	sqlrun_cancel(r);
	pthread_join(r->thread, NULL);
	n = sqlrun_take(r, &rows, 0);
	rows_free(rows, (size_t)n, r->ncols);
	free(rows);
	pthread_cond_destroy(&r->cv);
	pthread_mutex_destroy(&r->mu);
	free(r->path);
	free(r->sql);
	free(r);
}
