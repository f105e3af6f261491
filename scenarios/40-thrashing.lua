-- 40-thrashing.lua: a working set larger than memory, and workingset refaults.
--
-- Teaches: a process that touches its pages round after round faults only
-- once while they fit; once they do not, reclaim swaps out pages the next
-- round needs, and the major faults per round climb (thrashing: a cyclic
-- scan larger than memory is LRU's worst case, the page evicted is the one
-- needed soonest).  Each page reclaimed from the swap cache leaves a shadow
-- entry in its swap slot with the node's nonresident age at its eviction
-- (workingset_eviction); the swap-in finds it (workingset_refault): the
-- refault distance, the age now minus the age then, is compared with the
-- pages that could have made room (active_file + inactive_file, and with
-- free swap active_anon); a page within it is activated.  Linux 6.18's
-- classic LRU (CONFIG_LRU_GEN off), no memory cgroups.

machine{arch = "x86_64", memory = "512K"}
title("Thrashing: a working set larger than memory")

local area = swapon{size = "1M"}
local p = process{name = "scanner"}
local a = mmap(p, {len = 128 * 4096, prot = "rw"})
local z = zone("DMA")

local refaults, activated, bad = 0, 0, 0
on("workingset_refault", function(e)
	refaults = refaults + 1
	local near = e.distance <= e.size
	if near then activated = activated + 1 end
	if near == (e.how:match("too far") ~= nil) then bad = bad + 1 end
end)

-- one round: write every page of the working set once, counting major faults
local function round(pages)
	local major = 0
	for i = 0, pages - 1 do
		if access(p, a + i * 4096, "w", i).major then major = major + 1 end
	end
	return major
end

say(string.format("512 KiB: %d free pages, watermarks min %d, low %d, high %d, and %d swap slots. The scanner writes 60 pages round after round. How many major faults in the second round?",
	z.free, z.min, z.low, z.high, area.pages))
pause()
round(60)
local m1 = round(60)
expect_eq(m1, 0, "60 pages fit: the second round faults nothing")
say("None: once touched, 60 pages stay in memory. Now the working set grows to 95 pages, more than memory holds above the watermarks. What happens in the rounds after the first touch?")
pause()
local m2 = round(95)
local m3 = round(95)
expect(area.used > 0, "reclaim swapped pages out")
expect(m3 > m2, "the fault rate climbs once the set outgrows memory")
expect(m3 > 40, "most of the round faults")
expect(refaults >= m3, "every major fault here found a shadow entry")
expect(activated > 0, "some refaults were near enough to activate")
print(proc("vmstat"):match("pswpin %d+"), proc("vmstat"):match("pswpout %d+"))
say(string.format("Major faults: %d (35 pages new), then %d: thrashing. Each found a shadow: %d refaults, %d at a distance of at most active_file + inactive_file + active_anon. What becomes of those?",
	m2, m3, refaults, activated))
pause()
local m4 = round(95)
local vm = proc("vmstat")
expect(m4 < m3, "the next round faults less")
expect_eq(bad, 0, "each refault activated exactly when its distance fitted the workingset")
expect_eq(tonumber(vm:match("workingset_refault_anon (%d+)")), refaults, "vmstat counts every refault")
expect_eq(tonumber(vm:match("workingset_activate_anon (%d+)")), activated, "and every activation")
print(vm:match("workingset_refault_anon %d+"), vm:match("workingset_activate_anon %d+"), vm:match("workingset_restore_anon %d+"))
say(string.format("workingset_refault activates them: with that much more room they would have stayed. Reclaim ages the active list only when the inactive one runs low: the next round faults %d times.",
	m4))
