/*
 * The scenario machinery's cost over a bare Lua host (issue 9: batch runs
 * within 1.5x): the same 1,000,000-operation churn (churn_1m.lua's loop)
 * run twice, once by a host that binds alloc_pages/free_pages straight to
 * the allocator (a full userdata per page, as the scenario API hands out,
 * no journal, no hooks, no sandbox), once through scenario_new and
 * scenario_resume as `memstep --batch --trace=none` runs it.  CPU seconds
 * of each and the ratio.  A report: exits 0.
 */
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <time.h>

#include "mm/machine.h"
#include "mm/page_alloc.h"
#include "script/scenario.h"

static const char loop[] =
	"local held, n, ops = {}, 0, 0\n"
	"while ops < 1000000 do\n"
	"  if n > 0 and (n >= 1000 or math.random(2) == 1) then\n"
	"    local i = math.random(n)\n"
	"    free_pages(held[i])\n"
	"    held[i] = held[n]\n"
	"    held[n] = nil\n"
	"    n = n - 1\n"
	"  else\n"
	"    local p = alloc_pages(math.random(0, 3))\n"
	"    if p then\n"
	"      n = n + 1\n"
	"      held[n] = p\n"
	"    end\n"
	"  end\n"
	"  ops = ops + 1\n"
	"end\n";

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static struct machine *bare_m;

static int bare_alloc(lua_State *L)
{
	uint32_t pfn;
	if (alloc_pages(bare_m, (unsigned)luaL_checkinteger(L, 1), GFP_KERNEL, -1, &pfn) != MM_OK) {
		lua_pushnil(L);
		return 1;
	}
	uint32_t *u = lua_newuserdatauv(L, 3 * sizeof *u, 0);
	u[0] = pfn;
	u[1] = bare_m->frames[pfn].born;
	u[2] = 1;
	return 1;
}

static int bare_free(lua_State *L)
{
	uint32_t *u = lua_touserdata(L, 1);
	if (!u || free_pages(bare_m, u[0], -1) != MM_OK)
		return luaL_error(L, "free_pages: bad page");
	return 0;
}

static double run_bare(void)
{
	struct mm_config c;
	char why[256];
	mm_config_default(&c);
	c.memory = 1ull << 30;
	c.seed = 1;
	bare_m = machine_new(&c, why, sizeof why);
	lua_State *L = luaL_newstate();
	luaL_openlibs(L);
	lua_register(L, "alloc_pages", bare_alloc);
	lua_register(L, "free_pages", bare_free);
	double t = cpu();
	if (luaL_dostring(L, "math.randomseed(1)\n" /* as the scenario seeds it */) || luaL_dostring(L, loop))
		fprintf(stderr, "bare host: %s\n", lua_tostring(L, -1));
	t = cpu() - t;
	lua_close(L);
	machine_free(bare_m);
	return t;
}

static double run_scenario(void)
{
	struct scenario_opts o;
	char why[256];
	scenario_opts_default(&o);
	/* as `memstep --batch --trace=none` sets them: no journal, no yield
	 * per operation (only --check needs one), no lines (no JSON trace) */
	o.journal = false;
	o.lazy = false;
	o.no_lines = true;
	o.machine.memory = 1ull << 30;
	o.machine.seed = 1;
	struct scenario *sc = scenario_new(&o, why, sizeof why);
	if (!sc) {
		fprintf(stderr, "scenario: %s\n", why);
		return 0;
	}
	double t = cpu();
	scenario_load_string(sc, loop, "=churn");
	while (scenario_resume(sc) == SC_SUSPENDED)
		;
	t = cpu() - t;
	if (sc->state == SC_ERROR)
		fprintf(stderr, "scenario: %s\n", sc->error);
	scenario_free(sc);
	return t;
}

int main(void)
{
	double bare = run_bare(), scen = run_scenario();
	printf("1M-operation churn: bare Lua host %.3f s, scenario API %.3f s CPU: ratio %.2f (target <= 1.5)\n", bare,
	       scen, bare > 0 ? scen / bare : 0);
	return 0;
}
