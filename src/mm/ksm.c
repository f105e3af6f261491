/*
 * Kernel samepage merging (mm/ksm.c, Linux 6.18).
 * - MADV_MERGEABLE sets VM_MERGEABLE on the range's VMAs (ksm_madvise) and
 *   puts the mm on ksmd's list (__ksm_enter: an mm_slot just behind the
 *   scan cursor, so a new mm settles before it is scanned);
 *   MADV_UNMERGEABLE breaks every merged page of the range first
 *   (unmerge_ksm_pages: break_ksm, an unsharing fault per KSM page), then
 *   clears the flag.
 * - ksmd's ksm_do_scan takes pages from scan_get_next_rmap_item: the
 *   mm_slots in list order, each mm's VM_MERGEABLE VMAs by address, each
 *   present anonymous page; get_next_rmap_item keeps the mm's rmap_items
 *   sorted by address and frees those whose page went.  A pass starts by
 *   emptying the unstable tree; at its end seqnr (full_scans) goes up and
 *   the batch stops.  An mm left with no mergeable VMA or exited loses its
 *   slot.
 * - cmp_and_merge_page: stable_tree_search by content (a KSM page finds
 *   itself); a hit merges the page into the KSM page
 *   (try_to_merge_with_ksm_page: write_protect_page, replace_page maps the
 *   KSM page read-only and frees the duplicate, stable_tree_append).  No
 *   hit: calc_checksum; a page whose checksum changed since the last pass
 *   is volatile and goes no further; else unstable_tree_search_insert
 *   either inserts it or finds its twin, and try_to_merge_two_pages makes
 *   the current page the KSM page (stable_tree_insert) and merges the twin
 *   into it.
 * - remove_rmap_item_from_tree takes an item off its stable node (or the
 *   unstable tree, if inserted this pass: seqnr) before it is rescanned; a
 *   stable node whose page has gone is removed when met (ksm_get_folio).
 * - rmap_walk_ksm: a KSM page's mappings are found through its rmap_items'
 *   anon_vmas, own mm first, then forks.
 * Counters as the kernel keeps them: pages_shared (stable nodes with
 * items), pages_sharing (the other items on them), pages_unshared (items
 * in an unstable tree), rmap_items; pages_volatile and general_profit
 * derive from them (ksm_sysfs.c).
 * Simplifications: the trees are treaps (treap.c) ordered by the content
 * word; the unstable tree orders by the content an item had when it was
 * inserted and a match is checked against the page's content now (the
 * kernel compares live pages and may walk a corrupted unstable tree).  No
 * stable_node chains (max_page_sharing), no smart_scan skipping, no
 * use_zero_pages, no NUMA split of the trees, no ksmd sleep (a scenario
 * calls ksmd()).  The stable node is made as soon as the first page of a
 * pair is write-protected, before its twin is merged, so that every step
 * leaves the reverse map whole.  KSM pages are not swapped out or migrated.
 */
#include "ksm.h"

#include <stddef.h>
#include <stdlib.h>

#include "page_alloc.h"
#include "swap.h"

static void *at(const struct machine *m, uint32_t off) { return procs_ptr(m, off); }

static bool key_before(const struct machine *m, uint32_t a, uint32_t b, size_t keyoff)
{
	return *(const uint64_t *)((const char *)at(m, a) + keyoff) <
	       *(const uint64_t *)((const char *)at(m, b) + keyoff);
}
static bool stable_before(const struct machine *m, uint32_t a, uint32_t b)
{
	return key_before(m, a, b, offsetof(struct ksm_stable_node, key));
}
static bool unstable_before(const struct machine *m, uint32_t a, uint32_t b)
{
	return key_before(m, a, b, offsetof(struct ksm_rmap_item, key));
}
static bool no_augment(struct machine *m, uint32_t x) { return (void)m, (void)x, false; }
static const struct treap stable_tree = {offsetof(struct ksm_stable_node, node), stable_before, no_augment};
static const struct treap unstable_tree = {offsetof(struct ksm_rmap_item, node), unstable_before, no_augment};

