/*
 * Device memory, modelled on kernel/dma/direct.c and arch/x86/mm/ioremap.c
 * (Linux 6.18):
 * - dma_alloc_coherent as dma_direct_alloc with no IOMMU: the zone comes
 *   from the device's coherent mask (dma_direct_optimal_gfp_mask: GFP_DMA
 *   when the mask reaches no further than ZONE_DMA, GFP_DMA32 up to 4G),
 *   the order from the size (get_order), one physically contiguous block
 *   from the buddy; a block the device cannot reach (dma_coherent_ok) is
 *   freed and the allocation retried from DMA32, then DMA
 *   (__dma_direct_alloc_pages); dma_handle = the physical address.
 * - ioremap as __ioremap_caller: refuse RAM the kernel uses
 *   (__ioremap_check_ram: a usable page that is not reserved), round the
 *   range out to pages, take a VM_IOREMAP area of the vmalloc space
 *   (get_vm_area_caller) with uncached attributes (UC-) and no struct
 *   page behind it; iounmap removes it (remove_vm_area).
 * Simplified: no CMA (dma_alloc_contiguous), no swiotlb or IOMMU, no
 * remapping for non-coherent devices; the ioremap area's page-table
 * entries are not written (the model's kernel tables map only frames).
 */
#include "dma.h"

#include "memblock.h"
#include "page_alloc.h"
#include "vmalloc.h"

#include <inttypes.h>
#include <stdio.h>

static unsigned get_order(const struct machine *m, uint64_t size)
{
	unsigned o = 0;
	while (((uint64_t)m->cfg.page_size << o) < size)
		o++;
	return o;
}

/* The highest physical address of zone type t's default limit, or 0. */
static uint64_t zone_top(const struct machine *m, unsigned t)
{
	uint64_t l = m->cfg.arch->zone_limit[t];
	return l && l != UINT64_MAX ? l - 1 : 0;
}

static uint32_t optimal_gfp(const struct machine *m, uint64_t limit)
{
	if (arch_has_zone(m, ZONE_DMA) && limit <= zone_top(m, ZONE_DMA))
		return GFP_KERNEL | GFP_DMA;
	if (arch_has_zone(m, ZONE_DMA32) && limit <= 0xffffffffull)
		return GFP_KERNEL | GFP_DMA32;
	return GFP_KERNEL;
}

int dma_alloc_coherent(struct machine *m, uint64_t size, uint64_t mask, struct dma_buf *out)
{
	if (size == 0)
		return mm_error(m, "dma_alloc_coherent: a size of 0");
	unsigned order = get_order(m, size);
	if (order >= m->max_order)
		return mm_error(m, "dma_alloc_coherent: %" PRIu64 " bytes need order %u; this machine has orders 0..%u",
				size, order, m->max_order - 1);
	if (mask < m->cfg.page_size - 1)
		return mm_error(m, "dma_alloc_coherent: mask 0x%" PRIx64 " reaches no whole page", mask);
	if (memblock_booting(m))
		return mm_error(m, "dma_alloc_coherent: the buddy allocator has no memory yet (boot phase)");
	uint32_t gfp = optimal_gfp(m, mask), pfn = PFN_NONE;
	mm_op_begin(m);
	int rc;
	for (;;) {
		EMIT(m, EV_DMA_ALLOC, (int64_t)size, (int64_t)mask, gfp, order);
		rc = alloc_pages(m, order, gfp, -1, &pfn);
		if (rc != MM_OK)
			break;
		uint64_t phys = (uint64_t)pfn << m->page_shift;
		if (phys + size - 1 <= mask)
			break;
		/* dma_coherent_ok failed: give it back and go lower */
		free_pages(m, pfn, (int)order);
		pfn = PFN_NONE;
		if (!(gfp & (GFP_DMA | GFP_DMA32)) && arch_has_zone(m, ZONE_DMA32))
			gfp |= GFP_DMA32;
		else if (!(gfp & GFP_DMA) && arch_has_zone(m, ZONE_DMA))
			gfp = (gfp & ~(uint32_t)GFP_DMA32) | GFP_DMA;
		else {
			snprintf(m->reason, sizeof m->reason, "no block below the mask 0x%" PRIx64 " is free", mask);
			rc = MM_NOMEM;
			break;
		}
	}
	if (rc == MM_OK) {
		EMIT(m, EV_DMA_DONE, pfn_zone(m, pfn)->id, pfn, (int64_t)((uint64_t)pfn << m->page_shift));
		*out = (struct dma_buf){pfn, order, (uint64_t)pfn << m->page_shift};
	}
	mm_op_end(m);
	return rc;
}

