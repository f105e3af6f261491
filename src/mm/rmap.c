/*
 * The reverse map of anonymous pages (mm/rmap.c, Linux 6.18):
 * - anon_vma_prepare gives a VMA its anon_vma on the first fault;
 * - anon_vma_clone links a split-off or forked VMA to every anon_vma its
 *   source is linked to (one anon_vma_chain per link), and anon_vma_fork
 *   then gives the child VMA an anon_vma of its own whose parent is the
 *   source's, so pages the child copies later are found from the child's
 *   VMAs only, while pages from before the fork are found in both;
 * - unlink_anon_vmas drops a VMA's chains and frees anon_vmas no chain
 *   and no child names any more;
 * - rmap_walk_anon: from a page's anon_vma, each chained VMA whose range
 *   holds the page's index gives the address where it may be mapped; the
 *   PTE there says if it is.
 * - try_to_unmap (try_to_unmap_one, for an anonymous page in the swap
 *   cache): each PTE the walk finds becomes the page's swap entry, one step
 *   each: the slot's count goes up (swap_duplicate), the PTE keeps the
 *   page's exclusivity in its exclusive bit, a dirty PTE dirties the page,
 *   rss moves from MM_ANONPAGES to MM_SWAPENTS, the mapping's reference
 *   goes and the TLB entry is flushed.
 * An anon_vma keeps its chains in an interval tree by page range
 * (interval_tree.c), so a walk visits only VMAs that cover the page; a
 * file page is found the same way through its file's i_mmap tree
 * (rmap_walk_file).
 * - try_to_migrate / try_to_migrate_one replace each PTE of a page by a
 *   migration entry; remove_migration_ptes / remove_migration_pte walk the
 *   new page's rmap for entries naming the old frame and map the new one
 *   (the kernel walks the new folio too: it has taken the old one's place).
 *   Hugetlb, device-private and THP-split cases are left out.
 * - a KSM page is walked through its stable node (rmap_walk_ksm, ksm_rmap.c).
 */
#include "procs.h"

#include <stdlib.h>

#include "ksm.h"
#include "swap.h"

static struct anon_vma *av_at(const struct machine *m, uint32_t off) { return procs_ptr(m, off); }
static struct anon_vma_chain *avc_at(const struct machine *m, uint32_t off) { return procs_ptr(m, off); }

uint32_t anon_vma_id(const struct machine *m, uint32_t av) { return av ? av_at(m, av)->id : 0; }

static uint32_t anon_vma_alloc(struct machine *m, uint32_t parent)
{
	struct procs_root *r = procs_root(m);
	uint32_t off = procs_alloc(m, sizeof(struct anon_vma), &r->free_anon_vma);
	struct anon_vma *a = av_at(m, off);
	jset32(&m->j, &r->nr_anon_vma_ids, r->nr_anon_vma_ids + 1);
	jset32(&m->j, &a->id, r->nr_anon_vma_ids);
	jset32(&m->j, &a->parent, parent);
	jset32(&m->j, &a->root, parent ? av_at(m, parent)->root : off);
	if (parent)
		jset32(&m->j, &av_at(m, parent)->refcount, av_at(m, parent)->refcount + 1);
	return off;
}

void get_anon_vma(struct machine *m, uint32_t av)
{
	jset32(&m->j, &av_at(m, av)->refcount, av_at(m, av)->refcount + 1);
}

void put_anon_vma(struct machine *m, uint32_t off)
{
	while (off) {
		struct anon_vma *a = av_at(m, off);
		jset32(&m->j, &a->refcount, a->refcount - 1);
		if (a->refcount)
			return;
		uint32_t parent = a->parent;
		procs_release(m, off, &procs_root(m)->free_anon_vma);
		off = parent;
	}
}

