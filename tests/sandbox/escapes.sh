# The sandbox's escape-attempt regression suite: every attempt in tests/sandbox/escapes fails
# that rule on that article with a message naming the rule, the article and what stopped it;
# the good rules (and the required victim pack, which checks its stdlib is intact) still emit.
. "$(dirname "$0")/../cli/lib.sh"
SB=$(cd "$(dirname "$0")" && pwd)
ART=$SB/data/article.txt

expect_status 1 "$LEDE" run -j 1 --max-instructions 20000000 --max-memory 128M "$SB/escapes" "$ART"
cp "$TMP/err" "$TMP/run.err"; cp "$TMP/out" "$TMP/run.out"
E=$TMP/run.err
want() { # want RULE TEXT
  if grep -F "rule '$1' on $ART: " "$E" | grep -qF -- "$2"; then ok; else fail "rule $1: wanted '$2'"; grep -F "'$1'" "$E" | head -2 >&2; fi
}
want io-open "attempt to index a nil value (global 'io')"
want os-execute "attempt to call a nil value (field 'execute')"
want os-getenv "attempt to call a nil value (field 'getenv')"
want os-remove "attempt to call a nil value (field 'remove')"
want require-io "require: module 'io' not found"
want require-internal "'lede._fs' is internal to lede"
want require-path "bad module name"
want package-loadlib "(global 'package')"
want debug-lib "(global 'debug')"
want dofile "(global 'dofile')"
want loadfile "(global 'loadfile')"
want string-dump "(field 'dump')"
want load-binary "only text chunks may be loaded"
want load-binary-default "attempt to load a binary chunk"
want load-escapes-env "(global 'io')"
want setmetatable-G "cannot change a protected metatable"
want string-metatable "attempt to index a nil value"
want string-readonly "string is read-only (cannot set 'upper')"
want stdlib-rawset "rawset went through on this pack's own copy"
want lede-module "lede is read-only (cannot set 're')"
want article-metatable "cannot change a protected metatable"
want article-read "lede.article.read is not available in the sandbox"
want pack-data "is not a data file declared in pack.lua"
want collectgarbage-stop "collectgarbage(\"stop\") is not available"
want rule-node-metatable "attempt to index a nil value"
want loop-in-pcall "instruction limit hit (20000000 instructions, --max-instructions)"
want loop-in-coroutine "instruction limit hit"
want loop-in-sort "instruction limit hit"
want memory-bomb "memory limit hit (128 MB, --max-memory)"
want memory-bomb-in-pcall "memory limit hit (128 MB"
want memory-one-block "memory limit hit (128 MB"
want catastrophic-regex "regex match limit hit"
want records-flood "record limit hit"
# nothing escaped, and the run went on: the good rules' records are all there
[ ! -e /tmp/lede-escaped ] && ok || fail "os.execute ran"
expect_eq "$(grep -c '"rule":"good"' "$TMP/run.out")" 3 "good records (one per sentence)"
expect_in "$TMP/run.out" '"rule":"victim-intact","data":{"insert":1,"metatable":true,"re":true,"upper":"ABCDEF"}'
expect_eq "$(grep -c '"rule":"' "$TMP/run.out")" 4 "no record from a failed rule"
expect_in "$E" "1 articles, 4 records, 1 errors"

# two articles: the failures repeat per article and both articles' good records are there
{ cat "$ART"; echo; echo "A second copy that says sanctions again differs from the first."; } > "$TMP/second.txt"
expect_status 1 "$LEDE" run -j 1 --max-instructions 5000000 --max-memory 128M "$SB/escapes" "$ART" "$TMP/second.txt"
expect_eq "$(grep -c '"rule":"good"' "$TMP/out")" 7 "good records over two articles"
expect_in "$TMP/err" "rule 'loop-in-pcall' on $TMP/second.txt: instruction limit hit"

# loops inside one C call of the standard library (tests/sandbox/loops): catastrophic Lua
# patterns through each string function, bare and in pcall, and the table functions whose loop
# the caller sizes, each fail that rule on that article with the instruction limit; loops of
# single instructions that each compare 32 MB fail with the CPU-time limit; every way to set a
# __gc metamethod fails with a clear message, and a pending __close never runs outside a call
# (the run ends); weak-keyed tables are refused, and a __mode "k" added later leaves the table
# strong (no quadratic collection); the good rule (the same functions doing ordinary work) and the victim pack
# still emit
T0=$(date +%s)
expect_status 1 "$LEDE" run -j 1 --max-instructions 20000000 --max-seconds 1 --max-memory 256M "$SB/loops" "$ART"
cp "$TMP/err" "$TMP/loops.err"; cp "$TMP/out" "$TMP/loops.out"
E=$TMP/loops.err
for f in find match gmatch gsub; do
  for kind in exponential quadratic; do
    want "pattern-$kind-$f" "instruction limit hit (20000000 instructions, --max-instructions)"
    want "pattern-$kind-$f-in-pcall" "instruction limit hit (20000000 instructions, --max-instructions)"
  done
