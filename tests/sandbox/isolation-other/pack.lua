-- Required by the isolation pack: its rules run first and try to reach the other pack.
return {
  name = "isolation-other",
  version = "1.0.0",
  description = "tries to change what another pack sees",
  rules = { "rules/writer.lua" },
}
