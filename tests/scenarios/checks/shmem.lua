-- Shared anonymous memory (shmem_zero_setup): a MAP_SHARED anonymous
-- mapping is a shmem file's page cache, so after fork parent and child
-- share writes (no copy-on-write); its pages are zeroed, never read from a
-- disk (minor faults), count in Shmem and Cached and in RssShmem, show as
-- /dev/zero (deleted) in maps, and go back when the last mapping goes.
machine{arch = "x86_64", memory = "64M"}
local p = process{name = "shm"}
local free0 = zone("DMA32").free
local a = mmap(p, {len = "8K", prot = "rw", flags = "MAP_SHARED|MAP_ANONYMOUS"})
local maps = proc("maps", p)
expect(maps:find(string.format("%x", a) .. "%-" .. string.format("%x", a + 8192) .. " rw%-s 00000000 00:01 %d+ +/dev/zero %(deleted%)") ~= nil,
	"maps shows the shmem file: rw-s, device 00:01, /dev/zero (deleted)")
local r = access(p, a, "r")
expect_eq(r.value, 0, "a shmem page starts zeroed")
expect(not r.major, "and no disk was read: a minor fault")
expect_eq(page(r.pfn).state, "file", "the page is in the shmem file's page cache")
local function has(list, name)
	for _, v in ipairs(list) do if v == name then return true end end
	return false
end
expect(has(page(r.pfn).flags, "swapbacked"), "and swap-backed")
expect(proc("meminfo"):find("\nShmem: +4 kB\n") ~= nil, "Shmem counts it")
expect(proc("meminfo"):find("\nCached: +4 kB\n") ~= nil, "so does Cached")
local c = fork(p)
access(c, a, "w", 42)
expect_eq(access(p, a, "r").value, 42, "the parent sees the child's write: shared, not copied")
expect_eq(access(c, a, "r").pfn, access(p, a, "r").pfn, "one frame for both")
expect_eq(page(r.pfn).mapcount, 2, "mapped by both")
access(c, a + 4096, "w", 7)
expect(proc("status", c):find("RssShmem:\t +8 kB") ~= nil, "the child maps both pages: RssShmem 8 kB")
expect(proc("status", c):find("RssFile:\t +0 kB") ~= nil, "none of them regular file pages")
munmap(p, a, "8K")
expect(proc("meminfo"):find("\nShmem: +8 kB\n") ~= nil, "the child still maps them: they stay")
exit(c)
expect(proc("meminfo"):find("\nShmem: +0 kB\n") ~= nil, "the last mapping went: the pages went with it")
expect_eq(zone("DMA32").free, free0, "every frame back, page tables included")
