/*
 * vmalloc, modelled on mm/vmalloc.c (Linux 6.18):
 * - __vmalloc_node_range / __get_vm_area_node: the size is rounded up to
 *   pages and a guard page added; alloc_vmap_area takes the lowest free
 *   area that fits (find_vmap_lowest_match on the free tree, O(log n)),
 *   carves the area from its low end (adjust_va_to_fit_type) and links it
 *   into the busy tree; when nothing fits it purges the lazily freed areas
 *   and tries once more.
 * - __vmalloc_area_node: the page array is kmalloc'ed, or vmalloc'ed
 *   itself when it is larger than a page (vmallocinfo's "vpages"); then
 *   vm_area_alloc_pages takes every page from the buddy (order 0, with
 *   __GFP_HIGHMEM: any zone), and only then vmap_pages_range maps them,
 *   PAGE_KERNEL, into the kernel's page tables.  A failure part way frees
 *   what it got, as the kernel's vfree of the half-built area does.
 * - vfree: remove_vm_area takes the area out of the busy tree and clears
 *   its PTEs without a TLB flush (vunmap_range_noflush; the tables stay);
 *   free_vmap_area_noflush puts it on the lazy tree, its range still
 *   reserved; then the pages go back to the buddy.  When the lazy areas
 *   exceed lazy_max_pages (32 MiB of pages times fls(cpus)),
 *   __purge_vmap_area_lazy flushes the TLB once for their whole span
 *   (flush_tlb_kernel_range) and merges their ranges into the free tree.
 * Simplified: no huge mappings, no per-node pools or vmap blocks; the purge
 *   runs at the end of the vfree that crosses the limit (the kernel
 *   schedules it on a workqueue); a page array no larger than a page is
 *   not shown as a kmalloc object; init_mm is an address space of its own,
 *   made by the first vmalloc, and its top table comes from the buddy (the
 *   kernel's swapper_pg_dir is static and its vmalloc-range tables are
 *   preallocated at boot); a toy format whose address space cannot hold
 *   the vmalloc range only records the pages on the area.
 * VMALLOC_START/END per arch: x86_64 as in the kernel's documentation
 * (32 TiB from 0xffffc90000000000, VMALLOC_END inclusive); 32-bit x86 from
 * 8 MiB above the direct map to just below the fixmap/pkmap (approximate);
 * arm64 from MODULES_END to below vmemmap (approximate).
 */
#include "vmalloc.h"

#include <stdlib.h>
#include <string.h>

#include "gfp.h"
#include "page_alloc.h"
#include "pgtable.h"
#include "strbuf.h"
#include "xalloc.h"

static void vmalloc_range(const struct machine *m, uint64_t *start, uint64_t *end)
{
	const char *n = m->cfg.arch->name ? m->cfg.arch->name : "";
	if (strcmp(n, "x86") == 0 || strcmp(n, "x86_pae") == 0) {
		uint64_t low = m->cfg.memory < (896ull << 20) ? m->cfg.memory : 896ull << 20;
		*start = 0xc0000000ull + low + (8ull << 20);
		*end = 0xff7fe000ull;
	} else if (strcmp(n, "x86_64_la57") == 0) {
		*start = 0xffa0000000000000ull;
		*end = *start + (12800ull << 40);
	} else if (strcmp(n, "arm64") == 0) {
		*start = 0xffffffc080000000ull;
		*end = 0xfffffffeb0000000ull;
	} else if (strcmp(n, "arm64_48") == 0) {
		*start = 0xffff800080000000ull;
		*end = 0xfffffdffb0000000ull;
	} else {
		/* VMALLOC_END = VMALLOC_START + 32 TiB - 1, inclusive */
		*start = 0xffffc90000000000ull;
		*end = *start + (32ull << 40);
	}
}

static bool arch_is_32bit(const struct machine *m)
{
	const char *n = m->cfg.arch->name ? m->cfg.arch->name : "";
	return strcmp(n, "x86") == 0 || strcmp(n, "x86_pae") == 0;
}

uint64_t vmalloc_total(const struct machine *m)
{
	/* x86_64's VMALLOC_END (also toy machines', which use its range) is
	 * the last byte; 32-bit x86's and arm64's are one past the end */
	const char *n = m->cfg.arch->name ? m->cfg.arch->name : "";
	bool inclusive = !arch_is_32bit(m) && strncmp(n, "arm64", 5) != 0;
	return m->vmalloc->end - m->vmalloc->start - inclusive;
}

