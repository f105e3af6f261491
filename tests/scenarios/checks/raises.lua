-- Helpers for the self-checking scenarios, shared through include().

-- The error a call raises, or nil when it succeeds.
function error_of(f)
	local ok, err = pcall(f)
	return not ok and tostring(err) or nil
end

-- For expect(): whether f raises an error holding phrase, and what it did.
function raises(f, phrase)
	local err = error_of(f)
	return err ~= nil and err:find(phrase, 1, true) ~= nil,
		"wanted an error with '" .. phrase .. "', got " .. tostring(err)
end
