-- expect: 2 hostile/inc/cycle_
-- and: include: files include each other too deeply
-- a includes b includes a …
include("inc/cycle_a.lua")
