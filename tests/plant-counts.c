/*
 * plant-counts - write the planted trace of tests/synth_counts.h (for
 * tests/test-agree.sh; not a test by itself).
 *
 *     tests/plant-counts OUT [SYSCALLS]
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/store.h"
#include "tests/synth_counts.h"

int main(int argc, char **argv)
{
	char err[STORE_ERRLEN] = "";

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: plant-counts OUT [SYSCALLS]\n");
		return 2;
	}
	if (synth_counts_write(argv[1], argc > 2 ?
			       strtoull(argv[2], NULL, 10) : 20000, err) < 0) {
		fprintf(stderr, "plant-counts: %s: %s\n", argv[1], err);
		return 1;
	}
	return 0;
}
