/* A treap in the procs arena, shared by the VMA tree and the interval trees
 * (treap.c).  A record embeds a struct tnode at a fixed offset; nodes are
 * named by their record's arena offset. */
#ifndef MM_TREAP_H
#define MM_TREAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

struct tnode {
	uint32_t left, right, parent, prio;
};

struct treap {
	size_t node;                                               /* offset of the tnode in a record */
	bool (*before)(const struct machine *m, uint32_t a, uint32_t b); /* key order */
	bool (*update)(struct machine *m, uint32_t x);             /* recompute x's augment; true if changed */
};

struct tnode *treap_node(const struct machine *m, const struct treap *t, uint32_t off);

void treap_insert(struct machine *m, const struct treap *t, uint32_t *root, uint32_t x);
void treap_remove(struct machine *m, const struct treap *t, uint32_t *root, uint32_t x);
/* x's augment changed: fix it and its ancestors while they change. */
void treap_propagate(struct machine *m, const struct treap *t, uint32_t x);

#endif
