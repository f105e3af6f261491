/* Python's random.seed(int) and random.random() (see pyrandom.h), after
 * CPython's Modules/_randommodule.c and the MT19937 reference code. */
#include "pyrandom.h"

static void init_genrand(struct pyrandom *r, uint32_t s)
{
	r->mt[0] = s;
	for (uint32_t i = 1; i < MT_N; i++)
		r->mt[i] = 1812433253u * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) + i;
	r->mti = MT_N;
}

static void init_by_array(struct pyrandom *r, const uint32_t *key, uint32_t len)
{
	init_genrand(r, 19650218u);
	uint32_t i = 1, j = 0;
	for (uint32_t k = MT_N > len ? MT_N : len; k; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1664525u)) + key[j] + j;
		if (++i >= MT_N) {
			r->mt[0] = r->mt[MT_N - 1];
			i = 1;
		}
		if (++j >= len)
			j = 0;
	}
	for (uint32_t k = MT_N - 1; k; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) * 1566083941u)) - i;
		if (++i >= MT_N) {
			r->mt[0] = r->mt[MT_N - 1];
			i = 1;
		}
	}
	r->mt[0] = 0x80000000u;
}

void pyrandom_seed(struct pyrandom *r, int64_t seed)
{
	/* CPython seeds from |seed| split into 32-bit words, low word first */
	uint64_t a = seed < 0 ? -(uint64_t)seed : (uint64_t)seed;
	uint32_t key[2] = {(uint32_t)a, (uint32_t)(a >> 32)};
	init_by_array(r, key, key[1] ? 2 : 1);
}

static uint32_t genrand(struct journal *j, struct pyrandom *r)
{
	static const uint32_t mag01[2] = {0, 0x9908b0dfu};
	if (r->mti >= MT_N) {
		for (uint32_t k = 0; k < MT_N; k++) {
			uint32_t y = (r->mt[k] & 0x80000000u) | (r->mt[(k + 1) % MT_N] & 0x7fffffffu);
			jset32(j, &r->mt[k], r->mt[(k + 397) % MT_N] ^ (y >> 1) ^ mag01[y & 1]);
		}
		jset32(j, &r->mti, 0);
	}
	uint32_t y = r->mt[r->mti];
	jset32(j, &r->mti, r->mti + 1);
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680u;
	y ^= (y << 15) & 0xefc60000u;
	y ^= y >> 18;
	return y;
}

double pyrandom_random(struct journal *j, struct pyrandom *r)
{
	uint32_t a = genrand(j, r) >> 5, b = genrand(j, r) >> 6;
	return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}
