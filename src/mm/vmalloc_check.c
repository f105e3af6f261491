/*
 * vmalloc invariants, checked after every step in tests:
 * - each tree (busy, lazy, free) is a search tree by address whose
 *   in-order walk is its address-sorted list (prev/next/head/tail), with nr
 *   nodes, heap-ordered by priority, every node in the tree's state;
 * - each free area's subtree_max_size is the largest free area below it;
 *   free areas are coalesced (never two adjacent);
 * - busy, lazy and free areas tile [VMALLOC_START, VMALLOC_END) exactly: no
 *   overlap, no range lost;
 * - a busy area is alive, spans its pages and a guard page, maps at most
 *   the pages it has (nr_mapped <= nr_pages <= npages), each an order-0
 *   vmalloc frame, and its page array is vmalloc'ed exactly when it is
 *   larger than a page (once it has pages); lazy areas are freed;
 * - an ioremap area (VM_IOREMAP) has no pages, maps none and names a
 *   page-aligned device address;
 * - nr_pages counts the busy areas' pages and the frames in state vmalloc;
 *   lazy_nr the lazy areas' pages;
 * - in the kernel's page tables, a busy or lazy area's first nr_mapped
 *   pages map its frames with PAGE_KERNEL and the rest of it maps nothing
 *   (but the one page being mapped or unmapped).
 */
#include "pgtable.h"
#include "vmalloc.h"

#include <stdarg.h>
#include <stdio.h>

struct vctx {
	const struct machine *m;
	char *why;
	size_t whylen;
};

static int fail(struct vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct vctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, c->whylen, fmt, ap);
	va_end(ap);
	return -1;
}

#define ADDR(a) ((unsigned long long)(a)->va_start)

struct walk {
	uint32_t expect; /* the list node the in-order walk should meet next */
	uint32_t count;
};

/* In-order walk of a subtree: heap order, state, augment, and agreement
 * with the list (which the walk meets in address order). */
static int walk_tree(struct vctx *c, const char *name, uint32_t n, uint32_t state, bool aug, struct walk *w)
{
	const struct machine *m = c->m;
	if (!n)
		return 0;
	const struct vmap_area *a = vmap_at(m, n);
	/* priorities fall strictly down the tree (no two nodes share one), so
	 * a cycle fails here too */
	if (a->left && va_prio(m, a->left) >= va_prio(m, n))
		return fail(c, "vmalloc %s tree: 0x%llx is above a node of higher priority", name,
			    ADDR(vmap_at(m, a->left)));
	if (a->right && va_prio(m, a->right) >= va_prio(m, n))
		return fail(c, "vmalloc %s tree: 0x%llx is above a node of higher priority", name,
			    ADDR(vmap_at(m, a->right)));
	if (walk_tree(c, name, a->left, state, aug, w))
		return -1;
	if (n != w->expect)
		return fail(c, "vmalloc %s tree: 0x%llx is out of order or not on the list in its place", name, ADDR(a));
	if (a->state != state)
		return fail(c, "vmalloc %s tree: 0x%llx is in state %u, not %u", name, ADDR(a), a->state, state);
	if (aug) {
		uint64_t max = va_size(a);
		if (a->left && vmap_at(m, a->left)->subtree_max_size > max)
			max = vmap_at(m, a->left)->subtree_max_size;
		if (a->right && vmap_at(m, a->right)->subtree_max_size > max)
			max = vmap_at(m, a->right)->subtree_max_size;
		if (a->subtree_max_size != max)
			return fail(c, "vmalloc free tree: 0x%llx has subtree_max_size 0x%llx, not 0x%llx", ADDR(a),
				    (unsigned long long)a->subtree_max_size, (unsigned long long)max);
	}
	w->expect = a->next;
	w->count++;
	return walk_tree(c, name, a->right, state, aug, w);
}