static int fls32(unsigned x)
{
	int n = 0;
	while (x) {
		n++;
		x >>= 1;
	}
	return n;
}

void vmalloc_init(struct machine *m)
{
	struct vmalloc *v = xcalloc(1, sizeof *v);
	m->vmalloc = v;
	arena_init(m, &v->arena);
	vmalloc_range(m, &v->start, &v->end);
	uint64_t lazy = (uint64_t)fls32(m->cfg.cpus ? m->cfg.cpus : 1) * ((32ull << 20) >> m->page_shift);
	v->lazy_max = lazy > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)lazy;
	v->ptr_size = arch_is_32bit(m) ? 4 : 8;
	arena_alloc(m, &v->arena, sizeof(struct vmalloc_root)); /* offset 0 */
	/* the whole range is one free area (vmap_init_free_space) */
	va_merge_free(m, v->start, v->end);
}

void vmalloc_free(struct machine *m)
{
	free(m->vmalloc);
	m->vmalloc = NULL;
}

bool vmalloc_maps_pages(const struct machine *m)
{
	return m->pt && m->pt->fmt.depth && pt_canonical(&m->pt->fmt, m->vmalloc->start) &&
	       pt_canonical(&m->pt->fmt, m->vmalloc->end - 1);
}

uint64_t vmalloc_pte(const struct machine *m, uint32_t pfn)
{
	return pt_kernel_leaf(m, pfn);
}

bool vmalloc_lazy_va(const struct machine *m, uint32_t asid, uint64_t va)
{
	const struct vmalloc_root *r = vmalloc_root(m);
	if (!asid || asid != r->kernel_mm)
		return false;
	uint32_t o = va_floor(m, &r->lazy, va);
	return o && va < vmap_at(m, o)->va_end;
}

/* The kernel's address space, made by the first area that needs it. */
int vmalloc_kernel_mm(struct machine *m, uint32_t *id)
{
	struct vmalloc_root *r = vmalloc_root(m);
	if (!r->kernel_mm) {
		uint32_t made;
		int rc = pt_mm_alloc(m, &made);
		if (rc != MM_OK)
			return rc;
		jset32(&m->j, &r->kernel_mm, made);
	}
	*id = r->kernel_mm;
	return MM_OK;
}

static uint64_t page_va(const struct machine *m, const struct vmap_area *a, uint32_t i)
{
	return a->va_start + ((uint64_t)i << m->page_shift);
}

/* flush_tlb_kernel_range: page by page up to a ceiling, else everything
 * (x86's tlb_single_page_flush_ceiling, arm64's MAX_DVM_OPS). */
void flush_tlb_kernel_range(struct machine *m, uint64_t start, uint64_t end)
{
	if (!vmalloc_maps_pages(m))
		return;
	uint64_t pages = (end - start) >> m->page_shift;
	uint64_t ceiling = m->pt->fmt.family == PTF_ARM64 ? 512 : 33;
	if (pages > ceiling) {
		pt_tlb_flush(m, 0, 0, true);
		return;
	}
	for (uint64_t va = start; va < end; va += m->cfg.page_size)
		pt_tlb_flush(m, 0, va, false);
}

/* __purge_vmap_area_lazy: one flush for the span of every lazy area, then
 * their ranges become free (the step comes last: its writes precede it). */
static void purge_lazy(struct machine *m)
{
	struct vmalloc_root *r = vmalloc_root(m);
	if (!r->lazy.nr)
		return;
	uint64_t start = vmap_at(m, r->lazy.head)->va_start, end = vmap_at(m, r->lazy.tail)->va_end;
	uint32_t areas = r->lazy.nr, pages = r->lazy_nr;
	flush_tlb_kernel_range(m, start, end);
	jset32(&m->j, &r->lazy_nr, 0);
	jset32(&m->j, &r->purges, r->purges + 1);
	while (r->lazy.head) {
		uint32_t off = r->lazy.head;
		struct vmap_area *a = vmap_at(m, off);
		va_erase(m, &r->lazy, off);
		va_merge_free(m, a->va_start, a->va_end);
		jset32(&m->j, &a->state, VA_DEAD); /* its record stays, for handles */
	}
	EMIT(m, EV_VMAP_PURGE, (int64_t)start, (int64_t)end, areas, pages, m->vmalloc->lazy_max);
}

