-- expect: 2 hostile/os_execute.lua:4:
-- and: 'os.execute' is not available in a scenario
-- os keeps only clock and time.
os.execute("touch /tmp/memstep-sandbox-escaped")
