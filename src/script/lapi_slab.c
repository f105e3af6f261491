/* kmem_cache_*, kmalloc/kfree and their handles.
 *
 * Handles are live views: a cache handle remembers the cache's record and
 * the step that created it; an object handle its slab record, the slab's and
 * the object's allocation steps.  A handle whose thing was freed, destroyed
 * or undone is recognised as stale and says why.  vmalloc is lapi_vmalloc.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "lapi.h"
#include "mm/gfp.h"
#include "mm/slab_alloc.h"
#include "mm/slub.h"

#define CACHE_MT "kmem_cache"
#define OBJ_MT "slab_object"

struct lcache {
	uint32_t off, born;
	unsigned gen;
};

struct lobj {
	struct kobj o;
	uint32_t slab_born, born; /* slab objects: the slab's and the object's steps; large: the record's */
	uint32_t cache_born, name; /* slab objects: the cache's step and name (names outlive caches) */
	uint64_t addr, size;      /* size asked for */
	bool kmalloc;
	unsigned gen;
};

/* luaL_error with the C library's formats (%llx). */
static int lerr(lua_State *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int lerr(lua_State *L, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return luaL_error(L, "%s", buf);
}

static struct machine *machine_of(lua_State *L, unsigned gen, const char *what, uint64_t addr)
{
	struct scenario *sc = scenario_of(L);
	if (gen != sc->machine_gen)
		lerr(L, "%s 0x%llx belongs to a machine that machine{} replaced", what, (unsigned long long)addr);
	return sc->m;
}

/* ---- caches ---- */

static struct lcache *live_cache(lua_State *L, int idx, const char *fname)
{
	struct lcache *c = luaL_checkudata(L, idx, CACHE_MT);
	struct scenario *sc = scenario_of(L);
	if (c->gen != sc->machine_gen)
		luaL_error(L, "%s: the cache belongs to a machine that machine{} replaced", fname);
	const struct kmem_cache *k = cache_at(sc->m, c->off);
	if (sc->m->slub->arena.used <= c->off || k->born != c->born)
		luaL_error(L, "%s: the cache no longer exists (its creation was undone)", fname);
	if (!k->alive)
		lerr(L, "%s: cache %s was destroyed at step %u", fname, cache_name(sc->m, c->off), k->freed);
	return c;
}

static void push_cache(lua_State *L, struct machine *m, uint32_t off)
{
	struct lcache *c = lua_newuserdatauv(L, sizeof *c, 0);
	c->off = off;
	c->born = cache_at(m, off)->born;
	c->gen = scenario_of(L)->machine_gen;
	luaL_setmetatable(L, CACHE_MT);
}

static void push_slab_list(lua_State *L, struct machine *m, uint32_t cache, unsigned list)
{
	lua_newtable(L);
	int n = 0;
	for (uint32_t s = cache_slab_list(cache_at(m, cache), list).head; s; s = slab_at(m, s)->next) {
		lua_pushinteger(L, slab_at(m, s)->pfn);
		lua_rawseti(L, -2, ++n);
	}
}

static void push_name(lua_State *L, struct machine *m, uint32_t c) { lua_pushstring(L, cache_name(m, c)); }
static void push_partial(lua_State *L, struct machine *m, uint32_t c) { push_slab_list(L, m, c, SL_PARTIAL); }
static void push_full(lua_State *L, struct machine *m, uint32_t c) { push_slab_list(L, m, c, SL_FULL); }
static void push_cpu_partial(lua_State *L, struct machine *m, uint32_t c) { push_slab_list(L, m, c, SL_CPU_PARTIAL); }

static void push_flags(lua_State *L, struct machine *m, uint32_t c)
{
	char buf[160];
	slab_flags_format(cache_at(m, c)->flags, buf, sizeof buf);
	lua_pushstring(L, buf);
}

static void push_ctor(lua_State *L, struct machine *m, uint32_t c) { lua_pushboolean(L, cache_at(m, c)->ctor); }

static void push_cpu_slab(lua_State *L, struct machine *m, uint32_t c)
{
	uint32_t cpu = cache_at(m, c)->cpu_slab;
	if (cpu)
		lua_pushinteger(L, slab_at(m, cpu)->pfn);
	else
		lua_pushnil(L);
}

/* the CPU slab's free pointer chain, as addresses */
static void push_freelist(lua_State *L, struct machine *m, uint32_t c)
{
	uint32_t cpu = cache_at(m, c)->cpu_slab;
	lua_newtable(L);
	if (!cpu)
		return;
	struct slab *s = slab_at(m, cpu);
	int n = 0;
	for (uint32_t i = s->freelist; i != OBJ_NONE; i = slab_fp(s)[i]) {
		lua_pushinteger(L, (lua_Integer)slab_obj_addr(m, cpu, i));
		lua_rawseti(L, -2, ++n);
	}
}

/* A cache handle's fields: a counter of struct kmem_cache, or a pusher.
 * slabinfo's names (active_objs, num_objs, …) map to the model's counters. */
#define KC(field) offsetof(struct kmem_cache, field), NULL
static const struct cache_field {
	const char *name;
	size_t off;
	void (*push)(lua_State *L, struct machine *m, uint32_t cache);
} cache_fields[] = {
	{"name", 0, push_name},
	{"object_size", KC(object_size)},
	{"size", KC(size)},
	{"align", KC(align)},
	{"offset", KC(offset)},
	{"objects_per_slab", KC(objects)},
	{"order", KC(order)},
	{"min_partial", KC(min_partial)},
	{"flags", 0, push_flags},
	{"ctor", 0, push_ctor},
	{"active_objs", KC(inuse)},
	{"num_objs", KC(total_objects)},
	{"active_slabs", KC(nr_slabs)},
	{"num_slabs", KC(nr_slabs)},
	{"nr_partial", KC(nr_partial)},
	{"nr_full", KC(nr_full)},
	{"nr_cpu_partial", KC(nr_cpu_partial)},
	{"cpu_partial", KC(cpu_partial_objects)},
	{"cpu_partial_slabs", KC(cpu_partial_slabs)},
	{"cpu_slab", 0, push_cpu_slab},
	{"partial", 0, push_partial},
	{"full", 0, push_full},
	{"cpu_partial_list", 0, push_cpu_partial},
	{"freelist", 0, push_freelist},
};
#undef KC

static int cache_index(lua_State *L)
{
	struct lcache *c = live_cache(L, 1, "kmem_cache");
	struct machine *m = scenario_of(L)->m;
	const char *f = luaL_checkstring(L, 2);
	size_t n = sizeof cache_fields / sizeof cache_fields[0];
	for (size_t i = 0; i < n; i++) {
		const struct cache_field *cf = &cache_fields[i];
		if (strcmp(f, cf->name) != 0)
			continue;
		if (cf->push)
			cf->push(L, m, c->off);
		else
			lua_pushinteger(L, *(const uint32_t *)((const char *)cache_at(m, c->off) + cf->off));
		return 1;
	}
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (size_t i = 0; i < n; i++) {
		luaL_addstring(&b, i ? ", " : "");
		luaL_addstring(&b, cache_fields[i].name);
	}
	luaL_pushresult(&b);
	return luaL_error(L, "kmem_cache has no field '%s' (fields: %s)", f, lua_tostring(L, -1));
}

static int cache_tostring(lua_State *L)
{
	struct lcache *c = luaL_checkudata(L, 1, CACHE_MT);
	struct scenario *sc = scenario_of(L);
	if (c->gen == sc->machine_gen && c->off < sc->m->slub->arena.used)
		lua_pushfstring(L, "kmem_cache %s", cache_name(sc->m, c->off));
	else
		lua_pushstring(L, "kmem_cache (gone)");
	return 1;
}

static int cache_eq(lua_State *L)
{
	struct lcache *a = luaL_checkudata(L, 1, CACHE_MT), *b = luaL_checkudata(L, 2, CACHE_MT);
	lua_pushboolean(L, a->off == b->off && a->born == b->born && a->gen == b->gen);
	return 1;
}

static int size_limit(lua_State *L, uint64_t size, const char *fname)
{
	if (size > UINT32_MAX)
		return lerr(L, "%s: %llu bytes is more than the model's objects can be", fname,
				  (unsigned long long)size);
	return 0;
}

/* flags="SLAB_HWCACHE_ALIGN|SLAB_PANIC", or {"SLAB_HWCACHE_ALIGN", …} */
static uint32_t check_flags(lua_State *L, int idx)
{
	uint32_t flags = 0, f;
	char bad[128];
	if (lua_type(L, idx) == LUA_TSTRING) {
		if (slab_flags_parse(lua_tostring(L, idx), &flags, bad, sizeof bad) != 0)
			luaL_error(L, "kmem_cache_create: flags: %s", bad);
		return flags;
	}
	if (!lua_istable(L, idx))
		luaL_error(L, "kmem_cache_create: flags must be a string such as \"SLAB_HWCACHE_ALIGN|SLAB_PANIC\" "
			      "or a list of names");
	for (lua_Integer i = 1; lua_rawgeti(L, idx, i) != LUA_TNIL; i++) {
		if (lua_type(L, -1) != LUA_TSTRING || slab_flags_parse(lua_tostring(L, -1), &f, bad, sizeof bad) != 0)
			luaL_error(L, "kmem_cache_create: flags[%d]: %s", (int)i,
				   lua_type(L, -1) == LUA_TSTRING ? bad : "not a flag name");
		flags |= f;
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	return flags;
}

/* The registry's table of constructors: cache offset -> {fn, born, gen}. */
#define CTORS "memstep.slab_ctors"

static void remember_ctor(lua_State *L, struct machine *m, uint32_t off, int fn)
{
	luaL_getsubtable(L, LUA_REGISTRYINDEX, CTORS);
	lua_createtable(L, 3, 0);
	lua_pushvalue(L, fn);
	lua_rawseti(L, -2, 1);
	lua_pushinteger(L, cache_at(m, off)->born);
	lua_rawseti(L, -2, 2);
	lua_pushinteger(L, scenario_of(L)->machine_gen);
	lua_rawseti(L, -2, 3);
	lua_rawseti(L, -2, off);
	lua_pop(L, 1);
}

/* setup_object: a new slab runs the cache's constructor on each of its
 * objects, in address order, before the first is handed out.  It runs as
 * on() hooks do: no operations inside. */
static void run_ctor(lua_State *L, struct machine *m, uint32_t cache, uint32_t slab, uint32_t index,
		     uint32_t since)
{
	const struct slab_allocator *a = slab_allocator(m);
	struct obj_stamps st;
	a->obj_stamps(m, slab, index, &st);
	if (!cache_at(m, cache)->ctor || (!a->ctor_each_alloc && st.slab_born <= since))
		return;
	int top = lua_gettop(L);
	luaL_getsubtable(L, LUA_REGISTRYINDEX, CTORS);
	lua_rawgeti(L, -1, cache);
	bool found = lua_istable(L, -1) && lua_rawgeti(L, -1, 2) == LUA_TNUMBER &&
		     lua_tointeger(L, -1) == cache_at(m, cache)->born && lua_rawgeti(L, -2, 3) == LUA_TNUMBER &&
		     lua_tointeger(L, -1) == scenario_of(L)->machine_gen && lua_rawgeti(L, -3, 1) == LUA_TFUNCTION;
	if (!found) { /* ctor=true: the layout only */
		lua_settop(L, top);
		return;
	}
	struct scenario *sc = scenario_of(L);
	bool in_hook = sc->in_hook;
	sc->in_hook = true;
	/* SLOB: the object just allocated; SLUB, SLAB: each of a new slab's */
	uint32_t first = a->ctor_each_alloc ? index : 0, end = a->ctor_each_alloc ? index + 1 : st.objects;
	for (uint32_t i = first; i < end; i++) {
		lua_pushvalue(L, -1);
		lua_pushinteger(L, (lua_Integer)slab_obj_addr(m, slab, i));
		if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
			sc->in_hook = in_hook;
			lua_error(L);
		}
	}
	sc->in_hook = in_hook;
	lua_settop(L, top);
}

/* kmem_cache_create(name, size [, {align=, flags=, ctor=, freeptr_offset=, min_partial=, cpu_partial=}]) */
static int l_kmem_cache_create(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	uint64_t size = lapi_checksize(L, 2, "kmem_cache_create: size");
	size_limit(L, size, "kmem_cache_create");
	struct kmem_cache_args args = {.min_partial = -1, .cpu_partial = -1};
	int ctor = 0;
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		lua_pushnil(L);
		while (lua_next(L, 3)) {
			const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
			if (strcmp(k, "align") == 0) {
				args.align = lapi_checksize(L, -1, "kmem_cache_create: align");
			} else if (strcmp(k, "flags") == 0) {
				args.flags = check_flags(L, lua_gettop(L));
			} else if (strcmp(k, "ctor") == 0) {
				if (!lua_isboolean(L, -1) && !lua_isfunction(L, -1))
					return luaL_error(L, "kmem_cache_create: ctor must be a function(addr) or a boolean");
				args.ctor = lua_toboolean(L, -1);
				ctor = args.ctor && lua_isfunction(L, -1) ? 3 : 0;
			} else if (strcmp(k, "freeptr_offset") == 0) {
				if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > UINT32_MAX)
					return luaL_error(L, "kmem_cache_create: freeptr_offset must be a byte offset");
				args.use_freeptr_offset = true;
				args.freeptr_offset = (uint32_t)lua_tointeger(L, -1);
			} else if (strcmp(k, "cpu_partial") == 0) {
				if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 ||
				    lua_tointeger(L, -1) > CPU_PARTIAL_OBJECTS_MAX)
					return luaL_error(L, "kmem_cache_create: cpu_partial must be a whole number of objects "
							     "0..%d", (int)CPU_PARTIAL_OBJECTS_MAX);
				args.cpu_partial = (int)lua_tointeger(L, -1);
			} else if (strcmp(k, "min_partial") == 0) {
				if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > 1000)
					return luaL_error(L, "kmem_cache_create: min_partial must be a whole number 0..1000");
				args.min_partial = (int)lua_tointeger(L, -1);
			} else {
				return luaL_error(L, "kmem_cache_create: unknown option '%s' (options: align, flags, ctor, "
						     "freeptr_offset, min_partial, cpu_partial)", k);
			}
			lua_pop(L, 1);
		}
	}
	struct machine *m = lapi_op_begin(L, "kmem_cache_create");
	uint32_t before = m->nsteps, off;
	if (kmem_cache_create_args(m, name, size, &args, &off) != MM_OK)
		return luaL_error(L, "kmem_cache_create: %s", m->error);
	if (ctor) {
		lua_getfield(L, ctor, "ctor");
		remember_ctor(L, m, off, lua_gettop(L));
		lua_pop(L, 1);
	}
	push_cache(L, m, off);
	return lapi_op_end(L, before, 1);
}

