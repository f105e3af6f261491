/*
 * x86 segmentation on 32-bit machines, modelled on the descriptors of
 * arch/x86/include/asm/desc_defs.h (struct desc_struct, GDT_ENTRY_INIT,
 * DESC_CODE32/DESC_DATA32), the GDT layout of arch/x86/include/asm/segment.h
 * and the per-CPU GDT that arch/x86/kernel/cpu/common.c fills (gdt_page) in
 * Linux 6.18, and on the processor's checks when a selector is loaded into
 * a segment register and used (Intel SDM vol. 3, 3.4-3.5 and 5.3-5.8):
 * - a selector is index (bits 15..3), TI (bit 2: GDT or LDT) and RPL;
 * - the null selector faults #GP(0) in CS and SS, and on use in the
 *   others; an index beyond the table's limit faults #GP(selector);
 * - CS takes code only: conforming with DPL <= CPL, nonconforming with
 *   RPL <= CPL and DPL == CPL; SS takes writable data with RPL == DPL ==
 *   CPL; DS, ES, FS, GS take data or readable code with max(CPL, RPL) <=
 *   DPL (not for conforming code); a violation is #GP(selector);
 * - not present: #NP(selector), #SS(selector) for SS;
 * - the offset must lie within the limit (the 20-bit field, in 4K units
 *   with G: (limit << 12) | 0xfff), above it for expand-down data; a write
 *   needs writable data, a read needs data or readable code; a violation
 *   is #GP(0), #SS(0) through SS; linear = base + offset.
 * Linux's segments are flat (base 0, limit 4G, G=1): KERNEL_CS/DS (entries
 * 12, 13, DPL 0) and USER_CS/DS (14, 15, DPL 3), so logical = linear and
 * paging does all the work.
 * Simplified: one GDT (the kernel has one per CPU) with only those four
 * entries set at boot (no TLS, TSS, LDT descriptor, PNPBIOS, APM, ESPFIX
 * or per-CPU entries); the LDT is one table of at most 64 entries that
 * grows as set_descriptor writes it (modify_ldt's write_ldt); loading a
 * segment does not set the descriptor's accessed bit; no gates, task
 * switches, 16-bit or long-mode segments.
 */
#include "segment.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "xalloc.h"

const char *const seg_reg_names[NR_SEG_REGS] = {"cs", "ds", "ss", "es", "fs", "gs"};
const char *const seg_fault_names[NR_SEGF] = {
	"none", "null-selector", "beyond-table-limit", "system-descriptor", "wrong-type",
	"privilege", "not-present", "beyond-segment-limit", "not-writable", "not-readable"};
const char *const seg_vector_names[NR_SV] = {"none", "#GP", "#NP", "#SS"};

/* Names by s * 16 + type; NULL: a reserved system type. */
static const char *const type_names[32] = {
	NULL, "tss16", "ldt", "tss16-busy", "callgate16", "taskgate", "intgate16", "trapgate16",
	NULL, "tss", NULL, "tss-busy", "callgate", NULL, "intgate", "trapgate",
	"data-r", "data-r-accessed", "data-rw", "data-rw-accessed",
	"data-r-down", "data-r-down-accessed", "data-rw-down", "data-rw-down-accessed",
	"code-x", "code-x-accessed", "code-xr", "code-xr-accessed",
	"code-x-conforming", "code-x-conforming-accessed", "code-xr-conforming", "code-xr-conforming-accessed"};

const char *seg_type_name(bool s, unsigned type)
{
	return type < 16 ? type_names[s * 16 + type] : NULL;
}

bool seg_type_parse(const char *name, bool *s, unsigned *type)
{
	for (unsigned i = 0; i < 32; i++)
		if (type_names[i] && strcmp(type_names[i], name) == 0) {
			*s = i >= 16;
			*type = i % 16;
			return true;
		}
	return false;
}

uint64_t seg_encode(const struct seg_desc *d)
{
	uint64_t r = (d->limit & 0xffffull) | (uint64_t)(d->base & 0xffffff) << 16;
	r |= (uint64_t)(d->type & 0xf) << 40 | (uint64_t)d->s << 44 | (uint64_t)(d->dpl & 3) << 45 |
	     (uint64_t)d->p << 47;
	r |= (uint64_t)((d->limit >> 16) & 0xf) << 48 | (uint64_t)d->avl << 52 | (uint64_t)d->l << 53 |
	     (uint64_t)d->db << 54 | (uint64_t)d->g << 55;
	return r | (uint64_t)(d->base >> 24) << 56;
}

struct seg_desc seg_decode(uint64_t r)
{
	struct seg_desc d;
	d.limit = (uint32_t)(r & 0xffff) | (uint32_t)((r >> 48) & 0xf) << 16;
	d.base = (uint32_t)((r >> 16) & 0xffffff) | (uint32_t)(r >> 56) << 24;
	d.type = (r >> 40) & 0xf;
	d.s = (r >> 44) & 1;
	d.dpl = (r >> 45) & 3;
	d.p = (r >> 47) & 1;
	d.avl = (r >> 52) & 1;
	d.l = (r >> 53) & 1;
	d.db = (r >> 54) & 1;
	d.g = (r >> 55) & 1;
	return d;
}

