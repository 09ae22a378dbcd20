-- A pack-local module (require "util" from the pack's rules).
local M = {}
function M.words(s)
  local n = 0
  for _ in s:gmatch("%S+") do n = n + 1 end
  return n
end
return M
