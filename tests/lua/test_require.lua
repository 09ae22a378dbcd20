-- require finds the shipped stdlib and the script's own folder (package.path is built per script).
local ok, claims = pcall(require, "lede.claims")
assert(ok, "require 'lede.claims' failed: " .. tostring(claims))
assert(type(claims) == "table")
assert(package.path:find("stdlib/?.lua", 1, true), package.path)
assert(not package.path:find("(null)", 1, true), package.path)
print("test_require: ok")
