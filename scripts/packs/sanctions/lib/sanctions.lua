-- Sanction claims: which sentences report sanctions, and for each the action, imposer, target,
-- status and source (see the pack's README and the claims annotation guide).
--
-- The work per article: one cheap scan of the lowercased text for sanction vocabulary; only the
-- sentences that carry it are split into words and analysed.
-- globals as locals (faster, notably in a sandboxed state)
local ipairs, math_abs, math_huge, math_max, math_min, table_concat, table_sort, type = ipairs, math.abs, math.huge, math.max, math.min, table.concat, table.sort, type
local pairs = pairs
local claims = require "lede.claims"
local actors = require "lede.actors"
local hedging = require "lede.hedging"

-- In a sandboxed pack the stdlib modules are read-only proxies: every field read (and every
-- read of a table inside them) is a metamethod call. The hot paths take what they use once, at
-- load: functions as locals, word sets as plain copies.
local function plain(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end
local modal_words = plain(hedging.modal_words)
local reporting_verbs = plain(claims.reporting_verbs)
local titles = plain(claims.titles)
local claims_wordlist, claims_normalise, claims_squash = claims.wordlist, claims.normalise, claims.squash
local claims_attribution, claims_status = claims.attribution, claims.status

local M = {}

-- Vocabulary ------------------------------------------------------------------------------

-- Prefilter stems: an article (or paragraph) without any of these has no claim.
M.stems = { "sanction", "embargo", "blacklist", "designat", "frozen", "froze", "freez",
  "immobili", "swift", "price cap", "entity list", "export control", "export ban", "import ban",
  "shadow fleet", "ghost ship", "dark fleet", "dark-fleet", "restricted goods", "economic measures",
  "restrictive measures", "snapback", "snap-back", "listings", "delist", "restrictions", "curbs",
  "penalties", "the cap", "banned", "bans ", "ban on", "rollover", "transponder" }

-- Strong triggers: words that name a sanction measure by themselves (lowercased word keys).
local strong = {
  sanction = true, sanctions = true, sanctioned = true, sanctioning = true, sanctioner = true,
  embargo = true, embargoes = true, embargoed = true, blacklist = true, blacklisted = true,
  blacklisting = true, blacklists = true, designation = true, designations = true,
  designated = true, designates = true, designate = true, designating = true, delisted = true,
  delist = true, delisting = true, listings = true, ["snap-back"] = true, snapback = true,
  ["asset-freeze"] = true,
}
-- Weak triggers: count only in an article that is about sanctions, next to an actor or a cue.
local weak = { restrictions = true, restriction = true, curbs = true, measures = true,
  penalties = true, ban = true, bans = true, banned = true, rollover = true, extension = true,
  cap = true, transponders = true, list = true, lists = true, prohibited = true, frozen = true, froze = true, freeze = true,
  freezes = true, immobilised = true, immobilized = true }

-- Multi-word triggers (on the lowercased normalised sentence).
local strong_phrases = { "price cap", "entity list", "sdn list", "export control", "export ban",
  "import ban", "transit ban", "travel ban", "arms embargo", "asset freeze", "assets frozen",
  "frozen assets", "shadow fleet", "ghost ship", "dark fleet", "dark-fleet", "restricted goods",
  "special economic measures", "restrictive measures", "unreliable entity", "ship-to-ship",
  "froze the assets", "freezes any assets", "freeze the assets", "reserves were frozen" }

-- Senses of "sanction" that are not sanctions (approval, discipline, sport, metaphor).
local not_sanctions = { "%a%-sanctioned", "sanctioned by the league", "sanctioned by the governing",
  "governing body sanctioned", "their own sanctions", "its own sanctions", "social sanction",
  "pragmatic sanction", "moral sanction", "sanction of benign", "sanctioned a revised",
  "sanctioned with a", "stewards", "disciplinary", "doping", "referee", "officially sanctioned",
  "sanctioned the use", "sanctioned event", "sanctioned race", "sanctioned fight",
  "sanctioning body", "sanctioned match", "sanctions club", "sanction the rival", "grid penalty",
  "yellow card", "red card", "league", "tournament" }

-- Sport and discipline bodies whose "sanctions" are penalties.
local sport_bodies = { UEFA = true, FIFA = true, IOC = true, FIA = true, WADA = true, NCAA = true,
  NFL = true, NBA = true, ATP = true, WTA = true }

-- Action cues: Lua patterns on the lowercased sentence, with their action.
local cues = {
  { "snap%-?back", "snapback" },
  -- enforcement acts
  { "%f[%a]charged%f[%A]", "enforce!" }, { "%f[%a]arrest", "enforce!" }, { "prosecut", "enforce!" },
  { "indict", "enforce!" }, { "convicted", "enforce!" }, { "%f[%a]fined%f[%A]", "enforce!" },
  { "pleaded guilty", "enforce!" }, { "detecting", "enforce!" }, { "crack%a* down", "enforce!" },
  { "action against", "enforce!" },
  { "enforc", "enforce" }, { "implement", "enforce" }, { "obliged to follow", "enforce" },
  { "subject to", "enforce" }, { "on the [%a ]-list", "enforce" }, { "impact", "enforce" },
  { "%f[%a]fac[ei][ns]g? [%a%s]-sanction", "enforce" }, { "struggles with", "enforce" },
  { "settle", "enforce" },
  -- evasion
  { "%f[%a]evad", "evade" }, { "evasion", "evade" }, { "circumvent", "evade" }, { "bypass", "evade" },
  { "shadow fleet", "evade" }, { "ghost ship", "evade" }, { "ship%-to%-ship", "evade" },
  { "transponder", "evade" }, { "disguis", "evade" }, { "reflag", "evade" }, { "violat", "evade" },
  { "in breach of", "evade" }, { "smuggl", "evade" }, { "skirt", "evade" },
  { "shipping restricted", "evade" }, { "supplying restricted", "evade" },
  { "exporting, selling", "evade" }, { "sold above the cap", "evade" }, { "above the cap", "evade" },
  { "outside western insurance", "evade" },
  -- threats and proposals
  { "%f[%a]threat", "threaten" }, { "%f[%a]warn", "threaten" }, { "%f[%a]weigh", "threaten" },
  { "consider", "threaten" }, { "%f[%a]mull", "threaten" }, { "prepar", "threaten" },
  { "propos", "threaten" }, { "push%a* for", "threaten" }, { "call%a* for", "threaten" },
  { "%f[%a]urg[ei]", "threaten" }, { "%f[%a]vow", "threaten" }, { "discuss", "threaten" },
  { "could face", "threaten" }, { "may face", "threaten" }, { "might face", "threaten" },
  { "would face", "threaten" }, { "contemplat", "threaten" }, { "on the table", "threaten" },
  { "draft", "threaten" }, { "%f[%a]seek", "threaten" }, { "lobb", "threaten" }, { "%f[%a]wants? [%a ]-to sanction", "threaten" },
  -- lifting and relief
  { "%f[%a]lift", "lift" }, { "delist", "lift" }, { "unfreez", "lift" }, { "%f[%a]lapse", "lift" },
  { "repeal", "lift" }, { "been released", "lift" }, { "%f[%a]scrap", "lift" },
  { "end%a* the embargo", "lift" }, { "removed from the [%a ]*list", "lift" },
  { "%f[%a]eas[ei][ds]?%f[%A]", "ease" }, { "%f[%a]easing", "ease" }, { "relax", "ease" },
  { "waiver", "ease" }, { "general licen[cs]e", "ease" }, { "exempt", "ease" },
  { "carve%-out", "ease" }, { "relief", "ease" },
  -- keeping in force
  { "%f[%a]extend", "extend" }, { "extension", "extend" }, { "%f[%a]renew", "extend" },
  { "roll%a* over", "extend" }, { "rollover", "extend" }, { "remain%a* in force", "extend" },
  { "remain%a* in place", "extend" }, { "keeps? [%a ]-in place", "extend" },
  { "stay on the", "extend" }, { "prolong", "extend" }, { "%f[%a]keeps%f[%A]", "extend" },
  -- widening
  { "tighten", "expand" }, { "toughen", "expand" }, { "tougher", "expand" }, { "broaden", "expand" },
  { "%f[%a]expand", "expand" }, { "additional sanction", "expand" }, { "further sanction", "expand" },
  { "step%a* up", "expand" }, { "widen", "expand" }, { "%f[%a]upping", "expand" },
  { "more sanctions", "expand" }, { "to cover", "expand" },
  -- new measures
  { "reimpos", "impose" }, { "%f[%a]impos", "impose" }, { "%f[%a]sanctioned%f[%A]", "impose" },
  { "%f[%a]sanctioning", "impose" }, { "%f[%a]to sanction%f[%A]", "impose" }, { "%f[%a]yet sanction%f[%A]", "impose" },
  { "will sanction%f[%A]", "impose" }, { "would sanction%f[%A]", "impose" }, { "may sanction%f[%A]", "impose" }, { "could sanction%f[%A]", "impose" },
  { "%f[%a]designat[ei][sd]?%f[%A]", "impose" },
  { "blacklist", "impose" }, { "added to", "impose" }, { "%f[%a]add [%a ]-to the", "impose" },
  { "%f[%a]bann?e?d?%f[%A]", "impose" }, { "%f[%a]bans%f[%A]", "impose" }, { "%f[%a]bars%f[%A]", "impose" },
  { "barred", "impose" }, { "%f[%a]froze%f[%A]", "impose" }, { "freezes", "impose" },
  { "w[ae][sr]e? frozen", "impose" }, { "been frozen", "impose" },
  { "%f[%a]hit [%a ]-with", "impose" }, { "levied", "impose" }, { "%f[%a]levy", "impose" },
  { "slapp?e?d?", "impose" }, { "%f[%a]secure", "impose" }, { "passed", "impose" },
  { "%f[%a]adopt", "impose" }, { "%f[%a]target", "impose" }, { "cut off", "impose" },
  { "removed from the swift", "impose" }, { "from swift", "impose" }, { "prohibit", "impose" },
  { "%f[%a]restrict%f[%A]", "impose" }, { "set of", "impose" }, { "round of", "impose" },
  { "package", "impose" }, { "go forward with", "impose" }, { "went into effect", "impose" },
  { "took effect", "impose" }, { "placed on", "impose" }, { "put in place", "impose" },
  { "%f[%a]restore", "impose" }, { "no longer be sold", "impose" }, { "revoked", "impose" },
  -- compliance
  { "under the threat of", "comply" }, { "%f[%a]compl[yi]", "comply" }, { "in line with", "comply" },
  { "step%a* back", "comply" }, { "pull%a* out", "comply" }, { "%f[%a]halt", "comply" },
  { "%f[%a]exit", "comply" }, { "cut [%a ]-ties", "comply" }, { "withdr[ae]w", "comply" },
  { "wound down", "comply" }, { "not allowed into", "comply" }, { "under pressure from", "comply" },
  { "will not carry", "comply" }, { "refus%a* to", "comply" }, { "stopped buying", "comply" },
}

local priority = { snapback = 10, ["enforce!"] = 9, threaten = 7, lift = 6, ease = 6,
  extend = 5, expand = 5, evade = 5, impose = 4, comply = 4, enforce = 2 }

-- Words that end a noun phrase when reading a target or a subject.
local np_stop = {}
for w in ([[for in over after since because as that which who whose when while until by under
  amid following at from to with than where during between within across if unless and-
  accused suspected found known based said registered involved held including such despite
  about into through on against so but or will would could may might should is are was were
  has have had]]):gmatch("%S+") do
  np_stop[w] = true
end
local determiners = { the = true, a = true, an = true, its = true, their = true, his = true,
  her = true, our = true, this = true, these = true, those = true, any = true }
local target_preps = { on = true, against = true, targeting = true, targets = true,
  ["to"] = true, with = true, ["in"] = true, from = true, over = true, into = true }

-- Helpers ---------------------------------------------------------------------------------

local function word_at(words, pos)
  -- index of the word containing or following byte pos
  local E = words.e
  local lo, hi = 1, #words
  while lo < hi do
    local mid = (lo + hi) // 2
    if E[mid] < pos then lo = mid + 1 else hi = mid end
  end
  return lo
end

local function any_find(s, list)
  for _, p in ipairs(list) do
    if s:find(p) then return p end
  end
  return nil
end

-- One native pass (PCRE2) for the prefilter when the host has lede.re; plain finds otherwise.
local stem_re
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and lede.re and lede.re.compile then
    local alts = {}
    for i, st in ipairs(M.stems) do
      alts[i] = st:gsub("[%^%$%(%)%.%[%]%*%+%-%?%{%}|\\]", "\\%0")
    end
    stem_re = lede.re.compile(table_concat(alts, "|"), "i")
  end
end

local function has_stem(lower)
  if stem_re then return stem_re:test(lower) end
  for _, st in ipairs(M.stems) do
    if lower:find(st, 1, true) then return true end
  end
  return false
end
M.has_stem = has_stem

-- Gazetteer mentions, tagged with their role hints.
local function mentions_of(g, words, norm)
  return g.scan and g:scan(norm, words) or g:find(words)
end

-- Noun phrase from words[i] forward, as written; returns text, last index.
local function np_forward(norm, words, i, max)
  max = max or 9
  while words[i] and determiners[words[i].l] do i = i + 1 end
  local j = i - 1
  local depth = 0
  while words[j + 1] and j + 1 - i < max do
    local w = words[j + 1]
    if w.p then
      if w.w == "," and words[j + 2] and words[j + 2].cap and words[j + 3]
        and words[j + 3].w ~= "," and false then
        j = j + 1
      else
        break
      end
    elseif np_stop[w.l] and j >= i then break
    elseif (w.l:match("ing$") or (w.l:match("ed$") and not w.cap)) and j >= i
      and not (words[j + 2] and not words[j + 2].p and not np_stop[words[j + 2].l]
        and not determiners[words[j + 2].l] and not words[j + 2].cap) then
      -- a participle with an object or complement ends the phrase ("companies registered in",
      -- "firms owning tankers"); before a noun it is a modifier ("trading firms")
      break
    else
      j = j + 1
    end
  end
  if j < i then return nil end
  -- a restrictive relative clause after a common plural noun belongs to the phrase
  -- ("countries that adhere to the cap", "exchanges that serve Russian clients")
  local r = words[j + 1]
  if r and (r.l == "that" or r.l == "who") and not words[j].cap and words[j].l:sub(-1) == "s"
    and words[j + 2] and not words[j + 2].p and not determiners[words[j + 2].l]
    and not words[j + 2].cap then
    local e = j + 1
    while words[e + 1] and not words[e + 1].p and e - j < 7 do e = e + 1 end
    if not words[e + 1] or words[e + 1].p then j = e end
  end
  return norm:sub(words.s[i], words.e[j]), j, i
end

-- Noun phrase ending at words[j], reading back to the clause start.
local function np_backward(norm, words, j)
  local i = j
  while i - 1 >= 1 do
    local w = words[i - 1]
    if w.p then break end
    if np_stop[w.l] or w.l == "and" and false then break end
    if (w.l == "was" or w.l == "were" or w.l == "is" or w.l == "are" or w.l == "has"
      or w.l == "have" or w.l == "had") then break end
    i = i - 1
  end
  while words[i] and determiners[words[i].l] and i < j do i = i + 1 end
  if i > j then return nil end
  return norm:sub(words.s[i], words.e[j]), i
end

-- Country label for a phrase that is just a country, capital or regime ("Moscow", "the Kremlin",
-- "Putin's regime", "Russia's government"), else nil.
local function country_of(g, phrase)
  if not phrase then return nil end
  local p = phrase:gsub("^[Tt]he ", "")
  local l = g:label(p)
  if l then return l end
  local base = p:match("^(.-)'s? (%a+)$")
  local head = p:match("'s? (%a+)$")
  if base and (head == "government" or head == "regime" or head == "leadership"
    or head == "economy") then
    return g:label(base)
  end
  base = p:match("^(.-) (government|regime|leadership)$")
  if base then return g:label(base) end
  return nil
end

-- Analysis --------------------------------------------------------------------------------

-- Word key -> 1 strong trigger, 2 weak trigger, 3 "swift" (a trigger only written "SWIFT").
local trigger_kind = {}
for w in pairs(weak) do trigger_kind[w] = 2 end
for w in pairs(strong) do trigger_kind[w] = 1 end
trigger_kind.swift = trigger_kind.swift or 3

-- The multi-word triggers as one native set of byte literals (ids = positions in
-- strong_phrases), to find in one pass whether any occurs.
local phrase_any
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and lede.re and lede.re.set then
    local pl = {}
    for i, ph in ipairs(strong_phrases) do
      pl[i] = { id = i, pattern = (ph:gsub("[%^%$%(%)%.%[%]%*%+%-%?%{%}|\\]", "\\%0")) }
    end
    phrase_any = lede.re.set(pl, "b")
  end
end

local function by_index(x, y) return x.index < y.index end

-- Trigger word indices: {index=, strong=}. `pre` (from M.article's batched scans) carries
-- pre.phrases, the set of phrase ids that occur in this sentence (nil: none).
local function find_triggers(norm, lower, words, ctx, pre)
  local trig, n = {}, 0
  local weak_ok, cap_ok = ctx.sanctions_article, ctx.price_cap
  for k = 1, #words do
    local w = words[k]
    -- one lookup per word (no punctuation mark is in these sets)
    local kind = trigger_kind[w.l]
    if kind then
      if kind == 1 or (kind == 3 and w.w == "SWIFT") then
        n = n + 1
        trig[n] = { index = k, strong = true }
      elseif kind == 2 and weak_ok and (w.l ~= "cap" or cap_ok) then
        n = n + 1
        trig[n] = { index = k, strong = false }
      end
    end
  end
  -- every occurrence of each multi-word trigger (overlapping ones too); the native set only
  -- says which phrases occur at all, so the plain finds run for those alone
  local occurs
  if pre then
    occurs = pre.phrases
    if not occurs then return trig end
  elseif phrase_any then
    local hits = phrase_any:scan(lower)
    if #hits == 0 then return trig end
    occurs = {}
    for _i = 1, #hits do
      local h = hits[_i]
      occurs[h.id] = true
    end
  end
  for i, p in ipairs(strong_phrases) do
    if not occurs or occurs[i] then
      local s = 1
      while true do
        local a = lower:find(p, s, true)
        if not a then break end
        n = n + 1
        trig[n] = { index = word_at(words, a), strong = true }
        s = a + 1
      end
    end
  end
  table_sort(trig, by_index)
  return trig
end

-- Lua pattern (the subset used above) -> PCRE2, so all cues run as one lede.re.set pass.
local function to_pcre(p)
  local out, i, n = {}, 1, #p
  local function class_item(c)
    if c == "a" then return "a-z" elseif c == "A" then return "^a-z" elseif c == "s" then return "\\s" end
    return "\\" .. c
  end
  while i <= n do
    local c = p:sub(i, i)
    if c == "%" then
      local d = p:sub(i + 1, i + 1)
      if d == "f" then
        local close = p:find("]", i + 2, true)
        out[#out + 1] = "\\b"
        i = close + 1
      else
        if d == "a" then out[#out + 1] = "[a-z]"
        elseif d == "A" then out[#out + 1] = "[^a-z]"
        elseif d == "s" then out[#out + 1] = "\\s"
        else out[#out + 1] = "\\" .. d end
        i = i + 2
      end
    elseif c == "[" then
      local j = i + 1
      local parts = { "[" }
      while p:sub(j, j) ~= "]" do
        local e = p:sub(j, j)
        if e == "%" then parts[#parts + 1] = class_item(p:sub(j + 1, j + 1)); j = j + 2
        else parts[#parts + 1] = e; j = j + 1 end
      end
      parts[#parts + 1] = "]"
      out[#out + 1] = table_concat(parts)
      i = j + 1
    elseif c == "-" then
      out[#out + 1] = "*?"
      i = i + 1
    else
      out[#out + 1] = c
      i = i + 1
    end
  end
  return table_concat(out)
end
M.to_pcre = to_pcre

local cue_set, not_sanctions_re, not_sanctions_set
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and lede.re and lede.re.set then
    local list = {}
    for i, c in ipairs(cues) do list[i] = { id = i, pattern = to_pcre(c[1]) } end
    cue_set = lede.re.set(list)
    local alts = {}
    for i, p in ipairs(not_sanctions) do alts[i] = to_pcre(p) end
    not_sanctions_re = lede.re.compile(table_concat(alts, "|"))
    -- the same patterns as a set, for M.article's one scan per article (a sentence holds a
    -- match of the alternation exactly when one of them matches in it)
    not_sanctions_set = lede.re.set(alts)
  end
end

-- Cue hits in cue order, then text order (the order every later step reads), as two lists:
-- the cues and their starts. `pre` (M.article's batched scan) holds this sentence's hits in
-- text order as pre.cue_ids, pre.cue_starts.
local function raw_cues(lower, pre)
  local cs, at = {}, {}
  if cue_set then
    local ids, starts
    if pre then
      ids, starts = pre.cue_ids, pre.cue_starts
    else
      ids, starts = {}, {}
      local hits = cue_set:scan(lower)
      for k = 1, #hits do
        local h = hits[k]
        ids[k], starts[k] = h.id, h.start
      end
    end
    -- text order to cue order: an insertion sort (the hits are few, and no two share both id
    -- and start, so this is the one order a full sort gives)
    for i = 2, #ids do
      local id, st = ids[i], starts[i]
      local j = i - 1
      while j >= 1 do
        local pid = ids[j]
        if pid > id or (pid == id and starts[j] > st) then
          ids[j + 1], starts[j + 1] = pid, starts[j]
          j = j - 1
        else
          break
        end
      end
      ids[j + 1], starts[j + 1] = id, st
    end
    for k = 1, #ids do cs[k], at[k] = cues[ids[k]], starts[k] end
    return cs, at
  end
  local n = 0
  for _, c in ipairs(cues) do
    local s = 1
    while true do
      local a, b = lower:find(c[1], s)
      if not a then break end
      n = n + 1
      cs[n], at[n] = c, a
      s = b + 1
    end
  end
  return cs, at
end

local function find_cues(lower, words, pre)
  local out, n = {}, 0
  local cs, at = raw_cues(lower, pre)
  for k = 1, #cs do
    local c, a = cs[k], at[k]
    local idx = word_at(words, a)
    local prev = words[idx - 1]
    -- "the designated firms", "the sanctioned company": adjectives, not acts
    if not (prev and determiners[prev.l] and c[2] == "impose" and words[idx].l:match("ed$")) then
      n = n + 1
      out[n] = { index = idx, action = c[2], pat = c[1], pos = a }
    end
  end
  return out
end

-- Choose the action: the cue closest to a trigger; enforcement acts and snapbacks win; a
-- threat verb governing the chosen cue makes it a threat.
local function choose_action(cs, trig, words)
  local best, bestd
  for _i = 1, #cs do
    local c = cs[_i]
    if c.action == "snapback" then return "snapback", c.index end
  end
  for _i = 1, #cs do
    local c = cs[_i]
    if c.action == "enforce!" then return "enforce", c.index end
  end
  for _i = 1, #cs do
    local c = cs[_i]
    local d = math_huge
    for _i = 1, #trig do
      local t = trig[_i]
      if t.index ~= c.index or #trig == 1 or c.action ~= "evade" then
        local dd = math_abs(c.index - t.index)
        if c.index > t.index then dd = dd + 0.5 end -- a verb before its noun is a bit likelier
        if dd < d then d = dd end
      end
    end
    -- cues inside a relative clause ("a designation that carries additional sanctions")
    for k = math_max(1, c.index - 4), c.index - 1 do
      local l = words[k].l
      if (l == "that" or l == "which") and k > 1 and not words[k - 1].p
        and not modal_words[words[k - 1].l] and words[k - 1].l ~= "said" then
        d = d + 3
      end
    end
    -- background participles ("the measures, first imposed in 2014") do not count
    local prev = words[c.index - 1]
    if prev and (prev.l == "first" or prev.l == "originally" or prev.l == "initially") then
      d = d + 20
    end
    d = d - priority[c.action] * 0.01
    if not bestd or d < bestd then best, bestd = c, d end
  end
  if not best then return "enforce", trig[1] and trig[1].index or 1, true end
  local action = best.action
  if action ~= "threaten" then
    for _i = 1, #cs do
      local c = cs[_i]
      if c.action == "threaten" and c.index < best.index and best.index - c.index <= 6
        and c.pat ~= "%f[%a]threat" then
        return "threaten", c.index
      end
      if c.action == "comply" and c.pat == "under the threat of" then return "comply", c.index end
    end
  end
  if action == "enforce!" then action = "enforce" end
  return action, best.index
end

-- Coordinated actors around mention m: "the U.S. and the European Union", "A, B, C and D".
local function coordinated(ms, k, words)
  local group = { ms[k] }
  local j = k
  while ms[j + 1] do
    local a, b = ms[j], ms[j + 1]
    local ok = true
    for w = a.last + 1, b.first - 1 do
      local l = words[w].l
      if not (l == "and" or l == "," or l == "the" or l == "&" or l == "along" or l == "with"
        or l == "(" or l == ")" or l == "its" or l == "allies") then ok = false; break end
    end
    if not ok or b.first - a.last > 5 then break end
    if b.kind ~= "demonym" then group[#group + 1] = b end
    j = j + 1
  end
  return group, j
end

local function join_labels(group)
  local out, seen = {}, {}
  for _i = 1, #group do
    local m = group[_i]
    if not seen[m.label] then seen[m.label] = true; out[#out + 1] = m.label end
  end
  if #out == 0 then return nil end
  return table_concat(out, "; ")
end

local function inside(m, span)
  return span and m.first >= span[1] and m.last <= span[2]
end

-- Role nouns after an actor that make it a speaker's affiliation, not an imposer
-- ("Kremlin spokesman", "EU officials", "Iran's foreign ministry").
local role_after = {}
for w in ([[spokesman spokeswoman spokesperson official officials diplomat diplomats envoy minister
  ministry ambassador leader leaders lawmakers president analyst analysts counterpart
  foreign prime deputy]]):gmatch("%S+") do
  role_after[w] = true
end

-- Imposer: an actor naming the sanctions ("U.S. sanctions", "sanctioned by the U.S."), else
-- the subject of an imposing act.
local measure_nouns = { sanction = true, sanctions = true, embargo = true, embargoes = true,
  restrictions = true, measures = true, penalties = true, list = true, lists = true, cap = true,
  controls = true, blacklist = true, designations = true, listings = true, curbs = true,
  ban = true, regime = true, price = true, export = true, trade = true, arms = true }

local government_nouns = { government = true, authorities = true, administration = true,
  treasury = true, officials = true, regulators = true }

local announce_cues = { announced = true, announces = true, declared = true, declares = true,
  confirmed = true, confirms = true }

-- Is mention m followed by a role noun ("Kremlin spokesman"): a speaker's affiliation?
local function speaker(words, m)
  local n = words[m.last + 1]
  return n and not n.p and role_after[n.l]
end

local function find_imposer(ms, words, trig, anchor, action, src_span, cue)
  local trig_at = {}
  for _i = 1, #trig do
    local t = trig[_i]
    if measure_nouns[words[t.index].l] then trig_at[t.index] = true end
  end
  -- 1. agent: "sanctioned by the U.S. Treasury", "imposed by the U.S."
  for k = 1, #ms do
    local m = ms[k]
    -- a demonym acts only with a government noun ("by the British government")
    local gov = words[m.last + 1] and government_nouns[words[m.last + 1].l]
    if m.kind ~= "demonym" or gov then
      local f = m.first
      if words[f - 1] and words[f - 1].l == "the" then f = f - 1 end
      local p = words[f - 1]
      local pp = words[f - 2]
      if p and p.l == "by" and pp and (trig_at[f - 2] or (pp.l:match("ed$") and
        (trig_at[f - 2] or math_abs(f - anchor) <= 4))) then
        return join_labels((coordinated(ms, k, words)))
      end
    end
  end
  -- 2. modifier or possessive right before a sanction noun: "U.S. secondary sanctions",
  --    "Canada's sanctions", "Western sanctions", "EU sanctions law", "the sanctions lists of A, B",
  --    "the sanctions that Canada has imposed"
  if action ~= "snapback" then
    for k = 1, #ms do
      local m = ms[k]
      for d = 1, 3 do
        if trig_at[m.last + d] then
          local ok = true
          for w = m.last + 1, m.last + d - 1 do
            if words[w].p or np_stop[words[w].l] or words[w].cap then ok = false end
          end
          local prev = words[m.first - 1]
          if prev and (prev.l == "on" or prev.l == "against") then ok = false end
          if ok then return join_labels((coordinated(ms, k, words))) end
        end
      end
      local p = words[m.first - 1]
      if p and p.l == "of" and words[m.first - 2] and (words[m.first - 2].l == "lists"
        or words[m.first - 2].l == "list") then
        return join_labels((coordinated(ms, k, words)))
      end
      if p and (p.l == "that" or p.l == "which") and trig_at[m.first - 2] and m.kind ~= "demonym" then
        return join_labels((coordinated(ms, k, words)))
      end
    end
  end
  if action == "evade" or action == "comply" then return nil end
  -- 3. subject: the actor closest before the anchor that is not after a preposition, not a
  --    speaker's affiliation and not a demonym
  --    (a speaker only when no other actor is there: "the White House announced that …")
  for pass = 1, announce_cues[cue] and 2 or 1 do
  for k = #ms, 1, -1 do
    local m = ms[k]
    if m.first < anchor and m.kind ~= "demonym" and not speaker(words, m)
      and (pass == 2 or not inside(m, src_span)) then
      local p = words[m.first - 1]
      if p and p.l == "the" then p = words[m.first - 2] end
      local isprep = p and (target_preps[p.l] or p.l == "of" or p.l == "for" or p.l == "at"
        or p.l == "about" or p.l == "between" or p.l == "show" or p.l == "than" or p.l == "under")
      local n = words[m.last + 1]
      local possnoun = m.poss and not (n and trig_at[m.last + 1])
      if not isprep and not possnoun then
        -- take the whole coordination this mention ends
        local first = k
        while first > 1 do
          local g2, upto = coordinated(ms, first - 1, words)
          if #g2 > 1 and upto >= k then first = first - 1 else break end
        end
        return join_labels((coordinated(ms, first, words)))
      end
    end
  end
  end
  return nil
end

-- Target: the object of the sanctions ("sanctions on X", "sanctioned X", "X was sanctioned").
local resolve_pronoun
local pronoun_targets = { it = true, them = true, they = true, him = true, her = true, he = true,
  she = true }

-- The words that can open each step of find_target below (each step's loop skips the others
-- with one lookup).
local object_verbs = {}
for w in ([[sanctioned designated blacklisted designates targets targeting designate sanctioning
  sanction impose imposed imposing reimposed add added]]):gmatch("%S+") do
  object_verbs[w] = true
end
local aux_words = { was = true, were = true, is = true, are = true, been = true, stay = true,
  stays = true, remain = true, remains = true }
for w in pairs(modal_words) do aux_words[w] = true end

-- A target phrase as recorded: without "the" and trailing punctuation, a country for a country,
-- capital or regime; nil and the pronoun for a pronoun (resolved by the caller).
local function finish(g, phrase)
  if not phrase then return nil end
  phrase = phrase:gsub("^[Tt]he ", ""):gsub("[%s,;:%-]+$", "")
  if phrase == "" then return nil end
  local c = country_of(g, phrase)
  if c then return c end
  -- a pronoun is resolved by the caller (same or previous sentence)
  local l = phrase:lower()
  if pronoun_targets[l] then return nil, l end
  if l == "us" then return nil end
  return phrase
end

local function find_target(g, norm, words, ms, trig, anchor, action, imposer, src_span)
  local trig_at = {}
  for _i = 1, #trig do
    local t = trig[_i]
    trig_at[t.index] = true
  end
  -- 1. "sanctions on/against X", "embargo on X", "restrictions on X"
  for _i = 1, #trig do
    local t = trig[_i]
    local k = t.index + 1
    while words[k] and (words[k].l == "imposed" or words[k].l == "placed") do k = k + 1 end
    local p = words[k]
    if p and (p.l == "on" or p.l == "against" or p.l == "targeting") then
      local phrase, last = np_forward(norm, words, k + 1)
      if phrase then
        -- "sanctions on European trade with Iran", "restrictions on flights to Cuba"
        local q = words[last + 1]
        if q and (q.l == "with" or q.l == "to" or q.l == "in") then
          for _i = 1, #ms do
            local m = ms[_i]
            if m.first == last + 2 and m.kind ~= "demonym" then return m.label end
          end
        end
        return finish(g, phrase)
      end
    end
  end
  -- 2. active verb + object: "sanctioned the crypto mixer Tornado Cash", "imposed sanctions on"
  for k = 1, #words do
    local w = words[k]
    if not object_verbs[w.l] then goto next2 end
    local verbal = w.l == "sanctioned" or w.l == "designated" or w.l == "blacklisted"
      or w.l == "designates" or w.l == "targets" or w.l == "targeting" or w.l == "designate"
      or (w.l == "sanctioning" and words[k - 1] and words[k - 1].l ~= "the")
    if (w.l == "sanction" or w.l == "designate") and words[k - 1] then
      local p = words[k - 1].l
      verbal = p == "to" or p == "will" or p == "would" or p == "may" or p == "might" or p == "could"
        or p == "yet" or p == "not" or p == "also"
    end
    if verbal
      and not (words[k - 1] and (words[k - 1].l == "was" or words[k - 1].l == "were"
        or words[k - 1].l == "been" or words[k - 1].l == "be" or words[k - 1].l == "being"
        or words[k - 1].l == "the" or words[k - 1].l == "also" or words[k - 1].l == "similarly"))
      and words[k + 1] and not words[k + 1].p and words[k + 1].l ~= "by" then
      local phrase = np_forward(norm, words, k + 1)
      if phrase then return finish(g, phrase) end
    end
    if (w.l == "impose" or w.l == "imposed" or w.l == "imposing" or w.l == "reimposed") then
      for m = k + 1, math_min(#words, k + 5) do
        if words[m].l == "on" or words[m].l == "against" then
          local phrase = np_forward(norm, words, m + 1)
          if phrase then return finish(g, phrase) end
          break
        end
      end
    end
    if (w.l == "add" or w.l == "added") and words[k + 1] and words[k + 1].l ~= "to" then
      local phrase = np_forward(norm, words, k + 1)
      if phrase then return finish(g, phrase) end
    end
    ::next2::
  end
  -- 3. passive subject: "X was sanctioned", "X is subject to sanctions", "X is on the list"
  for k = 1, #words do
    local w = words[k]
    if not aux_words[w.l] then goto next3 end
    local aux = w.l == "was" or w.l == "were" or w.l == "is" or w.l == "are" or w.l == "been"
      or ((w.l == "stay" or w.l == "stays" or w.l == "remain" or w.l == "remains")
        and words[k + 1] and words[k + 1].l == "on")
      or (modal_words[w.l] and words[k + 1] and (words[k + 1].l == "face"))
    if aux then
      local n = k + 1
      while words[n] and (words[n].l == "also" or words[n].l == "similarly" or words[n].l == "later"
        or words[n].l == "eventually" or words[n].l == "being" or words[n].l == "now") do n = n + 1 end
      local v = words[n]
      if v and (trig_at[n] or v.l == "subject" or v.l == "frozen" or v.l == "banned"
        or v.l == "removed" or v.l == "facing" or v.l == "face" or v.l == "hit"
        or (v.l == "on" and (trig_at[n + 2] or trig_at[n + 3] or trig_at[n + 4]))) then
        local b = k - 1
        if words[b] and (words[b].l == "has" or words[b].l == "have" or words[b].l == "had") then b = b - 1 end
        if words[b] and words[b].p and words[b].w == "," then
          -- "Two companies, IPS Pacific and Shenzhen Yantu, were sanctioned": the apposition
          local c = b - 1
          while c >= 1 and words[c].w ~= "," do c = c - 1 end
          local r = b - 1
          while r - 1 > c and words[r - 1].cap and not words[r - 1].p do r = r - 1 end
          if c >= 1 and c < b - 1 and words[c + 1].cap then
            return finish(g, norm:sub(words.s[c + 1], words.e[b - 1]))
          elseif c >= 1 and words[b - 1].cap and r > c + 1 then
            return finish(g, norm:sub(words.s[r], words.e[b - 1]))
          elseif c >= 1 and c < b - 1 then
            b = c - 1
          else
            b = b - 1
          end
        end
        if words[b] and not words[b].p then
          -- take the subject from the clause start
          local i = b
          while i - 1 >= 1 and not words[i - 1].p and not (words[i - 1].l == "that"
            or words[i - 1].l == "which" or words[i - 1].l == "and" or words[i - 1].l == "but") do
            i = i - 1
          end
          -- "Foreign banks that facilitate transactions ... could face": the head before "that"
          local rel = words[i - 1]
          if modal_words[w.l] and rel and (rel.l == "that" or rel.l == "which" or rel.l == "who")
            and i - 2 >= 1 and not words[i - 2].p and not reporting_verbs[words[i - 2].l] then
            b = i - 2
            i = b
            while i - 1 >= 1 and not words[i - 1].p and not np_stop[words[i - 1].l] do i = i - 1 end
          end
          local subj = norm:sub(words.s[i], words.e[b])
          local l = words[i].l
          if pronoun_targets[l] and i == b then return nil, l end
          -- keep a proper name that ends the subject ("the potash exporter Belaruskali")
          if words[b].cap and b > i and (not words[i].cap or determiners[words[i].l]) then
            local r = b
            while r - 1 >= i and words[r - 1].cap do r = r - 1 end
            subj = norm:sub(words.s[r], words.e[b])
          end
          return finish(g, subj)
        end
      end
    end
    ::next3::
  end
  -- 4a. "cut ties with X", "business with X"
  if action == "comply" or action == "evade" then
    for k = 1, #words do
      local w = words[k]
      if (w.l == "ties" or w.l == "business" or w.l == "dealings" or w.l == "trade")
        and words[k + 1] and words[k + 1].l == "with" then
        local phrase = np_forward(norm, words, k + 2, 5)
        if phrase then return finish(g, phrase) end
      end
    end
  end
  -- 4. evasion and compliance: the regime's target — the subject country, or "to/with X"
  if action == "evade" or action == "comply" or action == "enforce" then
    for pass = 1, action == "evade" and 2 or 1 do
      for _i = 1, #ms do
        local m = ms[_i]
        if m.kind ~= "demonym" and m.label ~= imposer and (pass == 2 or not inside(m, src_span))
          and not (imposer and imposer:find(m.label, 1, true)) then
          local p = words[m.first - 1]
          -- "very rare in Canada", "partners in the United States": where, not whom
          local where = action == "enforce" and p and (p.l == "in" or (p.l == "the" and words[m.first - 2]
            and words[m.first - 2].l == "in"))
          if not where and not (p and p.l == "by") then return m.label end
        end
      end
    end
    for _i = 1, #ms do
      local m = ms[_i]
      if m.kind == "demonym" and m.label ~= imposer and m.label ~= "European Union"
        and m.label ~= "Western countries" then
        return m.label
      end
    end
  end
  -- 5. "banned the export of sensitive goods to Russia", "exports to X were banned"
  for k = 1, #words do
    local w = words[k]
    if w.l == "export" or w.l == "exports" or w.l == "sales" or w.l == "sale" or w.l == "shipments" then
      for j = k + 1, math_min(#words, k + 8) do
        local x = words[j]
        if x.p or x.l == "from" then break end
        if x.l == "to" then
          for _i = 1, #ms do
            local m = ms[_i]
            if m.first == j + 1 and m.kind ~= "demonym" then return m.label end
          end
          if trig_at[k - 1] or trig_at[k - 2] or trig_at[k - 3] or (words[k - 1] and words[k - 1].l == "the"
            and (trig_at[k - 2] or trig_at[k - 3])) then
            local phrase = np_forward(norm, words, j + 1, 7)
            if phrase then return finish(g, phrase) end
          end
          break
        end
      end
    end
  end
  -- 6. a country named after a target preposition close to a sanction word
  for _i = 1, #ms do
    local m = ms[_i]
    local p = words[m.first - 1]
    if m.kind ~= "demonym" and p and (p.l == "on" or p.l == "against" or p.l == "targeting")
      and m.label ~= imposer then
      local near = false
      for d = 2, 6 do if trig_at[m.first - d] then near = true end end
      if near then return m.label end
    end
  end
  return nil
end

-- Sense filter: is this sentence about sanctions (in the sense of the guide)?
-- Things that are "sanctioned" in the sense of approved.
local approval_objects = {}
for w in ([[route routes plan plans schedule calendar event events race races match matches fight bout
  tournament game games rally use changes change merger deal proposal budget project expansion
  season fixture fixtures format rule rules trial]]):gmatch("%S+") do
  approval_objects[w] = true
end

local function is_claim(unit, lower, words, trig, ms, cs, ctx, pre)
  if #trig == 0 then return false end
  local other_sense
  if pre then
    other_sense = pre.not_sanctions
  elseif not_sanctions_re then
    other_sense = not_sanctions_re:test(lower)
  else
    other_sense = any_find(lower, not_sanctions)
  end
  if other_sense then
    -- a sport sentence can still be about real sanctions ("subject to EU sanctions")
    local geo = false
    for _i = 1, #ms do
      local m = ms[_i]
      if m.kind ~= "demonym" then geo = true end
    end
    if not geo or lower:find("their own sanctions", 1, true) or lower:find("pragmatic sanction", 1, true)
      or lower:find("social sanction", 1, true) then
      return false
    end
  end
  for k = 1, #words do
    local w = words[k]
    if sport_bodies[w.w] then return false end
    -- the approval sense: "the council sanctioned a new bus route"
    if w.l == "sanctioned" and words[k + 1] and determiners[words[k + 1].l] then
      for j = k + 2, math_min(#words, k + 5) do
        if approval_objects[words[j].l] then
          local geo = false
          for _i = 1, #ms do
            local m = ms[_i]
            if m.kind ~= "demonym" then geo = true end
          end
          if not geo then return false end
        end
        if words[j].p then break end
      end
    end
  end
  local has_strong = false
  for _i = 1, #trig do
    local t = trig[_i]
    if t.strong then has_strong = true end
  end
  local geo = false
  for _i = 1, #ms do
    local m = ms[_i]
    geo = true; break
  end
  local cue = #cs > 0
  if not has_strong then
    -- weak vocabulary needs an actor and a cue in an article about sanctions
    return ctx.sanctions_article and geo and cue
  end
  -- a bare mention with no actor, no cue and no named party is an opinion or a label
  if not geo and not cue then
    local capnames = 0
    for k = 1, #words do
      local w = words[k]
      if w.cap and k > 1 and not w.p then capnames = capnames + 1 end
    end
    if capnames == 0 then return false end
  end
  -- headline-like fragments: very short units without a verb-like cue or actor
  if #words <= 3 then return false end
  return true
end

-- A pronoun target resolved as the guide says: to an entity named in the same sentence before
-- it ("it", "they": an actor) or in the sentence before ("he", "she": the name that opens it).
resolve_pronoun = function(g, pron, words, ms, imposer, prev)
  if pron == "it" or pron == "them" or pron == "they" then
    local at
    for k = 1, #words do
      local w = words[k]
      if w.l == pron then at = k break end
    end
    local best
    for _i = 1, #ms do
      local m = ms[_i]
      if at and m.last < at and m.kind ~= "demonym" and m.label ~= imposer then best = m.label end
    end
    return best
  end
  if not prev or not prev.text then return nil end
  local norm = claims_normalise(claims_squash(prev.text))
  local pw = claims_wordlist(norm)
  if pron == "he" or pron == "she" or pron == "him" or pron == "her" then
    local i = 1
    while pw[i] and (determiners[pw[i].l] or pw[i].p) do i = i + 1 end
    local j = i
    while pw[j + 1] and pw[j + 1].cap and not pw[j + 1].p and not pw[j].poss do j = j + 1 end
    if pw[i] and pw[i].cap and not pronoun_targets[pw[i].l] and not titles[pw[i].w] then
      local name = norm:sub(pw.s[i], pw.e[j])
      if not g:label(name) then return name end
    end
    return nil
  end
  for _, m in ipairs(g.scan and g:scan(norm, pw) or g:find(pw)) do
    if m.kind ~= "demonym" and m.label ~= imposer then return m.label end
  end
  return nil
end

--- Claims of one unit (a sentence with its place in the article). `pre` is optional: the
--- unit's lowercased normal form, its cue and phrase hits from M.article's batched scans and a
--- scratch table shared by the article's units.
function M.analyse(g, unit, ctx, prev, pre)
  if unit.skip then return {}, nil end
  local norm = unit.norm or claims_normalise(unit.text)
  local lower = pre and pre.lower or norm:lower()
  if not unit.hits and not has_stem(lower) then return {}, nil end
  -- M.article's units share one word list, refilled for each (nothing keeps a unit's words)
  local scratch = pre and pre.scratch
  local words = claims_wordlist(norm, scratch and scratch.words)
  if scratch then scratch.words = words end
  local trig = find_triggers(norm, lower, words, ctx, pre)
  local ms = mentions_of(g, words, norm)
  local attr = claims_attribution(norm, words, prev and prev.attr, prev and prev.names)
  local cs = find_cues(lower, words, pre)
  if not is_claim(unit, lower, words, trig, ms, cs, ctx, pre) then return {}, attr end
  local action, anchor, noun_anchor = choose_action(cs, trig, words)
  local src_span
  if attr and attr.source then
    -- words of the source phrase (so "Iran's foreign ministry spokesman" is not an actor)
    local a = norm:find(attr.source, 1, true)
    if a then src_span = { word_at(words, a), word_at(words, a + #attr.source - 1) } end
  end
  local imposer = find_imposer(ms, words, trig, anchor, action, src_span, attr and attr.cue)
  if not imposer and lower:find("sanctions? resolutions?") then imposer = "United Nations" end
  local target, pron = find_target(g, norm, words, ms, trig, anchor, action, imposer, src_span)
  if not target and pron then target = resolve_pronoun(g, pron, words, ms, imposer, unit.prev) end
  local status = claims_status(words, anchor, attr, { noun_anchor = noun_anchor }, lower)
  local rec = {
    sentence = unit.text, action = action, imposer = imposer, target = target,
    status = status, source = attr and attr.source or nil, in_body = unit.in_body,
  }
  return { rec }, attr
end

-- The stems as one native pattern set (ids = positions in M.stems), scanned once per article.
local stem_set
local count_stems = { sanction = true, embargo = true, blacklist = true, ["price cap"] = true,
  ["entity list"] = true, ["shadow fleet"] = true, ["export control"] = true }
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and lede.re and lede.re.set then
    local list = {}
    for i, st in ipairs(M.stems) do
      list[i] = { id = i, pattern = (st:gsub("[%^%$%(%)%.%[%]%*%+%-%?%{%}|\\]", "\\%0")) }
    end
    stem_set = lede.re.set(list, "i")
  end
end
M.stem_set = stem_set

--- Is the article about sanctions? (two or more strong mentions in the title and body)
function M.context(hits, title_hits, text)
  local n = 0
  for _, list in ipairs({ hits, title_hits }) do
    for _, h in ipairs(list) do
      local st = M.stems[h.id]
      if count_stems[st] then n = n + 1 end
    end
  end
  local cap = false
  for _i = 1, #hits do
    local h = hits[_i]
    if M.stems[h.id] == "price cap" then cap = true break end
  end
  return { sanctions_article = n >= 2, price_cap = cap }
end

-- The attribution of a sentence that was not analysed (for "she said" after it), on demand.
local function lazy_attr(st)
  return function()
    local norm = claims_normalise(claims_squash(st.text))
    return claims_attribution(norm, claims_wordlist(norm))
  end
end

-- The cue and phrase sets scanned once over all of an article's units (their lowercased
-- normal forms joined by NUL bytes) instead of once per unit: a set scan has a fixed cost per
-- call, as large as scanning a sentence. No cue, phrase or other-sense pattern can match a NUL
-- (they are literals, [a-z], spaces and \s), so no match crosses from one unit into the next
-- and each unit gets exactly the hits, in the same order, that a scan of it alone gives.
-- Returns one table per unit (false for a skipped one): {lower=, cue_ids=, cue_starts=,
-- phrases=, not_sanctions=, scratch=}.
local function batch_scans(units)
  if not cue_set or not phrase_any or not not_sanctions_set then return nil end
  local pres, parts, offs, n, pos = {}, {}, {}, 0, 0
  local scratch = {}
  for i, u in ipairs(units) do
    if u.skip then
      pres[i] = false
    else
      local norm = u.norm or claims_normalise(u.text)
      u.norm = norm
      local lower = norm:lower()
      pres[i] = { lower = lower, cue_ids = {}, cue_starts = {}, scratch = scratch }
      n = n + 1
      parts[n], offs[n] = lower, { i, pos, pos + #lower }
      pos = pos + #lower + 1
    end
  end
  if n == 0 then return pres end
  local joined = table_concat(parts, "\0")
  -- hits come ordered by start; walk the units alongside
  local j = 1
  local hits = cue_set:scan(joined)
  for k = 1, #hits do
    local h = hits[k]
    while h.start > offs[j][3] do j = j + 1 end
    local o = offs[j]
    local pre = pres[o[1]]
    local m = #pre.cue_ids + 1
    pre.cue_ids[m], pre.cue_starts[m] = h.id, h.start - o[2]
  end
  j = 1
  hits = phrase_any:scan(joined)
  for k = 1, #hits do
    local h = hits[k]
    while h.start > offs[j][3] do j = j + 1 end
    local pre = pres[offs[j][1]]
    local occurs = pre.phrases
    if not occurs then occurs = {}; pre.phrases = occurs end
    occurs[h.id] = true
  end
  j = 1
  hits = not_sanctions_set:scan(joined)
  for k = 1, #hits do
    local h = hits[k]
    while h.start > offs[j][3] do j = j + 1 end
    pres[offs[j][1]].not_sanctions = true
  end
  return pres
end

--- All claims of an article, as a list of data tables (fields of the claims README).
function M.article(a, g)
  g = g or actors.default()
  local units, info = claims.candidates(a, stem_set)
  if #units == 0 then return {} end
  local ctx = M.context(info.hits, info.title_hits)
  local pres = batch_scans(units)
  local out = {}
  local done = {}   -- sentence index -> attribution of an analysed body sentence
  local prev_unit
  for i, u in ipairs(units) do
    local prev
    if u.index then
      local pa = done[u.index - 1]
      if pa ~= nil then prev = { attr = pa or nil }
      elseif u.prev then prev = { attr = lazy_attr(u.prev) } end
    else
      prev = prev_unit
    end
    local recs, attr = M.analyse(g, u, ctx, prev, pres and pres[i])
    for _, r in ipairs(recs) do out[#out + 1] = r end
    if u.index then done[u.last or u.index] = attr or false end
    prev_unit = { attr = attr }
  end
  return out
end

M.hedging = hedging
return M
