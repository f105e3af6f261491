/* SLUB and kmalloc (src/mm/slub.c): the order rule against hand-worked
 * values, the kmalloc class table, the alloc/free paths step by step, every
 * error leaving the state alone, and undo/redo over a random walk with the
 * checker after every step. */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "mm/proc.h"
#include "mm/slub.h"
#include "mm/strbuf.h"

/* The machine's cpus and page size; 11 orders. */
static struct machine *boot_cpus(uint64_t memory, unsigned cpus)
{
	struct mm_config c = config_textbook(memory);
	c.cpus = cpus;
	return boot(&c);
}

/* min_objects = 4 * (fls(cpus) + 1) */
static void test_min_objects(void **state)
{
	(void)state;
	assert_int_equal(slub_min_objects(1), 8);
	assert_int_equal(slub_min_objects(2), 12);
	assert_int_equal(slub_min_objects(3), 12);
	assert_int_equal(slub_min_objects(4), 16);
	assert_int_equal(slub_min_objects(8), 20);
	assert_int_equal(slub_min_objects(64), 32);
	assert_int_equal(slub_min_objects(128), 36);
}

/*
 * Hand-worked with 4K pages, slub_max_order 3:
 * - 8 B, 1 cpu: 8 objects need 64 B: order 0, 4096 % 8 = 0.
 * - 192 B, 1 cpu: 8 * 192 = 1536: order 0, waste 64 <= 4096/16.
 * - 192 B, 16 cpus: min 24 objects, 4608 B: order 1, waste 128 <= 512.
 * - 700 B, 1 cpu: 5600 B: order 1, waste 8192 - 11*700 = 492 <= 512.
 * - 700 B, 64 cpus: min 32 (at most 46 fit in order 3), 22400 B: order 3,
 *   waste 568 <= 2048.
 * - 1100 B, 2 cpus: min 12, 13200 B: order 2, waste 16384 - 14*1100 = 984 <= 1024.
 * - 3000 B, 1 cpu: min 8 (10 fit), 24000 B: order 3, waste 2768: over
 *   1/16, 1/8 and 1/4 of 32768; within 1/2.
 * - 4096 B, 1 cpu: 8 fit in order 3: order 3.  8192 B: 4 fit: order 3.
 * - 8 MiB: more than the largest block (4 MiB): no order.
 */
static void test_calculate_order(void **state)
{
	(void)state;
	assert_int_equal(slub_calculate_order(8, 4096, 1, 11), 0);
	assert_int_equal(slub_calculate_order(192, 4096, 1, 11), 0);
	assert_int_equal(slub_calculate_order(192, 4096, 16, 11), 1);
	assert_int_equal(slub_calculate_order(700, 4096, 1, 11), 1);
	assert_int_equal(slub_calculate_order(700, 4096, 64, 11), 3);
	assert_int_equal(slub_calculate_order(1100, 4096, 2, 11), 2);
	assert_int_equal(slub_calculate_order(3000, 4096, 1, 11), 3);
	assert_int_equal(slub_calculate_order(4096, 4096, 1, 11), 3);
	assert_int_equal(slub_calculate_order(8192, 4096, 1, 11), 3);
	assert_int_equal(slub_calculate_order(8u << 20, 4096, 1, 11), -1);
	/* two orders only: slub_max_order is 1; 3000 B wastes 2192 of 8192 */
	assert_int_equal(slub_calculate_order(3000, 4096, 1, 2), 1);
	/* toy 64-byte pages: 8 objects of 8 B fill order 0 */
	assert_int_equal(slub_calculate_order(8, 64, 1, 11), 0);
	/* bigger than slub_max_order allows: get_order(size) */
	assert_int_equal(slub_calculate_order(64 * 1024, 4096, 1, 11), 4);
}

/* A cache with its per-CPU partial list off (cpu_partial 0), so that the
 * node's lists show; test_cpu_partial_paths has it on. */
