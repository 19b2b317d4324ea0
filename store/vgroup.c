/*
 * vgroup.c - rows of a scan handed to SQLite already grouped.
 *
 *     SELECT name, count(*), avg(dur) FROM syscalls GROUP BY name
 *
 * SQLite answers a GROUP BY over a virtual table by sorting every row,
 * which costs far more than reading the chunks.  When it tells the table
 * (sqlite3_vtab_distinct) that rows need only arrive grouped, vtab.c can
 * take this path instead: the integer columns the query uses are copied
 * out of the chunks into one flat array of row records, each row gets a
 * group number from a hash of its key columns, and a counting sort on the
 * group numbers scatters the records into an order in which equal keys are
 * adjacent: linear time, no comparisons, and SQLite then reads the records
 * sequentially.
 *
 * The same grouped rows serve as an index on one integer column
 * (vgroup_index, vgroup_find): vtab.c's keyed plan answers "pid = ?" for
 * each row of an outer table from them, a hash join, where a plain scan
 * would read every chunk again for each.
 *
 * Only integer-like columns (ints, enums, syscall names) take part; vtab.c
 * falls back to SQLite's sort when a query uses a string column or when the
 * arrays would pass VGROUP_BUDGET bytes.
 */
#include "store/vgroup.h"
#include "store/systab.h"
#include "store/hmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct vgroup {
	const struct ev_desc *d;
	const char *arch;
	unsigned nkeys;
	unsigned keys[VGROUP_MAX_KEYS];
	int slot[64]; /* field -> position in a record, -1 when not kept */
	unsigned width; /* values per record */
	int64_t *rec;   /* n records of WIDTH values; grouped after finish */
	size_t n, cap;
	uint8_t *named; /* syscall number -> has a name on ARCH */
	int maxnr;
	struct hmap at;  /* vgroup_index: key -> group number */
	size_t *starts;  /* group number -> first position; one more: n */
};

int vgroup_field_ok(const struct ev_field *f)
{
	return !ev_type_is_bytes(f->type);
}

struct vgroup *vgroup_new(const struct ev_desc *d, uint64_t fields,
			  const unsigned *keys, unsigned nkeys,
			  const char *arch)
{
	struct vgroup *g = calloc(1, sizeof(*g));

	if (!g || nkeys > VGROUP_MAX_KEYS || d->nfields > 64) {
		free(g);
		return NULL;
	}
	g->d = d;
	g->arch = arch;
	g->nkeys = nkeys;
	memcpy(g->keys, keys, nkeys * sizeof(*keys));
	for (unsigned i = 0; i < nkeys; i++)
		fields |= 1ull << keys[i];
	for (unsigned f = 0; f < 64; f++)
		g->slot[f] = f < d->nfields && (fields >> f & 1) ?
			     (int)g->width++ : -1;
	g->maxnr = arch ? systab_max(arch) : -1;
	if (g->maxnr >= 0) {
		g->named = malloc((size_t)g->maxnr + 1);
		if (!g->named) {
			free(g);
			return NULL;
		}
		for (int nr = 0; nr <= g->maxnr; nr++)
			g->named[nr] = systab_name(arch, nr) != NULL;
	}
	return g;
}

void vgroup_free(struct vgroup *g)
{
	if (!g)
		return;
	free(g->rec);
	free(g->named);
	free(g->starts);
	hmap_free(&g->at);
	free(g);
}

uint64_t vgroup_fields(const struct vgroup *g)
{
	uint64_t m = 0;

	for (unsigned f = 0; f < 64; f++)
		if (g->slot[f] >= 0)
			m |= 1ull << f;
	return m;
}

int vgroup_add(struct vgroup *g, const struct chunk_dec *dec, uint32_t first,
	       uint32_t end)
{
	size_t add = end > first ? end - first : 0;

	if (g->n + add > g->cap) {
		size_t cap = g->cap ? g->cap : 65536;
		while (cap < g->n + add)
			cap *= 2;
		int64_t *r = realloc(g->rec, cap * g->width * sizeof(*r));
		if (!r)
			return -ENOMEM;
		g->rec = r;
		g->cap = cap;
	}
	for (unsigned f = 0; f < 64; f++) {
		if (g->slot[f] < 0)
			continue;
		int64_t *m = g->rec + g->n * g->width + g->slot[f];
		for (uint32_t r = first; r < end; r++, m += g->width)
			*m = chunk_dec_int(dec, f, r);
	}
	g->n += add;
	return 0;
}

/* The grouping value of key column K for row R.  Syscall numbers without
 * a name all group under one key, as their NULL names do in SQL. */
static int64_t key_of(const struct vgroup *g, unsigned k, size_t r)
{
	unsigned f = g->keys[k];
	int64_t v = g->rec[r * g->width + g->slot[f]];

	if (g->d->fields[f].type == EVT_SYSNAME &&
	    (v < 0 || v > g->maxnr || !g->named[v]))
		return INT64_MIN;
	if (g->d->fields[f].type == EVT_ENUM && !ev_enum_name(&g->d->fields[f], v)
	    && v == 0)
		return INT64_MIN;
	return v;
}

