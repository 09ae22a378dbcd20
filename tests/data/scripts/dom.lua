-- Site-specific access through XPath.
local kept
function on_article(a)
  if not a.dom then return end
  local h1 = a.dom:first("//h1")
  local items = a.dom:select("//div[@class='col-side']//li/a/text()")
  local hrefs = a.dom:select("//div[@class='col-side']//li/a/@href")
  kept = a.dom
  emit{ h1 = h1 and h1.text, h1_tag = h1 and h1.tag, sidebar = items, hrefs = hrefs,
        n = a.dom:select("count(//p)") }
end
function on_finish()
  local ok, err = pcall(function() return kept:select("//p") end)
  emit{ late_ok = ok, late_err = tostring(err) }
end
