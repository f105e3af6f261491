/*
 * Zones: free pages against the min/low/high watermarks, one gauge each.
 * While an allocation is being stepped through, the gauge of each zone it
 * has checked shows the line that check drew: the watermark plus
 * lowmem_reserve for the allocation's highest usable zone (the kernel's
 * __zone_watermark_ok needs free pages above it), so a zone with pages
 * to spare that still refuses explains itself.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define LOOKBACK 512 /* steps searched back for the operation's check */

/* The latest watermark check of zone `id` in the operation at the cursor,
 * up to the cursor; false if none. */
static bool zone_check(const struct tui *t, unsigned id, struct event *out)
{
	uint32_t cur = session_cursor(t->s);
	if (!cur)
		return false;
	struct event e;
	session_event(t->s, cur, &e);
	uint32_t op = e.op;
	for (uint32_t st = cur, n = 0; st >= 1 && n < LOOKBACK; st--, n++) {
		session_event(t->s, st, &e);
		if (e.op != op)
			break;
		if (e.kind == EV_WATERMARK && e.f[ev_field_index(EV_WATERMARK, "zone")] == id) {
			*out = e;
			return true;
		}
	}
	return false;
}

static int64_t fld(const struct event *e, const char *name)
{
	return e->f[ev_field_index(e->kind, name)];
}

static void gauge(struct tui *t, int y, int x, int w, const struct zone *z, const struct event *check)
{
	uint64_t line = check ? (uint64_t)(fld(check, "mark") + fld(check, "reserve")) : 0;
	/* Scale to a few times the high mark so the marks are visible; a
	 * zone with plenty free shows full. */
	uint64_t scale = 4ull * z->wmark[WMARK_HIGH];
	if (scale < line + line / 4)
		scale = line + line / 4;
	if (scale < (uint64_t)w)
		scale = (uint64_t)w;
	if (scale > z->managed && z->managed)
		scale = z->managed;
	if (!scale || w < 1)
		return;
	enum role fill = z->free_pages <= z->wmark[WMARK_MIN]   ? R_BAD
			 : z->free_pages <= z->wmark[WMARK_LOW] ? R_LOW
								: R_GOOD;
	for (int c = 0; c < w; c++) {
		bool full = (uint64_t)z->free_pages * (uint64_t)w >= scale * (uint64_t)(c + 1);
		tui_put(t, y, x + c, 1, full ? fill : R_DIM, "%s", full ? tui_glyph(t, "█", "#") : tui_glyph(t, "·", "."));
	}
	static const char names[] = "mlh";
	static const enum role roles[] = {R_MIN, R_LOW, R_HIGH};
	for (int k = 0; k < 3; k++) {
		uint64_t col = (uint64_t)z->wmark[k] * (uint64_t)w / scale;
		if (col < (uint64_t)w)
			tui_put(t, y, x + (int)col, 1, roles[k], "%c", names[k]);
	}
	if (!check)
		return;
	/* the reserve: from the checked mark to the line, then the line */
	uint64_t from = (uint64_t)fld(check, "mark") * (uint64_t)w / scale + 1, to = line * (uint64_t)w / scale;
	for (uint64_t c = from; c < to && c < (uint64_t)w; c++)
		tui_put(t, y, x + (int)c, 1, R_OTHER, "r");
	if (to < (uint64_t)w)
		tui_put(t, y, x + (int)to, 1, fld(check, "ok") ? R_GOOD : R_BAD, "%s", tui_glyph(t, "┃", "|"));
}

/* "Normal  free 300  min 240 low 300 high 360", or shorter when narrow. */
static int zone_line(const struct machine *m, const struct zone *z, bool compact, char *buf, size_t n)
{
	char nbuf[32];
	const char *name = zone_label(m, z->id, nbuf, sizeof nbuf);
	if (compact)
		return snprintf(buf, n, "%-6s %u free m%u l%u h%u", name, z->free_pages, z->wmark[WMARK_MIN],
				z->wmark[WMARK_LOW], z->wmark[WMARK_HIGH]);
	return snprintf(buf, n, "%-7s free %u  min %u low %u high %u", name, z->free_pages, z->wmark[WMARK_MIN],
			z->wmark[WMARK_LOW], z->wmark[WMARK_HIGH]);
}

