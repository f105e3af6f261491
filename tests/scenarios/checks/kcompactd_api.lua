-- kcompactd(order [, node]): asked by hand, as kswapd asks it.  On single
-- free frames it wakes and makes an order-1 block; asked again when the
-- block is there, it stays asleep; bad orders and nodes are refused.
machine{memory = "256K", page_size = "4K", min_free_kbytes = 0, max_order = 3,
	migratetypes = false, pcp = false}
local app = process{name = "app"}
local a = mmap(app, {len = 64 * 4096, prot = "rw"})
local i = 0
while zone("DMA").free > 0 do
	access(app, a + i * 4096, "w", i)
	i = i + 1
end
for k = 1, i - 1, 2 do munmap(app, a + k * 4096, 4096) end
local z = zone("DMA")
expect_eq(z.nr_free[1] + z.nr_free[2], 0, "single frames only")
local runs = 0
on("kcompactd", function() runs = runs + 1 end)
expect_eq(kcompactd(1), true, "kcompactd wakes")
expect_eq(runs, 1, "and runs")
z = zone("DMA")
expect(z.nr_free[1] + z.nr_free[2] > 0, "an order-1 block now")
expect_eq(kcompactd(1), false, "asked again it stays asleep")
expect_eq(runs, 1, "no second run")
local ok, err = pcall(kcompactd, 0)
expect(not ok and err:find("order 0 is out of range"), "order 0 refused")
ok, err = pcall(kcompactd, 1, 4)
expect(not ok and err:find("node 4 does not exist"), "a missing node refused")
