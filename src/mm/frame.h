/*
 * Page frames: one 24-byte record per frame, the model's struct page.
 *
 * Only block heads carry a state and an order (as only the head of a free
 * buddy block carries PageBuddy and its order in the kernel); the other frames
 * of a block are FS_TAIL.  Zone and node are not stored: memory is laid out in
 * fixed ranges, so they follow from the pfn (the kernel encodes them in
 * page->flags for the same purpose).  A frame array of zeroes is all tails, so
 * booting a large machine touches only the heads.
 */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#define PFN_NONE UINT32_MAX

#define FRAME_STATES(X)                                                        \
	X(TAIL, tail)                                                          \
	X(FREE, free)                                                          \
	X(ALLOC, allocated)                                                    \
	X(RESERVED, reserved)                                                  \
	X(SLAB, slab)                                                          \
	X(PAGETABLE, pagetable)                                                \
	X(VMALLOC, vmalloc)                                                    \
	X(ANON, anon)                                                          \
	X(FILE, file)                                                          \
	X(SWAPCACHE, swapcache)                                                \
	X(KMALLOC, kmalloc) /* a large kmalloc's block (PGTY_large_kmalloc) */ \
	X(ZERO, zero)                                                          \
	X(MEMBLOCK, memblock) /* free in memblock, not yet given to the buddy */ \
	X(PCP, pcp) /* on a per-cpu list: free but not PageBuddy */

enum frame_state {
#define FS_ENUM(e, n) FS_##e,
	FRAME_STATES(FS_ENUM)
#undef FS_ENUM
	NR_FRAME_STATES
};

extern const char *const frame_state_names[NR_FRAME_STATES];

struct frame {
	uint32_t info;       /* state (4 bits) | order (5 bits) << 4 */
	uint32_t prev, next; /* free-list links (pfns), PFN_NONE at the ends */
	uint32_t born;       /* step that last allocated this head, 0 if never */
	uint32_t freed;      /* step that last freed this head, 0 if never */
	uint32_t up;         /* a user page's struct upage (procs.h), 0 if none */
};

static inline unsigned frame_state(const struct frame *f) { return f->info & 0xf; }
static inline unsigned frame_order(const struct frame *f) { return (f->info >> 4) & 0x1f; }
/* An anonymous page, in the swap cache or not (PageAnon). */
static inline bool frame_is_anon(unsigned state) { return state == FS_ANON || state == FS_SWAPCACHE; }
static inline uint32_t frame_info(unsigned state, unsigned order)
{
	return state | order << 4;
}

/*
 * Bit 9 of info: the frame sits on a private list of compaction or
 * migration (isolated: a free page taken off the buddy for a migration
 * target, or a user page taken off the LRU to be moved; the kernel's
 * cleared PG_lru and cc->freepages).  Writing the info anew clears it.
 */
#define FRAME_ISOLATED (1u << 9)
static inline bool frame_isolated(const struct frame *f) { return (f->info & FRAME_ISOLATED) != 0; }

#endif
