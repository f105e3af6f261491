/*
 * Page-table formats: how an architecture splits a virtual address into
 * table indices and a page offset, and which entry bits it has.  Kept apart
 * from pgtable.h so that the machine's config can carry a custom (toy)
 * format by value.
 */
#ifndef MM_PGFORMAT_H
#define MM_PGFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PT_MAX_DEPTH 5

/* The levels as Linux names them; a format with fewer levels folds the
 * middle ones (a 2-level x86 has PGD and PTE only). */
enum pt_level { PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE, NR_PT_LEVELS };
extern const char *const pt_level_names[NR_PT_LEVELS + 1];

/* Entry layouts: x86 (with or without NX) or arm64 descriptors.  A toy
 * format keeps x86's low flag bits (P, RW, US, PWT, PCD, A, D) but puts the
 * pfn at bit 8, so an entry's hex digits read as pfn then flags; it has no
 * global bit and no huge pages. */
enum pt_family { PTF_X86, PTF_X86_NONX, PTF_ARM64 };

struct pt_format {
	char name[24];
	uint8_t family;                /* enum pt_family */
	uint8_t depth;                 /* levels; 0 = no page tables */
	uint8_t bits[PT_MAX_DEPTH];    /* index bits of each level, top first */
	uint8_t shift[PT_MAX_DEPTH];   /* lowest address bit each level indexes */
	uint8_t level[PT_MAX_DEPTH];   /* enum pt_level of each depth */
	uint8_t offset_bits;           /* page shift */
	uint8_t va_bits;               /* significant virtual address bits */
	uint8_t pa_bits;               /* physical address bits an entry can hold */
	uint8_t entry_size;            /* bytes per entry */
	uint8_t pfn_shift;             /* where an entry's pfn starts: 12, or 8 on a toy */
	uint8_t huge_mask;             /* depths (bit d) that may map a huge page */
	bool sign_extend;              /* upper address bits copy bit va_bits-1 */
};

/* The format of a named arch; false if the arch has none. */
bool pt_format_by_arch(const char *arch, struct pt_format *f);
/* A toy format: nlevels index widths (top first), offset bits, entry
 * size in bytes.  false with *why set when it makes no sense. */
bool pt_format_toy(struct pt_format *f, const char *name, const unsigned *bits, unsigned nlevels,
		   unsigned offset_bits, unsigned entry_size, char *why, size_t whylen);

#endif
