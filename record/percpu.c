/*
 * percpu.c - where one kernel per-CPU variable lies from another, read
 * from the kernel's BTF.
 *
 *     int64_t d;
 *     if (rec_percpu_delta(vmlinux, "__preempt_count", "runqueues", &d) == 0)
 *             // on any CPU: &__preempt_count == (char *)&runqueues + d
 *
 * The BPF side cannot take the address of a per-CPU variable by name when
 * the kernel lists no data symbols (CONFIG_KALLSYMS_ALL off), but it can
 * reach this CPU's run queue from the current task; per-CPU copies keep
 * the layout of the per-CPU section, which BTF describes (one DATASEC,
 * the offset of each VAR in it), so the distance between two variables is
 * the same on every CPU and on every kernel layout of that section.
 */
#include "config.h"
#include "record/record.h"

#include <errno.h>
#include <string.h>
#include <bpf/btf.h>

#define PERCPU_SEC ".data..percpu"

int rec_percpu_delta(const struct btf *btf, const char *var, const char *from,
		     int64_t *delta)
{
	int n = btf ? (int)btf__type_cnt(btf) : 0;
	int64_t off_var = -1, off_from = -1;

	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *vi;

		if (!btf_is_datasec(t) ||
		    strcmp(btf__name_by_offset(btf, t->name_off), PERCPU_SEC))
			continue;
		vi = btf_var_secinfos(t);
		for (int i = 0; i < btf_vlen(t); i++, vi++) {
			const struct btf_type *v = btf__type_by_id(btf, vi->type);
			const char *name = btf__name_by_offset(btf, v->name_off);

			if (!strcmp(name, var))
				off_var = vi->offset;
			else if (!strcmp(name, from))
				off_from = vi->offset;
		}
		break;
	}
	if (off_var < 0 || off_from < 0)
		return -ENOENT;
	*delta = off_var - off_from;
	return 0;
}