void ksm_init(struct machine *m)
{
	uint32_t off = arena_alloc(m, &m->procs->arena, sizeof(struct ksm_state));
	procs_root(m)->ksm = off;
	uint32_t head = arena_alloc(m, &m->procs->arena, sizeof(struct ksm_mm_slot));
	struct ksm_state *s = ksm_state(m);
	s->head = s->scan_slot = head;
	slot_at(m, head)->prev = slot_at(m, head)->next = head;
	s->pages_to_scan = 100;  /* the kernel's defaults */
	s->sleep_millisecs = 20;
}

bool page_ksm(const struct machine *m, uint32_t pfn)
{
	const struct upage *u = page_user(m, pfn);
	return u && (u->flags & PG_ksm);
}

/* calc_checksum: the kernel hashes the page with xxhash; here a 32-bit
 * mix of the content word. */
static uint32_t calc_checksum(uint64_t content)
{
	content ^= content >> 33;
	content *= 0xff51afd7ed558ccdull;
	content ^= content >> 33;
	return (uint32_t)content;
}

/* ---- mm slots ---- */

static void slot_insert_before(struct machine *m, uint32_t x, uint32_t before)
{
	struct ksm_mm_slot *b = slot_at(m, before), *s = slot_at(m, x);
	jset32(&m->j, &s->next, before);
	jset32(&m->j, &s->prev, b->prev);
	jset32(&m->j, &slot_at(m, b->prev)->next, x);
	jset32(&m->j, &b->prev, x);
}

static void slot_unlink(struct machine *m, uint32_t x)
{
	struct ksm_mm_slot *s = slot_at(m, x);
	jset32(&m->j, &slot_at(m, s->prev)->next, s->next);
	jset32(&m->j, &slot_at(m, s->next)->prev, s->prev);
}

/* __ksm_enter: behind the scan cursor (at the list's tail when no pass
 * is under way). */
static void ksm_enter(struct machine *m, uint32_t pid)
{
	struct mm_struct *mm = task_mm(m, pid);
	if (mm->ksm_slot)
		return;
	struct ksm_state *s = ksm_state(m);
	uint32_t x = procs_alloc(m, sizeof(struct ksm_mm_slot), &s->free_slot);
	jset32(&m->j, &slot_at(m, x)->mm, task_by_pid(m, pid)->mm);
	jset32(&m->j, &slot_at(m, x)->pid, pid);
	slot_insert_before(m, x, s->scan_slot);
	jset32(&m->j, &mm->ksm_slot, x);
	EMIT(m, EV_KSM_ENTER, pid);
}

void ksm_fork(struct machine *m, uint32_t parent, uint32_t child)
{
	if (task_mm(m, parent)->ksm_slot)
		ksm_enter(m, child);
}

/* ---- rmap_items, the stable and unstable trees ---- */

static void stable_node_remove(struct machine *m, uint32_t n);

/* ksm_get_folio: the node's page if it is still its KSM page; a stale
 * node (its page freed by the last unmapping) is removed. */
static bool ksm_get_page(struct machine *m, uint32_t n)
{
	uint32_t kpfn = node_at(m, n)->kpfn;
	const struct upage *u = page_user(m, kpfn);
	if (u && (u->flags & PG_ksm) && u->mapping == n)
		return true;
	stable_node_remove(m, n);
	return false;
}

static void item_leave_stable(struct machine *m, uint32_t x, bool last)
{
	struct ksm_state *s = ksm_state(m);
	struct ksm_rmap_item *it = item_at(m, x);
	if (last)
		jset32(&m->j, &s->pages_shared, s->pages_shared - 1);
	else
		jset32(&m->j, &s->pages_sharing, s->pages_sharing - 1);
	put_anon_vma(m, it->anon_vma);
	jset32(&m->j, &it->anon_vma, 0);
	jset32(&m->j, &it->head, 0);
	jset32(&m->j, &it->hnext, 0);
	jset64(&m->j, &it->address, it->address & ~(page_bytes(m) - 1));
}

/* remove_node_from_stable_tree */
static void stable_node_remove(struct machine *m, uint32_t n)
{
	struct ksm_state *s = ksm_state(m);
	struct ksm_stable_node *sn = node_at(m, n);
	uint32_t kpfn = sn->kpfn;
	for (uint32_t x = sn->hlist; x;) {
		uint32_t next = item_at(m, x)->hnext;
		item_leave_stable(m, x, !next);
		x = next;
	}
	treap_remove(m, &stable_tree, &s->stable_root, n);
	procs_release(m, n, &s->free_node);
	jset32(&m->j, &s->stable_nodes, s->stable_nodes - 1);
	EMIT(m, EV_KSM_STALE, kpfn);
}