/* kmem_cache(name): the live cache of that name (the newest), or nil. */
static int l_kmem_cache(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	struct machine *m = scenario_of(L)->m;
	for (uint32_t c = slub_root(m)->caches; c; c = cache_at(m, c)->next)
		if (strcmp(cache_name(m, c), name) == 0) {
			push_cache(L, m, c);
			return 1;
		}
	lua_pushnil(L);
	return 1;
}

/* ---- objects ---- */

static struct lobj *live_obj(lua_State *L, int idx, const char *fname, bool freeing)
{
	struct lobj *h = luaL_checkudata(L, idx, OBJ_MT);
	struct machine *m = machine_of(L, h->gen, "object", h->addr);
	const char *what = freeing ? "double free" : "use after free";
	if (h->o.large) {
		struct obj_stamps st;
		slab_allocator(m)->obj_stamps(m, h->o.rec, KOBJ_LARGE, &st);
		if (st.exists && st.born == h->born && st.born > st.freed)
			return h;
		if (st.exists && st.born == h->born && st.freed)
			lerr(L, "%s: %s: large kmalloc 0x%llx was freed at step %u", fname, what,
				   (unsigned long long)h->addr, st.freed);
		lerr(L, "%s: large kmalloc 0x%llx no longer exists (its allocation was undone)", fname,
			   (unsigned long long)h->addr);
	}
	const char *cname = h->o.cache ? slub_name(m, h->name) : "kmalloc";
	unsigned long long addr = (unsigned long long)h->addr;
	uint32_t now = m->step_base + m->nsteps;
	/* cache 0: SLOB's kmalloc, which has no caches */
	if (h->o.cache && (m->slub->arena.used <= h->o.cache || cache_at(m, h->o.cache)->born != h->cache_born))
		lerr(L, "%s: object 0x%llx of cache %s no longer exists (the cache's creation was undone)", fname, addr,
		     cname);
	if (h->born > now)
		lerr(L, "%s: object 0x%llx of cache %s no longer exists (its allocation at step %u was undone: "
			"this is step %u)", fname, addr, cname, h->born, now);
	struct obj_stamps st;
	slab_allocator(m)->obj_stamps(m, h->o.slab, h->o.index, &st);
	if (!st.exists || st.slab_born != h->slab_born)
		lerr(L, "%s: %s: object 0x%llx of cache %s was freed (its slab has gone back to the buddy)", fname, what,
		     addr, cname);
	if (st.born == h->born && st.born > st.freed)
		return h;
	if (st.freed > h->born)
		lerr(L, "%s: %s: object 0x%llx of cache %s was freed at step %u", fname, what, addr, cname, st.freed);
	if (st.born > h->born)
		lerr(L, "%s: %s: object 0x%llx of cache %s was freed and allocated again", fname, what, addr, cname);
	lerr(L, "%s: object 0x%llx of cache %s no longer exists (its allocation was undone)", fname, addr, cname);
	return NULL;
}

