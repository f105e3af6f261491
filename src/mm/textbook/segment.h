/*
 * Base-and-bounds and segmentation as OS courses teach them (OSTEP
 * chapters 15 and 16, and their simulators vm-mechanism/relocation.py and
 * vm-segmentation/segmentation.py): an address space of asize bytes in a
 * physical memory of psize; one segment (base and bounds: relocation) or
 * two chosen by the top bit of the address, segment 0 growing up from its
 * base and segment 1 growing down from it.  A translation is one step:
 * the segment, the offset, the check against its limit, the physical
 * address or the violation.
 */
#ifndef MM_TEXTBOOK_SEGMENT_H
#define MM_TEXTBOOK_SEGMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "textbook.h"

#define SEG_MAX 2

struct seg_config {
	uint64_t asize, psize;
	unsigned nseg;            /* 1: base and bounds; 2: segment 0 grows up, 1 down */
	uint64_t base[SEG_MAX];   /* segment 1: the high end, where it grows down from */
	uint64_t limit[SEG_MAX];
};

struct segtable {
	struct tb_model hdr;
	uint32_t id, nseg;
	uint64_t asize, psize;
	uint64_t base[SEG_MAX], limit[SEG_MAX];
	uint32_t translations, violations;
};

const char *seg_config_error(const struct seg_config *c);
uint32_t segtable_new(struct machine *m, const struct seg_config *c);
static inline struct segtable *segtable_at(const struct machine *m, uint32_t off)
{
	return arena_ptr(textbook_arena(m), off);
}
/* One translation: true with *pa set, or false for a violation; *seg the
 * segment the address falls in. */
bool segment_translate(struct machine *m, uint32_t off, uint64_t va, uint64_t *pa, unsigned *seg);

int check_segtable(const struct machine *m, const struct segtable *s, char *why, size_t whylen);

#endif
