/*
 * The rules of pgtable.c's map that the mutation run (scripts/mutate)
 * found untested: which addresses are canonical and what the message says
 * about it, where a huge page's frame must be aligned, what protect keeps
 * of arm64's dirty state, what the message about an address inside a huge
 * page names, the checks unmap and protect make first, that freed
 * table slots are reused, the bits of an entry that points to a table, and how far a
 * format's entries can address physical memory (a 4-byte entry holds 20
 * bits of pfn; x86's 32 physical address bits end at 4 GiB).  Each case
 * is worked out by hand from the format's numbers.
 */
#include "helpers.h"

#include <string.h>

#include "mm/pgtable.h"

static struct machine *boot_arch(const char *arch, uint64_t memory)
{
	struct mm_config c = config_mem(memory);
	c.arch = arch_by_name(arch);
	assert_non_null(c.arch);
	c.min_free_kbytes = 0;
	return boot(&c);
}

static uint32_t new_mm(struct machine *m)
{
	uint32_t id = 0;
	assert_int_equal(pt_mm_alloc(m, &id), MM_OK);
	return id;
}

static void map_ok(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned order)
{
	if (pt_map(m, mm, va, pfn, order, PROT_R | PROT_W) != MM_OK)
		fail_msg("map 0x%llx -> pfn 0x%x: %s", (unsigned long long)va, pfn, m->error);
	assert_machine_ok(m);
}

static void map_refused(struct machine *m, uint32_t mm, uint64_t va, uint32_t pfn, unsigned order,
			const char *message)
{
	uint64_t before = machine_hash(m);
	assert_int_equal(pt_map(m, mm, va, pfn, order, PROT_R), MM_EINVAL);
	assert_string_equal(m->error, message);
	assert_true(machine_hash(m) == before);
}

/* x86_64: bits 63..48 copy bit 47; la57: bits 63..57 copy bit 56. */
static void test_canonical_message_names_the_sign_bit(void **state)
{
	(void)state;
	struct machine *m = boot_arch("x86_64", 4 * MiB);
	uint32_t mm = new_mm(m);
	map_refused(m, mm, 0x800000000000ull, 1, 0,
		    "map: 0x800000000000 is not canonical: on x86_64 bits 63..48 must all equal bit 47 (0 or 1)");
	map_refused(m, mm, 0xffff7fffffff0000ull, 1, 0,
		    "map: 0xffff7fffffff0000 is not canonical: on x86_64 bits 63..48 must all equal bit 47 (0 or 1)");
	/* the last user page and the first kernel page are canonical */
	map_ok(m, mm, 0x00007ffffffff000ull, 1, 0);
	map_ok(m, mm, 0xffff800000000000ull, 2, 0);
	machine_free(m);

	m = boot_arch("x86_64_la57", 4 * MiB);
	mm = new_mm(m);
	map_refused(m, mm, 0x0100000000000000ull, 1, 0,
		    "map: 0x100000000000000 is not canonical: on x86_64_la57 bits 63..57 must all equal bit 56 (0 or 1)");
	map_ok(m, mm, 0x00fffffffffff000ull, 1, 0);
	machine_free(m);

	/* 32-bit x86 has no sign extension: anything above 4G does not fit */
	m = boot_arch("x86", 4 * MiB);
	mm = new_mm(m);
	map_refused(m, mm, 0x100000000ull, 1, 0, "map: 0x100000000 does not fit in the 32-bit virtual addresses of x86");
	map_ok(m, mm, 0xfffff000ull, 1, 0);
	machine_free(m);
}

/* A 2M page needs a frame aligned to 512 pages, no more. */
static void test_huge_frame_alignment(void **state)
{
	(void)state;
	struct machine *m = boot_arch("x86_64", 8 * MiB);
	uint32_t mm = new_mm(m);
	map_refused(m, mm, 0x200000, 0x100, 9, "map: pfn 0x100 is not the start of an order-9 block in memory (pfns 0..0x7ff)");
	map_ok(m, mm, 0x200000, 0x200, 9); /* aligned to order 9, not to 10 */
	/* the last 2M block of memory ends at the last frame */
	map_ok(m, mm, 0x400000, 0x600, 9);
	map_refused(m, mm, 0x600000, 0x800, 9, "map: pfn 0x800 is not the start of an order-9 block in memory (pfns 0..0x7ff)");
	machine_free(m);
}

