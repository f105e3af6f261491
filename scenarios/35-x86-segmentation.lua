-- 35-x86-segmentation.lua: the x86's first translation step, and why Linux flattens it.
--
-- Teaches: on 32-bit x86 every address a program uses is logical,
-- selector:offset.  The selector picks a descriptor in the GDT (or LDT);
-- the descriptor gives a base, a limit (in bytes, or in 4K units with G)
-- and a privilege level; the processor checks them and adds the base:
-- that is the linear address, which paging then translates.  Linux sets
-- every segment to base 0 and limit 4G (arch/x86/include/asm/segment.h),
-- so logical = linear and only paging protects memory.  The model is
-- src/mm/segment.c; the textbook base-and-bounds model is 32-segmentation.

machine{arch = "x86", memory = "16M"}
title("x86 segmentation: logical to linear")

local g = gdt()
expect_eq(g[14].name, "DEFAULT_USER_CS", "GDT entry 14: the user code segment")
expect_eq(g[14].base, 0, "base 0")
expect_eq(g[14].limit, 0xffffffff, "limit 0xfffff in 4K units: all 4G")
expect_eq(g[15].raw, 0x00cff2000000ffff, "the user data descriptor as the kernel's GDT holds it")
say("Linux's GDT: entries 12-15 are kernel and user code and data, every one base 0, limit 4G. What does that make a logical address?")
pause()

local mm = mm_alloc()
local text = alloc_pages(0)
map(mm, 0x08048000, text, "rxu")
local r = translate(mm, {cs = 0x73, offset = 0x08048abc})
expect_eq(r.linear, 0x08048abc, "0x73:0x08048abc is linear 0x08048abc")
expect_eq(r.pa, text.phys + 0xabc, "then paging finds the page")
say("0x73 is index 14, GDT, RPL 3. Base 0: the linear address is the offset, and paging does the rest. Could ring 3 use the kernel's 0x68?")
pause()

r = translate(mm, "0x68:0x08048abc")
expect_eq(r.fault, "#GP", "a general protection fault")
expect_eq(r.error_code, 0x68, "the error code names the selector")
expect_eq(r.reason, "privilege", "DPL 0 < max(CPL 3, RPL 0)")
expect_eq(r.pa, nil, "no paging: segmentation refused it first")
say("#GP(0x68): the kernel's data segment has DPL 0, and user code runs at CPL 3. It needs max(CPL, RPL) <= DPL. What could a base other than 0 do?")
pause()

-- a segment that is not flat: what segmentation could do
set_descriptor{index = 20, base = 0x08048000, limit = 0xfff, g = false, type = "data-r", dpl = 3}
r = segment_translate(20 * 8 + 3, 0xabc)
expect_eq(r.linear, 0x08048abc, "base 0x08048000 + 0xabc")
r = segment_translate(20 * 8 + 3, 0x1000)
expect_eq(r.fault, "#GP", "beyond the 4K limit")
expect_eq(r.reason, "beyond-segment-limit", "the limit check")
say("A segment of base 0x08048000 and limit 0xfff: offset 0xabc lands in the text page, 0x1000 is past the limit. With g=true, where would it end?")
pause()

set_descriptor{index = 21, base = 0x08048000, limit = 0xfff, g = true, type = "data-r", dpl = 3}
expect_eq(gdt(21).limit, 0xffffff, "(0xfff << 12) | 0xfff")
expect_eq(segment_translate(21 * 8 + 3, 0xffffff).linear, 0x08048000 + 0xffffff, "the last byte")
expect_eq(segment_translate(21 * 8 + 3, 0x10, {access = "w"}).reason, "not-writable", "read-only data")
set_descriptor{table = "ldt", index = 0, base = 0, limit = 0xfffff, type = "data-rw", present = false}
expect_eq(segment_translate(4 + 3, 0).fault, "#NP", "a descriptor not present")
say("With G the limit counts 4K units: 16M. Writing read-only data is #GP(0); a descriptor marked not present is #NP. Linux needs none of it.")
