/* The TLB's internals, shared by the walk (walk.c) and tlb.c. */
#ifndef MM_TLB_H
#define MM_TLB_H

#include "pgtable.h"

enum { TLB_FLUSH_PAGE, TLB_FLUSH_MM, TLB_FLUSH_ALL, NR_TLB_FLUSH };
extern const char *const tlb_flush_names[NR_TLB_FLUSH];

/* The slot caching va for asid, or -1; *set is where it is (or would be,
 * for a page of the smallest size). */
int tlb_lookup(const struct machine *m, uint32_t asid, uint64_t va, uint32_t *set);
/* The sets a huge entry for va would occupy (the next page size up, the
 * one after), -1 when the format has no such size: a miss probed them all. */
void tlb_huge_sets(const struct machine *m, uint64_t va, int64_t *set1, int64_t *set2);
/* Mark a slot most recently used. */
void tlb_touch(struct machine *m, unsigned slot);
/* Cache a leaf, evicting the set's least recently used entry if full. */
void tlb_fill(struct machine *m, uint32_t asid, uint64_t va, unsigned shift, uint64_t entry, uint32_t table,
	      uint32_t index);
/* The (sign-extended) address of the page an entry caches. */
uint64_t tlb_entry_va(const struct machine *m, const struct tlb_entry *e);

#endif
