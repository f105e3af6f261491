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

/* The twist, in the reference code's three runs (no modulo per word);
 * each new word is journaled when the journal records. */
static inline uint32_t twist_word(const uint32_t *mt, uint32_t k, uint32_t k1, uint32_t km)
{
	uint32_t y = (mt[k] & 0x80000000u) | (mt[k1] & 0x7fffffffu);
	return mt[km] ^ (y >> 1) ^ (y & 1 ? 0x9908b0dfu : 0);
}

static void twist(struct journal *j, struct pyrandom *r)
{
	uint32_t *mt = r->mt;
	enum { M = 397 };
	if (!j->on) {
		uint32_t k = 0;
		j->changes++;
		for (; k < MT_N - M; k++)
			mt[k] = twist_word(mt, k, k + 1, k + M);
		for (; k < MT_N - 1; k++)
			mt[k] = twist_word(mt, k, k + 1, k + M - MT_N);
		mt[k] = twist_word(mt, k, 0, M - 1);
		r->mti = 0;
		return;
	}
	for (uint32_t k = 0; k < MT_N; k++)
		jset32(j, &mt[k], twist_word(mt, k, (k + 1) % MT_N, (k + M) % MT_N));
	jset32(j, &r->mti, 0);
}

static inline uint32_t genrand(struct journal *j, struct pyrandom *r)
{
	if (r->mti >= MT_N)
		twist(j, r);
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

void pyrandom_fill(struct pyrandom *r, double *out, uint32_t n)
{
	struct journal none = {0};
	for (uint32_t i = 0; i < n; i++) {
		uint32_t a = genrand(&none, r) >> 5, b = genrand(&none, r) >> 6;
		out[i] = (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
	}
}
