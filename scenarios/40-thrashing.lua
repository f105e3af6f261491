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
local m4 = round(95)
expect(area.used > 0, "reclaim swapped pages out")
expect(m3 > m2, "the fault rate climbs once the set outgrows memory")
expect(m3 > 40, "most of the round faults")
expect(m4 < m3, "the next round faults less")
say(string.format("Major faults per round: %d (the first touch of 35 new pages), then %d: each page the round needed had been swapped out to make room for the ones before it, thrashing. Then %d. pswpin counts the reads. How does the kernel tell a page it keeps needing from a one-off?",
	m2, m3, m4))
print(proc("vmstat"):match("pswpin %d+"), proc("vmstat"):match("pswpout %d+"))
pause()
local vm = proc("vmstat")
expect_eq(bad, 0, "each refault activated exactly when its distance fitted the workingset")
expect_eq(tonumber(vm:match("workingset_refault_anon (%d+)")), refaults, "vmstat counts every refault")
expect_eq(tonumber(vm:match("workingset_activate_anon (%d+)")), activated, "and every activation")
expect(refaults >= m3 + m4, "every major fault here found a shadow entry")
expect(activated > 0, "some refaults were near enough to activate")
say(string.format("Every major fault found a shadow entry in its slot: %d refaults. %d had a refault distance (nonresident age now minus at eviction) no larger than active_file + inactive_file + active_anon, so the page would have stayed with that much more room: workingset_refault activated it. The rest start on the inactive list. Activated pages wait on the active list, which reclaim ages only when the inactive list runs low: fewer faults in the last round.",
	refaults, activated))
print(vm:match("workingset_refault_anon %d+"), vm:match("workingset_activate_anon %d+"), vm:match("workingset_restore_anon %d+"))
