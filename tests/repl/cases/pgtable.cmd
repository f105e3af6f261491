c
info pgtable
info pgtable 2
info pgtable 7
i pgtable x
