/* The one table of event kinds (see event.h). */
#include "event.h"

#include <string.h>

static const char *const ok_names[] = {"fail", "ok"};
static const char *const side_names[] = {"head", "tail"};
static const char *const wmark_names[] = {"min", "low", "high", "promo"};
const char *const nomem_names[NR_NOMEM] = {"watermark", "fragmented", "no-zone"};

#define F(n, t) {n, t, NULL}
#define FE(n, t, names) {n, t, names}

const struct ev_kind_info ev_kinds[NR_EV_KINDS] = {
	[EV_MACHINE] = {"machine", 4,
		{F("frames", FT_INT), F("page_size", FT_INT), F("nodes", FT_INT), F("max_order", FT_INT)},
		"a new machine boots: {frames} frames of {page_size} bytes on {nodes} node(s), {max_order} orders",
		"machine{} replaced a machine that had a history"},
	[EV_ALLOC] = {"alloc", 3, {F("order", FT_INT), F("gfp", FT_GFP), F("node", FT_INT)},
		"alloc_pages order {order} {gfp} on node {node}",
		"an allocation request enters the page allocator"},
	[EV_WATERMARK] = {"watermark", 8,
		{F("zone", FT_ZONE), F("order", FT_INT), F("free", FT_INT), F("usable", FT_INT),
		 FE("wmark", FT_ENUM, wmark_names), F("mark", FT_INT), F("reserve", FT_INT),
		 FE("ok", FT_BOOL, ok_names)},
		"{zone} order {order}: free {free}, usable {usable} vs {wmark} {mark} + reserve {reserve}: {ok}",
		"a zone's free pages checked against a watermark (__zone_watermark_ok)"},
	[EV_FALLBACK] = {"fallback", 3, {F("from", FT_ZONE), F("to", FT_ZONE), F("order", FT_INT)},
		"{from} cannot serve order {order}: fall back to {to}",
		"the zonelist walk moves on to the next zone"},
	[EV_SLOWPATH] = {"slowpath", 2, {F("order", FT_INT), F("gfp", FT_GFP)},
		"fast path failed at the low watermark: the slow path walks the zones again at min (lower for GFP_ATOMIC)",
		"the allocation enters __alloc_pages_slowpath"},
	[EV_TAKE] = {"take", 3, {F("zone", FT_ZONE), F("pfn", FT_PFN), F("order", FT_INT)},
		"take order-{order} block {pfn} off the {zone} free list",
		"a block is removed from a free list to be allocated"},
	[EV_SPLIT] = {"split", 4,
		{F("zone", FT_ZONE), F("pfn", FT_PFN), F("order", FT_INT), F("buddy", FT_PFN)},
		"split {pfn} into two order-{order} halves: keep {pfn}, {buddy} goes on the free list",
		"a block is halved and its upper half put on the free list (expand)"},
	[EV_DONE] = {"done", 3, {F("zone", FT_ZONE), F("pfn", FT_PFN), F("order", FT_INT)},
		"allocated order-{order} block {pfn} from {zone}",
		"the allocation succeeds"},
	[EV_FAIL] = {"fail", 3, {F("order", FT_INT), F("gfp", FT_GFP), FE("reason", FT_ENUM, nomem_names)},
		"order-{order} {gfp} allocation fails: {reason}",
		"the allocation returns nothing"},
	[EV_FREE] = {"free", 3, {F("zone", FT_ZONE), F("pfn", FT_PFN), F("order", FT_INT)},
		"free order-{order} block {pfn} in {zone}",
		"a block is handed back to the page allocator"},
	[EV_MERGE] = {"merge", 4,
		{F("zone", FT_ZONE), F("pfn", FT_PFN), F("order", FT_INT), F("buddy", FT_PFN)},
		"merge with free buddy {buddy}: order-{order} block {pfn}",
		"a freed block joins its free buddy into a block of the next order"},
	[EV_PUT] = {"put", 4,
		{F("zone", FT_ZONE), F("pfn", FT_PFN), F("order", FT_INT), FE("side", FT_ENUM, side_names)},
		"put order-{order} block {pfn} at the {side} of the {zone} free list",
		"a freed block is put on its free list"},
};

int ev_kind_by_name(const char *name)
{
	for (int k = 0; k < NR_EV_KINDS; k++)
		if (strcmp(ev_kinds[k].name, name) == 0)
			return k;
	return -1;
}

int ev_field_index(unsigned kind, const char *name)
{
	const struct ev_kind_info *ki = &ev_kinds[kind];
	for (unsigned i = 0; i < ki->nfields; i++)
		if (strcmp(ki->field[i].name, name) == 0)
			return (int)i;
	return -1;
}
