-- 31-belady-anomaly.lua: more frames, more misses, under FIFO.
--
-- Teaches: page replacement over a reference string (OSTEP chapter 22 and
-- its simulator vm-beyondphys-policy/paging-policy.py, which `memstep
-- course paging-policy` reproduces): FIFO evicts the page that came in
-- first, LRU the least recently used, OPT the one used furthest in the
-- future.  Belady's anomaly: on 1 2 3 4 1 2 5 1 2 3 4 5, FIFO misses more
-- with 4 frames than with 3.  LRU and OPT are stack algorithms: more
-- frames never hurt them.

title("Belady's anomaly")

local refs = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5}
local function run(policy, frames)
	local c = replacement{policy = policy, frames = frames, refs = refs}
	c:run()
	return c
end

say("The string 1 2 3 4 1 2 5 1 2 3 4 5 under FIFO with 3 frames: how many misses?")
pause()
local f3 = run("FIFO", 3)
expect_eq(f3.misses, 9, "FIFO, 3 frames: 9 misses")
say("9 misses, 3 hits. With 4 frames, FIFO can keep one more page: more misses or fewer?")
pause()

local f4 = run("FIFO", 4)
expect_eq(f4.misses, 10, "FIFO, 4 frames: 10 misses")
expect(f4.misses > f3.misses, "more frames, more misses: Belady's anomaly")
say("10: more frames, more misses. That is Belady's anomaly. Does LRU do the same going from 3 frames to 4?")
pause()

local l3, l4 = run("LRU", 3), run("LRU", 4)
expect_eq(l3.misses, 10, "LRU, 3 frames: 10 misses")
expect_eq(l4.misses, 8, "LRU, 4 frames: 8 misses")
say("No: 10 then 8. LRU is a stack algorithm (3 frames always hold a subset of what 4 hold). And OPT with 3 frames?")
pause()

local o3 = run("OPT", 3)
expect_eq(o3.misses, 7, "OPT, 3 frames: 7 misses, the fewest possible")
say("7, the fewest any policy can do with 3 frames: OPT evicts the page used furthest in the future, which only hindsight knows.")
