/*
 * kmem_cache_create's flags and constructor (slub_sizes.c's
 * calculate_sizes and calculate_alignment, slab_common.c's flag names),
 * against worked examples: the geometry a 6.18 x86_64 kernel on 2 CPUs
 * shows in /sys/kernel/slab/NAME/{object_size,slab_size,align,order,
 * objs_per_slab} for caches made with those flags, and hand-worked cases
 * of the cache-line rule for small objects.
 */
#include <string.h>

#include "helpers.h"
#include "mm/proc.h"
#include "mm/slub.h"
#include "mm/strbuf.h"

static struct machine *two_cpus(void)
{
	struct mm_config c = config_mem(64 * MiB);
	c.cpus = 2;
	return boot(&c);
}

struct want {
	const char *name;
	uint32_t object_size, flags;
	bool ctor;
	uint64_t align;
	int freeptr_offset; /* -1: none */
	uint32_t size, cache_align, offset, order, objects;
};

/* Read from /sys/kernel/slab on the reference machine (offset: where the
 * free pointer goes by calculate_sizes' rule). */
static const struct want sys[] = {
	/* SLAB_HWCACHE_ALIGN|SLAB_TYPESAFE_BY_RCU and a ctor: after the object */
	{"sighand_cache", 2080, SLAB_HWCACHE_ALIGN | SLAB_TYPESAFE_BY_RCU | SLAB_PANIC | SLAB_ACCOUNT, true, 0, -1,
	 2112, 64, 2080, 3, 15},
	/* SLAB_TYPESAFE_BY_RCU and a ctor: 96 + 8 */
	{"anon_vma", 96, SLAB_TYPESAFE_BY_RCU | SLAB_PANIC | SLAB_ACCOUNT, true, 0, -1, 104, 8, 96, 0, 39},
	/* a ctor, SLAB_RECLAIM_ACCOUNT */
	{"radix_tree_node", 576, SLAB_PANIC | SLAB_RECLAIM_ACCOUNT, true, 0, -1, 584, 8, 576, 1, 14},
	{"inode_cache", 616, SLAB_PANIC | SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, true, 0, -1, 624, 8, 616, 1, 13},
	/* SLAB_HWCACHE_ALIGN alone: the free pointer stays in the middle */
	{"files_cache", 704, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, false, 0, -1, 704, 64, 352, 2, 23},
	{"mm_struct", 1568, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, false, 0, -1, 1600, 64, 784, 3, 20},
	{"signal_cache", 1152, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, false, 0, -1, 1152, 64, 576, 2, 14},
	/* SLAB_TYPESAFE_BY_RCU with a freeptr_offset: no extra word */
	{"vm_area_struct", 192, SLAB_HWCACHE_ALIGN | SLAB_TYPESAFE_BY_RCU | SLAB_PANIC | SLAB_ACCOUNT, false, 0, 64,
	 192, 64, 64, 0, 21},
	{"dentry", 192, SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | SLAB_ACCOUNT, false, 0, -1, 192, 8, 96, 0, 21},
	/* an explicit align (ARCH_MIN_TASKALIGN) */
	{"task_struct", 5840, SLAB_PANIC | SLAB_ACCOUNT, false, 64, -1, 5888, 64, 2920, 3, 5},
	/* calculate_alignment's halving for small objects, by hand: the
	 * cache line (64) halves while the object fits in half of it */
	{"hw24", 24, SLAB_HWCACHE_ALIGN, false, 0, -1, 32, 32, 8, 0, 128},
	{"hw10", 10, SLAB_HWCACHE_ALIGN, false, 0, -1, 16, 16, 0, 0, 256},
	{"hw33", 33, SLAB_HWCACHE_ALIGN, false, 0, -1, 64, 64, 16, 0, 64},
	{"hw8", 8, SLAB_HWCACHE_ALIGN, false, 0, -1, 8, 8, 0, 0, 512},
	/* a ctor on a tiny object: 8 + 8 */
	{"ctor8", 8, 0, true, 0, -1, 16, 8, 8, 0, 256},
};

static void test_geometry_matches_the_kernel(void **state)
{
	(void)state;
	struct machine *m = two_cpus();
	for (size_t i = 0; i < sizeof sys / sizeof sys[0]; i++) {
		const struct want *w = &sys[i];
		struct kmem_cache_args a = {.align = w->align, .flags = w->flags, .ctor = w->ctor, .min_partial = -1};
		if (w->freeptr_offset >= 0) {
			a.use_freeptr_offset = true;
			a.freeptr_offset = (uint32_t)w->freeptr_offset;
		}
		uint32_t off;
		assert_int_equal(kmem_cache_create_args(m, w->name, w->object_size, &a, &off), MM_OK);
		const struct kmem_cache *c = cache_at(m, off);
		if (c->size != w->size || c->align != w->cache_align || c->offset != w->offset || c->order != w->order ||
		    c->objects != w->objects)
			fail_msg("%s: size %u align %u offset %u order %u objects %u; the kernel: %u %u %u %u %u",
				 w->name, c->size, c->align, c->offset, c->order, c->objects, w->size, w->cache_align,
				 w->offset, w->order, w->objects);
		assert_int_equal(c->flags, w->flags);
		assert_int_equal(c->ctor, w->ctor);
	}
	assert_machine_ok(m);
	machine_free(m);
}