int dma_free_coherent(struct machine *m, uint32_t pfn, uint64_t size)
{
	unsigned order = get_order(m, size);
	if (pfn >= m->nr_frames || frame_state(&m->frames[pfn]) != FS_ALLOC || frame_order(&m->frames[pfn]) != order)
		return mm_error(m, "dma_free_coherent: pfn 0x%x is no order-%u buffer that dma_alloc_coherent gave", pfn,
				order);
	mm_op_begin(m);
	EMIT(m, EV_DMA_FREE, pfn, order);
	free_pages(m, pfn, (int)order);
	mm_op_end(m);
	return MM_OK;
}

/* __ioremap_check_ram: a page of System RAM the kernel has not reserved. */
static int check_ram(struct machine *m, uint64_t phys, uint64_t last)
{
	uint64_t s = phys >> m->page_shift, e = (last >> m->page_shift) + 1;
	if (e > m->nr_frames)
		e = m->nr_frames;
	for (uint64_t p = s; p < e; p++) {
		unsigned st = frame_state(&m->frames[block_head(m, (uint32_t)p)]);
		if (st != FS_RESERVED && memblock_memory_pages(m, (uint32_t)p, (uint32_t)p + 1))
			return mm_error(m, "ioremap on RAM at 0x%" PRIx64 " - 0x%" PRIx64 ": pfn 0x%" PRIx64
					   " is %s memory the kernel owns",
					phys, last, p, frame_state_names[st]);
	}
	return MM_OK;
}

int ioremap(struct machine *m, uint64_t phys, uint64_t size, uint64_t *addr)
{
	if (size == 0)
		return mm_error(m, "ioremap: a size of 0");
	uint64_t last = phys + size - 1;
	if (last < phys)
		return mm_error(m, "ioremap: 0x%" PRIx64 " + 0x%" PRIx64 " wraps around", phys, size);
	if (check_ram(m, phys, last) != MM_OK)
		return MM_EINVAL;
	uint64_t mask = m->cfg.page_size - 1, offset = phys & mask, base = phys - offset;
	uint64_t len = ((last | mask) + 1) - base;
	uint32_t off;
	mm_op_begin(m);
	int rc = vmap_get_io_area(m, len, base, &off);
	if (rc == MM_OK) {
		*addr = vmap_at(m, off)->va_start + offset;
		EMIT(m, EV_IOREMAP, (int64_t)phys, (int64_t)size, (int64_t)*addr);
	}
	mm_op_end(m);
	return rc;
}

int iounmap(struct machine *m, uint64_t addr)
{
	uint64_t va = addr & ~(uint64_t)(m->cfg.page_size - 1);
	uint32_t off = vmalloc_find(m, va, "iounmap");
	if (!off)
		return MM_EINVAL;
	const struct vmap_area *a = vmap_at(m, off);
	if (!(a->flags & VM_IOREMAP))
		return mm_error(m, "iounmap: 0x%" PRIx64 " is a vmalloc area, not an ioremap mapping: vfree it", addr);
	mm_op_begin(m);
	EMIT(m, EV_IOUNMAP, (int64_t)addr, (int64_t)a->phys_addr);
	vmap_put_io_area(m, off);
	mm_op_end(m);
	return MM_OK;
}
