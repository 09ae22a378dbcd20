-- Raises an error for feed items only, so a run over mixed inputs has some failures.
function on_article(a)
  if a.source.format == "rss" then
    local t = nil
    return t.boom -- runtime error: attempt to index a nil value
  end
  emit{ id = a.id }
end
