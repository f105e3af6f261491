-- expect: 2 broken/unknown_gfp.lua:4:
-- and: unknown gfp flags 'GFP_KERNAL'
-- and: GFP_KERNEL
alloc_pages(0, "GFP_KERNAL")