static int check_tree(struct vctx *c, const char *name, const struct vmap_tree *t, uint32_t state, bool aug)
{
	const struct machine *m = c->m;
	uint32_t prev = 0, n = 0;
	for (uint32_t o = t->head; o; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		if (++n > t->nr)
			return fail(c, "vmalloc %s list: longer than nr %u", name, t->nr);
		if (a->prev != prev)
			return fail(c, "vmalloc %s list: 0x%llx has a wrong prev link", name, ADDR(a));
		if (prev && a->va_start <= vmap_at(m, prev)->va_start)
			return fail(c, "vmalloc %s list: 0x%llx is not above the one before it", name, ADDR(a));
		if (a->va_end <= a->va_start)
			return fail(c, "vmalloc %s list: 0x%llx ends at or below its start", name, ADDR(a));
		prev = o;
	}
	if (t->tail != prev)
		return fail(c, "vmalloc %s list: tail is not its last area", name);
	if (n != t->nr)
		return fail(c, "vmalloc %s list: nr %u but the list has %u", name, t->nr, n);
	struct walk w = {.expect = t->head};
	if (walk_tree(c, name, t->root, state, aug, &w))
		return -1;
	if (w.count != t->nr)
		return fail(c, "vmalloc %s tree: holds %u areas, its list %u", name, w.count, t->nr);
	return 0;
}

/* Busy, lazy and free together: one pass over three sorted lists. */
static int check_tiling(struct vctx *c)
{
	const struct machine *m = c->m;
	const struct vmalloc_root *r = vmalloc_root(m);
	uint32_t at[3] = {r->busy.head, r->lazy.head, r->free.head};
	uint64_t pos = m->vmalloc->start;
	bool prev_free = false;
	for (;;) {
		int k = -1;
		for (int i = 0; i < 3; i++)
			if (at[i] && (k < 0 || vmap_at(m, at[i])->va_start < vmap_at(m, at[k])->va_start))
				k = i;
		if (k < 0)
			break;
		const struct vmap_area *a = vmap_at(m, at[k]);
		if (a->va_start != pos)
			return fail(c, "vmalloc: 0x%llx-0x%llx %s (busy, lazy and free areas must tile the range)",
				    (unsigned long long)(a->va_start < pos ? a->va_start : pos),
				    (unsigned long long)(a->va_start < pos ? pos : a->va_start),
				    a->va_start < pos ? "is in two areas" : "is in no area");
		if (k == 2 && prev_free)
			return fail(c, "vmalloc free areas 0x%llx and the one before it are adjacent: not coalesced",
				    ADDR(a));
		prev_free = k == 2;
		pos = a->va_end;
		at[k] = a->next;
	}
	if (pos != m->vmalloc->end)
		return fail(c, "vmalloc: the areas end at 0x%llx, not at the range's end", (unsigned long long)pos);
	return 0;
}

static int check_busy(struct vctx *c, const struct vmap_area *a, uint64_t *pages)
{
	const struct machine *m = c->m;
	if (!a->alive)
		return fail(c, "vmalloc area 0x%llx is busy but freed", ADDR(a));
	if (va_size(a) != (uint64_t)(a->npages + 1) << m->page_shift)
		return fail(c, "vmalloc area 0x%llx spans 0x%llx bytes, not its %u pages and a guard page", ADDR(a),
			    (unsigned long long)va_size(a), a->npages);
	/* an ioremap area maps a device range: nothing of the buddy behind it */
	if ((a->flags & VM_IOREMAP) && (a->nr_pages || a->nr_mapped || a->pages_area ||
					a->phys_addr % m->cfg.page_size))
		return fail(c, "ioremap area 0x%llx has pages (%u) or no page-aligned device address (0x%llx)", ADDR(a),
			    a->nr_pages, (unsigned long long)a->phys_addr);
	if (a->nr_pages > a->npages || a->nr_mapped > a->nr_pages)
		return fail(c, "vmalloc area 0x%llx: %u mapped, %u allocated of its %u pages", ADDR(a), a->nr_mapped,
			    a->nr_pages, a->npages);
	for (uint32_t i = 0; i < a->nr_pages; i++) {
		uint32_t pfn = vmap_pages(m, a)[i];
		if (pfn >= m->nr_frames || frame_state(&m->frames[pfn]) != FS_VMALLOC ||
		    frame_order(&m->frames[pfn]) != 0)
			return fail(c, "vmalloc area 0x%llx page %u: pfn 0x%x is not an order-0 vmalloc frame", ADDR(a),
				    i, pfn);
	}
	bool big = (uint64_t)a->npages * m->vmalloc->ptr_size > m->cfg.page_size;
	if (big != (a->pages_area != 0) && (a->pages_area || a->nr_pages)) /* the array comes before the pages */
		return fail(c, "vmalloc area 0x%llx: its %u-entry page array %s", ADDR(a), a->npages,
			    big ? "is larger than a page but not vmalloc'ed" : "fits a page but is vmalloc'ed");
	if (a->pages_area && (vmap_at(m, a->pages_area)->state != VA_BUSY ||
			      vmap_size(vmap_at(m, a->pages_area)) < (uint64_t)a->npages * m->vmalloc->ptr_size))
		return fail(c, "vmalloc area 0x%llx: its page array's area is not a busy area large enough", ADDR(a));
	*pages += a->nr_pages;
	return 0;
}

