#include "vmarray.h"

#include <sys/mman.h>

#define FIRST_MAP (4u << 20)  /* bytes mapped at first use */
#define HUGE_FROM (16u << 20) /* huge pages pay only once a journal grows */

bool vmarray_fit(struct vmarray *a, size_t bytes)
{
	if (bytes <= a->cap)
		return true;
	size_t cap = a->cap ? a->cap : FIRST_MAP;
	while (cap < bytes)
		cap *= 4;
	void *p = a->base ? mremap(a->base, a->cap, cap, MREMAP_MAYMOVE)
			  : mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return false; /* the old mapping stays as it was */
#ifdef MADV_HUGEPAGE
	if (cap >= HUGE_FROM)
		madvise(p, cap, MADV_HUGEPAGE); /* fewer faults while it fills */
#endif
	a->base = p;
	a->cap = cap;
	return true;
}

void vmarray_free(struct vmarray *a)
{
	if (a->base)
		munmap(a->base, a->cap);
	a->base = NULL;
	a->cap = 0;
}
