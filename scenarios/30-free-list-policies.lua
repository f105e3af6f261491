-- 30-free-list-policies.lua: first, best and worst fit on one free list.
--
-- Teaches: the free-list allocator of OS courses (OSTEP chapter 17 and its
-- homework simulator vm-freespace/malloc.py, which `memstep course malloc`
-- reproduces): a list of free ranges, searched first-fit (the first that
-- holds the request), best-fit (the smallest that does: the whole list is
-- searched) or worst-fit (the largest); the chosen range is split, its head
-- handed out; a free puts the range back in address order and, with
-- coalescing, merges it with its neighbours.  External fragmentation is
-- free space cut into ranges too small to use.

title("Free lists: first, best and worst fit")

-- A heap of 100 units at address 1000, with three holes made by freeing:
-- [1000,10] [1020,5] [1035,30] (allocated in between).
local function holes(policy)
	local fl = freelist{size = 100, base = 1000, policy = policy, order = "ADDRSORT", coalesce = true}
	local p = {}
	for i, size in ipairs{10, 10, 5, 10, 30, 35} do p[i] = fl:alloc(size) end
	fl:free(p[1]); fl:free(p[3]); fl:free(p[5])
	return fl
end

local best = holes("BEST")
local l = best.list
expect_eq(#l, 3, "three free ranges")
expect(l[1].addr == 1000 and l[2].addr == 1020 and l[3].addr == 1035, "in address order")
say("Free: [1000,10] [1020,5] [1035,30]. Best fit for alloc(4): which range, and how many elements does it search?")
pause()

local a, searched = best:alloc(4)
expect_eq(a, 1020, "best fit: the smallest range that holds 4")
expect_eq(searched, 3, "best fit searches the whole list")
local first = holes("FIRST")
say("1020, the 5-unit range, after searching all 3. First fit, on the same holes: which range, after how many elements?")
pause()

local f, fs = first:alloc(4)
expect_eq(f, 1000, "first fit: the first range that holds 4")
expect_eq(fs, 1, "found at the first element")
local worst = holes("WORST")
say("1000 after 1 element: first fit stops at the first range that fits. Worst fit, on the same holes: which range?")
pause()

local w, ws = worst:alloc(4)
expect_eq(w, 1035, "worst fit: the largest range")
expect_eq(ws, 3, "it also searches the whole list")
say("1035, the largest, leaving [1039,26]. Now best fit leaves [1024,1]: can any request use a 1-unit range, and what is that called?")
pause()

expect_eq(best.list[2].size, 1, "best fit left a sliver of 1 unit")
-- Freeing the range between two holes coalesces three ranges into one.
local fl = freelist{size = 30, base = 0, policy = "FIRST", coalesce = true}
local x, y = fl:alloc(10), fl:alloc(10)
fl:free(x)
say("Only a 1-unit request: the sliver is external fragmentation. Next: free 10..19 between free [0,10] and [20,10]: how many ranges after?")
pause()

fl:free(y)
expect_eq(#fl.list, 1, "coalescing made one range")
expect(fl.list[1].addr == 0 and fl.list[1].size == 30, "the whole heap again")
say("One: [0,30]. With the list in address order, coalescing merges a freed range with both neighbours in one pass.")
