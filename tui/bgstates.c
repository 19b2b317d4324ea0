/*
 * bgstates.c - thread states in a worker thread (see bgstates.h).
 */
#include "config.h"
#include "tui/bgstates.h"
#include "analyze/analyze.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bgstates {
	pthread_t thread;
	int threaded;
	char *path;
	uint64_t from, to, sys_from;
	int bare;
	atomic_int stop;
	struct store *st;	/* the worker's connection */
	struct tstate *t;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	/* under mu */
	int done, failed;
	char msg[STORE_ERRLEN];
};

static int on_progress(void *arg)
{
	struct bgstates *b = arg;

	return atomic_load(&b->stop);
}

/* Compute the states on ST; the outcome under the mutex. */
static void compute(struct bgstates *b, struct store *st)
{
	char err[STORE_ERRLEN] = "";
	struct tstate *t = tstate_new(st, b->from, b->to, err);

	if (t) {
		int rc;

		t->bare = b->bare;
		t->sys_from = b->sys_from;
		/* in steps, so that a stop is seen between them too */
		rc = tstate_start(t);
		while (rc >= 0 && (rc = tstate_step(t, 50000000ull)) > 0 &&
		       !atomic_load(&b->stop))
			;
		if (rc != 0) {
			snprintf(err, sizeof(err), "%s", rc > 0 ? "stopped" :
				 tstate_errmsg(t));
			tstate_free(t);
			t = NULL;
		}
	}
	pthread_mutex_lock(&b->mu);
	b->t = t;
	b->failed = !t;
	snprintf(b->msg, sizeof(b->msg), "%s", err);
	b->done = 1;
	pthread_cond_broadcast(&b->cv);
	pthread_mutex_unlock(&b->mu);
}

static void *worker(void *arg)
{
	struct bgstates *b = arg;
	char err[STORE_ERRLEN];

	if (!(b->st = analyze_trace_open(b->path, err))) {
		pthread_mutex_lock(&b->mu);
		b->failed = b->done = 1;
		snprintf(b->msg, sizeof(b->msg), "%s", err);
		pthread_cond_broadcast(&b->cv);
		pthread_mutex_unlock(&b->mu);
		return NULL;
	}
	store_progress_set(b->st, on_progress, b);
	compute(b, b->st);
	return NULL;
}

struct bgstates *bgstates_start(struct store *st, uint64_t from, uint64_t to,
				int bare, uint64_t sys_from, char *err,
				size_t errlen)
{
	struct bgstates *b = calloc(1, sizeof(*b));
	const char *path = store_path(st);

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b->from = from;
	b->to = to;
	b->bare = bare;
	b->sys_from = sys_from;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	if (!path || !*path) {	/* no file for a second connection */
		compute(b, st);
		return b;
	}
	if (!(b->path = strdup(path)) ||
	    pthread_create(&b->thread, NULL, worker, b) != 0) {
		snprintf(err, errlen, "cannot start a thread");
		bgstates_free(b);
		return NULL;
	}
	b->threaded = 1;
	return b;
}

const struct tstate *bgstates_get(struct bgstates *b, uint64_t wait_ns,
				  int *failed, char *msg, size_t len)
{
	const struct tstate *t;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)(wait_ns % 1000000000u);
	until.tv_sec += (time_t)(wait_ns / 1000000000u) +
			until.tv_nsec / 1000000000;
	until.tv_nsec %= 1000000000;
	pthread_mutex_lock(&b->mu);
	while (!b->done && wait_ns &&
	       pthread_cond_timedwait(&b->cv, &b->mu, &until) == 0)
		;
	t = b->t;
	*failed = b->failed;
	if (b->failed)
		snprintf(msg, len, "%s", b->msg);
	pthread_mutex_unlock(&b->mu);
	return t;
}

void bgstates_cancel(struct bgstates *b)
{
	atomic_store(&b->stop, 1);
}

void bgstates_free(struct bgstates *b)
{
	if (!b)
		return;
	if (b->threaded) {
		atomic_store(&b->stop, 1);
		pthread_join(b->thread, NULL);
	}
	tstate_free(b->t);
	store_close(b->st);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	free(b->path);
	free(b);
}
