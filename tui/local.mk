# tui/: the ncurses trace browser (kscope tui).  The model, views, aggregates
# and event paging build without curses so tests link them alone.
noinst_LIBRARIES += libtui.a
libtui_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(NCURSES_CFLAGS)
libtui_a_SOURCES = tui/tui.h tui/cmd_tui.c tui/draw.c tui/draw.h \
	tui/keys.c tui/keys.h \
	tui/model.c tui/model.h tui/model_int.h \
	tui/model_rows.c tui/model_time.c tui/views.c tui/print.c \
	tui/agg.c tui/agg.h tui/evlist.c tui/evlist.h \
	tui/evlist_back.c tui/evlist_int.h \
	tui/grid.c tui/grid.h tui/sqlrun.c tui/sqlrun.h
# the help text, the detail pane
libtui_a_SOURCES += tui/help.c tui/help.h tui/detail.c tui/detail.h
