/*
 * Ids to arena offsets, the model's idr (lib/idr.c maps ids to pointers in
 * a radix tree): ids count from 1 and are handed out in order, never
 * reused, so that an id in an old event still names what it named.  A
 * directory of blocks of IDR_BLOCK slots, each block allocated when the
 * first id reaches it: a lookup is two loads, nothing ever moves, and a
 * machine pays for the ids it uses.  The struct lives in journaled state.
 */
#ifndef MM_IDR_H
#define MM_IDR_H

#include <stdint.h>

#include "arena.h"

#define IDR_BLOCK 1024u
#define IDR_BLOCKS 64u
#define IDR_MAX (IDR_BLOCK * IDR_BLOCKS) /* ids per table: 65536 */

struct idr {
	uint32_t n;                /* ids handed out: 1..n */
	uint32_t dir[IDR_BLOCKS];  /* arena offsets of the blocks, 0 = none yet */
};

/* The offset stored under id, 0 if there is no such id. */
static inline uint32_t idr_find(const struct arena *a, const struct idr *t, uint32_t id)
{
	if (id < 1 || id > t->n || id > IDR_MAX)
		return 0;
	const uint32_t *block = arena_ptr(a, t->dir[(id - 1) / IDR_BLOCK]);
	return block[(id - 1) % IDR_BLOCK];
}

/* Store off under the next id and return it; 0 once IDR_MAX are used. */
uint32_t idr_alloc(struct machine *m, struct arena *a, struct idr *t, uint32_t off);

#endif
