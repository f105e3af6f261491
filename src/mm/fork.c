/*
 * fork and exit of a process's memory (kernel/fork.c's dup_mmap,
 * mm/memory.c's copy_page_range, kernel/exit.c's exit_mm and mm/mmap.c's
 * exit_mmap, Linux 6.18).
 * - dup_mmap copies every VMA; anon_vma_fork links the copy to the
 *   parent's anon_vmas and gives it its own; VMAs that have pages
 *   (an anon_vma) get their page tables copied;
 * - copy_present_pte: the child maps the same frame, _mapcount and
 *   _refcount go up, PG_anon_exclusive goes (the page is shared now); in a
 *   private writable VMA both PTEs become read-only so the first write of
 *   either side faults and copies (do_wp_page); the zero page is mapped
 *   as it is; the child's PTE starts old (pte_mkold);
 * - copy_nonpresent_pte: a swap PTE is copied and its slot's count goes
 *   up (swap_duplicate); both PTEs lose the exclusive bit, the page being
 *   shared from now on; the child's MM_SWAPENTS counts it;
 * - exit_mmap unmaps every VMA (zap, dropping the counts, freeing pages no
 *   one maps), frees the page tables and the mm (pgd_free).
 * Simplifications: the parent's TLB is flushed once before its PTEs are
 * write-protected (the kernel flushes after, with the mm locked, which the
 * step-by-step model cannot show without a stale entry); a task record
 * stays as a zombie after exit (pids are not reused).
 */
#include "procs.h"
#include "ksm.h"
#include "swap.h"

#include <string.h>

static void exit_mmap(struct machine *m, uint32_t pid);

struct copy_ctx {
	uint32_t child, parent; /* pids */
	uint32_t child_asid, parent_asid;
	unsigned flags;
	int rc;
};

static void copy_pte(struct machine *m, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)table;
	struct copy_ctx *c = arg;
	if (c->rc != MM_OK)
		return;
	uint64_t e = *pte;
	uint32_t pfn = pte_pfn(m, e);
	bool cow = (c->flags & VM_WRITE) && !(c->flags & VM_SHARED);
	struct upage *u = page_user(m, pfn);
	if (cow && pte_writable(m, e)) {
		jset64(&m->j, pte, pte_wrprotect(m, e));
		EMIT(m, EV_SET_PTE, c->parent_asid, (int64_t)va, m->pt->fmt.level[m->pt->fmt.depth - 1],
		     pt_table(m, table)->pfn, pt_index(&m->pt->fmt, va, m->pt->fmt.depth - 1), (int64_t)*pte, pfn, 0);
	}
	int rc = pt_populate(m, c->child_asid, va);
	if (rc != MM_OK) {
		c->rc = rc;
		return;
	}
	if (u) {
		rmap_add(m, c->child, pfn);
		jset32(&m->j, &u->refcount, u->refcount + 1);
		jset32(&m->j, &u->flags, u->flags & ~PG_anon_exclusive);
	}
	/* a page of a shared file mapping stays writable where it was */
	bool keep_write = (c->flags & VM_SHARED) && pte_writable(m, e);
	pt_map(m, c->child_asid, va, pfn, 0, vma_pte_prot(m, c->flags, keep_write));
	EMIT(m, EV_COPY_PTE, c->child, (int64_t)va, pfn, u ? u->mapcount : 0, cow);
}

static void copy_swap_pte(struct machine *m, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)table;
	struct copy_ctx *c = arg;
	if (c->rc != MM_OK)
		return;
	int rc = pt_populate(m, c->child_asid, va);
	if (rc != MM_OK) {
		c->rc = rc;
		return;
	}
	uint64_t entry = pte_to_swp_entry(m, *pte), shared = swp_entry_to_pte(m, entry, false);
	swap_duplicate(m, entry);
	if (*pte != shared)
		pt_set_pte_raw(m, c->parent_asid, va, shared);
	pt_set_pte_raw(m, c->child_asid, va, shared);
	struct mm_struct *mm = task_mm(m, c->child);
	jset32(&m->j, &mm->swapents, mm->swapents + 1);
	EMIT(m, EV_SWAP_DUP, c->child, (int64_t)va, swp_type(entry), (int64_t)swp_offset(entry),
	     swap_count_at(m, entry) & SWAP_COUNT_MASK);
}

