/*
 * The firmware memory map, modelled on arch/x86/kernel/e820.c (Linux 6.18):
 * - the map as the firmware reports it, sorted (e820__update_table sorts and
 *   resolves overlaps; the model refuses overlaps instead);
 * - on x86 the first page turns reserved (trim_bios_range: BIOS data, not
 *   kernel RAM), and setup_arch reserves the whole first megabyte in
 *   memblock (reserve_real_mode);
 * - e820__memblock_setup: every usable range into memblock.memory, then
 *   partial pages trimmed away (memblock_trim_memory, done here by the page
 *   rounding of every pfn range);
 * - max_pfn is the end of the highest usable range (e820__end_of_ram_pfn).
 * /proc/iomem as kernel/resource.c's r_show prints it: every e820 entry a
 * resource named by e820_type_to_string, device ranges nested in the entry
 * that holds them.
 * Simplified: no ISA hole removal (e820__range_remove of 640K-1M RAM), no
 * e820 tables from setup_data or the command line (memmap=), no kernel
 * code/data/bss resources.
 */
#include "memblock.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), false)

const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case E820_TYPE_RAM: return "usable";
	case E820_TYPE_RESERVED: return "reserved";
	case E820_TYPE_ACPI: return "ACPI data";
	case E820_TYPE_NVS: return "ACPI NVS";
	case E820_TYPE_UNUSABLE: return "unusable";
	case E820_TYPE_DEVICE: return "device";
	default: return "type?";
	}
}

/* e820_type_to_string: the resource names /proc/iomem shows. */
static const char *iomem_name(const struct e820_entry *e)
{
	switch (e->type) {
	case E820_TYPE_RAM: return "System RAM";
	case E820_TYPE_ACPI: return "ACPI Tables";
	case E820_TYPE_NVS: return "ACPI Non-volatile Storage";
	case E820_TYPE_UNUSABLE: return "Unusable memory";
	case E820_TYPE_DEVICE: return e->name[0] ? e->name : "PCI device";
	default: return "Reserved";
	}
}

static bool is_x86(const struct mm_config *c)
{
	return strncmp(c->arch->name, "x86", 3) == 0;
}

static uint64_t e_end(const struct e820_entry *e) { return e->addr + e->size; }

