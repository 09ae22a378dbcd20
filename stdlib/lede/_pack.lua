-- lede._pack (host-internal): loading packs. Reads and checks manifests, resolves requires,
-- loads each pack's rule files in its own sandbox environment and collects the rules for the
-- host to compile. Errors are collected, each "file:line: message", so `lede pack check`
-- reports them all at once.
local sandbox = require "lede._sandbox"
local rules = require "lede.rules"
local fs = require "lede._fs"

local M = {}

-- ---- semantic versions ---------------------------------------------------------------------
function M.parse_version(s)
  if type(s) ~= "string" then return nil end
  local a, b, c, rest = s:match("^(%d+)%.(%d+)%.(%d+)(.*)$")
  if not a or not (rest == "" or rest:match("^[-+][%w%.%-+]+$")) then return nil end
  local pre = rest:match("^%-([^+]+)")
  return { tonumber(a), tonumber(b), tonumber(c), pre = pre }
end

local function cmp(x, y)
  for i = 1, 3 do
    if x[i] ~= y[i] then return x[i] < y[i] and -1 or 1 end
  end
  if x.pre == y.pre then return 0 end
  if not x.pre then return 1 end
  if not y.pre then return -1 end
  return x.pre < y.pre and -1 or 1
end
M.compare = cmp

