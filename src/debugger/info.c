/* Text renderings of the model and the session, for `info`, `list` and the
 * line REPL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "session_impl.h"
#include "mm/pgtable.h"
#include "mm/trace.h"

void info_zones(const struct session *s, struct strbuf *out)
{
	const struct machine *m = session_machine(s);
	strbuf_printf(out, "%-14s %9s %9s %8s %8s %8s  %s\n", "zone", "managed", "free", "min", "low", "high",
		      "free vs watermarks");
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		if (!zone_populated(z))
			continue;
		char name[32], gauge[41];
		/* A 40-column gauge of free pages, to twice the high mark. */
		uint64_t scale = 2ull * z->wmark[WMARK_HIGH];
		if (scale < 40)
			scale = 40;
		if (scale > z->managed)
			scale = z->managed ? z->managed : 1;
		/* a cell is full when free pages cover all of it */
		for (int c = 0; c < 40; c++)
			gauge[c] = (uint64_t)z->free_pages * 40 >= scale * (uint64_t)(c + 1) ? '#' : '.';
		/* The marks over it: m, l, h (capital where free reaches them). */
		static const char mark[] = "mlh";
		for (int w = 0; w <= WMARK_HIGH; w++) {
			uint64_t col = (uint64_t)z->wmark[w] * 40 / scale;
			if (col < 40)
				gauge[col] = z->free_pages > z->wmark[w] ? (char)(mark[w] - 32) : mark[w];
		}
		gauge[40] = 0;
		const char *state = z->free_pages <= z->wmark[WMARK_MIN]   ? "below min"
				    : z->free_pages <= z->wmark[WMARK_LOW]  ? "below low"
				    : z->free_pages <= z->wmark[WMARK_HIGH] ? "below high"
									    : "ok";
		strbuf_printf(out, "%-14s %9u %9u %8u %8u %8u  [%s] %s\n", zone_label(m, z->id, name, sizeof name),
			      z->managed, z->free_pages, z->wmark[WMARK_MIN], z->wmark[WMARK_LOW],
			      z->wmark[WMARK_HIGH], gauge, state);
	}
}

void info_buddy(const struct session *s, struct strbuf *out)
{
	const struct machine *m = session_machine(s);
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		const struct zone *z = &m->zones[i];
		if (!zone_populated(z))
			continue;
		char name[32];
		strbuf_printf(out, "%s: %u free pages\n", zone_label(m, z->id, name, sizeof name), z->free_pages);
		for (unsigned o = 0; o < m->max_order; o++) {
			const struct free_area *a = &z->free_area[o];
			strbuf_printf(out, "  order %2u: %6u", o, a->nr_free);
			unsigned shown = 0;
			for (uint32_t p = a->head; p != PFN_NONE && shown < 8; p = m->frames[p].next, shown++)
				strbuf_printf(out, " 0x%x", p);
			if (a->nr_free > shown)
				strbuf_printf(out, " …");
			strbuf_printf(out, "\n");
		}
	}
}

/* The events that give a frame to someone or take it back. */
static const char *const frame_events[] = {"done",	   "free",	   "kfree_large", "new_slab",	  "discard_slab",
					   "vmalloc_page", "mm_alloc",	   "pgtable_alloc", "pgtable_free"};

