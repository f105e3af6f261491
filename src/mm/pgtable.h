/*
 * Page tables, address translation and the TLB (pgtable.c, walk.c, tlb.c,
 * ptdump.c).  Each mm has a tree of tables whose pages come from the buddy
 * allocator; entries hold the hardware's bits at their real positions.
 *
 * All mutable state lives in one journaled arena (arena.h), addressed by
 * offsets; the host-side struct pgtable holds only what boot fixes.
 */
#ifndef MM_PGTABLE_H
#define MM_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "idr.h"
#include "machine.h"
#include "pgformat.h"
#include "strbuf.h"


/* x86 entry bits (arch/x86/include/asm/pgtable_types.h) */
#define PT_PFN_MASK ((1ull << 36) - 1) /* the pfn bits an entry keeps */
#define X86_PRESENT (1ull << 0)
#define X86_RW (1ull << 1)
#define X86_USER (1ull << 2)
#define X86_ACCESSED (1ull << 5)
#define X86_DIRTY (1ull << 6)
#define X86_PSE (1ull << 7)
#define X86_GLOBAL (1ull << 8)
#define X86_NX (1ull << 63)
/* arm64 descriptor bits (arch/arm64/include/asm/pgtable-hwdef.h) */
#define ARM_VALID (1ull << 0)
#define ARM_TABLE (1ull << 1)   /* table (levels 0-2) or page (level 3); 0 = block */
#define ARM_USER (1ull << 6)    /* AP[1]: EL0 may access */
#define ARM_RDONLY (1ull << 7)  /* AP[2] */
#define ARM_SH_INNER (3ull << 8)
#define ARM_AF (1ull << 10)
#define ARM_NG (1ull << 11)
#define ARM_DBM (1ull << 51)    /* hardware dirty management: writable */
#define ARM_PXN (1ull << 53)
#define ARM_UXN (1ull << 54)

/* prot letters "rwxu" as bits */
enum { PROT_R = 1, PROT_W = 2, PROT_X = 4, PROT_U = 8 };
/* translate's access */
enum pt_access { ACC_READ, ACC_WRITE, ACC_EXEC, NR_ACC };
extern const char *const pt_access_names[NR_ACC];

/* Why a walk faults (the FT_ENUM names of walk_fault.reason). */
enum pt_fault {
	PTF_NONE, PTF_NOT_PRESENT, PTF_WRITE_RO, PTF_USER_SUPERVISOR, PTF_EXEC_NX, NR_PT_FAULTS
};
extern const char *const pt_fault_names[NR_PT_FAULTS];

/* In the arena. */
struct pt_table {
	uint32_t pfn;
	uint32_t depth;     /* 0 = the top table */
	uint32_t mm;        /* owner's id */
	uint32_t parent;    /* table offset, 0 for a PGD */
	uint32_t index;     /* entry of the parent that points here */
	uint32_t nr_used;   /* entries in use */
	uint32_t next_free; /* free list of table slots of this depth */
	uint32_t born;      /* step that allocated it */
	/* then uint64_t entry[n] and uint32_t child[n] (table offsets) */
};

struct pt_mm {
	uint32_t id;     /* also its ASID/PCID */
	uint32_t pgd;    /* table offset */
	uint32_t nr_tables;
	uint32_t born;
};

struct tlb_entry {
	uint32_t valid, asid;
	uint64_t tag;    /* va >> shift (canonical bits only) */
	uint64_t entry;  /* the leaf entry as filled */
	uint32_t shift;  /* page size: 12, 21, 30 … */
	uint32_t table;  /* where the leaf lives, to set its dirty bit */
	uint32_t index;
	uint32_t lru;    /* stamp of the last use */
};

struct pt_root {
	uint32_t free_tables[PT_MAX_DEPTH];
	struct idr mms;         /* struct pt_mm offsets by id (the TLB's tag) */
	uint32_t clock;         /* TLB use stamps */
	uint32_t hits, misses, fills, evictions, flushes;
	/* An entry changed whose TLB flush is still to come (the kernel's
	 * mmu_gather): the one address the TLB may hold stale, and the
	 * operation (numbered as events number it) that must flush it before
	 * it ends, as tlb_finish_mmu does. */
	uint32_t pending_mm;
	uint32_t pending_op;
	uint64_t pending_va;
};

