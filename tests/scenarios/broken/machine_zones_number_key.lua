-- expect: 2 broken/machine_zones_number_key.lua:4:
-- and: machine: unknown zone [1] in zones (zones: DMA, DMA32, Normal, HighMem, Movable)
-- Zone sizes given as a list instead of by name.
machine{memory = "64M", zones = {"16M", "48M"}}
