/*
 * Booting the machine, as mm/mm_init.c and mm/memblock.c do it:
 * - zone ranges from the arch's limits (zone_sizes_init / free_area_init) or
 *   from an explicit layout, intersected with each node's share of memory;
 * - the reserved range (firmware, kernel image) is never given to the buddy;
 * - every other frame is handed to the buddy allocator in the largest aligned
 *   blocks that fit (__free_pages_memory), each added at the tail of its free
 *   list as __free_pages_core does (FPI_TO_TAIL), so lists start sorted by pfn;
 * - then min_free_kbytes, the watermarks and lowmem_reserve
 *   (init_per_zone_wmark_min), which also sets each pageset's batch and
 *   high (zone_pcp_update, pcp.c);
 * - every pageblock starts MIGRATE_MOVABLE (memmap_init_range), so the boot
 *   blocks all go to the movable lists; the per-cpu lists start empty.
 * A machine with a firmware memory map (memory_map=, e820.c) or a boot
 * phase (boot=true) boots through memblock (memblock.c): zones span from the
 * first to the last usable page with holes in them (present counts the pages
 * of memblock.memory, calculate_node_totalpages), frames in holes are
 * reserved (init_unavailable_range), and memblock_free_all hands the free
 * ranges over, at once or as the scenario's steps.
 * Simplifications: without a map memory is one contiguous range from address
 * 0 with no holes (spanned == present), and nodes split it evenly; a map
 * describes one node.
 */
#include "arena.h"
#include "machine.h"
#include "numa.h"
#include "memblock.h"
#include "page_alloc.h"
#include "pageblock.h"
#include "slab_alloc.h"
#include "pcp.h"
#include "subsys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), false)

static bool is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

static bool check_config(const struct mm_config *c, char *why, size_t whylen)
{
	if (!c->arch)
		return WHY("no architecture");
	if (slab_allocator_missing(c->slab, why, whylen))
		return false;
	if (!is_pow2(c->page_size) || c->page_size < 16 || c->page_size > 65536)
		return WHY("page_size must be a power of two from 16 to 65536 bytes, not %u", c->page_size);
	if (c->memory == 0 || c->memory % c->page_size)
		return WHY("memory (%llu bytes) must be a positive multiple of the page size (%u)",
			   (unsigned long long)c->memory, c->page_size);
	if (c->memory / c->page_size > MAX_FRAMES)
		return WHY("memory of %llu pages is more than the %u pages memstep models",
			   (unsigned long long)(c->memory / c->page_size), MAX_FRAMES);
	if (c->max_order < 1 || c->max_order > MAX_ORDER_LIMIT)
		return WHY("max_order (the number of orders) must be from 1 to %d, not %u", MAX_ORDER_LIMIT,
			   c->max_order);
	if (c->nodes < 1 || c->nodes > MAX_NODES)
		return WHY("nodes must be from 1 to %d, not %u", MAX_NODES, c->nodes);
	if (c->memory / c->page_size < c->nodes)
		return WHY("%u nodes need at least one page each", c->nodes);
	if (c->cpus < 1 || c->cpus > 4096)
		return WHY("cpus must be from 1 to 4096, not %u", c->cpus);
	if (c->reserved % c->page_size || c->reserved >= c->memory)
		return WHY("reserved must be a multiple of the page size and less than memory");
	if (c->toy.depth && c->page_size != 1u << c->toy.offset_bits)
		return WHY("the toy arch's %u offset bits make %u-byte pages, not %u", c->toy.offset_bits,
			   1u << c->toy.offset_bits, c->page_size);
	if (c->tlb_ways && (c->tlb_entries % c->tlb_ways || c->tlb_ways > c->tlb_entries))
		return WHY("tlb: %u ways do not divide %u entries", c->tlb_ways, c->tlb_entries);
	if (c->min_free_kbytes > 4 * 1024 * 1024)
		return WHY("min_free_kbytes is at most 4194304");
	return numa_check_config(c, why, whylen);
}

/* Upper byte limit of each zone type, cumulative in rank order. */
static bool zone_limits(const struct mm_config *c, uint64_t limit[MAX_NR_ZONES], char *why, size_t whylen)
{
	uint64_t at = 0;
	for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
		if (!c->zones_given) {
			uint64_t l = c->arch->zone_limit[t];
			at = l == 0 ? at : (l > c->memory ? c->memory : l);
			/* Movable is populated only when asked for. */
			limit[t] = t == ZONE_MOVABLE ? limit[t - 1] : at;
			continue;
		}
		if (c->zone_size[t] && !c->arch->zone_limit[t])
			return WHY("%s has no %s zone", c->arch->name, zone_type_names[t]);
		if (c->zone_size[t] % c->page_size)
			return WHY("zone %s size must be a multiple of the page size", zone_type_names[t]);
		at += c->zone_size[t];
		limit[t] = at;
	}
	if (c->zones_given && at != c->memory)
		return WHY("the zones add up to %llu bytes but memory is %llu", (unsigned long long)at,
			   (unsigned long long)c->memory);
	return true;
}