static int field_of(int kind, const char *name)
{
	for (unsigned i = 0; i < ev_kinds[kind].nfields; i++)
		if (strcmp(ev_kinds[kind].field[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The frame's history up to the cursor (never ahead of it: no spoilers):
 * the steps that allocated and freed the blocks holding it.  A debugging
 * query, so it reads the machine's steps rather than an index. */
static void frame_history(const struct session *s, uint32_t pfn, struct strbuf *out)
{
	const struct machine *m = session_machine(s);
	int verb_of[NR_EV_KINDS], pfn_f[NR_EV_KINDS], order_f[NR_EV_KINDS];
	for (int k = 0; k < NR_EV_KINDS; k++) {
		verb_of[k] = -1;
		for (unsigned i = 0; i < sizeof frame_events / sizeof *frame_events; i++)
			if (strcmp(ev_kinds[k].name, frame_events[i]) == 0)
				verb_of[k] = (int)i;
		pfn_f[k] = field_of(k, strcmp(ev_kinds[k].name, "new_slab") && strcmp(ev_kinds[k].name, "discard_slab")
					       ? "pfn"
					       : "slab");
		order_f[k] = field_of(k, "order");
	}
	unsigned shown = 0;
	for (uint32_t i = 0; i < m->j.cursor; i++) {
		struct event e;
		machine_event_at(m, i, &e);
		int v = verb_of[e.kind];
		if (v < 0 || pfn_f[e.kind] < 0)
			continue;
		uint64_t first = (uint64_t)e.f[pfn_f[e.kind]];
		uint64_t n = order_f[e.kind] >= 0 ? 1ull << e.f[order_f[e.kind]] : 1;
		if (pfn < first || pfn >= first + n)
			continue;
		if (!shown++)
			strbuf_printf(out, "  history up to the cursor:\n");
		char buf[512];
		ev_format_text(m, &e, buf, sizeof buf);
		strbuf_printf(out, "    step %-5u (op %u, ", e.step, e.op);
		strbuf_printf(out, e.line ? "line %d): " : "typed): ", e.line);
		strbuf_printf(out, "%s %s\n", ev_kinds[e.kind].name, buf);
	}
	if (!shown)
		strbuf_printf(out, "  no step up to the cursor allocated or freed it\n");
}

int info_frame(const struct session *s, uint32_t pfn, struct strbuf *out)
{
	const struct machine *m = session_machine(s);
	if (pfn >= m->nr_frames) {
		strbuf_printf(out, "pfn 0x%x is outside memory (pfns 0x0..0x%x)\n", pfn, m->nr_frames - 1);
		return -1;
	}
	uint32_t head = block_head(m, pfn);
	const struct frame *h = &m->frames[head];
	const struct zone *z = pfn_zone(m, pfn);
	char name[32];
	strbuf_printf(out, "pfn 0x%x (phys 0x%llx): %s, in the order-%u block at 0x%x, zone %s, node %u\n", pfn,
		      (unsigned long long)pfn << m->page_shift, frame_state_names[frame_state(h)], frame_order(h),
		      head, zone_label(m, z->id, name, sizeof name), z->node);
	frame_history(s, pfn, out);
	return 0;
}

static void event_line(const struct session *s, uint32_t step, bool current, struct strbuf *out)
{
	struct event e;
	char buf[512];
	session_event(s, step, &e);
	ev_format_text(session_machine(s), &e, buf, sizeof buf);
	strbuf_printf(out, "%s%6u  %-9s %s\n", current ? "=>" : "  ", step, ev_kinds[e.kind].name, buf);
}

void info_events(const struct session *s, int around, struct strbuf *out)
{
	uint32_t cur = session_cursor(s), known = session_known(s);
	uint32_t from = cur > (uint32_t)around ? cur - (uint32_t)around : 1;
	uint32_t to = cur + (uint32_t)around < known ? cur + (uint32_t)around : known;
	if (!known) {
		strbuf_printf(out, "no steps yet\n");
		return;
	}
	for (uint32_t st = from; st <= to; st++)
		event_line(s, st, st == cur, out);
}

void info_steps(const struct session *s, uint32_t from, uint32_t to, struct strbuf *out)
{
	enum { MAX_SHOWN = 24 };
	for (uint32_t st = from; st <= to && st < from + MAX_SHOWN; st++)
		event_line(s, st, st == session_cursor(s), out);
	if (to >= from + MAX_SHOWN)
		strbuf_printf(out, "  ... and %u more steps, to step %u (`info events` shows those around the cursor)\n",
			      to - from + 1 - MAX_SHOWN, to);
}

void info_ops(const struct session *s, struct strbuf *out)
{
	const struct journal *j = &session_machine(s)->j;
	uint32_t cur = session_cursor(s);
	for (uint32_t i = 0; i < j->nops; i++) {
		uint32_t first = j->ops[i].first_step + 1;
		uint32_t last = i + 1 < j->nops ? j->ops[i + 1].first_step : j->nsteps;
		struct event e;
		char buf[512];
		session_event(s, first, &e);
		ev_format_text(session_machine(s), &e, buf, sizeof buf);
		bool here = cur >= first && cur <= last;
		strbuf_printf(out, "%s op %4u  steps %u-%u  line %d  %s\n", here ? "=>" : "  ", i + 1, first, last,
			      j->ops[i].line, buf);
	}
	if (!j->nops)
		strbuf_printf(out, "no operations yet\n");
}

void info_breakpoints(const struct session *s, struct strbuf *out)
{
	if (!s->nbps)
		strbuf_printf(out, "no breakpoints or watches\n");
	for (int i = 0; i < s->nbps; i++) {
		const struct breakpoint *b = &s->bps[i];
		char name[32];
		if (b->is_watch && b->watch == WATCH_PFN)
			strbuf_printf(out, "%3d  watch frame 0x%x", b->id, b->arg);
		else if (b->is_watch)
			strbuf_printf(out, "%3d  watch zone %s", b->id,
				      zone_label(session_machine(s), b->arg, name, sizeof name));
		else
			strbuf_printf(out, "%3d  break %s%s%s", b->id, ev_kinds[b->kind].name, b->cond ? " if " : "",
				      b->cond ? b->cond : "");
		strbuf_printf(out, "  (hit %u time%s)%s\n", b->hits, b->hits == 1 ? "" : "s",
			      b->disabled ? "  disabled" : "");
	}
}

void info_marks(const struct session *s, struct strbuf *out)
{
	int n = 0;
	for (uint32_t i = 0; i < s->nnotes; i++)
		if (s->notes[i].kind == NOTE_MARK) {
			strbuf_printf(out, "  %-20s step %u\n", s->notes[i].text, s->notes[i].at);
			n++;
		}
	if (!n)
		strbuf_printf(out, "no marks yet\n");
}

void info_where(const struct session *s, struct strbuf *out)
{
	uint32_t cur = session_cursor(s), known = session_known(s);
	strbuf_printf(out, "step %u of %u%s", cur, known, session_running(s) ? "+" : "");
	if (cur) {
		struct event e;
		char buf[512];
		session_event(s, cur, &e);
		ev_format_text(session_machine(s), &e, buf, sizeof buf);
		if (e.line)
			strbuf_printf(out, " (op %u, line %d): %s %s", e.op, e.line, ev_kinds[e.kind].name, buf);
		else
			strbuf_printf(out, " (op %u, typed): %s %s", e.op, ev_kinds[e.kind].name, buf);
	}
	strbuf_printf(out, "\n");
}

/* The typed line whose steps hold position pos, or NULL. */
static const char *typed_code(const struct session *s, uint32_t pos)
{
	for (int i = s->ntyped; i-- > 0;)
		if (s->typed[i].at < pos && pos <= s->typed[i].end)
			return s->typed[i].code;
	return NULL;
}

void info_where_full(const struct session *s, struct strbuf *out)
{
	info_where(s, out);
	uint32_t cur = session_cursor(s);
	if (cur) {
		const struct machine *m = s->epochs[session_epoch_of_step(s, cur)].m;
		const struct journal *j = &m->j;
		uint32_t op = journal_step_op(j, cur - m->step_base - 1);
		uint32_t first = m->step_base + j->ops[op].first_step + 1;
		uint32_t last = m->step_base + (op + 1 < j->nops ? j->ops[op + 1].first_step : j->nsteps);
		int line = j->ops[op].line;
		const char *code = line > 0 && line <= s->nsource ? s->source[line - 1] : typed_code(s, cur);
		strbuf_printf(out, "  operation %u, steps %u-%u, ", m->op_base + op + 1, first, last);
		if (line)
			strbuf_printf(out, "line %d: %s\n", line, code ? code + strspn(code, " \t") : "");
		else
			strbuf_printf(out, "typed: %s\n", code ? code : "(a line typed at the prompt)");
	}
	const struct note *title = session_note(s, NOTE_TITLE), *say = session_note(s, NOTE_SAY);
	if (title || say)
		strbuf_printf(out, "  caption: %s%s%s\n", title ? title->text : "", title && say ? " -- " : "",
			      say ? say->text : "");
}

void info_list(const struct session *s, int line, struct strbuf *out)
{
	if (!s->nsource) {
		strbuf_printf(out, "no scenario source\n");
		return;
	}
	int cur = session_line(s);
	if (line <= 0)
		line = cur ? cur : 1;
	if (line > s->nsource) {
		strbuf_printf(out, "line %d is past the end of %s (%d lines)\n", line, s->file, s->nsource);
		return;
	}
	int from = line > 5 ? line - 5 : 1, to = from + 10 < s->nsource ? from + 10 : s->nsource;
	for (int l = from; l <= to; l++)
		strbuf_printf(out, "%s%4d  %s\n", l == cur ? "=>" : "  ", l, s->source[l - 1]);
}

int info_pgtable(const struct session *s, const char *mm, struct strbuf *out)
{
	const struct machine *m = session_machine(s);
	if (!m->pt || !m->pt->fmt.depth) {
		strbuf_printf(out, "this machine has no page tables\n");
		return -1;
	}
	uint32_t n = pt_root(m)->mms.n;
	if (mm) {
		char *end;
		unsigned long id = strtoul(mm, &end, 0);
		if (*end || !pt_mm(m, (uint32_t)id)) {
			strbuf_printf(out, "info pgtable: no mm '%s' (mms 1..%u)\n", mm, n);
			return -1;
		}
		pt_dump(m, (uint32_t)id, out);
		return 0;
	}
	for (uint32_t id = 1; id <= n; id++)
		pt_dump(m, id, out);
	if (!n)
		strbuf_printf(out, "no address space yet: mm_alloc() makes one\n");
	return 0;
}
