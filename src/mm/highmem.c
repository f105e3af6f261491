/*
 * Highmem, modelled on mm/highmem.c, include/linux/highmem-internal.h and
 * arch/x86/include/asm/{pgtable_32_areas.h,fixmap.h} of Linux 6.18 (the
 * classic kmap/pkmap algorithm is the one 6.18 still has for x86-32 with
 * CONFIG_HIGHMEM4G; 6.15 dropped HIGHMEM64G, memstep's x86_pae machines
 * keep PAE's 512 slots and its page-table format):
 * - kmap: a lowmem page has its direct-map address; a highmem page goes to
 *   kmap_high: if page_address finds it in a pkmap slot the slot's count
 *   goes up, else map_new_virtual scans from last_pkmap_nr for a slot of
 *   count 0, calling flush_all_zero_pkmaps when the scan wraps to slot 0;
 *   the slot's PTE is set in init_mm (set_pte_at, PAGE_KERNEL), its count
 *   becomes 1 and set_page_address enters it in page_address_htable; the
 *   count then goes to 2 (1 means "mapped, unused, to be flushed").
 * - flush_all_zero_pkmaps: every slot of count 1 drops to 0, its PTE is
 *   cleared and its page leaves the hash; then one flush_tlb_kernel_range
 *   over the whole pkmap area.
 * - kunmap / kunmap_high: the slot's count goes down; never to 0 (that
 *   needs the flush), so a kunmap of a page not kmapped is refused.
 * - kmap_local_page / kmap_atomic (__kmap_local_pfn_prot): a highmem page
 *   takes the next of its CPU's KM_MAX_IDX fixmap slots (fixmap index
 *   FIX_KMAP_BEGIN + idx + KM_MAX_IDX * cpu, addresses going down from
 *   FIXADDR_TOP); kunmap_local clears the top slot's PTE and flushes that
 *   one address (flush_tlb_one_kernel); unmapping any other slot is
 *   refused, where the kernel warns (WARN_ON_ONCE in kunmap_local_indexed).
 * Simplified: "sleeping when full" (map_new_virtual's wait queue) is a
 *   refusal with a reason; the kmap_local stack belongs to a CPU, not to
 *   the task on it (the kernel saves it in task_struct.kmap_ctrl across a
 *   preemption); PKMAP_BASE is fixed at 0xff800000 (the kernel derives it
 *   from the cpu_entry_area and LDT remap below the fixmap) and
 *   FIX_KMAP_BEGIN at 69 (its value for one config); no cache colouring
 *   (x86 has none); the direct map itself is not in init_mm's tables, so
 *   only pkmap and fixmap addresses translate.  On 64-bit arches every
 *   page is lowmem and kmap is page_address.
 */
#include "highmem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"
#include "vmalloc.h"
#include "xalloc.h"

static uint64_t direct_map_base(const char *arch)
{
	static const struct {
		const char *arch;
		uint64_t base;
	} t[] = {
		{"x86", PAGE_OFFSET_32},
		{"x86_pae", PAGE_OFFSET_32},
		{"x86_64", 0xffff888000000000ull},
		{"x86_64_la57", 0xff11000000000000ull},
		{"arm64", 0xffffff8000000000ull},
		{"arm64_48", 0xffff000000000000ull},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].arch, arch) == 0)
			return t[i].base;
	return 0;
}

void highmem_init(struct machine *m)
{
	struct highmem *h = xcalloc(1, sizeof *h);
	m->highmem = h;
	arena_init(m, &h->arena);
	const char *arch = m->cfg.arch->name ? m->cfg.arch->name : "";
	h->page_offset = direct_map_base(arch);
	h->pkmap = arch_has_zone(m, ZONE_HIGHMEM) && m->pt && m->pt->fmt.depth && vmalloc_maps_pages(m);
	h->last_pkmap = strcmp(arch, "x86_pae") == 0 ? 512 : 1024;
	h->cpus = m->cfg.cpus < HM_MAX_CPUS ? m->cfg.cpus : HM_MAX_CPUS;
	arena_alloc(m, &h->arena, sizeof(struct hm_root));
}

void highmem_free(struct machine *m)
{
	free(m->highmem);
	m->highmem = NULL;
}

bool page_is_highmem(const struct machine *m, uint32_t pfn)
{
	const struct zone *z = pfn_zone(m, pfn);
	return z && z->type == ZONE_HIGHMEM;
}

/* hash_32 with the golden ratio, as hash_ptr spreads struct page pointers */
static uint32_t pa_hash(uint32_t pfn)
{
	return (pfn * 0x61C88647u) >> (32 - PA_HASH_ORDER);
}

