/*
 * src/mm/memblock.c, e820.c and the boot through them, against examples
 * worked by hand from the kernel's rules:
 * - a QEMU-like 3 GiB map (2 GiB below the PCI hole, 1 GiB above 4 GiB,
 *   firmware ranges in between) with the kernel image reserved at 16M in
 *   DMA32: spanned/present/managed, min_free_kbytes, the watermarks and
 *   lowmem_reserve as free_area_init and init_per_zone_wmark_min make them;
 * - memblock_reserve merging with a neighbour, memblock_free splitting a
 *   region, memblock_alloc placing top-down and RSV_KERN regions merging;
 * - the hand-over's blocks (__free_pages_memory's largest aligned blocks);
 * - the debugfs and iomem formats; refusals leave the state alone.
 */
#include <string.h>

#include "helpers.h"
#include "mm/memblock.h"
#include "mm/proc.h"

#define E(a, s, t) {(a), (s), (t), ""}

static const struct e820_entry qemu_map[] = {
	E(0, 0x9fc00, E820_TYPE_RAM),
	E(0x9fc00, 0x400, E820_TYPE_RESERVED),
	E(0xf0000, 0x10000, E820_TYPE_RESERVED),
	E(0x100000, 0x7ffe0000 - 0x100000, E820_TYPE_RAM),
	E(0x7ffe0000, 0x20000, E820_TYPE_RESERVED),
	E(0xfeffc000, 0x4000, E820_TYPE_RESERVED),
	E(0xfffc0000, 0x40000, E820_TYPE_RESERVED),
	E(0x100000000, 0x40000000, E820_TYPE_RAM),
};

static struct mm_config qemu(bool boot_phase)
{
	struct mm_config c = config_mem(0);
	c.nr_e820 = sizeof qemu_map / sizeof *qemu_map;
	memcpy(c.e820, qemu_map, sizeof qemu_map);
	c.nr_boot_reserve = 1;
	c.boot_reserve[0] = (struct e820_entry){16 * MiB, 32 * MiB, E820_TYPE_RESERVED, "kernel"};
	c.boot = boot_phase;
	return c;
}

static void assert_zone(const struct zone *z, uint32_t start, uint32_t spanned, uint32_t present, uint32_t managed,
			uint32_t min, uint32_t low, uint32_t high)
{
	assert_int_equal(z->start_pfn, start);
	assert_int_equal(z->spanned, spanned);
	assert_int_equal(z->present, present);
	assert_int_equal(z->managed, managed);
	assert_int_equal(z->wmark[WMARK_MIN], min);
	assert_int_equal(z->wmark[WMARK_LOW], low);
	assert_int_equal(z->wmark[WMARK_HIGH], high);
}

/* DMA: pfn 0 is the BIOS's (trim_bios_range), so the zone spans 1..4095;
 * present: pfns 1..0x9e (0x9fbff ends inside page 0x9f) and 0x100..0xfff =
 * 158 + 3840; the first megabyte is reserved, so 3840 managed.  DMA32:
 * 0x1000..0xfffff spanned, RAM up to 0x7ffe0 present (520160), less the
 * kernel's 8192 pages.  Normal: the 1 GiB above 4G.  Lowmem 777952 pages =
 * 3111808 kB: min_free_kbytes = isqrt(3111808 * 16) = 7056, pages_min 1764,
 * shared by managed pages: DMA 8, DMA32 1160, Normal 594; the gaps are the
 * larger of min/4 and managed/1000: 3, 511, 262. */
static void test_vm_map_zone_numbers(void **state)
{
	(void)state;
	struct mm_config c = qemu(false);
	struct machine *m = boot(&c);
	assert_int_equal(m->nr_frames, 0x140000);
	assert_int_equal(m->min_free_kbytes, 7056);
	assert_zone(machine_zone(m, 0, ZONE_DMA), 1, 4095, 3998, 3840, 8, 11, 14);
	assert_zone(machine_zone(m, 0, ZONE_DMA32), 0x1000, 1044480, 520160, 511968, 1160, 1671, 2182);
	assert_zone(machine_zone(m, 0, ZONE_NORMAL), 0x100000, 262144, 262144, 262144, 594, 856, 1118);
	/* lowmem_reserve: the zones above, divided by 256 */
	assert_int_equal(machine_zone(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_DMA32], 1999);
	assert_int_equal(machine_zone(m, 0, ZONE_DMA)->lowmem_reserve[ZONE_NORMAL], 3023);
	assert_int_equal(machine_zone(m, 0, ZONE_DMA32)->lowmem_reserve[ZONE_NORMAL], 1024);
	/* holes and reserved pages are reserved frames; the rest is free */
	assert_int_equal(frame_state(&m->frames[0]), FS_RESERVED);
	assert_int_equal(frame_state(&m->frames[0x9f]), FS_RESERVED);
	assert_int_equal(frame_state(&m->frames[0x80000]), FS_RESERVED);
	assert_int_equal(frame_state(&m->frames[0x3000]), FS_FREE);
	machine_free(m);
}

