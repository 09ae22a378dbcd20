-- Baseline for bench/packs: parse and extract every article, touch its text, emit nothing.
local n = 0
function on_article(a)
  n = n + #(a.text or "") + #(a.paragraphs or {})
end
