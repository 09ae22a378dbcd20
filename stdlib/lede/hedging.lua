-- lede.hedging — negation and hedge cues around a predicate.
--
--   local hedging = require "lede.hedging"
--   local st, cue = hedging.status(words, anchor)   -- "negated" | "hedged" | nil
--
-- `words` comes from lede.claims.words(s); `anchor` is the index of the word that carries the
-- claim's predicate (the action verb, or the sanction noun when there is none). A cue counts only
-- when it is close enough to the anchor to govern it: modal verbs and hedge adverbs just before it,
-- negations a few words either side, hedging verbs ("accused", "alleged") before it in the same
-- clause. Cues that are part of a restriction ("not allowed", "no longer permitted") are not
-- negations: a ban is the claim, not its denial.
-- globals as locals (faster, notably in a sandboxed state)
local ipairs, math_max, math_min = ipairs, math.max, math.min
local byte, sub = string.byte, string.sub
local M = {}

-- Single-word cues, lowercase.
M.negation_words = { ["not"] = true, ["never"] = true, ["n't"] = true, ["denied"] = true,
  ["denies"] = true, ["deny"] = true, ["denying"] = true, ["neither"] = true, ["nor"] = true,
  ["cannot"] = true, ["didn't"] = true, ["doesn't"] = true, ["don't"] = true, ["won't"] = true,
  ["hasn't"] = true, ["haven't"] = true, ["wasn't"] = true, ["weren't"] = true, ["isn't"] = true,
  ["aren't"] = true, ["wouldn't"] = true, ["refused"] = true, ["refuses"] = true, ["rejected"] = true,
  ["failed"] = true, ["fails"] = true }

M.modal_words = { ["may"] = true, ["might"] = true, ["could"] = true, ["would"] = true,
  ["can"] = true, ["should"] = true, ["if"] = true, ["unless"] = true, ["likely"] = true,
  ["unlikely"] = true, ["perhaps"] = true, ["possibly"] = true, ["probably"] = true,
  ["expected"] = true, ["until"] = true }

M.hedge_adverbs = { ["reportedly"] = true, ["allegedly"] = true, ["rumoured"] = true,
  ["rumored"] = true, ["purportedly"] = true, ["supposedly"] = true, ["apparently"] = true,
  ["alleged"] = true }

M.hedge_verbs = { ["accuse"] = true, ["accused"] = true, ["accuses"] = true, ["accusing"] = true,
  ["alleged"] = true, ["alleges"] = true, ["allege"] = true, ["claimed"] = true, ["claims"] = true,
  ["suspected"] = true, ["rumoured"] = true, ["rumored"] = true }

-- Multi-word hedges, matched against the lowercased sentence.
M.hedge_phrases = { "unclear whether", "unclear how", "question whether", "questioned whether",
  "not clear whether", "it is not clear", "remains to be seen", "is expected to", "are expected to",
  "is likely to", "are likely to" }

-- Words that stop a cue from reaching across a clause boundary.
local clause_break = { ["and"] = true, ["but"] = true, ["while"] = true, ["after"] = true,
  ["because"] = true, ["which"] = true, ["who"] = true, ["although"] = true, ["though"] = true,
  ["since"] = true, [";"] = true }

-- Words after "not" that make it part of a restriction rather than a denial.
local restriction_after_not = { ["allowed"] = true, ["allow"] = true, ["permitted"] = true,
  ["permit"] = true, ["able"] = true, ["be"] = true }

local function is_restriction(words, i)
  local w = words[i]
  if w.l ~= "not" and w.l ~= "longer" then return false end
  local j = i + 1
  if words[j] and words[j].l == "to" then j = j + 1 end
  if words[j] and words[j].l == "be" then j = j + 1 end
  local nx = words[j]
  if nx and restriction_after_not[nx.l] and nx.l ~= "be" then return true end
  if w.l == "not" and words[i - 1] and words[i - 1].l == "agreed" then return true end
  return false
end

-- Is there a clause break strictly between word indices a and b?
local function broken(words, a, b, allow_and)
  for k = math_min(a, b) + 1, math_max(a, b) - 1 do
    local l = words[k].l
    if (clause_break[l] and not (allow_and and l == "and")) or words[k].brk then return true end
  end
  return false
end