static uint32_t must_create(struct machine *m, const char *name, uint64_t size, uint64_t align, int min_partial)
{
	uint32_t c;
	struct kmem_cache_args a = {.align = align, .min_partial = min_partial, .cpu_partial = 0};
	assert_int_equal(kmem_cache_create_args(m, name, size, &a, &c), MM_OK);
	return c;
}

/* calculate_sizes: word-rounded, aligned, free pointer in the middle;
 * objects per slab and min_partial. */
static void test_cache_layout(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(64 * MiB, 1);
	struct kmem_cache *c = cache_at(m, must_create(m, "a", 100, 64, -1));
	assert_int_equal(c->object_size, 100);
	assert_int_equal(c->size, 128);
	assert_int_equal(c->align, 64);
	assert_int_equal(c->offset, 48);
	assert_int_equal(c->objects, 32);
	assert_int_equal(c->order, 0);
	assert_int_equal(c->min_partial, 5);
	c = cache_at(m, must_create(m, "b", 700, 0, -1));
	assert_int_equal(c->size, 704); /* 700 rounded to a word */
	assert_int_equal(c->order, 1);
	assert_int_equal(c->objects, 11);
	c = cache_at(m, must_create(m, "big", 1 << 20, 0, -1));
	assert_int_equal(c->min_partial, 10); /* ilog2(1M) / 2 */
	assert_int_equal(c->order, 8);
	assert_int_equal(c->objects, 1);
	/* set_min_partial clamps ilog2(size) / 2 to [MIN_PARTIAL 5, MAX_PARTIAL 10] */
	assert_int_equal(cache_at(m, must_create(m, "4m", 4 << 20, 0, -1))->min_partial, 10); /* 22 / 2 = 11 */
	assert_int_equal(cache_at(m, must_create(m, "1k", 1024, 0, -1))->min_partial, 5);     /* 10 / 2 */
	assert_int_equal(cache_at(m, must_create(m, "4k", 4096, 0, -1))->min_partial, 6);     /* 12 / 2 */
	assert_machine_ok(m);
	machine_free(m);

	m = boot_cpus(64 * MiB, 16);
	c = cache_at(m, must_create(m, "dentry", 192, 0, -1));
	assert_int_equal(c->order, 1);
	assert_int_equal(c->objects, 42);
	machine_free(m);
}

