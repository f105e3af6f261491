/* The vmalloc checker (src/mm/vmalloc_check.c) fires: for each of its
 * invariants, one cell of a valid state is corrupted and check_vmalloc must
 * name that invariant; the cell is then restored and the state is valid
 * again. */
#include <string.h>

#include "helpers.h"
#include "mm/pgtable.h"
#include "mm/vmalloc.h"

#define PAGE 4096ull

/* Set a cell, expect the checker's message, put the cell back. */
#define CORRUPT(m, cell, value, msg)                                                                               \
	do {                                                                                                       \
		__typeof__(cell) *cell_ = &(cell);                                                                 \
		__typeof__(cell) old_ = *cell_;                                                                    \
		*cell_ = (value);                                                                                  \
		expect_failure(m, msg);                                                                            \
		*cell_ = old_;                                                                                     \
		assert_machine_ok(m);                                                                              \
	} while (0)

static void expect_failure(const struct machine *m, const char *msg)
{
	char why[256] = "";
	int rc = check_vmalloc(m, why, sizeof why);
	if (rc != -1 || !strstr(why, msg))
		fail_msg("expected the checker to say \"%s\", it said \"%s\" (%d)", msg, why, rc);
}

struct fixture {
	struct machine *m;
	uint32_t small[10]; /* busy one-page areas */
	uint32_t big;       /* 513 pages: its page array is vmalloc'ed */
	uint32_t lazy;      /* lazily freed */
};

static uint32_t area(struct machine *m, uint64_t size)
{
	uint32_t a;
	assert_int_equal(vmalloc(m, size, &a), MM_OK);
	return a;
}

/* Busy areas (one with vpages), a lazy one and a free tree of three areas
 * (a purged hole, the gap above the areas and, split off it, nothing). */
static struct fixture setup(void)
{
	struct fixture f = {.m = boot((struct mm_config[]){config_mem(64 * MiB)})};
	struct machine *m = f.m;
	for (int i = 0; i < 10; i++)
		f.small[i] = area(m, PAGE);
	f.big = area(m, 513 * PAGE);
	uint32_t hole = area(m, 3 * PAGE), after = area(m, PAGE);
	assert_int_equal(vfree(m, vmap_start(vmap_at(m, hole))), MM_OK);
	vm_unmap_aliases(m); /* the hole is a free area below `after` */
	f.lazy = area(m, PAGE);
	assert_int_equal(vfree(m, vmap_start(vmap_at(m, f.lazy))), MM_OK);
	(void)after;
	assert_int_equal(vmalloc_root(m)->free.nr, 2);
	assert_int_equal(vmalloc_root(m)->lazy.nr, 1);
	assert_machine_ok(m);
	return f;
}

static struct vmap_area *va(const struct machine *m, uint32_t off) { return vmap_at(m, off); }

/* A node of the busy tree with a child on the given side. */
static uint32_t with_child(const struct machine *m, bool left)
{
	for (uint32_t o = vmalloc_root(m)->busy.head; o; o = va(m, o)->next)
		if (left ? va(m, o)->left : va(m, o)->right)
			return o;
	fail_msg("no busy node has a %s child", left ? "left" : "right");
	return 0;
}

static void test_tree_invariants(void **state)
{
	(void)state;
	struct fixture f = setup();
	struct machine *m = f.m;
	struct vmalloc_root *r = vmalloc_root(m);
	/* heap order: a parent below its child, on either side */
	uint32_t p = with_child(m, false), x = va(m, p)->right;
	CORRUPT(m, va(m, x)->left, p, "is above a node of higher priority");
	p = with_child(m, true);
	x = va(m, p)->left;
	CORRUPT(m, va(m, x)->right, p, "is above a node of higher priority");
	/* a subtree cut off: the walk meets the list out of step, or short */
	p = with_child(m, true);
	CORRUPT(m, va(m, p)->left, 0, "is out of order or not on the list in its place");
	CORRUPT(m, r->busy.root, 0, "busy tree: holds 0 areas, its list");
	CORRUPT(m, va(m, f.small[3])->state, VA_LAZY, "is in state 3, not 2");
	machine_free(m);
}

static void test_list_invariants(void **state)
{
	(void)state;
	struct fixture f = setup();
	struct machine *m = f.m;
	struct vmalloc_root *r = vmalloc_root(m);
	CORRUPT(m, r->busy.nr, r->busy.nr - 1, "busy list: longer than nr");
	CORRUPT(m, r->busy.nr, r->busy.nr + 1, "busy list: nr");
	CORRUPT(m, va(m, f.small[4])->prev, f.small[1], "has a wrong prev link");
	CORRUPT(m, va(m, f.small[4])->va_start, va(m, f.small[3])->va_start, "is not above the one before it");
	CORRUPT(m, va(m, f.small[4])->va_end, va(m, f.small[4])->va_start, "ends at or below its start");
	CORRUPT(m, r->busy.tail, r->busy.head, "tail is not its last area");
	machine_free(m);
}

