/* Checkpoints of the journal (see checkpoint.h). */
#include "checkpoint.h"

#include <stdlib.h>
#include <string.h>

#include "journal.h"

#define CK_BLOCK 128u /* bytes of host memory per saved block: two cache lines */
#define WORDS (CK_BLOCK / 4)
#define NONE UINT32_MAX

/* A block's version: the checkpoint it belongs to, kept beside the index
 * so finding the version current at a checkpoint reads one array. */
struct ckref {
	uint32_t ck, ver;
};

struct ckblock {
	uintptr_t addr;
	struct ckref *v; /* its versions, oldest first (checkpoint numbers rise) */
	uint32_t nv, capv;
	uint32_t stamp; /* last jump that moved it */
};

struct ckver {
	uint32_t block, ck;
};

struct ckpt {
	bool stopped;
	uint32_t n;      /* checkpoints 1..n; checkpoint 0 is step 0, the boot state */
	uint32_t *step;  /* step[k]: where checkpoint k is */
	uint32_t *first; /* first[k]: its first version (k >= 1) */
	uint32_t cap;
	struct ckblock *blocks;
	uint32_t nblocks, capblocks;
	uint32_t *table; /* open addressing: block index + 1, 0 empty */
	uint32_t tcap;
	uint32_t hot;    /* the block of the last record */
	struct ckver *ver;
	uint32_t nver, capver;
	struct vmarray data; /* CK_BLOCK bytes per version */
	uint32_t stamp;
	uint64_t jumps;
	uint32_t every;     /* steps to the next checkpoint */
	size_t jbytes;      /* journal bytes at the last checkpoint */
};

uint32_t ckpt_every_fixed;

static bool grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
	if (need <= *cap)
		return true;
	uint32_t n = *cap ? *cap : size == sizeof(struct ckref) ? 2 : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, (size_t)n * size);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static uint32_t slot(uintptr_t addr, uint32_t tcap)
{
	return (uint32_t)(((uint64_t)(addr / CK_BLOCK) * 0x9E3779B97F4A7C15ull) >> 32) & (tcap - 1);
}

static bool rehash(struct ckpt *c)
{
	uint32_t tcap = c->tcap ? c->tcap * 2 : 1024;
	uint32_t *t = calloc(tcap, sizeof *t);
	if (!t)
		return false;
	for (uint32_t b = 0; b < c->nblocks; b++) {
		uint32_t i = slot(c->blocks[b].addr, tcap);
		while (t[i])
			i = (i + 1) & (tcap - 1);
		t[i] = b + 1;
	}
	free(c->table);
	c->table = t;
	c->tcap = tcap;
	return true;
}

/* The block holding addr, made when new; NONE when memory ran out. */
static uint32_t block_of(struct ckpt *c, uintptr_t addr)
{
	if (c->hot < c->nblocks && c->blocks[c->hot].addr == addr)
		return c->hot;
	if (2 * (c->nblocks + 1) > c->tcap && !rehash(c))
		return NONE;
	uint32_t i = slot(addr, c->tcap);
	for (; c->table[i]; i = (i + 1) & (c->tcap - 1))
		if (c->blocks[c->table[i] - 1].addr == addr)
			return c->hot = c->table[i] - 1;
	if (!grow((void **)&c->blocks, &c->capblocks, c->nblocks + 1, sizeof *c->blocks))
		return NONE;
	c->blocks[c->nblocks] = (struct ckblock){.addr = addr};
	c->table[i] = ++c->nblocks;
	return c->hot = c->nblocks - 1;
}

static uint8_t *data(const struct ckpt *c, uint32_t v) { return (uint8_t *)c->data.base + (size_t)v * CK_BLOCK; }

