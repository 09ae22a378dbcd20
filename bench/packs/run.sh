#!/usr/bin/env bash
# bench/packs: the sanctions pack over the dev claims articles replicated to >= 50 MB.
#   bench/packs/run.sh [LEDE] [SCRIPT]      (MB=50 of input, RUNS=5 interleaved rounds)
# Prints the pack's cost beyond parsing as a ratio of the parse+extract cost (target <= 0.25)
# and checks that every copy's records are identical to the unreplicated run's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
LEDE=${1:-${LEDE:-$root/build/lede}}
SCRIPT=${2:-$root/scripts/packs/sanctions}
DEV=${DEV:-$root/../shared/corpus/claims/dev}
MB=${MB:-50}
JOBS=${JOBS:-1}
tmp=${TMPDIR:-/tmp}/lede-bench-packs.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

inputs=("$DEV"/*.html "$DEV"/*.txt)
size=$(cat "${inputs[@]}" | wc -c)
copies=$(( (MB * 1000000 + size - 1) / size ))
for i in $(seq 1 "$copies"); do
  mkdir -p "$tmp/in/c$i"
  cp "${inputs[@]}" "$tmp/in/c$i/"
done
total=$(du -sb "$tmp/in" | cut -f1)
echo "input: $copies copies of ${#inputs[@]} dev articles, $((total / 1000000)) MB"

"$LEDE" run -q "$SCRIPT" "${inputs[@]}" > "$tmp/base.jsonl"

t() { local s e; s=$(date +%s.%N); "$@" > "$tmp/out.jsonl"; e=$(date +%s.%N); echo "$e - $s" | bc; }
# RUNS interleaved rounds (null script, then the pack); the median of the per-round ratios, since
# this VM's speed drifts by ±20% over minutes and a single pair of ~1 s runs can say anything
RUNS=${RUNS:-5}
ratios=()
nulls=()
packs=()
# The cost is per article, so each round also times both over no articles at all (loading the
# pack: compiling its patterns, reading its gazetteers, about 50 ms) and takes that off.
mkdir -p "$tmp/empty"
for _ in $(seq 1 "$RUNS"); do
  n0=$(t "$LEDE" run -q -j "$JOBS" "$here/null_script.lua" "$tmp/empty")
  p0=$(t "$LEDE" run -q -j "$JOBS" "$SCRIPT" "$tmp/empty")
  n=$(t "$LEDE" run -q -j "$JOBS" --keep-duplicates "$here/null_script.lua" "$tmp/in")
  p=$(t "$LEDE" run -q -j "$JOBS" --keep-duplicates "$SCRIPT" "$tmp/in")
  python3 "$here/check_same.py" "$tmp/base.jsonl" "$tmp/out.jsonl" "$copies" > "$tmp/same.txt"
  n=$(echo "$n - $n0" | bc); p=$(echo "$p - $p0" | bc)
  nulls+=("$n"); packs+=("$p"); ratios+=("$(echo "scale=4; ($p - $n) / $n" | bc)")
done
cat "$tmp/same.txt"
python3 - "${nulls[*]}" "${packs[*]}" "${ratios[*]}" <<'PY'
import statistics, sys
n, p, r = ([float(x) for x in a.split()] for a in sys.argv[1:4])
print("per-article time: parse+extract median %.2f s, with the pack median %.2f s (start-up taken off)" % (statistics.median(n), statistics.median(p)))
print("rounds: " + " ".join("%.3f" % x for x in r))
print("pack_cost_ratio=%.3f (median of %d rounds; target <= 0.25)" % (statistics.median(r), len(r)))
PY