/* Chain VMA v to anon_vma av (anon_vma_chain_link). */
static void avc_link(struct machine *m, uint32_t v, uint32_t av)
{
	uint32_t c = procs_alloc(m, sizeof(struct anon_vma_chain), &procs_root(m)->free_avc);
	struct anon_vma_chain *ch = avc_at(m, c);
	struct anon_vma *a = av_at(m, av);
	struct vma *n = vma_at(m, v);
	jset32(&m->j, &ch->vma, v);
	jset32(&m->j, &ch->anon_vma, av);
	jset32(&m->j, &ch->same_vma, n->avc);
	jset32(&m->j, &n->avc, c);
	anon_vma_interval_tree_insert(m, c, av);
	jset32(&m->j, &a->refcount, a->refcount + 1);
}

int anon_vma_prepare(struct machine *m, uint32_t pid, uint32_t v)
{
	struct vma *n = vma_at(m, v);
	if (n->anon_vma)
		return MM_OK;
	uint32_t av = anon_vma_alloc(m, 0);
	avc_link(m, v, av);
	jset32(&m->j, &n->anon_vma, av);
	EMIT(m, EV_ANON_VMA, pid, (int64_t)n->vm_start, av_at(m, av)->id, 0);
	return MM_OK;
}

void anon_vma_clone(struct machine *m, uint32_t dst, uint32_t src)
{
	/* the source's chain runs newest first; link oldest first so dst's
	 * list reads the same */
	uint32_t stack[64], n = 0;
	for (uint32_t c = vma_at(m, src)->avc; c; c = avc_at(m, c)->same_vma) {
		if (n == 64) { /* deep fork chains: link the rest in list order */
			avc_link(m, dst, avc_at(m, c)->anon_vma);
			continue;
		}
		stack[n++] = avc_at(m, c)->anon_vma;
	}
	while (n)
		avc_link(m, dst, stack[--n]);
}

int anon_vma_fork(struct machine *m, uint32_t pid, uint32_t child_vma, uint32_t parent_vma)
{
	struct vma *p = vma_at(m, parent_vma), *c = vma_at(m, child_vma);
	jset32(&m->j, &c->avc, 0);
	jset32(&m->j, &c->anon_vma, 0);
	if (!p->anon_vma)
		return MM_OK;
	anon_vma_clone(m, child_vma, parent_vma);
	uint32_t av = anon_vma_alloc(m, p->anon_vma);
	avc_link(m, child_vma, av);
	jset32(&m->j, &c->anon_vma, av);
	EMIT(m, EV_ANON_VMA, pid, (int64_t)c->vm_start, av_at(m, av)->id, av_at(m, p->anon_vma)->id);
	return MM_OK;
}

void unlink_anon_vmas(struct machine *m, uint32_t v)
{
	struct vma *n = vma_at(m, v);
	for (uint32_t c = n->avc; c;) {
		struct anon_vma_chain *ch = avc_at(m, c);
		uint32_t next = ch->same_vma, av = ch->anon_vma;
		anon_vma_interval_tree_remove(m, c, av);
		procs_release(m, c, &procs_root(m)->free_avc);
		put_anon_vma(m, av);
		c = next;
	}
	jset32(&m->j, &n->avc, 0);
	jset32(&m->j, &n->anon_vma, 0);
}

/* Where a page of the anon_vma would be mapped in VMA v, or 0 (vma_address). */
static uint64_t vma_address(const struct machine *m, const struct vma *v, uint64_t index)
{
	uint64_t pages = (v->vm_end - v->vm_start) >> m->page_shift;
	if (index < v->pgoff || index - v->pgoff >= pages)
		return 0;
	return v->vm_start + ((index - v->pgoff) << m->page_shift);
}

struct walk_ctx {
	struct machine *emit;
	uint32_t pfn;   /* the frame the entries name */
	bool migration; /* look for migration entries naming pfn, not present PTEs */
	uint64_t index;
	struct rmap_hit *hits;
	unsigned max, n;
};

