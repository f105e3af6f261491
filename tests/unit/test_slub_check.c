/*
 * src/mm/slub_check.c fires: for each invariant, a valid slab state with
 * one cell corrupted (or, where an invariant needs it, a slab dropped the
 * way a bug would drop it), and check_slub must name that invariant.
 *
 * The fixture: cache "t" of 512-byte objects (8 per order-0 slab) with
 * slabs A and B on the partial list (one free object each), C on the full
 * list, D the CPU slab (one object); a large kmalloc L; a kmalloc-64 object.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "mm/slub.h"

struct fx {
	struct machine *m;
	struct kmem_cache *c;
	uint32_t cache, a, b, cc, d; /* slab records */
	uint32_t large;              /* kmalloc_large record */
	uint32_t a_free, a_used;     /* an object index of A that is free, one allocated */
	uint32_t free_pfn;           /* the head of a free buddy block */
};

static struct fx setup(void)
{
	struct mm_config cfg = config_mem(16 * MiB);
	struct fx f = {.m = boot(&cfg)};
	struct machine *m = f.m;
	struct kmem_cache_args args = {.min_partial = 5, .cpu_partial = 0};
	assert_int_equal(kmem_cache_create_args(m, "t", 512, &args, &f.cache), MM_OK);
	f.c = cache_at(m, f.cache);
	uint32_t s[25], i[25];
	for (int n = 0; n < 25; n++)
		assert_int_equal(kmem_cache_alloc(m, f.cache, &s[n], &i[n]), MM_OK);
	assert_int_equal(kmem_cache_free(m, f.cache, s[2], i[2]), MM_OK);  /* A: full -> partial */
	assert_int_equal(kmem_cache_free(m, f.cache, s[10], i[10]), MM_OK); /* B */
	f.a = s[0], f.b = s[8], f.cc = s[16], f.d = s[24];
	f.a_free = i[2], f.a_used = i[3];
	assert_int_equal(f.c->partial, f.a);
	assert_int_equal(f.c->partial_tail, f.b);
	assert_int_equal(f.c->full, f.cc);
	assert_int_equal(f.c->cpu_slab, f.d);
	struct kobj o;
	assert_int_equal(kmalloc(m, 8193, GFP_KERNEL, &o), MM_OK);
	f.large = o.rec;
	assert_int_equal(kmalloc(m, 64, GFP_KERNEL, &o), MM_OK);
	for (uint32_t p = 0; p < m->nr_frames; p++)
		if (frame_state(&m->frames[p]) == FS_FREE) {
			f.free_pfn = p;
			break;
		}
	assert_true(f.free_pfn > 0);
	assert_machine_ok(m);
	return f;
}

/* check_slub fails and its message contains `want`. */
static void assert_fires(struct fx *f, const char *want)
{
	char why[256] = "";
	assert_int_equal(check_slub(f->m, why, sizeof why), -1);
	if (!strstr(why, want))
		fail_msg("the checker said \"%s\", not \"%s\"", why, want);
	machine_free(f->m);
}

#define CASE(name, want, ...)                                                                      \
	static void test_##name(void **state)                                                      \
	{                                                                                          \
		(void)state;                                                                       \
		struct fx f = setup();                                                             \
		struct machine *m = f.m;                                                           \
		(void)m;                                                                           \
		__VA_ARGS__;                                                                       \
		assert_fires(&f, want);                                                            \
	}

/* check_slab */
CASE(slab_on_wrong_list, "is on its partial list but records cache t, list full", slab_at(m, f.a)->list = SL_FULL)
CASE(slab_head_not_slab, "its head frame is not an order-0 slab frame",
     m->frames[slab_at(m, f.a)->pfn].info = frame_info(FS_ALLOC, 0))
CASE(two_slabs_one_pfn, "the pfn index names another slab there", slab_at(m, f.b)->pfn = slab_at(m, f.a)->pfn)
CASE(full_slab_with_free_object, "on the full (debug) list has 7 of 8 objects in use", slab_at(m, f.cc)->inuse = 7)
CASE(freelist_outside, "the freelist points outside the slab", slab_at(m, f.a)->freelist = 1000)
CASE(allocated_on_freelist, "allocated object 3 is on the freelist", slab_at(m, f.a)->freelist = f.a_used)
CASE(freelist_loop, "the freelist is longer than its 1 free objects",
     slab_fp(slab_at(m, f.a))[f.a_free] = f.a_free)
CASE(freelist_short, "0 objects on the freelist, 1 free", slab_at(m, f.a)->freelist = OBJ_NONE)
CASE(inuse_vs_stamps, "inuse 7 but 6 objects are allocated", slab_obj_born(slab_at(m, f.a))[f.a_used] = 0)
/* check_list */
CASE(list_longer_than_count, "the partial list is longer than its count 1", f.c->nr_partial = 1)
CASE(wrong_prev_link, "has a wrong prev link", slab_at(m, f.b)->prev = 0)
CASE(wrong_tail, "the partial list has 2 slabs ending at", f.c->partial_tail = f.a)
/* check_slub: the cache */
CASE(destroyed_cache_listed, "cache t is on the cache list but destroyed", f.c->alive = 0)
CASE(counters, "counters say 4 slabs, 32 objects, 24 in use", f.c->inuse = 24)
/* check_large */
CASE(large_list_loops, "the large kmalloc list loops", large_at(m, f.large)->next = f.large)
CASE(large_not_kmalloc_frame, "not a live order-2 kmalloc block",
     m->frames[large_at(m, f.large)->pfn].info = frame_info(FS_ALLOC, 2))
