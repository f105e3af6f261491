/*
 * src/mm/checkpoint.c: a seek through checkpoints reaches exactly the state
 * stepping there one step at a time reaches (machine_hash and the invariant
 * checker), in histories that cross many checkpoints, after the future is
 * dropped and rewritten, and when no checkpoint can be taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#include "mm/checkpoint.h"
#include "mm/slub.h"

/* A 4 MiB machine (1024 frames) whose journal checkpoints every `every` steps. */
static struct machine *journaled(uint32_t every)
{
	struct mm_config c = config_mem(4 * MiB);
	c.max_order = 6;
	struct machine *m = boot(&c);
	machine_journal(m, true);
	m->j.ck_every = every;
	return m;
}

/* Buddy blocks and kmalloc objects (slabs in journaled arenas) at random. */
struct mix {
	uint64_t seed;
	unsigned nb, no;
	uint32_t pfn[256];
	uint8_t order[256];
	uint64_t obj[256];
};

static void random_op(struct machine *m, struct mix *x)
{
	uint64_t r = xorshift64(&x->seed);
	switch (r % 4) {
	case 0:
		if (x->nb) {
			unsigned i = (unsigned)((r >> 8) % x->nb);
			must_free(m, x->pfn[i], x->order[i]);
			x->nb--;
			x->pfn[i] = x->pfn[x->nb];
			x->order[i] = x->order[x->nb];
			return;
		}
		/* fall through */
	case 1: {
		unsigned order = (unsigned)((r >> 8) % 4);
		uint32_t pfn;
		if (x->nb < 256 && alloc_pages(m, order, GFP_KERNEL, -1, &pfn) == MM_OK) {
			x->pfn[x->nb] = pfn;
			x->order[x->nb++] = (uint8_t)order;
		}
		return;
	}
	case 2:
		if (x->no) {
			unsigned i = (unsigned)((r >> 8) % x->no);
			assert_int_equal(kfree(m, x->obj[i]), MM_OK);
			x->obj[i] = x->obj[--x->no];
			return;
		}
		/* fall through */
	default: {
		struct kobj o;
		uint64_t size = 8u << ((r >> 8) % 9); /* 8 .. 2048 */
		if (x->no < 256 && kmalloc(m, size, GFP_KERNEL, &o) == MM_OK)
			x->obj[x->no++] = slab_obj_addr(m, o.slab, o.index);
	}
	}
}

/* The recorder numbers steps from the machine's first; the journal from
 * when it was last switched on: `shift` steps earlier. */
static uint32_t shift;

static void seek_and_compare(struct machine *m, const struct recorder *r, uint32_t step)
{
	machine_seek(m, step);
	assert_int_equal(m->j.cursor, step);
	if (machine_hash(m) != r->hashes[step + shift])
		fail_msg("the state after a seek to step %u is not the one stepping reached", step);
	assert_machine_ok(m);
}

/* Random targets, far and near, compared with the hash recorded at each step. */
static void random_seeks(struct machine *m, const struct recorder *r, uint64_t seed, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t x = xorshift64(&seed);
		uint32_t t = (uint32_t)(x % (m->j.nsteps + 1));
		if (x & (1ull << 40)) /* near the cursor: a replay, no jump */
			t = m->j.cursor + (uint32_t)(x >> 48) % 9 > m->j.nsteps ? m->j.cursor : m->j.cursor + (uint32_t)(x >> 48) % 9;
		seek_and_compare(m, r, t);
	}
}

