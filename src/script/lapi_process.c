/* process, fork, exit, mmap, munmap, mprotect, brk, access, vmas, find_vma, file,
 * read and proc(name, task); page() and rmap_walk() are in lapi_frame.c.
 *
 * A task handle remembers its pid and the step that made it: after
 * machine{} or once its creation is undone, using it is an error; an
 * exited task still reads (state "exited") but takes no operation. */
#include <stdio.h>
#include <string.h>

#include "lapi.h"
#include "mm/oom_kill.h"
#include "mm/procs.h"
#include "mm/proc.h"

#define TASK_MT "task"
#define FILE_MT "file"

struct ltask {
	uint32_t pid, born;
	unsigned gen;
};

struct lfile {
	uint32_t id, born;
	unsigned gen;
};

static struct ltask *live_task(lua_State *L, int idx, const char *fn)
{
	struct ltask *h = luaL_testudata(L, idx, TASK_MT);
	if (!h)
		luaL_error(L, "%s: argument %d must be a task (from process{} or fork()), not a %s", fn, idx,
			   luaL_typename(L, idx));
	struct scenario *sc = scenario_of(L);
	if (h->gen != sc->machine_gen)
		luaL_error(L, "%s: pid %d belongs to a machine that machine{} replaced", fn, (int)h->pid);
	const struct task *t = task_by_pid(sc->m, h->pid);
	if (!t || t->born != h->born)
		luaL_error(L, "%s: pid %d no longer exists (its creation was undone)", fn, (int)h->pid);
	return h;
}

uint32_t lapi_check_task(lua_State *L, int idx, const char *fn)
{
	return live_task(L, idx, fn)->pid;
}

static void push_task(lua_State *L, uint32_t pid)
{
	struct ltask *h = lua_newuserdatauv(L, sizeof *h, 0);
	h->pid = pid;
	h->born = task_by_pid(scenario_of(L)->m, pid)->born;
	h->gen = scenario_of(L)->machine_gen;
	luaL_setmetatable(L, TASK_MT);
}

/* Strip the model's own "fn: " so the message names the function once. */
static int model_error(lua_State *L, const char *fn, const char *msg)
{
	size_t n = strlen(fn);
	if (strncmp(msg, fn, n) == 0 && msg[n] == ':')
		msg += n + 2;
	return luaL_error(L, "%s: %s", fn, msg);
}

static int task_index(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "task");
	const char *k = luaL_checkstring(L, 2);
	struct machine *m = scenario_of(L)->m;
	const struct task *t = task_by_pid(m, h->pid);
	const struct mm_struct *mm = task_mm(m, h->pid);
	char name[TASK_COMM_LEN + 1];
	if (strcmp(k, "pid") == 0)
		lua_pushinteger(L, t->pid);
	else if (strcmp(k, "ppid") == 0)
		lua_pushinteger(L, t->ppid);
	else if (strcmp(k, "name") == 0)
		lua_pushstring(L, task_comm(t, name));
	else if (strcmp(k, "state") == 0)
		lua_pushstring(L, t->mm ? "running" : "exited");
	else if (strcmp(k, "min_flt") == 0)
		lua_pushinteger(L, t->min_flt);
	else if (strcmp(k, "maj_flt") == 0)
		lua_pushinteger(L, t->maj_flt);
	else if (!mm && (strcmp(k, "mm") == 0 || strcmp(k, "rss") == 0 || strcmp(k, "brk") == 0))
		lua_pushnil(L);
	else if (strcmp(k, "mm") == 0)
		lapi_push_mm(L, mm->asid);
	else if (strcmp(k, "rss") == 0) /* get_mm_rss: anonymous and file pages */
		lua_pushinteger(L, (lua_Integer)mm->rss_anon + mm->rss_file);
	else if (strcmp(k, "total_vm") == 0)
		lua_pushinteger(L, mm ? mm->total_vm : 0);
	else if (strcmp(k, "map_count") == 0)
		lua_pushinteger(L, mm ? mm->map_count : 0);
	else if (strcmp(k, "brk") == 0)
		lua_pushinteger(L, (lua_Integer)mm->brk);
	else if (mm && strcmp(k, "start_brk") == 0)
		lua_pushinteger(L, (lua_Integer)mm->start_brk);
	else if (mm && strcmp(k, "mmap_base") == 0)
		lua_pushinteger(L, (lua_Integer)mm->mmap_base);
	else if (mm && strcmp(k, "task_size") == 0)
		lua_pushinteger(L, (lua_Integer)mm->task_size);
	else if (mm && strcmp(k, "start_stack") == 0)
		lua_pushinteger(L, (lua_Integer)mm->start_stack);
	else if (strcmp(k, "swap") == 0)
		lua_pushinteger(L, mm ? mm->swapents : 0);
	else if (strcmp(k, "oom_score_adj") == 0)
		lua_pushinteger(L, t->oom_score_adj);
	else if (strcmp(k, "oom_score") == 0)
		lua_pushinteger(L, (lua_Integer)oom_score(m, h->pid));
	else
		return luaL_error(L, "task has no field '%s' (fields: pid, ppid, name, state, mm, rss, total_vm, "
				     "map_count, brk, start_brk, mmap_base, task_size, start_stack, min_flt, maj_flt, "
				     "swap, oom_score_adj, oom_score)",
				  k);
	return 1;
}

