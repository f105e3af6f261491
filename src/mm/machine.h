/*
 * The simulated machine: nodes, zones and page frames, built from a config the
 * way the kernel builds them at boot (free_area_init, memblock_free_all,
 * init_per_zone_wmark_min).  Pure model: no I/O, no screen, no Lua.
 */
#ifndef MM_MACHINE_H
#define MM_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "frame.h"
#include "journal.h"
#include "pgformat.h"

struct machine;

/* Zone types in the kernel's rank order (enum zone_type). */
enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_HIGHMEM, ZONE_MOVABLE, MAX_NR_ZONES };
extern const char *const zone_type_names[MAX_NR_ZONES];

enum { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

#define MAX_ORDER_LIMIT 20     /* the most orders a machine may have */
#define MAX_NODES 64
#define MAX_FRAMES (1u << 25)  /* the cap on a modelled machine's size */

struct arena;
struct slub;
struct vmalloc;
struct pgtable;
struct textbook;
struct procs;
struct vmscan;
struct highmem;
struct segment;
struct numa;
struct memblock;
struct swap;

/* An architecture: page size and the zone limits of its default layout. */
struct arch {
	const char *name;
	uint32_t page_size;
	/* Upper physical limit of each zone type present on the arch; 0 = the
	 * arch has no such zone; UINT64_MAX = everything above. */
	uint64_t zone_limit[MAX_NR_ZONES];
};

const struct arch *arch_by_name(const char *name);
extern const struct arch arch_table[];

/* Firmware memory map entry types (e820_type); DEVICE is no e820 type: a
 * device's MMIO range, as PCI lists its BARs in /proc/iomem. */
enum e820_type {
	E820_TYPE_RAM = 1,
	E820_TYPE_RESERVED = 2,
	E820_TYPE_ACPI = 3,
	E820_TYPE_NVS = 4,
	E820_TYPE_UNUSABLE = 5,
	E820_TYPE_DEVICE = 100,
};
#define E820_MAX 64
#define BOOT_RESERVE_MAX 8
struct e820_entry {
	uint64_t addr, size;
	uint32_t type;
	char name[28]; /* a device's or a reservation's name */
};

struct mm_config {
	const struct arch *arch;
	uint64_t memory;      /* bytes */
	uint32_t page_size;   /* bytes, power of two, 16 .. 65536 */
	unsigned max_order;   /* number of orders */
	unsigned nodes;
	unsigned cpus;
	bool zones_given;     /* zone_size[] replaces the arch's layout */
	uint64_t zone_size[MAX_NR_ZONES];
	int64_t min_free_kbytes; /* < 0: computed as the kernel does */
	uint64_t reserved;    /* bytes reserved at the start of memory (firmware, kernel image) */
	uint64_t seed;
	struct pt_format toy;     /* a custom page-table format (toy.depth > 0) */
	uint32_t tlb_entries, tlb_ways; /* 0: the defaults (pgtable.c) */
	/* The kernel's additions to the textbook buddy; false gives the bare
	 * algorithm (mm_config_default: see there). */
	bool migratetypes; /* pageblock types, a free list per type, fallbacks */
	bool pcp;          /* per-cpu lists for orders <= 3 and the THP order */
	unsigned distance_n;  /* distance[][] is an n x n SLIT (numa.c); 0: 10 local, 20 remote */
	uint8_t distance[MAX_NODES][MAX_NODES];
	/* A firmware memory map (nr_e820 > 0) replaces memory= (mm_init.c). */
	unsigned nr_e820;
	struct e820_entry e820[E820_MAX];
	unsigned nr_boot_reserve; /* memblock_reserve'd at boot: kernel image, initrd */
	struct e820_entry boot_reserve[BOOT_RESERVE_MAX];
	bool boot; /* stop before memblock_free_all: the scenario runs the boot */
	unsigned slab; /* enum slab_allocator_id: SLUB (0), SLAB or SLOB */
};

void mm_config_default(struct mm_config *c);

/* Migrate types (include/linux/mmzone.h, without CMA): the first
 * MIGRATE_PCPTYPES have per-cpu lists and fall back to one another. */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};
extern const char *const migratetype_names[MIGRATE_TYPES];

struct free_list {
	uint32_t head, tail; /* pfns, PFN_NONE when empty */
};

struct free_area {
	struct free_list free_list[MIGRATE_TYPES];
	uint32_t nr_free;             /* blocks on all lists */
	uint32_t nr[MIGRATE_TYPES];   /* blocks on each list (pagetypeinfo) */
};