static void layout(struct machine *m, const uint64_t limit[MAX_NR_ZONES])
{
	uint64_t frames = m->nr_frames;
	for (unsigned n = 0; n < m->nr_nodes; n++) {
		uint32_t ns = (uint32_t)(frames * n / m->nr_nodes);
		uint32_t ne = (uint32_t)(frames * (n + 1) / m->nr_nodes);
		m->nodes[n].start_pfn = ns;
		m->nodes[n].spanned = ne - ns;
		uint32_t zs = 0;
		for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
			struct zone *z = machine_zone(m, n, t);
			uint32_t ze = (uint32_t)(limit[t] >> m->page_shift);
			uint32_t s = zs > ns ? zs : ns, e = ze < ne ? ze : ne;
			z->type = (uint8_t)t;
			z->node = (uint8_t)n;
			z->id = (uint16_t)(n * MAX_NR_ZONES + t);
			z->start_pfn = s < e ? s : (e > ns ? e : ns);
			z->spanned = z->present = s < e ? e - s : 0;
			for (unsigned o = 0; o < MAX_ORDER_LIMIT; o++)
				for (unsigned mt = 0; mt < MIGRATE_TYPES; mt++)
					z->free_area[o].free_list[mt].head = z->free_area[o].free_list[mt].tail = PFN_NONE;
			zs = ze > zs ? ze : zs;
		}
	}
}

/* Zones with holes (free_area_init_core on a map): each zone starts no
 * lower than the node's first usable page and counts only memblock.memory. */
static void layout_holes(struct machine *m)
{
	const struct memblock_type *mem = &memblock_root(m)->memory;
	uint32_t first = (uint32_t)((mem->regions[0].base + m->cfg.page_size - 1) >> m->page_shift);
	m->nodes[0].start_pfn = first;
	m->nodes[0].spanned = m->nr_frames - first;
	for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
		struct zone *z = machine_zone(m, 0, t);
		uint32_t e = z->start_pfn + z->spanned;
		uint32_t s = z->start_pfn > first ? z->start_pfn : first;
		z->start_pfn = s < e ? s : (e > first ? e : first);
		z->spanned = s < e ? e - s : 0;
		z->present = (uint32_t)memblock_memory_pages(m, z->start_pfn, z->start_pfn + z->spanned);
	}
}

static bool boot_with_memblock(const struct mm_config *c) { return c->nr_e820 || c->boot; }

/* Give [s, e) of zone z to the buddy allocator in maximal aligned blocks. */
static void free_range(struct machine *m, struct zone *z, uint32_t s, uint32_t e)
{
	while (s < e) {
		unsigned order = m->max_order - 1;
		while (order && ((s & ((1u << order) - 1)) || s + (1u << order) > e))
			order--;
		buddy_boot_free(m, z, s, order);
		s += 1u << order;
	}
}

static void boot_instant(struct machine *m);

struct machine *machine_new(const struct mm_config *cfg, char *why, size_t whylen)
{
	struct mm_config c = *cfg;
	if (!c.page_size && c.toy.depth)
		c.page_size = 1u << c.toy.offset_bits;
	if (!c.page_size && c.arch)
		c.page_size = c.arch->page_size;
	uint64_t limit[MAX_NR_ZONES];
	if (c.nr_e820 && c.arch && is_pow2(c.page_size) && !e820_prepare(&c, why, whylen))
		return NULL;
	if (!check_config(&c, why, whylen) || !zone_limits(&c, limit, why, whylen))
		return NULL;
	if (boot_with_memblock(&c) && (c.nodes != 1 || c.zones_given)) {
		snprintf(why, whylen, "%s describes one node with the arch's zones: nodes= and zones= do not combine with it",
			 c.nr_e820 ? "memory_map" : "boot");
		return NULL;
	}

	struct machine *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(why, whylen, "out of host memory");
		return NULL;
	}
	m->cfg = c;
	m->page_shift = (unsigned)__builtin_ctz(c.page_size);
	m->max_order = c.max_order;
	m->nr_frames = (uint32_t)(c.memory >> m->page_shift);
	m->nr_nodes = c.nodes;
	m->watermark_scale_factor = 10;
	m->frames = calloc(m->nr_frames, sizeof *m->frames);
	m->zones = calloc(machine_nr_zones(m), sizeof *m->zones);
	if (!m->frames || !m->zones) {
		machine_free(m);
		snprintf(why, whylen, "out of host memory");
		return NULL;
	}
	layout(m, limit);
	m->pageblock_order = pageblock_order_for(&c, m->page_shift);
	if (!pageblock_init(m) || !pcp_init(m)) {
		machine_free(m);
		snprintf(why, whylen, "out of host memory");
		return NULL;
	}
	memblock_setup(m);
	e820_memblock_setup(m);
	if (boot_with_memblock(&c)) {
		layout_holes(m);
		memblock_tile(m, 0, m->nr_frames, true);
		if (!c.boot)
			memblock_free_all(m, false);
	} else {
		boot_instant(m);
	}
	for (const struct mm_subsys *s = mm_subsystems; s->name; s++)
		if (s->init)
			s->init(m);
	zone_pcp_update(m); /* now that numa.c knows each CPU's node */
	return m;
}

/* The layout without memblock's steps (the default machines). */
static void boot_instant(struct machine *m)
{
	memblock_root(m)->booting = 0;
	uint32_t reserved = (uint32_t)(m->cfg.reserved >> m->page_shift);
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		struct zone *z = &m->zones[i];
		uint32_t s = z->start_pfn, e = z->start_pfn + z->spanned;
		uint32_t r = reserved > s ? (reserved < e ? reserved : e) : s;
		for (uint32_t pfn = s; pfn < r; pfn++)
			m->frames[pfn].info = frame_info(FS_RESERVED, 0);
		z->managed = e - r;
		free_range(m, z, r, e);
	}
	init_per_zone_wmark_min(m);
}

void machine_free(struct machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->narenas; i++)
		arena_free(m->arenas[i]);
	free(m->arenas);
	for (const struct mm_subsys *s = mm_subsystems; s->name; s++)
		if (s->free)
			s->free(m);
	journal_free(&m->j);
	pcp_free(m);
	free(m->pageblock_flags);
	free(m->frames);
	free(m->zones);
	free(m);
}
