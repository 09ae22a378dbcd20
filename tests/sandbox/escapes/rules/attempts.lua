-- Each rule tries one way out of the sandbox in its extract function.
local function attempt(id, fn)
  rule{ id = id, scope = "article", match = re[[\w]], extract = fn }
end

attempt("io-open", function() return { got = io.open("/etc/passwd"):read("a") } end)
attempt("os-execute", function() return { got = os.execute("touch /tmp/lede-escaped") } end)
attempt("os-getenv", function() return { got = os.getenv("HOME") } end)
attempt("os-remove", function() return { got = os.remove("/tmp/lede-escaped") } end)
attempt("require-io", function() return { got = require("io").open("/etc/passwd") } end)
attempt("require-internal", function() return { got = require("lede._fs").list("/") } end)
attempt("require-path", function() return { got = require("..etc.passwd") } end)
attempt("package-loadlib", function() return { got = package.loadlib("libc.so.6", "system") } end)
attempt("debug-lib", function() return { got = debug.getregistry() } end)
attempt("dofile", function() return { got = dofile("/etc/passwd") } end)
attempt("loadfile", function() return { got = loadfile("/etc/passwd") } end)
attempt("string-dump", function() return { got = string.dump(function() end) } end)
attempt("load-binary", function()
  local f, err = load("\27Lua\84\0\25\147\13\10\26\10\4\8\8", "x", "b")
  if not f then error(err) end
  return { got = f() }
end)
attempt("load-binary-default", function()
  local f, err = load("\27Lua\84\0\25\147\13\10\26\10\4\8\8")
  if not f then error(err) end
  return { got = f() }
end)
attempt("load-escapes-env", function()
  -- a loaded chunk gets the pack's environment, not the host's globals
  return { got = load("return io.open('/etc/passwd')")() }
end)
attempt("setmetatable-G", function() setmetatable(_G, nil) return { got = true } end)
attempt("string-metatable", function()
  getmetatable("").__index.upper = function() return "pwned" end
  return { got = true }
end)
attempt("string-readonly", function() string.upper = function() return "pwned" end return { got = true } end)
attempt("stdlib-rawset", function()
  -- allowed, but only this pack's private view changes (the victim pack checks its own)
  rawset(string, "upper", function() return "pwned" end)
  rawset(table, "insert", nil)
  error("rawset went through on this pack's own copy (expected)")
end)
attempt("lede-module", function() lede.re = nil return { got = true } end)
attempt("article-metatable", function(m, a) setmetatable(a, nil) return { got = true } end)
attempt("article-read", function() return { got = lede.article.read("/etc/passwd") } end)
attempt("pack-data", function() return { got = pack.data("../../../etc/passwd") } end)
attempt("collectgarbage-stop", function() collectgarbage("stop") return { got = true } end)
attempt("rule-node-metatable", function() getmetatable(re"x").__index.as = nil return { got = true } end)
