/*
 * The classic SLAB allocator (src/mm/slab_grow.c, slab_array.c,
 * slab_array_check.c; mm/slab.c of Linux 6.7) against hand-worked
 * examples: its kmalloc caches' geometry and tunables, the three ways a
 * freelist is kept, colouring, the CPU array's refill and flush, the shared
 * array, free_limit, cache_reap, /proc/slabinfo, bad input leaving the
 * machine unchanged, each invariant firing, and a random walk undone and
 * redone step by step.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "mm/proc.h"
#include "mm/slab_alloc.h"
#include "mm/slab_array.h"
#include "mm/strbuf.h"

static struct machine *boot_slab(uint64_t mem, unsigned cpus)
{
	struct mm_config c = config_mem(mem);
	c.slab = SLAB_ALLOCATOR_SLAB;
	c.cpus = cpus;
	return boot(&c);
}

static uint32_t find_cache(const struct machine *m, const char *name)
{
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		if (strcmp(cache_name(m, c), name) == 0)
			return c;
	fail_msg("no cache %s", name);
	return 0;
}

/* 64 MiB, 2 CPUs, 4K pages: slab_max_order 1, one-byte freelist indices. */
static void test_kmalloc_caches(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 2);
	/* KMALLOC_SHIFT_LOW is 5: no kmalloc-8 or -16 */
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		assert_true(strcmp(cache_name(m, c), "kmalloc-8") && strcmp(cache_name(m, c), "kmalloc-16"));
	/* kmalloc-32: 124 objects and 124 index bytes in 4096 (33 each), 4 left */
	struct slab_cachep *k32 = cachep_of(m, find_cache(m, "kmalloc-32"));
	assert_int_equal(k32->num, 124);
	assert_int_equal(k32->mgmt, MGMT_ON_SLAB);
	assert_int_equal(k32->colour, 0);
	/* kmalloc-64: 64 one-byte indices fit in a 64-byte object */
	struct slab_cachep *k64 = cachep_of(m, find_cache(m, "kmalloc-64"));
	assert_int_equal(k64->num, 64);
	assert_int_equal(k64->mgmt, MGMT_OBJFREELIST);
	/* kmalloc-96: 42 objects, 64 bytes left: one colour besides 0 */
	struct slab_cachep *k96 = cachep_of(m, find_cache(m, "kmalloc-96"));
	assert_int_equal(k96->num, 42);
	assert_int_equal(k96->colour, 1);
	assert_int_equal(k96->colour_off, 64);
	/* enable_cpucache: 120/60/8 up to 256 bytes, 54/27 up to 1k, 24/12 up
	 * to a page, 8/4 and no shared array above */
	struct slab_cachep *k1k = cachep_of(m, find_cache(m, "kmalloc-1k"));
	assert_int_equal(k1k->limit, 54);
	assert_int_equal(k1k->batchcount, 27);
	assert_int_equal(k1k->shared, 8);
	assert_int_equal(k1k->sh.limit, 8 * 27);
	assert_int_equal(k1k->free_limit, 3 * 27 + 4); /* (1 + CPUs) * batchcount + num */
	struct slab_cachep *k8k = cachep_of(m, find_cache(m, "kmalloc-8k"));
	assert_int_equal(k8k->gfporder, 1);
	assert_int_equal(k8k->limit, 8);
	assert_int_equal(k8k->batchcount, 4);
	assert_int_equal(k8k->shared, 0);
	/* kmalloc(8) is served by kmalloc-32 */
	struct kobj o;
	assert_int_equal(kmalloc(m, 8, GFP_KERNEL, &o), MM_OK);
	assert_string_equal(cache_name(m, o.cache), "kmalloc-32");
	assert_machine_ok(m);
	machine_free(m);
}

/* A constructor keeps the freelist out of the objects: 512-byte objects,
 * 8 per page and nothing left over, so the 8 index bytes go off-slab into
 * kmalloc-32 (32 bytes are at most half an object). */