static int task_tostring(lua_State *L)
{
	struct ltask *h = luaL_checkudata(L, 1, TASK_MT);
	lua_pushfstring(L, "pid %d", (int)h->pid);
	return 1;
}

static int task_eq(lua_State *L)
{
	struct ltask *a = luaL_checkudata(L, 1, TASK_MT), *b = luaL_checkudata(L, 2, TASK_MT);
	lua_pushboolean(L, a->pid == b->pid && a->born == b->born && a->gen == b->gen);
	return 1;
}

/* process{name=, oom_score_adj=} or process("name") */
static int l_process(lua_State *L)
{
	const char *name = "init";
	lua_Integer adj = 0;
	if (lua_istable(L, 1)) {
		lua_pushnil(L);
		while (lua_next(L, 1)) {
			const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
			if (strcmp(k, "name") && strcmp(k, "oom_score_adj"))
				return luaL_error(L, "process: unknown field '%s' (fields: name, oom_score_adj)", k);
			lua_pop(L, 1);
		}
		lua_getfield(L, 1, "name");
		if (!lua_isnil(L, -1) && lua_type(L, -1) != LUA_TSTRING)
			return luaL_error(L, "process: name must be a string");
		name = luaL_optstring(L, -1, "init");
		lua_getfield(L, 1, "oom_score_adj");
		if (!lua_isnil(L, -1) && !lua_isinteger(L, -1))
			return luaL_error(L, "process: oom_score_adj must be an integer");
		adj = luaL_optinteger(L, -1, 0);
		if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
			return luaL_error(L, "process: oom_score_adj %d is outside %d..%d", (int)adj, OOM_SCORE_ADJ_MIN,
					  OOM_SCORE_ADJ_MAX);
	} else if (!lua_isnoneornil(L, 1)) {
		name = luaL_checkstring(L, 1);
	}
	struct machine *m = lapi_op_begin(L, "process");
	uint32_t before = m->nsteps, pid;
	mm_op_begin(m); /* the process and its oom_score_adj: one operation */
	int rc = process_create(m, name, &pid);
	if (rc == MM_OK && adj)
		rc = set_oom_score_adj(m, pid, (int)adj);
	mm_op_end(m);
	if (rc == MM_EINVAL)
		return model_error(L, "process", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	push_task(L, pid);
	return lapi_op_end(L, before, 1);
}

static int l_fork(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "fork");
	struct machine *m = lapi_op_begin(L, "fork");
	uint32_t before = m->nsteps, child;
	int rc = do_fork(m, h->pid, &child);
	if (rc == MM_EINVAL)
		return model_error(L, "fork", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	push_task(L, child);
	return lapi_op_end(L, before, 1);
}

static int l_exit(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "exit");
	struct machine *m = lapi_op_begin(L, "exit");
	uint32_t before = m->nsteps;
	if (do_exit(m, h->pid) != MM_OK)
		return model_error(L, "exit", m->error);
	return lapi_op_end(L, before, 0);
}

