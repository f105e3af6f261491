/*
 * Which frames the current step touches, and how that changes over the few
 * frames of its animation: a split shows the whole block, then its two
 * halves; a merge shows the two buddies, then the joined block.  Stepping
 * back plays the same in reverse (an undone split joins, an undone merge
 * parts).
 */
#include "tui.h"

static bool in_block(uint32_t pfn, int64_t head, int64_t order)
{
	return head >= 0 && order >= 0 && order < 32 && (int64_t)pfn >= head && (int64_t)pfn < head + (1ll << order);
}

struct step_marker tui_step_marker(const struct tui *t)
{
	const struct anim *a = &t->anim;
	struct step_marker mk = {.head = -1, .order = -1, .buddy = -1};
	if (!a->e.step)
		return mk;
	/* the field indices are looked up here, once a frame, not per cell */
	int pfn_i = ev_field_index(a->e.kind, "pfn"), order_i = ev_field_index(a->e.kind, "order");
	int buddy_i = ev_field_index(a->e.kind, "buddy");
	if (pfn_i < 0 || order_i < 0)
		return mk;
	mk.head = a->e.f[pfn_i];
	mk.order = a->e.f[order_i];
	if (buddy_i >= 0) {
		mk.buddy = a->e.f[buddy_i];
		bool early = a->on && a->frame * 2 < a->frames;
		/* split: order is the halves'; merge: order is the joined block's */
		mk.apart = a->e.kind == EV_SPLIT ? !early : early;
		if (a->reverse)
			mk.apart = !mk.apart;
		mk.half = a->e.kind == EV_SPLIT ? mk.order : mk.order - 1;
		mk.whole = a->e.kind == EV_SPLIT ? mk.order + 1 : mk.order;
	}
	return mk;
}

int tui_mark(const struct step_marker *mk, uint32_t pfn)
{
	if (mk->head < 0)
		return 0;
	if (mk->buddy >= 0) {
		if (!mk->apart)
			return in_block(pfn, mk->head < mk->buddy ? mk->head : mk->buddy, mk->whole) ? 1 : 0;
		if (in_block(pfn, mk->buddy, mk->half))
			return 2;
		return in_block(pfn, mk->head, mk->half) ? 1 : 0;
	}
	return in_block(pfn, mk->head, mk->order) ? 1 : 0;
}

int64_t tui_field(const struct event *e, const char *name, int64_t none)
{
	int i = e->step ? ev_field_index(e->kind, name) : -1;
	return i < 0 ? none : e->f[i];
}

uint32_t tui_op_first_step(const struct session *s, uint32_t cur)
{
	struct event e, first;
	session_event(s, cur, &first);
	uint32_t step = cur;
	while (step > 1) {
		session_event(s, step - 1, &e);
		if (e.op != first.op)
			break;
		step--;
	}
	return step;
}
