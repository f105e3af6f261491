-- expect: 2 broken/compact_empty_zone.lua:4:
-- and: compact: zone Normal is empty: there is nothing to compact
machine{memory = "256K", min_free_kbytes = 0}
compact("Normal")