static uint64_t check_addr(lua_State *L, int idx, const char *fn, const char *what)
{
	if (!lua_isinteger(L, idx))
		luaL_error(L, "%s: %s must be an integer (e.g. 0x401000), not %s", fn, what,
			   lua_type(L, idx) == LUA_TNUMBER ? lua_tostring(L, idx) : luaL_typename(L, idx));
	return (uint64_t)lua_tointeger(L, idx);
}

/* "rw", "r-x", "rwx", "" or "none" -> PROT bits */
static unsigned check_prot(lua_State *L, int idx, const char *fn)
{
	const char *s = luaL_checkstring(L, idx);
	if (strcmp(s, "none") == 0)
		return 0;
	unsigned prot = 0;
	for (const char *p = s; *p; p++) {
		const char *at = strchr("rwx", *p);
		if (*p == '-')
			continue;
		if (!at)
			luaL_error(L, "%s: prot \"%s\": '%c' is not one of r, w, x (or \"none\")", fn, s, *p);
		unsigned bit = 1u << (at - "rwx");
		if (prot & bit)
			luaL_error(L, "%s: prot \"%s\": '%c' is given twice", fn, s, *p);
		prot |= bit;
	}
	return prot;
}

static struct lfile *live_file(lua_State *L, int idx, const char *fn)
{
	struct lfile *h = luaL_testudata(L, idx, FILE_MT);
	if (!h)
		luaL_error(L, "%s: argument %d must be a file (from file{}), not a %s", fn, idx, luaL_typename(L, idx));
	struct scenario *sc = scenario_of(L);
	const struct address_space *f = file_by_id(sc->m, h->id);
	if (h->gen != sc->machine_gen || !f || f->born != h->born)
		luaL_error(L, "%s: file %d no longer exists", fn, (int)h->id);
	return h;
}

static int file_index(lua_State *L)
{
	struct lfile *h = live_file(L, 1, "file");
	const char *k = luaL_checkstring(L, 2);
	const struct address_space *f = file_by_id(scenario_of(L)->m, h->id);
	char name[17];
	if (strcmp(k, "name") == 0)
		lua_pushstring(L, file_name(f, name));
	else if (strcmp(k, "size") == 0)
		lua_pushinteger(L, (lua_Integer)f->size);
	else if (strcmp(k, "id") == 0)
		lua_pushinteger(L, f->id);
	else if (strcmp(k, "ino") == 0)
		lua_pushinteger(L, f->ino);
	else if (strcmp(k, "nrpages") == 0)
		lua_pushinteger(L, f->nrpages);
	else if (strcmp(k, "pages") == 0) {
		struct machine *m = scenario_of(L)->m;
		lua_createtable(L, (int)f->npages, 0);
		for (uint32_t i = 0; i < f->npages; i++) {
			uint32_t pfn = filemap_lookup(m, f, i);
			if (pfn == PFN_NONE)
				lua_pushboolean(L, 0);
			else
				lua_pushinteger(L, pfn);
			lua_rawseti(L, -2, (int)i + 1);
		}
	} else
		return luaL_error(L, "file has no field '%s' (fields: name, size, id, ino, nrpages, pages)", k);
	return 1;
}

/* file{name=, size=} */
static int l_file(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		if (strcmp(k, "name") && strcmp(k, "size"))
			return luaL_error(L, "file: unknown field '%s' (fields: name, size)", k);
		lua_pop(L, 1);
	}
	lua_getfield(L, 1, "name");
	const char *name = luaL_optstring(L, -1, "file");
	if (lua_getfield(L, 1, "size") == LUA_TNIL)
		return luaL_error(L, "file: size is required");
	uint64_t size = lapi_checksize(L, -1, "file: size");
	struct machine *m = lapi_op_begin(L, "file");
	uint32_t before = m->nsteps, id;
	if (file_create(m, name, size, &id) != MM_OK)
		return model_error(L, "file", m->error);
	struct lfile *h = lua_newuserdatauv(L, sizeof *h, 0);
	h->id = id;
	h->born = file_by_id(m, id)->born;
	h->gen = scenario_of(L)->machine_gen;
	luaL_setmetatable(L, FILE_MT);
	return lapi_op_end(L, before, 1);
}

#define MAX_READ 4096

