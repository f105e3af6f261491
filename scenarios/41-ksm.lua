-- 41-ksm.lua: two virtual machines' identical pages merged by KSM, then a
-- write that splits one off again.
--
-- Teaches: madvise(MADV_MERGEABLE) only marks the areas and puts the mm on
-- ksmd's list; ksmd's first full scan only records each page's checksum (a
-- page is merged only once it has stayed the same for a whole pass); on the
-- second pass the first VM's pages wait in the unstable tree and the second
-- VM's twins find them there: one page of each pair becomes a write-protected
-- KSM page in the stable tree, the other is freed to the buddy. A write to a
-- KSM page always copies (a KSM page is never reused), and ksmd sees the
-- copied page as volatile on its next pass.

machine{arch = "x86_64", memory = "64M"}
title("KSM: merging identical pages of two VMs")

-- Two "guests" with the same four pages of kernel text and one page of
-- their own data.
local vm = {process{name = "qemu-vm1"}, process{name = "qemu-vm2"}}
local base = {}
for i, p in ipairs(vm) do
	base[i] = mmap(p, {len = "20K", prot = "rw"})
	for k = 0, 3 do access(p, base[i] + k * 4096, "w", 0x1000 + k) end
	access(p, base[i] + 4 * 4096, "w", 100 * i)
end
say("Two VMs each wrote the same four pages (0x1000..0x1003) and one page of their own. They call madvise(MADV_MERGEABLE) on the area and ksmd is started (run=1). Does madvise merge anything?")
pause()
local vm1_first = access(vm[1], base[1], "r").pfn
for i, p in ipairs(vm) do madvise(p, base[i], "20K", "MADV_MERGEABLE") end
ksm{run = 1}
expect_eq(ksm().pages_shared, 0, "madvise only marks the VMAs VM_MERGEABLE")
say("No: madvise set VM_MERGEABLE and gave each mm an mm_slot on ksmd's list; merging is ksmd's work. ksmd scans all ten pages once: what does this first full scan do with them?")
pause()
expect_eq(ksmd(100), 10, "ten mergeable pages scanned, then the pass ends")
local k = ksm()
expect_eq(k.full_scans, 1, "one full scan done")
expect_eq(k.pages_shared + k.pages_unshared, 0, "nothing merged, nothing in the unstable tree")
expect_eq(k.pages_volatile, 10, "every page counts as volatile")
say("Nothing merged: a new rmap_item's checksum is 0, so every page looks changed: all ten are volatile (calc_checksum). Second pass: which pages go into the unstable tree, and which find a twin there?")
pause()
expect_eq(ksmd(100), 10, "the second full scan")
k = ksm()
expect_eq(k.pages_shared, 4, "four KSM pages in the stable tree")
expect_eq(k.pages_sharing, 4, "each mapped by the second VM too")
expect_eq(k.pages_unshared, 2, "the two private pages wait in the unstable tree")
local r1 = access(vm[1], base[1], "r")
local r2 = access(vm[2], base[2], "r")
expect_eq(r1.pfn, r2.pfn, "both VMs map one frame")
expect_eq(page(r1.pfn).mapcount, 2, "its _mapcount counts both PTEs")
expect_eq(page(r1.pfn).mapping, "ksm", "a KSM page: its mapping is a stable node")
expect_eq(page(vm1_first).state, "free", "VM1's duplicate frame went back to the buddy")
print(proc("kernel/mm/ksm/pages_sharing"))
say(string.format("VM2's pages found VM1's twins in the unstable tree: each pair is one write-protected KSM page (first 0x%x), VM1's frames freed; general_profit %s. VM2 writes to it: what happens?",
	r1.pfn, proc("kernel/mm/ksm/general_profit"):gsub("\n", "")))
pause()
local w = access(vm[2], base[2], "w", 0x2000)
expect(w.pfn ~= r1.pfn, "the write got a copy")
expect_eq(page(r1.pfn).mapcount, 1, "the KSM page lost a mapper")
expect_eq(access(vm[1], base[1], "r").value, 0x1000, "VM1 still reads the shared content")
expect_eq(ksm().pages_sharing, 4, "the counters change only when ksmd rescans")
say("A write to a KSM page always copies (do_wp_page never reuses one): VM2 has its own page, the KSM page one mapper; the counters say 4 sharing until ksmd's next pass. What will it say?")
pause()
ksmd(100)
k = ksm()
expect_eq(k.pages_sharing, 3, "three pages are still shared")
expect_eq(k.pages_shared, 4, "four KSM pages: one now has a single mapper")
expect_eq(k.pages_volatile, 1, "VM2's written page changed since the last pass")
say("The rescan took VM2's rmap_item off the stable node (pages_sharing 3) and found its page changed: volatile. The KSM page stays a KSM page with VM1 alone, as in the kernel.")
print(proc("kernel/mm/ksm/pages_volatile"))