/* x86 (no PAE): entries hold 32-bit physical addresses.  4G + 4M of
 * memory: pfn 0xfffff is the last frame an entry can name. */
static void test_x86_entries_end_at_4g(void **state)
{
	(void)state;
	struct machine *m = boot_arch("x86", 4 * GiB + 4 * MiB);
	uint32_t mm = new_mm(m);
	map_ok(m, mm, 0x1000, 0xfffff, 0);
	map_refused(m, mm, 0x2000, 0x100000, 0,
		    "map: pfn 0x100000 is beyond what a x86 entry can address (32 physical bits)");
	/* a 4M page (order 10) ending exactly at 4G */
	map_ok(m, mm, 0x400000, 0xffc00, 10);
	map_refused(m, mm, 0x800000, 0x100000, 10,
		    "map: pfn 0x100000 is beyond what a x86 entry can address (32 physical bits)");
	machine_free(m);
}

/* The leaf entry for va (a 4K page: the last level). */
static uint64_t leaf_of(const struct machine *m, uint32_t mm, uint64_t va)
{
	const struct pt_format *f = &m->pt->fmt;
	uint32_t t = pt_mm(m, mm)->pgd;
	for (unsigned d = 0; d + 1 < f->depth; d++)
		t = pt_children(m, t)[pt_index(f, va, d)];
	return pt_entries(m, t)[pt_index(f, va, f->depth - 1)];
}

/* A toy entry keeps x86's flag bits below bit 8 and the pfn from bit 8:
 * a 4-byte entry holds 24 pfn bits (28 physical bits with 16-byte pages),
 * has no global bit even for a kernel mapping, and reads as pfn then flags. */
static void test_toy_entry_layout(void **state)
{
	(void)state;
	struct mm_config c = config_mem(16 * MiB + 64 * KiB);
	const unsigned bits[] = {2, 2};
	char why[128];
	assert_true(pt_format_toy(&c.toy, "tiny", bits, 2, 4, 4, why, sizeof why));
	assert_int_equal(c.toy.pfn_shift, 8);
	assert_int_equal(c.toy.pa_bits, 28);
	c.page_size = 16;
	c.min_free_kbytes = 0;
	struct machine *m = boot(&c);
	assert_int_equal(m->nr_frames, 0x101000);
	uint32_t mm = new_mm(m);
	map_ok(m, mm, 0x10, 0x100fff, 0);
	uint64_t e = leaf_of(m, mm, 0x10);
	/* a kernel-style r/w map: present and writable, no user bit; 0x100fff03 */
	assert_int_equal(e & 0xff, X86_PRESENT | X86_RW);
	assert_int_equal(e >> 8, 0x100fff);
	assert_int_equal(pte_pfn(m, e), 0x100fff);
	assert_false(e & ~0xffffffffull);
	assert_false(pte_global(m, pt_kernel_leaf(m, 5)));
	assert_int_equal(pt_kernel_leaf(m, 5) >> 8, 5);
	machine_free(m);
}


static void access_ok(struct machine *m, uint32_t mm, uint64_t va, enum pt_access acc)
{
	struct pt_result r;
	assert_int_equal(pt_translate(m, mm, va, acc, false, &r), MM_OK);
	assert_int_equal(r.fault, PTF_NONE);
}

/*
 * arm64 keeps a writable page read-only (AP[2]) until its first write, when
 * hardware dirty management clears AP[2]; protect (pte_modify) keeps that
 * state: a clean page stays clean, a dirty one dirty, and a page made
 * read-only loses DBM and gets AP[2] back.
 */