/* read(file, off, len) -> {pages=, disk=, values={...}} */
static int l_read(lua_State *L)
{
	struct lfile *h = live_file(L, 1, "read");
	uint64_t off = lapi_checksize(L, 2, "read: offset");
	uint64_t len = lapi_checksize(L, 3, "read: len");
	struct machine *m = lapi_op_begin(L, "read");
	uint32_t before = m->nsteps;
	uint64_t values[MAX_READ]; /* 32K on the stack */
	unsigned n, disk;
	int rc = file_read(m, h->id, off, len, values, MAX_READ, &n, &disk);
	if (rc == MM_EINVAL)
		return model_error(L, "read", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_createtable(L, 0, 3);
	lapi_set_int(L, "pages", n);
	lapi_set_int(L, "disk", disk);
	lua_createtable(L, (int)(n < MAX_READ ? n : MAX_READ), 0);
	for (unsigned i = 0; i < n && i < MAX_READ; i++) {
		lua_pushinteger(L, (lua_Integer)values[i]);
		lua_rawseti(L, -2, (int)i + 1);
	}
	lua_setfield(L, -2, "values");
	return lapi_op_end(L, before, 1);
}

static unsigned check_flags(lua_State *L, const char *s)
{
	static const struct {
		const char *name;
		unsigned bit;
	} names[] = {{"MAP_SHARED", MAP_SHARED}, {"MAP_PRIVATE", MAP_PRIVATE}, {"MAP_FIXED", MAP_FIXED},
		     {"MAP_ANONYMOUS", MAP_ANONYMOUS}, {"MAP_ANON", MAP_ANONYMOUS}};
	unsigned flags = 0;
	while (*s) {
		size_t len = strcspn(s, "|");
		size_t i;
		for (i = 0; i < sizeof names / sizeof names[0]; i++)
			if (strlen(names[i].name) == len && strncmp(names[i].name, s, len) == 0)
				break;
		if (i == sizeof names / sizeof names[0]) {
			/* lua_pushfstring has no %.*s: push the name on its own */
			lua_pushlstring(L, s, len);
			luaL_error(L, "mmap: unknown flag '%s' (flags: MAP_PRIVATE, MAP_SHARED, MAP_FIXED, "
				      "MAP_ANONYMOUS, joined by |)",
				   lua_tostring(L, -1));
		}
		flags |= names[i].bit;
		s += len + (s[len] == '|');
	}
	return flags;
}

/* mmap(task, {len=, prot=, flags=, addr=, file=, offset=}) -> address */
static int l_mmap(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "mmap");
	luaL_checktype(L, 2, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, 2)) {
		const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
		if (strcmp(k, "len") && strcmp(k, "prot") && strcmp(k, "flags") && strcmp(k, "addr") &&
		    strcmp(k, "file") && strcmp(k, "offset"))
			return luaL_error(L, "mmap: unknown field '%s' (fields: len, prot, flags, addr, file, offset)", k);
		lua_pop(L, 1);
	}
	uint32_t file = 0;
	if (lua_getfield(L, 2, "file") != LUA_TNIL)
		file = live_file(L, lua_gettop(L), "mmap")->id;
	uint64_t offset = 0;
	if (lua_getfield(L, 2, "offset") != LUA_TNIL) {
		if (!file)
			return luaL_error(L, "mmap: offset= needs file=");
		offset = lapi_checksize(L, -1, "mmap: offset");
	}
	lua_getfield(L, 2, "len");
	if (lua_isnil(L, -1))
		return luaL_error(L, "mmap: len is required");
	uint64_t len = lapi_checksize(L, -1, "mmap: len");
	lua_getfield(L, 2, "prot");
	unsigned prot = lua_isnil(L, -1) ? VM_READ | VM_WRITE : check_prot(L, -1, "mmap");
	lua_getfield(L, 2, "flags");
	unsigned flags = lua_isnil(L, -1) ? MAP_PRIVATE | (file ? 0 : MAP_ANONYMOUS) : check_flags(L, luaL_checkstring(L, -1));
	if (file && (flags & MAP_ANONYMOUS))
		return luaL_error(L, "mmap: MAP_ANONYMOUS and file= do not go together");
	lua_getfield(L, 2, "addr");
	uint64_t addr = lua_isnil(L, -1) ? 0 : check_addr(L, -1, "mmap", "addr");
	struct machine *m = lapi_op_begin(L, "mmap");
	uint32_t before = m->nsteps;
	uint64_t at;
	int rc = do_mmap_file(m, h->pid, addr, len, prot, flags, file, offset, &at);
	if (rc == MM_EINVAL)
		return model_error(L, "mmap", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushinteger(L, (lua_Integer)at);
	return lapi_op_end(L, before, 1);
}

