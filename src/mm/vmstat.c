/*
 * /proc/buddyinfo and /proc/zoneinfo as mm/vmstat.c prints them
 * (frag_show_print, zoneinfo_show_print), for the fields the model has:
 * buddyinfo lists populated zones only; zoneinfo lists every zone of a node,
 * and stops after "protection" for an empty one.  The per-node stats block
 * (in the node's first populated zone, as the kernel prints it) holds only
 * the counters the model keeps, in the kernel's order; the LRU, dirty,
 * writeback, shmem, workingset and kernel-stack counters are left out, not
 * printed as zeros (docs/scenario-language.md lists them).  On a machine of
 * several nodes the model's counters are not kept per node: no block.
 */
#include "numa.h"
#include "proc.h"
#include "pgtable.h"
#include "procs.h"
#include "slub.h"

uint64_t page_table_pages(const struct machine *m)
{
	uint64_t n = 0;
	if (!m->pt || !m->pt->fmt.depth)
		return 0;
	for (uint32_t id = 1; id <= pt_root(m)->nr_mm; id++)
		if (pt_mm(m, id))
			n += pt_mm(m, id)->nr_tables;
	return n;
}

static void node_stats(const struct machine *m, struct strbuf *out)
{
	const struct procs_root *p = procs_root(m);
	const struct { const char *name; uint64_t v; } f[] = {
		{"nr_slab_reclaimable", slub_slab_pages(m, true)}, {"nr_slab_unreclaimable", slub_slab_pages(m, false)},
		{"nr_anon_pages", p->nr_anon},                     {"nr_mapped", p->nr_file_mapped},
		{"nr_file_pages", p->nr_file_pages},               {"nr_page_table_pages", page_table_pages(m)},
	};
	strbuf_printf(out, "\n  per-node stats");
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		strbuf_printf(out, "\n      %-12s %llu", f[i].name, (unsigned long long)f[i].v);
}

void proc_buddyinfo(const struct machine *m, struct strbuf *out)
{
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		if (!zone_populated(z))
			continue;
		strbuf_printf(out, "Node %u, zone %8s ", z->node, zone_type_names[z->type]);
		for (unsigned o = 0; o < m->max_order; o++)
			strbuf_printf(out, "%6u ", z->free_area[o].nr_free);
		strbuf_printf(out, "\n");
	}
}

void proc_zoneinfo(const struct machine *m, struct strbuf *out)
{
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		if (!arch_has_zone(m, z->type))
			continue;
		strbuf_printf(out, "Node %u, zone %8s", z->node, zone_type_names[z->type]);
		bool first = zone_populated(z);
		for (unsigned k = z->node * MAX_NR_ZONES; k < i && first; k++)
			first = !zone_populated(&m->zones[k]);
		if (first && m->nr_nodes == 1)
			node_stats(m, out);
		strbuf_printf(out,
			      "\n  pages free     %u"
			      "\n        boost    %u"
			      "\n        min      %u"
			      "\n        low      %u"
			      "\n        high     %u"
			      "\n        promo    %u"
			      "\n        spanned  %u"
			      "\n        present  %u"
			      "\n        managed  %u"
			      "\n        cma      %u",
			      z->free_pages, 0u, z->wmark[WMARK_MIN], z->wmark[WMARK_LOW], z->wmark[WMARK_HIGH],
			      z->wmark[WMARK_PROMO], z->spanned, z->present, z->managed, 0u);
		strbuf_printf(out, "\n        protection: (%u", z->lowmem_reserve[0]);
		for (unsigned t = 1; t < MAX_NR_ZONES; t++)
			if (arch_has_zone(m, t))
				strbuf_printf(out, ", %u", z->lowmem_reserve[t]);
		strbuf_printf(out, ")");
		if (zone_populated(z)) {
			strbuf_printf(out, "\n      %-12s %u", "nr_free_pages", z->free_pages);
			numa_zoneinfo(m, i, out);
			strbuf_printf(out, "\n  node_unreclaimable:  %u", 0u);
			strbuf_printf(out, "\n  start_pfn:           %u", z->start_pfn);
		}
		strbuf_printf(out, "\n");
	}
}
