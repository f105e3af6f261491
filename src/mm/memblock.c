/*
 * The boot-time allocator, modelled on mm/memblock.c (Linux 6.18):
 * - memblock_add_range inserts the parts of a range no region covers yet, in
 *   address order, then memblock_merge_regions joins neighbours that touch
 *   and share node and flags; memblock_remove_range cuts a range out of the
 *   regions it overlaps (memblock_isolate_range + memblock_remove_region).
 * - memblock_add/memblock_remove act on memblock.memory, memblock_reserve
 *   and memblock_free (memblock_phys_free) on memblock.reserved.
 * - memblock_alloc is memblock_alloc_range_nid: memblock_find_in_range_node
 *   walks the free ranges (memory minus reserved) from the top down
 *   (__memblock_find_range_top_down; bottom_up is off, as by default), never
 *   below the first page, takes the highest aligned fit and reserves it with
 *   MEMBLOCK_RSRV_KERN (memblock_reserve_kern).
 * - memblock_free_all: free_low_memory_core_early hands every free range to
 *   the buddy in the largest naturally aligned blocks (__free_pages_memory,
 *   memblock_free_pages, __free_pages_core adding them to managed_pages);
 *   reserved ranges stay reserved (memmap_init_reserved_pages).  Then the
 *   watermarks (init_per_zone_wmark_min, an initcall in the kernel).
 * Simplified: the arrays do not grow (memblock_double_array), there is one
 * node, no mirror/hotplug/nomap handling, and memblock_add/remove after the
 * zones are laid out move no zone boundary (only present pages change).
 */
#include "memblock.h"

#include "page_alloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void memblock_setup(struct machine *m)
{
	m->memblock = xcalloc(1, sizeof *m->memblock);
	arena_init(m, &m->memblock->arena);
	arena_alloc(m, &m->memblock->arena, sizeof(struct memblock_root));
}

void memblock_release(struct machine *m)
{
	free(m->memblock);
	m->memblock = NULL;
}

/* ---- the region arrays ---- */

static void put_region(struct machine *m, struct memblock_region *r, const struct memblock_region *v)
{
	jset64(&m->j, &r->base, v->base);
	jset64(&m->j, &r->size, v->size);
	jset32(&m->j, &r->flags, v->flags);
	jset32(&m->j, &r->nid, v->nid);
}

/* Write a new array back through the journal, merging neighbours first. */
static int commit(struct machine *m, struct memblock_type *t, struct memblock_region *v, unsigned n)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (k && mb_end(&v[k - 1]) == v[i].base && v[k - 1].flags == v[i].flags && v[k - 1].nid == v[i].nid)
			v[k - 1].size += v[i].size;
		else
			v[k++] = v[i];
	}
	if (k > MEMBLOCK_REGIONS)
		return mm_error(m, "memblock: more than %d regions (the model does not double the array)",
				MEMBLOCK_REGIONS);
	uint64_t total = 0;
	for (unsigned i = 0; i < k; i++) {
		put_region(m, &t->regions[i], &v[i]);
		total += v[i].size;
	}
	static const struct memblock_region zero = {0, 0, 0, 0};
	for (unsigned i = k; i < t->cnt; i++)
		put_region(m, &t->regions[i], &zero);
	jset32(&m->j, &t->cnt, k);
	jset64(&m->j, &t->total_size, total);
	return MM_OK;
}

int memblock_add_range(struct machine *m, struct memblock_type *t, uint64_t base, uint64_t size, uint32_t nid,
		       uint32_t flags)
{
	struct memblock_region v[2 * MEMBLOCK_REGIONS + 2];
	unsigned n = 0;
	uint64_t cur = base, end = base + size;
	for (unsigned i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		if (cur < end && r->base > cur)
			v[n++] = (struct memblock_region){cur, (r->base < end ? r->base : end) - cur, flags, nid};
		v[n++] = *r;
		if (mb_end(r) > cur)
			cur = mb_end(r);
	}
	if (cur < end)
		v[n++] = (struct memblock_region){cur, end - cur, flags, nid};
	return commit(m, t, v, n);
}

int memblock_remove_range(struct machine *m, struct memblock_type *t, uint64_t base, uint64_t size)
{
	struct memblock_region v[MEMBLOCK_REGIONS + 2];
	unsigned n = 0;
	uint64_t end = base + size;
	for (unsigned i = 0; i < t->cnt; i++) {
		struct memblock_region r = t->regions[i];
		if (mb_end(&r) <= base || r.base >= end) {
			v[n++] = r;
			continue;
		}
		if (r.base < base)
			v[n++] = (struct memblock_region){r.base, base - r.base, r.flags, r.nid};
		if (mb_end(&r) > end)
			v[n++] = (struct memblock_region){end, mb_end(&r) - end, r.flags, r.nid};
	}
	return commit(m, t, v, n);
}

