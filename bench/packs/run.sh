#!/usr/bin/env bash
# bench/packs: the sanctions pack over the dev claims articles replicated to >= 50 MB.
#   bench/packs/run.sh [LEDE] [SCRIPT]
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
best() { # best of 3
  local b="" x
  for _ in 1 2 3; do x=$(t "$@"); if [ -z "$b" ] || [ "$(echo "$x < $b" | bc)" = 1 ]; then b=$x; fi; done
  echo "$b"
}
null=$(best "$LEDE" run -q -j "$JOBS" --keep-duplicates "$here/null_script.lua" "$tmp/in")
pack=$(best "$LEDE" run -q -j "$JOBS" --keep-duplicates "$SCRIPT" "$tmp/in")
python3 "$here/check_same.py" "$tmp/base.jsonl" "$tmp/out.jsonl" "$copies"
ratio=$(echo "scale=3; ($pack - $null) / $null" | bc)
printf 'parse+extract %.2f s, with the pack %.2f s\n' "$null" "$pack"
echo "pack_cost_ratio=$ratio (target <= 0.25)"