static uint64_t hash_row(const struct vgroup *g, size_t r)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (unsigned k = 0; k < g->nkeys; k++) {
		h ^= (uint64_t)key_of(g, k, r);
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

static int same_key(const struct vgroup *g, size_t a, size_t b)
{
	for (unsigned k = 0; k < g->nkeys; k++)
		if (key_of(g, k, a) != key_of(g, k, b))
			return 0;
	return 1;
}

int vgroup_finish(struct vgroup *g)
{
	uint32_t *gid = NULL, *count = NULL;
	struct hmap firsts = { 0 };
	size_t ngroups = 0;
	int rc = -ENOMEM;

	int64_t *sorted = NULL;

	if (g->n > UINT32_MAX)
		return -E2BIG;
	gid = malloc((g->n ? g->n : 1) * sizeof(*gid));
	sorted = malloc((g->n ? g->n : 1) * g->width * sizeof(*sorted));
	if (!sorted || !gid)
		goto out;
	/* Group numbers: a map from a key hash to the group's first row,
	 * whose number every later row of the group copies; rows whose keys
	 * differ but share a hash move on to hash + 1.  One key column is
	 * its own hash, exactly: a map from the value to the group number,
	 * and rows often repeat the key of the row before. */
	for (size_t r = 0; g->nkeys == 1 && r < g->n; r++) {
		uint64_t k = (uint64_t)key_of(g, 0, r);
		uint32_t id;

		if (r && k == (uint64_t)key_of(g, 0, r - 1)) {
			gid[r] = gid[r - 1];
		} else if (hmap_get(&firsts, k, &id)) {
			gid[r] = id;
		} else {
			if (hmap_put(&firsts, k, (uint32_t)ngroups) < 0)
				goto out;
			gid[r] = (uint32_t)ngroups++;
		}
	}
	for (size_t r = 0; g->nkeys != 1 && r < g->n; r++) {
		uint64_t h = hash_row(g, r);
		uint32_t first;
		int found;

		while ((found = hmap_get(&firsts, h, &first)) &&
		       !same_key(g, first, r))
			h++;
		if (found) {
			gid[r] = gid[first];
		} else {
			if (hmap_put(&firsts, h, (uint32_t)r) < 0)
				goto out;
			gid[r] = (uint32_t)ngroups++;
		}
	}
	/* Counting sort on group numbers: stable, so rows keep ts order
	 * within a group; records move to their grouped place. */
	count = calloc(ngroups + 1, sizeof(*count));
	if (!count)
		goto out;
	for (size_t r = 0; r < g->n; r++)
		count[gid[r] + 1]++;
	for (size_t i = 1; i <= ngroups; i++)
		count[i] += count[i - 1];
	for (size_t r = 0; r < g->n; r++) {
		int64_t *to = sorted + (size_t)count[gid[r]]++ * g->width;
		const int64_t *from = g->rec + r * g->width;
		for (unsigned w = 0; w < g->width; w++)
			to[w] = from[w];
	}
	free(g->rec);
	g->rec = sorted;
	sorted = NULL;
	rc = 0;
out:
	free(sorted);
	free(gid);
	free(count);
	hmap_free(&firsts);
	return rc;
}

size_t vgroup_rows(const struct vgroup *g) { return g->n; }

int vgroup_has(const struct vgroup *g, unsigned field)
{
	return field < 64 && g->slot[field] >= 0;
}

int64_t vgroup_int(const struct vgroup *g, unsigned field, size_t pos)
{
	return g->rec[pos * g->width + g->slot[field]];
}

int vgroup_index(struct vgroup *g)
{
	size_t ngroups = 0, i = 0;

	if (g->nkeys != 1)
		return -EINVAL;
	for (size_t r = 0; r < g->n; r++)
		ngroups += !r || key_of(g, 0, r) != key_of(g, 0, r - 1);
	if (ngroups >= UINT32_MAX)
		return -E2BIG;
	g->starts = malloc((ngroups + 1) * sizeof(*g->starts));
	if (!g->starts)
		return -ENOMEM;
	for (size_t r = 0; r < g->n; r++) {
		if (r && key_of(g, 0, r) == key_of(g, 0, r - 1))
			continue;
		if (hmap_put(&g->at, (uint64_t)key_of(g, 0, r),
			     (uint32_t)i) < 0)
			return -ENOMEM;
		g->starts[i++] = r;
	}
	g->starts[i] = g->n;
	return 0;
}

int vgroup_find(const struct vgroup *g, int64_t key, size_t *first,
		size_t *end)
{
	uint32_t i;

	if (!g->starts || !hmap_get(&g->at, (uint64_t)key, &i))
		return 0;
	*first = g->starts[i];
	*end = g->starts[i + 1];
	return 1;
}
