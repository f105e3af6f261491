-- 19-shared-file.lua: a file mapped by two processes through the page cache.
--
-- Teaches: a file's pages live in the page cache, read from the disk once;
-- processes that map the file share those frames; a write through a shared
-- mapping is seen by every mapper and marks the page dirty; a private
-- mapping copies the page on its first write; the reverse map finds every
-- mapping through the file's i_mmap.

machine{arch = "x86_64", memory = "64M"}
title("A file shared by two processes")

local f = file{name = "log.txt", size = "16K"}
local a = process{name = "writer"}
local b = process{name = "reader"}
local wa = mmap(a, {len = "16K", prot = "rw", file = f, flags = "MAP_SHARED"})
local rb = mmap(b, {len = "16K", prot = "r", file = f, flags = "MAP_SHARED"})
say("Two processes map the same 16 KiB file, both MAP_SHARED. The reader touches page 0. Where does the data come from?")
print(proc("maps", a))
pause()
local r = access(b, rb, "r")
expect(r.major, "from the disk: a major fault")
expect_eq(f.nrpages, 1, "the page is in the page cache now")
say(string.format("From the disk: frame 0x%x joined the page cache (a major fault).", r.pfn) .. " The writer touches the same page. Another disk read?")
pause()
local w = access(a, wa, "r")
expect(not w.major, "no: the page cache has it")
expect_eq(w.pfn, r.pfn, "the same frame")
expect_eq(page(r.pfn).mapcount, 2, "two processes map it")
say(string.format("No: both map frame 0x%x of the page cache. The writer stores 42. What does the reader see?", r.pfn))
pause()
access(a, wa, "w", 42)
expect_eq(access(b, rb, "r").value, 42, "the reader sees the write at once")
local dirty = false
for _, fl in ipairs(page(r.pfn).flags) do dirty = dirty or fl == "dirty" end
expect(dirty, "the page is dirty: writeback would have to write it")
say("42: one frame, two mappings. The page is now dirty. A third process maps the file MAP_PRIVATE and writes. Who sees it?")
pause()
local c = process{name = "private"}
local pc = mmap(c, {len = "16K", prot = "rw", file = f})
access(c, pc, "w", 7)
expect_eq(access(a, wa, "r").value, 42, "not the writer")
expect_eq(access(c, pc, "r").value, 7, "only the private mapper, in its own copy")
say("Only itself: the private write went to an anonymous copy.")
local m = page(r.pfn).mappers
expect_eq(#m, 2, "the reverse map finds the two shared mappings")
print(proc("meminfo"))