-- Whether a word ends in "n't", remembered by word: the window around every predicate asks for
-- each of its words, and a table lookup is cheaper than two string calls. The memo is emptied
-- when it grows past 50,000 words.
local nt_memo, nt_n = {}, 0
local function ends_nt(l)
  local v = byte(l, -1) == 116 and sub(l, -3) == "n't"
  nt_n = nt_n + 1
  if nt_n > 50000 then nt_memo, nt_n = {}, 1 end
  nt_memo[l] = v
  return v
end

--- Negation cue governing words[anchor]: returns the cue word or nil.
function M.negation(words, anchor, opts)
  local before = opts and opts.neg_before or 9
  local after = opts and opts.neg_after or 9
  local negation_words = M.negation_words
  for k = math_max(1, anchor - before), math_min(#words, anchor + after) do
    local w = words[k]
    local l = w.l
    local neg = negation_words[l] or (l == "no" and words[k + 1] and words[k + 1].l == "longer")
    if not neg then
      neg = nt_memo[l]
      if neg == nil then neg = ends_nt(l) end
    end
    if neg then
      -- "deny" governs its whole complement clause; other cues must be close
      local den = l:match("^den")
      local far = anchor - k > 6 and not (den or l == "never")
      -- a denial governs what follows it, not what came before
      if k > anchor and den then far = true end
      if not far and not is_restriction(words, k) and not (w.l == "no" and is_restriction(words, k + 1))
        and not broken(words, k, anchor, true) then
        return w.w
      end
    end
  end
  return nil
end

-- One native test of whether any hedge phrase occurs, so that most sentences skip the finds one
-- phrase at a time. Built from M.hedge_phrases and rebuilt whenever the list differs from the
-- copy it was built from (a caller may change the list); nil without lede.re.
local re_compile, re_escape
do
  local ok, lede = pcall(require, "lede")
  if ok and type(lede) == "table" and type(lede.re) == "table" then
    re_compile, re_escape = lede.re.compile, lede.re.escape
  end
end
local guard_copy, guard_re = {}, nil
local function phrases_guard(list)
  if not re_compile then return nil end
  local n = #list
  local same = n == #guard_copy and guard_re ~= nil
  if same then
    for i = 1, n do
      if list[i] ~= guard_copy[i] then same = false; break end
    end
  end
  if not same then
    local alts = {}
    guard_copy = {}
    for i = 1, n do
      guard_copy[i] = list[i]
      alts[i] = re_escape(list[i])
    end
    -- bytes mode: a plain find compares bytes
    guard_re = n > 0 and re_compile(table.concat(alts, "|"), "b") or false
  end
  return guard_re or nil
end

--- Hedge cue governing words[anchor]: returns the cue or nil.
function M.hedge(words, anchor, opts, lower)
  local before = opts and opts.hedge_before or 5
  local modal_words, hedge_adverbs = M.modal_words, M.hedge_adverbs
  for k = anchor, math_max(1, anchor - before), -1 do
    local w = words[k]
    if w.brk then break end
    if modal_words[w.l] then
      -- "can" only hedges as a conditional; "will" never does
      if w.l ~= "can" or (words[k + 1] and words[k + 1].l == "only") then return w.w end
      return w.w
    end
    if hedge_adverbs[w.l] and anchor - k <= 3 and k < anchor then return w.w end
    if clause_break[w.l] and w.l ~= "and" then break end
  end
  -- modal right after a noun anchor ("the cap may be unenforceable")
  if opts and opts.noun_anchor then
    for k = anchor + 1, math_min(#words, anchor + 2) do
      if M.modal_words[words[k].l] and words[k].l ~= "if" then return words[k].w end
    end
  end
  -- hedging verbs ("the charges accuse X of ...") govern a predicate up to ~9 words later
  for k = anchor - 1, math_max(1, anchor - 9), -1 do
    local w = words[k]
    if w.brk or (clause_break[w.l]) then break end
    if M.hedge_verbs[w.l] then return w.w end
  end
  if lower then
    local list = M.hedge_phrases
    local any = phrases_guard(list)
    if not any or any:test(lower) then
      for _, p in ipairs(list) do
        if lower:find(p, 1, true) then return p end
      end
    end
  end
  return nil
end

--- Status for a predicate: "negated", "hedged" or nil (the caller decides between attributed
--- and asserted), plus the cue that decided it.
function M.status(words, anchor, opts, lower)
  local neg = M.negation(words, anchor, opts)
  if neg then return "negated", neg end
  local h = M.hedge(words, anchor, opts, lower)
  if h then return "hedged", h end
  return nil
end

return M
