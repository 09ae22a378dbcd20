-- lede.re: methods, offsets, named groups, gsub forms, bad patterns, limits, sets.
local lede = require "lede"
local re = lede.re

local r = re.compile("(?<year>\\d{4})-(?<month>\\d\\d)")
local s, e, y, m = r:find("on 2024-05-01")
assert(s == 4 and e == 10 and y == "2024" and m == "05", "find")
assert(r:find("no date here") == nil)
assert(select(1, r:find("2024-05 1999-12", 3)) == 9, "init")
assert(select(1, r:find("2024-05 1999-12", -7)) == 9, "negative init")

local t = r:match("x 1999-12")
assert(t[0] == "1999-12" and t[1] == "1999" and t.year == "1999" and t.month == "12")
assert(t.start == 3 and t.stop == 9)

local got = {}
for a, b, yy in r:gmatch("2024-05 and 1999-12") do got[#got + 1] = a .. ":" .. b .. ":" .. yy end
assert(table.concat(got, ",") == "1:7:2024,13:19:1999", table.concat(got, ","))

assert(r:test("1999-12") and not r:test("19-12"))
assert(r:count("2024-05 1999-12 x") == 2)

-- gsub: template, named group, function, table, limit; empty matches
assert((r:gsub("2024-05", "%2/%1")) == "05/2024")
assert((r:gsub("2024-05", "%{month}.%{year}")) == "05.2024")
assert((r:gsub("2024-05 1999-12", function(yy, mm) return mm end)) == "05 12")
assert((re.compile("\\w+"):gsub("a b", { a = "A" })) == "A b")
local out, n = re.compile("o"):gsub("foo boo", "0", 2)
assert(out == "f00 boo" and n == 2)
assert((re.compile("x*"):gsub("abc", "-")) == "-a-b-c-", (re.compile("x*"):gsub("abc", "-")))
assert(not pcall(r.gsub, r, "2024-05", "%9"))

-- split
local parts = re.compile("\\s*,\\s*"):split("a , b,c")
assert(#parts == 3 and parts[2] == "b")
assert(#re.compile(","):split("a,b,c", 2) == 2)
assert(#re.compile(","):split("") == 1)

-- flags and Unicode: UTF + UCP on by default
assert(re.compile("^\\w+$"):test("état"))
assert(not re.compile("^\\w+$", "a"):test("état"))
assert(re.compile("ÉTAT", "i"):test("l'état"))
assert(re.compile("a.c", "s"):test("a\nc") and not re.compile("a.c"):test("a\nc"))
assert(re.compile("^b", "m"):test("a\nb"))
assert(re.compile("a b  # comment", "x"):test("ab"))
local ok, err = pcall(re.compile, "x", "iq")
assert(not ok and err:find("unknown regex flag 'q'"), err)

-- invalid UTF-8 subjects never fail and never match inside the bad bytes
assert(re.compile("b.c"):find("a\255b\195c bxc") == 7)
assert(re.compile("x*"):find("") == 1)

-- bad pattern: PCRE2's message and the offset
ok, err = pcall(re.compile, "(abc")
assert(not ok and err:find("missing closing parenthesis") and err:find("offset 4"), err)

-- catastrophic backtracking over 1 MB: a limit error, quickly, never a silent no-match
local big = string.rep("a", 1 << 20) .. "!"
local t0 = os.clock()
ok, err = pcall(function() return re.compile("(a+)+$"):test(big) end)
assert(not ok and err:find("match limit"), err)
print(("catastrophic pattern over 1 MB stopped by the match limit after %.3f s"):format(os.clock() - t0))

-- the cache makes compiling in a loop cheap and gives the same object behaviour
for i = 1, 1000 do assert(re.compile("\\bsanction\\w*", "i"):test("Sanctions")) end

-- escape
assert(re.compile(re.escape("a.b*c")):test("xa.b*c") and not re.compile(re.escape("a.b")):test("axb"))

-- sets
local set = re.set{
  { id = "iran", pattern = "\\b(?:Iran|Tehran)\\b", flags = "i" },
  { id = "sanctions", pattern = "\\bsanction(?:s|ed)?\\b", flags = "i" },
  "\\d+",
}
assert(#set == 3)
local hits = set:scan("Iran: sanctions on TEHRAN since 2019")
local seen = {}
for _, h in ipairs(hits) do seen[#seen + 1] = h.id .. "@" .. h.start .. "-" .. h.stop end
assert(table.concat(seen, " ") == "iran@1-4 sanctions@7-15 iran@20-25 3@33-36", table.concat(seen, " "))
assert(set:count("") == 0 and #set:scan("") == 0)
ok, err = pcall(re.set, { { id = "bad", pattern = "a(" } })
assert(not ok and err:find("bad") and err:find("offset"), err)
ok, err = pcall(function() return re.set{ { id = "slow", pattern = "x(a+)+$" } }:scan("x" .. big) end)
assert(not ok and err:find("match limit") and err:find("slow"), err)
print("test_re: ok")
