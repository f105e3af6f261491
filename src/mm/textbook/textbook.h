/*
 * The textbook models (src/mm/textbook): the free-list allocator and page
 * replacement as OS courses assign them (OSTEP's homework simulators), on
 * the machine's journal so that they step, break and undo like the kernel
 * models.  They share one arena; handles are arena offsets.
 */
#ifndef MM_TEXTBOOK_TEXTBOOK_H
#define MM_TEXTBOOK_TEXTBOOK_H

#include <stddef.h>

#include "mm/arena.h"
#include "mm/machine.h"

struct textbook {
	struct arena arena;
	uint32_t root; /* offset of struct textbook_root */
};

/* Journaled: every model made, newest first. */
struct textbook_root {
	uint32_t models; /* offset of the newest model's struct tb_model */
	uint32_t count;
};

enum tb_kind { TB_FREELIST, TB_REPLACE, TB_SEGMENT, TB_LINEAR_PT, TB_MULTILEVEL_PT, TB_MALLOC, NR_TB_KINDS };
extern const char *const tb_kind_names[NR_TB_KINDS];

/* The header every model record starts with. */
struct tb_model {
	uint32_t kind; /* enum tb_kind */
	uint32_t next; /* the next older model */
	uint32_t born; /* the step that made it (handles check it) */
};

static inline struct arena *textbook_arena(const struct machine *m)
{
	return &m->textbook->arena;
}
static inline struct textbook_root *textbook_root(const struct machine *m)
{
	return arena_ptr(&m->textbook->arena, m->textbook->root);
}

/* The subsystem row (subsys.c). */
void textbook_init(struct machine *m);
void textbook_free(struct machine *m);
int check_textbook(const struct machine *m, char *why, size_t whylen);
/* Inside an operation: link a new model record into the root's list;
 * returns its offset.  Once the record is filled in, textbook_made takes
 * its tb_new step (the writes come before the step that shows them). */
uint32_t textbook_add(struct machine *m, uint32_t bytes, enum tb_kind kind);
void textbook_made(struct machine *m, uint32_t off, uint32_t size);

#endif
