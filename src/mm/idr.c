/* Ids to arena offsets (idr.h). */
#include "idr.h"

#include "machine.h"

uint32_t idr_alloc(struct machine *m, struct arena *a, struct idr *t, uint32_t off)
{
	uint32_t id = t->n + 1;
	if (id > IDR_MAX)
		return 0;
	uint32_t b = (id - 1) / IDR_BLOCK;
	if (!t->dir[b]) {
		uint32_t block = arena_alloc(m, a, IDR_BLOCK * (uint32_t)sizeof(uint32_t));
		jset32(&m->j, &t->dir[b], block);
	}
	uint32_t *slots = arena_ptr(a, t->dir[b]);
	jset32(&m->j, &slots[(id - 1) % IDR_BLOCK], off);
	jset32(&m->j, &t->n, id);
	return id;
}
