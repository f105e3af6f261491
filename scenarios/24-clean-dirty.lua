-- 24-clean-dirty.lua: clean page-cache pages are dropped, dirty ones written.
--
-- Teaches: a clean page-cache page can simply be freed (the disk holds the
-- same bytes); a dirty one must first be written back (pageout): the write
-- starts, the page waits on the inactive list under writeback, and when it
-- completes the page is rotated to the tail (PG_reclaim,
-- folio_rotate_reclaimable) so that a later pass frees it.  A dirty page
-- referenced recently is kept rather than written (FOLIOREF_RECLAIM_CLEAN).
-- Linux 6.18; the model has no flusher threads: only reclaim writes.

machine{arch = "x86_64", memory = "16M"}
title("Clean versus dirty page-cache pages under reclaim")

local how = {}
on("shrink_folio", function(e) how[#how + 1] = e.how end)
local writes = 0
on("end_writeback", function() writes = writes + 1 end)
local function count(word)
	local n = 0
	for _, h in ipairs(how) do if h:find(word, 1, true) then n = n + 1 end end
	return n
end

local p = process{name = "editor"}
local f = file{name = "notes", size = "32K"}
local a = mmap(p, {len = "32K", file = f, flags = "MAP_SHARED"})
for i = 0, 7 do
	if i % 2 == 0 then access(p, a + i * 4096, "w", 500 + i) else access(p, a + i * 4096, "r") end
end
expect(proc("meminfo"):match("Dirty: +(%d+) kB") == "16", "four dirty pages: 16 kB")
say("The editor mapped an 8-page file shared, wrote the even pages and read the odd ones: four dirty, four clean, all just used. Reclaim is asked for 8 pages: which go first?")
pause()

local got = reclaim(8)
expect_eq(count("second chance"), 8, "each page was first given its second chance")
expect_eq(count("FOLIOREF_RECLAIM_CLEAN"), 4, "met again, the dirty ones were kept: referenced, so not worth a write yet")
expect_eq(count("leaves the page cache"), 8, "all eight were freed in the end")
expect_eq(count("written back"), 4, "after the four dirty pages were written")
expect_eq(writes, 4, "four writes completed")
expect_eq(got, 8, "eight pages reclaimed")
local st = proc("vmstat")
say("Clean ones first, freed at the second look. Dirty ones were kept once more, then written, rotated to the tail when done, and freed next. Does the disk have the writes?")
print(table.concat(how, "\n"))
print(st:match("pgrotated %d+"), st:match("pgpgout %d+"), st:match("nr_dirty %d+"))
pause()

local back = access(p, a + 2 * 4096, "r")
expect(back.major, "the page comes back from the disk")
expect_eq(back.value, 502, "with what the editor wrote")
say(string.format("Yes: faulting page 2 back reads %d from the disk, a major fault. Writeback cost a disk write per dirty page; dropping a clean page costs nothing until it is needed again.", back.value))
