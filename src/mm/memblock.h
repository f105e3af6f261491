/*
 * memblock: the boot-time memory allocator (memblock.c) and the firmware's
 * memory map it is built from (e820.c).  Two sorted, merged region arrays,
 * memblock.memory and memblock.reserved, live in a journaled arena so the
 * boot's steps can be undone.  They are kept after the hand-over, as
 * ARCH_KEEP_MEMBLOCK architectures keep them, for the debugfs files.
 */
#ifndef MM_MEMBLOCK_H
#define MM_MEMBLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "machine.h"
#include "strbuf.h"
#include "xalloc.h"

/* INIT_MEMBLOCK_REGIONS: the kernel doubles the array when it fills; the
 * model refuses instead. */
#define MEMBLOCK_REGIONS 128

/* enum memblock_flags, as bits. */
enum {
	MEMBLOCK_NONE = 0,
	MEMBLOCK_HOTPLUG = 1 << 0,
	MEMBLOCK_MIRROR = 1 << 1,
	MEMBLOCK_NOMAP = 1 << 2,
	MEMBLOCK_DRIVER_MANAGED = 1 << 3,
	MEMBLOCK_RSRV_NOINIT = 1 << 4,
	MEMBLOCK_RSRV_KERN = 1 << 5, /* reserved by memblock_alloc for the kernel */
};

#define MEMBLOCK_NO_NODE UINT32_MAX /* MAX_NUMNODES: a reserved region's node ("x") */

struct memblock_region {
	uint64_t base, size;
	uint32_t flags, nid;
};

struct memblock_type {
	uint32_t cnt, pad;
	uint64_t total_size;
	struct memblock_region regions[MEMBLOCK_REGIONS];
};

struct memblock_root {
	struct memblock_type memory, reserved;
	uint32_t booting; /* 1 until memblock_free_all: memblock owns the free memory */
	uint32_t pad;
};

struct memblock {
	struct arena arena;
};

static inline struct memblock_root *memblock_root(const struct machine *m)
{
	return arena_ptr(&m->memblock->arena, 0);
}
static inline bool memblock_booting(const struct machine *m)
{
	return m->memblock && memblock_root(m)->booting;
}
static inline uint64_t mb_end(const struct memblock_region *r) { return r->base + r->size; }

/* Set up empty arrays (at boot, journal off). */
void memblock_setup(struct machine *m);
void memblock_release(struct machine *m);

/* The region arrays (memblock.c).  0 on success; MM_EINVAL with m->error
 * (and nothing changed) when the array would overflow.  `fname` names the
 * call in messages. */
int memblock_add_range(struct machine *m, struct memblock_type *t, uint64_t base, uint64_t size,
		       uint32_t nid, uint32_t flags);
int memblock_remove_range(struct machine *m, struct memblock_type *t, uint64_t base, uint64_t size);

/* The scenario-level calls, each one operation with its events.  MM_OK;
 * MM_EINVAL with m->error; memblock_alloc: MM_NOMEM with m->reason. */
int memblock_add(struct machine *m, uint64_t base, uint64_t size);
int memblock_remove(struct machine *m, uint64_t base, uint64_t size);
int memblock_reserve(struct machine *m, uint64_t base, uint64_t size);
int memblock_free(struct machine *m, uint64_t base, uint64_t size);
int memblock_alloc(struct machine *m, uint64_t size, uint64_t align, uint64_t *addr);
/* The hand-over to the buddy allocator (memblock_free_all), then the
 * watermarks.  `steps`: emit events (a scenario's boot) or not (instant). */
int memblock_free_all(struct machine *m, bool steps);

/* Free ranges (memory minus reserved), in pfns, low to high: calls fn for
 * each [PFN_UP(start), PFN_DOWN(end)) that is not empty. */
typedef void (*mb_range_fn)(struct machine *m, uint32_t spfn, uint32_t epfn, void *ctx);
void memblock_for_each_free_pfn_range(struct machine *m, mb_range_fn fn, void *ctx);

/* Pages of memblock.memory (whole pages) in [spfn, epfn). */
uint64_t memblock_memory_pages(const struct machine *m, uint32_t spfn, uint32_t epfn);
/* The frames of [a, b) laid out again from memblock: reserved ranges and
 * holes order-0 reserved, free ranges in maximal aligned FS_MEMBLOCK
 * blocks.  `fresh`: the frames are all tails still (boot), so only heads
 * are written. */
void memblock_tile(struct machine *m, uint32_t a, uint32_t b, bool fresh);

/* The firmware map (e820.c): validate and normalise a config's map (sorted,
 * the x86 first-page trim, memory = the end of RAM); false with why. */
bool e820_prepare(struct mm_config *c, char *why, size_t whylen);
/* memblock from the map (e820__memblock_setup) and the boot reservations. */
void e820_memblock_setup(struct machine *m);
const char *e820_type_name(uint32_t type);
void proc_iomem(const struct machine *m, struct strbuf *out);

/* The debugfs name of a region's first flag: "NONE", "RSV_KERN", … */
const char *memblock_flag_name(uint32_t flags);

int check_memblock(const struct machine *m, char *why, size_t whylen);
void proc_memblock_memory(const struct machine *m, struct strbuf *out);
void proc_memblock_reserved(const struct machine *m, struct strbuf *out);

#endif