/* The widest zone line (and free-list header: they share the column). */
int tui_zones_width(struct tui *t)
{
	const struct machine *m = session_machine(t->s);
	int w = 0;
	char buf[160];
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		if (!zone_populated(&m->zones[i]))
			continue;
		int n = zone_line(m, &m->zones[i], false, buf, sizeof buf);
		/* the free lists under share the column: their zone header too */
		char name[32];
		int h = snprintf(buf, sizeof buf, "%s  %u free   order count  blocks (pfn)",
				 zone_label(m, m->zones[i].id, name, sizeof name), m->zones[i].free_pages);
		if (n > w)
			w = n;
		if (h > w)
			w = h;
	}
	return w;
}

/* What the bar's glyphs mean, each part only if it fits whole. */
static void legend(struct tui *t, int y, struct rect in)
{
	const struct {
		enum role role;
		const char *glyph, *ascii, *text;
	} parts[] = {
		{R_GOOD, "█", "#", " free  "},       {R_MIN, "m", "m", ""},
		{R_LOW, "l", "l", ""},               {R_HIGH, "h", "h", " min/low/high  "},
		{R_OTHER, "r", "r", " reserve  "},   {R_BAD, "┃", "|", " need"},
	};
	int x = in.x, end = in.x + in.w;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		int need = 1 + (int)strlen(parts[i].text);
		if (i == 1) /* "mlh min/low/high" goes as one */
			need = 3 + (int)strlen(parts[3].text);
		if (i != 2 && i != 3 && x + need - (i == 5 ? 0 : 2) > end)
			break;
		x += tui_put(t, y, x, end - x, parts[i].role, "%s", tui_glyph(t, parts[i].glyph, parts[i].ascii));
		x += tui_put(t, y, x, end - x, R_DIM, "%s", parts[i].text);
	}
}

static void draw(struct tui *t, struct rect r, bool focus)
{
	const struct machine *m = session_machine(t->s);
	struct rect in = tui_box(t, r, "zones", focus);
	int y = in.y;
	bool compact = tui_zones_width(t) > in.w;
	for (unsigned i = 0; i < machine_nr_zones(m) && y + 1 < in.y + in.h; i++) {
		const struct zone *z = &m->zones[i];
		if (!zone_populated(z))
			continue;
		char line[160];
		zone_line(m, z, compact, line, sizeof line);
		bool hit = t->anim.e.step && ev_field_index(t->anim.e.kind, "zone") >= 0 &&
			   t->anim.e.f[ev_field_index(t->anim.e.kind, "zone")] == z->id;
		/* the name stands out when the step is this zone's */
		int name_len = (int)strcspn(line, " ");
		tui_put(t, y, in.x, in.w, hit ? R_CURRENT : R_TITLE, "%.*s", name_len, line);
		tui_put_words(t, y, in.x + name_len, in.w - name_len, R_NORMAL, line + name_len);
		struct event check;
		bool checked = zone_check(t, z->id, &check);
		int gw = in.w - 2;
		if (checked && gw >= 30) {
			/* the line the check drew, and its verdict, after the bar */
			char need[32];
			int n = snprintf(need, sizeof need, " >%lld %s", (long long)(fld(&check, "mark") +
										  fld(&check, "reserve")),
					 fld(&check, "ok") ? "ok" : "fail");
			gw -= n;
			tui_put(t, y + 1, in.x + 1 + gw, n, fld(&check, "ok") ? R_GOOD : R_BAD, "%s", need);
		}
		gauge(t, y + 1, in.x + 1, gw, z, checked ? &check : NULL);
		y += 2;
	}
	if (y < in.y + in.h)
		legend(t, y, in);
}

const struct view view_zones = {"zones", draw, NULL, NULL, NULL};