/* kmalloc_index and the kernel's names. */
static void test_kmalloc_classes(void **state)
{
	(void)state;
	static const struct {
		uint64_t size;
		unsigned index;
		const char *name;
	} t[] = {
		{1, 3, "kmalloc-8"},       {8, 3, "kmalloc-8"},      {9, 4, "kmalloc-16"},   {16, 4, "kmalloc-16"},
		{17, 5, "kmalloc-32"},     {33, 6, "kmalloc-64"},    {64, 6, "kmalloc-64"},  {65, 1, "kmalloc-96"},
		{96, 1, "kmalloc-96"},     {97, 7, "kmalloc-128"},   {128, 7, "kmalloc-128"}, {129, 2, "kmalloc-192"},
		{192, 2, "kmalloc-192"},   {193, 8, "kmalloc-256"},  {257, 9, "kmalloc-512"}, {1000, 10, "kmalloc-1k"},
		{1025, 11, "kmalloc-2k"},  {4096, 12, "kmalloc-4k"}, {4097, 13, "kmalloc-8k"}, {8192, 13, "kmalloc-8k"},
	};
	struct machine *m = boot_cpus(64 * MiB, 1);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char name[32];
		assert_int_equal(kmalloc_index(t[i].size), t[i].index);
		kmalloc_class_name(t[i].index, name, sizeof name);
		assert_string_equal(name, t[i].name);
		/* the cache exists and kmalloc lands in it */
		struct kobj o;
		assert_int_equal(kmalloc(m, t[i].size, GFP_KERNEL, &o), MM_OK);
		assert_false(o.large);
		assert_string_equal(cache_name(m, o.cache), t[i].name);
		assert_int_equal(cache_at(m, o.cache)->object_size, kmalloc_class_size(t[i].index));
	}
	assert_int_equal(m->slub->kmalloc_max, 8192);
	/* newest first, as a 6.18 kernel's /proc/slabinfo lists them:
	 * create_kmalloc_caches makes -96 and -192 before the powers of two,
	 * after the boot caches kmem_cache and kmem_cache_node */
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "slabinfo", &b), 0);
	const char *s = b.s;
	assert_memory_equal(s, "slabinfo - version: 2.1\n# name", 30);
	const char *order[] = {"kmalloc-8k ", "kmalloc-4k ", "kmalloc-2k ", "kmalloc-1k ", "kmalloc-512 ",
			       "kmalloc-256 ", "kmalloc-128 ", "kmalloc-64 ", "kmalloc-32 ", "kmalloc-16 ",
			       "kmalloc-8 ", "kmalloc-192 ", "kmalloc-96 ", "kmem_cache_node ", "kmem_cache "};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const char *at = strstr(s, order[i]);
		assert_non_null(at);
		s = at;
	}
	assert_non_null(strstr(b.s, "kmalloc-8k             2      4   8192    4    8 : tunables    0    0    0 : "
				    "slabdata      1      1      0\n"));
	/* the boot caches' geometry as /sys/kernel/slab shows on 6.18 x86_64:
	 * kmem_cache 232 B in 256-byte slots, kmem_cache_node 72 in 128, align 64 */
	assert_non_null(strstr(b.s, "\nkmem_cache_node        0      0    128   32    1 : tunables"));
	assert_non_null(strstr(b.s, "\nkmem_cache             0      0    256   16    1 : tunables"));
	strbuf_free(&b);
	/* create_boot_cache aligns kmalloc caches to the largest power-of-two
	 * divisor of their size (since 6.11): /sys/kernel/slab/kmalloc-96/align */
	assert_int_equal(cache_at(m, slub_root(m)->kmalloc[1])->align, 32);
	assert_int_equal(cache_at(m, slub_root(m)->kmalloc[2])->align, 64);
	assert_int_equal(cache_at(m, slub_root(m)->kmalloc[13])->align, 8192);
	assert_machine_ok(m);
	machine_free(m);
}

/* Above kmalloc-8k: pages straight from the buddy at the size's order. */
static void test_kmalloc_large(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(64 * MiB, 1);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	struct kobj o;
	assert_int_equal(kmalloc(m, 8193, GFP_KERNEL, &o), MM_OK);
	assert_true(o.large);
	struct kmalloc_large *k = large_at(m, o.rec);
	/* the buddy's steps first, then the one that records the block */
	char want[64];
	snprintf(want, sizeof want, "size=8193 order=2 pfn=0x%x wasted=8191", k->pfn);
	assert_event(&r, r.n - 1, "kmalloc_large", want);
	assert_string_equal(ev_kinds[r.ev[0].kind].name, "alloc");
	assert_int_equal(k->order, 2);
	/* large-kmalloc pages are not slab pages (folio_test_slab is false) */
	assert_int_equal(frame_state(&m->frames[k->pfn]), FS_KMALLOC);
	assert_int_equal(large_of_pfn(m, k->pfn), o.rec);
	assert_int_equal(slub_slab_pages(m, false), 4);
	/* free_pages refuses it: it belongs to kmalloc */
	assert_int_equal(free_pages(m, k->pfn, -1), MM_EINVAL);
	uint64_t addr = m->slub->direct_map + ((uint64_t)k->pfn << 12);
	assert_int_equal(kfree(m, addr), MM_OK);
	assert_int_equal(slub_slab_pages(m, false), 0);
	assert_int_equal(kfree(m, addr), MM_EINVAL);
	assert_non_null(strstr(m->error, "double free"));
	/* more than the largest block: nothing, with a reason */
	assert_int_equal(kmalloc(m, 8 * MiB, GFP_KERNEL, &o), MM_NOMEM);
	assert_non_null(strstr(m->reason, "largest block"));
	recorder_free(&r);
	machine_free(m);
}

