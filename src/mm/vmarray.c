#include "vmarray.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

void vmarray_reserve(struct vmarray *a, size_t bytes)
{
	if (a->base)
		return;
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		fprintf(stderr, "memstep: cannot reserve %zu MiB of address space for the journal\n", bytes >> 20);
		abort();
	}
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE); /* fewer faults while it fills */
#endif
	a->base = p;
	a->cap = bytes;
}

void vmarray_free(struct vmarray *a)
{
	if (a->base)
		munmap(a->base, a->cap);
	a->base = NULL;
	a->cap = 0;
}