static void test_arm64_protect_keeps_the_dirty_state(void **state)
{
	(void)state;
	struct machine *m = boot_arch("arm64", 4 * MiB);
	uint32_t mm = new_mm(m);
	const uint64_t va = 0x1000;
	map_ok(m, mm, va, 1, 0);
	access_ok(m, mm, va, ACC_READ);
	uint64_t e = leaf_of(m, mm, va);
	assert_true((e & (ARM_AF | ARM_DBM | ARM_RDONLY)) == (ARM_AF | ARM_DBM | ARM_RDONLY));
	/* clean and writable, protected writable: still clean */
	assert_int_equal(pt_protect(m, mm, va, PROT_R | PROT_W), MM_OK);
	assert_true(leaf_of(m, mm, va) == e);
	access_ok(m, mm, va, ACC_WRITE);
	e = leaf_of(m, mm, va);
	assert_true((e & (ARM_AF | ARM_DBM | ARM_RDONLY)) == (ARM_AF | ARM_DBM));
	/* dirty, protected writable (and executable): still dirty */
	assert_int_equal(pt_protect(m, mm, va, PROT_R | PROT_W | PROT_X), MM_OK);
	assert_true((leaf_of(m, mm, va) & (ARM_AF | ARM_DBM | ARM_RDONLY | ARM_PXN)) == (ARM_AF | ARM_DBM));
	/* made read-only: no DBM, AP[2] set, accessed kept */
	assert_int_equal(pt_protect(m, mm, va, PROT_R), MM_OK);
	assert_true((leaf_of(m, mm, va) & (ARM_AF | ARM_DBM | ARM_RDONLY)) == (ARM_AF | ARM_RDONLY));
	assert_machine_ok(m);
	machine_free(m);
}

/* unmap and protect inside a huge page name the page's start. */
static void test_inside_a_huge_page_names_its_start(void **state)
{
	(void)state;
	struct machine *m = boot_arch("x86_64", 8 * MiB);
	uint32_t mm = new_mm(m);
	map_ok(m, mm, 0x40200000, 0x200, 9);
	uint64_t before = machine_hash(m);
	assert_int_equal(pt_unmap(m, mm, 0x40345000), MM_EINVAL);
	assert_string_equal(m->error, "unmap: 0x40345000 is inside the 2M page mapped at 0x40200000: give its start");
	assert_int_equal(pt_protect(m, mm, 0x40201000, PROT_R), MM_EINVAL);
	assert_string_equal(m->error, "protect: 0x40201000 is inside the 2M page mapped at 0x40200000: give its start");
	assert_true(machine_hash(m) == before);
	assert_int_equal(pt_unmap(m, mm, 0x40200000), MM_OK);
	assert_machine_ok(m);
	machine_free(m);
}

/*
 * What an entry pointing to a lower table holds: x86's _PAGE_TABLE
 * (present, RW, user, accessed, dirty: 0x67) at every level, except PAE's
 * four top entries (PDPTEs), which take the present bit alone, as
 * pud_populate writes them; arm64's table descriptor is valid|table (0x3).
 */
static void assert_table_entries(const char *arch, const uint64_t *low_bits)
{
	struct machine *m = boot_arch(arch, 4 * MiB);
	uint32_t mm = new_mm(m);
	const uint64_t va = 0x400000;
	map_ok(m, mm, va, 1, 0);
	const struct pt_format *f = &m->pt->fmt;
	uint32_t t = pt_mm(m, mm)->pgd;
	for (unsigned d = 0; d + 1 < f->depth; d++) {
		uint32_t i = pt_index(f, va, d);
		uint32_t child = pt_children(m, t)[i];
		uint64_t want = (uint64_t)pt_table(m, child)->pfn << 12 | low_bits[d];
		if (pt_entries(m, t)[i] != want)
			fail_msg("%s depth %u: entry 0x%llx, want 0x%llx", arch, d, (unsigned long long)pt_entries(m, t)[i],
				 (unsigned long long)want);
		t = child;
	}
	machine_free(m);
}

