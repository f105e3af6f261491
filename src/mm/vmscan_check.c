/*
 * Invariants of the LRU lists and the reclaim counters, checked after
 * every step in tests:
 * - each list is well linked (prev/next agree, head and tail are its
 *   ends) and holds as many pages as its size and its zones' sizes say;
 * - a page on a list is a user page of that list's node whose flags
 *   (PG_active, PG_swapbacked, PG_unevictable) name that list, PG_lru set;
 * - every page with PG_lru is on a list, so each page is on one list or
 *   none; PG_unevictable goes with PG_mlocked;
 * - NR_FILE_DIRTY, NR_WRITEBACK and NR_MLOCK count the flagged pages.
 */
#include "vmscan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "procs.h"

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static int check_list(const struct machine *m, unsigned node, enum lru_list lru, uint8_t *seen, uint32_t *zone_n,
		      char *why, size_t whylen)
{
	const struct lru_head *l = &node_lruvec(m, node)->lists[lru];
	uint32_t n = 0, prev = PFN_NONE;
	for (uint32_t pfn = l->head; pfn != PFN_NONE; pfn = m->frames[pfn].next) {
		if (pfn >= m->nr_frames || ++n > l->nr)
			return fail(why, whylen, "node %u %s: more pages linked than its size %u", node, lru_names[lru],
				    l->nr);
		const struct upage *u = page_user(m, pfn);
		if (!u)
			return fail(why, whylen, "node %u %s: frame 0x%x is not a user page", node, lru_names[lru], pfn);
		if (seen[pfn])
			return fail(why, whylen, "frame 0x%x is on two LRU lists (or twice on one)", pfn);
		seen[pfn] = 1;
		if (m->frames[pfn].prev != prev)
			return fail(why, whylen, "node %u %s: frame 0x%x has a wrong prev link", node, lru_names[lru], pfn);
		if (!(u->flags & PG_lru) || folio_lru_list(m, pfn) != lru || pfn_node(m, pfn) != node)
			return fail(why, whylen, "frame 0x%x is on node %u's %s but its flags or node say otherwise", pfn,
				    node, lru_names[lru]);
		zone_n[pfn_zone(m, pfn)->id * NR_LRU_LISTS + lru]++;
		prev = pfn;
	}
	if (n != l->nr || l->tail != prev)
		return fail(why, whylen, "node %u %s: size %u but %u pages linked, or a wrong tail", node, lru_names[lru],
			    l->nr, n);
	return 0;
}

int check_vmscan(const struct machine *m, char *why, size_t whylen)
{
	uint8_t *seen = calloc(m->nr_frames, 1);
	uint32_t *zone_n = calloc(machine_nr_zones(m) * NR_LRU_LISTS, 4);
	int rc = 0;
	if (!seen || !zone_n)
		abort();
	for (unsigned node = 0; node < m->nr_nodes && !rc; node++)
		for (unsigned lru = 0; lru < NR_LRU_LISTS && !rc; lru++)
			rc = check_list(m, node, lru, seen, zone_n, why, whylen);
	for (unsigned z = 0; z < machine_nr_zones(m) && !rc; z++)
		for (unsigned lru = 0; lru < NR_LRU_LISTS && !rc; lru++)
			if (zone_lru(m, z)[lru] != zone_n[z * NR_LRU_LISTS + lru])
				rc = fail(why, whylen, "zone %u counts %u pages on %s, its pages there are %u", z,
					  zone_lru(m, z)[lru], lru_names[lru], zone_n[z * NR_LRU_LISTS + lru]);
	uint32_t dirty = 0, writeback = 0, mlock = 0;
	for (uint32_t pfn = 0; pfn < m->nr_frames && !rc; pfn++) {
		const struct upage *u = page_user(m, pfn);
		if (!u)
			continue;
		if ((u->flags & PG_lru) && !seen[pfn])
			rc = fail(why, whylen, "frame 0x%x has PG_lru but is on no LRU list", pfn);
		else if ((u->flags & PG_unevictable) && !(u->flags & PG_mlocked))
			rc = fail(why, whylen, "frame 0x%x is unevictable but not mlocked", pfn);
		dirty += folio_accounts_dirty(m, pfn) && (u->flags & PG_dirty);
		writeback += (u->flags & PG_writeback) != 0;
		mlock += (u->flags & PG_mlocked) != 0;
	}
	const struct vmscan_root *r = vmscan_root(m);
	if (!rc && (dirty != r->nr_dirty || writeback != r->nr_writeback || mlock != r->nr_mlock))
		rc = fail(why, whylen, "Dirty %u, Writeback %u, Mlocked %u pages counted; the pages say %u, %u, %u",
			  r->nr_dirty, r->nr_writeback, r->nr_mlock, dirty, writeback, mlock);
	free(seen);
	free(zone_n);
	return rc;
}
