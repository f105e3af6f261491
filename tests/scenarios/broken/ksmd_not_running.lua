-- expect: 2 broken/ksmd_not_running.lua:6:
-- and: ksmd: /sys/kernel/mm/ksm/run is 0, so ksmd sleeps: ksm{run=1} starts it
local p = process{name = "p"}
local a = mmap(p, {len = "4K", prot = "rw"})
madvise(p, a, "4K", "MADV_MERGEABLE")
ksmd(10)