/* XOR x into checkpoint k's version of the 4 bytes at addr. */
static bool add32(struct ckpt *c, uint32_t k, uintptr_t addr, uint32_t x)
{
	uint32_t b = block_of(c, addr & ~(uintptr_t)(CK_BLOCK - 1));
	if (b == NONE)
		return false;
	struct ckblock *bl = &c->blocks[b];
	if (!bl->nv || bl->v[bl->nv - 1].ck != k) {
		if (!grow((void **)&c->ver, &c->capver, c->nver + 1, sizeof *c->ver) ||
		    !grow((void **)&bl->v, &bl->capv, bl->nv + 1, sizeof *bl->v) ||
		    !vmarray_fit(&c->data, ((size_t)c->nver + 1) * CK_BLOCK))
			return false;
		uint8_t *d = data(c, c->nver);
		if (bl->nv)
			memcpy(d, data(c, bl->v[bl->nv - 1].ver), CK_BLOCK);
		else
			memset(d, 0, CK_BLOCK);
		c->ver[c->nver] = (struct ckver){b, k};
		bl->v[bl->nv++] = (struct ckref){k, c->nver++};
	}
	uint8_t *p = data(c, bl->v[bl->nv - 1].ver) + addr % CK_BLOCK;
	uint32_t w;
	memcpy(&w, p, 4);
	w ^= x;
	memcpy(p, &w, 4);
	return true;
}

/* Drop the versions of checkpoints after k. */
static void drop_after(struct ckpt *c, uint32_t k)
{
	uint32_t keep = k < c->n ? c->first[k + 1] : c->nver;
	for (uint32_t v = keep; v < c->nver; v++)
		c->blocks[c->ver[v].block].nv--;
	c->nver = keep;
	c->n = k;
}

/* Fold the records of steps [from, to) into checkpoint k's versions. */
static bool fold(struct ckpt *c, const struct journal *j, uint32_t k, uint32_t from, uint32_t to)
{
	uintptr_t at = journal_rec_origin(j, from);
	const uint8_t *p = j->rb + journal_rec_begin(j, from), *end = j->rb + journal_rec_begin(j, to);
	uint32_t s = from;
	size_t next = journal_rec_begin(j, s - s % JANCHOR + JANCHOR < to ? s - s % JANCHOR + JANCHOR : to);
	while (p < end) {
		while ((size_t)(p - j->rb) >= next) { /* an anchor: the chain restarts */
			s = s - s % JANCHOR + JANCHOR;
			at = 0;
			next = journal_rec_begin(j, s + JANCHOR < to ? s + JANCHOR : to);
		}
		uint64_t key = jget_varint(&p);
		uint64_t x = jget_varint(&p);
		at += (uintptr_t)(junzigzag(key >> 1) * 4);
		uint32_t lo, hi;
		memcpy(&lo, (const uint8_t *)&x, 4); /* the cell's bytes, as memory holds them */
		memcpy(&hi, (const uint8_t *)&x + 4, 4);
		if (!(key & 1))
			lo = (uint32_t)x, hi = 0;
		if ((lo && !add32(c, k, at, lo)) || (hi && !add32(c, k, at + 4, hi)))
			return false;
	}
	return true;
}

static size_t journal_size(const struct journal *j)
{
	return j->nrb + j->nfb + (size_t)j->nsteps * sizeof *j->steps;
}

/*
 * How far apart checkpoints are, unless the journal fixes it (ck_every):
 * as close as CK_MIN while a checkpoint costs at most a quarter of the
 * journal written since the previous one, further apart (up to CK_MAX) when
 * it costs more (a history that keeps changing most of a large machine).
 */
static void adapt(struct ckpt *c, const struct journal *j, uint32_t k)
{
	size_t mem = (size_t)(c->nver - c->first[k]) * (CK_BLOCK + 16), jb = journal_size(j) - c->jbytes;
	c->jbytes = journal_size(j);
	if (j->ck_every || ckpt_every_fixed)
		c->every = j->ck_every ? j->ck_every : ckpt_every_fixed;
	else if (mem > jb / 4 && c->every < CK_MAX)
		c->every *= 2;
	else if (mem < jb / 16 && c->every > CK_MIN)
		c->every /= 2;
}

