/*
 * KSM's invariants (ksm.c), checked after every step in tests:
 * - the stable tree is ordered by content, its parent links agree, it
 *   holds stable_nodes nodes; a node whose page is still its KSM page has
 *   that page's content as its key;
 * - each node's hlist holds hlist_len items, each marked stable and naming
 *   the node; every PTE mapping a KSM page is read-only, and each KSM page
 *   is its node's kpfn (_mapcount against the PTEs is procs_check's);
 * - the unstable tree is ordered by key and holds exactly the items marked
 *   unstable in its pass (this pass while one is under way, else the last);
 * - each slot's items are sorted by address and name their slot; a live
 *   mm on ksmd's list points back at its slot;
 * - pages_shared, pages_sharing, pages_unshared and rmap_items equal what
 *   they count.
 */
#include "ksm.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct kc {
	const struct machine *m;
	char *why;
	size_t len;
	uint32_t count;
	uint64_t last;
	bool any;
};

static int fail(struct kc *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, c->len, fmt, ap);
	va_end(ap);
	return -1;
}

/* In order: keys ascending (strictly for the stable tree), parents right. */
static int walk_tree(struct kc *c, uint32_t x, uint32_t parent, size_t tnode, size_t key, bool strict,
		     const char *what)
{
	const struct machine *m = c->m;
	while (x) {
		const char *rec = procs_ptr(m, x);
		const struct tnode *n = (const void *)(rec + tnode);
		if (n->parent != parent)
			return fail(c, "ksm: a node of the %s tree has a wrong parent link", what);
		if (walk_tree(c, n->left, x, tnode, key, strict, what))
			return -1;
		uint64_t k = *(const uint64_t *)(rec + key);
		if (c->any && (k < c->last || (strict && k == c->last)))
			return fail(c, "ksm: the %s tree is out of order at content %llu", what, (unsigned long long)k);
		c->any = true;
		c->last = k;
		c->count++;
		parent = x;
		x = n->right;
	}
	return 0;
}

static int check_node(struct kc *c, uint32_t n, uint32_t *shared, uint32_t *sharing)
{
	const struct machine *m = c->m;
	const struct ksm_stable_node *sn = node_at(m, n);
	uint32_t len = 0;
	for (uint32_t x = sn->hlist; x; x = item_at(m, x)->hnext, len++) {
		const struct ksm_rmap_item *it = item_at(m, x);
		if (!(it->address & KSM_STABLE_FLAG) || it->head != n)
			return fail(c, "ksm: an rmap_item on the hlist of KSM page 0x%x is not marked stable there", sn->kpfn);
	}
	if (len != sn->hlist_len)
		return fail(c, "ksm: KSM page 0x%x: rmap_hlist_len %u but %u items", sn->kpfn, sn->hlist_len, len);
	*shared += len > 0;
	*sharing += len ? len - 1 : 0;
	const struct upage *u = page_user(m, sn->kpfn);
	if (!u || !(u->flags & PG_ksm) || u->mapping != n)
		return 0; /* stale: removed when ksmd meets it */
	if (u->content != sn->key)
		return fail(c, "ksm: KSM page 0x%x holds %llu but its stable node says %llu", sn->kpfn,
			    (unsigned long long)u->content, (unsigned long long)sn->key);
	unsigned nh = u->mapcount;
	struct rmap_hit *hits = malloc((nh ? nh : 1) * sizeof *hits);
	if (!hits)
		abort();
	nh = rmap_walk_ksm(m, NULL, sn->kpfn, hits, nh);
	for (unsigned i = 0; i < nh && i < u->mapcount; i++) {
		const uint64_t *pte = pte_lookup(m, task_mm(m, hits[i].pid)->asid, hits[i].va, NULL);
		if (pte_writable(m, *pte)) {
			struct rmap_hit h = hits[i];
			free(hits);
			return fail(c, "ksm: pid %u maps KSM page 0x%x writable at 0x%llx", h.pid, sn->kpfn,
				    (unsigned long long)h.va);
		}
	}
	free(hits);
	return 0;
}

