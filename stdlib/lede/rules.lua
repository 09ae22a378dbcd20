-- lede.rules: rules as data (docs/packs.md). Constructors build plain tables describing what a
-- rule matches; the host compiles every pattern of a pack once and runs each scope in one pass
-- over the article, then calls the rule's extract(m, a) for each unit the rule matched.
--
--   rule{ id = "impose", scope = "sentence",
--         match = all{ verb = tokens{"impose|imposed|imposes|imposing|slap*", {0, 3}, "sanction*"},
--                      target = phrases "data/countries.txt",
--                      none{ re[[\bno\s+sanctions\b]] } },
--         extract = function(m, a) return { sentence = m.text, target = m.hit("target").label } end }
local M = {}

local NODE_MT = { __metatable = "lede.rules node" }
NODE_MT.__index = {
  -- node:as(name): the same node whose hits are reported under `name` in m.hits / m.hit(name)
  as = function(self, name)
    local c = {}
    for k, v in pairs(self) do c[k] = v end
    c.name = name
    return setmetatable(c, NODE_MT)
  end,
}

local function node(t) return setmetatable(t, NODE_MT) end

M.SCOPES = { article = true, paragraph = true, sentence = true }
M.FIELDS = { text = true, title = true, description = true, captions = true, related = true }
M.OPS = { re = true, phrases = true, all = true, any = true, none = true, near = true }

-- re(pattern [, flags]): a PCRE2 pattern (flags as in lede.re.compile: "imsxUabA").
function M.re(pattern, flags)
  if type(pattern) ~= "string" then error("re: pattern must be a string", 2) end
  if flags ~= nil and type(flags) ~= "string" then error("re: flags must be a string", 2) end
  return node{ op = "re", pattern = pattern, flags = flags or "" }
end

-- phrases(file | list): a phrase list found on word boundaries, folded (case, diacritics).
-- file: a path inside the pack ("data/countries.txt", lines "phrase<TAB>label<TAB>alias..."),
-- list: { "impose", {"slap", "impose"}, ... } ({phrase, label}).
function M.phrases(src)
  if type(src) == "string" then return node{ op = "phrases", file = src } end
  if type(src) ~= "table" or #src == 0 then
    error("phrases: expected a data file name or a non-empty list of phrases", 2)
  end
  local list = {}
  for i, e in ipairs(src) do
    if type(e) == "string" then
      list[i] = { e }
    elseif type(e) == "table" and type(e[1]) == "string" and (e[2] == nil or type(e[2]) == "string") then
      list[i] = { e[1], e[2] }
    else
      error(("phrases: entry %d must be a string or {phrase, label}"):format(i), 2)
    end
  end
  return node{ op = "phrases", list = list }
end

local function escape(s) return (s:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?%{%}|\\/]", "\\%0")) end

