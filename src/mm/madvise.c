/*
 * madvise(2) (mm/madvise.c, Linux 6.18), for MADV_PAGEOUT: madvise_pageout
 * walks the range's PTEs (madvise_cold_or_pageout_pte_range), skips the
 * zero page and any page another mapping may share
 * (folio_maybe_mapped_shared: it pages out only what is this process's
 * alone), clears the page's referenced state and hands the pages to
 * reclaim_pages, whose shrink_folio_list swaps each anonymous page out:
 * here swap_out_folio (swap.h), the same steps reclaim will take.
 * The range must start on a page and be mapped throughout (-EINVAL,
 * -ENOMEM; here refused before anything happens).  Simplifications: file
 * pages are not paged out (can_do_file_pageout), no LRU isolation (the LRU
 * lists are vmscan's), huge pages do not arise, and a KSM page stays
 * (the model does not swap KSM pages).
 * MADV_MERGEABLE and MADV_UNMERGEABLE, after the same range checks, are
 * ksm_madvise's (ksm.c).
 */
#include "swap.h"

#include <stdlib.h>
#include <string.h>

#include "ksm.h"
#include "procs.h"

/* The advice names the kernel has (include/uapi/asm-generic/mman-common.h). */
static const char *const kernel_advice[] = {
	"MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED", "MADV_FREE",
	"MADV_REMOVE", "MADV_DONTFORK", "MADV_DOFORK", "MADV_MERGEABLE", "MADV_UNMERGEABLE", "MADV_HUGEPAGE",
	"MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP", "MADV_WIPEONFORK", "MADV_KEEPONFORK", "MADV_COLD",
	"MADV_POPULATE_READ", "MADV_POPULATE_WRITE", "MADV_COLLAPSE", "MADV_HWPOISON", "MADV_SOFT_OFFLINE",
	"MADV_GUARD_INSTALL", "MADV_GUARD_REMOVE", NULL,
};

enum { SKIP_SHARED, SKIP_ZERO, SKIP_NOSWAP, SKIP_FILE, SKIP_KSM };
enum { MADV_MERGEABLE = 12, MADV_UNMERGEABLE = 13, MADV_PAGEOUT = 21 };
#define MODELLED "MADV_PAGEOUT, MADV_MERGEABLE, MADV_UNMERGEABLE"

struct pages {
	uint32_t pid;
	uint32_t *pfn;
	uint64_t *va;
	size_t n, cap;
};

static void collect_page(struct machine *m, void *arg, uint64_t va, uint64_t *pte, uint32_t table)
{
	(void)table;
	struct pages *p = arg;
	uint32_t pfn = pte_pfn(m, *pte);
	const struct upage *u = page_user(m, pfn);
	int skip = -1;
	if (!u)
		skip = SKIP_ZERO;
	else if (!frame_is_anon(frame_state(&m->frames[pfn])))
		skip = SKIP_FILE;
	else if (u->mapcount > 1)
		skip = SKIP_SHARED;
	else if (u->flags & PG_ksm)
		skip = SKIP_KSM;
	if (skip >= 0) {
		EMIT(m, EV_PAGEOUT_SKIP, p->pid, (int64_t)va, pfn, skip);
		return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->pfn = realloc(p->pfn, p->cap * sizeof *p->pfn);
		p->va = realloc(p->va, p->cap * sizeof *p->va);
		if (!p->pfn || !p->va)
			abort();
	}
	p->pfn[p->n] = pfn;
	p->va[p->n++] = va;
}

static int check_range(struct machine *m, uint32_t pid, uint64_t start, uint64_t end)
{
	const struct mm_struct *mm = task_mm(m, pid);
	for (uint64_t at = start; at < end;) {
		uint32_t v = find_vma(m, mm, at);
		if (!v || vma_at(m, v)->vm_start > at)
			return mm_error(m, "madvise: 0x%llx is not mapped (the range must be mapped throughout: ENOMEM)",
					(unsigned long long)at);
		at = vma_at(m, v)->vm_end;
	}
	return MM_OK;
}

int do_madvise(struct machine *m, uint32_t pid, uint64_t start, uint64_t len, const char *advice, unsigned *paged)
{
	*paged = 0;
	int adv = !strcmp(advice, "MADV_PAGEOUT") ? MADV_PAGEOUT
		  : !strcmp(advice, "MADV_MERGEABLE") ? MADV_MERGEABLE
		  : !strcmp(advice, "MADV_UNMERGEABLE") ? MADV_UNMERGEABLE : -1;
	if (adv < 0) {
		for (const char *const *k = kernel_advice; *k; k++)
			if (strcmp(*k, advice) == 0)
				return mm_error(m, "madvise: %s is not modelled (the model has %s)", advice, MODELLED);
		return mm_error(m, "madvise: unknown advice \"%s\" (the model has %s)", advice, MODELLED);
	}
	const struct task *t = task_by_pid(m, pid);
	if (!t || !t->mm)
		return mm_error(m, "madvise: process %u %s", pid, t ? "has exited" : "does not exist");
	if (start & (page_bytes(m) - 1))
		return mm_error(m, "madvise: 0x%llx is not page-aligned (EINVAL)", (unsigned long long)start);
	uint64_t end = (start + len + page_bytes(m) - 1) & ~(page_bytes(m) - 1);
	if (!len || end <= start)
		return mm_error(m, "madvise: the length must be above 0 and the range inside the address space");
	if (check_range(m, pid, start, end))
		return MM_EINVAL;
	mm_op_begin(m);
	EMIT(m, EV_MADVISE, pid, (int64_t)start, (int64_t)end, adv);
	if (adv != MADV_PAGEOUT) {
		int rc = ksm_madvise(m, pid, start, end, adv == MADV_MERGEABLE);
		mm_op_end(m);
		return rc;
	}
	struct pages p = {.pid = pid};
	walk_ptes(m, task_mm(m, pid)->asid, start, end, collect_page, &p);
	for (size_t i = 0; i < p.n; i++) {
		struct upage *u = page_user(m, p.pfn[i]);
		jset32(&m->j, &u->flags, u->flags & ~PG_referenced); /* folio_clear_referenced */
		bool freed;
		if (swap_out_folio(m, p.pfn[i], &freed) == MM_NOMEM)
			EMIT(m, EV_PAGEOUT_SKIP, pid, (int64_t)p.va[i], p.pfn[i], SKIP_NOSWAP);
		*paged += freed;
	}
	free(p.pfn);
	free(p.va);
	mm_op_end(m);
	return MM_OK;
}
