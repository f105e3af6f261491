/* `info slabs`: the caches as slabtop lists them, with the CPU slab's
 * freelist, and the vmalloc areas (busy, then lazily freed). */
#include <stdio.h>

#include "commands.h"
#include "mm/slub.h"
#include "mm/vmalloc.h"

void info_slabs(const struct session *s, struct strbuf *out)
{
	const struct machine *m = session_machine(s);
	strbuf_printf(out, "%6s %6s %4s %8s %6s %8s %5s %s\n", "OBJS", "ACTIVE", "USE", "OBJ SIZE", "SLABS",
		      "OBJ/SLAB", "PAGES", "NAME");
	unsigned empty = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next) {
		const struct kmem_cache *k = cache_at(m, c);
		if (k->kmalloc && !k->total_objects) {
			empty++;
			continue;
		}
		unsigned use = k->total_objects ? k->inuse * 100 / k->total_objects : 0;
		char flags[160];
		slab_flags_format(k->flags, flags, sizeof flags);
		strbuf_printf(out, "%6u %6u %3u%% %7uB %6u %8u %5u %s (cpu %s, %u cpu partial, %u partial, %u full on the debug list)%s%s%s\n",
			      k->total_objects, k->inuse, use, k->size, k->nr_slabs, k->objects, 1u << k->order,
			      cache_name(m, c), k->cpu_slab ? "slab" : "none", k->nr_cpu_partial, k->nr_partial, k->nr_full,
			      *flags ? " " : "", flags, k->ctor ? " ctor" : "");
	}
	if (empty)
		strbuf_printf(out, "(%u empty kmalloc and boot caches)\n", empty);
	for (uint32_t o = vmalloc_root(m)->busy.head; o; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		strbuf_printf(out, "vmalloc 0x%llx-0x%llx %u pages:", (unsigned long long)vmap_start(a),
			      (unsigned long long)vmap_end(m, a), a->nr_pages);
		for (uint32_t i = 0; i < a->nr_pages && i < 16; i++)
			strbuf_printf(out, " %x", vmap_pages(m, a)[i]);
		strbuf_printf(out, "%s\n", a->nr_pages > 16 ? " ..." : "");
	}
	for (uint32_t o = vmalloc_root(m)->lazy.head; o; o = vmap_at(m, o)->next)
		strbuf_printf(out, "vmalloc 0x%llx-0x%llx freed at step %u, its range waiting for the lazy purge\n",
			      (unsigned long long)vmap_start(vmap_at(m, o)), (unsigned long long)vmap_end(m, vmap_at(m, o)),
			      vmap_at(m, o)->freed);
}
