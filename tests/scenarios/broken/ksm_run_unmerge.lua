-- expect: 2 broken/ksm_run_unmerge.lua:3:
-- and: ksm: run=2: the model has 0 (stop) and 1 (merge); 2 (unmerge all) is not modelled
ksm{run = 2}
