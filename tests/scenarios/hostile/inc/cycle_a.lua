-- Half of an include cycle (hostile/include_cycle.lua).
include("cycle_b.lua")