static int l_munmap(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "munmap");
	uint64_t addr = check_addr(L, 2, "munmap", "the address");
	uint64_t len = lapi_checksize(L, 3, "munmap: len");
	struct machine *m = lapi_op_begin(L, "munmap");
	uint32_t before = m->nsteps;
	if (do_munmap(m, h->pid, addr, len) != MM_OK)
		return model_error(L, "munmap", m->error);
	return lapi_op_end(L, before, 0);
}

static int l_mprotect(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "mprotect");
	uint64_t addr = check_addr(L, 2, "mprotect", "the address");
	uint64_t len = lapi_checksize(L, 3, "mprotect: len");
	unsigned prot = check_prot(L, 4, "mprotect");
	struct machine *m = lapi_op_begin(L, "mprotect");
	uint32_t before = m->nsteps;
	if (do_mprotect(m, h->pid, addr, len, prot) != MM_OK)
		return model_error(L, "mprotect", m->error);
	return lapi_op_end(L, before, 0);
}

/* brk(task [, addr]) -> the break */
static int l_brk(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "brk");
	struct machine *m = scenario_of(L)->m;
	const struct mm_struct *mm = task_mm(m, h->pid);
	if (!mm)
		return luaL_error(L, "brk: pid %d has exited", (int)h->pid);
	if (lua_isnoneornil(L, 2)) {
		lua_pushinteger(L, (lua_Integer)mm->brk);
		return 1;
	}
	uint64_t addr = check_addr(L, 2, "brk", "the new break");
	m = lapi_op_begin(L, "brk");
	uint32_t before = m->nsteps;
	uint64_t out;
	int rc = do_brk(m, h->pid, addr, &out);
	if (rc == MM_EINVAL)
		return model_error(L, "brk", m->error);
	if (rc == MM_NOMEM)
		return lapi_nomem(L, m, before);
	lua_pushinteger(L, (lua_Integer)out);
	return lapi_op_end(L, before, 1);
}

/* access(task, va, "r"|"w"|"x" [, value]) -> {value=, pfn=, fault=, segv=} */
static int l_access(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "access");
	uint64_t va = check_addr(L, 2, "access", "the address");
	const char *a = luaL_optstring(L, 3, "r");
	enum pt_access acc = ACC_READ;
	if (strcmp(a, "w") == 0)
		acc = ACC_WRITE;
	else if (strcmp(a, "x") == 0)
		acc = ACC_EXEC;
	else if (strcmp(a, "r"))
		return luaL_error(L, "access: the access must be \"r\", \"w\" or \"x\", not \"%s\"", a);
	if (!lua_isnoneornil(L, 4) && acc != ACC_WRITE)
		return luaL_error(L, "access: only a write (\"w\") stores a value");
	if (!lua_isnoneornil(L, 4) && !lua_isinteger(L, 4))
		return luaL_error(L, "access: the value must be an integer");
	uint64_t value = (uint64_t)luaL_optinteger(L, 4, 0);
	struct machine *m = lapi_op_begin(L, "access");
	uint32_t before = m->nsteps;
	struct fault_result r;
	if (handle_access(m, h->pid, va, acc, value, &r) != MM_OK)
		return model_error(L, "access", m->error);
	if (r.oom)
		return lapi_nomem(L, m, before);
	lua_createtable(L, 0, 4);
	lua_pushboolean(L, r.faulted);
	lua_setfield(L, -2, "fault");
	if (r.major) {
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "major");
	}
	if (r.segv) {
		lapi_set_str(L, "segv", segv_names[r.segv_reason]);
	} else {
		lapi_set_int(L, "pfn", r.pfn);
		lapi_set_int(L, "value", (lua_Integer)r.value);
	}
	return lapi_op_end(L, before, 1);
}

