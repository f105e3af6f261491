/*
 * /proc/meminfo as fs/proc/meminfo.c prints it (a 16-column label, the value
 * in kB right-aligned in 8), for the fields the model has; the LRU lines
 * are the lists' sizes (vmscan.h), Dirty and Writeback NR_FILE_DIRTY and
 * NR_WRITEBACK, Mlocked NR_MLOCK; AnonPages is
 * NR_ANON_MAPPED, Cached NR_FILE_PAGES (the swap cache is apart, in
 * SwapCached, as the kernel subtracts it), Mapped NR_FILE_MAPPED, Shmem
 * NR_SHMEM (shmem pages are in the page cache, so in Cached too), SwapTotal
 * and SwapFree total_swap_pages and nr_swap_pages.  MemAvailable is
 * si_mem_available() with no reclaimable slab yet: free pages less
 * totalreserve_pages (calculate_totalreserve_pages), plus the page cache less
 * the smaller of half of it and the low watermarks; the page cache counted
 * there is the file LRU's, which shmem pages are not on (they are swap-backed).
 */
#include "proc.h"
#include "procs.h"
#include "slub.h"
#include "swap.h"
#include "vmalloc.h"
#include "vmscan.h"

static void show_kb(const struct machine *m, struct strbuf *out, const char *label, uint64_t pages)
{
	strbuf_printf(out, "%-16s%8llu kB\n", label, (unsigned long long)((pages << m->page_shift) >> 10));
}

uint64_t totalreserve_pages(const struct machine *m)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		uint64_t max = 0;
		for (unsigned j = z->type; j < MAX_NR_ZONES; j++)
			if (z->lowmem_reserve[j] > max)
				max = z->lowmem_reserve[j];
		max += z->wmark[WMARK_HIGH];
		total += max > z->managed ? z->managed : max;
	}
	return total;
}

void proc_meminfo(const struct machine *m, struct strbuf *out)
{
	uint64_t total = 0, free = 0, high_total = 0, high_free = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		total += z->managed;
		free += z->free_pages;
		if (z->type == ZONE_HIGHMEM) {
			high_total += z->managed;
			high_free += z->free_pages;
		}
	}
	uint64_t reserve = totalreserve_pages(m), wmark_low = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		wmark_low += m->zones[i].wmark[WMARK_LOW];
	/* si_mem_available: half the page cache, at least all but wmark_low
	 * of it, could be reclaimed */
	uint64_t pagecache = procs_root(m)->nr_file_pages - procs_root(m)->nr_shmem;
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	show_kb(m, out, "MemTotal:", total);
	show_kb(m, out, "MemFree:", free);
	show_kb(m, out, "MemAvailable:", (free > reserve ? free - reserve : 0) + pagecache);
	show_kb(m, out, "Cached:", procs_root(m)->nr_file_pages);
	show_kb(m, out, "SwapCached:", swap_root(m)->nr_swapcache);
	uint64_t lru[NR_LRU_LISTS];
	for (unsigned i = 0; i < NR_LRU_LISTS; i++)
		lru[i] = lru_pages(m, i);
	show_kb(m, out, "Active:", lru[LRU_ACTIVE_ANON] + lru[LRU_ACTIVE_FILE]);
	show_kb(m, out, "Inactive:", lru[LRU_INACTIVE_ANON] + lru[LRU_INACTIVE_FILE]);
	show_kb(m, out, "Active(anon):", lru[LRU_ACTIVE_ANON]);
	show_kb(m, out, "Inactive(anon):", lru[LRU_INACTIVE_ANON]);
	show_kb(m, out, "Active(file):", lru[LRU_ACTIVE_FILE]);
	show_kb(m, out, "Inactive(file):", lru[LRU_INACTIVE_FILE]);
	show_kb(m, out, "Unevictable:", lru[LRU_UNEVICTABLE]);
	show_kb(m, out, "Mlocked:", vmscan_root(m)->nr_mlock);
	if (arch_has_zone(m, ZONE_HIGHMEM)) {
		show_kb(m, out, "HighTotal:", high_total);
		show_kb(m, out, "HighFree:", high_free);
		show_kb(m, out, "LowTotal:", total - high_total);
		show_kb(m, out, "LowFree:", free - high_free);
	}
	show_kb(m, out, "SwapTotal:", swap_root(m)->total_swap_pages);
	show_kb(m, out, "SwapFree:", swap_root(m)->nr_swap_pages);
	show_kb(m, out, "Dirty:", vmscan_root(m)->nr_dirty);
	show_kb(m, out, "Writeback:", vmscan_root(m)->nr_writeback);
	show_kb(m, out, "AnonPages:", procs_root(m)->nr_anon);
	show_kb(m, out, "Mapped:", procs_root(m)->nr_file_mapped);
	show_kb(m, out, "Shmem:", procs_root(m)->nr_shmem);
	uint64_t reclaimable = slub_slab_pages(m, true), unreclaimable = slub_slab_pages(m, false);
	/* KReclaimable: reclaimable slab plus NR_KERNEL_MISC_RECLAIMABLE, of
	 * which the model has none */
	show_kb(m, out, "KReclaimable:", reclaimable);
	show_kb(m, out, "Slab:", reclaimable + unreclaimable);
	show_kb(m, out, "SReclaimable:", reclaimable);
	show_kb(m, out, "SUnreclaim:", unreclaimable);
	show_kb(m, out, "PageTables:", page_table_pages(m));
	strbuf_printf(out, "%-16s%8llu kB\n", "VmallocTotal:", (unsigned long long)(vmalloc_total(m) >> 10));
	show_kb(m, out, "VmallocUsed:", vmalloc_root(m)->nr_pages);
	show_kb(m, out, "VmallocChunk:", 0);
}