static bool is_32bit_x86(const struct machine *m)
{
	const char *n = m->cfg.arch->name ? m->cfg.arch->name : "";
	return strcmp(n, "x86") == 0 || strcmp(n, "x86_pae") == 0;
}

/* DESC_CODE32 / DESC_DATA32, with DESC_USER for ring 3: flat 4G */
static uint64_t flat(bool code, unsigned dpl)
{
	struct seg_desc d = {.base = 0, .limit = 0xfffff, .type = code ? 0xa : 0x2, .dpl = dpl,
			     .s = true, .p = true, .db = true, .g = true};
	return seg_encode(&d);
}

void segment_init(struct machine *m)
{
	struct segment *s = xcalloc(1, sizeof *s);
	m->segment = s;
	arena_init(m, &s->arena);
	s->on = is_32bit_x86(m);
	arena_alloc(m, &s->arena, sizeof(struct seg_root));
	if (!s->on)
		return;
	struct seg_root *r = seg_root(m);
	r->gdt[GDT_ENTRY_KERNEL_CS] = flat(true, 0);
	r->gdt[GDT_ENTRY_KERNEL_DS] = flat(false, 0);
	r->gdt[GDT_ENTRY_DEFAULT_USER_CS] = flat(true, 3);
	r->gdt[GDT_ENTRY_DEFAULT_USER_DS] = flat(false, 3);
}

void segment_free(struct machine *m)
{
	free(m->segment);
	m->segment = NULL;
}

int x86_set_descriptor(struct machine *m, bool ldt, unsigned index, const struct seg_desc *d)
{
	const char *tab = ldt ? "LDT" : "GDT";
	if (!m->segment->on)
		return mm_error(m, "set_descriptor: segmentation is modelled on 32-bit x86 (arch x86 or x86_pae)");
	unsigned max = ldt ? LDT_MAX_ENTRIES : GDT_ENTRIES;
	if (index >= max)
		return mm_error(m, "set_descriptor: the %s has entries 0..%u, not %u", tab, max - 1, index);
	if (!ldt && index == 0)
		return mm_error(m, "set_descriptor: GDT entry 0 is the null descriptor: the processor never reads it");
	if (d->limit > 0xfffff)
		return mm_error(m, "set_descriptor: limit 0x%x does not fit the 20-bit field (use g=true for 4K units)",
				d->limit);
	if (d->dpl > 3)
		return mm_error(m, "set_descriptor: dpl %u is not a privilege level (0..3)", d->dpl);
	if (d->type > 15 || !seg_type_name(d->s, d->type))
		return mm_error(m, "set_descriptor: type %u is reserved for system descriptors", d->type);
	struct seg_root *r = seg_root(m);
	uint64_t raw = seg_encode(d);
	mm_op_begin(m);
	if (ldt) {
		jset64(&m->j, &r->ldt[index], raw);
		if (index + 1 > r->ldt_entries)
			jset32(&m->j, &r->ldt_entries, index + 1);
	} else {
		jset64(&m->j, &r->gdt[index], raw);
	}
	EMIT(m, EV_SET_DESC, ldt, index, (int64_t)raw, d->base, seg_eff_limit(d), d->s * 16 + d->type, d->dpl, d->p);
	mm_op_end(m);
	return MM_OK;
}

/* The checks of loading sel into reg (SDM "segment register loading"). */
static enum seg_fault load_check(enum seg_reg reg, const struct seg_desc *d, unsigned rpl, unsigned cpl)
{
	bool code = d->type & 8, conforming = code && (d->type & 4), rw = d->type & 2;
	if (!d->s)
		return SEGF_SYSTEM;
	switch (reg) {
	case SR_CS:
		if (!code)
			return SEGF_TYPE;
		if (conforming ? d->dpl > cpl : (rpl > cpl || d->dpl != cpl))
			return SEGF_PRIV;
		break;
	case SR_SS:
		if (code || !rw)
			return SEGF_TYPE;
		if (rpl != cpl || d->dpl != cpl)
			return SEGF_PRIV;
		break;
	default:
		if (code && !rw)
			return SEGF_TYPE;
		if (!conforming && (cpl > rpl ? cpl : rpl) > d->dpl)
			return SEGF_PRIV;
	}
	return d->p ? SEGF_NONE : SEGF_NOT_PRESENT;
}