struct per_cpu_pages;

/* vm events of compaction and migration (include/linux/vm_event_item.h,
 * in /proc/vmstat's order), counted per zone, summed in /proc/vmstat. */
#define COMPACT_EVENTS(X)                                                      \
	X(PGMIGRATE_SUCCESS, pgmigrate_success)                                \
	X(PGMIGRATE_FAIL, pgmigrate_fail)                                      \
	X(COMPACTMIGRATE_SCANNED, compact_migrate_scanned)                     \
	X(COMPACTFREE_SCANNED, compact_free_scanned)                           \
	X(COMPACTISOLATED, compact_isolated)                                   \
	X(COMPACTSTALL, compact_stall)                                         \
	X(COMPACTFAIL, compact_fail)                                           \
	X(COMPACTSUCCESS, compact_success)                                     \
	X(KCOMPACTD_WAKE, compact_daemon_wake)                                 \
	X(KCOMPACTD_MIGRATE_SCANNED, compact_daemon_migrate_scanned)           \
	X(KCOMPACTD_FREE_SCANNED, compact_daemon_free_scanned)
enum compact_event {
#define CE_ENUM(e, n) CE_##e,
	COMPACT_EVENTS(CE_ENUM)
#undef CE_ENUM
	NR_COMPACT_EVENTS
};

/* Compaction's journaled state in a zone (compaction.c). */
struct zone_compact {
	uint32_t running;     /* 1 while compact_zone works on this zone */
	uint32_t migrate_pfn; /* the migrate scanner: next pfn it looks at */
	uint32_t free_pfn;    /* the free scanner: start of the pageblock it looks at next */
	uint32_t nr_isolated; /* frames of this zone with FRAME_ISOLATED */
	uint32_t ev[NR_COMPACT_EVENTS];
};

struct zone {
	/* fixed at boot */
	uint8_t type;   /* enum zone_type */
	uint8_t node;
	uint16_t id;    /* node * MAX_NR_ZONES + type */
	uint32_t start_pfn, spanned, present, managed;
	uint32_t lowmem_reserve[MAX_NR_ZONES];
	/* journaled cells */
	uint32_t wmark[NR_WMARK];
	uint32_t free_pages;
	struct free_area free_area[MAX_ORDER_LIMIT];
	struct zone_compact compact;
};

struct node {
	uint32_t start_pfn, spanned;
};

typedef void (*event_listener)(void *ctx, const struct machine *m, const struct event *e);

struct machine {
	struct mm_config cfg;
	unsigned page_shift;
	unsigned max_order;
	uint32_t nr_frames;
	struct frame *frames;
	unsigned nr_nodes;
	struct node nodes[MAX_NODES];
	struct zone *zones; /* nr_nodes * MAX_NR_ZONES, populated or not */
	uint32_t min_free_kbytes;
	uint32_t watermark_scale_factor;

	/* pageblocks (pageblock.h): one 4-bit migrate type per pageblock,
	 * eight to a journaled word */
	unsigned pageblock_order;
	uint32_t *pageblock_flags;
	bool mobility_disabled; /* page_group_by_mobility_disabled */
	/* per-cpu lists (pcp.h): by zone id, one per CPU; NULL for an empty zone */
	struct per_cpu_pages **pcp;
	/* The CPU running the current operation (on_cpu, cpu=): chosen by
	 * the caller, not model state. */
	unsigned this_cpu;

	struct journal j;
	/* Steps and operations of the machines before this one (a scenario may
	 * call machine{} again): numbers continue across machines. */
	uint32_t step_base, op_base;
	uint32_t nsteps; /* steps taken (equals j.cursor while the journal is on) */
	uint32_t nops;
	unsigned op_depth;
	uint32_t op_start; /* nsteps when the current operation began */
	uint64_t op_serial; /* operations ever begun: never goes back, unlike nops */
	int32_t origin; /* scenario line of the operation being made */

	/* subsystems' journaled arenas, hashed and freed with the machine */
	struct arena **arenas;
	unsigned narenas, caparenas;
	struct slub *slub;       /* object allocators (slub.h) */
	struct vmalloc *vmalloc; /* vmalloc areas (vmalloc.h) */
	struct pgtable *pt;      /* page tables and the TLB (pgtable.h) */
	struct textbook *textbook; /* course models (textbook/textbook.h) */
	struct procs *procs;     /* tasks, VMAs, user pages (procs.h) */
	struct vmscan *vmscan;   /* LRU lists, reclaim, kswapd (vmscan.h) */
	bool kswapd_woken;       /* host side: a kswapd was woken, its run is due */
	struct highmem *highmem; /* pkmap and kmap_local slots (highmem.h) */
	struct segment *segment; /* the GDT and LDT of 32-bit x86 (segment.h) */
	struct numa *numa;       /* distances, zonelist order, NUMA counters, mempolicies (numa.h) */
	struct memblock *memblock; /* boot memory (memblock.h) */
	struct swap *swap;       /* swap areas and the swap cache (swap.h) */