static void test_free_tree_invariants(void **state)
{
	(void)state;
	struct fixture f = setup();
	struct machine *m = f.m;
	struct vmalloc_root *r = vmalloc_root(m);
	CORRUPT(m, va(m, r->free.root)->subtree_max_size, va(m, r->free.root)->subtree_max_size + PAGE,
		"has subtree_max_size");
	/* busy areas that overlap, or leave a range in no area */
	CORRUPT(m, va(m, f.small[2])->va_end, va(m, f.small[2])->va_end + PAGE, "is in two areas");
	CORRUPT(m, va(m, f.small[2])->va_end, va(m, f.small[2])->va_end - PAGE, "is in no area");
	/* the last free area stops short of VMALLOC_END */
	uint32_t last = r->free.tail;
	uint64_t end = va(m, last)->va_end;
	va(m, last)->va_end = end - PAGE;
	va_propagate(m, &r->free, last);
	expect_failure(m, "not at the range's end");
	va(m, last)->va_end = end;
	va_propagate(m, &r->free, last);
	assert_machine_ok(m);
	machine_free(m);
}

/* Two free areas that touch: a busy area between them leaves, and the
 * lower free area takes its range without merging with the upper. */
static void test_not_coalesced(void **state)
{
	(void)state;
	struct fixture f = setup();
	struct machine *m = f.m;
	struct vmalloc_root *r = vmalloc_root(m);
	uint32_t low = r->free.head, mid = 0;
	for (uint32_t o = r->busy.head; o; o = va(m, o)->next)
		if (va(m, o)->va_start == va(m, low)->va_end)
			mid = o;
	assert_true(mid != 0);
	uint64_t mid_end = va(m, mid)->va_end;
	bool above_free = false;
	for (uint32_t o = r->free.head; o; o = va(m, o)->next)
		above_free |= va(m, o)->va_start == mid_end;
	assert_true(above_free);
	va_erase(m, &r->busy, mid);
	va(m, low)->va_end = mid_end;
	va_propagate(m, &r->free, low);
	expect_failure(m, "adjacent: not coalesced");
	machine_free(m);
}

static void test_area_invariants(void **state)
{
	(void)state;
	struct fixture f = setup();
	struct machine *m = f.m;
	struct vmalloc_root *r = vmalloc_root(m);
	struct vmap_area *a = va(m, f.small[5]), *big = va(m, f.big);
	CORRUPT(m, a->alive, 0, "is busy but freed");
	CORRUPT(m, a->npages, 2, "not its 2 pages and a guard page");
	CORRUPT(m, a->nr_mapped, 2, "2 mapped, 1 allocated of its 1 pages");
	uint32_t pfn = vmap_pages(m, a)[0];
	CORRUPT(m, m->frames[pfn].info, frame_info(FS_ALLOC, 0), "is not an order-0 vmalloc frame");
	CORRUPT(m, big->pages_area, 0, "is larger than a page but not vmalloc'ed");
	CORRUPT(m, a->pages_area, f.small[6], "fits a page but is vmalloc'ed");
	CORRUPT(m, big->pages_area, f.small[6], "its page array's area is not a busy area large enough");
	CORRUPT(m, va(m, f.lazy)->alive, 1, "is lazily freed but alive");
	CORRUPT(m, r->lazy_nr, r->lazy_nr + 1, "lazy_nr");
	CORRUPT(m, r->nr_pages, r->nr_pages + 1, "nr_pages");
	uint32_t other = must_alloc(m, 0, GFP_KERNEL);
	CORRUPT(m, m->frames[other].info, frame_info(FS_VMALLOC, 0), "frames are in state vmalloc");
	machine_free(m);
}

/* The kernel's entries: a page not mapped (not the last one counted, which
 * may be in transit), a guard page mapped, a lazily freed area mapped. */
static void test_mapping_invariants(void **state)
{
	(void)state;
	struct fixture f = setup();
	struct machine *m = f.m;
	uint32_t kmm = vmalloc_root(m)->kernel_mm;
	const struct vmap_area *big = va(m, f.big);
	assert_int_equal(pt_unmap_kernel(m, kmm, vmap_start(big)), MM_OK);
	expect_failure(m, "page 0: the kernel's entry is 0x0, not 0x8");
	assert_int_equal(pt_map_kernel(m, kmm, vmap_start(big), vmap_pages(m, big)[0]), MM_OK);
	assert_machine_ok(m);
	const struct vmap_area *a = va(m, f.small[7]);
	uint64_t start = vmap_start(a);
	uint32_t pfn = vmap_pages(m, a)[0];
	assert_int_equal(pt_map_kernel(m, kmm, start + PAGE, pfn), MM_OK);
	expect_failure(m, "page 1: the kernel's entry is 0x8");
	assert_int_equal(pt_unmap_kernel(m, kmm, start + PAGE), MM_OK);
	assert_machine_ok(m);
	const struct vmap_area *l = va(m, f.lazy);
	assert_int_equal(pt_map_kernel(m, kmm, vmap_start(l), pfn), MM_OK);
	expect_failure(m, "page 0: the kernel's entry is 0x8");
	assert_int_equal(pt_unmap_kernel(m, kmm, vmap_start(l)), MM_OK);
	assert_machine_ok(m);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_tree_invariants), cmocka_unit_test(test_list_invariants),
	cmocka_unit_test(test_free_tree_invariants), cmocka_unit_test(test_not_coalesced),
	cmocka_unit_test(test_area_invariants), cmocka_unit_test(test_mapping_invariants),
};

int main(void)
{
	return cmocka_run_group_tests_name("vmalloc_check", tests, NULL, NULL);
}