static void test_off_slab(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 1);
	struct kmem_cache_args a = {.ctor = true, .min_partial = -1, .cpu_partial = -1};
	uint32_t c, s, i;
	assert_int_equal(kmem_cache_create_args(m, "ctor512", 512, &a, &c), MM_OK);
	struct slab_cachep *cp = cachep_of(m, c);
	assert_int_equal(cp->mgmt, MGMT_OFF_SLAB);
	assert_int_equal(cp->freelist_cache, find_cache(m, "kmalloc-32"));
	uint32_t k32 = find_cache(m, "kmalloc-32");
	assert_int_equal(kmem_cache_alloc(m, c, &s, &i), MM_OK);
	assert_int_equal(cache_at(m, k32)->inuse, 1); /* the index array */
	assert_machine_ok(m);
	assert_int_equal(kmem_cache_free(m, c, s, i), MM_OK);
	assert_int_equal(kmem_cache_destroy(m, c), MM_OK);
	/* slab_destroy gave the index array back to kmalloc-32 */
	assert_int_equal(cache_at(m, k32)->inuse, 0);
	assert_machine_ok(m);
	machine_free(m);
}

/* 1100-byte objects: 1104-byte slots; order 0 wastes 784 of 4096 (more
 * than 1/8), so order 1: 7 objects, 464 left, 7 colours of 64 bytes.
 * limit 24, batchcount 12; one CPU: no shared array, free_limit 2*12+7. */