/* One VMA as a table, as /proc/PID/maps shows it. */
static void push_vma(lua_State *L, const struct machine *m, const struct mm_struct *mm, const struct vma *x)
{
	char prot[5];
	lua_createtable(L, 0, 7);
	lapi_set_int(L, "start", (lua_Integer)x->vm_start);
	lapi_set_int(L, "end", (lua_Integer)x->vm_end);
	lapi_set_str(L, "prot", vma_prot_text(x->flags, prot));
	lapi_set_int(L, "flags", x->flags);
	lapi_set_int(L, "pgoff", (lua_Integer)x->pgoff);
	lapi_set_int(L, "anon_vma", anon_vma_id(m, x->anon_vma));
	if (x->file) {
		char fname[17];
		lapi_set_int(L, "file", file_at(m, x->file)->id);
		lapi_set_str(L, "path", file_name(file_at(m, x->file), fname));
	}
	if (x->vm_start < mm->brk && x->vm_end > mm->start_brk)
		lapi_set_str(L, "name", "[heap]");
	else if (x->vm_start <= mm->start_stack && x->vm_end >= mm->start_stack)
		lapi_set_str(L, "name", "[stack]");
}

/* vmas(task) -> {{start=, ["end"]=, prot="rw-p", pgoff=, name=, anon_vma=}, ...}:
 * a snapshot, as reading /proc/PID/maps is (a VMA splits and merges, so a
 * live handle to one would not keep its identity). */
static int l_vmas(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "vmas");
	struct machine *m = scenario_of(L)->m;
	const struct mm_struct *mm = task_mm(m, h->pid);
	lua_newtable(L);
	if (!mm)
		return 1;
	int i = 0;
	for (uint32_t v = mm->vma_first; v; v = vma_at(m, v)->next) {
		push_vma(L, m, mm, vma_at(m, v));
		lua_rawseti(L, -2, ++i);
	}
	return 1;
}

/* find_vma(task, addr) -> the first VMA ending above addr (it may start
 * above addr too, as the kernel's find_vma), or nil: the tree's O(log n)
 * lookup, not a scan. */
static int l_find_vma(lua_State *L)
{
	struct ltask *h = live_task(L, 1, "find_vma");
	lua_Integer addr = luaL_checkinteger(L, 2);
	struct machine *m = scenario_of(L)->m;
	const struct mm_struct *mm = task_mm(m, h->pid);
	uint32_t v = mm ? find_vma(m, mm, (uint64_t)addr) : 0;
	if (!v)
		return lua_pushnil(L), 1;
	push_vma(L, m, mm, vma_at(m, v));
	return 1;
}

int lapi_proc_task(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	struct ltask *h = live_task(L, 2, "proc");
	struct strbuf sb = {0};
	if (mm_proc_pid(scenario_of(L)->m, name, h->pid, &sb) != 0) {
		strbuf_free(&sb);
		return luaL_error(L, "proc: no file '%s' for a process (files: %s)", name, mm_proc_pid_names);
	}
	lua_pushlstring(L, sb.s ? sb.s : "", sb.len);
	strbuf_free(&sb);
	return 1;
}

void lapi_open_process(lua_State *L)
{
	static const luaL_Reg tmeta[] = {
		{"__index", task_index}, {"__tostring", task_tostring}, {"__eq", task_eq}, {NULL, NULL},
	};
	luaL_newmetatable(L, TASK_MT);
	luaL_setfuncs(L, tmeta, 0);
	lua_pop(L, 1);
	static const luaL_Reg filemeta[] = {{"__index", file_index}, {NULL, NULL}};
	luaL_newmetatable(L, FILE_MT);
	luaL_setfuncs(L, filemeta, 0);
	lua_pop(L, 1);
	static const luaL_Reg fns[] = {
		{"process", l_process}, {"fork", l_fork},	{"exit", l_exit},   {"mmap", l_mmap},
		{"munmap", l_munmap},	{"mprotect", l_mprotect}, {"brk", l_brk},   {"access", l_access},
		{"vmas", l_vmas},	{"find_vma", l_find_vma}, {"file", l_file}, {"read", l_read},
		{NULL, NULL},
	};
	lua_pushglobaltable(L);
	luaL_setfuncs(L, fns, 0);
	lua_pop(L, 1);
	lapi_open_frame(L);
}
