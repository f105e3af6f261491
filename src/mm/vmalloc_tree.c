/*
 * The vmap_area trees of mm/vmalloc.c (Linux 6.18): __find_vmap_area,
 * find_va_links/link_va (insert with the address-sorted list),
 * unlink_va, find_vmap_lowest_match over the free tree augmented with
 * subtree_max_size (compute_subtree_max_size,
 * augment_tree_propagate_from), and merge_or_add_vmap_area, which
 * coalesces a freed range with its free neighbours.
 *
 * Simplified: the kernel's trees are red-black trees; here each is a treap
 * (a binary search tree by address whose nodes are heap-ordered by a
 * priority hashed from the node's arena offset and the machine seed), which
 * needs no parent links and no colours, so every change is a few journaled
 * link writes.  Its depth is O(log n) in expectation, and deterministic.
 * Every operation is one descent: O(log n).
 */
#include "vmalloc.h"

static struct vmap_area *at(const struct machine *m, uint32_t off) { return vmap_at(m, off); }

uint64_t va_prio(const struct machine *m, uint32_t off)
{
	uint64_t x = off + m->cfg.seed * 0x9e3779b97f4a7c15ull; /* splitmix64 */
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static bool above(const struct machine *m, uint32_t a, uint32_t b)
{
	uint64_t pa = va_prio(m, a), pb = va_prio(m, b);
	return pa > pb || (pa == pb && a > b);
}

/* compute_subtree_max_size, for the free tree only. */
static void update(struct machine *m, uint32_t off, bool aug)
{
	if (!aug)
		return;
	struct vmap_area *a = at(m, off);
	uint64_t max = va_size(a);
	if (a->left && at(m, a->left)->subtree_max_size > max)
		max = at(m, a->left)->subtree_max_size;
	if (a->right && at(m, a->right)->subtree_max_size > max)
		max = at(m, a->right)->subtree_max_size;
	jset64(&m->j, &a->subtree_max_size, max);
}

/* Split t into the areas below key (*l) and the others (*r). */
static void split(struct machine *m, uint32_t t, uint64_t key, bool aug, uint32_t *l, uint32_t *r)
{
	if (!t) {
		*l = *r = 0;
		return;
	}
	struct vmap_area *a = at(m, t);
	uint32_t x, y;
	if (a->va_start < key) {
		split(m, a->right, key, aug, &x, &y);
		jset32(&m->j, &a->right, x);
		*l = t;
		*r = y;
	} else {
		split(m, a->left, key, aug, &x, &y);
		jset32(&m->j, &a->left, y);
		*l = x;
		*r = t;
	}
	update(m, t, aug);
}

/* Join two treaps, every area of l below every area of r. */
static uint32_t join(struct machine *m, uint32_t l, uint32_t r, bool aug)
{
	if (!l || !r)
		return l ? l : r;
	if (above(m, l, r)) {
		jset32(&m->j, &at(m, l)->right, join(m, at(m, l)->right, r, aug));
		update(m, l, aug);
		return l;
	}
	jset32(&m->j, &at(m, r)->left, join(m, l, at(m, r)->left, aug));
	update(m, r, aug);
	return r;
}

static uint32_t insert(struct machine *m, uint32_t t, uint32_t n, bool aug)
{
	if (!t || above(m, n, t)) {
		uint32_t l, r;
		split(m, t, at(m, n)->va_start, aug, &l, &r);
		jset32(&m->j, &at(m, n)->left, l);
		jset32(&m->j, &at(m, n)->right, r);
		update(m, n, aug);
		return n;
	}
	uint32_t *side = at(m, n)->va_start < at(m, t)->va_start ? &at(m, t)->left : &at(m, t)->right;
	jset32(&m->j, side, insert(m, *side, n, aug));
	update(m, t, aug);
	return t;
}

static uint32_t erase(struct machine *m, uint32_t t, uint32_t n, bool aug)
{
	if (t == n)
		return join(m, at(m, n)->left, at(m, n)->right, aug);
	uint32_t *side = at(m, n)->va_start < at(m, t)->va_start ? &at(m, t)->left : &at(m, t)->right;
	jset32(&m->j, side, erase(m, *side, n, aug));
	update(m, t, aug);
	return t;
}

static void propagate(struct machine *m, uint32_t t, uint32_t n)
{
	if (t != n)
		propagate(m, at(m, n)->va_start < at(m, t)->va_start ? at(m, t)->left : at(m, t)->right, n);
	update(m, t, true);
}

static bool augmented(const struct machine *m, const struct vmap_tree *t)
{
	return t == &vmalloc_root(m)->free;
}

uint32_t va_floor(const struct machine *m, const struct vmap_tree *t, uint64_t addr)
{
	uint32_t best = 0;
	for (uint32_t n = t->root; n;) {
		if (at(m, n)->va_start <= addr) {
			best = n;
			n = at(m, n)->right;
		} else {
			n = at(m, n)->left;
		}
	}
	return best;
}

void va_insert(struct machine *m, struct vmap_tree *t, uint32_t off)
{
	struct vmap_area *a = at(m, off);
	uint32_t prev = a->va_start ? va_floor(m, t, a->va_start - 1) : 0;
	uint32_t next = prev ? at(m, prev)->next : t->head;
	jset32(&m->j, &a->left, 0);
	jset32(&m->j, &a->right, 0);
	jset32(&m->j, &a->prev, prev);
	jset32(&m->j, &a->next, next);
	jset32(&m->j, prev ? &at(m, prev)->next : &t->head, off);
	jset32(&m->j, next ? &at(m, next)->prev : &t->tail, off);
	jset32(&m->j, &t->root, insert(m, t->root, off, augmented(m, t)));
	jset32(&m->j, &t->nr, t->nr + 1);
}

void va_erase(struct machine *m, struct vmap_tree *t, uint32_t off)
{
	struct vmap_area *a = at(m, off);
	jset32(&m->j, &t->root, erase(m, t->root, off, augmented(m, t)));
	jset32(&m->j, a->prev ? &at(m, a->prev)->next : &t->head, a->next);
	jset32(&m->j, a->next ? &at(m, a->next)->prev : &t->tail, a->prev);
	jset32(&m->j, &a->left, 0);
	jset32(&m->j, &a->right, 0);
	jset32(&m->j, &a->prev, 0);
	jset32(&m->j, &a->next, 0);
	jset32(&m->j, &t->nr, t->nr - 1);
}

void va_propagate(struct machine *m, struct vmap_tree *t, uint32_t off)
{
	propagate(m, t->root, off);
}

/* The lowest area of the subtree that fits, if its max says one does: the
 * left subtree is tried only when its max fits, so this is one descent. */
static uint32_t lowest(const struct machine *m, uint32_t n, uint64_t size)
{
	if (!n || at(m, n)->subtree_max_size < size)
		return 0;
	uint32_t l = lowest(m, at(m, n)->left, size);
	if (l)
		return l;
	if (va_size(at(m, n)) >= size)
		return n;
	return lowest(m, at(m, n)->right, size);
}

uint32_t va_lowest_match(const struct machine *m, const struct vmap_tree *t, uint64_t size)
{
	return lowest(m, t->root, size);
}

/* A node for the free tree: a recycled one, or new arena memory. */
static uint32_t free_node(struct machine *m)
{
	struct vmalloc_root *r = vmalloc_root(m);
	uint32_t off = r->spare;
	if (off) {
		jset32(&m->j, &r->spare, at(m, off)->next);
		jset32(&m->j, &at(m, off)->next, 0);
		return off;
	}
	return arena_alloc(m, &m->vmalloc->arena, sizeof(struct vmap_area));
}

static void recycle(struct machine *m, uint32_t off)
{
	struct vmalloc_root *r = vmalloc_root(m);
	jset32(&m->j, &at(m, off)->state, VA_SPARE);
	jset32(&m->j, &at(m, off)->next, r->spare);
	jset32(&m->j, &r->spare, off);
}

uint32_t va_merge_free(struct machine *m, uint64_t start, uint64_t end)
{
	struct vmap_tree *t = &vmalloc_root(m)->free;
	uint32_t prev = va_floor(m, t, start - 1);
	uint32_t next = prev ? at(m, prev)->next : t->head;
	bool left = prev && at(m, prev)->va_end == start;
	bool right = next && at(m, next)->va_start == end;
	if (left && right) {
		uint64_t e = at(m, next)->va_end;
		va_erase(m, t, next);
		recycle(m, next);
		jset64(&m->j, &at(m, prev)->va_end, e);
		va_propagate(m, t, prev);
		return prev;
	}
	if (left) {
		jset64(&m->j, &at(m, prev)->va_end, end);
		va_propagate(m, t, prev);
		return prev;
	}
	if (right) {
		/* the key moves down but stays above prev: the order holds */
		jset64(&m->j, &at(m, next)->va_start, start);
		va_propagate(m, t, next);
		return next;
	}
	uint32_t n = free_node(m);
	struct vmap_area *a = at(m, n);
	jset64(&m->j, &a->va_start, start);
	jset64(&m->j, &a->va_end, end);
	jset32(&m->j, &a->state, VA_FREE);
	va_insert(m, t, n);
	return n;
}
