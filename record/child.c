/*
 * child.c - the command `kscope record -- CMD` runs: found on PATH before
 * tracing starts, forked held on a pipe until the recorder is attached,
 * and its wait status told as a shell tells it.
 */
#include "record/record.h"
#include "analyze/output/textesc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Can CMD be run?  The PATH search execvp would do, done here before
 * anything is loaded or created, so that the search's failed execs are not
 * recorded as the workload's: 0 with the file to exec in FULL, or -ENOENT /
 * -EACCES. */
int rec_child_find(const char *cmd, char *full, size_t fullen)
{
	const char *path = getenv("PATH");
	int rc = -ENOENT;

	if (!*cmd)
		return -ENOENT;
	if (strchr(cmd, '/')) {
		struct stat st;

		if (stat(cmd, &st) < 0)
			return -errno;
		if (S_ISDIR(st.st_mode) || access(cmd, X_OK) < 0)
			return -EACCES;
		snprintf(full, fullen, "%s", cmd);
		return 0;
	}
	if (!path)
		path = "/usr/local/bin:/bin:/usr/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		struct stat st;

		/* An empty entry is the current directory, as for execvp. */
		if ((size_t)snprintf(full, fullen, "%.*s%s%s", (int)n, path,
				     n ? "/" : "", cmd) < fullen &&
		    stat(full, &st) == 0) {
			if (!S_ISDIR(st.st_mode) && access(full, X_OK) == 0)
				return 0;
			rc = -EACCES;
		}
		path += n + (path[n] == ':');
	}
	return rc;
}

/* Fork CMD blocked on a pipe: writing a byte to *GO_FD lets it exec FILE
 * (CMD[0] resolved by child_find) with CMD as its arguments.  A file
 * without a #! line or ELF header runs under /bin/sh, as execvp does.  If
 * the exec fails, the child writes its errno to *ERR_FD (closed on a good
 * exec, so a read there sees EOF) and exits 127.  The child runs with the
 * signal mask MASK: kscope's own, not the recorder's while it sets up. */
pid_t rec_child_start(const char *file, char **cmd, const sigset_t *mask,
		      int *go_fd, int *err_fd)
{
	int p[2], e[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(e, O_CLOEXEC) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		close(e[0]);
		close(e[1]);
		return -1;
	}
	if (pid == 0) {
		char c;
		int en;

		sigprocmask(SIG_SETMASK, mask, NULL);
		close(p[1]);
		close(e[0]);
		if (read(p[0], &c, 1) != 1)
			_exit(127); /* the recorder gave up */
		execv(file, cmd);
		en = errno;
		if (en == ENOEXEC) {
			size_t n = 0;

			while (cmd[n])
				n++;
			char **sh = calloc(n + 2, sizeof(*sh));

			if (sh) {
				sh[0] = (char *)"sh";
				sh[1] = (char *)file;
				memcpy(sh + 2, cmd + 1, n * sizeof(*sh));
				execv("/bin/sh", sh);
			}
			en = ENOEXEC;
		}
		if (write(e[1], &en, sizeof(en)) < 0)
			_exit(127);
		_exit(127);
	}
	close(p[0]);
	close(e[1]);
	*go_fd = p[1];
	*err_fd = e[0];
	return pid;
}

/* CMD's wait status as the shell's $? gives it: the exit status, or 128 +
 * the signal that killed it. */
int rec_cmd_exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* "'make' exited with status 2", "'sh' was killed by SIGTERM (exit 143)". */
void rec_cmd_status_text(const char *cmd, int status, char *out,
			 size_t outlen)
{
	if (WIFSIGNALED(status)) {
		const char *abbrev = sigabbrev_np(WTERMSIG(status));

		snprintf(out, outlen, "'%s' was killed by SIG%s%s (exit %d)",
			 TEXTESC_Q(cmd), abbrev ? abbrev : "?",
			 WCOREDUMP(status) ? ", core dumped" : "",
			 rec_cmd_exit_code(status));
	} else {
		snprintf(out, outlen, "'%s' exited with status %d",
			 TEXTESC_Q(cmd), WEXITSTATUS(status));
	}
}