void vm_unmap_aliases(struct machine *m)
{
	mm_op_begin(m);
	purge_lazy(m);
	mm_op_end(m);
}

/* alloc_vmap_area's placement: the lowest fit, carved from its low end. */
static bool place(struct machine *m, uint64_t bytes, uint64_t *addr)
{
	struct vmalloc_root *r = vmalloc_root(m);
	uint32_t fit = va_lowest_match(m, &r->free, bytes);
	if (!fit)
		return false;
	struct vmap_area *f = vmap_at(m, fit);
	*addr = f->va_start;
	if (va_size(f) == bytes) {
		va_erase(m, &r->free, fit);
		jset32(&m->j, &f->state, VA_SPARE);
		jset32(&m->j, &f->next, r->spare);
		jset32(&m->j, &r->spare, fit);
	} else {
		jset64(&m->j, &f->va_start, f->va_start + bytes);
		va_propagate(m, &r->free, fit);
	}
	return true;
}

static uint32_t new_area(struct machine *m, uint64_t addr, uint64_t size, uint32_t npages)
{
	struct arena *ar = &m->vmalloc->arena;
	uint32_t off = arena_alloc(m, ar, sizeof(struct vmap_area));
	uint32_t pages = arena_alloc(m, ar, (npages * 4 + 7) & ~7u);
	struct vmap_area *a = vmap_at(m, off);
	jset64(&m->j, &a->va_start, addr);
	jset64(&m->j, &a->va_end, addr + ((uint64_t)(npages + 1) << m->page_shift));
	jset64(&m->j, &a->size, size);
	jset32(&m->j, &a->npages, npages);
	jset32(&m->j, &a->pages, pages);
	jset32(&m->j, &a->state, VA_BUSY);
	jset32(&m->j, &a->alive, 1);
	jset32(&m->j, &a->born, mm_next_step(m));
	va_insert(m, &vmalloc_root(m)->busy, off);
	return off;
}

static void free_area(struct machine *m, uint32_t off, bool failed);

/* vmap_pages_range after vm_area_alloc_pages: MM_NOMEM when a table
 * page cannot be had. */
static int map_area(struct machine *m, uint32_t off)
{
	if (!vmalloc_maps_pages(m))
		return MM_OK;
	uint32_t kmm;
	int rc = vmalloc_kernel_mm(m, &kmm);
	struct vmap_area *a = vmap_at(m, off);
	for (uint32_t i = 0; rc == MM_OK && i < a->nr_pages; i++) {
		/* counted before its step (a write belongs to the step after it):
		 * the top page counted is the one in transit */
		jset32(&m->j, &a->nr_mapped, i + 1);
		rc = pt_map_kernel(m, kmm, page_va(m, a, i), vmap_pages(m, a)[i]);
		if (rc != MM_OK)
			jset32(&m->j, &a->nr_mapped, i);
	}
	return rc;
}

static int alloc_area(struct machine *m, uint64_t size, uint32_t *area, unsigned depth);

/* __vmalloc_area_node: the page array, the pages, then the mapping. */
static int fill_area(struct machine *m, uint32_t off, unsigned depth)
{
	struct vmap_area *a = vmap_at(m, off);
	uint64_t array = (uint64_t)a->npages * m->vmalloc->ptr_size;
	if (array > m->cfg.page_size) {
		uint32_t arr;
		int rc = alloc_area(m, array, &arr, depth + 1);
		if (rc != MM_OK)
			return rc;
		jset32(&m->j, &vmap_at(m, off)->pages_area, arr);
	}
	for (uint32_t i = 0; i < a->npages; i++) {
		uint32_t pfn;
		int rc = alloc_pages(m, 0, GFP_KERNEL | __GFP_HIGHMEM, -1, &pfn);
		if (rc != MM_OK) {
			char why[sizeof m->reason];
			memcpy(why, m->reason, sizeof why);
			snprintf(m->reason, sizeof m->reason, "page %u of %u: %.200s", i, a->npages, why);
			return rc;
		}
		jset32(&m->j, &m->frames[pfn].info, frame_info(FS_VMALLOC, 0));
		jset32(&m->j, &vmap_pages(m, a)[i], pfn);
		jset32(&m->j, &a->nr_pages, i + 1);
		jset32(&m->j, &vmalloc_root(m)->nr_pages, vmalloc_root(m)->nr_pages + 1);
		EMIT(m, EV_VMALLOC_PAGE, (int64_t)page_va(m, a, i), pfn, i, a->npages);
	}
	return map_area(m, off);
}

