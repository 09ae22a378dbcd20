-- Loops inside one C call of the standard library, single instructions that do much work, and
-- code that would run outside any call (tests/sandbox/escapes.sh, second run): every rule but
-- "good" must fail on every article with the limit or error that stops it, and the run must go
-- on (and end: nothing may run on when the state closes). A pack of its own because every
-- rule's error on an article is reported in one message, which the escapes pack alone already
-- fills. It requires the "victim" pack to show that the kills leave the standard library intact
-- for others.
return {
  name = "loops",
  version = "1.0.0",
  description = "loops the instruction and time limits must stop, finalizers and weak keys refused (lede's regression suite)",
  requires = { victim = "^1.0" },
  rules = { "rules/patterns.lua", "rules/time.lua", "rules/finalizers.lua", "rules/weak.lua" },
}
