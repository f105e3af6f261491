/*
 * /proc/slabinfo, version 2.1, as mm/slab_common.c's slab_show prints it
 * with SLUB's get_slabinfo: every cache, newest first; objsize is the slot
 * size; the tunables are SLAB's and read 0; active_slabs equals num_slabs.
 * Simplified: active_objs counts the allocated objects exactly (SLUB
 * counts only the free objects on partial lists as free).
 */
#include "proc.h"
#include "slab.h"

void proc_slabinfo_slub(const struct machine *m, struct strbuf *out)
{
	strbuf_printf(out, "slabinfo - version: 2.1\n");
	strbuf_printf(out, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
			   " : tunables <limit> <batchcount> <sharedfactor>"
			   " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next) {
		const struct kmem_cache *k = cache_at(m, c);
		strbuf_printf(out, "%-17s %6u %6u %6u %4u %4u : tunables %4u %4u %4u : slabdata %6u %6u %6u\n",
			      cache_name(m, c), k->inuse, k->total_objects, k->size, k->objects, 1u << k->order, 0u,
			      0u, 0u, k->nr_slabs, k->nr_slabs, 0u);
	}
}
