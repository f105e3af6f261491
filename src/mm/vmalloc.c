/*
 * vmalloc, modelled on mm/vmalloc.c:
 * - __vmalloc_node_range / __get_vm_area_node: the size is rounded up to
 *   pages and a guard page added; alloc_vmap_area places the area in the
 *   lowest gap of [VMALLOC_START, VMALLOC_END) that fits
 *   (find_vmap_lowest_match), page aligned.
 * - __vmalloc_area_node: order-0 pages from the buddy, one at a time (with
 *   __GFP_HIGHMEM: they may come from any zone), so the area is virtually
 *   contiguous and physically scattered; a failure part way frees what it
 *   got and the area (as the kernel's vfree of the half-built area does).
 * - vfree / remove_vm_area: the area leaves the busy list, then every page
 *   goes back to the buddy.
 * - vmap_pages_range: each page is mapped, read-write and no-execute, for
 *   the kernel only, into the kernel's page tables (init_mm) as it arrives;
 *   vfree unmaps them (vunmap_range) before the pages go back.
 * Simplified: no lazy purging of freed areas (the kernel frees vmap_areas
 * in batches and flushes the TLB once); no huge mappings; init_mm is an
 * address space of its own, made by the first vmalloc (the kernel shares
 * its top-level entries with every process); a toy format whose address
 * space cannot hold the vmalloc range only records the pages on the area.
 * VMALLOC_START/END per arch: x86_64 as in the kernel's documentation
 * (32 TiB from 0xffffc90000000000); 32-bit x86 from 8 MiB above the direct
 * map to just below the fixmap/pkmap (approximate); arm64 from MODULES_END
 * to below vmemmap (approximate).
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
		*start = 0xffffc90000000000ull;
		*end = *start + (32ull << 40);
	}
}

void vmalloc_init(struct machine *m)
{
	struct vmalloc *v = xcalloc(1, sizeof *v);
	m->vmalloc = v;
	arena_init(m, &v->arena);
	vmalloc_range(m, &v->start, &v->end);
	arena_alloc(m, &v->arena, sizeof(struct vmalloc_root)); /* offset 0 */
}

void vmalloc_free(struct machine *m)
{
	free(m->vmalloc);
	m->vmalloc = NULL;
}

uint64_t vmap_end(const struct machine *m, const struct vmap_area *a)
{
	return vmap_start(a) + ((uint64_t)(a->npages + 1) << m->page_shift);
}

/* find_vmap_lowest_match: the lowest start with room for `bytes`; *link is
 * where the new area goes in the busy list. */
static bool lowest_gap(const struct machine *m, uint64_t bytes, uint64_t *addr, uint32_t **link)
{
	struct vmalloc_root *r = vmalloc_root(m);
	uint64_t at = m->vmalloc->start;
	uint32_t *l = &r->busy;
	for (; *l; l = &vmap_at(m, *l)->next) {
		const struct vmap_area *a = vmap_at(m, *l);
		if (vmap_start(a) - at >= bytes && vmap_start(a) >= at)
			break;
		at = vmap_end(m, a);
	}
	if (at > m->vmalloc->end || m->vmalloc->end - at < bytes)
		return false;
	*addr = at;
	*link = l;
	return true;
}

static void unlink_busy(struct machine *m, uint32_t off)
{
	for (uint32_t *l = &vmalloc_root(m)->busy; *l; l = &vmap_at(m, *l)->next)
		if (*l == off) {
			jset32(&m->j, l, vmap_at(m, off)->next);
			break;
		}
	struct vmalloc_root *r = vmalloc_root(m);
	struct vmap_area *a = vmap_at(m, off);
	jset32(&m->j, &a->alive, 0);
	jset32(&m->j, &a->freed, mm_next_step(m));
	jset32(&m->j, &a->next, r->dead);
	jset32(&m->j, &r->dead, off);
}

/* Whether areas are mapped into page tables (the format can hold them). */
static bool maps_pages(const struct machine *m)
{
	return m->pt && m->pt->fmt.depth && pt_canonical(&m->pt->fmt, m->vmalloc->start) &&
	       pt_canonical(&m->pt->fmt, m->vmalloc->end - 1);
}

/* The kernel's address space, made by the first area that needs it. */
static int kernel_mm(struct machine *m, uint32_t *id)
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

/* An area's pages leave it as plain allocated pages (before any step, so
 * every step in between agrees with the area lists), then are unmapped. */