/* Host side, fixed at boot. */
extern const struct arch arch_toy; /* the arch of toy formats */

struct pgtable {
	struct pt_format fmt;
	struct arena arena;
	uint32_t root;            /* offset of struct pt_root */
	uint32_t tlb;             /* offset of the tlb_entry array */
	uint32_t tlb_entries, tlb_ways, tlb_sets;
};

/* Boot and teardown (mm_init.c). */
void pgtable_init(struct machine *m);
void pgtable_free(struct machine *m);

/* Accessors. */
static inline struct pt_root *pt_root(const struct machine *m)
{
	return arena_ptr(&m->pt->arena, m->pt->root);
}
static inline struct pt_table *pt_table(const struct machine *m, uint32_t off)
{
	return arena_ptr(&m->pt->arena, off);
}
static inline uint32_t pt_nr_entries(const struct machine *m, unsigned depth)
{
	return 1u << m->pt->fmt.bits[depth];
}
uint64_t *pt_entries(const struct machine *m, uint32_t table);
uint32_t *pt_children(const struct machine *m, uint32_t table);
struct pt_mm *pt_mm(const struct machine *m, uint32_t id); /* NULL if none */
struct tlb_entry *pt_tlb(const struct machine *m);

/* Entry helpers, per family. */
uint32_t pte_pfn(const struct machine *m, uint64_t e);
bool pte_present(const struct machine *m, uint64_t e);
bool pte_is_leaf(const struct machine *m, unsigned depth, uint64_t e);
/* A global leaf (x86 _PAGE_GLOBAL): cached in the TLB for every address
 * space, under ASID 0. */
bool pte_global(const struct machine *m, uint64_t e);
#define TLB_GLOBAL_ASID 0
/* The entry's bits by name, "present rw user accessed NX", for an entry
 * at a level (enum pt_level: arm64's bit 1 and x86's bit 7 mean different
 * things at the PTE level). */
const char *pte_flags_text(const struct machine *m, uint64_t e, unsigned level, char *buf, size_t n);
/* "0x8000000000123067 (present rw …) pfn 0x123"; level -1 if unknown */
const char *pte_text(const struct machine *m, uint64_t e, int level, char *buf, size_t n);
/* "4K", "2M", "32B" */
const char *pt_size_text(unsigned shift, char *buf, size_t n);
/* The index of va at depth d. */
uint32_t pt_index(const struct pt_format *f, uint64_t va, unsigned depth);
/* Parse prot letters; -1 if they make no sense (*why says why). */
int pt_parse_prot(const char *s, char *why, size_t whylen);

/*
 * The operations (DESIGN.md "Page tables").  Each is one operation with its
 * steps; MM_EINVAL with m->error and the state unchanged on bad input,
 * MM_NOMEM with m->reason when a table page cannot be had.
 */
int pt_mm_alloc(struct machine *m, uint32_t *id);
/* Map va to pfn; order 0 a page, or a huge order the format has. */
int pt_map(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned order, unsigned prot);
int pt_unmap(struct machine *m, uint32_t mm, uint64_t va);
/* Allocate the tables down to the PTE table of va, mapping nothing (the
 * pte_alloc a fault does before it takes a page). */
int pt_populate(struct machine *m, uint32_t mm, uint64_t va);
int pt_protect(struct machine *m, uint32_t mm, uint64_t va, unsigned prot);
/* Kernel mappings, for vmalloc (vmap_pages_range, vunmap_range_noflush):
 * the leaf is PAGE_KERNEL (x86: present rw accessed dirty global NX,
 * 0x8000000000000163 with the pfn; arm64: AF, DBM, PXN, UXN, no nG).
 * Unmapping clears the leaf only: the TLB flush is the caller's (batched)
 * and the tables stay, as the kernel never frees kernel page tables. */
uint64_t pt_kernel_leaf(const struct machine *m, uint32_t pfn);
int pt_map_kernel(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn);
int pt_unmap_kernel(struct machine *m, uint32_t mm, uint64_t va);
/* The entry at va changed and its TLB flush comes later in this
 * operation (the kernel's mmu_gather; kunmap_local's pte_clear). */