static uint32_t item_pid(const struct machine *m, const struct ksm_rmap_item *it)
{
	return slot_at(m, it->mm_slot)->pid;
}

static void remove_rmap_item_from_tree(struct machine *m, uint32_t x)
{
	struct ksm_state *s = ksm_state(m);
	struct ksm_rmap_item *it = item_at(m, x);
	if (it->address & KSM_STABLE_FLAG) {
		uint32_t n = it->head;
		if (!ksm_get_page(m, n))
			return; /* the whole node went, this item with it */
		struct ksm_stable_node *sn = node_at(m, n);
		uint32_t *link = &sn->hlist;
		while (*link != x)
			link = &item_at(m, *link)->hnext;
		jset32(&m->j, link, it->hnext);
		jset32(&m->j, &sn->hlist_len, sn->hlist_len - 1);
		item_leave_stable(m, x, !sn->hlist);
		EMIT(m, EV_KSM_UNSTABLE_REMOVE, item_pid(m, it), (int64_t)(it->address), sn->kpfn, 1);
	} else if (it->address & KSM_UNSTABLE_FLAG) {
		unsigned age = (uint8_t)(s->seqnr - (uint8_t)(it->address & KSM_SEQNR_MASK));
		if (!age)
			treap_remove(m, &unstable_tree, &s->unstable_root, x);
		jset32(&m->j, &s->pages_unshared, s->pages_unshared - 1);
		jset64(&m->j, &it->address, it->address & ~(page_bytes(m) - 1));
		EMIT(m, EV_KSM_UNSTABLE_REMOVE, item_pid(m, it), (int64_t)(it->address), PFN_NONE, 0);
	}
}

static void free_rmap_item(struct machine *m, uint32_t x)
{
	struct ksm_state *s = ksm_state(m);
	jset32(&m->j, &s->rmap_items, s->rmap_items - 1); /* it has left its mm's list */
	remove_rmap_item_from_tree(m, x);
	procs_release(m, x, &s->free_item);
}

/* The cell holding the next item of the scan: the slot's list or an
 * item's link. */
static uint32_t *scan_link(const struct machine *m)
{
	struct ksm_state *s = ksm_state(m);
	return s->scan_link ? &item_at(m, s->scan_link)->rmap_list : &slot_at(m, s->scan_slot)->rmap_list;
}

/* remove_trailing_rmap_items */
static void remove_trailing(struct machine *m, uint32_t *link)
{
	while (*link) {
		uint32_t x = *link;
		jset32(&m->j, link, item_at(m, x)->rmap_list);
		free_rmap_item(m, x);
	}
}

static uint32_t get_next_rmap_item(struct machine *m, uint64_t addr)
{
	struct ksm_state *s = ksm_state(m);
	uint32_t *link = scan_link(m);
	while (*link) {
		uint32_t x = *link;
		struct ksm_rmap_item *it = item_at(m, x);
		if ((it->address & ~(page_bytes(m) - 1)) == addr)
			return x;
		if (it->address > addr)
			break;
		jset32(&m->j, link, it->rmap_list);
		free_rmap_item(m, x);
	}
	uint32_t x = procs_alloc(m, sizeof(struct ksm_rmap_item), &s->free_item);
	struct ksm_rmap_item *it = item_at(m, x);
	jset32(&m->j, &it->mm_slot, s->scan_slot);
	jset64(&m->j, &it->address, addr);
	jset32(&m->j, &it->rmap_list, *link);
	jset32(&m->j, link, x);
	jset32(&m->j, &s->rmap_items, s->rmap_items + 1);
	return x;
}

/* ---- merging ---- */

static uint32_t find_mergeable_vma(const struct machine *m, uint32_t pid, uint64_t addr)
{
	const struct mm_struct *mm = task_mm(m, pid);
	if (!mm)
		return 0;
	uint32_t v = find_vma(m, mm, addr);
	const struct vma *x = vma_at(m, v);
	if (!x || x->vm_start > addr || !(x->flags & VM_MERGEABLE) || !x->anon_vma)
		return 0;
	return v;
}