static void unmap_area_pages(struct machine *m, uint32_t off, uint32_t n)
{
	const struct vmap_area *a = vmap_at(m, off);
	for (uint32_t i = 0; i < n; i++)
		jset32(&m->j, &m->frames[vmap_pages(m, a)[i]].info, frame_info(FS_ALLOC, 0));
	for (uint32_t i = 0; maps_pages(m) && i < n; i++)
		pt_unmap(m, vmalloc_root(m)->kernel_mm, vmap_start(a) + ((uint64_t)i << m->page_shift));
}

static void free_area_pages(struct machine *m, uint32_t off, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		free_pages(m, vmap_pages(m, vmap_at(m, off))[i], 0);
}

int vmalloc(struct machine *m, uint64_t size, uint32_t *area)
{
	if (size == 0)
		return mm_error(m, "vmalloc(0): an area needs at least one byte");
	uint64_t npages = (size + m->cfg.page_size - 1) >> m->page_shift;
	if (npages > ARENA_CHUNK / 4)
		return mm_error(m, "vmalloc(%llu): the model maps at most %u pages per area",
				(unsigned long long)size, ARENA_CHUNK / 4);
	uint64_t addr;
	uint32_t *link;
	if (!lowest_gap(m, (npages + 1) << m->page_shift, &addr, &link)) {
		snprintf(m->reason, sizeof m->reason, "vmalloc(%llu): no gap in the vmalloc range fits it",
			 (unsigned long long)size);
		return MM_NOMEM;
	}
	mm_op_begin(m);
	struct arena *ar = &m->vmalloc->arena;
	uint32_t off = arena_alloc(m, ar, sizeof(struct vmap_area));
	uint32_t pages = arena_alloc(m, ar, (uint32_t)npages * 4);
	struct vmap_area *a = vmap_at(m, off);
	jset32(&m->j, &a->va_lo, (uint32_t)addr);
	jset32(&m->j, &a->va_hi, (uint32_t)(addr >> 32));
	jset32(&m->j, &a->size_lo, (uint32_t)size);
	jset32(&m->j, &a->size_hi, (uint32_t)(size >> 32));
	jset32(&m->j, &a->npages, (uint32_t)npages);
	jset32(&m->j, &a->pages, pages);
	jset32(&m->j, &a->alive, 1);
	jset32(&m->j, &a->born, mm_next_step(m));
	jset32(&m->j, &a->next, *link);
	jset32(&m->j, link, off);
	EMIT(m, EV_VMALLOC, (int64_t)size, (int64_t)addr, (int64_t)vmap_end(m, a), (int64_t)npages);
	uint32_t kmm = 0;
	bool mapping = maps_pages(m) && kernel_mm(m, &kmm) == MM_OK;
	for (uint32_t i = 0; i < npages; i++) {
		uint32_t pfn;
		uint64_t va = addr + ((uint64_t)i << m->page_shift);
		bool got = alloc_pages(m, 0, GFP_KERNEL | __GFP_HIGHMEM, -1, &pfn) == MM_OK;
		if (got && mapping && pt_map(m, kmm, va, pfn, 0, PROT_R | PROT_W) != MM_OK) {
			/* no page for a table: give this page back, then the rest */
			free_pages(m, pfn, 0);
			got = false;
		}
		if (!got) {
			char why[sizeof m->reason];
			memcpy(why, m->reason, sizeof why);
			unlink_busy(m, off);
			jset32(&m->j, &vmalloc_root(m)->nr_pages, vmalloc_root(m)->nr_pages - i);
			unmap_area_pages(m, off, i);
			EMIT(m, EV_VMALLOC_FAIL, (int64_t)addr, i, (int64_t)npages);
			free_area_pages(m, off, i);
			snprintf(m->reason, sizeof m->reason, "vmalloc(%llu): page %u of %llu: %s",
				 (unsigned long long)size, i, (unsigned long long)npages, why);
			mm_op_end(m);
			return MM_NOMEM;
		}
		jset32(&m->j, &m->frames[pfn].info, frame_info(FS_VMALLOC, 0));
		jset32(&m->j, &vmap_pages(m, a)[i], pfn);
		jset32(&m->j, &a->nr_pages, i + 1);
		jset32(&m->j, &vmalloc_root(m)->nr_pages, vmalloc_root(m)->nr_pages + 1);
		EMIT(m, EV_VMALLOC_PAGE, (int64_t)va, pfn, i, (int64_t)npages);
	}
	mm_op_end(m);
	*area = off;
	return MM_OK;
}

