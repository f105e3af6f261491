-- expect: 2 broken/migrate_free.lua:4:
-- and: migrate: frame 0x3f cannot move: it is free: there is nothing to move
machine{memory = "256K", min_free_kbytes = 0}
migrate(63, 0)
