secret = "other-secret" -- a load-time global of this pack: the other pack must not see it
shared_table = { owner = "other" }

rule{ id = "writer", scope = "article", match = re[[\w]], extract = function(m, a)
  -- the article table and its views: another pack gets its own copy of each
  a.title = "written by another pack"
  a.injected = "from another pack"
  a.tokens[1] = { text = "poison" }
  a.sentences[1] = { text = "poison" }
  a.paragraphs[1] = nil
  rawset(a, "raw", "from another pack")
  -- a stdlib module's cached object: every pack has its own module instance
  require("lede.actors").default().labels["Iran"] = "poisoned label"
  -- globals meant for the other pack's environment land in this one
  _G.secret2 = "other"
  rawset(_G, "secret3", "other")
  return { wrote = true }
end }
