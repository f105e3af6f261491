-- proc("buddyinfo"), proc("zoneinfo") and proc("meminfo") in the kernel's
-- format, on a 32-bit x86 machine with HighMem, before and after allocating.
title("/proc files")
machine{arch = "x86", memory = "1G"}
print(proc("buddyinfo"))
print(proc("zoneinfo"))
print(proc("meminfo"))
alloc_pages(10, "GFP_HIGHUSER")
alloc_pages(3, "GFP_KERNEL")
alloc_pages(0, "GFP_DMA")
print(proc("buddyinfo"))
print(proc("meminfo"))
