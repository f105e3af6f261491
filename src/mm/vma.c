/*
 * An mm's VMAs: find_vma and the free-gap search (mm/mmap.c, mm/vma.c of
 * Linux 6.18, whose maple tree stores VMAs by range and tracks the largest
 * gap of each subtree so that unmapped_area_topdown never visits every VMA).
 *
 * The model keeps the same two promises with a treap (treap.c) ordered by
 * vm_start, each node holding the gap below its VMA and the largest gap of
 * its subtree, as 4.x kernels did with rb_subtree_gap.  Lookup, insert, delete and the gap search take
 * O(log n) expected steps.  VMAs are also linked in address order
 * (vm_prev/vm_next of older kernels) so neighbours are O(1).
 * Simplification: the stack guard gap is not kept below VM_GROWSDOWN VMAs.
 */
#include "procs.h"

#include <stddef.h>

static uint64_t max_gap_of(const struct machine *m, uint32_t v) { return v ? vma_at(m, v)->max_gap : 0; }

/* Recompute a node's subtree gap; true if it changed. */
static bool update(struct machine *m, uint32_t v)
{
	struct vma *n = vma_at(m, v);
	uint64_t g = n->gap, l = max_gap_of(m, n->node.left), r = max_gap_of(m, n->node.right);
	if (l > g)
		g = l;
	if (r > g)
		g = r;
	if (g == n->max_gap)
		return false;
	jset64(&m->j, &n->max_gap, g);
	return true;
}

static bool before(const struct machine *m, uint32_t a, uint32_t b)
{
	return vma_at(m, a)->vm_start < vma_at(m, b)->vm_start;
}

static const struct treap vma_tree = {offsetof(struct vma, node), before, update};

uint32_t find_vma(const struct machine *m, const struct mm_struct *mm, uint64_t addr)
{
	uint32_t best = 0;
	for (uint32_t v = mm->vma_root; v;) {
		const struct vma *n = vma_at(m, v);
		if (n->vm_end > addr) {
			best = v;
			v = n->node.left;
		} else {
			v = n->node.right;
		}
	}
	return best;
}

/* The last VMA starting below addr. */
static uint32_t find_vma_prev(const struct machine *m, const struct mm_struct *mm, uint64_t addr)
{
	uint32_t best = 0;
	for (uint32_t v = mm->vma_root; v;) {
		const struct vma *n = vma_at(m, v);
		if (n->vm_start < addr) {
			best = v;
			v = n->node.right;
		} else {
			v = n->node.left;
		}
	}
	return best;
}

bool vma_range_free(const struct machine *m, const struct mm_struct *mm, uint64_t start, uint64_t end)
{
	uint32_t v = find_vma(m, mm, start);
	return !v || vma_at(m, v)->vm_start >= end;
}

static void set_gap(struct machine *m, uint32_t v)
{
	struct vma *n = vma_at(m, v);
	uint64_t below = n->prev ? vma_at(m, n->prev)->vm_end : 0;
	jset64(&m->j, &n->gap, n->vm_start - below);
	treap_propagate(m, &vma_tree, v);
}

void vma_link(struct machine *m, uint32_t mmoff, uint32_t v)
{
	struct mm_struct *mm = mm_at(m, mmoff);
	struct vma *n = vma_at(m, v);
	uint32_t prev = find_vma_prev(m, mm, n->vm_start);
	uint32_t next = prev ? vma_at(m, prev)->next : mm->vma_first;
	jset32(&m->j, &n->mm, mmoff);
	jset32(&m->j, &n->prev, prev);
	jset32(&m->j, &n->next, next);
	if (prev)
		jset32(&m->j, &vma_at(m, prev)->next, v);
	else
		jset32(&m->j, &mm->vma_first, v);
	if (next)
		jset32(&m->j, &vma_at(m, next)->prev, v);
	jset64(&m->j, &n->gap, 0); /* its real gap comes once it is in place */
	jset64(&m->j, &n->max_gap, 0);
	treap_insert(m, &vma_tree, &mm->vma_root, v);
	set_gap(m, v);
	if (next)
		set_gap(m, next);
	jset32(&m->j, &mm->map_count, mm->map_count + 1);
}

void vma_unlink(struct machine *m, uint32_t mmoff, uint32_t v)
{
	struct mm_struct *mm = mm_at(m, mmoff);
	struct vma *n = vma_at(m, v);
	treap_remove(m, &vma_tree, &mm->vma_root, v);
	uint32_t prev = n->prev, next = n->next;
	if (prev)
		jset32(&m->j, &vma_at(m, prev)->next, next);
	else
		jset32(&m->j, &mm->vma_first, next);
	if (next) {
		jset32(&m->j, &vma_at(m, next)->prev, prev);
		set_gap(m, next);
	}
	jset32(&m->j, &n->prev, 0);
	jset32(&m->j, &n->next, 0);
	jset32(&m->j, &mm->map_count, mm->map_count - 1);
}

void vma_set_range(struct machine *m, uint32_t v, uint64_t start, uint64_t end, uint64_t pgoff)
{
	struct vma *n = vma_at(m, v);
	jset64(&m->j, &n->vm_start, start);
	jset64(&m->j, &n->vm_end, end);
	jset64(&m->j, &n->pgoff, pgoff);
	set_gap(m, v);
	if (n->next)
		set_gap(m, n->next);
	/* its chains are keyed by its page range */
	anon_vma_tree_pre_update(m, v);
	anon_vma_tree_post_update(m, v);
}

/* The highest fit in the subtree, 0 if none (a fit never starts at 0:
 * low is at least mmap_min_addr). */
static uint64_t search_topdown(const struct machine *m, uint32_t v, uint64_t len, uint64_t low, uint64_t high)
{
	if (!v)
		return 0;
	const struct vma *n = vma_at(m, v);
	if (n->max_gap < len)
		return 0;
	/* the gaps to the right begin at or above this VMA's end */
	if (n->vm_end < high) {
		uint64_t r = search_topdown(m, n->node.right, len, low, high);
		if (r)
			return r;
	}
	uint64_t gs = n->vm_start - n->gap, ge = n->vm_start < high ? n->vm_start : high;
	if (gs < low)
		gs = low;
	if (ge > gs && ge - gs >= len)
		return ge - len;
	/* the gaps to the left all end at or below this gap's start */
	if (n->vm_start - n->gap > low)
		return search_topdown(m, n->node.left, len, low, high);
	return 0;
}

uint64_t unmapped_area_topdown(const struct machine *m, const struct mm_struct *mm, uint64_t len, uint64_t low,
			       uint64_t high)
{
	if (high < low || high - low < len)
		return 0;
	/* the gap above the highest VMA is below no VMA: try it first */
	uint32_t last = find_vma_prev(m, mm, UINT64_MAX);
	uint64_t top = last ? vma_at(m, last)->vm_end : 0;
	if (top < low)
		top = low;
	if (top < high && high - top >= len)
		return high - len;
	return search_topdown(m, mm->vma_root, len, low, high);
}
