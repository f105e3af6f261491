/*
 * The 32-bit kernel's virtual address layout, as a highmem lecture draws
 * it: the direct map of lowmem from PAGE_OFFSET, the vmalloc range, the
 * pkmap area and the fixmap, the area the step is about marked; then the
 * pkmap slots one cell each (free, mapped but unused, in use; the step's
 * slot lit and last_pkmap_nr marked), and each CPU's kmap_local stack.
 */
#include <curses.h>
#include <stdio.h>

#include "mm/highmem.h"
#include "mm/vmalloc.h"
#include "tui.h"

static bool owns(unsigned kind)
{
	return kind >= EV_KMAP && kind <= EV_PAGE_ADDRESS;
}

static int draw_layout(struct tui *t, const struct machine *m, struct rect in, int y, uint64_t addr)
{
	uint64_t low = 0;
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		if (m->zones[i].type < ZONE_HIGHMEM)
			low += (uint64_t)m->zones[i].spanned << m->page_shift;
	const uint64_t fix_low = kmap_local_addr(m->highmem->cpus - 1, KM_MAX_IDX - 1);
	const struct {
		const char *name;
		uint64_t start, end;
	} area[] = {
		{"direct map (lowmem)", PAGE_OFFSET_32, PAGE_OFFSET_32 + low},
		{"vmalloc", m->vmalloc->start, m->vmalloc->end},
		{"pkmap (kmap)", pkmap_addr(0), pkmap_addr(m->highmem->last_pkmap)},
		{"fixmap kmap_local", fix_low, kmap_local_addr(0, 0) + 4096},
	};
	for (size_t i = 0; i < sizeof area / sizeof area[0] && y < in.y + in.h; i++) {
		bool lit = addr >= area[i].start && addr < area[i].end;
		tui_put(t, y++, in.x, in.w, lit ? R_HILITE : R_NORMAL, "%s 0x%08llx-0x%08llx %-20s %6lluK", lit ? "▶" : " ",
			(unsigned long long)area[i].start, (unsigned long long)area[i].end, area[i].name,
			(unsigned long long)((area[i].end - area[i].start) >> 10));
	}
	return y;
}

/* One cell per slot: · free, ○ mapped but unused (count 1), ● in use. */
static int draw_slots(struct tui *t, const struct machine *m, struct rect in, int y, int64_t slot)
{
	const struct hm_root *r = hm_root(m);
	tui_put(t, y++, in.x, in.w, R_TITLE, " pkmap slots: %u of %u in use, last_pkmap_nr %u, %u flushes, %u waits",
		r->nr_kmapped, m->highmem->last_pkmap, r->last_pkmap_nr, r->flushes, r->waits);
	int per = in.w - 2 > 0 ? in.w - 2 : 1;
	for (uint32_t i = 0; i < m->highmem->last_pkmap && y < in.y + in.h; i++) {
		int x = in.x + 1 + (int)(i % (uint32_t)per);
		uint32_t c = r->pkmap_count[i];
		const char *cell = c == 0 ? tui_glyph(t, "·", ".") : c == 1 ? tui_glyph(t, "○", "o") : tui_glyph(t, "●", "#");
		enum role role = (int64_t)i == slot ? R_HILITE : i == r->last_pkmap_nr ? R_CURRENT : c > 1 ? R_ALLOC : c ? R_DIM : R_FREE;
		tui_put(t, y, x, 1, role, "%s", cell);
		if (i % (uint32_t)per == (uint32_t)per - 1 || i + 1 == m->highmem->last_pkmap)
			y++;
	}
	return y;
}

static int draw_local(struct tui *t, const struct machine *m, struct rect in, int y)
{
	const struct hm_root *r = hm_root(m);
	for (unsigned cpu = 0; cpu < m->highmem->cpus && y < in.y + in.h; cpu++) {
		if (!r->local_depth[cpu])
			continue;
		char line[256];
		int n = snprintf(line, sizeof line, " cpu %u kmap_local:", cpu);
		for (unsigned i = 0; i < r->local_depth[cpu] && n < (int)sizeof line - 40; i++)
			n += snprintf(line + n, sizeof line - (size_t)n, " [%u: 0x%08llx pfn 0x%x]", i,
				      (unsigned long long)kmap_local_addr(cpu, i), r->local_pfn[cpu * KM_MAX_IDX + i] - 1);
		tui_put(t, y++, in.x, in.w, R_NORMAL, "%s", line);
	}
	return y;
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	struct rect in = tui_box(t, r, "kernel address space (32-bit)", focus);
	if (in.h < 3 || in.w < 20)
		return;
	if (!m->highmem->pkmap) {
		tui_put(t, in.y, in.x, in.w, R_DIM, " no highmem here: x86 or x86_pae with more than 896M (or a HighMem zone)");
		return;
	}
	uint32_t cur = session_cursor(t->s);
	struct event e = {0};
	if (cur)
		session_event(t->s, cur, &e);
	bool ours = cur && owns(e.kind);
	int y = draw_layout(t, m, in, in.y, ours ? (uint64_t)tui_field(&e, "addr", 0) : 0);
	y = draw_slots(t, m, in, y + 1, ours ? tui_field(&e, "slot", -1) : -1);
	draw_local(t, m, in, y + 1);
}

const struct view view_kmap = {"kernel address space", draw, NULL, NULL, owns};
