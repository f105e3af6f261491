/*
 * Invariants of processes and user pages, checked after every step in tests:
 * - each live mm's VMAs are page-aligned, non-empty, sorted and disjoint;
 *   the address list and the tree agree (an in-order walk gives the list),
 *   the tree is heap-ordered by priority with consistent parent links, each
 *   node's gap is its distance to the VMA below and max_gap the largest of
 *   its subtree; map_count and total_vm count them;
 * - every present PTE of a task lies inside a VMA, maps a user page with
 *   permissions the VMA allows (never writable unless VM_WRITE; the zero
 *   page never writable), and an anonymous page in a VMA chained to its
 *   anon_vma;
 * - each user page's mapcount equals the PTEs mapping it, found both by a
 *   scan of every page table here and by rmap_walk; _refcount >= mapcount;
 *   rss and NR_ANON_MAPPED agree with the scan;
 * - a migration entry lies in a VMA like a PTE and names an isolated user
 *   page of the right anon_vma or file and index; it counts in the mm's
 *   rss but not in the page's mapcount; a page cache page may be missing
 *   from its slot only while its isolated copy holds it, mid-migration;
 * - a page-cache slot holds a page, nothing or a shadow entry (never in a
 *   shmem object, and naming a node of the machine); nrpages counts the
 *   pages.
 */
#include "procs.h"
#include "vmscan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct ck {
	const struct machine *m;
	char *why;
	size_t whylen;
	int rc;
	uint32_t *maps; /* PTEs per pfn found by the scan */
	uint32_t pid, rss, rss_file, rss_shmem;
	const struct vma *v;
};

static int fail(struct ck *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, c->whylen, fmt, ap);
	va_end(ap);
	c->rc = -1;
	return -1;
}

/* In-order walk: the tree's order must be the list's. */
static int check_node(struct ck *c, const struct mm_struct *mm, uint32_t v, uint32_t parent, uint32_t *expect,
		      unsigned *n)
{
	const struct machine *m = c->m;
	if (!v)
		return 0;
	const struct vma *x = vma_at(m, v);
	if (x->node.parent != parent)
		return fail(c, "pid %u: VMA 0x%llx has a wrong parent link", mm->owner, (unsigned long long)x->vm_start);
	if (parent && vma_at(m, parent)->node.prio < x->node.prio)
		return fail(c, "pid %u: VMA tree is not heap-ordered at 0x%llx", mm->owner,
			    (unsigned long long)x->vm_start);
	if (check_node(c, mm, x->node.left, v, expect, n))
		return -1;
	if (v != *expect)
		return fail(c, "pid %u: the VMA tree and list disagree at 0x%llx", mm->owner,
			    (unsigned long long)x->vm_start);
	*expect = x->next;
	(*n)++;
	if (check_node(c, mm, x->node.right, v, expect, n))
		return -1;
	uint64_t g = x->gap;
	if (x->node.left && vma_at(m, x->node.left)->max_gap > g)
		g = vma_at(m, x->node.left)->max_gap;
	if (x->node.right && vma_at(m, x->node.right)->max_gap > g)
		g = vma_at(m, x->node.right)->max_gap;
	if (g != x->max_gap)
		return fail(c, "pid %u: VMA 0x%llx has max_gap 0x%llx, its subtree 0x%llx", mm->owner,
			    (unsigned long long)x->vm_start, (unsigned long long)x->max_gap, (unsigned long long)g);
	return 0;
}

/* Each chain of the VMA is keyed by its page range and sits in its
 * anon_vma's tree, whose subtree maxima hold on the way to the root. */
