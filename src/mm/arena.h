/*
 * Journaled memory for state that grows while the machine runs (slab
 * freelists, page-table entries): chunks that never move, handed out by a
 * bump offset that is itself a journaled cell.  Undoing an allocation pulls
 * the offset back; memory handed out is zeroed through the journal, so a
 * region reused after a dropped future starts clean and every write to it
 * can be undone.  There is no free: subsystems keep their own free lists
 * (journaled) of what they hand out.
 */
#ifndef MM_ARENA_H
#define MM_ARENA_H

#include <stdint.h>

struct machine;

#define ARENA_CHUNK (1u << 20) /* bytes per chunk; the largest allocation */

struct arena {
	uint8_t **chunks;
	uint32_t nchunks, capchunks;
	uint32_t used; /* journaled: bytes handed out, chunk by chunk */
};

/* Register the arena with the machine (hashing, freeing); once, at boot. */
void arena_init(struct machine *m, struct arena *a);
/* `bytes` (a multiple of 4, at most ARENA_CHUNK) of zeroed memory; returns
 * its offset, which stays valid for the machine's life. */
uint32_t arena_alloc(struct machine *m, struct arena *a, uint32_t bytes);

/* Used by the machine: free the chunks; fold the contents into a hash. */
void arena_free(struct arena *a);
uint64_t arena_hash(const struct arena *a, uint64_t h);

static inline void *arena_ptr(const struct arena *a, uint32_t off)
{
	return a->chunks[off / ARENA_CHUNK] + off % ARENA_CHUNK;
}

#endif
