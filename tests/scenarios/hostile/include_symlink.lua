-- expect: 2 hostile/include_symlink.lua:4:
-- and: include: hostile/inc/zero.lua is outside the scenario's folder
-- A link under the folder that points out of it (to /dev/zero).
include("inc/zero.lua")
