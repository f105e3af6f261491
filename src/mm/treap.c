/*
 * The balanced tree under the VMA tree (vma.c) and the interval trees of
 * the reverse map (interval_tree.c): a treap in the procs arena.  Nodes are
 * ordered by the caller's key and heap-ordered by a priority hashed from the
 * node's offset (deterministic, independent of the key), which keeps the
 * expected depth O(log n) as the kernel's maple and red-black trees keep
 * theirs.  Each user keeps an augmented value per node (the largest gap,
 * the largest last page) that its update() recomputes from the children;
 * rotations and changes along a path call it.
 */
#include "treap.h"

#include "procs.h"

struct tnode *treap_node(const struct machine *m, const struct treap *t, uint32_t off)
{
	return (struct tnode *)((char *)procs_ptr(m, off) + t->node);
}

static uint32_t prio_of(uint32_t off)
{
	uint64_t z = off + 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)(z ^ (z >> 31));
}

void treap_propagate(struct machine *m, const struct treap *t, uint32_t x)
{
	while (x && t->update(m, x))
		x = treap_node(m, t, x)->parent;
}

static void replace_child(struct machine *m, const struct treap *t, uint32_t *root, uint32_t parent, uint32_t old,
			  uint32_t new)
{
	if (!parent)
		jset32(&m->j, root, new);
	else if (treap_node(m, t, parent)->left == old)
		jset32(&m->j, &treap_node(m, t, parent)->left, new);
	else
		jset32(&m->j, &treap_node(m, t, parent)->right, new);
	if (new)
		jset32(&m->j, &treap_node(m, t, new)->parent, parent);
}

/* Lift x above its parent; the subtree's set is unchanged above it. */
static void rotate_up(struct machine *m, const struct treap *t, uint32_t *root, uint32_t x)
{
	struct tnode *n = treap_node(m, t, x);
	uint32_t p = n->parent;
	struct tnode *pn = treap_node(m, t, p);
	uint32_t g = pn->parent;
	uint32_t *inner = pn->left == x ? &n->right : &n->left;
	uint32_t b = *inner;
	jset32(&m->j, pn->left == x ? &pn->left : &pn->right, b);
	if (b)
		jset32(&m->j, &treap_node(m, t, b)->parent, p);
	jset32(&m->j, inner, p);
	replace_child(m, t, root, g, p, x);
	jset32(&m->j, &pn->parent, x);
	t->update(m, p);
	t->update(m, x);
}

void treap_insert(struct machine *m, const struct treap *t, uint32_t *root, uint32_t x)
{
	struct tnode *n = treap_node(m, t, x);
	jset32(&m->j, &n->prio, prio_of(x));
	jset32(&m->j, &n->left, 0);
	jset32(&m->j, &n->right, 0);
	uint32_t parent = 0;
	for (uint32_t at = *root; at;) {
		parent = at;
		at = t->before(m, x, at) ? treap_node(m, t, at)->left : treap_node(m, t, at)->right;
	}
	jset32(&m->j, &n->parent, parent);
	if (!parent)
		jset32(&m->j, root, x);
	else if (t->before(m, x, parent))
		jset32(&m->j, &treap_node(m, t, parent)->left, x);
	else
		jset32(&m->j, &treap_node(m, t, parent)->right, x);
	t->update(m, x);
	treap_propagate(m, t, parent);
	while (n->parent && treap_node(m, t, n->parent)->prio < n->prio)
		rotate_up(m, t, root, x);
}

void treap_remove(struct machine *m, const struct treap *t, uint32_t *root, uint32_t x)
{
	struct tnode *n = treap_node(m, t, x);
	/* rotate it down until it is a leaf, then cut it off */
	while (n->left || n->right) {
		uint32_t c;
		if (!n->left)
			c = n->right;
		else if (!n->right)
			c = n->left;
		else
			c = treap_node(m, t, n->left)->prio > treap_node(m, t, n->right)->prio ? n->left : n->right;
		rotate_up(m, t, root, c);
	}
	uint32_t parent = n->parent;
	replace_child(m, t, root, parent, x, 0);
	treap_propagate(m, t, parent);
	jset32(&m->j, &n->parent, 0);
}