	event_listener listener;
	void *listener_ctx;

	char error[256];  /* what a rejected call did wrong */
	char reason[256]; /* why an allocation returned nothing */
};

/* Build a machine; NULL with *why set if the config makes no sense. */
struct machine *machine_new(const struct mm_config *c, char *why, size_t whylen);
void machine_free(struct machine *m);

/* Switch the journal on before the first step (step numbers and the
 * cursor start together), or off to forget the history. */
void machine_journal(struct machine *m, bool on);

/* Zones and frames. */
static inline struct zone *machine_zone(const struct machine *m, unsigned node, unsigned type)
{
	return &m->zones[node * MAX_NR_ZONES + type];
}
static inline unsigned machine_nr_zones(const struct machine *m) { return m->nr_nodes * MAX_NR_ZONES; }
static inline bool zone_populated(const struct zone *z) { return z->present != 0; }
static inline bool zone_has_pfn(const struct zone *z, uint32_t pfn)
{
	return pfn - z->start_pfn < z->spanned;
}
struct zone *pfn_zone(const struct machine *m, uint32_t pfn); /* NULL outside memory */
uint32_t block_head(const struct machine *m, uint32_t pfn);   /* head of the block holding pfn */
bool arch_has_zone(const struct machine *m, unsigned type);
/* Name of a zone for messages: "Normal", or "node1/Normal" on NUMA machines. */
const char *zone_label(const struct machine *m, unsigned id, char *buf, size_t n);

/* Operations and steps (used by every model file). */
/* The number the next step will carry (for stamps such as frame.born). */
static inline uint32_t mm_next_step(const struct machine *m) { return m->step_base + m->nsteps + 1; }
/* An operation's bounds, inline for the same reason as mm_emit_step; the
 * journal's part is out of line. */
void mm_op_journal_begin(struct machine *m);
void mm_op_journal_end(struct machine *m, bool empty);
static inline void mm_op_begin(struct machine *m)
{
	if (m->op_depth++)
		return;
	if (m->j.on)
		mm_op_journal_begin(m);
	m->nops++;
	m->op_serial++;
	m->op_start = m->nsteps;
}
void kswapd_after_op(struct machine *m); /* vmscan_kswapd.c */
static inline void mm_op_end(struct machine *m)
{
	if (--m->op_depth)
		return;
	/* an operation that took no step (a rejected call) leaves no trace */
	bool empty = m->nsteps == m->op_start;
	if (empty)
		m->nops--;
	if (m->j.on)
		mm_op_journal_end(m, empty);
	if (m->kswapd_woken)
		kswapd_after_op(m); /* the kswapd this operation woke runs now */
}
void mm_emit(struct machine *m, enum ev_kind kind, const int64_t *f);
/* With the journal off and no listener (memstep course, benchmarks) a step
 * only counts: the check is inline and the fields are not even gathered,
 * so a model's hot loop pays nothing for its events.  EMIT's fields must
 * therefore be plain reads, never an expression with an effect. */
#define EMIT(m, kind, ...)                                                                   \
	do {                                                                                 \
		struct machine *emit_m_ = (m);                                               \
		if (!emit_m_->j.on && !emit_m_->listener)                                    \
			emit_m_->nsteps++;                                                   \
		else                                                                         \
			mm_emit(emit_m_, (kind), (const int64_t[EV_MAX_FIELDS]){__VA_ARGS__}); \
	} while (0)

/* The step that shows a machine booting, when it replaces one with history. */
void machine_boot_step(struct machine *m);

/* Errors: set m->error and return MM_EINVAL. */
enum { MM_OK = 0, MM_NOMEM = 1, MM_EINVAL = -1 };
int mm_error(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Time travel and state identity. */
void machine_seek(struct machine *m, uint32_t step);
uint32_t machine_truncate(struct machine *m);
uint64_t machine_hash(const struct machine *m);
void machine_event_at(const struct machine *m, uint32_t step_index, struct event *e);

#endif