static void test_refill_flush_colour(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 1);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t c, s[40], i[40];
	struct kmem_cache_args a = {.min_partial = -1, .cpu_partial = -1};
	assert_int_equal(kmem_cache_create_args(m, "t", 1100, &a, &c), MM_OK);
	struct slab_cachep *cp = cachep_of(m, c);
	assert_int_equal(cp->num, 7);
	assert_int_equal(cp->gfporder, 1);
	assert_int_equal(cp->colour, 7);
	assert_int_equal(cp->limit, 24);
	assert_int_equal(cp->sh.limit, 0);
	assert_int_equal(cp->free_limit, 31);
	recorder_clear(&r);
	assert_int_equal(kmem_cache_alloc(m, c, &s[0], &i[0]), MM_OK);
	/* an empty array, no free object: a new slab, all 7 to the array
	 * (batch 12 capped at 16 while untouched), the top one handed out */
	size_t g = find_kind(&r, 0, EV_CACHE_GROW);
	assert_true(g < r.n);
	assert_int_equal(ev_get(&r.ev[g], "s_mem"), 0);
	size_t b = find_kind(&r, g, EV_ALLOC_BLOCK);
	assert_event(&r, b, "alloc_block", "count=7 active=7 num=7 list=slabs_full avail=7");
	assert_event(&r, r.n - 1, "ac_alloc", "avail=6 limit=24");
	for (int n = 1; n < 8; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	/* the second slab's objects start one colour later */
	assert_int_equal(aslab_tail(slab_at(m, s[7]))->s_mem, 64);
	assert_int_equal(slab_obj_addr(m, s[7], i[7]) % 8192, 64 + i[7] * 1104);
	for (int n = 8; n < 28; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	assert_int_equal(cp->total_slabs, 4);
	/* 24 frees fill the array; the 25th flushes its 12 oldest to their slabs */
	for (int n = 0; n < 24; n++)
		assert_int_equal(kmem_cache_free(m, c, s[n], i[n]), MM_OK);
	assert_int_equal(cp->cpu.avail, 24);
	assert_int_equal(cp->free_objects, 0);
	recorder_clear(&r);
	assert_int_equal(kmem_cache_free(m, c, s[24], i[24]), MM_OK);
	assert_event(&r, 0, "free_block", "count=12 by=cache_flusharray free_objects=12 free_limit=31");
	assert_int_equal(cp->cpu.avail, 13);
	/* the oldest 12 (s[0..11]) were the first two slabs' 7 and 5 of the third */
	assert_int_equal(cp->count[AL_FREE], 1);
	assert_machine_ok(m);
	recorder_free(&r);
	machine_free(m);
}

/* free_limit: a cache whose slabs hold more free objects than
 * (1 + CPUs) * batchcount + num gives free slabs back. */
static void test_free_limit(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 1);
	uint32_t c, s[200], i[200];
	struct kmem_cache_args a = {.min_partial = -1, .cpu_partial = -1};
	assert_int_equal(kmem_cache_create_args(m, "t", 1100, &a, &c), MM_OK);
	struct slab_cachep *cp = cachep_of(m, c);
	for (int n = 0; n < 140; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	assert_int_equal(cp->total_slabs, 20);
	for (int n = 0; n < 140; n++) {
		assert_int_equal(kmem_cache_free(m, c, s[n], i[n]), MM_OK);
		assert_true(cp->free_objects <= cp->free_limit);
	}
	/* 24 stay in the array at most; the slabs keep at most 31 free */
	assert_true(cp->cpu.avail <= 24);
	assert_true(cp->total_slabs < 20);
	assert_machine_ok(m);
	machine_free(m);
}

/* Two CPUs: a full array flushes to the shared array, and an empty one is
 * refilled from it before any slab. */
static void test_shared_array(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 2);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t c, s[60], i[60];
	struct kmem_cache_args a = {.min_partial = -1, .cpu_partial = -1};
	assert_int_equal(kmem_cache_create_args(m, "t", 1100, &a, &c), MM_OK);
	struct slab_cachep *cp = cachep_of(m, c);
	assert_int_equal(cp->sh.limit, 8 * 12);
	for (int n = 0; n < 30; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	for (int n = 0; n < 25; n++)
		assert_int_equal(kmem_cache_free(m, c, s[n], i[n]), MM_OK);
	size_t f = find_kind(&r, 0, EV_FLUSH_SHARED);
	assert_true(f < r.n);
	assert_event(&r, f, "flush_shared", "count=12 avail=12 shared_avail=12 shared_limit=96");
	while (cp->cpu.avail) {
		uint32_t x, y;
		assert_int_equal(kmem_cache_alloc(m, c, &x, &y), MM_OK);
	}
	recorder_clear(&r);
	uint32_t x, y;
	assert_int_equal(kmem_cache_alloc(m, c, &x, &y), MM_OK);
	assert_event(&r, 0, "transfer_objects", "count=12 avail=12 shared_avail=0");
	assert_machine_ok(m);
	recorder_free(&r);
	machine_free(m);
}

/* cache_reap: a touched array only loses the mark; an untouched one gives
 * (limit + 4) / 5 of its oldest back; untouched free slabs go. */
static void test_cache_reap(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 1);
	struct recorder r = {.keep = true, .check = true};
	recorder_attach(m, &r);
	uint32_t c, s[20], i[20];
	struct kmem_cache_args a = {.min_partial = -1, .cpu_partial = -1};
	assert_int_equal(kmem_cache_create_args(m, "t", 1100, &a, &c), MM_OK);
	struct slab_cachep *cp = cachep_of(m, c);
	for (int n = 0; n < 14; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	for (int n = 0; n < 14; n++)
		assert_int_equal(kmem_cache_free(m, c, s[n], i[n]), MM_OK);
	assert_int_equal(cp->cpu.avail, 14);
	recorder_clear(&r);
	assert_int_equal(slab_cache_reap(m), MM_OK);
	size_t u = find_kind(&r, 0, EV_AC_UNTOUCH);
	assert_true(u < r.n);
	assert_int_equal(cp->cpu.avail, 14);
	assert_int_equal(cp->cpu.touched, 0);
	recorder_clear(&r);
	assert_int_equal(slab_cache_reap(m), MM_OK);
	assert_int_equal(cp->cpu.avail, 14 - 5); /* (24 + 4) / 5 */
	assert_true(find_kind(&r, 0, EV_FREE_BLOCK) < r.n);
	assert_machine_ok(m);
	/* SLUB has no cache_reap */
	struct mm_config sc = config_mem(16 * MiB);
	struct machine *sl = boot(&sc);
	assert_int_equal(slab_cache_reap(sl), MM_EINVAL);
	assert_non_null(strstr(sl->error, "cache_reap is SLAB's"));
	machine_free(sl);
	recorder_free(&r);
	machine_free(m);
}

static void test_slabinfo(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 2);
	struct kobj o;
	assert_int_equal(kmalloc(m, 20, GFP_KERNEL, &o), MM_OK);
	struct strbuf sb = {0};
	proc_slabinfo(m, &sb);
	/* the refill took 16 of 124 (untouched: BATCHREFILL_LIMIT): all active */
	assert_non_null(strstr(sb.s, "kmalloc-32            16    124     32  124    1 : tunables  120   60    8 : "
				       "slabdata      1      1      0\n"));
	assert_non_null(strstr(sb.s, "slabinfo - version: 2.1\n"));
	strbuf_free(&sb);
	machine_free(m);
}