/* The checks of the access itself: its kind, then the limit. */
static enum seg_fault access_check(const struct seg_desc *d, uint32_t offset, uint32_t size, enum pt_access acc)
{
	bool code = d->type & 8, rw = d->type & 2, down = !code && (d->type & 4);
	if (acc == ACC_WRITE && (code || !rw))
		return SEGF_WRITE;
	if (acc == ACC_READ && code && !rw)
		return SEGF_READ;
	uint64_t last = (uint64_t)offset + (size ? size : 1) - 1, limit = seg_eff_limit(d);
	if (down) {
		uint64_t upper = d->db ? 0xffffffffull : 0xffffull;
		if (offset <= limit || last > upper)
			return SEGF_LIMIT;
	} else if (last > limit) {
		return SEGF_LIMIT;
	}
	return SEGF_NONE;
}

static void fault(struct machine *m, struct seg_result *r, enum seg_reg reg, uint16_t sel, uint32_t offset,
		  enum seg_fault f, bool with_sel)
{
	r->fault = f;
	r->vector = f == SEGF_NOT_PRESENT ? (reg == SR_SS ? SV_SS : SV_NP)
		    : (f == SEGF_LIMIT || f == SEGF_WRITE || f == SEGF_READ) && reg == SR_SS ? SV_SS
											    : SV_GP;
	r->error_code = with_sel ? sel & 0xfffc : 0;
	struct seg_root *root = seg_root(m);
	jset32(&m->j, &root->faults, root->faults + 1);
	EMIT(m, EV_SEG_FAULT, reg, sel, offset, r->vector, r->error_code, f);
}

int x86_seg_translate(struct machine *m, enum seg_reg reg, uint16_t sel, uint32_t offset, uint32_t size,
		  enum pt_access acc, unsigned cpl, struct seg_result *r)
{
	if (!m->segment->on)
		return mm_error(m, "translate: segmentation is modelled on 32-bit x86 (arch x86 or x86_pae)");
	if (acc == ACC_EXEC && reg != SR_CS)
		return mm_error(m, "translate: an instruction fetch goes through cs, not %s", seg_reg_names[reg]);
	if (reg == SR_CS && acc == ACC_WRITE)
		return mm_error(m, "translate: a write goes through a data segment register (ds, es, ss…), not cs");
	memset(r, 0, sizeof *r);
	const struct seg_root *root = seg_root(m);
	unsigned index = sel >> 3, ti = (sel >> 2) & 1, rpl = sel & 3;
	mm_op_begin(m);
	EMIT(m, EV_SEG_SELECTOR, reg, sel, index, ti, rpl, cpl);
	uint32_t entries = ti ? root->ldt_entries : GDT_ENTRIES;
	if (!ti && index == 0) {
		fault(m, r, reg, sel, offset, SEGF_NULL, false);
	} else if (index >= entries) {
		fault(m, r, reg, sel, offset, SEGF_TABLE_LIMIT, true);
	} else {
		r->desc = seg_decode(ti ? root->ldt[index] : root->gdt[index]);
		r->have_desc = true;
		const struct seg_desc *d = &r->desc;
		EMIT(m, EV_SEG_DESC, ti, index, d->base, seg_eff_limit(d), d->g, d->s * 16 + d->type, d->dpl, d->p);
		enum seg_fault f = load_check(reg, d, rpl, cpl);
		if (f != SEGF_NONE) {
			fault(m, r, reg, sel, offset, f, true);
		} else if ((f = access_check(d, offset, size, acc)) != SEGF_NONE) {
			fault(m, r, reg, sel, offset, f, false);
		} else {
			r->linear = d->base + offset;
			EMIT(m, EV_SEG_LINEAR, reg, sel, offset, d->base, r->linear);
		}
	}
	mm_op_end(m);
	return MM_OK;
}

int check_segment(const struct machine *m, char *why, size_t whylen)
{
	if (!m->segment->on)
		return 0;
	const struct seg_root *r = seg_root(m);
	if (r->gdt[0])
		return check_fail(why, whylen, "GDT entry 0 (the null descriptor) is 0x%llx, not 0",
				  (unsigned long long)r->gdt[0]);
	if (r->ldt_entries > LDT_MAX_ENTRIES)
		return check_fail(why, whylen, "the LDT has %u entries, more than %u", r->ldt_entries, LDT_MAX_ENTRIES);
	for (unsigned i = r->ldt_entries; i < LDT_MAX_ENTRIES; i++)
		if (r->ldt[i])
			return check_fail(why, whylen, "LDT entry %u is set beyond the LDT's %u entries", i, r->ldt_entries);
	for (unsigned i = 0; i < GDT_ENTRIES + LDT_MAX_ENTRIES; i++) {
		uint64_t raw = i < GDT_ENTRIES ? r->gdt[i] : r->ldt[i - GDT_ENTRIES];
		struct seg_desc d = seg_decode(raw);
		if (raw && !seg_type_name(d.s, d.type))
			return check_fail(why, whylen, "%s entry %u has the reserved type %u", i < GDT_ENTRIES ? "GDT" : "LDT",
					  i < GDT_ENTRIES ? i : i - GDT_ENTRIES, d.type);
	}
	return 0;
}
