/*
 * Fuzz target: random sequences of the model's operations — buddy
 * (alloc_pages, free_pages), SLUB (kmem_cache_*, kmalloc, kfree), vmalloc
 * and page tables (mm_alloc, map, unmap, protect, translate, flush) — mixed
 * with time travel.  After every operation the invariant checker runs; a
 * rejected operation must leave the state exactly as it was (no step, no
 * journal record, and for one operation in 8 the same hash); going back to where any operation ended gives the hash recorded
 * then, any step in between passes the checker, and coming back to the end
 * gives the end's hash.
 *
 * Every journal record must belong to a step: none after an operation's
 * last event.  (MEMSTEP_FUZZ_NO_LARGE_KMALLOC=1 leaves large kmallocs out,
 * to fuzz past that finding until it is fixed.)
 *
 * Input: byte 0 picks the machine, then each operation takes 1 byte of kind
 * and up to 4 of arguments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/check.h"
#include "mm/gfp.h"
#include "mm/machine.h"
#include "mm/page_alloc.h"
#include "mm/pgtable.h"
#include "mm/slub.h"
#include "mm/vmalloc.h"

#define MAX_LIVE 64

struct input {
	const uint8_t *p;
	size_t n;
};

static uint32_t take(struct input *in, unsigned bytes)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < bytes; i++) {
		v = v << 8 | (in->n ? *in->p : 0);
		if (in->n) {
			in->p++;
			in->n--;
		}
	}
	return v;
}

/* Live objects, with the step count when each was made. */
struct live {
	uint32_t v[MAX_LIVE];
	uint64_t a[MAX_LIVE];
	uint32_t born[MAX_LIVE];
	unsigned n;
	const struct machine *m;
};

static void keep(struct live *l, uint32_t v, uint64_t a)
{
	if (l->n == MAX_LIVE)
		return;
	l->v[l->n] = v;
	l->born[l->n] = l->m->j.cursor;
	l->a[l->n++] = a;
}

static void drop(struct live *l, unsigned i)
{
	l->n--;
	l->v[i] = l->v[l->n];
	l->a[i] = l->a[l->n];
	l->born[i] = l->born[l->n];
}

/* Forget what was made after step `at` (the C API has no stale handles:
 * the Lua layer checks those). */
static void forget_after(struct live *l, uint32_t at)
{
	for (unsigned i = l->n; i-- > 0;)
		if (l->born[i] > at)
			drop(l, i);
}

struct state {
	struct machine *m;
	uint64_t *hash;    /* hash[i]: the state after step hash_at[i] */
	uint32_t *hash_at; /* steps at the end of each operation made (0: boot) */
	size_t nhash, caphash;
	struct live pages, caches, objs, kmallocs, areas, mms, maps;

	const char *op; /* the operation running, for messages */
};

static void die(const struct state *st, const char *what)
{
	const struct journal *j = &st->m->j;
	if (getenv("FUZZ_OPS_VERBOSE"))
		for (uint32_t i = j->nsteps > 12 ? j->nsteps - 12 : 0; i < j->nsteps; i++)
			fprintf(stderr, "  step %u: %s (record bytes to %zu)\n", i + 1,
				ev_kinds[journal_step_kind(j, i)].name, journal_rec_begin(j, i + 1));
	if (getenv("FUZZ_OPS_VERBOSE"))
		fprintf(stderr, "  record bytes: %zu\n", j->nrb);
	fprintf(stderr, "fuzz_ops: %s: %s (at step %u of %u)\n", st->op, what, st->m->j.cursor, st->m->j.nsteps);
	abort();
}

/* Remember the state at the end of history (after an operation). */
static void remember(struct state *st)
{
	if (st->nhash == st->caphash) {
		st->caphash = st->caphash * 2 + 64;
		st->hash = realloc(st->hash, st->caphash * sizeof *st->hash);
		st->hash_at = realloc(st->hash_at, st->caphash * sizeof *st->hash_at);
		if (!st->hash || !st->hash_at)
			abort();
	}
	st->hash_at[st->nhash] = st->m->j.cursor;
	st->hash[st->nhash++] = machine_hash(st->m);
}

static void check(const struct state *st)
{
	char why[512];
	if (check_machine(st->m, why, sizeof why) != 0)
		die(st, why);
}

