/*
 * /proc/buddyinfo and /proc/zoneinfo as mm/vmstat.c prints them
 * (frag_show_print, zoneinfo_show_print), for the fields the model has:
 * buddyinfo lists populated zones only; zoneinfo lists every zone of a node,
 * and stops after "protection" for an empty one.  The per-node stats block
 * (in the node's first populated zone, as the kernel prints it) and the zone
 * counters after the sizes come from one table each, node_rows and
 * zone_rows, in the kernel's order (enum node_stat_item and zone_stat_item,
 * as vmstat_text names them): a subsystem that keeps a counter adds its row
 * at its place.  Counters no subsystem keeps have no row and are left out,
 * not printed as zeros (docs/scenario-language.md lists them).  On a
 * machine of several nodes the model's counters are not kept per node: no
 * block.
 * The pagesets block lists each CPU's pcp (count, high, batch, high_min,
 * high_max) and the zone's stat threshold (calculate_normal_threshold).
 * /proc/pagetypeinfo as pagetypeinfo_show (without page_owner's mixed
 * block counts).
 */
#include "numa.h"
#include "proc.h"
#include "pageblock.h"
#include "pcp.h"
#include "pgtable.h"
#include "procs.h"
#include "slub.h"

uint64_t page_table_pages(const struct machine *m)
{
	uint64_t n = 0;
	if (!m->pt || !m->pt->fmt.depth)
		return 0;
	for (uint32_t id = 1; id <= pt_root(m)->mms.n; id++)
		if (pt_mm(m, id))
			n += pt_mm(m, id)->nr_tables;
	return n;
}

/* A counter of /proc/zoneinfo: its name and how the model knows it (z is
 * NULL for a node's counters). */
struct stat_row {
	const char *name;
	uint64_t (*get)(const struct machine *m, const struct zone *z);
};

static uint64_t slab_reclaimable(const struct machine *m, const struct zone *z)
{
	(void)z;
	return slub_slab_pages(m, true);
}
static uint64_t slab_unreclaimable(const struct machine *m, const struct zone *z)
{
	(void)z;
	return slub_slab_pages(m, false);
}
static uint64_t anon_pages(const struct machine *m, const struct zone *z)
{
	(void)z;
	return procs_root(m)->nr_anon;
}
static uint64_t file_mapped(const struct machine *m, const struct zone *z)
{
	(void)z;
	return procs_root(m)->nr_file_mapped;
}
static uint64_t file_pages(const struct machine *m, const struct zone *z)
{
	(void)z;
	return procs_root(m)->nr_file_pages;
}
static uint64_t shmem_pages(const struct machine *m, const struct zone *z)
{
	(void)z;
	return procs_root(m)->nr_shmem;
}
static uint64_t pt_pages(const struct machine *m, const struct zone *z)
{
	(void)z;
	return page_table_pages(m);
}
static uint64_t zone_free(const struct machine *m, const struct zone *z)
{
	(void)m;
	return z->free_pages;
}

/*
 * enum node_stat_item's counters the model keeps.  Still to come at their
 * places: nr_inactive_anon, nr_active_anon, nr_inactive_file,
 * nr_active_file, nr_unevictable before nr_slab_reclaimable (the LRU lists);
 * nr_isolated_*, workingset_*, then nr_dirty and nr_writeback between
 * nr_file_pages and nr_shmem; between nr_shmem and nr_page_table_pages the
 * hugepage counters, nr_vmscan_*, nr_dirtied, nr_written, nr_kernel_stack;
 * after it nr_swapcached and the rest.
 */
static const struct stat_row node_rows[] = {
	{"nr_slab_reclaimable", slab_reclaimable},
	{"nr_slab_unreclaimable", slab_unreclaimable},
	{"nr_anon_pages", anon_pages},
	{"nr_mapped", file_mapped},
	{"nr_file_pages", file_pages},
	{"nr_shmem", shmem_pages},
	{"nr_page_table_pages", pt_pages},
};

/*
 * enum zone_stat_item's counters the model keeps.  Still to come after
 * nr_free_pages_blocks: nr_zone_inactive_anon … nr_zone_unevictable (the
 * LRU lists), nr_zone_write_pending, nr_mlock, nr_zspages, nr_free_cma.
 * Then the NUMA events (numa.c), which the kernel prints in a loop of their
 * own right after these.
 */
/* NR_FREE_PAGES_BLOCKS (6.15 on): free pages in blocks of pageblock_order
 * or more, off the isolate lists, as __add_to_free_list counts them; from
 * the per-order, per-type block counts. */
static uint64_t free_pages_blocks(const struct machine *m, const struct zone *z)
{
	uint64_t n = 0;
	for (unsigned o = m->pageblock_order; o < m->max_order && o < MAX_ORDER_LIMIT; o++)
		n += (uint64_t)(z->free_area[o].nr_free - z->free_area[o].nr[MIGRATE_ISOLATE]) << o;
	return n;
}