-- "1", "1.2", "1.2.3" -> version (missing parts 0) and how many parts were given
local function partial(s)
  local parts = {}
  for p in s:gmatch("[^.]+") do parts[#parts + 1] = p end
  if #parts == 0 or #parts > 3 then return nil end
  local v = { 0, 0, 0 }
  for i, p in ipairs(parts) do
    if not p:match("^%d+$") then
      if i == #parts and (p == "x" or p == "*") then return v, i - 1 end
      if i == 3 then local full = M.parse_version(s) if full then return full, 3 end end
      return nil
    end
    v[i] = tonumber(p)
  end
  return v, #parts
end

-- A range: space-separated comparators, all of which must hold: ">=1.2.0 <2", "^1.2", "~1.2.3",
-- "=1.2.3", "1.2.3", "1.x", "*". Returns a predicate or nil, message.
function M.parse_range(s)
  if type(s) ~= "string" then return nil, "a version range must be a string" end
  local tests = {}
  for item in s:gmatch("%S+") do
    local op, ver = item:match("^([<>=~^]*)(.*)$")
    if item == "*" then
      tests[#tests + 1] = function() return true end
    else
      local v, n = partial(ver)
      if not v or not ({ [""] = 1, ["="] = 1, [">="] = 1, ["<="] = 1, [">"] = 1, ["<"] = 1, ["^"] = 1, ["~"] = 1 })[op] then
        return nil, ("bad version range %q"):format(s)
      end
      local function bump(k) local u = { v[1], v[2], v[3] } u[k] = u[k] + 1 for i = k + 1, 3 do u[i] = 0 end return u end
      local lo, hi -- [lo, hi)
      if op == "" or op == "=" then
        if n == 3 then tests[#tests + 1] = function(x) return cmp(x, v) == 0 end
        else lo, hi = v, bump(math.max(n, 1)) end
      elseif op == "^" then
        local k = (v[1] > 0 or n == 1) and 1 or ((v[2] > 0 or n == 2) and 2 or 3)
        lo, hi = v, bump(k)
      elseif op == "~" then
        lo, hi = v, bump(n >= 2 and 2 or 1)
      else
        local o = op
        tests[#tests + 1] = function(x)
          local c = cmp(x, v)
          return (o == ">=" and c >= 0) or (o == "<=" and c <= 0) or (o == ">" and c > 0) or (o == "<" and c < 0)
        end
      end
      if lo then
        tests[#tests + 1] = function(x) return cmp(x, lo) >= 0 and cmp(x, hi) < 0 end
      end
    end
  end
  if #tests == 0 then return nil, "empty version range" end
  return function(x)
    for _, t in ipairs(tests) do if not t(x) then return false end end
    return true
  end
end

-- ---- manifests ------------------------------------------------------------------------------
local FIELDS = {
  name = "string", version = "string", description = "string", authors = "table", license = "string",
  lede = "string", requires = "table", args = "table", data = "table", rules = "table", tests = "string",
  homepage = "string", tags = "table",
}

-- The line of "key =" in the manifest source, for messages (a table constructor keeps none).
local function line_of(source, key)
  local n = 0
  key = key:gsub("%p", "%%%0") -- an unknown field may be named "(" or "%": match it literally
  for line in (source .. "\n"):gmatch("([^\n]*)\n") do
    n = n + 1
    if line:match("^%s*" .. key .. "%s*=") or line:match("[{,]%s*" .. key .. "%s*=") then return n end
  end
  return 1
end

local function read_file(path)
  local f, err = io.open(path, "rb")
  if not f then return nil, err end
  local s = f:read("a")
  f:close()
  return s
end

-- Reads DIR/pack.lua: returns the manifest (checked, defaults filled) and a list of errors.
-- pack.lua runs in an empty environment: it may `return { ... }` or assign the fields as
-- globals (name = "x"), NSE style.
function M.read_manifest(dir)
  local path = dir .. "/pack.lua"
  local errs = {}
  local function err(line, msg) errs[#errs + 1] = ("%s:%d: %s"):format(path, line, msg) end
  local src, rerr = read_file(path)
  if not src then
    errs[1] = ("%s: cannot read the manifest (%s)"):format(path, rerr or "?")
    return nil, errs
  end
  local env = {}
  local chunk, lerr = load(src, "@" .. path, "t", env)
  if not chunk then errs[1] = lerr return nil, errs end
  local ok, ret = pcall(chunk)
  if not ok then errs[1] = tostring(ret) return nil, errs end
  local m = type(ret) == "table" and ret or env
  for k, v in pairs(m) do
    if not FIELDS[k] then err(line_of(src, tostring(k)), ("unknown manifest field '%s'"):format(tostring(k)))
    elseif type(v) ~= FIELDS[k] and not (k == "authors" and type(v) == "string") then
      err(line_of(src, k), ("manifest field '%s' must be a %s"):format(k, FIELDS[k]))
    end
  end
  if type(m.name) ~= "string" or not m.name:match("^[%l][%l%d_%-]*$") then
    err(line_of(src, "name"), "name must be lower-case letters, digits, '_' or '-', starting with a letter")
  end
  if not M.parse_version(m.version) then err(line_of(src, "version"), "version must be a semantic version (1.2.3)") end
  if type(m.description) ~= "string" then err(line_of(src, "description"), "missing description") end
  if type(m.authors) == "string" then m.authors = { m.authors } end
  m.authors = m.authors or {}
  m.lede = m.lede or "*"
  local inrange, rmsg = M.parse_range(m.lede)
  if not inrange then err(line_of(src, "lede"), rmsg)
  else
    local lede = require "lede"
    if not inrange(M.parse_version(lede.version)) then
      err(line_of(src, "lede"), ("needs lede %s; this is lede %s"):format(m.lede, lede.version))
    end
  end
  m.requires = type(m.requires) == "table" and m.requires or {}
  for name, range in pairs(m.requires) do
    if type(name) ~= "string" or not M.parse_range(range) then
      err(line_of(src, "requires"), ("requires: %s = %q is not NAME = \"version range\""):format(tostring(name), tostring(range)))
    end
  end
  m.args = type(m.args) == "table" and m.args or {}
  for name, a in pairs(m.args) do
    if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") or type(a) ~= "table"
        or type(a.description) ~= "string" then
      err(line_of(src, "args"), ("args: %s must be NAME = { default = ..., description = \"...\" }"):format(tostring(name)))
    end
  end
  m.data = type(m.data) == "table" and m.data or {}
  for _, f in ipairs(m.data) do
    local rel = sandbox.safe_relative(f)
    if not rel then err(line_of(src, "data"), ("data: %q must be a relative path inside the pack"):format(tostring(f)))
    elseif not sandbox.file_exists(dir .. "/" .. rel) then err(line_of(src, "data"), ("data: %s does not exist"):format(rel)) end
  end
  if type(m.rules) ~= "table" or #m.rules == 0 then
    err(line_of(src, "rules"), "rules must list the pack's rule files (rules/*.lua)")
    m.rules = {}
  end
  for _, f in ipairs(m.rules) do
    local rel = sandbox.safe_relative(f)
    if not rel or rel:sub(1, 6) ~= "rules/" then err(line_of(src, "rules"), ("rules: %q must be a file under rules/"):format(tostring(f)))
    elseif not sandbox.file_exists(dir .. "/" .. rel) then err(line_of(src, "rules"), ("rules: %s does not exist"):format(rel)) end
  end
  m.tests = m.tests or "tests"
  -- name and version may be any value here (their errors are already listed)
  m.id = (type(m.name) == "string" and m.name or "?") .. "@" .. (type(m.version) == "string" and m.version or "?")
  m.dir = dir
  m.source = src
  return m, errs
end

-- ---- requires -------------------------------------------------------------------------------
-- Candidate directories for pack `name`: DIR/../name (a sibling checkout) and every version
-- installed under PACK_PATH/name/.
local function candidates(name, from_dir, pack_path)
  local out = {}
  local parent = from_dir:match("^(.*)/[^/]+$") or "."
  if fs.isfile(parent .. "/" .. name .. "/pack.lua") then out[#out + 1] = parent .. "/" .. name end
  if pack_path and fs.isdir(pack_path .. "/" .. name) then
    for _, v in ipairs(fs.list(pack_path .. "/" .. name)) do
      if fs.isfile(pack_path .. "/" .. name .. "/" .. v .. "/pack.lua") then
        out[#out + 1] = pack_path .. "/" .. name .. "/" .. v
      end
    end
  end
  return out
end

local sandbox_pack_api -- below

-- ---- loading ----------------------------------------------------------------------------------
local function arg_value(spec, s)
  local d = spec.default
  if type(d) == "number" then return tonumber(s) end
  if type(d) == "boolean" then
    if s == "true" or s == "1" or s == "yes" then return true end
    if s == "false" or s == "0" or s == "no" then return false end
    return nil
  end
  return s
end

-- opts: { args = {"k=v", "pack.k=v"}, pack_path = dir, with_units = bool }
-- Returns { packs = {manifest...}, rules = {rule...} } and a list of errors.
function M.load(dir, opts)
  opts = opts or {}
  local errs, packs, by_name, ids, all_rules = {}, {}, {}, {}, {}
  local function add(e) errs[#errs + 1] = e end
  local top_name

  local resets = {} -- per pack: puts its globals back after each article (M.load's reset)

  local function load_rules(m, env_rules)
    local env
    local function register(r, level)
      local info = debug.getinfo(level, "Sl")
      local where = info and info.short_src and (info.short_src .. ":" .. (info.currentline or 0)) or m.dir
      local ok, rerrs = rules.check(r)
      if not ok then
        for _, e in ipairs(rerrs) do add(where .. ": " .. e) end
        return r
      end
      if ids[r.id] then
        add(("%s: duplicate rule id '%s' (first declared at %s)"):format(where, r.id, ids[r.id]))
        return r
      end
      ids[r.id] = where
      r.pack, r.where, r.dir = m.id, where, m.dir
      env_rules[#env_rules + 1] = r
      return r
    end
    local globals = {
      rule = function(r)
        local reg = register(r, 3) -- not a tail call: level 3 must stay the rule file
        return reg
      end,
      re = rules.re, phrases = rules.phrases, tokens = rules.tokens, all = rules.all,
      any = rules.any, none = rules.none, near = rules.near,
      args = m.arg_values,
      pack = sandbox_pack_api(m),
    }
    env = sandbox.new_env{ name = m.id, dir = m.dir, globals = globals, what = "pack " .. m.id }
    resets[#resets + 1] = function() sandbox.restore(env) end
    for _, f in ipairs(m.rules) do
      local chunk, lerr = sandbox.loadfile(m.dir .. "/" .. f, env)
      if not chunk then add(lerr)
      else
        local ok, ret = pcall(chunk)
        if not ok then add(tostring(ret))
        elseif type(ret) == "table" then
          -- a rule file may also return its rules: rule{} results are registered once
          for _, r in ipairs(ret) do
            local seen = false
            for _, x in ipairs(env_rules) do if x == r then seen = true break end end
            if not seen and type(r) == "table" then register(r, 1) end
          end
        end
      end
    end
    -- what the rule files' top level built is the pack's state for every article (its
    -- "on_start"); globals assigned later are per article
    sandbox.snapshot(env)
  end

  local function set_args(m)
    local vals = {}
    for k, spec in pairs(m.args) do if type(spec) == "table" then vals[k] = spec.default end end
    for _, kv in ipairs(opts.args or {}) do
      local key, value = kv:match("^([^=]+)=(.*)$")
      local pname, aname = (key or ""):match("^([^.]+)%.(.+)$")
      if not pname and m.name == top_name then aname = key end
      if (pname == m.name or (not pname and m.name == top_name)) and aname then
        local spec = m.args[aname]
        if type(spec) ~= "table" then
          local known = {}
          for k in pairs(m.args) do known[#known + 1] = k end
          table.sort(known)
          add(("--arg %s: pack %s has no argument '%s' (it declares: %s)"):format(kv, m.name, aname,
            #known > 0 and table.concat(known, ", ") or "none"))
        else
          local v = arg_value(spec, value)
          if v == nil then add(("--arg %s: '%s' expects a %s"):format(kv, aname, type(spec.default)))
          else vals[aname] = v end
        end
      end
    end
    m.arg_values = vals
  end

  local function load_pack(d, depth, wanted_by)
    if depth > 16 then add(d .. ": requires nest too deeply (a cycle?)") return end
    local m, merrs = M.read_manifest(d)
    for _, e in ipairs(merrs) do add(e) end
    if not m then return end -- with other manifest errors, go on: check reports everything
    top_name = top_name or m.name
    if by_name[m.name] then
      if by_name[m.name].version ~= m.version then
        add(("%s/pack.lua:1: pack %s is required at versions %s and %s"):format(d, m.name, by_name[m.name].version, m.version))
      end
      return
    end
    by_name[m.name] = m
    local names = {}
    for name in pairs(m.requires) do names[#names + 1] = name end
    table.sort(names)
    for _, name in ipairs(names) do
      local ok_range = M.parse_range(m.requires[name])
      local best, bestv
      for _, cd in ipairs(candidates(name, d, opts.pack_path)) do
        local cm = M.read_manifest(cd)
        local v = cm and M.parse_version(cm.version)
        if cm and cm.name == name and v and ok_range and ok_range(v) and (not bestv or cmp(v, bestv) > 0) then
          best, bestv = cd, v
        end
      end
      if best then load_pack(best, depth + 1, m)
      else
        add(("%s/pack.lua:%d: requires %s %s, which is neither installed nor beside the pack")
          :format(d, line_of(m.source, "requires"), name, m.requires[name]))
      end
    end
    set_args(m)
    local env_rules = {}
    load_rules(m, env_rules)
    for _, r in ipairs(env_rules) do all_rules[#all_rules + 1] = r end
    packs[#packs + 1] = m
    -- resolve phrase files against the pack that declares them
    for _, r in ipairs(env_rules) do M.resolve_files(r.match, m, r.where, add) end
  end

  load_pack(dir, 0, nil)
  for _, m in ipairs(packs) do m.source = nil end
  local function reset() for _, f in ipairs(resets) do f() end end
  return { packs = packs, rules = all_rules, reset = reset }, errs
end

-- phrases "data/x.txt" -> an absolute path inside the pack (and declared in data).
function M.resolve_files(node, m, where, add)
  if type(node) ~= "table" then return end
  if node.op == "phrases" and node.file and not node.path then
    local rel = sandbox.safe_relative(node.file)
    local declared = false
    for _, f in ipairs(m.data) do if f == rel then declared = true end end
    if not rel or not declared then
      add(("%s: phrases %q: not a data file declared in pack.lua"):format(where, tostring(node.file)))
    else
      node.path = m.dir .. "/" .. rel
    end
  end
  for i = 1, #node do M.resolve_files(node[i], m, where, add) end
end

-- pack.* inside a pack: its name, version, args, and read access to its declared data files.
sandbox_pack_api = function(m)
  local declared = {}
  for _, f in ipairs(m.data) do declared[f] = true end
  local function read(name)
    local rel = sandbox.safe_relative(name)
    if not rel or not declared[rel] then
      error(("pack.data: %q is not a data file declared in pack.lua"):format(tostring(name)), 3)
    end
    local s, e = read_file(m.dir .. "/" .. rel)
    if not s then error("pack.data: " .. tostring(e), 3) end
    return s
  end
  local api = {
    name = m.name, version = m.version, id = m.id,
    data = function(name) return read(name) end,
    lines = function(name)
      local out = {}
      for line in (read(name) .. "\n"):gmatch("([^\n]*)\n") do
        line = line:gsub("\r$", "")
        if line ~= "" and line:sub(1, 1) ~= "#" then out[#out + 1] = line end
      end
      return out
    end,
  }
  return setmetatable({}, { __index = api, __newindex = function() error("pack is read-only", 2) end,
                            __metatable = "read-only" })
end

return M
