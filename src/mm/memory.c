/*
 * Page faults and user pages (mm/memory.c, Linux 6.18).  An access runs the
 * MMU (TLB, walk: walk.c); on a fault handle_mm_fault takes the kernel's
 * decision steps, each an event:
 * - lock_mm_and_find_vma: no VMA covers the address -> SIGSEGV;
 * - access_error: the VMA forbids the access -> SIGSEGV (a read is allowed
 *   by any of VM_READ/WRITE/EXEC, as on x86);
 * - do_anonymous_page for a PTE that is none: a read maps the shared zero
 *   page read-only; a write takes a zeroed page from the buddy with
 *   GFP_HIGHUSER_MOVABLE|__GFP_ZERO, adds it to the VMA's anon_vma
 *   (folio_add_new_anon_rmap: _mapcount 0, PG_anon_exclusive) and maps it
 *   writable;
 * - do_wp_page for a write to a present read-only PTE: the zero page is
 *   replaced by a new page; an anonymous page is reused when exclusive or
 *   when it has one reference and one mapper (wp_can_reuse_anon_folio);
 *   otherwise wp_page_copy copies it to a new page and drops the old one;
 *   a KSM page is never reused, whoever maps it (wp_can_reuse_anon_folio:
 *   folio_test_ksm), so a write to it always copies; an unsharing fault
 *   (break_ksm) copies too but maps the copy read-only;
 * then the access is retried.  Every fault counts as pgfault and, all being
 * anonymous, minor.  Each user page carries a content word: a write stores
 * the value, a read returns it, a copy copies it, the zero page reads 0.
 * - do_fault for a file VMA: do_read_fault maps the page cache's page
 *   read-only, do_cow_fault (a write, private) copies it to an anonymous
 *   page, do_shared_fault (a write, shared) maps it writable and dirty; a
 *   page the disk had to read makes it a major fault; a write to a file
 *   page mapped read-only is wp_page_shared (shared) or a copy (private);
 *   beyond the end of the file, SIGBUS.
 * A fault below the stack VMA within RLIMIT_STACK grows it (expand_stack).
 * A new anonymous page joins the inactive anon LRU list (folio_add_lru,
 * swap.c); a freed one leaves its list; a dirty file PTE dirties its page
 * (folio_mark_dirty).
 * - do_swap_page for a swap PTE: the page from the swap cache when another
 *   mapper brought it in (minor), else read from its slot (major); the
 *   PTE's swap count goes (swap_free), the slot is let go when swap is more
 *   than half full or a write will own the page (should_try_to_free_swap);
 *   the page is mapped writable when exclusive (the PTE's exclusive bit or
 *   the only reference), its rmap then the VMA's anon_vma, else the root
 *   anon_vma; a write to a shared one goes on to do_wp_page;
 * - zap also drops swap PTEs (free_swap_and_cache) and a page leaving its
 *   last mapping drops its swap cache copy (free_swap_cache).
 * Simplifications: no fault-around, no swap readahead; the zero page is taken from
 * the buddy at its first use instead of living in the kernel image.
 */
#include "numa.h"
#include "procs.h"
#include "ksm.h"

#include <stdio.h>
#include <stdlib.h>

#include "gfp.h"
#include "page_alloc.h"
#include "vmscan.h"
#include "swap.h"

const char *const segv_names[NR_SEGV] = {"no VMA covers the address", "the VMA does not allow the access",
					 "SIGBUS: the page is beyond the end of the file"};

struct upage *page_user(const struct machine *m, uint32_t pfn)
{
	if (pfn >= m->nr_frames || !m->frames[pfn].up)
		return NULL;
	return procs_ptr(m, m->frames[pfn].up);
}

