/*
 * The object allocators: the caches as slabtop lists them; one cache's slabs
 * with each object used or free and the CPU slab's free pointer chain; the
 * kmalloc class a request lands in with the bytes it wastes; vmalloc areas
 * with lines down to the scattered frames they use.  The step being shown
 * picks the cache and stands out: the object taken or freed flashes, a new
 * or moving slab is marked, a vmalloc page's line grows as it arrives.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "mm/slab_alloc.h"
#include "mm/slub.h"
#include "mm/trace.h"
#include "mm/vmalloc.h"
#include "tui.h"

static bool owns(unsigned kind)
{
	return kind >= EV_CACHE_CREATE && kind <= EV_VFREE;
}

static int64_t step_field(const struct tui *t, const char *name)
{
	int i = t->anim.e.step ? ev_field_index(t->anim.e.kind, name) : -1;
	return i < 0 ? -1 : t->anim.e.f[i];
}

/* The cache the step is about, else the newest with slabs. */
static uint32_t focus_cache(const struct tui *t, const struct machine *m)
{
	int64_t id = step_field(t, "cache");
	uint32_t best = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next) {
		const struct kmem_cache *k = cache_at(m, c);
		if (id >= 0 && k->name == (uint32_t)id)
			return c;
		if (!best && k->nr_slabs && (!k->kmalloc || id < 0))
			best = c;
	}
	return best;
}

static bool early(const struct tui *t)
{
	return t->anim.on && t->anim.frame * 2 < t->anim.frames;
}

/* slabtop: caches with objects, and the focused one. */
static int draw_caches(struct tui *t, const struct machine *m, struct rect in, int y, int maxrows, uint32_t focus)
{
	tui_put(t, y++, in.x, in.w, R_TITLE, "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB PAGES NAME");
	int rows = 0, empty = 0, more = 0;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next) {
		const struct kmem_cache *k = cache_at(m, c);
		if (!k->total_objects && k->kmalloc && c != focus) {
			empty++;
			continue;
		}
		if (rows >= maxrows) {
			more++;
			continue;
		}
		unsigned use = k->total_objects ? k->inuse * 100 / k->total_objects : 0;
		tui_put(t, y++, in.x, in.w, c == focus ? R_CURRENT : R_NORMAL, "%6u %6u %3u%% %7uB %6u %8u %5u %s",
			k->total_objects, k->inuse, use, k->size, k->nr_slabs, k->objects, 1u << k->order,
			cache_name(m, c));
		rows++;
	}
	if (empty || more)
		tui_put(t, y++, in.x, in.w, R_DIM, "  (%d more, %d empty kmalloc caches not shown)", more, empty);
	return y;
}

/* One slab: where it is, its objects, its count. */
static int draw_slab(struct tui *t, const struct machine *m, struct rect in, int y, uint32_t off, const char *where)
{
	struct slab *s = slab_at(m, off);
	int64_t step_slab = step_field(t, "slab"), index = step_field(t, "index");
	bool here = step_slab == (int64_t)s->pfn;
	int x = in.x;
	enum role r = here ? (early(t) ? R_HILITE2 : R_HILITE) : R_NORMAL;
	x += tui_put(t, y, x, in.w, r, "%-8s%7x ", where, s->pfn);
	int room = in.x + in.w - x - 8;
	uint32_t n = s->objects < (uint32_t)(room > 0 ? room : 0) ? s->objects : (uint32_t)(room > 0 ? room : 0);
	for (uint32_t i = 0; i < n; i++) {
		bool used = slab_obj_used(s, i);
		enum role or = used ? R_ALLOC : R_FREE;
		if (here && index == (int64_t)i)
			or = early(t) ? R_HILITE2 : R_HILITE;
		x += tui_put(t, y, x, 1, or, "%s", used ? tui_glyph(t, "█", "#") : tui_glyph(t, "░", "."));
	}
	if (n < s->objects)
		x += tui_put(t, y, x, 1, R_DIM, "+");
	tui_put(t, y, x, in.x + in.w - x, R_DIM, " %u/%u", s->inuse, s->objects);
	return y + 1;
}

