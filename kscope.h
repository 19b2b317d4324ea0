/*
 * kscope.h - subcommand entry points.  Each folder provides the commands it
 * owns; kscope.c only dispatches.  A command returns the process exit code:
 * 0 success, 1 failure (message already printed), 2 bad usage.
 */
#ifndef KSCOPE_H
#define KSCOPE_H

struct kscope_cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	const char *summary;
};

/* analyze/ */
int cmd_info(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_compact(int argc, char **argv);
/* record/ */
int cmd_record(int argc, char **argv);
/* tui/ */
int cmd_tui(int argc, char **argv);

#endif
