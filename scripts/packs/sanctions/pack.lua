-- The sanctions pack: one record per sanction claim (see README.md and the claims annotation
-- guide): sentence, action, imposer, target, status, source, in_body.
return {
  name = "sanctions",
  version = "0.2.0",
  description = "Sanction claims in news articles: who imposes, lifts, threatens or evades "
    .. "sanctions on whom, how hedged and according to whom",
  authors = { "lede developers" },
  license = "MIT",
  lede = ">=0.1.0 <1.0.0",
  requires = {},
  args = {
    body_only = { default = false, description = "emit only claims in the article body "
      .. "(drop headline, caption and teaser claims, which carry in_body=false)" },
  },
  data = {},
  rules = { "rules/claims.lua" },
  tests = "tests",
}
