play 1000
play 1000
play 1000
