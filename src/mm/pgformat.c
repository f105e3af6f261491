/*
 * Page-table formats of the modelled architectures, as their kernels set
 * them up: x86 two-level paging (10/10/12), PAE (2/9/9/12), x86_64 4-level
 * (CONFIG_PGTABLE_LEVELS=4) and 5-level (la57), arm64 with a 4K granule and
 * 39-bit (3 levels) or 48-bit (4 levels) virtual addresses.  Level names
 * follow Linux's folding (pgtable-nop4d.h, pgtable-nopud.h, pgtable-nopmd.h):
 * the top is always PGD and the last always PTE.
 */
#include "pgformat.h"
#include "pgtable.h"

#include <stdio.h>
#include <string.h>

const char *const pt_level_names[NR_PT_LEVELS + 1] = {"PGD", "P4D", "PUD", "PMD", "PTE", NULL};

/* Toy machines have only a Normal zone. */
const struct arch arch_toy = {"toy", 0, {0, 0, UINT64_MAX, 0, UINT64_MAX}};

/* Which Linux levels a format with n levels keeps. */
static const uint8_t folded[PT_MAX_DEPTH + 1][PT_MAX_DEPTH] = {
	[1] = {PT_PTE},
	[2] = {PT_PGD, PT_PTE},
	[3] = {PT_PGD, PT_PMD, PT_PTE},
	[4] = {PT_PGD, PT_PUD, PT_PMD, PT_PTE},
	[5] = {PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE},
};

static void fill(struct pt_format *f, const char *name, unsigned family, const unsigned *bits, unsigned n,
		 unsigned offset, unsigned entry_size)
{
	memset(f, 0, sizeof *f);
	snprintf(f->name, sizeof f->name, "%s", name);
	f->family = (uint8_t)family;
	f->depth = (uint8_t)n;
	f->offset_bits = (uint8_t)offset;
	f->entry_size = (uint8_t)entry_size;
	f->pfn_shift = 12;
	unsigned s = offset;
	for (unsigned d = n; d-- > 0;) {
		f->bits[d] = (uint8_t)bits[d];
		f->shift[d] = (uint8_t)s;
		f->level[d] = folded[n][d];
		s += bits[d];
	}
	f->va_bits = (uint8_t)s;
}

/* Depths whose entries span 2M, 4M or 1G: where the arch maps huge pages. */
static uint8_t huge_depths(const struct pt_format *f, const unsigned *spans, unsigned nspans)
{
	uint8_t mask = 0;
	for (unsigned d = 0; d + 1 < f->depth && d < PT_MAX_DEPTH; d++)
		for (unsigned i = 0; i < nspans; i++)
			if (f->shift[d] == spans[i])
				mask |= (uint8_t)(1u << d);
	return mask;
}

bool pt_format_by_arch(const char *arch, struct pt_format *f)
{
	static const unsigned b2[] = {10, 10}, pae[] = {2, 9, 9}, b9[] = {9, 9, 9, 9, 9};
	static const unsigned x86_huge[] = {22}, huge[] = {21, 30};
	if (strcmp(arch, "x86") == 0) {
		fill(f, arch, PTF_X86_NONX, b2, 2, 12, 4);
		f->pa_bits = 32;
		f->huge_mask = huge_depths(f, x86_huge, 1);
	} else if (strcmp(arch, "x86_pae") == 0) {
		fill(f, arch, PTF_X86, pae, 3, 12, 8);
		f->pa_bits = 36;
		f->huge_mask = huge_depths(f, huge, 1); /* 2M at PMD */
	} else if (strcmp(arch, "x86_64") == 0 || strcmp(arch, "x86_64_la57") == 0) {
		fill(f, arch, PTF_X86, b9, strcmp(arch, "x86_64") == 0 ? 4 : 5, 12, 8);
		f->pa_bits = 52;
		f->sign_extend = true;
		f->huge_mask = huge_depths(f, huge, 2);
	} else if (strcmp(arch, "arm64") == 0 || strcmp(arch, "arm64_48") == 0) {
		fill(f, arch, PTF_ARM64, b9, strcmp(arch, "arm64") == 0 ? 3 : 4, 12, 8);
		f->pa_bits = 48;
		f->huge_mask = huge_depths(f, huge, 2); /* block descriptors */
	} else {
		memset(f, 0, sizeof *f);
		return false;
	}
	return true;
}

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), false)

bool pt_format_toy(struct pt_format *f, const char *name, const unsigned *bits, unsigned nlevels,
		   unsigned offset_bits, unsigned entry_size, char *why, size_t whylen)
{
	if (nlevels < 1 || nlevels > PT_MAX_DEPTH)
		return WHY("a toy arch has 1 to %d levels, not %u", PT_MAX_DEPTH, nlevels);
	if (offset_bits < 4 || offset_bits > 16)
		return WHY("offset must be 4 to 16 bits (pages of 16 B to 64 KiB), not %u", offset_bits);
	if (entry_size != 4 && entry_size != 8)
		return WHY("entry_size must be 4 or 8 bytes, not %u", entry_size);
	unsigned total = offset_bits;
	for (unsigned d = 0; d < nlevels; d++) {
		if (bits[d] < 1 || bits[d] > 16)
			return WHY("level %u: index bits must be 1 to 16, not %u", d + 1, bits[d]);
		if ((entry_size << bits[d]) > (1u << offset_bits))
			return WHY("level %u: a table of %u entries of %u bytes (%u bytes) does not fit in a "
				   "%u-byte page",
				   d + 1, 1u << bits[d], entry_size, entry_size << bits[d], 1u << offset_bits);
		total += bits[d];
	}
	if (total > 48)
		return WHY("a toy address has at most 48 bits, not %u", total);
	fill(f, name && *name ? name : "toy", entry_size == 4 ? PTF_X86_NONX : PTF_X86, bits, nlevels, offset_bits,
	     entry_size);
	f->pfn_shift = 8;
	f->pa_bits = (uint8_t)(offset_bits + (entry_size == 4 ? 24 : 36));
	return true;
}
