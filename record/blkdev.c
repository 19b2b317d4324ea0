/*
 * blkdev.c - what block_io rows need beyond the ring record: the device's
 * name for the kernel's dev_t, the request's operation as enum
 * ev_block_op, and its completion status as a negative errno.
 *
 *     struct rec_blkdevs *d = rec_blkdevs_new("/sys");
 *     const char *name = rec_blkdevs_name(d, r->dev);  // "vda", "8:16"
 *     ev.op = rec_blk_op(r->cmd_flags);
 *     ev.error = rec_blk_errno(r->status);
 *     rec_blkdevs_free(d);
 *
 * Names come from SYSFS/dev/block/MAJ:MIN/uevent (DEVNAME=), read once
 * per device and kept; a device that has none there (gone, or sysfs not
 * mounted) is named "MAJ:MIN".
 */
#include "config.h"
#include "record/record.h"
#include "store/ev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLK_NAME_MAX 64

struct blk_name {
	uint32_t dev;
	char name[BLK_NAME_MAX];
};

struct rec_blkdevs {
	char *sysfs;
	struct blk_name *v;
	size_t n, cap;
};

struct rec_blkdevs *rec_blkdevs_new(const char *sysfs)
{
	struct rec_blkdevs *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->sysfs = strdup(sysfs);
	if (!d->sysfs) {
		free(d);
		return NULL;
	}
	return d;
}

void rec_blkdevs_free(struct rec_blkdevs *d)
{
	if (!d)
		return;
	free(d->sysfs);
	free(d->v);
	free(d);
}

/* DEVNAME of MAJ:MIN from sysfs into OUT; 0 or -errno. */
static int blk_uevent_name(const char *sysfs, unsigned maj, unsigned min,
			   char *out, size_t outlen)
{
	char path[512], line[256];
	FILE *f;
	int rc = -ENOENT;

	snprintf(path, sizeof(path), "%s/dev/block/%u:%u/uevent", sysfs, maj,
		 min);
	if (!(f = fopen(path, "re")))
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		line[strcspn(line, "\n")] = 0;
		if (line[8] && strlen(line + 8) < outlen) {
			strcpy(out, line + 8);
			rc = 0;
		}
		break;
	}
	fclose(f);
	return rc;
}

const char *rec_blkdevs_name(struct rec_blkdevs *d, uint32_t dev)
{
	unsigned maj = dev >> 20, min = dev & 0xfffff;
	struct blk_name *b;

	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].dev == dev)
			return d->v[i].name;
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		struct blk_name *v = realloc(d->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		d->v = v;
		d->cap = cap;
	}
	b = &d->v[d->n++];
	b->dev = dev;
	if (blk_uevent_name(d->sysfs, maj, min, b->name, sizeof(b->name)) < 0)
		snprintf(b->name, sizeof(b->name), "%u:%u", maj, min);
	return b->name;
}

/* The kernel's REQ_OP_* numbers (include/linux/blk_types.h). */
int rec_blk_op(uint32_t cmd_flags)
{
	switch (cmd_flags & 0xff) {
	case 0:
		return EV_BLOCK_READ;
	case 1:
		return EV_BLOCK_WRITE;
	case 2:
		return EV_BLOCK_FLUSH;
	case 3:
		return EV_BLOCK_DISCARD;
	case 5:
		return EV_BLOCK_SECURE_ERASE;
	case 9:
		return EV_BLOCK_WRITE_ZEROES;
	default:
		return EV_BLOCK_OTHER;
	}
}

/* blk_status_t -> errno as the kernel's blk_status_to_errno() maps it
 * (block/blk-core.c); unknown codes are -EIO there too.  Invalid size or
 * alignment was 19, later 18 (18 was unused before). */
int rec_blk_errno(int status)
{
	static const int err[] = {
		[0] = 0,             [1] = -EOPNOTSUPP, [2] = -ETIMEDOUT,
		[3] = -ENOSPC,       [4] = -ENOLINK,    [5] = -EREMOTEIO,
		[6] = -EBADE,        [7] = -ENODATA,    [8] = -EILSEQ,
		[9] = -ENOMEM,       [10] = -EIO,       [11] = -EREMCHG,
		[12] = -EAGAIN,      [13] = -EBUSY,     [14] = -ETOOMANYREFS,
		[15] = -EOVERFLOW,   [16] = -ENODEV,    [17] = -ETIME,
		[18] = -EINVAL,      [19] = -EINVAL,
	};

	if (status < 0 || status >= (int)(sizeof(err) / sizeof(err[0])))
		return -EIO;
	return err[status];
}
