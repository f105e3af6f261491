/*
 * SLOB (mm/slob.c, 6.3) against layouts worked by hand on a 4 KiB x86_64
 * page: 2-byte units (2048 a page), kmalloc's 8-byte header (minalign).
 */
#include <string.h>

#include "helpers.h"
#include "mm/proc.h"
#include "mm/slab_alloc.h"
#include "mm/slob.h"
#include "mm/strbuf.h"

static struct machine *slob_machine_of(uint64_t memory)
{
	struct mm_config c = config_mem(memory);
	c.slab = SLAB_ALLOCATOR_SLOB;
	return boot(&c);
}

static struct machine *slob_machine(void) { return slob_machine_of(16 << 20); }

static uint64_t page_base(const struct machine *m, const struct kobj *o)
{
	return m->slub->direct_map + ((uint64_t)slob_page_at(m, o->slab)->pfn << m->page_shift);
}

/* kmalloc(100): 108 bytes, 54 units at unit 0, the object after the
 * header; kmalloc(20): 28 bytes = 14 units, first fit at unit 54 would put
 * the object at byte 116: 2 units are cut off to align it to 8 (unit 56). */
static void test_first_fit_positions(void **state)
{
	(void)state;
	struct machine *m = slob_machine();
	struct kobj a, b, c;
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL, &a), MM_OK);
	assert_int_equal(a.index, 0);
	assert_true(slab_obj_addr(m, a.slab, a.index) == page_base(m, &a) + 8);
	assert_int_equal(kmalloc(m, 20, GFP_KERNEL, &b), MM_OK);
	assert_int_equal(b.slab, a.slab);
	assert_int_equal(b.index, 56);
	struct slob_page *p = slob_page_at(m, a.slab);
	assert_int_equal(p->freelist, 54);            /* the 2-unit head cut off */
	assert_int_equal(slob_block_units(m, p, 54), 2);
	assert_int_equal(slob_block_next(m, p, 54), 70); /* then the rest */
	assert_int_equal(p->units, 2048 - 54 - 14); /* the head stays free */
	/* 300 bytes + 8: the medium list, a page of its own */
	assert_int_equal(kmalloc(m, 300, GFP_KERNEL, &c), MM_OK);
	assert_int_not_equal(c.slab, a.slab);
	assert_int_equal(slob_page_at(m, c.slab)->list, SLOB_MEDIUM);
	assert_int_equal(slob_page_at(m, a.slab)->list, SLOB_SMALL);
	assert_machine_ok(m);
	machine_free(m);
}

/* Freeing b merges it with the head before it and the rest after it. */
static void test_merge_on_free(void **state)
{
	(void)state;
	struct machine *m = slob_machine();
	struct kobj a, b;
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL, &a), MM_OK);
	assert_int_equal(kmalloc(m, 20, GFP_KERNEL, &b), MM_OK);
	assert_int_equal(kfree(m, slab_obj_addr(m, b.slab, b.index)), MM_OK);
	struct slob_page *p = slob_page_at(m, a.slab);
	assert_int_equal(p->freelist, 54);
	assert_int_equal(slob_block_units(m, p, 54), 2048 - 54); /* one block to the end */
	assert_int_equal(slob_block_next(m, p, 54), 2048);
	/* the last object freed: the page goes back to the buddy */
	uint32_t pfn = p->pfn;
	assert_int_equal(kfree(m, slab_obj_addr(m, a.slab, a.index)), MM_OK);
	assert_int_equal(frame_state(&m->frames[pfn]), FS_FREE);
	assert_int_equal(slob_root(m)->nr_pages, 0);
	assert_machine_ok(m);
	machine_free(m);
}

/* Three small pages; the one that serves a request becomes the list's head. */
static void test_list_rotation(void **state)
{
	(void)state;
	struct machine *m = slob_machine();
	struct kobj o[48], small;
	/* 240 + 8 bytes: 124 units; 16 fill a page but for 64 units */
	for (int k = 0; k < 48; k++)
		assert_int_equal(kmalloc(m, 240, GFP_KERNEL, &o[k]), MM_OK);
	struct slob_root *r = slob_root(m);
	assert_int_equal(r->nr[SLOB_SMALL], 3);
	assert_int_equal(r->head[SLOB_SMALL], o[47].slab); /* new pages go on the head */
	assert_int_equal(slob_page_at(m, o[0].slab)->units, 64);
	/* the oldest page gets 248 more; a 128-unit request fits only there */
	assert_int_equal(kfree(m, slab_obj_addr(m, o[3].slab, o[3].index)), MM_OK);
	assert_int_equal(kfree(m, slab_obj_addr(m, o[4].slab, o[4].index)), MM_OK); /* merged: 248 units */
	assert_int_equal(kmalloc(m, 247, GFP_KERNEL, &small), MM_OK);
	assert_int_equal(small.slab, o[0].slab);
	assert_int_equal(small.index, o[3].index); /* first fit: the freed block */
	assert_int_equal(r->head[SLOB_SMALL], o[0].slab); /* the list rotated to it */
	assert_machine_ok(m);
	machine_free(m);
}