uint64_t *pte_lookup(const struct machine *m, uint32_t asid, uint64_t va, uint32_t *table)
{
	const struct pt_format *f = &m->pt->fmt;
	const struct pt_mm *o = pt_mm(m, asid);
	if (!o)
		return NULL;
	uint32_t t = o->pgd;
	for (unsigned d = 0; d < f->depth; d++) {
		uint32_t i = pt_index(f, va, d);
		uint64_t *e = &pt_entries(m, t)[i];
		if (d + 1 == f->depth || (pte_present(m, *e) && pte_is_leaf(m, d, *e))) {
			if (table)
				*table = t;
			return e;
		}
		if (!pte_present(m, *e))
			return NULL;
		t = pt_children(m, t)[i];
	}
	return NULL;
}

enum { WALK_PRESENT, WALK_MIGRATION, WALK_SWAP };

/* Present leaves of [start, end), with migration entries (WALK_MIGRATION);
 * or only the PTE-level swap entries (WALK_SWAP). */
static void walk_level(struct machine *m, uint32_t t, unsigned d, uint64_t base, uint64_t start, uint64_t end,
		       pte_fn fn, void *ctx, int mode)
{
	const struct pt_format *f = &m->pt->fmt;
	uint64_t span = 1ull << f->shift[d];
	uint32_t n = pt_nr_entries(m, d);
	uint32_t i = start > base ? (uint32_t)((start - base) >> f->shift[d]) : 0;
	for (; i < n; i++) {
		uint64_t va = base + (uint64_t)i * span;
		if (va >= end)
			break;
		uint64_t *e = &pt_entries(m, t)[i];
		if (!pte_present(m, *e)) {
			if (mode == WALK_MIGRATION && is_migration_entry(m, *e))
				fn(m, ctx, va, e, t);
			else if (mode == WALK_SWAP && d + 1 == f->depth && is_swap_pte(m, *e))
				fn(m, ctx, va, e, t);
			continue;
		}
		if (!pte_is_leaf(m, d, *e))
			walk_level(m, pt_children(m, t)[i], d + 1, va, start, end, fn, ctx, mode);
		else if (mode != WALK_SWAP)
			fn(m, ctx, va, e, t);
	}
}

void walk_ptes(struct machine *m, uint32_t asid, uint64_t start, uint64_t end, pte_fn fn, void *ctx)
{
	const struct pt_mm *o = pt_mm(m, asid);
	if (o && start < end)
		walk_level(m, o->pgd, 0, 0, start, end, fn, ctx, WALK_PRESENT);
}

void walk_ptes_migration(struct machine *m, uint32_t asid, uint64_t start, uint64_t end, pte_fn fn, void *ctx)
{
	const struct pt_mm *o = pt_mm(m, asid);
	if (o && start < end)
		walk_level(m, o->pgd, 0, 0, start, end, fn, ctx, WALK_MIGRATION);
}

void walk_swap_ptes(struct machine *m, uint32_t asid, uint64_t start, uint64_t end, pte_fn fn, void *ctx)
{
	const struct pt_mm *o = pt_mm(m, asid);
	if (o && start < end)
		walk_level(m, o->pgd, 0, 0, start, end, fn, ctx, WALK_SWAP);
}

unsigned vma_pte_prot(const struct machine *m, unsigned vm_flags, bool writable)
{
	(void)m;
	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return PROT_R; /* PROT_NONE: kept mapped, out of the user's reach */
	return PROT_R | PROT_U | (writable && (vm_flags & VM_WRITE) ? PROT_W : 0) | (vm_flags & VM_EXEC ? PROT_X : 0);
}

bool pte_writable(const struct machine *m, uint64_t e)
{
	return m->pt->fmt.family == PTF_ARM64 ? (e & ARM_DBM) != 0 : (e & X86_RW) != 0;
}

uint64_t pte_wrprotect(const struct machine *m, uint64_t e)
{
	return m->pt->fmt.family == PTF_ARM64 ? (e & ~ARM_DBM) | ARM_RDONLY : e & ~X86_RW;
}

uint64_t linear_page_index(const struct machine *m, const struct vma *v, uint64_t va)
{
	return ((va - v->vm_start) >> m->page_shift) + v->pgoff;
}

