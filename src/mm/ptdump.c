/*
 * Entry bits by name, and a dump of an mm's page tables in the style of the
 * kernel's ptdump (mm/ptdump.c, arch/x86/mm/dump_pagetables.c,
 * arch/arm64/mm/ptdump.c): one line per range of virtual addresses mapped
 * alike (same level, same flags, physically contiguous), with its size,
 * its flags and the level of its leaves.  Unmapped holes are left out; a
 * swap entry gets a line of its own with its type and offset (ptdump shows
 * non-present entries as holes; the model names them, for teaching).
 */
#include "pgtable.h"
#include "swap.h"

#include <stdio.h>
#include <string.h>

struct bitname {
	uint64_t bit;
	const char *name;
};

static const struct bitname x86_bits[] = {
	{X86_PRESENT, "present"}, {X86_RW, "rw"},	   {X86_USER, "user"}, {1ull << 3, "PWT"},
	{1ull << 4, "PCD"},	  {X86_ACCESSED, "accessed"}, {X86_DIRTY, "dirty"}, {X86_PSE, "PSE"},
	{1ull << 8, "global"},	  {X86_NX, "NX"},	   {0, NULL},
};

static const struct bitname arm_bits[] = {
	{ARM_VALID, "valid"}, {ARM_AF, "AF"},	{ARM_NG, "nG"},	 {ARM_DBM, "DBM"},
	{ARM_PXN, "PXN"},     {ARM_UXN, "UXN"}, {0, NULL},
};

static size_t add(char *buf, size_t n, size_t at, const char *s)
{
	int w = snprintf(buf + (at < n ? at : n - 1), at < n ? n - at : 1, "%s%s", at ? " " : "", s);
	return at + (size_t)(w > 0 ? w : 0);
}

const char *pte_flags_text(const struct machine *m, uint64_t e, unsigned level, char *buf, size_t n)
{
	size_t at = 0;
	buf[0] = 0;
	if (m->pt->fmt.family == PTF_ARM64) {
		for (const struct bitname *b = arm_bits; b->name; b++) {
			if (b->bit == ARM_AF) {
				/* bit 1: table or page descriptor; clear: a block */
				at = add(buf, n, at, !(e & ARM_TABLE) ? "block" : level == PT_PTE ? "page" : "table");
				if ((e & ARM_TABLE) && level != PT_PTE)
					return buf; /* a table descriptor has no more bits here */
				char ap[16];
				snprintf(ap, sizeof ap, "AP=%u%u", (unsigned)(e >> 7 & 1), (unsigned)(e >> 6 & 1));
				at = add(buf, n, at, ap);
			}
			if (e & b->bit)
				at = add(buf, n, at, b->name);
		}
		return buf;
	}
	for (const struct bitname *b = x86_bits; b->name; b++) {
		if (b->bit == X86_PSE && level == PT_PTE)
			continue; /* bit 7 of a PTE is PAT */
		if (b->bit == X86_NX && m->pt->fmt.family != PTF_X86)
			continue;
		if (b->bit != X86_NX && b->bit >> m->pt->fmt.pfn_shift)
			continue; /* a toy entry's pfn starts below this bit */
		if (e & b->bit)
			at = add(buf, n, at, b->name);
	}
	return buf;
}

const char *pte_text(const struct machine *m, uint64_t e, int level, char *buf, size_t n)
{
	if (m->pt && m->pt->fmt.depth && is_swap_pte(m, e) && (level < 0 || level == PT_PTE)) {
		char sw[64];
		snprintf(buf, n, "0x%llx (not present: %s)", (unsigned long long)e, swap_pte_text(m, e, sw, sizeof sw));
		return buf;
	}
	if (!m->pt || !m->pt->fmt.depth || !pte_present(m, e)) {
		snprintf(buf, n, "0x%llx (not present)", (unsigned long long)e);
		return buf;
	}
	char flags[128];
	pte_flags_text(m, e, level < 0 ? PT_PTE : (unsigned)level, flags, sizeof flags);
	snprintf(buf, n, "0x%llx (%s) pfn 0x%x", (unsigned long long)e, flags, pte_pfn(m, e));
	return buf;
}

const char *pt_size_text(unsigned shift, char *buf, size_t n)
{
	static const char units[] = "BKMGTPE";
	if (shift < 10)
		snprintf(buf, n, "%lluB", 1ull << shift);
	else
		snprintf(buf, n, "%llu%c", 1ull << (shift % 10), units[shift / 10]);
	return buf;
}

/* ptdump's columns: the arch's short flags. */
static void short_flags(const struct machine *m, uint64_t e, unsigned level, char *buf, size_t n)
{
	if (m->pt->fmt.family == PTF_ARM64) {
		snprintf(buf, n, "%-4s %-3s %-3s %-4s %-4s %s", (e & ARM_USER) ? "USR" : "",
			 (e & ARM_RDONLY) && !(e & ARM_DBM) ? "ro" : "RW", (e & ARM_UXN) ? "UXN" : "",
			 (e & ARM_PXN) ? "PXN" : "", (e & ARM_AF) ? "AF" : "", !(e & ARM_TABLE) ? "BLK" : "");
		return;
	}
	snprintf(buf, n, "%-3s %-3s %-3s %-3s %s", (e & X86_RW) ? "RW" : "ro", (e & X86_USER) ? "USR" : "",
		 (level != PT_PTE && (e & X86_PSE)) ? "PSE" : "",
		 m->pt->fmt.family == PTF_X86 ? ((e & X86_NX) ? "NX" : "x") : "", (e & X86_DIRTY) ? "D" : "");
}