/* SLAB_RECLAIM_ACCOUNT caches count in SReclaimable, the rest in SUnreclaim. */
static void test_reclaim_account_in_meminfo(void **state)
{
	(void)state;
	struct machine *m = two_cpus();
	struct kmem_cache_args a = {.flags = SLAB_RECLAIM_ACCOUNT, .ctor = true, .min_partial = -1};
	uint32_t c, s, i;
	assert_int_equal(kmem_cache_create_args(m, "radix_tree_node", 576, &a, &c), MM_OK);
	assert_int_equal(kmem_cache_alloc(m, c, &s, &i), MM_OK); /* one order-1 slab: 8K */
	struct kobj o;
	assert_int_equal(kmalloc(m, 100, GFP_KERNEL, &o), MM_OK); /* kmalloc-128: 4K */
	struct strbuf b = {0};
	assert_int_equal(mm_proc(m, "meminfo", &b), 0);
	assert_non_null(strstr(b.s, "Slab:                 12 kB\n"
				    "SReclaimable:          8 kB\n"
				    "SUnreclaim:            4 kB\n"));
	strbuf_free(&b);
	machine_free(m);
}

static void test_flag_names(void **state)
{
	(void)state;
	uint32_t f;
	char buf[160];
	assert_int_equal(slab_flags_parse("SLAB_HWCACHE_ALIGN | SLAB_PANIC|SLAB_ACCOUNT", &f, buf, sizeof buf), 0);
	assert_int_equal(f, SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT);
	slab_flags_format(f, buf, sizeof buf);
	assert_string_equal(buf, "SLAB_HWCACHE_ALIGN|SLAB_PANIC|SLAB_ACCOUNT");
	assert_int_equal(slab_flags_parse("", &f, buf, sizeof buf), 0);
	assert_int_equal(f, 0);
	assert_int_equal(slab_flags_parse("SLAB_PANIC|SLAB_CACHE_DMA", &f, buf, sizeof buf), -1);
	assert_string_equal(buf, "SLAB_CACHE_DMA: DMA caches are not modelled");
	assert_int_equal(slab_flags_parse("SLAB_RED_ZONE", &f, buf, sizeof buf), -1);
	assert_string_equal(buf, "SLAB_RED_ZONE: slub_debug's metadata is not modelled");
	assert_int_equal(slab_flags_parse("SLAB_HWCACHE", &f, buf, sizeof buf), -1);
	assert_string_equal(buf, "SLAB_HWCACHE: not a slab flag");
}

/* SLAB_PANIC: where the kernel would panic the refusal says so; a bad
 * freeptr_offset is refused; neither changes anything. */
static void test_panic_and_freeptr_errors(void **state)
{
	(void)state;
	struct machine *m = two_cpus();
	uint64_t h = machine_hash(m);
	uint32_t c;
	struct kmem_cache_args a = {.flags = SLAB_PANIC, .min_partial = -1};
	assert_int_equal(kmem_cache_create_args(m, "huge", 8 * MiB, &a, &c), MM_EINVAL);
	assert_non_null(strstr(m->error, "SLAB_PANIC: the kernel panics here: cache huge: objects of 8388608 bytes"));
	a = (struct kmem_cache_args){.use_freeptr_offset = true, .freeptr_offset = 8, .min_partial = -1};
	assert_int_equal(kmem_cache_create_args(m, "x", 64, &a, &c), MM_EINVAL);
	assert_non_null(strstr(m->error, "needs SLAB_TYPESAFE_BY_RCU"));
	a.flags = SLAB_TYPESAFE_BY_RCU;
	a.freeptr_offset = 60;
	assert_int_equal(kmem_cache_create_args(m, "x", 64, &a, &c), MM_EINVAL);
	assert_true(machine_hash(m) == h);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_geometry_matches_the_kernel),
	cmocka_unit_test(test_reclaim_account_in_meminfo),
	cmocka_unit_test(test_flag_names),
	cmocka_unit_test(test_panic_and_freeptr_errors),
};

int main(void)
{
	return cmocka_run_group_tests_name("slub_flags", tests, NULL, NULL);
}
