/*
 * keys.c - key bindings as a table, the prompt line editor, and the
 * actions (see keys.h).  No drawing here: curses.h is included only for
 * the key codes.
 */
#include "config.h"
#include "tui/keys.h"
#include "tui/why.h"
#include "tui/tlview.h"
#include "tui/detail.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)
#define V(v) (1u << (v))
#define LISTS (V(VIEW_PROCS) | V(VIEW_SYSCALLS) | V(VIEW_EVENTS) | \
	       V(VIEW_CONNS) | V(VIEW_FILES) | V(VIEW_ERRORS) | \
	       V(VIEW_THREADS) | V(VIEW_SLOWEST) | V(VIEW_SQL) | \
	       V(VIEW_RUNQ) | V(VIEW_SIGNALS) | V(VIEW_INSTEAD))
#define TL V(VIEW_TIMELINE)
#define TIME (V(VIEW_OVERVIEW) | TL)
#define SORTABLE (V(VIEW_PROCS) | V(VIEW_SYSCALLS) | V(VIEW_CONNS) | \
		  V(VIEW_FILES) | V(VIEW_ERRORS) | V(VIEW_THREADS) | \
		  V(VIEW_RUNQ) | V(VIEW_SIGNALS) | V(VIEW_INSTEAD))

static size_t page(struct tui *t)
{
	return t->m->page ? t->m->page : 1;
}

static unsigned a_quit(struct tui *t) { return TUI_QUIT; }
static unsigned a_up(struct tui *t) { model_move(t->m, -1); return TUI_REDRAW; }
static unsigned a_down(struct tui *t) { model_move(t->m, 1); return TUI_REDRAW; }
static unsigned a_pgup(struct tui *t)
{
	model_move(t->m, -(long)page(t));
	return TUI_REDRAW;
}
static unsigned a_pgdn(struct tui *t)
{
	model_move(t->m, (long)page(t));
	return TUI_REDRAW;
}
static unsigned a_home(struct tui *t) { model_home(t->m); return TUI_REDRAW; }
static unsigned a_end(struct tui *t) { model_end(t->m); return TUI_REDRAW; }
static unsigned a_enter(struct tui *t) { model_enter(t->m); return TUI_REDRAW; }
static unsigned a_back(struct tui *t)
{
	if (t->m->search_pending) {
		t->m->search_pending = 0;
		t->m->search_resume.active = 0;
		model_status(t->m, 0, "search stopped");
		return TUI_REDRAW;
	}
	if (model_sql_cancel(t->m))
		return TUI_REDRAW;
	model_back(t->m);
	return TUI_REDRAW;
}

#define VIEW_ACTION(n, v) \
	static unsigned a_view##n(struct tui *t) \
	{ model_view_switch(t->m, v); return TUI_REDRAW; }
VIEW_ACTION(1, VIEW_OVERVIEW)
VIEW_ACTION(2, VIEW_PROCS)
VIEW_ACTION(3, VIEW_SYSCALLS)
VIEW_ACTION(4, VIEW_EVENTS)
VIEW_ACTION(5, VIEW_CONNS)
VIEW_ACTION(6, VIEW_FILES)
VIEW_ACTION(7, VIEW_ERRORS)
static unsigned a_view8(struct tui *t) { model_tl_show(t->m); return TUI_REDRAW; }
VIEW_ACTION(9, VIEW_RUNQ)
VIEW_ACTION(0, VIEW_SIGNALS)

static unsigned a_tab(struct tui *t) { model_view_next(t->m, 1); return TUI_REDRAW; }
static unsigned a_btab(struct tui *t) { model_view_next(t->m, -1); return TUI_REDRAW; }

static unsigned prompt_open(struct tui *t, enum tui_prompt p, const char *init)
{
	t->prompt = p;
	snprintf(t->line, sizeof(t->line), "%s", init ? init : "");
	t->len = t->pos = strlen(t->line);
	return TUI_REDRAW;
}

