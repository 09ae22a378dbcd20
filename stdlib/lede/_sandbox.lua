-- lede._sandbox (host-internal, not requirable from packs): the environment untrusted code
-- runs in (docs/packs.md, "Sandbox"). This module itself runs trusted, with the full standard
-- library; what it hands out is an allow-list:
--   * base functions without dofile/loadfile; load only in text mode, defaulting to the
--     caller's environment; collectgarbage("count") only; print goes to stderr;
--   * read-only copies of string (no dump), table, math, utf8, coroutine and os.time/date/clock;
--   * getmetatable/setmetatable that only see and change metatables the code set itself, so the
--     metatables of the article, of rule nodes and of these read-only tables stay out of reach
--     (and getmetatable("") is false for everyone: the state locks the string metatable); a
--     metatable with a __gc field is refused, since a finalizer runs during a later collection or
--     at the end, outside any call and its limits (the state's own setmetatable refuses it too);
--     and so is a weak-keyed (ephemeron) __mode, which the collector settles in quadratic time;
--   * require for the pack's own modules and lede's stdlib (read-only views, one set per
--     environment, so one pack cannot change what another sees).
-- Each environment is a fresh table whose metatable is locked (setmetatable(_G, nil) fails).
local M = {}

local real_getmetatable, real_setmetatable = getmetatable, setmetatable
local real_require, real_load, real_loadfile = require, load, loadfile
local pairs, next, type, error, tostring, rawget = pairs, next, type, error, tostring, rawget

-- Metatables installed by sandboxed code itself: the only ones it may see or replace.
local owned = real_setmetatable({}, { __mode = "k" })

local function readonly_error(name)
  return function(_, k) error(("%s is read-only (cannot set '%s')"):format(name, tostring(k)), 2) end
end

-- A read-only view of a table of plain values: a private copy behind a proxy.
local function ro_copy(t, name, drop)
  local copy = {}
  for k, v in pairs(t) do if not (drop and drop[k]) then copy[k] = v end end
  return real_setmetatable({}, {
    __index = copy, __newindex = readonly_error(name), __len = function() return #copy end,
    __pairs = function() return next, copy, nil end, __metatable = "read-only",
  })
end

-- A lazy, deep read-only view (for module tables that hold tables). cache: per environment.
local function ro_deep(t, name, cache, wrap)
  local p = cache[t]
  if p then return p end
  local function view(k, v)
    if wrap and wrap[k] then return wrap[k] end
    if type(v) == "table" then return ro_deep(v, name .. "." .. tostring(k), cache, nil) end
    return v
  end
  p = real_setmetatable({}, {
    __index = function(_, k) return view(k, t[k]) end,
    __newindex = readonly_error(name),
    __len = function() return #t end,
    __pairs = function()
      return function(_, k)
        local nk, nv = next(t, k)
        if nk == nil then return nil end
        return nk, view(nk, nv)
      end, nil, nil
    end,
    __metatable = "read-only",
  })
  cache[t] = p
  return p
end

local function s_getmetatable(v)
  if type(v) ~= "table" then return nil end
  local mt = real_getmetatable(v)
  if type(mt) == "table" and not owned[mt] then return nil end
  return mt
end

local function s_setmetatable(t, mt)
  if type(t) ~= "table" then error("setmetatable: expected a table", 2) end
  local cur = real_getmetatable(t)
  if cur ~= nil and not (type(cur) == "table" and owned[cur]) then
    error("cannot change a protected metatable", 2)
  end
  if mt ~= nil then
    if type(mt) ~= "table" then error("setmetatable: metatable must be a table or nil", 2) end
    -- Lua marks t for finalization here if mt has __gc, whatever __gc holds later (false now, a
    -- loop once the table is marked), and never otherwise: so any __gc is refused, raw, as Lua looks
    if rawget(mt, "__gc") ~= nil then
      error("__gc metamethods are not allowed in packs (they would run outside the rule's instruction budget)", 2)
    end
    -- the state's setmetatable refuses ephemerons too (and says why); here, to point at the line
    local mode = rawget(mt, "__mode")
    if type(mode) == "string" and mode:find("k", 1, true) and not mode:find("v", 1, true) then
      error("weak-keyed tables (__mode \"k\") are not allowed in packs (the collector settles their chains in quadratic time, outside the rule's limits)", 2)
    end
    owned[mt] = true
  end
  return real_setmetatable(t, mt)
end

local function s_collectgarbage(opt, ...)
  if opt == "count" then return collectgarbage("count") end
  error(("collectgarbage(%q) is not available in the sandbox (only \"count\")"):format(tostring(opt or "collect")), 2)
end

local VALID_MODULE = "^[%a_][%w_]*$"
local function valid_module(name)
  if type(name) ~= "string" then return false end
  for part in (name .. "."):gmatch("([^.]*)%.") do
    if not part:match(VALID_MODULE) then return false end
  end
  return true
end

-- A pack-relative path that stays inside the pack: no absolute paths, no "..".
function M.safe_relative(rel)
  if type(rel) ~= "string" or rel == "" or rel:sub(1, 1) == "/" or rel:find("\\", 1, true) then return nil end
  for part in (rel .. "/"):gmatch("([^/]*)/") do
    if part == ".." or part == "" or not part:match("^[%w_%.%-]+$") then return nil end
  end
  return rel
end

local function file_exists(path)
  local f = io.open(path, "r")
  if f then f:close() return true end
  return false
end

-- Wraps lede module functions that would reach files: a sandboxed pack reads only its own
-- declared data, through pack.data/pack.lines or a phrases file resolved here.
local function lede_wraps(opts)
  local lede = real_require "lede"
  local w = {}
  local deny = function(what)
    return function() error(what .. " is not available in the sandbox (no file access)", 2) end
  end
  w.article = ro_copy(lede.article or {}, "lede.article", nil)
  if lede.article and lede.article.read and not opts.grants_io then
    local art = {}
    for k, v in pairs(lede.article) do art[k] = v end
    art.read = deny("lede.article.read")
    w.article = ro_copy(art, "lede.article")
  end
  if lede.phrases and not opts.grants_io then
    local ph = {}
    for k, v in pairs(lede.phrases) do ph[k] = v end
    local compile = lede.phrases.compile
    if compile then
      ph.compile = function(src, ...)
        if type(src) == "string" then
          local rel = M.safe_relative(src)
          if not (rel and opts.dir) then
            error("lede.phrases.compile: a file must be a data file inside the pack", 2)
          end
          src = opts.dir .. "/" .. rel
        end
        return compile(src, ...)
      end
    end
    ph.load = ph.load and deny("lede.phrases.load")
    w.phrases = ro_copy(ph, "lede.phrases")
  end
  return w
end

-- Stdlib modules written in Lua are loaded afresh for every environment: a module may cache
-- objects its functions hand out (lede.actors.default()'s gazetteer), and a shared instance
-- would let one pack change what another reads. lede.rules stays shared: the loader checks
-- rule nodes by their metatable, and it keeps no state. The C module `lede` has no Lua state.
local SHARED_MODULES = { ["lede"] = true, ["lede.rules"] = true }

local function stdlib_instance(name)
  if SHARED_MODULES[name] then return real_require(name) end
  local path = package.searchpath(name, package.path)
  if not path then return real_require(name) end -- a C submodule, or a precise "not found"
  local chunk, err = real_loadfile(path, "t")
  if not chunk then error(err, 0) end
  local mod = chunk(name, path)
  if mod == nil then mod = true end
  return mod
end

local function make_require(env, opts, loaded, cache)
  return function(name)
    if not valid_module(name) then error(("require: bad module name %q"):format(tostring(name)), 2) end
    local v = loaded[name]
    if v ~= nil then return v end
    if name == "lede" or name:sub(1, 5) == "lede." then
      if name:sub(1, 6) == "lede._" then error(("require: '%s' is internal to lede"):format(name), 2) end
      local ok, mod = pcall(stdlib_instance, name)
      if not ok then error(mod, 2) end
      if type(mod) == "table" then
        mod = ro_deep(mod, name, cache, name == "lede" and lede_wraps(opts) or nil)
      end
      loaded[name] = mod
      return mod
    end
    if opts.dir then
      local rel = name:gsub("%.", "/")
      for _, dir in ipairs{ opts.dir, opts.dir .. "/lib" } do
        local path = dir .. "/" .. rel .. ".lua"
        if file_exists(path) then
          local chunk, err = real_loadfile(path, "t", env)
          if not chunk then error(err, 2) end
          loaded[name] = false -- a cycle sees false instead of recursing forever
          local r = chunk(name, path)
          if r == nil then r = true end
          loaded[name] = r
          return r
        end
      end
    end
    if opts.grants_io then
      local ok, mod = pcall(real_require, name)
      if ok then loaded[name] = mod return mod end
      error(mod, 2)
    end
    error(("require: module '%s' not found (%s may require its own modules and lede's stdlib)")
      :format(name, opts.what or "a pack"), 2)
  end
end

local BASE = { "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
               "rawset", "select", "tonumber", "tostring", "type", "xpcall", "_VERSION" }

-- new_env{ name=, dir=, grants_io=, what=, globals={...} } -> a fresh environment table.
function M.new_env(opts)
  local env, loaded, cache = {}, {}, {}
  for _, k in ipairs(BASE) do env[k] = _G[k] end
  env.getmetatable, env.setmetatable = s_getmetatable, s_setmetatable
  env.collectgarbage = s_collectgarbage
  env.load = function(chunk, name, mode, e)
    if mode ~= nil and mode ~= "t" then
      error("load: only text chunks may be loaded in the sandbox (mode \"t\")", 2)
    end
    if e == nil then e = env end
    return real_load(chunk, name, "t", e)
  end
  local label = opts.name or "sandbox"
  env.print = function(...)
    local t = table.pack(...)
    for i = 1, t.n do t[i] = tostring(t[i]) end
    io.stderr:write("[", label, "] ", table.concat(t, "\t", 1, t.n), "\n")
  end
  env.string = ro_copy(string, "string", { dump = true })
  env.table = ro_copy(table, "table")
  env.math = ro_copy(math, "math")
  env.utf8 = ro_copy(utf8, "utf8")
  env.coroutine = ro_copy(coroutine, "coroutine")
  env.os = ro_copy({ time = os.time, date = os.date, clock = os.clock }, "os")
  env.require = make_require(env, opts, loaded, cache)
  if opts.grants_io then
    -- the script's own trust: io, all of os, and package, so that package.path reaches
    -- modules outside the script's folder (require falls back to the real one below)
    env.io, env.os, env.package = io, os, package
    env.loadfile = function(path, mode, e) return real_loadfile(path, "t", e == nil and env or e) end
    env.dofile = function(path)
      local f, err = real_loadfile(path, "t", env)
      if not f then error(err, 2) end
      return f()
    end
  end
  env.lede = env.require("lede")
  for k, v in pairs(opts.globals or {}) do env[k] = v end
  env._G = env
  return real_setmetatable(env, { __metatable = "the global environment of a sandbox is locked" })
end

-- Per-article globals. snapshot(env) records an environment's globals as loading left them;
-- restore(env) removes globals added since and puts back any that were reassigned, so a value a
-- pack assigns to a global while handling one article is gone for the next. Tables built at
-- load time are the same tables afterwards (their contents are not copied): that is the
-- state a pack keeps on purpose (docs/packs.md, "State").
local snapshots = real_setmetatable({}, { __mode = "k" })

function M.snapshot(env)
  local saved = {}
  for k, v in next, env do saved[k] = v end
  snapshots[env] = saved
end

function M.restore(env)
  local saved = snapshots[env]
  if not saved then return end
  for k in next, env do
    if saved[k] == nil then rawset(env, k, nil) end -- clearing a field during next() is allowed
  end
  for k, v in next, saved do
    if rawget(env, k) ~= v then rawset(env, k, v) end
  end
end

-- Loads a Lua file as text into env: the chunk, or nil and "file:line: message".
function M.loadfile(path, env) return real_loadfile(path, "t", env) end

M.safe_relative = M.safe_relative
M.file_exists = file_exists
return M
