/*
 * src/mm/check.c: the invariant checker passes on every machine the model
 * builds, and catches each kind of corruption it promises to catch, naming
 * it.  Each case corrupts one cell of a good machine, expects the message,
 * then restores the cell and expects the checker to pass again (so the
 * failure was that cell's, not something else's).
 */
#include <string.h>

#include "helpers.h"

/* 64 frames (256K, zone DMA = id 0), 11 orders.  With `allocs` order-0
 * allocations made: pfns 0..allocs-1. */
static struct machine *small(unsigned allocs)
{
	struct mm_config c = config_mem(256 * KiB);
	c.min_free_kbytes = 0;
	struct machine *m = boot(&c);
	for (unsigned i = 0; i < allocs; i++)
		assert_int_equal(must_alloc(m, 0, GFP_KERNEL), i);
	assert_machine_ok(m);
	return m;
}

static void expect_broken(const struct machine *m, const char *message)
{
	char why[256] = "";
	assert_int_equal(check_machine(m, why, sizeof why), -1);
	assert_string_equal(why, message);
}

/* Corrupt a 32-bit cell, expect the message, restore, expect a pass. */
static void corrupt(struct machine *m, uint32_t *cell, uint32_t value, const char *message)
{
	uint32_t saved = *cell;
	*cell = value;
	expect_broken(m, message);
	*cell = saved;
	assert_machine_ok(m);
}

static struct zone *dma(struct machine *m) { return machine_zone(m, 0, ZONE_DMA); }

/* Fresh: one free order-6 block at 0.  After one allocation: 0 allocated,
 * free blocks 1 (o0), 2 (o1), 4 (o2), 8 (o3), 16 (o4), 32 (o5). */
static void test_passes_on_built_machines(void **state)
{
	(void)state;
	struct machine *m = small(0);
	assert_machine_ok(m);
	machine_free(m);
	m = small(37);
	assert_machine_ok(m);
	machine_free(m);
}

static void test_free_list_counts_and_links(void **state)
{
	(void)state;
	struct machine *m = small(1);
	struct zone *z = dma(m);
	corrupt(m, &z->free_area[5].nr_free, 2, "zone 0 order 5: nr_free is 2, list has 1");
	corrupt(m, &z->free_area[5].nr_free, 0, "zone 0 order 5: free list longer than nr_free 0");
	corrupt(m, &m->frames[32].prev, 16, "zone 0 order 5: pfn 0x20 has a wrong prev link");
	corrupt(m, &z->free_area[5].tail, PFN_NONE, "zone 0 order 5: tail is 0xffffffff, list ends at 0x20");
	/* A head on the list that is not a free block of that order. */
	corrupt(m, &m->frames[32].info, frame_info(FS_ALLOC, 5),
		"zone 0 order 5: pfn 0x20 on the list is not a free order-5 head here");
	corrupt(m, &m->frames[32].info, frame_info(FS_FREE, 4),
		"zone 0 order 5: pfn 0x20 on the list is not a free order-5 head here");
	machine_free(m);

	/* A free head missing from its list: the count of heads disagrees.
	 * (pfn 1's buddy 0 is allocated, so this is no unmerged pair.) */
	m = small(2);
	corrupt(m, &m->frames[1].info, frame_info(FS_FREE, 0), "zone 0 order 0: 1 free heads but nr_free 0");
	machine_free(m);
}

static void test_free_pages_total(void **state)
{
	(void)state;
	struct machine *m = small(1);
	corrupt(m, &dma(m)->free_pages, 64, "zone 0: free_pages 64 but free blocks hold 63");
	machine_free(m);
}

