/*
 * filt-list.c - the syscalls `kscope record --syscalls LIST` selects on
 * this machine, one name a line (for tests/test-record-filt-groups.sh).
 *
 *     tests/filt-list file,!close
 */
#include "config.h"
#include "record/record.h"
#include "store/systab.h"

#include <stdio.h>

int main(int argc, char **argv)
{
	struct rec_filter f = { 0 };
	const char *arch = systab_host_arch();
	char err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: filt-list LIST\n");
		return 2;
	}
	if (rec_filter_syscalls(&f, argv[1], arch, err, sizeof(err)) < 0) {
		fprintf(stderr, "filt-list: %s\n", err);
		return 1;
	}
	for (int nr = 0; nr < KS_NR_MAX; nr++)
		if (rec_filter_has(&f, nr))
			printf("%s\n", systab_name(arch, nr));
	return 0;
}
