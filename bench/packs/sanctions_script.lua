-- Plain-script driver for the sanctions pack's logic (no pack engine needed):
--   lede run bench/packs/sanctions_script.lua ARTICLES... > records.jsonl
local here = debug.getinfo(1, "S").source:match("^@(.*)/bench/packs/[^/]*$") or "."
package.path = here .. "/scripts/packs/sanctions/lib/?.lua;" .. here .. "/stdlib/?.lua;" .. package.path
local sanctions = require "sanctions"
local g = require("lede.actors").default()

function on_article(a)
  for _, r in ipairs(sanctions.article(a, g)) do
    emit(r)
  end
end
