/*
 * tasks.c - the recorder's table of live threads or processes, by id.
 *
 *     struct rec_tasks *t = rec_tasks_new();
 *     struct rec_task *e = rec_tasks_put(t, tid);   // found or zeroed
 *     strcpy(e->comm, "bash");
 *     rec_tasks_get(t, tid);                         // NULL when absent
 *     rec_tasks_del(t, tid);                         // at exit
 *
 * The live tasks packed in an array (a deleted one's place taken by the
 * last), found by id through a hash map (store/hmap.h), so the table
 * holds only live entries: its memory follows the number of live tasks
 * at their peak, not the number ever seen.  Pointers returned stay valid
 * until the next put or del on the table.
 */
#include "config.h"
#include "record/record.h"
#include "store/hmap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct rec_tasks {
	struct rec_task *v; /* the live tasks, packed */
	size_t n, cap;
	struct hmap ix;     /* id -> index in v */
};

struct rec_tasks *rec_tasks_new(void)
{
	return calloc(1, sizeof(struct rec_tasks));
}

static void task_clear(struct rec_task *e)
{
	free(e->exe);
	free(e->cmdline);
	free(e->cgroup);
	memset(e, 0, sizeof(*e));
}

void rec_tasks_free(struct rec_tasks *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		task_clear(&t->v[i]);
	free(t->v);
	hmap_free(&t->ix);
	free(t);
}

struct rec_task *rec_tasks_get(struct rec_tasks *t, uint32_t id)
{
	long i = id ? hmap_index(&t->ix, id) : -1;

	return i >= 0 ? &t->v[i] : NULL;
}

struct rec_task *rec_tasks_put(struct rec_tasks *t, uint32_t id)
{
	struct rec_task *e;

	if (!id) {
		errno = EINVAL;
		return NULL;
	}
	if ((e = rec_tasks_get(t, id)))
		return e;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;

		if (!(e = realloc(t->v, cap * sizeof(*e)))) {
			errno = ENOMEM;
			return NULL;
		}
		t->v = e;
		t->cap = cap;
	}
	if (hmap_put(&t->ix, id, (uint32_t)t->n) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	e->id = id;
	return e;
}

void rec_tasks_del(struct rec_tasks *t, uint32_t id)
{
	long i = id ? hmap_index(&t->ix, id) : -1;

	if (i < 0)
		return;
	task_clear(&t->v[i]);
	hmap_del(&t->ix, id);
	/* the last task fills the hole (its value replaced: cannot fail) */
	if ((size_t)i != --t->n) {
		t->v[i] = t->v[t->n];
		hmap_put(&t->ix, t->v[i].id, (uint32_t)i);
	}
}

size_t rec_tasks_count(const struct rec_tasks *t)
{
	return t->n;
}