int hm_slot_of(const struct machine *m, uint32_t pfn)
{
	const struct hm_root *r = hm_root(m);
	for (uint32_t s = r->htable[pa_hash(pfn)]; s; s = r->slot_next[s - 1])
		if (r->slot_pfn[s - 1] == pfn + 1)
			return (int)s - 1;
	return -1;
}

uint64_t hm_page_address(const struct machine *m, uint32_t pfn)
{
	if (!page_is_highmem(m, pfn))
		return m->highmem->page_offset + ((uint64_t)pfn << m->page_shift);
	int s = hm_slot_of(m, pfn);
	return s < 0 ? 0 : pkmap_addr((unsigned)s);
}

/* set_page_address: enter a slot in its bucket (at the head: the order
 * inside a bucket does not matter), or take it out. */
static void set_page_address(struct machine *m, uint32_t pfn, int slot)
{
	struct hm_root *r = hm_root(m);
	uint32_t *link = &r->htable[pa_hash(pfn)];
	if (slot >= 0) {
		jset32(&m->j, &r->slot_pfn[slot], pfn + 1);
		jset32(&m->j, &r->slot_next[slot], *link);
		jset32(&m->j, link, (uint32_t)slot + 1);
		return;
	}
	while (*link && r->slot_pfn[*link - 1] != pfn + 1)
		link = &r->slot_next[*link - 1];
	if (!*link)
		return;
	uint32_t s = *link - 1;
	jset32(&m->j, link, r->slot_next[s]);
	jset32(&m->j, &r->slot_next[s], 0);
	jset32(&m->j, &r->slot_pfn[s], 0);
}

static int check_page(struct machine *m, const char *fn, uint32_t pfn)
{
	if (pfn >= m->nr_frames)
		return mm_error(m, "%s: pfn 0x%x is beyond memory (pfns 0..0x%x)", fn, pfn, m->nr_frames - 1);
	if (frame_state(&m->frames[block_head(m, pfn)]) == FS_FREE)
		return mm_error(m, "%s: pfn 0x%x is free: map a page that is allocated", fn, pfn);
	if (!m->highmem->page_offset)
		return mm_error(m, "%s: a toy arch has no kernel direct map", fn);
	return MM_OK;
}

static bool pkmap_flush_pending(const struct machine *m)
{
	return hm_root(m)->flush_pending_op != 0;
}

bool highmem_flush_pending(const struct machine *m, uint32_t asid, uint64_t va)
{
	if (!m->highmem || !m->highmem->pkmap || !pkmap_flush_pending(m))
		return false;
	return asid == vmalloc_root(m)->kernel_mm && va >= pkmap_addr(0) &&
	       va < pkmap_addr(m->highmem->last_pkmap);
}

/* flush_all_zero_pkmaps (nr: the slot the scan wrapped to); returns how
 * many slots it freed. */
static uint32_t flush_all_zero_pkmaps(struct machine *m, uint32_t nr)
{
	struct hm_root *r = hm_root(m);
	uint32_t kmm = vmalloc_root(m)->kernel_mm, freed = 0;
	for (uint32_t i = 0; i < m->highmem->last_pkmap; i++) {
		if (r->pkmap_count[i] != 1)
			continue;
		if (!freed)
			jset32(&m->j, &r->flush_pending_op, m->op_base + m->nops);
		jset32(&m->j, &r->pkmap_count[i], 0);
		set_page_address(m, r->slot_pfn[i] - 1, -1);
		pt_unmap_kernel(m, kmm, pkmap_addr(i));
		freed++;
	}
	if (freed) {
		jset32(&m->j, &r->flushes, r->flushes + 1);
		jset32(&m->j, &r->flush_pending_op, 0);
		flush_tlb_kernel_range(m, pkmap_addr(0), pkmap_addr(m->highmem->last_pkmap));
	}
	EMIT(m, EV_PKMAP_FLUSH, freed, nr);
	return freed;
}

/* init_mm and the PTE table for va (the kernel's pkmap_page_table and
 * the fixmap's table exist from boot; here they come on first use). */
static int kernel_pte_table(struct machine *m, uint64_t va, uint32_t *kmm)
{
	int rc = vmalloc_kernel_mm(m, kmm);
	return rc == MM_OK ? pt_populate(m, *kmm, va) : rc;
}

