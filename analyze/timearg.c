/*
 * timearg.c - parse --from / --to arguments (see timearg.h for the forms).
 */
#include "config.h"
#include "analyze/output/textesc.h"
#include "analyze/timearg.h"
#include "analyze/sql/sqlfn.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int meta_u64(struct store *st, const char *key, uint64_t *v)
{
	const char *s = store_meta(st, key);
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int timearg_span(struct store *st, uint64_t *first, uint64_t *last)
{
	int have_first = meta_u64(st, "start_ts", first) == 0;
	int have_last = meta_u64(st, "end_ts", last) == 0;
	struct store_kind_stats ks;

	if (have_first && have_last)
		return 0;
	uint64_t lo = UINT64_MAX, hi = 0;
	for (unsigned k = 0; k < EV_KIND_COUNT; k++) {
		if (store_kind_stats(st, k, &ks) < 0)
			return -EIO;
		if (!ks.events)
			continue;
		if (ks.ts_min < lo)
			lo = ks.ts_min;
		if (ks.ts_max > hi)
			hi = ks.ts_max;
	}
	if (!have_first)
		*first = lo == UINT64_MAX ? 0 : lo;
	if (!have_last)
		*last = hi;
	return 0;
}

/* "2.5s", "1500ms", "3": a duration in ns; -1 if not one. */
static int parse_duration(const char *s, uint64_t *ns)
{
	static const struct { const char *unit; double mul; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "m", 60e9 }, { "h", 3600e9 }, { "", 1e9 },
	};
	char *end;
	double v;

	if (!isdigit((unsigned char)*s) && *s != '.')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || v < 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].unit) == 0) {
			double x = v * units[i].mul;
			if (x > 1.8e19)
				return -1;
			*ns = (uint64_t)(x + 0.5);
			return 0;
		}
	return -1;
}

/* Fractional seconds ".25" after a time of day, in ns. */
static int parse_frac(const char *s, uint64_t *ns)
{
	uint64_t v = 0, scale = 1000000000;

	*ns = 0;
	if (!*s || !strcmp(s, "Z"))
		return 0;
	if (*s++ != '.' || !isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		scale /= 10;
		v += (uint64_t)(*s - '0') * scale;
		if (!scale)
			break;
	}
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == 'Z')
		s++;
	*ns = v;
	return *s ? -1 : 0;
}

/* The trace's clock offset (meta clock_offset_ns): 0, or -1 if it has
 * none that reads as an int64. */
static int meta_offset(struct store *st, int64_t *off)
{
	const char *s = store_meta(st, "clock_offset_ns");
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*off = strtoll(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int timearg_parse(struct store *st, const char *arg, uint64_t *ts, char *err,
		  size_t errlen)
{
	uint64_t first, last, ns;
	int64_t off = 0, sec;
	int have_off = meta_offset(st, &off) == 0;
	struct tm tm;
	char *end;

	if (timearg_span(st, &first, &last) < 0)
		goto bad;
	if (arg[0] == '@') {
		errno = 0;
		*ts = strtoull(arg + 1, &end, 10);
		if (!errno && end != arg + 1 && !*end)
			return 0;
		goto bad;
	}
	if (parse_duration(arg + (arg[0] == '+'), &ns) == 0) {
		/* past the clock's end is "after everything" */
		if (__builtin_add_overflow(first, ns, ts))
			*ts = UINT64_MAX;
		return 0;
	}
	/* Wall time needs the trace's clock offset. */
	memset(&tm, 0, sizeof(tm));
	const char *rest = strptime(arg, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest)
		rest = strptime(arg, "%Y-%m-%d %H:%M:%S", &tm);
	if (!rest) {
		if (!have_off)
			goto bad;
		/* A time of day: on the day the trace starts. */
		int64_t day_ns;
		sqlfn_wall_split(first > INT64_MAX ? INT64_MAX : (int64_t)first,
				 off, &sec, &day_ns);
		time_t day = (time_t)sec;
		if (!gmtime_r(&day, &tm))
			goto bad;
		rest = strptime(arg, "%H:%M:%S", &tm);
	}
	if (!rest || !have_off || parse_frac(rest, &ns) < 0)
		goto bad;
	/* wall ns - offset, exactly: a date years away from the trace is
	 * before its clock's start (0) or after its end (UINT64_MAX), never
	 * a wrapped time inside it */
	__int128 boot = (__int128)timegm(&tm) * 1000000000 + (__int128)ns -
			off;
	*ts = boot < 0 ? 0 : boot > (__int128)UINT64_MAX ? UINT64_MAX :
	      (uint64_t)boot;
	return 0;
bad:
	snprintf(err, errlen, "bad time '%s': use %s", TEXTESC_Q(arg),
		 TIMEARG_FORMS);
	return -EINVAL;
}

int timearg_window(struct store *st, const char *from_arg, const char *to_arg,
		   uint64_t *from, uint64_t *to, char *err, size_t errlen)
{
	char why[256];

	if (from_arg && timearg_parse(st, from_arg, from, why,
				      sizeof(why)) < 0) {
		snprintf(err, errlen, "--from: %s", why);
		return -EINVAL;
	}
	if (to_arg && timearg_parse(st, to_arg, to, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "--to: %s", why);
		return -EINVAL;
	}
	if (from_arg && to_arg && *to < *from) {
		snprintf(err, errlen, "--to '%s' is before --from '%s'",
			 TEXTESC_Q(to_arg), TEXTESC_Q(from_arg));
		return -EINVAL;
	}
	return 0;
}