static void push_obj(lua_State *L, struct machine *m, const struct kobj *o, uint64_t size, bool kmalloc)
{
	struct lobj *h = lua_newuserdatauv(L, sizeof *h, 0);
	memset(h, 0, sizeof *h);
	h->o = *o;
	h->size = size;
	h->kmalloc = kmalloc;
	h->gen = scenario_of(L)->machine_gen;
	if (o->large) {
		struct obj_stamps st;
		slab_allocator(m)->obj_stamps(m, o->rec, KOBJ_LARGE, &st);
		h->born = st.born;
		h->addr = slab_obj_addr(m, o->rec, KOBJ_LARGE);
	} else {
		struct obj_stamps st;
		slab_allocator(m)->obj_stamps(m, o->slab, o->index, &st);
		if (o->cache) {
			h->cache_born = cache_at(m, o->cache)->born;
			h->name = cache_at(m, o->cache)->name;
		}
		h->slab_born = st.slab_born;
		h->born = st.born;
		h->addr = slab_obj_addr(m, o->slab, o->index);
	}
	luaL_setmetatable(L, OBJ_MT);
}

static struct obj_stamps obj_stamps_of(const struct machine *m, const struct lobj *h)
{
	struct obj_stamps st;
	if (h->o.large)
		slab_allocator(m)->obj_stamps(m, h->o.rec, KOBJ_LARGE, &st);
	else
		slab_allocator(m)->obj_stamps(m, h->o.slab, h->o.index, &st);
	return st;
}

