/*
 * An array that grows without copying: its pages live in a mapping that
 * mremap moves to a larger place when it fills (the kernel moves page-table
 * entries, not data), with huge pages advised, so the journal's hot path
 * only writes and a machine holds only the address space it has used.
 */
#ifndef MM_VMARRAY_H
#define MM_VMARRAY_H

#include <stdbool.h>
#include <stddef.h>

struct vmarray {
	char *base;
	size_t cap; /* bytes mapped */
};

/* Room for at least `bytes`; the base may move.  false, with the array as
 * it was, when the host has no memory or address space left. */
bool vmarray_fit(struct vmarray *a, size_t bytes);
void vmarray_free(struct vmarray *a);

#endif