/*
 * The paths: 512-byte objects, 8 per order-0 slab.  The first allocation
 * makes a slab; the ninth finds the CPU slab full and makes another; a free
 * to the full slab moves it to the partial list; when the CPU slab fills
 * again the partial slab is taken back; emptying a slab with min_partial 0
 * sends it back to the buddy.
 */
static void test_alloc_free_paths(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(64 * MiB, 1);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t c = must_create(m, "obj512", 512, 0, 0);
	struct kmem_cache *k = cache_at(m, c);
	assert_int_equal(k->objects, 8);
	assert_event(&r, 0, "cache_create", "object_size=512 size=512 objects=8 order=0 min_partial=0");
	uint32_t slab[16], idx[16];
	recorder_clear(&r);
	assert_int_equal(kmem_cache_alloc(m, c, &slab[0], &idx[0]), MM_OK);
	size_t ns = find_kind(&r, 0, EV_NEW_SLAB);
	assert_true(ns < r.n);
	assert_kinds(&r, ns, END, "new_slab slab_alloc");
	assert_int_equal(idx[0], 0);
	for (int i = 1; i < 8; i++) {
		assert_int_equal(kmem_cache_alloc(m, c, &slab[i], &idx[i]), MM_OK);
		assert_int_equal(slab[i], slab[0]);
		assert_int_equal(idx[i], (uint32_t)i); /* address order */
	}
	recorder_clear(&r);
	assert_int_equal(kmem_cache_alloc(m, c, &slab[8], &idx[8]), MM_OK);
	/* ___slab_alloc's order: the exhausted slab leaves the CPU, then the buddy */
	assert_kinds(&r, 0, END, "slab_full alloc watermark take done new_slab slab_alloc");
	assert_int_equal(k->nr_full, 1);
	assert_int_equal(k->nr_slabs, 2);
	assert_true(slab[8] != slab[0]);

	/* free to the full slab: it becomes partial */
	recorder_clear(&r);
	assert_int_equal(kmem_cache_free(m, c, slab[3], idx[3]), MM_OK);
	assert_kinds(&r, 0, END, "slab_free slab_partial");
	assert_int_equal(k->nr_partial, 1);
	assert_int_equal(k->nr_full, 0);
	/* LIFO: the freed object comes back first once its slab is CPU's */
	for (int i = 9; i < 16; i++)
		assert_int_equal(kmem_cache_alloc(m, c, &slab[i], &idx[i]), MM_OK);
	recorder_clear(&r);
	uint32_t s2, i2;
	assert_int_equal(kmem_cache_alloc(m, c, &s2, &i2), MM_OK);
	assert_kinds(&r, 0, END, "slab_full get_partial slab_alloc");
	assert_int_equal(s2, slab[0]);
	assert_int_equal(i2, 3);

	/* empty the first slab (now the CPU slab): it stays, as CPU slab */
	for (int i = 0; i < 8; i++)
		if (i != 3)
			assert_int_equal(kmem_cache_free(m, c, slab[i], idx[i]), MM_OK);
	assert_int_equal(kmem_cache_free(m, c, s2, i2), MM_OK);
	assert_int_equal(slab_at(m, k->cpu_slab)->inuse, 0);
	/* empty the second (full) slab: min_partial 0, so it is discarded */
	for (int i = 8; i < 15; i++)
		assert_int_equal(kmem_cache_free(m, c, slab[i], idx[i]), MM_OK);
	recorder_clear(&r);
	assert_int_equal(kmem_cache_free(m, c, slab[15], idx[15]), MM_OK);
	assert_kinds(&r, 0, 3, "slab_free slab_empty discard_slab");
	assert_event(&r, 1, "slab_empty", "discard=discard");
	assert_int_equal(find_kind(&r, 0, EV_FREE) < r.n, true);
	assert_int_equal(k->nr_slabs, 1);
	assert_int_equal(k->inuse, 0);

	/* destroy: the last slab goes back too */
	uint32_t free_before = machine_zone(m, 0, ZONE_DMA32)->free_pages;
	assert_int_equal(kmem_cache_destroy(m, c), MM_OK);
	assert_int_equal(machine_zone(m, 0, ZONE_DMA32)->free_pages, free_before + 1);
	assert_machine_ok(m);
	recorder_free(&r);
	machine_free(m);
}

