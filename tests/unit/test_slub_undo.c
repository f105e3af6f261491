/*
 * Every SLUB and kmalloc operation, down each of its paths, undone and
 * redone: after each operation, going back to where it began gives the
 * hash recorded before it, and going forward again the hash after it; then
 * the whole history is walked back and forth step by step, the checker
 * (which also holds the pfn index to the slab records) at every step.
 */
#include <string.h>

#include "helpers.h"
#include "mm/slub.h"

struct run {
	struct machine *m;
	struct recorder r;
	bool seen[NR_EV_KINDS];
};

/* The operation just made (it began at step `from`) undoes and redoes. */
static void round_trip(struct run *u, uint32_t from)
{
	struct machine *m = u->m;
	uint32_t to = m->nsteps;
	assert_true(to > from);
	for (uint32_t s = from; s < to; s++)
		u->seen[journal_step_kind(&m->j, s)] = true;
	machine_seek(m, from);
	assert_true(machine_hash(m) == u->r.hashes[from]);
	assert_machine_ok(m);
	machine_seek(m, to);
	assert_true(machine_hash(m) == u->r.hashes[to]);
	assert_machine_ok(m);
}

#define OP(u, call)                                                                                \
	do {                                                                                       \
		uint32_t from_ = (u)->m->nsteps;                                                   \
		int rc_ = (call);                                                                  \
		assert_true(rc_ == MM_OK || rc_ == MM_NOMEM);                                      \
		round_trip((u), from_);                                                            \
	} while (0)

static void test_every_path_round_trips(void **state)
{
	(void)state;
	struct mm_config cfg = config_mem(2 * MiB);
	struct run u = {.m = boot(&cfg), .r = {.check = true, .hash = true}};
	struct machine *m = u.m;
	machine_journal(m, true);
	recorder_attach(m, &u.r);
	uint32_t c, s[40], i[40];
	struct kmem_cache_args node_only = {.min_partial = 1, .cpu_partial = 0};
	OP(&u, kmem_cache_create_args(m, "t", 512, &node_only, &c)); /* 8 per order-0 slab */
	for (int n = 0; n < 17; n++)                                 /* new_slab, CPU, slab_full */
		OP(&u, kmem_cache_alloc(m, c, &s[n], &i[n]));
	OP(&u, kmem_cache_free(m, c, s[0], i[0]));                  /* full -> partial */
	for (int n = 17; n < 24; n++)
		OP(&u, kmem_cache_alloc(m, c, &s[n], &i[n]));
	OP(&u, kmem_cache_alloc(m, c, &s[24], &i[24]));             /* slab_full, get_partial */
	for (int n = 1; n < 8; n++)                                  /* empties a full slab */
		OP(&u, kmem_cache_free(m, c, s[n], i[n]));
	for (int n = 8; n < 16; n++)                                 /* the next one is discarded */
		OP(&u, kmem_cache_free(m, c, s[n], i[n]));
	/* the per-CPU partial list: 2 objects per slab, at most 2 slabs */
	uint32_t p, ps[14], pi[14];
	struct kmem_cache_args pcp = {.min_partial = -1, .cpu_partial = 2};
	OP(&u, kmem_cache_create_args(m, "p", 16000, &pcp, &p));
	assert_int_equal(cache_at(m, p)->objects, 2);
	assert_int_equal(cache_at(m, p)->cpu_partial_slabs, 2);
	for (int n = 0; n < 14; n++) /* 7 full slabs of 2 */
		OP(&u, kmem_cache_alloc(m, p, &ps[n], &pi[n]));
	for (int n = 0; n < 10; n += 2)   /* put, put, drain, … */
		OP(&u, kmem_cache_free(m, p, ps[n], pi[n]));
	OP(&u, kmem_cache_alloc(m, p, &ps[0], &pi[0])); /* refill from the CPU's list */
	OP(&u, kmem_cache_alloc(m, p, &ps[2], &pi[2]));
	OP(&u, kmem_cache_alloc(m, p, &ps[4], &pi[4])); /* from the node, filling the CPU's list */
	struct kobj o, big;
	OP(&u, kmalloc(m, 100, GFP_KERNEL, &o));
	OP(&u, kfree(m, slab_obj_addr(m, o.slab, o.index)));
	OP(&u, kmalloc(m, 20000, GFP_KERNEL, &big));
	OP(&u, kfree(m, m->slub->direct_map + ((uint64_t)large_at(m, big.rec)->pfn << m->page_shift)));
	/* out of memory: the buddy fails under a slab, then under a large kmalloc */
	uint32_t h;
	OP(&u, kmem_cache_create(m, "h", 4096, 0, -1, &h));
	int rc;
	do {
		uint32_t from = m->nsteps, hs, hi;
		rc = kmem_cache_alloc(m, h, &hs, &hi);
		round_trip(&u, from);
	} while (rc == MM_OK);
	assert_int_equal(cache_at(m, h)->cpu_slab, 0);
	uint32_t from = m->nsteps;
	assert_int_equal(kmalloc(m, 1 * MiB, GFP_KERNEL, &big), MM_NOMEM);
	round_trip(&u, from);
	for (int n = 16; n < 25; n++)
		OP(&u, kmem_cache_free(m, c, s[n], i[n]));
	OP(&u, kmem_cache_destroy(m, c));
	static const enum ev_kind kinds[] = {EV_CACHE_CREATE, EV_CACHE_DESTROY, EV_SLAB_ALLOC, EV_SLAB_FULL,
					     EV_GET_PARTIAL, EV_NEW_SLAB, EV_SLAB_FREE, EV_SLAB_PARTIAL,
					     EV_SLAB_EMPTY, EV_SLAB_DISCARD, EV_KMALLOC, EV_KMALLOC_LARGE,
					     EV_KFREE_LARGE, EV_FAIL, EV_CPU_PARTIAL_PUT, EV_CPU_PARTIAL_ALLOC,
					     EV_CPU_PARTIAL_DRAIN};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (!u.seen[kinds[k]])
			fail_msg("no operation took a %s step", ev_kinds[kinds[k]].name);
	/* the whole history, one step at a time, back then forth */
	uint32_t steps = m->nsteps;
	for (uint32_t st = steps; st-- > 0;) {
		machine_seek(m, st);
		assert_true(machine_hash(m) == u.r.hashes[st]);
		assert_machine_ok(m);
	}
	for (uint32_t st = 1; st <= steps; st++) {
		machine_seek(m, st);
		assert_true(machine_hash(m) == u.r.hashes[st]);
	}
	assert_machine_ok(m);
	recorder_free(&u.r);
	machine_free(m);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_every_path_round_trips),
};

int main(void)
{
	return cmocka_run_group_tests_name("slub_undo", tests, NULL, NULL);
}
