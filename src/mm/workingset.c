/*
 * Workingset detection (mm/workingset.c, Linux 6.18, CONFIG_LRU_GEN off):
 * - every lruvec counts nonresident_age: one tick per eviction and per
 *   activation (workingset_age_nonresident, called from
 *   workingset_eviction, workingset_refault, workingset_activation and
 *   vmscan's move_folios_to_lru for pages put back active);
 * - workingset_eviction: the reclaimed page's slot (page cache or swap
 *   table) keeps a shadow entry, the age at eviction packed with the node
 *   and PG_workingset (pack_shadow); the age then ticks;
 * - workingset_refault, when a fault or read finds a shadow where it
 *   looks for a page: the refault distance is the age now minus the age
 *   at eviction, the accesses the page would have needed to stay in
 *   memory with a longer inactive list; workingset_test_recent compares
 *   it with the pages that could have made room: the active file list,
 *   the inactive file list too for an anon page, and with free swap the
 *   active anon list (plus the inactive anon list for a file page).  A
 *   page within that distance is activated (WORKINGSET_ACTIVATE) and, if
 *   it was active before its eviction, marked PG_workingset, its refault
 *   charged to its type's reclaim cost (lru_note_cost_refault) and counted
 *   as WORKINGSET_RESTORE.
 * Simplifications: no memory cgroups, so the memcg id field is left out
 * of the shadow (the kernel packs it between the age and the node) and
 * the root lruvec of the node is the only one; a slot is 32 bits: bit 31
 * tags a shadow (the kernel's xa_value tag bit), then the age
 * (WS_EVICTION_BITS), the node (6 bits, MAX_NODES 64) and the workingset
 * bit; bucket_order as workingset_init computes it from the machine's
 * present pages.  No shadow-node shrinker (the model's page cache is an
 * array, without xa_nodes, so there is no workingset_nodes count either).
 */
#include "vmscan.h"
#include "swap.h"

#include "procs.h"

const char *const ws_refault_names[NR_WS_REFAULT] = {
	"too far: it could not have stayed resident, it starts inactive",
	"within the workingset: activated",
	"within the workingset and active before its eviction: activated, workingset restored",
};

uint32_t pack_shadow(unsigned node, uint32_t eviction, bool workingset)
{
	uint32_t v = eviction & WS_EVICTION_MASK;
	v = v << WS_NODES_SHIFT | node;
	v = v << 1 | workingset;
	return SHADOW_TAG | v;
}

struct shadow unpack_shadow(uint32_t shadow)
{
	uint32_t v = shadow & ~SHADOW_TAG;
	struct shadow s = {.workingset = v & 1};
	v >>= 1;
	s.node = v & ((1u << WS_NODES_SHIFT) - 1);
	s.eviction = v >> WS_NODES_SHIFT;
	return s;
}

unsigned workingset_bucket_order(const struct machine *m)
{
	uint64_t pages = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		pages += m->zones[i].present;
	unsigned max_order = 0; /* fls_long(totalram_pages() - 1) */
	for (uint64_t p = pages ? pages - 1 : 0; p; p >>= 1)
		max_order++;
	return max_order > WS_EVICTION_BITS ? max_order - WS_EVICTION_BITS : 0;
}

void workingset_age_nonresident(struct machine *m, unsigned node, uint64_t nr)
{
	struct lruvec *l = node_lruvec(m, node);
	jset64(&m->j, &l->nonresident_age, l->nonresident_age + nr);
}

uint32_t workingset_eviction(struct machine *m, uint32_t pfn)
{
	unsigned node = pfn_node(m, pfn);
	const struct upage *u = page_user(m, pfn);
	uint64_t age = node_lruvec(m, node)->nonresident_age;
	uint32_t eviction = (uint32_t)(age >> workingset_bucket_order(m));
	bool ws = (u->flags & PG_workingset) != 0;
	workingset_age_nonresident(m, node, 1);
	uint32_t shadow = pack_shadow(node, eviction, ws);
	EMIT(m, EV_WORKINGSET_EVICTION, pfn, node, (int64_t)(eviction & WS_EVICTION_MASK), ws, shadow,
	     !(u->flags & PG_swapbacked));
	return shadow;
}

bool workingset_test_recent(const struct machine *m, uint32_t shadow, bool file, struct refault_test *t)
{
	struct shadow s = unpack_shadow(shadow);
	const struct lruvec *l = node_lruvec(m, s.node < m->nr_nodes ? s.node : 0);
	t->workingset = s.workingset;
	t->eviction = (uint64_t)s.eviction << workingset_bucket_order(m);
	t->refault = l->nonresident_age;
	/* the unsigned difference survives the age wrapping past the mask */
	t->distance = (t->refault - t->eviction) & WS_EVICTION_MASK;
	uint64_t size = l->lists[LRU_ACTIVE_FILE].nr;
	if (!file)
		size += l->lists[LRU_INACTIVE_FILE].nr;
	if (can_reclaim_anon_pages(m)) { /* free swap: anon competes too */
		size += l->lists[LRU_ACTIVE_ANON].nr;
		if (file)
			size += l->lists[LRU_INACTIVE_ANON].nr;
	}
	t->workingset_size = size;
	t->recent = t->distance <= size;
	return t->recent;
}

void workingset_refault(struct machine *m, uint32_t pfn, uint32_t shadow, struct refault_test *t)
{
	struct upage *u = page_user(m, pfn);
	bool file = !(u->flags & PG_swapbacked);
	unsigned node = pfn_node(m, pfn);
	struct lruvec *l = node_lruvec(m, node);
	jset32(&m->j, &l->ws_refault[file], l->ws_refault[file] + 1);
	if (!workingset_test_recent(m, shadow, file, t))
		return;
	jset32(&m->j, &u->flags, u->flags | PG_active);
	workingset_age_nonresident(m, node, 1);
	jset32(&m->j, &l->ws_activate[file], l->ws_activate[file] + 1);
	if (t->workingset) { /* it was active before its eviction */
		jset32(&m->j, &u->flags, u->flags | PG_workingset);
		lru_note_cost(m, node, file, 1, 0); /* lru_note_cost_refault */
		jset32(&m->j, &l->ws_restore[file], l->ws_restore[file] + 1);
	}
}

void workingset_refault_emit(struct machine *m, uint32_t pfn, const struct refault_test *t)
{
	int how = !t->recent ? WS_REFAULT_FAR : t->workingset ? WS_REFAULT_RESTORE : WS_REFAULT_ACTIVATE;
	EMIT(m, EV_WORKINGSET_REFAULT, pfn, !(page_user(m, pfn)->flags & PG_swapbacked), (int64_t)t->eviction,
	     (int64_t)t->refault, (int64_t)t->distance, (int64_t)t->workingset_size, how);
}

void workingset_activation(struct machine *m, uint32_t pfn)
{
	workingset_age_nonresident(m, pfn_node(m, pfn), 1);
}
