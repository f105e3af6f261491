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
#include <stdbool.h>
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
	char fatal_msg[320];    /* the budget's error, raised again by every catcher */
};

/* Open a sandboxed state; `owner` goes in the state's extra space. */
int sandbox_open(struct sandbox *sb, const struct sandbox_limits *limits, void *owner);
void sandbox_close(struct sandbox *sb);
/* Give every thread of the state a new instruction budget. */
void sandbox_reset_budget(struct sandbox *sb);
/* lua_pcall with a budget of its own (at most the sandbox's): the running
 * script's budget and limit flags are as they were afterwards.  On an error,
 * err says what (a memory cap reached, or the message); the error object is
 * left on the stack as lua_pcall leaves it. */
int sandbox_pcall_budget(struct sandbox *sb, lua_State *L, int nargs, int nres, int msgh, uint64_t budget,
			 char *err, size_t errlen);
/* Charge work done in C (bytes scanned, elements moved) to the budget;
 * raises the budget's error, at the Lua caller's line, when it is used up. */
void sandbox_charge(lua_State *L, uint64_t work);
/* Wrap the library functions that loop in C so that they are charged
 * (sandbox_work.c). */
void sandbox_charge_work(lua_State *L);
/* string.find, match, gmatch and gsub with counted steps (lpattern.c). */
void sandbox_open_patterns(lua_State *L);
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
