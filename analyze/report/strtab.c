/*
 * strtab.c - the reports' small containers: arrays that grow
 * (report_grow) and interned strings (report_str_intern), see
 * report_int.h.
 */
#include "config.h"
#include "analyze/report/report_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int report_grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp;
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = c;
	return 0;
}

int report_str_intern(struct report_strtab *t, const char *s, uint32_t *ix)
{
	uint64_t h = hmap_hash_str(s);
	uint32_t v;

	/* a hash shared by different strings moves on to h + 1 */
	while (hmap_get(&t->map, h, &v)) {
		if (!strcmp(t->s[v], s)) {
			*ix = v;
			return 0;
		}
		h++;
	}
	if (report_grow(&t->s, &t->cap, t->n + 1, sizeof(*t->s)) < 0 ||
	    !(t->s[t->n] = strdup(s)))
		return -ENOMEM;
	if (hmap_put(&t->map, h, (uint32_t)t->n) < 0) {
		free(t->s[t->n]);
		return -ENOMEM;
	}
	*ix = (uint32_t)t->n++;
	return 0;
}

int report_str_find(const struct report_strtab *t, const char *s,
		    uint32_t *ix)
{
	uint64_t h = hmap_hash_str(s);
	uint32_t v;

	for (; hmap_get(&t->map, h, &v); h++)
		if (!strcmp(t->s[v], s)) {
			*ix = v;
			return 1;
		}
	return 0;
}

void report_strtab_free(struct report_strtab *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	hmap_free(&t->map);
	memset(t, 0, sizeof(*t));
}