done
want table-move-unbounded "instruction limit hit (20000000 instructions, --max-instructions)"
want table-remove-len "instruction limit hit (20000000 instructions, --max-instructions)"
want table-insert-len "instruction limit hit (20000000 instructions, --max-instructions)"
want table-sort-proxy "instruction limit hit (20000000 instructions, --max-instructions)"
want time-equal-strings "time limit hit (1 s of CPU, --max-seconds)"
want time-equal-strings-coroutines "time limit hit (1 s of CPU, --max-seconds)"
GC_MSG="__gc metamethods are not allowed in packs (they would run outside the rule's instruction budget)"
want gc-loop "rules/finalizers.lua:9: $GC_MSG"
want gc-false-then-loop "$GC_MSG"
want gc-via-stdlib "lede/actors.lua:83: $GC_MSG"
want gc-added-later "gc-added-later: done"
want close-loop "instruction limit hit (20000000 instructions, --max-instructions)"
want close-left-pending "instruction limit hit (20000000 instructions, --max-instructions)"
MODE_MSG='weak-keyed tables (__mode "k") are not allowed in packs (the collector settles their chains in quadratic time, outside the rule'"'"'s limits)'
want weak-keys "rules/weak.lua:20: $MODE_MSG"
want weak-keys-added-later "weak-keys-added-later: 300000 entries, root kept"
want weak-keys-via-stdlib "lede/actors.lua:83: $MODE_MSG; chain root kept"
# two time kills of about a second each, and the rest: well under a minute, even with ASan
expect_eq "$(( $(date +%s) - T0 < 60 ))" 1 "the loops pack ran in under a minute"
expect_eq "$(grep -c '"rule":"good"' "$TMP/loops.out")" 3 "good records after the kills (one per sentence)"
expect_in "$TMP/loops.out" '"rule":"good","data":{"first":"The","moved":"a,a,b,c","removed":"a","spaced":true,"words":10}'
expect_in "$TMP/loops.out" '"rule":"victim-intact","data":{"insert":1,"metatable":true,"re":true,"upper":"ABCDEF"}'
expect_eq "$(grep -c '"rule":"' "$TMP/loops.out")" 4 "no record from a failed rule"
expect_in "$E" "1 articles, 4 records, 1 errors"
expect_status 1 "$LEDE" run -j 1 --max-instructions 5000000 --max-seconds 1 --max-memory 256M "$SB/loops" "$ART" "$TMP/second.txt"
expect_eq "$(grep -c '"rule":"good"' "$TMP/out")" 7 "good records over two articles"
expect_in "$TMP/err" "rule 'pattern-exponential-gsub-in-pcall' on $TMP/second.txt: instruction limit hit (5000000"
expect_in "$TMP/err" "rule 'pattern-quadratic-gmatch' on $TMP/second.txt: instruction limit hit (5000000"
expect_in "$TMP/err" "rule 'time-equal-strings-coroutines' on $TMP/second.txt: time limit hit (1 s of CPU"
expect_in "$TMP/err" "rule 'gc-via-stdlib' on $TMP/second.txt: "

# a plain script is sandboxed too; --allow-io grants io (and only then)
cat > "$TMP/io.lua" <<'LUA'
function on_article(a) emit{ io = io ~= nil, home = os.getenv ~= nil, debug = debug ~= nil } end
LUA
expect_status 0 "$LEDE" run -j 1 "$TMP/io.lua" "$ART"
expect_in "$TMP/out" '"data":{"debug":false,"home":false,"io":false}'
expect_status 0 "$LEDE" run -j 1 --allow-io "$TMP/io.lua" "$ART"
expect_in "$TMP/out" '"data":{"debug":false,"home":true,"io":true}'
# a script's infinite loop inside pcall fails that article only
cat > "$TMP/loop.lua" <<'LUA'
function on_article(a) while true do pcall(function() while true do end end) end end
LUA
expect_status 1 "$LEDE" run -j 1 --max-instructions 1000000 "$TMP/loop.lua" "$ART"
expect_in "$TMP/err" "instruction limit hit (1000000 instructions"
# a plain script requires its own modules (its folder and its lib/) and the stdlib without any
# grant; they run in its sandbox. Other folders need --allow-io, which adds package (path).
mkdir -p "$TMP/sc/lib" "$TMP/elsewhere"
cat > "$TMP/sc/main.lua" <<'LUA'
local helper = require "helper"
local util = require "util"
local claims = require "lede.claims"
local ok_pkg = package ~= nil
local ok_other, why = pcall(require, "faraway")
function on_article(a)
  emit{ helper = helper.name, util = util.twice(2), io_in_helper = helper.io, claims = type(claims.words),
        package = ok_pkg, other = ok_other, why = not ok_other and why:match("module 'faraway' not found") ~= nil }
end
LUA
echo 'return { name = "helper", io = io ~= nil }' > "$TMP/sc/helper.lua"
echo 'return { twice = function(x) return 2 * x end }' > "$TMP/sc/lib/util.lua"
echo 'return { far = true }' > "$TMP/elsewhere/faraway.lua"
expect_status 0 "$LEDE" run -j 1 "$TMP/sc/main.lua" "$ART"
expect_in "$TMP/out" '"data":{"claims":"function","helper":"helper","io_in_helper":false,"other":false,"package":false,"util":4,"why":true}'
cat > "$TMP/sc/far.lua" <<'LUA'
local path = package.path
package.path = os.getenv("FAR") .. "/?.lua;" .. path
local far = require "faraway"
local helper = require "helper"
function on_article(a) emit{ far = far.far, helper = helper.name } end
LUA
expect_status 2 "$LEDE" run -j 1 "$TMP/sc/far.lua" "$ART"
expect_in "$TMP/err" "attempt to index a nil value (global 'package')"
FAR="$TMP/elsewhere" expect_status 0 "$LEDE" run -j 1 --allow-io "$TMP/sc/far.lua" "$ART"
expect_in "$TMP/out" '"data":{"far":true,"helper":"helper"}'
finish
