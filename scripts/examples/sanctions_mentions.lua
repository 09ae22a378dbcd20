-- Every sentence of an article that talks about sanctions, embargoes, asset freezes, blacklists
-- or export bans, with the paragraph it sits in and whether the article hedges it.
--   lede run scripts/examples/sanctions_mentions.lua ARTICLES...
local lede = require "lede"

local trigger = lede.re.compile(
  [[\b(sanction(s|ed|ing)?|embargo(es|ed)?|asset[- ]freezes?|(assets?|reserves) (were |was )?frozen|blacklist(s|ed)?|entity list|export (ban|controls?)|price cap|swift)\b]],
  "i")
local hedge = lede.re.compile([[\b(reportedly|allegedly|rumou?red|could|may|might|would|threaten(s|ed)?)\b]], "i")

function on_article(a)
  for _, s in ipairs(a.sentences) do
    local start, stop = trigger:find(s.text)
    if start then
      emit{
        sentence = s.text,
        trigger = s.text:sub(start, stop),
        paragraph = s.paragraph,
        hedged = hedge:test(s.text),
        offset = s.start,
      }
    end
  end
end