static unsigned a_filter(struct tui *t)
{
	return prompt_open(t, PROMPT_FILTER, t->m->filter_text);
}
static unsigned a_search(struct tui *t) { return prompt_open(t, PROMPT_SEARCH, ""); }
static unsigned a_goto(struct tui *t) { return prompt_open(t, PROMPT_GOTO, ""); }
static unsigned a_sql(struct tui *t) { return prompt_open(t, PROMPT_SQL, ""); }
static unsigned a_next(struct tui *t) { model_search_next(t->m, 1); return TUI_REDRAW; }
static unsigned a_prev(struct tui *t) { model_search_next(t->m, -1); return TUI_REDRAW; }
static unsigned a_sort(struct tui *t) { model_sort_next(t->m); return TUI_REDRAW; }
static unsigned a_invert(struct tui *t) { model_sort_invert(t->m); return TUI_REDRAW; }
static unsigned a_tree(struct tui *t) { model_tree_toggle(t->m); return TUI_REDRAW; }
static unsigned a_help(struct tui *t)
{
	t->help = 1;
	t->help_top = 0;
	return TUI_REDRAW;
}
static unsigned a_left(struct tui *t) { model_cursor_move(t->m, -1); return TUI_REDRAW; }
static unsigned a_right(struct tui *t) { model_cursor_move(t->m, 1); return TUI_REDRAW; }
static unsigned a_left10(struct tui *t) { model_cursor_move(t->m, -10); return TUI_REDRAW; }
static unsigned a_right10(struct tui *t) { model_cursor_move(t->m, 10); return TUI_REDRAW; }
/* Horizontal scroll: a quarter of the screen a key */
static unsigned hscroll(struct tui *t, int dir)
{
	int step = t->m->width / 4 > 8 ? t->m->width / 4 : 8;

	model_hscroll(t->m, dir * step);
	return TUI_REDRAW;
}
static unsigned a_hleft(struct tui *t) { return hscroll(t, -1); }
static unsigned a_hright(struct tui *t) { return hscroll(t, 1); }
static unsigned a_detail(struct tui *t)
{
	if (model_detail_open(t->m) == 0)
		t->detail_top = 0;
	return TUI_REDRAW;
}
static unsigned a_mark(struct tui *t) { model_mark(t->m); return TUI_REDRAW; }
static unsigned a_zoomin(struct tui *t) { model_zoom(t->m, 1); return TUI_REDRAW; }
static unsigned a_zoomout(struct tui *t) { model_zoom(t->m, 0); return TUI_REDRAW; }
static unsigned a_unzoom(struct tui *t)
{
	model_window_set(t->m, t->m->span_from, t->m->span_to);
	return TUI_REDRAW;
}
static unsigned a_play(struct tui *t)
{
	model_play_toggle(t->m, agg_now_ns());
	return TUI_REDRAW;
}
static unsigned a_stepkey(struct tui *t) { model_step(t->m); return TUI_REDRAW; }
static unsigned a_faster(struct tui *t) { model_play_speed(t->m, 1); return TUI_REDRAW; }
static unsigned a_slower(struct tui *t) { model_play_speed(t->m, 0); return TUI_REDRAW; }
static unsigned a_redraw(struct tui *t) { return TUI_REDRAW; }
static unsigned a_why(struct tui *t) { model_why_selected(t->m); return TUI_REDRAW; }
static unsigned a_why_follow(struct tui *t) { model_why_follow(t->m); return TUI_REDRAW; }
static unsigned a_why_back(struct tui *t) { model_why_back(t->m); return TUI_REDRAW; }
static unsigned a_why_up(struct tui *t) { model_why_scroll(t->m, -1); return TUI_REDRAW; }
static unsigned a_why_down(struct tui *t) { model_why_scroll(t->m, 1); return TUI_REDRAW; }

/* Timeline */
static size_t tl_page(struct tui *t)
{
	return t->m->tlv && t->m->tlv->rows ? t->m->tlv->rows : 1;
}
static unsigned a_tl_up(struct tui *t) { model_tl_move(t->m, -1); return TUI_REDRAW; }
static unsigned a_tl_down(struct tui *t) { model_tl_move(t->m, 1); return TUI_REDRAW; }
static unsigned a_tl_pgup(struct tui *t)
{
	model_tl_move(t->m, -(long)tl_page(t));
	return TUI_REDRAW;
}
static unsigned a_tl_pgdn(struct tui *t)
{
	model_tl_move(t->m, (long)tl_page(t));
	return TUI_REDRAW;
}
static unsigned a_tl_prev(struct tui *t) { model_tl_change(t->m, -1); return TUI_REDRAW; }
static unsigned a_tl_next(struct tui *t) { model_tl_change(t->m, 1); return TUI_REDRAW; }
static unsigned a_tl_left(struct tui *t) { model_tl_pan(t->m, -1); return TUI_REDRAW; }
static unsigned a_tl_right(struct tui *t) { model_tl_pan(t->m, 1); return TUI_REDRAW; }
static unsigned a_tl_cpus(struct tui *t) { model_tl_cpus(t->m); return TUI_REDRAW; }
static unsigned a_tl_why(struct tui *t) { model_tl_why(t->m); return TUI_REDRAW; }

