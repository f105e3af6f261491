/*
 * /proc/buddyinfo and /proc/zoneinfo as mm/vmstat.c prints them
 * (frag_show_print, zoneinfo_show_print), for the fields the model has:
 * buddyinfo lists populated zones only; zoneinfo lists every zone of a node,
 * and stops after "protection" for an empty one.
 */
#include "proc.h"

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
			strbuf_printf(out, "\n  node_unreclaimable:  %u", 0u);
			strbuf_printf(out, "\n  start_pfn:           %u", z->start_pfn);
		}
		strbuf_printf(out, "\n");
	}
}