static void walk_one(const struct machine *m, uint32_t c, void *arg)
{
	struct walk_ctx *w = arg;
	const struct vma *v = vma_at(m, avc_at(m, c)->vma);
	uint64_t va = vma_address(m, v, w->index);
	if (!va)
		return;
	const struct mm_struct *mm = mm_at(m, v->mm);
	const uint64_t *pte = pte_lookup(m, mm->asid, va, NULL);
	if (!pte || pte_pfn(m, *pte) != w->pfn)
		return;
	if (w->migration ? !is_migration_entry(m, *pte) : !pte_present(m, *pte))
		return;
	if (w->n < w->max)
		w->hits[w->n] = (struct rmap_hit){mm->owner, va};
	w->n++;
	if (w->emit)
		EMIT(w->emit, EV_RMAP_WALK, w->pfn, mm->owner, (int64_t)va, page_user(m, w->pfn)->mapcount);
}

/* The mappings of page (through its anon_vma or file) that name pfn. */
static unsigned walk_for(const struct machine *m, struct machine *emit, uint32_t page, uint32_t pfn, bool migration,
			 struct rmap_hit *hits, unsigned max)
{
	const struct upage *u = page_user(m, page);
	if (!u || !u->mapping)
		return 0;
	if ((u->flags & PG_ksm) && !migration)
		return rmap_walk_ksm(m, emit, pfn, hits, max);
	uint32_t pfn_ = page;
	struct walk_ctx w = {emit, pfn, migration, u->index, hits, max, 0};
	/* rmap_walk_anon through the anon_vma, rmap_walk_file through i_mmap */
	uint32_t root = frame_is_anon(frame_state(&m->frames[pfn_])) ? av_at(m, u->mapping)->avc
								  : file_at(m, u->mapping)->i_mmap;
	interval_tree_foreach(m, root, u->index, walk_one, &w);
	return w.n;
}

static unsigned walk(const struct machine *m, struct machine *emit, uint32_t pfn, struct rmap_hit *hits,
		     unsigned max)
{
	return walk_for(m, emit, pfn, pfn, false, hits, max);
}

/* The hits of a walk, in host memory the caller frees. */
static struct rmap_hit *collect_hits(const struct machine *m, uint32_t page, uint32_t pfn, bool migration,
				     unsigned *n)
{
	*n = walk_for(m, NULL, page, pfn, migration, NULL, 0);
	struct rmap_hit *hits = malloc((*n ? *n : 1) * sizeof *hits);
	if (!hits)
		abort();
	walk_for(m, NULL, page, pfn, migration, hits, *n);
	return hits;
}

/* The counter of mapped pages a page counts in (NR_ANON_MAPPED or
 * NR_FILE_MAPPED). */
static uint32_t *mapped_counter(const struct machine *m, uint32_t pfn)
{
	struct procs_root *r = procs_root(m);
	return frame_is_anon(frame_state(&m->frames[pfn])) ? &r->nr_anon : &r->nr_file_mapped;
}

/* try_to_migrate_one for each mapping: the PTE becomes a migration entry
 * and the page loses that mapping and its reference (folio_remove_rmap_pte,
 * folio_put); the mm's rss stays, the page is only moving. */
unsigned try_to_migrate(struct machine *m, uint32_t pfn)
{
	unsigned n;
	struct rmap_hit *hits = collect_hits(m, pfn, pfn, false, &n);
	struct upage *u = page_user(m, pfn);
	for (unsigned i = 0; i < n; i++) {
		uint32_t asid = task_mm(m, hits[i].pid)->asid;
		uint64_t old = *pte_lookup(m, asid, hits[i].va, NULL);
		uint64_t e = pt_make_migration(m, asid, hits[i].va);
		jset32(&m->j, &u->mapcount, u->mapcount - 1);
		jset32(&m->j, &u->refcount, u->refcount - 1);
		if (!u->mapcount) {
			uint32_t *mapped = mapped_counter(m, pfn);
			jset32(&m->j, mapped, *mapped - 1);
		}
		EMIT(m, EV_MIGRATE_UNMAP, pfn, hits[i].pid, (int64_t)hits[i].va, (int64_t)old, (int64_t)e, u->mapcount);
		pt_tlb_flush(m, asid, hits[i].va, false);
	}
	free(hits);
	return n;
}

