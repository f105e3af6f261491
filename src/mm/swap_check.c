/*
 * Invariants of swap (check_swap, run after every step in tests):
 * - every swap PTE of a live task names a slot of a swap area whose count
 *   is at least 1, and each slot's count equals the swap PTEs naming it
 *   (found by a walk of every task's page tables); each mm's MM_SWAPENTS
 *   counts its swap PTEs;
 * - SWAP_HAS_CACHE is set exactly on the slots whose swap-table entry holds
 *   a page; that page is an anonymous page in state swapcache whose
 *   folio->swap is the slot, and every page in state swapcache is in the
 *   table at its slot (so no freed frame stays in the cache); SwapCached
 *   counts them;
 * - a shadow entry (workingset.c) sits only in a slot in use that caches
 *   no page (a swap PTE names it), and names a node of the machine;
 * - no swapped-out page is mapped present behind the slot's back: the only
 *   page a slot can name is its swap cache page (a page some mapper faulted
 *   back in, which others may still reach through their swap PTEs), and a
 *   slot no PTE and no cache holds keeps no data;
 * - per area: the header slot and the slots past the end are bad; each
 *   cluster's count is its slots in use and it sits on the list its count
 *   calls for, the lists well linked; inuse_pages counts the slots in use;
 *   total_swap_pages and nr_swap_pages are the sums over the areas taking
 *   slots.
 */
#include "swap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "procs.h"
#include "vmscan.h"

struct sck {
	char *why;
	size_t whylen;
	int rc;
	uint32_t *refs[MAX_SWAPFILES]; /* swap PTEs per slot */
	uint32_t pid, n;
};

static int fail(struct sck *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, c->whylen, fmt, ap);
	va_end(ap);
	c->rc = -1;
	return -1;
}

static void count_pte(struct machine *mm_, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)table;
	const struct machine *m = mm_;
	struct sck *c = arg;
	if (c->rc)
		return;
	uint64_t e = pte_to_swp_entry(m, *pte);
	const struct swap_info *si = swap_info_by_type(m, swp_type(e));
	uint64_t off = swp_offset(e);
	if (!si || !off || off >= si->max) {
		fail(c, "pid %u: the swap PTE at 0x%llx names type %u offset 0x%llx, no slot of a swap area", c->pid,
		     (unsigned long long)va, swp_type(e), (unsigned long long)off);
		return;
	}
	if (!(swap_count_at(m, e) & SWAP_COUNT_MASK) || swap_count_at(m, e) == SWAP_MAP_BAD) {
		fail(c, "pid %u: the swap PTE at 0x%llx names slot %u:0x%llx, whose count is 0", c->pid,
		     (unsigned long long)va, swp_type(e), (unsigned long long)off);
		return;
	}
	c->refs[swp_type(e)][off]++;
	c->n++;
}

static int check_lists(struct sck *c, const struct machine *m, const struct swap_info *si)
{
	uint32_t seen = 0;
	for (unsigned l = 0; l < NR_CLUSTER_LISTS; l++) {
		uint32_t prev = 0;
		for (uint32_t i = si->head[l]; i; i = swap_cluster_of(m, si, (uint64_t)(i - 1) * SWAPFILE_CLUSTER)->next) {
			const struct swap_cluster *cl = swap_cluster_of(m, si, (uint64_t)(i - 1) * SWAPFILE_CLUSTER);
			if (i > si->nr_clusters || cl->list != l || cl->prev != prev || ++seen > si->nr_clusters)
				return fail(c, "swap type %u: the %s cluster list is broken at cluster %u", si->type,
					    cluster_list_names[l], i - 1);
			unsigned want = !cl->count ? CLUSTER_FREE
				       : cl->count == SWAPFILE_CLUSTER ? CLUSTER_FULL : CLUSTER_NONFULL;
			if (want != l)
				return fail(c, "swap type %u: cluster %u with %u slots in use is on the %s list", si->type,
					    i - 1, cl->count, cluster_list_names[l]);
			prev = i;
		}
		if (prev != si->tail[l])
			return fail(c, "swap type %u: the %s list's tail is wrong", si->type, cluster_list_names[l]);
	}
	if (seen != si->nr_clusters)
		return fail(c, "swap type %u: %u of %u clusters are on a list", si->type, seen, si->nr_clusters);
	return 0;
}

