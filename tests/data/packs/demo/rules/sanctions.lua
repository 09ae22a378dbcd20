local util = require "util"

rule{
  id = "sanction-country",
  description = "a sanction word and a country in one sentence",
  tags = { "sanctions" },
  scope = "sentence",
  match = all{
    word = re([[\bsanction(s|ed|ing)?\b]], "i"),
    country = phrases "data/countries.txt",
  },
  extract = function(m, a)
    if util.words(m.text) < args.min_words then return nil end
    local out = {}
    for _, h in ipairs(m:all("country")) do
      out[#out + 1] = { country = h.label, word = m:hit("word").text, sentence = m.sentence }
    end
    return out
  end,
}

rule{
  id = "impose",
  description = "impose ... sanctions within a few words",
  scope = "sentence",
  match = all{ tokens{ "impose|imposed|imposes|imposing", { 0, 3 }, "sanction*" }, none{ re[[\bnot\b]] } },
}