static int draw_cache(struct tui *t, const struct machine *m, struct rect in, int y, int ymax, uint32_t c)
{
	const struct kmem_cache *k = cache_at(m, c);
	tui_put(t, y++, in.x, in.w, R_TITLE, "%s: %uB objects in %uB slots, free pointer at +%u; %u per order-%u slab",
		cache_name(m, c), k->object_size, k->size, k->offset, k->objects, k->order);
	if (k->cpu_slab && y < ymax) {
		y = draw_slab(t, m, in, y, k->cpu_slab, "cpu");
		/* the free pointer chain, as object indexes */
		struct slab *s = slab_at(m, k->cpu_slab);
		int x = in.x + 2;
		x += tui_put(t, y, x, in.w - 2, R_DIM, "freelist");
		uint32_t hops = 0, i = s->freelist;
		for (; i != OBJ_NONE && x < in.x + in.w - 12 && hops++ < s->objects; i = slab_fp(s)[i])
			x += tui_put(t, y, x, in.x + in.w - x, R_FREE, " %s %u", tui_glyph(t, "→", "->"), i);
		tui_put(t, y++, x, in.x + in.w - x, R_DIM, " %s %s", tui_glyph(t, "→", "->"),
			i == OBJ_NONE ? "NULL" : "...");
	}
	for (uint32_t s = k->partial; s && y < ymax; s = slab_at(m, s)->next)
		y = draw_slab(t, m, in, y, s, "partial");
	for (uint32_t s = k->cpu_partial; s && y < ymax; s = slab_at(m, s)->next)
		y = draw_slab(t, m, in, y, s, "cpu part");
	for (uint32_t s = k->full; s && y < ymax; s = slab_at(m, s)->next)
		y = draw_slab(t, m, in, y, s, "full/dbg");
	unsigned kind = t->anim.e.kind;
	if (t->anim.e.step && y < ymax && (kind == EV_SLAB_DISCARD || kind == EV_SLAB_FULL || kind == EV_SLAB_PARTIAL ||
					   kind == EV_GET_PARTIAL || kind == EV_NEW_SLAB || kind == EV_CPU_PARTIAL_PUT ||
					   kind == EV_CPU_PARTIAL_ALLOC)) {
		static const char *const what[] = {
			[EV_SLAB_DISCARD] = "back to the buddy", [EV_SLAB_FULL] = "CPU -> no list",
			[EV_SLAB_PARTIAL] = "full -> partial list", [EV_GET_PARTIAL] = "partial list -> CPU",
			[EV_NEW_SLAB] = "new from the buddy", [EV_CPU_PARTIAL_PUT] = "-> CPU partial list",
			[EV_CPU_PARTIAL_ALLOC] = "CPU partial list -> CPU",
		};
		tui_put(t, y++, in.x, in.w, early(t) ? R_HILITE2 : R_HILITE, "slab %llx: %s",
			(unsigned long long)step_field(t, "slab"), what[kind]);
	}
	return y;
}

/* kmalloc(size) in its class: the used bytes and the wasted ones. */
static int draw_kmalloc(struct tui *t, const struct machine *m, struct rect in, int y)
{
	int64_t size = step_field(t, "size"), wasted = step_field(t, "wasted");
	int64_t total = size + wasted;
	char text[160];
	ev_format_text(m, &t->anim.e, text, sizeof text);
	tui_put(t, y++, in.x, in.w, R_TITLE, "%s", text);
	int w = in.w - 2, used = total > 0 ? (int)(size * w / total) : w;
	if (used < 1)
		used = 1;
	int x = in.x + 1;
	for (int i = 0; i < w; i++)
		x += tui_put(t, y, x, 1, i < used ? R_ALLOC : R_BAD, "%s",
			     i < used ? tui_glyph(t, "█", "#") : tui_glyph(t, "░", "."));
	return y + 1;
}

/* Areas, and for the newest (or the step's) one, lines from its pages
 * down to where its frames sit in physical memory. */
