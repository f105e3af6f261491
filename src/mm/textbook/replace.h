/*
 * Page replacement over a reference string, as OSTEP's
 * vm-beyondphys-policy/paging-policy.py runs it: a cache of N frames kept
 * as a list (FIFO and LRU evict its left end, MRU its right end, a hit
 * moves the page to the right under LRU and MRU), OPT evicting the page
 * used furthest in the future (the last such in the list) and UNOPT the
 * soonest, RAND a random one, and CLOCK as that simulator does it: random
 * probes of resident pages whose use counters (up to clockbits) are
 * decremented until one at 0 is found.  Random draws follow Python's
 * random module (pyrandom.h), so a seed gives the simulator's victims.
 *
 * State lives in the textbook arena (textbook.h): every step undoes.
 */
#ifndef MM_TEXTBOOK_REPLACE_H
#define MM_TEXTBOOK_REPLACE_H

#include <stdbool.h>
#include <stdint.h>

#include "pyrandom.h"
#include "tbvec.h"
#include "textbook.h"

enum rp_policy { RP_FIFO, RP_LRU, RP_MRU, RP_OPT, RP_UNOPT, RP_RAND, RP_CLOCK, NR_RP_POLICIES };
extern const char *const rp_policy_names[NR_RP_POLICIES + 1];

#define RP_MAX_FRAMES 65536u

struct rp_config {
	enum rp_policy policy;
	uint32_t frames;
	uint32_t clockbits;
	int64_t seed;
};

/* A place in the cache's list. */
struct rp_slot {
	uint32_t page;
	uint32_t use;  /* CLOCK's use count */
	uint32_t next; /* OPT, UNOPT: when the page is next referenced */
};

struct replacement {
	struct tb_model hdr;
	struct rp_config cfg;
	uint32_t id;
	uint32_t count;          /* resident pages */
	uint32_t hits, misses;
	uint32_t index;          /* references made so far */
	uint32_t nrefs;          /* length of the reference string, 0 if none */
	uint32_t slots;          /* arena offset of the list: a ring of frames slots */
	uint32_t head;           /* the ring slot of the list's left end */
	struct tbvec refs;       /* the reference string (OPT, UNOPT, run) */
	struct tbvec next_ref;   /* refs[i]'s next occurrence, nrefs if none */
	struct pyrandom rng;
};

/* Check a config; NULL when fine, else what is wrong. */
const char *rp_config_error(const struct rp_config *c, uint32_t nrefs);
/* A new cache over an optional reference string (journaled); its draws
 * start from rng when given (the simulator drew the string from the same
 * generator first), else from the seed. */
uint32_t replacement_new(struct machine *m, const struct rp_config *c, const uint32_t *refs, uint32_t nrefs,
			 const struct pyrandom *rng);
static inline struct replacement *replacement_at(const struct machine *m, uint32_t off)
{
	return arena_ptr(textbook_arena(m), off);
}

/* One reference: true on a hit; *victim the evicted page or -1.  With a
 * reference string the page must be the next one in it (the caller
 * checks: rp_next_ref). */
bool replacement_access(struct machine *m, uint32_t off, uint32_t page, int64_t *victim);
/* The next page of the reference string, -1 when none is left. */
int64_t rp_next_ref(const struct machine *m, const struct replacement *r);
/* Place i of the list (0 = left end); the list is a ring so that taking
 * its left end (FIFO's and LRU's victim) moves nothing. */
static inline struct rp_slot *rp_slots(const struct machine *m, const struct replacement *r)
{
	return arena_ptr(textbook_arena(m), r->slots);
}
static inline uint32_t rp_ring(const struct replacement *r, uint32_t i)
{
	uint32_t k = r->head + i;
	return k >= r->cfg.frames ? k - r->cfg.frames : k;
}
static inline struct rp_slot *rp_slot_at(const struct machine *m, const struct replacement *r, uint32_t i)
{
	return &rp_slots(m, r)[rp_ring(r, i)];
}
static inline uint32_t rp_slot(const struct machine *m, const struct replacement *r, uint32_t i)
{
	return rp_slot_at(m, r, i)->page;
}

int check_replacement(const struct machine *m, const struct replacement *r, char *why, size_t whylen);

#endif
