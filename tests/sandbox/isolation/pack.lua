-- Isolation (tests/sandbox/isolation.sh): this pack requires "isolation-other", whose rules run
-- first on every article and try to change what this pack sees; these rules report what they
-- see, and what survives from one article to the next.
return {
  name = "isolation",
  version = "1.0.0",
  description = "one pack cannot see or change another's state; globals are per article",
  requires = { ["isolation-other"] = "^1.0" },
  rules = { "rules/reader.lua" },
}