static uint64_t numa_event(const struct machine *m, const struct zone *z, enum numa_stat s)
{
	return numa_stats(m, z->id)[s];
}
#define NUMA_GETTER(item)                                                      \
	static uint64_t get_##item(const struct machine *m, const struct zone *z) \
	{                                                                      \
		return numa_event(m, z, item);                                 \
	}
NUMA_GETTER(NUMA_HIT)
NUMA_GETTER(NUMA_MISS)
NUMA_GETTER(NUMA_FOREIGN)
NUMA_GETTER(NUMA_INTERLEAVE_HIT)
NUMA_GETTER(NUMA_LOCAL)
NUMA_GETTER(NUMA_OTHER)

static const struct stat_row zone_rows[] = {
	{"nr_free_pages", zone_free},
	{"nr_free_pages_blocks", free_pages_blocks},
	{"numa_hit", get_NUMA_HIT},
	{"numa_miss", get_NUMA_MISS},
	{"numa_foreign", get_NUMA_FOREIGN},
	{"numa_interleave", get_NUMA_INTERLEAVE_HIT},
	{"numa_local", get_NUMA_LOCAL},
	{"numa_other", get_NUMA_OTHER},
};

static void print_rows(const struct machine *m, const struct zone *z, const struct stat_row *rows, size_t n,
		       struct strbuf *out)
{
	for (size_t i = 0; i < n; i++)
		strbuf_printf(out, "\n      %-12s %llu", rows[i].name, (unsigned long long)rows[i].get(m, z));
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

/* zoneinfo's per-cpu block: each CPU's pageset and the zone's vmstat threshold. */
static void pagesets(const struct machine *m, const struct zone *z, struct strbuf *out)
{
	strbuf_printf(out, "\n  pagesets");
	for (unsigned c = 0; c < m->cfg.cpus; c++) {
		const struct per_cpu_pages *p = zone_pcp(m, z, c);
		strbuf_printf(out,
			      "\n    cpu: %u"
			      "\n              count:    %u"
			      "\n              high:     %u"
			      "\n              batch:    %u"
			      "\n              high_min: %u"
			      "\n              high_max: %u",
			      c, p->count, p->high, p->batch, p->high_min, p->high_max);
		strbuf_printf(out, "\n  vm stats threshold: %u", calculate_normal_threshold(m, z));
	}
}

/* /proc/pagetypeinfo, node by node (pagetypeinfo_show): free blocks per
 * list and order, then pageblocks per type counted from the zone's start. */
void proc_pagetypeinfo(const struct machine *m, struct strbuf *out)
{
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		strbuf_printf(out, "Page block order: %u\n", m->pageblock_order);
		strbuf_printf(out, "Pages per block:  %u\n\n", pageblock_nr_pages(m));
		strbuf_printf(out, "%-43s ", "Free pages count per migrate type at order");
		for (unsigned o = 0; o < m->max_order; o++)
			strbuf_printf(out, "%6u ", o);
		strbuf_printf(out, "\n");
		for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
			const struct zone *z = machine_zone(m, n, t);
			if (!zone_populated(z))
				continue;
			for (unsigned mt = 0; mt < MIGRATE_TYPES; mt++) {
				strbuf_printf(out, "Node %4u, zone %8s, type %12s ", n, zone_type_names[t],
					      migratetype_names[mt]);
				/* the kernel stops counting a list at 100000 */
				for (unsigned o = 0; o < m->max_order; o++) {
					uint32_t c = z->free_area[o].nr[mt];
					strbuf_printf(out, "%s%6u ", c >= 100000 ? ">" : "", c >= 100000 ? 100000 : c);
				}
				strbuf_printf(out, "\n");
			}
		}
		strbuf_printf(out, "\n%-23s", "Number of blocks type ");
		for (unsigned mt = 0; mt < MIGRATE_TYPES; mt++)
			strbuf_printf(out, "%12s ", migratetype_names[mt]);
		strbuf_printf(out, "\n");
		for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
			const struct zone *z = machine_zone(m, n, t);
			if (!zone_populated(z))
				continue;
			uint32_t count[MIGRATE_TYPES] = {0};
			for (uint64_t pfn = z->start_pfn; pfn < (uint64_t)z->start_pfn + z->spanned; pfn += pageblock_nr_pages(m))
				count[get_pageblock_migratetype(m, (uint32_t)pfn)]++;
			strbuf_printf(out, "Node %u, zone %8s ", n, zone_type_names[t]);
			for (unsigned mt = 0; mt < MIGRATE_TYPES; mt++)
				strbuf_printf(out, "%12u ", count[mt]);
			strbuf_printf(out, "\n");
		}
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
		if (first && m->nr_nodes == 1) {
			strbuf_printf(out, "\n  per-node stats");
			print_rows(m, NULL, node_rows, sizeof node_rows / sizeof node_rows[0], out);
		}
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
			print_rows(m, z, zone_rows, sizeof zone_rows / sizeof zone_rows[0], out);
			pagesets(m, z, out);
			strbuf_printf(out, "\n  node_unreclaimable:  %u", 0u);
			strbuf_printf(out, "\n  start_pfn:           %u", z->start_pfn);
		}
		strbuf_printf(out, "\n");
	}
}