static void test_seek_through_checkpoints(void **state)
{
	(void)state;
	struct machine *m = journaled(37); /* not a multiple of the record anchors */
	struct recorder r = {.check = true, .hash = true};
	recorder_attach(m, &r);
	struct mix x = {.seed = 0x1234567};
	while (m->j.nsteps < 6000)
		random_op(m, &x);
	assert_true(ckpt_count(m->j.ck) >= 6000 / 37 - 1);
	assert_true(ckpt_bytes(m->j.ck) > 0);
	uint64_t jumps = ckpt_jumps(m->j.ck);
	random_seeks(m, &r, 99, 400);
	assert_true(ckpt_jumps(m->j.ck) > jumps + 100); /* most far seeks went through checkpoints */
	/* the ends, and every step of one stretch one by one, both ways */
	seek_and_compare(m, &r, 0);
	seek_and_compare(m, &r, m->j.nsteps);
	for (uint32_t s = 2000; s <= 2100; s++)
		seek_and_compare(m, &r, s);
	for (uint32_t s = 2100; s >= 1990; s--)
		seek_and_compare(m, &r, s);
	recorder_free(&r);
	machine_free(m);
}

/*
 * Many checkpoints and blocks changed at few of them: a block's version at
 * a checkpoint is found from a guess (the checkpoint's share of the list)
 * and a gallop, which must land on the right version whether the guess
 * falls before it, after it or past the list's end.  A quiet stretch of
 * kmalloc only (buddy frames untouched for many checkpoints) and a stretch
 * of buddy churn make the lists uneven; seeks to and around checkpoints
 * and to random steps are compared with the hashes stepping recorded.
 */
static void test_uneven_version_lists(void **state)
{
	(void)state;
	struct machine *m = journaled(5);
	struct recorder r = {.hash = true};
	recorder_attach(m, &r);
	struct mix x = {.seed = 0xabcdef};
	while (m->j.nsteps < 1500)
		random_op(m, &x);
	for (int i = 0; i < 40; i++) { /* objects of one size: the same few slabs change */
		struct kobj o;
		assert_int_equal(kmalloc(m, 32, GFP_KERNEL, &o), MM_OK);
		assert_int_equal(kfree(m, slab_obj_addr(m, o.slab, o.index)), MM_OK);
	}
	while (m->j.nsteps < 4000)
		random_op(m, &x);
	assert_true(ckpt_count(m->j.ck) >= 4000 / 5 - 1);
	uint64_t jumps = ckpt_jumps(m->j.ck);
	for (uint32_t s = 0; s <= m->j.nsteps; s += 397) { /* at checkpoints and just off them */
		uint32_t c = s - s % 5;
		seek_and_compare(m, &r, c);
		seek_and_compare(m, &r, c + 1 <= m->j.nsteps ? c + 1 : c);
		seek_and_compare(m, &r, m->j.nsteps - c);
	}
	random_seeks(m, &r, 4242, 300);
	assert_true(ckpt_jumps(m->j.ck) > jumps + 100);
	recorder_free(&r);
	machine_free(m);
}

/* Dropping the future drops its checkpoints; the rewritten future gets new
 * ones, and seeks in it match a machine that never went back. */
static void test_truncate_rewrites_checkpoints(void **state)
{
	(void)state;
	struct machine *a = journaled(50), *b = journaled(50);
	struct recorder ra = {.hash = true}, rb = {.hash = true};
	recorder_attach(a, &ra);
	recorder_attach(b, &rb);
	struct mix xa = {.seed = 5}, xb = {.seed = 5};
	for (int i = 0; i < 600; i++) {
		random_op(a, &xa);
		random_op(b, &xb);
	}
	uint32_t cut = a->j.nsteps / 2;
	struct mix other = {.seed = 77};
	while (a->j.nsteps < 3000)
		random_op(a, &other); /* a future that will be dropped */
	/* back to the same operation boundary b has, then a new future */
	machine_seek(a, b->j.nsteps);
	(void)cut;
	uint32_t before = ckpt_count(a->j.ck);
	struct mix again = {.seed = 1000};
	struct mix again_b = again;
	random_op(a, &again); /* drops the steps after the cursor */
	random_op(b, &again_b);
	assert_true(ckpt_count(a->j.ck) < before);
	for (int i = 0; i < 800; i++) {
		random_op(a, &again);
		random_op(b, &again_b);
	}
	assert_int_equal(a->j.nsteps, b->j.nsteps);
	assert_int_equal(ckpt_count(a->j.ck), ckpt_count(b->j.ck));
	assert_true(machine_hash(a) == machine_hash(b));
	random_seeks(a, &rb, 3, 200);
	recorder_free(&ra);
	recorder_free(&rb);
	machine_free(a);
	machine_free(b);
}

