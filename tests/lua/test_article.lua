-- The article table from Lua: fields, paragraphs and offsets, lazy dom, JSON helpers.
local lede = require "lede"
local data = os.getenv("LEDE_TEST_DATA") or "../data"

local function eq(got, want, what)
  if got ~= want then error(("%s: got %s, wanted %s"):format(what, tostring(got), tostring(want)), 2) end
end

-- lede.article.read: a page on disk
local list = lede.article.read(data .. "/articles/o02-eu-russia-rollover.html")
eq(#list, 1, "one article")
local a = list[1]
eq(a.title, "EU rolls over Russia economic sanctions after Budapest drops veto threat", "title")
assert(a.published:match("^2025%-01%-27"), a.published)
eq(type(a.authors), "table", "authors is a list")
eq(type(a.meta), "table", "meta")
eq(a.source.format, "html", "format")
assert(#a.id == 16 and a.id:match("^%x+$"), "id is 16 hex digits")
for i, p in ipairs(a.paragraphs) do
  eq(a.text:sub(p.start, p.stop), p.text, "paragraph " .. i .. " offsets")
  assert(p.kind, "kind")
end
-- JSON-LD is decoded into tables
eq(a.jsonld[1]["@type"], "NewsArticle", "jsonld type")

-- a.dom is built on first access and cached; articles from lede.article.* stay valid
local dom = a.dom
assert(rawget(a, "dom") == dom, "dom cached in the table")
eq(dom:first("//h1").tag, "h1", "xpath node")
eq(dom:select("string(//title)"):sub(1, 15), "EU rolls over R", "xpath string")
local ok, err = pcall(dom.select, dom, "//[")
assert(not ok and err:match("bad XPath"), err)

-- lede.article.parse: bytes in memory, any format
local feed = lede.article.parse(io.open(data .. "/feeds/world.rss"):read("a"))
eq(#feed, 2, "feed items")
eq(feed[1].dom:first("title").text, "Treasury designates 14 tankers in Iran oil network", "item-relative xpath")
local txt = lede.article.parse("Just one line of text.", { format = "text" })
eq(txt[1].text, "Just one line of text.", "text")
eq(txt[1].dom, nil, "no dom for text")
eq(#lede.article.parse(""), 0, "empty input: no article")
ok, err = pcall(lede.article.parse, "{not json", { format = "json" })
assert(not ok and err:match("invalid JSON"), err)

-- lede.json round trip, with sorted keys and arrays detected
eq(lede.json.encode({ b = 1, a = { 1, 2, "x" }, c = {} }), '{"a":[1,2,"x"],"b":1,"c":{}}', "encode")
local v = lede.json.decode('{"x":[1,{"y":null}],"z":"\\u00e9"}')
eq(v.x[1], 1, "decode array")
eq(v.z, "\u{e9}", "decode unicode")
ok, err = pcall(lede.json.encode, { f = print })
assert(not ok and err:match("f: cannot encode a function"), err)
ok, err = pcall(lede.json.decode, "[1,")
assert(not ok and err:match("line 1"), err)
print("test_article: ok")
