-- 42-slob-vs-slub.lua: one workload under SLOB and under SLUB: why SLUB won.
--
-- Teaches: SLOB (mm/slob.c, last in Linux 6.3) keeps a K&R heap in whole
-- pages: a request's size picks one of three lists of partly free pages
-- (below 256 bytes, below 1024, the rest), the first page with room wins
-- and the list is rotated to start there; inside the page the first free
-- block that fits is cut (slob_page_alloc), kmalloc prepends its size in
-- an 8-byte header.  Objects of every size share pages, so little memory
-- is wasted, but every allocation walks lists and free lists: its cost
-- grows with fragmentation.  SLUB (mm/slub.c, 6.18) gives each size its
-- own slabs and takes the first object off a freelist: constant time,
-- paid for in partly used slabs.  The same requests run on two machines,
-- one after the other (a scenario holds one machine at a time), and a
-- table compares them.

title("SLOB vs SLUB: one workload, two allocators")

-- the workload: a mix of small kmallocs, objects of one cache, and frees
local sizes = {24, 100, 40, 200, 16, 72, 500, 8, 96, 300}
local function workload()
	local c = kmem_cache_create("conn", 176)
	local objs, held = {}, {}
	for round = 1, 6 do
		for _, s in ipairs(sizes) do
			held[#held + 1] = kmalloc(s + round)
		end
		objs[#objs + 1] = kmem_cache_alloc(c)
	end
	-- free every other kmalloc: holes in SLOB's pages, partial slabs in SLUB's
	for i = 1, #held, 2 do
		kfree(held[i])
	end
	return c, objs
end

-- what a machine spends: slab pages (meminfo's Slab), and steps taken
local function measure(name)
	local slab_kb = tonumber(proc("meminfo"):match("Slab:%s+(%d+) kB"))
	local unrecl = tonumber(proc("meminfo"):match("SUnreclaim:%s+(%d+) kB"))
	return {name = name, slab_kb = slab_kb, unreclaim_kb = unrecl}
end

machine{memory = "4M", min_free_kbytes = 0, slab = "slob"}
say("First SLOB: kmem_cache_create only records a size and an alignment; kmalloc(25) " ..
	"asks slob_alloc for 25 + 8 bytes (the size header) on free_slob_small.")
local c, objs = workload()
local slob = measure("slob")
expect_eq(slob.slab_kb, slob.unreclaim_kb, "SLOB counts every page as SUnreclaim")
expect(not pcall(proc, "slabinfo"), "SLOB had no /proc/slabinfo")
say(string.format("SLOB used %d kB for the whole mix (three lists share its pages) and has no /proc/slabinfo " ..
	"in 6.3. The same requests under SLUB, a slab per size class: more memory or less?", slob.slab_kb))
pause()

machine{memory = "4M", min_free_kbytes = 0, slab = "slub"}
local c2, objs2 = workload()
local slub = measure("slub")
local caches = 0
for line in proc("slabinfo"):gmatch("[^\n]+") do
	local name, active = line:match("^(%S+)%s+(%d+)")
	if name and tonumber(active) > 0 then
		caches = caches + 1
	end
end
expect(slub.slab_kb > slob.slab_kb, "SLUB spends more pages on the same objects")
expect(caches > 3, "SLUB's objects spread over several caches")

print(string.format("%-6s %10s", "", "slab kB"))
print(string.format("%-6s %10d", "slob", slob.slab_kb))
print(string.format("%-6s %10d", "slub", slub.slab_kb))
say(string.format("SLUB used %d kB over %d caches; SLOB %d kB. Yet SLUB won: its fast path pops one freelist " ..
	"where SLOB walks pages and free blocks; 6.4 removed SLOB.", slub.slab_kb, caches, slob.slab_kb))