static int draw_vmalloc(struct tui *t, const struct machine *m, struct rect in, int y, int ymax)
{
	const struct vmalloc_root *r = vmalloc_root(m);
	if (!r->busy.head)
		return y;
	tui_put(t, y++, in.x, in.w, R_TITLE, "vmalloc areas (%u pages mapped)", r->nr_pages);
	uint32_t show = 0;
	int64_t addr = step_field(t, "addr");
	for (uint32_t o = r->busy.head; o && y < ymax; o = vmap_at(m, o)->next) {
		const struct vmap_area *a = vmap_at(m, o);
		bool here = addr >= (int64_t)vmap_start(a) && addr < (int64_t)vmap_end(m, a);
		if (here || !show)
			show = o;
		if (a->flags & VM_IOREMAP) /* a device's registers: no frames to draw */
			tui_put(t, y++, in.x, in.w, here ? R_CURRENT : R_NORMAL, "  %llx-%llx ioremap phys %llx, uncached",
				(unsigned long long)vmap_start(a), (unsigned long long)vmap_end(m, a),
				(unsigned long long)a->phys_addr);
		else
			tui_put(t, y++, in.x, in.w, here ? R_CURRENT : R_NORMAL, "  %llx-%llx %u pages + guard",
				(unsigned long long)vmap_start(a), (unsigned long long)vmap_end(m, a), a->nr_pages);
	}
	if (!show || ymax - y < 5)
		return y;
	const struct vmap_area *a = vmap_at(m, show);
	int w = in.w - 2;
	uint32_t n = a->nr_pages < (uint32_t)w ? a->nr_pages : (uint32_t)w;
	if (!n)
		return y;
	int top = y, bottom = y + 4, x0 = in.x + 1;
	int64_t growing = t->anim.e.kind == EV_VMALLOC_PAGE ? step_field(t, "index") : -1;
	tui_put(t, top, in.x, 1, R_DIM, "v");
	tui_put(t, bottom, in.x, 1, R_DIM, "p");
	for (int i = 0; i < w; i++)
		tui_put(t, bottom, x0 + i, 1, R_DIM, "%s", tui_glyph(t, "·", "."));
	for (uint32_t i = 0; i < n; i++) {
		int xa = x0 + (int)(i * (uint32_t)w / n);
		uint32_t pfn = vmap_pages(m, a)[i];
		int xf = x0 + (int)((uint64_t)pfn * (uint64_t)w / m->nr_frames);
		bool now = (int64_t)i == growing;
		enum role role = now ? R_HILITE : R_OTHER;
		int reach = now && t->anim.on ? 1 + 3 * t->anim.frame / (t->anim.frames ? t->anim.frames : 1) : 3;
		tui_put(t, top, xa, 1, role, "%s", tui_glyph(t, "█", "#"));
		for (int k = 1; k <= 3 && k <= reach; k++) {
			int x = xa + (xf - xa) * k / 4;
			const char *g = xf == xa ? "|" : (xf > xa ? "\\" : "/");
			tui_put(t, top + k, x, 1, role, "%s", g);
		}
		if (reach >= 3)
			tui_put(t, bottom, xf, 1, role, "%s", tui_glyph(t, "█", "#"));
	}
	return bottom + 1;
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	struct rect in = tui_box(t, r, "slabs and vmalloc", focus);
	int y = in.y, ymax = in.y + in.h;
	uint32_t c = focus_cache(t, m);
	y = draw_caches(t, m, in, y, in.h / 3 > 3 ? in.h / 3 : 3, c);
	if (y < ymax && t->anim.e.step && (t->anim.e.kind == EV_KMALLOC || t->anim.e.kind == EV_KMALLOC_LARGE))
		y = draw_kmalloc(t, m, in, y + 1);
	if (m->cfg.slab == SLAB_ALLOCATOR_SLOB && y + 2 < ymax)
		y = view_slob_draw(t, m, in, y + 1, ymax);
	else if (m->cfg.slab == SLAB_ALLOCATOR_SLUB && c && y + 2 < ymax)
		y = draw_cache(t, m, in, y + 1, ymax, c);
	if (y + 2 < ymax)
		draw_vmalloc(t, m, in, y + 1, ymax);
}

const struct view view_slab = {"slabs", draw, NULL, NULL, owns};
