/*
 * counts.c - the check behind counts_int.h's field numbers.
 */
#include "config.h"
#include "analyze/fold/counts_int.h"

#include <errno.h>

int fold_counts_check(void)
{
	static const struct { enum ev_kind kind; const char *name; int ix; }
	want[] = {
		{ EV_SYSCALL, "ts", FSC_TS }, { EV_SYSCALL, "dur", FSC_DUR },
		{ EV_SYSCALL, "pid", FSC_PID }, { EV_SYSCALL, "tid", FSC_TID },
		{ EV_SYSCALL, "comm", FSC_COMM }, { EV_SYSCALL, "nr", FSC_NR },
		{ EV_SYSCALL, "ret", FSC_RET },
		{ EV_SYSCALL, "path", FSC_PATH },
		{ EV_SYSCALL, "addr", FSC_ADDR },
		{ EV_SYSCALL, "flags", FSC_FLAGS },
		{ EV_SYSCALL, "path_status", FSC_PATH_STATUS },
		{ EV_NET, "kind", FNET_KIND }, { EV_NET, "pid", FNET_PID },
		{ EV_NET, "tid", FNET_TID }, { EV_NET, "bytes", FNET_BYTES },
	};
	static int rc = 1;

	if (rc <= 0)
		return rc;
	rc = 0;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (report_field(want[i].kind, want[i].name) != want[i].ix)
			rc = -EINVAL;
	return rc;
}
