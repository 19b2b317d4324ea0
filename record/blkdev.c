/*
 * blkdev.c - what block_io rows need beyond the ring record: the device's
 * name for the kernel's dev_t, the request's operation as enum
 * ev_block_op, and its completion status as a negative errno.
 *
 *     struct rec_names *d = rec_names_new("/sys", rec_blkdev_read);
 *     const char *name = rec_names_get(d, r->dev);  // "vda", "8:16"
 *     ev.op = rec_blk_op(r->cmd_flags);
 *     ev.error = rec_blk_errno(r->status);
 *     rec_names_free(d);
 *
 * Names come from SYSFS/dev/block/MAJ:MIN/uevent (DEVNAME=), read once
 * per device and kept (record/namecache.c); a device that has none there
 * (gone, or sysfs not mounted) is named "MAJ:MIN".
 */
#include "config.h"
#include "record/record.h"
#include "store/ev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rec_blkdev_read(const char *sysfs, uint32_t dev, char *name,
		     size_t size)
{
	unsigned maj = dev >> 20, min = dev & 0xfffff;
	char path[512], line[256];
	FILE *f;

	snprintf(name, size, "%u:%u", maj, min);
	snprintf(path, sizeof(path), "%s/dev/block/%u:%u/uevent", sysfs, maj,
		 min);
	if (!(f = fopen(path, "re")))
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "DEVNAME=", 8))
			continue;
		line[strcspn(line, "\n")] = 0;
		if (line[8] && strlen(line + 8) < size)
			strcpy(name, line + 8);
		break;
	}
	fclose(f);
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
