/*
 * The interval trees of the reverse map (mm/interval_tree.c, Linux 6.18:
 * anon_vma_interval_tree_* and vma_interval_tree_* for a file's i_mmap):
 * nodes keyed by the page range [vm_pgoff, vm_pgoff + pages - 1] of their
 * VMA, each holding the largest `last` of its subtree, so rmap_walk visits
 * only the VMAs whose range holds the page: O(log n + k).  A file's i_mmap
 * uses the same node (an anon_vma_chain with no anon_vma) for each VMA.
 *
 * The kernel's is an augmented red-black tree; here a treap in arena memory
 * (priorities hashed from the node's offset, as the VMA tree in vma.c), the
 * same augmentation.  Keys are cached in the chain: a VMA whose range
 * changes takes its chains out first and puts them back after
 * (anon_vma_interval_tree_pre_update_vma / _post_update_vma).
 */
#include "procs.h"

static struct anon_vma_chain *C(const struct machine *m, uint32_t off) { return off ? procs_ptr(m, off) : NULL; }

static uint32_t prio_of(uint32_t off)
{
	uint64_t z = off * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
	z = (z ^ (z >> 29)) * 0xbf58476d1ce4e5b9ull;
	return (uint32_t)(z ^ (z >> 32));
}

static bool update(struct machine *m, uint32_t c)
{
	struct anon_vma_chain *n = C(m, c);
	uint64_t g = n->last;
	if (n->left && C(m, n->left)->max_last > g)
		g = C(m, n->left)->max_last;
	if (n->right && C(m, n->right)->max_last > g)
		g = C(m, n->right)->max_last;
	if (g == n->max_last)
		return false;
	jset64(&m->j, &n->max_last, g);
	return true;
}

static void propagate(struct machine *m, uint32_t c)
{
	while (c && update(m, c))
		c = C(m, c)->parent;
}

static void replace_child(struct machine *m, uint32_t *root, uint32_t parent, uint32_t old, uint32_t new)
{
	if (!parent)
		jset32(&m->j, root, new);
	else if (C(m, parent)->left == old)
		jset32(&m->j, &C(m, parent)->left, new);
	else
		jset32(&m->j, &C(m, parent)->right, new);
	if (new)
		jset32(&m->j, &C(m, new)->parent, parent);
}

static void rotate_up(struct machine *m, uint32_t *root, uint32_t x)
{
	struct anon_vma_chain *n = C(m, x);
	uint32_t p = n->parent;
	struct anon_vma_chain *pn = C(m, p);
	uint32_t g = pn->parent;
	if (pn->left == x) {
		uint32_t b = n->right;
		jset32(&m->j, &pn->left, b);
		if (b)
			jset32(&m->j, &C(m, b)->parent, p);
		jset32(&m->j, &n->right, p);
	} else {
		uint32_t b = n->left;
		jset32(&m->j, &pn->right, b);
		if (b)
			jset32(&m->j, &C(m, b)->parent, p);
		jset32(&m->j, &n->left, p);
	}
	replace_child(m, root, g, p, x);
	jset32(&m->j, &pn->parent, x);
	update(m, p);
	update(m, x);
}

/* Order by start, ties by offset (a forked family shares its pgoffs). */
static bool before(const struct machine *m, uint32_t a, uint32_t b)
{
	const struct anon_vma_chain *x = C(m, a), *y = C(m, b);
	return x->start < y->start || (x->start == y->start && a < b);
}

void interval_tree_insert(struct machine *m, uint32_t c, uint32_t *root)
{
	struct anon_vma_chain *n = C(m, c);
	const struct vma *v = vma_at(m, n->vma);
	uint64_t pages = (v->vm_end - v->vm_start) >> m->page_shift;
	jset64(&m->j, &n->start, v->pgoff);
	jset64(&m->j, &n->last, v->pgoff + pages - 1);
	jset64(&m->j, &n->max_last, n->last);
	jset32(&m->j, &n->prio, prio_of(c));
	jset32(&m->j, &n->left, 0);
	jset32(&m->j, &n->right, 0);
	uint32_t parent = 0;
	for (uint32_t t = *root; t;) {
		parent = t;
		t = before(m, c, t) ? C(m, t)->left : C(m, t)->right;
	}
	jset32(&m->j, &n->parent, parent);
	if (!parent)
		jset32(&m->j, root, c);
	else if (before(m, c, parent))
		jset32(&m->j, &C(m, parent)->left, c);
	else
		jset32(&m->j, &C(m, parent)->right, c);
	propagate(m, parent);
	while (n->parent && C(m, n->parent)->prio < n->prio)
		rotate_up(m, root, c);
}

void interval_tree_remove(struct machine *m, uint32_t c, uint32_t *root)
{
	struct anon_vma_chain *n = C(m, c);
	while (n->left || n->right) {
		uint32_t k;
		if (!n->left)
			k = n->right;
		else if (!n->right)
			k = n->left;
		else
			k = C(m, n->left)->prio > C(m, n->right)->prio ? n->left : n->right;
		rotate_up(m, root, k);
	}
	uint32_t parent = n->parent;
	replace_child(m, root, parent, c, 0);
	propagate(m, parent);
	jset32(&m->j, &n->parent, 0);
}

static uint32_t *anon_root(const struct machine *m, uint32_t av)
{
	return &((struct anon_vma *)procs_ptr(m, av))->avc;
}

void anon_vma_interval_tree_insert(struct machine *m, uint32_t c, uint32_t av)
{
	interval_tree_insert(m, c, anon_root(m, av));
}

void anon_vma_interval_tree_remove(struct machine *m, uint32_t c, uint32_t av)
{
	interval_tree_remove(m, c, anon_root(m, av));
}

/* A VMA's nodes: its anon_vma chains and its node in the file's i_mmap. */
void anon_vma_tree_pre_update(struct machine *m, uint32_t v)
{
	for (uint32_t c = vma_at(m, v)->avc; c; c = C(m, c)->same_vma)
		anon_vma_interval_tree_remove(m, c, C(m, c)->anon_vma);
	if (vma_at(m, v)->i_mmap)
		interval_tree_remove(m, vma_at(m, v)->i_mmap, &file_at(m, vma_at(m, v)->file)->i_mmap);
}

void anon_vma_tree_post_update(struct machine *m, uint32_t v)
{
	for (uint32_t c = vma_at(m, v)->avc; c; c = C(m, c)->same_vma)
		anon_vma_interval_tree_insert(m, c, C(m, c)->anon_vma);
	if (vma_at(m, v)->i_mmap)
		interval_tree_insert(m, vma_at(m, v)->i_mmap, &file_at(m, vma_at(m, v)->file)->i_mmap);
}

static unsigned stab(const struct machine *m, uint32_t c, uint64_t index, avc_fn fn, void *ctx)
{
	const struct anon_vma_chain *n = C(m, c);
	if (!n || n->max_last < index)
		return 0;
	unsigned k = stab(m, n->left, index, fn, ctx);
	if (n->start > index)
		return k; /* everything to the right starts later still */
	if (index <= n->last) {
		fn(m, c, ctx);
		k++;
	}
	return k + stab(m, n->right, index, fn, ctx);
}

unsigned interval_tree_foreach(const struct machine *m, uint32_t root, uint64_t index, avc_fn fn, void *ctx)
{
	return stab(m, root, index, fn, ctx);
}