/* Order is the help screen's order; rows with help NULL are aliases of
 * the row before and appear beside it. */
const struct key_binding tui_keys[] = {
	{ KEY_F(1), "F1", KEYS_ALL, a_help, "help: this list of keys" },
	{ 'h', "h", KEYS_ALL, a_help, NULL },
	{ '?', "?", KEYS_ALL, a_help, NULL },
	{ 'q', "q", KEYS_ALL, a_quit, "quit" },
	{ KEY_F(10), "F10", KEYS_ALL, a_quit, NULL },
	{ '1', "1", KEYS_ALL, a_view1, "Overview: header, timeline, top lists" },
	{ '2', "2", KEYS_ALL, a_view2, "Processes (CPU, off-CPU, syscalls, errors, net)" },
	{ '3', "3", KEYS_ALL, a_view3, "Syscalls: per-name statistics" },
	{ '4', "4", KEYS_ALL, a_view4, "Events: every event in time order" },
	{ '5', "5", KEYS_ALL, a_view5, "Connections (TCP sockets)" },
	{ '6', "6", KEYS_ALL, a_view6, "Files: paths used by syscalls" },
	{ '7', "7", KEYS_ALL, a_view7, "Errors: failed syscalls by errno" },
	{ '8', "8", KEYS_ALL, a_view8, "Timeline: threads' states over time (from 2: its threads)" },
	{ '9', "9", KEYS_ALL, a_view9, "Run queue: waits for a CPU, latency histogram" },
	{ '0', "0", KEYS_ALL, a_view0, "Signals: signals sent, OOM kills" },
	{ '\t', "Tab", KEYS_ALL, a_tab, "next view" },
	{ KEY_BTAB, "S-Tab", KEYS_ALL, a_btab, "previous view" },
	{ KEY_UP, "Up", LISTS, a_up, "select the row above" },
	{ 'k', "k", LISTS, a_up, NULL },
	{ KEY_DOWN, "Down", LISTS, a_down, "select the row below" },
	{ 'j', "j", LISTS, a_down, NULL },
	{ KEY_PPAGE, "PgUp", LISTS, a_pgup, "page up" },
	{ KEY_NPAGE, "PgDn", LISTS, a_pgdn, "page down" },
	{ KEY_HOME, "Home", LISTS, a_home, "first row (Events: window start)" },
	{ KEY_END, "End", LISTS, a_end, "last row (Events: window end)" },
	{ '\n', "Enter", LISTS, a_enter, "drill down: threads, slowest calls, events, who ran instead" },
	{ '\r', "Enter", LISTS, a_enter, NULL },
	{ KEY_ENTER, "Enter", LISTS, a_enter, NULL },
	{ 27, "Esc", KEYS_ALL, a_back, "back (or stop a search or SQL query, cancel a selection)" },
	{ KEY_BACKSPACE, "Bksp", KEYS_ALL, a_back, NULL },
	{ 127, "Bksp", KEYS_ALL, a_back, NULL },
	{ KEY_F(4), "F4", KEYS_ALL, a_filter, "filter: comm = nginx and dur > 1ms" },
	{ '\\', "\\", KEYS_ALL, a_filter, NULL },
	{ '/', "/", LISTS, a_search, "search the rows for text" },
	{ 'n', "n", LISTS, a_next, "next match" },
	{ 'N', "N", LISTS, a_prev, "previous match" },
	{ KEY_F(6), "F6", SORTABLE, a_sort, "sort by the next column" },
	{ 's', "s", SORTABLE, a_sort, NULL },
	{ 'I', "I", SORTABLE, a_invert, "invert the sort order" },
	{ 't', "t", V(VIEW_PROCS), a_tree, "process tree / flat list" },
	{ KEY_LEFT, "Left", TIME, a_left, "move the time cursor" },
	{ KEY_RIGHT, "Right", TIME, a_right, NULL },
	{ KEY_SLEFT, "S-Left", TIME, a_left10, "move the time cursor 10 steps" },
	{ KEY_SRIGHT, "S-Right", TIME, a_right10, NULL },
	{ KEY_UP, "Up", TL, a_tl_up, "Timeline: select the thread above" },
	{ 'k', "k", TL, a_tl_up, NULL },
	{ KEY_DOWN, "Down", TL, a_tl_down, "Timeline: select the thread below" },
	{ 'j', "j", TL, a_tl_down, NULL },
	{ KEY_PPAGE, "PgUp", TL, a_tl_pgup, "Timeline: a page of threads up" },
	{ KEY_NPAGE, "PgDn", TL, a_tl_pgdn, "Timeline: a page of threads down" },
	{ '[', "[", TL, a_tl_prev, "Timeline: cursor to the thread's previous state change" },
	{ ']', "]", TL, a_tl_next, "Timeline: cursor to the thread's next state change" },
	{ '<', "<", TL, a_tl_left, "Timeline: pan half a window earlier" },
	{ '>', ">", TL, a_tl_right, "Timeline: pan half a window later" },
	{ 'c', "c", TL, a_tl_cpus, "Timeline: show / hide the CPU lanes" },
	{ '\n', "Enter", TL, a_tl_why, "Timeline: why pane on the selected thread at the cursor" },
	{ '\r', "Enter", TL, a_tl_why, NULL },
	{ KEY_ENTER, "Enter", TL, a_tl_why, NULL },
	{ 'w', "w", TL, a_tl_why, NULL },
	{ KEY_LEFT, "Left", LISTS, a_hleft, "scroll the rows sideways (a cut row ends in » or >)" },
	{ KEY_RIGHT, "Right", LISTS, a_hright, NULL },
	{ 'd', "d", LISTS, a_detail, "detail: the whole selected row, every field of an event" },
	{ 'm', "m", KEYS_ALL, a_mark, "mark window start, m again: select window" },
	{ 'z', "z", KEYS_ALL, a_zoomin, "zoom in around the time cursor" },
	{ 'Z', "Z", KEYS_ALL, a_zoomout, "zoom out" },
	{ 'u', "u", KEYS_ALL, a_unzoom, "whole trace (undo zoom and window)" },
	{ 'g', "g", KEYS_ALL, a_goto, "go to a time: +2.5s, 10:31:07, @NS" },
	{ ' ', "Space", V(VIEW_EVENTS), a_play, "replay from the selection / pause" },
	{ '.', ".", V(VIEW_EVENTS), a_stepkey, "pause and step one event" },
	{ '+', "+", V(VIEW_EVENTS), a_faster, "replay twice as fast" },
	{ '-', "-", V(VIEW_EVENTS), a_slower, "replay half as fast" },
	{ 'w', "w", V(VIEW_EVENTS) | V(VIEW_THREADS), a_why, "why pane: why the selected thread waited, who woke it" },
	{ 'w', "w", KEYS_WHY, a_why_follow, "why pane: follow the critical path to the waker's own wait" },
	{ KEY_RIGHT, "Right", KEYS_WHY, a_why_follow, NULL },
	{ 27, "Esc", KEYS_WHY, a_why_back, "why pane: back along the followed path, then close" },
	{ KEY_BACKSPACE, "Bksp", KEYS_WHY, a_why_back, NULL },
	{ 127, "Bksp", KEYS_WHY, a_why_back, NULL },
	{ KEY_UP, "Up", KEYS_WHY, a_why_up, "why pane: scroll its lines" },
	{ 'k', "k", KEYS_WHY, a_why_up, NULL },
	{ KEY_DOWN, "Down", KEYS_WHY, a_why_down, NULL },
	{ 'j', "j", KEYS_WHY, a_why_down, NULL },
	{ ':', ":", KEYS_ALL, a_sql, "SQL prompt: result as a grid" },
	{ CTRL('l'), "C-l", KEYS_ALL, a_redraw, "redraw the screen" },
};
const size_t tui_nkeys = sizeof(tui_keys) / sizeof(tui_keys[0]);