static int alloc_area(struct machine *m, uint64_t size, uint32_t *area, unsigned depth)
{
	uint64_t npages = (size + m->cfg.page_size - 1) >> m->page_shift;
	uint64_t bytes = (npages + 1) << m->page_shift, addr;
	if (!place(m, bytes, &addr)) {
		purge_lazy(m);
		if (!place(m, bytes, &addr)) {
			snprintf(m->reason, sizeof m->reason, "vmalloc(%llu): no gap in the vmalloc range fits it",
				 (unsigned long long)size);
			return MM_NOMEM;
		}
	}
	uint32_t off = new_area(m, addr, size, (uint32_t)npages);
	EMIT(m, EV_VMALLOC, (int64_t)size, (int64_t)addr, (int64_t)(addr + bytes), (int64_t)npages, depth > 0);
	int rc = fill_area(m, off, depth);
	if (rc != MM_OK) {
		char why[sizeof m->reason];
		memcpy(why, m->reason, sizeof why);
		free_area(m, off, true);
		snprintf(m->reason, sizeof m->reason, "vmalloc(%llu): %.200s", (unsigned long long)size, why);
		return rc;
	}
	*area = off;
	return MM_OK;
}

int vmalloc(struct machine *m, uint64_t size, uint32_t *area)
{
	if (size == 0)
		return mm_error(m, "vmalloc(0): an area needs at least one byte");
	uint64_t npages = (size + m->cfg.page_size - 1) >> m->page_shift;
	if (npages > ARENA_CHUNK / 4 - 2)
		return mm_error(m, "vmalloc(%llu): the model maps at most %u pages per area",
				(unsigned long long)size, ARENA_CHUNK / 4 - 2);
	mm_op_begin(m);
	int rc = alloc_area(m, size, area, 0);
	mm_op_end(m);
	return rc;
}

int vmap_get_io_area(struct machine *m, uint64_t size, uint64_t phys, uint32_t *area)
{
	uint64_t npages = size >> m->page_shift, bytes = (npages + 1) << m->page_shift, addr;
	bool fits = npages <= ARENA_CHUNK / 4 - 2 && place(m, bytes, &addr);
	if (!fits && npages <= ARENA_CHUNK / 4 - 2) {
		purge_lazy(m);
		fits = place(m, bytes, &addr);
	}
	if (!fits) {
		snprintf(m->reason, sizeof m->reason, "ioremap(0x%llx, %llu): no gap in the vmalloc range fits it",
			 (unsigned long long)phys, (unsigned long long)size);
		return MM_NOMEM;
	}
	*area = new_area(m, addr, size, (uint32_t)npages);
	jset64(&m->j, &vmap_at(m, *area)->phys_addr, phys);
	jset32(&m->j, &vmap_at(m, *area)->flags, VM_IOREMAP);
	return MM_OK;
}

void vmap_put_io_area(struct machine *m, uint32_t area)
{
	free_area(m, area, false);
}

/* remove_vm_area + free_vmap_area_noflush, then the pages and the page
 * array go back (vfree); a failed vmalloc goes the same way. */
static void free_area(struct machine *m, uint32_t off, bool failed)
{
	struct vmalloc_root *r = vmalloc_root(m);
	struct vmap_area *a = vmap_at(m, off);
	uint32_t n = a->nr_pages, mapped = a->nr_mapped;
	va_erase(m, &r->busy, off);
	jset32(&m->j, &a->state, VA_LAZY);
	jset32(&m->j, &a->alive, 0);
	jset32(&m->j, &a->freed, mm_next_step(m));
	va_insert(m, &r->lazy, off);
	jset32(&m->j, &r->lazy_nr, r->lazy_nr + (uint32_t)(va_size(a) >> m->page_shift));
	/* the pages leave the area before any step, so every step agrees */
	for (uint32_t i = 0; i < n; i++)
		jset32(&m->j, &m->frames[vmap_pages(m, a)[i]].info, frame_info(FS_ALLOC, 0));
	jset32(&m->j, &r->nr_pages, r->nr_pages - n);
	if (failed)
		EMIT(m, EV_VMALLOC_FAIL, (int64_t)a->va_start, n, a->npages);
	else
		EMIT(m, EV_VFREE, (int64_t)a->va_start, n, r->lazy_nr, m->vmalloc->lazy_max);
	for (uint32_t i = mapped; i > 0; i--) { /* downwards: page i - 1 is in transit */
		jset32(&m->j, &a->nr_mapped, i);
		pt_unmap_kernel(m, r->kernel_mm, page_va(m, a, i - 1));
	}
	jset32(&m->j, &a->nr_mapped, 0); /* with the first page's free */
	for (uint32_t i = 0; i < n; i++)
		free_pages(m, vmap_pages(m, a)[i], 0);
	if (a->pages_area)
		free_area(m, a->pages_area, false);
	if (r->lazy_nr > m->vmalloc->lazy_max)
		purge_lazy(m);
}

