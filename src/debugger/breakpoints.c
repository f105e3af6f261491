/* Breakpoints (an event kind, maybe a Lua condition) and watches (a frame's
 * block or a zone's free lists), and the check after each step of a motion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/trace.h"
#include "mm/xalloc.h"
#include "session_impl.h"

/* A watch's value at the cursor; a machine without the frame or zone
 * watched gives a value of its own. */
static uint64_t watch_value(const struct session *s, const struct breakpoint *b)
{
	const struct machine *m = session_machine(s);
	if ((b->watch == WATCH_PFN && b->arg >= m->nr_frames) ||
	    (b->watch == WATCH_ZONE && b->arg >= machine_nr_zones(m)))
		return UINT64_MAX;
	if (b->watch == WATCH_PFN) {
		uint32_t head = block_head(m, b->arg);
		const struct frame *f = &m->frames[head];
		return (uint64_t)head | (uint64_t)frame_state(f) << 32 | (uint64_t)frame_order(f) << 40;
	}
	const struct zone *z = &m->zones[b->arg];
	uint64_t h = z->free_pages;
	for (unsigned o = 0; o < m->max_order; o++)
		h = h * 1000003u + z->free_area[o].nr_free;
	return h;
}

/* A watch's value at the cursor as text: the frame's block, or the zone's
 * free pages and free blocks by order. */
static void watch_text(const struct session *s, const struct breakpoint *b, char *buf, size_t n)
{
	const struct machine *m = session_machine(s);
	if ((b->watch == WATCH_PFN && b->arg >= m->nr_frames) ||
	    (b->watch == WATCH_ZONE && b->arg >= machine_nr_zones(m))) {
		snprintf(buf, n, "not on this machine");
		return;
	}
	if (b->watch == WATCH_PFN) {
		uint32_t head = block_head(m, b->arg);
		const struct frame *f = &m->frames[head];
		snprintf(buf, n, "%s order-%u block at 0x%x", frame_state_names[frame_state(f)], frame_order(f), head);
		return;
	}
	const struct zone *z = &m->zones[b->arg];
	size_t len = (size_t)snprintf(buf, n, "%u free pages, nr_free", z->free_pages);
	for (unsigned o = 0; o < m->max_order && len < n; o++)
		len += (size_t)snprintf(buf + len, n - len, " %u", z->free_area[o].nr_free);
}

void session_refresh_watches(struct session *s)
{
	for (int i = 0; i < s->nbps; i++)
		if (s->bps[i].is_watch) {
			s->bps[i].last = watch_value(s, &s->bps[i]);
			watch_text(s, &s->bps[i], s->bps[i].last_text, sizeof s->bps[i].last_text);
		}
}

/* A watch whose value changed: say what it was and what it is. */
static void watch_changed(struct session *s, struct breakpoint *b, uint64_t v)
{
	char now[sizeof b->last_text], buf[32];
	watch_text(s, b, now, sizeof now);
	const char *name = buf;
	if (b->watch == WATCH_PFN)
		snprintf(buf, sizeof buf, "0x%x", b->arg);
	else
		name = zone_label(session_machine(s), b->arg, buf, sizeof buf);
	snprintf(s->stop_msg, sizeof s->stop_msg, "watch %d: %s %s: %s -> %s", b->id,
		 b->watch == WATCH_ZONE ? "zone" : "frame", name, b->last_text, now);
	b->last = v;
	memcpy(b->last_text, now, sizeof now);
}

/* Does the step just taken (at the cursor) stop a motion? */
enum stop_reason session_check_stop(struct session *s)
{
	uint32_t cur = session_cursor(s);
	struct event e;
	bool have_event = false;
	for (int i = 0; i < s->nbps; i++) {
		struct breakpoint *b = &s->bps[i];
		if (b->disabled)
			continue;
		if (b->is_watch) {
			uint64_t v = watch_value(s, b);
			if (v != b->last) {
				watch_changed(s, b, v);
				b->hits++;
				s->hit = b;
				return STOP_WATCH;
			}
			continue;
		}
		if (!cur)
			continue;
		if (!have_event) {
			session_event(s, cur, &e);
			have_event = true;
		}
		if (b->kind != e.kind)
			continue;
		if (b->cond) {
			char err[512];
			if (b->cond_ref < 0) /* compiled in each new scenario's Lua state */
				b->cond_ref = scenario_condition_compile(s->sc, b->cond, err, sizeof err);
			int r = b->cond_ref < 0 ? -1 : scenario_condition_test(s->sc, b->cond_ref, &e, err, sizeof err);
			if (r < 0) {
				snprintf(s->stop_msg, sizeof s->stop_msg, "breakpoint %d: condition failed: %s", b->id, err);
				s->hit = b;
				return STOP_BREAKPOINT;
			}
			if (!r)
				continue;
		}
		b->hits++;
		s->hit = b;
		return STOP_BREAKPOINT;
	}
	return STOP_DONE;
}

static struct breakpoint *new_bp(struct session *s)
{
	if (s->nbps == s->capbps)
		s->bps = session_grow(s->bps, (uint32_t *)&s->capbps, sizeof *s->bps);
	struct breakpoint *b = &s->bps[s->nbps++];
	memset(b, 0, sizeof *b);
	b->id = s->next_bp_id++;
	b->cond_ref = -1;
	return b;
}

int session_break(struct session *s, int kind, const char *cond, struct strbuf *out)
{
	if (cond) {
		char err[512];
		int ref = scenario_condition_compile(s->sc, cond, err, sizeof err);
		if (ref < 0) {
			strbuf_printf(out, "bad condition: %s\n", err);
			return -1;
		}
		scenario_condition_free(s->sc, ref);
	}
	struct breakpoint *b = new_bp(s);
	b->kind = kind;
	b->cond = cond ? xstrdup(cond) : NULL;
	strbuf_printf(out, "breakpoint %d: %s%s%s\n", b->id, ev_kinds[kind].name, cond ? " if " : "",
		      cond ? cond : "");
	return b->id;
}

int session_watch(struct session *s, enum watch_kind w, uint32_t arg, struct strbuf *out)
{
	struct breakpoint *b = new_bp(s);
	b->is_watch = true;
	b->kind = -1;
	b->watch = w;
	b->arg = arg;
	b->last = watch_value(s, b);
	watch_text(s, b, b->last_text, sizeof b->last_text);
	char buf[64];
	if (w == WATCH_PFN)
		strbuf_printf(out, "watch %d: frame 0x%x\n", b->id, arg);
	else
		strbuf_printf(out, "watch %d: zone %s\n", b->id, zone_label(s->sc->m, arg, buf, sizeof buf));
	return b->id;
}

int session_enable(struct session *s, int id, bool on)
{
	int found = 0;
	for (int i = 0; i < s->nbps; i++)
		if (id < 0 || s->bps[i].id == id) {
			s->bps[i].disabled = !on;
			found++;
		}
	return found || id < 0 ? 0 : -1;
}

int session_delete(struct session *s, int id)
{
	int kept = 0, found = 0;
	for (int i = 0; i < s->nbps; i++) {
		struct breakpoint *b = &s->bps[i];
		if (id < 0 || b->id == id) {
			if (b->cond_ref >= 0 && s->sc)
				scenario_condition_free(s->sc, b->cond_ref);
			free(b->cond);
			found++;
			continue;
		}
		s->bps[kept++] = *b;
	}
	s->nbps = kept;
	return found ? 0 : -1;
}