static void sort_entries(struct e820_entry *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct e820_entry x = v[i];
		unsigned j = i;
		for (; j && (v[j - 1].addr > x.addr || (v[j - 1].addr == x.addr && x.type != E820_TYPE_DEVICE &&
							 v[j - 1].type == E820_TYPE_DEVICE));
		     j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static bool overlap(const struct e820_entry *a, const struct e820_entry *b, char *why, size_t whylen)
{
	return WHY("memory_map: [mem 0x%016" PRIx64 "-0x%016" PRIx64 "] %s overlaps [mem 0x%016" PRIx64
		   "-0x%016" PRIx64 "] %s",
		   a->addr, e_end(a) - 1, e820_type_name(a->type), b->addr, e_end(b) - 1, e820_type_name(b->type));
}

/* Firmware ranges may not overlap; a device range lies in no RAM and no
 * other device, and inside at most one reserved range (its parent). */
static bool check_overlaps(const struct mm_config *c, char *why, size_t whylen)
{
	const struct e820_entry *fw = NULL, *dev = NULL;
	for (unsigned i = 0; i < c->nr_e820; i++) {
		const struct e820_entry *e = &c->e820[i];
		if (e->size == 0 || e_end(e) < e->addr)
			return WHY("memory_map: the %s range at 0x%" PRIx64 " has a size of 0 or wraps around",
				   e820_type_name(e->type), e->addr);
		bool is_dev = e->type == E820_TYPE_DEVICE;
		if (is_dev && dev && e->addr < e_end(dev))
			return overlap(e, dev, why, whylen);
		if (fw && e->addr < e_end(fw) &&
		    (!is_dev || fw->type == E820_TYPE_RAM || e_end(e) > e_end(fw)))
			return overlap(e, fw, why, whylen);
		if (!is_dev && dev && e->addr < e_end(dev))
			return overlap(e, dev, why, whylen);
		if (is_dev)
			dev = e;
		else
			fw = e;
	}
	return true;
}

bool e820_prepare(struct mm_config *c, char *why, size_t whylen)
{
	sort_entries(c->e820, c->nr_e820);
	if (!check_overlaps(c, why, whylen))
		return false;
	uint64_t ram_end = 0;
	for (unsigned i = 0; i < c->nr_e820; i++) {
		const struct e820_entry *e = &c->e820[i];
		uint64_t page_end = e_end(e) & ~(uint64_t)(c->page_size - 1);
		uint64_t page_start = (e->addr + c->page_size - 1) & ~(uint64_t)(c->page_size - 1);
		if (e->type == E820_TYPE_RAM && page_end > page_start)
			ram_end = page_end;
	}
	if (!ram_end)
		return WHY("memory_map has no usable memory (no whole page of type usable)");
	for (unsigned i = 0; i < c->nr_boot_reserve; i++)
		if (c->boot_reserve[i].size == 0)
			return WHY("reserve: the range at 0x%" PRIx64 " has a size of 0", c->boot_reserve[i].addr);
	/* trim_bios_range: the first page is the BIOS's, whatever the map says */
	struct e820_entry *first = &c->e820[0];
	if (is_x86(c) && first->addr == 0 && first->type == E820_TYPE_RAM && first->size > c->page_size) {
		if (c->nr_e820 == E820_MAX)
			return WHY("memory_map: more than %d entries", E820_MAX - 1);
		memmove(first + 1, first, (c->nr_e820 - 0) * sizeof *first);
		c->nr_e820++;
		*first = (struct e820_entry){0, c->page_size, E820_TYPE_RESERVED, ""};
		first[1].addr = c->page_size;
		first[1].size -= c->page_size;
	}
	c->memory = ram_end;
	return true;
}

void e820_memblock_setup(struct machine *m)
{
	struct memblock_root *r = memblock_root(m);
	const struct mm_config *c = &m->cfg;
	if (!c->nr_e820) /* no map: memory is one range from 0 */
		memblock_add_range(m, &r->memory, 0, c->memory, 0, MEMBLOCK_NONE);
	if (c->reserved)
		memblock_add_range(m, &r->reserved, 0, c->reserved, MEMBLOCK_NO_NODE, MEMBLOCK_NONE);
	for (unsigned i = 0; i < c->nr_e820; i++)
		if (c->e820[i].type == E820_TYPE_RAM)
			memblock_add_range(m, &r->memory, c->e820[i].addr, c->e820[i].size, 0, MEMBLOCK_NONE);
	if (is_x86(c) && c->nr_e820 && c->memory > (1u << 20))
		memblock_add_range(m, &r->reserved, 0, 1u << 20, MEMBLOCK_NO_NODE, MEMBLOCK_NONE);
	for (unsigned i = 0; i < c->nr_boot_reserve; i++)
		memblock_add_range(m, &r->reserved, c->boot_reserve[i].addr, c->boot_reserve[i].size, MEMBLOCK_NO_NODE,
				   MEMBLOCK_NONE);
	r->booting = 1;
}

/* ---- /proc/iomem ---- */

static void iomem_line(struct strbuf *out, unsigned depth, uint64_t s, uint64_t e, const char *name)
{
	strbuf_printf(out, "%*s%08" PRIx64 "-%08" PRIx64 " : %s\n", (int)depth * 2, "", s, e - 1, name);
}

void proc_iomem(const struct machine *m, struct strbuf *out)
{
	const struct mm_config *c = &m->cfg;
	if (!c->nr_e820) {
		/* a machine with no map: its memory is one System RAM range */
		iomem_line(out, 0, 0, c->memory, "System RAM");
		return;
	}
	for (unsigned i = 0; i < c->nr_e820;) {
		const struct e820_entry *p = &c->e820[i];
		iomem_line(out, 0, p->addr, e_end(p), iomem_name(p));
		unsigned j = i + 1;
		/* the ranges inside this one are its children */
		for (; j < c->nr_e820 && e_end(&c->e820[j]) <= e_end(p); j++)
			iomem_line(out, 1, c->e820[j].addr, e_end(&c->e820[j]), iomem_name(&c->e820[j]));
		i = j;
	}
}
