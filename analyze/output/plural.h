/*
 * plural.h - the words after a count: singular for one, plural else, so
 * that a message reads "1 call was" and "2 calls were".
 *
 *     printf("%" PRIu64 " %s still running", n,
 *            plural(n, "call was", "calls were"));
 *
 * Every message that puts a noun (or a noun and its verb) after a count
 * it does not know in advance picks the words here.
 */
#ifndef KSCOPE_PLURAL_H
#define KSCOPE_PLURAL_H

#include <stdint.h>

/* ONE when N is 1, else MANY. */
static inline const char *plural(uint64_t n, const char *one,
				 const char *many)
{
	return n == 1 ? one : many;
}

#endif
