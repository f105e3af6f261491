-- expect: 2 hostile/string_dump.lua:4:
-- and: 'string.dump' is not available in a scenario (sandbox)
-- Binary chunks can be crafted to break the VM: no way to make one.
local chunk = string.dump(function() return 1 end)
load(chunk)()
