/*
 * mlock and munlock (mm/mlock.c, Linux 6.18):
 * - do_mlock: the range is page-aligned (start down, end up) and must be
 *   mapped throughout (ENOMEM); apply_vma_lock_flags splits the VMAs at
 *   its ends and sets or clears VM_LOCKED (mlock_fixup, merging what now
 *   matches); mlock then faults the range in (__mm_populate);
 * - mlock_folio: a mapped page of a locked VMA gets PG_mlocked and moves
 *   to the unevictable list (NR_MLOCK, unevictable_pgs_mlocked); a page
 *   faulted into a locked VMA goes there directly (swap.c);
 * - munlock_folio: a page no locked VMA maps any more leaves the
 *   unevictable list for the evictable list its flags name
 *   (unevictable_pgs_munlocked); unmapping a locked page does the same.
 * Simplifications: the kernel keeps a count of locked mappings per page
 * (mlock_count); the model asks the reverse map whether another locked
 * VMA maps it.  Populating faults a missing page of a private writable
 * anonymous range by a write (a new zeroed page) and any other by a
 * read: it does not break copy-on-write of pages already present.  No
 * RLIMIT_MEMLOCK, no mlock2 flags, no mlockall.
 */
#include "vmscan.h"

#include <stdio.h>
#include <stdlib.h>

#include "procs.h"

#define MAX_MAPPERS 64

/* Does a locked VMA other than (pid, va) map the page? */
static bool mapped_locked_elsewhere(const struct machine *m, uint32_t pfn, uint32_t pid, uint64_t va)
{
	struct rmap_hit hits[MAX_MAPPERS];
	unsigned n = rmap_walk_const(m, pfn, hits, MAX_MAPPERS);
	for (unsigned i = 0; i < n && i < MAX_MAPPERS; i++) {
		if (hits[i].pid == pid && hits[i].va == va)
			continue;
		const struct mm_struct *mm = task_mm(m, hits[i].pid);
		if (vma_at(m, find_vma(m, mm, hits[i].va))->flags & VM_LOCKED)
			return true;
	}
	return false;
}

static void mlock_folio(struct machine *m, uint32_t pfn, uint32_t pid)
{
	struct upage *u = page_user(m, pfn);
	struct vmscan_root *r = vmscan_root(m);
	if (u->flags & PG_mlocked)
		return;
	if (u->flags & PG_lru)
		lruvec_del_folio(m, pfn);
	jset32(&m->j, &u->flags, u->flags | PG_mlocked | PG_unevictable);
	lruvec_add_folio(m, pfn, false);
	jset32(&m->j, &r->nr_mlock, r->nr_mlock + 1);
	jset32(&m->j, &r->ev.unevictable_pgs_mlocked, r->ev.unevictable_pgs_mlocked + 1);
	EMIT(m, EV_MLOCK, pfn, pid, 1);
}

void munlock_vma_folio(struct machine *m, uint32_t pfn, uint32_t pid, uint64_t va)
{
	struct upage *u = page_user(m, pfn);
	struct vmscan_root *r = vmscan_root(m);
	if (!(u->flags & PG_mlocked) || mapped_locked_elsewhere(m, pfn, pid, va))
		return;
	if (u->flags & PG_lru)
		lruvec_del_folio(m, pfn);
	jset32(&m->j, &u->flags, u->flags & ~(PG_mlocked | PG_unevictable));
	lruvec_add_folio(m, pfn, false);
	jset32(&m->j, &r->nr_mlock, r->nr_mlock - 1);
	jset32(&m->j, &r->ev.unevictable_pgs_munlocked, r->ev.unevictable_pgs_munlocked + 1);
	EMIT(m, EV_MLOCK, pfn, pid, 0);
}

struct lock_walk {
	uint32_t pid;
	bool lock;
	uint32_t zero;
	unsigned pages;
};

static void lock_pte(struct machine *m, void *ctx, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)table;
	struct lock_walk *w = ctx;
	uint32_t pfn = pte_pfn(m, *pte);
	if (pfn == w->zero || !page_user(m, pfn))
		return;
	w->pages++;
	if (w->lock)
		mlock_folio(m, pfn, w->pid);
	else
		munlock_vma_folio(m, pfn, w->pid, va);
}

