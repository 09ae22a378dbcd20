-- load time: the pack's "on_start"; what is built here is its state for every article
local counter = { n = 0 }                -- a load-time table: kept across articles on purpose
mode = "load"                            -- a load-time global: put back after every article
local actors = require "lede.actors"

rule{ id = "reader", scope = "article", match = re[[\w]], extract = function(m, a)
  counter.n = counter.n + 1
  local seen = {
    title = tostring(a.title), injected = tostring(a.injected), raw = tostring(rawget(a, "raw")),
    token1 = a.tokens[1].text, sentence1 = a.sentences[1].text, paragraphs = #a.paragraphs,
    iran = actors.normalise("Iran"),
    secret = tostring(secret), secret2 = tostring(secret2), secret3 = tostring(secret3),
    shared_table = tostring(shared_table),
    -- per article: set in the previous article, gone now
    previous = tostring(previous_article), mode = mode, counter = counter.n,
  }
  previous_article = a.text:sub(1, 12)   -- a global assigned while handling an article
  mode = "changed by an article"
  a.mine = "reader"                       -- this pack's own table: its next rule sees it
  return seen
end }

rule{ id = "reader-second", scope = "article", match = re[[\w]], extract = function(m, a)
  return { mine = tostring(a.mine) }
end }
