-- 21-second-chance.lua: reclaim gives a recently used page a second chance.
--
-- Teaches: page-cache pages join the inactive file list at its head;
-- reclaim takes pages from the tail; a page whose PTE is young (accessed
-- since the last look, found through the reverse map) is not freed but
-- marked PG_referenced, its accessed bit cleared, and moved back to the
-- head: its second chance.  Met again untouched, it is freed; touched
-- again, it is activated.  Linux 6.18's classic LRU (CONFIG_LRU_GEN off).

machine{arch = "x86_64", memory = "16M"}
title("Second chance on the inactive list")

local decisions = {}
on("shrink_folio", function(e) decisions[#decisions + 1] = string.format("%x:%s", e.pfn, e.how) end)
local young_cleared = 0
on("folio_referenced", function() young_cleared = young_cleared + 1 end)
on("shrink_active", function(e) decisions[#decisions + 1] = string.format("%x:%s", e.pfn, e.how) end)

local p = process{name = "viewer"}
local f = file{name = "photo", size = "16K"}
local a = mmap(p, {len = "16K", file = f})
local pfn = {}
for i = 0, 3 do pfn[i] = access(p, a + i * 4096, "r").pfn end
local l = lru()
expect_eq(#l.inactive_file, 4, "four page-cache pages on the inactive file list")
expect_eq(l.inactive_file[1], pfn[3], "the newest at the head")
expect_eq(l.inactive_file[4], pfn[0], "the first one read at the tail")
say(string.format("The viewer mapped a 4-page file and read each page once: frames %x %x %x %x, oldest at the tail (right). Reclaim takes pages from the tail. Asked for one page, which frame goes first?",
	pfn[0], pfn[1], pfn[2], pfn[3]))
pause()

local got = reclaim(1)
expect_eq(young_cleared, 4, "every page's young PTE was found and cleared first")
expect(decisions[1]:find("referenced once", 1, true), "the tail page was kept: referenced once")
expect_eq(decisions[1]:sub(1, #string.format("%x", pfn[0])), string.format("%x", pfn[0]), "that was the oldest page")
expect(got >= 1, "in the end pages were freed")
local freed = 0
for _, d in ipairs(decisions) do if d:find("freed", 1, true) then freed = freed + 1 end end
expect_eq(freed, got, "each freed page had its decision")
say(string.format("None at first: each PTE was young, so reclaim cleared it, set PG_referenced and moved the page to the head. Met again untouched, %d were freed. The viewer reads the last one again: and now?", got))
print(table.concat(decisions, "\n"))
pause()

local left = lru().inactive_file[1]
expect(left ~= nil, "one page survived on the inactive list")
local idx
for i = 0, 3 do if pfn[i] == left then idx = i end end
decisions = {}
access(p, a + idx * 4096, "r")
local again = reclaim(1)
expect(decisions[1] and decisions[1]:find("activate", 1, true), "referenced twice: it is activated")
expect(decisions[2] and decisions[2]:find("deactivated", 1, true), "the inactive list is empty: it is deactivated")
expect(decisions[3] and decisions[3]:find("freed", 1, true), "and then freed")
expect_eq(again, 1, "one page reclaimed")
expect_eq(#lru().inactive_file + #lru().active_file, 0, "the file is no longer cached")
expect_eq(f.nrpages, 0, "the page cache is empty")
say("Activated: a young PTE on a page already PG_referenced is a second reference. But with the inactive list empty, shrink_active_list deactivated it again, and the next look freed it.")
print(table.concat(decisions, "\n"))
print(proc("vmstat"):match("pgactivate %d+"), proc("vmstat"):match("pgdeactivate %d+"))