static int check_chains(struct ck *c, const struct mm_struct *mm, uint32_t v)
{
	const struct machine *m = c->m;
	const struct vma *x = vma_at(m, v);
	uint64_t last = x->pgoff + ((x->vm_end - x->vm_start) >> m->page_shift) - 1;
	for (uint32_t ch = x->avc; ch; ch = ((const struct anon_vma_chain *)procs_ptr(m, ch))->same_vma) {
		const struct anon_vma_chain *a = procs_ptr(m, ch);
		if (a->vma != v || a->start != x->pgoff || a->last != last)
			return fail(c, "pid %u: a chain of VMA 0x%llx is keyed %llu..%llu, not %llu..%llu", mm->owner,
				    (unsigned long long)x->vm_start, (unsigned long long)a->start,
				    (unsigned long long)a->last, (unsigned long long)x->pgoff, (unsigned long long)last);
		uint32_t at = ch;
		for (unsigned depth = 0; ((const struct anon_vma_chain *)procs_ptr(m, at))->node.parent; depth++) {
			const struct anon_vma_chain *n = procs_ptr(m, at);
			const struct anon_vma_chain *p = procs_ptr(m, n->node.parent);
			if ((p->node.left != at && p->node.right != at) || p->max_last < n->max_last ||
			    p->node.prio < n->node.prio ||
			    depth > 10000)
				return fail(c, "pid %u: the anon_vma tree above a chain of VMA 0x%llx is broken",
					    mm->owner, (unsigned long long)x->vm_start);
			at = n->node.parent;
		}
		const struct anon_vma *av = procs_ptr(m, a->anon_vma);
		if (av->avc != at || a->max_last < a->last)
			return fail(c, "pid %u: a chain of VMA 0x%llx is not in its anon_vma's tree", mm->owner,
				    (unsigned long long)x->vm_start);
	}
	if (!x->file != !x->i_mmap)
		return fail(c, "pid %u: VMA 0x%llx has a file but no i_mmap node, or the reverse", mm->owner,
			    (unsigned long long)x->vm_start);
	if (x->i_mmap) {
		const struct anon_vma_chain *a = procs_ptr(m, x->i_mmap);
		uint32_t at = x->i_mmap;
		while (((const struct anon_vma_chain *)procs_ptr(m, at))->node.parent)
			at = ((const struct anon_vma_chain *)procs_ptr(m, at))->node.parent;
		if (a->vma != v || a->start != x->pgoff || a->last != last || file_at(m, x->file)->i_mmap != at)
			return fail(c, "pid %u: VMA 0x%llx is not rightly in its file's i_mmap", mm->owner,
				    (unsigned long long)x->vm_start);
	}
	return 0;
}

static int check_vmas(struct ck *c, const struct mm_struct *mm, uint32_t moff)
{
	const struct machine *m = c->m;
	uint64_t ps = page_bytes(m), below = 0, pages = 0;
	unsigned n = 0;
	uint32_t prev = 0;
	for (uint32_t v = mm->vma_first; v; v = vma_at(m, v)->next) {
		const struct vma *x = vma_at(m, v);
		if (x->mm != moff || x->prev != prev)
			return fail(c, "pid %u: VMA 0x%llx has wrong mm or prev links", mm->owner,
				    (unsigned long long)x->vm_start);
		if ((x->vm_start | x->vm_end) & (ps - 1) || x->vm_start >= x->vm_end || x->vm_end > mm->task_size)
			return fail(c, "pid %u: VMA 0x%llx-0x%llx is empty, unaligned or beyond TASK_SIZE", mm->owner,
				    (unsigned long long)x->vm_start, (unsigned long long)x->vm_end);
		if (x->vm_start < below)
			return fail(c, "pid %u: VMA 0x%llx overlaps or precedes the one below", mm->owner,
				    (unsigned long long)x->vm_start);
		if (x->gap != x->vm_start - below)
			return fail(c, "pid %u: VMA 0x%llx records gap 0x%llx, not 0x%llx", mm->owner,
				    (unsigned long long)x->vm_start, (unsigned long long)x->gap,
				    (unsigned long long)(x->vm_start - below));
		if (x->anon_vma && !x->avc)
			return fail(c, "pid %u: VMA 0x%llx has an anon_vma but no chain", mm->owner,
				    (unsigned long long)x->vm_start);
		if (check_chains(c, mm, v))
			return -1;
		below = x->vm_end;
		pages += (x->vm_end - x->vm_start) / ps;
		prev = v;
		n++;
	}
	if (n != mm->map_count || pages != mm->total_vm)
		return fail(c, "pid %u: %u VMAs of %llu pages, but map_count %u, total_vm %u", mm->owner, n,
			    (unsigned long long)pages, mm->map_count, mm->total_vm);
	uint32_t expect = mm->vma_first;
	unsigned seen = 0;
	if (check_node(c, mm, mm->vma_root, 0, &expect, &seen))
		return -1;
	if (seen != n || expect)
		return fail(c, "pid %u: the VMA tree holds %u VMAs, the list %u", mm->owner, seen, n);
	return 0;
}