const struct key_binding *tui_key_find(int key, enum view_id v)
{
	for (size_t i = 0; i < tui_nkeys; i++)
		if (tui_keys[i].key == key &&
		    (tui_keys[i].views == KEYS_ALL || (tui_keys[i].views >> v & 1)))
			return &tui_keys[i];
	return NULL;
}

/* The why pane's binding for KEY while the pane is open, or NULL. */
static const struct key_binding *why_key_find(struct tui *t, int key)
{
	if (!model_why(t->m))
		return NULL;
	for (size_t i = 0; i < tui_nkeys; i++)
		if (tui_keys[i].key == key && tui_keys[i].views == KEYS_WHY)
			return &tui_keys[i];
	return NULL;
}

/* "bad filter: ... at column N": the column, or 0. */
static size_t error_column(const char *msg)
{
	const char *p = strstr(msg, "at column ");
	return p ? (size_t)strtoul(p + 10, NULL, 10) : 0;
}

static unsigned prompt_submit(struct tui *t)
{
	struct model *m = t->m;
	enum tui_prompt p = t->prompt;
	int rc = 0;

	t->prompt = PROMPT_NONE;
	switch (p) {
	case PROMPT_FILTER:
		rc = model_filter_set(m, t->line);
		if (rc < 0) { /* keep the text; cursor on the bad token */
			size_t col = error_column(m->status);
			t->prompt = PROMPT_FILTER;
			t->pos = col && col - 1 <= t->len ? col - 1 : t->len;
		}
		break;
	case PROMPT_SEARCH: model_search_set(m, t->line); break;
	case PROMPT_GOTO: model_goto(m, t->line); break;
	case PROMPT_SQL: model_sql(m, t->line); break;
	case PROMPT_NONE: break;
	}
	return TUI_REDRAW;
}

