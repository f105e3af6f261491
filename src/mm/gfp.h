/*
 * gfp masks as include/linux/gfp_types.h composes them, and gfp_zone(): the
 * highest zone a request may use.  Bit values are memstep's own; the names
 * and compositions are the kernel's.
 */
#ifndef MM_GFP_H
#define MM_GFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

enum {
	__GFP_DMA = 1u << 0,
	__GFP_HIGHMEM = 1u << 1,
	__GFP_DMA32 = 1u << 2,
	__GFP_MOVABLE = 1u << 3,
	__GFP_RECLAIMABLE = 1u << 4,
	__GFP_HIGH = 1u << 5,
	__GFP_IO = 1u << 6,
	__GFP_FS = 1u << 7,
	__GFP_ZERO = 1u << 8,
	__GFP_DIRECT_RECLAIM = 1u << 10,
	__GFP_KSWAPD_RECLAIM = 1u << 11,
	__GFP_NOWARN = 1u << 13,
	__GFP_RETRY_MAYFAIL = 1u << 14,
	__GFP_NORETRY = 1u << 16,
	__GFP_HARDWALL = 1u << 20,
	__GFP_COMP = 1u << 18,
	__GFP_NOFAIL = 1u << 15,
};

#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE) /* the migrate type bits */
#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)

/*
 * Parse "GFP_KERNEL", "GFP_ATOMIC|__GFP_ZERO", "GFP_DMA", …  A mask with only
 * zone and mobility modifiers ("GFP_DMA", "__GFP_RECLAIMABLE") means
 * GFP_KERNEL with them, as drivers write
 * GFP_KERNEL | GFP_DMA.  Returns false for an unknown name.
 */
bool gfp_parse(const char *s, uint32_t *mask);
/* The mask by its kernel names: "GFP_KERNEL", "GFP_KERNEL|GFP_DMA", … */
const char *gfp_format(uint32_t mask, char *buf, size_t n);
/* Names a scenario may use, NULL-terminated (for completion and docs). */
extern const char *const gfp_names[];

/* Highest zone type the mask allows on this machine, -1 for a bad mix. */
int gfp_zone(const struct machine *m, uint32_t mask);

#endif
