/*
 * Highmem on 32-bit x86 (highmem.c, highmem_check.c): the pkmap area that
 * kmap uses, the per-CPU fixmap slots of kmap_local / kmap_atomic, and
 * page_address for lowmem and highmem pages.
 *
 * All mutable state is in one journaled arena; the PTEs of both areas are
 * in init_mm's page tables (the address space vmalloc maps into), so a
 * kmap'ed address translates like any kernel address.
 */
#ifndef MM_HIGHMEM_H
#define MM_HIGHMEM_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "machine.h"

#define LAST_PKMAP_MAX 1024  /* non-PAE; PAE has 512 (pgtable_32_areas.h) */
#define PA_HASH_ORDER 7      /* page_address_htable's buckets (mm/highmem.c) */
#define KM_MAX_IDX 16        /* kmap_local slots per CPU (kmap_size.h, no DEBUG_KMAP_LOCAL) */
#define HM_MAX_CPUS 32       /* CPUs whose fixmap slots the model lays out */
#define PKMAP_BASE_32 0xff800000ull
#define FIXADDR_TOP_32 0xfffff000ull
/* FIX_KMAP_BEGIN for a config with the local APIC and 64 IO-APICs (FIX_HOLE,
 * FIX_DBGP_BASE, FIX_EARLYCON_MEM_BASE, FIX_APIC_BASE, 64 IO-APIC slots,
 * FIX_RO_IDT come before it in enum fixed_addresses) */
#define FIX_KMAP_BEGIN 69
#define PAGE_OFFSET_32 0xc0000000ull

/* In the arena, offset 0.  Slot numbers in links are stored plus one, so
 * that the arena's zeroes mean "none". */
struct hm_root {
	uint32_t last_pkmap_nr;
	uint32_t nr_kmapped;   /* slots whose count is 2 or more */
	uint32_t flushes;      /* flush_all_zero_pkmaps calls that cleared something */
	uint32_t waits;        /* kmaps refused because every slot was in use */
	/* flush_all_zero_pkmaps clears PTEs before its one TLB flush: until
	 * it comes, kernel TLB entries in the pkmap area may be stale (the
	 * operation, numbered as events number it, that will flush them) */
	uint32_t flush_pending_op;
	uint32_t pad;
	uint32_t pkmap_count[LAST_PKMAP_MAX];
	uint32_t slot_pfn[LAST_PKMAP_MAX];  /* page_address_maps[i].page, plus one */
	uint32_t slot_next[LAST_PKMAP_MAX]; /* its bucket's chain */
	uint32_t htable[1u << PA_HASH_ORDER];
	uint32_t local_depth[HM_MAX_CPUS];              /* kmap_ctrl.idx */
	uint32_t local_pfn[HM_MAX_CPUS * KM_MAX_IDX];   /* what each slot maps */
};

struct highmem {
	struct arena arena;
	bool pkmap;           /* the arch has ZONE_HIGHMEM and page tables */
	uint32_t last_pkmap;  /* LAST_PKMAP */
	unsigned cpus;        /* CPUs with fixmap slots */
	uint64_t page_offset; /* the direct map's start; 0: none (a toy arch) */
};

void highmem_init(struct machine *m);
void highmem_free(struct machine *m);

static inline struct hm_root *hm_root(const struct machine *m)
{
	return arena_ptr(&m->highmem->arena, 0);
}

/* Addresses of the areas (PKMAP_ADDR, __fix_to_virt). */
static inline uint64_t pkmap_addr(unsigned nr) { return PKMAP_BASE_32 + ((uint64_t)nr << 12); }
static inline uint64_t kmap_local_addr(unsigned cpu, unsigned idx)
{
	return FIXADDR_TOP_32 - ((uint64_t)(FIX_KMAP_BEGIN + idx + KM_MAX_IDX * cpu) << 12);
}
bool page_is_highmem(const struct machine *m, uint32_t pfn);

/*
 * The operations; each is one operation with its events.  MM_EINVAL with
 * m->error and nothing changed on bad input; kmap returns MM_NOMEM with
 * m->reason when every pkmap slot is in use (where the kernel sleeps).
 */
int kmap(struct machine *m, uint32_t pfn, uint64_t *addr);
int kunmap(struct machine *m, uint32_t pfn);
/* atomic: kmap_atomic / kunmap_atomic (the same slots, named so in events) */
int kmap_local_page(struct machine *m, uint32_t pfn, unsigned cpu, bool atomic, uint64_t *addr);
int kunmap_local(struct machine *m, uint64_t addr, unsigned cpu, bool atomic);
/* The address, 0 for a highmem page no pkmap slot maps. */
int page_address(struct machine *m, uint32_t pfn, uint64_t *addr);
/* kmap_flush_unused: unmap the slots nobody uses now. */
int kmap_flush_unused(struct machine *m);

/* Queries, no events. */
uint64_t hm_page_address(const struct machine *m, uint32_t pfn);
int hm_slot_of(const struct machine *m, uint32_t pfn); /* -1 if none */
/* A stale kernel TLB entry at va is allowed (its flush is coming). */
bool highmem_flush_pending(const struct machine *m, uint32_t asid, uint64_t va);

int check_highmem(const struct machine *m, char *why, size_t whylen);

#endif