/* ---- user pages ----
 * Each step must leave the counts true (the checker runs after every
 * step), so a page's _mapcount changes just before the PTE write whose
 * step shows it, and the page tables a PTE needs are made first. */

/* A new anonymous page, not mapped yet: _refcount 1, _mapcount -1. */
static int new_anon_page(struct machine *m, const struct vma *v, uint64_t va, uint64_t content, bool zero,
			 uint32_t *pfn)
{
	/* the node comes from the memory policy (alloc_pages_mpol) */
	int rc = mpol_alloc_page(m, mm_at(m, v->mm)->owner, va, linear_page_index(m, v, va),
				 GFP_HIGHUSER_MOVABLE | (zero ? __GFP_ZERO : 0), pfn);
	if (rc != MM_OK)
		return rc;
	struct procs_root *r = procs_root(m);
	uint32_t off = procs_alloc(m, sizeof(struct upage), &r->free_upage);
	struct upage *u = procs_ptr(m, off);
	jset32(&m->j, &m->frames[*pfn].up, off);
	jset32(&m->j, &m->frames[*pfn].info, frame_info(FS_ANON, 0));
	jset32(&m->j, &u->refcount, 1);
	jset32(&m->j, &u->mapping, v->anon_vma);
	jset32(&m->j, &u->flags, PG_swapbacked | PG_anon_exclusive);
	jset64(&m->j, &u->index, linear_page_index(m, v, va));
	jset64(&m->j, &u->content, content);
	folio_add_lru(m, *pfn, (v->flags & VM_LOCKED) != 0);
	return MM_OK;
}

/* The last reference went: the record and the frame go back. */
static void free_user_page(struct machine *m, uint32_t pfn)
{
	lru_del_on_free(m, pfn);
	procs_release(m, m->frames[pfn].up, &procs_root(m)->free_upage);
	jset32(&m->j, &m->frames[pfn].up, 0);
	jset32(&m->j, &m->frames[pfn].info, frame_info(FS_ALLOC, 0));
	free_pages(m, pfn, 0); /* its steps close the writes above */
}

void put_page(struct machine *m, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	jset32(&m->j, &u->refcount, u->refcount - 1);
	if (!u->refcount)
		free_user_page(m, pfn);
	else
		EMIT(m, EV_PUT_PAGE, pfn, u->refcount);
}

/* The counters a page counts in: NR_ANON_MAPPED or NR_FILE_MAPPED, and
 * the mm's MM_ANONPAGES, MM_FILEPAGES or MM_SHMEMPAGES. */
static void counters(struct machine *m, uint32_t pid, uint32_t pfn, uint32_t **mapped, uint32_t **rss)
{
	bool anon = frame_is_anon(frame_state(&m->frames[pfn]));
	struct procs_root *r = procs_root(m);
	struct mm_struct *mm = task_mm(m, pid);
	*mapped = anon ? &r->nr_anon : &r->nr_file_mapped;
	/* mm_counter_file: a swap-backed file page is shmem */
	bool shmem = !anon && (page_user(m, pfn)->flags & PG_swapbacked);
	*rss = anon ? &mm->rss_anon : shmem ? &mm->rss_shmem : &mm->rss_file;
}

/* Count one more PTE of pid mapping pfn (folio_add_*_rmap_pte). */
void rmap_add(struct machine *m, uint32_t pid, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	uint32_t *mapped, *rss;
	counters(m, pid, pfn, &mapped, &rss);
	jset32(&m->j, &u->mapcount, u->mapcount + 1);
	if (u->mapcount == 1)
		jset32(&m->j, mapped, *mapped + 1);
	jset32(&m->j, rss, *rss + 1);
}