uint32_t vmalloc_find(struct machine *m, uint64_t addr, const char *fname)
{
	unsigned long long x = (unsigned long long)addr;
	const struct vmalloc_root *r = vmalloc_root(m);
	uint32_t o = va_floor(m, &r->busy, addr);
	if (o && vmap_at(m, o)->va_start == addr)
		return o;
	if (o && addr < vmap_at(m, o)->va_end) {
		mm_error(m, "%s: 0x%llx is inside the vmalloc area at 0x%llx, not its start", fname, x,
			 (unsigned long long)vmap_at(m, o)->va_start);
		return 0;
	}
	o = va_floor(m, &r->lazy, addr);
	if (o && vmap_at(m, o)->va_start == addr) {
		mm_error(m, "%s: double free: the vmalloc area 0x%llx was freed at step %u", fname, x,
			 vmap_at(m, o)->freed);
		return 0;
	}
	if (addr >= m->vmalloc->start && addr < m->vmalloc->end)
		mm_error(m, "%s: 0x%llx is in the vmalloc range but no area is there (never allocated, or freed "
			 "and purged)", fname, x);
	else
		mm_error(m, "%s: 0x%llx is not a vmalloc address (the range is 0x%llx-0x%llx)", fname, x,
			 (unsigned long long)m->vmalloc->start, (unsigned long long)m->vmalloc->end - 1);
	return 0;
}

int vfree(struct machine *m, uint64_t addr)
{
	uint32_t off = vmalloc_find(m, addr, "vfree");
	if (!off)
		return MM_EINVAL;
	if (vmap_at(m, off)->flags & VM_IOREMAP)
		return mm_error(m, "vfree: 0x%llx is an ioremap mapping: iounmap it", (unsigned long long)addr);
	mm_op_begin(m);
	free_area(m, off, false);
	mm_op_end(m);
	return MM_OK;
}

/* /proc/vmallocinfo as vmalloc_info_show prints it (no caller symbol: the
 * model has none), then the lazily freed areas (show_purge_info). */
void proc_vmallocinfo(const struct machine *m, struct strbuf *out)
{
	int digits = m->vmalloc->end > 0x100000000ull ? 16 : 8;
	const struct vmalloc_root *r = vmalloc_root(m);
	for (uint32_t o = r->busy.head; o; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		strbuf_printf(out, "0x%0*llx-0x%0*llx %7llu", digits, (unsigned long long)a->va_start, digits,
			      (unsigned long long)a->va_end, (unsigned long long)va_size(a));
		if (a->nr_pages)
			strbuf_printf(out, " pages=%u", a->nr_pages);
		if (a->flags & VM_IOREMAP)
			strbuf_printf(out, " phys=0x%0*llx ioremap", digits, (unsigned long long)a->phys_addr);
		else
			strbuf_printf(out, " vmalloc%s", a->pages_area ? " vpages" : "");
		uint32_t per_node[MAX_NODES] = {0};
		for (uint32_t i = 0; i < a->nr_pages; i++)
			per_node[pfn_zone(m, vmap_pages(m, a)[i])->node]++;
		for (unsigned n = 0; n < m->nr_nodes; n++)
			if (per_node[n])
				strbuf_printf(out, " N%u=%u", n, per_node[n]);
		strbuf_printf(out, "\n");
	}
	for (uint32_t o = r->lazy.head; o; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		strbuf_printf(out, "0x%0*llx-0x%0*llx %7llu unpurged vm_area\n", digits, (unsigned long long)a->va_start,
			      digits, (unsigned long long)a->va_end, (unsigned long long)va_size(a));
	}
}
