#!/usr/bin/env bash
# lede's text toolkit against its peers, in one interleaved run, printed as ratios.
#
#   bench/text/run.sh                 # tok, rules and gaz groups (~4 min on 2 cores)
#   RUNS=7 ONLY='^gaz/' bench/text/run.sh
#   LEDE=/path/to/lede bench/text/run.sh   (default: the newest of build/lede, build-*/lede)
#
# Uses the shared perf harness (../shared/perf: corpus, helper programs, the interleaved
# runner py/bench.py): every row of a group runs once per round, order rotating, and
# "x ref" is the median of per-round throughput ratios against the group's reference row.
# The lede rows read their input in ~1 MB line-aligned pieces (chunks.lua), as lede handles
# article-sized strings on real runs. Needs: ripgrep yara lua5.4 pcre2-utils python3-lxml
# (see ../shared/perf/README.md).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PERF=${PERF:-$ROOT/../shared/perf}
W=${PERF_WORK:-/tmp/lede-perf}
B=$W/build
C=$W/corpus
R=$PERF/rules
RUNS=${RUNS:-5}
PY=${PY:-/usr/bin/python3}
LUA=${LUA:-lua5.4}

LEDE=${LEDE:-}
if [ -z "$LEDE" ]; then # the most recently built of build/lede, build-*/lede
  LEDE=$(ls -t "$ROOT"/build/lede "$ROOT"/build-*/lede 2>/dev/null | head -1 || true)
fi
[ -x "${LEDE:-}" ] || { echo "no lede binary: build it or set LEDE=" >&2; exit 1; }
for t in "$PY" "$LUA" rg yara yarac wc make; do
  command -v "$t" >/dev/null || { echo "missing tool: $t (see $PERF/README.md)" >&2; exit 1; }
done
[ -f "$C/sizes.env" ] || "$PERF/make-corpus.sh"
mkdir -p "$B" && make -s -C "$PERF/src" B="$B"
yarac "$R/sanctions.yar" "$B/sanctions.yarc" 2>/dev/null
yarac "$R/gazetteer.yar" "$B/gazetteer.yarc" 2>/dev/null

L="$LEDE lua"
SPEC=$B/lede-text.spec
cat > "$SPEC" <<SPEC
@group tok | Tokenising text into words (lede: native count, and a Lua loop over every token)
* self | own C UTF-8 word-boundary loop (practical limit) | text | $B/tok text.txt
- | coreutils wc -w (C.UTF-8) | text | wc -w text.txt
- | Lua 5.4: for w in s:gmatch("%w+") | text | $LUA $PERF/lua/tok.lua text.txt
lede | lede.text.count_words (native tokeniser) | text | $L $HERE/tok.lua text.txt
lede | lede.text.each_token loop: start, stop, kind | text | $L $HERE/tok_iter.lua text.txt
lede | lede.text.each_token loop: start, stop, kind, text | text | $L $HERE/tok_iter.lua text.txt text

@group rules | Sanctions rule pack: 56 case-insensitive regexes, every match
* self | own C, PCRE2 10.42 JIT, one pass per pattern | text10 | $B/pcre2scan -m per -i -u $R/sanctions.pcre text10.txt
- | YARA 4.2.3 -c, precompiled (56 nocase regex strings) | text | yara -C -c $B/sanctions.yarc text.txt
- | ripgrep 13 -c -i --no-unicode -f | text | rg -c -i --no-unicode -f $R/sanctions.pcre text.txt
lede | lede.re.set (56 patterns, one pass) | text10 | $L $HERE/rules.lua $R/sanctions.pcre text10.txt
lede | lede.re.compile, the same patterns one by one | text10 | $L $HERE/rules_each.lua $R/sanctions.pcre text10.txt

@group gaz | Gazetteer: 5,000 phrases, case-insensitive, whole words, overlapping hits
* self | own C Aho-Corasick (dense DFA over byte classes) | text | $B/aho $R/gazetteer.txt text.txt
- | YARA 4.2.3 -c, precompiled (5,000 nocase fullword strings) | text10 | yara -C -c $B/gazetteer.yarc text10.txt
lede | lede.phrases (case + accent folding, word boundaries) | text | $L $HERE/gazetteer.lua $R/gazetteer.txt text.txt
SPEC

"$PY" "$PERF/py/bench.py" --runner "$B/runone" --runs "$RUNS" --warmup 1 ${ONLY:+--only "$ONLY"} \
  --corpus "$C" --json "$B/lede-text.json" --md "$B/lede-text.md" "$SPEC"

# The targets of issue 3, as quotients of the rows' "x ref" medians.
"$PY" - "$B/lede-text.json" <<'PYEND'
import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
x = {r["peer"]: r.get("x_ref") for r in rows}
def ratio(a, b, target, what):
    if x.get(a) and x.get(b):
        v = x[a] / x[b]
        print("%-58s %6.2fx  (target %s)" % (what, v, target))
print("\nTargets (issue 3):")
ratio("lede.text.count_words (native tokeniser)", "coreutils wc -w (C.UTF-8)", ">= 1x", "tokens: native vs wc -w")
ratio("lede.text.each_token loop: start, stop, kind", 'Lua 5.4: for w in s:gmatch("%w+")', ">= 1.5x", "tokens: Lua loop with offsets vs gmatch(\"%w+\")")
ratio("lede.text.each_token loop: start, stop, kind, text", 'Lua 5.4: for w in s:gmatch("%w+")', "-", "tokens: Lua loop with offsets + text vs gmatch")
ratio("lede.re.set (56 patterns, one pass)", "own C, PCRE2 10.42 JIT, one pass per pattern", ">= 9x (YARA), aim 25x", "re.set vs PCRE2 JIT per pattern")
ratio("YARA 4.2.3 -c, precompiled (56 nocase regex strings)", "own C, PCRE2 10.42 JIT, one pass per pattern", "-", "  (YARA in this run)")
ratio("ripgrep 13 -c -i --no-unicode -f", "own C, PCRE2 10.42 JIT, one pass per pattern", "-", "  (ripgrep in this run)")
ratio("lede.re.set (56 patterns, one pass)", "lede.re.compile, the same patterns one by one", ">= 5x", "re.set vs the same patterns one by one")
ratio("lede.phrases (case + accent folding, word boundaries)", "own C Aho-Corasick (dense DFA over byte classes)", ">= 0.8x", "phrases vs bare byte Aho-Corasick")
PYEND