/* write_protect_page: refused when someone beyond the mappings (and the
 * swap cache) holds the page; else the PTE loses its write bit and the
 * page its exclusivity (folio_try_share_anon_rmap). */
static bool write_protect_page(struct machine *m, uint32_t pid, uint32_t v, uint64_t va, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	bool swapped = frame_state(&m->frames[pfn]) == FS_SWAPCACHE;
	if (u->refcount != u->mapcount + swapped || frame_isolated(&m->frames[pfn])) {
		EMIT(m, EV_KSM_WRPROTECT, pid, (int64_t)va, pfn, 0);
		return false;
	}
	jset32(&m->j, &u->flags, u->flags & ~PG_anon_exclusive);
	uint32_t asid = task_mm(m, pid)->asid;
	if (pte_writable(m, *pte_lookup(m, asid, va, NULL)))
		pt_protect(m, asid, va, vma_pte_prot(m, vma_at(m, v)->flags, false));
	EMIT(m, EV_KSM_WRPROTECT, pid, (int64_t)va, pfn, 1);
	return true;
}

/* stable_tree_append */
static void stable_tree_append(struct machine *m, uint32_t x, uint32_t n, uint32_t av)
{
	struct ksm_state *s = ksm_state(m);
	struct ksm_rmap_item *it = item_at(m, x);
	struct ksm_stable_node *sn = node_at(m, n);
	get_anon_vma(m, av);
	jset32(&m->j, &it->anon_vma, av);
	jset32(&m->j, &it->head, n);
	jset64(&m->j, &it->address, it->address | KSM_STABLE_FLAG);
	jset32(&m->j, &it->hnext, sn->hlist);
	if (sn->hlist)
		jset32(&m->j, &s->pages_sharing, s->pages_sharing + 1);
	else
		jset32(&m->j, &s->pages_shared, s->pages_shared + 1);
	jset32(&m->j, &sn->hlist, x);
	jset32(&m->j, &sn->hlist_len, sn->hlist_len + 1);
}

/* stable_tree_insert, and the page becomes PageKsm with it. */
static uint32_t stable_tree_insert(struct machine *m, uint32_t kpfn)
{
	struct ksm_state *s = ksm_state(m);
	struct upage *u = page_user(m, kpfn);
	uint32_t n = procs_alloc(m, sizeof(struct ksm_stable_node), &s->free_node);
	jset32(&m->j, &node_at(m, n)->kpfn, kpfn);
	jset64(&m->j, &node_at(m, n)->key, u->content);
	treap_insert(m, &stable_tree, &s->stable_root, n);
	jset32(&m->j, &s->stable_nodes, s->stable_nodes + 1);
	jset32(&m->j, &u->mapping, n);
	jset32(&m->j, &u->flags, u->flags | PG_ksm | PG_dirty); /* the KSM page must be swapped, not dropped */
	return n;
}

/* replace_page: the PTE maps the KSM page read-only; the duplicate loses
 * its mapping and its reference (freed if that was the last). */
static void replace_page(struct machine *m, uint32_t pid, uint32_t v, uint64_t va, uint32_t x, uint32_t pfn,
			 uint32_t kpfn)
{
	struct upage *k = page_user(m, kpfn);
	jset32(&m->j, &k->refcount, k->refcount + 1);
	rmap_add(m, pid, kpfn);
	stable_tree_append(m, x, k->mapping, vma_at(m, v)->anon_vma);
	rmap_remove(m, pid, pfn);
	pt_remap(m, task_mm(m, pid)->asid, va, kpfn, vma_pte_prot(m, vma_at(m, v)->flags, false));
	EMIT(m, EV_KSM_MERGE, pid, (int64_t)va, pfn, kpfn, k->mapcount);
	if (!page_user(m, pfn)->mapcount)
		folio_free_swap(m, pfn);
	put_page(m, pfn);
}

/* try_to_merge_with_ksm_page for a KSM page (kpfn) or, with kpfn
 * PFN_NONE, making pfn a KSM page.  True when merged. */
