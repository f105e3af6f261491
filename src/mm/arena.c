/* Journaled arenas (see arena.h). */
#include "arena.h"

#include <string.h>
#include <sys/mman.h>

#include "machine.h"
#include "xalloc.h"

void arena_init(struct machine *m, struct arena *a)
{
	memset(a, 0, sizeof *a);
	if (m->narenas == m->caparenas) {
		m->caparenas = m->caparenas ? 2 * m->caparenas : 8;
		m->arenas = xrealloc(m->arenas, m->caparenas * sizeof *m->arenas);
	}
	m->arenas[m->narenas++] = a;
}

uint32_t arena_alloc(struct machine *m, struct arena *a, uint32_t bytes)
{
	uint32_t off = a->used;
	/* an allocation never straddles two chunks */
	if (off % ARENA_CHUNK + bytes > ARENA_CHUNK)
		off += ARENA_CHUNK - off % ARENA_CHUNK;
	uint32_t chunk = (off + bytes - 1) / ARENA_CHUNK;
	while (a->nchunks <= chunk) {
		if (a->nchunks == a->capchunks) {
			a->capchunks = a->capchunks ? a->capchunks * 2 : 8;
			a->chunks = xrealloc(a->chunks, a->capchunks * sizeof *a->chunks);
		}
		/* straight from mmap: zero pages the kernel fills lazily, so a
		 * machine touches only what it uses (calloc from a reused heap
		 * would clear, and under MALLOC_PERTURB_ fill, every byte) */
		void *c = mmap(NULL, ARENA_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		a->chunks[a->nchunks++] = xcheck(c == MAP_FAILED ? NULL : c);
	}
	jset32(&m->j, &a->used, off + bytes);
	/* zero what a dropped future may have left, through the journal */
	uint32_t *cell = arena_ptr(a, off);
	for (uint32_t i = 0; i < bytes / 4; i++)
		if (cell[i])
			jset32(&m->j, &cell[i], 0);
	return off;
}

void arena_free(struct arena *a)
{
	for (uint32_t i = 0; i < a->nchunks; i++)
		munmap(a->chunks[i], ARENA_CHUNK);
	free(a->chunks);
	memset(a, 0, sizeof *a);
}

uint64_t arena_hash(const struct arena *a, uint64_t h)
{
	for (uint32_t off = 0; off < a->used; off += ARENA_CHUNK) {
		uint32_t n = a->used - off < ARENA_CHUNK ? a->used - off : ARENA_CHUNK;
		const uint8_t *p = arena_ptr(a, off);
		for (uint32_t i = 0; i < n; i++)
			h = (h ^ p[i]) * 0x100000001b3ull;
	}
	return (h ^ a->used) * 0x100000001b3ull;
}
