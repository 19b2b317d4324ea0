/*
 * trigger.c - --trigger FILTER: watch the events the recorder stores for
 * one that matches (the replay filter language, evaluated on the event
 * struct by filter_event), and remember the first.
 *
 *     struct rec_trigger t;
 *     rec_trigger_init(&t, "dur > 500ms and name = fsync", arch, err, len);
 *     wo.tap = rec_trigger_tap; wo.tap_arg = &t;   // store_writer_opts
 *     ... if (t.fired) { act on t.ts, t.what; rec_trigger_rearm(&t, end); }
 *     rec_trigger_free(&t);
 *
 * The cost: nothing without --trigger (the writer's tap is NULL); with
 * one, events of kinds the filter cannot match are skipped by one mask
 * test, the others are evaluated field by field (bench/record-trigger.sh).
 * Once fired, nothing is evaluated until rec_trigger_rearm, whose QUIET
 * ts makes matches at or before it (already in the last snapshot) not
 * count.
 */
#include "config.h"
#include "record/record.h"
#include "analyze/replay/filter.h"
#include "store/systab.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int rec_trigger_init(struct rec_trigger *t, const char *text,
		     const char *arch, char *err, size_t errlen)
{
	char ferr[FILTER_ERRLEN];

	memset(t, 0, sizeof(*t));
	if (!(t->f = filter_parse(text, ferr, sizeof(ferr)))) {
		ferr[strcspn(ferr, "\n")] = 0; /* the summary line */
		snprintf(err, errlen, "--trigger: %s", ferr);
		return -EINVAL;
	}
	t->kinds = filter_kinds(t->f);
	if (!t->kinds) {
		snprintf(err, errlen, "--trigger: '%s' matches no event",
			 filter_text(t->f));
		filter_free(t->f);
		t->f = NULL;
		return -EINVAL;
	}
	t->arch = arch;
	return 0;
}

void rec_trigger_tap(void *arg, enum ev_kind kind, const void *ev)
{
	struct rec_trigger *t = arg;
	uint64_t ts;

	if (t->fired || !(t->kinds & (1u << kind)))
		return;
	ts = ev_ts(ev);
	if (ts <= t->quiet || !filter_event(t->f, kind, ev, t->arch))
		return;
	t->fired = 1;
	t->ts = ts;
	if (kind == EV_SYSCALL) {
		const char *name = systab_name(t->arch, ((const struct ev_syscall *)
							 ev)->nr);

		snprintf(t->what, sizeof(t->what), "syscall %s of thread %u",
			 name ? name : "?", ((const struct ev_syscall *)ev)->tid);
	} else {
		snprintf(t->what, sizeof(t->what), "%s event",
			 ev_desc(kind)->title);
	}
}

void rec_trigger_rearm(struct rec_trigger *t, uint64_t quiet)
{
	t->fired = 0;
	t->quiet = quiet;
}

const char *rec_trigger_text(const struct rec_trigger *t)
{
	return filter_text(t->f);
}

void rec_trigger_free(struct rec_trigger *t)
{
	filter_free(t->f);
	t->f = NULL;
}