local WORD = [[[\w'’\-]*]]
-- One token alternative: "sanction*" is a prefix, anything else a whole word.
local function alt_regex(a)
  if a == "" then error("tokens: empty alternative", 3) end
  if a:sub(-1) == "*" then return escape(a:sub(1, -2)) .. WORD end
  return escape(a)
end

-- tokens{ elem, ... }: a sequence of words. elem: "a|b|c" (any of these words; "sanction*"
-- matches a prefix), "_" (any one word), or {min, max} (that many arbitrary words). Case-
-- insensitive, on word boundaries; compiled to one regex.
function M.tokens(seq)
  if type(seq) ~= "table" or #seq == 0 then error("tokens: expected a non-empty list", 2) end
  local parts, need_sep = {}, false
  for i, e in ipairs(seq) do
    local piece
    if type(e) == "table" then
      local lo, hi = e[1], e[2] or e[1]
      if math.type(lo) ~= "integer" or math.type(hi) ~= "integer" or lo < 0 or hi < lo or hi > 50 then
        error(("tokens: element %d: a gap is {min, max} with 0 <= min <= max <= 50"):format(i), 2)
      end
      parts[#parts + 1] = ([[(?:\W+\w%s){%d,%d}]]):format(WORD, lo, hi)
    else
      if type(e) ~= "string" or e == "" then error(("tokens: element %d must be a string or {min, max}"):format(i), 2) end
      if e == "_" then
        piece = [[\w]] .. WORD
      else
        local alts = {}
        for a in (e .. "|"):gmatch("([^|]*)|") do alts[#alts + 1] = alt_regex(a) end
        piece = "(?:" .. table.concat(alts, "|") .. ")"
      end
      parts[#parts + 1] = (need_sep and [[\W+]] or "") .. piece
      need_sep = true
    end
  end
  if type(seq[1]) == "table" or type(seq[#seq]) == "table" then
    error("tokens: a gap {min, max} must stand between two words", 2)
  end
  local pat = [[\b]] .. table.concat(parts) .. [[(?!\w)]]
  return node{ op = "re", pattern = pat, flags = "i", tokens = seq }
end

local function combine(op, t, where)
  if type(t) ~= "table" then error(op .. ": expected a table of matches", 3) end
  local n = node{ op = op }
  for i, c in ipairs(t) do n[i] = c end
  local names = {}
  for k in pairs(t) do if type(k) == "string" then names[#names + 1] = k end end
  table.sort(names) -- a stable order for named children
  for _, k in ipairs(names) do
    local c = t[k]
    if type(c) == "string" then c = M.re(c) end
    if type(c) ~= "table" then error(op .. ": " .. k .. " must be a match", 3) end
    n[#n + 1] = M.as(c, k)
  end
  if #n == 0 then error(op .. ": needs at least one match", 3) end
  return n
end

function M.as(n, name)
  local c = {}
  for k, v in pairs(n) do c[k] = v end
  c.name = name
  return node(c)
end

-- all{...}: every child matches in the unit; any{...}: at least one; none{...}: none does.
-- Named children (all{ verb = ..., target = ... }) report their hits under that name.
function M.all(t) return combine("all", t) end
function M.any(t) return combine("any", t) end
function M.none(t) return combine("none", t) end

-- near(a, b [, n]): a and b (each re/phrases/tokens) both hit the unit with at most n words
-- between them (default 5), in either order.
function M.near(a, b, n)
  n = n or 5
  if math.type(n) ~= "integer" or n < 0 then error("near: distance must be a non-negative integer", 2) end
  return node{ op = "near", a, b, n = n }
end

local RULE_FIELDS = { id = true, description = true, tags = true, scope = true, match = true,
                      extract = true, fields = true }

-- Checks a match tree; returns the normalised tree or nil, message.
local function check_match(m, path)
  if type(m) == "string" then return M.re(m) end
  if type(m) ~= "table" or not M.OPS[m.op] then
    return nil, path .. ": expected re(), phrases(), tokens(), all{}, any{}, none{} or near() (or a regex string)"
  end
  if m.name ~= nil and (type(m.name) ~= "string" or not m.name:match("^[%a_][%w_]*$")) then
    return nil, path .. ": a match name must be an identifier"
  end
  if m.op == "re" then
    if type(m.pattern) ~= "string" then return nil, path .. ": re without a pattern" end
    return m
  elseif m.op == "phrases" then
    if type(m.file) ~= "string" and type(m.list) ~= "table" then return nil, path .. ": phrases without a list" end
    return m
  elseif m.op == "near" then
    for i = 1, 2 do
      if type(m[i]) == "string" then m[i] = M.re(m[i]) end
      if type(m[i]) ~= "table" or (m[i].op ~= "re" and m[i].op ~= "phrases") then
        return nil, path .. ": near() takes two re(), phrases() or tokens() matches"
      end
    end
    return m
  end
  for i = 1, #m do
    local c, err = check_match(m[i], path .. "." .. m.op .. "[" .. i .. "]")
    if not c then return nil, err end
    m[i] = c
  end
  if #m == 0 then return nil, path .. ": " .. m.op .. "{} is empty" end
  return m
end

-- Validates a rule declaration. Returns the rule (match normalised) or nil and a list of
-- messages (without file:line; the pack loader adds where the rule was declared).
function M.check(r)
  local errs = {}
  if type(r) ~= "table" then return nil, { "rule{} takes a table" } end
  for k in pairs(r) do
    if not RULE_FIELDS[k] then errs[#errs + 1] = ("rule: unknown field '%s'"):format(tostring(k)) end
  end
  if type(r.id) ~= "string" or not r.id:match("^[%a_][%w_%.%-]*$") then
    errs[#errs + 1] = "rule: id must be a string of letters, digits, '_', '.', '-'"
  end
  if r.description ~= nil and type(r.description) ~= "string" then errs[#errs + 1] = "rule: description must be a string" end
  if r.tags ~= nil and type(r.tags) ~= "table" then errs[#errs + 1] = "rule: tags must be a list of strings" end
  r.scope = r.scope or "sentence"
  if not M.SCOPES[r.scope] then
    errs[#errs + 1] = ("rule: scope must be \"article\", \"paragraph\" or \"sentence\", not %q"):format(tostring(r.scope))
  end
  r.fields = r.fields or { "text" }
  if type(r.fields) ~= "table" then errs[#errs + 1] = "rule: fields must be a list"
  else
    for _, f in ipairs(r.fields) do
      if not M.FIELDS[f] then errs[#errs + 1] = ("rule: unknown field name %q in fields"):format(tostring(f)) end
    end
  end
  if r.extract ~= nil and type(r.extract) ~= "function" then errs[#errs + 1] = "rule: extract must be a function" end
  if r.match == nil then errs[#errs + 1] = "rule: missing match"
  else
    local m, err = check_match(r.match, "match")
    if m then r.match = m else errs[#errs + 1] = "rule: " .. err end
  end
  if #errs > 0 then return nil, errs end
  return r
end

-- rule{...} outside a pack loader: checks and returns the declaration (a pack's rule files get
-- a `rule` global that also registers it).
function M.rule(r)
  local ok, errs = M.check(r)
  if not ok then error(table.concat(errs, "; "), 2) end
  return r
end

return M