static bool merge_item(struct machine *m, uint32_t x, uint32_t pfn, uint32_t kpfn)
{
	struct ksm_rmap_item *it = item_at(m, x);
	uint32_t pid = item_pid(m, it);
	uint64_t va = it->address & ~(page_bytes(m) - 1);
	uint32_t v = find_mergeable_vma(m, pid, va);
	if (!v)
		return false;
	if (pfn == kpfn) { /* a forked KSM page: only the item joins */
		remove_rmap_item_from_tree(m, x);
		stable_tree_append(m, x, page_user(m, kpfn)->mapping, vma_at(m, v)->anon_vma);
		EMIT(m, EV_KSM_MERGE, pid, (int64_t)va, pfn, kpfn, page_user(m, kpfn)->mapcount);
		return true;
	}
	if (kpfn != PFN_NONE && page_user(m, pfn)->content != page_user(m, kpfn)->content)
		return false; /* pages_identical */
	if (!write_protect_page(m, pid, v, va, pfn))
		return false;
	remove_rmap_item_from_tree(m, x);
	if (kpfn == PFN_NONE) {
		uint32_t n = stable_tree_insert(m, pfn);
		stable_tree_append(m, x, n, vma_at(m, v)->anon_vma);
		EMIT(m, EV_KSM_STABLE_INSERT, pfn, (int64_t)page_user(m, pfn)->content, pid, (int64_t)va);
		return true;
	}
	replace_page(m, pid, v, va, x, pfn, kpfn);
	return true;
}

/* break_cow / break_ksm: an unsharing fault gives the address its own
 * copy of the KSM page. */
static void break_ksm(struct machine *m, uint32_t pid, uint64_t va)
{
	const struct mm_struct *mm = task_mm(m, pid);
	const uint64_t *pte = pte_lookup(m, mm->asid, va, NULL);
	if (pte && pte_present(m, *pte) && page_ksm(m, pte_pfn(m, *pte)))
		fault_unshare(m, pid, va);
}

/* stable_tree_search: the KSM page with the page's content, stale nodes
 * removed on the way (the kernel then restarts the walk). */
static uint32_t stable_tree_search(struct machine *m, uint32_t pfn)
{
	const struct upage *u = page_user(m, pfn);
	if (u->flags & PG_ksm)
		return pfn;
	struct ksm_state *s = ksm_state(m);
again:
	for (uint32_t n = s->stable_root; n;) {
		if (!ksm_get_page(m, n))
			goto again;
		const struct ksm_stable_node *sn = node_at(m, n);
		EMIT(m, EV_KSM_TREE_CMP, pfn, sn->kpfn, (int64_t)u->content, (int64_t)sn->key, 1);
		if (u->content == sn->key)
			return sn->kpfn;
		n = u->content < sn->key ? sn->node.left : sn->node.right;
	}
	return PFN_NONE;
}

/* get_mergeable_page: the anonymous page an item's address maps, if any. */
static uint32_t get_mergeable_page(const struct machine *m, const struct ksm_rmap_item *it)
{
	uint32_t pid = item_pid(m, it);
	uint64_t va = it->address & ~(page_bytes(m) - 1);
	if (!find_mergeable_vma(m, pid, va))
		return PFN_NONE;
	const uint64_t *pte = pte_lookup(m, task_mm(m, pid)->asid, va, NULL);
	if (!pte || !pte_present(m, *pte))
		return PFN_NONE;
	uint32_t pfn = pte_pfn(m, *pte);
	return page_user(m, pfn) && frame_is_anon(frame_state(&m->frames[pfn])) ? pfn : PFN_NONE;
}

/* unstable_tree_search_insert: the item whose page has this content, or
 * the item goes into the tree. */
static uint32_t unstable_tree_search_insert(struct machine *m, uint32_t x, uint32_t pfn, uint32_t *tree_pfn)
{
	struct ksm_state *s = ksm_state(m);
	uint64_t content = page_user(m, pfn)->content;
	for (uint32_t y = s->unstable_root; y;) {
		const struct ksm_rmap_item *t = item_at(m, y);
		uint32_t tp = get_mergeable_page(m, t);
		if (tp == PFN_NONE || tp == pfn)
			return 0; /* its page went, or a forked page: do not insert */
		EMIT(m, EV_KSM_TREE_CMP, pfn, tp, (int64_t)content, (int64_t)t->key, 0);
		if (content == t->key) {
			if (page_user(m, tp)->content != content)
				return 0; /* it changed since it went in */
			*tree_pfn = tp;
			return y;
		}
		y = content < t->key ? t->node.left : t->node.right;
	}
	struct ksm_rmap_item *it = item_at(m, x);
	jset64(&m->j, &it->key, content);
	jset64(&m->j, &it->address, it->address | KSM_UNSTABLE_FLAG | (s->seqnr & KSM_SEQNR_MASK));
	treap_insert(m, &unstable_tree, &s->unstable_root, x);
	jset32(&m->j, &s->pages_unshared, s->pages_unshared + 1);
	EMIT(m, EV_KSM_UNSTABLE_INSERT, item_pid(m, it), (int64_t)(it->address & ~(page_bytes(m) - 1)), pfn,
	     (int64_t)content);
	return 0;
}

