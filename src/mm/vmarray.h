/*
 * An array that grows in place: address space is reserved once and pages
 * arrive as they are first touched (huge pages where the kernel allows), so
 * growing never copies and the journal's hot path only writes.
 */
#ifndef MM_VMARRAY_H
#define MM_VMARRAY_H

#include <stddef.h>

struct vmarray {
	char *base;
	size_t cap; /* bytes reserved */
};

/* Reserve `bytes` of address space on first use; aborts if none is left. */
void vmarray_reserve(struct vmarray *a, size_t bytes);
void vmarray_free(struct vmarray *a);

#endif
