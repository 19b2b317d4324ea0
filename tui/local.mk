# tui/: the ncurses trace browser (kscope tui).  The model, views, aggregates
# and event paging build without curses so tests link them alone.
noinst_LIBRARIES += libtui.a
libtui_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(NCURSES_CFLAGS)
libtui_a_SOURCES = tui/tui.h tui/cmd_tui.c tui/draw.c tui/draw.h \
	tui/keys.c tui/keys.h \
	tui/model.c tui/model.h tui/model_int.h \
	tui/model_rows.c tui/model_time.c tui/views.c tui/print.c \
	tui/views_sched.c tui/views_sched.h tui/tabs.c tui/tabs.h \
	tui/bgstates.c tui/bgstates.h \
	tui/draw_sched.c tui/draw_int.h \
	tui/agg.c tui/agg.h tui/evlist.c tui/evlist.h \
	tui/evlist_back.c tui/evlist_int.h \
	tui/grid.c tui/grid.h tui/sqlrun.c tui/sqlrun.h \
	tui/timeline.c tui/timeline.h tui/tlview.c tui/tlview.h \
	tui/draw_tl.c tui/print_tl.c
libtui_a_SOURCES += tui/why.c tui/why.h tui/draw_why.c
# the help text, the detail pane
libtui_a_SOURCES += tui/help.c tui/help.h tui/detail.c tui/detail.h