void ckpt_after_step(struct journal *j)
{
	struct ckpt *c = j->ck;
	uint32_t every = c ? c->every : j->ck_every ? j->ck_every : ckpt_every_fixed ? ckpt_every_fixed : CK_MIN;
	if (j->nsteps - (c ? c->step[c->n] : 0) < every || (c && c->stopped))
		return;
	if (!c) {
		c = calloc(1, sizeof *c);
		if (!c || !grow((void **)&c->step, &c->cap, 2, sizeof *c->step) ||
		    !(c->first = calloc(c->cap, sizeof *c->first))) {
			ckpt_free(c);
			j->ck_every = UINT32_MAX; /* no memory: no checkpoints */
			return;
		}
		c->step[0] = 0;
		c->every = every;
		j->ck = c;
	}
	uint32_t k = c->n + 1, cap = c->cap;
	if (!grow((void **)&c->step, &cap, k + 1, sizeof *c->step) ||
	    !grow((void **)&c->first, &c->cap, k + 1, sizeof *c->first)) {
		c->stopped = true;
		return;
	}
	c->first[k] = c->nver;
	if (!fold(c, j, k, c->step[c->n], j->nsteps)) {
		/* checkpoint k has no version list of its own yet: drop its versions */
		for (uint32_t v = c->first[k]; v < c->nver; v++)
			c->blocks[c->ver[v].block].nv--;
		c->nver = c->first[k];
		c->stopped = true;
		return;
	}
	c->step[k] = j->nsteps;
	c->n = k;
	adapt(c, j, k);
}

void ckpt_truncate(struct journal *j)
{
	struct ckpt *c = j->ck;
	uint32_t k = c ? c->n : 0;
	while (k && c->step[k] > j->nsteps)
		k--;
	if (c) {
		drop_after(c, k);
		if (c->jbytes > journal_size(j))
			c->jbytes = journal_size(j);
	}
}