/* The kernel's leaves over an area: PAGE_KERNEL for the first nr_mapped
 * pages, nothing after them; the last page counted may be in transit
 * (vmalloc counts a page before mapping it, vfree unmaps downwards). */
static int check_mapping(struct vctx *c, const struct vmap_area *a)
{
	uint32_t mapped = a->nr_mapped;
	const struct machine *m = c->m;
	uint32_t kmm = vmalloc_root(m)->kernel_mm;
	if (!vmalloc_maps_pages(m) || !kmm)
		return 0;
	uint32_t span = (uint32_t)(va_size(a) >> m->page_shift);
	for (uint32_t i = 0; i < span; i++) {
		uint64_t va = a->va_start + ((uint64_t)i << m->page_shift);
		uint64_t e = pt_leaf_entry(m, kmm, va);
		uint64_t want = i < mapped ? vmalloc_pte(m, vmap_pages(m, a)[i]) : 0;
		if (i + 1 == mapped && !e)
			continue;
		if (e != want)
			return fail(c, "vmalloc area 0x%llx page %u: the kernel's entry is 0x%llx, not 0x%llx", ADDR(a), i,
				    (unsigned long long)e, (unsigned long long)want);
	}
	return 0;
}

int check_vmalloc(const struct machine *m, char *why, size_t whylen)
{
	struct vctx c = {m, why, whylen};
	const struct vmalloc_root *r = vmalloc_root(m);
	if (check_tree(&c, "busy", &r->busy, VA_BUSY, false) || check_tree(&c, "lazy", &r->lazy, VA_LAZY, false) ||
	    check_tree(&c, "free", &r->free, VA_FREE, true))
		return -1;
	if (check_tiling(&c))
		return -1;
	uint64_t pages = 0, lazy = 0;
	for (uint32_t o = r->busy.head; o; o = vmap_at(m, o)->next)
		if (check_busy(&c, vmap_at(m, o), &pages) || check_mapping(&c, vmap_at(m, o)))
			return -1;
	for (uint32_t o = r->lazy.head; o; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		if (a->alive)
			return fail(&c, "vmalloc area 0x%llx is lazily freed but alive", ADDR(a));
		if (check_mapping(&c, a))
			return -1;
		lazy += va_size(a) >> m->page_shift;
	}
	if (lazy != r->lazy_nr)
		return fail(&c, "vmalloc: lazy_nr %u but the lazy areas span %llu pages", r->lazy_nr,
			    (unsigned long long)lazy);
	if (pages != r->nr_pages)
		return fail(&c, "vmalloc: nr_pages %u but the areas have %llu", r->nr_pages, (unsigned long long)pages);
	uint64_t frames = 0;
	for (uint32_t p = 0; p < m->nr_frames; p++)
		frames += frame_state(&m->frames[p]) == FS_VMALLOC;
	if (frames != pages)
		return fail(&c, "vmalloc: %llu frames are in state vmalloc but the areas have %llu",
			    (unsigned long long)frames, (unsigned long long)pages);
	return 0;
}