/* Count one PTE less (folio_remove_rmap_pte); the reference stays. */
void rmap_remove(struct machine *m, uint32_t pid, uint32_t pfn)
{
	struct upage *u = page_user(m, pfn);
	uint32_t *mapped, *rss;
	counters(m, pid, pfn, &mapped, &rss);
	jset32(&m->j, &u->mapcount, u->mapcount - 1);
	if (!u->mapcount) {
		jset32(&m->j, mapped, *mapped - 1);
		jset32(&m->j, &u->flags, u->flags & ~PG_anon_exclusive);
	}
	jset32(&m->j, rss, *rss - 1);
}

static int get_zero_page(struct machine *m, uint32_t *pfn)
{
	struct procs_root *r = procs_root(m);
	if (r->zero_pfn != PFN_NONE) {
		*pfn = r->zero_pfn;
		return MM_OK;
	}
	int rc = alloc_pages(m, 0, GFP_KERNEL | __GFP_ZERO, -1, pfn);
	if (rc != MM_OK)
		return rc;
	jset32(&m->j, &m->frames[*pfn].info, frame_info(FS_ZERO, 0));
	jset32(&m->j, &r->zero_pfn, *pfn);
	EMIT(m, EV_ZERO_PAGE, *pfn);
	return MM_OK;
}

/* ---- teardown and protection ---- */

void vas_collect(struct machine *m, void *ctx, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)m, (void)pte, (void)table;
	struct vas *v = ctx;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 64;
		v->va = realloc(v->va, v->cap * sizeof *v->va);
		if (!v->va)
			abort();
	}
	v->va[v->n++] = va;
}

void zap_page_range(struct machine *m, uint32_t pid, uint32_t v, uint64_t start, uint64_t end)
{
	bool locked = (vma_at(m, v)->flags & VM_LOCKED) != 0;
	uint32_t asid = task_mm(m, pid)->asid;
	struct vas vs = {0};
	walk_ptes(m, asid, start, end, vas_collect, &vs);
	for (size_t i = 0; i < vs.n; i++) {
		uint32_t pfn = pte_pfn(m, *pte_lookup(m, asid, vs.va[i], NULL));
		bool user = pfn != procs_root(m)->zero_pfn;
		if (user && locked) /* munlock_vma_folio, before the PTE goes */
			munlock_vma_folio(m, pfn, pid, vs.va[i]);
		if (user)
			rmap_remove(m, pid, pfn);
		pt_unmap(m, asid, vs.va[i]);
		if (!user)
			continue;
		const struct upage *u = page_user(m, pfn);
		EMIT(m, EV_RMAP_REMOVE, pfn, pid, (int64_t)vs.va[i], u->mapcount, u->refcount);
		if (!u->mapcount)
			folio_free_swap(m, pfn); /* free_swap_cache */
		put_page(m, pfn);
	}
	vs.n = 0;
	walk_swap_ptes(m, asid, start, end, vas_collect, &vs);
	struct mm_struct *mm = task_mm(m, pid);
	for (size_t i = 0; i < vs.n; i++) {
		uint64_t old = pt_set_pte_raw(m, asid, vs.va[i], 0);
		jset32(&m->j, &mm->swapents, mm->swapents - 1);
		free_swap_and_cache(m, pte_to_swp_entry(m, old));
		pt_pte_done(m, asid, vs.va[i], old);
	}
	free(vs.va);
}

void try_to_unmap_one(struct machine *m, uint32_t pid, uint64_t va)
{
	uint32_t asid = task_mm(m, pid)->asid;
	uint64_t e = *pte_lookup(m, asid, va, NULL);
	uint32_t pfn = pte_pfn(m, e);
	bool dirty = m->pt->fmt.family == PTF_ARM64 ? !(e & ARM_RDONLY) : (e & X86_DIRTY) != 0;
	if (dirty)
		folio_mark_dirty(m, pfn);
	rmap_remove(m, pid, pfn);
	pt_unmap(m, asid, va);
	const struct upage *u = page_user(m, pfn);
	EMIT(m, EV_RMAP_REMOVE, pfn, pid, (int64_t)va, u->mapcount, u->refcount);
	put_page(m, pfn);
}

