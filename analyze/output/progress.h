/*
 * progress.h - a one-line progress display on stderr for long work
 * (replay to a file, export), shown only when a person is watching.
 *
 *     struct progress *p = progress_new("replay", ts_first, ts_last,
 *                                       STDOUT_FILENO);
 *     ... progress_update(p, ts, events);   // cheap; redraws at most 4/s
 *     progress_done(p);                     // erases the line
 *     progress_free(p);
 *
 * progress_new returns NULL (and every call accepts NULL) unless stderr
 * is a terminal and the output goes to a file: OUT_FD a regular file, or
 * -1 for "writes files of its own".  Output on a terminal or into a pipe
 * gets no progress line.
 */
#ifndef KSCOPE_PROGRESS_H
#define KSCOPE_PROGRESS_H

#include <stdint.h>

struct progress;

/* Progress of WHAT over the ts range [LO, HI]. */
struct progress *progress_new(const char *what, uint64_t lo, uint64_t hi,
			      int out_fd);
/* Reached ts POS after COUNT events. */
void progress_update(struct progress *p, uint64_t pos, uint64_t count);
void progress_done(struct progress *p);
void progress_free(struct progress *p);

#endif