/* A copy of VMA pv for the child, linked into its mm. */
static uint32_t dup_vma(struct machine *m, uint32_t child, uint32_t pv)
{
	uint32_t v = vma_alloc(m);
	struct vma *n = vma_at(m, v), *p = vma_at(m, pv);
	jset64(&m->j, &n->vm_start, p->vm_start);
	jset64(&m->j, &n->vm_end, p->vm_end);
	jset64(&m->j, &n->pgoff, p->pgoff);
	jset32(&m->j, &n->flags, p->flags);
	jset32(&m->j, &n->file, p->file);
	vma_link(m, task_by_pid(m, child)->mm, v);
	vma_link_file(m, v);
	struct mm_struct *mm = task_mm(m, child);
	jset32(&m->j, &mm->total_vm, mm->total_vm + (uint32_t)((p->vm_end - p->vm_start) >> m->page_shift));
	anon_vma_fork(m, child, v, pv);
	EMIT(m, EV_VMA_ADD, child, (int64_t)n->vm_start, (int64_t)n->vm_end, n->flags & 7);
	return v;
}

int do_fork(struct machine *m, uint32_t pid, uint32_t *child)
{
	const struct task *pt = task_by_pid(m, pid);
	if (!pt)
		return mm_error(m, "fork: there is no process %u", pid);
	if (!pt->mm)
		return mm_error(m, "fork: process %u has exited", pid);
	char name[TASK_COMM_LEN + 1];
	task_comm(pt, name);
	mm_op_begin(m);
	uint32_t c;
	int rc = task_alloc(m, name, &c);
	if (rc != MM_OK) {
		mm_op_end(m);
		return rc;
	}
	struct mm_struct *cm = task_mm(m, c), *pm = task_mm(m, pid);
	struct task *ct = task_by_pid(m, c);
	jset32(&m->j, &ct->ppid, pid);
	uint64_t *dst = &cm->task_size, *src = &pm->task_size;
	for (unsigned i = 0; i < 9; i++) /* task_size .. start_stack */
		jset64(&m->j, &dst[i], src[i]);
	EMIT(m, EV_FORK, pid, c);
	ksm_fork(m, pid, c);
	pt_tlb_flush(m, pm->asid, 0, true);
	struct copy_ctx cc = {.child = c, .parent = pid, .child_asid = cm->asid, .parent_asid = pm->asid};
	for (uint32_t pv = pm->vma_first; pv && cc.rc == MM_OK; pv = vma_at(m, pv)->next) {
		dup_vma(m, c, pv);
		if (!vma_at(m, pv)->anon_vma)
			continue;
		cc.flags = vma_at(m, pv)->flags;
		walk_ptes(m, pm->asid, vma_at(m, pv)->vm_start, vma_at(m, pv)->vm_end, copy_pte, &cc);
		walk_swap_ptes(m, pm->asid, vma_at(m, pv)->vm_start, vma_at(m, pv)->vm_end, copy_swap_pte, &cc);
	}
	if (cc.rc != MM_OK) {
		/* no memory for the child's page tables: the kernel's fork tears
		 * the half-made mm down (the parent's PTEs stay read-only) */
		exit_mmap(m, c);
		mm_op_end(m);
		return cc.rc;
	}
	mm_op_end(m);
	*child = c;
	return MM_OK;
}

/* Unmap everything, free the tables and the mm (exit_mmap, mmdrop). */
static void exit_mmap(struct machine *m, uint32_t pid)
{
	struct task *t = task_by_pid(m, pid);
	struct mm_struct *mm = task_mm(m, pid);
	ksm_exit(m, pid);
	while (mm->vma_first)
		remove_vma(m, pid, mm->vma_first);
	jset32(&m->j, &t->mm, 0);
	jset32(&m->j, &t->state, TASK_DEAD);
	pt_mm_free(m, mm->asid); /* its steps close the writes above */
}

int do_exit(struct machine *m, uint32_t pid)
{
	struct task *t = task_by_pid(m, pid);
	if (!t)
		return mm_error(m, "exit: there is no process %u", pid);
	if (!t->mm)
		return mm_error(m, "exit: process %u has already exited", pid);
	mm_op_begin(m);
	EMIT(m, EV_EXIT, pid, task_mm(m, pid)->rss_anon, task_mm(m, pid)->map_count);
	exit_mmap(m, pid);
	mm_op_end(m);
	return MM_OK;
}