/* A double free is refused and names what SLAB itself would have done. */
static void test_double_free(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 1);
	struct recorder r = {.keep = true};
	recorder_attach(m, &r);
	struct kobj o;
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL, &o), MM_OK);
	uint64_t addr = slab_obj_addr(m, o.slab, o.index);
	assert_int_equal(kfree(m, addr), MM_OK);
	struct snapshot before = snap(m, &r);
	assert_int_equal(kfree(m, addr), MM_EINVAL);
	assert_non_null(strstr(m->error, "double free"));
	assert_non_null(strstr(m->error, "SLAB would not notice"));
	assert_unchanged(m, &r, &before);
	/* inside an object, and in a slab's colour */
	assert_int_equal(kfree(m, addr + 8), MM_EINVAL);
	assert_non_null(strstr(m->error, "inside object"));
	assert_unchanged(m, &r, &before);
	recorder_free(&r);
	machine_free(m);
}

/* Each invariant fires on a corruption of what it guards. */
static void expect_broken(struct machine *m, uint32_t *cell, uint32_t bad, const char *what)
{
	uint32_t saved = *cell;
	char why[256];
	*cell = bad;
	assert_int_not_equal(check_machine(m, why, sizeof why), 0);
	if (!strstr(why, what))
		fail_msg("expected \"%s\", got \"%s\"", what, why);
	*cell = saved;
	assert_int_equal(check_machine(m, why, sizeof why), 0);
}

static void test_checker_fires(void **state)
{
	(void)state;
	struct machine *m = boot_slab(64 * MiB, 2);
	uint32_t c, s[12], i[12];
	struct kmem_cache_args a = {.min_partial = -1, .cpu_partial = -1};
	assert_int_equal(kmem_cache_create_args(m, "t", 1100, &a, &c), MM_OK);
	for (int n = 0; n < 12; n++)
		assert_int_equal(kmem_cache_alloc(m, c, &s[n], &i[n]), MM_OK);
	assert_int_equal(kmem_cache_free(m, c, s[0], i[0]), MM_OK);
	assert_machine_ok(m);
	struct slab_cachep *cp = cachep_of(m, c);
	struct slab *full = slab_at(m, cp->head[AL_FULL]);
	uint32_t *e = ac_entry(m, &cp->cpu);
	expect_broken(m, &cp->count[AL_FULL], cp->count[AL_FULL] + 1, "full counts");
	expect_broken(m, &full->inuse, full->inuse - 1, "is on full");
	expect_broken(m, &cp->free_objects, cp->free_objects + 1, "free_objects is");
	expect_broken(m, &cp->free_slabs, cp->free_slabs + 1, "free_slabs");
	expect_broken(m, &cp->cpu.avail, cp->cpu.limit + 1, "CPU array holds");
	expect_broken(m, &cache_at(m, c)->inuse, cache_at(m, c)->inuse + 1, "objects active in slabs");
	expect_broken(m, &aslab_tail(full)->s_mem, 3, "not a colour");
	expect_broken(m, &cp->colour_next, cp->colour, "colour_next");
	expect_broken(m, &m->frames[full->pfn].info, frame_info(FS_ALLOC, full->order), "slab head");
	/* an array entry pointing at an object its slab has free, or a held one */
	struct slab *es = slab_at(m, e[0]);
	if (es->inuse < es->objects)
		expect_broken(m, &e[1], slab_fp(es)[es->inuse], "free in its slab");
	uint32_t held = s[5] == e[0] ? i[5] : i[1];
	if (s[5] == e[0] || s[1] == e[0])
		expect_broken(m, &e[1], held, "held by a caller");
	/* two entries for one object */
	assert_int_equal(kmem_cache_free(m, c, s[1], i[1]), MM_OK);
	assert_true(cp->cpu.avail >= 2);
	uint32_t e2 = e[2], e3 = e[3];
	e[2] = e[0], e[3] = e[1];
	char why[256];
	assert_int_not_equal(check_machine(m, why, sizeof why), 0);
	assert_non_null(strstr(why, "twice"));
	e[2] = e2, e[3] = e3;
	assert_machine_ok(m);
	machine_free(m);
}

