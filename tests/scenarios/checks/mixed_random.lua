-- Every allocator at once, at random: pages, kmalloc, a kmem_cache, vmalloc,
-- and a process's page tables (map, translate, unmap).  Run with --check, the
-- invariant checker looks at the whole machine after every step; the
-- expectations check that handles and translations agree with the model.
machine{memory = "8M", seed = 42}
local cache = kmem_cache_create("mixed", 200)
local mm = mm_alloc()
local pages, objs, kobjs, areas, maps = {}, {}, {}, {}, {}
local next_va = 0x400000

local function pick(t)
	if #t == 0 then return nil end
	local i = math.random(#t)
	local v = t[i]
	t[i] = t[#t]
	t[#t] = nil
	return v
end

for _ = 1, 400 do
	local what = math.random(10)
	if what == 1 then
		local p = alloc_pages(math.random(0, 3))
		if p then pages[#pages + 1] = p end
	elseif what == 2 then
		local p = pick(pages)
		if p then free_pages(p) end
	elseif what == 3 then
		local o = kmalloc(math.random(1, 3000))
		if o then kobjs[#kobjs + 1] = o end
	elseif what == 4 then
		local o = pick(kobjs)
		if o then kfree(o) end
	elseif what == 5 then
		local o = kmem_cache_alloc(cache)
		if o then objs[#objs + 1] = o end
	elseif what == 6 then
		local o = pick(objs)
		if o then kmem_cache_free(cache, o) end
	elseif what == 7 then
		local a = vmalloc(math.random(1, 6) * 4096)
		if a then areas[#areas + 1] = a end
	elseif what == 8 then
		local a = pick(areas)
		if a then vfree(a) end
	elseif what == 9 then
		local p = alloc_pages(0)
		if p then
			map(mm, next_va, p, "rwu")
			maps[#maps + 1] = {va = next_va, page = p}
			next_va = next_va + 0x1000 * math.random(1, 600)
		end
	else
		local m = pick(maps)
		if m then
			local r = translate(mm, m.va + 0x10, "w")
			expect_eq(r.pa, m.page.phys + 0x10, "a mapped page translates to its frame")
			unmap(mm, m.va)
			expect_eq(translate(mm, m.va).fault, "not-present", "unmapped: not present")
			free_pages(m.page)
		end
	end
end
for _, o in ipairs(objs) do expect_eq(o.cache, "mixed", "live objects keep their cache") end
