/*
 * x86 segmentation (segment.c): the GDT and an LDT of 8-byte descriptors,
 * selectors, and the logical-to-linear translation with its limit, type
 * and privilege checks (#GP, #NP, #SS), on 32-bit x86 machines.
 */
#ifndef MM_SEGMENT_H
#define MM_SEGMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "machine.h"
#include "pgtable.h"

#define GDT_ENTRIES 32      /* arch/x86/include/asm/segment.h, x86_32 */
#define LDT_MAX_ENTRIES 64  /* the model's cap (the hardware's is 8192) */
/* Linux's flat segments (segment.h) */
#define GDT_ENTRY_KERNEL_CS 12
#define GDT_ENTRY_KERNEL_DS 13
#define GDT_ENTRY_DEFAULT_USER_CS 14
#define GDT_ENTRY_DEFAULT_USER_DS 15
#define KERNEL_CS_SEL (GDT_ENTRY_KERNEL_CS * 8)
#define KERNEL_DS_SEL (GDT_ENTRY_KERNEL_DS * 8)
#define USER_CS_SEL (GDT_ENTRY_DEFAULT_USER_CS * 8 + 3)
#define USER_DS_SEL (GDT_ENTRY_DEFAULT_USER_DS * 8 + 3)

/* A descriptor's fields (desc_defs.h's struct desc_struct, decoded). */
struct seg_desc {
	uint32_t base;
	uint32_t limit;  /* the 20-bit field */
	unsigned type;   /* 4 bits: for code/data, bit 3 code, then C/E, R/W, A */
	unsigned dpl;
	bool s;          /* code or data (1), system (0) */
	bool p, avl, l, db, g;
};

uint64_t seg_encode(const struct seg_desc *d);
struct seg_desc seg_decode(uint64_t raw);
/* The limit in bytes: the field, or the field in 4K units plus 0xfff with G. */
static inline uint32_t seg_eff_limit(const struct seg_desc *d)
{
	return d->g ? (d->limit << 12) | 0xfff : d->limit;
}
/* "code-xr", "data-rw-down", "ldt", "tss-busy"…; NULL for a reserved type */
const char *seg_type_name(bool s, unsigned type);
/* A type name back to s and type; false if unknown. */
bool seg_type_parse(const char *name, bool *s, unsigned *type);

enum seg_reg { SR_CS, SR_DS, SR_SS, SR_ES, SR_FS, SR_GS, NR_SEG_REGS };
extern const char *const seg_reg_names[NR_SEG_REGS];

/* Why a translation faults (the FT_ENUM names of x86_seg_fault.reason). */
enum seg_fault {
	SEGF_NONE, SEGF_NULL, SEGF_TABLE_LIMIT, SEGF_SYSTEM, SEGF_TYPE, SEGF_PRIV, SEGF_NOT_PRESENT,
	SEGF_LIMIT, SEGF_WRITE, SEGF_READ, NR_SEGF
};
extern const char *const seg_fault_names[NR_SEGF];
enum seg_vector { SV_NONE, SV_GP, SV_NP, SV_SS, NR_SV };
extern const char *const seg_vector_names[NR_SV];

struct seg_root {
	uint64_t gdt[GDT_ENTRIES];
	uint64_t ldt[LDT_MAX_ENTRIES];
	uint32_t ldt_entries; /* the LDT's limit is ldt_entries * 8 - 1; 0: no LDT */
	uint32_t faults;
};

struct segment {
	struct arena arena;
	bool on; /* a 32-bit x86 machine */
};

void segment_init(struct machine *m);
void segment_free(struct machine *m);
static inline struct seg_root *seg_root(const struct machine *m)
{
	return arena_ptr(&m->segment->arena, 0);
}

struct seg_result {
	uint32_t linear;
	enum seg_fault fault;
	enum seg_vector vector;
	uint32_t error_code;
	struct seg_desc desc;
	bool have_desc;
};

/* set_descriptor: write entry index of the GDT or the LDT (the LDT grows
 * to hold it, as modify_ldt does).  MM_EINVAL with nothing changed on bad
 * input. */
int x86_set_descriptor(struct machine *m, bool ldt, unsigned index, const struct seg_desc *d);
/* Load sel into reg at privilege cpl and access size bytes at offset:
 * MM_OK with r->fault (SEGF_NONE and r->linear, or the exception). */
int x86_seg_translate(struct machine *m, enum seg_reg reg, uint16_t sel, uint32_t offset, uint32_t size,
		  enum pt_access acc, unsigned cpl, struct seg_result *r);

int check_segment(const struct machine *m, char *why, size_t whylen);

#endif
