/*
 * stacks.c - kernel stacks of sleeping switches: the kernel's text
 * symbols from /proc/kallsyms, and one `stacks` event per stack id.
 *
 *     struct rec_ksyms *k = rec_ksyms_load("/proc/kallsyms");
 *     struct rec_stacks *st = rec_stacks_new(k, map_fd, slots);
 *     rec_stacks_note(st, w, ts, cpu, tid, id);   // per switch with an id
 *     rec_stacks_free(st);
 *     rec_ksyms_free(k);
 *
 * The BPF side puts a sleeping task's stack in a stack map and the switch
 * record carries its id + 1.  The first time a switch names an id, its
 * frames are read from the map (a filled bucket never changes: the map is
 * used without BPF_F_REUSE_STACKID), symbolized and written as one event,
 * so every id gets exactly one row and the trace needs no kernel to read.
 *
 * Symbols: the text symbols (t, T, w, W) of /proc/kallsyms, loaded once
 * into arrays sorted by address (12 bytes a symbol plus its name in one
 * string pool, each allocated at its size); a frame is the symbol at or
 * below its address, found by binary search.  Frames are return
 * addresses, so address - 1 is looked up (as the kernel's own backtraces
 * do): a call that ends a function must not name the next one.  The
 * tracing machinery's frames (innermost, up to __traceiter_sched_switch
 * or, with one probe on the tracepoint, bpf_trace_run) are left out: a
 * stack ends in __schedule.  Folded form: outermost frame
 * first, `;`-separated names without offsets or modules, an address below
 * every symbol as 0x<hex>.
 */
#include "config.h"
#include "record/record.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

struct rec_ksyms {
	uint64_t *addr;  /* sorted */
	uint32_t *name;  /* offset in pool, parallel to addr */
	size_t n;
	char *pool;
	size_t pool_len;
};

struct rec_stacks {
	const struct rec_ksyms *k; /* borrowed */
	int fd;                    /* the stack map; borrowed */
	uint32_t slots;
	uint8_t *seen;             /* bitmap by id: row written */
	uint64_t missed;           /* ids whose frames could not be read */
};

void rec_ksyms_free(struct rec_ksyms *k)
{
	if (!k)
		return;
	free(k->addr);
	free(k->name);
	free(k->pool);
	free(k);
}

/* The text symbol on LINE ("ffffffff81000000 T _stext", or "... t fn\t
 * [module]"): its address and name (LEN bytes at *NAME); 0 when the line
 * holds none. */
static int ksym_parse(const char *line, uint64_t *addr, const char **name,
		      size_t *len)
{
	char *end;

	*addr = strtoull(line, &end, 16);
	if (end == line || end[0] != ' ' || !end[1] ||
	    !strchr("tTwW", end[1]) || end[2] != ' ')
		return 0;
	*name = end + 3;
	*len = strcspn(*name, " \t\n");
	return *len != 0;
}

/* Read F's text symbols into K: a first pass counts them and their
 * names' bytes, so the arrays are allocated once, at their size; a
 * second fills them (no more than counted, should the file change). */
static int ksyms_read(struct rec_ksyms *k, FILE *f)
{
	char line[1024];
	size_t n = 0, bytes = 0, len;
	const char *name;
	uint64_t addr;

	while (fgets(line, sizeof(line), f))
		if (ksym_parse(line, &addr, &name, &len)) {
			n++;
			bytes += len + 1;
		}
	if (ferror(f) || fseek(f, 0, SEEK_SET) < 0)
		return -EIO;
	if (bytes > UINT32_MAX)
		return -EFBIG;
	k->addr = malloc((n ? n : 1) * sizeof(*k->addr));
	k->name = malloc((n ? n : 1) * sizeof(*k->name));
	k->pool = malloc(bytes ? bytes : 1);
	if (!k->addr || !k->name || !k->pool)
		return -ENOMEM;
	while (fgets(line, sizeof(line), f) && k->n < n) {
		if (!ksym_parse(line, &addr, &name, &len) ||
		    k->pool_len + len + 1 > bytes)
			continue;
		memcpy(k->pool + k->pool_len, name, len);
		k->pool[k->pool_len + len] = 0;
		k->addr[k->n] = addr;
		k->name[k->n++] = (uint32_t)k->pool_len;
		k->pool_len += len + 1;
	}
	return ferror(f) ? -EIO : 0;
}

/* Sort addr and name together: an index permutation, applied once. */
static int idx_cmp(const void *a, const void *b, void *addr)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	uint64_t x = ((const uint64_t *)addr)[i];
	uint64_t y = ((const uint64_t *)addr)[j];

	if (x != y)
		return x < y ? -1 : 1;
	return i < j ? -1 : i > j; /* aliases keep the file's order */
}

static int ksyms_sort(struct rec_ksyms *k)
{
	uint32_t *idx = malloc(k->n * sizeof(*idx));
	uint64_t *a = malloc(k->n * sizeof(*a));
	uint32_t *nm = malloc(k->n * sizeof(*nm));

	if (!idx || !a || !nm) {
		free(idx);
		free(a);
		free(nm);
		return -ENOMEM;
	}
	for (size_t i = 0; i < k->n; i++)
		idx[i] = (uint32_t)i;
	qsort_r(idx, k->n, sizeof(*idx), idx_cmp, k->addr);
	for (size_t i = 0; i < k->n; i++) {
		a[i] = k->addr[idx[i]];
		nm[i] = k->name[idx[i]];
	}
	free(idx);
	free(k->addr);
	free(k->name);
	k->addr = a;
	k->name = nm;
	return 0;
}

