-- Input of journal_full.sh: enough steps (about 780000) that the journal
-- outgrows a 150 MB address-space limit.
machine{memory = "64M"}
for i = 1, 60000 do
	local p = alloc_pages(0)
	free_pages(p)
end
print("scenario done")
