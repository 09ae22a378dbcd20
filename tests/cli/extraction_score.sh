# The dev-set extraction score, with thresholds (issue: body_f1 above readability-lxml's 0.920,
# title accuracy >= 0.90). Skipped (77) where ../shared is absent, as in a user's fresh clone.
. "$(dirname "$0")/lib.sh"
GOLD=${LEDE_SHARED:-}/corpus/extraction/dev
EVAL=${LEDE_SHARED:-}/tools/eval-extraction
if [ ! -d "$GOLD" ] || [ ! -x "$EVAL" ]; then echo "skipped: no ../shared corpus"; exit 77; fi
mkdir -p "$TMP/pred"
"$LEDE" inspect --json "$GOLD"/*.html > "$TMP/all.jsonl" 2>"$TMP/err" || fail "inspect over the dev pages"
pyjson '
import json,sys,os
out=sys.argv[2]
for line in open(sys.argv[1], encoding="utf-8"):
    a=json.loads(line)
    pid=os.path.basename(a["source"]["path"])[:-len(".html")]
    json.dump({"title":a["title"],"byline":a["byline"],"published":a["published"],"body":a["text"]},
              open(os.path.join(out,pid+".json"),"w"))
' "$TMP/all.jsonl" "$TMP/pred"
"$EVAL" "$GOLD" "$TMP/pred" > "$TMP/score" 2>&1
last=$(grep -E "body_f1=" "$TMP/score" | tail -1)
get() { echo "$last" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
body=$(get body_f1); title=$(get title_acc)
echo "body_f1=$body title_acc=$title byline_acc=$(get byline_acc) published_acc=$(get published_acc)"
python3 -c "import sys; sys.exit(0 if float('${body:-0}') > 0.920 else 1)" && ok || fail "body_f1 $body <= 0.920"
python3 -c "import sys; sys.exit(0 if float('${title:-0}') >= 0.90 else 1)" && ok || fail "title_acc $title < 0.90"
finish
