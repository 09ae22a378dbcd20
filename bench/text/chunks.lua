-- Reads a file in ~1 MB pieces that end at a line end, so that lede works on article-sized
-- strings and reuses memory, as it does on real runs (one 100 MB Lua string would mostly
-- measure the first touch of fresh pages; see shared/perf/README.md).
-- usage: for piece in require("chunks")(path) do ... end
return function(path, size)
  local f = assert(io.open(path, "rb"))
  size = size or (1 << 20)
  return function()
    local block, rest = f:read(size, "L") -- the block, then the rest of its last line
    if not block then
      f:close()
      return nil
    end
    return rest and block .. rest or block
  end
end