static bool vma_chains(const struct machine *m, const struct vma *v, uint32_t av)
{
	for (uint32_t ch = v->avc; ch; ch = ((const struct anon_vma_chain *)procs_ptr(m, ch))->same_vma)
		if (((const struct anon_vma_chain *)procs_ptr(m, ch))->anon_vma == av)
			return true;
	return false;
}

static void check_pte(struct machine *mm_, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)table;
	struct ck *c = arg;
	const struct machine *m = mm_;
	if (c->rc)
		return;
	const struct mm_struct *mm = task_mm(m, c->pid);
	uint32_t v = find_vma(m, mm, va);
	const struct vma *x = vma_at(m, v);
	uint32_t pfn = pte_pfn(m, *pte);
	if (!x || x->vm_start > va) {
		fail(c, "pid %u: a PTE maps 0x%llx, outside every VMA", c->pid, (unsigned long long)va);
		return;
	}
	bool mig = is_migration_entry(m, *pte);
	bool zero = pfn == procs_root(m)->zero_pfn && !mig;
	const struct upage *u = page_user(m, pfn);
	unsigned st = frame_state(&m->frames[pfn]);
	if (!zero && (!u || (!frame_is_anon(st) && st != FS_FILE))) {
		fail(c, "pid %u: 0x%llx %s frame 0x%x, which is no user page", c->pid, (unsigned long long)va,
		     mig ? "holds a migration entry for" : "maps", pfn);
		return;
	}
	if (mig && !frame_isolated(&m->frames[pfn])) {
		fail(c, "pid %u: 0x%llx holds a migration entry for frame 0x%x, which is not under migration", c->pid,
		     (unsigned long long)va, pfn);
		return;
	}
	bool file = st == FS_FILE;
	if (pte_writable(m, *pte) && (zero || !(x->flags & VM_WRITE) || (file && !(x->flags & VM_SHARED)))) {
		fail(c, "pid %u: 0x%llx is writable in its PTE but %s", c->pid, (unsigned long long)va,
		     zero ? "maps the zero page" : file ? "maps a page cache page privately" : "its VMA is not VM_WRITE");
		return;
	}
	bool user = m->pt->fmt.family == PTF_ARM64 ? (*pte & ARM_USER) : (*pte & X86_USER);
	/* a PTE out of the user's reach is always allowed (PROT_NONE, and
	 * mprotect narrowing PTEs before the VMA's flags change) */
	if (user && !(x->flags & (VM_READ | VM_WRITE | VM_EXEC))) {
		fail(c, "pid %u: 0x%llx is reachable by the user in a PROT_NONE VMA", c->pid,
		     (unsigned long long)va);
		return;
	}
	if (zero)
		return;
	if (file) {
		if (x->file != u->mapping || ((va - x->vm_start) >> m->page_shift) + x->pgoff != u->index)
			fail(c, "pid %u: 0x%llx maps page %llu of another file or place", c->pid,
			     (unsigned long long)va, (unsigned long long)u->index);
		if (file_at(m, x->file)->shmem != ((u->flags & PG_swapbacked) != 0))
			fail(c, "pid %u: 0x%llx maps a page %s swap-backed in a %s file", c->pid,
			     (unsigned long long)va, (u->flags & PG_swapbacked) ? "marked" : "not",
			     file_at(m, x->file)->shmem ? "shmem" : "regular");
		c->maps[pfn] += !mig; /* an entry is no mapping: the mm's rss keeps it */
		*((u->flags & PG_swapbacked) ? &c->rss_shmem : &c->rss_file) += 1;
		return;
	}
	if (x->file && (x->flags & VM_SHARED)) {
		fail(c, "pid %u: 0x%llx maps an anonymous page in a shared file mapping", c->pid,
		     (unsigned long long)va);
		return;
	}
	if (u->flags & PG_ksm) { /* its mapping is a stable node: ksm_check.c */
		c->maps[pfn] += !mig;
		c->rss++;
		return;
	}
	if (!vma_chains(m, x, u->mapping)) {
		fail(c, "pid %u: frame 0x%x at 0x%llx has an anon_vma its VMA is not chained to", c->pid, pfn,
		     (unsigned long long)va);
		return;
	}
	if (((va - x->vm_start) >> m->page_shift) + x->pgoff != u->index) {
		fail(c, "pid %u: frame 0x%x at 0x%llx has index 0x%llx, the VMA says another", c->pid, pfn,
		     (unsigned long long)va, (unsigned long long)u->index);
		return;
	}
	c->maps[pfn] += !mig;
	c->rss++;
}