static void test_table_entry_bits(void **state)
{
	(void)state;
	assert_table_entries("x86", (const uint64_t[]){0x67});
	assert_table_entries("x86_pae", (const uint64_t[]){0x1, 0x67});
	assert_table_entries("x86_64", (const uint64_t[]){0x67, 0x67, 0x67});
	assert_table_entries("x86_64_la57", (const uint64_t[]){0x67, 0x67, 0x67, 0x67});
	assert_table_entries("arm64", (const uint64_t[]){0x3, 0x3});
}

/* map over a table names the level of the table in the way. */
static void test_huge_map_over_a_table_names_its_level(void **state)
{
	(void)state;
	struct machine *m = boot_arch("x86_64", 8 * MiB);
	uint32_t mm = new_mm(m);
	map_ok(m, mm, 0x401000, 1, 0);
	map_refused(m, mm, 0x400000, 0x200, 9,
		    "map: pages inside the 2M at 0x400000 are mapped through a PTE table: unmap them first");
	machine_free(m);
}

/* unmap and protect check the mm, the address and the prot before anything. */
static void test_unmap_and_protect_check_their_input(void **state)
{
	(void)state;
	struct machine *m = boot_arch("x86_64", 4 * MiB);
	uint32_t mm = new_mm(m);
	map_ok(m, mm, 0x1000, 1, 0);
	uint64_t before = machine_hash(m);
	assert_int_equal(pt_unmap(m, 9, 0x1000), MM_EINVAL);
	assert_string_equal(m->error, "unmap: mm 9 does not exist");
	assert_int_equal(pt_protect(m, 9, 0x1000, PROT_R), MM_EINVAL);
	assert_string_equal(m->error, "protect: mm 9 does not exist");
	assert_int_equal(pt_unmap(m, mm, 0x800000000000ull), MM_EINVAL);
	assert_string_equal(m->error,
			    "unmap: 0x800000000000 is not canonical: on x86_64 bits 63..48 must all equal bit 47 (0 or 1)");
	assert_int_equal(pt_protect(m, mm, 0x800000001000ull, PROT_R), MM_EINVAL);
	assert_string_equal(m->error,
			    "protect: 0x800000001000 is not canonical: on x86_64 bits 63..48 must all equal bit 47 (0 or 1)");
	assert_int_equal(pt_protect(m, mm, 0x1000, PROT_W), MM_EINVAL);
	assert_string_equal(m->error, "protect: prot must include r");
	assert_int_equal(pt_protect(m, mm, 0x1000, PROT_R | 16), MM_EINVAL);
	assert_string_equal(m->error, "protect: prot must include r");
	assert_true(machine_hash(m) == before);
	machine_free(m);
}

/* A freed table's slot goes on its depth's free list and is the one the
 * next table of that depth takes: map and unmap for ever in bounded room. */
static void test_freed_table_slots_are_reused(void **state)
{
	(void)state;
	struct machine *m = boot_arch("x86_64", 4 * MiB);
	uint32_t mm = new_mm(m);
	map_ok(m, mm, 0x1000, 1, 0);
	assert_int_equal(pt_unmap(m, mm, 0x1000), MM_OK);
	uint32_t used = m->pt->arena.used;
	for (int i = 0; i < 100; i++) {
		map_ok(m, mm, 0x1000 + ((uint64_t)i << 30), 1, 0);
		assert_int_equal(pt_unmap(m, mm, 0x1000 + ((uint64_t)i << 30)), MM_OK);
	}
	assert_int_equal(m->pt->arena.used, used);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_huge_map_over_a_table_names_its_level),
	cmocka_unit_test(test_unmap_and_protect_check_their_input),
	cmocka_unit_test(test_freed_table_slots_are_reused),
	cmocka_unit_test(test_table_entry_bits),
	cmocka_unit_test(test_arm64_protect_keeps_the_dirty_state),
	cmocka_unit_test(test_inside_a_huge_page_names_its_start),
	cmocka_unit_test(test_canonical_message_names_the_sign_bit),
	cmocka_unit_test(test_huge_frame_alignment),
	cmocka_unit_test(test_x86_entries_end_at_4g),
	cmocka_unit_test(test_toy_entry_layout),
};

int main(void)
{
	return cmocka_run_group_tests_name("rules_pgtable", tests, NULL, NULL);
}
