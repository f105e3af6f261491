/*
 * /proc/slabinfo, version 2.1, as mm/slab_common.c's slab_show prints it
 * with SLUB's get_slabinfo: every cache, newest first; objsize is the slot
 * size; the tunables are SLAB's and read 0; active_slabs equals num_slabs.
 * Simplified: active_objs counts the allocated objects exactly (SLUB
 * counts only the free objects on partial lists as free).
 */
#include "proc.h"
#include "slab.h"

/* print_slabinfo_header, and slab_show's line */
void slabinfo_header(struct strbuf *out)
{
	strbuf_printf(out, "slabinfo - version: 2.1\n");
	strbuf_printf(out, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
			   " : tunables <limit> <batchcount> <sharedfactor>"
			   " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
}

void slabinfo_line(struct strbuf *out, const char *name, const uint32_t v[11])
{
	strbuf_printf(out, "%-17s %6u %6u %6u %4u %4u : tunables %4u %4u %4u : slabdata %6u %6u %6u\n", name,
		      v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
}

void proc_slabinfo_slub(const struct machine *m, struct strbuf *out)
{
	slabinfo_header(out);
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next) {
		const struct kmem_cache *k = cache_at(m, c);
		slabinfo_line(out, cache_name(m, c),
			      (const uint32_t[11]){k->inuse, k->total_objects, k->size, k->objects, 1u << k->order, 0, 0,
						   0, k->nr_slabs, k->nr_slabs, 0});
	}
}