/* map_new_virtual: the slot a new kmap takes, or -1 when all are in use. */
static int map_new_virtual(struct machine *m, uint32_t pfn)
{
	struct hm_root *r = hm_root(m);
	uint32_t last = m->highmem->last_pkmap, count = last, nr = r->last_pkmap_nr;
	/* last_pkmap_nr is written once the scan ends, so that each record
	 * made belongs to the step after it */
	for (;;) {
		nr = (nr + 1) & (last - 1);
		if (nr == 0) {
			flush_all_zero_pkmaps(m, nr);
			count = last;
		}
		if (!r->pkmap_count[nr])
			break;
		if (--count == 0) {
			jset32(&m->j, &r->last_pkmap_nr, nr);
			return -1;
		}
	}
	uint32_t kmm;
	if (kernel_pte_table(m, pkmap_addr(nr), &kmm) != MM_OK)
		return -2;
	/* the slot is taken before set_pte_at's step, so that the step shows
	 * the PTE and its count together */
	jset32(&m->j, &r->last_pkmap_nr, nr);
	jset32(&m->j, &r->pkmap_count[nr], 1);
	set_page_address(m, pfn, (int)nr);
	pt_map_kernel(m, kmm, pkmap_addr(nr), pfn);
	return (int)nr;
}

int kmap(struct machine *m, uint32_t pfn, uint64_t *addr)
{
	if (check_page(m, "kmap", pfn))
		return MM_EINVAL;
	mm_op_begin(m);
	struct hm_root *r = hm_root(m);
	bool high = page_is_highmem(m, pfn);
	int slot = high ? hm_slot_of(m, pfn) : -1;
	if (high && slot < 0) {
		slot = map_new_virtual(m, pfn);
		if (slot < 0) {
			if (slot == -1) {
				jset32(&m->j, &r->waits, r->waits + 1);
				EMIT(m, EV_KMAP_WAIT, pfn, m->highmem->last_pkmap);
				snprintf(m->reason, sizeof m->reason,
					 "kmap: all %u pkmap slots are in use: kmap_high would sleep until a kunmap",
					 m->highmem->last_pkmap);
			}
			mm_op_end(m);
			return MM_NOMEM;
		}
	}
	if (slot >= 0) {
		if (r->pkmap_count[slot] == 1)
			jset32(&m->j, &r->nr_kmapped, r->nr_kmapped + 1);
		jset32(&m->j, &r->pkmap_count[slot], r->pkmap_count[slot] + 1);
	}
	*addr = hm_page_address(m, pfn);
	EMIT(m, EV_KMAP, pfn, (int64_t)*addr, high, slot, slot >= 0 ? (int64_t)r->pkmap_count[slot] : -1);
	mm_op_end(m);
	return MM_OK;
}

int kunmap(struct machine *m, uint32_t pfn)
{
	if (check_page(m, "kunmap", pfn))
		return MM_EINVAL;
	struct hm_root *r = hm_root(m);
	bool high = page_is_highmem(m, pfn);
	int slot = high ? hm_slot_of(m, pfn) : -1;
	if (high && (slot < 0 || r->pkmap_count[slot] < 2))
		return mm_error(m, "kunmap: pfn 0x%x is not kmapped%s", pfn,
				slot < 0 ? "" : " (its pkmap slot is unused, waiting for the flush)");
	mm_op_begin(m);
	if (slot >= 0) {
		jset32(&m->j, &r->pkmap_count[slot], r->pkmap_count[slot] - 1);
		if (r->pkmap_count[slot] == 1)
			jset32(&m->j, &r->nr_kmapped, r->nr_kmapped - 1);
	}
	EMIT(m, EV_KUNMAP, pfn, (int64_t)hm_page_address(m, pfn), high, slot, slot >= 0 ? (int64_t)r->pkmap_count[slot] : -1);
	mm_op_end(m);
	return MM_OK;
}

static int check_cpu(struct machine *m, const char *fn, unsigned cpu)
{
	if (cpu >= m->cfg.cpus)
		return mm_error(m, "%s: cpu %u does not exist (cpus 0..%u)", fn, cpu, m->cfg.cpus - 1);
	if (m->highmem->pkmap && cpu >= m->highmem->cpus)
		return mm_error(m, "%s: the model lays out fixmap slots for cpus 0..%u only", fn, m->highmem->cpus - 1);
	return MM_OK;
}

