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

int tui_step_mark(const struct tui *t, uint32_t pfn)
{
	const struct anim *a = &t->anim;
	if (!a->e.step)
		return 0;
	int pfn_i = ev_field_index(a->e.kind, "pfn"), order_i = ev_field_index(a->e.kind, "order");
	int buddy_i = ev_field_index(a->e.kind, "buddy");
	if (pfn_i < 0 || order_i < 0)
		return 0;
	int64_t head = a->e.f[pfn_i], order = a->e.f[order_i];
	bool early = a->on && a->frame * 2 < a->frames;
	if (buddy_i >= 0) {
		int64_t buddy = a->e.f[buddy_i];
		/* split: order is the halves'; merge: order is the joined block's */
		bool apart = a->e.kind == EV_SPLIT ? !early : early;
		if (a->reverse)
			apart = !apart;
		int64_t half = a->e.kind == EV_SPLIT ? order : order - 1;
		if (!apart) {
			int64_t whole = a->e.kind == EV_SPLIT ? order + 1 : order;
			int64_t base = head < buddy ? head : buddy;
			return in_block(pfn, base, whole) ? 1 : 0;
		}
		if (in_block(pfn, buddy, half))
			return 2;
		return in_block(pfn, head, half) ? 1 : 0;
	}
	return in_block(pfn, head, order) ? 1 : 0;
}