/* The default min_partial (ilog2(size) / 2 in [5, 10]) keeps empty slabs while the node has few. */
static void test_min_partial_keeps(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(64 * MiB, 1);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t c = must_create(m, "one", 4096, 0, -1); /* 8 per order-3 slab; min_partial 12 / 2 */
	struct kmem_cache *k = cache_at(m, c);
	uint32_t s[16], i[16];
	for (int n = 0; n < 16; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	recorder_clear(&r);
	for (int n = 0; n < 8; n++)
		assert_int_equal(kmem_cache_free(m, c, s[n], i[n]), MM_OK);
	size_t e = find_kind(&r, 0, EV_SLAB_EMPTY);
	assert_event(&r, e, "slab_empty", "nr_partial=1 min_partial=6 discard=keep");
	assert_int_equal(k->nr_partial, 1);
	assert_int_equal(k->nr_slabs, 2);
	recorder_free(&r);
	machine_free(m);
}

/*
 * __slab_free compares nr_partial before the slab joins the list: one
 * 20000-byte object per order-3 slab, min_partial 1.  Slabs A and B are
 * full (on no list); freeing A's object finds 0 partial slabs: keep (A
 * joins the list); freeing B's finds 1: discard.
 */
static void test_slab_empty_compares_before(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(64 * MiB, 1);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t c = must_create(m, "huge", 20000, 0, 1);
	assert_int_equal(cache_at(m, c)->objects, 1);
	uint32_t s[3], i[3];
	for (int n = 0; n < 3; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	recorder_clear(&r);
	assert_int_equal(kmem_cache_free(m, c, s[0], i[0]), MM_OK);
	assert_event(&r, find_kind(&r, 0, EV_SLAB_EMPTY), "slab_empty", "nr_partial=0 min_partial=1 discard=keep");
	assert_int_equal(cache_at(m, c)->nr_partial, 1);
	recorder_clear(&r);
	assert_int_equal(kmem_cache_free(m, c, s[1], i[1]), MM_OK);
	assert_event(&r, find_kind(&r, 0, EV_SLAB_EMPTY), "slab_empty", "nr_partial=1 min_partial=1 discard=discard");
	assert_int_equal(find_kind(&r, 0, EV_SLAB_PARTIAL), r.n); /* never joined the list */
	assert_int_equal(cache_at(m, c)->nr_partial, 1);
	assert_int_equal(cache_at(m, c)->nr_slabs, 2);
	recorder_free(&r);
	machine_free(m);
}

/*
 * The per-CPU partial list (CONFIG_SLUB_CPU_PARTIAL): 512-byte objects, 8
 * per slab; set_cpu_partial gives 52 objects, so DIV_ROUND_UP(104, 8) = 13
 * slabs.  A full slab that gets a free goes onto the head of the CPU's
 * list; an exhausted CPU slab is replaced from it first; a slab on it
 * stays even when empty; the fourteenth put drains the older thirteen to
 * the node; get_partial_node then moves more onto the CPU's list.
 */
static void test_cpu_partial_paths(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(64 * MiB, 1);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t c;
	assert_int_equal(kmem_cache_create(m, "pcp", 512, 0, -1, &c), MM_OK);
	struct kmem_cache *k = cache_at(m, c);
	assert_int_equal(k->cpu_partial_objects, 52); /* 256 <= size < 1024 */
	assert_int_equal(k->cpu_partial_slabs, 13);
	uint32_t s[15 * 8], i[15 * 8];
	for (int n = 0; n < 15 * 8; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	assert_int_equal(k->nr_full, 14);
	recorder_clear(&r);
	assert_int_equal(kmem_cache_free(m, c, s[0], i[0]), MM_OK);
	assert_kinds(&r, 0, END, "slab_free put_cpu_partial");
	assert_event(&r, 1, "put_cpu_partial", "nr_cpu_partial=1 cpu_partial_slabs=13");
	assert_int_equal(k->cpu_partial, s[0]);
	/* an empty slab on the CPU's list stays */
	for (int n = 1; n < 8; n++)
		assert_int_equal(kmem_cache_free(m, c, s[n], i[n]), MM_OK);
	assert_int_equal(slab_at(m, s[0])->inuse, 0);
	assert_int_equal(slab_at(m, s[0])->list, SL_CPU_PARTIAL);
	for (int slab = 1; slab < 13; slab++)
		assert_int_equal(kmem_cache_free(m, c, s[8 * slab], i[8 * slab]), MM_OK);
	assert_int_equal(k->nr_cpu_partial, 13);
	assert_int_equal(k->cpu_partial, s[8 * 12]); /* newest first */
	/* the fourteenth drains the 13 older, newest first, to the node's
	 * tail; the empty one comes last, when the node already has 12 >=
	 * min_partial 5 partial slabs: discarded */
	recorder_clear(&r);
	assert_int_equal(kmem_cache_free(m, c, s[8 * 13], i[8 * 13]), MM_OK);
	assert_kinds(&r, 0, 4, "slab_free put_cpu_partial put_partials discard_slab");
	assert_event(&r, 2, "put_partials", "slabs=13 discard=1 nr_partial=12");
	assert_int_equal(k->nr_cpu_partial, 1);
	assert_int_equal(k->partial, s[8 * 12]);
	assert_int_equal(k->partial_tail, s[8]);
	/* the CPU slab is full: the CPU's partial list refills it */
	recorder_clear(&r);
	uint32_t s2, i2;
	assert_int_equal(kmem_cache_alloc(m, c, &s2, &i2), MM_OK);
	assert_kinds(&r, 0, END, "slab_full cpu_partial_alloc slab_alloc");
	assert_int_equal(s2, s[8 * 13]);
	/* exhausted again: get_partial_node takes the node's head for the CPU
	 * and moves 13 / 2 + 1 = 7 more onto the CPU's list */
	recorder_clear(&r);
	assert_int_equal(kmem_cache_alloc(m, c, &s2, &i2), MM_OK);
	assert_kinds(&r, 0, END,
		     "slab_full get_partial put_cpu_partial put_cpu_partial put_cpu_partial put_cpu_partial "
		     "put_cpu_partial put_cpu_partial put_cpu_partial slab_alloc");
	assert_int_equal(s2, s[8 * 12]);
	assert_int_equal(k->nr_cpu_partial, 7);
	assert_int_equal(k->nr_partial, 4);
	assert_machine_ok(m);
	recorder_free(&r);
	machine_free(m);
}

/* Every bad call is refused, named, and changes nothing. */
static void test_errors(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(64 * MiB, 1);
	machine_journal(m, true);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t a = must_create(m, "alpha", 64, 0, -1), b = must_create(m, "beta", 64, 0, -1);
	uint32_t sa, ia, sb, ib;
	assert_int_equal(kmem_cache_alloc(m, a, &sa, &ia), MM_OK);
	assert_int_equal(kmem_cache_alloc(m, b, &sb, &ib), MM_OK);
	struct kobj ko;
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL, &ko), MM_OK);
	uint64_t kaddr = slab_obj_addr(m, ko.slab, ko.index);
	struct snapshot s0 = snap(m, &r);

	/* wrong cache */
	assert_int_equal(kmem_cache_free(m, b, sa, ia), MM_EINVAL);
	assert_non_null(strstr(m->error, "belongs to cache alpha, not to cache beta"));
	assert_non_null(strstr(m->error, "0xffff888"));
	assert_unchanged(m, &r, &s0);
	/* double free */
	assert_int_equal(kmem_cache_free(m, a, sa, ia), MM_OK);
	struct snapshot s1 = snap(m, &r);
	assert_int_equal(kmem_cache_free(m, a, sa, ia), MM_EINVAL);
	assert_non_null(strstr(m->error, "double free: object 0xffff888"));
	assert_non_null(strstr(m->error, "of cache alpha was freed at step"));
	assert_unchanged(m, &r, &s1);
	/* kfree: inside an object, outside the direct map, a named cache's
	 * object, a page-allocator page, twice */
	assert_int_equal(kfree(m, kaddr + 8), MM_EINVAL);
	assert_non_null(strstr(m->error, "inside object"));
	assert_non_null(strstr(m->error, "kmalloc-128"));
	assert_int_equal(kfree(m, 0x1234), MM_EINVAL);
	assert_non_null(strstr(m->error, "not an address kmalloc returned"));
	assert_int_equal(kfree(m, slab_obj_addr(m, sb, ib)), MM_EINVAL);
	assert_non_null(strstr(m->error, "cache beta"));
	uint32_t pfn = must_alloc(m, 0, GFP_KERNEL);
	struct snapshot s2 = snap(m, &r);
	assert_int_equal(kfree(m, m->slub->direct_map + ((uint64_t)pfn << 12)), MM_EINVAL);
	assert_non_null(strstr(m->error, "allocated memory"));
	assert_unchanged(m, &r, &s2);
	assert_int_equal(kfree(m, kaddr), MM_OK);
	struct snapshot s3 = snap(m, &r);
	assert_int_equal(kfree(m, kaddr), MM_EINVAL);
	assert_non_null(strstr(m->error, "double free"));
	assert_unchanged(m, &r, &s3);
	/* destroying a cache with live objects, or a kmalloc cache */
	assert_int_equal(kmem_cache_destroy(m, b), MM_EINVAL);
	assert_non_null(strstr(m->error, "cache beta still has 1 live object(s), 0xffff888"));
	assert_int_equal(kmem_cache_destroy(m, ko.cache), MM_EINVAL);
	assert_non_null(strstr(m->error, "kmalloc cache"));
	/* destroyed cache */
	assert_int_equal(kmem_cache_destroy(m, a), MM_OK);
	struct snapshot s4 = snap(m, &r);
	assert_int_equal(kmem_cache_alloc(m, a, &sa, &ia), MM_EINVAL);
	assert_non_null(strstr(m->error, "cache alpha was destroyed at step"));
	/* bad create */
	uint32_t c;
	assert_int_equal(kmem_cache_create(m, "z", 0, 0, -1, &c), MM_EINVAL);
	assert_int_equal(kmem_cache_create(m, "z", 64, 48, -1, &c), MM_EINVAL);
	assert_non_null(strstr(m->error, "power of two"));
	assert_int_equal(kmem_cache_create(m, "z", 8 * MiB, 0, -1, &c), MM_EINVAL);
	assert_int_equal(kmalloc(m, 0, GFP_KERNEL, &ko), MM_EINVAL);
	assert_int_equal(kmalloc(m, 64, GFP_DMA, &ko), MM_EINVAL);
	assert_unchanged(m, &r, &s4);
	recorder_free(&r);
	machine_free(m);
}

/* Out of memory: nil and a reason; the slab state is as before. */
static void test_nomem(void **state)
{
	(void)state;
	struct mm_config cfg = config_textbook(256 * KiB);
	cfg.zones_given = true;
	cfg.zone_size[ZONE_NORMAL] = 256 * KiB;
	struct machine *m = boot(&cfg);
	uint32_t c = must_create(m, "big", 4096, 0, -1);
	uint32_t s, i;
	int rc;
	unsigned n = 0;
	while ((rc = kmem_cache_alloc(m, c, &s, &i)) == MM_OK)
		n++;
	assert_int_equal(rc, MM_NOMEM);
	assert_true(n > 0);
	assert_non_null(strstr(m->reason, "big: no slab has room"));
	struct kmem_cache *k = cache_at(m, c);
	assert_int_equal(k->inuse, n);
	/* the exhausted slab left the CPU before the buddy failed (c->slab = NULL) */
	assert_int_equal(k->cpu_slab, 0);
	assert_int_equal(k->nr_full, k->nr_slabs);
	assert_machine_ok(m);
	/* so a free into it puts it on the partial list, and the next alloc takes it */
	uint32_t last = k->full_tail;
	assert_int_equal(kmem_cache_free(m, c, last, 0), MM_OK);
	assert_int_equal(k->nr_partial, 1);
	assert_int_equal(slab_at(m, last)->list, SL_PARTIAL);
	assert_int_equal(kmem_cache_alloc(m, c, &s, &i), MM_OK);
	assert_int_equal(k->cpu_slab, last);
	assert_int_equal(i, 0);
	assert_machine_ok(m);
	machine_free(m);
}

/* A random walk of allocs and frees over two caches and kmalloc; the
 * checker after every step; then every step undone and redone gives the
 * same hashes. */
static void test_journal_walk(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(4 * MiB, 2);
	machine_journal(m, true);
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	uint32_t caches[2] = {must_create(m, "x", 300, 0, 1), must_create(m, "y", 24, 0, -1)};
	struct kobj live[200];
	unsigned nlive = 0;
	uint64_t seed = 42;
	for (int n = 0; n < 1500; n++) {
		uint64_t x = xorshift64(&seed);
		if (nlive < 200 && (x % 3 != 0 || nlive == 0)) {
			struct kobj o = {0};
			int rc;
			if (x & 8) {
				o.cache = caches[(x >> 4) & 1];
				rc = kmem_cache_alloc(m, o.cache, &o.slab, &o.index);
			} else {
				rc = kmalloc(m, 1 + (x >> 8) % 12000, GFP_KERNEL, &o);
			}
			if (rc == MM_OK)
				live[nlive++] = o;
		} else {
			unsigned k = (unsigned)((x >> 16) % nlive);
			struct kobj o = live[k];
			if (o.large)
				assert_int_equal(kfree(m, m->slub->direct_map +
							      ((uint64_t)large_at(m, o.rec)->pfn
							       << 12)),
						 MM_OK);
			else if (cache_at(m, o.cache)->kmalloc)
				assert_int_equal(kfree(m, slab_obj_addr(m, o.slab, o.index)), MM_OK);
			else
				assert_int_equal(kmem_cache_free(m, o.cache, o.slab, o.index), MM_OK);
			live[k] = live[--nlive];
		}
	}
	uint32_t steps = m->nsteps;
	assert_int_equal(r.nhash, steps + 1);
	for (uint32_t s = steps; s-- > 0;) {
		machine_seek(m, s);
		if (s % 97 == 0)
			assert_machine_ok(m);
		assert_true(machine_hash(m) == r.hashes[s]);
	}
	for (uint32_t s = 1; s <= steps; s += 13) {
		machine_seek(m, s);
		assert_true(machine_hash(m) == r.hashes[s]);
	}
	recorder_free(&r);
	machine_free(m);
}

/* meminfo's Slab and SUnreclaim count slab pages. */
static void test_meminfo(void **state)
{
	(void)state;
	struct machine *m = boot_cpus(64 * MiB, 1);
	struct kobj o;
	assert_int_equal(kmalloc(m, 5000, GFP_KERNEL, &o), MM_OK); /* kmalloc-8k: order 3 */
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "meminfo", &b), 0);
	assert_non_null(strstr(b.s, "Slab:                 32 kB\n"
				    "SReclaimable:          0 kB\n"
				    "SUnreclaim:           32 kB\n"));
	strbuf_free(&b);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_min_objects),      cmocka_unit_test(test_calculate_order),
	cmocka_unit_test(test_cache_layout),     cmocka_unit_test(test_kmalloc_classes),
	cmocka_unit_test(test_kmalloc_large),    cmocka_unit_test(test_alloc_free_paths),
	cmocka_unit_test(test_min_partial_keeps), cmocka_unit_test(test_slab_empty_compares_before),
	cmocka_unit_test(test_cpu_partial_paths),
	cmocka_unit_test(test_errors),
	cmocka_unit_test(test_nomem),            cmocka_unit_test(test_journal_walk),
	cmocka_unit_test(test_meminfo),
};

int main(void)
{
	return cmocka_run_group_tests_name("slub", tests, NULL, NULL);
}