/* ---- free ranges and pages ---- */

static uint64_t pfn_up(const struct machine *m, uint64_t a) { return (a + m->cfg.page_size - 1) >> m->page_shift; }
static uint64_t pfn_down(const struct machine *m, uint64_t a) { return a >> m->page_shift; }

/* for_each_free_mem_range in bytes: memory minus reserved, low to high.
 * Calls fn(start, end) with byte addresses; returns early when fn says so. */
typedef bool (*byte_range_fn)(struct machine *m, uint64_t s, uint64_t e, void *ctx);

static void for_each_free_range(struct machine *m, bool reverse, byte_range_fn fn, void *ctx)
{
	const struct memblock_root *r = memblock_root(m);
	const struct memblock_type *mem = &r->memory, *res = &r->reserved;
	for (unsigned k = 0; k < mem->cnt; k++) {
		unsigned i = reverse ? mem->cnt - 1 - k : k;
		uint64_t ms = mem->regions[i].base, me = mb_end(&mem->regions[i]);
		/* the gaps between reserved regions that fall in [ms, me) */
		uint64_t prev_end = 0;
		unsigned nres = res->cnt;
		uint64_t s[MEMBLOCK_REGIONS + 1], e[MEMBLOCK_REGIONS + 1];
		unsigned ng = 0;
		for (unsigned j = 0; j <= nres; j++) {
			uint64_t gs = prev_end, ge = j < nres ? res->regions[j].base : UINT64_MAX;
			if (j < nres)
				prev_end = mb_end(&res->regions[j]);
			if (ge <= ms || gs >= me)
				continue;
			s[ng] = gs > ms ? gs : ms;
			e[ng] = ge < me ? ge : me;
			if (s[ng] < e[ng])
				ng++;
		}
		for (unsigned g = 0; g < ng; g++) {
			unsigned x = reverse ? ng - 1 - g : g;
			if (!fn(m, s[x], e[x], ctx))
				return;
		}
	}
}

struct pfn_walk {
	mb_range_fn fn;
	void *ctx;
};

static bool pfn_range_cb(struct machine *m, uint64_t s, uint64_t e, void *ctx)
{
	struct pfn_walk *w = ctx;
	uint64_t ps = pfn_up(m, s), pe = pfn_down(m, e);
	if (pe > m->nr_frames)
		pe = m->nr_frames;
	if (ps < pe)
		w->fn(m, (uint32_t)ps, (uint32_t)pe, w->ctx);
	return true;
}

void memblock_for_each_free_pfn_range(struct machine *m, mb_range_fn fn, void *ctx)
{
	struct pfn_walk w = {fn, ctx};
	for_each_free_range(m, false, pfn_range_cb, &w);
}

uint64_t memblock_memory_pages(const struct machine *m, uint32_t spfn, uint32_t epfn)
{
	const struct memblock_type *t = &memblock_root(m)->memory;
	uint64_t n = 0;
	for (unsigned i = 0; i < t->cnt; i++) {
		uint64_t s = pfn_up(m, t->regions[i].base), e = pfn_down(m, mb_end(&t->regions[i]));
		s = s > spfn ? s : spfn;
		e = e < epfn ? e : epfn;
		n += e > s ? e - s : 0;
	}
	return n;
}

/* ---- frames ---- */

/* The largest block at s that is aligned, fits before e and stays in z. */
static unsigned block_order(const struct machine *m, uint32_t s, uint32_t e)
{
	unsigned order = m->max_order - 1;
	while (order && ((s & ((1u << order) - 1)) || s + (1u << order) > e))
		order--;
	return order;
}

static void set_frame(struct machine *m, uint32_t pfn, unsigned state, unsigned order)
{
	jset32(&m->j, &m->frames[pfn].info, frame_info(state, order));
}

struct tile_ctx {
	uint32_t a, b, at; /* the window and how far it is laid out */
	bool fresh;        /* every frame is still a tail: write the heads only */
};

static void reserve_frames(struct machine *m, uint32_t s, uint32_t e)
{
	for (uint32_t p = s; p < e; p++)
		set_frame(m, p, FS_RESERVED, 0);
}

