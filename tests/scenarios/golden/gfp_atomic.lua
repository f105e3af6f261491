-- A 1 MiB Normal zone (256 pages) with min_free_kbytes = 256: min 64, low 80.
-- GFP_KERNEL takes the fast path down to low, then the slow path down to
-- min, and fails there.  GFP_NOWAIT may not dip below min either; GFP_ATOMIC
-- (__GFP_HIGH, cannot block) may go down to min - min/2 - min/8 = 24.
title("GFP_ATOMIC below min")
machine{arch = "x86_64", memory = "1M", zones = {Normal = "1M"}, min_free_kbytes = 256}
local z = zone("Normal")
print("managed", z.managed, "min", z.min, "low", z.low, "high", z.high)
alloc_pages(7)
alloc_pages(5)
alloc_pages(4)
expect_eq(zone("Normal").free, 80, "fast path down to low")
say("below low: GFP_KERNEL goes through the slow path, down to min")
for _, order in ipairs{0, 3, 2, 1, 0} do
	expect(alloc_pages(order) ~= nil, "slow path at min")
end
expect_eq(zone("Normal").free, 64, "at min")
local p, why = alloc_pages(0)
expect_eq(p, nil, "GFP_KERNEL stops at min")
print(why)
p, why = alloc_pages(0, "GFP_NOWAIT")
expect_eq(p, nil, "GFP_NOWAIT stops at min")
say("GFP_ATOMIC dips into the reserve below min")
for _, order in ipairs{0, 5, 2, 1, 0} do
	expect(alloc_pages(order, "GFP_ATOMIC") ~= nil, "atomic below min")
end
expect_eq(zone("Normal").free, 24, "down to min/2 - min/8")
p, why = alloc_pages(0, "GFP_ATOMIC")
expect_eq(p, nil, "even GFP_ATOMIC stops at 24")
print(why)