static void cmp_and_merge_page(struct machine *m, uint32_t x, uint32_t pfn)
{
	struct ksm_rmap_item *it = item_at(m, x);
	uint32_t node = page_ksm(m, pfn) ? page_user(m, pfn)->mapping : 0;
	uint32_t kpfn = stable_tree_search(m, pfn);
	if (kpfn == pfn && it->head == node && (it->address & KSM_STABLE_FLAG))
		return; /* already merged here */
	remove_rmap_item_from_tree(m, x);
	if (kpfn != PFN_NONE) {
		merge_item(m, x, pfn, kpfn);
		return;
	}
	uint32_t sum = calc_checksum(page_user(m, pfn)->content);
	if (it->oldchecksum != sum) {
		jset32(&m->j, &it->oldchecksum, sum);
		EMIT(m, EV_KSM_VOLATILE, item_pid(m, it), (int64_t)(it->address & ~(page_bytes(m) - 1)), pfn, sum);
		return;
	}
	uint32_t tree_pfn;
	uint32_t y = unstable_tree_search_insert(m, x, pfn, &tree_pfn);
	if (!y)
		return;
	/* try_to_merge_two_pages: this page becomes the KSM page, its twin
	 * is merged into it; if the twin cannot be, this one is broken again */
	if (merge_item(m, x, pfn, PFN_NONE) && !merge_item(m, y, tree_pfn, pfn)) {
		break_ksm(m, item_pid(m, it), it->address & ~(page_bytes(m) - 1));
		remove_rmap_item_from_tree(m, x); /* its node is stale now */
	}
}

/* ---- the scan ---- */

/* scan_get_next_rmap_item: 0 at the end of a full scan. */
static uint32_t scan_get_next_rmap_item(struct machine *m, uint32_t *pfn)
{
	struct ksm_state *s = ksm_state(m);
	if (slot_at(m, s->head)->next == s->head)
		return 0;
	if (s->scan_slot == s->head) {
		jset32(&m->j, &s->unstable_root, 0);
		jset32(&m->j, &s->scan_slot, slot_at(m, s->head)->next);
		jset64(&m->j, &s->scan_address, 0);
		jset32(&m->j, &s->scan_link, 0);
		EMIT(m, EV_KSM_SCAN_START, s->seqnr);
	}
	for (;;) {
		struct ksm_mm_slot *sl = slot_at(m, s->scan_slot);
		const struct task *t = task_by_pid(m, sl->pid);
		const struct mm_struct *mm = t && t->mm == sl->mm ? mm_at(m, sl->mm) : NULL;
		for (uint32_t v = mm ? find_vma(m, mm, s->scan_address) : 0; v; v = vma_at(m, v)->next) {
			const struct vma *x = vma_at(m, v);
			if (!(x->flags & VM_MERGEABLE))
				continue;
			if (s->scan_address < x->vm_start)
				jset64(&m->j, &s->scan_address, x->vm_start);
			if (!x->anon_vma)
				jset64(&m->j, &s->scan_address, x->vm_end);
			for (; s->scan_address < x->vm_end; jset64(&m->j, &s->scan_address, s->scan_address + page_bytes(m))) {
				const uint64_t *pte = pte_lookup(m, mm->asid, s->scan_address, NULL);
				if (!pte || !pte_present(m, *pte))
					continue;
				uint32_t p = pte_pfn(m, *pte);
				if (!page_user(m, p) || !frame_is_anon(frame_state(&m->frames[p])))
					continue; /* the zero page */
				uint32_t item = get_next_rmap_item(m, s->scan_address);
				jset32(&m->j, &s->scan_link, item);
				jset64(&m->j, &s->scan_address, s->scan_address + page_bytes(m));
				*pfn = p;
				return item;
			}
		}
		if (!mm) { /* ksm_test_exit: every item of the mm goes */
			jset64(&m->j, &s->scan_address, 0);
			jset32(&m->j, &s->scan_link, 0);
		}
		remove_trailing(m, scan_link(m));
		uint32_t done = s->scan_slot, next = sl->next;
		jset32(&m->j, &s->scan_slot, next);
		jset32(&m->j, &s->scan_link, 0);
		if (!s->scan_address) { /* nothing mergeable left: the mm leaves ksmd's list */
			if (mm)
				jset32(&m->j, &mm_at(m, sl->mm)->ksm_slot, 0);
			uint32_t pid = sl->pid;
			slot_unlink(m, done);
			procs_release(m, done, &s->free_slot);
			EMIT(m, EV_KSM_EXIT, pid);
		}
		jset64(&m->j, &s->scan_address, 0);
		if (next == s->head) {
			jset32(&m->j, &s->seqnr, s->seqnr + 1);
			EMIT(m, EV_KSM_SCAN_DONE, s->seqnr, s->rmap_items);
			return 0;
		}
	}
}

