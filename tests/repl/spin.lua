-- spin.lua: Lua that never reaches its first step (interrupt.py).
machine{memory="1M", page_size="64K", max_order=5}
while true do end
