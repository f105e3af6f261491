-- LRU lists and reclaim: second chance, dirty pages written then freed,
-- mlock keeping pages from reclaim, the sysctls, kswapd by hand.
machine{arch = "x86_64", memory = "16M"}
local p = process{name = "w"}
local f = file{name = "log", size = "24K"}
local a = mmap(p, {len = "24K", file = f, flags = "MAP_SHARED"})
for i = 0, 5 do if i < 2 then access(p, a + i * 4096, "w", 100 + i) else access(p, a + i * 4096, "r") end end
mlock(p, a + 5 * 4096, 4096)
local l = lru()
expect_eq(#l.inactive_file, 5, "five evictable page-cache pages")
expect_eq(#l.unevictable, 1, "one mlocked")
expect_eq(reclaim(4), 5, "memory.reclaim works in batches of at least 32: all five evictable pages")
local st = proc("meminfo")
print(st:match("Inactive%(file%):[^\n]*"), st:match("Unevictable:[^\n]*"), st:match("Mlocked:[^\n]*"), st:match("Dirty:[^\n]*"))
expect_eq(access(p, a, "r").value, 100, "a written page reads back from the disk")
sysctl{swappiness = 10, watermark_scale_factor = 100}
expect_eq(sysctl().swappiness, 10, "swappiness set")
print(zone("DMA").min, zone("DMA").low, zone("DMA").high)
expect_eq(kswapd(), 0, "balanced: kswapd reclaims nothing")
munlock(p, a, 6 * 4096)
print(proc("vmstat"):match("nr_zone_inactive_file[^\n]*"), proc("vmstat"):match("pgsteal_proactive[^\n]*"), proc("vmstat"):match("pgrotated[^\n]*"))