static int obj_index(lua_State *L)
{
	struct lobj *h = live_obj(L, 1, "object", false);
	struct machine *m = scenario_of(L)->m;
	const char *f = luaL_checkstring(L, 2);
	if (strcmp(f, "addr") == 0) {
		lua_pushinteger(L, (lua_Integer)h->addr);
	} else if (strcmp(f, "size") == 0) {
		lua_pushinteger(L, (lua_Integer)h->size);
	} else if (strcmp(f, "cache") == 0) {
		if (h->o.large || !h->o.cache)
			lua_pushnil(L);
		else
			lua_pushstring(L, cache_name(m, h->o.cache));
	} else if (strcmp(f, "slab") == 0 || strcmp(f, "pfn") == 0) {
		lua_pushinteger(L, obj_stamps_of(m, h).pfn);
	} else if (strcmp(f, "index") == 0 && !h->o.large) {
		lua_pushinteger(L, h->o.index);
	} else if (strcmp(f, "order") == 0 && h->o.large) {
		lua_pushinteger(L, obj_stamps_of(m, h).order);
	} else if (strcmp(f, "large") == 0) {
		lua_pushboolean(L, h->o.large);
	} else {
		return luaL_error(L, "object has no field '%s' (fields: addr, size, cache, slab, index; "
				     "large kmallocs: pfn, order, large)",
				  f);
	}
	return 1;
}

