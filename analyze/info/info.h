/*
 * info.h - what a trace holds, in one summary: `kscope info`.
 *
 *     struct info *in = info_gather(st, err, sizeof(err));  // NULL on error
 *     info_text_print(in, stdout);   or   info_json_print(in, stdout);
 *     info_free(in);
 *
 * The summary comes from meta (docs/FORMAT.md keys), the chunk index
 * (store_kind_stats: no chunk is decompressed), the lost table and the
 * file's size.  Missing meta keys are reported as unknown, never guessed,
 * except the time span: without start_ts/end_ts it is the span of the
 * events themselves.
 */
#ifndef KSCOPE_INFO_H
#define KSCOPE_INFO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/store.h"
#include "analyze/capture.h"
#include "analyze/shed.h"

struct info_lost {
	char *class;
	uint64_t count;
};

struct info_meta {
	char *key;
	char *value; /* may be NULL */
};

struct info {
	char *path;
	uint64_t file_size;   /* the file plus a -wal beside it */
	int has_wal;          /* a -wal file: the recorder did not finish */
	long recorder_pid;    /* >= 0: being recorded (store_recorder_pid) */

	const char *format_version, *host, *kernel, *arch, *options;
	const char *recorder, *classes; /* "kscope 0.1.0", "syscall,sched" */
	int64_t cpus;         /* -1 unknown */

	int has_offset;
	int64_t clock_offset_ns;

	/* The recording span: meta start_ts / end_ts, or where one is
	 * missing (an unfinished recording has no end_ts) the first / last
	 * event.  has_span is 0 when neither source has it. */
	int has_span, start_from_meta, end_from_meta;
	uint64_t start_ts, end_ts;

	struct store_kind_stats kinds[EV_KIND_COUNT];
	uint64_t events, chunks, raw_bytes, stored_bytes;

	uint64_t lost_total;
	uint64_t lost_seconds; /* distinct seconds of the lost table */
	struct info_lost *lost; /* per class, sorted by class */
	size_t nlost;

	int has_cpu, has_rss, has_ring_dropped, has_ring_bytes, has_malformed;
	uint64_t recorder_cpu_ns, recorder_max_rss_kb, ring_dropped_chunks;
	uint64_t ring_buffer_bytes, malformed_records;

	struct capture capture; /* the recording's capture filters */
	struct shed_summary shed; /* what a --budget shed (shed.h) */

	struct info_meta *meta; /* every meta row, sorted by key */
	size_t nmeta;
};

/* Gather the summary of the open trace ST.  The strings stay valid until
 * info_free (and store_close).  NULL with ERR filled on failure. */
struct info *info_gather(struct store *st, char *err, size_t errlen);
void info_free(struct info *in);

/* Print IN to FP as aligned "label  value" lines / one JSON object.
 * 0, or a negative errno when writing failed (-EPIPE: reader gone). */
int info_text_print(const struct info *in, FILE *fp);
int info_json_print(const struct info *in, FILE *fp);

/* Wall-clock time of boot-clock TS as "2026-11-25 10:17:18.123456 UTC"
 * (iso = 0) or "2026-11-25T10:17:18.123456789Z" (iso = 1). */
void info_wall_format(char *buf, size_t size, int64_t offset_ns, uint64_t ts,
		      int iso);
/* A duration as "850 ns", "12.345 ms", "3.210 s", "4m 05.1s", "2h 03m 04s". */
void info_duration_format(char *buf, size_t size, uint64_t ns);

#endif