static void tile_cb(struct machine *m, uint32_t s, uint32_t e, void *ctx)
{
	struct tile_ctx *t = ctx;
	s = s > t->a ? s : t->a;
	e = e < t->b ? e : t->b;
	if (s >= e)
		return;
	reserve_frames(m, t->at, s);
	while (s < e) {
		struct zone *z = pfn_zone(m, s);
		uint32_t ze = z->start_pfn + z->spanned < e ? z->start_pfn + z->spanned : e;
		unsigned o = block_order(m, s, ze);
		set_frame(m, s, FS_MEMBLOCK, o);
		for (uint32_t p = s + 1; !t->fresh && p < s + (1u << o); p++)
			set_frame(m, p, FS_TAIL, 0);
		s += 1u << o;
	}
	t->at = e;
}

void memblock_tile(struct machine *m, uint32_t a, uint32_t b, bool fresh)
{
	struct tile_ctx t = {a, b, a, fresh};
	memblock_for_each_free_pfn_range(m, tile_cb, &t);
	reserve_frames(m, t.at, b);
}

/* Lay out again the frames whose blocks may change when the pages [base,
 * base + size) change hands.  A block's order depends only on its pfn and
 * the end of its free run, and no block crosses a boundary aligned to the
 * largest order, so the window between the two such boundaries around the
 * change is enough. */
static void retile(struct machine *m, uint64_t base, uint64_t size)
{
	uint64_t big = 1ull << (m->max_order - 1);
	uint64_t s = pfn_down(m, base) & ~(big - 1), e = (pfn_up(m, base + size) + big - 1) & ~(big - 1);
	if (s >= m->nr_frames)
		return;
	memblock_tile(m, (uint32_t)s, e > m->nr_frames ? m->nr_frames : (uint32_t)e, false);
}

/* Present pages follow memblock.memory (calculate_node_totalpages). */
static void update_present(struct machine *m)
{
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		struct zone *z = &m->zones[i];
		jset32(&m->j, &z->present,
		       (uint32_t)memblock_memory_pages(m, z->start_pfn, z->start_pfn + z->spanned));
	}
}

/* ---- the calls ---- */

static int check_call(struct machine *m, const char *fname, uint64_t base, uint64_t size)
{
	if (!memblock_booting(m))
		return mm_error(m, "%s: memblock_free_all has run: the buddy allocator owns memory now", fname);
	if (size == 0)
		return mm_error(m, "%s: a size of 0", fname);
	if (base + size < base)
		return mm_error(m, "%s: [0x%" PRIx64 ", +0x%" PRIx64 ") wraps around", fname, base, size);
	return MM_OK;
}

/* A region change as one operation: the arrays, the frames, the event. */
static int region_op(struct machine *m, const char *fname, bool memory, bool add, uint64_t base, uint64_t size,
		     uint32_t flags, enum ev_kind kind)
{
	if (check_call(m, fname, base, size) != MM_OK)
		return MM_EINVAL;
	struct memblock_root *r = memblock_root(m);
	struct memblock_type *t = memory ? &r->memory : &r->reserved;
	if (memory && pfn_up(m, base + size) > m->nr_frames)
		return mm_error(m, "%s: [0x%" PRIx64 "-0x%" PRIx64 "] lies beyond the %u frames laid out from the map",
				fname, base, base + size - 1, m->nr_frames);
	mm_op_begin(m);
	int rc = add ? memblock_add_range(m, t, base, size, memory ? 0 : MEMBLOCK_NO_NODE, flags)
		     : memblock_remove_range(m, t, base, size);
	if (rc == MM_OK) {
		if (memory)
			update_present(m);
		retile(m, base, size);
		EMIT(m, kind, (int64_t)base, (int64_t)size, t->cnt);
	}
	mm_op_end(m);
	return rc;
}

int memblock_add(struct machine *m, uint64_t base, uint64_t size)
{
	return region_op(m, "memblock_add", true, true, base, size, 0, EV_MEMBLOCK_ADD);
}

int memblock_remove(struct machine *m, uint64_t base, uint64_t size)
{
	return region_op(m, "memblock_remove", true, false, base, size, 0, EV_MEMBLOCK_REMOVE);
}

int memblock_reserve(struct machine *m, uint64_t base, uint64_t size)
{
	return region_op(m, "memblock_reserve", false, true, base, size, 0, EV_MEMBLOCK_RESERVE);
}

int memblock_free(struct machine *m, uint64_t base, uint64_t size)
{
	return region_op(m, "memblock_free", false, false, base, size, 0, EV_MEMBLOCK_FREE);
}

struct find {
	uint64_t size, align, start, found;
	bool ok;
};

/* __memblock_find_range_top_down's body for one free range. */
static bool find_cb(struct machine *m, uint64_t s, uint64_t e, void *ctx)
{
	struct find *f = ctx;
	(void)m;
	s = s > f->start ? s : f->start;
	if (e < s || e - s < f->size)
		return true;
	uint64_t cand = (e - f->size) & ~(f->align - 1);
	if (cand < s)
		return true;
	f->found = cand;
	f->ok = true;
	return false;
}

