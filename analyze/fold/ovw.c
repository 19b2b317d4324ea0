/*
 * ovw.c - the overview's counts (see ovw.h).
 */
#include "config.h"
#include "analyze/fold/ovw.h"

#include <errno.h>
#include <string.h>

int fold_ovw_init(struct fold_ovw *a)
{
	memset(a, 0, sizeof(*a));
	return 0;
}

int fold_ovw_batch(struct fold_ovw *a, const struct store_batch *b,
		   const uint8_t *keep)
{
	const int64_t *ret = b->col[EVI_SYSCALL_RET];
	const int64_t *dur = b->col[EVI_SYSCALL_DUR];
	int rc;

	if ((unsigned)b->kind >= EV_KIND_COUNT)
		return 0;
	if (!keep)
		a->events[b->kind] += b->n;
	for (uint32_t i = 0; keep && i < b->n; i++)
		a->events[b->kind] += keep[i];
	for (uint32_t i = 0; b->kind == EV_SYSCALL && i < b->n; i++) {
		if (!report_failed(ret[i]) || !fold_kept(keep, i))
			continue;
		if ((rc = report_unfinished(b, EVI_SYSCALL_FLAGS, i,
					    dur[i])) < 0)
			return rc;
		a->errors += rc == 0;
	}
	return 0;
}

int fold_ovw_fn(void *acc, const struct store_batch *b, const uint8_t *keep)
{
	return fold_ovw_batch(acc, b, keep);
}

int fold_ovw_lost(struct fold_ovw *a, struct store *st, uint64_t from,
		  uint64_t to)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(store_db(st), "SELECT sum(count) FROM lost"
			       " WHERE ts <= ?2 AND ts + 1000000000 > ?1",
			       -1, &s, NULL) != SQLITE_OK)
		return -EIO;
	sqlite3_bind_int64(s, 1, (int64_t)from);
	sqlite3_bind_int64(s, 2, (int64_t)to);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		a->lost = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : -EIO;
}

void fold_ovw_free(struct fold_ovw *a)
{
	memset(a, 0, sizeof(*a));
}
