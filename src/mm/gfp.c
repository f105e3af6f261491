/* gfp names and gfp_zone() (include/linux/gfp.h's GFP_ZONE_TABLE). */
#include "gfp.h"

#include <stdio.h>
#include <string.h>

#include "machine.h"

struct gfp_name {
	const char *name;
	uint32_t mask;
};

/* Composites first, most specific first, so formatting finds the best base. */
static const struct gfp_name table[] = {
	{"GFP_HIGHUSER_MOVABLE", GFP_HIGHUSER_MOVABLE},
	{"GFP_HIGHUSER", GFP_HIGHUSER},
	{"GFP_USER", GFP_USER},
	{"GFP_KERNEL", GFP_KERNEL},
	{"GFP_NOFS", GFP_NOFS},
	{"GFP_NOIO", GFP_NOIO},
	{"GFP_ATOMIC", GFP_ATOMIC},
	{"GFP_NOWAIT", GFP_NOWAIT},
	{"GFP_DMA32", GFP_DMA32},
	{"GFP_DMA", GFP_DMA},
	{"__GFP_DMA", __GFP_DMA},
	{"__GFP_HIGHMEM", __GFP_HIGHMEM},
	{"__GFP_DMA32", __GFP_DMA32},
	{"__GFP_MOVABLE", __GFP_MOVABLE},
	{"__GFP_RECLAIMABLE", __GFP_RECLAIMABLE},
	{"__GFP_HIGH", __GFP_HIGH},
	{"__GFP_IO", __GFP_IO},
	{"__GFP_FS", __GFP_FS},
	{"__GFP_ZERO", __GFP_ZERO},
	{"__GFP_DIRECT_RECLAIM", __GFP_DIRECT_RECLAIM},
	{"__GFP_KSWAPD_RECLAIM", __GFP_KSWAPD_RECLAIM},
	{"__GFP_NOWARN", __GFP_NOWARN},
	{"__GFP_RETRY_MAYFAIL", __GFP_RETRY_MAYFAIL},
	{"__GFP_NOFAIL", __GFP_NOFAIL},
	{"__GFP_NORETRY", __GFP_NORETRY},
	{"__GFP_COMP", __GFP_COMP},
	{"__GFP_HARDWALL", __GFP_HARDWALL},
};
#define NTABLE (sizeof table / sizeof table[0])

const char *const gfp_names[] = {"GFP_KERNEL", "GFP_ATOMIC", "GFP_NOWAIT", "GFP_USER", "GFP_HIGHUSER",
				 "GFP_HIGHUSER_MOVABLE", "GFP_DMA", "GFP_DMA32", "GFP_NOFS", "GFP_NOIO", NULL};

bool gfp_parse(const char *s, uint32_t *mask)
{
	uint32_t m = 0;
	if (!*s)
		return false;
	for (;;) {
		size_t len = strcspn(s, "|");
		size_t i;
		for (i = 0; i < NTABLE; i++)
			if (strlen(table[i].name) == len && strncmp(table[i].name, s, len) == 0)
				break;
		if (i == NTABLE)
			return false;
		m |= table[i].mask;
		s += len;
		if (!*s)
			break;
		s++; /* the '|': a name must follow */
	}
	if (!(m & ~(uint32_t)(GFP_ZONEMASK | __GFP_RECLAIMABLE)))
		m |= GFP_KERNEL;
	*mask = m;
	return true;
}

const char *gfp_format(uint32_t mask, char *buf, size_t n)
{
	size_t at = 0;
	if (!n)
		return buf;
	buf[0] = 0;
	for (size_t i = 0; i < NTABLE && mask; i++) {
		if ((mask & table[i].mask) != table[i].mask)
			continue;
		if (at < n)
			snprintf(buf + at, n - at, "%s%s", at ? "|" : "", table[i].name);
		at += strlen(table[i].name) + (at ? 1 : 0);
		mask &= ~table[i].mask;
	}
	if (!at)
		snprintf(buf, n, "0");
	return buf;
}

int gfp_zone(const struct machine *m, uint32_t mask)
{
	uint32_t z = mask & GFP_ZONEMASK;
	unsigned bits = (unsigned)__builtin_popcount(z & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM));
	if (bits > 1)
		return -1; /* GFP_ZONE_BAD */
	if (z & __GFP_DMA)
		return ZONE_DMA;
	if (z & __GFP_DMA32)
		return arch_has_zone(m, ZONE_DMA32) ? ZONE_DMA32 : ZONE_NORMAL;
	if ((z & __GFP_HIGHMEM) && (z & __GFP_MOVABLE))
		return ZONE_MOVABLE;
	if (z & __GFP_HIGHMEM)
		return arch_has_zone(m, ZONE_HIGHMEM) ? ZONE_HIGHMEM : ZONE_NORMAL;
	return ZONE_NORMAL;
}