/* Random kmem_cache and kmalloc traffic with reaps, every step checked and
 * hashed, then walked back and forth. */
static void test_random_walk_undo_redo(void **state)
{
	(void)state;
	struct machine *m = boot_slab(8 * MiB, 2);
	machine_journal(m, true);
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	uint32_t c, oc;
	struct kmem_cache_args a = {.min_partial = -1, .cpu_partial = -1};
	struct kmem_cache_args ctor = {.ctor = true, .min_partial = -1, .cpu_partial = -1};
	assert_int_equal(kmem_cache_create_args(m, "t", 1100, &a, &c), MM_OK);
	assert_int_equal(kmem_cache_create_args(m, "o", 512, &ctor, &oc), MM_OK);
	enum { N = 300 };
	struct {
		int kind; /* 0 none, 1 t, 2 o, 3 kmalloc */
		uint32_t slab, index;
		uint64_t addr;
	} live[N] = {{0}};
	uint64_t seed = 0x51ab;
	for (int step = 0; step < 3000; step++) {
		uint64_t x = xorshift64(&seed);
		int k = (int)(x % N);
		if (x % 97 == 0) {
			assert_int_equal(slab_cache_reap(m), MM_OK);
		} else if (!live[k].kind) {
			int kind = 1 + (int)((x >> 20) % 3);
			int rc;
			if (kind == 3) {
				struct kobj o;
				rc = kmalloc(m, 1 + (x >> 32) % 3000, GFP_KERNEL, &o);
				if (rc == MM_OK)
					live[k].addr = o.large ? 0 : slab_obj_addr(m, o.slab, o.index);
				if (rc == MM_OK && o.large)
					live[k].addr = m->slub->direct_map +
						       ((uint64_t)large_at(m, o.rec)->pfn << m->page_shift);
			} else {
				rc = kmem_cache_alloc(m, kind == 1 ? c : oc, &live[k].slab, &live[k].index);
			}
			assert_true(rc == MM_OK || rc == MM_NOMEM);
			if (rc == MM_OK)
				live[k].kind = kind;
		} else {
			if (live[k].kind == 3)
				assert_int_equal(kfree(m, live[k].addr), MM_OK);
			else
				assert_int_equal(kmem_cache_free(m, live[k].kind == 1 ? c : oc, live[k].slab,
								 live[k].index), MM_OK);
			live[k].kind = 0;
		}
	}
	assert_undo_redo(m, &r, 0, m->nsteps);
	recorder_free(&r);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kmalloc_caches),   cmocka_unit_test(test_off_slab),
		cmocka_unit_test(test_refill_flush_colour), cmocka_unit_test(test_free_limit),
		cmocka_unit_test(test_shared_array),     cmocka_unit_test(test_cache_reap),
		cmocka_unit_test(test_slabinfo),         cmocka_unit_test(test_double_free),
		cmocka_unit_test(test_checker_fires),    cmocka_unit_test(test_random_walk_undo_redo),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
