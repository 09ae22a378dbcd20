return {
  name = "broken",
  version = "1.0",
  description = "every mistake pack check must report",
  colour = "blue",
  requires = { nosuchpack = ">=1.0.0" },
  rules = { "rules/bad.lua" },
}