/* Run one operation; a rejected one must change nothing. */
static void operate(struct state *st, struct input *in, bool hash)
{
	struct machine *m = st->m;
	uint64_t before = hash ? machine_hash(m) : 0;
	uint32_t steps = m->nsteps;
	size_t records = m->j.nrb;
	uint32_t kind = take(in, 1) % 14, a = take(in, 2), b = take(in, 2);
	uint32_t out = 0, out2 = 0;
	int rc = MM_OK;
	unsigned i;
	static const uint32_t gfps[] = {GFP_KERNEL, GFP_ATOMIC, GFP_DMA, GFP_NOWAIT};
	static const char *const names[] = {"alloc_pages", "free_pages", "kmem_cache_create", "kmem_cache_alloc",
					    "kmem_cache_free", "kmem_cache_destroy", "kmalloc", "kfree", "vmalloc",
					    "vfree", "mm_alloc", "map", "unmap/protect", "translate/flush"};
	st->op = names[kind];
	switch (kind) {
	case 0: /* alloc_pages */
		rc = alloc_pages(m, a % (m->max_order + 2), gfps[b % 4], (int)(b >> 8) % 3 - 1, &out);
		if (rc == MM_OK)
			keep(&st->pages, out, 0);
		break;
	case 1: /* free_pages: a live block, or any pfn */
		if (st->pages.n && !(b & 1)) {
			i = a % st->pages.n;
			rc = free_pages(m, st->pages.v[i], -1);
			if (rc == MM_OK)
				drop(&st->pages, i);
			else
				die(st, "free_pages of a live block failed");
		} else {
			rc = free_pages(m, a, (int)(b % 13) - 1);
			for (i = 0; rc == MM_OK && i < st->pages.n; i++)
				if (st->pages.v[i] == a)
					drop(&st->pages, i);
		}
		break;
	case 2: { /* kmem_cache_create */
		char name[32];
		snprintf(name, sizeof name, "cache%u", a % 8);
		rc = kmem_cache_create(m, name, a % 5000, b % 3 ? 0 : 1u << (b % 13), 5, &out);
		if (rc == MM_OK)
			keep(&st->caches, out, 0);
		break;
	}
	case 3: /* kmem_cache_alloc */
		if (!st->caches.n)
			break;
		i = a % st->caches.n;
		rc = kmem_cache_alloc(m, st->caches.v[i], &out, &out2);
		if (rc == MM_OK)
			keep(&st->objs, st->caches.v[i], (uint64_t)out << 32 | out2);
		break;
	case 4: /* kmem_cache_free */
		if (!st->objs.n)
			break;
		i = a % st->objs.n;
		rc = kmem_cache_free(m, st->objs.v[i], (uint32_t)(st->objs.a[i] >> 32), (uint32_t)st->objs.a[i]);
		if (rc == MM_OK)
			drop(&st->objs, i);
		break;
	case 5: /* kmem_cache_destroy (refused while objects live) */
		if (!st->caches.n)
			break;
		i = a % st->caches.n;
		rc = kmem_cache_destroy(m, st->caches.v[i]);
		if (rc == MM_OK)
			drop(&st->caches, i);
		break;
	case 6: { /* kmalloc: small, or large from time to time */
		struct kobj o;
		bool large_ok = !getenv("MEMSTEP_FUZZ_NO_LARGE_KMALLOC");
		uint64_t size = b & 1 && large_ok ? (uint64_t)a << 4 : a % (large_ok ? 9000 : 8193);
		rc = kmalloc(m, size, gfps[b % 4], &o);
		if (rc == MM_OK) {
			uint64_t addr = o.large ? m->slub->direct_map +
							  ((uint64_t)((struct kmalloc_large *)slub_ptr(m, o.rec))->pfn
							   << m->page_shift)
						: slab_obj_addr(m, o.slab, o.index);
			keep(&st->kmallocs, 0, addr);
		}
		break;
	}
	case 7: /* kfree: a live one, or any address near one */
		if (!st->kmallocs.n)
			break;
		i = a % st->kmallocs.n;
		rc = kfree(m, st->kmallocs.a[i] + (b & 3 ? 0 : b % 64));
		if (rc == MM_OK)
			drop(&st->kmallocs, i);
		break;
	case 8: /* vmalloc */
		rc = vmalloc(m, (uint64_t)a * (b % 8 + 1), &out);
		if (rc == MM_OK)
			keep(&st->areas, out, vmap_start(vmap_at(m, out)));
		break;
	case 9: /* vfree: a live area, or an address inside one */
		if (!st->areas.n)
			break;
		i = a % st->areas.n;
		rc = vfree(m, st->areas.a[i] + (b & 1 ? b : 0));
		if (rc == MM_OK)
			drop(&st->areas, i);
		break;
	case 10: /* mm_alloc */
		rc = pt_mm_alloc(m, &out);
		if (rc == MM_OK)
			keep(&st->mms, out, 0);
		break;
	case 11: { /* map a live page (or any pfn) at a page-aligned va */
		if (!st->mms.n)
			break;
		i = a % st->mms.n;
		uint64_t va = (uint64_t)b << m->page_shift << (a % 3 * 9);
		uint32_t pfn = st->pages.n && (a & 8) ? st->pages.v[b % st->pages.n] : a;
		rc = pt_map(m, st->mms.v[i], va, pfn, a >> 14 ? 9 : 0, b % 16);
		if (rc == MM_OK)
			keep(&st->maps, st->mms.v[i], va);
		break;
	}
	case 12: /* unmap or protect a mapping */
		if (!st->maps.n)
			break;
		i = a % st->maps.n;
		if (b & 1) {
			rc = pt_unmap(m, st->maps.v[i], st->maps.a[i]);
			if (rc == MM_OK)
				drop(&st->maps, i);
		} else {
			rc = pt_protect(m, st->maps.v[i], st->maps.a[i], b % 16);
		}
		break;
	case 13: { /* translate, or flush the TLB */
		if (!st->mms.n)
			break;
		i = a % st->mms.n;
		struct pt_result r;
		uint64_t va = st->maps.n ? st->maps.a[b % st->maps.n] + a % 4096 : (uint64_t)a << 12;
		if (b & 0x100)
			pt_tlb_flush(m, st->mms.v[i], va, b & 2);
		else
			rc = pt_translate(m, st->mms.v[i], va, (enum pt_access)(b % NR_ACC), b & 4, &r);
		break;
	}
	}
	const struct journal *j = &m->j;
	if (j->nrb != journal_rec_begin(j, j->nsteps))
		die(st, "journal records after the operation's last step (they belong to no step)");
	if (getenv("FUZZ_OPS_VERBOSE"))
		fprintf(stderr, "  %s -> %d, steps %u, hash %016llx\n", st->op, rc, m->j.nsteps,
			(unsigned long long)machine_hash(m));
	/* Unchanged: no record, no step, and (when hashed) the same state. */
	bool same = m->nsteps == steps && m->j.nrb == records && (!hash || machine_hash(m) == before);
	if (rc == MM_EINVAL && !same)
		die(st, "a rejected operation changed the state");
	check(st);
}

