/*
 * Checkpoints: a long seek costs a bounded amount.  Every so many steps
 * (CK_MIN to CK_MAX, see checkpoint.c's adapt, or the journal's ck_every)
 * the journal saves, for each 128-byte block of host memory its records
 * touched since the previous checkpoint, the XOR of every record ever made
 * on that block (a version; a block not touched keeps its previous version,
 * so a checkpoint costs only what changed).  The state at checkpoint k is
 * the boot state XOR the versions current at k, so moving from checkpoint a
 * to checkpoint b is, for each block changed between them, the XOR of its
 * versions at a and at b applied to the words where they differ: no byte
 * the journal never wrote is read or written.  A seek goes through the
 * checkpoints nearest the cursor and the target when that costs less than
 * replaying, then replays the rest.
 *
 * Checkpoints need no list of the model's state: they follow the records,
 * so every journaled cell (frames, zones, arenas, any cell a subsystem
 * journals) is covered.  When memory cannot grow, no more checkpoints are
 * taken (those taken stay valid); seeks past them replay as before.
 */
#ifndef MM_CHECKPOINT_H
#define MM_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct journal;
struct ckpt;

#define CK_MIN (1u << 16) /* steps between checkpoints, at the closest */
#define CK_MAX (1u << 22) /* and at the furthest (see checkpoint.c) */

/* When not 0, the steps between checkpoints of every journal that does not
 * fix its own (journal.h's ck_every): for tests of whole sessions. */
extern uint32_t ckpt_every_fixed;

/* Called after each step recorded: takes a checkpoint when one is due. */
void ckpt_after_step(struct journal *j);
/* The steps after j->nsteps were dropped: so are their checkpoints. */
void ckpt_truncate(struct journal *j);
/* Move the state from j->cursor towards target through a checkpoint when
 * that costs less than replaying; returns the step the state is now at. */
uint32_t ckpt_seek(struct journal *j, uint32_t target);
void ckpt_free(struct ckpt *c);
size_t ckpt_bytes(const struct ckpt *c);
/* Checkpoints taken (0 when none), and whether taking them has stopped. */
uint32_t ckpt_count(const struct ckpt *c);
bool ckpt_stopped(const struct ckpt *c);
/* Seeks that went through a checkpoint (for tests and benchmarks). */
uint64_t ckpt_jumps(const struct ckpt *c);

#endif
