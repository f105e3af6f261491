-- expect: 2 broken/unknown_zone.lua:5:
-- and: unknown zone 'HighMem'
-- and: x86_64 has: DMA, DMA32, Normal, Movable
machine{arch = "x86_64"}
print(zone("HighMem").free)
