/*
 * The interval trees of the reverse map (mm/interval_tree.c, Linux 6.18:
 * anon_vma_interval_tree_* and vma_interval_tree_* for a file's i_mmap):
 * nodes keyed by the page range [vm_pgoff, vm_pgoff + pages - 1] of their
 * VMA, each holding the largest `last` of its subtree, so rmap_walk visits
 * only the VMAs whose range holds the page: O(log n + k).  A file's i_mmap
 * uses the same node (an anon_vma_chain with no anon_vma) for each VMA.
 *
 * The kernel's is an augmented red-black tree; here the treap of treap.c,
 * the same augmentation.  Keys are cached in the chain: a VMA whose range
 * changes takes its chains out first and puts them back after
 * (anon_vma_interval_tree_pre_update_vma / _post_update_vma).
 */
#include "procs.h"

#include <stddef.h>

static struct anon_vma_chain *C(const struct machine *m, uint32_t off) { return off ? procs_ptr(m, off) : NULL; }

static bool update(struct machine *m, uint32_t c)
{
	struct anon_vma_chain *n = C(m, c);
	uint64_t g = n->last;
	if (n->node.left && C(m, n->node.left)->max_last > g)
		g = C(m, n->node.left)->max_last;
	if (n->node.right && C(m, n->node.right)->max_last > g)
		g = C(m, n->node.right)->max_last;
	if (g == n->max_last)
		return false;
	jset64(&m->j, &n->max_last, g);
	return true;
}

/* Order by start, ties by offset (a forked family shares its pgoffs). */
static bool before(const struct machine *m, uint32_t a, uint32_t b)
{
	const struct anon_vma_chain *x = C(m, a), *y = C(m, b);
	return x->start < y->start || (x->start == y->start && a < b);
}

static const struct treap itree = {offsetof(struct anon_vma_chain, node), before, update};

void interval_tree_insert(struct machine *m, uint32_t c, uint32_t *root)
{
	struct anon_vma_chain *n = C(m, c);
	const struct vma *v = vma_at(m, n->vma);
	uint64_t pages = (v->vm_end - v->vm_start) >> m->page_shift;
	jset64(&m->j, &n->start, v->pgoff);
	jset64(&m->j, &n->last, v->pgoff + pages - 1);
	jset64(&m->j, &n->max_last, n->last);
	treap_insert(m, &itree, root, c);
}

bool interval_tree_single(const struct machine *m, uint32_t root)
{
	return root && !C(m, root)->node.left && !C(m, root)->node.right;
}

void interval_tree_remove(struct machine *m, uint32_t c, uint32_t *root)
{
	treap_remove(m, &itree, root, c);
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
	unsigned k = stab(m, n->node.left, index, fn, ctx);
	if (n->start > index)
		return k; /* everything to the right starts later still */
	if (index <= n->last) {
		fn(m, c, ctx);
		k++;
	}
	return k + stab(m, n->node.right, index, fn, ctx);
}

unsigned interval_tree_foreach(const struct machine *m, uint32_t root, uint64_t index, avc_fn fn, void *ctx)
{
	return stab(m, root, index, fn, ctx);
}
