#!/usr/bin/env bash
# bench/packs/callgrind.sh: the pack's per-article cost as a ratio of parse+extract, counted in
# instructions under callgrind: deterministic, where the wall-clock ratio of run.sh swings by
# ±0.1 between runs on a shared VM. Four runs: the null script and the pack over 1 and over
# COPIES (default 5) copies of the dev articles; the difference between the two sizes takes the
# start-up (loading the pack) off both sides.
#   bench/packs/callgrind.sh [LEDE] [SCRIPT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
LEDE=${1:-${LEDE:-$root/build/lede}}
SCRIPT=${2:-$root/scripts/packs/sanctions}
DEV=${DEV:-$root/../shared/corpus/claims/dev}
COPIES=${COPIES:-5}
command -v valgrind > /dev/null || { echo "needs valgrind (apt-get install valgrind)"; exit 77; }
tmp=${TMPDIR:-/tmp}/lede-bench-packs-cg.$$
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 "$COPIES"); do mkdir -p "$tmp/many/c$i"; cp "$DEV"/*.html "$DEV"/*.txt "$tmp/many/c$i/"; done
mkdir -p "$tmp/one"; cp -r "$tmp/many/c1" "$tmp/one/"
ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$LEDE" run -q -j 1 --keep-duplicates "$1" "$2" 2>&1 >/dev/null |
         sed -n 's/.*Collected : \([0-9]*\).*/\1/p'; }
n1=$(ir "$here/null_script.lua" "$tmp/one"); nk=$(ir "$here/null_script.lua" "$tmp/many")
p1=$(ir "$SCRIPT" "$tmp/one"); pk=$(ir "$SCRIPT" "$tmp/many")
python3 - "$n1" "$nk" "$p1" "$pk" "$COPIES" <<'PY'
import sys
n1, nk, p1, pk, k = (int(x) for x in sys.argv[1:6])
null, pack = nk - n1, pk - p1
print("instructions for %d more copies: parse+extract %d, with the pack %d" % (k - 1, null, pack))
print("pack_cost_ratio_instructions=%.3f (target <= 0.25)" % ((pack - null) / null))
PY
