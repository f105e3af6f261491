/*
 * Python's random module, as far as the OSTEP homework simulators use it:
 * the Mersenne Twister MT19937 seeded from an integer as CPython 3 seeds it
 * (init_by_array over the 32-bit words of |seed|; 0 is the key {0}), and
 * random() as CPython makes its 53-bit double from two outputs.  The same
 * seed gives the same draws as `python3 -c "import random; random.seed(s)"`.
 * The state lives in journaled cells, so draws undo with their steps.
 */
#ifndef MM_TEXTBOOK_PYRANDOM_H
#define MM_TEXTBOOK_PYRANDOM_H

#include <stdint.h>

#include "mm/journal.h"

#define MT_N 624

struct pyrandom {
	uint32_t mt[MT_N];
	uint32_t mti;
};

/* Seeding writes the whole state: done when a model is made. */
void pyrandom_seed(struct pyrandom *r, int64_t seed);
/* random.random(): [0, 1) with 53 random bits. */
double pyrandom_random(struct journal *j, struct pyrandom *r);
/* n draws of random() in a row, unjournaled (a host-side generator). */
void pyrandom_fill(struct pyrandom *r, double *out, uint32_t n);

#endif