/* May this anonymous page be mapped writable without a fault? */
static bool exclusive(const struct machine *m, uint32_t pfn)
{
	const struct upage *u = page_user(m, pfn);
	return u && (u->flags & PG_anon_exclusive) && u->mapcount == 1;
}

static unsigned pte_prot_bits(const struct machine *m, uint64_t e)
{
	if (m->pt->fmt.family == PTF_ARM64)
		return PROT_R | (e & ARM_DBM ? PROT_W : 0) | (e & ARM_USER ? PROT_U : 0) |
		       (e & ARM_USER ? (e & ARM_UXN ? 0 : PROT_X) : (e & ARM_PXN ? 0 : PROT_X));
	bool nx = m->pt->fmt.family == PTF_X86 && (e & X86_NX);
	return PROT_R | (e & X86_RW ? PROT_W : 0) | (e & X86_USER ? PROT_U : 0) | (nx ? 0 : PROT_X);
}

void change_protection(struct machine *m, uint32_t pid, uint32_t v, uint64_t start, uint64_t end,
		       unsigned new_flags, bool widen)
{
	(void)v;
	uint32_t asid = task_mm(m, pid)->asid;
	struct vas vs = {0};
	walk_ptes(m, asid, start, end, vas_collect, &vs);
	for (size_t i = 0; i < vs.n; i++) {
		uint64_t e = *pte_lookup(m, asid, vs.va[i], NULL);
		unsigned now = pte_prot_bits(m, e);
		unsigned want = vma_pte_prot(m, new_flags, exclusive(m, pte_pfn(m, e)));
		if (!widen)
			want &= now | PROT_R;
		if (want != now)
			pt_protect(m, asid, vs.va[i], want);
	}
	free(vs.va);
}

/* ---- the fault handler ---- */

static int do_anonymous_page(struct machine *m, uint32_t pid, uint32_t v, uint64_t va, enum pt_access acc)
{
	uint32_t asid = task_mm(m, pid)->asid, pfn;
	unsigned flags = vma_at(m, v)->flags;
	int rc;
	if ((rc = pt_populate(m, asid, va)) != MM_OK)
		return rc;
	if (acc != ACC_WRITE) {
		if ((rc = get_zero_page(m, &pfn)) != MM_OK)
			return rc;
		EMIT(m, EV_ANON_FAULT, pid, (int64_t)va, pfn, 1);
		return pt_map(m, asid, va, pfn, 0, vma_pte_prot(m, flags, false));
	}
	anon_vma_prepare(m, pid, v);
	if ((rc = new_anon_page(m, vma_at(m, v), va, 0, true, &pfn)) != MM_OK)
		return rc;
	EMIT(m, EV_ANON_FAULT, pid, (int64_t)va, pfn, 0);
	rmap_add(m, pid, pfn);
	pt_map(m, asid, va, pfn, 0, vma_pte_prot(m, flags, true)); /* the tables are there */
	EMIT(m, EV_RMAP_ADD, pfn, pid, (int64_t)va, 1, 1);
	return MM_OK;
}

enum { WP_REUSE, WP_COPY, WP_ZERO, WP_SHARED, WP_FILE_COPY, WP_KSM, WP_UNSHARE };

/* unshare: FAULT_FLAG_UNSHARE (break_ksm): the copy is mapped read-only,
 * exclusive, so a later write reuses it. */
