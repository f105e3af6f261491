-- expect: 2 hostile/include_dev_zero.lua:4:
-- and: include: /dev/zero is outside the scenario's folder
-- Reading /dev/zero would take all the host's memory.
include("/dev/zero")
