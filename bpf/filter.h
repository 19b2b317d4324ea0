/*
 * filter.h - the capture filters' settings and keep rule, shared by the
 * BPF side (bpf/filter.bpf.h) and user space (record/filter.c), so that
 * both decide alike whether a syscall is kept.
 *
 *     if (ks_filter_keep(in_set, ks_failed(ret), dur, slower_ns, errors))
 *             ... store the call
 *
 * Plain C, no includes of its own: compiled by clang -target bpf and by
 * the host compiler after kscope_bpf.h.
 */
#ifndef KSCOPE_FILTER_H
#define KSCOPE_FILTER_H

/* --errors-only / --no-errors: which failed calls are kept for failing */
enum ks_errors {
	KS_ERRORS_ALL = 0, /* every failed call, whatever its duration */
	KS_ERRORS_ONLY,    /* failed calls only (and slower than, if given) */
	KS_ERRORS_NONE,    /* none for failing: they pass --slower-than or not */
};

/* --comm: which processes may start to match a name (rodata comm_mode) */
#define KS_COMM_OFF 0
#define KS_COMM_ANY 1  /* any process of the system */
#define KS_COMM_TREE 2 /* only those of the -p / CMD trees (map comm_tree) */
#define KS_COMM_NAMES 16 /* --comm names at most */

/* A return value is a failure when it is a negative errno, -4095..-1 (the
 * kernel's IS_ERR_VALUE range, which libc and strace use too). */
#define KS_ERRNO_MAX 4095

static inline __attribute__((always_inline)) int ks_failed(long long ret)
{
	return ret < 0 && ret >= -KS_ERRNO_MAX;
}

/* Keep a call of the selected set that took DUR ns (an unfinished one:
 * ran DUR ns so far, FAILED 0)? */
static inline __attribute__((always_inline)) int
ks_filter_keep(int failed, unsigned long long dur, unsigned long long slower_ns,
	       int errors)
{
	if (errors == KS_ERRORS_ONLY)
		return failed && dur >= slower_ns;
	return dur >= slower_ns || (failed && errors == KS_ERRORS_ALL);
}

#endif
