-- expect: 2 broken/oom_score_adj_range.lua:3:
-- and: process: oom_score_adj 2000 is outside -1000..1000
process{name = "p", oom_score_adj = 2000}