/* The line editor: printable bytes insert (UTF-8 arrives byte by byte),
 * Left/Right/Home/End move, Backspace/Delete erase, C-u clears, Enter
 * submits, Esc cancels. */
static unsigned prompt_key(struct tui *t, int key)
{
	switch (key) {
	case 27:
		t->prompt = PROMPT_NONE;
		return TUI_REDRAW;
	case '\n': case '\r': case KEY_ENTER:
		return prompt_submit(t);
	case KEY_LEFT:
		while (t->pos > 0 && ((unsigned char)t->line[--t->pos] & 0xc0) == 0x80)
			;
		return TUI_REDRAW;
	case KEY_RIGHT:
		while (t->pos < t->len &&
		       ((unsigned char)t->line[++t->pos] & 0xc0) == 0x80)
			;
		return TUI_REDRAW;
	case KEY_HOME: case CTRL('a'):
		t->pos = 0;
		return TUI_REDRAW;
	case KEY_END: case CTRL('e'):
		t->pos = t->len;
		return TUI_REDRAW;
	case CTRL('u'):
		t->len = t->pos = 0;
		t->line[0] = '\0';
		return TUI_REDRAW;
	case KEY_BACKSPACE: case 127: case CTRL('h'): {
		size_t end = t->pos;
		while (t->pos > 0 &&
		       ((unsigned char)t->line[--t->pos] & 0xc0) == 0x80)
			;
		memmove(t->line + t->pos, t->line + end, t->len - end + 1);
		t->len -= end - t->pos;
		return TUI_REDRAW;
	}
	case KEY_DC: {
		size_t end = t->pos;
		if (end < t->len)
			end++;
		while (end < t->len && ((unsigned char)t->line[end] & 0xc0) == 0x80)
			end++;
		memmove(t->line + t->pos, t->line + end, t->len - end + 1);
		t->len -= end - t->pos;
		return TUI_REDRAW;
	}
	case KEY_RESIZE:
		return TUI_REDRAW;
	}
	if (key >= 0x20 && key < 0x100 && key != 127 &&
	    t->len + 1 < sizeof(t->line)) {
		memmove(t->line + t->pos + 1, t->line + t->pos,
			t->len - t->pos + 1);
		t->line[t->pos++] = (char)key;
		t->len++;
	}
	return TUI_REDRAW;
}

/* The detail pane takes the keys while open: scroll, close, quit. */
static unsigned detail_key(struct tui *t, int key)
{
	switch (key) {
	case KEY_DOWN: case 'j':
		t->detail_top++;
		break;
	case KEY_UP: case 'k':
		if (t->detail_top)
			t->detail_top--;
		break;
	case KEY_NPAGE:
		t->detail_top += page(t);
		break;
	case KEY_PPAGE:
		t->detail_top = t->detail_top > page(t) ?
				t->detail_top - page(t) : 0;
		break;
	case 27: case KEY_BACKSPACE: case 127: case 'd': case 'q':
		model_detail_close(t->m);
		break;
	default:
		return 0;
	}
	return TUI_REDRAW;
}

unsigned tui_key_handle(struct tui *t, int key)
{
	const struct key_binding *b;

	if (key == KEY_RESIZE)
		return TUI_REDRAW;
	if (t->prompt != PROMPT_NONE)
		return prompt_key(t, key);
	if (t->help) {
		if (key == KEY_DOWN || key == 'j')
			t->help_top++;
		else if ((key == KEY_UP || key == 'k') && t->help_top)
			t->help_top--;
		else if (key == KEY_NPAGE)
			t->help_top += 10;
		else if (key == 'q')
			return TUI_QUIT;
		else
			t->help = 0;
		return TUI_REDRAW;
	}
	if (t->m->detail)
		return detail_key(t, key);
	b = why_key_find(t, key);
	if (!b)
		b = tui_key_find(key, model_frame(t->m)->view);
	if (!b)
		return 0;
	if (t->m->status_err)
		t->m->status[0] = '\0', t->m->status_err = 0;
	return b->fn(t);
}