struct dump {
	const struct machine *m;
	struct strbuf *out;
	bool open;
	uint64_t start, end; /* [start, end) in canonical form */
	uint64_t flags;
	unsigned level, shift;
	uint32_t pfn, next_pfn;
};

static uint64_t sign(const struct pt_format *f, uint64_t va)
{
	if (f->sign_extend && (va >> (f->va_bits - 1) & 1))
		return va | ~pt_va_mask(f);
	return va;
}

static void flush(struct dump *d)
{
	if (!d->open)
		return;
	const struct pt_format *f = &d->m->pt->fmt;
	int w = f->va_bits > 32 ? 16 : 8;
	char size[16], flags[64];
	uint64_t bytes = d->end - d->start;
	unsigned shift = 0;
	while (shift < 63 && (1ull << (shift + 1)) <= bytes && !(bytes % (1ull << (shift + 1))))
		shift++;
	if (bytes >> shift == 1)
		pt_size_text(shift, size, sizeof size);
	else
		snprintf(size, sizeof size, "%llu*%s", (unsigned long long)(bytes >> d->shift),
			 pt_size_text(d->shift, flags, sizeof flags));
	short_flags(d->m, d->flags, d->level, flags, sizeof flags);
	strbuf_printf(d->out, "0x%0*llx-0x%0*llx %10s  %-24s %s  pfn 0x%x\n", w, (unsigned long long)sign(f, d->start),
		      w, (unsigned long long)(sign(f, d->end - 1) + 1),
		      size, flags, pt_level_names[d->level], d->pfn);
	d->open = false;
}

static uint64_t leaf_key(const struct machine *m, uint64_t e)
{
	/* ranges join across accessed state, not across permissions */
	uint64_t mask = m->pt->fmt.family == PTF_ARM64 ? ARM_AF : X86_ACCESSED;
	return (e & ~mask) & ~((uint64_t)PT_PFN_MASK << m->pt->fmt.pfn_shift);
}

static void leaf(struct dump *d, uint64_t va, unsigned depth, uint64_t e)
{
	const struct pt_format *f = &d->m->pt->fmt;
	unsigned shift = f->shift[depth];
	uint64_t key = leaf_key(d->m, e);
	uint32_t pfn = pte_pfn(d->m, e);
	if (d->open && d->end == va && d->level == f->level[depth] && d->flags == key && d->next_pfn == pfn) {
		d->end = va + (1ull << shift);
		d->next_pfn = pfn + (uint32_t)(1ull << (shift - f->offset_bits));
		return;
	}
	flush(d);
	d->open = true;
	d->start = va;
	d->end = va + (1ull << shift);
	d->flags = key;
	d->level = f->level[depth];
	d->shift = shift;
	d->pfn = pfn;
	d->next_pfn = pfn + (uint32_t)(1ull << (shift - f->offset_bits));
}

static void walk(struct dump *d, uint32_t table, unsigned depth, uint64_t base)
{
	const struct machine *m = d->m;
	const struct pt_format *f = &m->pt->fmt;
	const uint64_t *ent = pt_entries(m, table);
	const uint32_t *child = pt_children(m, table);
	for (uint32_t i = 0; i < pt_nr_entries(m, depth); i++) {
		uint64_t va = base + ((uint64_t)i << f->shift[depth]);
		if (depth + 1 == f->depth && is_swap_pte(m, ent[i])) {
			char sw[64], sz[16];
			flush(d);
			int w = f->va_bits > 32 ? 16 : 8;
			strbuf_printf(d->out, "0x%0*llx-0x%0*llx %10s  %-24s %s  %s\n", w, (unsigned long long)sign(f, va), w,
				      (unsigned long long)(sign(f, va + (1ull << f->shift[depth]) - 1) + 1),
				      pt_size_text(f->shift[depth], sz, sizeof sz), "not present", pt_level_names[f->level[depth]],
				      swap_pte_text(m, ent[i], sw, sizeof sw));
			continue;
		}
		if (!pte_present(m, ent[i]))
			continue;
		if (pte_is_leaf(m, depth, ent[i]))
			leaf(d, va, depth, ent[i]);
		else
			walk(d, child[i], depth + 1, va);
	}
}

void pt_dump(const struct machine *m, uint32_t id, struct strbuf *out)
{
	const struct pt_mm *o = pt_mm(m, id);
	if (!o)
		return;
	const struct pt_format *f = &m->pt->fmt;
	char sz[16];
	strbuf_printf(out, "---[ mm %u, ASID %u, %s, %s at pfn 0x%x, %u table page%s (%u x %s) ]---\n", id, id,
		      f->name, pt_level_names[f->level[0]], pt_table(m, o->pgd)->pfn, o->nr_tables,
		      o->nr_tables == 1 ? "" : "s", o->nr_tables, pt_size_text(f->offset_bits, sz, sizeof sz));
	struct dump d = {.m = m, .out = out};
	walk(&d, o->pgd, 0, 0);
	flush(&d);
}
