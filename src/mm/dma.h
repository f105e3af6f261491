/* Device memory: coherent DMA buffers and ioremap (dma.c). */
#ifndef MM_DMA_H
#define MM_DMA_H

#include <stdint.h>

#include "machine.h"

struct dma_buf {
	uint32_t pfn;
	unsigned order;
	uint64_t dma_handle; /* the bus address the device uses: the physical one */
};

/* MM_OK with *out; MM_NOMEM with m->reason; MM_EINVAL with m->error. */
int dma_alloc_coherent(struct machine *m, uint64_t size, uint64_t mask, struct dma_buf *out);
int dma_free_coherent(struct machine *m, uint32_t pfn, uint64_t size);
/* MM_OK with *addr (the virtual address of phys); errors as above. */
int ioremap(struct machine *m, uint64_t phys, uint64_t size, uint64_t *addr);
int iounmap(struct machine *m, uint64_t addr);

#endif
