-- Required by the escapes pack: its rule checks that the standard library and lede it sees
-- are intact, whatever the other pack did first.
return {
  name = "victim",
  version = "1.0.0",
  description = "a pack that must not be affected by another",
  rules = { "rules/intact.lua" },
}
