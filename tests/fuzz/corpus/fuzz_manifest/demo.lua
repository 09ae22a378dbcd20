-- A small pack used by lede's own tests (tests/cli/packs.sh): sanction verbs near a country.
return {
  name = "demo",
  version = "1.2.0",
  description = "Sanction mentions with the country they name (test pack)",
  authors = { "lede developers" },
  license = "MIT",
  lede = ">=0.1.0 <1.0.0",
  args = {
    min_words = { default = 3, description = "ignore sentences shorter than this many words" },
  },
  data = { "data/countries.txt" },
  rules = { "rules/sanctions.lua", "rules/helpers_used.lua" },
}
