-- lede.actors — find and normalise actors (countries, capitals used as metonyms, blocs, bodies,
-- demonyms) in a sentence from the gazetteers in stdlib/data/.
--
--   local actors = require "lede.actors"
--   local g = actors.default()                 -- countries + bodies + demonyms shipped with lede
--   for _, m in ipairs(g:find(words)) do ... end  -- words from lede.claims.words(s)
--   actors.normalise("Washington") --> "United States"
--
-- Gazetteer format, one entry a line: `label<TAB>phrase|alias|alias`; `#` starts a comment.
-- Matching is word by word and case-sensitive ("US" is not "us"), except that an alias that
-- starts with "the " also matches "The ". Leftmost-longest; possessives ("Canada's") match.
-- globals as locals (faster, notably in a sandboxed state)
local ipairs, pairs, setmetatable, table_sort, tostring = ipairs, pairs, setmetatable, table.sort, tostring
local M = {}

local Gazetteer = {}
Gazetteer.__index = Gazetteer

-- The offsets of a word list: its s/e arrays (lede.claims.wordlist), else its entries' s/e.
local function offsets(words)
  local S = words.s
  if S then return S, words.e end
  local E = {}
  S = {}
  for k, w in ipairs(words) do S[k], E[k] = w.s, w.e end
  return S, E
end

