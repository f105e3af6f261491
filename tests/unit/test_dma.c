/*
 * src/mm/dma.c: coherent DMA buffers from the zone the device's mask
 * reaches, the retry when a block lies above the mask, and ioremap's
 * VM_IOREMAP areas (no pages, RAM refused), worked out by hand.
 */
#include <string.h>

#include "helpers.h"
#include "mm/dma.h"
#include "mm/proc.h"
#include "mm/vmalloc.h"

/* DMA32 memory only above 2G: [1M, 16M) in DMA, [2G, 3G) in DMA32, a
 * device's registers at 0xfebd0000 and a reserved range at 0xfec00000. */
static struct machine *two_gig_gap(void)
{
	struct mm_config c = config_textbook(0);
	c.min_free_kbytes = 0;
	c.nr_e820 = 4;
	c.e820[0] = (struct e820_entry){1 * MiB, 15 * MiB, E820_TYPE_RAM, ""};
	c.e820[1] = (struct e820_entry){2 * GiB, 1 * GiB, E820_TYPE_RAM, ""};
	c.e820[2] = (struct e820_entry){0xfebd0000, 0x1000, E820_TYPE_DEVICE, "e1000"};
	c.e820[3] = (struct e820_entry){0xfec00000, 0x1000, E820_TYPE_RESERVED, ""};
	struct machine *m = boot(&c);
	machine_journal(m, true);
	return m;
}

static void test_mask_picks_the_zone(void **state)
{
	(void)state;
	struct machine *m = two_gig_gap();
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	struct dma_buf b;
	/* 12K: order 2; a 24-bit mask reaches only ZONE_DMA */
	assert_int_equal(dma_alloc_coherent(m, 12 * KiB, 0xffffff, &b), MM_OK);
	assert_int_equal(b.order, 2);
	assert_int_equal(b.pfn, 0x100); /* the lowest free block: DMA starts at 1M */
	assert_int_equal(b.dma_handle, 0x100000);
	assert_event(&r, 0, "dma_alloc", "size=12288 mask=0xffffff gfp=GFP_KERNEL|GFP_DMA order=2");
	/* a 32-bit mask: GFP_DMA32, and DMA32's memory starts at 2G */
	assert_int_equal(dma_alloc_coherent(m, 4096, 0xffffffff, &b), MM_OK);
	assert_int_equal(b.pfn, 0x80000);
	/* 31 bits: DMA32 is chosen, its block at 2G is above the mask, so it
	 * goes back and the retry takes GFP_DMA */
	recorder_clear(&r);
	assert_int_equal(dma_alloc_coherent(m, 4096, 0x7fffffff, &b), MM_OK);
	assert_true(b.pfn < 0x1000);
	size_t second = find_kind(&r, 1, EV_DMA_ALLOC);
	assert_true(second < r.n);
	assert_event(&r, second, "dma_alloc", "gfp=GFP_KERNEL|GFP_DMA");
	assert_true(find_kind(&r, 0, EV_FREE) < second);
	assert_int_equal(dma_free_coherent(m, b.pfn, 4096), MM_OK);
	recorder_free(&r);
	machine_free(m);
}

static void test_dma_refusals(void **state)
{
	(void)state;
	struct machine *m = two_gig_gap();
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	struct snapshot s = snap(m, &r);
	struct dma_buf b;
	assert_int_equal(dma_alloc_coherent(m, 0, 0xffffffff, &b), MM_EINVAL);
	assert_string_equal(m->error, "dma_alloc_coherent: a size of 0");
	assert_int_equal(dma_free_coherent(m, 0x100, 4096), MM_EINVAL);
	assert_int_equal(ioremap(m, 0, 0, &s.hash), MM_EINVAL);
	assert_unchanged(m, &r, &s);
	recorder_free(&r);
	machine_free(m);
}

static void test_ioremap(void **state)
{
	(void)state;
	struct machine *m = two_gig_gap();
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	struct snapshot s = snap(m, &r);
	uint64_t a, v;
	/* RAM in use: refused, as __ioremap_check_ram refuses it */
	assert_int_equal(ioremap(m, 2 * MiB, 4096, &a), MM_EINVAL);
	assert_string_equal(m->error, "ioremap on RAM at 0x200000 - 0x200fff: pfn 0x200 is free memory the kernel owns");
	assert_unchanged(m, &r, &s);
	/* a register block inside a page: the area covers the page, the
	 * address keeps the offset; a guard page follows */
	assert_int_equal(ioremap(m, 0xfebd0010, 0x100, &a), MM_OK);
	assert_int_equal(a & 0xfff, 0x10);
	uint32_t off = vmalloc_find(m, a & ~0xfffull, "test");
	const struct vmap_area *va = vmap_at(m, off);
	assert_int_equal(va->phys_addr, 0xfebd0000);
	assert_int_equal(va->nr_pages, 0);
	assert_int_equal(va_size(va), 8192);
	struct strbuf b = {0};
	mm_proc(m, "vmallocinfo", &b);
	assert_non_null(strstr(b.s, " 8192 phys=0x00000000febd0000 ioremap\n"));
	strbuf_free(&b);
	/* an ordinary reserved range (firmware) may be mapped too */
	assert_int_equal(ioremap(m, 0xfec00000, 0x1000, &v), MM_OK);
	/* each unmapped its own way */
	assert_int_equal(vfree(m, v), MM_EINVAL);
	assert_string_equal(m->error, "vfree: 0xffffc90000002000 is an ioremap mapping: iounmap it");
	assert_int_equal(iounmap(m, a), MM_OK);
	assert_int_equal(iounmap(m, v), MM_OK);
	assert_int_equal(iounmap(m, v), MM_EINVAL); /* freed, lazily: a double free */
	recorder_free(&r);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_picks_the_zone),
		cmocka_unit_test(test_dma_refusals),
		cmocka_unit_test(test_ioremap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