static int check_area(struct sck *c, const struct machine *m, const struct swap_info *si, uint32_t *cached)
{
	uint32_t inuse = 0;
	for (uint32_t k = 0; k < si->nr_clusters; k++) {
		const struct swap_cluster *cl = swap_cluster_of(m, si, (uint64_t)k * SWAPFILE_CLUSTER);
		uint32_t used = 0;
		for (uint32_t s = 0; s < SWAPFILE_CLUSTER; s++) {
			uint64_t off = (uint64_t)k * SWAPFILE_CLUSTER + s;
			uint32_t v = cl->map[s];
			bool bad = off == 0 || off >= si->max;
			if (bad != (v == SWAP_MAP_BAD))
				return fail(c, "swap type %u: slot 0x%llx is %s but its count says %s", si->type,
					    (unsigned long long)off, bad ? "the header or past the end" : "usable",
					    v == SWAP_MAP_BAD ? "bad" : "usable");
			used += v != 0;
			if (bad)
				continue;
			inuse += v != 0;
			if ((v & SWAP_COUNT_MASK) != c->refs[si->type][off])
				return fail(c, "swap type %u: slot 0x%llx has count %u but %u swap PTEs name it", si->type,
					    (unsigned long long)off, v & SWAP_COUNT_MASK, c->refs[si->type][off]);
			bool shadow = slot_is_shadow(cl->table[s]), page = cl->table[s] && !shadow;
			if (!(v & SWAP_HAS_CACHE) != !page)
				return fail(c, "swap type %u: slot 0x%llx %s SWAP_HAS_CACHE but the swap cache %s",
					    si->type, (unsigned long long)off, v & SWAP_HAS_CACHE ? "has" : "lacks",
					    page ? "holds a page for it" : "holds no page for it");
			if (shadow && !(v & SWAP_COUNT_MASK))
				return fail(c, "swap type %u: slot 0x%llx holds a shadow entry but no swap PTE names it",
					    si->type, (unsigned long long)off);
			if (shadow && unpack_shadow(cl->table[s]).node >= m->nr_nodes)
				return fail(c, "swap type %u: slot 0x%llx's shadow entry names node %u of %u", si->type,
					    (unsigned long long)off, unpack_shadow(cl->table[s]).node, m->nr_nodes);
			if (!v && cl->disk[s])
				return fail(c, "swap type %u: free slot 0x%llx still holds data", si->type,
					    (unsigned long long)off);
			if (!page)
				continue;
			uint32_t pfn = cl->table[s] - 1;
			const struct upage *u = page_user(m, pfn);
			if (!u || frame_state(&m->frames[pfn]) != FS_SWAPCACHE || u->swap != swp_entry(si->type, off))
				return fail(c, "swap type %u: slot 0x%llx caches frame 0x%x, which is not its swap cache page",
					    si->type, (unsigned long long)off, pfn);
			(*cached)++;
		}
		if (used != cl->count)
			return fail(c, "swap type %u: cluster %u counts %u slots in use, %u are", si->type, k, cl->count,
				    used);
	}
	if (inuse != si->inuse_pages)
		return fail(c, "swap type %u: %u slots in use but inuse_pages %u", si->type, inuse, si->inuse_pages);
	return check_lists(c, m, si);
}

int check_swap(const struct machine *m, char *why, size_t whylen)
{
	if (!m->swap || !m->procs)
		return 0;
	struct sck c = {.why = why, .whylen = whylen};
	const struct swap_root *r = swap_root(m);
	uint32_t total = 0, free_ = 0, cached = 0, swapcache_frames = 0;
	for (unsigned t = 0; t < MAX_SWAPFILES; t++) {
		const struct swap_info *si = swap_info_by_type(m, t);
		if (si && !(c.refs[t] = calloc(si->max, sizeof(uint32_t)))) {
			fail(&c, "out of host memory");
			goto out;
		}
		if (si && (si->flags & SWP_WRITEOK)) {
			total += si->pages;
			free_ += si->pages - si->inuse_pages;
		}
	}
	const struct procs_root *pr = procs_root(m);
	for (uint32_t pid = 1; pid <= pr->tasks.n && !c.rc; pid++) {
		const struct mm_struct *mm = task_mm(m, pid);
		if (!mm)
			continue;
		c.pid = pid;
		c.n = 0;
		walk_swap_ptes((struct machine *)m, mm->asid, 0, mm->task_size, count_pte, &c);
		if (!c.rc && c.n != mm->swapents)
			fail(&c, "pid %u: %u swap PTEs but MM_SWAPENTS %u", pid, c.n, mm->swapents);
	}
	for (unsigned t = 0; t < MAX_SWAPFILES && !c.rc; t++) {
		const struct swap_info *si = swap_info_by_type(m, t);
		if (si)
			check_area(&c, m, si, &cached);
	}
	for (uint32_t pfn = 0; pfn < m->nr_frames && !c.rc; pfn++)
		swapcache_frames += frame_state(&m->frames[pfn]) == FS_SWAPCACHE;
	if (!c.rc && (cached != r->nr_swapcache || swapcache_frames != cached))
		fail(&c, "%u pages in the swap tables, %u frames in state swapcache, SwapCached %u", cached,
		     swapcache_frames, r->nr_swapcache);
	if (!c.rc && (total != r->total_swap_pages || free_ != r->nr_swap_pages))
		fail(&c, "the areas have %u slots, %u free, but total_swap_pages %u, nr_swap_pages %u", total, free_,
		     r->total_swap_pages, r->nr_swap_pages);
out:
	for (unsigned t = 0; t < MAX_SWAPFILES; t++)
		free(c.refs[t]);
	return c.rc;
}