struct rec_ksyms *rec_ksyms_load(const char *path)
{
	struct rec_ksyms *k = calloc(1, sizeof(*k));
	FILE *f = fopen(path, "re");
	int rc = 0, nonzero = 0;

	if (!k || !f) {
		rc = -errno;
		goto fail;
	}
	if ((rc = ksyms_read(k, f)) < 0)
		goto fail;
	for (size_t i = 0; i < k->n && !nonzero; i++)
		nonzero = k->addr[i] != 0;
	fclose(f);
	f = NULL;
	/* Addresses hidden (kptr_restrict, no CAP_SYSLOG): all read 0. */
	if (!nonzero) {
		rc = -EPERM;
		goto fail;
	}
	if ((rc = ksyms_sort(k)) < 0)
		goto fail;
	return k;
fail:
	if (f)
		fclose(f);
	rec_ksyms_free(k);
	errno = rc < 0 ? -rc : ENOMEM;
	return NULL;
}

size_t rec_ksyms_count(const struct rec_ksyms *k)
{
	return k->n;
}

const char *rec_ksyms_name(const struct rec_ksyms *k, uint64_t addr)
{
	size_t lo = 0, hi = k->n;

	/* The last symbol at or below ADDR. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k->addr[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	/* Of aliases (one address, several names), the first listed, as
	 * the kernel's own lookup answers. */
	while (lo > 1 && k->addr[lo - 2] == k->addr[lo - 1])
		lo--;
	return k->pool + k->name[lo - 1];
}

/* The innermost frames of a stack taken at sched_switch are the tracing
 * machinery's (the BPF program, bpf_trace_run, and the tracepoint's
 * iterator when more than one probe is attached; with one, __schedule
 * calls it directly): how many of them precede the kernel's own
 * __schedule, up to the outermost of them. */
#define STACKS_TRACE_MAX 8

static int trace_frame(const char *name)
{
	return !strcmp(name, "__traceiter_sched_switch") ||
	       !strcmp(name, "__bpf_trace_sched_switch") ||
	       !strncmp(name, "bpf_trace_run", 13);
}

static size_t trace_frames(const struct rec_ksyms *k, const uint64_t *ips,
			   size_t n)
{
	size_t skip = 0;

	for (size_t i = 0; i < n && i < STACKS_TRACE_MAX; i++) {
		const char *name = ips[i] ? rec_ksyms_name(k, ips[i] - 1) : NULL;

		if (name && trace_frame(name))
			skip = i + 1;
	}
	return skip;
}

size_t rec_stacks_fold(const struct rec_ksyms *k, const uint64_t *ips,
		       size_t n, char *out, size_t outlen)
{
	size_t len = 0, skip = trace_frames(k, ips, n);

	if (outlen)
		out[0] = 0;
	for (size_t i = n; i-- > skip;) {
		const char *name = ips[i] ? rec_ksyms_name(k, ips[i] - 1) : NULL;
		char hex[24];
		int w;

		if (!name) {
			snprintf(hex, sizeof(hex), "0x%" PRIx64, ips[i]);
			name = hex;
		}
		w = snprintf(len < outlen ? out + len : NULL,
			     len < outlen ? outlen - len : 0, "%s%s",
			     len ? ";" : "", name);
		len += (size_t)w;
	}
	return len;
}

struct rec_stacks *rec_stacks_new(const struct rec_ksyms *k, int map_fd,
				  uint32_t slots)
{
	struct rec_stacks *st = calloc(1, sizeof(*st));

	if (!st || !(st->seen = calloc((slots + 7) / 8, 1))) {
		free(st);
		errno = ENOMEM;
		return NULL;
	}
	st->k = k;
	st->fd = map_fd;
	st->slots = slots;
	return st;
}

void rec_stacks_free(struct rec_stacks *st)
{
	if (!st)
		return;
	free(st->seen);
	free(st);
}

uint64_t rec_stacks_missed(const struct rec_stacks *st)
{
	return st->missed;
}

int rec_stacks_note(struct rec_stacks *st, struct store_writer *w,
		    uint64_t ts, uint32_t cpu, uint32_t tid, uint32_t id)
{
	uint64_t ips[KS_STACK_DEPTH];
	uint32_t key = id - 1;
	struct ev_stack ev = {
		.ts = ts, .cpu = cpu, .tid = tid, .stack_id = id,
	};
	size_t n = 0, len;
	char *frames;
	int rc;

	if (!id || key >= st->slots || (st->seen[key / 8] & (1u << key % 8)))
		return 0;
	st->seen[key / 8] |= (uint8_t)(1u << key % 8);
	if (bpf_map_lookup_elem(st->fd, &key, ips) < 0) {
		st->missed++;
		return 0;
	}
	while (n < KS_STACK_DEPTH && ips[n])
		n++;
	len = rec_stacks_fold(st->k, ips, n, NULL, 0);
	if (!(frames = malloc(len + 1)))
		return -ENOMEM;
	rec_stacks_fold(st->k, ips, n, frames, len + 1);
	ev.frames = frames;
	rc = store_writer_append(w, EV_STACK, &ev);
	free(frames);
	return rc;
}
