rule{
  id = "threat-near",
  description = "threaten near sanctions, paragraph scope",
  scope = "paragraph",
  match = near(re([[\bthreat\w*]], "i"):as "verb", re([[\bsanctions?\b]], "i"), 4),
  extract = function(m)
    return { verb = m:hit("verb").text, paragraph = m.paragraph }
  end,
}