int kmap_local_page(struct machine *m, uint32_t pfn, unsigned cpu, bool atomic, uint64_t *addr)
{
	const char *fn = atomic ? "kmap_atomic" : "kmap_local_page";
	if (check_page(m, fn, pfn) || check_cpu(m, fn, cpu))
		return MM_EINVAL;
	struct hm_root *r = hm_root(m);
	bool high = page_is_highmem(m, pfn);
	if (high && r->local_depth[cpu] == KM_MAX_IDX)
		return mm_error(m, "%s: cpu %u already holds %u kmap_local mappings (KM_MAX_IDX)", fn, cpu,
				KM_MAX_IDX);
	mm_op_begin(m);
	int idx = -1;
	if (high) {
		idx = (int)r->local_depth[cpu];
		*addr = kmap_local_addr(cpu, (unsigned)idx);
		uint32_t kmm;
		int rc = kernel_pte_table(m, *addr, &kmm);
		if (rc != MM_OK) {
			mm_op_end(m);
			return rc;
		}
		jset32(&m->j, &r->local_pfn[cpu * KM_MAX_IDX + (unsigned)idx], pfn + 1);
		jset32(&m->j, &r->local_depth[cpu], r->local_depth[cpu] + 1);
		pt_map_kernel(m, kmm, *addr, pfn);
	} else {
		*addr = hm_page_address(m, pfn);
	}
	EMIT(m, EV_KMAP_LOCAL, pfn, (int64_t)*addr, cpu, idx, idx < 0 ? -1 : FIX_KMAP_BEGIN + idx + KM_MAX_IDX * (int)cpu,
	     atomic);
	mm_op_end(m);
	return MM_OK;
}

static bool in_direct_map(const struct machine *m, uint64_t addr)
{
	uint64_t base = m->highmem->page_offset;
	if (addr < base)
		return false;
	uint64_t pfn = (addr - base) >> m->page_shift;
	return pfn < m->nr_frames && !page_is_highmem(m, (uint32_t)pfn);
}

int kunmap_local(struct machine *m, uint64_t addr, unsigned cpu, bool atomic)
{
	const char *fn = atomic ? "kunmap_atomic" : "kunmap_local";
	if (check_cpu(m, fn, cpu))
		return MM_EINVAL;
	if (!m->highmem->page_offset)
		return mm_error(m, "%s: a toy arch has no kernel direct map", fn);
	struct hm_root *r = hm_root(m);
	addr &= ~(uint64_t)(m->cfg.page_size - 1);
	uint32_t depth = r->local_depth[cpu];
	bool fixmap = m->highmem->pkmap && depth && addr <= kmap_local_addr(cpu, 0) &&
		      addr >= kmap_local_addr(cpu, KM_MAX_IDX - 1);
	if (!fixmap) {
		if (in_direct_map(m, addr)) {
			mm_op_begin(m);
			uint32_t pfn = (uint32_t)((addr - m->highmem->page_offset) >> m->page_shift);
			EMIT(m, EV_KUNMAP_LOCAL, pfn, (int64_t)addr, cpu, -1, atomic);
			mm_op_end(m);
			return MM_OK;
		}
		return mm_error(m, "%s: 0x%llx is neither a lowmem address nor a kmap_local slot in use on cpu %u", fn,
				(unsigned long long)addr, cpu);
	}
	uint64_t top = kmap_local_addr(cpu, depth - 1);
	if (addr != top)
		return mm_error(m,
				"%s: 0x%llx is not cpu %u's most recent kmap_local mapping (that is 0x%llx): "
				"unmap in the reverse order of mapping",
				fn, (unsigned long long)addr, cpu, (unsigned long long)top);
	uint32_t kmm = vmalloc_root(m)->kernel_mm;
	uint32_t *slot = &r->local_pfn[cpu * KM_MAX_IDX + depth - 1];
	uint32_t pfn = *slot - 1;
	mm_op_begin(m);
	jset32(&m->j, slot, 0);
	jset32(&m->j, &r->local_depth[cpu], depth - 1);
	pt_pending_flush(m, kmm, addr);
	pt_unmap_kernel(m, kmm, addr);
	pt_tlb_flush(m, 0, addr, false);
	EMIT(m, EV_KUNMAP_LOCAL, pfn, (int64_t)addr, cpu, (int)depth - 1, atomic);
	mm_op_end(m);
	return MM_OK;
}

int page_address(struct machine *m, uint32_t pfn, uint64_t *addr)
{
	if (check_page(m, "page_address", pfn))
		return MM_EINVAL;
	mm_op_begin(m);
	*addr = hm_page_address(m, pfn);
	int slot = page_is_highmem(m, pfn) ? hm_slot_of(m, pfn) : -1;
	EMIT(m, EV_PAGE_ADDRESS, pfn, (int64_t)*addr, page_is_highmem(m, pfn), slot);
	mm_op_end(m);
	return MM_OK;
}

int kmap_flush_unused(struct machine *m)
{
	if (!m->highmem->pkmap)
		return mm_error(m, "kmap_flush_unused: this machine has no highmem (no pkmap area)");
	mm_op_begin(m);
	flush_all_zero_pkmaps(m, hm_root(m)->last_pkmap_nr);
	mm_op_end(m);
	return MM_OK;
}
