-- Escape attempts (tests/sandbox/escapes.sh): every rule but "good" must fail on every article
-- with a message naming the rule, and the run must go on. It requires the "victim" pack to
-- show that nothing one pack does reaches another.
return {
  name = "escapes",
  version = "1.0.0",
  description = "sandbox escape attempts (lede's regression suite)",
  requires = { victim = "^1.0" },
  rules = { "rules/attempts.lua", "rules/limits.lua" },
}
