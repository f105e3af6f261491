-- expect: 2 broken/distance_not_positive.lua:3:
-- and: machine: distance[1][2] must be a positive whole number up to 255
machine{nodes = 2, distance = {{10, -20}, {20, 10}}}
