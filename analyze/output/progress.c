/*
 * progress.c - "replay: 42% (1234567 events)" on stderr, redrawn in place
 * (see progress.h for when it shows).
 */
#include "config.h"
#include "analyze/output/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct progress {
	const char *what;
	uint64_t lo, hi;
	double next; /* monotonic seconds of the next redraw */
	int shown;
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct progress *progress_new(const char *what, uint64_t lo, uint64_t hi,
			      int out_fd)
{
	struct progress *p;
	struct stat sb;

	if (!isatty(STDERR_FILENO))
		return NULL;
	if (out_fd >= 0 && (fstat(out_fd, &sb) < 0 || !S_ISREG(sb.st_mode)))
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->what = what;
	p->lo = lo;
	p->hi = hi > lo ? hi : lo;
	p->next = 0; /* draw at the first update, then at most 4 times a second */
	return p;
}

void progress_update(struct progress *p, uint64_t pos, uint64_t count)
{
	double t, pct;

	if (!p || (t = now()) < p->next)
		return;
	p->next = t + 0.25;
	pct = p->hi > p->lo && pos > p->lo ?
		100.0 * (double)(pos - p->lo) / (double)(p->hi - p->lo) : 0;
	if (pct > 100)
		pct = 100;
	fprintf(stderr, "\r%s: %3.0f%% (%llu events)", p->what, pct,
		(unsigned long long)count);
	fflush(stderr);
	p->shown = 1;
}

void progress_done(struct progress *p)
{
	if (!p || !p->shown)
		return;
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	p->shown = 0;
}

void progress_free(struct progress *p)
{
	progress_done(p);
	free(p);
}
