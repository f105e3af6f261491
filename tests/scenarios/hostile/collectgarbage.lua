-- expect: 2 hostile/collectgarbage.lua:4:
-- and: 'collectgarbage' is not available in a scenario (sandbox)
-- Stopping the collector would let memory grow past what the cap can see.
collectgarbage("stop")
