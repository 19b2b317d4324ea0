/*
 * vgroup.h - materialize a scan's integer columns and order its rows by
 * group (see vgroup.c).  Internal to store/.
 *
 *     g = vgroup_new(desc, used_fields, keys, nkeys, arch);
 *     vgroup_add(g, dec, first, end);        per chunk, columns decoded
 *     vgroup_finish(g);
 *     for (pos = 0; pos < vgroup_rows(g); pos++) vgroup_int(g, field, pos);
 *
 * or, with one integer key column, as an index on it:
 *
 *     vgroup_index(g);
 *     if (vgroup_find(g, pid, &first, &end)) rows first..end-1
 */
#ifndef KSCOPE_VGROUP_H
#define KSCOPE_VGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "store/chunk.h"

#define VGROUP_MAX_KEYS 4
/* Largest materialization vtab.c plans for, in bytes. */
#define VGROUP_BUDGET (1024ull << 20)

struct vgroup;

/* Can FIELD be materialized (an integer-like column)? */
int vgroup_field_ok(const struct ev_field *f);
/* FIELDS: bit f set for each field to keep; key fields are added.  ARCH
 * names syscalls (NULL: none).  NULL on ENOMEM or bad arguments. */
struct vgroup *vgroup_new(const struct ev_desc *d, uint64_t fields,
			  const unsigned *keys, unsigned nkeys,
			  const char *arch);
void vgroup_free(struct vgroup *g);
/* The fields kept (the caller decodes these columns before vgroup_add). */
uint64_t vgroup_fields(const struct vgroup *g);
/* Copy rows FIRST..END-1 of a chunk.  0 or -ENOMEM. */
int vgroup_add(struct vgroup *g, const struct chunk_dec *dec, uint32_t first,
	       uint32_t end);
/* Compute the grouped order.  0, -ENOMEM or -E2BIG. */
int vgroup_finish(struct vgroup *g);
size_t vgroup_rows(const struct vgroup *g);
int vgroup_has(const struct vgroup *g, unsigned field);
/* FIELD's value at position POS of the grouped order. */
int64_t vgroup_int(const struct vgroup *g, unsigned field, size_t pos);
/* After vgroup_finish, with one key column of plain integers: index the
 * groups by key value for vgroup_find.  0 or -ENOMEM. */
int vgroup_index(struct vgroup *g);
/* The positions [*FIRST, *END) of the rows whose key is KEY (after
 * vgroup_index): 1, or 0 when no row has it. */
int vgroup_find(const struct vgroup *g, int64_t key, size_t *first,
		size_t *end);

#endif