static int do_wp_page(struct machine *m, uint32_t pid, uint32_t v, uint64_t va, uint64_t pte, bool unshare)
{
	uint32_t asid = task_mm(m, pid)->asid, old = pte_pfn(m, pte), pfn;
	unsigned flags = vma_at(m, v)->flags;
	bool zero = old == procs_root(m)->zero_pfn;
	struct upage *u = zero ? NULL : page_user(m, old);
	bool file = frame_state(&m->frames[old]) == FS_FILE;
	if (file && (flags & VM_SHARED)) { /* wp_page_shared */
		folio_mark_dirty(m, old);
		EMIT(m, EV_WP_FAULT, pid, (int64_t)va, old, old, WP_SHARED);
		return pt_protect(m, asid, va, vma_pte_prot(m, flags, true));
	}
	if (!file && u && !(u->flags & PG_anon_exclusive) && frame_state(&m->frames[old]) == FS_SWAPCACHE)
		folio_free_swap(m, old); /* wp_can_reuse_anon_folio: the swap copy may go */
	/* wp_can_reuse_anon_folio never reuses a KSM page */
	bool ksm = u && (u->flags & PG_ksm);
	if (!file && u && !ksm && ((u->flags & PG_anon_exclusive) || (u->refcount == 1 && u->mapcount == 1))) {
		jset32(&m->j, &u->flags, u->flags | PG_anon_exclusive);
		EMIT(m, EV_WP_FAULT, pid, (int64_t)va, old, old, WP_REUSE);
		return pt_protect(m, asid, va, vma_pte_prot(m, flags, true));
	}
	anon_vma_prepare(m, pid, v);
	int rc = new_anon_page(m, vma_at(m, v), va, u ? u->content : 0, zero, &pfn);
	if (rc != MM_OK)
		return rc;
	EMIT(m, EV_WP_FAULT, pid, (int64_t)va, old, pfn,
	     unshare ? WP_UNSHARE : zero ? WP_ZERO : file ? WP_FILE_COPY : ksm ? WP_KSM : WP_COPY);
	rmap_add(m, pid, pfn);
	if (!zero)
		rmap_remove(m, pid, old);
	pt_remap(m, asid, va, pfn, vma_pte_prot(m, flags, !unshare));
	EMIT(m, EV_RMAP_ADD, pfn, pid, (int64_t)va, 1, 1);
	if (!zero) {
		EMIT(m, EV_RMAP_REMOVE, old, pid, (int64_t)va, u->mapcount, u->refcount);
		put_page(m, old);
	}
	return MM_OK;
}

enum { FF_READ, FF_COW, FF_SHARED };

/* do_read_fault, do_cow_fault, do_shared_fault: the page from the cache
 * (read from the disk if need be: a major fault), then mapped. */
static int do_fault(struct machine *m, uint32_t pid, uint32_t v, uint64_t va, enum pt_access acc,
		    struct fault_result *r)
{
	uint32_t asid = task_mm(m, pid)->asid, pfn;
	const struct vma *x = vma_at(m, v);
	unsigned flags = x->flags;
	uint32_t foff = x->file;
	uint64_t index = linear_page_index(m, x, va);
	int how = acc != ACC_WRITE ? FF_READ : (flags & VM_SHARED) ? FF_SHARED : FF_COW;
	int rc = pt_populate(m, asid, va);
	if (rc != MM_OK)
		return rc;
	if ((rc = filemap_get_page(m, foff, index, &pfn, &r->major)) != MM_OK)
		return rc;
	EMIT(m, EV_FILE_FAULT, pid, (int64_t)va, file_at(m, foff)->id, (int64_t)index, how);
	struct upage *u = page_user(m, pfn);
	if (how == FF_COW) {
		uint32_t apfn;
		anon_vma_prepare(m, pid, v);
		if ((rc = new_anon_page(m, vma_at(m, v), va, u->content, false, &apfn)) != MM_OK)
			return rc;
		rmap_add(m, pid, apfn);
		pt_map(m, asid, va, apfn, 0, vma_pte_prot(m, flags, true));
		EMIT(m, EV_RMAP_ADD, apfn, pid, (int64_t)va, 1, 1);
		return MM_OK;
	}
	if (how == FF_SHARED)
		folio_mark_dirty(m, pfn);
	rmap_add(m, pid, pfn);
	jset32(&m->j, &u->refcount, u->refcount + 1);
	pt_map(m, asid, va, pfn, 0, vma_pte_prot(m, flags, how == FF_SHARED));
	EMIT(m, EV_RMAP_ADD, pfn, pid, (int64_t)va, u->mapcount, u->refcount);
	return MM_OK;
}

