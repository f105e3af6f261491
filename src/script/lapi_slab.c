/* kmem_cache_*, kmalloc/kfree and their handles.
 *
 * Handles are live views: a cache handle remembers the cache's record and
 * the step that created it; an object handle its slab record, the slab's and
 * the object's allocation steps.  A handle whose thing was freed, destroyed
 * or undone is recognised as stale and says why.  vmalloc is lapi_vmalloc.c. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lapi.h"
#include "mm/gfp.h"
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

static void push_slab_list(lua_State *L, struct machine *m, uint32_t head)
{
	lua_newtable(L);
	int n = 0;
	for (uint32_t s = head; s; s = slab_at(m, s)->next) {
		lua_pushinteger(L, slab_at(m, s)->pfn);
		lua_rawseti(L, -2, ++n);
	}
}

static int cache_index(lua_State *L)
{
	struct lcache *c = live_cache(L, 1, "kmem_cache");
	struct machine *m = scenario_of(L)->m;
	const struct kmem_cache *k = cache_at(m, c->off);
	const char *f = luaL_checkstring(L, 2);
	static const char *const ints[] = {"object_size", "size", "align", "offset", "objects_per_slab", "order",
					   "min_partial", "active_objs", "num_objs", "active_slabs", "num_slabs",
					   "nr_partial", "nr_full", NULL};
	const uint32_t vals[] = {k->object_size, k->size, k->align, k->offset, k->objects, k->order,
				 k->min_partial, k->inuse, k->total_objects, k->nr_slabs, k->nr_slabs,
				 k->nr_partial, k->nr_full};
	for (int i = 0; ints[i]; i++)
		if (strcmp(f, ints[i]) == 0) {
			lua_pushinteger(L, vals[i]);
			return 1;
		}
	if (strcmp(f, "name") == 0) {
		lua_pushstring(L, cache_name(m, c->off));
	} else if (strcmp(f, "cpu_slab") == 0) {
		if (k->cpu_slab)
			lua_pushinteger(L, slab_at(m, k->cpu_slab)->pfn);
		else
			lua_pushnil(L);
	} else if (strcmp(f, "partial") == 0) {
		push_slab_list(L, m, k->partial);
	} else if (strcmp(f, "full") == 0) {
		push_slab_list(L, m, k->full);
	} else if (strcmp(f, "freelist") == 0) {
		/* the CPU slab's free pointer chain, as addresses */
		lua_newtable(L);
		if (k->cpu_slab) {
			struct slab *s = slab_at(m, k->cpu_slab);
			int n = 0;
			for (uint32_t i = s->freelist; i != OBJ_NONE; i = slab_fp(s)[i]) {
				lua_pushinteger(L, (lua_Integer)slab_obj_addr(m, k->cpu_slab, i));
				lua_rawseti(L, -2, ++n);
			}
		}
	} else {
		return luaL_error(L, "kmem_cache has no field '%s' (fields: name, object_size, size, align, offset, "
				     "objects_per_slab, order, min_partial, active_objs, num_objs, active_slabs, "
				     "num_slabs, nr_partial, nr_full, cpu_slab, partial, full, freelist)",
				  f);
	}
	return 1;
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

