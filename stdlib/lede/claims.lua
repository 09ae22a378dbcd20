-- lede.claims — building blocks for claim-tracking packs: sentence units, word lists with
-- offsets, attribution ("according to X", "X said", quotes) and claim status.
--
--   local claims = require "lede.claims"
--   for _, u in ipairs(claims.units(a)) do            -- title, body sentences, teasers…
--     local words = claims.words(u.norm)
--     local attr = claims.attribution(u.norm, words, prev_attr)
--     local status = claims.status(words, anchor, attr)
--   end
--
-- Word lists index a normalised copy of the sentence (curly quotes and apostrophes made ASCII,
-- dashes spaced); each word is {w=, key=, l=, s=, e=, poss=, p=, brk=, cap=}: the word as
-- written, without its possessive, lowercased key, byte offsets into that copy, a possessive
-- flag, punctuation flag, clause-break flag and capitalised flag.
-- globals as locals (faster, notably in a sandboxed state)
local ipairs, table_insert, type = ipairs, table.insert, type
local hedging = require "lede.hedging"

local M = {}

local find, gsub_, byte_, sub_ = string.find, string.gsub, string.byte, string.sub

-- Whether squash/normalise have anything to do, as one native byte-regex test each (Lua
-- pattern scans otherwise): most sentences need nothing, and the test ran on every one.
-- Lua's %s is [\t\n\v\f\r ] (bytes 9-13 and the space).
local needs_squash, needs_normalise, space_run, typography
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and type(lede.re) == "table" and lede.re.compile then
    local sq = lede.re.compile("[\\x09-\\x0d\\xc2]|  |\\A | \\z", "b")
    local nm = lede.re.compile("[\\x80-\\xff\\x09-\\x0d]|  | - ", "b")
    local sp = lede.re.compile("[\\x09-\\x0d]|  ", "b")
    -- the typographic quotes and dashes, replaced in one native pass
    local typo = lede.re.compile("\\xe2\\x80[\\x93\\x94\\x98\\x99\\x9c\\x9d]", "b")
    local ascii = { ["\226\128\152"] = "'", ["\226\128\153"] = "'", ["\226\128\156"] = '"',
      ["\226\128\157"] = '"', ["\226\128\148"] = " -- ", ["\226\128\147"] = " -- " }
    typography = function(s) return (typo:gsub(s, ascii)) end
    needs_squash = function(s) return sq:test(s) end
    needs_normalise = function(s) return nm:test(s) end
    space_run = function(s) return sp:test(s) end
  else
    needs_squash = function(s)
      return find(s, "[\t\n\r\f\v\194]") or find(s, "  ", 1, true) or byte_(s, 1) == 32
        or byte_(s, -1) == 32
    end
    needs_normalise = function(s)
      return find(s, "[\128-\255\t\n\r\f\v]") or find(s, "  ", 1, true) or find(s, " - ", 1, true)
    end
    space_run = function(s) return find(s, "[\t\n\r\f\v]") or find(s, "  ", 1, true) end
    typography = function(s)
      s = gsub_(s, "[\226][\128][\152\153]", "'")
      s = gsub_(s, "[\226][\128][\156\157]", '"')
      s = gsub_(s, "\226\128\148", " -- ")
      return (gsub_(s, "\226\128\147", " -- "))
    end
  end
end

--- Collapse whitespace runs and trim.
function M.squash(s)
  if not needs_squash(s) then return s end
  if find(s, "\194\160", 1, true) then s = gsub_(s, "\194\160", " ") end
  -- without a run or a control space, "%s+" -> " " changes nothing
  if space_run(s) then s = gsub_(s, "%s+", " ") end
  if byte_(s, 1) == 32 then s = sub_(s, 2) end
  if byte_(s, -1) == 32 then s = sub_(s, 1, -2) end
  return s
end

--- A normalised copy for analysis: ASCII quotes and apostrophes, dashes as " -- ".
function M.normalise(s)
  -- plain ASCII with single spaces and no spaced hyphen needs nothing
  if not needs_normalise(s) then return s end
  -- each replacement only when its bytes occur (a Lua gsub scans every position)
  if find(s, "\226\128", 1, true) then s = typography(s) end
  if find(s, "\194\160", 1, true) then s = gsub_(s, "\194\160", " ") end
  if find(s, " - ", 1, true) then s = gsub_(s, " %- ", " -- ") end
  if space_run(s) then s = gsub_(s, "%s+", " ") end
  return s