/* A page cache page under migration whose slot already names its copy
 * (isolated too, with the same file and index). */
static bool migrated_from(const struct machine *m, uint32_t pfn, uint32_t copy)
{
	if (copy == PFN_NONE || !frame_isolated(&m->frames[pfn]) || !frame_isolated(&m->frames[copy]))
		return false;
	const struct upage *a = page_user(m, pfn), *b = page_user(m, copy);
	return b && a->mapping == b->mapping && a->index == b->index && !a->mapcount;
}

static int check_pages(struct ck *c)
{
	const struct machine *m = c->m;
	uint32_t anon = 0, cached = 0, mapped = 0;
	for (uint32_t pfn = 0; pfn < m->nr_frames; pfn++) {
		const struct frame *f = &m->frames[pfn];
		unsigned st = frame_state(f);
		if ((frame_is_anon(st) || st == FS_FILE) != (f->up != 0))
			return fail(c, "frame 0x%x: state %s but %s user record", pfn, frame_state_names[st],
				    f->up ? "a" : "no");
		if (st == FS_ZERO && pfn != procs_root(m)->zero_pfn)
			return fail(c, "frame 0x%x is a zero page but not the zero page", pfn);
		if (!f->up)
			continue;
		const struct upage *u = page_user(m, pfn);
		if (u->mapcount != c->maps[pfn])
			return fail(c, "frame 0x%x: mapcount %u but %u PTEs map it", pfn, u->mapcount, c->maps[pfn]);
		if (u->refcount < u->mapcount || !u->refcount)
			return fail(c, "frame 0x%x: _refcount %u below its %u mappers", pfn, u->refcount, u->mapcount);
		unsigned found = rmap_walk_const(m, pfn, NULL, 0);
		/* a fork's mapping of a KSM page is found through the parent's
		 * rmap_item until ksmd scans the child; once the parent's item
		 * leaves the node the kernel's rmap_walk_ksm misses it too */
		if (found != u->mapcount && !((u->flags & PG_ksm) && found < u->mapcount))
			return fail(c, "frame 0x%x: rmap_walk finds %u mappings, mapcount says %u", pfn, found,
				    u->mapcount);
		if (st == FS_FILE) {
			const struct address_space *fm = file_at(m, u->mapping);
			uint32_t cached_pfn = filemap_lookup(m, fm, u->index);
			if (cached_pfn != pfn && migrated_from(m, pfn, cached_pfn))
				continue; /* its copy has taken its slot: it is leaving */
			if (cached_pfn != pfn)
				return fail(c, "frame 0x%x: file page %llu is not in its file's page cache", pfn,
					    (unsigned long long)u->index);
			/* the cache's reference and one per mapper (a mapper gone
			 * mid-operation may still hold its own for a step) */
			if (u->refcount < u->mapcount + 1)
				return fail(c, "frame 0x%x: a page cache page with _refcount %u and %u mappers", pfn,
					    u->refcount, u->mapcount);
			cached++;
			mapped += u->mapcount > 0;
		} else {
			anon += u->mapcount > 0;
		}
	}
	const struct procs_root *r = procs_root(m);
	if (anon != r->nr_anon)
		return fail(c, "%u anonymous pages are mapped but NR_ANON_MAPPED is %u", anon, r->nr_anon);
	if (cached != r->nr_file_pages || mapped != r->nr_file_mapped)
		return fail(c, "%u page cache pages (%u mapped) but NR_FILE_PAGES %u, NR_FILE_MAPPED %u", cached,
			    mapped, r->nr_file_pages, r->nr_file_mapped);
	uint32_t nr = 0, shmem = 0;
	for (uint32_t id = 1; id <= r->files.n; id++) {
		const struct address_space *f = file_by_id(m, id);
		nr += f->nrpages;
		shmem += f->shmem ? f->nrpages : 0;
		/* a shmem object lives while a VMA maps it (shmem_evict) */
		if (f->shmem && f->nrpages && !f->i_mmap)
			return fail(c, "shmem object %u holds %u pages but no VMA maps it", id, f->nrpages);
		/* a slot holds a page, a shadow entry (a page-cache file's
		 * evicted page, workingset.c) or nothing; nrpages counts pages */
		const uint32_t *slot = procs_ptr(m, f->slots);
		uint32_t pages = 0;
		for (uint32_t i = 0; i < f->npages; i++) {
			if (!slot_is_shadow(slot[i])) {
				pages += slot[i] != 0;
				continue;
			}
			if (f->shmem || unpack_shadow(slot[i]).node >= m->nr_nodes)
				return fail(c, "file %u page %u: shadow entry 0x%x in a %s", id, i, slot[i],
					    f->shmem ? "shmem object (shmem pages are not evicted to it)"
						     : "slot naming no node of the machine");
		}
		if (pages != f->nrpages)
			return fail(c, "file %u: %u slots hold pages but nrpages is %u", id, pages, f->nrpages);
	}
	if (nr != cached)
		return fail(c, "files say %u pages are cached, %u frames are page cache", nr, cached);
	if (shmem != r->nr_shmem)
		return fail(c, "shmem objects hold %u pages but NR_SHMEM is %u", shmem, r->nr_shmem);
	return 0;
}

