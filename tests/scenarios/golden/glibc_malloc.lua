-- glibc malloc's trace: a large chunk sorted into its large bin and split
-- (best fit before top), mmap and the threshold, trim, calloc and realloc
-- in place, malloc_consolidate, and an abort with glibc's message.
local h = heap{size = 4 << 20}
local a = h:malloc(0x420)
local g = h:malloc(0x18)
h:free(a)
local c = h:malloc(0x500)
local d = h:malloc(0x100)
expect_eq(d, a, "split from the large-bin chunk")
local m1 = h:malloc(200000)
h:free(m1)
local m2 = h:malloc(200000)
h:free(c) h:free(d) h:free(g) h:free(m2)
expect_eq(h:malloc_trim(0), 1, "malloc_trim gives pages back")
local z = h:calloc(10, 10)
local r = h:realloc(z, 500)
expect_eq(h:realloc(r, 20), z, "shrunk in place")
local f = {}
for i = 1, 9 do f[i] = h:malloc(100) end
for i = 1, 9 do h:free(f[i]) end
h:malloc(2000)
local info = h:mallinfo2()
expect_eq(info.smblks, 0, "malloc_consolidate emptied the fastbins")
h:poke(h.top + 8, -1)
local p, why = h:malloc(5000)
expect_eq(why, "malloc(): corrupted top size", "glibc's check of top")
