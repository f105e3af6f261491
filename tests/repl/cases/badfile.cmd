step
