/*
 * rmap_walk_ksm (mm/ksm.c, Linux 6.18): the PTEs mapping a KSM page.  The
 * kernel walks each of the stable node's rmap_items' anon_vma, the item's
 * own mm first and then its forks, at the item's address; here each
 * item's root anon_vma, whose interval tree holds every VMA of the fork
 * family, and each (task, address) is reported once.
 */
#include "ksm.h"

#include <stdlib.h>

struct kwalk {
	const struct machine *m;
	uint32_t kpfn;
	uint64_t va;
	struct rmap_hit *hits;
	size_t n, cap;
};

static void kwalk_add(struct kwalk *w, uint32_t pid, uint64_t va)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->hits = realloc(w->hits, w->cap * sizeof *w->hits);
		if (!w->hits)
			abort();
	}
	w->hits[w->n++] = (struct rmap_hit){pid, va};
}

/* Every chain of an anon_vma tree, in order: the VMAs of the item's
 * address that map the KSM page there. */
static void kwalk_chains(struct kwalk *w, uint32_t c)
{
	const struct machine *m = w->m;
	while (c) {
		const struct anon_vma_chain *ch = procs_ptr(m, c);
		kwalk_chains(w, ch->node.left);
		const struct vma *v = vma_at(m, ch->vma);
		if (w->va >= v->vm_start && w->va < v->vm_end) {
			const struct mm_struct *mm = mm_at(m, v->mm);
			const uint64_t *pte = pte_lookup(m, mm->asid, w->va, NULL);
			if (pte && pte_present(m, *pte) && pte_pfn(m, *pte) == w->kpfn)
				kwalk_add(w, mm->owner, w->va);
		}
		c = ch->node.right;
	}
}

static int hit_cmp(const void *a, const void *b)
{
	const struct rmap_hit *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->va < y->va ? -1 : x->va > y->va;
}

unsigned rmap_walk_ksm(const struct machine *m, struct machine *emit, uint32_t pfn, struct rmap_hit *hits,
		       unsigned max)
{
	const struct upage *u = page_user(m, pfn);
	struct kwalk w = {.m = m, .kpfn = pfn};
	for (uint32_t x = node_at(m, u->mapping)->hlist; x; x = item_at(m, x)->hnext) {
		const struct ksm_rmap_item *it = item_at(m, x);
		const struct anon_vma *av = procs_ptr(m, it->anon_vma);
		w.va = it->address & ~(page_bytes(m) - 1);
		kwalk_chains(&w, ((const struct anon_vma *)procs_ptr(m, av->root))->avc);
	}
	if (w.n > 1)
		qsort(w.hits, w.n, sizeof *w.hits, hit_cmp);
	unsigned n = 0;
	for (size_t i = 0; i < w.n; i++) {
		if (i && !hit_cmp(&w.hits[i], &w.hits[i - 1]))
			continue;
		if (n < max)
			hits[n] = w.hits[i];
		n++;
		if (emit)
			EMIT(emit, EV_RMAP_WALK, pfn, w.hits[i].pid, (int64_t)w.hits[i].va, u->mapcount);
	}
	free(w.hits);
	return n;
}
