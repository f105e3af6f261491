/*
 * The invariants of highmem.c: every pkmap slot's count agrees with its
 * PTE in init_mm and with page_address_htable; each CPU's kmap_local
 * stack maps exactly its first depth fixmap slots; the flush that
 * flush_all_zero_pkmaps owes comes within its operation.
 */
#include "highmem.h"

#include "check.h"
#include "pgtable.h"
#include "vmalloc.h"

#define fail check_fail

static uint32_t leaf_pfn(const struct machine *m, uint32_t kmm, uint64_t va, bool *present)
{
	uint64_t e = kmm ? pt_leaf_entry(m, kmm, va) : 0;
	*present = e && pte_present(m, e);
	return *present ? pte_pfn(m, e) : PFN_NONE;
}

static int check_pkmap(const struct machine *m, char *why, size_t n)
{
	const struct hm_root *r = hm_root(m);
	uint32_t kmm = vmalloc_root(m)->kernel_mm, kmapped = 0, hashed = 0;
	for (uint32_t i = 0; i < m->highmem->last_pkmap; i++) {
		bool present;
		uint32_t pfn = leaf_pfn(m, kmm, pkmap_addr(i), &present);
		uint32_t count = r->pkmap_count[i];
		kmapped += count >= 2;
		if (!count) {
			if (present || r->slot_pfn[i])
				return fail(why, n, "pkmap slot %u: count 0 but %s", i,
					    present ? "its PTE is present" : "page_address_maps names a page");
			continue;
		}
		if (!present || !r->slot_pfn[i] || pfn != r->slot_pfn[i] - 1)
			return fail(why, n, "pkmap slot %u: count %u but its PTE maps pfn 0x%x and the hash pfn 0x%x", i,
				    count, pfn, r->slot_pfn[i] ? r->slot_pfn[i] - 1 : PFN_NONE);
		if (!page_is_highmem(m, pfn))
			return fail(why, n, "pkmap slot %u maps pfn 0x%x, a lowmem page", i, pfn);
		if (hm_slot_of(m, pfn) != (int)i)
			return fail(why, n, "pkmap slot %u: page_address of pfn 0x%x finds slot %d", i, pfn,
				    hm_slot_of(m, pfn));
	}
	for (uint32_t b = 0; b < 1u << PA_HASH_ORDER; b++)
		for (uint32_t s = r->htable[b]; s; s = r->slot_next[s - 1])
			if (++hashed > m->highmem->last_pkmap)
				return fail(why, n, "page_address_htable bucket %u: its chain loops", b);
	uint32_t used = 0;
	for (uint32_t i = 0; i < m->highmem->last_pkmap; i++)
		used += r->pkmap_count[i] != 0;
	if (hashed != used)
		return fail(why, n, "page_address_htable holds %u pages but %u pkmap slots are mapped", hashed, used);
	if (kmapped != r->nr_kmapped)
		return fail(why, n, "highmem: nr_kmapped %u but %u slots have a count of 2 or more", r->nr_kmapped,
			    kmapped);
	if (r->last_pkmap_nr >= m->highmem->last_pkmap)
		return fail(why, n, "last_pkmap_nr %u is beyond LAST_PKMAP %u", r->last_pkmap_nr, m->highmem->last_pkmap);
	if (r->flush_pending_op && r->flush_pending_op != pt_op_in_progress(m))
		return fail(why, n, "flush_all_zero_pkmaps of op %u never flushed the TLB", r->flush_pending_op);
	return 0;
}

static int check_local(const struct machine *m, char *why, size_t n)
{
	const struct hm_root *r = hm_root(m);
	uint32_t kmm = vmalloc_root(m)->kernel_mm;
	for (unsigned cpu = 0; cpu < m->highmem->cpus; cpu++) {
		uint32_t depth = r->local_depth[cpu];
		if (depth > KM_MAX_IDX)
			return fail(why, n, "cpu %u: kmap_local depth %u beyond KM_MAX_IDX", cpu, depth);
		for (unsigned idx = 0; idx < KM_MAX_IDX; idx++) {
			bool present;
			uint32_t pfn = leaf_pfn(m, kmm, kmap_local_addr(cpu, idx), &present);
			uint32_t want = r->local_pfn[cpu * KM_MAX_IDX + idx];
			if (idx < depth && (!want || !present || pfn != want - 1))
				return fail(why, n, "cpu %u kmap_local slot %u: in use, but its PTE maps pfn 0x%x", cpu, idx,
					    pfn);
			if (idx >= depth && (want || present))
				return fail(why, n, "cpu %u kmap_local slot %u: above depth %u but still mapped", cpu, idx,
					    depth);
		}
	}
	return 0;
}

int check_highmem(const struct machine *m, char *why, size_t whylen)
{
	if (!m->highmem->pkmap)
		return 0;
	return check_pkmap(m, why, whylen) || check_local(m, why, whylen) ? -1 : 0;
}