/* Go back to where an operation ended and to any step, then to the end
 * again: the states are the ones made, and the invariants hold. */
static void travel(struct state *st, struct input *in)
{
	struct machine *m = st->m;
	/* "end": where we are, the end of history or (after go_back) before it */
	uint32_t end = m->j.cursor, pick = take(in, 2), any = m->j.nsteps ? take(in, 2) % (m->j.nsteps + 1) : 0;
	uint64_t at_end = machine_hash(m);
	st->op = "goto";
	size_t i = pick % st->nhash;
	if (getenv("FUZZ_OPS_VERBOSE"))
		fprintf(stderr, "  travel to %u (remembered %zu of %zu: %016llx), any %u, end %u\n", st->hash_at[i], i,
			st->nhash, (unsigned long long)st->hash[i], any, end);
	machine_seek(m, st->hash_at[i]);
	if (machine_hash(m) != st->hash[i])
		die(st, "going back gave another state than the step made");
	check(st);
	machine_seek(m, any);
	check(st);
	if (any)
		machine_seek(m, any - 1);
	machine_seek(m, end);
	if (machine_hash(m) != at_end)
		die(st, "coming back to the end gave another state");
}

/* Go back to where an operation ended and stay: the next operation drops
 * the later steps (an editor's undo history), and what they made. */
static void go_back(struct state *st, struct input *in)
{
	size_t i = take(in, 2) % st->nhash;
	uint32_t at = st->hash_at[i];
	st->op = "goto and stay";
	if (getenv("FUZZ_OPS_VERBOSE"))
		fprintf(stderr, "  go back to %u\n", at);
	machine_seek(st->m, at);
	if (machine_hash(st->m) != st->hash[i])
		die(st, "going back gave another state than the step made");
	check(st);
	st->nhash = i + 1; /* the later ones go with the steps an operation drops */
	struct live *lists[] = {&st->pages, &st->caches, &st->objs, &st->kmallocs, &st->areas, &st->mms, &st->maps};
	for (unsigned k = 0; k < sizeof lists / sizeof *lists; k++)
		forget_after(lists[k], at);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct mm_config c;
	mm_config_default(&c);
	uint32_t pick = take(&in, 1);
	/* small machines: the checker and the hash look at every frame */
	static const uint64_t memories[] = {256u << 10, 1u << 20, 2u << 20, 4u << 20};
	c.memory = memories[pick % 4];
	if (pick & 4 && c.memory >= 1u << 20)
		c.page_size = 64u << 10;
	if (pick & 8)
		c.max_order = 5;
	char why[256];
	struct state st = {0};
	st.m = machine_new(&c, why, sizeof why);
	if (!st.m)
		return 0;
	machine_journal(st.m, true);
	struct live *lists[] = {&st.pages, &st.caches, &st.objs, &st.kmallocs, &st.areas, &st.mms, &st.maps};
	for (unsigned k = 0; k < sizeof lists / sizeof *lists; k++)
		lists[k]->m = st.m;
	remember(&st);
	/* Hashing looks at all memory: remember one operation's end in 8. */
	for (int n = 0; in.n && n < 200; n++) {
		uint32_t what = take(&in, 1);
		if (what % 8 == 0) {
			travel(&st, &in);
		} else if (what == 0x55) {
			go_back(&st, &in);
		} else {
			operate(&st, &in, n % 8 == 3);
			if (n % 8 == 7 && st.m->j.cursor != st.hash_at[st.nhash - 1])
				remember(&st);
		}
	}
	st.op = "goto 0";
	machine_seek(st.m, 0);
	if (machine_hash(st.m) != st.hash[0])
		die(&st, "going back to the start gave another state than boot");
	check(&st);
	machine_free(st.m);
	free(st.hash);
	free(st.hash_at);
	return 0;
}