/* The same machine booted in steps ends in the same state. */
static void test_boot_phase_ends_where_instant_boot_does(void **state)
{
	(void)state;
	struct mm_config c = qemu(false);
	struct machine *a = boot(&c);
	c.boot = true;
	struct machine *b = boot(&c);
	assert_int_equal(machine_zone(b, 0, ZONE_DMA32)->managed, 0);
	assert_int_equal(frame_state(&b->frames[0x3000]), FS_MEMBLOCK);
	machine_journal(b, true);
	assert_int_equal(memblock_free_all(b, true), MM_OK);
	assert_machine_ok(b);
	for (unsigned t = 0; t < MAX_NR_ZONES; t++) {
		const struct zone *za = machine_zone(a, 0, t), *zb = machine_zone(b, 0, t);
		assert_int_equal(za->managed, zb->managed);
		assert_int_equal(za->free_pages, zb->free_pages);
		assert_memory_equal(za->wmark, zb->wmark, sizeof za->wmark);
		assert_memory_equal(za->lowmem_reserve, zb->lowmem_reserve, sizeof za->lowmem_reserve);
	}
	assert_memory_equal(a->frames, b->frames, 0x140000 * sizeof *a->frames);
	/* and undoing the hand-over gives memblock the memory back */
	machine_seek(b, 0);
	assert_int_equal(machine_zone(b, 0, ZONE_DMA32)->managed, 0);
	assert_true(memblock_booting(b));
	assert_machine_ok(b);
	machine_free(a);
	machine_free(b);
}

static void assert_region(const struct memblock_type *t, unsigned i, uint64_t base, uint64_t size, uint32_t flags)
{
	assert_true(i < t->cnt);
	assert_int_equal(t->regions[i].base, base);
	assert_int_equal(t->regions[i].size, size);
	assert_int_equal(t->regions[i].flags, flags);
}

static void test_reserve_merges_free_splits_alloc_top_down(void **state)
{
	(void)state;
	struct mm_config c = qemu(true);
	struct machine *m = boot(&c);
	machine_journal(m, true);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	const struct memblock_type *res = &memblock_root(m)->reserved;
	assert_int_equal(res->cnt, 2); /* [0, 1M) and the kernel [16M, 48M) */
	/* [1M, 2M) touches [0, 1M) with the same flags: one region */
	assert_int_equal(memblock_reserve(m, 1 * MiB, 1 * MiB), MM_OK);
	assert_int_equal(res->cnt, 2);
	assert_region(res, 0, 0, 2 * MiB, MEMBLOCK_NONE);
	/* a hole punched in the kernel's region splits it */
	assert_int_equal(memblock_free(m, 24 * MiB, 4 * MiB), MM_OK);
	assert_int_equal(res->cnt, 3);
	assert_region(res, 1, 16 * MiB, 8 * MiB, MEMBLOCK_NONE);
	assert_region(res, 2, 28 * MiB, 20 * MiB, MEMBLOCK_NONE);
	assert_int_equal(frame_state(&m->frames[0x1800]), FS_MEMBLOCK);
	/* top-down: the end of the highest free range, 5G */
	uint64_t a = 0;
	assert_int_equal(memblock_alloc(m, 8 * KiB, 4 * KiB, &a), MM_OK);
	assert_int_equal(a, 0x13fffe000);
	assert_int_equal(memblock_alloc(m, 4 * KiB, 4 * KiB, &a), MM_OK);
	assert_int_equal(a, 0x13fffd000);
	assert_region(res, 3, 0x13fffd000, 12 * KiB, MEMBLOCK_RSRV_KERN); /* merged */
	/* 2M aligned: (0x13fffd000 - 2M) rounded down to 2M */
	assert_int_equal(memblock_alloc(m, 2 * MiB, 2 * MiB, &a), MM_OK);
	assert_int_equal(a, 0x13fc00000);
	assert_int_equal(res->cnt, 5);
	assert_int_equal(frame_state(&m->frames[0x13fc00]), FS_RESERVED);
	assert_event(&r, r.n - 1, "memblock_alloc", "size=0x200000 align=0x200000 addr=0x13fc00000 ok=placed");

	/* the hand-over: each free range in its largest aligned blocks */
	recorder_clear(&r);
	assert_int_equal(memblock_free_all(m, true), MM_OK);
	size_t i = find_kind(&r, 0, EV_FREE_MEM_CORE);
	assert_event(&r, i, "free_memory_core", "start=0x200 end=0x1000");
	assert_kinds(&r, i + 1, i + 6, "free_pages_core free_pages_core free_pages_core free_pages_core free_memory_core");
	assert_event(&r, i + 1, "free_pages_core", "zone=DMA pfn=0x200 order=9");
	assert_event(&r, i + 2, "free_pages_core", "zone=DMA pfn=0x400 order=10");
	assert_event(&r, i + 6, "free_pages_core", "zone=DMA32 pfn=0x1800 order=10");
	i = find_kind(&r, 0, EV_FREE_MEM_CORE);
	size_t last = i;
	while ((i = find_kind(&r, i + 1, EV_FREE_MEM_CORE)) < r.n)
		last = i;
	assert_event(&r, last, "free_memory_core", "start=0x13fe00 end=0x13fffd");
	static const unsigned orders[] = {8, 7, 6, 5, 4, 3, 2, 0};
	for (unsigned k = 0; k < 8; k++)
		assert_int_equal(ev_get(&r.ev[last + 1 + k], "order"), orders[k]);
	/* managed after these reserves: DMA 4096 - 512, DMA32 520160 - 2048 -
	 * 5120, Normal 262144 - 3 - 512; isqrt(778205 * 4 * 16) = 7057 */
	assert_event(&r, r.n - 1, "memblock_free_all", "pages=778205 min_free_kbytes=7057");
	assert_false(memblock_booting(m));
	recorder_free(&r);
	machine_free(m);
}

