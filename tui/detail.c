/*
 * detail.c - the detail pane's text (see detail.h).  An event is read
 * again by its key (ts, ord) with the frame's own filter, so the fields
 * are the stored ones, not parsed back from its line.
 */
#include "config.h"
#include "tui/detail.h"
#include "tui/evlist_int.h"
#include "analyze/replay/replay.h"
#include "analyze/sql/sqlfn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "name        value" */
static void field(struct evbuf *b, const char *name, const char *value)
{
	char pad[20];

	snprintf(pad, sizeof(pad), "%-14s ", name);
	evbuf_adds(b, pad);
	evbuf_adds(b, value);
	evbuf_addc(b, '\n');
}

static void field_int(struct evbuf *b, const char *name, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%lld", (long long)v);
	field(b, name, num);
}

/* Every shown field of EV (of KIND), as SQL names and shows them. */
static void event_fields(struct model *m, enum ev_kind kind, const void *ev,
			 struct evbuf *b)
{
	const struct ev_desc *d = ev_desc(kind);
	char rel[32];

	field(b, "event", d->title);
	model_fmt_reltime(m, ev_ts(ev), rel, sizeof(rel));
	evbuf_adds(b, "ts             ");
	evbuf_addu(b, ev_ts(ev));
	evbuf_adds(b, " (");
	evbuf_adds(b, rel);
	evbuf_adds(b, " s)\n");
	for (unsigned i = 1; i < d->nfields; i++) {
		const struct ev_field *fl = &d->fields[i];
		int64_t v = fl->type == EVT_STR ? 0 : ev_get_int(fl, ev);
		const char *s = NULL;
		if (fl->flags & EVF_HIDDEN)
			continue;
		if (fl->type == EVT_STR)
			s = ev_get_str(fl, ev);
		else if (fl->type == EVT_ENUM)
			s = ev_enum_name(fl, v);
		else if (fl->type == EVT_SYSNAME)
			s = store_syscall_name(m->st, (int)v);
		if (s)
			field(b, fl->name, s);
		else if (fl->type == EVT_STR || (fl->type == EVT_ENUM && !v))
			field(b, fl->name, "-");
		else
			field_int(b, fl->name, v);
	}
	if (kind == EV_SYSCALL) {
		const char *e = sqlfn_errno_name(((const struct ev_syscall *)ev)->ret);
		field(b, "errno", e ? e : "-");
	}
}

/* Row I of EL read again and described into B.  0, -ENOENT when it is no
 * longer there, -errno. */
static int event_detail(struct model *m, struct evlist *el, size_t i,
			struct evbuf *b)
{
	const struct evrow *r = &el->rows[i];
	struct evstream s;
	uint64_t ts;
	uint32_t ord;
	int kind, rc;

	if ((rc = evstream_open(&s, el, r->ts, r->ts)) < 0)
		return rc;
	while ((rc = evstream_peek(&s, &kind, &ts, &ord, 0)) > 0) {
		if (ord == r->ord && kind == r->kind) {
			union ev_any ev;
			memset(&ev, 0, sizeof(ev));
			replay_row_load(ev_desc(kind), s.st[kind], &ev);
			evbuf_adds(b, r->text);
			evbuf_adds(b, "\n\n");
			event_fields(m, kind, &ev, b);
			break;
		}
		if ((rc = evstream_take(&s, kind, ts, ord)) < 0)
			break;
	}
	evstream_close(&s);
	return rc < 0 ? rc : rc ? 0 : -ENOENT;
}

/* Each column of sorted row I: title and whole value; a grid's hidden
 * columns too. */
static void row_detail(struct model *m, size_t i, struct evbuf *b)
{
	struct frame *f = model_frame(m);
	const struct view *v = views[f->view];
	int ncols = v->cols ? v->ncols : f->grid ? f->grid->ncols : 0;

	for (int c = 0; c < ncols; c++) {
		const char *title = v->cols ? v->cols[c].title :
				    f->grid->names[c];
		field(b, title, model_cell_text(m, i, c));
	}
}

int model_detail_open(struct model *m)
{
	struct frame *f = model_frame(m);
	struct evbuf b = EVBUF_INIT;
	size_t n = model_rows(m);
	int rc = 0;

	if (f->view == VIEW_EVENTS) {
		if (!f->ev || f->ev->sel >= f->ev->n)
			rc = -ENOENT;
		else
			rc = event_detail(m, f->ev, f->ev->sel, &b);
	} else if (f->sel < n) {
		row_detail(m, f->sel, &b);
	} else {
		rc = -ENOENT;
	}
	if (rc == 0 && b.oom)
		rc = -ENOMEM;
	if (rc < 0) {
		model_status(m, 1, "detail: %s", rc == -ENOENT ? "no row" :
			     f->ev && f->ev->err[0] ? f->ev->err :
			     strerror(-rc));
		evbuf_free(&b);
		return rc;
	}
	free(m->detail);
	m->detail = b.p ? strdup(b.p) : NULL;
	evbuf_free(&b);
	return m->detail ? 0 : -ENOMEM;
}

void model_detail_close(struct model *m)
{
	free(m->detail);
	m->detail = NULL;
}
