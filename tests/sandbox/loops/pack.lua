-- Loops inside one C call of the standard library (tests/sandbox/escapes.sh, second run): every
-- rule but "good" must fail on every article with the instruction limit, and the run must go
-- on. A pack of its own because every rule's error on an article is reported in one message,
-- which the escapes pack alone already fills. It requires the "victim" pack to show that the
-- kills leave the standard library intact for others.
return {
  name = "loops",
  version = "1.0.0",
  description = "standard-library loops the instruction budget must stop (lede's regression suite)",
  requires = { victim = "^1.0" },
  rules = { "rules/patterns.lua" },
}