local function split_words(phrase)
  local out = {}
  for w in phrase:gsub("’", "'"):gmatch("[^%s]+") do out[#out + 1] = w end
  return out
end

-- Parse gazetteer text into entries {label=, kind=, words={...}}.
local function parse(text, kind, entries)
  for line in text:gmatch("[^\n]+") do
    if not line:match("^%s*#") and line:find("\t", 1, true) then
      local label, rest = line:match("^([^\t]+)\t([^\t]+)")
      if label then
        for alias in rest:gmatch("[^|]+") do
          alias = alias:match("^%s*(.-)%s*$")
          if alias ~= "" then
            entries[#entries + 1] = { label = label, kind = kind, phrase = alias,
                                      words = split_words(alias) }
          end
        end
      end
    end
  end
end

-- Index entries by their first word (lowercased for "the ..." aliases), longest first.
local function build_index(entries)
  local index = {}
  for _, e in ipairs(entries) do
    local first = e.words[1]
    if first == "the" then first = "\0the" end
    local list = index[first]
    if not list then list = {}; index[first] = list end
    list[#list + 1] = e
  end
  for _, list in pairs(index) do
    table_sort(list, function(a, b)
      if #a.words ~= #b.words then return #a.words > #b.words end
      return a.phrase < b.phrase
    end)
  end
  return index
end

local phrases_compile
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and type(lede.phrases) == "table" then phrases_compile = lede.phrases.compile end
end

--- Build a gazetteer from a list of {text=, kind=} sources. With the host's lede.phrases the
--- aliases are also compiled into one case-sensitive automaton (g:scan).
function M.new(sources)
  local entries = {}
  for _, src in ipairs(sources) do parse(src.text, src.kind or "actor", entries) end
  local g = setmetatable({ entries = entries, index = build_index(entries), labels = {} }, Gazetteer)
  for _, e in ipairs(entries) do
    g.labels[e.phrase] = e.label
    g.labels[e.phrase:lower()] = g.labels[e.phrase:lower()] or e.label
  end
  if phrases_compile then
    -- longest aliases first so that equal folds keep the longer entry's order stable
    local list, by_phrase = {}, {}
    local function add(phrase, e)
      if by_phrase[phrase] then return end
      by_phrase[phrase] = e
      list[#list + 1] = phrase
    end
    for _, e in ipairs(entries) do
      add(e.phrase, e)
      if e.phrase:sub(1, 4) == "the " then add("The " .. e.phrase:sub(5), e) end
    end
    g.automaton = phrases_compile(list, { ignore_case = false })
    g.by_phrase = by_phrase
  end
  return g
end

--- Actor mentions in s (the string `words` was built from, see lede.claims.words), in one
--- native pass when the host has lede.phrases (else as g:find(words)). Same results as find.
function Gazetteer:scan(s, words)
  if not self.automaton then return self:find(words) end
  local out = {}
  local hits = self.automaton:scan(s)
  if #hits == 0 then return out end
  local S, E = offsets(words)
  local k, nw = 1, #words
  for _i = 1, #hits do
    local h = hits[_i]
    local hs, he = h.start, h.stop
    while k <= nw and E[k] < hs do k = k + 1 end
    if k > nw then break end
    if S[k] == hs then
      local last = k
      while last < nw and S[last + 1] <= he do last = last + 1 end
      local e = self.by_phrase[h.phrase]
      local lw, le = words[last], E[last]
      -- a match must end where its last word (without a possessive) ends
      if le == he or (lw.poss and le - 2 == he) then
        out[#out + 1] = { first = k, last = last, start = hs, stop = le, label = e.label,
                          kind = e.kind, phrase = e.phrase, poss = lw.poss }
      end
      k = last + 1
    end
  end
  return out
end

-- Does entry e match words starting at index i? Returns the index of its last word.
local function match_at(e, words, i)
  local n = #e.words
  if i + n - 1 > #words then return nil end
  for k = 1, n do
    local w = words[i + k - 1]
    local want = e.words[k]
    if k == 1 and want == "the" then
      if w.l ~= "the" then return nil end
    elseif w.key ~= want and w.w ~= want then
      return nil
    end
    -- only the last word may carry a possessive; inner words must be bare
    if k < n and w.poss then return nil end
  end
  return i + n - 1
end

--- Find actor mentions in a word list (see lede.claims.words). Returns a list of
--- {first=, last=, start=, stop=, label=, kind=, phrase=, poss=} in text order.
function Gazetteer:find(words)
  local S, E = offsets(words)
  local out = {}
  local i = 1
  while i <= #words do
    local w = words[i]
    local found
    for _, key in ipairs({ w.l == "the" and "\0the" or false, w.key, w.w }) do
      local list = key and self.index[key]
      if list then
        for _, e in ipairs(list) do
          local last = match_at(e, words, i)
          if last and (not found or last > found.last) then
            found = { first = i, last = last, start = S[i], stop = E[last], label = e.label,
                      kind = e.kind, phrase = e.phrase, poss = words[last].poss }
          end
        end
      end
    end
    if found then
      out[#out + 1] = found
      i = found.last + 1
    else
      i = i + 1
    end
  end
  return out
end

--- The label for a phrase ("Tehran" -> "Iran"), or nil.
function Gazetteer:label(phrase)
  if not phrase then return nil end
  phrase = phrase:gsub("’", "'"):gsub("^[Tt]he ", "")
  return self.labels[phrase] or self.labels["the " .. phrase] or self.labels[phrase:lower()]
end

-- Locate stdlib/data next to this module (needs io; a sandboxed pack gets the shared default
-- that the stdlib loaded at startup, or passes texts to actors.new itself).
local function data_dir()
  local src = debug and debug.getinfo and debug.getinfo(1, "S").source or ""
  local dir = src:match("^@(.*)[/\\]lede[/\\]actors%.lua$")
  if dir then return dir .. "/data" end
  local path = package and package.searchpath and package.searchpath("lede.actors", package.path)
  if path then return (path:gsub("[/\\]lede[/\\]actors%.lua$", "") .. "/data") end
  return nil
end

local function read_file(path)
  if not io or not io.open then return nil end
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

M.files = { { name = "countries.tsv", kind = "country" }, { name = "bodies.tsv", kind = "body" },
            { name = "demonyms.tsv", kind = "demonym" } }

--- Read the shipped gazetteer files; returns a list of {text=, kind=, name=}.
function M.load_sources(dir)
  dir = dir or data_dir()
  local out = {}
  for _, f in ipairs(M.files) do
    local text = dir and read_file(dir .. "/" .. f.name)
    if not text then error("lede.actors: cannot read gazetteer " .. tostring(dir) .. "/" .. f.name, 2) end
    out[#out + 1] = { text = text, kind = f.kind, name = f.name }
  end
  return out
end

local default
--- The gazetteer built from stdlib/data (built once, cached).
function M.default()
  if not default then default = M.new(M.load_sources()) end
  return default
end

--- Normalise an actor name with the default gazetteer ("the bloc" -> "European Union").
function M.normalise(phrase)
  return M.default():label(phrase)
end

return M