CASE(large_not_indexed, "the pfn index does not name it", m->slub->pfn_owner[large_at(m, f.large)->pfn] = 0)
/* check_frames: the reverse direction */
CASE(slab_frame_without_slab, "is a slab frame but no slab starts there",
     m->frames[f.free_pfn].info = frame_info(FS_SLAB, frame_order(&m->frames[f.free_pfn])))
CASE(kmalloc_frame_without_large, "is a kmalloc frame but no live large kmalloc starts there",
     m->frames[f.free_pfn].info = frame_info(FS_KMALLOC, frame_order(&m->frames[f.free_pfn])))
CASE(index_outside_records, "the pfn index points outside the slab records",
     m->slub->pfn_owner[f.free_pfn] = m->slub->arena.used + 4)
CASE(index_names_slab_elsewhere, "the pfn index names slab", m->slub->pfn_owner[f.free_pfn] = f.a)
CASE(large_dropped_from_list, "the pfn index holds 5 slabs and 1 large kmallocs; the lists 5 and 0",
     slub_root(m)->large = large_at(m, f.large)->next)

/* The CPU's partial list: cache "p" (8 per slab, cpu_partial on) with one
 * slab there after a free into a full slab. */
static struct fx setup_cpu_partial(void)
{
	struct fx f = setup();
	uint32_t s[9], i[9];
	struct kmem_cache_args args = {.min_partial = -1, .cpu_partial = -1};
	assert_int_equal(kmem_cache_create_args(f.m, "p", 512, &args, &f.cache), MM_OK);
	f.c = cache_at(f.m, f.cache);
	for (int n = 0; n < 9; n++)
		assert_int_equal(kmem_cache_alloc(f.m, f.cache, &s[n], &i[n]), MM_OK);
	assert_int_equal(kmem_cache_free(f.m, f.cache, s[0], i[0]), MM_OK);
	assert_int_equal(f.c->cpu_partial, s[0]);
	f.a = s[0];
	assert_machine_ok(f.m);
	return f;
}

static void test_cpu_partial_over_limit(void **state)
{
	(void)state;
	struct fx f = setup_cpu_partial();
	f.c->cpu_partial_slabs = 0;
	assert_fires(&f, "p: 1 slabs on the CPU's partial list, more than cpu_partial_slabs 0");
}

static void test_full_slab_on_cpu_partial(void **state)
{
	(void)state;
	struct fx f = setup_cpu_partial();
	slab_at(f.m, f.a)->inuse = 8;
	assert_fires(&f, "on the cpu partial list has 8 of 8 objects in use");
}

/* A slab dropped from its lists and counters without its pages going back
 * to the buddy (the bug --check used to miss). */
static void test_slab_dropped_keeps_its_frames(void **state)
{
	(void)state;
	struct fx f = setup();
	struct kmem_cache *c = f.c;
	struct slab *s = slab_at(f.m, f.cc);
	c->full = c->full_tail = c->nr_full = 0;
	c->nr_slabs--;
	c->total_objects -= s->objects;
	c->inuse -= s->inuse;
	s->list = SL_NONE;
	assert_fires(&f, "which is not a listed slab there");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_slab_on_wrong_list),
	cmocka_unit_test(test_slab_head_not_slab),
	cmocka_unit_test(test_two_slabs_one_pfn),
	cmocka_unit_test(test_full_slab_with_free_object),
	cmocka_unit_test(test_freelist_outside),
	cmocka_unit_test(test_allocated_on_freelist),
	cmocka_unit_test(test_freelist_loop),
	cmocka_unit_test(test_freelist_short),
	cmocka_unit_test(test_inuse_vs_stamps),
	cmocka_unit_test(test_list_longer_than_count),
	cmocka_unit_test(test_wrong_prev_link),
	cmocka_unit_test(test_wrong_tail),
	cmocka_unit_test(test_destroyed_cache_listed),
	cmocka_unit_test(test_counters),
	cmocka_unit_test(test_large_list_loops),
	cmocka_unit_test(test_large_not_kmalloc_frame),
	cmocka_unit_test(test_large_not_indexed),
	cmocka_unit_test(test_slab_frame_without_slab),
	cmocka_unit_test(test_kmalloc_frame_without_large),
	cmocka_unit_test(test_index_outside_records),
	cmocka_unit_test(test_index_names_slab_elsewhere),
	cmocka_unit_test(test_large_dropped_from_list),
	cmocka_unit_test(test_slab_dropped_keeps_its_frames),
	cmocka_unit_test(test_cpu_partial_over_limit),
	cmocka_unit_test(test_full_slab_on_cpu_partial),
};

int main(void)
{
	return cmocka_run_group_tests_name("slub_check", tests, NULL, NULL);
}