static void test_block_tiling(void **state)
{
	(void)state;
	struct machine *m = small(2);
	/* pfn 0 made a tail: nothing heads it. */
	corrupt(m, &m->frames[0].info, frame_info(FS_TAIL, 0), "pfn 0x0 is a tail with no block head before it");
	/* The allocated pfn 1 claiming order 1 is misaligned. */
	corrupt(m, &m->frames[1].info, frame_info(FS_ALLOC, 1), "block 0x1 order 1 is misaligned or leaves its zone");
	/* Block 0 claiming order 1 swallows the head at pfn 1. */
	corrupt(m, &m->frames[0].info, frame_info(FS_ALLOC, 1), "pfn 0x1 inside block 0x0 order 1 is not a tail");
	/* Block 0 claiming order 7 (128 frames) would leave the 64-frame zone. */
	corrupt(m, &m->frames[0].info, frame_info(FS_ALLOC, 7), "block 0x0 order 7 is misaligned or leaves its zone");
	machine_free(m);
}

/*
 * Two free buddies that did not merge.  Rewrite the fresh machine's single
 * order-6 block as two order-5 halves, both correctly listed and counted.
 */
static void test_unmerged_buddies(void **state)
{
	(void)state;
	struct machine *m = small(0);
	struct zone *z = dma(m);
	m->frames[0].info = frame_info(FS_FREE, 5);
	m->frames[32].info = frame_info(FS_FREE, 5);
	m->frames[0].prev = PFN_NONE;
	m->frames[0].next = 32;
	m->frames[32].prev = 0;
	m->frames[32].next = PFN_NONE;
	z->free_area[5] = (struct free_area){.head = 0, .tail = 32, .nr_free = 2};
	z->free_area[6] = (struct free_area){.head = PFN_NONE, .tail = PFN_NONE, .nr_free = 0};
	expect_broken(m, "free buddies 0x0 and 0x20 of order 5 did not merge");
	machine_free(m);
}

static void test_zone_counters_and_marks(void **state)
{
	(void)state;
	struct machine *m = small(1);
	struct zone *z = dma(m);
	corrupt(m, &z->managed, 65, "zone 0: managed 65, present 64, spanned 64 out of order");
	corrupt(m, &z->managed, 63, "zone 0: managed 63 but 0 frames are reserved and 0 still memblock's of 64");
	corrupt(m, &z->wmark[WMARK_MIN], z->wmark[WMARK_LOW] + 1, "zone 0: watermarks out of order");
	corrupt(m, &z->wmark[WMARK_HIGH], z->wmark[WMARK_PROMO] + 1, "zone 0: watermarks out of order");
	corrupt(m, &z->free_area[12].nr_free, 1, "zone 0: a free block of order 12, beyond max_order");
	machine_free(m);
}

/* Reserved frames are what makes managed smaller than present. */
static void test_reserved_accounting(void **state)
{
	(void)state;
	struct mm_config c = config_mem(256 * KiB);
	c.reserved = 8 * KiB;
	struct machine *m = boot(&c);
	struct zone *z = dma(m);
	assert_int_equal(z->managed, 62);
	corrupt(m, &m->frames[1].info, frame_info(FS_ALLOC, 0), "zone 0: managed 62 but 1 frames are reserved and 0 still memblock's of 64");
	machine_free(m);
}

/* The message is cut to the buffer, and still NUL-terminated. */
static void test_message_fits_the_buffer(void **state)
{
	(void)state;
	struct machine *m = small(1);
	dma(m)->free_pages++;
	char why[8];
	memset(why, 'x', sizeof why);
	assert_int_equal(check_machine(m, why, sizeof why), -1);
	assert_string_equal(why, "zone 0:");
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_passes_on_built_machines),
	cmocka_unit_test(test_free_list_counts_and_links),
	cmocka_unit_test(test_free_pages_total),
	cmocka_unit_test(test_block_tiling),
	cmocka_unit_test(test_unmerged_buddies),
	cmocka_unit_test(test_zone_counters_and_marks),
	cmocka_unit_test(test_reserved_accounting),
	cmocka_unit_test(test_message_fits_the_buffer),
};

int main(void)
{
	return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