uint32_t vmalloc_find(struct machine *m, uint64_t addr, const char *fname)
{
	unsigned long long x = (unsigned long long)addr;
	for (uint32_t o = vmalloc_root(m)->busy; o; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		if (vmap_start(a) == addr)
			return o;
		if (addr > vmap_start(a) && addr < vmap_end(m, a)) {
			mm_error(m, "%s: 0x%llx is inside the vmalloc area at 0x%llx, not its start", fname, x,
				 (unsigned long long)vmap_start(a));
			return 0;
		}
	}
	for (uint32_t o = vmalloc_root(m)->dead; o; o = vmap_at(m, o)->next)
		if (vmap_start(vmap_at(m, o)) == addr) {
			mm_error(m, "%s: double free: the vmalloc area 0x%llx was freed at step %u", fname, x,
				 vmap_at(m, o)->freed);
			return 0;
		}
	if (addr >= m->vmalloc->start && addr < m->vmalloc->end)
		mm_error(m, "%s: 0x%llx is in the vmalloc range but no area is there", fname, x);
	else
		mm_error(m, "%s: 0x%llx is not a vmalloc address (the range is 0x%llx-0x%llx)", fname, x,
			 (unsigned long long)m->vmalloc->start, (unsigned long long)m->vmalloc->end);
	return 0;
}

int vfree(struct machine *m, uint64_t addr)
{
	uint32_t off = vmalloc_find(m, addr, "vfree");
	if (!off)
		return MM_EINVAL;
	mm_op_begin(m);
	struct vmap_area *a = vmap_at(m, off);
	unlink_busy(m, off);
	jset32(&m->j, &vmalloc_root(m)->nr_pages, vmalloc_root(m)->nr_pages - a->nr_pages);
	unmap_area_pages(m, off, a->nr_pages);
	EMIT(m, EV_VFREE, (int64_t)addr, a->nr_pages);
	free_area_pages(m, off, a->nr_pages);
	mm_op_end(m);
	return MM_OK;
}

#define FAIL(...) return (snprintf(why, whylen, __VA_ARGS__), -1)

int check_vmalloc(const struct machine *m, char *why, size_t whylen)
{
	uint64_t prev_end = m->vmalloc->start, pages = 0;
	for (uint32_t o = vmalloc_root(m)->busy; o; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		if (!a->alive)
			FAIL("vmalloc area 0x%llx is on the busy list but freed", (unsigned long long)vmap_start(a));
		if (vmap_start(a) < prev_end || vmap_end(m, a) > m->vmalloc->end)
			FAIL("vmalloc area 0x%llx overlaps the one before or leaves the range",
			     (unsigned long long)vmap_start(a));
		prev_end = vmap_end(m, a);
		if (a->nr_pages > a->npages)
			FAIL("vmalloc area 0x%llx maps %u of its %u pages", (unsigned long long)vmap_start(a), a->nr_pages,
			     a->npages);
		for (uint32_t i = 0; i < a->nr_pages; i++) {
			uint32_t pfn = vmap_pages(m, a)[i];
			if (pfn >= m->nr_frames || frame_state(&m->frames[pfn]) != FS_VMALLOC ||
			    frame_order(&m->frames[pfn]) != 0)
				FAIL("vmalloc area 0x%llx page %u: pfn 0x%x is not an order-0 vmalloc frame",
				     (unsigned long long)vmap_start(a), i, pfn);
		}
		pages += a->nr_pages;
	}
	if (pages != vmalloc_root(m)->nr_pages)
		FAIL("vmalloc: nr_pages %u but the areas map %llu", vmalloc_root(m)->nr_pages,
		     (unsigned long long)pages);
	uint64_t frames = 0;
	for (uint32_t p = 0; p < m->nr_frames; p++)
		frames += frame_state(&m->frames[p]) == FS_VMALLOC;
	if (frames != pages)
		FAIL("vmalloc: %llu frames are in state vmalloc but the areas map %llu", (unsigned long long)frames,
		     (unsigned long long)pages);
	return 0;
}

/* /proc/vmallocinfo as s_show prints it (no caller symbol: the model has none). */
void proc_vmallocinfo(const struct machine *m, struct strbuf *out)
{
	int digits = m->vmalloc->end > 0xffffffffull ? 16 : 8;
	for (uint32_t o = vmalloc_root(m)->busy; o; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		uint64_t bytes = vmap_end(m, a) - vmap_start(a);
		strbuf_printf(out, "0x%0*llx-0x%0*llx %7llu pages=%u vmalloc", digits, (unsigned long long)vmap_start(a),
			      digits, (unsigned long long)vmap_end(m, a), (unsigned long long)bytes, a->nr_pages);
		uint32_t per_node[MAX_NODES] = {0};
		for (uint32_t i = 0; i < a->nr_pages; i++)
			per_node[pfn_zone(m, vmap_pages(m, a)[i])->node]++;
		for (unsigned n = 0; n < m->nr_nodes; n++)
			if (per_node[n])
				strbuf_printf(out, " N%u=%u", n, per_node[n]);
		strbuf_printf(out, "\n");
	}
}
