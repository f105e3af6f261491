/* The slab allocators' table (slab_alloc.h): one row each, chosen by
 * machine{slab=}. */
#include "slab_alloc.h"

#include <stdio.h>
#include <string.h>

#include "slub.h"

const char *const slab_allocator_names[NR_SLAB_ALLOCATORS] = {"slub", "slab", "slob"};

/* What each name models, for the refusal of one not plugged in. */
static const char *const slab_allocator_files[NR_SLAB_ALLOCATORS] = {
	"mm/slub.c (Linux 6.18)",
	"mm/slab.c (Linux 6.7, its last version)",
	"mm/slob.c (Linux 6.3, its last version)",
};

const struct slab_allocator *const slab_allocators[NR_SLAB_ALLOCATORS] = {
	[SLAB_ALLOCATOR_SLUB] = &slub_allocator,
};

int slab_allocator_by_name(const char *name)
{
	for (int i = 0; i < NR_SLAB_ALLOCATORS; i++)
		if (strcmp(slab_allocator_names[i], name) == 0)
			return i;
	return -1;
}

int slab_allocator_missing(unsigned id, char *why, size_t whylen)
{
	if (id >= NR_SLAB_ALLOCATORS) {
		snprintf(why, whylen, "slab allocator %u does not exist (slub, slab, slob)", id);
		return -1;
	}
	if (slab_allocators[id])
		return 0;
	char have[64] = "";
	for (unsigned i = 0; i < NR_SLAB_ALLOCATORS; i++)
		if (slab_allocators[i])
			snprintf(have + strlen(have), sizeof have - strlen(have), "%s\"%s\"", *have ? ", " : "",
				 slab_allocator_names[i]);
	snprintf(why, whylen, "slab=\"%s\": %s is not modelled yet (slab= can be %s)", slab_allocator_names[id],
		 slab_allocator_files[id], have);
	return -1;
}

const struct slab_allocator *slab_allocator(const struct machine *m)
{
	return m->slub->ops;
}

void proc_slabinfo(const struct machine *m, struct strbuf *out)
{
	const struct slab_allocator *a = slab_allocator(m);
	if (a->slabinfo)
		a->slabinfo(m, out);
}
