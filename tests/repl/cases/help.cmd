help
help break
help s
h rc
help watch
help nosuch