void pt_pending_flush(struct machine *m, uint32_t mm, uint64_t va);
/* The leaf entry mapping va in mm (page or huge), or 0. */
uint64_t pt_leaf_entry(const struct machine *m, uint32_t mm, uint64_t va);
/* Point the leaf at va to another frame with prot (set_pte_at after a
 * copy-on-write copy), flushing the old translation. */
int pt_remap(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned prot);
/* A PTE's swap life (try_to_unmap, do_swap_page, zap, unuse_pte): set the
 * PTE-level entry at va, whose tables exist, to e (present, a swap entry
 * or 0), keeping nr_used and marking a present old entry's flush pending;
 * no event: the caller's step shows it.  Returns the old entry.
 * pt_pte_done then flushes that translation and frees emptied tables. */
uint64_t pt_make_pte(const struct machine *m, uint32_t pfn, unsigned prot);
uint64_t pt_set_pte_raw(struct machine *m, uint32_t mm, uint64_t va, uint64_t e);
void pt_pte_done(struct machine *m, uint32_t mm, uint64_t va, uint64_t old);
/*
 * Migration entries (include/linux/swapops.h, SWP_MIGRATION_READ/WRITE): a
 * PTE that is not present and names the frame being migrated, so a fault
 * would wait for the migration (migration_entry_wait).  The model keeps the
 * pfn where a present leaf has it, a software bit (x86 bit 8, arm64 bit 56; no swap entry sets it)
 * says "migration", and the write, accessed and dirty bits ride along as
 * the kernel's migration_entry_supports_ad() keeps them.  Only order-0
 * leaves at the last level become migration entries; nr_used counts them.
 */
bool is_migration_entry(const struct machine *m, uint64_t e);
bool is_writable_migration_entry(const struct machine *m, uint64_t e);
/* try_to_migrate_one's write: the present order-0 leaf at va becomes a
 * migration entry; its TLB flush is pending until pt_tlb_flush.  Returns
 * the new entry, 0 if no order-0 page is mapped there. */
uint64_t pt_make_migration(struct machine *m, uint32_t mm, uint64_t va);
/* remove_migration_pte's write: the migration entry at va becomes a
 * present leaf of pfn with prot, accessed and dirty carried over.
 * Returns the new entry, 0 if va holds no migration entry. */
uint64_t pt_restore_migration(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned prot);

/* Free an mm that maps nothing: its TLB entries and its top table go; the
 * id then names no mm (pt_mm returns NULL). */
int pt_mm_free(struct machine *m, uint32_t id);

struct pt_walk_level {
	uint8_t level;  /* enum pt_level */
	uint32_t index;
	uint32_t table; /* pfn */
	uint64_t entry;
};
struct pt_result {
	uint64_t va, pa;
	uint32_t pfn;          /* frame of pa */
	unsigned page_shift;   /* size of the mapping */
	bool tlb_hit;
	enum pt_fault fault;
	int fault_level;       /* enum pt_level, -1 if none */
	unsigned nlevels;      /* levels walked (0 on a TLB hit) */
	struct pt_walk_level levels[PT_MAX_DEPTH];
};
/* user: the access comes from user mode (else the kernel's). */
int pt_translate(struct machine *m, uint32_t mm, uint64_t va, enum pt_access acc, bool user,
		 struct pt_result *r);
/* Drop TLB entries of mm (0: every mm) for va's page, or all of mm's if
 * all; returns how many went. */
int pt_tlb_flush(struct machine *m, uint32_t mm, uint64_t va, bool all);

/* Checks shared by the operations: a canonical address, a live mm. */
bool pt_canonical(const struct pt_format *f, uint64_t va);
uint64_t pt_va_mask(const struct pt_format *f);

/* ptdump: each mm's mapped ranges with their flags (ptdump.c). */
void pt_dump(const struct machine *m, uint32_t mm, struct strbuf *out);

/* The operation under way (numbered as events number them), 0 between
 * operations: when a flush promised for later must have come. */
uint32_t pt_op_in_progress(const struct machine *m);
/* Invariants (pgtable_check.c), called from check_machine. */
int check_pgtables(const struct machine *m, char *why, size_t whylen);

#endif