int memblock_alloc(struct machine *m, uint64_t size, uint64_t align, uint64_t *addr)
{
	if (check_call(m, "memblock_alloc", 0, size) != MM_OK)
		return MM_EINVAL;
	if (!align)
		align = 8; /* SMP_CACHE_BYTES would be the kernel's; any power of two works */
	if (align & (align - 1))
		return mm_error(m, "memblock_alloc: align 0x%" PRIx64 " is not a power of two", align);
	/* the first page is never handed out: NULL means failure */
	struct find f = {size, align, m->cfg.page_size, 0, false};
	for_each_free_range(m, true, find_cb, &f);
	if (!f.ok) {
		snprintf(m->reason, sizeof m->reason, "memblock: no free range holds 0x%" PRIx64 " bytes aligned to 0x%" PRIx64,
			 size, align);
		mm_op_begin(m);
		EMIT(m, EV_MEMBLOCK_ALLOC, (int64_t)size, (int64_t)align, 0, 0);
		mm_op_end(m);
		return MM_NOMEM;
	}
	struct memblock_type *t = &memblock_root(m)->reserved;
	mm_op_begin(m);
	int rc = memblock_add_range(m, t, f.found, size, MEMBLOCK_NO_NODE, MEMBLOCK_RSRV_KERN);
	if (rc == MM_OK) {
		retile(m, f.found, size);
		EMIT(m, EV_MEMBLOCK_ALLOC, (int64_t)size, (int64_t)align, (int64_t)f.found, 1);
	}
	mm_op_end(m);
	*addr = f.found;
	return rc;
}

/* ---- the hand-over ---- */

struct handover {
	bool steps;
	uint64_t pages;
};

/* __free_memory_core + __free_pages_memory for one free range. */
static void free_core_cb(struct machine *m, uint32_t s, uint32_t e, void *ctx)
{
	struct handover *h = ctx;
	if (h->steps)
		EMIT(m, EV_FREE_MEM_CORE, s, e);
	while (s < e) {
		struct zone *z = pfn_zone(m, s);
		uint32_t ze = z->start_pfn + z->spanned < e ? z->start_pfn + z->spanned : e;
		unsigned o = block_order(m, s, ze);
		buddy_boot_free(m, z, s, o);
		jset32(&m->j, &z->managed, z->managed + (1u << o));
		h->pages += 1u << o;
		if (h->steps)
			EMIT(m, EV_FREE_PAGES_CORE, z->id, s, o);
		s += 1u << o;
	}
}

int memblock_free_all(struct machine *m, bool steps)
{
	if (!memblock_booting(m))
		return mm_error(m, "memblock_free_all: it has run already (the buddy allocator owns memory)");
	struct handover h = {steps, 0};
	if (steps)
		mm_op_begin(m);
	jset32(&m->j, &memblock_root(m)->booting, 0);
	memblock_for_each_free_pfn_range(m, free_core_cb, &h);
	init_per_zone_wmark_min(m);
	if (steps) {
		EMIT(m, EV_MEMBLOCK_FREE_ALL, (int64_t)h.pages, m->min_free_kbytes);
		mm_op_end(m);
	}
	return MM_OK;
}

/* ---- debugfs ---- */

const char *memblock_flag_name(uint32_t flags)
{
	static const char *const flagname[] = {"HOTPLUG", "MIRROR", "NOMAP", "DRV_MNG", "RSV_NIT", "RSV_KERN"};
	for (unsigned j = 0; j < sizeof flagname / sizeof *flagname; j++)
		if (flags & (1u << j))
			return flagname[j];
	return flags ? "UNKNOWN" : "NONE";
}

static void show_type(const struct memblock_type *t, struct strbuf *out)
{
	for (unsigned i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];
		strbuf_printf(out, "%4u: 0x%016" PRIx64 "..0x%016" PRIx64 " ", i, r->base, mb_end(r) - 1);
		if (r->nid == MEMBLOCK_NO_NODE)
			strbuf_printf(out, "%4c ", 'x');
		else
			strbuf_printf(out, "%4u ", r->nid);
		strbuf_printf(out, "%s\n", memblock_flag_name(r->flags));
	}
}

void proc_memblock_memory(const struct machine *m, struct strbuf *out)
{
	show_type(&memblock_root(m)->memory, out);
}

void proc_memblock_reserved(const struct machine *m, struct strbuf *out)
{
	show_type(&memblock_root(m)->reserved, out);
}