#define STACK_RLIMIT (8ull << 20)  /* RLIMIT_STACK's default */
#define STACK_GUARD_PAGES 256       /* stack_guard_gap */

/* A fault just below a VM_GROWSDOWN VMA grows it down to the page, within
 * the stack rlimit and keeping the guard gap to the VMA below
 * (expand_downwards). */
static void expand_stack(struct machine *m, uint32_t pid, uint32_t v, uint64_t va)
{
	struct vma *x = vma_at(m, v);
	struct mm_struct *mm = task_mm(m, pid);
	uint64_t start = va & ~(page_bytes(m) - 1);
	if (!(x->flags & VM_GROWSDOWN) || x->vm_end - start > STACK_RLIMIT)
		return;
	uint64_t below = x->prev ? vma_at(m, x->prev)->vm_end : 0;
	if (start < below + STACK_GUARD_PAGES * page_bytes(m))
		return;
	uint64_t grow = (x->vm_start - start) >> m->page_shift;
	vma_set_range(m, v, start, x->vm_end, x->pgoff - grow);
	jset32(&m->j, &mm->total_vm, mm->total_vm + (uint32_t)grow);
	EMIT(m, EV_VMA_RESIZE, pid, (int64_t)start, (int64_t)x->vm_end);
}

static bool access_error(unsigned flags, enum pt_access acc)
{
	if (acc == ACC_WRITE)
		return !(flags & VM_WRITE);
	if (acc == ACC_EXEC)
		return !(flags & VM_EXEC);
	return !(flags & (VM_READ | VM_WRITE | VM_EXEC));
}

/* VM_FAULT_MAJOR: the fault waited for the disk. */
static void count_major(struct machine *m, uint32_t pid, uint64_t va)
{
	struct procs_root *root = procs_root(m);
	struct task *t = task_by_pid(m, pid);
	jset32(&m->j, &root->pgmajfault, root->pgmajfault + 1);
	jset32(&m->j, &t->maj_flt, t->maj_flt + 1);
	jset32(&m->j, &t->min_flt, t->min_flt - 1);
	EMIT(m, EV_FAULT_MAJOR, pid, (int64_t)va);
}

/* ---- swap PTEs ---- */

static int do_swap_page(struct machine *m, uint32_t pid, uint32_t v, uint64_t va, enum pt_access acc,
			struct fault_result *r)
{
	uint32_t asid = task_mm(m, pid)->asid, pfn;
	uint64_t pte = *pte_lookup(m, asid, va, NULL);
	uint64_t entry = pte_to_swp_entry(m, pte);
	EMIT(m, EV_SWAP_FAULT, pid, (int64_t)va, swp_type(entry), (int64_t)swp_offset(entry), (int64_t)pte);
	int rc = swapin_folio(m, entry, &pfn, &r->major);
	if (rc != MM_OK)
		return rc;
	if (swap_map_pte(m, pid, v, va, pte, pfn, acc == ACC_WRITE) || acc != ACC_WRITE)
		return MM_OK;
	return do_wp_page(m, pid, v, va, *pte_lookup(m, asid, va, NULL), false);
}

