-- expect: 2 broken/distance_asymmetric.lua:3:
-- and: distance: not symmetric: node 0 to 1 is 20, node 1 to 0 is 30
machine{nodes = 2, distance = {{10, 20}, {30, 10}}}
