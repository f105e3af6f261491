-- 37-glibc-malloc.lua: glibc's malloc (ptmalloc2, glibc 2.36) above the kernel.
--
-- Teaches: what a C program's malloc and free do with the memory the kernel
-- gives through brk and mmap.  Chunks carry a header (the size, with the
-- PREV_INUSE bit, and the previous chunk's size when it is free); the
-- first call makes the thread's tcache (itself a chunk) and grows the heap
-- by sbrk; a freed small chunk goes to its tcache bin (7 at most), then to a
-- fastbin; a larger one to the unsorted bin after merging with free
-- neighbours, or into top; requests of 128 KiB and more get an mmap of
-- their own, and freeing one raises the threshold.  glibc's checks turn a
-- double free into an abort with its own message.

title("glibc malloc: tcache, fastbins, the unsorted bin, top and mmap")

local h = heap{size = 4 << 20}
local function hex(x) return string.format("%#x", x) end

local a = h:malloc(24)
expect_eq(a, h.base + 0x2a0, "the first block follows the 0x290-byte tcache struct")
expect_eq(h.brk - h.base, 0x21000, "sbrk(0x21000): 656 + 128 KiB of top_pad + 32, rounded to pages")
say("malloc(24) returned " .. hex(a) .. ", 0x2a0 past the heap's start. What sits in the first 0x290 bytes?")
pause()

local b = h:malloc(24)
h:free(a)
h:free(b)
say("The tcache_perthread_struct: tcache_init's own chunk. Now a and b are freed: what does malloc(24) return next?")
pause()

local c = h:malloc(24)
expect_eq(c, b, "the tcache is LIFO: the last freed comes back first")
local p = {}
for i = 1, 8 do p[i] = h:malloc(40) end
for i = 1, 8 do h:free(p[i]) end
local bins = h:bins()
expect_eq(#bins.tcachebins[48], 7, "seven 48-byte chunks in the tcache")
expect_eq(#bins.fastbins[48], 1, "the eighth went to the fastbin")
say("b again: the tcache is last in, first out. Eight 48-byte chunks were freed: where did the eighth go?")
pause()

local big = h:malloc(0x500)
local guard = h:malloc(100) -- no 112-byte chunk is in the tcache: from top, after big
h:free(big)
expect_eq(#h:bins().unsortedbin, 1, "0x510 is past the tcache's 1040 bytes and the fastbins' 128")
say("To fastbin 48: the tcache bin was full. A 0x510-byte chunk is freed next to a guard: which bin takes it?")
pause()

local top_before = h.top
local last = h:malloc(0x600)
h:free(last)
expect_eq(h.top, top_before, "a chunk bordering top merges into it")
say("The unsorted bin: not tcache- or fastbin-sized. A chunk bordering top is freed: where does it go?")
pause()

local m = h:malloc(200000)
expect_eq(h:mallinfo2().hblks, 1, "one mmapped chunk")
h:free(m)
expect_eq(h.mmap_threshold, 200704, "the threshold rises to the freed chunk's size")
say("Into top: free merged it, top is back at " .. hex(h.top) .. ". malloc(200000) was mmapped; after its free, what is the threshold?")
pause()

local again = h:malloc(200000)
expect(again > h.base and again < h.brk, "the same request now comes from the heap")
h:free(guard)
local ok, why = h:free(guard)
expect_eq(why, "free(): double free detected in tcache 2", "glibc's message, word for word")
say("200704, the chunk's size: now the same request comes from the heap by sbrk. The guard freed twice: " .. why)
