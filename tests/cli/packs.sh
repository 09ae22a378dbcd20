# lede pack init/check/test/bundle/install/list and lede run PACK (folder, bundle, installed).
. "$(dirname "$0")/lib.sh"
P=$DATA/packs
ART=$P/demo/tests/basic.txt
export LEDE_PACK_PATH=$TMP/installed

# run a pack folder: records name pack and rule; --arg reaches the rules as args
expect_status 0 "$LEDE" run -j 1 "$P/demo" "$ART"
expect_in "$TMP/out" '"pack":"demo@1.2.0","rule":"sanction-country","data":{"country":"European Union","sentence":2,"word":"sanction"}}'
expect_in "$TMP/out" '"rule":"threat-near","data":{"paragraph":4,"verb":"threat"}'
expect_in "$TMP/out" '"rule":"impose","data":{"hits":[{"kind":"re"'
expect_status 0 "$LEDE" run -j 1 --arg demo.min_words=50 "$P/demo" "$ART"
expect_not_in "$TMP/out" '"rule":"sanction-country"'
expect_status 2 "$LEDE" run -j 1 --arg demo.nosuch=1 "$P/demo" "$ART"
expect_in "$TMP/err" "pack demo has no argument 'nosuch' (it declares: min_words)"
expect_status 2 "$LEDE" run -j 1 --arg demo.min_words=many "$P/demo" "$ART"
expect_in "$TMP/err" "'min_words' expects a number"

# check: every mistake, each with file:line
expect_status 0 "$LEDE" pack check "$P/demo"
expect_in "$TMP/out" "ok, demo@1.2.0 with 3 rules"
expect_status 1 "$LEDE" pack check "$P/broken"
expect_in "$TMP/err" "broken/pack.lua:5: unknown manifest field 'colour'"
expect_in "$TMP/err" "broken/pack.lua:3: version must be a semantic version"
expect_in "$TMP/err" "broken/pack.lua:6: requires nosuchpack >=1.0.0, which is neither installed nor beside the pack"
expect_in "$TMP/err" "broken/rules/bad.lua:2: duplicate rule id 'dup' (first declared at"
expect_in "$TMP/err" "broken/rules/bad.lua:3: rule 'badpattern': missing closing parenthesis at offset 9"
expect_in "$TMP/err" "broken/rules/bad.lua:4: rule: unknown field 'colour'"

# test: annotations and expected records; per-rule table
expect_status 0 "$LEDE" pack test "$P/demo"
expect_in "$TMP/out" "demo@1.2.0: 2 fixtures, 0 failures"
expect_in "$TMP/out" "  impose                             2     0     0     1"
# a failing fixture: a missed ruleid, a false positive, an unknown rule
cp -r "$P/demo" "$TMP/demo2"
cat > "$TMP/demo2/tests/bad.txt" <<'TXT'
Bad fixture

<!-- ruleid: impose -->
Nothing relevant is said in this sentence at all.

<!-- ok: sanction-country -->
The United States imposed sanctions on Iran yesterday.

<!-- ruleid: no-such-rule -->
Another plain sentence here.
TXT
expect_status 1 "$LEDE" pack test "$TMP/demo2"
expect_in "$TMP/err" "bad.txt:3: ruleid: impose did not match \"Nothing relevant is said"
expect_in "$TMP/err" "bad.txt:6: ok: sanction-country matched \"The United States imposed"
expect_in "$TMP/err" "bad.txt:9: ruleid: no rule 'no-such-rule' in this pack"
expect_in "$TMP/out" "3 fixtures, "
# expected records that are not produced
echo '{"rule":"impose","data":{"text":"never"}}' >> "$TMP/demo2/tests/page.expected.jsonl"
rm "$TMP/demo2/tests/bad.txt"
expect_status 1 "$LEDE" pack test "$TMP/demo2"
expect_in "$TMP/err" 'page.html.expected.jsonl:4: missing record {"text":"never"}'

# init makes a pack that checks and passes its own test
(cd "$TMP" && "$LEDE" pack init mypack >/dev/null) && ok || fail "pack init"
expect_status 0 "$LEDE" pack check "$TMP/mypack"
expect_status 0 "$LEDE" pack test "$TMP/mypack"
expect_status 1 "$LEDE" pack init mypack "$TMP/mypack"

# bundle -> install -> list -> run by name; a tampered bundle is refused
expect_status 0 "$LEDE" pack bundle "$P/demo" -o "$TMP/demo.ledepack"
head -c 11 "$TMP/demo.ledepack" | grep -q LEDEPACK && ok || fail "bundle magic"
expect_status 0 "$LEDE" run -j 1 "$TMP/demo.ledepack" "$ART"
expect_in "$TMP/out" '"pack":"demo@1.2.0"'
expect_status 0 "$LEDE" pack install "$TMP/demo.ledepack"
expect_in "$TMP/out" "installed demo@1.2.0 in $LEDE_PACK_PATH/demo/1.2.0"
expect_status 1 "$LEDE" pack install "$TMP/demo.ledepack"
expect_in "$TMP/err" "already installed"
expect_status 0 "$LEDE" pack install --force "$P/demo"
expect_status 0 "$LEDE" pack list
expect_in "$TMP/out" "demo"
expect_in "$TMP/out" "1.2.0"
expect_status 0 "$LEDE" run -j 1 demo "$ART"
expect_in "$TMP/out" '"pack":"demo@1.2.0","rule":"impose"'
expect_status 0 "$LEDE" run -j 1 demo@1.2.0 "$ART"
expect_status 2 "$LEDE" run -j 1 demo@9.9.9 "$ART"
expect_in "$TMP/err" "no pack 'demo@9.9.9' installed"
sed 's/imposed/IMPOSED/' "$TMP/demo.ledepack" > "$TMP/tampered.ledepack"
expect_status 2 "$LEDE" run -j 1 "$TMP/tampered.ledepack" "$ART"
expect_in "$TMP/err" "hash mismatch"
expect_status 1 "$LEDE" pack install "$TMP/tampered.ledepack"
# workers share one compiled pack (pattern sets, automata, rule list) and keep their own scan
# state: -j 4 over many articles gives the records of -j 1 (sorted; order may differ)
mkdir -p "$TMP/many"
for i in $(seq 1 12); do
  for f in "$DATA"/articles/*.html "$DATA"/articles/*.txt "$DATA"/articles/*.md "$P"/demo/tests/*.txt "$P"/demo/tests/*.html; do
    cp "$f" "$TMP/many/$i-$(basename "$f")"
  done
done
for pack in "$P/demo" "$LEDE_SOURCE_DIR/scripts/packs/sanctions"; do
  expect_status 0 "$LEDE" run -q -j 1 --keep-duplicates "$pack" "$TMP/many"
  sort "$TMP/out" > "$TMP/j1.sorted"
  expect_status 0 "$LEDE" run -q -j 4 --keep-duplicates "$pack" "$TMP/many"
  sort "$TMP/out" > "$TMP/j4.sorted"
  if [ -s "$TMP/j1.sorted" ] && cmp -s "$TMP/j1.sorted" "$TMP/j4.sorted"; then ok; else
    fail "$(basename "$pack"): -j 4 records differ from -j 1 ($(wc -l < "$TMP/j1.sorted") vs $(wc -l < "$TMP/j4.sorted"))"
  fi
done
finish