static void nodes_in_order(const struct machine *m, uint32_t n, uint32_t *out, uint32_t *k)
{
	while (n) {
		nodes_in_order(m, node_at(m, n)->node.left, out, k);
		out[(*k)++] = n;
		n = node_at(m, n)->node.right;
	}
}

int check_ksm(const struct machine *m, char *why, size_t whylen)
{
	const struct ksm_state *s = ksm_state(m);
	struct kc c = {.m = m, .why = why, .len = whylen};
	if (walk_tree(&c, s->stable_root, 0, offsetof(struct ksm_stable_node, node),
		      offsetof(struct ksm_stable_node, key), true, "stable"))
		return -1;
	if (c.count != s->stable_nodes)
		return fail(&c, "ksm: the stable tree holds %u nodes, stable_nodes says %u", c.count, s->stable_nodes);
	uint32_t *nodes = malloc((c.count + 1) * sizeof *nodes), k = 0, shared = 0, sharing = 0;
	if (!nodes)
		abort();
	nodes_in_order(m, s->stable_root, nodes, &k);
	for (uint32_t i = 0; i < k; i++)
		if (check_node(&c, nodes[i], &shared, &sharing)) {
			free(nodes);
			return -1;
		}
	free(nodes);
	if (shared != s->pages_shared || sharing != s->pages_sharing)
		return fail(&c, "ksm: pages_shared %u, pages_sharing %u, but the stable tree has %u and %u",
			    s->pages_shared, s->pages_sharing, shared, sharing);
	for (uint32_t pfn = 0; pfn < m->nr_frames; pfn++)
		if (page_ksm(m, pfn) && node_at(m, page_user(m, pfn)->mapping)->kpfn != pfn)
			return fail(&c, "ksm: frame 0x%x is a KSM page but not its stable node's", pfn);
	c.count = 0, c.any = false;
	if (walk_tree(&c, s->unstable_root, 0, offsetof(struct ksm_rmap_item, node), offsetof(struct ksm_rmap_item, key),
		      false, "unstable"))
		return -1;
	uint32_t in_tree = c.count, items = 0, unstable = 0, this_pass = 0;
	uint8_t pass = (uint8_t)(s->scan_slot == s->head ? s->seqnr - 1 : s->seqnr);
	for (uint32_t sl = slot_at(m, s->head)->next; sl != s->head; sl = slot_at(m, sl)->next) {
		const struct ksm_mm_slot *ms = slot_at(m, sl);
		const struct task *t = task_by_pid(m, ms->pid);
		if (t && t->mm == ms->mm && mm_at(m, ms->mm)->ksm_slot != sl && sl != s->scan_slot)
			return fail(&c, "ksm: pid %u is on ksmd's list but its mm does not name its slot", ms->pid);
		uint64_t prev = 0;
		for (uint32_t x = ms->rmap_list; x; x = item_at(m, x)->rmap_list, items++) {
			const struct ksm_rmap_item *it = item_at(m, x);
			uint64_t a = it->address & ~(page_bytes(m) - 1);
			if (it->mm_slot != sl || (prev && a <= prev))
				return fail(&c, "ksm: pid %u's rmap_items are not its own in address order at 0x%llx",
					    ms->pid, (unsigned long long)a);
			prev = a;
			if (it->address & KSM_UNSTABLE_FLAG) {
				unstable++;
				this_pass += (uint8_t)(it->address & KSM_SEQNR_MASK) == pass;
			}
		}
	}
	if (items != s->rmap_items)
		return fail(&c, "ksm: rmap_items says %u, the mm slots hold %u", s->rmap_items, items);
	if (unstable != s->pages_unshared)
		return fail(&c, "ksm: pages_unshared says %u, %u items are marked unstable", s->pages_unshared, unstable);
	if (in_tree != this_pass)
		return fail(&c, "ksm: the unstable tree holds %u items, %u are marked unstable in its pass", in_tree,
			    this_pass);
	return 0;
}
