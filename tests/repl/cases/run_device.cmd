run /dev/zero
info where
alloc_pages(0).pfn