static void test_refusals_change_nothing(void **state)
{
	(void)state;
	struct mm_config c = qemu(true);
	struct machine *m = boot(&c);
	machine_journal(m, true);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	struct snapshot s = snap(m, &r);
	uint64_t a;
	assert_int_equal(memblock_alloc(m, 0, 0, &a), MM_EINVAL);
	assert_string_equal(m->error, "memblock_alloc: a size of 0");
	assert_int_equal(memblock_alloc(m, 4096, 3, &a), MM_EINVAL);
	assert_int_equal(memblock_add(m, 0x140000000, 4096), MM_EINVAL);
	uint32_t pfn;
	assert_int_equal(alloc_pages(m, 0, GFP_KERNEL, -1, &pfn), MM_EINVAL);
	assert_string_equal(m->error, "the buddy allocator has no memory yet: memblock owns it until memblock_free_all()");
	assert_unchanged(m, &r, &s);
	assert_int_equal(memblock_free_all(m, true), MM_OK);
	s = snap(m, &r);
	assert_int_equal(memblock_alloc(m, 4096, 0, &a), MM_EINVAL);
	assert_string_equal(m->error, "memblock_alloc: memblock_free_all has run: the buddy allocator owns memory now");
	assert_int_equal(memblock_free_all(m, true), MM_EINVAL);
	assert_unchanged(m, &r, &s);
	recorder_free(&r);
	machine_free(m);
}

static void test_bad_maps_refused(void **state)
{
	(void)state;
	struct mm_config c = qemu(false);
	c.e820[1].addr = 0x9f000; /* into the first usable range */
	assert_config_refused(&c, "memory_map: [mem 0x000000000009f000-0x000000000009f3ff] reserved overlaps "
				  "[mem 0x0000000000000000-0x000000000009fbff] usable");
	c = qemu(false);
	for (unsigned i = 0; i < c.nr_e820; i++)
		if (c.e820[i].type == E820_TYPE_RAM)
			c.e820[i].type = E820_TYPE_ACPI;
	assert_config_refused(&c, "memory_map has no usable memory (no whole page of type usable)");
	c = qemu(false);
	c.nodes = 2;
	assert_config_refused(&c, "memory_map describes one node with the arch's zones: nodes= and zones= do not combine with it");
}

static char *show(const struct machine *m, const char *name, struct strbuf *b)
{
	b->len = 0;
	assert_int_equal(mm_proc(m, name, b), 0);
	return b->s;
}

/* memblock_debug_show's lines; /proc/iomem as r_show prints it. */
static void test_debugfs_and_iomem(void **state)
{
	(void)state;
	struct mm_config c = qemu(false);
	c.e820[c.nr_e820++] = (struct e820_entry){0xfebd0000, 0x1000, E820_TYPE_DEVICE, "virtio-net"};
	struct machine *m = boot(&c);
	struct strbuf b = {0};
	assert_string_equal(show(m, "memblock/memory", &b),
			    "   0: 0x0000000000001000..0x000000000009fbff    0 NONE\n"
			    "   1: 0x0000000000100000..0x000000007ffdffff    0 NONE\n"
			    "   2: 0x0000000100000000..0x000000013fffffff    0 NONE\n");
	assert_string_equal(show(m, "memblock/reserved", &b),
			    "   0: 0x0000000000000000..0x00000000000fffff    x NONE\n"
			    "   1: 0x0000000001000000..0x0000000002ffffff    x NONE\n");
	assert_string_equal(show(m, "iomem", &b),
			    "00000000-00000fff : Reserved\n"
			    "00001000-0009fbff : System RAM\n"
			    "0009fc00-0009ffff : Reserved\n"
			    "000f0000-000fffff : Reserved\n"
			    "00100000-7ffdffff : System RAM\n"
			    "7ffe0000-7fffffff : Reserved\n"
			    "febd0000-febd0fff : virtio-net\n"
			    "feffc000-feffffff : Reserved\n"
			    "fffc0000-ffffffff : Reserved\n"
			    "100000000-13fffffff : System RAM\n");
	strbuf_free(&b);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_map_zone_numbers),
		cmocka_unit_test(test_boot_phase_ends_where_instant_boot_does),
		cmocka_unit_test(test_reserve_merges_free_splits_alloc_top_down),
		cmocka_unit_test(test_refusals_change_nothing),
		cmocka_unit_test(test_bad_maps_refused),
		cmocka_unit_test(test_debugfs_and_iomem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
