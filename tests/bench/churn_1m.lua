-- 1,000,000 operations from a Lua loop: allocate and free orders 0..3 at
-- random, keeping up to 1,000 blocks.  For scripts/bench (batch, no trace).
machine{memory="1G", seed=1}
local held, n, ops = {}, 0, 0
while ops < 1000000 do
  if n > 0 and (n >= 1000 or math.random(2) == 1) then
    local i = math.random(n)
    free_pages(held[i])
    held[i] = held[n]
    held[n] = nil
    n = n - 1
  else
    local p = alloc_pages(math.random(0, 3))
    if p then
      n = n + 1
      held[n] = p
    end
  end
  ops = ops + 1
end
expect(ops == 1000000, "a million operations")
