-- Emits one record per article with a few fields; used by the CLI tests.
local n = 0
function on_start() emit{ event = "start" } end
function on_article(a)
  n = n + 1
  emit{ title = a.title, words = select(2, a.text:gsub("%S+", "")), paragraphs = #a.paragraphs,
        kind1 = a.paragraphs[1] and a.paragraphs[1].kind, published = a.published }
end
function on_finish() emit{ event = "finish", articles = n } end