end

-- Abbreviations whose final dot is part of the word.
M.abbreviations = {}
for a in ([[Mr Ms Mrs Dr St Sen Rep Gov Gen Lt Col Capt Prof Jr Sr Inc Ltd Co Corp No vs etc
  Ont Calif Jan Feb Mar Apr Aug Sept Sep Oct Nov Dec Mt Ft Maj Sgt Rev Hon Dept Univ Adm Cmdr
  Pte Bros Nos approx est Fla Ill Mass Penn Wash Va Ga Tex Ariz Colo Conn Md Mich Minn Mo Nev
  Okla Ore Tenn Wis Wyo Alta Que Man Sask]]):gmatch("%S+") do
  M.abbreviations[a] = true
end

local function is_abbrev(word)
  -- word includes its final dot
  if word:match("^%a%.$") then return true end                 -- initial: "P."
  if word:match("^%a%.[%a%.]*%a%.$") then return true end      -- U.S., U.K., P.J.
  return M.abbreviations[word:sub(1, -2)] == true
end
M.is_abbrev = is_abbrev

local brk_punct = { [";"] = true, [":"] = true, ["--"] = true, ["("] = true, [")"] = true }

--- Split a (normalised) sentence into words and punctuation with offsets (pure Lua).
function M.words_lua(s)
  local out = {}
  local function push(t, s0, e0, punct)
    if punct then
      out[#out + 1] = { w = t, key = t, l = t, s = s0, e = e0, p = true, brk = brk_punct[t] }
      return
    end
    local key, poss = t, false
    local base = t:match("^(.-)'s$") or t:match("^(.-s)'$")
    if base and base ~= "" then key, poss = base, true end
    out[#out + 1] = { w = t, key = key, l = key:lower(), s = s0, e = e0, poss = poss,
                      cap = t:match("^%u") ~= nil }
  end
  for s0, chunk in s:gmatch("()(%S+)") do
    local a, b = 1, #chunk
    local lead = {}
    while a <= b and chunk:sub(a, a):match("[\"'%(%[]") do
      lead[#lead + 1] = a; a = a + 1
    end
    local trail = {}
    while b >= a do
      local c = chunk:sub(b, b)
      if c:match("[\"',;:%)%]!%?]") then
        trail[#trail + 1] = b; b = b - 1
      elseif c == "." then
        local word = chunk:sub(a, b)
        if is_abbrev(word) and b < #chunk then break end
        if is_abbrev(word) and #trail == 0 and #word > 2 and word:match("^%a%.") then
          -- "U.S." at the very end of a chunk: keep the dot with the word
          break
        end
        trail[#trail + 1] = b; b = b - 1
      else
        break
      end
    end
    for _, i in ipairs(lead) do push(chunk:sub(i, i), s0 + i - 1, s0 + i - 1, true) end
    if a <= b then
      local t = chunk:sub(a, b)
      if t == "--" then push(t, s0 + a - 1, s0 + b - 1, true) else push(t, s0 + a - 1, s0 + b - 1) end
    end
    for k = #trail, 1, -1 do
      local i = trail[k]
      push(chunk:sub(i, i), s0 + i - 1, s0 + i - 1, true)
    end
  end
  return out
end

-- The native tokenizer (lede.text.each_token) when the host has it: same word list, built
-- from C token offsets. Tokens glued by an apostrophe or a hyphen are one word ("E.U.'s",
-- "U.S.-led"), as in words_lua.
local each_token
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and type(lede.text) == "table" then each_token = lede.text.each_token end
end

local glue = { [39] = true, [45] = true } -- ' and -
local WITH_TEXT = { text = true }
local byte, sub, lower = string.byte, string.sub, string.lower

-- A word's fields other than its offsets depend only on its text, so the entries are built once
-- per distinct text and shared (M.wordlist): most of the cost of a word list was one fresh table
-- per word. The cache is emptied when it grows past MAX_ENTRIES (an archive's vocabulary is
-- unbounded; a news sentence's words mostly are not new).
local word_entries, punct_entries, n_entries = {}, {}, 0

-- An empty table with room for 32 array items (a constructor of 32 nils): a sentence's word
-- list then grows without the five reallocations from 1 to 32 slots. Up to 160 bytes a sentence
-- rarely has more than 32 tokens; past that the lists grow as usual.
local array32 = load("return function() return { " .. ("nil, "):rep(32) .. "} end", "=array32",
  "t")()
local MAX_ENTRIES = 50000

local function new_entry(t, punct)
  n_entries = n_entries + 1
  if n_entries > MAX_ENTRIES then
    word_entries, punct_entries, n_entries = {}, {}, 1
  end
  local e
  if punct then
    e = { w = t, key = t, l = t, p = true, brk = brk_punct[t] }
    punct_entries[t] = e
  else
    local key, poss, n = t, false, #t
    if n >= 3 and byte(t, n) == 115 and byte(t, n - 1) == 39 then -- "Iran's"
      key, poss = sub(t, 1, n - 2), true
    end
    local c = byte(t, 1)
    e = { w = t, key = key, l = lower(key), poss = poss, cap = c >= 65 and c <= 90 }
    word_entries[t] = e
  end
  return e
end

-- Fills out, S, E (see M.wordlist) from s; returns the number of words.
local function fill(s, out, S, E)
  local m = 0
  if not each_token then
    for k, w in ipairs(M.words_lua(s)) do out[k], S[k], E[k] = w, w.s, w.e; m = k end
    return m
  end
  -- a word is held back (pa..pb, its text pt) until the next token shows whether a glue mark
  -- ("'", "-") right after it joins it to the following word; ga is such a mark held back too
  local pa, pb, pt, ga
  for a, b, kind, t in each_token(s, WITH_TEXT) do
    local punct = kind == "punct" or kind == "symbol"
    if ga then
      if not punct and a == ga + 1 then
        pb, pt, ga = b, nil, nil
        goto continue
      end
      pt = pt or sub(s, pa, pb)
      m = m + 1
      out[m], S[m], E[m] = word_entries[pt] or new_entry(pt, false), pa, pb
      local gt = sub(s, ga, ga)
      m = m + 1
      out[m], S[m], E[m] = punct_entries[gt] or new_entry(gt, true), ga, ga
      pa, ga = nil, nil
    end
    if punct then
      if pa and a == b and a == pb + 1 and glue[byte(t)] then
        ga = a
      else
        if pa then
          pt = pt or sub(s, pa, pb)
          m = m + 1
          out[m], S[m], E[m] = word_entries[pt] or new_entry(pt, false), pa, pb
          pa = nil
        end
        m = m + 1
        out[m], S[m], E[m] = punct_entries[t] or new_entry(t, true), a, b
      end
    else
      if pa then
        pt = pt or sub(s, pa, pb)
        m = m + 1
        out[m], S[m], E[m] = word_entries[pt] or new_entry(pt, false), pa, pb
      end
      pa, pb, pt = a, b, t
    end
    ::continue::
  end
  if pa then
    pt = pt or sub(s, pa, pb)
    m = m + 1
    out[m], S[m], E[m] = word_entries[pt] or new_entry(pt, false), pa, pb
    if ga then
      local gt = sub(s, ga, ga)
      m = m + 1
      out[m], S[m], E[m] = punct_entries[gt] or new_entry(gt, true), ga, ga
    end
  end
  return m
end

--- Words of a (normalised) sentence as shared, read-only entries {w=, key=, l=, poss=, cap=}
--- or {w=, key=, l=, p=true, brk=} (as M.words without s/e), with the byte offsets in the
--- parallel arrays list.s and list.e. Tokens glued by an apostrophe or a hyphen are one word
--- ("E.U.'s", "U.S.-led"). The fast form for analysis: no table per word.
--- `into` (optional): a list this function returned before and that is no longer needed; it is
--- refilled instead of allocating three new tables (for a loop over many sentences).
function M.wordlist(s, into)
  local out, S, E
  if into then
    out, S, E = into, into.s, into.e
  elseif #s <= 160 then
    out, S, E = array32(), array32(), array32()
    out.s, out.e = S, E
  else
    out, S, E = {}, {}, {}
    out.s, out.e = S, E
  end
  local n0 = into and #into or 0
  local m = fill(s, out, S, E)
  for k = m + 1, n0 do out[k], S[k], E[k] = nil, nil, nil end
  return out
end

--- Words of a (normalised) sentence as fresh tables {w=, key=, l=, s=, e=, poss=, p=, brk=,
--- cap=} (M.wordlist's entries with their offsets).
function M.words(s)
  if not each_token then return M.words_lua(s) end
  local list = M.wordlist(s)
  local S, E = list.s, list.e
  local out = {}
  for k, e in ipairs(list) do
    if e.p then
      out[k] = { w = e.w, key = e.key, l = e.l, s = S[k], e = E[k], p = true, brk = e.brk }
    else
      out[k] = { w = e.w, key = e.key, l = e.l, s = S[k], e = E[k], poss = e.poss, cap = e.cap }
    end
  end
  return out
end

--- The offsets of a word list: its s/e arrays (M.wordlist), else gathered from its entries.
local function offsets(words)
  local S = words.s
  if S then return S, words.e end
  local E = {}
  S = {}
  for k, w in ipairs(words) do S[k], E[k] = w.s, w.e end
  return S, E
end
M.offsets = offsets

-- Sentence starters that end a sentence after an initialism ("... the U.S. The next day").
local starters = {}
for w in ([[The A An But And In On At After As It He She They We I This That These Those There
  Its His Her Their Our However Meanwhile Separately Still Yet So Some Many Most Officials
  When While If Since Although Under For With By From Last Earlier Later Now Then]]):gmatch("%S+") do
  starters[w] = true
end

--- Split one paragraph of text into sentences: list of {text=, start=, stop=} (offsets into s).
--- Abbreviations ("U.S.", "Ms.", "Ont.") do not end a sentence; closing quotes stay with it.
function M.split(s)
  local out = {}
  local start = s:find("%S")
  if not start then return out end
  local i = start
  local n = #s
  while true do
    local p = s:find("[%.!%?]", i)
    if not p then break end
    -- extend over repeated punctuation and closing quotes/brackets
    local q = p
    while true do
      local c = s:sub(q + 1, q + 1)
      local c3 = s:sub(q + 1, q + 3)
      if c:match("[%.!%?\"'%)%]]") then q = q + 1
      elseif c3 == "\226\128\157" or c3 == "\226\128\153" then q = q + 3
      else break end
    end
    local nxt = s:find("%S", q + 1)
    local split = false
    if not nxt then
      break
    elseif s:sub(q + 1, q + 1):match("%s") then
      local nextword = s:match("^[\"'%(]?([%w\128-\255]+)", nxt)
        or s:match("^\226\128[\156\152]([%w\128-\255]+)", nxt) or ""
      local firstc = s:sub(nxt, nxt)
      local opens = firstc:match("[%u%d\"'%(]") or s:sub(nxt, nxt + 2) == "\226\128\156"
        or s:sub(nxt, nxt + 2) == "\226\128\152" or firstc:byte() >= 0xC3
      if opens and s:sub(p, p) == "." and q == p then
        local word = s:sub(1, p):match("([%w%.%-']+)$") or ""
        if is_abbrev(word) then
          local initialism = word:match("^%a%.[%a%.]*%a%.$") ~= nil
          split = initialism and starters[nextword] == true
        else
          split = true
        end
      else
        split = opens and true or false
      end
    end
    if split then
      out[#out + 1] = { text = s:sub(start, q), start = start, stop = q }
      start = nxt
    end
    i = q + 1
    if i > n then break end
  end
  local last = s:sub(start):match("^(.-)%s*$")
  if last ~= "" then out[#out + 1] = { text = last, start = start, stop = start + #last - 1 } end
  return out
end

-- Sentences of a paragraph through the native splitter when the host has it.
local native_sentences
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and type(lede.text) == "table" then
    native_sentences = lede.text.sentences
  end
end
M.native = native_sentences ~= nil

function M.sentences(s)
  return M.split(s)
end

--- The article's claim units: one per sentence, with where it sits. Each unit is
--- {text=, norm=, in_body=, where="title"|"body"|"caption"|"related", paragraph=}.
--- opts.keep(text) -> bool, when given, skips paragraphs (and teasers) it rejects before they
--- are split, so a pack pays only for the paragraphs that can hold a claim.
--- The title counts as one unit, captions and teasers are units outside the body; a sentence
--- repeated (a dek repeated as lead, a caption repeating a body sentence) is kept once, in the
--- body if it is there.
function M.units(a, opts)
  local units, seen = {}, {}
  local function add(text, where, in_body, para)
    text = M.squash(text)
    if text == "" then return end
    local key = text:lower()
    if seen[key] then return end
    seen[key] = true
    units[#units + 1] = { text = text, where = where, in_body = in_body, paragraph = para }
  end
  local paras = a.paragraphs or {}
  local body = {}
  local keep = opts and opts.keep
  for i, p in ipairs(paras) do
    local inb = p.kind ~= "caption"
    if keep and not keep(p.text) then goto continue end
    -- a first paragraph without final punctuation is a dek / standfirst, not body
    if i == 1 and #paras > 1 and not M.squash(p.text):match("[%.!%?\"'%)]$")
      and not M.squash(p.text):match("\226\128[\157\153]$") and #p.text < 300 then
      inb = false
    end
    if p.kind == "heading" and a.title and M.squash(p.text) == M.squash(a.title) then inb = false end
    for _, s in ipairs(M.sentences(p.text)) do
      body[#body + 1] = { text = s.text, where = inb and "body" or "dek", in_body = inb, para = i }
    end
    ::continue::
  end
  -- body first so that repeated copies elsewhere are dropped
  for _, b in ipairs(body) do
    if b.in_body then add(b.text, b.where, true, b.para) end
  end
  if a.title and (not keep or keep(a.title)) then add(a.title, "title", false) end
  for _, b in ipairs(body) do
    if not b.in_body then add(b.text, b.where, false, b.para) end
  end
  if not (opts and opts.body_only) then
    for _, c in ipairs(a.captions or {}) do
      if not keep or keep(c) then add(c, "caption", false) end
    end
    for _, r in ipairs(a.related or {}) do
      if not keep or keep(r) then
        for _, s in ipairs(M.sentences(r)) do add(s.text, "related", false) end
      end
    end
  end
  for _, u in ipairs(units) do
    -- a sentence the filter rejects stays a unit (it separates its neighbours) but is not
    -- normalised: it cannot hold a claim
    if keep and not keep(u.text) then u.skip = true else u.norm = M.normalise(u.text) end
  end
  return units
end

--- The article's candidate claim units in one native pass: `set` (a lede.re.set or a
--- lede.phrases list) scans a.text once; only the sentences of a.sentences that hold a hit
--- become units, then the title, captions and teasers (in_body=false) that hold one. Each
--- unit is {text=, in_body=, where=, paragraph=, index=, last=, prev=, hits=}: `index`..`last`
--- are its sentences in a.sentences (more than one when the native splitter cut it before a
--- lower-case word), `prev` the sentence before it ({text=, …} or nil), `hits`
--- the scan hits inside it (offsets into a.text). A sentence repeated (a dek repeated as lead,
--- a caption repeating a body sentence) is kept once, in the body if it is there.
--- Returns units, {hits = body hits, title_hits = …}.
function M.candidates(a, set, opts)
  local text = a.text or ""
  local hits = text ~= "" and set:scan(text) or {}
  local units, seen, later = {}, {}, {}
  local function add(u)
    u.text = M.squash(u.text)
    if u.text == "" then return end
    local key = u.text:lower()
    if seen[key] then return end
    seen[key] = true
    units[#units + 1] = u
  end
  if #hits > 0 then
    local sents = a.sentences
    local paras = a.paragraphs or {}
    local title = a.title and M.squash(a.title)
    local body_of = {}
    local function in_body(pi)
      local b = body_of[pi]
      if b ~= nil then return b end
      local p = paras[pi]
      b = true
      if p then
        local t = (pi == 1 or p.kind == "heading") and M.squash(p.text) or ""
        if p.kind == "caption" then b = false
        elseif pi == 1 and #paras > 1 and #p.text < 300 and not t:match("[%.!%?\"'%)]$")
          and not t:match("\226\128[\157\153]$") then
          b = false -- a first paragraph without final punctuation is a dek / standfirst
        elseif p.kind == "heading" and t == title then b = false end
      end
      body_of[pi] = b
      return b
    end
    local ns, j, k, nh = #sents, 1, 1, #hits
    -- a piece that starts lower-case continues the sentence before it in the same paragraph
    -- ("the U.S. and its allies", "Co Ltd. and Shenzhen Yantu"): join them
    local function glued(x)
      local st = sents[x]
      local c = text:byte(st.start)
      return x > 1 and c and c >= 97 and c <= 122 and sents[x - 1].paragraph == st.paragraph
    end
    while k <= nh do
      local h = hits[k]
      while j <= ns and sents[j].stop < h.start do j = j + 1 end
      if j > ns then break end
      local i, e = j, j
      while glued(i) do i = i - 1 end
      while e < ns and glued(e + 1) do e = e + 1 end
      local s0, s1 = sents[i].start, sents[e].stop
      local mine = {}
      while k <= nh and hits[k].start <= s1 do
        if hits[k].stop >= s0 then mine[#mine + 1] = hits[k] end
        k = k + 1
      end
      if #mine > 0 then
        local st = sents[i]
        local inb = in_body(st.paragraph)
        local u = { text = i == e and st.text or text:sub(s0, s1), in_body = inb,
                    where = inb and "body" or "dek", paragraph = st.paragraph, index = i, last = e,
                    prev = sents[i - 1], hits = mine }
        if inb then add(u) else later[#later + 1] = u end
      end
      j = e + 1
    end
  end
  local title_hits = a.title and set:scan(a.title) or {}
  if #title_hits > 0 then add{ text = a.title, in_body = false, where = "title", hits = title_hits } end
  for _, u in ipairs(later) do add(u) end
  if not (opts and opts.body_only) then
    for _, c in ipairs(a.captions or {}) do
      local ch = set:scan(c)
      if #ch > 0 then add{ text = c, in_body = false, where = "caption", hits = ch } end
    end
    for _, r in ipairs(a.related or {}) do
      if #set:scan(r) > 0 then
        for _, s in ipairs(native_sentences and native_sentences(r) or M.split(r)) do
          local sh = set:scan(s.text)
          if #sh > 0 then add{ text = s.text, in_body = false, where = "related", hits = sh } end
        end
      end
    end
  end
  return units, { hits = hits, title_hits = title_hits }
end

-- Attribution -----------------------------------------------------------------------------

M.reporting_verbs = {}
for w in ([[said says say told tells announced announces stated argued argues wrote
  warned warns added noted reiterated reiterates insisted insists acknowledged
  acknowledges claimed alleged alleges explained denied denies confirmed confirms reported
  declared declares believes believed contended contends maintained asserted
  estimated predicted cautioned suggested]]):gmatch("%S+") do
  M.reporting_verbs[w] = true
end
-- Verbs that report evidence rather than speech: "court records show that".
M.evidence_verbs = { show = true, shows = true, showed = true, shown = true, found = true,
  indicate = true, indicates = true, indicated = true, reveal = true, reveals = true,
  revealed = true, suggest = true, suggests = true }

local pronouns = { he = true, she = true, it = true, they = true, we = true, i = true }

-- Words that are titles before a name ("Deputy Prime Minister Alexander Novak").
M.titles = {}
for w in ([[President Vice Prime Minister Deputy Secretary Foreign Treasury State Defence Defense
  Finance Trade Economy Commerce Chancellor Ambassador Senator Sen. Rep. Representative Governor
  Gov. General Gen. Chief Spokesman Spokeswoman Spokesperson Director Chairman Chairwoman Chair
  Commissioner Envoy Premier King Queen Prince Mr. Ms. Mrs. Dr. Judge Justice Member Ranking
  Assistant Under Undersecretary Special Representative Official Kremlin White House Team
  Principal Executive CEO Head Leader Mayor Attorney Prosecutor Lt. Col. Minister's]]):gmatch("%S+") do
  M.titles[w] = true
end

-- Lowercase role nouns before a name ("Team principal Andrei Kovalenko", "spokesman Dmitry Peskov").
M.roles = {}
for w in ([[spokesman spokeswoman spokesperson principal analyst chief director minister secretary
  official president ambassador envoy senator governor chairman economist adviser advisor
  commissioner lawyer attorney prosecutor leader head executive founder owner member
  representative negotiator diplomat premier]]):gmatch("%S+") do
  M.roles[w] = true
end

local temporal = { monday = 1, tuesday = 1, wednesday = 1, thursday = 1, friday = 1, saturday = 1,
  sunday = 1, week = 1, month = 1, year = 1, today = 1, yesterday = 1, statement = 1,
  interview = 1, night = 1, morning = 1, weekend = 1 }
local drop_adverbs = { also = 1, recently = 1, repeatedly = 1, separately = 1, later = 1,
  simultaneously = 1, previously = 1, earlier = 1, again = 1, publicly = 1, privately = 1,
  quietly = 1, ["then"] = 1, however = 1, meanwhile = 1, but = 1, ["and"] = 1, still = 1 }

-- Trim an attribution phrase (words[i..j]) to the speaker as written.
local function clean_source(norm, words, i, j)
  local S, E = offsets(words)
  -- drop leading conjunctions/adverbs and trailing time phrases ("on Friday", "in a statement")
  while i <= j and (words[i].p or drop_adverbs[words[i].l]) do i = i + 1 end
  while j >= i and (words[j].p or drop_adverbs[words[j].l]) do j = j - 1 end
  local k = i
  while k <= j do
    local w = words[k]
    if (w.l == "on" or w.l == "in" or w.l == "last" or w.l == "this" or w.l == "earlier")
      and k > i then
      local m = k + 1
      while m <= j and (words[m].l == "a" or words[m].l == "the") do m = m + 1 end
      if m <= j and temporal[words[m].l] then j = k - 1; break end
    end
    k = k + 1
  end
  while j >= i and (words[j].p or drop_adverbs[words[j].l]) do j = j - 1 end
  if j < i then return nil end
  -- appositive name: "Iran's foreign ministry spokesman, Reza Kamali," -> "Reza Kamali"
  for c = i + 1, j - 1 do
    if words[c].w == "," and words[c + 1] and words[c + 1].cap then
      local e = c + 1
      while e + 1 <= j and words[e + 1].cap and not words[e + 1].p do e = e + 1 end
      if e - c >= 2 and (e == j or words[e + 1].w == ",") then
        return norm:sub(S[c + 1], E[e])
      end
    end
  end
  -- cut a trailing apposition or relative clause ("Hana Ostrowski, an energy analyst")
  for c = i + 1, j do
    if words[c].w == "," or words[c].l == "who" or words[c].l == "which" then j = c - 1; break end
  end
  -- drop a trailing auxiliary ("Viktor Orban had warned")
  while j > i and (words[j].l == "had" or words[j].l == "has" or words[j].l == "have"
    or words[j].l == "would" or words[j].l == "will" or words[j].l == "also") do
    j = j - 1
  end
  -- title + name: keep the trailing run of capitalised words (two or more) when a title or a
  -- role noun stands before it
  if words[j].cap and j > i then
    local r = j
    while r - 1 >= i and words[r - 1].cap and not words[r - 1].p and not words[r - 1].poss do
      r = r - 1
    end
    local t = r
    for c = r, j - 1 do
      if M.titles[words[c].w] then t = c + 1 end
    end
    local before = words[t - 1]
    if j - t >= 1 and t > i and (t > r or (before and M.roles[before.l])) then
      return norm:sub(S[t], E[j])
    end
  end
  return norm:sub(S[i], E[j])
end
M.clean_source = clean_source

-- Is words[k] (a reporting verb) the main reporting verb of a post-posed attribution?
local function postposed(words, k)
  -- ", the department warned." / ", diplomats said, but" / "," she said."
  local b = k - 1
  while b >= 1 and not words[b].p and k - b <= 9 do b = b - 1 end
  if b < 1 or b == k - 1 then return nil end
  local w = words[b].w
  if w == "," or w == '"' then
    local after = words[k + 1]
    if not after or after.p or after.l == "in" or after.l == "on" or after.l == "last"
      or after.l == "this" or after.l == "that" then
      return b + 1, k - 1
    end
  end
  return nil
end

-- A pronoun source ("she said") resolves to the previous sentence's source (`prev`: its
-- attribution, or a function returning it), else to prev_names.
local function resolve_source(src, prev, prev_names)
  if src and pronouns[src:lower()] then
    if type(prev) == "function" then prev = prev() end
    if prev and prev.source and not pronouns[prev.source:lower()] then return prev.source end
    return prev_names or src
  end
  return src
end

--- Find the attribution of a sentence. `prev` is the previous sentence's attribution result
--- (for "she said" and quotes spanning sentences). Returns {source=, cue=, index=} or nil.
function M.attribution(norm, words, prev, prev_names)
  local lower = norm:lower()
  -- "according to X"
  local a, b = lower:find("according to ", 1, true)
  if a then
    local i
    local S = offsets(words)
    for k = 1, #words do if S[k] > b then i = k; break end end
    if i then
      local j = i
      while j + 1 <= #words and not words[j + 1].p do j = j + 1 end
      local src = clean_source(norm, words, i, j)
      return { source = resolve_source(src, prev, prev_names), cue = "according to", index = i }
    end
  end
  -- "In the IMF's view" (the pattern scan only when " view" occurs at all)
  local view = find(norm, " view", 1, true) and norm:match("[Ii]n ([^,]-)'s? view")
  if view then return { source = view, cue = "view" } end
  local reporting_verbs, evidence_verbs = M.reporting_verbs, M.evidence_verbs
  for k = 1, #words do
    local w = words[k]
    local verb = reporting_verbs[w.w] and not (words[k + 1] and words[k + 1].l == "to"
      and w.l ~= "told")
    if verb and (w.l == "alleged" or w.l == "claimed") then
      verb = words[k + 1] and words[k + 1].l == "that"
    end
    if verb and not (words[k - 1] and (words[k - 1].l == "to" or words[k - 1].l == "be"
      or words[k - 1].l == "being" or words[k - 1].l == "is" or words[k - 1].l == "was")) then
      -- post-posed: ", X said." ; inverted: ", said X, ..."
      local i, j = postposed(words, k)
      if i then
        return { source = resolve_source(clean_source(norm, words, i, j), prev, prev_names),
                 cue = w.l, index = k }
      end
      local pw = words[k - 1]
      if pw and (pw.w == "," or pw.w == '"') and words[k + 1] and not words[k + 1].p then
        local e = k + 1
        while e + 1 <= #words and not words[e + 1].p and (words[e + 1].cap or e - k < 4)
          and not (words[e + 1].l:match("ed$") or words[e + 1].l == "who") do
          e = e + 1
        end
        return { source = resolve_source(clean_source(norm, words, k + 1, e), prev, prev_names),
                 cue = w.l, index = k }
      end
      -- pre-posed: "X said (that) ..." — subject from the clause start
      local s = k - 1
      local conj = false
      while s >= 1 and not (words[s].p and words[s].w ~= "'" and words[s].w ~= ",")
        and k - s <= 12 do
        if words[s].l == "and" and s == k - 1 then conj = true end
        s = s - 1
      end
      if conj then
        -- "X called ... and said": the subject is the clause's first noun phrase
        local e = 1
        while e < k and not (not words[e].cap and not words[e].p and words[e].l:match("ed$")) do
          e = e + 1
        end
        if e > 1 and e < k then
          return { source = resolve_source(clean_source(norm, words, 1, e - 1), prev, prev_names),
                   cue = w.l, index = k }
        end
      elseif k > 1 and s < k - 1 then
        -- skip an opening adverbial: "Separately,", "In April,", "WASHINGTON --"
        local i = s + 1
        for c = i, k - 1 do
          if words[c].w == "," and c < k - 1 then i = c + 1 end
        end
        if i <= k - 1 then
          return { source = resolve_source(clean_source(norm, words, i, k - 1), prev, prev_names),
                   cue = w.l, index = k }
        end
      end
    elseif evidence_verbs[w.l] and k > 2 and words[k + 1] and words[k + 1].l == "that" then
      local i = 1
      for c = 1, k - 1 do if words[c].w == "," then i = c + 1 end end
      return { source = resolve_source(clean_source(norm, words, i, k - 1), prev, prev_names),
               cue = w.l, index = k }
    end
  end
  return nil
end

--- Claim status from the predicate's anchor word and the attribution:
--- negated > hedged > attributed > asserted (the annotation guide's precedence).
function M.status(words, anchor, attr, opts, lower)
  local st, cue = hedging.status(words, anchor, opts, lower)
  if st then return st, cue end
  if attr and attr.source then return "attributed", attr.cue end
  return "asserted"
end

--- Capitalised names (two or more capitalised words in a row) in a word list, last first.
function M.names(norm, words)
  local S, E = offsets(words)
  local out = {}
  local k = 1
  while k <= #words do
    if words[k].cap and not words[k].p and k > 1 then
      local e = k
      while e + 1 <= #words and words[e + 1].cap and not words[e + 1].p and not words[e].poss do
        e = e + 1
      end
      if e > k then table_insert(out, 1, norm:sub(S[k], E[e])) end
      k = e + 1
    else
      k = k + 1
    end
  end
  return out
end

return M
