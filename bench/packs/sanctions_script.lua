-- Plain-script driver for the sanctions pack's logic (without the pack engine), run from the
-- source tree with io granted so that it can find the pack's lib/:
--   lede run --allow-io bench/packs/sanctions_script.lua ARTICLES... > records.jsonl
-- (`lede run scripts/packs/sanctions ARTICLES...` runs the pack itself.)
local here = (debug and debug.getinfo(1, "S").source:match("^@(.*)/bench/packs/[^/]*$"))
  or (os.getenv and os.getenv("LEDE_SOURCE_DIR")) or "."
package.path = here .. "/scripts/packs/sanctions/lib/?.lua;" .. here .. "/stdlib/?.lua;" .. package.path
local sanctions = require "sanctions"
local g = require("lede.actors").default()

function on_article(a)
  for _, r in ipairs(sanctions.article(a, g)) do
    emit(r)
  end
end
