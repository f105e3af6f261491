/*
 * Swap entries in PTEs (include/linux/swapops.h, Linux 6.18, with each
 * arch's __swp_entry / __swp_entry_to_pte):
 * - x86_64, LA57 and PAE (arch/x86/include/asm/pgtable_64.h,
 *   pgtable-3level.h): the present bit clear, the type in bits 59-63, the
 *   offset inverted (the L1TF mitigation: a stale entry names no real
 *   memory) in bits 9-58; bit 3 (_PAGE_SWP_EXCLUSIVE) remembers
 *   PG_anon_exclusive;
 * - 32-bit x86 without PAE (pgtable-2level.h): the type in bits 1-5, the
 *   offset from bit 9, the exclusive marker in bit 7;
 * - arm64 (arch/arm64/include/asm/pgtable.h): the valid and table bits
 *   clear, the type in bits 6-10, the offset in bits 12-61, the exclusive
 *   marker in bit 2.
 * Toy formats (their pfn may start at bit 8) keep bit 3 for migration
 * entries: the type in bits 4-8, the offset from bit 9, no exclusive bit.
 * Migration entries (pgtable.c) are told apart by their own bit, which no
 * swap entry sets.  The soft-dirty and uffd-wp bits are not modelled.
 */
#include "swap.h"

#include <stdio.h>

#include "pgtable.h"

enum { ENC_X86_64, ENC_X86_2LEVEL, ENC_ARM64, ENC_TOY };

static int encoding(const struct machine *m)
{
	const struct pt_format *f = &m->pt->fmt;
	if (f->family == PTF_ARM64)
		return ENC_ARM64;
	if (f->pfn_shift <= 9)
		return ENC_TOY;
	return f->entry_size == 4 ? ENC_X86_2LEVEL : ENC_X86_64;
}

#define X86_SWP_TYPE_BITS 5
#define X86_SWP_OFFSET_SHIFT (9 + X86_SWP_TYPE_BITS) /* first offset bit (PROTNONE + 1) + type bits */
#define X86_SWP_EXCLUSIVE (1ull << 3)
#define X86_2L_SWP_EXCLUSIVE (1ull << 7)
#define ARM_SWP_TYPE_SHIFT 6
#define ARM_SWP_OFFSET_SHIFT 12
#define ARM_SWP_OFFSET_BITS 50
#define ARM_SWP_EXCLUSIVE (1ull << 2)

uint64_t swp_entry_to_pte(const struct machine *m, uint64_t entry, bool exclusive)
{
	uint64_t type = swp_type(entry), off = swp_offset(entry);
	switch (encoding(m)) {
	case ENC_TOY:
		return type << 4 | off << 9;
	case ENC_X86_2LEVEL:
		return type << 1 | off << 9 | (exclusive ? X86_2L_SWP_EXCLUSIVE : 0);
	case ENC_ARM64:
		return type << ARM_SWP_TYPE_SHIFT | off << ARM_SWP_OFFSET_SHIFT | (exclusive ? ARM_SWP_EXCLUSIVE : 0);
	default:
		return (~off << X86_SWP_OFFSET_SHIFT >> X86_SWP_TYPE_BITS) | type << (64 - X86_SWP_TYPE_BITS) |
		       (exclusive ? X86_SWP_EXCLUSIVE : 0);
	}
}

uint64_t pte_to_swp_entry(const struct machine *m, uint64_t pte)
{
	switch (encoding(m)) {
	case ENC_TOY:
		return swp_entry((unsigned)(pte >> 4 & 0x1f), pte >> 9);
	case ENC_X86_2LEVEL:
		return swp_entry((unsigned)(pte >> 1 & 0x1f), (pte & 0xffffffffull) >> 9);
	case ENC_ARM64:
		return swp_entry((unsigned)(pte >> ARM_SWP_TYPE_SHIFT & 0x1f),
				 pte >> ARM_SWP_OFFSET_SHIFT & ((1ull << ARM_SWP_OFFSET_BITS) - 1));
	default:
		return swp_entry((unsigned)(pte >> (64 - X86_SWP_TYPE_BITS)),
				 ~pte << X86_SWP_TYPE_BITS >> X86_SWP_OFFSET_SHIFT);
	}
}

bool pte_swp_exclusive(const struct machine *m, uint64_t pte)
{
	switch (encoding(m)) {
	case ENC_TOY:
		return false;
	case ENC_X86_2LEVEL:
		return pte & X86_2L_SWP_EXCLUSIVE;
	case ENC_ARM64:
		return pte & ARM_SWP_EXCLUSIVE;
	default:
		return pte & X86_SWP_EXCLUSIVE;
	}
}

bool is_swap_pte(const struct machine *m, uint64_t pte)
{
	return pte && !pte_present(m, pte) && !is_migration_entry(m, pte);
}

const char *swap_pte_text(const struct machine *m, uint64_t pte, char *buf, size_t n)
{
	uint64_t e = pte_to_swp_entry(m, pte);
	snprintf(buf, n, "swap type %u offset 0x%llx%s", swp_type(e), (unsigned long long)swp_offset(e),
		 pte_swp_exclusive(m, pte) ? " exclusive" : "");
	return buf;
}
