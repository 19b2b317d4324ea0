noinst_LIBRARIES += libtui.a
libtui_a_SOURCES = tui/tui.h
