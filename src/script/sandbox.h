/*
 * The scenario sandbox: a Lua 5.4 state with only the safe libraries, text
 * chunks only, a cap on Lua's memory and an instruction budget.  Reaching a
 * limit raises a Lua error that pcall cannot swallow, so a runaway script ends
 * with a message, never with a hang or the process being killed.  Finalizers
 * (__gc) are refused: Lua runs them with hooks off, out of the budget's reach.
 * pairs() visits keys in a fixed order (numbers, strings, booleans, then by
 * tostring), because Lua seeds its string hashes afresh in every process.
 */
#ifndef SCRIPT_SANDBOX_H
#define SCRIPT_SANDBOX_H

#include <lua.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct sandbox_limits {
	uint64_t max_instructions; /* per run; 0 = unlimited */
	size_t max_memory;         /* bytes of Lua heap */
};

#define SANDBOX_DEFAULT_INSTRUCTIONS 2000000000ull
#define SANDBOX_DEFAULT_MEMORY (512u << 20)

struct sandbox {
	lua_State *L;
	struct sandbox_limits limits;
	size_t used;            /* bytes Lua holds now */
	uint64_t instructions;  /* counted since the budget was last reset */
	int hit_memory_cap;
	int fatal;              /* a limit was reached: pcall passes the error on */
	/* Ctrl-C: when *interrupt (a front end's SIGINT count) reaches
	 * interrupt_at (0 = never), the running chunk ends as at a limit. */
	volatile sig_atomic_t *interrupt;
	int interrupt_at;
};

/* Open a sandboxed state; `owner` goes in the state's extra space. */
int sandbox_open(struct sandbox *sb, const struct sandbox_limits *limits, void *owner);
void sandbox_close(struct sandbox *sb);
/* Give every thread of the state a new instruction budget. */
void sandbox_reset_budget(struct sandbox *sb);
/* Install the budget hook on a thread (threads made later inherit it). */
void sandbox_hook(struct sandbox *sb, lua_State *thread);
/* Load a text chunk with the sandbox's globals as its environment. */
int sandbox_load(lua_State *L, const char *code, size_t len, const char *chunkname);

/* The owner pointer given to sandbox_open, from any thread of the state. */
static inline void *sandbox_owner(lua_State *L)
{
	return *(void **)lua_getextraspace(L);
}

#endif
