/*
 * Address translation by hand, as OS courses set it (OSTEP chapters 18
 * and 20, and their simulators vm-paging/paging-linear-translate.py and
 * vm-smalltables/paging-multilevel-translate.py):
 * - a linear page table: one entry per virtual page, the valid bit on top
 *   (0x80000000 | pfn), an invalid entry 0;
 * - a two-level table in a small physical memory given as a dump (the
 *   simulator's machine: 32-byte pages, 128 of them, a 15-bit address of
 *   5 + 5 + 5 bits, one-byte entries, valid bit 0x80 and a 7-bit pfn): the
 *   page directory at the PDBR's page, its entry pointing at a page of the
 *   page table, its entry at the data page; the byte there is the value a
 *   load fetches.
 * Each lookup of an entry is one step.
 */
#ifndef MM_TEXTBOOK_PAGETABLE_H
#define MM_TEXTBOOK_PAGETABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "tbvec.h"
#include "textbook.h"

#define LPT_MAX_PAGES (1u << 20)

struct linear_pt {
	struct tb_model hdr;
	uint32_t id;
	uint32_t page_bits, vpages;
	uint64_t psize;
	struct tbvec pte; /* 0x80000000 | pfn, or 0 */
};

/* A linear table over vpages pages of 2^page_bits bytes; ptes[v] as the
 * entries are written (valid bit and pfn). */
uint32_t linear_pt_new(struct machine *m, uint32_t page_bits, uint32_t vpages, uint64_t psize,
		       const uint32_t *ptes);
static inline struct linear_pt *linear_pt_at(const struct machine *m, uint32_t off)
{
	return arena_ptr(textbook_arena(m), off);
}
/* *pa, or false when the entry is not valid; va must be in the space. */
bool linear_pt_translate(struct machine *m, uint32_t off, uint64_t va, uint64_t *pa);

#define MLPT_PAGE 32u
#define MLPT_PAGES 128u
#define MLPT_MEM (MLPT_PAGE * MLPT_PAGES)
#define MLPT_VA_BITS 15u

enum mlpt_result { MLPT_OK, MLPT_PDE_FAULT, MLPT_PTE_FAULT };

struct multilevel_pt {
	struct tb_model hdr;
	uint32_t id, pdbr;
	uint32_t mem;     /* arena offset of MLPT_MEM bytes */
};

uint32_t multilevel_pt_new(struct machine *m, const uint8_t mem[MLPT_MEM], uint32_t pdbr);
static inline struct multilevel_pt *multilevel_pt_at(const struct machine *m, uint32_t off)
{
	return arena_ptr(textbook_arena(m), off);
}
static inline const uint8_t *mlpt_mem(const struct machine *m, const struct multilevel_pt *t)
{
	return arena_ptr(textbook_arena(m), t->mem);
}
/* The walk: PDE, then PTE, then the byte; *pa and *value when it works. */
enum mlpt_result multilevel_pt_translate(struct machine *m, uint32_t off, uint32_t va, uint32_t *pa,
					 uint32_t *value);

#endif