unsigned ksm_do_scan(struct machine *m, unsigned npages)
{
	struct ksm_state *s = ksm_state(m);
	unsigned n = 0;
	mm_op_begin(m);
	while (n < npages) {
		uint32_t pfn, x = scan_get_next_rmap_item(m, &pfn);
		if (!x)
			break;
		jset64(&m->j, &s->pages_scanned, s->pages_scanned + 1);
		EMIT(m, EV_KSM_SCAN, item_pid(m, item_at(m, x)), (int64_t)(s->scan_address - page_bytes(m)), pfn);
		cmp_and_merge_page(m, x, pfn);
		n++;
	}
	mm_op_end(m);
	return n;
}

/* ---- madvise, exit ---- */

/* vma_ksm_compatible: shared and special mappings are left alone (the
 * kernel ignores the advice for them rather than failing). */
static bool ksm_compatible(const struct vma *x) { return !(x->flags & (VM_SHARED | VM_MAYSHARE)); }

int ksm_madvise(struct machine *m, uint32_t pid, uint64_t start, uint64_t end, bool merge)
{
	const struct mm_struct *mm = task_mm(m, pid);
	for (uint32_t v = find_vma(m, mm, start); v && vma_at(m, v)->vm_start < end; v = vma_at(m, v)->next) {
		if (merge == ((vma_at(m, v)->flags & VM_MERGEABLE) != 0) || (merge && !ksm_compatible(vma_at(m, v))))
			continue;
		if (vma_at(m, v)->vm_start < start) {
			split_vma(m, pid, v, start);
			v = vma_at(m, v)->next;
		}
		if (vma_at(m, v)->vm_end > end)
			split_vma(m, pid, v, end);
		struct vma *x = vma_at(m, v);
		if (merge)
			ksm_enter(m, pid);
		else /* unmerge_ksm_pages */
			for (uint64_t va = x->vm_start; va < x->vm_end; va += page_bytes(m))
				break_ksm(m, pid, va);
		jset32(&m->j, &x->flags, merge ? x->flags | VM_MERGEABLE : x->flags & ~VM_MERGEABLE);
		EMIT(m, EV_KSM_VMA, pid, (int64_t)x->vm_start, (int64_t)x->vm_end, merge);
		v = vma_try_merge(m, pid, v);
	}
	return MM_OK;
}

/* __ksm_exit: a slot with no items goes now; else it moves just behind
 * the cursor for ksmd to empty. */
void ksm_exit(struct machine *m, uint32_t pid)
{
	struct mm_struct *mm = task_mm(m, pid);
	uint32_t x = mm->ksm_slot;
	struct ksm_state *s = ksm_state(m);
	if (!x || x == s->scan_slot)
		return;
	slot_unlink(m, x);
	if (!slot_at(m, x)->rmap_list) {
		jset32(&m->j, &mm->ksm_slot, 0);
		procs_release(m, x, &s->free_slot);
		EMIT(m, EV_KSM_EXIT, pid);
	} else {
		slot_insert_before(m, x, slot_at(m, s->scan_slot)->next);
	}
}
