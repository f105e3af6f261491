-- math.random follows the machine's seed: the same machine{seed=} gives the
-- same sequence, a different seed a different one.
local function draw()
	local t = {}
	for i = 1, 8 do t[i] = math.random(1, 1 << 40) end
	return table.concat(t, " ")
end
machine{memory = "1M", page_size = "64K", seed = 42}
local a = draw()
machine{memory = "1M", page_size = "64K", seed = 42}
local b = draw()
machine{memory = "1M", page_size = "64K", seed = 43}
local c = draw()
expect_eq(b, a, "the same seed repeats the sequence")
expect(c ~= a, "another seed gives another sequence")
print(a)
print(c)