/* remove_migration_pte for each entry naming src: it maps dst, writable if
 * the entry was, and dst gains the mapping and a reference. */
unsigned remove_migration_ptes(struct machine *m, uint32_t src, uint32_t dst)
{
	unsigned n;
	struct rmap_hit *hits = collect_hits(m, dst, src, true, &n);
	struct upage *u = page_user(m, dst);
	for (unsigned i = 0; i < n; i++) {
		const struct mm_struct *mm = task_mm(m, hits[i].pid);
		uint64_t old = *pte_lookup(m, mm->asid, hits[i].va, NULL);
		const struct vma *v = vma_at(m, find_vma(m, mm, hits[i].va));
		unsigned prot = vma_pte_prot(m, v->flags, is_writable_migration_entry(m, old));
		uint64_t e = pt_restore_migration(m, mm->asid, hits[i].va, dst, prot);
		jset32(&m->j, &u->mapcount, u->mapcount + 1);
		jset32(&m->j, &u->refcount, u->refcount + 1);
		if (u->mapcount == 1) {
			uint32_t *mapped = mapped_counter(m, dst);
			jset32(&m->j, mapped, *mapped + 1);
		}
		EMIT(m, EV_MIGRATE_REMAP, dst, hits[i].pid, (int64_t)hits[i].va, (int64_t)old, (int64_t)e, u->mapcount);
	}
	free(hits);
	return n;
}

unsigned rmap_walk(struct machine *m, uint32_t pfn, bool emit, struct rmap_hit *hits, unsigned max)
{
	if (!emit)
		return walk(m, NULL, pfn, hits, max);
	mm_op_begin(m);
	unsigned n = walk(m, m, pfn, hits, max);
	mm_op_end(m);
	return n;
}

unsigned rmap_walk_const(const struct machine *m, uint32_t pfn, struct rmap_hit *hits, unsigned max)
{
	return walk(m, NULL, pfn, hits, max);
}

static bool pte_dirty(const struct machine *m, uint64_t e)
{
	if (m->pt->fmt.family == PTF_ARM64)
		return (e & ARM_DBM) && !(e & ARM_RDONLY);
	return (e & X86_DIRTY) != 0;
}

bool try_to_unmap(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	if (!u || frame_state(&m->frames[pfn]) != FS_SWAPCACHE)
		return false;
	unsigned n = u->mapcount;
	struct rmap_hit *hits = malloc((n ? n : 1) * sizeof *hits);
	if (!hits)
		abort();
	n = rmap_walk_const(m, pfn, hits, n);
	uint64_t entry = u->swap;
	for (unsigned i = 0; i < n; i++) {
		struct mm_struct *mm = task_mm(m, hits[i].pid);
		bool exclusive = u->flags & PG_anon_exclusive;
		swap_duplicate(m, entry);
		uint64_t old = pt_set_pte_raw(m, mm->asid, hits[i].va, swp_entry_to_pte(m, entry, exclusive));
		if (pte_dirty(m, old))
			jset32(&m->j, &u->flags, u->flags | PG_dirty);
		rmap_remove(m, hits[i].pid, pfn);
		jset32(&m->j, &mm->swapents, mm->swapents + 1);
		jset32(&m->j, &u->refcount, u->refcount - 1);
		EMIT(m, EV_TRY_TO_UNMAP, hits[i].pid, (int64_t)hits[i].va, pfn, swp_type(entry),
		     (int64_t)swp_offset(entry), (int64_t)*pte_lookup(m, mm->asid, hits[i].va, NULL), u->mapcount);
		pt_pte_done(m, mm->asid, hits[i].va, old);
	}
	free(hits);
	return u->mapcount == 0;
}