/* Switching the journal off forgets the checkpoints with the history. */
static void test_journal_off_forgets_checkpoints(void **state)
{
	(void)state;
	struct machine *m = journaled(20);
	struct mix x = {.seed = 9};
	while (m->j.nsteps < 500)
		random_op(m, &x);
	assert_true(ckpt_count(m->j.ck) > 0);
	machine_journal(m, false);
	assert_int_equal(ckpt_count(m->j.ck), 0);
	machine_journal(m, true);
	m->j.ck_every = 20;
	struct recorder r = {.hash = true};
	recorder_attach(m, &r);
	shift = m->nsteps;
	while (m->j.nsteps < 500)
		random_op(m, &x);
	assert_true(ckpt_count(m->j.ck) >= 24);
	random_seeks(m, &r, 8, 100);
	shift = 0;
	recorder_free(&r);
	machine_free(m);
}

/*
 * When memory cannot grow, checkpoints stop and the journal goes on: with a
 * checkpoint at every step (ten times the journal's own growth) under an
 * address-space limit, checkpoints stop first; the steps after are still
 * recorded, and seeks anywhere still reach the recorded states.  Runs in a
 * child, whose exit status says what failed.  (AddressSanitizer cannot run
 * under an address-space limit: its builds leave this test out.)
 */
#if !defined(__SANITIZE_ADDRESS__)
#define LIMITED_STEPS (1u << 17)
static uint64_t limited_hash[LIMITED_STEPS + 64];
static uint32_t limited_at[LIMITED_STEPS];

static int under_a_limit(void)
{
	struct machine *m = journaled(1);
	long vm_pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f || fscanf(f, "%ld", &vm_pages) != 1)
		return 10;
	fclose(f);
	struct rlimit rl = {.rlim_cur = (rlim_t)vm_pages * (rlim_t)sysconf(_SC_PAGESIZE) + (40u << 20)};
	rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		return 11;
	struct mix x = {.seed = 31};
	uint32_t n = 0;
	limited_hash[0] = machine_hash(m);
	limited_at[n++] = 0;
	while (!ckpt_stopped(m->j.ck) && !m->j.full && m->j.nsteps < LIMITED_STEPS - 64) {
		random_op(m, &x);
		limited_hash[n] = machine_hash(m);
		limited_at[n++] = m->j.nsteps;
	}
	if (!ckpt_stopped(m->j.ck) || m->j.full)
		return 12; /* checkpoints never ran out first */
	uint32_t taken = ckpt_count(m->j.ck), stopped_at = m->j.nsteps;
	for (int i = 0; i < 300 && n < LIMITED_STEPS; i++) {
		random_op(m, &x);
		limited_hash[n] = machine_hash(m);
		limited_at[n++] = m->j.nsteps;
	}
	if (m->j.full || m->j.nsteps <= stopped_at)
		return 13; /* the journal must go on */
	if (ckpt_count(m->j.ck) != taken || taken < 100)
		return 14;
	uint64_t seed = 5;
	for (int i = 0; i < 300; i++) {
		uint32_t k = (uint32_t)(xorshift64(&seed) % n);
		machine_seek(m, limited_at[k]);
		if (machine_hash(m) != limited_hash[k])
			return 15;
	}
	char why[256];
	if (check_machine(m, why, sizeof why) != 0)
		return 16;
	machine_free(m);
	return 0;
}

static void test_checkpoints_stop_when_memory_cannot_grow(void **state)
{
	(void)state;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(under_a_limit());
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seek_through_checkpoints),
		cmocka_unit_test(test_truncate_rewrites_checkpoints),
		cmocka_unit_test(test_uneven_version_lists),
		cmocka_unit_test(test_journal_off_forgets_checkpoints),
#if !defined(__SANITIZE_ADDRESS__)
		cmocka_unit_test(test_checkpoints_stop_when_memory_cannot_grow),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
