-- x86 segmentation: Linux's flat segments, a user-defined one, the
-- checks that fault (#GP, #NP, #SS), and translate from a logical address.
machine{arch = "x86", memory = "16M"}
local mm = mm_alloc()
map(mm, 0x08048000, alloc_pages(0), "rxu")
translate(mm, {cs = 0x73, offset = 0x08048010})
translate(mm, "0x7b:0x08048010", "w")
translate(mm, {ds = 0x68, offset = 0})
set_descriptor{index = 20, base = 0x1000, limit = 0xfff, g = false, type = "data-r", dpl = 3}
segment_translate(20 * 8 + 3, 0xfff)
segment_translate(20 * 8 + 3, 0x1000, {reg = "ss"})
segment_translate(20 * 8 + 3, 0, {access = "w"})
set_descriptor{table = "ldt", index = 1, type = "data-rw", present = false}
segment_translate(8 + 4 + 3, 0)
segment_translate(40 * 8, 0)
segment_translate(0, 0, {reg = "ss", mode = "kernel"})
