/*
 * capture.c - the capture filters of a trace's recording, from its meta
 * keys (capture.h).  A key that is missing is a filter that was not used;
 * a trace without any (every trace before format 1.2) kept every call.
 */
#include "config.h"
#include "analyze/capture.h"
#include "analyze/info/info.h"
#include "analyze/output/output.h"
#include "analyze/output/textesc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int capture_on(const struct capture *c)
{
	return c->syscalls || c->slower ||
	       (c->errors && strcmp(c->errors, "all")) || c->comm;
}

int capture_read(struct store *st, struct capture *c)
{
	c->syscalls = store_meta(st, "capture_syscalls");
	c->slower = store_meta(st, "capture_slower_than_ns");
	c->errors = store_meta(st, "capture_errors");
	c->comm = store_meta(st, "capture_comm");
	return capture_on(c);
}

static const char *errors_text(const char *e)
{
	if (!strcmp(e, "only"))
		return "failed calls only";
	if (!strcmp(e, "none"))
		return "failed calls kept only when slow";
	return "failed calls kept";
}

int capture_describe(const struct capture *c, char *buf, size_t len)
{
	size_t n = 0;

	if (len)
		buf[0] = 0;
	if (!len || !capture_on(c))
		return 0;
#define ADD(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, \
					 __VA_ARGS__))
	if (c->syscalls)
		ADD("syscalls %s; ", TEXTESC_Q(c->syscalls));
	if (c->slower) {
		char d[32];

		info_duration_format(d, sizeof(d), strtoull(c->slower, NULL, 10));
		ADD("slower than %s; ", d);
	}
	if (c->errors)
		ADD("%s; ", errors_text(c->errors));
	if (c->comm) {
		ADD("comm");
		for (const char *p = c->comm; *p;) {
			size_t k = strcspn(p, "\n");

			ADD(" '%s'", TEXTESC_QN(p, k));
			p += k + (p[k] == '\n');
		}
		ADD("; ");
	}
	ADD("counts are of these calls only");
#undef ADD
	if (n >= len)
		buf[len - 1] = 0;
	return 1;
}

static void json_text(FILE *fp, const char *s)
{
	if (s)
		output_json_string(fp, s, strlen(s));
	else
		fputs("null", fp);
}

void capture_json(const struct capture *c, FILE *fp)
{
	if (!capture_on(c)) {
		fputs("null", fp);
		return;
	}
	fputs("{\"syscalls\": ", fp);
	json_text(fp, c->syscalls);
	if (c->slower)
		fprintf(fp, ", \"slower_than_ns\": %" PRIu64,
			(uint64_t)strtoull(c->slower, NULL, 10));
	else
		fputs(", \"slower_than_ns\": null", fp);
	fputs(", \"errors\": ", fp);
	json_text(fp, c->errors);
	fputs(", \"comm\": ", fp);
	if (c->comm) {
		putc('[', fp);
		for (const char *p = c->comm; *p;) {
			size_t k = strcspn(p, "\n");

			fputs(p == c->comm ? "" : ", ", fp);
			output_json_string(fp, p, k);
			p += k + (p[k] == '\n');
		}
		putc(']', fp);
	} else {
		fputs("null", fp);
	}
	putc('}', fp);
}