/* kmem_cache_create(name, size [, {align=, min_partial=}]) */
static int l_kmem_cache_create(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	uint64_t size = lapi_checksize(L, 2, "kmem_cache_create: size");
	size_limit(L, size, "kmem_cache_create");
	uint64_t align = 0;
	int min_partial = -1;
	if (!lua_isnoneornil(L, 3)) {
		luaL_checktype(L, 3, LUA_TTABLE);
		lua_pushnil(L);
		while (lua_next(L, 3)) {
			const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
			if (strcmp(k, "align") == 0) {
				align = lapi_checksize(L, -1, "kmem_cache_create: align");
			} else if (strcmp(k, "min_partial") == 0) {
				if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > 1000)
					return luaL_error(L, "kmem_cache_create: min_partial must be a whole number 0..1000");
				min_partial = (int)lua_tointeger(L, -1);
			} else {
				return luaL_error(L, "kmem_cache_create: unknown option '%s' (options: align, min_partial)",
						  k);
			}
			lua_pop(L, 1);
		}
	}
	struct machine *m = lapi_op_begin(L, "kmem_cache_create");
	uint32_t before = m->nsteps, off;
	if (kmem_cache_create(m, name, size, align, min_partial, &off) != MM_OK)
		return luaL_error(L, "kmem_cache_create: %s", m->error);
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
		const struct kmalloc_large *k = slub_ptr(m, h->o.rec);
		if (m->slub->arena.used > h->o.rec && k->alive && k->born == h->born)
			return h;
		if (m->slub->arena.used > h->o.rec && k->born == h->born && k->freed)
			lerr(L, "%s: %s: large kmalloc 0x%llx was freed at step %u", fname, what,
				   (unsigned long long)h->addr, k->freed);
		lerr(L, "%s: large kmalloc 0x%llx no longer exists (its allocation was undone)", fname,
			   (unsigned long long)h->addr);
	}
	const char *cname = cache_name(m, h->o.cache);
	struct slab *s = slab_at(m, h->o.slab);
	if (m->slub->arena.used <= h->o.slab || s->born != h->slab_born) {
		if (m->slub->arena.used > h->o.slab && s->born > h->slab_born)
			lerr(L, "%s: %s: object 0x%llx of cache %s was freed (its slab has gone back to the buddy)",
				   fname, what, (unsigned long long)h->addr, cname);
		lerr(L, "%s: object 0x%llx of cache %s no longer exists (its allocation was undone)", fname,
			   (unsigned long long)h->addr, cname);
	}
	uint32_t born = slab_obj_born(s)[h->o.index], freed = slab_obj_freed(s)[h->o.index];
	if (born == h->born && slab_obj_used(s, h->o.index))
		return h;
	if (freed > h->born)
		lerr(L, "%s: %s: object 0x%llx of cache %s was freed at step %u", fname, what,
			   (unsigned long long)h->addr, cname, freed);
	if (born > h->born)
		lerr(L, "%s: %s: object 0x%llx of cache %s was freed and allocated again", fname, what,
			   (unsigned long long)h->addr, cname);
	lerr(L, "%s: object 0x%llx of cache %s no longer exists (its allocation was undone)", fname,
		   (unsigned long long)h->addr, cname);
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
		const struct kmalloc_large *k = slub_ptr(m, o->rec);
		h->born = k->born;
		h->addr = m->slub->direct_map + ((uint64_t)k->pfn << m->page_shift);
	} else {
		struct slab *s = slab_at(m, o->slab);
		h->slab_born = s->born;
		h->born = slab_obj_born(s)[o->index];
		h->addr = slab_obj_addr(m, o->slab, o->index);
	}
	luaL_setmetatable(L, OBJ_MT);
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
		if (h->o.large)
			lua_pushnil(L);
		else
			lua_pushstring(L, cache_name(m, h->o.cache));
	} else if (strcmp(f, "slab") == 0 || strcmp(f, "pfn") == 0) {
		if (h->o.large)
			lua_pushinteger(L, ((struct kmalloc_large *)slub_ptr(m, h->o.rec))->pfn);
		else
			lua_pushinteger(L, slab_at(m, h->o.slab)->pfn);
	} else if (strcmp(f, "index") == 0 && !h->o.large) {
		lua_pushinteger(L, h->o.index);
	} else if (strcmp(f, "order") == 0 && h->o.large) {
		lua_pushinteger(L, ((struct kmalloc_large *)slub_ptr(m, h->o.rec))->order);
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
	uint32_t before = m->nsteps;
	struct kobj o = {.cache = c->off};
	int rc = kmem_cache_alloc(m, c->off, &o.slab, &o.index);
	if (rc == MM_EINVAL)
		return luaL_error(L, "kmem_cache_alloc: %s", m->error);
	if (rc == MM_NOMEM) {
		lua_pushnil(L);
		lua_pushstring(L, m->reason);
		return lapi_op_end(L, before, 2);
	}
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
	if (rc == MM_NOMEM) {
		lua_pushnil(L);
		lua_pushstring(L, m->reason);
		return lapi_op_end(L, before, 2);
	}
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
