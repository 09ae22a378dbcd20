#!/bin/bash
# The end-to-end CLI tests' core commands under Valgrind (CTest label `valgrind`, registered when
# configured with -DLEDE_VALGRIND=ON; see README.md, Testing). ASan finds most memory errors
# faster, but Valgrind also sees reads of uninitialised memory and checks the plain build users
# actually run, libxml2/libarchive/PCRE2 JIT included.
#
# Each command runs as `valgrind --error-exitcode=97 --leak-check=full`: 97 stands apart from
# lede's own exit codes (0 ok, 1 article errors, 2 usage/script errors, 3 resume mismatch), so
# a command that is meant to fail still tells a Valgrind error from its own failure. Every
# command must exit with the status the CLI tests expect and leave a clean Valgrind log.
#
# Valgrind cannot run a sanitized binary: when $LEDE links ASan (the test preset), a plain lede
# is built in $LEDE_VALGRIND_BUILD (default: <build>/valgrind) first.
set -u
: "${LEDE:?LEDE must point at the built lede}"
: "${LEDE_TEST_DATA:?}"
SRC=${LEDE_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
DATA=$LEDE_TEST_DATA
CMAKE=${LEDE_CMAKE:-cmake}

command -v valgrind >/dev/null 2>&1 || { echo "SKIPPED: valgrind not found (apt-get install valgrind)"; exit 77; }

bin=$LEDE
if ldd "$LEDE" 2>/dev/null | grep -q 'libasan\|libubsan\|libtsan'; then
    vb=${LEDE_VALGRIND_BUILD:-$(dirname "$LEDE")/valgrind}
    echo "== $LEDE is sanitized; building a plain lede in $vb"
    "$CMAKE" -S "$SRC" -B "$vb" -DLEDE_SANITIZE=OFF -DLEDE_FUZZ=OFF -DBUILD_TESTING=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$vb.log" 2>&1 &&
        "$CMAKE" --build "$vb" --target lede -j 2 >>"$vb.log" 2>&1 || { tail -30 "$vb.log"; echo "FAIL: building a plain lede"; exit 1; }
    bin=$vb/lede
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/lede-valgrind.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILS=0
N=0

# vg WANT ARGS...: lede ARGS under Valgrind, exit status WANT, a clean log
vg() {
    local want=$1 got
    shift
    N=$((N + 1))
    valgrind -q --error-exitcode=97 --leak-check=full --show-leak-kinds=definite,indirect \
        --errors-for-leak-kinds=definite,indirect --track-origins=yes --suppressions="$SRC/tests/valgrind/lede.supp" \
        --log-file="$TMP/vg.$N.log" \
        "$bin" "$@" >"$TMP/out.$N" 2>"$TMP/err.$N"
    got=$?
    if [ "$got" = 97 ] || [ -s "$TMP/vg.$N.log" ]; then
        echo "FAIL: Valgrind errors in: lede $*"
        head -60 "$TMP/vg.$N.log"
        FAILS=$((FAILS + 1))
    elif [ "$got" != "$want" ]; then
        echo "FAIL: exit $got, wanted $want: lede $*"
        head -10 "$TMP/err.$N" | sed 's/^/  stderr: /'
        FAILS=$((FAILS + 1))
    else
        echo "ok   lede $*"
    fi
}

S=$DATA/scripts
python3 "$SRC/tests/cli/mkarchives.py" "$DATA" "$TMP/a" >/dev/null 2>&1 || echo "note: archives not built (mkarchives.py failed); archive commands skipped"

# basics
vg 0 --version
vg 0 help run
vg 2 frobnicate
# inspect: every format and the malformed pages (tests/cli/inspect.sh)
for f in articles/o02-eu-russia-rollover.html articles/xhtml-note.xhtml feeds/world.rss feeds/notes.atom \
    articles/ecfr-2020-china-iran.txt articles/globalnews-2025-trofimov.md json/record.json \
    bad/cp1252-meta.html bad/latin1-undeclared.html bad/utf16le.html bad/invalid-utf8.html bad/empty.html \
    bad/deep.html bad/deep200.html bad/malformed.html bad/truncated.html; do
    vg 0 inspect --json "$DATA/$f"
done
vg 0 inspect "$DATA/articles/o01-iran-tanker-designations.html"
vg 1 inspect "$DATA/bad/binary.bin"
# run: scripts, outputs, errors (tests/cli/run.sh, basics.sh)
vg 0 run -j 1 "$S/count.lua" "$DATA/articles/o02-eu-russia-rollover.html"
vg 0 run -j 2 "$S/count.lua" -o "$TMP/recs.jsonl" "$DATA/articles" "$DATA/feeds/world.rss" "$DATA/json/record.json"
vg 1 run -j 2 "$S/count.lua" "$DATA/json/records.jsonl" # one broken line: exit 1
vg 0 run -j 2 "$S/dom.lua" "$DATA/articles"
vg 1 run "$S/fails_on_feed.lua" "$DATA/feeds/world.rss" "$DATA/articles/o01-iran-tanker-designations.html"
vg 2 run "$S/syntax_error.lua" /nonexistent/input
vg 0 run -j 2 "$SRC/scripts/examples/sanctions_mentions.lua" "$DATA/articles" -o "$TMP/r.sqlite"
vg 0 run -j 2 "$SRC/scripts/examples/sanctions_mentions.lua" "$DATA/articles" -o "$TMP/r.csv"
# an XPath query stopped by the time limit on its helper thread, then cancelled (tests/cli/limits.sh)
python3 -c 'print("<html><body><article>" + "".join("<p>w%d</p>" % i for i in range(20000)) + "</article></body></html>")' > "$TMP/flat.html"
printf 'function on_article(a) emit{ n = a.dom:select("count(//p[count(//p) > 1])") } end\n' > "$TMP/xp.lua"
vg 1 run -j 1 --max-seconds 1 "$TMP/xp.lua" "$TMP/flat.html"
# packs (tests/cli/packs.sh)
vg 0 run -j 1 "$DATA/packs/demo" "$DATA/articles"
# archives, WARC, JSONL (tests/cli/batch_inputs.sh)
if [ -d "$TMP/a" ]; then
    for f in pages.tar.gz pages.zip crawl.warc.gz crawl.warc records.jsonl.gz; do
        [ -f "$TMP/a/$f" ] && vg 0 run -j 2 "$S/count.lua" "$TMP/a/$f"
    done
fi

echo "$N commands, $FAILS failed"
[ "$FAILS" = 0 ]
