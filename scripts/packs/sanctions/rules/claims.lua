-- One article-scope rule: the host's one-pass prefilter (the sanction vocabulary) selects the
-- articles; extract() walks their sentences with the claims toolkit (lib/sanctions.lua) and
-- returns the list of claims, each one record.
local sanctions = require "sanctions"
local actors = require "lede.actors"

local stems = {}
for i, st in ipairs(sanctions.stems) do
  stems[i] = st:gsub("[%^%$%(%)%.%[%]%*%+%-%?%{%}|\\]", "\\%0")
end

rule{
  id = "sanction-claim",
  description = "A sentence that reports an act or a state of sanctions (impose, expand, "
    .. "threaten, lift, ease, extend, snapback, evade, enforce, comply)",
  tags = { "sanctions", "claims" },
  scope = "article",
  fields = { "text", "title", "captions", "related" },
  match = re(table.concat(stems, "|"), "i"),
  extract = function(m, a)
    local out = {}
    for _, r in ipairs(sanctions.article(a, actors.default())) do
      if r.in_body or not args.body_only then out[#out + 1] = r end
    end
    return out
  end,
}
