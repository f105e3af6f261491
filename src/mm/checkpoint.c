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

/* XOR x into checkpoint k's version of the 4 bytes at addr (in block b, or
 * the next one). */
static bool add32(struct ckpt *c, uint32_t k, uint32_t b, uintptr_t addr, uint32_t x)
{
	if ((addr & ~(uintptr_t)(CK_BLOCK - 1)) != c->blocks[b].addr) /* a 64-bit cell across two blocks */
		b = block_of(c, addr & ~(uintptr_t)(CK_BLOCK - 1));
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

/* The current version of block b, to prefetch it (NULL when it has none). */
static const void *latest(const struct ckpt *c, uint32_t b)
{
	const struct ckblock *bl = &c->blocks[b];
	return bl->nv ? data(c, bl->v[bl->nv - 1].ver) : NULL;
}

/*
 * Fold the records of steps [from, to) into checkpoint k's versions.  A
 * record costs three reads far apart (the hash slot, the block, its
 * version): records are decoded FOLD at a time and each read of the batch
 * prefetched before the pass that needs it, so a wide history waits for a
 * batch's misses at once rather than one after another.
 */
#define FOLD 32
static bool fold(struct ckpt *c, const struct journal *j, uint32_t k, uint32_t from, uint32_t to)
{
	uintptr_t at = journal_rec_origin(j, from);
	const uint8_t *p = j->rb + journal_rec_begin(j, from), *end = j->rb + journal_rec_begin(j, to);
	uint32_t s = from;
	size_t next = journal_rec_begin(j, s - s % JANCHOR + JANCHOR < to ? s - s % JANCHOR + JANCHOR : to);
	uintptr_t addr[FOLD], prev = 1; /* no block starts at 1 */
	uint32_t lo[FOLD], hi[FOLD], blk[FOLD];
	bool same[FOLD]; /* in the block of the record before: nothing to look up */
	while (p < end) {
		unsigned n = 0;
		for (; n < FOLD && p < end; n++) {
			while ((size_t)(p - j->rb) >= next) { /* an anchor: the chain restarts */
				s = s - s % JANCHOR + JANCHOR;
				at = 0;
				next = journal_rec_begin(j, s + JANCHOR < to ? s + JANCHOR : to);
			}
			uint64_t key = jget_varint(&p);
			uint64_t x = jget_varint(&p);
			at += (uintptr_t)(junzigzag(key >> 1) * 4);
			addr[n] = at;
			memcpy(&lo[n], (const uint8_t *)&x, 4); /* the cell's bytes, as memory holds them */
			memcpy(&hi[n], (const uint8_t *)&x + 4, 4);
			if (!(key & 1))
				lo[n] = (uint32_t)x, hi[n] = 0;
			uintptr_t base = at & ~(uintptr_t)(CK_BLOCK - 1);
			same[n] = base == prev;
			prev = base;
			if (!same[n] && c->tcap)
				__builtin_prefetch(&c->table[slot(base, c->tcap)]);
		}
		for (unsigned i = 0; i < n; i++) { /* the slots are in: prefetch the blocks */
			uint32_t t = !same[i] && c->tcap ? c->table[slot(addr[i] & ~(uintptr_t)(CK_BLOCK - 1), c->tcap)] : 0;
			if (t)
				__builtin_prefetch(&c->blocks[t - 1]);
		}
		for (unsigned i = 0; i < n; i++) { /* the blocks are in: prefetch their versions */
			if (same[i] && i) {
				blk[i] = blk[i - 1];
				continue;
			}
			blk[i] = block_of(c, addr[i] & ~(uintptr_t)(CK_BLOCK - 1));
			if (blk[i] == NONE)
				return false;
			const void *v = latest(c, blk[i]);
			if (v)
				__builtin_prefetch(v, 1);
		}
		for (unsigned i = 0; i < n; i++)
			if ((lo[i] && !add32(c, k, blk[i], addr[i], lo[i])) || (hi[i] && !add32(c, k, blk[i], addr[i] + 4, hi[i])))
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
 * as close as CK_MIN while a checkpoint costs at most half the journal
 * written since the previous one, further apart (up to CK_MAX) when it
 * costs more (a history that keeps changing most of a large machine), so
 * checkpoints never take more than about half the journal's memory.  A seek
 * replays up to half a spacing on each side, so the spacing is what bounds
 * it: a quarter (the rule before) put a wide churn's checkpoints 512K steps
 * apart, and its seeks spent most of their time replaying.
 */
static void adapt(struct ckpt *c, const struct journal *j, uint32_t k)
{
	size_t mem = (size_t)(c->nver - c->first[k]) * (CK_BLOCK + 16), jb = journal_size(j) - c->jbytes;
	c->jbytes = journal_size(j);
	if (j->ck_every || ckpt_every_fixed)
		c->every = j->ck_every ? j->ck_every : ckpt_every_fixed;
	else if (mem > jb / 2 && c->every < CK_MAX)
		c->every *= 2;
	else if (mem < jb / 8 && c->every > CK_MIN)
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

/* Where block b's version current at checkpoint k is likely to be in its
 * list: checkpoints are taken evenly enough that k's share of them is a
 * good guess (exact when the block changes at every checkpoint). */
static uint32_t guess(const struct ckpt *c, const struct ckblock *b, uint32_t k)
{
	uint32_t g = (uint32_t)((uint64_t)k * b->nv / (c->n + 1));
	return g < b->nv ? g : b->nv - 1;
}

/* Block b's version current at checkpoint k, NULL when it has none yet:
 * from the guess, galloping out to bracket it, then a binary search, so a
 * long list costs a miss or two, not one per halving. */
static const uint8_t *version_at(const struct ckpt *c, const struct ckblock *b, uint32_t k)
{
	if (!b->nv)
		return NULL;
	uint32_t lo, hi, g = guess(c, b, k); /* find lo: v[0..lo) are at or before k */
	if (b->v[g].ck <= k) {
		lo = g + 1;
		for (uint32_t d = 1;; d *= 2) {
			hi = lo + d < b->nv ? lo + d : b->nv;
			if (hi == b->nv || b->v[hi - 1].ck > k)
				break;
			lo = hi;
		}
	} else {
		hi = g;
		for (uint32_t d = 1;; d *= 2) {
			lo = hi > d ? hi - d : 0;
			if (lo == 0 || b->v[lo].ck <= k) {
				if (b->v[lo].ck <= k)
					lo++;
				break;
			}
			hi = lo;
		}
	}
	while (lo < hi) { /* v[0..lo) at or before k, v[hi..) after */
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
 * block costs four reads far apart (the block, its versions' list, the two
 * versions, the state), so the walk is a pipeline: the block is prefetched
 * 3 * AHEAD items before it moves, its list where the guesses fall 2 * AHEAD
 * before, its versions and its state AHEAD before.
 */
#define AHEAD 8
static void jump(struct ckpt *c, uint32_t a, uint32_t b)
{
	uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
	uint32_t end = hi < c->n ? c->first[hi + 1] : c->nver;
	bool all = end - c->first[lo + 1] > c->nblocks;
	uint32_t from = all ? 0 : c->first[lo + 1], to = all ? c->nblocks : end;
	struct {
		struct ckblock *bl;
		const uint8_t *xa, *xb;
	} ring[AHEAD] = {{0}};
#define BLOCK(i) (&c->blocks[all ? (i) : c->ver[i].block])
	c->stamp++;
	for (uint32_t i = from; i < to + AHEAD; i++) {
		unsigned r = i % AHEAD;
		if (i >= from + AHEAD && ring[r].bl && ring[r].xa != ring[r].xb) /* looked up AHEAD ago */
			move_words((uint8_t *)ring[r].bl->addr, ring[r].xa, ring[r].xb);
		ring[r].bl = NULL;
		if (i + 3 * AHEAD < to)
			__builtin_prefetch(BLOCK(i + 3 * AHEAD));
		if (i + 2 * AHEAD < to) {
			const struct ckblock *n = BLOCK(i + 2 * AHEAD);
			if (n->nv) {
				__builtin_prefetch(&n->v[guess(c, n, a)]);
				__builtin_prefetch(&n->v[guess(c, n, b)]);
			}
		}
		if (i >= to)
			continue;
		struct ckblock *bl = BLOCK(i);
		if (bl->stamp == c->stamp)
			continue;
		bl->stamp = c->stamp;
		ring[r].bl = bl;
		ring[r].xa = version_at(c, bl, a);
		ring[r].xb = version_at(c, bl, b);
		for (unsigned h = 0; h < CK_BLOCK; h += 64) { /* a block is two cache lines */
			if (ring[r].xa)
				__builtin_prefetch(ring[r].xa + h);
			if (ring[r].xb)
				__builtin_prefetch(ring[r].xb + h);
			__builtin_prefetch((const uint8_t *)bl->addr + h, 1);
		}
	}
#undef BLOCK
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