int check_procs(const struct machine *m, char *why, size_t whylen)
{
	if (!m->procs || (!procs_root(m)->tasks.n && !procs_root(m)->files.n))
		return 0;
	struct ck c = {.m = m, .why = why, .whylen = whylen};
	c.maps = calloc(m->nr_frames, sizeof *c.maps);
	if (!c.maps)
		return fail(&c, "out of host memory");
	const struct procs_root *r = procs_root(m);
	for (uint32_t pid = 1; pid <= r->tasks.n && !c.rc; pid++) {
		const struct task *t = task_by_pid(m, pid);
		if (t->pid != pid)
			fail(&c, "task slot %u holds pid %u", pid, t->pid);
		if (!t->mm || c.rc)
			continue;
		const struct mm_struct *mm = task_mm(m, pid);
		if (!pt_mm(m, mm->asid))
			fail(&c, "pid %u: its mm %u has no page tables", pid, mm->asid);
		else if (!check_vmas(&c, mm, t->mm)) {
			c.pid = pid;
			c.rss = c.rss_file = c.rss_shmem = 0;
			/* walk_ptes takes a mutable machine for its callers that
			 * change entries; check_pte only reads */
			walk_ptes_migration((struct machine *)m, mm->asid, 0, mm->task_size, check_pte, &c);
			if (!c.rc && (c.rss != mm->rss_anon || c.rss_file != mm->rss_file ||
				      c.rss_shmem != mm->rss_shmem))
				fail(&c, "pid %u: %u anonymous, %u file and %u shmem pages mapped but rss %u, %u and %u",
				     pid, c.rss, c.rss_file, c.rss_shmem, mm->rss_anon, mm->rss_file, mm->rss_shmem);
		}
	}
	if (!c.rc)
		check_pages(&c);
	free(c.maps);
	return c.rc;
}
