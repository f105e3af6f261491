-- 20-address-space.lua: the VMAs of a small process, brk, and mprotect.
--
-- Teaches: /proc/PID/maps lists the VMAs of the layout drawn (text, data,
-- heap, mmap area, stack); brk grows the heap VMA (merging with the bss
-- below); mprotect of a page in the middle of a VMA splits it in three and
-- putting the old protection back merges them again; the stack grows down
-- on a fault below it.

machine{arch = "x86_64", memory = "64M"}
title("An address space: maps, brk, mprotect, the stack")

local p = process{name = "small"}
say("Text at 0x400000, data and bss at 0x600000, the heap after the bss, mmap below mmap_base, the stack on top. brk for 10000 bytes: how many VMAs?")
print(proc("maps", p))
expect_eq(#vmas(p), 3, "text, data+bss, stack")
pause()
local b0 = brk(p)
brk(p, b0 + 10000)
local v = vmas(p)
expect_eq(#v, 3, "still three: the heap merged with the bss below it")
expect_eq(v[2].name, "[heap]", "and the merged VMA is the [heap]")
expect_eq(v[2]["end"], b0 + 3 * 4096, "rounded up to whole pages")
say("Three: the heap grew out of the bss VMA, which /proc/PID/maps now calls [heap]. Mmap 5 pages rw, then make the middle page read-only. How many VMAs?")
print(proc("maps", p))
pause()
local a = mmap(p, {len = "20K", prot = "rw"})
mprotect(p, a + 2 * 4096, "4K", "r")
v = vmas(p)
expect_eq(#v, 6, "the 5-page VMA became three")
expect_eq(v[4].prot, "r--p", "the middle one read-only")
say("Six: the area was split at both edges of the page. And when the page is made rw again?")
print(proc("maps", p))
pause()
mprotect(p, a + 2 * 4096, "4K", "rw")
expect_eq(#vmas(p), 4, "the three pieces merged back into one")
say("Four: neighbours with the same flags merge again (vma_merge). The program writes 20 pages below the stack's lowest page. SIGSEGV?")
pause()
local stack = vmas(p)[#vmas(p)]
local r = access(p, stack.start - 20 * 4096, "w", 1)
expect(r.segv == nil, "no: the stack grows down to it")
expect_eq(vmas(p)[#vmas(p)].start, stack.start - 20 * 4096, "the stack VMA now starts there")
say("No: within the 8 MiB stack limit the kernel grows the stack VMA (expand_stack).")
print(proc("status", p))
