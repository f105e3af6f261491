-- 25-swap.lua: a process swapped out and faulted back in.
--
-- Teaches: swapon makes an area of slots (slot 0 is the header); MADV_PAGEOUT
-- swaps anonymous pages out the way reclaim will: a slot, the swap cache,
-- every PTE turned into a swap entry through the reverse map, the write, the
-- frame back to the buddy; fork copies swap PTEs and raises the slots'
-- counts; the first fault reads the page from its slot (a major fault), the
-- second process finds it in the swap cache (a minor fault); swapoff brings
-- everything back.

machine{arch = "x86_64", memory = "64M"}
title("Swapping out and faulting back in")

local area = swapon{size = "1M"}
say(string.format("swapon: %d slots of 4K (slot 0 holds the header), priority %d. /proc/swaps shows it; how much is used?",
	area.pages, area.priority))
pause()
expect_eq(area.used, 0, "nothing is swapped yet")
print(proc("swaps"))
local p = process{name = "worker"}
local a = mmap(p, {len = "16K", prot = "rw"})
for i = 0, 3 do access(p, a + i * 4096, "w", 100 + i) end
say("The worker wrote 100..103 to four pages. It pages out the first two with madvise(MADV_PAGEOUT): what do their PTEs hold then?")
pause()
local paged = madvise(p, a, "8K", "MADV_PAGEOUT")
expect_eq(paged, 2, "two pages went to swap")
expect_eq(p.swap, 2, "two swap entries in the worker's page tables")
expect_eq(p.rss, 2, "two pages still in memory")
expect_eq(swap_map(area)[1].count, 1, "slot 1: one PTE names it")
say("Each PTE now holds a swap entry (present bit clear, type 0, offset 1 and 2) and the frames went back to the buddy. The worker forks: what happens to the slots' counts?")
pause()
local child = fork(p)
expect_eq(swap_map(area)[1].count, 2, "fork copied the swap PTE: count 2")
expect_eq(child.swap, 2, "the child has the two swap entries too")
say("Count 2: both processes' PTEs name slot 1 (swap_duplicate). The worker reads its first page: from where, and is it a major fault?")
pause()
local r = access(p, a, "r")
expect_eq(r.value, 100, "the value came back from the slot")
expect(r.major, "read from the swap area: a major fault")
expect_eq(proc("vmstat"):match("pswpin (%d+)"), "1", "one page read from swap")
expect_eq(swap_map(area)[1].cache, r.pfn, "the page stays in the swap cache")
say(string.format("A major fault: do_swap_page read slot 1 into frame 0x%x, which stays in the swap cache. The child reads the same page: another disk read?",
	r.pfn))
pause()
local rc = access(child, a, "r")
expect_eq(rc.pfn, r.pfn, "the very frame the worker brought in")
expect(not rc.major, "a swap-cache hit: a minor fault")
expect_eq(proc("vmstat"):match("pswpin (%d+)"), "1", "no second read")
expect_eq(page(r.pfn).mapcount, 2, "both map it again")
say("No: the swap cache had it (a minor fault), so both map one frame again. swapoff: what must happen to the page still in swap?")
pause()
expect(proc("meminfo"):match("SwapCached: +4 kB") ~= nil, "one page in the swap cache")
swapoff(area)
expect_eq(p.swap + child.swap, 0, "no swap entry left")
expect_eq(access(child, a + 4096, "r").value, 101, "the other page came back too")
say("swapoff read the last page back (try_to_unuse) and mapped it in both processes before the area went away.")
print(proc("swaps"))
