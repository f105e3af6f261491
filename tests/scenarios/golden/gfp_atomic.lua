-- A 1 MiB Normal zone (256 pages) with min_free_kbytes = 256: min 64, low 80.
-- GFP_KERNEL takes the fast path down to low, then the slow path down to
-- min, and fails there.  GFP_NOWAIT may not dip below min either; GFP_ATOMIC
-- (__GFP_HIGH, cannot block) may go down to min - min/2 - min/8 = 24.
title("GFP_ATOMIC below min")
machine{arch = "x86_64", memory = "1M", zones = {Normal = "1M"}, min_free_kbytes = 256}
local z = zone("Normal")
print("managed", z.managed, "min", z.min, "low", z.low, "high", z.high)
-- 256 KiB = 64 pages of min; gaps max(64 / 4, 256 * 10 / 10000) = 16
expect_eq(z.min, 64, "min")
expect_eq(z.low, 80, "low = min + 16")
expect_eq(z.high, 96, "high = low + 16")
-- pfns of the pages an ipairs list of requests got, in hex
local function take(orders, gfp)
	local got = {}
	for _, order in ipairs(orders) do
		local p = alloc_pages(order, gfp)
		got[#got + 1] = p and string.format("%x", p.pfn) or "nil"
	end
	return table.concat(got, " ")
end
-- One order-8 block at 0: order 7 keeps 0 (0x80 free), order 5 splits 0x80
-- (0xc0 and 0xa0 free), order 4 splits 0xa0 (0xb0 free): lower halves.
expect_eq(take{7, 5, 4}, "0 80 a0", "each request keeps the lower half of the smallest block")
expect_eq(zone("Normal").free, 80, "fast path down to low")
say("below low: GFP_KERNEL goes through the slow path, down to min")
-- The smallest free block is 0xb0 (order 4): the order-0 request splits it
-- into 0xb0 kept, 0xb8, 0xb4, 0xb2, 0xb1 free; the next requests take those.
expect_eq(take{0, 3, 2, 1, 0}, "b0 b8 b4 b2 b1", "slow path at min, smallest blocks first")
expect_eq(zone("Normal").free, 64, "at min")
local p, why = alloc_pages(0)
expect_eq(p, nil, "GFP_KERNEL stops at min")
print(why)
p, why = alloc_pages(0, "GFP_NOWAIT")
expect_eq(p, nil, "GFP_NOWAIT stops at min")
say("GFP_ATOMIC dips into the reserve below min")
-- Only 0xc0 (order 6) is left: order 0 splits it (0xe0, 0xd0, 0xc8, 0xc4,
-- 0xc2, 0xc1 free), then order 5 takes 0xe0, and so on.
expect_eq(take({0, 5, 2, 1, 0}, "GFP_ATOMIC"), "c0 e0 c4 c2 c1", "atomic below min")
expect_eq(zone("Normal").nr_free[4], 1, "0xd0 (16 pages) is left")
expect_eq(zone("Normal").nr_free[3], 1, "0xc8 (8 pages) is left")
expect_eq(zone("Normal").free, 24, "down to min/2 - min/8")
p, why = alloc_pages(0, "GFP_ATOMIC")
expect_eq(p, nil, "even GFP_ATOMIC stops at 24")
print(why)