static void test_bad_input_leaves_state(void **state)
{
	(void)state;
	struct machine *m = slob_machine();
	struct recorder r = {.hash = true};
	recorder_attach(m, &r);
	struct kobj a;
	uint32_t cache;
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL, &a), MM_OK);
	assert_int_equal(kmem_cache_create(m, "obj", 40, 0, -1, &cache), MM_OK);
	uint32_t s, i;
	assert_int_equal(kmem_cache_alloc(m, cache, &s, &i), MM_OK);
	uint64_t addr = slab_obj_addr(m, a.slab, a.index);
	assert_int_equal(kfree(m, addr), MM_OK);
	struct snapshot before = snap(m, &r);
	assert_int_equal(kfree(m, addr), MM_EINVAL);
	assert_non_null(strstr(m->error, "double free"));
	assert_int_equal(kfree(m, addr + 2), MM_EINVAL);
	assert_int_equal(kfree(m, slab_obj_addr(m, s, i)), MM_EINVAL);
	assert_non_null(strstr(m->error, "kmem_cache_free"));
	assert_int_equal(kmem_cache_destroy(m, cache), MM_EINVAL);
	assert_non_null(strstr(m->error, "live object"));
	struct strbuf sb = {0};
	assert_int_equal(mm_proc(m, "slabinfo", &sb), -2);
	assert_non_null(strstr(sb.s, "CONFIG_SLUB_DEBUG"));
	strbuf_free(&sb);
	assert_unchanged(m, &r, &before);
	assert_int_equal(kmem_cache_free(m, cache, s, i), MM_OK);
	assert_int_equal(kmem_cache_free(m, cache, s, i), MM_EINVAL);
	recorder_free(&r);
	machine_free(m);
}

/* Each invariant the checker holds fires when broken. */
static void test_checker_fires(void **state)
{
	(void)state;
	struct machine *m = slob_machine();
	struct kobj a, b;
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL, &a), MM_OK);
	assert_int_equal(kmalloc(m, 300, GFP_KERNEL, &b), MM_OK);
	char why[256];
	struct slob_page *p = slob_page_at(m, a.slab);
	struct slob_root *r = slob_root(m);
	struct { uint32_t *cell, bad; const char *says; } cases[] = {
		{&p->units, 5, "free blocks add up"},
		{&p->list, SLOB_LARGE, "records"},
		{&r->nr[SLOB_SMALL], 2, "count"},
		{&r->nr_pages, 7, "slob page(s) counted"},
		{(uint32_t *)&slob_mem(m, p)[54], 3000, "free block"},
		{&slob_freed(m, p)[0], 0, "covers live unit"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		uint32_t keep = *cases[k].cell;
		if (cases[k].says[0] == 'c' && cases[k].says[1] == 'o' && cases[k].says[2] == 'v') {
			/* a live block over a free one: mark free unit 60 as a live kmalloc */
			cases[k].cell = &slob_born(m, p)[60];
			keep = *cases[k].cell;
			slob_owner(m, p)[60] = SLOB_KMALLOC;
			*cases[k].cell = 1000;
		} else {
			*cases[k].cell = cases[k].bad;
		}
		assert_int_equal(check_slob(m, why, sizeof why), -1);
		if (!strstr(why, cases[k].says))
			fail_msg("case %zu: '%s' does not say '%s'", k, why, cases[k].says);
		*cases[k].cell = keep;
		assert_int_equal(check_slob(m, why, sizeof why), 0);
	}
	machine_free(m);
}

/* A random walk of kmalloc/kfree and a cache's objects, undone and redone. */
static void test_random_walk_undo_redo(void **state)
{
	(void)state;
	struct machine *m = slob_machine_of(2 << 20); /* the checker scans every frame at each step */
	struct recorder r = {.check = true, .hash = true};
	machine_journal(m, true);
	recorder_attach(m, &r);
	uint32_t cache;
	assert_int_equal(kmem_cache_create(m, "walk", 72, 0, -1, &cache), MM_OK);
	uint64_t seed = 42, live[64];
	unsigned n = 0;
	uint32_t start = m->nsteps;
	for (int op = 0; op < 400; op++) {
		uint64_t x = xorshift64(&seed);
		uint32_t from = m->nsteps;
		if (n && (x & 1 || n == 64)) {
			unsigned k = (unsigned)(x >> 8) % n;
			assert_int_equal(kfree(m, live[k]), MM_OK);
			live[k] = live[--n];
		} else if (x & 2) {
			struct kobj o;
			uint64_t size = 1 + (x >> 16) % (x & 4 ? 2000 : 200);
			assert_int_equal(kmalloc(m, size, GFP_KERNEL, &o), MM_OK);
			live[n++] = o.large ? slab_obj_addr(m, o.rec, KOBJ_LARGE) : slab_obj_addr(m, o.slab, o.index);
		} else {
			uint32_t s, i;
			assert_int_equal(kmem_cache_alloc(m, cache, &s, &i), MM_OK);
			assert_int_equal(kmem_cache_free(m, cache, s, i), MM_OK);
		}
		assert_undo_redo(m, &r, from, m->nsteps); /* each operation */
	}
	assert_machine_ok(m);
	assert_undo_redo(m, &r, start, m->nsteps);
	recorder_free(&r);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_fit_positions), cmocka_unit_test(test_merge_on_free),
		cmocka_unit_test(test_list_rotation),       cmocka_unit_test(test_bad_input_leaves_state),
		cmocka_unit_test(test_checker_fires),       cmocka_unit_test(test_random_walk_undo_redo),
	};
	return cmocka_run_group_tests_name("slob", tests, NULL, NULL);
}
