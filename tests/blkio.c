/*
 * blkio.c - block I/O with a known answer, and the kernel's own block
 * counters, for the live block_io tests (tests/test-record-block.sh).
 *
 *     tests/blkio stat DISK         # /sys/block/DISK/stat, bracketed by
 *                                   # the boot clock read before and after
 *     tests/blkio io FILE N SIZE    # N x (write SIZE bytes, fsync), then
 *                                   # read FILE back with O_DIRECT
 *     tests/blkio dio FILE N SIZE   # the same, the writes O_DIRECT too
 *
 * Output is "key=value" lines.  stat: t0= and t1= (CLOCK_BOOTTIME ns just
 * before and just after the read), then the counters of completed
 * requests, as Documentation/block/stat.rst names the fields: rd_ios=
 * rd_sect= wr_ios= wr_sect= dc_ios= dc_sect= fl_ios= (flushes; 0 on
 * kernels without the field) and in_flight=.  io: pid=, written= (N *
 * SIZE) and read= (bytes read back).  dio's writes go to the device from
 * the calls themselves, bypassing the page cache: written back from
 * there (io), a page may be submitted by whoever syncs the file system
 * first, and the fsync waits for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int do_stat(const char *disk)
{
	char path[256], buf[512];
	unsigned long long f[17] = { 0 };
	uint64_t t0, t1;
	ssize_t n;
	int fd, nf = 0;
	char *p;

	snprintf(path, sizeof(path), "/sys/block/%s/stat", disk);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		perror(path);
		return 1;
	}
	t0 = boot_ns();
	n = read(fd, buf, sizeof(buf) - 1);
	t1 = boot_ns();
	close(fd);
	if (n <= 0) {
		perror(path);
		return 1;
	}
	buf[n] = 0;
	for (p = buf; nf < 17; nf++) {
		char *end;

		f[nf] = strtoull(p, &end, 10);
		if (end == p)
			break;
		p = end;
	}
	if (nf < 11) {
		fprintf(stderr, "%s: %d fields\n", path, nf);
		return 1;
	}
	printf("t0=%" PRIu64 "\nt1=%" PRIu64 "\n", t0, t1);
	printf("rd_ios=%llu\nrd_sect=%llu\nwr_ios=%llu\nwr_sect=%llu\n",
	       f[0], f[2], f[4], f[6]);
	printf("dc_ios=%llu\ndc_sect=%llu\nfl_ios=%llu\nin_flight=%llu\n",
	       f[11], f[13], f[15], f[8]);
	return 0;
}

static int do_io(const char *file, long count, long size, int direct)
{
	char *buf;
	long done = 0;
	ssize_t n;
	int fd;

	if (count <= 0 || size <= 0 || size % 4096 ||
	    posix_memalign((void **)&buf, 4096, (size_t)size)) {
		fprintf(stderr, "blkio: bad count or size\n");
		return 1;
	}
	for (long i = 0; i < size; i++)
		buf[i] = (char)(i * 131 + 7);
	printf("pid=%d\n", (int)getpid());
	fflush(stdout);
	if ((fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		       (direct ? O_DIRECT : 0), 0600)) < 0) {
		perror(file);
		return 1;
	}
	for (long i = 0; i < count; i++) {
		buf[0] = (char)i; /* each block different */
		if (write(fd, buf, (size_t)size) != size || fsync(fd) < 0) {
			perror(file);
			return 1;
		}
	}
	close(fd);
	printf("written=%ld\n", count * size);
	if ((fd = open(file, O_RDONLY | O_DIRECT | O_CLOEXEC)) < 0) {
		perror(file);
		return 1;
	}
	while ((n = read(fd, buf, (size_t)size)) > 0)
		done += n;
	if (n < 0) {
		perror(file);
		return 1;
	}
	close(fd);
	printf("read=%ld\n", done);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "stat"))
		return do_stat(argv[2]);
	if (argc == 5 && (!strcmp(argv[1], "io") || !strcmp(argv[1], "dio")))
		return do_io(argv[2], atol(argv[3]), atol(argv[4]),
			     argv[1][0] == 'd');
	fprintf(stderr, "usage: blkio stat DISK | blkio io|dio FILE N SIZE\n");
	return 2;
}
