/*
 * The machine object: architectures, configuration, operations and steps,
 * errors, time travel and the state hash.  Booting (the memory layout) is in
 * mm_init.c; the buddy allocator in page_alloc.c.
 */
#include "machine.h"

#include "arena.h"
#include "pageblock.h"
#include "pcp.h"
#include "vmscan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K 1024ull
#define M (1024ull * K)
#define G (1024ull * M)
#define ABOVE UINT64_MAX

const char *const zone_type_names[MAX_NR_ZONES] = {"DMA", "DMA32", "Normal", "HighMem", "Movable"};

const char *const frame_state_names[NR_FRAME_STATES] = {
#define FS_NAME(e, n) #n,
	FRAME_STATES(FS_NAME)
#undef FS_NAME
};

/*
 * Default zone layouts.  x86_64: ZONE_DMA below 16M, DMA32 below 4G, Normal
 * above.  32-bit x86: DMA below 16M, Normal up to 896M (the direct-mapped
 * lowmem), HighMem above.  arm64 with no device limiting DMA: zone_dma_bits is
 * 32, so DMA covers the first 4G and DMA32 exists but is empty.  Movable is
 * only populated when a layout asks for it (kernelcore=/movablecore=).
 */
const struct arch arch_table[] = {
	{"x86_64", 4096, {16 * M, 4 * G, ABOVE, 0, ABOVE}},
	{"x86_64_la57", 4096, {16 * M, 4 * G, ABOVE, 0, ABOVE}},
	{"x86", 4096, {16 * M, 0, 896 * M, ABOVE, ABOVE}},
	{"x86_pae", 4096, {16 * M, 0, 896 * M, ABOVE, ABOVE}},
	{"arm64", 4096, {4 * G, 4 * G, ABOVE, 0, ABOVE}},
	{"arm64_48", 4096, {4 * G, 4 * G, ABOVE, 0, ABOVE}},
	{NULL, 0, {0}},
};

const struct arch *arch_by_name(const char *name)
{
	for (const struct arch *a = arch_table; a->name; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

void mm_config_default(struct mm_config *c)
{
	memset(c, 0, sizeof *c);
	c->arch = &arch_table[0];
	c->memory = 64 * M;
	c->page_size = 0; /* the arch's */
	c->max_order = 11;
	c->nodes = 1;
	c->cpus = 1;
	/* Off until the golden traces, REPL transcripts and screen tests
	 * written for the bare buddy say so (machine{migratetypes=, pcp=});
	 * the teaching scenarios and unit tests already do. */
	c->migratetypes = false;
	c->pcp = false;
	c->min_free_kbytes = -1;
}

bool arch_has_zone(const struct machine *m, unsigned type)
{
	return m->cfg.arch->zone_limit[type] != 0;
}

int mm_error(struct machine *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->error, sizeof m->error, fmt, ap);
	va_end(ap);
	return MM_EINVAL;
}

void machine_journal(struct machine *m, bool on)
{
	m->j.on = on;
	if (!on) {
		/* Without records the history cannot be walked: forget it. */
		journal_clear(&m->j);
	}
}

void mm_op_journal_begin(struct machine *m)
{
	machine_truncate(m);
	journal_begin_op(&m->j, m->origin);
}

void mm_op_journal_end(struct machine *m, bool empty)
{
	journal_end_op(&m->j);
	if (empty)
		journal_drop_empty_op(&m->j);
}

void mm_emit(struct machine *m, enum ev_kind kind, const int64_t *f)
{
	m->nsteps++;
	if (m->j.on)
		journal_add_step(&m->j, (uint16_t)kind, f);
	if (m->listener) {
		struct event e = {.kind = (uint16_t)kind,
				  .step = m->step_base + m->nsteps,
				  .op = m->op_base + m->nops,
				  .line = m->origin};
		memcpy(e.f, f, sizeof e.f);
		m->listener(m->listener_ctx, m, &e);
	}
}

void machine_boot_step(struct machine *m)
{
	mm_op_begin(m);
	EMIT(m, EV_MACHINE, m->nr_frames, m->cfg.page_size, m->nr_nodes, m->max_order);
	mm_op_end(m);
}

void machine_event_at(const struct machine *m, uint32_t s, struct event *e)
{
	uint32_t op = journal_step_op(&m->j, s);
	e->kind = journal_step_kind(&m->j, s);
	e->step = m->step_base + s + 1;
	e->op = m->op_base + op + 1;
	e->line = m->j.ops[op].line;
	memset(e->f, 0, sizeof e->f);
	journal_step_fields(&m->j, s, e->f);
}

void machine_seek(struct machine *m, uint32_t step)
{
	journal_seek(&m->j, step);
	m->nsteps = m->j.cursor;
	m->nops = m->j.cursor ? journal_step_op(&m->j, m->j.cursor - 1) + 1 : 0;
}

uint32_t machine_truncate(struct machine *m)
{
	uint32_t dropped = journal_truncate(&m->j);
	m->nops = m->j.nops;
	return dropped;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

uint64_t machine_hash(const struct machine *m)
{
	uint64_t h = 0xcbf29ce484222325ull;
	h = fnv(h, m->frames, (size_t)m->nr_frames * sizeof *m->frames);
	h = fnv(h, m->zones, machine_nr_zones(m) * sizeof *m->zones);
	h = fnv(h, m->pageblock_flags, pageblock_words(m) * sizeof *m->pageblock_flags);
	for (unsigned i = 0; i < machine_nr_zones(m); i++)
		if (m->pcp[i])
			h = fnv(h, m->pcp[i], m->cfg.cpus * sizeof *m->pcp[i]);
	for (unsigned i = 0; i < m->narenas; i++)
		h = arena_hash(m->arenas[i], h);
	return h;
}

struct zone *pfn_zone(const struct machine *m, uint32_t pfn)
{
	struct zone *next = NULL;
	for (unsigned i = 0; i < machine_nr_zones(m); i++) {
		struct zone *z = &m->zones[i];
		if (zone_has_pfn(z, pfn))
			return z;
		if (z->spanned && z->start_pfn > pfn && (!next || z->start_pfn < next->start_pfn))
			next = z;
	}
	/* A hole frame before a zone (pfn 0 on x86) is that zone's, as
	 * init_unavailable_range gives it the zone it precedes. */
	return pfn < m->nr_frames ? next : NULL;
}

uint32_t block_head(const struct machine *m, uint32_t pfn)
{
	/* Blocks tile memory and are aligned to their size, so the head is
	 * the first aligned frame, going up in order, that is a head of at
	 * least that order. */
	for (unsigned o = 0; o < m->max_order; o++) {
		uint32_t h = pfn & ~((1u << o) - 1);
		const struct frame *f = &m->frames[h];
		if (frame_state(f) != FS_TAIL && frame_order(f) >= o)
			return h;
	}
	return PFN_NONE;
}

const char *zone_label(const struct machine *m, unsigned id, char *buf, size_t n)
{
	const char *name = zone_type_names[id % MAX_NR_ZONES];
	if (m->nr_nodes == 1)
		return name;
	snprintf(buf, n, "node%u/%s", id / MAX_NR_ZONES, name);
	return buf;
}
