-- expect: 2 broken/dma_size_zero.lua:3:
-- and: dma_alloc_coherent: a size of 0
dma_alloc_coherent{size = 0, mask = 0xffffffff}
