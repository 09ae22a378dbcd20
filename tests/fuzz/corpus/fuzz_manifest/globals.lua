name = "words"
version = "0.1.0-beta+1"
description = "d"
authors = "me"
lede = "^0.1"
requires = { other = "~1.2" }
data = { "data/words.txt" }
rules = { "rules/a.lua" }
args = { n = { default = 1, description = "n" } }
tags = { "x" }