/* The checkpoint nearest step s. */
static uint32_t nearest(const struct ckpt *c, uint32_t s)
{
	uint32_t lo = 0, hi = c->n + 1; /* step[lo] <= s < step[hi] */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->step[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	return hi <= c->n && c->step[hi] - s < s - c->step[lo] ? hi : lo;
}

/* Block b's version current at checkpoint k, NULL when it has none yet. */
static const uint8_t *version_at(const struct ckpt *c, const struct ckblock *b, uint32_t k)
{
	uint32_t lo = 0, hi = b->nv; /* the versions v[0..lo) are at or before k */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (b->v[mid].ck <= k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? data(c, b->v[lo - 1].ver) : NULL;
}

static uint32_t absdiff(uint32_t a, uint32_t b) { return a > b ? a - b : b - a; }

/* Apply the XOR of two versions (NULL: none yet) to a block's words. */
static void move_words(uint8_t *mem, const uint8_t *xa, const uint8_t *xb)
{
	for (unsigned w = 0; w < WORDS; w++) {
		uint32_t da = 0, db = 0, m;
		if (xa)
			memcpy(&da, xa + 4 * w, 4);
		if (xb)
			memcpy(&db, xb + 4 * w, 4);
		if (da == db)
			continue; /* only cells the journal wrote differ */
		memcpy(&m, mem + 4 * w, 4);
		m ^= da ^ db;
		memcpy(mem + 4 * w, &m, 4);
	}
}

/*
 * The state is at checkpoint a: bring it to checkpoint b.  The blocks to
 * move are those with a version between the two: found from the versions
 * made there, or, when those outnumber the blocks, from every block.  A
 * block costs three reads far apart (its versions' list, the two versions,
 * the state), so the blocks are looked up LOOKAHEAD ahead and their memory
 * prefetched before it is needed.
 */
#define LOOKAHEAD 8
static void jump(struct ckpt *c, uint32_t a, uint32_t b)
{
	uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
	uint32_t end = hi < c->n ? c->first[hi + 1] : c->nver;
	bool all = end - c->first[lo + 1] > c->nblocks;
	uint32_t from = all ? 0 : c->first[lo + 1], to = all ? c->nblocks : end;
	struct {
		const struct ckblock *bl;
		const uint8_t *xa, *xb;
	} ring[LOOKAHEAD] = {{0}};
	c->stamp++;
	for (uint32_t i = from; i < to + LOOKAHEAD; i++) {
		if (i >= from + LOOKAHEAD) { /* the block looked up LOOKAHEAD ago */
			unsigned r = (i - LOOKAHEAD) % LOOKAHEAD;
			if (ring[r].bl && ring[r].xa != ring[r].xb)
				move_words((uint8_t *)ring[r].bl->addr, ring[r].xa, ring[r].xb);
		}
		if (i >= to)
			continue;
		struct ckblock *bl = &c->blocks[all ? i : c->ver[i].block];
		unsigned r = i % LOOKAHEAD;
		ring[r].bl = NULL;
		if (bl->stamp == c->stamp)
			continue;
		bl->stamp = c->stamp;
		ring[r].bl = bl;
		ring[r].xa = version_at(c, bl, a);
		ring[r].xb = version_at(c, bl, b);
		if (ring[r].xa)
			__builtin_prefetch(ring[r].xa);
		if (ring[r].xb)
			__builtin_prefetch(ring[r].xb);
		__builtin_prefetch((const void *)bl->addr, 1);
		if (i + LOOKAHEAD < to)
			__builtin_prefetch(c->blocks[all ? i + LOOKAHEAD : c->ver[i + LOOKAHEAD].block].v);
	}
}

uint32_t ckpt_seek(struct journal *j, uint32_t target)
{
	struct ckpt *c = j->ck;
	if (!c || !c->n)
		return j->cursor;
	uint32_t a = nearest(c, j->cursor), b = nearest(c, target);
	if (a == b)
		return j->cursor;
	/* a block moved costs about as much as replaying 8 steps; a block
	 * moves once however many versions it has between a and b */
	uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
	uint64_t blocks = (hi < c->n ? c->first[hi + 1] : c->nver) - c->first[lo + 1];
	if (blocks > c->nblocks)
		blocks = c->nblocks;
	uint64_t via = (uint64_t)absdiff(j->cursor, c->step[a]) + absdiff(target, c->step[b]) + 8 * blocks;
	if (via >= absdiff(j->cursor, target))
		return j->cursor;
	journal_apply_steps(j, j->cursor, c->step[a]);
	jump(c, a, b);
	c->jumps++;
	return c->step[b];
}

void ckpt_free(struct ckpt *c)
{
	if (!c)
		return;
	for (uint32_t b = 0; b < c->nblocks; b++)
		free(c->blocks[b].v);
	free(c->blocks);
	free(c->table);
	free(c->ver);
	free(c->step);
	free(c->first);
	vmarray_free(&c->data);
	free(c);
}

size_t ckpt_bytes(const struct ckpt *c)
{
	if (!c)
		return 0;
	size_t n = (size_t)c->nver * (CK_BLOCK + sizeof *c->ver) + (size_t)c->capblocks * sizeof *c->blocks;
	for (uint32_t b = 0; b < c->nblocks; b++)
		n += (size_t)c->blocks[b].capv * sizeof(struct ckref) + 16; /* and the allocator's header */
	return n + (size_t)c->tcap * 4 + (size_t)c->cap * 8;
}

uint32_t ckpt_count(const struct ckpt *c) { return c ? c->n : 0; }
bool ckpt_stopped(const struct ckpt *c) { return c && c->stopped; }
uint64_t ckpt_jumps(const struct ckpt *c) { return c ? c->jumps : 0; }