/* Fault in the missing pages of a locked VMA (populate_vma_page_range). */
static int populate(struct machine *m, uint32_t pid, uint32_t v, uint64_t start, uint64_t end)
{
	const struct vma *x = vma_at(m, v);
	bool write = !x->file && (x->flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	uint32_t asid = task_mm(m, pid)->asid;
	for (uint64_t va = start; va < end; va += page_bytes(m)) {
		const uint64_t *pte = pte_lookup(m, asid, va, NULL);
		if (pte && pte_present(m, *pte))
			continue;
		struct fault_result r;
		int rc = handle_access(m, pid, va, write ? ACC_WRITE : ACC_READ, 0, &r);
		if (rc != MM_OK)
			return rc;
		if (r.oom)
			return MM_NOMEM;
		if (r.segv) /* PROT_NONE or beyond the file: nothing to lock there */
			continue;
	}
	return MM_OK;
}

static int check_mlock(struct machine *m, const char *fn, uint32_t pid, uint64_t *addr, uint64_t *len)
{
	const struct task *t = task_by_pid(m, pid);
	if (!t || !t->mm)
		return mm_error(m, "%s: process %u %s", fn, pid, t ? "has exited" : "does not exist");
	if (!*len)
		return mm_error(m, "%s: len is 0: there is nothing to %s", fn, fn);
	const struct mm_struct *mm = task_mm(m, pid);
	uint64_t ps = page_bytes(m), start = *addr & ~(ps - 1);
	if (*addr > mm->task_size || *len > mm->task_size - *addr)
		return mm_error(m, "%s: 0x%llx + %llu runs past the end of user space", fn, (unsigned long long)*addr,
				(unsigned long long)*len);
	uint64_t end = (*addr + *len + ps - 1) & ~(ps - 1), at = start;
	for (uint32_t v = find_vma(m, mm, start); at < end; v = vma_at(m, v)->next) {
		if (!v || vma_at(m, v)->vm_start > at)
			return mm_error(m, "%s: 0x%llx is not mapped (the range 0x%llx-0x%llx has a hole: ENOMEM)", fn,
					(unsigned long long)at, (unsigned long long)start, (unsigned long long)end);
		at = vma_at(m, v)->vm_end;
	}
	*addr = start;
	*len = end - start;
	return MM_OK;
}

int do_mlock(struct machine *m, uint32_t pid, uint64_t addr, uint64_t len, bool lock)
{
	const char *fn = lock ? "mlock" : "munlock";
	if (check_mlock(m, fn, pid, &addr, &len))
		return MM_EINVAL;
	uint64_t end = addr + len;
	struct mm_struct *mm = task_mm(m, pid);
	mm_op_begin(m);
	EMIT(m, EV_MLOCK_RANGE, pid, (int64_t)addr, (int64_t)end, lock);
	uint32_t v = find_vma(m, mm, addr);
	if (vma_at(m, v)->vm_start < addr) {
		split_vma(m, pid, v, addr);
		v = vma_at(m, v)->next;
	}
	struct lock_walk w = {pid, lock, procs_root(m)->zero_pfn, 0};
	int rc = MM_OK;
	for (; v && vma_at(m, v)->vm_start < end; v = vma_at(m, v)->next) {
		struct vma *n = vma_at(m, v);
		if (n->vm_end > end)
			split_vma(m, pid, v, end);
		jset32(&m->j, &n->flags, lock ? n->flags | VM_LOCKED : n->flags & ~VM_LOCKED);
		if (lock && rc == MM_OK)
			rc = populate(m, pid, v, n->vm_start, n->vm_end);
		walk_ptes(m, mm->asid, n->vm_start, n->vm_end, lock_pte, &w);
	}
	for (v = find_vma(m, mm, addr); v;) {
		v = vma_try_merge(m, pid, v);
		if (vma_at(m, v)->vm_end >= end)
			break;
		v = vma_at(m, v)->next;
	}
	EMIT(m, EV_MLOCK_DONE, pid, (int64_t)addr, (int64_t)end, w.pages);
	mm_op_end(m);
	return rc;
}
