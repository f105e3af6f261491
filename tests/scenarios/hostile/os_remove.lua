-- expect: 2 hostile/os_remove.lua:3:
-- and: 'os.remove' is not available in a scenario
os.remove("/tmp/memstep-sandbox-victim")
