function on_article(a)
  emit{ x = 1 
end