static int obj_tostring(lua_State *L)
{
	struct lobj *h = luaL_checkudata(L, 1, OBJ_MT);
	char buf[48];
	snprintf(buf, sizeof buf, "object 0x%llx", (unsigned long long)h->addr);
	lua_pushstring(L, buf);
	return 1;
}

static int obj_eq(lua_State *L)
{
	struct lobj *a = luaL_checkudata(L, 1, OBJ_MT), *b = luaL_checkudata(L, 2, OBJ_MT);
	lua_pushboolean(L, a->addr == b->addr && a->born == b->born && a->gen == b->gen);
	return 1;
}

static int l_kmem_cache_alloc(lua_State *L)
{
	struct lcache *c = live_cache(L, 1, "kmem_cache_alloc");
	struct machine *m = lapi_op_begin(L, "kmem_cache_alloc");
	uint32_t before = m->nsteps, since = m->step_base + m->nsteps;
	struct kobj o = {.cache = c->off};
	int rc = kmem_cache_alloc(m, c->off, &o.slab, &o.index);
	if (rc == MM_EINVAL)
		return luaL_error(L, "kmem_cache_alloc: %s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	run_ctor(L, m, c->off, o.slab, o.index, since);
	push_obj(L, m, &o, cache_at(m, c->off)->object_size, false);
	return lapi_op_end(L, before, 1);
}

static int l_kmem_cache_free(lua_State *L)
{
	struct lcache *c = live_cache(L, 1, "kmem_cache_free");
	struct lobj *h = live_obj(L, 2, "kmem_cache_free", true);
	struct machine *m = lapi_op_begin(L, "kmem_cache_free");
	uint32_t before = m->nsteps;
	if (h->o.large)
		return lerr(L, "kmem_cache_free: 0x%llx is a large kmalloc, not an object of cache %s: kfree it",
				  (unsigned long long)h->addr, cache_name(m, c->off));
	if (kmem_cache_free(m, c->off, h->o.slab, h->o.index) != MM_OK)
		return luaL_error(L, "%s", m->error);
	return lapi_op_end(L, before, 0);
}

static int l_kmem_cache_destroy(lua_State *L)
{
	struct lcache *c = live_cache(L, 1, "kmem_cache_destroy");
	struct machine *m = lapi_op_begin(L, "kmem_cache_destroy");
	uint32_t before = m->nsteps;
	if (kmem_cache_destroy(m, c->off) != MM_OK)
		return luaL_error(L, "%s", m->error);
	return lapi_op_end(L, before, 0);
}

static uint32_t opt_gfp(lua_State *L, int idx, const char *fname)
{
	if (lua_isnoneornil(L, idx))
		return GFP_KERNEL;
	const char *s = luaL_checkstring(L, idx);
	uint32_t mask;
	if (!*s || !gfp_parse(s, &mask))
		luaL_error(L, "%s: unknown gfp flags '%s'", fname, s);
	return mask;
}

static int l_kmalloc(lua_State *L)
{
	uint64_t size = lapi_checksize(L, 1, "kmalloc: size");
	size_limit(L, size, "kmalloc");
	uint32_t gfp = opt_gfp(L, 2, "kmalloc");
	struct machine *m = lapi_op_begin(L, "kmalloc");
	uint32_t before = m->nsteps;
	struct kobj o;
	int rc = kmalloc(m, size, gfp, &o);
	if (rc == MM_EINVAL)
		return luaL_error(L, "kmalloc: %s", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	push_obj(L, m, &o, size, true);
	return lapi_op_end(L, before, 1);
}

/* kfree(obj) or kfree(addr) */
static int l_kfree(lua_State *L)
{
	uint64_t addr;
	if (lua_isinteger(L, 1)) {
		addr = (uint64_t)lua_tointeger(L, 1);
	} else {
		struct lobj *h = live_obj(L, 1, "kfree", true);
		addr = h->addr;
	}
	struct machine *m = lapi_op_begin(L, "kfree");
	uint32_t before = m->nsteps;
	if (kfree(m, addr) != MM_OK)
		return luaL_error(L, "kfree: %s", m->error);
	return lapi_op_end(L, before, 0);
}

static void new_meta(lua_State *L, const char *name, const luaL_Reg *fns)
{
	luaL_newmetatable(L, name);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}

void lapi_open_slab(lua_State *L)
{
	new_meta(L, CACHE_MT,
		 (const luaL_Reg[]){{"__index", cache_index}, {"__tostring", cache_tostring}, {"__eq", cache_eq},
				    {NULL, NULL}});
	new_meta(L, OBJ_MT,
		 (const luaL_Reg[]){{"__index", obj_index}, {"__tostring", obj_tostring}, {"__eq", obj_eq},
				    {NULL, NULL}});
	static const luaL_Reg fns[] = {
		{"kmem_cache_create", l_kmem_cache_create},
		{"kmem_cache_alloc", l_kmem_cache_alloc},
		{"kmem_cache_free", l_kmem_cache_free},
		{"kmem_cache_destroy", l_kmem_cache_destroy},
		{"kmem_cache", l_kmem_cache},
		{"kmalloc", l_kmalloc},
		{"kfree", l_kfree},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
}