static int handle_mm_fault(struct machine *m, uint32_t pid, uint64_t va, enum pt_access acc,
			   struct fault_result *r)
{
	struct mm_struct *mm = task_mm(m, pid);
	struct task *t = task_by_pid(m, pid);
	struct procs_root *root = procs_root(m);
	r->faulted = true;
	jset32(&m->j, &root->pgfault, root->pgfault + 1);
	jset32(&m->j, &t->min_flt, t->min_flt + 1);
	EMIT(m, EV_FAULT, pid, (int64_t)va, acc);
	uint32_t v = find_vma(m, mm, va);
	int why = -1;
	if (v && vma_at(m, v)->vm_start > va)
		expand_stack(m, pid, v, va);
	if (!v || vma_at(m, v)->vm_start > va)
		why = SEGV_NO_VMA;
	else if (access_error(vma_at(m, v)->flags, acc))
		why = SEGV_ACCESS;
	if (why >= 0) {
		r->segv = true;
		r->segv_reason = why;
		EMIT(m, EV_SEGV, pid, (int64_t)va, acc, why);
		return MM_OK;
	}
	uint64_t page = va & ~(page_bytes(m) - 1);
	const struct vma *x = vma_at(m, v);
	if (x->file && linear_page_index(m, x, page) >= file_at(m, x->file)->npages) {
		r->segv = true;
		r->segv_reason = SEGV_BUS;
		EMIT(m, EV_SEGV, pid, (int64_t)va, acc, SEGV_BUS);
		return MM_OK;
	}
	uint64_t *pte = pte_lookup(m, mm->asid, page, NULL);
	if ((!pte || !pte_present(m, *pte)) && x->file) {
		int rc = do_fault(m, pid, v, page, acc, r);
		if (rc == MM_OK && r->major)
			count_major(m, pid, va);
		return rc;
	}
	if (pte && is_swap_pte(m, *pte)) {
		int rc = do_swap_page(m, pid, v, page, acc, r);
		if (rc == MM_OK && r->major)
			count_major(m, pid, va);
		return rc;
	}
	if (!pte || !pte_present(m, *pte))
		return do_anonymous_page(m, pid, v, page, acc);
	if (acc == ACC_WRITE && !pte_writable(m, *pte))
		return do_wp_page(m, pid, v, page, *pte, false);
	return MM_OK; /* spurious: the retry will succeed */
}

int fault_unshare(struct machine *m, uint32_t pid, uint64_t va)
{
	struct procs_root *root = procs_root(m);
	jset32(&m->j, &root->pgfault, root->pgfault + 1); /* handle_mm_fault counts it; a remote fault no task's */
	uint32_t v = find_vma(m, task_mm(m, pid), va);
	return do_wp_page(m, pid, v, va, *pte_lookup(m, task_mm(m, pid)->asid, va, NULL), true);
}

int handle_access(struct machine *m, uint32_t pid, uint64_t va, enum pt_access acc, uint64_t value,
		  struct fault_result *r)
{
	const struct task *t = task_by_pid(m, pid);
	if (!t)
		return mm_error(m, "access: there is no process %u", pid);
	if (!t->mm)
		return mm_error(m, "access: process %u has exited", pid);
	struct mm_struct *mm = task_mm(m, pid);
	if (va >= mm->task_size)
		return mm_error(m, "access: 0x%llx is not a user address (user space ends at 0x%llx)",
				(unsigned long long)va, (unsigned long long)mm->task_size);
	*r = (struct fault_result){0};
	struct pt_result res;
	mm_op_begin(m);
	int rc = pt_translate(m, mm->asid, va, acc, true, &res);
	if (rc == MM_OK && res.fault != PTF_NONE) {
		rc = handle_mm_fault(m, pid, va, acc, r);
		if (rc == MM_NOMEM)
			r->oom = true;
		if (rc == MM_OK && !r->segv)
			rc = pt_translate(m, mm->asid, va, acc, true, &res);
	}
	if (rc == MM_OK && !r->segv && !r->oom && res.fault == PTF_NONE) {
		r->pfn = res.pfn;
		struct upage *u = page_user(m, res.pfn);
		if (acc == ACC_WRITE && u)
			jset64(&m->j, &u->content, value);
		r->value = u ? u->content : 0;
		EMIT(m, EV_ACCESS, pid, (int64_t)va, acc, res.pfn, (int64_t)r->value);
	}
	mm_op_end(m);
	return rc == MM_NOMEM ? MM_OK : rc;
}
